"""The activations page: presets, the prediction, old links and the output-layer guide in AppTest."""

import json

from tests.app.conftest import open_page, titles
from tests.ui.specs import joined_title

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Leaky ReLU negative slope", "slope", "End")

PAGE = "app_pages/activations.py"


def _open(**kwargs):
    at = open_page(PAGE, timeout=120, **kwargs)
    assert not at.exception
    return at


def test_defaults_draw_shapes_collapse_boundaries_and_check_the_prediction():
    at = _open(reveal=False, state={"epochs": 10})
    assert not at.error
    assert not titles(at), "the charts wait for a prediction"
    at.radio(key="predict_activations").set_value("Yes: depth adds curvature").run()
    assert any(
        w.value.startswith("Not Yes: depth adds curvature: A composition of affine maps")
        for w in at.warning
    )
    drawn = titles(at)
    assert drawn[:2] == [
        "Activation functions f(x)",
        "Their derivatives f′(x): what backprop multiplies by",
    ]
    assert {"Linear (identity)", "Sigmoid", "Tanh", "ReLU"} <= set(drawn)
    at.radio(key="predict_activations").set_value("No: it stays one straight line").run()
    assert any("Your prediction held" in s.value for s in at.success)
    latex = " ".join(x.value for x in at.latex)
    assert r"\lambda \begin{cases}" in latex  # SELU: lambda in front of both branches
    captions = " ".join(c.value for c in at.caption)
    assert "ELU (α = 1) has none" in captions  # no kink at the default alpha (audit A12)


def test_dead_relu_preset_trains_the_relu_family_and_says_what_happened():
    at = _open(state={"epochs": 10})
    at.sidebar.button(key="preset_dead-relus-at-a-large-learning-rate").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="group").value == "relu_family"
    assert at.sidebar.select_slider(key="biglr").value == 1.0
    assert at.sidebar.slider(key="epochs").value == 40  # a preset sets every control
    assert {"ReLU", "Leaky ReLU", "PReLU", "ELU"} <= set(titles(at))
    captions = " ".join(c.value for c in at.caption)
    assert "learned slopes a = " in captions
    notice = " ".join(m.value for m in at.markdown)
    assert "Dead is not always for good" in notice
    assert "never die" not in notice and "for good;" not in notice
    assert any("Dead ReLUs at a large learning rate" in i.value for i in at.sidebar.info)
    # the hint stays only while the settings are the preset's
    at.sidebar.slider(key="slope").set_value(0.2).run()
    assert not any("Dead ReLUs at a large" in i.value for i in at.sidebar.info)


def test_an_old_link_keeps_its_settings():
    query = {
        "group": "ReLU, Leaky ReLU, PReLU, ELU",
        "data": "spiral",
        "width": "8",
        "lr": "0.03",
        "biglr": "2",
        "slope": "0.05",
        "epochs": "15",
        "ldepth": "20",
        "nwidth": "32",
        "sigma": "0.5",
        "task": "regression",
    }
    at = _open(query=query)
    assert at.sidebar.selectbox(key="group").value == "relu_family"
    assert at.sidebar.selectbox(key="data").value == "spiral"
    assert at.sidebar.select_slider(key="width").value == 8
    assert at.sidebar.select_slider(key="lr").value == 0.03
    assert at.sidebar.select_slider(key="biglr").value == 2.0
    assert at.sidebar.slider(key="slope").value == 0.05
    assert at.sidebar.select_slider(key="nwidth").value == 32
    assert at.radio(key="task").value == "regression"
    assert "Ignored" not in " ".join(c.value for c in at.sidebar.caption)


def test_output_guide_pairs_each_task_with_its_own_loss():
    at = _open(state={"epochs": 10})
    text = " ".join(m.value for m in at.markdown)
    assert "**Loss:** `bce_with_logits`" in text
    at.radio(key="task").set_value("multi-class").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "softmax" in text and "nn.CrossEntropyLoss" in text and "`cross_entropy`" in text
    assert any("multi-class output" in t for t in titles(at))
    at.radio(key="task").set_value("regression").run()
    text = " ".join(m.value for m in at.markdown)
    assert "`mse`" in text and "takes the logit" not in text.split("**Loss:**")[1][:200]
    answer = " ".join(m.value for m in at.markdown)
    assert "sigmoid + `bce_with_logits` for binary" in answer
    assert "linear + `mse` for regression" in answer


def test_relus_final_loss_prints_alike_in_the_ranking_the_curves_and_the_dead_unit_runs():
    """Audit pass 38 (f): 'ReLU the highest (0.6932)' beside a training-curve tooltip of 0.6931
    for sigmoid, while the dead-unit report and its loss chart printed the same ReLU run (η =
    0.03, the group's) as 0.693, below sigmoid's 0.6931. Every print of that final loss keeps
    the ranking's side of every other run's printed final loss."""
    import re
    from decimal import Decimal

    from tests.tooltips import _frames

    query = {"group": "classic", "data": "spiral", "layers": "3", "width": "4", "lr": "0.03"}
    query |= {"epochs": "5", "nwidth": "8", "seed": "33447"}
    at = _open(query=query)
    charts = {}
    for chart in at.get("vega_lite_chart"):
        title = joined_title(json.loads(chart.proto.spec).get("title"))
        title = title.get("text") if isinstance(title, dict) else title
        rows = [r for rows in _frames(chart.proto).values() for r in rows]
        charts[title] = rows
    curves = charts["Training loss: same architecture, data, seed and optimizer"]
    last = max(r["epoch"] for r in curves)
    final = {r["activation"]: Decimal(r["train_loss_text"]) for r in curves if r["epoch"] == last}
    notice = " ".join(m.value for m in at.markdown)
    ranking = re.search(r"and ReLU the highest \(([\d.]+)\)", notice)
    assert ranking, notice  # the witness: ReLU the highest
    dead = charts["Training loss of the same runs"]
    run = "ReLU, η = 0.03"
    end = max(r["epoch"] for r in dead if r["run"] == run)
    printed = [
        Decimal(ranking.group(1)),
        Decimal(re.search(re.escape(run) + r": [\d.]+ % \(training loss ([\d.]+)\)", notice)[1]),
        *(Decimal(r["train_loss_text"]) for r in dead if r["run"] == run and r["epoch"] == end),
    ]
    others = [v for name, v in final.items() if name != "relu"]
    for value in printed:
        assert value == final["relu"] and all(value > o for o in others), (value, final)


def test_the_second_learning_rates_label_does_not_call_a_smaller_step_large():
    """Audit pass 40 (f): at lr = 0.3 and the dead-unit slider at 0.1 the sidebar labelled the
    smaller step 'Large learning rate' while the runs beside it were named 'smaller η = 0.1'.
    The label (and help) calls a step large only where it is larger than η."""
    query = {"lr": "0.3", "biglr": "0.1", "epochs": "5", "nwidth": "8", "width": "4"}
    at = _open(query=query)
    big = at.sidebar.select_slider(key="biglr")
    small = at.sidebar.select_slider(key="lr")
    assert big.value < small.value  # the witness: the second step is the smaller one
    label = big.proto.label.lower()
    assert "large" not in label and "big" not in label, big.proto.label
    notice = " ".join(m.value for m in at.markdown)
    assert "smaller η = 0.1" in notice  # the runs the slider feeds, named as they are


def test_the_dead_unit_caption_does_not_say_a_leaky_unit_passes_a_gradient_at_slope_0():
    """Audit pass 40 (f): at slope 0 the dead-unit caption said "A leaky unit there still passes
    slope × its gradient" beside the notice "With slope 0 leaky ReLU is ReLU: its ... units below
    zero on every training point get no gradient either". Wherever a caption says a leaky unit
    still passes a gradient, it names slope 0, where it passes none."""
    query = {"slope": "0", "epochs": "5", "nwidth": "8", "width": "4"}
    at = _open(query=query)
    assert at.sidebar.slider(key="slope").value == 0
    notice = " ".join(m.value for m in at.markdown)
    assert "With slope 0 leaky ReLU is ReLU" in notice  # the witness
    for caption in (c.value for c in at.caption):
        if "leaky unit" in caption and "still passes" in caption:
            assert "slope 0" in caption, caption


def test_a_regression_output_is_not_called_a_logit():
    """Audit pass 41 (f): with the task set to regression the output chart was titled "Example:
    the last layer's logits through the regression output" and its bars labelled "logit z (last
    layer)", beside the guide's "takes the raw output ŷ = z": a regression's identity output is
    no logit (log-odds). The chart names z a logit only for the classifiers."""
    from tests.app.conftest import chart_rows

    for task, logit in (("regression", False), ("binary", True), ("multi-class", True)):
        at = _open(query={"task": task, "epochs": "5", "nwidth": "8", "width": "4"})
        title = next(str(t) for t in titles(at) if f"{task} output" in str(t))
        stages = {r["stage"] for rows in chart_rows(at, title).values() for r in rows}
        named = "logit" in title.lower() or any("logit" in s.lower() for s in stages)
        assert named == logit, (task, title, stages)


def test_the_selu_caption_does_not_print_rounded_constants_as_equal():
    """Audit pass 41 (f): the SELU formula tab's caption said "λ = 1.0507 and α = 1.6733 are
    fixed so that mean 0 and variance 1 are a fixed point", under the formula's own "λ ≈ 1.0507":
    with those values the mean is −9.2e-6 and the variance 1.0000178, no fixed point. A constant
    printed with "=" is the constant; a rounded one is marked "≈"."""
    import re

    from core.activations import SELU_ALPHA, SELU_LAMBDA

    at = _open(query={"epochs": "5", "nwidth": "8", "width": "4"})
    captions = [c.value for c in at.caption if "λ" in c.value and "fixed point" in c.value]
    assert captions  # the witness: the SELU tab's caption
    for caption in captions:
        for symbol, exact in (("λ", SELU_LAMBDA), ("α", SELU_ALPHA)):
            for sign, number in re.findall(symbol + r" ([=≈]) ([\d.]+)", caption):
                assert sign == "≈" or float(number) == exact, caption
                assert abs(float(number) - exact) <= 0.5 * 10 ** -len(number.split(".")[1])


def test_each_formulas_caption_names_its_setting_by_the_formulas_symbol():
    """Audit pass 42: PReLU's tab drew PReLU(x) = αx with the caption "alpha = 0.25 (sidebar)",
    while the sidebar ("PReLU initial slope a"), the kink sentence ("PReLU (a = 0.25)") and the
    boundary captions ("learned slopes a = ...") call the learned slope a, and the sidebar's only
    α is ELU's. Each tab's caption names its setting by a symbol of the tab's own formula."""
    import re

    at = _open(state={"epochs": 5})
    symbols = {"a": "a", "α": r"\alpha", "negative_slope": r"negative\_slope"}
    checked = 0
    for tab in at.tabs:
        latex = " ".join(x.value for x in tab.latex)
        for caption in (c.value for c in tab.caption):
            named = re.match(r"^(\S+) = [\d.]+ ", caption)
            if named and "(sidebar" in caption:
                symbol = named.group(1)
                assert symbol in symbols and symbols[symbol] in latex, (tab.label, caption, latex)
                checked += 1
    assert checked == 3, checked  # leaky ReLU, PReLU and ELU
    prelu = next(t for t in at.tabs if t.label == "PReLU")
    assert r"\alpha" not in " ".join(x.value for x in prelu.latex)


def test_both_self_normalization_charts_say_they_are_at_initialization():
    """Audit 43a: the self-normalization charts measure the 50-layer nets at initialization (no
    training), and the mean chart's title said so while its neighbour's, "Standard deviation of
    each layer's outputs", did not, as if the std were measured after training like the
    comparison above. Both titles now name it."""
    at = _open(state={"epochs": 5})
    norm = [t for t in titles(at) if isinstance(t, str) and "each layer's outputs" in t]
    assert len(norm) == 2, titles(at)
    assert all(t.endswith("at initialization") for t in norm), norm


def test_the_single_maps_printed_coefficients_are_not_called_equal_to_it():
    """Audit pass 44: at the defaults the page printed f(x) "= 0.3257 x_1 − 0.1268 x_2 −
    0.12499" (4 significant digits) beside the answer's "differ by at most 4.5e-16"; the
    printed map is 1.1e-4 from the deep net's outputs, so it is "≈", with its rounding named."""
    from core.data import make_classification_2d
    from core.experiments import activations as ae

    config = ae.Config(epochs=5)
    at = _open(state={"epochs": 5})
    formula = next(x.value for x in at.latex if r"\,x_1" in x.value)
    ds = make_classification_2d(config.dataset, n_samples=ae.N_SAMPLES, noise=0.2, seed=config.seed)
    _, cm = ae.collapse_deep_linear(config, ds.X_test)
    line = formula.split(r"\\")[1]
    shown = line.split(r"\,x_1")[0].strip().lstrip("&").replace(r"\approx", "").lstrip("=")
    assert float(shown) != cm["w1"]  # printed rounded
    assert r"\approx" in line and "&=" not in line, line
    assert any("printed rounded" in c.value for c in at.caption)


def test_the_self_normalization_width_is_the_nets_input_size_too():
    """Audit 46h: the help of "Width of the 50-layer nets" said "(200 standard-normal inputs)",
    but the nets take inputs of that width (8 at ?nwidth=8): 200 is how many input vectors
    are pushed through them. No number of inputs is given other than the width."""
    import re

    from core.experiments import activations as ae

    at = _open(query={"nwidth": "8"}, state={"epochs": 5})
    width = next(s for s in at.sidebar.select_slider if s.label == "Width of the 50-layer nets")
    assert width.value == 8
    assert not re.search(r"\d+ (?:standard-normal )?inputs\b", width.help), width.help
    assert f"{ae.NORM_ROWS} input vectors" in width.help, width.help


def test_the_dead_unit_caption_names_earlier_layers_only_where_there_are_some():
    """Audit pass 55 (g): at ?layers=1 the dead-unit caption said a dead ReLU "stays dead unless
    Adam's momentum or earlier layers move its input back above 0", where the only hidden layer's
    input is the data, which nothing changes. With one hidden layer it names momentum alone."""
    query = {"layers": "1", "epochs": "5", "nwidth": "8", "width": "4"}
    at = _open(query=query)
    assert at.sidebar.slider(key="layers").value == 1  # the witness
    dead = [c.value for c in at.caption if "stays dead unless" in c.value]
    assert len(dead) == 1, [c.value for c in at.caption]
    assert "earlier layers move" not in dead[0] and "layers before it" not in dead[0], dead[0]
    assert "Adam's momentum" in dead[0]


def test_loss_tooltips_keep_the_zeros_the_sentences_print():
    """Audit pass 65 g: classic, circles, 1 hidden layer of 4, η = 0.1, large η = 1.5, 10
    epochs, seed 683: 'ReLU reached the lowest training loss (0.420)' and the dead-unit report's
    '(training loss 0.420)' beside ReLU's last-epoch tooltips reading '0.42' in the training
    curves and the dead-unit loss chart. Every loss tooltip keeps its sentence's digits."""
    from tests.tooltips import _frames

    query = {"group": "classic", "data": "circles", "layers": "1", "width": "4", "lr": "0.1"}
    query |= {"biglr": "1.5", "epochs": "10", "seed": "683"}
    at = _open(query=query)
    notice = " ".join(m.value for m in at.markdown)
    assert "ReLU reached the lowest training loss (0.420)" in notice, notice
    assert "ReLU, η = 0.1: 0 % (training loss 0.420)" in notice, notice
    charts = {}
    for chart in at.get("vega_lite_chart"):
        title = joined_title(json.loads(chart.proto.spec).get("title"))
        title = title.get("text") if isinstance(title, dict) else title
        charts[title] = [r for rows in _frames(chart.proto).values() for r in rows]
    curves = charts["Training loss: same architecture, data, seed and optimizer"]
    dead = charts["Training loss of the same runs"]
    relu = [r["train_loss_text"] for r in curves if r["activation"] == "relu" and r["epoch"] == 10]
    run = [r["train_loss_text"] for r in dead if r["run"] == "ReLU, η = 0.1" and r["epoch"] == 10]
    assert relu == run == ["0.420"], (relu, run)


def test_a_refused_group_in_a_link_names_the_three_groups_it_offers():
    """Audit pass 70 (a): ?group=ReLU family warned "“Activations to compare” can't be ReLU family
    (it offers Linear (identity), Sigmoid, Tanh, ReLU, ReLU, Leaky ReLU, PReLU, ELU, ELU, SELU,
    GELU, Swish (SiLU))": three options read as one list of twelve, two of them twice."""
    at = open_page(PAGE, query={"group": "ReLU family"}, timeout=300)
    (warning,) = [w.value for w in at.warning if "can't be ReLU family" in w.value]
    assert (
        "it offers “Linear (identity), Sigmoid, Tanh, ReLU”, “ReLU, Leaky ReLU, PReLU, ELU”, "
        "“ELU, SELU, GELU, Swish (SiLU)”" in warning
    ), warning
