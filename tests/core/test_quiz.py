"""Quiz questions: answers computed by core agree with independent formulas; seeds reproduce."""

import math

import numpy as np
import pytest

from core.quiz import GENERATORS, Question, Quiz


def test_at_least_ten_generators():
    assert len(GENERATORS) >= 10


@pytest.mark.parametrize("name", list(GENERATORS))
def test_each_generator_gives_a_checkable_question(name):
    for seed in range(5):
        q = GENERATORS[name](np.random.default_rng(seed))
        assert q.prompt and q.explanation and q.lesson
        if q.numeric:
            assert math.isfinite(float(q.answer))
            assert q.check(q.answer) and q.check(str(q.answer))
            assert not q.check(float(q.answer) * 1.5 + 1.0)
        else:
            assert q.answer in q.choices and q.check(q.answer)
            assert not q.check(next(c for c in q.choices if c != q.answer))


def _values(q):
    """Numbers shown in bold in a prompt, in order."""
    import re

    return [
        float(v)
        for v in re.findall(r"-?\d+(?:\.\d+)?", " ".join(re.findall(r"\*\*(.*?)\*\*", q.prompt)))
    ]


def test_cross_entropy_answers_are_minus_log_p():
    for seed in range(10):
        q = GENERATORS["cross_entropy"](np.random.default_rng(seed))
        nums = _values(q)
        *probs, true = nums
        assert q.answer == pytest.approx(-math.log(probs[int(true)]), rel=1e-9)


def test_sigmoid_derivative_formula():
    for seed in range(10):
        q = GENERATORS["sigmoid_derivative"](np.random.default_rng(seed))
        (z,) = _values(q)
        s = 1 / (1 + math.exp(-z))
        assert q.answer == pytest.approx(s * (1 - s), rel=1e-12)


def test_backprop_gradient_matches_chain_rule():
    for seed in range(10):
        q = GENERATORS["backprop_gradient"](np.random.default_rng(seed))
        x, w1, w2, y = _values(q)[:4]
        s = 1 / (1 + math.exp(-w1 * x))
        assert q.answer == pytest.approx((w2 * s - y) * w2 * s * (1 - s) * x, rel=1e-10)


def test_adam_first_step_is_about_minus_lr_sign_g():
    for seed in range(10):
        q = GENERATORS["adam_first_step"](np.random.default_rng(seed))
        g, lr = _values(q)[:2]
        assert q.answer == pytest.approx(-lr * g / (abs(g) + 1e-8), rel=1e-9)


def test_parameter_count():
    for seed in range(10):
        q = GENERATORS["parameter_count"](np.random.default_rng(seed))
        sizes = [int(v) for v in _values(q)]
        assert q.answer == sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def test_same_seed_same_quiz_and_topics_cycle():
    a, b = Quiz(seed=7), Quiz(seed=7)
    assert [a.question(i).prompt for i in range(20)] == [b.question(i).prompt for i in range(20)]
    first_round = {a.question(i).topic for i in range(len(GENERATORS))}
    assert len(first_round) == len(GENERATORS)  # each topic once per round
    c = Quiz(seed=8)
    assert [a.question(i).prompt for i in range(5)] != [c.question(i).prompt for i in range(5)]


def test_quiz_validates():
    with pytest.raises(ValueError, match="seed"):
        Quiz(seed=-1)
    with pytest.raises(ValueError, match="topics"):
        Quiz(topics=("astrology",))


def test_check_rejects_garbage():
    q = Question("t", "p", 1.0, "e", "x")
    assert not q.check(None) and not q.check("abc") and not q.check(float("nan"))
    assert q.check(1.01) and not q.check(1.1)
