"""Rules on any data file that a schema cannot say, and the small readers the rules share: raw
HTML and unsafe links in text, real dates, values `make new` left to fill in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scripts.load import DataPath
from scripts.model import PartialDate
from scripts.site import PLACEHOLDER, PLACEHOLDER_SLUG, is_date_form
from scripts.validate.problems import Finding, label

_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
_MARKDOWN_LINK_TARGET = re.compile(
    r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)|^\s*\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.M
)
"""The target of an inline link `[text](target)` (one level of parentheses inside it, as Markdown
allows) or of a reference definition `[name]: target`."""
_SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.I)
MARKDOWN_FIELDS = {"summary", "note", "description", "date_note"}
"""Fields rendered as Markdown; every other text field is shown as plain text."""


def strings(value: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))


def text_findings(data: Any) -> Iterator[Finding]:
    """Raw HTML in any text field; unsafe link targets in Markdown fields; URLs are http(s)."""
    for path, text in strings(data):
        tag = _RAW_HTML.search(text)
        if tag:
            snippet = text[tag.start() : tag.start() + 12].split(">")[0]
            yield Finding(
                path,
                f"raw HTML is not allowed in '{label(path)}': '{snippet}'; write plain text"
                " (summaries and notes may use Markdown: **bold**, [text](https://…))",
            )
        if path and path[-1] in MARKDOWN_FIELDS:
            for match in _MARKDOWN_LINK_TARGET.finditer(text):
                target = match.group(1) or match.group(2) or ""
                if target and not _SAFE_LINK.match(target):
                    yield Finding(
                        path,
                        f"link target '{target[:60]}' in '{label(path)}' is not allowed;"
                        " links must start with http://, https://, mailto: or #",
                    )


def date_findings(value: Any, path: DataPath) -> Iterator[Finding]:
    if isinstance(value, str) and is_date_form(value):
        try:
            PartialDate.parse(value)
        except ValueError:
            yield Finding(path, f"'{label(path)}' is not a real date: '{value}'")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def mappings(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, item in enumerate(as_list(value)):
        if isinstance(item, dict):
            yield index, item


def as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def placeholder_findings(data: Any) -> Iterator[Finding]:
    """Values `make new` left to be filled in."""
    for path, text in strings(data):
        if PLACEHOLDER in text or PLACEHOLDER_SLUG in text:
            yield Finding(path, f"'{label(path)}' is still to fill in")
