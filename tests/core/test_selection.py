"""The one-standard-error rule (core.selection), on scores as errors and as accuracies."""

import numpy as np
import pytest

from core.selection import one_standard_error


def test_the_simplest_model_within_one_se_of_the_lowest_error_is_chosen():
    # errors of models from simple to complex: the lowest is the fourth; the second is within its SE
    rule = one_standard_error([0.30, 0.215, 0.25, 0.20, 0.22], [0.01, 0.01, 0.01, 0.02, 0.01])
    assert rule.best == 3 and rule.bar == pytest.approx(0.22) and rule.choice == 1


def test_accuracies_move_the_bar_down_and_ties_go_to_the_simpler_model():
    rule = one_standard_error(
        [0.80, 0.90, 0.95, 0.95], [0.02, 0.02, 0.03, 0.01], higher_is_better=True
    )
    assert rule.best == 2  # the simpler of the two tied bests
    assert rule.bar == pytest.approx(0.92) and rule.choice == 2
    assert (
        one_standard_error([0.8, 0.9 - 1e-12, 0.9], [0.1] * 3, higher_is_better=True, tie=1e-9).best
        == 1
    )


def test_the_choice_never_is_more_complex_than_the_best_and_reaches_the_bar():
    rng = np.random.default_rng(0)
    for _ in range(200):
        mean, se = rng.random(6), rng.random(6) / 10
        rule = one_standard_error(mean, se)
        assert rule.choice <= rule.best and mean[rule.choice] <= rule.bar
        assert all(m > rule.bar for m in mean[: rule.choice])


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="same, non-zero length"):
        one_standard_error([1.0, 2.0], [0.1])
    with pytest.raises(ValueError, match="same, non-zero length"):
        one_standard_error([], [])
