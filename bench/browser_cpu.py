"""Benchmark: CPU seconds the browser and the server spend on each page's first visit.

Usage::

    python bench/browser_cpu.py                  # every page
    python bench/browser_cpu.py trees dropout    # some pages, by URL path

One headless chromium tab opens each page by its deep link, waits until the script has finished
and then ``--settle`` seconds more (charts draw after the script ends), and reports the CPU time
the browser processes and the server used meanwhile. It explains the load check
(bench/load.py): on a machine where the browsers share the server's cores, their drawing time
bounds how fast concurrent sessions can finish.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import browser_cpu_by_process, cpu_seconds  # noqa: E402
from tests.serving import CHROMIUM_ARGS, READY, chromium, serve  # noqa: E402
from ui.pages import LESSONS  # noqa: E402

TIMEOUT_MS = 120_000


def browser_cpu(server_pid: int) -> float:
    """CPU seconds so far of every process this script started except the server."""
    seen: dict[int, float] = {}
    browser_cpu_by_process(seen, {server_pid})
    return sum(seen.values())


def measure(paths: list[str], settle: float = 2.0) -> list[tuple[str, float, float, float]]:
    """(url path, browser CPU s, server CPU s, wall s) of each page's first visit."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve() as (url, pid), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)  # the home page: the frontend's scripts load and compile once
        page.wait_for_selector(READY, timeout=TIMEOUT_MS)
        for path in paths:
            b0, s0, t0 = browser_cpu(pid), cpu_seconds(pid), time.perf_counter()
            page.goto(f"{url}/{path}?reveal=1", timeout=TIMEOUT_MS)
            page.wait_for_selector(READY, timeout=TIMEOUT_MS)
            page.wait_for_timeout(settle * 1000)
            row = (
                path,
                browser_cpu(pid) - b0,
                cpu_seconds(pid) - s0,
                time.perf_counter() - t0,
            )
            print(
                f"{path:22s} browser {row[1]:5.2f} s  server {row[2]:5.2f} s  wall {row[3]:5.2f} s"
            )
            out.append(row)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="URL paths of pages (default: every lesson)")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to wait after the run")
    args = parser.parse_args()
    known = [lesson.url_path for lesson in LESSONS if lesson.url_path]
    unknown = sorted(set(args.paths) - set(known))
    if unknown:
        parser.error(f"unknown page(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    measure(args.paths or known, args.settle)


if __name__ == "__main__":
    main()
