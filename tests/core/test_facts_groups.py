"""Printers for numbers read together (core.facts): a group at one precision, a mean with its SE."""

import math
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from core.facts import (
    GROUP_PULL,
    alike,
    at_one_precision,
    estimate,
    num,
    padded,
    se_num,
    sig_num,
    significant,
)

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(
    lambda x: x == 0 or abs(x) > 1e-250
)


def _places(text: str) -> int:
    mantissa, _, exponent = text.replace(",", "").partition("e")
    return -Decimal(mantissa).as_tuple().exponent - int(exponent or 0)


def test_a_group_prints_every_value_at_the_same_significant_digits():
    assert alike(0.71, 0.717) == ("0.710", "0.717")  # num gives "0.71" beside "0.717"
    assert alike(0.37546, 0.3902, digits=5) == ("0.37546", "0.39020")
    assert alike(1.0, 0.717) == ("1.00", "0.717")


@given(st.lists(finite.filter(lambda x: x != 0), min_size=2, max_size=5))
def test_alike_shows_one_digit_count_and_each_value_to_its_rounding(values):
    texts = alike(*values)
    shown = [significant(t) for t in texts if "," not in t]
    assume(shown)
    least = min(shown)
    for text, value in zip(texts, values, strict=True):
        if "," in text:
            continue
        # padding appends zeros only: the value read back is num's rounding of it
        assert Decimal(text) == Decimal(num(value, significant(text)))
        # a value longer than the group is one num itself prints much longer at its digits
        if significant(text) > least:
            assert significant(num(value, least)) > least + GROUP_PULL


def test_a_value_that_must_print_long_does_not_lengthen_its_group():
    assert alike(0.99999999999, 0.99878832099) == ("0.99999999999", "0.999")
    # a 5 that rounding up made (0.0765) costs one digit, and the group takes it
    assert alike(0.076479, 0.082834) == ("0.07648", "0.08283")


def test_a_standard_error_keeps_its_zeros():
    assert sig_num(0.001959) == "0.0020"  # num drops the zero: "0.002"
    assert padded("1.3e-09", 3) == "1.30e-09"
    assert padded("0", 3) == "0" and padded("inf", 3) == "inf"


def test_a_standard_error_is_read_at_its_own_digits():
    # sig_num adds digits against a 5 that rounding up made; an SE is never rounded further
    assert sig_num(0.01497) == "0.01497" and se_num(0.01497) == "0.015"
    assert se_num(1.997) == "2.0" and se_num(0.001959) == "0.0020"
    assert se_num(1333.9) == "1,300" and se_num(99.6) == "100"  # not "1.3e+03", "1.0e+02"
    assert estimate(-1.038381, 0.01497) == ("-1.038", "0.015")  # not "-1.03838 ± 0.01497"
    assert estimate(16763.6, 1333.9) == ("16,764", "1,300")


@given(st.floats(min_value=1e-12, max_value=1e6, allow_nan=False))
def test_a_standard_error_prints_at_two_digits_halves_up(se):
    text = se_num(se).replace(",", "")
    exact = Decimal(repr(se))
    step = Decimal(1).scaleb(exact.adjusted() - 1)  # the second significant digit's unit
    assert abs(Decimal(text) - exact) <= step / 2 * (1 + Decimal("1e-12"))
    assert significant(text) == 2 or (text.endswith("0") and "." not in text)


def test_a_mean_is_printed_to_its_standard_errors_last_decimal():
    assert estimate(0.1004, 0.0054) == ("0.1004", "0.0054")  # not "0.1 ± 0.0054"
    assert estimate(1.3e-9, 1.1e-10) == ("1.30e-09", "1.1e-10")
    assert estimate(0.5, 0.0) == ("0.5", "0")


@given(
    finite,
    st.floats(min_value=1e-12, max_value=1e3, allow_nan=False),
)
def test_a_mean_is_never_less_precise_than_its_standard_error(mean, se):
    mean_text, se_text = (t.replace(",", "") for t in estimate(mean, se))
    assert significant(se_text) >= 2 or se_text.endswith("0")  # "100": 2 digits, written out
    assert _places(mean_text) >= min(_places(se_text), 0) or _places(se_text) <= 0
    if _places(se_text) > 0:
        assert _places(mean_text) >= _places(se_text)
    assert math.isclose(float(mean_text), mean, rel_tol=0, abs_tol=float(se_text)) or abs(
        float(mean_text) - mean
    ) <= 10 ** -_places(mean_text)


def test_one_precision_allows_values_that_must_print_long():
    steps = (0.999999994, 1.00000021, 1.0000021, 1.0000102)  # every one near 1
    texts = alike(*steps)
    assert texts == ("0.99999999", "1.0000002", "1.000002", "1.00001")
    assert at_one_precision(texts, steps)
    assert not at_one_precision(("0.71", "0.717"))  # num's dropped zero
    assert at_one_precision(("0.710", "0.717"))
