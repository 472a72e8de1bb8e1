"""Load check (local only, bounded): concurrent browser sessions against one local server.

Usage::

    python bench/load.py [--sessions 5]

Each session opens three lesson pages by deep link and moves one slider on the last; the script
reports the slowest session's completion time and the server's peak resident memory. Traffic
goes only to 127.0.0.1; every wait has a timeout, so the run ends by itself.
Targets: slowest session under 10 s, server under 400 MB.

The browsers run on the same cores as the server, so the script also reports the CPU seconds
each side used: on a 2-core machine, 5 sessions can't finish in t seconds if the browsers alone
need more than 2 t CPU seconds to draw the pages. It also times one session alone on a fresh
server: no concurrent run can beat that floor.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._server import CHROMIUM_ARGS, READY, chromium, rss_mib, serve  # noqa: E402
from ui.pages import LESSONS  # noqa: E402

TIMEOUT_MS = 60_000


async def _session(browser, url: str, paths: list[str]) -> float:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    t0 = time.perf_counter()
    for path in paths:
        await page.goto(f"{url}/{path}", timeout=TIMEOUT_MS)
        await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    slider = page.get_by_role("slider").first
    await slider.focus()
    await slider.press("End")
    await page.wait_for_timeout(300)
    await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - t0
    await context.close()
    return elapsed


async def _run(url: str, sessions: int) -> list[float]:
    from playwright.async_api import async_playwright

    lessons = [lesson.url_path for lesson in LESSONS if lesson.is_lesson]
    plans = [[lessons[(i + j) % len(lessons)] for j in range(3)] for i in range(sessions)]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        times = await asyncio.gather(*(_session(browser, url, plan) for plan in plans))
        await browser.close()
    return list(times)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu_by_process(seen: dict[int, float], server_pid: int) -> None:
    """Record the CPU time so far of every process this script started except the server."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process has exited
            continue
        pid = int(stat.parent.name)
        parents[pid] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS)
    me = os.getpid()
    for pid, (ppid, cpu) in parents.items():
        chain, hops = ppid, 0
        while chain not in (me, 0, 1) and chain in parents and hops < 20:
            chain, hops = parents[chain][0], hops + 1
        if chain == me and pid != server_pid:
            seen[pid] = max(seen.get(pid, 0.0), cpu)


_TICKS = os.sysconf("SC_CLK_TCK")


def measure(sessions: int = 5) -> dict[str, float]:
    """Slowest session (s), peak server RSS (MiB), and the CPU seconds of server and browsers."""
    with serve() as (url, pid):
        server_cpu = cpu_seconds(pid)
        browsers: dict[int, float] = {}  # pid -> CPU seconds, sampled until each process exits
        peak = [rss_mib(pid)]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak.append(rss_mib(pid))
                browser_cpu_by_process(browsers, pid)
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            times = asyncio.run(_run(url, sessions))
        finally:
            done.set()
            sampler.join(timeout=2)
        return {
            "slowest": max(times),
            "peak_mib": max(peak),
            "server_cpu": cpu_seconds(pid) - server_cpu,
            "browser_cpu": sum(browsers.values()),
        }


def rows(sessions: int = 5) -> list[tuple[str, str]]:
    """The concurrent run, and the first session's plan alone on a fresh server as its floor."""
    alone = measure(1)
    m = measure(sessions)
    out = [
        (
            f"Load: {sessions} concurrent browser sessions, 3 pages + a slider each",
            f"slowest {m['slowest']:.1f} s, server peak {m['peak_mib']:.0f} MiB; CPU: server "
            f"{m['server_cpu']:.0f} s, browsers {m['browser_cpu']:.0f} s",
        ),
        (
            "Load: the same plan, 1 browser session alone",
            f"{alone['slowest']:.1f} s; CPU: server {alone['server_cpu']:.1f} s, browser "
            f"{alone['browser_cpu']:.1f} s",
        ),
    ]
    for row in out:
        print(f"{row[0]}: {row[1]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, choices=range(1, 11), metavar="1..10")
    rows(parser.parse_args().sessions)


if __name__ == "__main__":
    main()
