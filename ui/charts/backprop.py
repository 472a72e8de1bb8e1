"""Charts, the computation graph (DOT) and the chain-rule formulas (LaTeX) of the backpropagation lesson."""

from __future__ import annotations

import html
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.backpropagation.claims import (
    edge_side_text,
    loss_text,
    sigmoid_prime,
    sigmoid_prime_exact,
    z_for,
)
from core.experiments.backpropagation.experiment import AGREE_BELOW
from core.facts import (
    agrees,
    apart_digits,
    minus,
    not_whole,
    num,
    padded,
    sig_num,
    up,
    up_below,
    within_digits,
)
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, _legend, finish

LAYER_COLORS = {"hidden (W1, b1)": OKABE_ITO["sky_blue"], "output (W2, b2)": OKABE_ITO["blue"]}
GRADIENT_COLOR = OKABE_ITO["vermillion"]
PREVIEW = "next N updates (preview)"
TAKEN = "steps taken"


def loss_curve(
    taken: pd.DataFrame,
    preview: pd.DataFrame,
    *,
    diverged: bool = False,
    digits: int = 4,
    remedy: str | None = "lower the learning rate",
):
    """Loss of the one training example against gradient-descent updates, on a log axis.

    ``taken`` (update, loss): the steps this session has made; ``preview`` (update, loss): what
    the next N updates from the current weights would do. Zero losses cannot sit on a log axis,
    so they are drawn at a floor instead of being dropped: 1e-32, or a power of ten below the
    smallest positive loss (a trained loss of 3.85e-34 is drawn where it is, not at 1e-32 beside
    "reach L = 3.852e-34"), named in the axis title. ``digits``: the run's
    ``loss_digits``, so the tooltips print each loss as the page's sentences do. ``remedy``: what
    the title of a diverged preview advises (None: it advises nothing), as the run's warning does
    (``claims.preview_remedy``: not "lower the learning rate" at η's least, audit pass 53 h).
    """
    frames = [taken.assign(series=TAKEN), preview.assign(series=PREVIEW)]
    data = pd.concat(frames, ignore_index=True)
    # the tooltip prints the loss itself (a 0 is not "1e-32"), as the sentences print it
    loss = data["loss"].astype(float)
    data["loss_text"] = [loss_text(float(v), digits) for v in loss]
    floor = zero_floor(loss)
    data["loss"] = np.where(loss > 0, loss, floor)
    y_title = "L = (ŷ − y)² / 2 (log scale)"
    if np.any(loss == 0):
        y_title = f"L = (ŷ − y)² / 2 (log scale; a loss of 0 drawn at {num(floor)})"
    scale = alt.Scale(domain=[TAKEN, PREVIEW], range=[COLORS["train"], OKABE_ITO["grey"]])
    base = alt.Chart(data).encode(
        x=alt.X("update:Q", title="gradient-descent updates (count)"),
        y=alt.Y("loss:Q", title=y_title, scale=alt.Scale(type="log")),
        color=alt.Color("series:N", scale=scale, legend=_legend("")),
        strokeDash=alt.StrokeDash(
            "series:N",
            scale=alt.Scale(domain=[TAKEN, PREVIEW], range=[[1, 0], [6, 3]]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("series:N"),
            alt.Tooltip("update:Q"),
            alt.Tooltip("loss_text:N", title="loss"),
        ],
    )
    lines = base.mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=20, filled=True))
    title = "Loss of the training example, update by update"
    if diverged:
        title += f" (the preview diverged: {remedy})" if remedy else " (the preview diverged)"
    return finish(lines, title=title, height=300)


def zero_floor(losses) -> float:
    """Where a loss chart on a log axis draws a loss of 0: 1e-32, or the power of ten a decade
    below the smallest positive loss when that is smaller (float64 reaches 5e-35 here)."""
    positive = [float(v) for v in losses if v > 0]
    if not positive or min(positive) > 1e-31:
        return 1e-32
    return 10.0 ** (math.floor(math.log10(min(positive))) - 1)


def gradient_bars(check: pd.DataFrame):
    """|dL/dw| per weight from backprop (bars) and from central differences (black ticks).

    ``check`` has columns weight, layer, backprop, central_difference (see
    ``core.experiments.backpropagation.check_gradients``).
    """
    backprop_texts, central_texts = check_texts(check)
    data = check.assign(
        backprop_abs=check["backprop"].abs(),
        central_abs=check["central_difference"].abs(),
        # as text (check_texts): d3's ".6g" shows a central difference of 0.9999996 as "1.00000"
        # negative numbers with the minus sign, as the check table and the sentences print them
        backprop_text=[minus(t) for t in backprop_texts],
        central_text=[minus(t) for t in central_texts],
        central_abs_text=[t.lstrip("-") for t in central_texts],
        # as the check table prints it (ui.lesson.gradient_check): an error under the bar is
        # never printed as the bar, any other at 2 digits (at 3 a tooltip's 0.000145 for
        # 0.00014497 read as 0.00015 beside the table's 0.00014, audit pass 41)
        rel_error_text=[
            up_below(e, AGREE_BELOW) if verdict == "agree" and e < AGREE_BELOW else num(e, 2)
            for e, verdict in zip(check["rel_error"], check["verdict"], strict=True)
        ],
    )
    order = list(data["weight"])
    x = alt.X(
        "weight:N", sort=order, title="parameter", axis=alt.Axis(labelAngle=-45, labelOverlap=False)
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("backprop_abs:Q", title="|∂L/∂w| (gradient magnitude)"),
            color=alt.Color(
                "layer:N",
                scale=alt.Scale(domain=list(LAYER_COLORS), range=list(LAYER_COLORS.values())),
                legend=_legend("layer"),
            ),
            tooltip=[
                alt.Tooltip("weight:N"),
                alt.Tooltip("backprop_text:N", title="backprop"),
                alt.Tooltip("central_text:N", title="central difference"),
                alt.Tooltip("rel_error_text:N", title="relative error"),
            ],
        )
    )
    ticks = (
        alt.Chart(data)
        .mark_tick(color=MARKER_COLOR, thickness=2, size=18)
        .encode(
            x=x,
            y=alt.Y("central_abs:Q"),
            tooltip=[
                alt.Tooltip("weight:N"),
                alt.Tooltip("central_abs_text:N", title="|central difference|"),
            ],
        )
    )
    return finish(
        alt.layer(bars, ticks),
        title="|∂L/∂w|: backprop (bars) vs central differences (ticks)",
        height=300,
    )


def check_texts(check: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Backprop's gradient and the central difference of each checked weight as text
    (:func:`value_text`, 6 significant digits), with digits added to both until the printed pair
    differs by no more than the two actually do (up to 2 digits rounded up, as the check's
    sentences print it): at 6 digits −1.0072e-05 beside −1.00719e-05 differ by 1e-10, beside a
    sentence "differ by at most 4.7e-11"."""
    backprop_texts, central_texts = [], []
    for g, c in zip(check["backprop"], check["central_difference"], strict=True):
        g, c = float(g), float(c)
        digits = 6
        if math.isfinite(g) and math.isfinite(c):
            bound = Decimal(up(abs(g - c), 2)) if g != c else Decimal(0)
            digits = within_digits(g, [c], [bound], text=_check_digits, most=40)
        backprop_texts.append(_check_digits(g, digits))
        central_texts.append(_check_digits(c, digits))
    return backprop_texts, central_texts


def _check_digits(v: float, digits: int) -> str:
    """:func:`value_text` up to 17 digits, past that the digits of ``v``'s exact binary value."""
    return computed_text(v, digits) if digits <= 17 else _digits(v + 0.0, digits)


def _unit_texts(units: pd.DataFrame, activation: str) -> dict[str, list[str]]:
    """Each unit's z and f′(z) for a tooltip. For sigmoid, σ′(z) = σ(z)σ(−z) at 4 digits (float64's
    a(1 − a) is 0 once a rounds to 1, and σ′ > 0), beside z with digits enough that σ′ of the
    printed z is the printed σ′ (not "z = -10.56, f′(z) = 2.596e-05" from z = -10.5584)."""
    z_texts, f_texts = [], []
    for z, f_prime in zip(units["z"], units["derivative"], strict=True):
        if activation == "sigmoid" and sigmoid_prime(float(z)) == 0:
            # σ′ underflows float64 beyond |z| ≈ 745; it is not 0
            f_text = "under 1e-300"
            z_texts.append(num(z + 0.0, 4))
        elif activation == "sigmoid":
            f_text = value_text(sigmoid_prime(float(z)), 4)  # not the peak "0.25" off z = 0
            z_texts.append(z_for(f_text, float(z)))
        else:
            f_text = num(f_prime + 0.0, 6)
            z_texts.append(num(z + 0.0, 4))
        f_texts.append(f_text)
    return {"z_text": [minus(t) for t in z_texts], "derivative_text": f_texts}


def derivative_chart(curve: pd.DataFrame, units: pd.DataFrame, activation: str):
    """The activation's derivative f'(z) with each hidden unit's current (z, f'(z)) marked.

    ``curve`` has columns z, derivative; ``units`` has unit, z, derivative. Units beyond the
    plotted range are clamped to its edge, where the derivative is already flat.
    """
    lo, hi = float(curve["z"].min()), float(curve["z"].max())
    units = units.assign(z_shown=units["z"].clip(lo, hi), **_unit_texts(units, activation))
    # relu has no derivative at its kink z = 0: [z > 0] gives 0 there by convention
    name = "σ′(z) = σ(z)(1 − σ(z))" if activation == "sigmoid" else "relu′(z) = [z > 0]"
    if activation != "sigmoid":
        name += " (0 at z = 0 by convention)"
    # the curve's f′ as value_text prints it: 0.2499994 off z = 0 is not the peak "0.25"
    curve = curve.assign(derivative_text=[value_text(float(v), 5) for v in curve["derivative"]])
    line = (
        alt.Chart(curve.assign(what=name))
        .mark_line(strokeWidth=2, color=COLORS[activation], interpolate="linear")
        .encode(
            x=alt.X("z:Q", title="pre-activation z", scale=alt.Scale(domain=[lo, hi])),
            y=alt.Y("derivative:Q", title="f′(z), the local derivative"),
            tooltip=[
                alt.Tooltip(
                    "z:Q",
                    format=".3f",  # plain-format: an input position (the z grid on x)
                ),
                alt.Tooltip("derivative_text:N", title="derivative"),
            ],
        )
    )
    points = (
        alt.Chart(units)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=alt.X("z_shown:Q"),
            y=alt.Y("derivative:Q"),
            shape=alt.Shape("unit:N", legend=_legend("hidden unit at this example")),
            color=alt.ColorValue(MARKER_COLOR),
            tooltip=[
                alt.Tooltip("unit:N"),
                alt.Tooltip("z_text:N", title="z"),
                alt.Tooltip("derivative_text:N", title="f′(z)"),
            ],
        )
    )
    return finish(
        alt.layer(line, points),
        title=f"Local derivative {name} at each hidden unit",
        height=300,
    )


# --- the forward and backward tables: every quantity with its arithmetic ---------------------------


def _n(v: float, digits: int = 4) -> str:
    """A number for a table formula: 4 significant digits (or ``digits``), negatives in parentheses."""
    text = _digits(v + 0.0, digits)  # + 0.0 turns -0.0 (a dead ReLU's gradient) into 0
    return f"({text})" if v < 0 else text


def _operands(
    value: float, combine, *values: float, least: int = 4, typed: tuple[int, ...] = ()
) -> list[str]:
    """``values`` for a table row whose value column shows ``value`` (:func:`value_text`): 4
    digits, more when the printed operands would not give the printed value (cancellation: with
    4 digits "1.755·5.279 + 8.886·(−1.041)" gives 0.014319 beside a value 0.016678).

    The computed operands keep their trailing zeros to the row's digits, as :func:`computed_text`
    prints them: W1[1,1] = 1.3345001 at 7 digits is "1.334500", not "1.3345" beside
    "(−2.613549)" in one row (x = (4.6, −4.9), y = 2.8, seed 66, scale 3.9; audit pass 70 f).
    The operands at positions ``typed`` (the inputs x and the target y) print as typed, and a
    whole value (a bias of exactly 0) stays as it is."""
    digits = _matching_digits(value_text(value), combine, values, least)
    texts = []
    for k, v in enumerate(values):
        text = _n(v, digits)
        if k not in typed and math.isfinite(v) and v != round(v):
            text = padded(text.strip("()"), digits)
            text = f"({text})" if v < 0 else text
        texts.append(text)
    return texts


def _float64_note(value: float, combine, texts: list[str]) -> str:
    """ " in float64 (exactly …)" where no digits of the printed operands give the printed value:
    float64 rounds a sum (a trained ŷ is 1.9999999999999998 where its exact terms give
    1.99999999999999970510), so the row says where its value comes from."""
    exact = combine(*(Decimal(t.strip("()")) for t in texts))
    return "" if agrees(value_text(value), exact) else f" in float64 (exactly {_exact_text(exact)})"


def _honest(value: float, printed: Decimal) -> bool:
    """Whether ``printed`` does not show ``value`` as a bound it does not reach: a whole number
    (1 for a = σ(z) = 0.99999987, −513 for −512.976) or σ′'s peak 0.25 for a value just below."""
    if printed == Decimal(value):
        return True
    return printed != printed.to_integral_value() and not (0.24 < value < 0.25 <= printed)


def _exact_text(value: Decimal, digits: int = 17) -> str:
    """An exact Decimal (a sum of printed operands) to ``digits`` significant digits, halves up
    as :func:`core.facts.num` rounds a float, more while it would print as a whole number it is
    not; one with no more digits prints in full. Going through a float would round it again."""
    if not value.is_finite() or len(value.as_tuple().digits) <= digits:
        return str(value)
    with localcontext() as context:
        context.prec = 60  # quantize keeps at most the context's precision (28 by default)
        for d in range(digits, 41):
            text = value.quantize(Decimal(1).scaleb(value.adjusted() - d + 1), ROUND_HALF_UP)
            if text != text.to_integral_value():
                break
    return str(text)


def _digits(v: float, digits: int) -> str:
    """``v`` at ``digits`` significant digits: :func:`core.facts.num` up to 17, past that the
    digits of its exact binary value (0.99999999999999977796 for a trained ŷ)."""
    return num(v, digits) if digits <= 17 else _exact_text(Decimal(v), digits)


def _matching_digits(shown: str, combine, values, least: int = 4) -> int:
    """The fewest significant digits (4 or more) at which ``combine`` of the printed ``values``
    rounds to the printed result ``shown``, and no value prints as a whole number it is not (an
    activation a = σ(z) = 0.99999987 as 1) or as σ′'s peak 0.25 (:func:`_honest`). Past 17 digits the printed values are their
    exact binary values: a trained ŷ = 0.99999999999999977796 beside y = 1 gives ŷ − y =
    −2.22045e-16, which 17 digits (0.99999999999999978) do not. If none match (float64's
    round-off in a sum), 17."""
    if not all(math.isfinite(v) for v in values):
        return 4
    for digits in range(least, 41):
        printed = [Decimal(_digits(v + 0.0, digits)) for v in values]
        if agrees(shown, combine(*printed)) and all(
            _honest(v, p) for v, p in zip(values, printed, strict=True)
        ):
            return digits
    return 17


def value_text(v: float, digits: int = 6) -> str:
    """A table value at ``digits`` significant digits, more while it would print as a whole number
    it is not: a saturated a = σ(z) = 0.99999987 is not 1, and a trained ŷ = 1.9999999999999998
    is not the target 2 (beside a loss of 2.5e-32); nor a value just below 1/4 (a sigmoid's σ′
    off z = 0) as the peak 0.25, or just below the saturation bar 0.0025 as the bar. Text with an exponent is left as it is."""
    if not math.isfinite(v):
        return str(v)
    text = num(v + 0.0, digits)
    if "e" in text:
        return text
    # σ′(z) = a(1 − a) < 1/4 off z = 0 is not printed as its peak 0.25 (0.2499994 at z = 0.0025),
    # nor a saturated σ′ < 0.0025 as the saturation bar 0.0025 (claims.edge_side_text)
    return edge_side_text(v, not_whole, digits)


def computed_text(v: float, digits: int = 6) -> str:
    """A computed value (an activation, a weight, a gradient) as :func:`value_text` prints it, with
    trailing zeros kept to ``digits`` significant digits, so values printed side by side at one
    count of digits read alike: ∂L/∂W1[2,3] = −3.300269e−05 at 4 digits is "−3.300e−05", not
    "−3.3e−05" beside "3.098e−05" in one LaTeX block (x = (4.6, −4.9), y = 2.8, seed 66, scale
    3.9, audit pass 69 b). A whole value (relu′ = 1, a dead unit's 0) is exact and stays as it is;
    the typed inputs x and y print as typed (:func:`value_text`)."""
    text = value_text(v, digits)
    if not math.isfinite(v) or v == round(v):
        return text
    return padded(text, digits)


def _sigmoid_prime_digits(z: float, digits: int) -> int:
    """Significant digits for σ′(z) itself in a note: ``digits``, fewer (not below 2) until σ′ of
    z as the forward table prints it (:func:`value_text`) rounds to the same text (σ′(33.2737) is
    3.54336e-15, so σ′(33.27371…) = 3.54319e-15 is written 3.543e-15 beside it)."""
    value, shown_z = sigmoid_prime(z), Decimal(value_text(z))
    for d in range(digits, 1, -1):
        if agrees(num(value, d), sigmoid_prime_exact(shown_z)):
            return d
    return 2


def _exact_sigmoid_prime(z: float, digits: int = 3) -> str:
    """σ′(z) itself, where float64's a(1 − a) is not (a = σ(z) rounded to 1, or near it), with
    digits that also follow from z as the forward table prints it."""
    value = sigmoid_prime(z)
    return num(value, _sigmoid_prime_digits(z, digits)) if value > 0 else "under 1e-300"


def _float_sigmoid_prime_off(f_prime: float, z: float, digits: int) -> bool:
    """Whether float64's a(1 − a), printed at ``digits`` significant digits, is not σ′(z): once
    a = σ(z) is near 1, 1 − a keeps only the digits a's 16 leave (z ≳ 24 at 6 digits)."""
    # compared as printed: num drops trailing zeros, so "2.635e-12" for a(1 − a) = 2.635003e-12
    # at 6 digits "agreed" with σ′ = 2.634952e-12 at 4, and the row printed it as f′ with no note
    # beside the sentence's σ′ = 2.63e-12 (audit pass 42)
    return f_prime > 0 and num(f_prime, digits) != num(sigmoid_prime(float(z)), digits)


def update_table(table: pd.DataFrame, learning_rate: float) -> tuple[pd.DataFrame, str]:
    """The one-update table (weight, before, gradient, step, after) as text, and η as text.

    η is printed in full (its shortest round-trip form). In each row after and step are printed
    at 6 significant digits or more, before and gradient at as many as step or more, with digits
    added until the printed step is −η·gradient and the printed after is both before −
    η·gradient and before + step, from the printed numbers (Streamlit's default of 4 decimals
    showed "3.3571" and "−634.6635" beside an after of "−631.3063")."""
    eta = repr(learning_rate + 0.0)
    lr = Decimal(eta)

    def shown(x: float, digits: int) -> str:
        # zeros kept to the row's digits: an after of −0.222900339 printed "−0.2229" beside
        # "−0.168474879" (audit pass 68 g)
        return sig_num(x + 0.0, digits)

    def steps(values, step_digits: int, gradient_digits: int) -> bool:
        g = Decimal(num(values[1] + 0.0, gradient_digits))
        return agrees(shown(values[2], step_digits), -lr * g)

    def afters(values, after_digits, step_digits, gradient_digits, before_digits) -> bool:
        before, gradient, step, after = values
        b = Decimal(num(before + 0.0, before_digits))
        g = Decimal(num(gradient + 0.0, gradient_digits))
        shown_after = shown(after, after_digits)
        return agrees(shown_after, b - lr * g) and agrees(
            shown_after, b + Decimal(shown(step, step_digits))
        )

    # each row at the fewest digits at which it holds, rows sharing a gradient (and so a step)
    # at the fewest at which all of them hold: W1[1,1]'s and b1[1]'s step where x1 = 1 printed
    # "0.005342775" and "0.00534278" in one column (audit pass 67 h). Before and gradient each
    # at as many as the step or more, each at its own fewest: one count for both printed W2[3]'s
    # before at 9 digits, "−0.168474879", where 6 show the update (x = (3.6, −0.3), y = −2,
    # seed 15, scale 0.4, η = 0.05; audit pass 68 g)
    values = table[["before", "gradient", "step", "after"]].to_numpy(dtype=float) + 0.0

    def fewest(group) -> tuple[int, int, int, int]:
        group = [v for v in group if all(math.isfinite(x) for x in v)]
        return next(
            (
                (r, t, e, f)
                for r in range(6, 18)
                for t in range(6, 18)
                if all(r == t or v[3] != v[2] for v in group)  # after = step where before = 0
                for e in range(t, 18)
                if all(steps(v, t, e) for v in group)
                for f in range(t, 18)
                if all(afters(v, r, t, e, f) for v in group)
            ),
            (17, 17, 17, 17),
        )

    shared = {}
    for v in values:
        shared.setdefault(v[1], []).append(v)
    digits = {g: fewest(group) for g, group in shared.items()}
    rows = []
    for b, g, s, a in values:
        r, t, e, f = digits[g]
        rows.append((shown(b, f), shown(g, e), shown(s, t), shown(a, r)))
    out = pd.DataFrame(rows, columns=["before", "gradient", "step", "after"])
    out.insert(0, "weight", list(table["weight"]))
    return out, eta


def _product(*values: Decimal) -> Decimal:
    out = Decimal(1)
    for v in values:
        out *= v
    return out


def _dot_plus(*values: Decimal) -> Decimal:
    """a1·b1 + a2·b2 + … + c: pairs of factors, then a last term."""
    *pairs, last = values
    return sum((pairs[k] * pairs[k + 1] for k in range(0, len(pairs), 2)), Decimal(0)) + last


def _activation(name: str):
    if name == "sigmoid":
        return lambda z: 1 / (1 + (-z).exp())
    return lambda z: max(z, Decimal(0))


def forward_table(params, fwd, activation: str) -> pd.DataFrame:
    """Every forward quantity with the arithmetic that produced it: (quantity, computation, value).

    Each computation's numbers carry the digits its value (shown at 6 digits) needs to follow."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"][:, 0], params["b2"][0]
    f = "σ" if activation == "sigmoid" else "relu"
    rows = []
    for j in range(3):
        x1, w1, x2, w2, b = _operands(
            fwd.z[j], _dot_plus, fwd.x[0], W1[0, j], fwd.x[1], W1[1, j], b1[j], typed=(0, 2)
        )
        note = _float64_note(fwd.z[j], _dot_plus, [x1, w1, x2, w2, b])
        rows.append(
            (
                f"z{j + 1} = x·W1[:,{j + 1}] + b1[{j + 1}]",
                f"{x1}·{w1} + {x2}·{w2} + {b}{note}",
                fwd.z[j],
            )
        )
    for j in range(3):
        z = fwd.z[j] + 0.0
        # z at its own row's 6 digits or more: "relu(−10.56)" stood under z2's "−10.5584"
        # (audit pass 67 h)
        shown = num(z, 6)
        for digits in range(6, 18):
            shown = num(z, digits)
            if float(shown) != z and float(shown) == round(float(shown)):
                continue  # z = 1.99999 is not σ(2)'s argument
            if agrees(value_text(fwd.a[j]), _activation(activation)(Decimal(shown))):
                computation = f"{f}({shown})"
                break
        else:
            # float64's σ(z) near 1 can be off in the last of the 16 digits value_text shows
            # (σ(36.662794771844077) = 0.99999999999999988 computed 0.9999999999999998)
            exact = _activation(activation)(Decimal(shown))
            computation = f"{f}({shown}) in float64; {f}(z{j + 1}) itself is {_exact_text(exact)}"
        rows.append((f"a{j + 1} = {f}(z{j + 1})", computation, fwd.a[j]))
    # a and ŷ from their rows' 6 digits, as the value column prints them
    texts = _operands(
        fwd.y_hat, _dot_plus, *(v for j in range(3) for v in (fwd.a[j], W2[j])), b2, least=6
    )
    terms = " + ".join(f"{texts[2 * j]}·{texts[2 * j + 1]}" for j in range(3))
    note = _float64_note(fwd.y_hat, _dot_plus, texts)
    rows.append(("ŷ = a·W2 + b2", f"{terms} + {texts[6]}{note}", fwd.y_hat))
    y_hat, y = _operands(
        fwd.loss, lambda a, b: (a - b) ** 2 / 2, fwd.y_hat, fwd.y, least=6, typed=(1,)
    )
    rows.append(("L = (ŷ − y)² / 2", f"({y_hat.strip('()')} − {y})² / 2", fwd.loss))
    return pd.DataFrame(rows, columns=["quantity", "computation", "value"])


def backward_table(params, fwd, bwd, activation: str) -> pd.DataFrame:
    """Every derivative, output to input, with its chain-rule product and the numbers in it.

    Columns: quantity, chain_rule, numbers, value. The numbers carry the digits the value (shown
    at 6 digits) needs to follow from them.
    """
    W2 = params["W2"][:, 0]
    local = "a(1 − a)" if activation == "sigmoid" else "[z > 0]"
    # every operand of the numbers column at one count of digits per quantity, from the value
    # column's 6 (ui.charts.backprop.value_text): ∂L/∂ŷ printed "(−17.60738)", "(−17.61)" and
    # "(−17.6074)" in one column beside its value −17.6074 (audit pass 67 h)
    values = {"yhat": fwd.y_hat, "y": fwd.y, "d": bwd.dL_dyhat}
    for j in range(3):
        values |= {f"a{j}": fwd.a[j], f"w{j}": W2[j], f"fp{j}": bwd.f_prime[j]}
        values |= {f"da{j}": bwd.dL_da[j], f"dz{j}": bwd.dL_dz[j]}
    values |= {f"x{i}": fwd.x[i] for i in range(2)}
    rows_ = [(bwd.dL_dyhat, lambda a, b: a - b, ("yhat", "y"))]
    rows_ += [(bwd.dL_dW2[j], _product, ("d", f"a{j}")) for j in range(3)]
    rows_ += [(bwd.dL_da[j], _product, ("d", f"w{j}")) for j in range(3)]
    rows_ += [(bwd.dL_dz[j], _product, (f"da{j}", f"fp{j}")) for j in range(3)]
    rows_ += [(bwd.dL_dW1[i, j], _product, (f"x{i}", f"dz{j}")) for i in range(2) for j in range(3)]
    results = {f"={k}": r for k, (r, _, _) in enumerate(rows_)}
    digits = block_digits(
        values | results, [(f"={k}", c, ops) for k, (_, c, ops) in enumerate(rows_)], least=6
    )

    def text(key: str) -> str:
        v = values[key]
        shown = (value_text if key in TYPED else computed_text)(v, digits[key])
        return f"({shown})" if v < 0 else shown

    def product(value, *keys):
        return "·".join(text(k) for k in keys)

    y_hat, y = text("yhat"), text("y")
    rows = [("∂L/∂ŷ", "ŷ − y", f"{y_hat} − {y}", bwd.dL_dyhat)]
    for j in range(3):
        rows.append(
            (
                f"∂L/∂W2[{j + 1}]",
                f"∂L/∂ŷ · a{j + 1}",
                product(bwd.dL_dW2[j], "d", f"a{j}"),
                bwd.dL_dW2[j],
            )
        )
    rows.append(("∂L/∂b2", "∂L/∂ŷ · 1", product(bwd.dL_db2, "d"), bwd.dL_db2))
    for j in range(3):
        u = j + 1
        rows.append(
            (
                f"∂L/∂a{u}",
                f"∂L/∂ŷ · W2[{u}]",
                product(bwd.dL_da[j], "d", f"w{j}"),
                bwd.dL_da[j],
            )
        )
        note = ""
        if activation == "sigmoid" and bwd.f_prime[j] == 0:
            note = (
                f"{value_text(fwd.a[j])}·(1 − {value_text(fwd.a[j])}) in float64; "
                f"σ′(z{u}) itself is {_exact_sigmoid_prime(float(fwd.z[j]))}"
            )
        elif activation == "sigmoid" and _float_sigmoid_prime_off(bwd.f_prime[j], fwd.z[j], 6):
            # a = σ(z) near 1 is stored to 16 digits, so float64's 1 − a keeps few of them:
            # a(1 − a) = 3.55271e-15 where σ′(33.27) = 3.54319e-15
            note = (
                f"a{u}(1 − a{u}) in float64, a{u} stored to about 16 digits; "
                f"σ′(z{u}) itself is {_exact_sigmoid_prime(float(fwd.z[j]), 6)}"
            )
        if activation != "sigmoid" and fwd.z[j] == 0:
            note = "z = 0, the kink: relu has no derivative there; 0 by convention"
        rows.append(
            (f"f′(z{u})", local.replace("a", f"a{u}").replace("z", f"z{u}"), note, bwd.f_prime[j])
        )
        rows.append(
            (
                f"∂L/∂z{u}",
                f"∂L/∂a{u} · f′(z{u})",
                product(bwd.dL_dz[j], f"da{j}", f"fp{j}"),
                bwd.dL_dz[j],
            )
        )
        for i in range(2):
            rows.append(
                (
                    f"∂L/∂W1[{i + 1},{u}]",
                    f"x{i + 1} · ∂L/∂z{u}",
                    product(bwd.dL_dW1[i, j], f"x{i}", f"dz{j}"),
                    bwd.dL_dW1[i, j],
                )
            )
        rows.append(
            (f"∂L/∂b1[{u}]", f"∂L/∂z{u} · 1", product(bwd.dL_db1[j], f"dz{j}"), bwd.dL_db1[j])
        )
    return pd.DataFrame(rows, columns=["quantity", "chain_rule", "numbers", "value"])


# --- the computation graph as Graphviz DOT ---------------------------------------------------------


def _fmt(v: float, digits: int = 4, *, typed: bool = False) -> str:
    return minus((value_text if typed else computed_text)(v, digits))


def y_hat_text(y_hat: float, y: float, digits: int) -> str:
    """ŷ as :func:`value_text` prints it at ``digits`` significant digits, more while it would
    print as the target y it is not: a trained ŷ = 0.5000000000000021 is not "0.5" beside y = 0.5,
    a loss of 2.2e-30 and ∂L/∂ŷ = 2.1e-15 (:func:`value_text` only keeps it off whole numbers)."""
    return computed_text(y_hat, apart_digits((y_hat, y), digits, text=value_text))


def forward_value_texts(table: pd.DataFrame, fwd) -> list[str]:
    """The value column of :func:`forward_table` as the page prints it: :func:`value_text` at 6
    digits, ŷ's row by :func:`y_hat_text` (never printed as the target it is not)."""
    return [
        y_hat_text(float(v), fwd.y, 6) if q.startswith("ŷ") else computed_text(float(v))
        for q, v in zip(table["quantity"], table["value"], strict=True)
    ]


def _label(lines: list[tuple[str, str | None]]) -> str:
    """An HTML-like Graphviz label: one row per (text, color or None)."""
    rows = []
    for text, color in lines:
        safe = html.escape(text)
        rows.append(f'<FONT COLOR="{color}">{safe}</FONT>' if color else safe)
    return "<" + "<BR/>".join(rows) + ">"


def computation_graph_dot(params, x, y: float, *, forward=None, backward=None) -> str:
    """The 2-3-1 network as a Graphviz DOT string: values on nodes, gradients on edges.

    Parameters
    ----------
    params : dict with W1 (2, 3), b1 (3,), W2 (3, 1), b2 (1,)
    x : array of shape (2,), y : float
    forward, backward : ForwardPass and BackwardPass, or None before they have been computed
        (then only the weights are shown).
    """
    grad = GRADIENT_COLOR
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"][:, 0], params["b2"][0]
    out = [
        "digraph backprop {",
        '  rankdir=LR; bgcolor="transparent"; nodesep=0.35; ranksep=1.3; ordering=out;',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10, color="#777777"];',
    ]
    for i in range(2):
        out.append(
            f'  x{i + 1} [fillcolor="#F2F2F2", label={_label([(f"x{i + 1} = {_fmt(x[i], typed=True)}", None)])}];'
        )
    for j in range(3):
        rows = [(f"hidden unit {j + 1}", None), (f"b1[{j + 1}] = {_fmt(b1[j])}", None)]
        if forward is not None:
            rows += [(f"z = {_fmt(forward.z[j])}", None), (f"a = {_fmt(forward.a[j])}", None)]
        if backward is not None:
            rows += [
                (f"∂L/∂z = {_fmt(backward.dL_dz[j])}", grad),
                (f"∂L/∂b1 = {_fmt(backward.dL_db1[j])}", grad),
            ]
        out.append(f'  h{j + 1} [fillcolor="#D6ECF8", label={_label(rows)}];')
    rows = [("output ŷ (linear)", None), (f"b2 = {_fmt(b2)}", None)]
    if forward is not None:
        rows.append((f"ŷ = {y_hat_text(forward.y_hat, y, 4).replace('-', '−')}", None))
    if backward is not None:
        rows.append((f"∂L/∂b2 = {_fmt(backward.dL_db2)}", grad))
    out.append(f'  yhat [fillcolor="#C4DDF0", label={_label(rows)}];')
    rows = [("loss L = (ŷ − y)² / 2", None), (f"y = {_fmt(y, typed=True)}", None)]
    if forward is not None:
        rows.append((f"L = {_fmt(forward.loss)}", None))
    out.append(f'  loss [fillcolor="#FBE3D2", label={_label(rows)}];')
    for i in range(2):
        for j in range(3):
            rows = [(f"W1[{i + 1},{j + 1}] = {_fmt(W1[i, j])}", None)]
            if backward is not None:
                rows.append((f"∂L/∂W = {_fmt(backward.dL_dW1[i, j])}", grad))
            out.append(f"  x{i + 1} -> h{j + 1} [label={_label(rows)}];")
    for j in range(3):
        rows = [(f"W2[{j + 1}] = {_fmt(W2[j])}", None)]
        if backward is not None:
            rows.append((f"∂L/∂W = {_fmt(backward.dL_dW2[j])}", grad))
        out.append(f"  h{j + 1} -> yhat [label={_label(rows)}];")
    rows = [("ŷ", None)]
    if backward is not None:
        rows.append((f"∂L/∂ŷ = {_fmt(backward.dL_dyhat)}", grad))
    out.append(f"  yhat -> loss [label={_label(rows)}];")
    out.append("}")
    return "\n".join(out)


# --- the chain rule with live numbers, for st.latex ---------------------------------------------------


def tex_number(v: float, digits: int = 4, *, typed: bool = False) -> str:
    """A number for LaTeX: 4 significant digits, powers of ten written out, negatives in parentheses;
    more digits where 4 would print a whole number the value is not (−512.976 is not "−513") or
    σ′'s peak 0.25 for a value below it (:func:`value_text`). A computed value keeps its trailing
    zeros (:func:`computed_text`); a ``typed`` input (x, y) prints as typed ("4.6", not "4.600")."""
    text = value_text(v, digits) if typed else computed_text(v, digits)
    mantissa, _, exponent = text.partition("e")
    text = mantissa if not exponent else rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return f"({text})" if v < 0 else text


def operands(result: float, combine, *values: float) -> list[str]:
    """``values`` for LaTeX beside ``= result`` (printed with :func:`tex_number`), with digits
    added until ``combine`` of the printed values rounds to the printed result (0.9859 · (1 −
    0.9859) = 0.0139, never "= 0.01406" beside them)."""
    digits = _matching_digits(value_text(result, 4), combine, values)
    return [tex_number(v, digits) for v in values]


def block_digits(values: dict, lines, least: int = 4, start: dict | None = None) -> dict:
    """One count of significant digits for each quantity of a block of lines (a LaTeX block), so
    a quantity printed twice in it prints alike ("(−17.61)" and "(−17.607)" were one ∂L/∂ŷ in one
    block, audit pass 67 h). ``values`` maps names to values; ``lines`` are (result name,
    combine, operand names). Every quantity starts at ``least`` digits; while a line's
    ``combine`` of its operands printed by :func:`value_text` does not round to its printed
    result, its shortest operands get one digit more (up to 17: float64's round-off in a sum). Digits
    only grow, so a result that is another line's operand is checked again at its new digits."""
    digits = dict.fromkeys(values, least) | {k: v for k, v in (start or {}).items() if k in values}
    lines = [(r, c, ops) for r, c, ops in lines if all(math.isfinite(values[k]) for k in (r, *ops))]
    changed = True
    while changed:
        changed = False
        for r, c, ops in lines:
            implied = c(*(Decimal(value_text(values[k], digits[k])) for k in ops))
            if not agrees(value_text(values[r], digits[r]), implied):
                # the operands printed shortest first: a line short of one digit in a_j kept
                # ∂L/∂ŷ growing with it, to "(−17.6073849)" where "(−17.60738)" does
                grow = [k for k in ops if digits[k] < 17 and values[k] != 0]
                least_ = min((digits[k] for k in grow), default=17)
                grow = [k for k in grow if digits[k] == least_]
                for k in grow:
                    digits[k] += 1
                changed = changed or bool(grow)
    return digits


# the keys of a block's values that are the typed inputs x and y, printed as typed (not padded)
TYPED = frozenset({"y", "x0", "x1"})


def _times(*factors) -> Decimal:
    return math.prod(factors, start=Decimal(1))


def _output_lines(forward, backward):
    values = {"yhat": forward.y_hat, "y": forward.y, "d": backward.dL_dyhat}
    values |= {f"a{j}": forward.a[j] for j in range(3)}
    values |= {f"g{j}": backward.dL_dW2[j] for j in range(3)}
    lines_ = [("d", lambda a, b: a - b, ("yhat", "y"))]
    lines_ += [(f"g{j}", _times, ("d", f"a{j}")) for j in range(3)]
    return values, lines_


def dyhat_digits(params, forward, backward, activation: str) -> int:
    """One count of digits for ∂L/∂ŷ in every LaTeX block (the output layer's and each hidden
    unit's): the most any block needs, again until none needs more. Per block it printed
    "2.8876" under the output layer and "2.88761" under hidden unit 3 at x = (4.6, −4.9), y = 2.8,
    seed 66, scale 3.9 (audit pass 68 g)."""
    blocks = [_output_lines(forward, backward)]
    blocks += [_hidden_lines(params, forward, backward, j, activation) for j in range(3)]
    d = 4
    while True:
        most = max(block_digits(v, lines, start={"d": d})["d"] for v, lines in blocks)
        if most == d:
            return d
        d = most


def output_layer_latex(forward, backward, d_digits: int | None = None) -> str:
    """The output layer's gradients: dL/dy_hat, dL/dW2_j and dL/db2 with the live numbers, every
    number at one count of digits (:func:`block_digits`), ∂L/∂ŷ at ``d_digits`` or more
    (:func:`dyhat_digits`)."""
    values, lines_ = _output_lines(forward, backward)
    digits = block_digits(values, lines_, start={"d": d_digits} if d_digits else None)

    def n(v, key):
        return tex_number(v, digits[key], typed=key in TYPED)

    d = r"\frac{\partial L}{\partial \hat y}"
    lines = [
        rf"{d} &= \hat y - y = {n(forward.y_hat, 'yhat')} - {n(forward.y, 'y')} = "
        rf"{n(backward.dL_dyhat, 'd')}",
    ]
    for j in range(3):
        u = j + 1
        lines.append(
            rf"\frac{{\partial L}}{{\partial W^{{(2)}}_{{{u}}}}} &= {d}\, a_{{{u}}} = "
            rf"{n(backward.dL_dyhat, 'd')} \cdot {n(forward.a[j], f'a{j}')} = "
            rf"{n(backward.dL_dW2[j], f'g{j}')}"
        )
    lines.append(rf"\frac{{\partial L}}{{\partial b^{{(2)}}}} &= {d} = {n(backward.dL_db2, 'd')}")
    return r"\begin{aligned}" + r"\\ ".join(lines) + r"\end{aligned}"


def _hidden_lines(params, forward, backward, unit: int, activation: str):
    j = unit
    W2 = params["W2"][:, 0]
    values = {
        "d": backward.dL_dyhat,
        "w": W2[j],
        "fp": backward.f_prime[j],
        "da": backward.dL_da[j],
    }
    values |= {"dz": backward.dL_dz[j], "a": forward.a[j], "z": forward.z[j]}
    values |= {f"x{i}": forward.x[i] for i in range(2)}
    values |= {f"g{i}": backward.dL_dW1[i, j] for i in range(2)}
    factors = [("d", "w", "fp", f"x{i}") for i in range(2)]
    lines_ = [
        ("da", _times, ("d", "w")),
        ("dz", _times, ("da", "fp")),
        *((f"g{i}", _times, factors[i]) for i in range(2)),
    ]
    if activation == "sigmoid":
        lines_.append(("fp", lambda a: a * (1 - a), ("a",)))
    return values, lines_


def hidden_unit_latex(
    params, forward, backward, unit: int, activation: str, d_digits: int | None = None
) -> str:
    """Hidden unit ``unit`` (0-based): dL/da, f'(z), dL/dz, dL/dW1 and the full product, every
    number at one count of digits (:func:`block_digits`), ∂L/∂ŷ at ``d_digits`` or more
    (:func:`dyhat_digits`)."""
    j, u = unit, unit + 1
    W2 = params["W2"][:, 0]
    values, lines_ = _hidden_lines(params, forward, backward, unit, activation)
    factors = [("d", "w", "fp", f"x{i}") for i in range(2)]
    digits = block_digits(values, lines_, start={"d": d_digits} if d_digits else None)

    def n(v, key=None, d=None):
        return tex_number(v, d if key is None else digits[key], typed=key in TYPED)

    d = r"\frac{\partial L}{\partial \hat y}"
    if activation == "sigmoid":
        a = n(forward.a[j], "a")
        local = (
            rf"\sigma'(z_{{{u}}}) &= a_{{{u}}}(1 - a_{{{u}}}) = {a}"
            rf"\,(1 - {a}) = {n(backward.f_prime[j], 'fp')}"
        )
        if backward.f_prime[j] == 0:
            # float64's a(1 − a) is 0 once a rounds to 1 (or underflows to 0); σ′ > 0 everywhere
            z = float(forward.z[j])
            value = sigmoid_prime(z)
            exact = (
                n(value, d=_sigmoid_prime_digits(z, 3)) if value > 0 else r"\text{under } 10^{-300}"
            )
            local += rf"\ \text{{in float64; }} \sigma'(z_{{{u}}}) = {exact}"
        elif _float_sigmoid_prime_off(backward.f_prime[j], forward.z[j], 4):
            # a near 1 is stored to 16 digits, so float64's 1 − a keeps few of them
            z = float(forward.z[j])
            exact = n(sigmoid_prime(z), d=_sigmoid_prime_digits(z, 4))
            local += rf"\ \text{{in float64; }} \sigma'(z_{{{u}}}) = {exact}"
        fp = rf"\sigma'(z_{{{u}}})"
    else:
        local = (
            rf"\operatorname{{relu}}'(z_{{{u}}}) &= [z_{{{u}}} > 0] = "
            rf"[{n(forward.z[j], 'z')} > 0] = {n(backward.f_prime[j], 'fp')}"
        )
        if forward.z[j] == 0:
            # on the kink relu has no derivative: 0 is backprop's convention there
            local += r"\ \text{(the kink: no derivative; 0 by convention)}"
        fp = rf"\operatorname{{relu}}'(z_{{{u}}})"
    dz = rf"\frac{{\partial L}}{{\partial z_{{{u}}}}}"
    lines = [
        rf"\frac{{\partial L}}{{\partial a_{{{u}}}}} &= {d}\, W^{{(2)}}_{{{u}}} = "
        rf"{n(backward.dL_dyhat, 'd')} \cdot {n(W2[j], 'w')} = {n(backward.dL_da[j], 'da')}",
        local,
        rf"{dz} &= \frac{{\partial L}}{{\partial a_{{{u}}}}}\, {fp} = "
        rf"{n(backward.dL_da[j], 'da')} \cdot {n(backward.f_prime[j], 'fp')} = "
        rf"{n(backward.dL_dz[j], 'dz')}",
    ]
    for i in range(2):
        lines.append(
            rf"\frac{{\partial L}}{{\partial W^{{(1)}}_{{{i + 1}{u}}}}} &= "
            rf"(\hat y - y)\, W^{{(2)}}_{{{u}}}\, {fp}\, x_{{{i + 1}}} = "
            + r" \cdot ".join(n(values[k], k) for k in factors[i])
            + rf" = {n(backward.dL_dW1[i, j], f'g{i}')}"
        )
    lines.append(
        rf"\frac{{\partial L}}{{\partial b^{{(1)}}_{{{u}}}}} &= {dz} = {n(backward.dL_db1[j], 'dz')}"
    )
    return r"\begin{aligned}" + r"\\ ".join(lines) + r"\end{aligned}"


def update_latex(name: str, before: str, gradient: str, eta: str, after: str) -> str:
    """One gradient-descent update written out, w <- w - lr * dL/dw, with the texts
    :func:`update_table` prints for its row (the LaTeX printed "0.079519 − 0.05 · (−0.10686)"
    under a table row "0.07951877 … −0.1068555", audit pass 67 h)."""

    def n(text: str) -> str:
        mantissa, _, exponent = text.partition("e")
        out = mantissa if not exponent else rf"{mantissa}\times 10^{{{int(exponent)}}}"
        return f"({out})" if text.startswith("-") else out

    return rf"\text{{{name}}} \leftarrow {n(before)} - {n(eta)} \cdot {n(gradient)} = {n(after)}"
