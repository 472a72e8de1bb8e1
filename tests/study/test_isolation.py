"""study is pure Python: importing all of it loads neither Streamlit nor Altair."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_study_imports_no_streamlit():
    code = (
        "import sys, study.db, study.models, study.migrate, study.learners, study.review, "
        "study.ratelimit, study.polls; "
        "print(sorted(m for m in ('streamlit', 'altair') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
