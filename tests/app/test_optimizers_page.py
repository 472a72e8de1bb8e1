"""The optimizers page: presets, the prediction, a click on the map, switching surface, playing."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/optimizers.py"


def _open():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _titles(at):
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]


def test_stable_line_preset_traps_gd_and_the_prediction_is_checked():
    at = _open()
    at.sidebar.button(key="preset_start-exactly-on-the-saddles-stable-line").click().run()
    assert not at.exception
    assert at.sidebar.slider(key="y0").value == 0.0
    notes = " ".join(m.value for m in at.markdown)
    assert "converged *to the saddle*" in notes
    assert "Noisy GD" in notes
    at.radio(key="predict_optimizers").set_value("at a minimum").run()
    assert any("This run says **at a saddle point**" in w.value for w in at.warning)
    at.radio(key="predict_optimizers").set_value("at a saddle point").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_a_click_on_the_map_moves_the_start():
    at = _open()
    at.session_state["opt_pick_0"] = {"selection": {"start_pick": [{"x": 0.55, "y": -0.35}]}}
    at.run()
    assert not at.exception
    assert at.sidebar.slider(key="x0").value == 0.55
    assert at.sidebar.slider(key="y0").value == -0.35
    assert any("paths from (0.55, -0.35)" in t for t in _titles(at))


def test_switching_surface_tunes_the_start_and_learning_rates():
    at = _open()
    at.sidebar.selectbox(key="surface").set_value("rosenbrock").run()
    assert not at.exception
    assert (at.sidebar.slider(key="x0").value, at.sidebar.slider(key="y0").value) == (-1.5, 2.0)
    assert at.sidebar.select_slider(key="lr_gd").value == 0.001
    assert not at.warning, "tuned rates do not diverge"


def test_too_large_a_step_warns_instead_of_crashing():
    at = _open()
    at.sidebar.select_slider(key="lr_gd").set_value(3.0).run()
    assert not at.exception
    assert any("Diverged: Gradient descent" in w.value for w in at.warning)
    assert len(_titles(at)) >= 3


def test_play_animates_then_leaves_the_step_at_the_end_and_fewer_steps_clamp_it():
    at = _open()
    at.sidebar.slider(key="steps").set_value(20).run()
    at.slider(key="t").set_value(5).run()
    at.button(key="opt_play").click().run()
    assert not at.exception
    assert at.slider(key="t").value == 20
    at.slider(key="t").set_value(20).run()
    at.sidebar.slider(key="steps").set_value(10).run()
    assert not at.exception
    assert at.slider(key="t").value == 10
