"""Lesson: derivatives of a custom loss, by reverse-mode autodiff, checked with finite differences."""

import streamlit as st

from core.autodiff import FUNCTIONS, MAX_LENGTH, ExpressionError
from core.experiments import autodiff as ad
from ui import controls, lesson
from ui.charts import autodiff as charts
from ui.classroom import register_widget
from ui.runner import build_config, run_experiment

DEFAULTS = ad.Config()

lesson.header(
    "Derivatives and autodiff",
    "How do you take the derivative of a custom loss: by hand or automatically?",
)

# ---- controls -----------------------------------------------------------------------------------
_POINT = {"regression": {"yp": 1.5, "yt": 0.0}, "classification": {"yp": -1.0, "yt": 1.0}}
_HINTS = {
    "MSE": "Quadratic: central differences have no truncation error at all, only round-off.",
    "MAE": "A kink at ŷ = y: the slope jumps, and finite differences straddling it average the two sides.",
    "Huber": "Quadratic inside |r| ≤ δ, linear outside: robust to the outliers in the training data.",
    "log-cosh": "Smooth everywhere, like MSE near 0 and like MAE far away.",
    "Pinball (quantile)": "Asymmetric: τ sets which quantile the fitted line tracks.",
    "Focal": "Binary cross-entropy scaled by σ(−margin)^γ: easy examples count less.",
    "BCE on logits": "Binary cross-entropy in its stable softplus form, on logits.",
}
controls.presets(
    {
        name: (
            _HINTS[name],
            {"loss": text, "data": data, **_POINT[data]},
        )
        for name, (text, data) in ad.PRESETS.items()
    }
)
with st.sidebar:
    st.subheader("Loss parameters")
    delta = controls.slider(
        "Huber threshold δ (delta)",
        key="delta",
        min_value=0.1,
        max_value=5.0,
        value=DEFAULTS.delta,
        step=0.1,
        help="The name delta in the loss: Huber is quadratic for |r| ≤ δ and linear beyond.",
    )
    tau = controls.slider(
        "Quantile τ (tau)",
        key="tau",
        min_value=0.05,
        max_value=0.95,
        value=DEFAULTS.tau,
        step=0.05,
        help="The name tau in the loss: the pinball loss is minimised by the τ-quantile.",
    )
    gamma = controls.slider(
        "Focusing γ (gamma)",
        key="gamma",
        min_value=0.0,
        max_value=5.0,
        value=DEFAULTS.gamma,
        step=0.5,
        help="The name gamma in the loss: focal loss with γ = 0 is binary cross-entropy.",
    )
    st.subheader("Where to differentiate")
    y_pred = controls.slider(
        "Prediction ŷ (y_pred)",
        key="yp",
        min_value=-5.0,
        max_value=5.0,
        value=DEFAULTS.y_pred,
        step=0.1,
        help="The one example's prediction at which the derivative is taken.",
    )
    y_true = controls.slider(
        "Target y (y_true)",
        key="yt",
        min_value=-5.0,
        max_value=5.0,
        value=DEFAULTS.y_true,
        step=0.1,
        help="The example's target (a label 0 or 1 for the classification losses).",
    )
    h = controls.log_slider(
        "Finite-difference step h (log scale)",
        key="h",
        options=controls.log_options(1e-14, 1.0, mantissas=(1,)),
        value=DEFAULTS.h,
        fmt=lambda v: f"{v:.0e}",
        help="(L(ŷ + h) − L(ŷ)) / h and (L(ŷ + h) − L(ŷ − h)) / 2h. 1e-5 is the textbook choice.",
    )
    st.subheader("Training with your loss")
    data = controls.radio(
        "Data",
        key="data",
        options=ad.DATA,
        value=DEFAULTS.data,
        help="Regression: a line through noisy points. Classification: labels 0/1 and a "
        "logistic model; use it with the focal and cross-entropy presets.",
    )
    outliers = controls.radio(
        "Outliers",
        key="outliers",
        options=(True, False),
        value=DEFAULTS.outliers,
        fmt=lambda v: "on" if v else "off",
        help="Six of sixty points moved far away (mislabelled points for classification).",
    )
    learning_rate = controls.log_slider(
        "Learning rate (Adam, log scale)",
        key="lr",
        options=controls.log_options(1e-3, 1.0),
        value=DEFAULTS.learning_rate,
        help="Step size of the Adam optimizer used for both losses.",
    )
    steps = controls.slider(
        "Steps",
        key="steps",
        min_value=10,
        max_value=2000,
        value=DEFAULTS.steps,
        step=10,
        help="Full-batch updates for each loss.",
    )
    st.subheader("Gradient check")
    activation = controls.select(
        "Hidden activation",
        key="act",
        options=ad.CHECK_ACTIVATIONS,
        value=DEFAULTS.activation,
        help="The activation of the 3-4-4-1 network whose backprop is checked.",
    )
    on_kink = controls.radio(
        "Pre-activation on the kink",
        key="kink",
        options=(False, True),
        value=DEFAULTS.on_kink,
        fmt=lambda v: "placed at exactly 0" if v else "off",
        help="Sets one bias so that one hidden unit's input is exactly 0 for one example.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the training data and the network's weights.",
    )

# The loss box sits in the main column: it is the lesson's main input.
register_widget("loss", DEFAULTS.expression)
text = st.text_input(
    "Your loss L(y_pred, y_true)",
    value=DEFAULTS.expression,
    key="loss",
    max_chars=MAX_LENGTH,
    bind="query-params",
    help=f"Names: y_pred, y_true, pi, e, delta, tau, gamma. Functions: {', '.join(FUNCTIONS)}. "
    "Operators: + - * / ** (or ^), unary −, parentheses. Wrap elementwise terms in mean(...).",
)
values = {
    "expression": text,
    "delta": delta,
    "tau": tau,
    "gamma": gamma,
    "y_pred": y_pred,
    "y_true": y_true,
    "h": h,
    "data": data,
    "outliers": outliers,
    "learning_rate": learning_rate,
    "steps": steps,
    "activation": activation,
    "on_kink": on_kink,
    "seed": int(seed),
}
try:
    config = ad.Config(**values)
except ExpressionError as err:
    st.error(f"This loss can't be read: {err}", icon=":material/error:")
    st.code(f"{text}\n{' ' * (err.column - 1)}^", language=None)
    st.stop()
except ValueError:
    config = build_config(ad.Config, **values)  # shows the message and stops

result = run_experiment("autodiff", config)
st.latex(r"L(\hat{y}, y) = " + result.latex)
point = result.point

choice = lesson.predict(
    "autodiff",
    "Shrink the step h from 0.1 to 1e-14. What does the error of the central difference do?",
    ad.SHAPES,
)

# ---- one example: value, exact derivative, estimates, graph --------------------------------------
st.header("At one example")
if point["error"]:
    st.warning(
        f"**Undefined at ŷ = {config.y_pred:g}, y = {config.y_true:g}:** {point['error']} "
        "Move the point, or change the loss.",
        icon=":material/warning:",
    )


def _show(value: float, fmt: str = ".10g") -> str:
    return "—" if value != value else format(value, fmt)  # NaN: undefined here


columns = st.columns(4)
columns[0].metric("Loss L", _show(point["value"], ".6g"))
columns[1].metric("Exact ∂L/∂ŷ (reverse-mode autodiff)", _show(point["exact"]))
for column, name in zip(columns[2:], ("forward", "central"), strict=True):
    column.metric(
        f"{name.capitalize()} difference, h = {config.h:g}",
        _show(point[name]),
        f"error {_show(point[name + '_error'], '.1e')}",
        delta_color="off",
        delta_arrow="off",
    )
if result.graph:
    # a small graph at full width would blow its boxes up; a large one needs all the room
    width = "stretch" if len(result.graph) > 8 else "content"
    st.graphviz_chart(charts.graph_dot(result.graph), width=width)
    st.caption(
        "The computation graph the engine recorded for this loss. Forward pass: each node's value. "
        "Backward pass: ∂L/∂node, from the loss (orange) back to y_pred (blue); where several "
        "paths meet, their contributions add up."
    )

lesson.chart(
    lesson.Cached(
        charts.error_vs_h, result.sweep, result.guides, methods=list(ad.METHODS), h=config.h
    ),
    width="stretch",
)
st.caption(
    "Read from left to right as h shrinks. Truncation error (Taylor terms the formula drops) "
    "falls like h for forward and h² for central differences; round-off error ε·|L|/h rises "
    "because two nearly equal numbers are subtracted and divided by a tiny h. Grey lines: "
    "theory with L″ and L‴ at this point (a missing line means that derivative is 0 here)."
)
if result.shape:
    best_c = result.best.get(ad.METHODS[2], (float("nan"), float("nan")))
    lesson.reveal(
        choice,
        result.shape,
        f"The central error is smallest at h ≈ {best_c[0]:.0e} ({best_c[1]:.1e}) and grows "
        "below it, where round-off takes over.",
    )

lesson.chart(
    lesson.Cached(
        charts.gradient_curve,
        result.curve,
        methods=list(ad.METHODS),
        point=(config.y_pred, point["exact"]),
        h=config.h,
        y_true=config.y_true,
    ),
    width="stretch",
)
st.caption(
    "At h = 1e-5 the three curves lie on top of each other. Raise h to 0.1 or 1 and the forward "
    "difference shifts by about h·L″/2 (the central one by h²·L‴/6); lower it to 1e-12 and "
    "round-off noise appears. Near a kink (MAE at ŷ = y) a step that straddles it mixes the two slopes."
)
if result.curve_undefined:
    st.caption(
        f"The loss or its derivative is undefined at {result.curve_undefined} of 201 grid points "
        "(outside its domain); they are left out."
    )

# ---- training -----------------------------------------------------------------------------------
st.header("Train with your loss")
summary = result.fit_summary.set_index("model")
reference = summary.index[1]
for name, row in summary.iterrows():
    if row["stopped_reason"]:
        st.warning(
            f"Training with {name} stopped: {row['stopped_reason']}", icon=":material/warning:"
        )
lesson.chart(
    lesson.Cached(
        charts.fitted_lines,
        result.data,
        result.fits,
        reference=reference,
        classification=config.data == "classification",
    ),
    width="stretch",
)

# ---- gradient check -----------------------------------------------------------------------------
st.header("Gradient check of a network")
check = result.gradcheck
lesson.chart(
    lesson.Cached(
        charts.gradcheck_bars, check, verdicts=list(ad.VERDICTS), good=ad.GOOD, wrong=ad.WRONG
    ),
    width="stretch",
)
st.caption(
    f"Backprop (core.mlp) against central differences with h = 1e-5 for a 3-4-4-1 "
    f"{config.activation} network on 4 examples, mean squared error. Smallest |pre-activation| "
    f"in the first hidden layer: {result.kink['min_abs_z']:.2g}."
)

# ---- what the run says ----------------------------------------------------------------------------
sentences = []
if not point["error"]:
    sentences.append(
        f"At ŷ = {config.y_pred:g}, y = {config.y_true:g} autodiff gives ∂L/∂ŷ = "
        f"{point['exact']:.6g}. With h = {config.h:g} the forward difference is off by "
        f"{point['forward_error']:.1e} and the central difference by {point['central_error']:.1e}."
    )
    curved = abs(result.derivatives["second"]) > 1e-6
    skewed = abs(result.derivatives["third"]) > 1e-6
    if ad.METHODS[1] in result.best and ad.METHODS[2] in result.best:
        (hf, ef), (hc, ec) = result.best[ad.METHODS[1]], result.best[ad.METHODS[2]]
        best = f"best forward step h ≈ {hf:.0e} (error {ef:.1e}), best central h ≈ {hc:.0e} (error {ec:.1e})"
        if curved and skewed:
            sentences.append(
                f"The {best}: theory puts them near √ε ≈ 1e-8 and ε^(1/3) ≈ 6e-6, where the "
                "falling truncation error meets the rising round-off."
            )
        elif curved:
            sentences.append(
                f"L‴ is 0 here (the loss is quadratic around this point), so central differences "
                f"have no truncation error at all, only round-off that grows as h shrinks: {best}."
            )
        else:
            sentences.append(
                "L″ and L‴ are 0 here (the loss is straight around this point): neither estimate "
                "has truncation error, so the largest step is the most accurate and shrinking h "
                f"only adds round-off: {best}."
            )
ok = summary["stopped_reason"] == ""
if ok.all():
    w_yours, w_ref = summary.loc["your loss", "w"], summary.loc[reference, "w"]
    sentences.append(
        f"Trained with your loss the slope is w = {w_yours:.2f}; with {reference} it is "
        f"{w_ref:.2f}"
        + (" (data drawn with slope 1.5)" if config.data == "regression" else "")
        + ("; the same loss, so the two lines coincide." if abs(w_yours - w_ref) < 1e-6 else ".")
    )
failed = check[check["rel_error"] > ad.WRONG]
grey = check[(check["rel_error"] >= ad.GOOD) & (check["rel_error"] <= ad.WRONG)]
if failed.empty and not grey.empty:
    why = (
        "elu's slope is continuous at 0 but its curvature jumps, so the central difference "
        "straddling the kink is only O(h) accurate there"
        if config.on_kink and config.activation == "elu"
        else "acceptable near a kink or in float32, worth a second look otherwise"
    )
    sentences.append(
        f"{', '.join(grey['tensor'])} land between 1e-7 and 1e-2 (up to "
        f"{grey['rel_error'].max():.1e}): {why}."
    )
elif failed.empty:
    sentences.append(
        f"Every weight tensor passes the gradient check: the largest relative error is "
        f"{check['rel_error'].max():.1e}."
    )
else:
    names = ", ".join(failed["tensor"])
    why = (
        "a pre-activation sits exactly on the kink, so the two sides of the central difference "
        "see different slopes"
        if config.on_kink
        else "a pre-activation lies within h of a kink"
    )
    sentences.append(
        f"{names} fail{'s' * (len(failed) == 1)} the check (relative error up to "
        f"{failed['rel_error'].max():.2f}) although backprop is correct: {why}."
    )
lesson.notice(sentences)

lesson.model_answer(
    "Automatically. Frameworks record the forward computation as a graph and run **reverse-mode "
    "automatic differentiation** (backpropagation): one backward sweep applies the chain rule "
    "node by node, from the loss back to every input, and costs a small constant times the "
    "forward pass however many parameters there are. It is exact to floating-point round-off, "
    "unlike finite differences, and it is not symbolic differentiation: no expression swell, "
    "just local derivatives multiplied along the recorded graph.\n\n"
    "By hand is still worth doing for a custom loss in an interview, and finite differences "
    "are how you **check** any gradient: central differences with h ≈ 1e-5 in float64, "
    "compared by relative error per tensor. About 1e-7 or below is right, above 1e-2 is a bug "
    "— unless the check straddles a kink.",
    formulas=[
        r"\frac{L(\hat y + h) - L(\hat y)}{h} = L'(\hat y) + \frac{h}{2} L''(\hat y) + O(h^2)"
        r"\qquad\text{(forward, error } O(h))",
        r"\frac{L(\hat y + h) - L(\hat y - h)}{2h} = L'(\hat y) + \frac{h^2}{6} L'''(\hat y)"
        r" + O(h^4)\qquad\text{(central, error } O(h^2))",
        r"\text{total error} \approx \underbrace{C h^p}_{\text{truncation}} + "
        r"\underbrace{\varepsilon |L| / h}_{\text{round-off}},\qquad \varepsilon \approx 2.2"
        r"\times 10^{-16}",
        r"\text{rel. error} = \frac{\max_i |a_i - n_i|}{\max_i (|a_i| + |n_i|)}",
    ],
    pitfalls=[
        "Smaller h is not always better: below ~1e-8 (forward) or ~1e-5 (central) round-off "
        "dominates and the estimate gets worse.",
        "Forward differences are only first-order accurate; use central differences for checks.",
        "Kinks break gradient checks: ReLU, abs, max or hinge at exactly 0 make the two sides of "
        "a central difference see different slopes; zero-initialised biases and dead units put "
        "pre-activations there more often than you would think.",
        "Check in float64 with dropout off and a fixed seed: in float32 (ε ≈ 1.2e-7) the "
        "round-off term ε·|L|/h is already about 1e-2 at h = 1e-5, which looks like a bug.",
        "A loss that is not a single number (no mean or sum) has no gradient to check.",
    ],
)
