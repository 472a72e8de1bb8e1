"""The vanishing-gradients page: presets, the prediction, divergence and budget messages in AppTest."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/vanishing_gradients.py"


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


def test_defaults_show_vanishing_and_check_the_prediction():
    at = _open()
    assert not at.error
    titles = _titles(at)
    assert titles[0].startswith("Gradient per layer at initialization: Sigmoid, 10 hidden layers")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert len(spec["layer"]) == 2  # the bars and the 1/4-per-layer bound
    at.radio(key="predict_vg").set_value("within a factor of 10").run()
    assert any("This run says **over 1,000× smaller**" in w.value for w in at.warning)
    at.radio(key="predict_vg").set_value("over 1,000× smaller").run()
    assert any("Your prediction held" in s.value for s in at.success)
    # the clipping comparison always shows the exploding net diverging without clipping
    assert any("Exploding, no clipping: diverged" in w.value for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["σ′(10)"] == "4.54e-05"


def test_batch_norm_rescue_preset_turns_batch_norm_on_and_drops_the_bound():
    at = _open()
    at.sidebar.button(key="preset_batch-norm-rescue").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="bn").value == "on"
    assert at.sidebar.slider(key="depth").value == 20
    title = _titles(at)[0]
    assert title.endswith("20 hidden layers, batch norm")
    assert "layer" not in json.loads(at.get("vega_lite_chart")[0].proto.spec)


def test_a_diverging_run_warns_instead_of_failing():
    at = _open(act="relu", init="normal", sigma=1.0, depth=8, lr=1.0)
    assert not at.error
    assert any(w.value.startswith("**Diverged:**") for w in at.warning)
    assert len(_titles(at)) >= 3


def test_over_budget_settings_explain_what_to_lower():
    at = _open(depth=50, epochs=150, width=64)
    assert at.error and "Lower 'Epochs', 'Hidden layers' or 'Units per hidden" in at.error[0].value
