"""Benchmark: the batch-size page's seven training runs, sequential vs joblib (processes, threads).

Usage::

    python bench/batch_size_runs.py             # default page settings, 3 repeats
    python bench/batch_size_runs.py --repeats 5

The page's run keeps each batch size's run separately (``core.experiments.batch_size.run``:
toggling one batch size recomputes only that run), so the runs are independent calls. This script times the seven of a cold page three ways:
one after another, with joblib's process pool (``loky``, the first call pays the worker start-up)
and with joblib's thread pool. Vectorizing across batch sizes is not an option: the runs make
different numbers of updates of different shapes. The page uses whichever is fastest here.

Measured on this 2-core machine while other jobs shared it (seconds for the seven default runs)::

    load avg   sequential   loky, warm pool   loky, cold pool   threading
    3.7        1.49         1.32              9.76              1.72
    11.6       2.10         3.96              14.74             2.47

B = 1 alone takes about 80% of the sequential time, so two workers can save at most ~20%, and
only with a pool that is already warm; a cold page would pay seconds to start it. The page runs
sequentially (each run kept on its own, so a changed selection computes only the new run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from joblib import Parallel, delayed  # noqa: E402
from joblib.externals.loky import get_reusable_executor  # noqa: E402

from core.experiments import batch_size as bs  # noqa: E402


def _configs(scaling: str = "none"):
    """(config, batch size) of each of the page's seven training runs."""
    return [(bs.Config(scaling=scaling), B) for B in bs.BATCH_SIZES]


def _train(item):
    return bs.train_run(*item)


def sequential(configs):
    return [_train(c) for c in configs]


def joblib_processes(configs, n_jobs=2):
    return Parallel(n_jobs=n_jobs, backend="loky")(delayed(_train)(c) for c in configs)


def joblib_threads(configs, n_jobs=2):
    return Parallel(n_jobs=n_jobs, backend="threading")(delayed(_train)(c) for c in configs)


def _time(fn, configs) -> float:
    t0 = time.perf_counter()
    fn(configs)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    configs = _configs()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    sequential(configs[2:3])  # import and first-call costs out of the way

    # A cold process pool: what the first page view after a server start would pay.
    get_reusable_executor().shutdown(wait=True)
    cold = _time(joblib_processes, configs)

    results = {"sequential": [], "joblib loky (warm pool)": [], "joblib threading": []}
    for _ in range(args.repeats):
        results["sequential"].append(_time(sequential, configs))
        results["joblib loky (warm pool)"].append(_time(joblib_processes, configs))
        results["joblib threading"].append(_time(joblib_threads, configs))
    per_run = {c[1]: _time(sequential, [c]) for c in configs}

    print(f"{'strategy':28s} median s   (runs)")
    print(f"{'joblib loky (cold pool)':28s} {cold:8.3f}")
    for name, times in results.items():
        print(
            f"{name:28s} {statistics.median(times):8.3f}   {', '.join(f'{t:.3f}' for t in times)}"
        )
    print(
        "one run each (s): "
        + ", ".join(f"B={bs.batch_key(b)}: {t:.3f}" for b, t in per_run.items())
    )
    t0 = time.perf_counter()
    bs.gradient_noise(bs.Config())
    print(f"gradient-noise study: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
