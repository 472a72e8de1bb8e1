"""The optimizers page: presets, the prediction, surfaces, old links, the Step slider."""

from core.experiments import optimizers as ox
from core.surfaces import SURFACES
from tests.app.conftest import open_page, specs, titles

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
