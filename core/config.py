"""Experiment settings declared once: each Config field carries its default, its valid domain and
its scale, and is validated from that declaration.

A lesson's ``Config`` is a frozen dataclass whose fields are declared with :func:`number`,
:func:`integer`, :func:`choice`, :func:`flag`, :func:`text` or :func:`subset`, and which derives
from :class:`Settings`::

    @dataclass(frozen=True)
    class Config(Settings):
        learning_rate: float = number(0.05, 1e-4, 2.0, log=True)
        epochs: int = integer(20, 1, 100)
        schedule: str = choice("constant", SCHEDULES)

        def check(self):  # rules between fields, and the work budget
            check_budget(estimated_seconds(self), ("epochs",), config=self)

Construction validates every field against its declaration (scikit-learn-style messages that
name the field), then calls ``check``. The same declaration is what the sidebar draws (bounds,
log scale, options: ``ui.controls``), what the property tests sample (``tests/strategies.py``)
and what the budget search explores (``bench/budget.py``), so a bound is written in one place.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.validation import check_choice, check_int, check_number

PARAM = "lab_param"


@dataclass(frozen=True)
class Param:
    """The declared domain of one Config field.

    Attributes
    ----------
    kind : str
        ``number`` (a float in [low, high]), ``integer`` (a whole number in [low, high]),
        ``choice`` (one of ``choices``), ``flag`` (a bool), ``text`` (a string of at most
        ``high`` characters) or ``subset`` (a tuple of distinct ``choices``, in their order).
    low, high : float
        Bounds, inclusive.
    log : bool
        The natural scale is logarithmic (learning rates, strengths): controls step on a log grid.
    grid : tuple
        The values a control offers when it offers a few (batch sizes 2, 4, ..., 128); any value
        in the domain stays valid for Config itself. For ``choice`` and ``subset``, the choices.
    step : float or None
        A slider's step for numbers and integers.
    optional : bool
        None is valid too (``batch_size=None`` is the full batch).
    hint : str
        Appended to the message when a value is refused (how to fix it).
    """

    kind: str
    low: float = -math.inf
    high: float = math.inf
    log: bool = False
    grid: tuple = ()
    step: float | None = None
    optional: bool = False
    hint: str = ""

    @property
    def least(self):
        """The lowest value a control of a number or integer offers: its grid's least, else
        ``low``."""
        return min(self.grid) if self.grid else self.low

    def validate(self, name: str, value):
        """The value, normalised (floats as float, whole numbers as int); ValueError if invalid."""
        if value is None and self.optional:
            return None
        if self.kind == "number":
            return check_number(name, value, self.low, self.high, hint=self.hint)
        if self.kind == "integer":
            return check_int(name, value, int(self.low), int(self.high), hint=self.hint)
        if self.kind == "choice":
            return check_choice(name, value, self.grid)
        if self.kind == "flag":
            if not isinstance(value, bool):
                raise ValueError(f"'{name}' must be True or False; got {value!r}.")
            return value
        if self.kind == "text":
            if not isinstance(value, str):
                raise ValueError(f"'{name}' must be text; got {type(value).__name__}.")
            if len(value) > self.high:
                raise ValueError(
                    f"'{name}' may have at most {int(self.high)} characters; got {len(value)}."
                )
            return value
        if self.kind == "subset":
            return self._subset(name, value)
        raise AssertionError(f"unknown kind {self.kind!r}")

    def _subset(self, name: str, value) -> tuple:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ValueError(f"'{name}' must be a list of values; got {value!r}.")
        unknown = [v for v in value if v not in self.grid]
        if unknown:
            raise ValueError(
                f"'{name}' may hold only {', '.join(map(repr, self.grid))}; got {unknown[0]!r}."
            )
        if len(set(value)) != len(value):
            raise ValueError(f"'{name}' must not repeat a value; got {list(value)!r}.")
        if not self.low <= len(value) <= self.high:
            raise ValueError(
                f"'{name}' must hold {int(self.low)} to {int(self.high)} values; got {len(value)}."
                + (f" {self.hint}" if self.hint else "")
            )
        # the declared order, so the same set is the same Config (and the same cache entry)
        return tuple(v for v in self.grid if v in value)


def _field(default, param: Param):
    if isinstance(default, (list, dict, set)):
        raise TypeError("a Config default must be immutable (use a tuple)")
    return dataclasses.field(default=default, metadata={PARAM: param})


def number(default: float, low: float, high: float, *, log=False, step=None, grid=(), hint=""):
    """A float field in [low, high] (``log=True``: a strength or a rate, drawn on a log grid)."""
    if log and not low > 0:
        raise ValueError("a log-scale number needs a positive lower bound")
    return _field(
        default,
        Param("number", low, high, log=log, step=step, grid=tuple(grid), hint=hint),
    )


def integer(
    default: int | None, low: int, high: int, *, grid=(), step=None, optional=False, hint=""
):
    """A whole-number field in [low, high]; ``grid`` lists the values a control offers."""
    return _field(
        default,
        Param("integer", low, high, grid=tuple(grid), step=step, optional=optional, hint=hint),
    )


def choice(default: str, choices: Sequence[str]):
    """One of ``choices`` (registry keys, never display labels)."""
    return _field(default, Param("choice", grid=tuple(choices)))


def flag(default: bool):
    """True or False."""
    return _field(default, Param("flag"))


def text(default: str, max_length: int):
    """A string of at most ``max_length`` characters (parsed, never executed, by the run)."""
    return _field(default, Param("text", 0, max_length))


def subset(
    default: tuple, choices: Sequence, *, min_size: int = 1, max_size: int | None = None, hint=""
):
    """Several distinct values out of ``choices``, kept in the order of ``choices``."""
    high = len(choices) if max_size is None else max_size
    return _field(tuple(default), Param("subset", min_size, high, grid=tuple(choices), hint=hint))


def param_of(config_class, name: str) -> Param | None:
    """The declared domain of field ``name``, or None for a field declared without one."""
    for f in dataclasses.fields(config_class):
        if f.name == name:
            return f.metadata.get(PARAM)
    raise KeyError(f"{config_class.__name__} has no field {name!r}")


def params(config_class) -> dict[str, Param]:
    """Every declared field of a Config class and its domain, in declaration order."""
    return {
        f.name: f.metadata[PARAM] for f in dataclasses.fields(config_class) if PARAM in f.metadata
    }


def default_of(config_class, name: str) -> Any:
    """The default value of field ``name``."""
    for f in dataclasses.fields(config_class):
        if f.name == name:
            return f.default
    raise KeyError(f"{config_class.__name__} has no field {name!r}")


class Settings:
    """Base of every lesson Config: validates each declared field, then calls :meth:`check`."""

    def __post_init__(self):
        for f in dataclasses.fields(self):
            param = f.metadata.get(PARAM)
            if param is not None:
                object.__setattr__(self, f.name, param.validate(f.name, getattr(self, f.name)))
        self.check()

    def check(self) -> None:
        """Rules between fields and the work budget; raise ValueError naming the fields."""

    def changed(self) -> dict[str, Any]:
        """The fields that differ from their defaults (what a link or a snippet must say)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.init and getattr(self, f.name) != f.default
        }
