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


_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)  # fmt: skip
"""Characters a reader takes for one another: quotation marks, apostrophes, dashes, spaces."""


def why_not_found(quote: str, texts: list[str]) -> str:
    """Why `quote` is not in `texts` (see `quote_in`), when it can be said: it runs across two
    paragraphs; it differs only in a quotation mark, apostrophe, dash or space (that character
    named). '' otherwise."""
    wanted = fold(quote)
    found = [p for text in texts for p in paragraphs(text)]
    if any(wanted in " ".join(paragraphs(text)) for text in texts):
        return "it runs across two paragraphs: a quote stands within one"
    plain = wanted.translate(_LOOKALIKES)
    for paragraph in found:
        at = paragraph.translate(_LOOKALIKES).find(plain)
        if at < 0:
            continue
        for mine, theirs in zip(wanted, paragraph[at : at + len(wanted)], strict=True):
            if mine != theirs:
                return (
                    f"the quote has {mine} (U+{ord(mine):04X}) where the excerpt has"
                    f" {theirs} (U+{ord(theirs):04X})"
                )
    return ""
