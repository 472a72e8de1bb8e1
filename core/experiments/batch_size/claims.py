"""What a batch-size run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.experiments.batch_size.experiment import PREDICT_KEYS, REFERENCE_BATCH, Result
from core.facts import ANSWER, WARNING, Claim, Claims, Fact, listing, num

# The prediction's options, by the key of the run each names.
OPTIONS = {"1": "B = 1 (SGD)", "32": "B = 32", "full": "full batch"}
# The final training losses "line up" when they span at most this factor.
ALIGNED = 1.25
# A larger batch "lags" at the same eta when its final training loss is above this x B = 32's.
LAGS = 1.1
# A run "got there first" only when it took less than this share of the runner-up's time: two
# timings of the same default page on the shared machine swapped B = 8 and B = 32 (4.3 vs 4.9 ms,
# then 10.3 vs 10.4 ms), so closer times are not a ranking.
FIRST = 0.8
# The fitted noise slope "agrees" with the formula's within this many standard errors.
AGREES_SE = 2.0
# A batch's time per update is compared only between runs that did every epoch.
STATUS = ("ok", "warn", "info")  # a recipe item: the run agrees, shows the failure, or can't tell

CLAIMS = Claims(
    Claim(
        "diverged",
        "Runs that diverged, each with its own eta, and what to change",
        "the run diverged (a mini-batch loss above 1e6 x max(1, start) or non-finite); 'cap the "
        "scaled eta' only if a diverged run's eta was scaled above the eta set for B = 32",
    ),
    Claim(
        "rose",
        "A run ended with a higher training loss than it started with, without diverging",
        "not diverged and final training loss > training loss at the start",
    ),
    Claim(
        "prediction_all_diverged",
        "Every run of the prediction diverged: no answer",
        "B = 1, B = 32 and the full batch all diverged",
    ),
    Claim(
        "answer_more_updates",
        "The prediction's answer: more (smaller) updates per epoch went further",
        "none of the three diverged and loss(B = 1) < loss(B = 32) < loss(full)",
    ),
    Claim(
        "answer_fewer_updates",
        "The prediction's answer: fewer, larger updates went further",
        "none of the three diverged and loss(full) < loss(B = 32) < loss(B = 1)",
    ),
    Claim(
        "answer_other_order",
        "The prediction's answer: the lowest of the runs that finished, in another order",
        "at least one finished and the losses are not ordered by the number of updates",
    ),
    Claim(
        "noise_slope_agrees",
        "The mini-batch gradient variance fell at the fitted log-log slope, within its sampling "
        "error of the finite-population formula's slope (not -1)",
        "|fitted - formula slope| <= 2 standard errors of the fitted slope (delta method over "
        "the draws)",
    ),
    Claim(
        "noise_slope_differs",
        "The fitted slope lies more than 2 standard errors from the formula's",
        "|fitted - formula slope| > 2 standard errors (a rare draw)",
    ),
    Claim(
        "noise_ratio",
        "RMS deviation at B = 1 vs B = 32, against the formula's ratio sqrt(32 (n - 1) / (n - 32))",
        "always (the measured ratio is an estimate from the draws)",
    ),
    Claim(
        "memory",
        "The forward cache per example, one update's peak with the backward temporaries, and the "
        "B-independent parameter memory",
        "always (the formulas of core.mlp's arrays, checked with tracemalloc)",
    ),
    Claim(
        "time_target",
        "The target test accuracy of the time chart and where it comes from",
        "at least one shown run did not diverge",
    ),
    Claim(
        "time_never",
        "Runs that never reached the target (diverged ones named as such)",
        "some shown run has no time to target",
    ),
    Claim(
        "recipe_start_ok",
        "B = 32 or 64 is within one standard error of the best test accuracy",
        "max(acc 32, acc 64) >= best - sqrt(p (1 - p) / n_test), among runs that did not diverge",
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
        "The best test accuracy and the batch sizes within one standard error of it",
        "at least one shown run did not diverge",
    ),
    Claim(
        "recipe_gap",
        "The largest train-test accuracy gap",
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
        "epochs >= 2 and its time < 0.8 x the runner-up's (or it is the only one that reached it)",
    ),
    Claim(
        "recipe_time_tie",
        "Two or more batch sizes reached the target too close together to rank",
        "epochs >= 2 and the runner-up's time <= the first's / 0.8",
    ),
    Claim(
        "recipe_diverged",
        "Scaling eta has a limit: runs diverged, each with its own eta",
        "some shown run diverged",
    ),
    Claim(
        "recipe_scaled_aligned",
        "The scaling rule kept the final training losses together",
        "a scaling rule, no shown run diverged, losses of >= 2 runs span <= 1.25x",
    ),
    Claim(
        "recipe_scaled_apart",
        "The scaling rule did not keep the final training losses together",
        "a scaling rule, no shown run diverged, losses span > 1.25x",
    ),
    Claim(
        "recipe_unscaled_lags",
        "At the same eta a larger batch ends with a higher training loss than B = 32",
        "no scaling, no shown run diverged, the worst larger batch's loss > 1.1 x B = 32's",
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
        "always (rule of thumb; the figures are core.mlp's arrays)",
    ),
    Claim(
        "update_cost_shared",
        "A larger batch cost less time per example: a fixed part of each update is shared",
        "two runs that did every epoch of >= 2; time ratio < batch ratio (fitted fixed part > 0)",
    ),
    Claim(
        "update_cost_not_shared",
        "A larger batch did not cost less per example (timing on a shared machine)",
        "two runs that did every epoch of >= 2; time ratio >= batch ratio",
    ),
    Claim(
        "loss_spread",
        "How far apart the final training losses of the runs that did not diverge are",
        "at least two shown runs did not diverge",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def _recipe(key: str, status: str, text: str, **values) -> Fact:
    return _fact(key, text, slot="recipe", status=status, **values)


def facts(config, result: Result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _warnings(config, result)
    out += _answer(config, result)
    out += _noise(config, result)
    out += _memory(config, result)
    out += _time(config, result)
    out += _recipe_items(config, result)
    out += _notices(config, result)
    return out


# ---- formatting ------------------------------------------------------------------------------------


def b(label: str) -> str:
    """'B = 32', 'B = full (280)'."""
    return f"B = {label}"


def duration(seconds: float) -> str:
    """A measured time with three significant digits, in µs, ms or s."""
    if seconds < 1e-3:
        return f"{num(seconds * 1e6)} µs"
    if seconds < 1.0:
        return f"{num(seconds * 1e3)} ms"
    return f"{num(seconds)} s"


def plural(count: int, word: str) -> str:
    """'1 update', '180 updates' (thousands separated)."""
    return f"{count:,} {word}{'s' * (count != 1)}"


def minus(x: float) -> str:
    """A slope with three decimals and a typographic minus: '−1.055'."""
    return f"{x:.3f}".replace("-", "−")


def kib(n_bytes: float) -> str:
    return f"{n_bytes / 1024:,.1f} KiB"


def finished(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of runs that did not diverge."""
    return table[~table["diverged"]]


def rose(row) -> bool:
    return (not row["diverged"]) and row["train_loss"] > row["start_train_loss"]


def accuracy_se(p: float, n_test: int) -> float:
    """Standard error of an accuracy p measured on n_test points, sqrt(p (1 - p) / n)."""
    return math.sqrt(max(p * (1.0 - p), 0.0) / n_test)


def _etas(rows: pd.DataFrame) -> str:
    return listing([f"{b(r['label'])} (η = {num(r['learning_rate'])})" for _, r in rows.iterrows()])


# ---- warnings --------------------------------------------------------------------------------------


def _stopped(row) -> str:
    epoch = int(row["epochs_done"]) + 1
    return f"{b(row['label'])} at update {int(row['updates']):,} in epoch {epoch}"


def _warnings(config, result) -> list[Fact]:
    s = result.summary
    out = []
    diverged = s[s["diverged"]]
    if len(diverged):
        scaled_up = bool((diverged["learning_rate"] > config.learning_rate).any())
        fix = "lower η" + (
            ", or cap the scaled η (or warm it up): the rule took "
            + ("it" if len(diverged) == 1 else "some of them")
            + f" above the η = {num(config.learning_rate)} set for B = {REFERENCE_BATCH}"
            if scaled_up
            else ""
        )
        out.append(
            _fact(
                "diverged",
                f"**Diverged: {_etas(diverged)}.** A mini-batch loss passed "
                f"10⁶ × its start (or became non-finite), so training stopped: "
                f"{listing([_stopped(r) for _, r in diverged.iterrows()])}. To fix it: {fix}.",
                slot=WARNING,
                keys=tuple(diverged["key"]),
                scaled_up=scaled_up,
            )
        )
    up = s[[rose(row) for _, row in s.iterrows()]]
    if len(up):
        names = listing([b(label) for label in up["label"]])
        ends = listing(
            [f"{num(r['train_loss'])} (η = {num(r['learning_rate'])})" for _, r in up.iterrows()]
        )
        out.append(
            _fact(
                "rose",
                f"**{names} ended above where {'it' if len(up) == 1 else 'they'} started:** "
                f"training loss {ends} after {plural(config.epochs, 'epoch')}, against "
                f"{num(up['start_train_loss'].iloc[0])} at the start. The steps made the loss "
                "worse without passing the divergence threshold.",
                slot=WARNING,
                keys=tuple(up["key"]),
            )
        )
    return out


# ---- the prediction --------------------------------------------------------------------------------


def _answer(config, result) -> list[Fact]:
    t = result.trained.set_index("key").loc[list(PREDICT_KEYS)]
    ok = finished(t)
    if ok.empty:
        return [
            _fact(
                "prediction_all_diverged",
                f"**Every run of the prediction diverged** ({_etas(t.reset_index())}), so none "
                "ended with a training loss to compare. Lower η.",
                slot=WARNING,
            )
        ]
    best = str(ok["train_loss"].idxmin())
    counts = listing(
        [
            f"{b(t.loc[k, 'label'])} "
            + (
                f"diverged at update {int(t.loc[k, 'updates']):,}"
                if t.loc[k, "diverged"]
                else f"made {plural(int(t.loc[k, 'updates']), 'update')}"
            )
            for k in PREDICT_KEYS
        ]
    )
    eta = (
        f"at the same η = {num(config.learning_rate)}"
        if config.scaling == "none"
        else f"with η scaled by the {config.scaling} rule ("
        + ", ".join(num(t.loc[k, "learning_rate"]) for k in PREDICT_KEYS)
        + ")"
    )
    losses = ", ".join(f"{b(t.loc[k, 'label'])}: {num(t.loc[k, 'train_loss'])}" for k in ok.index)
    text = (
        f"After {plural(config.epochs, 'epoch')} {eta}, {counts}. "
        f"**{b(t.loc[best, 'label'])}** ended with the lowest training loss ({losses})."
    )
    values = dict(answer=OPTIONS[best], best=best)
    loss = t["train_loss"]
    if len(ok) == 3 and loss["1"] < loss["32"] < loss["full"]:
        key = "answer_more_updates"
        text += " Per epoch, the more (smaller, noisier) updates went further."
    elif len(ok) == 3 and loss["full"] < loss["32"] < loss["1"]:
        key = "answer_fewer_updates"
        text += (
            " Here the fewer, larger updates went further: more updates help only while each "
            "one still lowers the loss."
        )
    else:
        key = "answer_other_order"
    return [_fact(key, text, slot=ANSWER, **values)]


# ---- gradient noise --------------------------------------------------------------------------------


def slope_se(variance: pd.DataFrame, n_train: int) -> float:
    """Standard error of the fitted log-log slope: the fit is a linear combination of the
    log variances, each with relative error measured_se / measured (independent draws)."""
    rows = variance[variance["batch_size"] <= n_train // 4]
    x = np.log(rows["batch_size"].to_numpy(dtype=float))
    weights = (x - x.mean()) / np.sum((x - x.mean()) ** 2)
    relative = rows["measured_se"].to_numpy() / rows["measured"].to_numpy()
    return float(np.sqrt(np.sum((weights * relative) ** 2)))


def ratio_formula(n: int) -> float:
    """RMS deviation at B = 1 over that at B = 32 by the formula: sqrt(32 (n - 1) / (n - 32))."""
    return math.sqrt(32 * (n - 1) / (n - 32))


def _noise(config, result) -> list[Fact]:
    v = result.variance.set_index("key")
    n, draws = result.n_train, result.noise_draws
    slope, theory = result.noise_slope, result.theory_slope
    out = []
    if math.isfinite(slope) and math.isfinite(theory):
        se = slope_se(result.variance, n)
        top = int(result.variance.loc[result.variance["batch_size"] <= n // 4, "batch_size"].max())
        head = (
            f"The mini-batch gradient's variance fell with a fitted log-log slope of "
            f"{minus(slope)} over B = 1 to {top} (± {se:.3f}, one standard error from {draws} "
            f"draws per size). Drawn without replacement from n = {n}, the formula σ²/B · "
            f"(n − B)/(n − 1) gives {minus(theory)} over the same B: −1 only when B ≪ n."
        )
        if abs(slope - theory) <= AGREES_SE * se:
            out.append(
                _fact(
                    "noise_slope_agrees",
                    head + " The two agree within two standard errors.",
                    slot="noise",
                    slope=slope,
                    theory=theory,
                    se=se,
                )
            )
        else:
            out.append(
                _fact(
                    "noise_slope_differs",
                    head + f" They differ by {abs(slope - theory) / se:.1f} standard errors: with "
                    f"{draws} draws per size the fitted slope lands two or more standard errors "
                    "from the formula's in about one run in twenty.",
                    slot="noise",
                    slope=slope,
                    theory=theory,
                    se=se,
                )
            )
    rms1, rms32 = float(v.loc["1", "std"]), float(v.loc["32", "std"])
    if rms1 > 0 and rms32 > 0:
        formula = ratio_formula(n)
        out.append(
            _fact(
                "noise_ratio",
                f"RMS deviation √E‖g_B − g‖²: {num(rms1)} at B = 1 and {num(rms32)} at B = 32, "
                f"{rms1 / rms32:.2f}× smaller (estimated from {draws} draws). The formula gives "
                f"√(32 · (n − 1)/(n − 32)) = {formula:.2f} at n = {n}; √32 ≈ 5.66 leaves out the "
                "finite-population factor.",
                slot="noise",
                ratio=rms1 / rms32,
                formula=formula,
            )
        )
    return out


# ---- memory ----------------------------------------------------------------------------------------


def _memory(config, result) -> list[Fact]:
    m = result.memory.set_index("key")
    d, *hidden, k = result.sizes
    per_example = int(m["activation_bytes"].iloc[0] // m["batch_size"].iloc[0])
    step = int(m["step_bytes"].iloc[0] // m["batch_size"].iloc[0])
    full = m.loc["full"]
    terms = " + ".join([str(d), *[f"2·{h}" for h in hidden], str(k)])
    return [
        _fact(
            "memory",
            f"Forward cache of this net: 8 bytes × B × ({terms}) = {per_example:,}·B bytes, "
            f"{kib(full['activation_bytes'])} for {b(full['label'])}. One update needs more at "
            f"its peak: the backward pass's temporaries add {step - per_example:,} bytes per "
            "example (dz, da = dz·Wᵀ and f′(z) of the widest step, and dL/dlogits), "
            f"{step:,}·B bytes in all ({step / per_example:.2f}× the cache). Parameters, "
            "gradients and optimizer "
            f"state take {kib(full['parameter_bytes'])} at every B.",
            slot="memory",
            per_example=per_example,
            step=step,
        )
    ]


# ---- time to the target ----------------------------------------------------------------------------


def _time(config, result) -> list[Fact]:
    s = result.summary
    ok = finished(s)
    if ok.empty:
        return []
    best = ok.loc[ok["test_accuracy"].idxmax()]
    target = float(s["target_accuracy"].iloc[0])
    out = [
        _fact(
            "time_target",
            f"Target: {target:.1%} test accuracy, one point below the best final test accuracy "
            f"of the runs shown ({best['test_accuracy']:.1%}, {b(best['label'])}). Times are "
            "read at the end of each epoch and measured once on a shared server"
            + (
                "; the first epoch's is the median of the others (its own clock includes an "
                "evaluation of the training set)."
                if config.epochs > 1
                else "; with one epoch they include an evaluation of the training set before "
                "the first update."
            ),
            slot="time",
            target=target,
        )
    ]
    never = s[s["seconds_to_target"].isna()]
    if len(never):
        slow = [b(label) for label in never.loc[~never["diverged"], "label"]]
        lost = [b(label) for label in never.loc[never["diverged"], "label"]]
        parts = []
        if slow:
            parts.append(
                f"Never reached the target in {plural(config.epochs, 'epoch')}: {listing(slow)}"
            )
        if lost:
            it = "it" if slow else "the target"
            parts.append(f"{'d' if slow else 'D'}iverged before reaching {it}: {listing(lost)}")
        out.append(
            _fact(
                "time_never",
                "; ".join(parts) + ".",
                slot="time",
                keys=tuple(never["key"]),
            )
        )
    return out


# ---- the recipe ------------------------------------------------------------------------------------


def _recipe_items(config, result) -> list[Fact]:
    s = result.summary.set_index("key")
    ok = finished(s)
    out = _start(result, ok)
    if len(ok):
        out += _best_and_gap(result, ok)
        out += _first(config, ok)
    out += _scaling(config, s, ok)
    largest = s.loc[s["batch_size"].idxmax()]
    m = result.memory.set_index("key").loc[largest.name]
    out.append(
        _recipe(
            "recipe_memory",
            "info",
            f"**Memory caps the batch**: {b(largest['label'])} keeps "
            f"{kib(m['activation_bytes'])} of forward activations for this net (one update "
            f"peaks at {kib(m['step_bytes'])}), {int(largest['batch_size'])}× one example's; "
            "halve B when a step does not fit.",
        )
    )
    return out


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
    parts = "test accuracy " + listing([f"{acc:.1%} at B = {k}" for k, acc in reached.items()])
    parts += f" ({diverged})" if diverged else ""
    if max(reached.values()) >= best - se:
        return [
            _recipe(
                "recipe_start_ok",
                "ok",
                f"**Start at 32 or 64**: {parts}, within one standard error "
                f"(±{100 * se:.1f} points on {result.n_test} test points) of the best, "
                f"{best:.1%}.",
                **values,
            )
        ]
    return [
        _recipe(
            "recipe_start_far",
            "warn",
            f"**Start at 32 or 64, but expect to move**: here {parts}, more than "
            f"one standard error (±{100 * se:.1f} points) below the best, {best:.1%}.",
            **values,
        )
    ]


def _best_and_gap(result, ok) -> list[Fact]:
    best = float(ok["test_accuracy"].max())
    se = accuracy_se(best, result.n_test)
    top = ok[ok["test_accuracy"] >= best - se]
    lead = ok.loc[ok["test_accuracy"].idxmax(), "label"]
    tied = [b(label) for label in top["label"] if label != lead]
    text = (
        f"**Double or halve while watching train and test curves**: the best test accuracy here "
        f"is {best:.1%} ({b(lead)})"
        + (
            f"; {listing(tied)} {'is' if len(tied) == 1 else 'are'} within one standard error "
            f"of it (±{100 * se:.1f} points on {result.n_test} test points), so this test set "
            "cannot rank them."
            if tied
            else f", more than one standard error (±{100 * se:.1f} points) above the others."
        )
    )
    if len(ok) == 1:
        text = (
            f"**Double or halve while watching train and test curves**: {b(lead)}, the only "
            f"run shown that did not diverge, reaches {best:.1%} test accuracy (±{100 * se:.1f} "
            f"points, one standard error on {result.n_test} test points)."
        )
    out = [_recipe("recipe_best", "info", text, best=best, se=se, tied=tuple(top.index))]
    gap = ok["gap_accuracy"]
    if (gap > 0).any():
        worst = ok.loc[gap.idxmax()]
        out.append(
            _recipe(
                "recipe_gap",
                "info",
                f"The largest train–test accuracy gap is {100 * worst['gap_accuracy']:+.1f} "
                f"points, at {b(worst['label'])}.",
                run=worst.name,
                gap=float(worst["gap_accuracy"]),
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


def _first(config, ok) -> list[Fact]:
    times = ok["seconds_to_target"].dropna().sort_values()
    if times.empty or config.epochs < 2:  # one epoch's clock includes an evaluation
        return []
    first = ok.loc[times.index[0]]
    updates = int(first["updates_to_target"])
    reached = (
        f"{b(first['label'])} reached {first['target_accuracy']:.1%} test accuracy after "
        f"{duration(first['seconds_to_target'])} of training ({plural(updates, 'update')})"
    )
    later = (
        " (it then ended above its starting loss: keep the early model or lower η)"
        if rose(first)
        else ""
    )
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
                "ok",
                f"**Prefer the batch size that gets there first**: {reached}{later}{runner}.",
                run=first.name,
            )
        ]
    close = times[times <= times.iloc[0] / FIRST]
    names = listing([f"{b(ok.loc[k, 'label'])} ({duration(t)})" for k, t in close.items()])
    return [
        _recipe(
            "recipe_time_tie",
            "info",
            f"**Prefer the batch size that gets there first**: {names} reached the target "
            f"({first['target_accuracy']:.1%} test accuracy) within {1 / FIRST - 1:.0%} of the "
            "fastest one's time: too close to rank with one timing each on a shared server.",
            keys=tuple(close.index),
        )
    ]


def _scaling(config, s, ok) -> list[Fact]:
    diverged = s[s["diverged"]]
    if len(diverged):
        scaled_up = bool((diverged["learning_rate"] > config.learning_rate).any())
        fix = "lower η" + (", or cap the scaled η or warm it up" if scaled_up else "")
        return [
            _recipe(
                "recipe_diverged",
                "warn",
                f"**Scale the learning rate, but not without limit**: {_etas(diverged)} "
                f"diverged; {fix}.",
                scaled_up=scaled_up,
            )
        ]
    if config.scaling != "none":
        if len(ok) < 2:
            return [_unchecked("select two or more batch sizes")]
        spread = float(ok["train_loss"].max() / ok["train_loss"].min())
        rule = f"{config.scaling} rule"
        if spread <= ALIGNED:
            return [
                _recipe(
                    "recipe_scaled_aligned",
                    "ok",
                    f"**Scale the learning rate with the batch** ({rule}): the final training "
                    f"losses span a factor of {spread:.2f} across the batch sizes shown, within "
                    f"{ALIGNED}.",
                    spread=spread,
                )
            ]
        adam = (
            " The linear rule was derived for SGD; for Adam a √ rule is the usual starting point."
            if config.optimizer == "adam" and config.scaling == "linear"
            else ""
        )
        return [
            _recipe(
                "recipe_scaled_apart",
                "warn",
                f"**Scale the learning rate with the batch** ({rule}): here the final training "
                f"losses span a factor of {spread:.2f}, more than {ALIGNED}: the rule did not "
                f"keep the runs together.{adam}",
                spread=spread,
            )
        ]
    ref = str(REFERENCE_BATCH)
    big = ok[ok["batch_size"] > REFERENCE_BATCH]
    if ref not in ok.index or big.empty:
        return [_unchecked("select 32 and a larger batch")]
    worst = big.loc[big["train_loss"].idxmax()]
    ratio = float(worst["train_loss"] / ok.loc[ref, "train_loss"])
    updates = (
        f"{plural(int(worst['updates']), 'update')} instead of {int(ok.loc[ref, 'updates']):,}"
    )
    if ratio > LAGS:
        return [
            _recipe(
                "recipe_unscaled_lags",
                "warn",
                f"**Scale the learning rate with the batch**: at the same η, {b(worst['label'])} "
                f"ends with {ratio:.2f}× the training loss of B = 32 after "
                f"{plural(config.epochs, 'epoch')} ({updates}). Try scaling η with B (the linear "
                "rule for SGD).",
                ratio=ratio,
                run=worst.name,
            )
        ]
    return [
        _recipe(
            "recipe_unscaled_no_lag",
            "info",
            f"**Scale the learning rate with the batch**: at the same η no larger batch ends more "
            f"than {LAGS - 1:.0%} above B = 32 here (the highest, {b(worst['label'])}, at "
            f"{ratio:.2f}× with {updates}): fewer updates did not cost it at this η.",
            ratio=ratio,
            run=worst.name,
        )
    ]


def _unchecked(what: str) -> Fact:
    return _recipe(
        "recipe_scaling_unchecked",
        "info",
        f"**Scale the learning rate with the batch**: {what} to check it.",
    )


# ---- what to notice --------------------------------------------------------------------------------


def examples_per_update(row, n_train: int) -> float:
    """Examples an update of this run processed on average: n / ceil(n / B) (an epoch's last
    batch holds the remainder, so B = 256 of n = 280 averages 140)."""
    return n_train / int(row["updates_per_epoch"])


def _uneven(row, examples: float) -> str:
    if examples == row["batch_size"]:
        return ""
    return (
        f" (on average {num(examples)} examples per update, as an epoch ends with a smaller batch)"
    )


def complete(s: pd.DataFrame, epochs: int) -> pd.DataFrame:
    """Runs that did every epoch without diverging and whose training time was measured (two
    epochs or more: a lone first epoch's clock includes an evaluation)."""
    if epochs < 2:
        return s.iloc[0:0]
    return s[(~s["diverged"]) & (s["epochs_done"] == epochs) & (s["seconds"] > 0)]


def _notices(config, result) -> list[Fact]:
    s = result.summary
    out = []
    timed = complete(s, config.epochs)
    if len(timed) >= 2:
        small, large = timed.iloc[0], timed.iloc[-1]
        S, L = (
            examples_per_update(small, result.n_train),
            examples_per_update(large, result.n_train),
        )
        t_s, t_l = float(small["seconds_per_update"]), float(large["seconds_per_update"])
        fixed = (t_s * L - t_l * S) / (L - S)
        per_example = (t_l - t_s) / (L - S)
        epoch = {k: r["seconds"] / config.epochs for k, r in timed.iterrows()}
        text = (
            f"One update took {duration(t_s)} at {b(small['label'])} and {duration(t_l)} at "
            f"{b(large['label'])}{_uneven(large, L)}, measured once each on this shared "
            f"server: {L / S:.3g}× the examples per update for {t_l / t_s:.3g}× the time. An "
            f"epoch took {duration(epoch[small.name])} and {duration(epoch[large.name])}."
        )
        values = dict(fixed=fixed, per_example=per_example, examples=(S, L))
        if t_l / t_s < L / S:
            line = (
                f" A line through the two puts {duration(fixed)} of each update in a fixed cost "
                "(Python and NumPy calls per layer, whatever the batch)"
                + (f" and {duration(per_example)} per example" if per_example > 0 else "")
                + ": a larger batch shares the fixed part among more examples."
            )
            out.append(_fact("update_cost_shared", text + line, **values))
        else:
            out.append(
                _fact(
                    "update_cost_not_shared",
                    text + " Per example the larger batch was no cheaper in this timing (one "
                    "measurement each: a busy server can slow either run).",
                    **values,
                )
            )
    ok = finished(s)
    if len(ok) >= 2:
        low, high = ok.loc[ok["train_loss"].idxmin()], ok.loc[ok["train_loss"].idxmax()]
        spread = float(high["train_loss"] / low["train_loss"])
        rule = "the same η" if config.scaling == "none" else f"the {config.scaling} scaling rule"
        out.append(
            _fact(
                "loss_spread",
                f"With {rule}, the final training losses of the {len(ok)} runs that did not "
                f"diverge span a factor of {spread:.2f}: from {num(low['train_loss'])} at "
                f"{b(low['label'])} to {num(high['train_loss'])} at {b(high['label'])}.",
                spread=spread,
            )
        )
    return out
