"""Helpers every page test shares: open a page in AppTest, read its charts."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.tooltips import _frames, misprints
from tests.ui.specs import joined_title

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def open_page(
    path: str,
    *,
    query: dict | None = None,
    state: dict | None = None,
    reveal: bool = True,
    timeout: float = 60,
) -> AppTest:
    """``path`` opened the way a visitor's link opens it.

    ``query`` are the link's parameters; ``state`` widget values set before the page is drawn;
    ``reveal`` adds ``?reveal=1`` so the results show without a prediction (set it False to test
    "predict, then run" itself).
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    params = {"reveal": "1"} if reveal else {}
    params.update(query or {})
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(path).run()
    bad = misprints(c.proto for c in at.get("vega_lite_chart"))
    assert not bad, "tooltips that misprint their numbers:\n" + "\n".join(bad)
    return at


def specs(at: AppTest) -> list[dict]:
    """The Vega-Lite spec of every chart on the page, in page order."""
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_rows(at: AppTest, title: str) -> dict[str, list[dict]]:
    """The datasets (named ones by name, the rest as ``data-<n>``) of the first chart whose title
    starts with ``title``, as rows: what its tooltips read from."""
    for chart in at.get("vega_lite_chart"):
        shown = joined_title(json.loads(chart.proto.spec).get("title"))
        shown = shown.get("text") if isinstance(shown, dict) else shown
        if str(shown).startswith(title):
            return _frames(chart.proto)
    raise AssertionError(f"no chart titled {title!r}")


def titles(at: AppTest) -> list:
    """Every chart's title (a string, a dict with ``text``, or None), a title in lines joined."""
    return [joined_title(spec.get("title")) for spec in specs(at)]


def number_or_label(text: str, kind):
    """A select slider's option as AppTest gives it (its label) turned back into a number, or the
    label itself when it is a word ("unlimited"): the widget's format function maps it back."""
    try:
        return kind(text)
    except ValueError:
        return text


def sidebar_sliders(at: AppTest) -> list:
    """The sidebar's sliders and select sliders, in page order by kind."""
    return [*at.sidebar.slider, *at.sidebar.select_slider]
