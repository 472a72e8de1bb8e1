"""The tooltip checker (tests/tooltips.py) reads d3-format as the browser prints and flags the
two misprints: a value that is not 0 as zero, one strictly between -1 and 1 as ±1."""

import altair as alt
import pandas as pd
import pytest
import streamlit as st  # noqa: F401  (the proto the app sends)
from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart

from tests.tooltips import d3_format, misprinted, misprints
from ui.charts import to_spec


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [
        (0.625, ".2f", "0.63"),  # d3 rounds the binary half away from zero (toFixed)
        (0.0123, ".1%", "1.2"),
        (123456.0, ".3g", "1.23E+5"),
        (0.000123, ".3g", "0.000123"),
        (2.5, ".3f", "2.500"),
    ],
)
def test_d3_format_digits(value, spec, text):
    shown = d3_format(value, spec)
    assert float(shown) == float(text)


def test_the_three_misprints_and_nothing_else():
    assert misprinted(1e-5, "0.000", False) == "a value that is not 0 prints as zero"
    assert misprinted(0.996, "1.00", False) == "a value strictly between -1 and 1 prints as ±1"
    assert misprinted(0.9996, "100.0", True) == "a value strictly between -1 and 1 prints as ±1"
    assert misprinted(0.0, "0.000", False) is None and misprinted(1.0, "1.00", False) is None
    assert misprinted(0.5, "0.50", False) is None and misprinted(1.004, "1.004", False) is None
    assert misprinted(1.004, "1.00", False) == "a fraction prints as a whole number"
    assert misprinted(2.996, "3.00", False) == "a fraction prints as a whole number"
    assert misprinted(0.4996, "50.0", True) == "a fraction prints as a whole number"
    assert misprinted(3.0, "3.00", False) is None and misprinted(0.5, "50.0", True) is None
    assert misprinted(2.9999999999999996, "3.00", False) is None  # whole up to float round-off
    assert misprinted(1234.5, "1.23e+3", False) is None  # e-notation claims no whole number
    assert misprinted(-0.99997, "-1.000", False) == "a value strictly between -1 and 1 prints as ±1"


def _proto(chart) -> VegaLiteChart:
    """The chart as st.vega_lite_chart sends it: spec JSON with its data as Arrow datasets."""
    import json

    import pyarrow as pa

    spec = to_spec(chart)
    proto = VegaLiteChart()
    for name, table in spec.pop("datasets", {}).items():
        sink = pa.BufferOutputStream()
        frame = (
            pa.Table.from_pandas(table, preserve_index=False)
            if isinstance(table, pd.DataFrame)
            else table
        )
        with pa.ipc.new_stream(sink, frame.schema) as writer:
            writer.write_table(frame)
        named = proto.datasets.add()
        named.name = name
        named.data.data = sink.getvalue().to_pybytes()
    proto.spec = json.dumps(spec)
    return proto


def test_a_chart_with_a_probability_tooltip_rounded_to_one_is_flagged():
    data = pd.DataFrame({"x": [0.003, 0.5], "p": [0.996, 0.5]})
    bad = (
        alt.Chart(data)
        .mark_point()
        .encode(
            x=alt.X("x:Q"),
            tooltip=[alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("p:Q", format=".2f")],
        )
    )
    (line,) = misprints([_proto(bad.properties(title="t"))])
    assert (
        "'p'" in line and "between -1 and 1 prints as ±1" in line
    )  # x is a coordinate: not flagged
    good = bad.encode(tooltip=[alt.Tooltip("p:Q", format=".4f")])
    assert misprints([_proto(good.properties(title="t"))]) == []
