"""The blocks every lesson shares: the question, predict-then-run, what to notice, the model answer."""

from __future__ import annotations

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
    """Draw an Altair chart at container width, with presenter-mode fonts when presenting."""
    kwargs.setdefault("width", "stretch")
    return st.altair_chart(for_screen(altair_chart), **kwargs)


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
