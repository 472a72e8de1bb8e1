"""Class polls in the app: a session's membership of a class (host or student), the host's poll
panel with its live histogram, and a student's answer form. Everything goes through the shared
database (study.polls), so hosts and students may sit on different replicas.

A student's link carries ``?class=<code>&seat=<token>`` (a reload keeps the seat, so the answer
still counts once); the host's secret stays in the session (and in a private instructor link),
never in the projected address bar. Typed codes and answers are data: an answer is the index
of one of the poll's options, a code is matched against the database, and any text quoted back
goes through ui.text.plain.
"""

from __future__ import annotations

import ipaddress

import streamlit as st

from core.facts import Prediction, num
from study import polls
from study.db import utcnow
from ui.charts.polls import poll_histogram
from ui.study import store
from ui.text import plain

CLASS, SEAT, JOIN, HOST = "class", "seat", "join", "host"
HOST_REFRESH = 2  # seconds between the projector's histogram updates
STUDENT_REFRESH = 3  # seconds between a student's checks for a new poll or the reveal
_MEMBER = "_lab_class"


def client_address() -> str | None:
    """The visitor's address for the join rate limit: the last X-Forwarded-For hop when the
    direct peer is a proxy on a private or loopback address (HAProxy appends the real peer),
    else the peer itself."""
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) else None  # None without a browser (AppTest)
    forwarded = (st.context.headers or {}).get("X-Forwarded-For")
    if forwarded and (peer is None or _is_local(peer)):
        return forwarded.split(",")[-1].strip() or peer
    return peer


def _is_local(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback


def member() -> dict | None:
    """This session's class: {code, role, token, expires_at}, or None.

    A link with ``?class=`` or ``?join=`` joins under the rate limit (once per session);
    ``?host=`` with ``?class=`` makes the session the host when the token matches.
    """
    current = st.session_state.get(_MEMBER)
    if current and current["expires_at"] <= utcnow():
        leave()
        current = None
    if current:
        if st.query_params.get(CLASS) != current["code"]:
            st.query_params[CLASS] = current["code"]
        if current["role"] == "student" and st.query_params.get(SEAT) != current["token"]:
            st.query_params[SEAT] = current["token"]
        return current
    typed = st.query_params.get(JOIN) or st.query_params.get(CLASS)
    if typed is None:
        return None
    host_token = st.query_params.get(HOST)
    for name in (JOIN, HOST):
        st.query_params.pop(name, None)
    if host_token is not None:
        code = polls.normalize_code(typed)
        with store().read() as s:
            if code and polls.is_host(s, code, host_token):
                return _remember(code, "host", host_token, polls.find_class(s, code).expires_at)
    return join(typed, seat=st.query_params.get(SEAT))


def join(typed: str, seat: str | None = None) -> dict | None:
    """Join the class of a typed or linked code; says why not when it fails."""
    with store().write() as s:
        outcome = polls.join(s, typed, client_address())
        room = polls.find_class(s, outcome.code) if outcome.status == "joined" else None
    if room is None:
        for name in (CLASS, SEAT):
            st.query_params.pop(name, None)
        _refusal(outcome, typed)
        return None
    seat = (
        seat
        if seat and len(seat) <= 64 and seat.replace("-", "").replace("_", "").isalnum()
        else None
    )
    return _remember(room.code, "student", seat or polls.new_token(), room.expires_at)


def class_length() -> str:
    """How long a class runs, in words, from :data:`study.polls.CLASS_DURATION`: the class page's
    promise and the wrong-code refusal print it alike ("classes end after a few hours" beside the
    class page's "three hours", and for a class its instructor ended minutes in; audit pass 63 g)."""
    hours = polls.CLASS_DURATION.total_seconds() / 3600
    words = {1: "one hour", 2: "two hours", 3: "three hours", 4: "four hours", 6: "six hours"}
    return words.get(hours, f"{num(hours)} hours")


def _refusal(outcome: polls.Joined, typed: str) -> None:
    if outcome.status == "limited":
        minutes = max(1, round(outcome.retry_after.total_seconds() / 60))
        st.error(
            f"Too many wrong codes from this connection: try again in about {minutes} min.",
            icon=":material/block:",
        )
    elif outcome.status == "malformed":
        st.error(
            f"“{plain(typed, 20)}” is not a join code: a code has 6 letters and digits, and "
            "never the letter U.",
            icon=":material/error:",
        )
    else:
        st.error(
            f"No class is running with the code “{plain(typed, 20)}”: check it with your "
            f"instructor (a class ends when its instructor ends it, or {class_length()} after "
            "it starts).",
            icon=":material/error:",
        )


def _remember(code: str, role: str, token: str, expires_at) -> dict:
    current = {"code": code, "role": role, "token": token, "expires_at": expires_at}
    st.session_state[_MEMBER] = current
    st.query_params[CLASS] = code
    if role == "student":
        st.query_params[SEAT] = token
    return current


def start_class() -> dict:
    with store().write() as s:
        room, token = polls.start_class(s)
    return _remember(room.code, "host", token, room.expires_at)


def leave() -> None:
    st.session_state.pop(_MEMBER, None)
    for name in (CLASS, SEAT, JOIN, HOST):
        st.query_params.pop(name, None)


def histogram(poll: polls.PollView, counts: list[int], *, answer: str | None = None) -> None:
    total = sum(counts)
    title = f"Class answers: {total} {'answer' if total == 1 else 'answers'}"
    from ui import lesson  # ui.lesson imports this module

    # the one chart route: presenter-mode fonts on the projector, dark-theme colours
    lesson.chart(poll_histogram(poll.options, counts, title=title, highlight=answer))


def plurality(poll: polls.PollView, counts: list[int]) -> str | None:
    """The class's prediction: the option most chose (None on a tie or with no answers)."""
    top = max(counts, default=0)
    if top == 0 or counts.count(top) > 1:
        return None
    return poll.options[counts.index(top)]


# ---- the host ------------------------------------------------------------------------------


def _open_poll(current: dict, lesson: str, prediction: Prediction) -> None:
    with store().write() as s:
        polls.open_poll(
            s, current["code"], current["token"], lesson, prediction.prompt, prediction.options
        )


def _reveal(current: dict, poll_id: int) -> None:
    with store().write() as s:
        polls.reveal(s, current["code"], current["token"], poll_id)


@st.fragment(run_every=HOST_REFRESH)
def _live(current: dict, poll: polls.PollView) -> None:
    with store().read() as s:
        counts = polls.live_counts(s, current["code"], current["token"], poll.id)
    histogram(poll, counts)
    total = sum(counts)
    st.caption(
        f"**{total}** {'answer' if total == 1 else 'answers'} so far · live, every "
        f"{HOST_REFRESH} s · students see nothing until you reveal."
    )


def host_panel(current: dict, lesson: str, prediction: Prediction) -> tuple[bool, str | None]:
    """The host's poll on this lesson: open it, watch answers arrive, reveal and run."""
    with store().read() as s:
        poll = polls.current_poll(s, current["code"], lesson)
    with st.container(border=True):
        st.markdown(f"**Class poll** · join code **{current['code']}**")
        if poll is None:
            st.button(
                "Poll the class on this prediction",
                type="primary",
                icon=":material/how_to_vote:",
                on_click=_open_poll,
                args=(current, lesson, prediction),
                key="_lab_poll_open",
            )
            return False, None
        if not poll.revealed:
            _live(current, poll)
            st.button(
                "Reveal the answers and run the experiment",
                type="primary",
                icon=":material/play_arrow:",
                on_click=_reveal,
                args=(current, poll.id),
                key="_lab_poll_reveal",
            )
            st.stop()
        with store().read() as s:
            counts = polls.live_counts(s, current["code"], current["token"], poll.id)
        histogram(poll, counts)
        st.button(
            "Poll again",
            icon=":material/replay:",
            on_click=_open_poll,
            args=(current, lesson, prediction),
            key="_lab_poll_again",
        )
    return True, plurality(poll, counts)


# ---- a student -----------------------------------------------------------------------------


def _send(current: dict, poll: polls.PollView, key: str) -> None:
    choice = st.session_state.get(key)
    if choice not in poll.options:
        return
    try:
        with store().write() as s:
            polls.vote(s, poll.id, current["token"], poll.options.index(choice))
    except polls.PollError as err:
        st.session_state["_lab_poll_refused"] = str(err)


def answer_form(current: dict, poll: polls.PollView) -> int | None:
    """The poll's question and options, or the answer this seat sent; returns that answer."""
    with store().read() as s:
        mine = polls.my_answer(s, poll.id, current["token"])
    st.markdown(f"**Class poll.** {poll.prompt}")
    if mine is None and not poll.revealed:
        key = f"_lab_poll_choice_{poll.id}"
        st.radio(
            "Your answer",
            poll.options,
            index=None,
            key=key,
            label_visibility="collapsed",
        )
        st.button(
            "Send my answer",
            type="primary",
            icon=":material/send:",
            on_click=_send,
            args=(current, poll, key),
            key=f"_lab_poll_send_{poll.id}",
            disabled=st.session_state.get(key) is None,
        )
        refused = st.session_state.pop("_lab_poll_refused", None)
        if refused:
            st.warning(refused, icon=":material/block:")
    elif mine is not None:
        st.success(f"Your answer is in: **{poll.options[mine]}**.", icon=":material/how_to_vote:")
    return mine


def results(poll: polls.PollView) -> None:
    """The class's answers, once revealed (a student's view never reads them before)."""
    with store().read() as s:
        counts = polls.results(s, poll.id)
    histogram(poll, counts)


@st.fragment(run_every=STUDENT_REFRESH)
def _wait_for_reveal(current: dict, poll_id: int) -> None:
    with store().read() as s:
        poll = polls.current_poll(s, current["code"])
    if poll is None or poll.id != poll_id or poll.revealed:
        st.rerun(scope="app")
    st.caption("Waiting for the instructor to reveal the answers…")


def student_panel(current: dict, lesson: str) -> tuple[bool, str | None]:
    """A student's view of this lesson's poll: answer, wait, then the class's answers."""
    with store().read() as s:
        poll = polls.current_poll(s, current["code"], lesson)
    if poll is None:
        return False, None
    with st.container(border=True):
        mine = answer_form(current, poll)
        if not poll.revealed:
            if mine is not None:
                _wait_for_reveal(current, poll.id)
            st.stop()
        results(poll)
    return True, None if mine is None else poll.options[mine]


def hosting() -> bool:
    """True when this session is a class's host (the choice a poll returns it is the class's
    most common answer, not a prediction of its own)."""
    current = st.session_state.get(_MEMBER)
    return bool(current) and current["role"] == "host"


def lesson_poll(prediction: Prediction, lesson: str | None) -> tuple[bool, str | None]:
    """The hook in ``ui.lesson.predict``: (handled, choice). Outside a class nothing happens and
    no database is touched; in a class the host's panel or a student's form takes the
    prediction's place while a poll on this lesson is open (the page stops until the reveal)."""
    if lesson is None or not (
        st.session_state.get(_MEMBER) or CLASS in st.query_params or JOIN in st.query_params
    ):
        return False, None
    current = member()
    if current is None:
        return False, None
    if current["role"] == "host":
        return host_panel(current, lesson, prediction)
    return student_panel(current, lesson)


# ---- the class page ------------------------------------------------------------------------


def join_link(code: str) -> str:
    """The address students open (the QR code's content): this server's class page."""
    here = st.context.url or ""
    base = here.split("?")[0].rstrip("/")
    base = base.rsplit("/", 1)[0] if base.rsplit("/", 1)[-1] == "class" else base
    return f"{base}/class?{JOIN}={code}"


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as an SVG document (black on white, for a projector)."""
    import segno

    return segno.make(text, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")


def instructor_link(current: dict) -> str:
    return f"{join_link(current['code']).split('?')[0]}?{CLASS}={current['code']}&{HOST}={current['token']}"


def end_class(current: dict) -> None:
    with store().write() as s:
        polls.end_class(s, current["code"], current["token"])
    leave()


def class_poll_status(current: dict) -> polls.PollView | None:
    with store().read() as s:
        return polls.current_poll(s, current["code"])


@st.fragment(run_every=STUDENT_REFRESH)
def student_live(current: dict, titles: dict[str, str]) -> None:
    """A student's class page: the open poll to answer, or the revealed results and a link to
    the experiment; checks for the instructor's next step every few seconds."""
    poll = class_poll_status(current)
    if poll is None:
        st.info("Waiting for your instructor's question…", icon=":material/hourglass_top:")
        return
    with st.container(border=True):
        st.caption(titles.get(poll.lesson, poll.lesson))
        mine = answer_form(current, poll)
        if not poll.revealed:
            if mine is not None:
                st.caption("Waiting for the instructor to reveal the answers…")
            return
        results(poll)
        st.page_link(
            f"app_pages/{poll.lesson}.py",
            label="See the experiment",
            icon=":material/play_arrow:",
            query_params={"reveal": "1"},
        )
