"""Shareable links, presets, presenter mode, reset and export work on every page through ui/."""

import dataclasses
import importlib
from pathlib import Path

import pytest

from tests.app.conftest import open_page
from ui import classroom, export
from ui.pages import LESSONS

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _open(path, params=None):
    return open_page(path, query=params)


def _notice(at) -> str:
    return " ".join(w.value for w in at.warning if "could not use" in w.value)


def test_garbage_and_unknown_link_parameters_are_named_in_a_visible_notice():
    at = _open(
        "app_pages/gradient_descent.py",
        {"lr": "abc", "epochs": "1e9", "zzz": "1", "xaxis": "banana", "preset": "nope"},
    )
    assert not at.exception
    assert at.sidebar.select_slider(key="lr").value == 0.05
    text = _notice(at)
    assert "“Learning rate η (log scale)” can't be abc" in text
    assert "“Epochs” can't be 1e9" in text
    assert "“Compare against” can't be banana" in text
    assert "no setting “zzz”" in text and "no preset “nope”" in text


def test_a_log_sliders_value_between_its_options_runs_the_nearest_and_says_so():
    """Audit pass 60 e: ?lr=0.25 (?nl1=0.0456) was refused and ran the default η = 0.05 where
    the slider offers 0.2 and 0.3, while a linear slider's value between its steps runs the
    nearest step with a notice: one rule for both, nearest on the log scale."""
    at = _open("app_pages/gradient_descent.py", {"lr": "0.25"})
    assert at.sidebar.select_slider(key="lr").value == 0.3  # |log 0.25/0.3| < |log 0.25/0.2|
    assert "“Learning rate η (log scale)” 0.25 runs as 0.3" in " ".join(i.value for i in at.info)
    assert "can't be" not in _notice(at)
    assert "lr=0.3" in " ".join(c.value for c in at.sidebar.code)


def test_a_log_sliders_value_outside_its_options_is_refused():
    at = _open("app_pages/gradient_descent.py", {"lr": "50"})
    assert at.sidebar.select_slider(key="lr").value == 0.05
    assert "can't be 50" in _notice(at)


def test_a_links_slider_value_off_the_step_grid_runs_the_value_the_slider_shows():
    """Audit pass 45 (a): ?t=1.3907 ran the budget t = 1.3907 (the sentences printed it) under a
    slider that showed "1.39"; a link's value is put on the slider's grid (0.1 for t)."""
    at = _open("app_pages/regularization.py", {"t": "1.3907", "l1r": "0.333"})
    assert not at.exception
    sliders = {s.key: s.value for s in at.sidebar.slider}
    assert sliders["t"] == 1.4 and sliders["l1r"] == 0.3
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "t = 1.4" in shown and "1.3907" not in shown
    assert not _notice(at)
    # the URL keeps the link's text (a bound slider's parameter can't be set); the share link
    # spells the values the page ran
    share = " ".join(c.value for c in at.sidebar.code)
    assert "t=1.4" in share and "l1r=0.3" in share and "1.3907" not in share


def test_link_text_is_quoted_as_plain_text():
    at = _open("app_pages/gradient_descent.py", {"**bold** [x](http://e.com) :smile:": "1"})
    text = _notice(at)
    assert "\\*\\*bold\\*\\* \\[x\\](http\\://e.com) \\:smile:" in text


def test_a_valid_link_restores_the_controls():
    at = _open("app_pages/gradient_descent.py", {"lr": "0.1", "batch": "4", "seed": "3"})
    assert not at.exception
    assert at.sidebar.select_slider(key="lr").value == 0.1
    assert at.sidebar.select_slider(key="batch").value == 4
    assert not _notice(at)


def test_another_pages_query_string_is_ignored_without_error():
    # a link from a different lesson: its keys are unknown here
    at = _open("app_pages/gradient_descent.py", {"surface": "rosenbrock", "kappa": "10"})
    assert not at.exception
    assert "no setting “surface”" in _notice(at)


def test_preset_from_the_url_sets_the_controls_and_says_what_to_look_for():
    at = _open("app_pages/gradient_descent.py", {"preset": "decay-the-step-size"})
    assert not at.exception
    assert at.sidebar.selectbox(key="schedule").value == "inverse_time"
    assert any("Decay the step size" in i.value for i in at.sidebar.info)


def test_unknown_preset_is_ignored():
    at = _open("app_pages/gradient_descent.py", {"preset": "no-such-thing"})
    assert not at.exception
    assert at.sidebar.selectbox(key="schedule").value == "constant"


def test_reset_returns_every_control_to_its_default():
    at = _open("app_pages/gradient_descent.py")
    at.sidebar.select_slider(key="lr").set_value(0.2).run()
    at.sidebar.slider(key="epochs").set_value(7).run()
    at.sidebar.button(key="_lab_reset").click().run()
    assert not at.exception
    assert at.sidebar.select_slider(key="lr").value == 0.05
    assert at.sidebar.slider(key="epochs").value == 20


def test_presenter_mode_folds_text_and_enlarges_chart_fonts():
    at = _open("app_pages/gradient_descent.py", {"present": "1"})
    assert not at.exception
    assert at.sidebar.toggle(key="_lab_present_toggle").value is True
    assert any(e.label == "What to notice" for e in at.expander)
    import json

    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["axis"]["labelFontSize"] == 16


@pytest.mark.parametrize("spelled", ["True", "on", "ON"])
def test_presenter_mode_reads_a_link_flag_as_every_switch_does(spelled):
    """Audit pass 61 g: ?present=True and ?present=on opened without presenter mode and said
    nothing, where every lesson's switch reads True and on (ui.controls._option_spelled)."""
    at = _open("app_pages/gradient_descent.py", {"present": spelled})
    assert not at.exception
    assert at.sidebar.toggle(key="_lab_present_toggle").value is True
    assert any(e.label == "What to notice" for e in at.expander)


def test_presenter_toggle_switches_the_mode_on():
    at = _open("app_pages/gradient_descent.py")
    assert not any(e.label == "What to notice" for e in at.expander)
    at.sidebar.toggle(key="_lab_present_toggle").set_value(True).run()
    assert at.query_params.get("present") in (["1"], "1")


def test_share_link_holds_the_changed_settings():
    url = classroom.share_url("http://host:8501/gradient_descent", {"lr": ["0.1"], "batch": ["4"]})
    assert url == "http://host:8501/gradient_descent?lr=0.1&batch=4"
    assert classroom.share_url("http://host/x?old=1", {}) == "http://host/x"


@pytest.mark.parametrize(
    "lesson", [item for item in LESSONS if item.is_lesson], ids=lambda lesson: lesson.url_path
)
def test_every_export_snippet_runs_and_reproduces_the_result(lesson):
    """Each page's 'reproduce in Python' snippet, executed, gives the page's own numbers."""
    at = _open(lesson.path)
    assert not at.exception
    snippets = [c.value for c in at.code if "core.experiments" in c.value]
    assert snippets, "every lesson offers a snippet"
    pickers = [s for s in at.selectbox if s.key == "_lab_export_run"]
    if pickers:  # several experiments on the page: export each one in turn
        for i in range(1, len(pickers[0].options)):
            at.selectbox(key="_lab_export_run").set_value(i).run()
            snippets += [c.value for c in at.code if "core.experiments" in c.value]
        assert len(set(snippets)) == len(pickers[0].options)
    for code in dict.fromkeys(snippets):
        namespace: dict = {"print": lambda *a, **k: None}
        exec(compile(code, "<snippet>", "exec"), namespace)  # test code only: the page's snippet
        module_name = code.split("import ", 1)[1].split()[0]
        module = importlib.import_module(f"core.experiments.{module_name}")
        again = module.run(namespace["config"])
        assert isinstance(namespace["result"], type(again))
        # deterministic: the same config gives the same tables (wall-clock columns aside)
        for name, frame in export.tables(again).items():
            cols = [c for c in frame.columns if not any(w in str(c) for w in ("second", "time"))]
            theirs = export.tables(namespace["result"])[name]
            assert theirs[cols].equals(frame[cols]), name


def test_snippet_lists_only_changed_fields():
    from core.experiments import gradient_descent as gd

    code = export.snippet("gradient_descent", dataclasses.replace(gd.Config(), epochs=5))
    assert "Config(epochs=5)" in code
    namespace: dict = {"print": lambda *a, **k: None}
    exec(compile(code, "<snippet>", "exec"), namespace)
    assert namespace["result"].summary["updates"].iloc[0] == 5


def test_csv_zip_holds_every_table():
    import io
    import zipfile

    from core.experiments import gradient_descent as gd

    result = gd.run(gd.Config(epochs=2, n_samples=40))
    names = zipfile.ZipFile(io.BytesIO(export.csv_zip(result))).namelist()
    assert "curves.csv" in names and "summary.csv" in names


def test_snippet_for_uploaded_data_loads_the_file_and_passes_it_as_data(tmp_path):
    from core.experiments import regularization as rx

    spec = {
        "name": "mine.csv",
        "target": "y",
        "features": ["a", "b"],
        "task": "regression",
        "seed": 3,
    }
    code = export.snippet("regularization", rx.Config(seed=3), spec)
    assert code.startswith("from core.experiments import regularization\n")
    assert "CSV_PATH = 'mine.csv'  # EDIT" in code and "run(config, data=data)" in code
    assert "dataset_from_frame(" in code and "features=['a', 'b']" in code and "seed=3" in code
    rows = [f"{i},{i % 7},{2 * i + (i % 5)}" for i in range(60)]
    path = tmp_path / "mine.csv"
    path.write_text("a,b,y\n" + "\n".join(rows) + "\n")
    namespace: dict = {"print": lambda *a, **k: None}
    exec(
        compile(code.replace("'mine.csv'  # EDIT", f"{str(path)!r}  # EDIT"), "<snippet>", "exec"),
        namespace,
    )
    assert namespace["result"].data_name == "mine.csv" and namespace["result"].n_train == 42


def test_moving_to_another_lesson_starts_it_at_its_own_defaults():
    # batch size's noise goes to 1.0; network depth's stops at 0.5. Carried over by the shared
    # key, the value was out of range and the page showed a traceback.
    at = _open("app_pages/batch_size.py")
    at.sidebar.slider(key="noise").set_value(1.0).run()
    assert at.sidebar.slider(key="noise").value == 1.0
    at.switch_page("app_pages/network_depth.py").run()
    assert not at.exception
    assert (
        at.sidebar.slider(key="noise").value
        == _open("app_pages/network_depth.py").sidebar.slider(key="noise").value
    )
    assert "noise" not in at.query_params


def test_staying_on_a_lesson_keeps_its_settings():
    at = _open("app_pages/batch_size.py")
    at.sidebar.slider(key="noise").set_value(1.0).run()
    at.run()
    assert at.sidebar.slider(key="noise").value == 1.0


_LESSON_PATHS = [lesson.path for lesson in LESSONS if lesson.is_lesson]


def _values(at) -> dict:
    widgets = [*at.sidebar.slider, *at.sidebar.select_slider, *at.sidebar.selectbox]
    return {w.key: w.value for w in widgets if w.key and not w.key.startswith("_")}


@pytest.mark.parametrize(
    "src",
    # one light lesson in the quick run; the sweep over every lesson in the full one
    [
        s if s.endswith("gradient_descent.py") else pytest.param(s, marks=pytest.mark.slow)
        for s in _LESSON_PATHS
    ],
    ids=lambda p: Path(p).stem,
)
def test_every_lessons_extremes_stay_behind_when_moving_on(src):
    """Every slider of a lesson at its top, then the next lesson: it opens at its defaults.

    (Select sliders are left alone: AppTest sets them by value and shows only their labels.)
    """
    dst = _LESSON_PATHS[(_LESSON_PATHS.index(src) + 1) % len(_LESSON_PATHS)]
    at = _open(src)
    for slider in at.sidebar.slider:
        if slider.key and not slider.key.startswith("_"):
            top = type(slider.value)(slider.max)  # the proto keeps an int slider's max as float
            slider.set_value(top)
    at.run()
    moved = _values(at)
    at.switch_page(dst).run()
    assert not at.exception
    fresh = _values(_open(dst))
    assert _values(at) == fresh
    assert not set(moved) & set(at.query_params)


def test_a_link_that_spells_out_the_defaults_is_not_reported_as_ignored():
    fresh = _open("app_pages/gradient_descent.py")
    schedule = fresh.sidebar.selectbox(key="schedule")
    epochs = fresh.sidebar.slider(key="epochs")
    params = {
        "schedule": schedule.options[schedule.index],  # the label the link shows, "constant η"
        "epochs": str(epochs.value),
        "lr": "0.05",
    }
    at = _open("app_pages/gradient_descent.py", params)
    assert not at.exception
    assert not _notice(at)
    wrong = _open("app_pages/gradient_descent.py", {**params, "schedule": "constantly"})
    assert "“Step-size schedule” can't be constantly" in _notice(wrong)
    # the choice's value, as Choice.parse reads a link, opens it too (audit passes 51 b and h:
    # "can't be constant" of the default schedule; ?model=mlp after the MLP's settings applied)
    value = _open("app_pages/gradient_descent.py", {**params, "schedule": "constant"})
    assert not value.exception and not _notice(value)
    assert value.sidebar.selectbox(key="schedule").value == "constant"


def _change_lesson_like_the_browser(at, path):
    """Streamlit's frontend drops every URL parameter when the visitor changes pages."""
    for key in list(at.query_params):
        del at.query_params[key]
    at.switch_page(path).run()
    return at


def test_presenter_mode_stays_on_across_lessons():
    at = _open("app_pages/gradient_descent.py", {"present": "1"})
    assert at.sidebar.toggle(key="_lab_present_toggle").value
    _change_lesson_like_the_browser(at, "app_pages/optimizers.py")
    assert not at.exception
    assert at.query_params.get("present") == "1"  # what presenting() and the share link read
    assert at.sidebar.toggle(key="_lab_present_toggle").value


def test_without_presenter_mode_a_lesson_change_adds_nothing():
    at = _open("app_pages/gradient_descent.py")
    _change_lesson_like_the_browser(at, "app_pages/optimizers.py")
    assert "present" not in at.query_params
    assert not at.sidebar.toggle(key="_lab_present_toggle").value


def test_an_exported_snippet_runs_from_any_folder_once_the_lab_is_installed(tmp_path):
    """`pip install -e .` (in the README's set-up) makes `core` importable outside the repo."""
    import subprocess
    import sys

    from core.experiments import gradient_descent as gd

    where = subprocess.run(
        [sys.executable, "-c", "import core; print(core.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, "core is not installed: run pip install -e . (README set-up)"
    root = str(Path(export.__file__).resolve().parents[1])
    if not where.stdout.strip().startswith(root):
        pytest.skip(f"core is installed from another checkout ({where.stdout.strip()})")
    code = export.snippet("gradient_descent", gd.Config(epochs=3), has_facts=True)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert "- After one epoch" in out  # the page's own sentences, printed
    assert "summary DataFrame (3, " in out


def test_export_labels_say_what_differs_between_runs():
    from core.experiments import dropout as do

    runs = [("dropout", do.Config(width=w), None, None) for w in (128, 16)]
    assert export.run_labels(runs) == ["1. dropout: width = 128", "2. dropout: width = 16"]


def test_exported_csv_text_cannot_run_as_a_spreadsheet_formula():
    import pandas as pd

    frame = pd.DataFrame(
        {'=HYPERLINK("x")': [1.5, -2.0], "feature": ["=cmd|' /C calc'!A0", "@SUM(A1)"]}
    )
    csv = export.safe_csv(frame)
    header, first, second = csv.splitlines()
    assert header.startswith("\"'=HYPERLINK") and ",feature" in header
    assert first.startswith("1.5,'=cmd") and second.startswith("-2.0,'@SUM")  # numbers untouched


def test_the_share_box_names_the_weights_the_backprop_buttons_reached():
    """Audit 43h: after "Run 50 updates" on the backpropagation page (defaults) the Share box
    said its link opens the page "with these exact settings and seed", but the link carries
    no step: it opens the seeded network at update 0, not the one shown at update 50."""
    at = _open("app_pages/backpropagation.py", {"reveal": "1"})
    at.button(key="bp_run").click().run()
    assert not at.exception
    assert not any("step" in k or "update" in k for k in at.query_params)  # not in the link
    (caption,) = [c.value for c in at.caption if c.value.startswith("Copy this link")]
    assert "exact" not in caption, caption
    assert "the weights reached with this page's buttons (update 50)" in caption, caption
    # before any button, nothing is left out
    fresh = _open("app_pages/backpropagation.py", {"reveal": "1"})
    (caption,) = [c.value for c in fresh.caption if c.value.startswith("Copy this link")]
    assert "these exact settings and seed" in caption


def test_the_snippets_comment_names_no_type_its_fields_do_not_have():
    """Audit 43h: every exported snippet ended with ``print(field, value.shape)  # a pandas
    DataFrame: result.<field>``, but on the loss functions page the fields it prints
    (probabilities, logits, start_logits) are NumPy arrays. The snippet prints each field's
    type instead of naming one."""
    from core.experiments import loss_functions as lf

    code = export.snippet("loss_functions", lf.Config(), has_facts=True)
    printed: list[tuple] = []
    namespace: dict = {"print": lambda *a, **k: printed.append(a)}
    exec(compile(code, "<snippet>", "exec"), namespace)  # test code only: the page's snippet
    result = namespace["result"]
    rows = [row for row in printed if row and row[0] in result.__dataclass_fields__]
    kinds = {type(getattr(result, row[0])).__name__ for row in rows}
    assert "ndarray" in kinds  # the witness: arrays among the printed fields
    assert "DataFrame" not in code, code  # no comment naming one type for all of them
    assert all(row[1] == type(getattr(result, row[0])).__name__ for row in rows)


def test_a_refused_value_beside_a_preset_is_not_said_to_show_its_default():
    """Audit pass 47 h: ?preset=saturated-start-z-8&z0=50 showed z₀ = −8 (the preset's) under
    "so it shows their defaults instead: “Start logit z₀ (output bias)” can't be 50", where the
    default is −6. The notice names what the sidebar shows."""
    from core.experiments import loss_functions as lf

    page = "app_pages/loss_functions.py"
    at = _open(page, {"preset": "saturated-start-z-8", "z0": "50"})
    assert not at.exception
    shown, text = at.sidebar.slider(key="z0").value, _notice(at)
    assert "can't be 50" in text
    assert (
        shown
        == lf.PRESETS["Saturated start (z₀ = −8)"].config.start_logit
        != lf.Config().start_logit
    )
    said = text.split(" instead")[0]
    assert "defaults" not in said and "preset" in said, text
    # without a preset the sidebar does show the default, and the notice says so
    plain = _open(page, {"z0": "50"})
    assert plain.sidebar.slider(key="z0").value == lf.Config().start_logit
    assert "its default instead" in _notice(plain)  # one setting (audit pass 54 c)


@pytest.mark.parametrize("name", ["Balanced classes", "99 % accuracy, useless model"])
def test_a_link_that_names_a_preset_by_its_name_opens_it(name):
    """Audit pass 50 g: Home says `?preset=<name>` sets a scenario from a link, but
    /imbalance?preset=Balanced%20classes showed the defaults under "This link asked for settings
    the page could not use ...: it has no preset “Balanced classes”", beside the sidebar's button
    of that very name (only the slug, balanced-classes, was matched). A preset is found by its
    name as well as its slug, and no notice says the page lacks a preset it has."""
    from core.experiments import imbalance

    at = _open("app_pages/imbalance.py", {"preset": name, "reveal": "1"})
    assert not at.exception
    preset = imbalance.PRESETS[name].config
    assert at.sidebar.select_slider(key="prev").value == preset.prevalence
    assert any(name in i.value for i in at.sidebar.info)
    assert "no preset" not in _notice(at), _notice(at)


def test_a_link_naming_a_setting_the_page_lacks_is_ignored_not_shown_at_a_default():
    """Audit pass 54 c: ?foo=1 said "This link asked for settings the page could not use, so it
    shows their defaults instead: this page has no setting “foo”": there is no such setting to
    show at its default, and one setting is not "settings"."""
    at = _open("app_pages/optimizers.py", {"foo": "1"})
    text = _notice(at)
    assert text.startswith(
        "**This link asked for a setting the page could not use**, so it "
        "ignored it: this page has no setting “foo”."
    ), text
    # a value the slider refuses (out of its range); ?b1=0.905 runs the step 0.9, the default,
    # and is said to (audit pass 59 d)
    at = _open("app_pages/optimizers.py", {"b1": "1.5"})
    assert "a setting the page could not use**, so it shows its default instead" in _notice(at)


def test_a_link_with_a_refused_value_and_an_unknown_name_says_each_what_it_did():
    """Audit pass 56 f: ?epochs=5000&foo=1 on the loss-functions page said "so it shows their
    defaults instead: “Epochs” can't be 5000; this page has no setting “foo”", where "foo" has no
    default to show: it is ignored (the notice pass 54 c fixed for an unknown name alone)."""
    at = _open("app_pages/loss_functions.py", {"epochs": "5000", "foo": "1"})
    assert _notice(at) == (
        "**This link asked for settings the page could not use**: “Epochs” can't be 5000 (its "
        "slider runs from 10 to 1000), so it shows its default instead; this page has no setting "
        "“foo”, so it ignored it."
    ), _notice(at)
    at = _open(
        "app_pages/loss_functions.py", {"preset": "fair-start-z-0", "epochs": "5000", "foo": "1"}
    )
    assert (
        "“Epochs” can't be 5000 (its slider runs from 10 to 1000), so it shows the preset's value instead; "
        in _notice(at)
    )
    assert "their defaults" not in _notice(at), _notice(at)


def test_a_presenter_flag_the_lab_cannot_read_is_named_in_the_link_notice():
    """Audit pass 62 g: ?present=yes opened the lesson without presenter mode and with no word
    (“present” is a classroom parameter the link notice did not report)."""
    at = _open("app_pages/loss_functions.py", {"present": "yes", "epochs": "10"})
    assert not at.exception
    assert at.sidebar.toggle(key="_lab_present_toggle").value is False
    assert any("“Presenter mode” can't be yes" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]


@pytest.mark.parametrize("spelled", ["True", "on"])
def test_a_reveal_link_reads_its_flag_as_every_switch_does(spelled):
    """Audit pass 62 g: ?reveal=True and ?reveal=on hid the results behind "Commit to an answer"
    with no word, where ?present and every lesson's switch read True and on."""
    at = open_page(
        "app_pages/loss_functions.py", query={"reveal": spelled, "epochs": "10"}, reveal=False
    )
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert not any("Commit to an answer" in c for c in captions), captions


def test_a_refused_slider_value_is_told_with_the_range_the_slider_offers():
    """Audit pass 65 d: ?yp=9&h=2&steps=5 on the autodiff page said only "“Prediction ŷ
    (y_pred)” can't be 9; … can't be 2; “Steps” can't be 5", not what each can be."""
    at = _open("app_pages/autodiff.py", {"yp": "9", "h": "2", "steps": "5"})
    notice = _notice(at)
    for part in (
        "“Prediction ŷ (y_pred)” can't be 9 (its slider runs from −5 to 5)",
        "“Finite-difference step h (log scale)” can't be 2 (its slider runs from 1e-14 to 1e+00)",
        "“Steps” can't be 5 (its slider runs from 10 to 2000)",
    ):
        assert part in notice, notice


def test_a_negative_seed_is_refused_with_a_minus_sign_and_the_seeds_range():
    """Audit pass 68 d: ?seed=-1 said "“Seed” can't be -1", an ASCII hyphen beside the page's
    "−", and not what a seed can be."""
    at = _open("app_pages/gradient_descent.py", {"seed": "-1"})
    notice = _notice(at)
    assert "“Seed” can't be −1 (it takes whole numbers from 0 to 2147483647)" in notice, notice


def test_several_values_for_one_slider_are_refused_as_several_not_as_out_of_range():
    """Audit pass 68 d: ?lr=1&lr=2 said "“Learning rate η (log scale)” can't be 1, 2 (its slider
    runs from 0.0001 to 2)" of two values inside that range."""
    at = _open("app_pages/gradient_descent.py", {"lr": ["1", "2"]})
    notice = _notice(at)
    assert "“Learning rate η (log scale)” takes one value, and the link gives it 2 (1, 2)" in notice
    assert "runs from" not in notice
    assert at.sidebar.select_slider(key="lr").value == 0.05


@pytest.mark.parametrize(
    "key, values, label",
    [
        ("seed", ["1", "2"], "Seed"),
        ("lr", ["1", "0.30"], "Learning rate η (log scale)"),
        ("schedule", ["constant", "exponential"], "Step-size schedule"),
        ("xaxis", ["update", "epoch"], "Compare against"),
    ],
)
def test_several_values_for_one_control_are_refused_not_read_unsaid(key, values, label):
    """Audit pass 68 d: ?seed=1&seed=2 ran seed 2, ?lr=1&lr=0.30 η = 0.3, ?schedule=constant&
    schedule=exponential the exponential decay and ?xaxis=update&xaxis=epoch the epoch axis,
    each with no word of the other value."""
    at = _open("app_pages/gradient_descent.py", {key: values})
    notice = _notice(at)
    assert f"“{label}” takes one value, and the link gives it 2 ({', '.join(values)})" in notice, (
        notice
    )


def test_a_refused_quiz_seed_is_told_with_the_seeds_range():
    """Audit pass 68 d: ?quiz_seed=3.5 said only "“Quiz seed” can't be 3.5", and ?quiz_seed=-1
    "can't be -1" with an ASCII hyphen."""
    at = _open("app_pages/quiz.py", {"quiz_seed": "-1"})
    assert "“Quiz seed” can't be −1 (it takes whole numbers from 0 to 2147483647)" in _notice(at)
