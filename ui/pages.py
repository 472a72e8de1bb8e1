"""The lab's table of contents: the router's NAVIGATION (the lesson registry) as ``Lesson`` entries,
for the page headers, the home grid, the README's lesson table, the tests and the benchmarks."""

from __future__ import annotations

import ast
import difflib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTER = ROOT / "streamlit_app.py"


@dataclass(frozen=True)
class Lesson:
    """One page of the lab: its place in the navigation, its header and its home-grid card.

    The page script is ``app_pages/<url_path>.py``; a lesson (any section but Practice) runs
    ``core.experiments.<url_path>``. Built from the router's NAVIGATION (see ``_registry``).
    """

    section: str
    title: str
    url_path: str
    icon: str
    question: str
    blurb: str

    @property
    def path(self) -> str:
        return f"app_pages/{self.url_path}.py"

    @property
    def is_lesson(self) -> bool:
        """Lessons run an experiment; the Practice section's pages (the quiz) do not."""
        return self.section != "Practice"

    @property
    def experiment(self) -> str:
        """Its module in ``core.experiments`` ("" for the pages that run none)."""
        return self.url_path if self.is_lesson else ""


def _registry() -> tuple[Lesson, ...]:
    """The router's NAVIGATION (streamlit_app.py), read as a literal: nothing in the router runs."""
    tree = ast.parse(ROUTER.read_text(encoding="utf-8"))
    value = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "NAVIGATION"
    )
    navigation = ast.literal_eval(value)
    return tuple(
        Lesson(
            section=section,
            title=entry["title"],
            url_path=Path(entry["page"]).stem,
            icon=entry["icon"],
            question=entry["question"],
            blurb=entry["blurb"],
        )
        for section, entries in navigation.items()
        for entry in entries
    )


LESSONS: tuple[Lesson, ...] = _registry()
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(lesson.section for lesson in LESSONS))


def missing_path(url: str, base: str = "") -> str | None:
    """The path of ``url`` when no page of the app lives there (the router then runs Home), else
    None. ``base`` is the server's ``baseUrlPath`` (a deployment under a prefix)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).strip("/")
    base = base.strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].strip("/")
    known = {lesson.url_path for lesson in LESSONS} | {"", "home"}
    return None if path in known else path


def closest(path: str) -> Lesson | None:
    """The page whose address or title is nearest to a mistyped ``path`` (difflib), if any."""
    words = path.lower().replace("-", "_").replace(" ", "_")
    names = {lesson.url_path: lesson for lesson in LESSONS}
    names |= {lesson.title.lower().replace(" ", "_"): lesson for lesson in LESSONS}
    match = difflib.get_close_matches(words, list(names), n=1, cutoff=0.6)
    return names[match[0]] if match else None


def by_path(path: str) -> Lesson:
    """The registry entry of the page script at ``path`` (``app_pages/<url_path>.py``)."""
    return next(lesson for lesson in LESSONS if lesson.path == path)


def by_section() -> dict[str, list[Lesson]]:
    """The pages of each section, in the navigation's order."""
    return {s: [l for l in LESSONS if l.section == s] for s in SECTIONS}


README_BEGIN, README_END = "<!-- lesson-table -->", "<!-- /lesson-table -->"


def readme_table() -> str:
    """The README's table of lessons (section, title, interview question)."""
    rows = ["| Section | Lesson | Interview question |", "|---|---|---|"]
    rows += [f"| {l.section} | {l.title} | {l.question} |" for l in LESSONS]
    return "\n".join(rows)


def rewrite_readme(text: str) -> str:
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_BEGIN}\n{readme_table()}\n{README_END}{tail}"


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(rewrite_readme(readme.read_text()))
    print("rewrote the lesson table in README.md")
