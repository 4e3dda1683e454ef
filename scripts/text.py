"""Text helpers shared by validation and rendering, so both read an excerpt the same way."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
_NEWLINES = re.compile(r"\n+")


def fold(text: str) -> str:
    """White space as a reader sees it: runs of spaces and line breaks become one space."""
    return _SPACE.sub(" ", text).strip()


def paragraphs(text: str) -> list[str]:
    """An excerpt's paragraphs. In a folded YAML block (`>-`) a blank line becomes a line break,
    so each line break starts a paragraph; white space inside a paragraph is folded."""
    return [fold(part) for part in _NEWLINES.split(text.strip()) if part.strip()]


def quote_in(quote: str, texts: list[str]) -> bool:
    """Whether `quote` occurs verbatim (white space folded) within one paragraph of `texts`."""
    wanted = fold(quote)
    return any(wanted in paragraph for text in texts for paragraph in paragraphs(text))
