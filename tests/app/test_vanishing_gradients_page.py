"""The vanishing-gradients page: presets, the prediction, old links, divergence and budget messages."""

import json
import re

from tests.app.conftest import open_page, specs, titles

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Hidden layers", "depth", "Home")

PAGE = "app_pages/vanishing_gradients.py"


def _open(**kwargs):
    at = open_page(PAGE, timeout=120, **kwargs)
    assert not at.exception
    return at


def _text(at):
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_defaults_show_vanishing_and_check_the_prediction():
    at = _open(reveal=False)
    assert not at.error
    at.radio(key="predict_vanishing_gradients").set_value("within a factor of 10").run()
    assert any(w.value.startswith("Not within a factor of 10: Here") for w in at.warning)
    drawn = titles(at)
    assert drawn[0].startswith("Gradient per layer at initialization: Sigmoid, 10 hidden layers")
    marks = [layer["mark"]["type"] for layer in specs(at)[0]["layer"]]
    assert marks == ["bar", "line", "point"]  # the bars and the 1/4-per-layer bound (line, points)
    at.radio(key="predict_vanishing_gradients").set_value("over 1,000× smaller").run()
    assert any("Your prediction held" in s.value for s in at.success)
    text = _text(at)
    # the clipping comparison says what happened without and with clipping
    assert "Without clipping the run diverged at update" in text
    assert "Clipping rescued the exploding net" in text
    # issue 16: 1/4 per layer is what the derivatives allow, not a bound on the measured ratio
    assert "sits above it" in text and "allows at most" not in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["σ′(10)"] == "4.54e-05"


def test_batch_norm_rescue_preset_turns_batch_norm_on_and_drops_the_bound():
    at = _open()
    at.sidebar.button(key="preset_batch-norm-rescue").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="bn").value is True
    assert at.sidebar.slider(key="depth").value == 20
    assert titles(at)[0].endswith("20 hidden layers, batch norm")
    assert "layer" not in json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert any("Batch norm rescue" in i.value for i in at.sidebar.info)


def test_an_old_link_keeps_its_settings():
    query = {
        "act": "ReLU",
        "init": "He/Kaiming: σ² = 2 / n_in",
        "bn": "on",
        "clip": "on",
        "maxnorm": "10",
        "lr": "0.3",
        "depth": "20",
        "width": "32",
        "data": "xor",
        "heat": "‖ΔW_k‖ / ‖W_k‖ per step",
    }
    at = _open(query=query)
    assert at.sidebar.selectbox(key="act").value == "relu"
    assert at.sidebar.selectbox(key="init").value == "he"
    assert at.sidebar.radio(key="bn").value is True and at.sidebar.radio(key="clip").value is True
    assert at.sidebar.select_slider(key="maxnorm").value == 10.0
    assert at.sidebar.select_slider(key="width").value == 32
    assert at.radio(key="heat").value == "update_ratio"
    assert "Ignored" not in " ".join(c.value for c in at.sidebar.caption)
    assert (
        titles(at)[0] == "Gradient per layer at initialization: ReLU, 20 hidden layers, batch norm"
    )


def test_a_diverging_run_warns_with_the_right_cause():
    at = _open(state={"act": "relu", "init": "normal", "sigma": 1.0, "depth": 8, "lr": 1.0})
    assert not at.error
    warning = next(w.value for w in at.warning if w.value.startswith("**Diverged:**"))
    assert "already large at initialization" in warning and "shrink σ" in warning
    assert len(titles(at)) >= 3
    # He init at eta = 3: a moderate gradient, the step is to blame, not the init
    at = _open(state={"act": "relu", "init": "he", "lr": 3.0})
    warning = next(w.value for w in at.warning if w.value.startswith("**Diverged:**"))
    assert "not exploding" in warning and "shrink" not in warning


def test_over_budget_settings_explain_what_to_lower():
    at = _open(state={"depth": 50, "epochs": 150, "width": 64})
    assert at.error and "Lower 'Epochs', 'Hidden layers' or 'Units per hidden" in at.error[0].value


def test_a_typed_estimate_is_graded_within_the_stated_factor():
    at = _open(reveal=False)
    assert any("within a factor of 3 of the run's value" in c.value for c in at.caption)
    at.number_input(key="estimate_vanishing_gradients").set_value(1.0)
    at.radio(key="predict_vanishing_gradients").set_value("over 1,000× smaller").run()
    graded = next(w.value for w in at.warning if w.value.startswith("Your estimate 1;"))
    assert graded.endswith("not within a factor of 3 of the run's value, either way.")
    value = float(re.search(r"the run's value ([0-9.e+-]+):", graded).group(1))
    at.number_input(key="estimate_vanishing_gradients").set_value(2.9 * value).run()
    assert any(s.value.endswith("either way, so it counts.") for s in at.success)
    at.number_input(key="estimate_vanishing_gradients").set_value(3.1 * value).run()
    assert not any(s.value.endswith("so it counts.") for s in at.success)


def test_a_diverged_runs_loss_chart_does_not_claim_every_epoch():
    """Audit pass 41: a run that diverged (ReLU, He, η = 3: at update 5, in epoch 2 of 20) drew
    its loss curve to epoch 1 under the title "Loss while training (20 epochs of SGD)". A title
    that names a number of epochs must be the epochs the curve ran; a diverged run's names the
    update it diverged at, as the warning does."""
    from tests.app.conftest import chart_rows

    at = _open(state={"act": "relu", "init": "he", "lr": 3.0})
    warning = next(w.value for w in at.warning if w.value.startswith("**Diverged:**"))
    update = re.search(r"at update (\d+)", warning).group(1)
    (title,) = [t for t in titles(at) if str(t).startswith("Loss while training")]
    rows = [r for rows in chart_rows(at, "Loss while training").values() for r in rows]
    ran = max(int(r["epoch"]) for r in rows)
    epochs = re.search(r"\((\d+) epochs", title)
    assert epochs is None or int(epochs.group(1)) == ran, (title, ran)
    assert f"diverged at update {update} " in title, (title, warning)


def test_the_heatmap_title_says_which_epochs_it_draws():
    """Audit pass 42: at 150 epochs the heatmap "‖∂L/∂W_k‖ per layer and epoch" drew 51 of the
    run's 151 epochs (every 3rd), with nothing saying so. The title names every epoch only where
    the chart draws every epoch, and otherwise the stride it draws."""
    from tests.app.conftest import chart_rows

    for epochs, drawn_all in ((150, False), (20, True)):
        at = _open(query={"epochs": str(epochs)})
        heat = [t for t in titles(at) if str(t).startswith("‖∂L/∂W_k‖ per layer")]
        assert len(heat) == 1, titles(at)
        title = heat[0]["text"] if isinstance(heat[0], dict) else heat[0]
        rows = next(iter(chart_rows(at, title).values()))
        shown = sorted({r["epoch"] for r in rows})
        assert (shown == list(range(epochs + 1))) == drawn_all, shown
        assert ("per layer and epoch" in title) == drawn_all, title
        if not drawn_all:
            stride = shown[1] - shown[0]
            assert shown == sorted(set(range(0, epochs + 1, stride)) | {epochs}), shown
            assert f"every {dict({2: '2nd', 3: '3rd'}).get(stride, f'{stride}th')} epoch" in title


def test_the_bound_caption_does_not_put_bars_above_the_line_down_to_large_weights():
    """Audit pass 43 (d): sigmoid, LeCun, depth 1, width 4, moons, seed 388: layer 1's bar
    (0.0250) sits above the dashed ¼ line (0.0201) while W₂'s spectral norm is 0.38, and the
    caption said the bars sit above it for "(large weights)". ∂L/∂W = aᵀδ: the layer inputs
    multiply in too (here the data against layer 1's sigmoid outputs near ½)."""
    import numpy as np

    from core import mlp
    from core.data import make_classification_2d
    from core.experiments import vanishing_gradients as vg

    config = vg.Config(depth=1, width=4, init="lecun", dataset="moons", seed=388, epochs=1)
    ds = make_classification_2d("moons", n_samples=vg.N_SAMPLES, noise=0.2, seed=388)
    params = mlp.init_params((2, 4, 1), init="lecun", sigma=config.sigma, seed=388)
    at = vg.diagnose_at_init(params, ds.X_train, ds.y_train[:, None], activation="sigmoid")
    bar, last = at["grad_norm"].to_numpy()
    assert bar > 0.25 * last and np.linalg.norm(params["W2"], 2) < 1  # above, small weights
    at = _open(query={"depth": "1", "width": "4", "init": "lecun", "seed": "388", "epochs": "1"})
    caption = next(c.value for c in at.caption if "dashed line" in c.value)
    assert "(large weights)" not in caption and "layer inputs" in caption, caption


def test_the_saturated_heatmap_says_it_counts_unit_example_pairs():
    """Audit pass 46: the heatmap's help said "the share of saturated (or inactive) units" of a
    share of (unit, example) pairs: at the ReLU + He preset layer 1 prints 0.563 at epoch 0
    where no unit of layer 1 is off on every example. Where the two shares differ, the help
    names the pairs."""
    from core.experiments import vanishing_gradients as vg
    from ui.charts import architecture as charts

    config = vg.Config(activation="relu", depth=20, init="he")
    first = vg.run(config).at_init.iloc[0]
    assert first["saturated"] > 0.5 and first["dead"] == 0  # the two shares differ here
    label = charts.METRICS["saturated"][0]
    at = _open(query={"act": "ReLU", "depth": "20", "init": "He/Kaiming: σ² = 2 / n_in"})
    at.radio(key="heat").set_value("saturated").run()
    assert not at.exception
    help_text = at.radio(key="heat").help
    assert "(unit, example) pairs" in help_text
    assert "saturated (or inactive) units" not in help_text
    assert any(str(t).startswith(label) for t in titles(at)), titles(at)


def test_an_estimate_is_not_graded_against_a_ratio_that_is_float64s_zero():
    """Audit pass 46: at tanh, N(0, 10²), depth 50, width 4 the answer says ‖∂L/∂W₁‖ = 0 is
    float64's value, "not known to be 0"; the estimate was graded against that 0 (a typed 0
    counted "within a factor of 3", a typed 1e-30 did not). No typed number is graded there."""
    query = {"act": "Tanh", "init": "normal N(0, σ²), σ below", "sigma": "10"}
    query |= {"depth": "50", "width": "4", "epochs": "1"}
    at = _open(query=query, reveal=False)
    for typed in (0.0, 1e-30):
        at.number_input(key="estimate_vanishing_gradients").set_value(typed)
        at.radio(key="predict_vanishing_gradients").set_value("over 1,000× smaller").run()
        assert not at.exception
        answer = " ".join(s.value for s in at.success)
        assert "not known to be 0" in answer, answer
        graded = [m.value for m in (*at.success, *at.warning, *at.info)]
        assert not any(v.startswith("Your estimate") for v in graded), graded


def test_the_sigma_help_names_batch_norm_where_its_claims_fail():
    """Audit pass 47 c: the σ slider's help said "Small σ shrinks a tanh or ReLU net's signal
    layer after layer" with no condition, yet with batch norm on (ReLU, N(0, 0.01²), depth 10,
    width 16) the page says the output spread grew about ×1.02 per layer: batch norm
    re-standardizes each pre-activation. Every claim of the help about σ's effect on the signal
    is now said of a net without batch norm."""
    from core.experiments import vanishing_gradients as experiment

    config = experiment.Config(
        activation="relu", init="normal", sigma=0.01, batch_norm=True, epochs=1
    )
    claims = {f.claim for f in experiment.facts(config, experiment.run(config))}
    assert "signal_grows" in claims  # the witness: with batch norm, a small σ did not shrink it
    at = _open(query={"act": "ReLU", "init": "normal N(0, σ²), σ below", "sigma": "0.01"})
    help_text = next(s for s in at.sidebar.select_slider if s.key == "sigma").help
    for claim in ("shrinks", "saturates", "grows"):
        before = help_text[: help_text.index(claim)]
        assert "Without batch norm" in before, claim


def test_a_link_spelling_a_flag_by_its_value_is_read():
    """Audit pass 54 (e): ?bn=True and ?clip=true were refused as "“Batch normalization” can't
    be True" and ran with batch norm off, where the radio offers on (True) and the page's own
    links spell it ?bn=on."""
    at = _open(query={"bn": "True", "clip": "true", "depth": "5", "epochs": "2"})
    assert not any("could not use" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.sidebar.radio(key="bn").value is True and at.sidebar.radio(key="clip").value is True
    assert titles(at)[0].endswith("5 hidden layers, batch norm")
    at = _open(query={"bn": "false", "depth": "5", "epochs": "2"})
    assert not any("could not use" in w.value for w in at.warning)
    assert at.sidebar.radio(key="bn").value is False
    # and as 1 or 0, as links commonly spell a flag (?bn=1 was refused; noticed in pass 54 e)
    at = _open(query={"bn": "1", "clip": "0", "depth": "5", "epochs": "2"})
    assert not any("could not use" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.sidebar.radio(key="bn").value is True and at.sidebar.radio(key="clip").value is False


def _drawn_titles(**query):
    at = _open(query=query)
    return [t.get("text") if isinstance(t, dict) else t for t in titles(at)]


def test_one_hidden_layer_is_not_named_in_the_plural():
    """?depth=1: the gradient chart's title said "Sigmoid, 1 hidden layers" (audit pass 56 c)."""
    drawn = _drawn_titles(depth="1", epochs="1")
    assert "Gradient per layer at initialization: Sigmoid, 1 hidden layer" in drawn, drawn


def test_one_epoch_is_not_named_in_the_plural():
    """?epochs=1: the loss chart's title said "Loss while training (1 epochs of SGD)" (audit
    pass 56 c)."""
    drawn = _drawn_titles(depth="1", epochs="1")
    assert "Loss while training (1 epoch of SGD)" in drawn, drawn


def test_the_depth_sweep_caption_does_not_call_a_batch_of_64_of_140_points_full():
    """Audit pass 59 (e): at the defaults the depth sweep's caption said "a full-batch step on
    the first 64 training points" of the 140: a step on a batch of 64, not on the full batch."""
    from core.experiments import vanishing_gradients as vg

    text = _text(_open())
    assert "full-batch step on the first" not in text
    assert f"one fixed batch, the first {vg.SWEEP_ROWS} of the {vg.N_TRAIN} training points" in text


def test_the_heatmap_says_which_cells_of_0_its_log_scale_leaves_blank():
    """Audit pass 61 (c): ReLU + He, width 4, depth 10, η = 3, 10 epochs: 110 of the 121
    gradient cells are exactly 0, which the log colour scale cannot place; the chart drew 11
    under "‖∂L/∂W_k‖ per layer and epoch" with nothing saying the rest were left out."""
    from tests.app.conftest import chart_rows

    at = _open(
        query={"act": "relu", "init": "he", "width": "4", "depth": "10", "lr": "3", "epochs": "10"}
    )
    heat = [t for t in titles(at) if str(t).startswith("‖∂L/∂W_k‖ per layer")]
    assert len(heat) == 1, titles(at)
    title = heat[0]["text"] if isinstance(heat[0], dict) else heat[0]
    title = " ".join(title) if isinstance(title, list) else title
    assert "110 cells of exactly 0 left blank" in title, title
    rows = next(
        iter(chart_rows(at, heat[0]["text"] if isinstance(heat[0], dict) else heat[0]).values())
    )
    assert len(rows) == 11, len(rows)


def test_the_sigma_help_says_small_against_the_width():
    """Audit pass 63 d: the σ help said "a small σ shrinks a tanh or ReLU net's signal layer
    after layer", small against nothing; at ReLU, N(0, 0.3²), width 64 (σ = 0.3 of a slider from
    0.001 to 10, under the default 1) the page says the signal grew, as it must above He's
    √(2/64) = 0.18. The help names the σ below which each shrinks."""
    from core.experiments import vanishing_gradients as experiment

    config = experiment.Config(activation="relu", init="normal", sigma=0.3, width=64, epochs=1)
    claims = {f.claim for f in experiment.facts(config, experiment.run(config))}
    assert "signal_grows" in claims
    at = _open(query={"act": "ReLU", "init": "normal N(0, σ²), σ below", "sigma": "0.3"})
    help_text = next(s for s in at.sidebar.select_slider if s.key == "sigma").help
    assert "small σ shrinks" not in help_text, help_text
    assert "1/√n" in help_text and "√(2/n)" in help_text, help_text


def test_a_refused_on_off_link_names_what_the_radio_offers():
    """Audit pass 70 g: ?bn=maybe said only "“Batch normalization” can't be maybe", where a
    slider's refusal names its range; the on/off radios now name their options."""
    at = open_page(PAGE, query={"bn": "maybe", "clip": "2"}, timeout=240)
    (warning,) = [w.proto.body for w in at.warning if "could not use" in w.proto.body]
    assert "“Batch normalization” can't be maybe (it offers off, on)" in warning, warning
    assert "“Gradient clipping” can't be 2 (it offers off, on)" in warning, warning
