"""The loss-functions page: the textbook numbers rendered live, presets, the prediction check."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.experiments import loss_functions as lf
from core.losses import softmax

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/loss_functions.py"


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.switch_page(PAGE).run()
    assert not app.exception and not app.error
    return app


def _metrics(at):
    return {m.proto.label: m.value for m in at.metric}


def test_textbook_numbers_and_the_named_mistake_are_on_the_page(at):
    values = list(_metrics(at).values())
    for number in ("0.105", "0.511", "0.357"):
        assert number in values
    assert len(at.get("vega_lite_chart")) >= 8
    # the diagonal-only mistake is named with this run's numbers
    text = " ".join(m.value for m in at.markdown)
    p = softmax(np.array(lf.Config().logits))
    assert f"zero gradient instead of +{p[1]:.3f}, +{p[2]:.3f}" in text


def test_textbook_preset_switches_to_probabilities(at):
    at.sidebar.button(key="preset_textbook-0-7-0-2-0-1").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="mode").value == "probabilities"
    assert at.sidebar.slider(key="p1").value == 0.7
    assert _metrics(at)["cross-entropy"] == "0.357"
    # the true class's probability is shown beside it
    assert _metrics(at)["class 1 (true)"] == "p = 0.700"


def test_moving_a_logit_changes_the_loss(at):
    before = float(_metrics(at)["cross-entropy"])
    at.sidebar.slider(key="z1").set_value(-5.0).run()
    after = float(_metrics(at)["cross-entropy"])
    assert after > before + 5.0  # the true class became a confident mistake


def test_prediction_is_checked_against_the_run(at):
    at.radio(key="predict_ce").set_value("squared error").run()
    assert any("This run says **cross-entropy**" in w.value for w in at.warning)
    at.radio(key="predict_ce").set_value("cross-entropy").run()
    assert any("Your prediction held" in s.value for s in at.success)
