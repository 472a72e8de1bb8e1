"""Class polls: an instructor starts a class session (a join code and a QR code for the
projector), students join from their phones, and each lesson's prediction becomes a poll."""

import streamlit as st

from ui import lesson
from ui import polls as class_polls
from ui.pages import LESSONS
from ui.study import store

TITLES = {item.url_path: item.title for item in LESSONS}

lesson.header()
store()  # stops with a message when the database can't be used
current = class_polls.member()

if current is None:
    join, teach = st.columns(2, gap="large")
    with join:
        st.subheader("Join a class")
        with st.form("_lab_join", border=False):
            typed = st.text_input("Join code (6 letters and digits, e.g. 7K3QZP)", max_chars=12)
            joined = st.form_submit_button("Join", type="primary", icon=":material/login:")
        if joined and class_polls.join(typed or "") is not None:
            st.rerun()
    with teach:
        st.subheader("Teach a class")
        st.markdown(
            "Start a class session, put the join code and QR code on the projector, then open "
            "any lesson: its prediction gets a **Poll the class** button. Answers are "
            "anonymous, students see them only when you reveal, and the session ends when you "
            f"end it, or {class_polls.class_length()} after it starts."
        )
        if st.button("Start a class session", icon=":material/co_present:"):
            class_polls.start_class()
            st.rerun()
    st.stop()

if current["role"] == "student":
    st.markdown(f"You are in class **{current['code']}**. Questions appear here; keep this open.")
    class_polls.student_live(current, TITLES)
    st.button("Leave the class", on_click=class_polls.leave, icon=":material/logout:")
    st.stop()

link = class_polls.join_link(current["code"])
code_column, qr_column = st.columns([3, 2], gap="large")
with code_column:
    st.markdown("Students: scan the code, or open the address and type the join code.")
    st.markdown(
        f"<div style='font-size:4.5rem;font-weight:700;letter-spacing:0.4rem;"
        f"font-family:monospace'>{current['code']}</div>",
        unsafe_allow_html=True,
    )
    st.code(link, language=None, wrap_lines=True)
    st.caption(f"This class session ends at {current['expires_at']:%H:%M} UTC.")
with qr_column:
    st.image(class_polls.qr_svg(link), caption="Join link", width=320)

st.subheader("Poll a lesson")
st.markdown("Open a lesson; its prediction gets a **Poll the class** button.")
columns = st.columns(3)
lessons = [item for item in LESSONS if item.is_lesson]
for i, item in enumerate(lessons):
    columns[i % 3].page_link(item.path, label=item.title, icon=item.icon)
poll = class_polls.class_poll_status(current)
if poll is not None:
    state = "revealed" if poll.revealed else "open"
    st.info(f"The poll on **{TITLES.get(poll.lesson, poll.lesson)}** is {state}.")

with st.expander("Your instructor link (keep it private)", icon=":material/key:"):
    st.caption(
        "Opens this class as its instructor on another device or after a reload. Anyone with "
        "it can open and reveal polls."
    )
    st.code(class_polls.instructor_link(current), language=None, wrap_lines=True)
st.button("End the class session", on_click=class_polls.end_class, args=(current,))
