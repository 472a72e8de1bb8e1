"""The gradient descent page: divergence, its heaviest settings, the prediction, Skip and presets."""

import json
import math
from decimal import Decimal

import pytest

from core.experiments import gradient_descent as gd
from core.experiments.budget import BUDGET_SECONDS
from tests.app.conftest import open_page, specs, titles
from tests.tooltips import _frames, _views

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Epochs", "epochs", "Home")

PAGE = "app_pages/gradient_descent.py"


def test_gradient_descent_divergence_shows_a_warning_not_a_traceback():
    at = open_page(PAGE)
    at.sidebar.select_slider(key="lr").set_value(1.0).run()
    assert not at.exception
    assert any("diverged**" in w.value for w in at.warning)
    assert specs(at)


def test_gradient_descent_runs_its_heaviest_settings_within_the_budget():
    # The hand-written descent makes even 100 epochs of SGD on 1,000 points cheap (~0.5 s): no
    # setting of this page is refused, and the heaviest one draws every chart.
    at = open_page(PAGE)
    at.sidebar.slider(key="n").set_value(1000).run()
    at.sidebar.slider(key="epochs").set_value(100).run()
    assert not at.exception and not at.error
    assert len(specs(at)) >= 5
    heaviest = gd.Config(n_samples=1000, epochs=100, batch_size=2)
    assert gd.estimated_seconds(heaviest) < BUDGET_SECONDS


def test_gradient_descent_prediction_comes_before_the_result_and_is_checked_against_it():
    at = open_page(PAGE, reveal=False)
    assert not at.exception
    assert not specs(at), "the charts show before the learner predicts"
    assert not any("What to notice" in h.value for h in at.subheader)
    at.radio(key="predict_gradient_descent").set_value("Batch GD").run()
    assert not at.exception
    assert specs(at)
    assert any(w.value.startswith("Not Batch GD: After one epoch SGD") for w in at.warning)
    at.radio(key="predict_gradient_descent").set_value("SGD").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_skip_shows_the_result_without_a_prediction():
    at = open_page(PAGE, reveal=False)
    at.button(key="_lab_skip_button_gradient_descent").click().run()
    assert not at.exception
    assert specs(at)
    assert any("This run's answer: **SGD**" in i.value for i in at.info)


def test_gradient_descent_preset_sets_controls():
    at = open_page(PAGE)
    at.sidebar.button(key="preset_decay-the-step-size").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="schedule").value == "inverse_time"


@pytest.mark.slow  # an AppTest of the page, ~10 s here
def test_no_loss_tooltip_prints_below_the_minimum_the_loss_chart_labels():
    """Audit pass 35 (h): at the defaults the loss chart's rule read 'minimum L* = 1.05' (3
    digits) beside loss tooltips of 1.047 to 1.049 (4 digits), below the 'minimum'."""
    at = open_page(PAGE)
    assert not at.exception
    found = []
    for chart in at.get("vega_lite_chart"):
        rows = [row for frame in _frames(chart.proto).values() for row in frame]
        labels = [r["label"] for r in rows if str(r.get("label", "")).startswith("minimum L* = ")]
        if labels:
            (label,) = set(labels)
            lowest = Decimal(label.removeprefix("minimum L* = "))
            losses = [Decimal(r["loss_text"]) for r in rows if r.get("loss_text")]
            assert losses and min(losses) >= lowest, (label, min(losses))
            found.append(label)
    assert found, "the loss chart labels its minimum at the defaults"


@pytest.mark.slow  # an AppTest of the page, ~10 s here
def test_the_minimum_label_is_drawn_where_no_loss_line_runs():
    """Audit pass 40 (h): the loss chart's label 'minimum L* = 1.047' sat above its rule at the
    right end, where SGD's and the mini-batches' lines level off near L*: at the defaults 51 of
    SGD's last 120 points ran through it. Its band (from 3 to 16 px off the rule, on the plot's
    log axis) now holds no drawn loss."""
    at = open_page(PAGE)
    assert not at.exception
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("title") != "Training loss on all n examples":
            continue
        rows = [row for frame in _frames(chart.proto).values() for row in frame]
        (rule,) = [r["loss"] for r in rows if str(r.get("label", "")).startswith("minimum L* = ")]
        (text,) = [v for v, _ in _views(spec) if (v["mark"].get("type") or v["mark"]) == "text"]
        low, high = next(
            v["encoding"]["y"]["scale"]["domain"]
            for v, _ in _views(spec)
            if v["mark"].get("type") == "line"
        )
        per_px = math.log(high / low) / spec["height"]
        sign = -1 if text["mark"]["baseline"] == "top" else 1  # below or above the rule
        ends = [rule * math.exp(sign * px * per_px) for px in (3, 3 + 11)]
        band = (min(ends), max(ends))
        losses = [r["loss"] for r in rows if r.get("loss_text")]
        inside = [v for v in losses if band[0] <= v <= band[1]]
        assert not inside, (band, len(inside))
        assert band[0] >= low  # the label fits on the plot
        return
    raise AssertionError("no loss chart")


def test_the_variance_caption_says_only_of_the_theory_line_that_it_falls_faster_than_1_over_b():
    """Audit 42h #1: at preset "SGD's noise floor" the chart's title prints the measured points'
    fitted slope, -0.96 (they fall slower than 1/B: 37.9 at B = 1, 1.32 at B = 32), beside a
    caption that said "it falls faster than 1/B". The caption now says it of the variance itself,
    the theory line, and calls the measured points estimates."""
    at = open_page(PAGE, query={"preset": "sgds-noise-floor"})
    title = next(t for t in titles(at) if str(t).startswith("Gradient variance"))
    slope = float(title.rpartition("fitted slope ")[2].rstrip(")").replace("−", "-"))
    assert slope > -1  # the witness: the measured points fall slower than 1/B
    claims = [c.value for c in at.caption if "faster than 1/B" in c.value]
    assert claims
    for caption in claims:
        said = caption.partition("falls faster than 1/B")[0].rpartition(". ")[2]
        assert "theory line" in said, caption
        assert "estimates" in caption, caption


def test_the_noise_slider_names_the_noise_around_the_line_not_the_std_of_y():
    """Audit pass 43 (g): the noise slider was labelled "Noise (std of y)", but it sets the
    standard deviation of the noise on y around the line y = 2x − 1; y itself spreads with x too
    (at the defaults, noise 1, the training set's y has a standard deviation of 2.12)."""
    at = open_page(PAGE)
    label = at.sidebar.slider(key="noise").label
    config = gd.Config()
    data = gd.run(config).data
    std_y = float(data["y"].std(ddof=1))
    residual = float((data["y"] - (2 * data["x"] - 1)).std(ddof=1))
    assert abs(std_y - config.noise) > 1.0 > abs(residual - config.noise) * 10
    assert "std of y)" not in label and "around the line" in label


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ({"lr": "0.30"}, "learning_rate", 0.3),
        ({"lr": "3e-1"}, "learning_rate", 0.3),
        ({"batch": "32.0"}, "batch_size", 32),
        ({"schedule": "inverse_time"}, "schedule", "inverse_time"),
    ],
)
def test_a_link_may_spell_an_option_another_way(query, field, value):
    """Audit pass 51 b: ?lr=0.30 read "“Learning rate η (log scale)” can't be 0.30" and ran the
    default η = 0.05, though the slider offers 0.3 (it spells it "0.3"); ?batch=32.0 and
    ?schedule=inverse_time (the Config's own value) likewise: a link's value that is one of a
    widget's options in another spelling is that option, and the share link spells it as the
    widget does."""
    at = open_page("app_pages/gradient_descent.py", query=query)
    assert not at.exception
    assert not any("could not use" in w.value for w in at.warning)
    key = next(iter(query))
    widget = at.sidebar.select_slider if field != "schedule" else at.sidebar.selectbox
    shown = widget(key=key).value
    assert shown == value
    share = next(c.value for c in at.code if "?" in c.value)
    assert f"{key}=" in share


@pytest.mark.parametrize("name", ["epoch", "update", "examples", "seconds"])
def test_a_link_may_name_the_x_axis_view_by_its_option(name):
    """Audit pass 52: ?xaxis=examples (the option's name; the radio's label is "examples
    processed") drew the default axis under "This link asked for settings the page could not use
    … “Compare against” can't be examples". A link naming one of the view's options is read as
    that option, and no notice calls it unusable."""
    at = open_page("app_pages/gradient_descent.py", query={"xaxis": name, "epochs": "3"})
    notices = [w.value for w in at.warning if "could not use" in w.value]
    assert not notices, notices
    assert next(r.value for r in at.radio if r.label == "Compare against") == name


def test_the_learning_rate_help_does_not_say_batch_gd_diverges_where_its_run_does_not():
    """Audit pass 54 (e): at ?lr=0.5&n=20&seed=655, η = 0.5 is above 2 / λ_max = 0.4994, yet
    batch GD's error grows by only |1 − ηλ_max| = 1.0023 a step: it does not diverge within the
    run and its loss falls from 13.51 to 1.42. The η help said unconditionally "With a constant
    step, batch GD diverges on this loss when η > 2 / λ_max"."""
    config = gd.Config(learning_rate=0.5, n_samples=20, seed=655)
    result = gd.run(config)
    lam = max(result.optimum["hessian_eigenvalues"])
    assert config.learning_rate * lam > 2
    batch = result.summary.set_index("variant").loc["Batch GD"]
    assert not batch["diverged"] and batch["final_loss"] < result.optimum["start_loss"]
    at = open_page(PAGE, query={"lr": "0.5", "n": "20", "seed": "655"})
    assert not any(w.value.startswith("**Batch GD diverged") for w in at.warning)
    help_text = at.sidebar.select_slider(key="lr").help
    assert "batch GD diverges on this loss when η > 2 / λ_max" not in help_text, help_text
    assert "in the long run" in help_text and "too slowly" in help_text, help_text


def test_the_variance_slopes_print_the_pages_minus_sign():
    """Audit pass 56 e: at the defaults the variance sentence read "a fitted log-log slope of
    -1.048 ... theory gives -1.04: −1 for independent draws", and the chart's title "fitted slope
    -1.048": two minus signs in one sentence. Both now print "−", as one text."""
    at = open_page(PAGE)
    assert not at.exception
    title = next(str(t) for t in titles(at) if str(t).startswith("Gradient variance"))
    texts = [e.value for e in (*at.markdown, *at.caption)]
    sentence = next(t for t in texts if "fitted log-log slope of" in t)
    shown = title.rpartition("fitted slope ")[2].rstrip(")")
    assert shown.startswith("−") and f"slope of {shown} over" in sentence
    assert "theory gives −" in sentence
    assert "-" not in shown and " -1" not in sentence


def test_the_learning_rate_help_writes_the_update_of_both_parameters():
    """Audit pass 59 b: the η help read "Step size of w ← w − η ∇L" where every update moves
    (w, b) by the gradient of the loss on its batch (∇L has two components: one of them cannot
    update w alone)."""
    at = open_page(PAGE, query={"epochs": "1"})
    help_text = at.sidebar.select_slider(key="lr").help
    assert "w ← w − η ∇L" not in help_text, help_text
    assert "(w, b) ← (w, b) − η ∇L_batch" in help_text, help_text


def test_every_formula_fits_a_phone():
    """Audit pass 64 h: the model answer's mini-batch gradient formula (its mean, unbiasedness,
    variance and σ² on one line) was 50 em wide by tests.app.latex_width, where a 390 px phone's
    model-answer box holds about 16.8 em."""
    from tests.app.latex_width import too_wide

    at = open_page(PAGE)
    assert not too_wide(e.value for e in at.latex), too_wide(e.value for e in at.latex)


def test_the_loss_chart_says_which_curves_its_axis_top_cuts_off():
    """Audit pass 67 a, ?lr=2: the loss chart's axis stops at 1.5 × the starting loss, and the
    diverged runs' curves rose to 1e+06 times it and left the chart at its top with no word.
    A caption names them; at the defaults, where every curve stays within it, none."""
    at = open_page(PAGE, query={"lr": "2"})
    assert not at.exception
    cut = [c.value for c in at.caption if c.value.startswith("The loss axis stops at 1.5 ×")]
    assert len(cut) == 1, [c.value for c in at.caption]
    assert "Batch GD (B = 200)" in cut[0] and "SGD (B = 1)" in cut[0], cut[0]
    at = open_page(PAGE)
    assert not [c.value for c in at.caption if c.value.startswith("The loss axis stops")]
