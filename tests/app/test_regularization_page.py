"""The regularization page in AppTest: prediction, presets, data switch, a setting that cannot run."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/regularization.py"


def _open():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _titles(at):
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]


def test_defaults_draw_every_panel_and_state_the_objectives():
    at = _open()
    assert not at.error
    titles = _titles(at)
    assert len(titles) >= 10 and all(titles)
    assert any("diamond" in t for t in titles) and any("near-duplicate" in t for t in titles)
    formulas = " ".join(f.value for f in at.latex)
    for objective in (
        r"\text{Lasso (L1):}\quad & \tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_1",
        r"\text{Ridge (L2):}\quad & \lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_2^2",
        r"\alpha\rho\lVert w\rVert_1 + \tfrac{\alpha(1-\rho)}{2}\lVert w\rVert_2^2",
    ):
        assert objective in formulas
    assert "When to use which" in " ".join(h.value for h in at.header)


def test_prediction_is_checked_against_the_run():
    at = _open()
    at.radio(key="predict_reg").set_value("all three").run()
    assert not at.exception
    assert any("This run says **L1 and elastic net**" in w.value for w in at.warning)
    at.radio(key="predict_reg").set_value("L1 and elastic net").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_duplicates_preset_moves_the_correlation_slider():
    at = _open()
    at.sidebar.button(key="preset_exact-duplicates").click().run()
    assert not at.exception
    assert at.sidebar.select_slider(key="corr").value == 0.999
    assert any("0.999" in m.value for m in at.markdown if "correlation" in m.value)


def test_synthetic_data_colors_paths_by_the_truth():
    at = _open()
    at.sidebar.radio(key="data").set_value("synthetic").run()
    assert not at.exception and not at.error
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    first = json.dumps(specs[0])
    assert "truly non-zero" in first and "true weight" in first


def test_more_true_features_than_features_explains_what_to_change():
    at = _open()
    at.sidebar.slider(key="p").set_value(5).run()
    at.sidebar.slider(key="k").set_value(8).run()
    assert not at.exception
    assert at.error and "Lower 'n\\_informative' or raise 'n\\_features'" in at.error[0].value


def test_a_link_restores_the_controls():
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in {"data": "synthetic", "corr": "0.999", "t": "0.5", "nl1": "0.001"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.sidebar.radio(key="data").value == "synthetic"
    assert at.sidebar.select_slider(key="corr").value == 0.999
    assert at.sidebar.slider(key="t").value == 0.5
    assert at.sidebar.select_slider(key="nl1").value == 0.001


def test_presenter_mode_restyles_the_shared_charts_without_touching_them():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["present"] = "1"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert all(spec["config"]["axis"]["labelFontSize"] == 16 for spec in specs)
    at.query_params.pop("present")
    at.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert not any("labelFontSize" in json.dumps(spec.get("config", {})) for spec in specs)
