"""The loss-functions page: the textbook numbers rendered live, presets, the prediction check."""

import numpy as np
import pytest

from core.experiments import loss_functions as lf
from core.facts import num
from core.losses import softmax
from tests.app.conftest import chart_rows, open_page, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Logit z1", "z1", "End")

PAGE = "app_pages/loss_functions.py"
PREDICT = "predict_loss_functions"


@pytest.fixture
def at():
    app = open_page(PAGE)
    assert not app.exception and not app.error
    return app


def _metrics(at):
    return {m.proto.label: m.value for m in at.metric}


def _printed_p(at, label: str) -> str:
    """A class's p as the page prints it in full: its metric's value, or where that is cut to
    three digits ("p ≈ 2.06e-09", "p ≈ 1 − 4e-09") the digits its help gives."""
    (metric,) = [m for m in at.metric if m.proto.label == label]
    if metric.value.startswith("p ≈ "):
        return metric.proto.help.rpartition("; p = ")[2]
    return metric.value.removeprefix("p = ")


def test_textbook_numbers_and_the_named_mistake_are_on_the_page(at):
    values = list(_metrics(at).values())
    for number in ("0.105", "0.511", "0.357"):
        assert number in values
    assert len(at.get("vega_lite_chart")) >= 8
    # the diagonal-only mistake is named with this run's numbers
    text = " ".join(m.value for m in at.markdown)
    p = softmax(np.array(lf.Config().logits))
    assert f"zero gradient instead of +{num(p[1])} and +{num(p[2])}" in text


def test_textbook_preset_switches_to_probabilities(at):
    at.sidebar.button(key="preset_textbook-0-7-0-2-0-1").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="mode").value == "probabilities"
    assert at.sidebar.slider(key="p1").value == 0.7
    assert _metrics(at)["cross-entropy"] == "0.357"
    # the true class's probability is shown beside it
    assert _metrics(at)["class 1 (true)"] == "p = 0.700"


def test_moving_a_logit_changes_the_loss(at):
    before = float(_metrics(at)["cross-entropy"])
    at.sidebar.slider(key="z1").set_value(-5.0).run()
    after = float(_metrics(at)["cross-entropy"])
    assert after > before + 5.0  # the true class became a confident mistake


def test_prediction_is_checked_against_the_run():
    at = open_page(PAGE, reveal=False)
    at.radio(key=PREDICT).set_value("squared error").run()
    assert any(w.value.startswith("Not squared error:") for w in at.warning)
    at.radio(key=PREDICT).set_value("cross-entropy").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_the_accuracy_title_claims_nothing_the_run_contradicts():
    at = open_page(PAGE, query={"preset": "fair-start-z-0"})
    assert not at.exception
    assert "Accuracy: train (solid) and test (dashed)" in titles(at)
    text = " ".join(c.value for c in at.caption)
    assert "squared error reached 75% train accuracy later" in text


def test_old_links_keep_their_keys_and_values():
    query = {"mode": "probabilities", "p1": "0.5", "p2": "0.3", "p3": "0.2", "cls": "2"}
    at = open_page(PAGE, query={**query, "z0": "-2.5", "data": "circles", "lr": "0.3"})
    assert not at.exception and not at.error
    assert _metrics(at)["class 2 (true)"] == "p = 0.300"
    assert at.sidebar.slider(key="z0").value == -2.5
    assert at.sidebar.selectbox(key="data").value == "circles"
    logits = open_page(PAGE, query={"z1": "-3", "z2": "4", "z3": "1", "cls": "3"})
    assert _metrics(logits)["class 3 (true)"].startswith("p = ")
    assert [s.key for s in logits.sidebar.slider][:3] == ["z1", "z2", "z3"]


@pytest.mark.parametrize(
    "query",
    [
        {"z1": "0", "z2": "9", "z3": "0", "cls": "1"},  # p = 0.000123: the table printed 0.00012
        {"z1": "-2", "z2": "4", "z3": "1", "cls": "1"},  # Confidently wrong: 0.00236 gives 6.049
        {"z1": "10", "z2": "-10", "z3": "-10", "cls": "1"},  # p = 1 − 4.1e-09
        # audit pass 60 c: p = 2.0611536139e-09 printed 0.00000000206115361 (17 decimals, the
        # loop's end), whose −log is 20.000000006, beside a cross-entropy of 20.000000004
        {"z1": "-10", "z2": "-10", "z3": "10", "cls": "1"},
    ],
)
def test_the_class_tables_true_p_gives_the_loss_the_page_prints(query):
    """Audit pass 38 (b): at logits 0, 9, 0 (class 1 true) the class table printed the true
    class's p as 0.00012, whose −log is 9.028, beside a cross-entropy of 9.0002 (metric and
    sentence)."""
    import math

    from ui.charts.losses import loss_text

    at = open_page(PAGE, query=query)
    assert not at.exception
    table = at.dataframe[0].value
    cell = str(table["probability"].iloc[int(query["cls"]) - 1])
    implied = -math.log1p(-float(cell[4:])) if cell.startswith("1 − ") else -math.log(float(cell))
    assert loss_text(implied) == _metrics(at)["cross-entropy"], (cell, _metrics(at))


def _one_rounding(texts) -> bool:
    """Whether plain-number printings of one value read as roundings of one number: each finer
    one, rounded half up to a coarser one's decimals, gives that one."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    shown = []
    for text in texts:
        try:
            shown.append(Decimal(str(text).strip().lstrip("+").replace("−", "-")))
        except InvalidOperation:  # "1 − 2e-05", "-(1 − x)": written another way
            continue
    for a in shown:
        for b in shown:
            places = b.as_tuple().exponent
            if a.as_tuple().exponent < places and (
                a.quantize(Decimal(1).scaleb(places), ROUND_HALF_UP) != b
            ):
                return False
    return True


@pytest.mark.parametrize(
    "query",
    [
        # the loss: sentence "−log p = 2.95" beside the metric's 2.955
        {"z1": "-3.1", "z2": "-6", "z3": "-10", "cls": "2"},
        # the true class's p: sentence "p = 0.81525" and table 0.81525 beside the metric's 0.8152
        {"z1": "7.2", "z2": "3.5", "z3": "5.6", "cls": "1"},
        # a wrong class's p: the metric's 0.9995 beside the table's 0.99955 (class 3)
        {"z1": "-4.5", "z2": "0.8", "z3": "8.5", "cls": "1"},
        # a wrong class's p: the metric's 0.026 beside "+0.0265 (their p)" and a bar's +0.0265
        {"z1": "3.8", "z2": "0.2", "z3": "-1.4", "cls": "3"},
        # a Jacobian cell labelled −0.172 with a tooltip of −0.1725
        {"z1": "2.1", "z2": "6", "z3": "4.8", "cls": "1"},
        # audit pass 47 h: weights 0.01, 0.39, 0.4 give class 2 p = 0.4875, computed
        # 0.48749999999999993: the metric's 0.488 beside "+0.487 (their p)" and a bar's +0.487
        # (tooltip 0.4875)
        {"mode": "probabilities", "p1": "0.01", "p2": "0.39", "p3": "0.4", "cls": "3"},
    ],
)
def test_every_printing_of_a_p_and_the_loss_reads_as_one_rounding(query):
    """Audit pass 40 (a): the loss and each class's p were printed at 3 digits in one place and
    4 or 5 in another, the finer one a 5 that rounding up made (2.955 beside 2.95: a reader
    rounds 2.955 to 2.96). Every printing of the loss, of each p (metric, class table, sentences,
    the gradient bars, the −log p chart's marker) and of each Jacobian cell now reads as one
    rounding of one number."""
    import re

    at = open_page(PAGE, query=query)
    assert not at.exception
    metrics, table = _metrics(at), at.dataframe[0].value
    notes = "\n".join(m.value for m in at.markdown)
    true = int(query["cls"]) - 1
    sentence_p, sentence_loss = re.search(
        r"gets p = (\S+), so the loss is −log p = (\S+)\.", notes
    ).groups()
    marker = next(
        r for r in chart_rows(at, "Confident wrong")["data-1"] if r["point"] == "your scores"
    )
    assert _one_rounding([metrics["cross-entropy"], sentence_loss, marker["label"]])
    wrong = re.search(r"instead of \+(.+?) and \+(.+?) \(their p\)", notes).groups()
    bars = chart_rows(at, "Gradient on the logits")["data-0"]
    others = iter(wrong)
    for i in range(3):
        label = f"class {i + 1}" + (" (true)" if i == true else "")
        texts = [_printed_p(at, label), table["probability"].iloc[i]]
        if i == true:
            texts += [sentence_p, marker["p_text"]]
        else:
            texts += [next(others), table["gradient"].iloc[i]]
            texts += [
                r[k]
                for r in bars
                if r["class"] == f"class {i + 1}" and r["jacobian"].startswith("full")
                for k in ("label", "value")
            ]
        assert _one_rounding(texts), (label, texts)
    for cell in chart_rows(at, "Full Jacobian")["data-0"]:
        assert _one_rounding([cell["label"], cell["value_text"]]), cell


def test_training_caption_does_not_say_the_nets_minimize_their_losses():
    """Audit 43: "one net minimizes mean (σ(z) − y)²" at z₀ = −10, where 200 fixed gradient steps
    leave the squared error at 0.49995 of its start 0.49995 (its minimum is near 0)."""
    at = open_page(PAGE, query={"z0": "-10"})
    result = lf.run(lf.Config(start_logit=-10.0))
    mse = result.training[result.training["model"] == "mse"]["train_loss"]
    assert mse.iloc[-1] > 0.99 * mse.iloc[0]  # the run did not minimize it
    (caption,) = [c.value for c in at.caption if "full-batch gradient descent" in c.value]
    assert "minimiz" not in caption


def _notice(app) -> str:
    return " ".join(w.value for w in app.warning if "could not use" in w.value)


def test_a_hidden_control_is_not_called_a_setting_the_page_lacks():
    """Audit pass 49 f: the logits z1..z3 (and the weights p1..p3) are this page's settings,
    each hidden while the scores are set the other way. ?mode=probabilities&z1=-3 (the URL a
    learner has after moving z1 and then choosing probabilities) read "This link asked for
    settings the page could not use …: this page has no setting “z1”". The notice names as
    missing only keys no control of the page has, and still names those."""
    sliders = {"z1", "z2", "z3", "p1", "p2", "p3"}  # the sidebar's score sliders' URL keys
    app = open_page(PAGE, query={"mode": "probabilities", "z1": "-3", "z2": "4", "z3": "1"})
    assert not app.exception
    assert not {k for k in sliders if f"no setting “{k}”" in _notice(app)}, _notice(app)
    # a learner's own switch: a link with z1, then the radio set to probabilities
    app = open_page(PAGE, query={"z1": "-3"})
    app.sidebar.radio(key="mode").set_value("probabilities").run()
    assert "no setting “z1”" not in _notice(app), _notice(app)
    # the other direction, and a key no control has, still reported as unknown
    app = open_page(PAGE, query={"p1": "0.5", "zzz": "1"})
    assert "no setting “p1”" not in _notice(app), _notice(app)
    assert "no setting “zzz”" in _notice(app)


def test_a_links_default_value_beside_a_preset_is_read():
    # Streamlit's binding drops a link's value equal to the widget's default without seeding
    # the widget: ?preset=saturated-start-z-8&z0=-6 ran z₀ = −8 under the preset's hint, and
    # &mode=logits beside the textbook preset stayed in probability mode (audit pass 54 h)
    at = open_page(PAGE, query={"preset": "saturated-start-z-8", "z0": "-6"})
    assert not at.exception
    assert at.sidebar.slider(key="z0").value == -6.0
    assert not any("Saturated start" in i.value for i in at.sidebar.info)
    assert "At z₀ = −6 (dashed)" in " ".join(c.value for c in at.caption)
    at = open_page(PAGE, query={"preset": "textbook-0-7-0-2-0-1", "mode": "logits"})
    assert not at.exception
    assert at.sidebar.radio(key="mode").value == "logits"


def test_the_home_card_writes_minus_log_p_with_the_minus_sign():
    """Audit pass 56 f: Home's card for this lesson read "Softmax, -log p, …" (an ASCII hyphen)
    beside the page's "−log p" everywhere else."""
    from ui.pages import LESSONS

    (card,) = [item for item in LESSONS if item.url_path == "loss_functions"]
    assert "−log p" in card.blurb and "-log" not in card.blurb


# logits (−2.5, −1, −7.3), class 3 true: negative logits, a negative p − y and Jacobian entries
NEGATIVES = {"z1": "-2.5", "z2": "-1", "z3": "-7.3", "cls": "3"}


def test_the_class_table_prints_negatives_with_the_minus_sign():
    """Audit pass 57 b: the class table printed "-2.500", "-1.000", "-7.300" for the logits and
    "-0.99850" for p − y, its central difference and the diagonal-only result, with the hyphen,
    beside the metric help's "logit z1 = −2.5" and the sentences' minus sign "−"."""
    from tests.claims import ASCII_MINUS

    at = open_page(PAGE, query=NEGATIVES)
    table = at.dataframe[0].value
    cells = {
        col: [str(v) for v in table[col]]
        for col in ("logit", "gradient", "central_difference", "diagonal_only", "probability")
    }
    assert not [t for texts in cells.values() for t in texts if ASCII_MINUS.search(t)], cells
    assert cells["logit"] == ["−2.500", "−1.000", "−7.300"], cells["logit"]
    assert cells["gradient"][2] == "−0.99850", cells["gradient"]


def test_the_jacobian_and_gradient_charts_print_negatives_with_the_minus_sign():
    """Audit pass 57 b: at the same logits the Jacobian heatmap labelled its off-diagonal cells
    "-0.149" (tooltip "-0.1487") and the gradient bars the true class "-0.999" (tooltip
    "-0.9985"), with the hyphen, under the pitfall's "off-diagonal −p_i p_j terms"."""
    from tests.claims import ASCII_MINUS

    at = open_page(PAGE, query=NEGATIVES)
    texts = [
        str(row[k])
        for title, keys in (
            ("Full Jacobian", ("label", "value_text")),
            ("Gradient on", ("label", "value")),
        )
        for rows in chart_rows(at, title).values()
        for row in rows
        for k in keys
        if k in row
    ]
    assert any(t.startswith("−") for t in texts), texts  # negatives are there, signed "−"
    assert not [t for t in texts if ASCII_MINUS.search(t)], texts


@pytest.mark.parametrize(("spelled", "shown"), [("2.0", 2), ("3.0", 3), ("1.0", 1), ("2", 2)])
def test_a_link_spelling_the_true_class_as_a_decimal_opens_that_class(spelled, shown):
    """Audit pass 57 b: the true-class radio shows its values 0, 1, 2 as "1", "2", "3"; a link
    with ?cls=2 opened class 2, but ?cls=2.0 opened class 3 (the number matched the value 2
    before the label "2") and ?cls=3.0 was refused as a setting the page could not use."""
    import re

    at = open_page(PAGE, query={"cls": spelled, "epochs": "10"})
    notes = "\n".join(m.value for m in at.markdown)
    assert re.search(r"The true class (\d)", notes).group(1) == str(shown), notes
    assert not at.warning, [w.value for w in at.warning]


def test_the_class_table_prints_the_minus_sign_in_every_column():
    """Audit pass 58 g: at logits (−10, 10, 10), class 1, the class table printed p − y and its
    central difference as "-(1 − 1e-09)" and "-(1 − 1.1e-09)", an ASCII hyphen for the minus
    sign beside the diagonal-only column's "−(1 − 1e-09)" (core.facts.minus reads only a sign
    before a digit)."""
    at = open_page(PAGE, query={"z1": "-10", "z2": "10", "z3": "10", "cls": "1"})
    assert not at.exception and not at.error
    (table,) = at.dataframe
    cells = [str(v) for column in table.value.columns for v in table.value[column]]
    assert any(c.startswith("−(1 − ") for c in cells), cells
    assert not [c for c in cells if c.startswith("-")], cells


def test_equal_probabilities_print_alike_in_the_metrics():
    """Audit pass 59 a: at ?mode=probabilities&p1=1&p2=0.01&p3=0.01&cls=2 classes 2 and 3 both
    have p = 0.01 / 1.02 = 0.0098039, but the metrics read "class 2 (true) p = 0.00980392" and
    "class 3 p = 0.010": one probability printed at two sets of digits, as if class 3's were
    larger. The other classes print to as many decimals as the true class's p."""
    at = open_page(
        PAGE,
        query={"mode": "probabilities", "p1": "1", "p2": "0.01", "p3": "0.01", "cls": "2"},
    )
    assert not at.exception and not at.error
    metrics = _metrics(at)
    assert metrics["class 2 (true)"] == metrics["class 3"], metrics


def test_a_rounded_logit_in_the_metric_help_follows_approximately_equal():
    """Audit pass 59 a: with the scores set as probabilities (?mode=probabilities, weights 0.7,
    0.2, 0.1) the metric help read "logit z1 = −0.357" for log 0.7 = −0.35667…: an "=" before a
    rounded value. A slider's logit (z1 = 2 at the defaults) is exact and keeps its "="."""
    at = open_page(PAGE, query={"mode": "probabilities"})
    assert not at.exception and not at.error
    helps = [m.proto.help for m in at.metric if m.proto.label.startswith("class 1")]
    assert helps == ["logit z1 ≈ −0.357"], helps
    at = open_page(PAGE)
    helps = [m.proto.help for m in at.metric if m.proto.label.startswith("class 1")]
    assert helps == ["logit z1 = 2"], helps


def test_a_probability_near_1_is_not_printed_past_float64s_digits():
    """Audit pass 60 c: at ?z1=-10&z2=-10&z3=10&cls=1 the true class's p needs 17 decimals, and
    the metrics printed class 3 to as many: "p = 0.99999999587769280", where the exact
    1 / (1 + 2e^-20) is 0.99999999587769277…: float64 holds a p near 1 only to 1.1e-16, so its
    last digits were round-off. A p near 1 prints as 1 − (1 − p) there."""
    at = open_page(PAGE, query={"z1": "-10", "z2": "-10", "z3": "10", "cls": "1"})
    assert not at.exception and not at.error
    assert _printed_p(at, "class 3") == "1 − 4.12e-09", _metrics(at)


def test_the_true_p_metric_gives_the_loss_past_17_decimals():
    """Audit pass 60 c: at ?z1=-10&z2=-10&z3=10&cls=1 the metric printed the true class's p as
    0.00000000206115361 (its digits stopped at 17 decimals), whose −log is 20.000000006, beside
    the cross-entropy metric's 20.000000004."""
    import math

    from ui.charts.losses import loss_text

    at = open_page(PAGE, query={"z1": "-10", "z2": "-10", "z3": "10", "cls": "1"})
    assert not at.exception and not at.error
    metrics = _metrics(at)
    p = float(_printed_p(at, "class 1 (true)"))
    assert loss_text(-math.log(p)) == metrics["cross-entropy"], metrics


def test_a_long_probability_is_not_cut_in_its_metric():
    """At ?z1=-10&z2=-10&z3=10&cls=1 the true class's metric read "p = 0.000000…" at 1400 px (a
    row of four metrics cuts a value past about 12 characters): it shows p to 3 digits after
    "≈", and its help every digit the loss needs."""
    at = open_page(PAGE, query={"z1": "-10", "z2": "-10", "z3": "10", "cls": "1"})
    values = _metrics(at)
    shown = [
        v.removeprefix("p = ").removeprefix("p ≈ ")
        for k, v in values.items()
        if k.startswith("class")
    ]
    assert len(shown) == 3 and all(len(v) <= 10 for v in shown), values
    assert values["class 1 (true)"] == "p ≈ 2e-09", values
    assert values["class 3"] == "p ≈ 1 − 4e-09", values
    assert _printed_p(at, "class 1 (true)") == "0.000000002061153614"


def test_the_cross_entropy_metric_rounds_the_loss_from_its_own_digits():
    """Audit pass 63 h: ?z1=-9.8&z2=-9.6&z3=6.2&cls=1 printed the cross-entropy 16.0000002499859…
    as "16.0000003" (the printers' 12-digit cleaning made a half of it), in the metric and the
    sentence."""
    at = open_page(PAGE, query={"z1": "-9.8", "z2": "-9.6", "z3": "6.2", "cls": "1"})
    assert not at.exception
    assert _metrics(at)["cross-entropy"] == "16.0000002"
    notes = "\n".join(m.value for m in at.markdown)
    assert "−log p = 16.0000002." in notes


def test_every_formula_fits_a_phone():
    """Audit pass 64 h: after pass 63 split the cross-entropy formula (a 390 px phone cut it at
    "p = softr…", 19.6 em by tests.app.latex_width), the squared-error-vs-cross-entropy
    derivative (45 em on one line), the softmax Jacobian chain (34 em) and the model answer's
    cross-entropy and Jacobian formulas (19.3 and 19.1 em, in a box narrower still) were cut."""
    from tests.app.latex_width import too_wide

    at = open_page(PAGE)
    assert not too_wide(e.value for e in at.latex), too_wide(e.value for e in at.latex)


def test_the_jacobian_and_gradient_labels_print_at_one_precision_and_zero_unsigned(at):
    """Audit pass 66 c: at the defaults the full Jacobian's cells read "−0.16" beside "−0.06496"
    and "+0.184" beside "+0.2247" (3 significant digits, trailing zeros dropped, more where a 5
    rounding up made), and the diagonal-only heatmap and the gradient bars labelled an exact 0
    "+0". The cells of both heatmaps, and the bars, now print at one count of significant digits
    (core.facts.alike), an exact 0 as "0"."""
    from core.facts import at_one_precision

    for title, key in (
        ("Full Jacobian", "label"),
        ("Diagonal only", "label"),
        ("Gradient on", "label"),
    ):
        rows = [r for rows in chart_rows(at, title).values() for r in rows if key in r]
        texts = [r[key] for r in rows]
        assert "+0" not in texts, (title, texts)
        nonzero = [t.lstrip("+") for t in texts if t != "0"]
        assert at_one_precision(nonzero), (title, texts)
    cells = {(r["row"], r["col"]): r["label"] for r in chart_rows(at, "Full Jacobian")["data-0"]}
    assert cells[("p1", "z2")] == "−0.1598" and cells[("p1", "z3")] == "−0.06496", cells


def test_the_cut_metrics_of_one_row_print_at_one_precision():
    """Audit pass 70 b #3: at ?z1=-10&z2=-9.9&z3=9.9&cls=1 the metrics read "p ≈ 2.28e-09",
    "p ≈ 2.52e-09" and "p ≈ 1 − 4.8e-09", the last at two digits beside three (and beside the
    diagonal sentence's "1 − 4.80e-09" of the same 1 − p)."""
    at = open_page(PAGE, query={"z1": "-10", "z2": "-9.9", "z3": "9.9", "cls": "1"}, timeout=180)
    values = [m.value for m in at.metric if m.proto.label.startswith("class ")]
    assert values == ["p ≈ 2.3e-09", "p ≈ 2.5e-09", "p ≈ 1 − 4.8e-09"], values
