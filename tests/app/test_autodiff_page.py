"""The autodiff page: presets, typed losses from the box or a link, errors as messages, the kink."""

import re

import pytest

from core.experiments import autodiff as ad
from tests.app.conftest import open_page, specs, titles
from tests.ui.specs import joined_title, title_text
from ui.text import plain

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Prediction ŷ (y_pred)", "yp", "End")

PAGE = "app_pages/autodiff.py"


def _open(query=None, reveal=True):
    at = open_page(PAGE, query=query, reveal=reveal)
    assert not at.exception
    return at


def _text(at):
    return " ".join(m.value for m in at.markdown)


def _config(at):
    (run,) = at.session_state["_lab_run"]["experiments"]
    return run[1]


def test_preset_sets_the_whole_config_and_the_page_reads_it_back():
    at = _open()
    at.sidebar.button(key="preset_huber").click().run()
    assert not at.exception
    assert at.text_input(key="loss").value == ad.EXPRESSIONS["Huber"][0]
    assert any(r"\delta" in formula.value for formula in at.latex)
    assert _config(at) == ad.PRESETS["Huber"].config
    assert "nearer the clean slope" in _text(at)


def test_an_old_preset_link_still_opens_its_loss():
    at = _open({"preset": "mae"})
    assert at.text_input(key="loss").value == ad.EXPRESSIONS["MAE"][0]
    assert "kink" in _text(at)


def test_every_old_url_key_and_value_still_works():
    query = {
        "loss": "mean(abs(y_pred - y_true))",
        "delta": "2.0",
        "tau": "0.25",
        "gamma": "1.5",
        "yp": "0.3",
        "yt": "-0.5",
        "h": "1e-03",
        "data": "classification",
        "outliers": "off",
        "lr": "0.01",
        "steps": "100",
        "act": "tanh",
        "kink": "placed at exactly 0",
        "seed": "3",
    }
    at = _open(query)
    assert not at.warning or all("could not use" not in w.value for w in at.warning)
    config = _config(at)
    assert config == ad.Config(
        expression="mean(abs(y_pred - y_true))",
        delta=2.0,
        tau=0.25,
        gamma=1.5,
        y_pred=0.3,
        y_true=-0.5,
        h=1e-3,
        data="classification",
        outliers=False,
        learning_rate=0.01,
        steps=100,
        activation="tanh",
        on_kink=True,
        seed=3,
    )


def test_bad_input_shows_the_message_and_the_column_not_a_traceback():
    at = _open()
    at.text_input(key="loss").input("mean(y_pred.__class__)").run()
    assert not at.exception
    assert at.error and "column 12" in at.error[0].value and "attribute" in at.error[0].value
    assert "^" in at.main.code[0].value  # a caret under the offending character
    assert not at.get("vega_lite_chart")
    # the page's tools stay: the learner can share, reset or undo the text
    assert any(b.label == "Reset to defaults" for b in at.sidebar.button)


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [("y_pred*y_true*2", "mean(y_pred*y_true*2)"), ("mean(__init__)", "'__init__'")],
)
def test_messages_quote_the_typed_text_as_written(typed, quoted):
    at = _open()
    at.text_input(key="loss").input(typed).run()
    assert not at.exception
    assert plain(quoted) in at.error[0].value  # markdown shows it as typed, not as italics


def test_an_undefined_point_warns_and_the_page_still_draws():
    at = _open({"loss": "mean(log(y_pred))", "yp": "-1.0"})
    assert any("Undefined" in w.value and "log" in w.value for w in at.warning)
    assert len(at.get("vega_lite_chart")) >= 3


def test_prediction_is_checked_against_the_run_and_the_kink_breaks_the_check():
    at = _open(reveal=False)
    assert not at.get("vega_lite_chart")  # nothing shown before the learner commits
    at.radio(key="predict_autodiff").set_value("keeps shrinking").run()
    assert any("Not keeps shrinking" in w.value for w in at.warning)
    at.radio(key="predict_autodiff").set_value("shrinks, then grows").run()
    assert any("Your prediction held" in s.value for s in at.success)
    assert "Every weight tensor passes" in _text(at)
    at.sidebar.radio(key="kink").set_value(True).run()
    assert not at.exception
    assert "fail the check" in _text(at) and "placed on the kink" in _text(at)


def test_a_shared_link_carries_the_typed_loss():
    at = _open({"loss": "mean(abs(y_pred - y_true))"})
    assert at.text_input(key="loss").value == "mean(abs(y_pred - y_true))"
    assert any(r"\left|" in formula.value for formula in at.latex)
    assert not at.error


def test_chart_titles_are_short_and_claim_nothing():
    at = _open()
    assert len(specs(at)) == 4
    for title in titles(at):
        text = title if isinstance(title, str) else title["text"]
        assert len(text) <= 45, text


def test_the_curve_caption_sets_no_step_above_which_round_off_cannot_show():
    """Audit pass 40: the curve chart's caption said "at h = 1e-12 or below, round-off noise can
    show"; with L of order 1e6 (the MSE plus 1e6) at h = 1e-10 the curve sentence says both
    differences are visibly off, by up to 1.12 against 20, all round-off: how small h must be
    depends on ε·(|L| + |ŷ|·|L′|)/h against the chart's scale, not on a fixed step."""
    at = _open({"loss": "mean((y_pred - y_true)**2) + 1e6", "h": "1e-10"})
    captions = [c.value for c in at.caption]
    assert any("visibly off the exact derivative" in c for c in captions)  # round-off shows
    (caption,) = [c for c in captions if c.startswith("For a small h where the loss is smooth")]
    for step in re.findall(r"at h = (\S+) or below", caption):
        assert float(step) >= 1e-10, caption  # no stated threshold below a step where it shows


def test_the_metric_prints_the_derivative_as_the_sentence_does():
    """Audit pass 41 (b): the focal loss at γ = 3.5, ŷ = 2.9, y = −4.5 has ∂L/∂ŷ =
    10.00000000024683; the metric printed "10.00000000025" (which a reader rounds to
    10.0000000003) beside the sentence's "∂L/∂ŷ = 10.0000000002"."""
    from decimal import Decimal

    from core.facts import agrees

    at = open_page(
        "app_pages/autodiff.py",
        query={"loss": ad.EXPRESSIONS["Focal"][0], "gamma": "3.5", "yp": "2.9", "yt": "-4.5"},
    )
    (metric,) = [m for m in at.metric if m.label.startswith("∂L/∂ŷ by reverse-mode")]
    said = next(
        re.search(r"∂L/∂ŷ = (\S+?)\.(?:\s|$)", md.value).group(1)
        for md in at.markdown
        if "reverse-mode autodiff gives" in md.value
    )
    assert agrees(said, Decimal(metric.value)), (metric.value, said)


def test_a_gap_from_a_wrong_autodiff_value_is_not_a_metric_error():
    """relu(r) - relu(-r) at r = 0: L' = 1, autodiff 0 (relu'(0) = 0), both differences 1; the
    metrics said "error 1.0e+00" under differences that are right (audit pass 43 b)."""
    at = _open(
        {"loss": "mean(relu(y_pred - y_true) - relu(y_true - y_pred))", "yp": "0", "yt": "0"}
    )
    deltas = [m.delta for m in at.metric if m.delta]
    assert len(deltas) == 2 and not any(d.startswith("error") for d in deltas), deltas


def test_autodiffs_convention_on_a_kink_is_no_metric_derivative():
    """Preset MAE: the metric "∂L/∂ŷ by reverse-mode autodiff" showed 0 where L has no
    derivative, and the differences' deltas "error 1.0e+00" and "error 0" (audit pass 43 b)."""
    at = _open({"preset": "mae"})
    labels = [m.label for m in at.metric]
    assert not any(label.startswith("∂L/∂ŷ") for label in labels), labels
    deltas = [m.delta for m in at.metric if m.delta]
    assert deltas and not any(d.startswith("error") for d in deltas), deltas


@pytest.mark.parametrize(
    "query",
    [
        # autodiff is the one off: L = r, slope 1 on both sides, autodiff's convention 0
        {"loss": "mean(relu(y_pred - y_true) - relu(y_true - y_pred))", "yp": "0.0", "yt": "0.0"},
        {"preset": "mae"},  # on MAE's kink: L has no derivative
    ],
)
def test_the_error_charts_gap_from_a_convention_is_not_called_an_error(query):
    """Audit pass 45 c #4: where autodiff's value is a kink convention, the error chart's
    tooltips read "error 1.00e+00" under "Finite-difference error against the step h" for a
    central difference that is exact (L = r at r = 0) or for a point where L has no derivative,
    beside sentences and metrics that call it a gap from autodiff's value."""
    import json

    at = _open(query)
    assert ad.convention_here(ad.run(_config(at)))
    (spec,) = [
        s for s in specs(at) if "against the step h" in json.dumps(joined_title(s.get("title")))
    ]
    assert "error" not in json.dumps(joined_title(spec["title"]))
    tips = [
        t
        for layer in spec["layer"]
        for t in layer.get("encoding", {}).get("tooltip", [])
        if t.get("field") == "measured_text"
    ]
    assert tips and all("error" not in t.get("title", "") for t in tips)


def _graph(at) -> str:
    (graph,) = at.get("graphviz_chart")
    return graph.proto.spec


@pytest.mark.parametrize(
    "query",
    [
        # autodiff is the one off: L = r, slope 1 on both sides, autodiff's convention 0
        {"loss": "mean(relu(y_pred - y_true) - relu(y_true - y_pred))", "yp": "0.0", "yt": "0.0"},
        {"preset": "mae"},  # on MAE's kink: L has no derivative
    ],
)
def test_the_graph_calls_no_kink_convention_a_derivative(query):
    """Audit pass 46 c #1: where autodiff's value at y_pred is a kink convention, the computation
    graph's y_pred box read "∂L/∂· = 0" under a caption "Backward pass: ∂L/∂node" (preset MAE,
    where L has no derivative; L = relu(r) − relu(−r) at r = 0, where L′ = 1), beside a metric
    that calls the same 0 "a kink convention here"."""
    at = _open(query)
    result = ad.run(_config(at))
    assert ad.convention_here(result) and result.point["exact"] == 0
    dot = _graph(at)
    y_pred = next(line for line in dot.splitlines() if 'label="y_pred' in line)
    assert "∂L/∂" not in y_pred, y_pred
    captions = " ".join(c.value for c in at.caption)
    assert "computation graph" in captions and "∂L/∂node, from" not in captions
    assert "convention" in captions


def test_the_graph_names_derivatives_where_autodiff_gives_them():
    """The other side of audit pass 46 c #1: off any kink the boxes print ∂L/∂·."""
    at = _open()
    assert not ad.convention_here(ad.run(_config(at)))
    assert "∂L/∂· = " in _graph(at)


def test_a_model_whose_training_stopped_is_not_called_fitted():
    """Audit pass 46 c #3: mean(log(y_pred)) at ŷ = 0.05 stops training with your loss at step 0
    (log of a negative prediction), yet the chart drew its line at the starting weights under
    "ŷ = w x + b, fitted with two losses" and the legend "trained with: your loss"."""
    import json

    at = _open({"loss": "mean(log(y_pred))", "yp": "0.05"})
    summary = ad.run(_config(at)).fit_summary.set_index("model")
    assert summary.loc["your loss", "stopped_reason"] and summary.loc["your loss", "steps"] == 0
    (spec,) = [
        s
        for s in specs(at)
        if "w x + b" in json.dumps(joined_title(s.get("title")), ensure_ascii=False)
    ]
    title = title_text(spec)
    assert "fitted with two losses" not in title and "stopped" in title, title
    assert len(title) <= 45
    domains = [
        d
        for layer in spec["layer"]
        for d in [layer.get("encoding", {}).get("color", {}).get("scale", {}).get("domain")]
        if d
    ]
    assert ["your loss (stopped at step 0)", "mse"] in domains, domains


def test_fitted_models_are_called_fitted():
    """The other side of audit pass 46 c #3: both trainings ran to the end."""
    import json

    at = _open()
    (spec,) = [
        s
        for s in specs(at)
        if "w x + b" in json.dumps(joined_title(s.get("title")), ensure_ascii=False)
    ]
    assert "fitted with two losses" in json.dumps(joined_title(spec["title"]), ensure_ascii=False)


@pytest.mark.parametrize(("spelled", "h"), [("1e-5", 1e-5), ("0.1", 0.1), ("1e-6", 1e-6)])
def test_a_link_may_spell_the_step_h_as_any_number(spelled, h):
    """Audit pass 51 b: ?h=1e-5 read "“Finite-difference step h (log scale)” can't be 1e-5"
    where 1e-5 is the slider's default (it spells it "1e-05"), and ?h=0.1 ran h = 1e-05 under
    "can't be 0.1" though the slider offers 0.1 ("1e-01"): a link's value that is one of the
    slider's options in another spelling is that option."""
    at = _open({"h": spelled})
    assert not at.exception
    assert not any("could not use" in w.value for w in at.warning)
    assert at.sidebar.select_slider(key="h").value == h
    label = next(m.label for m in at.metric if m.label.startswith("Forward difference"))
    assert float(label.split("h = ")[1]) == h
    share = next(c.value for c in at.code if "?" in c.value)
    assert ("h=" in share) == (h != ad.Config().h)  # the default stays out of the link


def test_a_line_adam_never_moved_is_not_called_fitted():
    """Audit pass 52 a: 1e160 × mse overflows Adam's v̂, so every step is 0 and the line with
    your loss never leaves its start ("Adam never moved the model trained with your loss from its
    starting weights"), yet the chart was titled "ŷ = w x + b, fitted with two losses"."""
    import json

    at = _open({"loss": "mean((y_pred - y_true)**2)*1e160"})
    result = ad.run(_config(at))
    summary = result.fit_summary.set_index("model")
    assert not summary.loc["your loss", "stopped_reason"]  # it ran every step, at its start
    assert any("never moved" in m.value for m in at.markdown)
    (spec,) = [
        s
        for s in specs(at)
        if "w x + b" in json.dumps(joined_title(s.get("title")), ensure_ascii=False)
    ]
    title = title_text(spec)
    assert "fitted with two losses" not in title and "never moved" in title, title
    assert len(title) <= 45


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [({"kink": "true"}, "on_kink", True), ({"outliers": "false"}, "outliers", False)],
)
def test_a_link_may_spell_a_flag_choice_as_a_toggle_link_does(query, field, value):
    """Audit pass 52 a: ?kink=true said "“Pre-activation on the kink” can't be true" and
    ?outliers=false "“Outliers” can't be false", where ?kink=True, ?outliers=False and the
    attention page's toggle link ?causal=true are read."""
    at = _open(query)
    assert not at.warning, [w.value for w in at.warning]
    assert getattr(_config(at), field) is value


@pytest.mark.parametrize(("spelled", "h"), [("0.1", 0.1), ("1e-1", 0.1), ("1e-6", 1e-6)])
def test_a_link_with_a_preset_may_spell_the_step_h_as_any_number(spelled, h):
    """Audit pass 53 b: ?preset=near-a-kink&h=0.1 said "This link asked for settings the page
    could not use, so it shows the preset's values instead: “Finite-difference step h (log
    scale)” can't be 0.1" and ran the preset's h = 1e-05, though the slider offers 0.1 and ?h=0.1
    alone (and ?preset=near-a-kink&yp=0.1) are read: the preset's values give way to the link's
    other values in any spelling, as they do in the slider's own."""
    at = _open({"preset": "near-a-kink", "h": spelled})
    assert not any("could not use" in w.value for w in at.warning), [w.value for w in at.warning]
    config = _config(at)
    assert config.h == h
    preset = ad.PRESETS["Near a kink"].config
    assert (config.expression, config.y_pred) == (preset.expression, preset.y_pred)
    label = next(m.label for m in at.metric if m.label.startswith("Forward difference"))
    assert float(label.split("h = ")[1]) == h


def test_negative_metrics_and_sentences_print_the_minus_sign():
    """Audit pass 56 b: at the Focal preset (ŷ = −1, y = 1) the metric "∂L/∂ŷ by reverse-mode
    autodiff" read "-0.7682347231993" and the point sentence "∂L/∂ŷ = -0.7682347", under the preset
    hint's "σ(−margin)"; at the MAE preset the kink sentence's "from -1 on the left" sat under the
    hint's "from −1 to 1". Metrics, sentences, captions and the curve chart's title print "−"."""
    hyphen = re.compile(r"(?<![\w.)\]])-(?=\.?\d|∞)")
    for preset in ("focal", "mae"):
        at = _open({"preset": preset})
        shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
        shown += [w.value for w in at.warning] + [m.value for m in at.metric]
        shown += [m.label for m in at.metric] + titles(at)
        for text in shown:
            assert not hyphen.search(str(text)), (preset, text)
    (metric,) = [m for m in _open({"preset": "focal"}).metric if m.label.startswith("∂L/∂ŷ")]
    assert metric.value.startswith("−0.768234723")


def test_a_smooth_activations_zero_pre_activation_is_not_called_a_kink():
    """Audit pass 58 b: at ?act=tanh&kink=1 the sidebar read "Pre-activation on the kink" for a
    unit of tanh, which has none (nor have sigmoid and gelu); the control says where it puts the
    input (at 0) and for which activations that is a kink."""
    at = _open({"act": "tanh", "kink": "1"})
    (radio,) = [r for r in at.sidebar.radio if r.key == "kink"]
    assert _config(at).on_kink is True and _config(at).activation == "tanh"
    assert "kink" not in radio.label, radio.label
    assert "tanh, sigmoid and gelu are smooth there" in radio.help
