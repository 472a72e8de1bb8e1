"""The trees page: the prediction is checked against the run, presets, budget errors, progress and cache."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/trees.py"
# Small settings keep each AppTest run to about a second (the defaults are covered by test_pages).
SMALL = {"n": "200", "trees": "25", "sets": "3", "bvn": "100"}


def _open(**query):
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {**SMALL, **query}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _titles(at):
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]


def _actual_answer(at) -> str:
    """Which model's best depth is deeper, read from the caption under the main chart."""
    caption = next(c.value for c in at.caption if "test error is lowest at depth" in c.value)
    forest = caption.split("lowest at depth ")[1].split(" ")[0]
    boosting = caption.split("boosting's at depth ")[1].split(" ")[0]
    order = ["1", "2", "3", "4", "6", "8", "12", "unlimited"]
    if order.index(forest) > order.index(boosting):
        return "random forest"
    if order.index(boosting) > order.index(forest):
        return "gradient boosting"
    return "the same depth"


def test_page_draws_its_charts_checks_the_prediction_and_reuses_cached_fits():
    at = _open()
    assert not at.error
    titles = _titles(at)
    assert len(titles) == 9 and all(titles)
    assert any("decision boundary" in str(t) for t in titles)
    notes = " ".join(m.value for m in at.markdown)
    assert "Best test misclassification rate: the forest at depth" in notes
    assert not at.get("progress"), "the progress bar is removed once the run is done"

    actual = _actual_answer(at)
    at.radio(key="predict_trees").set_value(actual).run()
    assert any("Your prediction held" in s.value for s in at.success)
    wrong = next(c for c in ("random forest", "gradient boosting", "the same depth") if c != actual)
    at.radio(key="predict_trees").set_value(wrong).run()
    assert any(f"This run says **{actual}**" in w.value for w in at.warning)

    at.sidebar.radio(key="metric").set_value("error").run()
    assert not at.exception
    assert "Test misclassification rate as trees are added" in _titles(at)
    at.sidebar.slider(key="bvnoise").set_value(2.0).run()
    assert not at.exception
    assert any("σ² = 4.00" in m.value for m in at.markdown)


def test_breast_cancer_preset_replaces_boundaries_with_a_note():
    at = _open()
    at.sidebar.button(key="preset_breast-cancer-30-features").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="data").value == "breast_cancer"
    assert any("can't be drawn in 2-D" in i.value for i in at.info)
    assert not any("decision boundary" in str(t) for t in _titles(at))


def test_over_budget_settings_say_which_control_to_lower():
    at = _open(
        trees="200", n="2000", hgb="+ scikit-learn HistGradientBoosting", sets="8", bvn="300"
    )
    assert at.error and "Lower 'Trees per ensemble T'" in at.error[0].value
    assert not at.get("vega_lite_chart")


def test_shallow_setting_must_stay_shallower_than_the_deep_one():
    at = _open(shallow="8", deep="4")
    assert at.error and "shallower" in at.error[0].value


def test_noiseless_labels_make_the_decomposition_check_exact():
    at = _open(bvnoise="0")
    check = next(c.value for c in at.caption if "diamonds: the mean squared error" in c.value)
    assert "σ = 0" in check and "exact" in check
    assert "inf" not in check and "nan" not in check
    noisy = _open()
    check = next(c.value for c in noisy.caption if "diamonds: the mean squared error" in c.value)
    assert "standard errors of that measurement" in check
