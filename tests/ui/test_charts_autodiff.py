"""Autodiff chart factories: valid Vega-Lite, titled axes, fixed colors; the graph's DOT is well formed."""

import re
from decimal import Decimal

import numpy as np
import pytest

from core.autodiff import compile_loss
from core.experiments import autodiff as ad
from core.experiments.autodiff.fit_claims import rel_text
from tests.ui.specs import axis_titles, checked, title_text, values
from ui.charts import COLORS, OKABE_ITO
from ui.charts import autodiff as charts


@pytest.fixture(scope="module")
def result():
    return ad.run(ad.Config(steps=20))


def test_error_vs_h_is_log_log_with_theory_guides(result):
    spec = checked(charts.error_vs_h(result.sweep, result.guides, methods=list(ad.METHODS), h=1e-5))
    scales = [s.get("type") for s in values(spec, "scale") if isinstance(s, dict)]
    assert scales.count("log") >= 2
    text = str(spec)
    assert "slope 1" in text and "slope 2" in text and "round-off" in text
    assert OKABE_ITO["orange"] in text and OKABE_ITO["sky_blue"] in text
    assert any("log scale" in t for t in axis_titles(spec))


def test_error_vs_h_survives_an_empty_sweep(result):
    empty = result.sweep.iloc[0:0]
    checked(charts.error_vs_h(empty, result.guides.iloc[0:0], methods=list(ad.METHODS), h=1e-5))


def test_gradient_curve_colors_and_dashes_the_three_methods(result):
    spec = checked(
        charts.gradient_curve(
            result.curve,
            methods=list(ad.METHODS),
            point=(1.5, result.point["exact"]),
            h=1e-5,
            y_true=0.0,
        )
    )
    domains = [s.get("domain") for s in values(spec, "scale") if isinstance(s, dict)]
    assert list(ad.METHODS) in domains
    assert "h = 1e-05" in title_text(spec)


def test_fitted_lines_use_the_palette_color_of_the_reference_loss(result):
    spec = checked(
        charts.fitted_lines(result.data, result.fits, reference="mse", classification=False)
    )
    assert COLORS["mse"] in str(spec) and charts.YOUR_LOSS in str(spec)
    spec = charts.fitted_lines(
        result.data, result.fits, reference="bce_with_logits", classification=True
    ).to_dict(validate=True)
    assert COLORS["bce_with_logits"] in str(spec) and "P(y = 1)" in str(spec)


def test_gradcheck_bars_mark_both_thresholds(result):
    spec = checked(
        charts.gradcheck_bars(
            result.gradcheck, verdicts=list(ad.VERDICTS), good=ad.GOOD, wrong=ad.WRONG
        )
    )
    shown = [row.get("shown") for rows in spec["datasets"].values() for row in rows]
    assert ad.GOOD in shown and ad.WRONG in shown
    assert list(ad.VERDICTS) in [s.get("domain") for s in values(spec, "scale")]


def test_graph_dot_has_one_node_per_entry_and_one_edge_per_input():
    loss = compile_loss("mean((y_pred - y_true)**2) + mean(y_pred)")
    nodes = loss.graph([1.5], [0.5])
    dot = charts.graph_dot(nodes)
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert len(re.findall(r"^\s+n\d+ \[label=", dot, flags=re.M)) == len(nodes)
    assert len(re.findall(r"->", dot)) == sum(len(n["inputs"]) for n in nodes)
    assert dot.count('label="y_pred') == 1
    assert "value 0.5" in dot  # y_true


def test_fitted_probability_is_never_printed_as_certain():
    assert charts._fitted_text(0.99996, True) == "1 − 4e-05"
    assert charts._fitted_text(2.3e-08, True) == "2.3e-08"
    assert charts._fitted_text(1.0, True).startswith("1 − under 2e-16")
    assert charts._fitted_text(0.5, True) == "0.500"


def test_relative_error_never_prints_across_a_threshold():
    assert rel_text(9.996e-08, 1e-7, 1e-2) == "9.996e-08"
    assert rel_text(1.00001e-02, 1e-7, 1e-2) == "1.00001e-02"
    assert rel_text(3.21e-11, 1e-7, 1e-2) == "3.21e-11"


def test_graph_and_curve_never_print_a_fraction_as_a_whole_number():
    # sigmoid(10) = 0.99995 printed "value 1" at 4 digits, tanh(10) "-1.00000" in the tooltip
    nodes = compile_loss("mean(sigmoid(10*y_pred) + 0*y_true)").graph([1.0], [0.0])
    dot = charts.graph_dot(nodes)
    assert "sigmoid\\nvalue 0.99995" in dot
    assert "value -0" not in charts.graph_dot(
        compile_loss("mean(-(y_pred - y_true))").graph([0.0], [0.0])
    )
    config = ad.Config(y_pred=-5.0, y_true=5.0, steps=10)
    run = ad.run(config)
    spec = checked(
        charts.gradient_curve(
            run.curve,
            methods=list(ad.METHODS),
            point=(-5.0, run.point["exact"]),
            h=1e-5,
            y_true=5.0,
        )
    )
    text = str(spec)
    assert "'grad_text': '−0.99999999" in text and "'grad_text': '−1'" not in text


@pytest.mark.parametrize("preset", ["Focal", "BCE on logits", "Faster than h²"])
def test_curve_tooltips_stay_within_the_bound_the_curve_sentence_prints(preset):
    """Audit pass 35 (c): at the Focal preset the tooltips printed an estimate and the exact
    derivative 1e-05 apart (1.04567 / 1.04568) beside 'no estimate is off by more than
    0.0000025'."""
    config = ad.PRESETS[preset].config
    run = ad.run(config)
    (fact,) = [f for f in ad.facts(config, run) if f.claim in ("curves_coincide", "curves_apart")]
    if fact.claim == "curves_coincide":
        bound = Decimal(re.search(r"off by more than ([\d.e+-]+) \(", fact.text).group(1))
        bounds = dict.fromkeys(ad.METHODS[1:], bound)
    else:
        found = re.findall(r"([\d.e+-]+) at ŷ", fact.text)
        bounds = {m: Decimal(b) for m, b in zip(fact.values["off"], found, strict=True)}
    chart = charts.gradient_curve(
        run.curve,
        methods=list(ad.METHODS),
        point=(config.y_pred, run.point["exact"]),
        h=config.h,
        y_true=config.y_true,
    )
    data = chart.layer[0].data  # the curves (the point layer is the reader's ŷ)
    texts = data.pivot(index="y_pred", columns="method", values="grad_text").dropna()
    assert len(texts)
    for y, row in texts.iterrows():
        exact = Decimal(row[ad.METHODS[0]].replace("−", "-"))
        for method, bound in bounds.items():
            assert abs(Decimal(row[method].replace("−", "-")) - exact) <= bound, (
                y,
                method,
                row[method],
                row[ad.METHODS[0]],
            )


def _error_tooltips(config, run):
    """(method, h) -> the error chart's tooltip text, as the page builds the chart."""
    from core.experiments.autodiff.claims import error_texts

    chart = charts.error_vs_h(
        run.sweep, run.guides, methods=list(ad.METHODS), h=config.h, texts=error_texts(run)
    )
    (data,) = [
        layer.data for layer in chart.layer if "measured_text" in getattr(layer.data, "columns", ())
    ]
    return {
        (m, float(h)): t
        for m, h, t in zip(data["method"], data["h"], data["measured_text"], strict=True)
    }


def test_truncation_slope_follows_from_the_error_tooltips_at_h_0_1_and_0_01():
    """Audit pass 36 (c): at the default 'the central error went from 5.457e-04 to 5.452e-06
    (log-log slope 2.0004)' sat beside error tooltips of 5.46e-04 and 5.45e-06 (slope 2.0008)."""
    from decimal import localcontext

    from core.facts import agrees

    config = ad.Config()
    run = ad.run(config)
    (fact,) = [f for f in ad.facts(config, run) if f.claim == "truncation_slopes"]
    printed = dict(
        re.findall(r"the (\w+) error went from [^()]+\(log-log slope ([\d.]+)\)", fact.text)
    )
    assert set(printed) == {"forward", "central"}, fact.text
    tips = _error_tooltips(config, run)
    for method in ad.METHODS[1:]:
        a, b = (tips[(method, h)] for h in (0.1, 0.01))
        with localcontext() as ctx:
            ctx.prec = 40
            implied = (Decimal(a) / Decimal(b)).log10()
        slope_text = printed[method.split()[0]]
        assert agrees(slope_text, implied), (method, a, b, fact.text)


@pytest.mark.parametrize("preset", ["MAE", "Huber"])
def test_best_step_is_named_only_where_every_other_tooltip_prints_a_larger_error(preset):
    """Audit pass 37 (c): at the MAE preset 'the forward error is smallest at h ≈ 1.0e-01
    (1.0e+00)' sat beside tooltips of 1.00e+00 at every one of the sweep's steps."""
    config = ad.PRESETS[preset].config
    run = ad.run(config)
    (fact,) = [f for f in ad.facts(config, run) if f.claim == "best_steps"]
    tips = _error_tooltips(config, run)
    named = dict(
        (name, (float(h), e))
        for name, h, e in re.findall(
            r"the (\w+) error is smallest at h ≈ ([\d.e+-]+) \(([^)]+)\)", fact.text
        )
    )
    for method in ad.METHODS[1:]:
        name = method.split()[0]
        if name not in named:
            continue
        h, best = named[name]
        ((h_best, text),) = [
            (s, t) for (m, s), t in tips.items() if m == method and f"{s:.1e}" == f"{h:.1e}"
        ]
        assert text == best, (method, text, fact.text)
        for (m, s), t in tips.items():
            if m == method and s != h_best:
                assert Decimal(t) > Decimal(best), (method, s, t, fact.text)


def test_a_typed_constant_box_reads_as_the_constant():
    """Pass 38: the computation graph labelled a typed constant with Python's :g, so the box of
    0.9999999 read "1" above "value 0.9999999", and 123456.7 read "123457": a label reads as the
    constant to 6 significant digits (as the formula prints it) and never as a whole number the
    constant is not."""
    constants = (0.9999999, 123456.7, 1.0000001, 2.5e-7)
    text = " + ".join(f"{c!r}*y_pred" for c in constants)
    nodes = compile_loss(f"mean({text} + (y_pred - y_true)**2)").graph([1.5], [0.5])
    dot = charts.graph_dot(nodes)
    labels = {n["id"]: n["label"] for n in nodes}
    checked_constants = set()
    for node in nodes:
        value = float(np.asarray(node["value"]).reshape(-1)[0])
        if node["label"] in ("y_pred", "y_true") or node["inputs"] or value not in constants:
            continue
        shown = Decimal(labels[node["id"]])
        assert abs(shown - Decimal(repr(value))) <= Decimal(repr(value)).copy_abs() * Decimal(
            "5e-6"
        )
        assert shown != shown.to_integral_value() or value == int(value)
        assert f'label="{labels[node["id"]]}\\nvalue' in dot
        checked_constants.add(value)
    assert checked_constants == set(constants)


def test_verdicts_name_what_the_check_shows():
    """Pass 38: the verdicts "correct"/"wrong" named backprop's gradient "wrong" where the check
    only straddles the relu kink (on_kink: "although backprop is correct"): the legend, the bar
    tooltips and the threshold rules now say what the check does (passes, fails)."""
    kink = ad.run(ad.Config(on_kink=True, steps=10))
    spec = checked(
        charts.gradcheck_bars(
            kink.gradcheck, verdicts=list(ad.VERDICTS), good=ad.GOOD, wrong=ad.WRONG
        )
    )
    shown = " ".join(
        str(row.get(k)) for rows in spec["datasets"].values() for row in rows for k in row
    )
    assert "wrong" not in shown and "fails (> 1e-2)" in shown
    assert not any("wrong" in v or "correct" in v for v in ad.VERDICTS)


def test_the_relative_error_formula_names_its_floor():
    """Pass 38: the relative error's formula (model answer, chart axis) left out
    core.gradcheck.rel_error's floor 1e-8, which alone gives the 0 the chart shows for tensors
    whose gradients are exactly 0 (seed 2932: every second-layer relu dead, 0/0 as printed)."""
    dead = ad.run(ad.Config(seed=2932, steps=10)).gradcheck
    assert (dead["rel_error"] == 0).any()  # the floor decides these
    spec = checked(
        charts.gradcheck_bars(dead, verdicts=list(ad.VERDICTS), good=ad.GOOD, wrong=ad.WRONG)
    )
    assert any("1e-8" in t for t in axis_titles(spec))
    assert any("10^{-8}" in f for f in ad.MODEL_ANSWER.formulas if "rel. error" in f)


def test_autodiffs_line_and_the_error_axis_do_not_call_a_convention_exact():
    """At relu(r) - relu(-r), r = 0, autodiff's line draws 0 where L' = 1 (relu'(0) = 0, a
    convention): the legend said "exact (autodiff)" and the error axis "|estimate − exact|"
    (audit pass 43 b)."""
    config = ad.Config(
        expression="mean(relu(y_pred - y_true) - relu(y_true - y_pred))", y_pred=0.0, steps=10
    )
    run = ad.run(config)
    curve = checked(
        charts.gradient_curve(
            run.curve, methods=list(ad.METHODS), point=(0.0, run.point["exact"]), h=1e-5, y_true=0.0
        )
    )
    errors = checked(charts.error_vs_h(run.sweep, run.guides, methods=list(ad.METHODS), h=1e-5))
    for spec in (curve, errors):
        domains = [s.get("domain") for s in values(spec, "scale") if isinstance(s, dict)]
        names = [m for d in domains if isinstance(d, list) for m in d if isinstance(m, str)]
        assert not any("exact" in m for m in names), names
        assert not any("exact" in t for t in axis_titles(spec)), axis_titles(spec)
