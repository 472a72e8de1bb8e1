"""What a chart's tooltips print, as the browser's d3-format prints it, and the numbers no tooltip
may print: a value that is not 0 printed as zero ("0.000" for a log loss of 1e-05), a value
strictly between -1 and 1 printed as ±1 ("1.00" for a probability of 0.996, "-1.000" for a
gradient of -0.9997), and any other fraction printed as a whole number ("3.00" for 2.996), the
rule ``core.facts.num`` keeps for sentences.

:func:`tooltip_values` reads a page's Vega-Lite specs (with their Arrow datasets, as
``st.vega_lite_chart`` sends them) and yields every quantitative tooltip field with a number
format, with the values it shows, except the fields the view also places on an axis (coordinates:
a grid cell at x = 0.003 printed "0.00" says nothing false); :func:`misprinted` applies the three
rules. A tooltip of text (``:N``) is printed by Python and checked where it is built
(``core.facts``).
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

import pyarrow as pa

from core.facts import is_whole

# d3-format's specifier: [[fill]align][sign][symbol][0][width][,][.precision][~][type]
_FORMAT = re.compile(
    r"^(?:.?[<>=^])?(?P<sign>[-+ (])?[$#]?0?\d*,?(?:\.(?P<precision>\d+))?(?P<trim>~)?(?P<type>[efgprs%d])?$"
)


def d3_format(value: float, spec: str) -> str | None:
    """``value`` as d3-format's ``spec`` prints it (the digits; grouping and padding left out),
    or None for a specifier this reading does not cover."""
    match = _FORMAT.match(spec)
    if match is None or not math.isfinite(value):
        return None
    kind = match["type"] or "g"
    precision = int(match["precision"]) if match["precision"] is not None else 6
    exact = Decimal(value)  # d3 prints the binary value, halves away from zero (toFixed)
    if kind in "f%":
        scaled = exact * 100 if kind == "%" else exact
        text = str(scaled.quantize(Decimal(1).scaleb(-precision), ROUND_HALF_UP))
    elif kind in "gr":
        if value == 0:
            text = "0"
        else:
            digits = max(precision, 1)
            exponent = exact.adjusted() - digits + 1
            text = str(exact.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP))
    elif kind == "e":
        text = f"{exact:.{precision}e}"
    elif kind == "d":
        text = str(round(value))
    else:  # "s", "p": SI prefixes and rounded percent are not used by the lab's tooltips
        return None
    return text


def _is_zero(text: str) -> bool:
    mantissa = text.lower().split("e")[0]
    return all(ch in "0.+-−" for ch in mantissa)


def misprinted(value: float, text: str, percent: bool) -> str | None:
    """Why ``text`` misprints ``value`` (None when it does not)."""
    if value != 0 and _is_zero(text):
        return "a value that is not 0 prints as zero"
    shown = Decimal(text.lower().split("e")[0]) * (
        Decimal(10) ** int(text.lower().split("e")[1]) if "e" in text.lower() else 1
    )
    one = Decimal(100) if percent else Decimal(1)
    if 0 < abs(value) < 1 and abs(shown) == one:
        return "a value strictly between -1 and 1 prints as ±1"
    scaled = value * 100 if percent else value
    if "e" not in text.lower() and shown == shown.to_integral_value() and not is_whole(scaled):
        return "a fraction prints as a whole number"
    return None


def _frames(proto) -> dict[str, list[dict]]:
    """The chart's named datasets as rows."""
    out = {}
    for named in proto.datasets:
        table = pa.ipc.open_stream(io.BytesIO(named.data.data)).read_all()
        out[named.name] = table.to_pylist()
    if proto.data.data:
        out[""] = pa.ipc.open_stream(io.BytesIO(proto.data.data)).read_all().to_pylist()
    return out


def _views(spec: dict, data=None) -> Iterator[tuple[dict, object]]:
    """Every view of a spec with the data it draws (a layer inherits its parent's)."""
    data = spec.get("data", data)
    if "mark" in spec:
        yield spec, data
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from _views(child, data)
    if isinstance(spec.get("spec"), dict):
        yield from _views(spec["spec"], data)


def tooltip_values(proto) -> Iterator[tuple[str, str, float, str, bool]]:
    """(chart title, tooltip title, value, printed text, percent?) of every number a chart's
    quantitative tooltips with a format show."""
    spec = json.loads(proto.spec)
    frames = _frames(proto)
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    inline = spec.get("datasets", {})
    for view, data in _views(spec):
        tips = view.get("encoding", {}).get("tooltip", [])
        tips = tips if isinstance(tips, list) else [tips]
        if not isinstance(data, dict):
            continue
        name = data.get("name", "")
        rows = frames.get(name) or inline.get(name) or data.get("values") or []
        if view.get("transform"):
            continue  # derived fields: the rows are not what the view shows
        encoding = view.get("encoding", {})
        positions = {
            encoding[c].get("field")
            for c in ("x", "y", "x2", "y2")
            if isinstance(encoding.get(c), dict)
        }
        for tip in tips:
            if (
                not isinstance(tip, dict)
                or "format" not in tip
                or tip.get("type") != "quantitative"
            ):
                continue
            field, fmt = tip.get("field"), tip["format"]
            if any(f == field or str(f).startswith(f"{field}_") for f in positions):
                continue  # a coordinate (a grid cell, a point of a path): rounding it says nothing
            for row in rows:
                value = row.get(field) if isinstance(row, dict) else None
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    continue
                text = d3_format(float(value), fmt)
                if text is not None:
                    yield str(title), tip.get("title", field), float(value), text, fmt.endswith("%")


def misprints(protos) -> list[str]:
    """Every misprinted tooltip number of these charts (one line per chart, tooltip and rule)."""
    found: dict[tuple[str, str, str], tuple[float, str]] = {}
    for proto in protos:
        for title, tip, value, text, percent in tooltip_values(proto):
            why = misprinted(value, text, percent)
            if why:
                found.setdefault((title, tip, why), (value, text))
    return [
        f"{t!r}, tooltip {tip!r}: {why} ({v!r} as {x!r})" for (t, tip, why), (v, x) in found.items()
    ]
