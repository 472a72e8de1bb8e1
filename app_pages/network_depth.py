"""Lesson: how deep should a network be? Cross-validate depth and width; AIC/BIC; what depth buys."""

import math

import streamlit as st

from core.data import boundary_note
from core.experiments import network_depth as nd
from ui import controls, lesson
from ui.charts import depth as charts
from ui.runner import build_config, run_experiment
from ui.upload import show_data_in_use, user_dataset

DEFAULTS = nd.Config()
WIDTH_GRIDS = {
    "2, 8, 32": (2, 8, 32),
    "4, 16, 64": (4, 16, 64),
    "2, 4, 8, 16": (2, 4, 8, 16),
    "8, 32": (8, 32),
    "2, 4, 8, 16, 32, 64": (2, 4, 8, 16, 32, 64),
}
DEFAULT_GRID = next(k for k, v in WIDTH_GRIDS.items() if v == DEFAULTS.widths)
DEPTH_CHOICES = ("0 (no hidden layer)", "1", "2", "3 or more")


def layers(depth: int, width: int | None = None) -> str:
    """'no hidden layer', '1 hidden layer of width 8', '3 hidden layers of width 8'."""
    if depth == 0:
        return "no hidden layer"
    text = f"{depth} hidden layer{'s' if depth > 1 else ''}"
    return text if width is None else f"{text} of width {width}"


lesson.header(
    "Network depth",
    "How deep should a neural network be? How would you choose the depth and width?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Moons: a little depth is enough": (
            "Two hidden layers already separate the moons; more layers add parameters, not accuracy.",
            {"data": "moons", "widths": "2, 8, 32", "width": 8, "depth": 3, "epochs": 60},
        ),
        "Spiral: depth and width pay": (
            "A spiral needs many bends: compare one hidden layer with two to four, at width 8 "
            "and 32, and watch the boundaries curl.",
            {"data": "spiral", "widths": "8, 32", "width": 32, "depth": 4, "epochs": 100},
        ),
        "Too deep, too narrow": (
            "Width 2 with many layers stops training: the score falls to chance.",
            {"data": "moons", "widths": "2, 8, 32", "width": 2, "depth": 6, "epochs": 60},
        ),
        "Sawtooth: depth by construction": (
            "A 16-piece sawtooth: a hand-set width-2 net with 4 layers draws it exactly with 25 "
            "parameters; one layer of 8 units (same budget) can draw at most 9 pieces.",
            {"ua": "sawtooth", "level": 4, "budget": 25, "uadepth": 4},
        ),
    }
)
with st.sidebar:
    st.subheader("Data")
    dataset = controls.select(
        "Dataset",
        key="data",
        options=nd.DATASETS,
        value=DEFAULTS.dataset,
        help="Two-class 2-D data from core.data.make_classification_2d; 70% trains (and is "
        "cross-validated), 30% is held out to check the picks.",
    )
    n_samples = controls.slider(
        "Points n",
        key="n",
        min_value=100,
        max_value=600,
        value=DEFAULTS.n_samples,
        step=50,
        help="All points before the 70/30 split.",
    )
    noise = controls.slider(
        "Noise",
        key="noise",
        min_value=0.0,
        max_value=0.5,
        value=DEFAULTS.noise,
        step=0.05,
        help="Standard deviation of the Gaussian noise on the points: more noise, more overlap.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the data, the folds and every network: same seed, same grid.",
    )
    own_data = user_dataset(
        "network_depth_own", task="classification", seed=int(seed), validate=nd.check_data
    )
    st.subheader("Grid")
    max_depth = controls.slider(
        "Deepest net (hidden layers)",
        key="depth",
        min_value=1,
        max_value=8,
        value=DEFAULTS.max_depth,
        help="The grid tries 0, 1, …, this many hidden layers.",
    )
    widths_name = controls.select(
        "Widths in the grid",
        key="widths",
        options=list(WIDTH_GRIDS),
        value=DEFAULT_GRID,
        help="Units per hidden layer; every hidden layer of a net has the same width.",
    )
    width = controls.choice_slider(
        "Width for the depth curve and boundaries",
        key="width",
        options=nd.WIDTH_OPTIONS,
        value=DEFAULTS.width,
        help="The depth curve, the grow procedure and the decision boundaries use this width "
        "(added to the grid if missing).",
    )
    folds = controls.slider(
        "Cross-validation folds",
        key="folds",
        min_value=3,
        max_value=10,
        value=DEFAULTS.folds,
        help="KFold(shuffle=True, random_state=seed) on the training split; each model is "
        "trained once per fold and once more on the whole split.",
    )
    st.subheader("Training")
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=10,
        max_value=400,
        value=DEFAULTS.epochs,
        step=10,
        help="Full-batch Adam updates per fit (one per epoch).",
    )
    learning_rate = controls.log_slider(
        "Learning rate (log scale)",
        key="lr",
        options=controls.log_options(1e-3, 0.3),
        value=DEFAULTS.learning_rate,
        help="Adam's step size for every net in the grid.",
    )
    activation = controls.select(
        "Hidden activation",
        key="act",
        options=nd.ACTIVATION_CHOICES,
        value=DEFAULTS.activation,
        help="Sigmoid makes deep nets hard to train (vanishing gradients); ReLU and GELU don't.",
    )
    tolerance = controls.slider(
        "Grow while the CV gain exceeds",
        key="tol",
        min_value=0.0,
        max_value=0.05,
        value=DEFAULTS.tolerance,
        step=0.001,
        format="%.3f",
        help="The automatic procedure adds a layer only while the mean CV accuracy rises by more "
        "than this.",
    )
    st.subheader("Universal approximation (1-D)")
    ua_target = controls.select(
        "Target function",
        key="ua",
        options=nd.UA_TARGETS,
        value=DEFAULTS.ua_target,
        help="Sawtooth: the tent map composed L times (2^L linear pieces). Sine: L periods.",
    )
    ua_level = controls.slider(
        "Complexity L",
        key="level",
        min_value=1,
        max_value=5,
        value=DEFAULTS.ua_level,
        help="Sawtooth: 2^(L−1) teeth; sine: L periods on [0, 1].",
    )
    ua_budget = controls.choice_slider(
        "Parameter budget",
        key="budget",
        options=nd.UA_BUDGETS,
        value=DEFAULTS.ua_budget,
        help="Both trained nets get at most this many weights and biases.",
    )
    ua_depth = controls.slider(
        "Hidden layers of the narrow net",
        key="uadepth",
        min_value=2,
        max_value=6,
        value=DEFAULTS.ua_depth,
        help="The deep net's width is the largest that fits the budget at this depth.",
    )
    ua_epochs = controls.slider(
        "Epochs for the 1-D fits",
        key="uaepochs",
        min_value=100,
        max_value=3000,
        value=DEFAULTS.ua_epochs,
        step=100,
        help="Full-batch Adam (learning rate 0.01) on 256 evenly spaced points.",
    )

config = build_config(
    nd.Config,
    dataset=dataset,
    n_samples=n_samples,
    noise=noise,
    max_depth=max_depth,
    widths=WIDTH_GRIDS[widths_name],
    width=width,
    folds=folds,
    epochs=epochs,
    learning_rate=learning_rate,
    activation=activation,
    tolerance=tolerance,
    ua_target=ua_target,
    ua_level=ua_level,
    ua_budget=ua_budget,
    ua_depth=ua_depth,
    ua_epochs=ua_epochs,
    seed=int(seed),
)

boundaries_note = boundary_note(own_data)
if own_data is not None:
    show_data_in_use(
        own_data,
        replaces="the 2-D set chosen in the sidebar for the depth-and-width grid (the 1-D "
        "universal-approximation part below keeps its own target function)",
        ignored=("Dataset", "Points n", "Noise"),
        prepare=lambda: nd.prepare_data(config, own_data),
    )
data_label = config.dataset if own_data is None else own_data.name

choice = lesson.predict(
    "depth",
    f"At width {config.width} on the {data_label} data, which depth wins "
    f"{config.folds}-fold cross-validation?",
    DEPTH_CHOICES,
)

# A long sweep shows its progress; cells already trained (any earlier config) are reused.
pending = nd.pending_models(config, own_data)
if pending:
    bar = st.progress(0.0, text=f"Cross-validating {len(pending)} networks…")
    nd.precompute(
        config,
        progress=lambda done, total: bar.progress(
            done / total, text=f"Cross-validated {done} of {total} networks…"
        ),
        data=own_data,
    )
    bar.empty()
result = run_experiment(
    "network_depth", config, spinner="Cross-validating the grid…", data=own_data
)
grid = result.grid
focus = grid[grid["width"] == config.width].set_index("depth")
best_depth = int(focus["cv_mean"].idxmax())
picks = result.picks.set_index("criterion")

# ---- main chart ---------------------------------------------------------------------------------
diverged = grid[grid["diverged"]].drop_duplicates("hidden")
if len(diverged):
    st.warning(
        f"**Diverged:** {', '.join(diverged['hidden'])}. With learning rate "
        f"{config.learning_rate:g} at least one fit of these nets blew up; their scores come from "
        "the last finite weights. Lower the learning rate.",
        icon=":material/warning:",
    )
lesson.chart(lesson.Cached(charts.score_heatmap, grid, folds=config.folds), width="stretch")
st.caption(
    f"Each cell trains `MLPClassifier(hidden_layer_sizes=(width,) * depth)` {config.folds} times "
    f"(`cross_validate` with a seeded KFold) on {result.n_train} training points. Depth 0 is "
    "logistic regression, the same for every width. Hover a cell for its parameters and time."
)
actual = DEPTH_CHOICES[min(best_depth, 3)]
lesson.reveal(
    choice,
    actual,
    f"At width {config.width} the mean CV accuracy by depth was "
    + ", ".join(f"{d}: {s:.3f}" for d, s in focus["cv_mean"].items())
    + f" (fold-to-fold std about {focus['cv_std'].median():.3f}).",
)

left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.depth_curve, result.depth_curve, width=config.width, grow_depth=result.grow_depth
        ),
        width="stretch",
    )
with right:
    st.markdown("**Grow until validation stops improving** (start at 1 hidden layer)")
    trace = result.grow.assign(
        gain=result.grow["gain"].map(lambda g: "" if math.isnan(g) else f"{g:+.4f}")
    )
    st.dataframe(
        trace.rename(columns={"cv_mean": "CV accuracy", "gain": "gain vs kept depth"}),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        f"Add a layer while the mean CV accuracy rises by more than {config.tolerance:.3f}; "
        f"stop at the first layer that doesn't and keep depth {result.grow_depth}."
    )

c1, c2 = st.columns(2, gap="medium")
with c1:
    lesson.chart(lesson.Cached(charts.score_vs_params, grid), width="stretch")
with c2:
    lesson.chart(lesson.Cached(charts.time_vs_params, grid), width="stretch")

# ---- information criteria -----------------------------------------------------------------------
st.header("AIC and BIC against cross-validation")
lesson.chart(
    lesson.Cached(
        charts.criteria_chart, result.criteria, int(picks.loc["cross-validation", "n_params"])
    ),
    width="stretch",
)
st.dataframe(
    result.picks.rename(
        columns={"cv_mean": "CV accuracy", "test_accuracy": "held-out accuracy", "n_params": "k"}
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    f"ln L is the log-likelihood of the {result.n_train} training labels under the model refitted "
    "on the whole training split: ln L = −Σ cross-entropy. k counts every weight and bias. "
    "Held-out accuracy is on the 30% never used for choosing."
)

# ---- decision boundaries ------------------------------------------------------------------------
st.header(f"Decision boundaries by depth at width {config.width}")
if boundaries_note:
    st.info(
        f"{boundaries_note} The boundaries by depth are hidden; the scores above use every "
        "feature.",
        icon=":material/visibility_off:",
    )
else:
    depths = sorted(result.boundaries["depth"].unique())
    per_row = 3
    for start in range(0, len(depths), per_row):
        cols = st.columns(per_row, gap="small")
        for col, depth in zip(cols, depths[start : start + per_row], strict=False):
            with col:
                row = focus.loc[depth]
                lesson.chart(
                    lesson.Cached(
                        charts.boundary_panel,
                        result.boundaries[result.boundaries["depth"] == depth],
                        result.points,
                        title=f"depth {depth}: CV {row['cv_mean']:.3f}, {int(row['n_params'])} params",
                    ),
                    width="stretch",
                )
    st.caption(
        "Shading is P(class 1) from the model refitted on the whole training split (white: 0.5, the "
        "boundary); dots are training points. Depth 0 (logistic regression) can only draw a straight "
        "line; every hidden layer re-maps the plane once more, so deeper nets can bend the boundary "
        "more often."
    )

# ---- universal approximation --------------------------------------------------------------------
st.header("One wide layer or several narrow ones?")
ua = result.ua_summary.set_index("model")
target_pieces = ua["target_pieces"].iloc[0]
u1, u2 = st.columns([3, 2], gap="medium")
with u1:
    what = (
        f"sawtooth with {2 ** (config.ua_level - 1)} teeth"
        if config.ua_target == "sawtooth"
        else f"sine with {config.ua_level} periods"
    )
    lesson.chart(
        lesson.Cached(
            charts.ua_fits,
            result.ua_curves,
            title=f"Fitting a {what} with about {config.ua_budget} parameters",
        ),
        width="stretch",
    )
with u2:
    lesson.chart(
        lesson.Cached(
            charts.pieces_chart,
            result.ua_summary,
            None if math.isnan(target_pieces) else target_pieces,
        ),
        width="stretch",
    )
table = result.ua_summary[["model", "hidden", "n_params", "rel_mse", "pieces", "max_pieces"]]
st.dataframe(
    table.assign(
        hidden=table["hidden"].map(lambda h: " × ".join(map(str, h))),
        rel_mse=table["rel_mse"].map(lambda v: f"{v:.4f}"),
        max_pieces=table["max_pieces"].map(lambda v: "" if math.isnan(v) else f"{v:.0f}"),
    ).rename(
        columns={
            "hidden": "hidden widths",
            "rel_mse": "MSE / Var(target)",
            "n_params": "parameters",
            "max_pieces": "most pieces possible with one layer (w + 1)",
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "All nets use ReLU and full-batch Adam on 256 points; inputs are rescaled to [−1, 1]. A ReLU "
    "unit of the first layer bends where w·u + b = 0; `core.mlp` starts every bias at 0, so every "
    "first-layer bend starts at the middle (x = 0.5). 'Spread bends' is the same wide layer with "
    "each bias drawn so its bend starts at a uniform random point; deeper layers add bends "
    "wherever their inputs cross zero. The universal approximation theorem promises that a wide "
    "enough single layer *can* fit; whether training gets there depends on the start."
)

# ---- what the run says --------------------------------------------------------------------------
models = grid.drop_duplicates("hidden")
best = models.loc[models["cv_mean"].idxmax()]
within = models[models["cv_mean"] >= best["cv_mean"] - best["cv_std"]]
smallest = within.loc[within["n_params"].idxmin()]
sentences = [
    f"The best cell is {layers(int(best['depth']), int(best['width']))}: CV accuracy "
    f"{best['cv_mean']:.3f} ± {best['cv_std']:.3f} with {int(best['n_params']):,} parameters. "
    f"The smallest model within one standard deviation of it has "
    f"{layers(int(smallest['depth']), int(smallest['width']))} and only "
    f"{int(smallest['n_params']):,} parameters (CV {smallest['cv_mean']:.3f}).",
    f"Parameters in this grid range from {int(models['n_params'].min()):,} to "
    f"{int(models['n_params'].max()):,} (roughly depth × width² once there are two or more hidden "
    f"layers), while CV accuracy ranges from {models['cv_mean'].min():.3f} to "
    f"{models['cv_mean'].max():.3f}.",
]
# Underfitting at the shallow end: training-fold accuracy far below the best means the fixed
# budget of updates, not the data, limits that model.
shallow = focus.loc[1] if 1 in focus.index else None
if shallow is not None and shallow["cv_train_mean"] < focus["cv_train_mean"].max() - 0.05:
    sentences.append(
        f"At width {config.width}, {layers(1)} reaches only {shallow['cv_train_mean']:.3f} on its "
        f"own training folds after {config.epochs} full-batch updates (deeper nets reach up to "
        f"{focus['cv_train_mean'].max():.3f}): it is still underfitting, so this grid compares "
        "training speed as well as capacity. Raise the epochs to separate the two."
    )
cv_pick, aic_pick, bic_pick = (picks.loc[c] for c in ("cross-validation", "AIC", "BIC"))
criteria_sentence = (
    f"Cross-validation picks {layers(int(cv_pick['depth']), int(cv_pick['width']))} "
    f"(k = {int(cv_pick['n_params']):,}, held-out accuracy {cv_pick['test_accuracy']:.3f}); AIC "
    f"picks {layers(int(aic_pick['depth']))} with k = {int(aic_pick['n_params']):,} (held-out "
    f"{aic_pick['test_accuracy']:.3f}) and BIC {layers(int(bic_pick['depth']))} with "
    f"k = {int(bic_pick['n_params']):,} (held-out {bic_pick['test_accuracy']:.3f})."
)
if max(aic_pick["n_params"], bic_pick["n_params"]) < cv_pick["n_params"]:
    criteria_sentence += (
        " Both criteria chose smaller models than cross-validation: charging every weight as a "
        "full parameter over-penalizes networks, whose effective number of parameters is lower."
    )
sentences.append(criteria_sentence)
# A deep net that fits its own training folds worse than a shallower one of the same width has
# failed to train: on bounded data extra ReLU layers can pass the shallower net's output through
# (large biases keep them linear), so the worse fit is an optimization failure, not capacity.
shallow_train = grid.groupby("width")["cv_train_mean"].cummax().shift(1)
collapsed = grid[
    (grid["depth"] >= 2)
    & (grid["cv_train_mean"] < 0.6)
    & (shallow_train > grid["cv_train_mean"] + 0.1)
    & (grid["width"] == grid["width"].shift(1))
]
if len(collapsed):
    worst = collapsed.iloc[0]
    sentences.append(
        f"{layers(int(worst['depth']), int(worst['width']))} trains to chance level (training-fold "
        f"accuracy {worst['cv_train_mean']:.3f}, below shallower nets of the same width): the "
        "signal is lost through a narrow stack (dead or saturated units), so depth needs enough "
        "width, good initialization or skip connections to train."
    )
wide, spread, deep = (
    ua.loc[m] for m in ("one wide layer", "one wide layer, spread bends", "deep and narrow")
)
ua_sentence = (
    f"With about {config.ua_budget} parameters, one layer of {wide['hidden'][0]} units reached "
    f"MSE/Var {wide['rel_mse']:.3f} from the default zero biases (its bends lie between "
    f"x = {wide['bends_from']:.2f} and {wide['bends_to']:.2f}), {spread['rel_mse']:.3f} when its "
    f"bends started spread over the input, and {len(deep['hidden'])} layers of "
    f"{deep['hidden'][0]} units reached {deep['rel_mse']:.3f} with {int(deep['pieces'])} pieces."
)
if "deep, hand-set weights" in ua.index:
    hand = ua.loc["deep, hand-set weights"]
    ua_sentence += (
        f" The hand-set width-2 net draws all {int(hand['pieces'])} pieces of the sawtooth "
        f"exactly with {int(hand['n_params'])} parameters, while one layer of "
        f"{wide['hidden'][0]} units can draw at most {int(wide['max_pieces'])}: depth expresses "
        "it cheaply, but gradient descent from a random start need not find those weights."
    )
sentences.append(ua_sentence)
lesson.notice(sentences)

lesson.model_answer(
    "Treat depth and width as hyperparameters chosen on validation data. Start small (one to "
    "three hidden layers of moderate width), then grow depth, or width, while the "
    "**cross-validated** score improves by more than its fold-to-fold noise, and prefer the "
    "smallest model within about one standard error of the best. Deeper nets compose features "
    "(each ReLU layer folds the input space again), so they can represent some functions with "
    "exponentially fewer units than one wide layer; the universal approximation theorem only "
    "says that one hidden layer *can* approximate any continuous function on a compact set, "
    "with no bound on how wide it must be or whether training finds it. Very deep plain nets "
    "are harder to train (vanishing or exploding gradients, dead units): residual connections, "
    "normalization and good initialization make depth usable. AIC and BIC are at best rough "
    "guides for networks: they assume a regular model fitted to the maximum likelihood, while a "
    "network's weights are non-identifiable (permutations, dead units), trained with early "
    "stopping or penalties, and its effective number of parameters is far below k.",
    formulas=[
        r"k = \sum_{l=1}^{L+1} (n_{l-1} + 1)\, n_l"
        r"\quad\text{(weights and biases; } n_0 = \text{inputs},\ n_{L+1} = \text{outputs)}",
        r"\ln L = \sum_{i=1}^{n} \big[y_i \ln \hat p_i + (1 - y_i) \ln(1 - \hat p_i)\big]",
        r"\mathrm{AIC} = 2k - 2\ln L, \qquad \mathrm{BIC} = k \ln n - 2 \ln L",
        r"\text{one hidden ReLU layer of } w \text{ units on } \mathbb{R}:"
        r"\ \le w + 1 \text{ linear pieces};\quad \text{width 2, depth } L:\ 2^L \text{ pieces}",
    ],
    pitfalls=[
        "Choosing depth on the training score: deeper always fits the training set better; "
        "only held-out (cross-validated) scores say whether it generalizes.",
        "Reading the universal approximation theorem as 'one layer is enough in practice': the "
        "width it needs can grow exponentially, and it says nothing about learnability.",
        "Trusting AIC/BIC with k = all weights: the effective number of parameters of a trained "
        "network is far smaller, so they tend to over-penalize depth and width.",
        "Comparing nets with different training budgets or one lucky seed: fix the data, folds "
        "and seed, and look at the spread over folds before calling a difference real.",
        "Deep and very narrow stacks can fail to train at all; add width, skip connections or "
        "normalization before adding more layers.",
    ],
)
