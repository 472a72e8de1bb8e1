"""What a loss-functions run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import numpy as np

from core.activations import sigmoid
from core.experiments.loss_functions.experiment import LABELS, relative_error
from core.facts import (
    ANSWER,
    WARNING,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    decimals,
    inside_unit,
    listing,
    minus,
    not_whole,
    num,
    padded,
    rounded_up_half,
    sig_num,
    significant,
    up,
)

SQUARED, CROSS = "squared error", "cross-entropy"
# The training target: the first epoch with train accuracy at least this.
TARGET = 0.75
TARGET_PCT = decimals(TARGET, 0, 100) + "%"
# "Stayed at its start": the final train accuracy within this of the starting one.
STALLED = 0.02
# A start where every training example has sigma(z) below this (above 1 - this) is a confident
# "class 0" ("class 1") for all of them; one with every sigma(z) within UNDECIDED of 1/2 is undecided.
CONFIDENT = 0.05
UNDECIDED = 0.2
# A check agrees when its relative error is below this (float64, h = 1e-5).
AGREE_BELOW = 1e-6
# Where the page shows facts that are not notices, warnings or the answer.
SATURATION, TRAINING = "saturation", "training"

CLAIMS = Claims(
    Claim(
        "larger_gradient",
        "Which loss gives a class-1 example at z0 the larger |dL/dz| (the prediction's answer)",
        "argmax of the two losses' |dL/dz| at z0",
    ),
    Claim(
        "saturation_ratio",
        "At z0: both gradients and their ratio 2 sigma (1 - sigma), never more than 1/2",
        "always (the ratio and the bound are checked on the run)",
    ),
    Claim(
        "true_class_loss",
        "The true class's p and loss -log p, against the squared errors (1 - p)^2 <= 1 and "
        "sum (p_i - y_i)^2 <= 2",
        "always (reports the run)",
    ),
    Claim(
        "gradient_ratio",
        "At z0 squared error's |dL/dz| is K times smaller than cross-entropy's",
        "always (K = 1 / (2 sigma (1 - sigma)) >= 2)",
    ),
    Claim(
        "start_class0",
        "Every training example starts as a confident 'class 0'",
        "every training example's starting sigma(z) < 0.05",
    ),
    Claim(
        "start_class1",
        "Every training example starts as a confident 'class 1'",
        "every training example's starting sigma(z) > 0.95",
    ),
    Claim(
        "start_undecided",
        "Both nets start undecided",
        "every training example's starting sigma(z) within 0.2 of 1/2",
    ),
    Claim(
        "start_spread",
        "Where the training examples start (the range of sigma(z))",
        "none of the three cases above",
    ),
    Claim(
        "training_report",
        "Each net's final accuracy, when it first reached 75 %, its first gradient norm",
        "always (reports the run)",
    ),
    Claim(
        "mse_stalled",
        "Squared error's net stayed at (within 0.02 of) its starting accuracy",
        "not diverged, never reached 75 %, train accuracy within 0.02 of its start at every epoch",
    ),
    Claim(
        "mse_slower",
        "Both nets learned (or reached 75 % at some epoch); squared error reached 75 % later",
        "neither diverged, both reached 75 %, squared error at a later epoch; 'learned' only "
        "when both ended at or above 75 %, else each net that ended below it is named with its "
        "final train accuracy",
    ),
    Claim(
        "mse_not_slower",
        "Squared error reached 75 % no later than cross-entropy here",
        "neither diverged, both reached 75 %, squared error at the same or an earlier epoch; "
        "both at epoch 0 (no update yet): says the run does not compare their speed",
    ),
    Claim(
        "training_diverged",
        "A net's training diverged at this step size",
        "its loss or accuracy became non-finite",
    ),
    Claim(
        "diagonal_mistake",
        "The diagonal-only Jacobian gives the wrong classes zero gradient instead of their p; "
        "the full Jacobian's p - y matches central differences",
        "p - y and the full Jacobian agree with central differences to relative error < 1e-6",
    ),
    Claim(
        "diagonal_mistake_roundoff",
        "As above, the check agreeing only up to float64 round-off (tiny gradients)",
        "relative error >= 1e-6 and every |difference| within 50 eps (2 + max|z|) / h",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


# A probability above this is printed "1 − <its complement>" (prob)
NEAR_ONE = 0.999


def prob(p: float, extra: int = 0, complement: float | None = None) -> str:
    """A probability for a sentence; near 1 as ``1 − 4.54e-05`` (not a rounded ``1``), with
    ``extra`` more significant digits; more where the last would be a 5 that rounding up made
    (core.facts.num: 0.81525 for 0.8152499 beside the metric's 0.8152). ``complement``: 1 − p
    computed without cancelling (a softmax's other probabilities summed), printed instead of
    ``1.0 - p``, whose digits past the first few are float64's rounding of p near 1 (logits
    (−9.9, −9.9, 9.9), class 3: "1 − 5.034998e-09" for 1 − 5.0349974…e-09, which the mirrored
    logits printed "1 − 5.034997e-09"; audit pass 62 g)."""
    if p > NEAR_ONE:
        return f"1 − {num(1.0 - p if complement is None else complement, 3 + extra)}"
    text = num(p, 4 + extra)
    # an inexact p keeps its trailing zeros: logits (0, 0, −10) gave the true class
    # p = 0.4999887 as "p = 0.5", an exact half to the eye, beside "(here 0.250)" and the same
    # p's "+0.500" on the page (audit pass 68 h); an exact 0.5 stays "0.5"
    return text if Decimal(text) == Decimal(p) else padded(text, 4 + extra)


def _shown(text: str) -> Decimal:
    """The probability a :func:`prob` text stands for."""
    return 1 - Decimal(text[4:]) if text.startswith("1 − ") else Decimal(text)


def prob_for_loss(p: float, loss: str, own: str, complement: float | None = None) -> str:
    """``prob(p)`` with digits added until −log p and (1 − p)² of the printed p are the printed
    loss and squared error ("p = 0.9983, so the loss is −log p = 0.00166" gives 0.00170), up to
    the digits float64 holds: 14 significant ones of p, or of its ``complement`` 1 − p."""
    for extra in range(11):
        text = prob(p, extra, complement)
        shown = _shown(text)
        if shown > 0 and agrees(loss, Decimal(-math.log(shown))) and agrees(own, (1 - shown) ** 2):
            break
    return text


def loss_text(loss: float) -> str:
    """A loss as the page's metrics and the −log p chart print it: 3 decimals; a positive one
    that would print 0.000 with 3 significant digits, and a squared error (1 − p)² below its
    bound 1 that would print 1.000 (p = 1e-09) with the digits that show it is below
    (0.999999998); halves rounded up."""
    if 0 < loss < 0.0005:  # 0.000 to 3 decimals
        return num(loss, 3)
    # decimals reads the float's own digits where cleaning would make a half: 16.000000249985916
    # (logits −9.8, −9.6, 6.2, class 1) is "16.0000002", not "16.0000003" (audit pass 63 h)
    text = decimals(loss + 0.0, 3)
    return text


# A decimal place is printed only where it is at least this many ulps of p: the softmax leaves
# p a few ulps off the exact probability.
RESOLVED = 16


def resolved_places(p: float) -> int:
    """The most decimals at which float64's ``p`` still stands for the exact probability: the
    last printed place at least :data:`RESOLVED` ulps of p (14 for a p near 1)."""
    return math.floor(-math.log10(RESOLVED * math.ulp(p))) if p > 0 else 17


def p_text(p: float, loss: float, places: int = 3, digits: int = 3) -> str:
    """The true class's p beside its cross-entropy ``loss`` as :func:`loss_text` prints it:
    ``places`` decimals (``digits`` significant ones of 1 − p for a p so near 1 that the loss is
    under 5e-4), more until −log of the printed p prints as the loss (0.002356 printed "0.002"
    beside a loss of 6.051 would give 6.215; the class table's 0.00012 beside 9.0002, 9.028).
    One text for the metric (3 decimals) and the class table (5)."""
    shown = loss_text(loss)
    if "e" in shown or float(shown) < 0.001:  # a loss under 5e-4: p = 1 − (about the loss)
        for k in range(digits, 18):
            text = f"1 − {num(1 - p, k)}"
            if num(-math.log1p(-float(text[4:])), 3) == shown:
                return text
        return text
    # up to the decimals float64 holds p to (not 17 for every p: at logits (−10, −10, 10), class
    # 1, p = 2.0611536139e-09 needs 19, and 17 printed 0.00000000206115361, whose −log is
    # 20.000000006, beside the cross-entropy's 20.000000004; audit pass 60 c)
    for k in range(places, max(places, resolved_places(p)) + 1):
        text = decimals(p, k)
        # never a 5 that rounding up made: the metric's 0.3572 beside the table's 0.35725
        # (p = 0.3572499) would read as two roundings of different numbers
        if (
            float(text) > 0
            and loss_text(-math.log(float(text))) == shown
            and not rounded_up_half(text, p)
        ):
            break
    return text


def sigma_for(at, ce: str, mse: str, ratio: str | None = None) -> str:
    """``prob(σ(z₀))`` with digits added until the printed gradients are those of the printed σ
    for a class-1 example: 1 − σ, 2σ(1 − σ)² and, if given, the ratio 2σ(1 − σ) ("σ = 0.9526 …
    a ratio of 0.0904 = 2σ(1 − σ)" gives 0.0903). Near 1, ``1 − <ce>``: cross-entropy's
    |∂L/∂z| is 1 − σ, so σ is written with the very text the sentence gives that gradient, not
    a second printing of it at other digits ("σ(z₀) = 1 − 4.54e-05: |∂L/∂z| is 4.540e-05" at
    z₀ = 10, "1 − 0.00012339 … 0.000123" at z₀ = 9; audit pass 66 c). The squared error then
    follows from that σ up to the rounding of its last digit (it squares 1 − σ), as it follows
    from the gradient printed beside it."""
    if at["sigmoid"] > NEAR_ONE and agrees(ce, Decimal(repr(float(at["bce_with_logits"])))):
        return f"1 − {ce}"
    for extra in range(14):
        text = prob(at["sigmoid"], extra)
        s = _shown(text)
        if (
            agrees(ce, 1 - s)
            and agrees(mse, 2 * s * (1 - s) ** 2)
            and (ratio is None or agrees(ratio, 2 * s * (1 - s)))
        ):
            break
    return text


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = [_answer(config, result), _saturation(result)]
    out.append(_true_class(result))
    out.append(_ratio(result))
    out.append(_start(result))
    out += _training(config, result)
    out.append(_jacobian(result))
    return out


def _answer(config, result) -> Fact:
    at = result.at_start
    answer = CROSS if at["bce_with_logits"] > at["mse"] else SQUARED
    # The sign of z decides, as in the lab's accuracy (z > 0 is class 1): a tiny z₀ such as
    # 1e-17 rounds σ to exactly 0.5 but is still on one side.
    side = (
        "class 0, wrongly"
        if at["z"] < 0
        else "class 1, rightly"
        if at["z"] > 0
        # the lab's accuracy predicts class 1 only for z > 0: z₀ = 0 counts as class 0 there,
        # not as the "undecided" it said alone (audit pass 55 f)
        else "on the boundary σ = 1/2, which the lab's accuracy, class 1 only for z > 0, "
        "counts as class 0, wrongly"
    )
    # the digits of the ratio sentences and of the gradient chart's tooltip at z₀, so that every
    # printed pair gives their printed ratio (0.731 and 0.287 beside "2.54 times" would give 2.55)
    ce, mse, _, _ = gradients_with_ratios(at)
    return _fact(
        "larger_gradient",
        f"At z₀ = {minus(num(at['z']))} a class-1 example gets σ(z₀) = {sigma_for(at, ce, mse)} "
        f"(predicted {side}): |∂L/∂z| is {ce} for cross-entropy and "
        f"{mse} for squared error. Squared error's gradient carries the sigmoid's "
        "slope σ′(z) = σ(1 − σ), which is near 0 in both tails; cross-entropy's log cancels "
        "it, leaving σ(z) − y.",
        slot=ANSWER,
        answer=answer,
    )


def gradients_with_ratios(at) -> tuple[str, str, str, str]:
    """Cross-entropy's and squared error's |dL/dz| at z0, their ratio 2 sigma (1 - sigma) and its
    inverse, the gradients with digits added until both printed ratios are the ratios of the
    printed gradients (never "0.731 and 0.287, 2.54 times smaller": 0.731 / 0.287 = 2.55)."""
    ce, mse = at["bce_with_logits"], at["mse"]
    for d in range(3, 18):
        ce_text, mse_text = apart(ce, mse, digits=d)
        # 1 − σ is below 1 at every z: 0.99995 (z₀ = −10), not "1"
        ce_text = not_whole(ce, d) if float(ce_text) == round(float(ce_text)) else ce_text
        # both at one count of significant digits with their zeros (core.facts.alike's rule):
        # "0.62246 for cross-entropy and 0.2926 for squared error" (z₀ = −0.5) read the second
        # as less precise (audit pass 64 h); checked after the padding, which can move a
        # gradient's last digit (z₀ = −8: "0.00067" padded to "0.0006703")
        # zeros kept to d digits: "0.0015 for cross-entropy and 4.5e-06 for squared error"
        # (z₀ = 6.5, 0.001501) read both at two digits beside σ(z₀) = 0.998499 (audit pass 66 c)
        texts = [padded(ce_text, d), padded(mse_text, d)]
        while len({significant(t) for t in texts}) > 1:
            most = max(significant(t) for t in texts)
            texts = [
                t if significant(t) == most else padded(num(v, most), most)
                for v, t in zip((ce, mse), texts, strict=True)
            ]
        # both ratios at 3 significant digits with their zeros (core.facts.sig_num), never more
        # than the gradients they are the ratio of ("0.50 and 0.25, a ratio of 0.50"): num
        # dropped the zero, "a ratio of 0.47" (z₀ = −0.5, 0.470007) and "1.1e+04 times smaller"
        # (z₀ = −10, 11015) at 2 beside "0.0904" and "202.7" at other z₀ (audit pass 65 e)
        shown = min(3, significant(texts[0]))
        ratio, times = sig_num(at["ratio"], shown), sig_num(1 / at["ratio"], shown)
        try:
            shown_ce, shown_mse = Decimal(texts[0]), Decimal(texts[1])
            # near 1 σ(z₀) prints as "1 − <this cross-entropy gradient>" (sigma_for), so the
            # ratio must be 2σ(1 − σ) of that σ too: z₀ = 9 printed "σ(z₀) = 1 − 0.000123 …
            # a ratio of 0.000247 = 2σ(1 − σ)", where 2 × 0.000123 × 0.999877 is 0.000246
            # (audit pass 68 h)
            near = at["sigmoid"] > NEAR_ONE
            if (
                agrees(ratio, shown_mse / shown_ce)
                and agrees(times, shown_ce / shown_mse)
                and (not near or agrees(ratio, 2 * shown_ce * (1 - shown_ce)))
            ):
                break
        except (InvalidOperation, ZeroDivisionError):
            break
    return texts[0], texts[1], ratio, times


def _saturation(result) -> Fact:
    at = result.at_start
    ce, mse, ratio, _ = gradients_with_ratios(at)
    return _fact(
        "saturation_ratio",
        f"At z₀ = {minus(num(at['z']))} (dashed), σ(z₀) = {sigma_for(at, ce, mse, ratio)}: |∂L/∂z| is "
        f"{ce} for cross-entropy and {mse} for squared "
        f"error, a ratio of {ratio} = 2σ(1 − σ), never more than 1/2.",
        slot=SATURATION,
        ratio=at["ratio"],
    )


def squared_errors(result) -> tuple[float, float]:
    """((1 - p_true)^2, sum_i (p_i - y_i)^2) at the chosen scores."""
    p = np.asarray(result.probabilities, dtype=np.float64)
    y = np.eye(len(p))[result.true_class]
    return float((1.0 - p[result.true_class]) ** 2), float(np.sum((p - y) ** 2))


def _below_bound(x: float, text: str | None = None) -> str:
    """``text`` (``num(x)`` if not given), with digits added where it would print a whole number
    ``x`` is not: a squared error of 0.999999998 (p = 1e-09) beside "never exceeds 1" is not "1",
    its bound."""
    text = num(x) if text is None else text
    return not_whole(x) if float(text) == round(float(text)) and float(text) != x else text


def complement(result, i: int) -> float:
    """1 − p_i as the sum of the other classes' probabilities: float64 holds it to a few ulps,
    where 1.0 − p_i keeps only the digits p_i's rounding near 1 leaves."""
    p = np.asarray(result.probabilities, dtype=np.float64)
    return float(np.sum(np.delete(p, i)))


def _true_class(result) -> Fact:
    c = result.true_class
    p = float(result.probabilities[c])
    own, total = squared_errors(result)
    # to 12 significant digits first: weights 0.95, 0.75, 0.3 give p = 0.15 exactly, computed as
    # 0.15000000000000002, whose (1 − p)² = 0.7225 float64 holds as 0.72249999…: "0.722" beside
    # it would need p printed as "0.15000000000000002" to agree
    # both at one count of significant digits (core.facts.alike): "(here 0.116) … (here 0.1848)"
    # at the defaults read the first as less precise (audit pass 65 e)
    cleaned_pair = [float(f"{v:.12g}") for v in (own, total)]  # plain-format: cleaned, not printed
    own_text, total_text = (
        _below_bound(v, text) for v, text in zip(cleaned_pair, alike(*cleaned_pair), strict=True)
    )
    return _fact(
        "true_class_loss",
        f"The true class {c + 1} gets p = "
        f"{prob_for_loss(p, loss_text(float(result.loss)), own_text, complement(result, c))}, so "
        f"the loss is −log p = {loss_text(float(result.loss))}. A confident wrong answer with p = 0.01 would "
        "cost 4.605, and p → 0 costs without bound, while the squared error of this class's "
        f"probability, (1 − p)² (here {own_text}), never exceeds 1, and summed over the three classes, "
        f"Σ(p_i − y_i)² (here {total_text}), never exceeds 2.",
        p=p,
        own=own,
        total=total,
    )


def _ratio(result) -> Fact:
    at = result.at_start
    ce, mse, _, times = gradients_with_ratios(at)
    return _fact(
        "gradient_ratio",
        # magnitudes: for a class-1 example both derivatives are negative (σ − 1 = −|∂L/∂z|)
        f"At z₀ = {minus(num(at['z']))}, cross-entropy's |∂L/∂z| is {ce} "
        f"and squared error's {mse}, {times} times smaller.",
        times=1 / at["ratio"],
    )


def start_sigmoids(result) -> np.ndarray:
    return sigmoid(np.asarray(result.start_logits, dtype=np.float64))


def sigma_range(lo: float, hi: float) -> tuple[str, str]:
    """The two ends of a range of σ at one count of significant digits with their zeros
    (:func:`core.facts.alike`, at least :func:`prob`'s), "1 − …" ends at one count too: "σ from
    0.002068 to 0.0033446" read the low end as less precise than the high (audit pass 64 h)."""
    texts = prob(lo), prob(hi)
    near = [t.startswith("1 − ") for t in texts]
    if not any(near):
        return alike(lo, hi, digits=max(significant(t) for t in texts))
    if all(near) or lo > 0.5:
        # the complements as prob prints them (1.0 − p: the start's σ are not a softmax's); a
        # low end below prob's "1 − …" form beside a high end in it is written that way too, at
        # the high end's digits: "σ from 0.9989 to 1 − 0.000673" (z₀ = 7) and "from 0.999 to
        # 1 − 0.0001046" read the low end to 1e-4 and 1e-3 beside a high end to 1e-6 and 1e-7
        # (audit pass 67 c)
        low, high = alike(
            1.0 - lo, 1.0 - hi, digits=max(significant(t[4:]) for t in texts if t[:4] == "1 − ")
        )
        return f"1 − {low}", f"1 − {high}"
    return texts


def logit_range(z_lo: float, z_hi: float) -> tuple[str, str]:
    """The two ends of a range of logits beside :func:`sigma_range` of their σ: at one count of
    significant digits with their zeros (:func:`core.facts.alike`), the fewest (from 3) at which σ
    of each printed logit prints as σ of the logit (−5.6967 printed "−5.7" beside σ = 0.003345,
    while σ(−5.7) = 0.003335): "logits
    from −6.179 to −5.697043" read the low end as less precise than the high (audit pass 64 h)."""
    shown = sigma_range(float(sigmoid(np.float64(z_lo))), float(sigmoid(np.float64(z_hi))))
    for d in range(3, 18):
        texts = alike(z_lo, z_hi, digits=d)
        printed = [float(sigmoid(np.float64(float(t)))) for t in texts]
        if sigma_range(*printed) == shown:
            break
    return texts


def _start(result) -> Fact:
    s = start_sigmoids(result)
    lo, hi = float(s.min()), float(s.max())
    z_lo, z_hi = float(np.min(result.start_logits)), float(np.max(result.start_logits))
    z_texts, s_texts = logit_range(z_lo, z_hi), sigma_range(lo, hi)
    where = (
        f"the {len(s)} training examples have logits from {minus(z_texts[0])} to "
        f"{minus(z_texts[1])} "
        f"(σ from {s_texts[0]} to {s_texts[1]})"
    )
    if hi < CONFIDENT:
        key = "start_class0"
        text = (
            f"At the start, {where}: every one is a confident 'class 0', where σ′ = σ(1 − σ) < 0.05, "
            "so the class-1 points among them are confidently wrong."
        )
    elif lo > 1 - CONFIDENT:
        key = "start_class1"
        text = (
            f"At the start, {where}: every one is a confident 'class 1', where σ′ = σ(1 − σ) < 0.05, "
            "so the class-0 points are confidently wrong."
        )
    elif lo >= 0.5 - UNDECIDED and hi <= 0.5 + UNDECIDED:
        key = "start_undecided"
        text = f"At the start, {where}: both nets start undecided, every σ within {num(UNDECIDED)} of 1/2."
    else:
        key = "start_spread"
        text = f"At the start, {where}."
    return _fact(key, text, slot=TRAINING, low=lo, high=hi)


def reached_accuracy(frame, epoch) -> float:
    """The train accuracy at ``epoch`` (the first at or above the target) of one net's curve."""
    return float(frame.loc[frame["epoch"] == epoch, "train_accuracy"].iloc[0])


def _reached(row, frame) -> str:
    """When a net first reached the target, with its accuracy then: the first epoch at or above
    75 % is rarely at 75 % itself (gaussians at z₀ = 0 start at 0.91, not "at 75%")."""
    e = row["epochs_to_75"]
    if math.isnan(e):
        return f"never reached {TARGET_PCT}"
    shown = decimals(reached_accuracy(frame, e), 2)
    if e == 0:
        return f"already {shown} at the start, at or above {TARGET_PCT}"
    return f"first at or above {TARGET_PCT} after {int(e)} epoch{'s' * bool(e != 1)}: {shown}"


def _training(config, result) -> list[Fact]:
    summary = result.summary
    ce, sq = summary.loc["bce_with_logits"], summary.loc["mse"]
    out = [
        _fact(
            "training_diverged",
            f"The net trained with {LABELS[name]} diverged at η = {num(config.learning_rate)}: "
            "lower the learning rate.",
            slot=WARNING,
            model=name,
        )
        for name in summary.index[summary["diverged"]]
    ]

    def report(row, name, model):
        if row["diverged"]:
            return f"{name} diverged"
        frame = result.training[result.training["model"] == model]
        return (
            f"{name} ended at train accuracy {decimals(row['train_accuracy'], 2)} "
            f"({_reached(row, frame)})"
        )

    norms = ""
    if not (math.isnan(ce["start_grad_norm"]) or math.isnan(sq["start_grad_norm"])):
        # one count of significant digits (core.facts.alike): "0.836 and 6.649e-05" at ?z0=10
        # read the first as less precise (audit pass 64 h)
        ce_norm, sq_norm = alike(float(ce["start_grad_norm"]), float(sq["start_grad_norm"]))
        norms = f"; their first gradients had norms {ce_norm} and {sq_norm}"
    out.append(
        _fact(
            "training_report",
            f"Trained for {config.epochs} epochs from that start: "
            f"{report(ce, 'cross-entropy', 'bce_with_logits')}, "
            f"{report(sq, 'squared error', 'mse')}{norms}.",
        )
    )
    if summary["diverged"].any():
        return out
    frame = result.training[result.training["model"] == "mse"]
    start, end = float(frame["train_accuracy"].iloc[0]), float(frame["train_accuracy"].iloc[-1])
    # "stayed": within STALLED of the start at every epoch, not only at the last one
    moved = float(np.max(np.abs(frame["train_accuracy"].to_numpy() - start)))
    if math.isnan(sq["epochs_to_75"]) and moved < STALLED:
        s = start_sigmoids(result)
        slope = float(np.max(s * (1.0 - s)))
        why = (
            # zeros kept (bound): circles at z₀ = 10 printed "at most 6e-05" under a start
            # caption's "σ from 1 − 6.00e-05", a bound of one digit where others print three
            # (audit pass 69 h)
            f" Its gradient carries σ′(z), at most {bound_text(slope, 3)} for any example at the start "
            "(σ′(0) = 1/4), so its steps start out tiny."
            if slope < CONFIDENT
            else ""
        )
        out.append(
            _fact(
                "mse_stalled",
                (
                    "Squared error's net stayed at its starting accuracy"
                    if moved == 0
                    # accuracies are printed as fractions: the margin too (not "2 points")
                    else "Squared error's net stayed within "
                    f"{num(STALLED)} of its starting accuracy at every epoch"
                )
                + f": train accuracy {decimals(start, 2)} at the start and {decimals(end, 2)} after "
                f"{config.epochs} epochs.{why}",
                slot=TRAINING,
                start=start,
                end=end,
                slope=slope,
            )
        )
    reached = [ce["epochs_to_75"], sq["epochs_to_75"]]
    if not any(math.isnan(e) for e in reached):
        if sq["epochs_to_75"] > ce["epochs_to_75"]:
            # "learned" only of nets that ended at or above the target: at η = 5 a
            # cross-entropy net can touch 75 % once and end back at 0.50, where it started
            # (circles, z₀ = −0.5, 20 epochs, seed 4; audit pass 48 h)
            fell = [
                f"{name} ended below it, at {decimals(row['train_accuracy'], 2)}"
                for name, row in (("cross-entropy", ce), ("squared error", sq))
                if row["train_accuracy"] < TARGET
            ]
            when = (
                f"(epoch {int(sq['epochs_to_75'])}, cross-entropy at epoch "
                f"{int(ce['epochs_to_75'])})"
            )
            out.append(
                _fact(
                    "mse_slower",
                    (
                        f"Both nets learned; squared error reached {TARGET_PCT} train accuracy "
                        f"later {when}."
                        if not fell
                        else f"Both nets reached {TARGET_PCT} train accuracy at some epoch, "
                        f"squared error later {when}, but {listing(fell, 'and')}."
                    ),
                    slot=TRAINING,
                    fell=tuple(fell),
                )
            )
        elif sq["epochs_to_75"] == 0 and ce["epochs_to_75"] == 0:
            out.append(
                _fact(
                    "mse_not_slower",
                    f"Both nets were already at {TARGET_PCT} train accuracy or more at the "
                    "start (epoch 0), before any update: this run does not compare how fast "
                    "they learn.",
                    slot=TRAINING,
                )
            )
        else:
            out.append(
                _fact(
                    "mse_not_slower",
                    f"Here squared error reached {TARGET_PCT} train accuracy no later than "
                    f"cross-entropy (epoch {int(sq['epochs_to_75'])} vs "
                    f"{int(ce['epochs_to_75'])}): at this start and step size its gradient, at "
                    "most half of cross-entropy's at the same logit (2σ(1 − σ) ≤ 1/2; the two "
                    "nets share their logits only until the first update), did not hold it back.",
                    slot=TRAINING,
                )
            )
    return out


def bound_text(x: float, digits: int = 2) -> str:
    """A bound ``x`` rounded up (core.facts.up) with its trailing zeros kept to ``digits``
    significant digits, so that the bounds of one sentence read at one precision: logits
    (−10, −10, 9.9), class 1, printed "to within 1.5e-10 … with the Jacobian to within 4e-12"
    for a bound of 4.0e-12 (audit pass 69 h)."""
    return padded(up(x, digits), digits)


def _check_cell(v: float, extra: int = 0) -> str:
    """A p − y or its central difference for the page's table: 5 decimals, or as
    core.facts.inside_unit writes a value strictly inside (−1, 1) that would print 0.00000 or
    ±1.00000; ``extra`` more digits."""
    a = abs(v)
    text = inside_unit(a, 5)
    if extra:
        if text.startswith("1 − "):
            text = f"1 − {num(1.0 - a, 2 + extra)}"
        elif 0.0 < a < 1.0 and ("e" in text or float(text) == 0.0):
            text = num(a, 2 + extra)
        else:
            text = decimals(a, 5 + extra)
    if v >= 0:
        return text
    return f"-({text})" if text.startswith("1 − ") else f"-{text}"


def _cell_value(text: str) -> Decimal:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("-").strip("()")
    return sign * _shown(body)


def check_cells(result) -> tuple[list[str], list[str]]:
    """The table's p − y and central-difference cells, each pair with digits added until the
    printed pair is no further apart than the absolute error the check sentence states (never
    "2.1e-07" beside "2e-07" under "agree to within 9.5e-11")."""
    classes = result.classes
    gradient = classes["gradient"].to_numpy(dtype=float)
    numeric = classes["central_difference"].to_numpy(dtype=float)
    bound = Decimal(up(float(np.max(np.abs(gradient - numeric))), 2))
    grad_texts, numeric_texts = [], []
    for g, n in zip(gradient, numeric, strict=True):
        for extra in range(16):
            g_text, n_text = _check_cell(float(g), extra), _check_cell(float(n), extra)
            if (
                abs(_cell_value(g_text) - _cell_value(n_text)) <= bound
                and not rounded_up_half(g_text, float(g))
                and not rounded_up_half(n_text, float(n))
            ):
                break
        g_text, n_text = _one_precision(g_text, float(g), n_text, float(n))
        grad_texts.append(g_text)
        numeric_texts.append(n_text)
    return grad_texts, numeric_texts


def _significant_part(text: str) -> str | None:
    """The significant-digit number in a :func:`_check_cell` text ("2.1e-09" of "2.1e-09",
    "-(1 − 2e-09)"), or None for one at fixed decimals ("0.33333")."""
    body = text.lstrip("-").strip("()")
    inner = body[4:] if body.startswith("1 − ") else body
    return inner if body.startswith("1 − ") or "e" in inner else None


def _one_precision(g_text: str, g: float, n_text: str, n: float) -> tuple[str, str]:
    """A table row's p − y and central difference at one count of significant digits, zeros
    kept (core.facts.sig_num), where both print significant digits of the same form: logits
    (−10, −10, 10), class 1, printed "2.1e-09" beside "2e-09" (for 1.95e-09) and
    (−10, −9.9, 9.9), class 1, "2.5e-09" beside "2.49e-09" (audit pass 71 b). More digits only
    bring each text nearer its value, so the pair stays within the sentence's bound."""
    parts = _significant_part(g_text), _significant_part(n_text)
    if None in parts or g_text.strip("-()").startswith("1 − ") != n_text.strip("-()").startswith(
        "1 − "
    ):
        return g_text, n_text
    near_one = g_text.strip("-()").startswith("1 − ")

    def at(text: str, v: float, k: int) -> str:
        body = f"1 − {sig_num(1.0 - abs(v), k)}" if near_one else sig_num(abs(v), k)
        if v >= 0:
            return body
        return f"-({body})" if near_one else f"-{body}"

    k = max(significant(p) for p in parts)
    for _ in range(4):
        g_text, n_text = at(g_text, g, k), at(n_text, n, k)
        counts = significant(_significant_part(g_text)), significant(_significant_part(n_text))
        if counts[0] == counts[1]:
            break
        k = max(counts)
    return g_text, n_text


def _plus(p: float, complement: float) -> str:
    """A wrong class's gradient p: ``+0.333``, or ``+(1 − 2.06e-09)`` near 1 (not ``+1``), its
    1 − p the ``complement`` summed from the other classes (:func:`prob`)."""
    # zeros kept (core.facts.sig_num): weights (1, 0.01, 0.01), class 2, printed "+0.98 and
    # +0.0098" beside the true class's equal "p = 0.00980392" (audit pass 65 e)
    if p > NEAR_ONE:
        # the complement's zeros kept too: logits (−10, −9.9, 9.9), class 1, printed "+2.52e-09
        # and +(1 − 4.8e-09)", a 3-digit 4.80e-09 read at two beside the other class's three
        # (audit pass 69 h)
        text = prob(p, complement=complement)
        return f"+(1 − {padded(text[4:], 3)})" if text.startswith("1 − ") else f"+({text})"
    return f"+{sig_num(p, 3)}"


def _jacobian(result) -> Fact:
    classes = result.classes
    c = result.true_class
    wrong = classes.drop(index=c)
    gradient = classes["gradient"].to_numpy()
    numeric = classes["central_difference"].to_numpy()
    grad_abs = float(np.max(np.abs(gradient - numeric)))
    # without core.gradcheck's 1e-8 floor, which the sentence does not name: at logits
    # (10, −10, −10), class 1, every |p − y| is under 5e-9 and the floor printed 1.6e-08 for a
    # relative error of 1.9e-08 (audit pass 55 f)
    grad_rel = relative_error(gradient, numeric)
    head = (
        "With only the Jacobian's diagonal, the wrong classes' logits get zero gradient "
        "instead of "
        + listing(
            [_plus(float(classes["gradient"][i]), complement(result, i)) for i in wrong.index]
        )
        + " (their p): "
        "only the full Jacobian gives p − y"
    )
    if grad_rel < AGREE_BELOW and result.jacobian_rel_error < AGREE_BELOW:
        return _fact(
            "diagonal_mistake",
            f"{head}, which central differences confirm (relative error {num(grad_rel, 2)}; "
            f"Jacobian {num(result.jacobian_rel_error, 2)}).",
            gradient_rel_error=grad_rel,
        )
    # each check with its own errors: logits (−10, 10, −10), class 1, check p − y to a relative
    # error of 5.5e-11 and only the Jacobian to 7.8e-4, which was said of p − y (audit pass 45)
    jacobian = result.jacobian.loc[result.jacobian["version"] == "full", "value"].to_numpy()
    named = [
        (what, entries)
        for what, rel, entries in (
            ("p − y", grad_rel, gradient),
            ("the Jacobian", result.jacobian_rel_error, jacobian),
        )
        if rel >= AGREE_BELOW
    ]
    small = listing([what for what, _ in named])
    # not "the smallest entries" where every entry is under the round-off bound: logits
    # (10, −10, −10) give a Jacobian whose largest entry is 4.1e-09 against a bound of 1.4e-08
    # (audit pass 55 f)
    every = all(float(np.max(np.abs(entries))) < result.roundoff for _, entries in named)
    why = (
        f"every entry of {small} here is under the bound on float64 round-off in the estimate, "
        f"{bound_text(result.roundoff, 2)}, so round-off can be a visible share of any of them"
        if every
        else f"the smallest entries of {small} here are so small that float64 round-off in the "
        f"estimate, under {bound_text(result.roundoff, 2)}, is a visible share of them"
    )
    return _fact(
        "diagonal_mistake_roundoff",
        f"{head}. Central differences agree with it to within {bound_text(grad_abs, 2)} (relative "
        f"error up to {bound_text(grad_rel, 2)}) and with the Jacobian to within "
        f"{bound_text(result.jacobian_abs_error, 2)} (relative error up to "
        f"{bound_text(result.jacobian_rel_error, 2)}): {why}.",
        gradient_abs_error=grad_abs,
        gradient_rel_error=grad_rel,
        every_entry=every,
    )


def p_metric(p: float, places: int = 3) -> str:
    """A probability to 3 decimals, halves rounded up (weights 0.01, 0.01, 0.14 give exactly
    1/16 = 0.0625: "0.063", not float formatting's "0.062"; p as the printers read it (core.facts.cleaned) keeps
    the half that float division leaves at 0.012499999999999999 for 1/80, as the sentence and the
    bars print it); one strictly between 0 and 1 that would print 0.000 or 1.000 with 3
    significant digits (of p, or of 1 − p) instead."""
    text = decimals(p, places)  # never a 5 that rounding up made (core.facts.decimals)
    # nor decimals finer than float64 holds p to: at logits (−10, −10, 10), class 1 true (its p
    # needs 17 decimals), class 3 printed "p = 0.99999999587769280" for the exact
    # 0.99999999587769277…, its last two digits float64's rounding (audit pass 60 c)
    # core.facts.decimals adds decimals to a p that would print 0.000, so the test is on the
    # text at ``places`` itself: at logits (−10, −10, 10), class 3, the wrong classes' help read
    # "p = 0.000000002" (one digit) beside the sentence's +2.06e-09 (audit pass 71 b)
    at_places = Decimal(repr(float(p))).quantize(Decimal(1).scaleb(-places))
    if 0 < p < 1 and (at_places in (0, 1) or places > resolved_places(p)):
        return num(p, 3) if p < 0.5 else f"1 − {num(1 - p, 3)}"
    return text


# A p longer than this is cut ("p = 0.000000…", "p = 1 − 4.12e…") in a row of four metrics at
# 1400 px (logits (−10, −10, 10), class 1: p = 0.000000002061153614, which −log takes to the
# loss's 20.000000004)
METRIC_CHARS = 10


def p_metric_values(
    texts: list[str], probabilities: list[float], complements: list[float]
) -> list[tuple[str, str]]:
    """Each class's metric value and what its help adds: its text itself where it fits, else p
    (near 1, 1 − p, summed from the other classes) after "≈", with every digit of the text in the
    help. The "≈" values of one row at one count of significant digits, zeros kept
    (core.facts.alike): 3, or where a 1 − p is among them the one digit it gets to fit, more
    where one must print longer. ?z1=-10&z2=-9.9&z3=9.9&cls=1 read "p ≈ 2.28e-09",
    "p ≈ 2.52e-09", "p ≈ 1 − 4.8e-09", the third beside the sentence's 1 − 4.80e-09 (audit pass
    70 b)."""
    cut = [i for i, text in enumerate(texts) if len(text) > METRIC_CHARS]
    near_one = [i for i in cut if probabilities[i] >= 0.5]
    shown = [complements[i] if i in near_one else probabilities[i] for i in cut]
    rounded = dict(zip(cut, alike(*shown, digits=1 if near_one else 3), strict=True))
    out = []
    for i, text in enumerate(texts):
        if i not in rounded:
            out.append((f"p = {text}", ""))
        else:
            value = f"1 − {rounded[i]}" if i in near_one else rounded[i]
            out.append((f"p ≈ {value}", f"; p = {text}"))
    return out
