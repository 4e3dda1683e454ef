"""Safe text for pages: contributor text never becomes markup.

Pages are Markdown files whose bodies are HTML blocks built by Jinja2 with autoescaping, so the
builder's Markdown extensions never see contributor text as Markdown. Three ways in:
- plain text (titles, excerpts, names) is escaped by Jinja2;
- headings, which must stay Markdown for the table of contents, go through `markdown_literal`;
- summaries and notes, the only Markdown fields, go through `markdown_html`: python-markdown, then
  the nh3 sanitizer with a short allow-list of tags and http(s)/mailto links.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import jinja2
import markdown
import nh3
from markupsafe import Markup, escape

from scripts.text import fold

_ALLOWED_TAGS = {"p", "em", "strong", "a", "code", "ul", "ol", "li", "blockquote", "br"}
_MARKDOWN = markdown.Markdown(extensions=[], output_format="html")
# Characters that can start Markdown, attribute-list or HTML syntax in a heading; written as
# numeric character references they are only text.
_HEADING_SYNTAX = frozenset("\\`*_{}[]()#+-.!|~^<>&:\"'=$%@")


def markdown_html(text: str) -> Markup:
    """Contributor Markdown (summaries, notes) as sanitised HTML."""
    html = _MARKDOWN.reset().convert(text)
    return Markup(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener",
        )
    )


def markdown_literal(text: str) -> Markup:
    """Text for a Markdown heading line: shown exactly as written, never read as syntax."""
    return Markup("".join(f"&#{ord(c)};" if c in _HEADING_SYNTAX else c for c in fold(text)))


def relative_url(from_page: str, to: str) -> str:
    """A link from one site path (`statements/x/`, '' for home) to another, with any #fragment."""
    path, hash_mark, fragment = to.partition("#")
    if not path and hash_mark:
        return f"#{fragment}"
    relative = posixpath.relpath(path or ".", from_page or ".")
    relative = "./" if relative == "." else relative + ("/" if path.endswith("/") else "")
    return relative + (f"#{fragment}" if hash_mark else "")


def mark_quotes(paragraph: str, marks: list[tuple[str, str, int]]) -> Markup:
    """A paragraph with each (quote, note anchor, note number) highlighted where it first occurs
    and linked to its note; a mark that overlaps one already placed is left out of the text (its
    note still shows)."""
    spans: list[tuple[int, int, str, int]] = []
    for quote, anchor, number in marks:
        start = paragraph.find(fold(quote))
        end = start + len(fold(quote))
        if start >= 0 and all(end <= s or start >= e for s, e, _, _ in spans):
            spans.append((start, end, anchor, number))
    out, cursor = Markup(), 0
    for start, end, anchor, number in sorted(spans):
        out += escape(paragraph[cursor:start])
        out += Markup(
            '<mark class="sa-quote" id="{0}--ref">{1}</mark>'
            '<a class="sa-noteref" href="#{0}" aria-label="Note {2}">{2}</a>'
        ).format(anchor, paragraph[start:end], number)
        cursor = end
    return out + escape(paragraph[cursor:])


def environment() -> jinja2.Environment:
    """Jinja2 with autoescaping on and comment delimiters that never occur in Markdown."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        comment_start_string="<%#",
        comment_end_string="#%>",
    )
    env.filters["md"] = markdown_html
    env.filters["literal"] = markdown_literal
    return env
