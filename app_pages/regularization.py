"""Lesson: L1 and L2 regularization (and elastic net): what each does to the weights, when to use which."""

import streamlit as st

from core.experiments import regularization as rx
from core.regularization import ESTIMATORS
from ui import controls, lesson
from ui.charts import regularization as charts
from ui.runner import build_config, run_experiment
from ui.upload import fingerprint, show_data_in_use, user_dataset

DEFAULTS = rx.Config()
# scikit-learn's objectives, exactly as its Lasso, Ridge and ElasticNet define them (rho = l1_ratio).
OBJECTIVES = {
    "L1": r"\tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_1",
    "L2": r"\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_2^2",
    "elastic net": r"\tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\rho\lVert w\rVert_1"
    r" + \tfrac{\alpha(1-\rho)}{2}\lVert w\rVert_2^2",
}
NAMES = {"L1": "Lasso (L1)", "L2": "Ridge (L2)", "elastic net": "ElasticNet"}
LABELED = {p: rf"\text{{{NAMES[p]}:}}\quad {OBJECTIVES[p]}" for p in OBJECTIVES}
PREDICT_OPTIONS = ("L1 only", "L1 and elastic net", "all three", "none of them")

lesson.header(
    "L1 and L2 regularization",
    "Describe L1 and L2 regularization. When would you use which?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Sparse truth, many features": (
            "30 features, 3 of them real: L1's path lets the real ones in first; the CV choice "
            "keeps some extras too (precision below 1).",
            {"data": "synthetic", "p": 30, "k": 3, "noise": 1.0},
        ),
        "Exact duplicates": (
            "Correlation 0.999: L1 keeps one of the pair over most of its path, L2 and elastic "
            "net split the weight evenly.",
            {"corr": 0.999},
        ),
        "Small budget": (
            "t = 0.5: the diamond's corner touches the contours first, so L1's optimum has w2 = 0.",
            {"t": 0.5},
        ),
        "Weak penalties in the network": (
            "λ = 0.001: few weights fall below 1e-3, the truly-zero inputs keep sizeable weights "
            "and the test error moves towards the unpenalized net's.",
            {"nl1": 0.001, "nl2": 0.001},
        ),
    }
)
with st.sidebar:
    st.subheader("Data")
    dataset = controls.radio(
        "Data for the coefficient paths",
        key="data",
        options=rx.DATASETS,
        value=DEFAULTS.dataset,
        help="diabetes: scikit-learn's bundled set, 10 standardized features. synthetic: true "
        "weights zero except on k of p features (it also feeds the support recovery and the net).",
    )
    n_samples = controls.slider(
        "Synthetic: training rows n",
        key="n",
        min_value=40,
        max_value=400,
        value=DEFAULTS.n_samples,
        step=10,
        help="Rows of the synthetic training set (200 more are held out for testing).",
    )
    n_features = controls.slider(
        "Synthetic: features p",
        key="p",
        min_value=5,
        max_value=30,
        value=DEFAULTS.n_features,
        help="Standard-normal, independent features.",
    )
    n_informative = controls.slider(
        "Synthetic: features that truly matter k",
        key="k",
        min_value=1,
        max_value=10,
        value=DEFAULTS.n_informative,
        help="How many true weights are non-zero (random sign, size 0.5 to 2). At most p.",
    )
    noise = controls.slider(
        "Synthetic: noise (std of y)",
        key="noise",
        min_value=0.0,
        max_value=5.0,
        value=DEFAULTS.noise,
        step=0.1,
        help="More noise makes the true support harder to recover.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the synthetic data, the correlated pair, the CV folds and the network.",
    )
    own_data = user_dataset(
        "regularization_own", task="regression", seed=int(seed), validate=rx.check_data
    )
    st.subheader("Penalty")
    l1_ratio = controls.slider(
        "Elastic net: L1 share ρ (l1_ratio)",
        key="l1r",
        min_value=0.1,
        max_value=0.9,
        value=DEFAULTS.l1_ratio,
        step=0.1,
        help="ElasticNet's mix: ρ = 1 is the Lasso, ρ → 0 approaches Ridge.",
    )
    st.subheader("Geometry")
    budget = controls.slider(
        "Budget t",
        key="t",
        min_value=0.1,
        max_value=3.0,
        value=DEFAULTS.budget,
        step=0.1,
        help="The constraint ‖w‖₁ ≤ t (diamond) or ‖w‖₂ ≤ t (circle) in the 2-D picture.",
    )
    st.subheader("Correlated features")
    correlation = controls.choice_slider(
        "Correlation of x1 and x2",
        key="corr",
        options=[0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999],
        value=DEFAULTS.correlation,
        help="Two features that (nearly) duplicate each other; y = x1 + x2 + noise.",
    )
    st.subheader("Network")
    net_l1 = controls.log_slider(
        "L1 strength λ₁ (log scale)",
        key="nl1",
        options=controls.log_options(1e-4, 0.1),
        value=DEFAULTS.net_l1,
        help="The L1 net minimizes MSE + λ₁ Σ|W| over the weight matrices (not the biases).",
    )
    net_l2 = controls.log_slider(
        "L2 strength λ₂ (log scale)",
        key="nl2",
        options=controls.log_options(1e-4, 0.1),
        value=DEFAULTS.net_l2,
        help="The L2 net minimizes MSE + λ₂ Σ W² over the weight matrices (not the biases).",
    )
    net_epochs = controls.choice_slider(
        "Training epochs",
        key="nep",
        options=[100, 200, 300, 500, 1000, 2000],
        value=DEFAULTS.net_epochs,
        help="Full-batch SGD with momentum 0.9, learning rate 0.05, same start for all three.",
    )

config = build_config(
    rx.Config,
    dataset=dataset,
    n_samples=n_samples,
    n_features=n_features,
    n_informative=n_informative,
    noise=round(noise, 3),
    l1_ratio=round(l1_ratio, 3),
    budget=round(budget, 3),
    correlation=correlation,
    net_l1=net_l1,
    net_l2=net_l2,
    net_epochs=net_epochs,
    seed=int(seed),
)

if own_data is not None:
    show_data_in_use(
        own_data,
        replaces="the data chosen for the coefficient paths: the paths, the zero counts, the CV "
        "choices and the Ridge-vs-Lasso test R² use your file. Support recovery and the network "
        "stay on the synthetic set (they need the true weights), the diamond-and-circle picture "
        "and the correlated pair on their fixed demo problems",
        ignored=("Data for the coefficient paths",),
        prepare=lambda: rx.prepare_data(config, own_data),
    )

choice = lesson.predict(
    "reg",
    "Raise the penalty α step by step. Which penalties set some coefficients to **exactly** zero "
    "while others are still non-zero?",
    PREDICT_OPTIONS,
)

result = run_experiment("regularization", config, data=own_data)
models = result.models.set_index("penalty")
d = len(result.feature_names)
data_name = result.data_name or result.dataset


@st.cache_resource(max_entries=16, show_spinner=False)
def build_charts(config: rx.Config, data_key: str, _result: rx.Result) -> dict:
    """Every chart of the page for one config and data, built once (a result is a function of both).

    Building eleven Altair specs costs about as much as drawing them; the objects are only read
    afterwards (``lesson.chart`` copies before restyling), so they can be shared.
    """
    r = _result
    cv = r.models.set_index("penalty")["alpha_cv"]
    titles = {**NAMES, "elastic net": f"ElasticNet (ρ = {config.l1_ratio:g})"}
    built = {
        penalty: charts.coef_paths(
            r.paths[r.paths["penalty"] == penalty],
            alpha_cv=float(cv[penalty]),
            title=f"{titles[penalty]}: CV α = {cv[penalty]:.3g}",
            x_title=f"{ESTIMATORS[penalty]} α (log; dashed: CV)",
            color_by="truth" if r.dataset == "synthetic" else "feature",
        )
        for penalty in rx.PENALTIES
    }
    alpha_ref = r.pair["alpha_reference"]
    built.update(
        zeros=charts.zero_counts(r.zeros, n_features=len(r.feature_names)),
        recovery=charts.support_recovery(r.recovery, alpha_cv=r.recovery_cv["alpha"]),
        geometry=charts.geometry(
            r.contours, r.boundaries, r.optima, ols=r.geometry["ols"], budget=config.budget
        ),
        sweep=charts.budget_sweep(r.budget_sweep, budget=config.budget),
        pair=charts.pair_paths(r.pair_paths, alpha_reference=alpha_ref),
        pair_bars=charts.pair_bars(r.pair_reference, alpha_reference=alpha_ref),
        histogram=charts.weight_histogram(r.net_histogram, threshold=rx.SMALL_WEIGHT),
        inputs=charts.input_weights(r.net_inputs),
    )
    return built


data_key = "" if own_data is None else fingerprint(own_data)
figures = build_charts(config, data_key, result)


def draw(name: str, **kwargs) -> None:
    """One of the page's charts, its converted spec kept per (config, data, chart)."""
    lesson.chart(figures[name], cache_key=("regularization", config, data_key, name), **kwargs)


rec = result.recovery_cv

# ---- coefficient paths ----------------------------------------------------------------------------
st.header("Coefficient paths")
st.latex(
    r"\begin{aligned}"
    + r" \\ ".join(rf"\text{{{NAMES[p]}:}}\quad & {OBJECTIVES[p]}" for p in rx.PENALTIES)
    + r"\end{aligned}"
)
for column, penalty in zip(st.columns(3, gap="small"), rx.PENALTIES, strict=True):
    with column:
        draw(penalty)
data_text = (
    f"{data_name.capitalize()} data"
    if own_data is None
    else f"Your data ({data_name}, {result.n_train:,} training rows, target standardized)"
)
st.caption(
    f"{data_text}, {d} standardized features, the intercept fitted and not "
    "penalized. Each α is the one of that scikit-learn estimator; the dashed line is the α "
    "cross-validation picks (LassoCV / ElasticNetCV: 5 folds; RidgeCV: exact leave-one-out)."
    + (
        " With more than 10 features the colors repeat: hover a line for its feature."
        if d > 10 and result.dataset != "synthetic"
        else ""
    )
)

zeros = result.zeros
partial = {
    p
    for p, g in zeros.groupby("penalty")
    if ((g["n_zero"] > 0) & (g["n_zero"] < g["n_features"])).any()
}
actual = {
    frozenset({"L1"}): "L1 only",
    frozenset({"L1", "elastic net"}): "L1 and elastic net",
    frozenset(rx.PENALTIES): "all three",
    frozenset(): "none of them",
}.get(frozenset(partial), " and ".join(sorted(partial)))
ridge_coefs = result.paths[result.paths["penalty"] == "L2"]["coef"].abs()
lesson.reveal(
    choice,
    actual,
    f"At its CV α the Lasso kept {models.loc['L1', 'n_nonzero']} of {d} coefficients and elastic "
    f"net {models.loc['elastic net', 'n_nonzero']}; Ridge's smallest |coefficient| on its whole "
    f"path is {ridge_coefs.min():.2g}: small, never 0.",
)

left, right = st.columns(2, gap="medium")
with left:
    draw("zeros")
with right:
    draw("recovery")
st.caption(
    "Left: count of coefficients exactly 0 on each path. Right: on the synthetic set (always, "
    "whatever data the paths use), precision = share of kept features that are truly non-zero, "
    "recall = share of the true features kept."
)

# ---- geometry -------------------------------------------------------------------------------------
st.header("Why L1 gives zeros: the diamond and the circle")
optima = result.optima.set_index("penalty")
geo = result.geometry
left, right = st.columns([1, 1], gap="medium")
with left:
    draw("geometry", width="content")
with right:
    draw("sweep")
st.caption(
    "Grey ellipses: level sets of the least-squares loss (1/(2n))‖y − Xw‖² of a two-feature "
    "problem, whose minimum is the cross; dashed: the level sets that touch each constraint. Minimizing the loss inside the "
    "diamond or the circle is the penalized problem in another form: each budget t matches one α."
)

# ---- correlated features --------------------------------------------------------------------------
st.header("Correlated features")
pair = result.pair
ref = result.pair_reference.set_index(["penalty", "feature"])["coef"]
left, right = st.columns([3, 2], gap="medium")
with left:
    draw("pair")
with right:
    draw("pair_bars")
st.caption(
    f"{pair['n_samples']} samples, sample correlation {pair['correlation']:.3f}, y = x1 + x2 + "
    "noise (std 2). Solid: x1, dashed: x2. All three on the ElasticNet α scale (Ridge fitted at "
    "n·α); the bars use α = half of the Lasso's α_max."
)

# ---- the network ----------------------------------------------------------------------------------
st.header("On a small network")
net = result.net_summary.set_index("penalty")
if net["diverged"].any():
    names = ", ".join(net.index[net["diverged"]])
    st.warning(f"**Diverged: {names}.** Lower the penalty strength.", icon=":material/warning:")
left, right = st.columns(2, gap="medium")
with left:
    draw("histogram")
with right:
    draw("inputs")
table = net[["strength", "n_small", "n_exact_zero", "n_weights", "train_mse", "test_mse"]]
st.dataframe(
    table.rename(
        columns={
            "strength": "λ",
            "n_small": "|w| < 1e-3",
            "n_exact_zero": "w = 0 exactly",
            "n_weights": "weights",
            "train_mse": "train MSE",
            "test_mse": "test MSE",
        }
    ),
    width="stretch",
)
st.caption(
    f"A {rx.NET_HIDDEN}-unit ReLU network on the synthetic set (p = {config.n_features} inputs), "
    f"trained {config.net_epochs} epochs from the same start three times: no penalty, "
    "+ λ₁Σ|W|, + λ₂ΣW². Faded bars: inputs whose true weight is 0."
)

# ---- when to use which ----------------------------------------------------------------------------
st.header("When to use which")
r2 = models["test_r2"]
kept = models["n_nonzero"]
pair_text = {
    p: f"({ref[(p, 'x1')]:.2f}, {ref[(p, 'x2')]:.2f})" for p in ("L1", "elastic net", "L2")
}
small = net["n_small"]
precision = "n/a" if rec["precision"] != rec["precision"] else f"{rec['precision']:.2f}"
st.markdown(
    "| If … | Use | Evidence from this run |\n"
    "|---|---|---|\n"
    f"| few features should matter, or you want the model to pick them | **L1** (Lasso) | "
    f"synthetic set, {rec['n_true']} true features of {config.n_features}: LassoCV kept "
    f"{rec['n_selected']}, recall {rec['recall']:.2f}, precision {precision} |\n"
    f"| many small effects; you want stable, shrunk weights | **L2** (Ridge) | "
    f"{data_name}: test R² Ridge {r2['L2']:.3f}, Lasso {r2['L1']:.3f}, elastic net "
    f"{r2['elastic net']:.3f}; Ridge keeps all {d} coefficients, Lasso {kept['L1']} |\n"
    f"| groups of correlated features, and you still want sparsity | **elastic net** | "
    f"correlation {pair['correlation']:.3f}: (w1, w2) = {pair_text['L1']} with L1, "
    f"{pair_text['elastic net']} with elastic net, {pair_text['L2']} with L2 |\n"
    f"| a neural network | **L2** (weight decay) by default | "
    f"L1 put {small['L1']} of {net.loc['L1', 'n_weights']} weights under 1e-3 (exactly 0: "
    f"{net.loc['L1', 'n_exact_zero']}), L2 {small['L2']}, none {small['none']}; test MSE "
    f"{net.loc['none', 'test_mse']:.3f} / {net.loc['L1', 'test_mse']:.3f} / "
    f"{net.loc['L2', 'test_mse']:.3f} (none / L1 / L2) |"
)

# ---- what the run says ----------------------------------------------------------------------------
l1_path = result.paths[(result.paths["penalty"] == "L1") & (result.paths["coef"] != 0)]
first_alpha = float(l1_path["alpha"].max()) if len(l1_path) else float("nan")
sentences = [
    f"On the {data_name} data the first Lasso coefficient turns non-zero at α ≈ {first_alpha:.3g}; "
    f"at the CV choice α = {models.loc['L1', 'alpha_cv']:.3g} it keeps {kept['L1']} of {d} "
    f"(test R² {r2['L1']:.3f}), while Ridge at its CV α keeps all {d} (test R² {r2['L2']:.3f})."
]
exact = result.recovery[(result.recovery["precision"] == 1.0) & (result.recovery["recall"] == 1.0)]
if len(exact):
    sentences.append(
        f"On the synthetic set L1 finds exactly the {rec['n_true']} true features for α from "
        f"{exact['alpha'].min():.3g} to {exact['alpha'].max():.3g}; the CV choice "
        f"α = {rec['alpha']:.3g} is tuned for prediction and keeps {rec['n_selected']} "
        f"(recall {rec['recall']:.2f}, precision {precision})."
    )
else:
    sentences.append(
        f"On the synthetic set no α recovers exactly the {rec['n_true']} true features (the "
        f"noise hides some); at the CV choice L1 keeps {rec['n_selected']} (recall "
        f"{rec['recall']:.2f}, precision {precision})."
    )
l1_opt, l2_opt = optima.loc["L1"], optima.loc["L2"]
if not l1_opt["active"]:
    sentences.append(
        f"With t = {config.budget:g} the diamond already contains the least-squares solution "
        f"({geo['ols'][0]:.2f}, {geo['ols'][1]:.2f}), so the L1 constraint does not bind; lower t "
        "to see the corner."
    )
else:
    where = (
        "on a corner: w2 is exactly 0"
        if l1_opt["corner"]
        else "on an edge, both non-zero (the budget is past the corner range)"
    )
    l2_where = (
        f"at ({l2_opt['w1']:.2f}, {l2_opt['w2']:.2f}), both non-zero"
        if l2_opt["active"]
        else "at the least-squares solution (the circle contains it)"
    )
    sentences.append(
        f"With t = {config.budget:g} the L1 optimum is ({l1_opt['w1']:.2f}, {l1_opt['w2']:.2f}), "
        f"{where}; the L2 optimum sits {l2_where}. L1 lands on the corner for every budget up to "
        f"t ≈ {geo['corner_up_to']:.2f}, and Lasso with α = {l1_opt['equivalent_alpha']:.3g} "
        "gives the same point as this budget."
    )
entry = pair["entry"]
l1_first, l1_both = entry["L1"]["alpha_first"], entry["L1"]["alpha_both"]
if l1_both == l1_both:  # not NaN: the second feature joins somewhere on the grid
    l1_text = f"keeps one of the pair alone from α = {l1_first:.3g} down to α = {l1_both:.3g}"
else:
    l1_text = (
        f"keeps only one of the pair from α = {l1_first:.3g} down to the end of the grid "
        f"(α = {result.pair_paths['alpha_common'].min():.3g}): the other stays exactly 0"
    )
en_first, en_both = entry["elastic net"]["alpha_first"], entry["elastic net"]["alpha_both"]
en_text = (
    f"the second joins at α = {en_both:.3g}, the first having appeared at α = {en_first:.3g}"
    if en_both == en_both
    else f"only one appears (from α = {en_first:.3g})"
)
sentences.append(
    f"With correlation {pair['correlation']:.3f}, the L1 path {l1_text}; under elastic net "
    f"{en_text}; Ridge keeps both non-zero everywhere."
)
share = net["share_small"]
exact_zeros = int(net.loc["L1", "n_exact_zero"])
how_many = "none is" if exact_zeros == 0 else f"only {exact_zeros} are"
sentences.append(
    f"In the network, L1 put {share['L1']:.0%} of the weights below 1e-3, against "
    f"{share['L2']:.0%} for L2 and {share['none']:.0%} without a penalty, yet "
    f"{how_many} exactly 0: gradient steps make L1 weights jitter around 0 instead of landing "
    "on it (the Lasso's coordinate descent soft-thresholds, so its zeros are exact)."
)
lesson.notice(sentences)

lesson.model_answer(
    "Both add a penalty on the weights to the training loss, trading a little bias for less "
    "variance. **L1** adds λ Σ|wⱼ|. Its pull towards 0 has the same size however small a weight "
    "is, so it sets weights **exactly to zero**: a sparse model that selects features. **L2** "
    "adds λ Σwⱼ². Its pull is proportional to the weight, so it shrinks every weight smoothly "
    "and none reaches zero; it spreads weight across correlated features and keeps the solution "
    "stable (XᵀX + αI is always invertible). **Elastic net** mixes the two: sparse like L1, "
    "and it keeps groups of correlated features together like L2.\n\n"
    "Geometrically the penalized problem is the loss minimized inside a budget: a diamond "
    "‖w‖₁ ≤ t has corners on the axes, where the loss contours tend to touch it first; a circle "
    "has none. In Bayesian terms L2 is the MAP estimate under a Gaussian prior, L1 under a "
    "Laplace prior.\n\n"
    "**Use** L1 when you expect few relevant features or need an interpretable, cheap model; "
    "L2 when many features each carry a little signal, when features are correlated, or by "
    "default for neural networks (weight decay); elastic net for correlated groups where you "
    "still want selection. Choose α by cross-validation, on standardized features.",
    formulas=[
        LABELED["L1"],
        LABELED["L2"],
        LABELED["elastic net"],
        r"\text{if } X^\top X = nI,\ z_j = x_j^\top y / n:\quad "
        r"w_j^{\text{Lasso}} = \operatorname{sign}(z_j)\max(|z_j| - \alpha, 0),\qquad "
        r"w_j^{\text{Ridge}} = \frac{n}{n + \alpha}\, z_j",
        r"\min_w \tfrac{1}{2n}\lVert y - Xw\rVert_2^2 \ \text{ s.t. } \lVert w\rVert_1 \le t"
        r"\quad\Longleftrightarrow\quad \text{Lasso with some } \alpha(t) \ge 0",
    ],
    pitfalls=[
        "Penalizing unscaled features: the penalty treats every coefficient alike, so a feature "
        "with a small numeric range needs a large weight and is punished more (and a large-range "
        "one less). Standardize first.",
        "Penalizing the intercept: scikit-learn does not; neither should you.",
        "Comparing α across estimators: Ridge's loss has no 1/(2n), so its α is n times "
        f"ElasticNet's for the same fit (n = {result.n_train} training rows here).",
        "Trusting which of two correlated features the Lasso kept: the choice follows the noise "
        "(change the seed). Elastic net or L2 keep both.",
        f"Expecting exact zeros from L1 trained by (sub)gradient descent: the network's weights "
        f"jitter around 0 ({net.loc['L1', 'n_exact_zero']} exactly 0 here); exact zeros need "
        "proximal steps (soft-thresholding), as coordinate descent does.",
        "Assuming L2 and weight decay are the same everywhere: they coincide for plain SGD, not "
        "for Adam (hence AdamW's decoupled decay).",
        "Reading LassoCV's choice as the true support: tuned for prediction, it tends to keep "
        f"extra features (here {rec['n_selected']} kept for {rec['n_true']} true ones, precision "
        f"{precision}); for selection use a larger α or stability selection.",
    ],
)
