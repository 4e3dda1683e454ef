"""Data downloads under /data/ (pure; strings): the whole archive as JSON and CSV, the same a year
at a time, the statement JSON Schema, and the page that explains them. The statements' JSON and
the sections CSV, whole and year by year, reach the built site gzipped only (scripts/site.py
`published`): uncompressed, they would repeat the statements' own JSON files.

Deterministic: statements in the archive's order (oldest first, undated last, ties by id), keys in
a fixed order, no build time. JSON is UTF-8, not ASCII-escaped; CSV is written by the standard
library's csv module (RFC 4180 quoting, "\\n" line ends), UTF-8 without a byte-order mark.

CSV cells are made safe for spreadsheets (OWASP, "CSV Injection"): a spreadsheet runs a cell
that begins with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` can carry data away, DDE
formulas can start programs), and a leading tab or carriage return can hide such a start. Every
cell that begins with one of them gets a single quote `'` before it, OWASP's advice: the cell is
then read as text (some spreadsheets show the quote, some hide it); the csv module quotes cells
as usual. The columns are
all text: ids, dates (YYYY-MM-DD, never negative), counts, addresses and contributor text; only
the last can begin so, but every cell of both files goes through the same rule. A carriage
return inside a cell becomes a line feed (see `spreadsheet_cell`). statements.json keeps every
text exactly as written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from scripts.index import Index
from scripts.model import TAG_LISTS, Excerpt, PartialDate, Section, Statement, TagKind, Vocabularies
from scripts.render.feeds import FEED_ENTRIES, feed_path
from scripts.render.html import relative_url
from scripts.render.statement_api import participant_record, source_record, tag_lists
from scripts.render.templating import environment
from scripts.site import (
    DATA_FOLDER,
    HUB_FOLDERS,
    SCHEMA_FILE,
    HubKind,
    SiteConfig,
    published,
    statement_url,
)
from scripts.text import paragraphs

"""The validator's own schema, published as it is."""
LIST_SEPARATOR = ";"
"""Joins ids (tags, parties) in one CSV cell; no id contains it."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""
TEXT_MARK = "'"
"""Put before such a cell: a spreadsheet then shows the rest as text."""
URL_SEPARATOR = " "
"""Joins URLs in one CSV cell; a valid URL never contains a space (the schema refuses one)."""

STATEMENT_COLUMNS: list[tuple[str, str]] = [
    ("id", "The statement's id; also its file name and page address."),
    ("title", "Title."),
    ("date", "YYYY-MM-DD, YYYY-MM or YYYY, as far as it is known; empty when undated."),
    ("date_note", "Why the date is what it is, when the file says so."),
    ("kind", "Kind of statement (an id: joint-statement, declaration …)."),
    ("kind_name", "The kind's display name."),
    ("parties", "Issuing countries, ISO 3166-1 alpha-2 codes joined by ';'."),
    ("issuing_forum", "The forum that issued it (a forum id), if any."),
    (
        "participants",
        "Who took part without issuing it, joined by ';': each as <kind>:<id>:<role>, the kind"
        " country, forum or actor, the role participant, guest, observer, host or mediator"
        " (a guest country: country:AF:guest; an observer forum: forum:un:observer). Their notes"
        " are in statements.json.",
    ),
    ("place", "Where it was issued."),
    ("language", "Language of the excerpts (BCP 47)."),
    ("series", "The series it belongs to (an id of data/series.yml), if any."),
    ("series_name", "The series' display name."),
    ("round", "Its meeting's ordinal in the series (1, 2 …), if given."),
    (
        "countries",
        "Countries it concerns: its own tags, every section's and every excerpt's, joined by ';'.",
    ),
    ("forums", "Forums it concerns, the same way."),
    ("topics", "Topics it concerns, the same way."),
    ("actors", "Actors (armed groups, alliances, authorities …) it concerns, the same way."),
    ("sections", "Number of sections (each is a row of sections.csv)."),
    ("summary", "Editorial summary, in the archive's words (Markdown)."),
    ("source_urls", "Addresses of its sources, joined by a space."),
    ("url", "Its page on this site."),
    ("file", "Its YAML file in the repository."),
]
SECTION_COLUMNS: list[tuple[str, str]] = [
    ("statement_id", "The statement it belongs to (a row of statements.csv)."),
    ("section_id", "The section's id, unique within the statement; its anchor on the page."),
    ("position", "1 for the statement's first section, 2 for the next …"),
    ("heading", "Heading."),
    ("statement_title", "Title of the statement."),
    ("date", "The statement's date, as in statements.csv."),
    ("series", "The statement's series, as in statements.csv."),
    ("round", "The statement's round in it, as in statements.csv."),
    (
        "countries",
        "Countries this section is about, joined by ';': the statement's own country tags, then"
        " the section's, then its excerpts' (what brings it to a country's page).",
    ),
    (
        "forums",
        "Forums this section is about, the same way; the statement's issuing forum first.",
    ),
    ("topics", "Topics this section is about, the same way."),
    ("actors", "Actors this section is about, the same way."),
    ("excerpts", "Verbatim text: every paragraph of every excerpt, separated by a blank line."),
    (
        "paragraphs",
        "The original's own numbers or labels of those paragraphs (2, III.4, preamble): one line"
        " for each paragraph of the excerpts cell, in the same order, empty where its excerpt"
        " has none; the whole cell empty when no excerpt has one.",
    ),
    ("summary", "Editorial summary of the section, if any (Markdown)."),
    ("annotations", "Number of editorial notes on its excerpts (their text is in the JSON)."),
    ("url", "The section on the statement's page (…/#<section id>)."),
]


def statement_schema() -> str:
    """The statement JSON Schema exactly as the validator applies it."""
    return SCHEMA_FILE.read_text(encoding="utf-8")


def _date(date: PartialDate | None) -> str | None:
    return date.iso if date else None


def _excerpt(excerpt: Excerpt) -> dict[str, Any]:
    return {
        "text": excerpt.text,
        "source": excerpt.source,
        "sources": list(excerpt.sources),
        "paragraph": excerpt.paragraph,
        **tag_lists(excerpt.tags),
        "variants": [{"source": v.source, "text": v.text} for v in excerpt.variants],
        "original": (
            {"language": excerpt.original.language, "text": excerpt.original.text}
            if excerpt.original
            else None
        ),
    }


def _section(statement: Statement, section: Section, config: SiteConfig) -> dict[str, Any]:
    return {
        "id": section.id,
        "url": config.absolute(statement_url(statement.id, section.id)),
        "heading": section.heading,
        **tag_lists(section.own_tags),
        **tag_lists(lambda kind: statement.section_tags(section, kind), "all_"),
        "summary": section.summary,
        "excerpts": [_excerpt(e) for e in section.excerpts],
        "annotations": [{"quote": a.quote, "note": a.note} for a in section.annotations],
    }


def statement_record(statement: Statement, config: SiteConfig) -> dict[str, Any]:
    """Every field of a statement file, in the file's order, absent ones as null or []; plus its
    page (`url`), its file (`file`) and the tags of its sections and excerpts gathered
    (`all_*`); each section with what it is about, its statement's tags carried to it
    (`all_*`). `round` is a number, `title_supplied` a boolean."""
    return {
        "id": statement.id,
        "url": config.absolute(statement_url(statement.id)),
        "file": str(statement.path),
        "title": statement.title,
        "date": _date(statement.date),
        "date_note": statement.date_note,
        "kind": statement.kind,
        "parties": list(statement.parties),
        "issuing_forum": statement.issuing_forum,
        "place": statement.place,
        "language": statement.language,
        "signatories": [
            {"name": s.name, "role": s.role, "country": s.country} for s in statement.signatories
        ],
        "summary": statement.summary,
        "sources": [source_record(s) for s in statement.sources],
        **tag_lists(lambda kind: tuple(getattr(statement, TAG_LISTS[kind]))),
        **tag_lists(statement.all_tags, "all_"),
        "series": statement.series,
        "round": statement.round,
        "participants": [participant_record(p) for p in statement.participants],
        "sections": [_section(statement, s, config) for s in statement.sections],
        "related": [{"id": r.id, "relation": r.relation} for r in statement.related],
    }


def _names(
    statements: Sequence[Statement], vocabularies: Vocabularies
) -> dict[str, dict[str, str]]:
    """Display names of every country, forum, topic, actor, kind and series the statements use
    (tags, issuers, signatories, participants), by id."""
    used: dict[TagKind, set[str]] = {kind: set() for kind in TAG_LISTS}
    kinds: set[str] = set()
    series: set[str] = set()
    for statement in statements:
        for kind in TAG_LISTS:
            used[kind].update(statement.all_tags(kind))
        used["country"].update(statement.parties)
        used["country"].update(s.country for s in statement.signatories if s.country)
        if statement.issuing_forum:
            used["forum"].add(statement.issuing_forum)
        for participant in statement.participants:
            used[participant.kind].add(participant.id)
        kinds.add(statement.kind)
        if statement.series:
            series.add(statement.series)
    names = {
        field: {tag: vocabularies.name(kind, tag) for tag in sorted(used[kind])}
        for kind, field in TAG_LISTS.items()
    }
    names["kinds"] = {k: vocabularies.kinds[k].name for k in sorted(kinds)}
    names["series"] = {s: _series_name(vocabularies, s) for s in sorted(series)}
    return names


def _series_name(vocabularies: Vocabularies, series_id: str) -> str:
    series = vocabularies.series.get(series_id)
    return series.name if series else series_id


def statements_json(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> str:
    """Every statement with every field, and the display names of the ids they use."""
    return _statements_json(index.statements, vocabularies, config)


def _statements_json(
    statements: Sequence[Statement], vocabularies: Vocabularies, config: SiteConfig
) -> str:
    """`statements` with every field, and the display names of the ids they use: compact JSON
    (no indentation; a reader that shows it to people indents it), one line and a newline."""
    records = [_json(statement_record(s, config)) for s in statements]
    return _statements_document(statements, vocabularies, config, records)


def _statements_document(
    statements: Sequence[Statement],
    vocabularies: Vocabularies,
    config: SiteConfig,
    records: Sequence[str],
) -> str:
    """The JSON of `_statements_json`, around the statements' `records` made already (each as
    `_json` writes it): the same text as the whole document written by json.dumps at once."""
    head = {
        "site": config.absolute(""),
        "schema": config.absolute(f"{DATA_FOLDER}/statement.schema.json"),
        "count": len(statements),
        "names": _names(statements, vocabularies),
    }
    return _json(head)[:-1] + ',"statements":[' + ",".join(records) + "]}\n"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def compact_json(value: Any) -> str:
    """`value` as JSON without indentation or spaces, text as written (not ASCII-escaped)."""
    return _json(value) + "\n"


def spreadsheet_cell(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs: with `TEXT_MARK` before it if it begins with
    one of `FORMULA_STARTS`; and every carriage return in it a line feed. The csv module quotes
    a cell that holds a line feed (the files' line end), but (on Python 3.11) not one that holds
    a lone carriage return, which a reader takes for the end of the row: the rest of the cell
    would be read as a row of its own, whose first cell no rule here has seen."""
    cell = TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def _csv(columns: list[tuple[str, str]], rows: list[dict[str, str]]) -> str:
    return _csv_rows(columns, [], header=True) + _csv_rows(columns, rows)


def _csv_rows(
    columns: list[tuple[str, str]], rows: list[dict[str, str]], header: bool = False
) -> str:
    """`rows` as CSV lines (or the header line only): a file's lines are its header's, then
    each row's, so the whole archive's file is its header and the years' rows one after the
    other."""
    out = io.StringIO()
    writer = csv.DictWriter(out, [name for name, _ in columns], lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows({name: spreadsheet_cell(cell) for name, cell in row.items()} for row in rows)
    return out.getvalue()


def statements_csv(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> str:
    """One row per statement."""
    return _statements_csv(index.statements, vocabularies, config)


def _statements_csv(
    statements: Sequence[Statement], vocabularies: Vocabularies, config: SiteConfig
) -> str:
    return _csv(STATEMENT_COLUMNS, _statement_rows(statements, vocabularies, config))


def _statement_rows(
    statements: Sequence[Statement], vocabularies: Vocabularies, config: SiteConfig
) -> list[dict[str, str]]:
    return [
        {
            "id": s.id,
            "title": s.title,
            "date": _date(s.date) or "",
            "date_note": s.date_note or "",
            "kind": s.kind,
            "kind_name": vocabularies.kinds[s.kind].name,
            "parties": LIST_SEPARATOR.join(s.parties),
            "issuing_forum": s.issuing_forum or "",
            "participants": LIST_SEPARATOR.join(
                f"{p.kind}:{p.id}:{p.role}" for p in s.participants
            ),
            "place": s.place or "",
            "language": s.language,
            "series": s.series or "",
            "series_name": _series_name(vocabularies, s.series) if s.series else "",
            "round": str(s.round) if s.round else "",
            "countries": LIST_SEPARATOR.join(s.all_countries),
            "forums": LIST_SEPARATOR.join(s.all_forums),
            "topics": LIST_SEPARATOR.join(s.all_topics),
            "actors": LIST_SEPARATOR.join(s.all_actors),
            "sections": str(len(s.sections)),
            "summary": s.summary,
            "source_urls": URL_SEPARATOR.join(source.url for source in s.sources),
            "url": config.absolute(statement_url(s.id)),
            "file": str(s.path),
        }
        for s in statements
    ]


def sections_csv(index: Index, config: SiteConfig) -> str:
    """One row per section of every statement."""
    return _sections_csv(index.statements, config)


def _sections_csv(statements: Sequence[Statement], config: SiteConfig) -> str:
    return _csv(SECTION_COLUMNS, _section_rows(statements, config))


def _section_rows(statements: Sequence[Statement], config: SiteConfig) -> list[dict[str, str]]:
    return [
        {
            "statement_id": s.id,
            "section_id": section.id,
            "position": str(position),
            "heading": section.heading,
            "statement_title": s.title,
            "date": _date(s.date) or "",
            "series": s.series or "",
            "round": str(s.round) if s.round else "",
            **{
                field: LIST_SEPARATOR.join(s.section_tags(section, kind))
                for kind, field in TAG_LISTS.items()
            },
            "excerpts": "\n\n".join(p for e in section.excerpts for p in paragraphs(e.text)),
            "paragraphs": _paragraph_labels(section),
            "summary": section.summary or "",
            "annotations": str(len(section.annotations)),
            "url": config.absolute(statement_url(s.id, section.id)),
        }
        for s in statements
        for position, section in enumerate(s.sections, 1)
    ]


def _paragraph_labels(section: Section) -> str:
    """The `paragraphs` cell: a line per paragraph of the excerpts, its excerpt's label or
    nothing; empty when no excerpt has a label (labels are one line each: the schema says so)."""
    if not any(e.paragraph for e in section.excerpts):
        return ""
    return "\n".join(e.paragraph or "" for e in section.excerpts for _ in paragraphs(e.text))


UNDATED = "undated"
"""The year part of the per-year files' names for statements with no date."""
WHOLE = ("statements.json", "statements.csv", "sections.csv")
"""The whole archive's files that the generator writes under docs/data/."""
INDEX_FILE = "downloads.json"
"""Lists every download, the per-year ones with their counts and sizes."""


def by_year(statements: Sequence[Statement]) -> dict[str, list[Statement]]:
    """Statements by `year_of`, in the archive's order (oldest year first, undated last)."""
    years: dict[str, list[Statement]] = {}
    for statement in statements:
        years.setdefault(statement.year, []).append(statement)
    return years


def year_files(year: str) -> dict[str, str]:
    """A year's downloads, by kind: their names under /data/."""
    return {
        "json": f"statements-{year}.json",
        "statements_csv": f"statements-{year}.csv",
        "sections_csv": f"sections-{year}.csv",
    }


def year_downloads(
    statements: Sequence[Statement], vocabularies: Vocabularies, config: SiteConfig
) -> Iterator[tuple[str, dict[str, str]]]:
    """Each year (as `by_year`) with its files' names and texts, a year at a time: the same forms
    as the whole archive's, each holding that year's statements only."""
    for year, members in by_year(statements).items():
        yield year, _year_parts(year, members, vocabularies, config).files


@dataclass(frozen=True)
class _YearParts:
    """A year's downloads, and the parts of them the whole archive's files are made of."""

    files: dict[str, str]
    records: list[str]
    """Each statement's record as JSON."""
    statement_lines: str
    section_lines: str
    """The rows of its CSV files, without their header."""


def _year_parts(
    year: str, members: Sequence[Statement], vocabularies: Vocabularies, config: SiteConfig
) -> _YearParts:
    names = year_files(year)
    records = [_json(statement_record(s, config)) for s in members]
    statement_lines = _csv_rows(STATEMENT_COLUMNS, _statement_rows(members, vocabularies, config))
    section_lines = _csv_rows(SECTION_COLUMNS, _section_rows(members, config))
    files = {
        names["json"]: _statements_document(members, vocabularies, config, records),
        names["statements_csv"]: _csv_rows(STATEMENT_COLUMNS, [], header=True) + statement_lines,
        names["sections_csv"]: _csv_rows(SECTION_COLUMNS, [], header=True) + section_lines,
    }
    return _YearParts(files, records, statement_lines, section_lines)


def downloads_index(
    statements: Sequence[Statement],
    sizes: dict[str, dict[str, int]],
    config: SiteConfig,
) -> str:
    """`INDEX_FILE`: every download's address as the built site has it (`published`: the JSON
    and the sections CSV gzipped); for each year its statements, sections and each file's size
    in bytes, unpacked (`sizes`: by year, each file's bytes by the name the generator writes),
    and whether it is gzipped."""
    grouped = by_year(statements)

    def described(name: str, size: int) -> dict[str, Any]:
        url = published(name)
        return {"url": config.absolute(f"{DATA_FOLDER}/{url}"), "bytes": size, "gzip": url != name}

    document = {
        "site": config.absolute(""),
        "whole": {
            "json_gzip": config.absolute(f"{DATA_FOLDER}/{published('statements.json')}"),
            "statements_csv": config.absolute(f"{DATA_FOLDER}/statements.csv"),
            "sections_csv_gzip": config.absolute(f"{DATA_FOLDER}/{published('sections.csv')}"),
            "schema": config.absolute(f"{DATA_FOLDER}/statement.schema.json"),
        },
        "years": [
            {
                "year": int(year) if year != UNDATED else None,
                "statements": len(grouped[year]),
                "sections": sum(len(s.sections) for s in grouped[year]),
                **{kind: described(name, files[name]) for kind, name in year_files(year).items()},
            }
            for year, files in sizes.items()
        ],
    }
    return compact_json(document)


def render_data_page(
    index: Index, config: SiteConfig, sizes: dict[str, dict[str, int]] | None = None
) -> str:
    """The /data/ page: what each download holds, its columns, every year's files, every feed
    (`sizes`: as `downloads_index`)."""
    here = f"{DATA_FOLDER}/"
    feeds: list[tuple[HubKind, str, list[tuple[str, str]]]] = [
        (
            kind,
            {"country": "Countries", "forum": "Forums", "topic": "Topics", "actor": "Actors"}[kind],
            [(hub.name, relative_url(here, feed_path(hub))) for hub in index.hubs_of(kind)],
        )
        for kind in HUB_FOLDERS
    ]
    grouped = by_year(index.statements)
    year_rows = [
        (
            year,
            len(grouped[year]),
            {kind: (published(name), files[name]) for kind, name in year_files(year).items()},
        )
        for year, files in (sizes or {}).items()
    ]
    return (
        environment()
        .get_template("data.md.j2")
        .render(
            link=lambda to: relative_url(here, to),
            config=config,
            count=len(index.statements),
            sections=sum(len(s.sections) for s in index.statements),
            statement_columns=STATEMENT_COLUMNS,
            section_columns=SECTION_COLUMNS,
            site_feed=relative_url(here, feed_path()),
            feeds=feeds,
            feed_entries=FEED_ENTRIES,
            years=year_rows,
            undated=UNDATED,
            published=published,
            index_file=INDEX_FILE,
        )
    )


def export_files(
    index: Index, vocabularies: Vocabularies, config: SiteConfig
) -> Iterator[tuple[str, str]]:
    """Every file of /data/ as (path under docs/, text), each made when the caller asks for it:
    one written away before the next is made, the downloads (at 10,000 statements, hundreds of
    MB in all) are never held at once. The year files come first, for their sizes are on the
    data page and in `INDEX_FILE`; only the sizes are kept."""
    sizes: dict[str, dict[str, int]] = {}
    years = by_year(index.statements)
    records: list[str] = []
    statement_lines: list[str] = []
    section_lines: list[str] = []
    for year, members in years.items():
        parts = _year_parts(year, members, vocabularies, config)
        sizes[year] = {name: len(text.encode()) for name, text in parts.files.items()}
        records += parts.records
        statement_lines.append(parts.statement_lines)
        section_lines.append(parts.section_lines)
        for name, text in parts.files.items():
            yield f"{DATA_FOLDER}/{name}", text
        del parts
    yield f"{DATA_FOLDER}/index.md", render_data_page(index, config, sizes)
    # The whole archive's files are the years' parts one after the other, each statement
    # written once: if the years run in the archive's order, as they do (it is sorted by date).
    in_order = [s.id for group in years.values() for s in group] == [s.id for s in index.statements]
    if not in_order:
        records = [_json(statement_record(s, config)) for s in index.statements]
        statement_lines = [
            _csv_rows(STATEMENT_COLUMNS, _statement_rows(index.statements, vocabularies, config))
        ]
        section_lines = [_csv_rows(SECTION_COLUMNS, _section_rows(index.statements, config))]
    yield (
        f"{DATA_FOLDER}/statements.json",
        _statements_document(index.statements, vocabularies, config, records),
    )
    del records
    yield (
        f"{DATA_FOLDER}/statements.csv",
        _csv_rows(STATEMENT_COLUMNS, [], header=True) + "".join(statement_lines),
    )
    yield (
        f"{DATA_FOLDER}/sections.csv",
        _csv_rows(SECTION_COLUMNS, [], header=True) + "".join(section_lines),
    )
    yield f"{DATA_FOLDER}/statement.schema.json", statement_schema()
    yield f"{DATA_FOLDER}/{INDEX_FILE}", downloads_index(index.statements, sizes, config)


def render_exports(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> dict[str, str]:
    """Every file of /data/, keyed by its path under docs/, all held at once (`export_files`:
    one at a time)."""
    return dict(export_files(index, vocabularies, config))
