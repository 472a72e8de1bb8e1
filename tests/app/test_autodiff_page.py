"""The autodiff page: presets, typed losses from the box or a link, errors as messages, the kink."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.experiments import autodiff as ad

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/autodiff.py"


def _open(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _text(at):
    return " ".join(m.value for m in at.markdown)


def test_preset_sets_the_loss_and_the_page_reads_it_back():
    at = _open()
    at.sidebar.button(key="preset_huber").click().run()
    assert not at.exception
    assert at.text_input(key="loss").value == ad.PRESETS["Huber"][0]
    assert any(r"\delta" in formula.value for formula in at.latex)
    assert "Trained with your loss" in _text(at)


def test_bad_input_shows_the_message_and_the_column_not_a_traceback():
    at = _open()
    at.text_input(key="loss").input("mean(y_pred.__class__)").run()
    assert not at.exception
    assert at.error and "column 12" in at.error[0].value and "attribute" in at.error[0].value
    assert "^" in at.code[0].value  # a caret under the offending character
    assert not at.get("vega_lite_chart")


def test_an_undefined_point_warns_and_the_page_still_draws():
    at = _open(loss="mean(log(y_pred))")
    at.sidebar.slider(key="yp").set_value(-1.0).run()
    assert not at.exception
    assert any("Undefined" in w.value and "log" in w.value for w in at.warning)
    assert len(at.get("vega_lite_chart")) >= 3


def test_prediction_is_checked_against_the_run_and_the_kink_breaks_the_check():
    at = _open()
    at.radio(key="predict_autodiff").set_value("keeps shrinking").run()
    assert any("This run says **shrinks, then grows**" in w.value for w in at.warning)
    at.radio(key="predict_autodiff").set_value("shrinks, then grows").run()
    assert any("Your prediction held" in s.value for s in at.success)
    assert "Every weight tensor passes" in _text(at)
    at.sidebar.radio(key="kink").set_value(True).run()
    assert not at.exception
    assert "fail the check" in _text(at) and "exactly on the kink" in _text(at)


def test_a_shared_link_carries_the_typed_loss():
    at = _open(loss="mean(abs(y_pred - y_true))")
    assert at.text_input(key="loss").value == "mean(abs(y_pred - y_true))"
    assert any(r"\left|" in formula.value for formula in at.latex)
    assert not at.error
