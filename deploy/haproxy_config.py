"""The HAProxy configuration in front of the lab's replicas: one set of settings everywhere.

``render(servers, bind)`` writes the whole file; only the replicas' addresses and the address
HAProxy listens on differ between ``deploy/haproxy.cfg`` (Docker Compose: replicas ``lab1`` and
``lab2``, listening on :8080) and the local cluster of ``bench/cluster.py`` (Streamlit processes
on loopback ports). ``python -m deploy.haproxy_config`` rewrites ``deploy/haproxy.cfg``; a test
keeps the committed file in step with this function.

Why these settings:

- Sticky sessions by cookie: a Streamlit session lives in one process (its websocket, its
  uploaded files, its cached media), so every request of a visitor must reach the replica that
  served the page. HAProxy inserts ``LABSERVER=<replica>`` on the first response and routes by it
  (``indirect``: the replica never sees it; ``nocache``: shared caches don't store it).
- Websockets: ``timeout tunnel`` keeps an idle page's websocket open for an hour (Streamlit
  pings it); ``timeout client``/``server`` bound the HTTP exchanges.
- Health: ``/_stcore/health`` every 2 s; a replica that fails three checks gets no new visitors.
- ``X-Lab-Replica`` on every response names the replica, so tests and the load check can see
  where a session landed.
- Streamlit's own JavaScript and CSS (``/static/``: about 2 MB in 60 files a fresh browser loads
  before its first page) are served from HAProxy's memory after the first visitor: their names
  carry a hash of their content and Streamlit marks them ``immutable`` for a year, so a cached
  copy is never stale. Without the cache the replicas spend 79-87 ms of CPU sending them to each
  new visitor, about two thirds of a first view's cost; with it 2-3 ms
  (``python bench/load.py --assets``). The cache is bounded (``total-max-size`` MB, objects up to
  ``max-object-size`` bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

COMPOSE_FILE = Path(__file__).resolve().parent / "haproxy.cfg"
COMPOSE_SERVERS = (("lab1", "lab1:8501"), ("lab2", "lab2:8501"))
COMPOSE_BIND = ":8080"

SETTINGS = """\
global
    maxconn 4096
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 5s
    timeout client 60s
    timeout server 120s
    timeout http-request 15s
    # a page's websocket stays open while the visitor is on it
    timeout tunnel 1h
    timeout client-fin 10s

cache static_assets
    total-max-size 32
    max-object-size 4000000
    max-age 86400
    process-vary on

frontend lab
    bind {bind}
    default_backend replicas

backend replicas
    balance leastconn
    cookie LABSERVER insert indirect nocache httponly
    option httpchk GET /_stcore/health
    http-check expect string ok
    default-server check inter 2s fall 3 rise 2
{asset_cache}    http-response set-header X-Lab-Replica %s
"""

ASSET_CACHE = """\
    http-request set-var(txn.asset) bool(true) if { path_beg /static/ }
    http-request cache-use static_assets if { var(txn.asset) -m bool }
    http-response cache-store static_assets if { var(txn.asset) -m bool }
"""


def render(servers: Sequence[tuple[str, str]], bind: str, asset_cache: bool = True) -> str:
    """The configuration for replicas ``servers`` ((name, host:port), ...) listening on ``bind``;
    ``asset_cache=False`` only to measure what the cache saves (``bench/load.py --assets``)."""
    lines = [f"    server {name} {address} cookie {name}" for name, address in servers]
    rules = ASSET_CACHE if asset_cache else ""
    return SETTINGS.format(bind=bind, asset_cache=rules) + "\n".join(lines) + "\n"


if __name__ == "__main__":
    COMPOSE_FILE.write_text(render(COMPOSE_SERVERS, COMPOSE_BIND))
    print(f"rewrote {COMPOSE_FILE.name}")
