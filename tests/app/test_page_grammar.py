"""Every lesson page with its sliders at their least (where counts of 1 appear: one hidden layer,
one epoch, one feature): no text on the page, chart titles and refusals included, counts 1 in the
plural. The claims harness checks each lesson's facts for it (tests/claims.py ONE_IN_PLURAL);
audit pass 56 found it outside the facts: "Sigmoid, 1 hidden layers" and "Loss while training
(1 epochs of SGD)" in vanishing's chart titles, "With 1 features" in a trees refusal.

And at the sliders' least and at the defaults, no text, table cell or chart text (a tooltip, a
text mark) prints the ASCII hyphen for a minus sign beside the sentences' "−" (audit passes 56
and 57 found it in tables, tooltips and heatmap labels)."""

import re

import pytest

from tests.app.conftest import number_or_label, open_page, sidebar_sliders, specs
from tests.claims import ASCII_MINUS, ONE_IN_PLURAL, misprinted_estimate
from tests.tooltips import _frames
from tests.ui.specs import axis_titles, joined_title, nodes
from ui.charts import TITLE_CHARS
from ui.pages import LESSONS

PAGES = [lesson.path for lesson in LESSONS if lesson.is_lesson]
TEXTS = ("markdown", "caption", "info", "warning", "error", "success", "latex")


def _least(widget):
    options = getattr(widget, "options", None)
    least = options[0] if options else widget.min
    if isinstance(widget.value, tuple):  # a range: both ends at the least it allows
        return (least, least)
    if isinstance(widget.value, (int, float)) and isinstance(least, str):
        return number_or_label(least, type(widget.value))
    return least


def page_texts(at) -> list[str]:
    """Every text on the page a reader sees: text elements, metrics, chart titles (with their
    subtitles) and axis titles."""
    texts = [e.value for kind in TEXTS for e in at.get(kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    for spec in specs(at):
        title = joined_title(spec.get("title")) or ""
        if isinstance(title, dict):
            subtitle = title.get("subtitle", "")
            title = " ".join(
                [title.get("text", ""), *([subtitle] if isinstance(subtitle, str) else subtitle)]
            )
        texts += [title, *axis_titles(spec)]
    return [str(t) for t in texts]


@pytest.fixture(scope="module")
def at_least():
    """Each lesson page with its sliders at their least, opened once for this module's tests."""
    pages = {}

    def open_at_least(path):
        if path not in pages:
            at = open_page(path, timeout=120)
            for _ in range(2):  # a slider's range may follow another's value
                for widget in sidebar_sliders(at):
                    try:
                        widget.set_value(_least(widget))
                    except (ValueError, TypeError):  # a range whose two ends may not meet
                        continue
                at.run()
            assert not at.exception, at.exception
            pages[path] = at
        return pages[path]

    return open_at_least


@pytest.mark.parametrize("path", PAGES)
def test_no_text_at_the_sliders_least_counts_one_in_the_plural(path, at_least):
    at = at_least(path)
    found = [(t, m.group(0)) for t in page_texts(at) if (m := ONE_IN_PLURAL.search(t))]
    assert not found, found


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_title_line_fits_a_phone(path, at_least):
    """Vega-Lite cuts a title it cannot fit with "…" and never wraps it: every chart title's
    lines are at most ui.charts.TITLE_CHARS long (trees' facet charts set their titles outside
    ``finish`` and were cut on a 390 px phone: "Random forest (scikit-learn): decision boundary
    by dep…")."""
    long = []
    for spec in specs(at_least(path)):
        title = spec.get("title")
        text = title.get("text") if isinstance(title, dict) else title
        lines = text if isinstance(text, list) else [text or ""]
        long += [line for line in lines if len(line) > TITLE_CHARS]
    assert not long, long


# LaTeX math: KaTeX sets "-" in math as the minus sign itself.
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)


def printed_fields(spec) -> set[str]:
    """The fields a chart's tooltips and text marks print."""
    fields = set()
    for node in nodes(spec):
        encoding = node.get("encoding") if isinstance(node.get("encoding"), dict) else {}
        for channel in ("tooltip", "text"):
            entries = encoding.get(channel)
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict) and isinstance(entry.get("field"), str):
                    fields.add(entry["field"])
    return fields


def shown_texts(at) -> list[str]:
    """Every text of the page outside LaTeX math, every table's text cells, and every string a
    chart prints (its tooltip and text fields' values)."""
    texts = [_MATH.sub(" ", t) for t in page_texts(at)]
    for frame in (df.value for df in at.dataframe):
        texts += [c for column in frame.columns for c in frame[column] if isinstance(c, str)]
    for chart, spec in zip(at.get("vega_lite_chart"), specs(at), strict=True):
        fields = printed_fields(spec)
        for rows in _frames(chart.proto).values():
            texts += [row[f] for row in rows for f in fields if isinstance(row.get(f), str)]
    return texts


@pytest.fixture(scope="module")
def at_defaults():
    """Each lesson page at its defaults, opened once for this module's tests."""
    pages = {}

    def open_at_defaults(path):
        if path not in pages:
            pages[path] = open_page(path, timeout=120)
            assert not pages[path].exception, pages[path].exception
        return pages[path]

    return open_at_defaults


@pytest.mark.parametrize("where", ["least", "defaults"])
@pytest.mark.parametrize("path", PAGES)
def test_no_text_prints_a_hyphen_for_a_minus_sign(path, where, at_least, at_defaults):
    at = at_least(path) if where == "least" else at_defaults(path)
    found = [
        t[max(0, m.start() - 30) : m.end() + 12]
        for t in shown_texts(at)
        if (m := ASCII_MINUS.search(t))
    ]
    assert not found, sorted(set(found))[:10]


@pytest.mark.parametrize("where", ["least", "defaults"])
@pytest.mark.parametrize("path", PAGES)
def test_every_mean_and_standard_error_prints_as_estimate(path, where, at_least, at_defaults):
    """A "mean ± SE" anywhere on the page (sentences, captions, table cells, tooltips) reads as
    core.facts.estimate prints it (tests.claims.misprinted_estimate): the SE at 2 significant
    digits, the mean to its last decimal at least (passes 61–69 found SEs at one, four and five
    digits and means short of their SE, in chart tooltips and sentences outside the facts the
    claims harness checks)."""
    at = at_least(path) if where == "least" else at_defaults(path)
    found = {bad for t in shown_texts(at) if (bad := misprinted_estimate(t))}
    assert not found, sorted(found)[:10]
