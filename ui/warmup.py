"""Import the heavy scientific libraries in the background once the first page has been served.

scikit-learn (with SciPy) and LightGBM take 1.5-2 s to import on a small machine. Lessons that
only draw lines and surfaces never need them, so the first visitor of such a page should not
wait for them; but the first lesson that fits a forest or splits a dataset would pay them in
full. The router calls :func:`warm_imports` after every run: the first call in a server process
starts one daemon thread that imports them while the visitor reads the page, so the next page
finds them loaded. It touches no Streamlit state and only imports modules the lessons use.
"""

from __future__ import annotations

import importlib
import logging
import threading

import streamlit as st

HEAVY_MODULES = (
    "scipy.special",
    "sklearn.datasets",
    "sklearn.model_selection",
    "sklearn.preprocessing",
    "sklearn.ensemble",
    "sklearn.linear_model",
    "lightgbm",
)

_LOG = logging.getLogger(__name__)


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a broken install shows up on the page that needs it, with a message
            _LOG.warning("Background import of %s failed", name, exc_info=True)


@st.cache_resource(show_spinner=False)
def warm_imports() -> threading.Thread:
    """Start (once per server process) the thread that imports :data:`HEAVY_MODULES`."""
    thread = threading.Thread(
        target=_import_all, args=(HEAVY_MODULES,), name="lab-warm-imports", daemon=True
    )
    thread.start()
    return thread
