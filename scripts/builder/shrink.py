"""The built site made smaller, after the builder and the search index, before the swap
(pipeline's `build_site`): every HTML page minified, what no page uses taken out, the
statements' JSON and the sections CSV (the whole archive's and each year's) gzipped in place of
themselves. Deterministic: the same site in gives the same bytes out.

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

A page whose file is the one the last build shrank (the same file the builder made: the same
stamp, as the shards keep their pages) takes the page that build put in the site, if that is still
as it was written: so a build after an edit minifies only the pages built again. A download
whose text is the same as the last build's takes that build's gzip the same way.
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import minify_html

from scripts.cache import Stamp, Store, file_digest, stamp
from scripts.site import DATA_FOLDER, published

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


_ATTRIBUTES = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
_MARKUP = re.compile(
    rf"<!--.*?-->|<![^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)({_ATTRIBUTES})\s*/?>", re.DOTALL
)
"""A comment, a declaration, or a start or end tag (name, attributes, quoted values whole)."""
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_TEXT_UNTIL_END = {"script": "raw", "style": "raw", "title": "text", "textarea": "text"}
"""Elements whose content runs to their end tag: left as it is, or escaped again."""


def minify(page: str) -> str:
    """One HTML page minified (see the module's notes for the options), then `<` and `>` in its
    attribute values and in the text of its <title> and <textarea> escaped again."""
    smaller = minify_html.minify(
        page,
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
        minify_css=False,
        minify_js=False,
    )
    return escaped_again(smaller) if _ESCAPED_ANGLE.search(page) else smaller


_ESCAPED_ANGLE = re.compile(r"&(?:lt|gt)|&#0*6[02](?![0-9])|&#x0*3[ce](?![0-9a-f])", re.I)
"""A `<` or `>` written as a reference (named, decimal or hexadecimal, with or without its `;`):
the only thing minify-html unescapes that `escaped_again` must put back. A page without one
(nearly every page: 1 of 2,566 on the 1,000-statement archive has one) is left as minify-html
wrote it, which spares reading every tag of it again in Python — most of the shrinking's time."""


def escaped_again(page: str) -> str:
    """minify-html writes `&lt;` as `<` where HTML reads it as text all the same: in attribute
    values and in a <title> (a contributor's `&lt;script&gt;` became `<script>`). A reader that
    is not an HTML parser (a crawler's regular expression, a feed tool) would see markup there;
    so `<` and `>` are escaped again in those places, the rest left as minify-html wrote it.
    The page is read tag by tag from the start: outside tags, minified text has no `<` but in
    those elements and in scripts and styles, which are skipped whole."""
    out: list[str] = []
    position = 0
    while (start := page.find("<", position)) != -1:
        match = _MARKUP.match(page, start)
        if match is None:  # not a tag: left as it is (minify-html writes none such)
            out.append(page[position : start + 1])
            position = start + 1
            continue
        closing, name, attributes = match.groups()
        out.append(page[position:start])
        out.append(_QUOTED.sub(_escape_value, match.group()) if attributes else match.group())
        position = match.end()
        kind = _TEXT_UNTIL_END.get((name or "").lower()) if not closing else None
        if kind:
            end = page.lower().find(f"</{name.lower()}", position)
            end = len(page) if end == -1 else end
            text = page[position:end]
            out.append(text if kind == "raw" else _escape(text))
            position = end
    out.append(page[position:])
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_value(match: re.Match[str]) -> str:
    return _escape(match.group())


def gzipped(data: bytes) -> bytes:
    """`data` gzipped the same way on every build: no file name, modification time 0."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _unused(site: Path) -> Iterator[Path]:
    for name in UNUSED:
        if (site / name).exists():
            yield site / name
    for suffix in UNUSED_SUFFIXES:
        yield from sorted(site.rglob(f"*{suffix}"))


def _shrink_page(page: Path) -> None:
    """One page minified in place of the old: a new file renamed over it, never the old file
    written into, as the builder's shards keep their pages as links to the same files."""
    text = page.read_text(encoding="utf-8")
    smaller = minify(text)
    if smaller != text:
        fresh = page.with_name(f"{page.name}.shrinking")
        fresh.write_text(smaller, encoding="utf-8")
        os.replace(fresh, page)


def _cpus() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _stamp(path: Path) -> Stamp | None:
    try:
        return stamp(path)
    except OSError:
        return None


def _reuse(page: Path, relative: str, last: Path, record: dict[str, object]) -> bool:
    """Whether `page` was put in place of itself as the last build shrank it: its file is the one
    that build shrank (`record`: path → [its stamp then, the shrunk page's stamp]), and the
    shrunk page in the `last` site is as that build wrote it."""
    kept = record.get(relative)
    if not (isinstance(kept, list) and len(kept) == 2 and kept[0] == _stamp(page)):
        return False
    if _stamp(last / relative) != kept[1]:
        return False
    fresh = page.with_name(f"{page.name}.shrinking")
    try:
        os.link(last / relative, fresh)
        os.replace(fresh, page)
    except OSError:
        fresh.unlink(missing_ok=True)
        return False
    return True


def compressed(site: Path) -> list[Path]:
    """The downloads of `site` offered gzipped instead of themselves (scripts/site.py
    `published`), not yet gzipped."""
    folder = site / DATA_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and published(p.name) != p.name)


def _pack(job: tuple[Path, Path | None, object]) -> tuple[str, list[object]]:
    """One download gzipped in place of itself, or linked from the last site's gzip when that
    was made from the same text (`job`: the file, the last site's gzip, what the record keeps of
    it: [the text's digest, the gzip's stamp]); its record entry."""
    plain, last, kept = job
    packed = plain.with_name(published(plain.name))
    text_digest = file_digest(plain)
    reused = False
    if last and isinstance(kept, list) and kept == [text_digest, _stamp(last)]:
        try:
            os.link(last, packed)
            reused = True
        except OSError:
            pass
    if not reused:
        packed.write_bytes(gzipped(plain.read_bytes()))
    plain.unlink()
    return packed.name, [text_digest, _stamp(packed)]


def shrink_site(site: Path, last: Path | None = None, record: Store | None = None) -> bool:
    """Minify every page of the built `site`, take out what no page uses and gzip the downloads
    offered so (`compressed`); True (for `mkdocs_build`'s before_swap). With `last` (the site it
    will replace) and a `record` of what the last build shrank, a page unchanged since comes
    from there, and so does a download's gzip made from the same text."""
    pages = sorted(site.rglob("*.html"))
    kept = record.read() if record and last else {}
    names = {page: page.relative_to(site).as_posix() for page in pages}
    before = {name: _stamp(page) for page, name in names.items()} if record else {}
    fresh = [page for page in pages if not (last and _reuse(page, names[page], last, kept))]
    downloads = [
        (
            plain,
            last / DATA_FOLDER / published(plain.name) if last else None,
            kept.get(f"{DATA_FOLDER}/{published(plain.name)}"),
        )
        for plain in compressed(site)
    ]
    with multiprocessing.get_context("fork").Pool(_cpus()) as pool:
        for _ in pool.imap_unordered(_shrink_page, fresh, chunksize=64):
            pass
        packed = dict(pool.imap_unordered(_pack, downloads))
    if record is not None:
        entries: dict[str, object] = {
            name: [before[name], _stamp(page)] for page, name in names.items()
        }
        entries.update({f"{DATA_FOLDER}/{name}": entry for name, entry in packed.items()})
        record.write(entries)
    for path in list(_unused(site)):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)  # a map in a folder already taken out
    return True
