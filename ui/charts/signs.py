"""The minus sign in every text a chart prints.

A chart's tooltips and text marks print two kinds of numbers: quantitative fields, which d3-format
prints with the minus sign "−" itself, and texts Python printed (``core.facts.num``, ``decimals``,
a lesson's own printer), which carry the ASCII hyphen "-". The page's sentences print "−"
(``core.facts.Claims.fact``), so a tooltip's "-0.0378" beside a sentence's "−0.0378" reads as two
typographies of one number. :func:`signed_texts` applies :func:`core.facts.minus` to the printed
fields of a spec's datasets, once, where the spec is built: every chart, with no printer to
remember.

A printed field is one that only the ``text`` and ``tooltip`` channels read. A field that any
other channel, a transform or an expression also reads (a legend's label, a facet, a filter) is
left as it is: its values may be matched against literals elsewhere in the spec.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from core.facts import minus

_PRINTING = ("text", "tooltip")


def _fields(spec) -> tuple[set[str], set[str], list[str]]:
    """The fields the printing channels read, the fields anything else reads, and every string of
    the spec outside its datasets (expressions name fields as ``datum.name``)."""
    printed, other, strings = set(), set(), []

    def walk(node, printing: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets":
                    continue
                if key == "encoding" and isinstance(value, dict):
                    # a channel's fields, its conditions' too, are read below by its "field" keys
                    for channel, entry in value.items():
                        walk(entry, channel in _PRINTING)
                    continue
                if key == "field" and isinstance(value, str):
                    (printed if printing else other).add(value)
                walk(value, printing)
        elif isinstance(node, list):
            for value in node:
                walk(value, printing)
        elif isinstance(node, str):
            strings.append(node)

    walk(spec, False)
    return printed, other, strings


def _read_elsewhere(field: str, other: set[str], strings: list[str]) -> bool:
    return field in other or any(
        f"datum.{field}" in s or f"datum['{field}']" in s or f'datum["{field}"]' in s
        for s in strings
    )


def signed_texts(spec: dict, names: Iterable[str] | None = None) -> dict:
    """``spec`` with the printed string fields of its datasets (those named in ``names``, or all)
    showing negative numbers with "−". The datasets are Arrow tables (as :func:`to_spec` and
    ``ui.lesson.chart`` keep them); the spec's dict is changed in place and returned."""
    datasets = spec.get("datasets") or {}
    printed, other, strings = _fields(spec)
    shown = {f for f in printed if not _read_elsewhere(f, other, strings)}
    for name in datasets if names is None else names:
        table = datasets.get(name)
        if not isinstance(table, pa.Table):
            continue
        for field in shown & set(table.column_names):
            column = table.column(field)
            if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
                continue
            texts = [minus(t) if isinstance(t, str) else t for t in column.to_pylist()]
            index = table.column_names.index(field)
            table = table.set_column(index, field, pa.array(texts, type=column.type))
        datasets[name] = table
    return spec
