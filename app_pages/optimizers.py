"""Lesson: how do you avoid saddle points? Momentum, adaptive steps, noise and Newton raced in 2-D."""

import streamlit as st

from core.experiments import optimizers as experiment
from core.facts import minus, num, tooltip_text
from core.surfaces import SURFACES
from ui import controls, lesson, player
from ui.charts import optimizers as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider, View
from ui.runner import run_experiment

# A surface's label is also its value in a link (the bowl's without its κ, as before).
SURFACE_LABELS = {name: s.label.split(" (κ")[0] for name, s in SURFACES.items()}
SHOW_LABELS = {
    "all": "all nine",
    "momentum": "GD, momentum, Nesterov",
    "adaptive": "GD, AdaGrad, RMSprop, Adam",
    "second_order": "GD, Newton, saddle-free Newton",
    "noise": "GD vs noisy GD",
}
# The URL key of each optimizer's learning rate (as old links spell them).
SHORT = ("gd", "mom", "nag", "ada", "rms", "adam", "newton", "sfn", "noisy")
LR_KEYS = dict(zip(experiment.OPTIMIZER_NAMES, SHORT, strict=True))
PLAY_SECONDS = 6.0


def window(v: dict):
    """The chosen surface's plotted window: where the start sliders may go."""
    return experiment.make_surface(v["surface"], condition_number=v["condition_number"]).window


panel = controls.Panel(
    experiment.Config,
    Group(
        "Surface",
        Choice(
            "surface",
            "Loss surface f(x, y)",
            "Two-parameter test functions with exact gradients and Hessians. Changing it sets the "
            "start point, the noise and the learning rates to ones that suit its scale.",
            labels=SURFACE_LABELS,
            sets=lambda v: experiment.Config.surface_settings(v["surface"], v["condition_number"]),
        ),
        LogSlider(
            "condition_number",
            "Condition number κ (bowl and momentum map)",
            "Ratio of the largest to the smallest Hessian eigenvalue of the quadratic "
            "f = (x² + κy²)/2, used by the ill-conditioned bowl and the momentum map below.",
            key="kappa",
        ),
    ),
    Group(
        "Start point",
        Slider(
            "start_x",
            "Start x",
            "Where every optimizer starts. You can also click on the map.",
            key="x0",
            step=0.001,
            format="%.3f",  # plain-format: the slider's own value, on its 0.001 grid
            bounds=lambda v: window(v)[0],
        ),
        Slider(
            "start_y",
            "Start y",
            "On the saddle-between-two-minima and quadratic-saddle surfaces y = 0 is the "
            "saddle's stable line: try exactly 0, then 0.001. (On the plateau the stable line is "
            "x = 0.)",
            key="y0",
            step=0.001,
            format="%.3f",  # plain-format: the slider's own value, on its 0.001 grid
            bounds=lambda v: window(v)[1],
        ),
    ),
    Group(
        "Race",
        Slider("steps", "Steps", "Updates per optimizer (all nine run from the same start)."),
        Slider(
            "escape_radius",
            "Escape radius r around a saddle",
            "A run is near a saddle while within r of it and nearer to it than to any minimum "
            "or maximum; the table counts those steps.",
            key="r",
        ),
        Choice(
            "noise",
            "Noise σ of noisy GD",
            "Noisy GD steps along −(∇f + σξ) with ξ ~ N(0, I), like a mini-batch gradient.",
            widget="slider",
        ),
        Seed("seed", "Seed", "Seeds noisy GD's noise: the same seed gives the same race."),
        Choice(
            "show",
            "Show",
            "Which optimizers to draw and compare (all nine always run).",
            labels=SHOW_LABELS,
        ),
    ),
    Group(
        "Per-optimizer hyperparameters",
        *(
            LogSlider(
                f"lr_{name}",
                f"Learning rate: {experiment.LABELS[name]}",
                "Step size η. For the Newton methods it multiplies the Newton step before the "
                "step cap: uncapped, 1 is the full step, below 1 a part of it, above 1 a step "
                "past it; a cap shorter than that step cuts it short.",
                key=f"lr_{key}",
            )
            for name, key in LR_KEYS.items()
        ),
        Slider(
            "momentum",
            "Momentum β (momentum, Nesterov)",
            "PyTorch's SGD momentum: b ← βb + ∇f, θ ← θ − ηb. 0 turns both into plain GD.",
            key="beta",
        ),
        Slider("adam_beta1", "Adam β₁", "Adam's first-moment average; β₂ stays 0.999.", key="b1"),
        Choice(
            "rmsprop_alpha",
            "RMSprop α",
            "Decay of RMSprop's running average of squared gradients.",
            key="alpha",
            widget="slider",
        ),
        Choice(
            "damping",
            "Newton damping λ",
            "Added to the curvature of both Newton methods: Newton steps by −η(H + λI)⁻¹∇f, "
            "saddle-free Newton by −η(|H| + λI)⁻¹∇f. With η = 1 and no cap, 0 is the pure "
            "Newton step. Added to a negative eigenvalue it can nearly cancel it and make Newton's "
            "step huge; where it cancels it exactly, the pseudo-inverse used here takes no step "
            "along that eigenvector.",
            key="damp",
            widget="slider",
        ),
        Choice(
            "max_step",
            "Newton step cap (0 = no cap)",
            "Longest step either Newton method may take (0 = no cap).",
            key="cap",
            widget="slider",
        ),
        folded=True,
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "inspect",
            "Read the gradient and Hessian of",
            "The optimizer whose current point the panel describes.",
            experiment.OPTIMIZER_NAMES,
            labels=experiment.LABELS,
            widget="select",
        ),
    ],
)

lesson.header()
player.declare("t", experiment.Config().steps)
config = panel.draw()
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment("optimizers", config, spinner="Racing nine optimizers…")
facts = experiment.facts(config, result)
digits = experiment.readout(config, result)  # one set of digits per race for f, ‖∇f‖ and λ
surface, lowest = result.surface, result.surface.lowest
st.markdown(f"**{surface.label}.** {surface.about}")
st.latex(surface.latex)
lesson.warnings(facts)

# ---- the race, moved through its steps by the Step slider and Play --------------------------------
shown = config.shown
paths = result.paths[result.paths["optimizer"].isin(shown)]
on_map = charts.map_rows(paths)
lines = paths[["optimizer", "label", "step", "loss", "dist_min", "grad_norm"]]
if lowest is not None:
    lines = lines.assign(excess=lines["loss"] - lowest)
summary = result.summary[result.summary["optimizer"].isin(shown)]
# The charts under the map (each follows the step) and the time near a saddle (it does not).
curves = charts.step_curves(lowest, grad_digits=digits.grad)
cells = [lesson.Cached(charts.step_lines, lines, **c) for c in curves]
if surface.saddles:
    title = "Updates that landed near a saddle"
    cells.append(
        lesson.Cached(charts.saddle_time_bars, summary, radius=config.escape_radius, title=title)
    )
start = (config.start_x, config.start_y)
pick_key = (
    f"opt_pick_{config.start_x:g}_{config.start_y:g}"  # plain-format: a widget key, never shown
)
race_map = lesson.Cached(
    charts.race_map,
    result.grid,
    on_map,
    result.critical,
    window=surface.window,
    start=start,
    title=minus(
        f"{surface.label.split(' (')[0]}: paths from ({num(start[0], 6)}, {num(start[1], 6)})"
    ),
)


def pick() -> None:
    """A click on the map starts the race there (the sidebar's start sliders follow)."""
    chosen = st.session_state[pick_key]["selection"].get(charts.PICK)
    if chosen:
        st.session_state["x0"] = round(float(chosen[0]["x"]), 3)
        st.session_state["y0"] = round(float(chosen[0]["y"]), 3)


def race(step: int, playing: bool) -> None:
    """The map, the Hessian panel and the curves at ``step``: one frame of the player."""
    if (st.session_state.get("x0"), st.session_state.get("y0")) != start:
        st.rerun()  # a click on the map moved the start: race again
    now = experiment.at_step(result, step)
    current, f_digits = now[now["optimizer"].isin(shown)], digits.loss
    moving = charts.step_data(on_map, current, step=step, steps=config.steps, loss_digits=f_digits)
    cursor = {charts.CURSOR: moving[charts.CURSOR]}
    map_col, panel_col = st.columns([3, 2], gap="medium")
    with map_col:
        lesson.chart(
            race_map, datasets=moving, on_select=pick, selection_mode=[charts.PICK], key=pick_key
        )
        st.caption(
            "Darker = higher loss (log scale, in bands like contour lines). Click anywhere on the "
            "map to start the race there. Solid: each path up to the step shown in the corner; "
            "faint: where it goes after."
        )
    with panel_col:
        who = panel.view("inspect")
        here = now.set_index("optimizer").loc[who]
        lam, _ = experiment.eigen_directions(here["hxx"], here["hxy"], here["hyy"])
        ended = " (where its run stopped)" if here["step"] < step else ""
        theta = ", ".join(experiment.coordinates_text(here["x"], here["y"]))
        # f as the map's tooltip for this point prints it, zeros kept (audit pass 71 f)
        point = f"θ = ({theta}), f = {tooltip_text(here['loss'], digits.loss)}"
        st.markdown(
            minus(f"**{experiment.LABELS[who]} at step {int(here['step'])}**{ended}: {point}")
        )
        for formula in charts.hessian_latex(here, lam, digits):
            st.latex(formula)
        for fact in experiment.point_facts(result, who, step, digits=digits):
            st.markdown(fact.text)
        path = result.paths[result.paths["optimizer"] == who][["step", "lam_min", "lam_max"]]
        title = "Hessian eigenvalues along this path"
        eigen = lesson.Cached(charts.eigenvalue_lines, path, title=title, digits=digits.eigen)
        lesson.chart(eigen, datasets=cursor)
    # While playing, the curves leave out their step rule: one redraw, not one per frame.
    rule = {charts.CURSOR: cursor[charts.CURSOR].iloc[:0]} if playing else cursor
    columns = st.columns(2, gap="medium")
    for i, cell in enumerate(cells):
        with columns[i % 2]:
            lesson.chart(cell, datasets=rule if cell.factory is charts.step_lines else None)
    if not surface.saddles:
        columns[1].info("This surface has no saddle point: the race is about speed.")


player.step_player(
    race,
    key="t",
    last=config.steps,
    run=config,
    seconds=PLAY_SECONDS,
    help="Move through the race: paths are solid up to this step, and the panel reads the "
    "gradient and Hessian there. A new setting shows the whole race again.",
)
lesson.reveal_answer(choice, facts)

# ---- the numbers of the race ---------------------------------------------------------------------
table = charts.race_table(
    summary, radius=config.escape_radius, saddles=len(surface.saddles), minima=lowest is not None
)
lesson.table(table)
st.caption(experiment.RACE_TABLE_CAPTION)

# ---- the momentum map ----------------------------------------------------------------------------
st.header("Momentum on an ill-conditioned quadratic")
m_left, m_right = st.columns([3, 2], gap="medium")
with m_left:
    kappa = experiment.eigenvalue_text(result.momentum_best["kappa"])
    title = f"Heavy-ball convergence rate on f = (x² + κy²)/2, κ = {kappa}"
    momentum = lesson.Cached(
        charts.momentum_rate_map, result.momentum_map, result.momentum_best, title=title
    )
    lesson.chart(momentum)
with m_right:
    st.markdown(experiment.MOMENTUM_READING)
    lesson.paragraphs(facts, "momentum")
    for formula in experiment.MOMENTUM_FORMULAS:
        st.latex(formula)

# ---- why not Newton everywhere --------------------------------------------------------------------
st.header("Why not use the Hessian everywhere?")
lesson.table(experiment.hessian_memory_table())
st.caption(experiment.MEMORY_CAPTION)

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
