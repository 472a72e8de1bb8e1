"""A local Streamlit server of the lab, its memory, and Debian's chromium: shared by the browser
tests and the benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = "[data-testid=stApp][data-test-script-state=notRunning]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, seconds: float = 60, what: str = "the Streamlit server") -> None:
    """Poll ``url/_stcore/health`` until it answers ``ok``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer at {url} within {seconds:.0f} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def serve(port: int | None = None, env: dict | None = None):
    """Start ``streamlit run streamlit_app.py`` on a loopback port (a free one unless given);
    yield (url, pid). ``env`` adds environment variables (e.g. the cookie secret of a cluster)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url, proc.pid
    finally:
        _stop(proc)


def _status_kib(path: Path, *fields: str) -> int:
    """The sum of ``fields`` (kB lines such as ``VmRSS:``) of a /proc status-like file."""
    total = 0
    for line in path.read_text().splitlines():
        name, _, value = line.partition(":")
        if name in fields:
            total += int(value.split()[0])
    return total


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # the process has exited
            continue
        if ppid == pid:
            found.append(int(stat.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    """The live children of ``pid``, their children, and so on (Linux /proc)."""
    found = children(pid)
    return found + [d for child in found for d in descendants(child)]


def memory_parts(pid: int) -> dict[str, float]:
    """A server's memory in MiB by part (Linux /proc): the server's resident set, and the private
    memory of its fork server (``ui.workers``, with multiprocessing's resource tracker) and of the
    runs live under it (the pages a process shares with its parent are counted once)."""
    parts = {"server": _status_kib(Path(f"/proc/{pid}/status"), "VmRSS") / 1024}
    parts["fork server"] = parts["runs"] = 0.0
    first = set(children(pid))  # runs are forked from the fork server: they are a level below
    for child in descendants(pid):
        try:
            private = _status_kib(
                Path(f"/proc/{child}/smaps_rollup"), "Private_Clean", "Private_Dirty"
            )
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:  # it ended meanwhile
            continue
        helper = child in first and b"multiprocessing." in command
        parts["fork server" if helper else "runs"] += private / 1024
    return parts


def rss_mib(pid: int) -> float:
    """Memory of a server in MiB: the sum of :func:`memory_parts`."""
    return sum(memory_parts(pid).values())


def chromium() -> str:
    path = shutil.which("chromium")
    if not path:
        raise SystemExit("Debian's chromium is needed: apt-get install -y chromium")
    return path
