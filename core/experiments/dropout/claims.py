"""What a dropout run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import numpy as np

from core.experiments.dropout.experiment import MC_SAMPLES, eval_every, keep_key
from core.experiments.dropout.masks import CHECK_DRAWS, CHECK_QS, DEEPER_DRAWS
from core.facts import (
    ANSWER,
    ROUND_OFF,
    WARNING,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    gap_or_round_off,
    minus,
    num,
    padded,
    plural,
    sig_num,
    significant,
    up,
    with_difference,
)

OUTCOMES = ("lower", "about the same", "higher")
# The prediction's answer: q = 0.5 against q = 1 on the same test points, in standard errors of
# the paired per-point difference.
SAME_SE = 2.0
# "Rose after its lowest point": the final test loss more than 1 % above the lowest.
ROSE = 0.01
# "Harder to fit": q = 0.5's final (unmasked) training loss more than 5 % above q = 1's.
FIT_MARGIN = 1.05
# The single pass is "close to" the Monte Carlo average when their test losses differ by <= 10 %.
MC_CLOSE = 0.10
# Monte Carlo checks: a measured mean this many standard errors from its expectation is flagged.
EXPECT_Z, DEEPER_Z = 3.0, 4.0
# A cross-entropy this small is 0 for these sentences: every point fitted with probability
# 1 − 1e-12 or better (the averaged loss can even come out as −9e-16, pure round-off).
TINY_LOSS = 1e-12

CLAIMS = Claims(
    Claim(
        "run_diverged",
        "A run stopped early (its loss became non-finite or exploded)",
        "that run's history says diverged",
    ),
    Claim(
        "answer_lower",
        "q = 0.5 ended with a lower test loss than no dropout (the prediction's answer)",
        "mean paired difference of the per-point test losses < -2 standard errors",
    ),
    Claim(
        "answer_same",
        "q = 0.5 and no dropout ended with test losses this test set cannot tell apart",
        "|mean paired difference| <= 2 standard errors",
    ),
    Claim(
        "answer_higher",
        "q = 0.5 ended with a higher test loss than no dropout ('no guarantee' only where the "
        "net without dropout overfit)",
        "mean paired difference > 2 standard errors; 'Dropout is no guarantee' only where q = 1's "
        "final test loss is more than 1.01 x its lowest measured and q = 0.5's final training "
        "loss is not above 1.05 x q = 1's (else q = 0.5's higher training loss is named); else "
        "no overfitting to curb is named (and q = 0.5's higher training loss, where it is)",
    ),
    Claim(
        "gap_report",
        "Final training accuracy, losses and gap without dropout, and the gap at the smallest q",
        "always (reports the run)",
    ),
    Claim(
        "test_rose",
        "A run's test loss rose after its lowest measured point (without dropout: it overfits)",
        'final test loss > 1.01 x its lowest measured (q = 1 and q = 0.5); "overfits" only if '
        "the training loss at the end is below its value at that lowest point; the spacing of "
        "the measurements named where it is more than one epoch; a lowest at epoch 0 named as "
        "the value before any update, not one training reached",
    ),
    Claim(
        "test_at_lowest",
        "A run's test loss ends at (within 1 % of) its lowest measured (without dropout: no "
        "overfitting by this measure)",
        "final test loss <= 1.01 x its lowest measured; the spacing of the measurements named "
        "where it is more than one epoch",
    ),
    Claim(
        "harder_to_fit",
        "With q = 0.5 the training points are fitted less closely",
        "q = 0.5's final training loss (no masks) > 1.05 x q = 1's and > 1e-12",
    ),
    Claim(
        "fits_anyway",
        "Dropout did not raise the net's final training loss by more than 5 %, or left it under "
        "1e-12 (fitted to round-off)",
        "q = 0.5's final training loss (no masks) <= 1.05 x q = 1's, or <= 1e-12",
    ),
    Claim(
        "unit_report",
        "A first-layer unit's inference value, its masked values and their mean over 4,000 masks",
        "the unit is active at inference (a > 0); reports the run",
    ),
    Claim(
        "unit_off",
        "Every first-layer unit is off on training point 1, so the masks have nothing to scale",
        "a = 0 for every unit of layer 1",
    ),
    Claim(
        "expectation_within",
        "At every q < 1 of the check, the mean of mask·a/q is within 3 standard errors of a (at q = 1 it is a up to round-off)",
        "a > 0 and max |z| <= 3 over the ten q (standard error a·sqrt((1 - q)/(q·2000)))",
    ),
    Claim(
        "expectation_outside",
        "At some q the measured mean is more than 3 standard errors from a (a Monte Carlo "
        "fluctuation: its expectation is a)",
        "a > 0 and max |z| > 3",
    ),
    Claim(
        "deeper_differs",
        "Layer 2's units' mean masked output differs from their inference value",
        "depth >= 2, q < 1, some unit active at inference more than 4 standard errors off",
    ),
    Claim(
        "deeper_close",
        "Layer 2's units active at inference stay within 4 standard errors of their inference "
        "values here (units off at inference, whose mean under masks can rise above 0, are "
        "counted apart)",
        "depth >= 2, q < 1, no active unit more than 4 standard errors off",
    ),
    Claim(
        "mc_close",
        "The single unmasked pass scores like the average over 25 masks (test loss within 10 % "
        "or both under 1e-12, accuracy within two standard errors of one test accuracy)",
        "q < 1, (|single - MC| <= 0.1 x MC or both losses <= 1e-12) and |accuracy gap| <= 2 SE "
        "(at least 1/n)",
    ),
    Claim(
        "mc_apart",
        "The single unmasked pass and the average over 25 masks score differently",
        "q < 1 and ((|single - MC| > 0.1 x MC and a loss > 1e-12) or |accuracy gap| > 2 SE)",
    ),
)


def _zeros_kept(texts: tuple[str, ...], values: tuple[float, ...], digits: int) -> tuple[str, ...]:
    """``texts`` (num's prints of ``values``) with zeros kept to ``digits`` or the longest's count
    of significant digits wherever those zeros are the value's own digits ("5.440 against 6.646",
    not "5.44 against 6.646"), never a digit num did not print: a loss num prints a digit longer
    (never a rounded-up 5: 0.18545 at 4 digits) leaves its neighbour's "3.775" alone. Padding it
    to "3.7752" (core.facts.alike) made it a second text of a loss the tooltips and the dumbbell
    print as 3.775, and loss_digits climbed to 14 digits to make them one (epochs 400, η = 0.03,
    every q: "Final test loss 6.6463367115778 … 5.4398984321174"; audit pass 68 a)."""
    try:
        most = max(digits, *(significant(t) for t in texts))
        return tuple(
            padded(t, most) if Decimal(num(v, most)) == Decimal(t) else t
            for t, v in zip(texts, values, strict=True)
        )
    except (InvalidOperation, ValueError):
        return texts


def _losses(*values: float, digits: int) -> tuple[str, ...]:
    """Losses one sentence compares, each printed as every other print of it reads (loss_digits:
    num's text at ``digits`` or more, apart), zeros kept (_zeros_kept)."""
    return _zeros_kept(apart(*values, digits=digits), values, apart_digits(values, digits))


def _loss_difference(a: float, b: float, holds=lambda text: True, *, digits: int, round_off=False):
    """Two losses and their difference (with_difference, or gap_or_round_off where
    ``round_off``), the losses with zeros kept as _losses keeps them."""
    if round_off:
        a_text, b_text, gap = gap_or_round_off(a, b, digits=digits, nonnegative=True)
    else:
        a_text, b_text, gap = with_difference(a, b, holds, digits=digits, nonnegative=True)
    return *_zeros_kept((a_text, b_text), (a, b), apart_digits((a, b), digits)), gap


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def inspect_slot(q: float) -> str:
    """Where the page shows the mask checks of the run it inspects (keep probability q)."""
    return f"inspect:{keep_key(q)}"


def ensemble_slot(q: float) -> str:
    """Where the page shows the Monte Carlo comparison of the run it inspects."""
    return f"ensemble:{keep_key(q)}"


def paired_difference(result) -> tuple[float, float]:
    """Mean and standard error of q = 0.5's per-point test loss minus q = 1's (same points)."""
    d = result.runs[0.5].test_losses - result.runs[1.0].test_losses
    se = float(np.std(d, ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.inf
    return float(np.mean(d)), se


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them.

    A run that stopped early is named, and nothing else is said: its numbers are not final.
    """
    out = _diverged(result)
    if out:
        return out
    digits = loss_digits(result)
    out += _answer(result, digits)
    out += _report(result, digits, every=eval_every(config))
    for q, run in result.runs.items():
        if q < 1:
            out += _inspect(config, q, run, digits)
    return out


def _diverged(result) -> list[Fact]:
    return [
        _fact(
            "run_diverged",
            f"**The run with q = {num(q, 6)} stopped early** ({run.summary['stopped_reason']}): its "
            "curves end at the last epoch evaluated.",
            slot=WARNING,
            q=q,
        )
        for q, run in result.runs.items()
        if run.summary["diverged"]
    ]


def _beyond(z: float) -> str:
    """A count of standard errors beyond SAME_SE at 2 decimals, with digits added where 2
    decimals would print the bar itself (2.0004 is not "2.00", which the answer rule excludes)."""
    text = decimals(z, 2)
    return text if float(text) > SAME_SE else apart(z, SAME_SE, digits=3)[0]


def _answer_texts(result, digits: int) -> tuple[str, str, str, str, str | None]:
    """(claim, q = 0.5's and q = 1's final test loss, their difference, the standard error) as
    the answer prints them: the losses with ``digits`` significant digits or more, the difference
    that of the printed losses; beside "within two standard errors" the SE rounded up and the
    difference, as printed, within two of them."""
    base, half = result.runs[1.0].summary["test_loss"], result.runs[0.5].summary["test_loss"]
    diff, se = paired_difference(result)
    if diff < -SAME_SE * se:
        half_text, base_text, by = _loss_difference(half, base, digits=digits)
        return "answer_lower", half_text, base_text, by, None
    if diff > SAME_SE * se:
        base_text, half_text, by = _loss_difference(base, half, digits=digits)
        return "answer_higher", half_text, base_text, by, None
    if se == 0 and diff == 0:
        return "answer_same", *_losses(half, base, digits=digits), "0", None
    # two significant digits with zeros kept: "2 × 0.0070", not "2 × 0.007" (an SE at one digit
    # beside a difference at three, audit pass 63 b)
    se_text = padded(up(se, 2), 2)
    base_text, half_text, diff_text = _loss_difference(
        base, half, holds=lambda t: abs(float(t)) <= SAME_SE * float(se_text), digits=digits
    )
    return "answer_same", half_text, base_text, diff_text, se_text


def _answer(result, digits: int) -> list[Fact]:
    diff, se = paired_difference(result)
    n = result.n_test
    values = {"diff": diff, "se": se}
    key, half_text, base_text, by, se_text = _answer_texts(result, digits)
    losses = f"Final test loss {half_text} with q = 0.5 against {base_text} without dropout"
    if key == "answer_lower":
        return [
            _fact(
                "answer_lower",
                f"{losses}: lower by {by}, {_beyond(-diff / se)} standard errors of the "
                f"paired difference over the {n} test points (both networks scored on the same "
                "points; another seed can differ).",
                slot=ANSWER,
                answer="lower",
                **values,
            )
        ]
    if key == "answer_higher":
        return [
            _fact(
                "answer_higher",
                f"{losses}: higher by {by}, {_beyond(diff / se)} standard errors of the "
                f"paired difference over the {n} test points. {_higher_why(result, digits)}",
                slot=ANSWER,
                answer="higher",
                **values,
            )
        ]
    if se_text is None:
        # every paired difference is exactly 0 (an upload with constant features: every unit of
        # layer 1 off, so the masks scale nothing): not "0, within two standard errors (2 × 0)"
        return [
            _fact(
                "answer_same",
                f"{losses}: the two networks give exactly the same loss on each of the {n} test "
                "points, so there is no difference to tell apart.",
                slot=ANSWER,
                answer="about the same",
                **values,
            )
        ]
    return [
        _fact(
            "answer_same",
            f"{losses}: the difference, {minus(by)}, is within two standard errors "
            f"(2 × {se_text}) of the paired difference over the {n} test points, so this test set "
            "cannot tell them apart.",
            slot=ANSWER,
            answer="about the same",
            **values,
        )
    ]


def _higher_why(result, digits: int) -> str:
    """Why q = 0.5's test loss can end higher. "Dropout is no guarantee" (the pitfall of a net
    that fits anyway) only where the net without dropout overfit (its test loss ended more than
    1 % above its lowest): a barely trained pair, the net without dropout at 50 % training
    accuracy and both test losses falling to their last epoch, was said to show it (moons, noise
    0, depth 1, width 16, η = 3e-4, 50 epochs; audit pass 61 a)."""
    final, best, _, _ = _lowest(result.runs[1.0])
    base, half = result.runs[1.0].summary["train_loss"], result.runs[0.5].summary["train_loss"]
    if final > (1 + ROSE) * best:
        # the pitfall "no guarantee" is the masked net fitting the training points anyway
        # (fits_anyway); where q = 0.5 fitted them less closely (harder_to_fit) it is not that
        # (audit pass 62 h: moons, 100 points, noise 0.6, seed 4, width 16, depth 3, η = 3e-4,
        # 200 epochs: q = 1 overfit, q = 0.5's training loss 0.53214 against 0.3669, and the
        # answer said "Dropout is no guarantee: see what to notice below")
        if half > FIT_MARGIN * base and half > TINY_LOSS:
            a_text, b_text, _, _ = _fit_texts(base, half, digits)
            return (
                "Without dropout the net overfit (its test loss rose from its lowest, as noted "
                "below), but the masked net did not fit the training points anyway: with q = 0.5 "
                f"the training loss (measured without masks) ends higher, {b_text} against "
                f"{a_text}, so within these epochs it fitted the training points less closely and "
                "its test loss ended higher too."
            )
        return "Dropout is no guarantee: see what to notice below."
    where = (
        "its test loss is lowest at its last measurement"
        if final <= best
        else "its final test loss is within 1% of its lowest measured"
    )
    text = (
        f"Without dropout the net has not overfit here by the measure below ({where}), so there "
        "was no overfitting for dropout to curb"
    )
    if half > base and half > TINY_LOSS:
        a_text, b_text, _, _ = _fit_texts(base, half, digits)
        text += (
            f"; with q = 0.5 the training loss (measured without masks) ends higher too, {b_text} "
            f"against {a_text}: within these epochs the masked net fitted the training points "
            "less closely as well"
        )
    return text + "."


def _percent(share: float, places: int = 0) -> str:
    """A share of counts in percent (whole by default), halves rounded up as a reader rounds
    them, with decimals added where it would print a fraction as a whole number (39 of 40 is
    "97.5%", not "98%" or float formatting's "97%"; 199 of 200 is "99.5%", not "100%")."""
    text = decimals(share, places, 100)
    if share not in (0.0, 1.0) and Decimal(text) in (0, 100):
        text = decimals(share, 2, 100)
    return f"{text}%"


def test_accuracy_text(q: float, run) -> str:
    """The single pass's test accuracy of the q run as the page prints it everywhere: the Monte
    Carlo sentence's text (one decimal, more where the sentence's accuracy gap needs them) and
    the decision boundary's title with it, not "test acc. 80%" above "the single pass … gives
    0.530082 and 80.0%" (the defaults at q = 0.5; audit pass 66 e)."""
    s = run.summary
    if q < 1 and _mc_kind(run) == "accuracy":
        single = _accuracy_gap(s["mc_test_accuracy"], s["test_accuracy"], len(run.test_losses))[1]
        return single.partition(" (")[0]  # a title leaves the count out
    return _percent(s["test_accuracy"], 1)


def _accuracy_gap(a: float, b: float, n: int) -> tuple[str, str, str]:
    """Two accuracies (shares of ``n`` counts) in percent, halves rounded up, with decimals added
    until the difference of the printed values is the difference |a − b| to its last digit;
    returns the two texts and that difference in percentage points. Where no number of decimals
    does that (192 and 285 of 360 print 53.333333 % and 79.166667 %, whose difference 25.833334
    is not the 25.8333… between them), the accuracies carry their counts and the difference is
    the difference of the counts."""
    true_gap = abs(Decimal(repr(float(a))) - Decimal(repr(float(b)))) * 100
    for places in range(1, 7):
        a_text, b_text = decimals(a, places, 100), decimals(b, places, 100)
        gap = abs(Decimal(a_text) - Decimal(b_text))
        if a_text != b_text and agrees(str(gap), true_gap):
            return f"{a_text}%", f"{b_text}%", f"{gap} percentage points"
    k_a, k_b = round(a * n), round(b * n)
    return (
        f"{decimals(a, 1, 100)}% ({k_a} of {n} right)",
        f"{decimals(b, 1, 100)}% ({k_b} of {n} right)",
        f"{abs(k_a - k_b)} of the {n} test points",
    )


def _bound(low_text: str, high_text: str, factor: float) -> tuple[str, bool]:
    """The X of "within / at most X %" for a printed pair whose values keep high <= factor x low,
    and whether it is ``factor``'s own: that percent where the printed pair keeps it too, else
    the printed pair's own, rounded up ("within 1 %" never sits beside "0.6422 … 0.649")."""
    low, high = Decimal(low_text), Decimal(high_text)
    if high <= low or high <= Decimal(str(factor)) * low:
        return decimals(factor - 1, 0, 100), True
    if low <= 0:
        return decimals(factor - 1, 0, 100), False
    return up(float((high / low - 1) * 100), 2), False


def _fit_texts(a: float, b: float, digits: int) -> tuple[str, str, str, bool]:
    """q = 1's and q = 0.5's final training loss as the fit sentence prints them (``digits``
    significant digits or more, apart unless both are under TINY_LOSS), the percent of its "at
    most X % above" and whether that is FIT_MARGIN's own."""
    if b > FIT_MARGIN * a and b <= TINY_LOSS:  # both 0 for any purpose: no comparison
        return num(a, digits), num(b, digits), decimals(FIT_MARGIN - 1, 0, 100), True
    # at one count of significant digits, zeros kept: not "(0.15387 against 0.0005657)" (audit
    # pass 64 g)
    a_text, b_text = _losses(a, b, digits=digits)
    if b > FIT_MARGIN * a or b <= a:
        return a_text, b_text, decimals(FIT_MARGIN - 1, 0, 100), True
    return a_text, b_text, *_bound(a_text, b_text, FIT_MARGIN)


def _curve_apart(curves, digits: int) -> bool:
    """Whether a test-loss curve's lowest point prints below every higher point of it (``digits``
    significant digits, as the loss curves' tooltips print them): "its lowest, 0.3672, at epoch
    88" beside tooltips of 0.3672 at epochs 90 and 94 named one epoch among printed ties."""
    losses = curves["test_loss"].dropna()
    if losses.empty:
        return True
    lowest = float(losses.min())
    shown = Decimal(num(lowest, digits))
    # points equal to the lowest up to float round-off are that value (core.facts.ROUND_OFF)
    above = [float(v) for v in losses if v - lowest > ROUND_OFF * abs(lowest)]
    return all(Decimal(num(v, digits)) > shown for v in above)


def loss_digits(result) -> int:
    """Significant digits (4 or more) of every loss the page prints: the answer, the report, the
    lowest and final test losses, the fit and Monte Carlo sentences, the loss dumbbell and the loss
    curves' tooltips. Each loss then prints as one text wherever it appears, so a comparison, a
    difference, a ratio or a bound a sentence states on two printed losses holds for every
    printed form of them (pass 38: "Final test loss 0.17249" in the answer beside "its lowest
    (0.1725 …)"; "lower by 1.66" beside 0.475 and 2.14 in the report; "0.799× the average's"
    beside the single pass's 0.2768 in the report, the dumbbell and the tooltips). The fewest at
    which every sentence prints its losses with them (apart where it compares them, its
    difference or ratio following from them, its bound holding for them) and the lowest point of
    each test-loss curve a sentence names prints below the curve's other points."""
    runs = result.runs
    if any(run.summary["diverged"] for run in runs.values()):
        return 4  # its curves end early and no sentence compares losses (facts)
    base, half = runs[1.0].summary, runs[0.5].summary
    for digits in range(4, 17):

        def at(value: float, text: str, digits: int = digits) -> bool:
            # a text alike pads with zeros ("0.73480") is num's ("0.7348") at these digits
            try:
                return Decimal(text) == Decimal(num(value, digits))
            except InvalidOperation:
                return text == num(value, digits)

        _, half_text, base_text, _, _ = _answer_texts(result, digits)
        fine = at(half["test_loss"], half_text) and at(base["test_loss"], base_text)
        for q in {1.0, min(runs), *result.selected}:
            s = runs[q].summary
            train_text, test_text, _ = _loss_difference(
                s["train_loss"], s["test_loss"], digits=digits, round_off=True
            )
            fine = fine and at(s["train_loss"], train_text) and at(s["test_loss"], test_text)
        for q in (1.0, 0.5):
            final, best, _, _ = _lowest(runs[q])
            best_text, final_text = _losses(best, final, digits=digits)
            # the final loss as the answer and the report print it: alike can lengthen the pair
            # ("rose to 0.130040764" beside the answer's "0.13004076": xor, 50 points, noise
            # 0.05, seed 288, 32 units, 1 layer, η = 0.03, 100 epochs; audit pass 66 e)
            fine = fine and at(final, final_text) and at(best, best_text)
            if final <= (1 + ROSE) * best:
                fine = fine and _bound(best_text, final_text, 1 + ROSE)[1]
            if q in result.selected:
                fine = fine and _curve_apart(runs[q].curves, digits)
        a_text, b_text, _, kept = _fit_texts(base["train_loss"], half["train_loss"], digits)
        fine = fine and kept and at(base["train_loss"], a_text) and at(half["train_loss"], b_text)
        for q, run in runs.items():
            if q < 1:
                mc_text, single_text, _, kept = _mc_texts(run, digits)
                s = run.summary
                fine = fine and kept and at(max(s["mc_test_loss"], 0.0), mc_text)
                fine = fine and at(s["test_loss"], single_text)
        if fine:
            return digits
    return 17


def _lowest(run) -> tuple[float, float, int, int]:
    s = run.summary
    return s["test_loss"], s["best_test_loss"], s["best_epoch"], int(run.curves["epoch"].iloc[-1])


def _train_at(run, epoch: int) -> float:
    curves = run.curves
    return float(curves.loc[curves["epoch"] == epoch, "train_loss"].iloc[0])


def _measured(every: int) -> str:
    """What "its lowest" is the lowest of, where the losses are not measured after every epoch
    (the default 200 epochs measure every 2nd: q = 0.5's test loss printed as lowest at epoch 6,
    0.3822, was 0.3812 at epoch 7, unmeasured)."""
    if every == 1:
        return ""
    return f", measured every {every} epochs (a lower value in between would not show)"


def _paired_gaps(*triples: tuple[str, str, str]) -> list[str]:
    """The gaps of (train, test, gap) texts from :func:`gap_or_round_off`, each reprinted as the
    difference of its printed losses at the most significant digits any of them shows, or at all
    the digits that exact difference has where it has fewer (a gap of "0 up to float round-off"
    is left as it is)."""
    shown = [t[2] for t in triples if "round-off" not in t[2]]
    if not shown:
        return [t[2] for t in triples]
    k = max(significant(t.lstrip("−-")) for t in shown)
    out = []
    for train, test, gap in triples:
        if "round-off" in gap:
            out.append(gap)
            continue
        implied = Decimal(test) - Decimal(train)  # exact, to the losses' last decimal
        if implied == 0:
            out.append(gap)
            continue
        # zeros only where the printed losses have them: "−0.0210" of 0.3719 − 0.3929, not
        # "−0.021000"
        out.append(sig_num(float(implied), min(k, significant(str(abs(implied))))))
    return out


def _report(result, digits: int, every: int = 1) -> list[Fact]:
    base, half = result.runs[1.0].summary, result.runs[0.5].summary
    strongest = min(result.runs)
    last = result.runs[strongest].summary
    # the printed gap is the difference of the printed losses (not "0.272 and 0.388 (gap 0.117)"),
    # with the digits the dumbbell prints them with (loss_digits)
    # (a loss is never negative: the gap printed between −train and test, not "test loss 15.28
    # (gap 15.3)" beside a training loss of 1.1e-10)
    train_text, test_text, gap_text = _loss_difference(
        base["train_loss"], base["test_loss"], digits=digits, round_off=True
    )
    # ... and the strongest dropout's gap beside its own losses (its gap alone, "0.00918", did not
    # follow from the q = 0.5 losses printed in the other sentences, 0.408 and 0.399)
    last_train, last_test, last_gap = _loss_difference(
        last["train_loss"], last["test_loss"], digits=digits, round_off=True
    )
    # the two gaps of one sentence at one count of significant digits, each the difference of
    # its printed losses: not "(gap −0.01948) … (gap −0.02)" for −0.020008 (audit pass 63 b)
    gap_text, last_gap = _paired_gaps(
        (train_text, test_text, gap_text), (last_train, last_test, last_gap)
    )
    out = [
        _fact(
            "gap_report",
            f"Without dropout the net ends at {_percent(base['train_accuracy'])} training accuracy, "
            f"training loss {train_text} and test loss {test_text} "
            f"(gap {minus(gap_text)}). With q = {num(strongest, 6)}: training loss {last_train} "
            f"and test loss {last_test} (gap {minus(last_gap)}).",
            q=strongest,
        )
    ]
    for q in (1.0, 0.5):
        final, best, at, end = _lowest(result.runs[q])
        who = "Without dropout" if q == 1 else f"With q = {num(q, 6)}"
        if final > (1 + ROSE) * best:
            # "overfits" only while the training loss fell: a test loss rising with the training
            # loss is not memorizing the training points
            fell = _train_at(result.runs[q], end) < _train_at(result.runs[q], at)
            tail = ": the network overfits." if q == 1 and fell else "."
            # at one count of significant digits, zeros kept (audit pass 64 g)
            best_text, final_text = _losses(best, final, digits=digits)
            # a lowest at epoch 0 is the untrained net's: training never "reached" it (preset
            # "Memorizing anyway": "reached its lowest, 1.275, at epoch 0"; audit pass 59 c)
            reached = (
                f"was at its lowest, {best_text}, at epoch 0, before any update (no later "
                "measurement was lower),"
                if at == 0
                else f"reached its lowest, {best_text}, at epoch {at}"
            )
            out.append(
                _fact(
                    "test_rose",
                    f"{who} the test loss {reached} and "
                    f"then rose to {final_text} by epoch {end}{_measured(every)}{tail}",
                    q=q,
                )
            )
        elif at == end:
            # the lowest is the last measurement: the loss was still falling when training
            # stopped, not "within 1 % of its lowest (0.40803 at epoch 200; 0.40803 at epoch
            # 200)" and "does not overfit here" said of a net that had not yet begun to (pass
            # 56 g: preset "Narrow net", q = 0.5; 16 units, 100 epochs at η = 3e-4, q = 1)
            tail = (
                f": by this measure the network has not overfit within these {end} epochs "
                "(longer training could change that; nor does it say whether dropout lowers "
                "its test loss: see the answer above)."
                if q == 1
                else "."
            )
            out.append(
                _fact(
                    "test_at_lowest",
                    f"{who} the test loss is lowest at its last measurement ("
                    f"{num(final, digits)} at epoch {end}), below every earlier one"
                    f"{_measured(every)}{tail}",
                    q=q,
                )
            )
        else:
            tail = (
                ": by this measure the network does not overfit here (which does not say "
                "whether dropout lowers its test loss: see the answer above)."
                if q == 1
                else "."
            )
            # with the digits of every other print of these losses (loss_digits): the lowest
            # below the curve's other points, the bound holding for the printed pair
            # at one count of significant digits, zeros kept (audit pass 64 g)
            best_text, final_text = _losses(best, final, digits=digits)
            within = _bound(best_text, final_text, 1 + ROSE)[0]
            out.append(
                _fact(
                    "test_at_lowest",
                    f"{who} the test loss ends within {within}% of its lowest ({best_text} at epoch "
                    f"{at}; {final_text} at epoch {end}){_measured(every)}{tail}",
                    q=q,
                )
            )
    a, b = base["train_loss"], half["train_loss"]
    a_text, b_text, most, _ = _fit_texts(a, b, digits)
    if b > FIT_MARGIN * a and b > TINY_LOSS:
        out.append(
            _fact(
                "harder_to_fit",
                f"The training loss (measured without masks) ends higher with q = 0.5 "
                f"({b_text} against {a_text}): the masks make the training points harder to "
                "fit.",
            )
        )
    elif b > FIT_MARGIN * a:
        # 2.7e-109 against 1.3e-152 is no harder fit: both are 0 for any purpose
        out.append(
            _fact(
                "fits_anyway",
                f"With q = 0.5 the training loss (measured without masks) ends at {b_text}, and "
                f"at {a_text} without dropout: both under {num(TINY_LOSS, 6)}, so both nets fit the "
                "training points to round-off and dropout did not stop this one fitting them "
                "(which says nothing about the test loss).",
            )
        )
    else:
        # the bound as the printed losses keep it (rounded outward), which every print of them
        # on the page shares (loss_digits)
        out.append(
            _fact(
                "fits_anyway",
                f"With q = 0.5 the training loss (measured without masks) ends at {b_text}, "
                + ("below" if b < a else f"at most {most}% above")
                + f" the {a_text} without dropout: dropout did not raise this network's "
                f"training loss by more than {most}% (which says nothing about how well either "
                "fits).",
            )
        )
    return out


def _inspect(config, q: float, run, digits: int = 4) -> list[Fact]:
    slot = inspect_slot(q)
    unit = run.unit
    a = unit["activation"]
    out = []
    if a > 0:
        z = (unit["train_mean"] - a) / unit["standard_error"]
        texts = unit_texts(q, run)
        a_text, unscaled, z_text, mean_text = (texts[k] for k in ("a", "unscaled", "z", "mean"))
        qa_text, aq_text = texts["qa"], texts["aq"]
        out.append(
            _fact(
                "unit_report",
                # counted from 1, as the training point is: unit['index'] is 0-based (pass 43:
                # "Hidden unit 79 of layer 1, on training point 1" for the 80th unit)
                f"Hidden unit {unit['index'] + 1} of the {config.width} in layer 1, on "
                "training point 1: at inference "
                f"a = **{a_text}**. While training, each step keeps it with probability "
                f"q = {num(q, 6)}, and then it is either 0 or a/q = {aq_text}. Over "
                f"{unit['draws']:,} masks its mean is **{mean_text}** "
                + (
                    f"(a up to float round-off: the masks kept it {_kept(run):,} times, exactly "
                    f"q × {unit['draws']:,}); without the 1/q it would be "
                    if _mean_is_a(run)
                    else f"({minus(z_text)} standard errors from a); without the 1/q it would be "
                )
                + f"{unscaled} ≈ q·a. Scaling again at inference would give "
                f"q·a = {qa_text} (×q) or a/q = {aq_text} (÷q): {num(q, 6)}× or "
                # a, the expectation, not the measured mean printed above ("0.5× … the value the
                # next layer saw on average" beside a mean of 1.6596 for a = 1.63997; audit pass
                # 61 a)
                f"{num(1 / q, 3)}× a, the value the next layer saw in expectation in training "
                "(the measured mean above estimates it).",
                slot=slot,
                z=z,
                unit=unit["index"] + 1,
            )
        )
        out += _expectation(run, slot)
    else:
        out.append(
            _fact(
                "unit_off",
                f"On training point 1 every unit of layer 1 is off (a = 0) in the q = {num(q, 6)} "
                "network, so the masks have nothing to scale there: every masked value is 0.",
                slot=slot,
            )
        )
    if len(run.deeper):
        out += _deeper(q, run, slot)
    out += _mc(q, run, ensemble_slot(q), digits)
    return out


def _qa_text(q: float, a_text: str, a: float, unscaled: str) -> str:
    """q·a as the unit sentence prints it: at the decimals of the mean without the 1/q that it
    is compared with ("0.82746 ≈ q·a … q·a = 0.82417", not "… q·a = 0.8242": the defaults at
    q = 0.5; audit pass 66 e) where that is still q times the printed a, else at 4."""
    places = max(4, _places(unscaled))
    if places > 4:
        text = decimals(q * a, places)
        if _places(text) == places and agrees(text, Decimal(a_text) * Decimal(repr(q))):
            return text
    return decimals(q * a, 4)


def _aq_text(q: float, a_text: str, a: float, qa_text: str) -> str:
    """a/q as the unit sentence prints it (both places): at q·a's decimals where those are more
    than 4 and a/q there is still the printed a over q, so that the two alternatives it sets side
    by side print alike ("q·a = 1.079717 (×q) or a/q = 4.318868 (÷q)", not "… or a/q = 4.3189":
    depth 1, width 16, 20 points, noise 0, 50 epochs at q = 0.5; audit pass 70 c), else at 4."""
    places = _places(qa_text)
    if places > 4:
        text = decimals(a / q, places)
        if _places(text) == places and agrees(text, Decimal(a_text) / Decimal(repr(q))):
            return text
    return decimals(a / q, 4)


def _unit_texts(q: float, run) -> tuple[str, str, str, str]:
    """The checked unit's a, its mean over the masks without the 1/q, the z of its mean and the
    mean itself, as the unit sentence prints them (a > 0)."""
    unit = run.unit
    a = unit["activation"]
    a_text = _unit_value(a, q)
    unscaled = _unscaled_text(unit["unscaled_mean"], q * a)
    if _mean_is_a(run):
        # kept exactly q·draws times: the mean is a up to float round-off, not a mean printed
        # to 16 decimals "−0.000000000001 standard errors from a" (audit pass 65 f)
        return a_text, unscaled, "0", a_text
    z_text = _z_text((unit["train_mean"] - a) / unit["standard_error"])
    # a and its measured mean, compared by the z between them, at one count of decimals (not
    # "a = 1.016506 … its mean is 1.0213"), both with more where the z of the printed pair needs
    # them: a's rounding alone can move a z printed to 3 decimals ("+1.001"), which no digits of
    # the mean made up for, so the mean printed to 16 ("2.6342684132052020"; audit pass 65 f)
    # Where the printers' rule lengthens one of them (never a 5 that rounding up made: a mean
    # 2.76349 is "2.763497", not "2.7635"), a decimal more for both, while one makes them alike.
    start = max(4, _places(a_text))
    first = None
    for d in range(start, 17):
        shown_a = a_text if d == start else decimals(a, d)
        if not _scales_agree(shown_a, a, q):
            continue
        mean_text = _mean_value(
            unit["train_mean"], q, unscaled, shown_a, unit["draws"], z_text, start=d
        )
        if mean_text is None:
            continue
        if _places(shown_a) == _places(mean_text):
            return shown_a, unscaled, z_text, mean_text
        first = first or (shown_a, unscaled, z_text, mean_text)
    return first or (a_text, unscaled, z_text, decimals(unit["train_mean"], start))


def _unscaled_text(unscaled_mean: float, qa: float) -> str:
    """The mean without the 1/q at the decimals (4 or more) that q·a, which "≈ q·a" compares it
    with, prints at too: where the printers' rule lengthens q·a (never a 5 that rounding up made)
    the mean takes its decimal ("1.73310 ≈ q·a … q·a = 1.73645", not "1.7331 ≈ q·a … q·a =
    1.73645": q = 0.9 with every q selected at the defaults; audit pass 67 b), and the other way
    round (pass 66 e, :func:`_qa_text`)."""
    places = 4
    for _ in range(8):
        text, qa_text = decimals(unscaled_mean, places), decimals(qa, places)
        if _places(text) == _places(qa_text):
            return text
        places = max(_places(text), _places(qa_text))
    return decimals(unscaled_mean, 4)


def _places(text: str) -> int:
    return len(text.partition(".")[2])


def _mean_is_a(run) -> bool:
    """Whether the checked unit's mean of mask·a/q equals a up to float round-off: the masks
    kept it exactly q·draws times (mean = a·kept/(q·draws); another count moves it by a/(q·draws)
    at least). At q = 0.2 that is 800 of 4,000, about one run in 70."""
    unit = run.unit
    a = unit["activation"]
    return abs(unit["train_mean"] - a) <= ROUND_OFF * max(1.0, a)


def _kept(run) -> int:
    """How many of the unit's masks kept it (mean = a·kept/(q·draws))."""
    unit = run.unit
    return round(unit["train_mean"] * unit["q"] * unit["draws"] / unit["activation"])


def unit_texts(q: float, run) -> dict[str, str]:
    """The checked unit's numbers as the unit sentence prints them, one text for every place
    that prints them ({} where a = 0): ``a``, ``qa`` (q·a), ``aq`` (a/q), ``mean`` (of
    mask·a/q over the masks), ``unscaled`` (that mean without the 1/q) and ``z``. The mask
    chart's last point and the "Scale once, not twice" chart's tooltips at this q print them so
    (audit pass 71 d: tooltips "2.15943", "1.07972", "4.31887" beside the sentence's "a =
    2.159434", "q·a = 1.079717", "a/q = 4.318868" at depth 1, width 16, 20 points, noise 0, 50
    epochs, q = 0.5; "1.7331" at draw 4,000 beside "without the 1/q it would be 1.73308" at
    q = 0.9 with every q selected at the defaults)."""
    a = run.unit["activation"]
    if not a > 0:
        return {}
    a_text, unscaled, z_text, mean_text = _unit_texts(q, run)
    qa_text = _qa_text(q, a_text, a, unscaled)
    aq_text = _aq_text(q, a_text, a, qa_text)
    return {
        "a": a_text,
        "qa": qa_text,
        "aq": aq_text,
        "mean": mean_text,
        "unscaled": unscaled,
        "z": z_text,
    }


def scale_texts(q: float, run) -> dict[str, str]:
    """The "Scale once, not twice" chart's rows at the checked q (its rule names) as the unit
    sentence prints them (:func:`unit_texts`)."""
    texts = unit_texts(q, run)
    if not texts:
        return {}
    return {
        "inference a (correct)": texts["a"],
        "×q again at inference": texts["qa"],
        "÷q again at inference": texts["aq"],
    }


def unscaled_places(q: float, run) -> int:
    """Decimals of the running mean without the 1/q in the mask chart's tooltips: those of the
    unit sentence's "without the 1/q it would be …" (4 or more), so that the chart's last point
    prints as the sentence's text (:func:`unit_texts`)."""
    texts = unit_texts(q, run)
    return max(4, _places(texts["unscaled"])) if texts else 4


def trace_places(q: float, run) -> int:
    """Decimals of the running mean of mask·a/q in the mask chart's tooltips: those of the mean
    the unit sentence prints (4 or more), so that the chart's last point, the mean over every
    mask, prints as the sentence's text ("its mean is 2.31875" beside a tooltip of 2.3187 at
    draw 4,000 read as two values, 2.31875 rounding to 2.3188)."""
    if not run.unit["activation"] > 0:
        return 4
    return max(4, len(_unit_texts(q, run)[3].partition(".")[2]))


def _z_text(z: float) -> str:
    """A signed count of standard errors to 1 decimal, more while it would print a whole number
    it is not (+0.031 is not "+0.0", 0.97 not "+1.0"); one whole up to round-off stays whole."""
    # decimals adds places while a value would print as a whole number it is not, or as 0
    text = decimals(z + 0.0, 1)
    return text if text.startswith("-") else "+" + text


def _unit_value(a: float, q: float) -> str:
    """``a`` with 4 decimals, more if needed so that the printed a/q and q·a (4 decimals) are
    a/q and q·a of the printed a (not "a = 1.6483 … a/q = 3.2967")."""
    for d in range(4, 17):
        a_text = decimals(a, d)
        if _scales_agree(a_text, a, q):
            break
    return a_text


def _scales_agree(a_text: str, a: float, q: float) -> bool:
    """Whether the printed a/q and q·a (4 decimals) are a/q and q·a of the printed a."""
    shown = Decimal(a_text)
    return agrees(decimals(a / q, 4), shown / Decimal(repr(q))) and agrees(
        decimals(q * a, 4), shown * Decimal(repr(q))
    )


def _mean_value(
    mean: float, q: float, unscaled: str, a_text: str, draws: int, z_text: str, start: int = 4
) -> str | None:
    """The measured mean of mask·a/q with ``start`` decimals (a's), or None where at them q times
    it is not the printed mean without the 1/q or the z of the printed pair is not the printed z
    (the caller then adds a decimal to both). The conditions: q times it is the
    printed mean without the 1/q (not "mean 1.7288 … without the 1/q 1.3831" at q = 0.8), and
    so that (mean − a) / (a·√((1 − q)/(q·draws))) of the printed mean and a is the printed z
    (not "a = 0.05696 … mean 0.0545 (−1.3 standard errors)", which give −1.37)."""
    shown_q, shown_a = Decimal(repr(q)), Decimal(a_text)
    se = shown_a * ((1 - shown_q) / (shown_q * draws)).sqrt()
    text = decimals(mean, start)
    if agrees(unscaled, Decimal(text) * shown_q) and (
        se <= 0 or agrees(z_text, (Decimal(text) - shown_a) / se)
    ):
        return text
    return None


def expectation_z(run) -> np.ndarray:
    """z of the measured mean of mask·a/q at each q of the check (a > 0)."""
    e = run.expectation[run.expectation["rule"] == "training mean (measured)"]
    a = run.unit["activation"]
    gap, se = (e["value"] - a).to_numpy(), e["standard_error"].to_numpy()
    # At q = 1 nothing is masked: the value is a, recomputed (equal up to round-off), and the
    # standard error is 0.
    exact = np.abs(gap) <= ROUND_OFF * max(1.0, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(se > 0, gap / se, np.where(exact, 0.0, np.inf))


def _check_span() -> str:
    """ "At all 9 values of q from 0.1 to 0.9, ": the values of the check that mask something. At
    q = 1 the standard error is 0 and the mean is a recomputed, a up to float round-off (width 16,
    one layer, 50 epochs, 20 points, seed 0: 4.4e-16 below a), which "within 1.6 standard errors"
    (of 0) would deny (audit pass 63 b)."""
    masked = [q for q in CHECK_QS if q < 1]
    return f"At all {len(masked)} values of q from {num(masked[0], 6)} to {num(masked[-1], 6)}, "


def _at_one() -> str:
    """The check's q = 1, said apart from the masked ones (see :func:`_check_span`)."""
    if 1.0 not in CHECK_QS:
        return ""
    return " (at q = 1 nothing is masked and the mean is a, up to float round-off)"


def _expectation(run, slot) -> list[Fact]:
    z = expectation_z(run)
    worst = int(np.argmax(np.abs(z)))
    if np.abs(z).max() <= EXPECT_Z:
        # rounded up, so "within 1.7" is never said of 1.64
        bound = up(float(np.abs(z).max()), 2)
        return [
            _fact(
                "expectation_within",
                f"{_check_span()}"
                f"the mean of mask·a/q over {CHECK_DRAWS:,} masks is within "
                f"{bound} standard errors of a{_at_one()}: inverted dropout keeps this unit's "
                "expected output at its inference value, while scaling once more at inference "
                "would move it to q·a or a/q.",
                slot=slot,
                max_z=float(np.abs(z).max()),
            )
        ]
    return [
        _fact(
            "expectation_outside",
            f"At q = {num(CHECK_QS[worst], 6)} the mean of mask·a/q over {CHECK_DRAWS:,} masks is "
            f"{'+' if z[worst] > 0 else '−'}{apart(abs(float(z[worst])), EXPECT_Z, digits=2)[0]} "
            "standard errors from a: a Monte Carlo fluctuation, since for this "
            "first-layer unit the expectation of mask·a/q is exactly a (q = 1 masks nothing; over "
            "the nine other values, one beyond 3 standard errors happens about 2% of the time "
            "under the normal approximation).",
            slot=slot,
            q=CHECK_QS[worst],
            z=float(z[worst]),
        )
    ]


def deeper_stats(run) -> dict:
    """Layer 2's active units: relative differences of their masked means, and the outliers."""
    d = run.deeper
    active = d[d["inference"] > 0]
    rel = ((active["mean"] - active["inference"]).abs() / active["inference"]).to_numpy()
    z = ((active["mean"] - active["inference"]) / active["standard_error"]).abs().to_numpy()
    # A unit off at inference (value 0) is not off under masks: its noisy input can cross 0, so
    # its mean can be above 0 by many standard errors (the same non-linearity at work).
    off = d[d["inference"] <= 0]
    raised = off[(off["standard_error"] > 0) & (off["mean"] > DEEPER_Z * off["standard_error"])]
    return {
        "active": len(active),
        "median": float(np.median(rel)) if len(rel) else math.nan,
        "largest": float(rel.max()) if len(rel) else math.nan,
        "beyond": int((z > DEEPER_Z).sum()),
        "off": len(off),
        "off_raised": len(raised),
        "off_largest": float(raised["mean"].max()) if len(raised) else 0.0,
    }


def _deeper(q: float, run, slot) -> list[Fact]:
    s = deeper_stats(run)
    if s["beyond"]:
        # one format for both, so "up to" never prints below the median
        # and the largest rounded up to 0.1 %, a bound ("up to 12.4%" is not said of 12.44 %)
        median = f"{decimals(s['median'], 1, 100)}%"
        largest = f"{decimals(math.ceil(round(1000 * s['largest'], 9)) / 10, 1)}%"
        # one active unit: its difference, not "a median of 171.6% (up to 171.6%) over the 1
        # units active at inference, 1 of them" (spiral, 20 points, noise 0, seed 734, 32 x 3
        # units, lr 0.03, 100 epochs, q = 0.35)
        differs = (
            f"the mean over {DEEPER_DRAWS:,} masks of the one unit active at inference on "
            f"training point 1 differs from its inference value by "
            f"{decimals(s['median'], 1, 100)}%, more than {num(DEEPER_Z, 6)} standard errors: "
            "its inputs"
            if s["active"] == 1
            else f"the mean over {DEEPER_DRAWS:,} masks of its units' output on training point "
            f"1 differs from their inference value by a median of {median} (up to "
            f"{largest}) over the {s['active']} units active at inference, "
            f"{s['beyond']} of them by more than {num(DEEPER_Z, 6)} standard errors: their inputs"
        )
        return [
            _fact(
                "deeper_differs",
                f"In layer 2 the equality holds only approximately. With masks on layers 1 and "
                f"2, {differs} are masked too, and the ReLU of a noisy input does not average to "
                "the ReLU of its average. The expectation is guaranteed exact only for layer 1.",
                slot=slot,
                **s,
            )
        ]
    units = "unit" if s["active"] == 1 else "units"
    stay = "stays" if s["active"] == 1 else "stay"
    where = (
        f"Layer 2's {s['active']} {units} active at inference on training point 1 {stay} within "
        f"{num(DEEPER_Z, 6)} standard errors of {'its' if s['active'] == 1 else 'their'} inference "
        f"{'value' if s['active'] == 1 else 'values'} "
        # one active unit: its difference, not a median of one (as deeper_differs says it)
        f"({'difference' if s['active'] == 1 else 'median difference'} "
        f"{decimals(s['median'], 1, 100)}%) here"
        if s["active"]
        else "Layer 2's units on training point 1 are all off at inference here (value 0)"
    )
    if s["off_raised"]:
        off = (
            # every one of them: "all 9", not "9 of the 9" (preset "Narrow net", q = 0.5)
            f"; but {_of_the(s['off_raised'], s['off'])} off at inference "
            f"{'averages' if s['off_raised'] == 1 else 'average'} above 0 under masks (up to "
            f"{up(s['off_largest'], 3)}), by more than {num(DEEPER_Z, 6)} standard "
            "errors: a masked input can cross 0, and the ReLU of a noisy input does not average "
            "to the ReLU of its average"
        )
    elif s["off"]:
        off = (
            f"; none of the {plural(s['off'], 'unit')} off at inference averages more than "
            f"{num(DEEPER_Z, 6)} standard errors above 0 under masks"
        )
    else:
        off = ""
    return [
        _fact(
            "deeper_close",
            f"{where}{off}. Not a rule: beyond layer 1 the inputs are masked too, so the "
            "equality is guaranteed only for layer 1.",
            slot=slot,
            **s,
        )
    ]


def _of_the(k: int, n: int) -> str:
    """ "3 of the 8 units", "all 9 units", "the one unit" (k of n, k >= 1)."""
    if k < n:
        return f"{k} of the {plural(n, 'unit')}"
    return "the one unit" if n == 1 else f"all {n} units"


def accuracy_gap_allowed(run) -> float:
    """Two standard errors of a test accuracy near the two measured (at least one test point)."""
    s, n = run.summary, len(run.test_losses)
    p = (s["test_accuracy"] + s["mc_test_accuracy"]) / 2
    return max(1.0 / n, 2.0 * math.sqrt(p * (1.0 - p) / n))


def _mc_kind(run) -> str:
    """Which Monte Carlo sentence a run gets: "close" (its loss part "tiny": both losses under
    TINY_LOSS; "round-off": equal up to float round-off; "within": within MC_CLOSE), or "apart"
    ("ratio": the losses differ and the average's is above TINY_LOSS; "tiny-average": it is
    not; "accuracy": only the accuracies differ)."""
    s = run.summary
    single, mc = s["test_loss"], s["mc_test_loss"]
    gap = abs(s["test_accuracy"] - s["mc_test_accuracy"])
    # a cross-entropy is >= 0: a negative average (−8.9e-16) is round-off, and two losses under
    # TINY_LOSS are both 0 for this comparison, whatever their ratio
    tiny = single <= TINY_LOSS and mc <= TINY_LOSS
    losses_apart = abs(single - mc) > MC_CLOSE * mc and not tiny
    if not losses_apart and gap <= accuracy_gap_allowed(run):
        if tiny:
            return "tiny"
        return "round-off" if abs(single - mc) <= ROUND_OFF * max(single, mc) else "within"
    if losses_apart:
        return "ratio" if mc > TINY_LOSS else "tiny-average"
    return "accuracy"


def chance_share(run) -> float | None:
    """The share of the commonest class among the test points (the accuracy of always answering
    it) where both test accuracies of the Monte Carlo sentence are no more than two standard
    errors above it (both nets at chance); None where either is above. The labels are the run's
    own test labels, kept for every data set: read from the maps' points, an upload of three
    features (no maps) had none, and two nets at 61.7 % and 55.0 % on 60 test points of random
    labels were called "a good stand-in" (audit pass 63 b)."""
    y = getattr(run, "test_labels", None)
    if y is None:
        points = run.points
        if points.empty:
            return None
        y = points.loc[points["split"] == "test", "y"]
    y = np.asarray(y).astype(int)
    n = len(y)
    m = float(np.bincount(y).max() / n)
    bar = m + 2.0 * math.sqrt(m * (1.0 - m) / n)
    s = run.summary
    if max(s["test_accuracy"], s["mc_test_accuracy"]) > bar:
        return None
    return m


def _mc_texts(run, digits: int) -> tuple[str, str, str | None, bool]:
    """The average's and the single pass's test loss as the Monte Carlo sentence prints them
    (``digits`` significant digits or more: loss_digits), the single pass's ratio to the average
    where it states one (the ratio of the printed losses), and whether the printed losses keep
    "within 10 %" where it says so."""
    s = run.summary
    single, mc = s["test_loss"], s["mc_test_loss"]
    kind = _mc_kind(run)
    # both losses at one count of significant digits, zeros kept (core.facts.alike): not
    # "0.372185 … 0.36173" (moons, n 100, seed 241, width 16, q = 0.8) nor "0.78672 … 1.01"
    # (audit pass 64 g)
    if kind == "within":
        mc_text, single_text = _losses(mc, single, digits=digits)
        kept = abs(Decimal(single_text) - Decimal(mc_text)) <= Decimal(str(MC_CLOSE)) * Decimal(
            mc_text
        )
        return mc_text, single_text, None, kept
    if kind == "ratio":
        # zeros kept ("1.10×", not "1.1×" beside losses at 7 digits), and digits added until the
        # printed ratio lies past 1 ± MC_CLOSE as the ratio does: "1.1×" for 1.1026 read as the
        # 10 % that mc_close calls "within 10 %" (audit pass 65 f)
        for ratio_digits in range(3, 18):
            ratio_text = alike(single / mc, digits=ratio_digits)[0]
            if abs(Decimal(ratio_text) - 1) > Decimal(str(MC_CLOSE)):
                break
        for d in range(digits, 18):
            # digits added until the printed ratio is the ratio of the printed losses
            single_text, mc_text = _losses(single, mc, digits=d)
            if agrees(ratio_text, Decimal(single_text) / Decimal(mc_text)):
                break
        return mc_text, single_text, ratio_text, True
    if kind == "accuracy":
        mc_text, single_text = _losses(mc, single, digits=digits)
        return mc_text, single_text, None, True
    return num(max(mc, 0.0), digits), num(single, digits), None, True


def _mc(q: float, run, slot, digits: int = 4) -> list[Fact]:
    s = run.summary
    kind = _mc_kind(run)
    mc_text, single_text, ratio_text, _ = _mc_texts(run, digits)
    head = (
        f"Averaging {MC_SAMPLES} masked predictions (q = {num(q, 6)}) gives test loss "
        f"{mc_text} and accuracy {_percent(s['mc_test_accuracy'], 1)}; the single pass without "
        f"masks gives {single_text} and {_percent(s['test_accuracy'], 1)}"
    )
    values = {"single": s["test_loss"], "mc": s["mc_test_loss"], "q": q}
    if kind in ("tiny", "round-off", "within"):
        loss = (
            f"both losses under {num(TINY_LOSS, 6)} (0 up to round-off)"
            if kind == "tiny"
            else f"within {decimals(MC_CLOSE, 0, 100)}% in loss"
        )
        if kind == "round-off":
            # equal up to float round-off (every unit off: the masks scale nothing), not
            # "0.6931471819722065 … 0.693147181972207", which reads round-off as a difference
            head = (
                f"Averaging {MC_SAMPLES} masked predictions (q = {num(q, 6)}) gives test loss "
                f"{mc_text} and accuracy {_percent(s['mc_test_accuracy'], 1)}; the single pass "
                f"without masks gives the same loss up to float round-off and "
                f"{_percent(s['test_accuracy'], 1)}"
            )
        # two nets at chance agree whatever the rule: no "good stand-in" read from them (audit
        # pass 62 h: xor, noise 1, seed 1, q = 0.2: test losses 0.6988 and 0.6935, about ln 2,
        # accuracies 55.0% and 48.1%)
        chance = chance_share(run)
        if chance is not None:
            so = (
                "but both score at chance (accuracies no more than two standard errors above the "
                f"{_percent(chance, 1)} of always answering the commonest class), so their "
                "agreement says little about how well the one-pass rule stands in for the "
                "average over masks."
            )
        else:
            so = (
                "so here the one-pass rule is a good stand-in for the average over "
                f"masks (itself an estimate from {MC_SAMPLES} masks)."
            )
        values["chance"] = chance
        return [
            _fact(
                "mc_close",
                f"{head}: {loss} and, in accuracy, within two standard errors "
                f"of one test accuracy, {so}",
                slot=slot,
                **values,
            )
        ]
    if kind == "ratio":
        # the printed ratio is the ratio of the printed losses (not "1.06 … 0.815: 1.31×")
        differ = f"the single pass's loss is {ratio_text}× the average's"
    elif kind == "tiny-average":
        differ = f"the average's loss is under {num(TINY_LOSS, 6)}, the single pass's is not"
    else:
        # the printed accuracy gap is the difference of the printed accuracies (81.25 % and
        # 88.75 % print as 81.2 % and 88.8 % at one decimal, a gap of 7.6, not the 7.5 it is),
        # and the accuracies are shares of counts, halves rounded up (29 of 80 is 36.25 %:
        # "36.3", not float formatting's "36.2")
        mc_acc_text, single_acc_text, gap_text = _accuracy_gap(
            s["mc_test_accuracy"], s["test_accuracy"], len(run.test_losses)
        )
        head = (
            f"Averaging {MC_SAMPLES} masked predictions (q = {num(q, 6)}) gives test loss "
            f"{mc_text} and accuracy {mc_acc_text}; the single pass without masks "
            f"gives {single_text} and {single_acc_text}"
        )
        differ = (
            f"their accuracies differ by {gap_text}, more than two standard "
            "errors of one test accuracy"
        )
    return [
        _fact(
            "mc_apart",
            f"{head}: {differ}, so here the one-pass rule only approximates the average over "
            "masks (in a deep non-linear network it can be far off).",
            slot=slot,
            **values,
        )
    ]
