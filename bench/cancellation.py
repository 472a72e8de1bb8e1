"""Benchmark: how long each lesson's heaviest run works between two progress reports.

Usage::

    python bench/cancellation.py                 # every lesson of the registry
    python bench/cancellation.py --page trees    # one lesson

The app stops a run at its next ``core.progress.report`` once the page that asked for it has gone
(a new setting, a closed tab): the longest stretch of work between two reports is how long a
dropped run can keep a core busy. For each lesson this runs the heaviest setting the budget
accepts (found as in ``bench/budget_search.py``, from the defaults) in a fresh process and prints
the number of reports, the run's CPU seconds and the longest gap between reports in CPU seconds
(the stretch before the first report and after the last count too). Target: under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.budget import PAGES  # noqa: E402
from bench.budget_search import _module, ascend  # noqa: E402

TARGET_GAP = 0.5

_CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from core.experiments import {page} as m
from core.progress import listening
config = m.Config(**json.loads({values!r}))
marks = [time.process_time()]
with listening(lambda fraction, message: marks.append(time.process_time())):
    m.run(config)
marks.append(time.process_time())
gaps = [b - a for a, b in zip(marks, marks[1:])]
print(json.dumps({{"reports": len(marks) - 2, "cpu": marks[-1] - marks[0], "gap": max(gaps)}}))
"""


def measure(page: str, values: dict) -> dict:
    code = _CHILD.format(root=str(ROOT), page=page, values=json.dumps(values))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=PAGES, help="one lesson only")
    args = parser.parse_args()
    print(f"{'lesson':20s} {'reports':>8s} {'cpu s':>7s} {'longest gap s':>14s}")
    worst = 0.0
    for page in [args.page] if args.page else PAGES:
        found = ascend(_module(page), {})
        if found is None:
            continue
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in found[0].items()}
        row = measure(page, values)
        worst = max(worst, row["gap"])
        flag = " <-" if row["gap"] > TARGET_GAP else ""
        print(
            f"{page:20s} {row['reports']:8d} {row['cpu']:7.2f} {row['gap']:14.2f}{flag}", flush=True
        )
    print(f"longest gap between reports: {worst:.2f} cpu s (target < {TARGET_GAP})")


if __name__ == "__main__":
    main()
