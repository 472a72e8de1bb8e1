"""What an activations run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

from core.activations import ACTIVATIONS
from core.experiments.activations.experiment import NORM_DEPTH, dead_run_names, kink_at_zero
from core.facts import (
    ANSWER,
    WARNING,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    inside_unit,
    listing,
    minus,
    num,
    padded,
    read,
    significant,
    tex_number,
    tooltip_text,
    up,
)

COLLAPSE_OPTIONS = ("Yes: depth adds curvature", "No: it stays one straight line")
# The deep linear net and its single map agree to round-off: this many times the output scale.
ROUND_OFF = 1e-9
# "Near mean 0 and std 1": within this of both, at every layer.
BAND = 0.1
SELU_LECUN = "SELU + LeCun normal"
# The activations whose shape has a corner candidate at 0 (one-sided derivatives compared).
PIECEWISE = ("relu", "leaky_relu", "prelu", "elu")
ONE_SIDE = 1e-12
# Below this slope, slope × a gradient of 1e-8 falls under float64's normal range (~2.2e-308).
UNDERFLOW_SLOPE = 1e-300

CLAIMS = Claims(
    Claim(
        "training_diverged",
        "An activation's training run diverged (its curves stop at the last finite epoch)",
        "that run's loss or gradient became non-finite or exploded",
    ),
    Claim(
        "collapse_answer",
        "A stack of linear layers is one affine map x·W + b: its boundary is a straight line "
        "(the prediction's answer), with the measured round-off",
        "always (a theorem); the measured gap is <= 1e-9 x the output scale",
    ),
    Claim(
        "lowest_highest_loss",
        "Which activation reached the lowest and the highest training loss",
        "at least two runs of the group did not diverge (argmin and argmax over those); where "
        "every such run's test error is within one SE of a constant guess of the test set's "
        "most common class, or above it, the sentence says the ranking shows nothing",
    ),
    Claim(
        "tanh_below_sigmoid",
        "tanh ended at a lower training loss than sigmoid (zero-centred outputs and slope 1 at "
        "0 given as the reason only where tanh learned something and sigmoid did not end above "
        "its start)",
        "classic group, neither diverged, tanh's final loss < sigmoid's; the reason named as "
        "this run's unless tanh's test error is within one SE (sqrt(e (1 - e) / n)) of a "
        "constant guess of the test set's most common class, or above it ('within one SE' "
        "said only where it is), nor where sigmoid's final training loss is above its loss at "
        "the start (epoch 0): then the run is said not to show tanh training faster",
    ),
    Claim(
        "sigmoid_below_tanh",
        "sigmoid ended at or below tanh: 'tanh trains faster' is a tendency (the run offered "
        "as a case of it only where sigmoid learned something)",
        "classic group, neither diverged, sigmoid's final loss <= tanh's; the run said to show "
        "nothing about speed where sigmoid's test error is within one SE (sqrt(e (1 - e) / n)) "
        "of a constant guess of the test set's most common class, or above it",
    ),
    Claim(
        "prelu_learned",
        "PReLU's learned negative slopes, one per hidden layer (for a run that diverged, its "
        "last finite weights' slopes, named so)",
        "PReLU is in the group",
    ),
    Claim(
        "dead_report",
        "Fraction of hidden units off (z <= 0 on every training point) at the end of each run",
        "always (reports the run; a diverged run is named, with its last completed epoch or, "
        "if it completed none, its initialization)",
    ),
    Claim(
        "more_dead_at_large_lr",
        "The larger learning rate left more ReLUs dead",
        "large eta > eta, neither ReLU run diverged, off_end(large) > off_end(small)",
    ),
    Claim(
        "not_more_dead_at_large_lr",
        "The larger learning rate did not leave more ReLUs dead here",
        "large eta > eta, neither ReLU run diverged, off_end(large) <= off_end(small)",
    ),
    Claim(
        "dead_revived",
        "Some ReLUs found dead at a check (the start or an epoch's end) were active at the end",
        "a ReLU run has a unit off at some recorded epoch and on at the last one; 'earlier "
        "layers' named as a way back only with more than one hidden layer",
    ),
    Claim(
        "dead_stayed",
        "Every ReLU found dead at a check (the start and every epoch's end) was off at the end "
        "(none was on at a later check, or it says how many were; units off only between checks "
        "are not seen)",
        "some ReLU unit was off at a recorded epoch, and every such unit is off at the end; "
        "'stayed off' only if none was on at a later recorded epoch; 'earlier layers' named "
        "only with more than one hidden layer",
    ),
    Claim(
        "no_dead_relus",
        "No ReLU was off on every training point at any epoch's end (checked once per epoch)",
        "both ReLU runs have no unit off at any recorded epoch",
    ),
    Claim(
        "leaky_keeps_gradient",
        "Leaky ReLU's derivative is never below its slope: its units below zero still pass "
        "slope x their gradient",
        "negative_slope > 0 (min over x of leaky_relu'(x) = slope)",
    ),
    Claim(
        "leaky_is_relu",
        "With slope 0 leaky ReLU is ReLU",
        "negative_slope == 0",
    ),
    Claim(
        "selu_normalized",
        "SELU + LeCun stayed near mean 0 and std 1 through all 50 layers",
        "SELU + LeCun within 0.1 of mean 0 and std 1 at every layer",
    ),
    Claim(
        "others_drifted",
        "None of the other settings ended near mean 0 and std 1",
        "every other setting more than 0.1 off mean 0 or std 1 at layer 50",
    ),
    Claim(
        "selu_drifted",
        "SELU + LeCun drifted from mean 0 and std 1 (finite width)",
        "SELU + LeCun more than 0.1 off (mean or std) at some layer",
    ),
    Claim(
        "selu_fixed_point",
        "For z ~ N(0, 1) SELU(z) has mean 0 and variance 1; with lambda on x > 0 only it does not",
        "always (closed form of the Gaussian moments, evaluated in float64)",
    ),
    Claim(
        "self_norm_report",
        "The other settings' statistics at layer 50",
        "always (reports the run)",
    ),
    Claim(
        "selu_he_grew",
        "With He init SELU's std grew from layer 1 to layer 50",
        "SELU + He std at layer 50 > at layer 1",
    ),
    Claim(
        "selu_he_did_not_grow",
        "With He init SELU's std did not grow from layer 1 to 50 here",
        "SELU + He std at layer 50 <= at layer 1 (or not finite)",
    ),
    Claim(
        "kinks",
        "Which of ReLU, leaky ReLU, PReLU and ELU have a kink at 0 at these settings",
        "a kink is listed iff f'(0-) != f'(0+) for the slider values",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _diverged(config, result)
    out += _shapes(config)
    out += _collapse(config, result)
    out += _training(config, result)
    out += _dead_units(config, result)
    out += _self_norm(config, result)
    return out


def label(name: str) -> str:
    return ACTIVATIONS[name].label


def _diverged(config, result) -> list[Fact]:
    out = []
    for row in result.summary.itertuples():
        if row.diverged:
            out.append(
                _fact(
                    "training_diverged",
                    f"**{label(row.activation)} diverged** at update {row.updates} "
                    f"({row.stopped_reason}): its curves stop at the last epoch it completed, "
                    "and its boundary is drawn with the last finite weights.",
                    slot=WARNING,
                    activation=row.activation,
                )
            )
    return out


def one_sided(name: str, kw: dict) -> tuple[float, float]:
    """f'(0-) and f'(0+) of activation ``name`` with the sliders' parameters."""
    grad = ACTIVATIONS[name].grad
    return float(grad(np.array(-ONE_SIDE), **kw)), float(grad(np.array(ONE_SIDE), **kw))


def _shapes(config) -> list[Fact]:
    kinked, smooth = [], []
    for name in PIECEWISE:
        # the same test as the f'(x) chart's tooltip at 0 (experiment.activation_shapes)
        corner = kink_at_zero(name, config.activation_kw(name))
        (kinked if corner else smooth).append(name)

    def shown(names):
        items = []
        for name in names:
            value = {
                "leaky_relu": f"slope {config.negative_slope:g}",  # plain-format: a setting
                "prelu": f"a = {config.prelu_init:g}",  # plain-format: a setting
                "elu": f"α = {config.elu_alpha:g}",  # plain-format: a setting
            }.get(name)
            items.append(label(name) + (f" ({value})" if value else ""))
        return listing(items)

    def verb(names):
        return "has" if len(names) == 1 else "have"

    if kinked:
        text = (
            f"At these settings {shown(kinked)} {verb(kinked)} a kink at 0: the derivative "
            "jumps from the negative side's slope to 1"
        )
    else:
        text = "At these settings none of them has a kink at 0"
    if smooth:
        text += f"; {shown(smooth)} {verb(smooth)} none (the slopes on both sides meet at 0)"
    return [_fact("kinks", text + ".", slot="shapes", kinked=tuple(kinked))]


def _collapse(config, result) -> list[Fact]:
    cm = result.collapse_map
    return [
        _fact(
            "collapse_answer",
            f"A composition of affine maps is affine: the {cm['depth']} layers multiply out to "
            "one map x·W + b, so its decision boundary f(x) = 0 is a straight line, and extra "
            "layers add parameters, not expressive power. Here the deep net and that single map "
            # both bounds at 2 digits with their zeros: ?ldepth=2 printed "at most 2e-16 …
            # outputs up to 0.28", a bound of 2.0e-16 read at one digit beside two, and
            # ?ldepth=20 "outputs up to 0.4" for 0.40 (audit pass 69 h)
            f"differ by at most {padded(up(cm['max_abs_diff'], 2), 2)} over the test points "
            f"(float64 round-off; outputs up to {padded(up(cm['scale'], 2), 2)} in size).",
            slot=ANSWER,
            answer=COLLAPSE_OPTIONS[1],
            max_abs_diff=cm["max_abs_diff"],
        )
    ]


COLLAPSE_DIGITS = 4  # significant digits of the single map's coefficients in its formula


def rose_above_start(result, activation: str) -> bool:
    """Whether ``activation``'s run ended at a higher training loss than it started with (epoch
    0): its training went wrong at this step size, which a slow start does not explain."""
    tr = result.training[result.training["activation"] == activation].sort_values("epoch")
    losses = tr["train_loss"].to_numpy(dtype=float)
    return len(losses) > 1 and bool(losses[-1] > losses[0])


def sigmoid_rose_above_start(result) -> bool:
    """Whether sigmoid's run ended above its starting training loss (:func:`rose_above_start`)."""
    return rose_above_start(result, "sigmoid")


def tanh_rose_above_start(result) -> bool:
    """Whether tanh's run ended above its starting training loss (:func:`rose_above_start`)."""
    return rose_above_start(result, "tanh")


def tanh_at_chance(result) -> tuple[int, int, int] | None:
    """(test points tanh gets right, test points, those a constant guess of the test set's most
    common class gets right) when tanh's test error is not more than one standard error
    √(e(1 − e)/n) below the constant guess's, else None."""
    return at_chance(result, "tanh")


def at_chance(result, activation: str, *, by_loss: bool = True) -> tuple | None:
    """(test points ``activation``'s run gets right, test points, those a constant guess of the
    test set's most common class gets right, its final training loss where that is what shows it
    learned nothing, else None) when its test error is not more than one standard error
    √(e(1 − e)/n) below the constant guess's, or (``by_loss``) when its final training loss is not
    below ln 2, the loss of always predicting ½, which no constant guess's loss exceeds: circles,
    η = 0.001, 10 epochs, 1 hidden layer of 4, seed 5 ended sigmoid at 0.715 (above ln 2) with 35
    of 60 test points right, a guess's 30, and the page offered it as a counterexample to 'tanh
    trains faster' (audit pass 62 b); else None."""
    labels = result.points["label"].to_numpy()
    n = len(labels)
    guess = int(np.unique(labels, return_counts=True)[1].max())
    row = result.summary.set_index("activation").loc[activation]
    accuracy = float(row["test_accuracy"])
    right = round(accuracy * n)
    error = 1 - right / n
    if error + math.sqrt(error * (1 - error) / n) < 1 - guess / n:
        loss = float(row["final_train_loss"])
        if by_loss and math.isfinite(loss) and loss >= math.log(2):
            return right, n, guess, loss
        return None
    return right, n, guess, None


def chance_words(name: str, right: int, n: int, guess: int, loss=None, digits: int = 3) -> str:
    """The clause "<name> gets right of the n test points right, <how it compares> always guessing
    the test set's most common class (guess of n)" for a run ``at_chance`` returned: "within one
    standard error of" only where it is (√(e(1 − e)/n) of its error e), else "more than one
    standard error below" (``at_chance`` leaves no run above by more), or, for a run more than one
    standard error above whose training loss ``loss`` is not below ln 2, that loss beside ln 2. Moons, η = 0.003, 5
    epochs, 1 hidden layer of 4, seed 1: tanh's 17 of 60 was said to be "within one standard
    error of always guessing" 30 of 60, 3.7 standard errors below (audit pass 60 f)."""
    error = 1 - right / n
    se = math.sqrt(error * (1 - error) / n)
    within = abs((1 - guess / n) - error) <= se
    if loss is not None:  # above the guess on the test points, not below it in training loss
        shown, ln2 = apart(loss, math.log(2), digits=digits)
        return (
            f"{name} gets {right} of the {n} test points right, more than one standard error "
            f"above always guessing the test set's most common class ({guess} of {n}), but its "
            f"training loss {shown} is {'above' if loss > math.log(2) else 'at'} ln 2 ≈ {ln2}, "
            "the loss of always predicting ½"
        )
    how = "within one standard error of" if within else "more than one standard error below"
    return (
        f"{name} gets {right} of the {n} test points right, {how} always guessing the test "
        f"set's most common class ({guess} of {n})"
    )


def collapse_latex(cm) -> tuple[str, str | None]:
    """The single affine map the deep linear net folds into, as the page's formula prints it,
    and the note on its rounding (None when the printed coefficients are the exact ones).

    The first line (x W_1 ⋯ W_L + b) is exact; the second prints w1, w2 and b at
    :data:`COLLAPSE_DIGITS` significant digits, so it is "≈" unless every printed coefficient is
    the exact value: "= 0.3257 x_1 − 0.1268 x_2 − 0.12499" beside collapse_answer's "differ by
    at most 4.5e-16" was a map 1.1e-4 away from the deep net's outputs (Config(), audit pass 44).
    """
    depth = cm["depth"]
    # W_1 W_2 for two layers, not "W_1 W_2 ⋯ W_2"
    product = (
        " ".join(f"W_{k}" for k in range(1, depth + 1))
        if depth <= 3
        else rf"W_1 W_2 \cdots W_{{{depth}}}"
    )
    terms = (
        tex_number(cm["w1"], COLLAPSE_DIGITS),
        tex_number(cm["w2"], COLLAPSE_DIGITS, "+"),
        tex_number(cm["b"], COLLAPSE_DIGITS, "+"),
    )
    exact = all(
        _tex_value(t) == Decimal(repr(float(cm[k])))
        for t, k in zip(terms, ("w1", "w2", "b"), strict=True)
    )
    relation = "=" if exact else r"\approx"
    latex = (
        rf"\begin{{aligned}} f(x) &= x\, {product} + b \\ "
        rf"&{relation} {terms[0]}\,x_1 {terms[1]}\,x_2 {terms[2]} "
        r"\end{aligned}"
    )
    note = (
        None
        if exact
        else f"w₁, w₂ and b are printed rounded, to {COLLAPSE_DIGITS} significant digits or "
        "more (hence ≈): the deep net equals the unrounded map up to round-off, not the rounded "
        "one."
    )
    return latex, note


def _tex_value(text: str) -> Decimal:
    """The number a :func:`core.facts.tex_number` text prints (a power of ten written out)."""
    mantissa, _, power = text.replace(" ", "").partition(r"\times10^")
    value = Decimal(mantissa.removeprefix("+"))
    return value.scaleb(int(power.strip("{}"))) if power else value


def collapse_texts(collapse) -> tuple[list[str], list[str]]:
    """The collapse scatter's tooltip texts of each point's deep-net and single-map outputs: 6
    decimals, more for a pair that would print further apart than collapse_answer's bound "differ
    by at most up(max |deep − collapsed|, 2)" (two outputs 1e-16 apart either side of a
    6th-decimal half point print 1e-6 apart)."""
    deep = [float(v) for v in collapse["deep"]]
    flat = [float(v) for v in collapse["collapsed"]]
    diffs = [abs(a - b) for a, b in zip(deep, flat, strict=True) if math.isfinite(a - b)]
    bound = Decimal(up(max(diffs, default=0.0), 2))
    deep_texts, flat_texts = [], []
    for a, b in zip(deep, flat, strict=True):
        for q in range(6, 18):
            texts = (decimals(a, q), decimals(b, q))
            try:
                if abs(Decimal(texts[0]) - Decimal(texts[1])) <= bound:
                    break
            except InvalidOperation:
                break
        deep_texts.append(texts[0])
        flat_texts.append(texts[1])
    return deep_texts, flat_texts


def loss_digits(result) -> int:
    """Significant digits (3 or more) at which the final training losses of the runs that did not
    diverge all print apart: the ranking sentences and the training-curve tooltips use them, so
    "ReLU the highest (0.241)" never sits beside an ELU tooltip that also reads 0.241."""
    s = result.summary
    return apart_digits([float(v) for v in s.loc[~s["diverged"], "final_train_loss"]], 3)


def loss_texts(result) -> dict[str, str]:
    """The final training loss of each run that did not diverge as the training sentences print
    it: :func:`core.facts.alike` over all of them (:func:`loss_digits`' digits, zeros kept), so
    two losses compared in one sentence read at one precision ("0.334 vs 0.390", not "0.334 vs
    0.39"; "(0.2647) … the highest (0.3000)", not "(0.3)", audit pass 63 b)."""
    s = result.summary
    alive = s.loc[~s["diverged"]]
    texts = alike(*(float(v) for v in alive["final_train_loss"]), digits=3)
    return dict(zip((str(a) for a in alive["activation"]), texts, strict=True))


def dead_loss_texts(config, result) -> dict[str, str]:
    """The final training loss of each dead-unit run that did not diverge, as dead_report prints
    them: :func:`core.facts.alike` over the (up to) three, at :func:`loss_digits`' digits or at
    the digits the ranking printed the group's ReLU run with (:func:`loss_texts`: ReLU at η is
    that run), so the three losses compared in one sentence read at one precision ("(training
    loss 0.420); … (0.629); … (0.575)", not "(0.42); … (0.629)": classic, circles, 1 hidden layer
    of 4, η = 0.1, large η = 1.5, 10 epochs, seed 683; audit pass 64 b)."""
    ds = result.dead_summary.set_index("run")
    names = [n for n in dead_run_names(config) if not ds.loc[n, "diverged"]]
    digits = loss_digits(result)
    shared = loss_texts(result).get("relu")
    if shared is not None and _is_number_text(shared):
        digits = max(digits, significant(shared))
    texts = alike(*(float(ds.loc[n, "final_loss"]) for n in names), digits=digits)
    return dict(zip(names, texts, strict=True))


def loss_tooltip_digits(result) -> int:
    """The significant digits, zeros kept, of the training curves' loss tooltips: the count
    :func:`loss_texts` prints the group's losses at, so a run's last-epoch tooltip reads as its
    sentence ("0.420", not "0.42" beside "ReLU reached the lowest training loss (0.420)": audit
    pass 65 g)."""
    texts = [t for t in loss_texts(result).values() if _is_number_text(t)]
    return min((significant(t) for t in texts), default=loss_digits(result))


def dead_loss_digits(config, result) -> int:
    """The dead-unit loss chart's tooltip digits, zeros kept: the count :func:`dead_loss_texts`
    prints the dead-unit runs' losses at (audit pass 65 g)."""
    texts = [t for t in dead_loss_texts(config, result).values() if _is_number_text(t)]
    return min((significant(t) for t in texts), default=loss_digits(result))


def _is_number_text(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _training(config, result) -> list[Fact]:
    summary = result.summary.set_index("activation")
    alive = summary[~summary["diverged"]]
    digits = loss_digits(result)
    shown = loss_texts(result)
    out = []
    if len(alive) >= 2:
        best = str(alive["final_train_loss"].idxmin())
        worst = str(alive["final_train_loss"].idxmax())
        skipped = [label(a) for a in summary.index if summary.loc[a, "diverged"]]
        low, high = alive.loc[best, "final_train_loss"], alive.loc[worst, "final_train_loss"]
        shown_low, shown_high = shown[best], shown[worst]

        def tied(loss) -> str:
            # every run with exactly this loss (leaky ReLU at slope 0 is ReLU, loss for loss)
            return listing(
                [label(a) for a in alive.index if alive.loc[a, "final_train_loss"] == loss]
            )

        ranked = (
            f"{tied(low)} reached the lowest training loss ({shown_low}) and {tied(high)} the "
            f"highest ({shown_high})"
            if low < high
            else f"{listing([label(a) for a in alive.index])} reached the same training loss "
            f"({shown_low})"
        )
        # a ranking of runs that all learned nothing is a ranking of noise: spiral, smooth group,
        # η = 0.3, 150 epochs, 4 hidden layers of 8 ended every run at 30 of 60 test points right
        # (a constant guess's 30) with ELU "the lowest training loss (0.69316)", above ln 2
        # (audit pass 61 h)
        chance = {a: at_chance(result, str(a), by_loss=False) for a in alive.index}
        # every run ended at or above ln 2, the loss of always predicting ½: none fitted the
        # training set better than a constant (circles, η = 0.001, 10 epochs, 1 hidden layer of
        # 4, seed 5: "Sigmoid reached the lowest training loss (0.715)", ReLU 38 of 60 test points
        # right; audit pass 62 b)
        ln2 = math.log(2)
        above_ln2 = bool(low >= ln2) and float(read(shown_low)) >= ln2
        none_learned = all(chance.values()) or above_ln2
        note = ""
        if all(chance.values()) and low < high:
            n, guess = next(iter(chance.values()))[1:3]
            rights = sorted({c[0] for c in chance.values()})
            got = f"all get {rights[0]}" if len(rights) == 1 else f"get {rights[0]} to {rights[-1]}"
            note = (
                f", but none of them learned the boundary: they {got} of the {n} test points "
                "right, not more than one standard error better than always guessing the test "
                f"set's most common class ({guess} of {n}), so this ranking says nothing about "
                "the activations"
            )
        elif above_ln2 and low < high:
            note = (
                f", but none of them fitted the training set better than always predicting ½: "
                f"every training loss is at or above ln 2 ≈ {num(ln2, digits)}, so this ranking "
                "says nothing about the activations"
            )
        out.append(
            _fact(
                "lowest_highest_loss",
                "With the same architecture, data, seed and optimizer (each activation with its "
                f"usual init), {ranked} after {config.epochs} epochs"
                + (
                    f" ({listing(skipped)} diverged and {'is' if len(skipped) == 1 else 'are'} left out)"
                    if skipped
                    else ""
                )
                + note
                + ".",
                best=best,
                worst=worst,
                none_learned=none_learned,
            )
        )
    if config.group == "classic" and {"tanh", "sigmoid"} <= set(alive.index):
        tanh, sig = alive.loc["tanh", "final_train_loss"], alive.loc["sigmoid", "final_train_loss"]
        if tanh < sig:
            # the mechanism as this run's reason only where tanh learned something: circles,
            # η = 0.001, 5 epochs ended tanh at 0.6919 (Linear 0.6918, ln 2 = 0.6931) with 32 of
            # 60 test points right, a constant guess's 30 (audit pass 59 g)
            chance = tanh_at_chance(result)
            # nor where sigmoid's training went wrong: the classic group at η = 0.3, 4 hidden
            # layers of 64, 150 epochs sent sigmoid's loss from 0.858 to 4.1 after one epoch and
            # ended it at 1.07, above its start and never below ln 2, with 30 of 60 test points
            # right, beside "tanh ended below sigmoid (0.622 vs 1.07): ... which usually helps it
            # train faster" (audit pass 66 b)
            sigmoid_rose = not chance and sigmoid_rose_above_start(result)
            why = (
                "its outputs are centred on 0 and its slope at 0 is 1, not ¼, which usually helps "
                "it train faster."
            )
            if chance:
                words = chance_words("tanh", *chance, digits=digits)
                why = (
                    f"but this run does not show why: {words}, "
                    "so it has not learned the boundary here. Where it does, the usual reason "
                    "holds: " + why
                )
            elif sigmoid_rose:
                why = (
                    "but not by training faster: sigmoid ended above the training loss it "
                    "started with, so at this step size its training went wrong rather than "
                    "slowly. Where both train, the usual reason for the tendency is tanh's: " + why
                )
            out.append(
                _fact(
                    "tanh_below_sigmoid",
                    f"tanh ended below sigmoid ({shown['tanh']} vs {shown['sigmoid']})"
                    + (", " if chance or sigmoid_rose else ": ")
                    + why,
                    at_chance=bool(chance),
                    sigmoid_rose=bool(sigmoid_rose),
                )
            )
        else:
            # a run where sigmoid learned nothing is no counterexample to "tanh trains faster":
            # circles, η = 0.001, 5 epochs, 1 hidden layer of 4, seed 2 ended sigmoid at 0.6947
            # and tanh at 0.69748 (both above ln 2) with 33 and 30 of 60 test points right, a
            # constant guess's 30 (audit pass 60 f)
            chance = at_chance(result, "sigmoid")
            shown = f"Here sigmoid ended at or below tanh ({shown['sigmoid']} vs {shown['tanh']})"
            # "it has not learned the boundary" of sigmoid alone read as tanh having learned it
            # where tanh learned nothing either: spiral, 3 hidden layers of 32, η = 0.2, 40
            # epochs, seed 2349 ended tanh at 1.101, above ln 2 and its start (audit pass 68 c)
            tanh_chance = at_chance(result, "tanh") if chance else None
            if tanh_chance:
                text = (
                    f"{shown}, but neither has learned the boundary here: "
                    f"{chance_words('sigmoid', *chance, digits=digits)}, and "
                    f"{chance_words('tanh', *tanh_chance, digits=digits)}; so this run shows "
                    "nothing about which trains faster ('tanh trains faster than sigmoid' is a "
                    "tendency, not a rule)."
                )
            elif chance:
                words = chance_words("sigmoid", *chance, digits=digits)
                text = (
                    f"{shown}, but {words}: it has not "
                    "learned the boundary here, so this run shows nothing about which trains "
                    "faster ('tanh trains faster than sigmoid' is a tendency, not a rule)."
                )
            elif tanh_rose_above_start(result):
                # nor where tanh's training went wrong: classic, circles, η = 0.3, 2 hidden
                # layers of 16, 40 epochs, seed 0 sent tanh's loss from 0.698 to 0.929 beside
                # sigmoid's 0.260, offered as "a tendency, not a rule" (audit pass 67 d, the
                # mirror of pass 66 b's sigmoid)
                text = (
                    f"{shown}, but not because sigmoid trained faster: tanh ended above the "
                    "training loss it started with, so at this step size its training went wrong "
                    "rather than slowly ('tanh trains faster than sigmoid' is a tendency, not a "
                    "rule, and this run does not test it)."
                )
            else:
                text = f"{shown}: 'tanh trains faster than sigmoid' is a tendency, not a rule."
            out.append(
                _fact(
                    "sigmoid_below_tanh",
                    text,
                    at_chance=bool(chance),
                    tanh_at_chance=bool(tanh_chance),
                    tanh_rose=bool(not chance and tanh_rose_above_start(result)),
                )
            )
    if "prelu" in summary.index and summary.loc["prelu", "learned_slopes"]:
        # a run that diverged learned nothing to quote: its slopes are where it blew up, the
        # last finite weights (Config(group="relu_family", learning_rate=0.3, hidden_layers=4,
        # width=64, epochs=100, seed=7, large_learning_rate=0.1): "learned a = -0.612, …" for a
        # run that diverged at update 171, audit pass 45)
        diverged = bool(summary.loc["prelu", "diverged"])
        where = (
            f"diverged at update {summary.loc['prelu', 'updates']}; its last finite weights have "
            if diverged
            else "learned "
        )
        # one hidden layer has one slope: "every layer's slope ... (one per hidden layer)" was
        # said of it (hidden_layers = 1; audit pass 65 g)
        one = config.hidden_layers == 1
        whose = "its one hidden layer's slope" if one else "every hidden layer's slope"
        out.append(
            _fact(
                "prelu_learned",
                f"PReLU started {whose} at {config.prelu_init:g} and {where}"  # plain-format: a setting
                f"a = {summary.loc['prelu', 'learned_slopes']}"
                + ("." if one else " (one per hidden layer)."),
                diverged=diverged,
            )
        )
    return out


def _past(x: float, bound: float, shown: tuple[str, ...] = ()) -> str:
    """x > bound at 3 significant digits with zeros kept, as the layer's mean and std beside it
    print (:func:`band_text`), more when 3 would print it at or below the bound, or below a
    deviation ``shown`` beside it ("up to 0.68" is not said beside a printed std of 0.319,
    0.681 off); rounded up where no number of digits does both (a mean printed at 2 significant
    digits, "1.3" for 1.26). Two decimals printed "wandered up to 0.69 … mean −0.179, std
    0.746" (norm width 8, seed 0): one sentence's deviations at two precisions (audit pass
    70 a)."""
    for digits in range(3, 18):
        text = padded(num(x, digits), digits)
        if float(text) > bound and all(Decimal(s) <= Decimal(text) for s in shown):
            return text
    return up(x, 3)


def _pct(x: float) -> str:
    """A share of units: whole percents, one decimal near 0 and 100 % (255 of 256 is not 100 %).
    Halves round up, as a reader rounds 20 of 32 (62.5 %: "63 %", not Python's "62 %"). More
    decimals while the dead-unit chart's tooltip of the same share (3 significant digits, as
    :func:`off_tooltip` prints it) would not round to it: 11 of 96 units is not "11 %" beside
    a tooltip 0.115, which a reader rounds to 12 %."""
    exact, tip = Decimal(repr(100 * float(x))), Decimal(off_tooltip(x)).scaleb(2)
    places = 1 if 0 < x < 0.1 or 0.995 <= x < 1 else 0
    while True:
        text = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if places >= 15 or _one_value(str(text), tip):
            return f"{text} %"
        places += 1


def off_tooltip(x: float) -> str:
    """A share of units off as the dead-unit chart's tooltips print it (3 significant digits,
    zeros kept: core.facts.tooltip_text; a share of 0 or 1 exactly)."""
    return tooltip_text(float(x), 3)


def _one_value(a: str, b: Decimal) -> bool:
    """Whether two printed forms of one value agree: the longer rounds, halves up, to the
    shorter."""
    a = Decimal(a)
    if a.as_tuple().exponent >= b.as_tuple().exponent:
        return agrees(str(a), b)
    return agrees(str(b), a)


def off_texts(config, result) -> dict[str, str]:
    """Each dead-unit run's share of hidden units off at the end, as every sentence prints it
    (the report, the larger step's "more"/"did not leave more", leaky ReLU's): :func:`_pct`, or
    one decimal (halves up: 80 of 256 is "31.3 %") or more for every run while the two ReLU
    runs' different shares print alike (152 and 150 of 256 units, "59 %" and "59 %" in the
    report, beside "the larger step left more ReLUs dead (59.4 % ... vs 58.6 %)"), and each one
    value with the dead-unit chart's tooltip of it (:func:`off_tooltip`)."""
    ds = result.dead_summary.set_index("run")
    names = dead_run_names(config)
    shares = {n: float(ds.loc[n, "off_end"]) for n in names}
    texts = {n: _pct(x) for n, x in shares.items()}
    small, large = names[:2]
    places = 1

    def charted(texts) -> bool:
        # each as the dead-unit chart's tooltip prints it (off_tooltip): one value, not two
        return all(
            _one_value(t.removesuffix(" %"), Decimal(off_tooltip(shares[n])).scaleb(2))
            for n, t in texts.items()
        )

    while (
        (shares[small] != shares[large] and texts[small] == texts[large]) or not charted(texts)
    ) and places < 17:
        texts = {n: f"{decimals(x, places, 100)} %" for n, x in shares.items()}
        places += 1
    return texts


def returned_units(result, names) -> int | None:
    """Units of the runs ``names`` off at a recorded epoch and on at a later one (None: no masks)."""
    masks = result.off_masks
    if not all(n in masks for n in names):
        return None
    back = 0
    for n in names:
        off = np.asarray(masks[n], dtype=bool)
        # on at epoch e while off at some earlier epoch
        seen = np.logical_or.accumulate(off, axis=0)
        back += int((seen[:-1] & ~off[1:]).any(axis=0).sum())
    return back


def last_check(result, run: str) -> str:
    """When a dead-unit run that diverged was last checked for units off: "at initialization,
    before it diverged" or "at the end of epoch k, its last before it diverged" (its share off
    is from then, not from the end of training)."""
    completed = int(result.dead.loc[result.dead["run"] == run, "epoch"].max())
    if not completed:
        return "at initialization, before it diverged"
    return f"at the end of epoch {completed}, its last before it diverged"


def _through_earlier(config) -> str:
    """The second way back for a dead unit, where there is one: earlier hidden layers changing
    its input. With one hidden layer its input is the data itself ("or through earlier layers
    changing its input" was said of ?layers=1's revived units; audit pass 54 d)."""
    if config.hidden_layers == 1:
        return ": with one hidden layer no earlier layer changes its input, which is the data"
    return " or through earlier layers changing its input"


def revived_of(k: int, n: int) -> str:
    """The ``k`` units that came back of the ``n`` found off: "the 1 unit", "both units" (not
    "2 of the 2 units": seed 89825, xor, the ReLU family, 1 layer of 4, 5 epochs, η = 0.1, large
    η = 3; audit pass 68 c), "all 3 units", else "k of the n units"."""
    if n == 1:
        return "the 1 unit"
    if k == n:
        return "both units" if n == 2 else f"all {n} units"
    return f"{k} of the {n} units"


def dead_caption(config) -> str:
    """The caption under the dead-unit charts: what is measured, and the ways back for a unit
    off on every training point. Earlier layers are one only with more than one hidden layer
    (with one, a unit's input is the data itself: "unless Adam's momentum or earlier layers move
    its input back above 0" was said at ?layers=1; audit pass 55 g)."""
    way_back = (
        "Adam's momentum moves its weights and bias until its input is back above 0 (with one "
        "hidden layer its input is the data, which no earlier layer changes)"
        if config.hidden_layers == 1
        else "Adam's momentum or, for a unit past the first hidden layer, a change in the layers "
        "before it moves its input back above 0"
    )
    return (
        "Measured at initialization (epoch 0) and after every epoch, on the whole training set. "
        "A ReLU unit whose z is ≤ 0 on every training point outputs 0 and its own weights and "
        f"bias get no gradient: it stays dead unless {way_back}. A leaky unit there still passes "
        "slope × its gradient (nothing at slope 0: then it is ReLU)."
    )


def _dead_units(config, result) -> list[Fact]:
    ds = result.dead_summary.set_index("run")
    small, large, leaky = (ds.loc[name] for name in dead_run_names(config))
    names = dead_run_names(config)
    # the ranking's digits (loss_digits) or more: ReLU's run at η is the group's ReLU run,
    # named "the highest (0.6932)" beside a sigmoid tooltip 0.6931, which must not read 0.693
    # here (dead_loss_texts)
    off = off_texts(config, result)
    losses = dead_loss_texts(config, result)
    parts = []
    for name, row in zip(names, (small, large, leaky), strict=True):
        part = f"{name}: {off[name]}"
        if row["diverged"]:
            completed = int(result.dead.loc[result.dead["run"] == name, "epoch"].max())
            part += (
                f" (diverged at update {row['updates']}; from the last epoch it completed)"
                if completed
                else f" (diverged at update {row['updates']}, before its first epoch ended: "
                "this is at initialization)"
            )
        else:
            # significant digits: a loss of 2.8e-05 is not "0.000"; the three at one precision
            part += f" (training loss {losses[name]})"
        parts.append(part)
    out = [
        _fact(
            "dead_report",
            "Hidden units off (z ≤ 0 on every training point) at the end: "
            + "; ".join(parts)
            + ".",
            off_end={name: float(ds.loc[name, "off_end"]) for name in names},
        )
    ]
    relu_alive = not (small["diverged"] or large["diverged"])
    if relu_alive and config.large_learning_rate > config.learning_rate:
        if large["off_end"] > small["off_end"]:
            # as the report prints them (129 and 128 of 256 units are not both "50 %")
            more, fewer = off[names[1]], off[names[0]]
            out.append(
                _fact(
                    "more_dead_at_large_lr",
                    f"The larger step left more ReLUs dead ({more} at η = "
                    f"{num(config.large_learning_rate, 6)} vs {fewer} at η = "
                    f"{num(config.learning_rate, 6)}): one big update can push a unit's weights and "
                    "bias so far that its input is negative for every example.",
                )
            )
        else:
            out.append(
                _fact(
                    "not_more_dead_at_large_lr",
                    f"Here the larger step did not leave more ReLUs dead ({off[names[1]]}"
                    f" at η = {num(config.large_learning_rate, 6)} vs {off[names[0]]} at η = "
                    f"{num(config.learning_rate, 6)}): more dead units at a large step is a tendency, "
                    "not a rule.",
                )
            )
    relu_runs = {n: ds.loc[n] for n in names[:2]}
    revived = {n: int(r["revived"]) for n, r in relu_runs.items() if r["revived"] > 0}
    if revived:
        # "the 1 unit", not "1 of the 1 units" (seed 1482, 2 layers of 4, 10 epochs, η = 0.001,
        # large η = 1, the ReLU family; audit pass 54 d)
        clauses = [
            revived_of(k, int(relu_runs[n]["ever_off"]))
            + f" found off at η = {num(relu_runs[n]['learning_rate'], 6)}"
            for n, k in revived.items()
        ]
        # "1 of the 12 units ... was", not "were" (one run, one unit)
        verb = "was" if len(revived) == 1 and sum(revived.values()) == 1 else "were"
        if len(clauses) == 2 and clauses[0] == clauses[1]:
            # equal step sizes make the two ReLU runs one run twice: its units said once, not
            # "4 of the 18 … and 4 of the 18 …", which reads as 8 (audit pass 48 f, noticed)
            where = (
                f"{clauses[0]}, in each of the two ReLU runs (equal step sizes make them one run),"
            )
            verb = "was" if sum(revived.values()) == 2 else "were"
        else:
            where = listing(clauses)
        # with slope 0 the leaky run is a ReLU run too: its revived units are counted, not left
        # out ("2 of the 8 units found off at η = 1" beside a leaky chart at η = 1 with as many
        # off and back; the preset 'Dead ReLUs at a large learning rate' at slope 0; audit pass
        # 67 d)
        leaky = ds.loc[names[2]]
        also = []
        if config.negative_slope == 0 and leaky["revived"] > 0:
            k, n = int(leaky["revived"]), int(leaky["ever_off"])
            if names[1] in revived and (k, n) == (
                revived[names[1]],
                int(relu_runs[names[1]]["ever_off"]),
            ):
                where = (
                    where.rstrip(",")
                    + ", and as many in the leaky ReLU run (at slope 0 it is ReLU: the same run),"
                )
            else:
                where = listing(
                    [
                        where,
                        revived_of(k, n)
                        + " found off in the leaky ReLU run (at slope 0 it is ReLU) at η = "
                        + num(float(leaky["learning_rate"]), 6),
                    ]
                )
            verb = "were"
            if leaky["diverged"]:
                also = [names[2]]
        # a run that diverged has no end of training: its units were on at its last check
        # ("49 of the 167 units found off at η = 3 were active at the end" of a run that
        # diverged after epoch 9: Config(group="relu_family", hidden_layers=3, width=64,
        # learning_rate=0.3, large_learning_rate=3, seed=2, epochs=80); audit pass 56 d)
        stopped = list(
            dict.fromkeys(
                f"at η = {num(relu_runs[n]['learning_rate'], 6)}, which diverged, "
                + last_check(result, n)
                for n in revived
                if relu_runs[n]["diverged"]
            )
            | dict.fromkeys(
                f"at η = {num(float(leaky['learning_rate']), 6)}, which diverged, "
                + last_check(result, n)
                for n in also
            )
        )
        when = "".join(f"{s}; " for s in stopped)
        out.append(
            _fact(
                "dead_revived",
                f"Dead is not always for good: {where} {verb} active at the end ({when}units are "
                "checked at the start and at the end of every epoch, so one off only between "
                "checks is not counted). A dead "
                "unit's own weights and bias get no gradient, so it comes back only through Adam's "
                "momentum (which keeps moving its weights for a while)"
                + _through_earlier(config)
                + ".",
                revived=revived,
                leaky_revived=int(leaky["revived"]) if config.negative_slope == 0 else 0,
            )
        )
    elif any(r["ever_off"] > 0 for r in relu_runs.values()):
        back = returned_units(result, names[:2])
        if back == 0:
            text = (
                "Every ReLU found off on all training points at the start or at the end of an "
                "epoch stayed off at the end of every later epoch: while off, its own weights and "
                "bias get no gradient. (The check runs once per epoch, so a unit off, or back on, "
                "for only a few updates in between would not show.)"
            )
        else:
            stopped = [
                f"at η = {num(r['learning_rate'], 6)}, which diverged, {last_check(result, n)}"
                for n, r in relu_runs.items()
                if r["diverged"] and r["ever_off"] > 0
            ]
            text = (
                "Every ReLU found off on all training points at the start or at the end of an "
                "epoch is off at the end of training"
                + (f" ({'; '.join(dict.fromkeys(stopped))})" if stopped else "")
            )
            if back:
                text += (
                    f", though {back} of them {'was' if back == 1 else 'were'} on at the "
                    "end of a later epoch before going off again (through Adam's momentum"
                    + (
                        ""
                        if config.hidden_layers == 1
                        else " or earlier layers changing their input"
                    )
                    + "; the check runs once per epoch, so more "
                    "may have gone off or come back briefly in between)"
                )
            text += "."
        out.append(_fact("dead_stayed", text, returned=back))
    else:
        out.append(
            _fact(
                "no_dead_relus",
                "No ReLU was off on every training point at the end of any epoch of these runs "
                "(checked once per epoch, not after every update).",
            )
        )
    slope = config.negative_slope
    # where leaky ReLU's share was measured: the end of training, or, for a run that diverged,
    # its last check before (the dead report's "this is at initialization")
    checked = last_check(result, names[2]) if leaky["diverged"] else None
    when = f" ({checked})" if checked else ""
    # a run that diverged has no present: its units below zero at its last check passed slope x
    # their gradient then ("still pass … so none is cut off" was said of a run that diverged
    # after that check: Config(group="relu_family", hidden_layers=4, width=32,
    # negative_slope=0.5, large_learning_rate=3); audit pass 56 d)
    stopped = bool(leaky["diverged"])
    if slope > 0:
        below = (
            f"its {off[names[2]]} of units below zero on every training point{when} passed "
            f"{num(slope, 6)} × their gradient back then, so none was cut off the way a dead "
            "ReLU is"
            if stopped and leaky["off_end"] > 0
            else f"its {off[names[2]]} of units below zero on every training point still "
            f"pass {num(slope, 6)} × their gradient back, so none is cut off the way a dead ReLU is"
            if leaky["off_end"] > 0
            else f"a unit below zero on every training point would still pass {num(slope, 6)} × its "
            f"gradient back (none was, {checked or 'at the end of this run'})"
        )
        if slope < UNDERFLOW_SLOPE:
            below += (
                f" (in exact arithmetic: in float64 a slope of {num(slope, 6)} times a gradient "
                "below 1 can round to 0)"
            )
        out.append(
            _fact(
                "leaky_keeps_gradient",
                f"Leaky ReLU's derivative is never below its slope {num(slope, 6)}: {below}.",
                slope=slope,
            )
        )
    else:
        # "its 0 % of units below zero ... get no gradient either" was said of a run with none
        # (?group=relu_family&layers=1&width=4&epochs=5&slope=0&lr=0.3&biglr=3; audit pass 55 g)
        below = (
            f"its {off[names[2]]} of units below zero on every training point{when} got no "
            "gradient either"
            if stopped and leaky["off_end"] > 0
            else f"its {off[names[2]]} of units below zero on every training point get no "
            "gradient either"
            if leaky["off_end"] > 0
            else "a unit below zero on every training point would get no gradient either (none "
            f"was, {checked or 'at the end of this run'})"
        )
        out.append(
            _fact(
                "leaky_is_relu",
                f"With slope 0 leaky ReLU is ReLU: {below}.",
                off_end=float(leaky["off_end"]),
            )
        )
    return out


def in_band(mean: float, std: float) -> bool:
    return abs(mean) <= BAND and abs(std - 1.0) <= BAND


def band_text(value: float, target: float) -> str:
    """A layer's mean or std (``target`` 0 or 1) as the self-normalization chart's tooltip prints
    it: 3 significant digits (a whole value exactly), with digits added until it prints on the
    same side of each edge of the band (within BAND of ``target``) as it is: a std of 0.89957 is
    not "0.9" beside "first more than 0.1 off at layer 7". Trailing zeros are kept to those
    digits: sigmoid + naive N(0, 0.001²)'s mean 0.50009 printed "mean 0.5" beside "std 0.00348"
    (audit pass 65 g), a midpoint that reads exact."""
    if not math.isfinite(value):
        return num(value)
    if value == round(value) and abs(value) < 2**53:
        return num(int(value))

    for digits in range(3, 18):
        text = padded(num(value, digits), digits)
        if _band_side(text, value, target):
            return text
    return text


def _band_side(text: str, value: float, target: float) -> bool:
    """Whether ``text`` prints ``value`` on the side of each edge of the band (within BAND of
    ``target``, as in_band reads it) that the value is on."""
    shown, t, band = Decimal(text), Decimal(repr(target)), Decimal(repr(BAND))
    return (t - shown > band, shown - t > band) == (target - value > BAND, value - target > BAND)


def he_std_texts(self_norm) -> tuple[str, str, str | None]:
    """SELU + He's std at layer 1 and at layer NORM_DEPTH, and their ratio when it grew, as
    every place prints them (selu_he_grew or selu_he_did_not_grow, self_norm_report and the
    self-normalization chart's tooltips): 3 significant digits, more until the two print apart
    ("grew from 1.309 to 1.311" is not said beside tooltips of 1.31 and 1.31:
    Config(norm_width=8, seed=443)), each prints on its side of the band (as band_text) and the
    ratio is the ratio of the printed values to its last digit, never printed 1."""
    sn = self_norm[self_norm["setting"] == "SELU + He"].sort_values("layer")
    first, last = (float(v) for v in sn["std"].to_numpy()[[0, -1]])
    if not (math.isfinite(first) and math.isfinite(last)):
        return band_text(first, 1.0), band_text(last, 1.0), None
    grew = last > first
    for d in range(3, 18):
        # one count of significant digits for both (core.facts.alike): "from 1.2948 … to
        # 33.669", not "to 33.67" beside a first std at five digits (defaults, audit pass 63 b)
        first_text, last_text = alike(first, last, digits=d)
        if not (_band_side(first_text, first, 1.0) and _band_side(last_text, last, 1.0)):
            continue
        if not grew:
            return first_text, last_text, None
        try:
            implied = Decimal(last_text) / Decimal(first_text)
        except (InvalidOperation, ZeroDivisionError):
            break
        for k in range(3, d + 1):
            ratio_text = num(last / first, k)
            if float(ratio_text) != 1.0 and agrees(ratio_text, implied):
                return first_text, last_text, ratio_text
    return first_text, last_text, (num(last / first, 17) if grew else None)


def self_norm_texts(self_norm, stat: str) -> list[str]:
    """The self-normalization chart's tooltip text of every row's ``stat`` (mean or std):
    :func:`band_text`, and SELU + He's std at layer 1 and layer NORM_DEPTH as
    :func:`he_std_texts` prints them in the sentences."""
    target = 0.0 if stat == "mean" else 1.0
    texts = {v: band_text(float(v), target) for v in self_norm[stat].dropna().unique()}
    out = [texts.get(v, "") for v in self_norm[stat]]
    if stat == "std":
        he = dict(zip((1, NORM_DEPTH), he_std_texts(self_norm)[:2], strict=True))
        for i, (setting, layer) in enumerate(
            zip(self_norm["setting"], self_norm["layer"], strict=True)
        ):
            if setting == "SELU + He" and layer in he:
                out[i] = he[layer]
    return out


def _self_norm(config, result) -> list[Fact]:
    sn = result.self_norm
    selu = sn[sn["setting"] == SELU_LECUN].sort_values("layer")
    last = sn[sn["layer"] == NORM_DEPTH].set_index("setting")
    inside = [in_band(m, s) for m, s in zip(selu["mean"], selu["std"], strict=True)]
    m50, s50 = last.loc[SELU_LECUN, "mean"], last.loc[SELU_LECUN, "std"]
    width = config.norm_width
    out = []
    others = [s for s in last.index if s != SELU_LECUN]
    if all(inside):
        out.append(
            _fact(
                "selu_normalized",
                f"Through all {NORM_DEPTH} layers at width {width}, SELU + LeCun normal stayed "
                f"within {num(BAND)} of mean 0 and std 1 (layer {NORM_DEPTH}: mean "
                f"{band_text(m50, 0.0)}, std {band_text(s50, 1.0)}).",
            )
        )
    else:
        first = int(selu["layer"].to_numpy()[inside.index(False)])
        worst = float(np.nanmax(np.abs(np.r_[selu["mean"], selu["std"] - 1.0])))
        # as the self-normalization chart's layer-50 tooltips print them (band_text): "mean
        # 0.22" is not said beside a tooltip 0.225 (Config(norm_width=8, seed=4))
        mean_text, std_text = band_text(m50, 0.0), band_text(s50, 1.0)
        # the deviations as printed, which "up to" must not fall below: layer 50's here, and
        # every layer's in the chart's tooltips ("up to 0.24" is not said beside a tooltip's
        # std 0.759, 0.241 off)
        shown = (str(abs(Decimal(mean_text))), str(abs(Decimal(std_text) - 1)))
        shown += tuple(
            str(abs(Decimal(band_text(float(m), 0.0)))) for m in selu["mean"] if math.isfinite(m)
        )
        shown += tuple(
            str(abs(Decimal(band_text(float(v), 1.0)) - 1)) for v in selu["std"] if math.isfinite(v)
        )
        out.append(
            _fact(
                "selu_drifted",
                f"At width {width} SELU + LeCun normal wandered up to {_past(worst, BAND, shown)} "
                "from mean 0 or "
                f"std 1 over the {NORM_DEPTH} layers (first more than {num(BAND)} off at layer "
                f"{first}; layer {NORM_DEPTH}: mean {mean_text}, std {std_text}). The fixed point "
                "(0, 1) is exact only as the width grows; at a finite width the statistics "
                "wander from layer to layer.",
                first=first,
                worst=worst,
            )
        )
    if not any(in_band(last.loc[s, "mean"], last.loc[s, "std"]) for s in others):
        out.append(
            _fact(
                "others_drifted",
                f"None of the other {len(others)} settings ended within {num(BAND)} of mean 0 and "
                f"std 1 at layer {NORM_DEPTH}.",
            )
        )
    moments = result.selu_moments.set_index("variant")
    right, wrong = moments.iloc[0], moments.iloc[1]
    out.append(
        _fact(
            "selu_fixed_point",
            "For z ~ N(0, 1), SELU(z) has mean 0 (the closed form gives "
            f"{num(right['mean'], 2)} in float64, which is round-off) and variance "
            f"{decimals(right['variance'], 4)}: (0, 1) is a fixed point. With "
            f"λ on the positive branch only, mean {decimals(wrong['mean'], 4)} and variance "
            f"{decimals(wrong['variance'], 4)}: the fixed point is gone.",
            slot="self_norm",
            right=(float(right["mean"]), float(right["variance"])),
            wrong=(float(wrong["mean"]), float(wrong["variance"])),
        )
    )
    out.append(
        _fact(
            "self_norm_report",
            f"At layer {NORM_DEPTH}: SELU + He has std "
            f"{he_std_texts(sn)[1]}, tanh + Xavier std "
            f"{band_text(last.loc['tanh + Xavier', 'std'], 1.0)}, ReLU + He mean "
            f"{band_text(last.loc['ReLU + He', 'mean'], 0.0)} (a ReLU's output is never "
            f"negative), and sigmoid + naive N(0, {num(config.naive_sigma, 6)}²) mean "
            f"{band_text(last.loc['sigmoid + naive N(0, σ²)', 'mean'], 0.0)}.",
        )
    )
    he = sn[sn["setting"] == "SELU + He"].sort_values("layer")["std"].to_numpy()
    first, last, grew = he_std_texts(sn)
    if math.isfinite(he[-1]) and he[-1] > he[0]:
        out.append(
            _fact(
                "selu_he_grew",
                "SELU with He init (σ² = 2/n, twice LeCun's 1/n): its std grew from "
                f"{first} at layer 1 to {last} at layer {NORM_DEPTH} (×{grew}).",
                factor=float(he[-1] / he[0]),
            )
        )
    else:
        out.append(
            _fact(
                "selu_he_did_not_grow",
                f"SELU with He init: its std went from {first} at layer 1 to {last} at layer "
                f"{NORM_DEPTH}, no growth in this run.",
            )
        )
    return out


INIT_NAMES = {"he": "He", "xavier": "Xavier", "lecun": "LeCun", "normal": "normal"}


def panel_caption(row) -> str:
    """The caption under one activation's boundary panel (``row``: its summary row): its test
    accuracy and init, its learned PReLU slopes. For a run that diverged, the accuracy of the
    last epoch it completed is not the drawn boundary's, which uses the last finite weights
    (Config(group="relu_family", learning_rate=0.3, hidden_layers=4, width=64, epochs=150,
    seed=1): leaky ReLU's "test accuracy 0.50" beside a boundary that gets 0.25 of the test points
    right), so both are given, each named."""
    note = f"test accuracy {inside_unit(row['test_accuracy'], 2)}"
    if row["diverged"]:
        when = (
            f"at the end of epoch {int(row['last_epoch'])}, its last before it diverged"
            if row["last_epoch"]
            else "at initialization, before it diverged"
        )
        note = (
            f"**diverged**: {note} {when}; the boundary, drawn with the last finite weights, "
            f"classifies {inside_unit(row['drawn_test_accuracy'], 2)} of the test points right"
        )
    # the initializers' names as the page spells them elsewhere ("He", not "he init")
    note += f"; {INIT_NAMES.get(row['init'], row['init'])} init"
    if row["learned_slopes"]:
        # one hidden layer has one slope: "learned slopes a = 0.471" (audit pass 65 g)
        one = len(str(row["learned_slopes"]).split(", ")) == 1
        slope = "slope" if one else "slopes"
        slopes = f"{slope} at the last finite weights" if row["diverged"] else f"learned {slope}"
        note += f"; {slopes} a = {row['learned_slopes']}"
    # "a = -0.007" under the fact's "a = −0.007": the minus sign, as every fact prints it
    # (?group=relu_family&data=circles&layers=4&width=8&lr=0.1&epochs=20&prelu=0&seed=923;
    # audit pass 58 d)
    return minus(note)
