"""The dropout page: keep probabilities per run, the prediction, inspection and budget messages."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/dropout.py"


def _open(**state):
    """The page with widget values set before it is drawn."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _titles(at):
    titles = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec)["title"]
        titles.append(title if isinstance(title, str) else title["text"])
    return titles


def test_prediction_is_checked_against_the_run():
    at = _open()
    at.radio(key="predict_dropout").set_value("higher").run()
    assert not at.exception
    # the lesson's claim: on the overfitting default, q = 0.5 lowers the test loss
    assert any("This run says **lower**" in w.value for w in at.warning)


def test_each_selected_q_gets_a_decision_boundary():
    at = _open(epochs=50)
    boundaries = [t for t in _titles(at) if "test acc." in t]
    assert [t.split(":")[0] for t in boundaries] == ["q = 1", "q = 0.8", "q = 0.5"]
    at.button_group(key="q").set_value(["1.0", "0.65", "0.35", "0.2", "0.9"]).run()
    assert not at.exception
    boundaries = [t for t in _titles(at) if "test acc." in t]
    assert [t.split(":")[0] for t in boundaries] == [
        "q = 1",
        "q = 0.9",
        "q = 0.65",
        "q = 0.35",
        "q = 0.2",
    ]


def test_inspecting_another_q_redraws_the_mask_check():
    at = _open(epochs=50)
    assert any("q = 0.5" in t for t in _titles(at) if t.startswith("One unit"))
    at.radio(key="inspect").set_value("0.8").run()
    assert not at.exception
    assert any("q = 0.8" in t for t in _titles(at) if t.startswith("One unit"))


def test_without_dropout_selected_the_page_explains_instead_of_failing():
    at = _open(epochs=50)
    at.button_group(key="q").set_value(["1.0"]).run()
    assert not at.exception
    assert any("below 1" in i.value for i in at.info)
    assert len(_titles(at)) >= 3


def test_over_budget_settings_say_what_to_lower(monkeypatch):
    # every slider setting fits the shared budget; a smaller one (above the defaults' 2.7 s)
    # shows how a refusal reads
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", 4.0)
    at = _open(epochs=400)
    at.sidebar.slider(key="ntrain").set_value(100).run()
    assert not at.exception
    assert at.error and "Lower 'Epochs', 'Hidden width', 'Training points'" in at.error[0].value
