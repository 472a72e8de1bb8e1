"""Lesson: vanishing and exploding gradients, and what fixes them (ReLU, init, batch norm, clipping)."""

import streamlit as st

from core.activations import ACTIVATIONS
from core.experiments import vanishing_gradients as vg
from ui import controls, lesson
from ui.charts import architecture as charts
from ui.runner import build_config, run_experiment

DEFAULTS = vg.Config()
ON_OFF = ("off", "on")
INIT_LABELS = {
    "normal": "normal N(0, σ²), σ below",
    "xavier": "Xavier/Glorot: σ² = 2 / (n_in + n_out)",
    "he": "He/Kaiming: σ² = 2 / n_in",
    "lecun": "LeCun: σ² = 1 / n_in",
}

lesson.header(
    "Vanishing and exploding gradients",
    "What is the vanishing gradient problem, and how do you fix it?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Sigmoid, 20 layers, naive init": (
            "N(0, 1) weights saturate the sigmoids: the early layers get almost no gradient "
            "and barely move.",
            {
                "act": "sigmoid",
                "depth": 20,
                "init": "normal",
                "sigma": 1.0,
                "bn": "off",
                "clip": "off",
            },
        ),
        "ReLU + He": (
            "ReLU's slope is 1 where it is active and He init keeps the scale: gradients stay "
            "within a small factor across 20 layers.",
            {"act": "relu", "depth": 20, "init": "he", "bn": "off", "clip": "off"},
        ),
        "Exploding, then clipped": (
            "Weights twice the He scale double the signal per layer, and the gradient is huge; "
            "clipping its norm keeps the steps small, and the net trains (without it, it diverges).",
            {
                "act": "relu",
                "depth": 8,
                "width": 16,
                "init": "normal",
                "sigma": 0.7,
                "clip": "on",
                "maxnorm": 1.0,
                "bn": "off",
            },
        ),
        "Batch norm rescue": (
            "The same saturated 20-layer sigmoid net with batch norm: every layer's input is "
            "re-standardized, and the first layer learns.",
            {
                "act": "sigmoid",
                "depth": 20,
                "init": "normal",
                "sigma": 1.0,
                "bn": "on",
                "clip": "off",
            },
        ),
    }
)
with st.sidebar:
    st.subheader("Network")
    depth = controls.slider(
        "Hidden layers",
        key="depth",
        min_value=1,
        max_value=50,
        value=DEFAULTS.depth,
        help="Depth of the network: each hidden layer multiplies the backward signal by its "
        "weights and its activation's derivative.",
    )
    width = controls.choice_slider(
        "Units per hidden layer",
        key="width",
        options=vg.WIDTHS,
        value=DEFAULTS.width,
        help="Width of every hidden layer. The input has 2 features and the output 1 logit.",
    )
    activation = controls.select(
        "Activation",
        key="act",
        options=vg.ACTIVATION_NAMES,
        value=DEFAULTS.activation,
        fmt=lambda a: ACTIVATIONS[a].label,
        help="The hidden layers' non-linearity. Sigmoid's derivative is at most 1/4; ReLU's is "
        "1 where the unit is active.",
    )
    init = controls.select(
        "Weight init",
        key="init",
        options=vg.INITS,
        value=DEFAULTS.init,
        fmt=INIT_LABELS.get,
        help="Zero-mean normal weights with this variance; biases start at 0.",
    )
    sigma = controls.log_slider(
        "σ of the normal init (log scale)",
        key="sigma",
        options=controls.log_options(0.001, 10.0),
        value=DEFAULTS.sigma,
        help="Used only by 'normal' init. Small σ shrinks the signal every layer; large σ "
        "saturates sigmoid and tanh, or explodes a ReLU net.",
    )
    batch_norm = controls.radio(
        "Batch normalization",
        key="bn",
        options=ON_OFF,
        value="on" if DEFAULTS.batch_norm else "off",
        help="Standardize every hidden pre-activation over the mini-batch, then scale by γ and "
        "shift by β (learned), as torch.nn.BatchNorm1d.",
    )
    st.subheader("Training")
    learning_rate = controls.log_slider(
        "SGD learning rate η (log scale)",
        key="lr",
        options=controls.log_options(0.001, 3.0),
        value=DEFAULTS.learning_rate,
        help="Plain SGD: each layer's step is η times its own gradient, so a layer with a "
        "vanished gradient stays where it started.",
    )
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=1,
        max_value=150,
        value=DEFAULTS.epochs,
        help="Passes over the 140 training points, in mini-batches of 35.",
    )
    clip = controls.radio(
        "Gradient clipping",
        key="clip",
        options=ON_OFF,
        value="on" if DEFAULTS.clip else "off",
        help="Rescale the whole gradient to norm at most 'max norm' before each step "
        "(torch.nn.utils.clip_grad_norm_).",
    )
    max_norm = controls.log_slider(
        "Clipping max norm (log scale)",
        key="maxnorm",
        options=controls.log_options(0.01, 100.0),
        value=DEFAULTS.max_norm,
        help="The largest global gradient norm allowed; also used by the clipping comparison.",
    )
    st.subheader("Data")
    dataset = controls.select(
        "Dataset",
        key="data",
        options=vg.DATASETS,
        value=DEFAULTS.dataset,
        help="A 2-D two-class set of 200 points: 140 train, 60 test.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the data, the weights and the shuffling.",
    )

config = build_config(
    vg.Config,
    depth=depth,
    width=width,
    activation=activation,
    init=init,
    sigma=sigma,
    batch_norm=batch_norm == "on",
    clip=clip == "on",
    max_norm=max_norm,
    learning_rate=learning_rate,
    epochs=epochs,
    dataset=dataset,
    seed=int(seed),
)

choice = lesson.predict(
    "vg",
    "At initialization, how large is the **first** layer's gradient ‖∂L/∂W₁‖ compared with the "
    "**last** layer's in this network?",
    vg.PREDICTIONS,
)

result = run_experiment("vanishing_gradients", config)
summary = result.summary
ratio = summary["first_last_ratio"]
label = ACTIVATIONS[config.activation].label
L = config.depth + 1

if summary["diverged"]:
    st.warning(
        f"**Diverged:** {summary['stopped_reason']}. The gradients exploded; the charts stop "
        "where the run stopped. Turn on gradient clipping, lower η or shrink the init.",
        icon=":material/warning:",
    )

# ---- main chart: gradient norm per layer at initialization -------------------------------------
show_bound = config.activation == "sigmoid" and not config.batch_norm
lesson.chart(
    lesson.Cached(
        charts.layer_gradients,
        result.at_init,
        bound_label="¼^(L−k) × ‖∂L/∂W_L‖: the σ′ factors alone" if show_bound else None,
        title=f"Gradient per layer at initialization: {label}, {config.depth} hidden layers"
        + (", batch norm" if config.batch_norm else ""),
    )
)
st.caption(
    "Backprop multiplies the error by Wᵀ and by f′(z) once per layer on its way to the input. "
    + (
        "The dashed line is ¼ per layer, the most sigmoid's derivatives can pass back; the "
        "weights multiply in too, so the bars can sit above it (large weights) or below it."
        if show_bound
        else "With sigmoid and no batch norm the chart also draws the ¼-per-layer bound."
    )
)
regime = vg.gradient_regime(ratio)
if regime is None:
    st.info(
        "Here the gradients are zero (or not finite) in every layer, so their ratio is "
        "undefined: the signal died on its way through the network. Pick a larger σ or another "
        "init.",
        icon=":material/info:",
    )
else:
    lesson.reveal(
        choice,
        regime,
        f"Here ‖∂L/∂W₁‖ / ‖∂L/∂W_{L}‖ = {ratio:.2g}"
        + (
            f", about ×{summary['per_layer_factor']:.2f} per hidden layer."
            if summary["per_layer_factor"] == summary["per_layer_factor"]
            else "."
        ),
    )

s10, s20 = result.sigmoid_at[10.0], result.sigmoid_at[20.0]
m1, m2, m3, m4 = st.columns(4)
m1.metric("σ′(0), the largest it gets", f"{result.sigmoid_at[0.0]:.2f}")
m2.metric("σ′(10)", f"{s10:.2e}")
m3.metric("σ′(20)", f"{s20:.2e}")
m4.metric("first ÷ last layer gradient", f"{ratio:.2e}")

# ---- over training --------------------------------------------------------------------------------
st.header("During training")
metric = controls.radio(
    "Heatmap shows",
    key="heat",
    options=tuple(charts.METRICS),
    value="grad_norm",
    fmt=lambda m: charts.METRICS[m][0],
    help="Per layer and epoch, on the whole training set: the gradient, the relative step SGD "
    "took, the spread of the layer's outputs, and the share of saturated (or inactive) units.",
)
left, right = st.columns([3, 2], gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.layer_epoch_heatmap,
            result.layers,
            metric=metric,
            title=f"{charts.METRICS[metric][0]} per layer and epoch",
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.split_curves,
            result.curves,
            metric="loss",
            title=f"Loss while training ({config.epochs} epochs of SGD)",
            y_title="binary cross-entropy",
        )
    )
    st.caption(
        f"W₁ moved by {summary['first_layer_change']:.2g} of its size during training, "
        f"the output layer by {summary['last_layer_change']:.2g}."
    )

c1, c2 = st.columns(2, gap="medium")
with c1:
    lesson.chart(
        lesson.Cached(
            charts.depth_sweep_chart,
            result.depth_sweep,
            title="How fast the first layer learns, against depth",
        )
    )
    st.caption(
        "The relative step of W₁ on the first SGD update, η‖∂L/∂W₁‖ / ‖W₁‖, at "
        f"initialization (width {config.width}, η = {config.learning_rate:g})."
    )
with c2:
    lesson.chart(
        lesson.Cached(
            charts.sigmoid_derivative_chart,
            result.sigmoid_derivative,
            {x: result.sigmoid_at[x] for x in (0.0, 5.0, 10.0, 20.0)},
            title="A saturated sigmoid passes almost nothing back",
        )
    )
    st.caption("σ′(x) = σ(x)(1 − σ(x)), computed here: ¼ at 0, then it falls like e^(−|x|).")

# ---- clipping: both regimes -------------------------------------------------------------------------
st.header("Gradient clipping in both regimes")
rs = result.regime_summary.set_index(["regime", "clipping"])
st.markdown(
    f"Two fixed nets of {vg.REGIME_DEPTH} hidden layers × {vg.REGIME_WIDTH} units, SGD with "
    f"η = {config.learning_rate:g}, clipped to max norm {config.max_norm:g} or not: **exploding** "
    "(ReLU, N(0, 0.6²) weights, 1.7× the He scale) and **vanishing** (sigmoid, Xavier init)."
)
cols = st.columns(2, gap="medium")
for col, regime in zip(cols, vg.REGIMES, strict=True):
    with col:
        off, on = rs.loc[(regime, "off")], rs.loc[(regime, "on")]
        lesson.chart(
            lesson.Cached(
                charts.regime_losses,
                result.regimes,
                regime=regime,
                title=f"{regime.capitalize()}: training loss",
            )
        )
        lesson.chart(
            lesson.Cached(
                charts.regime_gradients,
                result.regime_grads,
                regime=regime,
                title=f"{regime.capitalize()}: gradient per layer, before and after clipping",
            )
        )
        verdict = "diverged" if off["diverged"] else f"ended at loss {off['final_loss']:.3g}"
        st.caption(
            f"Without clipping the run {verdict}; with clipping it ended at loss "
            f"{on['final_loss']:.3g} (accuracy {on['final_accuracy']:.2f}). Global gradient norm "
            f"at initialization: {off['grad_norm']:.3g}."
        )
if rs.loc[("exploding", "off"), "diverged"]:
    st.warning(
        "**Exploding, no clipping: diverged.** In the comparison above "
        f"{rs.loc[('exploding', 'off'), 'stopped_reason']}; that is the failure clipping fixes.",
        icon=":material/warning:",
    )

# ---- what the run says ------------------------------------------------------------------------------
van_off, van_on = rs.loc[("vanishing", "off")], rs.loc[("vanishing", "on")]
exp_off, exp_on = rs.loc[("exploding", "off")], rs.loc[("exploding", "on")]
sweep = result.depth_sweep.set_index(["setting", "depth"])["first_speed"]
sentences = [
    f"At initialization ‖∂L/∂W₁‖ is {ratio:.2g} × ‖∂L/∂W_{L}‖ in this {label} net"
    + (
        f", a factor of about {summary['per_layer_factor']:.2f} per hidden layer"
        if summary["per_layer_factor"] == summary["per_layer_factor"]
        else ""
    )
    + (
        f"; the sigmoid bound ¼ per layer alone allows at most {0.25**config.depth:.2g} over "
        f"{config.depth} layers."
        if show_bound
        else "."
    ),
    f"The whole gradient's norm at initialization is {summary['global_grad_norm']:.3g}, so the "
    f"first SGD step has length η‖g‖ = {config.learning_rate * summary['global_grad_norm']:.3g}"
    + (
        f", clipped to at most η × {config.max_norm:g} = {config.learning_rate * config.max_norm:.3g}."
        if config.clip
        else "."
    ),
    f"σ′(10) = {s10:.2g} and σ′(20) = {s20:.2g}: one saturated sigmoid layer divides the "
    f"gradient by {1 / s10:,.0f}.",
    "The first layer's relative step η‖∂L/∂W₁‖/‖W₁‖ at 1 and at 50 hidden layers: "
    + "; ".join(
        f"{sweep[(name, 1)]:.2g} and {sweep[(name, 50)]:.2g} with {name}"
        for name in dict.fromkeys(result.depth_sweep["setting"])
    )
    + ".",
    "Clipping rescued the exploding net ("
    + ("diverged" if exp_off["diverged"] else f"loss {exp_off['final_loss']:.3g}")
    + f" without, {exp_on['final_loss']:.3g} with) but not the vanishing one: its global norm "
    f"{van_off['grad_norm']:.2g} is "
    + ("below" if van_off["grad_norm"] <= config.max_norm else "above")
    + f" the max norm {config.max_norm:g}, and W₁ moved by {van_off['first_layer_change']:.1e} "
    f"without and {van_on['first_layer_change']:.1e} with clipping. Clipping only ever scales "
    "gradients down.",
]
lesson.notice(sentences)

lesson.model_answer(
    "Backpropagation computes the gradient of an early layer as a product of one factor per "
    "later layer: the weight matrix and the activation's derivative. With sigmoid, σ′ ≤ ¼ "
    "(and ≈ 0 when saturated, σ′(10) ≈ 4.5·10⁻⁵), so the product shrinks geometrically with "
    "depth: the early layers get almost no gradient and barely learn. That is the **vanishing "
    "gradient** problem; with large weights the same product grows geometrically and gradients "
    "**explode** (NaN losses, wild steps).\n\n"
    "Fixes: activations whose derivative is 1 on the active side (**ReLU family**), an init "
    "that keeps the variance of activations and gradients constant across layers (**Xavier** "
    "for tanh/sigmoid, **He** for ReLU), **batch normalization** (re-standardizes every layer, "
    "so it works in the non-saturated range), residual connections and LSTM gates in deeper or "
    "recurrent nets, and **gradient clipping** for exploding gradients.",
    formulas=[
        r"\delta_k = \bigl(\delta_{k+1} W_{k+1}^{\top}\bigr) \odot f'(z_k),\qquad "
        r"\frac{\partial L}{\partial W_k} = a_{k-1}^{\top}\,\delta_k",
        r"\lVert \delta_k \rVert \le \lVert \delta_L \rVert \prod_{j=k+1}^{L} "
        r"\lVert W_j \rVert_2 \,\max_x |f'(x)|,\qquad \sigma'(x) = \sigma(x)\bigl(1-\sigma(x)\bigr) \le \tfrac14",
        r"g \leftarrow g \cdot \min\!\Bigl(1, \frac{c}{\lVert g \rVert}\Bigr)\quad\text{(clip by global norm } c\text{)}",
        r"\hat z = \frac{z - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}},\qquad y = \gamma \hat z + \beta",
    ],
    pitfalls=[
        "Clipping caps exploding gradients; it does **not** lift vanishing ones: it only scales "
        "the gradient down, never up (see the vanishing regime above).",
        "ReLU fixes the derivative on the active side, but units whose input is always negative "
        "die (zero gradient forever); leaky ReLU or a smaller learning rate helps.",
        "Xavier init is derived for tanh-like activations, He for ReLU: mixing them up shrinks "
        "or grows the signal by a constant factor per layer.",
        "Adam rescales each parameter's step, which hides small gradients in the step size but "
        "does not repair the information lost in saturated units.",
    ],
)
