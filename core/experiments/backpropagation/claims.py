"""What a backpropagation run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np

from core.experiments.backpropagation.experiment import (
    AGREE_BELOW,
    BUG_LEVEL,
    CHECK_STEP,
    N_HIDDEN,
    N_INPUTS,
    N_PARAMS,
    TRUNCATION_FACTOR,
    exact_residual,
    least_rate,
    param_names,
)
from core.experiments.budget import can_lower
from core.facts import (
    ANSWER,
    WARNING,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart_digits,
    listing,
    num,
    padded,
    plural,
    rounded_up_half,
    sig_num,
    significant,
    up,
    up_below,
)
from core.gradcheck import KINK, rel_error

# The prediction's options (words.PREDICTION) as the answer fact names them.
OUTPUT, HIDDEN, EQUAL = "output layer W2", "hidden layer W1", "equal"
# Two mean gradients this close (relative) count as equal.
TIE = 1e-12
# A sigmoid unit "sits in a flat tail" when sigma'(z) is below 1 % of its peak 1/4.
SATURATED = 0.0025
# Where the page shows the facts that are not notices, warnings or the answer.
CHECK, UPDATE = "check", "update"

CLAIMS = Claims(
    Claim(
        "layer_answer",
        "Which layer's weights get the larger mean |dL/dW| (the prediction's answer), and why",
        "argmax of the two layers' mean |gradient|; 'equal' when they agree to 1e-12 (relative)",
    ),
    Claim(
        "sweep_cost",
        "One forward and one backward sweep gave every gradient; the check's loss evaluations",
        "always (counts of the code's evaluations)",
    ),
    Claim(
        "gradients_agree",
        "k gradients agree with central differences below the 1e-6 bar, the largest error E",
        "at least one row's relative error < 1e-6 (E is the largest among those rows)",
    ),
    Claim(
        "roundoff_rows",
        "k gradients miss the 1e-6 bar only by round-off ('too small for central differences to "
        "resolve' when the gradients themselves are within the bound): they agree within it",
        "rel. error >= 1e-6 and |backprop - estimate| <= the round-off bound 50 eps (r^2 / 2 + "
        "r s) / h, r = |y_hat - y| + h |d y_hat / dw| the residual at the nudged weight",
    ),
    Claim(
        "truncation_rows",
        "k gradients miss the 1e-6 bar only by the central difference's own truncation error",
        "rel. error >= 1e-6, beyond the round-off bound, and within it plus 2 |g(2h) - g(h)| / 3",
    ),
    Claim(
        "gradients_disagree",
        "k gradients disagree with central differences beyond the check's error estimates",
        "a row off the kink with rel. error >= 1e-6 beyond round-off and truncation estimates",
    ),
    Claim(
        "kink_at_zero",
        "A ReLU unit sits exactly on its kink: backprop's convention relu'(0) = 0 vs the "
        "central difference, the average of the two slopes only up to an O(h) term (all it "
        "measures where y_hat = y)",
        "ReLU, z_j == 0 and a nudge of one of its weights moves z_j",
    ),
    Claim(
        "kink_near",
        "A ReLU unit is closer to its kink than the check's nudge: backprop is exact, the "
        "central difference mixes both slopes",
        "ReLU, 0 < |z_j| < h |x_i| (W1) or < h (b1)",
    ),
    Claim(
        "local_derivatives",
        "The local derivatives f'(z_j) multiply every hidden gradient",
        "always (reports the run)",
    ),
    Claim(
        "saturated_units",
        "Sigmoid units in the flat tails: their incoming weights' gradients carry sigma' < 0.0025",
        "sigmoid and sigma'(z_j) < 0.0025 (1 % of sigma'(0))",
    ),
    Claim(
        "dead_units",
        "ReLU units with z <= 0 give their incoming weights exactly zero gradient",
        "ReLU and z_j <= 0 (relu'(0) = 0 by convention)",
    ),
    Claim(
        "mlp_matches",
        "core.mlp.backward gives the same gradients (the largest difference)",
        "always (reports the difference; 'bit for bit' only when it is 0)",
    ),
    Claim(
        "one_update",
        "One update with eta moves L from A to B (or leaves it at A)",
        "the single update stays within the limits",
    ),
    Claim(
        "update_refused",
        "The single update would run away, so the page does not apply it",
        "the single update passes a weight or loss limit",
    ),
    Claim(
        "n_updates_reach",
        "N updates reach a loss C (leave it where it started, where no update changed it)",
        'the N-update run did not diverge; "where it started" only where every loss of the '
        "run equals its start's",
    ),
    Claim(
        "diverged_rising",
        "Diverged: the loss rose at every update; the step eta is too long, the gradients right",
        "the run diverged after >= 1 update and every update raised the loss",
    ),
    Claim(
        "diverged_mixed",
        "Diverged after some updates without rising at every one",
        "the run diverged after >= 1 update and some update did not raise the loss",
    ),
    Claim(
        "diverged_at_once",
        "Diverged at the first update",
        "the run's first update already passed a weight or loss limit",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


# Where float64's ŷ − y is 0: the exact ŷ of the same weights can still miss y by less than
# float64 resolves, so a loss or gradient of 0 is float64's, not exactly 0.
FLOAT64_FIT = (
    "ŷ − y computes to 0 in float64 (ŷ equals y to float64's precision, not necessarily exactly)"
)
# Where the exact ŷ of the weights (core.experiments.backpropagation.exact_residual) is y too.
EXACT_FIT = "ŷ = y exactly (the exact ŷ of these weights, not only float64's, is y)"


def loss_words(value: float, digits: int) -> str:
    """A loss in a sentence: :func:`loss_text`, and "0 in float64" for a loss of 0, which is
    float64's ŷ = y, not necessarily the exact loss of the weights (audit pass 51: "13 updates
    with η = 0.5 reach L = 0" where the exact loss of those weights is 4.2e-33)."""
    text = loss_text(value, digits)
    return f"{text} in float64" if value == 0 else text


def exact_fit(config, result) -> bool:
    """Whether ŷ = y exactly at the run's weights: float64's ŷ − y is 0 and so is the exact
    residual (:func:`exact_residual`). Every gradient is then exactly 0, no update moves a weight,
    and L stays exactly 0: not "0 in float64" beside the answer's "ŷ = y exactly" (?x1=0&x2=0&
    y=0&act=relu, audit pass 62 b)."""
    fwd = result.forward
    return bool(fwd.y_hat == fwd.y) and (
        exact_residual(result.params, fwd.x, fwd.y, config.activation) == 0
    )


def _relu_convention(z) -> str:
    """ " (at z = 0 by the convention relu′(0) = 0)" where a unit sits exactly on ReLU's kink,
    where relu has no derivative and backprop's 0 is a convention; else ""."""
    return " (at z = 0 by the convention relu′(0) = 0)" if np.any(np.asarray(z) == 0) else ""


def _units(indices) -> str:
    units = [str(j + 1) for j in indices]
    return f"unit{'s' * (len(units) != 1)} {listing(units)}"


def facts(config, result, updates_made: int = 0) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them.

    ``updates_made``: the updates the page's buttons made before the current weights (its
    "Updates made" metric); the sentences number the run's updates after them, as the metric and
    the loss chart's axis do (audit pass 44: 18 updates made, then "update 1 would move a weight
    past 1,000,000, so no update was made")."""
    out = [_layer_answer(config, result)]
    out += _check(config, result)
    out += _units_facts(config, result)
    out.append(_mlp(result))
    out += _updates(config, result, updates_made)
    return out


def layer_means(result) -> tuple[float, float]:
    """(mean |dL/dW2|, mean |dL/dW1|)."""
    bwd = result.backward
    return float(np.abs(bwd.dL_dW2).mean()), float(np.abs(bwd.dL_dW1).mean())


def larger_layer(result) -> str:
    w2, w1 = layer_means(result)
    if abs(w2 - w1) <= TIE * max(w1, w2):
        return EQUAL
    return OUTPUT if w2 > w1 else HIDDEN


def _under(x: float, bound: float, digits: int = 3) -> str:
    """x < bound with ``digits`` significant digits (zeros kept), more when they would print it
    at the bound."""
    for d in range(digits, 18):
        if float(num(x, d)) < bound:
            return padded(num(x, d), d)
    return num(x, 17)


def sigmoid_prime(z: float) -> float:
    """σ′(z) = σ(z)·σ(−z), accurate in both tails (never 0)."""
    e = math.exp(-abs(z))
    return e / (1.0 + e) ** 2


def sigmoid_prime_exact(z: Decimal) -> Decimal:
    e = (-abs(z)).exp()
    return e / (1 + e) ** 2


# The edges the page compares a sigmoid's σ′ with: the saturation bar (1 % of the peak) and the
# peak 1/4 itself.
SIGMOID_EDGES = (SATURATED, 0.25)


def edge_side_text(value: float, text, digits: int) -> str:
    """``text(value, digits)``, with digits added while a value below one of :data:`SIGMOID_EDGES`
    would print at or above it: σ′ = 0.0024996 (saturated) is not "0.0025" beside "under 1 % of
    its peak", nor σ′ = 0.24987 off z = 0 the peak "0.25". Every printed σ′ of the page goes
    through this (the sentences, the derivative chart, the tables and the LaTeX)."""
    shown = text(value, digits)
    while digits < 17 and any(0 < value < edge <= float(shown) for edge in SIGMOID_EDGES):
        digits += 1
        shown = text(value, digits)
    return shown


def _f_prime_text(value: float, sigmoid: bool) -> str:
    """A local derivative for a sentence; σ′(z) underflows float64 beyond |z| ≈ 745, and is not 0."""
    if value == 0 and sigmoid:
        return "under 1e-300"
    # σ′ < 1/4 off z = 0 never printed as the peak "0.25" (0.24987 at z = 0.046), nor a saturated
    # σ′ < 0.0025 as the bar "0.0025"
    # and never a 5 that rounding up made, beside the tooltip's and tables' longer σ′ (audit 41)
    if not sigmoid:
        return num(value, 3)
    return edge_side_text(value, num, 3)


def f_prime_texts(values, sigmoid: bool, bound: float | None = None) -> list[str]:
    """Local derivatives listed in one sentence, every one at the same count of significant
    digits with zeros kept (audit pass 64 c: "unit 1: 0.248, unit 2: 0.24, unit 3: 0.242" read
    unit 2's σ′ = 0.2400 at a hundredth beside its neighbours' thousandths, and "0.191, 0.1,
    0.249999998" a tenth beside 1e-9): the most digits any value needs (:func:`_f_prime_text`,
    or :func:`_under` ``bound``), every value printed again at them. ReLU's exact 0 and 1 and a
    sigmoid's underflowed σ′ ("under 1e-300") are left as they are."""
    if not sigmoid:
        return [_f_prime_text(float(v), False) for v in values]

    def text(v: float, digits: int) -> str:
        if v == 0:
            return _f_prime_text(0.0, True)
        if bound is not None:
            return _under(v, bound, digits)
        return edge_side_text(v, lambda x, d: padded(num(x, d), d), digits)

    most = 3
    while True:
        texts = [text(float(v), most) for v in values]
        shown = max((significant(t) for t in texts if not t.startswith("under")), default=most)
        if shown <= most or most >= 17:
            return texts
        most = shown


def z_for(shown: str, z: float) -> str:
    """z with 3 significant digits, more until σ′ of the printed z rounds to the printed σ′
    (not "σ′ = 2.6e-05 at z = -10.6", whose σ′ is 2.49e-05)."""
    if shown.startswith("under"):
        return num(z)
    for d in range(3, 18):
        text = num(z, d)
        # not a 5 that rounding up made: -12.4745 for -12.474499 reads as -12.475 beside the
        # sentence's -12.474 (audit pass 41)
        if agrees(shown, sigmoid_prime_exact(Decimal(text))) and not rounded_up_half(text, z):
            return text
    return num(z, 17)


def z_texts(shown: list[str], zs) -> list[str]:
    """The z of each listed σ′ (:func:`z_for`) at one count of significant digits with zeros
    kept, the most any of them needs (audit pass 70 f: "σ′ = 5.92e-09 at z = 18.945, 5.01e-05 at
    z = 9.90047 and 1.92e-06 at z = 13.164" at x = (4.6, −4.9), y = 2.8, seed 66, scale 3.9 read
    unit 2's z at a millionth beside its neighbours' thousandths; 9.90047 needs its 6 digits for
    σ′ of the printed z to round to 5.01e-05). A z beside an underflowed σ′ stays as it is."""
    zs = [float(z) for z in zs]
    texts = [z_for(t, z) for t, z in zip(shown, zs, strict=True)]
    counted = [k for k, t in enumerate(shown) if not t.startswith("under")]
    most = max((significant(texts[k]) for k in counted), default=0)
    while most:
        for k in counted:
            for d in range(most, 18):
                text = padded(num(zs[k], d), d)
                if agrees(shown[k], sigmoid_prime_exact(Decimal(text))) and not rounded_up_half(
                    text, zs[k]
                ):
                    texts[k] = text
                    break
        longest = max(significant(texts[k]) for k in counted)
        if longest <= most or most >= 17:
            break
        most = longest
    return texts


def _float64_ends(a) -> str:
    """Where float64 rounds a sigmoid's a = σ(z) to exactly 1 (z > 37) or underflows it to 0, the
    units whose a the forward table prints as "1" or "0", beside "a_j is between 0 and 1": σ(z)
    is strictly inside, its float64 value is not (audit pass 56 h: x = (−5, −5), sigmoid, seed 3,
    scale 5, where unit 2's z = 47.6 prints a = 1); else ""."""
    a = np.asarray(a, dtype=np.float64)
    ends = [
        f"{_units(np.flatnonzero(a == end))}'s to {label}"
        for end, label in ((1.0, "exactly 1"), (0.0, "0"))
        if np.any(a == end)
    ]
    if not ends:
        return ""
    return f" (strictly; float64 rounds {listing(ends)})"


def _layer_answer(config, result) -> Fact:
    fwd, bwd = result.forward, result.backward
    w2, w1 = layer_means(result)
    answer = larger_layer(result)
    delta = fwd.y_hat - fwd.y
    # Both layers' gradients share the factor (y_hat - y); what differs is a_j for the output
    # weights and W2_j f'(z_j) x_i for the hidden ones.
    hidden_factor = float(np.abs(np.outer(fwd.x, result.params["W2"][:, 0] * bwd.f_prime)).mean())
    output_factor = float(np.abs(fwd.a).mean())
    # A larger layer is named beside its two means: they must print differently.
    # the two means at one significant-digit count, zeros kept (core.facts.alike): "Mean
    # |∂L/∂W2| = 0.3 and mean |∂L/∂W1| = 0.00743" read one at a tenth, the other at 1e-5
    # (audit pass 63 e: x = (0.1, 0), y = 0, sigmoid, seed 474, scale 5)
    shown_w2, shown_w1 = alike(w2, w1)
    if answer != EQUAL:
        # Each mean is |ŷ − y| times its factor's mean: the factors one digit finer, and digits
        # enough that the printed means are the products of the printed factors (22.5 × 2.56 =
        # 57.6 printed "57.7" beside them at 3 digits).
        for digits in range(3, 16):
            shown_w2, shown_w1 = alike(w2, w1, digits=digits)
            # the two factors compared at one count of digits, zeros kept (core.facts.alike):
            # "mean |a_j| = 7.88 … = 10.03" read 7.880 at 3 digits beside 4 (x = (3.6, −3.8),
            # y = −1.7, ReLU, seed 519, scale 4.2; audit pass 69 b)
            shown_out, shown_hidden = alike(output_factor, hidden_factor, digits=digits + 1)
            # as the backward table's ∂L/∂ŷ: never a 5 that rounding up made (audit pass 41),
            # zeros kept as the factors'
            delta_text = sig_num(delta, digits + 1)
            size = abs(Decimal(delta_text))
            if agrees(shown_w2, size * Decimal(shown_out)) and agrees(
                shown_w1, size * Decimal(shown_hidden)
            ):
                break
    means = f"Mean |∂L/∂W2| = {shown_w2} and mean |∂L/∂W1| = {shown_w1}."
    if answer == EQUAL:
        if delta == 0 and exact_residual(result.params, fwd.x, fwd.y, config.activation) == 0:
            # the exact ŷ of these weights is y too (audit pass 59 h: ReLU, x = (0, 0), y = 0,
            # where ŷ = 0·W2 + 0 = 0, beside "not necessarily exactly"): L has a minimum here,
            # and its derivative is 0 even at a ReLU kink (L = r²/2 with r Lipschitz and 0)
            why = (
                f"{EXACT_FIT}, so backprop's ∂L/∂ŷ = ŷ − y is 0 and every gradient it returns "
                "is 0: neither layer's is larger."
            )
        elif delta == 0:
            # ŷ − y is 0 in float64, not necessarily for the exact ŷ of these weights (audit pass
            # 51: sigmoid, seed 1, η 0.5, after 13 updates float64's ŷ is y while the exact ŷ is
            # y − 9.1e-17, whose output-layer gradients are 7.7× the hidden layer's)
            why = (
                f"{FLOAT64_FIT}, so backprop's ∂L/∂ŷ = ŷ − y is 0 and every gradient it returns "
                "is 0: in float64 neither layer's is larger."
            )
        elif config.activation == "relu" and np.all(fwd.a == 0):
            # on the kink relu has no derivative: its 0 there is backprop's convention (audit 42)
            convention = "; at z = 0 by the convention relu′(0) = 0" if np.any(fwd.z == 0) else ""
            why = (
                "Every hidden unit has z ≤ 0, so a = 0 (no gradient for the output weights) "
                f"and relu′ = 0 (none for the hidden weights{convention}): neither layer's is "
                "larger."
            )
        else:
            why = "The two means are equal here."
        text = f"{means} {why}"
    else:
        text = (
            f"{means} Both share the factor ŷ − y = {delta_text}. An output weight's gradient "
            "is (ŷ − y)·a_j, a hidden weight's (ŷ − y)·W2_j·f′(z_j)·x_i: the factor a_j "
            f"(here mean |a_j| = {shown_out}) is replaced by W2_j·f′(z_j)·x_i (mean "
            f"|W2_j·f′(z_j)·x_i| = {shown_hidden})."
        )
        if config.activation == "sigmoid":
            text += (
                f" With sigmoid, a_j = σ(z_j) is between 0 and 1{_float64_ends(fwd.a)} and "
                "f′ ≤ 1/4 shrinks the hidden factor; large inputs x or large output weights W2 "
                "can outweigh that."
            )
        else:
            text += (
                " With ReLU, f′ is 0 or 1: a unit with z ≤ 0 passes nothing back, an active "
                "one passes W2_j·x_i, which large inputs or output weights make large."
            )
    return _fact(
        "layer_answer",
        text,
        slot=ANSWER,
        answer=answer,
        mean_w2=w2,
        mean_w1=w1,
        output_factor=output_factor,
        hidden_factor=hidden_factor,
    )


def _check(config, result) -> list[Fact]:
    check = result.check
    verdict = check["verdict"]
    out = [
        _fact(
            "sweep_cost",
            f"One forward and one backward sweep gave all {N_PARAMS} gradients. The check "
            f"needed {4 * N_PARAMS} loss evaluations: two per weight at step h = "
            f"{num(CHECK_STEP)}, and two more at 2h to estimate its own truncation error.",
            evaluations=4 * N_PARAMS,
        )
    ]
    agree = check[verdict == "agree"]
    if len(agree):
        largest = float(agree["rel_error"].max())
        out.append(
            _fact(
                "gradients_agree",
                f"{len(agree)} of {N_PARAMS} gradients agree{'s' * (len(agree) == 1)} with "
                "central differences: relative "
                f"error |g − ĝ| / max(|g| + |ĝ|, 1e-8) at most {up_below(largest, AGREE_BELOW)}, below the page's bar of "
                f"{num(AGREE_BELOW)} (float64, h = {num(CHECK_STEP)}). "
                + _wrong_formula(config, result),
                count=len(agree),
                largest=largest,
            )
        )
    roundoff = check[verdict == "agree within round-off"]
    if len(roundoff):
        bound = float(roundoff["roundoff"].max())
        many = len(roundoff) != 1
        # "too small for central differences to resolve" only where backprop's gradient and the
        # estimate are themselves within the round-off bound; a gradient of 3.8e-4 whose estimate
        # agrees to a relative 1.2e-6 was resolved, and misses the bar only by round-off (audit
        # pass 42: x1 3.8, x2 2.9, y 1.9, sigmoid, seed 37, scale 4.1)
        small = bool(
            np.all(
                np.maximum(roundoff["backprop"].abs(), roundoff["central_difference"].abs())
                <= roundoff["roundoff"]
            )
        )
        what = (
            f"{'are' if many else 'is'} too small for central differences to resolve"
            if small
            else f"miss{'' if many else 'es'} the {num(AGREE_BELOW)} bar only by round-off"
        )
        meaning = (
            "so their relative error means nothing"
            if small
            else "so the check cannot tell them apart: that relative error is within its own "
            "round-off, not a disagreement"
        )
        out.append(
            _fact(
                "roundoff_rows",
                f"{len(roundoff)} gradient{'s' * many} "
                f"({listing(list(roundoff['weight']))}) {what}: backprop and the estimate differ "
                f"by at most {bound_text(float(roundoff['abs_error'].max()))}, within a generous "
                f"bound on float64 round-off in their central differences (up to "
                f"{bound_text(bound)}: 50 "
                "times ε·(r²/2 + r·s)/h, r the residual |ŷ − y| at the nudged weight, s the "
                f"size of the terms summed into ŷ), {meaning}.",
                weights=tuple(roundoff["weight"]),
                bound=bound,
                small=small,
            )
        )
    truncation = check[verdict == "agree within truncation error"]
    if len(truncation):
        out.append(
            _fact(
                "truncation_rows",
                f"{len(truncation)} gradient{'s' * (len(truncation) != 1)} "
                f"({listing(list(truncation['weight']))}) "
                f"miss{'es' if len(truncation) == 1 else ''} the {num(AGREE_BELOW)} bar only by "
                "the central difference's own error, its truncation h²·L‴/6 with any round-off (estimated "
                "from a second step 2h as |ĝ(2h) − ĝ(h)|/3, up to "
                f"{up(float(truncation['truncation'].max()), 2)}): backprop and the estimate "
                "differ by no more than twice that estimate plus the round-off bound. Near a "
                "perfect fit the gradient (ŷ − y)·∂ŷ/∂w shrinks with ŷ − y while that error "
                f"does not (here ŷ − y = {num(result.forward.y_hat - result.forward.y)}"
                + (
                    " in float64"
                    if result.forward.y_hat == result.forward.y and not exact_fit(config, result)
                    else ""
                )
                + ").",
                weights=tuple(truncation["weight"]),
            )
        )
    disagree = check[verdict == "disagree"]
    if len(disagree):
        out.append(
            _fact(
                "gradients_disagree",
                f"{len(disagree)} gradient{'s' * (len(disagree) != 1)} "
                f"({listing(list(disagree['weight']))}) "
                f"differ{'s' * (len(disagree) == 1)} from central differences by "
                f"more than the check's own round-off and truncation estimates (relative error "
                f"up to {up(float(disagree['rel_error'].max()), 2)}).",
                slot=CHECK,
                weights=tuple(disagree["weight"]),
            )
        )
    out += _kinks(config, result)
    return out


def forgotten_f_prime(result) -> np.ndarray:
    """The 13 gradients, in the check's row order, of a backprop that forgets the factor f′(z):
    ∂L/∂z_j taken as (ŷ − y)·W2_j."""
    fwd, params = result.forward, result.params
    delta = fwd.y_hat - fwd.y
    dz = delta * params["W2"][:, 0]
    return np.concatenate([np.outer(fwd.x, dz).ravel(), dz, delta * fwd.a, [delta]])


def forgotten_f_prime_error(result) -> float:
    """The check's largest relative error, over the rows it checks (not the kink rows), of a
    backprop that forgets the factor f′(z): ∂L/∂z_j taken as (ŷ − y)·W2_j."""
    wrong = forgotten_f_prime(result)
    central = result.check["central_difference"].to_numpy()
    checked = ~result.check["at_kink"].to_numpy()
    errors = [rel_error(a, b) for a, b, c in zip(wrong, central, checked, strict=True) if c]
    return max(errors, default=0.0)


def _wrong_formula(config, result) -> str:
    """What a wrong formula gives in the check, and whether a forgotten f′(z) would on this run:
    a forgotten relu′(z) = 1 on an active unit changes nothing, and near a perfect fit every
    gradient sinks under the relative error's 1e-8 floor (audit pass 50 b: ReLU, seed 0, every
    z > 0, where a backprop without f′ agrees with central differences to 1.8e-11, beside "A
    wrong formula, such as a forgotten f′(z), typically gives above 0.01")."""
    bug = f"A wrong formula typically gives above {num(BUG_LEVEL)}"
    error = forgotten_f_prime_error(result)
    if error > BUG_LEVEL:
        return f"{bug}; a backprop that forgot f′(z) would do so here."
    why = ""
    z = np.asarray(result.forward.z, dtype=np.float64)
    if config.activation == "relu" and not np.any(z < 0):
        # "on an active unit" only where some unit is active: at x = (0, 0) every unit sits on
        # the kink and none has relu′ = 1 (audit pass 56 h: "on an active unit relu′ = 1, so
        # dropping it changes nothing there" with no active unit)
        why = (
            ": no hidden unit has z < 0, where relu′ = 0, and on an active unit relu′ = 1, so "
            "dropping it changes nothing"
            if np.any(z > 0)
            else ": no hidden unit has z < 0, where relu′ = 0, and none is active (z > 0, where "
            "relu′ = 1)"
        )
        if np.any(z == 0):
            # a unit on the kink has relu′(0) = 0 by convention: dropping it does change its
            # weights' gradients, in rows the check leaves out (x = (0, 0), y = 1, ReLU, seed 0:
            # "dropping it changes nothing" where b1's three gradients would become −0.46, 0.33
            # and −0.25; audit pass 55 d)
            check = result.check
            changed = [
                name
                for name, wrong, right, kink in zip(
                    check["weight"],
                    forgotten_f_prime(result),
                    check["backprop"],
                    check["at_kink"],
                    strict=True,
                )
                if kink and wrong != right
            ]
            units = listing([str(j + 1) for j in np.flatnonzero(z == 0)])
            many = bool(np.count_nonzero(z == 0) > 1)
            why += (
                f"{' there' if np.any(z > 0) else ''}; hidden unit{'s' * many} {units} "
                f"sit{'' if many else 's'} on the kink "
                "z = 0, where relu′(0) = 0 is backprop's convention: dropping it "
                + (
                    f"would change the gradients of {listing(changed)}, rows the check leaves "
                    "out as kink rows"
                    if changed
                    else "changes no gradient on this example either"
                )
            )
    return (
        f"{bug}, but not always: a backprop that forgot f′(z) would give at most "
        f"{up(error, 2)} on this example{why}."
    )


def renumbered(reason: str, updates_made: int) -> str:
    """A run's stopping reason ("update k would …", k counted from the current weights) with
    the update numbered as the page counts them, after the ``updates_made`` its buttons made."""
    match = re.match(r"update (\d+) ", reason)
    if match is None or not updates_made:
        return reason
    # the run's limit is set by its own start, the loss after those updates, not the seeded one
    rest = reason[match.end() :].replace("the starting loss", f"the loss at update {updates_made}")
    return f"update {int(match.group(1)) + updates_made} {rest}"


def _span(first: int, n: int) -> str:
    """Updates ``first`` .. ``first + n - 1`` as words: "update 10" or "updates 10 to 18"."""
    return f"update {first}" if n == 1 else f"updates {first} to {first + n - 1}"


def updated_status(table=None) -> str:
    """The status after the update button: the weights changed, so the old forward values no
    longer apply; or, where no weight moved (every ``after`` equals its ``before`` in float64,
    e.g. every gradient 0 at ŷ = y), that the update changed nothing and the forward values
    still apply (audit pass 63 e: at x = (0, 0), y = 0, ReLU the status said "Weights updated
    ... the forward values of the old weights no longer apply ... to see the new loss" after an
    update that moved no weight)."""
    if table is not None and (table["after"].to_numpy() == table["before"].to_numpy()).all():
        return (
            "Update applied, and **no weight changed** (table below: every after equals its "
            "before in float64): the forward pass's values and the loss still apply."
        )
    return (
        "Weights updated (table below): the forward values of the old weights no longer "
        "apply. Run the forward pass again to see the new loss."
    )


def run_label(config, result, updates_made: int = 0) -> str:
    """The 'Run N updates' button's label: the updates a press makes. N when the preview
    completed; where an update would run away the run stops before it, so the label counts the
    updates made and names the one refused (audit pass 40: at the preset "Step too large",
    "Run 50 updates" made 9)."""
    if not result.diverged:
        return f"Run {plural(config.n_updates, 'update')}"
    n = result.n_done
    refused = updates_made + n + 1  # as the loss chart's axis and "Updates made" count them
    return f"Run {plural(n, 'update')} (of {config.n_updates}: update {refused} would run away)"


def _times(factor: float) -> str:
    return "twice" if factor == 2 else f"{num(factor)} times"


def check_caption() -> str:
    """The gradient check's caption: the relative error and the verdicts' rule, from the constants
    the verdicts use (core.gradcheck.verdicts with AGREE_BELOW and TRUNCATION_FACTOR). A row
    agrees within the truncation error when the two differ by no more than the round-off bound
    plus TRUNCATION_FACTOR times the estimate |ĝ(2h) − ĝ(h)|/3, not by no more than "the round-off
    or truncation error" (audit pass 40: a row off by more than either estimate alone was
    "agree within truncation error"). The kink verdict comes first: a row whose ±h nudge crosses
    a ReLU kink is not checked, whatever its error (audit pass 45: "a row agrees below 1e-06"
    beside b1[1]'s 8.9e-08 marked "kink (not checkable)" at x = (0, 0), y = 0, ReLU, seed 474,
    scale 0.1)."""
    return (
        f"Relative error |g − ĝ| / max(|g| + |ĝ|, 1e-8) with h = {num(CHECK_STEP)}. A row whose "
        "±h nudge crosses a ReLU kink (or starts on it) is not checked, whatever its error: "
        f"the central difference mixes the two slopes there (“{KINK}”). Any other row agrees "
        f"below {num(AGREE_BELOW)}, or when the two differ by no more than a bound on the check's "
        "own float64 round-off, or by no more than that "
        f"bound plus {_times(TRUNCATION_FACTOR)} its truncation error as estimated from a second "
        "step 2h (|ĝ(2h) − ĝ(h)|/3)."
    )


def kink_rows(result) -> dict[int, list[str]]:
    """Hidden unit -> the parameters whose check nudge crosses (or starts on) its ReLU kink."""
    names, at_kink = param_names(), result.check["at_kink"].to_numpy()
    out = {}
    for j in range(N_HIDDEN):
        rows = [i * N_HIDDEN + j for i in range(N_INPUTS)] + [N_INPUTS * N_HIDDEN + j]
        flagged = [names[r] for r in rows if at_kink[r]]
        if flagged:
            out[j] = flagged
    return out


def _reach(result, j: int) -> float:
    """The smallest move of z_j by a check nudge that crosses its kink: h·|x_i| for a flagged
    weight W1[i, j], h for the bias b1[j]."""
    x = np.abs(np.asarray(result.forward.x, dtype=np.float64)) * CHECK_STEP
    z = abs(float(result.forward.z[j]))
    return float(min([r for r in x if z < r] + ([CHECK_STEP] if z < CHECK_STEP else [])))


def _inside(z: float, reach: float) -> str:
    """z with digits added until |z| prints below ``reach`` (a |z| of 9.996e-06 is not "1e-05"
    beside "closer to the kink than the nudge h = 1e-05")."""
    for digits in range(3, 18):
        text = num(z, digits)
        if abs(float(text)) < reach and not rounded_up_half(text, z):
            return text
    return num(z, 17)


def _kinks(config, result) -> list[Fact]:
    if config.activation != "relu":
        return []
    z = result.forward.z
    flagged = kink_rows(result)
    on = [j for j in flagged if z[j] == 0]
    near = [j for j in flagged if z[j] != 0]
    out = []
    if on:
        weights = [w for j in on for w in flagged[j]]
        # ŷ = y: both one-sided slopes are 0 (backprop's 0 is then L's derivative), and the
        # central difference's O(h) term is all it measures (audit pass 45: x = (0, 0), y = 0,
        # ReLU: b1[1]'s 2.1e-06 "averages the two one-sided slopes", which are both 0)
        exact = (
            "; here ŷ = y, so both slopes are 0 and that term is all it measures"
            if result.forward.y_hat == result.forward.y
            else ""
        )
        out.append(
            _fact(
                "kink_at_zero",
                f"Hidden {_units(on)} {'have' if len(on) != 1 else 'has'} z = 0 exactly, on "
                "ReLU's kink, where relu has no derivative. Backprop uses the convention "
                f"relu′(0) = 0; the central difference for {listing(weights)} averages the two "
                "one-sided slopes only up to an O(h) term (across the kink the two sides' "
                f"second-order terms no longer cancel{exact}). The check compares two different "
                "things there and can "
                "disagree without a bug.",
                slot=CHECK,
                units=tuple(on),
                weights=tuple(weights),
            )
        )
    if near:
        weights = [w for j in near for w in flagged[j]]
        where = listing([f"z{j + 1} = {_inside(float(z[j]), _reach(result, j))}" for j in near])
        out.append(
            _fact(
                "kink_near",
                f"Hidden {_units(near)} {'are' if len(near) != 1 else 'is'} closer to ReLU's "
                f"kink at 0 ({where}) than the check's ±h nudge of {listing(weights)} moves "
                f"z (by h·|x_i| for a weight, h = {num(CHECK_STEP)} for a bias). Backprop's "
                "derivative is exact there, but the nudge crosses z = 0, so the central "
                "difference mixes the slopes of both sides and the check can disagree without "
                "a bug.",
                slot=CHECK,
                units=tuple(near),
                weights=tuple(weights),
            )
        )
    return out


def _units_facts(config, result) -> list[Fact]:
    fwd, bwd = result.forward, result.backward
    sigmoid = config.activation == "sigmoid"
    # σ′(z) itself, σ(z)σ(−z): float64's a(1 − a) is 0 once a = σ(z) rounds to 1 (z > 37), and
    # σ′ > 0 everywhere
    f_prime = [
        sigmoid_prime(float(z)) if sigmoid else float(v)
        for z, v in zip(fwd.z, bwd.f_prime, strict=True)
    ]
    zero = [j for j in range(N_HIDDEN) if sigmoid and bwd.f_prime[j] == 0]
    high, low = [j for j in zero if fwd.z[j] > 0], [j for j in zero if fwd.z[j] < 0]
    why = listing(
        ([f"a = σ(z) rounds to 1 for {_units(high)}"] if high else [])
        + ([f"a = σ(z) underflows to 0 for {_units(low)}"] if low else [])
    )
    # Below σ′ ≈ 1e-13 (z > 30) float64's a(1 − a) keeps few of σ′'s digits (a is stored to
    # about 16): backprop multiplies by that, not by the σ′ printed here.
    coarse = [
        j
        for j in range(N_HIDDEN)
        if sigmoid and bwd.f_prime[j] != 0 and num(float(bwd.f_prime[j])) != num(f_prime[j])
    ]
    parts = (
        [
            f"float64 computes a(1 − a) = 0 for {_units(zero)}: {why}, so backprop passes exactly 0 back"
        ]
        if zero
        else []
    ) + (
        [
            "backprop multiplies by float64's a(1 − a) = "
            + listing([f"{num(float(bwd.f_prime[j]))} for unit {j + 1}" for j in coarse])
            + " instead: a = σ(z) is stored to about 16 digits, and 1 − a keeps few of σ′'s digits"
        ]
        if coarse
        else []
    )
    # a ReLU unit exactly on its kink: relu has no derivative there, its 0 is a convention
    # (audit pass 42: "f′(z) are unit 1: 0, ..." at z = 0 read as a derivative)
    kink = [j for j in range(N_HIDDEN) if not sigmoid and fwd.z[j] == 0]
    if kink:
        parts.append(
            f"{_units(kink)} sit{'s' * (len(kink) == 1)} exactly on the kink z = 0, where relu "
            "has no derivative: 0 there is backprop's convention relu′(0) = 0"
        )
    note = f" ({'; '.join(parts)})" if parts else ""
    units = ", ".join(f"unit {j + 1}: {t}" for j, t in enumerate(f_prime_texts(f_prime, sigmoid)))
    out = [
        _fact(
            "local_derivatives",
            f"The local derivatives f′(z) are {units}{note}: every hidden gradient is multiplied "
            "by its unit's f′, so a small f′ starves that unit's incoming weights.",
        )
    ]
    if sigmoid:
        flat = [j for j in range(N_HIDDEN) if f_prime[j] < SATURATED]
        if flat:
            # one digit count for the listed σ′ (f_prime_texts), each still under the bar
            shown = f_prime_texts([f_prime[j] for j in flat], True, SATURATED)
            zs = z_texts(shown, [fwd.z[j] for j in flat])  # one digit count for the z's
            values = listing([f"{v} at z = {z}" for v, z in zip(shown, zs, strict=True)])
            out.append(
                _fact(
                    "saturated_units",
                    f"Hidden {_units(flat)} sit{'s' * (len(flat) == 1)} in the sigmoid's flat "
                    f"tails (σ′ = {values}, under 1 % of its peak σ′(0) = 1/4): every gradient "
                    f"of {'its' if len(flat) == 1 else 'their'} incoming weights and bias "
                    f"carries that factor{note}.",
                    units=tuple(flat),
                )
            )
    else:
        dead = [j for j in range(N_HIDDEN) if fwd.z[j] <= 0]
        if dead:
            convention = _relu_convention(fwd.z[dead])
            out.append(
                _fact(
                    "dead_units",
                    f"Hidden {_units(dead)} {'have' if len(dead) != 1 else 'has'} z ≤ 0, so "
                    f"relu′ = 0{convention} and {'their' if len(dead) != 1 else 'its'} incoming "
                    "weights and bias get exactly zero gradient on this example.",
                    units=tuple(dead),
                )
            )
    return out


def _mlp(result) -> Fact:
    diff = result.mlp_max_difference
    same = (
        "the same gradients on these weights, bit for bit"
        if diff == 0
        else f"gradients within {up(diff, 2)} of these"
    )
    return _fact(
        "mlp_matches",
        f"The vectorized core.mlp.backward, which trains the neural networks of the later "
        f"lessons, gives {same}.",
        difference=diff,
    )


def bound_text(x: float) -> str:
    """A bound for "at most" and "up to" read beside another: :func:`core.facts.up` at 2
    significant digits with a trailing zero kept, so "differ by at most 3e-14, within … up to
    1.9e-07" does not read the one at one digit beside the other's two (audit pass 65 c: x =
    (5, 0), y = −5, sigmoid, seed 561, scale 5, η = 1)."""
    return padded(up(x, 2), 2)


LOSS_DIGITS = 4


def loss_digits(result) -> int:
    """The significant digits of every loss the page prints (the sentences, the loss chart's
    tooltips, the "Loss now" metric): 4, more until the loss now and after the one update print
    apart when they differ ("moves L from 1.445 to 1.4447" sat beside tooltips printing both
    1.445), as a diverged run's first and last loss do, and, where every update of the preview
    raised the loss, until each printed loss is above the one before it. One digit count for
    all, so the sentences' losses are the tooltips' texts (a final loss 4.41498 was "reach
    L = 4.41" beside a tooltip's "4.415")."""
    losses = [float(v) for v in result.trajectory["loss"]]
    pairs = [(result.forward.loss, result.loss_after_update)]
    if result.diverged:  # "the loss went from <first> to <last>"
        pairs.append((losses[0], losses[-1]))
    digits = max(apart_digits(pair, LOSS_DIGITS) for pair in pairs)
    if len(losses) > 1 and np.all(np.diff(losses) > 0):  # "the loss rose at every update"
        digits = max(digits, apart_digits(losses, LOSS_DIGITS))
    # ... and up to the most significant digits any compared loss prints with: num shows more
    # than asked rather than print a fraction as a whole number or a 5 its rounding made, so
    # "moves L from 16.6495 to 16.50" read the loss before at six digits beside four (audit pass
    # 64 c: x = (−4.2, 2.4), y = −2.8, ReLU, seed 277, scale 1.2, η = 0.0001), and "from 18.54 to
    # 2418.4" four beside five
    compared = [
        v
        for pair in pairs
        for v in pair
        if math.isfinite(v) and v != 0 and not (v == round(v) and abs(v) < 2**53)
    ]
    while compared and digits < 17:
        shown = max(significant(loss_text(v, digits)) for v in compared)
        if shown <= digits:
            break
        digits = min(shown, 17)
    return digits


def loss_text(value: float, digits: int) -> str:
    """A loss as the page prints it: :func:`core.facts.num` at ``digits`` (:func:`loss_digits`)
    significant digits, a whole value exactly with zeros kept to ``digits`` (a loss of exactly 2
    is "2.000" at 4 digits beside "1.805": "moves L from 2 to 1.805" read the one loss at one
    significant digit beside the other's four, and padded an exact 0.5 to "0.5000" but not an
    exact 2; audit pass 65 c at ?x1=0&x2=0&y=2&act=relu&lr=0.05). A loss of 0 stays "0"."""
    if math.isfinite(value) and value == round(value) and abs(value) < 2**53:
        return padded(num(int(value)), digits)
    # never a 5 that rounding up made, beside the forward table's L at 6 digits (audit pass 41:
    # a metric's 52.84 beside the table's 52.845 for 52.844996); trailing zeros kept to
    # ``digits``, so two losses compared read at one precision ("moves L from 0.4930 to 0.4928",
    # not "from 0.493 to 0.4928"; audit pass 63 e)
    return padded(num(value, digits), digits)


def lowering_helps(config, least_runs_away: bool) -> bool:
    """Whether "lower the learning rate" names a remedy: the sidebar can lower η, and its least
    does not run away from these weights too."""
    return can_lower(config, "learning_rate") and not least_runs_away


def preview_remedy(config, result) -> str | None:
    """The loss chart title's remedy for a preview that diverged: "lower the learning rate" only
    where :func:`lower_rate` says so in the warning beside it; else None (audit pass 53 h: at the
    pass 52 h witness, η = 0.0001 after two presses, the title said "the preview diverged: lower
    the learning rate" beside the warning "η = 0.0001 is already the least learning rate the
    page offers")."""
    if result.diverged and lowering_helps(config, result.least_rate_diverges):
        return "lower the learning rate"
    return None


def lower_rate(config, least_runs_away: bool, when: str) -> str:
    """The remedy for an update or a run that runs away: "Lower the learning rate η." only where
    the sidebar can lower η and its least does not run away from these weights too (audit pass
    52 h: sigmoid, seed 1, x = (5, 5), y = 5, η = 5, two presses of the run button reach weights
    of 2e5, where even η = 0.0001's first update moves a weight past 1,000,000, beside "Lower the
    learning rate η" at η = 0.0001); else what is left: the Reset button's seeded weights."""
    if lowering_helps(config, least_runs_away):
        return "Lower the learning rate η."
    least = num(least_rate())
    head = (
        f"η = {least} is already the least learning rate the page offers"
        if not can_lower(config, "learning_rate")
        else f"Even the least learning rate the page offers, η = {least}, would run away "
        f"from these weights {when}"
    )
    if config.weights is None:  # the seeded start: no other weights to go back to
        return f"{head}."
    return f"{head}: press Reset to go back to the seeded weights."


def _updates(config, result, updates_made: int = 0) -> list[Fact]:
    eta = num(config.learning_rate)
    loss = result.forward.loss
    digits = loss_digits(result)
    exact = exact_fit(config, result)  # L is 0 exactly, and stays so
    out = []
    if math.isfinite(result.loss_after_update):
        before, after = (loss_words(v, digits) for v in (loss, result.loss_after_update))
        moves = (
            f"leaves L at {loss_text(loss, digits)} exactly: every gradient is 0, so no weight "
            "moves"
            if exact
            else f"leaves L at {loss_text(loss, digits)} (unchanged in float64)"
            if result.loss_after_update == loss
            else f"moves L from {before} to {after}"
        )
        out.append(
            _fact(
                "one_update",
                f"One update with η = {eta} {moves}.",
                before=loss,
                after=result.loss_after_update,
            )
        )
    else:
        out.append(
            _fact(
                "update_refused",
                f"This update would run away, so it is not applied "
                f"({renumbered(result.update_stopped_reason, updates_made)}). "
                + lower_rate(config, result.least_rate_update_runs_away, "at its first update"),
                slot=UPDATE,
            )
        )
    losses = result.trajectory["loss"].to_numpy()
    if not result.diverged:
        n, final = result.n_done, float(losses[-1])
        unchanged = bool(np.all(losses == losses[0]))
        # a loss no update changed is left where it started, not "reached" (?x1=0&x2=0&y=0&
        # act=relu: L is 0 before any update, and "50 updates with η = 0.05 reach L = 0 in
        # float64" read as the updates' doing; audit pass 61 e)
        reach = (
            f"leave{'s' * (n == 1)} L where it started, at "
            + (f"{loss_text(final, digits)} exactly" if exact else loss_words(final, digits))
            if unchanged
            else f"reach{'es' * (n == 1)} L = {loss_words(final, digits)}"
        )
        out.append(
            _fact(
                "n_updates_reach",
                f"{n} update{'s' * (n != 1)} with η = {eta} {reach}.",
                final=final,
                unchanged=unchanged,
            )
        )
        return out
    advice = (
        f"The gradients are still right: it is the step η = {eta} that is too long for this "
        "loss. "
        + lower_rate(
            config,
            result.least_rate_diverges,
            f"within these {plural(config.n_updates, 'update')}",
        )
    )
    n = result.n_done
    stopped = renumbered(result.stopped_reason, updates_made)
    # as the loss chart's tooltips print them; a diverged run's first and last differ by far
    first, last = (loss_text(float(v), digits) for v in (losses[0], losses[-1]))
    if n == 0:
        out.append(
            _fact(
                "diverged_at_once",
                f"**Diverged** at once: {stopped}, so "
                f"{'no further update was made' if updates_made else 'no update was made'}. "
                f"{advice}",
                slot=WARNING,
            )
        )
    elif np.all(np.diff(losses) > 0):
        each = "the one update" if n == 1 else f"every one of the {n} updates"
        if updates_made:  # the run's updates after those made, numbered as the chart does
            each = ("" if n == 1 else "each of ") + _span(updates_made + 1, n)
        out.append(
            _fact(
                "diverged_rising",
                f"**Diverged**: the loss rose at {each} ({first} → "
                f"{last}), then {stopped}, so the run stopped. "
                "Each update stepped past the low point along its direction and landed "
                f"higher. {advice}",
                slot=WARNING,
            )
        )
    else:
        out.append(
            _fact(
                "diverged_mixed",
                f"**Diverged** after {n} update{'s' * (n != 1)}"
                f"{f' ({_span(updates_made + 1, n)})' if updates_made else ''}: the loss went from "
                f"{first} to {last}, not rising at every "
                f"update, then {stopped}, so the run stopped. {advice}",
                slot=WARNING,
            )
        )
    return out
