"""Lesson: what an activation function does, and how to choose one (hidden layers and output)."""

import streamlit as st

from core.activations import ACTIVATIONS
from core.experiments import activations as ae
from core.losses import LOSSES
from ui import controls, lesson
from ui.charts import architecture as charts
from ui.runner import build_config, run_experiment

DEFAULTS = ae.Config()
GROUP_LABELS = {
    group: ", ".join(ACTIVATIONS[a].label for a in names) for group, names in ae.GROUPS.items()
}
COLLAPSE_OPTIONS = ("Yes: depth adds curvature", "No: it stays one straight line")

lesson.header(
    "Activation functions",
    "What is an activation function, and how do you choose one?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "No non-linearity": (
            "A 20-layer linear net is one matrix product, and a linear activation draws a "
            "straight boundary through the moons.",
            {"group": "classic", "ldepth": 20},
        ),
        "Dead ReLUs at a large learning rate": (
            "Adam at η = 1 pushes many ReLUs below zero for every input, where they stop "
            "learning for good; leaky ReLU units never die.",
            {"group": "relu_family", "biglr": 1.0, "lr": 0.01},
        ),
        "SELU self-normalizes": (
            "Only SELU with LeCun-normal init keeps mean 0 and std 1 through 50 layers.",
            {"group": "smooth", "nwidth": 128},
        ),
    }
)
with st.sidebar:
    st.subheader("Activation shapes")
    negative_slope = controls.slider(
        "Leaky ReLU negative slope",
        key="slope",
        min_value=0.0,
        max_value=0.5,
        value=DEFAULTS.negative_slope,
        step=0.01,
        format="%.2f",
        help="leaky_relu(x) = x for x > 0, slope · x otherwise (PyTorch default 0.01).",
    )
    elu_alpha = controls.slider(
        "ELU α",
        key="alpha",
        min_value=0.1,
        max_value=3.0,
        value=DEFAULTS.elu_alpha,
        step=0.1,
        help="ELU saturates at −α for very negative inputs (PyTorch default 1).",
    )
    prelu_init = controls.slider(
        "PReLU initial slope a",
        key="prelu",
        min_value=0.0,
        max_value=1.0,
        value=DEFAULTS.prelu_init,
        step=0.05,
        help="PReLU learns its negative slope a by gradient descent; this is where it starts "
        "(PyTorch default 0.25). One a per hidden layer.",
    )
    st.subheader("Training comparison")
    group = controls.select(
        "Activations to compare",
        key="group",
        options=tuple(ae.GROUPS),
        value=DEFAULTS.group,
        fmt=GROUP_LABELS.get,
        help="The same network, data, seed and optimizer, trained once per activation.",
    )
    dataset = controls.select(
        "Dataset",
        key="data",
        options=ae.DATASETS,
        value=DEFAULTS.dataset,
        help="A 2-D two-class set of 200 points: 140 train, 60 test.",
    )
    hidden_layers = controls.slider(
        "Hidden layers",
        key="layers",
        min_value=1,
        max_value=4,
        value=DEFAULTS.hidden_layers,
        help="Hidden layers of the classifier; the output is one logit.",
    )
    width = controls.choice_slider(
        "Units per hidden layer",
        key="width",
        options=(4, 8, 16, 32, 64),
        value=DEFAULTS.width,
        help="Width of every hidden layer.",
    )
    learning_rate = controls.log_slider(
        "Adam learning rate η (log scale)",
        key="lr",
        options=controls.log_options(0.001, 0.3),
        value=DEFAULTS.learning_rate,
        help="Step size of Adam for the comparison (and the first dead-unit run).",
    )
    large_learning_rate = controls.log_slider(
        "Large learning rate (log scale)",
        key="biglr",
        options=controls.log_options(0.1, 3.0),
        value=DEFAULTS.large_learning_rate,
        help="The dead-unit experiment trains ReLU and leaky ReLU with this step size.",
    )
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=5,
        max_value=150,
        value=DEFAULTS.epochs,
        step=5,
        help="Passes over the training set, in mini-batches of 28.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the data, the weights and the shuffling.",
    )
    st.subheader("Depth")
    linear_depth = controls.slider(
        "Layers of the linear net",
        key="ldepth",
        min_value=2,
        max_value=50,
        value=DEFAULTS.linear_depth,
        help="Dense layers with no activation between them, 8 units wide.",
    )
    norm_width = controls.choice_slider(
        "Width of the 50-layer nets",
        key="nwidth",
        options=(16, 32, 64, 128),
        value=DEFAULTS.norm_width,
        help="Units per layer of the self-normalization experiment (200 standard-normal inputs).",
    )
    naive_sigma = controls.log_slider(
        "σ of the naive sigmoid init (log scale)",
        key="sigma",
        options=controls.log_options(0.001, 10.0),
        value=DEFAULTS.naive_sigma,
        help="The 'sigmoid + naive' net draws every weight from N(0, σ²), whatever the width.",
    )

config = build_config(
    ae.Config,
    negative_slope=negative_slope,
    elu_alpha=elu_alpha,
    prelu_init=prelu_init,
    group=group,
    dataset=dataset,
    hidden_layers=hidden_layers,
    width=width,
    learning_rate=learning_rate,
    large_learning_rate=large_learning_rate,
    epochs=epochs,
    linear_depth=linear_depth,
    norm_width=norm_width,
    naive_sigma=naive_sigma,
    seed=int(seed),
)

choice = lesson.predict(
    "act",
    f"Stack **{config.linear_depth} dense layers with no activation** between them. Can the "
    "network draw a curved decision boundary?",
    COLLAPSE_OPTIONS,
)

result = run_experiment("activations", config)

# ---- f and f' -----------------------------------------------------------------------------------
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.activation_shapes,
            result.shapes,
            value="f",
            title="Activation functions f(x)",
            y_title="f(x)",
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.activation_shapes,
            result.shapes,
            value="derivative",
            title="Their derivatives f′(x): what backprop multiplies by",
            y_title="f′(x)",
        )
    )
st.caption(
    "Click a name in the legend to pick one out. Sigmoid's slope is at most ¼ and tanh's at "
    "most 1, both near 0 for large |x| (saturation); the ReLU family has slope 1 for x > 0 and "
    f"a kink at 0 (here the leaky slope is {config.negative_slope:g}, ELU α = "
    f"{config.elu_alpha:g}, PReLU a = {config.prelu_init:g})."
)
with st.expander("Formulas", icon=":material/function:", expanded=True):
    tabs = st.tabs([a.label for a in ACTIVATIONS.values()])
    for tab, act in zip(tabs, ACTIVATIONS.values(), strict=True):
        with tab:
            st.latex(act.latex)
            st.latex(act.grad_latex)
            params = config.activation_kw(act.name)
            if act.name == "selu":
                st.caption(
                    "λ multiplies **both** branches: λα(eˣ − 1) for x ≤ 0, not α(eˣ − 1). "
                    "λ = 1.0507 and α = 1.6733 are fixed so that mean 0 and variance 1 are a "
                    "fixed point."
                )
            elif params:
                st.caption(", ".join(f"{k} = {v:g}" for k, v in params.items()) + " (sidebar)")

# ---- depth collapses without a non-linearity -----------------------------------------------------
st.header("Without a non-linearity, depth collapses")
cm = result.collapse_map
left, right = st.columns([3, 2], gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.collapse_scatter,
            result.collapse,
            depth=cm["depth"],
            title=f"A {cm['depth']}-layer linear net equals one matrix product",
        )
    )
with right:
    st.markdown(f"The {cm['depth']} weight matrices multiply out to one map: for every input,")
    st.latex(
        rf"\begin{{aligned}} f(x) &= x\, W_1 W_2 \cdots W_{{{cm['depth']}}} + b \\ "
        rf"&= {cm['w1']:.4f}\,x_1 {cm['w2']:+.4f}\,x_2 {cm['b']:+.4f} \end{{aligned}}"
    )
    st.markdown(
        f"Largest difference between the deep net and this single map over the "
        f"{len(result.collapse)} test points: **{cm['max_abs_diff']:.1e}** (float64 round-off; "
        f"outputs are up to {cm['scale']:.2f}). Its decision boundary f(x) = 0 is a straight line."
    )
straight = cm["max_abs_diff"] <= 1e-9 * max(1.0, cm["scale"])
lesson.reveal(
    choice,
    COLLAPSE_OPTIONS[1] if straight else COLLAPSE_OPTIONS[0],
    "A composition of affine maps is affine: without a non-linearity extra layers add "
    "parameters, not expressive power.",
)

# ---- the same net with each activation -------------------------------------------------------------
st.header("The same network with each activation")
summary = result.summary.set_index("activation")
names = list(summary.index)
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.training_curves,
            result.training,
            metric="train_loss",
            title="Training loss, same net, data, seed and optimizer",
            y_title="binary cross-entropy (log scale)",
            log_y=True,
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.training_curves,
            result.training,
            metric="test_accuracy",
            title="Test accuracy",
            y_title="accuracy on the 60 test points",
        )
    )
cols = st.columns(len(names))
for col, name in zip(cols, names, strict=True):
    with col:
        row = summary.loc[name]
        lesson.chart(
            lesson.Cached(
                charts.boundary_panel,
                result.boundaries[result.boundaries["activation"] == name],
                result.points,
                title=ACTIVATIONS[name].label,
            )
        )
        note = f"test accuracy {row['test_accuracy']:.2f}, {row['init']} init"
        if row["learned_slopes"]:
            note += f"; learned slopes a = {row['learned_slopes']}"
        if row["diverged"]:
            note += "; **diverged**"
        st.caption(note)

# ---- dead ReLUs --------------------------------------------------------------------------------
st.header("Dead ReLUs")
ds = result.dead_summary.set_index("run")
runs = list(ds.index)
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.dead_units_chart,
            result.dead,
            value="dead",
            title="Hidden units that never fire on the training set",
            y_title="fraction of dead units",
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.dead_units_chart,
            result.dead,
            value="train_loss",
            title="Training loss of the same runs",
            y_title="binary cross-entropy",
        )
    )
st.caption(
    "A unit is dead when f′(z) < 1 % of its peak for every training point: no gradient reaches "
    "its weights, so it never recovers. Leaky ReLU's slope on the negative side keeps a "
    "gradient flowing."
)

# ---- self-normalization -------------------------------------------------------------------------
st.header("Self-normalization through 50 layers")
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.self_norm_chart,
            result.self_norm,
            stat="mean",
            target=0.0,
            title="Mean of each layer's outputs at initialization",
            y_title="mean (symlog scale)",
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.self_norm_chart,
            result.self_norm,
            stat="std",
            target=1.0,
            title="Standard deviation of each layer's outputs",
            y_title="standard deviation (log scale)",
            log_y=True,
        )
    )
moments = result.selu_moments.set_index("variant")
right_selu, wrong_selu = moments.iloc[0], moments.iloc[1]
st.caption(
    f"For z ~ N(0, 1), SELU(z) has mean {right_selu['mean']:.1e} and variance "
    f"{right_selu['variance']:.4f} (computed exactly): (0, 1) is a fixed point. With λ on the "
    f"positive branch only, mean {wrong_selu['mean']:.4f} and variance "
    f"{wrong_selu['variance']:.4f}: the fixed point is gone."
)

# ---- output layer ----------------------------------------------------------------------------------
st.header("The output activation follows the task")
task = controls.radio(
    "Task",
    key="task",
    options=tuple(ae.OUTPUT_GUIDE["task"]),
    value="binary",
    help="The hidden layers' activation is a modelling choice; the output's is fixed by what "
    "the target is.",
)
guide = ae.OUTPUT_GUIDE.set_index("task").loc[task]
FORMULAS = {
    "binary": (
        r"\hat p = \sigma(z) = \frac{1}{1 + e^{-z}}",
        r"L = -\bigl[y \log \hat p + (1 - y) \log(1 - \hat p)\bigr]",
    ),
    "multi-class": (r"\hat p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}", r"L = -\log \hat p_y"),
    "regression": (r"\hat y = z", r"L = (\hat y - y)^2"),
}
left, right = st.columns([2, 3], gap="medium")
with left:
    st.markdown(
        f"**Output activation:** {guide['output_activation']}  \n"
        f"**Output means:** {guide['output_means']}  \n"
        f"**Loss:** `{guide['loss']}` (PyTorch `{guide['pytorch_loss']}`, which takes the "
        "logits and applies the output activation inside, stably)"
    )
    for formula in FORMULAS[task]:
        st.latex(formula)
with right:
    lesson.chart(
        lesson.Cached(
            charts.output_bars,
            result.output_examples[result.output_examples["task"] == task],
            title=f"Example: the last layer's logits through the {task} output",
        )
    )

# ---- what the run says ------------------------------------------------------------------------------
best = summary["final_train_loss"].idxmin()
worst = summary["final_train_loss"].idxmax()
relu_big = ds.iloc[1]
leaky_big = ds.iloc[2]
relu_small = ds.iloc[0]
norm = result.self_norm[result.self_norm["layer"] == 50].set_index("setting")
selu_last = norm.loc["SELU + LeCun normal"]
sentences = [
    f"The {cm['depth']}-layer linear net and the single map x·W + b differ by at most "
    f"{cm['max_abs_diff']:.1e} over the test points: depth without a non-linearity is one "
    "linear model.",
    f"Trained the same way, {ACTIVATIONS[best].label} reached the lowest training loss "
    f"({summary.loc[best, 'final_train_loss']:.3f}) and {ACTIVATIONS[worst].label} the highest "
    f"({summary.loc[worst, 'final_train_loss']:.3f}).",
    f"With η = {relu_small['learning_rate']:g}, {relu_small['dead_end']:.0%} of the ReLUs ended "
    f"dead; with η = {relu_big['learning_rate']:g}, {relu_big['dead_end']:.0%} "
    f"(training loss {relu_big['final_loss']:.3f}), while leaky ReLU at the same rate had "
    f"{leaky_big['dead_end']:.0%} dead units and loss {leaky_big['final_loss']:.3f}.",
    f"After 50 layers SELU + LeCun normal outputs have mean {selu_last['mean']:.2f} and std "
    f"{selu_last['std']:.2f}; SELU + He reaches std {norm.loc['SELU + He', 'std']:.3g}, "
    f"tanh + Xavier {norm.loc['tanh + Xavier', 'std']:.3g}, and sigmoid + naive init sits at "
    f"mean {norm.loc['sigmoid + naive N(0, σ²)', 'mean']:.2f}.",
]
if "prelu" in summary.index and summary.loc["prelu", "learned_slopes"]:
    sentences.append(
        f"PReLU started every layer's slope at {config.prelu_init:g} and learned "
        f"a = {summary.loc['prelu', 'learned_slopes']} (one per hidden layer)."
    )
lesson.notice(sentences)

lesson.model_answer(
    "An activation function is the non-linearity applied to each unit's weighted sum, "
    "a = f(Wx + b). Without it any stack of layers is a single linear map, so depth adds no "
    "power. It also decides how gradients flow: backprop multiplies by f′ at every layer.\n\n"
    "**Hidden layers:** ReLU is the default (cheap, slope 1 when active, sparse), with He init. "
    "Its risk is dead units (always negative input, zero gradient), more likely with a large "
    "learning rate; leaky ReLU / PReLU (learned slope) / ELU keep a gradient for x < 0. "
    "Sigmoid and tanh saturate (sigmoid′ ≤ ¼), which causes vanishing gradients in deep nets; "
    "tanh is zero-centred, so it beats sigmoid in hidden layers (and is used inside LSTMs). "
    "SELU self-normalizes (mean 0, variance 1 as a fixed point) in plain dense nets with "
    "LeCun-normal init; GELU and swish are smooth ReLU-like gates used in transformers.\n\n"
    "**Output layer** by task: sigmoid for binary, softmax for multi-class, linear for "
    f"regression, paired with {', '.join(f'`{k}`' for k in LOSSES)} and fused into the loss "
    "for numerical stability.",
    formulas=[
        r"\mathrm{ReLU}(x) = \max(0, x),\qquad \sigma'(x) = \sigma(x)\bigl(1-\sigma(x)\bigr) \le \tfrac14",
        r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 "
        r"\end{cases},\quad \lambda \approx 1.0507,\ \alpha \approx 1.6733",
        r"W_L \cdots W_2 W_1 x = W x:\ \text{a deep linear net is one linear map}",
    ],
    pitfalls=[
        "SELU's λ multiplies **both** branches; λ only on x > 0 breaks the (0, 1) fixed point.",
        "Self-normalization needs LeCun-normal init (and plain dense layers); with He init the "
        "variance grows layer after layer.",
        "A large learning rate can kill ReLUs permanently; check the fraction of dead units.",
        "Do not put a sigmoid or softmax before a loss that expects logits "
        "(BCEWithLogitsLoss, CrossEntropyLoss): it is applied twice.",
    ],
)
