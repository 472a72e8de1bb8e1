"""The one-standard-error rule of model selection, shared by the lessons that choose a model.

Breiman et al. (1984) and Hastie, Tibshirani and Friedman (ESL, section 7.10): among models
ordered from simplest to most complex, take the simplest whose estimated score is within one
standard error of the best score, because scores that close cannot be told apart by the data.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class OneSE(NamedTuple):
    """Positions (in the order given, simplest first) of the best model and of the rule's pick."""

    best: int  # the best score, the simplest among ties
    choice: int  # the simplest model whose score reaches the bar
    bar: float  # the best score moved by its standard error towards worse


def one_standard_error(mean, se, *, higher_is_better: bool = False, tie: float = 0.0) -> OneSE:
    """The one-standard-error rule over models listed from simplest to most complex.

    ``mean`` are their estimated scores (errors, unless ``higher_is_better``), ``se`` the standard
    errors of those estimates. Scores within ``tie`` of each other count as equal (round-off),
    both for the best and for reaching the bar.
    """
    mean, se = np.asarray(mean, dtype=float), np.asarray(se, dtype=float)
    if mean.ndim != 1 or mean.shape != se.shape or mean.size == 0:
        raise ValueError("mean and se must be two 1-D sequences of the same, non-zero length")
    sign = -1.0 if higher_is_better else 1.0  # as errors: lower is better
    error = sign * mean
    best = int(np.flatnonzero(error <= error.min() + tie)[0])
    bar = error[best] + se[best]
    choice = int(np.flatnonzero(error <= bar + tie)[0])
    return OneSE(best, choice, float(sign * bar))
