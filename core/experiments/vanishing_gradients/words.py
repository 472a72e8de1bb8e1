"""The vanishing-gradients lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.vanishing_gradients.experiment import PREDICTIONS, Config
from core.facts import Estimate, KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "At initialization, how large is the **first** layer's gradient ‖∂L/∂W₁‖ compared with the "
    "**last** layer's in this network?",
    PREDICTIONS,
    Estimate(
        "Your estimate of the ratio ‖∂L/∂W₁‖ / ‖∂L/∂W_last‖ (optional)",
        key="ratio",
        tolerance=3.0,
        low=0.0,
        high=1e300,  # the ratio reaches 4.97e18 (tanh, N(0, 10²), depth 50, width 64)
        factor=True,
    ),
)

PRESETS = {
    "Sigmoid, 20 layers, naive init": Preset(
        "N(0, 1) weights: few sigmoids are saturated, yet each passes back σ′ ≤ ¼ times its "
        "weights. Over 20 layers the first layer gets over 1,000× less gradient than the last, "
        "and it barely moves.",
        Config(activation="sigmoid", depth=20, init="normal", sigma=1.0),
        shows=("mostly_unsaturated", "ratio_over_1000_smaller", "first_layer_frozen"),
    ),
    "ReLU + He": Preset(
        "ReLU passes back slope 1 where a unit is active, and He init keeps the signal's "
        "second moment in expectation over the weight draw; one draw at width 16 drifts from "
        "layer to layer, and here its output spread shrinks. Over 20 layers at width 16 the "
        "first layer still gets 10× to 1,000× less gradient than the last, yet it learns "
        "(compare sigmoid in the depth sweep).",
        Config(activation="relu", depth=20, init="he"),
        shows=("ratio_10_to_1000_smaller", "signal_shrinks", "first_layer_moved", "loss_fell"),
    ),
    "Exploding, then clipped": Preset(
        "ReLU with N(0, 0.7²) weights (twice the He scale from layer 2 on) grows the signal "
        "layer after layer, and the gradient is large. Clipping its norm to 1 caps every step "
        "at η × 1, and the net trains. The comparison below runs a similar net without "
        "clipping too.",
        Config(
            activation="relu", depth=8, width=16, init="normal", sigma=0.7, clip=True, max_norm=1.0
        ),
        shows=("signal_grows", "first_step_clipped", "loss_fell"),
    ),
    "Batch norm rescue": Preset(
        "The same 20-layer sigmoid net with N(0, 1) weights and batch norm: every hidden "
        "pre-activation is re-standardized over the mini-batch, the sigmoids work near 0, and "
        "the first layer learns.",
        Config(activation="sigmoid", depth=20, init="normal", sigma=1.0, batch_norm=True),
        shows=("first_layer_moved", "loss_fell"),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Backpropagation computes an early layer's gradient as a product of one factor per later "
    "layer: the transposed weight matrix and the activation's derivative there (and, with batch "
    "norm, its Jacobian). When those factors are on average below 1 the product shrinks "
    "geometrically with depth, and the early layers get almost no gradient and barely learn: "
    "the **vanishing gradient** problem. When they are above 1 it grows, and gradients "
    "**explode** (huge steps, NaN losses). What decides is the weights times the derivatives: "
    "in a wide net the backward signal's variance is multiplied per layer by about "
    "σ_w²·n·E[f′(z)²]. Sigmoid is the classic culprit: σ′ ≤ ¼ everywhere and ≈ 0 when "
    "saturated (σ′(10) ≈ 4.5·10⁻⁵), so at the usual init scales, Xavier included, the product "
    "shrinks; very large weights can still make even a sigmoid net's gradients grow.\n\n"
    "Fixes: activations whose derivative is 1 on the active side (**ReLU family**), with an "
    "init scaled to the fan-in that keeps the signal's variance about constant across layers "
    "(**He**, σ² = 2/n_in, for ReLU, which zeroes half its inputs; **Xavier** for tanh, "
    "which keeps it near constant over a few layers and lets it decay slowly over many, since "
    "tanh′ < 1 away from 0); "
    "for sigmoid no usual init does that, since σ′ ≤ ¼ and its outputs centre on ½: only "
    "weights large enough to saturate many of its units keep the product near 1 (this page's "
    "default, sigmoid with Xavier, vanishes). **Batch normalization** re-standardizes every "
    "hidden pre-activation, so sigmoid and tanh units work near 0, out of saturation. "
    "Residual connections (an identity path for the gradient) and LSTM gates help in deeper "
    "or recurrent nets, and **gradient clipping** caps the step when gradients explode.",
    formulas=(
        r"\delta_k = \bigl(\delta_{k+1} W_{k+1}^{\top}\bigr) \odot f'(z_k),\qquad "
        r"\frac{\partial L}{\partial W_k} = a_{k-1}^{\top}\,\delta_k",
        r"\lVert \delta_k \rVert \le \lVert \delta_L \rVert \prod_{j=k+1}^{L} "
        r"\lVert W_j \rVert_2 \,\max_x |f'(x)|\ \ \text{(no batch norm)},\qquad "
        r"\sigma'(x) = \sigma(x)\bigl(1-\sigma(x)\bigr) \le \tfrac14",
        r"\frac{\operatorname{Var}\delta_k}{\operatorname{Var}\delta_{k+1}} \approx "
        r"\sigma_w^2\, n\, \mathbb{E}\bigl[f'(z_k)^2\bigr]\ \ "
        r"\text{(wide layers: } < 1 \text{ vanishes, } > 1 \text{ explodes)}",
        r"g \leftarrow g \cdot \min\!\Bigl(1, \frac{c}{\lVert g \rVert + 10^{-6}}\Bigr)"
        r"\quad\text{(clip by global norm } c\text{, as PyTorch)}",
        r"\hat z = \frac{z - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}},\qquad y = \gamma \hat z + \beta",
    ),
    pitfalls=(
        "Clipping caps exploding gradients; it does **not** lift vanishing ones: it only scales "
        "the gradient down, never up. At a small η, where nothing explodes, it can slow "
        "training.",
        "“Xavier init fixes sigmoid”: it does not keep sigmoid's gradient scale (σ′(0) = ¼, "
        "outputs centred on ½); this page's default, sigmoid with Xavier, vanishes.",
        "ReLU fixes the derivative on the active side, but a unit whose input is negative for "
        "every example gets no gradient on its own weights and bias. In the first layer under plain SGD "
        "it stays dead; deeper units (whose inputs change) or momentum can revive a few. Leaky "
        "ReLU or a smaller learning rate helps.",
        "He init on ReLU keeps the signal's second moment in expectation (a narrow net's "
        "drifts from layer to layer); Xavier on ReLU halves its variance every layer of equal "
        "width; He on tanh drives more units toward ±1 (saturation) than Xavier "
        "does. tanh is bounded, so its outputs cannot grow without limit, but its gradients can: "
        "at He's scale σ_w²·n·E[tanh′(z)²] is about 1.1 in a wide net, so the backward signal "
        "grows slowly with depth.",
        "The first/last ratio misses a vanishing or an explosion that hits every layer alike: "
        "read the gradients' sizes too.",
        "Adam rescales each parameter's step, which hides small gradients in the step size but "
        "does not repair the information lost in saturated units.",
    ),
    points=(
        KeyPoint(
            "An early layer's gradient is a product of one factor per later layer (weights times f′); below 1 on average it shrinks geometrically with depth.",
            "Sigmoid, 20 layers, naive init",
        ),
        KeyPoint(
            "Sigmoid is the classic culprit: σ′ ≤ ¼ everywhere, ≈ 0 when saturated.",
            "Sigmoid, 20 layers, naive init",
        ),
        KeyPoint(
            "Factors above 1 make gradients explode: huge steps, NaN losses.",
            "Exploding, then clipped",
        ),
        KeyPoint(
            "ReLU with He init keeps the signal's scale across layers on average (narrow layers fluctuate).",
            "ReLU + He",
        ),
        KeyPoint(
            "Batch normalization re-standardizes every hidden pre-activation, so sigmoid units work out of saturation.",
            "Batch norm rescue",
        ),
        KeyPoint(
            "Gradient clipping caps exploding gradients; it never lifts vanishing ones.",
            "Exploding, then clipped",
        ),
        KeyPoint(
            "Residual connections and LSTM gates give the gradient an identity path in deeper or recurrent nets.",
            None,
        ),
    ),
)
