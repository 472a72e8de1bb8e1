"""Optimizer-race charts: valid Vega-Lite, titles and axis titles, fixed colors, a clickable map."""

import re
from decimal import Decimal

import pytest

from core.experiments import optimizers as ox
from core.facts import minus, num, rounded_up_half
from tests.ui.specs import axis_titles, checked
from ui.charts import COLORS, OPTIMIZER_DASH
from ui.charts import optimizers as oc


@pytest.fixture(scope="module")
def result():
    return ox.run(ox.Config(steps=150))


def _validate(chart):
    spec = checked(chart)
    assert len(set(axis_titles(spec))) >= 2, "x and y axes have titles of their own"
    return spec


def _color_scales(spec):
    """Every color scale of a (layered) spec whose domain holds optimizer labels."""
    layers = spec.get("layer", [spec])
    return [
        layer["encoding"]["color"]["scale"]
        for layer in layers
        if "scale" in layer.get("encoding", {}).get("color", {})
    ]


def _race_map(result, pick=True):
    surface = result.surface
    return oc.race_map(
        result.grid,
        result.paths,
        result.critical,
        window=surface.window,
        start=surface.start,
        title="race",
        pick=pick,
    )


def test_race_map_is_valid_with_fixed_domains_and_palette(result):
    spec = _validate(_race_map(result))
    (x0, x1), (y0, y1) = result.surface.window
    heat = spec["layer"][0]
    assert heat["encoding"]["x"]["scale"]["domain"] == [x0, x1]
    assert heat["encoding"]["y"]["scale"]["domain"] == [y0, y1]
    for scale in _color_scales(spec):
        labels = scale["domain"]
        assert labels == [ox.LABELS[n] for n in ox.OPTIMIZER_NAMES]
        assert scale["range"] == [COLORS[n] for n in ox.OPTIMIZER_NAMES]
    dashes = spec["layer"][1]["encoding"]["strokeDash"]["scale"]["range"]
    assert dashes[ox.OPTIMIZER_NAMES.index("newton")] == OPTIMIZER_DASH["newton"]
    assert dashes[ox.OPTIMIZER_NAMES.index("noisy_gd")] == OPTIMIZER_DASH["noisy_gd"]


def test_step_curves_follow_the_surface():
    bounded = oc.step_curves(0.25)
    assert [c["y"] for c in bounded] == ["excess", "dist_min", "grad_norm"]
    unbounded = oc.step_curves(None)
    assert [c["y"] for c in unbounded] == ["loss", "grad_norm"] and unbounded[0]["symlog_y"]


def test_race_map_marks_start_minima_and_saddles(result):
    chart = _race_map(result)
    kinds = set(chart.layer[3].data["kind"])
    assert kinds == {"start", "minimum", "saddle"}


def test_race_map_click_selection_only_when_asked(result):
    with_pick = _race_map(result, pick=True).to_dict()
    names = [p["name"] for p in with_pick.get("params", [])]
    assert oc.PICK in names
    pick = next(p for p in with_pick["params"] if p["name"] == oc.PICK)
    assert pick["select"]["on"] == "click" and pick["select"]["fields"] == ["x", "y"]
    assert not _race_map(result, pick=False).to_dict().get("params")


def test_race_map_moves_with_named_datasets_and_keeps_its_spec(result):
    """The spec is the same at every step; what moves is in SO_FAR, NOW and CURSOR."""
    spec = _race_map(result).to_dict()
    named = [layer["data"]["name"] for layer in spec["layer"]]
    assert named[2] == oc.SO_FAR and named[4] == oc.NOW and named[5] == oc.CURSOR
    assert not any(
        t for layer in spec["layer"] for t in layer.get("transform", []) if "filter" in t
    )
    drawn = _race_map(result).layer[1].data  # the faint whole paths
    assert len(drawn) <= len(ox.OPTIMIZER_NAMES) * 201


@pytest.mark.parametrize("step", [0, 1, 40, 150])
def test_step_data_is_each_path_up_to_the_step_and_where_each_optimizer_is(result, step):
    now = ox.at_step(result, step)
    drawn = oc.map_rows(result.paths)
    assert set(drawn["step"]) <= set(oc.thin_steps(result.paths["step"], most=200))
    data = oc.step_data(drawn, now, step=step, steps=150)
    assert data[oc.CURSOR].to_dict("records") == [{"step": step, "text": f"step {step} of 150"}]
    assert data[oc.NOW]["step"].tolist() == now["step"].tolist()
    so_far = data[oc.SO_FAR]
    assert (so_far["step"] <= step).all()
    for label, rows in so_far.groupby("label"):
        here = now[now["label"] == label].iloc[0]
        last = rows.sort_values("step", kind="stable").iloc[-1]
        assert (last["x"], last["y"]) == (here["x"], here["y"])  # the path ends at the dot
        assert rows["step"].iloc[0] == 0


def test_step_lines_and_eigenvalues_read_the_step_from_the_cursor(result):
    lines = oc.step_lines(result.paths, y="grad_norm", title="t", y_title="y").to_dict()
    eig = oc.eigenvalue_lines(result.paths[result.paths["optimizer"] == "gd"], title="e").to_dict()
    for spec in (lines, eig):
        rule = spec["layer"][-1]
        assert rule["mark"]["type"] == "rule" and rule["data"] == {"name": oc.CURSOR}


def test_step_lines_log_scale_floor_and_step_rule(result):
    paths = result.paths.assign(excess=result.paths["loss"] - result.surface.lowest)
    chart = oc.step_lines(
        paths, y="excess", title="loss", y_title="f − f_min (log)", log_y=True, floor=1e-16
    )
    spec = _validate(chart)
    assert spec["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    assert chart.layer[0].data["excess"].min() >= 1e-16
    assert _color_scales(spec)[0]["range"] == [COLORS[n] for n in ox.OPTIMIZER_NAMES]


def test_eigenvalue_and_saddle_time_charts(result):
    gd = result.paths[result.paths["optimizer"] == "gd"]
    spec = _validate(oc.eigenvalue_lines(gd, title="eigenvalues"))
    assert len(spec["layer"]) == 3  # the two eigenvalues, zero and the step
    bars = _validate(oc.saddle_time_bars(result.summary, radius=0.25, title="near the saddle"))
    assert "r = 0.25" in " ".join(bars["encoding"]["x"]["title"])


@pytest.mark.parametrize(("saddles", "minima"), [(True, True), (False, True), (True, False)])
def test_race_table_headers_say_what_each_number_is(result, saddles, minima):
    table = oc.race_table(result.summary, radius=0.25, saddles=saddles, minima=minima)
    assert table["optimizer"].tolist() == [ox.LABELS[n] for n in ox.OPTIMIZER_NAMES]
    assert ("steps near a saddle (r = 0.25)" in table) is saddles
    assert ("within 0.001 of a minimum at step" in table) is minima
    assert "ends within r = 0.25 of" in table
    if saddles:  # a run that never left shows a dash, not "None"
        never = table["left the saddle for good at step"][table["optimizer"] == "Newton"]
        assert never.tolist() == ["—"]


def test_hessian_latex_writes_powers_of_ten_out():
    here = {"gx": 3.37e-14, "gy": -0.0, "hxx": 1.0, "hxy": 0.0, "hyy": 2.0}
    grad, hessian, eigen = oc.hessian_latex(here, (1.0, 2.0), ox.Readout(grad=3, loss=4, eigen=4))
    assert r"\big(3.370 \times 10^{-14},\ 0\big)" in grad  # -0.0 is written 0
    assert r"\begin{pmatrix} 1 & 0" in hessian
    assert r"\lambda_1 = 1" in eigen and r"\lambda_2 = 2" in eigen


def test_hessian_panel_prints_the_gradient_as_its_point_on_the_quadratic_saddle():
    """Audit pass 67 f: on the quadratic saddle from x0 = 0.5 (300 steps), GD's last step read
    "θ = (9.682e-06, 183.4)" above "∇f = (9.68 × 10⁻⁶, −183.4)", where ∇f = (x, −y): one
    quantity at 4 and 3 significant digits."""
    config = ox.Config.for_surface("quadratic_saddle", start_x=0.5)
    result = ox.run(config)
    here = ox.at_step(result, config.steps).set_index("optimizer").loc["gd"]
    lam, _ = ox.eigen_directions(here["hxx"], here["hxy"], here["hyy"])
    grad = oc.hessian_latex(here, lam, ox.readout(config, result))[0]
    x, y = ox.coordinates_text(here["x"], here["y"])
    assert (x, y) == ("9.682e-06", "183.4"), (x, y)
    assert r"\big(9.682 \times 10^{-6},\ -183.4\big)" in grad, grad


def test_momentum_map_marks_the_optimum_and_the_setting(result):
    chart = oc.momentum_rate_map(result.momentum_map, result.momentum_best, title="momentum")
    spec = _validate(chart)
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
    marks = chart.layer[2].data
    assert set(marks["what"]) == {
        "optimum (Polyak)",
        "best plain GD (β = 0)",
        "your momentum setting",
    }
    converging = chart.layer[0].data
    assert (converging["rate"] < 1).all()


def test_thin_steps_keeps_the_start_the_end_and_the_first_steps():
    steps = oc.thin_steps(range(2001), most=200, keep=[1234])
    assert len(steps) <= 202
    assert {0, 1, 30, oc.DENSE_STEPS, 2000, 1234} <= set(steps.tolist())
    assert oc.thin_steps(range(50), most=200).tolist() == list(range(50))


# Audit pass 35 (a): lowest_loss ranked two runs whose final f − f_min the page printed alike
_RACE_HIMMELBLAU = ox.Config.for_surface(
    "himmelblau",
    **dict(
        condition_number=10.0, start_x=3.107, start_y=0.0, steps=10, escape_radius=2.0,
        noise=5.0, seed=36, show="noise", momentum=0.99, adam_beta1=0.9, rmsprop_alpha=0.99,
        damping=1.0, max_step=0.05, lr_gd=0.005, lr_momentum=0.002, lr_nesterov=0.002,
        lr_adagrad=0.5, lr_rmsprop=0.02, lr_adam=0.05, lr_newton=1.0, lr_saddle_free_newton=0.5,
        lr_noisy_gd=0.005,
    ),
)  # fmt: skip
_RACE_SADDLE = ox.Config.for_surface(
    "saddle_two_minima",
    **dict(
        condition_number=10.0, start_x=0.504, start_y=0.0, steps=100, escape_radius=2.0,
        noise=2.0, seed=26, show="second_order", momentum=0.99, adam_beta1=0.0,
        rmsprop_alpha=0.999, damping=0.001, max_step=0.25, lr_gd=0.1, lr_momentum=0.05,
        lr_nesterov=0.05, lr_adagrad=0.1, lr_rmsprop=0.01, lr_adam=0.02, lr_newton=1.0,
        lr_saddle_free_newton=0.5, lr_noisy_gd=0.1,
    ),
)  # fmt: skip


def _ranked(config):
    """The run, and the labels lowest_loss names lowest and highest (as the page shows them)."""
    run = ox.run(config)
    (fact,) = [f for f in ox.facts(config, run) if f.claim == "lowest_loss"]
    lows, highs = ([ox.LABELS[n] for n in fact.values[k]] for k in ("lowest", "highest"))
    assert lows and highs, fact.text
    return run, lows, highs, fact.text


def _assert_ranked_apart(printed: dict[str, str], lows, highs, text):
    for low in lows:
        for high in highs:
            a, b = printed[low], printed[high]
            assert Decimal(a) < Decimal(b), (low, a, high, b, text)


def _step_line_data(run, config, y: str):
    """The step chart of column ``y`` (excess loss or gradient size) as the page draws it."""
    lowest = run.surface.lowest
    paths = run.paths[run.paths["optimizer"].isin(config.shown)]
    lines = paths[["optimizer", "label", "step", "loss", "dist_min", "grad_norm"]]
    lines = lines.assign(excess=lines["loss"] - lowest)
    digits = ox.readout(config, run).grad  # as the page passes it
    (curve,) = [c for c in oc.step_curves(lowest, grad_digits=digits) if c["y"] == y]
    return oc.step_lines(lines, **curve).layer[0].data


def _last_printed_losses(run, config):
    data = _step_line_data(run, config, "excess")
    return data.sort_values("step").groupby("label", observed=True)["value"].last()


@pytest.mark.parametrize("config", [_RACE_HIMMELBLAU, _RACE_SADDLE])
def test_race_table_prints_the_runs_lowest_loss_ranks_differently(config):
    """'Gradient descent has the lowest loss (13.27) and Noisy GD the highest (13.31)' sat beside
    a race table of 13.3 and 13.3."""
    run, lows, highs, text = _ranked(config)
    summary = run.summary[run.summary["optimizer"].isin(config.shown)]
    table = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    printed = dict(zip(table["optimizer"], table["final f − f_min"], strict=True))
    _assert_ranked_apart(printed, lows, highs, text)


@pytest.mark.parametrize("config", [_RACE_SADDLE, _RACE_HIMMELBLAU])
def test_loss_tooltips_at_the_last_step_print_the_ranked_runs_differently(config):
    """'Newton and Saddle-free Newton tie for the lowest loss (0.25) and Gradient descent the
    highest (0.2500000001)' sat beside last-step loss tooltips of 0.25 for all three."""
    run, lows, highs, text = _ranked(config)
    _assert_ranked_apart(_last_printed_losses(run, config).to_dict(), lows, highs, text)


def test_every_printed_final_loss_lies_between_the_lowest_and_highest_lowest_loss_prints():
    """Audit pass 37 (a): at the preset 'Start exactly on the saddle's stable line' lowest_loss
    said 'AdaGrad the highest (0.25)' while the race table and the loss tooltips printed other
    runs at 0.25000076723979."""
    from decimal import InvalidOperation

    config = ox.PRESETS["Start exactly on the saddle's stable line"].config
    run, _, _, text = _ranked(config)
    found = re.search(
        r"lowest loss \(f − f_min = ([\d.e+-]+)\).* the highest \(([\d.e+-]+)\)", text
    )
    low, high = (Decimal(x) for x in found.groups())
    summary = run.summary[run.summary["optimizer"].isin(config.shown)]
    table = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    printed = list(zip(table["optimizer"], table["final f − f_min"], strict=True))
    printed += list(_last_printed_losses(run, config).items())
    checked = 0
    for name, cell in printed:
        try:
            value = Decimal(str(cell))
        except InvalidOperation:  # a diverged run's or an empty cell
            continue
        checked += 1
        assert low <= value <= high, (name, cell, text)
    assert checked, printed


def test_gradient_tooltips_print_no_step_below_the_smallest_gradient_the_saddle_sentence_names():
    """Audit pass 36 (a): 'Near the saddle gradient descent's gradient was smallest at step 89:
    ‖∇f‖ = 19.7' beside gradient tooltips of 19.69 at steps 88 and 90."""
    config = ox.Config.for_surface(
        "himmelblau",
        **dict(
            condition_number=10.0, start_x=0.0, start_y=4.6, steps=300, escape_radius=2.0,
            noise=0.0, seed=0, show="all", momentum=0.9, adam_beta1=0.9, rmsprop_alpha=0.99,
            damping=0.0, max_step=0.0, lr_gd=0.0003, lr_momentum=0.002, lr_nesterov=0.002,
            lr_adagrad=0.5, lr_rmsprop=0.02, lr_adam=0.05, lr_newton=1.0,
            lr_saddle_free_newton=0.5, lr_noisy_gd=0.005,
        ),
    )  # fmt: skip
    run = ox.run(config)
    (fact,) = [f for f in ox.facts(config, run) if f.claim == "gd_slowest_near_saddle"]
    step = fact.values["step"]
    printed = Decimal(re.search(r"‖∇f‖ = ([\d.e+-]*\d)", fact.text).group(1))
    data = _step_line_data(run, config, "grad_norm")
    gd = data[data["label"] == ox.LABELS["gd"]].set_index("step")["value"]
    assert Decimal(gd[step]) == printed, (gd[step], fact.text)
    near = [s for s in (step - 1, step + 1) if s in gd.index]
    assert near and all(Decimal(gd[s]) >= printed for s in near), (gd[near].to_dict(), fact.text)


# Audit pass 39 (l): momentum (eta 1) and noisy GD (eta 0.7, noise 10) leave the map at step 1
_RACE_MONKEY_DIVERGED = ox.Config.for_surface(
    "monkey_saddle",
    **dict(
        steps=10, show="all", seed=33, noise=10.0, lr_momentum=1.0, lr_adagrad=0.0001,
        lr_rmsprop=0.03, lr_adam=0.0005, lr_newton=0.00015, lr_saddle_free_newton=0.0003,
        lr_noisy_gd=0.7,
    ),
)  # fmt: skip


def test_race_table_prints_the_ranked_ends_apart_from_every_run_that_did_not_diverge():
    """Audit pass 39 (l): 'AdaGrad the highest (11.91)' among the runs that did not diverge sat
    beside race-table cells of 11.9 for AdaGrad, Newton and Saddle-free Newton (the diverged
    runs' 6.6e+04 and 3.32e+04 topped the column, so its digits did not separate AdaGrad)."""
    config = _RACE_MONKEY_DIVERGED
    run, lows, highs, text = _ranked(config)
    summary = run.summary[run.summary["optimizer"].isin(config.shown)]
    assert summary["diverged"].any(), "the case under test: a diverged run is in the table"
    table = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    printed = dict(zip(table["optimizer"], table["final f − f_min"], strict=True))
    finite = [ox.LABELS[n] for n in summary.loc[~summary["diverged"], "optimizer"]]
    for high in highs:
        for other in set(finite) - set(highs):
            assert Decimal(printed[high]) > Decimal(printed[other]), (high, other, printed, text)
    for low in lows:
        for other in set(finite) - set(lows):
            assert Decimal(printed[low]) < Decimal(printed[other]), (low, other, printed, text)


def _one_rounding(short: str, long: str) -> bool:
    """Whether two printings of one value read as roundings of one number: the longer rounded
    half up to the shorter's last place is the shorter."""
    a, b = (Decimal(t.replace("−", "-")) for t in (short, long))
    if len(b.normalize().as_tuple().digits) < len(a.normalize().as_tuple().digits):
        a, b = b, a
    place = Decimal((0, (1,), a.as_tuple().exponent))
    return b.quantize(place, rounding="ROUND_HALF_UP") == a


@pytest.mark.parametrize(
    "config, label, column",
    [
        # Adam ends with f − f_min = 1.71475: table "1.71", last tooltip "1.715"
        (ox.Config.for_surface("rosenbrock"), "Adam", "excess"),
        # noisy GD ends with f − f_min = 0.0048446: table "0.00484", last tooltip "0.004845"
        (ox.Config.for_surface("plateau"), "Noisy GD", "excess"),
        # RMSprop ends 0.74549 from the nearest minimum: table "0.745", last tooltip "0.7455"
        (
            ox.Config(
                start_x=1.426,
                start_y=0.838,
                steps=20,
                escape_radius=0.5,
                lr_adam=0.0015,
                lr_momentum=0.0003,
                damping=0.001,
            ),
            "RMSprop",
            "dist_min",
        ),
    ],
)
def test_the_race_table_and_the_last_step_tooltips_are_one_rounding(config, label, column):
    """Audit pass 41: the race table prints each run's final f − f_min and distance to the
    nearest minimum at 3 digits, the step charts' tooltips print the same values at their last
    step with 4 or more, and a tooltip's last 5 could be one rounding up made ("1.715" beside
    the Rosenbrock valley's "1.71" for Adam's 1.71475: 1.715 rounds to 1.72). Every such pair
    reads as one rounding of one number."""
    result = ox.run(config)
    summary = result.summary[result.summary["optimizer"].isin(config.shown)]
    lowest = result.surface.lowest
    table = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    lines = result.paths[result.paths["optimizer"].isin(config.shown)]
    lines = lines.assign(excess=lines["loss"] - lowest)
    headers = {"excess": "final f − f_min", "dist_min": "distance to nearest minimum"}
    curve = next(c for c in oc.step_curves(lowest) if c["y"] == column)
    data = oc.step_lines(lines, **curve).layer[0].data
    for row, cell in zip(summary.itertuples(), table[headers[column]], strict=True):
        mine = data[data["label"] == row.label]
        tip = mine.loc[mine["step"].idxmax(), "value"]
        if row.label == label:
            assert tip != cell, "the witness prints the value at other digits"
        if not (cell.startswith("≈") or tip.startswith("below")):
            assert _one_rounding(cell, tip), (row.label, cell, tip)


def _table(config, result):
    summary = result.summary[result.summary["optimizer"].isin(config.shown)]
    table = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    return table.set_index("optimizer")


def test_lowest_loss_prints_the_highest_as_the_race_table_does():
    """Audit pass 41: on the saddle between two minima from (1.224, 1.068), 50 steps, r = 0.5,
    Adam's η 0.015 and damping 0.01, lowest_loss said "Adam the highest (0.1485)" beside the
    race table's "0.148" for its f − f_min of 0.148499: 0.1485 rounds to 0.149. The sentence's
    lowest and highest read as the same rounding as the table's cells."""
    config = ox.Config(
        start_x=1.224, start_y=1.068, steps=50, escape_radius=0.5, lr_adam=0.015, damping=0.01
    )
    result = ox.run(config)
    fact = next(f for f in ox.facts(config, result) if f.claim == "lowest_loss")
    table = _table(config, result)
    highest = re.search(r"the highest \(([^)]+)\)", fact.text).group(1)
    assert fact.values["highest"] == ["adam"], fact.text
    for name in fact.values["highest"]:
        assert _one_rounding(table.loc[ox.LABELS[name], "final f − f_min"], highest), fact.text
    lowest = re.search(r"f − f_min = ([^)]+)\)", fact.text)
    for name in fact.values["lowest"] if lowest else ():
        assert _one_rounding(table.loc[ox.LABELS[name], "final f − f_min"], lowest.group(1))


def test_the_answers_distance_to_its_minimum_is_the_race_tables_rounding():
    """Audit pass 41: on the monkey saddle from (1.112, 0.372), 300 steps, r = 0.5, damping 3
    (Newton's η 0.1, saddle-free Newton's 0.03, GD's 0.2, momentum's 0.03), the answer said
    saddle-free Newton's "last point is 0.0033 from it" beside the race table's distance to the
    nearest minimum of "0.00335" for 0.0033499: 0.00335 rounds to 0.0034. Every distance the
    answer gives to the minimum a run ended at reads as the table's rounding."""
    config = ox.Config.for_surface(
        "monkey_saddle",
        start_x=1.112,
        start_y=0.372,
        steps=300,
        escape_radius=0.5,
        lr_newton=0.1,
        lr_saddle_free_newton=0.03,
        lr_gd=0.2,
        lr_momentum=0.03,
        damping=3.0,
    )
    result = ox.run(config)
    answer = next(f for f in ox.facts(config, result) if f.claim == "newton_answer").text
    table = _table(config, result)
    parts = dict(
        zip(
            ("newton", "saddle_free_newton"), answer.split("Saddle-free Newton, which"), strict=True
        )
    )
    checked_one = False
    for name, part in parts.items():
        shown = re.search(r"its last point is ([0-9.e-]+) from it", part)
        if shown and result.summary.set_index("optimizer").loc[name, "ends"] == "minimum":
            cell = table.loc[ox.LABELS[name], "distance to nearest minimum"]
            assert _one_rounding(shown.group(1), cell), (shown.group(1), cell)
            checked_one = True
    assert checked_one, "the witness: a Newton method ends within r of a minimum, away from it"


@pytest.mark.parametrize(
    "lr_momentum, momentum",
    [
        # the sentence printed Polyak's ρ = 0.5194939 as "0.519", its marker as "0.5195"
        (0.0001, 0.0),
        # the sentence printed the configured ρ = 0.9820458 as "0.98205", its marker "0.9820"
        (0.0015, 0.9),
    ],
)
def test_the_momentum_sentence_and_the_maps_markers_print_each_rate_as_one_rounding(
    lr_momentum, momentum
):
    """Audit pass 41: at the default κ = 10, momentum_rates and the momentum map's three
    markers (Polyak's optimum, the best plain GD, your setting) print the same three rates ρ,
    the sentence to 3 or more significant digits, the markers' tooltips to 4 decimals, and one
    of them could end in a 5 that rounding up made ("ρ = 0.519" beside a marker's 0.5195;
    "ρ = 0.98205" beside 0.9820). Each rate reads as one rounding in both places."""
    config = ox.Config(lr_momentum=lr_momentum, momentum=momentum)
    result = ox.run(config)
    fact = next(f for f in ox.facts(config, result) if f.claim == "momentum_rates")
    shown = re.findall(r"ρ = ([0-9.]+)", fact.text)
    best = result.momentum_best
    rates = (best["gd_rate"], best["rate"], best["current_rate"])
    assert len(shown) == 3, fact.text
    for text, rate in zip(shown, rates, strict=True):
        marker = oc._rate_text(rate)
        assert _one_rounding(text, marker), (text, marker, rate)


@pytest.mark.parametrize(
    "config",
    [
        ox.Config(steps=40, escape_radius=0.8),  # RMSprop's 0.80044 printed "0.8"
        ox.Config.for_surface("monkey_saddle", steps=350, escape_radius=1.2),  # GD's 1.20083
    ],
)
def test_the_race_tables_distance_to_a_minimum_is_on_the_side_of_r_it_is(config):
    """Audit pass 42: at 40 steps and r = 0.8 the race table said RMSprop 'ends within r = 0.8
    of: elsewhere' beside a distance to the nearest minimum of "0.8" (0.80044), which reads as
    within r. Every printed distance is on the same side of the printed r as the distance."""
    result = ox.run(config)
    summary = result.summary[result.summary["optimizer"].isin(config.shown)]
    table = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    r = Decimal(repr(config.escape_radius))
    cells = table["distance to nearest minimum"]
    for d, cell in zip(summary["dist_min"], cells, strict=True):
        assert (Decimal(cell) <= r) == (d <= config.escape_radius), (d, cell)
        assert (Decimal(cell) == r) == (d == config.escape_radius), (d, cell)


def _now_tooltip_texts(chart, data, label):
    """The map's tooltip of ``label``'s current point: (x, y) as the browser prints them (a text
    field as it is, a number field by its d3 format)."""
    from tests.tooltips import d3_format

    layer = chart.to_dict()["layer"][4]
    row = data[oc.NOW][data[oc.NOW]["label"] == label].iloc[0]
    shown = {}
    for tip in layer["encoding"]["tooltip"]:
        name = tip.get("title", tip["field"])
        if name in ("x", "y"):
            value = row[tip["field"]]
            shown[name] = value if tip["type"] == "nominal" else d3_format(value, tip["format"])
    return shown["x"], shown["y"]


@pytest.mark.parametrize(("step", "name"), [(3, "momentum"), (20, "saddle_free_newton")])
def test_the_maps_current_point_prints_theta_as_the_hessian_panel_does(step, name):
    """Audit pass 42: at the defaults, step 3, the Hessian panel said "Momentum at step 3: θ =
    (-1.316, …)" while the map's tooltip of its current point printed x with d3's ".4f" as
    "-1.3165" (x = -1.316475), a 5 that rounding up made, which reads as -1.317. The tooltip
    and the panel print each coordinate as one rounding of it."""
    config = ox.Config()
    result = ox.run(config)
    now = ox.at_step(result, step)
    data = oc.step_data(oc.map_rows(result.paths), now, step=step, steps=config.steps)
    chart = _race_map(result)
    here = now.set_index("optimizer").loc[name]
    tips = _now_tooltip_texts(chart, data, ox.LABELS[name])
    for coord, tip in zip(("x", "y"), tips, strict=True):
        value = float(here[coord])
        panel = minus(num(value, 4))  # the panel's θ (ox.coordinates_text, its sign "−")
        assert not rounded_up_half(tip, value), (coord, value, tip)
        assert _one_rounding(panel, tip), (coord, value, panel, tip)


def test_the_unbounded_loss_title_does_not_promise_that_every_escape_falls():
    """Audit pass 44 (c): on the quadratic saddle the loss chart was titled "Loss (unbounded
    below: escaping means falling forever)". At η = 3 gradient descent escapes the saddle while
    its x offset grows by |1 − η| = 2 per step: it leaves the map with f = +5010, its loss
    rising, not falling. The title now names the exception."""
    config = ox.Config.for_surface("quadratic_saddle", lr_gd=3.0)
    result = ox.run(config)
    gd = result.paths[result.paths["optimizer"] == "gd"]
    assert gd["loss"].iloc[-1] > gd["loss"].iloc[0] > 0  # escaped, and rose
    (curve,) = [c for c in oc.step_curves(None) if c["y"] == "loss"]
    title = curve["title"]
    assert "means falling forever" not in title and "unless" in title


def test_the_escape_column_on_several_saddles_names_the_last_one_a_run_was_near():
    """Audit pass 58 a: on Himmelblau (the claims tests' HIMMELBLAU_TWO_SADDLES) momentum left
    the saddle (−0.128, −1.95) for good at step 16 and ended near (3.39, 0.0739), and the race
    table showed "—" under "left the saddle for good at step", with four saddles on the map."""
    from tests.core.test_optimizers_claims import HIMMELBLAU_TWO_SADDLES as config

    result = ox.run(config)
    summary = result.summary
    table = oc.race_table(summary, radius=config.escape_radius, saddles=4, minima=True)
    assert "left the saddle for good at step" not in table
    cells = dict(
        zip(
            table["optimizer"],
            table["left the last saddle it was near for good at step"],
            strict=True,
        )
    )
    assert cells["Momentum"] == "—", cells
    assert len(result.surface.saddles) == 4
    one = oc.race_table(summary, radius=config.escape_radius, saddles=True, minima=True)
    assert "left the saddle for good at step" in one
