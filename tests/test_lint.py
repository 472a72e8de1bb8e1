"""The code base stays lint-clean and formatted (ruff), so CI catches what review would."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args):
    exe = shutil.which("ruff")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "ruff", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module", autouse=True)
def _need_ruff():
    if _ruff("--version").returncode != 0:
        pytest.skip("ruff is not installed (pip install -r requirements-dev.txt)")


def test_ruff_check():
    out = _ruff("check", "--output-format", "concise", ".")
    assert out.returncode == 0, out.stdout[-3000:]


def test_ruff_format():
    out = _ruff("format", "--check", ".")
    assert out.returncode == 0, out.stdout[-3000:]
