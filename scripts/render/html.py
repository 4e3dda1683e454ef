"""Safe text for pages: contributor text never becomes markup.

Pages are Markdown files whose bodies are HTML blocks built by Jinja2 with autoescaping, so the
builder's Markdown extensions never see contributor text as Markdown. Three ways in:
- plain text (titles, excerpts, names) is escaped by Jinja2;
- headings, which must stay Markdown for the table of contents, go through `markdown_literal`;
- summaries and notes, the only Markdown fields, go through `markdown_html`: python-markdown, then
  the nh3 sanitizer with a short allow-list of tags and http(s)/mailto links;
- page titles that come from data are also set in the page's front matter by `yaml_title`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache

import markdown
import nh3
import yaml
from markupsafe import Markup, escape

from scripts.text import fold

_ALLOWED_TAGS = {"p", "em", "strong", "a", "code", "ul", "ol", "li", "blockquote", "br"}
_MARKDOWN = markdown.Markdown(extensions=[], output_format="html")
# Characters that can start Markdown, attribute-list or HTML syntax in a heading; written as
# numeric character references they are only text.
_HEADING_SYNTAX = frozenset("\\`*_{}[]()#+-.!|~^<>&:\"'=$%@")
_NO_WRAP = 1 << 30
"""A line width no title reaches: the YAML emitter never breaks the title's line."""
_NUMBERED = re.compile(r"[0-9]|[IVXLCDM]+\b|\(?[a-z]\)?$")
"""A paragraph label that is a number ("2", "III.4", "(a)"), shown after a pilcrow."""
YAML_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it (many times faster; the same values, read back)."""


@lru_cache(maxsize=1 << 16)
def markdown_html(text: str) -> Markup:
    """Contributor Markdown (summaries, notes) as sanitised HTML. Cached: a summary is shown on
    its statement's page and again in every feed the statement is in."""
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


def markdown_inline(text: str) -> Markup:
    """Contributor Markdown of one paragraph (a participant's note) as sanitised HTML to set
    inside a line: `markdown_html` without its one wrapping <p>; more paragraphs stay blocks."""
    html = str(markdown_html(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def markdown_literal(text: str) -> Markup:
    """Text for a Markdown heading line: shown exactly as written, never read as syntax."""
    return Markup("".join(f"&#{ord(c)};" if c in _HEADING_SYNTAX else c for c in fold(text)))


def yaml_title(text: str) -> Markup:
    """The page title for a page's front matter: a YAML double-quoted scalar, escaped for HTML.

    Material writes `page.meta.title` into <title> and the header as it is; a title it takes from
    the first heading instead goes through `striptags`, which turns the heading's character
    references back into markup (`&#60;/title&#62;` → `</title>`). Contributor text that names a
    page therefore always comes with its title set here."""
    quoted = yaml.dump(
        str(escape(fold(text))),
        Dumper=YAML_DUMPER,
        default_style='"',
        allow_unicode=True,
        width=_NO_WRAP,
    )
    return Markup(str(quoted).strip())


def yaml_text(text: str) -> Markup:
    """Plain text as a YAML double-quoted scalar on one line, for front matter that the theme
    override escapes itself (unlike `yaml_title`, not escaped for HTML here)."""
    quoted = yaml.dump(
        fold(text), Dumper=YAML_DUMPER, default_style='"', allow_unicode=True, width=_NO_WRAP
    )
    return Markup(str(quoted).strip())


@lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """A BCP 47 language tag as the language's English name, from ISO 639 (pycountry): `ru` →
    Russian, `zh-Hans` → Chinese, `fa` → Persian; the tag itself when ISO 639 does not know its
    first subtag. Only the language is named: a script or region subtag adds nothing a reader
    of the label needs (the text itself shows the script)."""
    import pycountry

    primary = tag.split("-", 1)[0].lower()
    if primary.isascii() and primary.isalpha() and len(primary) in (2, 3):
        key = "alpha_2" if len(primary) == 2 else "alpha_3"
        language = pycountry.languages.get(**{key: primary})
        if language is not None:
            name: str = getattr(language, "common_name", None) or language.name
            return name.split(" (", 1)[0]
    return tag


def external_url(url: str) -> str:
    """A link out of the site: http(s) only, whatever reached the renderer (validation refuses
    other schemes first; this keeps a `javascript:` address inert should one slip through)."""
    return url if url.lower().startswith(("http://", "https://")) else "#"


def relative_url(from_page: str, to: str) -> str:
    """A link from one site path (`statements/x/`, '' for home) to another, with any #fragment."""
    path, hash_mark, fragment = to.partition("#")
    if not path and hash_mark:
        return f"#{fragment}"
    relative = _relative_path(path, from_page)
    folder = path.endswith("/") or not path  # '' is the home page, a folder too
    relative = "./" if relative == "." else relative + ("/" if folder else "")
    return relative + (f"#{fragment}" if hash_mark else "")


def _relative_path(path: str, start: str) -> str:
    """`posixpath.relpath(path or ".", start or ".")` for site paths (`countries/af/`), by their
    segments alone: links are made by the hundred thousand, and relpath asks for the current
    folder each time. Anything with `.` or `..` segments goes to relpath itself."""
    to, base = path.split("/"), start.split("/")
    if "." in to or ".." in to or "." in base or ".." in base or path[:1] == "/":
        return posixpath.relpath(path or ".", start or ".")
    to, base = [p for p in to if p], [p for p in base if p]
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def quote_spans(paragraph: str, quotes: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each quote, in order, is highlighted in a paragraph: its first occurrence that
    overlaps none of the quotes placed before it; None when every occurrence overlaps one."""
    spans: list[tuple[int, int] | None] = []
    for quote in quotes:
        wanted, found = fold(quote), None
        start = paragraph.find(wanted) if wanted else -1
        while start >= 0 and found is None:
            end = start + len(wanted)
            if all(span is None or end <= span[0] or start >= span[1] for span in spans):
                found = (start, end)
            start = paragraph.find(wanted, start + 1)
        spans.append(found)
    return spans


def mark_quotes(paragraph: str, marks: list[tuple[str, str, int]]) -> Markup:
    """A paragraph with each (quote, note anchor, note number) highlighted and linked to its
    note, at the first occurrence that overlaps no earlier mark; a mark that cannot be placed
    is left out of the text (its note still shows)."""
    spans = quote_spans(paragraph, [quote for quote, _, _ in marks])
    placed = sorted(
        (span, anchor, number)
        for span, (_, anchor, number) in zip(spans, marks, strict=True)
        if span is not None
    )
    out, cursor = Markup(), 0
    for (start, end), anchor, number in placed:
        out += escape(paragraph[cursor:start])
        out += Markup(
            '<mark class="sa-quote" id="{0}--ref">{1}</mark>'
            '<a class="sa-noteref" href="#{0}" aria-label="Note {2}">{2}</a>'
        ).format(anchor, paragraph[start:end], number)
        cursor = end
    return out + escape(paragraph[cursor:])


def paragraph_label(label: str) -> Markup:
    """The original's own number or label of a passage as a reader sees it: "¶ 2", "¶ III.4",
    "Preamble". The pilcrow is read out as "Paragraph"."""
    text = fold(label)
    if _NUMBERED.match(text):
        return Markup(
            '<span class="sa-para" title="The paragraph\'s number in the original">'
            '<span aria-hidden="true">¶</span><span class="sa-visually-hidden">Paragraph</span>'
            " {}</span>"
        ).format(text)
    return Markup(
        '<span class="sa-para" title="The passage\'s label in the original">{}</span>'
    ).format(text[:1].upper() + text[1:])
