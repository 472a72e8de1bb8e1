"""Lesson: backpropagation computes the gradients; gradient descent is the separate step that uses them."""

import math

import pandas as pd
import streamlit as st

from core.experiments import backpropagation as bp
from ui import controls, lesson
from ui.charts import backprop as charts
from ui.runner import build_config, run_experiment

DEFAULTS = bp.Config()
STATE = "bp_state"

lesson.header(
    "Backpropagation, step by step",
    "What is backpropagation, and how does it differ from gradient descent?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Saturated sigmoid": (
            "Large inputs and weights push two hidden units deep into the sigmoid's flat tails: "
            "their σ′(z) is almost 0, so their incoming weights get almost no gradient.",
            {"act": "sigmoid", "x1": 5.0, "x2": 5.0, "scale": 5.0, "seed": 0, "lr": 0.05},
        ),
        "Dead ReLU units": (
            "With ReLU and seed 2, two hidden units have z < 0 on this example: relu′ = 0 there, "
            "so their incoming weights get exactly zero gradient.",
            {"act": "relu", "x1": 1.0, "x2": -0.5, "scale": 1.0, "seed": 2, "lr": 0.05},
        ),
        "Step too large": (
            "The gradients are right but the update overshoots: the loss grows and diverges.",
            {"act": "sigmoid", "x1": 1.0, "x2": -0.5, "scale": 1.0, "seed": 0, "lr": 3.0},
        ),
    }
)
with st.sidebar:
    st.subheader("The training example")
    x1 = controls.slider(
        "Input x₁",
        key="x1",
        min_value=-5.0,
        max_value=5.0,
        value=DEFAULTS.x1,
        step=0.1,
        help="First input of the single training example.",
    )
    x2 = controls.slider(
        "Input x₂",
        key="x2",
        min_value=-5.0,
        max_value=5.0,
        value=DEFAULTS.x2,
        step=0.1,
        help="Second input of the single training example.",
    )
    target = controls.slider(
        "Target y",
        key="y",
        min_value=-5.0,
        max_value=5.0,
        value=DEFAULTS.target,
        step=0.1,
        help="The value the network should output; the loss is L = (ŷ − y)² / 2.",
    )
    st.subheader("The network")
    activation = controls.radio(
        "Hidden activation f",
        key="act",
        options=bp.ACTIVATION_CHOICES,
        value=DEFAULTS.activation,
        fmt=lambda s: {"sigmoid": "sigmoid σ", "relu": "ReLU"}[s],
        help="The 3 hidden units apply f to their pre-activation z; the output is linear.",
    )
    seed = controls.number(
        "Seed for the weights",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Draws the starting weights (Xavier normal; biases start at 0).",
    )
    weight_scale = controls.slider(
        "Initial weight scale",
        key="scale",
        min_value=0.1,
        max_value=5.0,
        value=DEFAULTS.weight_scale,
        step=0.1,
        help="Multiplies the starting weights. Large weights saturate sigmoid units.",
    )
    st.subheader("Gradient descent")
    learning_rate = controls.log_slider(
        "Learning rate η (log scale)",
        key="lr",
        options=controls.log_options(1e-3, 3.0),
        value=DEFAULTS.learning_rate,
        help="The update is w ← w − η ∂L/∂w: the only place η appears. Backprop never uses it.",
    )
    n_updates = controls.slider(
        "N updates for 'Run N updates'",
        key="n",
        min_value=1,
        max_value=bp.MAX_UPDATES,
        value=DEFAULTS.n_updates,
        help="How many forward → backward → update cycles the 'Run N updates' button makes.",
    )


# ---- the state that survives reruns: weights, step counter, what has been computed ---------------
def _fresh(signature) -> dict:
    # weights None = the seeded start; history = (update, loss) of the steps already taken
    return dict(signature=signature, weights=None, step=0, stage="start", history=[], ran=0)


signature = (x1, x2, target, activation, int(seed), weight_scale)
if st.session_state.get(STATE, {}).get("signature") != signature:
    # A new example, activation or seed starts a new network: the old weights belong to another problem.
    st.session_state[STATE] = _fresh(signature)
state = st.session_state[STATE]

config = build_config(
    bp.Config,
    x1=x1,
    x2=x2,
    target=target,
    activation=activation,
    seed=int(seed),
    weight_scale=weight_scale,
    learning_rate=learning_rate,
    n_updates=n_updates,
    weights=state["weights"],
)

choice = lesson.predict(
    "bp",
    "Which layer's weights get the larger gradients on average, |∂L/∂W|?",
    ("output layer W2", "hidden layer W1"),
)

result = run_experiment("backpropagation", config)
fwd, bwd = result.forward, result.backward


def _on_forward():
    state["stage"] = "forward"


def _on_backward():
    state["stage"] = "backward"


def _on_update(after, loss_before, table, learning_rate):
    state["history"].append((state["step"], loss_before))
    state["step"] += 1
    state["weights"] = after
    state["stage"] = "updated"
    state["last_update"] = (table, learning_rate)


def _on_run(after, losses, n_done):
    state["history"].extend((state["step"] + k, loss) for k, loss in enumerate(losses[:n_done]))
    state["step"] += n_done
    state["weights"] = after
    state["stage"] = "ran"
    state["ran"] = n_done


def _on_reset():
    st.session_state[STATE] = _fresh(signature)


# ---- one training step, three separate buttons ----------------------------------------------------
st.header("One training step, in three separate actions")
stage = state["stage"]
b1, b2, b3, b4 = st.columns([1, 1.4, 1.3, 0.8])
b1.button(
    "1 · Forward pass",
    key="bp_forward",
    on_click=_on_forward,
    help="Compute every z, a, ŷ and L from the current weights, input to output.",
    width="stretch",
)
b2.button(
    "2 · Backward pass (compute gradients)",
    key="bp_backward",
    on_click=_on_backward,
    disabled=stage not in ("forward", "backward"),
    help="The chain rule from L back to every weight, reusing the forward pass's values. "
    "Needs a forward pass at the current weights first.",
    width="stretch",
)
b3.button(
    "3 · Gradient-descent update",
    key="bp_update",
    on_click=_on_update,
    args=(result.after_update, fwd.loss, result.update_table, config.learning_rate),
    disabled=stage != "backward" or math.isnan(result.loss_after_update),
    help="w ← w − η ∂L/∂w for all 13 parameters. Needs the gradients from step 2.",
    width="stretch",
)
b4.button("Reset", key="bp_reset", on_click=_on_reset, help="Back to the seeded starting weights.")

status = {
    "start": "Nothing computed yet at these weights: press **Forward pass**.",
    "forward": "Forward pass done: every value below is known. The gradients are not, yet.",
    "backward": "Gradients computed, and **no weight has changed**: backprop only measures. "
    "The update is the next, separate step.",
    "updated": "Weights updated (table below): the forward values of the old weights no longer "
    "apply. Run the forward pass again to see the new loss.",
    "ran": f"Ran {state['ran']} full training steps (forward, backward, update each).",
}[stage]
m1, m2, m3 = st.columns(3)
m1.metric("Updates made", state["step"])
m2.metric("Loss now", f"{fwd.loss:.4g}" if stage in ("forward", "backward") else "press forward")
m3.metric("Learning rate η", f"{config.learning_rate:g}")
st.markdown(status)
if stage == "backward" and math.isnan(result.loss_after_update):
    st.warning(
        f"This update would run away ({result.stopped_reason}), so it is not applied: "
        "lower the learning rate η.",
        icon=":material/warning:",
    )

show_values = stage in ("forward", "backward")
show_grads = stage == "backward"
st.graphviz_chart(
    charts.computation_graph_dot(
        result.params,
        fwd.x,
        fwd.y,
        forward=fwd if show_values else None,
        backward=bwd if show_grads else None,
    ),
    width="stretch",
)
st.caption(
    "The computation graph: values on the nodes, weights and (after the backward pass) "
    "gradients in vermillion on the edges. W1[i,j] joins input i to hidden unit j."
)
if show_values:
    st.subheader("Forward pass: input → output")
    st.dataframe(
        charts.forward_table(result.params, fwd, config.activation),
        hide_index=True,
        width="stretch",
        column_config={"value": st.column_config.NumberColumn("value", format="%.6g")},
    )
elif stage == "updated" and "last_update" in state:
    table, lr = state["last_update"]
    st.subheader(f"The update just applied: after = before − η · gradient, η = {lr:g}")
    st.dataframe(table, hide_index=True, width="stretch")
    row = table.iloc[0]
    st.latex(charts.update_latex(row["weight"], row["before"], row["gradient"], lr, row["after"]))

if show_grads:
    st.subheader("Backward pass: output → input, the chain rule with these numbers")
    backward_table = charts.backward_table(result.params, fwd, bwd, config.activation)
    st.dataframe(
        backward_table,
        hide_index=True,
        width="stretch",
        height=35 * (len(backward_table) + 1) + 3,
        column_config={
            "chain_rule": "chain rule",
            "numbers": "with the numbers",
            "value": st.column_config.NumberColumn("value", format="%.6g"),
        },
    )
    st.latex(charts.output_layer_latex(fwd, bwd))
    tabs = st.tabs([f"hidden unit {j + 1}" for j in range(bp.N_HIDDEN)])
    for j, tab in enumerate(tabs):
        with tab:
            st.latex(charts.hidden_unit_latex(result.params, fwd, bwd, j, config.activation))

# ---- run N updates --------------------------------------------------------------------------------
st.header("Run N updates")
st.button(
    f"Run {config.n_updates} updates",
    key="bp_run",
    on_click=_on_run,
    args=(result.after_n, result.trajectory["loss"].tolist(), result.n_done),
    help="Repeat forward pass → backward pass → update N times from the current weights.",
)
if result.diverged:
    st.warning(
        f"**Diverged** after {result.n_done} updates: {result.stopped_reason}. The gradients are "
        f"still right; the step η = {config.learning_rate:g} is too long for this loss, so each "
        "update overshoots the minimum by more than the last. Lower the learning rate.",
        icon=":material/warning:",
    )
taken = result.trajectory.iloc[:0]
if state["history"] or state["step"]:
    taken = pd.DataFrame(state["history"] + [(state["step"], fwd.loss)], columns=["update", "loss"])
preview = result.trajectory.assign(update=result.trajectory["update"] + state["step"])
lesson.chart(
    lesson.Cached(charts.loss_curve, taken, preview, diverged=result.diverged), width="stretch"
)

# ---- check panel ------------------------------------------------------------------------------------
st.header("Check: backprop against central differences")
check = result.check
left, right = st.columns([1.25, 1], gap="medium")
with left:
    st.dataframe(
        check[["weight", "backprop", "central_difference", "rel_error", "verdict"]],
        hide_index=True,
        width="stretch",
        height=35 * (len(check) + 1) + 3,
        column_config={
            "backprop": st.column_config.NumberColumn("backprop ∂L/∂w", format="%.6g"),
            "central_difference": st.column_config.NumberColumn(
                "(L(w+h) − L(w−h)) / 2h", format="%.6g"
            ),
            "rel_error": st.column_config.NumberColumn("relative error", format="%.1e"),
        },
    )
with right:
    lesson.chart(lesson.Cached(charts.gradient_bars, check), width="stretch")
if check["at_kink"].any():
    st.warning(
        "A ReLU pre-activation sits within the difference step of its kink at z = 0, so nudging "
        f"{', '.join(check.loc[check['at_kink'], 'weight'])} by ±h crosses the kink: the "
        "derivative does not exist there, the central difference averages the two sides, and "
        "the check can disagree without backprop being wrong (backprop uses relu′(0) = 0).",
        icon=":material/warning:",
    )
lesson.chart(
    lesson.Cached(
        charts.derivative_chart, result.derivative_curve, result.hidden_units, config.activation
    ),
    width="stretch",
)
st.caption(
    "Every hidden gradient is multiplied by its unit's f′(z). Units with |z| > 8 are drawn at "
    "the edge, where f′ is already flat."
)

# ---- prediction, what to notice, model answer -----------------------------------------------------
mean_w1 = float(abs(bwd.dL_dW1).mean())
mean_w2 = float(abs(bwd.dL_dW2).mean())
actual = "output layer W2" if mean_w2 >= mean_w1 else "hidden layer W1"
lesson.reveal(
    choice,
    actual,
    f"Mean |∂L/∂W2| = {mean_w2:.3g} and mean |∂L/∂W1| = {mean_w1:.3g}. A hidden weight's "
    "gradient carries extra factors W2_j · f′(z_j) · x_i, and the sigmoid's f′ is at most 0.25; "
    "large inputs x can outweigh that.",
)

units = ", ".join(f"unit {j + 1}: {v:.3g}" for j, v in enumerate(bwd.f_prime))
verdicts = result.check["verdict"].value_counts()
sentences = [
    f"One forward and one backward sweep gave all {bp.N_PARAMS} gradients; the check needed "
    f"{2 * bp.N_PARAMS} extra loss evaluations (two per weight). "
    f"{verdicts.get('agree', 0)} gradients agree to a relative error of at most "
    f"{result.max_rel_error:.1e} (the usual bar: about 1e-7 is right, above 1e-2 is a bug).",
    f"The local derivatives f′(z) are {units}: every hidden gradient is multiplied by its "
    "unit's f′, so a small f′ starves that unit's incoming weights.",
    f"The vectorized core.mlp.backward that trains every network in this lab gives the same "
    f"gradients here (largest difference {result.mlp_max_difference:.1e}).",
]
if verdicts.get("agree within round-off", 0):
    sentences.append(
        f"{verdicts['agree within round-off']} gradients are too small for central differences "
        "to resolve: backprop and the estimate differ by less than "
        f"{result.check['roundoff'].iloc[0]:.1e}, the size of float64 round-off in a central "
        "difference at this loss (50·ε·|L|/h), so their relative error means nothing."
    )
dead = [j + 1 for j in range(bp.N_HIDDEN) if config.activation == "relu" and fwd.z[j] <= 0]
if dead:
    sentences.append(
        f"Hidden unit(s) {', '.join(map(str, dead))} have z ≤ 0, so relu′ = 0 and their incoming "
        "weights get exactly zero gradient on this example."
    )
if not result.diverged:
    sentences.append(
        f"One update with η = {config.learning_rate:g} moves L from {fwd.loss:.4g} to "
        f"{result.loss_after_update:.4g}; {result.n_done} updates reach "
        f"{result.trajectory['loss'].iloc[-1]:.3g}."
    )
lesson.notice(sentences)

lesson.model_answer(
    "**Backpropagation** computes the gradient of the loss with respect to every weight by the "
    "chain rule, from the output layer back to the input layer, reusing the values stored "
    "during the forward pass. One backward pass costs about as much as a forward pass, "
    "whatever the number of weights (it is reverse-mode automatic differentiation). "
    "**Gradient descent** is the optimization rule that then *uses* those gradients to change "
    "the weights, w ← w − η ∂L/∂w. Backprop has no learning rate and changes nothing; any "
    "optimizer (SGD, momentum, Adam) can consume the gradients it produces.",
    formulas=[
        r"z = x W^{(1)} + b^{(1)},\quad a = f(z),\quad \hat y = a W^{(2)} + b^{(2)},\quad "
        r"L = \tfrac12(\hat y - y)^2",
        r"\frac{\partial L}{\partial \hat y} = \hat y - y,\qquad "
        r"\frac{\partial L}{\partial z_j} = (\hat y - y)\, W^{(2)}_j\, f'(z_j),\qquad "
        r"\frac{\partial L}{\partial W^{(1)}} = x^\top \frac{\partial L}{\partial z}",
        r"\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr) \le \tfrac14,\qquad "
        r"\operatorname{relu}'(z) = \begin{cases}1 & z > 0\\ 0 & z \le 0\end{cases}",
    ],
    pitfalls=[
        "Calling backprop a training algorithm: it only computes gradients. The update rule "
        "(and its learning rate) belongs to the optimizer.",
        "Forgetting the factor f′(z): the error reaching a hidden unit is W2_j (ŷ − y) times "
        "f′(z_j), not W2_j (ŷ − y) alone.",
        "ReLU has no derivative at z = 0; frameworks use 0 there. A gradient check that straddles "
        "the kink disagrees without any bug.",
        "With L = (ŷ − y)² (no ½), as in core.losses 'mse', every gradient doubles.",
    ],
)
