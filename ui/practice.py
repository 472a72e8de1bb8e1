"""Interview practice's blocks: the settings, the learner's progress tools, what is due, the
question with its timer and answer box, and the checklist of key points that grades it."""

from __future__ import annotations

import json
import math
import time
from datetime import timedelta

import pandas as pd
import streamlit as st

from study import learners, review
from study.db import Store, utcnow
from ui import lesson, questions
from ui.classroom import share_url
from ui.study import LEARNER, forget_learner
from ui.text import plain, plain_lines

MAX_ANSWER_CHARS = 2000  # a spoken answer of two or three minutes
TIMER_MINUTES = (1, 2, 3, 5)
GRADE_LABELS = {review.MISSED: "Missed it", review.PARTLY: "Partly", review.KNEW: "Knew it"}
GRADE_ICONS = {
    review.MISSED: ":material/close:",
    review.PARTLY: ":material/contrast:",
    review.KNEW: ":material/check:",
}
_STATE = "_lab_practice"


def state() -> dict:
    """This browser session's place in practice (the question shown, its stage, the answer)."""
    if _STATE not in st.session_state:
        st.session_state[_STATE] = {
            "current": None,
            "variant": 0,
            "shown_at": time.time(),
            "stage": "answer",
            "answer": "",
            "seconds": None,
            "last": None,
            "round": 0,
            "flash": None,
        }
    return st.session_state[_STATE]


def settings() -> tuple[tuple[str, ...], int | None]:
    """The sidebar's choices: which questions, and the timer's minutes (None: no timer)."""
    with st.sidebar:
        st.subheader("Practice")
        kinds = []
        if st.checkbox("Lesson questions", value=True, key="_lab_practice_lessons"):
            kinds.append(questions.LESSON)
        if st.checkbox(
            "Quiz templates",
            value=True,
            key="_lab_practice_quiz",
            help="The quiz's questions; their numbers are drawn afresh at each review, so a "
            "draw can repeat.",
        ):
            kinds.append(questions.QUIZ)
        timed = st.toggle("Timer", key="_lab_practice_timer", help="An interview pace.")
        minutes = st.select_slider(
            "Minutes per question",
            TIMER_MINUTES,
            value=2,
            key="_lab_practice_minutes",
            disabled=not timed,
        )
    return tuple(kinds), (minutes if timed else None)


def progress_tools(db: Store, code: str) -> None:
    """The private link, the export and the deletion of the learner's progress (sidebar)."""

    def exported() -> str:  # read only when the button is clicked, not on every rerun
        with db.read() as s:
            return json.dumps(learners.export(s, code), indent=2)

    with st.sidebar:
        st.subheader("Your progress")
        st.caption(
            "Kept under the private code in this link: bookmark it to come back, on any device. "
            "No account and no personal data; your typed answers are not stored."
        )
        st.code(share_url(st.context.url, {LEARNER: code}), language=None, wrap_lines=True)
        st.download_button(
            "Export my progress (JSON)",
            exported,
            file_name="ml-interview-lab-progress.json",
            mime="application/json",
            on_click="ignore",
            icon=":material/download:",
            key="_lab_practice_export",
        )
        with st.expander("Delete my progress", icon=":material/delete:"):
            sure = st.checkbox(
                "Yes, delete everything kept under this link", key="_lab_practice_sure"
            )
            st.button(
                "Delete my progress",
                disabled=not sure,
                on_click=_delete,
                args=(db, code),
                key="_lab_practice_delete",
            )


def _delete(db: Store, code: str) -> None:
    with db.write() as s:
        learners.forget(s, code)
    forget_learner()
    st.session_state.pop(_STATE, None)
    st.session_state["_lab_practice_sure"] = False
    state()["flash"] = "Your progress was deleted; this page now has a new private link."


def _when(delta: timedelta) -> str:
    if delta <= timedelta(0):
        return "now"
    hours = delta.total_seconds() / 3600
    if hours < 1:  # not "in 1 h" for a card due in 10 minutes
        return f"in {max(math.ceil(hours * 60), 1)} min"
    if hours < 20:
        return f"in {hours:.0f} h"  # plain-format: a due time in whole hours, as the days below
    days = round(hours / 24)
    return "in 1 day" if days == 1 else f"in {days} days"


def overview(cards: list[review.CardState], practised: int) -> None:
    """How much is due, what it is, and the whole queue."""
    now = utcnow()
    due = [c for c in cards if c.due(now)]
    c1, c2, c3 = st.columns(3)
    c1.metric("Due now", len(due))
    c2.metric("Practised", practised, help="Answers you have graded, all sessions together.")
    c3.metric("In your queue", len(cards), help="Questions you have practised at least once.")
    if due:
        names = ", ".join(questions.title(c.question) for c in due)
        st.markdown(f"**Due now:** {names}.")
    if cards:
        with st.expander("Your review queue", icon=":material/event_repeat:"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "question": [questions.title(c.question) for c in cards],
                        "box": [c.box for c in cards],
                        "due": [_when(c.due_at - now) for c in cards],
                        "last grade": [GRADE_LABELS.get(c.last_grade, "") for c in cards],
                        "reviews": [c.reviews for c in cards],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            st.caption(
                "Leitner boxes: “Knew it” moves a question up a box (box 5 is the last), “Missed it” "
                "back to box 1, "
                "“Partly” keeps its box. Box 1 comes back in this sitting, box 2 after a day, "
                "3 after three days, 4 after a week, 5 after three weeks."
            )


def pick(st_state: dict, kinds: tuple[str, ...], cards: list[review.CardState]) -> str | None:
    """The question to show: the one on screen, or the review queue's next."""
    pool = questions.pool(kinds)
    if st_state["current"] in pool:
        return st_state["current"]
    key = review.next_question(pool, cards, utcnow(), avoid=st_state["last"])
    reviews = {c.question: c.reviews for c in cards}
    st_state.update(
        current=key,
        variant=reviews.get(key, 0),
        shown_at=time.time(),
        stage="answer",
        answer="",
        seconds=None,
    )
    return key


@st.fragment(run_every=1)
def _countdown(started: float, minutes: int) -> None:
    left = started + 60 * minutes - time.time()
    if left > 0:
        st.progress(left / (60 * minutes), text=f"Time left {int(left) // 60}:{int(left) % 60:02d}")
    else:
        st.warning("Time's up: finish your sentence, then check it.", icon=":material/timer_off:")


def ask(question: questions.PracticeQuestion, st_state: dict, minutes: int | None) -> None:
    """The question, the timer and the answer box; the page stops here until it is submitted."""
    with st.container(border=True):
        st.caption(question.source)
        st.markdown(f"**{question.prompt}**" if question.answer else question.prompt)
        if st_state["stage"] != "answer":
            return
        if minutes:
            _countdown(st_state["shown_at"], minutes)
        with st.form(f"_lab_practice_form_{st_state['round']}", border=False):
            st.caption("Type your answer, or say it out loud and leave the box empty.")
            text = st.text_area(
                "Your answer, as you would say it in the interview",
                max_chars=MAX_ANSWER_CHARS,
                height=160,
            )
            sent = st.form_submit_button("Check my answer", type="primary")
    if sent:
        st_state.update(
            stage="check",
            answer=(text or "")[:MAX_ANSWER_CHARS],
            seconds=round(time.time() - st_state["shown_at"], 1),
        )
        st.rerun()
    st.button("Skip this question", on_click=_skip, args=(st_state,), key="_lab_practice_skip")
    st.stop()


def _skip(st_state: dict) -> None:
    st_state.update(current=None, last=st_state["current"], round=st_state["round"] + 1)


def check(question: questions.PracticeQuestion, st_state: dict, db: Store, code: str) -> None:
    """The answer shown back as typed, the key points to tick, and the self-grade."""
    with st.container(border=True):
        st.markdown("**Your answer**")
        if st_state["answer"].strip():
            st.markdown(plain_lines(st_state["answer"]))
        else:
            st.caption("You typed nothing this time.")
    st.subheader("Key points of a full answer")
    st.caption(
        "Tick each point your answer made. A link opens the experiment that shows the point, "
        "with its settings, in a new tab."
    )
    ticked = 0
    for i, point in enumerate(question.points):
        ticked += st.checkbox(plain(point.text), key=f"_lab_kp_{st_state['round']}_{i}")
        if point.preset is not None:
            link = questions.preset_link(question.lesson, point.preset)
            st.caption(f"[See it in the experiment: {plain(point.preset)}]({link})")
    if question.detail:
        st.markdown(f"**Worked answer.** {question.detail}")
        st.markdown(
            f"[Learn it: {questions.TITLES.get(question.lesson, question.lesson)}]"
            f"({questions.preset_link(question.lesson, None)})"
        )
    if question.answer is not None:
        lesson.model_answer(question.answer)
    points = len(question.points)
    suggested = review.grade_for(ticked, points)
    st.markdown(
        f"You ticked **{ticked} of {points}** key points: that reads as "
        f"**{GRADE_LABELS[suggested]}**. Grade yourself:"
    )
    for column, grade in zip(st.columns(3), review.GRADES, strict=True):
        column.button(
            GRADE_LABELS[grade],
            type="primary" if grade == suggested else "secondary",
            icon=GRADE_ICONS[grade],
            on_click=_grade,
            args=(db, code, st_state, grade, ticked, points),
            key=f"_lab_grade_{grade}",
            width="stretch",
        )


def _grade(db: Store, code: str, st_state: dict, grade: str, ticked: int, points: int) -> None:
    key = st_state["current"]
    if key is None or st_state["stage"] != "check":  # a second click on an old grade
        return
    with db.write() as s:
        card = review.record(
            s, code, key, grade, ticked=ticked, points=points, seconds=st_state["seconds"]
        )
    st_state.update(
        current=None,
        last=key,
        stage="answer",
        round=st_state["round"] + 1,
        flash=f"Saved: {GRADE_LABELS[grade]} ({questions.title(key)}). It comes back "
        f"{_when(card.due_at - utcnow()) if card.box > 1 else 'later in this sitting'}.",
    )


def flash(st_state: dict) -> None:
    """The outcome of the last grade, once."""
    message = st_state.pop("flash", None)
    st_state["flash"] = None
    if message:
        st.success(message, icon=":material/task_alt:")
