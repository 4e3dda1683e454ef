"""The built site made smaller, after the builder and the search index, before the swap
(pipeline's `build_site`): every HTML page minified, what no page uses taken out, the whole
archive's JSON also gzipped. Deterministic: the same site in gives the same bytes out.

After the search index, not before it: Pagefind takes a page's words from its text nodes as they
are, and minifying drops the line breaks between block elements (`</dt><dd>`), so that an index
made from minified pages fused words ("Date14 May 2025KindJoint statement") in every statement
page of the fixture archive. Made from the pages as MkDocs wrote them, the index is the one an
unminified site gets, word for word (tests/test_shrink.py).

Minifying is minify-html's (a maintained minifier made for it, pinned): spec-compliant options
only, whitespace collapsed where HTML ignores it and kept where it does not (`<pre>`, `<textarea>`,
and the spaces between inline elements), every attribute kept, so the citation and sharing <meta>
tags stay as they were. Closing tags and the <html> and <head> start tags are kept, although HTML
lets them be left out, for any reader that is not a full HTML parser: they cost a point (the
fixture site's pages: 19.4 % smaller with them, 20.5 % without).
Inline scripts and styles are left as written.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import minify_html

UNUSED = (
    "assets/javascripts/lunr",
    "assets/javascripts/workers",
    "assets/screenshots",
)
"""What the theme and docs/ ship and no page loads: Material's own search (its lunr language
packs and the search worker: its search plugin is off, so no page has its search box and the
worker is never started; Pagefind searches instead), and the README's screenshots."""
UNUSED_SUFFIXES = (".map",)
"""Source maps of Material's minified scripts and styles: only a browser's developer tools ask for
them."""
COMPRESSED = ("data/statements.json",)
"""Downloads also offered gzipped beside themselves (`<name>.gz`)."""


def minify(page: str) -> str:
    """One HTML page minified (see the module's notes for the options)."""
    return minify_html.minify(
        page,
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
        minify_css=False,
        minify_js=False,
    )


def gzipped(data: bytes) -> bytes:
    """`data` gzipped the same way on every build: no file name, modification time 0."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _unused(site: Path) -> Iterator[Path]:
    for name in UNUSED:
        if (site / name).exists():
            yield site / name
    for suffix in UNUSED_SUFFIXES:
        yield from sorted(site.rglob(f"*{suffix}"))


def shrink_site(site: Path) -> bool:
    """Minify every page of the built `site`, take out what no page uses and add the gzipped
    downloads; True (for `mkdocs_build`'s before_swap)."""
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        smaller = minify(text)
        if smaller != text:
            page.write_text(smaller, encoding="utf-8")
    for path in list(_unused(site)):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)  # a map in a folder already taken out
    for name in COMPRESSED:
        if (site / name).is_file():
            (site / f"{name}.gz").write_bytes(gzipped((site / name).read_bytes()))
    return True
