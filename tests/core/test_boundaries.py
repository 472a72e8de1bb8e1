"""The core package stands alone: it imports without streamlit or altair (usable in a notebook)."""

import subprocess
import sys


def test_core_imports_without_streamlit_or_altair():
    code = (
        "import sys, importlib, pkgutil, core, core.experiments\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('streamlit', 'altair'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_charts_module_does_not_import_streamlit():
    code = "import sys, ui.charts\nprint('streamlit' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
