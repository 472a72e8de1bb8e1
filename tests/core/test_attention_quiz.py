"""The attention lesson's quiz questions: answers from core.attention, checked independently."""

import math
import re

import numpy as np
import pytest

from core.experiments.attention.quiz import GENERATORS
from core.quiz import Question


def _bold_numbers(q: Question) -> list[float]:
    bold = " ".join(re.findall(r"\*\*(.*?)\*\*", q.prompt)).replace("−", "-")
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", bold)]


@pytest.mark.parametrize("name", list(GENERATORS))
def test_each_generator_gives_a_checkable_question(name):
    for seed in range(20):
        q = GENERATORS[name](np.random.default_rng(seed))
        assert q.prompt and q.explanation and q.lesson == "attention" and q.numeric
        assert math.isfinite(float(q.answer)) and q.check(q.answer) and q.check(str(q.answer))
        assert q.check(round(float(q.answer), 2)), "an answer rounded to 2 decimals is accepted"
        assert not q.check(float(q.answer) * 1.5 + 0.1)


def test_attention_weight_is_the_softmax_of_the_scaled_scores():
    for seed in range(30):
        q = GENERATORS["attention_weight"](np.random.default_rng(seed))
        # bold: q = [a, b]; k1 = [c, d]; k2 = [e, f]; k3 = [g, h]; key j
        numbers = _bold_numbers(q)
        query, j = np.array(numbers[:2]), int(numbers[11])
        pairs = np.array([v for i, v in enumerate(numbers[2:11]) if i % 3 != 0]).reshape(3, 2)
        scores = pairs @ query / math.sqrt(2)
        weights = np.exp(scores - scores.max())
        weights /= weights.sum()
        assert q.answer == pytest.approx(weights[j - 1], rel=1e-12)
        assert len(set(scores.round(12))) == 3


def test_score_sd_is_sigma_squared_root_d_k():
    for seed in range(30):
        q = GENERATORS["score_sd"](np.random.default_rng(seed))
        d_k, sigma = _bold_numbers(q)[:2]
        scaled = "√d_k**" in q.prompt
        expected = sigma**2 if scaled else sigma**2 * math.sqrt(d_k)
        assert q.answer == pytest.approx(expected, rel=1e-12)


def test_attention_weight_prints_the_minus_sign_and_approximately_equal_before_a_rounding():
    """Audit pass 57 (a): seed 0 printed "q = [2, 1] … k1 = [0, -1]" with the ASCII hyphen and
    "-1/√2 = -0.707 … key 1 gets 0.8703", where −1/√2 is −0.70710… and the weight 0.87027…:
    a rounded value follows "≈", an exact one "=", and a negative number has the minus sign."""
    from decimal import Decimal

    q = GENERATORS["attention_weight"](np.random.default_rng(0))
    assert "−1/√2 ≈ −0.707" in q.explanation, q.explanation
    assert "key 1 gets ≈ 0.8703" in q.explanation, q.explanation
    for seed in range(60):
        q = GENERATORS["attention_weight"](np.random.default_rng(seed))
        assert not re.search(r"(?<![\w)])-\d", q.prompt + q.explanation), (q.prompt, q.explanation)
        for dot, sign, text in re.findall(r"(−?\d+)/√2 (=|≈) (−?\d+(?:\.\d+)?)", q.explanation):
            exact = float(dot.replace("−", "-")) / math.sqrt(2)
            shown = Decimal(text.replace("−", "-"))
            assert sign == ("=" if shown == Decimal(repr(exact)) else "≈"), q.explanation
        sign, text = re.search(r"gets (=|≈) (\d+(?:\.\d+)?)", q.explanation).groups()
        assert sign == ("=" if Decimal(text) == Decimal(repr(float(q.answer))) else "≈")
