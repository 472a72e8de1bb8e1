"""The claims harness's grammar check: a count of 1 with a counted noun in the plural."""

import pytest

from tests.claims import ONE_IN_PLURAL


@pytest.mark.parametrize(
    "text",
    [
        "1 of the 1 rows that see several tokens",  # attention, audit pass 54 a
        "spent 0 of its 1 steps near the saddle",  # optimizers, audit pass 54 c
        "Only 1 usable rows",  # uploads, audit pass 54 c
        "LassoCV misses 1 true features",  # regularization, audit pass 54 f
        "worse by more than 1 standard errors",
    ],
)
def test_a_count_of_one_in_the_plural_is_caught(text):
    assert ONE_IN_PLURAL.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "1 of 12 positives is caught",
        "subgradient steps make L1 weights jitter around 0",
        "so the class-1 points among them",
        "L ≥ 1 hidden layers of width w",
        "beyond layer 1 the inputs are masked too",
        "0.1 units apart",
        "(q = 1 masks nothing)",
        "about 1 s",
        "1 row, 21 rows",
        "share k − 2 of their k − 1 folds",  # a formula's 1, bias-variance's pitfall
    ],
)
def test_a_one_that_is_not_a_count_of_a_plural_passes(text):
    assert ONE_IN_PLURAL.search(text) is None


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("Depth 3 gained -0.0286", True),  # network depth, audit pass 56 a
        ("the slope jumps from -1 on the left", True),  # autodiff, pass 56 b
        ("(-3.5 SE)", True),  # attention, pass 56 a
        ("-(1 − 1e-09)", True),  # loss functions' class table, pass 58 g
        ("gained −0.0286", False),
        ("h = 1e-05", False),
        ("2-4 layers", False),
        ("a k-fold mean", False),
        ("L1-regularized", False),
    ],
)
def test_a_hyphen_printed_as_a_minus_sign_is_caught(text, caught):
    from tests.claims import ASCII_MINUS

    assert (ASCII_MINUS.search(text) is not None) == caught
