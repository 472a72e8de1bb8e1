"""What a bias-variance run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from core.experiments.bias_variance.experiment import TEST_POINTS, level_label, one_se_choice
from core.facts import (
    ANSWER,
    ROUND_OFF,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    estimate,
    fixed,
    gap_or_round_off,
    listing,
    minus,
    num,
    padded,
    rounded_up_half,
    se_num,
    significant,
    up,
    with_difference,
)

# A validation error "rises" or "falls" between two levels when the mean difference over the R
# training sets exceeds this many standard errors of that difference (the brief's "by more than
# its SE"); the learning-curve diagnoses and the leak ask for more.
RISE_SE = 1.0
DIAGNOSIS_SE = 2.0
# "High" bias: the excess over the noise floor is at least this share of the MSE of predicting
# the mean (the variance of the labels at the test points).
MATERIAL = 0.1
# Fewer training sets than this leave a standard error over the sets too few degrees of freedom
# to read a count of standard errors at face value: high_bias says so (audit pass 69 d: "585.2
# standard errors" from 2 training sets, an SE with one degree of freedom)
ROUGH_SETS = 5
LEAK_SE = 3.0
CHANCE_SE = 2.0
CONSISTENT_SE = 3.0
NORMAL_TAIL_3 = 0.0013499  # P(Z > 3) for a standard normal Z

CLAIMS = Claims(
    Claim(
        "val_falls_then_rises",
        "The validation error falls, then rises, as complexity grows (the prediction's answer)",
        "the simplest level and some level past the minimum are each more than one SE (of the "
        "paired difference over the training sets) above the minimum",
    ),
    Claim(
        "val_keeps_falling",
        "The validation error falls and no more complex level is clearly worse (the answer)",
        "the simplest level is more than one SE above the minimum; no level past it is",
    ),
    Claim(
        "val_only_rises",
        "The validation error is lowest at (or near) the simplest model and rises (the answer)",
        "the simplest level is within one SE of the minimum; some level past the minimum is more",
    ),
    Claim(
        "val_flat",
        "The validation error barely changes with complexity (the answer)",
        "no level is more than one SE above the minimum in the test above, nor any level "
        "between the simplest and the minimum",
    ),
    Claim(
        "val_rises_then_falls",
        "The validation error rises, then falls back: the ends are within one SE of the lowest, "
        "a level in between is not (the answer)",
        "the simplest level and every level past the minimum are within one SE of it; a level "
        "between the simplest and the minimum is more than one SE above it",
    ),
    Claim(
        "sweep_best",
        "The lowest validation MSE ± its SE, its level, the training MSE there and the noise σ²",
        "always (reports the run; SE = SD over the R training sets / √R)",
    ),
    Claim(
        "overfits_beyond",
        "Past the best level a more complex one's validation error is higher by more than one "
        "SE of the difference (called overfitting only when its training error is lower)",
        "the first level past the minimum whose paired rise > 1 SE",
    ),
    Claim(
        "no_overfit_detected",
        "No level past the best is worse by more than one SE: no overfitting detected",
        "every level past the minimum rises by at most 1 SE; when the minimum is the last level "
        "the sentence says no more complex level was fitted",
    ),
    Claim(
        "train_below_noise",
        "The most complex model's training MSE is below the noise variance σ²: it fits the noise",
        "σ > 0 and its mean training MSE < σ²",
    ),
    Claim(
        "decomposition_exact",
        "With σ = 0 the validation MSE equals bias² + variance exactly",
        "noise == 0 and the largest gap <= 1e-9 x the error",
    ),
    Claim(
        "fresh_noise_consistent",
        "Validation MSE and bias² + variance + σ² agree within 3 standard errors everywhere",
        "noise > 0, every SE above 1e-9 x the error, and every gap <= 3 SE of the measurement",
    ),
    Claim(
        "fresh_noise_off",
        "Validation MSE and bias² + variance + σ² differ by more than 3 SE somewhere",
        "noise > 0, every SE above 1e-9 x the error, and some gap > 3 SE (a rare draw)",
    ),
    Claim(
        "bias_variance_ends",
        "Estimated bias² and variance at the simplest, the best and the most complex level",
        "always (reports the run)",
    ),
    Claim(
        "bias_falls_variance_rises",
        "From the simplest to the most complex level bias² falls and variance rises",
        "bias²(simplest) > bias²(most complex) and variance(most complex) > variance(simplest)",
    ),
    Claim(
        "bias_variance_otherwise",
        "Bias² does not fall or variance does not rise between the ends",
        "the condition of bias_falls_variance_rises fails",
    ),
    Claim(
        "high_bias",
        "A learning curve shows high bias: at the largest size training and validation errors "
        "have nearly met, well above the noise floor",
        "at the largest size: gap < half of (validation − σ²), and validation − σ² > 2 SE and "
        "> 10 % of the MSE of predicting the mean",
    ),
    Claim(
        "high_variance",
        "A learning curve shows high variance: a clear gap at a small size that closes with "
        "more data (called small when that gap is under 10 % of the MSE of predicting the mean)",
        "at some size: gap > 2 SE and > half of (validation − σ²); at the largest size the gap "
        "is under half of it, a drop of more than 2 SE; 'more data helps it' only where the "
        "validation MSE fell from that size to the largest, as the tooltips print both",
    ),
    Claim(
        "no_diagnosis",
        "A learning curve shows neither diagnosis clearly",
        "neither high_bias nor high_variance holds for that level",
    ),
    Claim(
        "cv_one_se",
        "k-fold CV: the best mean ± SE, the levels within one SE, the one-SE choice and its gap "
        "in SEs",
        "always (reports the run; SE = SD of the fold scores / √k)",
    ),
    Claim(
        "one_se_simpler",
        "The one-SE rule picks a simpler model than the lowest mean",
        "one-SE choice < best level",
    ),
    Claim(
        "one_se_same",
        "The one-SE rule keeps the level of the lowest mean",
        "no simpler level is within one SE of the best mean",
    ),
    Claim(
        "cv_truth",
        "The expected test MSE (f known) of the best-mean and the one-SE models, refitted on all rows",
        "synthetic data (f known); always",
    ),
    Claim(
        "cv_holdout",
        "The test-split MSE of the best-mean and the one-SE models, refitted on the CV rows",
        "uploaded data; always",
    ),
    Claim(
        "one_se_better_on_reference",
        "The simpler one-SE model is the better one on the truth (or scores better on the test "
        "split, a noisy measurement: a hint, not proof, of CV's luck; for the MLP, one random "
        "refit of each width: no proof either)",
        "one-SE choice < best level and its reference MSE < the best level's",
    ),
    Claim(
        "one_se_not_better_on_reference",
        "The simpler one-SE model is not better on the truth (or the test split) this time; "
        "where it costs more there than the lowest CV mean's standard error, the sentence says "
        "so and that the rule bounds the cost in CV means only",
        "one-SE choice < best level and its reference MSE >= the best level's",
    ),
    Claim(
        "upload_levels_cut",
        "Degrees with more polynomial columns than the limit are left out on uploaded data",
        "uploaded data and some degree up to max_degree was left out",
    ),
    Claim(
        "nested_vs_plain",
        "Plain CV's best mean ± SE, the nested estimate ± SE and the levels the inner searches chose",
        "always (reports the run)",
    ),
    Claim(
        "plain_below_nested",
        "Plain CV's best score is below (more optimistic than) the nested estimate; the "
        "selection bias is named as the cause only beyond one SE of the nested estimate",
        "plain best mean < nested mean by more than float round-off (cause named when the gap > "
        "the nested SE and the gap does not round to 1.0 SE; 'about one standard error' where it "
        "does)",
    ),
    Claim(
        "plain_not_below_nested",
        "Plain CV's best score is not below the nested estimate on this run",
        "plain best mean >= nested mean, or equal to it up to float round-off",
    ),
    Claim(
        "tuned_truth",
        "The tuned model's expected test MSE (f known), against both estimates",
        "synthetic data; always",
    ),
    Claim(
        "tuned_holdout",
        "The tuned model's test-split MSE, against both estimates",
        "uploaded data; always",
    ),
    Claim(
        "leak_far_above_chance",
        "Selecting features on all rows before CV gives an accuracy far above chance",
        "leaky mean − 50 % > 3 SE by more than float round-off (or every fold above 50 % with "
        "no spread: equal fold scores have SE 0)",
    ),
    Claim(
        "leak_not_far_above",
        "The leaky CV accuracy is not far above chance on this run",
        "leaky mean − 50 % <= 3 SE (up to float round-off)",
    ),
    Claim(
        "honest_at_chance",
        "Selection inside the Pipeline gives a CV accuracy at chance",
        "|honest mean − 50 %| <= 2 SE (up to float round-off)",
    ),
    Claim(
        "honest_off_chance",
        "The honest CV accuracy is more than 2 SE from chance on this run",
        "|honest mean − 50 %| > 2 SE by more than float round-off (a rare draw; equal fold "
        "scores have SE 0)",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _answer(config, result)
    out += _sweep(config, result)
    out += _decomposition(config, result)
    out += _curves(config, result)
    out += _cv(config, result)
    out += _nested(config, result)
    out += _leak(config, result)
    return out


# ---- helpers (the verifiers recompute these from the result, not from these functions) ---------


def name(config, level: int) -> str:
    return level_label(config.model, level)


def paired(table, a: int, b: int, column: str = "val_mse", key: str = "level"):
    """Mean of (column at a) − (column at b) over the training sets, and its standard error."""
    pa = table[table[key] == a].sort_values("set")[column].to_numpy()
    pb = table[table[key] == b].sort_values("set")[column].to_numpy()
    d = pa - pb
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(d.size))


def shape(result) -> dict:
    """The validation curve's shape: the minimum, whether it falls to it and rises after it."""
    sweep, sets = result.sweep, result.sets
    levels = [int(v) for v in sweep["level"]]
    best = int(sweep.loc[sweep["val_mse"].idxmin(), "level"])
    fall, fall_se = paired(sets, levels[0], best)
    rises = []
    for level in levels[levels.index(best) + 1 :]:
        rise, se = paired(sets, level, best)
        if rise > RISE_SE * se:
            rises.append((level, rise, se))
    return {
        "best": best,
        "falls": levels[0] != best and fall > RISE_SE * fall_se,
        "fall": fall,
        "fall_se": fall_se,
        "rises": rises,
    }


def _sweep_row(result, level: int):
    return result.sweep.set_index("level").loc[level]


def _arrow(before: float, after: float, texts: tuple[str, str] | None = None) -> str:
    """'0.563 → 0.0121', printed :func:`alike` (a fall or a rise never prints as 'x → x', and
    both ends at one count of digits: not '0.0572 → 0.004349'), or as ``texts``."""
    a, b = texts or alike(float(before), float(after))
    return f"{minus(a)} → {minus(b)}"


def ends_texts(rows, levels) -> dict:
    """bias_variance_ends' bias² and variance of each of ``levels`` ({level: (bias², variance)}),
    every one at one count of significant digits, zeros kept (:func:`core.facts.alike`): "width
    32: bias² 0.004349, variance 0.00897; width 64: bias² 0.00645" read the 4-digit estimate as
    known more finely (MLP, cubic, σ 1, n 200, 2 sets, seed 3; audit pass 65 h). The arrows of
    bias_falls_variance_rises / bias_variance_otherwise between the ends print these texts."""
    values = [float(rows.loc[lv, c]) for lv in levels for c in ("bias_sq", "variance")]
    texts = alike(*values)
    return {lv: (texts[2 * i], texts[2 * i + 1]) for i, lv in enumerate(levels)}


def _extended(x: float, q: int) -> bool:
    """Whether :func:`_fixed` prints ``x`` with more than ``q`` decimals (decimals adds them
    while a fraction would print as a whole number: 3.997 at 2 decimals is "3.997", not "4.00")."""
    text = fixed(x, q)
    # a 5 that rounding up made counts too: a longer text of x elsewhere would read as another
    # rounding (audit pass 41); _shared then raises every value's decimals alike
    if rounded_up_half(text, x):
        return True
    return q <= 6 and "e" not in text and len(text.partition(".")[2]) > q


def _to_se(text: str, value: float, se_text: str) -> str | None:
    """A mean's ``text`` to its SE's last decimal at least: zeros appended where :func:`num`
    dropped them ("0.0049 ± 0.00043" for 0.0048999 is "0.00490 ± 0.00043": MLP, sine, σ 0, n 200,
    2 sets, 3 folds, seed 605136; audit pass 62 f), None where the text is a rounding to fewer
    decimals than the SE's (it needs more digits, not zeros). Texts in e-notation are left."""
    if "e" in text or "e" in se_text or not Decimal(text).is_finite():
        return text
    need = -Decimal(se_text).as_tuple().exponent
    if -Decimal(text).as_tuple().exponent >= need:
        return text
    widened = decimals(value, need)
    return widened if Decimal(widened) == Decimal(text) else None


def _shared(q: int, *values: float) -> int:
    """``q``, raised while a value would print with more decimals than the others: a gap printed
    at ``q`` decimals is the difference of the printed values only when all share them (3.997
    beside 1.77 is 2.227 apart, not "2.23")."""
    while q < 17 and any(_extended(float(v), q) for v in values):
        q += 1
    return q


def _decimals(*values: float) -> int:
    """Decimals for 3 significant digits of the smallest non-zero of ``values``."""
    smallest = min((abs(v) for v in values if v != 0), default=1.0)
    return min(17, max(0, 2 - math.floor(math.log10(smallest))))


def _rise_text(
    high: float, low: float, rise: float, floor: Decimal | None = None, shown: tuple = ()
) -> tuple[str, str, str]:
    """high, low and rise = high − low with the same decimals, enough for 3 significant digits
    of the smaller of low and rise; the printed rise is the difference of the printed values
    (1.007 and 0.362 printed "1.01" and "0.362" beside a rise of "0.645"); the lowest, low,
    prints below ``floor`` (the lowest of the other levels' validation MSEs as the chart's
    tooltips print them); and with ``shown`` (pairs of texts of high and low, one per chart that
    prints them) the rise is also the difference of each pair to its last digit."""
    q = _shared(_decimals(low, rise), high, low)
    while q < 17:
        high_text, low_text = fixed(high, q), fixed(low, q)
        rise_text = fixed(float(high_text) - float(low_text), q)
        below = floor is None or Decimal(low_text) < floor
        follows = all(agrees(rise_text, Decimal(h) - Decimal(lo)) for h, lo in shown)
        if below and follows:
            break
        q = _shared(q + 1, high, low)
    high_text, low_text = fixed(high, q), fixed(low, q)
    return high_text, low_text, fixed(float(high_text) - float(low_text), q)


def _detour_pick(result, first: int, best: int):
    """(level, rise, se): the level between the simplest and the lowest most standard errors
    (of the paired difference) above the simplest, when one is more than one; else None."""
    levels = [int(v) for v in result.sweep["level"]]
    ups = [(lv, *paired(result.sets, lv, first)) for lv in levels[1 : levels.index(best)]]
    ups = [u for u in ups if u[1] > RISE_SE * u[2]]
    return max(ups, key=lambda u: u[1] / u[2]) if ups else None


def _bump_pick(result, best: int):
    """(level, rise, se): the level between the simplest and the lowest most standard errors
    above the lowest, when one is more than one (the shape test skips these levels); else None."""
    levels = [int(v) for v in result.sweep["level"]]
    between = [(lv, *paired(result.sets, lv, best)) for lv in levels[1 : levels.index(best)]]
    bumps = [b for b in between if b[1] > RISE_SE * b[2]]
    return max(bumps, key=lambda b: b[1] / b[2]) if bumps else None


def sweep_texts(config, result) -> dict:
    """The error-vs-complexity chart's tooltip texts, by split ("train", "val") and level, at
    "digits" significant digits (:func:`sweep_digits`, more where needed), and the numbers the
    sweep sentences print from the same MSEs: "lowest" (sweep_best's lowest validation MSE),
    "rises" ({(level, from level): text}, the answer's rises of one level above another) and
    "rise" (high, low, rise of overfits_beyond and the answer's "worse", or None). Each printed
    rise is the difference of the two tooltips to its last digit ("degree 2 is 0.00856 above
    degree 1" beside tooltips of 0.6554 and 0.6469, 0.0085: cubic, σ 0.7, n 25, degree 8, 2
    sets, seed 362493), and each printed lowest sits below every other level's tooltip ("Lowest
    validation MSE: 0.125" beside tooltips of 0.12467 and 0.12466: cubic, σ 0.35, n 200, degree
    10, 2 sets, seed 225930)."""
    sweep, sigma2 = result.sweep, config.noise**2
    s = shape(result)
    best = s["best"]
    first = int(sweep["level"].iloc[0])
    pairs = []
    pick = _detour_pick(result, first, best) if s["falls"] else _bump_pick(result, best)
    if pick is not None:
        pairs.append((pick[0], first if s["falls"] else best, pick[1]))
    rows = sweep.set_index("level")
    levels = [int(v) for v in sweep["level"]]
    for digits in range(sweep_digits(sweep, sigma2), 18):
        texts = {
            key: {
                int(level): num(float(v), digits)
                for level, v in zip(sweep["level"], sweep[f"{key}_mse"], strict=True)
            }
            for key in ("train", "val")
        }
        val = texts["val"]
        # the decomposition chart's diamonds print the same MSEs, at these digits or more
        diamonds = dict(zip(levels, decomposition_texts(sweep, digits)["val"], strict=True))
        printed = (val, diamonds)
        floor = min((Decimal(p[lv]) for p in printed for lv in levels if lv != best), default=None)
        rises, ok = {}, True
        for high, low, rise in pairs:
            implied = [Decimal(p[high]) - Decimal(p[low]) for p in printed]
            shown = next(
                (
                    num(rise, k)
                    for k in range(3, 18)
                    if all(agrees(num(rise, k), i) for i in implied)
                ),
                None,
            )
            ok = ok and shown is not None
            rises[(high, low)] = shown or num(rise)
        triple = None
        if s["rises"]:
            level, rise, _ = s["rises"][0]
            triple = _rise_text(
                float(rows.loc[level, "val_mse"]),
                float(rows.loc[best, "val_mse"]),
                rise,
                floor,
                [(p[level], p[best]) for p in printed],
            )
            ok = ok and all(
                agrees(triple[2], Decimal(p[level]) - Decimal(p[best])) for p in printed
            )
        if ok:
            break
    lowest = float(rows.loc[best, "val_mse"])
    low_text = next(
        (num(lowest, d) for d in range(3, 18) if floor is None or Decimal(num(lowest, d)) < floor),
        num(lowest, 17),
    )
    # beside its SE the lowest prints to the SE's last decimal at least: "0.1 ± 0.0054" gave a
    # mean to one decimal under an SE of thousandths (bump, σ 0.3, n 200, degree 10, 10 sets, 10
    # folds, seed 894737: 0.1003; audit pass 61 a)
    se_text = se_num(float(rows.loc[best, "val_se"]), 2)
    q = max(-Decimal(low_text).as_tuple().exponent, -Decimal(se_text).as_tuple().exponent)
    while q < 17 and floor is not None and not Decimal(fixed(lowest, q)) < floor:
        q += 1
    if Decimal(fixed(lowest, q)).as_tuple().exponent <= Decimal(low_text).as_tuple().exponent:
        low_text = fixed(lowest, q)
    return {
        **texts,
        "digits": digits,
        "lowest": low_text,
        "lowest_se": se_text,
        "rises": rises,
        "rise": triple,
    }


def _detour(config, result, first: int, best: int, rough: bool = True) -> str:
    """' (though not steadily: degree 2 is x above degree 1, z standard errors ...)' when a level
    between the simplest and the lowest is more than one SE above the simplest (the curve may
    have fallen before that level rose, so not 'rising first'); ``rough`` adds
    :func:`rough_se_text` below ROUGH_SETS training sets (left to a later count in the sentence
    where there is one)."""
    pick = _detour_pick(result, first, best)
    if pick is None:
        return ""
    level, rise, se = pick
    shown = sweep_texts(config, result)["rises"][(level, first)]
    return (
        f" (though not steadily: {name(config, level)} is {shown} above "
        f"{name(config, first)}, {decimals(rise / se, 1)} standard errors of the difference"
        f"{rough_se_text(config.n_sets) if rough else ''})"
    )


def _answer(config, result) -> list[Fact]:
    s = shape(result)
    best = s["best"]
    values = {"best": best, "falls": s["falls"], "rises": [r[0] for r in s["rises"]]}
    first, last = result.sweep["level"].iloc[0], result.sweep["level"].iloc[-1]
    span = f"from {name(config, first)} to {name(config, last)}"
    if s["falls"] and s["rises"]:
        level, rise, se = s["rises"][0]
        train = result.sweep.set_index("level")["train_mse"]
        lower = train[level] < train[best]
        values["train_lower"] = bool(lower)
        detour = _detour(config, result, int(first), best, rough=False)
        # the rise as What to notice prints it, from the two printed means (not 0.0138 here
        # beside "0.1412, 0.0137 above the lowest (0.1275 …)" there)
        rise_text = sweep_texts(config, result)["rise"][2]
        return [
            _fact(
                "val_falls_then_rises",
                f"The validation error falls, then rises ({span}): it is lowest at "
                f"{name(config, best)}{detour}, and {name(config, level)} is {rise_text} worse "
                f"({decimals(rise / se, 1)} standard errors of the difference"
                # an SE from 2 sets has one degree of freedom: "17.4 standard errors" read as
                # overwhelming (sine, σ 0.3, n 30, degree 12, 2 sets, seed 4; audit pass 70 f)
                f"{rough_se_text(config.n_sets) or f' over the {config.n_sets} training sets'})."
                + (
                    f" Its training error is lower than {name(config, best)}'s: the training "
                    "error can't tell you when to stop."
                    if lower
                    else ""
                ),
                slot=ANSWER,
                answer="falls, then rises",
                **values,
            )
        ]
    if s["falls"]:
        rows = result.sweep.set_index("level")
        b0, b1 = rows.loc[first, "bias_sq"], rows.loc[best, "bias_sq"]
        v0, v1 = rows.loc[first, "variance"], rows.loc[best, "variance"]
        if v0 < v1 < v0 + (b0 - b1):
            why = "the added flexibility removed more bias than it added variance"
        else:  # the estimates need not trade off (a wider MLP can be steadier as well), and
            # with noise their sum need not follow the validation error (fresh-label terms)
            why = f"the estimated bias² went {_arrow(b0, b1)} and the variance {_arrow(v0, v1)}"
        detour = _detour(config, result, int(first), best)
        # with a rise on the way, the trade-off holds only between the ends, not at each step
        upto = (
            f"overall, from {name(config, first)} to {name(config, best)},"
            if detour
            else f"up to {name(config, best)}"
        )
        # at the last level there is no more complex model to be "not worse"
        past = (
            ", the most complex level tried"
            if best == last
            else ", and no more complex model is worse by more than one standard error"
        )
        return [
            _fact(
                "val_keeps_falling",
                f"The validation error falls to its lowest at {name(config, best)}{detour}"
                f"{past} ({span}): {upto} {why}"
                + ("." if best == last else ", and past it no level is clearly worse."),
                slot=ANSWER,
                answer="keeps falling",
                **values,
            )
        ]
    if s["rises"]:
        rows, level = result.sweep.set_index("level"), s["rises"][0][0]
        b0, b1 = rows.loc[best, "bias_sq"], rows.loc[level, "bias_sq"]
        v0, v1 = rows.loc[best, "variance"], rows.loc[level, "variance"]
        if v1 - v0 > b0 - b1 > 0:
            why = "here more flexibility adds more variance than it removes bias"
        else:  # the estimates from R fits need not trade off (few sets, much noise), nor
            # their sum follow the validation error
            why = (
                f"from {name(config, best)} to {name(config, level)} the estimated bias² went "
                f"{_arrow(b0, b1)} and the variance {_arrow(v0, v1)}"
            )
        bump = _bump_pick(result, best)  # the test above skips these levels
        # the lowest at the simplest level is not "within one standard error" of itself
        near = (
            "the simplest model"
            if best == first
            else "within one standard error of the simplest model"
        )
        head = (
            f"The validation error is lowest at {name(config, best)}, {near}, and rises past "
            f"it ({span})"
        )
        if bump:  # a clear rise and fall before the lowest: "only rises" holds only overall
            lv, rise, se = bump
            head = (
                f"Only overall does the validation error rise: it is lowest at "
                f"{name(config, best)}, {near}, and rises past it ({span}), but {name(config, lv)}, in between, is {sweep_texts(config, result)['rises'][(lv, best)]} "
                f"above the lowest ({decimals(rise / se, 1)} standard errors of the difference"
                f"{rough_se_text(config.n_sets)})"
            )
        return [
            _fact(
                "val_only_rises",
                f"{head}: {why}.",
                slot=ANSWER,
                answer="only rises",
                **values,
            )
        ]
    levels = [int(v) for v in result.sweep["level"]]
    bump = _bump_pick(result, best)  # the test above skips these levels
    if bump:
        level, rise, se = bump
        within = (
            "the simplest level and every level past the lowest are within one standard error "
            "of the difference of it"
            if best != levels[-1]
            else "the simplest level is within one standard error of the difference of it"
        )
        # not "barely changes, only overall" of a curve whose middle stands 78 standard errors
        # above its lowest (audit pass 59 h: cubic, σ 0.7, n 30, degree 5, 2 sets, seed 25867,
        # degree 2 above degrees 1 and 3): it rose, then fell back
        text = (
            f"The validation error rises, then falls back ({span}): {name(config, level)}, "
            f"in between, is {sweep_texts(config, result)['rises'][(level, best)]} above the "
            f"lowest, {name(config, best)} ({decimals(rise / se, 1)} standard errors of the "
            f"difference{rough_se_text(config.n_sets)}), while {within}."
        )
        return [
            _fact(
                "val_rises_then_falls",
                text,
                slot=ANSWER,
                answer="rises, then falls",
                bump=int(level),
                **values,
            )
        ]
    # with σ = 0 the labels carry no noise to blame: the spread is the training sets' draws of
    # x (audit pass 60 b: sine, σ 0, degree 2, 2 sets of 200, seed 0 said "With this noise")
    why = (
        "With noiseless labels (σ = 0) the spread comes from which x's each training set "
        "drew: with these data the complexities can't be told apart."
        if config.noise == 0
        else "With this noise and data the complexities can't be told apart."
    )
    text = (
        f"The validation error barely changes ({span}): no level is more than one standard "
        f"error of the difference above the lowest. {why}"
    )
    return [
        _fact(
            "val_flat",
            text,
            slot=ANSWER,
            answer="barely changes",
            **values,
        )
    ]


def _sweep(config, result) -> list[Fact]:
    s = shape(result)
    texts = sweep_texts(config, result)  # as the error-vs-complexity chart prints them
    best = _sweep_row(result, s["best"])
    sigma2 = config.noise**2
    # σ² bounds the expected error on fresh data, not a validation MSE measured on R × 200 noisy
    # labels, which can fall below it by chance ("The noise floor is σ² = 1" beside a lowest of
    # 0.962: cubic, σ 1, n 200, degree 15, 2 sets, seed 1; audit pass 45 c)
    floor_note = (
        ": it bounds the expected error on fresh data; the lowest validation MSE, measured on "
        f"{config.n_sets} × {TEST_POINTS} noisy labels, lies below it by chance"
        if best["val_mse"] < sigma2
        else ""
    )
    # the lowest level's training MSE as overfits_beyond prints it beside the next level's
    # (core.facts.alike), so one quantity reads alike in both sentences ("0.0828" here beside
    # "0.07648 against 0.08283" there, the defaults; audit pass 64 b)
    pair = None
    if s["rises"]:
        row = _sweep_row(result, s["rises"][0][0])
        pair = alike(float(row["train_mse"]), float(best["train_mse"]))
    best_train = pair[1] if pair else num(best["train_mse"])
    out = [
        _fact(
            "sweep_best",
            f"Lowest validation MSE: {texts['lowest']} ± {texts['lowest_se']} at "
            f"{name(config, s['best'])} (mean over {config.n_sets} training sets of "
            f"{config.n_train} points ± its standard error{rough_se_text(config.n_sets)}), "
            # the ± from 2 training sets carried no word on its 1 degree of freedom where the
            # SE counts had one (?sets=2&seed=4: "0.1014 ± 0.0012"; audit pass 71 a)
            "where the training MSE is "
            f"{best_train}. The noise floor is σ² = {num(sigma2, 4)}{floor_note}.",
            slot="sweep",
            best=s["best"],
            val=float(best["val_mse"]),
            val_se=float(best["val_se"]),
        )
    ]
    if s["rises"]:
        level, rise, se = s["rises"][0]
        row = _sweep_row(result, level)
        lower = bool(row["train_mse"] < best["train_mse"])
        high_text, low_text, rise_text = texts["rise"]
        rises = (
            f"{name(config, level)}'s validation MSE is {high_text}, {rise_text} above "
            f"the lowest ({low_text}; {decimals(rise / se, 1)} standard errors of the difference"
            # from 2 training sets an SE with one degree of freedom: "17.4 standard errors" read
            # as overwhelming (sine, σ 0.3, n 30, degree 12, 2 sets, seed 4; audit pass 70 f)
            f"{rough_se_text(config.n_sets)})"
        )
        if lower:
            # 3 digits can print both alike (1.04 against 1.04: cubic, sigma 1, n 200, seed 172);
            # both at one precision (core.facts.alike): "0.07648 against 0.0828" at the
            # defaults, "0.2045 against 0.33" (audit pass 64 b)
            low, high = pair
            text = (
                f"Beyond {name(config, s['best'])} the model overfits: {rises}, while its "
                f"training MSE is lower ({low} against {high}): it fits its training sets "
                "better and new data worse."
            )
        else:
            # printed apart: "not lower either (0.0102 against 0.0102): worse on both" gave
            # equal numbers beside "worse" (MLP, bump, sigma 0.1, n 200, seed 6)
            # at one precision: "(1.041 against 1.04)" (MLP, cubic, σ 1, n 200; audit pass 64 b)
            high, low = pair
            same = bool(row["train_mse"] == best["train_mse"])
            worse = (
                "the same training MSE and a worse validation MSE"
                if same
                else "this fit is worse on both"
            )
            text = (
                f"Beyond {name(config, s['best'])} the validation error rises: {rises}. Its "
                f"training MSE is not lower either ({high} against {low}): {worse}, which is "
                "not overfitting in the textbook sense (the training error no longer falls with "
                "flexibility)."
            )
        out.append(_fact("overfits_beyond", text, level=level, rise=rise, se=se, train_lower=lower))
    elif s["best"] == int(result.sweep["level"].iloc[-1]):
        # no level beyond the lowest was fitted: "no level beyond degree 3 has ..." spoke of a
        # test that was never run (preset "Underfitting": degrees 1 to 3, lowest at degree 3)
        out.append(
            _fact(
                "no_overfit_detected",
                f"The lowest validation MSE is at {name(config, s['best'])}, the most complex "
                "level tried: no more complex level was fitted, so these levels cannot show "
                "overfitting, which does not prove there is none.",
                beyond=False,
            )
        )
    else:
        out.append(
            _fact(
                "no_overfit_detected",
                f"No level beyond {name(config, s['best'])} has a validation MSE more than one "
                "standard error (of the difference) above the lowest: no overfitting is "
                "detected within these levels, which does not prove there is none.",
                beyond=True,
            )
        )
    last = result.sweep.iloc[-1]
    if sigma2 > 0 and last["train_mse"] < sigma2:
        # σ² at 4 significant digits at least, as every other sentence and the charts' noise
        # label print it (audit pass 46: σ = 0.35 printed "σ² = 0.122" here beside "σ² = 0.1225"
        # there; 0.35² = 0.1225 exactly, which does not round to 0.122)
        d = apart_digits([float(last["train_mse"]), sigma2], 3)
        train, noise = num(float(last["train_mse"]), d), num(sigma2, max(d, 4))
        out.append(
            _fact(
                "train_below_noise",
                f"At {name(config, int(last['level']))} the training MSE, {train}, "
                # σ² is the expected error on fresh data no model can beat; a measured
                # validation MSE can fall below it by chance (audit pass 45 c)
                f"is below the noise variance σ² = {noise}, the expected error on fresh data "
                "that no model can beat: it has fitted part of the noise.",
                train=float(last["train_mse"]),
            )
        )
    return out


def sweep_digits(sweep, sigma2: float) -> int:
    """Significant digits for the error-vs-complexity chart's MSE tooltips and its σ² label: 4,
    more until every two different values among the training and validation MSEs and σ² print
    apart, so no pair a sentence compares (overfits_beyond's training MSEs and validation rise,
    train_below_noise's training MSE and σ², both printed with apart) prints alike on the chart
    (a training MSE of 0.12245 under σ² = 0.1225 is "0.1225" at 4 digits)."""
    return apart_digits([*sweep["train_mse"], *sweep["val_mse"], sigma2], 4)


def part_digits(values) -> int:
    """Significant digits for one part's tooltips on the decomposition chart (bias² or variance
    across the levels): 4, more until every two different values print apart, so the rise or
    fall bias_falls_variance_rises / bias_variance_otherwise print with apart is never two equal
    tooltips."""
    return apart_digits([float(v) for v in values], 4)


# ---- the decomposition ------------------------------------------------------------------------------


def _fresh_z_text(z: float) -> str:
    """A level's gap between the validation MSE and bias² + variance + σ², in standard errors of
    the measurement, as fresh_noise_consistent / fresh_noise_off print the largest one."""
    return decimals(z, 1) if z <= CONSISTENT_SE else apart(z, CONSISTENT_SE)[0]


def decomposition_texts(sweep, digits: int = 4) -> dict:
    """Each level's validation MSE, bias² + variance + σ² and the measurement's SE as the
    decomposition chart's tooltips print them: digits are added until the gap of the printed
    MSEs, in printed SEs, is the z the sentence prints for that level (the 4-digit tooltips
    "1.413e+05" and "1.414e+05" beside an SE "15.7" are 6.4 SEs apart, while the sentence
    said the largest gap is 2.4 standard errors: sine, σ 0.5, n 10, degree 15, 5 sets, seed
    352575). Levels without a test (an SE of 0, or too small to resolve) keep 4 and 2 digits."""
    val, expected, se = (
        sweep[c].to_numpy(dtype=float) for c in ("val_mse", "expected_mse", "measured_se")
    )
    tested = float(se.min()) > 1e-9 * float(abs(expected).max())
    out = {"val": [], "expected": [], "se": []}
    for v, e, s in zip(val, expected, se, strict=True):
        texts = (num(v, digits), num(e, digits), num(s, 2))
        if tested and s > 0 and math.isfinite(v) and math.isfinite(e):
            z = abs(v - e) / s
            shown = _fresh_z_text(z)
            for d in range(digits, 18):
                texts = (num(v, d), num(e, d), num(s, max(2, d - 2)))
                implied = abs(Decimal(texts[0]) - Decimal(texts[1])) / Decimal(texts[2])
                if (implied <= CONSISTENT_SE) == (z <= CONSISTENT_SE) and agrees(shown, implied):
                    break
        for key, text in zip(("val", "expected", "se"), texts, strict=True):
            out[key].append(text)
    return out


def _decomposition(config, result) -> list[Fact]:
    sweep = result.sweep
    gap = (sweep["val_mse"] - sweep["expected_mse"]).abs()
    out = []
    if config.noise == 0:
        scale = float(sweep["expected_mse"].abs().max())
        if gap.max() <= 1e-9 * max(scale, 1e-300):
            within = "exactly" if gap.max() == 0 else f"to within {up(gap.max())} (rounding)"
            out.append(
                _fact(
                    "decomposition_exact",
                    "With σ = 0 the labels carry no noise: the validation MSE equals bias² + "
                    f"variance {within}, as the identity says.",
                    slot="decomposition",
                    gap=float(gap.max()),
                )
            )
    elif float(sweep["measured_se"].min()) > 1e-9 * float(sweep["expected_mse"].abs().max()):
        # below that the fresh noise moves the error less than rounding can resolve: no test
        z = float((gap / sweep["measured_se"]).max())
        key = "fresh_noise_consistent" if z <= CONSISTENT_SE else "fresh_noise_off"
        chance = len(sweep) * 2 * NORMAL_TAIL_3
        verdict = (
            "consistent with fresh noise of variance σ² independent of the predictions"
            if z <= CONSISTENT_SE
            # a bound, rounded up (4.05 % is not "at most 4 %")
            else f"more than 3, which chance alone does in at most {up(100 * chance, 2)} % of "
            f"runs ({len(sweep)} comparisons × 0.27 %)"
        )
        # above 3, z prints above 3 (3.04 is not "3.0"); the decomposition chart's tooltips
        # print each level's numbers through decomposition_texts, which agree with this z
        shown = _fresh_z_text(z)
        out.append(
            _fact(
                key,
                "bias² + variance is the mean squared distance of the predictions from f by "
                "construction, so only the noise term is tested: the largest gap between the "
                f"validation MSE and bias² + variance + σ² is {shown} standard errors of the "
                f"measurement, {verdict}.",
                slot="decomposition",
                z=z,
            )
        )
    s = shape(result)
    levels = list(
        dict.fromkeys([int(sweep["level"].iloc[0]), s["best"], int(sweep["level"].iloc[-1])])
    )
    rows = sweep.set_index("level")
    told = ends_texts(rows, levels)
    parts = [
        f"{name(config, lv)}: bias² {minus(told[lv][0])}, variance {minus(told[lv][1])}"
        for lv in levels
    ]
    out.append(
        _fact(
            "bias_variance_ends",
            f"Estimated over {config.n_sets} training sets: {'; '.join(parts)}. The bias² "
            "estimate is (mean prediction − f)² minus variance / R, the part that averaging "
            "only R fits leaves in it: unbiased but noisy, it can come out below 0 where the "
            "true bias² is near 0, and is noisiest where the variance is large.",
            slot="decomposition",
            levels=levels,
        )
    )
    first, last = rows.iloc[0], rows.iloc[-1]
    ends = told[int(rows.index[0])], told[int(rows.index[-1])]
    bias_ends, variance_ends = (ends[0][0], ends[1][0]), (ends[0][1], ends[1][1])
    if first["bias_sq"] > last["bias_sq"] and last["variance"] > first["variance"]:
        # the U is this run's only where its answer reads one (preset "Underfitting": "the
        # trade-off a U-shaped validation curve comes from" beside a validation error that keeps
        # falling to the most complex level; audit pass 45 c)
        u_shaped = bool(s["falls"] and s["rises"])
        trade_off = (
            "the trade-off a U-shaped validation curve comes from."
            if u_shaped
            else "the trade-off behind the textbook U-shaped validation curve, though the "
            "validation error here does not clearly fall, then rise (this run's answer)."
        )
        # an estimate below 0 by more than the simplest level's whole bias² is mostly noise:
        # the true bias² is at least 0, so it fell by at most the simplest level's (audit pass
        # 60 b: bump, σ 0.3, n 15, degree 15, 2 sets, seed 601235 printed "falls (0.137 →
        # −276.1)" beside a variance of 1.99e+03)
        capped = bool(last["bias_sq"] < 0 and -last["bias_sq"] > first["bias_sq"])
        bound = (
            f"; below 0 that estimate is mostly noise: the true bias² is at least 0, so it fell "
            f"by at most the simplest level's, estimated at {minus(bias_ends[0])}"
            if capped
            else ""
        )
        out.append(
            _fact(
                "bias_falls_variance_rises",
                f"From {name(config, rows.index[0])} to {name(config, rows.index[-1])} the "
                f"estimated squared bias falls ({_arrow(0, 0, bias_ends)}"
                f"{bound}) and the variance rises "
                f"({_arrow(0, 0, variance_ends)}): {trade_off}",
                u_shaped=u_shaped,
                capped=capped,
            )
        )
    else:
        out.append(
            _fact(
                "bias_variance_otherwise",
                f"Between {name(config, rows.index[0])} and {name(config, rows.index[-1])} the "
                f"squared bias goes {_arrow(0, 0, bias_ends)} and the "
                f"variance {_arrow(0, 0, variance_ends)}: not the "
                "textbook pattern at these settings (both are estimates from "
                f"{config.n_sets} fits).",
            )
        )
    return out


# ---- learning curves ----------------------------------------------------------------------------------


def rough_se_text(n_sets: int) -> str:
    """The note ", though an SE from only 2 training sets, with 1 degree of freedom, is itself
    rough" below ROUGH_SETS training sets (empty otherwise): an SE from R sets has R − 1 degrees of freedom,
    and from 2 a count of "585.2 standard errors" can come from two sets that happen to agree
    (sine, σ 0.3, n 10, degree 2, 2 sets, curves to 50, 3 folds; audit pass 69 d)."""
    if n_sets >= ROUGH_SETS:
        return ""
    free = n_sets - 1
    return (
        f", though an SE from only {n_sets} training sets, with {free} "
        f"degree{'' if free == 1 else 's'} of freedom, is itself rough"
    )


def diagnose(config, result, level: int) -> dict:
    """The learning-curve tests for one level (see the claims' conditions)."""
    sigma2 = config.noise**2
    curves = result.curves.set_index(["level", "size"])
    sets = result.curve_sets
    sizes = [int(s) for s in result.info["sizes"]]
    top = sizes[-1]
    row = curves.loc[(level, top)]
    excess = float(row["val_mse"] - sigma2)
    null = result.info["null_mse"]
    bias = (
        row["gap"] < 0.5 * excess
        and excess > DIAGNOSIS_SE * row["val_se"]
        and excess > MATERIAL * null
    )
    variance = None
    gaps = sets[sets["level"] == level].assign(gap=lambda t: t["val_mse"] - t["train_mse"])
    for size in sizes[:-1]:
        small = curves.loc[(level, size)]
        if not (
            small["gap"] > DIAGNOSIS_SE * small["gap_se"]
            and small["gap"] > 0.5 * (small["val_mse"] - sigma2)
            and row["gap"] < 0.5 * small["gap"]
        ):
            continue
        drop, drop_se = paired(gaps, size, top, column="gap", key="size")
        if drop > DIAGNOSIS_SE * drop_se:
            variance = (size, float(small["gap"]), float(small["gap_se"]))
            break
    return {
        "bias": bool(bias),
        "excess": excess,
        "excess_se": float(row["val_se"]),
        "null": null,
        "variance": variance,
        "top": top,
        "gap_top": float(row["gap"]),
        "gap_top_se": float(row["gap_se"]),
    }


def _gap_text(
    gap: float, val_text: str, train_text: str, se: float | None = None, digits: int = 3
) -> str | None:
    """A learning-curve gap (validation − training MSE) at 3 significant digits or more that is
    the difference of the printed MSEs to its last digit, or None when none is; with its
    standard error ``se``, to the last decimal of the SE as printed (``se_num(se, 2)``) at least:
    not "0.2 ± 0.059" for a gap of 0.2003 (cubic, σ 1, n 30, degree 5, 3 sets, 3 folds, curves
    to 50, seed 184777; audit pass 61 a)."""
    implied = Decimal(val_text) - Decimal(train_text)
    least = None if se is None else -Decimal(se_num(se, 2)).as_tuple().exponent
    if least is not None and least > 0 and digits == 3 and math.isfinite(se) and se > 0:
        # first as core.facts.estimate prints a mean beside its SE, to the SE's last decimal:
        # "0.00465 ± 0.0016 … closes to 0.000459 ± 0.00033" printed each gap past its error
        # (sine, σ 0.05, n 60, degree 15, 3 sets, curves to 200, 3 folds, seed 683244; audit
        # pass 69 d)
        text = estimate(gap, se)[0]
        if agrees(text, implied):
            return text
    for k in range(digits, 18):
        text = num(gap, k) if digits == 3 else padded(num(gap, k), k)
        if least is not None and -Decimal(text).as_tuple().exponent < least:
            text = fixed(gap, least)
        if agrees(text, implied):
            return text
    return None


def _point(
    train: float,
    val: float,
    gap: float,
    holds=lambda text: True,
    se: float | None = None,
    gap_digits: int = 3,
):
    """A learning-curve point's training and validation MSE at 4 significant digits (the chart's
    tooltips) or more, and the gap between them (to its SE's last decimal, given ``se``; at
    ``gap_digits`` significant digits or more, zeros kept past 3), until the printed gap follows
    from them and ``holds``."""
    for digits in range(4, 18):
        train_text, val_text = num(train, digits), num(val, digits)
        gap_text = _gap_text(gap, val_text, train_text, se, gap_digits)
        if gap_text is not None and holds(gap_text):
            break
    else:
        gap_text = num(gap, 17)
    return train_text, val_text, gap_text


def curve_texts(config, result) -> dict:
    """What the learning-curve sentences print, and the chart's tooltips with them: per level,
    "bias" (high_bias: training, validation, excess and σ² texts) and "variance" (high_variance:
    the small size's gap and the largest size's gap); "points", the training and validation MSE
    of every (level, size) a sentence names, as the sentences and the tooltips print them; and
    "null", the MSE of predicting the mean as both sentences print it. Each printed gap is the
    difference of its printed MSEs to its last digit ("the gap closes to 0.0144" beside "have
    nearly met (0.180 and 0.194)", preset "Underfitting"; "0.0895" beside tooltips of 0.6366 and
    0.547), and a gap "under 10 %" of the MSE of predicting the mean prints under a tenth of it
    in both sentences."""
    curves = result.curves.set_index(["level", "size"])
    noise_text = num(config.noise**2, 4)  # σ = 0.35: 0.1225, exact
    bias, variance, points, small_gaps = {}, {}, {}, []
    null = result.info["null_mse"]
    for level in result.info["curve_levels"]:
        d = diagnose(config, result, level)
        top = d["top"]
        row = curves.loc[(level, top)]
        val, train = float(row["val_mse"]), float(row["train_mse"])
        gap_top = None
        if d["bias"]:
            # the excess printed as the difference of the printed validation MSE and σ², with
            # σ²'s decimals at least, so that it is exact (not 0.106 − 0.0025 printed "0.103")
            # (a notebook's tiny σ, 1e-12, would ask for 24 decimals: below 1e-6 σ² changes
            # no printed digit of the difference, which then prints as the validation MSE)
            noise_decimals = -min(0, Decimal(noise_text).as_tuple().exponent)
            q = _decimals(val, d["excess"])
            q = max(q, noise_decimals) if noise_decimals <= 6 else q
            while True:
                q = _shared(q, val, train)
                val_text, train_text = fixed(val, q), fixed(train, q)
                if d["variance"] is not None:  # the same point's gap, in the other sentence
                    gap_top = _gap_text(d["gap_top"], val_text, train_text, d["gap_top_se"])
                if q >= 17 or d["variance"] is None or gap_top is not None:
                    break
                q += 1
            excess_text = fixed(float(val_text) - float(noise_text), q)
            bias[level] = (train_text, val_text, excess_text, noise_text)
            points[(level, top)] = (train_text, val_text)
        if d["variance"] is not None:
            size, gap, gap_se = d["variance"]
            small = gap <= MATERIAL * null
            tenth = Decimal(str(MATERIAL)) * Decimal(repr(float(null)))
            part = curves.loc[(level, size)]
            train_text, val_text, gap_text = _point(
                float(part["train_mse"]),
                float(part["val_mse"]),
                gap,
                lambda text, small=small, tenth=tenth: not small or Decimal(text) < tenth,
                se=gap_se,
            )
            points[(level, size)] = (train_text, val_text)
            if small:
                small_gaps.append(Decimal(gap_text))
            if gap_top is None:
                train_text, val_text, gap_top = _point(train, val, d["gap_top"], se=d["gap_top_se"])
                points[(level, top)] = (train_text, val_text)
            gap_top = gap_top or num(d["gap_top"], 17)
            # each gap to its own SE's last decimal (core.facts.estimate), not padded to the
            # other's count of significant digits: pass 65 h's "2.67 ± 0.88 … closes to
            # 0.3497 ± 0.079" prints each gap as core.facts.estimate would (audit pass 69 d)
            variance[level] = (gap_text, gap_top)
    # beside "under 10 % of" every small gap prints under a tenth of the printed MSE of
    # predicting the mean (a gap of 0.09996 beside 0.9998 would print "0.1" and "1"), which
    # high_bias prints too
    # and beside high_bias's training and validation MSEs, which it is read against, to their
    # decimals at least: "(0.598487 and 0.608114) … predicting the mean scores 0.605" (sine,
    # σ 0.3, seed 4; audit pass 65 h)
    places = max(
        (
            -Decimal(t).as_tuple().exponent
            for texts in bias.values()
            for t in texts[:2]
            if "e" not in t and Decimal(t).is_finite()
        ),
        default=0,
    )
    for digits in range(3, 18):
        null_text = num(null, digits)
        if "e" not in null_text and -Decimal(null_text).as_tuple().exponent < places:
            null_text = fixed(null, places)
        if all(g < Decimal(str(MATERIAL)) * Decimal(null_text) for g in small_gaps):
            break
    return {"bias": bias, "variance": variance, "points": points, "null": null_text}


def _curves(config, result) -> list[Fact]:
    out = []
    texts = curve_texts(config, result)
    null_text = texts["null"]
    for level in result.info["curve_levels"]:
        d = diagnose(config, result, level)
        top = d["top"]
        row = result.curves.set_index(["level", "size"]).loc[(level, top)]
        said = False
        if d["bias"]:
            train_text, val_text, excess_text, noise_text = texts["bias"][level]
            out.append(
                _fact(
                    "high_bias",
                    f"{name(config, level).capitalize()} has high bias: at n = {top} its "
                    f"training and validation MSE have nearly met ({train_text} and "
                    f"{val_text}), {excess_text} above the noise floor σ² = {noise_text} "
                    f"({decimals(d['excess'] / d['excess_se'], 1)} standard errors"
                    f"{rough_se_text(config.n_sets)}; predicting the mean "
                    f"scores {null_text}). More data shrinks only the variance part of that; a "
                    "model closer to f can shrink the bias.",
                    slot="curves",
                    level=level,
                    excess=d["excess"],
                )
            )
            said = True
        if d["variance"] is not None:
            size, gap, gap_se = d["variance"]
            small = gap <= MATERIAL * d["null"]
            gap_text, gap_top_text = texts["variance"][level]
            closes = (
                f"at n = {size} its validation MSE is {gap_text} ± {se_num(gap_se, 2)} above its training "
                f"MSE, and the gap closes to {minus(gap_top_text)} ± {se_num(d['gap_top_se'], 2)} at "
                f"n = {top}"
                # each ± an SE over the R training sets: from 2 it has 1 degree of freedom
                # ("6.6 ± 1.7 … 0.0040 ± 0.0037" at ?sets=2&seed=4 had no word on it where the
                # SE counts beside it had; audit pass 71 a)
                + (
                    f" (each ± a standard error{rough_se_text(config.n_sets)})"
                    if rough_se_text(config.n_sets)
                    else ""
                )
            )
            # "More data helps it" only where its validation MSE fell from that size to the
            # largest, as the curves' tooltips print both: the gap also closes when the training
            # MSE rises to meet a validation MSE that does not fall (audit pass 56 e: the MLP,
            # cubic, σ 0.05, n 60, 2 sets, curves to 50, 3 folds, seed 298172: width 1's
            # validation MSE went 0.07885 → 0.08183 from n = 26 to n = 50)
            val_small = texts["points"][(level, size)][1]
            val_top = texts["points"][(level, top)][1]
            # the two compared at one precision, never fewer digits than the tooltips print:
            # "(1.0925 at n = 10, 1.134 at n = 50)" (MLP, cubic, σ 1, n 200, 2 sets, curves to 50,
            # 4 folds, seed 3; audit pass 64 b)
            val_small, val_top = alike(
                float(result.curves.set_index(["level", "size"]).loc[(level, size), "val_mse"]),
                float(row["val_mse"]),
                digits=max(significant(val_small), significant(val_top)),
            )
            # a level with high bias too: its errors have nearly met at the largest size (the
            # sentence before), so "More data helps it" in the present, standing apart from
            # "has high bias", told the learner more data would help where it no longer does
            # (sine, σ 0.5, n 10, degree 2, 2 sets, curves to 200, seed 442621; audit pass 58 f)
            helps = (
                (
                    f"More data helped it up to n = {top}, where its errors have nearly met "
                    "(above): past that, more data shrinks only the variance part of what is "
                    "left."
                    if d["bias"]
                    else "More data helps it."
                )
                if Decimal(val_top) < Decimal(val_small)
                else f"Yet more data did not lower its validation MSE here ({val_small} at "
                f"n = {size}, {val_top} at n = {top}): the gap closed as its training MSE rose."
            )
            also = " also" if d["bias"] else ""
            if not small:
                text = (
                    f"{name(config, level).capitalize()}{also} has high variance on small sets: "
                    f"{closes}. {helps}"
                )
            else:  # the gap is clear in standard errors but small beside the labels' spread
                text = (
                    f"{name(config, level).capitalize()}{also} shows the variance pattern on small "
                    f"sets, though at a small scale: {closes}. Even at n = {size} that gap is "
                    f"under {num(MATERIAL * 100)} % of the MSE of predicting the mean ({null_text}), "
                    "so its variance is not high in absolute terms."
                )
            out.append(
                _fact(
                    "high_variance",
                    text,
                    slot="curves",
                    level=level,
                    size=size,
                )
            )
            said = True
        if not said:
            out.append(
                _fact(
                    "no_diagnosis",
                    f"{name(config, level).capitalize()}: neither diagnosis is clear (at n = "
                    f"{top}: training MSE {num(row['train_mse'])}, validation "
                    f"{num(row['val_mse'])}, σ² = {num(config.noise**2, 4)}).",
                    slot="curves",
                    level=level,
                )
            )
    return out


# ---- cross-validation ----------------------------------------------------------------------------------


def _cv(config, result) -> list[Fact]:
    cv = result.cv.set_index("level")
    rule = one_se_choice(result.cv)
    best, choice = rule["best"], rule["choice"]
    k = config.folds
    gap = (cv.loc[choice, "mean"] - rule["best_mean"]) / rule["best_se"] if rule["best_se"] else 0.0
    within = [name(config, lv) for lv in rule["within"]]
    mean_text, se_text, trade_text, _ = best_texts(result)[0]
    if rule["best_se"]:
        # two decimals, more while a non-zero trade would print as "0.00" standard errors
        ratio, step = Decimal(trade_text) / Decimal(se_text), Decimal("0.01")
        while ratio and not ratio.quantize(step, ROUND_HALF_UP) and step > Decimal("1e-12"):
            step /= 10
        gap_text = f"{ratio.quantize(step, ROUND_HALF_UP)}"
    else:
        gap_text = decimals(gap, 2)
    out = [
        _fact(
            "cv_one_se",
            f"{k}-fold CV on {result.info['cv_data']} ({result.info['cv_rows']} rows): the lowest "
            f"mean MSE is {mean_text} ± {se_text} at {name(config, best)}. "
            f"Within one standard error of it: {listing(within)}. The one-SE rule picks "
            + (
                f"{name(config, choice)}, {gap_text} standard errors above the best mean."
                if choice != best
                # the best level itself is 0 standard errors from its own mean, not "0.00
                # standard errors above" it (Config(seed=0), audit pass 57 h)
                else f"{name(config, choice)}, the level with the lowest mean itself."
            ),
            slot="cv",
            best=best,
            choice=choice,
            within=rule["within"],
            gap_se=float(gap),
        )
    ]
    if result.info["reference"] == "holdout":
        levels, kept = config.max_degree, result.info["cv_levels"]
        if config.model == "polynomial" and len(kept) < levels:
            out.append(
                _fact(
                    "upload_levels_cut",
                    f"On your {result.info['cv_features']} features, degrees above {kept[-1]} "
                    "have more than 300 polynomial columns and are left out.",
                    slot="cv",
                    top=int(kept[-1]),
                )
            )
    if choice < best:
        out.append(
            _fact(
                "one_se_simpler",
                f"The one-SE rule trades {trade_text} of "
                f"mean CV error, at most one standard error, for the simpler "
                f"{name(config, choice)} (against {name(config, best)}): the difference is "
                "within the noise of the estimate.",
            )
        )
    else:
        out.append(
            _fact(
                "one_se_same",
                f"No simpler level is within one standard error of the best mean, so the "
                f"one-SE rule keeps {name(config, best)}.",
            )
        )
    ref_best, ref_choice = cv.loc[best, "reference_mse"], cv.loc[choice, "reference_mse"]
    values = {"best_ref": float(ref_best), "choice_ref": float(ref_choice)}
    if choice == best:
        pairs = f"{num(ref_best)} for {name(config, best)}"
    else:  # printed apart: two different MSEs never print alike ("1.04 and 1.04")
        best_text, choice_text = apart(float(ref_best), float(ref_choice))
        pairs = f"{best_text} for {name(config, best)} and {choice_text} for {name(config, choice)}"
    on = "the truth" if result.info["reference"] == "truth" else "your test split"
    if choice < best and ref_choice < ref_best:
        if result.info["reference"] == "truth" and config.model == "mlp":
            # exact on the truth, but of one refit each from one random initialization: other
            # seeds can rank the two widths the other way round, so the reversal need not be
            # the folds' luck (audit pass 49 g: MLP, cubic, σ 0, n 30, seed 1, 4 sets, 3 folds)
            text = (
                f"Here the simpler {name(config, choice)} is also the better model on {on} "
                f"({_against(ref_choice, ref_best)}), as refitted once each: an MLP's refit "
                "also depends on its random initialization, so this compares two fits, and "
                "need not mean that the lowest CV mean was lucky on these folds."
            )
        elif result.info["reference"] == "truth":
            # the expected test MSE is exact (quadrature): CV ranked the two the wrong way round
            text = (
                f"Here the simpler {name(config, choice)} is also the better model on {on} "
                f"({_against(ref_choice, ref_best)}): the lowest CV mean had "
                "picked a level partly for its luck on these folds."
            )
        else:
            # a test split is one more noisy measurement: its ranking need not be the true one,
            # so it can't say the CV folds were the lucky ones (audit pass 44)
            text = (
                f"Here the simpler {name(config, choice)} also scores better on {on} "
                f"({_against(ref_choice, ref_best)}, on {result.info['reference_rows']} rows, "
                "itself a noisy measurement): a hint, not proof, that the lowest CV mean "
                "picked a level partly for its luck on these folds."
            )
        out.append(_fact("one_se_better_on_reference", text, **values))
    elif choice < best:
        cost = float(ref_choice - ref_best)
        if rule["best_se"] and cost > rule["best_se"]:
            # "a cost within the noise" beside a true cost far above it (MLP, bump, σ 0, n 30,
            # 2 sets, 3 folds, seed 5: 0.000196 against 1.71e-05 on the truth, 21 CV standard
            # errors of 8.56e-06; audit pass 51 h): the rule bounds the cost in CV means only
            best_ref_text, choice_ref_text, cost_text = with_difference(
                float(ref_best),
                float(ref_choice),
                lambda text: Decimal(text) > Decimal(se_text),
                nonnegative=True,
            )
            text = (
                f"On {on} the simpler {name(config, choice)} is not better this time "
                f"({choice_ref_text} against {best_ref_text}): it costs {cost_text} more, "
                f"above the one standard error of the lowest CV mean ({se_text}) that the rule "
                "allows. The rule keeps the cost within the noise of the CV means, not on new "
                "data: simplicity is not a guaranteed gain."
            )
        else:
            text = (
                f"On {on} the simpler {name(config, choice)} is not better this time "
                f"({_against(ref_choice, ref_best)}): the rule buys simplicity at a "
                "cost within the noise, not a guaranteed gain."
            )
        out.append(_fact("one_se_not_better_on_reference", text, **values))
    if result.info["reference"] == "truth":
        out.append(
            _fact(
                "cv_truth",
                f"Refitted on all {result.info['cv_rows']} rows, the expected test MSE "
                "(f is known: σ² plus the mean squared distance from f over x uniform on "
                f"[−1, 1], integrated by quadrature) is {pairs}.",
                slot="cv",
                **values,
            )
        )
    else:
        out.append(
            _fact(
                "cv_holdout",
                f"Refitted on the CV rows, the MSE on your test split "
                f"({result.info['reference_rows']} rows) is {pairs}.",
                slot="cv",
                **values,
            )
        )
    return out


def one_se_texts(cv, rule: dict, least: int = 0) -> tuple[str, str, str, str | None]:
    """The lowest CV mean, its SE and the one-SE choice's trade (its mean − the lowest) as
    cv_one_se and one_se_simpler print them, and as the CV chart's tooltip of the lowest level
    does; and the choice's mean as the chart's tooltip prints it (None when the choice is the
    lowest), with digits enough that the printed trade is the difference of the two printed
    means ("trades 0.00083" beside tooltips of 0.6633 and 0.6625, 0.0008: bump, σ 0.7, n 100,
    degree 10, 20 sets, 3 folds, seed 617613); ``cv`` is result.cv indexed by level, ``rule``
    :func:`one_se_choice`; ``least``: significant digits the lowest mean prints with at least
    (nested_vs_plain's plain CV best is the same number: :func:`best_texts`)."""
    choice = rule["choice"]
    choice_mean = float(cv.loc[choice, "mean"])

    def choice_text(trade_text: str, mean_text: str, se_text: str) -> str | None:
        if choice == rule["best"]:
            return None
        for digits in range(4, 18):
            text = num(choice_mean, digits)
            within = not rule["best_se"] or Decimal(text) <= Decimal(mean_text) + Decimal(se_text)
            if within and agrees(trade_text, Decimal(text) - Decimal(mean_text)):
                return text
        return ""

    # the gap in SEs is the printed trade (one_se_simpler) over the printed SE, not the unrounded
    # ratio (0.0184 of error beside an SE printed 0.16 is 0.12 SEs, not the 0.11 of SE 0.1634);
    # digits are added while the printed trade would exceed the printed SE
    trade = float(cv.loc[choice, "mean"] - rule["best_mean"])
    # ... and the lowest mean (4 digits at least, as the chart's tooltips print every mean) with
    # its SE get digits until the printed mean + SE sorts every level's mean (printed at 3 and 4
    # digits) as the list does: "1.07 ± 0.043" is a bound of 1.113, which a degree printed
    # 1.111 but left out of the list sits under (sine, σ 1, n 200, degree 10, seed 582597:
    # exactly 1.11124 against 1.11127)
    # (a mean that its own 4-digit print rounds across the bound no digits here can sort: then
    # the first digits that keep the trade within the SE)
    texts = []
    for digits in range(2, 18):
        se_text, trade_text = se_num(rule["best_se"], digits), num(trade, max(3, digits))
        mean_text = num(rule["best_mean"], max(4, digits + 2, least))
        mean_text = _to_se(mean_text, rule["best_mean"], se_text) or decimals(
            rule["best_mean"], -Decimal(se_text).as_tuple().exponent
        )
        if not rule["best_se"] or Decimal(trade_text) <= Decimal(se_text):
            shown = choice_text(trade_text, mean_text, se_text)
            texts.append((se_text, trade_text, mean_text, shown))
            # the first digits whose mean + SE sort the levels: where no digits of the choice's
            # mean give the trade printed at these, both means get digits together below
            # (_joint_trade), not the SE and the lowest mean more digits until one happens to
            # (audit pass 59 h: "0.0104287458684276 ± 0.0003085221643821" for a trade of
            # 2.7e-06 at sine, σ 0.1, n 200, 3 folds, seed 1)
            if _sorts(cv["mean"], rule["within"], Decimal(mean_text) + Decimal(se_text)):
                break
    else:  # (no texts: a trade within the round-off tie band above the SE, printed at 17 digits)
        se_text, trade_text, mean_text, shown = (
            texts[0] if texts else (se_text, trade_text, mean_text, num(choice_mean, 17))
        )
    if shown == "":
        # no digits of the choice's mean give the trade against the lowest as printed: both means
        # (the chart's tooltips) get digits together until some rounding of the trade is the
        # difference of the two printed means ("trades 0.000778" beside tooltips 0.47 and 0.4692
        # read 0.0008: cubic, σ 0.664, n 170, degree 4, 2 sets, 7 folds, seed 318; "trades
        # 0.00429" beside 1.066 and 1.061, no rounding of it 0.005: sine, σ 1, n 151, degree 14,
        # 2 sets, 3 folds, seed 2516), the lowest + SE still sorting the levels as the list does
        mean_text, trade_text, shown = _joint_trade(cv, rule, trade, mean_text, se_text)
    return mean_text, se_text, trade_text, shown


def _joint_trade(cv, rule: dict, trade: float, mean_text: str, se_text: str):
    """(lowest mean, trade, choice's mean) printed so that the trade is a rounding of the exact
    one and the difference of the two printed means (see :func:`one_se_texts`)."""
    choice_mean = float(cv.loc[rule["choice"], "mean"])
    se = Decimal(se_text) if rule["best_se"] else None
    start = len(Decimal(mean_text).as_tuple().digits)
    # the lowest + SE keeps sorting the levels if it did (a level whose own 4-digit tooltip
    # rounds across the bound leaves no digits that sort)
    sorted_ = se is not None and _sorts(cv["mean"], rule["within"], Decimal(mean_text) + se)
    # a trade of two significant digits at least where some digits of the means give one
    # ("2.72e-06", not "3e-06": audit pass 59 h, sine, σ 0.1, n 200, 3 folds, seed 1); the gap
    # in standard errors is the printed trade over the printed SE
    for least in (2, 1):
        for digits in range(4, 18):
            low = mean_text if digits <= start else num(rule["best_mean"], digits)
            if se is not None and _to_se(low, rule["best_mean"], se_text) is None:
                continue
            low = low if se is None else _to_se(low, rule["best_mean"], se_text)
            high = num(choice_mean, digits)
            if sorted_ and not _sorts(cv["mean"], rule["within"], Decimal(low) + se):
                continue
            implied = Decimal(high) - Decimal(low)
            for k in range(digits, least - 1, -1):  # the most digits that agree
                text = num(trade, k)
                if agrees(text, implied) and (se is None or Decimal(text) <= se):
                    return low, text, high
    high = num(choice_mean, 17)
    low = num(rule["best_mean"], 17)
    return low, _exact(Decimal(high) - Decimal(low)), high


def _sorts(means, within: list[int], bound: Decimal) -> bool:
    """Whether every level's mean, printed at 4 significant digits (the CV chart's tooltips, the
    only place that prints the other levels' means), is at most ``bound`` exactly when the level
    is in ``within``. A check at 3 digits too, which nothing prints, left some runs unsortable
    and printed "0.01309 ± 0.0017" (a bound of 0.01479) beside a listed degree 11 whose tooltip
    reads 0.01481 (bump, σ 0.1, n 100, degree 15, 6 folds, seed 656684)."""
    return all(
        (Decimal(num(float(mean), 4)) <= bound) == (int(level) in within)
        for level, mean in means.items()
    )


def _against(low: float, high: float) -> str:
    """'0.319 against 0.390', printed :func:`core.facts.alike` ("better" never beside equal
    numbers, and both at one precision: not '0.319 against 0.39', audit pass 64 b)."""
    a, b = alike(float(low), float(high))
    return f"{a} against {b}"


def _beyond_one(ratio: Decimal) -> Decimal:
    """A ratio above 1 rounded half up to one decimal, more while it would print as 1.0 (1.008
    standard errors is not "1.0" beside a sentence that says "beyond one")."""
    step = Decimal("0.1")
    while ratio.quantize(step, ROUND_HALF_UP) <= 1 and step > Decimal("1e-12"):
        step /= 10
    return ratio.quantize(step, ROUND_HALF_UP)


def nested_summary(result) -> dict:
    """Plain CV's best mean and SE, the nested mean and SE, the levels chosen per outer fold."""
    rule = one_se_choice(result.cv)
    scores = result.nested["mse"].to_numpy()
    return {
        "plain": rule["best_mean"],
        "plain_se": rule["best_se"],
        "plain_level": rule["best"],
        "nested": float(scores.mean()),
        "nested_se": float(scores.std(ddof=1) / math.sqrt(scores.size)),
        "chosen": [int(v) for v in result.nested["level"]],
    }


def _exact(value: Decimal) -> str:
    """An exact Decimal (a difference of two printed numbers) with every digit it has."""
    shown = (num(float(value), k) for k in range(1, 18))
    every_digit = f"{value:f}"  # plain-format: an exact Decimal (printed - printed)
    return next((t for t in shown if Decimal(t) == value), every_digit)


def _side(a, b) -> int:
    return (a > b) - (a < b)


def _plain_and_nested(n: dict, least: int, plain_se: str | None = None) -> dict:
    """:func:`nested_texts` without the reference, its means printed with ``least``
    significant digits or more, and plain CV's SE as ``plain_se`` (2 significant digits without
    it)."""
    # the next sentence says which is lower and by how much: the two means print apart, and
    # the gap is the difference of the printed means
    plain, nested, gap = with_difference(n["plain"], n["nested"], digits=least)
    diff = n["nested"] - n["plain"]
    # equal up to float round-off (every level predicting one constant on a constant input): the
    # two print alike, and the 1e-14 between them is not a gap to read as optimism or noise
    round_off = diff != 0 and abs(diff) <= ROUND_OFF * max(abs(n["plain"]), abs(n["nested"]))
    if round_off:
        _, _, gap = gap_or_round_off(n["plain"], n["nested"])
        plain = nested = num(n["plain"], least)
        diff = 0.0
    # beside "within one standard error" the SE is rounded up (0.01549 would print 0.015 beside
    # a gap of 0.0153)
    within = 0 < diff <= n["nested_se"]
    # the nested SE with as many significant digits as plain CV's (two equal SEs, every inner
    # search choosing plain CV's level, print alike)
    k = 2 if plain_se is None else max(2, len(Decimal(plain_se).as_tuple().digits))
    # (through num, so that a small bound prints like the other numbers: 7.5e-06, not 0.0000075)
    nested_se = (
        padded(num(float(up(n["nested_se"], k)), k + 1), k) if within else se_num(n["nested_se"], k)
    )
    # a gap that rounds to 1.0 standard errors (1.00004 SEs at ?sets=2&seed=4) is about one SE:
    # reading its side of 1 off the printed numbers took an SE at 5 digits, "68.1358 ± 67.866",
    # for a distinction no 5 outer folds can make (audit pass 71 a); the SE prints at 2 digits,
    # and the sentence says "about one standard error"
    near_one = (
        diff > n["nested_se"]
        and (Decimal(repr(diff)) / Decimal(repr(n["nested_se"]))).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        == 1
    )
    if near_one:
        nested_se = se_num(n["nested_se"], k)
    if diff > n["nested_se"] and not near_one:
        # beyond one SE, the printed gap exceeds the printed SE (not "0.00119 below", "1.0
        # standard errors", beside an SE printed 0.0012): digits added to both until it does,
        # and until the printed numbers give as many
        # standard errors (plain_below_nested's ratio of the printed gap to the printed SE) as
        # the unrounded ones read at their digits. The SE takes the fewest digits from k that do
        # both, not the means' digits less one: "0.24013 ± 0.1141" beside plain CV's "± 0.040"
        # (bump, σ 0, 10 points, degree 2, 2 sets, 3 folds; audit pass 66 g)
        exact = Decimal(repr(diff)) / Decimal(repr(n["nested_se"]))
        for d in range(least, 18):
            plain, nested = apart(n["plain"], n["nested"], digits=d)
            implied = Decimal(nested) - Decimal(plain)
            longest = se_num(n["nested_se"], d - 1)
            nested_se = next(
                (
                    t
                    for t in (se_num(n["nested_se"], j) for j in range(k, d - 1))
                    if implied > Decimal(t)
                    and _beyond_one(implied / Decimal(t)) == _beyond_one(exact)
                ),
                # else the means' digits less one, as before, where they put the gap above it
                longest if implied > Decimal(longest) else None,
            )
            if nested_se is not None:
                break
        # the gap printed exactly as the difference of the printed means
        gap = _exact(implied)
    # each mean to its SE's last decimal at least (see :func:`_to_se`); None: more digits
    plain_se_text = se_num(n["plain_se"], 2) if plain_se is None else plain_se
    plain_to, nested_to = (
        _to_se(plain, n["plain"], plain_se_text),
        _to_se(nested, n["nested"], nested_se),
    )
    short = plain_to is None or nested_to is None
    plain, nested = plain_to or plain, nested_to or nested
    return {
        "short": short,
        "summary": n,
        "plain": plain,
        "plain_se": se_num(n["plain_se"], 2) if plain_se is None else plain_se,
        "nested": nested,
        "nested_se": nested_se,
        "gap": gap,
        "diff": diff,
        "round_off": round_off,
        "near_one": near_one,
    }


def _reference_texts(reference: float, pairs) -> tuple[str, tuple[str, ...]] | None:
    """The tuned model's reference MSE (3 significant digits or more) and each estimate's
    distance from it, for ``pairs`` of (estimate, its printed text): the reference prints on
    each printed estimate's side as the estimate is (alike only when equal), and each distance
    is the exact one rounded, and the difference of the printed numbers to its last digit
    (:func:`core.facts.agrees`). None when no digits do (a printed estimate that rounds across
    the reference)."""
    for digits in range(3, 18):
        text = num(reference, digits)
        # two different distances print apart and sorted as they are ("0.123 above it" twice
        # beside plain_below_nested's "5.47e-05 below": cubic, σ 0, n 10, degree 5, 2 sets, 3
        # folds, seed 866249; audit pass 61 a): digits are added to both until they do
        sorted_only = None
        for least in range(3, 18):
            gaps = []
            for value, shown in pairs:
                if value == reference:
                    gaps.append("" if text == shown else None)
                    continue
                if _side(Decimal(text), Decimal(shown)) != _side(reference, value):
                    gaps.append(None)
                    continue
                gaps.append((abs(reference - value), abs(Decimal(text) - Decimal(shown))))
            if None in gaps:
                break
            # the distances, read side by side, at one count of significant digits with zeros
            # kept: "0.008496 above it, the nested estimate 1.016604, 0.0107 above it" (MLP,
            # cubic, σ 1, n 200, 2 sets, curves 50, 4 folds, seed 3; audit pass 65 h)
            gaps = _one_count(gaps, least)
            if gaps is None:
                break
            if _gaps_sorted(reference, pairs, gaps):
                return text, tuple(gaps)
            # (where no digits give the estimates' difference too, apart and sorted will do)
            if sorted_only is None and _gaps_sorted(reference, pairs, gaps, difference=False):
                sorted_only = tuple(gaps)
        if sorted_only is not None:
            return text, sorted_only
    return None


def _one_count(gaps, least: int):
    """Each (exact, implied) distance printed at one count of significant digits (``least`` or
    more, zeros kept), the exact distance rounded and the difference of the printed numbers
    (implied) to its last digit; "" stays ""; None when no count does."""
    for k in range(least, 18):
        texts = [g if g == "" else padded(num(g[0], k), k) for g in gaps]
        if all(
            g == "" or (significant(t) == k and agrees(t, g[1]))
            for g, t in zip(gaps, texts, strict=True)
        ):
            return texts
    # a distance num must print longer (never a 5 that rounding up made) keeps its own digits
    for k in range(least, 18):
        texts = [g if g == "" else padded(num(g[0], k), k) for g in gaps]
        if all(g == "" or agrees(t, g[1]) for g, t in zip(gaps, texts, strict=True)):
            return texts
    return None


def _gaps_sorted(reference: float, pairs, gaps, difference: bool = True) -> bool:
    """Whether the printed distances from the reference sort as the exact ones do (alike only
    where equal), for estimates on one side of it, and differ by the estimates' difference to
    their last digit."""
    distances = [abs(reference - value) for value, _ in pairs]
    for i in range(len(gaps)):
        for j in range(i + 1, len(gaps)):
            same_side = _side(pairs[i][0], reference) == _side(pairs[j][0], reference)
            if not same_side or "" in (gaps[i], gaps[j]):
                continue
            if _side(Decimal(gaps[i]), Decimal(gaps[j])) != _side(distances[i], distances[j]):
                return False
            # and their difference is the estimates' own to the distances' last digit (not
            # 0.12274 − 0.12268 = 0.00006 beside a printed 5.47e-05)
            between = abs(Decimal(repr(pairs[i][0])) - Decimal(repr(pairs[j][0])))
            if difference and not agrees(str(abs(Decimal(gaps[i]) - Decimal(gaps[j]))), between):
                return False
    return True


def best_texts(result) -> tuple[tuple, dict]:
    """:func:`one_se_texts` and :func:`nested_texts` with plain CV's best mean printed alike in
    both: cv_one_se's "the lowest mean MSE is 0.7995 ± 0.33" sat beside nested_vs_plain's "Plain
    CV's best score: 0.79951 ± 0.33", one value at two digits on one page (sine, σ 0, n 10,
    degree 2, 2 sets, 3 folds, leak 20/100/1, seed 0; audit pass 67 e). The lowest mean gets
    the digits the nested sentence needs (its gap and the reference distances) until both agree."""
    cv, rule = result.cv.set_index("level"), one_se_choice(result.cv)
    least = 0
    for _ in range(17):
        shown = one_se_texts(cv, rule, least)
        texts = _nested_texts(result, shown)
        if texts["plain"] == shown[0]:
            break
        least = max(least + 1, len(Decimal(texts["plain"]).as_tuple().digits))
    return shown, texts


def nested_texts(result) -> dict:
    """The texts of :func:`_nested_texts`, plain CV's best printed as cv_one_se prints it
    (:func:`best_texts`)."""
    return best_texts(result)[1]


def _nested_texts(result, shown: tuple) -> dict:
    """Plain CV's best and the nested estimate with their SEs and gap, as nested_vs_plain and
    plain_below_nested print them, and the tuned model's reference MSE with each estimate's
    distance from it, as tuned_truth / tuned_holdout print them: the page's estimates chart
    prints these same texts (its tooltip SE at 2 digits, "0.11", beside a gap of 0.112
    contradicted the sentence's "within one standard error" of its SE rounded up, "0.12": cubic,
    σ 1, n 30, degree 15, 3 folds, seed 805255; and tuned_truth's "plain CV's best is 0.1921,
    0.0724 below it" beside the chart's 0.192 and 0.2645, 0.0725 apart, preset "Overfitting").
    The distances ("reference_gaps", for plain and nested; "" where equal) follow from the
    printed numbers to their last digit."""
    n = nested_summary(result)
    reference = float(result.cv.set_index("level").loc[n["plain_level"], "reference_mse"])
    # plain CV's best mean and SE as cv_one_se prints them (one_se_texts), whose sum sorts the
    # levels as its "within one standard error" list does: at 3 and 2 digits, "0.971 ± 0.18"
    # (a bound of 1.151) sat beside cv_one_se's "0.97106 ± 0.176", which leaves out a degree
    # whose mean the CV chart prints 1.148 (cubic, σ 1, n 50, degree 14, 6 folds, seed 186808)
    mean_text, se_text, _, _ = shown
    start = max(3, len(Decimal(mean_text).as_tuple().digits))
    for least in range(start, 18):
        texts = _plain_and_nested(n, least, se_text)
        if texts["short"] and least < 17:
            continue
        pairs = ((n["plain"], texts["plain"]), (n["nested"], texts["nested"]))
        found = _reference_texts(reference, pairs)
        if found is not None:
            break
    else:  # (unreached: at 17 digits every number prints as it is)
        found = (
            num(reference, 17),
            tuple(num(abs(reference - v), 17) for v in (n["plain"], n["nested"])),
        )
    texts["reference"], texts["reference_gaps"] = found
    return texts


def _nested(config, result) -> list[Fact]:
    t = nested_texts(result)
    n, plain, nested, nested_se = t["summary"], t["plain"], t["nested"], t["nested_se"]
    gap, diff, round_off = t["gap"], t["diff"], t["round_off"]
    chosen = [name(config, lv) for lv in n["chosen"]]
    counts = {c: chosen.count(c) for c in dict.fromkeys(chosen)}
    picks = listing([f"{c} ({k}×)" if k > 1 else c for c, k in counts.items()])
    out = [
        _fact(
            "nested_vs_plain",
            f"Plain CV's best score: {plain} ± {t['plain_se']} ({name(config, n['plain_level'])}). "
            f"Nested CV ({config.folds} outer folds, each tuning the level by its own "
            f"{config.folds}-fold search): {nested} ± {nested_se}. The inner "
            f"searches chose {picks}.",
            slot="nested",
            **n,
        )
    ]
    if diff > 0:
        out.append(
            _fact(
                "plain_below_nested",
                f"Plain CV's best is {gap} below the nested estimate ("
                + (
                    # the reader's rounding of the printed ratio: 2.1 / 2 is 1.1, not 1.0
                    f"{_beyond_one(Decimal(gap) / Decimal(nested_se))}"
                    " standard errors of the nested "
                    "estimate): the "
                    "minimum over several noisy means is biased low, since it picks whichever "
                    "level was lucky on these folds."
                    if diff > n["nested_se"] and not t["near_one"]
                    else "about one standard error of the nested estimate: on one run the "
                    "optimism of a minimum is hard to tell from noise)."
                    if t["near_one"]
                    else "within one standard error of the nested estimate: on one run the "
                    "optimism of a minimum is hard to tell from noise)."
                ),
                diff=diff,
            )
        )
    elif round_off:
        out.append(
            _fact(
                "plain_not_below_nested",
                "On this run plain CV's best and the nested estimate are equal up to float "
                "round-off: nested CV measured no optimism in plain CV's minimum here.",
                diff=diff,
            )
        )
    elif diff == 0 and set(n["chosen"]) == {n["plain_level"]}:
        # not noise: nested CV refitted plain CV's own pick on the same outer folds
        out.append(
            _fact(
                "plain_not_below_nested",
                "On this run plain CV's best is not below the nested estimate (equal to it): "
                f"every inner search chose {name(config, n['plain_level'])}, the level plain CV "
                "picked, so nested CV refitted it on the same outer folds and got the same "
                "scores.",
                diff=diff,
            )
        )
    else:
        out.append(
            _fact(
                "plain_not_below_nested",
                "On this run plain CV's best is not below the nested estimate ("
                + ("equal to it" if diff == 0 else f"{gap.lstrip('-')} above it")
                + "): the optimism of a minimum is an average over data sets, here smaller "
                "than the noise of one run.",
                diff=diff,
            )
        )
    ref = float(result.cv.set_index("level").loc[n["plain_level"], "reference_mse"])
    what = (
        "expected test MSE (f known)"
        if result.info["reference"] == "truth"
        else f"MSE on your test split ({result.info['reference_rows']} rows)"
    )
    key = "tuned_truth" if result.info["reference"] == "truth" else "tuned_holdout"
    # the texts of nested_vs_plain and of the page's estimates chart (nested_texts)
    ref_text = t["reference"]
    plain_off, nested_off = (
        f"{shown}, equal to it"
        if value == ref
        else f"{shown}, {gap} {'below' if value < ref else 'above'} it"
        for value, shown, gap in zip(
            (n["plain"], n["nested"]), (plain, nested), t["reference_gaps"], strict=True
        )
    )
    out.append(
        _fact(
            key,
            f"The tuned model ({name(config, n['plain_level'])} refitted on all the CV rows) has "
            f"an {what} of {ref_text}: plain CV's best is "
            f"{plain_off}, the nested estimate {nested_off}.",
            slot="nested",
            reference=ref,
        )
    )
    return out


# ---- leakage -----------------------------------------------------------------------------------------


def leak_summary(result) -> dict:
    """Mean, SE and fold accuracies of the leaky and the honest pipeline."""
    out = {}
    for pipeline in ("leaky", "honest"):
        scores = result.leak.loc[result.leak["pipeline"] == pipeline, "accuracy"].to_numpy()
        out[pipeline] = float(scores.mean())
        # equal fold scores have SE 0: their float mean (0.4000000000000001 for three 0.4s)
        # would leave a round-off SD of 4e-17 that reads as "2.55e+15 standard errors"
        out[f"{pipeline}_se"] = (
            0.0
            if scores.min() == scores.max()
            else float(scores.std(ddof=1) / math.sqrt(scores.size))
        )
    return out


def _even(
    values: tuple[float, ...],
    places: int,
    *,
    up_at: int | None = None,
    se_places: int | None = None,
) -> tuple[str, ...]:
    """``values`` (a mean, its SE at index 1, and chance) as percentages, all with one number of
    decimals: ``places``, or more where :func:`core.facts.decimals` adds some to one of them
    (0.4697 at 1 decimal is "46.97", not a whole "47.0"), so a mean and its SE print at one
    precision ("46.97 % ± 3.9 %" and "59.00045 % ± 3.9 %" did not; audit pass 58 f). The SE
    stays at ``se_places`` (its 2 significant digits, :func:`_se_places`) where given, as
    :func:`core.facts.estimate` prints an SE beside a mean that has more decimals ("60.0106 % ±
    1.7 %", not "± 1.6687 %": audit pass 64 b). The value at index ``up_at`` (an SE beside
    "within") is rounded up to its decimals instead."""

    def text(i: int, value: float, q: int) -> str:
        if i == 1 and se_places is not None:
            q = se_places
        if i == up_at:
            return str(Decimal(math.ceil(100 * value * 10**q)).scaleb(-q))
        if i == 1 and se_places is not None:  # an SE at its own digits, a rounded-up 5 kept
            exact = Decimal(repr(float(value))) * 100  # (core.facts.se_num: "4.0", not "3.97")
            return str(exact.quantize(Decimal(1).scaleb(-q), ROUND_HALF_UP))
        return decimals(value, q, scale=100)

    q = places
    for _ in range(25):
        texts = tuple(text(i, v, q) for i, v in enumerate(values))
        widest = max(_places_of(t) for i, t in enumerate(texts) if i != 1 or se_places is None)
        if widest == q or q >= 20:
            break
        q = widest
    return tuple(f"{t} %" for t in texts)


def _places_of(text: str) -> int:
    """Decimals a printed number has ("46.97": 2)."""
    return max(0, -Decimal(text).as_tuple().exponent)


def _se_places(se: float) -> int:
    """Decimals of an SE (a share, printed as a percentage) at 2 significant digits, as every
    other SE on the page prints (:func:`core.facts.se_num`): 2.5 % one, 0.83 % two, 12 % none."""
    if not (math.isfinite(se) and se > 0):
        return 1
    text = se_num(100 * se, 2)
    return 1 if "e" in text else _places_of(text)


def _pcts(mean: float, se: float, chance: float, bound: float, *, within: bool):
    """Mean, SE and chance as percentages at one precision (:func:`_even`), starting from the
    SE's 2 significant digits (:func:`_se_places`), with the distance from chance in printed
    SEs. ``within``: decimals are added until the printed distance is within ``bound`` printed
    SEs, the SE rounded up beside "within"; returns (texts, None). Otherwise the distance is the
    one the printed numbers give ("62.5 % ± 4.0 %" is 3.1 SEs above 50.0 %), printed at 2
    significant digits or more until it reads above ``bound``; decimals are added only where the
    printed numbers would not put it above ``bound``; returns (texts, distance text). The
    distance was once decided on the unrounded SE and decimals added until the printed numbers
    gave it: "60.0106 % ± 1.6687 % accuracy, 5.999 standard errors above chance (50.0000 %)"
    (200 rows, 100 features, 10 kept, 3 folds, seed 5684; audit pass 63 c). Where that printed
    distance is not the unrounded one at its digits ("63.0 % ± 1.2 %" gives 10.8, the fold
    scores 10.6), the text is a bound true of both, rounded down: "more than 10"."""
    exact = abs(mean - chance) / se if se > 0 else math.inf
    first = _se_places(se)
    texts = None
    for k in range(first, first + 8):
        shown = _even((mean, se, chance), k, up_at=1 if within else None, se_places=first)
        texts = texts or shown
        m, e, c = (Decimal(t.removesuffix(" %")) for t in shown)
        if within:
            if abs(m - c) <= Decimal(bound) * e:
                return shown, None
            continue
        if e <= 0:
            continue
        implied = abs(m - c) / e
        for d in range(2, 8):
            text = num(float(implied), d)
            if Decimal(text) > Decimal(bound) and agrees(text, implied):
                if agrees(text, Decimal(repr(exact))):
                    return shown, text
                # the printed numbers' distance is not the unrounded one (63.0 % ± 1.2 % gives
                # 10.8, the fold scores 10.6): a bound true of both, rounded down
                return shown, f"more than {max(int(bound), math.ceil(min(exact, implied)) - 1)}"
    # only a tie at a rounding half gets here: the first decimals, the distance unrounded
    return texts, None


def leak_texts(leak, chance: float) -> dict:
    """Each pipeline's mean, SE and chance as the leak sentences print them, with the numbers
    they are decided on: the sentences and the leak chart's tooltips share these texts (a
    tooltip SE of "1.5%" beside a mean of "46.97%" put chance 2.02 SEs away, while the sentence
    said "within 2 standard errors" from its SE rounded up, "1.6 %": 100 rows, 200 features,
    10 kept, 3 folds, seed 630018). ``leak`` is result.leak."""

    class _Run:  # leak_summary reads .leak only
        pass

    run = _Run()
    run.leak = leak
    s = leak_summary(run)
    excess, se = s["leaky"] - chance, s["leaky_se"]
    z = excess / se if se > 0 else (math.inf if excess > 0 else 0.0)
    # with se = 0: every fold scored the same, above chance; a z of 3 up to round-off
    # (3.000000000000004) is not above 3
    far = excess > LEAK_SE * se * (1 + 1e-9)
    if far and se > 0:
        leaky, z_text = _pcts(s["leaky"], se, chance, LEAK_SE, within=False)
        if z_text is None:
            z_text = apart(z, LEAK_SE, digits=2)[0]
    elif se > 0:
        leaky, z_text = _pcts(s["leaky"], se, chance, LEAK_SE, within=True)
    else:
        leaky, z_text = _even((s["leaky"], se, chance), 1), None
    honest_z = (
        abs(s["honest"] - chance) / s["honest_se"]
        if s["honest_se"] > 0
        else (0.0 if s["honest"] == chance else math.inf)
    )
    at = abs(s["honest"] - chance) <= CHANCE_SE * s["honest_se"] * (1 + 1e-9)
    honest_text = None
    if s["honest_se"] > 0:
        honest, honest_text = _pcts(s["honest"], s["honest_se"], chance, CHANCE_SE, within=at)
        honest = honest[:2]
        if not at and honest_text is None:
            honest_text = apart(honest_z, CHANCE_SE, digits=2)[0]
    else:
        honest = _even((s["honest"], s["honest_se"]), 1)
    return {
        "leaky": leaky[:2],
        "honest": honest,
        "chance": leaky[2],
        "z": z,
        "z_text": z_text,
        "far": far,
        "honest_z": honest_z,
        "honest_text": honest_text,
        "at": at,
    }


def _leak(config, result) -> list[Fact]:
    t = leak_texts(result.leak, result.info["chance"])
    z, far, z_text = t["z"], t["far"], t["z_text"]
    honest_z, at, honest_text = t["honest_z"], t["at"], t["honest_text"]
    (mean_text, se_text), chance_text = t["leaky"], t["chance"]
    setup = (
        f"{config.leak_n} rows, {config.leak_features:,} pure-noise features, random labels; "
        f"the {config.leak_k} feature{'s' * (config.leak_k != 1)} most associated with the "
        "labels selected"
    )
    out = []
    if far:
        spread = f"{z_text} standard errors above" if z_text else "every fold above"
        out.append(
            _fact(
                "leak_far_above_chance",
                f"Leaky ({setup} on all rows before CV): {mean_text} ± {se_text} "
                f"accuracy, {spread} chance ({chance_text}). The selection saw the test folds' "
                "labels: features that fit them by luck were kept.",
                slot="leak",
                z=z,
            )
        )
    else:
        out.append(
            _fact(
                "leak_not_far_above",
                f"Leaky ({setup} on all rows before CV): {mean_text} ± {se_text}, not "
                f"more than 3 standard errors above chance ({chance_text}) on this run.",
                slot="leak",
                z=z,
            )
        )
    mean_text, se_text = t["honest"]
    out.append(
        _fact(
            "honest_at_chance" if at else "honest_off_chance",
            f"Honest (the same selection inside a Pipeline, refitted on each training fold): "
            f"{mean_text} ± {se_text}, "
            + (
                "within 2 standard errors of chance: the features carry no signal."
                if at
                else (
                    f"{honest_text} standard errors from chance"
                    if math.isfinite(honest_z)
                    else "every fold at the same accuracy, away from chance"
                )
                + ". On pure noise that happens now and then: the SE from "
                f"{config.folds} fold scores is itself rough."
            ),
            slot="leak",
            z=honest_z,
        )
    )
    return out
