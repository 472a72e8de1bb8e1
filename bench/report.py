"""Run every benchmark and rewrite the figures table in README.md (one command for all figures).

Usage::

    python bench/report.py            # print the table
    python bench/report.py --write    # and replace the table between the README's bench markers

Runs bench/train_throughput.py (with PyTorch when installed, and idle / machine busy),
bench/pages.py --memory and bench/load.py (one server, replicas behind HAProxy, HAProxy's cache of
static files, a classroom of 30). Takes about 15 minutes; run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def isolated(module: str, call: str) -> list[tuple[str, str]]:
    """``bench.<module>.<call>`` in a fresh Python process, its rows returned.

    Each benchmark gets a process of its own: once PyTorch is imported (for the reference
    throughput), its thread pools and OpenMP runtime slow the NumPy pages measured after it in
    the same process by up to 2x, and the app itself never imports PyTorch.
    """
    code = (
        "import json, sys; sys.path.insert(0, '.'); "
        f"from bench import {module}; print(json.dumps({module}.{call}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [tuple(row) for row in json.loads(out.stdout.strip().splitlines()[-1])]


def table(rows: list[tuple[str, str]]) -> str:
    return "| benchmark | figure |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


def write_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text()
    new = re.sub(
        r"(<!-- bench-table -->\n).*?(\n<!-- /bench-table -->)",
        lambda m: m.group(1) + text + m.group(2),
        content,
        flags=re.S,
    )
    readme.write_text(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md's table")
    args = parser.parse_args()
    rows = (
        isolated("train_throughput", "throughput_rows(with_torch=True)")
        + isolated("train_throughput", "page_rows()")
        + isolated("train_throughput", "busy_rows()")
        + isolated("pages", "rows(memory=True)")
        + isolated("load", "rows()")
        + isolated("load", "replica_rows()")
        + isolated("load", "asset_rows()")
        + isolated("load", "classroom_rows()")
    )
    stamp = (
        f"Measured {datetime.date.today():%Y-%m-%d} with `python bench/report.py --write` on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}."
    )
    text = table(rows) + "\n\n" + stamp
    print(text)
    if args.write:
        write_readme(text)
        print("README.md updated.")


if __name__ == "__main__":
    main()
