"""A class poll under load: 60 students answer within 10 s, every answer counted once.

Usage::

    python bench/polls.py                      # SQLite in a temporary file (the app's default kind)
    python bench/polls.py --database URL       # e.g. postgresql://user@host/db (an empty one)
    python bench/polls.py --postgres           # a fresh database on LAB_TEST_POSTGRES_URL's server

Two replica processes share the database, as behind HAProxy. The host (in the parent) starts a
class and opens a poll; each replica runs half of the students as threads. A student joins with
the code (under the rate limit), polls for the open poll every 3 s as the class page does, and
sends its answer at a random moment in the 10 s window; a third of them send it twice at once
(a double click). The host reads the live counts every 2 s, as the projector does. At the end
the counts must equal the number of students, with one row per seat.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from study import polls  # noqa: E402
from study.db import Store  # noqa: E402
from study.migrate import upgrade  # noqa: E402
from study.models import Vote  # noqa: E402

OPTIONS = ("Batch GD", "Mini-batch", "SGD")
STUDENT_POLL_SECONDS = 3.0
HOST_POLL_SECONDS = 2.0


def _student(store: Store, code: str, index: int, window: float, out: list, start: float):
    rng = random.Random(index)
    seat = polls.new_token()
    t = time.perf_counter()
    with store.write() as s:
        joined = polls.join(s, code, f"10.0.{index // 250}.{index % 250}")
    out.append(("join", time.perf_counter() - t, joined.status == "joined"))
    answer_at = start + rng.uniform(0.0, window)
    poll_id = None
    while poll_id is None or time.time() < answer_at:  # the class page's check every 3 s
        t = time.perf_counter()
        with store.read() as s:
            poll = polls.current_poll(s, code)
        out.append(("check", time.perf_counter() - t, True))
        poll_id = poll.id if poll else None
        time.sleep(max(0.0, min(STUDENT_POLL_SECONDS, answer_at - time.time())))
    sends = 2 if index % 3 == 0 else 1
    results = []

    def send():
        t0 = time.perf_counter()
        with store.write() as s:
            counted = polls.vote(s, poll_id, seat, rng.randrange(len(OPTIONS)))
        results.append(counted)
        out.append(("answer", time.perf_counter() - t0, counted))

    threads = [threading.Thread(target=send) for _ in range(sends)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.append(("done", time.time() - start, sum(results) == 1))


def replica(url: str, code: str, first: int, count: int, window: float, start: float, queue):
    store = Store(url)
    out: list = []
    threads = [
        threading.Thread(target=_student, args=(store, code, first + i, window, out, start))
        for i in range(count)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    store.dispose()
    queue.put(out)


def _ms(values) -> str:
    values = sorted(values)
    if not values:
        return "-"
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return (
        f"median {1000 * statistics.median(values):.1f} ms, p95 {1000 * p95:.1f} ms, "
        f"max {1000 * values[-1]:.1f} ms"
    )


def bench(url: str, students: int = 60, window: float = 10.0, replicas: int = 2) -> bool:
    store = Store(url)
    t = time.perf_counter()
    upgrade(store.engine)
    print(f"database: {store.dialect}; schema upgrade {1000 * (time.perf_counter() - t):.0f} ms")
    with store.write() as s:
        room, host = polls.start_class(s)
        poll = polls.open_poll(s, room.code, host, "gradient_descent", "Which?", OPTIONS)
    start = time.time() + 1.0
    queue = mp.get_context("spawn").Queue()
    share = [students // replicas + (i < students % replicas) for i in range(replicas)]
    procs, first = [], 0
    for n in share:
        procs.append(
            mp.get_context("spawn").Process(
                target=replica, args=(url, room.code, first, n, window, start, queue)
            )
        )
        first += n
    for p in procs:
        p.start()
    host_reads = []
    outs = []
    while len(outs) < len(procs):  # the projector's live histogram every 2 s
        t = time.perf_counter()
        with store.read() as s:
            counts = polls.live_counts(s, room.code, host, poll.id)
        host_reads.append(time.perf_counter() - t)
        with contextlib.suppress(Exception):
            outs.append(queue.get(timeout=HOST_POLL_SECONDS))
    for p in procs:
        p.join()
    events = [e for out in outs for e in out]
    with store.read() as s:
        counts = polls.live_counts(s, room.code, host, poll.id)
        rows = s.scalar(select(func.count(Vote.id)).where(Vote.poll_id == poll.id))
        seats = s.scalar(
            select(func.count(func.distinct(Vote.voter))).where(Vote.poll_id == poll.id)
        )
    store.dispose()
    joins = [d for kind, d, _ in events if kind == "join"]
    answers = [d for kind, d, _ in events if kind == "answer"]
    checks = [d for kind, d, _ in events if kind == "check"]
    finished = [d for kind, d, _ in events if kind == "done"]
    once = all(ok for kind, _, ok in events if kind == "done")
    joined = sum(ok for kind, _, ok in events if kind == "join")
    doubles = sum(kind == "answer" for kind, _, _ in events) - students
    print(
        f"{students} students on {replicas} replica processes, answers spread over {window:.0f} s"
    )
    print(f"joins ({joined} joined): {_ms(joins)}")
    print(f"class-page checks ({len(checks)}): {_ms(checks)}")
    print(f"answers sent ({len(answers)}, of which {doubles} double clicks): {_ms(answers)}")
    print(f"projector reads ({len(host_reads)}): {_ms(host_reads)}")
    print(f"last answer in at {max(finished):.2f} s after the window opened")
    print(
        f"counts {dict(zip(OPTIONS, counts, strict=True))}: total {sum(counts)}, rows {rows}, seats {seats}"
    )
    ok = sum(counts) == rows == seats == students and once and joined == students
    print("every answer counted once" if ok else "MISMATCH: answers lost or counted twice")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--postgres", action="store_true", help="a fresh database on LAB_TEST_POSTGRES_URL"
    )
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--replicas", type=int, default=2)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.postgres:
            from tests.databases import fresh_postgres, postgres_url

            if postgres_url() is None:
                raise SystemExit("LAB_TEST_POSTGRES_URL is not set (see .ci/postgres)")
            url = stack.enter_context(fresh_postgres(postgres_url()))
        elif args.database:
            url = args.database
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="lab-polls-"))
            url = f"sqlite:///{folder}/lab.sqlite3"
        ok = bench(url, args.students, args.window, args.replicas)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
