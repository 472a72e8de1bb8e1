"""Quiz questions for the imbalance lesson, answered by the lesson's own metric code.

``GENERATORS`` maps a topic key to a generator ``(rng) -> core.question.Question``;
``core.quiz.GENERATORS`` includes them.
"""

from __future__ import annotations

import numpy as np

from core.experiments.imbalance.experiment import operating_point
from core.facts import decimals, num
from core.question import REL_TOL, Question


def _confusion(tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and scores with exactly these counts at threshold 0.5."""
    y = np.r_[np.ones(tp + fn, int), np.zeros(fp + tn, int)]
    p = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(tn)]
    return y, p


def _is(value: float) -> str:
    """``= x`` or ``≈ x`` for a share printed to 3 decimals (core.quiz.is_)."""
    from core.quiz import is_  # core.quiz imports this module's generators

    return is_(value, decimals(value, 3))


def f1_from_confusion_question(rng: np.random.Generator) -> Question:
    """Precision, recall or F1 from a confusion matrix of a rare-positive problem."""
    positives = int(rng.choice([20, 40, 50, 80, 100]))
    tp = int(rng.integers(positives // 4, positives - positives // 5))
    fn = positives - tp
    fp = int(rng.choice([5, 10, 20, 30, 60, 90]))
    tn = int(rng.choice([900, 1900, 4900, 9900])) - fp
    y, p = _confusion(tp, fp, fn, tn)
    point = operating_point(y, p, 0.5)
    metric = str(rng.choice(["precision", "recall", "F1"]))
    value = float(point["f1" if metric == "F1" else metric])
    return Question(
        "precision, recall, F1",
        f"A fraud model flags **{tp + fp}** transactions: **{tp}** are fraud (TP) and "
        f"**{fp}** are not (FP). It misses **{fn}** fraud cases (FN), and **{tn:,}** honest "
        f"transactions are correctly left alone (TN). What is its **{metric}**? "
        "(between 0 and 1, to two decimals)",
        value,
        # "= 60/90 ≈ 0.667": a rounded quotient follows "≈", an exact one "=" (audit pass 57 a)
        f"Precision = TP/(TP + FP) = {tp}/{tp + fp} {_is(point['precision'])}; recall = "
        f"TP/(TP + FN) = {tp}/{positives} {_is(point['recall'])}; F1 = 2TP/(2TP + FP + FN) "
        f"= {2 * tp}/{2 * tp + fp + fn} {_is(point['f1'])}. None of them uses the {tn:,} "
        f"true negatives, which carry the accuracy ({decimals(point['accuracy'], 1, 100)}%).",
        "imbalance",
        rel_tol=0.0,
        abs_tol=0.0051,  # any answer rounded to two decimals
    )


def majority_baseline_question(rng: np.random.Generator) -> Question:
    """The accuracy of always predicting the majority class, or the chance level of AP."""
    prevalence = float(rng.choice([0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2]))
    if rng.random() < 0.5:
        value = 100 * max(prevalence, 1 - prevalence)
        return Question(
            "majority baseline",
            f"In a data set, **{decimals(prevalence, 1, 100)}%** of the rows are positive. What accuracy, in "
            "percent to one decimal, does a model reach that always predicts 'negative'?",
            value,
            f"It is right on every negative: 100 % − {num(100 * prevalence, 6)} % = {num(value, 6)} %. "
            "Any accuracy must beat this baseline before it means anything.",
            "imbalance",
            rel_tol=0.0,
            abs_tol=0.051,  # any answer rounded to one decimal
            unit="%",
        )
    return Question(
        "chance average precision",
        f"A large test set has **{decimals(prevalence, 1, 100)}%** positives. About what average precision, "
        "in percent, does a random ranking score?",
        100 * prevalence,
        f"A random ranking has precision about {decimals(prevalence, 1, 100)}% (the share of positives) at "
        "every recall, so its AP is about the prevalence; its ROC AUC is 0.5 on "
        "average at any prevalence.",
        "imbalance",
        rel_tol=REL_TOL,
        abs_tol=0.051,
        unit="%",
    )


GENERATORS = {
    "f1_from_confusion": f1_from_confusion_question,
    "majority_baseline": majority_baseline_question,
}
