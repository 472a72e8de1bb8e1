"""The regularization page in AppTest: prediction, presets, data switch, a setting that cannot run."""

import json
import re

import pytest

from tests.app.conftest import open_page, specs, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Budget t", "t", "End")

PAGE = "app_pages/regularization.py"


def test_defaults_draw_every_panel_and_state_the_objectives():
    at = open_page(PAGE, timeout=90)
    assert not at.exception and not at.error
    drawn = titles(at)
    assert len(drawn) >= 10 and all(drawn)
    assert any("diamond" in t for t in drawn) and any("Paths of x1 and x2" in t for t in drawn)
    formulas = " ".join(f.value for f in at.latex)
    for objective in (
        r"\text{Lasso (L1):}\quad & \tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_1",
        r"\text{Ridge (L2):}\quad & \lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_2^2",
        r"\text{ElasticNet:}\quad & \tfrac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\rho\lVert w\rVert_1",
        r"\quad & \quad + \tfrac{\alpha(1-\rho)}{2}\lVert w\rVert_2^2",
    ):
        assert objective in formulas
    assert "When to use which" in " ".join(h.value for h in at.header)
    table = next(m.value for m in at.markdown if m.value.startswith("| If"))
    assert table.count("\n") == 5, "a header, a rule and four rows"
    assert "LassoCV kept" in table and "highest here: Ridge" in table


def test_prediction_is_checked_against_the_run():
    at = open_page(PAGE, reveal=False, timeout=90)
    assert not specs(at), "the result waits for a prediction"
    at.radio(key="predict_regularization").set_value("all three").run()
    assert not at.exception
    assert any(w.value.startswith("Not all three") for w in at.warning)
    at.radio(key="predict_regularization").set_value("L1 and elastic net").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_duplicates_preset_keeps_its_old_link_and_moves_the_correlation_slider():
    at = open_page(PAGE, query={"preset": "exact-duplicates"}, timeout=90)
    assert not at.exception and not at.warning
    assert at.sidebar.select_slider(key="corr").value == 0.999
    captions = " ".join(c.value for c in at.caption)
    assert "sample correlation 0.999" in captions
    assert "the L1 path keeps only" in captions


def test_synthetic_data_colors_paths_by_the_truth():
    at = open_page(PAGE, query={"data": "synthetic"}, timeout=90)
    assert not at.exception and not at.error
    first = json.dumps(specs(at)[0])
    assert "truly non-zero" in first and "true weight" in first


def test_more_true_features_than_features_explains_what_to_change():
    at = open_page(PAGE, timeout=90)
    at.sidebar.slider(key="p").set_value(5).run()
    at.sidebar.slider(key="k").set_value(8).run()
    assert not at.exception
    assert at.error
    assert "Lower 'Synthetic: features that truly matter k' or raise 'Synthetic: features p'" in (
        at.error[0].value
    )


def test_a_link_restores_the_controls():
    query = {"data": "synthetic", "corr": "0.999", "t": "0.5", "nl1": "0.001", "nep": "500"}
    at = open_page(PAGE, query=query, timeout=90)
    assert not at.exception and not at.warning
    assert at.sidebar.radio(key="data").value == "synthetic"
    assert at.sidebar.select_slider(key="corr").value == 0.999
    assert at.sidebar.slider(key="t").value == 0.5
    assert at.sidebar.select_slider(key="nl1").value == 0.001
    assert at.sidebar.select_slider(key="nep").value == 500


def test_presenter_mode_restyles_the_shared_charts_without_touching_them():
    at = open_page(PAGE, query={"present": "1"}, timeout=90)
    assert not at.exception
    assert all(spec["config"]["axis"]["labelFontSize"] == 16 for spec in specs(at))
    at.query_params.pop("present")
    at.run()
    assert not at.exception
    assert not any("labelFontSize" in json.dumps(s.get("config", {})) for s in specs(at))


@pytest.mark.slow  # an AppTest of the page
def test_network_table_prints_the_mses_as_the_net_report_sentence_does():
    """Audit pass 37 (b): with noise 0 the network table showed the unpenalized net's test MSE
    of 1.06e-06 as 0 (Streamlit's default float format) beside net_report's 1.06e-06."""
    query = {"data": "synthetic", "noise": "0", "n": "400", "p": "5", "k": "1", "nep": "2000"}
    at = open_page(PAGE, query=query, timeout=120)
    assert not at.exception
    tables = [t.value for t in at.dataframe if "test MSE" in t.value.columns]
    assert tables, [t.value.columns.tolist() for t in at.dataframe]
    table = tables[0]
    report = next(
        e.value for e in [*at.caption, *at.markdown] if "(none / L1 / L2)" in str(e.value)
    )
    printed = re.search(r"test MSE ([^ ]+) / ([^ ]+) / ([^ ]+) \(none / L1 / L2\)", report)
    assert printed, report
    for cell, text in zip(table["test MSE"], printed.groups(), strict=True):
        assert isinstance(cell, str) and cell == text, (cell, text, report)


@pytest.mark.parametrize("budget", ["2.2", "3"])
def test_the_geometry_caption_does_not_dash_a_constraint_that_does_not_bind(budget):
    """Audit pass 41 (e), ?t=2.2 and ?t=3: 'dashed: the level sets that touch each constraint'
    beside 'The L2 optimum sits at the least-squares solution …, inside the circle' (and at t = 3
    'the L1 constraint does not bind'): the caption names a touched constraint only if its
    optimum lies on it."""
    at = open_page(PAGE, query={"t": budget, "nep": "100"}, timeout=90)
    assert not at.exception, at.exception
    (caption,) = [c.value for c in at.caption if c.value.startswith("Grey ellipses")]
    texts = " ".join(c.value for c in at.caption)
    assert "inside the circle" in texts  # the witness: the L2 optimum is the cross
    assert "each constraint" not in caption, caption
    if "does not bind: lower t" in texts:  # the L1 constraint does not bind either
        assert "no level set is dashed" in caption, caption


def test_the_pair_chart_does_not_call_an_uncorrelated_pair_correlated():
    """Audit pass 48 (d): at ?corr=0 (population correlation 0, sample correlation 0.055 at the
    default seed) the pair's chart was titled "Paths of two correlated features". Its title now
    gives the sample correlation as the caption prints it."""
    at = open_page(PAGE, query={"corr": "0"}, timeout=90)
    assert not at.exception
    caption = next(c.value for c in at.caption if "sample correlation" in c.value)
    shown = re.search(r"sample correlation (−?[\d.]+)", caption).group(1)
    drawn = [str(t) for t in titles(at)]
    assert not any("correlated features" in t for t in drawn), drawn
    assert any(t == f"Paths of x1 and x2 (sample correlation {shown})" for t in drawn), drawn


def test_the_network_caption_names_faded_bars_only_where_some_true_weight_is_0():
    """Audit pass 55 h: at k = p (?p=5&k=5) every input has a non-zero true weight and the
    input-weights chart fades no bar, yet the caption said "Faded bars: inputs whose true weight
    is 0"."""
    at = open_page(PAGE, query={"p": "5", "k": "5"}, timeout=90)
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "ReLU network" in captions
    assert "Faded bars" not in captions and "No bar is faded" in captions
    at = open_page(PAGE, query={"p": "6", "k": "5"}, timeout=90)
    assert "Faded bars: the 1 input whose true weight is 0." in " ".join(
        c.value for c in at.caption
    )


def _tooltips(spec) -> list[dict]:
    found = []
    if isinstance(spec, dict):
        tips = spec.get("encoding", {}).get("tooltip")
        found += tips if isinstance(tips, list) else []
        for value in spec.values():
            found += _tooltips(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _tooltips(value)
    return found


def test_tooltips_on_the_elasticnet_scale_name_which_alpha_they_print():
    """Audit pass 57 f: on the zero-count and pair charts, whose x axis is "α, ElasticNet scale
    (Ridge: its α ÷ n)", a Ridge point's tooltip "alpha" printed Ridge's own α, n times the axis
    value it is drawn at (the default diabetes run, n = 309: "alpha 3.09e+5" at 1,000 on the
    axis). Each α a tooltip prints now names its scale."""
    at = open_page(PAGE, timeout=90)
    assert not at.exception
    scaled = [s for s in specs(at) if "ElasticNet scale" in json.dumps(s.get("layer", s))]
    assert len(scaled) == 2
    for spec in scaled:
        tips = {t["field"]: t.get("title") for t in _tooltips(spec)}
        assert tips["alpha"] == "the estimator's own α", tips
        assert tips["alpha_common"] == "α, ElasticNet scale", tips


def test_the_pair_header_calls_the_features_correlated_only_above_correlation_0():
    """Audit pass 59 d: at the correlation slider's least (?corr=0) the section header read
    "Correlated features" over two independent features (sample correlation 0.055)."""
    at = open_page(PAGE, query={"corr": "0"}, timeout=90)
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Correlated features" not in headers
    assert "Two uncorrelated features (population correlation 0)" in headers
    at = open_page(PAGE, timeout=90)
    assert "Correlated features" in [h.value for h in at.header]


def test_the_epochs_help_calls_full_batch_training_gradient_descent():
    """Audit pass 59 d: the network's epochs help said "Full-batch SGD with momentum 0.9": every
    step uses all training rows (batch_size=None), so nothing is stochastic; the L1 net's step is
    a subgradient, as the λ₁ help says."""
    at = open_page(PAGE, timeout=90)
    help_text = at.sidebar.select_slider(key="nep").help
    assert "SGD" not in help_text and "Full-batch gradient descent" in help_text


def test_a_link_value_snapped_onto_the_default_is_not_called_refused():
    """Audit pass 59 d: ?t=1.04 runs t = 1, the slider's step and its default; the page said
    both "“Budget t” can't be 1.04, so it shows its default instead" and "1.04 runs as 1"."""
    at = open_page(PAGE, query={"t": "1.04"}, timeout=90)
    assert not at.exception
    assert not [w.value for w in at.warning if "could not use" in w.value]
    assert any("“Budget t” 1.04 runs as 1" in i.value for i in at.info)
    # a value off the slider's range is still refused
    at = open_page(PAGE, query={"t": "9"}, timeout=90)
    assert any("“Budget t” can't be 9" in w.value for w in at.warning)
