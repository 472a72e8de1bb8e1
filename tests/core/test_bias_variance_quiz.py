"""The bias-variance quiz: answers from the lesson's own functions, checkable, seeded."""

import math
import re

import numpy as np
import pytest

from core.experiments.bias_variance import quiz


def _bold_numbers(prompt):
    bold = " ".join(re.findall(r"\*\*(.*?)\*\*", prompt))
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", bold)]


@pytest.mark.parametrize("name", list(quiz.GENERATORS))
def test_each_generator_gives_a_checkable_question(name):
    for seed in range(20):
        q = quiz.GENERATORS[name](np.random.default_rng(seed))
        assert q.prompt and q.explanation and q.lesson == "bias_variance"
        if q.numeric:
            assert math.isfinite(float(q.answer)) and q.check(q.answer) and q.check(str(q.answer))
            assert not q.check(float(q.answer) * 1.5 + 1.0)
        else:
            assert q.answer in q.choices and q.check(q.answer)
            assert not q.check(next(c for c in q.choices if c != q.answer))


def test_the_standard_error_uses_n_minus_one_and_root_k():
    for seed in range(20):
        q = quiz.cv_standard_error_question(np.random.default_rng(seed))
        scores = np.array(_bold_numbers(q.prompt))
        k = len(scores)
        assert f"{k}-fold" in q.prompt
        expected = np.std(scores, ddof=1) / math.sqrt(k)
        assert q.answer == pytest.approx(expected, rel=1e-12)
        if expected > 0.01:  # dividing by n instead of n − 1 is marked wrong
            assert not q.check(np.std(scores) / math.sqrt(k))


def test_the_one_se_answer_is_the_simplest_degree_within_one_se_of_the_best():
    for seed in range(40):
        q = quiz.one_se_rule_question(np.random.default_rng(seed))
        nums = _bold_numbers(q.prompt)
        degrees, means, ses = nums[0::3], nums[1::3], nums[2::3]
        best = int(np.argmin(means))
        threshold = means[best] + ses[best]
        assert all(abs(m - threshold) >= 0.002 - 1e-9 for m in means)
        choice = next(d for d, m in zip(degrees, means, strict=True) if m <= threshold)
        assert q.answer == f"degree {int(choice)}"


def test_questions_are_reproducible_from_the_seed():
    for gen in quiz.GENERATORS.values():
        a, b = gen(np.random.default_rng(7)), gen(np.random.default_rng(7))
        assert a == b


def test_the_standard_error_question_names_k_minus_one_not_n_minus_one():
    """Audit pass 43 (g): the question asked for "sample standard deviation, n − 1, over √k" of
    k fold scores, and its answer said "(n − 1 in the denominator)": on this lesson n is the
    points per training set (30 at the defaults), while the SD of k fold scores divides by
    k − 1 (seed 0: 6 scores, k − 1 = 5). Now both name k − 1 with its value."""
    for seed in range(20):
        q = quiz.cv_standard_error_question(np.random.default_rng(seed))
        k = len(_bold_numbers(q.prompt))
        for text in (q.prompt, q.explanation):
            assert "n − 1" not in text
            assert f"k − 1 = {k - 1} in the denominator" in text


def test_the_standard_error_answer_puts_no_equals_sign_before_a_rounded_value():
    """Seed 0 printed "SD = 0.19149 ..., SE = SD / √6 = 0.0782", both rounded (audit pass 57 h):
    "=" only before an exact value, "≈" before a rounded one (core.quiz.is_)."""
    from decimal import Decimal

    from core.facts import cleaned

    for seed in range(20):
        q = quiz.cv_standard_error_question(np.random.default_rng(seed))
        scores = np.array(_bold_numbers(q.prompt))
        sd = float(np.std(scores, ddof=1))
        for exact, (sign, text) in zip(
            (sd, q.answer),
            re.findall(r"(?:SD|√\d) ([=≈]) (\d+(?:\.\d+)?)", q.explanation),
            strict=True,
        ):
            value = cleaned(Decimal(repr(float(exact))), 15)  # exact up to float64 round-off
            assert (sign == "=") == (Decimal(text) == value), q.explanation
    q = quiz.cv_standard_error_question(np.random.default_rng(0))
    assert "SD ≈ 0.19149" in q.explanation and "SE = SD / √6 ≈ 0.0782" in q.explanation
