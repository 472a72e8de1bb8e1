"""The bias-variance page: the prediction checked against the run, presets, the MLP's lighter
settings, refusals, and an uploaded regression set in the cross-validation part."""

import numpy as np
import pandas as pd
import pytest

from core.experiments import bias_variance as bv
from tests.app.conftest import open_page, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Training sets R", "sets", "Home")

PAGE = "app_pages/bias_variance.py"
SMALL = {"sets": "4", "lcn": "50"}


def _open(reveal=True, **query):
    at = open_page(PAGE, query={**SMALL, **query}, reveal=reveal, timeout=120)
    assert not at.exception, at.exception
    return at


def _answer() -> str:
    config = bv.Config(n_sets=4, lc_max_size=50)
    fact = next(f for f in bv.facts(config, bv.run(config)) if f.slot == "answer")
    return fact.values["answer"]


def test_page_draws_its_charts_and_checks_the_prediction():
    at = _open(reveal=False)
    assert not titles(at), "the charts wait for a prediction"
    actual = _answer()
    at.radio(key="predict_bias_variance").set_value(actual).run()
    assert not at.exception and not at.error
    names = titles(at)
    assert len(names) == 9 and all(names)
    assert any("Your prediction held" in s.value for s in at.success)
    captions = " ".join(c.value for c in at.caption)
    assert "Lowest validation MSE" in captions and "5-fold CV on training set 1" in captions
    assert "an approximation, since any two training parts share 3 of their 4 folds" in captions
    wrong = next(c for c in bv.PREDICTION.options if c != actual)
    at.radio(key="predict_bias_variance").set_value(wrong).run()
    assert any(w.value.startswith(f"Not {wrong}:") for w in at.warning)


def test_the_leakage_preset_sets_every_control_and_shows_the_leak():
    at = _open()
    at.sidebar.button(key="preset_leakage").click().run()
    assert not at.exception
    assert at.sidebar.select_slider(key="p").value == 5000
    assert at.sidebar.slider(key="kbest").value == 20
    assert at.sidebar.slider(key="sets").value == bv.Config().n_sets
    captions = " ".join(c.value for c in at.caption)
    assert "standard errors above chance" in captions


@pytest.mark.slow  # fits the MLP family: about 14 s alone
def test_picking_the_mlp_lowers_the_settings_that_multiply_its_fits():
    at = _open()
    at.sidebar.radio(key="model").set_value("mlp").run()
    assert not at.exception and not at.error
    assert at.sidebar.slider(key="k").value == 3
    assert at.sidebar.slider(key="sets").value == 4
    assert not any(s.key == "deg" for s in at.sidebar.slider), "the degree is for polynomials"
    assert any("Width 64" in str(t) for t in titles(at))


def test_settings_that_cannot_run_say_which_control_to_change():
    at = _open(n="15", k="10")
    assert at.error and "'Points per training set n'" in at.error[0].value
    at = _open(model="MLP (one tanh layer)", sets="50", k="10", lcn="1000")
    assert at.error and "'Folds k'" in at.error[0].value
    assert "or pick the polynomial model" in at.error[0].value


def test_an_uploaded_regression_set_replaces_the_cv_rows():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 2))
    frame = pd.DataFrame(X, columns=["a", "b"])
    frame["y"] = X[:, 0] ** 2 + 0.1 * rng.standard_normal(120)
    at = _open()
    content = frame.to_csv(index=False).encode()
    at.file_uploader(key="bias_variance_own_upload").set_value(("own.csv", content, "text/csv"))
    at.run()
    assert not at.exception and not at.error
    banner = " ".join(i.value for i in at.info if "Your data:" in i.value)
    assert "own.csv: 120 rows (84 train, 36 test), 2 features" in banner
    assert "keep the synthetic data" in banner
    captions = " ".join(c.value for c in at.caption)
    assert "CV on own.csv (84 rows)" in captions
    assert "on your test split (36 rows)" in captions
    assert len(titles(at)) == 9


def test_a_classification_upload_is_refused_in_the_sidebar():
    frame = pd.DataFrame({"a": np.arange(60.0), "y": ["no", "yes"] * 30})
    at = _open()
    content = frame.to_csv(index=False).encode()
    at.file_uploader(key="bias_variance_own_upload").set_value(("cls.csv", content, "text/csv"))
    at.run()
    assert not at.exception
    assert any(
        "numeric target" in e.value or "must be numeric" in e.value for e in at.sidebar.error
    )


@pytest.mark.parametrize("preset", list(bv.PRESETS))
def test_every_preset_opens_from_a_link(preset):
    from ui.controls import slug

    at = open_page(PAGE, query={"preset": slug(preset)}, timeout=120)
    assert not at.exception and not at.error
    # eight when the lowest validation MSE is at an end (its fitted curves are drawn once)
    assert len(titles(at)) in (8, 9)
