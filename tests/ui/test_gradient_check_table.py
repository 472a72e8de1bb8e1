"""The shared gradient-check table prints its numbers so that they say what the verdict says."""

import pandas as pd
import streamlit as st

from core.facts import read
from core.gradcheck import AGREE, AGREE_BELOW, DISAGREE
from ui import lesson


def _shown(monkeypatch, check: pd.DataFrame) -> pd.DataFrame:
    drawn = []
    monkeypatch.setattr(st, "dataframe", lambda frame, **kwargs: drawn.append(frame))
    lesson.gradient_check(check, "entry")
    return drawn[0]


def test_two_derivatives_that_differ_never_print_alike_as_whole_numbers(monkeypatch):
    check = pd.DataFrame(
        {
            "entry": ["b2"],
            "backprop": [-2.0],
            "central_difference": [-2.0000000000131],
            "rel_error": [3.3e-12],
            "verdict": [AGREE],
        }
    )
    row = _shown(monkeypatch, check).iloc[0]
    assert row["backprop"] == "−2" and row["central_difference"] != "−2"
    shown = [read(row[c]) for c in ("central_difference", "backprop")]
    assert shown[0] != shown[1]


def test_an_error_under_the_bar_never_prints_as_the_bar(monkeypatch):
    errors = [0.996 * AGREE_BELOW, 0.9999 * AGREE_BELOW, 2.5 * AGREE_BELOW, 0.31]
    check = pd.DataFrame(
        {
            "entry": list("abcd"),
            "backprop": [1.0] * 4,
            "central_difference": [1.0] * 4,
            "rel_error": errors,
            "verdict": [AGREE, AGREE, DISAGREE, DISAGREE],
        }
    )
    shown = _shown(monkeypatch, check)["rel_error"]
    for text, error, verdict in zip(shown, errors, check["verdict"], strict=True):
        assert (float(text) < AGREE_BELOW) == (verdict == AGREE), (text, error)


def test_tables_right_align_columns_of_printed_numbers_and_keep_their_labels(monkeypatch):
    frame = pd.DataFrame(
        {
            "weight": ["W1[1, 1]", "b2"],
            "value": ["−1.0072e-05", "12,800"],
            "share": ["6.3 %", "—"],
            "note": ["0.25", "≈ 0 (±1e-12)"],
            "count": [3, 4],
        }
    )
    assert lesson.number_columns(frame) == ["value", "share"]
    drawn = []
    monkeypatch.setattr(st, "dataframe", lambda frame, **kwargs: drawn.append(kwargs))
    lesson.table(frame, column_config={"value": "backprop ∂L/∂w"})
    config = drawn[0]["column_config"]
    assert config["value"]["label"] == "backprop ∂L/∂w"
    assert config["value"]["alignment"] == config["share"]["alignment"] == "right"
    assert "note" not in config and "weight" not in config
    assert drawn[0]["hide_index"] is True
