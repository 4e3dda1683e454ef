"""Citations (scripts/render/citation.py, cite.j2, the theme override docs/overrides/main.html) and
similar statements (scripts/index.py `similar_statements`).

The citations are read back the way their readers read them: BibTeX by pybtex (a BibTeX
work-alike, brace counting included), CSL-JSON by json, the front matter by MkDocs' own reader,
and the meta tags from the <head> of a page that MkDocs and Material built.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import PurePosixPath
from typing import Any

import pybtex.database
import pytest
import yaml
from mkdocs.utils.meta import get_data
from support.archive import FIXTURE, REPO, copy_site_files, prepared
from support.html import Page, Site

import scripts.index
from scripts.index import build_index, similar_statements
from scripts.model import PartialDate, Statement, Vocabularies, build_statement
from scripts.pipeline import Archive, mkdocs_build, site_config
from scripts.render.citation import (
    PUBLISHER,
    bibtex,
    bibtex_escape,
    cite,
    csl_item,
    csl_json,
    institution,
    issuers,
    meta_tags,
    meta_tags_yaml,
    name_list,
    plain_summary,
    plain_text,
    scholar_date,
)
from scripts.render.jobs import render_site
from scripts.text import fold

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
        "2025-05-14-fictional-harbour-consultations-round-1": (
            "2025/5/14",
            "2025-05-14",
            [2025, 5, 14],
        ),
        "2025-11-20-fictional-harbour-consultations-round-2": (
            "2025/11/20",
            "2025-11-20",
            [2025, 11, 20],
        ),
        "2026-02-fictional-harbour-consultations-round-3": ("2026", "2026-02", [2026, 2]),
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
            assert item["issued"] == {"literal": "n.d."}  # so APA prints "(n.d.)", no "Retrieved"
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
        "  address = {Beijing},\n"
        "  location = {Beijing},\n"
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
    assert set(entry.fields) == {
        "title",
        "howpublished",
        "year",
        "month",
        "date",
        "address",
        "location",
        "note",
        "url",
    }
    assert entry.fields["address"] == entry.fields["location"] == bibtex_escape(statement.place)


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


def test_a_section_has_bibtex_and_csl_json_of_its_own(real: Archive) -> None:
    statement = by_id(real, REAL_ID)
    section = next(s for s in statement.sections if s.id == "afghanistan")
    key = f"{REAL_ID}--afghanistan"
    entry = pybtex.database.parse_string(
        bibtex(statement, real.vocabularies, REAL_URL, section), "bibtex"
    ).entries[key]
    assert entry.fields["title"] == (
        "{Joint statement of China and Russia during President Putin's visit to China,"
        " section “Afghanistan”}"
    )
    assert entry.fields["url"] == f"{REAL_URL}#afghanistan"
    assert entry.fields["location"] == "Beijing"
    (item,) = json.loads(csl_json(statement, real.vocabularies, REAL_URL, section))
    assert item["id"] == key
    assert item["title"] == "Afghanistan"
    assert item["container-title"] == statement.title
    assert item["URL"] == f"{REAL_URL}#afghanistan"
    assert item["issued"] == {"date-parts": [[2026, 5]]}
    (whole,) = json.loads(csl_json(statement, real.vocabularies, REAL_URL))
    assert {
        k: v for k, v in item.items() if k not in {"id", "title", "container-title", "URL"}
    } == {k: v for k, v in whole.items() if k not in {"id", "title", "URL"}}


def test_a_hostile_section_heading_stays_text_in_every_format(archive: Archive) -> None:
    statement = hostile_statement()
    (section,) = statement.sections
    entry = pybtex.database.parse_string(
        bibtex(statement, archive.vocabularies, "https://example.org/x/", section), "bibtex"
    ).entries["hostile--part"]
    assert entry.fields["title"].endswith(f"section “{bibtex_escape(section.heading)}”}}")
    (item,) = json.loads(csl_json(statement, archive.vocabularies, "u", section))
    assert item["title"] == section.heading


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
            "publisher-place": "Beijing",
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
    assert item["event-place"] == item["publisher-place"] == statement.place


# --- how Zotero reads the authors -------------------------------------------------------------
#
# Zotero's "Embedded Metadata" translator (zotero/translators, "Embedded Metadata.js": the
# Highwire creators) with the name cleaner it calls (zotero/utilities, utilities.js: cleanAuthor),
# read and restated here in our own words, as far as it decides what an author becomes:
#
# 1. Each citation_author tag is cut at semicolons. If there is only one tag and it holds no
#    semicolon, it is also cut at commas, but only when the parts on both sides of the first
#    comma contain a space ("Doe, Jane, Roe, Richard" as two people; not "Doe, Jane"). (For a
#    Spanish-language page it does not cut a name that looks like a Spanish one; ours are not.)
# 2. A piece with nothing but spaces and , - . ; is dropped, and so is a piece equal to the one
#    before it.
# 3. Whether the piece is inverted ("Last, First") is decided by whether it holds a comma,
#    before anything is trimmed. Then spaces, full stops, commas, slashes, square brackets and
#    colons are trimmed from both ends.
# 4. Inverted: cut at the first comma (ASCII or Arabic): before it the last name, after it the
#    first name; with nothing to cut (the only comma was trimmed away), the whole is the last
#    name and there is no first name. Not inverted: cut at the last space that is followed by a
#    letter: before it the first name, after it the last name; with no such space, the whole is
#    the last name.
# 5. A first name of one to three capitals (while the last name is not all capitals) is taken
#    for initials: "DR" becomes "D. R.".
# 6. When the item is saved, a creator with no first name is stored as a single-field name: an
#    institution, kept whole. Any other becomes a person, first and last name.

_EDGE = "[\\s\u00a0.,/\\[\\]:]+"


def zotero_authors(contents: list[str]) -> list[dict[str, str]]:
    """The creators Zotero makes of these citation_author contents, by the rule above: a
    {"name"} for a single-field (institutional) name, else {"firstName", "lastName"}."""
    pieces: list[str] = []
    for content in contents:
        parts = re.split(r"\s*;\s*", content)
        if len(parts) == 1 and len(contents) == 1:
            by_comma = re.split(r"\s*,\s*", parts[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                parts = by_comma
        pieces += parts
    creators: list[dict[str, str]] = []
    previous = None
    for piece in (p.strip() for p in pieces):
        if not re.search(r"[^\s,\-.;]", piece) or piece == previous:
            continue
        previous = piece
        inverted = "," in piece
        name = re.sub(f"^{_EDGE}|{_EDGE}$", "", piece)
        name = re.sub(r"[\s\u00a0]+", " ", name, count=1)
        if inverted:
            last, *rest = re.split(r"[,،] ?", name)
            first = rest[0] if rest else ""
        else:
            cut = max((m.start() for m in re.finditer(r" (?=[^\W\d_])", name)), default=-1)
            first, last = (name[:cut], name[cut + 1 :]) if cut > 0 else ("", name)
        if re.fullmatch("[A-Z\u0400-\u042f]{1,3}", first) and (
            len(first) == 1 or last.upper() != last
        ):
            first = " ".join(f"{letter}." for letter in first)
        creators.append({"firstName": first, "lastName": last} if first else {"name": last})
    return creators


def test_the_rule_splits_a_plain_multi_word_name_as_the_issue_saw() -> None:
    """The rule, on the tags as they were: "United States" became "States, United", "DR Congo"
    became "Congo, D. R." (issue 14); a one-word name was whole already."""
    assert zotero_authors(["United States", "DR Congo", "Russia"]) == [
        {"firstName": "United", "lastName": "States"},
        {"firstName": "D. R.", "lastName": "Congo"},
        {"name": "Russia"},
    ]
    assert zotero_authors(["Doe, Jane"]) == [{"firstName": "Jane", "lastName": "Doe"}]
    assert zotero_authors(["Jane Doe; Richard Roe"]) == [
        {"firstName": "Jane", "lastName": "Doe"},
        {"firstName": "Richard", "lastName": "Roe"},
    ]


@pytest.mark.parametrize(
    "names",
    [
        ["United States"],
        ["United States", "South Africa", "Moldova"],
        ["DR Congo"],
        ["Arctic Dialogue (fictional)", "Norway"],
        ["Shanghai Cooperation Organisation"],
        ["Collective Security Treaty Organization", "New\u00a0Zealand", "Kyrgyz  Republic"],
    ],
)
def test_zotero_reads_each_issuer_as_one_institutional_name(names: list[str]) -> None:
    assert zotero_authors([institution(n) for n in names]) == [{"name": fold(n)} for n in names]


def test_every_issuer_name_of_the_vocabularies_reaches_zotero_whole(real: Archive) -> None:
    """Every country and forum name the archive can print as an issuer, but the ISO names that
    hold a comma themselves (Zotero cuts at a comma whatever comes after it; data/countries.yml
    can give such a territory a name without one, should it ever issue a statement)."""
    vocabularies = real.vocabularies
    names = [c.name for c in vocabularies.countries.values()]
    names += [f.name for f in vocabularies.forums.values()]
    broken = sorted(n for n in names if zotero_authors([institution(n)]) != [{"name": fold(n)}])
    assert broken == [
        "Bonaire, Sint Eustatius and Saba",
        "Saint Helena, Ascension and Tristan da Cunha",
        "Virgin Islands, British",
        "Virgin Islands, U.S.",
    ]


def test_zotero_reads_the_real_statement_and_every_fixture_statement(
    real: Archive, archive: Archive
) -> None:
    for source in (real, archive):
        for statement in source.statements:
            tags = meta_tags(statement, source.vocabularies, "u")
            authors = [content for name, content in tags if name == "citation_author"]
            expected = [{"name": fold(n)} for n in issuers(statement, source.vocabularies)]
            assert zotero_authors(authors) == expected, statement.id
            places = [content for name, content in tags if name == "eprints.event_location"]
            assert places == ([fold(statement.place)] if statement.place else [])


def test_zotero_reads_the_built_page_head_the_same(archive: Archive, cited_site: Site) -> None:
    statement = by_id(archive, "2025-fictional-arctic-dialogue-declaration")
    head = head_meta(cited_site.page(f"statements/{statement.id}/"))
    authors = [content for name, content in head if name == "citation_author"]
    assert zotero_authors(authors) == [{"name": "Arctic Dialogue (fictional)"}]
    assert ("eprints.event_location", "Example Harbour") in head


# --- meta tags --------------------------------------------------------------------------------


def test_meta_tags_of_the_real_statement(real: Archive) -> None:
    statement = by_id(real, REAL_ID)
    tags = meta_tags(statement, real.vocabularies, REAL_URL)
    assert tags[:10] == (
        ("citation_title", statement.title),
        ("citation_author", "China,"),
        ("citation_author", "Russia,"),
        ("citation_publication_date", "2026"),
        ("citation_date", "2026-05"),
        ("citation_publisher", "Statement Archive"),
        ("citation_language", "en"),
        ("citation_public_url", REAL_URL),
        ("citation_abstract_html_url", REAL_URL),
        ("citation_abstract", plain_summary(statement.summary)),
    )
    assert tags[10:] == (("eprints.event_location", "Beijing"), ("DC.type", "document"))
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
    afghanistan = next(s for s in statement.sections if s.id == "afghanistan")
    section = citation.sections["afghanistan"]
    assert section.text == plain_text(statement, archive.vocabularies, url, afghanistan)
    assert section.text.endswith(f"{url}#afghanistan.")
    assert section.bibtex == bibtex(statement, archive.vocabularies, url, afghanistan)
    assert section.csl_json == csl_json(statement, archive.vocabularies, url, afghanistan)


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
    round_1, round_2, round_3 = (
        "2025-05-14-fictional-harbour-consultations-round-1",
        "2025-11-20-fictional-harbour-consultations-round-2",
        "2026-02-fictional-harbour-consultations-round-3",
    )
    harbour = [round_2, round_3, round_1]  # the rounds share a forum, issuers and topics
    assert similar == {
        "2025-fictional-arctic-dialogue-declaration": [
            "2026-04-fictional-chinese-statement",
            *harbour,
        ],
        round_1: [
            round_3,
            round_2,
            "2026-03-12-fictional-norway-iceland-statement",
            "2025-fictional-arctic-dialogue-declaration",
            "2026-04-fictional-chinese-statement",
        ],
        round_2: [
            round_3,
            round_1,
            "2026-03-12-fictional-norway-iceland-statement",
            "2025-fictional-arctic-dialogue-declaration",
            "2026-04-fictional-chinese-statement",
        ],
        round_3: [
            round_2,
            round_1,
            "2026-03-12-fictional-norway-iceland-statement",
            "2025-fictional-arctic-dialogue-declaration",
            "2026-04-fictional-chinese-statement",
        ],
        "2026-03-12-fictional-norway-iceland-statement": [
            round_2,
            round_3,
            "fictional-undated-iran-letter",
            round_1,
        ],
        "2026-04-fictional-chinese-statement": [
            "2025-fictional-arctic-dialogue-declaration",
            *harbour,
        ],
        "fictional-undated-iran-letter": ["2026-03-12-fictional-norway-iceland-statement"],
    }
    # Without leaving out related statements, Norway and Iceland's would list the declaration it
    # follows and the Chinese statement that points to it, after the round that names Norway.
    tagged = {key: hub.statements for key, hub in archive.index.hubs.items()}
    everything = similar_statements(archive.index.statements, tagged, {})
    assert [s.id for s in everything["2026-03-12-fictional-norway-iceland-statement"]] == [
        "2025-11-20-fictional-harbour-consultations-round-2",
        "2025-fictional-arctic-dialogue-declaration",
        "2026-02-fictional-harbour-consultations-round-3",
        "2026-04-fictional-chinese-statement",
        "fictional-undated-iran-letter",
    ]


# --- the built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cited_site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Site:
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
        if e.tag == "meta" and e.attrs.get("name", "").startswith(("citation_", "DC.", "eprints."))
    ]


def test_meta_tags_reach_the_head_of_every_statement_page(
    archive: Archive, cited_site: Site
) -> None:
    for statement in archive.statements:
        url = FIXTURE_URL.format(statement.id)
        page = cited_site.page(f"statements/{statement.id}/")
        assert head_meta(page) == list(meta_tags(statement, archive.vocabularies, url))
    for other in ("", "countries/no/", "timeline/", "about/", "404.html"):
        assert head_meta(cited_site.page(other)) == [], other


def test_hostile_meta_tags_stay_attribute_values(archive: Archive, cited_site: Site) -> None:
    page = cited_site.page("statements/hostile/")
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
    html = (cited_site.folder / "statements/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and 'content="forged"' not in html


def test_cite_blocks_on_the_page(archive: Archive, cited_site: Site) -> None:
    statement = by_id(archive, "2026-03-12-fictional-norway-iceland-statement")
    url = FIXTURE_URL.format(statement.id)
    citation = cite(statement, archive.vocabularies, url)
    page = cited_site.page(f"statements/{statement.id}/")
    block = next(e for e in page.root.iter() if e.classes() == {"sa-cite"})
    codes = ["".join(str(c) for c in code.children) for code in block.iter() if code.tag == "code"]
    assert codes == [citation.text, citation.bibtex, citation.csl_json]
    assert [s.text() for s in block.iter() if s.tag == "summary"] == [
        "BibTeX",
        "CSL-JSON (Zotero, Pandoc, citeproc)",
    ]
    cites = [e for e in page.root.iter() if "sa-cite--section" in e.classes()]
    assert len(cites) == len(statement.sections)
    afghanistan = citation.sections["afghanistan"]
    codes = [
        "".join(str(c) for c in code.children) for code in cites[1].iter() if code.tag == "code"
    ]
    assert codes == [afghanistan.text, afghanistan.bibtex, afghanistan.csl_json]
    assert [s.text() for s in cites[1].iter() if s.tag == "summary"] == [
        "Cite this section",
        "BibTeX",
        "CSL-JSON (Zotero, Pandoc, citeproc)",
    ]
    hostile = cited_site.page("statements/hostile/")
    hostile_block = next(e for e in hostile.root.iter() if e.classes() == {"sa-cite"})
    assert hostile_block.text().startswith("Norway, Iceland and Arctic Dialogue (fictional).")
    assert {e.tag for e in hostile_block.iter()} == {"div", "pre", "code", "details", "summary"}


def test_similar_section_links_to_the_statements(cited_site: Site) -> None:
    page = cited_site.page("statements/2026-03-12-fictional-norway-iceland-statement/")
    section = page.find_id("statement--similar")
    assert section.text().startswith("Similar statements")
    assert "statements/fictional-undated-iran-letter/" in page.link_targets()


def test_no_override_file_reaches_the_site(cited_site: Site) -> None:
    assert not (cited_site.folder / "overrides").exists()
    assert not list(cited_site.folder.rglob("main.html"))
    sitemap = (cited_site.folder / "sitemap.xml").read_text(encoding="utf-8")
    assert "overrides" not in sitemap


def test_hostile_cite_text_is_shown_as_written(cited_site: Site) -> None:
    page = cited_site.page("statements/hostile/")
    block = next(e for e in page.root.iter() if e.classes() == {"sa-cite"})
    text = next(e for e in block.iter() if "sa-cite__text" in e.classes())
    assert f"“Title {' '.join(HOSTILE.split())}”." in text.text()
    section = next(e for e in page.root.iter() if "sa-cite--section" in e.classes())
    assert f"section “Heading {' '.join(HOSTILE.split())}”." in section.text()


def test_a_round_of_a_series_is_cited_with_its_series_and_number(archive: Archive) -> None:
    statement = next(s for s in archive.statements if s.round == 2 and s.series)
    url = "https://example.org/x/"
    entry = bibtex(statement, archive.vocabularies, url)
    name = archive.vocabularies.series[statement.series].name
    assert f"  series = {{{bibtex_escape(name)}}}" in entry
    assert "  number = {2}" in entry
    item = csl_item(statement, archive.vocabularies, url)
    assert item["collection-title"] == name and item["collection-number"] == "2"


# --- series and rounds ---------------------------------------------------------------------------

ROUND_3 = "2026-02-fictional-harbour-consultations-round-3"


def test_a_round_of_a_series_in_every_format(archive: Archive) -> None:
    """The series and the round where each format has a place for them: in brackets after the
    title (plain text), `series` and `number` (BibTeX), `collection-title` and
    `collection-number` (CSL)."""
    statement = by_id(archive, ROUND_3)
    url = FIXTURE_URL.format(ROUND_3)
    assert plain_text(statement, archive.vocabularies, url) == (
        "Iceland, Finland, Sweden and Harbour Format (fictional). “Joint statement of the third"
        " Harbour Consultations (fictional)” (Fictional Harbour Consultations, round 3). Joint"
        f" statement, Port Example, February 2026. Statement Archive, {url}."
    )
    text = bibtex(statement, archive.vocabularies, url)
    assert text == (
        f"@misc{{{ROUND_3},\n"
        "  author = {{Iceland} and {Finland} and {Sweden} and {Harbour Format (fictional)}},\n"
        "  title = {{Joint statement of the third Harbour Consultations (fictional)}},\n"
        "  howpublished = {Statement Archive},\n"
        "  year = {2026},\n"
        "  month = feb,\n"
        "  date = {2026-02},\n"
        "  address = {Port Example},\n"
        "  location = {Port Example},\n"
        "  series = {Fictional Harbour Consultations},\n"
        "  number = {3},\n"
        "  note = {Joint statement, Port Example, round 3},\n"
        f"  url = {{{url}}}\n"
        "}"
    )
    entry = pybtex.database.parse_string(text, "bibtex").entries[ROUND_3]
    assert entry.fields["series"] == "Fictional Harbour Consultations"
    assert entry.fields["number"] == "3"
    (item,) = json.loads(csl_json(statement, archive.vocabularies, url))
    assert item["collection-title"] == "Fictional Harbour Consultations"
    assert item["collection-number"] == "3"
    section = statement.sections[1]
    assert plain_text(statement, archive.vocabularies, url, section).startswith(
        "Iceland, Finland, Sweden and Harbour Format (fictional). “Joint statement of the third"
        " Harbour Consultations (fictional)”, section “Access to the harbour” (Fictional Harbour"
        " Consultations, round 3). Joint statement,"
    )


def test_a_series_without_rounds_has_no_number(archive: Archive) -> None:
    statement = dataclasses.replace(by_id(archive, ROUND_3), round=None)
    url = FIXTURE_URL.format(ROUND_3)
    assert "(Fictional Harbour Consultations). Joint" in plain_text(
        statement, archive.vocabularies, url
    )
    entry = pybtex.database.parse_string(bibtex(statement, archive.vocabularies, url), "bibtex")
    assert "number" not in entry.entries[ROUND_3].fields
    (item,) = json.loads(csl_json(statement, archive.vocabularies, url))
    assert "collection-number" not in item and item["collection-title"]
    alone = dataclasses.replace(statement, series=None)
    assert "Consultations (fictional)”. Joint" in plain_text(alone, archive.vocabularies, url)
    assert "series" not in bibtex(alone, archive.vocabularies, url)


def test_no_citation_names_a_source_title_the_archive_supplied(archive: Archive) -> None:
    """What is cited is the statement under its own title, never a source: a supplied title
    (the source shows none) appears in no citation of any statement or section."""
    for statement in archive.statements:
        citation = cite(statement, archive.vocabularies, FIXTURE_URL.format(statement.id))
        texts = [citation.text, citation.bibtex, citation.csl_json]
        texts += [v for _, v in citation.meta_tags]
        for section in citation.sections.values():
            texts += [section.text, section.bibtex, section.csl_json]
        for source in (s for s in statement.sources if s.title_supplied):
            cited = (f"“{source.title}”", f"{{{{{source.title}}}}}", json.dumps(source.title))
            assert not any(form in text for form in cited for text in texts), source.id
