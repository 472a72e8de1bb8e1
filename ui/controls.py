"""Sidebar widgets bound to the URL: each helper draws one control and returns its value."""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal, InvalidOperation

import numpy as np
import streamlit as st

from core.config import Param, param_of
from core.facts import minus, num
from ui.classroom import (
    FLAG_WORDS,
    SNAPPED_LINKS,
    current_page,
    keep_link_for_rerun,
    link_notice,
    link_text,
    link_values,
    register_hidden,
    register_respelled,
    register_widget,
    sidebar_tools,
)
from ui.text import plain
from ui.upload import show_data_in_use, user_dataset

BIND = "query-params"


def log_options(low: float, high: float, mantissas=(1, 1.5, 2, 3, 5, 7)) -> list[float]:
    """Round, log-spaced values from ``low`` to ``high`` (1, 1.5, 2, 3, 5, 7 per decade)."""
    values = []
    for exponent in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1):
        for m in mantissas:
            v = float(f"{m * 10.0**exponent:.3g}")  # plain-format: a grid value, not printed
            if low * (1 - 1e-9) <= v <= high * (1 + 1e-9):
                values.append(v)
    return values


def nearest(options: Sequence[float], value: float) -> float:
    """The option closest to ``value`` on a log scale (so a default always matches an option)."""
    return min(options, key=lambda o: abs(np.log(o) - np.log(value)))


def number(
    label: str,
    *,
    key: str,
    min_value: int,
    max_value: int,
    value: int,
    help: str,
    register: bool = True,
):
    """An integer input (seeds) kept in the URL.

    Bound by hand rather than with ``bind=``: Streamlit 1.67 fails on a bound integer input
    whose link says ``?seed=inf`` (it converts the parsed float to int). A value in the link
    that is not a whole number in range is dropped, and the page reports it as ignored.
    """
    if register:
        register_widget(
            key, value, bound=False, label=label, span=_whole_span(min_value, max_value)
        )
    raw = st.query_params.get(key)
    # a link giving it several values is refused, not read as its last (?seed=1&seed=2 ran seed
    # 2 unsaid; audit pass 68 d)
    several = len(st.query_params.get_all(key)) > 1
    read = None if raw is None or several else _whole_in_range(raw, min_value, max_value)
    valid = read is not None
    if raw is not None and not valid:
        del st.query_params[key]
    if key not in st.session_state:  # first drawn in this session: the link decides
        st.session_state[key] = read if valid else value
    elif valid and _over_preset(key):  # a preset the link names set it: the link's value wins
        st.session_state[key] = read
    chosen = st.number_input(
        label, min_value=min_value, max_value=max_value, step=1, key=key, help=help
    )
    if chosen == value:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(chosen):
        st.query_params[key] = str(chosen)
    return chosen


def _whole_span(low, high) -> str:
    """A whole-number input's range as the notice about a refused link value names it: ?seed=-1
    and ?quiz_seed=3.5 said only "can't be -1", "can't be 3.5" (audit pass 68 d)."""
    return f"it takes whole numbers from {int(low)} to {int(high)}"


def url_slider(
    label: str,
    *,
    key: str,
    min_value,
    max_value,
    value,
    help: str,
    step=None,
    format: str | None = None,
):
    """A slider kept in the URL by hand rather than with ``bind=`` (ints or floats).

    For a slider whose range changes with other settings (a start point inside the chosen
    surface's window, a step within the race): Streamlit gives a slider a new identity when its
    range changes, and a bound slider then takes the link's value over the one the session set
    (a new surface's start, a new race's last step). Read from the link on the slider's first
    draw in the session, on the slider's ``step`` grid; a value that is not a number in range is
    dropped, and the page reports it as ignored. Register it with ``register_widget(key, value, bound=False)``.
    """
    cast = type(value)
    raw = st.query_params.get(key)
    if len(st.query_params.get_all(key)) > 1:  # several values: refused (see number)
        raw = None
        del st.query_params[key]
    if key not in st.session_state or _over_preset(key):  # the link decides (see number)
        parsed = _on_grid(_in_range(raw, cast, min_value, max_value), step)
        if raw is not None and parsed is None:
            del st.query_params[key]
        if parsed is not None or key not in st.session_state:  # else the preset's value stays
            st.session_state[key] = value if parsed is None else parsed
    elif not min_value <= st.session_state[key] <= max_value:
        st.session_state[key] = min(max(st.session_state[key], min_value), max_value)
    chosen = st.slider(
        label,
        min_value=min_value,
        max_value=max_value,
        step=step,
        format=format,
        key=key,
        help=help,
    )
    shown = link_text(chosen) if isinstance(chosen, float) else str(chosen)
    if chosen == value:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != shown:
        st.query_params[key] = shown
    return chosen


# Streamlit's step of a float slider given none
FLOAT_STEP = 0.01


def _on_grid(number, step):
    """A link's ``number`` on the slider's ``step`` grid (None passes through): the slider shows
    and sends back only grid values, so a link's ?y0=0.00001 ran a start off the stable line
    (GD "did not start on a stable line") while the slider showed "0.000"."""
    if number is None or not step or isinstance(number, int):
        return number
    return round(round(number / step) * step, 12) + 0.0  # never -0.0


def _in_range(text: str | None, cast, low, high):
    """``text`` as a ``cast`` number in [low, high], or None."""
    try:
        number = cast(float(text)) if cast is int and float(text).is_integer() else cast(text)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _number(text: str | None) -> float | None:
    """``text`` as a finite float, or None."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


_NUMBER_THEN_UNIT = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(\D*)")


def _same_label_number(text: str, label: str) -> bool:
    """Whether ``text`` and ``label`` (spaces removed) are one number, in any numeric form,
    followed by the same unit: "1.0%" and "0.50%" are the labels "1%" and "0.5%"."""
    ours, theirs = _NUMBER_THEN_UNIT.fullmatch(text), _NUMBER_THEN_UNIT.fullmatch(label)
    if ours is None or theirs is None or not theirs.group(2) or ours.group(2) != theirs.group(2):
        return False
    return _same_number(_number(ours.group(1)), float(theirs.group(1)))


def numbers_in(text: str) -> list[float] | None:
    """The numbers a link lists in ``text``: split by commas or spaces, brackets allowed, each
    in any numeric form ("8,32", "8, 32", "(8 32)", "[8.0,32]"); None if any part is not a
    number or there is none."""
    parts = [p for p in re.split(r"[,\s]+", str(text).strip().strip("()[]")) if p]
    numbers = [_number(p) for p in parts]
    return numbers if parts and all(n is not None for n in numbers) else None


def _option_spelled(options, fmt: Callable, text: str):
    """The option a link spells as ``text``: its label, the value itself, a number in any
    numeric form (``0.50`` or ``1`` for the keep probabilities 0.5 and 1.0, ``16.0`` for the
    batch slider's 16, ``32.0`` for the batch pill "32"), ``1``/``0`` or ``on``/``off`` for a flag, or, where no option is spelled so
    exactly, the one option that label or value names in another case (``true`` for a flag,
    ``Moons`` for "moons", ``Unlimited`` for "unlimited"), or whose label alone starts with
    those whole words (``√ rule`` for "√ rule η·√(B/32)"), else None."""
    number = _number(text)
    # Options labelled by numbers other than their values (the loss page's true class: value 0
    # labelled "1") are read by their labels only: ?cls=1 read as class 1 by its label and ?cls=0
    # as class 1 by its value, two links for one class and a value reading no label agrees with
    # (audit pass 57 e); so ?cls=2.0 is class 2, not the option whose value is 2 (57 b)
    by_label = any(
        not isinstance(o, bool)
        and _number(fmt(o)) is not None
        and not _same_number(_number(fmt(o)), o)
        for o in options
    )
    exact = [
        o
        for o in options
        if text == fmt(o)
        or (not by_label and text == str(o))
        or (not isinstance(o, bool) and _same_number(number, fmt(o) if by_label else o))
        # a flag as 1 or 0, as links commonly spell it (?bn=1 and ?clip=0 were refused; pass 54 e),
        # or on/off as a switch names its states (?scale=off was refused; pass 56 a)
        or (isinstance(o, bool) and FLAG_WORDS.get(text.strip().casefold()) == o)
    ]
    if exact:
        return exact[0]
    # in another case: ?outliers=true said "“Outliers” can't be true" where ?outliers=True and
    # the toggles' ?causal=true run (audit pass 52 a); ?data=Moons, ?deep=Unlimited (52 e, f, g, h)
    folded = [
        o
        for o in options
        if text.casefold() in (fmt(o).casefold(), *(() if by_label else (str(o).casefold(),)))
    ]
    if len(folded) == 1:
        return folded[0]
    # a label's leading words, the name before its formula: ?scale=√ rule for the radio's
    # "√ rule η·√(B/32)" was refused as "can't be √ rule" (audit pass 58 b); whole words only
    # ("moon" is no option of "moons"), and only where they start one label
    words = text.strip().casefold()
    leading = [o for o in options if words and fmt(o).casefold().startswith(words + " ")]
    return leading[0] if len(leading) == 1 and not folded else None


def _same_number(number: float | None, option) -> bool:
    """Whether a link's ``number`` is ``option`` (to float64's round-off of a decimal spelling)."""
    try:
        value = float(option)
    except (TypeError, ValueError):
        return False
    return number is not None and abs(number - value) <= 1e-12 * max(abs(value), 1e-300)


# Session key: the widget keys a preset named in this run's link has just set (Panel._presets);
# the controls that read their link by hand on their first draw read it over those too
OVER_PRESET = "_lab_link_over_preset"


def _over_preset(key: str) -> bool:
    """Whether the widget ``key`` holds a value the preset named in this run's link just set,
    which the link's own value for it replaces (?preset=mae&seed=5 said "“Seed” can't be 5" and
    ran the preset's seed 0; ?preset=…&x0=1 "“Start x” can't be 1"; audit pass 53 b)."""
    return key in st.session_state.get(OVER_PRESET, ())


def _whole_in_range(text: str, low: int, high: int) -> int | None:
    """The whole number a link's ``text`` names in any numeric form ("3", "3.0", "1e1", "+3")
    within [low, high], else None: ?seed=3.0 was refused as "“Seed” can't be 3.0" beside a seed
    box offering 3, while ?seed=0.0 was read as the default 0 (audit pass 53 b)."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number) if low <= number <= high else None


def slug(name: str) -> str:
    """The URL form of a preset name: ``SGD's noise floor`` -> ``sgds-noise-floor``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def label_of(labels: Mapping | Callable | None, value) -> str:
    """A value's label: ``labels`` maps or computes it; without labels, the value itself."""
    if labels is None:
        return str(value)
    return labels(value) if callable(labels) else labels[value]


@dataclasses.dataclass(frozen=True)
class Control(abc.ABC):
    """One sidebar control: the Config ``field`` it sets, shown as ``label``, kept in the URL as
    ``key`` (the field's name unless given: older links keep their short keys).

    ``when``, if given, is called with the values of the controls drawn above it ({field:
    value}); the control is drawn only when it returns True, and otherwise its field keeps its
    default (the loss lesson's three probability sliders show only in probability mode).
    """

    field: str
    label: str
    help: str
    key: str = ""
    when: Callable[[Mapping[str, object]], bool] | None = None

    @property
    def url_key(self) -> str:
        return self.key or self.field

    @abc.abstractmethod
    def draw(self, param: Param, default):
        """Draw the widget in the sidebar; returns the Config value it shows."""

    def to_widget(self, param: Param, value):
        """The widget value that shows the Config value ``value``."""
        return value

    def shown(self, param: Param, value):
        """How a link spells ``value`` (None: compare by value)."""
        return None

    def span(self, param: Param) -> str | None:
        """The control's range as the notice about a refused link value names it ("from −5 to
        5"), or None where it has none to name."""
        return None


@dataclasses.dataclass(frozen=True)
class Slider(Control):
    """A slider over the field's [low, high] (``high`` narrows it where the page must).

    ``bounds`` gives the range from the values of the fields drawn before it, where the range
    depends on them (a start point inside the chosen surface's window; the Config checks it).
    Such a slider keeps its URL parameter by hand (:func:`url_slider`).
    """

    step: float | None = None
    format: str | None = None
    high: float | None = None
    bounds: Callable[[dict], tuple[float, float]] | None = None

    def on_grid(self, param, value):
        """``value`` on the slider's step grid: what the slider shows and sends back (a float
        slider without a step steps by Streamlit's 0.01)."""
        step = self.step if self.step is not None else param.step
        if param.kind == "integer":
            # on the integer grid from the least value (?draws=150 ran 150 draws under a slider
            # stepping 100, 200, …; audit pass 57 e)
            if not step or step == 1:
                return value
            low, high, step = int(param.low), int(param.high), int(step)
            return min(high, low + round((value - low) / step) * step)
        return _on_grid(value, FLOAT_STEP if step is None else step)

    def span(self, param):
        # ?yp=9 said only "“Prediction ŷ (y_pred)” can't be 9", not what it can be (pass 65 d)
        high = param.high if self.high is None else self.high
        return f"from {minus(num(param.low, 6))} to {minus(num(high, 6))}"

    def draw(self, param, default):
        integer = param.kind == "integer"
        cast = int if integer else float
        step = self.step if self.step is not None else param.step
        if self.bounds is not None:  # a range that follows other fields: see url_slider
            return url_slider(
                self.label,
                key=self.url_key,
                min_value=cast(param.low),
                max_value=cast(param.high),
                value=cast(default),
                step=None if step is None else cast(step),
                format=self.format,
                help=self.help,
            )
        return st.slider(
            self.label,
            min_value=cast(param.low),
            max_value=cast(param.high if self.high is None else self.high),
            value=cast(default),
            step=None if step is None else cast(step),
            format=self.format,
            key=self.url_key,
            help=self.help,
            bind=BIND,
        )


@dataclasses.dataclass(frozen=True)
class LogSlider(Control):
    """A select slider over round, log-spaced values of the field (its grid, or 1-1.5-2-3-5-7)."""

    fmt: Callable[[float], str] = "{:g}".format

    def options(self, param) -> list[float]:
        return list(param.grid) if param.grid else log_options(param.low, param.high)

    def to_widget(self, param, value):
        return nearest(self.options(param), value)

    def shown(self, param, value):
        return self.fmt(self.to_widget(param, value))

    def span(self, param):
        options = self.options(param)
        return f"from {minus(self.fmt(options[0]))} to {minus(self.fmt(options[-1]))}"

    def spellings(self, param) -> list[str]:
        """How the widget spells each option in a link: the one form Streamlit's binding reads."""
        return [self.fmt(o) for o in self.options(param)]

    def parse(self, param, text: str):
        """The option a link spells as ``text`` in any numeric form (``1e-5`` for the slider's
        "1e-05", ``0.30`` for its "0.3"), else None: a link's value off the options is not
        moved onto one."""
        number = _number(text)
        bare = text.replace(" ", "")
        return next(
            (
                o
                for o in self.options(param)
                # or its label without spaces: imbalance's ?prev=1% for the slider's "1 %"
                # was refused as "can't be 1%" (audit pass 52 g), its number in any numeric
                # form too (?prev=1.0% was refused beside the slider's "1 %"; audit pass 54 h)
                if _same_number(number, o)
                or bare == self.fmt(o).replace(" ", "")
                or _same_label_number(bare, self.fmt(o).replace(" ", ""))
            ),
            None,
        )

    def snap(self, param, text: str):
        """The option nearest (on the log scale) to a number ``text`` spells between the
        least and the most option, else None: a continuous quantity on a log grid, whose link
        value between two options runs the nearest as a linear slider's runs its nearest step
        (?lr=0.123 was refused and ran the default 0.01 where 0.1 is an option; audit pass 60
        e). A value outside the options' range is refused, as a linear slider's is."""
        number = _number(text)
        options = self.options(param)
        if number is None or not options[0] * (1 - 1e-9) <= number <= options[-1] * (1 + 1e-9):
            return None
        return nearest(options, number)

    def draw(self, param, default):
        return st.select_slider(
            self.label,
            options=self.options(param),
            value=self.to_widget(param, default),
            format_func=self.fmt,
            key=self.url_key,
            help=self.help,
            bind=BIND,
        )


def _offered_text(spellings) -> str:
    """Options as the notice about a refused link value names them (:meth:`Choice.offered`)."""
    shown = [minus(s) for s in spellings]
    if len(shown) > 12:
        shown = [*shown[:5], "…", *shown[-5:]]
    if any("," in t for t in shown):
        # options that are lists themselves, each quoted: activations' three groups read as
        # one list of 12 names, "ReLU" and "ELU" twice (?group=ReLU family; audit pass 70 a)
        return ", ".join(f"“{t}”" for t in shown)
    return ", ".join(shown)


@dataclasses.dataclass(frozen=True)
class Choice(Control):
    """One of the field's choices (or its grid of integers), as a select box, radio or slider.

    ``labels`` maps a value to its label (labels belong to ui; the Config holds registry keys).
    """

    labels: Mapping | Callable | None = None
    widget: str = "select"  # "select", "radio" or "slider"
    # Fields that follow this one (a surface sets its start point and tuned rates): given every
    # field's value, this one's new value included, the values the others take when it changes,
    # or when a link names it without them.
    sets: Callable[[dict], Mapping] | None = None

    def fmt(self, value) -> str:
        return label_of(self.labels, value)

    def shown(self, param, value):
        return self.fmt(value)

    def parse(self, param, text: str):
        """The choice a link spells as ``text`` (:func:`_option_spelled`), else None."""
        return _option_spelled(param.grid, self.fmt, text)

    def spellings(self, param) -> list[str]:
        """How the widget spells each choice in a link: the one form Streamlit's binding reads."""
        return [self.fmt(o) for o in param.grid]

    def offered(self, param) -> str:
        """The choices as the notice about a refused link value names them: ?batch=20 on a grid
        slider said only "can't be 20" where a slider names its range (audit pass 67 h)."""
        # as the widget spells them (spellings): ?bn=maybe on vanishing gradients (an on/off
        # radio) and ?widths=8,8 on network depth (grids of widths) named none (audit pass 70 g)
        try:
            return _offered_text(self.spellings(param))
        except TypeError:
            return ""

    def draw(self, param, default, on_change=None):
        options = list(param.grid)
        common = dict(format_func=self.fmt, key=self.url_key, help=self.help, bind=BIND)
        if on_change is not None:
            common["on_change"] = on_change
        if self.widget == "slider":
            return st.select_slider(self.label, options=options, value=default, **common)
        index = options.index(default)
        if self.widget == "radio":
            return st.radio(self.label, options, index=index, horizontal=True, **common)
        return st.selectbox(self.label, options, index=index, **common)


@dataclasses.dataclass(frozen=True)
class Seed(Control):
    """The seed: a whole-number input kept in the URL (see :func:`number`)."""

    def draw(self, param, default):
        return number(
            self.label,
            key=self.url_key,
            min_value=int(param.low),
            max_value=int(param.high),
            value=default,
            help=self.help,
            register=False,
        )


@dataclasses.dataclass(frozen=True)
class Toggle(Control):
    """An on/off switch for a flag field."""

    def fmt(self, value) -> str:
        return "true" if value else "false"

    def spellings(self, param) -> list[str]:
        """How Streamlit's binding spells the switch in a link."""
        return ["true", "false"]

    def shown(self, param, value):
        """How a link spells ``value``: the binding drops a link's default ("?causal=false") from
        the URL, which compared by value ("False") read as refused: "“Causal mask” can't be
        false" for the page's own default (audit pass 59 a)."""
        return self.fmt(value)

    def offered(self, param) -> str:
        """The switch's states as the notice about a refused link value names them: ?causal=maybe
        on attention said only "can't be maybe", where a choice names its options (pass 71 e)."""
        return _offered_text(self.spellings(param))

    def parse(self, param, text: str):
        """The flag a link spells as ``text``: true/false in any case, or 1/0 (?causal=1 was
        refused as "“Causal mask” can't be 1" and ran without the mask; audit pass 55), else
        None; on/off too, as the switch and its help name its states (?scale=off was refused
        as "“Divide the scores by √d_head” can't be off" under a help "Off: softmax(QKᵀ)";
        audit pass 56 a)."""
        return _option_spelled((False, True), self.fmt, text.strip())

    def draw(self, param, default):
        return st.toggle(self.label, value=default, key=self.url_key, help=self.help, bind=BIND)


@dataclasses.dataclass(frozen=True)
class Multi(Control):
    """Several of a subset field's choices, as pills (the Config keeps them in declared order)."""

    labels: Mapping | Callable | None = None

    def fmt(self, value) -> str:
        return label_of(self.labels, value)

    def to_widget(self, param, value):
        return list(value)

    def shown(self, param, value):
        return [self.fmt(v) for v in value]

    def parse(self, param, text: str):
        """The choice a link spells as ``text`` (as :meth:`Choice.parse`), else None."""
        return _option_spelled(param.grid, self.fmt, text)

    def offered(self, param) -> str:
        """The pills' options as the notice about a refused link value names them: ?bs=20 on
        batch size said only "can't be 20", where a choice names its options (pass 71 e)."""
        return _offered_text([self.fmt(o) for o in param.grid])

    def draw(self, param, default):
        chosen = st.pills(
            self.label,
            list(param.grid),
            selection_mode="multi",
            default=list(default),
            format_func=self.fmt,
            key=self.url_key,
            help=self.help,
            bind=BIND,
        )
        return tuple(v for v in param.grid if v in (chosen or ()))


@dataclasses.dataclass(frozen=True)
class Text(Control):
    """A line of text (a typed formula): parsed by core, never executed."""

    def draw(self, param, default):
        return st.text_input(
            self.label,
            value=default,
            max_chars=int(param.high),
            key=self.url_key,
            help=self.help,
            bind=BIND,
        )


@dataclasses.dataclass(frozen=True)
class Upload:
    """'Your own data (CSV)': an uploaded dataset the run may use instead of the bundled one.

    Not a Config field (files are not part of links); drawn in its group after the seed, whose
    value splits the uploaded rows. The Dataset (or None) is ``panel.data`` after ``draw``.
    ``idle``: the fields whose controls have no effect while a file is loaded (named on the page
    by :meth:`Panel.show_data`). ``priced_apart``: the run prices and caps the file on its own
    (the experiment's ``prepare_data``), so while a file is loaded the Config's work-budget check
    is taken with the idle controls at their cheapest (:meth:`Panel.build`): it prices the
    bundled data they choose, which the run does not use.
    """

    task: str = "classification"
    validate: Callable | None = None
    idle: tuple[str, ...] = ()
    priced_apart: bool = False
    min_rows: int = 20  # the page's fewest usable rows (core.upload.dataset_from_frame)


@dataclasses.dataclass(frozen=True)
class View:
    """A control of how the page shows its result, not of the run (no Config field): an axis,
    a step, an item to inspect. Declared in the Panel with the others, drawn where the page
    calls ``panel.view(key)``."""

    key: str
    label: str
    help: str
    options: tuple
    default: object = None
    labels: Mapping | Callable | None = None
    widget: str = "radio"  # "radio", "select" or "slider"

    @property
    def initial(self):
        return self.options[0] if self.default is None else self.default

    def fmt(self, value) -> str:
        return label_of(self.labels, value)

    def parse(self, text: str):
        """The option a link spells as ``text`` (as :meth:`Choice.parse`), else None."""
        return _option_spelled(self.options, self.fmt, text)

    def draw(self, among: Collection | None = None, note: str = ""):
        """Draw it; ``among``: only the options this run can show (the declared order kept);
        ``note``: a sentence added to the help (what decides which options there are)."""
        options = [o for o in self.options if among is None or o in among]
        asked = self._asked_apart(options)
        if self.key in st.session_state and st.session_state[self.key] not in options:
            # a link's respelled option this run does not show: the first shown, as the
            # widget does with a label it cannot show
            del st.session_state[self.key]
        tip = f"{self.help} {note}" if note else self.help
        common = dict(format_func=self.fmt, key=self.key, help=tip, bind=BIND)
        initial = self.initial if self.initial in options else options[0]
        if self.widget == "slider":
            value = st.select_slider(self.label, options=options, value=initial, **common)
        elif self.widget == "select":
            value = st.selectbox(self.label, options, index=options.index(initial), **common)
        else:
            value = st.radio(
                self.label, options, index=options.index(initial), horizontal=True, **common
            )
        if asked is not None:
            # an option the control offers but this run does not show was shown silently as
            # another: dropout's ?inspect=0.35 without q = 0.35 trained inspected q = 0.5 with
            # no word (audit pass 57 d)
            st.warning(
                f"**This link asked for “{self.label}” {self.fmt(asked)}**, which this run does "
                f"not offer, so it shows {self.fmt(value)}." + (f" {note}" if note else ""),
                icon=":material/link_off:",
            )
        return value

    def _asked_apart(self, options: Sequence):
        """The option this run's link names (in any spelling :meth:`parse` reads) when it is
        one of the declared options but not among ``options``, else None."""
        raw = st.query_params.get(self.key)
        if raw is None:
            return None
        spelled = {self.fmt(o): o for o in self.options}
        asked = spelled[raw] if raw in spelled else self.parse(raw)
        return asked if asked is not None and asked not in options else None


@dataclasses.dataclass(frozen=True)
class Group:
    """Controls drawn under one sidebar subheader."""

    title: str
    controls: tuple[Control | Upload, ...]
    folded: bool = False  # drawn in a closed expander (a long group of rarely changed settings)

    def __init__(self, title: str, *controls: Control | Upload, folded: bool = False):
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "controls", controls)
        object.__setattr__(self, "folded", folded)


def two_d_data(
    *,
    dataset: str,
    points: Slider,
    noise: str,
    seed: str,
    validate: Callable,
    dataset_label: str = "Dataset",
    noise_label: str = "Noise",
    labels: Mapping | Callable | None = None,
    priced_apart: bool = False,
    min_rows: int = 20,
) -> Group:
    """The 'Data' group of a lesson trained on a 2-D two-class set (``core.data``): the set
    (``?data=``), ``points`` (how many; each lesson names its own field), the noise
    (``?noise=``), the seed and 'Your own data (CSV)', whose file idles the set, the points and
    the noise. The help texts are the lesson's: what each setting means for its run.
    ``priced_apart``, ``min_rows``: see :class:`Upload`."""
    return Group(
        "Data",
        Choice("dataset", dataset_label, dataset, key="data", labels=labels),
        points,
        Slider("noise", noise_label, noise, key="noise"),
        Seed("seed", "Seed", seed),
        Upload(
            "classification",
            validate=validate,
            idle=("dataset", points.field, "noise"),
            priced_apart=priced_apart,
            min_rows=min_rows,
        ),
    )


PRESET_STATE = "_lab_preset"
# Slider values a link gave off the sliders' grids, put on them at the next run (see Panel.draw)
SNAP_STATE = "_lab_snap"


def _refusal_span(control, param, values: dict) -> str | None:
    """The range the notice about a refused link value names beside it: a slider whose range
    follows other settings (``bounds``) at those settings ("with this link's other settings its
    slider runs from −2 to 2": ?surface=quadratic_saddle&x0=4.5 said only "“Start x” can't be
    4.5", a start the Himmelblau surface takes; audit pass 65 g), any other control's
    :meth:`Control.span` ("its slider runs from −5 to 5"), or None where there is none."""
    if getattr(control, "bounds", None) is not None:
        low, high = control.bounds(values)
        return (
            f"with this link's other settings its slider runs from {minus(num(low, 6))} "
            f"to {minus(num(high, 6))}"
        )
    if isinstance(control, Seed):
        # ?seed=-1 said only "“Seed” can't be -1" (audit pass 68 d)
        return _whole_span(param.low, param.high)
    if isinstance(control, Choice | Multi | Toggle) and control.offered(param):
        slider = getattr(control, "widget", None) == "slider"
        return f"{'its slider' if slider else 'it'} offers {control.offered(param)}"
    span = control.span(param)
    return f"its slider runs {span}" if span else None


class Panel:
    """A lesson's sidebar, declared once: presets, then groups of controls bound to one Config."""

    def __init__(
        self,
        config_class,
        *groups: Group,
        presets: Mapping | None = None,
        views: Sequence[View] = (),
    ):
        self.config_class = config_class
        self.groups = groups
        self.presets = dict(presets or {})
        self.views = {v.key: v for v in views}
        self.controls = [c for g in groups for c in g.controls if isinstance(c, Control)]
        self.uploads = [c for g in groups for c in g.controls if isinstance(c, Upload)]
        self.data = None
        self.params = {c.field: param_of(config_class, c.field) for c in self.controls}
        missing = [f for f, p in self.params.items() if p is None]
        if missing:
            raise ValueError(f"{config_class.__name__} declares no domain for {missing}")
        keys = [c.url_key for c in self.controls] + list(self.views)
        if len(set(keys)) != len(keys):
            raise ValueError(f"two controls share a URL key in {keys}")

    # ---- values -------------------------------------------------------------------------------
    def widget_values(self, config) -> dict[str, object]:
        """URL key -> widget value for every control, showing ``config``."""
        return {
            c.url_key: c.to_widget(self.params[c.field], getattr(config, c.field))
            for c in self.controls
        }

    def label(self, field: str) -> str:
        return next((c.label for c in self.controls if c.field == field), field)

    def explain(self, message: str) -> str:
        """A refusal from core, with each quoted field name turned into its sidebar label."""
        for c in self.controls:
            message = message.replace(f"'{c.field}'", f"'{c.label}'")
        return message

    # ---- presets ------------------------------------------------------------------------------
    def _apply(self, name: str | None) -> None:
        config = self.config_class() if name is None else self.presets[name].config
        st.session_state.update(self.widget_values(config))
        st.session_state.update({key: view.initial for key, view in self.views.items()})
        st.session_state[PRESET_STATE] = name

    def _presets(self) -> None:
        requested = st.query_params.get("preset")
        if requested and st.session_state.get("_lab_preset_from_url") != requested:
            st.session_state["_lab_preset_from_url"] = requested
            # by its slug or by its name as the button shows it (Home: "?preset=<name>"; audit
            # pass 50 g: ?preset=Balanced%20classes said "it has no preset “Balanced classes”")
            match = next((n for n in self.presets if slug(n) == slug(requested)), None)
            if match is not None:
                self._apply(match)
                # the preset's values are not the learner's: a link's other values still take
                # precedence over them, in any spelling (:meth:`_drawn`)
                st.session_state[OVER_PRESET] = set(
                    self.widget_values(self.presets[match].config)
                ) | set(self.views)
                self._link_defaults()
            else:
                st.session_state["_lab_unknown_preset"] = requested
                # ?preset=foo said only "it has no preset “foo”" (audit pass 71 e)
                st.session_state["_lab_preset_names"] = _offered_text(self.presets)
        st.sidebar.subheader("Presets")
        for name, preset in self.presets.items():
            st.sidebar.button(
                name,
                help=preset.hint,
                on_click=self._apply,
                args=(name,),
                key=f"preset_{slug(name)}",
                width="stretch",
            )

    def _link_defaults(self) -> None:
        """A link's value that is its control's default, beside a preset in the same link, is
        the widget's value. Streamlit's binding drops a default from the URL without seeding
        the widget, which kept the value the preset had just set: ?preset=saturated-start-z-8&z0=-6
        ran z₀ = −8 under the preset's hint, and ?preset=textbook-0-7-0-2-0-1&mode=logits stayed
        in probability mode, while &z0=-5 was read (audit pass 54 h). Controls that read their
        link by hand (the seed, range-following sliders) and pills are read over the preset
        already (:func:`_over_preset`)."""
        defaults = self.config_class()
        for c in self.controls:
            raw = st.query_params.get(c.url_key)
            if raw is None or not isinstance(c, (Slider, LogSlider, Choice, Toggle)):
                continue
            if isinstance(c, Slider) and c.bounds is not None:
                continue
            param = self.params[c.field]
            default = c.to_widget(param, getattr(defaults, c.field))
            if isinstance(c, Toggle):
                same = c.parse(param, raw) == default
            elif isinstance(c, Slider):
                same = _same_number(_number(raw), default)
            else:
                same = c.parse(param, raw) == default
            if same:
                st.session_state[c.url_key] = default

    # ---- controls that set others -------------------------------------------------------------
    def _current(self) -> dict:
        """Every field's value as the widgets hold it now (the default where none is drawn yet)."""
        defaults = self.config_class()
        return {
            c.field: st.session_state.get(c.url_key, getattr(defaults, c.field))
            for c in self.controls
        }

    def _set(self, values: Mapping, keep=()) -> None:
        """Give fields new values through their widgets' session state (before they are drawn);
        fields whose URL key is in ``keep`` stay as they are."""
        for c in self.controls:
            if c.field in values and c.url_key not in keep:
                st.session_state[c.url_key] = c.to_widget(self.params[c.field], values[c.field])

    def _follow(self, control) -> None:
        """on_change of a control that ``sets`` others."""
        with contextlib.suppress(ValueError):  # a value the others can't take: leave them
            self._set(control.sets(self._current()), keep=(control.url_key,))

    def _drawn(self, key: str) -> bool:
        """Whether the widget ``key`` already holds a value of this session that a link's value
        must not replace: one the learner or an earlier run gave it, not one the preset this
        run's link names has just set (?preset=near-a-kink&h=0.1 read "“Finite-difference step h
        (log scale)” can't be 0.1" and ran the preset's h = 1e-05, while ?h=0.1 alone and
        ?preset=near-a-kink&yp=0.1 are read; audit pass 53 b)."""
        return key in st.session_state and not _over_preset(key)

    def _spell_links(self) -> None:
        """A link's value that is one of a select widget's options in another spelling
        (?h=1e-5 for the slider's "1e-05", ?lr=0.30 for "0.3", ?schedule=inverse_time for its
        label) is rewritten to the spelling the widget's binding reads. Streamlit's binding
        matches the formatted option only, so the page ran its default and said "“Finite-
        difference step h (log scale)” can't be 1e-5", where 1e-5 was that default (audit pass
        51 b)."""
        for c in self.controls:
            spellings = getattr(c, "spellings", None)
            raw = st.query_params.get(c.url_key)
            # several values for one control are refused, not read as the last (?lr=1&lr=0.30
            # and ?xaxis=update&xaxis=epoch ran the last unsaid; audit pass 68 d)
            several = len(st.query_params.get_all(c.url_key)) > 1
            if spellings is None or raw is None or several or self._drawn(c.url_key):
                continue
            param = self.params[c.field]
            if raw in spellings(param):
                continue
            value = c.parse(param, raw)
            if value is None and (snap := getattr(c, "snap", None)) is not None:
                value = snap(param, raw)
                if value is not None:  # between two options: said as a slider's step is
                    st.session_state.setdefault(SNAPPED_LINKS, {})[c.url_key] = (raw, c.fmt(value))
            if value is not None:
                # the binding drops a spelling it does not read: the widget takes the option
                # through its state, and the run is told the link asked for it
                st.session_state[c.url_key] = value
                register_respelled(c.url_key, c.fmt(value))
        self._spell_multi_and_view_links()

    def _spell_multi_and_view_links(self) -> None:
        """:meth:`_spell_links` for pills (every value of the link's key) and views: dropout's
        ?q=0.50 and ?q=1 were refused as "“Keep probabilities q to train” can't be 0.50" and
        ?inspect=0.5 as "“Inspect the run with” can't be 0.5" beside the pills and the radio
        offering q = 0.5 and q = 1.0 (audit pass 52 g)."""
        for c in self.controls:
            if not isinstance(c, Multi) or self._drawn(c.url_key):
                continue
            raw = st.query_params.get_all(c.url_key)
            param = self.params[c.field]
            if not raw or set(raw) <= {c.fmt(o) for o in param.grid}:
                continue
            values = [c.parse(param, text) for text in raw]
            if None not in values:
                chosen = [o for o in param.grid if o in values]
                st.session_state[c.url_key] = chosen
                register_respelled(c.url_key, [c.fmt(o) for o in chosen])
        for view in self.views.values():
            raw = st.query_params.get(view.key)
            several = len(st.query_params.get_all(view.key)) > 1  # refused (see _spell_links)
            if raw is None or several or self._drawn(view.key):
                continue
            if raw in [view.fmt(o) for o in view.options]:
                continue
            value = view.parse(raw)
            if value is not None:
                st.session_state[view.key] = value
                register_respelled(view.key, view.fmt(value))

    def _follow_link(self) -> None:
        """A link that names a control that ``sets`` others, on the session's first draw of it,
        gives the others it does not name the values that control asks for. It runs before
        :meth:`_spell_links`, which marks a respelled control as drawn: ``?model=mlp`` gets the
        MLP's lighter sets, folds and curve sizes as ``?model=MLP (one tanh layer)`` does (audit
        pass 51 h)."""
        for c in self.controls:
            raw = st.query_params.get(c.url_key)
            if getattr(c, "sets", None) is None or raw is None or c.url_key in st.session_state:
                continue
            value = c.parse(self.params[c.field], raw)
            if value is None:
                continue
            # the link's own values of the fields it names, not their defaults: ?surface=
            # ill_conditioned_bowl&kappa=100 got the rates tuned for κ = 10, which diverge at
            # κ = 100, where the sidebar's surface choice at κ = 100 sets ones that suit it
            # (audit pass 57 c)
            values = {**self._current(), **self._link_values(), c.field: value}
            with contextlib.suppress(ValueError):
                self._set(c.sets(values), keep=(c.url_key, *st.query_params))

    def _link_values(self) -> dict:
        """The values this run's link gives the controls that read one (:meth:`Control.parse`),
        by field; a value a control cannot read is left out, and pills (several values) too."""
        out = {}
        for c in self.controls:
            raw, parse = st.query_params.get(c.url_key), getattr(c, "parse", None)
            if (
                raw is None
                or parse is None
                or isinstance(c, Multi)
                or c.url_key in st.session_state
            ):
                continue
            value = parse(self.params[c.field], raw)
            if value is not None:
                out[c.field] = value
        return out

    def preset_hint(self, config) -> None:
        """The active preset's hint, while the settings are still that preset's. A preset
        describes the lesson's own data: with an uploaded file in use the hint says so, since
        the run on the file need not show what it describes. A page with state of its own that
        the preset does not set (backpropagation's weights, reached by its buttons) draws with
        ``draw(hint=False)`` and calls this with that state in ``config``: a preset's Config
        then matches only at the start the preset describes."""
        name = st.session_state.get(PRESET_STATE)
        if name in self.presets and self.presets[name].config == config:
            label = (
                f"**{name}:**"
                if self.data is None
                else f"**{name}** (on the lesson's own data, not your file):"
            )
            st.sidebar.info(f"{label} {self.presets[name].hint}", icon=":material/visibility:")

    # ---- drawing ------------------------------------------------------------------------------
    def draw(self, *, hint: bool = True):
        """Draw the sidebar and return the validated Config; on a refusal say why and stop.
        ``hint``: show the active preset's hint (:meth:`preset_hint`) for this Config."""
        defaults = self.config_class()
        st.session_state.update(st.session_state.pop(SNAP_STATE, {}))
        st.session_state.pop(OVER_PRESET, None)  # set again only by a preset this run's link names
        if self.presets:
            self._presets()
        self._follow_link()
        self._spell_links()
        values = {}
        with st.sidebar:
            for group in self.groups:
                if group.folded:
                    box = st.expander(group.title, icon=":material/tune:")
                else:
                    st.subheader(group.title)
                    box = contextlib.nullcontext()
                with box:
                    for control in group.controls:
                        self._draw(control, defaults, values)
        for view in self.views.values():
            register_widget(
                view.key,
                view.initial,
                view.fmt(view.initial),
                label=view.label,
                offered=[view.fmt(option) for option in view.options],
                # ?xaxis=foo said only "“Compare against” can't be foo" (audit pass 71 e)
                span=f"it offers {_offered_text([view.fmt(o) for o in view.options])}",
            )
        self._snap(values)
        sidebar_tools()
        link_notice()
        config = self.build(values)
        if hint:
            self.preset_hint(config)
        return config

    def _draw(self, control, defaults, values: dict) -> None:
        if isinstance(control, Upload):
            self.data = user_dataset(
                f"{current_page()}_own",
                task=control.task,
                seed=int(values.get("seed", 0)),
                validate=control.validate,
                min_rows=control.min_rows,
            )
            return
        if control.when is not None and not control.when(values):
            register_hidden(control.url_key)  # a setting of this page, hidden at these settings
            return
        param = self.params[control.field]
        default = control.to_widget(param, getattr(defaults, control.field))
        if getattr(control, "bounds", None) is not None:
            low, high = control.bounds(values)
            param = dataclasses.replace(param, low=low, high=high)
            default = min(max(default, low), high)
        register_widget(
            control.url_key,
            default,
            control.shown(param, default),
            bound=not (isinstance(control, Seed) or getattr(control, "bounds", None)),
            label=control.label,
            span=_refusal_span(control, param, values),
        )
        if getattr(control, "sets", None) is not None:
            values[control.field] = control.draw(
                param, default, on_change=lambda: self._follow(control)
            )
        else:
            values[control.field] = control.draw(param, default)

    def _snap(self, values: dict) -> None:
        """Put a link's slider values that lie off the sliders' grids on them, then run again.

        A bound slider takes a link's value as it is and shows it rounded to its grid, so
        ?t=1.3907 ran t = 1.3907 (and the sentences printed it) under a slider showing "1.39"
        (audit pass 45 a). The link's value wins over session state on the slider's first draw,
        so the grid's value is set at the next run, before the slider is drawn."""
        off, links = {}, {}
        for c in self.controls:
            if isinstance(c, Slider) and c.bounds is None and c.field in values:
                param = self.params[c.field]
                snapped = c.on_grid(param, values[c.field])
                whole = self._link_whole(c, param)
                if whole is not None:
                    # the binding truncates an integer slider's ?n=2.9 to 2, unsaid (audit 58 h)
                    links[c.url_key] = (link_values(c.url_key)[0], link_text(whole))
                    snapped = whole
                if snapped != values[c.field]:
                    off[c.url_key] = snapped
                    if c.url_key in st.query_params and c.url_key not in links:
                        links[c.url_key] = (st.query_params[c.url_key], link_text(snapped))
        if links:
            st.session_state.setdefault(SNAPPED_LINKS, {}).update(links)
        if off:
            st.session_state[SNAP_STATE] = off
            keep_link_for_rerun()
            st.rerun()

    def _link_whole(self, control, param) -> int | None:
        """An integer slider's value from a link that spells a number between two whole ones
        (?n=2.9): the nearest step, which the page runs (Streamlit's binding truncates it to
        2); else None. Only a link spells one: the slider writes whole numbers."""
        if param.kind != "integer":
            return None
        raw = link_values(control.url_key)
        number = _number(raw[0]) if len(raw) == 1 else None
        if number is None or number.is_integer() or not param.low <= number <= param.high:
            return None
        return control.on_grid(param, round(number))

    def build(self, values: dict):
        """The Config of these field values, or the refusal in the sidebar's words and a stop.

        While a file is loaded on a page whose run prices it apart (:class:`Upload`), a refusal
        is checked again with the idle controls at their cheapest, and that Config is used (the
        run ignores them): "would take about 11 s … Lower … 'Points (2-D sets)'" priced the
        trees page's 2,000 idle 2-D points beside a 300-row file whose run was estimated at
        9.6 s (audit pass 51)."""
        try:
            return self.config_class(**values)
        except ValueError as err:
            refusal = err
        cheap = self._idle_at_cheapest(values)
        if cheap is not None:
            try:
                return self.config_class(**cheap)
            except ValueError as err:
                refusal = err
        message = plain(self.explain(str(refusal)))
        st.error(f"These settings can't run: {message}", icon=":material/error:")
        self._point_at(refusal, values)
        st.stop()

    def _idle_at_cheapest(self, values: dict) -> dict | None:
        """``values`` with the idle fields of a loaded, separately priced file at their cheapest
        (a number at the least its control offers, a choice at the Config's default), or None
        (no such file, or nothing to change)."""
        if self.data is None:
            return None
        idle = {f for u in self.uploads if u.priced_apart for f in u.idle}
        defaults = self.config_class()
        cheap = dict(values)
        for field in idle & set(values):
            param = self.params.get(field)
            if param is not None and param.kind in ("integer", "number"):
                cheap[field] = param.least
            else:
                cheap[field] = getattr(defaults, field)
        return cheap if cheap != values else None

    def _point_at(self, err: ValueError, values: dict) -> None:
        """A refusal that points at a column of the typed text (an ExpressionError of
        core.expression): the text as typed, with a caret under that column."""
        column = getattr(err, "column", None)
        typed = [values.get(c.field) for c in self.controls if isinstance(c, Text)]
        if isinstance(column, int) and len(typed) == 1 and isinstance(typed[0], str):
            st.code(f"{typed[0]}\n{' ' * (column - 1)}^", language=None)

    def view(self, key: str, among: Collection | None = None, note: str = ""):
        """Draw the declared view control ``key`` here and return its value (``among`` and
        ``note``: see :meth:`View.draw`)."""
        return self.views[key].draw(among, note)

    def show_data(
        self, config, prepare: Callable, *, replaces: str = "the 2-D set chosen in the sidebar"
    ) -> None:
        """With a file loaded, say on the page that the run uses it, what it ``replaces`` and
        which controls are idle (the upload's ``idle`` fields), with the notes of ``prepare(config,
        data)`` (the experiment's ``prepare_data``); its refusal, in the sidebar's words, stops
        the page (:func:`ui.upload.show_data_in_use`). Without a file, nothing."""
        if self.data is None:
            return

        def prepared():
            try:
                return prepare(config, self.data)
            except ValueError as err:
                raise ValueError(self.explain(str(err))) from None

        idle = [self.label(field) for upload in self.uploads for field in upload.idle]
        show_data_in_use(self.data, replaces=replaces, ignored=idle, prepare=prepared)
