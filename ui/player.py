"""A step player: a Step slider and a Play button that move a view of one run through its steps.

The slider, the button and whatever ``draw(step, playing)`` draws run in one fragment, so
scrubbing or playing reruns only them. Play moves from the current step (from 0 at the end) to
the last in ``seconds`` of wall time: each frame is a run of the fragment that shows the step the
clock has reached (a slow frame is skipped, never the end delayed), so the slider, the charts and
any text in ``draw`` show the same step in every frame. Any run of the whole page (a setting
changed) stops Play. Charts that follow the step should be cached specs whose moving parts are
named datasets (``ui.lesson.chart(..., datasets=...)``): a frame then sends a few rows, and the
browser keeps up. ``playing`` lets ``draw`` leave out what it need not update in every frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

import streamlit as st

from core.facts import num
from ui.classroom import register_widget
from ui.controls import url_slider

# Seconds between frames while playing.
FRAME_SECONDS = 0.3
# The clock the frames follow, and the pause between them (the tests replace them).
clock = time.monotonic
sleep = time.sleep


def declare(key: str, default: int) -> None:
    """Make the Step slider's URL key part of the page's settings before the sidebar's tools read
    the link (the slider itself is drawn later, once the run's length is known)."""
    register_widget(key, default, bound=False)


def step_player(
    draw: Callable[[int, bool], None],
    *,
    key: str,
    last: int,
    run: Hashable,
    seconds: float,
    label: str = "Step",
    help: str = "",
) -> None:
    """Draw a Step slider over 0..``last`` (URL key ``key``) with a Play button, then ``draw``.

    ``run`` identifies the run the steps belong to (its Config): a new run opens at its last
    step, while a link's step is kept on the session's first visit. The slider keeps its URL
    parameter by hand (``ui.controls.url_slider``): its range follows the run's length.
    """
    ss = st.session_state
    owner = f"_lab_step_run_{key}"
    # This is a run of the whole page (a fragment's own run skips it): Play stops here.
    play = ss.pop(f"_lab_play_{key}", None)
    if ss.get(owner) != run:
        if owner in ss:  # a new run opens whole (the session's first reads the link)
            ss[key] = last
        ss[owner] = run
    elif play and "at" in play:
        ss[key] = play["at"]
    st.fragment(_view)(draw, key, last, seconds, label, help)


def _view(draw, key: str, last: int, seconds: float, label: str, help: str) -> None:
    ss = st.session_state
    register_widget(key, last, bound=False)
    playing = f"_lab_play_{key}"
    play = ss.get(playing)
    if play:
        if play["started"] is None:
            play["started"] = clock()
        done = min(1.0, (clock() - play["started"]) / seconds)
        play["at"] = ss[key] = round(play["from"] + done * (last - play["from"]))
        if done >= 1.0:  # the last frame: at rest
            ss.pop(playing)
            play = None
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    right.button(
        "Pause" if play else "Play",
        key=f"{key}_play",
        icon=":material/pause:" if play else ":material/play_arrow:",
        width="stretch",
        on_click=_toggle,
        args=(key, last),
        help=f"Play from this step (from 0 at the end) to the last, in about {num(seconds, 6)} s.",
    )
    with left:
        step = url_slider(label, key=key, min_value=0, max_value=last, value=last, help=help)
    draw(step, bool(play))
    if play:
        elapsed = clock() - play["started"]
        sleep(max(0.0, FRAME_SECONDS - elapsed % FRAME_SECONDS))
        st.rerun(scope="fragment")  # the next frame


def _toggle(key: str, last: int) -> None:
    """Play, or Pause where the animation is (a callback, before the fragment's run)."""
    ss = st.session_state
    play = ss.pop(f"_lab_play_{key}", None)
    if play is not None:
        ss[key] = play.get("at", ss.get(key, last))
        return
    begin = ss.get(key, last)
    ss[f"_lab_play_{key}"] = {"from": 0 if begin >= last else begin, "started": None}
