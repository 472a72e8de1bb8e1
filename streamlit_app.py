"""ML Interview Lab: the router. Every lesson page lives in app_pages/ and is listed in ui.pages."""

import streamlit as st

from ui import classroom
from ui.pages import LESSONS, SECTIONS

st.set_page_config(
    page_title="ML Interview Lab",
    page_icon=":material/science:",
    layout="wide",
    initial_sidebar_state=classroom.page_config_sidebar_state(),
)

home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
sections: dict[str, list] = {"": [home]}
for section in SECTIONS:
    pages = [
        st.Page(lesson.path, title=lesson.title, icon=lesson.icon, url_path=lesson.url_path)
        for lesson in LESSONS
        if lesson.section == section
    ]
    if pages:
        sections[section] = pages

page = st.navigation(sections)
classroom.start_run()
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
