"""Sentences computed from a run, each emitted only when the run's numbers make it true.

A lesson's words come in two kinds. Fixed text (a model answer, a caption that explains how to
read a chart) must hold at every setting. Everything that depends on the run (what to notice, a
warning, the answer to the learner's prediction, a caption that reads a number off a chart) is a
:class:`Fact`: a sentence built by the lesson's ``facts(config, result)`` from the run's numbers,
after checking the condition that makes it true. When the condition fails, ``facts`` says what
happened instead, under another claim. Every claim a lesson can make is declared in its
``CLAIMS`` with that condition; the lesson's property test draws Configs from the whole settings
space and checks each emitted fact against the result (``tests/core/test_*_claims.py``), and
``docs/claims.md`` lists them all.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

# Where a page shows a fact: "What to notice", a warning above the charts, the answer to the
# prediction; any other slot is a caption the page places under a chart.
NOTICE, WARNING, ANSWER = "notice", "warning", "answer"


@dataclass(frozen=True)
class Claim:
    """One kind of sentence a lesson can say, and when it may say it."""

    key: str
    says: str  # the claim in general words: "SGD with a constant step levels off above L*"
    condition: str  # what the run's numbers must show: "its last-fifth median excess > 0"


@dataclass(frozen=True)
class Fact:
    """A sentence about one run, true of that run.

    ``values`` holds the numbers and names the sentence states, so a test can check them
    against the result without parsing the text.
    """

    claim: str
    text: str
    slot: str = NOTICE
    values: Mapping[str, Any] = field(default_factory=dict)


class Claims:
    """A lesson's declared claims; ``fact`` builds a Fact only for a declared one."""

    def __init__(self, *claims: Claim):
        keys = [c.key for c in claims]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate claim keys in {keys}")
        self._claims = {c.key: c for c in claims}

    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, key: str) -> bool:
        return key in self._claims

    def __getitem__(self, key: str) -> Claim:
        return self._claims[key]

    def fact(self, key: str, text: str, *, slot: str = NOTICE, **values) -> Fact:
        """A Fact of the declared claim ``key`` (KeyError for an undeclared one), its negative
        numbers printed with the minus sign (:func:`minus`), as every page prints them."""
        if key not in self._claims:
            raise KeyError(f"undeclared claim {key!r}; declare it in the lesson's CLAIMS")
        return Fact(key, minus(text), slot, values)


def in_slot(facts: Iterable[Fact], slot: str) -> list[Fact]:
    """The facts a page shows in one place, in the order the lesson emitted them."""
    return [f for f in facts if f.slot == slot]


@dataclass(frozen=True)
class Estimate:
    """A number the learner may type with a prediction, graded against the run's value.

    The run's value is ``values[key]`` of the lesson's ``ANSWER`` fact (checked against the
    result by the lesson's claims tests). A typed number counts when it is within ``tolerance``
    of that value: an absolute distance, or, with ``factor=True``, a factor either way (for
    quantities that span orders of magnitude). ``low`` and ``high`` bound what can be typed.
    """

    prompt: str
    key: str
    tolerance: float
    low: float
    high: float
    factor: bool = False
    unit: str = ""

    def __post_init__(self):
        if not self.tolerance > (1.0 if self.factor else 0.0) or not self.low < self.high:
            raise ValueError(f"Estimate {self.key!r}: a positive tolerance and low < high.")
        if self.factor and self.low < 0:
            raise ValueError(f"Estimate {self.key!r}: a factor tolerance needs values >= 0.")

    @property
    def rule(self) -> str:
        """The tolerance as the page states it."""
        if self.factor:
            return f"within a factor of {self.tolerance:g} of the run's value, either way"
        return f"within ±{self.tolerance:g}{self.unit} of the run's value"

    def grade(self, typed: float, actual: float) -> bool | None:
        """Whether ``typed`` counts; None when the run has no finite value to grade against."""
        if not (math.isfinite(actual) and math.isfinite(typed)):
            return None if not math.isfinite(actual) else False
        if self.factor:
            if actual == 0 or typed == 0:
                return actual == typed
            if (actual > 0) != (typed > 0):
                return False
        # On the numbers as the page prints them (the shortest decimals of the two floats, and
        # the tolerance as stated), exactly: a slack of 1e-12 counted a typed 0.8558493745083278
        # "within ±0.1" of attention's 0.9558493745083477, 0.10000000000002 away (audit 42g)
        t, a, tol = (Decimal(repr(float(v))) for v in (typed, actual, self.tolerance))
        with localcontext() as exact:
            exact.prec = 200
            if self.factor:
                t, a = abs(t), abs(a)
                return a <= t * tol and t <= a * tol
            return abs(t - a) <= tol


@dataclass(frozen=True)
class Prediction:
    """'Predict, then run': the question asked before the result is shown, and its choices.

    The run's answer is the lesson's ``ANSWER`` fact, whose ``values["answer"]`` is one of
    ``options``. ``estimate``, when a lesson has one, asks for a number as well.
    """

    prompt: str
    options: tuple[str, ...]
    estimate: Estimate | None = None


@dataclass(frozen=True)
class Preset:
    """A named scenario: a whole Config and what to look for in its run.

    ``shows`` names the claims the run at ``config`` must emit for ``hint`` to be true; the
    lesson's tests run every preset and check them.
    """

    hint: str
    config: Any
    shows: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyPoint:
    """One point a full answer makes, and the lesson's preset whose run shows it (or None).

    The practice page lists a model answer's points as a checklist, each with a link to the
    preset's experiment (``/<lesson>?preset=<slug>&reveal=1``); a test checks every named preset
    exists in its lesson.
    """

    text: str
    preset: str | None = None


@dataclass(frozen=True)
class ModelAnswer:
    """The interview-ready answer: paragraphs, formulas (LaTeX) and pitfalls, true at any setting.

    ``points`` are its key points, for self-grading in practice mode.
    """

    answer: str
    formulas: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    points: tuple[KeyPoint, ...] = ()


def ratio(top: float, bottom: float) -> float:
    """top / bottom for non-negative quantities such as losses: inf when only the bottom is 0,
    1 when both are (no division by zero)."""
    if bottom == 0:
        return 1.0 if top == 0 else math.inf
    return top / bottom


def factor(x: float) -> str:
    """A ratio from :func:`ratio` in words: "a factor of 1.23", or an unbounded one. A loss of 0
    is float64's: a cross-entropy is never 0 for finite logits, only below the smallest positive
    float64 (about 5e-324), so it is not called "exactly 0"."""
    return (
        f"a factor of {x:.2f}"
        if math.isfinite(x)
        else "an unbounded factor (the lowest is 0 in float64)"
    )


def num(x: float, digits: int = 3) -> str:
    """A number for a sentence: ``digits`` significant digits, ``inf``/``nan`` spelled out.

    Halves round up, as a reader rounds: a share of counts such as 10 of 16 = 0.625 is "0.63"
    at two digits, where float formatting rounds the exact binary half to even ("0.62").
    """
    if isinstance(x, (int,)) and not isinstance(x, bool):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)
    if not math.isfinite(x):
        return "∞" if x > 0 else ("−∞" if x < 0 else "not a number")
    value = float(x)
    text = _rounded(value, digits)
    # never a fraction printed as a whole number (1.0498 is not "1", 2.96 not "3"): digits are
    # added while it would, unless the value is whole up to float round-off (2.9999999999999996);
    # a power of ten written out ("1.23e+06") claims no whole number. And never a 5 that rounding
    # up made (0.40849 is not "0.4085"): a reader rounding that text to one place fewer rounds up
    # again, past the value's own rounding there (0.408), so every printing of one value, at any
    # digits, reads as the same rounding
    while digits < 17 and (
        ("e" not in text and float(text) == round(float(text)) and not is_whole(value))
        or rounded_up_half(text, value)
    ):
        digits += 1
        text = _rounded(value, digits)
    return text


def sig_num(x: float, digits: int = 2) -> str:
    """``x`` as :func:`num` prints it, with trailing zeros kept to ``digits`` significant digits:
    the printer for a standard error ("0.0020", not "0.002" for 0.001959: an SE of one digit
    beside a mean of five decimals, audit pass 62 f) and for values printed as a group
    (:func:`alike`)."""
    return padded(num(x, digits), digits)


def tooltip_text(x: float, digits: int = 4) -> str:
    """A measured value as a chart's tooltip prints it (``ui.charts.value_texts``), for a sentence
    that must read as that tooltip: :func:`sig_num` at ``digits`` significant digits, trailing
    zeros kept ("0.6900" beside a sentence's "0.690", never "0.69"); a whole value exactly
    ("12,800", not "1.28e+04"); a negative one with the minus sign "−"."""
    v = float(x)
    if math.isfinite(v) and v == round(v) and abs(v) < 2**53:
        return minus(num(int(v)))
    return minus(sig_num(v, digits))


def se_num(se: float, digits: int = 2) -> str:
    """A standard error for "mean ± SE": ``digits`` significant digits, halves up, zeros kept
    ("0.0020" for 0.001959, "0.015" for 0.01497, "2.0" for 1.997). Unlike :func:`sig_num` it
    keeps a 5 that rounding up made: an SE is read at its own digits and never rounded further,
    and "± 0.01497" (the digits num adds against such a 5) claims a precision the error does not
    have (audit pass 66 h). An SE of 100 or more is written out ("1,300"); one of 0 or one that
    is not finite prints as :func:`num`."""
    if se == 0 or not math.isfinite(se):
        return num(se)
    text = _rounded(float(se), digits)
    if "e+" in text:  # an SE of 1,333.9 is "1,300", as a reader writes it, not "1.3e+03"
        return f"{int(Decimal(text)):,}"
    return padded(text, digits)


def padded(text: str, digits: int) -> str:
    """A printed number with zeros appended to ``digits`` significant digits ("0.71" at 3 is
    "0.710", "1.3e-09" is "1.30e-09"); 0, inf and text already that long are left as they are."""
    try:
        if not Decimal(text).is_finite() or Decimal(text) == 0:
            return text
    except InvalidOperation:
        return text
    mantissa, e, exponent = text.partition("e")
    shown = len(mantissa.lstrip("-−").replace(".", "").lstrip("0"))
    if shown >= digits:
        return text
    pad = "0" * (digits - shown)
    return f"{mantissa}{pad if '.' in mantissa else '.' + pad}{e}{exponent}"


def significant(text: str) -> int:
    """How many significant digits a printed number shows ("0.0020" shows 2, "1.30e-09" 3)."""
    mantissa = text.partition("e")[0].lstrip("-−+")
    digits = mantissa.replace(".", "").lstrip("0")
    return max(1, len(digits))


def fixed(x: float, places: int) -> str:
    """``x`` rounded to ``places`` decimals (:func:`decimals`: halves up, more decimals while a
    fraction would print whole); past 6 decimals, :func:`num`'s significant digits to that
    decimal with trailing zeros kept ("1.30e-09" to 11 decimals, not "1.3e-09" beside an SE of
    1.1e-10; "1.0000000000000" to 13)."""
    if places <= 6 or x == 0 or not math.isfinite(x):
        return decimals(x, max(0, places))
    digits = max(1, places + math.floor(math.log10(abs(x))) + 1)
    return padded(num(x, digits), digits)


# A value that :func:`alike` finds printed this many digits past its group's, or fewer, pulls the
# group with it (a 5 that rounding up made costs one or two: "0.07648 against 0.08283", not
# "… 0.0828"); one printed longer keeps its digits alone (0.99999999999 beside "0.999").
GROUP_PULL = 2


def alike(*values: float, digits: int = 3) -> tuple[str, ...]:
    """``values`` for one sentence or comparison at one count of significant digits with
    trailing zeros kept: :func:`apart`'s digits (``digits`` or more, until every two different
    values print differently), more while a value needs up to :data:`GROUP_PULL` more to print
    true (never a 5 that rounding up made), every value padded to it, so none reads as less
    precise than its neighbour ("0.710 vs 0.717", not "0.71 vs 0.717"; "Ridge 0.37546, Lasso
    0.39020", not "… Lasso 0.3902"). A value :func:`num` must print much longer (0.99999999999 is
    not "1.00") keeps its own digits alone: padding the others to it printed "0.99878832099,
    0.0029639416469" beside it (audit pass 64 e)."""
    most = apart_digits(values, digits)
    while True:
        texts = [num(v, most) for v in values]
        pulls = [
            significant(t)
            for t in texts
            if _is_number(t) and most < significant(t) <= most + GROUP_PULL
        ]
        if not pulls or most >= 17:
            return tuple(padded(t, most) if _is_number(t) else t for t in texts)
        most = max(pulls)


def at_one_precision(texts: Iterable[str], values: Iterable[float] | None = None) -> bool:
    """Whether printed numbers read together show one count of significant digits as
    :func:`alike` prints them: the least count, or more than :data:`GROUP_PULL` past it (a
    value that must print long to be true, 0.99999999999 beside "0.999"). Given the ``values``,
    a text longer than the least by any amount is one whose value :func:`num` prints longer at
    that count (four steps all near 1: "0.99999999, 1.0000002, 1.000002, 1.00001")."""
    texts = list(texts)
    values = list(values) if values is not None else [None] * len(texts)
    pairs = [
        (significant(t.lstrip("−-")), v)
        for t, v in zip(texts, values, strict=True)
        if _is_number(t.replace("−", "-"))
    ]
    least = min((c for c, _ in pairs), default=0)
    return all(
        c == least
        or c > least + GROUP_PULL
        or (v is not None and significant(num(float(v), least)) > least)
        for c, v in pairs
    )


def estimate(mean: float, se: float, *, se_digits: int = 2) -> tuple[str, str]:
    """A mean and its standard error for "mean ± SE": the SE at ``se_digits`` significant digits
    with zeros kept (:func:`se_num`), the mean to the SE's last decimal at least, so the mean
    never reads as less precise than its error ("0.1004 ± 0.0054", not "0.1 ± 0.0054"). An SE of 0
    or one that is not finite (a single run) leaves the mean at :func:`num`'s 3 digits."""
    if not math.isfinite(se) or se == 0 or not math.isfinite(mean):
        return num(mean), se_num(se, se_digits)
    se_text = se_num(se, se_digits)
    mantissa, _, exponent = se_text.replace(",", "").partition("e")
    places = -Decimal(mantissa).as_tuple().exponent - int(exponent or 0)
    if places <= 0:  # an SE of 67 or 1,300: the mean to whole units, zeros never invented
        return num(int(Decimal(repr(float(mean))).quantize(Decimal(1), ROUND_HALF_UP))), se_text
    return fixed(mean, places), se_text


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


# The float round-off :func:`cleaned` removes: a few hundred float64 operations' worth (an ulp is
# 2.2e-16 relative); a value further from a short decimal than this is not that decimal.
CLEANED_AT_MOST = Decimal("1e-13")


def cleaned(value: Decimal, digits: int, *, within: Decimal | None = CLEANED_AT_MOST) -> Decimal:
    """``value`` (a float's repr, exact in Decimal) without its float round-off, as every printer
    reads it before rounding to ``digits`` significant digits: to 12 significant digits, or 3
    more than are printed, up to the 15 that float64 holds for sure. The softmax of the
    probabilities 0.01, 0.39, 0.4 gives 0.39 / 0.8 as 0.48749999999999993, which is 0.4875 and
    prints "0.488" at 3 digits as a reader rounds the "0.4875" printed at 4; 0.15 is a decimal
    0.15, not the binary 0.1499999999999999944 below it; while 100000.54644468 keeps its digits.
    A printing of 16 or 17 digits reads the float's own digits, which tell any two floats apart
    (:func:`apart`). Only round-off is cleaned: a value more than :data:`CLEANED_AT_MOST` (relative)
    from its cleaned decimal keeps its own digits, so cleaning never makes a half the value is not
    at (−log p = 16.000000249985916, good to ~1e-14, is not 16.00000025 and prints "16.0000002"
    at 9 digits, not "16.0000003"; audit pass 63 h). ``within=None`` cleans at any distance, for a
    caller whose value carries a larger, known round-off (a difference quotient's eps·|L|/h)."""
    if value == 0 or not value.is_finite() or digits > 15:
        return value
    keep = min(15, max(12, digits + 3))
    with localcontext() as context:
        context.prec = 400
        clean = value.quantize(Decimal(1).scaleb(value.adjusted() - keep + 1), ROUND_HALF_UP)
        return clean if within is None or abs(clean - value) <= within * abs(value) else value


def _rounded(value: float, digits: int) -> str:
    """``value`` (its round-off :func:`cleaned`) to ``digits`` significant digits, halves rounded
    up."""
    if value != 0 and digits > 0:
        exact = cleaned(Decimal(repr(value)), digits)
        rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), ROUND_HALF_UP)
        if math.isinf(float(rounded)):  # 1.7976e308 rounds past float64's largest number
            return f"{value:.{digits}g}"
        if abs(value) < sys.float_info.min:  # a subnormal float prints its binary digits, not
            return format(rounded.normalize(), "e")  # the rounding's: 5e-324 is not "4.940656e-324"
        value = float(rounded)
    return f"{value:.{digits}g}"


def apart(*values: float, digits: int = 3) -> tuple[str, ...]:
    """``values`` for a sentence that compares them: :func:`num` with ``digits`` significant
    digits, more until every two different values print differently (equal ones print alike).

    Use it for any numbers printed beside a comparison ("lower", "lowest", "more than"): 1.222
    and 1.217 print as "1.22" and "1.22" at 3 digits, and "1.222" and "1.217" here.
    """
    d = apart_digits(values, digits)
    return tuple(num(v, d) for v in values)


def apart_digits(
    values: Iterable[float], digits: int = 3, *, text: Callable[[float, int], str] = num
) -> int:
    """The fewest digits (``digits`` or more, at most 17) at which every two different finite
    ``values`` print differently with ``text`` (:func:`num`'s significant digits, or e.g. a
    lesson's share to fixed decimals): the digits for a column of a table or a chart's tooltips
    whose values a sentence ranks ("the lowest loss (13.27) ... the highest (13.31)" must not sit
    beside a table of 13.3 and 13.3)."""
    distinct = sorted({float(v) for v in values if math.isfinite(v)})
    for d in range(digits, 18):
        if all(text(a, d) != text(b, d) for a, b in zip(distinct, distinct[1:], strict=False)):
            return d
    return 17


def ends_apart_digits(values: Iterable[float], digits: int = 3) -> int:
    """The fewest significant digits (``digits`` or more, at most 17) at which, printed with
    :func:`num`, the smallest finite value prints below every larger one and the largest above
    every smaller one: the digits for a column beside a sentence that names only the lowest and
    the highest (values between them may print alike: six runs that all end at the saddle,
    0.25000076723979 and 0.25000076723978, print "0.25", beside the highest "0.251")."""
    finite = sorted({float(v) for v in values if math.isfinite(v)})
    if len(finite) < 2:
        return digits
    for d in range(digits, 18):
        shown = [Decimal(num(v, d)) for v in finite]
        if all(shown[0] < p for p in shown[1:]) and all(shown[-1] > p for p in shown[:-1]):
            return d
    return 17


def within_digits(
    reference: float,
    values: Sequence[float],
    bounds: Sequence[Decimal],
    digits: int = 6,
    *,
    text: Callable[[float, int], str] = num,
    most: int = 17,
) -> int:
    """The fewest significant digits (``digits`` to ``most``) at which each of ``values`` printed
    with ``text`` lies no further from the printed ``reference`` than its bound: the bound a
    sentence beside them states ("differ by at most 4.7e-11" must not sit beside a table's
    −1.0072e-05 and −1.00719e-05, 1e-10 apart as printed). Text that is not a number (inf,
    nan) has nothing to compare: ``digits``."""
    for d in range(digits, most + 1):
        try:
            shown = Decimal(text(reference, d))
            if all(
                abs(Decimal(text(v, d)) - shown) <= b for v, b in zip(values, bounds, strict=True)
            ):
                return d
        except InvalidOperation:
            return digits
    return most


def decimals(x: float, places: int = 2, scale: float = 1) -> str:
    """``scale`` · ``x`` to ``places`` decimals with halves rounded up, as a reader rounds a share
    of counts: 10 of 16 (0.625) is "0.63" and 3 of 16 as a percent (18.75) to one decimal is
    "18.8", where float formatting rounds the exact binary half to even ("0.62", "18.7", and 1 of
    8 as a whole percent would be "12"). Decimals are added while a
    value would print as a whole number it is not (5,997 of 6,000 is not "1.000"), a non-zero
    value as 0 (3 of 100,000 is not "0.00"), or a text would end in a 5 that rounding up made
    (0.40849 is not "0.4085", as in :func:`num`)."""
    if not math.isfinite(x):
        return num(x)
    value = Decimal(repr(float(scale))) * Decimal(repr(float(x)))
    text = _places(value, places)
    while places < 20 and (
        (Decimal(text) == Decimal(text).to_integral_value() and not is_whole(float(value)))
        or (Decimal(text) == 0 and value != 0)
        or rounded_up_half(text, float(value))
    ):
        places += 1
        text = _places(value, places)
    if Decimal(text) == 0 and value != 0:  # below 1e-20 (a subnormal): significant digits
        return num(float(value), 2)
    return text


def _places(value: Decimal, places: int) -> str:
    # the value's round-off cleaned (to the digits printed: those before the point and
    # ``places``), with precision for every digit of the result (float64 reaches 309 digits
    # before the point)
    if value != 0 and value.is_finite():
        value = cleaned(value, max(1, value.adjusted() + 1 + places))
    with localcontext() as context:
        context.prec = 400
        return format(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), "f")


def is_whole(value: float) -> bool:
    """Whole up to float round-off (2.9999999999999996 is 3)."""
    return abs(value - round(value)) <= ROUND_OFF * max(1.0, abs(value))


def not_whole(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` significant digits, more while it would print as a whole number it
    is not: tanh(4.5) = 0.99975 is not "1", the value tanh only approaches; nor, as
    :func:`num`, a text ending in a 5 that rounding up made. Halves round up, as in :func:`num`
    (float formatting's half-to-even printed 1.25 as "1.2" beside its own "1.25")."""
    x = float(x) + 0.0
    if not math.isfinite(x):
        return f"{x}"
    text = _rounded(x, digits)
    while digits < 17 and (
        (float(text) != x and float(text) == round(float(text))) or rounded_up_half(text, x)
    ):
        digits += 1
        text = _rounded(x, digits)
    return text


def inside_unit(value: float, places: int = 3) -> str:
    """A share or probability with ``places`` decimals; one strictly between 0 and 1 that would
    print as 0 or 1 is written 1 − x or with significant digits (an accuracy of 0.99974 is not
    "1.000", a P(class 1) of 2.3e-08 not "0.00"); halves round up, as :func:`decimals` (an
    accuracy of 13 of 16 is "0.813", not "0.812"); and, as :func:`num`, never a 5 that rounding
    up made (0.21149 at 4 places is "0.21149", not "0.2115")."""
    if not math.isfinite(value):
        return f"{value:.{places}f}"
    exact = Decimal(repr(float(value) + 0.0))
    text = _places(exact, places)
    while places < 17 and rounded_up_half(text, value):
        places += 1
        text = _places(exact, places)
    if 0.0 < value < 1.0 and float(text) >= 1.0:
        return f"1 − {num(1.0 - value, 2)}"
    if 0.0 < value < 1.0 and float(text) == 0.0:
        return num(value, 2)
    return text if 0.0 <= value <= 1.0 else decimals(value, places)


def probability(p: float, places: int = 2, *, exact_ends: bool = False) -> str:
    """A model's probability for a tooltip, as :func:`inside_unit`. An exact 0 or 1 prints so only
    when it is one (``exact_ends``: a forest whose trees all agree); a sigmoid never reaches
    either, so its float's 1 (rounding) and 0 (underflow) are written as the bounds they are."""
    if not exact_ends and p == 1.0:
        # 1/(1 + e) is exactly 1 once 1 + e rounds to 1, for e up to 2**-53 = 1.11e-16: the
        # sigmoid then lies between 1 - 1.11e-16 and 1, not always above 1 - 1e-16
        return "1 − under 2e-16 (float64 rounds it to 1)"
    if not exact_ends and p == 0.0:
        return "under 1e-300 (float64 rounds it to 0)"
    return inside_unit(p, places)


def tex_number(value: float, digits: int = 3, sign: str = "") -> str:
    """A number for LaTeX: :func:`num` (``digits`` significant digits, never a fraction as a whole
    number) with powers of ten written out (a tiny weight is 2.2 × 10⁻⁵, not 0.0000);
    ``sign="+"`` writes a positive term's plus; −0.0 is 0."""
    text = num(value + 0.0, digits)
    if sign == "+" and not text.startswith("-"):
        text = "+" + text
    mantissa, _, exponent = text.partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def up(x: float, digits: int = 1) -> str:
    """A bound ``x`` >= 0 rounded up to ``digits`` significant digits, for "within" and "at
    most": 1.11e-16 prints as "2e-16" and 1.64 as "1.7" (rounding to nearest would print a
    bound below the value it bounds)."""
    if not math.isfinite(x) or x <= 0:
        return num(x, digits)
    exact = Decimal(x)  # exact, subnormals too
    exponent = exact.adjusted() - digits + 1
    scaled = math.ceil(exact.scaleb(-exponent))  # at most 10**digits: 9.99 -> 10
    shown = digits + 1 if scaled >= 10**digits else digits
    bound = Decimal(scaled).scaleb(exponent)
    # in the notation :func:`num` prints (a float's "g": powers of ten below 1e-4), so "3.1e-06",
    # never Decimal's "0.0000031", sits beside a gap printed "4.9e-11" (audit pass 55 a)
    style = f".{shown - 1}e" if bound.adjusted() < -4 else f".{shown}g"
    mantissa, e, power = format(bound, style).lower().partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (f"e{int(power):+03d}" if e else "")


def up_below(x: float, bar: float, digits: int = 2) -> str:
    """``x`` < ``bar`` rounded up, as :func:`up` (a bound, for "at most"), with digits enough to
    print below ``bar`` (9.96e-7 is not "at most 1e-06, below the bar of 1e-06")."""
    for d in range(digits, 18):
        shown = up(x, d)
        if float(shown) < bar:
            return shown
    return num(x, 17)


def read(text) -> Decimal:
    """A printed number as the Decimal it shows: the inverse of the printers for a reader's
    checks. Reads the minus sign "−" (as :func:`minus` prints it), a leading "+" and grouping
    commas; raises ``decimal.InvalidOperation`` for a text that is not a number."""
    return Decimal(str(text).strip().lstrip("+").replace(",", "").replace("−", "-"))


def agrees(shown: str, implied: Decimal) -> bool:
    """Whether a printed result (a difference, a ratio) is what a reader gets from the printed
    inputs (``implied``, exact in Decimal) rounded to the printed result's last digit: "1.01" does
    not agree with an implied 1, "2.54" not with 0.731 / 0.287 = 2.547. A minus sign "−" reads as
    one (a text the page prints, not only Python's "-")."""
    try:
        value = read(shown)
        return (
            implied.quantize(Decimal(1).scaleb(value.as_tuple().exponent), ROUND_HALF_UP) == value
        )
    except InvalidOperation:
        return False


def reads_alike(a, b) -> bool:
    """Whether two printed texts (or Decimals) of one value read as one: the one with more
    decimals, rounded halves up to the other's last place, is the other ("0.2175" is not
    "0.217", "4.145" not "4.14"). Grouping commas and a minus sign "−" are read as numbers."""
    x, y = (read(t) for t in (a, b))
    if x.as_tuple().exponent < y.as_tuple().exponent:
        x, y = y, x
    return agrees(str(x), y)


# A number's sign, not a hyphen or an exponent's: "-1" after a space, "(" or "[", before a digit
# (or ".5", "∞", or a bracketed value: "-(1 − 1e-09)", audit pass 58 g); "1e-05", "3-4-4-1" and
# "log-log" are left as written.
_HYPHEN_SIGN = re.compile(r"(?<![\w.)\]])-(?=\.?\d|∞|\()")


def minus(text: str) -> str:
    """``text`` with every negative number's sign printed as the minus sign "−" (as ``num``'s
    "−∞", the preset hints' "−1" and :func:`reads_alike` read it), not the ASCII hyphen Python's
    formatting gives: never "the slope jumps from -1" under a hint's "from −1 to 1" (audit pass
    56 b). For printed text only: a value kept for Decimal stays as the printer gives it."""
    return _HYPHEN_SIGN.sub("−", text)


def with_difference(
    a: float,
    b: float,
    holds=lambda text: True,
    *,
    digits: int = 3,
    nonnegative: bool = False,
    same_digits: bool = False,
) -> tuple[str, str, str]:
    """``a``, ``b`` and ``b - a`` for a sentence: printed apart with ``digits`` significant digits
    or more, digits added until the printed difference is the difference of the printed values
    ("0.388 and 0.272, gap 0.116", never "gap 0.117") and ``holds`` (a bound the sentence states
    on it) is true.

    ``nonnegative``: ``a`` and ``b`` cannot be negative (losses), so the printed difference lies
    between −a and b as printed: never "test loss 15.28 (gap 15.3)", which leaves the training
    loss at −0.02.

    ``same_digits``: ``a`` and ``b`` at one count of significant digits with zeros kept
    (:func:`alike`: "0.73480 against 0.84496", not "0.7348 against 0.84496")."""

    def within(diff_text: str, a_text: str, b_text: str) -> bool:
        if not nonnegative:
            return True
        return -Decimal(a_text) <= Decimal(diff_text) <= Decimal(b_text)

    for d in range(digits, 18):
        a_text, b_text = (alike if same_digits else apart)(a, b, digits=d)
        try:
            implied = Decimal(b_text) - Decimal(a_text)
        except InvalidOperation:
            return a_text, b_text, num(b - a, d)
        for k in range(3, d + 1):
            diff_text = num(b - a, k)
            if (
                agrees(diff_text, implied)
                and holds(diff_text)
                and within(diff_text, a_text, b_text)
            ):
                return a_text, b_text, diff_text
    return a_text, b_text, diff_text


# Two results this close (relative) are one result up to float round-off, not a measured gap.
ROUND_OFF = 1e-12


def gap_or_round_off(
    a: float, b: float, *, digits: int = 3, nonnegative: bool = False, same_digits: bool = False
) -> tuple[str, str, str]:
    """:func:`with_difference` (``digits`` significant digits or more; ``nonnegative`` as there),
    except that two values equal up to float round-off print alike with gap "0 up to float
    round-off": two losses of one constant prediction printed as "0.69314718197220715 and
    0.69314718197220704 (gap -1.1e-16)" read round-off as a gap."""
    if abs(b - a) <= ROUND_OFF * max(abs(a), abs(b)):
        text = num(a, digits)
        return text, text, "0 up to float round-off"
    return with_difference(a, b, digits=digits, nonnegative=nonnegative, same_digits=same_digits)


def with_ratio(top: float, bottom: float, *, digits: int = 3) -> tuple[str, str, str]:
    """``top``, ``bottom`` and ``top / bottom`` (both positive), ``top`` and ``bottom`` with
    ``digits`` significant digits or more, digits added until the printed ratio (3 significant
    digits) is the ratio of the printed values (never "0.815 and 1.06: 1.31x")."""
    ratio_text = num(top / bottom, 3)
    for d in range(digits, 18):
        top_text, bottom_text = apart(top, bottom, digits=d)
        try:
            implied = Decimal(top_text) / Decimal(bottom_text)
        except (InvalidOperation, ZeroDivisionError):
            break
        if agrees(ratio_text, implied):
            break
    return top_text, bottom_text, ratio_text


def plural(count: int, word: str) -> str:
    """'1 update', '180 updates' (thousands separated)."""
    return f"{count:,} {word}{'s' * (count != 1)}"


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 2:
        return f" {conjunction} ".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def percent_places(train: float, test: float, start: int = 0) -> int:
    """Decimals (``start`` or more) of one run's train and test accuracy in percent, as the
    accuracy dumbbells print them (ui.charts.training.split_dumbbell): those at which
    the printed gap is the exact difference to its last digit, two different values print apart
    and none strictly between 0 and 100 % prints as 0 or 100 (never "100%" for 99.96 %)."""
    shown = with_difference(100 * train, 100 * test)[:2]
    start = max(start, *(-Decimal(text).as_tuple().exponent for text in shown))
    for places in range(start, 17):
        a, b = decimals(train, places, 100), decimals(test, places, 100)
        if (a != b or train == test) and not any(
            Decimal(text) in (0, 100) and v not in (0.0, 1.0) for text, v in ((a, train), (b, test))
        ):
            return places
    return 16


def column_places(pairs: Sequence[tuple[float, float]]) -> int:
    """Decimals of the accuracy dumbbells' percentages (ui.charts.training.split_dumbbell), one
    number for every run's (train, test) in ``pairs``: each run's own (:func:`percent_places`) or
    more, with more while the printed gaps (each the difference of its run's printed values) do
    not sort as the gaps do. Where no number of decimals does that, the fewest that keep each
    run's own rules. A sentence that compares accuracies the dumbbell prints reads them at this
    many decimals."""
    finite = [(a, b) for a, b in pairs if math.isfinite(a) and math.isfinite(b)]
    start = max((percent_places(a, b) for a, b in finite), default=1)
    kept = [p for p in range(start, 17) if all(percent_places(a, b, p) == p for a, b in finite)]

    def sorted_alike(places: int) -> bool:
        gaps = [b - a for a, b in finite]
        shown = [
            Decimal(decimals(b, places, 100)) - Decimal(decimals(a, places, 100)) for a, b in finite
        ]
        return all(
            (abs(g - h) <= 1e-12) == (x == y) and (g < h or abs(g - h) <= 1e-12) == (x <= y)
            for (g, x), (h, y) in itertools.combinations(zip(gaps, shown, strict=True), 2)
        )

    return next((p for p in kept if sorted_alike(p)), kept[0] if kept else 16)


def rounded_up_half(text: str, value: float, *, mantissa: bool = False) -> bool:
    """Whether ``text``, a printing of ``value``, ends in a 5 that rounding up made (its last
    significant digit is 5 and it lies further from 0 than ``value``): a reader rounding it to one
    place fewer rounds up again, past the value's own rounding there, so it contradicts any
    coarser printing of the same value (0.35725 for 0.3572499 reads as 0.3573 beside a metric's
    0.3572). A 5 in the tenths ("0.50" for 0.49965, "12.5" for 12.46) is not one: the coarser
    printing it would contradict is a whole number, which :func:`num` and :func:`decimals` never
    print for a fraction. With ``mantissa``, ``text`` is a mantissa's digits in e-notation
    ("1.25e-05"), and the exempt 5 is the mantissa's tenths ("2.5e-03"). A text that is not a
    plain number ("1 − 2e-05") is not one."""
    try:
        shown = read(text)
    except InvalidOperation:
        return False
    if not shown.is_finite() or shown == 0 or not math.isfinite(value):
        return False
    # the value as float64 prints it (repr), to 12 significant digits, or 3 more than the text
    # has, as every printer reads it (cleaned): 0.15 is a decimal 0.15, not the binary 0.1499999999999999944 below it, and
    # 0.6 / 1.6 computed as 0.37499999999999994 is 0.375 (float round-off is no half rounded
    # up), while 100000.546445 is a 5 rounding up made for 100000.54644468
    exact = cleaned(Decimal(repr(float(value))), len(shown.as_tuple().digits))
    last = shown.normalize().as_tuple()
    past_tenths = len(last.digits) > 2 if mantissa else last.exponent != -1
    return last.digits[-1] == 5 and past_tenths and abs(shown) > abs(exact)
