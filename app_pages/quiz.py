"""Practice: randomized interview questions, answers computed by core, score, streak and a summary."""

import streamlit as st

from core.facts import num
from core.quiz import GENERATORS, REL_TOL, Attempt, Quiz, shown, shown_pair, summarize
from ui import classroom, controls, lesson
from ui.pages import LESSONS

LESSON_BY_URL = {item.url_path: item for item in LESSONS}
STATE = "quiz_state"

lesson.header(
    "Interview quiz",
    "Can you produce the numbers an interviewer asks for: a loss, a derivative, a step size?",
)
st.markdown(
    "Each question is drawn at random. Numeric answers are computed by the lab's own code, most "
    "by the same functions the lessons run, the rest from the formula the explanation shows. "
    "Where a question asks for a rounding, the exact value so rounded counts; otherwise a "
    f"number counts within {num(REL_TOL * 100, 6)}\u00a0% of the exact value (a few questions with "
    "small answers also accept a small absolute error); counts and ReLU's "
    "derivative must be exact. Share the link (it carries the seed): everyone who keeps the same topics gets the "
    "same questions in the same order."
)

with st.sidebar:
    st.subheader("Quiz")
    seed = controls.number(
        "Quiz seed",
        key="quiz_seed",
        min_value=0,
        max_value=2**31 - 1,
        value=0,
        help="The same seed and the same topics give the same questions in the same order.",
    )
    topics = st.multiselect(
        "Topics",
        list(GENERATORS),
        default=list(GENERATORS),
        format_func=lambda t: t.replace("_", " "),
        help="Leave out topics you have not studied yet (the order of questions changes).",
        key="quiz_topics",
    )

if not topics:
    st.info("Pick at least one topic in the sidebar to start.", icon=":material/checklist:")
    st.stop()

# the topics in the registry's order, not the order they were picked: the same seed and the
# same topics then give the same questions, however each learner ticked them
topics = [t for t in GENERATORS if t in topics]
if len(topics) < len(GENERATORS):  # a link opens every topic: the Share box says so
    classroom.not_in_link("the choice of topics")
quiz = Quiz(seed=int(seed), topics=tuple(topics))
fingerprint = (int(seed), tuple(topics))
state = st.session_state.get(STATE)
if state is None or state["fingerprint"] != fingerprint or "attempts" not in state:
    state = {
        "fingerprint": fingerprint,
        "index": 0,
        "streak": 0,
        "best": 0,
        "feedback": None,
        "attempts": [],
    }
    st.session_state[STATE] = state

question = quiz.question(state["index"])
score = summarize(state["attempts"])

c1, c2, c3 = st.columns(3)
c1.metric("Question", state["index"] + 1)
c2.metric("Score", f"{score.right} / {score.asked}")
c3.metric("Streak", state["streak"], help=f"Best streak this session: {state['best']}")

with st.container(border=True):
    st.caption(f"Topic: {question.topic}")
    st.markdown(question.prompt)
    answered = state["feedback"] is not None
    with st.form(key=f"quiz_form_{state['index']}", border=False):
        if question.numeric:
            response = st.number_input(
                f"Your answer{f' ({question.unit})' if question.unit else ''}",
                value=None,
                format="%.6g",  # plain-format: the input widget's own value, as typed
                disabled=answered,
            )
        else:
            response = st.radio("Your answer", question.choices, index=None, disabled=answered)
        submitted = st.form_submit_button("Check", type="primary", disabled=answered)

if submitted and not answered:
    if response is None:
        st.warning("Type an answer first.", icon=":material/edit:")
    else:
        correct = question.check(response)
        state["attempts"].append(Attempt(state["index"], question, response, correct))
        state["streak"] = state["streak"] + 1 if correct else 0
        state["best"] = max(state["best"], state["streak"])
        state["feedback"] = {"correct": correct, "response": response}
        st.rerun()


def _lesson_link(url_path: str) -> None:
    target = LESSON_BY_URL.get(url_path)
    if target is not None:
        st.page_link(target.path, label=f"Learn it: {target.title}", icon=target.icon)


feedback = state["feedback"]
if feedback is not None:
    answer = shown(question, question.answer)
    if feedback["correct"]:
        st.success(f"Right: {answer}.", icon=":material/check_circle:")
    else:
        said, right = shown_pair(question, feedback["response"])
        st.error(f"Not quite: you said {said}, the answer is {right}.", icon=":material/cancel:")
    st.markdown(question.explanation)
    _lesson_link(question.lesson)

    def next_question() -> None:
        state["index"] += 1
        state["feedback"] = None

    st.button(
        "Next question", on_click=next_question, type="primary", icon=":material/arrow_forward:"
    )
else:

    def skip() -> None:
        state["attempts"].append(Attempt(state["index"], question, None, False))
        state["index"] += 1
        state["streak"] = 0

    st.button("Skip", on_click=skip, help="Counts as a miss and resets the streak.")

# ---- summary: the score per topic and the questions missed ----------------------------------------
if score.asked:
    st.subheader("Your summary")
    st.markdown(
        f"**{score.right} of {score.asked}** right. By topic: "
        + ", ".join(f"{topic} {right}/{asked}" for topic, right, asked in score.by_topic)
        + "."
    )
    if not score.missed:
        st.caption("No question missed so far.")
    for attempt in score.missed:
        q = attempt.question
        said, right = shown_pair(q, attempt.response)
        with st.expander(
            f"Question {attempt.index + 1} ({q.topic}): "
            + ("skipped" if attempt.skipped else f"you said {said}"),
            icon=":material/replay:",
        ):
            st.markdown(q.prompt)
            st.markdown(f"The answer is **{right}**. {q.explanation}")
            _lesson_link(q.lesson)
