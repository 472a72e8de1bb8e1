"""Benchmark: nine optimizers x 500 steps on one 2-D surface (target < 150 ms), per surface.

Usage::

    python bench/optimizers_race.py            # every surface, 500 steps
    python bench/optimizers_race.py --steps 2000

Times the race alone (``race_one`` for the nine optimizers of ``build_optimizers``), then the whole
``run`` (race + per-step loss, gradient and Hessian eigenvalues + the momentum map). Best of
``--repeats``; wall and CPU seconds. On a busy machine wall time exceeds CPU time; CPU time is the
steadier figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.experiments import optimizers as ox  # noqa: E402
from core.surfaces import SURFACES  # noqa: E402

TARGET_MS = 150.0


def race_ms(config: ox.Config) -> tuple[float, float]:
    """(wall, cpu) milliseconds of the nine runs of one race."""
    surface = config_surface(config)
    optimizers = ox.build_optimizers(config, surface)
    start = (config.start_x, config.start_y)
    bound = ox.RUN_OFF_FACTOR * max(abs(v) for pair in surface.window for v in pair)
    wall, cpu = time.perf_counter(), time.process_time()
    for opt in optimizers.values():
        ox.race_one(opt, surface, start, config.steps, bound)
    return 1e3 * (time.perf_counter() - wall), 1e3 * (time.process_time() - cpu)


def run_ms(config: ox.Config) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    ox.run(config)
    return 1e3 * (time.perf_counter() - wall), 1e3 * (time.process_time() - cpu)


def config_surface(config: ox.Config):
    return ox.make_surface(config.surface, condition_number=config.condition_number)


def rows(steps: int = 500, repeats: int = 5) -> list[tuple[str, str]]:
    out = []
    for name in SURFACES:
        config = ox.Config.for_surface(name, steps=steps)
        race = min((race_ms(config) for _ in range(repeats)), key=lambda t: t[1])
        full = min((run_ms(config) for _ in range(repeats)), key=lambda t: t[1])
        verdict = "ok" if race[1] < TARGET_MS else "OVER TARGET"
        out.append(
            (
                f"Optimizer race, {name}, 9 x {steps} steps",
                f"race {race[0]:.0f} ms wall / {race[1]:.0f} ms CPU ({verdict}); "
                f"full run {full[0]:.0f} ms wall / {full[1]:.0f} ms CPU",
            )
        )
        print(f"{out[-1][0]}: {out[-1][1]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"Target: nine optimizers x {args.steps} steps in < {TARGET_MS:.0f} ms (CPU).")
    rows(args.steps, args.repeats)


if __name__ == "__main__":
    main()
