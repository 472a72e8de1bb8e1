"""Quiz questions of the attention lesson, answered by core.attention.

Generators take a NumPy Generator and return a :class:`core.question.Question`; ``core.quiz.GENERATORS``
includes them (as ``attention_weight`` and ``score_sd``).
"""

from __future__ import annotations

import math

import numpy as np

from core import attention as att
from core.facts import decimals, inside_unit, minus, num
from core.question import REL_TOL, Question

LESSON = "attention"


def _is(value: float, text: str) -> str:
    """``= text`` where ``text`` is ``value`` exactly, else ``≈ text`` (core.quiz.is_)."""
    from core.quiz import is_  # core.quiz imports this module's generators

    return is_(value, text)


def attention_weight_question(rng: np.random.Generator) -> Question:
    """The weight softmax(q·k/√d_k) gives one key, for a 2-entry query and three keys.

    Small whole entries keep the arithmetic doable by hand. The answer is the exact weight;
    the tolerance, 0.005 absolute, accepts it rounded to two decimals.
    """
    q = rng.choice([-1.0, 1.0, 2.0], size=2)
    keys = rng.choice([-2.0, -1.0, 0.0, 1.0, 2.0], size=(3, 2))
    while len({float(k @ q) for k in keys}) < 3:  # three different scores: one clear answer
        keys = rng.choice([-2.0, -1.0, 0.0, 1.0, 2.0], size=(3, 2))
    _, cache = att.attention_forward(q[None, :], keys, np.eye(3))
    weights = cache.weights[0]
    j = int(rng.integers(3))
    dots = keys @ q
    # negative entries with the minus sign, not the hyphen (audit pass 57 a: "q = [-1, 2]")
    shown_q = minus(", ".join(num(float(v), 6) for v in q))
    shown_k = minus(
        "; ".join(
            f"k{i + 1} = [{num(float(k[0]), 6)}, {num(float(k[1]), 6)}]" for i, k in enumerate(keys)
        )
    )

    def weight_from_printed(digits: int) -> str:
        """Key j's softmax weight redone from the scores as printed."""
        shown = np.array([float(decimals(d / math.sqrt(2), digits)) for d in dots])
        e = np.exp(shown - shown.max())
        return inside_unit(e[j] / e.sum(), 4)

    # the weight to 4 decimals, a positive one never printed "0.0000" (9.8e-06 at scores 8/√2
    # and −8/√2), and the scores with digits enough that the softmax of them is that weight
    weight = inside_unit(float(weights[j]), 4)
    digits = next((n for n in range(3, 10) if weight_from_printed(n) == weight), 10)
    # a rounded score follows "≈" ("3/√2 ≈ 2.121"), an exact one "=" ("0/√2 = 0"; audit pass 57 a)
    scores = minus(
        ", ".join(
            f"{num(float(d), 6)}/√2 {_is(d / math.sqrt(2), decimals(d / math.sqrt(2), digits))}"
            for d in dots
        )
    )
    return Question(
        "attention weight",
        f"A query **q = [{shown_q}]** attends to three keys **{shown_k}** with scaled "
        f"dot-product attention, softmax(q·k / √d_k), d_k = 2. What weight does **key {j + 1}** "
        "get? (to two decimals)",
        float(weights[j]),
        f"The scores are q·k / √2: {scores}. The softmax divides e^(score) by the sum of the "
        f"three: key {j + 1} gets {_is(float(weights[j]), weight)}. The weights sum to 1.",
        LESSON,
        rel_tol=0.0,
        abs_tol=0.005,
    )


def score_sd_question(rng: np.random.Generator) -> Question:
    """The standard deviation of q·k (or of q·k/√d_k) for independent entries."""
    d_k = int(rng.choice([16, 64, 100, 256, 400]))
    sigma = float(rng.choice([0.5, 1.0, 2.0]))
    scaled = bool(rng.integers(2))
    value = att.dot_product_std(d_k, sigma, scaled=scaled)
    what = "q·k / √d_k" if scaled else "q·k"
    return Question(
        "score spread",
        f"Queries and keys have **d_k = {d_k}** independent entries, each with mean 0 and "
        f"standard deviation **σ = {num(sigma, 6)}**. What is the standard deviation of **{what}**?",
        value,
        f"Var(q·k) = d_k σ⁴ = {d_k} × {num(sigma**4, 6)} = {num(d_k * sigma**4, 6)}, so its "
        f"standard deviation is σ²√d_k = {num(math.sqrt(d_k) * sigma**2, 6)}"
        + (f"; divided by √d_k it is σ² = {num(value, 6)}." if scaled else ".")
        + " Dividing by √d_k keeps the scores' spread from growing with d_k.",
        LESSON,
        rel_tol=REL_TOL,  # the tolerance the quiz page states for an answer with no rounding
        abs_tol=1e-9,
    )


GENERATORS = {
    "attention_weight": attention_weight_question,
    "score_sd": score_sd_question,
}
