"""ML Interview Lab: the router. Every page script lives in app_pages/ and is listed below."""

import streamlit as st

from ui import classroom
from ui.pages import LESSONS

LESSON_BY_PATH = {lesson.path: lesson for lesson in LESSONS}

st.set_page_config(
    page_title="ML Interview Lab",
    page_icon=":material/science:",
    layout="wide",
    initial_sidebar_state=classroom.page_config_sidebar_state(),
)

# The table of contents, by section. Each lesson's title, icon, URL and question live in
# ui.pages (the home grid and the tests read them there); tests/app/test_navigation.py keeps
# this list and that registry in step.
NAVIGATION = {
    "Optimization": [
        "app_pages/gradient_descent.py",
        "app_pages/backpropagation.py",
        "app_pages/optimizers.py",
        "app_pages/loss_functions.py",
        "app_pages/autodiff.py",
    ],
    "Training": ["app_pages/batch_size.py", "app_pages/network_depth.py"],
    "Regularization": ["app_pages/regularization.py", "app_pages/dropout.py"],
    "Architecture": ["app_pages/activations.py", "app_pages/vanishing_gradients.py"],
    "Ensembles": ["app_pages/trees.py"],
    "Practice": ["app_pages/quiz.py"],
}

home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
sections: dict[str, list] = {"": [home]}
for section, paths in NAVIGATION.items():
    sections[section] = [
        st.Page(lesson.path, title=lesson.title, icon=lesson.icon, url_path=lesson.url_path)
        for lesson in (LESSON_BY_PATH[path] for path in paths)
    ]

page = st.navigation(sections)
classroom.start_run(page.url_path)
if classroom.presenting():
    classroom.presenter_styles()
page.run()
classroom.export_footer()
classroom.sidebar_tools()

with st.sidebar:
    st.caption(
        "ML Interview Lab · every experiment is seeded: the same link gives the same charts. "
        "The science runs in the `core` package, usable on its own in a notebook."
    )
