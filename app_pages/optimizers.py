"""Lesson: how do you avoid saddle points? Momentum, adaptive steps, noise and Newton raced in 2-D."""

import time

import numpy as np
import pandas as pd
import streamlit as st

from core.experiments import optimizers as ox
from core.second_order import hessian_memory_bytes
from core.surfaces import SURFACES
from ui import controls, lesson
from ui.charts import optimizers as oc
from ui.classroom import PRESENTER_CHART_CONFIG, presenting
from ui.runner import build_config, run_experiment

DEFAULTS = ox.Config()
LR_OPTIONS = controls.log_options(1e-4, 3.0)
NOISE_OPTIONS = [0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
KAPPA_OPTIONS = controls.log_options(1.0, 1000.0)
DAMPING_OPTIONS = [0.0, 0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0]
CAP_OPTIONS = [0.0, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0]
ALPHA_OPTIONS = [0.9, 0.95, 0.99, 0.999]
# URL parameter of each optimizer's learning rate.
LR_KEYS = {
    "gd": "lr_gd",
    "momentum": "lr_mom",
    "nesterov": "lr_nag",
    "adagrad": "lr_ada",
    "rmsprop": "lr_rms",
    "adam": "lr_adam",
    "newton": "lr_newton",
    "saddle_free_newton": "lr_sfn",
    "noisy_gd": "lr_noisy",
}
GROUPS = {
    "all": ox.OPTIMIZER_NAMES,
    "momentum": ("gd", "momentum", "nesterov"),
    "adaptive": ("gd", "adagrad", "rmsprop", "adam"),
    "second_order": ("gd", "newton", "saddle_free_newton"),
    "noise": ("gd", "noisy_gd"),
}
GROUP_NAMES = {
    "all": "all nine",
    "momentum": "GD, momentum, Nesterov",
    "adaptive": "GD, AdaGrad, RMSprop, Adam",
    "second_order": "GD, Newton, saddle-free Newton",
    "noise": "GD vs noisy GD",
}
PLAY_FRAMES, PLAY_SECONDS, FRAME_PAUSE = 40, 8.0, 0.08
ss = st.session_state


def surface_values(name: str, kappa: float) -> dict:
    """Widget values that suit a surface: its start point, tuned learning rates and noise."""
    tuned = ox.Config.for_surface(name, condition_number=kappa)
    values = {"x0": tuned.start_x, "y0": tuned.start_y}
    values["noise"] = controls.nearest(NOISE_OPTIONS[1:], tuned.noise)
    for name_, key in LR_KEYS.items():
        values[key] = controls.nearest(LR_OPTIONS, tuned.learning_rate(name_))
    return values


def tex(value: float) -> str:
    """A number for LaTeX: 3 significant digits, powers of ten written out."""
    text = f"{value:.3g}" if value else "0"  # also turns -0.0 into 0
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def shape_sentence(here, lam, vecs) -> str:
    """What the Hessian's eigenvalues at this point say, in words."""
    down = vecs[:, 0]
    text = {
        "saddle": "The eigenvalues have **opposite signs: a saddle shape**. f curves up along one "
        f"eigenvector and down along v = ({down[0]:.2f}, {down[1]:.2f}) (λ = {lam[0]:.3g}): "
        "moving along v is the way down.",
        "minimum": "Both eigenvalues are **positive: a bowl**; every direction curves up.",
        "maximum": "Both eigenvalues are **negative: a cap**; every direction curves down.",
        "flat": "An eigenvalue is **≈ 0: flat** along its eigenvector, so the second-order test "
        "says nothing and higher-order terms decide (the monkey saddle's centre is like this).",
    }[here["shape"]]
    if here["grad_norm"] < 1e-6:
        kind = {"saddle": "a saddle point", "minimum": "a minimum", "maximum": "a maximum"}
        what = kind.get(here["shape"], "a critical point")
        text += (
            f" The gradient is ≈ 0 (‖∇f‖ = {here['grad_norm']:.1e}): this is {what}, and a "
            "gradient step here barely moves."
        )
    else:
        text += f" ‖∇f‖ = {here['grad_norm']:.3g}, so it is not at a critical point."
    return text


def _url_value(key: str, default):
    """A control's value before its widget is drawn: session state, else the URL, else default."""
    if key in ss:
        return ss[key]
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        return type(default)(raw)
    except (TypeError, ValueError):
        return default


# ---- state carried between reruns (all applied before any widget is drawn) ---------------------
# A bound selectbox writes its displayed label into the URL; map it back to the registry key.
SURFACE_LABELS = {name: SURFACES[name].label.split(" (κ")[0] for name in SURFACES}
surface_now = _url_value("surface", DEFAULTS.surface)
surface_now = {label: key for key, label in SURFACE_LABELS.items()}.get(surface_now, surface_now)
surface_now = surface_now if surface_now in SURFACES else DEFAULTS.surface
kappa_now = _url_value("kappa", DEFAULTS.condition_number)
if not 1.0 <= kappa_now <= 1000.0:  # junk in a link (nan fails this too): the bound slider drops it
    kappa_now = DEFAULTS.condition_number
if ss.get("_opt_surface") is None:
    # First visit: a deep link may name a surface without its learning rates; tune the rest.
    if surface_now != DEFAULTS.surface:
        for key, value in surface_values(surface_now, kappa_now).items():
            if key not in st.query_params:
                ss[key] = value
elif ss["_opt_surface"] != surface_now:
    ss.update(surface_values(surface_now, kappa_now))
ss["_opt_surface"] = surface_now

# A click on the map (a point selection over its cells) moves the start there.
pick_n = ss.get("_opt_pick_n", 0)
event = ss.get(f"opt_pick_{pick_n}")
chosen = (event or {}).get("selection", {}).get(oc.PICK) if event else None
if chosen:
    ss["x0"], ss["y0"] = round(float(chosen[0]["x"]), 3), round(float(chosen[0]["y"]), 3)
    ss["_opt_pick_n"] = pick_n + 1  # a fresh chart key clears the selection
if "_opt_goto" in ss:  # the end of an animation: leave the step slider where it stopped
    ss["t"] = ss.pop("_opt_goto")


def preset(surface: str, hint: str, kappa: float = DEFAULTS.condition_number, **overrides):
    # Every control the race depends on, so a preset gives the same race whatever came before.
    values = {"surface": surface, "_opt_surface": surface, "kappa": kappa, "show": "all"}
    values.update(beta=DEFAULTS.momentum, b1=DEFAULTS.adam_beta1, alpha=DEFAULTS.rmsprop_alpha)
    values.update(damp=DEFAULTS.damping, cap=DEFAULTS.max_step, r=DEFAULTS.escape_radius)
    values.update(seed=DEFAULTS.seed, steps=DEFAULTS.steps)
    values.update(surface_values(surface, kappa))
    values.update(overrides)
    values["t"] = values.get("steps", DEFAULTS.steps)  # show the whole race
    return hint, values


lesson.header(
    "Optimizers and saddle points",
    "How do you avoid saddle points? Compare momentum, adaptive step sizes, noise and Newton's "
    "method.",
)

# ---- controls ------------------------------------------------------------------------------------
controls.presets(
    {
        "Start exactly on the saddle's stable line": preset(
            "saddle_two_minima",
            "y = 0 exactly: the gradient never gets a y part, so every deterministic method "
            "slides into the saddle. Only noisy GD escapes.",
            y0=0.0,
            steps=300,
        ),
        "Nudged off the stable line": preset(
            "saddle_two_minima",
            "y = 0.001: everyone but pure Newton escapes, at very different speeds.",
            y0=0.001,
            steps=300,
        ),
        "Rosenbrock valley": preset(
            "rosenbrock",
            "A curved narrow valley: GD crawls along the floor, momentum and Adam do better, "
            "Newton follows the curvature to (1, 1) in a few steps.",
            steps=1000,
        ),
        "Ill-conditioned bowl": preset(
            "ill_conditioned_bowl",
            "κ = 100: GD zigzags across the steep direction and crawls along the shallow one; "
            "tuned momentum is far faster (see the momentum map).",
            kappa=100.0,
            steps=300,
            lr_gd=0.015,
            lr_mom=0.03,
            beta=0.67,
        ),
        "Plateau": preset(
            "plateau",
            "A flat plain with gradients near 1e-3: GD barely moves, Adam and RMSprop walk at "
            "a steady speed because they divide by the gradient's size.",
            steps=500,
        ),
    }
)

with st.sidebar:
    st.subheader("Surface")
    surface_name = controls.select(
        "Loss surface f(x, y)",
        key="surface",
        options=list(SURFACES),
        value=DEFAULTS.surface,
        fmt=SURFACE_LABELS.get,
        help="Two-parameter test functions with exact gradients and Hessians. Changing it resets "
        "the start point and learning rates to ones that suit its scale.",
    )
    kappa = controls.log_slider(
        "Condition number κ (bowl and momentum map)",
        key="kappa",
        options=KAPPA_OPTIONS,
        value=DEFAULTS.condition_number,
        help="Ratio of the largest to the smallest Hessian eigenvalue of the quadratic "
        "f = (x² + κy²)/2, used by the ill-conditioned bowl and the momentum map below.",
    )
    st.subheader("Start point")
    # The sliders span the chosen surface's plotted window, so every start they offer can run.
    surface_def = SURFACES[surface_name]
    (x_lo, x_hi), (y_lo, y_hi) = surface_def.window
    start_x = controls.slider(
        "Start x",
        key="x0",
        min_value=x_lo,
        max_value=x_hi,
        value=float(np.clip(surface_def.start[0], x_lo, x_hi)),
        step=0.001,
        format="%.3f",
        help="Where every optimizer starts. You can also click on the map.",
    )
    start_y = controls.slider(
        "Start y",
        key="y0",
        min_value=y_lo,
        max_value=y_hi,
        value=float(np.clip(surface_def.start[1], y_lo, y_hi)),
        step=0.001,
        format="%.3f",
        help="On the saddle surfaces y = 0 is the saddle's stable line: try exactly 0, then 0.001.",
    )
    st.subheader("Race")
    steps = controls.slider(
        "Steps",
        key="steps",
        min_value=10,
        max_value=ox.MAX_STEPS,
        value=DEFAULTS.steps,
        step=10,
        help="Updates per optimizer (all nine run from the same start).",
    )
    radius = controls.slider(
        "Escape radius r around a saddle",
        key="r",
        min_value=0.05,
        max_value=2.0,
        value=DEFAULTS.escape_radius,
        step=0.05,
        help="A run is 'near' a saddle while within r of it; the table counts those steps.",
    )
    noise = controls.choice_slider(
        "Noise σ of noisy GD",
        key="noise",
        options=NOISE_OPTIONS,
        value=DEFAULTS.noise,
        help="Noisy GD steps along −(∇f + σξ) with ξ ~ N(0, I), like a mini-batch gradient.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds noisy GD's noise: the same seed gives the same race.",
    )
    show = controls.select(
        "Show",
        key="show",
        options=list(GROUPS),
        value="all",
        fmt=GROUP_NAMES.get,
        help="Which optimizers to draw (all nine always run).",
    )
    with st.expander("Per-optimizer hyperparameters", icon=":material/tune:"):
        lrs = {
            name: controls.log_slider(
                f"Learning rate: {ox.LABELS[name]}",
                key=key,
                options=LR_OPTIONS,
                value=DEFAULTS.learning_rate(name),
                help="Step size η. For Newton methods it is the fraction of the Newton step taken "
                "(1 = the full step).",
            )
            for name, key in LR_KEYS.items()
        }
        momentum = controls.slider(
            "Momentum β (momentum, Nesterov)",
            key="beta",
            min_value=0.0,
            max_value=0.99,
            value=DEFAULTS.momentum,
            step=0.01,
            help="PyTorch's SGD momentum: b ← βb + ∇f, θ ← θ − ηb. 0 turns both into plain GD.",
        )
        adam_beta1 = controls.slider(
            "Adam β₁",
            key="b1",
            min_value=0.0,
            max_value=0.99,
            value=DEFAULTS.adam_beta1,
            step=0.01,
            help="Adam's first-moment (momentum) average; β₂ stays 0.999.",
        )
        rmsprop_alpha = controls.choice_slider(
            "RMSprop α",
            key="alpha",
            options=ALPHA_OPTIONS,
            value=DEFAULTS.rmsprop_alpha,
            help="Decay of RMSprop's running average of squared gradients.",
        )
        damping = controls.choice_slider(
            "Newton damping λ",
            key="damp",
            options=DAMPING_OPTIONS,
            value=DEFAULTS.damping,
            help="Added to every Hessian eigenvalue (both Newton methods): (H + λI)⁻¹∇f. "
            "0 is the pure Newton step.",
        )
        max_step = controls.choice_slider(
            "Newton step cap (0 = no cap)",
            key="cap",
            options=CAP_OPTIONS,
            value=DEFAULTS.max_step,
            help="Longest step either Newton method may take (0 = no cap).",
        )

config = build_config(
    ox.Config,
    surface=surface_name,
    condition_number=kappa,
    start_x=start_x,
    start_y=start_y,
    steps=steps,
    escape_radius=radius,
    noise=noise,
    seed=int(seed),
    momentum=momentum,
    adam_beta1=adam_beta1,
    rmsprop_alpha=rmsprop_alpha,
    damping=damping,
    max_step=max_step,
    **{f"lr_{name}": lr for name, lr in lrs.items()},
)

PREDICT = {
    "minimum": "at a minimum",
    "saddle": "at a saddle point",
    "maximum": "at a maximum",
    "ran off": "it runs away",
    "elsewhere": "none of these yet",
}
choice = lesson.predict(
    "optimizers",
    "Newton's method (step −H⁻¹∇f) uses the curvature that gradient descent ignores. "
    "Starting from the same point, **where does pure Newton end up?**",
    list(PREDICT.values())[:4],
)

result = run_experiment("optimizers", config, spinner="Racing nine optimizers…")


def chart(name: str, build, *depends, step=None, current=None, title=None, **kwargs):
    """Draw ``build()`` (an Altair chart), its Vega-Lite spec cached per (config, name, depends).

    Building and validating Altair charts is most of a rerun's time. The cached spec is moved to
    ``step`` by a dict edit (``oc.move_to_step``), so scrubbing and playing redraw quickly and a
    rerun with the same settings costs almost nothing. Presenter mode enlarges the fonts, as
    ``lesson.chart`` does.
    """
    spec = lesson.cached_spec((config, name, *depends), build)
    if step is not None:
        spec = oc.move_to_step(spec, step=step, current=current, title=title)
    if presenting():
        spec = {**spec, "config": {**spec.get("config", {}), **PRESENTER_CHART_CONFIG}}
    return st.vega_lite_chart(spec, width="stretch", **kwargs)


surface = result.surface
summary = result.summary.set_index("optimizer")
shown = GROUPS[show]
paths = result.paths[result.paths["optimizer"].isin(shown)]
lowest = surface.lowest

st.markdown(f"**{surface.label}.** {surface.about}")
st.latex(surface.latex)
if result.diverged:
    names = ", ".join(ox.LABELS[n] for n in result.diverged)
    st.warning(
        f"**Diverged: {names}.** The step overshoots and the run leaves the map (it stopped when a "
        "coordinate passed 100× the window). Lower that optimizer's learning rate in "
        "*Per-optimizer hyperparameters*; on a quadratic GD needs η < 2/λ_max.",
        icon=":material/warning:",
    )

# ---- the race on the map, scrubbed by step -------------------------------------------------------
if not 0 <= _url_value("t", config.steps) <= config.steps:  # e.g. after lowering 'steps'
    ss["t"] = config.steps
slider_col, play_col = st.columns([5, 1], vertical_alignment="bottom")
with slider_col:
    step = controls.slider(
        "Step",
        key="t",
        min_value=0,
        max_value=config.steps,
        value=config.steps,
        help="Scrub through the race: paths are solid up to this step, and the panel reads the "
        "gradient and Hessian there.",
    )
with play_col:
    play = st.button(
        "Play",
        key="opt_play",
        icon=":material/play_arrow:",
        width="stretch",
        help="Animate the race from this step (from 0 if at the end).",
    )

title = f"{surface.label.split(' (')[0]}: paths from ({config.start_x:g}, {config.start_y:g})"


def current_points(at: int):
    return ox.at_step(result, at).query("optimizer in @shown")


def map_title(at: int) -> str:
    return f"{title}, step {at} of {config.steps}"


def race_map(at: int):
    return oc.race_map(
        result.grid,
        paths,
        result.critical,
        current_points(at),
        window=surface.window,
        start=(config.start_x, config.start_y),
        step=at,
        title=map_title(at),
    )


map_col, panel_col = st.columns([3, 2], gap="medium")
with map_col:
    map_slot = st.empty()
    with map_slot:
        chart(
            "map",
            lambda: race_map(step),
            show,
            step=step,
            current=current_points(step),
            title=map_title(step),
            on_select="rerun",
            selection_mode=[oc.PICK],
            key=f"opt_pick_{ss.get('_opt_pick_n', 0)}",
        )
    st.caption(
        "Darker = higher loss (log scale, in bands like contour lines). Click anywhere on the map "
        "to start the race there. Faint lines show where each path goes after this step."
    )

with panel_col:
    inspect = controls.select(
        "Read the gradient and Hessian of",
        key="inspect",
        options=list(ox.OPTIMIZER_NAMES),
        value="gd",
        fmt=ox.LABELS.get,
        help="The optimizer whose current point the panel describes.",
    )
    here = ox.at_step(result, step).set_index("optimizer").loc[inspect]
    lam, vecs = ox.eigen_directions(here["hxx"], here["hxy"], here["hyy"])
    st.markdown(
        f"**{ox.LABELS[inspect]} at step {int(here['step'])}**: θ = ({here['x']:.4g}, "
        f"{here['y']:.4g}), f = {here['loss']:.4g}"
    )
    # One formula per line: the column is narrow.
    st.latex(rf"\nabla f = \big({tex(here['gx'])},\ {tex(here['gy'])}\big)")
    st.latex(
        rf"H = \begin{{pmatrix}} {tex(here['hxx'])} & {tex(here['hxy'])} \\ "
        rf"{tex(here['hxy'])} & {tex(here['hyy'])} \end{{pmatrix}}"
    )
    st.latex(rf"\text{{eigenvalues: }} \lambda_1 = {tex(lam[0])},\ \lambda_2 = {tex(lam[1])}")
    st.markdown(shape_sentence(here, lam, vecs))
    chart(
        "eigenvalues",
        lambda: oc.eigenvalue_lines(
            result.paths[result.paths["optimizer"] == inspect],
            step=step,
            title="Hessian eigenvalues along this path",
        ),
        inspect,
        step=step,
    )

newton = summary.loc["newton"]
lesson.reveal(
    choice,
    PREDICT[newton["ends"]],
    "Newton's step jumps to where the local quadratic model has zero gradient. Along a direction "
    "of negative curvature (λ < 0) that point is uphill, so near a saddle the step heads for the "
    f"saddle itself. Here it ended at ({newton['final_x']:.3g}, {newton['final_y']:.3g}) with "
    f"f = {newton['final_loss']:.4g}; saddle-free Newton, which divides by |λ|, ended "
    f"{PREDICT[summary.loc['saddle_free_newton', 'ends']]}.",
)

# ---- loss, distance, gradient, time near the saddle -----------------------------------------------
left, right = st.columns(2, gap="medium")
with left:

    def loss_chart():
        if lowest is None:
            return oc.step_lines(
                paths,
                y="loss",
                title="Loss (unbounded below: escaping means falling forever)",
                y_title="f(θ) (symlog scale)",
                step=step,
                symlog_y=True,
            )
        return oc.step_lines(
            paths.assign(excess=paths["loss"] - lowest),
            y="excess",
            title="Loss above the lowest minimum",
            y_title="f(θ) − f_min (log scale, floored at 1e-16)",
            step=step,
            log_y=True,
            floor=ox.LOG_FLOOR,
        )

    chart("loss", loss_chart, show, step=step)
with right:
    if lowest is not None:
        chart(
            "distance",
            lambda: oc.step_lines(
                paths,
                y="dist_min",
                title="Distance to the nearest minimum",
                y_title="‖θ − θ*‖ (log scale, floored at 1e-16)",
                step=step,
                log_y=True,
                floor=ox.LOG_FLOOR,
            ),
            show,
            step=step,
        )
    else:
        st.info("This surface has no minimum: distance to a minimum is undefined.")
left, right = st.columns(2, gap="medium")
with left:
    chart(
        "gradient",
        lambda: oc.step_lines(
            paths,
            y="grad_norm",
            title="Gradient size: it vanishes near every critical point",
            y_title="‖∇f(θ)‖ (log scale, floored at 1e-16)",
            step=step,
            log_y=True,
            floor=ox.LOG_FLOOR,
        ),
        show,
        step=step,
    )
with right:
    if surface.saddles:
        chart(
            "saddle_time",
            lambda: oc.saddle_time_bars(
                result.summary[result.summary["optimizer"].isin(shown)],
                radius=config.escape_radius,
                title="Time spent near a saddle (all steps = never left)",
            ),
            show,
        )
    else:
        st.info("This surface has no saddle point: the race is about speed along the valley.")


def step_text(v: float) -> str:
    return "—" if np.isnan(v) else f"{v:.0f}"


table = result.summary[result.summary["optimizer"].isin(shown)].assign(
    left_at=lambda d: d["escape_step"].map(step_text),
    reached=lambda d: d["reached_min_at"].map(step_text),
    ends_near=lambda d: (d["ends"] + " " + d["ends_at"]).str.strip(),
)
columns = ["label"]
if surface.saddles:
    columns += ["steps_near_saddle", "left_at"]
columns += ["reached", "ends_near", "excess_loss", "dist_min"] if lowest is not None else []
columns += ["ends_near", "final_loss"] if lowest is None else []
st.dataframe(
    table[[*columns, "diverged"]],
    hide_index=True,
    width="stretch",
    column_config={
        "label": "optimizer",
        "steps_near_saddle": st.column_config.NumberColumn(
            f"steps within r = {config.escape_radius:g} of a saddle"
        ),
        "left_at": st.column_config.TextColumn("left the saddle for good at step"),
        "reached": st.column_config.TextColumn(f"within {ox.MIN_TOL:g} of a minimum at step"),
        "ends_near": "ends near",
        "final_loss": st.column_config.NumberColumn("final f", format="%.4g"),
        "excess_loss": st.column_config.NumberColumn("final f − f_min", format="%.3g"),
        "dist_min": st.column_config.NumberColumn("distance to nearest minimum", format="%.3g"),
        "diverged": "diverged",
    },
)

# ---- the momentum map ----------------------------------------------------------------------------
best = result.momentum_best
st.header("Momentum on an ill-conditioned quadratic")
m_left, m_right = st.columns([3, 2], gap="medium")
with m_left:
    chart(
        "momentum",
        lambda: oc.momentum_rate_map(
            result.momentum_map,
            best,
            title=f"Heavy-ball convergence rate on f = (x² + κy²)/2, κ = {best['kappa']:g}",
        ),
    )
with m_right:

    def per_decade(rate: float) -> str:
        if rate >= 1:
            return "never"
        if rate < 1e-12:  # κ = 1: the best step lands on the minimum at once
            return "1 step"
        return f"{np.log(10) / -np.log(rate):.1f} steps"

    st.markdown(
        f"Each cell is the factor ρ by which the error shrinks per step (worst eigenvalue), "
        f"exact for this quadratic; grey cells diverge.\n\n"
        f"- **Best plain GD** (η = {best['gd_lr']:.3g}, β = 0): ρ = {best['gd_rate']:.3f}, "
        f"{per_decade(best['gd_rate'])} per 10× error reduction.\n"
        f"- **Best momentum** (η = {best['lr']:.3g}, β = {best['momentum']:.2f}): "
        f"ρ = {best['rate']:.3f}, {per_decade(best['rate'])} per 10×.\n"
        f"- **Your momentum setting** (η = {best['current_lr']:g}, "
        f"β = {best['current_momentum']:g}): ρ = {best['current_rate']:.3f}, "
        f"{per_decade(best['current_rate'])} per 10×"
        + (
            "."
            if result.momentum_map["lr_lo"].min()
            <= best["current_lr"]
            <= result.momentum_map["lr_hi"].max()
            else " (η is outside the map's range: the dot sits at its edge)."
        )
    )
    st.latex(
        r"\eta^* = \frac{4}{(\sqrt{\kappa}+1)^2},\quad"
        r"\beta^* = \Big(\frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}\Big)^2"
    )
    st.latex(
        r"\rho^* = \frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}"
        r"\quad\text{vs GD's}\quad \frac{\kappa-1}{\kappa+1}"
    )

# ---- why not Newton everywhere --------------------------------------------------------------------
st.header("Why not use the Hessian everywhere?")


def human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB", "EB"):
        if n < 1000:
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} ZB"


sizes = {"this page": 2, "a small MLP": 10_000, "a million weights": 1_000_000}
sizes["a 1-billion-weight LLM"] = 1_000_000_000
memory = pd.DataFrame(
    {
        "model": list(sizes),
        "weights n": [f"{n:,}" for n in sizes.values()],
        "Hessian entries n²": [f"{n * n:.3g}" for n in sizes.values()],
        "memory (float32)": [human_bytes(hessian_memory_bytes(n)) for n in sizes.values()],
        "solve H⁻¹∇f (~n³ operations)": [f"{float(n) ** 3:.3g}" for n in sizes.values()],
    }
)
st.dataframe(memory, hide_index=True, width="stretch")
st.caption(
    f"A network with a million weights has a Hessian of 10¹² numbers: "
    f"{human_bytes(hessian_memory_bytes(1_000_000))} in float32 "
    f"({human_bytes(hessian_memory_bytes(1_000_000, bytes_per_entry=8))} in float64), before "
    "the n³ cost of solving with it. That is why deep learning uses first-order methods with "
    "momentum and adaptive steps, and approximations (Hessian-vector products, diagonal or "
    "Kronecker-factored curvature) when it wants curvature."
)

# ---- what this run says ---------------------------------------------------------------------------
rows = result.summary.set_index("optimizer").loc[list(shown)]
gd = summary.loc["gd"]
sentences = []
if surface.saddles:
    gd_left = "never left" if np.isnan(gd["escape_step"]) else f"left at {gd['escape_step']:.0f}"
    text = (
        f"Within r = {config.escape_radius:g} of a saddle, gradient descent spent "
        f"{gd['steps_near_saddle']} steps and {gd_left}."
    )
    left_rows = rows[rows["escape_step"].notna()].sort_values("escape_step")
    if len(left_rows):
        first = left_rows.iloc[0]
        text += f" First to leave: {first['label']} (step {first['escape_step']:.0f})."
    never = rows[rows["steps_near_saddle"] == 0]["label"].tolist()
    if never:
        text += f" Never came that close (they went around it): {', '.join(never)}."
    stuck = rows[rows["ends"] == "saddle"]["label"].tolist()
    if stuck:
        text += f" Still at the saddle after {config.steps} steps: {', '.join(stuck)}."
    sentences.append(text)
    near = result.paths[
        (result.paths["optimizer"] == "gd") & (result.paths["dist_saddle"] <= config.escape_radius)
    ]
    if len(near):
        slow = near.loc[near["grad_norm"].idxmin()]
        sentences.append(
            f"Near the saddle gradient descent's gradient fell to {slow['grad_norm']:.1e} (step "
            f"{int(slow['step'])}), so its step η‖∇f‖ was only {config.lr_gd * slow['grad_norm']:.1e}: "
            "the gradient vanishes at a saddle, and plain GD slows down there."
        )
    if gd["ends"] == "saddle" and summary.loc["noisy_gd", "ends"] != "saddle":
        sentences.append(
            "Gradient descent converged *to the saddle*: from this start the gradient has no "
            "component off the saddle's stable line, so nothing pushes it off. Noisy GD's random "
            f"kicks did, and it ended {PREDICT[summary.loc['noisy_gd', 'ends']]}."
        )
if lowest is not None:
    reached = rows["reached_min_at"].dropna().sort_values()
    missed = rows.loc[rows["reached_min_at"].isna(), "label"].tolist()
    text = (
        f"Within {ox.MIN_TOL:g} of a minimum: "
        + (
            ", ".join(f"{rows.loc[n, 'label']} at step {v:.0f}" for n, v in reached.items())
            or "none"
        )
        + "."
    )
    if missed:
        text += f" Not within {config.steps} steps: {', '.join(missed)}."
    sentences.append(text)
finite = rows[~rows["diverged"]]
if lowest is not None and len(finite):
    order = finite.sort_values("excess_loss")
    best_row, worst_row = order.iloc[0], order.iloc[-1]
    sentences.append(
        f"After {config.steps} steps the lowest loss belongs to {best_row['label']} "
        f"(f − f_min = {best_row['excess_loss']:.2g}) and the highest to {worst_row['label']} "
        f"({worst_row['excess_loss']:.2g})."
    )
sentences.append(
    f"The nine runs of {config.steps} steps took {result.race_seconds * 1000:.0f} ms of CPU time "
    "on this server."
)
lesson.notice(sentences)

lesson.model_answer(
    "A saddle point has zero gradient while the Hessian has eigenvalues of both signs. In high "
    "dimensions saddles are far more common than poor local minima (Dauphin et al., 2014), so "
    "the question is how not to *linger* at them. Plain gradient descent slows down near a saddle because its "
    "step η∇f shrinks with the gradient, and started exactly on the saddle's stable manifold it "
    "converges to the saddle. The ways out:\n\n"
    "1. **Noise** (SGD's mini-batches or added Gaussian noise) pushes the iterate off the stable "
    "manifold; the negative-curvature direction then grows the offset exponentially.\n"
    "2. **Momentum** accumulates the small but consistent gradient along the escape direction and "
    "crosses flat regions faster; on an ill-conditioned quadratic the tuned heavy ball needs steps "
    "in proportion to √κ per decade of error instead of κ.\n"
    "3. **Adaptive steps** (AdaGrad, RMSprop, Adam) divide by a running gradient size, so tiny "
    "gradients still give steps of size about η.\n"
    "4. **Curvature used correctly**: saddle-free Newton (|H|⁻¹∇f), trust-region or "
    "negative-curvature steps descend along λ < 0. *Pure* Newton does the opposite: it solves "
    "∇f = 0 and is attracted to saddles.\n\n"
    "Full second-order methods do not scale: the Hessian has n² entries (10¹² for a million "
    "weights, 4 TB in float32) and a solve costs ~n³, so deep learning uses first-order methods "
    "plus Hessian-vector products or diagonal / Kronecker-factored approximations.",
    formulas=[
        r"f(\theta^*+\delta)\approx f(\theta^*)+\tfrac12\sum_i \lambda_i z_i^2,\qquad"
        r"\text{GD: } z_i \leftarrow (1-\eta\lambda_i)\,z_i"
        r"\ \ (\text{grows by } 1+\eta|\lambda_i| \text{ if } \lambda_i<0,\ \text{only if } z_i\neq0)",
        r"\text{momentum: } b \leftarrow \beta b + \nabla f,\ \theta \leftarrow \theta-\eta b"
        r"\qquad \text{Adam: } \theta \leftarrow \theta-\eta\,\hat m/(\sqrt{\hat v}+\epsilon)",
        r"\text{Newton: } \Delta z_i = -g_i/\lambda_i \qquad"
        r"\text{saddle-free Newton: } \Delta z_i = -g_i/|\lambda_i| \qquad"
        r"\text{noisy GD: } \theta \leftarrow \theta-\eta(\nabla f+\sigma\xi)",
    ],
    pitfalls=[
        "“Gradient descent always escapes saddles”: started exactly on the stable line it never "
        "leaves (the first preset); a little noise does.",
        "“Newton's method is strictly better”: the pure Newton step is attracted to saddles "
        "because it solves ∇f = 0; the saddle-free variant uses |eigenvalues|.",
        "“Just use the Hessian”: n² memory (4 TB for 10⁶ weights in float32) and n³ time.",
        "“Adam fixes ill-conditioning”: it rescales each *coordinate*. On this axis-aligned bowl "
        "that matches the Hessian's eigenvectors exactly, which flatters it; in a rotated valley "
        "the diagonal rescaling helps much less.",
    ],
)

# ---- the animation runs last, so the rest of the page is already drawn -------------------------
if play:
    begin = 0 if step >= config.steps else step
    frames = np.linspace(begin, config.steps, min(PLAY_FRAMES, config.steps - begin + 1))
    deadline = time.monotonic() + PLAY_SECONDS
    shown_frames = np.unique(frames.round().astype(int))
    for frame in shown_frames:
        if time.monotonic() > deadline:  # out of time on a slow server: jump to the end
            frame = shown_frames[-1]
        with map_slot:
            chart(
                "map",
                lambda: race_map(step),
                show,
                step=int(frame),
                current=current_points(int(frame)),
                title=map_title(int(frame)),
            )
        if frame == shown_frames[-1]:
            break
        time.sleep(FRAME_PAUSE)
    ss["_opt_goto"] = int(frame)
    st.rerun()
