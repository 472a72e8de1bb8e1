"""Lesson: why gradient boosting uses shallower trees than a random forest."""

import streamlit as st

from core import ensembles as ens
from core.experiments import trees as experiment
from core.experiments.trees.claims import spread_places, test_error_texts
from core.facts import decimals
from ui import controls, lesson
from ui.charts import trees as tc
from ui.controls import Choice, Group, LogSlider, Slider, View
from ui.runner import run_experiment

DATA_LABELS = {"breast_cancer": "breast cancer (bundled, 30 features)"}


def depth_text(depth) -> str:
    """A depth's label ("unlimited" for -1); a label passed back in (as tests do) stays as is."""
    return depth if isinstance(depth, str) else ens.depth_label(depth)


panel = controls.Panel(
    experiment.Config,
    controls.two_d_data(
        dataset="Four 2-D synthetic sets (their decision boundaries are drawn) and scikit-learn's "
        "bundled breast cancer set. 70 % train, 30 % test, stratified.",
        dataset_label="Classification data",
        labels=lambda s: DATA_LABELS.get(s, f"{s} (2-D)"),
        points=Slider(
            "n_samples",
            "Points (2-D sets)",
            "Total points before the 70/30 split. The breast cancer set always has 569.",
            key="n",
        ),
        noise="Standard deviation of the Gaussian jitter added to the points (half of it for the "
        "spiral; the breast cancer set ignores it): more noise, more overlap between the "
        "classes, more to overfit.",
        noise_label="Noise (2-D sets)",
        seed="Seeds the data, the splits, the bootstrap samples and the bias-variance draws.",
        validate=experiment.check_data,
        priced_apart=True,  # prepare_data caps an upload's sweep to the budget left
    ),
    Group(
        "Ensembles",
        Choice(
            "n_estimators",
            "Trees per forest T",
            "Trees in each random forest of the depth sweep (the bias-variance forests use "
            "min(25, T)). Boosting's rounds are not set here: early stopping chooses them at "
            "each depth.",
            key="trees",
            widget="slider",
        ),
        LogSlider(
            "learning_rate",
            "Boosting learning rate η (log scale)",
            "Each boosted tree f_m is added as η·f_m(x): smaller steps need more rounds (early "
            "stopping finds how many). The forest has no learning rate; it averages.",
            key="lr",
        ),
        Choice(
            "cross_check",
            "Cross-check boosting with",
            "Adds scikit-learn's HistGradientBoosting with the same depth, leaves, learning rate "
            "and LightGBM's rounds, on the same rows: an independent implementation.",
            key="hgb",
            labels={False: "LightGBM only", True: "+ scikit-learn HistGradientBoosting"},
            widget="radio",
        ),
    ),
    Group(
        "Error against number of trees",
        Choice(
            "shallow_depth",
            "Shallow setting (max depth)",
            "The shallow trees whose error is drawn against the number of trees.",
            key="shallow",
            labels=depth_text,
            widget="slider",
        ),
        Choice(
            "deep_depth",
            "Deep setting (max depth)",
            "The deep trees drawn against the number of trees ('unlimited' = grown out).",
            key="deep",
            labels=depth_text,
            widget="slider",
        ),
    ),
    Group(
        "Bias-variance (regression)",
        Slider(
            "bv_noise",
            "Noise σ_ε of y",
            "y = f(x) + ε on Friedman #1, ε with standard deviation σ_ε: the noise variance "
            "σ_ε² no model can remove.",
            key="bvnoise",
        ),
        Slider(
            "bv_train_sets",
            "Training sets drawn",
            "Independent training sets; each model is refitted on each. More sets, steadier "
            "estimates of bias² and variance, longer runs.",
            key="sets",
        ),
        Slider(
            "bv_train_size",
            "Points per training set",
            "Size of each training set drawn from Friedman #1 (10 features, 5 of them irrelevant).",
            key="bvn",
        ),
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "metric",
            "Measure against the number of trees",
            "The log loss of the predicted probabilities moves with every tree; the "
            "misclassification rate only when a point changes side.",
            experiment.METRICS,
            default="log_loss",
            labels=tc.METRIC_TITLES,
        ),
    ],
)


lesson.header()
config = panel.draw()
panel.show_data(
    config,
    experiment.prepare_data,
    replaces="the classification data chosen in the sidebar for the depth sweep (the "
    "bias-variance part keeps Friedman #1: measuring bias needs the true function)",
)
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment(
    "trees",
    config,
    data=panel.data,
    spinner="Fitting forests and boosted trees at 8 depths, then the bias-variance runs…",
)
facts = experiment.facts(config, result)
lesson.warnings(facts)

# ---- error against depth --------------------------------------------------------------------------
lesson.chart(
    lesson.Cached(tc.error_vs_depth, result.summary, result.best, n_test=result.info["n_test"])
)
st.caption(experiment.error_caption(result.info))
lesson.captions(facts, "depth")
lesson.reveal_answer(choice, facts)

# ---- sequential vs parallel -----------------------------------------------------------------------
st.header("Sequential corrections vs parallel averaging")
metric = panel.view("metric")
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            tc.error_vs_trees,
            result.staged,
            depths=(config.shallow_depth, config.deep_depth),
            metric=metric,
            summary=result.summary,
            n_test=result.info["n_test"],
        )
    )
    st.caption(
        experiment.staged_caption(
            result.info["n_classes"],
            log_loss=metric == "log_loss",
            cross_check=config.cross_check,
        )
    )
    lesson.captions(facts, "staged")
with right:
    lesson.chart(
        lesson.Cached(
            tc.rounds_heatmap,
            result.staged,
            result.summary,
            model="gradient_boosting",
            metric=metric,
            n_test=result.info["n_test"],
        )
    )
    st.caption(experiment.ROUNDS_CAPTION)
    lesson.captions(facts, "rounds")

# ---- decision boundaries --------------------------------------------------------------------------
st.header("Decision boundaries at depth 1, 3, 8 and unlimited")
if not result.boundaries.empty:
    summary = result.summary.set_index(["model", "max_depth"])
    # side by side on a desktop, one above the other on a phone (Streamlit stacks columns)
    for column, model in lesson.in_columns(experiment.BOUNDARY_MODELS, 2):
        # the test errors with the digits of the best-depths sentence and the error chart
        # (1/60 and its SE at 4 decimals put 2/60 above the bound, "0.033" would be inside)
        shown = test_error_texts(
            result.summary[result.summary["model"] == model],
            result.info["n_test"],
            result.summary,
        )[2]
        titles = {
            d: f"depth {ens.depth_label(d)}: test error {shown[d][0]}"
            if d in shown
            else f"depth {ens.depth_label(d)}: test error "
            f"{decimals(summary.loc[(model, d), 'test_error'], 3)}"
            for d in experiment.BOUNDARY_DEPTHS
        }
        with column:
            lesson.chart(
                lesson.Cached(
                    tc.boundary_facets,
                    result.boundaries,
                    result.points,
                    model=model,
                    panel_titles=titles,
                ),
                width="content",
            )
    st.caption(
        experiment.boundary_caption(
            len(result.points),
            result.info["n_train"],
            stump_rounds=int(summary.loc[("gradient_boosting", 1), "n_trees"]),
            n_classes=int(result.info["n_classes"]),
        )
    )
lesson.captions(facts, "boundaries")

# ---- fit time -------------------------------------------------------------------------------------
st.header("Fit time")
lesson.chart(lesson.Cached(tc.fit_time, result.summary))
st.caption(
    "Wall-clock time per tree (per round for boosting), one thread each, measured on the "
    "machine that computed this result. A "
    "forest's trees are independent, so they can be fitted in parallel; boosting's rounds run "
    f"one after another. Each forest time is measured on {ens.FOREST_TIMING_TREES} trees grown "
    "to that depth (the errors above come from one forest grown out and cut at each depth: the "
    "same distribution of forests)."
)
lesson.captions(facts, "time")

# ---- bias and variance ----------------------------------------------------------------------------
st.header("Bias² and variance by depth")
lesson.side_by_side(
    *(
        lesson.Cached(tc.bias_variance_lines, result.bias_variance, component=component)
        for component in ("bias_sq", "variance")
    )
)
st.caption(experiment.bias_variance_caption(config))
with st.expander("Does it add up? bias² + variance + noise against the measured test error"):
    lesson.chart(
        lesson.Cached(
            tc.decomposition_bars,
            result.bias_variance,
            # the whiskers' digits, as the set_spread sentence prints them
            spread_places=spread_places(result.bias_variance, config.bv_train_sets)[1],
        ),
        width="content",
    )
    st.caption(experiment.decomposition_caption(config.bv_noise))
    lesson.captions(facts, "bias_variance")

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
