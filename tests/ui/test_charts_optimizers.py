"""Optimizer-race charts: valid Vega-Lite, titles and axis titles, fixed colors, a clickable map."""

import pytest

from core.experiments import optimizers as ox
from ui.charts import COLORS, OPTIMIZER_DASH
from ui.charts import optimizers as oc


@pytest.fixture(scope="module")
def result():
    return ox.run(ox.Config(steps=150))


def _axis_titles(spec):
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("x", "y"):
                enc = node.get("encoding", {}).get(key)
                if isinstance(enc, dict) and enc.get("title"):
                    found.append(enc["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def _validate(chart):
    spec = chart.to_dict(validate=True)
    assert spec.get("title"), "every chart has a title"
    assert len(set(_axis_titles(spec))) >= 2, "x and y axes are labelled"
    return spec


def _color_scales(spec):
    """Every color scale of a (layered) spec whose domain holds optimizer labels."""
    layers = spec.get("layer", [spec])
    return [
        layer["encoding"]["color"]["scale"]
        for layer in layers
        if "scale" in layer.get("encoding", {}).get("color", {})
    ]


def _race_map(result, step=40, pick=True):
    surface = result.surface
    return oc.race_map(
        result.grid,
        result.paths,
        result.critical,
        ox.at_step(result, step),
        window=surface.window,
        start=surface.start,
        step=step,
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


def test_race_map_solid_path_stops_at_the_step(result):
    spec = _race_map(result, step=40).to_dict()
    assert spec["layer"][2]["transform"] == [{"filter": "(datum.step <= 40)"}]
    drawn = _race_map(result, step=40).layer[1].data
    assert len(drawn) <= len(ox.OPTIMIZER_NAMES) * 201
    assert 40 in set(drawn["step"])  # the current step is always drawn


def test_move_to_step_edits_a_copy_of_the_spec(result):
    spec = _race_map(result, step=0, pick=False).to_dict()
    moved = oc.move_to_step(spec, step=90, current=ox.at_step(result, 90), title="step 90")
    assert moved["title"] == "step 90" and spec["title"] == "race"
    assert moved["layer"][2]["transform"] == [{"filter": "(datum.step <= 90)"}]
    assert spec["layer"][2]["transform"] == [{"filter": "(datum.step <= 0)"}]
    values = moved["layer"][4]["data"]["values"]
    assert len(values) == len(ox.OPTIMIZER_NAMES) and {v["step"] for v in values} == {90}
    named = [layer["data"]["name"] for layer in moved["layer"] if "name" in layer["data"]]
    assert set(named) <= set(moved["datasets"])  # the other layers still find their data
    lines = oc.step_lines(result.paths, y="grad_norm", title="t", y_title="y", step=5).to_dict()
    rule = oc.move_to_step(lines, step=120)["layer"][1]
    assert rule["mark"]["type"] == "rule" and rule["data"] == {"values": [{"step": 120}]}


def test_step_lines_log_scale_floor_and_step_rule(result):
    paths = result.paths.assign(excess=result.paths["loss"] - result.surface.lowest)
    chart = oc.step_lines(
        paths, y="excess", title="loss", y_title="f − f_min (log)", step=75, log_y=True, floor=1e-16
    )
    spec = _validate(chart)
    assert spec["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    assert chart.layer[0].data["excess"].min() >= 1e-16
    assert chart.layer[1].data["step"].tolist() == [75]
    assert _color_scales(spec)[0]["range"] == [COLORS[n] for n in ox.OPTIMIZER_NAMES]


def test_eigenvalue_and_saddle_time_charts(result):
    gd = result.paths[result.paths["optimizer"] == "gd"]
    spec = _validate(oc.eigenvalue_lines(gd, step=10, title="eigenvalues"))
    assert len(spec["layer"]) == 3  # the two eigenvalues, zero and the step
    bars = _validate(oc.saddle_time_bars(result.summary, radius=0.25, title="near the saddle"))
    assert "r = 0.25" in bars["encoding"]["x"]["title"]


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
