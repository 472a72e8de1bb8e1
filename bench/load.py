"""Load check (local only, bounded): concurrent browser sessions against one local server.

Usage::

    python bench/load.py [--sessions 5]

Each session opens three lesson pages by deep link and moves one slider on the last; the script
reports the slowest session's completion time and the server's peak resident memory. Traffic
goes only to 127.0.0.1; every wait has a timeout, so the run ends by itself.
Targets: slowest session under 10 s, server under 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
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


def measure(sessions: int = 5) -> tuple[float, float]:
    """(slowest session in s, peak server RSS in MiB)."""
    with serve() as (url, pid):
        peak = [rss_mib(pid)]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak.append(rss_mib(pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            times = asyncio.run(_run(url, sessions))
        finally:
            done.set()
            sampler.join(timeout=2)
        return max(times), max(peak)


def rows(sessions: int = 5) -> list[tuple[str, str]]:
    slowest, peak = measure(sessions)
    row = (
        f"Load: {sessions} concurrent browser sessions, 3 pages + a slider each",
        f"slowest {slowest:.1f} s, server peak {peak:.0f} MiB",
    )
    print(f"{row[0]}: {row[1]}", flush=True)
    return [row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, choices=range(1, 11), metavar="1..10")
    rows(parser.parse_args().sessions)


if __name__ == "__main__":
    main()
