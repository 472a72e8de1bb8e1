"""ML Interview Lab: the router. Every page script lives in app_pages/ and is listed below."""

import streamlit as st

import ui.process  # noqa: F401  (one BLAS/OpenMP thread per run in the served app)
from ui import classroom, export, lesson
from ui.pages import by_path

st.set_page_config(
    page_title="ML Interview Lab",
    page_icon=":material/science:",
    layout="wide",
    initial_sidebar_state=classroom.page_config_sidebar_state(),
)

# The navigation: every page script, by section, in the sidebar's order. Each page's title, icon
# and address come from its entry in the lesson registry (ui.pages);
# tests/app/test_navigation.py checks that this list and the registry hold the same pages.
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
    "Architecture": [
        "app_pages/activations.py",
        "app_pages/vanishing_gradients.py",
        "app_pages/attention.py",
    ],
    "Ensembles": ["app_pages/trees.py"],
    "Evaluation": ["app_pages/bias_variance.py", "app_pages/imbalance.py"],
    "Practice": ["app_pages/quiz.py", "app_pages/practice.py", "app_pages/class.py"],
}


def _page(path: str):
    lesson = by_path(path)
    return st.Page(path, title=lesson.title, icon=lesson.icon, url_path=lesson.url_path)


home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
sections = {"": [home]} | {s: [_page(p) for p in paths] for s, paths in NAVIGATION.items()}

page = st.navigation(sections)
classroom.start_run(page.url_path)
if classroom.presenting():
    classroom.presenter_styles()
page.run()
export.export_footer()
lesson.neighbours()
classroom.sidebar_tools()
classroom.link_notice()

with st.sidebar:
    st.caption(
        "ML Interview Lab · every experiment is seeded: the same link gives the same charts. "
        "The science runs in the `core` package, usable on its own in a notebook."
    )
