"""The trees page: old links, the prediction checked against the run, presets, refusals, progress."""

import pytest

from core.experiments import trees
from tests.app.conftest import open_page, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Shallow setting (max depth)", "shallow", "Home")

PAGE = "app_pages/trees.py"
# Small settings keep each AppTest run short (the defaults are covered by test_pages).
SMALL = {"n": "200", "trees": "25", "sets": "3", "bvn": "100"}


def _open(reveal=True, **query):
    at = open_page(PAGE, query={**SMALL, **query}, reveal=reveal, timeout=120)
    assert not at.exception, at.exception
    return at


def _answer(at) -> str:
    """The run's answer, recomputed from the page's own Config."""
    config = trees.Config(n_samples=200, n_estimators=25, bv_train_sets=3, bv_train_size=100)
    fact = next(f for f in trees.facts(config, trees.run(config)) if f.slot == "answer")
    return fact.values["answer"]


@pytest.mark.slow
def test_page_draws_its_charts_and_checks_the_prediction():
    at = _open(reveal=False)
    assert not titles(at), "the charts wait for a prediction"
    actual = _answer(at)
    at.radio(key="predict_trees").set_value(actual).run()
    assert not at.exception and not at.error
    names = titles(at)
    assert len(names) == 9 and all(names)
    assert any("decision boundary" in str(t) for t in names)
    assert any("Your prediction held" in s.value for s in at.success)
    assert not at.get("progress"), "the progress bar is removed once the run is done"
    captions = " ".join(c.value for c in at.caption)
    assert "the lowest test error ± one standard error" in captions
    assert "Early stopping (" in captions
    wrong = next(c for c in trees.PREDICTION.options if c != actual)
    at.radio(key="predict_trees").set_value(wrong).run()
    assert any(w.value.startswith(f"Not {wrong}:") for w in at.warning)
    at.radio(key="metric").set_value("error").run()
    assert "Test misclassification rate as trees are added" in titles(at)


def test_old_links_keep_their_keys_and_values():
    """Links made before the page was converted: the same keys, the same spelled values."""
    at = _open(
        data="circles (2-D)",
        lr="0.3",
        shallow="1",
        deep="12",
        metric="misclassification rate",
        hgb="LightGBM only",
        bvnoise="2.0",
        seed="3",
    )
    assert not at.error
    assert at.sidebar.selectbox(key="data").value == "circles"
    assert at.sidebar.select_slider(key="lr").value == 0.3
    assert (
        at.sidebar.select_slider(key="shallow").value,
        at.sidebar.select_slider(key="deep").value,
    ) == (1, 12)
    assert at.radio(key="metric").value == "error"
    notes = " ".join(m.value for m in at.markdown)
    assert (
        "σ_ε² = 4." in notes
    )  # the old key bvnoise=2 still sets the bias-variance noise (σ_ε = 2)


def test_breast_cancer_preset_replaces_boundaries_with_a_note():
    at = _open()
    at.sidebar.button(key="preset_breast-cancer-30-features").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="data").value == "breast_cancer"
    assert any("can't be drawn in 2-D" in c.value for c in at.caption)
    assert not any("decision boundary" in str(t) for t in titles(at))
    # audit pass 58 f: "Boosting fits three quarters of the training rows" of 298 of 398
    captions = " ".join(c.value for c in at.caption)
    assert "three quarters" not in captions
    assert "Boosting fits 298 of the 398 training rows (the other 100" in captions


def test_over_budget_settings_say_which_control_to_change():
    at = _open(lr="0.01", n="2000", hgb="+ scikit-learn HistGradientBoosting", sets="8", bvn="300")
    # only the move enough alone is named: fewer training sets, 100 points per set or the
    # cross-check off alone leave the run over the budget (they were named before)
    assert at.error and at.error[0].value.endswith(
        "Raise 'Boosting learning rate η (log scale)' (fewer boosting rounds)."
    ), at.error[0].value
    assert not titles(at)


def test_shallow_setting_must_stay_shallower_than_the_deep_one():
    at = _open(shallow="8", deep="4")
    assert at.error and "shallower" in at.error[0].value


def test_noiseless_labels_make_the_decomposition_check_exact():
    at = _open(bvnoise="0")
    check = next(c.value for c in at.caption if c.value.startswith("With σ_ε = 0"))
    assert "equals bias² + variance" in check and "inf" not in check and "nan" not in check


def test_the_rounds_heat_maps_caption_claims_no_round_it_does_not_measure():
    """Audit pass 40: the heat map's caption said each row was "colored by the test measure after
    each round", but its cells come from the staged checkpoints: at the defaults depth 1 grows
    239 rounds in 52 cells (the cell from round 191 to 198 shows the measure after round 198).
    The caption may say "each" or "every round" only where every round is measured, and a bound
    it gives on the rounds measured holds for every row."""
    import re

    from tests.app.conftest import chart_rows

    at = _open()
    rows = [r for frame in chart_rows(at, "Boosting: test").values() for r in frame]
    cells = [r for r in rows if "n_from" in r]
    caption = next(c.value for c in at.caption if c.value.startswith("Each row: boosting"))
    kept, skips = {}, False
    for r in rows:
        if "best_n_trees" in r:
            kept[r["depth"]] = r["best_n_trees"]
    by_depth = {}
    for r in cells:
        by_depth.setdefault(r["depth"], set()).add(r["n_trees"])
    for depth, measured in by_depth.items():
        skips |= measured != set(range(1, max(measured) + 1))
        bound = re.search(r"after at most (\d+) of its rounds", caption)
        if bound:
            assert len(measured - {kept[depth]}) <= int(bound[1])
    assert skips, "the witness: a row whose cells skip rounds"
    assert not re.search(r"after (each|every) round", caption), caption


def test_the_depth_captions_scikit_learn_early_stopping_is_what_scikit_learn_does():
    """Audit pass 42 b: the error chart's caption said "scikit-learn's early stopping works the
    same way" as boosting here, which keeps LightGBM's best round (the rounds sentence: 219 kept
    of 239 grown at depth 1 at the defaults). scikit-learn's early stopping keeps every round it
    grew, the n_iter_no_change rounds past its best included: a caption that names it says so."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    config = trees.Config(n_samples=200, n_estimators=25, bv_train_sets=3, bv_train_size=100)
    data = trees.load_data(config)
    model = HistGradientBoostingClassifier(
        early_stopping=True, validation_fraction=0.1, n_iter_no_change=10, random_state=0
    ).fit(data.X_train, data.y_train)
    best = int(np.argmax(model.validation_score_))  # index 0: before the first round
    assert model.n_iter_ > best, "the witness: scikit-learn keeps the rounds past its best"

    at = _open()
    caption = next(c.value for c in at.caption if c.value.startswith("Solid: test error"))
    if "scikit-learn's early stopping" in caption:
        assert "the same way" not in caption, caption
        assert "keeps the rounds it grew past its best" in caption, caption


def test_the_boundary_caption_says_how_many_training_points_the_dots_are():
    """Audit pass 44 f: the caption under the decision boundaries said "dots: a sample of the
    training points", but at n_samples=200 the panels draw all 140 training points (at most 200
    are drawn). The caption names the dots as the chart draws them: all of them, or how many of
    how many."""
    import re

    from tests.app.conftest import chart_rows

    at = _open()
    n_train = len(trees.load_data(trees.Config(n_samples=200)).y_train)
    for model in ("Random forest (scikit-learn)", "Gradient boosting (LightGBM)"):
        rows = [r for f in chart_rows(at, f"{model}: decision boundary").values() for r in f]
        points = [r for r in rows if r.get("kind") == "point"]
        panels = {r["panel"] for r in points}
        drawn = len(points) // len(panels)
        assert drawn == n_train, "the witness: every training point is drawn"
    caption = next(c.value for c in at.caption if c.value.startswith("Color: the predicted"))
    assert "a sample" not in caption, caption
    said = re.search(r"dots: (all (\d+)|(\d+) of the (\d+)) training points", caption)
    assert said, caption
    assert int(said[2] or said[3]) == drawn and (said[2] or int(said[4]) == n_train), caption


def test_the_decomposition_caption_calls_labels_noisy_only_where_sigma_is_above_zero():
    """Audit pass 46 (b, on bias-variance; the same on trees): at σ_ε = 0 the caption said
    "fresh noisy labels" and "fresh noise adds σ_ε²" where the test labels are f itself."""
    from core.experiments import trees

    quiet, noisy = trees.decomposition_caption(0.0), trees.decomposition_caption(0.75)
    assert "noisy" not in quiet and "fresh noise" not in quiet and "f itself" in quiet
    assert "noisy labels" in noisy and "f itself" not in noisy


@pytest.mark.parametrize("metric", ["log_loss", "error"])
def test_a_link_spelling_a_views_option_as_its_value_shows_that_option(metric):
    """Audit pass 52: ?metric=log_loss (the option the view shows as "log loss", spelled as ?data=
    breast_cancer is read for its choice) was refused: "“Measure against the number of trees”
    can't be log_loss", and the view showed its default. A link may spell a view's option by
    its value too: the page shows it and names no refused setting."""
    at = _open(lr="1", metric=metric)
    assert not any("could not use" in w.value for w in at.warning), [w.value for w in at.warning]
    view = next(r for r in at.radio if r.label == "Measure against the number of trees")
    assert view.value == metric


def test_the_boundary_caption_adds_up_no_steps_where_boosting_kept_one_stump():
    """Audit pass 59 g: circles, noise 1, 400 points, η = 0.01: boosting kept its first round at
    depth 1, so its depth-1 panel is one stump, yet the caption said "at depth 1 both models add
    up axis-aligned steps: boosting fits each step to what the earlier ones got wrong"."""
    config = trees.Config(
        dataset="circles",
        noise=1.0,
        n_samples=400,
        learning_rate=0.01,
        n_estimators=25,
        bv_train_sets=3,
        bv_train_size=100,
    )
    summary = trees.run_sweep(config).summary.set_index(["model", "max_depth"])
    assert summary.loc[("gradient_boosting", 1), "n_trees"] == 1  # the witness
    at = _open(data="circles", noise="1.0", n="400", lr="0.01")
    caption = next(c.value for c in at.caption if c.value.startswith("Color: the predicted"))
    assert "both models add up" not in caption, caption
    assert "boosting kept only its first round here" in caption, caption
    assert "is one stump added to its constant start" in caption, caption
