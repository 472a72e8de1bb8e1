"""The lesson registry (the router's NAVIGATION, as ui.pages reads it), the files on disk, the README's table
and the lists other tests and benchmarks derive from the registry all agree. (That the
router serves every registered page is checked by tests/app/test_pages.py, which opens each.)"""

import ast
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


def test_every_navigation_entry_names_a_page_script_in_app_pages_and_every_field():
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    assignment = next(
        node
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "NAVIGATION"
    )
    navigation = ast.literal_eval(assignment.value)
    entries = [entry for section in navigation.values() for entry in section]
    assert [entry["page"] for entry in entries] == [lesson.path for lesson in LESSONS]
    assert all(set(entry) == {"page", "title", "icon", "question", "blurb"} for entry in entries)
    assert all(entry["icon"].startswith(":material/") for entry in entries)
    assert len({lesson.url_path for lesson in LESSONS}) == len(LESSONS)
    assert list(by_section()) == list(SECTIONS) and SECTIONS[-1] == "Practice"


def test_readme_lesson_table_is_generated_from_the_registry():
    text = (ROOT / "README.md").read_text()
    assert README_BEGIN in text
    assert text == rewrite_readme(text), "README is stale: run python -m ui.pages"


def test_a_missing_path_is_told_apart_from_every_page_of_the_app():
    from ui.pages import missing_path

    for lesson in LESSONS:
        assert missing_path(f"http://host:8501/{lesson.url_path}?lr=0.3") is None
    assert missing_path("http://host/") is None and missing_path("") is None
    assert missing_path("http://host/gradient_decent") == "gradient_decent"
    assert missing_path("http://host/a/b%20c") == "a/b c"
    assert missing_path("http://host/lab/dropout", base="/lab/") is None
    assert missing_path("http://host/lab/nope", base="lab") == "nope"


def test_a_mistyped_path_suggests_the_nearest_lesson_and_nonsense_suggests_none():
    from ui.pages import closest

    assert closest("gradient_decent").url_path == "gradient_descent"
    assert closest("Batch-Size").url_path == "batch_size"
    assert closest("zzzz/qqqq") is None


def test_the_batch_size_card_counts_the_batch_sizes_a_run_may_train():
    """Home's card said "Train one net with seven batch sizes" where ?bs=32 trains three (B = 1,
    32 and the full batch) and shows one (audit pass 57 e)."""
    from core.experiments.batch_size import Config
    from core.experiments.batch_size.settings import BATCH_KEYS

    (lesson,) = [l for l in LESSONS if l.url_path == "batch_size"]
    trained = Config(batch_sizes=("32",)).trained_keys
    assert len(trained) < len(BATCH_KEYS) == 7
    assert "up to seven batch sizes" in lesson.blurb
