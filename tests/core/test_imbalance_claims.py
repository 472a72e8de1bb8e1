"""Every sentence the imbalance lesson emits is true of its run, at any valid setting.

The verifiers recompute each claim from the run's stored scores with scikit-learn's metrics
(never from the sentence, and not through the lesson's own operating_point).
"""

import json
import math
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
)

from core.data import Dataset
from core.experiments import imbalance as im
from core.experiments.imbalance import claims as ic
from core.facts import agrees, decimals, num, reads_alike
from tests.claims import Verifiers
from tests.core.test_imbalance_experiment import _upload, best_f1
from tests.strategies import configs

SMALL = {"n_samples": 4_000}

verify = Verifiers(
    im,
    witnesses=[
        im.Config(**SMALL),  # the default at 4,000 rows: few test positives
        im.Config(separation=0.0, seed=6, **SMALL),  # AUC moves by more than 0.03 by chance
        im.Config(separation=5.0, **SMALL),  # a near-perfect ranking: AP holds
        im.Config(separation=0.0, prevalence=0.5, threshold=0.001, **SMALL),  # all flagged
    ],
    unreachable={
        "sweep_short": "The synthetic sweep draws 200 fresh positives and every negative it "
        "needs, so every prevalence is there; only an upload's test split can lack rows. "
        "test_an_upload_with_few_test_positives_shortens_the_sweep reaches it.",
    },
    # a Brier gap's SE prints at the gap's decimals where its own 2 digits would need more
    # (claims.brier_se_text): "+0.000004 ± 0.000005" at prevalence 0.5, separation 0, 7,535 rows
    longer_se=dict.fromkeys(
        ("weights_distort", "weights_no_worse", "oversampling_distorts", "oversampling_no_worse"),
        "the Brier gap's SE at the gap's decimals where 2 significant digits need more",
    ),
)


def _y(result):
    return result.scores["y"].to_numpy()


def _pred(config, result, training="plain", threshold=None):
    t = config.threshold if threshold is None else threshold
    return (result.test_scores(config.model, training) >= t).astype(int)


def _gain(config, result):
    """Accuracy minus the majority's, and the SE of the paired per-row difference."""
    y, pred = _y(result), _pred(config, result)
    majority = int(y.mean() > 0.5)
    d = (pred == y).astype(float) - (y == majority).astype(float)
    return d.mean(), d.std(ddof=1) / math.sqrt(len(d))


def _answer(config, result, fact):
    gain, se = _gain(config, result)
    y, pred = _y(result), _pred(config, result)
    assert fact.values["accuracy"] == pytest.approx(accuracy_score(y, pred), abs=1e-12)
    assert fact.values["gain"] == pytest.approx(gain, abs=1e-12)
    assert fact.values["se"] == pytest.approx(se, abs=1e-12)
    assert fact.values["answer"] in im.PREDICTION.options
    if gain > 0:
        _printed_gain_is_the_printed_difference(fact.text)
    return gain, se


_GAIN_TEXT = re.compile(
    r"\(([\d.]+) %\); always answering '\w+' is right on [\d,]+ \(([\d.]+) %\)\. The gain, "
    r"([\d.]+) percentage points ± ([\d.]+) percentage points"
)


def _printed_gain_is_the_printed_difference(text: str) -> None:
    """The answer's gain over the majority baseline is the difference of the two accuracies it
    prints, to the gain's last digit, and both sit on the side of two printed standard errors the
    sentence names (audit pass 50 g: "98.66666667 % ... 94.83333333 %. The gain, 3.83333333",
    printed accuracies 3.83333334 apart)."""
    acc, base, gain, se = _GAIN_TEXT.search(text).groups()
    implied = Decimal(acc) - Decimal(base)
    assert agrees(gain, implied), (acc, base, gain)
    above = "more than two standard errors" in text
    assert (Decimal(gain) > 2 * Decimal(se)) == above == (implied > 2 * Decimal(se)), text


@verify("accuracy_clearly_above")
def _(config, result, fact):
    gain, se = _answer(config, result, fact)
    assert gain > 2 * se and fact.values["answer"] == "clearly higher"
    # at separation 0 (synthetic data) the classes are identical: no model beats the majority
    # guess in expectation, and the sentence says the gain is luck (audit pass 60 d)
    identical = not result.info["uploaded"] and config.separation == 0
    assert ("doing more than guessing the majority" in fact.text) == (not identical), fact.text


@verify("accuracy_within_noise")
def _(config, result, fact):
    gain, se = _answer(config, result, fact)
    assert 0 < gain <= 2 * se and fact.values["answer"] == "higher, but within noise"
    # at separation 0 (synthetic data) nothing can show learning (audit pass 61 f)
    identical = not result.info["uploaded"] and config.separation == 0
    assert ("Recall and precision can." in fact.text) == (not identical), fact.text


@verify("accuracy_not_above")
def _(config, result, fact):
    gain, _ = _answer(config, result, fact)
    y, pred = _y(result), _pred(config, result)
    assert accuracy_score(y, pred) <= max(y.mean(), 1 - y.mean()) + 1e-12
    assert gain <= 0 and fact.values["answer"] == "no higher"


@verify("few_test_positives")
def _(config, result, fact):
    k = fact.values["positives"]
    assert k == _y(result).sum() < ic.FEW_POSITIVES
    # "1/8 = 0.125" exact, "1/7 ≈ 0.143" rounded (audit pass 57 a)
    shown = re.search(rf"recall by 1/{k} (=|≈) ([\d.]+),", fact.text)
    assert shown, fact.text
    exact = Decimal(shown.group(2)) == Decimal(1) / Decimal(k)
    assert shown.group(1) == ("=" if exact else "≈"), fact.text


@verify("operating_point")
def _(config, result, fact):
    y, pred = _y(result), _pred(config, result)
    p = fact.values["point"]
    assert p["tp"] == int(((pred == 1) & (y == 1)).sum())
    assert p["fp"] == int(((pred == 1) & (y == 0)).sum())
    assert p["fn"] == int(((pred == 0) & (y == 1)).sum())
    assert p["recall"] == pytest.approx(recall_score(y, pred), abs=1e-12)
    assert p["f1"] == pytest.approx(f1_score(y, pred, zero_division=0.0), abs=1e-12)
    assert p["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y, pred), abs=1e-12)
    if pred.any():
        assert p["precision"] == pytest.approx(precision_score(y, pred), abs=1e-12)
    assert f"{p['tp']:,} true positive{'s' * (p['tp'] != 1)}," in fact.text
    if config.threshold == 0.5:
        _point_prints_as_the_remedies(config, result, fact.text)


def _point_prints_as_the_remedies(config, result, text):
    """At threshold 0.5 the operating point is the remedies' "no remedy" row: its precision,
    recall and F1 print as the remedies chart's tooltips and weights_trade_precision print them
    (audit pass 40: "Precision 0.862" beside "precision 0.8625 → 0.8620" for 765 of 887)."""
    from ui.charts import imbalance as charts

    chart = charts.remedies_chart(
        result.remedies, config.model, f1_decimals=ic.remedy_decimals(config, result)
    )
    bars = chart.layer[0].data
    tips = {
        m: t
        for label, m, t in zip(bars["label"], bars["metric"], bars["value_text"], strict=True)
        if label.startswith("no remedy (")
    }
    found = re.search(r"Precision ([\d.]+|undefined).*?, recall ([\d.]+), F1 ([\d.]+),", text)
    for metric, shown in zip(("precision", "recall", "F1"), found.groups(), strict=True):
        if shown != "undefined":
            assert shown == tips[metric], (metric, shown, tips[metric])
    weights = [f.text for f in ic.facts(config, result) if f.claim == "weights_trade_precision"]
    if weights:
        recall, precision = re.search(
            r"recall ([\d.]+) → [\d.]+, precision ([\d.]+) →", weights[0]
        ).groups()
        assert (recall, precision) == (found.group(2), found.group(1)), (weights[0], text)


def _splitting_thresholds(config, result, above: bool) -> list[float]:
    """The slider's thresholds above (or below) the Config's that flag some test rows and not
    all (a lower threshold that flags every row is no operating point either: audit pass 57 a)."""
    scores = result.test_scores(config.model, "plain")
    return [
        t
        for t in im.THRESHOLDS
        if (t > config.threshold if above else t < config.threshold)
        and 0 < (scores >= t).sum() < len(scores)
    ]


@verify("nothing_flagged")
def _(config, result, fact):
    assert not _pred(config, result).any()
    # "lower the threshold" only where a lower threshold of the slider flags some rows and not
    # all (audit pass 57 a)
    told = "Lower the threshold" in fact.text
    assert told == bool(_splitting_thresholds(config, result, above=False)), fact.text


@verify("everything_flagged")
def _(config, result, fact):
    assert _pred(config, result).all()
    # "raise the threshold" only where a higher threshold of the slider flags some rows and
    # not all (audit pass 56 g)
    told = "Raise the threshold" in fact.text
    assert told == bool(_splitting_thresholds(config, result, above=True)), fact.text


@verify("accuracy_hides_recall")
def _(config, result, fact):
    y, pred = _y(result), _pred(config, result)
    gap = accuracy_score(y, pred) - balanced_accuracy_score(y, pred)
    assert gap >= ic.DISAGREE and fact.values["gap"] == pytest.approx(gap, abs=1e-12)
    # the accuracy as the answer prints it (audit pass 38), the gap that of the printed two
    acc, bal, shown = re.search(
        r"Accuracy \(([\d.]+)\) and balanced accuracy \(([\d.]+), .+? are ([\d.]+) apart", fact.text
    ).groups()
    _hides_accuracy_is_the_answers(result.point(config.model, config.threshold), acc)
    assert "only 0 of" not in fact.text, fact.text  # "none of the 9 positives is caught"
    assert "only 1 of" not in fact.text or "positives is caught" in fact.text, fact.text
    assert agrees(shown, Decimal(acc) - Decimal(bal)), fact.text
    assert (
        abs(Decimal(shown) - Decimal(repr(gap)))
        <= Decimal(1).scaleb(Decimal(shown).as_tuple().exponent) / 2
    ), fact.text
    # the operating point prints the same balanced accuracy: the longer text rounds to the
    # shorter (audit pass 39t)
    _same_balanced_accuracy(config, result, bal)


def _same_balanced_accuracy(config, result, bal: str) -> None:
    """The operating point's balanced accuracy and ``bal`` (accuracy_hides_recall's) print one
    value: the longer of the two rounds, halves up, to the shorter."""
    (point,) = [f for f in ic.facts(config, result) if f.claim == "operating_point"]
    shown = re.search(r"balanced accuracy ([\d.]+);", point.text).group(1)
    short, long = sorted((shown, bal), key=lambda t: -Decimal(t).as_tuple().exponent)
    assert agrees(short, Decimal(long)), (shown, bal)


def _sweep(config, result):
    part = result.sweep[result.sweep["model"] == config.model]
    high = part.loc[part["prevalence"].idxmax()]
    low = part.loc[part["prevalence"].idxmin()]
    return part, high, low


def _sweep_values(config, result, fact):
    part, high, low = _sweep(config, result)
    spread = part["auc"].max() - part["auc"].min()
    assert fact.values["spread"] == pytest.approx(spread)
    assert (fact.values["ap_high"], fact.values["ap_low"]) == (high["ap"], low["ap"])
    return spread, high, low


def _one_value(a: str, b: str) -> bool:
    """Whether two prints of one number agree: the longer rounds, halves up, to the shorter."""
    short, long = sorted((a, b), key=lambda t: -Decimal(t).as_tuple().exponent)
    return agrees(short, Decimal(long))


def _shares_are_the_sets(result, text: str):
    """Every "X % positives" a sweep sentence prints is a test set's share of positives,
    positives / (positives + negatives), rounded (halves up) to the printed digits: an upload's
    set of every negative and fewer positives is only near its swept prevalence (audit pass 44:
    "at 10 % positives" for 19 of 194 rows, 9.79 %)."""
    rows = result.sweep.drop_duplicates("prevalence")
    shares = [Decimal(int(r.positives)) / Decimal(int(r.positives + r.negatives)) * 100
              for r in rows.itertuples()]  # fmt: skip
    for printed in re.findall(r"(?:at|from|to) ([\d.]+) %(?: positives|;|, but)", text):
        # pct's digits: 3 significant, fewer only for a share it prints exactly ("10 %")
        assert any(
            Decimal(printed) == s
            or (len(Decimal(printed).normalize().as_tuple().digits) >= 3 and agrees(printed, s))
            for s in shares
        ), (printed, text)


def _same_sweep_prints(config, result, fact):
    """The sentence's ROC AUCs are those the sweep chart's tooltips print (share() at
    sweep_decimals: audit pass 40 found "0.8145" beside a tooltip's "0.814"), and its average
    precisions are printed as the tooltips and sweep_values print them (share() at ap_decimals:
    auc_flatters' "drops from 0.846 to 0.0825" beside "0.082")."""
    _, high, low = _sweep(config, result)
    _shares_are_the_sets(result, fact.text)
    sd, ap_d = ic.sweep_decimals(result), ic.ap_decimals(config, result)
    aucs = re.search(r"ROC AUC ([\d.]+) at .+? and ([\d.]+) at", fact.text)
    if aucs:
        for row, text in zip((high, low), aucs.groups(), strict=True):
            assert _one_value(text, ic.share(float(row["auc"]), sd)), (text, fact.text)
    aps = re.search(r"average precision (?:drops from )?([\d.]+) (?:and|to) ([\d.]+)", fact.text)
    if aps:
        for row, text in zip((high, low), aps.groups(), strict=True):
            assert text == ic.share(float(row["ap"]), ap_d), (text, fact.text)


@verify("sweep_values")
def _(config, result, fact):
    _, high, low = _sweep_values(config, result, fact)
    assert (fact.values["auc_high"], fact.values["auc_low"]) == (high["auc"], low["auc"])
    _same_sweep_prints(config, result, fact)
    # an upload's sets are subsets of its test split, no row twice, not resamples (pass 43)
    if result.info["uploaded"]:
        assert "resampl" not in fact.text and "no row drawn twice" in fact.text, fact.text
    # a share of rows, halves up: 3 decimals, or the digits ap_held's ratio needs (pass 38)
    printed = ic.chance_texts(config, result)[float(low["prevalence"])]
    # (a sweep of one set only: "against 0.500 for a random ranking")
    assert (
        f"and {printed} for a random ranking" in fact.text
        or f"against {printed} for a random ranking" in fact.text
    ), fact.text
    places = -Decimal(printed).as_tuple().exponent
    assert printed == (decimals(low["chance_ap"], 3) if places == 3 else printed)
    assert abs(Decimal(printed) - Decimal(repr(float(low["chance_ap"])))) <= Decimal(5).scaleb(
        -places - 1
    )
    # an AP is never printed as the chance level it is set against (audit pass 39: "average
    # precision 0.538 and 0.005, against 0.500 and 0.005" for an AP of 0.00522)
    found = re.search(
        r"average precision ([\d.]+)(?: and ([\d.]+))?,? against ([\d.]+)(?: and ([\d.]+))? for",
        fact.text,
    )
    ap_texts, chance_texts = found.group(1, 2), found.group(3, 4)
    rows = (high, low) if found.group(2) else (high,)
    for row, ap_text, chance_text in zip(rows, ap_texts, chance_texts, strict=False):
        if row["ap"] != row["chance_ap"]:
            assert Decimal(ap_text) != Decimal(chance_text), fact.text


@verify("sweep_short")
def _(config, result, fact):
    present = set(result.sweep["prevalence"])
    assert fact.values["missing"] and not set(fact.values["missing"]) & present


def _bound_covers_the_printed_aucs(config, result, fact):
    """ "ROC AUC stays within b": b is at least the spread of every set's AUC as printed
    (here and in the sweep chart's tooltips, share() at sweep_decimals): audit pass 33 found "within 0.0099" beside
    printed 0.952 and 0.942."""
    part, _, _ = _sweep(config, result)
    found = re.search(r"ROC AUC stay(?:s|ed) within ([\d.]+)", fact.text)
    if found:
        # at the tooltips' decimals (claims.sweep_decimals, 3 or more since audit pass 39n)
        sd = ic.sweep_decimals(result)
        shown = [Decimal(ic.share(float(a), sd)) for a in part["auc"]]
        assert max(shown) - min(shown) <= Decimal(found.group(1)), fact.text


@verify("auc_flatters")
def _(config, result, fact):
    spread, high, low = _sweep_values(config, result, fact)
    assert spread <= ic.AUC_STEADY and low["ap"] <= ic.AP_FALL * high["ap"]
    _bound_covers_the_printed_aucs(config, result, fact)
    _same_sweep_prints(config, result, fact)


@verify("auc_moved")
def _(config, result, fact):
    spread, _, _ = _sweep_values(config, result, fact)
    assert spread > ic.AUC_STEADY
    # ... and so do the AUCs as the sweep chart's tooltips print them (audit pass 34: "moved by
    # 0.0308, more than 0.03" beside tooltips 0.649 and 0.619)
    part, _, _ = _sweep(config, result)
    shown = [Decimal(ic.share(float(a), ic.sweep_decimals(result))) for a in part["auc"]]
    assert max(shown) - min(shown) > Decimal(repr(ic.AUC_STEADY)), shown
    # "moved by X (its highest minus its lowest ...)" is what those printed AUCs give (audit
    # pass 39: "moved by 0.0316" beside tooltips 0.563 and 0.532), and a rounding of the spread
    moved = re.search(r"ROC AUC moved by ([\d.]+) over", fact.text).group(1)
    assert agrees(moved, max(shown) - min(shown)), (moved, shown)
    assert Decimal(moved) > Decimal(repr(ic.AUC_STEADY))
    assert any(moved == num(spread, k) for k in range(2, 18)), (moved, spread)
    _noise_cause_holds(part, fact.text)


def _noise_cause_holds(part, text: str) -> None:
    """auc_moved's reason names the rows the noise can come from: where every set holds the
    same positives (sweep_rows draws them from one seeded order), the negatives, and the fewest
    of them; else the fewest positives, at the set that holds them (audit pass 53 e)."""
    positives = part["positives"].astype(int)
    if positives.nunique() == 1:
        assert "positives at the lowest prevalence" not in text, text
        assert f"every set holds the same {int(positives.iloc[0]):,} positives" in text, text
        fewest = part.loc[part["negatives"].astype(int).idxmin()]
        assert f"{int(fewest['negatives']):,} at {ic.set_share_text(fewest)} positives" in text
    else:
        named = int(
            re.search(r"with ([\d,]+) positives (?:at|in) ", text).group(1).replace(",", "")
        )
        assert named == positives.min(), (named, positives.tolist())


@pytest.mark.parametrize(
    "config",
    [
        im.Config(n_samples=12000, separation=0.75),  # ?n=12000&sep=0.75
        im.Config(prevalence=0.0345, n_samples=12000, separation=0.75, seed=584, model="boosting"),
    ],
)
def test_the_auc_moved_by_noise_in_the_negatives_where_every_set_holds_the_same_positives(config):
    """Audit pass 53 e's witnesses: "ROC AUC moved by 0.032 over the sweep ...: with 200 positives
    at the lowest prevalence, sampling noise reaches it too", where every one of the 7 sets holds
    the same 200 positive rows (so they cannot move the AUC between sets) and the AUCs of the
    six sets from 20 % to 0.5 % lie within 0.03 of each other (0.014 and 0.0052): the 50 % set,
    with 200 negatives, is the one that moved."""
    result = im.run(config)
    (fact,) = [f for f in verify.check(config, result) if f.claim == "auc_moved"]
    part, _, _ = _sweep(config, result)
    assert part["positives"].nunique() == 1  # the same fresh positives in every set
    rare = part[part["prevalence"] < part["prevalence"].max()]["auc"]
    assert rare.max() - rare.min() < ic.AUC_STEADY  # without the 50 % set, no move at all
    _noise_cause_holds(part, fact.text)


@pytest.mark.parametrize(
    ("config", "claim"),
    [
        (im.Config(prevalence=0.3787, n_samples=6000, separation=1.5, seed=992, model="boosting"),
         "sweep_values"),
        (im.Config(prevalence=0.3787, n_samples=8000, separation=1.75, seed=353, model="boosting"),
         "auc_flatters"),
    ],
)  # fmt: skip
def test_the_sweep_sentences_print_each_auc_and_ap_as_the_tooltips_do(config, claim):
    """Audit pass 40's witnesses: sweep_values printed "ROC AUC 0.8308 ... and 0.8145" (an AUC
    of 0.81447, "0.814" in the sweep chart's tooltips; a float difference above the "within
    0.017" bound had added a decimal), and auc_flatters "average precision drops from 0.846 to
    0.0825" (an AP of 0.082485, "0.082" in sweep_values and the tooltips)."""
    from ui.charts import imbalance as charts

    result = im.run(config)
    facts = {f.claim: f for f in verify.check(config, result)}
    chart = charts.sweep_chart(
        result.sweep,
        auc_decimals=ic.sweep_decimals(result),
        ap_decimals=ic.ap_decimals(config, result),
        chance_texts=ic.chance_texts(config, result),
    )
    lines = next(l.data for l in chart.layer if "value_text" in getattr(l.data, "columns", ()))
    tips = lines[lines["model"] == config.model].set_index(["metric", "prevalence"])
    _, high, low = _sweep(config, result)
    text = facts[claim].text
    found = re.search(r"ROC AUC ([\d.]+) at .+? and ([\d.]+) at", text)
    if claim == "sweep_values":
        for row, shown in zip((high, low), found.groups(), strict=True):
            tip = tips.loc[("ROC AUC", row["prevalence"]), "value_text"]
            assert _one_value(shown, tip), (shown, tip)
    found = re.search(r"average precision (?:drops from )?([\d.]+) (?:and|to) ([\d.]+)", text)
    for row, shown in zip((high, low), found.groups(), strict=True):
        tip = tips.loc[("average precision", row["prevalence"]), "value_text"]
        assert shown == tip, (shown, tip, text)


def test_the_operating_point_at_one_half_prints_the_remedies_precision():
    """Audit pass 40: the operating point said "Precision 0.862" (765 of 887, 0.862458) beside
    weights_trade_precision's "precision 0.8625 → 0.8620" and the remedies chart's "0.8625"."""
    config = im.Config(prevalence=0.4902, n_samples=6000, separation=3.25, seed=752)
    result = im.run(config)
    facts = {f.claim: f.text for f in verify.check(config, result)}
    assert "weights_trade_precision" in facts
    _point_prints_as_the_remedies(config, result, facts["operating_point"])
    tips = charts_point(config, result)
    shown, recall = re.search(
        r"Precision ([\d.]+), recall ([\d.]+),", facts["operating_point"]
    ).groups()
    assert (tips["precision_text"], tips["recall_text"], tips["tpr_text"]) == (
        shown,
        recall,
        recall,
    )
    # the confusion matrix's share of the positives caught is that recall, in percent
    from ui.charts import imbalance as charts

    point = result.point(config.model, config.threshold)
    chart = charts.confusion_chart(point, places=ic.point_places(config, result))
    (cells,) = [
        d
        for d in (chart.data, *(layer.data for layer in chart.layer))
        if "share_text" in getattr(d, "columns", ())
    ][:1]
    (caught,) = cells.loc[cells["cell"] == "TP", "share_text"]
    assert _one_value(recall, str(Decimal(caught.removesuffix(" %")).scaleb(-2))), (recall, caught)


def charts_point(config, result) -> dict:
    """The operating point's tooltip texts (the curves' diamond), as the page builds them."""
    from ui.charts import imbalance as charts

    point = result.point(config.model, config.threshold)
    (frame,) = charts.point_data(point, config.model, ic.point_places(config, result)).values()
    return frame.iloc[0].to_dict()


def test_the_observed_rate_prints_as_the_precision_recall_charts_chance_level():
    """Audit pass 40: brier_values said "the test split's observed rate of positives is 0.0075"
    (9 of 1,201 = 0.0074938) beside the precision-recall chart's chance tooltip "0.007"."""
    config = im.Config(prevalence=0.007, n_samples=4000, separation=1.5, seed=0)
    result = im.run(config)
    facts = {f.claim: f.text for f in verify.check(config, result)}
    _rate_prints_as_the_chart(config, result, facts["brier_values"])


def test_weights_trade_precision_prints_the_remedies_charts_precisions():
    """Audit pass 40: weights_trade_precision printed class weights' precision "0.354" beside
    the remedies chart's "0.3545" (the chart needs 4 decimals to tell two remedies apart)."""
    config = im.Config(prevalence=0.1701, n_samples=6000, separation=1.75, seed=430)
    result = im.run(config)
    facts = {f.claim: f.text for f in verify.check(config, result)}
    _weights_print_as_the_remedies_chart(config, result, facts["weights_trade_precision"])


def test_an_auc_that_moved_moves_in_the_charts_printed_values_too():
    """Audit pass 34's witness (the logistic model)."""
    config = im.Config(
        prevalence=0.2251, n_samples=6000, separation=0.75, seed=253, model="logistic"
    )
    assert "auc_moved" in {f.claim for f in verify.check(config)}


def test_no_ap_prints_as_the_chance_level_it_is_set_against():
    """Audit pass 39's witness: "average precision 0.538 and 0.005, against 0.500 and 0.005 for
    a random ranking" for an AP of 0.00522 at 0.5 %, and the sweep chart's tooltips printed
    each set's AP and chance level alike (0.010 and 0.010 for an AP of 0.0104)."""
    from ui.charts import imbalance as charts

    config = im.Config(prevalence=0.01, n_samples=4000, separation=0.0, threshold=0.001)
    result = im.run(config)
    verify.check(config, result)  # the sweep_values verifier reads the sentence's pairs
    chart = charts.sweep_chart(
        result.sweep,
        auc_decimals=ic.sweep_decimals(result),
        ap_decimals=ic.ap_decimals(config, result),
        chance_texts=ic.chance_texts(config, result),
    )
    layers = {
        column: next(l.data for l in chart.layer if column in getattr(l.data, "columns", ()))
        for column in ("value_text", "chance_ap_text")
    }
    chance = dict(
        zip(
            layers["chance_ap_text"]["prevalence"],
            layers["chance_ap_text"]["chance_ap_text"],
            strict=True,
        )
    )
    lines = layers["value_text"]
    aps = lines[lines["metric"] == "average precision"]
    exact = result.sweep.set_index(["prevalence", "model"])
    for p, model, text in zip(aps["prevalence"], aps["model"], aps["value_text"], strict=True):
        if exact.loc[(p, model), "ap"] != exact.loc[(p, model), "chance_ap"]:
            assert Decimal(text) != Decimal(chance[p]), (p, model, text, chance[p])


def test_how_far_the_auc_moved_is_the_charts_highest_minus_lowest():
    """Audit pass 39's witness: "ROC AUC moved by 0.0316 ... (its highest minus its lowest of 7
    test sets)" beside sweep tooltips whose highest and lowest, 0.563 and 0.532, give 0.031."""
    from ui.charts import imbalance as charts

    config = im.Config(
        prevalence=0.0345, n_samples=12000, separation=0.75, seed=584, model="boosting"
    )
    result = im.run(config)
    (fact,) = [f for f in verify.check(config, result) if f.claim == "auc_moved"]
    chart = charts.sweep_chart(result.sweep, auc_decimals=ic.sweep_decimals(result))
    lines = next(l.data for l in chart.layer if "value_text" in getattr(l.data, "columns", ()))
    tips = lines.loc[
        (lines["model"] == config.model) & (lines["metric"] == "ROC AUC"), "value_text"
    ]
    shown = [Decimal(t) for t in tips]
    moved = re.search(r"moved by ([\d.]+) over", fact.text).group(1)
    assert agrees(moved, max(shown) - min(shown)), (moved, sorted(shown))


@verify("ap_held")
def _(config, result, fact):
    spread, high, low = _sweep_values(config, result, fact)
    assert spread <= ic.AUC_STEADY and low["ap"] > ic.AP_FALL * high["ap"]
    _bound_covers_the_printed_aucs(config, result, fact)


@verify("tuned_thresholds")
def _(config, result, fact):
    y = result.validation["y"].to_numpy()
    for training, t in fact.values["tuned"].items():
        p = result.validation[f"{config.model}_{training}"].to_numpy()
        assert f1_score(y, (p >= t).astype(int)) == pytest.approx(best_f1(y, p), abs=1e-12)
    # the weighted and over-sampled models at their tuned thresholds, scored on the test split,
    # are shown, with the remedies chart's F1 decimals (audit pass 56 g)
    d = ic.remedy_decimals(config, result)
    texts = []
    for training in ("weights", "oversampled"):
        t = fact.values["tuned"][training]
        f1 = f1_score(_y(result), _pred(config, result, training, t), zero_division=0.0)
        assert fact.values["tuned_f1"][training] == pytest.approx(f1, abs=1e-12)
        pred = _pred(config, result, training, t)
        if f1 == 0:  # an F1 of exactly 0 says why, not "0.00000" (audit pass 69 d)
            flagged = int(pred.sum())
            assert flagged == 0 or not _y(result)[pred.astype(bool)].any()
            texts.append(
                "0 (it flags no test row)"
                if flagged == 0
                else "0 (its one flagged test row is a negative)"
                if flagged == 1
                else f"0 (none of its {flagged:,} flagged test rows is a positive)"
            )
        else:
            texts.append(ic.share(fact.values["tuned_f1"][training], d))
    assert f"reach test F1 {texts[0]} and {texts[1]}." in fact.text, fact.text
    # a tuned threshold never prints as the chart's 0.5 (or as 1) unless it is (audit pass 59 e)
    for training, t in fact.values["tuned"].items():
        printed = re.search(
            rf"([0-9.e+-]+) {re.escape(im.TRAINING_NAMES[training])}[,.]", fact.text
        ).group(1)
        assert (float(printed) == 0.5) == (t == 0.5), (t, fact.text)
        assert float(printed) < 1 or t >= 1, (t, fact.text)


def _remedy_f1(config, result):
    """Per remedy: its test F1 (sklearn) and its bootstrap F1s (the run's resamples)."""
    y = _y(result)
    counts = im.bootstrap_counts(len(y), config.seed)
    tuned = result.summary.set_index(["model", "training"])["tuned_threshold"]
    f1, boot = {}, {}
    for name, (training, rule) in im.REMEDIES.items():
        t = 0.5 if rule == "0.5" else tuned[config.model, training]
        pred = _pred(config, result, training, t)
        f1[name] = f1_score(y, pred, zero_division=0.0)
        # F1 of each resample: sklearn's f1_score with the draw counts as sample weights
        # (test_imbalance_experiment checks this closed form against it)
        tp = counts @ ((pred == 1) & (y == 1))
        wrong = counts @ (pred != y)
        boot[name] = np.where(2 * tp + wrong > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0)
    return f1, boot


def _ties(config, result, fact):
    f1, boot = _remedy_f1(config, result)
    best = max(f1, key=f1.get)  # the first of the best in REMEDIES order
    assert fact.values["best"] == best
    for name in f1:
        assert fact.values["f1"][name] == pytest.approx(f1[name], abs=1e-12)
    ties = [
        n
        for n in f1
        if n != best and f1[best] - f1[n] <= ic.TIE_SE * (boot[best] - boot[n]).std(ddof=1) + 1e-12
    ]
    assert fact.values["ties"] == ties
    return ties


@verify("best_remedy")
def _(config, result, fact):
    assert _ties(config, result, fact) == []
    _no_remedy_named_as_a_model(fact)
    _flag_all_named(result, fact)
    # "next" names every remedy at the highest F1 below the best, not the first of a tie
    f1, _ = _remedy_f1(config, result)
    others = {n: v for n, v in f1.items() if n != fact.values["best"]}
    top = max(others.values())
    runners = [n for n, v in others.items() if abs(v - top) <= 1e-12]
    assert fact.values["runners"] == runners
    for n in runners:
        assert ic.remedy_subject(n) in fact.text.split("(next")[1], fact.text


@verify("remedies_tied")
def _(config, result, fact):
    ties = _ties(config, result, fact)
    assert ties
    _no_remedy_named_as_a_model(fact)
    _flag_all_named(result, fact)
    # remedies at the best F1 exactly share it: named with the best, before any "but"
    f1 = fact.values["f1"]
    best = fact.values["best"]
    shared = [n for n in ties if f1[n] == f1[best]]
    assert list(fact.values["shared"]) == shared
    head = fact.text.split(", but ")[0]
    for n in (best, *shared) if shared else ():
        assert ic.remedy_subject(n) in head, fact.text
    if shared:
        assert "reached the best" not in fact.text, fact.text


def _flag_all_named(result, fact):
    """A best F1 no higher than flagging every test row's (2π/(1 + π)) is said to be."""
    p, n = result.info["test_positives"], result.info["n_test"]
    every = 2 * p / (p + n)
    assert fact.values["flag_all_f1"] == pytest.approx(every, abs=1e-12)
    named = "Flagging every test row" in fact.text
    assert named == (fact.values["f1"][fact.values["best"]] <= every), fact.text


def _no_remedy_named_as_a_model(fact):
    """The plain model is never a bare "no remedy" as a sentence's subject or list item, where it
    reads as the quantifier ("but no remedy (…) is within …: ties"; audit pass 43)."""
    bare = re.sub(r"(?i)the model with no remedy|every other remedy", "", fact.text)
    assert "no remedy" not in bare.lower(), fact.text


@verify("weights_trade_precision")
def _(config, result, fact):
    y = _y(result)
    plain, weights = _pred(config, result, "plain", 0.5), _pred(config, result, "weights", 0.5)
    assert plain.any()
    assert recall_score(y, weights) > recall_score(y, plain)
    assert precision_score(y, weights, zero_division=0.0) < precision_score(y, plain)
    means = [result.test_scores(config.model, t).mean() for t in ("plain", "weights")]
    assert fact.values["means"] == pytest.approx(means) and means[1] > means[0]
    _weights_print_as_the_remedies_chart(config, result, fact.text)


def _weights_print_as_the_remedies_chart(config, result, text):
    """weights_trade_precision's recalls and precisions are the remedies chart's tooltips (audit
    pass 40: class weights' precision "0.354" beside the chart's "0.3545")."""
    from ui.charts import imbalance as charts

    chart = charts.remedies_chart(
        result.remedies, config.model, f1_decimals=ic.remedy_decimals(config, result)
    )
    bars = chart.layer[0].data
    tips = {
        (label.split(" (t = ")[0], m): t
        for label, m, t in zip(bars["label"], bars["metric"], bars["value_text"], strict=True)
    }
    found = re.search(r"recall ([\d.]+) → ([\d.]+), precision ([\d.]+) → ([\d.]+)\.", text).groups()
    keys = [(r, m) for m in ("recall", "precision") for r in ("no remedy", "class weights")]
    for key, shown in zip(keys, found, strict=True):
        assert shown == tips[key], (key, shown, tips[key])


@verify("balanced_no_remedy")
def _(config, result, fact):
    assert 2 * result.info["train_positives"] == result.info["n_train"]
    for model in im.MODELS:
        plain = result.test_scores(model)
        assert np.allclose(result.test_scores(model, "weights"), plain, atol=1e-9)
        assert np.allclose(result.test_scores(model, "oversampled"), plain, atol=1e-9)


@verify("brier_values")
def _(config, result, fact):
    y = _y(result)
    for training, value in fact.values["brier"].items():
        p = result.test_scores(config.model, training)
        assert value == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    _rate_prints_as_the_chart(config, result, fact.text)


def _rate_prints_as_the_chart(config, result, text):
    """The observed rate of positives printed by brier_values is the precision-recall chart's
    chance level as its tooltip prints it (audit pass 40: "0.0075" beside the tooltip's "0.007"
    for 9 of 1,201 test rows)."""
    from ui.charts import imbalance as charts

    rate = re.search(r"observed rate of positives is ([\d.]+)\.", text).group(1)
    assert Decimal(rate) == Decimal(repr(float(result.info["test_prevalence"]))).quantize(
        Decimal(rate), rounding="ROUND_HALF_UP"
    ), rate
    # as the page draws it (before audit pass 40 the page passed no prevalence_text)
    printed = getattr(ic, "prevalence_text", None)
    extra = {} if printed is None else {"prevalence_text": printed(config, result)}
    chart = charts.pr_chart(result.pr, result.info["test_prevalence"], **extra)
    (chance,) = [l.data for l in chart.layer if "label" in getattr(l.data, "columns", ())]
    assert chance["precision_text"].tolist() == [rate], (chance["precision_text"].tolist(), rate)


def _distortion(config, result, fact, training):
    y = _y(result)
    p, plain = result.test_scores(config.model, training), result.test_scores(config.model)
    d = (p - y) ** 2 - (plain - y) ** 2
    gap, se = d.mean(), d.std(ddof=1) / math.sqrt(len(d))
    assert fact.values["gap"] == pytest.approx(gap, abs=1e-12)
    assert fact.values["se"] == pytest.approx(se, abs=1e-12)
    worse = gap > ic.TIE_SE * se
    if fact.claim.endswith("no_worse"):
        assert ("did not measurably worsen the Brier score" in fact.text) == (not worse)
    return worse and p.mean() > y.mean()


@verify("weights_distort")
def _(config, result, fact):
    assert _distortion(config, result, fact, "weights")


@verify("weights_no_worse")
def _(config, result, fact):
    assert not _distortion(config, result, fact, "weights")


@verify("oversampling_distorts")
def _(config, result, fact):
    assert _distortion(config, result, fact, "oversampled")


@verify("oversampling_no_worse")
def _(config, result, fact):
    assert not _distortion(config, result, fact, "oversampled")


test_every_claim_has_a_verifier = verify.every_claim_has_a_verifier
test_presets_show_what_they_say = pytest.mark.slow(verify.presets_show_what_they_say)
test_every_claim_is_witnessed = pytest.mark.slow(verify.every_claim_is_witnessed)


def test_an_upload_with_few_test_positives_shortens_the_sweep():
    config = im.Config()
    data = _upload(prevalence=0.25, n=400, seed=1)
    result = im.run(config, data=data)
    facts = verify.check(config, result)
    assert "sweep_short" in {f.claim for f in facts}


def test_a_test_split_with_too_few_positives_for_any_sweep_set_has_its_facts():
    """Audit pass 61 f: a Dataset built by hand (core is used on its own, in a notebook) whose
    test split has 9 positives, fewer than any sweep set needs: run gave a sweep without
    columns and facts() raised KeyError('model') in sweep_table. The sweep keeps its columns,
    and every prevalence is said to be left out."""
    rng = np.random.default_rng(0)
    y_train = np.r_[np.ones(40), np.zeros(360)].astype(np.int64)
    y_test = np.r_[np.ones(9), np.zeros(191)].astype(np.int64)
    data = Dataset(
        rng.normal(size=(400, 2)) + y_train[:, None], rng.normal(size=(200, 2)) + y_test[:, None],
        y_train, y_test, "classification", ("a", "b"), 2, "hand-built",
    )  # fmt: skip
    config = im.Config()
    result = im.run(config, data=data)
    assert result.sweep.empty
    facts = {f.claim: f for f in verify.check(config, result)}
    assert facts["sweep_short"].values["missing"] == list(im.SWEEP_PREVALENCES)


def test_the_sweep_prints_each_sets_own_share_of_positives():
    """Audit pass 44: with an upload of 1,000 rows, 40 % positives (seed 0), the test split has
    too few negatives for a 10 % set of every positive, so sweep_rows keeps its 175 negatives and
    19 positives: 9.79 % positives. The sweep sentence said "0.929 at 10 % positives", ap_held
    "the sweep stops at 10 % positives", and the sweep chart's tooltip "prevalence 10.0%" beside
    "chance AP 0.098 (the prevalence)". Every printed share is now the set's own, in the
    sentences and in the chart's tooltips, and the chart draws each set at its share."""
    from ui.charts import imbalance as charts

    config = im.Config()
    result = im.run(config, data=_upload(prevalence=0.4, n=1_000, seed=0))
    low = result.sweep.loc[result.sweep["prevalence"].idxmin()]
    assert low["positives"] / (low["positives"] + low["negatives"]) != low["prevalence"]
    texts = [f.text for f in verify.check(config, result) if f.claim.startswith(("sweep", "a"))]
    assert any("% positives" in t for t in texts)
    for text in texts:
        _shares_are_the_sets(result, text)
    chart = charts.sweep_chart(result.sweep)  # the page passes set_share_texts (pct too)
    spec = chart.to_dict()
    printed_shares = 0
    for layer, sub in zip(spec["layer"], chart.layer, strict=True):
        fields = {t["field"]: t for t in layer["encoding"].get("tooltip", [])}
        # no share of positives printed from the swept prevalence
        assert "prevalence" not in fields, fields
        if "share_text" in fields:
            assert fields["share_text"]["title"] == "share of positives"
            assert layer["encoding"]["x"]["field"] == "share"
            for _, row in sub.data.iterrows():
                printed = row["share_text"].removesuffix(" %")
                share = Decimal(int(row["positives"])) / Decimal(
                    int(row["positives"] + row["negatives"])
                )
                assert agrees(printed, share * 100), (printed, row)
                assert row["share_text"] == ic.set_share_texts(result)[row["prevalence"]]
                printed_shares += 1
    assert printed_shares


def test_an_uploads_sweep_says_its_sets_are_subsets_not_resamples():
    """Audit pass 43: with an upload the sweep sentence said "your test split, resampled" (and
    the page's caption and data banner "resampled"/"resamples"), where every set is a subset of
    the test split with no row drawn twice (sweep_rows); on this page "resamples" are draws with
    replacement (the bootstrap, over-sampling). Witness: the 3 % upload of 3,000 rows, Config()."""
    config = im.Config()
    result = im.run(config, data=_upload())
    y = result.scores["y"].to_numpy()
    repeats = False
    for prevalence in result.sweep["prevalence"].unique():
        keep = im.sweep_rows(y, float(prevalence), config.seed)
        repeats |= len(np.unique(keep)) < len(keep)
    (text,) = [f.text for f in verify.check(config, result) if f.claim == "sweep_values"]
    assert not repeats
    assert "resampl" not in text and "no row drawn twice" in text, text


def test_the_plain_model_tied_with_the_best_remedy_is_not_read_as_none():
    """Audit pass 43: "Moving the threshold reached the best test F1 of the logistic regression:
    0.400, but no remedy (0.286, 0.114 lower ± 0.141) is within two paired bootstrap standard
    errors of it: on this test set, ties." reads as "none is within", where the plain model's F1
    is within. Witness: Config(n_samples=4000)."""
    config = im.Config(n_samples=4000)
    facts = {f.claim: f for f in verify.check(config, im.run(config))}
    fact = facts["remedies_tied"]
    assert "no remedy" in fact.values["ties"]  # the witness holds
    _no_remedy_named_as_a_model(fact)
    assert "the model with no remedy (" in fact.text, fact.text


def test_the_threshold_changes_the_facts_without_a_new_run():
    config = im.Config(**SMALL)
    result = im.run(config)
    low = im.Config(**SMALL, threshold=0.05)
    texts = {f.claim: f.text for f in verify.check(low, result)}
    assert "At threshold 0.05" in texts["operating_point"]


@pytest.mark.slow
def test_class_weights_keep_the_ranking_in_their_preset():
    """The hint: the ranking (ROC AUC) changes by less than 0.01."""
    config = im.PRESETS["Class weights distort probabilities"].config
    summary = im.run(config).summary.set_index(["model", "training"])["auc"]
    for training in ("weights", "oversampled"):
        assert abs(summary[config.model, training] - summary[config.model, "plain"]) < 0.01


def test_every_preset_is_a_whole_config():
    for preset in im.PRESETS.values():
        assert isinstance(preset.config, im.Config)
        assert preset.config.threshold in im.THRESHOLDS


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs(im.Config, max_seconds=0.6))
def test_every_fact_holds_at_any_setting(config):
    verify.check(config)


def test_no_mean_probability_or_brier_score_prints_as_zero():
    # a plain boosted model's mean predicted probability 0.00049 printed "0.000" (audit 25e)
    config = im.Config(prevalence=0.005, n_samples=4000, separation=5.0, seed=1, model="boosting")
    texts = {f.claim: f.text for f in ic.facts(config, im.run(config))}
    assert "probability 0.000487)" in texts["brier_values"]  # not "0.0005", a 5 rounding up made
    assert "0.000)" not in texts["brier_values"]


@given(
    ap=st.floats(0.001, 1.0),
    positives=st.integers(1, 2_000),
    rows=st.integers(2, 6_000),
)
@settings(max_examples=300, deadline=None)
def test_ap_times_chance_follows_from_the_printed_numbers(ap, positives, rows):
    """'its AP, 0.569, is 112 times a random ranking's (0.0051 ...)': the printed ratio is the
    ratio of the printed AP and chance level, rounded to the printed places (an upload's chance
    level 27/5307 printed as 0.005 gave 114, not the 112 printed)."""
    chance = min(positives, rows) / rows
    d, chance_text, times = ic._times(ap, chance)
    ap_text = ic.share(ap, d)
    implied = Decimal(ap_text) / Decimal(chance_text)
    assert agrees(times, implied)
    assert Decimal(chance_text) > 0 and abs(float(chance_text) - chance) <= 0.5 * chance


def test_every_printed_accuracy_pair_keeps_the_answers_side_of_two_standard_errors():
    """Audit pass 36 (h): at the preset 'Class weights distort probabilities' the threshold
    caption printed 'accuracy 98.2 % against 98 %' (a gain of 0.2) beside the answer's '0.15
    percentage points ± 0.08 ... within two standard errors' (2 × 0.08 = 0.16)."""
    config = im.PRESETS["Class weights distort probabilities"].config
    result = im.run(config)
    facts = {f.claim: f.text for f in im.facts(config, result)}
    (claim,) = [c for c in ("accuracy_within_noise", "accuracy_clearly_above") if c in facts]
    answer = facts[claim]
    se = Decimal(re.search(r"± ([\d.]+) percentage points", answer).group(1))
    pairs = re.findall(
        r"\(([\d.]+) %\); always answering 'negative' is right on [\d,]+ \(([\d.]+) %\)", answer
    )
    pairs += re.findall(r"accuracy ([\d.]+) % against ([\d.]+) %", facts["operating_point"])
    assert len(pairs) == 2, facts
    for model, majority in pairs:
        gain = Decimal(model) - Decimal(majority)
        within = gain <= 2 * se
        assert within == (claim == "accuracy_within_noise"), (model, majority, se, answer)


@pytest.mark.parametrize(
    "config",
    [
        # 'more than two standard errors' (90.1333 % against 90.0000 %, ± 0.0666) beside
        # 'Accuracy (0.9013)', a gain of 0.13, within them
        im.Config(prevalence=0.1, n_samples=10_000, separation=2.5, seed=948, threshold=0.95),
        # 'within two standard errors' (95.03 % against 95.00 %) beside 'Accuracy (0.95)', no gain
        im.Config(prevalence=0.05, n_samples=10_000, separation=2.0, seed=992, threshold=0.8),
    ],
)
def test_accuracy_hides_recall_prints_the_answers_accuracy(config):
    """Audit pass 38 (f): accuracy_hides_recall printed the accuracy as a fraction at 3 or 4
    significant digits (with_difference), so its gain over the answer's printed majority
    baseline fell on the other side of two standard errors than the answer says (or to 0)."""
    facts = {f.claim: f.text for f in im.facts(config, im.run(config))}
    (claim,) = [c for c in facts if c.startswith("accuracy_") and c != "accuracy_hides_recall"]
    answer = facts[claim]
    majority = Decimal(
        re.search(r"always answering '\w+' is right on [\d,]+ \(([\d.]+) %\)", answer)[1]
    )
    accuracy = Decimal(re.search(r"Accuracy \(([\d.]+)\)", facts["accuracy_hides_recall"])[1]) * 100
    gain = accuracy - majority
    if claim == "accuracy_not_above":
        assert gain <= 0, (accuracy, answer)
    else:
        se = Decimal(re.search(r"± ([\d.]+) percentage points", answer)[1])
        assert gain > 0 and (gain > 2 * se) == (claim == "accuracy_clearly_above"), (
            accuracy,
            answer,
        )


def _mostly_separable_upload(seed: int = 1) -> Dataset:
    """An upload whose positives sit 6 standard deviations out on feature 1, but for 4 % of them
    among the negatives: 2,000 negatives and 100 positives in its test split, whose sweep set at
    0.5 % keeps every negative and 10 positives (a chance level of 10/2,010, not 0.005)."""
    rng = np.random.default_rng(seed)

    def part(negatives, positives):
        X = rng.standard_normal((negatives + positives, 2))
        X[negatives:, 0] += 6.0 * (rng.random(positives) >= 0.04)
        return X, np.r_[np.zeros(negatives, np.int64), np.ones(positives, np.int64)]

    (X_train, y_train), (X_test, y_test) = part(4_666, 233), part(2_000, 100)
    return Dataset(
        X_train, X_test, y_train, y_test, "classification", ("x1", "x2"), 2, "upload.csv",
        ("no", "yes"),
    )  # fmt: skip


def test_the_chance_level_ap_held_divides_by_is_printed_alike_everywhere():
    """Audit pass 38 (f): 'its AP, 1.000, is 201 times a random ranking's (0.00498 ...)' beside
    the sweep sentence's and the sweep chart's chance level of 0.005, which gives 200: every
    print of the lowest set's AP and chance level gives the printed ratio."""
    from ui.charts import imbalance as charts

    config = im.Config(seed=1)
    result = im.run(config, data=_mostly_separable_upload())
    facts = {f.claim: f.text for f in im.facts(config, result)}
    held = re.search(
        r"its AP, ([\d.]+), is ([\d.]+) times a random ranking's \(([\d.]+),", facts["ap_held"]
    )
    assert held, facts
    ap, times, chance = held.groups()
    sweep = re.search(
        r"average precision [\d.]+ and ([\d.]+), against [\d.]+ and ([\d.]+) for",
        facts["sweep_values"],
    )
    for ap_text, chance_text in ((ap, chance), sweep.groups()):
        assert agrees(times, Decimal(ap_text) / Decimal(chance_text)), (ap_text, chance_text, times)
    verify.check(config, result)
    chart = charts.sweep_chart(
        result.sweep,
        auc_decimals=ic.sweep_decimals(result),
        ap_decimals=ic.ap_decimals(config, result),
        chance_texts=ic.chance_texts(config, result),
    )
    low = min(result.sweep["prevalence"])
    (rows,) = [l.data for l in chart.layer if "chance_ap_text" in getattr(l.data, "columns", ())]
    (shown,) = rows.loc[rows["prevalence"] == low, "chance_ap_text"]
    lines = next(l.data for l in chart.layer if "value_text" in getattr(l.data, "columns", ()))
    (ap_tip,) = lines.loc[
        (lines["prevalence"] == low) & (lines["model"] == config.model)
        & (lines["metric"] == "average precision"), "value_text"
    ]  # fmt: skip
    assert agrees(times, Decimal(ap_tip) / Decimal(shown)), (ap_tip, shown, times)


@given(
    tp=st.integers(0, 300),
    fp=st.integers(0, 300),
    fn=st.integers(1, 300),
    tn=st.integers(500, 20_000),
)
@settings(max_examples=300, deadline=None)
def test_hides_texts_print_the_answers_accuracy_and_a_gap_that_follows(tp, fp, fn, tn):
    y = np.r_[np.ones(tp + fn, int), np.zeros(fp + tn, int)]
    p = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(tn)]
    point = im.operating_point(y, p, 0.5)
    assume(point["accuracy"] - point["balanced_accuracy"] >= ic.DISAGREE)  # when it is said
    acc, bal, gap = ic.hides_texts(point)
    _hides_accuracy_is_the_answers(point, acc)
    assert agrees(gap, Decimal(acc) - Decimal(bal))
    exact = Decimal(repr(point["accuracy"] - point["balanced_accuracy"]))
    assert abs(Decimal(gap) - exact) <= Decimal(5).scaleb(Decimal(gap).as_tuple().exponent - 1)


def _hides_accuracy_is_the_answers(point: dict, acc: str) -> None:
    """accuracy_hides_recall's accuracy reads as the answer's (the longer rounds, halves up, to
    the shorter), and for a model that gains it less the answer's printed baseline is the
    answer's printed gain to its last digit."""
    answer, base = (t.removesuffix(" %") for t in ic.accuracy_texts(point))
    assert reads_alike(Decimal(acc) * 100, answer), (acc, answer)
    gain, _ = ic.accuracy_gain(point)
    if gain > 0:
        printed = ic.fixed(gain, ic.gain_places(point)[1], 100)
        assert agrees(printed, Decimal(acc) * 100 - Decimal(base)), (acc, base, printed)


def test_hides_texts_print_a_gap_that_is_both_a_rounding_and_a_difference_at_516_of_673():
    """Audit pass 52 g (found by the property test above): 16 of 95 positives and 500 of 578
    negatives right printed "Accuracy (0.767) and balanced accuracy (0.516736477873, ...) are
    0.250263522127 apart", a gap 0.00028 off the true 0.24998: beside the answer's "0.767" no
    gap text is both the exact gap rounded and the difference of the printed values."""
    tp, fp, fn, tn = 16, 78, 79, 500
    y = np.r_[np.ones(tp + fn, int), np.zeros(fp + tn, int)]
    p = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(tn)]
    point = im.operating_point(y, p, 0.5)
    acc, bal, gap = ic.hides_texts(point)
    _hides_accuracy_is_the_answers(point, acc)
    assert agrees(gap, Decimal(acc) - Decimal(bal)), (acc, bal, gap)
    exact = Decimal(repr(point["accuracy"] - point["balanced_accuracy"]))
    assert abs(Decimal(gap) - exact) <= Decimal(5).scaleb(Decimal(gap).as_tuple().exponent - 1)
    assert Decimal(gap).adjusted() > Decimal(gap).as_tuple().exponent, gap  # not "0.2"
    # every sentence prints the one balanced accuracy
    assert ic.balanced_text(point) == bal


def test_the_operating_point_prints_the_balanced_accuracy_accuracy_hides_recall_prints():
    """Audit pass 39t: the operating point said "balanced accuracy 0.572" beside
    accuracy_hides_recall's "(0.5725, the mean of the recall of each class)", which a reader
    rounds to 0.573."""
    config = im.Config(prevalence=0.02, n_samples=8000, separation=3.0, seed=358)
    result = im.run(config)
    (fact,) = [f for f in ic.facts(config, result) if f.claim == "accuracy_hides_recall"]
    bal = re.search(r"balanced accuracy \(([\d.]+), ", fact.text).group(1)
    _same_balanced_accuracy(config, result, bal)


def _separable_upload_file(seed: int = 4) -> Dataset:
    """A 2,000-row upload read as the page reads a CSV (core.upload.dataset_from_frame): 5 %
    positives, 5 standard deviations out on one feature. Its test split has 600 rows."""
    import pandas as pd

    from core.upload import dataset_from_frame

    rng = np.random.default_rng(seed)
    y = (rng.random(2_000) < 0.05).astype(int)
    frame = pd.DataFrame(
        {"x": 5 * y + rng.normal(0, 0.1, 2_000), "x2": rng.normal(size=2_000), "y": y}
    )
    data, _ = dataset_from_frame(
        frame, target="y", features=["x", "x2"], task="classification", seed=0, name="f.csv"
    )
    return data


@pytest.mark.parametrize(
    "config, data",
    [
        # 592 and 569 of 600 test rows: "98.66666667 % ... 94.83333333 %. The gain, 3.83333333"
        (im.Config(model="logistic", threshold=0.001), "upload"),
        # 2,985 and 2,906 of 3,001: "99.46684439 % ... 96.83438854 %. The gain, 2.632455848"
        (
            im.Config(
                prevalence=0.0314, n_samples=10_000, separation=4.75, seed=594,
                model="boosting", threshold=0.4,
            ),
            None,
        ),
    ],
)  # fmt: skip
def test_the_gain_over_the_majority_is_the_difference_of_the_printed_accuracies(config, data):
    """Audit pass 50 g: where no number of decimals makes the rounded gain the difference of the
    rounded accuracies (tails of 2/3 and 1/3 round opposite ways at every decimal), the answer
    printed both accuracies to 8 decimals and still a gain its printed accuracies do not give.
    Now the gain is printed to fewer decimals than the accuracies, as a difference is elsewhere."""
    data = _separable_upload_file() if data == "upload" else None
    result = im.run(config, data=data)
    (fact,) = [f for f in im.facts(config, result) if f.slot == "answer"]
    assert fact.claim == "accuracy_clearly_above"
    _printed_gain_is_the_printed_difference(fact.text)
    acc, base = _GAIN_TEXT.search(fact.text).groups()[:2]
    # and the accuracies are printed as the operating point prints them, not to 8 decimals
    assert len(acc.split(".")[1]) <= 4 and len(base.split(".")[1]) <= 4, fact.text


def test_the_auc_moved_reason_names_the_fewest_positives_where_sets_hold_different_ones():
    """An upload's sweep keeps every positive while its test split has negatives enough, then
    every negative and fewer positives (sweep_rows): the reason names the fewest, at the rarest
    set that holds them; with the same positives in every set, the negatives."""
    prevalence = [0.5, 0.2, 0.1]
    shared = ic.noise_cause(
        pd.DataFrame({"prevalence": prevalence, "positives": [12] * 3, "negatives": [12, 48, 108]})
    )
    assert "every set holds the same 12 positives" in shared and "12 at 50 % positives" in shared
    fewer = ic.noise_cause(
        pd.DataFrame(
            {"prevalence": prevalence, "positives": [40, 27, 12], "negatives": [40, 108, 108]}
        )
    )
    assert fewer.startswith("with 12 positives at the lowest prevalence"), fewer


def test_one_caught_positive_takes_a_singular_verb():
    # "while only 1 of 12 positives are caught" (audit pass 54 h): ?n=4000&model=boosting&t=0.3
    config = im.Config(n_samples=4000, model="boosting", threshold=0.3)
    text = next(
        f.text for f in ic.facts(config, im.run(config)) if f.claim == "accuracy_hides_recall"
    )
    assert "while only 1 of 12 positives is caught." in text
    verify.check(config)


def test_ap_held_counts_the_negatives_above_the_positives():
    """At a ROC AUC of 0.98, 1.98 % of the 39,800 negatives of the 0.5 % set is 790: ap_held's
    "few negatives outrank the positives even when they are many" was said where a positive was
    outranked by about 690 negatives on average (strictly above it) and half the positives by 39 or more
    (Config(prevalence=0.05, n_samples=20000, separation=3.5), the boosted model; audit pass
    55 c). The sentence gives the counts, recomputed here from the sweep's scores."""
    config = im.Config(prevalence=0.05, n_samples=20_000, separation=3.5, model="boosting")
    result = im.run(config)
    text = {f.claim: f.text for f in im.facts(config, result)}["ap_held"]
    assert "few negatives outrank" not in text
    splits = im.make_splits(config)
    _, _, sweep = im.experiment.fit_scores(splits, config.seed)
    keep = im.sweep_rows(splits.sweep_y, min(im.SWEEP_PREVALENCES), config.seed)
    y, p = splits.sweep_y[keep], sweep["boosting"][keep]
    counts = np.array([(p[y == 0] > q).sum() for q in p[y == 1]])
    assert counts.mean() == pytest.approx(690.315)  # strictly above; ties not counted
    median = int(np.sort(counts)[(len(counts) - 1) // 2])
    assert (counts <= median).sum() * 2 >= len(counts)
    assert (
        f"the negatives scoring above a positive are a small share of the {(y == 0).sum():,} "
        f"(on average about {round(counts.mean()):,}, {ic.pct(counts.mean() / (y == 0).sum())}), "
        f"and at least half the positives have at most {median:,} above them"
    ) in text


def test_the_tuned_thresholds_results_are_shown_and_the_best_is_of_the_four_charted():
    """Audit pass 56 (g): the page printed the class-weighted and over-sampled models' tuned
    thresholds "then applied to the test split" with no result anywhere, and then "Moving the
    threshold reached the best test F1 of the logistic regression: 0.108", where class weights
    at their own tuned threshold reach 0.117 (preset "99 % accuracy, useless model")."""
    config = im.PRESETS["99 % accuracy, useless model"].config
    result = im.run(config)
    facts = {f.claim: f for f in verify.check(config, result)}
    tuned = facts["tuned_thresholds"]
    best = facts.get("remedies_tied") or facts["best_remedy"]
    # the witness: a tuned remedy off the chart beats the chart's best
    assert max(tuned.values["tuned_f1"].values()) > max(best.values["f1"].values())
    assert "reach test F1" in tuned.text, tuned.text
    assert best.text.startswith("Of the four remedies charted, "), best.text


def test_every_row_flagged_at_one_shared_score_is_not_told_to_raise_the_threshold():
    """Audit pass 56 (g): a balanced 80-row upload (40 rows of each class) leaves the boosted
    model 39 training rows, too few for a leaf of 20 on each side: it gives every test row the
    same probability, 0.538. At threshold 0.5 the page said "Every row is flagged … Raise the
    threshold.", where every higher threshold flags no one."""
    config = im.Config(model="boosting", threshold=0.5)
    result = im.run(config, _upload(0.5, 80, 0))
    scores = result.test_scores("boosting", "plain")
    assert scores.min() == scores.max()  # the witness
    facts = {f.claim: f.text for f in verify.check(config, result)}
    text = facts["everything_flagged"]
    assert "Raise the threshold" not in text, text
    assert "the same probability, 0.538" in text, text


def test_nothing_flagged_at_one_shared_score_is_not_told_to_lower_the_threshold():
    """Audit pass 57 (a): the balanced 80-row upload of pass 56 (g) gives every test row of the
    boosted model the same probability, 0.538. At threshold 0.6 the page said "Nothing is
    flagged … Lower the threshold to flag someone.", where every lower threshold that flags
    someone flags every row."""
    config = im.Config(model="boosting", threshold=0.6)
    result = im.run(config, _upload(0.5, 80, 0))
    scores = result.test_scores("boosting", "plain")
    assert scores.min() == scores.max()  # the witness
    facts = {f.claim: f.text for f in verify.check(config, result)}
    text = facts["nothing_flagged"]
    assert "Lower the threshold" not in text, text
    assert "the same probability, 0.538" in text, text


def test_few_test_positives_prints_a_rounded_share_after_approximately_equal():
    """Audit pass 57 (a): at 0.5 % of 4,000 rows the test split holds 6 positives and the warning
    said "moves recall by 1/6 = 0.167", where 1/6 is 0.1666…"""
    config = im.Config(prevalence=0.005, n_samples=4000)
    result = im.run(config)
    text = {f.claim: f.text for f in verify.check(config, result)}["few_test_positives"]
    k = result.info["test_positives"]
    assert k == 6, text
    assert "recall by 1/6 ≈ 0.167," in text, text


def test_the_next_remedy_at_balanced_classes_names_every_one_of_the_tie():
    """Audit pass 58 (e): at balanced classes class weights and over-sampling train the same
    model as no remedy, so the three share one F1; the page said "(next: the model with no
    remedy, 0.494, 0.164 lower ± 0.017)", naming one of the three as the next."""
    config = im.Config(prevalence=0.5, n_samples=4000, separation=0.0, seed=0)
    result = im.run(config)
    facts = {f.claim: f for f in verify.check(config, result)}
    fact = facts["best_remedy"]
    f1 = fact.values["f1"]
    assert f1["no remedy"] == f1["class weights"] == f1["over-sampling"]  # the witness
    after = fact.text.split("(next")[1]
    for n in ("the model with no remedy", "class weights", "over-sampling"):
        assert n in after, fact.text


def test_the_highest_score_under_the_lowest_threshold_prints_under_it():
    """Audit pass 58 (e): a file whose test rows all score 0.0009997 (the logistic regression)
    was told "Even the slider's lowest threshold, 0.001, flags no one: the highest test score
    is 0.001", a score printed as the threshold it is under. The file: 1,000 synthetic rows
    whose 300 test rows (the reader's stratified split at seed 0) sit at x0 = x1 = −1.46665."""
    from sklearn.model_selection import train_test_split

    from core.experiments.imbalance import experiment as ex
    from core.upload import dataset_from_frame

    X, y = ex.sample_classes(100, 900, 2.5, np.random.default_rng(0))
    _, test = train_test_split(np.arange(len(y)), test_size=0.3, random_state=0, stratify=y)
    X[test, :2] = -1.4666499548357592
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)])
    frame["label"] = np.where(y == 1, "yes", "no")
    data, _ = dataset_from_frame(frame, target="label")
    config = im.Config(threshold=0.001)
    result = im.run(config, data)
    high = float(result.test_scores("logistic", "plain").max())
    assert 0.0009995 <= high < 0.001  # the witness: 3 digits print it as 0.001
    text = {f.claim: f.text for f in verify.check(config, result)}["nothing_flagged"]
    printed = re.search(r"the highest test score is ([0-9.]+)\.", text)
    assert printed and Decimal(printed.group(1)) < Decimal("0.001"), text


def test_a_tuned_threshold_just_below_one_half_does_not_print_as_the_charts_one_half():
    """Audit pass 59 (e): the balanced 80-row upload of pass 56 (g) gives every test row of the
    class-weighted boosted model the probability 0.49999998, its tuned threshold. The page said
    "Thresholds of highest F1 ...: 0.538 as is, 0.5 class weights, ... at their own thresholds
    class weights and over-sampling reach test F1 0.5946 and 0.629 (the chart shows both at
    0.5)", beside the remedies chart's class weights at t = 0.5 with F1 0."""
    from ui.charts.imbalance import remedies_chart

    config = im.Config(model="boosting", threshold=0.5)
    result = im.run(config, _upload(0.5, 80, 0))
    table = result.remedies.set_index(["model", "training", "rule"])
    tuned = float(table.loc[("boosting", "weights", "tuned"), "threshold"])
    assert 0.4999 < tuned < 0.5  # the witness
    assert table.loc[("boosting", "weights", "0.5"), "f1"] == 0
    text = {f.claim: f.text for f in verify.check(config, result)}["tuned_thresholds"]
    assert "0.5 class weights" not in text, text
    assert f"{num(tuned, 8)} class weights" in text, text
    # the chart labels every remedy with the sentence's printing of its threshold
    spec = json.dumps(remedies_chart(result.remedies, "boosting").to_dict(), ensure_ascii=False)
    assert (
        f"moving the threshold (t = {num(table.loc[('boosting', 'plain', 'tuned'), 'threshold'])})"
        in spec
    )
    assert "class weights (t = 0.5)" in spec  # the chart's class weights sit at 0.5 itself


def _constant_score_file(rows: int, positives: float, seed: int = 0) -> Dataset:
    """A file whose features are the same on every row, read as the page reads a CSV: each model
    gives every test row one probability (near the training split's share of positives)."""
    from core.upload import dataset_from_frame

    rng = np.random.default_rng(seed)
    y = (np.arange(rows) < round(positives * rows)).astype(int)
    rng.shuffle(y)
    frame = pd.DataFrame({"x0": np.ones(rows), "x1": np.zeros(rows)})
    frame["label"] = np.where(y == 1, "yes", "no")
    data, _ = dataset_from_frame(frame, target="label")
    return data


def test_remedies_at_the_best_f1_exactly_share_it():
    """Audit pass 60 (d): a 97-row file with constant features (42 % positives) has every test row
    scored 0.42 by the logistic regression; the page said "class weights reached the best test F1
    of the logistic regression: 0.6047, but over-sampling (0.6047, the same F1) and moving the
    threshold (0.6047, the same F1) are within two paired bootstrap standard errors of it", one
    of three equal F1s named as the best and the others as within the noise of it."""
    config = im.Config(threshold=0.2)
    result = im.run(config, _constant_score_file(97, 0.42))
    facts = {f.claim: f for f in verify.check(config, result)}
    fact = facts["remedies_tied"]
    f1 = fact.values["f1"]
    assert f1["class weights"] == f1["over-sampling"] == f1["moving the threshold"]  # witness
    assert "reached the best" not in fact.text, fact.text
    assert "class weights, over-sampling and moving the threshold share the best" in fact.text


def test_a_significant_gain_at_separation_zero_is_called_luck():
    """Audit pass 60 (d): at 50 % positives and separation 0 (seed 0) the logistic regression was
    right on 52.05 % of the test rows against 50.00 % for always 'negative', 2.05 ± 0.91
    percentage points, and the page said "the model is doing more than guessing the majority",
    where the classes are identical and no model beats the majority guess in expectation."""
    config = im.Config(prevalence=0.5, separation=0.0)
    facts = {f.claim: f.text for f in verify.check(config, im.run(config))}
    text = facts["accuracy_clearly_above"]  # the witness: more than two standard errors
    assert "doing more than guessing the majority" not in text, text
    assert "the luck of this test split" in text, text


def test_a_gain_within_noise_at_separation_zero_is_not_left_to_recall_and_precision():
    """Audit pass 61 (f): at 50 % positives, separation 0, seed 1 and 4,000 rows the logistic
    regression's gain over always 'negative', 1.33 ± 2.06 percentage points, was within two
    standard errors and the page said "accuracy cannot tell the model from the majority guess.
    Recall and precision can.", where the classes are identical and nothing can show learning."""
    config = im.Config(prevalence=0.5, separation=0.0, seed=1, n_samples=4_000)
    facts = {f.claim: f.text for f in verify.check(config, im.run(config))}
    text = facts["accuracy_within_noise"]  # the witness: within two standard errors
    assert "Recall and precision can." not in text, text
    assert "nothing to learn" in text, text


def test_a_best_f1_no_higher_than_flagging_every_row_says_so():
    """Audit pass 62 (h): at separation 0 and prevalence 0.5 (seed 3, the boosted model at
    chance, AUC 0.502) the page said "moving the threshold reached the best test F1 of the
    boosted model: 0.667, ahead of every other remedy by more than two paired bootstrap standard
    errors", where its tuned threshold flags 5,989 of the 6,000 test rows and flagging all of
    them, with no model, gives F1 2π/(1 + π) = 0.6667, higher."""
    config = im.Config(separation=0.0, prevalence=0.5, threshold=0.001, model="boosting", seed=3)
    result = im.run(config)
    facts = {f.claim: f for f in ic.facts(config, result)}
    fact = facts["best_remedy"]
    assert fact.values["f1"]["moving the threshold"] < 2 / 3  # the witness
    # (at the SE's decimals since audit pass 64 a: "0.6666 … gives F1 0.6667")
    assert "Flagging every test row, which needs no model, gives F1 0.6667" in fact.text
    assert "moving the threshold flags 5,989 of 6,000 test rows" in fact.text


def test_useless_model_preset_prints_grouped_values_at_one_precision():
    """Preset '99 % accuracy, useless model' (audit pass 63 f): the tuned thresholds read
    "0.0402 as is, 0.84 class weights, 0.838 over-sampled" and the accuracy "(0.99)" beside a
    balanced accuracy of "0.500" and a gap of "0.490"."""
    from core.facts import significant
    from ui.charts import imbalance as charts

    config = im.PRESETS["99 % accuracy, useless model"].config
    result = im.run(config)
    facts = {f.claim: f.text for f in im.facts(config, result)}
    listed = re.search(
        r"test split: (\S+) as is, (\S+) class weights, (\S+) over-sampled",
        facts["tuned_thresholds"],
    )
    counts = {significant(x) for x in listed.groups()}
    assert len(counts) == 1, listed.groups()
    # the chart labels the plain model's tuned threshold as the sentence lists it
    spec = json.dumps(charts.remedies_chart(result.remedies, config.model).to_dict())
    assert f"(t = {listed.group(1)})" in spec


def test_useless_model_preset_prints_accuracy_with_balanced_accuracys_decimals():
    """The same preset: "Accuracy (0.99)" beside "balanced accuracy (0.500 …) … 0.490 apart"."""
    config = im.PRESETS["99 % accuracy, useless model"].config
    result = im.run(config)
    facts = {f.claim: f.text for f in im.facts(config, result)}
    acc, bal, gap = re.search(
        r"Accuracy \((\S+)\) and balanced accuracy \((\S+), .* are (\S+) apart",
        facts["accuracy_hides_recall"],
    ).groups()
    places = {-Decimal(x).as_tuple().exponent for x in (acc, bal, gap)}
    assert places == {3}, (acc, bal, gap)


def test_the_answers_gain_prints_to_its_standard_errors_last_decimal():
    """Audit pass 64 a: at the defaults the answer read "The gain, 0.08 percentage points ±
    0.04999 percentage points": the gain at two decimals beside an SE at five (the SE keeps its
    digits so as not to print a rounded-up 5). The gain, and so the accuracies it is the
    difference of, show the SE's decimals (its 2 significant digits, core.facts.sig_num)."""
    config = im.Config()
    result = im.run(config)
    fact = next(f for f in im.facts(config, result) if f.slot == "answer")
    shown = re.search(r"The gain, (\S+) percentage points ± (\S+) percentage points", fact.text)
    assert shown, fact.text
    gain, se = shown.groups()
    assert len(gain.partition(".")[2]) >= len(se.partition(".")[2]), fact.text
    assert len(se.replace(".", "").lstrip("0")) >= 2, fact.text


def test_accuracies_compared_in_one_sentence_keep_one_count_of_digits():
    """Audit pass 64 a: at ?n=4000&t=0.001 the logistic regression's operating point read
    "accuracy 30.3 % against 99 % for always 'negative'" (and the answer "(30.3 %) ... (99 %)"):
    the baseline, 1,188 of 1,200, at fewer digits than the accuracy it is compared with. Shares
    in one sentence print at one count of significant digits, zeros kept (as core.facts.alike)."""
    config = im.Config(n_samples=4000, threshold=0.001, model="logistic")
    result = im.run(config)
    texts = {f.claim: f.text for f in im.facts(config, result)}
    assert "accuracy 30.3 % against 99.0 % for always 'negative'" in texts["operating_point"]
    assert "(30.3 %)" in texts["accuracy_not_above"]
    assert "(99.0 %)" in texts["accuracy_not_above"]


def test_a_remedys_paired_standard_error_keeps_two_significant_digits():
    """Audit pass 64 a: preset 'Balanced classes' with the boosted model read "the model with no
    remedy (0.910, 0.002 lower ± 0.002) ...": a standard error at one significant digit. Each
    remedy's paired SE prints at 2 significant digits at least, the F1s and gaps to its decimals."""
    config = im.Config(prevalence=0.5, separation=3.0, model="boosting")
    result = im.run(config)
    fact = next(f for f in im.facts(config, result) if f.claim in ("remedies_tied", "best_remedy"))
    pairs = re.findall(r"(\S+) lower ± ([0-9.]+)\)", fact.text)
    assert pairs, fact.text
    for gap, se in pairs:
        assert len(se.replace(".", "").lstrip("0")) >= 2, fact.text
        assert len(gap.partition(".")[2]) >= len(se.partition(".")[2]), fact.text


def test_the_two_aps_of_the_sweep_print_at_one_count_of_decimals():
    """Audit pass 65 e: at Config(prevalence=0.5, model='boosting') the sweep sentences read
    "average precision 0.9648 and 0.419" and "drops from 0.9648 to 0.419": the pair compared at 4
    and 3 decimals (share() added a digit to the first, whose 3 would end in a rounded-up 5). The
    sweep chart's tooltips print the APs at the same decimals (ap_decimals)."""
    config = im.Config(prevalence=0.5, separation=3.0, model="boosting")
    result = im.run(config)
    texts = {f.claim: f.text for f in im.facts(config, result)}
    m = re.search(r"drops from (\S+) to (\S+):", texts["auc_flatters"])
    assert m and len({len(t.partition(".")[2]) for t in m.groups()}) == 1, texts["auc_flatters"]
    assert m.groups() == ("0.9648", "0.4189")
    assert "average precision 0.9648 and 0.4189," in texts["sweep_values"]
    d = ic.ap_decimals(config, result)
    part = ic.sweep_table(config, result)
    assert [ic.share(float(part.iloc[i]["ap"]), d) for i in (0, -1)] == list(m.groups())


def test_the_gains_standard_error_is_read_at_its_own_decimals():
    """Audit pass 66 (f): at the defaults the answer read "The gain, 0.083 percentage points ±
    0.04999 percentage points": the decimals added against a 5 that rounding up made gave the SE
    five digits beside a gain of three. An SE is read at its own digits: "± 0.050", the gain's
    decimals, and "0.083 < 2 × 0.050" keeps the side the unrounded numbers take."""
    config = im.Config()
    (fact,) = [f for f in ic.facts(config, im.run(config)) if f.claim == "accuracy_within_noise"]
    found = re.search(r"The gain, (\S+) percentage points ± (\S+) percentage points", fact.text)
    assert found, fact.text
    gain, se = found.groups()
    assert len(gain.partition(".")[2]) == len(se.partition(".")[2]), fact.text
    assert len(se.lstrip("0.")) == 2, fact.text  # two significant digits, zeros kept


def test_brier_scores_and_their_gaps_print_at_a_readable_precision():
    """Audit pass 67 a, prevalence 0.5 %, separation 3, 4,000 rows (seed 0, logistic): demanding
    that each printed gap be the difference of the printed Brier scores, which no decimals up to
    12 gave, printed "0.004807477465 as is, 0.086826663653 class weights" and "the Brier score is
    0.082019186188 ± 0.006538618704 worse": a standard error at 10 significant digits. The scores
    now print at the fewest decimals that show them, the SE at its own 2 digits."""
    from core.facts import significant

    config = im.Config(prevalence=0.005, separation=3.0, n_samples=4000)
    facts = {f.claim: f for f in verify.check(config)}
    for claim in ("weights_distort", "oversampling_distorts"):
        gap, se = re.search(r"score is ([\d.]+) ± ([\d.]+) worse", facts[claim].text).groups()
        assert significant(se) == 2, facts[claim].text
        assert len(gap.partition(".")[2]) >= len(se.partition(".")[2]), facts[claim].text
        assert math.isclose(float(gap), facts[claim].values["gap"], rel_tol=1e-3)
    scores = re.findall(
        r"([\d.]+) (?:as is|class weights|over-sampled) \(", facts["brier_values"].text
    )
    assert len(scores) == 3 and all(len(s) <= 7 for s in scores), facts["brier_values"].text


def test_the_gains_standard_error_keeps_two_significant_digits_above_one_point():
    """Audit pass 67 a, ?prev=0.5&sep=0&n=4000&model=boosting: the answer read "The gain, 1.42
    percentage points ± 2.08 percentage points": the SE at the gain's two decimals, three
    significant digits. It prints at its own two (core.facts.se_num): "± 2.1"."""
    config = im.Config(prevalence=0.5, separation=0.0, n_samples=4000, model="boosting")
    fact = next(f for f in verify.check(config) if f.slot == "answer")
    found = re.search(r"The gain, (\S+) percentage points ± (\S+) percentage points", fact.text)
    assert found, fact.text
    gain, se = found.groups()
    assert len(se.replace(".", "").lstrip("0")) == 2, fact.text
    assert len(gain.partition(".")[2]) >= len(se.partition(".")[2]), fact.text


def test_a_remedys_gap_se_prints_at_the_gaps_decimals():
    """Audit pass 67 a, prevalence 0.5 %, separation 5, 4,000 rows (logistic): the remedies
    sentence read "class weights (0.444, 0.223 lower ± 0.1945)": the SE, 0.1945…, one decimal
    past its gap, added against a 5 that rounding up made. An SE is read at its own digits: the
    gap's decimals, "± 0.195"."""
    config = im.Config(prevalence=0.005, separation=5.0, n_samples=4000)
    (fact,) = [f for f in verify.check(config) if f.claim in ("remedies_tied", "best_remedy")]
    pairs = re.findall(r"([\d.]+) lower ± ([\d.]+)", fact.text)
    assert pairs, fact.text
    for gap, se in pairs:
        assert len(se.partition(".")[2]) <= len(gap.partition(".")[2]), fact.text


def test_a_remedys_gap_se_prints_at_its_own_two_digits():
    """Audit pass 68 g, ?prev=0.05&sep=0&n=4000 (logistic): "moving the threshold (0.0953,
    0.0030 lower ± 0.0138)": the SE at 3 significant digits, at the decimals another remedy's
    SE (0.0043) needed. Each SE prints at its own 2 (core.facts.se_num) where the tie still
    reads true: "± 0.014"."""
    config = im.Config(prevalence=0.05, separation=0.0, n_samples=4000)
    (fact,) = [f for f in verify.check(config) if f.claim in ("remedies_tied", "best_remedy")]
    pairs = re.findall(r"([\d.]+) lower ± ([\d.]+)", fact.text)
    assert ("0.0030", "0.014") in pairs, fact.text
    for gap, se in pairs:
        assert len(se.replace(".", "").lstrip("0")) == 2, fact.text
        within = Decimal(gap) <= 2 * Decimal(se)
        assert within == (fact.claim == "remedies_tied"), fact.text


@pytest.mark.parametrize(
    "separation, model, shown",
    [(0.0, "logistic", "0.004120"), (1.0, "logistic", "0.00546"), (0.0, "boosting", "0.0007")],
)
def test_a_brier_gaps_se_prints_at_its_own_two_digits(separation, model, shown):
    """Audit pass 68 g, prevalence 0.5 %, 4,000 rows: the Brier gaps' SEs printed at the gap's
    decimals, "0.228613 ± 0.004120" (4 significant digits, separation 0, logistic), "0.2096 ±
    0.00546" (past the gap's decimals, separation 1, logistic) and "0.0030 ± 0.0007" (one,
    separation 0, boosting). Each prints at its own 2 (core.facts.se_num), the gap to the SE's
    last decimal at least."""
    from core.facts import significant

    config = im.Config(prevalence=0.005, separation=separation, n_samples=4000, model=model)
    facts = [f for f in verify.check(config) if "Brier score" in f.text and "±" in f.text]
    assert facts
    texts = " ".join(f.text for f in facts)
    assert f"± {shown} " not in texts, texts
    for fact in facts:
        for gap, se in re.findall(r"([\d.]+) ± ([\d.]+)", fact.text):
            assert significant(se) == 2, fact.text
            assert len(gap.partition(".")[2]) >= len(se.partition(".")[2]), fact.text


def test_tuned_f1_of_zero_says_nothing_is_caught():
    """Prevalence 0.5 %, separation 3, 4,000 rows, logistic (``?prev=0.005&sep=3&n=4000``): class
    weights' tuned threshold flags 4 test rows, all negatives, and over-sampling's flags none; the
    sentence printed "reach test F1 0.00000 and 0.00000", a rounded small F1 in form (audit
    pass 69 d)."""
    config = im.Config(prevalence=0.005, separation=3.0, n_samples=4000, model="logistic")
    result = im.run(config)
    (fact,) = [f for f in im.facts(config, result) if f.claim == "tuned_thresholds"]
    assert "0.00000" not in fact.text, fact.text
    assert (
        "reach test F1 0 (none of its 4 flagged test rows is a positive) and "
        "0 (it flags no test row)." in fact.text
    ), fact.text


def test_a_brier_gap_prints_to_its_ses_last_decimal():
    """Audit pass 69 d, prevalence 0.5 %, separation 0, 4,000 rows, logistic: "the Brier score is
    0.228613 ± 0.0041 worse", the gap two decimals past its SE because the scores printed at 6
    (0.233555 and 0.004942), whose difference reads 0.2286 at the SE's decimals as well. The gap
    prints as core.facts.estimate prints a mean beside its SE, and still rounds the difference of
    the printed scores."""
    from core.facts import agrees, estimate

    config = im.Config(prevalence=0.005, separation=0.0, n_samples=4000, model="logistic")
    facts = {f.claim: f for f in verify.check(config)}
    assert "0.2286 ± 0.0041 worse" in facts["weights_distort"].text, facts["weights_distort"].text
    scores = dict(
        (name, Decimal(v))
        for v, name in re.findall(
            r"([\d.]+) (as is|class weights|over-sampled) \(", facts["brier_values"].text
        )
    )
    for claim, name in (
        ("weights_distort", "class weights"),
        ("oversampling_distorts", "over-sampled"),
    ):
        fact = facts[claim]
        gap, se = re.search(r"score is ([\d.]+) ± ([\d.]+) worse", fact.text).groups()
        assert (gap, se) == estimate(fact.values["gap"], fact.values["se"]), fact.text
        assert agrees(gap, scores[name] - scores["as is"]), (fact.text, scores)


def test_the_gain_prints_to_its_ses_last_decimal():
    """Audit pass 69 d, prevalence 50 %, separation 5, threshold 0.001, 4,000 rows, logistic:
    "The gain, 26.08 percentage points ± 2.4 percentage points", a decimal past its SE, beside
    accuracies of 76.08 % and 50.00 %, whose difference reads 26.1 as well. It prints as
    core.facts.estimate prints a mean: "26.1 … ± 2.4"."""
    config = im.Config(prevalence=0.5, separation=5.0, n_samples=4000, threshold=0.001)
    fact = next(f for f in verify.check(config) if f.slot == "answer")
    assert "The gain, 26.1 percentage points ± 2.4 percentage points" in fact.text, fact.text


def test_mean_probabilities_print_at_one_precision():
    """Audit pass 70 e: weights_trade_precision printed "mean 0.004 → 0.0149" and the inflate
    sentences "0.0149 against an observed rate of 0.005" (fixed decimals: 1 and 3 significant
    digits) at prevalence 0.5 %, separation 5, 4,000 rows, logistic."""
    from core.facts import at_one_precision

    config = im.Config(prevalence=0.005, separation=5.0, n_samples=4000, model="logistic")
    facts = {f.claim: f.text for f in ic.facts(config, im.run(config))}
    pair = re.search(r"\(mean ([\d.]+) → ([\d.]+)\)", facts["weights_trade_precision"]).groups()
    assert at_one_precision(pair), pair
    for claim in ("weights_distort", "oversampling_distorts"):
        against = re.search(
            r"probability is ([\d.]+) against an observed rate of ([\d.]+),", facts[claim]
        ).groups()
        assert at_one_precision(against), (claim, against)
    means = re.findall(r"mean predicted probability ([\d.]+)\)", facts["brier_values"])
    rate = re.search(r"observed rate of positives is ([\d.]+)\.", facts["brier_values"]).group(1)
    assert len(means) == 3 and at_one_precision([*means, rate]), (means, rate)
    # one quantity, one printing: the chart's chance line and every sentence
    assert ic.prevalence_text(config, im.run(config)) == rate


def test_chance_levels_print_at_the_average_precisions_decimals():
    """Audit pass 70 e: sweep_values printed "average precision 0.4656 and 0.0048, against 0.500
    and 0.005 for a random ranking" (each AP beside a chance level one decimal shorter) at
    prevalence 50 %, separation 0, 4,000 rows, logistic; the chart's tooltips print the same."""
    config = im.Config(prevalence=0.5, separation=0.0, n_samples=4000, model="logistic")
    result = im.run(config)
    text = next(f.text for f in ic.facts(config, result) if f.claim == "sweep_values")
    aps, chances = (
        re.search(
            r"average precision ([\d.]+) and ([\d.]+), against ([\d.]+) and ([\d.]+) for", text
        ).groups()[:2],
        re.search(r"against ([\d.]+) and ([\d.]+) for", text).groups(),
    )
    for ap, chance in zip(aps, chances, strict=True):
        assert ic._places(ap) == ic._places(chance), (ap, chance)
    assert sorted(ic.chance_texts(config, result).values()).count(chances[1]) >= 1
