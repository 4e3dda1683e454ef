"""Citations (scripts/render/citation.py, cite.j2, the theme override docs/overrides/main.html) and
similar statements (scripts/index.py `similar_statements`).

The citations are read back the way their readers read them: BibTeX by pybtex (a BibTeX
work-alike, brace counting included), CSL-JSON by json, the front matter by MkDocs' own reader,
and the meta tags from the <head> of a page that MkDocs and Material built.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import PurePosixPath
from typing import Any

import pybtex.database
import pytest
import yaml
from conftest import FIXTURE, REPO, Page, Site, copy_site_files, prepared
from mkdocs.utils.meta import get_data

import scripts.index
from scripts.cli import Archive, mkdocs_build, site_config
from scripts.index import build_index, similar_statements
from scripts.model import PartialDate, Statement, Vocabularies, build_statement
from scripts.render.citation import (
    PUBLISHER,
    bibtex,
    bibtex_escape,
    cite,
    csl_json,
    meta_tags,
    meta_tags_yaml,
    name_list,
    plain_summary,
    plain_text,
    scholar_date,
)
from scripts.render.pages import render_site

REAL_ID = "2026-05-cn-ru-joint-statement"
REAL_URL = f"https://statement-archive.github.io/archive/statements/{REAL_ID}/"
FIXTURE_URL = "https://example.org/fictional/site/statements/{}/"
"""Where the fixture archive's pages are (its pyproject.toml [tool.archive] site_url)."""
HOSTILE = (
    "</title><script>alert('x')</script> \"double\" 'single' & &amp; <b>b</b> > < "
    "{ unbalanced {{ } \\textbf{x} $math$ 100% #1 a_b ~ ^ | @misc{k, title={t}} "
    '--- ... " /> <meta name="citation_title" content="forged">'
)
"""Text no check let through (validation refuses most of it first)."""


@pytest.fixture(scope="module")
def real() -> Archive:
    return prepared(REPO)


def by_id(archive: Archive, statement_id: str) -> Statement:
    return next(s for s in archive.statements if s.id == statement_id)


def hostile_statement(**changes: Any) -> Statement:
    data: dict[str, Any] = {
        "id": "hostile",
        "title": f"Title {HOSTILE}",
        "date": "2026-01",
        "kind": "speech",
        "parties": ["NO", "IS"],
        "issuing_forum": "arctic-dialogue",
        "place": f"Place {HOSTILE}",
        "language": "en",
        "summary": f"**Summary** {HOSTILE}",
        "sources": [{"id": "src", "title": "Source", "url": "https://example.org/source"}],
        "sections": [{"id": "part", "heading": f"Heading {HOSTILE}", "topics": ["security"]}],
    }
    data.update(changes)
    return build_statement(data, PurePosixPath("data/statements/2026/hostile.yml"))


def test_publisher_is_the_site_name() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == PUBLISHER


# --- plain text -------------------------------------------------------------------------------


def test_plain_text_of_the_real_statement(real: Archive) -> None:
    statement = by_id(real, REAL_ID)
    assert plain_text(statement, real.vocabularies, REAL_URL) == (
        "China and Russia. “Joint statement of China and Russia during President Putin's visit"
        " to China”. Joint statement, Beijing, May 2026. Statement Archive,"
        f" {REAL_URL}."
    )
    afghanistan = next(s for s in statement.sections if s.id == "afghanistan")
    assert plain_text(statement, real.vocabularies, REAL_URL, afghanistan) == (
        "China and Russia. “Joint statement of China and Russia during President Putin's visit"
        " to China”, section “Afghanistan”. Joint statement, Beijing, May 2026. Statement"
        f" Archive, {REAL_URL}#afghanistan."
    )


def test_plain_text_of_a_year_only_forum_statement(archive: Archive) -> None:
    statement = by_id(archive, "2025-fictional-arctic-dialogue-declaration")
    url = FIXTURE_URL.format(statement.id)
    assert plain_text(statement, archive.vocabularies, url) == (
        "Arctic Dialogue (fictional). “Fictional declaration of the Arctic Dialogue on fisheries"
        " and rescue at sea”. Declaration, Example Harbour, 2025. Statement Archive,"
        f" {url}."
    )


def test_plain_text_of_an_undated_statement_says_no_date(archive: Archive) -> None:
    statement = by_id(archive, "fictional-undated-iran-letter")
    url = FIXTURE_URL.format(statement.id)
    assert plain_text(statement, archive.vocabularies, url) == (
        "Iran. “Fictional undated letter from Iran to the Arctic Dialogue”. Letter, n.d."
        f" Statement Archive, {url}."
    )


def test_plain_text_without_issuers_starts_with_the_title(archive: Archive) -> None:
    statement = dataclasses.replace(
        by_id(archive, "2025-fictional-arctic-dialogue-declaration"), issuing_forum=None
    )
    assert plain_text(statement, archive.vocabularies, "u").startswith("“Fictional declaration")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["China"], "China"),
        (["China", "Russia"], "China and Russia"),
        (["Norway", "Iceland", "Arctic Dialogue"], "Norway, Iceland and Arctic Dialogue"),
        ([str(n) for n in range(1, 11)], "1, 2, 3, 4, 5, 6, 7, 8, 9 and 10"),
        ([str(n) for n in range(1, 12)], "1, 2, 3, 4, 5, 6, 7 et al."),
    ],
)
def test_name_list(names: list[str], expected: str) -> None:
    assert name_list(names) == expected


def test_plain_text_does_not_double_a_full_stop(archive: Archive) -> None:
    statement = dataclasses.replace(
        by_id(archive, "fictional-undated-iran-letter"), parties=(), issuing_forum=None
    )
    many = dataclasses.replace(
        statement, parties=("AF", "AM", "AZ", "BY", "CN", "IN", "IR", "KZ", "KG", "PK", "RU")
    )
    assert plain_text(many, archive.vocabularies, "u").startswith(
        "Afghanistan, Armenia, Azerbaijan, Belarus, China, India, Iran et al. “Fictional"
    )


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "scholar"),
    [
        ("2026-05-21", "2026/5/21"),
        ("2026-05", "2026"),
        ("2025", "2025"),
        ("2026-11-03", "2026/11/3"),
    ],
)
def test_scholar_date_is_full_or_the_year_alone(date: str, scholar: str) -> None:
    assert scholar_date(PartialDate.parse(date)) == scholar


def test_partial_and_missing_dates_in_every_format(archive: Archive) -> None:
    cases = {
        "2026-03-12-fictional-norway-iceland-statement": ("2026/3/12", "2026-03-12", [2026, 3, 12]),
        "2026-04-fictional-chinese-statement": ("2026", "2026-04", [2026, 4]),
        "2025-fictional-arctic-dialogue-declaration": ("2025", "2025", [2025]),
    }
    for statement in archive.statements:
        url = FIXTURE_URL.format(statement.id)
        tags = dict(meta_tags(statement, archive.vocabularies, url))
        entry = pybtex.database.parse_string(
            bibtex(statement, archive.vocabularies, url), "bibtex"
        ).entries[statement.id]
        (item,) = json.loads(csl_json(statement, archive.vocabularies, url))
        if statement.id in cases:
            scholar, iso, parts = cases[statement.id]
            assert tags["citation_publication_date"] == scholar
            assert tags["citation_date"] == iso
            assert entry.fields["year"] == str(parts[0])
            assert entry.fields["date"] == iso
            assert ("month" in entry.fields) == (len(parts) > 1)
            assert item["issued"] == {"date-parts": [parts]}
        else:
            assert statement.date is None
            assert not {"citation_publication_date", "citation_date"} & set(tags)
            assert not {"year", "month", "date"} & set(entry.fields)
            assert "issued" not in item
    chinese = by_id(archive, "2026-04-fictional-chinese-statement")
    text = bibtex(chinese, archive.vocabularies, "u")
    assert "  month = apr,\n" in text  # BibTeX's month macro, unbraced


# --- BibTeX -----------------------------------------------------------------------------------


def test_bibtex_of_the_real_statement(real: Archive) -> None:
    statement = by_id(real, REAL_ID)
    text = bibtex(statement, real.vocabularies, REAL_URL)
    assert text == (
        f"@misc{{{REAL_ID},\n"
        "  author = {{China} and {Russia}},\n"
        "  title = {{Joint statement of China and Russia during President Putin's visit to"
        " China}},\n"
        "  howpublished = {Statement Archive},\n"
        "  year = {2026},\n"
        "  month = may,\n"
        "  date = {2026-05},\n"
        "  note = {Joint statement, Beijing},\n"
        f"  url = {{{REAL_URL}}}\n"
        "}"
    )
    entry = pybtex.database.parse_string(text, "bibtex").entries[REAL_ID]
    assert entry.type == "misc"
    assert [str(p) for p in entry.persons["author"]] == ["{China}", "{Russia}"]
    assert entry.fields["month"] == "May"
    assert entry.fields["url"] == REAL_URL


def test_bibtex_parses_with_hostile_text(archive: Archive) -> None:
    statement = hostile_statement()
    entry = pybtex.database.parse_string(
        bibtex(statement, archive.vocabularies, "https://example.org/x/"), "bibtex"
    ).entries["hostile"]
    assert entry.fields["title"] == "{" + bibtex_escape(statement.title) + "}"
    assert [str(p) for p in entry.persons["author"]] == [
        "{Norway}",
        "{Iceland}",
        "{Arctic Dialogue (fictional)}",
    ]
    assert set(entry.fields) == {"title", "howpublished", "year", "month", "date", "note", "url"}


def test_bibtex_escape() -> None:
    assert bibtex_escape("A & B {x} 50% #1 a_b $y$ ~ ^ \\ < > | “Арктика” 北极") == (
        r"A \& B \textbraceleft{}x\textbraceright{} 50\% \#1 a\_b \$y\$ \textasciitilde{}"
        r" \textasciicircum{} \textbackslash{} \textless{} \textgreater{} \textbar{}"
        " “Арктика” 北极"
    )
    assert bibtex_escape("two\n  lines") == "two lines"
    # Only balanced braces come out, whatever goes in: BibTeX counts every brace.
    escaped = bibtex_escape("}{ { {{")
    assert escaped.count("{") == escaped.count("}")


# --- CSL-JSON ---------------------------------------------------------------------------------


def test_csl_json_of_the_real_statement(real: Archive) -> None:
    statement = by_id(real, REAL_ID)
    assert json.loads(csl_json(statement, real.vocabularies, REAL_URL)) == [
        {
            "id": REAL_ID,
            "type": "document",
            "title": "Joint statement of China and Russia during President Putin's visit to China",
            "author": [{"literal": "China"}, {"literal": "Russia"}],
            "issued": {"date-parts": [[2026, 5]]},
            "genre": "Joint statement",
            "event-place": "Beijing",
            "publisher": "Statement Archive",
            "language": "en",
            "URL": REAL_URL,
        }
    ]


def test_csl_json_keeps_hostile_text_as_text(archive: Archive) -> None:
    statement = hostile_statement()
    (item,) = json.loads(csl_json(statement, archive.vocabularies, "u"))
    assert item["title"] == statement.title
    assert item["event-place"] == statement.place


# --- meta tags --------------------------------------------------------------------------------


def test_meta_tags_of_the_real_statement(real: Archive) -> None:
    statement = by_id(real, REAL_ID)
    tags = meta_tags(statement, real.vocabularies, REAL_URL)
    assert tags[:10] == (
        ("citation_title", statement.title),
        ("citation_author", "China"),
        ("citation_author", "Russia"),
        ("citation_publication_date", "2026"),
        ("citation_date", "2026-05"),
        ("citation_publisher", "Statement Archive"),
        ("citation_language", "en"),
        ("citation_public_url", REAL_URL),
        ("citation_abstract_html_url", REAL_URL),
        ("citation_abstract", plain_summary(statement.summary)),
    )
    assert tags[10:] == (("DC.type", "document"),)
    assert dict(tags)["citation_abstract"].startswith("A lengthy joint statement released")


def test_plain_summary_is_text() -> None:
    assert plain_summary("**Bold** and [a link](https://example.org) &amp; <b>x</b>\n\n2nd") == (
        "Bold and a link & x 2nd"
    )


@pytest.mark.parametrize(
    "value",
    [
        HOSTILE,
        "---",
        "...",
        "line one\n---\nline three",
        "- item: x\n  key: value",
        "'single' \"double\" # comment : colon, [flow] {map} *alias &anchor !tag |",
        "2026",
        "yes",
        "null",
        "Controls \x85\x80 and \ufeff, astral \U0001f600, 北极 Арктика گفت‌وگو",
        "A very long value " * 60,
    ],
)
def test_front_matter_reads_back_as_written(value: str) -> None:
    tags = (("citation_title", value), ("citation_author", value))
    front = meta_tags_yaml(tags)
    body, meta = get_data(f'---\ntitle: "t"\n{front}---\n# Heading\n')
    assert body == "# Heading\n"
    assert meta == {
        "title": "t",
        "meta_tags": [
            {"name": "citation_title", "content": value},
            {"name": "citation_author", "content": value},
        ],
    }


def test_meta_tag_values_are_folded_plain_text(archive: Archive) -> None:
    statement = hostile_statement(title="Two\nlines   of  <title>")
    tags = dict(meta_tags(statement, archive.vocabularies, "u"))
    assert tags["citation_title"] == "Two lines of <title>"


def test_cite_gathers_every_format(archive: Archive) -> None:
    statement = by_id(archive, "2026-03-12-fictional-norway-iceland-statement")
    url = FIXTURE_URL.format(statement.id)
    citation = cite(statement, archive.vocabularies, url)
    assert citation.text == plain_text(statement, archive.vocabularies, url)
    assert citation.bibtex == bibtex(statement, archive.vocabularies, url)
    assert citation.csl_json == csl_json(statement, archive.vocabularies, url)
    assert list(citation.sections) == [s.id for s in statement.sections]
    assert citation.sections["afghanistan"].endswith(f"{url}#afghanistan.")


# --- similar statements -----------------------------------------------------------------------


def made(
    statement_id: str,
    date: str | None = None,
    *,
    countries: tuple[str, ...] = (),
    forums: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
) -> Statement:
    """A statement with one section carrying the given tags."""
    data: dict[str, Any] = {
        "id": statement_id,
        "title": statement_id,
        "kind": "declaration",
        "summary": "Summary.",
        "sources": [{"id": "s", "title": "Source", "url": "https://example.org/s"}],
        "sections": [
            {
                "id": "only",
                "heading": "Only",
                "countries": list(countries),
                "forums": list(forums),
                "topics": list(topics),
            }
        ],
        "related": [{"id": other, "relation": "see-also"} for other in related],
    }
    if date:
        data["date"] = date
    return build_statement(data, PurePosixPath(f"data/statements/{statement_id}.yml"))


FILLER = [made(f"filler-{n}", "2000", countries=("BR",)) for n in range(6)]
"""Statements that share nothing with the ones under test, so the archive is big enough for the
tags under test to be rare."""


def similar_ids(statements: list[Statement], vocabularies: Vocabularies, of: str) -> list[str]:
    index = build_index(statements, vocabularies)
    return [s.id for s in index.similar.get(of, ())]


def test_similar_prefers_topics_to_countries(archive: Archive) -> None:
    statements = [
        made("base", "2026", countries=("AF",), topics=("security",)),
        made("same-country", "2026", countries=("AF",)),
        made("same-topic", "2020", topics=("security",)),
        *FILLER,
    ]
    assert similar_ids(statements, archive.vocabularies, "base") == ["same-topic", "same-country"]


def test_similar_prefers_rarer_tags(archive: Archive) -> None:
    statements = [
        made("base", "2026", topics=("security", "counter-terrorism")),
        made("rare", "2020", topics=("security",)),
        *(made(f"common-{n}", "2026", topics=("counter-terrorism",)) for n in range(3)),
        *FILLER,
    ]
    assert similar_ids(statements, archive.vocabularies, "base")[0] == "rare"


def test_similar_counts_every_shared_tag(archive: Archive) -> None:
    statements = [
        made("base", "2026", countries=("AF",), forums=("sco",), topics=("security",)),
        made("one", "2026", topics=("security",)),
        made("two", "2020", forums=("sco",), topics=("security",)),
        made("three", "2010", countries=("AF",), forums=("sco",), topics=("security",)),
        *FILLER,
    ]
    assert similar_ids(statements, archive.vocabularies, "base") == ["three", "two", "one"]


def test_similar_ties_go_to_the_newer_then_by_id(archive: Archive) -> None:
    statements = [
        made("base", "2026", topics=("security",)),
        made("old", "2020", topics=("security",)),
        made("undated", topics=("security",)),
        made("b-new", "2024-05", topics=("security",)),
        made("a-new", "2024-05", topics=("security",)),
        made("year-only", "2024", topics=("security",)),
        *FILLER,
    ]
    assert similar_ids(statements, archive.vocabularies, "base") == [
        "a-new",
        "b-new",
        "year-only",
        "old",
        "undated",
    ]


def test_similar_leaves_out_itself_and_related_statements_and_stops_at_five(
    archive: Archive,
) -> None:
    statements = [
        made("base", "2026", topics=("security",), related=("mine",)),
        made("mine", "2026", topics=("security",)),
        made("theirs", "2026", topics=("security",), related=("base",)),
        *(made(f"other-{n}", f"201{n}", topics=("security",)) for n in range(7)),
        *FILLER,
        *(made(f"more-filler-{n}", "2000", countries=("BR",)) for n in range(10)),
    ]
    found = similar_ids(statements, archive.vocabularies, "base")
    assert found == ["other-6", "other-5", "other-4", "other-3", "other-2"]
    for other in ("mine", "theirs"):  # related the other way round
        assert "base" not in similar_ids(statements, archive.vocabularies, other)


def test_similar_needs_a_shared_tag_that_says_something(archive: Archive) -> None:
    everywhere = [
        made(f"s{n}", "2026", countries=("BR",), topics=(f"{t}",))
        for n, t in (
            (1, "security"),
            (2, "counter-terrorism"),
        )
    ]
    index = build_index(everywhere, archive.vocabularies)
    assert index.similar == {}  # BR is on every statement: sharing it says nothing


def test_similar_is_deterministic(archive: Archive) -> None:
    statements = [*archive.statements, *FILLER, made("x", "2026", topics=("maritime-cooperation",))]
    forward = build_index(statements, archive.vocabularies).similar
    backward = build_index(list(reversed(statements)), archive.vocabularies).similar
    assert {k: [s.id for s in v] for k, v in forward.items()} == {
        k: [s.id for s in v] for k, v in backward.items()
    }


def test_similar_work_is_capped_to_the_statements_nearest_in_date(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scripts.index, "SIMILAR_CANDIDATES", 4)
    statements = [
        made(f"y{year}", str(year), topics=("security",)) for year in range(2000, 2012)
    ] + FILLER
    index = build_index(statements, archive.vocabularies)
    assert {s.id for s in index.similar["y2005"]} == {"y2003", "y2004", "y2006", "y2007"}
    assert {s.id for s in index.similar["y2000"]} == {"y2001", "y2002", "y2003", "y2004"}


def test_similar_statements_of_the_fixture(archive: Archive) -> None:
    similar = {k: [s.id for s in v] for k, v in archive.index.similar.items()}
    assert similar == {
        "2025-fictional-arctic-dialogue-declaration": ["2026-04-fictional-chinese-statement"],
        "2026-03-12-fictional-norway-iceland-statement": ["fictional-undated-iran-letter"],
        "2026-04-fictional-chinese-statement": ["2025-fictional-arctic-dialogue-declaration"],
        "fictional-undated-iran-letter": ["2026-03-12-fictional-norway-iceland-statement"],
    }
    # Without leaving out related statements, Norway and Iceland's would list the declaration it
    # follows and the Chinese statement that points to it first: they share the most with it.
    tagged = {key: hub.statements for key, hub in archive.index.hubs.items()}
    everything = similar_statements(archive.index.statements, tagged, {})
    assert [s.id for s in everything["2026-03-12-fictional-norway-iceland-statement"]] == [
        "2025-fictional-arctic-dialogue-declaration",
        "2026-04-fictional-chinese-statement",
        "fictional-undated-iran-letter",
    ]


# --- the built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The fixture archive and a hostile statement (built without validation, as if a check had
    let it through), generated and built by MkDocs with the repository's configuration."""
    statements = [*archive.statements, hostile_statement()]
    pages = render_site(
        build_index(statements, archive.vocabularies), archive.vocabularies, site_config(FIXTURE)
    )
    root = tmp_path_factory.mktemp("citation")
    copy_site_files(root)
    for path, content in pages.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(content, encoding="utf-8")
    assert mkdocs_build(root, root / "site")
    return Site(root / "site")


def head_meta(page: Page) -> list[tuple[str, str]]:
    (head,) = page.elements("head")
    return [
        (e.attrs["name"], e.attrs.get("content", ""))
        for e in head.iter()
        if e.tag == "meta" and e.attrs.get("name", "").startswith(("citation_", "DC."))
    ]


def test_meta_tags_reach_the_head_of_every_statement_page(archive: Archive, site: Site) -> None:
    for statement in archive.statements:
        url = FIXTURE_URL.format(statement.id)
        page = site.page(f"statements/{statement.id}/")
        assert head_meta(page) == list(meta_tags(statement, archive.vocabularies, url))
    for other in ("", "countries/no/", "timeline/", "about/", "404.html"):
        assert head_meta(site.page(other)) == [], other


def test_hostile_meta_tags_stay_attribute_values(archive: Archive, site: Site) -> None:
    page = site.page("statements/hostile/")
    statement = hostile_statement()
    tags = meta_tags(statement, archive.vocabularies, FIXTURE_URL.format("hostile"))
    assert head_meta(page) == list(tags)
    assert dict(tags)["citation_title"] == f"Title {' '.join(HOSTILE.split())}"
    (head,) = page.elements("head")
    assert [e.text() for e in head.iter() if e.tag == "title"] == [
        f"Title {' '.join(HOSTILE.split())} - Statement Archive"
    ]
    # JSON-LD (main.html) holds the title as data, its < and > escaped: test_reader_finish.py
    ld = "application/ld+json"
    code = [e for e in page.root.iter() if e.tag == "script" and e.attrs.get("type") != ld]
    assert not [e for e in code if "alert" in e.text()]
    assert not [e for e in page.root.iter() if e.tag in {"b", "img"}]
    html = (site.folder / "statements" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and 'content="forged"' not in html


def test_cite_blocks_on_the_page(archive: Archive, site: Site) -> None:
    statement = by_id(archive, "2026-03-12-fictional-norway-iceland-statement")
    url = FIXTURE_URL.format(statement.id)
    citation = cite(statement, archive.vocabularies, url)
    page = site.page(f"statements/{statement.id}/")
    block = next(e for e in page.root.iter() if e.classes() == {"sa-cite"})
    codes = ["".join(str(c) for c in code.children) for code in block.iter() if code.tag == "code"]
    assert codes == [citation.text, citation.bibtex, citation.csl_json]
    assert [s.text() for s in block.iter() if s.tag == "summary"] == [
        "BibTeX",
        "CSL-JSON (Zotero, Pandoc, citeproc)",
    ]
    cites = [e for e in page.root.iter() if "sa-cite--section" in e.classes()]
    assert len(cites) == len(statement.sections)
    assert cites[1].text().endswith(citation.sections["afghanistan"])
    hostile = site.page("statements/hostile/")
    hostile_block = next(e for e in hostile.root.iter() if e.classes() == {"sa-cite"})
    assert hostile_block.text().startswith("Norway, Iceland and Arctic Dialogue (fictional).")
    assert {e.tag for e in hostile_block.iter()} == {"div", "pre", "code", "details", "summary"}


def test_similar_section_links_to_the_statements(site: Site) -> None:
    page = site.page("statements/2026-03-12-fictional-norway-iceland-statement/")
    section = page.find_id("statement--similar")
    assert section.text().startswith("Similar statements")
    assert "statements/fictional-undated-iran-letter/" in page.link_targets()


def test_no_override_file_reaches_the_site(site: Site) -> None:
    assert not (site.folder / "overrides").exists()
    assert not list(site.folder.rglob("main.html"))
    sitemap = (site.folder / "sitemap.xml").read_text(encoding="utf-8")
    assert "overrides" not in sitemap


def test_hostile_cite_text_is_shown_as_written(site: Site) -> None:
    page = site.page("statements/hostile/")
    block = next(e for e in page.root.iter() if e.classes() == {"sa-cite"})
    text = next(e for e in block.iter() if "sa-cite__text" in e.classes())
    assert f"“Title {' '.join(HOSTILE.split())}”." in text.text()
    section = next(e for e in page.root.iter() if "sa-cite--section" in e.classes())
    assert f"section “Heading {' '.join(HOSTILE.split())}”." in section.text()
