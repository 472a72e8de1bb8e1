"""Boundary checks shared by every experiment Config: messages say what was expected, got, and how to fix."""

from __future__ import annotations

import math
from collections.abc import Iterable


def check_number(name: str, value, low: float, high: float, *, hint: str = "") -> float:
    """Return ``value`` as a float if it is a finite number in [low, high]; else raise ValueError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' must be a number; got {value!r}.") from None
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        extra = f" {hint}" if hint else ""
        raise ValueError(f"'{name}' must be in [{low:g}, {high:g}]; got {value!r}.{extra}")
    # + 0.0 turns -0.0 (a link's "noise=-0") into 0.0: NumPy refuses a negative-zero scale.
    return number + 0.0


def check_int(name: str, value, low: int, high: int, *, hint: str = "") -> int:
    """Return ``value`` as an int if it is a whole number in [low, high]; else raise ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"'{name}' must be a whole number; got {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' must be a whole number; got {value!r}.") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"'{name}' must be a whole number; got {value!r}.")
    if not low <= number <= high:
        extra = f" {hint}" if hint else ""
        raise ValueError(f"'{name}' must be in [{low}, {high}]; got {value!r}.{extra}")
    return int(number)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; else raise ValueError listing them."""
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"'{name}' must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return value
