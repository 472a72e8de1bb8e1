"""Every sentence the loss-functions lesson emits is true of its run, at any valid setting."""

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings

from core import mlp
from core.data import make_classification_2d
from core.experiments import loss_functions as lf
from core.experiments.loss_functions import claims as lc
from core.facts import decimals, rounded_up_half
from tests.claims import Verifiers
from tests.strategies import configs

EPS = np.finfo(np.float64).eps

verify = Verifiers(
    lf,
    witnesses=[
        lf.Config(start_logit=8.0, learning_rate=3.0),  # every example a confident 'class 1'
        lf.Config(start_logit=-3.0, learning_rate=3.0),  # a spread start
        lf.Config(start_logit=-3.0, learning_rate=7.0),  # squared error no slower
        # cross-entropy reached 75 % first, then ended back at 0.50 (audit pass 48 h)
        lf.Config(start_logit=-0.5, dataset="circles", learning_rate=5.0, epochs=20, seed=4),
        # the true class's probability near 1: tiny gradients, round-off-limited check
        lf.Config(logit_1=-10.0, logit_2=10.0, logit_3=-10.0, true_class=1),
    ],
    unreachable={
        "training_diverged": "the logit is tanh(h) W2 + b2 with |tanh| <= 1, and each epoch "
        "moves W2 and b2 by at most eta * max|sigma - y| <= 10 (cross-entropy) or eta * 2 * 1/4 "
        "(squared error): after 1000 epochs |z| < 1e5, so the cross-entropy stays far below "
        "1e6 x its start and both losses stay finite",
    },
)


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


@verify("larger_gradient")
def _(config, result, fact):
    s = _sigmoid(config.start_logit)
    ce, sq = abs(s - 1.0), abs(2.0 * (s - 1.0) * s * (1.0 - s))
    assert fact.values["answer"] in lf.PREDICTION.options
    assert fact.values["answer"] == (lc.CROSS if ce > sq else lc.SQUARED)
    # the lab predicts class 1 when z > 0 (its accuracy's rule), whatever sigma(z) rounds to
    assert ("wrongly" in fact.text) == (config.start_logit <= 0)
    assert ("rightly" in fact.text) == (config.start_logit > 0)


@verify("saturation_ratio")
def _(config, result, fact):
    s = _sigmoid(config.start_logit)
    assert math.isclose(fact.values["ratio"], 2 * s * (1 - s), rel_tol=1e-9)
    assert fact.values["ratio"] <= 0.5
    # the printed ratio is 2σ(1 − σ) of the printed σ, near 1 too (audit pass 68 h)
    m = re.search(r"σ\(z₀\) = (1 − )?(\S+?):.*a ratio of (\S+) = 2σ", fact.text)
    shown = 1 - Decimal(m.group(2)) if m.group(1) else Decimal(m.group(2))
    assert lc.agrees(m.group(3), 2 * shown * (1 - shown)), fact.text


@verify("true_class_loss")
def _(config, result, fact):
    z = (
        np.array(config.logits)
        if config.input_mode == "logits"
        else np.log(np.array(config.probabilities) / sum(config.probabilities))
    )
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    y = np.eye(3)[config.true_class]
    assert math.isclose(fact.values["p"], p[config.true_class], rel_tol=1e-12)
    assert math.isclose(result.loss, -math.log(p[config.true_class]), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(
        fact.values["own"], (1 - p[config.true_class]) ** 2, rel_tol=1e-9, abs_tol=1e-15
    )
    assert math.isclose(
        fact.values["total"], float(np.sum((p - y) ** 2)), rel_tol=1e-9, abs_tol=1e-15
    )
    assert fact.values["own"] <= 1 and fact.values["total"] <= 2
    assert f"{-math.log(0.01):.3f}" == "4.605"
    # the loss as the page's metric prints it, and a p that is not a 5 rounding up made (it
    # would read as another number beside the metric's and the table's p)
    shown_p, shown_loss = re.search(
        r"gets p = (.+?), so the loss is −log p = (\S+)\.", fact.text
    ).groups()
    assert shown_loss == lc.loss_text(float(result.loss))
    assert not rounded_up_half(shown_p, fact.values["p"])


@verify("gradient_ratio")
def _(config, result, fact):
    s = _sigmoid(config.start_logit)
    assert math.isclose(fact.values["times"], 1 / (2 * s * (1 - s)), rel_tol=1e-9)
    assert fact.values["times"] >= 2 - 1e-12


def _start(config):
    """Every training example's starting sigma(z), recomputed from the data and the init."""
    data = make_classification_2d(
        config.dataset, n_samples=lf.N_SAMPLES, noise=0.2, seed=config.seed
    )
    params = mlp.init_params((2, lf.HIDDEN_UNITS, 1), init="xavier", seed=config.seed)
    params["b2"] = np.array([config.start_logit])
    z = mlp.forward(params, data.X_train, activation=lf.HIDDEN_ACTIVATION)[0][:, 0]
    return 1 / (1 + np.exp(-z))


def _range(config, fact):
    s = _start(config)
    assert math.isclose(fact.values["low"], s.min(), rel_tol=1e-9, abs_tol=1e-300)
    assert math.isclose(fact.values["high"], s.max(), rel_tol=1e-9, abs_tol=1e-300)
    return s


@verify("start_class0")
def _(config, result, fact):
    s = _range(config, fact)
    assert s.max() < 0.05 and np.max(s * (1 - s)) < 0.05  # "where sigma' is tiny"


@verify("start_class1")
def _(config, result, fact):
    s = _range(config, fact)
    assert s.min() > 0.95 and np.max(s * (1 - s)) < 0.05


@verify("start_undecided")
def _(config, result, fact):
    s = _range(config, fact)
    assert np.all(np.abs(s - 0.5) <= 0.2)


@verify("start_spread")
def _(config, result, fact):
    _range(config, fact)


def _curve(result, model):
    frame = result.training[result.training["model"] == model]
    reached = frame.loc[frame["train_accuracy"] >= 0.75, "epoch"]
    first = float(reached.iloc[0]) if len(reached) else math.nan
    return frame, first


@verify("training_report")
def _(config, result, fact):
    for model, name in (("bce_with_logits", "cross-entropy"), ("mse", "squared error")):
        row = result.summary.loc[model]
        if row["diverged"]:
            assert f"{name} diverged" in fact.text
            continue
        frame, first = _curve(result, model)
        assert int(frame["epoch"].iloc[-1]) == config.epochs
        assert row["train_accuracy"] == frame["train_accuracy"].iloc[-1]
        assert f"{name} ended at train accuracy {decimals(row['train_accuracy'], 2)}" in fact.text
        assert math.isnan(first) == math.isnan(row["epochs_to_75"])
        if not math.isnan(first):
            assert first == row["epochs_to_75"]
            # the accuracy at the first epoch at or above 75 %, as printed (not "at 75%")
            then = float(frame.loc[frame["epoch"] == first, "train_accuracy"].iloc[0])
            assert (
                f"{decimals(then, 2)} at the start" in fact.text
                if first == 0
                else (
                    f"after {int(first)} epoch{'s' * (first != 1)}: {decimals(then, 2)}"
                    in fact.text
                )
            )


@verify("mse_stalled")
def _(config, result, fact):
    assert not result.summary["diverged"].any()
    frame, first = _curve(result, "mse")
    assert math.isnan(first)
    start, end = frame["train_accuracy"].iloc[0], frame["train_accuracy"].iloc[-1]
    assert abs(end - start) < 0.02
    if "σ′(z), at most" in fact.text:
        s = _start(config)
        assert math.isclose(fact.values["slope"], float(np.max(s * (1 - s))), rel_tol=1e-9)
        assert fact.values["slope"] < 0.05


def _both(result):
    assert not result.summary["diverged"].any()
    (_, ce), (_, sq) = _curve(result, "bce_with_logits"), _curve(result, "mse")
    assert not (math.isnan(ce) or math.isnan(sq))
    return ce, sq


@verify("mse_slower")
def _(config, result, fact):
    ce, sq = _both(result)
    assert sq > ce
    # "learned" only of nets that ended at or above 75 %; each that ended below is named, with
    # its final accuracy as the training report prints it (audit pass 48 h)
    for model, name in (("bce_with_logits", "cross-entropy"), ("mse", "squared error")):
        final = float(result.summary.loc[model, "train_accuracy"])
        below = f"{name} ended below it, at {decimals(final, 2)}"
        assert (below in fact.text) == (final < lc.TARGET), fact.text
    fell = (result.summary["train_accuracy"] < lc.TARGET).any()
    assert ("Both nets learned" in fact.text) == (not fell), fact.text


def test_a_net_that_ended_back_at_its_start_is_not_said_to_have_learned():
    """Audit 48 h: at η = 5 (circles, z₀ = −0.5, 20 epochs, seed 4) cross-entropy touched 75 %
    at epoch 12 and ended at 0.50, its starting accuracy, under "Both nets learned"."""
    config = lf.Config(start_logit=-0.5, dataset="circles", learning_rate=5.0, epochs=20, seed=4)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "mse_slower"]
    frame, _ = _curve(result, "bce_with_logits")
    start, end = frame["train_accuracy"].iloc[0], frame["train_accuracy"].iloc[-1]
    assert end <= start  # the witness: it ended where it started
    assert "learned" not in fact.text, fact.text
    assert f"cross-entropy ended below it, at {decimals(end, 2)}" in fact.text, fact.text


@verify("mse_not_slower")
def _(config, result, fact):
    ce, sq = _both(result)
    assert sq <= ce
    # audit pass 42 (d): "at most half of cross-entropy's" holds at the same logit (the nets
    # share their logits only until the first update), and the sentence says so
    if "at most half" in fact.text:
        assert "at the same logit" in fact.text, fact.text


@verify("training_diverged")
def _(config, result, fact):
    assert result.summary.loc[fact.values["model"], "diverged"]


def _wrong_classes(result):
    c = result.classes.drop(index=result.true_class)
    assert (c["diagonal_only"] == 0).all()
    np.testing.assert_allclose(c["gradient"], c["probability"], rtol=1e-12)


@verify("diagonal_mistake")
def _(config, result, fact):
    _wrong_classes(result)
    g, n = result.classes["gradient"], result.classes["central_difference"]
    rel = np.max(np.abs(g - n)) / np.max(np.abs(g) + np.abs(n))  # no floor (audit pass 55 f)
    assert rel < 1e-6 and result.jacobian_rel_error < 1e-6


@verify("diagonal_mistake_roundoff")
def _(config, result, fact):
    _wrong_classes(result)
    z = np.abs(result.logits).max()
    bound = 50 * EPS * (2 + z) / lf.CHECK_STEP
    g, n = result.classes["gradient"], result.classes["central_difference"]
    assert np.max(np.abs(g - n)) <= bound and result.jacobian_abs_error <= bound
    # each check's relative error is its own (audit pass 45): p − y's is not the Jacobian's
    rel = np.max(np.abs(g - n)) / np.max(np.abs(g) + np.abs(n))  # no floor (audit pass 55 f)
    stated = re.findall(r"relative error up to ([\d.e+-]*\d)", fact.text)
    assert len(stated) == 2, fact.text
    for shown, value in zip(stated, (rel, result.jacobian_rel_error), strict=True):
        assert value <= float(shown) <= 2 * value, (shown, value)
    full = result.jacobian.loc[result.jacobian["version"] == "full", "value"].to_numpy()
    largest = {"p − y": np.max(np.abs(g)), "the Jacobian": np.max(np.abs(full))}
    named = [what for what in largest if f" {what}" in fact.text.split("):")[-1]]
    every = all(largest[what] < result.roundoff for what in named)
    assert fact.values["every_entry"] == every
    assert ("smallest entries" in fact.text) == (not every), fact.text


test_every_claim_has_a_verifier = verify.every_claim_has_a_verifier
test_presets_show_what_they_say = verify.presets_show_what_they_say
test_every_claim_is_witnessed = verify.every_claim_is_witnessed


def test_preset_hints_hold_at_their_settings():
    textbook = lf.run(lf.PRESETS["Textbook [0.7, 0.2, 0.1]"].config)
    assert f"{textbook.loss:.3f}" == "0.357"
    wrong = lf.run(lf.PRESETS["Confidently wrong"].config)
    assert np.argmax(wrong.probabilities) == 1 and wrong.true_class == 0  # bets on class 2
    assert wrong.loss > 5 and wrong.classes["gradient"].iloc[0] < -0.99  # p - y pushes hard
    saturated = lf.run(lf.PRESETS["Saturated start (z₀ = −8)"].config)
    assert round(saturated.at_start["ratio"], 4) == 0.0007  # "~0.0007 of cross-entropy's"


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(configs(lf.Config, max_seconds=0.3))
def test_every_fact_holds_at_any_setting(config):
    verify.check(config)


@pytest.mark.parametrize("seed", range(4))
def test_model_answer_squared_error_gradient_through_softmax(seed):
    """The model answer's d/dz sum (p - y)^2 = 2 [diag(p) - p p^T] (p - y), not the sigmoid's
    scalar 2 (p - y) p (1 - p), which is the diagonal-only mistake."""
    from core.gradcheck import numerical_grad, rel_error
    from core.losses import softmax

    rng = np.random.default_rng(seed)
    z, y = rng.normal(size=3) * 2, np.eye(3)[seed % 3]
    p = softmax(z)
    numeric = numerical_grad(lambda v: float(np.sum((softmax(v) - y) ** 2)), z)
    assert rel_error(2 * lf.softmax_jacobian(p) @ (p - y), numeric) < 1e-6
    assert rel_error(2 * (p - y) * p * (1 - p), numeric) > 1e-2


def _signed_cell(text: str) -> Decimal:
    """A class-table cell ('0.12345', '1 − 6.5e-07', '-(1 − 3.75e-08)', '-6.2e-07') as a number."""
    negative = text.startswith("-")
    body = text.lstrip("-").strip("()")
    value = 1 - Decimal(body[4:]) if body.startswith("1 − ") else Decimal(body)
    return -value if negative else value


def test_class_table_pairs_differ_by_no_more_than_the_check_sentence_allows():
    """Audit pass 36 (b): 'Central differences agree with it to within 8.9e-11' above a class
    table printing p − y and its central difference as '-(1 − 3.7e-08)' and '-(1 − 3.8e-08)'
    (1e-09 apart; logits 8.9, −5.4, −8.2, class 3)."""
    from core.experiments.loss_functions.claims import check_cells

    config = lf.Config(logit_1=8.9, logit_2=-5.4, logit_3=-8.2, true_class=2)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "diagonal_mistake_roundoff"]
    bound = Decimal(re.search(r"to within ([\d.e+-]*\d)", fact.text).group(1))
    gradient, numeric = check_cells(result)  # the page's "p − y" and "central difference" cells
    for a, b in zip(gradient, numeric, strict=True):
        assert abs(_signed_cell(a) - _signed_cell(b)) <= bound, (a, b, fact.text)


@pytest.mark.parametrize(
    "logits",
    [(0.0, 9.0, 0.0), (-2.0, 4.0, 1.0), (10.0, -10.0, -10.0), (-10.0, 10.0, 10.0), (2.0, 1.0, 0.1)],
)
@pytest.mark.parametrize(("places", "digits"), [(3, 3), (5, 2)])  # the metric, the class table
def test_the_true_class_p_gives_the_printed_loss(logits, places, digits):
    """Audit pass 38 (b): the class table printed p = 0.00012 (−log: 9.028) beside a loss of
    9.0002: every printed p of the true class gives the printed loss (lc.p_text)."""
    result = lf.run(lf.Config(logit_1=logits[0], logit_2=logits[1], logit_3=logits[2]))
    p = float(result.probabilities[0])
    text = lc.p_text(p, float(result.loss), places=places, digits=digits)
    implied = -math.log1p(-float(text[4:])) if text.startswith("1 − ") else -math.log(float(text))
    assert lc.loss_text(implied) == lc.loss_text(float(result.loss)), text
    if not text.startswith("1 − "):
        assert Decimal(text).as_tuple().exponent <= -places  # at least the column's decimals


def test_a_p_that_is_a_short_decimal_prints_as_it_with_its_squared_error():
    """Audit pass 40 (a): weights 0.95, 0.75 and 0.3 (class 3 true) give p = 0.3 / 2 = 0.15
    exactly, but the sentence read "p = 0.15000000000000002 ... (1 − p)² (here 0.722)": float64
    holds (1 − p)² = 0.7225 as 0.72249999…, printed 0.722, and p took 17 digits of round-off to
    agree with it. Both are now the exact decimals' (0.15, and 0.7225 rounded half up)."""
    from core.facts import agrees

    config = lf.Config(
        input_mode="probabilities",
        probability_1=0.95,
        probability_2=0.75,
        probability_3=0.3,
        true_class=2,
    )
    fact = next(f for f in lf.facts(config, lf.run(config)) if f.claim == "true_class_loss")
    p = Decimal("0.3") / (Decimal("0.95") + Decimal("0.75") + Decimal("0.3"))
    assert Decimal(re.search(r"gets p = (\S+),", fact.text).group(1)) == p, fact.text
    own = re.search(r"\(1 − p\)² \(here (\S+)\)", fact.text).group(1)
    assert agrees(own, (1 - p) ** 2), fact.text


def test_at_most_half_is_said_of_the_same_logit_not_of_the_two_runs():
    """Audit pass 42 (d): moons, z0 = 1, eta = 3, seed 2: "Here squared error reached 75 % train
    accuracy no later than cross-entropy (epoch 2 vs 3): ... its gradient, at most half of
    cross-entropy's on each example's logit, did not hold it back". After the first update the
    two nets' logits part: the squared-error net's |dL/dz| on an example is then more than half
    of the cross-entropy net's on the same example (more than all of it, at epoch 2, on 21).
    The bound 2 sigma (1 - sigma) <= 1/2 is of the two losses at the same logit, and the sentence
    now names that condition."""
    from core.experiments.loss_functions.experiment import (
        HIDDEN_ACTIVATION,
        HIDDEN_UNITS,
        N_SAMPLES,
    )

    config = lf.Config(dataset="moons", start_logit=1.0, learning_rate=3.0, seed=2, epochs=60)
    data = make_classification_2d("moons", n_samples=N_SAMPLES, noise=0.2, seed=2)
    start = mlp.init_params((2, HIDDEN_UNITS, 1), init="xavier", seed=2)
    start["b2"] = np.array([1.0])
    y = data.y_train.reshape(-1, 1).astype(np.float64)
    nets = {name: dict(start) for name in lf.OBJECTIVES}
    for name, params in nets.items():  # one full-batch update of each net
        z, cache = mlp.forward(params, data.X_train, activation=HIDDEN_ACTIVATION)
        grads = mlp.backward(params, cache, lf.OBJECTIVES[name](z, y)[1])
        nets[name] = {k: params[k] - config.learning_rate * grads[k] for k in params}
    dz = {
        name: np.abs(
            lf.OBJECTIVES[name](
                mlp.forward(params, data.X_train, activation=HIDDEN_ACTIVATION)[0], y
            )[1]
        )
        for name, params in nets.items()
    }
    assert (dz["mse"] > 0.5 * dz["bce_with_logits"]).any()  # not "at most half" between the runs
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim == "mse_not_slower"]
    assert "at most half" not in fact.text or "at the same logit" in fact.text, fact.text
    # at the same logit the bound holds everywhere, the shared start (sigma = 1/2) included
    z = np.linspace(-10.0, 10.0, 2001)[:, None]
    ones = np.ones_like(z)
    assert (np.abs(lf.sigmoid_mse(z, ones)[1]) <= 0.5 * np.abs(lf.bce(z, ones)[1])).all()


def test_gradient_ratio_prints_magnitudes_not_signed_gradients():
    """Audit 43: "cross-entropy's gradient is 0.9975" at z₀ = −6, where ∂L/∂z = σ − 1 = −0.9975
    for the class-1 example: a positive number given as the gradient is the magnitude."""
    config = lf.Config()
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "gradient_ratio"]
    signed = _sigmoid(config.start_logit) - 1.0
    assert signed < 0
    for quoted in re.findall(r"gradient is (-?[0-9.e-]+)", fact.text.replace("−", "-")):
        assert (float(quoted) < 0) == (signed < 0), fact.text
    assert "|∂L/∂z|" in fact.text


def test_mse_stalled_margin_is_in_the_accuracies_unit():
    """Audit 43: "stayed within 2 points of its starting accuracy … train accuracy 0.52 at the
    start and 0.53" put the margin in percentage points beside accuracies printed as fractions."""
    config = lf.Config(start_logit=0.0, learning_rate=0.01, dataset="circles", epochs=10, seed=0)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "mse_stalled"]
    assert "within" in fact.text  # the witness moved, by less than the margin
    margin = re.search(r"within (\S+) (?:points )?of", fact.text).group(1)
    accuracies = re.search(r"accuracy (\S+) at the start and (\S+) after", fact.text).groups()
    assert "points" not in fact.text
    # the margin is on the accuracies' scale and bounds their printed difference
    assert abs(Decimal(accuracies[1]) - Decimal(accuracies[0])) <= Decimal(margin) < 1


def test_the_epoch_a_net_first_reached_75_percent_prints_its_accuracy_then():
    """Witness (audit pass 45): gaussians at z₀ = 0 start at train accuracy 0.907, printed
    "already at 75% at the start"; at η = 10, z₀ = −10 cross-entropy's first epoch is at 0.907,
    printed "75% after 1 epoch". Each is the accuracy then, at or above the target."""
    for config in (
        lf.Config(dataset="gaussians", start_logit=0.0),
        lf.Config(dataset="gaussians", start_logit=-10.0, learning_rate=10.0, epochs=1000),
    ):
        result = lf.run(config)
        (text,) = [f.text for f in lf.facts(config, result) if f.claim == "training_report"]
        frame, first = _curve(result, "bce_with_logits")
        then = float(frame.loc[frame["epoch"] == first, "train_accuracy"].iloc[0])
        assert then > 0.9  # the witness: far above the 75 % the old text said it was at
        assert f"at {lc.TARGET_PCT} at the start" not in text
        assert f"({lc.TARGET_PCT} after" not in text
        assert decimals(then, 2) in text


def test_the_round_off_check_gives_p_minus_y_its_own_relative_error():
    """Witness (audit pass 45): logits (−10, 10, −10), class 1 true. p − y (entries near ±1)
    agrees with central differences to a relative error of 5.4e-11, the Jacobian (entries below
    4.2e-09) only to 7.8e-4; the sentence said of p − y "agree with it to within 1.1e-10
    (relative error up to 0.00078)"."""
    config = lf.Config(logit_1=-10.0, logit_2=10.0, logit_3=-10.0)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "diagonal_mistake_roundoff"]
    g, n = result.classes["gradient"], result.classes["central_difference"]
    rel = np.max(np.abs(g - n)) / max(1e-8, np.max(np.abs(g) + np.abs(n)))
    assert rel < 1e-6 <= result.jacobian_rel_error  # the witness: only the Jacobian's is large
    said = re.search(
        r"agree with it to within [^(]*\(relative error up to ([\d.e+-]*\d)\)", fact.text
    )
    assert said, fact.text
    assert float(said.group(1)) < 1e-6, fact.text  # p − y's own relative error


def _numeric_jacobian(z):
    from core.gradcheck import numerical_grad
    from core.losses import softmax

    return np.stack(
        [numerical_grad(lambda v, i=i: softmax(v)[i], z, h=lf.CHECK_STEP) for i in range(3)]
    )


def test_the_round_off_check_prints_relative_errors_without_a_hidden_floor():
    """Witness (audit pass 55 f): logits (10, −10, −10), class 1 true. Every |p − y| is under
    5e-9 and every Jacobian entry under 4.2e-9, so core.gradcheck's 1e-8 floor on the
    denominator decided the printed "relative error up to 1.6e-08" (p − y) and "up to 0.00078"
    (Jacobian); max |difference| / max(|a| + |b|) is 1.9e-08 and 0.00094."""
    config = lf.Config(logit_1=10.0, logit_2=-10.0, logit_3=-10.0, epochs=10)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "diagonal_mistake_roundoff"]
    g = result.classes["gradient"].to_numpy()
    n = result.classes["central_difference"].to_numpy()
    full = lf.softmax_jacobian(result.probabilities)
    numeric = _numeric_jacobian(result.logits)
    true = [
        np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b)) for a, b in ((g, n), (full, numeric))
    ]
    assert true[0] > 1.8e-8 and true[1] > 9e-4  # the witness: above what the floor gave
    stated = re.findall(r"relative error up to ([\d.e+-]*\d)", fact.text)
    assert len(stated) == 2, fact.text
    for shown, value in zip(stated, true, strict=True):
        assert float(shown) >= value, (shown, value, fact.text)


def test_the_round_off_check_says_every_entry_when_every_entry_is_under_the_bound():
    """Witness (audit pass 55 f): logits (10, −10, −10): the Jacobian's largest entry is
    4.1e-09, under the round-off bound 1.4e-08; the sentence said "the smallest entries of the
    Jacobian here are so small that float64 round-off ... is a visible share of them"."""
    config = lf.Config(logit_1=10.0, logit_2=-10.0, logit_3=-10.0, epochs=10)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "diagonal_mistake_roundoff"]
    assert np.max(np.abs(lf.softmax_jacobian(result.probabilities))) < result.roundoff
    assert "smallest entries" not in fact.text, fact.text
    assert "every entry of the Jacobian" in fact.text, fact.text


def test_a_start_on_the_boundary_is_not_called_only_undecided():
    """Witness (audit pass 55 f): z₀ = 0 (the "Fair start" preset): the answer said "(predicted
    on the boundary σ = 1/2, undecided)", while the lab's accuracy (z > 0 is class 1) counts
    z = 0 as class 0, wrong for the class-1 example."""
    config = lf.Config(start_logit=0.0, epochs=10)
    result = lf.run(config)
    (fact,) = [f for f in lf.facts(config, result) if f.claim == "larger_gradient"]
    assert "class 0, wrongly" in fact.text, fact.text
    assert "undecided)" not in fact.text, fact.text


def test_a_negative_number_prints_the_pages_minus_sign():
    """Audit pass 56 f: at the defaults the answer said "At z₀ = -6" (and the start caption
    "logits from -6.179 to -5.697043") with an ASCII hyphen, beside the prediction's "at the
    default −6" and the preset "Saturated start (z₀ = −8)"."""
    config = lf.Config()
    texts = " ".join(f.text for f in lf.facts(config, lf.run(config)))
    assert "At z₀ = −6 a class-1" in texts and "At z₀ = −6 (dashed)" in texts
    assert "logits from −6.179008 to −5.697043" in texts  # one digit count (audit pass 64 h)
    assert not re.search(r"(?<!\w)-\d", texts), texts


def test_the_textbook_hint_does_not_print_a_rounded_log_as_equal():
    """Audit pass 56 f: the preset hint said "−log 0.7 = 0.357", where −log 0.7 = 0.35667…"""
    hint = lf.PRESETS["Textbook [0.7, 0.2, 0.1]"].hint
    assert "−log 0.7 ≈ 0.357" in hint and "= 0.357" not in hint


def test_a_p_near_one_prints_no_digit_of_float64s_rounding():
    """Audit pass 62 g: logits (−9.9, −9.9, 9.9), class 3, said "p = 1 − 5.034998e-09" for the
    exact 1 − 5.0349974…e-09 (1.0 − p keeps only p's rounding near 1), while the mirrored logits
    (9.9, −9.9, −9.9), class 1, printed the same probability "1 − 5.034997e-09"."""
    exact = 2 * Decimal(2 * -9.9).exp() / (1 + 2 * Decimal(2 * -9.9).exp())
    for logits, cls in (((-9.9, -9.9, 9.9), 2), ((9.9, -9.9, -9.9), 0)):
        config = lf.Config(
            logit_1=logits[0], logit_2=logits[1], logit_3=logits[2], true_class=cls, epochs=10
        )
        fact = next(f for f in lf.facts(config, lf.run(config)) if f.claim == "true_class_loss")
        text = re.search(r"gets p = 1 − (\S+),", fact.text).group(1)
        shown = Decimal(text)
        assert exact.quantize(Decimal(1).scaleb(shown.as_tuple().exponent)) == shown, fact.text


def test_the_loss_is_rounded_from_its_own_digits_not_from_a_cleaned_half():
    """Audit pass 63 h: logits (−9.8, −9.6, 6.2), class 1, have the loss 16.0000002499859…
    (good to ~1e-14), which the printers' cleaning to 12 significant digits read as the half
    16.00000025 and printed "16.0000003": the sentence's "p = 1.1253514658705e-07, so the loss is
    −log p = 16.0000003" (that p gives 16.0000002) and the cross-entropy metric."""
    with localcontext() as context:
        context.prec = 40
        z = [Decimal("-9.8"), Decimal("-9.6"), Decimal("6.2")]
        exact = sum(v.exp() for v in z).ln() - z[0]
    config = lf.Config(logit_1=-9.8, logit_2=-9.6, logit_3=6.2, true_class=0, epochs=10)
    result = lf.run(config)
    shown = Decimal(lc.loss_text(float(result.loss)))
    assert exact.quantize(Decimal(1).scaleb(shown.as_tuple().exponent), ROUND_HALF_UP) == shown
    fact = next(f for f in lf.facts(config, result) if f.claim == "true_class_loss")
    p_text, loss = re.search(r"gets p = (\S+), so the loss is −log p = (\S+)\.", fact.text).groups()
    assert loss == str(shown), fact.text
    implied = -Decimal(p_text).ln()
    assert implied.quantize(shown, ROUND_HALF_UP) == shown, fact.text


@pytest.mark.parametrize(
    "config",
    [
        lf.Config(),
        lf.Config(start_logit=-10.0),
        lf.Config(start_logit=10.0),
        lf.Config(start_logit=-3.0),
    ],
)
def test_the_start_ranges_print_both_ends_at_one_count_of_digits(config):
    """Audit pass 64 h: at the defaults the start caption read "logits from −6.179 to −5.697043
    (σ from 0.002068 to 0.0033446)": each range's low end at fewer significant digits than its
    high end, read as less precise. Both ends now print at one count with their zeros, and σ of
    each printed logit still prints as the printed σ."""
    from core.facts import significant
    from core.losses import sigmoid

    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim.startswith("start_")]
    m = re.search(r"logits from (\S+) to (\S+) \(σ from (1 − )?(\S+) to (1 − )?(\S+)\)", fact.text)
    assert m, fact.text
    z_lo, z_hi, near_lo, s_lo, near_hi, s_hi = m.groups()
    assert significant(z_lo.replace("−", "-")) == significant(z_hi.replace("−", "-")), fact.text
    assert significant(s_lo) == significant(s_hi), fact.text
    for z, near, s in ((z_lo, near_lo, s_lo), (z_hi, near_hi, s_hi)):
        value = float(sigmoid(np.float64(float(z.replace("−", "-")))))
        shown = 1 - float(s) if near else float(s)
        assert math.isclose(
            value, shown, rel_tol=0, abs_tol=0.6 * 10 ** (Decimal(s).as_tuple().exponent)
        ), (z, s, fact.text)


@pytest.mark.parametrize("z0", [-10.0, -0.5, 0.0, 10.0])
def test_the_two_gradients_at_z0_print_at_one_count_of_digits(z0):
    """Audit pass 64 h: at ?z0=-0.5 the answer and the saturation caption read "|∂L/∂z| is 0.62246
    for cross-entropy and 0.2926 for squared error" (at ?z0=10, "4.54e-05 ... and 4.122e-09"):
    the pair compared ("times smaller") at different counts of significant digits."""
    from core.experiments.loss_functions.experiment import _saturation
    from core.facts import significant

    _, at = _saturation(z0)
    ce, mse, ratio, times = lc.gradients_with_ratios(at)
    assert significant(ce) == significant(mse), (ce, mse)
    assert lc.agrees(ratio, Decimal(mse) / Decimal(ce)), (ce, mse, ratio)
    assert lc.agrees(times, Decimal(ce) / Decimal(mse)), (ce, mse, times)
    if z0 == -0.5:
        assert (ce, mse) == ("0.62246", "0.29256")


def test_the_first_gradient_norms_print_at_one_count_of_digits():
    """Audit pass 64 h: at ?z0=10&epochs=10 the training report read "their first gradients had
    norms 0.836 and 6.649e-05", the pair at 3 and 4 significant digits."""
    from core.facts import significant

    config = lf.Config(start_logit=10.0, epochs=10)
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim == "training_report"]
    m = re.search(r"had norms (\S+) and (\S+)\.$", fact.text)
    assert m and significant(m.group(1)) == significant(m.group(2)), fact.text


@pytest.mark.parametrize("z0", [-10.0, -8.0, -0.5, 0.0, 3.0])
def test_the_gradient_ratios_keep_their_zeros(z0):
    """Audit pass 65 e: at ?z0=-0.5 the saturation caption read "a ratio of 0.47 = 2σ(1 − σ)"
    (0.470007) and at ?z0=-10 the ratio sentence "1.1e+04 times smaller" (11015): num dropped a
    zero, printing at 2 significant digits what other z₀ print at 3 ("0.0904", "11.1"). At 3, or
    at the gradients' own count where it is lower (z₀ = 0: "0.50 and 0.25, a ratio of 0.50")."""
    from core.experiments.loss_functions.experiment import _saturation
    from core.facts import significant

    _, at = _saturation(z0)
    ce, mse, ratio, times = lc.gradients_with_ratios(at)
    want = min(3, significant(ce))
    assert significant(ratio) == want and significant(times) == want, (ce, mse, ratio, times)
    assert lc.agrees(ratio, Decimal(mse) / Decimal(ce)), (ce, mse, ratio)
    assert lc.agrees(times, Decimal(ce) / Decimal(mse)), (ce, mse, times)
    if z0 == -0.5:
        assert ratio == "0.470"
    if z0 == -10.0:
        assert times == "1.10e+04"


def test_the_two_squared_errors_print_at_one_count_of_digits():
    """Audit pass 65 e: at the defaults the true-class sentence read "(1 − p)² (here 0.116) …
    Σ(p_i − y_i)² (here 0.1848)", the two squared errors of one sentence at 3 and 4 digits."""
    from core.facts import at_one_precision

    config = lf.Config()
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim == "true_class_loss"]
    m = re.search(r"\(here (\S+)\).*\(here (\S+)\)", fact.text)
    assert m and at_one_precision(m.groups()), fact.text
    assert m.groups() == ("0.1163", "0.1848"), fact.text


def test_the_wrong_classes_p_keep_their_zeros():
    """Audit pass 65 e (noticed): weights (1, 0.01, 0.01), class 2, printed "instead of +0.98 and
    +0.0098 (their p)" beside the true class's equal "p = 0.00980392": zeros kept to 3 digits."""
    config = lf.Config(
        input_mode="probabilities",
        probability_1=1.0,
        probability_2=0.01,
        probability_3=0.01,
        true_class=1,
        epochs=10,
    )
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim.startswith("diagonal")]
    assert "instead of +0.980 and +0.00980 (their p)" in fact.text, fact.text


@pytest.mark.parametrize("z0", [7.0, 8.0, 8.5, 9.0, 9.5, 10.0])
def test_a_sigma_near_one_is_written_with_the_gradient_printed_beside_it(z0):
    """Audit pass 66 c: near 1, σ(z₀) is printed "1 − (1 − σ)", and 1 − σ is cross-entropy's
    |∂L/∂z| in the same sentence; the two printings of that one number differed in digits:
    "σ(z₀) = 1 − 4.54e-05: |∂L/∂z| is 4.540e-05" (z₀ = 10), "1 − 0.00012339 … 0.000123"
    (z₀ = 9), "1 − 0.00033535 … 0.0003354" (z₀ = 8)."""
    config = lf.Config(start_logit=z0, epochs=10)
    result = lf.run(config)
    for claim in ("saturation_ratio", "larger_gradient"):
        (text,) = [f.text for f in lf.facts(config, result) if f.claim == claim]
        sigma, ce = re.search(r"σ\(z₀\) = 1 − (\S+?)[:\s].*?\|∂L/∂z\| is (\S+) for", text).groups()
        assert sigma == ce, text


def test_the_saturation_gradients_keep_their_zeros():
    """Audit pass 66 c: at z₀ = 6.5 "|∂L/∂z| is 0.0015 for cross-entropy and 4.5e-06 for squared
    error, a ratio of 0.0030" printed 0.001501 and 4.5004e-06 at two digits, trailing zeros
    dropped, beside σ(z₀) = 0.998499; and at z₀ = 0, "0.50 and 0.25, a ratio of 0.50"."""
    from core.facts import significant

    for z0 in (6.5, 0.0):
        ce, mse, ratio, _ = lc.gradients_with_ratios(
            lf.run(lf.Config(start_logit=z0, epochs=10)).at_start
        )
        assert min(significant(t) for t in (ce, mse, ratio)) >= 3, (z0, ce, mse, ratio)


@pytest.mark.parametrize(
    "settings, want",
    [
        ({"start_logit": 7.0}, "σ from 1 − 0.00109 to 1 − 0.000673"),
        (
            {"start_logit": 8.0, "dataset": "circles", "learning_rate": 10.0, "seed": 54},
            "σ from 1 − 0.00112 to 1 − 8.64e-05",
        ),
    ],
)
def test_a_start_range_reaching_the_near_one_form_prints_both_ends_in_it(settings, want):
    """Audit pass 67 c: at z₀ = 7 (?z0=7) the start read "σ from 0.9989 to 1 − 0.000673", and
    circles at z₀ = 8, η = 10, seed 54 "σ from 0.999 to 1 − 0.0001046": the low end to 1e-4 or
    1e-3 beside a high end to 1e-6 or 1e-7, a range at two precisions. Both ends as "1 − …" at
    one count of significant digits."""
    from core.facts import at_one_precision

    config = lf.Config(epochs=10, **settings)
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim.startswith("start_")]
    assert want in fact.text, fact.text
    low, high = re.search(r"σ from 1 − (\S+) to 1 − ([^)\s]+)\)", fact.text).groups()
    assert at_one_precision([low, high]), fact.text


@pytest.mark.parametrize("z0", [8.0, 9.0, 9.5])
def test_a_near_one_ratio_is_two_sigma_one_minus_sigma_of_the_printed_sigma(z0):
    """Audit pass 68 h: at z₀ = 9 (?z0=9) the saturation sentence read "σ(z₀) = 1 − 0.000123 …
    a ratio of 0.000247 = 2σ(1 − σ)", where the printed σ gives 2 × 0.000123 × 0.999877 =
    0.000246 (z₀ = 8: "1 − 0.0003354 … 0.000670" gives 0.000671; z₀ = 9.5: "1 − 7.48e-05 …
    0.0001497" gives 0.0001496). The ratio is 2σ(1 − σ) of the σ printed beside it."""
    config = lf.Config(start_logit=z0, epochs=10)
    (text,) = [f.text for f in lf.facts(config, lf.run(config)) if f.claim == "saturation_ratio"]
    sigma, ratio = re.search(r"σ\(z₀\) = 1 − (\S+?):.*a ratio of (\S+) = 2σ", text).groups()
    c = Decimal(sigma)
    assert lc.agrees(ratio, 2 * (1 - c) * c), text


def test_an_inexact_true_class_p_keeps_its_zeros():
    """Audit pass 68 h: logits (0, 0, −10) (?z1=0&z2=0&z3=-10) read "The true class 1 gets
    p = 0.5, … (1 − p)² (here 0.250)": p = 0.4999887 printed as an exact half beside a squared
    error at 3 digits, and beside the same p's "+0.500" (class 2) on the page. At the defaults
    "p = 0.659 … (here 0.1163)" for p = 0.6590011. Zeros kept to prob's 4 digits."""
    for logits, want in (((0.0, 0.0, -10.0), "p = 0.5000,"), ((2.0, 1.0, 0.1), "p = 0.6590,")):
        config = lf.Config(logit_1=logits[0], logit_2=logits[1], logit_3=logits[2], epochs=10)
        (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim == "true_class_loss"]
        assert want in fact.text, fact.text
    # an exact half stays "0.5"
    assert lc.prob(0.5) == "0.5"


def test_the_stalled_slope_bound_keeps_its_zeros():
    """Audit pass 69 h: circles at z₀ = 10 (?data=circles&z0=10) read "at most 6e-05 for any
    example at the start" for a bound of 6.00e-05, one apparent digit where every other z₀
    prints three, under the start caption's "σ from 1 − 6.00e-05"."""
    config = lf.Config(dataset="circles", start_logit=10.0)
    texts = {f.claim: f.text for f in lf.facts(config, lf.run(config))}
    assert "1 − 6.00e-05" in texts["start_class1"], texts["start_class1"]
    assert "at most 6.00e-05 for any example" in texts["mse_stalled"], texts["mse_stalled"]


def test_the_round_off_sentence_prints_its_bounds_at_one_precision():
    """Audit pass 69 h: logits (−10, −10, 9.9), class 1 (?z1=-10&z2=-10&z3=9.9&cls=1) read
    "Central differences agree with it to within 1.5e-10 (relative error up to 7.4e-11) and
    with the Jacobian to within 4e-12": a bound of 4.0e-12 at one apparent digit beside the
    others' two, so the Jacobian's agreement read as the coarser one. Every bound at 2 digits,
    its zeros kept."""
    from core.facts import significant

    config = lf.Config(logit_1=-10.0, logit_2=-10.0, logit_3=9.9, true_class=0, epochs=10)
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim.startswith("diagonal")]
    assert "to within 4.0e-12" in fact.text, fact.text
    bounds = re.findall(r"(?:within|up to|estimate,|under) ([0-9.]+(?:e[-+]\d+)?)", fact.text)
    assert len(bounds) == 5 and {significant(b) for b in bounds} == {2}, (bounds, fact.text)


def test_a_near_one_wrong_class_p_keeps_its_zeros():
    """Audit pass 69 h: logits (−10, −9.9, 9.9), class 1 (?z1=-10&z2=-9.9&z3=9.9&cls=1) read
    "the wrong classes' logits get zero gradient instead of +2.52e-09 and +(1 − 4.8e-09)": the
    second p's 1 − p, 4.80e-09 to three digits, read at two beside the first's three."""
    from core.facts import at_one_precision

    config = lf.Config(logit_1=-10.0, logit_2=-9.9, logit_3=9.9, true_class=0, epochs=10)
    (fact,) = [f for f in lf.facts(config, lf.run(config)) if f.claim.startswith("diagonal")]
    assert "instead of +2.52e-09 and +(1 − 4.80e-09) (their p)" in fact.text, fact.text
    low, high = re.search(r"instead of \+(\S+) and \+\(1 − (\S+)\)", fact.text).groups()
    assert at_one_precision([low, high]), fact.text


@pytest.mark.parametrize(
    "logits",
    [(-10.0, -10.0, 10.0), (-10.0, -9.9, 9.9), (10.0, -10.0, -10.0), (-2.5, -1.0, -7.3)],
)
def test_each_table_pair_prints_at_one_precision(logits):
    """A row's p − y and its central difference, both in significant digits, print at one count
    with zeros kept: (−10, −10, 10), class 1, printed "2.1e-09" beside "2e-09" and (−10, −9.9,
    9.9) "2.5e-09" beside "2.49e-09" (audit pass 71 b)."""
    from core.facts import significant

    config = lf.Config(logit_1=logits[0], logit_2=logits[1], logit_3=logits[2], true_class=0)
    result = lf.run(config)

    def part(text):  # the significant-digit number of a cell, None for fixed decimals
        body = text.lstrip("-").strip("()")
        inner = body[4:] if body.startswith("1 − ") else body
        return inner if body.startswith("1 − ") or "e" in inner else None

    for g, n in zip(*lc.check_cells(result), strict=True):
        parts = part(g), part(n)
        near_one = [t.strip("-()").startswith("1 − ") for t in (g, n)]
        if None not in parts and near_one[0] == near_one[1]:
            assert significant(parts[0]) == significant(parts[1]), (g, n)


def test_a_wrong_class_p_metric_help_prints_three_significant_digits():
    """?z1=-10&z2=-10&z3=10&cls=3: the wrong classes' metric help read "p = 0.000000002", one
    digit, beside the Jacobian sentence's +2.06e-09 (audit pass 71 b)."""
    p = float(np.exp(-20.0) / (2 * np.exp(-20.0) + 1.0))
    assert lc.p_metric(p, 3) == "2.06e-09"
    assert lc.p_metric(0.0004, 3) == "0.0004"
    assert lc.p_metric(0.25, 3) == "0.250"
