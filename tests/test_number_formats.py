"""Numbers a learner reads are printed through core.facts, never with a bare format spec.

Python's float formats round exact binary halves to even (0.625 as "0.62"), and ``g`` drops
trailing zeros, so a fraction prints as a whole number (a gradient ratio of 1.0498 as "1", an
accuracy of 5,997/6,000 as "1.000", 92.98 % as "93 %"): the confirmation audits of issue 16 found
that pattern in every lesson, one format at a time. core.facts prints every kind of number the
lab shows (``num``, ``decimals``, ``inside_unit``, ``probability``, ``not_whole``,
``tex_number``, ``up``...) with halves rounded up and never a fraction as a whole number; this
test finds every float format spec (``f``, ``g``, ``e``, ``%``) in the code that writes text a
learner reads, in f-strings, ``str.format`` templates and printf-style strings, and every d3 number
format of a chart's tooltip (``alt.Tooltip(..., format=".3f")``: d3 prints 2.996 as "3.00" too;
the tooltip shows a text column built with core.facts instead, ``df["loss_text"] =
df["loss"].map(num)`` and ``alt.Tooltip("loss_text:N", title="loss")``).

A format that is right as it is (a coordinate, an exact setting echoed back, a log message) says
so on its line: ``# plain-format: <why>``.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_CODE = [
    *sorted((ROOT / "core" / "experiments").rglob("*.py")),
    ROOT / "core" / "quiz.py",
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "app_pages").glob("*.py")),
]
MARKER = "# plain-format:"
# a float presentation type: f/F, g/G, e/E or %, after an optional precision
FLOAT_SPEC = re.compile(r"^[^{}]*?(\.\d+)?[fFgGeE%]$")
PRINTF = re.compile(r"%[-+ #0]*\d*(\.\d+)?[fFgGeE]")
# a d3 number format that rounds a float: a precision, or a type other than d (whole) or none
D3_ROUNDS = re.compile(r"\.\d|[efgprs%]~?$")


def _specs(tree: ast.AST):
    """(line, spec) of every float format spec in an f-string, and of every printf-style
    ``"%.3f"``-like constant (Streamlit's NumberColumn formats too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            parts = node.format_spec.values
            spec = "".join(p.value for p in parts if isinstance(p, ast.Constant))
            nested = any(isinstance(p, ast.FormattedValue) for p in parts)
            if nested:
                yield node.lineno, "{nested}"
            elif FLOAT_SPEC.match(spec):
                yield node.lineno, spec
        elif _is_tooltip(node):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "format"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and D3_ROUNDS.search(value.value)
                ):
                    yield value.lineno, f"tooltip {value.value}"
                elif keyword.arg == "format" and not isinstance(value, ast.Constant):
                    yield value.lineno, "tooltip {computed}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            printf = PRINTF.search(node.value)
            if printf:
                yield node.lineno, printf.group(0)


def _is_tooltip(node: ast.AST) -> bool:
    """An ``alt.Tooltip(...)`` call."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "Tooltip"
    )


def violations() -> list[str]:
    found = []
    for path in TEXT_CODE:
        source = path.read_text()
        lines = source.splitlines()
        for line, spec in _specs(ast.parse(source)):
            if MARKER not in lines[line - 1]:
                found.append(f"{path.relative_to(ROOT)}:{line}: {spec!r}")
    return sorted(set(found))


def test_learner_facing_numbers_go_through_core_facts():
    found = violations()
    assert not found, (
        f"{len(found)} bare float formats (use core.facts, or mark the line "
        f"'{MARKER} <why>'):\n" + "\n".join(found)
    )


def test_the_check_finds_each_kind_of_bare_format():
    tree = ast.parse(
        'a = f"{x:.3g} {y:.2f} {z:.1%} {w:{digits}g}"\nb = "%.6g"\nc = f"{n:,} {n:d} {s!r}"\n'
        't = [alt.Tooltip("a:Q", format=".3f"), alt.Tooltip("b:Q", format=".0%"),\n'
        '     alt.Tooltip("c:Q", format=","), alt.Tooltip("d:Q", format="d"),\n'
        '     alt.Tooltip("e:Q", format=fmt)]\n'
    )
    assert {spec for _, spec in _specs(tree)} == {
        ".1%",
        ".2f",
        ".3g",
        "%.6g",
        "{nested}",
        "tooltip .3f",
        "tooltip .0%",
        "tooltip {computed}",
    }
