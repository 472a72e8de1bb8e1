"""Text the pages show: formatting helpers shared by every page (no Streamlit calls)."""

from __future__ import annotations

import re

# What Streamlit's markdown would read as formatting inside one line of text: emphasis, code,
# links and images, HTML, tables, strike-through, LaTeX, and ":name:" shortcodes (a colon
# before a word).
_MARKUP = re.compile(r"([\\`*_\[\]<>|~$]|:(?=\S))")


def plain(text: str, most: int | None = None) -> str:
    """Text to show inside markdown exactly as written (user input, or a message quoting it).

    The characters markdown would read as formatting are backslash-escaped and line breaks
    become spaces, so ``y_pred*y_true*2`` stays as typed instead of turning italic and
    ``__init__`` keeps its underscores; ``most`` shortens it.
    """
    text = " ".join(text.splitlines())
    if most is not None and len(text) > most:
        text = text[: most - 1] + "…"
    return _MARKUP.sub(r"\\\1", text)


def plain_lines(text: str, most: int | None = None) -> str:
    """Several lines of user text for markdown, each as written (:func:`plain`), line breaks kept."""
    if most is not None and len(text) > most:
        text = text[: most - 1] + "…"
    return "  \n".join(plain(line) for line in text.splitlines() if line.strip())
