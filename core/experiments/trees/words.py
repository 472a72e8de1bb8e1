"""The trees lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core import ensembles as ens
from core.experiments.trees.experiment import (
    BV_TEST_POINTS,
    VALIDATION_FRACTION,
    Config,
    bv_forest_trees,
)
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Each model is fitted at eight depths (boosting's rounds chosen by early stopping at each). "
    "Picking each model's depth by the **one-standard-error rule** (the shallowest depth whose "
    "test error is within one standard error of its lowest), which one uses the deeper trees?",
    ("random forest", "gradient boosting", "the same depth"),
)

PRESETS = {
    "Shallow trees, small steps": Preset(
        "η = 0.05: early stopping lets every depth run until the held-out log loss stops "
        "improving. The heat map's dots show the rounds each depth keeps: stumps need the most.",
        Config(learning_rate=0.05, shallow_depth=1, deep_depth=12),
        shows=("shallow_more_rounds",),
    ),
    "Deep trees, big steps": Preset(
        "η = 0.5: grown-out boosting keeps at most ten rounds, and its test log loss rises in "
        "the rounds after them: deep trees with big steps fit noise fast.",
        Config(learning_rate=0.5, n_estimators=50, shallow_depth=2, deep_depth=ens.UNLIMITED),
        shows=("deep_overfits_after_best", "forest_deeper"),
    ),
    "Noisy spiral": Preset(
        "A hard boundary with overlapping classes. The forest's test error at every depth from "
        "1 to 12 is within one standard error of its lowest (grown out, more than one above it), so "
        "the one-standard-error rule picks its shallowest depth, while boosting's "
        "stumps stay more than a standard error worse than its best depth: this data reverses "
        "the usual pattern (read the error bars).",
        Config(dataset="spiral", noise=0.5, n_samples=1000),
        shows=("boosting_deeper",),
    ),
    "Breast cancer (30 features)": Preset(
        "A real tabular set (no boundary plots). With 171 test points and test errors near "
        "0.05, one standard error is about 0.016, under three test points: depths that close "
        "are ties, and the error bars show which.",
        Config(dataset="breast_cancer"),
        shows=("no_boundaries", "best_depths"),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Both combine trees, but they attack different halves of the error. **Gradient boosting** "
    "fits trees one after another: each new tree is fitted to the negative gradient of the "
    "loss at the current ensemble (the residuals, for squared error); LightGBM and XGBoost use "
    "the second derivative too, so each leaf takes a Newton step −Σg/(Σh + λ) (g and h the "
    "loss's first and second derivatives at each of the leaf's rows; with k > 2 classes, as "
    "in an uploaded file, each class's h is scaled: by k/(k − 1) in LightGBM, by 2 in "
    "XGBoost). The tree is "
    "added scaled by a learning rate η. The sum of many small trees lowers **bias** a little "
    "at a time, and small trees with small steps keep the **variance** low; the number of "
    "rounds is tuned too, usually by early stopping on a validation split. With a large η, "
    "deep trees fit the noise within a few rounds.\n\n"
    "A **random forest** grows deep trees independently, each on a bootstrap sample with a "
    "random subset of features at every split, and averages them. Averaging T randomized trees "
    "keeps the bias of one randomized tree and divides the uncorrelated part of their variance "
    "by T, so each tree should have low bias: grow the trees deep, unless the labels are so "
    "noisy that a moderate depth does as well (the error bars on this page show when). Shallow "
    "trees in a forest stay biased however many you average.\n\n"
    "So: boosting reduces bias with many shallow learners in sequence; forests reduce variance "
    "with many deep learners in parallel. Which depth is best on a given data set is an "
    "estimate: compare depths with their standard errors, and prefer the simplest within one.",
    formulas=(
        r"F_m(x) = F_{m-1}(x) + \eta\, f_m(x)\ \ (f_m:\ \text{the tree of round } m),\qquad "
        r"g_i = \frac{\partial L(y_i, F)}"
        r"{\partial F}\Big|_{F_{m-1}(x_i)},\quad h_i = \frac{\partial^2 L}{\partial F^2}"
        r"\Big|_{F_{m-1}(x_i)}\ \ (\text{LightGBM, } k > 2 \text{ classes: } \tfrac{k}{k-1}\,"
        r"\text{times it}),\quad w_{\text{leaf}} = -\frac{\sum_{i \in \text{leaf}} g_i}"
        r"{\sum_{i \in \text{leaf}} h_i + \lambda}",
        r"\hat f_{\text{forest}}(x) = \frac{1}{T}\sum_{t=1}^{T} f_t(x)\ \ (f_t:\ \text{tree } t),"
        r"\qquad "
        r"\operatorname{Var}\big[\hat f_{\text{forest}}(x)\big] = \rho\, v + \frac{1-\rho}{T}\, v"
        r"\quad (v:\ \text{one tree's variance},\ \rho:\ \text{correlation between two trees})",
        r"\mathbb{E}\big[(y - \hat f(x))^2\big] = \big(\mathbb{E}[\hat f(x)] - f(x)\big)^2"
        r" + \operatorname{Var}\big[\hat f(x)\big] + \sigma_\varepsilon^2"
        r"\quad (y = f(x) + \varepsilon,\ \operatorname{Var}[\varepsilon] = \sigma_\varepsilon^2)",
    ),
    pitfalls=(
        "“LightGBM's max_depth controls tree size”: it grows leaf-wise up to num_leaves (31 by "
        "default). With num_leaves < 2^depth the leaf count binds and max_depth barely does; "
        "with the default 31 leaves, any max_depth ≥ 5 allows all 31 leaves and limits only the "
        "tree's shape (and from 30 on, not even that). To use depth as the "
        "capacity knob, set num_leaves ≥ 2^depth (this page sets num_leaves = min(2^depth, "
        "1024)).",
        "“More trees make a forest overfit”: they don't; in expectation the test error levels "
        "off (the (1 − ρ)v/T term vanishes). More boosting rounds can overfit: choose them by "
        "early stopping, together with η.",
        "“A forest of many trees has no variance left”: its variance falls to ρv, not zero; "
        "random feature subsets (max_features) lower the correlation ρ between trees. With "
        "max_features = 1.0 (scikit-learn's regression default) a “random forest” is plain "
        "bagging; this page's regression forests use 3 of the 10 features per split (a third, "
        "rounded down, as R's randomForest does).",
        "“Boosting for classification fits class residuals”: it fits the negative gradient of "
        "the log loss with respect to the logit, which is y − p (a probability residual), and "
        "LightGBM divides each leaf's sum of them by the curvature Σp(1 − p) + λ (a Newton "
        "step). With k > 2 classes (an uploaded file) it grows one tree per class on the "
        "softmax's y_c − p_c and scales that curvature by k/(k − 1): Σ k/(k − 1) p_c(1 − p_c) + λ.",
        "Comparing depths at one fixed number of boosting rounds under-trains shallow trees: "
        "stumps usually need many more rounds than deep trees. Choose the rounds per depth.",
        "Picking the depth with the lowest test error reads noise as signal when the gaps are "
        "within a standard error: use the one-standard-error rule.",
    ),
    points=(
        KeyPoint(
            "Boosting fits trees one after another, each to the negative gradient of the loss at the current ensemble, added scaled by η.",
            None,
        ),
        KeyPoint(
            "Many small trees lower the bias a little at a time; shallower trees tend to need more rounds, chosen by early stopping.",
            "Shallow trees, small steps",
        ),
        KeyPoint(
            "With a large η, deep boosted trees fit the noise within a few rounds.",
            "Deep trees, big steps",
        ),
        KeyPoint(
            "A random forest averages deep trees grown on bootstrap samples with random features: averaging cuts variance, not bias, so its trees should be deep.",
            "Deep trees, big steps",
        ),
        KeyPoint(
            "The best depth is an estimate: compare depths with their standard errors (one-standard-error rule); some data reverse the usual pattern.",
            "Noisy spiral",
        ),
    ),
)

# The rounds heat map's caption: its cells are measured at the staged checkpoints, not after every
# round (at the defaults depth 1 grows 239 rounds and its row has 52 cells: the cell from round
# 191 to 198 shows the measure after round 198; audit pass 40).
ROUNDS_CAPTION = (
    "Each row: boosting at one depth, up to the last round grown, colored by the test measure "
    f"after at most {ens.STAGED_CHECKPOINTS} of its rounds (spaced evenly on a log and on a "
    "linear scale, so a long row skips rounds) and after the round it keeps: each cell spans the "
    "rounds since the one measured before it and shows the measure after its last round. Dots: "
    "the rounds early stopping kept."
)


def staged_caption(n_classes: int, *, log_loss: bool, cross_check: bool = False) -> str:
    """The caption under the staged curves. LightGBM grows one tree per class each round when
    there are more than two classes (an uploaded file: 3 classes keep 3 trees a round), so
    "adds one tree per round" holds for two classes only (audit pass 40). With ``cross_check``
    the chart also draws HistGradientBoosting, run for exactly the rounds LightGBM keeps: its
    curves end there, not "a patience past" (audit pass 47 g noticed the caption left them out).
    Averaging removes only the uncorrelated part of the trees' variance, (1 − ρ)v/T: "averaging
    more of them removes variance" said all of it, which the page's own pitfall ("its variance
    falls to ρv, not zero") marks wrong (audit pass 57 g)."""
    trees = (
        "one tree per round"
        if n_classes <= 2
        else f"one tree per class each round ({n_classes} trees a round here; its curve counts "
        "rounds)"
    )
    text = (
        f"Boosting adds {trees}, a step of size η fitted to the negative gradient of the loss "
        "(and, in LightGBM, scaled by its curvature); its curve runs to the last round grown: a "
        "patience past the round it keeps, or fewer where training ended first (the cap of "
        "rounds, or no leaf left to split). Every forest tree is a whole model of its depth: "
        "averaging more of them shrinks only the part of their variance the trees do not share "
        "(the correlated part, ρv, remains) and keeps one randomized tree's bias, so in "
        "expectation the forest's test curve levels off (one test set adds sampling noise)."
    )
    if cross_check:
        text += (
            " HistGradientBoosting is run for the rounds LightGBM keeps at each depth, so its "
            "curves end at those rounds."
        )
    if log_loss:
        text += (
            " Log loss: probabilities are clipped to at least 1e-15 (as scikit-learn's log_loss "
            "did), so a test point whose class gets probability 0, as a deep tree or a forest "
            "of them can give, adds 34.5/n to the mean instead of making it infinite."
        )
    return text


def boundary_caption(
    n_shown: int, n_train: int, stump_rounds: int | None = None, n_classes: int = 2
) -> str:
    """The caption under the decision boundaries. The panels draw at most MAX_POINTS_SHOWN (200)
    training points, drawn at random: a 2-D set of up to 285 points (or an uploaded 2-D file
    with up to 200 training rows) has them all drawn, which "a sample of the training points"
    did not say (n_samples=200: all 140 drawn; audit pass 44). ``stump_rounds``: the rounds
    boosting kept at depth 1; where it kept one, its depth-1 panel adds up no steps ("boosting
    fits each step to what the earlier ones got wrong" beside one stump at circles, noise 1,
    400 points, η = 0.01; audit pass 59 g)."""
    dots = (
        f"all {n_train} training points"
        if n_shown >= n_train
        else f"{n_shown} of the {n_train} training points, drawn at random"
    )
    if stump_rounds == 1:
        one = "one stump" if n_classes <= 2 else "one stump per class"
        depth_one = (
            "A depth-1 tree splits on one feature: at depth 1 the forest averages axis-aligned "
            "steps fitted independently, while boosting kept only its first round here, so its "
            f"depth-1 panel is {one} added to its constant start, with no later step fitted to "
            "what it got wrong."
        )
    else:
        depth_one = (
            "A depth-1 tree splits on one feature, so at depth 1 both models add up axis-aligned "
            "steps: boosting fits each step to what the earlier ones got wrong, the forest "
            "averages steps fitted independently."
        )
    return (
        f"Color: the predicted probability of class 1; dots: {dots}. {depth_one} Deeper trees "
        "combine features."
    )


def decomposition_caption(noise: float) -> str:
    """The caption under the bias-variance bars. With σ_ε = 0 (``noise``) the test labels are f
    itself: "fresh noisy labels" and "fresh noise adds σ_ε²" were false there (audit pass 46 b
    found the same on bias-variance)."""
    diamonds = (
        "Diamonds: the mean squared error against fresh test labels, which at σ_ε = 0 carry no "
        "noise (they are f itself)."
        if noise == 0
        else "Diamonds: the mean squared error against fresh noisy labels; they test only that "
        "fresh noise adds σ_ε² on average."
    )
    return (
        "Bars: bias² (the mean over the test points of (P̄ − f)² − s²/R, as estimated above: it "
        "can come out below 0) and variance (the spread over the training sets), both estimated, "
        "plus the known noise σ_ε². bias² + variance equals the mean squared distance of the "
        "predictions from f by construction, so the bars cannot disagree with the runs. "
        f"{diamonds} Whiskers: the expected test MSE of each training set's model, lowest to "
        "highest."
    )


# How bias² is estimated (core.decomposition): the squared distance of the mean prediction from f
# is biased up by the variance over R sets, so s²/R is taken off it. Unbiased, and noisy: with few
# sets and a large variance it comes out below 0 (boosting at depth 6: -0.876 at η = 1, 25 trees,
# σ_ε = 3, 3 sets of 100, seed 8), which "bias² (the mean prediction against the true f)" did not
# allow for beside a "Squared bias" chart printing it (audit pass 49).
BIAS_ESTIMATE = (
    "bias² is estimated as the mean over the test points of (P̄ − f)² − s²/R, with P̄ the mean "
    "prediction over the R training sets and s² their sample variance (divided by R − 1): "
    "(P̄ − f)² alone is inflated by the variance of P̄, so that share, s²/R, is taken off. "
    "Unbiased but noisy, the estimate can come out below 0 where the true bias² is small next to "
    "the variance."
)


def bias_variance_caption(config: Config) -> str:
    """The caption under the bias² and variance lines: the regression problem, the models and how
    bias² is estimated (:data:`BIAS_ESTIMATE`, since the lines can show it below 0). Boosting
    holds out a quarter of each training set rounded up, counted from the split itself: "a
    quarter of each training set" was 38 of 150 (audit pass 59 g; error_caption's pass 58 f)."""
    n = config.bv_train_size
    held = ens.validation_count(n, VALIDATION_FRACTION)
    return (
        "Regression on Friedman #1, y = 10 sin(πx₁x₂) + 20(x₃ − ½)² + 10x₄ + 5x₅ + ε, "
        f"Var[ε] = σ_ε², with {config.bv_train_sets} training sets of {config.bv_train_size} "
        f"points and {BV_TEST_POINTS} fixed test points. Forests here have "
        f"{bv_forest_trees(config)} trees and consider 3 of the 10 features (a third, rounded "
        f"down) at each split; boosting fits {n - held} of each training set's {n} points and "
        f"stops early on the other {held} (a quarter{' rounded up' * (held * 4 != n)}). Trees and "
        "forests are grown once per training set and cut at each depth, which gives the trees "
        "refitting would (up to the random order of equally good splits; for forests, the same "
        f"distribution of trees). {BIAS_ESTIMATE}"
    )


def error_caption(info: dict) -> str:
    """The caption under the error-against-depth chart. Boosting fits the training rows early
    stopping does not hold out: scikit-learn's split holds out a quarter of them rounded up, so
    "three quarters of the training rows" was not the count (breast cancer: 298 of 398, 74.9 %;
    audit pass 58 f). The counts come from the run."""
    return (
        "Solid: test error, with ± one standard error bars; dashed: training error, on the rows "
        f"each model was fitted on. Boosting fits {info['n_fit']} of the {info['n_train']} "
        f"training rows (the other {info['n_validation']}, a quarter"
        f"{' rounded up' * (4 * info['n_validation'] != info['n_train'])}, are held out), "
        "stops early on those it holds out and keeps its best round there (scikit-learn's early "
        "stopping also holds out part of the training rows, a tenth by default, but keeps the "
        "rounds it grew past its best one); the forest fits every training row. Diamonds: each "
        "model's one-standard-error choice, the shallowest depth whose test error is within one "
        "standard error of its lowest."
    )
