"""A static API, one JSON file per statement (pure; strings): `/data/statements/<id>.json`, and
the short list of every statement that the compare-any-two page picks from,
`/data/statement-list.json`.

A reader's browser fetches only the two statements it compares, so the compare-any-two page
stays small at any archive size; anyone else can fetch one statement without the whole
`statements.json.gz`.

Each file is UTF-8 JSON, compact (no indentation), keys sorted, one line ending in a newline;
the same input gives the same bytes. Version 1 gained the fields of the format's second edition
(series and round, participants, actors, source kinds, excerpt paragraphs, sources, tags and
variants) as added keys: a reader of the first shape reads this one. Shape of
`/data/statements/<id>.json` (version 1):

    {
      "version": 1,
      "id": "2026-03-12-…",                     the statement's id (its file name and page)
      "title": "…",
      "date": "2026-03-12" | "2026-03" | "2026" | null,
      "date_display": "12 March 2026" | "Undated",
      "date_note": "…" | null,
      "kind": "joint-statement",                 an id of data/kinds.yml
      "kind_name": "Joint statement",
      "language": "en",                          BCP 47, of the excerpts
      "parties": ["NO", "IS"],                   ISO 3166-1 alpha-2
      "issuing_forum": "…" | null,
      "place": "…" | null,
      "series": "…" | null,                      an id of data/series.yml
      "series_name": "…" | null,                 its display name
      "round": 3 | null,                         the meeting's ordinal in the series, a number
      "participants": [                          who took part without issuing it
        {"country": "AF" | "forum": "un" | "actor": "…",   exactly one of the three
         "role": "participant" | "guest" | "observer" | "host" | "mediator",
         "note": "…" | null}                     editorial Markdown
      ],
      "summary": "…",                            editorial Markdown, the archive's words
      "countries": […], "forums": […], "topics": […], "actors": […],   the statement's own tags
      "all_countries": […], "all_forums": […], "all_topics": […], "all_actors": […],
                                                 with every section's and excerpt's
      "path": "statements/<id>/",                its page, relative to the site's root
      "url": "https://…/statements/<id>/",       its page, absolute
      "file": "data/statements/2026/<id>.yml",   its file in the repository
      "sources": [{"id", "title", "publisher", "url", "published",
                   "kind",                       official-text | official-translation |
                                                 unofficial-translation | machine-translation |
                                                 reproduction | readout | news-report | null
                   "title_supplied",             true: the archive wrote the title (the source
                                                 shows none); cite it in square brackets
                   "language", "translated_from", "translator"}],   null when not given
      "sections": [
        {
          "id": "arctic", "heading": "…",
          "path": "statements/<id>/#arctic", "url": "https://…/statements/<id>/#arctic",
          "countries": […], "forums": […], "topics": […], "actors": […],   its own tags
          "all_countries": […], "all_forums": […], "all_topics": […], "all_actors": […],
                                                 what it is about, as hubs and search see it:
                                                 the statement's own tags and issuing forum,
                                                 its own, its excerpts'
          "summary": "…" | null,                 editorial Markdown
          "excerpts": [
            {
              "source": "official",              the first source id above that carries it
              "sources": ["official", "times"],  every source that carries these words
              "paragraph": "III.4" | null,       the original's own number or label
              "countries": […], "forums": […], "topics": […], "actors": […],  its own tags
              "paragraphs": ["…", "…"],          the verbatim text, white space folded; a
                                                 paragraph's anchor on the page is
                                                 <section id>--p<n>, n counted across excerpts
              "original": {"language": "ru", "paragraphs": ["…"]} | null,
              "variants": [{"source": "times", "paragraphs": ["…"]}]   another source's wording
            }
          ],
          "annotations": [{"quote": "…", "note": "…"}]   notes: editorial Markdown
        }
      ],
      "related": [{"id": "…", "relation": "follows" | "responds-to" | "supersedes" | "see-also"}]
    }

`/data/statement-list.json`: `{"version": 1, "statements": [{"id", "title", "date",
"date_display", "language"}, …]}`, oldest first, undated last (the archive's order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from scripts.model import (
    TAG_LISTS,
    Excerpt,
    Participant,
    Section,
    Source,
    Statement,
    TagKind,
    Vocabularies,
)
from scripts.site import SiteConfig, statement_url
from scripts.text import paragraphs

VERSION = 1
FOLDER = "data/statements"
"""Under docs/: one file per statement."""
LIST_PATH = "data/statement-list.json"
"""Under docs/: every statement's id, title, date and language."""


def statement_json_path(statement_id: str) -> str:
    """Site path (and path under docs/) of a statement's JSON file."""
    return f"{FOLDER}/{statement_id}.json"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def source_record(source: Source) -> dict[str, Any]:
    """A source as the downloads give it: every field of the file, absent ones as null
    (`title_supplied` a boolean, false when the file leaves it out)."""
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published.iso if source.published else None,
        "kind": source.kind,
        "title_supplied": source.title_supplied,
        "language": source.language,
        "translated_from": source.translated_from,
        "translator": source.translator,
    }


def participant_record(participant: Participant) -> dict[str, Any]:
    """A participant as the file writes it: its one `country`, `forum` or `actor` key, its role
    and its note (null when there is none)."""
    return {participant.kind: participant.id, "role": participant.role, "note": participant.note}


def tag_lists(tags: Callable[[TagKind], tuple[str, ...]], prefix: str = "") -> dict[str, Any]:
    """`countries`, `forums`, `topics`, `actors` (each with `prefix`) from a function of a kind."""
    return {f"{prefix}{field}": list(tags(kind)) for kind, field in TAG_LISTS.items()}


def _excerpt(excerpt: Excerpt) -> dict[str, Any]:
    return {
        "source": excerpt.source,
        "sources": list(excerpt.sources),
        "paragraph": excerpt.paragraph,
        **tag_lists(excerpt.tags),
        "paragraphs": excerpt.paragraphs,
        "original": (
            {"language": excerpt.original.language, "paragraphs": excerpt.original.paragraphs}
            if excerpt.original
            else None
        ),
        "variants": [
            {"source": v.source, "paragraphs": paragraphs(v.text)} for v in excerpt.variants
        ],
    }


def _section(statement: Statement, section: Section, config: SiteConfig) -> dict[str, Any]:
    path = statement_url(statement.id, section.id)
    return {
        "id": section.id,
        "heading": section.heading,
        "path": path,
        "url": config.absolute(path),
        **tag_lists(section.own_tags),
        **tag_lists(lambda kind: statement.section_tags(section, kind), "all_"),
        "summary": section.summary,
        "excerpts": [_excerpt(e) for e in section.excerpts],
        "annotations": [{"quote": a.quote, "note": a.note} for a in section.annotations],
    }


def statement_document(
    statement: Statement, vocabularies: Vocabularies, config: SiteConfig
) -> dict[str, Any]:
    """The per-statement document (its shape is in this module's docstring)."""
    path = statement_url(statement.id)
    series = vocabularies.series.get(statement.series) if statement.series else None
    return {
        "version": VERSION,
        "id": statement.id,
        "title": statement.title,
        "date": statement.date.iso if statement.date else None,
        "date_display": statement.date.display if statement.date else "Undated",
        "date_note": statement.date_note,
        "kind": statement.kind,
        "kind_name": vocabularies.kinds[statement.kind].name,
        "language": statement.language,
        "parties": list(statement.parties),
        "issuing_forum": statement.issuing_forum,
        "place": statement.place,
        "series": statement.series,
        "series_name": series.name if series else None,
        "round": statement.round,
        "participants": [participant_record(p) for p in statement.participants],
        "summary": statement.summary,
        **tag_lists(lambda kind: tuple(getattr(statement, TAG_LISTS[kind]))),
        **tag_lists(statement.all_tags, "all_"),
        "path": path,
        "url": config.absolute(path),
        "file": str(statement.path),
        "sources": [source_record(s) for s in statement.sources],
        "sections": [_section(statement, s, config) for s in statement.sections],
        "related": [{"id": r.id, "relation": r.relation} for r in statement.related],
    }


def statement_json(statement: Statement, vocabularies: Vocabularies, config: SiteConfig) -> str:
    """One statement's JSON file."""
    return _dumps(statement_document(statement, vocabularies, config))


def statement_list_json(statements: Iterable[Statement]) -> str:
    """The list the compare-any-two page offers: id, title, date and language of each."""
    return _dumps(
        {
            "version": VERSION,
            "statements": [
                {
                    "id": s.id,
                    "title": s.title,
                    "date": s.date.iso if s.date else None,
                    "date_display": s.date.display if s.date else "Undated",
                    "language": s.language,
                }
                for s in statements
            ],
        }
    )


def render_statement_files(
    statements: Iterable[Statement], vocabularies: Vocabularies, config: SiteConfig
) -> dict[str, str]:
    """Every per-statement file and the list, keyed by path under docs/."""
    statements = list(statements)
    files = {statement_json_path(s.id): statement_json(s, vocabularies, config) for s in statements}
    files[LIST_PATH] = statement_list_json(statements)
    return files
