"""The attention page: predict then run, presets, links, and the facts in their places."""

from core.experiments import attention as experiment
from tests.app.conftest import open_page, specs, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Tokens n", "n", "Home")

PAGE = "app_pages/attention.py"


def _open(reveal=True, **query):
    at = open_page(PAGE, query=query, reveal=reveal)
    assert not at.exception, at.exception
    return at


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_page_waits_for_a_prediction_then_checks_it():
    at = _open(reveal=False)
    assert not specs(at), "the charts wait for a prediction"
    config = experiment.Config()
    answer = next(
        f for f in experiment.facts(config, experiment.run(config)) if f.slot == "answer"
    ).values["answer"]
    at.radio(key="predict_attention").set_value(answer).run()
    assert not at.exception and not at.error
    assert any("Your prediction held" in s.value for s in at.success)
    wrong = next(o for o in experiment.PREDICTION.options if o != answer)
    at.radio(key="predict_attention").set_value(wrong).run()
    assert any(w.value.startswith(f"Not {wrong}:") for w in at.warning)


def test_default_draws_every_step_with_its_facts():
    at = _open()
    names = titles(at)
    assert names[:4] == ["Embeddings X", "Q, head 1", "K, head 1", "V, head 1"]
    assert "Weights P, head 2" in names and "Variance of the scores against d_k" in names
    assert len(names) == 15 and all(names)
    captions = _captions(at)
    assert "every weight is positive" in captions
    assert "agree with central differences" in captions
    assert "within 3 standard errors of d_k σ⁴" in captions
    notes = " ".join(m.value for m in at.markdown)
    assert "Without scaling the softmax saturates" in notes
    assert any(r"\sum_j p_{5 j}" in latex.value for latex in at.latex)


def test_causal_link_shows_exact_zeros_above_the_diagonal():
    at = _open(causal="true", n="6")
    assert at.sidebar.toggle(key="causal").value is True
    assert "all 15 weights above the diagonal are exactly 0" in _captions(at)
    assert any("+ M" in latex.value for latex in at.latex)


def test_unscaled_preset_saturates_the_step_through():
    at = _open()
    at.sidebar.button(key="preset_large-d-k-without-scaling").click().run()
    assert not at.exception
    assert at.sidebar.toggle(key="scale").value is False
    assert at.sidebar.select_slider(key="dhead").value == 64
    assert "4 of the 5 rows that see several tokens put over 0.99" in _captions(at)
    assert not any(r"\sqrt{d_k}" in latex.value for latex in at.latex[:2])


def test_small_entries_preset_reports_no_saturation():
    at = _open(preset="small-entries-no-saturation")
    assert at.sidebar.slider(key="sigma").value == 0.25
    notes = " ".join(m.value for m in at.markdown)
    assert "not saturated at this setting" in notes and "not 10× smaller" in notes


def test_many_heads_draw_one_weight_map_per_head():
    at = _open(heads="4", dmodel="16", dhead="4")
    names = titles(at)
    assert [n for n in names if n.startswith("Weights P, head")] == [
        f"Weights P, head {h}" for h in range(1, 5)
    ]
    assert "4 heads of size d_head = 4" in _captions(at)


def test_the_heaviest_sweep_is_accepted_and_named_in_its_estimate():
    heaviest = experiment.Config(n_draws=1000, n_keys=128, max_d_k=1024)
    assert experiment.estimated_seconds(heaviest) < 10
