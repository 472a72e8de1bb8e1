"""The optimizers page: presets, the prediction, surfaces, old links, the Step slider."""

import json
import re
from decimal import Decimal, InvalidOperation

import numpy as np

from core.experiments import optimizers as ox
from core.experiments.optimizers import claims as oc
from core.surfaces import SURFACES
from tests.app.conftest import chart_rows, open_page, specs, titles
from tests.ui.specs import joined_title

# The slider tests/e2e/test_browser.py moves in a real browser: (label, URL key, key pressed),
# one that feeds a chart, pressed towards its cheaper end so the rerun stays short.
BROWSER_SLIDER = ("Steps", "steps", "Home")

PAGE = "app_pages/optimizers.py"


def _open(**kwargs):
    at = open_page(PAGE, timeout=90, **kwargs)
    assert not at.exception
    return at


def _config(at):
    """The Config the page ran last."""
    return at.session_state["_lab_run"]["experiments"][-1][1]


def _texts(at):
    return " ".join(m.value for m in at.markdown)


def test_stable_line_preset_traps_every_noiseless_method_and_the_prediction_is_checked():
    at = _open(reveal=False)
    at.sidebar.button(key="preset_start-exactly-on-the-saddles-stable-line").click().run()
    assert not at.exception
    assert at.sidebar.slider(key="y0").value == 0.0
    assert not specs(at), "the result waits for a prediction"
    at.radio(key="predict_optimizers").set_value("at a minimum").run()
    assert _config(at) == ox.PRESETS["Start exactly on the saddle's stable line"].config
    assert any(w.value.startswith("Not at a minimum: Pure Newton") for w in at.warning)
    notes = _texts(at)
    assert "started on the saddle's stable line" in notes
    assert "only noisy GD got away" in notes
    at.radio(key="predict_optimizers").set_value("at a saddle point").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_a_preset_sets_every_control_whatever_came_before():
    at = _open()
    at.slider(key="t").set_value(0).run()
    at.sidebar.slider(key="beta").set_value(0.3).run()
    at.sidebar.select_slider(key="lr_adam").set_value(0.3).run()
    at.sidebar.button(key="preset_plateau").click().run()
    assert not at.exception
    assert _config(at) == ox.PRESETS["Plateau"].config
    # the race opens whole (a step dragged to 0 once used to stay at 0 for every preset)
    assert at.slider(key="t").value == 500
    assert any("Plateau:" in i.value for i in at.sidebar.info), "the preset's hint shows"
    at.sidebar.slider(key="beta").set_value(0.5).run()
    assert not any("Plateau:" in i.value for i in at.sidebar.info), "the hint left with the preset"


def test_switching_surface_tunes_the_start_noise_and_learning_rates():
    at = _open()
    at.sidebar.slider(key="steps").set_value(500).run()
    at.sidebar.selectbox(key="surface").set_value("rosenbrock").run()
    assert not at.exception
    assert (at.sidebar.slider(key="x0").value, at.sidebar.slider(key="y0").value) == (-1.5, 2.0)
    assert at.sidebar.select_slider(key="lr_gd").value == 0.001
    assert _config(at) == ox.Config.for_surface("rosenbrock", steps=500)  # the rest stays
    assert not at.warning, "tuned rates do not diverge"
    at.sidebar.selectbox(key="surface").set_value("himmelblau").run()
    assert at.sidebar.slider(key="y0").max == 5.0, "the start sliders span the surface's window"


def test_old_links_keep_their_keys_and_values():
    query = {
        "surface": "Plateau with two wells",
        "kappa": "100",
        "x0": "-2.5",
        "y0": "1.5",
        "steps": "400",
        "r": "0.5",
        "noise": "0.1",
        "seed": "3",
        "show": "GD, AdaGrad, RMSprop, Adam",
        "lr_gd": "0.3",
        "lr_mom": "0.1",
        "lr_nag": "0.1",
        "lr_ada": "0.3",
        "lr_rms": "0.005",
        "lr_adam": "0.07",
        "lr_newton": "0.5",
        "lr_sfn": "0.7",
        "lr_noisy": "0.2",
        "beta": "0.8",
        "b1": "0.5",
        "alpha": "0.9",
        "damp": "0.1",
        "cap": "1.0",
        "t": "120",
        "inspect": "Adam",
    }
    at = _open(query=query)
    expected = ox.Config(
        surface="plateau",
        condition_number=100.0,
        start_x=-2.5,
        start_y=1.5,
        steps=400,
        escape_radius=0.5,
        noise=0.1,
        seed=3,
        show="adaptive",
        lr_gd=0.3,
        lr_momentum=0.1,
        lr_nesterov=0.1,
        lr_adagrad=0.3,
        lr_rmsprop=0.005,
        lr_adam=0.07,
        lr_newton=0.5,
        lr_saddle_free_newton=0.7,
        lr_noisy_gd=0.2,
        momentum=0.8,
        adam_beta1=0.5,
        rmsprop_alpha=0.9,
        damping=0.1,
        max_step=1.0,
    )
    assert _config(at) == expected
    assert at.slider(key="t").value == 120
    assert "**Adam at step 120**" in _texts(at)
    assert not any("Ignored link parameters" in c.value for c in at.sidebar.caption)


def test_a_link_that_names_only_a_surface_gets_its_tuned_settings():
    at = _open(query={"surface": "Rosenbrock valley"})
    assert _config(at) == ox.Config.for_surface("rosenbrock")
    at = _open(query={"surface": "Rosenbrock valley", "lr_gd": "0.002"})
    assert _config(at) == ox.Config.for_surface("rosenbrock", lr_gd=0.002)


def test_the_step_slider_moves_the_panel_and_a_new_setting_shows_the_whole_race():
    at = _open(query={"t": "50"})
    assert "**Gradient descent at step 50**" in _texts(at)
    at.selectbox(key="inspect").set_value("newton").run()
    assert "**Newton at step 50**" in _texts(at)
    at.sidebar.slider(key="steps").set_value(100).run()
    assert at.slider(key="t").value == 100
    assert "**Newton at step 100**" in _texts(at)


def test_too_large_a_step_warns_instead_of_crashing():
    at = _open()
    at.sidebar.select_slider(key="lr_gd").set_value(3.0).run()
    assert not at.exception
    assert any("Diverged: Gradient descent" in w.value for w in at.warning)
    assert len(titles(at)) >= 3


def test_a_nearly_singular_damped_newton_step_is_explained():
    at = _open(query={"y0": "0.001", "damp": "1.0"})
    warning = next(w.value for w in at.warning if "Diverged: Newton" in w.value)
    assert "divides by almost zero" in warning and "step cap" in warning


def test_every_surface_draws_its_charts():
    at = _open()
    for name in SURFACES:
        at.sidebar.selectbox(key="surface").set_value(name).run()
        assert not at.exception, name
        assert not at.error, name
        assert len(specs(at)) >= 5, name


def test_play_and_pause_keep_the_step():
    # AppTest runs the whole page each time, which stops Play (frames are the fragment's own
    # runs, tested in the browser): Pause keeps the step the animation reached.
    at = _open()
    at.slider(key="t").set_value(40).run()
    at.button(key="t_play").click().run()
    assert not at.exception
    assert at.slider(key="t").value == 40
    assert at.button(key="t_play").label == "Play"


# ---- audit pass 38 (a): numbers a sentence compares, printed elsewhere on the page -------------


def _number(text):
    """A printed number as a Decimal (None for a text that is not one: "below 1e-16 ...")."""
    try:
        return Decimal(text.replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None


def _latex_number(text: str) -> Decimal:
    """A number as the Hessian panel's LaTeX writes it: "9.82 \\times 10^{3}"."""
    mantissa, _, power = text.partition(r" \times 10^{")
    return Decimal(mantissa) * Decimal(10) ** int(power.rstrip("}") or 0)


def _notice(at, start: str) -> str:
    return next(m.value for m in at.markdown if start in m.value)


def test_no_eigenvalue_prints_above_the_largest_curvature_the_divergence_warning_names():
    """Monkey saddle, GD's η = 2: 'the largest curvature on its path was λ = 9.82e+03' beside
    eigenvalue tooltips of 9824.5 and a panel λ₂ of 9.82 × 10³ for the same point."""
    at = _open(query={"surface": "Monkey saddle (in a quartic bowl)", "lr_gd": "2"})
    assert _config(at) == ox.Config.for_surface("monkey_saddle", lr_gd=2.0)
    warning = next(w.value for w in at.warning if "largest curvature" in w.value)
    largest = Decimal(re.search(r"largest curvature on its path was λ = (\S+),", warning)[1])
    rows = chart_rows(at, "Hessian eigenvalues along this path")["data-0"]
    printed = [_number(r["eigenvalue_text"]) for r in rows]
    assert printed and all(p <= largest for p in printed), (max(printed), warning)
    # the Hessian panel (gradient descent at its last point, where the curvature is largest)
    eigen = next(x.value for x in at.latex if "lambda_2" in x.value)
    lam2 = _latex_number(re.search(r"\\lambda_2 = ([^\n$]+)", eigen)[1].strip())
    assert lam2 == largest, (eigen, warning)


def test_the_panel_prints_no_eigenvalue_below_the_smallest_the_newton_warning_names():
    """Plateau, 1000 steps, Newton inspected: 'the smallest |eigenvalue| of H + λI is 2.06e-309'
    (no damping: H's own) beside the panel's λ₂ = 2.056 × 10⁻³⁰⁹ at that last point."""
    at = _open(query={"surface": "Plateau with two wells", "steps": "1000", "inspect": "Newton"})
    assert _config(at) == ox.Config.for_surface("plateau", steps=1000)
    warning = next(w.value for w in at.warning if "Diverged: Newton" in w.value)
    smallest = Decimal(re.search(r"smallest \|eigenvalue\| of H \+ λI is (\S+?)[ ;]", warning)[1])
    eigen = next(x.value for x in at.latex if "lambda_2" in x.value)
    found = re.search(r"lambda_1 = ([^,]+),\\ \\lambda_2 = ([^\n$]+)", eigen)
    printed = [abs(_latex_number(v.strip())) for v in found.groups()]
    assert all(p >= smallest for p in printed), (printed, warning)


def test_no_distance_before_the_first_arrival_prints_within_0_001():
    """Ill-conditioned bowl, κ = 100, Adam's β₁ = 0.77: 'Within 0.001 of a minimum (first time):
    ... Adam at step 157' beside a distance tooltip of 0.001 at step 156 (0.0010004)."""
    rates = {k: "0.01" for k in ("lr_gd", "lr_mom", "lr_nag", "lr_noisy")}  # tuned for κ = 100
    at = _open(query={"surface": "Ill-conditioned bowl", "kappa": "100", "b1": "0.77", **rates})
    assert _config(at) == ox.Config.for_surface(
        "ill_conditioned_bowl", condition_number=100.0, adam_beta1=0.77
    )
    sentence = _notice(at, "Within 0.001 of a minimum")
    first = {
        name: int(step) for name, step in re.findall(r"([A-Z][\w -]*?) at step (\d+)", sentence)
    }
    assert first.get("Adam") == 157, sentence
    rows = chart_rows(at, "Distance to the nearest minimum")["data-0"]
    for row in rows:
        value = _number(row["value"])
        if value is not None and row["step"] < first.get(row["label"], 10**9):
            assert value > Decimal("0.001"), (row, sentence)


def test_the_first_to_leave_a_saddle_names_a_run_the_table_shows_leaving_sooner():
    """Himmelblau, Newton's η = 3, r = 2: 'First to leave a saddle for good: AdaGrad and
    Saddle-free Newton (step 4)' above a race table whose 'left the saddle for good' column gave
    Newton '2 (ran off the map)'."""
    at = _open(query={"surface": "Himmelblau (4 minima, 4 saddles)", "lr_newton": "3", "r": "2"})
    # Himmelblau has four saddles: "every saddle" (audit pass 59 c)
    sentence = _notice(at, "First to leave every saddle for good")
    first, step = re.search(
        r"First to leave every saddle for good \(near none after\): (.*?) \(step (\d+)\)",
        sentence,
    ).groups()
    named = set(re.split(r", | and ", first))
    gone = re.search(r"By then, (.*) had also gone", sentence)
    if gone:  # "Newton (step 2)", each with its step
        named |= {name for name, _ in re.findall(r"([A-Z][\w -]*?) \(step (\d+)\)", gone[1])}
    header = "left the last saddle it was near for good at step"  # Himmelblau has four
    (table,) = [d.value for d in at.dataframe if header in d.value]
    cells = dict(zip(table["optimizer"], table[header], strict=True))
    assert cells["Newton"] == "2 (ran off the map)", cells
    for name, cell in cells.items():
        left = re.match(r"\d+", cell)
        if left and int(left[0]) <= int(step):
            assert name in named, (name, cell, sentence)


def test_the_lowest_and_highest_final_loss_print_apart_at_the_maps_current_points():
    """Rosenbrock, start (-1.5, 0.001), 100 steps, GD vs noisy GD (σ = 0.01, seed 12): 'Noisy GD
    has the lowest loss (f − f_min = 1.173156) and Gradient descent the highest (1.173161)'
    beside the map's current points, both 'f = 1.173', and the panel's 'f = 1.173'."""
    query = {"surface": "Rosenbrock valley", "y0": "0.001", "steps": "100"}
    at = _open(query={**query, "show": "GD vs noisy GD", "noise": "0.01", "seed": "12"})
    sentence = _notice(at, "the lowest loss")
    low, high = re.search(
        r"not diverge, (.+?) has the lowest loss .* and (.+?) the highest", sentence
    ).groups()
    now = {r["label"]: r["loss_text"] for r in chart_rows(at, "Rosenbrock valley")["now"]}
    assert set(now) == {low, high}, now
    assert _number(now[low]) < _number(now[high]), (now, sentence)
    panel = _notice(at, "**Gradient descent at step 100**")
    assert panel.endswith(f"f = {now['Gradient descent']}"), (panel, now)


def test_the_panel_prints_no_gradient_below_the_smallest_the_saddle_sentence_names():
    """GD's η = 1e-4, r = 2, 200 steps: 'smallest at step 200: ‖∇f‖ = 1.764' beside the
    Hessian panel's 'the same point at 1.76' (first view) and at step 197."""
    at = _open(query={"lr_gd": "0.0001", "r": "2", "steps": "200"})
    sentence = _notice(at, "gradient was smallest")
    smallest = Decimal(re.search(r"‖∇f‖ = (\S+),", sentence)[1])
    for step in (200, 197):
        if step != 200:
            at.slider(key="t").set_value(step).run()
        panel = next(m.value for m in at.markdown if "not a critical point" in m.value)
        shown = Decimal(re.search(r"‖∇f‖ = (\S+?),", panel)[1])
        assert shown >= smallest, (step, panel, sentence)


def test_the_saddle_bars_name_both_conditions_of_near():
    """r = 2: every point of gradient descent's path lies within 2 of the saddle, yet the bars
    count only those nearer it than to a minimum; the axis said 'within r = 2' alone."""
    at = _open(query={"r": "2"})
    result = ox.run(_config(at))
    gd = result.paths[result.paths["optimizer"] == "gd"]
    within = int((gd["dist_saddle"] <= 2.0).iloc[1:].sum())
    counted = int(result.summary.set_index("optimizer").loc["gd", "steps_near_saddle"])
    assert counted < within  # the case under test: some steps within r are not "near"
    (bars,) = [
        s for s in specs(at) if "landed near a saddle" in json.dumps(joined_title(s.get("title")))
    ]
    x_title = " ".join(bars["encoding"]["x"]["title"])  # in lines: one for a phone's width
    assert "nearer" in x_title and "minimum or maximum" in x_title, x_title


def test_a_link_off_the_start_sliders_grid_runs_the_start_the_slider_shows():
    """Audit pass 39 (l), ?y0=0.00001&steps=30 on the saddle between two minima: the Start y
    slider showed "0.000" (its 0.001 grid) while the race ran from y = 1e-05, and the page said
    'Gradient descent is still near the saddle at step 30, although it did not start on a
    stable line'. A link's start is put on the slider's grid, so the start the slider shows is
    the one the race uses."""
    query = {"surface": "Saddle between two minima", "y0": "0.00001", "steps": "30"}
    at = open_page(PAGE, query=query)
    assert not at.exception
    for key in ("x0", "y0"):
        value = at.sidebar.slider(key=key).value
        assert float(f"{value:.3f}") == value, (key, value)  # what "%.3f" shows is what runs
    texts = " ".join(str(e.value) for e in [*at.markdown, *at.caption])
    assert at.sidebar.slider(key="y0").value == 0.0
    assert "did not start on a stable line" not in texts, texts


def _assert_the_slowest_steps_are_the_charts(at, config):
    """The saddle sentence names every step near the saddle at which the gradient chart prints
    gradient descent's smallest ‖∇f‖ there, or says that it printed the same at all of them; a
    sentence that says gradient descent slows down has a near step printed above that smallest."""
    assert _config(at) == config
    gd = oc.path_of(ox.run(config), "gd")
    steps = {int(s) for s in gd.loc[gd["near_saddle"], "step"]}
    rows = chart_rows(at, "Gradient size")["data-0"]
    printed = {
        r["step"]: _number(r["value"])
        for r in rows
        if r["label"] == ox.LABELS["gd"] and r["step"] in steps
    }
    low = min(printed.values())
    lows = sorted(s for s, v in printed.items() if v == low)
    sentence = _notice(at, "Near the saddle gradient descent's gradient")
    if "slows down" in sentence:
        assert any(v > low for v in printed.values()), (sentence, printed)
        named = re.search(r"smallest at (.*?): ‖∇f‖ = (\S+),", sentence)
        assert Decimal(named[2]) == low, (sentence, low)
        where = named[1]
        if "first at step" in where:
            count, first = re.search(r"(\d+) steps, first at step (\d+)", where).groups()
            assert (int(count), int(first)) == (len(lows), lows[0]), (sentence, lows)
        else:
            assert sorted(int(s) for s in re.findall(r"\d+", where)) == lows, (sentence, lows)
    else:
        assert "did not slow down" in sentence, sentence
        assert set(printed.values()) == {low}, (sentence, printed)


def test_the_saddle_sentence_names_no_one_step_among_gradients_printed_alike():
    """Audit pass 39 (r): the monkey saddle's defaults said 'Near the saddle gradient descent's
    gradient was smallest at step 183: ‖∇f‖ = 0.02676' beside gradient tooltips of 0.02676 at
    steps 181, 182 and 184 near the saddle (0.0267638, 0.0267576, 0.0267605)."""
    at = _open(query={"surface": "Monkey saddle (in a quartic bowl)"})
    _assert_the_slowest_steps_are_the_charts(at, ox.Config.for_surface("monkey_saddle"))


def test_a_gradient_that_never_shrinks_near_the_saddle_is_not_called_slowing_down():
    """Audit pass 39 (r): gradient descent at η = 2 from the stable line bounces between
    x = ±1.8, ‖∇f‖ = 1.8 at all its 31 points near the saddle; the page said 'smallest at step
    0: ‖∇f‖ = 1.8, so its step η‖∇f‖ was only 3.6 ... plain gradient descent slows down near
    one'."""
    query = {"surface": "Saddle between two minima", "y0": "0", "lr_gd": "2", "r": "2"}
    at = _open(query={**query, "steps": "30"})
    config = ox.Config.for_surface(
        "saddle_two_minima", start_y=0.0, lr_gd=2.0, escape_radius=2.0, steps=30
    )
    _assert_the_slowest_steps_are_the_charts(at, config)


def test_the_closest_approach_to_a_saddle_names_every_step_at_that_distance():
    """Audit pass 39 (r): gradient descent at η = 2 from the stable line bounces between
    x = ±1.8, 1.8 from the saddle at all 31 points, and the page said 'its closest approach was
    1.8 at step 0'."""
    at = _open(
        query={"surface": "Saddle between two minima", "y0": "0", "lr_gd": "2", "steps": "30"}
    )
    config = ox.Config.for_surface("saddle_two_minima", start_y=0.0, lr_gd=2.0, steps=30)
    assert _config(at) == config
    gd = oc.path_of(ox.run(config), "gd")
    d = gd["dist_saddle"].to_numpy()
    closest = [int(s) for s in gd["step"].to_numpy()[d == d.min()]]
    sentence = _notice(at, "Gradient descent never came near a saddle")
    if len(closest) == len(d):
        assert f"at all {len(d)} of its points" in sentence, sentence
    else:
        named = re.search(r"closest approach was \S+ at (.*?)\.", sentence)[1]
        assert sorted(int(s) for s in re.findall(r"\d+", named)) == closest, sentence


def test_a_step_longer_than_its_distance_to_the_saddle_is_not_called_slowing_down():
    """Audit pass 39 (r): gradient descent at η = 2 from y = 0.001 (r = 2) has its smallest
    gradient near the saddle at its start, ‖∇f‖ = 1.8: a step of 3.6 from 1.8 away. The page said
    'so its step η‖∇f‖ was only 3.6 ... plain gradient descent slows down near one'."""
    at = _open(
        query={"surface": "Saddle between two minima", "lr_gd": "2", "r": "2", "steps": "30"}
    )
    config = ox.Config.for_surface("saddle_two_minima", lr_gd=2.0, escape_radius=2.0, steps=30)
    assert _config(at) == config
    gd = oc.path_of(ox.run(config), "gd").set_index("step")
    sentence = _notice(at, "Near the saddle gradient descent's gradient")
    named = re.search(r"smallest at step (\d+): ‖∇f‖ = ([^,]+),", sentence)
    step, grad = int(named[1]), float(named[2])
    if "slows down" in sentence:
        assert config.lr_gd * grad < gd.loc[step, "dist_saddle"], sentence
    else:
        assert "does not slow down" in sentence, sentence


def test_the_newton_learning_rate_help_covers_steps_past_the_newton_step():
    """Audit pass 42: the Newton methods' learning-rate help said η "is the fraction of the
    Newton step taken (1 = the full step)", while the slider goes to 3, where the step is 3×
    the Newton step (the divergence warning says so). The help covers every value it allows."""
    at = open_page("app_pages/optimizers.py", query={"lr_newton": "3"})
    widget = next(w for w in at.sidebar.select_slider if w.key == "lr_newton")
    assert float(widget.value) == 3.0 == max(ox.LR_GRID)
    assert "fraction" not in widget.help, widget.help
    assert "above 1" in widget.help, widget.help


def test_the_damping_help_says_what_an_exact_cancellation_does():
    """Audit pass 44 (c): the damping help said "Added to a negative eigenvalue it can cancel it
    and make Newton's step huge". On the quadratic saddle (λ = −1 everywhere) damping 1 cancels
    it exactly, and the page's pseudo-inverse then takes no step along that eigenvector: Newton
    stays at y = 0.01 from its start for the whole race, no huge step."""
    config = ox.Config.for_surface("quadratic_saddle", damping=1.0)
    result = ox.run(config)
    newton = result.paths[result.paths["optimizer"] == "newton"]
    assert (newton["y"] == config.start_y).all()  # no step at all along v = (0, 1)
    at = _open(query={"surface": "Quadratic saddle", "damp": "1.0"})
    assert _config(at).surface == "quadratic_saddle" and _config(at).damping == 1.0
    help_text = at.sidebar.select_slider(key="damp").help
    assert "can cancel it and make" not in help_text
    assert "exactly" in help_text and "no step" in help_text


def test_the_newton_learning_rate_help_names_the_cap_where_it_cuts_the_step_short():
    """Audit pass 49 (c): the Newton methods' learning-rate help said "1 is the full step, below
    1 a part of it, above 1 a step past it", but the cap acts after η. On the saddle between two
    minima from its default start, Newton's η = 2 with a cap of 0.05 takes 2.8 % of the Newton
    step, not a step past it (and η = 1 would not take the full step either). The help names
    the cap wherever it says what η = 1 and η > 1 do."""
    config = ox.Config.for_surface("saddle_two_minima", lr_newton=2.0, max_step=0.05)
    result = ox.run(config)
    path = oc.path_of(result, "newton")[["x", "y"]].to_numpy()
    surface, start = result.surface, path[0]
    newton_step = -np.linalg.pinv(surface.hessian(start)) @ surface.grad(start)
    taken = float(np.dot(path[1] - start, newton_step) / np.dot(newton_step, newton_step))
    assert config.lr_newton > 1 and taken < 1  # not a step past the Newton step's target
    at = open_page("app_pages/optimizers.py", query={"lr_newton": "2", "cap": "0.05"})
    assert _config(at).lr_newton == 2.0 and _config(at).max_step == 0.05
    widget = next(w for w in at.sidebar.select_slider if w.key == "lr_newton")
    assert "above 1 a step past it" in widget.help, widget.help
    assert "cap" in widget.help, widget.help


def test_negative_numbers_on_the_page_print_the_minus_sign():
    """Audit pass 56 b: on the Rosenbrock valley (defaults, start (−1.5, 2)) the map's title read
    "paths from (-1.5, 2)", the Hessian panel "θ = (-1.5…" and "(λ = -0.4367)" beside "−∇f".
    Sentences, captions, the panel, the race table and the chart titles print "−"."""
    hyphen = re.compile(r"(?<![\w.)\]])-(?=\.?\d|∞)")
    for query in ({"surface": "Rosenbrock valley"}, {"surface": "Quadratic saddle"}):
        at = _open(query=query)
        shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
        shown += [w.value for w in at.warning] + [str(t) for t in titles(at)]
        for frame in at.dataframe:
            shown += [str(v) for v in frame.value.to_numpy().ravel()]
        for text in shown:
            assert not hyphen.search(str(text)), (query, text)


def test_the_race_tables_caption_names_the_dash_its_step_cells_print():
    """Audit pass 57 c: at the defaults the race table's caption explained "An empty cell: it
    never left for good …", while no cell is empty: AdaGrad, RMSprop, Adam and Newton print "—"
    in "left the saddle for good at step" and in "within 0.001 of a minimum at step"."""
    at = _open()
    table = next(d.value for d in at.dataframe if "optimizer" in d.value.columns)
    steps = [c for c in table.columns if c.endswith("at step")]
    cells = [str(v) for c in steps for v in table[c]]
    assert any(v.startswith("—") for v in cells)  # the witness: a step shown as a dash
    assert "" not in cells
    caption = ox.RACE_TABLE_CAPTION
    assert caption in [c.value for c in at.caption]
    assert "empty cell" not in caption and "“—”" in caption


def test_the_race_tables_ends_column_prints_negative_coordinates_with_the_minus_sign():
    """Audit pass 57 c: at the defaults (saddle between two minima) the race table's "ends within
    r = 0.25 of" printed Noisy GD's "minimum (0, -1)" with a hyphen, beside the sentences'
    "(0, −1)" (pass 56's test read the table only on surfaces whose ends have no negative
    coordinate)."""
    hyphen = re.compile(r"(?<![\w.)\]])-(?=\.?\d|∞)")
    at = _open()
    table = next(d.value for d in at.dataframe if "optimizer" in d.value.columns)
    ends = dict(zip(table["optimizer"], table["ends within r = 0.25 of"], strict=True))
    assert ends["Noisy GD"] == "minimum (0, −1)"  # the witness
    for value in table.to_numpy().ravel():
        assert not hyphen.search(str(value)), value


def test_a_link_naming_a_surface_and_kappa_tunes_the_rates_for_that_kappa():
    """Audit pass 57 c: ?surface=Ill-conditioned bowl&kappa=100 set the learning rates tuned for
    the default κ = 10 (gradient descent's η = 0.1, over 2/λ_max = 0.02): four runs diverged,
    under a surface help saying a surface "sets … the learning rates to ones that suit its
    scale", while choosing the bowl in the sidebar at κ = 100 sets η = 0.01."""
    at = _open(query={"surface": "Ill-conditioned bowl", "kappa": "100"})
    assert _config(at) == ox.Config.for_surface("ill_conditioned_bowl", condition_number=100.0)
    assert at.sidebar.select_slider(key="lr_gd").value == 0.01
    assert not any("Diverged" in w.value for w in at.warning)


def test_a_link_start_outside_the_surfaces_window_is_refused_with_the_window():
    """Audit pass 65 g: ?surface=Quadratic saddle&x0=4.5 was refused with only '“Start x” can't
    be 4.5', a start the Himmelblau surface takes: the refusal names the chosen surface's
    window."""
    at = _open(query={"surface": "Quadratic saddle", "x0": "4.5"})
    warnings = " ".join(str(w.value) for w in at.warning)
    assert (
        "“Start x” can't be 4.5 (with this link's other settings its slider runs from −2 to 2)"
        in warnings
    ), warnings


def test_the_hessian_panel_prints_f_and_eigenvalues_as_the_tooltips():
    """Audit pass 71 (f): at ?y0=0.5&t=0 the Hessian panel printed "f = …" and the eigenvalues
    "λ₁ = −0.25" at fewer digits than the map's and the eigenvalue chart's tooltips ("−0.2500")."""
    at = _open(query={"y0": "0.5", "t": "0"})
    rows = chart_rows(at, "Hessian eigenvalues")["data-0"]
    first = next(r for r in rows if r["step"] == 0 and r["eigenvalue"] == -0.25)
    assert first["eigenvalue_text"] == "−0.2500"
    latex = " ".join(e.value for e in at.get("latex"))
    assert r"\lambda_1 = -0.2500" in latex, latex
    assert "(λ = −0.2500)" in _texts(at)
