"""Benchmark: training throughput of core.train.fit, and the gradient descent page's run time.

Usage::

    python bench/train_throughput.py                 # print the figures
    python bench/train_throughput.py --torch         # also time PyTorch (if installed), one thread
    python bench/train_throughput.py --busy          # BLAS threads x machine idle / busy only

"Machine busy" runs a bounded CPU burner (one process per core, stopped after the measurement
or after 10 minutes at most) while the same training is timed with one BLAS thread (what the
app sets) and with one per core (NumPy's default): a server already serving other sessions.

Throughput is updates per second of Adam on float64 data with 1,000 examples: a 2-16-16-1 ReLU
network with batches of 32 ("tiny") and a 2-128-128-128-1 network with batches of 256 ("medium").
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Cold runs compute: an empty store of precomputed results (ui/precompute.py), none filled here.
os.environ.setdefault("LAB_PRECOMPUTED", tempfile.mkdtemp(prefix="lab-bench-store-"))
os.environ.setdefault("LAB_PRECOMPUTE", "0")

from core import mlp, optim  # noqa: E402
from core.train import fit  # noqa: E402

NETS = {
    "tiny": ((2, 16, 16, 1), 32),
    "medium": ((2, 128, 128, 128, 1), 256),
}


def _data(n=1000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X, y


def numpy_throughput(sizes, batch, *, min_updates=3000, repeats=3, eval_every=1) -> float:
    """Median updates per second of core.train.fit (Adam, float64), whole call timed.

    ``eval_every=1`` (fit's default) also evaluates the whole training set after every epoch;
    ``None`` evaluates only at the start and the end, the same work as the PyTorch loop below.
    """
    X, y = _data()
    epochs = max(1, min_updates * batch // len(y))
    rates = []
    for r in range(repeats):
        params = mlp.init_params(sizes, seed=r)
        t0 = time.perf_counter()
        h = fit(
            params,
            X,
            y,
            loss="bce_with_logits",
            optimizer=optim.adam(1e-3),
            epochs=epochs,
            batch_size=batch,
            seed=r,
            eval_every=eval_every,
        )
        elapsed = time.perf_counter() - t0
        rates.append(len(h.steps) / elapsed)
    return statistics.median(rates)


def torch_throughput(sizes, batch, *, min_updates=3000, repeats=3) -> float | None:
    """The same loop in PyTorch (CPU, one thread, float64), or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    X, y = _data()
    Xt, yt = torch.tensor(X), torch.tensor(y).reshape(-1, 1)
    epochs = max(1, min_updates * batch // len(y))
    rates = []
    for r in range(repeats):
        torch.manual_seed(r)
        layers = []
        for i, (a, b) in enumerate(itertools.pairwise(sizes)):
            layers.append(torch.nn.Linear(a, b, dtype=torch.float64))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        net = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        lossf = torch.nn.BCEWithLogitsLoss()
        g = torch.Generator().manual_seed(r)
        updates = 0
        t0 = time.perf_counter()
        for _ in range(epochs):
            perm = torch.randperm(len(Xt), generator=g)
            for lo in range(0, len(Xt), batch):
                idx = perm[lo : lo + batch]
                opt.zero_grad()
                loss = lossf(net(Xt[idx]), yt[idx])
                loss.backward()
                opt.step()
                updates += 1
        rates.append(updates / (time.perf_counter() - t0))
    return statistics.median(rates)


def torch_version() -> str:
    import torch

    return torch.__version__.split("+")[0]


def page_times(path="app_pages/gradient_descent.py", repeats=3) -> tuple[float, float, float]:
    """Cold run, warm rerun and a slider change of one page, in seconds, through AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = str(ROOT / "streamlit_app.py")
    cold, warm, change = [], [], []
    for _ in range(repeats):
        st.cache_data.clear()
        at = AppTest.from_file(app, default_timeout=60).run()
        t0 = time.perf_counter()
        at.switch_page(path).run()
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.sidebar.select_slider(key="lr").set_value(0.1).run()
        change.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return min(cold), min(warm), min(change)


def _burn(deadline: float) -> None:
    """Spin one core until ``deadline`` (time.time()): a bounded burner."""
    x = 0
    while time.time() < deadline:
        x = (x * 1103515245 + 12345) % 2**31


@contextlib.contextmanager
def machine_busy(seconds: float = 600.0):
    """One burner process per core for at most ``seconds``; stopped when the block ends."""
    deadline = time.time() + seconds
    procs = [
        multiprocessing.Process(target=_burn, args=(deadline,), daemon=True)
        for _ in range(os.cpu_count() or 1)
    ]
    for proc in procs:
        proc.start()
    try:
        yield
    finally:
        for proc in procs:
            proc.terminate()
            proc.join()


def busy_rows(min_updates: int = 300) -> list[tuple[str, str]]:
    """The medium net with 1 BLAS thread and with one per core, machine idle and busy."""
    from threadpoolctl import threadpool_limits

    sizes, batch = NETS["medium"]
    cores = os.cpu_count() or 1
    out = []
    for threads in sorted({1, cores}):
        with threadpool_limits(limits=threads):
            idle = numpy_throughput(sizes, batch, min_updates=min_updates, eval_every=None)
            with machine_busy():
                busy = numpy_throughput(sizes, batch, min_updates=min_updates, eval_every=None)
        label = "1 BLAS thread (the app)" if threads == 1 else f"{threads} BLAS threads"
        line = f"{idle:,.0f} updates/s idle, {busy:,.0f} updates/s machine busy"
        out.append((f"Adam, {'-'.join(map(str, sizes))} net, {label}", line))
        print(f"{out[-1][0]}: {line}", flush=True)
    return out


def rows(with_torch: bool = False) -> list[tuple[str, str]]:
    """The page first: once PyTorch is imported its thread pools slow NumPy in this process.

    Every row trains with ``core.train.fit``, which fixes glibc's heap thresholds as the app
    does (``core.heap``).
    """
    return page_rows() + throughput_rows(with_torch) + busy_rows()


def throughput_rows(with_torch: bool = False) -> list[tuple[str, str]]:
    out = []
    for sizes, batch in NETS.values():
        loop = numpy_throughput(sizes, batch, eval_every=None)
        default = numpy_throughput(sizes, batch)
        net = "-".join(map(str, sizes))
        line = f"{loop:,.0f} updates/s ({default:,.0f} with a full evaluation after every epoch)"
        if with_torch:
            ref = torch_throughput(sizes, batch)
            if ref is not None:
                line += (
                    f"; PyTorch {torch_version()}, 1 thread: {ref:,.0f}/s, ratio {loop / ref:.1f}x"
                )
        out.append((f"Adam, {net} ReLU net, batch {batch}, float64", line))
        print(f"{out[-1][0]}: {line}", flush=True)
    return out


def page_rows() -> list[tuple[str, str]]:
    out = []
    cold, warm, change = page_times()
    out.append(
        (
            "Gradient descent page, default run (AppTest)",
            f"{cold:.2f} s cold, {warm:.2f} s warm, {change:.2f} s after a slider change",
        )
    )
    print(f"{out[-1][0]}: {out[-1][1]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch", action="store_true", help="also time PyTorch if installed")
    parser.add_argument("--busy", action="store_true", help="only the idle / busy comparison")
    args = parser.parse_args()
    if args.busy:
        from ui import memory

        memory.configure()  # the app's allocator settings, as in the served app
        busy_rows()
    else:
        rows(with_torch=args.torch)


if __name__ == "__main__":
    main()
