"""The lab's database in the app: one Store per server process with its schema upgraded at
start, and the learner's private link (``?learner=<code>``)."""

from __future__ import annotations

import logging
import time

import streamlit as st

from study import learners
from study.db import Store, database_url, describe
from study.migrate import upgrade

LEARNER = "learner"  # the URL parameter of a learner's private code
_LEARNER_STATE = "_lab_learner"
# After a failure to open the database, pages say so without retrying for this long.
RETRY_SECONDS = 30
_failures: dict[str, tuple[float, str]] = {}
log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(url: str) -> Store:
    store = Store(url)
    upgrade(store.engine)
    return store


def start() -> str | None:
    """Open the database and bring its schema to the newest migration (once per process; every
    page that needs the database calls it through :func:`store`). Returns a message when the database can't be used: the
    lessons work without it, practice progress and class polls do not."""
    url = database_url()
    failed = _failures.get(url)
    if failed and time.monotonic() - failed[0] < RETRY_SECONDS:
        return failed[1]
    try:
        _open(url)
    except Exception as err:  # any driver or migration error: say so, keep the lessons running
        log.exception("the lab's database could not be opened")
        message = (
            f"The progress database ({describe(url)}) could not be opened "
            f"({type(err).__name__}). Check LAB_DATABASE_URL, or unset it to use the local "
            "SQLite file."
        )
        _failures[url] = (time.monotonic(), message)
        return message
    _failures.pop(url, None)
    return None


def store() -> Store:
    """The database for a page that needs it; the page stops with a message when it is down."""
    problem = start()
    if problem is not None:
        st.error(problem, icon=":material/database:")
        st.stop()
    return _open(database_url())


def learner_code() -> str:
    """The learner's private code from the link, kept in the session and put back in the URL
    (a page change drops it); a new one when the link has none or a malformed one."""
    code = st.query_params.get(LEARNER)
    if code is not None and not learners.valid_code(code):
        st.warning(
            "This link's learner code is not one the lab makes, so a new private link was "
            "started (a learner code is 22 letters, digits, - or _).",
            icon=":material/link_off:",
        )
        code = None
    code = code or st.session_state.get(_LEARNER_STATE) or learners.new_code()
    st.session_state[_LEARNER_STATE] = code
    if st.query_params.get(LEARNER) != code:
        st.query_params[LEARNER] = code
    return code


def forget_learner() -> None:
    """Drop the learner code from the session and the link (after deleting their progress)."""
    st.session_state.pop(_LEARNER_STATE, None)
    st.query_params.pop(LEARNER, None)
