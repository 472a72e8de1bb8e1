"""Reading the Vega-Lite specs chart tests build: encodings, axis titles, scales, and the check
every lesson chart passes (valid, a title, titled x and y axes, optionally bounded rows)."""

from __future__ import annotations

from collections.abc import Iterator


def nodes(spec) -> Iterator[dict]:
    """Every dict of a spec, the spec first, then depth first (layers, facets, nested parts)."""
    if isinstance(spec, dict):
        yield spec
        for value in spec.values():
            yield from nodes(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from nodes(value)


def values(spec, key: str) -> list:
    """Every value stored under ``key`` anywhere in the spec."""
    return [node[key] for node in nodes(spec) if key in node]


def encodings(spec, channel: str) -> list[dict]:
    """Every encoding of ``channel`` (``"x"``, ``"color"``, …) in the spec, in order."""
    found = (node.get("encoding", {}).get(channel) for node in nodes(spec))
    return [enc for enc in found if isinstance(enc, dict)]


def scales(spec, channel: str = "color") -> list[dict]:
    """The scale of every ``channel`` encoding that declares one, in order."""
    return [enc["scale"] for enc in encodings(spec, channel) if isinstance(enc.get("scale"), dict)]


def axis_titles(spec) -> list[str]:
    """The titles of every x and y encoding that has one (a title in lines, joined by spaces)."""
    return [
        " ".join(title) if isinstance(title, list) else title
        for ch in ("x", "y")
        for enc in encodings(spec, ch)
        if (title := enc.get("title"))
    ]


def joined_title(title):
    """A chart's title with its lines (ui.charts.title_lines) joined by spaces: a text as one
    text, a title with a subtitle as a dict whose ``text`` is one text; None as it is."""
    if isinstance(title, list):
        return " ".join(title)
    if isinstance(title, dict) and isinstance(title.get("text"), list):
        return {**title, "text": " ".join(title["text"])}
    return title


def title_text(spec) -> str:
    """The chart's title as one text (:func:`joined_title`); of a title with a subtitle, its
    main text."""
    title = joined_title(spec.get("title", ""))
    return title.get("text", "") if isinstance(title, dict) else title


def rows(spec) -> int:
    """Rows of data the spec carries in its named datasets."""
    return sum(len(v) for v in spec.get("datasets", {}).values())


def checked(chart, *, max_rows: int | None = None, axes: int = 2) -> dict:
    """The chart's spec, valid Vega-Lite, with a title and ``axes`` distinct titled axes (x and
    y by default; and, given ``max_rows``, at most that many rows of data)."""
    spec = chart.to_dict(validate=True)
    assert spec.get("title"), "every chart has a title"
    assert len(set(axis_titles(spec))) >= axes, "x and y axes are titled"
    if max_rows is not None:
        assert rows(spec) <= max_rows
    return spec
