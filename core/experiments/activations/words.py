"""The activations lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.activations.claims import COLLAPSE_OPTIONS
from core.experiments.activations.experiment import OUTPUT_GUIDE, Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Stack **many dense layers with no activation** between them (the linear net's depth is in "
    "the sidebar). Can the network draw a curved decision boundary?",
    COLLAPSE_OPTIONS,
)

# The output layer's activation and loss, per task of the output guide.
OUTPUT_FORMULAS = {
    "binary": (
        r"\hat p = \sigma(z) = \frac{1}{1 + e^{-z}}",
        r"L = -\bigl[y \log \hat p + (1 - y) \log(1 - \hat p)\bigr]",
    ),
    "multi-class": (r"\hat p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}", r"L = -\log \hat p_y"),
    "regression": (r"\hat y = z", r"L = (\hat y - y)^2"),
}

PRESETS = {
    "No non-linearity": Preset(
        "A 20-layer linear net is one affine map x·W + b (the scatter); for the same reason "
        "the 'Linear (identity)' classifier panel draws a straight boundary through the moons.",
        Config(group="classic", linear_depth=20, dataset="moons"),
        shows=("collapse_answer",),
    ),
    "Dead ReLUs at a large learning rate": Preset(
        "Adam at η = 1 leaves many ReLUs below zero on every training point, where their own "
        "weights get no gradient; a few come back through momentum or earlier layers. Leaky "
        "ReLU units below zero still pass slope × their gradient.",
        Config(group="relu_family", large_learning_rate=1.0, learning_rate=0.01),
        shows=("more_dead_at_large_lr", "dead_revived", "leaky_keeps_gradient"),
    ),
    "SELU self-normalizes": Preset(
        "At width 128 only SELU with LeCun-normal init stays within 0.1 of mean 0 and std 1 "
        "through 50 layers; with He init its std grows.",
        Config(group="smooth", norm_width=128),
        shows=("selu_normalized", "others_drifted", "selu_he_grew"),
    ),
    "Narrow layers drift": Preset(
        "At width 16 even SELU with LeCun-normal init drifts away from mean 0 and std 1: its "
        "fixed point is exact only as the width grows.",
        Config(group="smooth", norm_width=16),
        shows=("selu_drifted",),
    ),
    "Sigmoid beats tanh here": Preset(
        "At Adam η = 0.3 sigmoid ends below tanh on the moons: 'tanh trains faster than "
        "sigmoid' is a tendency, not a rule.",
        Config(group="classic", learning_rate=0.3),
        shows=("sigmoid_below_tanh",),
    ),
}


def _output_pairs() -> str:
    """'sigmoid + `bce_with_logits` for binary, ...' from the output guide's rows."""
    rows = [
        f"{row.output_activation.split(' (')[0]} + `{row.loss}` for {row.task}"
        for row in OUTPUT_GUIDE.itertuples()
    ]
    return ", ".join(rows[:-1]) + " and " + rows[-1]


MODEL_ANSWER = ModelAnswer(
    "An activation function is the non-linearity applied to each unit's weighted sum, "
    "a = f(Wx + b). Without it any stack of layers is a single affine map x·W + b, so depth adds "
    "no expressive power. It also decides how gradients flow: backprop multiplies by f′ at "
    "every layer.\n\n"
    "**Hidden layers:** ReLU is the default (cheap, slope 1 when active, sparse outputs), with "
    "He init. Its risk is dead units: a unit whose input is negative for every example outputs "
    "0, and its own weights and bias get no gradient. A large learning rate tends to leave more of them "
    "(a tendency: check the fraction of dead units). Under a momentum optimizer such as Adam, "
    "or in deeper layers whose inputs keep changing, some can come back; a first-layer unit under "
    "plain SGD stays dead. Leaky ReLU and PReLU (a learned slope) pass slope × gradient for "
    "x < 0, non-zero whenever the slope is; ELU passes α·eˣ, which fades for very negative x. "
    "Sigmoid and tanh saturate (σ′ ≤ ¼, tanh′ ≤ 1, both near 0 for large |x|). In deep nets "
    "sigmoid's σ′ ≤ ¼ makes gradients vanish with weights at or below the Xavier scale; tanh "
    "(slope 1 at 0) at the Xavier scale does not (at initialization its outputs shrink into its "
    "linear range rather than saturate), though below that scale they vanish too; very large "
    "weights can make the backward product grow instead. tanh is zero-centred with slope 1 at "
    "0, so it usually trains faster than sigmoid in hidden layers (and it is used inside LSTMs). "
    "SELU self-normalizes (mean 0 and variance 1 are a fixed point) in plain dense nets with "
    "LeCun-normal init, standardized inputs and wide layers: the fixed point is exact only as "
    "the width grows. GELU and swish are smooth ReLU-like gates used in transformers.\n\n"
    f"**Output layer** by task: {_output_pairs()}. For classification the loss takes the "
    "logits and applies the output activation inside, for numerical stability. Other targets "
    "need other outputs (counts: exp or softplus with a Poisson loss; multi-label: one sigmoid "
    "per class).",
    formulas=(
        r"\mathrm{ReLU}(x) = \max(0, x),\qquad \sigma'(x) = \sigma(x)\bigl(1-\sigma(x)\bigr) \le \tfrac14",
        r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 "
        r"\end{cases},\quad \lambda \approx 1.0507,\ \alpha \approx 1.6733",
        # row vectors, as the text's x·W + b and the page's map x W_1 W_2 ⋯ W_L + b
        r"\bigl(\cdots\bigl((x W_1 + b_1) W_2 + b_2\bigr) \cdots\bigr) W_L + b_L = x W + b,\quad "
        r"W = W_1 W_2 \cdots W_L:\ \text{one affine map}",
    ),
    pitfalls=(
        "SELU's λ multiplies **both** branches; λ only on x > 0 breaks the (0, 1) fixed point.",
        "Self-normalization needs LeCun-normal init (and plain dense layers); with He init the "
        "variance grows with depth on average.",
        "“A dead ReLU is dead forever”: its own weights and bias get no gradient, but momentum and "
        "changes in earlier layers can revive it. A first-layer unit under plain SGD (no "
        "momentum, no weight decay) is dead for good, as is a deeper one that no input can turn "
        "on (weights ≤ 0 and a negative bias on ReLU outputs). Check the fraction of dead units.",
        "A leaky unit can sit below zero on every input too. It is not cut off (it passes "
        "slope × its gradient), but with a tiny slope it learns slowly.",
        "Do not put a sigmoid or softmax before a loss that expects logits "
        "(BCEWithLogitsLoss, CrossEntropyLoss): it is applied twice.",
    ),
    points=(
        KeyPoint(
            "Without a non-linearity a stack of layers is one affine map: depth adds no expressive power.",
            "No non-linearity",
        ),
        KeyPoint(
            "Backprop multiplies by f′ at every layer, so the activation decides how gradients flow.",
            None,
        ),
        KeyPoint(
            "ReLU is the default in hidden layers (cheap, slope 1 when active), with He init.",
            None,
        ),
        KeyPoint(
            "A ReLU negative on every example is dead (no gradient for its weights); a large learning rate tends to leave more; leaky ReLU passes slope × gradient.",
            "Dead ReLUs at a large learning rate",
        ),
        KeyPoint(
            "Sigmoid and tanh saturate (σ′ ≤ ¼); tanh is zero-centred and usually trains faster, a tendency rather than a rule.",
            "Sigmoid beats tanh here",
        ),
        KeyPoint(
            "SELU self-normalizes with LeCun-normal init in wide dense nets.",
            "SELU self-normalizes",
        ),
        KeyPoint(
            "SELU's fixed point is exact only as the width grows: narrow layers drift.",
            "Narrow layers drift",
        ),
        KeyPoint(
            "Output layer by task: sigmoid for binary, softmax for multi-class, identity for regression; for classification the loss takes the logits.",
            None,
        ),
    ),
)
