"""Lesson: backpropagation computes the gradients; gradient descent is the separate step that uses them."""

import dataclasses
import math

import pandas as pd
import streamlit as st

from core.experiments import backpropagation as bp
from core.experiments.backpropagation.claims import CHECK, UPDATE
from core.facts import minus, plural
from ui import classroom, controls, lesson
from ui.charts import backprop as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider
from ui.runner import run_experiment

STATE = "bp_state"

panel = controls.Panel(
    bp.Config,
    Group(
        "The training example",
        Slider("x1", "Input x₁", "First input of the single training example."),
        Slider("x2", "Input x₂", "Second input of the single training example."),
        Slider(
            "target",
            "Target y",
            "The value the network should output; the loss is L = (ŷ − y)² / 2.",
            key="y",
        ),
    ),
    Group(
        "The network",
        Choice(
            "activation",
            "Hidden activation f",
            "The 3 hidden units apply f to their pre-activation z; the output is linear.",
            key="act",
            labels={"sigmoid": "sigmoid σ", "relu": "ReLU"},
            widget="radio",
        ),
        Seed(
            "seed", "Seed for the weights", "Draws the starting weights (Xavier normal; biases 0)."
        ),
        Slider(
            "weight_scale",
            "Initial weight scale",
            "Multiplies the starting weights. Large weights with inputs away from 0 push |z| up "
            "and saturate sigmoid units.",
            key="scale",
        ),
    ),
    Group(
        "Gradient descent",
        LogSlider(
            "learning_rate",
            "Learning rate η (log scale)",
            "The update is w ← w − η ∂L/∂w: the only place η appears. Backprop never uses it.",
            key="lr",
        ),
        Slider(
            "n_updates",
            "N updates for 'Run N updates'",
            "How many forward → backward → update cycles the 'Run N updates' button makes, "
            "fewer where an update would run away: the run stops before that update.",
            key="n",
        ),
    ),
    presets=bp.PRESETS,
)

lesson.header()
config = panel.draw(hint=False)  # a preset describes the seeded start: hinted below, there only


# ---- the page's own state: the weights reached by its buttons, and what has been computed -------
def _fresh(signature) -> dict:
    # weights None = the seeded start; history = (update, loss) of the steps already taken
    return dict(signature=signature, weights=None, step=0, stage="start", history=[], ran=0)


signature = (config.x1, config.x2, config.target, config.activation, config.seed)
signature += (config.weight_scale,)
if st.session_state.get(STATE, {}).get("signature") != signature:
    # A new example, activation or seed starts a new network: the old weights belong to another problem.
    st.session_state[STATE] = _fresh(signature)
state = st.session_state[STATE]
config = dataclasses.replace(config, weights=state["weights"])
# the Share box: its link opens the seeded start, not weights the buttons moved (or none)
if state["step"] and bp.moved_from_start(state["weights"], config.seed, config.weight_scale):
    classroom.not_in_link(
        f"the weights reached with this page's buttons (update {state['step']})",
        # no control sets weights: "so set it again after opening it" asked the impossible
        tail=": the link does not carry them and no control sets them: opened from it, this page "
        "starts at the seeded weights",
    )
panel.preset_hint(config)  # a preset's Config has weights None: not at weights the buttons reached

choice = lesson.predict(bp.PREDICTION)
result = run_experiment("backpropagation", config)
facts = bp.facts(config, result, updates_made=state["step"])  # numbered as the metric
fwd, bwd = result.forward, result.backward


def _stage(stage):
    state["stage"] = stage


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
    on_click=_stage,
    args=("forward",),
    help="Compute every z, a, ŷ and L from the current weights, input to output.",
    width="stretch",
)
b2.button(
    "2 · Backward pass (compute gradients)",
    key="bp_backward",
    on_click=_stage,
    args=("backward",),
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
    "start": "The three steps have computed nothing yet at these weights: press **Forward pass** "
    "(the check further down runs its own passes).",
    "forward": "Forward pass done: every value in the graph and the table below is known. Their "
    "gradients are not, yet (the check further down runs its own backward pass).",
    "backward": "Gradients computed, and **no weight has changed**: backprop only measures. "
    "The update is the next, separate step.",
    "updated": bp.updated_status(state.get("last_update", (None,))[0]),
    "ran": f"Ran {state['ran']} full training step{'s' * (state['ran'] != 1)} "
    "(forward, backward, update each).",
}[stage]
m1, m2, m3 = st.columns(3)
m1.metric("Updates made", state["step"])
loss_digits = bp.loss_digits(result)  # every printed loss: the sentences, metric and tooltips
m2.metric(
    "Loss now",
    bp.loss_text(fwd.loss, loss_digits) if stage in ("forward", "backward") else "press forward",
)
m3.metric("Learning rate η", f"{config.learning_rate:g}")  # plain-format: the setting echoed
st.markdown(status)
if state["step"]:  # the weights the buttons reached live in this session, not in the address
    st.caption(
        f"A shared link carries the sidebar's settings, not the {plural(state['step'], 'update')} "
        "made here: opened from it, this page starts at the seeded weights."
    )
if stage == "backward":
    lesson.warnings(facts, UPDATE)

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
    "The computation graph: values on the nodes, weights on the edges. After the backward pass "
    "the gradients appear in vermillion: weight gradients on the edges, ∂L/∂z and the bias "
    "gradients on the nodes. W1[i,j] joins input i to hidden unit j."
)
if show_values:
    st.subheader("Forward pass: input → output")
    forward_table = charts.forward_table(result.params, fwd, config.activation)
    # 6 digits, more where a saturated a = σ(z) = 0.99999987 would read 1, or ŷ the target y
    forward_table = forward_table.assign(value=charts.forward_value_texts(forward_table, fwd))
    # negative numbers with the minus sign, as the graph and the sentences print them
    lesson.table(forward_table.map(minus))
elif stage == "updated" and "last_update" in state:
    table, lr = state["last_update"]
    shown, eta = charts.update_table(table, lr)
    st.subheader(f"The update just applied: after = before − η · gradient, η = {eta}")
    lesson.table(shown.map(minus))
    row = shown.iloc[0]  # the table's own texts: one printing of each number
    st.latex(charts.update_latex(row["weight"], row["before"], row["gradient"], eta, row["after"]))

if show_grads:
    st.subheader("Backward pass: output → input, the chain rule with these numbers")
    backward_table = charts.backward_table(result.params, fwd, bwd, config.activation)
    # as the forward table: Streamlit's "%.6g" prints a value such as 1.9999999999999998 as "2"
    lesson.table(
        backward_table.assign(value=backward_table["value"].map(charts.computed_text)).map(minus),
        height=35 * (len(backward_table) + 1) + 3,
        column_config={"chain_rule": "chain rule", "numbers": "with the numbers"},
    )
    dy = charts.dyhat_digits(result.params, fwd, bwd, config.activation)  # one ∂L/∂ŷ text
    st.latex(charts.output_layer_latex(fwd, bwd, dy))
    tabs = st.tabs([f"hidden unit {j + 1}" for j in range(bp.N_HIDDEN)])
    for j, tab in enumerate(tabs):
        with tab:
            st.latex(charts.hidden_unit_latex(result.params, fwd, bwd, j, config.activation, dy))

# ---- run N updates --------------------------------------------------------------------------------
st.header("Run N updates")
st.button(
    bp.run_label(config, result, updates_made=state["step"]),
    key="bp_run",
    on_click=_on_run,
    args=(result.after_n, result.trajectory["loss"].tolist(), result.n_done),
    # no update to make: "Run 0 updates" is not offered (audit pass 67 h)
    disabled=result.n_done == 0,
    help="Repeat forward pass → backward pass → update N times from the current weights, "
    "stopping before an update that would run away.",
)
lesson.warnings(facts)
taken = result.trajectory.iloc[:0]
if state["history"] or state["step"]:
    taken = pd.DataFrame(state["history"] + [(state["step"], fwd.loss)], columns=["update", "loss"])
preview = result.trajectory.assign(update=result.trajectory["update"] + state["step"])
lesson.chart(
    lesson.Cached(
        charts.loss_curve,
        taken,
        preview,
        diverged=result.diverged,
        digits=loss_digits,
        remedy=bp.preview_remedy(config, result),  # as the warning's advice
    )
)

# ---- check panel ------------------------------------------------------------------------------------
st.header("Check: backprop against central differences")
check = result.check
left, right = st.columns([1.25, 1], gap="medium")
with left:
    # σ′ values just below their peak 1/4 are not printed as 0.25 (charts.value_text)
    # the two derivatives with digits enough that they differ by no more than they do
    backprop_texts, central_texts = charts.check_texts(check)
    lesson.gradient_check(
        check.assign(
            backprop=[minus(t) for t in backprop_texts],
            central_difference=[minus(t) for t in central_texts],
        ),
        "weight",
        value=str,
        height=35 * (len(check) + 1) + 3,
    )
with right:
    lesson.chart(lesson.Cached(charts.gradient_bars, check))
st.caption(bp.check_caption())
lesson.warnings(facts, CHECK)
lesson.chart(
    lesson.Cached(
        charts.derivative_chart, result.derivative_curve, result.hidden_units, config.activation
    )
)
st.caption(
    "Every hidden gradient is multiplied by its unit's f′(z). Units with |z| > 8 are drawn at "
    "the edge, where f′ is already flat."
)

# ---- prediction, what to notice, model answer -----------------------------------------------------
lesson.reveal_answer(choice, facts)
lesson.notice_facts(facts)
lesson.model_answer(bp.MODEL_ANSWER)
