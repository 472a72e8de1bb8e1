"""The bias-variance lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.bias_variance.experiment import TEST_POINTS, Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "The model grows more flexible: polynomial degree 1 and up, or an MLP from 1 hidden unit "
    "to 64. What does its **validation** error, on fresh points from the same distribution, "
    "do?",
    ("keeps falling", "falls, then rises", "only rises", "rises, then falls", "barely changes"),
)

PRESETS = {
    "Underfitting": Preset(
        "Degrees 1 to 3 only, for sin(1.5πx): the learning curves of degree 1 and degree 3 "
        "end with training and validation errors close together, well above the noise floor. "
        "Once they meet, more data stops helping: it cannot remove the bias of a model that "
        "can't bend enough.",
        Config(max_degree=3),
        shows=("high_bias", "no_overfit_detected"),
    ),
    "Overfitting": Preset(
        "15 points and degrees up to 15: the validation error falls, then rises, while the "
        "training error sinks below the noise σ². The most complex model's learning curve has a "
        "wide gap at small n that closes as the sets grow.",
        Config(n_train=15, max_degree=15),
        shows=("val_falls_then_rises", "overfits_beyond", "train_below_noise", "high_variance"),
    ),
    "Leakage": Preset(
        "40 rows, 5,000 noise features, 20 selected: choosing features on all rows before "
        "cross-validating scores far above chance; the same selection inside a Pipeline scores "
        "within two standard errors of chance, as honest CV on pure noise usually does.",
        Config(leak_features=5000, leak_n=40, leak_k=20),
        shows=("leak_far_above_chance", "honest_at_chance"),
    ),
    "Small data, one-SE rule": Preset(
        "25 noisy points (σ = 0.5): the lowest CV mean is at degree 10, but degree 5 is within "
        "one standard error and the rule takes it; refitted, degree 5 is also closer to the "
        "truth. Plain CV's best score is below the nested estimate, by less than one "
        "standard error of it (too little for one run to show that the minimum of noisy means "
        "is optimistic, which it is on average), and both are below the tuned model's true "
        "error.",
        Config(n_train=25, noise=0.5, max_degree=10),
        shows=("one_se_simpler", "one_se_better_on_reference", "plain_below_nested"),
    ),
    "No noise: the decomposition is exact": Preset(
        "σ = 0: the labels are f itself, so the validation MSE is bias² + variance exactly, and "
        "any error left is the model's, not the data's.",
        Config(noise=0.0),
        shows=("decomposition_exact",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "**Detecting overfitting.** Compare the training error with the error on data the model "
    "never saw (a validation split, or cross-validation). Overfitting shows as a validation "
    "error that rises while the training error keeps falling, so a large and growing gap "
    "between them. **Learning curves** (both errors against the training-set size) tell the two "
    "failures apart: with **high bias** both errors meet early, high above the error you need, "
    "and from there more data does not help (use a more flexible model or better features); with **high "
    "variance** the validation error sits well above the training error and the gap closes as "
    "data grows (get more data, regularize, or use a simpler model).\n\n"
    "The expected squared error of a learning procedure at a point splits into **bias²** (how "
    "far its average prediction over training sets is from the truth), **variance** (how much "
    "its prediction moves from one training set to another) and the **noise** σ² no model can "
    "remove. More flexibility usually lowers the first and raises the second; the validation "
    "error's U is their sum, common but not a law.\n\n"
    "**Choosing a model without fooling yourself.** Use k-fold cross-validation: each fold is "
    "held out once, and the k scores give a mean and a standard error (their SD / √k, a rough "
    "figure because the folds share training data). Prefer the simplest model whose mean is "
    "within one standard error of the best (the **one-standard-error rule**): differences "
    "smaller than that can't be told from noise. The best of many cross-validated scores is "
    "optimistic on average, since the minimum favours a lucky one: to report the performance of a tuned model, use **nested** CV "
    "(the tuning runs inside each outer training part) or a test set touched once at the end. "
    "Every step fitted to data (scaling, imputation, feature selection, resampling) belongs "
    "inside the cross-validation loop (a scikit-learn `Pipeline`; resampling, which changes "
    "the rows, needs imbalanced-learn's `Pipeline` or each training fold resampled by hand): "
    "fitted on all rows first, "
    "it **leaks** the held-out rows into training (their labels too, for a step that reads "
    "them, such as feature selection), and on pure noise with many features the "
    "leaky score can sit far above chance.",
    formulas=(
        # a term or two a line, aligned: on one line the decomposition was about 64 em, the CV
        # pair 21 and the one-SE rule 29 (tests.app.latex_width), where the model answer's box on
        # a 390 px phone holds about 16.5 (audit pass 70 f)
        r"\begin{aligned}&\mathbb{E}\big[(y - \hat f(x))^2\big]\\ &= \underbrace{\big("
        r"\mathbb{E}[\hat f(x)] - f(x)\big)^2}_{\text{bias}^2}\\ &\quad + \underbrace{"
        r"\operatorname{Var}\big[\hat f(x)\big]}_{\text{variance}} + \underbrace{\sigma^2}_"
        r"{\text{noise}}\end{aligned}",
        r"y = f(x) + \varepsilon,\quad \operatorname{Var}[\varepsilon] = \sigma^2",
        r"\mathbb{E}\text{ over training sets and }\varepsilon",
        r"\begin{aligned}\mathrm{CV} &= \frac{1}{k}\sum_{i=1}^{k} \mathrm{MSE}_i\\ \mathrm{SE} "
        r"&\approx \frac{\mathrm{SD}(\mathrm{MSE}_1, \dots, \mathrm{MSE}_k)}{\sqrt{k}}"
        r"\end{aligned}",
        r"\begin{aligned}&\text{one-SE rule: the simplest } m\\ &\text{with } \mathrm{CV}_m \le "
        r"\mathrm{CV}_{\text{best}} + \mathrm{SE}_{\text{best}}\end{aligned}",
    ),
    pitfalls=(
        "“The SE of a k-fold mean is SD / √k”: that treats the k fold scores as independent. "
        "They are not (every two training parts share k − 2 of their k − 1 folds), and no unbiased estimate of "
        "the variance of k-fold CV exists (Bengio and Grandvalet, 2004): read it as a rough "
        "guide. Standard deviation (the spread of the fold scores) and standard error (the "
        "uncertainty of their mean) are different numbers.",
        "Reporting the best cross-validated score of a tuned model as its performance: that "
        "score was chosen for being low. Nested CV, or a test set used once, estimates what "
        "tuning delivers.",
        "Scaling, imputing or selecting features on all rows before splitting: the held-out "
        "rows then shaped the training. Fit every such step inside the folds (a Pipeline). "
        "Selection on many noisy features leaks the most.",
        "“More data fixes underfitting”: a model with high bias stays biased however many rows "
        "it sees; more data shrinks variance.",
        "“A falling training error means a better model”: the training error tends to keep "
        "falling with flexibility; only held-out data shows when it starts to fit noise (a training "
        "error below σ² is a sign).",
        "Bias and variance belong to a learning procedure at a training-set size (averaged over "
        "training sets), not to one fitted model; this page estimates them from a few sets, so "
        "the bias² estimate is noisy, most of all where the variance is large.",
    ),
    points=(
        KeyPoint(
            "Overfitting shows on held-out data: the validation error rises while the training "
            "error keeps falling, a growing gap between them.",
            "Overfitting",
        ),
        KeyPoint(
            "High bias: training and validation errors meet early, both high; once they meet, more "
            "data does not help, a more flexible model or better features can.",
            "Underfitting",
        ),
        KeyPoint(
            "High variance: the validation error sits well above the training error and the gap "
            "closes as data grows; get more data, regularize or simplify.",
            "Overfitting",
        ),
        KeyPoint(
            "Expected squared error = bias² + variance + noise σ²; with no noise, bias² + variance "
            "is the whole error.",
            "No noise: the decomposition is exact",
        ),
        KeyPoint(
            "More flexibility usually lowers bias² and raises variance; the validation U is "
            "their sum, common but not a law.",
            None,
        ),
        KeyPoint(
            "k-fold CV holds each fold out once; the k scores give a mean and a rough standard "
            "error, SD / √k (the folds share training rows).",
            None,
        ),
        KeyPoint(
            "One-SE rule: take the simplest model whose CV mean is within one standard error of "
            "the best.",
            "Small data, one-SE rule",
        ),
        KeyPoint(
            "The best CV score of a tuned model is optimistic on average; report nested CV or a "
            "test set used once.",
            "Small data, one-SE rule",
        ),
        KeyPoint(
            "Fit every step learned from data (scaling, imputation, feature selection) inside "
            "the folds, in a Pipeline; fitted on all rows it leaks the held-out rows into training.",
            "Leakage",
        ),
    ),
)


def sweep_caption(config: Config) -> str:
    """The caption under the error-against-complexity chart. The dotted noise line is drawn only
    where σ² > 0: a log axis has no place for 0 (audit pass 44: at σ = 0, preset "No noise", the
    caption still named a dotted line the chart did not draw)."""
    noise = (
        "The dotted line is the noise variance σ²."
        if config.noise > 0
        else "With σ = 0 the noise variance is 0, which a log axis cannot show: no noise line."
    )
    return (
        f"Each point is a mean over the {config.n_sets} training sets of {config.n_train} points; "
        "bars: ± one standard error (SD over the sets / √R). Training MSE (dashed) on each set's "
        f"own points; validation MSE (solid) on {TEST_POINTS} fresh points from the same "
        f"distribution, {validation_labels(config)}. {noise}"
    )


def validation_labels(config: Config) -> str:
    """What the validation MSE is measured against: fresh noisy labels, or at σ = 0 f itself
    (audit pass 46: at σ = 0, preset "No noise", the captions and the decomposition chart's
    legend said "with fresh noise" and "against fresh noisy labels" beside "With σ = 0 the
    labels carry no noise")."""
    if config.noise > 0:
        return "with fresh noise"
    return "whose labels are f itself (σ = 0: no noise)"


def decomposition_caption(config: Config) -> str:
    """The caption under the bias² / variance / noise chart."""
    diamonds = (
        "Diamonds: the validation MSE, against fresh noisy labels."
        if config.noise > 0
        else "Diamonds: the validation MSE, against labels that are f itself (σ = 0: no noise)."
    )
    return (
        f"At each of the {TEST_POINTS} test points, over the {config.n_sets} fits, then averaged "
        "over the points: bias² is the squared distance of the mean prediction from f (minus the "
        "variance / R it still holds), variance the spread of the predictions around their mean; "
        "σ² is known. Their sum equals the mean squared distance of the predictions from f plus "
        f"σ² by construction. {diamonds} A bias² estimate at or below 0 (possible where the true "
        "bias² is near 0) has no place on the log axis and is left out."
    )
