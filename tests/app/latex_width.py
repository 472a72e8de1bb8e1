"""A formula's width on a phone, estimated without a browser (audit pass 64 h).

KaTeX draws display math at 1.21 em of Streamlit's 16 px: 19.4 px an em, so a 390 px phone's
page column (1 rem of padding each side) holds about 18.5 em, and the model answer's expander
(another 1 rem each side) about 16.8 em. The glyph widths below are KaTeX's (Computer Modern) to a
tenth of an em; a fraction counts as its wider part, sub- and superscripts as full glyphs (an
overestimate). Calibration: the loss-functions formula a 390 px phone cut at "p = softr…" (audit
pass 62/63 h) estimates at 19.6 em up to that cut.
"""

from __future__ import annotations

import re

PHONE_EM = 16.5  # what a row may take: the expander's 16.8 em, less a little for the estimate
COMMANDS = {
    r"\Longleftrightarrow": 1.86,
    r"\operatorname": 0.0,
    r"\partial": 0.56,
    r"\mathcal": 0.0,
    r"\mathbb": 0.0,
    r"\nabla": 0.83,
    r"\qquad": 2.0,
    r"\lVert": 0.5,
    r"\rVert": 0.5,
    r"\sigma": 0.57,
    r"\delta": 0.45,
    r"\theta": 0.47,
    r"\quad": 1.0,
    r"\Bigl": 0.0,
    r"\Bigr": 0.0,
    r"\bigl": 0.0,
    r"\bigr": 0.0,
    r"\cdot": 0.78,
    r"\sum": 1.05,
    r"\top": 0.78,
    r"\log": 1.3,
    r"\eta": 0.5,
    r"\ell": 0.42,
    r"\in": 1.23,
    r"\,": 0.17,
    r"\;": 0.28,
    r"\ ": 0.33,
    # the model answers' commands (audit pass 70 f)
    r"\underbrace": 0.0,
    r"\varepsilon": 0.47,
    r"\mathrm": 0.0,
    r"\dots": 1.2,
    r"\le": 0.78,
    r"\ne": 0.78,
    r"\approx": 0.78,
    r"\hat": 0.0,
    r"\big": 0.0,
    r"\tfrac": 0.0,
    r"\sqrt": 0.83,
}
_GROUP = r"\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"


def width(tex: str) -> float:
    """One row's estimated width in em (no ``\\\\`` or ``&`` in it)."""
    total = 0.0

    def frac(m):
        nonlocal total
        total += max(width(m.group(1)), width(m.group(2)))
        return ""

    tex = re.sub(r"\\frac" + _GROUP + _GROUP, frac, tex)
    for m in re.finditer(r"\\(?:text|operatorname)" + _GROUP, tex):
        total += 0.5 * len(m.group(1))
    tex = re.sub(r"\\(?:text|operatorname)" + _GROUP, "", tex)
    for command, em in sorted(COMMANDS.items(), key=lambda kv: -len(kv[0])):
        # a whole command: \le is not the start of \left
        pattern = re.escape(command) + (r"(?![A-Za-z])" if command[-1].isalpha() else "")
        tex, count = re.subn(pattern, "", tex)
        total += em * count
    unknown = re.findall(r"\\[A-Za-z]+", tex)
    assert not unknown, f"no width for {unknown}: add it to COMMANDS"
    for ch in tex:
        if ch == "=":
            total += 0.78 + 0.56
        elif ch in "-+":
            total += 0.78 + 0.44
        elif ch == ",":
            total += 0.45
        elif ch in "()[]":
            total += 0.39
        elif ch not in "{}^_ ":
            total += 0.5
    return total


def widths(formula: str) -> list[float]:
    """Each drawn row's estimated width in em: an ``aligned`` block's rows as the block sets them
    (its widest left part plus its widest right part)."""
    body = formula.strip().strip("$").strip()
    body = re.sub(r"\\(?:begin|end)\{aligned\}", "", body)
    rows = [row.split("&") for row in body.split(r"\\")]
    if all(len(row) == 1 for row in rows):
        return [width(row[0]) for row in rows]
    left = max(width(row[0]) for row in rows)
    right = max(width("".join(row[1:])) for row in rows)
    return [left + right]


def too_wide(formulas) -> list[tuple[str, float]]:
    """The formulas whose widest row is wider than a phone's model-answer box."""
    return [(f, max(widths(f))) for f in formulas if max(widths(f)) > PHONE_EM]
