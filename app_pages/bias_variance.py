"""Lesson: detecting overfitting, and choosing a model without fooling yourself."""

import pandas as pd
import streamlit as st

from core.experiments import bias_variance as experiment
from core.experiments.bias_variance.claims import best_texts, curve_texts, sweep_texts
from ui import controls, lesson
from ui.charts import bias_variance as bc
from ui.controls import Choice, Group, Seed, Slider, Upload
from ui.runner import run_experiment

MODEL_LABELS = {"polynomial": "polynomial (ridge)", "mlp": "MLP (one tanh layer)"}


# the MLP's caps on the settings that multiply its fits (sets, folds, largest curve size)
MLP_SETS, MLP_FOLDS, MLP_CURVE = 4, 3, 100


def lighter_for_mlp(values: dict) -> dict:
    """Picking the MLP (hundreds of slower fits) caps the settings that multiply its fits."""
    if values["model"] != "mlp":
        return {}
    return {
        "n_sets": min(values["n_sets"], MLP_SETS),
        "folds": MLP_FOLDS,
        "lc_max_size": min(values["lc_max_size"], MLP_CURVE),
    }


panel = controls.Panel(
    experiment.Config,
    Group(
        "Data",
        Choice(
            "truth",
            "True function f",
            "x is uniform on [−1, 1] and y = f(x) + noise. The cubic is a polynomial of degree 3; "
            "the others are not polynomials.",
            key="f",
            labels=experiment.TRUTH_FORMULAS,
        ),
        Slider(
            "noise",
            "Noise σ",
            "Standard deviation of the Gaussian noise on y: σ² is the error no model can remove.",
            key="sigma",
        ),
        Slider(
            "n_train",
            "Points per training set n",
            "Size of every training set of the complexity sweep; the cross-validation uses the "
            "first of them (with uploaded data, your data's training split instead).",
            key="n",
        ),
        Seed("seed", "Seed", "Seeds the training sets, the folds and the noise features."),
        Upload("regression", validate=experiment.check_data),
    ),
    Group(
        "Models",
        Choice(
            "model",
            "Model family",
            "Polynomial regression (PolynomialFeatures, StandardScaler, Ridge with α = 0.001) "
            "of growing degree, or an MLP with one tanh hidden layer of growing width (500 "
            # "lowers the sets, folds and curve sizes" was false where they already sat at or
            # under the caps (?sets=2&k=3&lcn=50; audit pass 61 a)
            "full-batch Adam epochs). Picking the MLP, which fits much more slowly, sets the "
            f"folds to {MLP_FOLDS} and caps the training sets at {MLP_SETS} and the largest "
            f"learning-curve size at {MLP_CURVE}.",
            key="model",
            labels=MODEL_LABELS,
            widget="radio",
            sets=lighter_for_mlp,
        ),
        Slider(
            "max_degree",
            "Highest degree",
            "Degrees 1 up to this one are fitted and compared.",
            key="deg",
            when=lambda values: values.get("model") == "polynomial",
        ),
    ),
    Group(
        "Bias-variance and learning curves",
        Slider(
            "n_sets",
            "Training sets R",
            "Independent training sets drawn from the same distribution; every model is fitted "
            "on each. More sets give steadier estimates of bias², variance and the errors' "
            "standard errors, and longer runs.",
            key="sets",
        ),
        Slider(
            "lc_max_size",
            "Largest learning-curve size",
            "The learning curves refit the simplest model, the one with the lowest validation "
            "MSE and the most complex (two when the lowest is at an end) on 6 sizes from 10 "
            "points up to this.",
            key="lcn",
        ),
    ),
    Group(
        "Cross-validation",
        Slider(
            "folds",
            "Folds k",
            "k-fold cross-validation; the nested search uses k outer and k inner folds. The "
            "leakage part uses the same k (stratified).",
            key="k",
        ),
    ),
    Group(
        "Leakage (pure noise)",
        Slider("leak_n", "Rows", "Rows of the pure-noise classification set.", key="ln"),
        Choice(
            "leak_features",
            "Noise features p",
            "Standard normal features, none related to the random labels.",
            key="p",
            widget="slider",
        ),
        Slider(
            "leak_k",
            "Features selected",
            "SelectKBest keeps the features with the largest ANOVA F statistic against the labels.",
            key="kbest",
        ),
    ),
    presets=experiment.PRESETS,
)


lesson.header()
config = panel.draw()
panel.show_data(
    config,
    lambda config, data: (None, experiment.prepare_data(config, data)[-1]),
    replaces="training set 1 in the cross-validation part (plain and nested CV, the one-SE "
    "rule); the complexity sweep, the decomposition and the learning curves keep the synthetic "
    "data, which they need the true f for, and the leakage part keeps its pure noise",
)
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment(
    "bias_variance",
    config,
    data=panel.data,
    spinner="Fitting every model on every training set, then cross-validating…",
)
facts = experiment.facts(config, result)
info = result.info
level_name = info["level_name"]
lesson.warnings(facts)

# ---- error against complexity -------------------------------------------------------------------
st.header("Training and validation error against complexity")
lesson.chart(
    lesson.Cached(
        bc.error_vs_complexity,
        result.sweep,
        level_name=level_name,
        sigma2=info["sigma2"],
        texts=sweep_texts(config, result),
    )
)
st.caption(experiment.sweep_caption(config))
lesson.captions(facts, "sweep")
lesson.reveal_answer(choice, facts)

levels = list(info["curve_levels"])  # the simplest, the lowest validation MSE, the most complex
roles = ("simplest", "lowest validation MSE", "most complex")
for column, level in zip(st.columns(len(levels), gap="medium"), levels, strict=True):
    role = bc.role_of(level, levels)
    with column:
        lesson.chart(
            lesson.Cached(
                bc.fitted_curves,
                result.fits,
                result.truth_curve,
                result.points,
                level=level,
                role=role,
                title=f"{experiment.level_label(config.model, level).capitalize()} ({roles[role]})",
            )
        )
st.caption(
    f"Thin lines: the fits on the first {min(experiment.FITS_SHOWN, config.n_sets)} training "
    "sets; dashed black: the true f = "
    f"{info['truth']}; dots: training set 1. Where the fits disagree with one another is "
    "variance; where their average misses f is bias. Fits that leave the plot are cut off."
)

# ---- decomposition ------------------------------------------------------------------------------
st.header("Bias², variance and noise")
lesson.chart(
    lesson.Cached(
        bc.decomposition,
        result.sweep,
        level_name=level_name,
        val_digits=sweep_texts(config, result)["digits"],
    )
)
st.caption(experiment.decomposition_caption(config))
lesson.captions(facts, "decomposition")

# ---- learning curves ----------------------------------------------------------------------------
st.header("Learning curves: high bias or high variance?")
names = {level: experiment.level_label(config.model, level) for level in info["curve_levels"]}
lesson.chart(
    lesson.Cached(
        bc.learning_curves,
        result.curves,
        sigma2=info["sigma2"],
        labels=names,
        points=curve_texts(config, result)["points"],
    )
)
st.caption(
    "Training (dashed) and validation (solid) MSE against the training-set size for the "
    "simplest model, the one with the lowest validation MSE above and the most complex, each "
    f"a mean over {config.n_sets} sets (each set grows by adding points); bars on the validation curves: "
    "± one standard error. High bias: both errors meet early, above the noise floor. High variance: a gap that "
    "closes as n grows."
)
lesson.captions(facts, "curves")

# ---- cross-validation ---------------------------------------------------------------------------
st.header("k-fold cross-validation and the one-standard-error rule")
rule = experiment.one_se_choice(result.cv)
# plain CV's best mean as cv_one_se and nested_vs_plain print it (one text on the page)
shown, texts = best_texts(result)
lesson.chart(
    lesson.Cached(
        bc.cv_scores,
        result.cv_folds,
        result.cv,
        rule,
        level_name=level_name,
        k=config.folds,
        shown=shown,
    )
)
st.caption(
    "Each model is fitted k times, each time on all folds but one, and scored on the held-out "
    f"fold. Standard error = SD of the fold scores / √k: an approximation, since any two "
    f"training parts share {config.folds - 2} of their {config.folds - 1} folds and the fold "
    "scores are correlated. The one-SE rule takes the "
    "simplest model whose mean is at or below the dashed line (the best mean plus its standard error)."
)
lesson.captions(facts, "cv")

st.subheader("Tuning: plain against nested cross-validation")
nested = facts[[f.claim for f in facts].index("nested_vs_plain")].values
# the chart's tooltips print plain and nested CV as the sentences do (an SE of "0.11" beside
# the sentence's "0.12" read as a gap of 0.112 outside "within one standard error")
reference = "true test MSE" if info["reference"] == "truth" else "test-split MSE"
tuned = float(result.cv.set_index("level").loc[nested["plain_level"], "reference_mse"])
rows = pd.DataFrame(
    {
        "estimate": ["plain CV: best mean", "nested CV", f"tuned: {reference}"],
        "value": [nested["plain"], nested["nested"], tuned],
        "se": [nested["plain_se"], nested["nested_se"], float("nan")],
        "value_text": [texts["plain"], texts["nested"], texts["reference"]],
        "se_text": [texts["plain_se"], texts["nested_se"], None],
    }
)
rows["low"], rows["high"] = rows["value"] - rows["se"], rows["value"] + rows["se"]
lesson.chart(lesson.Cached(bc.estimates, rows))
st.caption(
    "Plain: the lowest mean over the levels, from the folds that chose it. Nested: each outer "
    "fold's training part runs its own k-fold search, refits the level it picks and scores it "
    "on the outer fold, which took no part in the choice. Bars: ± one standard error. Last row: "
    "the tuned model, refitted on all the CV rows, against the truth (σ² plus its mean squared "
    "distance from f over x uniform on [−1, 1], its expected test MSE) or, for your data, on its test split."
)
lesson.captions(facts, "nested")

# ---- leakage ------------------------------------------------------------------------------------
st.header("Leakage: preprocessing fitted before the split")
lesson.chart(lesson.Cached(bc.leak_scores, result.leak, chance=info["chance"]))
st.caption(
    "Random labels of two equal classes and features of pure noise: no model can beat chance "
    "on new rows in expectation (a few rows can favour one by luck). Leaky: SelectKBest is fitted on all rows, then a logistic regression is "
    "cross-validated on the kept columns. Honest: make_pipeline(SelectKBest, "
    "LogisticRegression) is cross-validated, so each fold selects on its training rows only. "
    "Dots: folds; bars: mean ± one standard error."
)
lesson.captions(facts, "leak")

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
