"""Quiz questions of the bias-variance lesson: answers computed by the lesson's own functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.experiments.bias_variance.experiment import one_se_choice, standard_error
from core.facts import decimals
from core.question import Question

LESSON = "bias_variance"
# Shown numbers have 3 decimals: a mean this close to the one-SE threshold would be a coin toss.
CLEAR_OF_THRESHOLD = 0.002


def cv_standard_error_question(rng: np.random.Generator) -> Question:
    """The standard error of a k-fold CV mean from the k fold scores."""
    k = int(rng.choice([4, 5, 6]))
    center = float(rng.choice([0.2, 0.5, 1.0, 2.0]))
    scores = np.round(center * (1 + 0.3 * rng.standard_normal(k)).clip(0.3), 2)
    value = standard_error(scores)
    shown = ", ".join(decimals(s, 2) for s in scores)
    sd = float(scores.std(ddof=1))
    # the SD with digits enough that SD / √k, redone from it, is the printed SE
    d = next(
        (
            d
            for d in range(4, 12)
            if decimals(float(decimals(sd, d)) / np.sqrt(k), 4) == decimals(value, 4)
        ),
        12,
    )
    # "=" only before an exact value, "≈" before a rounded one (core.quiz.is_; imported here:
    # core.quiz imports this module to collect its generators). "SD = 0.19149 ..., SE = SD / √6
    # = 0.0782" printed both rounded values with "=" (seed 0, audit pass 57 h)
    from core.quiz import is_

    return Question(
        "CV standard error",
        f"{k}-fold cross-validation gives the fold MSEs **[{shown}]**. What is the standard "
        f"error of their mean (sample standard deviation, with k − 1 = {k - 1} in the "
        "denominator, over √k)?",
        value,
        f"SD {is_(sd, decimals(sd, d))} (k − 1 = {k - 1} in the denominator), SE = SD / √{k} "
        f"{is_(value, decimals(value, 4))}. "
        "It is a rough figure: the folds' training parts overlap, so the scores are correlated.",
        LESSON,
        rel_tol=0.02,
        abs_tol=5e-4,
    )


def one_se_rule_question(rng: np.random.Generator) -> Question:
    """Which degree the one-standard-error rule picks from a table of CV means and SEs."""
    while True:
        degrees = np.arange(1, 7)
        best = int(rng.integers(3, 7))
        mean = 0.1 + 0.04 * (best - degrees) ** 2 * rng.uniform(0.2, 1.0, degrees.size)
        mean = np.round(mean + rng.uniform(0, 0.01, degrees.size), 3)
        se = np.round(rng.uniform(0.01, 0.05, degrees.size), 3)
        table = pd.DataFrame({"level": degrees, "mean": mean, "se": se})
        if (mean == mean.min()).sum() > 1:
            continue  # a tie for the lowest mean: two "best" degrees
        rule = one_se_choice(table)
        if np.min(np.abs(mean - rule["threshold"])) >= CLEAR_OF_THRESHOLD:
            break
    rows = "; ".join(
        f"degree {d}: {decimals(m, 3)} ± {decimals(s, 3)}"
        for d, m, s in zip(degrees, mean, se, strict=True)
    )
    choices = tuple(f"degree {d}" for d in degrees)
    return Question(
        "one-SE rule",
        f"Cross-validated MSE (mean ± standard error) of polynomial fits: **{rows}**. Which "
        "degree does the one-standard-error rule choose?",
        f"degree {rule['choice']}",
        f"The lowest mean is {decimals(rule['best_mean'], 3)} at degree {rule['best']}, with SE "
        f"{decimals(rule['best_se'], 3)}: the threshold is {decimals(rule['threshold'], 3)}. The simplest degree "
        f"with a mean at or below it is degree {rule['choice']}.",
        LESSON,
        choices=choices,
    )


GENERATORS = {
    "cv_standard_error": cv_standard_error_question,
    "one_se_rule": one_se_rule_question,
}
