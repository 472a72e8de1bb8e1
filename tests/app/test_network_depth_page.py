"""The network depth page in AppTest: defaults, the prediction check, a preset, an over-budget grid."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.controls import slug

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/network_depth.py"


def _open():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _titles(at):
    return [json.loads(c.proto.spec).get("title", "") for c in at.get("vega_lite_chart")]


def test_defaults_draw_the_grid_criteria_boundaries_and_fits():
    at = _open()
    assert not at.error
    titles = _titles(at)
    assert all(titles)
    assert titles[0].startswith("5-fold cross-validated accuracy")
    # one boundary panel per depth 0..3 at the focus width
    assert sum(t.startswith("depth ") for t in titles) == 4
    assert any(t.startswith("AIC = 2k") for t in titles)
    assert any(t.startswith("Fitting a sine") for t in titles)
    notice = " ".join(m.value for m in at.markdown)
    assert "The best cell is" in notice and "Cross-validation picks" in notice
    assert len(at.dataframe) >= 3  # grow trace, picks, 1-D summary


def test_exactly_one_prediction_holds():
    at = _open()
    held = []
    for option in ("0 (no hidden layer)", "1", "2", "3 or more"):
        at.radio(key="predict_depth").set_value(option).run()
        assert not at.exception
        if any("Your prediction held" in s.value for s in at.success):
            held.append(option)
        else:
            assert any("This run says" in w.value for w in at.warning)
    assert len(held) == 1


def test_sawtooth_preset_shows_the_hand_set_deep_net():
    at = _open()
    at.sidebar.button(key=f"preset_{slug('Sawtooth: depth by construction')}").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="ua").value == "sawtooth"
    assert any(t.startswith("Fitting a sawtooth with 8 teeth") for t in _titles(at))
    notice = " ".join(m.value for m in at.markdown)
    assert "hand-set width-2 net draws all 16 pieces" in notice


def test_an_over_budget_grid_explains_what_to_lower():
    at = _open()
    at.sidebar.slider(key="epochs").set_value(400)
    at.sidebar.slider(key="folds").set_value(10).run()
    assert not at.exception
    assert at.error and "Lower 'Deepest net (hidden layers)', 'Epochs'" in at.error[0].value
