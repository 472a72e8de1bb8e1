"""The lesson registry (ui.pages) is the one list of pages: the router, the files on disk, the
README's table and the lists other tests and benchmarks derive from it all agree. (That the
router serves every registered page is checked by tests/app/test_pages.py, which opens each.)"""

import importlib
from pathlib import Path

from ui.pages import LESSONS, README_BEGIN, SECTIONS, by_section, rewrite_readme

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_script_is_a_registered_lesson_and_every_lesson_has_its_files():
    on_disk = {p.name for p in (ROOT / "app_pages").glob("*.py")} - {"home.py"}
    assert on_disk == {Path(lesson.path).name for lesson in LESSONS}
    for lesson in LESSONS:
        if lesson.is_lesson:
            module = importlib.import_module(f"core.experiments.{lesson.experiment}")
            assert hasattr(module, "Config") and hasattr(module, "run"), lesson.experiment


def test_sections_follow_the_registry_order():
    assert list(by_section()) == [s for s in SECTIONS if any(l.section == s for l in LESSONS)]
    assert all(lesson.section in SECTIONS for lesson in LESSONS)


def test_readme_lesson_table_is_generated_from_the_registry():
    text = (ROOT / "README.md").read_text()
    assert README_BEGIN in text
    assert text == rewrite_readme(text), "README is stale: run python -m ui.pages"
