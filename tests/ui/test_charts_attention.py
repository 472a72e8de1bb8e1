"""Charts of the attention lesson: valid Vega-Lite, titled axes and legends, bounded rows."""

import json
import re
from decimal import Decimal

import numpy as np
import pytest

from core.experiments import attention as experiment
from tests.ui.specs import checked
from ui.charts import SAFE_COLORS
from ui.charts import attention as charts


@pytest.fixture(scope="module")
def result():
    return experiment.run(experiment.Config(causal=True, n_draws=100))


def _validate(chart, *, max_rows=3000):
    spec = checked(chart, max_rows=max_rows)
    assert '"legend"' in json.dumps(spec), "every chart has a legend"
    return spec


def _head(frame, head=1, matrix=None):
    rows = frame[frame["head"] == head]
    return rows if matrix is None else rows[rows["matrix"] == matrix]


def test_matrix_heatmaps_label_small_matrices_and_not_wide_ones(result):
    tokens = list(result.tokens)
    cols = [str(j + 1) for j in range(4)]
    q = _head(result.projections, 1, "Q")
    spec = _validate(
        charts.matrix_heatmap(
            q, rows=tokens, cols=cols, title="Q", x_title="entry", y_title="token", value_title="q"
        )
    )
    assert len(spec["layer"]) == 2  # cells and their numbers
    wide = experiment.step_through(experiment.Config(d_head=64, n_heads=1))
    q64 = _head(wide["projections"], 1, "Q")
    spec = _validate(
        charts.matrix_heatmap(
            q64,
            rows=tokens,
            cols=[str(j + 1) for j in range(64)],
            title="Q",
            x_title="entry",
            y_title="token",
            value_title="q",
        )
    )
    assert len(spec["layer"]) == 1  # 64 columns: numbers only in the tooltip


@pytest.mark.parametrize("value", ["score", "weight"])
def test_attention_heatmap_greys_out_the_masked_cells(result, value):
    tokens = list(result.tokens)
    spec = _validate(
        charts.attention_heatmap(
            _head(result.attention), value=value, tokens=tokens, title="t", value_title=value
        )
    )
    text = json.dumps(spec, ensure_ascii=False)
    assert "masked (key after query)" in text and charts.MASKED_COLOR in text
    assert ("−∞" in text) == (value == "score")


def test_attention_heatmap_numbers_can_be_left_to_the_tooltip(result):
    tokens = list(result.tokens)
    head = _head(result.attention)
    kwargs = dict(value="weight", tokens=tokens, title="t", value_title="weight")
    with_numbers = _validate(charts.attention_heatmap(head, **kwargs))
    without = _validate(charts.attention_heatmap(head, labelled=False, **kwargs))
    assert len(with_numbers["layer"]) == len(without["layer"]) + 1


def test_sweep_charts_are_valid_and_use_the_scaling_colors(result):
    n_keys = experiment.Config().n_keys
    for chart in (
        charts.variance_chart(result.variance),
        charts.top_weight_chart(result.sweep, n_keys=n_keys),
        charts.entropy_chart(result.sweep, n_keys=n_keys),
        charts.jacobian_chart(result.sweep),
        charts.gradient_scatter(result.samples),
    ):
        spec = _validate(chart)
        text = json.dumps(spec)
        for color in charts.SCALING_COLORS.values():
            assert color in text and color in SAFE_COLORS.values()


def test_the_jacobian_chart_floors_values_for_its_log_axis(result):
    spec = charts.jacobian_chart(result.sweep).to_dict()
    for table in spec["datasets"].values():
        for row in table:
            for key in ("median", "low", "high"):
                if key in row:
                    assert row[key] >= charts.JACOBIAN_FLOOR


def test_weighted_sum_latex_uses_the_runs_numbers(result):
    latex = charts.weighted_sum_latex(_head(result.attention), "t3")
    head = _head(result.attention)
    row = head[(head["query"] == "t3") & head["allowed"]]
    assert list(row["key"]) == ["t1", "t2", "t3"]  # the causal mask: t3 sees t1 to t3
    for key, weight in zip(row["key"], row["weight"], strict=True):
        # 2 significant digits, zeros kept (audit pass 69 b: "0.40", not "0.4")
        assert rf"{weight:#.2g}\,v_{{{key[1:]}}}" in latex
    assert latex.startswith(r"\text{out}_{3}") and np.isclose(row["weight"].sum(), 1.0)


def test_reference_lines_are_labelled_in_the_plot_not_in_a_second_legend(result):
    spec = charts.top_weight_chart(result.sweep, n_keys=16).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert "uniform weights, 1/16" in text and '"strokeDash": {"field"' not in text


def _range(text: str, after: str) -> tuple[Decimal, Decimal]:
    """The ends of 'between a and b' (or 'at a') printed right after ``after``."""
    tail = text.split(after, 1)[1]
    number = r"(\d+(?:\.\d+)?)"
    found = re.match(rf"\s*(?:stays\s+)?(?:between {number} and {number}|at {number})", tail)
    low, high, at = found.groups()
    return (Decimal(low), Decimal(high)) if at is None else (Decimal(at), Decimal(at))


@pytest.mark.parametrize("preset", [None, "Small entries, no saturation", "Many heads"])
def test_every_scaled_tooltip_lies_inside_the_range_the_sentences_print(preset):
    """Audit pass 35 (f): 'the entropy's between 2.34 and 2.45 nats' beside an entropy tooltip
    of 2.339 at the default; 'between 2.7707 and 2.7708' beside tooltips of 2.771 at Small
    entries. The variance tail ('measured from 0.96 to 1.04') rounds its ends the same way."""
    config = experiment.Config() if preset is None else experiment.PRESETS[preset].config
    run = experiment.run(config)
    facts = {f.claim: f.text for f in experiment.facts(config, run)}
    steady = facts["scaled_steady"]
    scaled = charts.SCALING_LABELS["scaled"]
    for chart, after in (
        (charts.top_weight_chart(run.sweep, n_keys=config.n_keys), "top weight's mean"),
        (charts.entropy_chart(run.sweep, n_keys=config.n_keys), "the entropy's"),
    ):
        low, high = _range(steady, after)
        data = chart.data
        for text in data.loc[data["scores"] == scaled, "mean_text"]:
            assert low <= Decimal(text) <= high, (text, after, steady)
    (tail,) = [t for t in facts.values() if "measured from" in t]
    low, high = (
        Decimal(x) for x in re.search(r"measured from (\d[\d.]*) to (\d+(?:\.\d+)?)", tail).groups()
    )
    data = charts.variance_chart(run.variance).data
    for text in data.loc[data["scores"] == scaled, "measured_text"]:
        assert low <= Decimal(text) <= high, (text, tail)


@pytest.mark.parametrize(
    "config",
    [
        experiment.Config(),
        experiment.Config(
            n_tokens=5, d_model=8, n_heads=2, d_head=4, causal=True, scaled=True,
            embedding_std=1.7, max_d_k=512, n_keys=8, n_draws=1000, entry_std=1.0, seed=193425,
        ),
    ],
)  # fmt: skip
def test_gradient_ratios_follow_from_the_jacobian_tooltips(config):
    """Audit pass 36 (e): at the default '0.000422799 without scaling against 0.304839 with it:
    721.002× smaller' sat beside jacobian tooltips of 0.0004228 and 0.3048 (720.9)."""
    from core.experiments.attention.claims import jacobian_digits

    run = experiment.run(config)
    (fact,) = [f for f in experiment.facts(config, run) if f.claim == "gradient_vanishes"]
    d_k = int(re.search(r"[Aa]t d_k = (\d+)", fact.text).group(1))
    # a ratio from 100 to a million is a whole bound, "at least 721" (audit pass 61 h)
    ratio = re.search(r"with it: ((?:at least )?[\d,.]+)× smaller", fact.text).group(1)
    data = charts.jacobian_chart(run.sweep, jacobian_digits(run)).data
    rows = data[data["d_k"] == d_k].set_index("scores")
    raw, scaled = (rows.loc[charts.SCALING_LABELS[s]] for s in ("unscaled", "scaled"))
    implied = Decimal(scaled["median_text"]) / Decimal(raw["median_text"])
    assert _says_ratio(ratio, implied), (raw["median_text"], scaled["median_text"], fact.text)
    mean = re.search(r"only ([\d,.]+)× smaller|((?:at least )?[\d,.]+)× smaller too", fact.text)
    if mean:
        shown = mean.group(1) or mean.group(2)
        implied = Decimal(scaled["mean_text"]) / Decimal(raw["mean_text"])
        assert _says_ratio(shown, implied), (raw["mean_text"], scaled["mean_text"], fact.text)


def _says_ratio(text: str, implied: Decimal) -> bool:
    """Whether a printed ratio is the implied one: rounded, or as "at least" its 3 significant
    digits rounded down."""
    from core.experiments.attention.claims import times
    from core.facts import agrees

    if text.startswith("at least "):
        return times(float(implied)) == text
    return agrees(text.replace(",", ""), implied)


def _over_one_hot(text: str) -> bool:
    """Whether a printed weight reads as over 0.99 (a label '>0.99', '(1 - x)' or a number)."""
    text = text.strip()
    if text.startswith(">"):
        return Decimal(text[1:]) >= Decimal("0.99")
    found = re.fullmatch(r"\(1 - ([\d.]+)\)", text)
    value = 1 - Decimal(found.group(1)) if found else Decimal(text)
    return value > Decimal("0.99")


def test_saturated_rows_print_their_top_weight_over_0_99_on_the_heatmap_and_formula():
    """Audit pass 37 (d): 'put over 0.99 of their weight on one token (t4 and t5)' sat beside
    heatmap cells labelled 0.99 (weights 0.993457, 0.994275) and the formula's '0.99 v₄'."""
    config = experiment.Config(
        n_tokens=5, d_model=4, n_heads=1, d_head=8, causal=True, scaled=True, embedding_std=1.9,
        seed=618832,
    )  # fmt: skip
    run = experiment.run(config)
    (fact,) = [f for f in experiment.facts(config, run) if f.claim == "step_saturated"]
    head = run.attention[run.attention["head"] == 1]
    tokens = list(run.tokens)
    data = charts.attention_heatmap(
        head, value="weight", tokens=tokens, title="P", value_title="weight"
    ).data
    rows = [query for h, query in fact.values["rows"] if h == 1]
    assert rows, fact.text
    for query in rows:
        row = data[(data["query"] == query) & data["allowed"]]
        top = row.loc[row["weight"].idxmax()]
        assert _over_one_hot(top["label"]) and _over_one_hot(top["tip"]), (query, dict(top))
    if tokens[-1] in rows:
        latex = charts.weighted_sum_latex(head, tokens[-1])
        terms = re.split(r" = | \\approx ", latex)[-1].split(" + ")
        weights = [t.split(r"\,v_")[0] for t in terms]
        assert any(_over_one_hot(w) for w in weights if "times" not in w), terms


def _printed_remainder(top: str) -> Decimal | None:
    """1 − max p as the scatter's max_weight tooltip prints it (None for a bound's text)."""
    if top.startswith("1 − ("):
        return None
    return Decimal(top[len("1 − ") :]) if top.startswith("1 − ") else 1 - Decimal(top)


def test_every_scatter_draw_prints_under_the_bound_the_chart_and_the_sentence_state():
    """Audit 39j: the scatter's caption ("single draws … under the bound 2(1 − max p)") and the
    jacobian_bound sentence ("In every draw ‖∂p/∂s‖_F ≤ 2(1 − p_max)") hold of every draw's
    tooltip as printed. At the default a draw read max_weight 0.99996 and jacobian 8.01e-05, over
    2 × 0.00004 (the ratio of a nearly one-hot draw is 1 − 2e-11 at most)."""
    result = experiment.run(experiment.Config())
    data = charts.gradient_scatter(result.samples).data
    checked = 0
    for top, jacobian in zip(data["top_text"], data["jacobian_text"], strict=True):
        remainder = _printed_remainder(top)
        if remainder is None or jacobian.startswith("0 in float64"):
            continue
        assert Decimal(jacobian) <= 2 * remainder, (top, jacobian)
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "config",
    [experiment.PRESETS["Causal mask"].config, experiment.Config()],
    ids=["causal-mask", "default"],
)
def test_the_largest_and_smallest_weight_print_as_the_heatmap_tooltips_do(config):
    """Audit 39j: step_spread read "the largest such weight is 0.901" beside head 1's tooltip
    0.901385 (preset "Causal mask"), and at the default "the largest such weight is 0.695" beside
    0.69518 and no_mask "the smallest 0.0569" beside head 2's 0.0569042: an extreme printed
    below (above) a tooltip of the weights it is the largest (smallest) of."""
    result = experiment.run(config)
    facts = {f.claim: f for f in experiment.facts(config, result)}
    tips, tops = [], []
    for head in range(1, config.n_heads + 1):
        frame = _head(result.attention, head)
        data = charts.attention_heatmap(
            frame, value="weight", tokens=list(result.tokens), title="", value_title="weight"
        ).data
        allowed = data[data["allowed"] & data["tip"].str.fullmatch(r"[0-9.e+-]+")]
        tips += [Decimal(t) for t in allowed["tip"]]
        counts = allowed.groupby("query")["key"].transform("count")
        tops += [Decimal(t) for t in allowed.loc[counts >= 2, "tip"]]
    # the number, then (with several heads, audit 41a) the head and cell it comes from
    largest = re.search(
        r"largest such weight is (\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?: \(head \d+, query t\d+\))?\.",
        facts["step_spread"].text,
    )
    assert all(Decimal(largest.group(1)) >= t for t in tops), largest.group(1)
    if "no_mask" in facts:
        smallest = re.search(
            r"the smallest (\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?: \(head \d+, query t\d+, key t\d+\))?\.",
            facts["no_mask"].text,
        )
        assert all(Decimal(smallest.group(1)) <= t for t in tips), smallest.group(1)


def _weight_value(text: str) -> Decimal | None:
    """A top weight's printed value: a number, or 1 − x (None for a bound such as 'within …')."""
    if text.startswith(("within", "1 − (")):
        return None
    return 1 - Decimal(text[len("1 − ") :]) if text.startswith("1 − ") else Decimal(text)


def test_the_answers_middle_80_percent_holds_the_band_tooltips_ends():
    """Audit 39j: at ?dk=128&keys=32&draws=300&sigma=0.25&seed=729633 the answer read "the middle
    80 % of draws from 0.0776 to 0.164" beside the band's tooltips at d_k = 128 without scaling,
    10th percentile 0.07755 and 90th 0.1645: both ends outside the range the answer prints."""
    config = experiment.Config(max_d_k=128, n_keys=32, n_draws=300, entry_std=0.25, seed=729633)
    result = experiment.run(config)
    answer = next(f for f in experiment.facts(config, result) if f.claim == "top_weight_answer")
    low, high = re.search(r"middle 80 % of draws from (.+?) to (.+?)\)", answer.text).groups()
    chart = charts.top_weight_chart(result.sweep, n_keys=config.n_keys).data
    tips = chart[(chart["d_k"] == 128) & (chart["scores"] == charts.SCALING_LABELS["unscaled"])]
    tip_low, tip_high = tips["low_text"].iloc[0], tips["high_text"].iloc[0]
    assert _weight_value(low) <= _weight_value(tip_low), (low, tip_low)
    assert _weight_value(high) >= _weight_value(tip_high), (high, tip_high)


def test_no_printed_entropy_exceeds_the_printed_log_n():
    """Audit 39j: at the preset "Small entries, no saturation" unscaled_not_saturated read "the
    entropy averages 2.02 nats against log 16 = 2.77 for uniform weights" beside entropy
    tooltips of 2.771 (means), 2.772 (medians) and 2.773 (90th percentile), and scaled_steady's
    "between 2.770 and 2.771 nats": entropies printed above the printed maximum, log 16."""
    config = experiment.PRESETS["Small entries, no saturation"].config
    result = experiment.run(config)
    facts = {f.claim: f for f in experiment.facts(config, result)}
    log_n = re.search(r"log 16 [=≈] ([0-9.]+) ", facts["unscaled_not_saturated"].text).group(1)
    data = charts.entropy_chart(result.sweep, n_keys=config.n_keys).data
    printed = [Decimal(t) for c in ("mean", "median", "low", "high") for t in data[f"{c}_text"]]
    assert max(printed) <= Decimal(log_n), (max(printed), log_n)


def _at(data, d_k, scaling):
    rows = data[(data["d_k"] == d_k) & (data["scores"] == charts.SCALING_LABELS[scaling])]
    (row,) = rows.to_dict("records")
    return row


def _facts(config, run):
    return {f.claim: f.text for f in experiment.facts(config, run)}


@pytest.mark.parametrize(
    "config",
    [
        # "averages 0.408" (answer and notice) beside a tooltip mean of 0.4085
        experiment.Config(max_d_k=32, n_keys=16, n_draws=300, entry_std=0.55, seed=878393),
        # "Divided by √256, the same scores give it 0.433" beside a tooltip mean of 0.4335
        experiment.Config(max_d_k=256, n_keys=4, n_draws=100, entry_std=0.8, seed=577509),
        # "At d_k = 1 the top weight averaged 0.419" beside a tooltip mean of 0.4195
        experiment.Config(max_d_k=256, n_keys=4, n_draws=200, entry_std=0.9, seed=442621),
        # "(median 0.998; over 0.99 in 64 % ...)" beside a tooltip median of 0.9985
        experiment.Config(max_d_k=256, n_keys=8, n_draws=100, entry_std=1.05, seed=654237),
    ],
)
def test_the_sentences_print_the_top_weights_as_the_chart_tooltips_do(config):
    """Audit pass 40 (a): the top weight's means and median were printed at 3 significant
    digits in the answer and the notice, at 4 in the top-weight chart's tooltips; a reader
    rounding the tooltip's 0.4085 gets 0.409, not the sentence's 0.408. Every one the sentences
    name is now the tooltip's text."""
    run = experiment.run(config)
    facts = _facts(config, run)
    data = charts.top_weight_chart(run.sweep, n_keys=config.n_keys).data
    last, first = run.dims[-1], run.dims[0]
    raw, scaled = _at(data, last, "unscaled"), _at(data, last, "scaled")
    answer = facts["top_weight_answer"]
    assert f"the top key's weight averages {raw['mean_text']} ± " in answer
    assert f"the same scores give it {scaled['mean_text']} ± " in answer  # its SE (audit 69 b)
    if "unscaled_saturates" in facts:
        notice = facts["unscaled_saturates"]
        assert f"the top weight averages {raw['mean_text']} (median {raw['median_text']};" in notice
        assert notice.endswith(
            f"the top weight averaged {_at(data, first, 'unscaled')['mean_text']}."
        )
    else:
        assert f"the top weight averages {raw['mean_text']} at" in facts["unscaled_not_saturated"]


def test_the_kept_gradients_means_print_as_the_jacobian_tooltips_do():
    """Audit pass 40 (a): 'not 10× smaller at this setting (means 0.183 and 0.309)' beside
    jacobian-chart tooltip means of 0.1829 and 0.3095."""
    from core.experiments.attention.claims import jacobian_digits

    config = experiment.Config(max_d_k=16, n_keys=64, n_draws=100, entry_std=1.65, seed=984787)
    run = experiment.run(config)
    kept = _facts(config, run)["gradient_kept"]
    data = charts.jacobian_chart(run.sweep, jacobian_digits(run)).data
    raw, scaled = (_at(data, run.dims[-1], s)["mean_text"] for s in ("unscaled", "scaled"))
    assert kept.endswith(f"(means {raw} and {scaled}).")


def test_the_variance_sentences_print_the_variance_tooltips_numbers():
    """Audit pass 40 (a): at d_k = 16, σ = 1.05 'it is 20.1 ± 0.57 against 19.4' and
    'where Var(q · k) = d_k σ⁴ = 19.4' beside variance tooltips of 20.11 and 19.45 (16 × 1.05⁴
    = 19.448)."""
    config = experiment.Config(max_d_k=16, entry_std=1.05)
    run = experiment.run(config)
    facts = _facts(config, run)
    data = charts.variance_chart(run.variance).data
    row = _at(data, run.dims[-1], "unscaled")
    measured, theory = row["measured_text"], row["theory_text"]
    shown = re.search(
        r"it is (\S+) ± \S+ \(one standard error; the chart's bars are ± 2\) against (\S+)\.",
        facts["variance_matches"],
    ).groups()
    assert shown == (measured, theory)
    # "≈" where the printed value is rounded (audit pass 57 a), "=" where it is exact
    assert re.search(
        rf"where Var\(q · k\) = d_k σ⁴ [=≈] {re.escape(theory)}\.", facts["unscaled_not_saturated"]
    )


def test_the_weighted_sum_prints_each_weight_as_the_heatmap_labels_it():
    """Audit pass 40 (a): at this setting the weighted-sum formula wrote t4's weight on t1 as
    0.085 (2 significant digits of 0.0848, rounded up to a 5) while the weights heatmap labels
    the cell 0.08: a reader rounding 0.085 gets 0.09. The formula's weight and the cell's label
    now read as one rounding of one number."""
    from decimal import ROUND_HALF_UP

    config = experiment.Config(
        n_tokens=4, d_model=8, n_heads=1, d_head=8, embedding_std=1.1, seed=537793
    )
    run = experiment.run(config)
    head = _head(run.attention)
    tokens = list(run.tokens)
    latex = charts.weighted_sum_latex(head, tokens[-1])
    chart = charts.attention_heatmap(
        head, value="weight", tokens=tokens, title="P", value_title="weight"
    )
    labels = chart.data.set_index(["query", "key"])["label"]
    terms = re.findall(r"([0-9.]+)\\,v_\{(\d+)\}", latex)
    assert terms, latex
    for weight, key in terms:
        label = labels[(tokens[-1], f"t{key}")]
        fine, coarse = Decimal(weight), Decimal(label)
        if fine.as_tuple().exponent < coarse.as_tuple().exponent:
            exponent = coarse.as_tuple().exponent
            assert fine.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP) == coarse, (
                weight,
                label,
            )


def _one_rounding(a: str, b: str) -> bool:
    """Whether two plain printings of one number read as roundings of it: the finer, rounded
    half up to the coarser's decimals, is the coarser (texts that are not plain numbers pass)."""
    from decimal import ROUND_HALF_UP, InvalidOperation

    try:
        x, y = Decimal(a), Decimal(b)
    except InvalidOperation:
        return True
    fine, coarse = (x, y) if x.as_tuple().exponent < y.as_tuple().exponent else (y, x)
    exponent = coarse.as_tuple().exponent
    return fine.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP) == coarse


@pytest.mark.parametrize(
    "config",
    [
        # "head 1 gives t1 0.295 of t2's attention" beside head 1's heatmap label 0.29
        experiment.Config(
            n_tokens=3, d_model=16, n_heads=4, d_head=8, causal=True, embedding_std=0.7, seed=493
        ),
        # "head 2 0.603" beside a tooltip of 0.6035
        experiment.Config(
            n_tokens=2, d_model=4, n_heads=2, d_head=2, embedding_std=0.4, seed=455917
        ),
        # "head 3 0.33770" beside a tooltip of 0.337705
        experiment.Config(
            n_tokens=3, d_model=32, n_heads=4, d_head=32, embedding_std=0.1, seed=657578
        ),
    ],
)
def test_the_heads_comparison_prints_its_weights_as_the_heatmaps_do(config):
    """Audit pass 40 (a): heads_compare's weights and the weight heatmaps' labels (2 decimals)
    and tooltips (6 significant digits) printed one weight at different digits, one of them a 5
    that rounding up made, so they read as roundings of different numbers. Each pair now reads
    as one rounding."""
    run = experiment.run(config)
    fact = next(f for f in experiment.facts(config, run) if f.claim == "heads_compare")
    found = re.search(
        r"\(head (\d+) gives (\S+) (.+?) of (\S+)'s attention, head (\d+) (.+?)\)\.$", fact.text
    )
    a, key, weight_a, query, b, weight_b = found.groups()
    for head, weight in ((int(a), weight_a), (int(b), weight_b)):
        chart = charts.attention_heatmap(
            _head(run.attention, head),
            value="weight",
            tokens=list(run.tokens),
            title="P",
            value_title="weight",
        )
        label, tip = chart.data.set_index(["query", "key"]).loc[(query, key), ["label", "tip"]]
        assert _one_rounding(weight, label), (weight, label, fact.text)
        assert _one_rounding(weight, tip), (weight, tip, fact.text)


def test_the_weighted_sum_says_approximately_before_rounded_weights():
    """Audit pass 59 a: at ?n=2&heads=1&dhead=1&dmodel=2&causal=true&scale=false&xsd=0.1 the
    step-through printed "out_2 = Σ_j p_2j v_j = 0.5 v_1 + 0.5 v_2" for weights 0.500098 and
    0.499902 (the caption beside it: "the largest such weight is 0.500098"), and at the
    defaults "= 0.249 v_1 + 0.26 v_2 + …": an "=" before rounded weights. It is "≈" there."""
    for config in (
        experiment.Config(
            n_tokens=2,
            n_heads=1,
            d_head=1,
            d_model=2,
            causal=True,
            scaled=False,
            embedding_std=0.1,
            max_d_k=16,
            n_keys=4,
            n_draws=100,
        ),
        experiment.Config(max_d_k=16, n_draws=100),
    ):
        run = experiment.run(config)
        latex = charts.weighted_sum_latex(_head(run.attention), run.tokens[-1])
        assert r"v_j \approx " in latex and latex.count("=") == 1, latex


def test_the_weighted_sums_rounded_weights_keep_their_zeros():
    """Audit pass 69 b: at ?n=8&heads=4&dhead=64&scale=off&xsd=3&causal=on the formula for t8
    read "… + 2.8 × 10^{-88} v_4 + … + 2 × 10^{-108} v_8": a weight rounded to 2 significant
    digits printed with 1, its zero dropped. Every rounded weight at its 2 digits, zeros kept."""
    config = experiment.Config(
        n_tokens=8, n_heads=4, d_head=64, scaled=False, embedding_std=3.0, causal=True
    )
    run = experiment.run(config)
    latex = charts.weighted_sum_latex(_head(run.attention), run.tokens[-1])
    assert r"2.0 \times 10^{-108}\,v_{8}" in latex, latex
    assert r" 2 \times" not in latex and r"+ 2 \times" not in latex
