"""Lesson: gradient descent, batch vs mini-batch vs stochastic, and why SGD works."""

import streamlit as st

from core.experiments import gradient_descent as gd
from ui import charts, controls, lesson
from ui.runner import build_config, run_experiment

DEFAULTS = gd.Config()

lesson.header(
    "Gradient descent: batch, mini-batch and stochastic",
    "Describe gradient descent. What is the difference between batch, stochastic and "
    "mini-batch gradient descent, and why does SGD work at all?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Learning rate too large": (
            "Batch GD overshoots the narrow valley and diverges; watch the warning and the curves.",
            {"lr": 0.5, "schedule": "constant", "epochs": 20},
        ),
        "SGD's noise floor": (
            "Noisy data and a constant step: SGD stalls at a noise floor; a decaying step goes lower.",
            {"lr": 0.05, "noise": 2.0, "schedule": "constant", "epochs": 40, "at": "minimum"},
        ),
        "Decay the step size": (
            "A 1/t schedule lets every variant settle at the minimum instead of bouncing around it.",
            {"lr": 0.1, "schedule": "inverse_time", "decay": 1.0, "epochs": 40},
        ),
    }
)
with st.sidebar:
    st.subheader("Data")
    n_samples = controls.slider(
        "Training examples n",
        key="n",
        min_value=20,
        max_value=1000,
        value=DEFAULTS.n_samples,
        step=10,
        help="Points (x, y) with y = 2x − 1 + noise and x ~ N(1, 1).",
    )
    noise = controls.slider(
        "Noise (std of y)",
        key="noise",
        min_value=0.0,
        max_value=5.0,
        value=DEFAULTS.noise,
        step=0.1,
        help="More noise makes individual examples disagree more, so mini-batch gradients scatter more.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the data, the shuffling and the gradient draws: same seed, same charts.",
    )
    st.subheader("Training")
    learning_rate = controls.log_slider(
        "Learning rate η (log scale)",
        key="lr",
        options=controls.log_options(1e-3, 1.0),
        value=DEFAULTS.learning_rate,
        help="Step size of w ← w − η ∇L. Batch GD diverges on this loss when η > 2 / λ_max.",
    )
    batch_size = controls.choice_slider(
        "Mini-batch size B",
        key="batch",
        options=[2, 4, 8, 16, 32, 64, 128],
        value=DEFAULTS.batch_size,
        help="Examples per update for the mini-batch variant. Batch GD uses all n, SGD uses 1.",
    )
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=1,
        max_value=100,
        value=DEFAULTS.epochs,
        help="Passes over the training set, the same for all three variants.",
    )
    schedule = controls.select(
        "Step-size schedule",
        key="schedule",
        options=gd.SCHEDULES,
        value=DEFAULTS.schedule,
        fmt=lambda s: {
            "constant": "constant η",
            "inverse_time": "1/t decay: η / (1 + k·epoch)",
            "exponential": "exponential: η·e^(−k·epoch)",
        }[s],
        help="A decaying step size lets SGD converge instead of bouncing in a noise ball.",
    )
    decay_rate = controls.slider(
        "Decay rate k (per epoch)",
        key="decay",
        min_value=0.0,
        max_value=5.0,
        value=DEFAULTS.decay_rate,
        step=0.1,
        help="How fast the step size shrinks; also used by the 'constant vs decaying' chart.",
    )
    st.subheader("Gradient noise")
    sample_at = controls.radio(
        "Sample mini-batch gradients at",
        key="at",
        options=gd.SAMPLE_POINTS,
        value=DEFAULTS.sample_at,
        fmt=lambda s: {"start": "the start", "minimum": "the minimum"}[s],
        help="At the minimum the full gradient is zero, yet single mini-batches still push.",
    )

config = build_config(
    gd.Config,
    learning_rate=learning_rate,
    batch_size=batch_size,
    epochs=epochs,
    n_samples=n_samples,
    noise=noise,
    schedule=schedule,
    decay_rate=decay_rate,
    sample_at=sample_at,
    seed=int(seed),
)

choice = lesson.predict(
    "gd",
    "After **one epoch** (one pass over the data), which variant is closest to the minimum?",
    gd.VARIANTS,
)

result = run_experiment("gradient_descent", config)
summary = result.summary.set_index("variant")
opt = result.optimum
lam_max = max(opt["hessian_eigenvalues"])

# ---- main charts ----------------------------------------------------------------------------------
if result.diverged:
    names = ", ".join(result.diverged)
    reasons = "; ".join(f"{v}: {summary.loc[v, 'stopped_reason']}" for v in result.diverged)
    st.warning(
        f"**Diverged: {names}.** With η = {config.learning_rate:g} the step overshoots the valley "
        f"and every step lands higher than the last ({reasons}). For batch GD on this loss, "
        f"η must stay below 2 / λ_max = {2 / lam_max:.3f}. The curves stop where the run stopped.",
        icon=":material/warning:",
    )

labels = {v: f"{v} (B = {int(summary.loc[v, 'batch_size'])})" for v in gd.VARIANTS}
curves = result.curves.assign(variant=result.curves["variant"].map(labels))

left, right = st.columns([1, 1], gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.contour_paths,
            result.contours,
            curves,
            minimum=(opt["w"], opt["b"]),
            start=(config.start_w, config.start_b),
            title="Paths on the loss contours L(w, b), same start and seed",
        ),
    )
with right:
    x_axis = controls.radio(
        "Compare against",
        key="xaxis",
        options=("epoch", "update", "examples", "seconds"),
        value="epoch",
        fmt=lambda s: {
            "epoch": "epochs",
            "update": "updates",
            "examples": "examples processed",
            "seconds": "wall time",
        }[s],
        help="The same runs measured four ways: per pass over the data, per step, per unit of "
        "compute and per second on this machine.",
    )
    x_titles = {
        "epoch": "epochs (passes over the data)",
        "update": "updates (parameter steps, log scale)",
        "examples": "examples processed (gradient evaluations)",
        "seconds": "wall time on this server (s)",
    }
    shown = curves[curves["update"] > 0] if x_axis == "update" else curves
    lesson.chart(
        lesson.Cached(
            charts.line_chart,
            shown,
            x=x_axis,
            y="loss",
            color="variant",
            title="Training loss on all n examples",
            x_title=x_titles[x_axis],
            y_title="L(w, b), mean squared error (log scale)",
            log_x=x_axis == "update",
            log_y=True,
            height=340,
            reference=(opt["loss"], f"minimum L* = {opt['loss']:.3g}"),
            y_domain=[opt["loss"] / 1.15, max(opt["start_loss"], opt["loss"]) * 1.5],
        ),
    )

one_epoch = summary["loss_after_one_epoch"] - opt["loss"]
valid = one_epoch[~summary["diverged"]]
closest = valid.idxmin() if len(valid) else "none (all diverged)"
lesson.reveal(
    choice,
    closest,
    f"In one pass SGD makes n = {config.n_samples} small steps, mini-batch "
    f"{int(summary.loc['Mini-batch', 'updates_per_epoch'])} and batch GD a single one.",
)

# ---- why SGD works --------------------------------------------------------------------------------
st.header("Why SGD works")
where = "the start" if config.sample_at == "start" else "the minimum"
c1, c2 = st.columns(2, gap="medium")
with c1:
    lesson.chart(
        lesson.Cached(
            charts.gradient_histogram,
            result.gradient_samples,
            result.full_gradient[0],
            title=f"Mini-batch gradients at {where}",
            x_title="∂L/∂w of one mini-batch",
        ),
    )
    st.caption(
        "Each bar counts random mini-batches. They centre on the full-batch gradient (dashed): "
        "a mini-batch gradient is an unbiased estimate; larger batches scatter less."
    )
with c2:
    lesson.chart(lesson.Cached(charts.variance_loglog, result.variance, result.variance_slope))
    st.caption(
        "Variance of the mini-batch gradient against B. Drawn without replacement, as in an epoch, "
        "so it falls slightly faster than 1/B as B nears n (the (n−B)/(n−1) factor)."
    )
lesson.chart(
    lesson.Cached(
        charts.line_chart,
        result.schedules,
        x="epoch",
        y="excess_loss",
        color="schedule",
        title="SGD (B = 1) with a constant vs a decaying step size",
        x_title="epochs (passes over the data)",
        y_title="L − L*, mean over the epoch (log scale)",
        log_y=True,
        height=300,
    ),
)
st.caption(
    "With a constant step SGD keeps bouncing in a noise ball around the minimum, so its loss "
    "levels off; shrinking the step averages the noise away and the loss keeps falling."
)

# ---- what the run says ----------------------------------------------------------------------------
sentences = [
    f"After one epoch the loss sits {one_epoch['SGD']:.3g} above its minimum for SGD "
    f"({config.n_samples} updates), {one_epoch['Mini-batch']:.3g} for mini-batches of "
    f"{config.batch_size} and {one_epoch['Batch GD']:.3g} for batch GD (1 update): "
    "for the same compute, many cheap noisy steps go further than one exact step.",
    f"The mini-batch gradient variance fell with a log-log slope of {result.variance_slope:.2f} "
    "(theory: −1 for independent draws): four times the batch, a quarter of the noise variance, "
    "half its standard deviation.",
]
floor = result.schedules.groupby("schedule")["excess_loss"].apply(
    lambda s: float(s.iloc[-max(1, len(s) // 5) :].median())
)
if len(floor) == 2 and not summary.loc["SGD", "diverged"]:
    const_floor = floor.get("constant")
    decay_name = next(n for n in floor.index if n != "constant")
    sentences.append(
        f"SGD with a constant step ends near {const_floor:.3g} above the minimum (its noise floor); "
        f"with the {decay_name.split('(')[-1].rstrip(')')} schedule it ends near "
        f"{floor[decay_name]:.3g}."
    )
fastest = summary.loc[~summary["diverged"], "seconds"]


def _ms(seconds: float) -> str:
    """Milliseconds with a decimal below 10 ms (a batch GD run can take a fifth of one)."""
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"


if len(fastest):
    sentences.append(
        f"Wall time: {', '.join(f'{v} {_ms(s)}' for v, s in fastest.items())} for "
        f"{config.epochs} epochs. On this two-parameter model an update costs mostly Python "
        "overhead, so per second larger batches win; on real networks the cost of an update "
        "grows with the batch, which is what the 'examples processed' axis measures."
    )
lesson.notice(sentences)

lesson.model_answer(
    "Gradient descent minimises a loss by repeatedly stepping against its gradient until a "
    "stopping rule holds (a tolerance on the gradient or loss change, or a fixed budget of steps). "
    "**Batch** GD computes the gradient on the whole training set per update: exact but "
    "expensive. **Stochastic** GD uses one random example: cheap, noisy updates. **Mini-batch** "
    "GD uses a small random subset (typically 32 to 256), the default in deep learning because it "
    "balances noise against vectorised hardware.\n\n"
    "SGD works because a random mini-batch gradient is an *unbiased* estimate of the full "
    "gradient, with variance that falls like 1/B. Each step is far cheaper, so many noisy steps "
    "beat a few exact ones per unit of compute. With a constant step size SGD ends in a noise "
    "ball around the minimum whose size grows with η; a decaying step size (Robbins–Monro: "
    "Σ η_t = ∞, Σ η_t² < ∞) lets it converge.\n\n"
    "Gradient descent is the *update rule*; backpropagation is the *algorithm that computes the "
    "gradient* it needs, by the chain rule from the output back to the input.",
    formulas=[
        r"\theta_{t+1} = \theta_t - \eta\,\nabla_\theta L(\theta_t)",
        r"g_B = \frac{1}{B}\sum_{i \in \mathcal{B}} \nabla_\theta \ell_i(\theta),\qquad"
        r"\mathbb{E}[g_B] = \nabla_\theta L(\theta),\qquad"
        r"\operatorname{Var}[g_B] = \frac{\sigma^2}{B}\cdot\frac{n-B}{n-1}",
    ],
    pitfalls=[
        "“SGD converges to the minimum with any small constant step”: it does not; it hovers "
        "in a noise ball. Decay the step (or grow the batch) to converge.",
        "Comparing variants per epoch only hides the point: compare per update and per example "
        "processed too.",
        f"Too large a step diverges: for a quadratic loss batch GD needs η < 2/λ_max "
        f"(here λ_max = {lam_max:.2f}, so η < {2 / lam_max:.3f}).",
    ],
)
