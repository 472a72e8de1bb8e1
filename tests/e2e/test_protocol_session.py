"""tests/session.py, the load check's client, speaks the browser's websocket protocol correctly.

If Streamlit changes its protocol, the load check must fail loudly here rather than time out or
measure nothing."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.session import Session

pytestmark = pytest.mark.e2e


def _visit(url, path, *, move=False):
    async def go():
        async with Session(url, timeout=120) as session:
            first = await session.open(path, "reveal=1")
            moved = await session.move_first_slider() if move else None
            return first, moved

    # In a thread of its own: Playwright's sync API (the browser tests in this worker) keeps an
    # event loop running on the main thread, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result()


def test_a_deep_link_runs_the_page_and_a_slider_move_reruns_it(server_url):
    first, moved = _visit(server_url, "loss_functions", move=True)
    assert not first.page_not_found and not first.exceptions
    assert first.charts >= 1 and first.sliders  # the page's elements arrived
    assert moved.charts == first.charts and not moved.exceptions
    assert len(first.chart_digests) == first.charts
    assert moved.chart_digests != first.chart_digests  # the new logit redrew the charts
    again, _ = _visit(server_url, "loss_functions")
    assert again.chart_digests == first.chart_digests  # the same link draws the same charts
    assert first.seconds > 0 and moved.seconds > 0


def test_an_unknown_path_is_reported_as_page_not_found(server_url):
    first, _ = _visit(server_url, "no_such_lesson")
    assert first.page_not_found
