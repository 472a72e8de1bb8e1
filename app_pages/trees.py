"""Lesson: why gradient boosting uses shallower trees than a random forest."""

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from core import ensembles as ens
from core.experiments import trees
from ui import controls, lesson
from ui.charts import trees as tc
from ui.classroom import register_experiment
from ui.runner import build_config, with_estimate
from ui.upload import fingerprint, show_data_in_use, spec_of, user_dataset

DEFAULTS = trees.Config()
CHOICES = ("random forest", "gradient boosting", "the same depth")
MAX_CACHED = 24


def _depth(d: int) -> str:
    return ens.depth_label(d)


DEPTH_LABELS = [_depth(d) for d in trees.DEPTHS]


lesson.header(
    "Random forest vs gradient boosting: how deep should the trees be?",
    "Why does gradient boosting use shallower trees than random forest?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Shallow trees, many small steps": (
            "Boosting with stumps-to-depth-3 trees and a small learning rate: bias falls slowly, "
            "round after round; the heat map shows the rounds it needs.",
            {"trees": 200, "lr": 0.05, "shallow": "1", "deep": "12"},
        ),
        "Deep trees, few big steps": (
            "Boosting with a large learning rate: deep trees overfit within a few rounds, while "
            "the forest's deep trees still average out.",
            {"trees": 50, "lr": 0.5, "shallow": "2", "deep": "unlimited"},
        ),
        "Noisy spiral": (
            "A hard boundary with label noise: the forest wants deep trees, boosting still does "
            "best with shallow ones.",
            {"data": "spiral", "noise": 0.5, "n": 1000},
        ),
        "Breast cancer (30 features)": (
            "A real tabular set: the same pattern with 30 features (no boundary plots here).",
            {"data": "breast_cancer"},
        ),
    }
)
with st.sidebar:
    st.subheader("Data")
    dataset = controls.select(
        "Classification data",
        key="data",
        options=trees.DATASETS,
        value=DEFAULTS.dataset,
        fmt=lambda s: {"breast_cancer": "breast cancer (bundled, 30 features)"}.get(
            s, f"{s} (2-D)"
        ),
        help="Four 2-D synthetic sets (their decision boundaries are drawn) and scikit-learn's "
        "bundled breast cancer set. 70 % train, 30 % test, stratified.",
    )
    n_samples = controls.slider(
        "Points (2-D sets)",
        key="n",
        min_value=200,
        max_value=2000,
        value=DEFAULTS.n_samples,
        step=100,
        help="Total points before the 70/30 split. The breast cancer set always has 569.",
    )
    noise = controls.slider(
        "Noise (2-D sets)",
        key="noise",
        min_value=0.0,
        max_value=1.0,
        value=DEFAULTS.noise,
        step=0.05,
        help="Standard deviation of the Gaussian jitter added to the points: more noise, more "
        "overlap between the classes, more to overfit.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the data, the split, the bootstrap samples and the bias-variance draws.",
    )
    own_data = user_dataset(
        "trees_own", task="classification", seed=int(seed), validate=trees.check_data
    )
    st.subheader("Ensembles")
    n_estimators = controls.choice_slider(
        "Trees per ensemble T",
        key="trees",
        options=trees.N_ESTIMATORS,
        value=DEFAULTS.n_estimators,
        help="Trees in the forest and boosting rounds in LightGBM, the same T for both.",
    )
    learning_rate = controls.log_slider(
        "Boosting learning rate η (log scale)",
        key="lr",
        options=controls.log_options(0.01, 1.0),
        value=DEFAULTS.learning_rate,
        help="Each boosted tree is added as η·h(x): smaller steps need more rounds but overfit "
        "later. The forest has no learning rate; it averages.",
    )
    cross_check = controls.radio(
        "Cross-check boosting with",
        key="hgb",
        options=("off", "on"),
        value="off",
        fmt=lambda s: {
            "off": "LightGBM only",
            "on": "+ scikit-learn HistGradientBoosting",
        }[s],
        help="Adds scikit-learn's HistGradientBoosting with the same depth, leaves, rounds and "
        "learning rate: an independent implementation of the same algorithm.",
    )
    st.subheader("Error against number of trees")
    # Depths as their labels ("unlimited" for -1), which also reads well in a shared link.
    shallow_depth = controls.choice_slider(
        "Shallow setting (max depth)",
        key="shallow",
        options=DEPTH_LABELS[:-1],
        value=_depth(DEFAULTS.shallow_depth),
        help="The shallow trees whose error is drawn against the number of trees.",
    )
    deep_depth = controls.choice_slider(
        "Deep setting (max depth)",
        key="deep",
        options=DEPTH_LABELS[1:],
        value=_depth(DEFAULTS.deep_depth),
        help="The deep trees drawn against the number of trees ('unlimited' = grown out).",
    )
    metric = controls.radio(
        "Measure against the number of trees",
        key="metric",
        options=trees.METRICS,
        value="log_loss",
        fmt=lambda s: tc.METRIC_TITLES[s],
        help="The log loss of the predicted probabilities moves with every tree; the "
        "misclassification rate only when a point changes side.",
    )
    st.subheader("Bias-variance (regression)")
    bv_noise = controls.slider(
        "Noise σ of y",
        key="bvnoise",
        min_value=0.0,
        max_value=3.0,
        value=DEFAULTS.bv_noise,
        step=0.25,
        help="y = f(x) + σ·ε on Friedman #1: the noise term σ² no model can remove.",
    )
    bv_train_sets = controls.slider(
        "Training sets drawn",
        key="sets",
        min_value=3,
        max_value=8,
        value=DEFAULTS.bv_train_sets,
        help="Independent training sets; each model is refitted on each. More sets, steadier "
        "estimates of bias² and variance, longer runs.",
    )
    bv_train_size = controls.slider(
        "Points per training set",
        key="bvn",
        min_value=100,
        max_value=300,
        value=DEFAULTS.bv_train_size,
        step=50,
        help="Size of each training set drawn from Friedman #1 (10 features, 5 of them irrelevant).",
    )

config = build_config(
    trees.Config,
    dataset=dataset,
    n_samples=n_samples,
    noise=round(float(noise), 3),
    n_estimators=n_estimators,
    learning_rate=learning_rate,
    shallow_depth=trees.DEPTHS[DEPTH_LABELS.index(shallow_depth)],
    deep_depth=trees.DEPTHS[DEPTH_LABELS.index(deep_depth)],
    cross_check=cross_check == "on",
    bv_noise=round(float(bv_noise), 3),
    bv_train_sets=bv_train_sets,
    bv_train_size=bv_train_size,
    seed=int(seed),
)


# ---- cached runs with a progress bar --------------------------------------------------------------
@st.cache_resource
def _results() -> tuple[OrderedDict, threading.Lock]:
    """Results shared by all sessions, keyed by the part of the config each experiment reads.

    ``st.cache_data`` would replay a progress bar drawn inside the cached call, so the cache is
    kept here and the bar is drawn only when an experiment really runs.
    """
    return OrderedDict(), threading.Lock()


@st.cache_resource
def _background() -> ThreadPoolExecutor:
    """One worker shared by all sessions for experiments started ahead of their section."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="trees-prefetch")


def _start(kind: str, key: tuple, compute) -> Future | None:
    """Start an uncached experiment in the background, or None if its result is cached.

    The page draws the depth sweep while the bias-variance experiment runs: both spend their
    time inside LightGBM and scikit-learn's tree builders, which release the GIL, so on two
    cores the first visit waits for the longer of the two instead of their sum.
    """
    store, lock = _results()
    with lock:
        if (kind, key) in store:
            return None

    def job():
        value = compute()
        _remember(kind, key, value)  # kept even if this session's run is interrupted
        return value

    return _background().submit(job)


def _remember(kind: str, key: tuple, value) -> None:
    store, lock = _results()
    with lock:
        store[(kind, key)] = value
        while len(store) > MAX_CACHED:
            store.popitem(last=False)


def _cached(kind: str, key: tuple, compute, label: str, pending: Future | None = None):
    store, lock = _results()
    with lock:
        if (kind, key) in store:
            store.move_to_end((kind, key))
            return store[(kind, key)]
    slot = st.empty()
    bar = slot.progress(0.0, text=label)
    try:
        if pending is not None:
            value = pending.result()
        else:
            value = compute(lambda f, message: bar.progress(min(1.0, f), text=f"{label} {message}"))
    except ValueError as err:
        slot.error(f"The experiment could not run: {err}", icon=":material/error:")
        st.stop()
    slot.empty()
    _remember(kind, key, value)
    return value


if own_data is not None:
    show_data_in_use(
        own_data,
        replaces="the classification data chosen in the sidebar for the depth sweep (the "
        "bias-variance part keeps Friedman #1: measuring bias needs the true function)",
        ignored=("Classification data", "Points (2-D sets)", "Noise (2-D sets)"),
        prepare=lambda: trees.prepare_data(config, own_data),
    )
    sweep_key = (
        "upload",
        fingerprint(own_data),
        config.n_estimators,
        config.learning_rate,
        config.cross_check,
        config.seed,
    )
else:
    sweep_key = config.sweep_key

choice = lesson.predict(
    "trees",
    "Each model is fitted at eight depths. At its **lowest test error**, which one uses the "
    "deeper trees?",
    CHOICES,
)

bv_pending = _start(
    "bias_variance", config.bias_variance_key, lambda: trees.run_bias_variance(config)
)
sweep = _cached(
    "sweep",
    sweep_key,
    lambda progress: trees.run_sweep(config, progress, own_data),
    with_estimate("Fitting forests and boosted trees at 8 depths…", trees.sweep_seconds(config)),
)
summary = sweep.summary.set_index(["model", "max_depth"])
best = sweep.best.set_index("model")
err_name = sweep.info["error_name"]
rf_best, gb_best = best.loc["random_forest"], best.loc["gradient_boosting"]
rank = {d: i for i, d in enumerate(trees.DEPTHS)}
rf_rank, gb_rank = rank[int(rf_best["max_depth"])], rank[int(gb_best["max_depth"])]
actual = CHOICES[0] if rf_rank > gb_rank else CHOICES[1] if gb_rank > rf_rank else CHOICES[2]

# ---- main chart ---------------------------------------------------------------------------------
lesson.chart(
    lesson.Cached(tc.error_vs_depth, sweep.summary, sweep.best, error_title=err_name),
    width="stretch",
)
deep = ens.UNLIMITED
st.caption(
    f"{sweep.info['n_train']} training and {sweep.info['n_test']} test points, T = "
    f"{config.n_estimators} trees, η = {config.learning_rate:g}. The forest's test error is lowest "
    f"at depth {rf_best['depth']} ({rf_best['test_error']:.3f}), boosting's at depth "
    f"{gb_best['depth']} ({gb_best['test_error']:.3f}). Grown out, the forest scores "
    f"{summary.loc[('random_forest', deep), 'test_error']:.3f} and boosting "
    f"{summary.loc[('gradient_boosting', deep), 'test_error']:.3f}, with training errors of "
    f"{summary.loc[('random_forest', deep), 'train_error']:.3f} and "
    f"{summary.loc[('gradient_boosting', deep), 'train_error']:.3f}. Diamonds mark the shallowest "
    "depth with the lowest test error."
)
lesson.reveal(
    choice,
    actual,
    f"Best depth: forest {rf_best['depth']}, boosting {gb_best['depth']}. The forest averages "
    "away the variance of deep trees; boosting adds bias-reducing steps, so each tree can stay small.",
)

# ---- sequential vs parallel ---------------------------------------------------------------------
st.header("Sequential corrections vs parallel averaging")
staged = sweep.staged
T = config.n_estimators
sd, dd = config.shallow_depth, config.deep_depth
measure = tc.METRIC_TITLES[metric]
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(tc.error_vs_trees, staged, depths=(sd, dd), metric=metric), width="stretch"
    )


def _value_at(model: str, depth: int, n_trees: int) -> float:
    part = staged[(staged["model"] == model) & (staged["max_depth"] == depth)]
    return float(part.loc[part["n_trees"] <= n_trees, f"test_{metric}"].iloc[-1])


gb_first, gb_last = _value_at("gradient_boosting", sd, 1), _value_at("gradient_boosting", sd, T)
rf_first, rf_last = _value_at("random_forest", dd, 1), _value_at("random_forest", dd, T)
st.caption(
    f"Test {measure}. Boosting at depth {_depth(sd)}: {gb_first:.3f} after 1 tree, "
    f"{gb_last:.3f} after {T}; each tree is a small step (η = {config.learning_rate:g}) fitted to "
    f"what the sum so far gets wrong. The forest at depth {_depth(dd)}: {rf_first:.3f} with 1 "
    f"tree, {rf_last:.3f} with {T}; every tree is already a full model, and averaging only "
    "removes variance, so adding trees to a forest doesn't overfit. The log loss shows the "
    "steps more clearly than the error rate, which only changes when a point crosses the boundary."
)
with right:
    lesson.chart(
        lesson.Cached(
            tc.rounds_heatmap, staged, sweep.rounds, model="gradient_boosting", metric=metric
        ),
        width="stretch",
    )
rounds = sweep.rounds[sweep.rounds["metric"] == metric].set_index(["model", "max_depth"])
gb_rounds = rounds.loc["gradient_boosting", "best_n_trees"]
shallow_needs, deep_needs = int(gb_rounds.loc[1]), int(gb_rounds.loc[deep])
trend = (
    "shallow trees need more rounds, deep ones get there sooner and then start to overfit"
    if shallow_needs > deep_needs
    else "here the shallow trees did not need more rounds than the deep ones (try a smaller η "
    "or the log loss)"
)
st.caption(
    f"White dots: the fewest trees at which boosting reaches its lowest test {measure}: "
    f"{shallow_needs} at depth 1 and {deep_needs} grown out, so {trend}. A smaller η needs more "
    "rounds; a larger one fewer."
)

# ---- decision boundaries ------------------------------------------------------------------------
st.header("Decision boundaries at depth 1, 3, 8 and unlimited")
if sweep.boundaries.empty and own_data is not None:
    st.info(
        f"{sweep.info['boundaries_note']} The boundaries are hidden; the errors above use every "
        "feature.",
        icon=":material/visibility_off:",
    )
elif sweep.boundaries.empty:
    st.info(
        "The breast cancer set has 30 features, so its boundaries can't be drawn in 2-D; pick a "
        "2-D set in the sidebar to see them.",
        icon=":material/info:",
    )
else:
    for model in trees.BOUNDARY_MODELS:
        titles = {
            d: f"depth {_depth(d)}: test error {summary.loc[(model, d), 'test_error']:.3f}"
            for d in trees.BOUNDARY_DEPTHS
        }
        chart = lesson.Cached(
            tc.boundary_facets, sweep.boundaries, sweep.points, model=model, panel_titles=titles
        )
        lesson.chart(chart, width="content")
    rf_d1, gb_d1 = (summary.loc[(m, 1), "test_error"] for m in trees.BOUNDARY_MODELS)
    rf_tr, gb_tr = (summary.loc[(m, deep), "train_error"] for m in trees.BOUNDARY_MODELS)
    st.caption(
        "Color: the predicted probability of class 1; dots: a sample of the training points. A "
        "depth-1 tree splits on one feature, so at depth 1 both models can only add up "
        f"axis-aligned steps (test error: forest {rf_d1:.3f}, boosting {gb_d1:.3f}); boosting fits "
        "each step to what the earlier ones got wrong, the forest averages steps fitted "
        "independently. Deeper trees combine features. Grown out, both fit the training set "
        f"(train error: forest {rf_tr:.3f}, boosting {gb_tr:.3f}) and the boundary bends around "
        "single points."
    )

# ---- fit time -----------------------------------------------------------------------------------
st.header("Fit time")
lesson.chart(lesson.Cached(tc.fit_time, sweep.summary), width="stretch")
gb_time = summary.xs("gradient_boosting", level="model")["fit_seconds"]
rf_tree = summary.xs("random_forest", level="model")["seconds_per_tree"] * 1000
leaves = summary.xs("gradient_boosting", level="model")["mean_leaves"]
st.caption(
    f"Boosting took {gb_time.loc[1]:.2f} s for its {T} rounds at depth 1 and {gb_time.loc[deep]:.2f} s "
    f"grown out ({leaves.loc[1]:.0f} to {leaves.loc[deep]:.0f} leaves per tree), and its rounds "
    "must run one after another. A forest tree took "
    f"{rf_tree.loc[1]:.1f} ms at depth 1 and {rf_tree.loc[deep]:.1f} ms grown out, mostly "
    "scikit-learn's per-tree overhead on data this small; its trees are independent, so they can "
    f"be fitted in parallel. Each forest time is measured on {ens.FOREST_TIMING_TREES} trees "
    "grown to that depth (the errors above come from one forest grown out and cut at each "
    "depth, the same forests in distribution). Wall-clock times on this server, one thread each; "
    "on a first visit the bias-variance experiment below runs on the other core at the same "
    "time, so the Python-heavy forest times can read two to three times slower than alone."
)

# ---- bias and variance --------------------------------------------------------------------------
st.header("Bias² and variance by depth")
bv = _cached(
    "bias_variance",
    config.bias_variance_key,
    lambda progress: trees.run_bias_variance(config, progress),
    with_estimate(
        f"Refitting on {config.bv_train_sets} training sets…", trees.bias_variance_seconds(config)
    ),
    pending=bv_pending,
)
register_experiment("trees", config, trees.Result.from_parts(sweep, bv), spec_of(own_data))
c1, c2 = st.columns(2, gap="medium")
with c1:
    lesson.chart(lesson.Cached(tc.bias_variance_lines, bv, component="bias_sq"), width="stretch")
with c2:
    lesson.chart(lesson.Cached(tc.bias_variance_lines, bv, component="variance"), width="stretch")
bvi = bv.set_index(["model", "max_depth"])
st.caption(
    f"Regression on Friedman #1, y = 10 sin(πx₁x₂) + 20(x₃ − ½)² + 10x₄ + 5x₅ + σε, with "
    f"{config.bv_train_sets} training sets of {config.bv_train_size} points and "
    f"{trees.BV_TEST_POINTS} fixed test points. Forests here have "
    f"{min(trees.BV_FOREST_TREES, T)} trees (more trees only shrink the (1 − ρ)σ²/T part of "
    "their variance); boosting uses T and η from the sidebar. Single trees and forests are grown "
    "once per training set and cut at each depth, which gives the same trees as refitting (up to the random choice between equally good splits)."
)
with st.expander("Does it add up? bias² + variance + noise against the measured test error"):
    lesson.chart(lesson.Cached(tc.decomposition_bars, bv), width="content")
    gap = (bv["measured_mse"] - bv["expected_mse"]).abs()
    if (bv["measured_se"] > 0).all():
        check = (
            f"The largest gap is {(gap / bv['measured_se']).max():.1f} standard errors of that "
            "measurement (within 3 is sampling noise)."
        )
    else:  # sigma = 0: noiseless labels, so the measurement has no sampling error at all
        within = "exactly" if gap.max() == 0 else f"to within {gap.max():.0e} (rounding)"
        check = (
            "With σ = 0 the labels carry no noise, so the measured error is exact: it equals "
            f"bias² + variance {within}."
        )
    st.caption(
        "Bars: the three terms estimated from the spread of predictions; diamonds: the mean squared "
        f"error measured against fresh noisy labels. {check}"
    )

# ---- what the run says --------------------------------------------------------------------------
gb_bv = bvi.xs("gradient_boosting", level="model")
rf_bv = bvi.xs("random_forest", level="model")
tree_bv = bvi.xs("single_tree", level="model")
sentences = [
    f"Best test {err_name}: the forest at depth {rf_best['depth']} "
    f"({rf_best['test_error']:.3f}), boosting at depth {gb_best['depth']} "
    f"({gb_best['test_error']:.3f}).",
    f"At depth 1 boosting's squared bias is {gb_bv.loc[1, 'bias_sq']:.2f}, against "
    f"{tree_bv.loc[1, 'bias_sq']:.2f} for a single stump and {rf_bv.loc[1, 'bias_sq']:.2f} for a "
    "forest of stumps: "
    + (
        "adding corrected trees lowers bias, averaging does not."
        if gb_bv.loc[1, "bias_sq"] < min(tree_bv.loc[1, "bias_sq"], rf_bv.loc[1, "bias_sq"])
        else f"with η = {config.learning_rate:g} and {T} trees boosting has not taken enough "
        "steps to beat them; raise η or the number of trees."
    ),
    f"Grown out, a single tree's variance is {tree_bv.loc[deep, 'variance']:.2f}; the forest "
    f"brings it to {rf_bv.loc[deep, 'variance']:.2f} by averaging, while boosting's goes from "
    f"{gb_bv.loc[1, 'variance']:.2f} at depth 1 to {gb_bv.loc[deep, 'variance']:.2f} grown out.",
]
lowest = bv.loc[bv.groupby("model")["expected_mse"].idxmin()].set_index("model")
sentences.append(
    f"Lowest expected test MSE in the regression: boosting {lowest.loc['gradient_boosting', 'expected_mse']:.2f} "
    f"at depth {lowest.loc['gradient_boosting', 'depth']}, forest "
    f"{lowest.loc['random_forest', 'expected_mse']:.2f} at depth "
    f"{lowest.loc['random_forest', 'depth']} (noise floor σ² = {config.bv_noise**2:.2f})."
)
if config.cross_check:
    hgb = best.loc["hist_gradient_boosting"]
    sentences.append(
        f"Cross-check: scikit-learn's HistGradientBoosting, the same algorithm written "
        f"independently, is best at depth {hgb['depth']} ({hgb['test_error']:.3f}); LightGBM at "
        f"depth {gb_best['depth']} ({gb_best['test_error']:.3f})."
    )
lesson.notice(sentences)

lesson.model_answer(
    "Both combine trees, but they attack different halves of the error. **Gradient boosting** "
    "fits trees one after another: each new tree is fitted to the negative gradient of the loss "
    "(the residuals, for squared error) of the current ensemble and added with a small step η. "
    "The sum of many weak, shallow trees lowers **bias** a little at a time; keeping each tree "
    "shallow (depth 3 to 8, or a few dozen leaves) and the steps small keeps the **variance** "
    "low. Deep trees would fit the noise within a few rounds.\n\n"
    "A **random forest** grows deep, low-bias, high-variance trees independently on bootstrap "
    "samples with random feature subsets and averages them. Averaging cuts variance but not bias, "
    "so each tree must already have low bias: grow it deep. Shallow trees in a forest stay "
    "biased no matter how many you average.\n\n"
    "So: boosting reduces bias with many shallow learners in sequence; forests reduce variance "
    "with many deep learners in parallel.",
    formulas=[
        r"F_m(x) = F_{m-1}(x) + \eta\, h_m(x),\qquad h_m \approx -\frac{\partial L(y, F)}{\partial F}\Big|_{F = F_{m-1}}",
        r"\hat f_{\text{forest}}(x) = \frac{1}{T}\sum_{t=1}^{T} h_t(x),\qquad "
        r"\operatorname{Var}\big[\hat f_{\text{forest}}(x)\big] = \rho\,\sigma^2 + \frac{1-\rho}{T}\,\sigma^2",
        r"\mathbb{E}\big[(y - \hat f(x))^2\big] = \big(\mathbb{E}[\hat f(x)] - f(x)\big)^2"
        r" + \operatorname{Var}\big[\hat f(x)\big] + \sigma^2",
    ],
    pitfalls=[
        "“LightGBM's max_depth controls tree size”: it grows leaf-wise up to num_leaves (31 by "
        "default), so set num_leaves ≤ 2^depth too, or the depth limit barely binds. This page "
        "ties num_leaves = min(2^depth, 1024).",
        "“More trees make a forest overfit”: they don't; the test error levels off (the (1 − ρ)σ²/T "
        "term vanishes). More boosting rounds can overfit: tune rounds with η and early stopping.",
        "“A forest of more trees has no variance left”: its variance falls to ρσ², not zero; "
        "random feature subsets (max_features) lower the correlation ρ between trees.",
        "Boosting for classification fits the gradient of the log loss, not class residuals.",
    ],
)
