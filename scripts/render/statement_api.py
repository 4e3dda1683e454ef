"""A static API, one JSON file per statement (pure; strings): `/data/statements/<id>.json`, and
the short list of every statement that the compare-any-two page picks from,
`/data/statement-list.json`.

A reader's browser fetches only the two statements it compares, so the compare-any-two page
stays small at any archive size; anyone else can fetch one statement without the whole
`statements.json`.

Each file is UTF-8 JSON, compact (no indentation), keys sorted, one line ending in a newline;
the same input gives the same bytes. Shape of `/data/statements/<id>.json` (version 1):

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
      "series": "…" | null,
      "summary": "…",                            editorial Markdown, the archive's words
      "countries": […], "forums": […], "topics": […],            the statement's own tags
      "all_countries": […], "all_forums": […], "all_topics": […],  with every section's
      "path": "statements/<id>/",                its page, relative to the site's root
      "url": "https://…/statements/<id>/",       its page, absolute
      "file": "data/statements/2026/<id>.yml",   its file in the repository
      "sources": [{"id", "title", "publisher", "url", "published", "kind"}],
      "sections": [
        {
          "id": "arctic", "heading": "…",
          "path": "statements/<id>/#arctic", "url": "https://…/statements/<id>/#arctic",
          "countries": […], "forums": […], "topics": […],
          "summary": "…" | null,                 editorial Markdown
          "excerpts": [
            {
              "source": "official",              a source id above
              "paragraphs": ["…", "…"],          the verbatim text, white space folded; a
                                                 paragraph's anchor on the page is
                                                 <section id>--p<n>, n counted across excerpts
              "original": {"language": "ru", "paragraphs": ["…"]} | null
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
from collections.abc import Iterable
from typing import Any

from scripts.model import Excerpt, Section, Statement, Vocabularies
from scripts.site import SiteConfig, statement_url

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


def _excerpt(excerpt: Excerpt) -> dict[str, Any]:
    return {
        "source": excerpt.source,
        "paragraphs": excerpt.paragraphs,
        "original": (
            {"language": excerpt.original.language, "paragraphs": excerpt.original.paragraphs}
            if excerpt.original
            else None
        ),
    }


def _section(statement: Statement, section: Section, config: SiteConfig) -> dict[str, Any]:
    path = statement_url(statement.id, section.id)
    return {
        "id": section.id,
        "heading": section.heading,
        "path": path,
        "url": config.absolute(path),
        "countries": list(section.countries),
        "forums": list(section.forums),
        "topics": list(section.topics),
        "summary": section.summary,
        "excerpts": [_excerpt(e) for e in section.excerpts],
        "annotations": [{"quote": a.quote, "note": a.note} for a in section.annotations],
    }


def statement_document(
    statement: Statement, vocabularies: Vocabularies, config: SiteConfig
) -> dict[str, Any]:
    """The per-statement document (its shape is in this module's docstring)."""
    path = statement_url(statement.id)
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
        "summary": statement.summary,
        "countries": list(statement.countries),
        "forums": list(statement.forums),
        "topics": list(statement.topics),
        "all_countries": list(statement.all_countries),
        "all_forums": list(statement.all_forums),
        "all_topics": list(statement.all_topics),
        "path": path,
        "url": config.absolute(path),
        "file": str(statement.path),
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "published": s.published.iso if s.published else None,
                "kind": s.kind,
            }
            for s in statement.sources
        ],
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
