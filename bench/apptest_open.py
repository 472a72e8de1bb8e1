"""Benchmark: what one new AppTest costs the test suite, with and without a fresh scan of the
installed packages for Streamlit component manifests (tests/conftest.py keeps one scan per test
process).

Usage::

    python bench/apptest_open.py [--repeats 6] [--page app_pages/home.py]

Both ways open the same light page in turns, side by side in one process (this machine is shared
and noisy: compare the two columns, not the seconds). The suite opens pages over a thousand
times, so the saving per open, times that, is what a whole test run gains.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("--page", default="app_pages/home.py")
    args = parser.parse_args()

    from streamlit.components.v2 import manifest_scanner

    from tests.app.conftest import open_page

    scan = manifest_scanner.scan_component_manifests
    ways = {"a scan per AppTest": scan, "one scan per process": functools.cache(scan)}
    open_page(args.page)  # imports and the page's first run, outside the timings
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.repeats):
        for name, way in ways.items():
            manifest_scanner.scan_component_manifests = way
            start = time.perf_counter()
            open_page(args.page)
            times[name].append(time.perf_counter() - start)
    manifest_scanner.scan_component_manifests = scan
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, median in medians.items():
        print(f"{name:>22}: median {median:.2f} s per page opened ({args.repeats} opens)")
    fresh, kept = medians.values()
    print(f"one scan per process saves {fresh - kept:.2f} s per AppTest ({fresh / kept:.1f}x)")


if __name__ == "__main__":
    main()
