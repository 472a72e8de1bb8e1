"""Load check (local only, bounded): concurrent sessions against one local Streamlit server.

Usage::

    python bench/load.py [--sessions 5] [--client protocol|browser|both]

Each session opens three lesson pages by deep link and moves the sidebar's first slider to its
end on the last; the script reports the slowest session's completion time and the server's peak
resident memory. Traffic goes only to 127.0.0.1; every wait has a timeout, so the run ends by
itself. Targets: slowest session under 10 s, server under 400 MB.

Two kinds of client:

- ``protocol`` (bench/session.py) speaks the browser's websocket protocol to the server: the same
  requests, the same answers, the same work on the server, no drawing. This is the target's
  measure: on a deployment each student's browser draws the charts on the student's own machine.
- ``browser`` runs headless chromium tabs. On this 2-core machine they share the server's cores
  and need 2-9 CPU s each to draw a lesson page in software (bench/browser_cpu.py), more than
  the server spends on it, so their figure measures mostly the browsers.

Both report the CPU seconds the server and the clients used, and the same plan with one session
alone on a fresh server (the floor no concurrent run can beat).
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

from bench.session import Session  # noqa: E402
from tests.serving import CHROMIUM_ARGS, READY, chromium, rss_mib, serve  # noqa: E402
from ui.pages import LESSONS  # noqa: E402

TIMEOUT_MS = 60_000


def plans(sessions: int) -> list[list[str]]:
    """Session i opens lessons i, i+1 and i+2 (by URL path, wrapping around)."""
    lessons = [lesson.url_path for lesson in LESSONS if lesson.is_lesson]
    return [[lessons[(i + j) % len(lessons)] for j in range(3)] for i in range(sessions)]


async def _protocol_session(url: str, paths: list[str]) -> tuple[float, list[str]]:
    """Completion time and any problems (exceptions, missing pages) of one protocol session."""
    problems = []
    t0 = time.perf_counter()
    async with Session(url, timeout=TIMEOUT_MS / 1000) as session:
        for path in paths:
            run = await session.open(path, "reveal=1")
            problems += [f"{path}: {e}" for e in run.exceptions]
            if run.page_not_found:
                problems.append(f"{path}: page not found")
        run = await session.move_first_slider()
        problems += [f"{paths[-1]} after the slider: {e}" for e in run.exceptions]
    return time.perf_counter() - t0, problems


async def _browser_session(browser, url: str, paths: list[str]) -> tuple[float, list[str]]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    t0 = time.perf_counter()
    for path in paths:
        await page.goto(f"{url}/{path}?reveal=1", timeout=TIMEOUT_MS)
        await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    slider = page.get_by_role("slider").first
    await slider.focus()
    await slider.press("End")
    await page.wait_for_timeout(300)
    await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - t0
    shown = await page.locator("[data-testid=stException]").count()
    problems = [f"{paths[-1]}: an exception is shown"] * shown
    await context.close()
    return elapsed, problems


async def _run(url: str, sessions: int, client: str) -> list[tuple[float, list[str]]]:
    if client == "protocol":
        return await asyncio.gather(*(_protocol_session(url, plan) for plan in plans(sessions)))
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        results = await asyncio.gather(
            *(_browser_session(browser, url, plan) for plan in plans(sessions))
        )
        await browser.close()
    return list(results)


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


def measure(sessions: int = 5, client: str = "protocol") -> dict:
    """Slowest session (s), peak server RSS (MiB), CPU seconds of server and clients, problems.

    ``client`` is "protocol" (bench/session.py, in this process) or "browser" (chromium).
    """
    with serve() as (url, pid):
        server_cpu = cpu_seconds(pid)
        browsers: dict[int, float] = {}  # pid -> CPU seconds, sampled until each process exits
        own_cpu = time.process_time()
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
            results = asyncio.run(_run(url, sessions, client))
        finally:
            done.set()
            sampler.join(timeout=2)
        client_cpu = time.process_time() - own_cpu if client == "protocol" else 0.0
        return {
            "slowest": max(seconds for seconds, _ in results),
            "peak_mib": max(peak),
            "server_cpu": cpu_seconds(pid) - server_cpu,
            "client_cpu": client_cpu + sum(browsers.values()),
            "problems": [p for _, problems in results for p in problems],
        }


CLIENTS = {"protocol": "protocol sessions (server's work, no drawing)", "browser": "chromium tabs"}


def rows(sessions: int = 5, clients: tuple[str, ...] = ("protocol", "browser")) -> list:
    """Per client: the concurrent run, and the first session's plan alone on a fresh server."""
    out = []
    for client in clients:
        alone = measure(1, client)
        m = measure(sessions, client)
        problems = m["problems"] + alone["problems"]
        out += [
            (
                f"Load: {sessions} concurrent {CLIENTS[client]}, 3 pages + a slider each",
                f"slowest {m['slowest']:.1f} s, server peak {m['peak_mib']:.0f} MiB; CPU: server "
                f"{m['server_cpu']:.0f} s, clients {m['client_cpu']:.0f} s"
                + (f"; problems: {'; '.join(problems)}" if problems else ""),
            ),
            (
                f"Load: the same plan, 1 session alone ({client})",
                f"{alone['slowest']:.1f} s; CPU: server {alone['server_cpu']:.1f} s, client "
                f"{alone['client_cpu']:.1f} s",
            ),
        ]
        for row in out[-2:]:
            print(f"{row[0]}: {row[1]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--client", choices=["protocol", "browser", "both"], default="both")
    args = parser.parse_args()
    clients = ("protocol", "browser") if args.client == "both" else (args.client,)
    rows(args.sessions, clients)


if __name__ == "__main__":
    main()
