"""Load check (local only, bounded): concurrent sessions against one local Streamlit server.

Usage::

    python bench/load.py [--sessions 5] [--client protocol|browser|both]
    python bench/load.py --replicas          # the protocol plan: 1 server, then 2 behind HAProxy
    python bench/load.py --classroom 30      # 30 students on one preset link, 2 replicas
    python bench/load.py --assets            # replicas' CPU per fresh visitor's static files

Each session opens three lesson pages by deep link and moves the sidebar's first slider to its
end on the last; the script reports the slowest session's completion time and the server's peak
resident memory. Traffic goes only to 127.0.0.1; every wait has a timeout, so the run ends by
itself. Targets: slowest session under 10 s, server under 400 MB.

Two kinds of client:

- ``protocol`` (tests/session.py) speaks the browser's websocket protocol to the server: the same
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
import contextlib
import http.cookiejar
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cluster import cluster  # noqa: E402
from tests.serving import CHROMIUM_ARGS, READY, children, chromium, rss_mib, serve  # noqa: E402
from tests.session import Session, asset_paths  # noqa: E402
from ui.pages import LESSONS  # noqa: E402

TIMEOUT_MS = 60_000
# The classroom: students open the instructor's link within this many seconds.
ARRIVAL_WINDOW = 5.0
CLASS_LINK = "gradient_descent?preset=sgds-noise-floor&reveal=1"


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
    """User + system CPU time of a running process and of its children, ended or live (Linux
    /proc): a server's heavy runs work in processes forked from it (ui.workers)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # it ended meanwhile: its time is in its parent's now
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / _TICKS  # utime, stime, ended children's
    return own + sum(cpu_seconds(child) for child in children(pid))


def browser_cpu_by_process(seen: dict[int, float], server_pids: set[int]) -> None:
    """Record the CPU time so far of every process this script started except the servers."""
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
        if chain == me and pid not in server_pids and parents[pid][0] not in server_pids:
            seen[pid] = max(seen.get(pid, 0.0), cpu)


_TICKS = os.sysconf("SC_CLK_TCK")


def precomputed() -> None:
    """Fill the store of computed-ahead defaults and presets first (as a deployment has it),
    so no server fills it in the background while it is being measured."""
    from ui import precompute

    if not (precompute.folder() / precompute.DONE).exists():
        subprocess.run([sys.executable, "-m", "ui.precompute"], cwd=ROOT, check=True)


@contextlib.contextmanager
def servers(replicas: int = 1):
    """One server (url, [pid]) or ``replicas`` behind HAProxy (its url, the replicas' pids)."""
    precomputed()
    if replicas == 1:
        with serve() as (url, pid):
            yield url, [pid]
    else:
        with cluster(replicas) as lab:
            yield lab.url, [pid for _url, pid in lab.replicas.values()]


class Sampler:
    """Peak RSS of each server process and CPU of the clients, sampled every 0.2 s."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.peak = {pid: rss_mib(pid) for pid in pids}
        self.cpu0 = {pid: cpu_seconds(pid) for pid in pids}
        self.browsers: dict[int, float] = {}  # pid -> CPU seconds, until each process exits
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._done.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_mib(pid))
            browser_cpu_by_process(self.browsers, set(self.pids))
            time.sleep(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join(timeout=2)

    def server_cpu(self) -> float:
        return sum(cpu_seconds(pid) - self.cpu0[pid] for pid in self.pids)


def measure(sessions: int = 5, client: str = "protocol", replicas: int = 1) -> dict:
    """Slowest session (s), peak RSS per server (MiB), CPU seconds of servers and clients, problems.

    ``client`` is "protocol" (tests/session.py, in this process) or "browser" (chromium);
    ``replicas`` > 1 runs the plan through HAProxy in front of that many servers.
    """
    with servers(replicas) as (url, pids), Sampler(pids) as sampler:
        own_cpu = time.process_time()
        results = asyncio.run(_run(url, sessions, client))
        client_cpu = time.process_time() - own_cpu if client == "protocol" else 0.0
        server_cpu = sampler.server_cpu()
    return {
        "slowest": max(seconds for seconds, _ in results),
        "peak_mib": max(sampler.peak.values()),
        "server_cpu": server_cpu,
        "client_cpu": client_cpu + sum(sampler.browsers.values()),
        "problems": [p for _, problems in results for p in problems],
    }


async def _student(url: str, path: str, query: str, i: int, n: int, window: float):
    """Open the shared link (student i of n arrives i/n of the way into the window), then move
    the first slider to a value of one's own."""
    await asyncio.sleep(window * i / n)
    async with Session(url, timeout=TIMEOUT_MS / 1000) as session:
        first = await session.open(path, query)
        moved = await session.move_slider(0, (i + 1) / (n + 1))
    problems = [f"{path}: {e}" for e in first.exceptions + moved.exceptions]
    problems += [f"{path}: page not found"] * first.page_not_found
    return first.seconds, moved.seconds, problems


def classroom(students: int = 30, link: str = CLASS_LINK, replicas: int = 2) -> dict:
    """A class on one link: every first view and slider answer time, problems, peak memory."""
    path, _, query = link.partition("?")
    with servers(replicas) as (url, pids), Sampler(pids) as sampler:

        async def everyone():
            return await asyncio.gather(
                *(_student(url, path, query, i, students, ARRIVAL_WINDOW) for i in range(students))
            )

        results = asyncio.run(everyone())
        server_cpu = sampler.server_cpu()
    firsts = sorted(r[0] for r in results)
    answers = sorted(r[1] for r in results)
    return {
        "first_max": firsts[-1],
        "first_p95": firsts[int(0.95 * (len(firsts) - 1))],
        "answer_max": answers[-1],
        "answer_p95": answers[int(0.95 * (len(answers) - 1))],
        "peaks": [sampler.peak[pid] for pid in pids],
        "server_cpu": server_cpu,
        "problems": [p for r in results for p in r[2]],
    }


def asset_cost(visitors: int = 10, rounds: int = 2) -> dict[bool, list[float]]:
    """Replicas' CPU seconds per fresh visitor's page load (its HTML, the 60 JavaScript and CSS
    files a browser with an empty cache fetches, the health check) through HAProxy, with its cache
    of Streamlit's static files (True) and without (False); ``rounds`` alternate the two, each on
    fresh replicas, so both see the same machine."""
    out: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(rounds):
        for cached in (False, True):
            with cluster(2, asset_cache=cached) as lab:
                pids = [pid for _url, pid in lab.replicas.values()]

                def visit(url: str = lab.url) -> None:
                    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
                    opener = urllib.request.build_opener(jar)
                    html = opener.open(f"{url}/{CLASS_LINK}", timeout=60).read()
                    for path in [*asset_paths(html), "_stcore/health"]:
                        request = urllib.request.Request(
                            f"{url}/{path}", headers={"Accept-Encoding": "gzip"}
                        )
                        opener.open(request, timeout=60).read()

                visit()  # the first visitor fills the cache
                before = sum(cpu_seconds(pid) for pid in pids)
                for _ in range(visitors):
                    visit()
                out[cached].append((sum(cpu_seconds(pid) for pid in pids) - before) / visitors)
    return out


def asset_rows(visitors: int = 10) -> list:
    m = asset_cost(visitors)
    row = (
        "Static files: replicas' CPU per fresh visitor's page load (HTML and 60 JS/CSS files)",
        "with HAProxy's cache "
        + ", ".join(f"{s * 1000:.0f}" for s in m[True])
        + " ms; without "
        + ", ".join(f"{s * 1000:.0f}" for s in m[False])
        + " ms",
    )
    print(f"{row[0]}: {row[1]}", flush=True)
    return [row]


CLIENTS = {"protocol": "protocol sessions (server's work, no drawing)", "browser": "chromium tabs"}


def replica_rows(sessions: int = 5, replicas: tuple[int, ...] = (1, 2)) -> list:
    """The protocol plan against one server and against replicas behind HAProxy."""
    out = []
    for n in replicas:
        m = measure(sessions, "protocol", n)
        where = "1 server" if n == 1 else f"{n} replicas behind HAProxy"
        out.append(
            (
                f"Load: {sessions} concurrent protocol sessions, {where}",
                f"slowest {m['slowest']:.1f} s, peak {m['peak_mib']:.0f} MiB per server; CPU: "
                f"servers {m['server_cpu']:.0f} s"
                + (f"; problems: {'; '.join(m['problems'])}" if m["problems"] else ""),
            )
        )
        print(f"{out[-1][0]}: {out[-1][1]}", flush=True)
    return out


def classroom_rows(students: int = 30, replicas: int = 2, link: str = CLASS_LINK) -> list:
    m = classroom(students, link, replicas)
    problems = f"; problems: {'; '.join(m['problems'][:3])}" if m["problems"] else "; 0 errors"
    row = (
        f"Classroom: {students} protocol sessions open one preset link within "
        f"{ARRIVAL_WINDOW:.0f} s, then each moves a slider ({replicas} replicas)",
        f"first view max {m['first_max']:.1f} s (p95 {m['first_p95']:.1f}); slider answer max "
        f"{m['answer_max']:.1f} s (p95 {m['answer_p95']:.1f}); replicas' peak "
        f"{', '.join(f'{p:.0f}' for p in m['peaks'])} MiB{problems}",
    )
    print(f"{row[0]}: {row[1]}", flush=True)
    return [row]


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
    parser.add_argument(
        "--replicas", action="store_true", help="the protocol plan on 1 server and 2 replicas"
    )
    parser.add_argument("--classroom", type=int, metavar="STUDENTS", help="a class on one link")
    parser.add_argument("--link", default=CLASS_LINK, help="the classroom's link")
    parser.add_argument(
        "--assets", action="store_true", help="static files with and without HAProxy's cache"
    )
    args = parser.parse_args()
    if args.assets:
        asset_rows()
    elif args.classroom:
        classroom_rows(args.classroom, 2, args.link)
    elif args.replicas:
        replica_rows(args.sessions)
    else:
        clients = ("protocol", "browser") if args.client == "both" else (args.client,)
        rows(args.sessions, clients)


if __name__ == "__main__":
    main()
