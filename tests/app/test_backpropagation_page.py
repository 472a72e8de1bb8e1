"""The backpropagation page: forward -> backward -> update kept apart, state surviving reruns."""

import json
import re

import pyarrow as pa
import pytest

from tests.app.conftest import open_page
from tests.ui.specs import title_text

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Input x₁", "x1", "Home")

PAGE = "app_pages/backpropagation.py"
PREDICT = "predict_backpropagation"


@pytest.fixture
def at():
    app = open_page(PAGE)
    assert not app.exception
    return app


def _metric(at, label):
    return next(m.value for m in at.metric if m.proto.label == label)


def _disabled(at, key):
    return at.button(key=key).proto.disabled


def _graph(at):
    return at.get("graphviz_chart")[0].proto.spec


def test_forward_backward_update_is_a_state_machine(at):
    assert _metric(at, "Updates made") == "0"
    assert _disabled(at, "bp_backward") and _disabled(at, "bp_update")
    assert "z = " not in _graph(at)

    at.button(key="bp_forward").click().run()
    assert not at.exception
    assert not _disabled(at, "bp_backward") and _disabled(at, "bp_update")
    assert "z = " in _graph(at) and "∂L/∂W" not in _graph(at)
    loss_before = float(_metric(at, "Loss now"))
    chain_rule = r"\frac{\partial L}{\partial \hat y} &= \hat y - y"
    # the backward pass's own formulas, not the model answer's (which states the same rule)
    from core.experiments.backpropagation import MODEL_ANSWER

    def panel() -> list[str]:
        answer = MODEL_ANSWER.formulas
        return [x.value for x in at.latex if not any(f in x.value for f in answer)]

    assert all(chain_rule not in tex for tex in panel())

    at.button(key="bp_backward").click().run()
    assert not at.exception
    assert "∂L/∂W" in _graph(at)
    assert any(chain_rule in tex for tex in panel())
    assert _metric(at, "Updates made") == "0"  # computing gradients changed no weight
    assert not _disabled(at, "bp_update")

    at.button(key="bp_update").click().run()
    assert not at.exception
    assert _metric(at, "Updates made") == "1"
    assert _disabled(at, "bp_backward") and _disabled(at, "bp_update")
    assert any(r"\leftarrow" in x.value for x in at.latex)

    # the new weights persist across an unrelated rerun, and the loss went down
    at.radio(key=PREDICT).set_value("hidden layer W1").run()
    assert _metric(at, "Updates made") == "1"
    at.button(key="bp_forward").click().run()
    assert float(_metric(at, "Loss now")) < loss_before


def test_run_n_updates_advances_the_counter_and_the_curve(at):
    at.sidebar.slider(key="n").set_value(30).run()
    at.button(key="bp_run").click().run()
    assert not at.exception
    assert _metric(at, "Updates made") == "30"
    at.button(key="bp_run").click().run()
    assert _metric(at, "Updates made") == "60"
    chart = at.get("vega_lite_chart")[0]
    assert "Loss of the training example" in title_text(json.loads(chart.proto.spec))
    data = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
    taken = data[data["series"] == "steps taken"]
    assert taken["update"].tolist() == list(range(61))
    assert taken["loss"].iloc[-1] < taken["loss"].iloc[0]
    at.button(key="bp_reset").click().run()
    assert _metric(at, "Updates made") == "0"


def test_changing_the_example_starts_a_new_network(at):
    at.button(key="bp_run").click().run()
    assert _metric(at, "Updates made") != "0"
    at.sidebar.slider(key="x1").set_value(2.0).run()
    assert not at.exception
    assert _metric(at, "Updates made") == "0"


def test_too_large_a_step_warns_instead_of_crashing(at):
    at.sidebar.button(key="preset_step-too-large").click().run()
    assert not at.exception
    assert any("Diverged" in w.value for w in at.warning)
    assert at.get("vega_lite_chart")


def test_dead_relu_preset_says_which_units_get_zero_gradient(at):
    at.sidebar.button(key="preset_dead-relu-units").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "exactly zero gradient" in text


def test_prediction_is_checked_against_the_run():
    at = open_page(PAGE, reveal=False)
    assert not at.get("graphviz_chart")  # the result waits for a prediction
    at.radio(key=PREDICT).set_value("hidden layer W1").run()
    assert any(w.value.startswith("Not hidden layer W1:") for w in at.warning)
    at.radio(key=PREDICT).set_value("output layer W2").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_a_tie_is_answered_as_equal():
    at = open_page(PAGE, query={"act": "ReLU", "x1": "0", "x2": "0"})
    assert not at.exception
    assert any("This run's answer: **equal**" in i.value for i in at.info)
    # every unit sits on the kink: the check says why it cannot agree there
    assert any("z = 0 exactly" in w.value for w in at.warning)


def test_old_links_keep_their_keys_and_values():
    query = {"x1": "2.5", "x2": "-1", "y": "0.5", "act": "ReLU", "seed": "3", "scale": "2"}
    at = open_page(PAGE, query={**query, "lr": "0.3", "n": "20"})
    assert not at.exception and not at.error
    assert at.sidebar.slider(key="x1").value == 2.5 and at.sidebar.slider(key="n").value == 20
    assert at.sidebar.radio(key="act").value == "relu"
    assert at.sidebar.select_slider(key="lr").value == 0.3
    assert at.button(key="bp_run").proto.label == "Run 20 updates"


def test_a_preset_hint_shows_only_at_the_seeded_start_it_describes():
    """Audit 38d: the preset's hint stayed in the sidebar at weights the buttons had reached,
    where it is false. Dead ReLU units, 5 updates at η = 1, then the preset again (its η and N,
    the same example and seed, so the trained weights stay): all three units had z < 0 (loss 0)
    beside 'two hidden units have z < 0'."""
    from core.experiments import backpropagation as bp

    at = open_page(PAGE)
    at.sidebar.button(key="preset_dead-relu-units").click().run()
    at.sidebar.select_slider(key="lr").set_value(1.0).run()
    at.sidebar.slider(key="n").set_value(5).run()
    at.button(key="bp_run").click().run()
    at.sidebar.button(key="preset_dead-relu-units").click().run()
    assert not at.exception
    assert _metric(at, "Updates made") == "5"
    hint = bp.PRESETS["Dead ReLU units"].hint
    assert not any(hint in i.value for i in at.sidebar.info)
    at.button(key="bp_reset").click().run()  # back at the seeded start: the hint holds again
    assert _metric(at, "Updates made") == "0"
    assert any(hint in i.value for i in at.sidebar.info)


@pytest.mark.parametrize(
    "query",
    [
        # 'moves L from 1.445 to 1.4447' beside tooltips of updates 0 and 1 both '1.445'
        {"x1": "-2", "x2": "1.3", "y": "1.7", "act": "ReLU", "seed": "32", "scale": "0.2"}
        | {"lr": "0.0001", "n": "50"},
        # '100 updates with η = 0.00015 reach L = 4.41' beside the last tooltip's '4.415'
        {"x1": "0.9", "x2": "3.8", "y": "4.2", "seed": "608", "scale": "0.8"}
        | {"lr": "0.00015", "n": "100"},
    ],
)
def test_the_sentences_print_each_loss_as_the_loss_tooltips_do(query):
    """Audit 38d: the update sentences printed the losses at other digits than the loss chart's
    tooltips (4 digits), so the chart showed no move where the sentence said L moved, and a
    final loss 4.41498 read 4.41 in the sentence and 4.415 in the tooltip."""
    at = open_page(PAGE, query=query)
    assert not at.exception
    data = pa.ipc.open_stream(at.get("vega_lite_chart")[0].proto.datasets[0].data.data)
    data = data.read_pandas()
    preview = data[data["series"] == "next N updates (preview)"].sort_values("update")
    texts, losses = preview["loss_text"].tolist(), preview["loss"].tolist()
    notice = " ".join(m.value for m in at.markdown)
    if losses[0] != losses[1]:  # the one update moved L: its tooltips say so too
        assert texts[0] != texts[1]
        assert f"moves L from {texts[0]} to {texts[1]}." in notice
    assert f"reach L = {texts[-1]}." in notice


def test_the_page_says_a_shared_link_does_not_carry_the_updates_made():
    """Audit 38d: after 'Run 50 updates' the sidebar said 'the same link gives the same charts'
    (and Home 'a student who opens it sees ... the same charts'), while the shared link opens the
    page at the seeded weights: another loss, another curve. Where the page's charts are not the
    link's, it says so, and the shared sentences name what a link does not carry."""
    at = open_page(PAGE)
    before = [c.value for c in at.caption]
    at.button(key="bp_run").click().run()
    assert _metric(at, "Updates made") == "50"
    link = next(c.value for c in at.sidebar.code)
    query = dict(pair.split("=") for pair in link.split("?", 1)[1].split("&"))
    shared = open_page(PAGE, query=query)
    assert _metric(shared, "Updates made") == "0"  # the link opens at the seeded start

    def loss_texts(app):
        data = pa.ipc.open_stream(app.get("vega_lite_chart")[0].proto.datasets[0].data.data)
        return data.read_pandas()["loss_text"].tolist()

    assert loss_texts(shared) != loss_texts(at)  # other charts than the page the link came from
    said = [c.value for c in at.caption if c.value not in before]
    assert any("not the 50 updates" in c for c in said)
    for text in [c.value for c in at.caption] + [m.value for m in at.markdown]:
        if "same charts" in text:  # a promise about links names the updates it cannot keep
            assert "steps taken with a page's" in text
    home = open_page("app_pages/home.py")
    promise = next(m.value for m in home.markdown if "same charts" in m.value)
    assert "steps taken with a page's own buttons" in promise


def test_a_trained_y_hat_is_not_printed_as_the_target_on_the_page():
    """Audit 39k: after 'Run 1000 updates' at y = 0.5, η = 1 the forward pass showed ŷ =
    0.5000000000000021 as '0.5' (graph and forward table) beside y = 0.5 and L = 2.225e-30."""
    at = open_page(PAGE, query={"y": "0.5", "lr": "1", "n": "1000", "reveal": "1"})
    at.button(key="bp_run").click().run()
    at.button(key="bp_forward").click().run()
    assert not at.exception
    assert _metric(at, "Loss now") != "0"  # the witness: trained, not exact
    table = at.dataframe[0].value.set_index("quantity")
    assert float(table.loc["ŷ = a·W2 + b2", "value"]) != 0.5
    (shown,) = re.findall(r"<BR/>ŷ = ([^<>]+)[<>]", _graph(at))
    assert float(shown.replace("−", "-")) != 0.5


def test_the_check_caption_is_the_verdicts_rule(at):
    """Audit pass 40 (f): the check's caption is core's statement of the verdicts' rule (the
    round-off bound plus twice the truncation estimate), not "round-off or truncation error"."""
    from core.experiments import backpropagation as bp

    captions = [c.value for c in at.caption]
    assert not any("round-off or truncation error" in c for c in captions)
    assert bp.check_caption() in captions


def test_the_run_button_makes_the_updates_its_label_counts():
    """Audit pass 40 (f): at the preset "Step too large" (η = 3, N = 50) the button read "Run 50
    updates" and its help "Repeat ... N times", while a press made 9 (update 10 would run away).
    The label counts the updates a press makes, and the helps say the run stops early."""
    at = open_page(PAGE)
    at.sidebar.button(key="preset_step-too-large").click().run()
    assert not at.exception
    label = at.button(key="bp_run").proto.label
    promised = int(re.match(r"Run (\d+) update", label)[1])
    at.button(key="bp_run").click().run()
    assert not at.exception
    made = int(_metric(at, "Updates made"))
    assert made < at.sidebar.slider(key="n").value  # the witness: the run stopped early
    assert made == promised, label
    assert "run away" in at.sidebar.slider(key="n").proto.help


def test_the_status_does_not_say_nothing_is_computed_beside_the_checks_gradients(at):
    """Audit pass 40 (f): at the defaults the status said "Nothing computed yet at these weights"
    and, after the forward pass, "every value below is known. The gradients are not, yet", while
    the check panel below printed backprop's ∂L/∂w for all 13 weights at those weights. Where the
    page prints the check's gradients, a status saying they are not known names the check."""
    from core.experiments import backpropagation as bp

    for press in (None, "bp_forward"):
        if press:
            at.button(key=press).click().run()
        check = next(d.value for d in at.dataframe if "backprop" in d.value.columns)
        assert len(check) == bp.N_PARAMS  # the witness: the check's gradients are on the page
        status = [m.value for m in at.markdown if "press **Forward pass**" in m.value]
        status += [m.value for m in at.markdown if m.value.startswith("Forward pass done")]
        assert status, [m.value for m in at.markdown]
        for text in status:
            if "Nothing computed" in text or "gradients are not" in text or "nothing" in text:
                assert "the check further down" in text, text


def test_the_loss_charts_title_advises_what_the_warning_does():
    """Audit pass 53 h: two presses of "Run N updates" at sigmoid, seed 1, x = (5, 5), y = 5,
    η = 5, then η lowered to 0.0001, the slider's least: the warning says η is already the least
    (press Reset), while the loss chart was titled "(the preview diverged: lower the learning
    rate)"."""
    from tests.app.conftest import titles

    query = {"act": "sigmoid", "seed": "1", "lr": "5", "x1": "5", "x2": "5", "y": "5"}
    at = open_page(PAGE, query=query)
    for _ in range(2):
        at.button(key="bp_run").click().run()
    at.sidebar.select_slider(key="lr").set_value(0.0001).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("already the least learning rate" in w for w in warnings), warnings  # the witness
    title = next(str(t) for t in titles(at) if "Loss of the training example" in str(t))
    assert "diverged" in title and "lower the learning rate" not in title, title


def test_the_tables_print_negative_numbers_with_the_minus_sign(at):
    """Audit pass 57 c: at the defaults, after the forward and backward passes, the tables printed
    negative numbers with a hyphen ("-0.463797" for ∂L/∂ŷ, "(-0.5)·0.06634466" in z1's
    arithmetic, the check's "-0.106856" and its bar tooltips) beside the graph's and the
    sentences' "ŷ − y = −0.4638"; so did the update's table after step 3."""
    from tests.app.conftest import chart_rows

    hyphen = re.compile(r"(?<![\w.)\]])-(?=\.?\d|∞)")
    at.button(key="bp_forward").click().run()
    at.button(key="bp_backward").click().run()
    assert not at.exception
    answer = next(i.value for i in at.info if "ŷ − y = −0.4638" in i.value)  # the sentence
    assert answer
    backward = next(d.value for d in at.dataframe if "chain_rule" in d.value.columns)
    assert backward.set_index("quantity").loc["∂L/∂ŷ", "value"] == "−0.463797"  # the witness
    shown = [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    rows = chart_rows(at, "|∂L/∂w|")
    shown += [str(r[k]) for frame in rows.values() for r in frame for k in r if k.endswith("_text")]
    rows = chart_rows(at, "Local derivative")
    shown += [str(r["z_text"]) for frame in rows.values() for r in frame if "z_text" in r]
    assert any(v.startswith("−") for v in shown)
    for text in shown:
        assert not hyphen.search(text), text
    at.button(key="bp_update").click().run()
    assert not at.exception
    update = next(d.value for d in at.dataframe if "step" in d.value.columns)
    cells = [str(v) for v in update.to_numpy().ravel()]
    assert any(v.startswith("−") for v in cells)
    for text in cells:
        assert not hyphen.search(text), text


def test_the_share_caption_asks_nothing_impossible_of_the_weights_reached():
    """Audit pass 62 b: after one press of 'Run 50 updates' the Share caption said "it opens this
    page with this seed and these settings, but not the weights reached with this page's buttons
    (update 50): the link does not carry it, so set it again after opening it": no control sets
    weights, and opened from the link the page starts at the seeded weights."""
    at = open_page(PAGE)
    at.button(key="bp_run").click().run()
    (share,) = [c.value for c in at.sidebar.caption if c.value.startswith("Copy this link")]
    assert "weights reached with this page's buttons (update 50)" in share, share
    assert "set it again" not in share, share
    assert share.endswith(
        "(update 50): the link does not carry them and no control sets them: opened from it, "
        "this page starts at the seeded weights."
    ), share


@pytest.mark.parametrize(("y", "moved"), [("0", False), ("1", True)])
def test_the_status_after_an_update_that_moved_no_weight_says_so(y, moved):
    """Audit pass 63 (e): at ?x1=0&x2=0&y=0&act=relu (ŷ = y exactly, every gradient 0), after
    Forward, Backward and Update the status read "Weights updated (table below): the forward
    values of the old weights no longer apply. Run the forward pass again to see the new loss":
    no weight had changed and the loss was still 0. Where every after equals its before the
    status says the update changed no weight; where one moved (y = 1) it keeps its words."""
    at = open_page(PAGE, query={"x1": "0", "x2": "0", "y": y, "act": "relu"})
    for key in ("bp_forward", "bp_backward", "bp_update"):
        at.button(key=key).click().run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("Weights updated") for t in texts) == moved, texts
    assert any("no longer apply" in t for t in texts) == moved, texts
    assert any("**no weight changed**" in t for t in texts) == (not moved), texts


def test_the_share_caption_does_not_disown_weights_no_update_moved():
    """Audit pass 64 c: at ?x1=0&x2=0&y=0&act=relu (ŷ = y exactly, every gradient 0), after
    'Run 50 updates' the Share caption said "not the weights reached with this page's buttons
    (update 50): the link does not carry them ... this page starts at the seeded weights": no
    update moved a weight, so the weights reached are the seeded ones and the link opens them."""
    at = open_page(PAGE, query={"x1": "0", "x2": "0", "y": "0", "act": "relu"})
    at.button(key="bp_run").click().run()
    assert _metric(at, "Updates made") == "50"
    share = [c.value for c in at.sidebar.caption if c.value.startswith("Copy this link")]
    assert share and all("does not carry them" not in c for c in share), share


def test_a_latex_block_prints_each_quantity_one_way():
    """Audit pass 67 h: at ?lr=5&x1=5&x2=5&y=-5&act=relu&scale=5, after forward and backward, the
    output layer's block printed ∂L/∂ŷ as '= (−17.61)', then '(−17.607) · 3.6466' and
    '(−17.6074) · 15.8433'; hidden unit 3's printed W2_3 as '(−2.488)' and '(−2.4881)'."""
    at = open_page(PAGE, query=dict(lr="5", x1="5", x2="5", y="-5", act="relu", scale="5"))
    at.button(key="bp_forward").click().run()
    at.button(key="bp_backward").click().run()
    assert not at.exception
    output = next(x.value for x in at.latex if r"\partial b^{(2)}" in x.value)
    assert len(set(re.findall(r"\(-17\.6\d*\)", output))) == 1
    unit3 = next(x.value for x in at.latex if r"\partial a_{3}" in x.value)
    assert len(set(re.findall(r"\(-17\.6\d*\)", unit3))) == 1
    assert len(set(re.findall(r"\(-2\.48\d*\)", unit3))) == 1


def test_the_update_table_and_its_formula_print_each_number_one_way(at):
    """Audit pass 67 h: at the defaults after one update, W1[1,1]'s and b1[1]'s step (one value,
    x1 = 1) printed '0.005342775' and '0.00534278' in one column, and the formula under the table
    printed W1[1,1]'s row as '0.079519 - 0.05 · (−0.10686) = 0.08486' beside '0.07951877',
    '−0.1068555' and '0.0848615'."""
    for key in ("bp_forward", "bp_backward", "bp_update"):
        at.button(key=key).click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "step" in d.value.columns)
    rows = table.set_index("weight")
    assert rows.loc["W1[1,1]", "step"] == rows.loc["b1[1]", "step"]
    assert rows.loc["W1[1,1]", "gradient"] == rows.loc["b1[1]", "gradient"]
    assert rows.loc["b1[1]", "after"] == rows.loc["b1[1]", "step"]
    formula = next(x.value for x in at.latex if r"\leftarrow" in x.value)
    for column in ("before", "gradient", "after"):
        assert rows.loc["W1[1,1]", column].replace("−", "-").lstrip("-") in formula


def test_a_run_that_would_make_no_update_is_not_offered():
    """Audit pass 67 h: at ?lr=5&x1=5&x2=5&y=-5&act=relu&scale=5 the button 'Run 0 updates (of
    50: update 1 would run away)' was enabled, and a press reported 'Ran 0 full training steps'."""
    at = open_page(PAGE, query=dict(lr="5", x1="5", x2="5", y="-5", act="relu", scale="5"))
    assert at.button(key="bp_run").proto.label.startswith("Run 0 updates")
    assert _disabled(at, "bp_run")


def test_the_backward_table_prints_each_operand_one_way():
    """Audit pass 67 h: at ?lr=5&x1=5&x2=5&y=-5&act=relu&scale=5, after forward and backward, the
    backward table's numbers column printed ∂L/∂ŷ as '(−17.60738)', '(−17.61)' and '(−17.6074)',
    and ∂L/∂a2 as '(−58.96)·0' beside its value −58.9572."""
    at = open_page(PAGE, query=dict(lr="5", x1="5", x2="5", y="-5", act="relu", scale="5"))
    at.button(key="bp_forward").click().run()
    at.button(key="bp_backward").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "numbers" in d.value.columns)
    numbers = " ".join(table["numbers"])
    assert len(set(re.findall(r"\(−17\.6\d*\)", numbers))) == 1
    rows = table.set_index("quantity")
    assert rows.loc["∂L/∂z2", "numbers"].startswith(f"({rows.loc['∂L/∂a2', 'value']})")


def test_the_forward_table_prints_z_as_its_own_row_does():
    """Audit pass 67 h: at ?lr=5&x1=5&x2=5&y=-5&act=relu&scale=5, after the forward pass, the
    forward table's a2 row printed 'relu(−10.56)' under z2's row value '−10.5584'."""
    at = open_page(PAGE, query=dict(lr="5", x1="5", x2="5", y="-5", act="relu", scale="5"))
    at.button(key="bp_forward").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "computation" in d.value.columns)
    for j in range(3):
        assert table["computation"][3 + j] == f"relu({table['value'][j]})"


def test_a_link_naming_two_presets_says_which_one_runs():
    """Audit pass 67 h: ?preset=saturated-sigmoid&preset=dead-relu-units ran Dead ReLU units and
    said nothing of the first preset the link named."""
    at = open_page(PAGE, query={"preset": ["saturated-sigmoid", "dead-relu-units"]})
    assert not at.exception
    assert at.radio(key="act").value == "relu"
    notes = [w.value for w in at.warning if "presets" in w.value]
    assert (
        notes and "saturated-sigmoid" in notes[0] and "ran the last, “dead-relu-units”" in notes[0]
    )


def test_a_refused_choice_in_a_link_names_the_options():
    """Audit pass 67 h: ?batch=20 on gradient descent's grid slider said only "“Mini-batch size
    B” can't be 20", where a slider's refusal names its range; ?act=tanh here named no option."""
    at = open_page("app_pages/gradient_descent.py", query={"batch": "20"})
    notes = [w.value for w in at.warning if "can't be 20" in w.value]
    assert notes and "its slider offers 2, 4, 8, 16, 32, 64, 128" in notes[0]
    at = open_page(PAGE, query={"act": "tanh"})
    notes = [w.value for w in at.warning if "can't be tanh" in w.value]
    assert notes and "it offers sigmoid σ, ReLU" in notes[0]


def test_the_update_table_keeps_its_zeros_and_prints_before_at_its_own_digits():
    """Audit pass 68 g, at ?x1=3.6&x2=-0.3&y=-2&seed=15&scale=0.4&lr=0.05 after one update: W2[3]'s
    row printed before '−0.168474879' (the gradient's 9 digits, 6 show the update) beside an after
    of '−0.2229' (−0.222900339 at 6 digits with its zeros dropped)."""
    from core.facts import significant

    query = dict(x1="3.6", x2="-0.3", y="-2", seed="15", scale="0.4", lr="0.05")
    at = open_page(PAGE, query=query)
    for key in ("bp_forward", "bp_backward", "bp_update"):
        at.button(key=key).click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "step" in d.value.columns)
    row = table.set_index("weight").loc["W2[3]"]
    assert row["after"] == "−0.222900", row.to_dict()
    assert significant(row["before"].lstrip("−")) < 9, row.to_dict()
    for column in ("step", "after"):
        assert all(significant(t.lstrip("−")) >= 6 for t in table[column] if t != "0"), table


def test_each_gradient_block_prints_dl_dyhat_one_way():
    """Audit pass 68 g, at ?x1=4.6&x2=-4.9&y=2.8&seed=66&scale=3.9 after forward and backward:
    ∂L/∂ŷ printed '2.8876' in the output layer's block and hidden units 1 and 2's, '2.88761' in
    hidden unit 3's: each block chose its own digits."""
    query = dict(x1="4.6", x2="-4.9", y="2.8", seed="66", scale="3.9")
    at = open_page(PAGE, query=query)
    at.button(key="bp_forward").click().run()
    at.button(key="bp_backward").click().run()
    assert not at.exception
    blocks = [x.value for x in at.latex if "\\hat y - y =" in x.value or "\\partial a_{" in x.value]
    assert len(blocks) == 4
    shown = {
        re.search(r"\\hat y\}\\, (?:a|W\^\{\(2\)\})_\{\d\} = ([\d.]+)", b).group(1) for b in blocks
    }
    assert len(shown) == 1, shown


def test_worked_example_and_tables_keep_trailing_zeros_of_computed_values():
    """Audit pass 69 b: hidden unit 3's block printed ∂L/∂W1[2,3] = −3.300269e−05 at 4 digits as
    "(−3.3×10^{−5})" beside "3.098×10^{−5}", and the backward table ∂L/∂W2[3] = 2.887600 as
    "2.8876" beside 6-digit values; the typed inputs x and y still print as typed."""
    query = {"x1": "4.6", "x2": "-4.9", "y": "2.8", "seed": "66", "scale": "3.9"}
    at = open_page(PAGE, query=query)
    at.button(key="bp_forward").click().run()
    at.button(key="bp_backward").click().run()
    assert not at.exception
    blocks = [x.value for x in at.latex]
    unit3 = next(b for b in blocks if r"\partial a_{3}" in b)
    assert r"(-3.300\times 10^{-5})" in unit3 and r"(-3.3\times" not in unit3
    assert r"\cdot 4.6 =" in unit3 and r"\cdot (-4.9) =" in unit3  # typed inputs as typed
    backward = next(d.value for d in at.dataframe if "chain_rule" in d.value.columns)
    values = dict(zip(backward["quantity"], backward["value"], strict=True))
    assert values["∂L/∂W2[3]"] == "2.88760" and values["f′(z3)"] == "1.91770e-06"
    assert backward["numbers"].iloc[0].split(" − ")[1] == "2.8"


def test_the_model_answers_formulas_fit_a_phone():
    """Audit pass 70 f: the model answer's formulas stood on one line each, far wider (about 27
    to 64 em by tests.app.latex_width) than the model answer's box on a 390 px phone (16.5 em).
    Each now stands on aligned lines that fit."""
    from core.experiments import backpropagation as lesson
    from tests.app.latex_width import too_wide

    assert not too_wide(lesson.MODEL_ANSWER.formulas), too_wide(lesson.MODEL_ANSWER.formulas)
