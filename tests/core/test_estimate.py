"""Typed estimates with a prediction: the tolerance stated on screen is the one graded."""

import importlib
import math

import pytest

from core.facts import Estimate, Prediction
from ui.pages import LESSONS


def test_an_absolute_tolerance_counts_up_to_its_edge_and_not_beyond():
    e = Estimate("p", key="mean", tolerance=0.1, low=0.0, high=1.0)
    assert e.rule == "within ±0.1 of the run's value"
    assert e.grade(0.5, 0.6) and e.grade(0.7, 0.6) and e.grade(0.6, 0.6)
    assert not e.grade(0.49, 0.6) and not e.grade(0.71, 0.6)
    assert e.grade(0.5, math.nan) is None and e.grade(math.inf, 0.5) is False


def test_a_factor_tolerance_is_symmetric_on_a_log_scale():
    e = Estimate("p", key="ratio", tolerance=3.0, low=0.0, high=1e12, factor=True)
    assert e.rule == "within a factor of 3 of the run's value, either way"
    assert e.grade(3e-5, 1e-5) and e.grade(1e-5 / 3, 1e-5)
    assert not e.grade(3.1e-5, 1e-5) and not e.grade(1e-5 / 3.1, 1e-5)
    assert e.grade(0.0, 0.0) and not e.grade(0.0, 1e-9) and not e.grade(1.0, 0.0)


def test_a_tolerance_that_grades_nothing_is_refused():
    with pytest.raises(ValueError):
        Estimate("p", key="k", tolerance=1.0, low=0.0, high=1.0, factor=True)
    with pytest.raises(ValueError):
        Estimate("p", key="k", tolerance=0.0, low=0.0, high=1.0)
    with pytest.raises(ValueError):
        Estimate("p", key="k", tolerance=2.0, low=-1.0, high=1.0, factor=True)


ESTIMATED = [
    lesson.url_path
    for lesson in LESSONS
    if lesson.is_lesson
    and getattr(
        getattr(importlib.import_module(f"core.experiments.{lesson.url_path}"), "PREDICTION", None),
        "estimate",
        None,
    )
]


def test_the_lessons_that_ask_for_a_number():
    # the lessons whose answer fact carries the number (each claims test checks the value)
    assert set(ESTIMATED) >= {"vanishing_gradients", "attention", "network_depth"}


@pytest.mark.parametrize("lesson", ESTIMATED)
def test_every_answer_fact_carries_the_estimated_number(lesson):
    module = importlib.import_module(f"core.experiments.{lesson}")
    prediction: Prediction = module.PREDICTION
    config = module.Config()
    facts = module.facts(config, module.run(config))
    answers = [f for f in facts if f.slot == "answer"]
    assert len(answers) == 1
    value = answers[0].values[prediction.estimate.key]
    assert prediction.estimate.low <= value <= prediction.estimate.high
    assert prediction.estimate.grade(value, value)
