"""The dropout page: keep probabilities, the prediction, inspection, old links and budget messages."""

from tests.app.conftest import open_page, specs, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Hidden width", "width", "Home")

PAGE = "app_pages/dropout.py"


def _texts(titles_):
    return [t if isinstance(t, str) else (t or {}).get("text") for t in titles_]


def test_prediction_is_checked_against_the_run():
    at = open_page(PAGE, reveal=False)
    assert not specs(at), "the result waits for a prediction"
    at.radio(key="predict_dropout").set_value("higher").run()
    assert not at.exception
    # the default net overfits, and q = 0.5 ends lower by more than two standard errors
    assert any("Not higher" in w.value and "lower by" in w.value for w in at.warning)
    at.radio(key="predict_dropout").set_value("lower").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_each_selected_q_gets_a_decision_boundary():
    at = open_page(PAGE, query={"epochs": "50"})
    boundaries = [t for t in _texts(titles(at)) if "test acc." in t]
    assert [t.split(":")[0] for t in boundaries] == ["q = 1", "q = 0.8", "q = 0.5"]
    at.sidebar.button_group(key="q").set_value([1.0, 0.65, 0.35, 0.2, 0.9]).run()
    assert not at.exception
    boundaries = [t for t in _texts(titles(at)) if "test acc." in t]
    assert [t.split(":")[0] for t in boundaries] == [
        "q = 1",
        "q = 0.9",
        "q = 0.65",
        "q = 0.35",
        "q = 0.2",
    ]


def test_inspecting_another_q_redraws_the_mask_check():
    at = open_page(PAGE, query={"epochs": "50"})
    assert any("q = 0.5" in t for t in _texts(titles(at)) if t.startswith("One unit"))
    at.radio(key="inspect").set_value(0.8).run()
    assert not at.exception
    assert any("q = 0.8" in t for t in _texts(titles(at)) if t.startswith("One unit"))
    assert any("q = 0.8" in m.value and "Hidden unit" in m.value for m in at.markdown)


def test_without_dropout_selected_the_trained_pair_can_still_be_inspected():
    at = open_page(PAGE, query={"epochs": "50"})
    at.sidebar.button_group(key="q").set_value([1.0]).run()
    assert not at.exception and not at.error
    assert [t for t in _texts(titles(at)) if "test acc." in t] == ["q = 1: test acc. 81.9%"]
    # q = 0.5 is always trained (the prediction compares it): its masks can be inspected
    assert at.radio(key="inspect").options == ["q = 0.5"]


def test_an_empty_selection_says_what_to_do():
    at = open_page(PAGE, query={"epochs": "50"})
    at.sidebar.button_group(key="q").set_value([]).run()
    assert not at.exception
    assert at.error and "Select at least one keep probability" in at.error[0].value


def test_an_old_link_keeps_its_keep_probabilities_and_inspection():
    at = open_page(
        PAGE,
        query={
            "q": ["q = 1.0 (no dropout)", "q = 0.65"],
            "inspect": "q = 0.65",
            "epochs": "50",
            "width": "16",
            "lr": "0.01",
            "data": "spiral",
        },
    )
    assert not at.exception and not at.warning
    assert at.session_state["q"] == [1.0, 0.65] and at.session_state["inspect"] == 0.65
    assert any("q = 0.65" in t for t in _texts(titles(at)) if t.startswith("One unit"))


def test_over_budget_settings_say_what_to_lower(monkeypatch):
    # every slider setting fits the shared budget; a smaller one shows how a refusal reads
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", 2.0)
    at = open_page(PAGE, query={"epochs": "400"})
    at.sidebar.slider(key="ntrain").set_value(100).run()
    assert not at.exception
    assert at.error and "Lower 'Epochs', 'Hidden width', 'Training points'" in at.error[0].value
    assert "or select fewer keep probabilities" in at.error[0].value


def test_a_preset_sets_every_control_and_its_hint_shows():
    at = open_page(PAGE, query={"preset": "memorizing-anyway"})
    assert not at.exception
    assert at.sidebar.slider(key="ntrain").value == 20
    assert at.sidebar.select_slider(key="lr").value == 0.03
    assert any("Memorizing anyway" in i.value for i in at.sidebar.info)
    assert any("This run's answer: **higher**" in i.value for i in at.info)
