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
    # the float just above a third of 1e-5 (1e-5 / 3 itself, 3.3333333333333333e-06,
    # is a hair below a third: not within the factor)
    assert e.grade(3e-5, 1e-5) and e.grade(3.333333333333334e-06, 1e-5)
    assert not e.grade(3.1e-5, 1e-5) and not e.grade(1e-5 / 3.1, 1e-5)
    assert e.grade(0.0, 0.0) and not e.grade(0.0, 1e-9) and not e.grade(1.0, 0.0)


@pytest.mark.parametrize(
    ("typed", "actual", "tolerance", "factor"),
    [
        (0.8558493745083278, 0.9558493745083477, 0.1, False),  # audit 42g: attention's defaults
        (1.0558493745083677, 0.9558493745083477, 0.1, False),
        (0.9300000000000002, 0.9, 0.03, False),
        (3.0000000000001e-05, 1e-05, 3.0, True),
        (3.3333333333333e-06, 1e-05, 3.0, True),
    ],
)
def test_a_typed_number_past_the_stated_tolerance_does_not_count(typed, actual, tolerance, factor):
    """Audit 42g: grade allowed a relative slack of 1e-12 past the tolerance it states, so a
    typed 0.8558493745083278 was 'within ±0.1' of 0.9558493745083477 (0.10000000000002 away).
    The grade is exact on the decimals the page prints (the typed number, the run's value to
    17 digits, the tolerance as stated)."""
    from decimal import Decimal

    e = Estimate("p", key="k", tolerance=tolerance, low=0.0, high=1e12, factor=factor)
    t, a, tol = Decimal(repr(typed)), Decimal(repr(actual)), Decimal(repr(tolerance))
    outside = (t > a * tol or t * tol < a) if factor else abs(t - a) > tol
    assert outside
    assert not e.grade(typed, actual)


def test_the_stated_edge_counts_exactly():
    e = Estimate("p", key="k", tolerance=0.1, low=0.0, high=1.0)
    assert e.grade(0.8558493745083477, 0.9558493745083477)  # 0.1 to the last printed digit
    f = Estimate("p", key="k", tolerance=3.0, low=0.0, high=1.0, factor=True)
    assert f.grade(0.3, 0.1) and f.grade(0.1, 0.3)


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
