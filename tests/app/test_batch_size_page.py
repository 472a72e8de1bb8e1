"""The batch-size page: old links, per-run selection, the prediction, presets, divergence and refusals."""

import re
from decimal import Decimal

from core.experiments import batch_size as bs
from core.facts import agrees, read
from tests.app.conftest import chart_rows, open_page, specs, titles
from ui.charts.training import BATCH_SIZE_COLORS
from ui.controls import slug

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Epochs", "epochs", "Home")

PAGE = "app_pages/batch_size.py"


def _open(query=None, reveal=True, **state):
    """The page with few epochs (quick), opened by a link with ``query``."""
    at = open_page(PAGE, query={"epochs": "4", **(query or {})}, state=state, reveal=reveal)
    assert not at.exception
    return at


def _markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_old_links_keep_their_keys_and_values():
    """A link made before the page was converted: the same keys, the same spelled values."""
    at = _open(
        {
            "bs": ["B = 8", "full batch"],
            "opt": "momentum 0.9",
            "scale": "linear η·B/32",
            "lr": "0.03",
            "width": "16",
            "depth": "1",
            "data": "circles",
            "n": "500",
            "noise": "0.3",
            "seed": "4",
            "xaxis": "updates",
            "split": "test set",
            "epochs": "3",
        }
    )
    assert not at.error and not at.warning
    values = {
        w.key: w.value
        for w in [*at.sidebar.slider, *at.sidebar.select_slider, *at.sidebar.selectbox]
    }
    assert values == {
        "n": 500,
        "noise": 0.3,
        "depth": 1,
        "epochs": 3,
        "width": 16,
        "lr": 0.03,
        "data": "circles",
    }
    assert at.sidebar.radio(key="opt").value == "momentum"
    assert at.sidebar.radio(key="scale").value == "linear"
    assert at.sidebar.number_input(key="seed").value == 4
    assert at.button_group(key="bs").value == ["8", "full"]
    assert (at.radio(key="xaxis").value, at.radio(key="split").value) == ("updates", "test")
    assert "Test set loss by batch size" in titles(at)


def test_deselected_batch_sizes_leave_the_chart_and_colors_stay_fixed():
    at = _open()
    at.button_group(key="bs").set_value(["32", "full"]).run()
    assert not at.exception
    scale = specs(at)[0]["encoding"]["color"]["scale"]
    assert scale["domain"][0] == "32" and scale["domain"][1].startswith("full")
    assert scale["range"] == [BATCH_SIZE_COLORS["32"], BATCH_SIZE_COLORS["full"]]
    at.button_group(key="bs").set_value([]).run()
    assert not at.exception
    assert at.error and "Select at least one batch size" in at.error[0].value
    assert "'Batch sizes to train'" in at.error[0].value


def test_the_prediction_waits_and_is_checked_against_the_run():
    at = _open(reveal=False)
    assert not at.get("vega_lite_chart")  # the result stays hidden until a choice
    at.radio(key="predict_batch_size").set_value("full batch").run()
    assert not at.exception
    # same eta, same epochs: the run with the most updates gets furthest
    assert any(w.value.startswith("Not full batch:") and "**B = 1**" in w.value for w in at.warning)
    at.radio(key="predict_batch_size").set_value("B = 1").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_a_prediction_of_either_run_tied_at_the_lowest_loss_holds():
    # audit pass 51 c: B = 1 and B = 32 both end at a training loss of 0 in float64; the page
    # answered "Not B = 32: **B = 1** ended with the lowest training loss of the three"
    query = {
        "data": "gaussians",
        "noise": "0",
        "width": "64",
        "depth": "2",
        "opt": "Adam",
        "lr": "1",
        "epochs": "1",
        "bs": ["B = 1", "B = 32", "full batch"],
    }
    at = open_page(PAGE, query=query, reveal=False)
    assert not at.exception
    for choice in ("B = 1", "B = 32"):
        at.radio(key="predict_batch_size").set_value(choice).run()
        assert any("Your prediction held" in s.value for s in at.success), choice
        assert not any(w.value.startswith("Not ") for w in at.warning), choice
    at.radio(key="predict_batch_size").set_value("full batch").run()
    (warning,) = [w.value for w in at.warning if w.value.startswith("Not full batch:")]
    assert "**B = 1** and **B = 32** tie at the lowest" in warning, warning


def test_linear_scaling_preset_sets_every_control_and_the_text_follows():
    at = _open({"opt": "Adam", "n": "1000"})
    at.sidebar.button(key=f"preset_{slug('Linear scaling rule')}").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="scale").value == "linear"
    # a preset is a whole Config: the leftover Adam and n = 1000 are gone
    assert at.sidebar.radio(key="opt").value == "gd"
    assert at.sidebar.slider(key="n").value == 400
    assert "With the linear scaling rule, the final training losses" in _markdown(at)
    assert any("Linear scaling rule:" in i.value for i in at.sidebar.info)
    # the hint goes once the settings are no longer the preset's
    at.sidebar.radio(key="opt").set_value("adam").run()
    assert not any("Linear scaling rule:" in i.value for i in at.sidebar.info)


def test_scaling_too_far_warns_with_each_runs_own_learning_rate():
    at = _open({"preset": slug("Scaling too far")})
    assert any("Diverged: B = 256 (η = 8)" in w.value for w in at.warning)
    assert any("B = full (280) ended above where it started" in w.value for w in at.warning)
    assert len(specs(at)) >= 3
    recipe = _markdown(at)
    assert "B = 256 (η = 8) diverged" in recipe
    assert ":material/check_circle: **Scale the learning rate" not in recipe


def test_the_recipe_marks_follow_the_run():
    at = _open({"preset": slug("Adam with the linear rule")})
    text = _markdown(at)
    assert ":material/warning: **Scale the learning rate with the batch** (linear rule)" in text
    assert "for Adam a √ rule" in text


def test_the_noise_and_memory_captions_use_the_finite_population_formula():
    at = _open()
    captions = " ".join(c.value for c in at.caption)
    assert (
        "gives −1.055 over the same B" in captions
    )  # at the SE's decimals (audit pass 62 e; ± 0.015)
    assert "= 6.00 at n = 280" in captions
    assert "Forward cache of this net" in captions and "1,048·B bytes" in captions
    memory = next(s for s in specs(at) if "memory" in str(s.get("title")))
    layers = memory["layer"]
    ticks = next(
        layer["encoding"]["x"]["axis"]["values"]
        for layer in layers
        if "axis" in layer["encoding"].get("x", {})
    )
    assert ticks == [1, 8, 32, 64, 128, 256]


def test_over_budget_settings_say_what_to_lower(monkeypatch):
    # every slider setting fits the shared budget; a smaller one shows how a refusal reads
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", 1.0)
    at = _open({"epochs": "40", "n": "1000"})
    # only the moves enough alone are named: fewer examples alone, or only the three batch
    # sizes the prediction always trains, leave more than 1 s
    assert at.error and at.error[0].value.endswith("Lower 'Epochs'."), at.error[0].value
    assert not at.get("vega_lite_chart")


def test_every_preset_opens_from_its_link():
    for name in bs.PRESETS:
        at = open_page(PAGE, query={"preset": slug(name)})
        assert not at.exception and not at.error
        assert any(f"{name}:" in i.value for i in at.sidebar.info)


def test_reset_returns_the_sliders_and_the_pills_to_their_defaults():
    at = _open({"bs": ["B = 8"], "opt": "Adam"})
    at.sidebar.slider(key="noise").set_value(0.5).run()
    at.sidebar.button(key="_lab_reset").click().run()
    assert not at.exception
    assert at.sidebar.slider(key="noise").value == 0.25
    assert at.sidebar.radio(key="opt").value == "gd"
    assert at.button_group(key="bs").value == list(bs.BATCH_KEYS)


def test_the_loss_tooltips_round_to_the_losses_the_sentences_print():
    """Audit pass 39 (o): on the default page the answer and the loss spread printed the full
    batch's final training loss as 0.372 while the loss curves' tooltip at epoch 20 printed
    0.3725, which a reader rounds to 0.373: two values for one loss. Every final loss a sentence
    prints is what its tooltip text rounds to."""
    at = open_page("app_pages/batch_size.py", timeout=300)
    assert not at.exception
    texts = [e.value for e in at.info] + [m.value for m in at.markdown]
    printed = [
        (label, value)
        for text in texts
        for label, value in re.findall(r"B = ([\w() ]+?): (\d\.\d+)", text)
        + [(b, v) for v, b in re.findall(r"(\d\.\d+) at B = ([\w() ]+?)(?: to|\.)", text)]
    ]
    assert printed  # the answer and the loss spread
    rows = [
        r for rows in chart_rows(at, "Training set loss").values() for r in rows if "label" in r
    ]
    final = {}
    for r in rows:
        if r["label"] not in final or r["epoch"] > final[r["label"]]["epoch"]:
            final[r["label"]] = r
    for label, value in printed:
        tooltip = final[label]["train_loss_text"]
        short, long = sorted((value, tooltip), key=len)
        assert agrees(short, Decimal(long)), (label, value, tooltip)


def test_the_recipes_largest_gap_reads_as_the_accuracy_dumbbells_gap():
    """Audit pass 39 (v): at n = 700, seed 1, width 8, one hidden layer and 3 epochs the recipe said
    "The largest train–test accuracy gap is +7.3 points, at B = full (490)" while the accuracy
    dumbbell's tooltip for that run printed 58.78 % and 51.43 %, a gap of 7.35 points, which a
    reader rounds to 7.4 (288 of 490 and 108 of 210 are 7.3469 points apart). The recipe's gap
    and each named run's tooltip gap are one value: the longer rounds to the shorter."""
    at = open_page(
        "app_pages/batch_size.py",
        query={"n": "700", "seed": "1", "width": "8", "depth": "1", "epochs": "3"},
        timeout=300,
    )
    assert not at.exception
    recipe = next(m.value for m in at.markdown if "largest train–test accuracy gap" in m.value)
    gap, named = re.search(r"gap is \+([\d.]+) points, at (.+)\.$", recipe).groups()
    rows = [
        r
        for rows in chart_rows(at, "Final accuracy").values()
        for r in rows
        if "gap_text" in r and r["label"] in named
    ]
    assert rows
    for r in rows:
        tooltip = str(-read(r["gap_text"].split()[0]))
        short, long = sorted((gap, tooltip), key=len)
        assert agrees(short, Decimal(long)), (recipe, r)


def _final_texts(at, title: str, column: str) -> dict[str, str]:
    rows = [r for rows in chart_rows(at, title).values() for r in rows if "label" in r]
    final = {}
    for r in rows:
        if r["label"] not in final or r["epoch"] > final[r["label"]]["epoch"]:
            final[r["label"]] = r
    return {label: r[column] for label, r in final.items()}


def test_the_gap_bars_print_the_difference_of_the_printed_final_losses():
    """Audit pass 39 (v): at preset "Linear scaling rule" B = 8's final losses print 0.3008
    (training, its loss curve's tooltip) and 0.2651 (test), 0.0357 apart, while the
    generalization-gap bar's tooltip printed −0.0356. Each bar's text is the difference of the
    two losses as the loss curves' tooltips print them."""
    at = open_page("app_pages/batch_size.py", query={"preset": "linear-scaling-rule"}, timeout=300)
    assert not at.exception
    train = _final_texts(at, "Training set loss", "train_loss_text")
    gaps = {
        r["label"]: r["value_text"]
        for rows in chart_rows(at, "Generalization gap").values()
        for r in rows
        if "value_text" in r
    }
    at.radio(key="split").set_value("test").run()
    assert not at.exception
    test = _final_texts(at, "Test set loss", "test_loss_text")
    assert gaps and set(gaps) <= set(train) & set(test)
    for label, gap in gaps.items():
        assert read(gap) == read(test[label]) - read(train[label]), (label, gap)


def test_wall_time_tooltips_keep_the_recipes_within_25_percent(monkeypatch):
    """Audit pass 42 (d): times to the target of 41.2044 and 51.5054 ms (one timing each on a
    shared server, set explicitly as the lesson's timing witnesses do; epochs 6, B = 8 and 32)
    gave "B = 8 (41.2 ms) and B = 32 (51.5 ms) reached the target ... within 25% of the fastest
    one's time" beside wall-time tooltips of 0.0412 and 0.05151 s (4 digits), 25.02 % apart.
    The wall-time axis prints the times with the recipe's digits, as the time bars do."""
    import dataclasses

    import ui.runner
    from core.experiments.batch_size.training import reaches

    config = bs.Config(epochs=6, batch_sizes=("8", "32"))
    result = bs.run(config)
    summary, curves = result.summary.copy(), result.curves.copy()
    target = float(summary["target_accuracy"].iloc[0])
    times = {"8": 0.0412044, "32": 0.0515054}
    for key, seconds in times.items():
        run = curves["key"] == key
        hit = curves[run & reaches(curves["test_accuracy"], target)]
        assert len(hit), key  # both runs reach the target at this setting
        # the run's clock rescaled so that it reads the chosen time where it reaches the target
        curves.loc[run, "seconds"] *= seconds / float(hit["seconds"].iloc[0])
        # exactly there (the product can miss it by float round-off: the clock is measured)
        curves.loc[hit.index[0], "seconds"] = seconds
        summary.loc[summary["key"] == key, "seconds_to_target"] = seconds
    timed = dataclasses.replace(result, summary=summary, curves=curves)
    (tie,) = [f for f in bs.facts(config, timed) if f.claim == "recipe_time_tie"]
    monkeypatch.setattr(ui.runner, "run_experiment", lambda *args, **kwargs: timed)
    at = open_page(PAGE, query={"epochs": "6", "bs": ["B = 8", "B = 32"], "xaxis": "wall time"})
    assert not at.exception
    assert at.radio(key="xaxis").value == "seconds"
    rows = [r for rows in chart_rows(at, "Training set loss").values() for r in rows]
    tips = {}
    for key, seconds in times.items():
        label = summary.loc[summary["key"] == key, "label"].iloc[0]
        (tips[key],) = {
            r["seconds_text"]
            for r in rows
            if r.get("label") == label and r.get("seconds") == seconds
        }
    fastest = min(Decimal(tips[k]) for k in tie.values["keys"])
    for key in tie.values["keys"]:
        assert Decimal(tips[key]) * Decimal("0.8") <= fastest, (tips, tie.text)


def test_a_link_may_spell_the_batch_sizes_as_the_config_does():
    """Audit pass 52 b: ?bs=full read "“Batch sizes to train” can't be full" and ran every batch
    size, though full is the Config's own value of the pill "full batch"; so did ?bs=1&bs=32 and
    ?bs=32.0&bs=full. Each value a link gives a multi-select is its choice in any spelling (its
    label, the Config's value, a number in any numeric form), and the share link spells them as
    the pills do; a value that is no choice (?bs=33) is still reported."""
    cases = [(["full"], ("full",)), (["1", "32"], ("1", "32")), (["32.0", "full"], ("32", "full"))]
    for values, keys in cases:
        at = _open({"bs": values})
        assert not any("could not use" in w.value for w in at.warning), values
        assert tuple(at.sidebar.button_group(key="bs").value) == keys, values
        share = next(c.value for c in at.code if "?" in c.value)
        for key in keys:
            label = "full%20batch" if key == "full" else f"B%20%3D%20{key}"
            assert f"bs={label}" in share or f"bs={label.replace('%20', '+')}" in share, share
    at = _open({"bs": ["33"]})
    assert any("can't be 33" in w.value for w in at.warning)


def test_a_link_may_name_a_scaling_rule_by_its_labels_leading_words():
    """Audit pass 58 b: ?scale=√ rule said "“Scale η with the batch size” can't be √ rule" and
    ran the same η for every batch, beside a radio offering "√ rule η·√(B/32)"; the name before
    the formula is the option (whole words only, and only where one label starts so)."""
    for text, rule in (("√ rule", "sqrt"), ("√", "sqrt"), ("same", "none"), ("Linear", "linear")):
        at = _open({"scale": text, "bs": ["1"], "epochs": "1"})
        assert not any("could not use" in w.value for w in at.warning), text
        assert next(r.value for r in at.sidebar.radio if r.key == "scale") == rule, text
    at = _open({"scale": "√ rul", "bs": ["1"], "epochs": "1"})
    assert any("can't be √ rul" in w.value for w in at.warning)


def test_a_loss_curve_cut_off_by_the_axis_is_named():
    """Preset 'Scaling too far': the loss chart's axis stops at 10× the largest start (7.748),
    and B = 256 (diverged) and the full batch (up to about 1,300) leave it at the top; a caption says
    so (audit pass 55 d). On the default page no curve leaves it and no caption is shown."""
    at = _open({"preset": slug("Scaling too far")})
    captions = " ".join(c.value for c in at.caption)
    assert "The loss axis stops at 10× the largest starting loss" in captions
    assert "B = 256 (up to" in captions and "diverged)" in captions
    at = _open()
    assert "The loss axis stops" not in " ".join(c.value for c in at.caption)


def test_a_link_value_snapped_onto_the_default_is_not_called_refused():
    """Audit pass 59 d: ?n=450 runs n = 400, the slider's step and its default; the page said
    both "“Examples n (train + test)” can't be 450, so it shows its default instead" and "450
    runs as 400"."""
    at = open_page(PAGE, query={"n": "450"}, timeout=120)
    assert not at.exception
    assert not [w.value for w in at.warning if "could not use" in w.value]
    assert any("“Examples n (train + test)” 450 runs as 400" in i.value for i in at.info)
