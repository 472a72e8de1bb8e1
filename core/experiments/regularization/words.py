"""The regularization lesson's fixed words: its prediction, presets, table and model answer."""

from __future__ import annotations

from core.experiments.regularization.claims import OPTIONS
from core.experiments.regularization.experiment import Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Raise the penalty α step by step. Which penalties set some coefficients to **exactly** zero "
    "while others are still non-zero?",
    OPTIONS,
)

# scikit-learn's objectives, exactly as its Lasso, Ridge and ElasticNet define them (rho = l1_ratio).
OBJECTIVES = {
    "l1": r"\tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_1",
    "l2": r"\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_2^2",
    "elasticnet": r"\tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\rho\lVert w\rVert_1"
    r" + \tfrac{\alpha(1-\rho)}{2}\lVert w\rVert_2^2",
}
ESTIMATOR_TITLES = {"l1": "Lasso (L1)", "l2": "Ridge (L2)", "elasticnet": "ElasticNet"}
# The same objectives as (label, formula) rows of an aligned block, the elastic net's on two rows
# so that a phone's width holds them.
OBJECTIVE_ROWS = (
    (r"\text{Lasso (L1):}", OBJECTIVES["l1"]),
    (r"\text{Ridge (L2):}", OBJECTIVES["l2"]),
    (r"\text{ElasticNet:}", r"\tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\rho\lVert w\rVert_1"),
    ("", r"\quad + \tfrac{\alpha(1-\rho)}{2}\lVert w\rVert_2^2"),
)

# "When to use which": (row, if ..., use); the run's evidence for each row is a fact in slot
# "when:<row>".
WHEN_TO_USE = (
    ("l1", "few features should matter, or you want the model to pick them", "**L1** (Lasso)"),
    ("l2", "many small effects; you want stable, shrunk weights", "**L2** (Ridge)"),
    (
        "elasticnet",
        "groups of correlated features, and you still want sparsity",
        "**elastic net** (with enough L2 share)",
    ),
    # weight decay is an L2 penalty only under plain SGD (the pitfall below); this run's nets use
    # momentum and an L2 penalty in the loss
    (
        "network",
        "a neural network",
        "**L2** by default, usually as weight decay (the same as an L2 penalty only under plain "
        "SGD)",
    ),
)

PRESETS = {
    "Sparse truth, many features": Preset(
        "30 features, 3 of them real: at some α on its grid L1 selects exactly the 3; LassoCV, "
        "tuned for prediction, keeps truly-zero features too (precision below 1).",
        Config(dataset="synthetic", n_features=30, n_informative=3, noise=1.0),
        shows=("exact_recovery", "cv_keeps_extras"),
    ),
    "No noise, many true features": Preset(
        "40 rows, 10 true features of 20 and no noise at all: still no α on the grid selects "
        "exactly the 10. Nothing is hidden by noise: truly-zero features that correlate with y "
        "by chance enter before the last true one.",
        Config(dataset="synthetic", n_samples=40, n_informative=10, noise=0.0),
        shows=("no_exact_recovery",),
    ),
    # The name is kept for old links (?preset=exact-duplicates); the hint says what it is.
    "Exact duplicates?": Preset(
        "Not quite: correlation 0.999, near-duplicates. At this seed L1 keeps only one of the "
        "pair down to the end of its grid, while elastic net and Ridge keep both with similar "
        "weights. Which one L1 keeps, and for how long, follows the noise: change the seed.",
        Config(correlation=0.999),
        shows=("pair_one_throughout", "en_keeps_pair", "ridge_pair_nonzero"),
    ),
    "Small budget": Preset(
        "t = 0.5: the contours first touch the diamond at a corner, so L1's optimum has w2 "
        "exactly 0, while L2's has both weights non-zero.",
        Config(budget=0.5),
        shows=("l1_corner", "l2_optimum"),
    ),
    "Weak penalties in the network": Preset(
        "λ₁ = λ₂ = 0.001: L1 puts few weights below 1e-3, none exactly 0, and the truly-zero "
        "inputs keep a sizeable share of the first-layer weight. Compare with the default "
        "λ = 0.01.",
        Config(net_l1=0.001, net_l2=0.001),
        shows=("net_l1_sparser", "l1_keeps_zero_inputs"),
    ),
    "Strong penalties in the network": Preset(
        "λ₁ = λ₂ = 0.1: now L2 puts more weights below 1e-3 than L1 does. Small is not zero: "
        "neither gives exact zeros.",
        Config(net_l1=0.1, net_l2=0.1),
        shows=("net_l2_sparser",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Both add a penalty on the weights to the training loss, trading a little bias for less "
    "variance. **L1** adds λ Σ|wⱼ|. Its pull towards 0 has the same size however small a "
    "weight is, so at the optimum a weight is **exactly zero** whenever λ outweighs the loss's "
    "pull on it at 0 (|∂L/∂wⱼ| ≤ λ there): a sparse model that selects features. That needs a "
    "solver that handles the kink (coordinate descent or proximal steps, which soft-threshold); "
    "plain (sub)gradient steps only make the weights jitter near 0. **L2** adds λ Σwⱼ². Its "
    "pull is proportional to the weight, so it shrinks every weight smoothly: in a linear model "
    "a weight is exactly 0 only by coincidence. It spreads weight across correlated features "
    "and keeps the solution stable (XᵀX + αI is invertible for any α > 0). **Elastic net** "
    "mixes the two: sparse like L1, and with a large enough L2 share it keeps strongly "
    "correlated features together like L2.\n\n"
    "Geometrically the penalized problem is the loss minimized inside a budget: a diamond "
    "‖w‖₁ ≤ t has corners on the axes, where the loss contours tend to touch it first; a circle "
    "has none. In Bayesian terms, with a Gaussian likelihood, L2 is the MAP estimate under a "
    "Gaussian prior and L1 under a Laplace prior.\n\n"
    "**Use** L1 when you expect few relevant features or need an interpretable, cheap model; "
    "L2 when many features each carry a little signal, when features are correlated, or by "
    "default for neural networks (usually as weight decay, which is an L2 penalty in the loss only "
    "under plain SGD); elastic net for correlated groups where you "
    "still want selection. Choose α by cross-validation, on standardized features.",
    formulas=(
        r"\text{Lasso (L1):}\quad " + OBJECTIVES["l1"],
        r"\text{Ridge (L2):}\quad " + OBJECTIVES["l2"],
        r"\text{ElasticNet:}\quad " + OBJECTIVES["elasticnet"],
        r"\text{if } X^\top X = nI,\ z_j = x_j^\top y / n:\quad "
        r"w_j^{\text{Lasso}} = \operatorname{sign}(z_j)\max(|z_j| - \alpha, 0),\qquad "
        r"w_j^{\text{Ridge}} = \frac{n}{n + \alpha}\, z_j",
        r"w = 0 \text{ is the Lasso's solution} \iff \alpha \ge \alpha_{\max} = "
        r"\max_j \tfrac{1}{n}\,\lvert x_j^\top y\rvert \quad(\text{centred } X, y)",
        r"\min_w \tfrac{1}{2n}\lVert y - Xw\rVert_2^2 \ \text{ s.t. } \lVert w\rVert_1 \le t"
        r"\quad\Longleftrightarrow\quad \text{Lasso with some } \alpha(t) \ge 0",
    ),
    pitfalls=(
        "Penalizing unscaled features: the penalty treats every coefficient alike, so a feature "
        "with a small numeric range needs a large weight and is punished more (and a large-range "
        "one less). Standardize first.",
        "Penalizing the intercept: scikit-learn's Lasso, Ridge and ElasticNet do not (its "
        "LogisticRegression with solver='liblinear' does, through intercept_scaling). Leave it "
        "unpenalized unless you mean otherwise.",
        "Comparing α across estimators: Ridge's loss has no 1/(2n), so Ridge(α) fits the same "
        "model as ElasticNet(α/n, l1_ratio=0); with l1_ratio > 0 no Ridge α gives the elastic "
        "net's fit in general (with a single feature one does, until the elastic net's weight reaches 0).",
        "Trusting which of two correlated features the Lasso kept: the choice follows the noise "
        "(change the seed). L2, and elastic net with a large enough L2 share, keep both.",
        "Expecting exact zeros from L1 trained by (sub)gradient descent: the weights jitter "
        "around 0; exact zeros need proximal steps (soft-thresholding), as coordinate descent "
        "does.",
        "Assuming L2 and weight decay are the same everywhere: for plain SGD (no momentum) "
        "adding λ‖w‖² to the loss multiplies each weight by 1 − 2ηλ per step, which is weight "
        "decay; with momentum, and with adaptive optimizers such as Adam, the two differ (hence "
        "the decoupled decay of SGDW and AdamW).",
        "Reading LassoCV's choice as the true support: tuned for prediction, it tends to keep "
        "extra features; for selection use a larger α or stability selection.",
        "Blaming noise when the Lasso picks the wrong support: truly-zero features correlated "
        "with the true ones can enter first even without noise (the irrepresentable condition "
        "fails).",
    ),
    points=(
        KeyPoint(
            "L1 and L2 both add a penalty on the weights to the training loss, trading a little bias for less variance.",
            None,
        ),
        KeyPoint(
            "At the optimum, L1 (λ Σ|wⱼ|) sets a weight exactly to 0 whenever |∂L/∂wⱼ| ≤ λ at 0: a sparse model that selects features.",
            "Sparse truth, many features",
        ),
        KeyPoint(
            "L1's exact zeros need a solver that handles the kink (coordinate descent, proximal steps); plain (sub)gradient steps make weights jitter near 0.",
            "Weak penalties in the network",
        ),
        KeyPoint(
            "L2 (λ Σwⱼ²) shrinks every weight smoothly: in a linear model a weight is exactly 0 only by coincidence.",
            "Small budget",
        ),
        KeyPoint(
            "L2 spreads weight across correlated features and keeps the solution stable (XᵀX + αI is invertible for any α > 0).",
            "Exact duplicates?",
        ),
        KeyPoint(
            "Elastic net mixes the two: sparse like L1, and with a large enough L2 share it keeps strongly correlated features together.",
            "Exact duplicates?",
        ),
        KeyPoint(
            "Geometrically, L1's budget ‖w‖₁ ≤ t is a diamond with corners on the axes, where the loss contours tend to touch it first; L2's circle has none.",
            "Small budget",
        ),
        KeyPoint(
            "With a Gaussian likelihood, L2 is the MAP estimate under a Gaussian prior and L1 under a Laplace prior.",
            None,
        ),
        KeyPoint(
            "Use L1 for few relevant features, L2 for many small effects, correlated features or in networks (weight decay: L2 only under plain SGD), elastic net for correlated groups with selection.",
            None,
        ),
        KeyPoint(
            "Choose α by cross-validation, on standardized features.",
            None,
        ),
    ),
)
