"""What a trees run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from core import ensembles as ens
from core.experiments.trees.experiment import DEPTHS, bv_forest_trees, one_se_choice
from core.facts import (
    ANSWER,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    decimals,
    listing,
    num,
    reads_alike,
    se_num,
    sig_num,
    up,
)

# A model "fits its training rows" when it misclassifies at most this share of them.
FITS_TRAINING = 0.01
# Measured and expected test MSE agree when their gap is within this many standard errors.
CONSISTENT_SE = 3.0
# Stumps "needed more rounds" (each a small step) only where they kept at least this many times
# the grown-out trees' rounds: early stopping's kept round moves by a few with the held-out rows.
CLEARLY_MORE = 2
NORMAL_TAIL_3 = 0.0013499  # P(Z > 3) for a standard normal Z
FOREST, BOOSTING, TREE = "random_forest", "gradient_boosting", "single_tree"
BREAST_CANCER = "breast_cancer"
NAMES = {FOREST: "the forest", BOOSTING: "boosting", TREE: "a single tree"}

CLAIMS = Claims(
    Claim(
        "forest_deeper",
        "By the one-SE rule the forest's trees are deeper than boosting's (the prediction's answer)",
        "one-SE depth of the forest deeper than boosting's; where one test mistake fewer at a "
        "shallower depth of the forest would undo that (and neither model's errors are at "
        "chance), said so in place of the textbook reason; where a model's lowest test error is "
        "not one SE below a constant guess, the model(s) at chance named in its place",
    ),
    Claim(
        "boosting_deeper",
        "By the one-SE rule boosting's trees are deeper than the forest's (the prediction's answer)",
        "one-SE depth of boosting deeper than the forest's",
    ),
    Claim(
        "same_depth",
        "By the one-SE rule both models choose the same depth (the prediction's answer)",
        "equal one-SE depths",
    ),
    Claim(
        "best_depths",
        "Each model's lowest test error ± its standard error, the depths within one SE of it, "
        "and the one-SE choice",
        "always (reports the run; SE = sqrt(e (1 - e) / n_test)); every depth tied at the "
        "lowest error is named; a lowest error of 0 is said to have an SE of 0 that is no "
        "certainty (its one-sided 95 % bound 1 - 0.05^(1/n_test))",
    ),
    Claim(
        "rounds_chosen",
        "The rounds early stopping kept at each depth",
        "always (reports the run)",
    ),
    Claim(
        "shallow_more_rounds",
        "Shallow boosting needed more rounds than grown-out boosting (each stump a small, "
        "one-feature step; not so explained where grown-out boosting kept only its first round "
        "and its test log loss there is above the stumps', nor where stumps kept fewer than "
        "twice its rounds)",
        "depth 1 and grown out both stopped by patience, and depth 1 kept more rounds; the step "
        "named unless grown out kept 1 round at a test log loss above depth 1's at its kept "
        "round, exactly and at the tooltips' 3 significant digits, or depth 1's test error is "
        "not more than one SE below a constant guess's (exactly and as printed: then said so), "
        "or depth 1 kept fewer than twice grown out's rounds (then said so)",
    ),
    Claim(
        "shallow_not_more_rounds",
        "Shallow boosting did not need more rounds than grown-out boosting",
        "depth 1 and grown out both stopped by patience, and depth 1 kept no more rounds; "
        "where depth 1 kept only its first round, said so instead of 'did not need more'; "
        "where depth 1's test error is not more than one SE below a constant guess's, said so; "
        "where depth 1's test error less its SE is above grown out's (exactly and as printed), "
        "said to have stopped short of that fit instead",
    ),
    Claim(
        "rounds_capped",
        "Some depths were cut off by the cap of rounds, their best validation round within the "
        "patience of it: with a higher cap they might keep more",
        "stop == 'cap': max_rounds reached within the patience of the best round",
    ),
    Claim(
        "rounds_exhausted",
        "Some depths stopped growing (no leaf could be split) before the patience ran out",
        "stop == 'exhausted': LightGBM stopped before the cap and before the patience ran out",
    ),
    Claim(
        "deep_after_best",
        "Grown-out boosting's test log loss at its kept round and at the last round grown",
        "grown-out boosting stopped by patience (reports the run)",
    ),
    Claim(
        "deep_overfits_after_best",
        "Past its kept round, grown-out boosting's test log loss rose (visibly at three "
        "decimals): the extra deep trees fitted noise, or the sample's particulars when the "
        "labels have none",
        "stopped by patience and test log loss at the last grown round > at the kept round, "
        "rounded to three decimals and to the tooltips' 3 significant digits",
    ),
    Claim(
        "staged_values",
        "Test measure of boosting and the forest after 1 tree and at the end",
        "always (reports the run)",
    ),
    Claim(
        "no_boundaries",
        "The data have more than two features, so no boundary is drawn",
        "the result has no boundary grid",
    ),
    Claim(
        "grown_out_fits_training",
        "Grown out, both models fit their training rows",
        "train error <= 0.01 for the grown-out forest and boosting",
    ),
    Claim(
        "grown_out_misses_training",
        "Grown out, a model still misclassifies some of its training rows",
        "train error > 0.01 for the grown-out forest or boosting",
    ),
    Claim(
        "fit_times",
        "Fit time of boosting and of a forest tree at depth 1 and grown out",
        "always (measured when this result was computed: on this server, or, for the defaults "
        "and presets, possibly on the machine that filled the precomputed store)",
    ),
    Claim(
        "decomposition_exact",
        "With noiseless labels the measured test MSE equals bias² + variance",
        "bv_noise == 0 and the largest gap <= 1e-9 x the error",
    ),
    Claim(
        "fresh_noise_consistent",
        "The fresh-noise check holds: measured and expected test MSE agree",
        "bv_noise > 0, every SE above 1e-9 x the error, and every gap <= 3 standard errors of the measurement",
    ),
    Claim(
        "fresh_noise_off",
        "The fresh-noise check is off by more than 3 standard errors somewhere",
        "bv_noise > 0, every SE above 1e-9 x the error, and some gap > 3 standard errors (a rare draw)",
    ),
    Claim(
        "set_spread",
        "How much one fitted model's test MSE varies over training sets (SD, and the SE of a bar)",
        "always (reports the run)",
    ),
    Claim(
        "bias_depth_one",
        "Squared bias at depth 1 of boosting, a single stump and a forest of stumps",
        "always (reports the run)",
    ),
    Claim(
        "bias_boosting_below",
        "Adding stumps fitted to the remaining error lowered bias below one stump's and a "
        "forest of stumps'",
        "boosting's bias² at depth 1 < min(single tree's, forest's)",
    ),
    Claim(
        "forest_bias_not_below_tree",
        "Averaging did not lower bias: the forest's bias² is at least a single tree's",
        "forest bias² >= single-tree bias² at depth 1 and grown out",
    ),
    Claim(
        "forest_bias_below_tree",
        "The forest's bias² is below a single tree's at some depth (its average tree differs "
        "from one tree on all the data)",
        "forest bias² < single-tree bias² at depth 1 or grown out",
    ),
    Claim(
        "variances",
        "The variance of a single tree and of the forest grown out, and of boosting by depth",
        "always (reports the run)",
    ),
    Claim(
        "bv_lowest",
        "Lowest estimated expected test MSE per model ± its SE over training sets, and the "
        "one-SE choice",
        "always (reports the run; SE = SD over sets / sqrt(R)); printed as the decomposition's "
        "tooltips print every total, so none prints below the lowest",
    ),
    Claim(
        "cross_check",
        "scikit-learn's HistGradientBoosting with the same rounds, depth, leaves and eta",
        "cross_check is on; a lowest error of 0 is said to have an SE of 0 that is no certainty",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def label(depth: int) -> str:
    return ens.depth_label(depth)


def at(depth: int) -> str:
    """'at depth 3', or 'grown out'."""
    return "grown out" if depth == ens.UNLIMITED else f"at depth {depth}"


def rank(depth: int) -> int:
    return DEPTHS.index(depth)


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _answer(result)
    out += _best_depths(result)
    out += _staged(config, result)
    out += _rounds(config, result)
    out += _boundaries(result)
    out += _fit_times(result)
    out += _decomposition(config, result)
    out += _bias_variance(config, result)
    if config.cross_check:
        out += _cross_check(result)
    return out


def _best(result):
    return result.best.set_index("model")


def _summary(result):
    return result.summary.set_index(["model", "max_depth"])


def _answer(result) -> list[Fact]:
    best = _best(result)
    rf, gb = int(best.loc[FOREST, "max_depth"]), int(best.loc[BOOSTING, "max_depth"])
    values = {"rf_depth": rf, "gb_depth": gb}
    if rank(rf) > rank(gb):
        near = near_chance(result)
        values["near_chance"] = near
        why = (
            "A forest averages randomized trees: that keeps the bias of one such tree and cuts "
            "the variance, so it needs trees with little bias. Boosting lowers bias by adding "
            "trees fitted to the remaining error, so each tree can stay small."
        )
        decider = one_point_decides(result)
        values["one_point"] = decider
        if near:
            info = result.info
            why = (
                "But neither model's lowest test error is more than one standard error below "
                "a constant guess (always the test set's most common class, which misses "
                f"{info['constant_misses']} of the {info['n_test']} test points): on this data "
                "the depths are picked among errors at chance, so this run does not show why. "
                "Where the models learn the boundary the usual reason holds: a forest averages "
                "randomized trees, which keeps the bias of one such tree and cuts the variance, "
                "so it needs trees with little bias; boosting lowers bias by adding trees "
                "fitted to the remaining error, so each tree can stay small."
            )
        chance = models_at_chance(result)
        values["at_chance"] = tuple(chance)
        if len(chance) == 1:
            info = result.info
            name = NAMES[chance[0]]
            why = (
                f"But {name}'s lowest test error is not more than one standard error below a "
                "constant guess (always the test set's most common class, which misses "
                f"{info['constant_misses']} of the {info['n_test']} test points): {name}'s depth "
                "is picked among errors at chance, so this run does not show why. Where both "
                "models learn the boundary the usual reason holds: a forest averages randomized "
                "trees, which keeps the bias of one such tree and cuts the variance, so it needs "
                "trees with little bias; boosting lowers bias by adding trees fitted to the "
                "remaining error, so each tree can stay small."
            )
        if decider is not None and not chance:
            why = (
                f"{one_point_text(result, decider)} Where the gap is wider the usual reason "
                "holds: a forest averages randomized trees, which keeps the bias of one such "
                "tree and cuts the variance, so it needs trees with little bias; boosting lowers "
                "bias by adding trees fitted to the remaining error, so each tree can stay small."
            )
        return [
            _fact(
                "forest_deeper",
                f"By the one-standard-error rule the forest uses the deeper trees: depth "
                f"{label(rf)} against boosting's {label(gb)}. {why}",
                slot=ANSWER,
                answer="random forest",
                **values,
            )
        ]
    if rank(gb) > rank(rf):
        return [
            _fact(
                "boosting_deeper",
                f"On this data boosting's one-standard-error depth is the deeper one: "
                f"{label(gb)} against the forest's {label(rf)}, with boosting's rounds chosen "
                "by early stopping at every depth. Shallower boosting is the usual pattern, "
                "not a law: read the error bars, which show how far apart the depths are.",
                slot=ANSWER,
                answer="gradient boosting",
                **values,
            )
        ]
    return [
        _fact(
            "same_depth",
            f"By the one-standard-error rule both choose depth {label(rf)}: on this data it is "
            "the shallowest depth within one standard error of each model's lowest test error, "
            "wherever those lowest errors sit (read the error bars).",
            slot=ANSWER,
            answer="the same depth",
            **values,
        )
    ]


def one_point_decides(result) -> int | None:
    """The depth, shallower than the forest's one-SE choice, at which one test mistake fewer
    would have given the forest a one-SE depth no deeper than boosting's (the rule recomputed on
    that table, the standard error √(e(1 − e)/n) with it), else None. Spiral, noise 0.3, 300
    points, 50 trees, η = 1, seed 49: the forest's depth 6 missed its one-SE bound by 0.128 of a
    test point, and the answer "depth 8 against boosting's 6" explained it by the textbook
    reason, "so it needs trees with little bias", as if the run showed it (audit pass 63 g)."""
    best = _best(result)
    gb = int(best.loc[BOOSTING, "max_depth"])
    rf = int(best.loc[FOREST, "max_depth"])
    n_test = result.info["n_test"]
    part = result.summary[result.summary["model"] == FOREST]
    for depth in DEPTHS[: rank(rf)]:
        row = part["max_depth"] == depth
        error = float(part.loc[row, "test_error"].iloc[0])
        if error * n_test < 0.5:
            continue
        fewer = error - 1 / n_test
        moved = part.copy()
        moved.loc[row, "test_error"] = fewer
        moved.loc[row, "test_se"] = math.sqrt(max(fewer * (1 - fewer), 0.0) / n_test)
        if rank(int(one_se_choice(moved, "test_error", "test_se")["max_depth"])) <= rank(gb):
            return depth
    return None


def one_point_text(result, depth: int) -> str:
    """The sentence naming :func:`one_point_decides`'s depth."""
    n_test = result.info["n_test"]
    return (
        f"One test point decides it here: with one fewer of its {n_test} test points wrong "
        f"{at(depth)}, the forest's one-SE depth would be no deeper than boosting's (read the "
        "error bars), so this run does not show why."
    )


def stumps_at_chance(result) -> tuple[str, str] | None:
    """(boosting's stumps' test error, its SE) as the best-depths sentence and the error chart
    print them, where that error is not more than one standard error below a constant guess's
    (the test set's most common class), neither as computed nor as printed (as
    :func:`near_chance` reads a model's lowest); else None. Then the rounds the stumps kept
    are a count at chance, not a measure of how many small steps stumps need (xor, noise 1,
    200 points, η = 0.01: 34 kept at a test error of 0.483 ± 0.065 against a guess's 28 of 60,
    "Stumps needed more rounds ...: each adds a small, one-feature step"; audit pass 61 f)."""
    info = result.info
    if "constant_misses" not in info:
        return None
    constant = Decimal(info["constant_misses"]) / Decimal(info["n_test"])
    part = result.summary[result.summary["model"] == BOOSTING]
    row = part.set_index("max_depth").loc[1]
    error, se = float(row["test_error"]), float(row["test_se"])
    error_text, se_text = test_error_texts(part, info["n_test"], result.summary)[2][1]
    if Decimal(repr(error)) + Decimal(repr(se)) < constant:
        return None
    if Decimal(error_text) + Decimal(se_text) < constant:
        return None
    return error_text, se_text


def _at_chance_text(result, kept: int, kept_deep: int, texts: tuple[str, str]) -> str:
    """The rounds sentence where the stumps did no better than a constant guess."""
    info = result.info
    how = (
        "more rounds than"
        if kept > kept_deep
        else "fewer rounds than"
        if kept < kept_deep
        else "as many rounds as"
    )
    return (
        f"Stumps kept {how} grown-out trees ({kept} against {kept_deep}), but their test error "
        f"at the round they keep, {texts[0]} ± {texts[1]}, is not more than one standard error "
        "below a constant guess's (always the test set's most common class, which misses "
        f"{info['constant_misses']} of the {info['n_test']} test points): the stumps did not do "
        "measurably better than the guess here, so the count says nothing about how many small "
        "steps stumps need."
    )


def stumps_behind(result) -> tuple[str, str, str] | None:
    """(the stumps' test error, its SE, grown-out boosting's test error) as the best-depths
    sentence and the error chart print them, where boosting's stumps' test error less its SE is
    above grown-out boosting's, exactly and as printed; else None. Then stumps that kept fewer
    rounds stopped short of the grown-out fit, not because they fit as well sooner (xor, noise 0,
    200 points, η = 1: 0.400 ± 0.063 against 0.000; audit pass 61 f)."""
    part = result.summary[result.summary["model"] == BOOSTING]
    by_depth = part.set_index("max_depth")
    shown = test_error_texts(part, result.info["n_test"], result.summary)[2]
    unl = ens.UNLIMITED
    error, se = float(by_depth.loc[1, "test_error"]), float(by_depth.loc[1, "test_se"])
    deep = float(by_depth.loc[unl, "test_error"])
    (error_text, se_text), (deep_text, _) = shown[1], shown[unl]
    if Decimal(repr(error)) - Decimal(repr(se)) > Decimal(repr(deep)) and Decimal(
        error_text
    ) - Decimal(se_text) > Decimal(deep_text):
        return error_text, se_text, deep_text
    return None


def at_chance(result, model) -> bool:
    """Whether ``model``'s lowest test error is not more than one standard error below the error
    of a constant guess (the test set's most common class), as computed and as the best-depths
    sentence prints the lowest and its SE."""
    info = result.info
    if "constant_misses" not in info:
        return False
    n_test = info["n_test"]
    constant = Decimal(info["constant_misses"]) / Decimal(n_test)
    part = result.summary[result.summary["model"] == model]
    low = int(np.argmin(part["test_error"].to_numpy()))
    error, se = float(part["test_error"].iloc[low]), float(part["test_se"].iloc[low])
    error_text, se_text, _ = test_error_texts(part, n_test, result.summary)
    if Decimal(repr(error)) + Decimal(repr(se)) < constant:
        return False
    return not Decimal(error_text) + Decimal(se_text) < constant


def models_at_chance(result) -> list[str]:
    """The models (forest first) whose lowest test error is at chance (:func:`at_chance`). XOR,
    noise 1, 2,000 points: boosting's lowest 0.4583 ± 0.0203 against a guess's 287 of 600 (its
    one-SE pick a stump kept at 1 round) while the forest's 0.4533 ± 0.0203 is below; the answer
    gave "boosting lowers bias by adding trees fitted to the remaining error, so each tree can
    stay small" as this run's reason (audit pass 71 c)."""
    return [model for model in (FOREST, BOOSTING) if at_chance(result, model)]


def near_chance(result) -> bool:
    """Whether neither model's lowest test error is more than one standard error below the error
    of a constant guess (the test set's most common class), as computed and as the best-depths
    sentence prints the lowest and its SE. Circles, noise 1, 200 points: the forest's lowest
    0.4500 ± 0.0642 and boosting's 0.4667 ± 0.0644 against a guess's 30 of 60; "so it needs
    trees with little bias" explained a one-SE pick among errors at chance (the forest's stumps
    at 0.600; audit pass 58 f)."""
    return len(models_at_chance(result)) == 2


def _places_of(text: str) -> int:
    """Decimals a printed number has ("0.0347": 4)."""
    return -Decimal(text).as_tuple().exponent


def same_places(values, texts) -> tuple[str, ...]:
    """Printed decimals of ``values`` read together (one range, one pair the sentence sets side by
    side), each printed again from its value at the most decimals among ``texts`` (never padded:
    the value rounds there as it does): "forest 0.498, boosting 0.5089" and "from 11.2495 to
    15.66" read one side as less precise than the other (audit pass 65 a). Each still reads as
    its chart's tooltip at fewer decimals (core.facts.reads_alike)."""
    texts = tuple(texts)
    for _ in range(17):
        most = max(_places_of(t) for t in texts)
        again = tuple(decimals(float(v), most) for v in values)
        if all(_places_of(t) == most for t in again):
            return again
        texts = again
    return texts


def within_one_se(result, model: str) -> list[int]:
    """Depths whose test error is at most the lowest plus its standard error."""
    return _within(result.summary, model)


def _within(summary, model: str) -> list[int]:
    part = summary[summary["model"] == model]
    low = part.loc[part["test_error"].idxmin()]
    keep = part["test_error"] <= low["test_error"] + low["test_se"] + 1e-12
    return [int(d) for d in part.loc[keep, "max_depth"]]


def lowest_depths(part) -> list[int]:
    """The depths (shallow to deep) at which one model's test error is its lowest: errors are
    counts of mistakes over the same test points, so equal ones tie exactly (boosting's 24 of
    300 at depths 2, 3, 4 and 6 at the defaults)."""
    ordered = sorted(
        zip(part["max_depth"], part["test_error"], strict=True), key=lambda p: rank(int(p[0]))
    )
    low = min(float(e) for _, e in ordered)
    return [int(d) for d, e in ordered if float(e) <= low + 1e-12]


def at_depths(depths: list[int]) -> str:
    """'at depth 2', or 'at depths 2, 3 and 4, tied'."""
    if len(depths) == 1:
        return f"at depth {label(depths[0])}"
    return f"at depths {listing([label(d) for d in depths])}, tied"


def _test_error_choice(
    part, n_test: int, first: int = 3
) -> tuple[str, str, dict[int, tuple[str, str]], int]:
    """One model's test errors as the best-depths sentence and the error chart print them: the
    lowest error, its SE, and every depth's (error, SE), all with the same number of decimals
    (returned last).

    ``part`` is the model's rows of ``result.summary``. The places are the fewest (at least 3,
    halves up) at which (a) each printed SE is √(e(1 − e)/n) of its printed e, rounded (2/90
    printed "0.022 ± 0.016" would not be: √(0.022 × 0.978/90) = 0.0155), and (b) every depth's
    printed error, and its exact one, is at most the printed lowest + SE exactly when the depth
    is within one SE. With the lowest at 1 error of n the bound (1/n)(1 + √(1 − 1/n)) lies just
    below 2/n: 1/60 and its SE at 3 decimals ("0.017 ± 0.017", a bound of 0.034) would put
    2/60 ("0.033") inside, at 4 ("0.0167 ± 0.0165") 0.0333 lies above 0.0332, and (c) every
    text has just those decimals (core.facts.decimals adds one rather than end in a 5 that rounding
    up made: 0.03496 at 3 is "0.03496", never "0.035"). Should no places up to 16 do all three, the
    first that do (a) and (b), then the first that do (a), are used: then a text may have a decimal
    more than the others (114/387 at 3 is "0.2946" beside "0.245": no places up to 14 print every
    error of that run alike). ``first`` is the fewest places tried (:func:`sentence_places`)."""
    depths = [int(d) for d in part["max_depth"]]
    errors = [float(e) for e in part["test_error"]]
    ses = [float(s) for s in part["test_se"]]
    low = int(np.argmin(errors))
    within = set(_within(part, part["model"].iloc[0]))

    def texts(places: int) -> list[tuple[str, str]]:
        return [
            (decimals(e, places), decimals(s, places)) for e, s in zip(errors, ses, strict=True)
        ]

    def agreeing(shown: list[tuple[str, str]]) -> bool:
        return all(
            agrees(s, Decimal(math.sqrt(float(e) * (1 - float(e)) / n_test))) for e, s in shown
        )

    def sorting(shown: list[tuple[str, str]]) -> bool:
        bound = Decimal(shown[low][0]) + Decimal(shown[low][1])
        return all(
            (value <= bound) == (d in within)
            for d, e, (text, _) in zip(depths, errors, shown, strict=True)
            for value in (Decimal(repr(e)), Decimal(text))
        )

    def even(shown: list[tuple[str, str]], places: int) -> bool:
        return all(_places_of(t) == places for pair in shown for t in pair)

    candidates = {places: texts(places) for places in range(min(first, 16), 17)}
    places = next(
        (
            p
            for p, shown in candidates.items()
            if agreeing(shown) and sorting(shown) and even(shown, p)
        ),
        next(
            (p for p, shown in candidates.items() if agreeing(shown) and sorting(shown)),
            next((p for p, shown in candidates.items() if agreeing(shown)), 16),
        ),
    )
    chosen = candidates[places]
    return chosen[low][0], chosen[low][1], dict(zip(depths, chosen, strict=True)), places


def sentence_places(summary, n_test: int) -> int:
    """The decimals the forest's and boosting's test errors share (the best-depths sentence sets
    their lowest ± SE side by side): the fewest, at least each model's own
    (:func:`_test_error_choice`), at which both models' texts meet its rules. Chosen per model,
    xor, noise 0.35, 1,500 points, 10 trees, η = 0.59, seed 671 printed "the forest 0.224 ±
    0.020; boosting 0.2289 ± 0.0198", one pair at two precisions (audit pass 66 g)."""
    parts = [summary[summary["model"] == m] for m in (FOREST, BOOSTING)]
    parts = [p for p in parts if not p.empty]
    places = 3
    while True:
        found = max((_test_error_choice(p, n_test, places)[3] for p in parts), default=places)
        if found <= places:
            return places
        places = found


def _first_places(part, n_test: int, summary) -> int:
    """Where a model's test error places start: the forest's and boosting's shared ones
    (:func:`sentence_places`) given the run's whole ``summary``, else 3. HistGradientBoosting's
    start there too: the cross-check read its lowest "0.010" beside boosting's "0.0033" and the
    chart's boosting "0.0100" for the same 3 of 300 (xor, noise 0; audit pass 67 g)."""
    if summary is None or part.empty:
        return 3
    if part["model"].iloc[0] not in (FOREST, BOOSTING, "hist_gradient_boosting"):
        return 3
    return sentence_places(summary, n_test)


def test_error_texts(
    part, n_test: int, summary=None
) -> tuple[str, str, dict[int, tuple[str, str]]]:
    """:func:`_test_error_choice` without its places: the lowest error, its SE, and every
    depth's (error, SE) texts. Given the run's whole ``summary``, the forest's and boosting's at
    the places they share (:func:`sentence_places`), as every page text prints them."""
    return _test_error_choice(part, n_test, _first_places(part, n_test, summary))[:3]


def test_error_places(summary, n_test: int) -> dict[str, int]:
    """Per model of ``summary``: the decimals its test errors print with (:func:`test_error_texts`),
    for every chart that prints a test misclassification rate of that model (the staged curves
    and the rounds heat map: at 3 decimals 2/60 printed "0.033", inside the printed lowest + SE
    "0.0167 ± 0.0165" = 0.0332, which the best-depths sentence and the error chart's "0.0333"
    put outside; audit pass 39)."""
    return {
        model: _test_error_choice(part, n_test, _first_places(part, n_test, summary))[3]
        for model, part in summary.groupby("model", sort=False)
    }


def _best_depths(result) -> list[Fact]:
    best = _best(result)
    n_test = result.info["n_test"]
    parts, values = [], {}
    for model in (FOREST, BOOSTING):
        row = best.loc[model]
        within = within_one_se(result, model)
        part = result.summary[result.summary["model"] == model]
        error_text, se_text, _ = test_error_texts(part, n_test, result.summary)
        lowest = lowest_depths(part)
        parts.append(
            f"{NAMES[model]} {error_text} ± {se_text} {at_depths(lowest)} "
            f"(within one SE: depth{'s' * (len(within) > 1)} "
            f"{listing([label(d) for d in within])}; one-SE choice {row['depth']})"
        )
        values[model] = {
            "lowest_depth": int(row["lowest_depth"]),
            "lowest_depths": lowest,
            "lowest_error": float(row["lowest_error"]),
            "lowest_se": float(row["lowest_se"]),
            "choice": int(row["max_depth"]),
            "within": within,
        }
    return [
        _fact(
            "best_depths",
            f"On {result.info['n_train']} training and {n_test} test points, the lowest test "
            f"error ± one standard error (√(e(1 − e)/n), n = {n_test}): {parts[0]}; "
            f"{parts[1]}.{zero_error_note(values, n_test)}",
            slot="depth",
            **values,
        )
    ]


def zero_error_bound(n_test: int) -> str:
    """The one-sided 95 % upper bound on a true error with none of ``n_test`` points wrong,
    1 − 0.05^(1/n), rounded up."""
    return up(1 - 0.05 ** (1 / n_test), 2)


def zero_error_note(values: dict, n_test: int) -> str:
    """What a lowest test error of 0 does to its standard error: √(e(1 − e)/n) is 0 there, which
    is no certainty that the error is 0 (0 of n wrong allows a true error up to 1 − 0.05^(1/n),
    about 3/n, at 95 %), and the one-SE rule then keeps only the depths with no test mistakes.
    "The forest 0.000 ± 0.000 … (within one SE: depths 6, 12 and unlimited)" left depth 8's one
    mistake in 300 outside a standard error of 0 unexplained (xor, noise 0; audit pass 54)."""
    zero = [m for m in (FOREST, BOOSTING) if values[m]["lowest_error"] == 0]
    if not zero:
        return ""
    bound = zero_error_bound(n_test)
    who = listing([NAMES[m] for m in zero])
    return (
        f" At 0 errors √(e(1 − e)/n) gives a standard error of 0 ({who}), which does not mean "
        f"the error is known to be 0: with none of {n_test} test points wrong the true error "
        f"can still be up to about {bound} (the one-sided 95 % bound 1 − 0.05^(1/{n_test}); "
        "the rule of three's 3/n), so there the one-SE rule keeps only the depths without a test "
        "mistake."
    )


def _boosting_row(result, depth):
    return _summary(result).loc[(BOOSTING, depth)]


def _staged_value(result, model, depth, n_trees, metric) -> float:
    staged = result.staged
    part = staged[(staged["model"] == model) & (staged["max_depth"] == depth)]
    return float(part.loc[part["n_trees"] == n_trees, f"test_{metric}"].iloc[0])


def log_loss_text(value: float) -> str:
    """A log loss as the staged chart's and the rounds heat map's tooltips print it: 3
    significant digits, zeros kept (xor, noise 0, 200 points, 25 trees, η = 1: the grown-out
    forest's "2.3 with 1 tree, 0.135 with 25" printed 2.3026 at two digits beside three; audit
    pass 63 g)."""
    return sig_num(value, 3)


# −ln of the floor the log loss clips probabilities to: 34.5
CLIPPED_COST = -math.log(ens.LOG_LOSS_EPS)


def _staged(config, result) -> list[Fact]:
    s, d = config.shallow_depth, config.deep_depth
    gb = _boosting_row(result, s)
    kept, grown = int(gb["n_trees"]), int(gb["rounds_fitted"])
    forest_trees = int(_summary(result).loc[(FOREST, d), "n_trees"])
    values = {
        # + 0.0 turns a log loss of -0.0 (every true class at probability 1) into 0.0
        "gb_first": _staged_value(result, BOOSTING, s, 1, "log_loss") + 0.0,
        "gb_kept": _staged_value(result, BOOSTING, s, kept, "log_loss") + 0.0,
        "rf_first": _staged_value(result, FOREST, d, 1, "log_loss") + 0.0,
        "rf_last": _staged_value(result, FOREST, d, forest_trees, "log_loss") + 0.0,
    }
    n_test = result.info["n_test"]
    # one test point whose class gets probability 0 would make the loss infinite: the clip's
    # cost of 34.5 / n is all that can show it, so name the clip wherever it may be in a value
    clipped = max(values.values()) >= CLIPPED_COST / n_test
    note = (
        f" (Probabilities are clipped to at least {num(ens.LOG_LOSS_EPS)}, as scikit-learn's "
        "log_loss did: a test point whose class gets probability 0 adds "
        f"{decimals(CLIPPED_COST, 1)}/{n_test} to the mean instead of making it infinite.)"
        if clipped
        else ""
    )
    return [
        _fact(
            "staged_values",
            # as the staged chart's tooltips print them (at 3 decimals the defaults printed the
            # grown-out forest's 1-tree loss 4.144653 as "4.145", which reads as 4.15, beside its
            # tooltip's "4.14"; audit pass 41)
            f"Test log loss of boosting {at(s)}: {log_loss_text(values['gb_first'])} after 1 "
            f"round, {log_loss_text(values['gb_kept'])} at the {kept} round"
            f"{'s' * (kept != 1)} it keeps ({grown} grown). "
            f"The forest {at(d)}: {log_loss_text(values['rf_first'])} with 1 tree, "
            f"{log_loss_text(values['rf_last'])} with {forest_trees}.{note}",
            slot="staged",
            kept=kept,
            grown=grown,
            **values,
        )
    ]


def _rounds(config, result) -> list[Fact]:
    gb = result.summary[result.summary["model"] == BOOSTING].set_index("max_depth")
    kept = {int(d): int(n) for d, n in gb["n_trees"].items()}
    info = result.info
    out = [
        _fact(
            "rounds_chosen",
            f"Early stopping ({info['n_fit']} rows fitted, {info['n_validation']} held out, "
            f"patience {info['patience']} rounds at η = {num(config.learning_rate)}) kept "
            + ", ".join(f"{kept[d]} at depth {label(d)}" for d in DEPTHS)
            + ".",
            slot="rounds",
            kept=kept,
        )
    ]
    capped = [int(d) for d in gb.index if gb.loc[d, "stop"] == "cap"]
    exhausted = [int(d) for d in gb.index if gb.loc[d, "stop"] == "exhausted"]
    unl = ens.UNLIMITED
    if capped:
        out.append(
            _fact(
                "rounds_capped",
                f"At depth{'s' * (len(capped) > 1)} {listing([label(d) for d in capped])} the cap of "
                f"{info['max_rounds']} rounds ended training before the patience ran out: the "
                f"validation loss had improved within the last {info['patience']} rounds, so "
                f"with a higher cap {'that model' if len(capped) == 1 else 'those models'} "
                "might keep more.",
                slot="rounds",
                capped=capped,
            )
        )
    if exhausted:
        # "fitted rows no longer give" only where the rows are fitted: an uploaded constant
        # column has no split at all from the first round, its rows far from fitted
        fitted = all(float(gb.loc[d, "train_error"]) <= FITS_TRAINING for d in exhausted)
        sigma = curvature_text(int(info.get("n_classes", 2)))
        why = (
            f"at least 5 rows and a minimum curvature {sigma} per leaf, which fitted rows no "
            "longer give"
            if fitted
            else "a feature that varies within the leaf, and at least 5 rows and a minimum "
            f"curvature {sigma} on each side"
        )
        out.append(
            _fact(
                "rounds_exhausted",
                f"At depth{'s' * (len(exhausted) > 1)} {listing([label(d) for d in exhausted])} LightGBM "
                "stopped growing "
                "trees before the patience ran out (the validation loss had improved within the "
                f"last {info['patience']} rounds): no leaf met the split "
                f"requirements ({why}).",
                slot="rounds",
                exhausted=exhausted,
            )
        )
    by_patience = [int(d) for d in gb.index if gb.loc[d, "stop"] == "patience"]
    if 1 in by_patience and unl in by_patience:
        if kept[1] > kept[unl]:
            # "each adds a small, one-feature step" names why stumps need more rounds than deep
            # trees only where a deep tree did more: grown-out boosting that keeps just its first
            # round and ends worse on test than the stumps stopped because every later deep tree
            # fitted noise (spiral, noise 1, 400 points, η = 0.05: 43 against 1, its test log loss
            # 0.691 against the stumps' 0.675; audit pass 59 g)
            stump_loss = _staged_value(result, BOOSTING, 1, kept[1], "log_loss") + 0.0
            deep_loss = _staged_value(result, BOOSTING, unl, kept[unl], "log_loss") + 0.0
            first_only = (
                kept[unl] == 1
                and deep_loss > stump_loss
                and Decimal(log_loss_text(deep_loss)) > Decimal(log_loss_text(stump_loss))
            )
            chance = None if first_only else stumps_at_chance(result)
            # a few rounds more is not a need for more small steps: the mechanism is named only
            # where stumps kept at least twice the grown-out trees' rounds (moons, noise 0, 200
            # points, η = 1: "14 against 13: each adds a small, one-feature step", where depths
            # 3 and 4 kept 4 and 3; audit pass 62 c)
            close = not first_only and not chance and kept[1] < CLEARLY_MORE * kept[unl]
            if chance:
                text = _at_chance_text(result, kept[1], kept[unl], chance)
            elif close:
                text = (
                    f"Stumps kept more rounds than grown-out trees ({kept[1]} against "
                    f"{kept[unl]}), but not twice as many: a gap this small is not read here as "
                    "stumps needing more small steps (early stopping keeps the round of lowest "
                    "held-out log loss, which a few held-out rows can move)."
                )
            elif first_only:
                text = (
                    f"Stumps kept more rounds than grown-out trees ({kept[1]} against 1), but "
                    f"not because one deep tree did the work of {kept[1]} stumps: grown-out "
                    "boosting's held-out log loss was lowest after its first tree (no later deep "
                    "tree lowered it), and its test log loss there is "
                    f"{log_loss_text(deep_loss)}, against the stumps' "
                    f"{log_loss_text(stump_loss)}."
                )
            else:
                text = (
                    f"Stumps needed more rounds than grown-out trees ({kept[1]} against "
                    f"{kept[unl]}): each adds a small, one-feature step."
                )
            out.append(
                _fact(
                    "shallow_more_rounds",
                    text,
                    slot="rounds",
                    first_only=first_only,
                    at_chance=bool(chance),
                    close=close,
                    stump_loss=stump_loss,
                    deep_loss=deep_loss,
                )
            )
        else:
            # stumps that kept only their first round did not "need" fewer rounds: no later stump
            # lowered the held-out log loss, so the count says nothing of their step size
            # (circles, noise 1, 400 points, η = 0.01: 1 against 1, both test log losses about
            # ln 2 = 0.693; audit pass 60 h)
            first_only = kept[1] == 1
            if first_only:
                both = kept[unl] == 1
                text = (
                    (
                        "Stumps and grown-out trees both kept only their first round"
                        if both
                        else f"Stumps kept only their first round, grown-out trees {kept[unl]}"
                    )
                    + ": no later stump lowered the held-out log loss below its value after the "
                    "first, so the count says nothing here about how many small steps stumps "
                    "need."
                )
            chance = None if first_only else stumps_at_chance(result)
            behind = not first_only and not chance and stumps_behind(result)
            if chance:
                text = _at_chance_text(result, kept[1], kept[unl], chance)
            elif behind:
                # stumps that stopped far from the grown-out fit did not "need" fewer rounds:
                # later stumps stopped lowering the held-out log loss (xor, noise 0, 200 points,
                # η = 1: 3 against 39, the stumps' test error 0.400 against 0.000: a sum of
                # one-feature steps cannot draw xor; audit pass 61 f)
                stump_text, stump_se, deep_text = behind
                text = (
                    "Stumps kept "
                    + ("fewer rounds than" if kept[1] < kept[unl] else "as many rounds as")
                    + f" grown-out trees ({kept[1]} against {kept[unl]}), but not because they "
                    "fit as well sooner: at the rounds kept the stumps' test error is "
                    f"{stump_text} ± {stump_se}, more than one standard error above grown-out "
                    f"boosting's {deep_text}. None of the {result.info['patience']} stumps after "
                    "them lowered the held-out log loss below its value there, so the count says "
                    "nothing here about how many small steps stumps need."
                )
            elif not first_only:
                text = (
                    f"Here stumps did not need more rounds than grown-out trees ({kept[1]} "
                    f"against {kept[unl]})."
                )
            out.append(
                _fact(
                    "shallow_not_more_rounds",
                    text,
                    slot="rounds",
                    first_only=first_only,
                    at_chance=bool(chance),
                    stumps_behind=bool(behind),
                )
            )
    if unl in by_patience:
        row = gb.loc[unl]
        at_kept = _staged_value(result, BOOSTING, unl, int(row["n_trees"]), "log_loss") + 0.0
        at_end = _staged_value(result, BOOSTING, unl, int(row["rounds_fitted"]), "log_loss") + 0.0
        extra = int(row["rounds_fitted"]) - int(row["n_trees"])
        values = {"at_kept": at_kept, "at_end": at_end}
        # one digit count for both, zeros kept: "0.000957 … and 0.0011 after 10 more rounds"
        # printed 0.001100 at two digits beside three (xor, noise 0, 200 points, η = 1; 63 g)
        kept_text, end_text = alike(at_kept, at_end)
        out.append(
            _fact(
                "deep_after_best",
                f"Grown-out boosting's test log loss is {kept_text} at the round it keeps and "
                f"{end_text} after {extra} more rounds.",
                slot="rounds",
                **values,
            )
        )
        # risen at three decimals, and as the staged chart's and the heat map's tooltips print
        # a log loss (3 significant digits: 1.2341 and 1.2349 both "1.23" beside "it rose")
        if round(at_end, 3) > round(at_kept, 3) and Decimal(log_loss_text(at_end)) > Decimal(
            log_loss_text(at_kept)
        ):
            # The lesson's own 2-D sets say whether their labels are noisy; an uploaded file (or
            # the breast cancer set) does not: a noise-free 2-D set uploaded as a file (xor,
            # noise 0, η = 1) rises here too, with no label noise to fit.
            own = result.info["dataset"] == config.dataset != BREAST_CANCER
            if own and config.noise == 0:
                what = (
                    "the labels carry no noise here (noise 0), so the extra deep trees fitted "
                    "particulars of the training sample rather than the boundary"
                )
            elif own:
                what = "the extra deep trees fitted noise rather than the boundary"
            else:
                what = (
                    "the extra deep trees fitted label noise or particulars of the training "
                    "sample rather than the boundary"
                )
            out.append(
                _fact(
                    "deep_overfits_after_best",
                    f"It rose past the round early stopping kept (chosen on the held-out rows): "
                    f"{what}.",
                    slot="rounds",
                    **values,
                )
            )
    return out


def curvature_text(n_classes: int) -> str:
    """The curvature LightGBM sums in a leaf: Σp(1 − p) for two classes; with k > 2 classes each
    class's tree sums k/(k − 1)·p_c(1 − p_c) (LightGBM's multi-class factor; the model answer
    says so too). A 3-class upload that stops for want of splits was told "Σp(1 − p)" (scikit-
    learn's wine data at η = 1; audit pass 45)."""
    if n_classes <= 2:
        return "Σp(1 − p)"
    return f"Σ {n_classes}/{n_classes - 1}·p_c(1 − p_c), LightGBM's {n_classes}-class curvature,"


def trees_per_round(n_classes: int) -> int:
    """Trees LightGBM grows each round: one per class with k > 2 classes, else one."""
    return n_classes if n_classes > 2 else 1


def _two(*values: float) -> tuple[str, ...]:
    """``values`` with 2 decimals, or as :func:`apart` prints them when 2 decimals would print
    two different ones alike (beside "below", "at least" or "from ... to")."""
    shown = tuple(decimals(v, 2) for v in values)
    if len(set(shown)) == len(set(values)):
        return shown
    return apart(*values)


TIMING_DIGITS = 2


def _two_digits(value: float) -> Decimal:
    """``value`` to :data:`TIMING_DIGITS` significant digits, halves up."""
    d = Decimal(repr(float(value)))
    step = Decimal(1).scaleb(d.adjusted() - TIMING_DIGITS + 1)
    return d.quantize(step, rounding=ROUND_HALF_UP)


def timing(seconds: float) -> str:
    """A measured time as the page prints every one, the sentence's and the fit-time chart's:
    "about", 2 significant digits, in ms below a second (the unit chosen on the rounded value:
    999.7 ms is "about 1 s"). A wall-clock time moves by tens of percent between two runs of one
    setting (Config(n_samples=200, bv_train_sets=3, bv_train_size=100): boosting grown out took
    39.8, 17.8 and 25.4 ms), so more digits are noise: audit pass 56 h saw tooltips print
    "0.0157949" s and "10.048" ms (core.facts.num never prints a fraction as a whole number)."""
    ms = _two_digits(1000 * seconds)
    if ms < 1000:
        return f"about {format(ms.normalize(), 'f')} ms"
    return f"about {format(_two_digits(seconds).normalize(), 'f')} s"


def _boundaries(result) -> list[Fact]:
    if result.boundaries.empty:
        if result.info["dataset"] == BREAST_CANCER:
            note = (
                "The breast cancer set has 30 features, so its boundaries can't be drawn in 2-D; "
                "pick a 2-D set in the sidebar to see them."
            )
        else:
            note = result.info.get("boundaries_note") or "These data are not 2-D."
        return [
            _fact(
                "no_boundaries",
                f"{note} No boundary is drawn; the errors above use every feature.",
                slot="boundaries",
            )
        ]
    s = _summary(result)
    unl = ens.UNLIMITED
    rf, gb = s.loc[(FOREST, unl)], s.loc[(BOOSTING, unl)]
    values = {"rf_train": float(rf["train_error"]), "gb_train": float(gb["train_error"])}
    # as the error chart and the boundary panels' titles print them
    n_test = result.info["n_test"]
    stump = {
        m: test_error_texts(result.summary[result.summary["model"] == m], n_test, result.summary)[
            2
        ][1][0]
        for m in (FOREST, BOOSTING)
    }
    rf_stump, gb_stump = same_places(
        [s.loc[(m, 1), "test_error"] for m in (FOREST, BOOSTING)], (stump[FOREST], stump[BOOSTING])
    )
    stumps = f"At depth 1 the test errors are: forest {rf_stump}, boosting {gb_stump}. "
    if max(values.values()) <= FITS_TRAINING:
        return [
            _fact(
                "grown_out_fits_training",
                f"{stumps}Grown out, both fit their training rows (at most 1 % wrong; train "
                "error: forest "
                f"{decimals(values['rf_train'], 3)}, boosting {decimals(values['gb_train'], 3)}) "
                "and their boundaries can wrap around small groups of points.",
                slot="boundaries",
                **values,
            )
        ]
    return [
        _fact(
            "grown_out_misses_training",
            # shares of counts with halves up (23 of 368 is "6.3%", not float's "6.2%")
            f"{stumps}Grown out, the forest misclassifies {decimals(values['rf_train'], 1, 100)} % "
            f"of its training rows and boosting {decimals(values['gb_train'], 1, 100)} % of its "
            "own after the "
            f"{int(gb['n_trees'])} round{'s' * (int(gb['n_trees']) != 1)} it keeps"
            # why boosting misses rows, where it misses any
            + (
                "."
                if values["gb_train"] == 0
                # an upload whose features are all constant: no tree splits at all, and leaf
                # size is not why the rows are missed
                else " (each of its trees is a single leaf: no split met the requirements)."
                if float(gb["mean_leaves"]) == 1
                else f" ({grown_on_text(result, int(gb['n_trees']))})."
            ),
            slot="boundaries",
            **values,
        )
    ]


def grown_on(result, keep: int):
    """The first staged round after the ``keep`` grown-out boosting keeps with the lowest training
    error of the rounds it grew past it, and that error; None when none of them is lower."""
    staged = result.staged
    rows = staged[
        (staged["model"] == BOOSTING)
        & (staged["max_depth"] == ens.UNLIMITED)
        & (staged["n_trees"] > keep)
    ]
    kept = staged[
        (staged["model"] == BOOSTING)
        & (staged["max_depth"] == ens.UNLIMITED)
        & (staged["n_trees"] == keep)
    ]["train_error"]
    if rows.empty or kept.empty or rows["train_error"].min() >= float(kept.iloc[0]):
        return None
    best = rows.loc[rows["train_error"].idxmin()]
    return int(best["n_trees"]), float(best["train_error"])


def grown_on_text(result, keep: int) -> str:
    """Why grown-out boosting misses training rows. Early stopping keeps the round of lowest
    held-out log loss; where the rounds it grew past that one miss fewer training rows, leaf size
    is not what stops it fitting them (Config(noise=1.0, learning_rate=1.0, n_samples=2000,
    n_estimators=25): 16.5 % after the 1 round kept, none after round 5, with the same leaves of
    at least 5 points; audit pass 43)."""
    later = grown_on(result, keep)
    if later is None:
        # only the staged checkpoints are measured: say nothing of the rounds between them
        return (
            "early stopping keeps the round of lowest held-out log loss, and its leaves hold at "
            f"least {ens.MIN_CHILD_SAMPLES} points"
        )
    at, error = later
    return (
        "early stopping keeps the round of lowest held-out log loss, not the one that fits its "
        f"training rows best: after round {at}, grown past it, {decimals(error, 1, 100)} % of "
        "them were wrong"
    )


def _fit_times(result) -> list[Fact]:
    s = _summary(result)
    unl = ens.UNLIMITED
    gb1, gbu = s.loc[(BOOSTING, 1)], s.loc[(BOOSTING, unl)]
    rf1, rfu = s.loc[(FOREST, 1)], s.loc[(FOREST, unl)]

    def rounds(row) -> str:
        n = int(row["rounds_fitted"])
        return f"{n} round{'s' * (n != 1)} grown"

    per_round = trees_per_round(int(result.info.get("n_classes", 2)))

    def leaves(row, depth: int) -> str:
        # mean_leaves counts the rounds early stopping keeps, not every round grown (grown out:
        # 25 kept of 90 grown at 57.76 leaves), so the sentence names the kept count
        kept = int(row["n_trees"])
        m = float(row["mean_leaves"])
        # a mean is never printed as a whole number it is not (57.76 is "57.8", not "58";
        # 49.5 is not "50"), nor in num's "1.02e+03"
        shown = str(int(m)) if m == round(m) else num(m, 2) if m < 10 else decimals(m, 1)
        # "each" only when the mean forces every kept tree to that count: one tree, or a mean at
        # a bound every tree is within (1 leaf, or the depth's leaf limit: stumps' 2). A whole
        # mean alone does not (grown out, 2 kept trees of 14 and 16 leaves average 15). A kept
        # round is one tree per class with k > 2 classes: 1 round kept of a 3-class upload is
        # 3 trees (14, 10 and 21 leaves were "15 leaves each"; audit pass 45).
        bounds = (1, ens.num_leaves_for_depth(depth))
        one_tree = kept * per_round == 1
        alike = "each" if m == round(m) and (one_tree or m in bounds) else "on average"
        if per_round > 1:  # the count is of rounds; the leaves are a tree's
            alike = "a tree" if alike == "each" else "a tree on average"
            return (
                f"{kept} kept, {per_round} trees a round, the kept trees with {shown} "
                f"lea{'f' if m == 1 else 'ves'} {alike}"
            )
        # "the kept trees": beside a time for every round grown, "with 5.8 leaves on average"
        # left open whether the mean is over the 23 grown or the 13 kept (moons, noise 0, 200
        # points, η = 1; audit pass 62 c)
        if one_tree:
            # one tree is not "the kept trees ... each" (circles, noise 1, 200 points, η = 0.01:
            # "1 kept, the kept trees with 2 leaves each"; audit pass 65 a)
            return f"{kept} kept, the kept tree with {shown} lea{'f' if m == 1 else 'ves'}"
        return f"{kept} kept, the kept trees with {shown} lea{'f' if m == 1 else 'ves'} {alike}"

    return [
        _fact(
            "fit_times",
            f"Boosting took {timing(gb1['fit_seconds'])} at depth 1 "
            f"({rounds(gb1)}, {leaves(gb1, 1)}) "
            f"and {timing(gbu['fit_seconds'])} "
            f"grown out ({rounds(gbu)}, {leaves(gbu, unl)}). A forest tree took "
            f"{timing(rf1['seconds_per_tree'])} at depth 1 "
            f"and {timing(rfu['seconds_per_tree'])} grown out.",
            slot="time",
        )
    ]


def _bv(result):
    return result.bias_variance.set_index(["model", "max_depth"])


def _decomposition(config, result) -> list[Fact]:
    bv = result.bias_variance
    gap = (bv["measured_mse"] - bv["expected_mse"]).abs()
    out = []
    if config.bv_noise == 0:
        scale = float(bv["expected_mse"].abs().max())
        if gap.max() <= 1e-9 * max(scale, 1e-300):
            within = "exactly" if gap.max() == 0 else f"to within {up(float(gap.max()))} (rounding)"
            out.append(
                _fact(
                    "decomposition_exact",
                    "With σ_ε = 0 the labels carry no noise: the measured test MSE equals "
                    f"bias² + variance {within}, as the identity says.",
                    slot="bias_variance",
                    gap=float(gap.max()),
                )
            )
    elif float(bv["measured_se"].min()) > 1e-9 * float(bv["expected_mse"].abs().max()):
        # below that the fresh noise moves the error less than rounding can resolve: no test
        z = float((gap / bv["measured_se"]).max())
        key = "fresh_noise_consistent" if z <= CONSISTENT_SE else "fresh_noise_off"
        chance = len(bv) * 2 * NORMAL_TAIL_3
        # beside "more than 3" a z of 3.02 prints as 3.02, not 3.0
        shown_z = decimals(z, 1) if z <= CONSISTENT_SE else apart(CONSISTENT_SE, z, digits=2)[1]
        verdict = (
            "consistent with fresh noise of variance σ_ε² independent of the predictions"
            if z <= CONSISTENT_SE
            else f"more than 3, which chance alone does in at most {up(100 * chance)} % of runs "
            f"({len(bv)} comparisons × 0.27 %)"
        )
        out.append(
            _fact(
                key,
                f"The largest gap between a diamond and its bar is {shown_z} standard errors of "
                f"the measurement: {verdict}.",
                slot="bias_variance",
                z=z,
            )
        )
    widest = bv.loc[(bv["set_mse_max"] - bv["set_mse_min"]).idxmax()]
    largest_se, places = spread_places(bv, config.bv_train_sets)
    lowest, highest, sd_text = (
        decimals(float(widest[c]), places) for c in ("set_mse_min", "set_mse_max", "set_mse_sd")
    )
    # the range's ends at one count of decimals: "from 11.2495 to 15.66" (audit pass 65 a)
    lowest, highest = same_places([widest["set_mse_min"], widest["set_mse_max"]], (lowest, highest))
    out.append(
        _fact(
            "set_spread",
            f"Over the {config.bv_train_sets} training sets one fitted model's test MSE varies: "
            f"most for {NAMES[widest['model']]} {at(int(widest['max_depth']))}, from "
            f"{lowest} to {highest} (standard deviation "
            f"{sd_text}). A bar's total is a mean over the sets: its standard "
            f"error is that SD / √{config.bv_train_sets}, at most "
            f"{largest_se} here.",
            slot="bias_variance",
            model=widest["model"],
            max_depth=int(widest["max_depth"]),
            max_se=float(bv["expected_se"].max()),
        )
    )
    return out


def largest_bar_se(bv) -> str:
    """The bound on a bar's standard error for the set_spread sentence: the largest, rounded up
    to 2 decimals."""
    return decimals(math.ceil(100 * float(bv["expected_se"].max())) / 100, 2)


def spread_places(bv, train_sets: int) -> tuple[str, int]:
    """:func:`largest_bar_se` and the decimals (at least 2) for every bar's lowest, highest and SD
    over the training sets, as the set_spread sentence and the decomposition's whisker tooltips
    print them: the fewest at which (a) every printed SD / √R is within that bound (2.48 / √3 =
    1.432 beside "at most 1.43": the SD was 2.4786), (b) the widest bar's printed range is at
    least every other bar's printed range ("varies most" for it), and (c) its lowest and highest
    print apart when they differ."""
    bound = Decimal(largest_bar_se(bv))
    root = Decimal(train_sets).sqrt()
    ranges = bv["set_mse_max"] - bv["set_mse_min"]
    w = ranges.idxmax()

    def shown(v, places) -> Decimal:
        return Decimal(decimals(float(v), places))

    for places in range(2, 17):
        spans = [
            shown(hi, places) - shown(lo, places)
            for lo, hi in zip(bv["set_mse_min"], bv["set_mse_max"], strict=True)
        ]
        widest = shown(bv.loc[w, "set_mse_max"], places) - shown(bv.loc[w, "set_mse_min"], places)
        if (
            all(shown(sd, places) / root <= bound for sd in bv["set_mse_sd"])
            and all(span <= widest for span in spans)
            and (widest > 0 or ranges.loc[w] == 0)
        ):
            return str(bound), places
    return str(bound), 16


def term_texts(bv, *values: float) -> tuple[str, ...]:
    """Squared biases or variances for the bias-variance sentences: :func:`_two`'s texts, each
    replaced by the charts' tooltip text of it (:func:`decomposition_places`' term decimals)
    where it would not read as that tooltip (a single tree's bias² 2.824987 printed "2.82"
    beside the bias² line's tooltip "2.8250", which reads as 2.83: seed 42, 25 trees, 3 sets
    of 100; audit pass 41)."""
    term = decomposition_places(bv)[1]
    return tuple(
        text if reads_alike(text, decimals(v, term)) else decimals(v, term)
        for text, v in zip(_two(*values), values, strict=True)
    )


def term_texts_alike(bv, *values: float) -> tuple[str, ...]:
    """Squared biases or variances one sentence compares, all with one count of decimals: the
    most :func:`term_texts` gives any of them, more (up to the tooltips' term decimals, where each
    is its tooltip) until every one reads as its tooltip ("4.58 against 2.447 grown out",
    "2.33, against 14.745 … and 16.83", "9.29 for a single tree, 1.948 for the forest": audit
    pass 64 f)."""
    term = decomposition_places(bv)[1]
    texts = term_texts(bv, *values)
    for places in range(max(map(_places_of, texts)), term + 1):
        trial = tuple(decimals(v, places) for v in values)
        if len({_places_of(t) for t in trial}) == 1 and all(
            reads_alike(t, decimals(v, term)) for t, v in zip(trial, values, strict=True)
        ):
            return trial
    return tuple(decimals(v, term) for v in values)


def _bias_variance(config, result) -> list[Fact]:
    t = _bv(result)
    bv = result.bias_variance
    unl = ens.UNLIMITED
    gb1, tree1, rf1 = (float(t.loc[(m, 1), "bias_sq"]) for m in (BOOSTING, TREE, FOREST))
    # printed beside "below both", "at least" and "below": as many digits as tell them apart
    treeu, rfu = float(t.loc[(TREE, unl), "bias_sq"]), float(t.loc[(FOREST, unl), "bias_sq"])
    # one printing of each squared bias for both bias sentences, all at one count of decimals
    shown = dict(
        zip(
            ("gb1", "tree1", "rf1", "rfu", "treeu"),
            term_texts_alike(bv, gb1, tree1, rf1, rfu, treeu),
            strict=True,
        )
    )
    out = [
        _fact(
            "bias_depth_one",
            f"At depth 1 boosting's estimated squared bias is {shown['gb1']}, against "
            f"{shown['tree1']} for "
            f"a single stump and {shown['rf1']} for a forest of stumps.",
        )
    ]
    if gb1 < min(tree1, rf1):
        out.append(
            _fact(
                "bias_boosting_below",
                "Adding stumps fitted to the remaining error lowered the bias below both.",
            )
        )
    pairs = "{} against {} at depth 1, {} against {} grown out".format(
        *(shown[k] for k in ("rf1", "tree1", "rfu", "treeu"))
    )
    if rf1 >= tree1 and rfu >= treeu:
        out.append(
            _fact(
                "forest_bias_not_below_tree",
                f"Averaging did not lower bias: the forest's estimated squared bias is at least a single "
                f"tree's ({pairs}). A forest keeps the bias of one randomized tree (a bootstrap "
                "sample, 3 of the 10 features per split: a third, rounded down).",
            )
        )
    else:
        out.append(
            _fact(
                "forest_bias_below_tree",
                f"The forest's estimated squared bias is below a single tree's at some depth ({pairs}): "
                "a forest keeps the bias of its average randomized tree, which is not the tree "
                "grown on all the data.",
            )
        )
    var = {key: float(t.loc[key, "variance"]) for key in ((TREE, unl), (FOREST, unl))}
    var.update({(BOOSTING, d): float(t.loc[(BOOSTING, d), "variance"]) for d in (1, unl)})
    tree_text, forest_text, gb_from, gb_to = term_texts_alike(
        bv, var[(TREE, unl)], var[(FOREST, unl)], var[(BOOSTING, 1)], var[(BOOSTING, unl)]
    )
    out.append(
        _fact(
            "variances",
            f"Variance grown out: {tree_text} for a single tree, "
            f"{forest_text} for the forest of {bv_forest_trees(config)} averaged "
            f"trees; boosting's goes from {gb_from} at depth 1 to {gb_to} grown out.",
            variances={f"{m}@{d}": v for (m, d), v in var.items()},
        )
    )
    out.append(_bv_lowest(config, result))
    return out


def bv_choices(result) -> dict[str, dict]:
    """Per model: the one-SE choice of depth on the estimated expected test MSE."""
    return _bv_choices(result.bias_variance)


def _bv_choices(bv) -> dict[str, dict]:
    return {
        model: one_se_choice(bv[bv["model"] == model], "expected_mse", "expected_se")
        for model in (BOOSTING, FOREST, TREE)
    }


def bias_places(bv) -> int:
    """Decimals (at least 3, halves up) of bias²: the fewest at which every pair the bias
    sentences compare ("below both", "at least", "below") prints apart when it differs, so no
    tooltip prints 15.021 for both sides of a "below"."""
    t = bv.set_index(["model", "max_depth"])["bias_sq"].astype(float)
    unl = ens.UNLIMITED
    gb1, tree1, rf1 = (t[(m, 1)] for m in (BOOSTING, TREE, FOREST))
    pairs = ((gb1, tree1), (gb1, rf1), (rf1, tree1), (t[(FOREST, unl)], t[(TREE, unl)]))
    for places in range(3, 17):
        if all(a == b or decimals(a, places) != decimals(b, places) for a, b in pairs):
            return places
    return 16


TERMS = ("bias_sq", "variance", "noise")


def decomposition_total(row, places: int = 3) -> Decimal:
    """bias² + variance + noise (the estimated expected test MSE) as the decomposition chart's
    tooltip and the bv_lowest sentence print it: ``places`` decimals, halves up."""
    return Decimal(decimals(float(row["expected_mse"]), places))


def lowest_texts(choice: dict, places: int) -> tuple[str, str]:
    """A model's lowest estimated expected test MSE and its SE as the bv_lowest sentence prints
    them: the SE as every standard error prints (core.facts.se_num: 2 significant digits; at 3
    decimals the defaults printed "boosting 4.045 ± 0.239 … a single tree 11.984 ± 0.320",
    audit pass 68 c), the lowest as the decomposition's tooltip prints that total (``places``
    decimals, more where it would print as a whole number it is not: 9.99994 is "9.9999"), and
    never with fewer decimals than its SE (not "9.9999 ± 0.00807" read as "10.0 ± 0.0081")."""
    se = se_num(choice["lowest_se"])  # "1,300" for an SE of 1,333.9
    return decimals(choice["lowest"], max(places, _places_of(se.replace(",", "")))), se


def _lowest_sorts(part, choice: dict, places: int) -> bool:
    """Whether the lowest + SE printed at ``places`` sorts the depths as the one-SE choice does:
    the chosen depth at or below it, every shallower depth above, each as it is and as printed."""
    chosen = rank(int(choice["max_depth"]))
    bound = sum(Decimal(t.replace(",", "")) for t in lowest_texts(choice, places))
    return all(
        (value <= bound) == (rank(int(r["max_depth"])) == chosen)
        for _, r in part.iterrows()
        if rank(int(r["max_depth"])) <= chosen
        for value in (Decimal(repr(float(r["expected_mse"]))), decomposition_total(r, places))
    )


def _measured_is_total(bv, places: int) -> bool:
    """With σ_ε = 0 (bias² + variance is the measured test MSE, to round-off): whether every
    printed measured MSE is its printed total. Always true with noisy labels."""
    if (bv["noise"] != 0).any():
        return True
    return all(
        decimals(float(r["measured_mse"]), places) == decimals(float(r["expected_mse"]), places)
        for _, r in bv.iterrows()
    )


def total_places(bv) -> int:
    """Decimals (at least 3, halves up) of every estimated expected test MSE the page prints: the
    bv_lowest sentence's lowest ± SE and the decomposition tooltips' "bias² + variance + noise"
    and measured test MSE, each total rounded as it is (one rounding: the tooltips of equal values
    agree, and no depth's total prints below the lowest the sentence names). The fewest at which,
    for every model, the printed lowest + SE sorts the chosen depth and every shallower one as the
    one-SE choice does (exact and printed: "7.24 ± 0.10" put the chosen 7.341 above 7.34, though
    exactly 7.3409 is below 7.2426 + 0.1049), and, with σ_ε = 0, every printed measured MSE is
    its printed total (the sentence says they are equal); where places allow, also the fewest at
    which each lowest and its SE print with just those decimals (a mean and its SE at one
    precision: not "7.243 ± 0.1049")."""
    choices = _bv_choices(bv)

    def sorts(places: int) -> bool:
        return all(_lowest_sorts(bv[bv["model"] == m], c, places) for m, c in choices.items())

    def even(places: int) -> bool:  # each lowest at just these decimals, its SE at no more
        return all(
            _places_of(low) == places and _places_of(se.replace(",", "")) <= places
            for c in choices.values()
            for low, se in [lowest_texts(c, places)]
        )

    candidates = range(3, 17)
    return next(
        (p for p in candidates if sorts(p) and _measured_is_total(bv, p) and even(p)),
        next(
            (p for p in candidates if sorts(p) and _measured_is_total(bv, p)),
            next((p for p in candidates if sorts(p)), 16),
        ),
    )


def term_places(bv, places: int) -> int:
    """Decimals of bias², variance and noise in the charts' tooltips, given the totals' ``places``:
    more than those, at least :func:`bias_places`, and the fewest at which every printed total is
    its printed terms' sum rounded (core.facts.agrees: "bias² + variance + noise 16.001" never
    beside terms whose printed sum rounds to 16.000)."""
    first = max(places + 1, bias_places(bv))
    for term in range(first, 18):
        if all(
            agrees(
                str(decomposition_total(r, places)),
                sum(Decimal(decimals(float(r[c]), term)) for c in TERMS),
            )
            for _, r in bv.iterrows()
        ):
            return term
    return 17


def decomposition_places(bv) -> tuple[int, int]:
    """(totals, terms): :func:`total_places` and :func:`term_places`, the decimals every printed
    total and term of the bias-variance part takes (sentence, lines and decomposition chart)."""
    places = total_places(bv)
    return places, term_places(bv, places)


def _bv_lowest(config, result) -> Fact:
    choices = bv_choices(result)
    # printed as the decomposition's tooltips print every total (audit pass 38: a single tree's
    # "12.28" beside depth 4's tooltip 12.279; at the defaults boosting's "4.05" beside its own
    # 4.045)
    places = total_places(result.bias_variance)
    texts = {m: lowest_texts(c, places) for m, c in choices.items()}
    parts = [
        f"{NAMES[m]} {texts[m][0]} ± {texts[m][1]} at depth {c['lowest_label']} "
        f"(one-SE choice {c['depth']})"
        for m, c in choices.items()
    ]
    return _fact(
        "bv_lowest",
        f"Lowest estimated expected test MSE in the regression (mean over "
        f"{config.bv_train_sets} training sets ± its standard error): {'; '.join(parts)}. No "
        f"model can go below the noise σ_ε² = {num(config.bv_noise**2, 6)}.",
        choices={m: (int(c["lowest_depth"]), int(c["max_depth"])) for m, c in choices.items()},
    )


def _cross_check(result) -> list[Fact]:
    s = _summary(result)
    hgb = "hist_gradient_boosting"
    n_test = result.info["n_test"]
    gaps = [abs(s.loc[(hgb, d), "test_error"] - s.loc[(BOOSTING, d), "test_error"]) for d in DEPTHS]
    points = int(np.round(max(gaps) * n_test))
    part = result.summary[result.summary["model"] == hgb]
    best = one_se_choice(part, "test_error", "test_se")
    # as the error chart's tooltips print HistGradientBoosting's errors
    lowest_text = test_error_texts(part, n_test, result.summary)[0]
    # a lowest error of 0 has a standard error of 0 here too, which the best-depths sentence's
    # note names only for the forest and boosting (moons, noise 0, η = 1, cross-check on:
    # "(0.000; one-SE choice 1)" with no word on it; audit pass 55 e)
    zero = float(best["lowest"]) == 0
    zero_note = (
        f", whose standard error √(e(1 − e)/n) is 0, which does not mean its error is known "
        f"to be 0: none of {n_test} wrong allows up to about {zero_error_bound(n_test)} at "
        "95 %, so its one-SE rule keeps only the depths without a test mistake"
        if zero
        else ""
    )
    # "differ by at most 0 of 300 test points" said of errors equal at every depth
    differ = (
        "their test errors are equal at every depth"
        if points == 0
        else f"at the same depth their test errors differ by at most {points} of {n_test} test "
        "points"
    )
    return [
        _fact(
            "cross_check",
            f"Cross-check: scikit-learn's HistGradientBoosting, run for LightGBM's rounds at "
            f"each depth on the same rows, has its lowest test error "
            f"{at_depths(lowest_depths(part))} ({lowest_text}{zero_note}; one-SE choice "
            f"{best['depth']}). {differ[:1].upper() + differ[1:]} (a count of mistakes: the points "
            "each gets wrong need not be the same).",
            points=points,
            hgb_lowest=int(best["lowest_depth"]),
            hgb_zero=zero,
        )
    ]
