"""ML Interview Lab: the router. Every page script lives in app_pages/ and is listed below."""

import streamlit as st

import ui.process  # noqa: F401  (one BLAS/OpenMP thread per run in the served app)
from ui import classroom, export, lesson, study
from ui.pages import by_section

# The progress database's schema is upgraded once per server process, before any page runs
# (a database that can't be opened is reported by the pages that need it; lessons run anyway).
study.start()

st.set_page_config(
    page_title="ML Interview Lab",
    page_icon=":material/science:",
    layout="wide",
    initial_sidebar_state=classroom.page_config_sidebar_state(),
)

# The table of contents comes from the lesson registry (ui.pages), by section.
home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
sections: dict[str, list] = {"": [home]}
for section, lessons in by_section().items():
    sections[section] = [
        st.Page(lesson.path, title=lesson.title, icon=lesson.icon, url_path=lesson.url_path)
        for lesson in lessons
    ]

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
