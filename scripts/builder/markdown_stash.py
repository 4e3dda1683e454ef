"""A Python-Markdown extension that hands the generator's top-level HTML blocks to Markdown's
HTML stash as they are, without parsing them.

Our pages are headings in Markdown and, between them, blocks of HTML that the generator made
(scripts/render/templates/*.md.j2): contributor text in them is escaped by Jinja or sanitised by
nh3 before it gets there, and Markdown keeps a raw block verbatim anyway. Stock Python-Markdown
finds those blocks with a full `html.parser` pass (the `html_block` preprocessor), and MkDocs 1.6
reads the whole page again with a second one to collect anchor ids (its `mkdocs_raw_html`
preprocessor): most of `mkdocs build` (BENCHMARKS.md, "Where the time goes"). This stashes each
block before either runs, so both see a short placeholder instead, and it gives the ids back to
MkDocs' anchor check through the element tree.

A block is stashed only when it is certainly what stock Markdown would have stashed: it starts
at the margin after a blank line with a block-level tag, every tag in it is a well-formed start,
end or self-closing tag, the elements nest and close, no raw text sits outside them but escaped
text, and it ends with its closing tag at the end of a line followed by a blank line. Anything
else (comments, scripts, stray `<`, an unclosed element) is left to Markdown, with the rest of
the page: the first block in doubt ends the stashing for the page, so stock Markdown never sees
a placeholder where it would have been inside a raw block of its own. The output is the same
with the extension and without it (tests/test_markdown_stash.py builds the fixture site both
ways); only the time differs. Any builder that runs Python-Markdown runs it (`markdown_extensions`
in mkdocs.yml), MkDocs and ProperDocs alike.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

_ATTRIBUTE = r"""\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
_ATTRIBUTES = re.compile(_ATTRIBUTE)
_TAG = re.compile(
    r"<(?:(/)([a-zA-Z][a-zA-Z0-9-]*)\s*>|([a-zA-Z][a-zA-Z0-9-]*)((?:{})*)\s*(/?)>)".format(
        re.sub(r"\((?!\?)", "(?:", _ATTRIBUTE)  # the attribute pattern, without its groups
    )
)
"""One start tag (name, attributes, "/" if self-closing) or end tag (name), quoted values whole."""
_LINE_TAG = re.compile(r"^( {1,3})?<([a-zA-Z][a-zA-Z0-9-]*(?=[\s/>]))?", re.MULTILINE)
"""A "<" where Markdown may start a raw block: at the margin, or indented by up to three spaces;
with the tag's name when it is one."""
_SIBLING = re.compile(r"\n<([a-zA-Z][a-zA-Z0-9-]*)[\s/>]")
"""The next element starting at the margin on the very next line."""

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
"""Elements with no end tag (HTML's void elements)."""
RAW_TEXT = frozenset(
    ["script", "style", "textarea", "xmp", "iframe", "noembed", "noframes", "plaintext"]
)
"""Elements whose content is not markup: a block holding one is left to Markdown."""

PRIORITY = 25
"""Before MkDocs' anchor-id pass (21) and Markdown's own raw-HTML block pass (20)."""


def scan(text: str, start: int) -> tuple[int, list[str]] | None:
    """Where the element that opens at `text[start]` closes (the index past its end tag), with
    the ids in it (`id` attributes, and `name` of `<a>`), in order; None unless everything from
    `start` to there is well-formed tags, properly nested, and text with no `<` (escaped)."""
    ids: list[str] = []
    open_elements: list[str] = []
    position = start
    while True:
        tag = text.find("<", position)
        if tag == -1 or (match := _TAG.match(text, tag)) is None:
            return None  # unclosed; or a comment, a declaration, a "<" that is not a tag
        closing, end_name, name, attributes, self_closing = match.group(1, 2, 3, 4, 5)
        position = match.end()
        if closing:
            if not open_elements or open_elements.pop() != end_name.lower():
                return None
            if not open_elements:
                return position, ids
            continue
        name = name.lower()
        if name in RAW_TEXT:
            return None
        for attribute in _ATTRIBUTES.finditer(attributes):
            key = attribute.group(1).lower()
            if key == "id" or (key == "name" and name == "a"):
                value = next((v for v in attribute.group(2, 3, 4) if v is not None), "")
                ids.append(html.unescape(value))
        if not self_closing and name not in VOID:
            open_elements.append(name)
        elif not open_elements:
            return None  # a void element alone: not a block that closes


_BLANK_AFTER = re.compile(r"(?:[ ]*\n){2}|[ ]*(?:\n[ ]*)?\Z")
"""What follows a block's end tag for Markdown to end its raw block there: the end of the line,
then a blank line or the end of the page."""


class StashPreprocessor(Preprocessor):
    """Replace each top-level HTML block that is certainly safe by a stash placeholder."""

    def __init__(self, md: Markdown, ids: list[str]) -> None:
        super().__init__(md)
        self.ids = ids

    def run(self, lines: list[str]) -> list[str]:
        self.ids.clear()
        text = "\n".join(lines)
        out: list[str] = []
        done = 0  # text[:done] is in `out`
        for line in _LINE_TAG.finditer(text):
            start = line.start()
            if start < done:
                continue  # inside a block already stashed
            name = line.group(2)
            if name is not None and not self.md.is_block_level(name.lower()):
                continue  # inline HTML at the margin: a paragraph to Markdown, as it should be
            after_blank = start == 0 or text[max(start - 2, 0) : start] in ("\n", "\n\n")
            if line.group(1) or name is None or not after_blank:
                break  # in doubt: Markdown reads this block and the rest of the page
            found: list[str] = []
            end = self._block(text, start, found)
            if end is None:
                break
            self.ids.extend(found)
            out.append(text[done:start])
            # As Markdown's own raw-HTML pass leaves a block: alone, blank lines either side.
            out.append("\n" + self.md.htmlStash.store(text[start:end] + "\n") + "\n\n")
            done = end
        out.append(text[done:])
        return "".join(out).split("\n")

    def _block(self, text: str, start: int, ids: list[str]) -> int | None:
        """The end of the block that starts at `text[start]`: its elements, one after another
        on the lines that follow (Markdown would stash each alone; together they come out the
        same), up to a blank line; None if it is not certain."""
        while (closed := scan(text, start)) is not None:
            end, found = closed
            ids.extend(found)
            if _BLANK_AFTER.match(text, end):
                return end
            following = _SIBLING.match(text, end)
            if following is None or not self.md.is_block_level(following.group(1).lower()):
                return None
            start = end + 1
        return None


class IdsTreeprocessor(Treeprocessor):
    """Put the stashed blocks' ids in the element tree for the processors that collect ids from
    it (MkDocs' anchor check), as empty elements at the end of the document; `IdsRemover` takes
    them out again before anything is written."""

    MARK = "data-markdown-stash"

    def __init__(self, md: Markdown, ids: list[str]) -> None:
        super().__init__(md)
        self.ids = ids

    def run(self, root: etree.Element) -> None:
        for anchor in self.ids:
            etree.SubElement(root, "span", {"id": anchor, self.MARK: ""})


class IdsRemover(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in [e for e in root if IdsTreeprocessor.MARK in e.attrib]:
            root.remove(element)


class StashExtension(Extension):
    """`markdown_extensions: [..., toc, scripts.builder.markdown_stash]`: listed after `toc`, so
    that its ids reach MkDocs' anchor check (which comes after `toc`, at the same priority) and
    not the table of contents' own bookkeeping, which never saw the ids of raw HTML."""

    def extendMarkdown(self, md: Markdown) -> None:
        ids: list[str] = []
        md.preprocessors.register(StashPreprocessor(md, ids), "markdown_stash", PRIORITY)
        # At toc's priority, registered after it; MkDocs registers its anchor collector later,
        # at the same priority, so it runs after this; the remover runs after both.
        md.treeprocessors.register(IdsTreeprocessor(md, ids), "markdown_stash_ids", 5)
        md.treeprocessors.register(IdsRemover(md), "markdown_stash_ids_removed", 4.5)


def makeExtension(**kwargs: Any) -> StashExtension:
    return StashExtension(**kwargs)
