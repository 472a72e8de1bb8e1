"""The blocks every lesson shares: the question, predict-then-run, what to notice, the model answer."""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence

import streamlit as st

from ui.classroom import for_screen, presenting


def header(title: str, question: str) -> None:
    """The page title and the interview question as a one-line callout."""
    st.title(title)
    st.info(f"**Interview question:** {question}", icon=":material/record_voice_over:")


def predict(key: str, prompt: str, options: Sequence[str]) -> str | None:
    """Ask the learner to commit to an answer before the explanation; returns the choice or None."""
    with st.container(border=True):
        st.markdown(f"**Predict, then run.** {prompt}")
        return st.radio(
            prompt,
            list(options),
            index=None,
            key=f"predict_{key}",
            horizontal=True,
            label_visibility="collapsed",
        )


def reveal(choice: str | None, actual: str, because: str) -> None:
    """Say whether the prediction held, using the outcome computed by this run."""
    if choice is None:
        st.caption("Pick a prediction above to check it against this run.")
    elif choice == actual:
        st.success(f"Your prediction held: **{actual}**. {because}", icon=":material/check_circle:")
    else:
        st.warning(
            f"This run says **{actual}**, not {choice}. {because}", icon=":material/lightbulb:"
        )


def notice(sentences: Sequence[str]) -> None:
    """'What to notice': sentences computed from this run's numbers (folded in presenter mode)."""
    text = "\n".join(f"- {s}" for s in sentences)
    if presenting():
        with st.expander("What to notice", icon=":material/visibility:"):
            st.markdown(text)
        return
    st.subheader("What to notice")
    st.markdown(text)


def chart(altair_chart, **kwargs):
    """Draw an Altair chart at container width, with presenter-mode fonts when presenting.

    Every chart of a page goes through here (``kwargs`` go to ``st.altair_chart``, e.g. ``width``,
    ``key``, ``on_select``); the spec is sent without a second JSON-schema validation (see
    ``unvalidated``).
    """
    kwargs.setdefault("width", "stretch")
    return st.altair_chart(unvalidated(for_screen(altair_chart)), **kwargs)


def unvalidated(altair_chart):
    """The chart whose ``to_dict()`` skips the JSON-schema validation, for ``st.altair_chart``.

    ``st.altair_chart`` serializes with ``chart.to_dict()``, which validates the whole spec against
    the Vega-Lite schema again: 3-6 ms a chart, a fifth of a warm rerun on chart-heavy pages.
    Neither Altair 6.3 nor Streamlit 1.67 has a switch for this, so the instance gets a
    ``to_dict`` with ``validate=False`` bound (``SchemaBase`` overrides ``__setattr__`` to store
    schema properties, hence ``object.__setattr__``). The spec is unchanged: tests/ui validate
    every factory's chart and check that Streamlit receives the same spec as the validated path.
    ``copy.copy`` (a few microseconds, unlike ``chart.copy()``) keeps charts shared through
    ``st.cache_resource`` untouched; Streamlit only reads the copy.
    """
    shallow = copy.copy(altair_chart)
    object.__setattr__(
        shallow, "to_dict", functools.partial(type(shallow).to_dict, shallow, validate=False)
    )
    return shallow


def model_answer(
    answer: str, *, formulas: Sequence[str] = (), pitfalls: Sequence[str] = (), expanded=False
) -> None:
    """The interview-ready answer, its formulas in LaTeX, and the common mistakes to avoid."""
    with st.expander("Model answer", icon=":material/school:", expanded=expanded):
        st.markdown(answer)
        for formula in formulas:
            st.latex(formula)
        if pitfalls:
            st.markdown("**Pitfalls**")
            st.markdown("\n".join(f"- {p}" for p in pitfalls))
