"""The router's table of contents and the lesson registry (ui.pages) list the same pages."""

import ast
from pathlib import Path

from ui.pages import LESSONS, SECTIONS

ROOT = Path(__file__).resolve().parents[2]


def _navigation() -> dict[str, list[str]]:
    """NAVIGATION as written in streamlit_app.py (read as a literal, not run)."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "NAVIGATION" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("streamlit_app.py defines no NAVIGATION")


def test_router_lists_every_registered_page_in_its_section():
    nav = _navigation()
    assert list(nav) == [s for s in SECTIONS if any(lesson.section == s for lesson in LESSONS)]
    for section, paths in nav.items():
        assert paths == [lesson.path for lesson in LESSONS if lesson.section == section], section


def test_every_page_script_is_routed():
    routed = {p for paths in _navigation().values() for p in paths} | {"app_pages/home.py"}
    on_disk = {f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py")}
    assert on_disk == routed
