"""The core package stands alone: it imports without streamlit or altair (usable in a notebook)."""

import subprocess
import sys


def _last_line_printed(code: str) -> str:
    """What a fresh interpreter running ``code`` printed last (its imports are its own)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def test_core_imports_without_streamlit_or_altair():
    code = (
        "import sys, importlib, pkgutil, core, core.experiments\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('streamlit', 'altair'))\n"
        "print(','.join(bad))\n"
    )
    assert _last_line_printed(code) == ""


def test_charts_module_does_not_import_streamlit():
    code = "import sys, ui.charts\nprint('streamlit' in sys.modules)\n"
    assert _last_line_printed(code) == "False"


def test_the_light_lessons_and_the_page_shell_load_without_scikit_learn_or_scipy():
    # About 1.5 s of imports a first visitor of these pages should not wait for.
    code = (
        "import sys\n"
        "import ui.runner, ui.lesson, ui.controls, ui.classroom, ui.upload, ui.charts\n"
        "import core.experiments.gradient_descent, core.experiments.optimizers\n"
        "heavy = ('sklearn', 'scipy', 'lightgbm')\n"
        "print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in heavy)))\n"
    )
    assert _last_line_printed(code) == ""


def test_the_app_runs_blas_single_threaded_and_core_alone_does_not_limit_it():
    """The router limits BLAS/OpenMP to one thread per run; importing core changes nothing."""
    code = (
        "import numpy, core.train, core.ensembles\n"
        "from threadpoolctl import threadpool_info\n"
        "before = [i['num_threads'] for i in threadpool_info()]\n"
        "import ui.process\n"
        "after = [i['num_threads'] for i in threadpool_info()]\n"
        "print(max(before), max(after))\n"
    )
    out = _last_line_printed(code).split()
    assert out[1] == "1"
    import os

    if (os.cpu_count() or 1) > 1:
        assert int(out[0]) > 1, "core on its own keeps the libraries' default thread counts"
