"""Sidebar widgets bound to the URL: each helper draws one control and returns its value."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st

from ui.classroom import register_widget

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
    register_widget(key, value)
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
    default = nearest(options, value)
    register_widget(key, default, fmt(default))
    return st.select_slider(
        label,
        options=options,
        value=default,
        format_func=fmt,
        key=key,
        help=help,
        bind=BIND,
    )


def choice_slider(label: str, *, key: str, options: Sequence, value, help: str, fmt=str):
    """A URL-bound select slider over a short list of discrete values (batch sizes, depths)."""
    register_widget(key, value, fmt(value))
    return st.select_slider(
        label, options=list(options), value=value, format_func=fmt, key=key, help=help, bind=BIND
    )


def select(label: str, *, key: str, options: Sequence, value, help: str, fmt=str):
    """A URL-bound selectbox."""
    register_widget(key, value, fmt(value))
    options = list(options)
    return st.selectbox(
        label, options, index=options.index(value), format_func=fmt, key=key, help=help, bind=BIND
    )


def radio(label: str, *, key: str, options: Sequence, value, help: str, fmt=str, horizontal=True):
    """A URL-bound radio group."""
    register_widget(key, value, fmt(value))
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
    """An integer input (seeds) kept in the URL.

    Bound by hand rather than with ``bind=``: Streamlit 1.67 fails on a bound integer input
    whose link says ``?seed=inf`` (it converts the parsed float to int). A value in the link
    that is not a whole number in range is dropped, and the page reports it as ignored.
    """
    register_widget(key, value, bound=False)
    raw = st.query_params.get(key)
    valid = raw is not None and _int_in_range(raw, min_value, max_value)
    if raw is not None and not valid:
        del st.query_params[key]
    if key not in st.session_state:  # first drawn in this session: the link decides
        st.session_state[key] = int(raw) if valid else value
    chosen = st.number_input(
        label, min_value=min_value, max_value=max_value, step=1, key=key, help=help
    )
    if chosen == value:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(chosen):
        st.query_params[key] = str(chosen)
    return chosen


def _int_in_range(text: str, low: int, high: int) -> bool:
    try:
        number = int(text.strip())
    except ValueError:
        return False
    return low <= number <= high


def slug(name: str) -> str:
    """The URL form of a preset name: ``SGD's noise floor`` -> ``sgds-noise-floor``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def presets(scenarios: dict[str, tuple[str, dict]]) -> None:
    """One button per named scenario; a click (or ``?preset=<slug>`` in a link) sets the controls.

    ``scenarios`` maps a name to (what to look for, {widget key: value}). Called before the
    widgets are drawn, so the values land in ``st.session_state`` first.
    """

    def apply(name: str) -> None:
        for key, val in scenarios[name][1].items():
            st.session_state[key] = val
        st.session_state["_lab_preset"] = name

    requested = st.query_params.get("preset")
    if requested and st.session_state.get("_lab_preset_from_url") != requested:
        st.session_state["_lab_preset_from_url"] = requested
        match = next((n for n in scenarios if slug(n) == requested), None)
        if match is not None:
            apply(match)

    st.sidebar.subheader("Presets")
    for name, (hint, _values) in scenarios.items():
        st.sidebar.button(
            name,
            help=hint,
            on_click=apply,
            args=(name,),
            key=f"preset_{slug(name)}",
            width="stretch",
        )
    active = st.session_state.get("_lab_preset")
    if active in scenarios:
        st.sidebar.info(f"**{active}:** {scenarios[active][0]}", icon=":material/visibility:")
