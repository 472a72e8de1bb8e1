"""Run every benchmark and rewrite the figures table in README.md (one command for all figures).

Usage::

    python bench/report.py            # print the table
    python bench/report.py --write    # and replace the table between the README's bench markers

Runs bench/train_throughput.py (with PyTorch when installed), bench/pages.py --memory and
bench/load.py. Takes a few minutes; run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load, pages, train_throughput  # noqa: E402


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
    rows = train_throughput.rows(with_torch=True) + pages.rows(memory=True) + load.rows()
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
