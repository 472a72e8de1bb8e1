"""Two replicas behind HAProxy (bench/cluster.py): each visitor stays on the replica that served
the page, with its own settings and its own upload."""

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.cluster import cluster
from tests.session import Session

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("haproxy"), reason="HAProxy is not installed"),
]

ROWS = "".join(
    f"{i % 7 / 3:.3f},{(i * 5) % 11 / 4:.3f},{'yes' if i % 3 else 'no'}\n" for i in range(120)
)
CSV = ("a,b,label\n" + ROWS).encode()


def _in_thread(coroutine):
    # Playwright's sync API may hold an event loop on this worker's main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _visitor(url, lr, name):
    async with Session(url, timeout=180) as session:
        settings = await session.open("gradient_descent", f"lr={lr}&reveal=1")
        await session.open("trees", "n=300&trees=10&reveal=1")
        uploaded = await session.upload(CSV, name)
        return session.replicas, settings, uploaded


async def _two_visitors(url):
    first = asyncio.create_task(_visitor(url, "0.3", "alice_salaries_2025.csv"))
    await asyncio.sleep(1.0)  # alice holds a connection: leastconn sends bob to the other replica
    second = asyncio.create_task(_visitor(url, "0.1", "bob.csv"))
    return await first, await second


def test_each_visitor_stays_on_its_replica_with_its_own_settings_and_upload():
    with cluster(2) as lab:
        (a_replicas, a_settings, a_upload), (b_replicas, b_settings, b_upload) = _in_thread(
            _two_visitors(lab.url)
        )
    a_names = {name for pair in a_replicas for name in pair}
    b_names = {name for pair in b_replicas for name in pair}
    assert len(a_names) == 1 and len(b_names) == 1, (a_replicas, b_replicas)
    assert a_names != b_names, "leastconn should spread two visitors over two replicas"
    assert not a_settings.exceptions and not b_settings.exceptions
    assert a_settings.chart_digests != b_settings.chart_digests  # lr 0.3 vs 0.1
    a_text, b_text = " ".join(a_upload.alerts), " ".join(b_upload.alerts)
    assert "alice_salaries_2025.csv" in a_text and "bob.csv" not in a_text
    assert "bob.csv" in b_text and "alice_salaries_2025.csv" not in b_text
