"""What a gradient descent run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from core.config import param_of
from core.experiments.gradient_descent.experiment import GRADIENT_DRAWS, Config
from core.facts import (
    ANSWER,
    WARNING,
    Claim,
    Claims,
    Fact,
    _rounded,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    listing,
    minus,
    num,
    padded,
    sig_num,
    significant,
    tooltip_text,
    up,
)

# Epochs a run needs before its last two quarters can tell a level loss from a falling one.
MIN_EPOCHS_FOR_TREND = 8
# A loss this close to the start's scale counts as zero: the data are fitted exactly.
INTERPOLATION = 1e-12
# "Levelled off": the last quarter's median is at least this share of the quarter before.
LEVEL = 0.9
# "Froze": the loss changed by less than this share over the last quarter.
FROZEN = 0.01
# The mean of the sampled gradients is "centred" within this many standard errors.
CENTRED_SE = 3.0
# "Its steps had run out": at most this share of the exponential decay's step total was left.
RUN_OUT = 0.05
# Significant digits of the schedule chart's tooltips (ui.charts.line_chart's default).
TOOLTIP_DIGITS = 4

CLAIMS = Claims(
    Claim(
        "rose_above_start",
        "A variant that did not diverge still ended with a higher loss than it started with",
        "not diverged and final_loss > the loss at the start + round-off (1e-12 x the start loss)",
    ),
    Claim(
        "batch_diverged",
        "Batch GD diverges because eta > 2 / lambda_max of the full loss",
        "batch GD diverged and eta * lambda_max > 2",
    ),
    Claim(
        "batch_above_limit",
        "Batch GD's constant step is above 2 / lambda_max: it diverges in the long run, though "
        "the divergence check did not stop it within the epochs run",
        "batch GD not diverged, a constant step (schedule constant or k = 0), eta * lambda_max "
        "> 2 and a start off the minimum (its excess loss above round-off, 1e-12 x the start "
        "loss)",
    ),
    Claim(
        "stochastic_diverged",
        "A mini-batch or SGD run diverges because eta exceeds 2 / (the steepest batch's curvature)",
        "the variant diverged and eta times the largest batch-Hessian eigenvalue it met > 2",
    ),
    Claim(
        "diverged_other",
        "A run diverged (reported without a cause)",
        "the variant diverged while eta times every batch curvature it met stayed <= 2",
    ),
    Claim(
        "one_epoch_closest",
        "The variant closest to the minimum in loss after one epoch (the prediction's answer)",
        "argmin of the loss after one epoch's worth of examples; variants within round-off "
        "(1e-12 x the start loss) of L*, or at exactly the same loss, are named as tied, and any "
        "of them counts; its gap printed as the one-epoch report prints every gap",
    ),
    Claim(
        "one_epoch_sgd_further",
        "For the same compute (one epoch), SGD's many noisy steps went further than one exact step",
        "SGD's loss after one epoch < batch GD's and below the start, not both within round-off "
        "of L*",
    ),
    Claim(
        "one_epoch_batch_further",
        "For the same compute, batch GD's one exact step went further than SGD's noisy steps",
        "SGD's loss after one epoch >= batch GD's, batch GD's below the start, not both within "
        "round-off of L*",
    ),
    Claim(
        "variance_slope",
        "The mini-batch gradient variance falls with B at the measured log-log slope, vs theory",
        "sigma^2 > 0 (examples' gradients differ at the sample point)",
    ),
    Claim(
        "no_gradient_noise",
        "Every example's gradient is the same: mini-batches have no noise",
        "sigma^2 <= 1e-12 * (||full gradient||^2 + 1)",
    ),
    Claim(
        "gradients_centred",
        "Mini-batch gradients centre on the full gradient (unbiased)",
        "each component of the sample mean is within 3 standard errors of the full gradient's, "
        "both named (dL/dw drawn, dL/db not); at B = n the sentence says every draw is the full "
        "gradient",
    ),
    Claim(
        "gradients_off_centre",
        "The sample mean lies more than 3 standard errors from the full gradient",
        "|mean - full| > 3 standard errors in some component, each named (a rare draw; at B = n "
        "round-off, and the sentence says so)",
    ),
    Claim(
        "schedule_ends",
        "Where SGD ends under each schedule (epoch means, as the schedule chart's tooltips "
        "print them)",
        "always (reports the run)",
    ),
    Claim("no_decay", "With k = 0 every schedule is the constant step", "decay_rate == 0"),
    Claim(
        "constant_levels_off",
        "Constant-step SGD levelled off (or, its median higher than the quarter before's, "
        "stopped improving) near the minimum: a noise ball",
        "noisy data, epochs >= 8, last-quarter median >= 0.9 x the quarter before, "
        "and <= 0.1 x the start's excess; 'levelled off' (within 10 % of the quarter before, "
        "also as printed) only while the median is also <= 1.1 x the quarter before, else "
        "'stopped improving' (higher than the quarter before, printed apart)",
    ),
    Claim(
        "constant_still_falling",
        "Constant-step SGD's loss was still falling at the end",
        "noisy data, epochs >= 8, last-quarter median < 0.9 x the quarter before, below "
        "every epoch mean of the first half (also as printed, at 4 digits) and below the start",
    ),
    Claim(
        "interpolation_converges",
        "On noise-free data constant-step SGD converges: no noise ball",
        "minimum loss <= 1e-12 x start loss and constant SGD ends <= 1e-9 x its start excess",
    ),
    Claim(
        "interpolation_still_converging",
        "On noise-free data there is no noise floor; SGD is still converging",
        "minimum loss <= 1e-12 x start loss, constant SGD not diverged, not yet that close, "
        "its last epoch mean below every earlier one (the start included, also as the schedule "
        "chart's 4-digit tooltips print them), and eta x the steepest example's curvature <= 2 "
        "(no step can move it away from the minimum)",
    ),
    Claim(
        "decay_below_constant",
        "1/t decay ended lower than the constant step",
        "neither diverged, k > 0, 1/t's last epoch mean < the constant's, the constant's "
        "above round-off (1e-12 x the start loss), and the two differ as the schedule chart's "
        "4-digit tooltips print them (the sentence prints them so)",
    ),
    Claim(
        "constant_below_decay",
        "The constant step ended lower than 1/t decay over this budget",
        "neither diverged, k > 0, the constant's last epoch mean <= 1/t's, 1/t's above "
        "round-off (1e-12 x the start loss), and the two differ as the schedule chart's "
        "4-digit tooltips print them (the sentence prints them so)",
    ),
    Claim(
        "exponential_froze",
        "Exponential decay froze above where the constant step got",
        "epochs >= 8, k > 0, at most 5 % of its step total left (e^(-k epochs) <= 0.05), its "
        "last-quarter median within 1 % of the quarter before, and it ended above the constant "
        "step (also as the schedule chart's 4-digit tooltips print them) and above round-off "
        "(1e-12 x the start loss)",
    ),
    Claim(
        "exponential_lowest",
        "Exponential decay ended lowest (the sum of the steps it took over the run sufficed here)",
        "k > 0, it ended at or below both the constant and the 1/t runs and below its start, both "
        "of them above round-off (1e-12 x the start loss), and it differs from the lower of them "
        "as the schedule chart's 4-digit tooltips print them (the sentence prints it so)",
    ),
    Claim(
        "exponential_total",
        "Exponential decay's steps add up to a finite total eta / (1 - e^(-k/n)); Robbins-Monro's "
        "guarantee is in the limit, and the decaying runs that diverged first are named",
        "k > 0 (theory, with this run's numbers); each decaying schedule named as diverged first "
        "diverged",
    ),
    Claim(
        "wall_time",
        "Wall time per variant (its mean and median time per update), and which was closest "
        "to the minimum in loss at equal wall time "
        "(its loss after the update it had reached by then, named, or its start where it had "
        "made none)",
        "at least one variant did not diverge (measured when this result was computed: on this "
        "server, or, for the defaults and presets, possibly on the machine that filled the "
        "precomputed store); variants "
        "within round-off of L* at that time are named as tied; a variant the divergence check "
        "left alone is named as the only one, not ranked",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def quarters(series) -> tuple[float, float]:
    """Medians of the epoch means over the third and the last quarter of the epochs."""
    s = np.asarray(series, dtype=float)[1:]  # epoch 0 is the start
    half = len(s) // 2
    mid = half + (len(s) - half) // 2
    return float(np.median(s[half:mid])), float(np.median(s[mid:]))


def interpolates(result) -> bool:
    """True when one line fits every training example exactly (noise-free data)."""
    return result.optimum["loss"] <= INTERPOLATION * max(1.0, result.optimum["start_loss"])


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _divergence(config, result)
    out += _one_epoch(config, result)
    out += _gradient_noise(config, result)
    out += _schedules(config, result)
    out += _wall_time(config, result)
    return out


def _divergence(config, result) -> list[Fact]:
    eta = config.learning_rate
    example = result.optimum["max_example_curvature"]
    # The whole loss's λ_max as batch GD's warning prints it: batch GD's batch is the whole set,
    # and its curvature, summed in another order than the Hessian's eigenvalues, can differ in the
    # last digit ("the whole loss 5.098918507238838" beside batch GD's "λ_max = 5.098918507238839":
    # η 1.2516, B 2, 6 epochs, n 173, noise 0, start (-10, -10), seed 53175426)
    batch = [
        row.steepest_batch_curvature
        for row in result.summary.itertuples()
        if row.variant == "Batch GD"
    ]
    lam_max = batch[0] if batch else max(result.optimum["hessian_eigenvalues"])
    digits = loss_digits(result)
    curvature = page_curvature_digits(config, result)
    out = []
    for row in result.summary.itertuples():
        if not row.diverged:
            continue
        lam = row.steepest_batch_curvature
        if eta * lam <= 2.0:
            out.append(
                _fact(
                    "diverged_other",
                    f"**{row.variant} diverged** after {_updates(row.updates)}: {_reason(row, digits)}.",
                    slot=WARNING,
                    variant=row.variant,
                )
            )
            continue
        lam_text, eta_text, limit_text, growth_text = _step_limit(eta, lam, curvature)
        # Under a decaying schedule only the first step is eta; later ones are smaller.
        decays = config.schedule != "constant" and config.decay_rate > 0
        if row.variant == "Batch GD":
            text = (
                f"**Batch GD diverged** after {_updates(row.updates)} ({_reason(row, digits)}). "
                # A decaying step may start above 2 / lambda_max and still converge: only a
                # constant one must stay below it.
                + ("A step above" if decays else "Its step must stay below")
                + f" 2 / λ_max = {limit_text}"
                + (" grows the error" if decays else "")
                + f", where λ_max = {lam_text} is "
                f"the full loss's largest curvature; η = {eta_text} is above it, so "
                + ("its first step" if decays else "every step")
                + f" multiplies the error along the steepest direction by |1 − ηλ_max| = "
                f"{growth_text}"
                + (" (later steps by less, as the schedule shrinks η)." if decays else ".")
            )
            key = "batch_diverged"
        else:
            noisy = tuple(
                float(other.steepest_batch_curvature)
                for other in result.summary.itertuples()
                if other.diverged
                and other.variant != "Batch GD"
                and eta * other.steepest_batch_curvature > 2.0
            )
            steepest = curvature_texts(eta, lam, example, lam_max, noisy, curvature)
            text = (
                f"**{row.variant} diverged** after {_updates(row.updates)} ({_reason(row, digits)}). "
                f"The steepest {'example' if row.batch_size == 1 else 'mini-batch'} it drew "
                f"(the one it stopped at included) has curvature λ = {lam_text} (its Hessian's largest eigenvalue), and η = "
                f"{eta_text} is above 2 / λ = {limit_text}: a step of size η on it multiplies "
                f"{_own_fit(row.batch_size)} by |1 − ηλ| = "
                f"{growth_text}"
                + (" (the schedule shrinks later steps)" if decays else "")
                + ". The steepest "
                f"single example in the data has curvature {steepest[0]}, the whole loss "
                f"{steepest[1]}: noisy variants need smaller steps than batch GD."
            )
            key = "stochastic_diverged"
        out.append(_fact(key, text, slot=WARNING, variant=row.variant, curvature=lam))
    out += _batch_above_limit(config, result)
    start = result.optimum["start_loss"]
    for row in result.summary.itertuples():
        # a rise within round-off is none (a start at the minimum of noise-free data: 1.78e-15
        # then 2.66e-15)
        if not row.diverged and row.final_loss > start + round_off(result):
            # as the loss chart's tooltips print the run's last and first points (loss_digits, at
            # which the two print apart: 32.147 against 32.133, not 32.1 twice); at 3 digits the
            # sentence said "against 15.2 before any update" beside the chart's 15.25 (lr 0.5,
            # B 4, 3 epochs, n 40, noise 2.7, seed 923028)
            final, before = tooltip_text(row.final_loss, digits), tooltip_text(start, digits)
            out.append(
                _fact(
                    "rose_above_start",
                    f"**{row.variant} ended above where it started**: loss "
                    f"{final} after {_updates(row.updates)}, against "
                    f"{before} before any update. It "
                    # one update is one step (audit pass 56 e: "its steps" of batch GD's one
                    # update at η 2, 1 epoch)
                    "stayed below the divergence check's limit, but "
                    + ("its one step" if row.updates == 1 else "its steps")
                    + f" made the fit worse overall{_smaller_rate(row, eta)}.",
                    slot=WARNING,
                    variant=row.variant,
                )
            )
    return out


def _batch_above_limit(config, result) -> list[Fact]:
    """Batch GD with a constant step above 2 / λ_max that the divergence check did not stop:
    its error along the steepest direction grows by |1 − ηλ_max| > 1 every step, so it diverges
    in the long run, but just above the limit too slowly to trip the check within the epochs run
    (audit pass 55: η 0.5, n 20, seed 655 has 2 / λ_max = 0.4994; batch GD ended at 1.42 from
    13.5 unwarned, and the wall-time sentence counted it among "the variants that did not
    diverge" beside the model answer's "converges only when η < 2/λ_max")."""
    row = result.summary.set_index("variant").loc["Batch GD"]
    eta, lam = config.learning_rate, float(row["steepest_batch_curvature"])
    constant = config.schedule == "constant" or config.decay_rate == 0
    off_minimum = result.optimum["start_loss"] - result.optimum["loss"] > round_off(result)
    if row["diverged"] or not constant or not off_minimum or not eta * lam > 2.0:
        return []
    lam_text, eta_text, limit_text, growth_text = _step_limit(
        eta, lam, page_curvature_digits(config, result)
    )
    return [
        _fact(
            "batch_above_limit",
            f"**Batch GD's constant step is above its limit**: η = {eta_text} is above "
            f"2 / λ_max = {limit_text}, where λ_max = {lam_text} is the full loss's largest "
            f"curvature, so every step multiplies its error along the steepest direction by "
            f"|1 − ηλ_max| = {growth_text} and it diverges in the long run. Over the "
            f"{_updates(int(row['updates']))} it made that growth stayed below the divergence "
            "check's limit, so the check did not stop it.",
            slot=WARNING,
            variant="Batch GD",
            curvature=lam,
        )
    ]


def _smaller_rate(row, eta: float) -> str:
    """The remedy of "ended above where it started": a smaller η where the slider's least brings
    the run to or below its start, else what that least does (audit pass 52: "try a smaller η than
    0.005" where SGD at η 0.0001 still ended above its start)."""
    least = param_of(Config, "learning_rate").least
    if not getattr(row, "least_rate_rises", False):
        return f"; try a smaller η than {num(eta)}"
    if eta <= least:
        return f" (η = {num(eta)} is the slider's least)"
    return (
        f"; a smaller η does not undo it here: at the slider's least, η = {num(least)}, it too "
        "ends above where it started"
    )


def page_curvature_digits(config, result) -> int:
    """The significant digits every curvature of the divergence warnings prints with: each noisy
    warning's λ, its steepest single example and whole loss, and batch GD's λ_max. One count for
    all, so the examples' curvature and the whole loss compared in one sentence print alike, and
    batch GD's λ_max prints as the noisy warnings' whole loss (audit pass 67 a, ?lr=0.3&epochs=3:
    "the steepest single example in the data has curvature 20.03, the whole loss 5.1984", and at
    η = 2 batch GD's "λ_max = 5.1984" beside it). Each of them prints at least the digits its own
    step limit needs (:func:`_step_digits` + 1)."""
    eta = config.learning_rate
    lams = [
        float(row.steepest_batch_curvature)
        for row in result.summary.itertuples()
        if row.variant == "Batch GD" or (row.diverged and eta * row.steepest_batch_curvature > 2.0)
    ]
    if not lams:
        lams = [max(result.optimum["hessian_eigenvalues"])]
    return max(_step_digits(eta, value) + 1 for value in lams)


LOSS_AXIS_TOP = 1.5  # the loss chart's y axis stops at this many times the starting loss


def loss_axis_caption(curves, start_loss: float, digits: int) -> str:
    """A caption naming the runs the loss chart's axis top (:data:`LOSS_AXIS_TOP` × the starting
    loss) cuts off, each with its highest drawn loss as the chart's tooltips print losses, or ""
    where every drawn loss is within it (audit pass 67 a, ?lr=2: batch GD's, the mini-batch's and
    SGD's curves rose to 1e+06 times the start and left the chart at its top with no word, so a
    line leaving the chart read as a loss that stopped there). ``curves``: the drawn points."""
    top = LOSS_AXIS_TOP * start_loss
    loss = curves["loss"].to_numpy(dtype=float)
    drawn = curves[np.isfinite(loss)]
    peaks = drawn.groupby("variant", sort=False)["loss"].max()
    over = [(name, float(peak)) for name, peak in peaks.items() if peak > top]
    if not over:
        return ""
    names = listing([f"{name} (up to {tooltip_text(peak, digits)})" for name, peak in over])
    one = len(over) == 1
    return (
        f"The loss axis stops at {num(LOSS_AXIS_TOP)} × the starting loss "
        f"{tooltip_text(start_loss, digits)}: the curve{'' if one else 's'} of {names} "
        f"{'goes' if one else 'go'} above it and {'is' if one else 'are'} cut off at the top."
    )


def curvature_texts(
    eta: float,
    lam: float,
    example: float,
    lam_max: float,
    others: tuple[float, ...] = (),
    least: int = 0,
) -> tuple[str, str]:
    """The steepest single example's curvature and the whole loss's λ_max for a noisy variant's
    divergence warning, as the warnings beside it print them: λ_max as batch GD's warning prints
    it (:func:`_step_limit`; at 3 digits "the whole loss 4.74" sat beside batch GD's "λ_max =
    4.745", which reads as 4.75: lr 0.7, n 200, seed 129815), the example at the digits of the
    warning's own λ (the steepest example it drew may be that example), more while it would print
    as λ_max without being it. ``others``: the λ of the other noisy warnings on the page, which
    print the same example at the most digits any of them needs, so one curvature prints once
    (?lr=0.5&n=50&seed=2&epochs=5&batch=2 printed it "20.687" in the mini-batch's warning and
    "20.69" in SGD's; audit pass 63 d)."""
    digits = max(least, *(_step_digits(eta, value) + 1 for value in (lam, lam_max, *others)))
    steep, whole = sig_num(example, digits), sig_num(lam_max, digits)
    while steep == whole and example != lam_max and digits < 17:
        digits += 1
        steep, whole = sig_num(example, digits), sig_num(lam_max, digits)
    return steep, whole


def _step_digits(eta: float, lam: float) -> int:
    """The digits :func:`_step_limit` prints η, 2 / λ and |1 − ηλ| with (λ one more)."""
    growth = abs(1.0 - eta * lam)
    for digits in range(3, 16):
        lam_text = num(lam, digits + 1)
        eta_text, limit_text = apart(eta, 2 / lam, digits=digits)
        growth_text = apart(growth, 1.0, digits=digits)[0]
        shown_lam, shown_eta = Decimal(lam_text), Decimal(eta_text)
        if agrees(limit_text, 2 / shown_lam) and agrees(
            growth_text, abs(1 - shown_eta * shown_lam)
        ):
            return digits
    return 15


def _own_fit(batch_size: int) -> str:
    """What a step on one batch multiplies by |1 − ηλ|, the batch's own best fit named as what it
    is. A mini-batch of two or more points (x ~ N(1, 1): distinct x) has one least-squares line;
    one example does not: every (w, b) with w·x + b = y fits it exactly, a line in the (w, b)
    plane across the steepest direction (the example's Hessian 2·(x, 1)(x, 1)ᵀ has rank one), so
    its step multiplies the example's residual, and with it the distance to that line (audit pass
    57 g: "the distance to that batch's own best fit" of SGD's one example, η 2 at the defaults)."""
    if batch_size == 1:
        return (
            "that example's residual w·x + b − y, and with it the distance to the line of (w, b) "
            "that fit the example exactly (a line of best fits, not one point),"
        )
    return "the distance to that mini-batch's own best fit along that direction"


def _step_limit(eta: float, lam: float, lam_digits: int = 0) -> tuple[str, str, str, str]:
    """λ, η, 2 / λ and |1 − ηλ| for a sentence (η λ > 2): η prints above 2 / λ and the factor
    above 1 (0.5 and 0.4998 would both print 0.5 at 3 digits, a factor of 1.0004 as 1), λ one
    digit finer, and digits enough that the printed 2 / λ and |1 − ηλ| are those of the printed
    λ and η (λ = 19.4 and η = 0.45 give 7.73, never "7.71")."""
    digits = _step_digits(eta, lam)
    shown = max(digits + 1, lam_digits)
    lam_text = sig_num(lam, shown)
    eta_text, limit_text = apart(eta, 2 / lam, digits=digits)
    growth_text = apart(abs(1.0 - eta * lam), 1.0, digits=digits)[0]
    return lam_text, eta_text, limit_text, growth_text


def _reason(row, digits: int) -> str:
    """Why a run stopped. The divergence check reads the loss of the batch about to be used: for
    batch GD that is the training loss, for SGD one example's (an SGD run stopped at an example
    loss of 4.05e+07 while its training loss, the curve's last point, was 6.32e+07). The loss that
    tripped it is printed at the loss chart's ``digits`` (:func:`loss_digits`), where it prints
    above 1e+06 times the start as the chart prints the start ("exploded to 1.04e+07 ... (more
    than 1e+06 times its start)" sat beside a start of 10.4: seed 187, n 20, eta 0.5)."""
    reason = row.stopped_reason
    if math.isfinite(row.stopped_loss):
        reason = reason.replace(
            f"exploded to {num(row.stopped_loss, 3)} ",
            f"exploded to {tooltip_text(row.stopped_loss, digits)} ",
        )
    if row.variant == "Batch GD":
        return reason
    batch = "example" if row.batch_size == 1 else "mini-batch"
    return reason.replace(
        "the loss exploded to", f"the loss on the {batch} it drew exploded to"
    ).replace("times its start)", "times the run's starting loss)")


def _updates(count: int) -> str:
    return f"{count} update{'s' * (count != 1)}"


def _one_epoch(config, result) -> list[Fact]:
    summary = result.summary.set_index("variant")
    excess = summary["loss_after_one_epoch"] - result.optimum["loss"]
    floor = round_off(result)
    closest = str(excess.idxmin())
    # Two variants at L* to round-off are tied: the moment formula cannot rank them.
    tied = tuple(str(v) for v in excess.index if excess[v] <= floor)
    if len(tied) < 2:
        # the same loss exactly (a notebook's mini-batch of all n is batch GD): tied too
        tied = tuple(str(v) for v in excess.index if excess[v] == excess[closest])
    first = _first_epoch_updates(config, summary)
    steps = (
        f"In one pass over the data SGD made {first['SGD']}, mini-batch {first['Mini-batch']} "
        f"and batch GD {first['Batch GD']}."
    )
    # The gaps as the report below prints them (digits enough to tell them apart): at 3 digits
    # the answer's "SGD is closest (10.2 above L*)" sat beside the report's 10.1693 and 10.1695
    # for the others (eta 1e-4, n 20, B 16, noise 0, 100 epochs, exponential k 10).
    shown = one_epoch_gaps(excess, floor)
    if len(tied) > 1 and excess[closest] <= floor:
        head = f"After one epoch {listing(list(tied))} are tied at the minimum ({near(floor)})."
    elif len(tied) > 1:
        head = (
            f"After one epoch {listing(list(tied))} are tied closest to the minimum in loss "
            f"({shown[closest]} above L*)"
            f"{_from_start(result, excess[closest], shown[closest], their=True)}."
        )
    elif excess[closest] <= floor:
        head = f"After one epoch {closest} is closest to the minimum in loss ({near(floor)})."
    elif _only_one_left(summary) == closest:
        # the others stopped within the epoch: no "closest" among runs that have no loss after
        # one epoch (η 2, 1 epoch: "Batch GD is closest to the minimum in loss (128.3 above L*)"
        # of a run whose one step took it from 11.16 to 128.3 above L*; audit pass 61 e)
        head = (
            f"After one epoch {closest}, the only variant the divergence check did not stop "
            f"within it, is {shown[closest]} above L*{_from_start(result, excess[closest], shown[closest])}."
        )
    else:
        head = (
            f"After one epoch {closest} is closest to the minimum in loss "
            f"({shown[closest]} above L*){_from_start(result, excess[closest], shown[closest])}."
        )
    out = [
        _fact(
            "one_epoch_closest",
            f"{head} {steps}",
            slot=ANSWER,
            answer=closest,
            tied=tied if len(tied) > 1 else (),
        )
    ]
    early = [
        v
        for v, row in summary.iterrows()
        if row["diverged"] and row["updates"] < row["updates_per_epoch"]
    ]
    # "within it": a variant that diverged later (preset "Learning rate too large": all three
    # did, batch GD at update 18) has processed them too, and its figure is printed
    who = "every variant that did not diverge within it" if early else "every variant"
    # "went further" compares SGD's and batch GD's gaps: print them apart (3 digits can tie)
    gaps = [shown[v] for v in ("SGD", "Mini-batch", "Batch GD")]
    # a run that diverged within its first epoch has no loss after one: its figure is where it
    # stopped (SGD diverged after 5 of 20 updates at 6.32e+07)
    gaps = [
        f"{g} (where it stopped, diverged)" if v in early else g
        for g, v in zip(gaps, ("SGD", "Mini-batch", "Batch GD"), strict=True)
    ]
    report = (
        f"After one epoch ({who} has processed n = {config.n_samples} examples) the "
        f"loss sits {gaps[0]} above its minimum for SGD, "
        f"{gaps[1]} for {_mini_batches(config)} and "
        f"{gaps[2]} for batch GD."
    )
    if max(excess["SGD"], excess["Batch GD"]) <= floor:
        # Both at L* to round-off (a start at the minimum): neither went further.
        return out
    if (
        min(excess["SGD"], excess["Batch GD"])
        >= result.optimum["start_loss"] - result.optimum["loss"]
    ):
        # Both ended above where they started (eta = 2: batch GD's one step overshoots, SGD
        # diverges): neither went toward the minimum, so neither "went further".
        return out
    if excess["SGD"] < excess["Batch GD"]:
        out.append(
            _fact(
                "one_epoch_sgd_further",
                f"{report} For the same compute, SGD's many cheap noisy steps went further "
                "than batch GD's one exact step.",
            )
        )
    else:
        out.append(
            _fact(
                "one_epoch_batch_further",
                f"{report} Here batch GD's one exact step went further than SGD's noisy ones "
                f"(at η = {num(config.learning_rate)} single-example steps overshoot or scatter).",
            )
        )
    return out


def _only_one_left(summary) -> str | None:
    """The one variant that did not diverge within its first epoch, where the other two did."""
    left = [
        str(v)
        for v, row in summary.iterrows()
        if not (row["diverged"] and row["updates"] < row["updates_per_epoch"])
    ]
    return left[0] if len(left) == 1 else None


def _from_start(result, excess: float, shown: str, *, their: bool = False) -> str:
    """ ", further from the minimum than its start (11.16 above L*)" where the closest variant
    ended at or above the start's loss (then every variant did: none got nearer the minimum),
    the start printed with digits enough to differ from ``shown`` and at least as many as
    ``shown`` has, zeros kept: "128.3 above L*, further from the minimum than at its start (11.2
    above L*)" read the start as less precise than the gap it is compared with (?lr=2; audit
    pass 66 h); else nothing."""
    start = result.optimum["start_loss"] - result.optimum["loss"]
    if excess < start:
        return ""
    for digits in range(max(3, significant(shown)), 18):
        text = sig_num(start, digits)
        if text != shown or digits == 17:
            break
    who = ("they", "their") if their else ("it", "its")
    if excess == start:
        return f", where {who[0]} started ({text} above L*)"
    return f", further from the minimum than at {who[1]} start ({text} above L*)"


def _mini_batches(config) -> str:
    """The mini-batch variant as the one-epoch report names it: at B = n its one batch is every
    example, batch GD's own step, not "mini-batches of 20" (n = 20; audit pass 59 b)."""
    if config.batch_size >= config.n_samples:
        return f"the mini-batch run (B = n = {config.n_samples}: batch GD's own step)"
    rest = config.n_samples % config.batch_size
    if rest:
        # where B does not divide n the epoch's last batch holds the rest: n = 20, B = 16 makes
        # batches of 16 and 4, not "mini-batches of 16" (audit pass 60 d)
        return f"mini-batches of {config.batch_size} (the epoch's last holds {rest})"
    return f"mini-batches of {config.batch_size}"


def _same_as_batch(config) -> str:
    """At B = n the mini-batch run makes batch GD's updates (the same loss after each): their
    wall times differ by the timer's noise alone, which then decides which of the two is ahead at
    equal time (?lr=0.4&n=20&batch=20&noise=0 named Mini-batch closest, batch GD a few updates
    behind on the same path; audit pass 59 b)."""
    if config.batch_size < config.n_samples:
        return ""
    return (
        f" At B = n = {config.n_samples} the mini-batch run makes batch GD's updates (the same "
        "loss after each): their times differ by the timer's noise alone, and so does which of "
        "the two is ahead at equal time."
    )


def _first_epoch_updates(config, summary) -> dict[str, str]:
    """'200 updates', or 'diverged after 7 updates' when a run stopped in its first epoch."""
    out = {}
    for variant, row in summary.iterrows():
        planned = int(row["updates_per_epoch"])
        made = int(row["updates"])
        if row["diverged"] and made < planned:
            out[variant] = f"{made} update{'s' * (made != 1)} before it diverged"
        else:
            out[variant] = f"{planned} update{'s' * (planned != 1)}"
    return out


def gradient_noise_is_zero(result) -> bool:
    full = np.asarray(result.full_gradient)
    return result.optimum["example_gradient_variance"] <= 1e-12 * (float(full @ full) + 1.0)


def centring(result, batch_size: int) -> tuple[float, float, float, int]:
    """The distance of the sample mean from the full gradient in standard errors: the larger of
    the two components', that of ∂L/∂w (the histogram's) and that of ∂L/∂b (not drawn); and the
    sample size."""
    draws = result.gradient_samples.loc[
        result.gradient_samples["batch_size"] == batch_size, ["grad_w", "grad_b"]
    ].to_numpy()
    se = draws.std(axis=0, ddof=1) / math.sqrt(len(draws))
    gap = np.abs(draws.mean(axis=0) - np.asarray(result.full_gradient))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, gap / np.where(se > 0, se, 1.0), np.where(gap > 0, np.inf, 0.0))
    return float(z.max()), float(z[0]), float(z[1]), len(draws)


def z_text(z: float) -> str:
    """A distance in standard errors beside the 3-SE test: one decimal, or apart from 3 when
    above it (3.02 is not "3.0" beside "more than 3")."""
    return apart(z, CENTRED_SE)[0] if z > CENTRED_SE else decimals(z, 1)


def slope_text(slope: float) -> str:
    """A log-log slope as the variance sentence and the variance chart's title print it, with the
    minus sign "−" of the sentence's own "−1" (audit pass 56 e: "a fitted log-log slope of -1.048
    ... theory gives -1.04: −1 for independent draws")."""
    return minus(decimals(slope, 2))


def slope_texts(slope: float, theory: float) -> tuple[str, str]:
    """The fitted and the theory slope as the variance sentence compares them (and the variance
    chart's title prints the first): :func:`slope_text`'s 2 decimals, both at the decimals the
    longer needs ("a fitted log-log slope of −1.048 ... theory gives −1.04" at the defaults read
    the theory as less precise; audit pass 64 h)."""
    texts = [slope_text(slope), slope_text(theory)]
    while len({len(t.partition(".")[2]) for t in texts}) > 1:
        places = max(len(t.partition(".")[2]) for t in texts)
        texts = [minus(decimals(v, places)) for v in (slope, theory)]
    return texts[0], texts[1]


def theory_slope(result) -> float:
    v = result.variance
    return float(np.polyfit(np.log(v["batch_size"]), np.log(v["theory"]), 1)[0])


def _gradient_noise(config, result) -> list[Fact]:
    where = "the start" if config.sample_at == "start" else "the minimum"
    if gradient_noise_is_zero(result):
        # a notebook's noise of 1e-7 leaves sigma^2 = 1.3e-13 at the minimum: tiny, not round-off
        text = (
            f"At {where} every example's gradient is the same (σ² = 0 to round-off): "
            "the data are fitted exactly there, so a mini-batch gradient has no noise to "
            "average."
            if config.noise == 0
            else f"At {where} the examples' gradients all but agree (σ² = "
            f"{num(result.optimum['example_gradient_variance'])}, negligible): the data are fitted "
            "almost exactly there, so a mini-batch gradient has almost no noise to average."
        )
        return [_fact("no_gradient_noise", text, slot="histogram")]
    out = []
    z, z_w, z_b, draws = centring(result, config.batch_size)
    if config.batch_size >= config.n_samples:
        # A batch of every example is the full batch: each draw is the full gradient, and the
        # spread and the distance in standard errors are round-off over round-off.
        out.append(
            _fact(
                "gradients_centred" if z <= CENTRED_SE else "gradients_off_centre",
                f"A mini-batch of all n = {config.n_samples} examples is the full batch: each of "
                f"the {draws} draws is the full-batch gradient (dashed) up to round-off, so their "
                f"spread, and the sample mean's {decimals(z, 1)} standard errors from it, are round-off.",
                slot="histogram",
                z=z,
            )
        )
    # The histogram draws ∂L/∂w only: each component's distance is named, so a mean 3.31 SE off
    # in ∂L/∂b is not read off the drawn ∂L/∂w, 1.3 SE from its dashed line (seed 138, n 20,
    # B 2, 1 epoch).
    elif z <= CENTRED_SE:
        out.append(
            _fact(
                "gradients_centred",
                f"Each bar counts random mini-batches. Their {draws} gradients of size "
                f"{config.batch_size} centre on the full-batch gradient (dashed): the sample "
                f"mean of ∂L/∂w (drawn) is {z_text(z_w)} standard errors from it, and that of "
                f"∂L/∂b (not drawn) {z_text(z_b)}, as an unbiased estimate's should be.",
                slot="histogram",
                z=z,
                z_w=z_w,
                z_b=z_b,
            )
        )
    else:
        off = listing(
            [name for name, v in (("∂L/∂w", z_w), ("∂L/∂b", z_b)) if v > CENTRED_SE], "and"
        )
        out.append(
            _fact(
                "gradients_off_centre",
                "Each bar counts random mini-batches. Their sample mean lies "
                f"{z_text(z_w)} standard errors from the full-batch gradient (dashed) in ∂L/∂w "
                f"(drawn) and {z_text(z_b)} in ∂L/∂b (not drawn): more than 3 in {off}, a rare "
                "draw for an unbiased estimate.",
                slot="histogram",
                z=z,
                z_w=z_w,
                z_b=z_b,
            )
        )
    slope, theory = result.variance_slope, theory_slope(result)
    fitted_text, theory_text = slope_texts(slope, theory)
    sizes = result.variance["batch_size"]
    text = (
        f"The mini-batch gradient's variance, estimated from {GRADIENT_DRAWS} draws per size, "
        f"fell with the batch size at a fitted log-log slope of {fitted_text} over B = {int(sizes.min())} to {int(sizes.max())}; drawing without "
        f"replacement from n = {config.n_samples} examples, theory gives {theory_text}: −1 "
        "for independent draws, a little steeper because of the factor (n − B)/(n − 1)."
    )
    if abs(slope + 1.0) <= 0.1:
        text += " About −1: four times the batch, a quarter of the variance, half the spread."
    out.append(_fact("variance_slope", text, slope=slope, theory=theory))
    return out


SCHEDULE_NAMES = {
    "constant": "a constant step",
    "inverse_time": "1/t decay",
    "exponential": "exponential decay",
}


def round_off(result) -> float:
    """A loss gap this small is round-off of the moment formula, not a difference."""
    return INTERPOLATION * max(1.0, result.optimum["start_loss"])


def above(excess: float) -> float:
    """A loss minus L*, shown as at least 0: an MSE below its minimum is round-off."""
    return max(float(excess), 0.0)


def near(floor: float) -> str:
    """'within 1.2e-11 of L*': what a loss gap at or below ``floor`` is known to be. Not 'at L*
    to round-off': the moment formula's own round-off is ~1e-15 here, and a 1/t run's epoch mean
    of 1.5e-12 on noise-free data is a real loss (the direct mean of squares gives 1.5e-12 too)."""
    return f"within {up(floor, 2)} of L*"


def gap(excess: float, floor: float) -> str:
    """A loss minus L* as a figure, or 'under 1.2e-11' at or below ``floor`` (on noise-free data
    L* itself comes out as about 1e-15 instead of 0, and gaps below it are not printed)."""
    return num(above(excess)) if excess > floor else f"under {up(floor, 2)}"


def loss_digits(result) -> int:
    """Significant digits (4 or more) of the loss chart's tooltips and its L* label: the losses
    the sentences rank print apart there too. At η = 1e-4, n = 20 the sentence's gaps after one
    epoch are 10.1686, 10.1693 and 10.1695 ("SGD went further"), which 4 digits print as 10.17
    three times. Ranked: each variant's loss after one epoch (those within round-off of L* are
    named as tied, not ranked); for "ended above where it started", its final loss against
    the start's; for a diverged run, the loss that tripped the check over 1e+06 against the
    start's."""
    floor = round_off(result)
    lowest = result.optimum["loss"]
    ranked = [float(v) for v in result.summary["loss_after_one_epoch"] if float(v) - lowest > floor]
    start = result.optimum["start_loss"]
    for row in result.summary.itertuples():
        if not row.diverged and row.final_loss > start + floor:
            ranked += [float(row.final_loss), float(start)]
        # "exploded to E (more than 1e+06 times its start)": E / 1e6 against the start
        if row.diverged and math.isfinite(row.stopped_loss):
            factor = row.divergence_limit / max(1.0, start)
            ranked += [float(row.stopped_loss) / factor, float(start)]
    return apart_digits(ranked, 4)


def one_epoch_gaps(excess, floor: float) -> dict[str, str]:
    """Each variant's loss minus L* after one epoch as the answer and the one-epoch report print
    it (:func:`gaps_apart`: different gaps print differently, so the printed closest is the
    lowest printed)."""
    order = [str(v) for v in excess.index]
    return dict(zip(order, gaps_apart([excess[v] for v in order], floor), strict=True))


def gaps_apart(excesses, floor: float) -> list[str]:
    """:func:`gap` of each, the figures printed with enough digits that different ones differ, all
    at one count of significant digits with their zeros (:func:`core.facts.alike`): "10.14 above
    its minimum for SGD, 10.168 for mini-batches ... and 10.169 for batch GD" read SGD's 10.1400
    as less precise than its neighbours (?lr=0.0001&epochs=1&n=20&noise=0, audit pass 63 d)."""
    shown = [above(e) for e in excesses if e > floor]
    printed = iter(alike(*shown))
    return [next(printed) if e > floor else f"under {up(floor, 2)}" for e in excesses]


def above_min(excess: float, floor: float) -> str:
    """'3.2e-05 above L*', or 'within 1.2e-11 of L*'."""
    return f"{num(above(excess))} above L*" if excess > floor else near(floor)


def equal_time_gap(result, excess: float, floor: float) -> str:
    """A loss minus L* at the equal wall time as the wall-time sentence prints it: at the digits
    of :func:`one_epoch_gaps` (:func:`core.facts.alike` over the one-epoch gaps and this one, at
    least the one-epoch report's digit count), so a loss the one-epoch report prints is not
    printed again at fewer digits: "SGD was closest to the minimum in loss (10.1 above L*, after
    its last update)" beside the report's "10.140 above its minimum for SGD" for the same loss
    (?lr=0.0001&epochs=1&n=20&noise=0; audit pass 64 h)."""
    if excess <= floor:
        return near(floor)
    summary = result.summary
    lowest = result.optimum["loss"]
    ones = [
        above(float(v) - lowest)
        for v in summary["loss_after_one_epoch"]
        if math.isfinite(float(v)) and float(v) - lowest > floor
    ]
    digits = max((significant(t) for t in alike(*ones)), default=3) if ones else 3
    return f"{alike(*ones, above(excess), digits=digits)[-1]} above L*"


def mean_above(excess: float, floor: float) -> str:
    """An epoch mean of SGD's loss above L* (a point of the schedule chart) as the chart's
    tooltips print it, :func:`epoch_mean_text`, or 'within 1.2e-11 of L*' where the chart draws
    none. At 3 digits the sentences put "20.1 above L*" beside a tooltip of 20.15, which a reader
    rounds to 20.2 (Config(learning_rate=1e-4, batch_size=2, epochs=1, n_samples=30, noise=4.2,
    decay_rate=0.2, seed=177904))."""
    return f"{epoch_mean_text(above(excess))} above L*" if excess > floor else near(floor)


def means_apart(a: float, b: float, floor: float) -> bool:
    """Whether two epoch means print differently where the schedule chart prints them (at or
    below ``floor`` neither is drawn: both are 'within 1.2e-11 of L*'). A ranking of the two is
    said only then: 20.1462 and 20.1518 print 20.1 and 20.2 at 3 digits but 20.15 twice in the
    chart's tooltips, beside "the constant step ended lower than 1/t decay" (the Config of
    :func:`mean_above`)."""
    if a <= floor and b <= floor:
        return False
    return mean_above(a, floor) != mean_above(b, floor)


def schedule_ends_text(epochs: int, ends: dict, diverged: dict, floor: float) -> str:
    """Where SGD ended under each schedule. A run the divergence check stopped did not run the
    epochs and has no loss to give: "After 20 epochs, SGD's loss (mean over the last epoch) is
    diverged with a constant step, diverged with 1/t decay and diverged with exponential decay"
    was said of three runs stopped within their first epoch (η 2; audit pass 57 g)."""
    order = ("constant", "inverse_time", "exponential")
    done = [k for k in order if not diverged[k]]
    stopped = [SCHEDULE_NAMES[k] for k in order if diverged[k]]
    span = f"{epochs} epoch{'s' * (epochs != 1)}"
    ran = ""
    if done:
        parts = [f"{mean_above(ends[k], floor)} with {SCHEDULE_NAMES[k]}" for k in done]
        ran = f"After {span}, SGD's loss (mean over the last epoch) is {listing(parts)}."
    if not stopped:
        return ran
    each = "it" if len(stopped) == 1 else "each run"
    halt = (
        f"with {listing(stopped)} SGD diverged: the divergence check stopped {each} before "
        f"its {span} were done"
        if epochs != 1
        else f"with {listing(stopped)} SGD diverged: the divergence check stopped {each} "
        "within its one epoch"
    )
    return f"{ran} {halt[0].upper()}{halt[1:]}." if ran else f"{halt[0].upper()}{halt[1:]}."


def _schedules(config, result) -> list[Fact]:
    from core.quiz import is_  # core.quiz imports the lessons' generators

    frames = {k: g for k, g in result.schedules.groupby("schedule", sort=False)}
    ends = {k: float(g["excess_loss"].iloc[-1]) for k, g in frames.items()}
    floor = round_off(result)
    diverged = {k: bool(g["diverged"].iloc[0]) for k, g in frames.items()}
    out = [
        _fact("schedule_ends", schedule_ends_text(config.epochs, ends, diverged, floor), ends=ends)
    ]
    if config.decay_rate == 0:
        out.append(
            _fact(
                "no_decay",
                "With k = 0 neither schedule decays: all three runs are the same "
                "constant-step SGD.",
            )
        )
        return out
    n, eta, k = config.n_samples, config.learning_rate, config.decay_rate
    shrink = -math.expm1(-k / n)  # 0 when k / n underflows (a k far below the slider's 0.1)
    total = eta / shrink if shrink > 0 else math.inf
    # The formula's own value beside it, not its bound rounded up: "add up to at most 0.128
    # (η / (1 − e^(−k/n)) with η = 0.05, k = 10, n = 20)", where the formula gives 0.12707
    # (audit pass 69 c).
    bound = (
        f"add up to at most η / (1 − e^(−k/n)) {is_(total, step_total_text(config))}"
        if math.isfinite(total)
        else "add up to a finite total, too large for float64 at this k"
    )
    formula = "" if math.isfinite(total) else "η / (1 − e^(−k/n)) with "
    # The guarantee is about the limit, for a run no step has blown up first: beside "diverged
    # with 1/t decay" (eta 0.5) an unconditional "SGD converges" was contradicted by the run.
    first = tuple(s for s in ("inverse_time", "exponential") if diverged[s])
    blown = (
        f" Here SGD diverged first under {listing([SCHEDULE_NAMES[s] for s in first])} (stopped "
        f"by the divergence check): a first step of η = {num(eta)} is above 2 / λ of "
        "the steepest single examples."
        if first
        else ""
    )
    out.append(
        _fact(
            "exponential_total",
            f"Robbins–Monro: SGD converges in the limit when Σ η_t = ∞ and Σ η_t² < ∞, if no "
            f"step blows it up first. The 1/t decay "
            f"meets both. The exponential decay's steps {bound} "
            f"({formula}η = {num(eta)}, k = {num(k)}, n = {n}) however long it "
            f"runs, so it stops wherever that total runs out.{blown}",
            slot="schedules",
            total=total,
            diverged_first=first,
        )
    )
    const, inv, expo = ends["constant"], ends["inverse_time"], ends["exponential"]
    long_enough = config.epochs >= MIN_EPOCHS_FOR_TREND
    if not diverged["constant"]:
        out += _constant_step(config, result, frames["constant"], long_enough)
    # Both at L* to round-off (noise-free data): neither ended lower.
    # Ends that print alike (a k far below the slider's 0.1 barely decays): neither ended lower.
    if (
        not (diverged["constant"] or diverged["inverse_time"])
        and max(inv, const) > floor
        # apart as the schedule chart's tooltips print them, and as the sentence prints them
        and means_apart(inv, const, floor)
    ):
        if inv < const:
            out.append(
                _fact(
                    "decay_below_constant",
                    f"1/t decay ended lower than the constant step (last-epoch means: "
                    f"{mean_above(inv, floor)}, against {mean_above(const, floor)}).",
                )
            )
        else:
            out.append(
                _fact(
                    "constant_below_decay",
                    f"Here the constant step ended lower than 1/t decay (last-epoch means: "
                    f"{mean_above(const, floor)}, against {mean_above(inv, floor)}): a decaying "
                    "step is slower at first, and Robbins–Monro's "
                    f"guarantee is about the limit, not a budget of {config.epochs} "
                    f"epoch{'s' * (config.epochs != 1)}.",
                )
            )
    if not diverged["exponential"] and not diverged["constant"]:
        flat = False
        # the share of the step total still ahead after the last epoch: e^(-k epochs)
        left = math.exp(-k * config.epochs)
        if long_enough and left <= RUN_OUT:
            q3, q4 = quarters(frames["exponential"]["excess_loss"])
            flat = abs(q4 - q3) <= FROZEN * abs(q3)
        # "above where the constant step got": apart as the schedule chart prints them
        if flat and expo > const and expo > floor and means_apart(expo, const, floor):
            share = "under 0.1%" if left < 1e-3 else f"{decimals(left, 1, 100)}%"
            froze = epoch_mean_text(above(expo))
            got = mean_above(const, floor)
            out.append(
                _fact(
                    "exponential_froze",
                    f"Exponential decay froze {froze} above L* (its last epoch's mean): its "
                    "median loss over the last "
                    f"quarter of the epochs is within {decimals(FROZEN, 0, 100)}% of the quarter before, above "
                    f"where the constant step got ({got}, the same mean). Its steps had "
                    f"run out: {share} of their total was left (e^(−k·epochs)).",
                    left=left,
                )
            )
        elif (
            not diverged["inverse_time"]
            and expo <= min(const, inv)
            and min(const, inv) > floor
            and means_apart(expo, min(const, inv), floor)
            # ended above its start (the first epoch's overshoot not yet undone): it went nowhere
            and expo < float(frames["exponential"]["excess_loss"].iloc[0])
        ):
            # The steps this run took, not the total of an endless run: at k = 0.1 over 2
            # epochs (eta 0.05, n 200) they add up to 18.1, not the 100.03 the sentence gave.
            used = taken_steps(config)
            # the sum and its bound at one count of digits: "added up to 10.03 (... at most
            # 10.1)" read as room left where 2e-8 of the total 10.025 was (audit pass 65 a)
            whole, used_text = "", num(used)
            if math.isfinite(total):
                ceiling = step_total_bound(config)
                used_text = padded(num(used, significant(ceiling)), significant(ceiling))
                # num's 518.4 (never a fraction as a whole number) beside a bound at 3 digits,
                # "2.01e+03": the bound at the sum's digits, "at most 2001" (audit pass 69 c)
                ceiling = step_total_bound(config, significant(used_text))
                whole = f" (however long it ran, they would add up to at most {ceiling})"
                # a sum that prints as the total itself beside a bound rounded up past it: "added
                # up to 20.1 (... at most 20.2)" read as 0.1 of room where 0.0009 (e^(−10) of
                # 20.1001) was left (η 0.2, k 10, n 1000, 1 epoch; audit pass 70 d); the share
                # left instead, with the total as the caption prints it
                total_text = step_total_text(config)
                # the same where the sum and the total round to neighbouring last digits: "added
                # up to 5.02 (... at most 5.03)" read as 0.01 of room where 0.0002 (e^(−10) of
                # 5.0251) was left (η 0.05, k 10, n 1000, 1 epoch; audit pass 71 h): a gap under
                # half the sum's last printed unit is named as the share left, without the sum
                # printed a unit below the total
                unit = 10.0 ** Decimal(used_text).as_tuple().exponent
                if ceiling != used_text and (total - used < unit / 2):
                    left = math.exp(-k * config.epochs)
                    share = "under 0.1%" if left < 1e-3 else f"{decimals(left, 1, 100)}%"
                    whole = (
                        f" (all but {share} of the {total_text} they would add up to however "
                        "long it ran)"
                    )
                    if used_text != padded(
                        num(total, significant(used_text)), significant(used_text)
                    ):
                        used_text, whole = "", whole[2:-1]
            out.append(
                _fact(
                    "exponential_lowest",
                    f"Exponential decay ended lowest here ({mean_above(expo, floor)}, its last "
                    "epoch's mean): its steps "
                    # "over its one epoch", not "over these 1 epoch" (lr 0.2, 1 epoch, n 100, k 10)
                    + (
                        "over its one epoch"
                        if config.epochs == 1
                        else f"over these {config.epochs} epochs"
                    )
                    + " added up to "
                    f"{used_text}{whole}, and that sufficed here. {_stop_short(config)} it "
                    "can stop short instead (preset “Exponential decay stops short”).",
                    used=used,
                )
            )
    return out


def _stop_short(config) -> str:
    """What makes the exponential decay stop short, named only where the sliders allow it: "a
    faster decay" at k = 10, the slider's most, was a setting the page cannot make (audit pass
    70 d)."""
    ways = []
    if config.decay_rate < param_of(Config, "decay_rate").high:
        ways.append("a faster decay")
    if config.learning_rate > param_of(Config, "learning_rate").least:
        ways.append("a smaller η")
    return f"With {' or '.join(ways)}" if ways else "At other settings"


def step_total_bound(config, digits: int = 3) -> str:
    """The exponential decay's step total η / (1 − e^(−k/n)) as a bound, for every sentence
    printing it: rounded up at the digits :func:`num` prints the total with (10.025 is "10.03",
    not "10.1" beside a sum of "10.03" that has 2e-8 left), zeros kept, never below the printed
    η's total (a notebook η of 0.28251 prints as 0.283, whose total 2.6911 is above the true
    one's 2.69). At least ``digits`` significant digits. For a finite total (k / n not
    underflowing)."""
    n, eta, k = config.n_samples, config.learning_rate, config.decay_rate
    shrink = -math.expm1(-k / n)
    value = max(eta / shrink, float(num(eta)) / shrink)
    digits = max(digits, _total_digits(value))
    return padded(up(value, digits), digits)


def _total_digits(value: float) -> int:
    """Significant digits of the step total and its bound: those :func:`num` prints it with, and
    at least 3. At η = 2, k = 0.1, n = 1000 num prints the total 20,001 as "2e+04", and the bound
    rounded up at that one digit was "at most 3e+04" (audit pass 69 c)."""
    return max(3, significant(num(value)))


def step_total_text(config) -> str:
    """The exponential decay's step total η / (1 − e^(−k/n)) as the formula gives it, at the
    digits of its bound (:func:`step_total_bound`), zeros kept: "0.127" for 0.12707, whose bound
    is "0.128". For a finite total."""
    n, eta, k = config.n_samples, config.learning_rate, config.decay_rate
    value = eta / -math.expm1(-k / n)
    digits = significant(step_total_bound(config))
    return padded(num(value, digits), digits)


def taken_steps(config) -> float:
    """The sum of SGD's step sizes under the exponential decay over this run's epochs x n
    updates: eta (1 - e^(-k epochs)) / (1 - e^(-k/n))."""
    n, eta, k = config.n_samples, config.learning_rate, config.decay_rate
    shrink = -math.expm1(-k / n)
    if shrink <= 0:  # k / n underflows: every step is eta
        return eta * config.epochs * n
    return eta * -math.expm1(-k * config.epochs) / shrink


def _exact_fit(config, result) -> str:
    """Why one line fits every example: no noise, or noise too small to leave a loss (a notebook
    can pass sigma = 1e-9, which the slider's 0.1 steps cannot)."""
    if config.noise == 0:
        return "The data are noise-free: one line fits every example exactly"
    return (
        f"The noise (σ = {num(config.noise)}) is negligible here: one line fits every example "
        f"almost exactly (L* ≤ {num(round_off(result))})"
    )


def _constant_step(config, result, frame, long_enough) -> list[Fact]:
    const = float(frame["excess_loss"].iloc[-1])
    start = float(frame["excess_loss"].iloc[0])
    floor = round_off(result)
    if interpolates(result):
        if const <= 1e-9 * max(start, 1e-300):
            return [
                _fact(
                    "interpolation_converges",
                    f"{_exact_fit(config, result)}, so every example's gradient "
                    f"{'vanishes' if config.noise == 0 else 'all but vanishes'} at the minimum "
                    f"and constant-step SGD converges too (its last epoch's mean "
                    f"{mean_above(const, floor)}). A noise "
                    "ball needs examples that disagree.",
                )
            ]
        # A constant step near its limit can overshoot far above the start, or come close to the
        # minimum and then move away again: "still converging" only while it is at its lowest.
        if const >= float(frame["excess_loss"].iloc[:-1].min()):
            return []
        # On noise-free data a step on example i multiplies the distance to the minimum along
        # (x_i, 1) by 1 - eta * lambda_i: with eta * lambda_i > 2 it can move away, and a run
        # whose last epoch happens to be its lowest may still blow up later (eta 0.45, n 30).
        if config.learning_rate * result.optimum["max_example_curvature"] > 2.0:
            return []
        # "its lowest yet": printed with the schedule chart's tooltip digits (4), more while an
        # earlier epoch's tooltip would print at or below it ("11.2 ..., its lowest yet" beside
        # an epoch 19 printed 11.19: eta 1e-4, n 20, noise 0, 20 epochs, seed 368379)
        lowest_text = lowest_epoch_text(frame["excess_loss"])
        if lowest_text is None:
            return []
        # one epoch has no earlier epoch mean to be lowest among: it is below the start
        # (?lr=0.0001&epochs=1&n=20&noise=0 read "its mean over epoch 1, 10.15 above L*, is its
        # lowest epoch mean yet"; audit pass 61 e)
        lowest = (
            f"is below its start, {epoch_mean_text(start)} above L*"
            if len(frame) == 2
            else "is its lowest epoch mean yet"
        )
        return [
            _fact(
                "interpolation_still_converging",
                f"{_exact_fit(config, result)}, so there is "
                f"{'no' if config.noise == 0 else 'a negligible'} noise floor; constant-step SGD is "
                f"still converging (its mean over epoch {config.epochs}, {lowest_text} above "
                f"L*, {lowest}).",
            )
        ]
    if not long_enough:
        return []
    q3, q4 = quarters(frame["excess_loss"])
    means = frame["excess_loss"].to_numpy()[1:]  # epoch 0 is the start
    if q4 >= LEVEL * q3:
        if q4 > 0.1 * start:  # level, but far from the minimum: neither sentence holds
            return []
        bounce = (
            " It bounces in a noise ball: single examples disagree at the minimum, so each step "
            "still pushes."
        )
        if q4 > (2 - LEVEL) * q3:
            # Not "levelled off": its median rose (1.26 from 0.591 at eta 0.0164, n 50, noise
            # 4.6, 10 epochs, seed 688; preset "Exponential decay stops short": 0.108 from 0.0678,
            # 59 % up, said to have "levelled off"; audit pass 45). The medians printed apart.
            # one count of significant digits (core.facts.alike): "(median 0.2 above L*) is
            # higher than the quarter before's (0.17)" at the defaults (audit pass 64 h)
            q4_text, q3_text = alike(q4, q3)
            return [
                _fact(
                    "constant_levels_off",
                    f"With a constant step SGD stopped improving near the minimum: over the last "
                    f"quarter of the epochs its loss (median {q4_text} above L*) is higher than "
                    f"the quarter before's ({q3_text}).{bounce}",
                    q3=q3,
                    q4=q4,
                    rose=True,
                )
            ]
        q4_text, q3_text = _level_pair(q4, q3)
        return [
            _fact(
                "constant_levels_off",
                f"With a constant step SGD levelled off near the minimum: over the last "
                f"quarter of the epochs its loss (median {q4_text} above L*) is within "
                f"{decimals(1 - LEVEL, 0, 100)}% of the quarter before's ({q3_text}).{bounce}",
                q3=q3,
                q4=q4,
                rose=False,
            )
        ]
    if q4 >= means[: len(means) // 2].min() or q4 >= start:
        # Lower than the quarter before but not than the first half: a noise ball's epoch means
        # swing that much (n = 20), so the run cannot be said to be still falling. Nor can a run
        # whose last quarter is still above its start: it bounces in a noise ball wider than the
        # start's distance (eta 0.38, n 20, noise 5: epoch means 72 to 7e3 from 9.6, for 100 epochs).
        return []
    # "below every epoch of the first half": the schedule chart's tooltips print each epoch mean
    # at 4 digits (ui.charts.value_texts), so the printed q4 must lie below each of them as
    # printed, not only in exact values (q4 0.0016959 beside a first-half epoch of 0.0017036)
    lowest_first = min(Decimal(epoch_mean_text(v)) for v in means[: len(means) // 2])
    # the two medians and the start at one count of significant digits (core.facts.alike), at
    # least the tooltips' for the start: "(median 6.93, then 5.946 above L* ...; 11.16 at the
    # start)" at η = 1e-4 (audit pass 65 a)
    texts = next(
        (
            t
            for d in range(TOOLTIP_DIGITS, 18)
            if Decimal((t := alike(q3, q4, start, digits=d))[1]) < lowest_first
        ),
        None,
    )
    if texts is None:
        return []
    q3_text, q4_text, start_text = texts
    return [
        _fact(
            "constant_still_falling",
            f"With a constant step SGD's loss was still falling at the end (median {q3_text}, "
            f"then {q4_text} above L* over the last two quarters of the epochs, below every "
            f"epoch of the first half; {start_text} at the start).",
            q3=q3,
            q4=q4,
        )
    ]


def epoch_mean_text(value: float, digits: int = TOOLTIP_DIGITS) -> str:
    """An epoch mean of SGD's loss above L* as the schedule chart's tooltips print it
    (ui.charts.value_texts: 4 significant digits), with its zeros kept to those digits
    (core.facts.padded): "3.8 above L* with a constant step, 0.9563 above L* with 1/t decay"
    read the 3.8000 as less precise than its neighbours, and "0.00121 above L*, against 0.5002"
    (preset "Decay the step size"; audit pass 65 a). The value is the tooltip's."""
    return tooltip_text(float(value), digits)


def lowest_epoch_text(means) -> str | None:
    """The last of ``means`` (epoch 0, the start, first), which is below every earlier one, printed
    at the schedule chart's tooltip digits or more, until it prints below every earlier mean as the
    tooltips print it; None if no digits do (an earlier mean's tooltip rounds onto it)."""
    values = [float(v) for v in means]
    earlier = min(Decimal(epoch_mean_text(v)) for v in values[:-1])
    return next(
        (
            epoch_mean_text(values[-1], d)
            for d in range(TOOLTIP_DIGITS, 18)
            if Decimal(epoch_mean_text(values[-1], d)) < earlier
        ),
        None,
    )


def _level_pair(q4: float, q3: float) -> tuple[str, str]:
    """q4 and q3 (LEVEL * q3 <= q4 <= (2 - LEVEL) * q3) with enough digits that the printed q4
    is within 1 - LEVEL of the printed q3 too (at 3 digits 0.0551 and 0.0613 would say
    otherwise)."""
    band = Decimal(str(1 - LEVEL))
    for digits in range(3, 18):
        q4_text, q3_text = alike(
            q4, q3, digits=digits
        )  # zeros kept, as "0.2" beside "0.17" was not
        shown4, shown3 = Decimal(q4_text), Decimal(q3_text)
        if abs(shown4 - shown3) <= band * shown3:
            break
    return q4_text, q3_text


def _wall_time(config, result) -> list[Fact]:
    summary = result.summary.set_index("variant")
    alive = summary[~summary["diverged"]]
    if alive.empty:
        return []
    per_update = {
        v: f"{v} {_ms(row['seconds'])} ({_updates(int(row['updates']))}, "
        f"{_each(row['seconds'], int(row['updates']))} {_typical(row)})"
        for v, row in alive.iterrows()
    }
    # a mean per update is not each update's time: one pause of the machine (another process)
    # within a run lifts its mean, and the longest run (SGD's) meets most
    averaged = (
        " A mean per update also carries each epoch's shuffle and any pause of the machine "
        "during its run; the median is the typical update."
        if (alive["updates"] > 2).any()
        else ""
    )
    winner = str(alive["excess_at_equal_time"].idxmin())
    quickest = str(alive["seconds"].idxmin())
    floor = round_off(result)
    tied = [str(v) for v, e in alive["excess_at_equal_time"].items() if e <= floor]
    # a variant that diverged later may have been lower at that time: it is not ranked
    # "did not diverge" would count a batch GD above 2 / λ_max that the check let run on
    among = (
        " of the variants the divergence check did not stop" if summary["diverged"].any() else ""
    )
    closest = (
        f"{listing(tied)} were tied at the minimum ({near(floor)})"
        if len(tied) > 1
        # one variant left is ranked against none: not "closest ... of the variants the
        # divergence check did not stop" (audit pass 56 e: η 2, 1 epoch, where mini-batch and
        # SGD diverged and batch GD, alone, ended 128.3 above L* from a start 12.5 above it)
        else f"{winner}, the only variant the divergence check did not stop, was "
        f"{equal_time_gap(result, alive.loc[winner, 'excess_at_equal_time'], floor)}"
        if len(alive) == 1
        else "{}{} was closest to the minimum in loss{} {}".format(
            winner, *_at_that_time(result, alive.loc[winner], floor, among)
        )
    )
    return [
        _fact(
            "wall_time",
            "Wall time, as measured on the machine that computed this result: "
            f"{', '.join(per_update.values())}.{averaged}{_same_as_batch(config)} At "
            f"{_ms(result.equal_time)}, when {quickest} finished, {closest}. On "
            "a real network an update's cost grows with its batch; the 'examples processed' "
            "axis measures that.",
            winner=winner,
            quickest=quickest,
            tied=tuple(tied) if len(tied) > 1 else (),
        )
    ]


def _at_that_time(result, row, floor: float, among: str) -> tuple[str, str, str]:
    """The closest variant's loss at the equal wall time, named as one instant of its run: the
    loss after one update (on a noisy path the next can be far off), or its start where it had
    made no update by then. "Mini-batch was closest to the minimum in loss ... (8.88 above L*)"
    was said of a run that had not yet moved (?lr=2&epochs=1&n=30&batch=16&noise=0: batch GD's
    one step overshot, SGD diverged, and the mini-batch run's first update came after its
    epoch's shuffle, later than batch GD's only one; audit pass 58 d)."""
    loss = equal_time_gap(result, row["excess_at_equal_time"], floor)
    done, total = int(row["updates_at_equal_time"]), int(row["updates"])
    if done == 0:
        return ", still at its start (it had made no update by then),", among, f"({loss})"
    if done == total:
        return "", among, f"({loss}, after its last update)"
    return "", among, f"({loss}, its loss after update {done} of its {total})"


def _typical(row) -> str:
    """After the mean time per update: "each" for a run of one update (its mean is its time),
    "on average" for two (their median is their mean), else "on average, median 0.783 µs" (audit
    pass 60 d: "SGD … (4000 updates, 4.04 µs each)" beside "Mini-batch … (260 updates, 1.637 µs
    each)", where the median update of both took 0.8 µs and SGD's mean carried a pause of the
    machine of several milliseconds)."""
    count = int(row["updates"])
    if count <= 1:
        return "each"
    median = float(row.get("median_update_seconds", math.nan))
    if count == 2 or not math.isfinite(median):
        return "on average"
    micro = median * 1e6
    text = f"{_measured(micro / 1000)} ms" if micro >= 1000 else f"{_measured(micro)} µs"
    return f"on average, median {text}"


def _each(seconds: float, updates: int) -> str:
    """The mean time per update at the 3 significant digits every measured time prints at
    (:func:`_measured`, zeros kept), in µs (in ms from a millisecond). Its rounding interval times
    the updates meets the printed total's: "0.618 ms (260 updates, 2.38 µs on average)" is read
    as 2.375 to 2.385 µs × 260 = 0.6175 to 0.6201 ms. Digits added until 2.38 × 260 printed
    0.618 itself (audit pass 47 a) gave a noisy timing a precision no timer has: "1.455 µs on
    average, median 0.775 µs", "16.77 µs" beside "median 7.32 µs", and "8.7 µs on average,
    median 5.16 µs" at 2 digits (audit pass 63 d)."""
    micro = seconds * 1e6 / max(1, updates)
    # from a millisecond on, in ms as the total is: a loaded machine timed one batch GD update at
    # 11.5 ms, which printed "1.15e+04 µs each" (audit pass 49 saw the verifier fail on it)
    if float(_measured(micro)) < 1000:
        return f"{_measured(micro)} µs"
    return f"{_measured(micro / 1000)} ms"


def _ms(seconds: float) -> str:
    """Milliseconds to 3 significant digits (a batch GD run can take a fifth of one; whole ones
    from 100 ms), and microseconds below a tenth of one (a one-epoch batch GD run takes about
    20 µs): per-update times are divided from these, so they carry the same digits. As core.facts
    prints every number, a fraction gets a digit more rather than print as a whole number."""
    ms = seconds * 1000
    if ms < 0.1:
        return f"{_measured(seconds * 1e6)} µs"
    return _measured(ms) + " ms" if ms < 100 else f"{_measured(ms, digits=0)} ms"


def _measured(value: float, digits: int = 3) -> str:
    """A measured time: ``digits`` significant digits (with ``digits=0``, whole units), with their
    zeros where they round it to a whole number ("37.0 µs", "1.00 ms"), not the digits
    :func:`num` and :func:`decimals` add so that no fraction prints as a whole number ("37.047 µs"
    beside "18.5235 µs on average" of a two-update run timed on a shared server, a precision of
    1 ns that no wall-clock measurement has; audit pass 61 e, as batch size's durations)."""
    from decimal import ROUND_HALF_UP

    if digits == 0:
        return str(Decimal(repr(float(value))).quantize(Decimal(1), ROUND_HALF_UP))
    # nor num's digits against a 5 that rounding up made ("0.55498 ms" for a batch GD run of
    # 100 updates, where "0.555 ms" is the timer's precision): a measured time is printed once,
    # at these digits, and its per-update time is divided from that text (:func:`_each`)
    plain = _rounded(value, digits)  # halves rounded up, float round-off cleaned
    if "e" in plain:
        return num(value, digits)
    return f"{float(plain):#.{digits}g}".rstrip(".")  # plain-format: _rounded's digits, zeros kept
