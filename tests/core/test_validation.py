"""core.validation: the checks every experiment Config runs on its fields."""

import math

import numpy as np

from core.experiments import batch_size as bs
from core.validation import check_number


def test_negative_zero_becomes_zero():
    # "noise=-0" in a link is in range, but NumPy refuses a negative-zero scale ("scale < 0").
    assert math.copysign(1.0, check_number("noise", -0.0, 0.0, 1.0)) == 1.0
    assert check_number("noise", 0.25, 0.0, 1.0) == 0.25


def test_a_negative_zero_noise_runs_like_zero():
    config = bs.Config(noise=-0.0)
    assert math.copysign(1.0, config.noise) == 1.0
    zero, _ = bs.prepare_data(bs.Config(noise=0.0))
    data, _ = bs.prepare_data(config)
    np.testing.assert_array_equal(data.X_train, zero.X_train)
