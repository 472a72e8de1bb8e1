"""Practice mode's questions: every lesson's interview question with its model answer's key
points, and every quiz template (core.quiz) with fresh numbers at each review. No Streamlit calls.

A question's key is what the review queue stores: ``lesson:<url_path>`` or ``quiz:<template>``.
"""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np

from core.facts import KeyPoint, ModelAnswer
from core.quiz import GENERATORS, shown
from ui.controls import slug
from ui.pages import LESSONS

LESSON, QUIZ = "lesson", "quiz"
TITLES = {lesson.url_path: lesson.title for lesson in LESSONS}


@dataclass(frozen=True)
class PracticeQuestion:
    """One practice question: what is asked, the key points of a full answer, where to see them.

    ``answer`` is the lesson's model answer (None for a quiz template, whose worked answer is
    ``detail``).
    """

    key: str
    source: str
    prompt: str
    lesson: str
    points: tuple[KeyPoint, ...]
    answer: ModelAnswer | None = None
    detail: str = ""


def preset_link(lesson: str, preset: str | None) -> str:
    """The link to the experiment that shows a point: the lesson at that preset, revealed."""
    if preset is None:
        return f"/{lesson}?reveal=1"
    return f"/{lesson}?preset={slug(preset)}&reveal=1"


@cache
def _model_answers() -> dict[str, ModelAnswer]:
    """Each lesson's MODEL_ANSWER, for the lessons whose core package has one."""
    found = {}
    for lesson in LESSONS:
        if lesson.is_lesson:
            module = importlib.import_module(f"core.experiments.{lesson.experiment}")
            answer = getattr(module, "MODEL_ANSWER", None)
            if isinstance(answer, ModelAnswer):
                found[lesson.url_path] = answer
    return found


def pool(kinds: tuple[str, ...] = (LESSON, QUIZ)) -> list[str]:
    """Every question key of the chosen kinds: lessons in the registry's order, then templates."""
    keys = []
    if LESSON in kinds:
        keys += [f"{LESSON}:{name}" for name in _model_answers()]
    if QUIZ in kinds:
        keys += [f"{QUIZ}:{name}" for name in GENERATORS]
    return keys


def known(key: str) -> bool:
    kind, _, name = key.partition(":")
    return (kind == LESSON and name in _model_answers()) or (kind == QUIZ and name in GENERATORS)


def title(key: str) -> str:
    """A short name for the queue: the lesson's title, or the quiz template's topic."""
    kind, _, name = key.partition(":")
    if kind == LESSON:
        return TITLES.get(name, name)
    return f"Quiz: {name.replace('_', ' ')}"


def question(key: str, variant: int = 0) -> PracticeQuestion:
    """The question behind ``key``; a quiz template draws its numbers from ``variant``."""
    kind, _, name = key.partition(":")
    if kind == LESSON and name in _model_answers():
        lesson = next(l for l in LESSONS if l.url_path == name)
        answer = _model_answers()[name]
        return PracticeQuestion(key, lesson.title, lesson.question, name, answer.points, answer)
    if kind == QUIZ and name in GENERATORS:
        rng = np.random.default_rng([variant, zlib.crc32(name.encode())])
        drawn = GENERATORS[name](rng)
        # as the quiz page shows it (6 significant digits): a parameter count of 109,386 is
        # exact, not "1.094e+05"
        points = (
            KeyPoint(f"The answer: {shown(drawn, drawn.answer)}", None),
            KeyPoint("The method, as in the worked answer below", None),
        )
        return PracticeQuestion(
            key,
            f"Quiz: {drawn.topic}",
            drawn.prompt,
            drawn.lesson,
            points,
            detail=drawn.explanation,
        )
    raise KeyError(f"no practice question {key!r}")
