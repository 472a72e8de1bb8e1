"""Garbage in a shared link never breaks a page: invalid values are dropped, the page still runs."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from ui.pages import LESSONS

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGES = [lesson.path for lesson in LESSONS]

JUNK = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["-1", "1e308", "nan", "inf", "-0", "0x10", "1,5", "[]", "%00", "999999999"]),
)


def _widget_keys(path):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(path).run()
    return sorted(at.session_state["_lab_run"]["widgets"])


@pytest.mark.parametrize("path", PAGES)
@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_query_strings_never_raise(path, data):
    keys = _widget_keys(path)
    chosen = data.draw(
        st.lists(st.sampled_from([*keys, "zz", "preset", "present"]), max_size=6, unique=True)
    )
    params = {k: data.draw(JUNK) for k in chosen}
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, (params, at.exception)
