"""The practical recipe, each item checked against the run: ✓ the run agrees, ⚠ it shows the
failure the rule prevents, ℹ it reports or cannot tell (its ``status``)."""

from __future__ import annotations

import math
from decimal import Decimal

from core.experiments.batch_size.settings import REFERENCE_BATCH, advised_rule
from core.experiments.batch_size.text import (
    accuracy_se,
    b,
    best_runs,
    duration,
    eta_text,
    etas,
    finished,
    gap_points,
    kib,
    rose,
    share,
    spread_factor,
    uncapped,
)
from core.facts import (
    ROUND_OFF,
    Claim,
    Claims,
    Fact,
    alike,
    column_places,
    decimals,
    factor,
    listing,
    plural,
    ratio,
)

STATUS = ("ok", "warn", "info")
# The final training losses "line up" when they span at most this factor.
ALIGNED = 1.25
# A larger batch "lags" at the same eta when its final training loss is above this x B = 32's.
LAGS = 1.1
# A run "got there first" only when it took less than this share of the runner-up's time: two
# timings of the same default page on the shared machine swapped B = 8 and B = 32 (4.3 vs 4.9 ms,
# then 10.3 vs 10.4 ms), so closer times are not a ranking.
FIRST = 0.8

RECIPE = Claims(
    Claim(
        "recipe_start_ok",
        "B = 32 or 64 is within one standard error of the best test accuracy",
        "max(acc 32, acc 64) >= best - SE, SE = sqrt(p~ (1 - p~) / (n_test + 4)) with "
        "p~ = (best n_test + 2) / (n_test + 4) (Agresti-Coull), among runs that did not diverge; "
        "a check only where the best is more than one SE above the test set's most common "
        "class share (else 'does not check where to start')",
    ),
    Claim(
        "recipe_start_far",
        "B = 32 and 64 are more than one standard error below the best test accuracy",
        "neither within one standard error of the best (or both diverged)",
    ),
    Claim(
        "recipe_start_unselected",
        "Neither 32 nor 64 is selected",
        "32 and 64 not shown",
    ),
    Claim(
        "recipe_best",
        "The best test accuracy (every run at it named) and the batch sizes within one standard "
        "error of it",
        "at least one shown run did not diverge",
    ),
    Claim(
        "recipe_gap",
        "The largest train-test accuracy gap (every run at it named)",
        "some finished run has train accuracy > test accuracy",
    ),
    Claim(
        "recipe_no_gap",
        "No batch size fits the training set better than the test set",
        "every finished run has train accuracy <= test accuracy",
    ),
    Claim(
        "recipe_time_first",
        "One batch size reached the target first",
        "epochs >= 2 and its time < 0.8 x the runner-up's (or it is the only one that reached it); "
        "a run that ended above its start is told to keep the early model only if it reached the "
        "target before its last epoch, and is marked with a warning, not a check",
    ),
    Claim(
        "recipe_time_tie",
        "Two or more batch sizes reached the target too close together to rank",
        "epochs >= 2 and the runner-up's time <= the first's / 0.8",
    ),
    Claim(
        "recipe_diverged",
        "Runs diverged, each with its own eta: the scaling rule's limit where it raised a "
        "diverged run's eta, else an eta too large before any scaling",
        "some shown run diverged; 'not without limit' only if a diverged run's eta was scaled "
        "above the eta set for B = 32, else 'lower eta before scaling it'; 'cap the scaled eta' "
        "as a fix only if every diverged run's eta was scaled above it and none diverges again "
        "when trained at it",
    ),
    Claim(
        "recipe_scaled_aligned",
        "The scaling rule kept the final training losses together (runs that ended above their "
        "start named: no check of the rule)",
        "a scaling rule, no shown run diverged, losses of >= 2 runs span <= 1.25x; a warning, "
        "not a check, naming every shown run that ended above its starting loss",
    ),
    Claim(
        "recipe_scaled_apart",
        "The scaling rule did not keep the final training losses together",
        "a scaling rule, no shown run diverged, losses span > 1.25x",
    ),
    Claim(
        "recipe_unscaled_lags",
        "At the same eta a larger batch ends with a higher training loss than B = 32",
        "no scaling, no shown run diverged, the worst larger batch's loss > 1.1 x B = 32's; "
        "'try scaling eta with B' only if that batch did not end above its starting loss and, "
        "trained again under the advised rule (linear; sqrt for Adam), ends lower without "
        "diverging ('does not close it here' otherwise), else 'lower eta first'",
    ),
    Claim(
        "recipe_unscaled_no_lag",
        "At the same eta no larger batch ends more than 10 % above B = 32",
        "no scaling, no shown run diverged, every larger batch's loss <= 1.1 x B = 32's",
    ),
    Claim(
        "recipe_scaling_unchecked",
        "The scaling rule can't be checked with this selection",
        "no shown run diverged and fewer than two runs (a scaling rule) or not B = 32 and a "
        "larger batch (no scaling) are shown",
    ),
    Claim(
        "recipe_memory",
        "Memory caps the batch: the largest batch's forward cache and update peak",
        "always (rule of thumb; the figures are core.mlp's arrays); 'halve B' only where the "
        "largest batch shown is above 1 (at B = 1 a smaller net)",
    ),
)


def _recipe(key: str, status: str, text: str, **values) -> Fact:
    return RECIPE.fact(key, text, slot="recipe", status=status, **values)


def recipe_facts(config, result) -> list[Fact]:
    s = result.summary.set_index("key")
    ok = finished(s)
    out = _start(result, ok)
    if len(ok):
        out += _best_and_gap(result, ok)
        out += _first(config, ok)
    out += _scaling(config, s, ok, result.rule_runs, result.capped_runs)
    largest = s.loc[s["batch_size"].idxmax()]
    m = result.memory.set_index("key").loc[largest.name]
    examples = int(largest["batch_size"])
    # B = 1 has no half: with only B = 1 shown, "halve B when a step does not fit" named a move
    # that does not exist (?bs=1; audit pass 54 d)
    remedy = (
        "halve B when a step does not fit"
        if examples > 1
        else "one example per update is the least, so a step that does not fit at B = 1 "
        "needs a smaller net"
    )
    out.append(
        _recipe(
            "recipe_memory",
            "info",
            f"**Memory caps the batch**: {b(largest['label'])} keeps "
            # its activations' peak, not the update's: parameters, gradients and optimizer
            # state are alive then too (default page: "one update peaks at 437.5 KiB" beside
            # 18.5 KiB of them; audit pass 46 e)
            f"{kib(m['activation_bytes'])} of forward activations for this net (with the "
            f"backward pass's temporaries, {kib(m['step_bytes'])} of activations at one "
            f"update's peak)"
            + (f", {examples}× one example's" if examples > 1 else "")
            + f"; {remedy}.",
            halves=examples > 1,
        )
    )
    return out


def se_points(se: float, places: int = 1) -> str:
    """One standard error ``se`` (a fraction) in points: its rounding, halves up, to ``places``
    decimals (more while it would print as 0: core.facts.decimals), the same value wherever the
    recipe prints it. Not rounded up beside "within" and down beside "more than": that printed
    one SE of 2.7511 points as "±2.8" in one sentence and "±2.7" in the next (preset 'Scaling too
    far'); the sentences add decimals instead until their printed comparisons hold."""
    return decimals(se, places, 100)


def _dumbbell_gap(best: float, acc: float, places: int) -> Decimal:
    """best − acc in points as the accuracy dumbbell prints the two (at ``places`` decimals,
    :func:`core.facts.column_places` of the runs it draws)."""
    return Decimal(decimals(best, places, 100)) - Decimal(decimals(acc, places, 100))


def _dumbbell_places(ok) -> int:
    """The decimals at which the accuracy dumbbell prints every run that did not diverge."""
    return column_places(list(zip(ok["train_accuracy"], ok["test_accuracy"], strict=True)))


def _start(result, ok) -> list[Fact]:
    shown = [k for k in ("32", "64") if k in result.summary["key"].tolist()]
    if not shown:
        return [
            _recipe(
                "recipe_start_unselected",
                "info",
                "**Start at 32 or 64**: select them to see where the search begins.",
            )
        ]
    reached = {k: float(ok.loc[k, "test_accuracy"]) for k in shown if k in ok.index}
    lost = [f"B = {k}" for k in shown if k not in reached]
    diverged = f"{listing(lost)} diverged" if lost else ""
    if not reached:
        return [
            _recipe(
                "recipe_start_far",
                "warn",
                f"**Start at 32 or 64, but expect to move**: here {diverged}.",
                best=math.nan,
                se=math.nan,
            )
        ]
    best = float(ok["test_accuracy"].max())
    se = accuracy_se(best, result.n_test)
    values = dict(best=best, se=se)
    parts = "test accuracy " + listing([f"{share(acc)} at B = {k}" for k, acc in reached.items()])
    parts += f" ({diverged})" if diverged else ""
    if max(reached.values()) >= best - se:
        within = [k for k, acc in reached.items() if acc >= best - se]
        if len(reached) == 1:
            who = ","
        elif len(within) == 2:
            who = ", both"
        else:  # only one of the two is within: say which
            who = f"; B = {within[0]} is"
        # the printed accuracies must sort as the sentence does: a run named within is no more
        # than the printed SE below the printed best, the other more (10 classes, 180 test
        # points: 11.7 % at B = 32 is not within ±2.7 of 14.4 %, since 11.67 is 2.78 below
        # 14.44 and the SE is 2.65): decimals are added until they do
        # and as the accuracy dumbbell prints them (audit 49 d: gaussians, n 800, noise 1, seed
        # 5480, width 8, depth 1, Adam, η = 0.03, 2 epochs: "67.5% at B = 64 … within ±2.9 of
        # 70.4%" beside the dumbbell's 70.41667% and 67.50000%, 2.91667 apart)
        places = _dumbbell_places(ok)
        for k in range(1, 7):
            shown = {key: share(acc, k) for key, acc in reached.items()}
            shown_best = share(best, k)
            se_shown = se_points(se, k)
            gaps = {key: Decimal(shown_best[:-1]) - Decimal(t[:-1]) for key, t in shown.items()}
            if all((gaps[key] <= Decimal(se_shown)) == (key in within) for key in shown) and all(
                (_dumbbell_gap(best, acc, places) <= Decimal(se_shown)) == (key in within)
                for key, acc in reached.items()
            ):
                break
        se_text = f"±{se_shown} points on {result.n_test} test points"
        parts = "test accuracy " + listing([f"{t} at B = {key}" for key, t in shown.items()])
        parts += f" ({diverged})" if diverged else ""
        # a best no more than one SE above what always predicting the most common class scores
        # is no check of the start (circles, noise 1, η = 0.001, 2 epochs: ✓ "50.0% at B = 32
        # and 50.0% at B = 64, both within one standard error … of the best, 50.8%" on a
        # balanced test set; audit pass 61 g)
        majority = getattr(result, "majority", math.nan)
        chance = math.isfinite(majority) and best <= majority + se
        tail = "."
        if chance:
            # at the best's places, more while the printed numbers would not say "within"
            for places in range(k, 13):
                shown_majority = share(majority, places)
                if Decimal(shown_best[:-1]) - Decimal(shown_majority[:-1]) <= Decimal(se_shown):
                    break
            tail = (
                f", but the best is within one standard error of the {shown_majority} that "
                "always predicting the most common class scores: no run scored more than one "
                "standard error above it, so this does not check where to start."
            )
        values["chance"] = chance
        # a run at the best is the best, not "within one standard error" of it (the 'Scaling
        # too far' preset: "90.8% at B = 32 and 90.8% at B = 64, both within one standard
        # error … of the best, 90.8%"; audit pass 68 e); the shares of one test set tie exactly
        at = [key for key in within if reached[key] == best]
        near = [key for key in within if key not in at]
        if not at:
            said = f"{who} within one standard error ({se_text}) of the best, {shown_best}"
        elif not near:
            if len(reached) == 1:
                said = ", the best"
            elif len(at) == 2:
                said = ", both tied at the best"
            else:
                said = f"; B = {at[0]} is at the best"
            said += f" (one standard error: {se_text})"
        else:
            said = (
                f"; B = {at[0]} is at the best and B = {near[0]} within one standard error "
                f"({se_text}) of it"
            )
        values["at_best"] = tuple(at)
        return [
            _recipe(
                "recipe_start_ok",
                "info" if chance else "ok",
                f"**Start at 32 or 64**: {parts}{said}{tail}",
                **values,
            )
        ]
    # beside "more than one standard error below", the printed accuracies must be more than
    # the printed SE apart (85.0 % and 81.7 % are not more than ±3.3 points apart): decimals are
    # added until they are
    places = _dumbbell_places(ok)
    for k in range(1, 6):
        shown = {key: share(acc, k) for key, acc in reached.items()}
        shown_best = share(best, k)
        shown_se = se_points(se, k)
        # in exact decimals: as floats, 98.5 − 97.1 = 1.4000000000000057 is "more than" 1.4;
        # and as the accuracy dumbbell prints them
        if Decimal(shown_best[:-1]) - max(Decimal(t[:-1]) for t in shown.values()) > Decimal(
            shown_se
        ) and all(_dumbbell_gap(best, acc, places) > Decimal(shown_se) for acc in reached.values()):
            break
    parts = "test accuracy " + listing([f"{t} at B = {key}" for key, t in shown.items()])
    parts += f" ({diverged})" if diverged else ""
    return [
        _recipe(
            "recipe_start_far",
            "warn",
            f"**Start at 32 or 64, but expect to move**: here {parts}, more than "
            f"one standard error (±{shown_se} points) below the best, {shown_best}.",
            **values,
        )
    ]


def _best_and_gap(result, ok) -> list[Fact]:
    best = float(ok["test_accuracy"].max())
    se = accuracy_se(best, result.n_test)
    top = ok[ok["test_accuracy"] >= best - se]
    # every run at the best is named: a tie is exact (shares of the same test points)
    leads = best_runs(ok)
    lead = listing([b(label) for label in leads["label"]])
    tied = [b(label) for key, label in top["label"].items() if key not in leads.index]
    # The dumbbell prints every accuracy (0.1 %): where one printed that way sorts against the
    # printed best and SE the other way than this sentence does (10 classes, 180 test points:
    # 11.7 % is not named beside 14.4 % and ±2.7, but 11.67 is 2.78 below 14.44, more than the
    # SE of 2.65), best and SE get decimals until it does not and that run's accuracy is given.
    # Its printed accuracies are the dumbbell's own decimals (column_places), often 3 or more:
    # those are read against the SE too (audit 49 d: gaussians, n 800, noise 1, seed 5480,
    # width 8, depth 1, Adam, η = 0.03, 2 epochs: B = 64 named within ±2.9 of 70.4 % beside the
    # dumbbell's 70.41667% and 67.50000%, 2.91667 apart).
    drawn = _dumbbell_places(ok)

    def sorts(key, places: int) -> bool:
        acc, limit = float(ok.loc[key, "test_accuracy"]), Decimal(se_points(se, places))
        own = Decimal(share(best, places)[:-1]) - Decimal(share(acc, places)[:-1]) <= limit
        return own == (_dumbbell_gap(best, acc, drawn) <= limit) == (key in top.index)

    misread = [key for key in ok.index if not sorts(key, 1)]
    places, se_shown = 1, se_points(se)
    for places in range(2, 7) if misread else ():
        se_shown = se_points(se, places)
        if all(sorts(key, places) for key in ok.index):
            break
    aside = (
        "; "
        + listing(
            [
                f"{b(ok.loc[key, 'label'])} at {share(ok.loc[key, 'test_accuracy'], places)}"
                + (" is within" if key in top.index else " is not")
                for key in misread
            ]
        )
        if misread
        else ""
    )
    se_text = f"±{se_shown} points" + (f" on {result.n_test} test points" if tied else "")
    text = (
        f"**Double or halve while watching train and test curves**: the best test accuracy here "
        f"is {share(best, places)} ({lead}{', tied' if len(leads) > 1 else ''})"
        + (
            f"; {listing(tied)} {'is' if len(tied) == 1 else 'are'} within one standard error "
            f"of it ({se_text}{aside}), so this test set cannot rank them."
            if tied
            else f", more than one standard error ({se_text}{aside}) above the others."
        )
    )
    if len(ok) == 1:
        text = (
            f"**Double or halve while watching train and test curves**: {lead}, the only "
            # "that did not diverge" only beside a run that did (one run shown: "the only run
            # shown", not a hint of others that diverged)
            + ("run shown" if len(result.summary) == 1 else "run shown that did not diverge")
            + f", reaches {share(best)} test accuracy (±{se_points(se)} "
            f"points, one standard error on {result.n_test} test points)."
        )
    elif len(leads) == len(ok):
        text = (
            f"**Double or halve while watching train and test curves**: the {len(ok)} runs shown"
            + ("" if len(result.summary) == len(ok) else " that did not diverge")
            + f" ({lead}) {'both' if len(ok) == 2 else 'all'} reach the same test accuracy here, "
            f"{share(best)}, so this test set cannot rank them."
        )
    out = [
        _recipe(
            "recipe_best",
            "info",
            text,
            best=best,
            se=se,
            tied=tuple(top.index),
            leads=tuple(leads.index),
        )
    ]
    gap = ok["gap_accuracy"]
    if (gap > 0).any():
        # every run at the largest gap, up to float round-off (219/280 − 91/120 and
        # 261/280 − 109/120 are the same 2.38 points of preset 'Scaling too far')
        largest = float(gap.max())
        worst = ok[gap >= largest - ROUND_OFF * max(1.0, largest)]
        # with the decimals at which the accuracy dumbbell's printed gaps read as it (not "+7.3"
        # beside a tooltip's 58.78 % − 51.43 % = 7.35)
        (train, test), *ties = zip(worst["train_accuracy"], worst["test_accuracy"], strict=True)
        out.append(
            _recipe(
                "recipe_gap",
                "info",
                f"The largest train–test accuracy gap is {gap_points(train, test, *ties)} points, at "
                f"{listing([b(label) for label in worst['label']])}.",
                runs=tuple(worst.index),
                gap=largest,
            )
        )
    else:
        out.append(
            _recipe(
                "recipe_no_gap",
                "info",
                "No batch size fits the training set better than the test set here (every "
                "train–test accuracy gap is 0 or below).",
            )
        )
    return out


def _seconds(text: str) -> Decimal:
    """A time printed by :func:`duration`, back in seconds (exact)."""
    value, unit = text.split(" ")
    return Decimal(value).scaleb({"µs": -6, "ms": -3, "s": 0}[unit])


def _first(config, ok) -> list[Fact]:
    times = ok["seconds_to_target"].dropna().sort_values()
    if times.empty or config.epochs < 2:  # one epoch's clock includes an evaluation
        return []
    first = ok.loc[times.index[0]]
    updates = int(first["updates_to_target"])
    reached = (
        f"{b(first['label'])} reached {share(first['target_accuracy'])} test accuracy after "
        f"{duration(first['seconds_to_target'])} of training ({plural(updates, 'update')})"
    )
    # "keep the early model" only where there is one: a run that reached the target at its
    # last epoch is the model that ended above its start (Adam at η = 1, 3 epochs: B = 64 got
    # there at epoch 3 of 3 with a training loss of 4.06 against 0.775; audit pass 47 b)
    early = bool(first["epochs_to_target"] < first["epochs_done"])
    if not rose(first):
        later = ""
    elif early:
        later = " (it then ended above its starting loss: keep the early model or lower η)"
    else:
        later = (
            " (at its last epoch, with its training loss above where it started: the steps "
            "made the loss worse; lower η)"
        )
    # every run shares its start: the untrained net already scored it (also with one run shown,
    # where "the only one that did" under a ✓ would read as a ranking)
    if times.iloc[0] == 0:
        return [
            _recipe(
                "recipe_time_tie",
                "info",
                f"**Prefer the batch size that gets there first**: the untrained net already "
                f"scores the target ({share(first['target_accuracy'])} test accuracy, one point "
                "below the best final one), so every run that did not diverge reached it "
                "before its first update: this run cannot rank them by time.",
                keys=tuple(times[times == 0].index),
            )
        ]
    if len(times) == 1 or times.iloc[0] < FIRST * times.iloc[1]:
        runner = (
            f"; the next, {b(ok.loc[times.index[1], 'label'])}, took {duration(times.iloc[1])} "
            "(one timing each, on a shared server)"
            if len(times) > 1
            else ", the only one that did"
        )
        return [
            _recipe(
                "recipe_time_first",
                # ⚠, not ✓, beside "the steps made the loss worse; lower η" (Adam at η = 1,
                # 3 epochs: B = 64 got there at its last epoch at a training loss of 4.06
                # against 0.775; audit pass 54 d)
                "warn" if rose(first) else "ok",
                f"**Prefer the batch size that gets there first**: {reached}{later}{runner}.",
                run=first.name,
                early=bool(later) and early,
            )
        ]
    close = times[times <= times.iloc[0] / FIRST]
    # "within 25 %" must hold for the printed times too: digits are added until every printed
    # time is at most the printed fastest / FIRST (46.24 and 57.79 ms would print 46.2 and 57.8)
    for digits in range(3, 10):
        shown = [duration(t, digits) for t in close]
        if all(_seconds(x) * Decimal(str(FIRST)) <= _seconds(shown[0]) for x in shown):
            break
    names = listing(
        [f"{b(ok.loc[k, 'label'])} ({x})" for k, x in zip(close.index, shown, strict=True)]
    )
    return [
        _recipe(
            "recipe_time_tie",
            "info",
            f"**Prefer the batch size that gets there first**: {names} reached the target "
            f"({share(first['target_accuracy'])} test accuracy) within {decimals(1 / FIRST - 1, 0, 100)}% of the "
            "fastest one's time: too close to rank with one timing each on a shared server.",
            keys=tuple(close.index),
            digits=digits,
        )
    ]


def time_digits(facts: list[Fact]) -> int:
    """Significant digits of the times to the target wherever the page prints them (the time
    chart's bars, the wall-time axis's tooltips): 3, or the digits the recipe's "within 25 %"
    sentence needed, so that no bar prints the runs it names further apart (46.24 and 57.79 ms
    beside bars of 0.0462 and 0.0578 s, 25.1 % apart)."""
    return max(
        [3]
        + [
            f.values["digits"]
            for f in facts
            if f.claim == "recipe_time_tie" and "digits" in f.values
        ]
    )


def _scaling(config, s, ok, rule_runs=None, capped_runs=None) -> list[Fact]:
    diverged = s[s["diverged"]]
    if len(diverged):
        scaled_up = bool((diverged["learning_rate"] > config.learning_rate).any())
        why, count = uncapped(config, diverged, capped_runs)
        if scaled_up and not count:
            text = (
                f"**Scale the learning rate, but not without limit**: {etas(diverged)} "
                "diverged; lower η, or cap the scaled η."
            )
        elif scaled_up:
            # a cap of the scaled η does not reach a run that diverged at an η no rule raised
            # (momentum on the gaussians at η = 1, linear: B = 32 at η = 1; audit pass 52 b)
            # nor one that diverged again at the η set for B = 32 (audit pass 58 b)
            text = (
                f"**Scale the learning rate, but not without limit**: {etas(diverged)} "
                f"diverged; lower η: {why}, so capping the scaled η would not fix "
                + ("it." if count == 1 else "them.")
            )
        else:
            # no rule raised a diverged run's η: not the scaling rule's limit (SGD on the
            # circles at η = 1, scaling off, 2 epochs: B = 1 diverged at the η every batch
            # size shares, under "Scale the learning rate, but not without limit"; audit 51 c)
            at = (
                "the η every batch size shares (scaling is off)"
                if config.scaling == "none"
                else f"an η the {config.scaling} rule did not raise above the "
                f"η = {eta_text(config.learning_rate)} set for B = {REFERENCE_BATCH}"
            )
            text = (
                f"**Lower η before scaling it**: {etas(diverged)} diverged at {at}: the step "
                "was too large already, not made so by the scaling rule."
            )
        return [_recipe("recipe_diverged", "warn", text, scaled_up=scaled_up)]
    if config.scaling != "none":
        if len(ok) < 2:
            return [_unchecked("select two or more batch sizes")]
        spread = ratio(float(ok["train_loss"].max()), float(ok["train_loss"].min()))
        # the printed span and the two losses it divides (claims.loss_digits)
        span = (
            dict(pair=(float(ok["train_loss"].min()), float(ok["train_loss"].max())))
            if math.isfinite(spread)
            else {}
        )
        rule = f"{config.scaling} rule"
        if spread <= ALIGNED:
            # losses kept together by runs that made the loss worse are no check of the rule:
            # not a check mark (circles, n 500, noise 0.25, seed 3403, width 4, depth 3,
            # momentum, η = 1, √ rule, 5 epochs, B = 1, 8, 64, 256 and full: four of the five
            # ended above their starting loss under "✓ … within 1.25"; audit pass 56 c)
            worse = [r for _, r in ok.iterrows() if rose(r)]
            names = listing([b(r["label"]) for r in worse])
            return [
                _recipe(
                    "recipe_scaled_aligned",
                    "warn" if worse else "ok",
                    f"**Scale the learning rate with the batch** ({rule}): the final training "
                    f"losses span a factor of {spread_factor(spread)} across the batch sizes "
                    "shown, within "
                    f"{ALIGNED}"
                    + (
                        f", but {names} ended above where {'it' if len(worse) == 1 else 'they'} "
                        "started: the rule kept together runs that made the loss worse, which "
                        "does not show it works."
                        if worse
                        else "."
                    ),
                    worse=tuple(str(r.name) for r in worse),
                    **span,
                    **({"ratio_text": spread_factor(spread)} if span else {}),
                )
            ]
        # the √ rule named as a start, not as the fix: this run does not train it, and at the
        # preset 'Adam with the linear rule' it leaves the losses apart too (a factor of 2.29;
        # audit pass 55 d)
        adam = (
            " The linear rule was derived for SGD; for Adam a √ rule is the usual starting "
            "point, not a fix this run has checked: choose the √ rule to see whether it keeps "
            "these runs together."
            if config.optimizer == "adam" and config.scaling == "linear"
            else ""
        )
        return [
            _recipe(
                "recipe_scaled_apart",
                "warn",
                f"**Scale the learning rate with the batch** ({rule}): here the final training "
                f"losses span {_beyond(spread)}, more than {ALIGNED}: the rule did not "
                f"keep the runs together.{adam}",
                spread=spread,
                **span,
                **({"ratio_text": _beyond(spread).removeprefix("a factor of ")} if span else {}),
            )
        ]
    ref = str(REFERENCE_BATCH)
    big = ok[ok["batch_size"] > REFERENCE_BATCH]
    if ref not in ok.index or big.empty:
        return [_unchecked("select 32 and a larger batch")]
    worst = big.loc[big["train_loss"].idxmax()]
    lag = ratio(float(worst["train_loss"]), float(ok.loc[ref, "train_loss"]))
    updates = (
        f"{plural(int(worst['updates']), 'update')} instead of {int(ok.loc[ref, 'updates']):,}"
    )
    if lag > LAGS:
        # "try scaling η with B" only where the rule it names, on this run, lowers the lagging
        # batch's final loss (SGD on the moons at η = 1, 5 epochs: B = full lags at 1.29× B = 32's
        # loss, and under the linear rule, at η = 8.75, it ends at 134 against a start of 0.775;
        # audit pass 53 a)
        rule = advised_rule(config)
        ruled = None
        if rule_runs is not None and len(rule_runs):
            ruled = rule_runs.set_index("key").loc[worst.name]
        helps = ruled is not None and bool(
            not ruled["diverged"] and ruled["train_loss"] < worst["train_loss"]
        )
        name = "the linear rule" if rule == "linear" else "a √ rule"
        if ruled is None:
            outcome = ""
        elif ruled["diverged"]:
            outcome = "diverges"
        elif rose(ruled):
            outcome = "ends above its starting loss"
        else:
            outcome = "ends with no lower training loss"
        advice = (
            "Try scaling η with B ("
            + (
                "for Adam a √ rule is the usual start; the linear rule is SGD's)."
                if config.optimizer == "adam"
                else "the linear rule for SGD)."
            )
            + (
                f" On this run {name} lowers {b(worst['label'])}'s final training loss."
                if helps
                else ""
            )
            if helps or ruled is None
            else f"Scaling η with B ({name}, the usual start for "
            + ("Adam" if config.optimizer == "adam" else "SGD")
            + f") does not close it here: under it, at η = {eta_text(ruled['learning_rate'])}, "
            f"{b(worst['label'])} {outcome}."
        )
        return [
            _recipe(
                "recipe_unscaled_lags",
                "warn",
                f"**Scale the learning rate with the batch**: at the same η, {b(worst['label'])} "
                + (
                    f"ends with {_lag(lag)}× the training loss of B = 32 after "
                    if math.isfinite(lag)
                    else "ends above B = 32's training loss of 0 (in float64) after "
                )
                + f"{plural(config.epochs, 'epoch')} ({updates}). "
                + (
                    # a run that ended above its own start was held back by steps that made
                    # the loss worse, not by too few of them: scaling η up with B would only
                    # make them larger (Adam at η = 1, 1 epoch: B = 256 ends 120× B = 32's,
                    # at 88.7 against 0.775 at its start; audit pass 41 b)
                    "It also ended above its own starting loss (its steps made the loss "
                    "worse), so scaling η up with B would only make those steps larger: lower "
                    "η first."
                    if rose(worst)
                    else advice
                ),
                ratio=lag,
                run=worst.name,
                unstable=rose(worst),
                rule_helps=helps,
                **_lag_pair(lag, ok.loc[ref, "train_loss"], worst["train_loss"]),
            )
        ]
    head = (
        f"**Scale the learning rate with the batch**: at the same η no larger batch ends more "
        f"than {decimals(LAGS - 1, 0, 100)}% above B = 32 here (the highest, {b(worst['label'])}, "
        f"at {_lag(lag)}× with {updates})"
    )
    still = _barely_moved(ok.loc[ref], worst)
    if still is not None:
        text, printed = still
        return [
            _recipe(
                "recipe_unscaled_no_lag",
                "info",
                f"{head}, but {text}",
                ratio=lag,
                run=worst.name,
                barely=True,
                printed_losses=printed,
                **_lag_pair(lag, ok.loc[ref, "train_loss"], worst["train_loss"]),
            )
        ]
    return [
        _recipe(
            "recipe_unscaled_no_lag",
            "info",
            f"{head}: "
            + (
                "fewer updates did not cost it at this η."
                if lag <= 1
                else f"fewer updates cost it at most {decimals(LAGS - 1, 0, 100)}% at this η."
            ),
            ratio=lag,
            run=worst.name,
            barely=False,
            **_lag_pair(lag, ok.loc[ref, "train_loss"], worst["train_loss"]),
        )
    ]


def _barely_moved(ref, worst) -> tuple[str, tuple] | None:
    """The end of the no-lag sentence where B = 32 itself did not fall below its start, or the
    larger batch fell less than half as far: final losses within 10 % then say how little
    either moved, not what fewer updates cost (circles, noise 1, η = 0.001, 2 epochs: B = 32
    from 0.892 to 0.868, the full batch to 0.889, an eighth as far, under "fewer updates cost
    it at most 10%"; audit pass 61 g). None where the larger batch fell at least half as far;
    with the text, the printed losses (start, B = 32, the larger batch)."""
    start, low, high = (
        float(ref["start_train_loss"]),
        float(ref["train_loss"]),
        float(worst["train_loss"]),
    )
    if low < start and start - high >= (start - low) / 2:
        return None
    # at one count of significant digits with their zeros (core.facts.alike): "fell only from
    # 0.7748 at the start to 0.753, and B = full (280) to 0.772" (?epochs=1&lr=0.001; audit pass
    # 66 h)
    for digits in range(3, 18):
        s_text, l_text, h_text = alike(start, low, high, digits=digits)
        s, l, h = (Decimal(t) for t in (s_text, l_text, h_text))
        if (
            (l < s) == (low < start)
            and (h < s) == (high < start)
            and (not (low < start and high < start) or s - h < (s - l) / 2)
        ):
            break
    name = b(worst["label"])
    if low >= start:
        return (
            f"B = 32 itself ended at {l_text}, not below its starting loss of {s_text}: with "
            "no fall to compare against, the ratio does not show what fewer updates cost at "
            "this η.",
            ((start, s_text), (low, l_text), (high, h_text)),
        )
    if high >= start:
        moved = (
            f"B = 32 itself fell only from {s_text} at the start to {l_text}, and {name} ended "
            f"at {h_text}, not below the start"
        )
    else:
        moved = (
            f"B = 32 itself fell only from {s_text} at the start to {l_text}, and {name} to "
            f"{h_text}, less than half as far"
        )
    text = (
        f"{moved}: the final losses are close because neither moved far from the start, which "
        "does not show what fewer updates cost at this η."
    )
    return text, ((start, s_text), (low, l_text), (high, h_text))


def _lag_pair(lag: float, low, high) -> dict:
    """The printed lag and the two losses it divides, for the loss curves' tooltip digits
    (claims.loss_digits): B = 32's loss and the larger batch's."""
    if not math.isfinite(lag):
        return {}
    return dict(ratio_text=_lag(lag), pair=(float(low), float(high)))


def _lag(lag: float) -> str:
    """``lag`` with 2 decimals, more when a lag other than 1 would print as 1.00."""
    for digits in range(2, 17):
        text = decimals(lag, digits)
        if lag == 1 or float(text) != 1:
            break
    return text


def _beyond(spread: float) -> str:
    """``factor(spread)`` for a spread above ALIGNED, with more decimals when 2 would print it
    as 1.25 (a spread of 1.252 is "a factor of 1.252", not "1.25, more than 1.25")."""
    if not math.isfinite(spread):
        return factor(spread)
    # as the loss-spread notice prints it (25.3, not 25.26), with digits added while it would
    # print as 1.25
    text = spread_factor(spread)
    for digits in range(2, 17):
        if float(text) > ALIGNED:
            break
        text = decimals(spread, digits)
    return f"a factor of {text}"


def _unchecked(what: str) -> Fact:
    return _recipe(
        "recipe_scaling_unchecked",
        "info",
        f"**Scale the learning rate with the batch**: {what} to check it.",
    )
