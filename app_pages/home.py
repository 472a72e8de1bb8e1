"""Home: what the lab is, the lessons it has, and how to share a configured experiment."""

import streamlit as st

from ui.pages import LESSONS, SECTIONS, closest, missing_path
from ui.text import plain

st.title("ML Interview Lab")
missing = missing_path(st.context.url or "", st.get_option("server.baseUrlPath"))
if missing:  # a mistyped or old address: Streamlit runs Home; say so in the lab's words
    nearest = closest(missing)
    st.warning(
        f"There is no page at **/{plain(missing, 80)}**, so this is the home page. "
        + (f"Did you mean **{nearest.title}**?" if nearest else "Every lesson is listed below."),
        icon=":material/explore_off:",
    )
    if nearest:
        st.page_link(nearest.path, label=f"Open {nearest.title}", icon=nearest.icon)
st.markdown(
    "Classic machine-learning interview questions, each turned into a live experiment. "
    "Move a slider and the model retrains: NumPy networks and optimizers written from scratch, "
    "so every gradient and optimizer step is one you can read and check against PyTorch, and "
    "scikit-learn and LightGBM models where a lesson compares classic ones (ensembles of trees, "
    "linear and logistic regression)."
)
st.markdown(
    "**How to use a lesson:** read the question, commit to a prediction, "
    "then run the experiment and read what the numbers say. "
    "The model answer at the bottom is the one to give in an interview."
)

st.page_link(
    "app_pages/quiz.py",
    label="Warm up with the interview quiz: numbers an interviewer asks for, answers computed live",
    icon=":material/quiz:",
)

for section in SECTIONS:
    lessons = [lesson for lesson in LESSONS if lesson.section == section]
    if not lessons:
        continue
    st.subheader(section)
    columns = st.columns(3)
    for i, lesson in enumerate(lessons):
        with columns[i % 3], st.container(border=True):
            st.page_link(lesson.path, label=lesson.title, icon=lesson.icon)
            st.markdown(f"*{lesson.question}*")
            st.caption(lesson.blurb)

st.subheader("For instructors: share an exact setup")
st.markdown(
    "Every slider, choice and seed of a lesson, and the quiz's seed, is stored in the page's "
    "address (the interview practice page keeps only your private code in its link). Set the "
    "sliders the way you want, then copy the link from **Share this setup** in the sidebar (or "
    "the browser's address bar): a student who opens it sees the same data, the same seed and "
    "the same charts "
    "(measured wall times aside). A link does not carry an uploaded file, the quiz's choice of "
    "topics (a link opens every topic), nor the steps taken with a page's own buttons (the "
    "backpropagation lesson's updates): those start afresh. "
    "For example, "
    "`/gradient_descent?lr=0.3&batch=4` opens the gradient descent lesson with a large "
    "learning rate and mini-batches of 4.\n\n"
    "- **Presets** set a whole scenario in one click; `?preset=<name>` does it from a link (the "
    "preset's name, or the name in lower case with hyphens: `?preset=balanced-classes`).\n"
    "- **Presenter mode** (sidebar toggle, or `?present=1` in a link) collapses the sidebar, "
    "folds long text away and enlarges chart fonts for a projector.\n"
    "- **Export** at the bottom of a lesson gives the Python that reproduces the run with the "
    "`core` package, and the result tables as CSV."
)
