"""Shared fixtures: clear Streamlit caches between AppTest runs (they leak within one process)."""

import pytest


@pytest.fixture(autouse=True)
def _clear_streamlit_caches(request):
    if "tests/app" not in str(request.path):
        yield
        return
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
