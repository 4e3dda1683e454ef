"""The renderer: golden pages of the fixture archive, and the safe-text helpers of render/html.py.

Golden files: tests/golden/ holds every page that `render_site` makes of the fictional archive in
tests/fixtures/archive/, at its path under docs/. After an intended change to the output,
regenerate them and review the diff before committing:

    UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_render.py
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import shutil
from pathlib import Path, PurePosixPath

import markdown
import pytest
from markupsafe import Markup, escape
from mkdocs.utils.meta import get_data
from support.archive import FIXTURE, copy_site_files
from support.html import Element, Site, parse_html, resolve

from scripts.index import build_index
from scripts.model import Forum, Statement, build_statement
from scripts.pipeline import Archive, mkdocs_build, site_config
from scripts.render.compare import LIBRARY_FILE, LIBRARY_LICENSE
from scripts.render.html import (
    mark_quotes,
    markdown_html,
    markdown_literal,
    quote_spans,
    relative_url,
    yaml_title,
)
from scripts.render.jobs import render_site
from scripts.text import fold

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDENS = os.environ.get("UPDATE_GOLDENS") == "1"
LIBRARY_PATHS = (LIBRARY_FILE, LIBRARY_LICENSE)


@pytest.fixture(scope="module")
def pages(archive: Archive) -> dict[str, str]:
    """Every page but the third-party files copied from node_modules (the compare-any-two page's
    diff library): they are not ours to keep in tests/golden/, and not there without npm."""
    site = render_site(archive.index, archive.vocabularies, site_config(FIXTURE))
    return {path: page for path, page in site.items() if path not in LIBRARY_PATHS}


# --- golden pages -----------------------------------------------------------------------------


def test_pages_match_the_golden_files(pages: dict[str, str]) -> None:
    if UPDATE_GOLDENS:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(content, encoding="utf-8", newline="\n")
    goldens = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(pages) == sorted(goldens), "pages added or gone: rerun with UPDATE_GOLDENS=1"
    differ = []
    for path in sorted(pages):
        expected = (GOLDEN / path).read_text(encoding="utf-8")
        if pages[path] != expected:
            diff = difflib.unified_diff(
                expected.splitlines(), pages[path].splitlines(), f"golden/{path}", path, lineterm=""
            )
            differ.append("\n".join(list(diff)[:40]))
    assert not differ, "\n\n".join(differ) + "\n\nintended? rerun with UPDATE_GOLDENS=1"


def test_rendering_is_deterministic(archive: Archive, pages: dict[str, str]) -> None:
    again = render_site(
        build_index(list(reversed(archive.statements)), archive.vocabularies),
        archive.vocabularies,
        site_config(FIXTURE),
    )
    assert {path: page for path, page in again.items() if path not in LIBRARY_PATHS} == pages


def test_every_statement_and_hub_has_a_page(archive: Archive, pages: dict[str, str]) -> None:
    assert {f"statements/{s.id}.md" for s in archive.statements} <= set(pages)
    for (kind, hub_id), _ in archive.index.hubs.items():
        folder = {"country": "countries", "forum": "forums", "topic": "topics", "actor": "actors"}[
            kind
        ]
        assert f"{folder}/{hub_id.lower()}/index.md" in pages
    assert {"index.md", "timeline/index.md", "countries/index.md"} <= set(pages)


# --- broader topics: a hub that gathers its narrower topics -------------------------------------


def test_a_broader_topic_hub_gathers_every_narrower_topic_and_says_which(
    archive: Archive,
) -> None:
    """`security` is named by no statement; its hub holds each section and statement of
    counter-terrorism and regional-security once, each saying which of them brought it."""
    index = archive.index
    broader = index.hub("topic", "security")
    assert broader is not None
    narrower = [index.hub("topic", t) for t in ("counter-terrorism", "regional-security")]
    expected_sections = {
        (ref.statement.id, ref.section.id): topic.id
        for topic in narrower
        if topic is not None
        for ref in topic.sections
    }
    got = {(ref.statement.id, ref.section.id): ref for ref in broader.sections}
    assert set(got) == set(expected_sections)
    assert len(got) == len(broader.sections)  # each once
    for key, ref in got.items():
        brought = {
            t
            for t in ("counter-terrorism", "regional-security")
            if any((r.statement.id, r.section.id) == key for r in index.hubs["topic", t].sections)
        }
        assert set(ref.via) == brought, key
    dates = [ref.statement.sort_key for ref in broader.sections]
    assert dates == sorted(dates)  # oldest first, as every hub's sections
    statements = {s.id for topic in narrower if topic is not None for s in topic.statements}
    assert {s.id for s in broader.statements} == statements
    assert all(broader.via(s) for s in broader.statements)


def test_a_broader_topic_with_statements_of_its_own_keeps_them_unmarked(archive: Archive) -> None:
    """economic-cooperation is named itself and has a narrower topic: its own items carry no
    `via`, and the ones only maritime-cooperation brings say so."""
    index = archive.index
    own = {
        (s.id, sec.id)
        for s in archive.statements
        for sec in s.sections
        if "economic-cooperation" in s.section_tags(sec, "topic")
    }
    hub = index.hub("topic", "economic-cooperation")
    assert hub is not None and own
    for ref in hub.sections:
        key = (ref.statement.id, ref.section.id)
        assert (ref.via == ()) == (key in own), key
        if ref.via:
            assert ref.via == ("maritime-cooperation",)
    # Similar statements count the tags statements carry, not the topics above them.
    assert hub.gathers == ("maritime-cooperation",)


def test_no_topic_chip_is_plain_text_where_the_topic_has_a_hub(
    archive: Archive, pages: dict[str, str]
) -> None:
    """A chip that looks like a link is one: a broader topic's chip links to its hub, on the
    topics tree and on the narrower topics' pages."""
    for path, page in pages.items():
        for kind, hub_id in archive.index.hubs:
            name = str(escape(archive.vocabularies.name(kind, hub_id)))
            assert f'<span class="sa-tag sa-tag--{kind}">{name}</span>' not in page, (path, name)
    assert '<a href="security/">Security</a>' in pages["topics/index.md"]
    assert 'href="../security/">Security</a>' in pages["topics/counter-terrorism/index.md"]
    assert "topics/security/feed.xml" in pages


# --- markdown_literal: headings --------------------------------------------------------------

HEADING_MARKDOWN = markdown.Markdown(extensions=["attr_list", "toc"])
"""The extensions mkdocs.yml enables, which read heading lines."""


def heading(text: str) -> Element:
    """`text` as the templates write a heading line, through Markdown, as an element."""
    html = HEADING_MARKDOWN.reset().convert(f"## {markdown_literal(text)} {{#the-id}}")
    (h2,) = parse_html(html).elements("h2")
    return h2


@pytest.mark.parametrize(
    "text",
    [
        "Stars * around * and *emphasis* and __strong__",
        "An attribute list {: onclick=alert(1)}",
        "A class {: .danger #other-id }",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[a link](javascript:alert(1)) and ![image](https://example.org/x.png)",
        "`code` and \\*escaped\\* and a trailing hash ##",
        "A & B &amp; C &#60;b&#62; <https://example.org>",
        "1. Not a list | not | a table",
        "Jinja {{ 1 + 1 }} and {% raw %}",
        "北极航运 — Арктика — گفت‌وگو",
    ],
)
def test_markdown_literal_heading_is_text(text: str) -> None:
    h2 = heading(text)
    assert h2.text() == text
    assert h2.attrs == {"id": "the-id"}
    assert [child for child in h2.children if isinstance(child, Element)] == []


def test_markdown_literal_folds_white_space() -> None:
    assert heading("Two\nlines   and  spaces").text() == "Two lines and spaces"


# --- markdown_html: summaries and notes ------------------------------------------------------


def tags_of(html: str) -> list[str]:
    return [e.tag for e in parse_html(html).root.iter()][1:]


def test_markdown_html_keeps_allowed_markup() -> None:
    html = markdown_html(
        "**bold** *em* `code` [link](https://example.org/a?b=c)\n\n> quote\n\n- one\n- two"
    )
    assert set(tags_of(html)) == {"p", "strong", "em", "code", "a", "blockquote", "ul", "li"}
    (link,) = parse_html(html).elements("a")
    assert link.attrs == {"href": "https://example.org/a?b=c", "rel": "nofollow noopener"}


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>after",
        "<img src=x onerror=alert(1)>after",
        '<b onclick="alert(1)">after</b>',
        '<a href="https://example.org" onmouseover="alert(1)">after</a>',
        "<style>body{display:none}</style>after",
        "<iframe src=https://example.org></iframe>after",
    ],
)
def test_markdown_html_strips_raw_html(text: str) -> None:
    html = markdown_html(text)
    page = parse_html(html)
    assert "alert" not in html and "<script" not in html and "<style" not in html
    assert not [a for e in page.root.iter() for a in e.attrs if a.startswith("on")]
    assert set(tags_of(html)) <= {"p", "a"}
    assert page.root.text() == "after"


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ],
)
def test_markdown_html_drops_unsafe_links(text: str) -> None:
    html = markdown_html(text)
    hrefs = [a.attrs.get("href") for a in parse_html(html).elements("a")]
    assert all(href is None for href in hrefs), html


def test_markdown_html_turns_headings_and_images_into_text() -> None:
    html = markdown_html("# Heading\n\n![alt](https://example.org/x.png)")
    assert set(tags_of(html)) == {"p"}
    assert "Heading" in html


# --- yaml_title: page titles in front matter --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Joint statement of China and Russia during President Putin's visit to China",
        '</title><script>alert(1)</script> & "quotes" \\ back: slash # not a comment',
        "Title: with a colon, [brackets], {braces}, *stars*, 'quotes', --- dashes",
        "Controls \x85\x80 and \ufeff, astral \U0001f600, 北极 Арктика گفت‌وگو",
        "A very long title " * 40,
    ],
)
def test_yaml_title_is_one_line_of_yaml_that_mkdocs_reads_back_escaped(text: str) -> None:
    title = yaml_title(text)
    assert "\n" not in title
    body, meta = get_data(f"---\ntitle: {title}\n---\n# Heading\n")
    assert body == "# Heading\n"
    assert meta == {"title": str(escape(fold(text)))}


# --- relative_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_page", "to", "expected"),
    [
        ("", "statements/x/", "statements/x/"),
        ("", "countries/", "countries/"),
        ("", "#home--latest", "#home--latest"),
        ("", "", "./"),
        ("statements/x/", "countries/af/", "../../countries/af/"),
        ("statements/x/", "statements/y/#gaza", "../y/#gaza"),
        ("statements/x/", "statements/x/#gaza", "./#gaza"),
        ("statements/x/", "#gaza", "#gaza"),
        ("statements/x/", "", "../../"),
        ("countries/af/", "countries/", "../"),
        ("countries/", "countries/af/", "af/"),
        ("timeline/", "statements/a/#s", "../statements/a/#s"),
    ],
)
def test_relative_url(from_page: str, to: str, expected: str) -> None:
    assert relative_url(from_page, to) == expected
    assert resolve(from_page, expected) == (from_page + to if to.startswith("#") else to)


# --- mark_quotes -----------------------------------------------------------------------------


def test_mark_quotes_highlights_and_links_the_quote() -> None:
    html = mark_quotes("They said so, and agreed.", [("said so", "s--note1", 1)])
    assert isinstance(html, Markup)
    assert html == (
        'They <mark class="sa-quote" id="s--note1--ref">said so</mark>'
        '<a class="sa-noteref" href="#s--note1" aria-label="Note 1">1</a>, and agreed.'
    )


def test_mark_quotes_escapes_html_in_the_paragraph_and_the_quote() -> None:
    html = mark_quotes(
        'A <b>bold</b> & "quoted" <script>x</script> claim',
        [("<script>x</script>", "s--note1", 1)],
    )
    assert "<b>" not in html and "<script>" not in html
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34; " in html
    assert '<mark class="sa-quote" id="s--note1--ref">&lt;script&gt;x&lt;/script&gt;</mark>' in html
    assert parse_html(html).root.text(lambda e: e.tag == "a") == (
        'A <b>bold</b> & "quoted" <script>x</script> claim'
    )


def test_mark_quotes_leaves_out_a_quote_that_overlaps_an_earlier_one() -> None:
    html = mark_quotes("one two three", [("one two", "s--note1", 1), ("two three", "s--note2", 2)])
    marks = parse_html(html).elements("mark")
    assert [m.attrs["id"] for m in marks] == ["s--note1--ref"]
    assert parse_html(html).root.text(lambda e: e.tag == "a") == "one two three"


def test_mark_quotes_uses_a_later_occurrence_that_is_free() -> None:
    html = mark_quotes(
        "one two three, two three", [("one two", "s--note1", 1), ("two three", "s--note2", 2)]
    )
    page = parse_html(html)
    assert [(m.attrs["id"], m.text()) for m in page.elements("mark")] == [
        ("s--note1--ref", "one two"),
        ("s--note2--ref", "two three"),
    ]
    assert html.endswith('<a class="sa-noteref" href="#s--note2" aria-label="Note 2">2</a>')


def test_mark_quotes_places_marks_in_text_order_and_folds_white_space() -> None:
    html = mark_quotes(
        "alpha beta gamma", [("gamma", "s--note1", 1), ("alpha\n  beta", "s--note2", 2)]
    )
    page = parse_html(html)
    assert [m.text() for m in page.elements("mark")] == ["alpha beta", "gamma"]


def test_mark_quotes_without_a_match_is_the_escaped_paragraph() -> None:
    assert mark_quotes("a < b", [("absent", "s--note1", 1)]) == Markup("a &lt; b")


def test_quote_spans() -> None:
    assert quote_spans("abcabc", ["abc", "abc", "abc", "bca", ""]) == [
        (0, 3),
        (3, 6),
        None,
        None,
        None,
    ]


# --- contributor text in a generated page ----------------------------------------------------

HOSTILE = (
    "</title><script>alert('x')</script> <img src=x onerror=alert(1)> *em* __strong__ "
    "[a](javascript:alert(2)) {: onclick=alert(3)} {{ jinja }} &amp; <!-- c -->"
)
"""Text no check let through: every field of the hostile statement carries it."""


def hostile_statement() -> Statement:
    return build_statement(
        {
            "id": "hostile",
            "title": f"Title {HOSTILE}",
            "date": "2026-01-01",
            "date_note": f"Date note {HOSTILE}",
            "kind": "speech",
            "parties": ["NO"],
            "issuing_forum": "hostile-forum",
            "place": f"Place {HOSTILE}",
            "language": "en",
            "signatories": [{"name": f"Name {HOSTILE}", "role": HOSTILE, "country": "NO"}],
            "summary": f"Summary {HOSTILE}",
            "series": "hostile-series",
            "sources": [
                {
                    "id": "src",
                    "title": f"Source {HOSTILE}",
                    "publisher": HOSTILE,
                    "url": "https://example.org/\"><script>alert('url')</script>",
                    "kind": "official-text",
                }
            ],
            "sections": [
                {
                    "id": "hostile-section",
                    "heading": f"Heading {HOSTILE}",
                    "countries": ["NO"],
                    "forums": ["hostile-forum"],
                    "topics": ["maritime-cooperation"],
                    "summary": f"Section summary {HOSTILE}",
                    "excerpts": [
                        {
                            "text": f"Excerpt {HOSTILE}\n\nSecond paragraph {HOSTILE}",
                            "original": {"language": "ru", "text": f"Оригинал {HOSTILE}"},
                        }
                    ],
                    "annotations": [
                        {"quote": "<script>alert('x')</script>", "note": f"Note {HOSTILE}"},
                        {"quote": "{: onclick=alert(3)}", "note": HOSTILE},
                    ],
                }
            ],
        },
        PurePosixPath("data/statements/2026/hostile.yml"),
    )


@pytest.fixture(scope="module")
def hostile_pages(archive: Archive) -> dict[str, str]:
    forum = Forum(
        id="hostile-forum",
        name=f"Forum {HOSTILE}",
        short=HOSTILE,
        kind="format",
        members=("NO",),
        aliases=(HOSTILE,),
        description=HOSTILE,
        url=None,
    )
    vocabularies = dataclasses.replace(
        archive.vocabularies, forums={**archive.vocabularies.forums, forum.id: forum}
    )
    statements = [*archive.statements, hostile_statement()]
    return render_site(build_index(statements, vocabularies), vocabularies, site_config(FIXTURE))


def test_excerpt_syntax_is_escaped_in_the_generated_markdown(hostile_pages: dict[str, str]) -> None:
    page = hostile_pages["statements/hostile.md"]
    # The front matter is data, not Markdown: its citation meta_tags hold plain text, which the
    # theme override escapes into attributes (tests/test_citation.py builds it to check).
    body, _ = get_data(page)
    assert "<script>" not in body and "<img" not in body and "<!--" not in body
    assert (
        "Second paragraph &lt;/title&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        " &lt;img src=x onerror=alert(1)&gt; *em* __strong__ [a](javascript:alert(2))"
        " {: onclick=alert(3)}"
        ' {{ jinja }} &amp;amp; &lt;!-- c --&gt; <a class="sa-anchor"'
    ) in page


def test_excerpt_reads_as_written_after_markdown(hostile_pages: dict[str, str]) -> None:
    html = markdown.Markdown(extensions=["attr_list", "toc"]).convert(
        hostile_pages["statements/hostile.md"]
    )
    page = parse_html(html)
    paragraph = page.find_id("hostile-section--p1")
    assert paragraph.text(lambda e: e.tag == "a") == f"Excerpt {HOSTILE}"
    assert {e.tag for e in paragraph.iter()} == {"p", "mark", "a"}


@pytest.fixture(scope="module")
def hostile_site(hostile_pages: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("hostile")
    copy_site_files(root)
    for path, content in hostile_pages.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(content, encoding="utf-8")
    assert mkdocs_build(root, root / "site")
    return Site(root / "site")


def assert_no_markup_from_data(site: Site, url: str) -> None:
    page = site.page(url)
    for element in page.root.iter():
        assert not [a for a in element.attrs if a.startswith("on")], (url, element.attrs)
        for attribute in ("href", "src", "action", "formaction"):
            value = element.attrs.get(attribute, "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (url, value)
        assert element.tag not in {"img", "iframe", "object", "embed", "style"}, url
    for script in page.elements("script"):  # Material's, and the archive's own (mkdocs.yml)
        if script.attrs.get("type") == "application/ld+json":  # data (main.html): no markup
            assert "<" not in script.text() and json.loads(script.text()), url
            continue
        assert "alert" not in script.text(), url
        if "src" in script.attrs:
            target = resolve(url, script.attrs["src"]) or ""
            ours = target in {"assets/statements.js", "assets/hubs.js"}
            assert target.startswith("assets/javascripts/") or ours, (url, script.attrs)


@pytest.mark.parametrize(
    "url",
    [
        "statements/hostile/",
        "forums/hostile-forum/",
        "forums/",
        "countries/no/",
        "topics/maritime-cooperation/",
        "timeline/",
        "",
    ],
)
def test_no_markup_from_data_reaches_the_built_site(hostile_site: Site, url: str) -> None:
    assert_no_markup_from_data(hostile_site, url)


def test_hostile_text_is_shown_as_written(hostile_site: Site) -> None:
    page = hostile_site.page("statements/hostile/")
    assert page.find_id("statement--title").text().startswith(f"Title {HOSTILE}")
    assert page.find_id("hostile-section").text().startswith(f"Heading {HOSTILE}")
    assert page.find_id("hostile-section--p1").text(lambda e: e.tag == "a") == f"Excerpt {HOSTILE}"
    (title,) = page.elements("title")
    assert title.text() == f"Title {' '.join(HOSTILE.split())} - Statement Archive"
    hub = hostile_site.page("forums/hostile-forum/")
    assert hub.find_id("hub--title").text().startswith(f"Forum {HOSTILE}")
