"""N replicas of the lab behind Debian's HAProxy on this machine: the class-server topology without Docker.

Usage::

    python bench/cluster.py                 # 2 replicas behind http://127.0.0.1:8080 until Ctrl-C
    python bench/cluster.py --replicas 3 --port 9000

Each replica is ``streamlit run`` on a loopback port, all with one cookie secret; HAProxy listens
in front of them with the settings of ``deploy/haproxy.cfg`` (``deploy.haproxy_config.render``:
only the servers' addresses and the listening address differ), so a visitor's page, websocket and
uploads stay on the replica that served them. ``cluster()`` is the same as a context manager, for
the load check and the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.haproxy_config import render  # noqa: E402
from tests.serving import _stop, free_port, serve, wait_healthy  # noqa: E402


@dataclass(frozen=True)
class Cluster:
    url: str  # HAProxy's address: what visitors open
    replicas: dict[str, tuple[str, int]]  # name -> (the replica's own url, its pid)
    haproxy_pid: int


def haproxy() -> str:
    """Debian's haproxy, or a clear reason why the cluster can't start."""
    path = shutil.which("haproxy")
    if not path:
        raise RuntimeError("HAProxy is not installed: apt-get install -y haproxy")
    return path


@contextlib.contextmanager
def cluster(
    replicas: int = 2, port: int | None = None, asset_cache: bool = True
) -> Iterator[Cluster]:
    """Start ``replicas`` Streamlit servers and HAProxy in front of them; yield the Cluster
    (``asset_cache=False``: HAProxy without its cache of Streamlit's static files)."""
    binary = haproxy()
    secret = secrets.token_hex(32)
    port = port or free_port()
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        started = {}
        for i in range(1, replicas + 1):
            url, pid = stack.enter_context(serve(env={"STREAMLIT_SERVER_COOKIE_SECRET": secret}))
            started[f"lab{i}"] = (url, pid)
        servers = [(name, url.removeprefix("http://")) for name, (url, _pid) in started.items()]
        config = Path(folder) / "haproxy.cfg"
        config.write_text(render(servers, f"127.0.0.1:{port}", asset_cache))
        proc = subprocess.Popen(
            [binary, "-f", str(config), "-db"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(_stop, proc)
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, 30, "HAProxy")
        time.sleep(2.5)  # one round of health checks marks every replica up
        yield Cluster(url, started, proc.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="where HAProxy listens")
    args = parser.parse_args()
    with cluster(args.replicas, args.port) as c:
        print(f"The lab: {c.url} ({args.replicas} replicas behind HAProxy)")
        for name, (url, pid) in c.replicas.items():
            print(f"  {name}: {url} (pid {pid})")
        print("Ctrl-C stops them all.")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
