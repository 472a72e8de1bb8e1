"""Every lesson with a model answer has key points; they name presets that exist in their lesson,
and each preset's link (?preset=<slug>) opens exactly that preset."""

import importlib

import pytest

from ui.controls import slug
from ui.pages import LESSONS

ANSWERED = [
    lesson.url_path
    for lesson in LESSONS
    if lesson.is_lesson
    and hasattr(importlib.import_module(f"core.experiments.{lesson.url_path}"), "MODEL_ANSWER")
]


@pytest.mark.parametrize("lesson", ANSWERED)
def test_every_answered_lesson_has_key_points(lesson):
    points = importlib.import_module(f"core.experiments.{lesson}").MODEL_ANSWER.points
    assert len(points) >= 4
    assert all(p.text.strip() and len(p.text) <= 200 for p in points)
    assert any(p.preset for p in points)


@pytest.mark.parametrize("lesson", ANSWERED)
def test_every_named_preset_exists_and_its_link_opens_it(lesson):
    module = importlib.import_module(f"core.experiments.{lesson}")
    slugs = [slug(name) for name in module.PRESETS]
    assert len(set(slugs)) == len(slugs), "two presets share a link"
    for point in module.MODEL_ANSWER.points:
        if point.preset is None:
            continue
        assert point.preset in module.PRESETS, (lesson, point.preset)
        matches = [n for n in module.PRESETS if slug(n) == slug(point.preset)]
        assert matches == [point.preset]
