"""One quiz question and how a response is graded; lesson quiz modules build on it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext

# A numeric answer counts when it is within REL_TOL of the exact value (relative to the exact
# value); whole-number answers (parameter counts, ReLU's derivative) must be exact.
REL_TOL = 0.02


@dataclass(frozen=True)
class Question:
    """One quiz question.

    Attributes
    ----------
    topic : str
        Short name of the generator.
    prompt : str
        Markdown text of the question (numbers included).
    answer : float or str
        The correct numeric value, or the correct choice for multiple choice.
    explanation : str
        How the answer is computed (markdown, may hold a formula).
    lesson : str
        ``url_path`` of the lesson that teaches it.
    choices : tuple of str
        Options for multiple choice; empty for a numeric answer.
    rel_tol, abs_tol : float
        A numeric response r counts when |r - answer| <= max(rel_tol |answer|, abs_tol), exactly
        on the decimals (shortest reprs) of r, the answer and the tolerances:
        within 2 % of the exact value by default; a whole-number answer (a count, ReLU's
        derivative) is exact, as the quiz page says: rel_tol 0 and abs_tol 1e-9, so a typed
        1,354.4 is not the count 1,354.
    unit : str
        Shown next to the input box.
    """

    topic: str
    prompt: str
    answer: float | str
    explanation: str
    lesson: str
    choices: tuple[str, ...] = ()
    rel_tol: float = REL_TOL
    abs_tol: float = 0.0
    unit: str = ""

    @property
    def numeric(self) -> bool:
        return not self.choices

    def check(self, response) -> bool:
        """Whether ``response`` is right (within tolerance for a number)."""
        if response is None:
            return False
        if not self.numeric:
            return response == self.answer
        try:
            value = float(response)
        except (TypeError, ValueError):
            return False
        if not math.isfinite(value):
            return False
        # On the decimals as the page prints them, exactly: in floats a typed 0.51 was 0.0100...09
        # from the answer 0.5, over its 2 % (0.01), and "Not quite" (audit 42g)
        typed, answer, rel, tol = (
            Decimal(repr(float(v))) for v in (value, self.answer, self.rel_tol, self.abs_tol)
        )
        with localcontext() as exact:
            exact.prec = 200
            return abs(typed - answer) <= max(rel * abs(answer), tol)
