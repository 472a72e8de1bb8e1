"""Practice: interview questions from every lesson and quiz template, answered in your own words,
checked against the model answer's key points, and brought back by a Leitner review queue."""

import streamlit as st

from study import review
from ui import lesson, practice, questions
from ui.study import learner_code, store

lesson.header()
db = store()
code = learner_code()
kinds, minutes = practice.settings()
practice.progress_tools(db, code)
state = practice.state()
practice.flash(state)

with db.read() as s:
    cards = [c for c in review.cards(s, code) if questions.known(c.question)]
    done = review.practised(s, code)
practice.overview(cards, done)

if not kinds:
    st.info("Pick lesson questions, quiz templates or both in the sidebar.", icon=":material/tune:")
    st.stop()
key = practice.pick(state, kinds, cards)
if key is None:
    st.info("Nothing to practise with these choices.", icon=":material/done_all:")
    st.stop()

question = questions.question(key, state["variant"])
practice.ask(question, state, minutes)
practice.check(question, state, db, code)
