"""Lesson: L1 and L2 regularization (and elastic net): what each does to the weights, when to use which."""

import streamlit as st

from core.experiments import regularization as experiment
from core.experiments.regularization.claims import (
    alpha_text,
    correlation_text,
    geometry_caption,
    mse_texts,
    network_caption,
    pair_header,
    pair_texts,
)
from core.facts import in_slot, num
from ui import controls, lesson
from ui.charts import regularization as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider, Upload
from ui.runner import run_experiment

TITLES = experiment.ESTIMATOR_TITLES
SCIKIT = {"l1": "Lasso", "l2": "Ridge", "elasticnet": "ElasticNet"}

panel = controls.Panel(
    experiment.Config,
    Group(
        "Data",
        Choice(
            "dataset",
            "Data for the coefficient paths",
            "diabetes: scikit-learn's bundled set, 10 standardized features. synthetic: true "
            "weights zero except on k of p features. Whichever data the paths use, the support "
            "recovery and the network always use the synthetic set.",
            key="data",
            widget="radio",
        ),
        Slider(
            "n_samples",
            "Synthetic: training rows n",
            "Rows of the synthetic training set (200 more are held out for testing).",
            key="n",
        ),
        Slider(
            "n_features", "Synthetic: features p", "Standard-normal, independent features.", key="p"
        ),
        Slider(
            "n_informative",
            "Synthetic: features that truly matter k",
            "How many true weights are non-zero (random sign, size 0.5 to 2 before y is "
            "standardized). At most p.",
            key="k",
        ),
        Slider(
            "noise",
            "Synthetic: noise std σ (y = Xw + σε)",
            "The standard deviation of the noise added to Xw, before y is standardized. More "
            "noise tends to make the true support harder to recover.",
            key="noise",
        ),
        Seed(
            "seed",
            "Seed",
            "Seeds the synthetic data, the correlated pair, the CV folds, the network and the "
            f"sample the paths keep of an upload over {experiment.UPLOAD_MAX_TRAIN:,} training "
            "rows.",
        ),
        Upload("regression", validate=experiment.check_data, idle=("dataset",)),
    ),
    Group(
        "Penalty",
        Slider(
            "l1_ratio",
            "Elastic net: L1 share ρ (l1_ratio)",
            "ElasticNet's mix: ρ = 1 is the Lasso, ρ → 0 approaches Ridge.",
            key="l1r",
        ),
    ),
    Group(
        "Geometry",
        Slider(
            "budget",
            "Budget t",
            "The constraint ‖w‖₁ ≤ t (diamond) or ‖w‖₂ ≤ t (circle) in the 2-D picture.",
            key="t",
        ),
    ),
    Group(
        "Correlated features",
        Choice(
            "correlation",
            "Correlation of x1 and x2",
            "The population correlation of two features (near-duplicates from 0.95 up); "
            "y = x1 + x2 + noise.",
            key="corr",
            widget="slider",
        ),
    ),
    Group(
        "Network",
        LogSlider(
            "net_l1",
            "L1 strength λ₁ (log scale)",
            "The L1 net is trained by full-batch subgradient descent (with momentum) on "
            "MSE + λ₁ Σ|W| over the weight matrices (not the biases).",
            key="nl1",
        ),
        LogSlider(
            "net_l2",
            "L2 strength λ₂ (log scale)",
            "The L2 net is trained by full-batch gradient descent (with momentum) on "
            "MSE + λ₂ ΣW² over the weight matrices (not the biases).",
            key="nl2",
        ),
        Choice(
            "net_epochs",
            "Training epochs",
            # full batch: gradient descent, not stochastic (the L1 term's subgradient; audit
            # pass 59 d: "Full-batch SGD")
            "Full-batch gradient descent (a subgradient for the L1 term) with momentum 0.9, "
            "learning rate 0.05, from the same start for all three.",
            key="nep",
            widget="slider",
        ),
    ),
    presets=experiment.PRESETS,
)

lesson.header()
config = panel.draw()
panel.show_data(
    config,
    experiment.prepare_data,
    replaces="the data chosen for the coefficient paths: the paths, the zero counts, the CV "
    "choices and the Ridge-vs-Lasso test R² use your file. Support recovery and the network "
    "stay on the synthetic set (they need the true weights), the diamond-and-circle picture "
    "and the correlated pair on their fixed demo problems",
)
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment("regularization", config, data=panel.data)
facts = experiment.facts(config, result)
lesson.warnings(facts)
models = result.models.set_index("penalty")
d = len(result.feature_names)

# ---- coefficient paths ----------------------------------------------------------------------------
st.header("Coefficient paths")
st.latex(
    r"\begin{aligned}"
    + r" \\ ".join(rf"{label}\quad & {formula}" for label, formula in experiment.OBJECTIVE_ROWS)
    + r"\end{aligned}"
)
rho = f"ρ = {config.l1_ratio:g}"  # plain-format: ρ, the setting
for column, penalty in zip(st.columns(3, gap="small"), experiment.PENALTIES, strict=True):
    title = TITLES[penalty] if penalty != "elasticnet" else f"ElasticNet ({rho})"
    cv = float(models.loc[penalty, "alpha_cv"])
    with column:
        lesson.chart(
            lesson.Cached(
                charts.coef_paths,
                result.paths[result.paths["penalty"] == penalty],
                alpha_cv=cv,
                title=f"{title}: CV α = {alpha_text(cv)}",
                x_title=f"{SCIKIT[penalty]} α (log; dashed: CV)",
                color_by="truth" if result.dataset == "synthetic" else "feature",
            )
        )
data_text = (
    f"{result.data_name.capitalize()} data"
    if panel.data is None
    else f"Your data ({result.data_name}, {result.n_train:,} training rows, target standardized)"
)
st.caption(
    f"{data_text}, {d} standardized feature{'s' * (d != 1)}, the intercept fitted and not "
    "penalized. Each α "
    "is the one of that scikit-learn estimator (Ridge's has no 1/(2n): Ridge(α) fits what "
    f"ElasticNet(α/n, l1_ratio=0) fits, n = {result.n_train}); the dashed line is the α "
    "cross-validation picks (LassoCV / ElasticNetCV: 5 folds; RidgeCV: exact leave-one-out)."
    + (
        " With more than 10 features the colors repeat: hover a line for its feature."
        if d > 10 and result.dataset != "synthetic"
        else ""
    )
)
lesson.reveal_answer(choice, facts)
lesson.side_by_side(
    lesson.Cached(charts.zero_counts, result.zeros, n_features=d),
    lesson.Cached(charts.support_recovery, result.recovery, alpha_cv=result.recovery_cv["alpha"]),
)
st.caption(
    "Left: count of coefficients exactly 0 at each α of each path's grid. Right: on the "
    "synthetic set (always, whatever data the paths use), precision = share of kept features "
    "that are truly non-zero, recall = share of the true features kept."
)

# ---- geometry -------------------------------------------------------------------------------------
st.header("Why L1 gives zeros: the diamond and the circle")
left, right = st.columns([1, 1], gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.geometry,
            result.contours,
            result.boundaries,
            result.optima,
            ols=result.geometry["ols"],
            budget=config.budget,
        ),
        width="content",
    )
with right:
    lesson.chart(lesson.Cached(charts.budget_sweep, result.budget_sweep, budget=config.budget))
st.caption(geometry_caption(result))
lesson.captions(facts, "geometry")

# ---- correlated features --------------------------------------------------------------------------
st.header(pair_header(config))
pair = result.pair
left, right = st.columns([3, 2], gap="medium")
with left:
    alpha_ref = pair["alpha_reference"]
    lesson.chart(
        lesson.Cached(
            charts.pair_paths,
            result.pair_paths,
            alpha_reference=alpha_ref,
            correlation=pair["correlation"],
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.pair_bars,
            result.pair_reference,
            alpha_reference=alpha_ref,
            texts=pair_texts(result),
        )
    )
st.caption(
    f"{pair['n_samples']} samples, sample correlation {correlation_text(pair['correlation'])}, y = x1 + x2 + "
    "noise (std 2). Solid: x1, dashed: x2. All three on the ElasticNet α scale (Ridge fitted at "
    "n·α); the bars use α = half of the Lasso's α_max."
)
lesson.captions(facts, "pair")

# ---- the network ----------------------------------------------------------------------------------
st.header("On a small network")
lesson.side_by_side(
    lesson.Cached(charts.weight_histogram, result.net_histogram, threshold=experiment.SMALL_WEIGHT),
    lesson.Cached(charts.input_weights, result.net_inputs),
)
net = charts.labelled(result.net_summary).set_index("penalty")
# The MSEs as the net_report sentence prints them (Streamlit's default float format would print a
# noise-0 test MSE of 1.06e-06 as 0)
net = net.assign(
    strength=net["strength"].map(num),
    # each column at one significant-digit count, zeros kept (mse_texts; audit pass 64 c)
    train_mse=mse_texts(net["train_mse"]),
    test_mse=mse_texts(net["test_mse"]),
)
lesson.table(
    net[["strength", "n_small", "n_exact_zero", "n_weights", "train_mse", "test_mse"]].rename(
        columns={
            "strength": "λ",
            "n_small": "|w| < 1e-3",
            "n_exact_zero": "w = 0 exactly",
            "n_weights": "weights",
            "train_mse": "train MSE",
            "test_mse": "test MSE",
        }
    ),
)
st.caption(network_caption(config, experiment.NET_HIDDEN))
lesson.captions(facts, "inputs")

# ---- when to use which ----------------------------------------------------------------------------
st.header("When to use which")
rows = ["| If … | Use | This run |", "|---|---|---|"]
for row, condition, use in experiment.WHEN_TO_USE:
    evidence = " ".join(f.text for f in in_slot(facts, f"when:{row}")).replace("|", r"\|")
    rows.append(f"| {condition} | {use} | {evidence} |")
st.markdown("\n".join(rows))

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
