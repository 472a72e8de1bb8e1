"""Number formatting for computed sentences (core.facts): comparisons and bounds."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from core.facts import (
    apart,
    apart_digits,
    decimals,
    ends_apart_digits,
    gap_or_round_off,
    inside_unit,
    minus,
    not_whole,
    num,
    probability,
    read,
    rounded_up_half,
    up,
    with_difference,
    within_digits,
)


def test_apart_prints_different_values_differently_and_equal_ones_alike():
    assert apart(1.222, 1.217) == ("1.222", "1.217")  # "1.22" twice at 3 digits
    assert apart(1.04, 1.044) == ("1.04", "1.044")
    assert apart(0.25, 0.25, 0.2501, digits=2) == ("0.25", "0.25", "0.2501")
    assert apart(3.0, 5.0) == ("3", "5")
    rng = np.random.default_rng(0)
    for _ in range(500):
        values = list(1 + rng.integers(0, 3, 4) * 10.0 ** -rng.integers(1, 12))
        printed = apart(*values)
        for i in range(4):
            for j in range(4):
                assert (printed[i] == printed[j]) == (values[i] == values[j])


def test_apart_digits_separates_a_column_a_sentence_ranks():
    assert apart_digits([13.2726, 13.3100, 13.2726], 3) == 4  # 13.3 and 13.3 at 3 digits
    assert apart_digits([1.0, 2.0, float("nan"), float("inf")], 3) == 3
    rng = np.random.default_rng(1)
    for _ in range(300):
        values = list(1 + rng.integers(0, 3, 5) * 10.0 ** -rng.integers(1, 12))
        d = apart_digits(values, 3)
        assert apart(*values) == tuple(num(v, d) for v in values)
        if d > 3:  # fewer digits print two different values alike
            assert len({num(v, d - 1) for v in values}) < len(set(values))


def test_ends_apart_digits_separates_only_the_lowest_and_the_highest():
    # runs at the saddle 1e-14 apart need 14 digits to print apart; the two ends need 3
    values = [0.0087694867742521, 0.25000076723979, 0.25000076723978, 0.250001, 0.25106067790113]
    d = ends_apart_digits(values, 3)
    assert d == 3
    shown = [Decimal(num(v, d)) for v in values]
    assert shown[0] < min(shown[1:]) and shown[-1] > max(shown[:-1])
    assert apart_digits(values, 3) > d
    assert ends_apart_digits([13.2726, 13.3100], 3) == 4  # 13.3 and 13.3 at 3 digits
    assert ends_apart_digits([1.0, float("nan")], 3) == 3
    rng = np.random.default_rng(3)
    for _ in range(300):
        values = list(1 + rng.integers(0, 3, 5) * 10.0 ** -rng.integers(1, 12))
        d = ends_apart_digits(values, 3)
        low, high = min(values), max(values)
        for k in (d, d - 1):
            shown = {v: Decimal(num(v, k)) for v in values}
            ok = all(shown[low] < shown[v] for v in values if v > low) and all(
                shown[high] > shown[v] for v in values if v < high
            )
            assert ok == (k == d) or k < 3


def test_within_digits_keeps_a_printed_pair_inside_the_bound_a_sentence_states():
    g, c = -1.0071981e-05, -1.0071943e-05  # 3.8e-12 apart; at 6 digits -1.0072e-05, -1.00719e-05
    bound = Decimal(up(abs(g - c), 2))
    d = within_digits(g, [c], [bound])
    assert abs(Decimal(num(g, d)) - Decimal(num(c, d))) <= bound
    assert abs(Decimal(num(g, d - 1)) - Decimal(num(c, d - 1))) > bound
    assert within_digits(1.0, [1.0], [Decimal(0)]) == 6
    assert within_digits(float("inf"), [1.0], [Decimal(1)]) == 6  # "∞": nothing to compare
    rng = np.random.default_rng(2)
    for _ in range(300):
        ref = float(rng.normal()) * 10.0 ** int(rng.integers(-8, 8))
        others = [
            ref * (1 + float(rng.normal()) * 10.0 ** -int(rng.integers(3, 12))) for _ in range(2)
        ]
        bounds = [Decimal(up(abs(v - ref), 2)) if v != ref else Decimal(0) for v in others]
        d = within_digits(ref, others, bounds, most=17)
        if d < 17:
            assert all(
                abs(Decimal(num(v, d)) - Decimal(num(ref, d))) <= b
                for v, b in zip(others, bounds, strict=True)
            )


def test_up_never_prints_a_bound_below_its_value():
    assert up(1.11e-16) == "2e-16" and up(1.64, 2) == "1.7" and up(9.99, 2) == "10"
    assert up(0.5) == "0.5" and up(0.0) == "0"
    # the notation num prints, powers of ten below 1e-4 (not Decimal's "0.0000031")
    assert up(3.05e-6, 2) == "3.1e-06" == num(3.1e-6, 2) and up(4.2e-5, 2) == "4.2e-05"
    assert up(1.25e-4, 2) == "0.00013" and up(9.99e-5, 2) == "0.0001"
    rng = np.random.default_rng(1)
    for x in np.concatenate([rng.random(300) * 10.0 ** rng.integers(-20, 20, 300), [5e-324]]):
        for digits in (1, 2, 3):
            assert float(up(x, digits)) >= x


def test_a_printed_difference_or_ratio_follows_from_the_printed_values():
    from decimal import Decimal

    from core.facts import agrees, with_difference, with_ratio

    # the page's minus sign reads as one (audit pass 56 a: "−0.0286" read as no number)
    assert agrees("−0.0286", Decimal("-0.02861")) and not agrees("−0.0286", Decimal("0.0286"))

    rng = np.random.default_rng(2)
    for _ in range(300):
        a, b = rng.random(2) * 10.0 ** rng.integers(-3, 3, 2)
        a_text, b_text, gap = with_difference(a, b)
        assert agrees(gap, Decimal(b_text) - Decimal(a_text))
        top_text, bottom_text, ratio = with_ratio(a, b)
        assert agrees(ratio, Decimal(top_text) / Decimal(bottom_text))
    assert agrees("2.55", Decimal("0.731") / Decimal("0.287"))
    assert not agrees("2.54", Decimal("0.731") / Decimal("0.287"))


def test_a_printed_result_must_match_its_inputs_to_its_last_digit():
    from decimal import Decimal

    from core.facts import agrees

    assert not agrees("1.01", Decimal("0.023") / Decimal("0.0230"))  # implied exactly 1
    assert agrees("1.00", Decimal("0.023") / Decimal("0.0230")) and agrees("1", Decimal(1))
    assert agrees("0.116", Decimal("0.388") - Decimal("0.272"))
    assert not agrees("0.117", Decimal("0.388") - Decimal("0.272"))


def test_a_share_inside_the_unit_interval_never_prints_as_an_end():
    assert inside_unit(0.99996, 3) == "1 − 4e-05" and inside_unit(2.3e-08, 2) == "2.3e-08"
    assert inside_unit(0.5, 2) == "0.50" and inside_unit(1.0, 2) == "1.00"
    rng = np.random.default_rng(2)
    edges = 10.0 ** -rng.integers(1, 17, 300)
    for p in np.concatenate([rng.random(300), edges, 1 - edges, [0.0, 1.0, 5e-324]]):
        p = float(p)
        for places in (2, 3):
            text = inside_unit(p, places)
            if 0.0 < p < 1.0:
                assert text.startswith("1 − ") or 0 < float(text) < 1
            shown = probability(p, places)
            assert ("float64 rounds it" in shown) == (p in (0.0, 1.0))
            assert probability(p, places, exact_ends=True) == text


def test_not_whole_never_prints_a_fraction_as_a_whole_number():
    assert not_whole(0.99975) == "0.9998" and not_whole(2.0) == "2" and not_whole(0.5) == "0.5"
    rng = np.random.default_rng(3)
    for x in np.concatenate([rng.normal(0, 10, 300), rng.integers(-5, 5, 50) + 1e-9]):
        text = not_whole(float(x))
        if x != round(x):
            assert float(text) != round(float(text))


def test_a_gap_of_float_round_off_is_not_printed_as_a_measured_gap():
    a, b = 0.69314718197220715, 0.69314718197220704
    assert gap_or_round_off(a, b) == ("0.693", "0.693", "0 up to float round-off")
    assert gap_or_round_off(0.388, 0.272) == with_difference(0.388, 0.272)


def test_tex_number_writes_powers_of_ten_and_signs():
    from core.expression import parse, to_latex
    from core.facts import tex_number

    assert tex_number(3.37e-14) == r"3.37 \times 10^{-14}" and tex_number(-0.0) == "0"
    # 0.1234567 at 4 digits is 0.1235, a 5 that rounding up made: one digit more (num's rule)
    assert tex_number(0.1234567, 4, "+") == "+0.12346" and tex_number(-2.2e-5, 4, "+") == (
        r"-2.2 \times 10^{-5}"
    )
    assert r"10^{-9}" in to_latex(parse("1e-9*y_pred", {"y_pred"})) and r"1 \times" not in to_latex(
        parse("1e-9*y_pred", {"y_pred"})
    )


def test_num_never_prints_a_fraction_as_a_whole_number():
    """num rounds to significant digits, and adds digits while a fraction would print as a whole
    number (a gradient ratio of 1.0498 as "= 1", a layer that moved 2.96 of its size as "3");
    a value whole up to float round-off prints whole, and "1.23e+06" claims no whole number."""
    # 1.0498 is not "1" (whole) nor "1.05" (a 5 that rounding up made): "1.0498"
    assert num(1.0498, 2) == "1.0498" and num(2.96, 2) == "2.96" and num(0.99975) == "0.9998"
    assert num(3.0) == "3" and num(2.9999999999999996) == "3" and num(1234567.8) == "1.23e+06"
    rng = np.random.default_rng(2)
    values = rng.integers(-50, 50, 2000) + rng.choice([1, -1], 2000) * 10.0 ** -rng.uniform(
        1, 9, 2000
    )
    for x in values:
        for digits in (1, 2, 3):
            text = num(float(x), digits)
            assert "e" in text or float(text) != round(float(text)), (x, digits, text)
            assert abs(float(text) - x) <= abs(x) * 0.5 * 10.0 ** (1 - digits)  # still rounded


def test_decimals_never_print_a_fraction_as_whole_or_a_non_zero_as_zero():
    """5,997 of 6,000 right is not "1.000", 3 of 100,000 not "0.00", 92.98 % not "93 %"; halves
    still round up (0.625 is "0.63") and whole or zero values print at the places asked."""
    assert decimals(5997 / 6000, 3) == "0.9995" and decimals(3e-5, 2) == "0.00003"
    assert decimals(0.9298, 0, 100) == "92.98" and decimals(0.625) == "0.63"
    assert decimals(1.0, 3) == "1.000" and decimals(0.0) == "0.00"
    rng = np.random.default_rng(3)
    for count, total in zip(rng.integers(0, 7000, 3000), rng.integers(1, 7000, 3000), strict=True):
        share = min(count, total) / total
        for places, scale in ((0, 100), (1, 100), (2, 1), (3, 1)):
            text = decimals(share, places, scale)
            shown = float(text)
            assert (shown == round(shown)) <= (share * scale == round(share * scale)), text
            assert (shown == 0) == (share == 0), text


def test_the_extremes_of_float64_print_without_an_error():
    """A typed loss near float64's largest number (1.7976e308) or a subnormal result printed
    "inf", crashed the rounding, or printed "0E-20"."""
    assert num(1.7976e308) == "1.8e+308" and num(-1.7976e308, 1) == "-2e+308"
    # a subnormal reads as its shortest repr, as every other float does (core.facts.cleaned)
    assert num(5e-324) == "5e-324" and decimals(5e-324) == "5e-324"
    assert num(1.234467e-310, 4) == "1.234e-310"
    assert float(decimals(1.7976e308, 1)) == 1.7976e308


def _one_rounding(x: float, texts: list[str]) -> None:
    """Neither text ends in a 5 that rounding up made, and the longer, rounded half up to the
    shorter one's last place, is the shorter: a reader gets one value from both."""
    assert not any(rounded_up_half(t, x) for t in texts), (x, texts)
    short, long = sorted((Decimal(t) for t in texts), key=lambda t: -t.as_tuple().exponent)
    assert long.quantize(Decimal(1).scaleb(short.as_tuple().exponent), ROUND_HALF_UP) == short, (
        x,
        texts,
    )


NONZERO = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: x != 0)


# p = 0.39 / 0.8 from a softmax of log(0.01, 0.39, 0.4), computed as 0.48749999999999993: the
# printers read it as 0.4875 (core.facts.cleaned) at every digits, so not "0.487" at 3 beside
# "0.4875" at 4 (audit pass 47 h)
# the smallest subnormal float, 5e-324, printed its binary digits "4.940656e-324" at 7 digits and
# "4.9406565e-324" at 8, which rounds up to "…657" (a hypothesis draw, 2026-12-07)
@given(NONZERO, st.integers(1, 8), st.integers(1, 8))
@example(0.48749999999999993, 3, 4)
@example(5e-324, 7, 8)
@example(-1.5e-310, 2, 8)
def test_every_printing_of_a_value_reads_as_the_same_rounding(x, a, b):
    """num never ends in a 5 that rounding up made (0.40849 is "0.40849", not "0.4085"), so a
    reader who rounds the longer of two printings of one value to the shorter one's last place
    gets the shorter one: a sentence's "0.408" and a tooltip's text of the same value agree."""
    _one_rounding(x, [num(x, a), num(x, b)])


@given(NONZERO.filter(lambda x: abs(x) <= 1e6), st.integers(0, 8), st.integers(0, 8))
@example(0.48749999999999993, 3, 4)
def test_decimals_printings_of_a_value_read_as_the_same_rounding(x, a, b):
    """decimals, like num ("0.4085" for 0.40849 reads as 0.409 beside a table's "0.408")."""
    from core.facts import decimals

    _one_rounding(x, [decimals(x, a), decimals(x, b)])


@given(NONZERO.filter(lambda x: abs(x) <= 1e6), st.integers(1, 8), st.integers(1, 8))
@example(0.48749999999999993, 3, 4)
def test_not_whole_printings_of_a_value_read_as_the_same_rounding(x, a, b):
    """not_whole (the float-format printer of tables and bars), like num (never "0.2115" for
    0.21149 beside "0.211")."""
    from core.facts import not_whole

    _one_rounding(x, [not_whole(x, a), not_whole(x, b)])


@given(st.floats(min_value=0.0, max_value=1.0), st.integers(1, 8), st.integers(1, 8))
@example(0.48749999999999993, 3, 4)
def test_inside_unit_printings_of_a_share_read_as_the_same_rounding(p, a, b):
    """inside_unit (shares and probabilities), like num where it prints decimals."""
    from core.facts import inside_unit

    texts = [inside_unit(p, a), inside_unit(p, b)]
    assume(not any("−" in t or "e" in t for t in texts))  # "1 − 2e-05" is not a plain rounding
    _one_rounding(p, texts)


@pytest.mark.parametrize(
    "text, value, mantissa, made",
    [
        ("1.25e-05", 1.2450992e-05, True, True),  # a 5 past the mantissa's tenths, rounded up
        ("1.25e-05", 1.2500001e-05, True, False),  # rounded down: no contradiction
        ("2.5e-03", 2.46e-03, True, False),  # the mantissa's tenths: exempt in e-notation
        ("2.5e-03", 2.46e-03, False, True),  # as a plain number its 5 is in the ten-thousandths
    ],
)
def test_rounded_up_half_reads_a_mantissa_in_e_notation(text, value, mantissa, made):
    assert rounded_up_half(text, value, mantissa=mantissa) is made


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("gained -0.0286", "gained −0.0286"),
        ("p − y = -(1 − 1e-09)", "p − y = −(1 − 1e-09)"),  # audit pass 58 g
        ("h = 1e-05, 3-4-4-1, log-log", "h = 1e-05, 3-4-4-1, log-log"),
    ],
)
def test_minus_prints_a_sign_and_leaves_hyphens(text, shown):
    assert minus(text) == shown


@pytest.mark.parametrize(
    ("text", "value"),
    [("−0.0378", Decimal("-0.0378")), ("+1,280.5", Decimal("1280.5")), (" -2 ", Decimal(-2))],
)
def test_read_gives_the_number_a_printed_text_shows(text, value):
    assert read(text) == value


def test_read_refuses_a_text_that_is_not_a_number():
    with pytest.raises(InvalidOperation):
        read("−(1 − 1e-09)")


def test_cleaning_removes_round_off_and_never_makes_a_half():
    # 0.39 / 0.8 is 0.48749999999999993 in float64: round-off of the decimal 0.4875
    assert num(0.39 / 0.8, 3) == "0.488"
    # −log p = 16.000000249985916 is 1.4e-11 from 16.00000025: not round-off (audit pass 63 h)
    assert num(16.000000249985916, 9) == "16.0000002"
    assert decimals(16.000000249985916, 7) == "16.0000002"
