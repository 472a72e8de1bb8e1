"""What an autodiff run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np

from core.experiments.autodiff.declared import CLAIMS
from core.experiments.autodiff.experiment import (
    CHANGE,
    CURVE_POINTS,
    CURVE_RANGE,
    EPS,
    H_GRID,
    METHODS,
    NEGLIGIBLE,
    ONE_SIDE,
    SHAPES,
    central_errors,
    offsets_for,
    slider_grid,
)
from core.experiments.autodiff.fit_claims import gradcheck_facts, sci, training_facts
from core.facts import (
    ANSWER,
    WARNING,
    Fact,
    agrees,
    alike,
    cleaned,
    decimals,
    listing,
    minus,
    num,
    padded,
    plural,
    read,
    significant,
    up,
    within_digits,
)

SWEEP_MAX, SLOPE_TO = float(H_GRID[0]), float(H_GRID[4])  # slopes read between 0.1 and 0.01
# L' is "a straight line" over the sweep when it deviates from the chord by at most this
# fraction of its size.
STRAIGHT = 1e-12
# The curves "coincide at the chart's scale" when no estimate is off by more than this share
# of the range the exact derivative spans on the chart.
COINCIDE = 0.01
# A Taylor term "vanishes" only when, at h = 0.1, it is under this share of the measured error
# there: the 1e-5 test on L'' or L''' alone is absolute, and a loss whose every derivative is
# tiny (1e-70) passes it while its h*L''/2 term is the whole error.
TERM_SHARE = 0.01
# ... and at h = 0.01, the other end of the slope's decade, under this share: checked at h = 0.1
# alone, a loss that curves on a scale below 0.1 passes while the term it calls vanished is most
# of the error at h = 0.01 (sigmoid(100 r) at r = -5.4: L'' = 100 L', and h·L''/2 is 70 % of the
# forward error at h = 0.01; sigmoid(200 r) at r = -2: h²·L'''/6 is 82 % of the central one).
# A term that truly vanishes keeps a share that grows only by its estimate's noise (exp(r) - r³/6
# at 0: 1.7 % at h = 0.01).
TERM_SHARE_SMALL = 0.1
# h²·L‴/6 "leads" the forward error only when, at h = 0.1, it is at least this share of it.
LEADS_SHARE = 0.5
# The growth at the smallest step is round-off when the error there is within this factor of
# the round-off scale eps (|L| + |y_pred| |L'|) / h (values and the step's own rounding).
ROUND_OFF_SPAN = 100.0


def _six(x: float) -> str:
    """A derivative with 6 significant digits, more while a fraction would print as a whole
    number it is not (tanh(-10) = -0.999999996 is not "-1"; 2.999995 not "3"); text with an
    exponent is left as it is (the exponent already says digits are cut), as on the page."""
    return num(x + 0.0, 6)


# L″ and L‴ are estimated by central differences of the exact gradient at ŷ ± DELTA (0.001):
# good to about 1e-7 of their scale (experiment.NEGLIGIBLE), so a sentence prints at most this
# many significant digits of them.
ESTIMATE_DIGITS = 6
ESTIMATED = "estimated from the exact gradient at ŷ ± 0.001"


def estimate_text(x: float, digits: int = 3) -> str:
    """A finite-difference estimate of L″ or L‴ for a sentence that writes it after "≈":
    ``digits`` significant digits, at most ESTIMATE_DIGITS, halves rounded up, and not lengthened
    to keep it from reading as a whole number: digits past the estimate's accuracy are its error,
    not L's (r² has L″ = 2, estimated 2.000000000002 at r = 9.5; exp(r) − r³/6 has L″ = 1 at 0,
    estimated 1.0000002)."""
    if x == 0 or not math.isfinite(x):
        return num(x)
    digits = min(digits, ESTIMATE_DIGITS)
    exact = Decimal(repr(float(x)))
    places = exact.adjusted() - digits + 1
    return num(float(exact.quantize(Decimal(1).scaleb(places), ROUND_HALF_UP)), digits)


def _truncation_guides_note(result) -> str:
    """Beside a switch the steps cross: which grey guides stop before it. The truncation
    guides (h·|L″|/2, h²·|L‴|/6) are drawn only for steps that stay clear of it; the round-off
    guide εR/h is drawn at every step."""
    truncation = result.guides[~result.guides["guide"].astype(str).str.startswith("round-off")]
    if len(truncation):
        return " (the grey truncation guides stop before it)"
    return " (no grey truncation guide is drawn here)"


def _fact(key: str, text: str, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, minus(text), slot=slot, **values)


@np.errstate(all="ignore")  # the numbers may be huge or undefined: they compare as they are
def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _warnings(config, result)
    if not result.point["error"]:
        out += _answer(config, result)
        out += _point(config, result)
        out += _breakpoints(config, result)
        out += _truncation(config, result)
        out += _best_and_theory(config, result)
    out += _curve(config, result)
    out += training_facts(config, result)
    out += gradcheck_facts(config, result)
    return out


def _ends(name: str) -> str:
    grid = slider_grid(name)
    return f"{num(grid[0])} to {num(grid[-1])}"


def _warnings(config, result) -> list[Fact]:
    out = []
    if result.point["error"]:
        # "Move the point" only where some point the sliders offer is defined: log(-1 - y_pred**2)
        # is undefined at every one, and moving cannot help there (audit pass 52 a)
        elsewhere = result.point.get("defined_at", ())
        way_out = (
            "Move the point, or change the loss."
            if elsewhere is not None
            else "The loss or its derivative is undefined at every point the sliders offer "
            f"(ŷ from {_ends('y_pred')}, y from {_ends('y_true')}), so moving the point "
            "cannot help: change the loss."
        )
        out.append(
            _fact(
                "point_undefined",
                f"Undefined at ŷ = {num(config.y_pred, 6)}, y = {num(config.y_true, 6)}: "
                f"{result.point['error']} {way_out}",
                WARNING,
                error=result.point["error"],
                defined_at=elsewhere,
            )
        )
    for row in result.fit_summary.itertuples():
        if row.stopped_reason:
            out.append(
                _fact(
                    "training_stopped",
                    f"Training with {row.model} stopped: {row.stopped_reason}",
                    WARNING,
                    model=row.model,
                )
            )
    return out


# ---- the prediction: the central error's shape ------------------------------------------------


def _answer(config, result) -> list[Fact]:
    errors = central_errors(result.sweep)
    if len(errors) < 3:
        return [
            _fact(
                "sweep_unmeasured",
                f"The central difference cannot be computed in float64 at "
                f"{len(H_GRID) - len(errors)} of the {len(H_GRID)} steps (ŷ − h or ŷ + h leaves "
                "the loss's domain, or a value overflows), so its error curve is not read.",
                finite=len(errors),
            )
        ]
    if autodiff_off(result):
        # the sweep measures each difference's gap from autodiff's value, which is off L's
        # derivative here: its shape is not the central error's (relu(r) - relu(-r) + exp(r) at
        # r = 0: the gap stays about 1 at every step, graded "stays about the same", while the
        # central difference's error against L' = 2 falls from 1.7e-03 to 1.3e-11 and grows
        # again; audit pass 43 b), so the prediction is not read on this run
        return [
            _fact(
                "sweep_off_autodiff",
                f"Here autodiff's value, {_six(result.point['exact'])}, is a kink convention off "
                "L's derivative (the slopes on both sides agree: What to notice), so the error "
                "chart measures each difference's gap from that value, which holds autodiff's own "
                "error: it does not show how the central difference's error changes with h, and "
                "the prediction is not read on this run.",
                exact=result.point["exact"],
            )
        ]
    h, e = errors.index.to_numpy(), errors.to_numpy()
    floor = result.floor
    shown = np.maximum(e, floor)
    k = int(np.argmin(shown))
    values = {"answer": result.shape, "first": e[0], "smallest": e[k], "at": h[k], "last": e[-1]}
    span = "" if len(e) == len(H_GRID) else f" (over the {len(e)} steps where it is defined)"
    texts = error_texts(result)
    # the floor at the decimals of the errors it stands among (not "2.89e-15 at h = 1.0e-01; the
    # smallest is 4.4e-16" for MSE at ŷ = 1.4, y = 0.4: audit pass 65 d), in the sentence and
    # the rounding note alike
    places = max(
        ERROR_PLACES,
        *(_mantissa_places(texts.get((METHODS[2], float(h[i])), "")) for i in (0, -1)),
    )
    floor_text = sci(floor, places)
    # the floor is ε·|∂L/∂ŷ|, or float64's smallest normal number when that is smaller
    below = (
        f"ε·|∂L/∂ŷ| ≈ {floor_text}"
        if floor == EPS * abs(result.point["exact"])
        else f"{floor_text}, float64's smallest normal number (ε·|∂L/∂ŷ| is smaller here),"
    )
    rounding = (
        f" Errors below {below} are rounding luck and count as that."
        if (e < floor).any() and result.point["exact"] != 0
        else ""
    )

    def err(i: int) -> str:
        """The error at step i as the error chart's tooltip prints it (and best_steps): at 1
        decimal the smallest, 2.0637e-12 at h ≈ 1.8e-06, printed "2.1e-12" above the tooltip
        2.0638e-12 of the step before it (audit pass 39)."""
        return texts.get((METHODS[2], float(h[i])), sci(float(e[i]), ERROR_PLACES))

    ends = f"from {err(0)} at h = {sci(h[0])} to {err(-1)} at h = {sci(h[-1])}"

    def low(i: int) -> str:
        """The error the shape reads at step i: below the floor it counts as the floor, which
        the rounding note says; without that note (an exact derivative of 0) the measured
        error is printed, not the floor (an error of 0 is not "2.2e-308")."""
        if e[i] >= floor:
            return err(i)
        if rounding:
            return floor_text
        return f"{err(i)} (counted as {floor_text}, float64's smallest normal number)"

    # on a kink L has no derivative: the sweep reads the central difference's gap from autodiff's
    # convention, not an error ("The central error stays ... 5.00e-01" at relu's kink; audit
    # pass 43 b)
    subject = error_name(result, "central").capitalize()
    if on_kink(result):
        subject += " (a convention: L has no derivative on this kink)"
    shape = result.shape
    if shape == SHAPES[2]:
        key = "shape_v"
        values["round_off"] = round_off_at_smallest(config, result)
        cause = (
            ": below the best step round-off takes over"
            if e[-1] <= ROUND_OFF_SPAN * values["round_off"]
            else ""
        )
        text = (
            f"{subject}{span} shrinks from {err(0)} at h = {sci(h[0])} to "
            f"{low(k)} at h ≈ {sci(h[k])}, then grows again to {err(-1)} at "
            f"h = {sci(h[-1])}{cause}."
        )
    elif shape == SHAPES[0]:
        key = "shape_keeps_shrinking"
        # read_shape asks only that the smallest error be at one of the last two steps: a typed
        # loss whose truncation terms cancel near some h rises in between (2.95e-03 at h = 0.018,
        # 3.12e-03 at h = 0.01), so "keeps falling" only when no step's error rises
        falls = "keeps falling" if (np.diff(shown) <= 0).all() else "falls overall"
        text = f"{subject}{span} {falls}, {ends}: round-off never catches up with it at this point."
    elif shape == SHAPES[1]:
        key = "shape_levels_off"
        after = k + int(np.argmax(shown[k:]))
        stays = (
            "then stays within 10× of that"
            if shown[after] <= CHANGE * shown[k]
            else f"ends within 10× of that (in between it reaches {err(after)} at "
            f"h = {sci(h[after])})"
        )
        text = (
            f"{subject}{span} falls from {err(0)} at h = {sci(h[0])} to "
            f"{low(k)} at h ≈ {sci(h[k])} and {stays}, ending at "
            f"{err(-1)} at h = {sci(h[-1])}."
        )
    elif shape == SHAPES[3]:
        key = "shape_only_grows"
        # the smallest error may sit at a smaller step than the first, within 10× of it (MSE
        # preset: 3.6e-15 at h = 0.1, 2.7e-15 at h = 0.01, as best_steps says)
        # an error as small at other steps is named with it (Huber preset: 8.88e-16 at h = 0.1
        # and at h = 0.01), not the largest step alone
        tied = np.flatnonzero(shown[1:] == shown[0]) + 1
        also = f"; as small at {plural(len(tied), 'other step')}" if len(tied) else ""
        # a tied step whose error is below the floor is as small only as the floor counts it
        # (Huber with δ = 2.8 at ŷ = 0.5: 1.11e-16 at h = 0.1 "as small at 2 other steps",
        # one of them 0 at h ≈ 1.8e-02, as best_steps and its tooltip print it; audit pass 40)
        under = int((e[tied] < floor).sum())
        if under:
            floor_name = (
                "ε·|∂L/∂ŷ|"
                if floor == EPS * abs(result.point["exact"])
                else "float64's smallest normal number"
            )
            errors_below = "error" if under == 1 else f"{under} errors"
            counts = "counts" if under == 1 else "count"
            also += f", once the {errors_below} below {floor_name} {counts} as that"
        start = (
            f"is smallest at the largest step ({err(0)} at h = {sci(h[0])}{also})"
            if k == 0
            else f"is already within 10× of its smallest at the largest step ({err(0)} at "
            f"h = {sci(h[0])}; the smallest is {low(k)} at h ≈ {sci(h[k])})"
        )
        # a smallest error below the first is a gain, if less than 10× (9.8e-15 at h = 0.1,
        # 2.2e-15 at h ≈ 1.8e-03 for sum((ŷ − y)²) at ŷ = 4.6, y = 3.3): not "gains nothing"
        gain = "gains nothing" if k == 0 else "gains less than 10×"
        text = (
            f"{subject}{span} {start} and grows to {err(-1)} at "
            f"h = {sci(h[-1])}: a smaller step {gain} here."
        )
    elif (e == 0).all():
        key = "shape_exact"
        # on a kink L has no derivative for the difference to be exact about: it matches the
        # convention autodiff returns (MAE at ŷ = y: 0 = the average of the slopes -1 and 1, as
        # the on_kink sentence beside it says; "exact at every step" there is false, audit pass 39)
        exact = (
            f"matches autodiff's {_six(result.point['exact'])} (its convention at the kink, "
            "where L has no derivative)"
            if on_kink(result)
            else "is exact"
        )
        text = (
            f"The central difference {exact} at every step{span}: its "
            f"{'gap from that value' if on_kink(result) else 'error'} is 0 from "
            f"h = {sci(h[0])} to h = {sci(h[-1])}, so it stays the same."
        )
        values["on_kink"] = on_kink(result)
    else:
        key = "shape_flat"
        top = int(np.argmax(shown))
        if shown[top] <= CHANGE * shown[k]:
            text = f"{subject}{span} stays within 10× of its smallest value at every step, {ends}."
        else:
            text = (
                f"{subject}{span} is within 10× of its smallest value at both ends of "
                f"the sweep, {ends}, but not in between: it reaches {err(top)} at "
                f"h = {sci(h[top])}."
            )
    return [_fact(key, text + rounding, ANSWER, **values)]


def round_off_at_smallest(config, result) -> float:
    """eps (|L| + |y_pred| |L'|) / h at the sweep's smallest step: the size of its round-off."""
    h = float(H_GRID[-1])
    local = result.local
    near = local[(local["offset"].abs() - h).abs() <= 1e-3 * h]
    values = np.abs(np.append(near["value"].to_numpy(), result.point["value"]))
    return EPS * (np.max(values) + abs(config.y_pred) * abs(result.point["exact"])) / h


# ---- the point, its breakpoints, truncation and round-off -------------------------------------


def _point(config, result) -> list[Fact]:
    p = result.point

    def off(name: str) -> str:
        error = p[f"{name}_error"]
        if not math.isfinite(error):
            # the domain, or an overflow: of L(ŷ ± h) (strict evaluation), or of the quotient
            side = "ŷ + h" if name == "forward" else "ŷ − h or ŷ + h"
            return (
                f"the {name} difference cannot be computed in float64 ({side} leaves the "
                "loss's domain, or a value overflows)"
            )
        if convention_here(result):
            return f"the {name} difference is {sci(error)} from autodiff's value"
        return f"the {name} difference is off by {sci(error)}"

    # on a kink L has no derivative: autodiff's value is not "∂L/∂ŷ = 0" (MAE at ŷ = y; audit
    # pass 43 b)
    # where autodiff is the one off, its value is not ∂L/∂ŷ either (relu(r) − relu(−r) at r = 0:
    # "gives ∂L/∂ŷ = 0" where L′ = 1; audit pass 45 c)
    gives = (
        f"gives {_six(p['exact'])}, a convention (L has no derivative on this kink: What to notice)"
        if on_kink(result)
        else f"gives {_six(p['exact'])}, a kink convention, not ∂L/∂ŷ"
        if autodiff_off(result)
        else f"gives ∂L/∂ŷ = {_six(p['exact'])}"
    )
    return [
        _fact(
            "point_errors",
            f"At ŷ = {num(config.y_pred, 6)}, y = {num(config.y_true, 6)} reverse-mode autodiff "
            f"{gives}. With h = {num(config.h, 6)}, {off('forward')} and "
            f"{off('central')}." + (OFF_AUTODIFF if autodiff_off(result) else ""),
            exact=p["exact"],
            forward_error=p["forward_error"],
            central_error=p["central_error"],
            # the page's metric prints the derivative with digits that read as this text
            exact_text=_six(p["exact"]),
        )
    ]


def _tolerance(a: float, b: float) -> float:
    return 1e-6 * max(1.0, abs(a), abs(b))


def _kinked(a: float, b: float) -> bool:
    return not abs(a - b) <= _tolerance(a, b)


CLOSE = 1e-12  # a second pair of one-sided slopes, this close to y_pred (on the local grid)


def _at_offset(result, offset: float) -> float:
    """The exact derivative at the local grid's offset nearest ``offset``."""
    local = result.local
    return float(local["grad"].iloc[int(np.argmin(np.abs(local["offset"] - offset)))])


def _ahead(config, b) -> tuple[float, float]:
    """The largest sampled step h at which y_pred + h has not reached switch ``b`` yet and the
    smallest at which it has (0 there or changed sign), (inf, inf) if none does: the forward
    difference crosses it only from there."""
    offsets = offsets_for(config.h)
    steps = offsets[offsets > 0]
    y = (config.y_pred + np.append(0.0, steps))[:, None]
    with np.errstate(all="ignore"):
        switches = config.loss().switches(y, np.full_like(y, config.y_true))
    ahead = (math.inf, math.inf)  # the nearest over every switch of that call (clip has two)
    for switch in switches:
        if (switch.label, switch.column) != (b["label"], b["column"]):
            continue
        s = switch.values[:, 0]
        reached = (s[1:] == 0.0) | (np.sign(s[1:]) * np.sign(s[0]) < 0.0)
        if reached.any():
            k = int(np.argmax(reached))
            ahead = min(ahead, (float(steps[k - 1]) if k else 0.0, float(steps[k])))
    return ahead


def _kink_slopes(left: float, right: float) -> tuple[str, str, str]:
    """The one-sided slopes and their average at 6 significant digits, more until the printed
    average is the average of the printed slopes (not "-0.234568 ... 0.123456 ... average
    -0.0555555", whose slopes average -0.055556)."""
    for digits in range(6, 18):
        # never a fraction printed as a whole number (0.9999999 is not "1", nor its average "3")
        texts = tuple(num(v + 0.0, digits) for v in (left, right, (left + right) / 2))
        if not (math.isfinite(left) and math.isfinite(right)) or agrees(
            texts[2], (Decimal(texts[0]) + Decimal(texts[1])) / 2
        ):
            break
    return texts


def one_sided_limits(result) -> tuple[float, float]:
    """L's slopes just left and right of y_pred: its exact one-sided derivatives where the
    engine gives them (``result.one_sided["limits"]``, directional derivatives along the parse
    tree). Otherwise the exact derivative at y_pred -+ 1e-12, extrapolated to y_pred along the
    line through it and the one at y_pred -+ 1e-8. On a straight piece (abs, relu) they are the
    slopes at 1e-8 themselves; on a curved one the slope at 1e-8 holds L″·1e-8 of curvature,
    which can dwarf a jump: 1e6·ŷ² + 0.001·|ŷ| at 0 has slopes -0.021 and 0.021 at ∓1e-8, and
    limits -0.001 and 0.001 (audit pass 48 b). The extrapolation assumes the slope is straight
    between 1e-12 and 1e-8: sqrt(1e-18 + ŷ²) + 0.001·|ŷ| at 0 bends on a scale of 1e-9, and gave
    ∓0.0019 for limits of ∓0.001 (and ∓0.0009 with 0·|ŷ|, where L is smooth; audit pass 49 b)."""
    if result.one_sided.get("limits") is not None:
        return result.one_sided["limits"]
    left_far, right_far = result.one_sided["left"], result.one_sided["right"]
    left_near, right_near = _at_offset(result, -CLOSE), _at_offset(result, CLOSE)
    w = CLOSE / (ONE_SIDE - CLOSE)
    if left_far == left_near and right_far == right_near:  # straight on both sides
        return left_near, right_near
    return left_near - (left_far - left_near) * w, right_near - (right_far - right_near) * w


def _kink_here(result) -> str:
    """Whether y_pred sits on a kink: "kink" (the one-sided slopes jump: as much 1e-12 from
    y_pred as 1e-8 from it, or their limits at y_pred, :func:`one_sided_limits`, differ),
    "unclear" (they differ at 1e-8 only through L's curvature: no claim either way), "smooth"
    (a branch switch whose slopes agree) or "" (no switch at y_pred)."""
    if not any(b["far"] == 0.0 for b in result.breakpoints):
        return ""
    if result.one_sided.get("limits") is not None:
        # L's exact one-sided derivatives decide, at no sampled distance (audit pass 49 b)
        return "kink" if _kinked(*result.one_sided["limits"]) else "smooth"
    left, right = result.one_sided["left"], result.one_sided["right"]
    # A true jump in slope is as large 1e-12 from y_pred as 1e-8 from it; the difference
    # that curvature makes shrinks with the distance (10^4 times over these two). A jump
    # smaller than the curvature's part at 1e-8 still shows in the limits: 1e6·ŷ² + 0.001·|ŷ|
    # at 0 jumps by 0.002 under a difference of 0.042 at ∓1e-8, and was "unclear", so the page
    # said "autodiff gives ∂L/∂ŷ = 0" and "the central difference is exact" where L has no
    # derivative (audit pass 48 b)
    # (1e6·ŷ² − 0.02·|ŷ| at 0, a jump of -0.04 that curvature cancels at ∓1e-8, was called
    # "smooth": "the slopes on both sides agree (0 and 0 ...), so L is differentiable here")
    jump_far = right - left
    jump_near = _at_offset(result, CLOSE) - _at_offset(result, -CLOSE)
    if _kinked(*one_sided_limits(result)) or (
        _kinked(left, right) and abs(jump_near) >= 0.5 * abs(jump_far)
    ):
        return "kink"
    return "unclear" if _kinked(left, right) else "smooth"


# The engine's convention at each of its functions' kinks (core.autodiff, as PyTorch): the
# on_kink sentence names every one, clip's too (audit pass 40: at clip's bound autodiff's 1 was
# called "the framework convention (abs′(0) = 0, relu′(0) = 0, a tie in maximum or minimum
# splits the gradient in half)", none of which gives 1).
KINK_CONVENTIONS = (
    "abs′(0) = 0, relu′(0) = 0, a tie in maximum or minimum splits the gradient in half, and "
    "clip, like torch.clamp, passes the whole gradient to its input at either bound"
)


def _central_here(point) -> str:
    """The central difference's value in the on_kink sentence: where autodiff's value is 0 it is
    the central difference's gap from that value too, so it prints as point_errors prints that
    gap (MAE at ŷ = y = 1 with h = 1e-5 printed "here 5.55112e-12" beside "the central difference
    is 5.6e-12 from autodiff's value": one quantity at two precisions; audit pass 67 d)."""
    if point["exact"] == 0 and math.isfinite(point["central"]):
        return sci(point["central"])
    return _six(point["central"])


def on_kink(result) -> bool:
    """Whether y_pred sits exactly on a kink of L (the on_kink sentence's condition)."""
    return _kink_here(result) == "kink"


def autodiff_off(result) -> bool:
    """Whether autodiff's value at y_pred is a kink convention off L's derivative where L is
    differentiable (a branch switch whose slopes on both sides agree, autodiff's value not with
    them; the on_breakpoint_smooth sentence's "autodiff is the one off"). There a difference's
    gap from autodiff's value is autodiff's error, not the difference's: relu(r) − relu(−r) at
    r = 0 has L′ = 1, autodiff 0, and both differences 1 ("the central error stays ... 1.00e+00"
    was said of a central difference that is exact; audit pass 43 b)."""
    if _kink_here(result) != "smooth":
        return False
    return _kinked(result.point["exact"], _smooth_slopes(result)[0])


def _smooth_slopes(result) -> tuple[float, float]:
    """The slopes on both sides of a branch switch the slopes agree at: L's exact one-sided
    derivatives where the engine gives them, else the exact derivative at y_pred -+ 1e-8
    (sqrt(1e-18 + ŷ²) + relu(ŷ) − relu(−ŷ) at 0 has slope 1 on both sides, and 0.005 and
    1.995 at ∓1e-8; audit pass 49 b)."""
    if result.one_sided.get("limits") is not None:
        return result.one_sided["limits"]
    return result.one_sided["left"], result.one_sided["right"]


CURVE_STEP = 1e-5  # L″ on each side of y_pred: the slope's change over this step (a sweep step)
# L″ "jumps" at a smooth branch switch when its one-sided values differ by more than this share
# of the larger (or of 1)
CURVE_JUMP = 1e-3


def curvature_sides(result) -> tuple[float, float] | None:
    """L″ just left and right of y_pred, as the exact slope's change over CURVE_STEP from the
    one-sided slopes at y_pred (:func:`_smooth_slopes`), where the two differ by more than
    CURVE_JUMP: the slope is continuous but bends differently on each side (Huber at
    ŷ − y = ±δ: L″ is 1 inside, 0 outside). None where they agree or are not finite."""
    left, right = _smooth_slopes(result)
    a = (left - _at_offset(result, -CURVE_STEP)) / CURVE_STEP
    b = (_at_offset(result, CURVE_STEP) - right) / CURVE_STEP
    if not (math.isfinite(a) and math.isfinite(b)):
        return None
    if abs(a - b) <= CURVE_JUMP * max(1.0, abs(a), abs(b)):
        return None
    return a, b


def _curvature_jump_text(result) -> str:
    """The sentence on_breakpoint_smooth adds where L″ jumps at y_pred: a central step then
    straddles a change of curvature, and its error is first order, (L″₊ − L″₋)·h/4, not
    h²·L‴/6 (Huber δ = 1 at ŷ − y = 1: 2.5e-02 at h = 0.1, a quarter of h at every step, and
    the page named no cause; audit pass 63 a)."""
    sides = curvature_sides(result)
    if sides is None:
        return ""
    # 3 significant digits of the estimates (1e-5 steps of the exact slope: Huber's inside L″
    # reads 0.99999999998), the coefficient the printed values' own
    scale = max(1.0, *(abs(v) for v in sides))
    # a side bending by less than the estimate's noise is straight (not "-2.2e-11")
    a, b = (format(0.0 if abs(v) <= 1e-6 * scale else v + 0.0, ".3g") for v in sides)
    coefficient = format((abs(read(b) - read(a)) / 4).normalize(), "f")
    return (
        f" Its curvature L″ does jump here, from about {minus(a)} on the left to {minus(b)} on the "
        "right, so a central difference, whose two points straddle ŷ, keeps a first-order "
        f"error of about h·|ΔL″|/4 = {minus(coefficient)}·h, not the h²·L‴/6 of "
        "a smooth point; the forward difference sees the right side only."
    )


# What the sweep and the point measure: each estimate's gap from autodiff's value, its error
# unless autodiff is the one off.
OFF_AUTODIFF = (
    " Here autodiff's value is a kink convention off L's derivative (the slopes on both sides "
    "agree: What to notice), so a gap from it is not the differences' error: it holds "
    "autodiff's own."
)


def convention_here(result) -> bool:
    """Whether autodiff's value at y_pred is a kink convention, not L's derivative: on a kink
    (L has none) or where autodiff is the one off. There an estimate's distance from it is a gap
    from a convention, not the estimate's error."""
    return on_kink(result) or autodiff_off(result)


def error_name(result, method: str) -> str:
    """ "the central error", or "the central difference's gap from autodiff's value" where
    autodiff's value is a convention (:func:`convention_here`)."""
    if convention_here(result):
        return f"the {method} difference's gap from autodiff's value"
    return f"the {method} error"


def _breakpoints(config, result) -> list[Fact]:
    out = []
    here = [b for b in result.breakpoints if b["far"] == 0.0]
    if here:
        b = here[0]
        left, right = result.one_sided["left"], result.one_sided["right"]
        where = f"{b['label']}(…) at column {b['column']}"
        values = {"label": b["label"], "left": left, "right": right}
        kink = _kink_here(result)
        if kink == "unclear":
            pass  # the slopes differ at 1e-8 only through L's curvature: no claim either way
        elif kink == "kink":
            p = result.point
            # the slopes' limits at y_pred, not at 1e-8 from it, where curvature adds L″·1e-8
            left, right = one_sided_limits(result)
            values.update(left=left, right=right)
            left_text, right_text, mean_text = _kink_slopes(left, right)
            out.append(
                _fact(
                    "on_kink",
                    f"ŷ sits exactly on a kink of {where}: the slope jumps from {left_text} on "
                    f"the left to {right_text} on the right, so L has no derivative here and "
                    f"autodiff's {_six(p['exact'])} is the framework convention "
                    f"({KINK_CONVENTIONS}). "
                    "A forward difference sees only the right-hand side; a central difference "
                    f"mixes both (here {_central_here(p)}; the two slopes average "
                    f"{mean_text}).",
                    exact=p["exact"],
                    central=p["central"],
                    **values,
                )
            )
        else:
            exact = result.point["exact"]
            left, right = _smooth_slopes(result)
            values.update(left=left, right=right)
            off = _kinked(exact, left)
            # the slopes (and autodiff's value) with digits enough that the printed slopes lie
            # within the tolerance printed beside them (not "12.3456 and 12.3457, to within
            # 0.000013"), and autodiff's value, when it is off, prints apart from both (not "agree
            # (12.3456 and 12.3456 …). Yet autodiff gives 12.3456: … autodiff is the one off")
            within = up(_tolerance(left, right), 2)

            def text(v: float, d: int) -> str:
                return num(v + 0.0, d)

            digits = within_digits(left, [right], [Decimal(within)], text=text)
            while (
                off
                and digits < 17
                and text(exact, digits)
                in (
                    text(left, digits),
                    text(right, digits),
                )
            ):
                digits += 1
            wrong = (
                f" Yet autodiff gives {text(exact, digits)}: it applied a kink convention "
                "(relu′(0) = 0, abs′(0) = 0, …) to an operation at its kink, so here autodiff is "
                "the one off, and the differences' 'errors' below are measured against its value."
                if off
                else ""
            )
            out.append(
                _fact(
                    "on_breakpoint_smooth",
                    f"ŷ sits exactly where {where} changes branch, but the slopes on both "
                    f"sides agree ({text(left, digits)} and {text(right, digits)}, to "
                    f"within {within}), so L "
                    f"is differentiable here, or its slope jumps by less than that."
                    f"{_curvature_jump_text(result)}{wrong}",
                    exact=exact,
                    autodiff_off=bool(wrong),
                    **values,
                )
            )
    near = [b for b in result.breakpoints if b["far"] > 0.0]
    if near:
        b = near[0]
        reach = max(SWEEP_MAX, result.point["h"])
        if b["far"] <= reach:
            where = f"{b['label']}(…) at column {b['column']} changes branch"
            # only the truncation guides stop before the switch; the round-off guide spans every
            # step (MAE at ŷ − y = 0.05, preset 'Near a kink', draws no truncation guide and the
            # round-off one at h = 0.1 too; audit pass 41 b)
            guides = _truncation_guides_note(result)
            if b["near"] == 0:
                text = (
                    f"{where} within {up(b['far'], 2)} of ŷ, though not exactly at it: every "
                    "step of the sweep crosses it, so every error includes the change of "
                    "branch, not only Taylor terms."
                )
            elif b["near"] < b["far"]:
                text = (
                    f"{where} between {sci(b['near'])} and {sci(b['far'])} from ŷ: steps up to "
                    f"{sci(b['near'])} stay on one of its branches, steps of {sci(b['far'])} or "
                    "more cross to the other, so their errors include the change of branch, not "
                    f"only Taylor terms{guides}."
                )
            else:
                # a sampled step lands exactly on the switch, where both branches give the same
                # value (MAE at r = 0.1: errors 0 at h = 0.1); only a longer step crosses it
                landing = (
                    f"{where} {sci(b['near'])} from ŷ: shorter steps stay on one of its "
                    f"branches, and a step of exactly {sci(b['near'])} lands on it, where both "
                    "branches give the same value, so that step's errors have no change of "
                    "branch either"
                )
                text = (
                    f"{landing}; longer steps cross to the other, so their errors include the "
                    f"change of branch, not only Taylor terms{guides}."
                    if reach > b["near"]
                    else f"{landing}. No step here goes past it{guides}."
                )
            short, ahead = _ahead(config, b)
            if ahead > b["far"] and (b["near"] < b["far"] or reach > b["near"]):
                # the switch lies below y_pred: only y_pred - h reaches it, the forward
                # difference's y_pred + h does not (MAE at r = 0.05: forward error 0 at h = 0.1)
                stays = "" if ahead > reach else f" for steps up to {sci(short)}"
                text = text.replace("every error includes", "every central error includes")
                text = text.replace("so their errors", "so their central errors")
                text += (
                    " It lies below ŷ, where only the central difference's ŷ − h reaches: the "
                    f"forward difference's ŷ + h stays on ŷ's branch{stays}, so its errors have "
                    "no change of branch."
                )
            out.append(
                _fact(
                    "near_breakpoint",
                    text,
                    label=b["label"],
                    near=b["near"],
                    far=b["far"],
                )
            )
    missing = result.sweep[result.sweep["error"].isna()]
    if len(missing):
        steps = missing["h"]
        where = (
            f"h = {sci(steps.min())}"
            if steps.nunique() == 1
            else f"h from {sci(steps.min())} to {sci(steps.max())}"
        )
        # which estimate is missing: the chart drops a method's point, not the step (log(ŷ) at
        # ŷ = 0.05: the central difference is undefined at h = 0.1 and 0.056, the forward one is
        # drawn there; "those steps are missing from the error chart" was false, audit pass 39)
        by = {
            m.split()[0]: set(missing.loc[missing["method"] == m, "h"])
            for m in METHODS[1:]
            if (missing["method"] == m).any()
        }
        if len(by) == 2 and by["forward"] == by["central"]:
            who = "neither difference can"
            gone = (
                "That step is" if steps.nunique() == 1 else "Those steps are"
            ) + " missing from the error chart."
        elif len(by) == 1:
            (name,) = by
            other = "central" if name == "forward" else "forward"
            who = f"the {name} difference cannot"
            gone = (
                f"Its points there are missing from the error chart; the {other} difference's "
                "are drawn."
            )
        else:
            who = (
                f"the forward difference (at {len(by['forward'])} of them) or the central "
                f"difference (at {len(by['central'])}) cannot"
            )
            gone = "Those points are missing from the error chart."
        out.append(
            _fact(
                "sweep_partly_undefined",
                f"At {steps.nunique()} of the {len(H_GRID)} steps ({where}) {who} be computed "
                "in float64: ŷ ± h leaves the loss's domain, or a value overflows. " + gone,
                steps=sorted(steps.unique()),
                missing={name: sorted(hs) for name, hs in by.items()},
            )
        )
    return out


def clear_of_breakpoints(result, reach: float = SWEEP_MAX) -> bool:
    """No branch switch within ``reach`` of y_pred (strictly inside the sweep)."""
    return all(b["near"] >= reach for b in result.breakpoints)


def sweep_errors(result, method: str):
    rows = result.sweep[result.sweep["method"] == method]
    return rows.set_index("h")["error"]


def straightness(result) -> float:
    """Largest deviation of the exact L' from its chord over y_pred +- 0.1, over its size."""
    local = result.local[result.local["offset"].abs() <= SWEEP_MAX * (1 + 1e-12)]
    x, g = local["offset"].to_numpy(), local["grad"].to_numpy()
    if not np.isfinite(g).all():
        return math.inf
    chord = g[0] + (g[-1] - g[0]) * (x - x[0]) / (x[-1] - x[0])
    return float(np.max(np.abs(g - chord)) / max(np.max(np.abs(g)), 1e-300))


def below_round_off(config, result) -> bool:
    """Whether L' is straight over y_pred +- 0.1 to float64's resolution: the central
    difference's truncation error (at most twice the largest deviation of L' from its chord)
    is at most twice the round-off eps (|L| + (|y_pred| + h) |L'|) / h of the sweep's largest
    step, so no step's error is more than round-off-sized. A 1e-12 relative bend alone is not: 1e-10·r³ added to r² at
    r = 1.5 bends L' by 9e-13 of its size, and its h²·L‴/6 = 1.0e-12 at h = 0.1 is the whole
    central error there, about 70 times the round-off scale."""
    local = result.local[result.local["offset"].abs() <= SWEEP_MAX * (1 + 1e-12)]
    x, g, v = (local[c].to_numpy() for c in ("offset", "grad", "value"))
    if not (np.isfinite(g).all() and np.isfinite(v).all()):
        return False
    chord = g[0] + (g[-1] - g[0]) * (x - x[0]) / (x[-1] - x[0])
    deviation = float(np.max(np.abs(g - chord)))
    # the values' rounding and that of y_pred ± h itself
    round_off = (
        EPS * (np.max(np.abs(v)) + (abs(config.y_pred) + SWEEP_MAX) * np.max(np.abs(g))) / SWEEP_MAX
    )
    # (the chord's own arithmetic rounds too: r² at r = 0 strays 5.6e-17 from it)
    return deviation <= round_off


def measured_round_off(result, forward, central) -> bool:
    """Whether the measured errors are what a quadratic L leaves: every central error of the
    sweep within ROUND_OFF_SPAN times the round-off scale ε·R/h, and the forward error at
    h = 0.1 within that of h·|L″|/2. The derivative sampled at ŷ + offsets cannot see L between
    the samples: 0.001·exp(−((ŷ − 1.6)/0.0001)²) added to ŷ² at ŷ = 1.5 has its bump's peak
    (slope 0) at ŷ + 0.1 and nothing at the other samples, and its central error 5.0e-03 at
    h = 0.1 was called round-off (audit pass 49 b)."""
    r = result.point["roundoff"]
    if not (math.isfinite(r) and np.isfinite(central).all() and len(central) == len(H_GRID)):
        return False
    bound = ROUND_OFF_SPAN * EPS * max(r, EPS) / central.index.to_numpy(dtype=float)
    if not (central.to_numpy() <= bound).all():
        return False
    truncation = SWEEP_MAX * abs(result.derivatives["second"]) / 2
    f0 = float(forward.iloc[0])
    return abs(f0 - truncation) <= bound[0] + 1e-6 * truncation


def slope(errors, high: float = SWEEP_MAX, low: float = SLOPE_TO) -> float:
    """The log-log slope of an error curve between two steps of the sweep."""
    a, b = (
        errors.iloc[int(np.argmin(np.abs(errors.index - high)))],
        errors.iloc[int(np.argmin(np.abs(errors.index - low)))],
    )
    if not (a > 0 and b > 0):
        return math.nan
    return math.log(a / b) / math.log(high / low)


# The error chart's tooltips print an error with this many decimals (e-notation).
ERROR_PLACES = 2


def slope_texts(pair, s: float) -> tuple[str, str, str]:
    """The errors at h = 0.1 and 0.01 and their log-log slope as truncation_slopes prints them:
    the errors with digits enough (at least the error chart's ERROR_PLACES) that the printed slope
    is the slope of the printed errors over the printed decade (not "2.0e-02 to 2.0e-03 (log-log
    slope 1.01)"). The chart prints these two errors with the same texts (:func:`slope_error_texts`):
    at its 2 decimals the default's central errors were 5.46e-04 and 5.45e-06, slope 2.0008,
    beside the sentence's 5.457e-04, 5.452e-06 and "log-log slope 2.0004"."""
    slope_text = decimals(s, 2)
    for d in range(ERROR_PLACES, 17):
        a_text, b_text = (sci(float(e), d) for e in pair)
        with localcontext() as ctx:
            ctx.prec = 40
            implied = (Decimal(a_text) / Decimal(b_text)).log10()
        if agrees(slope_text, implied):
            break
    # compared in one sentence ("went from … to …"): at one count of decimals, where a 5 that
    # rounding up made lengthened one ("9.98e-03 to 9.846e-04" under BCE on logits, η = 1, 2000
    # steps: 9.98045e-03 prints 9.980e-03; audit pass 70 b), the slope still the printed pair's
    places = max(_mantissa_places(a_text), _mantissa_places(b_text))
    while min(_mantissa_places(a_text), _mantissa_places(b_text)) < places and places < 17:
        even = tuple(sci(float(e), places) for e in pair)
        with localcontext() as ctx:
            ctx.prec = 40
            implied = (Decimal(even[0]) / Decimal(even[1])).log10()
        if not agrees(slope_text, implied):
            break
        a_text, b_text = even
        places = max(map(_mantissa_places, even))
    return a_text, b_text, slope_text


def slope_error_texts(result) -> dict[tuple[str, float], str]:
    """(method, h) -> the printed error, for the two steps whose errors truncation_slopes prints
    with a slope (one text for the sentence and the error chart's tooltips)."""
    out = {}
    for method in METHODS[1:]:
        errors = sweep_errors(result, method)
        if len(errors) < 5:
            continue
        pair = errors.iloc[[0, 4]]
        s = slope(errors)
        if not np.isfinite(pair).all() or (pair == 0).all() or s != s:
            continue
        texts = slope_texts(pair, s)
        for h, text in zip(pair.index, texts[:2], strict=True):
            out[(method, float(h))] = text
    return out


def _finite_errors(result, method: str):
    errors = sweep_errors(result, method)
    return errors[np.isfinite(errors.to_numpy(dtype=float))]


def _mantissa_places(text: str) -> int:
    """How many decimals an e-notation text's mantissa shows ("5.457e-04" shows 3; "0" none)."""
    mantissa = text.partition("e")[0]
    return len(mantissa.partition(".")[2])


def error_texts(result) -> dict[tuple[str, float], str]:
    """(method, h) -> the error chart's tooltip text where it is not ``sci(error, ERROR_PLACES)``:
    :func:`_error_texts`' texts, then the central errors the shape sentence compares (the first,
    the smallest, the largest after it and the last) all at the most decimals any of them
    needed, so the sentence never prints them at different precision ("3.553e-15 at h = 1.0e-01;
    the smallest is 2.6645e-15" under the MSE preset, "1.513e-04 … 3.15e-12 … 1.69e-03" under BCE
    on logits: audit pass 64 f), the smallest still strictly below every larger error and the
    slope steps' texts unchanged where they are among them (left as they were where that takes
    more than 2 more decimals)."""
    out = _error_texts(result)
    method = METHODS[2]
    errors = sweep_errors(result, method)
    h, e = errors.index.to_numpy(dtype=float), errors.to_numpy(dtype=float)
    if len(e) < 2 or not np.isfinite(e).all():
        return out
    shown = np.maximum(e, result.floor)
    k = int(np.argmin(shown))
    # with every step whose error ties the smallest (printed as it is: none prints below it)
    # the largest error after the smallest only where a sentence prints it: shape_v prints the
    # first, the smallest and the last (4.61947e-03 at h ≈ 3.2e-14, unprinted, held the defaults'
    # three at 6 digits; audit pass 65 d)
    after = [] if result.shape == SHAPES[2] else [k + int(np.argmax(shown[k:]))]
    group = sorted({0, k, *after, len(e) - 1, *np.flatnonzero(e == e[k])})
    if any(e[i] < result.floor for i in group):
        return out

    def text(i: int, places: int) -> str:
        return sci(float(e[i]), places)

    current = {i: out.get((method, float(h[i])), text(i, ERROR_PLACES)) for i in group}
    most = max(map(_mantissa_places, current.values()))
    # the slope steps (h = 0.1 and 0.01) truncation_slopes prints with their log-log slope: where
    # the group moves one of them, both move to the group's decimals if the printed slope is still
    # the slope of the printed pair ("5.457e-04 … 4.42e-12 … 3.16e-04" at the defaults, where the
    # last error needs 4 decimals, 3.1649e-04: audit pass 65 d)
    pair = [i for i in (0, 4) if (method, float(h[i])) in out and i < len(e)]
    slope_text = None
    if len(pair) == 2:
        slope_text = slope_texts(errors.iloc[pair], slope(errors))[2]
    for places in range(most, most + 3):
        trial = {i: text(i, places) for i in group}
        if pair and any(i in group and trial[i] != current[i] for i in pair):
            moved = {i: text(i, places) for i in pair}
            if slope_text is None:
                continue
            with localcontext() as ctx:
                ctx.prec = 40
                implied = (Decimal(moved[pair[0]]) / Decimal(moved[pair[1]])).log10()
            if not agrees(slope_text, implied):
                continue
            trial = {**moved, **trial}
        if any(_mantissa_places(t) != places for t in trial.values() if t != "0"):
            continue
        kept = all(
            trial[i] == current[i]
            for i in group
            if (method, float(h[i])) in out
            and _mantissa_places(current[i]) == most
            and i not in pair
        )
        low = Decimal(trial[k])
        strict = all(
            Decimal(out.get((method, float(h[j])), text(j, ERROR_PLACES))) > low
            for j in range(len(e))
            if j not in group and e[j] > e[k]
        ) and all(Decimal(trial[i]) > low for i in group if e[i] > e[k])
        if kept and strict:
            for i in trial:
                out[(method, float(h[i]))] = trial[i]
            break
    return out


def _error_texts(result) -> dict[tuple[str, float], str]:
    """(method, h) -> the error chart's tooltip text where it is not ``sci(error, ERROR_PLACES)``:
    the two steps truncation_slopes prints (:func:`slope_error_texts`), and each method's smallest
    error with every error that would print alike or below it, with digits enough that the
    smallest prints strictly below each larger one (best_steps' "smallest at h ≈ 1.8e-08" is not
    beside tooltips printing 4.63e-09 at two steps: the Focal preset). One text for best_steps
    and the tooltips."""
    out = slope_error_texts(result)
    for method in METHODS[1:]:
        errors = _finite_errors(result, method)
        if not len(errors):
            continue
        low = float(errors.min())

        def text(h, e, places, method=method):
            return out.get((method, float(h)), sci(float(e), places))

        lows = [h for h, e in errors.items() if e == low]
        low_text = text(lows[0], low, ERROR_PLACES)
        near = [
            (h, e)
            for h, e in errors.items()
            if e > low and Decimal(text(h, e, ERROR_PLACES)) <= Decimal(low_text)
        ]
        places = ERROR_PLACES
        for places in range(ERROR_PLACES, 17):
            low_text = text(lows[0], low, places)
            if all(Decimal(text(h, e, places)) > Decimal(low_text) for h, e in near):
                break
        for h, e in [(h, low) for h in lows] + near:
            out[(method, float(h))] = text(h, e, places)
    return out


def _truncation(config, result) -> list[Fact]:
    if not clear_of_breakpoints(result):
        return []
    forward, central = sweep_errors(result, METHODS[1]), sweep_errors(result, METHODS[2])
    p = result.point
    if (
        straightness(result) <= STRAIGHT
        and below_round_off(config, result)
        and measured_round_off(result, forward, central)
    ):
        second = result.derivatives["second"]
        truncation = SWEEP_MAX * abs(second) / 2
        sampled = int((result.local["offset"].abs() <= SWEEP_MAX * (1 + 1e-12)).sum())
        # h·|L″|/2 at h = 0.1 with digits enough to be that of the printed L″ (L″ = 0.125 gives
        # 6.25e-03, which 1 decimal rounds half to even, "6.2e-03")
        second_text = estimate_text(second)
        # each error as the shape sentence beside it and the error chart's tooltip print it (not
        # "from 8.9e-16 at h = 0.1 to 2.1e-02" beside "8.88e-16 … 2.14e-02": audit pass 64 f)
        texts = error_texts(result)

        def shown(errors, i: int) -> str:
            method = METHODS[1] if errors is forward else METHODS[2]
            return texts.get(
                (method, float(errors.index[i])), sci(float(errors.iloc[i]), ERROR_PLACES)
            )

        truncation_text = sci(truncation)
        for digits in range(1, 17):
            if truncation == 0 or not math.isfinite(truncation):
                break
            truncation_text = sci(truncation, digits)
            if agrees(truncation_text, Decimal("0.05") * abs(Decimal(second_text))):
                break
        # at the measured error's decimals where the printed L″ allows them, so the two values
        # the sentence compares print alike: not "1.0e-01 at h = 0.1 … its measured error there
        # … is 1.00e-01" (the MSE preset; audit pass 66 e); a measured error that must print much
        # longer ("1.000000000001e-01") keeps its digits alone
        measured_places = _mantissa_places(shown(forward, 0))
        if (
            truncation != 0
            and math.isfinite(truncation)
            and _mantissa_places(truncation_text) < measured_places <= ERROR_PLACES + 2
        ):
            wider = sci(truncation, measured_places)
            if _mantissa_places(wider) == measured_places and agrees(
                wider, Decimal("0.05") * abs(Decimal(second_text))
            ):
                truncation_text = wider
        return [
            _fact(
                "quadratic_here",
                # what was sampled, not "a straight line over ŷ ± 0.1 (L is quadratic or
                # linear there)": samples miss a narrow bump between them, and one centred at
                # ŷ + 0.1 put 5.0e-03 of truncation in the central error that this sentence
                # called round-off (audit pass 49 b)
                f"At all {sampled} points sampled over ŷ ± 0.1 ∂L/∂ŷ lies on one straight "
                "line to float64's resolution, as it does where L is quadratic or linear, and "
                "the central difference's error stays round-off-sized at every step of the "
                f"sweep (from {shown(central, 0)} at h = 0.1 to {shown(central, -1)} at "
                "h = 1e-14): it shows no truncation error. The forward difference's truncation "
                f"error on that line is h·|L″|/2, {truncation_text} at h = 0.1 (L″ ≈ "
                f"{second_text}, {ESTIMATED}); its measured error there, round-off included, is "
                f"{shown(forward, 0)}.",
                second=second,
                truncation=truncation,
                forward_at_largest=forward.iloc[0],
            )
        ]
    pairs = [forward.iloc[[0, 4]], central.iloc[[0, 4]]]
    if not all(np.isfinite(pair).all() for pair in pairs):
        return []
    sf, sc = slope(forward), slope(central)

    def fell(name, pair, s):
        if (pair == 0).all():
            return f"the {name} error was exactly 0 at both"
        method = METHODS[1] if name == "forward" else METHODS[2]
        if s != s:
            # no slope (an error of 0): each error as the shape sentence and the error chart's
            # tooltips print it, not "went from 1.1e-16" beside the shape sentence's "falls from
            # 1.13e-16 at h = 1.0e-01" (MSE at ŷ = y = 1; audit pass 66 e)
            texts = error_texts(result)
            a_text, b_text = (
                texts.get((method, float(h)), sci(float(e), ERROR_PLACES)) for h, e in pair.items()
            )
            return f"the {name} error went from {a_text} to {b_text}"
        # the errors with digits enough that the printed slope is the slope of the printed
        # errors over the printed decade (not "2.0e-02 to 2.0e-03 (log-log slope 1.01)")
        a_text, b_text, slope_text = slope_texts(pair, s)
        # as the shape sentence and the tooltips print them (error_texts may give both more
        # decimals, the slope still that of the printed pair)
        a_text, b_text = (
            error_texts(result).get((method, float(h)), t)
            for h, t in zip(pair.index, (a_text, b_text), strict=True)
        )
        change = f"went from {a_text} to {b_text}"
        return f"the {name} error {change} (log-log slope {slope_text})"

    out = [
        _fact(
            "truncation_slopes",
            f"From h = 0.1 to h = 0.01 {fell('forward', pairs[0], sf)} and "
            f"{fell('central', pairs[1], sc)}; for a smooth loss theory gives slopes 1 and 2 "
            "once h is small against the scale on which L curves, more where L″ or L‴ is 0 at "
            "ŷ, less once round-off matters.",
            forward_slope=sf,
            central_slope=sc,
        )
    ]
    second, third = result.derivatives["second"], result.derivatives["third"]
    scale = max(1.0, abs(p["exact"]))
    f0, c0 = float(forward.iloc[0]), float(central.iloc[0])
    f1, c1 = float(forward.iloc[4]), float(central.iloc[4])
    second_term, third_term = SWEEP_MAX * abs(second) / 2, SWEEP_MAX**2 * abs(third) / 6
    second_small, third_small = SLOPE_TO * abs(second) / 2, SLOPE_TO**2 * abs(third) / 6
    if (
        math.isfinite(second)
        and abs(second) <= NEGLIGIBLE * scale
        and second_term <= TERM_SHARE * f0
        and second_small <= TERM_SHARE_SMALL * f1
        and sf >= 1.5
    ):
        flat = (
            math.isfinite(third)
            and abs(third) <= NEGLIGIBLE * max(scale, abs(second))
            and third_term <= TERM_SHARE * f0
            and third_small <= TERM_SHARE_SMALL * f1
        )
        # h²·L‴/6 "leads" only when it is most of the error at h = 0.1 (0.5 r³ + 100 r⁵ at
        # r = 0: it is a third of it there, h⁴·L⁽⁵⁾/120 the rest, and the slope is 2.5).
        leads = (
            f"so does the next, h²·L‴/6 (L‴ ≈ 0 too, estimate {sci(third)}), and a higher one leads"
            if flat
            else "the next, h²·L‴/6, leads"
            if third_term >= LEADS_SHARE * f0
            else "the terms from h²·L‴/6 on make up the error"
        )
        out.append(
            _fact(
                "forward_second_order",
                f"L″ ≈ 0 at ŷ (estimate {sci(second)}), so the forward difference's h·L″/2 "
                # the exponent as truncation_slopes prints the slope: "h^1.9" beside its
                # "log-log slope 1.95" (1.9497) disagreed (audit pass 39)
                f"term vanishes and {leads}: its error fell like h^{slope_texts(pairs[0], sf)[2]}.",
                second=second,
                forward_slope=sf,
            )
        )
    if (
        math.isfinite(third)
        and abs(third) <= NEGLIGIBLE * max(scale, abs(second))
        and third_term <= TERM_SHARE * c0
        and third_small <= TERM_SHARE_SMALL * c1
        and sc >= 3.0
    ):
        out.append(
            _fact(
                "central_fourth_order",
                f"L‴ ≈ 0 at ŷ (estimate {sci(third)}), so the central difference's h²·L‴/6 "
                "term vanishes and the next non-zero one leads (h⁴·L⁽⁵⁾/120, unless L⁽⁵⁾ is "
                f"0 too): its error fell like h^{slope_texts(pairs[1], sc)[2]}, faster than h².",
                third=third,
                central_slope=sc,
            )
        )
    return out


def theory_steps(value: float, second: float, third: float) -> tuple[float, float]:
    """Steps that minimise truncation + round-off eps·value/h (value: R, roundoff_scale):
    forward, central (NaN if none)."""
    forward = math.sqrt(2 * EPS * abs(value) / abs(second)) if second else math.nan
    central = (3 * EPS * abs(value) / abs(third)) ** (1 / 3) if third else math.nan
    return forward, central


def _best_and_theory(config, result) -> list[Fact]:
    out = []
    if METHODS[1] in result.best and METHODS[2] in result.best:
        (hf, ef), (hc, ec) = result.best[METHODS[1]], result.best[METHODS[2]]
        texts = error_texts(result)

        def smallest(method, h, e):
            # the error as the chart's tooltip prints it; an error equal at several steps (0, or
            # 4ε of round-off, at every step of a linear loss) is the smallest at none alone
            errors = _finite_errors(result, method)
            tied = int((errors == e).sum())
            shown = texts.get((method, float(h)), sci(float(e), ERROR_PLACES))
            # counted over the steps where the difference is defined, and said so: "0 at every
            # step of the sweep" beside sweep_partly_undefined's 2 steps where it cannot be
            # computed (0·log(ŷ) at ŷ = 0.05), or "of the sweep's 51 steps" for its 53 (audit
            # pass 39)
            n, total = len(errors), len(H_GRID)
            if tied == n:
                every = (
                    "at every step of the sweep"
                    if n == total
                    else f"at every step where it is defined ({n} of the sweep's {total})"
                )
                return f"is {shown} {every}"
            if tied > 1:
                steps, of = (
                    (f"the sweep's {n} steps", "")
                    if n == total
                    else (f"the {n} steps where it is defined", f"of the sweep's {total}; ")
                )
                return f"is smallest ({shown}) at {tied} of {steps} ({of}the largest h ≈ {sci(h)})"
            return f"is smallest at h ≈ {sci(h)} ({shown})"

        out.append(
            _fact(
                "best_steps",
                f"Over the sweep {error_name(result, 'forward')} "
                f"{smallest(METHODS[1], hf, ef)} and {error_name(result, 'central')} "
                f"{smallest(METHODS[2], hc, ec)}.",
                forward=(hf, ef),
                central=(hc, ec),
            )
        )
    # the round-off's size R (experiment.roundoff_scale), not |L| alone: mean(ŷ − y) at ŷ = y
    # has |L| = 0 and a central error of 2.3e-02 at h = 1e-14, all round-off (pass 40)
    value, second, third = (
        result.point["roundoff"],
        result.derivatives["second"],
        result.derivatives["third"],
    )
    if not (clear_of_breakpoints(result) and math.isfinite(second) and math.isfinite(third)):
        return out
    scale = max(1.0, abs(result.point["exact"]))
    second = second if abs(second) > NEGLIGIBLE * scale else 0.0
    third = third if abs(third) > NEGLIGIBLE * max(scale, abs(second)) else 0.0
    if value == 0 or not (second or third):
        return out
    hf, hc = theory_steps(value, second, third)
    # R, |L″| and |L‴| with digits enough that each printed step is the formula
    # of the printed numbers (log(ŷ) at 0.1: not "|L| = 2.3 … ≈ 9.2e-07 (|L‴| = 2e+03)", which
    # give 9.1e-07);
    # L″ and L‴ are finite-difference estimates: at most ESTIMATE_DIGITS digits of them
    # (estimate_text), more only if no digits make the printed steps agree (none found)
    for estimate in (estimate_text, num):
        for digits in range(3, 18):
            l_text = num(abs(value), digits)
            l2_text, l3_text = (estimate(abs(v), digits) for v in (second, third))
            with localcontext() as ctx:
                ctx.prec = 40
                eps, shown = Decimal(EPS), Decimal(l_text)
                ok_f = not second or agrees(sci(hf), (2 * eps * shown / Decimal(l2_text)).sqrt())
                ok_c = not third or agrees(
                    sci(hc),
                    Decimal(math.exp(math.log(float(3 * eps * shown / Decimal(l3_text))) / 3)),
                )
            # R never a fraction printed as a whole number (sigmoid's |L| = 0.99995 is not "1"); it
            # is computed, not estimated
            whole = "e" not in l_text and float(l_text) != abs(value) and float(l_text).is_integer()
            if ok_f and ok_c and not whole:
                break
        else:
            continue
        break
    parts, estimated = [], []
    if second:
        parts.append(f"the forward step near √(2εR/|L″|) ≈ {sci(hf)} (|L″| ≈ {l2_text})")
        estimated.append("L″")
    if third:
        parts.append(f"the central step near (3εR/|L‴|)^(1/3) ≈ {sci(hc)} (|L‴| ≈ {l3_text})")
        estimated.append("L‴")
    out.append(
        _fact(
            "theory_steps",
            f"Balancing truncation against round-off of about εR/h (R = {l_text} here, the "
            "largest |v|·|∂L/∂v| over ŷ and the values computed from it: each is rounded by "
            f"about ε·|v|), theory puts {listing(parts)}, with {listing(estimated)} {ESTIMATED}.",
            forward=hf,
            central=hc,
            second=second,
            third=third,
        )
    )
    return out


def _scale_words(
    spread: float, scale: float, whose: str = "the derivative", digits: int = 3
) -> str:
    """What the curves' scale is: the derivative's span on the chart, or its largest size, the
    span then at the ``digits`` significant digits the scale beside it prints at, zeros kept (not
    "under 1 % of 4.00, the derivative's largest size on the chart, where it spans 2" for
    3ŷ + ŷ²/10; audit pass 71 g)."""
    if spread == scale == 0.0:
        return "autodiff's derivative is 0 everywhere on the chart"
    if not math.isfinite(spread):
        return f"{whose}'s largest size on the chart (its span overflows float64)"
    if num(scale) == num(spread):
        return f"the range {whose} spans on the chart"
    return (
        f"{whose}'s largest size on the chart, where it spans {padded(num(spread, digits), digits)}"
    )


def convention_at(config, y_pred: float) -> tuple[float, float, float] | None:
    """(left slope, right slope, autodiff's value) where autodiff's value at ``y_pred`` is a
    kink convention rather than L's derivative: the exact gradients at y_pred -+ ONE_SIDE differ
    (L has no derivative there), or agree with each other but not with autodiff's value (a kink
    convention applied to a smooth L, as relu(r) - relu(-r) at r = 0); None otherwise."""
    near = ONE_SIDE * 1e-4  # a jump stays as the sides close in; curvature's gap shrinks
    y = np.array([[y_pred - ONE_SIDE], [y_pred + ONE_SIDE], [y_pred], [y_pred - near]])
    y = np.vstack([y, [[y_pred + near]]])
    with np.errstate(all="ignore"):
        grads = config.loss().batch(y, np.full_like(y, config.y_true))[1][:, 0]
    left, right, value, left_near, right_near = (float(g) for g in grads)
    limits = config.loss().one_sided(y_pred, config.y_true)
    if limits is not None and math.isfinite(value):
        # L's exact one-sided derivatives decide, at no sampled distance: a kink that curvature
        # hides at ∓1e-8 is still one (sqrt(1e-18 + ŷ²) + 0.001·|ŷ| at 0 was "the exact
        # derivative" beside on_kink's "L has no derivative"; audit pass 49 b)
        left, right = limits
        if _kinked(left, right) or _kinked(value, left):
            return left, right, value
        return None
    if not all(math.isfinite(g) for g in (left, right, value, left_near, right_near)):
        return None
    tol = 1e-6 * max(1.0, abs(left), abs(right))
    jump = abs(left - right) > tol and abs(left_near - right_near) >= 0.5 * abs(left - right)
    if jump or (not abs(left - right) > tol and abs(value - (left_near + right_near) / 2) > tol):
        return left, right, value
    return None


# At most this many chart points tied at an end of autodiff's drawn range are checked for a
# kink convention (a convention is a lone value; a longer tie is L's own slope).
SPAN_CHECKED = 5


def span_by_convention(config, curve) -> bool:
    """Whether an end of autodiff's drawn range (its largest or smallest value, or its largest
    size) is reached only at kink conventions: MAE with y = 5 spans 1 on the chart only through
    autodiff's 0 at ŷ = 5, where L has no derivative; L′ itself is −1 at every other ŷ (audit
    pass 60 a: "against 1, the range the derivative spans on the chart")."""
    drawn = curve.loc[curve["method"] == METHODS[0], ["y_pred", "grad"]]
    drawn = drawn[np.isfinite(drawn["grad"].to_numpy(dtype=float))]
    if not len(drawn):
        return False
    grads = drawn["grad"].to_numpy(dtype=float)
    ends = (grads == grads.max(), grads == grads.min(), np.abs(grads) == np.abs(grads).max())
    for end in ends:
        at = drawn["y_pred"].to_numpy(dtype=float)[end]
        if len(at) <= SPAN_CHECKED and all(convention_at(config, float(y)) is not None for y in at):
            return True
    return False


def _wide_curve(curve):
    """The curve with one column per method, at the ŷ where every method is defined."""
    # every method as a column, even one with no defined point (1e308 × mse overflows autodiff's
    # derivative at every grid point while the differences still print): no point, no claim
    return (
        curve.pivot(index="y_pred", columns="method", values="grad")
        .reindex(columns=list(METHODS))
        .dropna()
    )


def _bound(x: float, digits: int) -> str:
    """The curve sentence's largest gap ``x``, rounded up to ``digits`` significant digits (a
    bound, :func:`core.facts.up`) from its value cleaned of float round-off, as every printer
    reads it (:func:`core.facts.cleaned`): MAE with h = 1 is off by 1.9 at ŷ = −0.05 (0.9 against
    −1, as the curve's tooltips print them), which float64 computes as 1.9000000000000001 and
    :func:`up` alone printed "by up to 1.91 at ŷ = -0.05" (audit pass 54)."""
    if not math.isfinite(x) or x <= 0:
        return up(x, digits)
    # a difference quotient's round-off is eps·|L|/h, far above the few ulps cleaned() removes by
    # default: 0.10000000000011333 is the 0.1 of h·L″/2 (audit pass 61 c)
    value = cleaned(Decimal(repr(float(x))), digits, within=None)
    shown = float(value)
    # the cleaned decimal rounded up, not its binary float above it: MSE at ŷ = y = −5 with
    # h = 0.1 is off by h·L″/2 = 0.1 (0.10000000000011333 computed, cleaned to 0.1), whose float
    # 0.1000000000000000055 :func:`up` read as over 0.1 and printed "no estimate is off by more
    # than 0.11" beside the point's "1.0e-01" (audit pass 61 c)
    if Decimal(shown) > value:
        shown = math.nextafter(shown, 0.0)
    return up(shown, digits)


def _curve_numbers(wide, curve):
    """The curve sentence's numbers: the estimates' gaps where all three curves are defined
    (``wide``), the derivative's span and largest size over every ŷ where the chart draws it
    (``curve``): an estimate may be undefined where the exact derivative is drawn (log(ŷ) at
    ŷ = 0.05 with h = 0.1: the chart shows 20 there, not only the 10 of ŷ = 0.1)."""
    exact = wide[METHODS[0]]
    drawn = curve.loc[curve["method"] == METHODS[0], "grad"]
    drawn = drawn[np.isfinite(drawn.to_numpy(dtype=float))]
    spread = float(drawn.max() - drawn.min())
    largest = float(drawn.abs().max())
    # a span beyond float64 (±1e308 on one chart) is no scale: the largest size is
    scale = max(spread if math.isfinite(spread) else 0.0, largest, 1e-300)
    gaps = {m: (wide[m] - exact).abs() for m in METHODS[1:]}
    worst = {m: float(g.max()) for m, g in gaps.items()}
    # The largest gap rounded up (a bound), and the scale with digits enough that the
    # printed bound stays within 1 % of the printed scale when the gaps do; both from 3
    # significant digits, as the curves-apart sentence prints its bounds and scale
    # (audit pass 69 g: "off by more than 5.1e-06 (under 1 % of 1.9998")
    digits = 3
    bound, shown_scale = _bound(max(worst.values()), digits), num(scale, digits)
    while digits < 17 and not (
        max(worst.values()) > COINCIDE * scale or float(bound) <= COINCIDE * float(shown_scale)
    ):
        digits += 1
        bound, shown_scale = _bound(max(worst.values()), digits), num(scale, digits)
    (bound,), shown_scale = against_texts([bound], scale, digits)
    return exact, spread, largest, scale, gaps, worst, bound, shown_scale


def against_texts(bounds: list[str], scale: float, digits: int = 3) -> tuple[list[str], str]:
    """The curve sentence's bounds (printed rounded up) and the scale they are read against, at
    one count of significant digits with zeros kept (:func:`core.facts.alike`): the one text
    function of the curves-coincide and curves-apart sentences. "no estimate is off by more
    than 5.1e-06 (under 1 % of 1.9998" and "by up to 0.0500 … (against 1.9998" compared a
    bound at 2 or 3 digits with a scale at 5 (audit pass 69 g)."""
    if not math.isfinite(scale) or scale <= 1e-300 or not all(_finite(b) for b in bounds):
        return list(bounds), num(scale, digits)
    texts = alike(*(float(b) for b in bounds), scale, digits=digits)
    # a bound keeps the digits it was rounded up at (padding only appends zeros)
    shown = [padded(b, significant(t)) for b, t in zip(bounds, texts[:-1], strict=True)]
    return shown, texts[-1]


def _finite(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def curve_digits(curve) -> dict[float, int]:
    """Significant digits for the curve chart's tooltip at each ŷ: 6, more where the printed
    estimate and the printed exact derivative at that ŷ would lie further apart than the bound
    the curve sentence prints for that estimate (at 6 digits the focal preset's 1.04567 and
    1.04568 sit 1e-05 apart beside "no estimate is off by more than 0.0000025")."""
    wide = _wide_curve(curve)
    if not len(wide):
        return {}
    _, _, _, scale, _, worst, bound, _ = _curve_numbers(wide, curve)
    if max(worst.values()) <= COINCIDE * scale:
        bounds = {m: Decimal(bound) for m in METHODS[1:]}
    else:
        bounds = {
            m: Decimal(_bound(worst[m], 3)) for m in METHODS[1:] if worst[m] > COINCIDE * scale
        }
    return {
        float(y): within_digits(
            float(row[METHODS[0]]),
            [float(row[m]) for m in bounds],
            list(bounds.values()),
            text=lambda v, d: num(v + 0.0, d),
        )
        for y, row in wide.iterrows()
    }


# A gap within this relative distance of the largest is as large: a tie up to round-off (MSE at
# h = 1: the forward difference is off by h·L″/2 = 1 at every ŷ, float64's largest at ŷ = −4.65)
TIE = 1e-9


def largest_at(gaps) -> list[float]:
    """Every ŷ of the curve where an estimate's gap is its largest, up to round-off (TIE)."""
    top = float(gaps.max())
    return [float(y) for y, g in gaps.items() if float(g) >= top - TIE * top]


def _where_largest(gaps) -> str:
    """Where the largest gap is reached: one ŷ, or every ŷ that ties with it, not one of them
    named as where it sits ("by up to 0.5 at ŷ = −1" for Huber δ = 1 at h = 1, off by 0.5 at each
    of the 21 ŷ from −1 to 0; audit pass 57 b)."""
    at = largest_at(gaps)
    if len(at) == 1:
        return f"at ŷ = {num(at[0], 3)}"
    if len(at) == len(gaps):
        return "at every ŷ on the chart"
    if len(at) <= 3:
        return "at " + listing([f"ŷ = {num(y, 3)}" for y in at], "and at")
    return f"at {len(at)} of the chart's {len(gaps)} points ({_stretches(gaps, at)})"


def _stretches(gaps, at: list[float]) -> str:
    """The chart points in ``at`` as the unbroken stretches of the curve's grid they form: "ŷ
    from −5 to −4.05 and from 4.05 to 5", not "ŷ from −5 to 5" of two stretches with the middle
    off (MAE at h = 1e-14: round-off, largest where |L| is; audit pass 59 b); more than three
    stretches are "scattered" between the ends."""
    # positions on the curve's whole grid, so a point left out (undefined) breaks a stretch
    grid = np.linspace(*CURVE_RANGE, CURVE_POINTS)
    step = (CURVE_RANGE[1] - CURVE_RANGE[0]) / (CURVE_POINTS - 1)
    where = sorted(round((y - CURVE_RANGE[0]) / step) for y in at)
    runs: list[list[int]] = []
    for i in where:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    if len(runs) > 3:
        return f"scattered from ŷ = {num(grid[where[0]], 3)} to {num(grid[where[-1]], 3)}"
    parts = [
        f"at {num(grid[a], 3)}" if a == b else f"from {num(grid[a], 3)} to {num(grid[b], 3)}"
        for a, b in runs
    ]
    return "ŷ " + listing(parts, "and")


def _curve(config, result) -> list[Fact]:
    out = []
    wide = _wide_curve(result.curve)
    if len(wide):
        _, spread, largest, scale, gaps, worst, bound, shown_scale = _curve_numbers(
            wide, result.curve
        )
        # autodiff's drawn range, not L′'s, where a kink convention sets an end of it
        conventional = span_by_convention(config, result.curve)
        # A loss that does not depend on y_pred: no scale to compare with but 0 itself.
        against = (
            _scale_words(0.0, 0.0)
            if largest == 0.0
            else f"{shown_scale}, "
            + _scale_words(
                spread,
                scale,
                "autodiff's derivative" if conventional else "the derivative",
                significant(shown_scale),
            )
        )
        values = {"gaps": worst, "scale": scale}
        if max(worst.values()) <= COINCIDE * scale:
            out.append(
                _fact(
                    "curves_coincide",
                    f"At h = {num(config.h, 6)} the three curves coincide at this chart's scale: no "
                    f"estimate is off by more than {bound} ("
                    + (against if largest == 0.0 else f"under 1 % of {against}")
                    + ").",
                    "curve",
                    **values,
                )
            )
        else:
            off = [m for m in METHODS[1:] if worst[m] > COINCIDE * scale]
            names = listing([m.split()[0] for m in off])
            # the bounds and the scale they are read against at one count of significant
            # digits, zeros kept ("by up to 0.290 … and 0.112 … (against 1.00", not "0.29 … and
            # 0.112 … (against 1"; MAE at ŷ = −5, y = 5, h = 1: "1.9 … and 0.95 … (against 1";
            # audit pass 67 d)
            bounds, shown_scale = against_texts([_bound(worst[m], 3) for m in off], scale)
            parts = [f"{b} {_where_largest(gaps[m])}" for b, m in zip(bounds, off, strict=True)]
            # where the largest gap sits on a kink, autodiff's value there is a convention, not
            # "the exact derivative" (MAE at ŷ = y: no derivative; relu(r) - relu(-r) at r = 0:
            # slope 1, autodiff 0; audit pass 42 b); every ŷ the largest gap is reached at
            kinks = {}
            for m in off:
                for y_kink in largest_at(gaps[m]):
                    found = convention_at(config, y_kink)
                    if found is not None:
                        kinks[num(y_kink, 3)] = (y_kink, found)
            whose = "autodiff's derivative" if kinks else "the exact derivative"

            def off_slope(y: float, slope: float, value: float) -> str:
                """Where L is smooth and autodiff is off: autodiff's error, and which differences
                are right, not "the differences are right" of a forward difference of 6 against
                L′ = 1 (relu(r) − relu(−r) + 5r² at r = 0 with h = 1; audit pass 49 b)."""
                said = f": autodiff is off L's slope there by {num(abs(value - slope), 3)}"
                right = [
                    m.split()[0]
                    for m in METHODS[1:]
                    if abs(float(wide.loc[y, m]) - slope) <= COINCIDE * scale
                ]
                wrong = {
                    m.split()[0]: abs(float(wide.loc[y, m]) - slope)
                    for m in METHODS[1:]
                    if m.split()[0] not in right
                }
                if right:
                    said += (
                        f", and the {listing(right)} difference"
                        + ("s are" if len(right) > 1 else " is")
                        + " right at this chart's scale"
                    )
                if wrong:
                    said += (
                        f"{'; the' if right else ', and the'} {listing(list(wrong))} difference"
                        + ("s are" if len(wrong) > 1 else " is")
                        + f" off it too, by up to {_bound(max(wrong.values()), 3)}"
                    )
                return said + "."

            notes = "".join(
                f" At ŷ = {y_text} "
                + (
                    f"L has no derivative (its slope jumps from {num(left, 3)} to "
                    f"{num(right, 3)}): autodiff's {num(value, 3)} there is a convention."
                    if left != right and abs(left - right) > 1e-6 * max(1.0, abs(left), abs(right))
                    else f"L's slope is {num(left, 3)} on both sides, but autodiff applied a "
                    f"kink convention and gives {num(value, 3)}" + off_slope(y, left, value)
                )
                for y_text, (y, (left, right, value)) in kinks.items()
            )
            out.append(
                _fact(
                    "curves_apart",
                    f"At h = {num(config.h, 6)} the {names} difference{'s are' if len(off) > 1 else ' is'} "
                    f"visibly off {whose}: by up to {listing(parts)} ("
                    + (
                        against
                        if largest == 0.0
                        else f"against {shown_scale}, "
                        + _scale_words(
                            spread,
                            scale,
                            "autodiff's derivative" if kinks or conventional else "the derivative",
                            significant(shown_scale),
                        )
                    )
                    + ")."
                    + notes,
                    "curve",
                    off=off,
                    **values,
                )
            )
    if result.curve_undefined:
        out.append(
            _fact(
                "curve_gaps",
                f"The loss or its derivative is undefined (or overflows) at "
                f"{result.curve_undefined} of {CURVE_POINTS} grid points; they are left out.",
                "curve",
                undefined=result.curve_undefined,
            )
        )
    return out
