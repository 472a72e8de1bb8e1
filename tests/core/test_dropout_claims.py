"""Every sentence the dropout lesson emits is true of its run, at any valid setting."""

import dataclasses
import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from core.experiments import dropout as do
from core.experiments.dropout import claims as dc
from core.facts import agrees, at_one_precision, decimals, num
from tests.claims import Verifiers
from tests.strategies import configs

verify = Verifiers(
    do,
    witnesses=[
        # 16 units, 50 epochs at eta 0.003: the test loss is still falling without dropout
        do.Config(width=16, epochs=50, depth=1, keep_probs=(1.0,)),
        # 3 x 16 units at eta 0.03 on 20 points: every first-layer unit is off on training
        # point 1 at q = 0.2; at seed 6 the mask check of q = 0.8 sees a 3.6-SE fluctuation
        do.Config(
            dataset="circles",
            n_train=20,
            width=16,
            depth=3,
            learning_rate=0.03,
            epochs=400,
            keep_probs=(0.2,),
        ),
        do.Config(
            seed=6,
            n_train=20,
            width=16,
            depth=3,
            learning_rate=0.03,
            epochs=400,
            keep_probs=(0.8,),
        ),
    ],
    unreachable={
        "run_diverged": "Adam moves each weight by at most about 3.2 eta per step (|m/sqrt(v)| <= "
        "(1 - b1)/sqrt(1 - b2)), and none of 960 nets scanned at the extremes (the five data "
        "sets x widths 16 and 128 x depths 1 and 3 x eta 0.003 and 0.03 x 50 and 400 epochs x "
        "20 and 100 points x noise 0 and 1, at q = 1, 0.5 and 0.2) drove its training loss to "
        "1e6 times its start or to a non-finite value; the warning is checked on a constructed "
        "run in test_a_stopped_run_is_named_and_nothing_else_is_said.",
    },
)


def _paired(result):
    d = result.runs[0.5].test_losses - result.runs[1.0].test_losses
    return float(np.mean(d)), float(np.std(d, ddof=1) / math.sqrt(len(d)))


@verify("run_diverged")
def _(config, result, fact):
    assert result.runs[fact.values["q"]].summary["diverged"]


def _text(result, value: float) -> str:
    """A loss as every place on the page prints it (loss_digits: one text per loss)."""
    return num(float(value), do.loss_digits(result))


def _padded(text: str) -> str:
    """A pattern for a printed number that a sentence may print with zeros appended
    (core.facts.alike keeps them: "0.37190" for num's "0.3719"; audit pass 64 g)."""
    mantissa, e, exponent = text.partition("e")
    zeros = "0*" if "." in mantissa else r"(?:\.0+)?"
    return re.escape(mantissa) + zeros + re.escape(e + exponent)


def _shown(result, value: float) -> Decimal:
    return Decimal(_text(result, value))


def _answer(result, fact, expected):
    assert fact.values["answer"] == expected and expected in do.PREDICTION.options
    diff, se = _paired(result)
    assert fact.values["diff"] == pytest.approx(diff) and fact.values["se"] == pytest.approx(se)
    base, half = result.runs[1.0].summary, result.runs[0.5].summary
    # the paired mean is the difference of the final test losses on the curves
    assert diff == pytest.approx(half["test_loss"] - base["test_loss"], rel=1e-9, abs=1e-12)
    # both losses as the report, the dumbbell and the curves print them; the difference stated
    # is theirs ("lower by 1.66" sat beside 0.475 and 2.14 in the report)
    shown_half, shown_base = _shown(result, half["test_loss"]), _shown(result, base["test_loss"])
    half_text, base_text = _text(result, half["test_loss"]), _text(result, base["test_loss"])
    assert re.search(
        rf"Final test loss {_padded(half_text)} with q = 0.5 against {_padded(base_text)} without",
        fact.text,
    ), fact.text
    # a negative difference with the minus sign "−" the page's other sentences print
    assert not re.search(r"(?:by|difference,) -", fact.text), fact.text
    by = re.search(r"(?:by|difference,) (−?[\d.]+(?:e[-+]\d+)?)[,:]", fact.text)
    if by:
        by_text = by.group(1).replace("−", "-")
        assert agrees(by_text, abs(shown_half - shown_base)) or agrees(
            by_text, shown_half - shown_base
        ), (by_text, fact.text)
        # a loss is never negative: the difference printed is no larger than the larger loss
        assert abs(Decimal(by_text)) <= max(shown_half, shown_base), fact.text
    return diff, se


@verify("answer_lower")
def _(config, result, fact):
    diff, se = _answer(result, fact, "lower")
    assert diff < -dc.SAME_SE * se


@verify("answer_higher")
def _(config, result, fact):
    diff, se = _answer(result, fact, "higher")
    assert diff > dc.SAME_SE * se
    # "no guarantee" (a net that fits anyway) only where the net without dropout overfit
    final, best, _, _ = dc._lowest(result.runs[1.0])
    overfit = final > (1 + dc.ROSE) * best
    # and only where the masked net fitted the training points anyway (not harder_to_fit)
    a, b = (result.runs[q].summary["train_loss"] for q in (1.0, 0.5))
    harder = b > dc.FIT_MARGIN * a and b > dc.TINY_LOSS
    assert ("Dropout is no guarantee" in fact.text) == (overfit and not harder), fact.text
    assert ("did not fit the training points anyway" in fact.text) == (overfit and harder)
    assert ("no overfitting for dropout to curb" in fact.text) == (not overfit), fact.text


@verify("answer_same")
def _(config, result, fact):
    diff, se = _answer(result, fact, "about the same")
    assert abs(diff) <= dc.SAME_SE * se
    bound = re.search(r"\(2 × ([\d.e+-]+)\)", fact.text)
    if bound:  # the printed losses are within the two printed standard errors too
        half, base = (result.runs[q].summary["test_loss"] for q in (0.5, 1.0))
        assert abs(_shown(result, half) - _shown(result, base)) <= 2 * Decimal(bound.group(1))


@verify("gap_report")
def _(config, result, fact):
    assert fact.values["q"] == min(result.runs) == min(do.trained_keep_probs(config))
    base = result.runs[1.0].curves.iloc[-1]
    # a share of counts, halves up (39 of 40 is "98%")
    assert f"{dc._percent(base['train_accuracy'])} training accuracy" in fact.text
    # the losses as the dumbbell and the curves print them (loss_digits)
    for q in (1.0, fact.values["q"]):
        s = result.runs[q].summary
        for loss in (s["train_loss"], s["test_loss"]):
            assert re.search(rf"loss {_padded(_text(result, loss))}\b", fact.text), (q, loss)
    _gaps_between_their_losses(fact.text)


def _gaps_between_their_losses(text: str) -> None:
    """Each "training loss A and test loss B (gap G)" prints G between −A and B: a loss is never
    negative, so "test loss 15.28 (gap 15.3)" would leave the training loss at −0.02."""
    pairs = re.findall(
        r"training loss ([\d.e+-]+) and test loss ([\d.e+-]+) \(gap (−?[\d.e+-]+)\)", text
    )
    assert len(pairs) == 2, text
    for train, test, gap in pairs:
        gap = gap.replace("−", "-")
        assert -Decimal(train) <= Decimal(gap) <= Decimal(test), (train, test, gap, text)


def _rise(result, q):
    curves = result.runs[q].curves
    final, best = curves["test_loss"].iloc[-1], curves["test_loss"].min()
    assert result.runs[q].summary["best_epoch"] == curves.loc[curves["test_loss"].idxmin(), "epoch"]
    return final, best


def _lowest_printed(config, result, fact, final, best):
    """The lowest and the final as every place prints them: the final never below the lowest,
    and the lowest below every other point of its curve's tooltips where the curve is drawn."""
    q = fact.values["q"]
    # "its lowest" is of the measured epochs: the spacing is named where it is not every epoch
    every = do.eval_every(config)
    assert (f"measured every {every} epochs" in fact.text) == (every > 1), fact.text
    shown_best, shown_final = _shown(result, best), _shown(result, final)
    assert _text(result, best) in fact.text and _text(result, final) in fact.text, fact.text
    assert shown_final >= shown_best
    if q in config.keep_probs:
        others = result.runs[q].curves["test_loss"]
        above = [v for v in others if v - best > 1e-12 * abs(best)]  # not round-off
        assert all(_shown(result, v) > shown_best for v in above), fact.text
    return shown_final, shown_best


@verify("test_rose")
def _(config, result, fact):
    final, best = _rise(result, fact.values["q"])
    assert final > (1 + dc.ROSE) * best
    shown_final, shown_best = _lowest_printed(config, result, fact, final, best)
    assert shown_final > shown_best
    # the untrained net's loss is not one training "reached" (audit pass 59 c)
    at_start = result.runs[fact.values["q"]].summary["best_epoch"] == 0
    assert ("reached its lowest" in fact.text) != at_start, fact.text
    assert ("before any update" in fact.text) == at_start, fact.text


@verify("test_at_lowest")
def _(config, result, fact):
    final, best = _rise(result, fact.values["q"])
    assert final <= (1 + dc.ROSE) * best
    shown_final, shown_best = _lowest_printed(config, result, fact, final, best)
    s = result.runs[fact.values["q"]].summary
    end = int(result.runs[fact.values["q"]].curves["epoch"].iloc[-1])
    # a lowest at the last measurement is named as such, not "within 1 % of" itself, and
    # without dropout not "does not overfit" of a loss still falling (pass 56 g)
    assert ("lowest at its last measurement" in fact.text) == (s["best_epoch"] == end), fact.text
    if s["best_epoch"] == end:
        assert "does not overfit" not in fact.text and "% of its lowest" not in fact.text, fact.text
        return
    percent = Decimal(re.search(r"within ([\d.]+) ?%", fact.text).group(1))
    assert shown_final <= shown_best * (1 + percent / 100), fact.text


def _train_losses(result):
    return (result.runs[q].curves["train_loss"].iloc[-1] for q in (1.0, 0.5))


@verify("harder_to_fit")
def _(config, result, fact):
    base, half = _train_losses(result)
    assert half > dc.FIT_MARGIN * base and half > dc.TINY_LOSS


@verify("fits_anyway")
def _(config, result, fact):
    base, half = _train_losses(result)
    assert half <= dc.FIT_MARGIN * base or half <= dc.TINY_LOSS
    if half > dc.TINY_LOSS:  # both under TINY_LOSS: "both fit to round-off", no order
        assert ("below" in fact.text) == (half < base)
    most = re.search(r"at most ([\d.]+) ?% above", fact.text)
    if most:  # the bound holds for the printed losses, which every place prints alike
        shown_half, shown_base = _shown(result, half), _shown(result, base)
        assert shown_half <= shown_base * (1 + Decimal(most.group(1)) / 100), fact.text


def _inspected(result, fact):
    kind, key = fact.slot.split(":")
    assert kind in ("inspect", "ensemble")
    (q,) = [q for q in result.runs if do.keep_key(q) == key]
    assert q < 1
    return q, result.runs[q]


@verify("unit_report")
def _(config, result, fact):
    q, run = _inspected(result, fact)
    unit = run.unit
    a = unit["activation"]
    assert a > 0 and unit["q"] == q
    se = a * math.sqrt((1 - q) / (q * do.MASK_DRAWS))  # Bernoulli: Var = a^2 (1 - q) / q
    assert fact.values["z"] == pytest.approx((unit["train_mean"] - a) / se)
    # units counted from 1, as "training point 1" is (the unit's index is 0-based), among the
    # layer's width; a negative z with the page's minus sign
    assert fact.values["unit"] == unit["index"] + 1
    assert fact.text.startswith(
        f"Hidden unit {unit['index'] + 1} of the {config.width} in layer 1,"
    )
    assert "(-" not in fact.text
    assert run.mask_trace["running_scaled"].iloc[-1] == pytest.approx(unit["train_mean"])
    # the mask chart's last point, the mean over every mask, prints as the sentence's mean
    mean = re.search(r"its mean is \*\*([\d.-]+)\*\*", fact.text).group(1)
    last = float(run.mask_trace["running_scaled"].iloc[-1])
    assert decimals(last, do.trace_places(q, run)) == mean
    # every masked value is 0 or a / q
    ratio = np.round(run.mask_trace["scaled"] * q / a, 9)
    assert set(ratio) <= {0.0, 1.0}


@verify("unit_off")
def _(config, result, fact):
    _, run = _inspected(result, fact)
    assert run.unit["activation"] == 0.0


def _z(run):
    a = run.unit["activation"]
    e = run.expectation[run.expectation["rule"] == "training mean (measured)"]
    qs = e["q"].to_numpy()
    se = a * np.sqrt((1 - qs) / (qs * do.CHECK_DRAWS))
    gap = e["value"].to_numpy() - a
    z = np.zeros_like(gap)
    masked = qs < 1
    z[masked] = gap[masked] / se[masked]
    assert np.all(np.abs(gap[~masked]) <= 1e-12 * max(1, a)), "q = 1 is a itself"
    return z


@verify("expectation_within")
def _(config, result, fact):
    _, run = _inspected(result, fact)
    assert run.unit["activation"] > 0
    assert np.abs(_z(run)).max() <= dc.EXPECT_Z


@verify("expectation_outside")
def _(config, result, fact):
    _, run = _inspected(result, fact)
    z = _z(run)
    assert np.abs(z).max() > dc.EXPECT_Z
    assert fact.values["z"] == pytest.approx(z[np.argmax(np.abs(z))])


def _deeper(config, result, fact):
    _, run = _inspected(result, fact)
    assert config.depth >= 2
    d = run.deeper
    assert len(d) == config.width
    active = d[d["inference"] > 0]
    z = ((active["mean"] - active["inference"]) / active["standard_error"]).abs()
    assert fact.values["active"] == len(active)
    return int((z > dc.DEEPER_Z).sum())


@verify("deeper_differs")
def _(config, result, fact):
    beyond = _deeper(config, result, fact)
    assert beyond > 0 and fact.values["beyond"] == beyond


@verify("deeper_close")
def _(config, result, fact):
    assert _deeper(config, result, fact) == 0


def _mc(result, fact):
    """(relative loss gap, accuracy gap, allowed accuracy gap) of the single pass and the average;
    two losses both under TINY_LOSS (0 up to round-off) have no loss gap."""
    q, run = _inspected(result, fact)
    assert fact.slot == do.ensemble_slot(q)
    s, n = run.summary, len(run.test_losses)
    assert fact.values["single"] == s["test_loss"] and fact.values["mc"] == s["mc_test_loss"]
    p = (s["test_accuracy"] + s["mc_test_accuracy"]) / 2
    allowed = max(1 / n, 2 * math.sqrt(p * (1 - p) / n))
    gap = abs(s["test_accuracy"] - s["mc_test_accuracy"])
    assert s["mc_test_loss"] >= 0  # a cross-entropy, even averaged over masks
    if max(s["test_loss"], s["mc_test_loss"]) <= dc.TINY_LOSS:
        return 0.0, gap, allowed
    return abs(s["test_loss"] - s["mc_test_loss"]) / s["mc_test_loss"], gap, allowed


def _mc_printed(result, fact):
    """The average's and the single pass's test loss as printed (the single pass's as every
    other place prints it: loss_digits)."""
    _, run = _inspected(result, fact)
    s = run.summary
    mc_text = _text(result, max(s["mc_test_loss"], 0.0))
    assert re.search(rf"gives test loss {_padded(mc_text)} and", fact.text), fact.text
    return Decimal(mc_text), _shown(result, s["test_loss"])


@verify("mc_close")
def _(config, result, fact):
    loss, gap, allowed = _mc(result, fact)
    assert loss <= dc.MC_CLOSE and gap <= allowed
    mc, single = _mc_printed(result, fact)
    if "within 10% in loss" in fact.text:
        assert abs(single - mc) <= Decimal(str(dc.MC_CLOSE)) * mc, fact.text
    # "a good stand-in" only where the two nets are not both at chance
    chance = dc.chance_share(result.runs[fact.values["q"]])
    assert ("good stand-in" in fact.text) == (chance is None), fact.text


@verify("mc_apart")
def _(config, result, fact):
    loss, gap, allowed = _mc(result, fact)
    assert loss > dc.MC_CLOSE or gap > allowed
    mc, single = _mc_printed(result, fact)
    ratio = re.search(r"loss is ([\d.e+-]+)× the average's", fact.text)
    if ratio:  # the ratio of the printed losses, past 1 ± MC_CLOSE as printed
        assert agrees(ratio.group(1), single / mc), fact.text
        if loss > dc.MC_CLOSE:
            assert abs(Decimal(ratio.group(1)) - 1) > Decimal(str(dc.MC_CLOSE)), fact.text


test_every_claim_has_a_verifier = verify.every_claim_has_a_verifier
test_presets_show_what_they_say = pytest.mark.slow(verify.presets_show_what_they_say)
test_every_claim_is_witnessed = pytest.mark.slow(verify.every_claim_is_witnessed)


def test_the_presets_hints_hold_in_their_details():
    """What the hints say beyond the claims their runs emit."""
    config = do.PRESETS["Overfitting: few noisy points, wide net"].config
    result = do.run(config)
    found = {(f.claim, f.values.get("q")) for f in do.facts(config, result)}
    assert ("test_rose", 1.0) in found, "without dropout the test loss climbs"
    assert result.runs[1.0].summary["best_epoch"] <= 10, "its lowest within the first epochs"
    # audit pass 57 d: "More data" said "without dropout the test loss still rises a little
    # after its lowest, but with q = 0.5 it ends within two standard errors of it" beside the
    # page's "With q = 0.5 the test loss reached its lowest, 0.34588, at epoch 12 and then rose
    # to 0.3719": both rise, and the two standard errors are the paired difference's
    more = do.PRESETS["More data: less to fix"]
    result = do.run(more.config)
    rose = {f.values.get("q") for f in do.facts(more.config, result) if f.claim == "test_rose"}
    assert {1.0, 0.5} <= rose and "with q = 0.5 it rises too" in more.hint, more.hint
    assert "but with q = 0.5" not in more.hint
    base = result.runs[1.0].summary
    assert base["test_loss"] <= 1.2 * base["best_test_loss"], "rises a little"
    narrow = do.run(do.PRESETS["Narrow net"].config).runs[1.0].summary
    assert narrow["train_accuracy"] < 1.0, "does not fit every training point"
    assert narrow["test_loss"] <= 1.1 * narrow["best_test_loss"], "rises only a little"
    larger = do.run(do.PRESETS["Narrow net, larger step"].config).runs[1.0].summary
    assert larger["train_accuracy"] == 1.0, "now it fits every training point"
    memorizing = do.run(do.PRESETS["Memorizing anyway"].config).runs[0.5].summary
    assert memorizing["test_loss"] > 2 * memorizing["mc_test_loss"], "the average is far below"


def test_a_stopped_run_is_named_and_nothing_else_is_said():
    config = do.Config(width=16, epochs=50)
    result = do.run(config)
    run = result.runs[0.5]
    stopped = dataclasses.replace(
        run,
        summary={**run.summary, "diverged": True, "stopped_reason": "the loss exploded"},
    )
    broken = dataclasses.replace(result, runs={**result.runs, 0.5: stopped})
    facts = verify.check(config, broken)
    assert [f.claim for f in facts] == ["run_diverged"]
    assert "q = 0.5" in facts[0].text and facts[0].slot == "warning"


def test_a_unit_that_is_off_is_said_to_be_off():
    config = do.Config(width=16, epochs=50)
    result = do.run(config)
    run = result.runs[0.5]
    off = dataclasses.replace(run, unit={**run.unit, "activation": 0.0})
    facts = verify.check(config, dataclasses.replace(result, runs={**result.runs, 0.5: off}))
    assert "unit_off" in {f.claim for f in facts}
    assert "unit_report" not in {f.claim for f in facts if f.slot == do.inspect_slot(0.5)}


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs(do.Config, max_seconds=1.0))
def test_every_fact_holds_at_any_setting(config):
    verify.check(config)


@pytest.mark.slow
def test_nets_that_fit_to_round_off_are_not_called_apart_or_harder_to_fit():
    """Fourteenth audit: both losses ~1e-110 once printed a negative loss, a ratio of -9e-122 and
    "the masks make the training points harder to fit"."""
    config = do.Config(
        dataset="gaussians",
        n_train=20,
        noise=0.0,
        seed=3,
        width=128,
        depth=3,
        learning_rate=0.03,
        epochs=50,
    )
    facts = verify.check(config)
    claims = {f.claim for f in facts}
    assert {"fits_anyway", "mc_close"} <= claims and not claims & {"harder_to_fit", "mc_apart"}
    assert not any("loss -" in f.text for f in facts)  # a cross-entropy is never negative


@pytest.mark.slow  # a 100-epoch run, ~4 s
def test_within_percent_of_the_lowest_holds_for_every_printed_final_loss():
    """Audit pass 37 (h): 'With q = 0.5 the test loss ends within 1 % of its lowest (0.6422 ...;
    0.6485 ...)' while the answer, gap_report and mc_close printed the same final as 0.649
    (0.649 / 0.6422 = 1.0106)."""
    import re
    from decimal import Decimal

    config = do.Config(
        dataset="spiral", n_train=90, noise=0.6, seed=60, width=128, depth=3,
        learning_rate=0.001, epochs=100, keep_probs=(1.0, 0.5),
    )  # fmt: skip
    result = do.run(config)
    facts = {f.claim: f.text for f in do.facts(config, result)}
    found = re.search(
        r"With q = 0\.5 the test loss ends within ([\d.]+) ?% of its lowest \(([\d.]+) at epoch "
        r"\d+; ([\d.]+) at epoch",
        facts["test_at_lowest"],
    )
    percent, lowest, final = (Decimal(x) for x in found.groups())
    finals = [final]
    for text, pattern in (
        (facts.get("answer_lower", ""), r"Final test loss ([\d.]+) with q = 0\.5"),
        (
            facts.get("gap_report", ""),
            r"With q = 0\.5: training loss [\d.]+ and test loss ([\d.]+)",
        ),
        (facts.get("mc_close", ""), r"without masks gives ([\d.]+)"),
    ):
        finals += [Decimal(x) for x in re.findall(pattern, text)]
    assert len(finals) > 1, facts
    for printed in finals:
        assert printed <= lowest * (1 + percent / 100), (printed, lowest, facts["test_at_lowest"])


def test_the_lowest_test_loss_is_named_as_the_lowest_measured():
    """Audit pass 41 (f): at the defaults (200 epochs, the losses measured every 2nd) the page
    said "With q = 0.5 the test loss reached its lowest, 0.3822, at epoch 6", but at epoch 7,
    not measured, it was 0.3812 ("Memorizing anyway": "its lowest, 1.275, at epoch 0" beside
    0.963 at epoch 1). A lowest of the measured epochs is named as such, with their spacing."""
    from core import mlp
    from core.optim import adam
    from core.train import fit

    config = do.Config()
    result = do.run(config)
    every = do.eval_every(config)
    assert every == 2
    ds, _ = do.prepare_data(config)
    params = mlp.init_params(config.sizes, init="he", seed=config.seed)
    with np.errstate(all="ignore"):
        history = fit(
            params, ds.X_train, ds.y_train, loss=do.LOSS,
            optimizer=adam(config.learning_rate), epochs=config.epochs, batch_size=None,
            dropout=0.5, X_test=ds.X_test, y_test=ds.y_test, seed=config.seed, eval_every=1,
        )  # fmt: skip
    every_epoch = history.epochs.dropna(subset=["test_loss"])
    page = result.runs[0.5].curves
    assert page["test_loss"].iloc[-1] == every_epoch["test_loss"].iloc[-1]  # the same run
    # the witness: an unmeasured epoch went below the lowest the page measured
    assert every_epoch["test_loss"].min() < page["test_loss"].min()
    roses = [
        f
        for f in do.facts(config, result)
        if f.claim in ("test_rose", "test_at_lowest") and f.values["q"] == 0.5
    ]
    assert roses
    for fact in roses:
        assert f"measured every {every} epochs" in fact.text, fact.text


def test_one_active_layer_2_unit_gets_its_own_difference_not_a_median_over_1_units():
    """Audit 42h #3: with one unit of layer 2 active at inference the sentence said "a median of
    171.6% (up to 171.6%) over the 1 units active at inference, 1 of them by more than 4
    standard errors" (a median and a bound of one value, a plural for one unit)."""
    import re

    from core.experiments import dropout as experiment

    config = experiment.Config(
        dataset="spiral",
        n_train=20,
        noise=0.0,
        seed=734,
        width=32,
        depth=3,
        learning_rate=0.03,
        epochs=100,
        keep_probs=(0.9, 0.35),
    )
    result = experiment.run(config)
    single = [
        f
        for f in experiment.facts(config, result)
        if f.claim == "deeper_differs" and f.values["active"] == 1
    ]
    assert single  # the witness: q = 0.35 has one active unit in layer 2
    for fact in single:
        assert "median" not in fact.text and "up to" not in fact.text, fact.text
        assert not re.search(r"\b1 units\b", fact.text), fact.text


def test_one_raised_unit_off_at_inference_takes_a_singular_verb():
    """Audit 42h #3 (the same sentence family): "but 1 of the 11 units off at inference average
    above 0 under masks" (xor, 20 points, noise 0, seed 791, 16 x 2 units, lr 0.03, 50 epochs,
    q = 0.5)."""
    from core.experiments import dropout as experiment

    config = experiment.Config(
        dataset="xor",
        n_train=20,
        noise=0.0,
        seed=791,
        width=16,
        depth=2,
        learning_rate=0.03,
        epochs=50,
        keep_probs=(0.5,),
    )
    result = experiment.run(config)
    raised = [
        f
        for f in experiment.facts(config, result)
        if f.claim == "deeper_close" and f.values["off_raised"] == 1
    ]
    assert raised  # the witness
    for fact in raised:
        assert "off at inference averages above 0" in fact.text, fact.text


def test_the_checked_unit_is_counted_from_1_like_the_training_point():
    """Audit 43h: "Hidden unit 0 of layer 1, on training point 1" (moons, 20 points, seed 13,
    16 x 1 units, 50 epochs, q = 0.5) numbered the unit from 0 and the point from 1 in one
    sentence: the checked unit is the first of the 16. Its z printed "(-0.3 standard errors"
    with a hyphen where the page's other sentences print "−"."""
    from core.experiments import dropout as experiment

    config = experiment.Config(
        n_train=20, seed=13, width=16, depth=1, epochs=50, keep_probs=(1.0, 0.5)
    )
    result = experiment.run(config, progress=lambda *_: None)
    run = result.runs[0.5]
    assert run.unit["index"] == 0  # the first unit, 0-based
    (fact,) = [
        f for f in experiment.facts(config, result)
        if f.claim == "unit_report" and f.slot == experiment.inspect_slot(0.5)
    ]  # fmt: skip
    assert fact.text.startswith("Hidden unit 1 of the 16 in layer 1, on training point 1:")
    assert not re.search(r"\(-\d", fact.text), fact.text


def test_a_negative_difference_prints_the_pages_minus_sign():
    """Audit 55 b: at the "More data: less to fix" preset the answer said "the difference,
    -0.0101, is within two standard errors" and the report "(gap -0.021)" with a hyphen (the
    loss dumbbell's tooltip "test − train -0.021" too), where the page's other sentences print
    "−" ("−1.2 standard errors from a")."""

    config = do.PRESETS["More data: less to fix"].config
    result = do.run(config)
    facts = {f.claim: f for f in do.facts(config, result)}
    assert "the difference, −0.0101," in facts["answer_same"].text
    # both losses of each pair at one count of significant digits (audit pass 64 g)
    assert "(gap −0.02100)" in facts["gap_report"].text
    for fact in do.facts(config, result):
        assert not re.search(r"(?<![\w.])-\d", fact.text), fact.text
    rows = _loss_dumbbell_rows(result)
    gaps = [r["gap_text"] for r in rows if "gap_text" in r]
    assert "−0.021" in gaps and not any(g.startswith("-") for g in gaps), gaps


def _loss_dumbbell_rows(result) -> list[dict]:
    """The rows of the page's train/test loss dumbbell (its tooltips' texts) for ``result``."""
    from ui.charts import training as charts

    chart = charts.split_dumbbell(
        result.summary[result.summary["selected"]],
        charts.KEEP_PROB_COLORS,
        train="train_loss",
        test="test_loss",
        title="t",
        x_title="x",
        y_title="y",
        log_y=True,
        digits=do.loss_digits(result),
        nonnegative=True,
    )
    return [r for frame in chart.to_dict()["datasets"].values() for r in frame]


def test_a_gap_is_never_printed_larger_than_the_test_loss_it_is_taken_from():
    """Pass 49: at the "Memorizing anyway" preset the report said "training loss 1.147e-10 and
    test loss 15.28 (gap 15.3)", and the loss dumbbell's tooltip "15.28 … test − train 15.3": a gap
    above the test loss leaves the training loss negative, which a cross-entropy never is."""

    config = do.PRESETS["Memorizing anyway"].config
    result = do.run(config)
    facts = {f.claim: f for f in do.facts(config, result)}
    _gaps_between_their_losses(facts["gap_report"].text)
    rows = _loss_dumbbell_rows(result)
    rows = [r for r in rows if "train_loss_text" in r]
    assert len(rows) == len(config.keep_probs)
    for r in rows:  # each run's tooltip: its training and test loss and test − train
        train, test = Decimal(r["train_loss_text"]), Decimal(r["test_loss_text"])
        assert -train <= Decimal(r["gap_text"].replace("−", "-")) <= test, r


@pytest.mark.slow  # two 400-epoch runs of a 3 x 128 net, ~15 s
def test_a_printed_test_loss_is_the_networks_own_however_small(monkeypatch):
    """The test loss a sentence prints is the network's mean cross-entropy. Pass 50 h: gaussians
    without noise, 20 points, 3 x 128 units, η = 0.03, 400 epochs: every class-1 test point has
    a logit above 88, where log(1 + e^z) − z is 0 in float64, so the report printed "test loss
    6.99137157901e-57" (only the class-0 points' losses) for the network's 6.74e-41."""
    from core.experiments.dropout import experiment as ex

    captured = []

    def spy(logits, y):
        captured.append((np.array(logits[:, 0]), np.asarray(y, dtype=float)))
        return ex.point_losses.__wrapped__(logits, y)

    spy.__wrapped__ = ex.point_losses
    monkeypatch.setattr(ex, "point_losses", spy)
    monkeypatch.setattr(ex, "_RUNS", type(ex._RUNS)())
    config = do.Config(
        dataset="gaussians",
        n_train=20,
        noise=0.0,
        width=128,
        depth=3,
        learning_rate=0.03,
        epochs=400,
        keep_probs=(1.0,),
    )
    result = do.run(config, progress=lambda *_: None)
    for q, (z, y) in zip(do.trained_keep_probs(config), captured, strict=True):
        # each point's loss without a difference of large numbers: y softplus(−z) + (1 − y) softplus(z)
        exact = float(np.mean(np.where(y > 0.5, np.logaddexp(0.0, -z), np.logaddexp(0.0, z))))
        assert exact > 0
        assert result.runs[q].summary["test_loss"] == pytest.approx(exact, rel=1e-9, abs=0)
        assert float(np.mean(result.runs[q].test_losses)) == pytest.approx(exact, rel=1e-9, abs=0)
    exact = result.runs[1.0].summary["test_loss"]
    report = next(f.text for f in do.facts(config, result) if f.claim == "gap_report")
    printed = re.search(r"test loss ([0-9.e+-]+) \(gap", report).group(1)
    assert float(printed) == pytest.approx(exact, rel=1e-3, abs=0), report


def test_one_active_layer_two_unit_gets_its_difference_not_a_median():
    """Pass 54 g (not counted): "Layer 2's 1 unit active at inference on training point 1 stays
    within 4 standard errors of its inference value (median difference 2.5%)": one unit's
    difference, as deeper_differs prints it for one unit."""
    config = do.Config(
        dataset="spiral",
        n_train=30,
        noise=1.0,
        seed=228,
        width=16,
        depth=2,
        learning_rate=0.03,
        epochs=150,
        keep_probs=(1.0, 0.65, 0.35),
    )
    facts = do.facts(config, do.run(config, progress=lambda *a: None))
    close = [f.text for f in facts if f.claim == "deeper_close" and f.values["active"] == 1]
    assert close, "the witness has one active layer-2 unit"
    assert all("(difference " in t and "median" not in t for t in close), close


def test_a_lowest_at_the_last_measurement_is_not_called_within_1_percent_of_itself():
    """Audit pass 56 (g): preset "Narrow net" said "With q = 0.5 the test loss ends within 1 % of
    its lowest (0.40803 at epoch 200; 0.40803 at epoch 200)", one measurement printed as two;
    and at 16 units, one layer, η = 3e-4 for 100 epochs "Without dropout the test loss ends
    within 1 % of its lowest (… at epoch 100; … at epoch 100): by this measure the network does
    not overfit here" of a loss still falling when training stopped."""
    for config, q in (
        (do.PRESETS["Narrow net"].config, 0.5),
        (do.Config(width=16, depth=1, learning_rate=3e-4, epochs=100), 1.0),
    ):
        result = do.run(config)
        end = int(result.runs[q].curves["epoch"].iloc[-1])
        assert result.runs[q].summary["best_epoch"] == end  # the witness
        (text,) = [
            f.text
            for f in do.facts(config, result)
            if f.claim == "test_at_lowest" and f.values["q"] == q
        ]
        assert "% of its lowest" not in text and "does not overfit" not in text, text
        assert (
            f"lowest at its last measurement ({num(result.runs[q].summary['test_loss'], do.loss_digits(result))} at epoch {end})"
            in text
        ), text
        if q == 1.0:
            assert f"has not overfit within these {end} epochs" in text, text


def test_a_lowest_test_loss_at_epoch_0_is_not_one_training_reached():
    """Audit pass 59 c: preset "Memorizing anyway" said "Without dropout the test loss reached
    its lowest, 1.275, at epoch 0 and then rose": epoch 0 is the net before any update."""
    config = do.PRESETS["Memorizing anyway"].config
    rose = [f.text for f in do.facts(config, do.run(config)) if f.claim == "test_rose"]
    assert rose and all("at epoch 0" in t for t in rose), rose
    for text in rose:
        assert "reached its lowest" not in text, text
        assert re.search(r"was at its lowest, 1\.275\d*, at epoch 0, before any update", text)


def test_a_higher_test_loss_of_a_barely_trained_pair_is_not_called_no_guarantee():
    """Audit pass 61 a: moons, noise 0, depth 1, width 16, η = 3e-4, 50 epochs: the net without
    dropout at 50 % training accuracy, both test losses lowest at their last epoch, and the
    answer said "Dropout is no guarantee: see what to notice below" (the pitfall of a net that
    fits anyway) of a higher test loss that comes with a higher training loss."""
    config = do.Config(dataset="moons", noise=0.0, depth=1, width=16, learning_rate=3e-4, epochs=50)
    result = do.run(config)
    (fact,) = [f for f in do.facts(config, result) if f.claim == "answer_higher"]
    assert "no guarantee" not in fact.text, fact.text
    assert "lowest at its last measurement), so there was no overfitting" in fact.text, fact.text
    assert "training loss (measured without masks) ends higher too" in fact.text, fact.text


def test_the_double_scaling_factors_are_of_a_not_of_the_measured_mean():
    """Audit pass 61 a: "0.5× or 2× the value the next layer saw on average in training" beside
    a measured mean of 1.6596 for a = 1.63997 (0.82 is 0.494× that mean): the factors are of a,
    the expectation (moons, noise 0, depth 1, width 16, η = 3e-4, 50 epochs, q = 0.5)."""
    config = do.Config(dataset="moons", noise=0.0, depth=1, width=16, learning_rate=3e-4, epochs=50)
    result = do.run(config)
    unit = result.runs[0.5].unit
    assert unit["train_mean"] != unit["activation"]  # the witness: a measured mean off a
    (text,) = [
        f.text
        for f in do.facts(config, result)
        if f.claim == "unit_report" and f.slot == dc.inspect_slot(0.5)
    ]
    assert "saw on average" not in text, text
    assert "0.5× or 2× a, the value the next layer saw in expectation in training" in text, text


def test_no_guarantee_is_not_said_where_the_masked_net_fitted_less_closely():
    """Audit pass 62 (h): the net without dropout overfit, but q = 0.5's training loss ended at
    0.53214 against 0.3669 (the masks made the points harder to fit), and the answer said
    "Dropout is no guarantee: see what to notice below", the pitfall of a masked net that fits
    the training points anyway."""
    config = do.Config(
        dataset="moons", n_train=100, noise=0.6, seed=4, width=16, depth=3,
        learning_rate=3e-4, epochs=200, keep_probs=(1.0, 0.5),
    )  # fmt: skip
    result = do.run(config)
    facts = {f.claim: f for f in verify.check(config, result)}
    assert "test_rose" in facts and "harder_to_fit" in facts  # the witness
    text = facts["answer_higher"].text
    assert "no guarantee" not in text, text
    # five digits, zeros kept: loss_digits no longer climbs to pad a pair beside a loss num
    # prints a digit longer (audit pass 68 a)
    assert "ends higher, 0.53214 against 0.36690" in text, text


def test_two_nets_at_chance_are_not_called_a_good_stand_in():
    """Audit pass 62 (h): xor, noise 1, seed 1, q = 0.2: the single pass and the average over
    masks score test losses 0.6935 and 0.6988 (about ln 2) and accuracies 48.1% and 55.0%,
    both at chance, and the page said "so here the one-pass rule is a good stand-in for the
    average over masks"."""
    config = do.Config(dataset="xor", noise=1.0, seed=1, keep_probs=(1.0, 0.5, 0.2))
    result = do.run(config)
    facts = [f for f in dc.facts(config, result) if f.claim == "mc_close"]
    text = next(f.text for f in facts if "(q = 0.2)" in f.text)
    assert "good stand-in" not in text, text
    assert "both score at chance" in text, text


def _noise_upload(features: int, rows: int = 200):
    import pandas as pd

    from core.upload import dataset_from_frame

    rng = np.random.default_rng(0)
    rng.normal(size=(rows, 2))  # the draws the witness was found after
    rng.integers(0, 2, rows)
    frame = pd.DataFrame(
        rng.normal(size=(rows, features)), columns=[f"f{i}" for i in range(features)]
    )
    frame["y"] = rng.integers(0, 2, rows)
    data, _ = dataset_from_frame(frame, target="y", task="classification", seed=0, name="n.csv")
    return data


def test_nets_at_chance_on_an_upload_without_maps_are_not_called_a_good_stand_in():
    """Audit pass 63 b: a 200-row upload of three normal features and random labels, width 16,
    one layer, 50 epochs, q = 1 and 0.5: the single pass and the average over masks score 55.0 %
    and 61.7 % on 60 test points where always answering the commonest class gets 60.0 %, and the
    page said "so here the one-pass rule is a good stand-in": the chance check read the test
    labels from the maps' points, which an upload of more than two features does not draw."""
    config = do.Config(width=16, depth=1, epochs=50, keep_probs=(1.0, 0.5))
    result = do.run(config, _noise_upload(3))
    assert result.runs[0.5].points.empty
    text = next(f.text for f in dc.facts(config, result) if f.claim == "mc_close")
    assert "good stand-in" not in text, text
    assert "both score at chance" in text and "60.0%" in text, text


def test_the_gap_reports_two_gaps_print_at_one_precision_and_the_se_keeps_its_zero():
    """Audit pass 63 b: a 200-row upload of two normal features and random labels, width 16, one
    layer, 50 epochs, q = 1 and 0.5: "(gap −0.01948). With q = 0.5: … (gap −0.02)" for a gap of
    −0.020008 between the printed losses, and the answer's "within two standard errors
    (2 × 0.007)" for an SE rounded up to 0.0070 (one digit beside a difference at three)."""
    config = do.Config(width=16, depth=1, epochs=50, keep_probs=(1.0, 0.5))
    result = do.run(config, _noise_upload(2))
    facts = {f.claim: f.text for f in dc.facts(config, result)}
    gaps = re.findall(r"\(gap (−?[0-9.]+)\)", facts["gap_report"])
    assert len(gaps) == 2, facts["gap_report"]
    from core.facts import significant

    assert at_one_precision([g.lstrip("−") for g in gaps]), facts["gap_report"]
    assert "(2 × 0.007)" not in facts["answer_same"], facts["answer_same"]
    se = re.search(r"\(2 × ([0-9.]+)\)", facts["answer_same"]).group(1)
    assert significant(se) == 2, facts["answer_same"]


def test_the_expectation_check_does_not_put_q_1_within_standard_errors_of_0():
    """Audit pass 63 b: width 16, one layer, 50 epochs, 20 points, seed 0, q = 1: "At all 10
    values of q from 0.1 to 1, the mean of mask·a/q over 2,000 masks is within 1.6 standard
    errors of a", where at q = 1 the standard error is 0 and the mean is 4.4e-16 below a: within
    1.6 × 0 it is not. q = 1 is said apart, as a up to float round-off."""
    config = do.Config(width=16, depth=1, epochs=50, keep_probs=(1.0,), n_train=20, seed=0)
    result = do.run(config)
    run = result.runs[1.0]
    e = run.expectation[run.expectation["rule"] == "training mean (measured)"]
    at_one = e[e["q"] == 1.0]
    assert float(at_one["standard_error"].iloc[0]) == 0
    assert float(at_one["value"].iloc[0]) != run.unit["activation"]
    text = next(f.text for f in dc.facts(config, result) if f.claim == "expectation_within")
    assert "from 0.1 to 1," not in text, text
    assert "from 0.1 to 0.9," in text and "at q = 1 nothing is masked" in text, text


@pytest.mark.parametrize(
    "settings, q",
    [
        # within 10 %: "gives test loss 0.372185 … the single pass … gives 0.36173"
        (dict(n_train=100, seed=241, width=16, depth=2, epochs=100), 0.8),
        # a ratio: "gives test loss 0.78672 … gives 1.01"
        (
            dict(
                noise=1.0, n_train=20, seed=387, width=16, depth=1, epochs=50, learning_rate=0.0003
            ),
            0.2,
        ),
    ],
)
def test_the_monte_carlo_losses_print_at_one_count_of_significant_digits(settings, q):
    """Audit pass 64 g: the Monte Carlo sentence printed the average's and the single pass's
    test losses at different significant digits (core.facts.alike now prints both)."""
    from core.facts import significant

    config = do.Config(keep_probs=tuple(dict.fromkeys((1.0, 0.8, 0.5, q))), **settings)
    result = do.run(config)
    fact = next(
        f for f in do.facts(config, result) if f.claim.startswith("mc_") and f.values["q"] == q
    )
    mc, single = re.search(
        r"gives test loss (\S+) and accuracy .*? without masks gives (\S+) and", fact.text
    ).groups()
    assert significant(mc) == significant(single), fact.text


@pytest.mark.parametrize(
    "settings, pattern",
    [
        # the answer: "Final test loss 0.7348 with q = 0.5 against 0.84496 without dropout"
        (
            dict(dataset="xor", n_train=40, noise=1.0, seed=300, width=16, depth=2, epochs=50),
            r"Final test loss (\S+) with q = 0.5 against (\S+) without",
        ),
        # the gap report: "training loss 0.547499 and test loss 0.72871 (gap …"
        (
            dict(
                dataset="circles",
                n_train=20,
                noise=0.0,
                seed=148,
                width=32,
                depth=1,
                epochs=50,
                learning_rate=0.0003,
            ),
            r"training loss (\S+) and test loss (\S+) \(gap",
        ),
        # the fit sentence: "ends higher with q = 0.5 (0.15387 against 0.0005657)"
        (
            dict(
                n_train=40,
                noise=0.0,
                seed=486,
                width=32,
                depth=2,
                epochs=50,
                learning_rate=0.03,
                keep_probs=(1.0, 0.5, 0.2),
            ),
            r"ends higher with q = 0.5 \((\S+) against (\S+)\)",
        ),
    ],
)
def test_compared_losses_print_at_one_count_of_significant_digits(settings, pattern):
    """Audit pass 64 g: the answer, the gap report and the fit sentence compared two losses
    printed at different significant digits. Each pair prints at one count, zeros kept, or a
    loss num must print longer (never a rounded-up 5) keeps its digits alone
    (core.facts.at_one_precision; audit pass 68 a)."""
    from core.facts import significant

    config = do.Config(**{"keep_probs": (1.0, 0.5), **settings})
    result = do.run(config)
    losses = [
        float(v)
        for run in result.runs.values()
        for k in ("train_loss", "test_loss", "mc_test_loss", "best_test_loss")
        if k in run.summary and np.isfinite(v := run.summary[k])
    ]

    def value(text: str) -> float:
        # the losses this text prints (two that print alike tell the same about its digits)
        shown = [v for v in losses if Decimal(num(v, significant(text))) == Decimal(text)]
        assert shown, text
        return shown[0]

    pairs = [m.groups() for f in do.facts(config, result) for m in re.finditer(pattern, f.text)]
    assert pairs, [f.text for f in do.facts(config, result)]
    for a, b in pairs:
        assert at_one_precision((a, b), (value(a), value(b))), (a, b)


@pytest.mark.parametrize(
    "settings, q, ratio",
    [
        # ratio 1.1026: "1.1×" sits on mc_close's "within 10 %"
        (
            dict(dataset="circles", n_train=20, noise=0.6, seed=29, width=32, epochs=50),
            0.5,
            "1.103",
        ),
        # ratio 0.83033: "0.83×" beside losses at 6 digits
        (dict(dataset="xor", n_train=60, noise=0.0, seed=171, width=16, epochs=50), 0.5, "0.830"),
    ],
)
def test_the_monte_carlo_ratio_keeps_its_zeros_and_its_side_of_ten_percent(settings, q, ratio):
    """Audit pass 65 f: mc_apart printed the single pass's loss ratio with num's dropped zeros,
    "1.1×" for 1.1026 (the 10 % that mc_close calls "within 10 % in loss") and "0.83×" for
    0.83033 beside losses at 6 and 7 digits. The ratio now keeps its zeros (alike) and digits
    enough to print past 1 ± MC_CLOSE."""
    config = do.Config(
        **{"depth": 2, "learning_rate": 0.03, "keep_probs": (1.0, 0.8, 0.5), **settings}
    )
    result = do.run(config)
    (fact,) = [f for f in do.facts(config, result) if f.claim == "mc_apart" and f.values["q"] == q]
    assert f"loss is {ratio}× the average's" in fact.text, fact.text


def _unit_sentence(settings, q):
    config = do.Config(**{"keep_probs": (1.0, 0.5, q), **settings})
    result = do.run(config)
    (fact,) = [
        f
        for f in do.facts(config, result)
        if f.claim == "unit_report" and f.slot == do.inspect_slot(q)
    ]
    a = re.search(r"a = \*\*([^*]+)\*\*", fact.text).group(1)
    mean = re.search(r"its mean is \*\*([^*]+)\*\*", fact.text).group(1)
    return fact, a, mean


@pytest.mark.parametrize(
    "settings, q",
    [
        # "a = 1.016506 … its mean is 1.0213 (+0.9 standard errors from a)"
        (dict(width=16, depth=1, epochs=50), 0.9),
        # "a = 2.6204 … its mean is 2.6342684132052020 (+1.001 standard errors from a)"
        (
            dict(
                dataset="circles",
                n_train=20,
                noise=0.35,
                seed=120,
                width=32,
                depth=2,
                learning_rate=0.003,
                epochs=100,
            ),
            0.9,
        ),
    ],
)
def test_the_unit_and_its_mean_print_at_one_count_of_decimals(settings, q):
    """Audit pass 65 f: the unit sentence compared a and its measured mean (by their z) at
    different decimals, and where a's rounding alone moved a z printed to 3 decimals no digits of
    the mean could make the printed pair give it, so the mean printed to 16 decimals (float64's
    noise). Both now print at one count of decimals, a decimal more for both where needed."""
    fact, a, mean = _unit_sentence(settings, q)
    assert len(a.partition(".")[2]) == len(mean.partition(".")[2]) <= 8, fact.text
    z = re.search(r"\*\* \((\S+) standard errors from a\)", fact.text).group(1)
    se = Decimal(a) * ((1 - Decimal(repr(q))) / (Decimal(repr(q)) * do.MASK_DRAWS)).sqrt()
    assert agrees(z, (Decimal(mean) - Decimal(a)) / se), fact.text


def test_a_mean_equal_to_a_up_to_round_off_is_not_read_as_a_z():
    """Audit pass 65 f: at q = 0.2 the masks kept the unit exactly 800 times of 4,000, so its mean
    of mask·a/q is a up to float round-off; the sentence printed "its mean is 5.4211819257573340
    (−0.000000000001 standard errors from a)" beside "a = 5.42118"."""
    settings = dict(
        dataset="circles",
        n_train=40,
        noise=1.0,
        seed=232,
        width=16,
        depth=1,
        learning_rate=0.03,
        epochs=50,
    )
    fact, a, mean = _unit_sentence(settings, 0.2)
    assert a == mean == "5.42118", fact.text
    assert "standard errors from a" not in fact.text
    assert "(a up to float round-off: the masks kept it 800 times, exactly q × 4,000)" in fact.text


def test_q_times_a_prints_at_the_decimals_of_the_mean_it_is_compared_with():
    """Audit pass 66 e: the defaults at q = 0.5 read "without the 1/q it would be 0.82746 ≈ q·a.
    Scaling again at inference would give q·a = 0.8242": the two values the ≈ compares at
    different precision (q·a = 0.5 × 1.64833 = 0.824165)."""
    config = do.Config(epochs=200)
    result = do.run(config)
    fact = next(
        f for f in do.facts(config, result) if f.claim == "unit_report" and f.slot.endswith("0.5")
    )
    unscaled = re.search(r"without the 1/q it would be (\S+) ≈ q·a", fact.text).group(1)
    qa = re.search(r"q·a = (\S+) \(×q\)", fact.text).group(1)
    a = re.search(r"a = \*\*(\S+)\*\*", fact.text).group(1)
    assert (unscaled, qa) == ("0.82746", "0.82417"), fact.text
    assert agrees(qa, Decimal(a) * Decimal("0.5"))


def test_the_mean_without_the_1_over_q_prints_at_the_decimals_of_q_times_a():
    """Audit pass 67 b: every q selected, inspecting q = 0.9, read "without the 1/q it would be
    1.7331 ≈ q·a. Scaling again at inference would give q·a = 1.73645": q·a lengthened by the
    never-a-rounded-up-5 rule (1.736451), the mean it is compared with left at 4 decimals."""
    config = do.Config(epochs=200, keep_probs=do.KEEP_PROBS)
    result = do.run(config)
    fact = next(
        f for f in do.facts(config, result) if f.claim == "unit_report" and f.slot.endswith("0.9")
    )
    unscaled = re.search(r"without the 1/q it would be (\S+) ≈ q·a", fact.text).group(1)
    qa = re.search(r"q·a = (\S+) \(×q\)", fact.text).group(1)
    mean = re.search(r"its mean is \*\*(\S+)\*\*", fact.text).group(1)
    assert (unscaled, qa) == ("1.73308", "1.73645"), fact.text
    assert agrees(unscaled, Decimal(mean) * Decimal("0.9")), fact.text


def test_the_boundary_title_prints_the_accuracy_as_the_ensemble_sentence():
    """Audit pass 66 e: the defaults titled q = 0.5's map "test acc. 80%" above the Monte Carlo
    sentence's "the single pass without masks gives 0.530082 and 80.0%": one accuracy at two
    precisions."""
    config = do.Config()
    result = do.run(config)
    mc = next(f.text for f in do.facts(config, result) if f.slot == dc.ensemble_slot(0.5))
    single = re.search(r"single pass without masks gives \S+ and (\S+%)", mc).group(1)
    assert do.test_accuracy_text(0.5, result.runs[0.5]) == single == "80.0%", mc


def test_the_risen_final_loss_prints_as_the_answer_prints_it():
    """Audit pass 66 e: xor, 50 points, noise 0.05, seed 288, 32 units, 1 layer, η = 0.03, 100
    epochs, every q selected: the answer read "against 0.13004076 without dropout" and test_rose
    "then rose to 0.130040764" (alike lengthened the pair past loss_digits' 8 digits)."""
    config = do.Config(
        dataset="xor",
        n_train=50,
        noise=0.05,
        seed=288,
        width=32,
        depth=1,
        learning_rate=0.03,
        epochs=100,
        keep_probs=do.KEEP_PROBS,
    )
    facts = do.facts(config, do.run(config))
    answer = next(f.text for f in facts if f.claim.startswith("answer_"))
    rose = next(f.text for f in facts if f.claim == "test_rose" and f.values["q"] == 1.0)
    final = re.search(r"then rose to (\S+) by epoch", rose).group(1)
    assert f"against {final} without dropout" in answer, (answer, rose)


def test_a_loss_num_prints_longer_does_not_lengthen_every_loss():
    """Audit pass 68 a: at epochs 400, η = 0.03 with every q selected the page printed every
    loss at 14 significant digits ("Final test loss 6.6463367115778 with q = 0.5 against
    5.4398984321174"): a sentence padded a loss beside one num prints a digit longer (0.18545,
    never a rounded-up 5) to "3.7752", a second text of the loss the tooltips print as 3.775,
    and loss_digits climbed until no loss of the page was lengthened."""
    config = do.Config(epochs=400, learning_rate=0.03, keep_probs=do.KEEP_PROBS)
    result = do.run(config)
    assert do.loss_digits(result) == 4
    facts = {f.claim: f for f in do.facts(config, result)}
    text = facts["answer_same"].text
    assert text.startswith("Final test loss 6.646 with q = 0.5 against 5.440 without"), text


def test_q_times_a_and_a_over_q_print_alike_side_by_side():
    """Audit pass 70 c: depth 1, width 16, 20 points, noise 0, 50 epochs, q = 0.5 read "Scaling
    again at inference would give q·a = 1.079717 (×q) or a/q = 4.3189 (÷q)": the two
    alternatives at 6 and 4 decimals side by side (q·a lengthened to the mean it is compared
    with). a/q now prints at q·a's decimals, in both of the sentence's places."""
    config = do.Config(depth=1, width=16, n_train=20, noise=0.0, epochs=50)
    result = do.run(config)
    fact = next(
        f for f in do.facts(config, result) if f.claim == "unit_report" and f.slot.endswith("0.5")
    )
    qa, aq = re.search(r"q·a = (\S+) \(×q\) or a/q = (\S+) \(÷q\)", fact.text).groups()
    a = re.search(r"a = \*\*(\S+)\*\*", fact.text).group(1)
    assert (qa, aq) == ("1.079717", "4.318868"), fact.text
    assert re.search(r"either 0 or a/q = (\S+)\. ", fact.text).group(1) == aq, fact.text
    assert agrees(aq, Decimal(a) / Decimal("0.5"))


@pytest.mark.slow  # a 100-epoch run and a 50-epoch one, ~8 s
def test_percents_print_one_way_on_the_page():
    """Audit pass 70 c: the page wrote percents two ways side by side, "80.0%", "100%" and
    "within 10% in loss" beside "within 1 % of its lowest", "at most 5 % above" and the Narrow
    net preset's "training accuracy below 100 %" (the spiral witness of pass 37 h at q = 0.5,
    and depth 1, width 16, 20 points, noise 0, η = 0.0003, 50 epochs, every q)."""
    configs = [
        do.Config(
            dataset="spiral", n_train=90, noise=0.6, seed=60, width=128, depth=3,
            learning_rate=0.001, epochs=100, keep_probs=(1.0, 0.5),
        ),
        do.Config(
            n_train=20, noise=0.0, width=16, depth=1, learning_rate=3e-4, epochs=50,
            keep_probs=do.KEEP_PROBS,
        ),
    ]  # fmt: skip
    texts = [p.hint for p in do.PRESETS.values()]
    for config in configs:
        texts += [f.text for f in do.facts(config, do.run(config))]
    assert any(re.search(r"\d%", t) for t in texts)
    spaced = [t for t in texts if re.search(r"\d %", t)]
    assert not spaced, spaced
