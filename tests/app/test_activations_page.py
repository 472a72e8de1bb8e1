"""The activations page: presets, the prediction and the output-layer guide in AppTest."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/activations.py"


def _open(**state):
    """The page with widget values set before it is drawn."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _titles(at):
    return [json.loads(c.proto.spec)["title"] for c in at.get("vega_lite_chart")]


def test_defaults_draw_shapes_collapse_boundaries_and_check_the_prediction():
    at = _open(epochs=10)
    assert not at.error
    titles = _titles(at)
    assert titles[:2] == [
        "Activation functions f(x)",
        "Their derivatives f′(x): what backprop multiplies by",
    ]
    assert {"Linear (identity)", "Sigmoid", "Tanh", "ReLU"} <= set(titles)
    at.radio(key="predict_act").set_value("Yes: depth adds curvature").run()
    assert any("This run says **No: it stays one straight line**" in w.value for w in at.warning)
    at.radio(key="predict_act").set_value("No: it stays one straight line").run()
    assert any("Your prediction held" in s.value for s in at.success)
    latex = " ".join(x.value for x in at.latex)
    assert r"\lambda \begin{cases}" in latex  # SELU: lambda in front of both branches


def test_dead_relu_preset_trains_the_relu_family():
    at = _open(epochs=10)
    at.sidebar.button(key="preset_dead-relus-at-a-large-learning-rate").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="group").value == "relu_family"
    titles = _titles(at)
    assert {"ReLU", "Leaky ReLU", "PReLU", "ELU"} <= set(titles)
    captions = " ".join(c.value for c in at.caption)
    assert "learned slopes a = " in captions


def test_output_guide_follows_the_task():
    at = _open(epochs=10)
    at.radio(key="task").set_value("multi-class").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "softmax" in text and "nn.CrossEntropyLoss" in text
    assert any("multi-class output" in t for t in _titles(at))
