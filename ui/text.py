"""Text the pages show: formatting helpers shared by every page (no Streamlit calls)."""

from __future__ import annotations


def plain(text: str, most: int | None = None) -> str:
    """Text to show inside markdown exactly as written (user input, or a message quoting it).

    Every ASCII punctuation mark is backslash-escaped, so ``y_pred*y_true*2`` stays as typed
    instead of turning italic and ``__init__`` keeps its underscores; ``most`` shortens it.
    """
    if most is not None and len(text) > most:
        text = text[: most - 1] + "…"
    return "".join(
        f"\\{c}" if c.isascii() and not c.isalnum() and not c.isspace() else c for c in text
    )
