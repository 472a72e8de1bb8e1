"""The autodiff lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.autodiff.experiment import EXPRESSIONS, SHAPES, Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Shrink the step h from 0.1 to 1e-14. What does the error of the central difference do?",
    SHAPES,
)


def _loss(name: str, **settings) -> Config:
    """A whole Config that types the named loss; the point suits its data."""
    expression, data = EXPRESSIONS[name]
    point = (
        {"y_pred": 1.5, "y_true": 0.0} if data == "regression" else {"y_pred": -1.0, "y_true": 1.0}
    )
    return Config(**{"expression": expression, "data": data, **point, **settings})


PRESETS = {
    "MSE": Preset(
        "Quadratic: ∂L/∂ŷ is a straight line, so central differences have no truncation error "
        "at any step, only round-off, which grows as h shrinks (not at every step): no smaller "
        "step does 10× better than h = 0.1.",
        _loss("MSE"),
        shows=("quadratic_here", "shape_only_grows"),
    ),
    "MAE": Preset(
        "ŷ = y puts the point on MAE's kink: the slope jumps from −1 to 1 and autodiff returns "
        "the convention abs′(0) = 0; a forward difference gives the right-hand slope 1, a "
        "central difference the average 0 of the two slopes, at every h.",
        _loss("MAE", y_pred=0.0),
        shows=("on_kink", "shape_exact"),
    ),
    "Huber": Preset(
        "Quadratic inside |r| ≤ δ, linear outside. With δ = 1, far below the outliers' "
        "residuals of about 8, its line is much less pulled by them than MSE's; raise δ and it "
        "is pulled more.",
        _loss("Huber"),
        shows=("less_pulled",),
    ),
    "log-cosh": Preset(
        "Smooth everywhere, like MSE near 0 and like MAE far away: the error against h shows "
        "truncation error falling like h and h² until round-off takes over.",
        _loss("log-cosh"),
        shows=("shape_v", "truncation_slopes", "theory_steps"),
    ),
    "Pinball (quantile)": Preset(
        "τ = 0.9: an under-prediction costs 0.9 per unit and an over-prediction 0.1, so the "
        "loss is smallest at the 0.9-quantile: about nine in ten points should lie below the "
        "fitted line (What to notice counts them). At τ = 0.5 it is half the MAE.",
        _loss("Pinball (quantile)", tau=0.9),
        shows=("fit_report",),
    ),
    "Focal": Preset(
        "Binary cross-entropy scaled by σ(−margin)^γ: with γ = 2 well-classified examples count "
        "less (γ = 0 is plain binary cross-entropy).",
        _loss("Focal"),
        shows=("fit_report",),
    ),
    "BCE on logits": Preset(
        "Binary cross-entropy in its stable softplus form, on logits: the same loss as the "
        "library's bce_with_logits, so at the preset's η = 0.1 and 300 steps the two fitted "
        "curves coincide (run longer or at a larger η, round-off can part them).",
        _loss("BCE on logits"),
        shows=("same_loss_same_fit",),
    ),
    "Near a kink": Preset(
        "MAE with ŷ − y = 0.05: the kink lies 0.05 below ŷ, so central steps larger than 0.05 "
        "cross it and mix its two slopes (the central error at h = 0.1 is 0.5); smaller steps "
        "see one straight side, where only round-off is left.",
        _loss("MAE", y_pred=0.05),
        shows=("near_breakpoint", "shape_v"),
    ),
    "Faster than h²": Preset(
        "exp(r) − r³/6 at r = ŷ − y = 0: L‴ = 1 − 1 = 0 there, so the central difference's h² "
        "term vanishes and its error falls like h⁴ (the h⁴·L⁽⁵⁾/120 term) until round-off.",
        Config(
            expression="mean(exp(y_pred - y_true) - (y_pred - y_true)**3/6)",
            y_pred=0.0,
            y_true=0.0,
        ),
        shows=("central_fourth_order",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Automatically. Frameworks record the forward computation as a graph and run **reverse-mode "
    "automatic differentiation** (backpropagation): one backward sweep applies the chain rule "
    "node by node, from the loss back to every input, and costs a small constant times the "
    "forward pass however many parameters there are. It is exact to floating-point round-off "
    "wherever every recorded operation is differentiable at its input, unlike finite "
    "differences; at an operation's kink it returns a convention, such as abs′(0) = 0, which "
    "can be wrong even where the loss itself is smooth (relu(r) − relu(−r) = r gets slope 0 at "
    "r = 0). It is not symbolic differentiation: no "
    "expression swell, just local derivatives multiplied along the recorded graph.\n\n"
    "By hand is still worth doing for a custom loss in an interview, and finite differences "
    "are how you **check** any gradient: central differences with h ≈ 1e-5 in float64, "
    "compared by relative error per tensor. As a rule of thumb for float64 with values of "
    "order 1, about 1e-7 or below is right (some checks accept 1e-6) and above 1e-2 is a bug, "
    "unless the check straddles a kink.",
    formulas=(
        r"\frac{L(\hat y + h) - L(\hat y)}{h} = L'(\hat y) + \frac{h}{2} L''(\hat y) + O(h^2)"
        r"\qquad\text{(forward, error } O(h))",
        r"\frac{L(\hat y + h) - L(\hat y - h)}{2h} = L'(\hat y) + \frac{h^2}{6} L'''(\hat y)"
        r" + \frac{h^4}{120} L^{(5)}(\hat y) + O(h^6)\qquad\text{(central, error } O(h^2))",
        r"\text{for } L \text{ smooth on } [\hat y - h, \hat y + h]:\quad"
        r"\text{total error} \approx \underbrace{C h^p}_{\text{truncation}} + "
        r"\underbrace{\varepsilon R / h}_{\text{round-off}},\quad R = \max_v |v|\,"
        r"\Big|\frac{\partial L}{\partial v}\Big| \ge \max\big(|L|,\ |\hat y|\,|L'|\big),\quad "
        r"\varepsilon \approx 2.2\times 10^{-16}",
        # the floor 1e-8 as core.gradcheck.rel_error has it: two gradients of exactly 0 (every
        # unit of a layer dead) have relative error 0, not 0/0
        r"\text{rel. error} = \frac{\max_i |a_i - n_i|}{\max\big(\max_i (|a_i| + |n_i|),\ "
        r"10^{-8}\big)}",
    ),
    pitfalls=(
        "Smaller h is not always better: truncation plus round-off εR/h, with R the largest "
        "|v|·|∂L/∂v| over ŷ ± h and the values computed from it (each is rounded by about "
        "ε·|v|; R ≥ |L| and |ŷ|·|L′|), is smallest near "
        "√(2εR/|L″|) for forward and (3εR/|L‴|)^(1/3) for central differences, near 1e-8 and "
        "1e-5 when R, |L″| and |L‴| are of order 1 (far from them otherwise); below that step "
        "the growing round-off makes the estimate worse.",
        "Forward differences are only first-order accurate; use central differences for checks.",
        "The Taylor error terms assume the loss is smooth over the whole step: a step that "
        "crosses a kink mixes two slopes (their plain average only when the kink sits exactly "
        "at the centre), and no choice of h larger than the distance to it fixes that.",
        "Kinks break gradient checks: ReLU, abs, max or hinge at exactly 0 make the two sides of "
        "a central difference see different slopes; zero-initialised biases and dead units put "
        "pre-activations there more often than you would think.",
        "Check in float64 with dropout off and a fixed seed: in float32 (ε ≈ 1.2e-7) the "
        "round-off term εR/h is already about 1e-2 at h = 1e-5 for values of order 1 (an "
        "absolute error: compare it with the gradient's size), which looks like a bug.",
        "A loss that is not a single number (no mean or sum) has no gradient to check.",
    ),
    points=(
        KeyPoint(
            "Frameworks record the forward computation as a graph and run reverse-mode automatic differentiation (backpropagation) on it.",
            None,
        ),
        KeyPoint(
            "One backward sweep applies the chain rule from the loss to every input, at a small constant times the forward pass's cost however many parameters.",
            None,
        ),
        KeyPoint(
            "Autodiff is exact to floating-point round-off wherever every recorded operation is differentiable at its input, unlike finite differences.",
            None,
        ),
        KeyPoint(
            "At an operation's kink autodiff returns a convention, such as abs′(0) = 0, which can be wrong even where the loss is smooth.",
            "MAE",
        ),
        KeyPoint(
            "It is not symbolic differentiation: no expression swell, just local derivatives multiplied along the recorded graph.",
            None,
        ),
        KeyPoint(
            "Check any gradient with finite differences: central differences with h ≈ 1e-5 in float64, compared by relative error per tensor.",
            None,
        ),
        KeyPoint(
            "Rule of thumb for float64 with values of order 1: a relative error of about 1e-7 or below is right, above 1e-2 a bug, unless the check straddles a kink.",
            None,
        ),
        KeyPoint(
            "For a smooth loss, forward differences are first-order accurate (error O(h)) and central ones second-order (O(h²)): check with central ones.",
            "log-cosh",
        ),
        KeyPoint(
            "Smaller h is not always better: below some step the round-off error overtakes the truncation error (each rounded value v moves L by about ε·|v|·|∂L/∂v|, and the difference divides that by h).",
            "log-cosh",
        ),
        KeyPoint(
            "A step that crosses a kink mixes two slopes, and no h larger than the distance to the kink fixes that.",
            "Near a kink",
        ),
    ),
)


def graph_caption(convention: bool) -> str:
    """The computation graph's caption; ``convention``: autodiff's value at y_pred is a kink
    convention (claims.convention_here), so the backward values from the kinked operation back
    to y_pred are not derivatives and the boxes read "backward" (ui.charts.autodiff.graph_dot)."""
    backward = (
        "Backward pass: what reverse-mode autodiff carries back from the loss (orange) to y_pred "
        "(blue). Here y_pred sits at an operation's kink, so from that operation back to y_pred "
        "the values are its convention, not derivatives ∂L/∂node (What to notice); "
        if convention
        else "Backward pass: ∂L/∂node, from the loss (orange) back to y_pred (blue); "
    )
    return (
        "The loss's computation graph, one box per operation as typed (the engine builds cosh, "
        "sqrt and mean from several primitives). Forward pass: each node's value. "
        + backward
        + "where several paths meet, their contributions add up."
    )
