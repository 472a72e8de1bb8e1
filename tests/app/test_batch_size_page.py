"""The batch-size page: per-run selection, the prediction, presets, divergence and budget messages."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.charts.training import BATCH_SIZE_COLORS
from ui.controls import slug

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/batch_size.py"


def _open(**state):
    """The page with widget values set before it is drawn (few epochs keep each test quick)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in {"epochs": 4, **state}.items():
        at.session_state[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_deselected_batch_sizes_leave_the_chart_and_colors_stay_fixed():
    at = _open()
    at.button_group(key="bs").set_value(["32", "full"]).run()
    assert not at.exception
    scale = _specs(at)[0]["encoding"]["color"]["scale"]
    assert scale["domain"][0] == "32" and scale["domain"][1].startswith("full")
    assert scale["range"] == [BATCH_SIZE_COLORS["32"], BATCH_SIZE_COLORS["full"]]
    at.button_group(key="bs").set_value([]).run()
    assert not at.exception
    assert any("at least one batch size" in i.value for i in at.info)


def test_prediction_is_checked_against_the_run():
    at = _open()
    at.radio(key="predict_bs").set_value("full batch").run()
    assert not at.exception
    # same η, same epochs: the run with the most updates gets furthest
    assert any("This run says **B = 1 (SGD)**" in w.value for w in at.warning)
    at.radio(key="predict_bs").set_value("B = 1 (SGD)").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_linear_scaling_preset_sets_the_rule_and_the_text_follows():
    at = _open()
    at.sidebar.button(key=f"preset_{slug('Linear scaling rule')}").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="scale").value == "linear"
    notes = " ".join(m.value for m in at.markdown)
    assert "With the linear scaling rule, final training losses span a factor of" in notes


def test_scaling_too_far_warns_instead_of_failing():
    at = _open(epochs=6)
    at.sidebar.button(key=f"preset_{slug('Scaling too far')}").click().run()
    assert not at.exception
    assert any("Diverged: B = " in w.value for w in at.warning)
    assert len(_specs(at)) >= 3


def test_over_budget_settings_say_what_to_lower(monkeypatch):
    # every slider setting fits the shared budget; a smaller one (above the defaults' 1.3 s)
    # shows how a refusal reads
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", 3.0)
    at = _open(epochs=40)
    at.sidebar.slider(key="n").set_value(1000).run()
    assert not at.exception
    assert at.error and "Lower 'Epochs', 'Examples n (train + test)'" in at.error[0].value
    assert not at.get("vega_lite_chart")
