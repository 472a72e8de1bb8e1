"""Benchmark: CPU seconds of the network depth lesson's grid cells and 1-D fits, to fit its cost model.

Usage::

    python bench/network_depth_cells.py --cells 160 > cells.jsonl   # time random cells and 1-D fits
    python bench/network_depth_cells.py --fit cells.jsonl           # least-squares constants

Each grid cell (``_cell``: ``folds`` fits on the folds and one refit, ``epochs`` full-batch Adam
updates each) and each 1-D fit is timed cold (nothing cached) with ``time.process_time``, over a
random design of data sizes, folds, epochs, widths, depths and all four activations. ``--fit``
prints non-negative least-squares constants of the model in
``core.experiments.network_depth.experiment`` (per update: a fixed part, per layer, per
multiply-add, per parameter, per hidden value by activation; per fit and per cell: a fixed part),
then the measured / estimated ratio of every row under the constants the module holds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core import mlp  # noqa: E402
from core.experiments.network_depth import approximation as ua  # noqa: E402
from core.experiments.network_depth import experiment as ex  # noqa: E402

ACTS = ex.ACTIVATION_CHOICES


def _features(n_train: int, folds: int, epochs: int, hidden: tuple, act: str) -> dict:
    """The cost model's terms for one cell (or, with folds = 0, one 1-D fit of n_train points)."""
    n_fold = n_train * (folds - 1) // folds if folds else 0
    n_in = 1 if folds == 0 else 2
    sizes = (n_in, *hidden, 1)
    row = {"cells": 1 if folds else 0, "fits": folds + 1, "updates": 0.0, "layer_updates": 0.0}
    row.update({"macs": 0.0, "params": 0.0, **{f"act_{a}": 0.0 for a in ACTS}})
    for n, count in ((n_fold, folds), (n_train, 1)):
        if count == 0:
            continue
        updates = count * epochs
        row["updates"] += updates
        row["layer_updates"] += updates * (len(sizes) - 1)
        row["macs"] += updates * 3 * n * sum(a * b for a, b in itertools.pairwise(sizes))
        row["params"] += updates * mlp.count_params(sizes)
        row[f"act_{act}"] += updates * n * sum(hidden)
    return row


def measure(count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for i in range(count):
        act = ACTS[i % len(ACTS)]
        config = ex.Config(
            n_samples=int(rng.choice([100, 300, 600])),
            folds=int(rng.choice([3, 5, 10])),
            epochs=int(rng.choice([20, 60, 150])),
            activation=act,
            max_depth=1,
            widths=(2,),
            width=2,
            ua_epochs=100,
            seed=int(rng.integers(1_000_000)),
        )
        width = int(rng.choice(ex.WIDTH_OPTIONS))
        hidden = (width,) * int(rng.integers(0, 9))
        ex._CELLS.clear()
        cpu = time.process_time()
        ex._cell(config, hidden)
        cpu = time.process_time() - cpu
        n_train = len(ex.prepare_data(config)[0].y_train)
        row = _features(n_train, config.folds, config.epochs, hidden, act)
        print(json.dumps({"kind": "cell", "hidden": hidden, "act": act, "cpu": cpu, **row}))
    for budget, depth, epochs in itertools.product(ua.UA_BUDGETS, (2, 4, 6), (300, 1500)):
        wide, deep = ua._ua_architectures(budget, depth)
        for hidden in (wide, deep):
            params = mlp.init_params((1, *hidden, 1), seed=0)
            u = np.linspace(-1, 1, ua.UA_POINTS)[:, None]
            cpu = time.process_time()
            ex._one_blas_thread(ua._fit_1d)(params, u, np.sin(3 * u[:, 0]), epochs, 0)
            cpu = time.process_time() - cpu
            row = _features(ua.UA_POINTS, 0, epochs, hidden, "relu")
            print(json.dumps({"kind": "ua", "hidden": hidden, "act": "relu", "cpu": cpu, **row}))


COLUMNS = ["cells", "fits", "updates", "layer_updates", "macs", "params"] + [
    f"act_{a}" for a in ACTS
]


def _estimate(row: dict) -> float:
    return (
        ex.CELL_SECONDS * row["cells"]
        + ex.FIT_SECONDS * row["fits"]
        + ex.UPDATE_SECONDS * row["updates"]
        + ex.LAYER_SECONDS * row["layer_updates"]
        + ex.MAC_SECONDS * row["macs"]
        + ex.PARAM_SECONDS * row["params"]
        + sum(ex.ACTIVATION_SECONDS[a] * row[f"act_{a}"] for a in ACTS)
    )


def fit(path: str) -> None:
    from scipy.optimize import nnls

    rows = [
        json.loads(line) for line in Path(path).read_text().splitlines() if line.startswith("{")
    ]
    A = np.array([[r[c] for c in COLUMNS] for r in rows], dtype=float)
    b = np.array([r["cpu"] for r in rows])
    # relative errors: weight each row by 1 / its time, so small cells count as much as big ones
    w = 1.0 / np.maximum(b, 1e-3)
    coef, _ = nnls(A * w[:, None], b * w)
    for name, value in zip(COLUMNS, coef, strict=True):
        print(f"{name:15s} {value:.3g}")
    ratios = np.array([r["cpu"] / _estimate(r) for r in rows])
    print(f"measured / module estimate: {len(rows)} rows, median {np.median(ratios):.2f}, "
          f"90th percentile {np.quantile(ratios, 0.9):.2f}, max {ratios.max():.2f}")  # fmt: skip
    for act in ACTS:
        part = [q for q, r in zip(ratios, rows, strict=True) if r["act"] == act]
        print(f"  {act:8s} median {np.median(part):.2f} max {max(part):.2f} ({len(part)} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=160, help="random grid cells to time")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fit", metavar="JSONL", help="fit the constants to timed rows")
    args = parser.parse_args()
    if args.fit:
        fit(args.fit)
    else:
        measure(args.cells, args.seed)


if __name__ == "__main__":
    main()
