"""What an imbalance run shows, each sentence emitted only when the run's numbers make it true.

Sentences about the operating point read the Config's model and threshold off the run's stored
test scores (``Result.point``): moving the threshold changes them without a new run.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from core.experiments.imbalance.experiment import (
    REMEDIES,
    SWEEP_PREVALENCES,
    THRESHOLDS,
    TRAINING_NAMES,
    TRAININGS,
    accuracy_gain,
)
from core.facts import (
    ANSWER,
    NOTICE,
    WARNING,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    listing,
    num,
    padded,
    reads_alike,
    se_num,
    significant,
    up,
)

# A difference is told apart from noise when it exceeds this many standard errors (about a
# 95 % interval that excludes 0); within it, two numbers are reported as a tie.
TIE_SE = 2.0
# ROC AUC "stays put" over the sweep when its largest and smallest values are this close.
AUC_STEADY = 0.03
# Average precision "falls" when its value at the lowest prevalence is at most this share of
# its value at the highest.
AP_FALL = 0.5
# Fewer test positives than this: every count-based metric moves in steps of 1/k or more.
FEW_POSITIVES = 30
# Accuracy and balanced accuracy "disagree" when they are this far apart.
DISAGREE = 0.15
# A ranking is called nearly perfect when its ROC AUC is at least this at every prevalence.
NEAR_PERFECT_AUC = 0.98

CLAIMS = Claims(
    Claim(
        "accuracy_clearly_above",
        "The model's test accuracy beats always predicting the majority class by more than two "
        "standard errors (the prediction's answer); at separation 0 (identical classes) the "
        "sentence calls it the test split's luck, not learning",
        "accuracy − majority accuracy > 2 × SE of the paired per-row difference",
    ),
    Claim(
        "accuracy_within_noise",
        "The model's accuracy is above the majority baseline, but within two standard errors "
        "(the prediction's answer)",
        "0 < accuracy − majority accuracy <= 2 SE",
    ),
    Claim(
        "accuracy_not_above",
        "The model's accuracy is at or below the majority baseline's (the prediction's answer)",
        "accuracy <= majority accuracy",
    ),
    Claim(
        "few_test_positives",
        "The test split has so few positives that recall and precision move in big steps",
        f"test positives < {FEW_POSITIVES}",
    ),
    Claim(
        "operating_point",
        "The confusion matrix, precision, recall, F1, balanced accuracy and accuracy at the "
        "chosen threshold",
        "always (reports the run at the Config's threshold)",
    ),
    Claim(
        "nothing_flagged",
        "At this threshold the model flags no test row: precision is undefined",
        "no test row has P(positive) >= threshold",
    ),
    Claim(
        "everything_flagged",
        "At this threshold the model flags every test row: recall is 1 and precision is the "
        "prevalence",
        "every test row has P(positive) >= threshold",
    ),
    Claim(
        "accuracy_hides_recall",
        "Accuracy and balanced accuracy disagree: accuracy is carried by the majority class",
        f"accuracy − balanced accuracy >= {DISAGREE}",
    ),
    Claim(
        "sweep_values",
        "ROC AUC, average precision and chance AP at the highest and lowest prevalence of the sweep",
        "always when the sweep has a prevalence (reports the run)",
    ),
    Claim(
        "sweep_short",
        "Some prevalences of the sweep could not be drawn from the uploaded test split",
        f"fewer than {len(SWEEP_PREVALENCES)} prevalences in the sweep",
    ),
    Claim(
        "auc_flatters",
        "As prevalence falls, ROC AUC stays put while average precision drops",
        f"AUC range over the sweep <= {AUC_STEADY} and AP at the lowest prevalence <= "
        f"{AP_FALL} × AP at the highest",
    ),
    Claim(
        "auc_moved",
        "ROC AUC moved by more than the steady margin over the sweep",
        f"AUC range over the sweep > {AUC_STEADY}",
    ),
    Claim(
        "ap_held",
        "Average precision did not halve as prevalence fell (the sentence says how: a "
        "near-perfect ranking, a sweep cut short by the uploaded test split, or AP's multiple "
        "of chance)",
        f"the sweep has two or more prevalences, AUC range <= {AUC_STEADY} and AP at the lowest prevalence > {AP_FALL} × AP at the "
        "highest",
    ),
    Claim(
        "tuned_thresholds",
        "The F1-optimal thresholds chosen on the validation split",
        "always (reports the run)",
    ),
    Claim(
        "best_remedy",
        "One remedy reached the best test F1, ahead of every other by more than two standard "
        "errors of the paired difference (and, where the best F1 is no higher than flagging "
        "every test row's, says so)",
        f"every other remedy's F1 gap to the best > {TIE_SE} × its paired bootstrap SE",
    ),
    Claim(
        "remedies_tied",
        "The best test F1 and the remedies within two standard errors of it (ties); remedies "
        "at the best F1 exactly are named together as sharing it",
        f"some remedy's F1 gap to the best <= {TIE_SE} × its paired bootstrap SE",
    ),
    Claim(
        "weights_trade_precision",
        "At threshold 0.5, class weights raise recall and lower precision",
        "weights at 0.5: recall > the plain model's, precision < the plain model's (defined), "
        "mean predicted probability > the plain model's",
    ),
    Claim(
        "balanced_no_remedy",
        "With balanced classes, class weights and over-sampling change nothing",
        "as many positives as negatives in the training split",
    ),
    Claim(
        "brier_values",
        "Brier score and mean predicted probability of each training against the observed rate",
        "always (reports the run)",
    ),
    Claim(
        "weights_distort",
        "Class weights inflate the probabilities: a worse Brier score, a mean prediction above "
        "the observed rate",
        f"Brier(weights) − Brier(plain) > {TIE_SE} × paired SE and mean P > observed rate",
    ),
    Claim(
        "weights_no_worse",
        "Class weights did not measurably worsen the Brier score, or did without raising the "
        "mean prediction above the rate (the sentence says which)",
        f"Brier gap <= {TIE_SE} × paired SE, or the mean prediction not above the rate",
    ),
    Claim(
        "oversampling_distorts",
        "Over-sampling inflates the probabilities: a worse Brier score, a mean prediction above "
        "the observed rate",
        f"Brier(over-sampled) − Brier(plain) > {TIE_SE} × paired SE and mean P > observed rate",
    ),
    Claim(
        "oversampling_no_worse",
        "Over-sampling did not measurably worsen the Brier score, or did without raising the "
        "mean prediction above the rate (the sentence says which)",
        f"Brier gap <= {TIE_SE} × paired SE, or the mean prediction not above the rate",
    ),
)


def _fact(key: str, text: str, *, slot: str = NOTICE, **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def _percent_digits(x: float, digits: int) -> str:
    """100·``x`` to ``digits`` significant digits with halves rounded up, as :func:`num` prints
    it otherwise (123 of 1,200 is "10.3", where float formatting rounds 10.25 to even, "10.2"),
    and, as num, more digits while a fraction would print as a whole number (5,579 of 6,000 is
    "92.98", not "93")."""
    exact = Decimal(100) * Decimal(repr(float(x)))
    if exact == 0:
        return num(0.0, digits)
    while True:
        rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), ROUND_HALF_UP)
        text = num(float(rounded), digits)  # already rounded: num only renders it
        whole = "e" not in text and Decimal(text) == Decimal(text).to_integral_value()
        if digits >= 17 or not whole or Decimal(text) == exact:
            return text
        digits += 1


def pcts(*xs: float) -> tuple[str, ...]:
    """Shares as percentages for one sentence: 3 significant digits (4 near 100 %), more until
    different shares print differently and none prints as 0 or 100 % unless it is exactly that
    (accuracy "against" the majority's, 99.996 % is not "100 %"); halves rounded up."""
    finite = [x for x in xs if math.isfinite(x)] + [0.0, 1.0]
    digits = 4 if any(99 < 100 * x < 100 for x in finite) else 3
    for d in range(digits, 18):
        printed = [_percent_digits(x, d) for x in finite]
        if all(
            printed[i] != printed[j] or finite[i] == finite[j]
            for i in range(len(finite))
            for j in range(i)
        ):
            break
    # and every share at one count of significant digits, zeros kept, as core.facts.alike prints
    # values compared in one sentence ("30.3 % against 99.0 %", not "against 99 %", at threshold
    # 0.001 with 4,000 rows; audit pass 64 a)
    mine = printed[: len(finite) - 2]
    most = max((significant(t) for t in mine if Decimal(t) != 0), default=digits)
    shown = iter(padded(t, most) for t in mine)
    return tuple(f"{next(shown)} %" if math.isfinite(x) else "undefined" for x in xs)


def pct(x: float) -> str:
    """A share as a percentage (:func:`pcts` of one)."""
    return pcts(x)[0]


def _between(x: float) -> bool:
    """Whether a share lies strictly between 0 and 1, round-off of a sum (an AP of 1 − 1e-16)
    counting as the end it is next to."""
    return 1e-12 < x < 1 - 1e-12


def share(x: float, d: int = 3) -> str:
    """A share, rate or score in [0, 1] with ``d`` decimals, more while it would print as 0 or
    1 without being that (2,999 of 3,000 is recall "0.9997", not "1.000")."""
    if not math.isfinite(x):
        return num(x)
    while d < 17 and _between(x) and float(fixed(x, d)) in (0.0, 1.0):
        d += 1
    return fixed(x, d)


def fixed(x: float, d: int, scale: float = 1) -> str:
    """``x`` to ``d`` decimals with halves rounded up, as a reader rounds a share of counts
    (9 of 16 is "0.563", where float formatting rounds the binary half to even, "0.562")."""
    return decimals(x, d, scale)


def signed(x: float, d: int) -> str:
    """:func:`fixed` with the sign always written (a gap "+0.0012", "-0.0004")."""
    text = fixed(x + 0.0, d)
    return text if text.startswith("-") else "+" + text


def _at(x: float, d: int) -> Decimal:
    """``x`` rounded to ``d`` decimals, halves up, as :func:`fixed` rounds it before adding any
    decimal: whether ``d`` decimals alone show a non-zero value."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-d), ROUND_HALF_UP)


def _inside(values, d: int) -> bool:
    """Whether no value strictly between 0 and 1 prints as 0 or 1 at ``d`` decimals."""
    return all(float(fixed(x, d)) not in (0.0, 1.0) for x in values if _between(x))


NAMES = {"logistic": "the logistic regression", "boosting": "the boosted model"}


def points(x: float, d: int = 2) -> str:
    """A difference of two accuracies in percentage points, ``d`` decimals."""
    return f"{fixed(x, d, 100)} percentage points"


def se_points(se: float, d: int, gain: float) -> str:
    """A standard error of that difference in percentage points (:func:`se_shown`): at its own 2
    significant digits, or at exactly ``d`` decimals where those are fewer, halves up, zeros kept:
    an SE is read at its own digits, so no decimal is added against a 5 that rounding up made
    ("0.083 ± 0.050", not "0.083 ± 0.04999" at the defaults; audit pass 66 f, as
    core.facts.se_num)."""
    return f"{se_shown(se, d, gain)} percentage points"


def se_shown(se: float, d: int, gain: float) -> Decimal:
    """The gain's standard error in percentage points as :func:`se_points` prints it: at its own 2
    significant digits (:func:`core.facts.se_num`) where those need no more than the gain's ``d``
    decimals and leave the gain, exact and as printed, on the side of two SEs it takes against
    the SE at ``d`` decimals ("1.42 ± 2.1", not "± 2.08" at 3 digits: prevalence 50 %, separation
    0, boosting; audit pass 67 a; a gain of 0.1333 is not within two of "± 0.067"), else at
    exactly ``d`` decimals, halves up, zeros kept."""
    exact = _at(100 * se, d)
    own = se_num(100 * se, 2) if se > 0 and math.isfinite(se) else ""
    if not own or "," in own or "e" in own or _places(own) > d:
        return exact
    two, shown = Decimal(repr(TIE_SE)), Decimal(own)
    printed = Decimal(fixed(gain, d, 100))
    true_gain = Decimal(repr(float(gain))) * 100
    if (printed > two * shown) != (printed > two * exact) or (true_gain > two * shown) != (
        gain > TIE_SE * se
    ):
        return exact
    return shown


def name(config) -> str:
    """The chosen model, with its article ("the logistic regression")."""
    return NAMES[config.model]


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run at the Config's model and threshold."""
    point = result.point(config.model, config.threshold)
    out = [_answer(config, result, point)]
    out += _warnings(result)
    out += _operating_point(config, result, point)
    out += _sweep(config, result)
    out += _remedies(config, result)
    out += _calibration(config, result)
    return out


def majority_word(point: dict) -> str:
    return "negative" if point["majority_is_negative"] else "positive"


def _gain_fits(point: dict, d: int, k: int) -> bool:
    """Whether, with the accuracies at ``d`` decimals (in percent) and the gain and its SE at
    ``k``, the printed gain is the difference of the printed accuracies to its last digit, both it
    and that difference sit on the side of two printed standard errors that the gain does, and
    neither the gain nor its SE prints as 0."""
    gain, se = accuracy_gain(point)
    side = gain > TIE_SE * se
    implied = Decimal(fixed(point["accuracy"], d, 100)) - Decimal(
        fixed(point["majority_accuracy"], d, 100)
    )
    g, s = fixed(gain, k, 100), se_shown(se, k, gain)
    two = Decimal(repr(TIE_SE))
    return (
        agrees(g, implied)
        and (Decimal(g) > two * s) == side
        and (implied > two * s) == side
        and all(_at(100 * x, k) != 0 for x in (gain, se) if x != 0)
    )


def gain_places(point: dict) -> tuple[int, int]:
    """(d, k): the decimals (in percent) of the accuracies and of the gain over the majority
    baseline with its standard error, for a model that gains. The fewest ``d`` (2 or more) at
    which the gain printed to as many decimals is the difference of the printed accuracies and
    keeps its side of two standard errors (85.5 % and 50 % are not "35.55 percentage points"
    apart; with the gain's decimals they print 85.55 % and 50.00 %). Where no ``d`` does (accuracies
    of 2,985 and 2,906 of 3,001 rows, or 592 and 569 of 600: "98.66666667 % ... 94.83333333 %,
    a gain of 3.83333333", whose printed accuracies are 3.83333334 apart, at every number of
    decimals; audit pass 50 g), the gain is printed to fewer decimals than the accuracies, as
    :func:`core.facts.with_difference` prints a difference ("98.67 % ... 94.83 %, a gain of 3.8").
    The gain (so its SE) has at least the decimals of its SE at 2 significant digits
    (:func:`core.facts.sig_num`), so "gain ± SE" never shows the gain less precise than its
    error ("a gain of 0.08 ± 0.04999" at the defaults; audit pass 64 a)."""

    def shown(d: int) -> bool:  # an accuracy below 1 does not print as 100 %
        return point["accuracy"] == 1 or float(fixed(point["accuracy"], d, 100)) < 100

    _, se = accuracy_gain(point)
    least = _places(se_num(100 * se, 2)) if se > 0 and math.isfinite(se) else 1
    for d in range(max(2, least), max(9, least + 1)):
        # the gain first to its SE's last decimal, as core.facts.estimate prints a mean: "The
        # gain, 26.08 percentage points ± 2.4" printed it a decimal past its error beside
        # accuracies of 76.08 % and 50.00 %, whose difference reads 26.1 as well (prevalence
        # 50 %, separation 5, threshold 0.001, logistic; audit pass 69 d)
        for k in dict.fromkeys((min(d, least), d) if se > 0 and math.isfinite(se) else (d,)):
            if shown(d) and _gain_fits(point, d, k):
                return d, k
    # where no decimals give the gain as the printed difference at the SE's decimals, the
    # gain is printed to fewer (pass 50 g's rule)
    for d in range(2, 9):
        for k in range(d - 1, 0, -1):
            if shown(d) and _gain_fits(point, d, k):
                return d, k
    return max(8, least), max(8, least)


def _places(text: str) -> int:
    """How many decimals a printed number shows (0 for a whole one)."""
    return len(text.partition("e")[0].partition(".")[2])


def gain_decimals(point: dict) -> int:
    """Decimals (in percent) of the accuracies of a model that gains over the majority baseline
    (:func:`gain_places`)."""
    return gain_places(point)[0]


def accuracy_texts(point: dict) -> tuple[str, str]:
    """The model's accuracy and the majority baseline's, as every sentence on the page prints
    them: at the gain's decimals when the model gains (the operating point's "98.2 % against
    98 %" beside the answer's "98.15 % ... 98.00 %, a gain of 0.15 ± 0.08, within two standard
    errors" read as a gain of 0.2, outside them), else :func:`pcts`."""
    gain, _ = accuracy_gain(point)
    if gain > 0:
        d = gain_decimals(point)
        acc, base = (fixed(x, d, 100) for x in (point["accuracy"], point["majority_accuracy"]))
        return f"{acc} %", f"{base} %"
    return pcts(point["accuracy"], point["majority_accuracy"])


def _answer(config, result, point) -> Fact:
    gain, se = accuracy_gain(point)
    n = point["n"]
    right = point["tp"] + point["tn"]
    base = round(point["majority_accuracy"] * n)
    majority = majority_word(point)
    acc_text, base_text = accuracy_texts(point)
    d = gain_places(point)[1] if gain > 0 else 2
    head = (
        f"At threshold {_cut(config.threshold)} {name(config)} is right on {right:,} of "
        f"{n:,} test rows ({acc_text}); always answering '{majority}' is right "
        f"on {base:,} ({base_text})."
    )
    values = {"gain": gain, "se": se, "accuracy": point["accuracy"]}
    values["majority_accuracy"] = point["majority_accuracy"]
    if gain > TIE_SE * se:
        # at separation 0 the classes are identical: the model's predictions are independent of
        # the test labels, so no model beats the majority guess in expectation, and a gain over two
        # standard errors is the test split's luck (audit pass 60 d: "the model is doing more than
        # guessing the majority" at prevalence 50 %, separation 0, seed 0: 52.05 % against 50 %)
        identical = not result.info.get("uploaded") and config.separation == 0
        why = (
            "but at separation Δ = 0 the two classes are identical, so no model beats the majority "
            "guess in expectation: this gain is the luck of this test split, not something the "
            "model learned."
            if identical
            else "the model is doing more than guessing the majority. Whether it is good enough "
            "is a question for recall and precision below."
        )
        return _fact(
            "accuracy_clearly_above",
            f"{head} The gain, {points(gain, d)} ± {se_points(se, d, gain)} (paired standard error), is more "
            f"than two standard errors{',' if identical else ':'} {why}",
            slot=ANSWER,
            answer="clearly higher",
            **values,
        )
    if gain > 0:
        # at separation 0 no metric can show learning: "Recall and precision can" was said of
        # identical classes (audit pass 61 f: prevalence 50 %, separation 0, seed 1, 4,000 rows)
        identical = not result.info.get("uploaded") and config.separation == 0
        why = (
            "and at separation Δ = 0 the two classes are identical, so there is nothing to learn: "
            "recall and precision cannot show learning either."
            if identical
            else "Recall and precision can."
        )
        return _fact(
            "accuracy_within_noise",
            f"{head} The gain, {points(gain, d)} ± {se_points(se, d, gain)} (paired standard error), is "
            "within two standard errors: on this test set accuracy cannot tell the model from the "
            f"majority guess{',' if identical else '.'} {why}",
            slot=ANSWER,
            answer="higher, but within noise",
            **values,
        )
    tail = f"by accuracy it does no better than always answering '{majority}'"
    # accuracy >= 0.9 at or below the baseline: most rows are of one class, and that is all it says
    if point["accuracy"] >= 0.9:
        tail += f", and its {acc_text} says only that most rows are of one class"
    return _fact(
        "accuracy_not_above",
        f"{head} The model's accuracy is at or below that baseline: {tail}.",
        slot=ANSWER,
        answer="no higher",
        **values,
    )


def _equals(value: float, text: str) -> str:
    """``= text`` where ``text`` is ``value`` exactly, else ``≈ text`` (core.quiz.is_)."""
    from core.quiz import is_

    return is_(value, text)


def _warnings(result) -> list[Fact]:
    k = result.info["test_positives"]
    if k >= FEW_POSITIVES:
        return []
    return [
        _fact(
            "few_test_positives",
            # recall as every other place prints it, a fraction, not percentage points
            f"The test split has only {k} positives: one more caught or missed moves recall by "
            # "1/7 ≈ 0.143": "=" only before an exact printing (audit pass 57 a)
            f"1/{k} {_equals(1 / k, num(1 / k))}, and every number below that counts positives "
            "is rough. "
            + (
                "A larger test split would give steadier numbers."
                if result.info["uploaded"]
                else "Raise 'Rows' or the prevalence for steadier numbers."
            ),
            slot=WARNING,
            positives=k,
        )
    ]


def remedy_places(config, result) -> dict[str, int]:
    """Decimals of the chosen model's remedies' precision, recall and F1 as the remedies chart's
    tooltips print them: precision and recall 3, more while two remedies' different values
    print alike; F1 :func:`remedy_decimals`."""
    part = result.remedies
    part = part[(part["model"] == config.model) & (part["remedy"] != "")]
    places = {m: apart_digits(part[m], 3, text=share) for m in ("precision", "recall")}
    places["f1"] = remedy_decimals(config, result)
    return places


def point_places(config, result) -> dict[str, int]:
    """Decimals of the operating point's precision, recall and F1 (its sentence and the
    curves' diamond): at threshold 0.5 the point is the remedies' "no remedy" row, printed as
    the remedies chart and sentences print it (the operating point's "Precision 0.862" beside
    weights_trade_precision's "precision 0.8625 → 0.8620", which reads as 0.863, for 765 of 887:
    Config(prevalence=0.4902, n_samples=6000, separation=3.25, seed=752)); else 3."""
    places = (
        remedy_places(config, result)
        if config.threshold == 0.5
        else {"precision": 3, "recall": 3, "f1": 3}
    )
    point = result.point(config.model, config.threshold)
    if point["flagged"] == point["n"]:
        # every row flagged: the precision is the test split's rate of positives, printed as
        # every sentence and the precision-recall chart print that rate (prevalence_text)
        places["precision"] = mean_decimals(config, result)
    return places


def prevalence_text(config, result) -> str:
    """The test split's rate of positives as every place on the page prints it: the
    calibration sentences' "observed rate" and the precision-recall chart's chance line, at
    :func:`mean_decimals` (the chart's 3 decimals put "0.007" beside "an observed rate of
    positives is 0.0075", which reads as 0.008, for 9 of 1,201 test rows:
    Config(prevalence=0.007, n_samples=4000, separation=1.5, seed=0))."""
    return mean_texts(config, result)["rate"]


def _move_threshold(config, result, *, up: bool) -> str:
    """What to do where every test row is flagged (``up``) or none is: raise (lower) the
    threshold where some threshold the slider offers above (below) it flags some rows and not
    all; where none does, why. Audit pass 56 g: "Raise the threshold." was said of a boosted
    model giving every row of a balanced 80-row upload's test split the same 0.538, where every
    higher threshold flags no one; pass 57 a: "Lower the threshold to flag someone." of the
    same, where every lower threshold that flags someone flags everyone."""
    scores = result.test_scores(config.model, "plain")
    offered = [t for t in THRESHOLDS if (t > config.threshold if up else t < config.threshold)]
    if any(0 < (scores >= t).sum() < len(scores) for t in offered):
        return "Raise the threshold." if up else "Lower the threshold to flag someone."
    if not up and not any((scores >= t).any() for t in offered):
        # the highest score printed apart from the threshold it is under (audit pass 58 e: a
        # score of 0.0009997 printed "the highest test score is 0.001" beside "0.001 flags no one")
        high, lowest = apart(float(scores.max()), THRESHOLDS[0])
        return (
            f"Even the slider's lowest threshold, {lowest}, flags no one: the "
            f"highest test score is {high}."
        )
    if scores.min() == scores.max():
        moved = (
            "raised past it, none is flagged"
            if up
            else "lowered to it or below, every row is flagged"
        )
        return (
            # printed apart from every threshold the sentence's "past it" / "to it" compares
            f"The model gives every test row the same probability, "
            f"{apart(float(scores[0]), *THRESHOLDS)[0]}: "
            f"no threshold flags some rows and not others ({moved})."
        )
    # the slider's thresholds flag some rows and not others only above the lowest score and at
    # or below the highest: printed apart from each other and from every threshold
    low, high = apart(float(scores.min()), float(scores.max()), *THRESHOLDS)[:2]
    side, outcome = (
        ("above", "none flags some rows and not others")
        if up
        else ("below", "each flags no one or every row")
    )
    return (
        f"The test scores run from {low} to {high}, and no threshold the slider offers {side} "
        f"this one lies above the lowest and at or below the highest: {outcome}."
    )


def _operating_point(config, result, point) -> list[Fact]:
    p = point
    places = point_places(config, result)
    precision = (
        "undefined (nothing flagged)"
        if not p["flagged"]
        else share(p["precision"], places["precision"])
    )
    acc_text, base_text = accuracy_texts(p)
    out = [
        _fact(
            "operating_point",
            f"At threshold {_cut(config.threshold)} {name(config)} flags {p['flagged']:,} of "
            f"{p['n']:,} test rows: {_count(p['tp'], 'true positive')}, "
            f"{_count(p['fp'], 'false positive')}, {_count(p['fn'], 'missed positive')}, "
            f"{_count(p['tn'], 'true negative')}. Precision "
            f"{precision}, recall {share(p['recall'], places['recall'])}, F1 "
            f"{share(p['f1'], places['f1'])}, balanced accuracy "
            f"{balanced_text(p)}; accuracy {acc_text} against "
            f"{base_text} for always '{majority_word(p)}'.",
            slot="threshold",
            point=p,
        )
    ]
    if p["flagged"] == 0:
        out.append(
            _fact(
                "nothing_flagged",
                "Nothing is flagged, so precision is 0/0: undefined. scikit-learn's "
                "precision_score returns 0 with a warning (or nan with zero_division=np.nan), and "
                f"F1 is 0. {_move_threshold(config, result, up=False)}",
                slot="threshold",
            )
        )
    elif p["flagged"] == p["n"]:
        out.append(
            _fact(
                "everything_flagged",
                f"Every row is flagged: recall is 1 and precision is the prevalence, "
                f"{share(p['precision'], places['precision'])}. {_move_threshold(config, result, up=True)}",
                slot="threshold",
            )
        )
    gap = p["accuracy"] - p["balanced_accuracy"]
    if gap >= DISAGREE:
        shown_acc, shown_bal, shown_gap = hides_texts(p)
        out.append(
            _fact(
                "accuracy_hides_recall",
                f"Accuracy ({shown_acc}) and balanced accuracy "
                f"({shown_bal}, the mean of the recall of each class) are "
                f"{shown_gap} apart: accuracy is carried by the {p['tn'] + p['fp']:,} negatives, "
                f"of which {p['tn']:,} are right, while "
                + (
                    f"none of the {p['positives']} positives is caught."
                    if p["tp"] == 0
                    # "only 1 of 12 positives is caught", not "are" (audit pass 54 h)
                    else f"only {p['tp']} of {p['positives']} positives "
                    f"{'is' if p['tp'] == 1 else 'are'} caught."
                ),
                slot="threshold",
                gap=gap,
            )
        )
    return out


def balanced_text(point: dict) -> str:
    """Balanced accuracy as every sentence prints it: the operating point's and
    accuracy_hides_recall's are one text, at :func:`hides_texts`' decimals when that sentence is
    shown (the operating point's "balanced accuracy 0.572" beside its "(0.5725, the mean of the
    recall of each class)", which a reader rounds to 0.573: Config(prevalence=0.02,
    n_samples=8000, separation=3.0, seed=358), logistic, threshold 0.5), else 3 decimals."""
    if point["accuracy"] - point["balanced_accuracy"] >= DISAGREE:
        return hides_texts(point)[1]
    return share(point["balanced_accuracy"])


def hides_texts(point: dict) -> tuple[str, str, str]:
    """Accuracy, balanced accuracy and their gap for accuracy_hides_recall (:func:`_hides_texts`),
    the accuracy with its zeros kept to the balanced accuracy's decimals where its exact value
    has them: "Accuracy (0.990) and balanced accuracy (0.500 …) are 0.490 apart", not "(0.99)"
    beside "0.500" (5,940 of 6,000 right: preset '99 % accuracy, useless model'; audit pass
    63 f)."""
    acc, bal, gap = _hides_texts(point)
    places = -Decimal(bal).as_tuple().exponent
    if -Decimal(acc).as_tuple().exponent < places and Decimal(
        fixed(point["accuracy"], places)
    ) == Decimal(acc):
        acc = fixed(point["accuracy"], places)
    return acc, bal, gap


def _hides_texts(point: dict) -> tuple[str, str, str]:
    """Accuracy, balanced accuracy and their gap as fractions for accuracy_hides_recall: the
    accuracy is the answer's and the operating point's (:func:`accuracy_texts`) over 100, so a
    reader gets the same gain over the majority baseline from it ("Accuracy (0.968)" beside the
    answer's "96.8011 % ... 96.6678 %, a gain of 0.1333 ± 0.0666, more than two standard errors"
    read as a gain of 0.1322, within them); balanced accuracy to as many decimals (3 or more);
    the gap, the exact one rounded halves up, is the difference of the two printed values to
    its last digit (as :func:`core.facts.with_difference`). Where no decimals do that beside the
    answer's accuracy (516 of 673 right, "0.767" beside a balanced accuracy of 0.51674 and a gap
    of 0.24998, which no gap text both rounds and follows from: audit pass 52 g), the accuracy is
    printed to more decimals that read as the answer's ("0.76672", "76.7 %") and, for a model
    that gains, give the answer's printed gain over its printed baseline."""
    answer = accuracy_texts(point)[0].removesuffix(" %")
    gap = float(point["accuracy"]) - float(point["balanced_accuracy"])
    candidates = [Decimal(answer).scaleb(-2)]
    first = max(3, -candidates[0].as_tuple().exponent)
    candidates += [Decimal(fixed(point["accuracy"], p)) for p in range(first + 1, 18)]
    gain, _ = accuracy_gain(point)
    found = []
    for acc in candidates:
        if acc != candidates[0] and not (
            reads_alike(acc.scaleb(2), answer) and (gain <= 0 or _gain_follows(point, acc))
        ):
            continue
        found += [_hides_gap(point, acc, gap)]
        # a gap of 2 significant digits or more; else the first of one ("0.2" for 0.24998)
        if (
            found[-1]
            and Decimal(found[-1][2]).adjusted() - Decimal(found[-1][2]).as_tuple().exponent
        ):
            return found[-1]
    if any(found):
        return next(f for f in found if f)
    acc = candidates[0]
    bal = share(float(point["balanced_accuracy"]), max(3, -acc.as_tuple().exponent))
    return format(acc, "f"), bal, format(acc - Decimal(bal), "f")


def _hides_gap(point: dict, acc: Decimal, gap: float) -> tuple[str, str, str] | None:
    """:func:`hides_texts` beside the accuracy ``acc``: the balanced accuracy to as many decimals
    (3 or more) or a few more, and the gap to the most decimals at which it is the difference of
    the printed two; None if none is."""
    places = max(3, -acc.as_tuple().exponent)
    for q in range(places, places + 10):
        bal = share(float(point["balanced_accuracy"]), q)
        implied = acc - Decimal(bal)
        # the most decimals that agree: the accuracy's own rounding (0.989 for 0.98944) can
        # leave only 0.49 for a gap of 0.48972 beside a balanced accuracy of 0.500
        for m in range(q, 0, -1):
            if agrees(fixed(gap, m), implied):
                return format(acc, "f"), bal, fixed(gap, m)
    return None


def _gain_follows(point: dict, acc: Decimal) -> bool:
    """Whether ``acc`` (an accuracy as a fraction) less the answer's printed majority baseline
    is the answer's printed gain to its last digit."""
    gain, _ = accuracy_gain(point)
    base = Decimal(accuracy_texts(point)[1].removesuffix(" %"))
    return agrees(fixed(gain, gain_places(point)[1], 100), acc.scaleb(2) - base)


def sweep_table(config, result):
    """The chosen model's rows of the sweep, from the highest prevalence to the lowest."""
    part = result.sweep[result.sweep["model"] == config.model]
    return part.sort_values("prevalence", ascending=False).reset_index(drop=True)


def moved_text(spread: float, printed: Decimal) -> str | None:
    """auc_moved's "moved by X": the spread of the AUCs (more than AUC_STEADY) to the fewest
    significant digits (2 or more) that print it above AUC_STEADY and agree with ``printed``,
    the highest minus the lowest AUC as the sweep chart's tooltips print them; None if no
    number of digits does both."""
    for k in range(2, 18):
        text = num(spread, k)
        if Decimal(text) > Decimal(repr(AUC_STEADY)) and agrees(text, printed):
            return text
    return None


def sweep_decimals(result) -> int:
    """The decimals of the sweep chart's AUC tooltips: 3, more while some model's AUCs as
    printed would put its spread on the other side of AUC_STEADY than the AUCs themselves
    ("moved by 0.0308, more than 0.03" beside tooltips 0.649 and 0.619:
    Config(prevalence=0.2251, n_samples=6000, separation=0.75, seed=253), logistic), or while
    a spread above it would not be what the printed highest minus lowest gives (auc_moved's
    "moved by 0.0316" beside tooltips 0.563 and 0.532: Config(prevalence=0.0345,
    n_samples=12000, separation=0.75, seed=584), boosting; :func:`moved_text`)."""
    steady = Decimal(repr(AUC_STEADY))
    for d in range(3, 11):
        if all(
            (max(shown := [Decimal(share(float(a), d)) for a in aucs]) - min(shown) > steady)
            == ((spread := float(aucs.max() - aucs.min())) > AUC_STEADY)
            and (spread <= AUC_STEADY or moved_text(spread, max(shown) - min(shown)))
            for _, aucs in result.sweep.groupby("model")["auc"]
            if len(aucs)
        ):
            return d
    return 10


def ap_decimals(config, result) -> int:
    """The decimals of the sweep's average precisions, in its sentences (sweep_values,
    auc_flatters, ap_held) and in the sweep chart's tooltips: 3, more while the chosen model's AP at the lowest prevalence, above half
    its AP at the highest, would print as half of it or less ("did not halve" beside 0.500 and
    0.250 for APs of 0.5004 and 0.25021), or while ap_held's "N times a random ranking's" would
    not follow from the printed AP and chance level (:func:`_held_times`); and never fewer than
    :func:`_ap_apart` gives, so no AP prints as its chance level.
    """
    d = _ap_decimals_least(config, result)
    part = sweep_table(config, result)
    # the two APs the sweep sentences compare (the highest and the lowest prevalence's) at one
    # count of decimals: share() adds one where the last would be a 5 that rounding up made, and
    # auc_flatters read "average precision drops from 0.9648 to 0.419"
    # (Config(prevalence=0.5, model='boosting'); audit pass 65 e)
    pair = [float(part.iloc[i]["ap"]) for i in (0, -1)] if len(part) else []
    for _ in range(17):
        most = max([d, *(_places(share(a, d)) for a in pair)])
        held = _held_times(config, result, most)
        most = most if held is None else max(most, held[0])
        if most == d or most >= 17:
            return min(most, 17)
        d = most
    return d


def _ap_decimals_least(config, result) -> int:
    """:func:`ap_decimals` before its APs are put at one count of decimals."""
    start = _ap_apart(result)
    part = sweep_table(config, result)
    if len(part) < 2:
        return start
    ap_hi, ap_lo = float(part.iloc[0]["ap"]), float(part.iloc[-1]["ap"])
    if not ap_lo > AP_FALL * ap_hi:
        return start
    halved = next(
        (d for d in range(start, 17) if Decimal(share(ap_lo, d)) > Decimal(share(ap_hi, d)) / 2),
        17,
    )
    held = _held_times(config, result, halved)
    return halved if held is None else held[0]


def _ap_apart(result) -> int:
    """The fewest decimals (3 or more) at which every test set's AP, each model's, prints apart
    from that set's chance AP printed beside it "against" it (3 decimals, :func:`chance_texts`)
    unless the two are equal: an AP of 0.00522 is not "0.005, against 0.005 for a random
    ranking" (Config(prevalence=0.01, n_samples=4000, separation=0.0), logistic)."""
    pairs = [
        (float(a), float(c))
        for a, c in zip(result.sweep["ap"], result.sweep["chance_ap"], strict=True)
        if float(a) != float(c)
    ]
    # the chance level at the APs' decimals, as chance_texts prints it
    return next(
        (
            d
            for d in range(3, 17)
            if all(Decimal(share(a, d)) != Decimal(share(c, d)) for a, c in pairs)
        ),
        17,
    )


def _held_times(config, result, start: int):
    """(AP decimals, chance text, times) of ap_held's "its AP is N times a random ranking's"
    when the run says it (the sweep reaches the lowest prevalence, AUC steady and short of
    nearly perfect, AP not halved), else None: :func:`_times` from ``start`` decimals."""
    part = sweep_table(config, result)
    if len(part) < 2:
        return None
    high, low = part.iloc[0], part.iloc[-1]
    if not (
        float(part["auc"].max() - part["auc"].min()) <= AUC_STEADY
        and low["ap"] > AP_FALL * high["ap"]
        and part["auc"].min() < NEAR_PERFECT_AUC
        and low["prevalence"] == min(SWEEP_PREVALENCES)
    ):
        return None
    return _times(float(low["ap"]), float(low["chance_ap"]), start)


def set_share(row) -> float:
    """A sweep set's share of positives, positives / (positives + negatives): the swept
    prevalence for the synthetic data, but near it only for an upload's set of every negative
    and fewer positives (sweep_rows rounds their count: 19 positives and 175 negatives are
    9.79 %, not 10 %; audit pass 44)."""
    return int(row["positives"]) / (int(row["positives"]) + int(row["negatives"]))


def set_share_text(row) -> str:
    """:func:`set_share` as the sweep sentences and the sweep chart's tooltips print it."""
    return pct(set_share(row))


def set_share_texts(result) -> dict[float, str]:
    """Each swept prevalence's set share of positives as printed (:func:`set_share_text`), for
    the sweep chart's tooltips."""
    rows = result.sweep.drop_duplicates("prevalence")
    return {float(row["prevalence"]): set_share_text(row) for _, row in rows.iterrows()}


def chance_texts(config, result) -> dict[float, str]:
    """Each test set's chance AP (its share of positives) as the sweep sentence and the sweep
    chart's tooltips print it: 3 decimals, or at the lowest prevalence the digits ap_held's
    ratio follows from ("1.000 is 201 times a random ranking's (0.00498 ...)" is not said beside
    a chance level printed 0.005, which gives 200)."""
    rows = result.sweep.drop_duplicates("prevalence")
    # at the APs' decimals (ap_decimals), so no AP is compared with a chance level printed
    # shorter: "average precision 0.4656 and 0.0048, against 0.500 and 0.005" (prevalence 50 %,
    # separation 0, 4,000 rows, logistic; audit pass 70 e)
    d = ap_decimals(config, result)
    texts = {
        float(p): share(float(c), d)
        for p, c in zip(rows["prevalence"], rows["chance_ap"], strict=True)
    }
    held = _held_times(config, result, d)
    if held is not None:
        # the digits the ratio follows from, zeros added to the APs' decimals (same value)
        text = held[1]
        if "e" not in text and _places(text) < d:
            text = format(Decimal(text).quantize(Decimal(1).scaleb(-d)), "f")
        texts[float(sweep_table(config, result).iloc[-1]["prevalence"])] = text
    return texts


def _sweep(config, result) -> list[Fact]:
    part = sweep_table(config, result)
    out = []
    missing = [p for p in SWEEP_PREVALENCES if p not in set(part["prevalence"])]
    if missing:
        out.append(
            _fact(
                "sweep_short",
                f"Your test split has too few rows of one class for prevalence "
                f"{listing([pct(p) for p in missing], 'or')} with at least 10 positives; "
                "the sweep leaves them out.",
                slot="sweep",
                missing=missing,
            )
        )
    if part.empty:
        return out
    high, low = part.iloc[0], part.iloc[-1]
    spread = float(part["auc"].max() - part["auc"].min())
    values = {
        "auc_high": float(high["auc"]),
        "auc_low": float(low["auc"]),
        "ap_high": float(high["ap"]),
        "ap_low": float(low["ap"]),
        "spread": spread,
    }
    source = (
        f"{int(high['positives'])} fresh positives"
        if high["source"] == "fresh rows"
        # subsets of the test split without replacement (sweep_rows), not a bootstrap: the
        # lesson's "resamples" are draws with replacement (audit pass 43)
        else "subsets of your test split, no row drawn twice"
    )
    # The sweep chart's tooltips print every set's AUC with share() at sweep_decimals: the bound
    # covers their printed spread too (tooltips 0.967 and 0.971 are not "within 0.0035" of each
    # other: Config(prevalence=0.02, n_samples=4000, separation=4.0, seed=86), the boosted model)
    sd = sweep_decimals(result)
    shown = [Decimal(share(float(a), sd)) for a in part["auc"]]
    printed = max(shown) - min(shown)
    within = str(printed) if printed > Decimal(up(spread, 2)) else up(spread, 2)
    bound = float(within) if spread > 0 else 0.0
    # "stays within 0" of an AUC that does not move (constant or perfectly separated scores):
    # say where it stays
    steady = f"within {within}" if spread > 0 else f"at {share(float(high['auc']))}"
    # AUC decimals at which the two printed AUCs are no further apart than the "within" bound
    # printed beside them when the AUC held (0.994 and 0.995 are not "within 0.00072"); compared
    # as printed, in decimal: in floats 0.831 − 0.814 is above 0.017, which put the sentence's
    # AUCs at 4 decimals ("0.8145", which reads as 0.815) beside the tooltips' "0.814"
    # (Config(prevalence=0.3787, n_samples=6000, separation=1.5, seed=992), the boosted model)
    da = next(
        (
            d
            for d in range(sd, 11)
            if (
                spread > AUC_STEADY
                or abs(Decimal(fixed(float(high["auc"]), d)) - Decimal(fixed(float(low["auc"]), d)))
                <= Decimal(repr(bound))
            )
            and _inside((float(high["auc"]), float(low["auc"])), d)
        ),
        10,
    )
    if len(part) == 1:
        # one test set is no sweep: nothing "falls", "holds" or "moves"
        out.append(
            _fact(
                "sweep_values",
                f"{name(config).capitalize()} scored on one test set only ({source}), at "
                f"{set_share_text(high)} positives: ROC AUC {share(high['auc'])}, average "
                f"precision {share(high['ap'], ap_decimals(config, result))} against "
                f"{chance_texts(config, result)[float(high['prevalence'])]} for a random "
                "ranking (about the prevalence). With no rarer set there is no trend to read.",
                slot="sweep",
                **values,
            )
        )
        return out
    ap_d = ap_decimals(config, result)
    chance = chance_texts(config, result)
    out.append(
        _fact(
            "sweep_values",
            f"{name(config).capitalize()} scored on test sets of falling prevalence ({source}): ROC AUC "
            f"{fixed(high['auc'], da)} at {set_share_text(high)} positives and "
            f"{fixed(low['auc'], da)} at "
            f"{set_share_text(low)}; average precision {share(high['ap'], ap_d)} and "
            f"{share(low['ap'], ap_d)}, against {chance[float(high['prevalence'])]} and "
            f"{chance[float(low['prevalence'])]} for a random ranking "
            "(about the prevalence).",
            slot="sweep",
            **values,
        )
    )
    if spread > AUC_STEADY:
        # the highest minus the lowest AUC as the chart's tooltips print them (sweep_decimals)
        moved = moved_text(spread, printed) or apart(spread, AUC_STEADY)[0]
        out.append(
            _fact(
                "auc_moved",
                f"ROC AUC moved by {moved} over the sweep (its highest "
                f"minus its lowest of {len(part)} test sets, more than {AUC_STEADY}): "
                f"{noise_cause(part)}.",
                **values,
            )
        )
    elif low["ap"] <= AP_FALL * high["ap"]:
        # as sweep_values and the sweep chart's tooltips print them (ap_decimals): at 3
        # significant digits this sentence gave "drops from 0.846 to 0.0825" beside their "0.082"
        # (Config(prevalence=0.3787, n_samples=8000, separation=1.75, seed=353), the boosted model)
        ap_high, ap_low = share(float(high["ap"]), ap_d), share(float(low["ap"]), ap_d)
        out.append(
            _fact(
                "auc_flatters",
                f"ROC AUC stays {steady} while prevalence falls from "
                f"{set_share_text(high)} to {set_share_text(low)}, but average precision "
                f"drops from {ap_high} to {ap_low}: AUC measures the ranking of "
                "positives against negatives, whatever their numbers; AP measures how clean the "
                "flagged rows are, and more negatives crowd the top of the ranking.",
                **values,
            )
        )
    else:
        full = low["prevalence"] == min(SWEEP_PREVALENCES)
        stops = (
            f"the sweep stops at {set_share_text(low)} positives (your test split has too "
            "few rows for rarer sets)"
        )
        if part["auc"].min() >= NEAR_PERFECT_AUC:
            why = outranked_text(low) + ("." if full else f"; and {stops}.")
        elif full:
            # the AP as printed beside it and in the chart, the chance level as everywhere
            _, _, times = _held_times(config, result, ap_d)
            chance_text = chance[float(low["prevalence"])]
            ap_text = share(float(low["ap"]), ap_d)
            why = (
                f"even at {set_share_text(low)} positives its AP, {ap_text}, is "
                f"{times} times a random ranking's ({chance_text}, the test set's share of "
                "positives)."
            )
        else:
            why = (
                f"{stops}, before AP has fallen far: for a ranking short of perfect it keeps "
                "falling as positives get rarer."
            )
        # ap_d: decimals at which the printed pair shows it did not halve (0.500 to 0.250
        # would read as halved for an AP of 0.5004 against 0.25021), as the chart prints them
        ap_hi, ap_lo = float(high["ap"]), float(low["ap"])
        out.append(
            _fact(
                "ap_held",
                f"Here average precision did not halve ({share(ap_hi, ap_d)} to "
                f"{share(ap_lo, ap_d)}) while "
                f"ROC AUC stayed {steady}: {why}",
                **values,
            )
        )
    return out


def outranked_text(low) -> str:
    """ap_held's reason for a nearly perfect ranking: how many of the lowest prevalence's
    negatives score above a positive, on average and for at least half the positives. "few
    negatives outrank the positives even when they are many" was said where a positive was
    outranked by 690 of the 39,800 negatives on average, and half of them by 39 or more
    (Config(prevalence=0.05, n_samples=20000, separation=3.5), the boosted model; audit pass
    55 c)."""
    negatives = int(low["negatives"])
    mean, median = float(low["outranked_mean"]), int(low["outranked_median"])
    where = f"at {set_share_text(low)} positives"
    if mean == 0:
        return (
            f"the ranking is perfect {where}: no negative of the {negatives:,} scores above "
            "any positive"
        )
    about = Decimal(repr(mean)).quantize(Decimal(1), ROUND_HALF_UP)
    average = f"{int(about):,}" if about == Decimal(repr(mean)) else f"about {int(about):,}"
    if about == 0:
        average = f"{num(mean)}"
    half = "none" if median == 0 else f"at most {median:,}"
    return (
        f"the ranking is nearly perfect, so {where} the negatives scoring above a positive are "
        f"a small share of the {negatives:,} (on average {average}, {pct(mean / negatives)}), "
        f"and at least half the positives have {half} above them"
    )


def noise_cause(part) -> str:
    """auc_moved's reason: where the sampling noise that moved the AUC comes from. The sweep's
    sets are drawn from one pool in one seeded order (experiment.sweep_rows), so sets with as
    many positives hold the same positive rows: where every set does (the synthetic sweep's 200
    fresh positives), positives cannot move the AUC from one set to another, and the sets differ
    only in their negatives, fewest in the set at the highest prevalence. "with 200 positives at
    the lowest prevalence, sampling noise reaches it too" was said where the 0.5 % set held the
    same 200 positives as every other and its AUC was within 0.0052 of every set's but the 50 %
    one, whose 200 negatives moved it (Config(prevalence=0.0345, n_samples=12000,
    separation=0.75, seed=584), the boosted model; audit pass 53 e)."""
    positives = [int(p) for p in part["positives"]]
    if len(set(positives)) == 1:
        fewest = part.loc[part["negatives"].astype(int).idxmin()]
        return (
            f"every set holds the same {positives[0]:,} positives, so it is sampling noise in "
            "which negatives each set holds (the rarer sets add negatives), larger the fewer it "
            f"holds: {int(fewest['negatives']):,} at {set_share_text(fewest)} positives"
        )
    # the rarest of the sets with the fewest positives
    counts = part["positives"].astype(int)
    fewest = part.loc[part[counts == counts.min()]["prevalence"].astype(float).idxmin()]
    where = (
        "at the lowest prevalence"
        if float(fewest["prevalence"]) == float(part["prevalence"].min())
        else f"in the set of {set_share_text(fewest)} positives"
    )
    return f"with {int(fewest['positives']):,} positives {where}, sampling noise reaches it too"


def _times(ap: float, chance: float, start: int = 3) -> tuple[int, str, str]:
    """The AP's decimals (``start`` or more), the chance AP's text and their ratio in whole
    times (halves up), printed so that the ratio is what a reader gets from the printed two
    (0.569 against an uploaded test set's 0.005088 is 112 times, not the 114 that 0.569 / 0.005
    gives)."""
    ratio = Decimal(repr(ap)) / Decimal(repr(chance))
    for d in range(start, 17):
        ap_text = share(ap, d)
        for k in range(1, 17):
            chance_text = num(chance, k)
            for places in (0, 1, 2):
                times = str(ratio.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
                if agrees(times, Decimal(ap_text) / Decimal(chance_text)):
                    return d, chance_text, times
    return 17, num(chance, 17), str(ratio)


def _decimals(pairs=(), nonzero=(), holds=lambda d: True, start: int = 3, most: int = 8) -> int:
    """Decimals (from ``start``) at which every pair of different numbers prints differently,
    no non-zero number prints as 0, and ``holds(d)`` (a comparison the sentence states between
    the printed numbers) is true; ``most`` if none up to it."""
    for d in range(start, most + 1):
        if (
            all(fixed(a, d) != fixed(b, d) for a, b in pairs if a != b)
            and all(_at(x, d) != 0 for x in nonzero if x != 0)
            and holds(d)
        ):
            return d
    return most


def _rounded(x: float, d: int) -> float:
    return float(fixed(x, d))


def _side(gap: float, se: float) -> int:
    """1 above two standard errors, -1 below minus two, 0 within."""
    return 1 if gap > TIE_SE * se else -1 if gap < -TIE_SE * se else 0


def remedy_rows(config, result):
    """The chosen model's four remedies (name -> row), in REMEDIES order."""
    table = result.remedies
    part = table[(table["model"] == config.model) & (table["remedy"] != "")]
    return {name: part[part["remedy"] == name].iloc[0] for name in REMEDIES}


def _count(n: int, noun: str) -> str:
    """ "1 true positive", "2,000 true positives"."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _cut(t: float) -> str:
    """The Config's threshold as set: 3 significant digits, more while they would print another
    value (a notebook's 0.0010001 is not "0.001": a row at 0.001 is not flagged)."""
    digits = 3
    while digits < 17 and float(num(t, digits)) != t:
        digits += 1
    return num(t, digits)


def tuned_threshold_text(t: float) -> str:
    """A remedy's threshold, as the remedies sentence and the remedies chart's labels print it:
    3 significant digits, more while one below 1 would print "1" or one other than the chart's
    0.5 would print "0.5" (audit pass 59 e: a balanced 80-row upload's class-weighted boosted
    model scores every row 0.49999998, its tuned threshold; the sentence printed "0.5 class
    weights ... reach test F1 0.5946 (the chart shows both at 0.5)" beside the chart's F1 of 0
    at 0.5)."""
    if not math.isfinite(t):
        return "none"
    digits = 3
    while digits < 17 and (
        (t < 1 and float(num(t, digits)) >= 1) or (t != 0.5 and float(num(t, digits)) == 0.5)
    ):
        digits += 1
    return num(t, digits)


def tuned_threshold_texts(remedies, model: str) -> dict[str, str]:
    """Each training's tuned threshold (rule "tuned" of ``model`` in the remedies table), as the
    remedies sentence lists the three and the remedies chart labels the plain one:
    :func:`tuned_threshold_text` with its zeros kept to 3 significant digits ("0.0402 as is,
    0.840 class weights, 0.838 over-sampled", not "0.84 class weights" beside "0.838": preset
    '99 % accuracy, useless model'; audit pass 63 f). A threshold that needs more digits not to
    read as 1 or as the chart's 0.5 keeps them (0.49999998), the others stay at 3."""
    part = remedies[(remedies["model"] == model) & (remedies["rule"] == "tuned")]
    values = {t: float(part.loc[part["training"] == t, "threshold"].iloc[0]) for t in TRAININGS}
    return {t: padded(tuned_threshold_text(v), 3) for t, v in values.items()}


def tuned_f1_text(remedies, model: str, training: str, d: int) -> str:
    """The test F1 of ``training`` at its own tuned threshold, at the remedies sentence's ``d``
    decimals; an F1 of exactly 0 says why, as the flagged rows show it: "0 (it flags no test
    row)" or "0 (none of its 4 flagged test rows is a positive)", not "0.00000", which reads as
    a small F1 rounded (prevalence 0.5 %, separation 3, 4,000 rows, logistic: "class weights and
    over-sampling reach test F1 0.00000 and 0.00000"; audit pass 69 d)."""
    row = remedies[
        (remedies["model"] == model)
        & (remedies["training"] == training)
        & (remedies["rule"] == "tuned")
    ].iloc[0]
    f1 = float(row["f1"])
    if f1 != 0:
        return share(f1, d)
    flagged = int(row["tp"] + row["fp"])
    if flagged == 0:
        return "0 (it flags no test row)"
    if flagged == 1:
        return "0 (its one flagged test row is a negative)"
    return f"0 (none of its {flagged:,} flagged test rows is a positive)"


def _gap_at(f1: dict, best: str):
    """The printed gap of a remedy to the best: the difference of the two printed F1s."""

    def gap_at(n: str, d: int) -> Decimal:
        return Decimal(fixed(f1[best], d)) - Decimal(fixed(f1[n], d))

    return gap_at


def _remedy_numbers(rows):
    """The best remedy, its ties, every F1, the named remedies' (gap, paired SE), and the
    decimals the F1s are printed with, in the sentence and in the remedies chart's tooltips.

    Enough decimals that the printed F1s, gaps and standard errors agree with "within" (ties)
    or "more than" (best): 0.001 ± 0.000 must not be called "within two standard errors".
    The printed gap is the difference of the printed F1s (0.912 and 0.910 are not "0.001
    lower"). It is computed from them: for F1s such as 17/22 and 67/88 the rounded gap and the
    gap of the rounded F1s differ in the last digit at every number of decimals. The chart
    prints the F1s with the same decimals: at 3 its tooltips gave 0.118 and 0.092 beside "more
    than two paired standard errors (0.0263 lower ± 0.0130)", a gap of 0.026 that is not
    (Config(prevalence=0.06450832302, n_samples=8000, separation=0.0, seed=36), boosting)."""
    best = next(n for n, r in rows.items() if r["gap_to_best"] == 0)
    ties = [n for n, r in rows.items() if n != best and r["gap_to_best"] <= TIE_SE * r["gap_se"]]
    f1 = {n: float(r["f1"]) for n, r in rows.items()}
    named = ties or runners_up(f1, best)
    gaps = {n: (float(rows[n]["gap_to_best"]), float(rows[n]["gap_se"])) for n in named}
    gap_at = _gap_at(f1, best)
    # every standard error at 2 significant digits at least (core.facts.sig_num's): "0.002
    # lower ± 0.002" at Config(prevalence=0.5, separation=3.0), boosting (audit pass 64 a)
    least = max(
        (_places(se_num(se, 2)) for _, se in gaps.values() if se > 0 and math.isfinite(se)),
        default=3,
    )
    d = _decimals(
        start=max(3, least),
        most=max(8, least),
        pairs=[(f1[best], f1[n]) for n in named],
        nonzero=[x for pair in gaps.values() for x in pair],
        holds=lambda d: (
            all(
                (gap_at(n, d) <= Decimal(repr(TIE_SE)) * Decimal(gap_se_text(gaps[n][1], d)))
                == bool(ties)
                for n in named
            )
            and _inside([f1[best], *(f1[n] for n in named)], d)
        ),
    )
    return best, ties, f1, gaps, d


def gap_se_text(se: float, d: int, gap: Decimal | None = None, tie: bool | None = None) -> str:
    """A remedy's paired standard error of its F1 gap: at its own 2 significant digits
    (core.facts.se_num) where those need no more than the sentence's ``d`` decimals and leave
    the printed ``gap`` on the side of two SEs the sentence states (``tie``: within), else at
    exactly ``d`` decimals, halves up, zeros kept. An SE is read at its own digits: "0.223 lower
    ± 0.1945" printed the SE 0.19449… one decimal past its gap (prevalence 0.5 %, separation 5,
    4,000 rows, logistic; audit pass 67 a), and "0.0030 lower ± 0.0138" printed 0.0138 at 3
    significant digits because another SE in the sentence needed 4 decimals (prevalence 5 %,
    separation 0, 4,000 rows; audit pass 68 g)."""
    exact = format(_at(se, d), "f")
    own = se_num(se, 2) if se > 0 and math.isfinite(se) else ""
    if gap is None or not own or "," in own or "e" in own or _places(own) > d:
        return exact
    if (gap <= Decimal(repr(TIE_SE)) * Decimal(own)) != tie:
        return exact
    return own


def runners_up(f1: dict, best: str) -> list[str]:
    """The remedies with the highest F1 below the best's place: every one of them, since at
    balanced classes class weights and over-sampling train the same model as no remedy and
    share its F1 exactly (audit pass 58 e: "next: the model with no remedy, 0.494" named one
    of three at Config(prevalence=0.5, n_samples=4000, separation=0.0, seed=0))."""
    others = [n for n in f1 if n != best]
    top = max(f1[n] for n in others)
    return [n for n in others if f1[n] == top]


def remedy_decimals(config, result) -> int:
    """The decimals the remedies sentence prints the chosen model's F1s with (the remedies
    chart's F1 tooltips use them too, so its printed F1s are the sentence's)."""
    return _remedy_numbers(remedy_rows(config, result))[-1]


def flag_all_f1(result) -> float:
    """The test F1 of flagging every test row: recall 1, precision the test prevalence π, so
    2π/(1 + π) = 2P/(2P + N)."""
    positives, n = result.info["test_positives"], result.info["n_test"]
    return 2 * positives / (positives + n)


def flag_all_text(result, best: str, best_f1: float, best_row, d: int) -> str:
    """The remedies sentence's note where the best F1 is no higher than flagging every test
    row's (empty otherwise), its F1 printed at the sentence's decimals ``d``."""
    every = flag_all_f1(result)
    if best_f1 > every:
        return ""
    n = result.info["n_test"]
    flagged = int(best_row["tp"] + best_row["fp"])
    return (
        f" Flagging every test row, which needs no model, gives F1 {fixed(every, d)} (2π/(1 + π) "
        f"for the test split's share of positives π = {pct(result.info['test_positives'] / n)}), "
        f"at least as high: the best F1 here is no better than flagging everyone "
        f"({remedy_subject(best)} flags {flagged:,} of {n:,} test rows)."
    )


def remedy_subject(remedy: str) -> str:
    """A remedy as the subject of a sentence: the plain model is "the model with no remedy", since
    "but no remedy (0.286, 0.114 lower ± 0.141) is within two ... standard errors of it: ties"
    reads as "none is within" (Config(n_samples=4000); audit pass 43)."""
    return "the model with no remedy" if remedy == "no remedy" else remedy


def _remedies(config, result) -> list[Fact]:
    summary = result.summary.set_index(["model", "training"])
    tuned = {t: float(summary.loc[(config.model, t), "tuned_threshold"]) for t in TRAININGS}
    info = result.info
    rows = remedy_rows(config, result)
    best, ties, f1, gaps, d = _remedy_numbers(rows)
    # the weighted and over-sampled models at their own tuned thresholds: computed, and shown
    # here, since the chart draws them at 0.5 only (the sentence named their thresholds
    # "applied to the test split" with no result anywhere on the page; audit pass 56 g)
    table = result.remedies
    tuned_f1 = {
        t: float(
            table.loc[
                (table["model"] == config.model)
                & (table["training"] == t)
                & (table["rule"] == "tuned"),
                "f1",
            ].iloc[0]
        )
        for t in ("weights", "oversampled")
    }
    tuned_texts = tuned_threshold_texts(table, config.model)
    out = [
        _fact(
            "tuned_thresholds",
            f"Thresholds of highest F1 on the validation split ({info['n_val']:,} rows, "
            f"{info['val_positives']:,} positives), then applied to the test split: "
            + ", ".join(f"{tuned_texts[t]} {TRAINING_NAMES[t]}" for t in TRAININGS)
            + ". The chart shows the first as 'moving the threshold' and the other two at 0.5; "
            "at their own thresholds class weights and over-sampling reach test F1 "
            f"{tuned_f1_text(table, config.model, 'weights', d)} and "
            f"{tuned_f1_text(table, config.model, 'oversampled', d)}.",
            slot="remedies",
            tuned=tuned,
            tuned_f1=tuned_f1,
        )
    ]
    gap_at = _gap_at(f1, best)
    # "no remedy reached the best ..." would read as "none of them did": name the plain model
    # (remedy_subject)
    values = {"best": best, "ties": ties, "f1": f1}
    runners = runners_up(f1, best)
    # of the four charted remedies: the weighted and over-sampled models at their own tuned
    # thresholds (tuned_thresholds) can score higher ("Moving the threshold reached the best
    # test F1 …: 0.108" beside class weights' 0.117 at its tuned threshold; audit pass 56 g)
    head = (
        f"Of the four remedies charted, {remedy_subject(best)} reached the best test F1 of "
        f"{name(config)}: {fixed(f1[best], d)}"
    )
    # remedies at the best F1 exactly share it: not one named as reaching it and the others as
    # "the same F1 … within two standard errors of it" (audit pass 60 d: "class weights reached
    # the best test F1 …: 0.6047, but over-sampling (0.6047, the same F1) and moving the
    # threshold (0.6047, the same F1) are within …" of a file whose rows all score 0.42)
    shared = [n for n in ties if f1[n] == f1[best]]
    if shared:
        head = (
            f"Of the four remedies charted, {listing([remedy_subject(n) for n in (best, *shared)])} "
            f"share the best test F1 of {name(config)}, {fixed(f1[best], d)} (the same F1 "
            "exactly)"
        )
    # a best F1 no higher than flagging every test row's, 2π/(1 + π): no remedy "reached" it by
    # ranking (audit pass 62 h: Config(separation=0.0, prevalence=0.5, seed=3), the boosted model
    # at chance, AUC 0.502: "moving the threshold reached the best test F1 …: 0.667, ahead of
    # every other remedy by more than two paired bootstrap standard errors", its tuned threshold
    # flagging 5,989 of 6,000 test rows; flagging all 6,000 gives 0.6667)
    flag_all = flag_all_text(result, best, f1[best], rows[best], d)
    values["flag_all_f1"] = flag_all_f1(result)
    if ties:
        parts = [
            f"{remedy_subject(n)} ({fixed(f1[n], d)}, {gap_at(n, d)} lower ± "
            f"{gap_se_text(gaps[n][1], d, gap_at(n, d), True)})"
            for n in ties
            if n not in shared
        ]
        out.append(
            _fact(
                "remedies_tied",
                (
                    f"{head}, but {listing(parts)} {'is' if len(parts) == 1 else 'are'} within two "
                    "paired bootstrap standard errors of it: on this test set, ties."
                    if parts
                    else f"{head}."
                )
                + flag_all,
                shared=tuple(shared),
                **values,
            )
        )
    else:
        behind = {
            n: f"{gap_at(n, d)} lower ± {gap_se_text(gaps[n][1], d, gap_at(n, d), False)}"
            for n in runners
        }
        if len(runners) == 1:
            (runner,) = runners
            after = f"next: {remedy_subject(runner)}, {fixed(f1[runner], d)}, {behind[runner]}"
        elif len(set(behind.values())) == 1:
            after = (
                f"next, with the same F1 {fixed(f1[runners[0]], d)}: "
                f"{listing([remedy_subject(n) for n in runners])}, each {behind[runners[0]]}"
            )
        else:
            after = f"next, with the same F1 {fixed(f1[runners[0]], d)}: " + listing(
                [f"{remedy_subject(n)} ({behind[n]})" for n in runners]
            )
        out.append(
            _fact(
                "best_remedy",
                f"{head}, ahead of every other remedy by more than two paired bootstrap "
                f"standard errors ({after})." + flag_all,
                runners=runners,
                **values,
            )
        )
    plain, weights = rows["no remedy"], rows["class weights"]
    if info["train_positives"] * 2 == info["n_train"]:
        out.append(
            _fact(
                "balanced_no_remedy",
                "The training split has as many positives as negatives, so balanced class "
                "weights are all 1 and over-sampling adds no row: both train the same model "
                "as no remedy.",
                slot="remedies",
            )
        )
    elif (
        plain["tp"] + plain["fp"] > 0
        and weights["recall"] > plain["recall"]
        and weights["precision"] < plain["precision"]
        and summary.loc[(config.model, "weights"), "mean_p"]
        > summary.loc[(config.model, "plain"), "mean_p"]
    ):
        means = [float(summary.loc[(config.model, t), "mean_p"]) for t in ("plain", "weights")]
        # each pair printed with enough decimals to show the rise or fall it names
        recalls = (float(plain["recall"]), float(weights["recall"]))
        precisions = (float(plain["precision"]), float(weights["precision"]))
        r = _decimals(pairs=[recalls], holds=lambda d: _inside(recalls, d))
        pr = _decimals(pairs=[precisions], holds=lambda d: _inside(precisions, d))
        # and at least the remedies chart's decimals, so the plain model's recall and precision
        # print as its tooltips and the operating point at 0.5 print them (point_places)
        chart = remedy_places(config, result)
        r, pr = max(r, chart["recall"]), max(pr, chart["precision"])
        # and no mean printed 0 (a plain boosted model's 0.00049 is not "0.000"), at the
        # decimals every sentence prints the means with (brier_values too)
        mt = mean_texts(config, result)
        out.append(
            _fact(
                "weights_trade_precision",
                f"At threshold 0.5 class weights trade precision for recall: recall "
                f"{fixed(plain['recall'], r)} → {fixed(weights['recall'], r)}, precision "
                f"{fixed(plain['precision'], pr)} → {fixed(weights['precision'], pr)}. "
                "Up-weighting the "
                f"positives pushes the probabilities up (mean {mt['plain']} → {mt['weights']}), "
                "much as lowering the threshold would.",
                slot="remedies",
                means=means,
            )
        )
    return out


# The most decimals the Brier scores print with to make each printed gap the difference of the
# printed scores; past it the gap prints at its own decimals (_calibration).
BRIER_FOLLOW_MOST = 6


def brier_se_text(gap: float, se: float, b: int) -> str:
    """A Brier gap's paired standard error beside the gap printed at ``b`` decimals: at its own 2
    significant digits (core.facts.se_num) where those need no more than ``b`` decimals and
    leave the printed gap on the side of two SEs the sentence states, else at exactly ``b``
    decimals ("0.228613 ± 0.004120" printed the SE at 4 significant digits at the Brier scores'
    6 decimals, and "0.2096 ± 0.00546" past its gap against a 5 that rounding up made:
    prevalence 0.5 %, separation 0 and 1, 4,000 rows, logistic; audit pass 68 g)."""
    exact = fixed(se, b)
    own = se_num(se, 2) if se > 0 and math.isfinite(se) else ""
    if not own or "," in own or "e" in own or _places(own) > b:
        return exact
    if _side(_rounded(gap, b), float(own)) != _side(gap, se):
        return exact
    return own


def mean_texts(config, result) -> dict[str, str]:
    """Every mean predicted probability (by training) and the test split's observed rate
    (``"rate"``) as every sentence that prints them prints them (brier_values, the remedies'
    "mean 0.0185 → 0.0223", the "inflate"/"not above" sentences, the precision-recall chart's
    chance line): at one count of significant digits with zeros kept (core.facts.alike), so
    each two different ones print apart, none prints 0 or 1, and none reads as less precise than
    the one it is compared with (fixed decimals printed "mean 0.004 → 0.0149" and "0.0149
    against an observed rate of 0.005": prevalence 0.5 %, separation 5, 4,000 rows, logistic;
    audit pass 70 e)."""
    summary = result.summary.set_index(["model", "training"])
    values = [float(summary.loc[(config.model, t), "mean_p"]) for t in TRAININGS]
    values.append(float(result.info["test_prevalence"]))
    return dict(zip((*TRAININGS, "rate"), alike(*values), strict=True))


def mean_decimals(config, result) -> int:
    """Decimals of the observed rate as :func:`mean_texts` prints it (the operating point's
    precision where every row is flagged is that rate)."""
    text = mean_texts(config, result)["rate"]
    return -Decimal(text.replace(",", "")).as_tuple().exponent if "e" not in text else 12


def _calibration(config, result) -> list[Fact]:
    summary = result.summary.set_index(["model", "training"])
    rows = {t: summary.loc[(config.model, t)] for t in TRAININGS}
    rate = result.info["test_prevalence"]
    mt = mean_texts(config, result)
    # decimals of each gap (and its SE) at which "more than" / "within" two SEs holds as printed
    # from the SE's own decimals at 2 significant digits (core.facts.se_num), not past them unless
    # the side of two SEs needs it
    gap_decimals = {}
    for training in ("weights", "oversampled"):
        g, e = float(rows[training]["brier_gap"]), float(rows[training]["brier_gap_se"])
        own = _places(se_num(e, 2)) if e > 0 and math.isfinite(e) else 4
        gap_decimals[training] = _decimals(
            nonzero=(g, e),
            holds=lambda d, g=g, e=e: _side(_rounded(g, d), _rounded(e, d)) == _side(g, e),
            # never fewer than the SE's own 2 significant digits need: "0.0030 ± 0.0007" printed
            # an SE of 0.00074 at one (prevalence 0.5 %, separation 0, 4,000 rows, boosting;
            # audit pass 68 g)
            start=own,
            most=max(12, own),
        )

    def gaps_follow(d: int) -> bool:
        """Whether, with the Brier scores at ``d`` decimals, each printed gap is the difference
        of the printed scores (0.0138 and 0.0084 are not "0.0053" apart)."""
        plain = Decimal(fixed(float(rows["plain"]["brier"]), d))
        out = True
        for t, b in gap_decimals.items():
            g, e, b = float(rows[t]["brier_gap"]), float(rows[t]["brier_gap_se"]), max(d, b)
            out &= agrees(fixed(g, b), Decimal(fixed(float(rows[t]["brier"]), d)) - plain)
            out &= _side(_rounded(g, b), _rounded(e, b)) == _side(g, e)
        return out

    # and no Brier score above 0 printed as 0 (a separable upload's 4e-06 is not "0.00000")
    # Where no decimals up to BRIER_FOLLOW_MOST make the rounded gap the difference of the rounded
    # scores (the two roundings can differ in the last digit at every count: 0.0853 − 0.0048 =
    # 0.0805 against a gap of 0.080465…, which prints "0.08047"), the scores print at the fewest
    # decimals that show them and the gap at its own, as core.facts.with_difference prints a
    # difference; demanding it printed the scores to 12 decimals and the gap "0.082019186188 ±
    # 0.006538618704" (audit pass 67 a: prevalence 0.5 %, separation 3, 4,000 rows, seed 0)
    briers = [float(rows[t]["brier"]) for t in TRAININGS]
    shows = lambda d: all(_at(x, d) > 0 for x in briers if x > 0)  # noqa: E731
    most = max(BRIER_FOLLOW_MOST, *gap_decimals.values())
    follows = next((d for d in range(4, most + 1) if gaps_follow(d) and shows(d)), None)
    bd = follows or next((d for d in range(4, 13) if shows(d)), 12)
    if follows:
        # each gap at its SE's last decimal (core.facts.estimate's rule) where the difference of
        # the printed scores rounds to it, else at the scores' decimals: "0.228613 ± 0.0041"
        # printed the gap two decimals past its error beside scores 0.233555 and 0.004942, whose
        # difference reads 0.2286 as well (prevalence 0.5 %, separation 0, 4,000 rows, logistic;
        # audit pass 69 d)
        plain = Decimal(fixed(float(rows["plain"]["brier"]), bd))
        gap_decimals = {
            t: b
            if agrees(
                fixed(float(rows[t]["brier_gap"]), b),
                Decimal(fixed(float(rows[t]["brier"]), bd)) - plain,
            )
            else max(bd, b)
            for t, b in gap_decimals.items()
        }
    out = [
        _fact(
            "brier_values",
            f"Brier score of {name(config)} (mean squared error of the probability): "
            + ", ".join(
                f"{fixed(rows[t]['brier'], bd)} {TRAINING_NAMES[t]} (mean predicted probability "
                f"{mt[t]})"
                for t in TRAININGS
            )
            + f"; the test split's observed rate of positives is {mt['rate']}.",
            slot="calibration",
            brier={t: float(rows[t]["brier"]) for t in TRAININGS},
        )
    ]
    for training, word, verb, yes, no in (
        ("weights", "Class weights", "inflate", "weights_distort", "weights_no_worse"),
        (
            "oversampled",
            "Over-sampling",
            "inflates",
            "oversampling_distorts",
            "oversampling_no_worse",
        ),
    ):
        r = rows[training]
        gap, se = float(r["brier_gap"]), float(r["brier_gap_se"])
        values = {"gap": gap, "se": se, "mean_p": float(r["mean_p"]), "rate": rate}
        # decimals at which the printed gap and standard error agree with the sentence's
        # "more than" / "within" two standard errors, and the mean above the rate shows
        side = _side(gap, se)
        b = gap_decimals[training]
        if gap > TIE_SE * se and r["mean_p"] > rate:
            out.append(
                _fact(
                    yes,
                    f"{word} {verb} the probabilities: the mean predicted probability is "
                    f"{mt[training]} against an observed rate of {mt['rate']}, and the "
                    "Brier "
                    f"score is {fixed(gap, b)} ± {brier_se_text(gap, se, b)} worse than the plain model's. The model was "
                    "trained as if positives were common; its ranking can be fine while its "
                    "probabilities are not (recalibrate, or use the plain model's).",
                    **values,
                )
            )
        elif gap == 0 and se == 0:
            # every row's squared error equal to the plain model's (a balanced training split,
            # where neither remedy changes the model), not "+0.0000 ± 0.0000"
            out.append(
                _fact(
                    no,
                    f"{word} did not measurably worsen the Brier score here: it left it unchanged "
                    "(every test row's squared error equals the plain model's, gap 0), mean "
                    f"predicted probability {mt[training]} against an observed rate "
                    f"of {mt['rate']}.",
                    **values,
                )
            )
        elif side <= 0:
            within = (
                "within two paired standard errors"
                if gap >= -TIE_SE * se
                else "lower by more than two paired standard errors: a better score"
            )
            out.append(
                _fact(
                    no,
                    f"{word} did not measurably worsen the Brier score here: gap "
                    f"{signed(gap, b)} ± {brier_se_text(gap, se, b)} ({within}), mean predicted "
                    f"probability {mt[training]} against an observed rate of "
                    f"{mt['rate']}.",
                    **values,
                )
            )
        else:
            out.append(
                _fact(
                    no,
                    f"{word} worsened the Brier score ({signed(gap, b)} ± {brier_se_text(gap, se, b)}) but did not "
                    f"inflate the probabilities on average: mean predicted probability "
                    f"{mt[training]}, not above the observed rate of {mt['rate']}.",
                    **values,
                )
            )
    return out
