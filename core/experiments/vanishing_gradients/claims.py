"""What a vanishing-gradients run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np

from core.experiments.budget import can_lower
from core.experiments.vanishing_gradients.experiment import (
    BATCH_SIZE,
    N_TRAIN,
    PREDICTIONS,
    SWEEP_DEPTHS,
    SWEEP_ROWS,  # noqa: F401 (ui.charts.architecture reads it from here)
    _geometric_factor,
    gradient_regime,
    sweep_step_words,
)
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
    at_one_precision,
    decimals,
    gap_or_round_off,
    inside_unit,
    listing,
    not_whole,
    num,
    padded,
    plural,
    reads_alike,
    sig_num,
    significant,
    tooltip_text,
    up,
)

# The whole weight gradient at initialization counts as exploding from the start above this norm.
LARGE_GRADIENT = 10.0
# "Barely learned": W1's relative change is below this share of the output layer's.
FROZEN = 0.01
# Most (unit, example) pairs saturated: above this share.
MOSTLY = 0.5
# Every layer's gradient tiny (below) or huge (above): the ratio cannot show it.
TINY, HUGE = 1e-8, 1e4
# A hidden layer's output spread is float64 round-off when it is below this many ulps of its
# outputs' mean (sigmoid + batch norm at σ = 0.001: every output 0.5, spreads ~3e-16).
ROUNDOFF_ULPS = 64
# A gradient norm is round-off when, over the same points summed in reverse order, it changes by
# more than this share of itself (a measured one changes by ~1e-15).
REORDER_TOL = 1e-9
# Round-off moves a value's size, not only its digits, where the two summation orders give values
# this factor apart or more. Their gap is a floor on the round-off, not its size: linear + batch
# norm, N(0, 0.01²), depth 50, width 64, moons, seed 1 gives ‖∂L/∂W₁‖ = 4.91e+09 and 3.68e+11
# reversed (3.66e+11 in extended precision), and N(0, 10²) at seed 1 gives 3.80e+09 and 7.14e+09
# (1.43e+11 in extended precision); He at seed 832, 1.41e+10 and 1.54e+10 (1.54e+10 and 1.64e+10
# in extended precision) keeps its size (audit pass 50 a).
ROUNDOFF_SIZE = 1.5
# An exploding-regime net that did not diverge (clipped or not) "learned" when its training
# accuracy passed this.
LEARNED = 0.6
# One answer claim per prediction category, in the order of PREDICTIONS.
RATIO_CLAIMS = (
    "ratio_over_1000_smaller",
    "ratio_10_to_1000_smaller",
    "ratio_within_10",
    "ratio_over_10_larger",
)

CLAIMS = Claims(
    Claim(
        "diverged_exploding_start",
        "The run diverged, and its gradient was already large at initialization",
        "diverged and the weights' gradient norm at init > 10 (or not finite); clipping (or a "
        "lower max norm) named only where the clipped run at that max norm does not diverge; "
        "'lower η' only where the run at η's least does not diverge within its epochs",
    ),
    Claim(
        "diverged_moderate_start",
        "The run diverged although its weights' gradient at initialization was moderate: the "
        "steps were too large (the first mini-batch's all-parameter norm is named when it "
        "was not moderate)",
        "diverged and the weights' gradient norm at init <= 10; clipping (or a lower max norm) "
        "named only where the clipped run at that max norm does not diverge; 'lower η' only "
        "where the run at η's least does not diverge within its epochs",
    ),
    Claim(
        "gradients_all_zero",
        "Every weight matrix's gradient at initialization is exactly 0: the ratio is undefined",
        "all ||dL/dWk|| == 0 at init; a wider layer, another activation, init or σ named only "
        "where that move alone gives some weight matrix a gradient at init",
    ),
    Claim(
        "gradients_not_finite",
        "The gradients at initialization are not all finite: the ratio is undefined",
        "the ratio is NaN and some ||dL/dWk|| at init is not finite (overflowed)",
    ),
    Claim(
        "ratio_over_1000_smaller",
        "The first layer's gradient is over 1,000x smaller than the last's (prediction answer)",
        "||dL/dW1|| / ||dL/dWL|| < 1e-3",
    ),
    Claim(
        "ratio_10_to_1000_smaller",
        "The first layer's gradient is 10x to 1,000x smaller than the last's (prediction answer)",
        "1e-3 <= ratio < 0.1",
    ),
    Claim(
        "ratio_within_10",
        "The first and last layers' gradients are within a factor of 10 (prediction answer)",
        "0.1 <= ratio <= 10",
    ),
    Claim(
        "ratio_over_10_larger",
        "The first layer's gradient is over 10x larger than the last's (prediction answer)",
        "ratio > 10",
    ),
    Claim(
        "uniformly_tiny",
        "Every weight matrix's gradient is tiny: the ratio cannot show a vanishing that hits "
        "all alike",
        "every ||dL/dWk|| at init < 1e-8",
    ),
    Claim(
        "uniformly_huge",
        "Every weight matrix's gradient is huge: the ratio cannot show an explosion that hits "
        "all alike",
        "every ||dL/dWk|| at init > 1e4",
    ),
    Claim(
        "sigmoid_factors",
        "The sigma' factors alone contribute at most 1/4 per layer; the weights multiply in, so "
        "the ratio sits above or below 1/4^d",
        "sigmoid, no batch norm, ratio defined; above/below as measured",
    ),
    Claim(
        "mostly_saturated",
        "Most sigmoid units are saturated at initialization",
        "sigmoid, no batch norm, mean saturated share over the hidden layers > 0.5",
    ),
    Claim(
        "mostly_unsaturated",
        "Few sigmoid units are saturated at initialization, yet each sigma' is at most 1/4",
        "sigmoid, no batch norm, mean saturated share <= 0.5",
    ),
    Claim(
        "signal_grows",
        "At initialization the hidden layers' output spread grows layer after layer on average",
        "geometric mean of std(h_k+1) / std(h_k) over the hidden layers > 1",
    ),
    Claim(
        "signal_shrinks",
        "At initialization the hidden layers' output spread shrinks layer after layer on average",
        "that geometric mean <= 1",
    ),
    Claim(
        "first_step",
        "The first SGD step's length (mini-batch, all parameters), and what a full-batch step "
        "would take",
        "the first mini-batch gradient is finite and was not clipped",
    ),
    Claim(
        "first_step_clipped",
        "Clipping scaled the first SGD step's gradient down to the max norm",
        "clipping on and the first mini-batch gradient's norm > max norm",
    ),
    Claim(
        "sigmoid_tail",
        "sigma'(10) and sigma'(20): what a unit at that pre-activation passes back",
        "always (the closed form of sigma')",
    ),
    Claim(
        "sweep_report",
        "The estimated first-update relative step of W1 at 1 and at 50 hidden layers per setting",
        "always (reports the sweep)",
    ),
    Claim(
        "first_layer_frozen",
        "The first layer barely learned: W1 moved less than 1 % as much as the output layer",
        "both changes finite, change(W1) < 0.01 x change(WL) and < 0.01 of W1's size",
    ),
    Claim(
        "first_layer_moved",
        "How far W1 and the output layer moved during training",
        "both changes finite, change(W1) >= 0.01 x change(WL) or >= 0.01 of W1's size",
    ),
    Claim(
        "loss_fell",
        "The training loss fell (or, when the two differ only by float round-off, did not change)",
        "not diverged, final training loss < the loss at initialization",
    ),
    Claim(
        "loss_did_not_fall",
        "The training loss did not fall",
        "not diverged, final training loss >= the loss at initialization",
    ),
    Claim(
        "regime_report",
        "Each regime's run with and without clipping: diverged or where it ended",
        "always (reports the runs)",
    ),
    Claim(
        "clipping_rescued",
        "Clipping rescued the exploding net",
        "unclipped diverged, clipped did not and reached training accuracy > 0.6",
    ),
    Claim(
        "clipping_stopped_divergence",
        "Clipping kept the exploding net from diverging, but it did not learn",
        "unclipped diverged, clipped did not, clipped training accuracy <= 0.6",
    ),
    Claim(
        "clipping_did_not_prevent",
        "Even clipped, the exploding net diverged",
        "the clipped exploding run diverged",
    ),
    Claim(
        "clipping_hurt",
        "Neither exploding run diverged, and clipping ended higher; the unclipped run named as "
        "trained only where it learned",
        "neither diverged, clipped final loss > unclipped; 'trained without clipping too' and "
        "'can slow training down' only where the unclipped training accuracy > 0.6, else 'did "
        "not learn'",
    ),
    Claim(
        "clipping_helped",
        "Neither exploding run diverged, and clipping ended below the unclipped run (or at its "
        "loss)",
        "neither diverged, clipped final loss <= unclipped; 'below' when <, 'at' when equal",
    ),
    Claim(
        "clipping_cannot_lift",
        "Clipping only scales gradients down; how far the vanishing net's W1 moved with and "
        "without it",
        "always (theory); 'identical', 'less' or 'more' as measured",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = _divergence(config, result)
    out += _ratio(config, result)
    out += _at_init(config, result)
    out += _training(config, result)
    out += _regimes(config, result)
    return out


def _divergence(config, result) -> list[Fact]:
    s = result.summary
    if not s["diverged"]:
        return []
    g = s["global_grad_norm"]
    text = f"**Diverged:** {s['stopped_reason']}. The charts stop where the run stopped. "
    g_b = s["first_batch_grad_norm"]
    capped = " (capped by clipping)" if config.clip else ""
    # a remedy is named only where the sidebar can still take it: at η's least (0.001) "lower η"
    # cannot be done (ReLU, N(0, 10²), depth 50, width 64, η = 0.001 diverged at update 2 under
    # "lower η or shrink σ"; audit pass 51 d)
    # ... nor where the least η diverges too, within the run's epochs (the same net at η = 0.0015;
    # ReLU, N(0, 0.5²), depth 30, width 16, η = 0.01 diverged at update 2 under "lower η", and
    # at η = 0.001 at update 3: audit pass 53 c)
    lower_eta = can_lower(config, "learning_rate") and not s.get("least_rate_diverges", False)
    remedies = ["lower η"] if lower_eta else []
    # smaller starting weights only where σ can go lower and its least keeps the run from
    # diverging: with batch norm the gradient grows as σ shrinks (linear + batch norm, σ 0.01,
    # depth 20, width 64, η 3, 30 epochs: at σ's least it diverges too; audit pass 52 c), and at
    # σ's least no init the page offers starts smaller (PReLU + batch norm, N(0, 0.001²), depth
    # 23, width 64, η 3, 5 epochs, seed 2 said "start from smaller weights"; audit pass 54 e)
    smaller = (
        config.init == "normal"
        and can_lower(config, "sigma")
        and not s.get("least_sigma_diverges", False)
    )
    if g <= LARGE_GRADIENT and not (math.isfinite(g_b) and g_b <= LARGE_GRADIENT):
        # GELU or swish at σ = 10, depth 50: the weights' full-batch gradient is 2.3e-19 (their
        # layer inputs shrank to ~1e-21) while the first mini-batch's, biases included, is 4.9e+37:
        # not a moderate start
        key = "diverged_moderate_start"
        size = f"norm {num(g_b)}" if math.isfinite(g_b) else "a norm that was not finite"
        text += (
            f"At initialization the weights' gradient on the whole training set had norm "
            f"{num(g)}, but the first mini-batch's gradient over all parameters (biases "
            f"included) had {size}: steps of size η‖g‖{capped} grew the loss instead of "
            "lowering it"
        )
        if smaller:
            remedies.append("start from smaller weights (a smaller σ)")
        lead = ". "
    elif g <= LARGE_GRADIENT:
        key = "diverged_moderate_start"
        text += (
            f"At initialization the weights' gradient had norm {num(g)}, not exploding: the "
            f"steps of size η‖g‖{capped} grew the loss instead of lowering it"
        )
        lead = ". "
    else:
        key = "diverged_exploding_start"
        size = f"norm {num(g)}" if math.isfinite(g) else "a norm that overflowed"
        text += f"The gradient was already large at initialization ({size})"
        if smaller:
            remedies.append("shrink σ")
        lead = ": "

    def say(words: str) -> str:
        return lead + (words[:1].upper() + words[1:] if lead == ". " else words)

    # clipping is named only where it keeps this run from diverging: at the max norm set, or
    # at a lower one (SELU + He, depth 40, η = 1, max norm 100 diverged at update 2 clipped too,
    # under "or turn on gradient clipping"; audit pass 52 c)
    clip_remedy = s.get("clipping_remedy")
    if config.clip:
        if remedies:
            text += say(" or ".join(remedies))
        lowers = (["η"] if lower_eta else []) + (
            ["the max norm"] if can_lower(config, "max_norm") and clip_remedy == "lower" else []
        )
        text += (
            f". Clipping was on, which caps every step at η × {config.max_norm:g} = "  # plain-format: the max norm setting
            f"{num(config.learning_rate * config.max_norm)}: still too large here"
            + (f", so lower {' or '.join(lowers)}" if lowers else "")
            + "."
        )
    else:
        c = f"{config.max_norm:g}"  # plain-format: the max norm setting
        clipping = {
            "on": "turn on gradient clipping, which caps every step at η × the max norm",
            "lower": f"turn on gradient clipping with a max norm below {c} (at {c} the clipped "
            "run diverges too), which caps every step at η × the max norm",
        }.get(clip_remedy)
        if remedies and clipping:
            text += say(f"{' or '.join(remedies)}, or {clipping}") + "."
        elif remedies or clipping:
            text += say(" or ".join(remedies) if remedies else clipping) + "."
        else:
            text += (
                say(
                    "neither the least η nor gradient clipping at the least max norm kept it "
                    "from diverging"
                )
                + "."
            )
    return [_fact(key, text, slot=WARNING, grad_norm=g)]


def _zero_remedies(s) -> str:
    """The moves named for gradients that are all 0 at initialization: only those that alone
    give some weight matrix a gradient (``zero_gradient_remedies``); at ReLU another init or σ
    turns off the same units (a positively homogeneous net with zero biases, its weights one
    draw scaled), and "a wider layer" cannot be taken at the widest (audit pass 55 e)."""
    names = {
        "width": "a wider layer",
        "activation": "another activation",
        "init": "another init",
        "sigma": "another σ",
    }
    if "zero_remedies" not in s:  # a result stored before the moves were checked
        return ""
    moves = [names[m] for m in s["zero_remedies"]]
    if not moves:
        return (
            " No wider layer, other activation, init or σ the page offers gives a weight "
            "matrix a gradient here."
        )
    return f" Try {listing(moves, 'or')}."


def _ratio(config, result) -> list[Fact]:
    s = result.summary
    ratio = s["first_last_ratio"]
    regime = gradient_regime(ratio)
    L = config.depth + 1
    if regime is None:
        if s["gradients_zero"]:
            return [
                _fact(
                    "gradients_all_zero",
                    # only the weights': GELU at σ = 10, depth 50 has every ∂L/∂W_k exactly 0 while
                    # the hidden biases' gradients reach 1e+26 (a layer outputs exactly 0, the next
                    # sits at z = 0 where GELU′ = ½)
                    "Here every weight matrix's gradient ‖∂L/∂W_k‖ at initialization is exactly "
                    "0 (the biases' need not be), so their ratio is undefined: the signal died on its way through the network (a whole "
                    "layer of units passed nothing back)." + _zero_remedies(s),
                    slot=WARNING,
                    remedies=tuple(s.get("zero_remedies", ())),
                )
            ]
        if s["gradients_finite"]:
            # 0/0 with a layer between that has a gradient: no setting reaches it, so no sentence
            # (audit pass 67 f removed its warning, whose remedy "Try a wider layer, another
            # activation or another init" no run had checked). ∂L/∂W_L = Σ_i δ_i a_(L−1),i with
            # δ_i = p_i − y_i: it is 0 (short of an exact cancellation over 140 points) only when
            # every δ_i is 0, which zeroes every ∂L/∂W_k, or the last hidden layer outputs 0 on
            # every point; that needs a layer m whose outputs are the same on every point, which
            # takes saturated units (f′ = 0 there, so ∂L/∂W_1…∂L/∂W_m are 0), and after it every
            # layer's input is one vector c_(k−1) for all points, so ∂L/∂W_k = J_k (Σ_i δ_i)
            # c_(k−1)ᵀ, 0 for every k > m once c_(L−1) = 0: a ReLU or GELU layer dead at 0 passes
            # 0 on (f(0) = 0, biases 0), and sigmoid, tanh, ELU and SELU put c_(L−1) = 0 only by
            # an exact cancellation of W_(L−1) c_(L−2). Batch norm of a constant input gives β = 0
            # and a backward signal that sums to 0 over the points. No draw of the property test,
            # none of 1,080 configurations (audit pass 31) nor 400 random starts (pass 67) reached
            # it.
            return []
        return [
            _fact(
                "gradients_not_finite",
                "Here the gradients at initialization are not all finite (they overflowed), so "
                "their ratio is undefined: the signal exploded on its way through the network. "
                "Try smaller weights (another init or a smaller σ).",
                slot=WARNING,
            )
        ]
    factor = s["per_layer_factor"]
    # the ratio as the metric and the bar chart's "÷ last layer" tooltip print it (one text
    # function): at 2 digits here it printed "1.8" beside tooltips of 1.85 = 1.58 / 0.8535
    # (preset "Batch norm rescue"); on the category edges' side, never a fraction as whole
    ratio_text = ratio_print(config, ratio)
    factor_text = per_layer_text(factor)
    hidden = float(result.at_init["grad_norm"].iloc[-2])

    def factor_follows(first_text: str, hidden_text: str) -> bool:
        # (printed ‖∂L/∂W₁‖ / printed ‖∂L/∂W_d‖)^(1/(d - 1)) is the printed factor
        if not math.isfinite(factor):
            return True
        return _factor_follows(factor_text, first_text, hidden_text, config.depth)

    # the norms as the bar chart's tooltips print them (one text function, bar_texts): their
    # printed ratio is the printed ratio, the per-hidden-layer factor below follows from them,
    # and ‖∂L/∂W_d‖ / ‖∂L/∂W_L‖ as printed is layer d's "÷ last layer" tooltip (defaults at
    # seed 5 printed 0.117 and 0.297, which divide to 0.394, beside a bar's 0.395; seed 6
    # printed ‖∂L/∂W₁‖ = 1.26e-07 beside a bar's 1.265e-07, which a reader rounds to 1.27e-07)
    bars = bar_texts(result.at_init, bound=config.activation == "sigmoid" and not config.batch_norm)
    hidden_ratio = bars["relative"].get(config.depth)

    def follows(first_text: str, hidden_text: str, last_text: str, said: str = ratio_text) -> bool:
        try:
            return (
                agrees(said, Decimal(first_text) / Decimal(last_text))
                and factor_follows(first_text, hidden_text)
                and (
                    config.depth < 2
                    or hidden_ratio is None
                    or _follows(hidden_ratio, hidden_text, last_text)
                )
            )
        except ArithmeticError:
            return True

    # a norm with no bar (exactly 0) prints as num does
    ends = (s["first_grad_norm"], hidden, s["last_grad_norm"])
    texts = tuple(
        bars["grad"].get(k) or num(float(v))
        for k, v in zip((1, config.depth, L), ends, strict=True)
    )
    if follows(*texts):
        first_text, hidden_text, last_text = texts
    else:
        for d in range(3, 17):
            first_text, last_text = num(s["first_grad_norm"], d), num(s["last_grad_norm"], d)
            hidden_text = num(hidden, d)
            if follows(first_text, hidden_text, last_text):
                break
    # the quotient at the count of digits of the norms it is read from, never "= 1.73
    # (‖∂L/∂W₁‖ = 0.41462, ‖∂L/∂W_4‖ = 0.24017)" (tanh, He, σ = 0.1, depth 3, width 8, xor,
    # batch norm, seed 77 printed "= 1.81 (… = 0.226141, … = 0.1248149)"; audit pass 66 f); the
    # metric's and the tooltip's 3 digits are the same value rounded
    said = ratio_text
    if s["first_grad_norm"] != 0 and not _one_count(ratio_text, first_text, last_text):
        # from the fewest digits up, not from the bars' longest: a bar printed long for another
        # layer's ratio gave the output layer 12 digits, and the sentence printed "= 10282.2581591
        # (‖∂L/∂W₁‖ = 2916.09101841, …)", whose last three digits summation order moves (the same
        # points summed in reverse give 2916.09101807; leaky ReLU, N(0, 0.5²), depth 50, width 16,
        # xor, batch norm, seed 495; audit pass 70 g): 6 digits read true together there
        for d in range(3, 18):
            r = ratio_print(config, ratio, d)
            f, h, l_ = (sig_num(float(v), d) for v in ends)
            if (
                _one_count(r, f, l_)
                and follows(f, h, l_, r)
                and follows(f, h, l_)  # and the metric's and tooltip's 3 digits
                and _reads_alike(r, ratio_text)
                and all(
                    _reads_alike(t, bars["grad"][k])
                    for k, t in zip((1, config.depth, L), (f, h, l_), strict=True)
                    if k in bars["grad"]
                )
            ):
                said, first_text, hidden_text, last_text = r, f, h, l_
                break
    text = (
        f"Here ‖∂L/∂W₁‖ / ‖∂L/∂W_{L}‖ = {said} (‖∂L/∂W₁‖ = {first_text}, ‖∂L/∂W_{L}‖ = {last_text})"
    )
    if s["first_grad_norm"] == 0:
        # tanh at σ = 10, depth 50: every tanh′ = 1 − tanh² rounds to 0, the true value does not
        text += (
            ". That ‖∂L/∂W₁‖ = 0 is float64's value: the true one may be positive but lost to "
            "underflow or to derivatives that round to 0 (tanh′ = 1 − tanh² once tanh rounds to "
            "±1), so the first layer's gradient is over 1,000× smaller, not known to be 0"
        )
    floor = _roundoff_layer(result)
    noisy = roundoff_gradients(result)
    ungraded = False  # the ratio is round-off in size, not a value to grade a typed estimate
    if math.isfinite(factor) and not ({1, config.depth} & set(noisy)):
        # The factor is over the hidden layers only (layer d back to layer 1), not the ratio's
        # d-th root: at depth 2 the ratio 1.6 came with ×0.79 per hidden layer. Print the norm it
        # starts from, with digits enough that (printed ‖∂L/∂W₁‖ / it)^(1/(d - 1)) is the factor.
        text += (
            f". Across the {config.depth} hidden layers, from ‖∂L/∂W_{config.depth}‖ = "
            f"{hidden_text} back to ‖∂L/∂W₁‖, it changes about ×{factor_text} per hidden layer "
            "(geometric mean; the step from the output layer is not in it)."
        )
    else:
        text += "."
    if floor is not None:
        # "see below" only when the round-off sentence of _at_init follows: a spread of exactly 0
        # (ELU at σ = 10: every unit at exactly −1) leaves the signal factor undefined, no sentence
        signal = s["signal_factor"]
        below = " (see below)" if math.isfinite(signal) and signal <= 1 else ""
        text += (
            f" From layer {floor} on, the hidden outputs' spread at initialization is float64 "
            f"round-off{below}"
        )
        again = f"summed over the same {N_TRAIN} training points in reverse order"
        if {1, L} & set(noisy):
            worst = max(noisy[k] for k in {1, L} & set(noisy))
            # a ratio the sentence says is not the true size is no value to grade against
            ungraded = True
            text += (
                f", and the backward pass runs through those layers, so ‖∂L/∂W₁‖ / ‖∂L/∂W_{L}‖ "
                f"is round-off too ({again}, its ends change by up to {up(worst, 2)} of their "
                "size): the ratio shows only that the first layer's gradient fell to round-off, "
                "not its true size (a typed estimate is not graded against it)."
            )
        else:
            # sigmoid + batch norm, σ = 0.001, depth 50: ‖∂L/∂W₁‖ agrees to 1e-15 (its input is
            # the data), while the layers fed by round-off outputs change by up to 68 %; the
            # answer called ‖∂L/∂W₁‖ round-off and quoted ×0.648 per hidden layer from a
            # round-off ‖∂L/∂W_50‖ (audit pass 43)
            text += (
                f". ‖∂L/∂W₁‖ and ‖∂L/∂W_{L}‖ are measured: {again} they change by at most "
                f"{num(REORDER_TOL)} of their size"
            )
            if noisy:
                # the layers named as they are, not as one run from the first to the last: one
                # layer read "of 1 layer, from layer 5 to 5" (audit pass 58 c)
                text += (
                    f", while ‖∂L/∂W_{min(noisy)}‖ changes by more, up to "
                    f"{up(max(noisy.values()), 2)} of its size: round-off has entered it"
                    if len(noisy) == 1
                    else f", while the ‖∂L/∂W_k‖ of {len(noisy)} layers "
                    f"({layer_runs(noisy)}) change by more, up to "
                    f"{up(max(noisy.values()), 2)} of their size: round-off has entered them"
                ) + (
                    f"; so no per-hidden-layer factor is given, ‖∂L/∂W_{config.depth}‖ "
                    "being round-off"
                    if config.depth in noisy and math.isfinite(factor)
                    else ""
                )
            text += "."
    elif {1, L} & set(noisy):
        # linear + batch norm, He, depth 50, width 64, moons, seed 832: every spread is 1, yet
        # ‖∂L/∂W₁‖ = 1.4084e+10 is 1.539e+10 over the same rows reversed (audit pass 43)
        at = result.at_init
        again = at["grad_norm_reordered"].to_numpy(dtype=float)
        worst = max(noisy[k] for k in {1, L} & set(noisy))
        # the chart's other bars too, and the heatmap's epoch 0, which prints the same norms (at
        # the witness layer 39 changes by 15 %, more than either end; audit pass 44)
        others = {k: v for k, v in noisy.items() if k not in (1, L)}
        # the layers named as they are (linear + batch norm, He, depth 20, width 64, xor, seed
        # 3: "the chart's bars of 8 other layers, from layer 2 to 15" of layers 2, 7 to 10 and
        # 13 to 15; audit pass 58 c)
        bars = (
            (
                f", and the chart's bar of layer {min(others)}"
                if len(others) == 1
                else f", and the chart's bars of {len(others)} other layers ({layer_runs(others)})"
            )
            + f", by up to {up(max(others.values()), 2)} (the gradient heatmap's epoch 0 prints "
            "the same norms)"
            if others
            else ""
        )
        # apart in size, not only in digits (linear + batch norm, N(0, 0.01²), depth 50, width
        # 64, moons, seed 1: ‖∂L/∂W₁‖ = 4.9107e+09, 3.68e+11 reversed and 3.66e+11 in extended
        # precision; the answer called their digits "partly" round-off and graded a typed
        # estimate against the ratio 2.76e+09, 1/82 of the extended-precision 2.27e+11; audit
        # pass 50 a)
        size = any(
            sets_size(float(at["grad_norm"].iloc[k - 1]), float(again[k - 1]))
            for k in {1, L} & set(noisy)
        )
        ungraded = size
        text += (
            f" Float64 round-off moves these norms: summed over the same {N_TRAIN} training "
            f"points in reverse order, ‖∂L/∂W₁‖ is {num(float(again[0]))} and ‖∂L/∂W_{L}‖ "
            f"{num(float(again[-1]))}, changes of up to {up(worst, 2)} of their size{bars}: "
            + (
                "float64's rounding moves their size, not only their digits, so the ratio is "
                "not the network's (a typed estimate is not graded against it)"
                if size
                else "their digits are partly float64's rounding, not the network's"
            )
            + (
                ", and no per-hidden-layer factor is given"
                if math.isfinite(factor) and {1, config.depth} & set(noisy)
                else ""
            )
            + "."
        )
    key = RATIO_CLAIMS[PREDICTIONS.index(regime)]
    # the ratio a typed estimate is graded against (words.PREDICTION): not where it is float64's
    # 0, which the sentence says is not known to be the value (audit pass 46: tanh, N(0, 10²),
    # depth 50, width 4 graded a typed 0 "within a factor of 3" and a typed 1e-30 not)
    # Nor where round-off sets the ratio's size (ungraded above).
    graded = {} if s["first_grad_norm"] == 0 or ungraded else {"ratio": ratio}
    return [_fact(key, text, slot=ANSWER, answer=regime, **graded)]


# The edges of the prediction's categories (gradient_regime): a ratio printed anywhere on the page
# must fall on the same side of each as the ratio itself.
REGIME_EDGES = (1e-3, 0.1, 10.0)


def regime_side_text(ratio: float, digits: int = 3, edges: tuple = ()) -> str:
    """A first/last ratio with ``digits`` significant digits (never a fraction as a whole number),
    more until it prints on the same side of every category edge as it is: 0.09996 (10× to
    1,000× smaller) is not "0.1" beside the answer, nor 0.0009996 "0.001". Zeros are kept to the
    digits printed: "= 1.1 (‖∂L/∂W₁‖ = 0.06948, ‖∂L/∂W_4‖ = 0.06326)" read 1.098 as known to 2
    digits (GELU, Xavier, depth 3, width 64, moons, seed 64; audit pass 64 d)."""
    for d in range(digits, 18):
        text = padded(not_whole(ratio, d) if 0 < abs(ratio) < 10 else num(ratio, d), d)
        try:
            shown = Decimal(text)
        except ArithmeticError:
            return text
        if all(
            (shown > Decimal(repr(e))) - (shown < Decimal(repr(e))) == (ratio > e) - (ratio < e)
            for e in REGIME_EDGES + tuple(edges)
        ):
            return text
    return text


def ratio_print(config, ratio: float, digits: int = 3) -> str:
    """The first/last ratio as every place on the page prints it (the answer, the
    sigmoid-bound sentence, the metric, layer 1's bar tooltip): :func:`regime_side_text`, and
    with sigmoid and no batch norm also on its own side of the bound ¼^d that sigmoid_factors
    compares it with (a ratio just under ¼ is not "0.250" beside "sits at or below ¼ = 0.25")."""
    sigmoid = config.activation == "sigmoid" and not config.batch_norm
    return regime_side_text(ratio, digits, edges=(0.25**config.depth,) if sigmoid else ())


def norm_digits(config, result) -> int:
    """The significant digits of the heatmap's ‖∂L/∂W_k‖ tooltips: 3, more until the answer's
    per-hidden-layer factor follows from the epoch-0 cells of layers 1 and d as printed (cells
    of 0.00128 and 0.177 beside "×0.0073 per hidden layer" give 0.0072), and every bar's
    "÷ last layer" ratio (layer 1's is the answer's and the metric's) from the epoch-0 cells of
    its layer and the output layer (cells of 0.388 and 1.42 beside the answer's "= 0.274" give
    0.273: linear, He, depth 2, width 64, moons, seed 60564)."""
    s = result.summary
    factor, grads = s["per_layer_factor"], result.at_init["grad_norm"].to_numpy(dtype=float)
    follows = (
        gradient_regime(s["first_last_ratio"]) is not None
        and math.isfinite(factor)
        and config.depth >= 2
    )
    factor_text = per_layer_text(factor) if follows else None
    sigmoid = config.activation == "sigmoid" and not config.batch_norm
    bars = bar_texts(result.at_init, bound=sigmoid)
    relative = bars["relative"]
    layers = result.at_init["layer"].to_numpy()
    last = float(grads[-1])
    for d in range(3, 17):
        cells = [_cell_text(float(g), d) for g in grads]
        # each epoch-0 cell reads as its bar's (and the answer's) text of the same norm, the
        # longer rounding, halves up, to the shorter (defaults at seed 29: a cell of 0.0010125
        # beside a bar's 0.001012)
        if not all(
            _reads_alike(cells[i], bars["grad"][int(layer)])
            for i, layer in enumerate(layers)
            if int(layer) in bars["grad"] and math.isfinite(grads[i])
        ):
            continue
        if factor_text and not _factor_follows(factor_text, cells[0], cells[-2], config.depth):
            continue
        if (
            math.isfinite(last)
            and last > 0
            and not all(
                _follows(relative[int(layer)], cells[i], cells[-1])
                for i, layer in enumerate(layers)
                if int(layer) in relative and math.isfinite(grads[i])
            )
        ):
            continue
        return d
    return 3


def _cell_text(value: float, digits: int) -> str:
    """A heatmap cell's text as ``ui.charts.value_texts`` prints it (core.facts.tooltip_text:
    a whole value exactly, zeros kept)."""
    return tooltip_text(value, digits)


def _reads_alike(a: str, b: str) -> bool:
    """Whether two printed texts of one value read as one: the one with more decimals rounds,
    halves up, to the other ("0.2175" is not "0.217")."""
    try:
        return reads_alike(a, b)
    except ArithmeticError:  # a text that is not a number ("under 1e-300") is not compared
        return True


def _one_count(*texts: str) -> bool:
    """Whether printed numbers show one count of significant digits (a quotient and the norms it
    is read from; :func:`core.facts.at_one_precision` lets a text more than 3 digits longer
    stand, which here is a norm printed long to carry the factor, not one that must)."""
    return len({significant(t.lstrip("−-")) for t in texts}) == 1


def _follows(ratio_text: str, first_text: str, last_text: str) -> bool:
    """Whether printed first / printed last is the printed ratio."""
    try:
        return agrees(
            ratio_text, Decimal(first_text.replace(",", "")) / Decimal(last_text.replace(",", ""))
        )
    except ArithmeticError:
        return True


def per_layer_text(factor: float) -> str:
    """The answer's per-hidden-layer factor as it prints it: 2 decimals, 2 significant digits
    below 0.1 (2 decimals printed 0.0427 as "×0.04", one digit beside norms of three: sigmoid,
    He, σ = 0.001, depth 3, width 64, circles, seed 3; audit pass 65 h)."""
    return decimals(factor, 2) if factor >= 0.1 else num(factor, 2)


def _factor_follows(factor_text: str, first_text: str, hidden_text: str, depth: int) -> bool:
    """Whether (printed ‖∂L/∂W₁‖ / printed ‖∂L/∂W_d‖)^(1/(d − 1)) is the printed factor."""
    try:
        with localcontext() as context:
            context.prec = 40
            implied = (Decimal(first_text) / Decimal(hidden_text)) ** (Decimal(1) / (depth - 1))
    except ArithmeticError:
        return True
    return agrees(factor_text, implied)


def _side_of(a, b) -> int:
    return (a > b) - (a < b)


def bar_texts(at_init, *, bound: bool) -> dict:
    """The layer-gradient bar chart's tooltip texts, per layer (1 = next to the input): "grad"
    and "relative" (‖∂L/∂W_k‖ and its ratio to the last layer's, for the layers with a bar,
    ‖∂L/∂W_k‖ > 0) and, with ``bound`` (sigmoid without batch norm: the dashed σ′ bound
    ¼^(L−k) × ‖∂L/∂W_L‖ is drawn), "bound" for every layer.

    Each ratio prints on its side of the prediction's category edges (and of ¼^(L−k) with
    ``bound``; layer 1's is the answer's and the metric's text, :func:`ratio_print`); each norm
    has digits enough that its printed ratio to the last layer's printed norm is the printed ratio
    (0.000281 / 0.553 is 0.000508, not 0.000509); the answer's per-hidden-layer factor follows
    from the printed norms of layers 1 and d (bars of 0.15 and 0.2093 gave ×0.72 beside the
    answer's ×0.71: ReLU, Xavier, depth 2, width 32, moons, seed 96720); and each bound prints
    on its bar's side of it, equal to it at the output layer (a bar of 0.00199 beside a bound
    point of 0.00199 while sigmoid_factors said the ratio "sits above" ¼^d)."""
    at = at_init.reset_index(drop=True)
    layers = at["layer"].to_numpy()
    norms = at["grad_norm"].to_numpy(dtype=float)
    bounds = at["grad_norm"].iloc[-1] * at["derivative_bound"].to_numpy(dtype=float)
    last = float(norms[-1])
    with np.errstate(all="ignore"):
        whole = float(np.sqrt(np.sum(norms**2)))  # the summary's global_grad_norm
    depth = len(at) - 1
    relative = at["relative"].to_numpy(dtype=float)
    factor = _geometric_factor(relative)
    factor_text = (
        per_layer_text(factor)
        if math.isfinite(factor) and gradient_regime(float(relative[0])) is not None
        else None
    )
    shown = [i for i in range(len(at)) if norms[i] > 0]
    ratios = {
        i: regime_side_text(
            float(relative[i]), edges=(float(at["derivative_bound"].iloc[i]),) if bound else ()
        )
        if math.isfinite(relative[i])
        else num(float(relative[i]), 3)
        for i in shown
    }

    def bound_text(i: int, grad_text: str | None) -> str | None:
        b = float(bounds[i])
        if grad_text is None or not (math.isfinite(b) and math.isfinite(norms[i])):
            return num(b, 3)
        if b == norms[i]:
            return grad_text
        for d in range(3, 18):
            text = num(b, d)
            if _side_of(Decimal(grad_text), Decimal(text)) == _side_of(float(norms[i]), b):
                return text
        return None

    def under_whole(text: str) -> bool:
        return not math.isfinite(whole) or Decimal(text) <= Decimal(repr(whole))

    # the layers the ratio sentence prints (1, d and the output layer) start at the last
    # layer's count of digits; every other bar at 3, with digits added only until its own ratio
    # follows: one layer whose ratio needs a long last-layer text (its ratio 802.9999994 prints
    # "802.999999", never a fraction as a whole number) printed every bar at 7 to 12 digits
    # ("2577.095490" for layer 2: leaky ReLU, normal σ = 0.5, depth 50, width 16, xor, batch
    # norm, seed 495; audit pass 69 e)
    sentence = {0, depth - 1, len(at) - 1}
    grads: dict = {}
    for least in range(3, 18):
        grads = {i: num(float(norms[i]), 3) for i in shown}  # a norm that is not finite
        ok = True
        if math.isfinite(last) and last > 0:
            last_text = sig_num(last, least)
            for i in shown:
                g = float(norms[i])
                if g == last:
                    grads[i] = last_text
                elif math.isfinite(g):
                    for digits in range(least if i in sentence else 3, 18):
                        grads[i] = sig_num(g, digits)
                        if (
                            agrees(ratios[i], Decimal(grads[i]) / Decimal(last_text))
                            and under_whole(grads[i])
                            and (not bound or bound_text(i, grads[i]) is not None)
                        ):
                            break
                    else:
                        ok = False
            # the norms the ratio sentence prints together (layers 1, d and the output layer's)
            # at one count of significant digits, zeros kept: "‖∂L/∂W₁‖ = 0.1781, ‖∂L/∂W_2‖ =
            # 0.463" read the output layer's 0.4626 as known to 3 (ReLU, He, depth 1; audit
            # pass 63 d)
            told = [
                grads[i]
                for i in dict.fromkeys((0, depth - 1, len(at) - 1))
                if i in grads and math.isfinite(norms[i]) and i >= 0
            ]
            if any(significant(t) > significant(last_text) for t in told):
                ok = False
        first, hidden = 0, depth - 1
        if factor_text and depth >= 2 and first in grads and hidden in grads:
            ok = ok and _factor_follows(factor_text, grads[first], grads[hidden], depth)
        if bound and any(bound_text(i, grads[i]) is None for i in shown):
            ok = False
        # no layer's norm prints above the norm of all weight matrices together, which the
        # first-step sentence prints (‖∂L/∂W_51‖ = "0.5" beside a whole norm of "0.49999", where
        # 0.49998 <= 0.499992: sigmoid, N(0, 10²), depth 50, width 4, moons, seed 0; audit pass
        # 47 c)
        if math.isfinite(whole) and any(
            math.isfinite(norms[i]) and Decimal(grads[i]) > Decimal(repr(whole)) for i in shown
        ):
            ok = False
        if ok:
            break
    out = {
        "grad": {int(layers[i]): grads[i] for i in shown},
        "relative": {int(layers[i]): ratios[i] for i in shown},
    }
    if bound:
        out["bound"] = {
            int(layers[i]): bound_text(i, grads.get(i)) or num(float(bounds[i]), 17)
            for i in range(len(at))
        }
    return out


def _bound_text(bound: float, ratio: float, ratio_text: str) -> str:
    """¼^d rounded up (a bound: "at most ¼^10" is not "= 9.5e-07" for 9.537e-07) to 2
    significant digits, more until the printed ratio sits on the same side of it as the ratio
    does of ¼^d (¼^2 = 0.0625 is not "0.063" beside a ratio printed 0.0626)."""
    exact = num(bound, 17)  # ¼^d is exact in binary: itself where it is short (0.0625)
    short = [exact] if len(Decimal(exact).as_tuple().digits) <= 4 else []
    for text in short + [up(bound, d) for d in range(2, 18)]:
        shown, b = Decimal(ratio_text.replace(",", "")), Decimal(text)
        if (shown > b) - (shown < b) == (ratio > bound) - (ratio < bound):
            return text
    return text


def layer_runs(layers) -> str:
    """Layers named by their runs of consecutive numbers: "layers 2, 7 to 10 and 13 to 15", "layer
    5", never "from layer 2 to 15" for a set with gaps (audit pass 58 c)."""
    ks = sorted(int(k) for k in layers)
    runs: list[list[int]] = []
    for k in ks:
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    parts = [p for r in runs for p in ([f"{r[0]} to {r[-1]}"] if len(r) > 2 else map(str, r))]
    return f"layer {parts[0]}" if len(ks) == 1 else f"layers {listing(parts, 'and')}"


def roundoff_gradients(result) -> dict:
    """{layer: relative change} of the layers (1 = next to the input) whose ‖∂L/∂W_k‖ at
    initialization changes by more than :data:`REORDER_TOL` of itself when the same training
    points are summed in reverse order: float64 round-off, not a measured gradient."""
    at = result.at_init
    norms = at["grad_norm"].to_numpy(dtype=float)
    again = at["grad_norm_reordered"].to_numpy(dtype=float)
    out = {}
    with np.errstate(all="ignore"):
        for layer, a, b in zip(at["layer"].to_numpy(), norms, again, strict=True):
            change = abs(b - a) / a if a > 0 else (0.0 if b == a else math.inf)
            if not change <= REORDER_TOL:
                out[int(layer)] = float(change)
    return out


def _global_roundoff(result) -> str:
    """What float64 round-off does to the whole training set's weight gradient norm at
    initialization, when summing the same points in reverse order moves it by more than
    REORDER_TOL (linear + batch norm, He, depth 50, width 64, moons, seed 832: 1.03e+11, and
    1.13e+11 over the rows reversed; audit pass 43), else nothing."""
    at = result.at_init
    with np.errstate(all="ignore"):
        again = float(np.sqrt(np.sum(at["grad_norm_reordered"].to_numpy(dtype=float) ** 2)))
    g = result.summary["global_grad_norm"]
    if not (math.isfinite(g) and math.isfinite(again) and g > 0):
        return ""
    change = abs(again - g) / g
    if change <= REORDER_TOL:
        return ""
    return (
        f" Float64 round-off moves that norm: over the same {N_TRAIN} training points in "
        f"reverse order it is {num(again)}, a change of {num(change, 2)} of its size."
    )


def _moved(value: float, again: float) -> float | None:
    """The relative change of ``value`` when the same points are summed in another order, where
    it exceeds :data:`REORDER_TOL` (float64 round-off sets ``value``'s digits), else None."""
    if not (math.isfinite(value) and math.isfinite(again) and value > 0):
        return None
    change = abs(again - value) / value
    return change if change > REORDER_TOL else None


def apart_factor(value: float, again: float) -> float:
    """How many times apart two positive values are (at least 1); inf where either is not a
    positive finite number."""
    if not (math.isfinite(value) and math.isfinite(again) and value > 0 and again > 0):
        return math.inf
    return max(value / again, again / value)


def sets_size(value: float, again: float) -> bool:
    """Whether float64 round-off moves ``value``'s size, not only its digits: summed in another
    order it is :data:`ROUNDOFF_SIZE` times apart or more (a change of "0.76 of its size" is
    1.78e+09 against 4.35e+08, 4.1 times apart; 1.2e+10 in extended precision)."""
    return apart_factor(value, again) >= ROUNDOFF_SIZE


def _whose(size: bool, *, plural: bool = False, step: bool = False) -> str:
    """What round-off does to a value (or values) it moves: "its digits are partly float64's
    rounding", or, where it moves the size (:func:`sets_size`), "float64's rounding moves its
    size, not only its digits" (not "partly" of a value 75 times apart in the other order)."""
    its = "their" if plural else "its"
    if size:
        return (
            f"float64's rounding moves {its} size"
            + (" (and the step's)" if step else "")
            + f", not only {its} digits: {'they are' if plural else 'it is'} not the network's"
        )
    return (
        f"{its} digits"
        + (" (and the step's)" if step else "")
        + " are partly float64's rounding, not the network's"
    )


def _batch_roundoff(result, *, step: bool = True, name: str = "‖g_B‖") -> str:
    """What float64 round-off does to the first mini-batch's gradient norm (linear + batch
    norm, He, depth 50, width 64, moons, seed 832: ‖g_B‖ = 2.57e+09 printed as measured, and
    2.80e+09 over the same 35 points in reverse order; audit pass 44), else nothing."""
    s = result.summary
    again = s.get("first_batch_grad_norm_reordered", math.nan)
    change = _moved(s["first_batch_grad_norm"], again)
    if change is None:
        return ""
    return (
        f" Float64 round-off moves {name}: over the same {BATCH_SIZE} points in reverse order "
        f"it is {num(again)}, a change of {up(change, 2)} of its size, so "
        + _whose(sets_size(s["first_batch_grad_norm"], again), step=step)
        + "."
    )


def _sweep_roundoff(result, depths) -> str:
    """What float64 round-off does to the depth sweep's printed values (linear + batch norm,
    He, depth 50, width 64, moons, seed 832: 7.6e+05 at 50 hidden layers, and 7.0e+05 over the
    same rows in reverse order; audit pass 44), else nothing."""
    sweep = result.depth_sweep
    if "first_speed_reordered" not in sweep:
        return ""
    parts, sizes = [], []
    for row in sweep.itertuples():
        if row.depth not in depths:
            continue
        change = _moved(float(row.first_speed), float(row.first_speed_reordered))
        if change is not None:
            sizes.append(sets_size(float(row.first_speed), float(row.first_speed_reordered)))
            parts.append(
                f"at {row.depth} hidden layers with {row.setting} it is "
                f"{num(float(row.first_speed_reordered), 3)} over the same rows in reverse "
                f"order, a change of {up(change, 2)} of its size"
            )
    if not parts:
        return ""
    return (
        " Float64 round-off moves "
        + ("these values" if len(parts) > 1 else "this value")
        + ": "
        + "; ".join(parts)
        + ", so "
        + _whose(all(sizes), plural=len(parts) > 1)
        + (
            f"; where the two orders are {num(ROUNDOFF_SIZE)} or more times apart, float64's "
            "rounding moves the size too"
            if any(sizes) and not all(sizes)
            else ""
        )
        + "."
    )


def _roundoff_layer(result) -> int | None:
    """The first hidden layer (1-based) whose output spread is float64 round-off on its
    outputs' mean, or None: from there on spreads, and the gradients through them, are noise."""
    at = result.at_init
    means = np.abs(at["act_mean"].to_numpy()[:-1])
    stds = at["act_std"].to_numpy()[:-1]
    floor = ROUNDOFF_ULPS * np.finfo(float).eps * means
    hit = np.flatnonzero((means > 0) & (stds <= floor))
    return int(hit[0]) + 1 if len(hit) else None


def _percent(share: float) -> str:
    """A share as a percentage that never prints as 0, 50 or 100 % unless it is exactly that
    (beside "most", "only" and "none")."""
    return apart(100 * share, 0.0, 50.0, 100.0, digits=3)[0] + " %"


def _at_init(config, result) -> list[Fact]:
    s, at = result.summary, result.at_init
    out = []
    norms = at["grad_norm"].to_numpy()
    ratio = s["first_last_ratio"]
    if s["gradients_finite"] and not s["gradients_zero"]:
        # the norm as its bar's tooltip prints it (at 3 digits "3.27e-35" sat beside a bar's
        # "3.275e-35", which reads as 3.28e-35: tanh, N(0, 0.002²), depth 19, width 64, moons,
        # seed 855; audit pass 41)
        bars = bar_texts(at, bound=config.activation == "sigmoid" and not config.batch_norm)
        layers = at["layer"].to_numpy()

        def shown(i: int) -> str:
            return bars["grad"].get(int(layers[i])) or num(float(norms[i]))

        if norms.max() < TINY:
            out.append(
                _fact(
                    "uniformly_tiny",
                    f"Every weight matrix's gradient is tiny here (the largest ‖∂L/∂W_k‖ is "
                    f"{shown(int(np.argmax(norms)))}; the biases' need not be): "
                    "the first/last ratio cannot show a vanishing that hits all layers alike.",
                )
            )
        elif norms.min() > HUGE:
            out.append(
                _fact(
                    "uniformly_huge",
                    f"Every weight matrix's gradient is huge here (the smallest ‖∂L/∂W_k‖ is "
                    f"{shown(int(np.argmin(norms)))}): "
                    "the first/last ratio cannot show an explosion that hits all layers alike.",
                )
            )
    sigmoid = config.activation == "sigmoid" and not config.batch_norm
    if sigmoid and math.isfinite(ratio):
        bound = 0.25**config.depth
        # "below" for a ratio under the bound, not "at or below" (depth 1: 0.166 against ¼;
        # audit pass 56 c); "at" only for a ratio exactly ¼^d
        side = "above" if ratio > bound else "below" if ratio < bound else "at"
        # the ratio as the answer, the metric and the bar tooltip print it, on the bound's side
        ratio_text = ratio_print(config, ratio)
        bound_text = _bound_text(bound, ratio, ratio_text)
        # ¼^d is exact in binary: "=" where the rounded-up text is its value, else "under"
        exact = Decimal(bound_text) == Decimal(bound)
        bound_text = f"= {bound_text}" if exact else f"(under {bound_text})"
        out.append(
            _fact(
                "sigmoid_factors",
                f"σ′ ≤ ¼ at every unit, so the derivative factors alone contribute at most "
                f"¼^{config.depth} {bound_text} over "
                f"{'this 1 layer' if config.depth == 1 else f'these {config.depth} layers'}; the weight "
                f"matrices (and the layer inputs in ∂L/∂W = aᵀδ) multiply in too, so the "
                f"measured ratio {ratio_text} sits {side} it.",
                ratio=ratio,
                bound=bound,
                above=ratio > bound,
            )
        )
    if sigmoid and math.isfinite(s["saturated"]):
        share = s["saturated"]
        if share > MOSTLY:
            out.append(
                _fact(
                    "mostly_saturated",
                    f"{_percent(share)} of the hidden (unit, example) pairs are saturated at "
                    "initialization: there σ′ is under 1 % of its peak ¼, so almost nothing "
                    "passes back through them.",
                    share=share,
                )
            )
        else:
            few = (
                f"Only {_percent(share)} of the hidden (unit, example) pairs are"
                if share > 0
                else "None of the hidden (unit, example) pairs is"
            )
            out.append(
                _fact(
                    "mostly_unsaturated",
                    f"{few} saturated at initialization (σ′ under 1 % of its peak ¼), yet each "
                    "σ′ is still at most ¼.",
                    share=share,
                )
            )
    signal = s["signal_factor"]
    if math.isfinite(signal):
        stds = at["act_std"].to_numpy()[:-1]
        key, verb = ("signal_grows", "grew") if signal > 1 else ("signal_shrinks", "shrank")
        # the factor never prints as 1 when it is not, and the two spreads print apart
        first_std, last_std = apart(float(stds[0]), float(stds[-1]))
        floor = _roundoff_layer(result)
        if floor is not None and signal <= 1:
            # a spread at round-off is not a measurement: no per-layer factor from it
            mean = float(np.abs(at["act_mean"].to_numpy()[floor - 1]))
            text = (
                f"At initialization the hidden layers' output spread shrank to float64 "
                f"round-off: std {num(float(stds[0]))} in layer 1, {num(float(stds[floor - 1]))} "
                f"by layer {floor}, where the outputs are about {num(mean)} and a spread "
                f"under {ROUNDOFF_ULPS} units in their last place "
                f"({up(ROUNDOFF_ULPS * float(np.finfo(float).eps) * mean, 2)}) is round-off. "
                f"From there on the spreads ({last_std} in layer "
                f"{config.depth}) are round-off, so no per-layer factor is measured."
            )
        else:
            factor_text, first_std, last_std, _ = signal_texts(
                signal, float(stds[0]), float(stds[-1]), len(stds)
            )
            text = (
                f"At initialization the hidden layers' output spread {verb} about "
                f"×{factor_text} per layer (std {first_std} in layer 1, "
                f"{last_std} in layer "
                f"{config.depth})."
            )
        out.append(_fact(key, text, factor=signal))
    g_b, step = s["first_batch_grad_norm"], s["first_step"]
    full = config.learning_rate * s["global_grad_norm"]
    if math.isfinite(g_b):
        clipped = config.clip and g_b > config.max_norm
        if clipped:
            norm_text, cap_text = apart(g_b, config.max_norm)
            out.append(
                _fact(
                    "first_step_clipped",
                    f"The first SGD step's gradient, on a mini-batch of {BATCH_SIZE}, had norm "  # plain-format: the max norm setting
                    f"{norm_text} over all parameters; clipping scaled it down to "
                    f"{cap_text}, so the step moved them by about η × "
                    # the product itself, not the step: PyTorch's 1e-6 guard makes the step
                    # 29.9999997 at η = 1, max norm 30, and "η × 30 = 29.9999997" is false
                    f"{config.max_norm:g} = {num(config.learning_rate * config.max_norm)}."
                    + _batch_roundoff(result, step=False, name="that norm"),
                    step=step,
                    grad_norm=g_b,
                )
            )
        else:
            step_text, g_b_text = _steps(config.learning_rate, g_b, step)
            # the whole never prints below one layer's norm as the answer and the bars print
            # it (a whole of "0.000807" beside an output layer's "0.00080728"; audit pass 47 c)
            parts = bar_texts(
                result.at_init, bound=config.activation == "sigmoid" and not config.batch_norm
            )["grad"].values()
            parts = [Decimal(t.replace(",", "")) for t in parts if _finite_text(t)]
            full_text, global_text = _steps(
                config.learning_rate, s["global_grad_norm"], full, max(parts, default=None)
            )
            out.append(
                _fact(
                    "first_step",
                    f"The first SGD step, on a mini-batch of {BATCH_SIZE}, moved all parameters "
                    f"by η‖g_B‖ = {step_text} (‖g_B‖ = {g_b_text})."
                    + _batch_roundoff(result)
                    + " On the whole training set "
                    f"the weights' gradient at initialization has norm "
                    f"{global_text}: a full-batch step would move them by "
                    f"{full_text}"
                    + (
                        f" before clipping (clipping caps every step at η × {config.max_norm:g} "  # plain-format: the max norm setting
                        f"= {num(config.learning_rate * config.max_norm)})."
                        if config.clip
                        else "."
                    )
                    + _global_roundoff(result),
                    step=step,
                    grad_norm=g_b,
                )
            )
    s10, s20 = result.sigmoid_at[10.0], result.sigmoid_at[20.0]
    (s10_text, in10), (s20_text, in20) = _one_in(s10), _one_in(s20)
    out.append(
        _fact(
            "sigmoid_tail",
            f"A sigmoid unit at z = 10 passes back σ′(10) = {s10_text} of its gradient (1 "
            f"in {in10}); at z = 20, σ′(20) = {s20_text} (1 in {in20}).",
            s10=s10,
            s20=s20,
        )
    )
    sweep = result.depth_sweep.set_index(["setting", "depth"])["first_speed"]
    lo, hi = SWEEP_DEPTHS[0], SWEEP_DEPTHS[-1]
    # at the 3 digits of the depth-sweep chart's tooltips (at 2 the defaults at seed 8 printed
    # 0.0071 beside a tooltip of 0.00715, which a reader rounds to 0.0072), zeros kept as the
    # tooltips keep them: "0.0033 and 0.000137 with ReLU + He" beside "0.00579" read ReLU + He's
    # 0.00330 as known to 2 digits (audit pass 63 d)
    # each pair, which the sentence compares, at one count (core.facts.alike): "0.7348 and
    # 0.0292 with this setting" (tanh, Xavier, depth 2, η = 3, 2 epochs, seed 2), "0.00489 and
    # 249.4" (audit pass 65 h)
    parts = [
        "{} and {} with {}".format(
            *alike(float(sweep[(name, lo)]), float(sweep[(name, hi)]), digits=3), name
        )
        for name in dict.fromkeys(result.depth_sweep["setting"])
    ]
    out.append(
        _fact(
            "sweep_report",
            f"The first layer's relative step η‖∂L/∂W₁‖/‖W₁‖ of {sweep_step_words()} "
            f"at initialization (an estimate of the first SGD "
            f"update{' without clipping' if config.clip else ''}) at {lo} and at {hi} hidden "
            "layers: "
            + "; ".join(parts)
            + "."
            + (
                # ReLU + He at width 4 is exactly 0 (a layer of units all off); tanh at σ = 10 is
                # not, its tanh′ only rounds to 0
                " A 0 is float64's value: exact when a layer of ReLUs is off for every point, and "
                "otherwise a true value lost to underflow or to derivatives that round to 0 (the "
                "chart, on a log axis, has no point there)."
                if any(
                    sweep[(name, d)] == 0
                    for name in dict.fromkeys(result.depth_sweep["setting"])
                    for d in (lo, hi)
                )
                else ""
            )
            + _sweep_roundoff(result, (lo, hi)),
        )
    )
    return out


def sigmoid_text(x: float) -> str:
    """σ′ at a point as the sigmoid-tail sentence and the page's metrics print it."""
    return _one_in(x)[0]


def _one_in(x: float) -> tuple[str, str]:
    """``x`` (0 < x < 1) and 1/x for "x (1 in N)": N to 2 significant digits, and x with digits
    enough that N is 1/x of the printed x (not "4.5e-05 (1 in 22,027)", where 1/4.5e-05 = 22,222),
    3 at least, zeros kept, as the metrics and the σ′ chart's labels print it (not "σ′(10) =
    4.5e-05" beside the metric's and the chart's 4.54e-05; audit pass 64 d)."""
    n = float(num(1 / x, 2))
    n_text = f"{round(n):,}" if n < 1e6 and n == round(n) else num(n, 2)
    for d in range(3, 17):
        x_text = sig_num(x, d)
        if agrees(num(1 / x, 2), 1 / Decimal(x_text)):
            break
    return x_text, n_text


def _steps(eta: float, norm: float, step: float, floor: Decimal | None = None) -> tuple[str, str]:
    """The step η‖g‖ and the norm ‖g‖, the norm with digits enough that η × it, as printed, is
    the printed step (at η = 0.3 not "= 0.37 (‖g_B‖ = 1.23)"), and, given ``floor`` (a part of
    it as printed elsewhere, at most ``norm``), that it does not print below ``floor``. Zeros
    are kept to the digits printed: "norm 3.3e-138: a full-batch step would move them by
    3.3e-139" beside "0.00429 (‖g_B‖ = 0.0429)" read 3.30e-138 as known to 2 digits (tanh,
    N(0, 0.001²), depth 50, width 4; audit pass 63 d)."""
    step_text = padded(num(step), 3)
    for d in range(3, 18):
        norm_text = sig_num(norm, d)
        try:
            if agrees(step_text, Decimal(repr(eta)) * Decimal(norm_text)) and (
                floor is None or Decimal(norm_text) >= floor
            ):
                break
        except ArithmeticError:
            break
    return step_text, norm_text


def _spreads(first: float, last: float, factor_text: str, layers: int) -> tuple[str, str]:
    """The first and last hidden spreads, printed apart and with digits enough that the printed
    per-layer factor is the geometric mean of the printed pair, (last/first)^(1/(layers - 1))
    (not "×0.832 per layer (std 0.222 in layer 1, 0.153 in layer 3)", where √(0.153/0.222) = 0.830)."""
    d = _spread_digits(first, last, factor_text, layers)
    # zeros kept: "×0.54 per layer (std 0.18 in layer 1, 0.0525 in layer 3)" read 0.180 as known
    # to 2 digits (GELU, Xavier, depth 3, width 16, circles, seed 14; audit pass 64 d)
    return sig_num(first, d), sig_num(last, d)


def signal_texts(signal: float, first: float, last: float, layers: int):
    """signal_grows / signal_shrinks' per-layer factor and first and last spreads (and their
    digits) at one count of significant digits, zeros kept (:func:`core.facts.alike`): the
    factor at 3 digits or more, the spreads with digits enough that it follows from them
    (:func:`_spreads`). "×0.927 per layer (std 0.17902 in layer 1, 0.15396 in layer 3)" read
    the factor as known more coarsely than the spreads it comes from (sigmoid, He, σ = 0.001,
    depth 3, width 64, circles, seed 3; audit pass 65 h)."""
    found = None
    for k in range(3, 17):
        factor_text = alike(signal, 1.0, digits=k)[0]  # zeros kept: ×0.540, not ×0.54
        d = _spread_digits(first, last, factor_text, layers)
        texts = (factor_text, sig_num(first, d), sig_num(last, d), d)
        found = found or texts
        if at_one_precision(texts[:3], (signal, first, last)):
            return texts
    return found


def _spread_digits(first: float, last: float, factor_text: str, layers: int) -> int:
    """The significant digits of :func:`_spreads`."""
    for d in range(3, 17):
        d = apart_digits((first, last), d)
        first_text, last_text = num(first, d), num(last, d)
        try:
            implied = (Decimal(last_text) / Decimal(first_text)) ** (Decimal(1) / (layers - 1))
            if agrees(factor_text, implied):
                break
        except ArithmeticError:
            break
    return d


def spread_digits(result) -> int:
    """The significant digits of the heatmap's "std of the layer's outputs" tooltips: the digits
    of the signal_grows / signal_shrinks sentence's layer-1 and layer-d spreads, so the epoch-0
    cells print them as the sentence does ("grew about ×1.001 per layer (std 0.2148 in layer 1,
    0.2157 in layer 5)" beside cells of 0.215 and 0.215), or 3."""
    s, at = result.summary, result.at_init
    signal = s["signal_factor"]
    stds = at["act_std"].to_numpy()[:-1]
    if not math.isfinite(signal) or len(stds) < 2:
        return 3
    first, last = float(stds[0]), float(stds[-1])
    if _roundoff_layer(result) is not None and signal <= 1:
        return apart_digits((first, last), 3)
    return signal_texts(signal, first, last, len(stds))[3]


def loss_title(config, result) -> str:
    """The training-loss chart's title: the epochs of SGD it ran, or, when the run diverged,
    the update it stopped at (not "20 epochs of SGD" beside a curve that ends at epoch 1: ReLU,
    He, η = 3 diverged at update 5 of 80; audit pass 41)."""
    s = result.summary
    if s["diverged"]:
        planned = config.epochs * math.ceil(N_TRAIN / BATCH_SIZE)
        return f"Loss while training (SGD, diverged at update {s['updates']} of {planned})"
    # "1 epoch", not "1 epochs" (?epochs=1; audit pass 56 c)
    return f"Loss while training ({plural(config.epochs, 'epoch')} of SGD)"


def loss_digits(result) -> int:
    """The significant digits of the training-loss curve's tooltips: 3, or the digits at which
    the "fell from … to …" sentence prints its start and final losses apart, so the chart's
    first and last points do not print alike beside it ("fell from 0.6802 to 0.6799" beside
    tooltips of 0.68 and 0.68)."""
    s = result.summary
    start, final = s["start_loss"], s["final_loss"]
    if s["diverged"] or not (final < start) or gap_or_round_off(start, final)[2].startswith("0 "):
        return 3
    return apart_digits((start, final), 3)


def _training(config, result) -> list[Fact]:
    s = result.summary
    out = []
    first, last = s["first_layer_change"], s["last_layer_change"]
    until = " (up to where the run diverged)" if s["diverged"] else ""
    if math.isfinite(first) and math.isfinite(last):
        # a change of 0.996 of its size is not "1" (ReLU, depth 1, σ = 10, η = 3); both at one
        # count of significant digits, zeros kept: "W₁ moved by 2e+31 of its size …, the output
        # layer by 7.3e+31" read W₁'s as known to one digit (swish, N(0, 3²), depth 30, width
        # 32, η = 3, circles, seed 3; audit pass 64 d)
        first_text, last_text = alike(first, last, digits=2)
        text = (
            f"W₁ moved by {first_text} of its size during training{until}, the output layer "
            f"by {last_text}"
        )
        # "Barely learned" needs W1's change small in itself, not only next to the output
        # layer's: a run that blows up can move W1 by 0.63 of its size while the output layer
        # moves 860x (ReLU + He, depth 30, eta 3, 10 epochs).
        if first < FROZEN * last and first < FROZEN:
            out.append(
                _fact(
                    "first_layer_frozen",
                    (
                        f"W₁ did not change at all during training{until} (its updates were "
                        f"lost to round-off or were 0), the output layer moved by {last_text} "
                        "of its size: the first layer did not learn."
                        if first == 0
                        else text + ": the first layer barely learned."
                    ),
                    slot="training",
                )
            )
        elif first == 0 and last == 0:
            out.append(
                _fact(
                    "first_layer_moved",
                    f"Neither W₁ nor the output layer changed during training{until}: both "
                    "moved by 0 of their size.",
                    slot="training",
                )
            )
        else:
            out.append(_fact("first_layer_moved", text + ".", slot="training"))
    if not s["diverged"]:
        start, final = s["start_loss"], s["final_loss"]
        was, now, gap = gap_or_round_off(start, final)
        if final < start and gap.startswith("0 "):
            # 0.6931471805599454 to 0.6931471805599453 is one unit in the last place, not a fall
            # (linear + normal σ = 0.001 + batch norm, depth 50: W₁ never moved)
            out.append(
                _fact(
                    "loss_fell",
                    f"The training loss did not change beyond float64 round-off: {was} at "
                    f"initialization and at the end (training accuracy "
                    f"{inside_unit(s['final_accuracy'], 2)}).",
                    slot="training",
                )
            )
        elif final < start:
            # the digits the loss chart's tooltips use too (loss_digits)
            # zeros kept: "fell from 0.693 to 0.69" (PReLU, LeCun, batch norm, depth 30, width
            # 32, η = 0.1, 2 epochs, xor, seed 3; audit pass 64 d)
            was, now = (sig_num(x, loss_digits(result)) for x in (start, final))
            out.append(
                _fact(
                    "loss_fell",
                    f"The training loss fell from {was} to {now} (training "
                    f"accuracy {inside_unit(s['final_accuracy'], 2)}).",
                    slot="training",
                )
            )
        else:
            out.append(
                _fact(
                    "loss_did_not_fall",
                    f"The training loss did not fall: {alike(start, final)[0]} at "
                    f"initialization, {alike(start, final)[1]} at the end (training accuracy {inside_unit(s['final_accuracy'], 2)}).",
                    slot="training",
                )
            )
    return out


def _final_losses(rs, regime: str) -> dict:
    """The final training losses of a regime's runs that did not diverge, by clipping ("off",
    "on"), as every sentence prints them: apart, so that the report's two losses never print
    alike beside "ended higher" (0.292 and 0.292 against the 0.29216 and 0.29219 of
    clipping_hurt: η 0.03, max norm 50, moons, seed 74508)."""
    runs = [c for c in ("off", "on") if not rs.loc[(regime, c), "diverged"]]
    # at one count of digits, zeros kept: "trained without clipping too (loss 0.33); clipped
    # to 1 it ended higher (loss 11.5)" (audit pass 64 d)
    texts = alike(*(float(rs.loc[(regime, c), "final_loss"]) for c in runs))
    return dict(zip(runs, texts, strict=True))


def _ended(row, loss_text: str | None) -> str:
    if row["diverged"]:
        return f"diverged at update {row['updates']}"
    return f"ended at loss {loss_text} (training accuracy {inside_unit(row['final_accuracy'], 2)})"


def _regimes(config, result) -> list[Fact]:
    rs = result.regime_summary.set_index(["regime", "clipping"])
    out = []
    for regime in ("exploding", "vanishing"):
        off, on = rs.loc[(regime, "off")], rs.loc[(regime, "on")]
        losses = _final_losses(rs, regime)
        out.append(
            _fact(
                "regime_report",
                f"Without clipping the run {_ended(off, losses.get('off'))}; with clipping it "
                f"{_ended(on, losses.get('on'))}. At initialization the weight matrices' "
                f"gradient on the whole training set has norm {num(off['grad_norm'])} (clipping "
                "acts on each mini-batch's gradient over all parameters, biases included)."
                # the chart plots each epoch's mean mini-batch loss, which can differ a lot from
                # the final weights' loss (0.292 against 0.107, preset "Exploding, then clipped")
                + (
                    " The losses are the final weights' on the whole training set; the chart "
                    "plots each epoch's mean mini-batch loss"
                    + (
                        # the diverged run's last epoch stopped part way (audit pass 43)
                        " (the diverged run's last point: the mean up to the mini-batch whose "
                        "loss exploded)."
                        if off["diverged"] or on["diverged"]
                        else "."
                    )
                    if not (off["diverged"] and on["diverged"])
                    else ""
                ),
                slot=f"regime_{regime}",
                regime=regime,
            )
        )
    off, on = rs.loc[("exploding", "off")], rs.loc[("exploding", "on")]
    losses = _final_losses(rs, "exploding")
    eta, c = config.learning_rate, config.max_norm
    if on["diverged"]:
        out.append(
            _fact(
                "clipping_did_not_prevent",
                f"Even clipped to max norm {c:g}, the exploding net diverged (at update "  # plain-format: η and max norm, the settings
                f"{on['updates']}): steps of up to η × {c:g} = {num(eta * c)} were still too "
                f"large at η = {eta:g}.",
            )
        )
    elif off["diverged"]:
        if on["final_accuracy"] > LEARNED:
            out.append(
                _fact(
                    "clipping_rescued",
                    f"Clipping rescued the exploding net: without it the run diverged at update "  # plain-format: max norm, the setting
                    f"{off['updates']}; clipped to {c:g} it trained to loss "
                    f"{losses['on']} (training accuracy {inside_unit(on['final_accuracy'], 2)}).",
                )
            )
        else:
            out.append(
                _fact(
                    "clipping_stopped_divergence",
                    f"Clipping kept the exploding net from diverging (without it the run "  # plain-format: η and max norm, the settings
                    f"diverged at update {off['updates']}), but it did not learn: loss "
                    f"{losses['on']}, training accuracy {inside_unit(on['final_accuracy'], 2)} "
                    f"with η = {eta:g} and max norm {c:g}.",
                )
            )
    elif on["final_loss"] > off["final_loss"]:
        unclipped, clipped = losses["off"], losses["on"]
        if off["final_accuracy"] > LEARNED:
            text = (
                f"At η = {eta:g} the exploding net trained without clipping too (loss "  # plain-format: η and max norm, the settings
                f"{unclipped}); clipped to {c:g} it ended higher (loss {clipped}): clipping "
                f"caps every step at η × {c:g} = {num(eta * c)}, which can slow training down."
            )
        else:
            # "trained without clipping too" of a net that ended at chance, and "clipping can
            # slow training down" of two runs that both failed (audit pass 49 e: η 0.3, max norm
            # 100, circles, seed 1626: both at loss ln 2 = 0.6931476 and 0.6931478, training
            # accuracy 0.50, where clipping_stopped_divergence says "did not learn")
            text = (
                f"At η = {eta:g} the exploding net did not diverge without clipping either, but "  # plain-format: η and max norm, the settings
                f"it did not learn (loss {unclipped}, training accuracy "
                f"{inside_unit(off['final_accuracy'], 2)}); clipped to {c:g} it ended higher "
                f"(loss {clipped}, training accuracy {inside_unit(on['final_accuracy'], 2)})."
            )
        out.append(
            _fact(
                "clipping_hurt",
                text,
                learned=bool(off["final_accuracy"] > LEARNED),
            )
        )
    else:
        out.append(
            _fact(
                "clipping_helped",
                f"Neither exploding run diverged at η = {eta:g}; clipped to {c:g} it ended "  # plain-format: η and max norm, the settings
                # the side as measured, not "at or below" (η 0.01, max norm 10: 0.146 vs
                # 0.215; audit pass 56 c)
                + (
                    f"below the unclipped run (loss {losses['on']} vs {losses['off']})."
                    if on["final_loss"] < off["final_loss"]
                    else f"at the unclipped run's loss ({losses['on']})."
                ),
                below=bool(on["final_loss"] < off["final_loss"]),
            )
        )
    v_off, v_on = rs.loc[("vanishing", "off")], rs.loc[("vanishing", "on")]
    a, b = v_off["first_layer_change"], v_on["first_layer_change"]
    same = result.regimes[result.regimes["regime"] == "vanishing"].pivot(
        index="epoch", columns="clipping", values="train_loss"
    )
    if a == b and same["off"].equals(same["on"]):
        how = (
            "the two runs are identical: no mini-batch's gradient, over all parameters, reached "
            "the max norm"
        )
        moved = "identical"
    elif b < a:
        how = "less with clipping"
        moved = "less"
    else:
        how = (
            "more with clipping: clipping changed the whole net's path, and with it "
            "W₁'s gradients; every step was still scaled down, never up"
        )
        moved = "more"
    # "less" or "more" beside two numbers that print alike would contradict itself
    # at one count of significant digits, zeros kept: "3.1e-07 … and 6e-07 with it (more with
    # clipping …)" (swish, N(0, 3²), depth 30, width 32, η = 3, max norm 0.1, circles, seed 3;
    # audit pass 64 d)
    a_text, b_text = alike(a, b, digits=2)
    out.append(
        _fact(
            "clipping_cannot_lift",
            f"Clipping cannot lift the vanishing net's gradient: it only ever scales a gradient "  # plain-format: max norm, the setting
            f"down. Its W₁ moved by {a_text} of its size without clipping and {b_text} "
            f"with it ({how}). At initialization its weight matrices' gradient on the whole "
            # as the vanishing regime's report prints it (at 2 digits the defaults printed 0.082
            # beside that report's 0.0825)
            f"training set has norm {num(v_off['grad_norm'])}, against the max norm {c:g}; "
            "a mini-batch's gradient over all parameters, which clipping rescales, can be "
            "larger.",
            moved=moved,
        )
    )
    return out


def _finite_text(text: str | None) -> bool:
    """Whether ``text`` prints a finite number."""
    try:
        return text is not None and Decimal(text.replace(",", "")).is_finite()
    except ArithmeticError:
        return False
