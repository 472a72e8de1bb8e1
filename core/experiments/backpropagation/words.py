"""The backpropagation lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.backpropagation.claims import EQUAL, HIDDEN, OUTPUT
from core.experiments.backpropagation.experiment import Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Which layer's weights get the larger gradients on average, mean |∂L/∂W|?",
    (OUTPUT, HIDDEN, EQUAL),
)

PRESETS = {
    "Saturated sigmoid": Preset(
        "Large inputs and weights push two hidden units deep into the sigmoid's flat tails: "
        "their σ′(z) is below 1e-4, and every gradient of their incoming weights carries that "
        "factor.",
        Config(activation="sigmoid", x1=5.0, x2=5.0, weight_scale=5.0, seed=0),
        shows=("saturated_units",),
    ),
    "Dead ReLU units": Preset(
        "With ReLU and seed 2, two hidden units have z < 0 on this example: relu′ = 0 there, "
        "so their incoming weights get exactly zero gradient.",
        Config(activation="relu", seed=2),
        shows=("dead_units",),
    ),
    "Step too large": Preset(
        "η = 3: the gradients are still right, but every update steps past the low point along "
        "its direction and lands higher: the loss rises at each update until the run stops.",
        Config(learning_rate=3.0),
        shows=("diverged_rising",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "**Backpropagation** computes the gradient of the loss with respect to every weight by the "
    "chain rule, from the output layer back to the input layer, reusing the values stored "
    "during the forward pass. It is reverse-mode automatic differentiation: one backward pass "
    "costs about twice a forward pass (per layer it needs two matrix products, ∂L/∂W = aᵀδ and "
    "δWᵀ for the layer below, where the forward pass needs one), however many weights there "
    "are, while central differences (the check on this page) need two loss evaluations per "
    "weight, and one-sided differences one per weight plus one. "
    "**Gradient descent** is the optimization rule that then *uses* those gradients to change "
    "the weights, w ← w − η ∂L/∂w. Backprop has no learning rate and changes nothing; any "
    "optimizer (SGD, momentum, Adam) can consume the gradients it produces.",
    formulas=(
        # a line each, aligned: on one line these were about 29, 27 and 46 em wide
        # (tests.app.latex_width), where the model answer's box on a 390 px phone holds about
        # 16.5 (audit pass 70 f)
        r"\begin{aligned}z &= x W^{(1)} + b^{(1)}\\ a &= f(z)\\ \hat y &= a W^{(2)} + b^{(2)}"
        r"\\ L &= \tfrac12(\hat y - y)^2\end{aligned}",
        r"\begin{aligned}\frac{\partial L}{\partial \hat y} &= \hat y - y\\ "
        r"\frac{\partial L}{\partial z_j} &= (\hat y - y)\, W^{(2)}_j\, f'(z_j)\\ "
        r"\frac{\partial L}{\partial W^{(1)}} &= x^\top \frac{\partial L}{\partial z}"
        r"\end{aligned}",
        r"\begin{aligned}\sigma'(z) &= \sigma(z)\bigl(1 - \sigma(z)\bigr) \le \tfrac14\\ "
        r"\operatorname{relu}'(z) &= [z > 0]\quad (z \ne 0)\\ \operatorname{relu}'(0) "
        r"&\text{: none (0 by convention)}\end{aligned}",
    ),
    pitfalls=(
        "Calling backprop a training algorithm: it only computes gradients. The update rule "
        "(and its learning rate) belongs to the optimizer.",
        "Forgetting the factor f′(z): the error reaching a hidden unit is W2_j (ŷ − y) times "
        "f′(z_j), not W2_j (ŷ − y) alone.",
        "ReLU has no derivative at z = 0; frameworks use 0 there. A gradient check whose ±h "
        "nudge crosses the kink can disagree without any bug: the two sides' slopes differ "
        "whenever the unit passes a non-zero gradient on.",
        "With L = (ŷ − y)² (no ½), as in core.losses 'mse', every gradient doubles.",
    ),
    points=(
        KeyPoint(
            "Backpropagation computes ∂L/∂w for every weight by the chain rule, from the output back, reusing the forward pass's values.",
            None,
        ),
        KeyPoint(
            "It is reverse-mode autodiff: a backward pass costs about two forward passes, however many weights there are.",
            None,
        ),
        KeyPoint(
            "A hidden unit's error carries the factor f′(z): saturated sigmoids pass almost nothing back.",
            "Saturated sigmoid",
        ),
        KeyPoint(
            "A ReLU unit with z < 0 has relu′ = 0: its incoming weights get exactly zero gradient.",
            "Dead ReLU units",
        ),
        KeyPoint(
            "Backprop changes no weight and has no learning rate: the optimizer's update w ← w − η∂L/∂w does, and a bad η fails even with correct gradients.",
            "Step too large",
        ),
    ),
)
