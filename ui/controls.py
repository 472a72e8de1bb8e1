"""Sidebar widgets bound to the URL: each helper draws one control and returns its value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st

BIND = "query-params"


def log_options(low: float, high: float, mantissas=(1, 1.5, 2, 3, 5, 7)) -> list[float]:
    """Round, log-spaced values from ``low`` to ``high`` (1, 1.5, 2, 3, 5, 7 per decade)."""
    values = []
    for exponent in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1):
        for m in mantissas:
            v = float(f"{m * 10.0**exponent:.3g}")
            if low * (1 - 1e-9) <= v <= high * (1 + 1e-9):
                values.append(v)
    return values


def nearest(options: Sequence[float], value: float) -> float:
    """The option closest to ``value`` on a log scale (so a default always matches an option)."""
    return min(options, key=lambda o: abs(np.log(o) - np.log(value)))


def slider(
    label: str,
    *,
    key: str,
    min_value,
    max_value,
    value,
    step=None,
    help: str,
    format: str | None = None,
):
    """A URL-bound slider (ints or floats)."""
    return st.slider(
        label,
        min_value=min_value,
        max_value=max_value,
        value=value,
        step=step,
        format=format,
        key=key,
        help=help,
        bind=BIND,
    )


def log_slider(
    label: str,
    *,
    key: str,
    options: Sequence[float],
    value: float,
    help: str,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
):
    """A URL-bound select slider over log-spaced values (learning rates, regularization strengths)."""
    options = list(options)
    return st.select_slider(
        label,
        options=options,
        value=nearest(options, value),
        format_func=fmt,
        key=key,
        help=help,
        bind=BIND,
    )


def choice_slider(label: str, *, key: str, options: Sequence, value, help: str, fmt=str):
    """A URL-bound select slider over a short list of discrete values (batch sizes, depths)."""
    return st.select_slider(
        label, options=list(options), value=value, format_func=fmt, key=key, help=help, bind=BIND
    )


def select(label: str, *, key: str, options: Sequence, value, help: str, fmt=str):
    """A URL-bound selectbox."""
    options = list(options)
    return st.selectbox(
        label, options, index=options.index(value), format_func=fmt, key=key, help=help, bind=BIND
    )


def radio(label: str, *, key: str, options: Sequence, value, help: str, fmt=str, horizontal=True):
    """A URL-bound radio group."""
    options = list(options)
    return st.radio(
        label,
        options,
        index=options.index(value),
        format_func=fmt,
        key=key,
        help=help,
        horizontal=horizontal,
        bind=BIND,
    )


def number(label: str, *, key: str, min_value: int, max_value: int, value: int, help: str):
    """A URL-bound integer input (seeds)."""
    return st.number_input(
        label,
        min_value=min_value,
        max_value=max_value,
        value=value,
        step=1,
        key=key,
        help=help,
        bind=BIND,
    )


def presets(scenarios: dict[str, tuple[str, dict]]) -> None:
    """One button per named scenario; a click sets the controls before they are drawn.

    ``scenarios`` maps a name to (what to look for, {widget key: value}).
    """

    def apply(values: dict) -> None:
        for key, val in values.items():
            st.session_state[key] = val

    st.sidebar.subheader("Presets")
    for name, (hint, values) in scenarios.items():
        st.sidebar.button(
            name, help=hint, on_click=apply, args=(values,), key=f"preset_{name}", width="stretch"
        )
