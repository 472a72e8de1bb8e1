"""Memory check (local only, bounded): one server's resident memory while a class explores
1,000 distinct settings.

Usage::

    python bench/memory.py                   # 1,000 settings, 2 protocol sessions at a time
    python bench/memory.py --settings 200    # fewer
    python bench/memory.py --minutes 10      # stop opening new settings after 10 minutes
    python bench/memory.py --caches          # also each cache's size at every report

One fresh server (``tests/serving.py``, with the precomputed store filled first, as a deployment
has it); two protocol sessions (``tests/session.py``: the browser's websocket protocol, the
server's full work, no drawing) take deep links from one shared list and open them one after the
other, each as a fresh page load. Every link has ``reveal=1`` (so the page computes and shows its
results) and a seed of its own, so every link is a new cache entry: the list cycles through every
lesson of ``ui.pages.LESSONS`` and gives the optimizers page, at its largest step count
(``steps=2000``: the issue's worst case, '80 optimizer settings at steps=2000: 893 MB'), four
links in every cycle of 16 (a quarter of all links), with its start point and escape radius
varied too.

Measured: the server's memory by part (``tests.serving.memory_parts``: the server's resident
set, the private memory of its fork server and of the runs live at that moment), printed after
every 100 settings with the elapsed time; the peak of their sum (sampled every 0.2 s,
``bench.load.Sampler``, so it includes the runs working at that moment); and the parts at the
end. Links whose page raised, refused the settings or ignored part of the link are counted as
problems. Target: what stays, the server and its fork server, under 500 MB after 1,000
settings; a run's own memory goes back to the system when it ends. With ``--caches`` the server is started
with ``server.enableExpensiveMemoryStats`` and every report adds the largest caches' sizes from
its ``/_stcore/metrics`` (Streamlit's ``st.cache_data``, ``st.cache_resource`` and session
state, measured by walking their objects: this costs the server CPU at each report).

Traffic goes only to 127.0.0.1; every wait is bounded (each page load by ``--timeout``, the run
as a whole by ``--minutes``), so the script ends by itself.

Measured on the shared 2-core machine, 2026-12-06 (``python bench/memory.py``): 1,000 links in
1,117 s, 0 problems; the server 326-369 MiB after each 100 (356 at the end), its fork server
79 MiB, together 435 MiB at the end: the target is met. The peak with runs working was 753 MiB
(a run that fits imports scikit-learn itself, about 75 MiB, and holds its data until it ends).
Before the server stopped computing runs and importing scikit-learn and LightGBM, and before
closed tabs' sessions were kept 20 s instead of 120 s, the same links left 580-740 MiB after
100-300 links (peak 818).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import Sampler, precomputed  # noqa: E402
from tests.serving import memory_parts, rss_mib, serve  # noqa: E402
from tests.session import Session  # noqa: E402
from ui.pages import LESSONS  # noqa: E402

TARGET_MIB = 500
CONCURRENT = 2
REPORT_EVERY = 100
OPTIMIZER_STEPS = 2000  # the optimizers page's largest step count (Config.steps' high end)
OPTIMIZER_SHARE = 4  # extra optimizer links per cycle through the lessons (4 of 16)


def links(n: int) -> list[tuple[str, str]]:
    """``n`` distinct deep links (path, query): every lesson in turn, the optimizers page
    ``OPTIMIZER_SHARE`` times per cycle at its largest step count; a new seed for each link."""
    lessons = [lesson.url_path for lesson in LESSONS if lesson.is_lesson]
    cycle = [p for p in lessons if p != "optimizers"] + ["optimizers"] * OPTIMIZER_SHARE
    out = []
    for i in range(n):
        path = cycle[i % len(cycle)]
        query = f"reveal=1&seed={1000 + i}"
        if path == "optimizers":
            x0 = -1.8 + 0.005 * (i % 20)  # start points along the default saddle's window
            radius = 0.05 * (1 + i % 8)
            query += f"&steps={OPTIMIZER_STEPS}&x0={x0:.3f}&r={radius:.2f}"
        out.append((path, query))
    assert len(set(out)) == n, "every link must be a new cache entry"
    return out


_METRIC = re.compile(r"^cache_memory_bytes\{(?P<labels>[^}]*)\} (?P<value>\S+)", re.M)
EXPENSIVE_STATS = {"STREAMLIT_SERVER_ENABLE_EXPENSIVE_MEMORY_STATS": "true"}


def cache_sizes(url: str, top: int = 4) -> str:
    """The ``top`` largest caches of the server's /_stcore/metrics, in MiB."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=60) as response:
            text = response.read().decode()
    except OSError as err:  # HTTPError included: the server could not size a cache
        return f"not available ({err})"
    sizes: dict[str, float] = {}
    for match in _METRIC.finditer(text):
        name = re.search(r'cache="([^"]*)"', match["labels"])
        kind = re.search(r'cache_type="([^"]*)"', match["labels"])
        label = (name[1] if name else "") or (kind[1] if kind else match["labels"])
        sizes[label] = sizes.get(label, 0.0) + float(match["value"]) / 2**20
    largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{name.rsplit('.', 1)[-1] or name} {mib:.0f}" for name, mib in largest)


def _problems(path: str, query: str, run) -> list[str]:
    """A page that raised, refused its settings or ignored part of the link."""
    out = [f"{path}?{query}: {e}" for e in run.exceptions]
    if run.page_not_found:
        out.append(f"{path}: page not found")
    for alert in run.alerts:
        if "could not use" in alert or "can't run" in alert or "could not run" in alert:
            out.append(f"{path}?{query}: {alert[:120]}")
    return out


async def explore(
    url: str,
    pid: int,
    todo: list[tuple[str, str]],
    timeout: float,
    minutes: float,
    caches: bool = False,
):
    """Open every link with ``CONCURRENT`` sessions; print RSS every ``REPORT_EVERY`` links."""
    queue: asyncio.Queue = asyncio.Queue()
    for link in todo:
        queue.put_nowait(link)
    done, problems, slowest = 0, [], 0.0
    t0 = time.monotonic()
    deadline = t0 + 60 * minutes

    async def worker():
        nonlocal done, slowest
        async with Session(url, timeout=timeout) as session:
            while not queue.empty() and time.monotonic() < deadline:
                path, query = queue.get_nowait()
                try:
                    run = await session.open(path, query)
                    problems.extend(_problems(path, query, run))
                    slowest = max(slowest, run.seconds)
                except (TimeoutError, OSError) as err:  # a page load that did not finish
                    problems.append(f"{path}?{query}: {type(err).__name__} {err}")
                done += 1
                if done % REPORT_EVERY == 0:
                    parts = memory_parts(pid)
                    line = (
                        f"{done:5d} settings: RSS {sum(parts.values()):6.0f} MiB "
                        f"({', '.join(f'{k} {v:.0f}' for k, v in parts.items())}; "
                        f"{time.monotonic() - t0:5.0f} s, {len(problems)} problems)"
                    )
                    if caches:
                        line += f"; caches MiB: {await asyncio.to_thread(cache_sizes, url)}"
                    print(line, flush=True)

    await asyncio.gather(*(worker() for _ in range(CONCURRENT)))
    return done, problems, slowest, time.monotonic() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=int, default=1000, help="distinct links to open")
    parser.add_argument("--minutes", type=float, default=20.0, help="open no new link after this")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per page load")
    parser.add_argument("--caches", action="store_true", help="report each cache's size too")
    args = parser.parse_args()
    todo = links(args.settings)
    optimizer_links = sum(path == "optimizers" for path, _ in todo)
    print(
        f"{len(todo)} distinct links, {CONCURRENT} protocol sessions at a time; "
        f"{optimizer_links} of them the optimizers page at steps={OPTIMIZER_STEPS}",
        flush=True,
    )
    precomputed()
    env = EXPENSIVE_STATS if args.caches else None
    with serve(env=env) as (url, pid), Sampler([pid]) as sampler:
        print(f"fresh server: RSS {rss_mib(pid):.0f} MiB", flush=True)
        done, problems, slowest, seconds = asyncio.run(
            explore(url, pid, todo, args.timeout, args.minutes, args.caches)
        )
        final_parts = memory_parts(pid)
        final = sum(final_parts.values())
        peak = sampler.peak[pid]
        cpu = sampler.server_cpu()
    print(
        f"after {done} settings ({seconds:.0f} s, server CPU {cpu:.0f} s, slowest page load "
        f"{slowest:.1f} s): RSS {final:.0f} MiB, peak with runs working {peak:.0f} MiB"
    )
    stays = final_parts["server"] + final_parts["fork server"]
    print(
        f"  what stays (server and fork server): {stays:.0f} MiB "
        f"(target < {TARGET_MIB} MiB: {'met' if stays < TARGET_MIB else 'MISSED'})"
    )
    print("  at the end: " + ", ".join(f"{k} {v:.0f} MiB" for k, v in final_parts.items()))
    if done < len(todo):
        print(f"stopped after {args.minutes:g} minutes: {len(todo) - done} links not opened")
    print(f"{len(problems)} problems" + "".join(f"\n  {p}" for p in problems[:10]))


if __name__ == "__main__":
    main()
