"""Benchmark: run time of the trees lesson's two experiments against the Config's own estimate.

Usage::

    python bench/trees_sweep.py            # the default and a few heavy settings
    python bench/trees_sweep.py --quick    # the default only

Prints wall and CPU seconds of ``run_sweep`` and ``run_bias_variance`` (each cold: nothing is
cached in core) next to ``sweep_seconds`` and ``bias_variance_seconds``, whose sum the Config
checks against the shared work budget (``core.experiments.budget``) to refuse settings. On a busy
machine wall time exceeds CPU time; CPU time is the steadier figure.

Boosting's rounds are chosen by early stopping, so the learning rate drives the cost (about
1 / eta rounds at each depth). The estimate's constants were fitted to 36 runs of both parts (the
five data sets, eta 0.01 to 0.5, 300 and 2,000 points, 100 and 300 points per bias-variance set):
measured CPU / estimate from 0.35 to 1.2 for the sweep and 0.46 to 1.5 for the bias-variance part,
0.5 to 1.3 for their sum; breast cancer and uploads are priced with the largest rounds seen (deep
trees on breast cancer at eta = 0.01 kept 2,563 rounds), so their estimates run 2 to 4 times high.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.experiments import trees  # noqa: E402

SETTINGS = {
    "default": {},
    "50 trees, 2000 points": {"n_estimators": 50, "n_samples": 2000},
    "200 trees, 1000 points": {"n_estimators": 200, "bv_train_sets": 4},
    "breast cancer, cross-check": {"dataset": "breast_cancer", "cross_check": True},
    "50 trees, 8 sets of 300": {"bv_train_sets": 8, "bv_train_size": 300, "n_estimators": 50},
    # early stopping grows about 1 / eta rounds at every depth
    "eta 0.03, 2000 points": {"learning_rate": 0.03, "n_samples": 2000},
    "eta 0.01, 3 sets": {"learning_rate": 0.01, "bv_train_sets": 3},
    "spiral, eta 0.01, 3 sets of 300": {
        "dataset": "spiral",
        "learning_rate": 0.01,
        "bv_train_sets": 3,
        "bv_train_size": 300,
    },
}


def _time(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time the default setting only")
    args = parser.parse_args()
    settings = {"default": {}} if args.quick else SETTINGS
    header = f"{'setting':32s} {'part':15s} {'wall s':>7s} {'cpu s':>7s} {'estimate s':>10s}"
    print(header)
    print("-" * len(header))
    for name, values in settings.items():
        try:
            config = trees.Config(**values)
        except ValueError as err:
            print(f"{name:32s} refused: {err}")
            continue
        est_sweep, est_bv = trees.sweep_seconds(config), trees.bias_variance_seconds(config)
        for part, fn, est in (
            ("depth sweep", lambda c=config: trees.run_sweep(c), est_sweep),
            ("bias-variance", lambda c=config: trees.run_bias_variance(c), est_bv),
        ):
            wall, cpu = _time(fn)
            print(f"{name:32s} {part:15s} {wall:7.2f} {cpu:7.2f} {est:10.2f}")


if __name__ == "__main__":
    main()
