"""Checks that run around every chart test: no string shorthands, and every chart built is valid.

Pages send charts to Streamlit without a second schema validation (``ui.charts.to_spec``), so
the validation happens here, once, for every chart a test builds through ``ui.charts``.
"""

import functools
import importlib
import inspect
import pkgutil

import altair as alt
import pytest
from altair.utils import schemapi

import ui.charts

CHART_MODULES = [ui.charts] + [
    importlib.import_module(f"ui.charts.{m.name}") for m in pkgutil.iter_modules(ui.charts.__path__)
]

SHORTHAND_MESSAGE = (
    "A chart factory handed altair a string shorthand, a dict or alt.value/alt.condition in "
    "encode() (e.g. x='epoch:Q'): altair then looks up its channel class with _FromDict, which "
    "costs about 3 ms each. Pass the channel object instead: alt.X('epoch:Q'), "
    "tooltip=[alt.Tooltip('a:Q')], alt.ColorValue('#000'), alt.OpacityValue(**alt.condition(...))."
)


def _no_shorthand(self, *args, **kwargs):
    raise AssertionError(SHORTHAND_MESSAGE)


def _factories():
    for module in CHART_MODULES:
        for name, obj in vars(module).items():
            public = not name.startswith("_")
            if public and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                yield module, name, obj


@pytest.fixture(autouse=True)
def chart_guards(monkeypatch):
    """Fail on a string shorthand where it is built; validate every chart a factory returned.

    The shorthand guard patches altair's ``_FromDict.__init__``, the step that makes a string
    shorthand slow. It is built for nothing else while these tests build charts, so it also
    catches shorthands held in variables, dicts splatted into ``encode(**enc)``, helper
    functions, ``alt.value`` and ``alt.condition``, which a scan of the source would miss.
    ``monkeypatch.setattr`` fails loudly if altair renames the class.
    """
    monkeypatch.setattr(schemapi._FromDict, "__init__", _no_shorthand)
    built = []

    def recording(factory):
        @functools.wraps(factory)
        def wrapper(*args, **kwargs):
            chart = factory(*args, **kwargs)
            if isinstance(chart, alt.TopLevelMixin):
                built.append((factory.__qualname__, chart))
            return chart

        return wrapper

    for module, name, factory in list(_factories()):
        monkeypatch.setattr(module, name, recording(factory))
    yield built
    for name, chart in built:
        try:
            spec = chart.to_dict(validate=True)
        except Exception as error:  # any failure: name the factory whose chart is invalid
            pytest.fail(f"{name} built a chart that is not valid Vega-Lite: {error}")
        hidden = _dash_legends_under_points(spec)
        assert not hidden, (
            f"{name}: a line with a point overlay carries a strokeDash legend ({hidden}); "
            "Streamlit draws that legend without its symbols. Put the points in a layer of their own."
        )


def _dash_legends_under_points(spec) -> list[str]:
    """The strokeDash fields with a legend of their own (not merged into the colour legend of
    the same field) on a mark that also has a point overlay."""
    found = []
    if isinstance(spec, dict):
        mark, encoding = spec.get("mark"), spec.get("encoding") or {}
        dash, color = encoding.get("strokeDash"), encoding.get("color") or {}
        if (
            isinstance(mark, dict)
            and mark.get("point")
            and isinstance(dash, dict)
            and dash.get("legend", {}) is not None
            and dash.get("field") != color.get("field")
        ):
            found.append(str(dash.get("field")))
        for value in spec.values():
            found += _dash_legends_under_points(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _dash_legends_under_points(value)
    return found
