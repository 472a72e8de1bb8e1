"""Lesson: what an activation function does, and how to choose one (hidden layers and output)."""

import streamlit as st

from core.activations import ACTIVATIONS
from core.experiments import activations as experiment
from ui import controls, lesson
from ui.charts import architecture as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider, View
from ui.runner import run_experiment

GROUP_LABELS = {
    group: ", ".join(ACTIVATIONS[a].label for a in names)
    for group, names in experiment.GROUPS.items()
}
GUIDE = experiment.OUTPUT_GUIDE.set_index("task")


panel = controls.Panel(
    experiment.Config,
    Group(
        "Activation shapes",
        Slider(
            "negative_slope",
            "Leaky ReLU negative slope",
            "leaky_relu(x) = x for x > 0, slope · x otherwise (PyTorch default 0.01).",
            key="slope",
            format="%.2f",  # plain-format: the slider's own value
        ),
        Slider(
            "elu_alpha",
            "ELU α",
            "ELU saturates at −α for very negative inputs (PyTorch default 1).",
            key="alpha",
        ),
        Slider(
            "prelu_init",
            "PReLU initial slope a",
            "PReLU learns its negative slope a with the optimizer (Adam here); this is where it "
            "starts (PyTorch default 0.25). One a per hidden layer, in the comparison of the "
            "ReLU family (the other comparisons have no PReLU run).",
            key="prelu",
        ),
    ),
    Group(
        "Training comparison",
        Choice(
            "group",
            "Activations to compare",
            "The same architecture, data, seed and optimizer, trained once per activation, "
            "each with its usual init (Xavier, He or LeCun).",
            key="group",
            labels=GROUP_LABELS,
        ),
        Choice(
            "dataset",
            "Dataset",
            "A 2-D two-class set of 200 points: 140 train, 60 test.",
            key="data",
        ),
        Slider(
            "hidden_layers",
            "Hidden layers",
            "Hidden layers of the classifier; the output is one logit.",
            key="layers",
        ),
        Choice("width", "Units per hidden layer", "Width of every hidden layer.", widget="slider"),
        LogSlider(
            "learning_rate",
            "Adam learning rate η (log scale)",
            "Step size of Adam for the comparison (and the first dead-unit run).",
            key="lr",
        ),
        LogSlider(
            "large_learning_rate",
            "Dead-unit runs' learning rate (log scale)",
            "The dead-unit experiment trains ReLU and leaky ReLU with this step size too, "
            "usually set larger than η (runs named 'large' above η, 'smaller' below it).",
            key="biglr",
        ),
        Slider("epochs", "Epochs", "Passes over the training set, in mini-batches of 28."),
        Seed("seed", "Seed", "Seeds the data, the weights and the shuffling."),
    ),
    Group(
        "Depth",
        Slider(
            "linear_depth",
            "Layers of the linear net",
            "Dense layers with no activation between them, 8 units wide.",
            key="ldepth",
        ),
        Choice(
            "norm_width",
            "Width of the 50-layer nets",
            "Units per layer of the self-normalization experiment, inputs included: 200 input "
            "vectors of that many standard-normal entries.",
            key="nwidth",
            widget="slider",
        ),
        LogSlider(
            "naive_sigma",
            "σ of the naive sigmoid init (log scale)",
            "The 'sigmoid + naive' net draws every weight from N(0, σ²), whatever the width.",
            key="sigma",
        ),
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "task",
            "Task",
            "The hidden layers' activation is a modelling choice; the output's follows from "
            "what the target is (for these three tasks; counts or multi-label targets use "
            "others).",
            tuple(GUIDE.index),
        ),
    ],
)

lesson.header()
config = panel.draw()
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment("activations", config)
facts = experiment.facts(config, result)
lesson.warnings(facts)

# ---- f and f' -----------------------------------------------------------------------------------
SHAPES = (
    ("f", "Activation functions f(x)", "f(x)"),
    ("derivative", "Their derivatives f′(x): what backprop multiplies by", "f′(x)"),
)
lesson.side_by_side(
    *(
        lesson.Cached(charts.activation_shapes, result.shapes, value=v, title=t, y_title=y)
        for v, t, y in SHAPES
    )
)
st.caption(
    "Click a name in the legend to pick one out. Sigmoid's slope is at most ¼ and tanh's at "
    "most 1, both near 0 for large |x| (saturation); ReLU, leaky ReLU, PReLU and ELU have "
    "slope 1 for x > 0."
)
lesson.captions(facts, "shapes")
with st.expander("Formulas", icon=":material/function:", expanded=True):
    tabs = st.tabs([a.label for a in ACTIVATIONS.values()])
    for tab, act in zip(tabs, ACTIVATIONS.values(), strict=True):
        with tab:
            st.latex(act.latex)
            st.latex(act.grad_latex)
            if act.name == "selu":
                st.caption(
                    "λ multiplies **both** branches: λα(eˣ − 1) for x ≤ 0, not α(eˣ − 1). "
                    "λ ≈ 1.0507 and α ≈ 1.6733 (rounded here) are set so that mean 0 and variance 1 are a "
                    "fixed point for inputs z ~ N(0, 1)."
                )
            elif caption := experiment.parameter_caption(config, act.name):
                st.caption(caption)

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
            title=f"A {cm['depth']}-layer linear net equals one affine map",
        )
    )
with right:
    st.markdown(f"The {cm['depth']} layers fold into one affine map: for every input,")
    formula, rounding = experiment.collapse_latex(cm)
    st.latex(formula)
    if rounding:
        st.caption(rounding)
    st.caption(
        "Each dot is one test point: the deep net's output against the single map's. On the "
        "dashed line they are equal; the biases fold into b."
    )
lesson.reveal_answer(choice, facts)

# ---- the same net with each activation -------------------------------------------------------------
st.header("The same network with each activation")
summary = result.summary.set_index("activation")
CURVES = (
    ("train_loss", "Training loss: same architecture, data, seed and optimizer", True),
    ("test_accuracy", "Test accuracy", False),
)
lesson.side_by_side(
    *(
        lesson.Cached(
            charts.training_curves,
            result.training,
            metric=metric,
            title=title,
            y_title="binary cross-entropy (log scale)"
            if log_y
            else "accuracy on the 60 test points",
            log_y=log_y,
            digits=experiment.loss_tooltip_digits(result) if metric == "train_loss" else 3,
        )
        for metric, title, log_y in CURVES
    )
)
for col, name in lesson.in_columns(summary.index, len(summary)):
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
        st.caption(experiment.panel_caption(row))

# ---- dead ReLUs --------------------------------------------------------------------------------
st.header("Dead ReLUs")
losses = experiment.dead_loss_digits(config, result)
DEAD = (
    ("off", "Hidden units at or below zero on every training point", "fraction of hidden units", 3),
    # the ranking's digits: the run at η is the training curves' ReLU run
    ("train_loss", "Training loss of the same runs", "binary cross-entropy", losses),
)
lesson.side_by_side(
    *(
        lesson.Cached(
            charts.dead_units_chart,
            result.dead,
            value=v,
            title=t,
            y_title=y,
            digits=d,
        )
        for v, t, y, d in DEAD
    )
)
st.caption(experiment.dead_caption(config))

# ---- self-normalization -------------------------------------------------------------------------
st.header("Self-normalization through 50 layers")
NORM = (  # both measured at initialization: no training
    ("mean", 0.0, "Mean", "mean (symlog scale)"),
    ("std", 1.0, "Standard deviation", "standard deviation (log scale)"),
)
lesson.side_by_side(
    *(
        lesson.Cached(
            charts.self_norm_chart,
            result.self_norm,
            stat=stat,
            target=target,
            title=f"{title} of each layer's outputs at initialization",
            y_title=y_title,
            log_y=stat == "std",
        )
        for stat, target, title, y_title in NORM
    )
)
lesson.captions(facts, "self_norm")

# ---- output layer ----------------------------------------------------------------------------------
st.header("The output activation follows the task")
task = panel.view("task")
guide = GUIDE.loc[task]
left, right = st.columns([2, 3], gap="medium")
with left:
    st.markdown(
        f"**Output activation:** {guide['output_activation']}  \n"
        f"**Output means:** {guide['output_means']}  \n"
        f"**Loss:** `{guide['loss']}` (PyTorch `{guide['pytorch_loss']}`, which "
        f"{guide['loss_input']})"
    )
    for formula in experiment.OUTPUT_FORMULAS[task]:
        st.latex(formula)
with right:
    lesson.chart(
        lesson.Cached(
            charts.output_bars,
            result.output_examples[result.output_examples["task"] == task],
            title=f"Example: the last layer's {guide['raw_output']} through the {task} output",
        )
    )

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
