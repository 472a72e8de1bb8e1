"""What an attention run shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import numpy as np

from core import attention as att
from core.experiments.attention.experiment import (
    AGREE_BELOW,
    CHECK_ENTRIES,
    CHECK_STEP,
    CHECKED,
    NEARLY_ONE_HOT,
    TRUNCATION_FACTOR,
)
from core.facts import (
    ANSWER,
    Claim,
    Claims,
    Fact,
    agrees,
    apart,
    decimals,
    estimate,
    fixed,
    listing,
    num,
    padded,
    read,
    rounded_up_half,
    se_num,
    sig_num,
    significant,
    up,
    up_below,
    within_digits,
)

# The prediction's options (words.PREDICTION): the top key's mean weight without scaling.
UNDER_HALF, MIDDLE, OVER_SATURATED = "under 0.5", "0.5 to 0.9", "over 0.9"
# The softmax is "saturated" when its top weight averages at least this much over the draws.
SATURATED = 0.9
ONE_HOT = NEARLY_ONE_HOT  # a row "puts nearly all its weight on one token" above it
# The gradient "vanishes" when the median ‖∂p/∂s‖_F without scaling is this many times smaller.
VANISHED_RATIO = 10.0
# A measured variance is consistent with theory within this many standard errors.
CONSISTENT_SE = 3.0
# Where the page shows the facts that are not notices or the answer: captions under its charts.
SCORES, WEIGHTS, HEADS, CHECK = "scores", "weights", "heads", "check"
VARIANCE, GRADIENT = "variance", "gradient"

CLAIMS = Claims(
    Claim(
        "top_weight_answer",
        "Without scaling, the top key's mean weight at the largest d_k (the prediction's "
        "answer), with scaling for comparison",
        "the bin of the measured mean: under 0.5, 0.5 to 0.9, over 0.9",
    ),
    Claim(
        "step_scores",
        "Head 1's dot products q · k and its scores: their standard deviations, and the scale",
        "always (reports the run)",
    ),
    Claim(
        "rows_sum_to_one",
        "Each row of attention weights sums to 1 in every head (the largest deviation over the "
        "heads)",
        "always (reports the run)",
    ),
    Claim(
        "causal_zero",
        "The causal mask gives every weight above the diagonal exactly 0, and t1 all its weight",
        "causal on, every weight above the diagonal == 0.0 and P[t1, t1] == 1.0 in every head",
    ),
    Claim(
        "no_mask",
        "Without a mask every token may attend to every token (the smallest weight over every "
        "head, and its head when there are several; 'positive' only when it is)",
        "causal off",
    ),
    Claim(
        "step_saturated",
        "Rows that see several tokens put over 0.99 of their weight on one: the softmax is "
        "saturated there and its Jacobian below 0.02",
        "some row with >= 2 allowed keys has a weight > 0.99 (in any head)",
    ),
    Claim(
        "step_spread",
        "No row that sees several tokens, in any head, puts over 0.99 of its weight on one (the "
        "largest weight there, and its head when there are several)",
        "every row with >= 2 allowed keys has all weights <= 0.99",
    ),
    Claim(
        "heads_concat",
        "The heads' outputs concatenated, their width, W_o's shape and the weight count",
        "always (shapes of the run)",
    ),
    Claim(
        "heads_compare",
        "Different heads attend differently: the largest difference between two heads' weights",
        "n_heads >= 2 (reports the run)",
    ),
    Claim(
        "gradients_agree",
        "k checked gradient entries agree with central differences below the 1e-6 bar, the "
        "largest error E",
        "at least one entry's relative error < 1e-6",
    ),
    Claim(
        "gradients_roundoff",
        "k entries miss the bar by no more than float64 round-off can explain: they agree "
        "within round-off",
        "rel. error >= 1e-6 and |backprop − estimate| <= the round-off bound",
    ),
    Claim(
        "gradients_truncation",
        "k entries agree within round-off plus twice the central difference's estimated "
        "truncation error",
        "rel. error >= 1e-6, beyond round-off, within it plus 2 |ĝ(2h) − ĝ(h)| / 3",
    ),
    Claim(
        "gradients_disagree",
        "k entries disagree with central differences beyond the check's error estimates",
        "an entry beyond the round-off and truncation estimates",
    ),
    Claim(
        "variance_matches",
        "Var(q · k) measured at every d_k is within 3 standard errors of d_k σ⁴ (log-log "
        "slope), and that of q · k / √d_k is σ⁴",
        "|measured − d_k σ⁴| <= 3 SE at every d_k (SE from the per-draw means)",
    ),
    Claim(
        "variance_off",
        "At some d_k the measured Var(q · k) is more than 3 standard errors from d_k σ⁴ (a "
        "rare draw)",
        "|measured − d_k σ⁴| > 3 SE at some d_k",
    ),
    Claim(
        "unscaled_saturates",
        "Without scaling the softmax saturates at the largest d_k (a mean top weight of 0.9 or "
        "more, the bar named): the top weight's mean, median and share over 0.99, and the "
        "entropy against log n",
        "mean top weight without scaling at the largest d_k >= 0.9",
    ),
    Claim(
        "unscaled_not_saturated",
        "Without scaling the top weight at the largest d_k averages under 0.9: not saturated "
        "at this setting while no draw puts over 0.99 on one key and the median is under 0.9; "
        "else the median and the share of draws over 0.99 (the median draw said to be over 0.9 "
        "where it is)",
        "mean top weight without scaling at the largest d_k < 0.9",
    ),
    Claim(
        "scaled_steady",
        "With scaling, the range of the top weight's mean and of the entropy's mean across d_k",
        "always (reports the run)",
    ),
    Claim(
        "gradient_vanishes",
        "Without scaling the median of ‖∂p/∂s‖_F over the draws at the largest d_k is at least 10× "
        "smaller than with; the means' ratio too, or both means when the mean is not smaller "
        "without scaling",
        "median with scaling >= 10 × median without",
    ),
    Claim(
        "gradient_kept",
        "Without scaling the median ‖∂p/∂s‖_F at the largest d_k is not 10× smaller than with",
        "median with scaling < 10 × median without",
    ),
    Claim(
        "jacobian_bound",
        "In every draw ‖∂p/∂s‖_F <= 2 (1 − max p): the largest measured ratio, and the draws "
        "that are one-hot to float64",
        "always (a theorem; reports the largest measured ratio)",
    ),
)


def _fact(key: str, text: str, *, slot: str = "notice", **values) -> Fact:
    return CLAIMS.fact(key, text, slot=slot, **values)


# Below this, 1 − p of a float64 weight near 1 is round-off in its leading digits (the weight is
# held to about 2e-16).
NEAR_ONE = 1e-13


def weight(p: float) -> str:
    """A weight for a sentence; one within 0.001 of 1 (but not 1) is written 1 − x."""
    if 0.999 < p < 1.0:
        return f"1 − {num(1.0 - p, 2)}"
    return num(p)


def _top_weight(p: float) -> str:
    """A statistic of top weights over draws, each a softmax over several keys, so below 1: one
    that float64 rounded to 1.0 (the other weights summed to under 2⁻⁵³ ≈ 1.1e-16) is written
    "within 1e-15 of 1", not 1. Float64 holds a weight near 1 only to about 2e-16, so a 1 − p
    under 1e-13 is round-off in its leading digits (a 90th percentile printed "1 − 4.4e-16" was
    1 − 5.0e-16 from the other weights): it is written "within 1e-13 of 1"."""
    if p == 1.0:
        return "within 1e-15 of 1"
    return "within 1e-13 of 1" if 1.0 - p < NEAR_ONE else weight(p)


def band_end_text(p: float) -> str:
    """A percentile of the top weight for the answer's "the middle 80 % of draws from A to B", as
    the top-weight chart's band tooltips print it (ui.charts.attention._top_text: 4 significant
    digits, more until on its own side of 0.5 and 0.9), so the range holds its own ends as the
    chart prints them ("from 0.0776 to 0.164" sat beside tooltips 0.07755 and 0.1645); within
    5e-5 of 1 as :func:`_top_weight` words it (the tooltip's 1 − x)."""
    if p >= 1.0 - 0.5e-4:
        return _top_weight(p)
    text = num(p, one_hot_digits(p, 4))
    for digits in range(4, 18):
        text = num(p, one_hot_digits(p, digits))
        if all((float(text) >= edge) == (p >= edge) for edge in (0.5, SATURATED)):
            break
    return text


def median_top_text(p: float) -> str:
    """The median top weight beside "over 0.99 in S % of the draws", as the top-weight chart's
    median tooltip prints it (:func:`band_end_text`: 4 significant digits, more until on its
    own side of 0.99, 0.9 and 0.5; near 1 as :func:`_top_weight` words it): a median of 0.99043
    is "0.9904", not "0.99" beside "over 0.99 in 51 %", and 0.99849 is not "0.998" beside a
    tooltip of 0.9985."""
    return band_end_text(p)


# Significant digits of the weight heatmaps' tooltips (ui.charts.attention.attention_heatmap).
WEIGHT_TIP_DIGITS = 6


def heatmap_weight_text(p: float) -> str:
    """A step-through weight (not within 5e-7 of 1) as the weight heatmaps' tooltips print it:
    WEIGHT_TIP_DIGITS significant digits, more until it prints on its own side of 0.99. The
    largest and the smallest weight the sentences name print so, not below (above) a tooltip of
    their own ("the largest such weight is 0.901" beside a tooltip 0.901385, "the smallest
    0.0569" beside 0.0569042)."""
    # num never ends in a 5 that rounding up made: a tooltip 0.6035 for 0.60349996 read as 0.604
    # beside heads_compare's "head 2 0.603"
    return num(p, one_hot_digits(p, WEIGHT_TIP_DIGITS))


def one_hot_digits(p: float, digits: int) -> int:
    """Significant digits, from ``digits`` up, at which a weight ``p`` prints on its own side of
    ONE_HOT (0.99), so a weight that step_saturated lists as "over 0.99" is not shown as "0.99" in
    a heatmap tooltip or the weighted-sum formula (0.9900004 at 6 digits, 0.993 at 2)."""
    while digits < 17 and (float(num(p, digits)) > ONE_HOT) != (p > ONE_HOT):
        digits += 1
    return digits


def on_its_side(text: str, p: float) -> bool:
    """Whether a weight ``p`` printed as ``text`` lies on its own side of ONE_HOT (0.99): over it
    exactly when ``p`` is (0.99032 is not "0.990" beside step_saturated's "over 0.99")."""
    return (float(text) > ONE_HOT) == (p > ONE_HOT)


def times(ratio: float) -> str:
    """A ratio for 'R× smaller': from 100 to a million a whole number, its 3 significant digits
    rounded down and said as a bound ("at least 1,330" rather than 1.33e+03). Not the ratio to
    its last decimal: "800,632.5× smaller" beside "10.5× smaller" printed a median of 200 draws
    to 8 digits (3.6665929e-07) so that their ratio matched (audit pass 61 h)."""
    if 100 <= ratio < 1e6:
        step = 10 ** (math.floor(math.log10(ratio)) - 2)
        return f"at least {int(ratio // step) * step:,}"
    return num(ratio)


def _share(share: float) -> str:
    """A share of the draws in percent, 2 significant digits ('71'); from 99.5 % one decimal
    (2 digits print 99.6 as '1e+02'), and '100' only when every draw counts."""
    if share >= 0.995:
        return "100" if share == 1.0 else decimals(min(100 * share, 99.9), 1)
    return num(100 * share, 2)


def _outward(x: float, digits: int, rounding: str) -> str:
    """``x`` >= 0 to ``digits`` significant digits, rounded down (ROUND_FLOOR) or up."""
    if x == 0 or not math.isfinite(x):
        return num(x, digits)
    exact = Decimal(x)
    return format(exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), rounding), "f")


def between(low: float, high: float, most: float | None = None) -> str:
    """'between a and b' for the range of values the charts' tooltips print at 4 significant
    digits, or 'at a' when the two are equal. The ends are rounded outward (a down, b up) at 3
    digits, 4 when 3 would print them alike, so every value and every tooltip's rounding of one
    lies inside: a least entropy of 2.33946 is not "between 2.34 and …" beside a tooltip's
    "2.339". Values that can be at most ``most`` (an entropy at most log n) have digits added
    until the upper end is not above it: "the entropy's between 4.84 and 4.86 nats" of 128 keys,
    whose entropy is at most log 128 ≈ 4.852 (audit pass 71 g)."""
    if low == high:
        return f"at {num(low, 4)}"  # as the tooltips print it
    digits = 3 if num(low, 3) != num(high, 3) else 4
    a, b = (_outward(low, digits, ROUND_FLOOR), _outward(high, digits, ROUND_CEILING))
    while most is not None and high <= most and float(b) > most and digits < 17:
        digits += 1
        a, b = (_outward(low, digits, ROUND_FLOOR), _outward(high, digits, ROUND_CEILING))
    return f"between {a} and {b}"


def _half_up(x: float, digits: int) -> str:
    """``x`` to ``digits`` significant digits with halves rounded up, as a reader rounds an exact
    d_k σ⁴ (64 × 0.75⁴ = 20.25 is "20.3"; float formatting rounds the binary half to "20.2")."""
    if x == 0 or not math.isfinite(x):
        return num(x, digits)
    exact = Decimal(f"{x:.15g}")  # plain-format: not printed; 2 × 0.35⁴ is 0.030012499999999998
    while True:
        place = math.floor(math.log10(abs(x))) - digits + 1
        text = num(float(exact.quantize(Decimal(1).scaleb(place), ROUND_HALF_UP)), digits)
        # never a 5 that rounding up made (16 × 1.05⁴ = 19.448 is "19.448", not "19.45"), as num
        if digits < 15 and rounded_up_half(text, float(exact)):
            digits += 1
            continue
        # never a fraction printed whole: 64 × 1.2⁴ = 132.7104 is "132.7", not "133"
        if "e+" in text and digits < 17:  # written out, as theory_text prints a whole one
            digits += 1
            continue
        if digits >= 15 or "e" in text or exact == exact.to_integral_value():
            return written_out(text)
        if Decimal(text) != Decimal(text).to_integral_value():
            return written_out(text)
        digits += 1


# Significant digits of the variance chart's tooltips (its measured variance and theory).
VARIANCE_TIP_DIGITS = 4


def written_out(text: str) -> str:
    """A variance's printed text with its digits written out and grouped, as the whole d_k σ⁴
    beside it prints ("16,384"): a measured 16,318.4 is not "1.632e+04" beside a theory of
    16,384, nor 1024 × 1.95⁴ = 14,806.2 "1.481e+04" (audit pass 62 d). Digits the e-notation
    left unsaid are not made up: the caller prints the value with digits enough for its ones
    place (an e-notation text is returned as it is)."""
    if "e" in text or abs(float(text)) < 10_000:
        return text
    return _grouped(text)


def _grouped(text: str) -> str:
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def variance_text(x: float, digits: int = VARIANCE_TIP_DIGITS) -> str:
    """A measured variance (or its SE) at ``digits`` significant digits (:func:`num`), more if
    that would print it in e-notation, written out with grouping (:func:`written_out`)."""
    text = num(x, digits)
    while "e+" in text and digits < 17:
        digits += 1
        text = num(x, digits)
    return written_out(text)


def theory_text(x: float) -> str:
    """A theoretical variance d_k σ⁴ as the variance chart's tooltips print it (ui.charts'
    value_texts at VARIANCE_TIP_DIGITS: a whole one exactly), for a sentence beside it (16 ×
    1.05⁴ = 19.448 is not "19.4" beside a tooltip of 19.45)."""
    if math.isfinite(x) and x == round(x) and abs(x) < 2**53:
        return num(int(x))
    return variance_text(x, VARIANCE_TIP_DIGITS)


def _within(value: float, se: float, theory: float) -> tuple[str, str, str]:
    """value, se and theory for "within 3 SE", with digits enough that the printed numbers
    agree with it (|value − theory| <= 3 se as printed too); at least the variance chart's
    tooltip digits, so the sentence's value and theory are the tooltips' (a measured 20.349
    printed "20.3" beside a tooltip of 20.35)."""
    # a whole d_k σ⁴ exactly, as the tooltip prints it: 1024 × 2⁴ = 16384 was "against
    # 1.638e+04" beside a tooltip of 16,384 (audit pass 60 a)
    whole = math.isfinite(theory) and theory == round(theory) and abs(theory) < 2**53
    if math.isfinite(se) and se > 0:
        # first core.facts.estimate's "value ± SE", the value to its SE's last decimal: the
        # tooltip's 4 digits printed "517.4 ± 10" at the defaults, a value a hundred times finer
        # than its error (audit pass 67 e); more digits below only where the comparison needs them
        value_text, _ = estimate(value, se)
        shown = (
            written_out(value_text.replace(",", "")),
            _se_text(se),
            theory_text(theory) if whole else _half_up(theory, VARIANCE_TIP_DIGITS),
        )
        if "e" not in shown[0]:
            v, e, t = (float(x.replace(",", "")) for x in shown)
            if abs(v - t) <= CONSISTENT_SE * e and (value == theory or shown[0] != shown[2]):
                return shown
    for d in range(VARIANCE_TIP_DIGITS, 18):
        # the SE at 2 significant digits (more only where the comparison needs them), zeros
        # kept, and the value to the SE's last decimal at least (core.facts.estimate's rule):
        # "0.2502 ± 0.00336" printed the value coarser than its error, "64.14 ± 0.808" the SE
        # at three digits, "± 0.02" at one (audit pass 63 e)
        se_text = _se_text(se, max(2, d - 2))
        value_text = variance_text(value, d)
        if _places(value_text) < _places(se_text):
            value_text = written_out(fixed(value, _places(se_text)))
        shown = (
            value_text,
            se_text,
            theory_text(theory) if whole else _half_up(theory, d),
        )
        v, e, t = (float(x.replace(",", "")) for x in shown)
        if abs(v - t) <= CONSISTENT_SE * e and (value == theory or shown[0] != shown[2]):
            return shown
    return shown


def _se_text(se: float, digits: int = 2) -> str:
    """A standard error at ``digits`` significant digits with zeros kept (core.facts.se_num),
    written out with grouping: an SE of 1333.94 is "1,300", not the "1333.9" (five digits) that
    adding digits until no e-notation printed beside "16,763.6" (audit pass 66 d)."""
    text = se_num(se, digits)  # "1,300" for 1333.94, written out and grouped
    return text if "," in text else written_out(text)


def _places(text: str) -> int:
    """How many decimals a printed number shows (0 for a whole one), its exponent counted: an
    SE of "7.2e-05" is to 6 decimals, not the 1 of its mantissa, which printed the top weight's
    mean 0.014511 as "0.01 ± 7.2e-05" (128 keys, 1000 draws, σ = 0.25, max d_k 16; audit
    pass 68 h)."""
    mantissa, _, exponent = text.replace(",", "").partition("e")
    return max(0, len(mantissa.partition(".")[2]) - int(exponent or 0))


def setting_text(x: float) -> str:
    """A slider's value as it was set, every digit of it: a link may carry one off the slider's
    grid (?sigma=0.2501), which 3 significant digits printed "σ = 0.25" beside a d_k σ⁴ of
    512 × 0.2501⁴ = 2.003, not the 2 that σ = 0.25 gives."""
    exact = Decimal(repr(float(x)))
    return next(
        (num(x, d) for d in range(1, 18) if Decimal(num(x, d)) == exact),
        num(x, 17),
    )


def _z(z: float) -> str:
    """A z beyond ±3 printed with a sign, enough decimals that it prints beyond 3, and the minus
    sign "−" the page's other sentences print ("−3.9 SE", not "-3.9 SE"; audit pass 56 a)."""
    for d in range(1, 17):
        shown = ("+" if z > 0 else "") + decimals(z, d)
        if abs(float(shown)) > CONSISTENT_SE:
            return shown.replace("-", "−", 1)
    return (("+" if z > 0 else "") + num(z, 17)).replace("-", "−", 1)


def _bounds(*values: float, digits: int = 2) -> tuple[str, ...]:
    """Values for "at most" / "up to", each rounded up (rounding up keeps their order)."""
    return tuple(up(v, digits) for v in values)


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them."""
    out = [_answer(config, result), _step_scores(config, result)]
    out += _weights(config, result)
    out += _heads(config, result)
    out += _check(result)
    out += _variance(config, result)
    out += _saturation(config, result)
    out += _gradient(config, result)
    return out


# ---- the step-through ---------------------------------------------------------------------------


def matrices(result, column: str) -> np.ndarray:
    """One column of ``result.attention`` as (heads, queries, keys): rows are head-major."""
    n = len(result.tokens)
    return result.attention[column].to_numpy().reshape(-1, n, n)


def weights(result, head: int) -> np.ndarray:
    """Head ``head``'s attention weights P (1-based head), shape (n_tokens, n_tokens)."""
    return matrices(result, "weight")[head - 1]


def allowed(result) -> np.ndarray:
    """The mask: True where a query may attend to a key, shape (n_tokens, n_tokens)."""
    return matrices(result, "allowed")[0]


def _step_scores(config, result) -> Fact:
    mask = allowed(result)
    dots, scores = matrices(result, "dot")[0][mask], matrices(result, "score")[0][mask]
    dot_sd = float(np.std(dots))
    score_sd = float(np.std(scores))
    pairs = "allowed (query, key) pairs" if config.causal else "(query, key) pairs"
    if config.scaled:
        # the dot products' SD and the scale one digit finer, and digits enough that the
        # printed SD times the printed scale rounds to the printed scores' SD (1.2467 × 0.5 =
        # 0.6233 printed "1.25" and "0.623" at 3 digits; 1.111 × 0.707 = 0.785, not "0.786",
        # at d_head = 2)
        # Trailing zeros kept (core.facts.padded): "standard deviation 2.12 ... the scores have
        # SD 0.53" read at 3 and 2 digits for 2.1200 and 0.5300 (audit pass 63 e); the scale
        # only where it is a rounding ("1/√4 = 0.5" stays)
        for digits in range(3, 16):
            dot_text = padded(num(dot_sd, digits + 1), digits + 1)
            score_text = sig_num(score_sd, digits)
            scale_text = num(result.scale, digits + 1)
            if read(scale_text) != Decimal(repr(result.scale)):
                scale_text = padded(scale_text, digits + 1)
            if agrees(score_text, Decimal(dot_text) * Decimal(scale_text)):
                break
        if result.scale == 1.0:
            # d_head = 1: the scores are the dot products, one SD printed once at one set of
            # digits (not "standard deviation 0.003298 … the scores have SD 0.0033"; audit pass 59 a)
            score_text = dot_text
        how = (
            f"multiplied by 1/√d_head = 1/√{config.d_head} {equals(result.scale, scale_text)}, "
            "the scores "
            f"have SD {score_text}"
        )
    else:
        dot_text = num(dot_sd)
        how = "unscaled, the scores are the dot products themselves"
    return _fact(
        "step_scores",
        f"Over head 1's {len(dots)} {pairs}, the dot products q · k have standard deviation "
        f"{dot_text}; {how}.",
        slot=SCORES,
        dot_sd=dot_sd,
        score_sd=score_sd,
        scale=result.scale,
    )


def _weights(config, result) -> list[Fact]:
    heads = range(1, config.n_heads + 1)
    P = np.stack([weights(result, h) for h in heads])
    mask = allowed(result)
    deviation = float(np.max(np.abs(P.sum(axis=2) - 1.0)))
    # the captions sit under head 1's maps: a number taken over every head says so, and names
    # the head it comes from (the default's "the smallest 0.0569042" and "the largest such weight
    # is 0.69518" were head 2's, beside head 1's weights of 0.0855 to 0.319)
    several_heads = config.n_heads > 1
    every_head = f" in each of the {config.n_heads} heads" if several_heads else ""
    out = [
        _fact(
            "rows_sum_to_one",
            f"Every row of P sums to 1{every_head} ("
            + (
                f"largest deviation {num(deviation, 2)}, float64 round-off"
                if deviation > 0
                else "exactly, in float64"
            )
            + "): each token's output is a weighted average of value rows.",
            slot=WEIGHTS,
            deviation=deviation,
        )
    ]
    above = ~mask
    if config.causal and np.all(P[:, above] == 0.0) and np.all(P[:, 0, 0] == 1.0):
        out.append(
            _fact(
                "causal_zero",
                "With the causal mask "
                + (
                    f"all {int(above.sum())} weights above the diagonal are"
                    if above.sum() != 1
                    else "the one weight above the diagonal is"
                )
                + " exactly 0 in every head ("
                + ("their scores were" if above.sum() != 1 else "its score was")
                + " set to −∞ before the softmax, and e^(−∞) = 0): token i mixes only the values "
                "of tokens 1 to i, and t1, which sees only itself, gives itself weight exactly 1.",
                slot=WEIGHTS,
                zeros=int(above.sum()) * config.n_heads,
            )
        )
    if not config.causal:
        smallest = float(P.min())
        h, i, j = np.unravel_index(int(np.argmin(P)), P.shape)
        where = (
            f" (head {h + 1}, query {result.tokens[i]}, key {result.tokens[j]})"
            if several_heads
            else ""
        )
        smallest_text = (
            f"every weight is positive{every_head}, the smallest {heatmap_weight_text(smallest)}"
            f"{where}"
            if smallest > 0
            else f"no weight is 0 in exact arithmetic, but the smallest{where} underflowed to 0 "
            "in float64"
        )
        out.append(
            _fact(
                "no_mask",
                "Without a mask every token may attend to every token, earlier and later: "
                f"{smallest_text}.",
                slot=WEIGHTS,
                smallest=smallest,
                head=int(h) + 1,
            )
        )
    several = mask.sum(axis=1) >= 2  # rows that see more than one token
    tops = P[:, several].max(axis=2)  # (heads, rows that see several tokens)
    rows = [
        (h + 1, result.tokens[int(np.flatnonzero(several)[r])])
        for h, r in zip(*np.nonzero(tops > ONE_HOT), strict=True)
    ]
    if rows:
        where = listing([f"{t} in head {h}" if config.n_heads > 1 else t for h, t in rows])
        counted = " (counted in every head)" if config.n_heads > 1 else ""
        # one row in the singular ("1 of the 5 rows that see several tokens put over 0.99 of
        # their weight", "1 of the 1 rows": seed 3 unscaled, one head; two tokens, causal;
        # audit pass 54)
        if tops.size == 1:
            who, puts, its, those = (
                "The one row that sees several tokens",
                "puts",
                "its",
                "that row's",
            )
        elif len(rows) == 1:
            who = f"1 of the {tops.size} rows that see several tokens{counted}"
            puts, its, those = "puts", "its", "that row's"
        else:
            who = f"{len(rows)} of the {tops.size} rows that see several tokens{counted}"
            puts, its, those = "put", "their", "those rows'"
        out.append(
            _fact(
                "step_saturated",
                f"{who} {puts} over {num(ONE_HOT)} of {its} weight on one token ({where}): the "
                "softmax is saturated there: its Jacobian has ‖∂p/∂s‖_F ≤ 2(1 − p_max) < "
                f"{num(2 * (1 - ONE_HOT), 2)}, so the gradient reaching {those} scores is under "
                f"{num(2 * (1 - ONE_HOT), 2)} times the gradient reaching {its} weights.",
                slot=WEIGHTS,
                rows=tuple(rows),
            )
        )
    else:
        largest = float(tops.max())
        h, r = np.unravel_index(int(np.argmax(tops)), tops.shape)
        row = result.tokens[int(np.flatnonzero(several)[r])]
        out.append(
            _fact(
                "step_spread",
                f"No row that sees several tokens{every_head.replace(' in each of', ', in any of')}"
                f"{',' if several_heads else ''} puts over {num(ONE_HOT)} of its weight on one "
                f"token: the largest such weight is {heatmap_weight_text(largest)}"
                + (f" (head {h + 1}, query {row})" if several_heads else "")
                + ".",
                slot=WEIGHTS,
                largest=largest,
                head=int(h) + 1,
            )
        )
    return out


def _named_cells(config, result) -> dict[tuple[int, int, int], str]:
    """The step-through weights that no_mask and step_spread name, by (head, query, key) from 0,
    as they print them (:func:`heatmap_weight_text`), so heads_compare prints a cell they name
    with the same text ("the largest such weight is 0.69518 (head 2, query t3)" beside "head 2
    0.695" of t3's attention to t2 at the defaults; audit pass 64 a)."""
    P = np.stack([weights(result, h) for h in range(1, config.n_heads + 1)])
    mask = allowed(result)
    named = {}
    if not config.causal and float(P.min()) > 0:
        cell = tuple(int(x) for x in np.unravel_index(int(np.argmin(P)), P.shape))
        named[cell] = heatmap_weight_text(float(P[cell]))
    several = mask.sum(axis=1) >= 2
    tops = P[:, several].max(axis=2)
    if tops.size and not np.any(tops > ONE_HOT):
        h, r = np.unravel_index(int(np.argmax(tops)), tops.shape)
        i = int(np.flatnonzero(several)[r])
        cell = (int(h), i, int(np.argmax(P[h, i] * mask[i])))
        named[cell] = heatmap_weight_text(float(P[cell]))
    return named


def _heads(config, result) -> list[Fact]:
    width = config.n_heads * config.d_head
    count = att.count_params(config.d_model, config.n_heads, config.d_head)
    if config.n_heads == 1:
        joined = f"One head of size d_head = {config.d_head}: its output is"
    else:
        joined = (
            f"{config.n_heads} heads of size d_head = {config.d_head}: concatenated, their "
            "outputs make"
        )
    out = [
        _fact(
            "heads_concat",
            # "an 8 × 4 matrix" at 8 tokens, not "a 8 × 4" (audit pass 56 a)
            f"{joined} {'an' if config.n_tokens == 8 else 'a'} {config.n_tokens} × {width} "
            f"matrix, and W_o ({width} × "
            f"{config.d_model}) maps it back to d_model = {config.d_model}. W_q, W_k, W_v and "
            f"W_o hold 4 × {config.n_heads} × {config.d_head} × {config.d_model} = {count:,} "
            "weights.",
            slot=HEADS,
            width=width,
            count=count,
        )
    ]
    if config.n_heads >= 2:
        P = np.stack([weights(result, h) for h in range(1, config.n_heads + 1)])

        def rest_of(h: int, i: int, j: int) -> float:
            """1 − P[h, i, j] from the row's other weights (a weight of 1 in float64 has some)."""
            return float(np.delete(P[h, i], j).sum())

        def shortfall(a: int, b: int, i: int, j: int) -> float:
            """1 − |P[a, i, j] − P[b, i, j]| without the rounding of a weight near 1."""
            hi, lo = (a, b) if P[a, i, j] > P[b, i, j] else (b, a)
            return rest_of(hi, i, j) + float(P[lo, i, j])

        # the largest difference; differences within 0.001 of 1 (which float64 may all hold as
        # 1.0) ranked by how far below 1 they really are
        best, key = (0.0, 0, 1, 0, 0), (0, 0.0)
        for a in range(config.n_heads):
            for b in range(a + 1, config.n_heads):
                diff = np.abs(P[a] - P[b])
                for i, j in zip(*np.nonzero(diff >= diff.max() - 0.001), strict=True):
                    short = shortfall(a, b, int(i), int(j)) if diff[i, j] > 0.99 else 1.0
                    cell_key = (1, -short) if short < 0.001 else (0, float(diff[i, j]))
                    if cell_key > key:
                        key, best = cell_key, (float(diff[i, j]), a, b, int(i), int(j))
        gap, a, b, i, j = best
        q, k = result.tokens[i], result.tokens[j]

        def rest(h: int) -> float:
            return rest_of(h, i, j)

        def share(h: int) -> str:
            left = rest(h)
            return f"1 − {num(left, 2)}" if 0 < left < 0.001 else weight(float(P[h, i, j]))

        hi, lo = (a, b) if P[a, i, j] > P[b, i, j] else (b, a)
        short = rest(hi) + float(P[lo, i, j])  # gap = 1 − short, without the rounding
        difference = f"1 − {num(short, 2)}" if 0 < short < 0.001 else num(gap)
        shares = {a: share(a), b: share(b)}
        # a cell no_mask or step_spread names is printed with its text there
        named = _named_cells(config, result)
        if "1 − " not in difference + shares[a] + shares[b]:
            # the two weights with the decimals of 3 significant digits of the gap, and the gap
            # as the difference of the printed weights, with decimals added until that is also
            # the gap rounded (0.9012 − 0.3076 = 0.5936: "0.901" and "0.308" would give 0.593,
            # so "0.9012", "0.3076" and "0.5936")
            places = max(0, 2 - math.floor(math.log10(gap))) if gap > 0 else 3
            small = float(P[lo, i, j])
            tiny = False
            if 0 < small < 0.5 * 10.0**-places:
                # a weight that is not 0 is not printed "0.000": decimals enough for two
                # significant digits of it, or (when that is many) its own significant digits,
                # too small to move the difference's printed digits
                need = 1 - math.floor(math.log10(small))
                places, tiny = (need, False) if need <= 8 else (places, True)
            for h in (hi, lo):
                if (h, i, j) in named and not (tiny and h == lo):
                    places = max(places, _places(named[(h, i, j)]))
            low = num(small, 2) if tiny else decimals(small, places)
            # and until each weight prints on its own side of 0.99, as step_saturated and the
            # heatmaps put it ("head 2 gives t2 0.990 of t2's attention" beside step_saturated's
            # "t2 in head 2" over 0.99 and a tooltip 0.990123)
            for extra in range(15):
                if not tiny:
                    low = decimals(small, places + extra)
                top = decimals(float(P[hi, i, j]), places + extra)
                difference = decimals(float(Decimal(top) - Decimal(low)), places + extra)
                if (
                    agrees(difference, Decimal(gap))
                    and on_its_side(top, float(P[hi, i, j]))
                    and on_its_side(low, small)
                    # and neither is a 5 that rounding up made ("head 1 gives t1 0.295" beside
                    # the heatmap's label 0.29 for 0.29487)
                    and not rounded_up_half(top, float(P[hi, i, j]))
                    and not rounded_up_half(low, small)
                ):
                    break
            if gap < 1e-4:
                # a difference this small in e-notation, at significant digits, as num and the
                # heatmaps' tooltips print such weights: its decimals wrote "0.00000000000000000
                # 000000000000000900" at n = 2 under a causal mask (audit pass 66 d)
                for digits in range(3, 18):
                    top = named.get((hi, i, j)) or sig_num(float(P[hi, i, j]), digits)
                    if not tiny:
                        low = named.get((lo, i, j)) or sig_num(small, digits)
                    difference = sig_num(float(Decimal(top) - Decimal(low)), digits)
                    if agrees(difference, Decimal(gap)) and not rounded_up_half(
                        top, float(P[hi, i, j])
                    ):
                        break
            # a weight no_mask or step_spread names keeps their text ("the smallest 0.498403
            # (head 3, query t2, key t1)" beside "head 3 0.498402566" of that cell: ?n=2&heads=4
            # &dhead=1&xsd=0.1&scale=off; audit pass 71 g), the difference at the fewest digits
            # (3 or more) that round both the gap and the printed weights' difference
            kept = [h for h in (hi, lo) if (h, i, j) in named and not (tiny and h == lo)]
            if kept and gap >= 1e-4:
                most = max(_places(named[(h, i, j)]) for h in kept)
                for extra in range(15):
                    t = named.get((hi, i, j)) or decimals(float(P[hi, i, j]), most + extra)
                    t_low = low if tiny else named.get((lo, i, j)) or decimals(small, most + extra)
                    printed = Decimal(t) - Decimal(t_low)
                    # the printed weights' difference at their decimals where it is the gap
                    # rounded, else the gap at the fewest digits that round both
                    candidates = [decimals(float(printed), _places(t))] + [
                        sig_num(gap, d) for d in range(3, 18)
                    ]
                    diff = next(
                        (c for c in candidates if agrees(c, printed) and agrees(c, Decimal(gap))),
                        None,
                    )
                    if (
                        diff is not None
                        and on_its_side(t, float(P[hi, i, j]))
                        and on_its_side(t_low, small)
                        and not rounded_up_half(t, float(P[hi, i, j]))
                        and not rounded_up_half(t_low, small)
                    ):
                        top, low, difference = t, t_low, diff
                        break
            shares = {hi: top, lo: low}
        elif "1 − " not in difference and "1 − " not in shares[lo] and P[lo, i, j] > 0:
            # one weight within 0.001 of 1 (written 1 − r) and a difference that is not: digits
            # added until the difference is what the printed weights give (1 − 4.8e-05 and
            # 0.966 give 0.034, not the 0.0336 of the unrounded weights)
            small = float(P[lo, i, j])
            places = max(2 - math.floor(math.log10(gap)), 2 - math.floor(math.log10(small)))
            for extra in range(8):
                hi_text = num(rest(hi), 2 + extra)
                # the smallest weight no_mask names keeps its text there (no "the smallest
                # 5.69308e-12" beside "head 2 gives t1 5.69e-12" of that one cell: audit pass 65 f)
                lo_text = named.get((lo, i, j)) or decimals(small, places + extra)
                gap_text = num(gap, 3 + extra)
                if (
                    agrees(gap_text, 1 - Decimal(hi_text) - Decimal(lo_text))
                    and on_its_side(lo_text, small)
                    and not rounded_up_half(lo_text, small)
                ):
                    difference, shares = gap_text, {hi: f"1 − {hi_text}", lo: lo_text}
                    break
        elif "1 − " in shares[hi] and "1 − " in shares[lo] and "1 − " not in difference:
            # both weights within 0.001 of 1: the gap is r_lo − r_hi, from the other weights
            # (a float64 difference of two weights near 1 loses digits), printed with digits
            # added until it is the difference of the printed r's (1 − 6.3e-10 and 1 − 4e-13
            # give 6.30e-10, not the 6.32e-10 of the unrounded ones)
            true = rest(lo) - rest(hi)
            found = False
            for extra in range(8):
                for hi_digits in dict.fromkeys(
                    (2, 2 + extra)
                ):  # the smaller r kept short if it can
                    hi_text = num(rest(hi), hi_digits)
                    lo_text, gap_text = num(rest(lo), 2 + extra), num(true, 2 + extra)
                    found = agrees(gap_text, Decimal(lo_text) - Decimal(hi_text))
                    if found:
                        difference = gap_text
                        shares = {hi: f"1 − {hi_text}", lo: f"1 − {lo_text}"}
                        break
                if found:
                    break
        elif difference.startswith("1 − ") and "1 − " in shares[hi] and "1 − " not in shares[lo]:
            # a difference 1 − s with one weight 1 − r and the other small: digits added until
            # s is r + the small weight as printed (1 − 1.8e-06 and 9.57e-07 give 1 − 2.757e-06,
            # so "1 − 2.8e-06", not the "1 − 2.7e-06" of the unrounded r)
            small = float(P[lo, i, j])
            for extra in range(8):
                hi_text = num(rest(hi), 2 + extra)
                if 0 < rest(hi) < small:
                    # r to the small weight's last place at least, so their sum, s, can print at
                    # the small weight's digits (below)
                    place = math.floor(math.log10(small)) - (3 + extra) + 1
                    hi_text = num(
                        rest(hi), max(2 + extra, math.floor(math.log10(rest(hi))) - place + 1)
                    )
                # zeros kept: "9.00e-48", not "9e-48" beside "1 − 3.1e-31" (audit pass 65 f)
                lo_text = named.get((lo, i, j)) or padded(num(small, 3 + extra), 3 + extra)
                short_text = num(short, 2 + extra)
                # s (r plus the small weight) that prints as the larger of the two at its digits
                # is printed as that one: "1 − 3.7e-53 (head 2 gives t1 3.748e-53 …, head 3
                # 1 − 1.4e-77)" printed one small number at 2 and 4 digits (audit pass 70 h)
                larger = hi_text if rest(hi) >= small else lo_text
                digits = max(2 + extra, significant(larger))
                if padded(num(short, digits), digits) == padded(larger, digits):
                    short_text = larger
                elif larger is lo_text:
                    # else s at the small weight's digits, zeros kept (core.facts.alike's rule):
                    # "1 − 5.5e-07 (head 1 gives t5 5.51e-07 …, head 3 1 − 4.2e-10)" printed s
                    # below the weight it contains, s = 5.514e-07 (?n=5&dmodel=16&heads=4&dhead=8
                    # &scale=off&xsd=2.5&seed=573; audit pass 71 g)
                    short_text = padded(num(short, digits), digits)
                # and the small weight never a 5 that rounding up made ("head 2 gives t1
                # 4.55e-08" beside the heatmap's tooltip 4.547349e-08)
                if agrees(short_text, Decimal(hi_text) + Decimal(lo_text)) and not rounded_up_half(
                    lo_text, small
                ):
                    difference = f"1 − {short_text}"
                    shares = {hi: f"1 − {hi_text}", lo: lo_text}
                    break
        out.append(
            _fact(
                "heads_compare",
                "Each head has its own W_q, W_k and W_v, so each can attend to different "
                f"tokens: the largest difference between two heads' weights is {difference} "
                f"(head {a + 1} gives {k} {shares[a]} of {q}'s attention, head {b + 1} "
                f"{shares[b]}).",
                slot=HEADS,
                gap=gap,
                heads=(a + 1, b + 1),
                cell=(q, k),
            )
        )
    return out


def check_texts(check) -> tuple[list[str], list[str]]:
    """Backprop's derivative and the central difference of each checked entry as the check's
    table prints them: 6 significant digits, more until the printed pair differs by no more than
    the two do (rounded up to 2 digits, as gradients_roundoff prints its bound). At 6 digits
    0.000117692 beside 0.000117691 differ by 1e-9, beside "differ by at most 3.1e-10"; and
    -0.000568293 beside -0.000568292 read as a relative error of 8.8e-07 beside the row's 8.9e-08."""
    backprop, central = [], []
    for g, c in zip(check["backprop"], check["central_difference"], strict=True):
        g, c = float(g) + 0.0, float(c) + 0.0
        digits = 6
        if math.isfinite(g) and math.isfinite(c):
            bound = Decimal(up(abs(g - c), 2)) if g != c else Decimal(0)
            digits = within_digits(g, [c], [bound])
        # trailing zeros kept, so the pair reads at one count of digits: "−2.069e-05" stood
        # beside "−2.068994e-05" (?n=8&heads=4&dhead=64&scale=off&xsd=3&causal=on, audit 69 b)
        backprop.append(sig_num(g, digits))
        central.append(sig_num(c, digits))
    return backprop, central


def check_caption() -> str:
    """The gradient check's caption: the loss, the entries nudged and the verdicts' rule, from
    the constants the verdicts use (core.gradcheck.verdicts with AGREE_BELOW and
    TRUNCATION_FACTOR). A row agrees within the truncation error when the two differ by no more
    than the round-off bound plus TRUNCATION_FACTOR times the estimate |ĝ(2h) − ĝ(h)|/3, not by
    no more than "the round-off or truncation error" alone (as gradients_truncation says it;
    the backpropagation lesson's caption was corrected so in audit pass 40)."""
    times = "twice" if TRUNCATION_FACTOR == 2 else f"{num(TRUNCATION_FACTOR)} times"
    return (
        f"L = Σ Y ⊙ G for a fixed random G, so ∂L/∂Y = G. Up to {CHECK_ENTRIES} seeded entries "
        "of each tensor, nudged by ±h (and ±2h); relative error |g − ĝ| / max(|g| + |ĝ|, 1e-8) "
        f"with h = {num(CHECK_STEP)}. A row agrees below {num(AGREE_BELOW)}, or when the two "
        "differ by no more than a bound on the check's own float64 round-off, or by no more "
        f"than that bound plus {times} its truncation error as estimated from a second step 2h "
        "(|ĝ(2h) − ĝ(h)|/3)."
    )


def _check(result) -> list[Fact]:
    check = result.check
    verdict = check["verdict"]
    out = []
    agree = check[verdict == "agree"]
    if len(agree):
        largest = float(agree["rel_error"].max())
        out.append(
            _fact(
                "gradients_agree",
                f"{len(agree)} of {len(check)} checked entries (up to {CHECK_ENTRIES} seeded "
                f"entries of each of {listing(list(CHECKED))}) "
                f"agree{'s' * (len(agree) == 1)} with central differences: "
                f"relative error at most {up_below(largest, AGREE_BELOW)}, below the bar of "
                f"{num(AGREE_BELOW)} "
                f"(float64, h = {num(CHECK_STEP)}).",
                slot=CHECK,
                count=len(agree),
                largest=largest,
            )
        )
    roundoff = check[verdict == "agree within round-off"]
    if len(roundoff):
        gap, bound = _bounds(float(roundoff["abs_error"].max()), float(roundoff["roundoff"].max()))
        out.append(
            _fact(
                "gradients_roundoff",
                f"{len(roundoff)} entr{'ies' if len(roundoff) != 1 else 'y'} "
                f"({listing(list(roundoff['entry']))}) "
                f"miss{'' if len(roundoff) != 1 else 'es'} the {num(AGREE_BELOW)} bar, but "
                f"backprop and the estimate differ by at most {gap}, within a generous bound on "
                f"float64 round-off in the central difference (up to {bound}): a gap that size can come from "
                "round-off alone, so it does not show a wrong gradient.",
                slot=CHECK,
                entries=tuple(roundoff["entry"]),
            )
        )
    truncation = check[verdict == "agree within truncation error"]
    if len(truncation):
        out.append(
            _fact(
                "gradients_truncation",
                f"{len(truncation)} entr{'ies' if len(truncation) != 1 else 'y'} "
                f"({listing(list(truncation['entry']))}) "
                f"agree{'s' * (len(truncation) == 1)} with the estimate within "
                "round-off plus twice its own truncation error h²·L‴/6, estimated from a "
                f"second step 2h as |ĝ(2h) − ĝ(h)|/3 (up to "
                f"{up(float(truncation['truncation'].max()), 2)}).",
                slot=CHECK,
                entries=tuple(truncation["entry"]),
            )
        )
    disagree = check[verdict == "disagree"]
    if len(disagree):
        out.append(
            _fact(
                "gradients_disagree",
                f"{len(disagree)} entr{'ies' if len(disagree) != 1 else 'y'} "
                f"({listing(list(disagree['entry']))}) "
                f"differ{'s' * (len(disagree) == 1)} from central differences by more "
                "than the check's own round-off and truncation estimates (relative error up "
                f"to {up(float(disagree['rel_error'].max()), 2)}).",
                slot=CHECK,
                entries=tuple(disagree["entry"]),
            )
        )
    return out


# ---- the sweep ----------------------------------------------------------------------------------


def at(result, d_k: int, scaling: str) -> dict:
    """The sweep's row for one d_k and scaling, as a dict."""
    rows = result.sweep
    keys = list(zip(rows["d_k"].tolist(), rows["scaling"].tolist(), strict=True))
    return rows.iloc[keys.index((d_k, scaling))].to_dict()


def mean_top_text(mean_top: float, n_keys: int, se: float | None = None) -> str:
    """A mean over the draws of the top key's weight, for the answer, unscaled_saturates /
    unscaled_not_saturated and the top-weight chart's mean tooltips alike: as
    :func:`band_end_text` (the tooltips' 4 significant digits, more until on its own side of 0.5
    and 0.9), with digits added until the answer's bin edges 0.9 and 0.5 and the uniform
    weights' 1/n_keys print apart from it (a mean of 0.90035 is "0.9004" in both sentences, not
    "over 0.9" in the answer and "averages 0.9" in the notice). One text for the sentences and
    the tooltip: a sentence at 3 digits beside a tooltip at 4 read as two roundings ("averages
    0.408" beside a tooltip mean of 0.4085). With its standard error ``se``, to the SE's last
    decimal at least (:func:`se_text`), so "mean ± SE" never shows the mean less precise than its
    error ("0.8776 ± 0.00546" at max d_k 16, 128 keys, 1000 draws, σ = 2; audit pass 64 a)."""
    text = band_end_text(mean_top)
    if text.startswith(("within", "1 − ")):
        return text
    edges = (0.5, SATURATED, 1 / n_keys)
    if se is not None and math.isfinite(se) and se > 0:
        # core.facts.estimate's rule: the mean to its SE's last decimal, more only where the
        # edges need them; 4 significant digits lengthened by the never-a-rounded-up-5 rule
        # printed "0.0957499 ± 0.0013", a mean a thousand times finer than its error (16 keys,
        # 100 draws, σ = 0.25, max d_k 16, seed 6; audit pass 67 e)
        places = _places(se_text(se))
        for extra in range(0, 17):
            text = fixed(mean_top, places + extra)
            shown = float(text)
            if all(
                (shown >= edge) == (mean_top >= edge) and (shown != edge or mean_top == edge)
                for edge in edges
            ):
                return text
    for digits in range(4, 18):
        text = num(mean_top, one_hot_digits(mean_top, digits))
        shown = float(text)
        if all(
            (shown >= edge) == (mean_top >= edge) and (shown != edge or mean_top == edge)
            for edge in edges
        ):
            break
    if se is not None and math.isfinite(se) and se > 0:
        places = _places(se_text(se))
        digits = significant(text)
        while _places(text) < places and digits < 17:
            digits += 1
            text = sig_num(mean_top, digits)
    return text


def se_text(se: float) -> str:
    """A top weight's standard error over the draws, as the answer and the top-weight chart's
    tooltips print it: 2 significant digits, zeros kept (:func:`core.facts.sig_num`)."""
    return se_num(se, 2)


def answer_bin(mean_top: float) -> str:
    if mean_top >= SATURATED:
        return OVER_SATURATED
    return MIDDLE if mean_top >= 0.5 else UNDER_HALF


def _answer(config, result) -> Fact:
    d = result.dims[-1]
    raw, scaled = at(result, d, "unscaled"), at(result, d, "scaled")
    mean = float(raw["max_weight_mean"])
    scaled_mean = float(scaled["max_weight_mean"])
    # as the top-weight chart's mean tooltips print them
    se = float(raw["max_weight_se"])
    shown_mean = mean_top_text(mean, config.n_keys, se)
    scaled_se = float(scaled["max_weight_se"])
    shown_scaled = mean_top_text(scaled_mean, config.n_keys, scaled_se)
    # the scaled mean is an estimate over the draws too: its SE beside it, as the unscaled
    # mean's ("0.671 ± 0.018 … give it 0.266348 on average" printed a 100-draw mean to six
    # decimals with no error; σ 0.25, d_k 1024, 4 keys, 100 draws, audit pass 69 b)
    if math.isfinite(scaled_se) and scaled_se > 0:
        shown_scaled = f"{shown_scaled} ± {se_text(scaled_se)}"
    # 1/n_keys exactly where a few digits print it (every key count the sidebar offers is a
    # power of 2: 1/128 = 0.0078125), else with digits enough to be the reader's rounding of it,
    # after "≈" (audit pass 58: "1/128 = 0.00781", "1/32 = 0.0313" printed an "=" before a
    # rounding)
    exact = Decimal(1) / Decimal(config.n_keys)
    printings = [num(1 / config.n_keys, d) for d in range(3, 18)]
    uniform = next(
        (t for t in printings if read(t) == exact),
        next((t for t in printings if agrees(t, exact)), printings[-1]),
    )
    return _fact(
        "top_weight_answer",
        f"Without scaling, at d_k = {d} the top key's weight averages {shown_mean} ± "
        f"{se_text(se)} (standard error over {config.n_draws} draws; "
        f"the middle 80 % of draws from {band_end_text(float(raw['max_weight_p10']))} to "
        f"{band_end_text(float(raw['max_weight_p90']))}). Divided by √{d}, the same scores give it "
        f"{shown_scaled} on average, against 1/{config.n_keys} {equals(1 / config.n_keys, uniform)} for uniform "
        "weights.",
        slot=ANSWER,
        answer=answer_bin(mean),
        mean=mean,
        scaled_mean=scaled_mean,
    )


def _variance(config, result) -> list[Fact]:
    v = result.variance
    last = v.iloc[-1]
    sigma4 = config.entry_std**4
    off = v[np.abs(v["z"]) > CONSISTENT_SE]
    scaled = (float(v["scaled_variance"].min()), float(v["scaled_variance"].max()))
    tail = (
        f"The fitted log-log slope is {decimals(result.slope, 3)} (theory 1). The variance of "
        f"q · k / √d_k is σ⁴ {equals(sigma4, num(sigma4))} at every d_k in theory; measured "
        # the range as between() prints it, rounded outward: "from 0.96 to" is not said beside
        # a chart tooltip's 0.9602, nor "to 1.04" beside 1.042
        + between(*scaled).replace("between ", "from ").replace(" and ", " to ")
        + "."
    )
    if off.empty:
        value, se, theory = _within(
            float(last["variance"]), float(last["se"]), float(last["theory"])
        )
        return [
            _fact(
                "variance_matches",
                f"At every d_k the measured Var(q · k) is within {num(CONSISTENT_SE)} standard "
                f"errors of d_k σ⁴ (σ = {setting_text(config.entry_std)}): at d_k = {int(last['d_k'])} it "
                f"is {value} ± {se} (one standard error; the chart's bars are ± 2) against {theory}. {tail}",
                slot=VARIANCE,
                slope=result.slope,
                scaled_range=scaled,
            )
        ]
    where = listing([f"d_k = {int(r.d_k)} ({_z(r.z)} SE)" for r in off.itertuples()])
    return [
        _fact(
            "variance_off",
            f"At {where} the measured Var(q · k) is more than {num(CONSISTENT_SE)} standard errors "
            "from d_k σ⁴: a rare draw (0.3 % per d_k if the estimate were normal; at small d_k, "
            "where (q · k)² is strongly skewed, up to a few % with few draws); another "
            f"seed gives another sample. {tail}",
            slot=VARIANCE,
            dims=tuple(int(r.d_k) for r in off.itertuples()),
            slope=result.slope,
            scaled_range=scaled,
        )
    ]


def entropy_text(nats: float) -> str:
    """An entropy, and the uniform weights' log n it is at most, as the entropy chart's tooltips
    print them (4 significant digits; its reference rule's .4g): rounding at one digit count keeps
    every printed entropy at or below the printed log n ("log 16 = 2.77" sat beside tooltips of
    2.771 to 2.773 at the preset "Small entries, no saturation"), trailing zeros kept: "averages
    4.82 nats against log 128 ≈ 4.852" read a mean of 4.8204 at 3 digits beside 4 (128 keys, 100
    draws, σ = 0.25, max d_k 16; audit pass 68 h)."""
    return sig_num(nats, 4)


def equals(value: float, text: str) -> str:
    """``= text`` where ``text`` is ``value`` exactly, else ``≈ text`` (core.quiz.is_): never
    "log 16 = 2.773" or "1/√2 = 0.7071" (audit pass 57 a), while "1/√4 = 0.5" keeps its "="."""
    from core.quiz import is_

    return is_(value, text)


def _saturation(config, result) -> list[Fact]:
    d = result.dims[-1]
    raw = at(result, d, "unscaled")
    mean, entropy = float(raw["max_weight_mean"]), float(raw["entropy_mean"])
    uniform = math.log(config.n_keys)
    first = at(result, result.dims[0], "unscaled")
    out = []
    if mean >= SATURATED:
        out.append(
            _fact(
                "unscaled_saturates",
                # the sweep's bar named: a mean of 0.9 or more, not the step-through's row over
                # 0.99 that it calls saturated (audit pass 57 a)
                f"Without scaling the softmax saturates (a mean top weight of {num(SATURATED)} "
                f"or more): at d_k = {d} the top weight averages "
                f"{mean_top_text(mean, config.n_keys, float(raw['max_weight_se']))} (median {median_top_text(float(raw['max_weight_p50']))}; over "
                f"{num(ONE_HOT)} in "
                f"{_share(float(raw['saturated_share']))} % of the draws), and the entropy "
                f"averages {entropy_text(entropy)} nats against log {config.n_keys} "
                f"{equals(uniform, entropy_text(uniform))} for uniform weights. At d_k = {result.dims[0]} the top weight averaged "
                f"{mean_top_text(float(first['max_weight_mean']), config.n_keys, float(first['max_weight_se']))}.",
                mean=mean,
                entropy=entropy,
            )
        )
    else:
        # the mean is under 0.9, yet the median draw can be past it (max d_k 16, σ = 2, 128 keys:
        # mean 0.8716, median 0.9853, 46 % of the draws over 0.99): not "not saturated" then
        # and some draws can put over 0.99 on one key, the step-through's bar for a saturated
        # row: "not saturated at this setting" was said beside 22 % of the draws over 0.99
        # (?dk=512&keys=16&sigma=0.5&draws=100), and "the median draw is saturated" of a median
        # 0.909 under that bar (audit pass 57 a)
        median = float(raw["max_weight_p50"])
        share = float(raw["saturated_share"])
        over = f"over {num(ONE_HOT)} in {_share(share)} % of the draws"
        if median >= SATURATED:
            verdict = (
                f"under {num(SATURATED)} on average, yet the median draw puts over "
                f"{num(SATURATED)} on one key (median {median_top_text(median)}; {over})"
            )
        elif share > 0:
            verdict = (
                f"under {num(SATURATED)} on average and in the median draw (median "
                f"{median_top_text(median)}), yet {over}, nearly one-hot"
            )
        else:
            verdict = f"not saturated at this setting (no draw puts over {num(ONE_HOT)} on one key)"
        out.append(
            _fact(
                "unscaled_not_saturated",
                f"Without scaling the top weight averages "
                f"{mean_top_text(mean, config.n_keys, float(raw['max_weight_se']))} at "
                f"d_k = {d}: {verdict}, where Var(q · k) = d_k σ⁴ "
                f"{equals(d * config.entry_std**4, theory_text(d * config.entry_std**4))}. The "
                f"entropy averages {entropy_text(entropy)} nats against log {config.n_keys} "
                f"{equals(uniform, entropy_text(uniform))} for uniform weights.",
                mean=mean,
                entropy=entropy,
                median=median,
            )
        )
    scaled = result.sweep[result.sweep["scaling"] == "scaled"]
    top = (float(scaled["max_weight_mean"].min()), float(scaled["max_weight_mean"].max()))
    ent = (float(scaled["entropy_mean"].min()), float(scaled["entropy_mean"].max()))
    out.append(
        _fact(
            "scaled_steady",
            f"Divided by √d_k, the top weight's mean stays {between(*top)} and the entropy's "
            f"{between(*ent, most=uniform)} nats over d_k = {result.dims[0]} to {d}.",
            top_range=top,
            entropy_range=ent,
        )
    )
    return out


def bound_ratio_text(ratio: float) -> str:
    """A ratio ‖∂p/∂s‖_F / (2(1 − max p)) as jacobian_bound prints the largest measured one: 3
    significant digits, within 0.001 of 1 written 1 − x; within NEAR_ONE of 1 held only to its
    round-off there (1 − 8.9e-15 measured for 1 − 8.7e-15), so written as that bound."""
    return f"within {num(NEAR_ONE)} of 1" if 1 - ratio < NEAR_ONE else weight(ratio)


def bound_ratio_value(text: str) -> Decimal:
    """The number a :func:`bound_ratio_text` says (its bound: "within 1e-13 of 1" is 1)."""
    if text.startswith("within"):
        return Decimal(1)
    return 1 - Decimal(text[len("1 − ") :]) if text.startswith("1 − ") else Decimal(text)


def largest_ratio_text(result) -> str:
    """The largest measured ‖∂p/∂s‖_F / (2(1 − max p)) over every draw, as jacobian_bound prints it."""
    return bound_ratio_text(float(result.sweep["bound_ratio_max"].max()))


def jacobian_digits(result) -> int:
    """The significant digits at which the gradient sentence and the jacobian chart's tooltips
    both print the medians and means of ‖∂p/∂s‖_F: the tooltips' 4, more until the sentence's
    ratios follow from the printed values ("721.002× smaller" is not 0.3048 / 0.0004228 =
    720.9, the tooltips' numbers at the default), and until a scaled median "not 10× smaller"
    prints under 10× the raw one."""
    d = result.dims[-1]
    raw, scaled = at(result, d, "unscaled"), at(result, d, "scaled")
    m_raw, m_scaled = float(raw["jacobian_p50"]), float(scaled["jacobian_p50"])
    mean_raw, mean_scaled = float(raw["jacobian_mean"]), float(scaled["jacobian_mean"])
    for digits in range(4, 18):
        try:
            med = Decimal(num(m_scaled, digits)) / Decimal(num(m_raw, digits))
            mean = Decimal(num(mean_scaled, digits)) / Decimal(num(mean_raw, digits))
        except ArithmeticError:  # a 0 (one-hot in float64): no ratio to print
            return digits
        if m_scaled >= VANISHED_RATIO * m_raw:
            mean_ratio = mean_scaled / mean_raw
            if times(float(med)) == times(m_scaled / m_raw) and (
                times(float(mean)) == times(mean_ratio)
                if mean_ratio >= VANISHED_RATIO
                # a mean not smaller without scaling is given as the two means, not a ratio
                else mean_ratio <= 1.0 or agrees(apart(mean_ratio, VANISHED_RATIO)[0], mean)
            ):
                return digits
        elif med < Decimal(repr(VANISHED_RATIO)):
            return digits
    return 17


def jacobian_text(x: float, digits: int) -> str:
    """A median or mean of ‖∂p/∂s‖_F at ``digits`` (:func:`jacobian_digits`) significant digits
    with trailing zeros kept, in the gradient sentences and the jacobian chart's tooltips alike:
    "median 0.433 without scaling against 0.433 with it (means 0.4327 and 0.433)" read 0.4330 at
    three digits beside 0.4327 at four (audit pass 63 e)."""
    return sig_num(x, digits)


def _gradient(config, result) -> list[Fact]:
    d = result.dims[-1]
    raw, scaled = at(result, d, "unscaled"), at(result, d, "scaled")
    m_raw, m_scaled = float(raw["jacobian_p50"]), float(scaled["jacobian_p50"])
    mean_raw, mean_scaled = float(raw["jacobian_mean"]), float(scaled["jacobian_mean"])
    mean_ratio = mean_scaled / mean_raw if mean_raw > 0 else math.inf
    out = []
    if m_scaled >= VANISHED_RATIO * m_raw:
        ratio = m_scaled / m_raw if m_raw > 0 else math.inf
        # the digits of the medians and means (the jacobian chart's tooltips)
        digits = jacobian_digits(result)
        if mean_ratio >= VANISHED_RATIO:
            mean_text = f"Its mean over the draws is {times(mean_ratio)}× smaller too."
        elif mean_ratio <= 1.0:
            # not "only 0.784× smaller" for a mean that is larger without scaling (Config(
            # n_keys=128, max_d_k=1024, entry_std=0.75, n_draws=100, seed=22)): the two means,
            # as the chart's tooltips print them
            mean_text = (
                "Its mean over the draws is not smaller at all: "
                f"{jacobian_text(mean_raw, digits)} without scaling against {jacobian_text(mean_scaled, digits)} "
                "with it (the draws whose top weight stays well below 1 keep a gradient: "
                "‖∂p/∂s‖_F is at least max p (1 − max p), its largest diagonal entry)."
            )
        else:
            mean_text = (
                f"Its mean over the draws is only {apart(mean_ratio, VANISHED_RATIO)[0]}× "
                "smaller: the draws whose "
                "top weight stays well below 1 keep a gradient (‖∂p/∂s‖_F is at least "
                "max p (1 − max p), its largest diagonal entry)."
            )
        # the medians as the jacobian chart's tooltips print them (jacobian_digits): their ratio
        # is the printed ratio
        raw_text, scaled_text = jacobian_text(m_raw, digits), jacobian_text(m_scaled, digits)
        out.append(
            _fact(
                "gradient_vanishes",
                # the median over an even number of draws is the mean of the middle two: no
                # draw's own value, so not "in the median draw"
                f"At d_k = {d} the median over the draws of the softmax's Jacobian ‖∂p/∂s‖_F, "
                f"the factor every gradient to the scores passes through, is {raw_text} "
                f"without scaling against {scaled_text} with it: "
                + ("exactly 0" if m_raw == 0 else f"{times(ratio)}× smaller")
                + f". {mean_text}",
                median_ratio=ratio,
                mean_ratio=mean_ratio,
            )
        )
    else:
        # printed as the tooltips print them, the scaled median stays under 10× the raw one
        digits = jacobian_digits(result)
        shown = jacobian_text(m_raw, digits), jacobian_text(m_scaled, digits)
        out.append(
            _fact(
                "gradient_kept",
                f"At d_k = {d} the median ‖∂p/∂s‖_F is {shown[0]} without scaling against "
                f"{shown[1]} with it: not {num(VANISHED_RATIO)}× smaller at this setting "
                f"(means {jacobian_text(mean_raw, digits)} and {jacobian_text(mean_scaled, digits)}).",
                medians=(m_raw, m_scaled),
            )
        )
    largest = float(result.sweep["bound_ratio_max"].max())
    one_hot = int(result.sweep["one_hot_draws"].sum())
    text = (
        "In every draw ‖∂p/∂s‖_F ≤ 2(1 − p_max) (a theorem; the largest measured ratio is "
        # a ratio within NEAR_ONE of 1 is held only to its round-off there (1 − 8.9e-15 measured
        # for 1 − 8.7e-15); 1 − 3.0e-13 is measured to its digits, so it is not "1 to round-off"
        + largest_ratio_text(result)
        + "): as the top weight nears 1 the gradient through the softmax must vanish."
    )
    if one_hot:
        text += (
            f" In {one_hot} (draw, d_k, scaling) case{'s' * (one_hot != 1)} every other weight "
            "underflowed to exactly 0: one-hot in float64, with a Jacobian of exactly 0."
        )
    out.append(_fact("jacobian_bound", text, slot=GRADIENT, largest=largest, one_hot=one_hot))
    return out
