"""The blocks every lesson shares: the question, predict-then-run, what to notice, the model answer."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import streamlit as st

from core.facts import (
    ANSWER,
    NOTICE,
    WARNING,
    Fact,
    Prediction,
    agrees,
    in_slot,
    minus,
    num,
    up_below,
)
from core.gradcheck import AGREE, AGREE_BELOW
from ui import polls
from ui.charts import to_spec
from ui.charts.signs import signed_texts
from ui.classroom import PRESENTER_CHART_CONFIG, current_page, link_flag, presenting
from ui.pages import LESSONS

LESSON_BY_URL = {lesson.url_path: lesson for lesson in LESSONS}

# Chart specs kept by chart(Cached(...)): a few pages' worth of settings, bounded in entries and
# in bytes (a spec with its data pickles to 50 KB to 1 MB).
CACHED_CHARTS = 64
CACHED_CHART_BYTES = "32MB"
# Streamlit's cache hashes DataFrames below this many rows in full (larger ones from a sample).
HASHED_WHOLE_ROWS = 50_000


def header(title: str | None = None, question: str | None = None) -> None:
    """The page title and the interview question as a one-line callout.

    Without arguments both come from the lesson registry (``ui.pages``), for the page this run
    draws, so the navigation, the home grid and the page say the same thing.
    """
    if title is None or question is None:
        lesson = LESSON_BY_URL[current_page()]
        title, question = title or lesson.title, question or lesson.question
    st.title(title)
    st.info(f"**Interview question:** {question}", icon=":material/record_voice_over:")


# Session key (+ the page's key) set by predict when the choice is a class's most common answer.
_CLASS_CHOICE = "_lab_class_choice_"


def predict(prediction: Prediction, key: str | None = None) -> str | None:
    """'Predict, then run': the learner commits to an answer before the result is shown.

    ``prediction`` is a lesson's :class:`core.facts.Prediction`. Until a choice is made, the page
    stops here (its results stay hidden) and offers "Skip, just show me"; a link with
    ``?reveal=1`` (an instructor's projector) or a skip shows the results without a choice.
    Returns the choice, or None when skipped. In a class session (``ui.polls``) a poll on this
    lesson takes the prediction's place: the host's answers histogram, a student's answer form.
    """
    key = key or current_page() or "lesson"
    polled, choice = polls.lesson_poll(prediction, current_page())
    # the host's choice is the class's most common answer: reveal_answer says so
    st.session_state[f"{_CLASS_CHOICE}{key}"] = polled and polls.hosting()
    if polled:  # in a class: the poll takes the prediction's place
        return choice
    with st.container(border=True):
        st.markdown(f"**Predict, then run.** {prediction.prompt}")
        choice = st.radio(
            prediction.prompt,
            list(prediction.options),
            index=None,
            key=f"predict_{key}",
            horizontal=True,
            label_visibility="collapsed",
        )
        if prediction.estimate is not None:
            _estimate_input(prediction.estimate, key)
        # read as every link flag is (ui.classroom.link_flag): ?reveal=True and ?reveal=on hid
        # the results unsaid (audit pass 62 g)
        skipped = st.session_state.get(f"_lab_skip_{key}") or link_flag("reveal")
        if choice is None and not skipped:
            st.caption("Commit to an answer to run the experiment and see the result.")
            st.button(
                "Skip, just show me",
                key=f"_lab_skip_button_{key}",
                on_click=st.session_state.__setitem__,
                args=(f"_lab_skip_{key}", True),
                icon=":material/visibility:",
            )
            st.stop()
    return choice


def _estimate_input(estimate, key: str) -> None:
    """The optional number typed with a prediction (:func:`reveal_answer` grades it)."""
    st.number_input(
        estimate.prompt,
        min_value=float(estimate.low),
        max_value=float(estimate.high),
        value=None,
        format="%g",  # plain-format: the widget's own value, as typed
        key=f"estimate_{key}",
    )
    st.caption(f"A typed number is graded {estimate.rule}.")


def _page_estimate():
    """The Estimate of this lesson's PREDICTION (found through the registry), or None."""
    lesson = LESSON_BY_URL.get(current_page() or "")
    if lesson is None or not lesson.is_lesson:
        return None
    module = importlib.import_module(f"core.experiments.{lesson.experiment}")
    return getattr(getattr(module, "PREDICTION", None), "estimate", None)


def reveal_answer(choice: str | None, facts: Sequence[Fact], key: str | None = None) -> None:
    """Whether the prediction held, from the run's answer fact (its values['answer']), and how
    close a typed estimate came to the run's value (``Estimate.grade``)."""
    answer = next((f for f in facts if f.slot == ANSWER), None)
    if answer is None:
        return
    actual = answer.values["answer"]
    # an exact tie has several right options (values['answers']): any of them held
    accepted = tuple(answer.values.get("answers", ())) or (actual,)
    if len(accepted) > 1:
        actual = f"{' or '.join(accepted)} (tied)"
    key = key or current_page() or "lesson"
    # a class's host predicted nothing: its choice is the class's most common answer (pass 43:
    # "Your prediction held" on the projector, said of the answer 2 of 3 students chose)
    whose = (
        f"The class's most common answer, **{choice}**,"
        if st.session_state.get(f"{_CLASS_CHOICE}{key}")
        else None
    )
    if choice is None:
        st.info(f"This run's answer: **{actual}**. {answer.text}", icon=":material/lightbulb:")
    elif choice == actual or choice in accepted:
        held = f"{whose} held." if whose else "Your prediction held."
        st.success(f"{held} {answer.text}", icon=":material/check_circle:")
    elif whose:
        st.warning(f"{whose} did not hold: {answer.text}", icon=":material/lightbulb:")
    else:
        st.warning(f"Not {choice}: {answer.text}", icon=":material/lightbulb:")
    estimate = _page_estimate()
    typed = st.session_state.get(f"estimate_{key}")
    if estimate is None or typed is None or estimate.key not in answer.values:
        return
    value = float(answer.values[estimate.key])
    typed = float(typed)
    grade = estimate.grade(typed, value)
    # the learner's number as typed (not rounded to 6 digits), and the run's value through num
    # (never a whole number it is not: 0.999997 is not "1") with digits added until the verdict
    # follows from the printed numbers too (0.855819 typed against 0.95585 is not within ±0.1,
    # but against a printed "0.9558" it would be)
    typed_text = next(
        (num(typed, d) for d in range(6, 18) if float(num(typed, d)) == typed), num(typed, 17)
    )
    # with at least the digits the answer prints it with: the answer keeps it on its side of
    # the prediction's category edges, and 4 digits crossed one (attention, d_k up to 16, 4
    # keys, 100 draws, σ = 0.5, seed 362: "averages 0.49996" under the answer "under 0.5",
    # then "the run's value 0.5"; audit pass 48 e)
    value_text = next(
        (
            num(value, d)
            for d in range(max(4, answer_digits(answer.text, value)), 18)
            if grade is None or estimate.grade(typed, float(num(value, d))) == grade
        ),
        num(value, 17),
    )
    said = f"Your estimate {typed_text}{estimate.unit}; "
    said += f"the run's value {value_text}{estimate.unit}"
    # the answer above may print the value rounded to a figure that would get the other verdict
    # (attention: "averages 0.956" for 0.95585; a typed 0.85595 is within 0.1 of the value, not
    # of 0.956): name that figure as the rounding it is
    rounded = None if grade is None else _misleading_rounding(answer.text, estimate, typed, value)
    note = (
        f" (The answer above rounds it to {rounded}{estimate.unit}; the grade uses the value "
        "itself.)"
        if rounded
        else ""
    )
    if grade is None:
        st.info(f"{said}: this run has no finite value to grade against.")
    elif grade:
        st.success(f"{said}: {estimate.rule}, so it counts.{note}", icon=":material/check_circle:")
    else:
        st.warning(f"{said}: not {estimate.rule}.{note}", icon=":material/lightbulb:")


# A number as a sentence prints it: "0.956", "-3.1", "2.4e-05" (not a digit of "1,354" or "W1").
_NUMBER = re.compile(r"(?<![\w.,])[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.,]*\d)")


def roundings(text: str, value: float) -> list[str]:
    """The numbers in ``text`` that are ``value`` rounded: a fraction printed to its last digit
    ("0.956" for 0.95585). Whole numbers are left out: core.facts never prints a fraction as one,
    so a "1" or "512" in a sentence is another quantity."""
    out = []
    for token in _NUMBER.findall(text):
        shown = token.replace("−", "-")
        fraction = "." in shown or "e" in shown
        if fraction and float(shown) != value and agrees(shown, Decimal(repr(value))):
            out.append(token)
    return out


def answer_digits(text: str, value: float) -> int:
    """The most significant digits with which ``text`` prints ``value`` (the value itself or a
    rounding of it, a fraction: :func:`roundings`' tokens and the exact one), or 0."""
    digits = 0
    for token in _NUMBER.findall(text):
        shown = token.replace("−", "-")
        if ("." in shown or "e" in shown) and agrees(shown, Decimal(repr(value))):
            digits = max(digits, len(Decimal(shown).as_tuple().digits))
    return digits


def _misleading_rounding(text: str, estimate, typed: float, value: float) -> str | None:
    """A number in ``text`` that is ``value`` rounded (:func:`roundings`) on which the typed
    estimate would get the other grade, or None."""
    grade = estimate.grade(typed, value)
    return next(
        (
            t
            for t in roundings(text, value)
            if estimate.grade(typed, float(t.replace("−", "-"))) != grade
        ),
        None,
    )


def warnings(facts: Sequence[Fact], slot: str = WARNING) -> None:
    """The run's warnings (a diverged run, a refused part), above the charts; or the facts of
    another ``slot`` a page shows as warnings."""
    for fact in in_slot(facts, slot):
        st.warning(fact.text, icon=":material/warning:")


def captions(facts: Sequence[Fact], slot: str) -> None:
    """The facts a page places under one chart."""
    for fact in in_slot(facts, slot):
        st.caption(fact.text)


def paragraphs(facts: Sequence[Fact], slot: str) -> None:
    """The facts a page places in its text (beside a chart, under a heading)."""
    for fact in in_slot(facts, slot):
        st.markdown(fact.text)


# A cell of printed numbers: "0.304", "−1.0072e-05", "12,800", "6.3 %" (core.facts' texts).
_NUMBER_TEXT = re.compile(r"^[−-]?[\d,]*\.?\d+(e[+-]?\d+)?( ?%)?$")


def number_columns(frame: pd.DataFrame) -> list[str]:
    """The text columns of ``frame`` whose every cell (blanks and "—" aside) is a printed number:
    a table shows them right-aligned, as it shows its numeric columns."""
    columns = []
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            continue
        cells = [c for c in frame[column] if isinstance(c, str) and c not in ("", "—")]
        if cells and all(_NUMBER_TEXT.match(c) for c in cells):
            columns.append(column)
    return columns


def _signed(cell):
    """A printed number's sign as the minus sign (a blank or "—" as it is)."""
    return minus(cell) if isinstance(cell, str) else cell


def table(frame: pd.DataFrame, *, column_config: dict | None = None, **kwargs) -> None:
    """``frame`` as a table (``st.dataframe``, no index, full width): numbers printed as text
    (core.facts, never Streamlit's float format) are right-aligned like the numeric columns; every
    printed negative number, in any text cell ("−(1 − 1e-09)" too), with the minus sign "−" as the
    page's sentences print it.
    ``column_config`` labels (a string) or configures columns as for ``st.dataframe``."""
    config = dict(column_config or {})
    texts = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    frame = frame.assign(**{c: frame[c].map(_signed) for c in texts})
    for column in number_columns(frame):
        given = config.get(column)
        if given is None or isinstance(given, str):
            config[column] = st.column_config.TextColumn(given, alignment="right")
        elif isinstance(given, dict) and not given.get("alignment"):
            config[column] = {**given, "alignment": "right"}
    st.dataframe(
        frame,
        hide_index=kwargs.pop("hide_index", True),
        width=kwargs.pop("width", "stretch"),
        column_config=config,
        **kwargs,
    )


def gradient_check(
    check: pd.DataFrame,
    entry: str,
    *,
    value=lambda v: num(v, 6),
    agree_below: float = AGREE_BELOW,
    **kwargs,
) -> None:
    """A gradient check's table: per checked ``entry`` (a weight, a tensor's entry), backprop's
    derivative against the central difference, their relative error and the verdict
    (``kwargs`` go to ``st.dataframe``).

    Printed as text: ``value`` prints the two derivatives (6 significant digits, never a fraction
    as a whole number: a central difference of −2.0000000000131 beside backprop's exact −2 is not
    "-2", or the two would print alike beside a relative error of 3.3e-12), and an error under
    ``agree_below`` (the verdict's bar) never prints as the bar itself (9.96e-07 is not "1.0e-06").
    """
    error = [
        up_below(e, agree_below) if verdict == AGREE and e < agree_below else num(e, 2)
        for e, verdict in zip(check["rel_error"], check["verdict"], strict=True)
    ]
    table(
        check[[entry, "backprop", "central_difference", "rel_error", "verdict"]].assign(
            backprop=check["backprop"].map(value),
            central_difference=check["central_difference"].map(value),
            rel_error=error,
        ),
        column_config={
            "backprop": "backprop ∂L/∂w",
            "central_difference": "(L(w+h) − L(w−h)) / 2h",
            "rel_error": "relative error",
        },
        **kwargs,
    )


def notice_facts(facts: Sequence[Fact]) -> None:
    """'What to notice': the run's notice facts."""
    notice([f.text for f in in_slot(facts, NOTICE)])


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


class Cached:
    """A chart factory call, ``Cached(factory, *args, **kwargs)``, for :func:`chart` to memoize.

    ``chart`` keeps the Vega-Lite spec of ``factory(*args, **kwargs)`` per factory and hashed
    arguments (``st.cache_resource``: DataFrames hash by content), so a rerun that draws the same
    chart skips building it in Altair and converting it, which is most of a warm rerun on pages
    with many charts. The factory must be pure: its output depends only on its arguments.
    Streamlit hashes a DataFrame of 50,000 rows or more from a sample, so such a call is drawn
    uncached (a chart should not send that many rows anyway).
    """

    __slots__ = ("args", "factory", "kwargs")

    def __init__(self, factory, *args, **kwargs):
        self.factory, self.args, self.kwargs = factory, args, kwargs

    @property
    def name(self) -> str:
        """The factory's module, qualified name and first line (two lambdas never collide)."""
        f = self.factory
        code = getattr(f, "__code__", None)
        where = f":{code.co_firstlineno}" if code is not None else ""
        return f"{getattr(f, '__module__', '')}.{getattr(f, '__qualname__', repr(f))}{where}"

    def build(self):
        return self.factory(*self.args, **self.kwargs)

    @property
    def hashable(self) -> bool:
        """True when Streamlit hashes every argument by its whole content."""
        frames = [a for a in (*self.args, *self.kwargs.values()) if isinstance(a, pd.DataFrame)]
        return all(len(f) < HASHED_WHOLE_ROWS for f in frames)


@st.cache_data(max_entries=CACHED_CHARTS, max_size=CACHED_CHART_BYTES, show_spinner=False)
def _spec_of(name: str, args: tuple, kwargs: dict, _build) -> dict:
    """The Vega-Lite dict of a chart (``ui.charts.to_spec``); each call gets its own copy."""
    return to_spec(_build())


def cached_spec(key: tuple, build) -> dict:
    """The Vega-Lite dict of ``build()`` (an Altair chart), kept per ``key``.

    The same shared store as ``chart(Cached(...))``, for a page that changes a spec before
    drawing it (the optimizers page sets the step its charts show). ``key`` must hold everything
    the chart depends on; each call gets its own copy of the dict.
    """
    return _spec_of("cached_spec", key, {}, build)


def chart(altair_chart, *, cache_key: tuple | None = None, datasets: dict | None = None, **kwargs):
    """Draw a chart at container width, with presenter-mode fonts when presenting.

    Every chart of a page goes through here, as a Vega-Lite dict to ``st.vega_lite_chart``
    (``kwargs`` go there too, e.g. ``key``, ``on_select``). ``altair_chart`` is an Altair chart,
    a :class:`Cached` factory call (its spec is kept per arguments), or a spec dict already built
    (from :func:`cached_spec`); ``cache_key`` keeps an Altair chart's spec under that key.

    ``datasets`` ({name: DataFrame}) fill the chart's named data (``alt.NamedData``): the small
    moving parts of a chart whose cached spec stays the same (a step's positions). The browser
    then swaps those rows in place instead of drawing the chart anew.
    """
    kwargs.setdefault("width", "stretch")
    if isinstance(altair_chart, Cached) and not altair_chart.hashable:
        altair_chart = altair_chart.build()
    if isinstance(altair_chart, dict):
        spec = altair_chart
    elif isinstance(altair_chart, Cached):
        spec = _spec_of(
            altair_chart.name, altair_chart.args, altair_chart.kwargs, altair_chart.build
        )
    elif cache_key is not None:
        spec = cached_spec(cache_key, lambda: altair_chart)
    else:
        spec = to_spec(altair_chart)
    if datasets:
        tables = {k: pa.Table.from_pandas(v, preserve_index=False) for k, v in datasets.items()}
        spec = signed_texts({**spec, "datasets": {**spec.get("datasets", {}), **tables}}, tables)
    if presenting():
        spec = {**spec, "config": {**spec.get("config", {}), **PRESENTER_CHART_CONFIG}}
    if dark_theme():
        spec = on_dark(spec)
    return st.vega_lite_chart(spec, **kwargs)


def in_columns(items: Iterable, per_row: int, *, gap: str = "small") -> Iterator[tuple]:
    """Each item with the column to draw it in: rows of ``per_row`` equal columns (a short last
    row leaves its last columns empty, so every cell has the same width)."""
    items = list(items)
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        yield from zip(st.columns(per_row, gap=gap), row, strict=False)


def side_by_side(*charts, gap: str = "medium", **kwargs) -> None:
    """Charts in one row of equal columns, each through :func:`chart` (with ``kwargs``)."""
    for column, one in in_columns(charts, len(charts), gap=gap):
        with column:
            chart(one, **kwargs)


# The palette's black (lines, markers, text marks) would vanish on a dark background.
DARK_SWAPS = {"#000000": "#E6E9EF", "black": "#E6E9EF"}


def dark_theme() -> bool:
    """True when the visitor's browser shows the app's dark theme."""
    theme = st.context.theme
    return getattr(theme, "type", None) == "dark"


def on_dark(spec):
    """The spec with the palette's black drawn light (data tables are left as they are)."""
    if isinstance(spec, dict):
        return {k: v if k == "datasets" else on_dark(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [on_dark(v) for v in spec]
    if isinstance(spec, str):
        return DARK_SWAPS.get(spec, spec)
    return spec


def model_answer(
    answer, *, formulas: Sequence[str] = (), pitfalls: Sequence[str] = (), expanded=False
) -> None:
    """The interview-ready answer, its formulas in LaTeX, and the common mistakes to avoid.

    ``answer`` is the text, or a lesson's :class:`core.facts.ModelAnswer`.
    """
    if not isinstance(answer, str):
        answer, formulas, pitfalls = answer.answer, answer.formulas, answer.pitfalls
    with st.expander("Model answer", icon=":material/school:", expanded=expanded):
        st.markdown(answer)
        for formula in formulas:
            st.latex(formula)
        if pitfalls:
            st.markdown("**Pitfalls**")
            st.markdown("\n".join(f"- {p}" for p in pitfalls))


def neighbours() -> None:
    """Links to the previous and the next lesson, in the registry's order (after the export)."""
    order = [lesson.url_path for lesson in LESSONS]
    here = current_page()
    if here not in order:
        return
    i = order.index(here)
    before, after = st.columns(2)
    if i > 0:
        prev = LESSONS[i - 1]
        before.page_link(prev.path, label=f"Previous: {prev.title}", icon=":material/arrow_back:")
    if i + 1 < len(LESSONS):
        nxt = LESSONS[i + 1]
        after.page_link(nxt.path, label=f"Next: {nxt.title}", icon=":material/arrow_forward:")
