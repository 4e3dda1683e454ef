"""The statement page: metadata (participants, series and rounds), summary, sections with their
excerpts, variants and notes, sources with their kind in words."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from scripts.index import Index
from scripts.model import Excerpt, Participant, Section, Series, Source, Statement
from scripts.render.citation import cite
from scripts.render.compare import compare_pairs, compare_url
from scripts.render.context import ROLES, PageContext, render_template
from scripts.render.html import language_name, mark_quotes, quote_spans
from scripts.render.redline import PARAGRAPH, redline
from scripts.site import series_url, statement_url
from scripts.text import paragraphs

TRANSLATIONS = ("official-translation", "unofficial-translation", "machine-translation")
SOURCE_KINDS = {
    "official-text": "official text",
    "official-translation": "official translation",
    "unofficial-translation": "unofficial translation",
    "machine-translation": "machine translation",
    "reproduction": "reproduction of the full text",
    "readout": "readout",
    "news-report": "news report",
}
READOUT_NOTE = "an account of the meeting, not the statement's text"


def source_kind(source: Source) -> str:
    """What a source is, in words: "unofficial translation from Russian into English, by TASS",
    "reproduction of the full text, by Asia-Plus", "readout — an account of the meeting, not
    the statement's text"; "" when the data says nothing of it."""
    words = SOURCE_KINDS.get(source.kind or "", "")
    if source.kind in TRANSLATIONS or (not source.kind and source.translated_from):
        words = words or "translation"
        if source.translated_from:
            words += f" from {language_name(source.translated_from)}"
        if source.language:
            words += f" into {language_name(source.language)}"
        if source.translator:
            words += f", by {source.translator}"
        return words
    if source.language:
        words = (
            f"{words}, in {language_name(source.language)}"
            if words
            else (f"in {language_name(source.language)}")
        )
    if source.kind == "reproduction" and source.publisher:
        words += f", by {source.publisher}"
    if source.kind == "readout":
        words += f" — {READOUT_NOTE}"
    return words


@dataclass(frozen=True)
class SeriesPlace:
    """Where a statement stands in its series: the rounds before and after it."""

    id: str
    name: str
    url: str
    """Site path of the series page."""
    position: int
    """1-based, in the series' order."""
    count: int
    previous: Statement | None
    next: Statement | None


def series_place(
    statement: Statement, index: Index, vocabulary: dict[str, Series]
) -> SeriesPlace | None:
    """The statement's place in its series (Index.series order), if it belongs to one."""
    members = index.series.get(statement.series or "")
    if not members or statement.series is None:
        return None
    at = next(i for i, s in enumerate(members) if s.id == statement.id)
    return SeriesPlace(
        id=statement.series,
        name=vocabulary[statement.series].name
        if statement.series in vocabulary
        else statement.series,
        url=series_url(statement.series),
        position=at + 1,
        count=len(members),
        previous=members[at - 1] if at > 0 else None,
        next=members[at + 1] if at + 1 < len(members) else None,
    )


CompareLink = tuple[str, Statement, str]
"""("previous" | "next", the other statement, site path of the compare page)."""
_COMPARE: dict[int, tuple[tuple[Statement, ...], dict[str, list[CompareLink]]]] = {}


def compare_links_of(statement: Statement, index: Index) -> list[CompareLink]:
    """The compare pages that a statement's page links (render/compare.py `compare_pairs`):
    computed once for the archive, then looked up by statement."""
    cached = _COMPARE.get(id(index.statements))
    if cached is None or cached[0] is not index.statements:
        links: dict[str, list[CompareLink]] = defaultdict(list)
        for older, newer in compare_pairs(index.statements):
            url = compare_url(older, newer)
            links[newer.id].append(("previous", older, url))
            links[older.id].append(("next", newer, url))
        _COMPARE.clear()
        cached = _COMPARE[id(index.statements)] = (index.statements, dict(links))
    return cached[1].get(statement.id, [])


def participants_by_role(statement: Statement) -> list[tuple[str, tuple[Participant, ...]]]:
    """The statement's participants, by role in ROLES' order, each role with its label
    ("Guest", "Guests")."""
    grouped = []
    for role, (one, several) in ROLES.items():
        found = tuple(p for p in statement.participants if p.role == role)
        if found:
            grouped.append((one if len(found) == 1 else several, found))
    return grouped


def variant_html(statement: Statement, excerpt: Excerpt, text: str) -> Markup:
    """A variant's wording against the excerpt's, word by word: one text, the excerpt's words
    the variant lacks in <del>, the variant's own in <ins>; a <p> per paragraph."""
    return redline(
        PARAGRAPH.join(excerpt.paragraphs),
        PARAGRAPH.join(paragraphs(text)),
        statement.language,
        statement.language,
    ).inline_html()


def _notes(section: Section) -> dict[tuple[int, int], list[tuple[str, str, int]]]:
    """Where each annotation's quote is marked: (excerpt, paragraph) → [(quote, note anchor,
    note number)]. A quote goes to the first paragraph where it overlaps no quote marked before
    it; one that overlaps another wherever it occurs is not marked at all."""
    placed: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
    spots = [
        ((e, p), paragraph)
        for e, excerpt in enumerate(section.excerpts)
        for p, paragraph in enumerate(excerpt.paragraphs)
    ]
    for number, annotation in enumerate(section.annotations, 1):
        for spot, paragraph in spots:
            quotes = [quote for quote, _, _ in placed[spot]] + [annotation.quote]
            if quote_spans(paragraph, quotes)[-1] is not None:
                placed[spot].append((annotation.quote, f"{section.id}--note{number}", number))
                break
    return placed


SOURCES_ANCHOR = "statement--sources"
"""The id of the Sources heading (statement.md.j2)."""


def search_sections(statement: Statement) -> str:
    """The page's section anchors and their headings as JSON, for the search page: the statement
    bundle leaves headings out of its text (scripts/search.py), so a hit there names its section
    from this meta."""
    pairs = [[section.id, section.heading] for section in statement.sections]
    return json.dumps([*pairs, [SOURCES_ANCHOR, "Sources"]], ensure_ascii=False)


def render_statement(statement: Statement, page: PageContext) -> str:
    """The statement page: metadata, summary, sections with excerpts and notes, sources."""
    sections = []
    for section in statement.sections:
        placed = _notes(section)
        marked = {number for marks in placed.values() for _, _, number in marks}
        number = 0
        excerpts = []
        for e, excerpt in enumerate(section.excerpts):
            paragraphs = []
            for p, paragraph in enumerate(excerpt.paragraphs):
                number += 1
                paragraphs.append(
                    (f"{section.id}--p{number}", mark_quotes(paragraph, placed.get((e, p), [])))
                )
            variants = [
                (page.source(statement, v.source), variant_html(statement, excerpt, v.text))
                for v in excerpt.variants
            ]
            sources = [page.source(statement, source_id) for source_id in excerpt.sources]
            excerpts.append(
                (excerpt, paragraphs, sources or [page.source(statement, excerpt.source)], variants)
            )
        notes = [
            (annotation, f"{section.id}--note{n}", n in marked)
            for n, annotation in enumerate(section.annotations, 1)
        ]
        sections.append((section, excerpts, notes))
    return render_template(
        "statement.md.j2",
        page,
        statement=statement,
        sections=sections,
        related=page.index.related.get(statement.id, ()),
        similar=page.index.similar.get(statement.id, ()),
        participants=participants_by_role(statement),
        series=series_place(statement, page.index, page.vocabularies.series),
        compare=compare_links_of(statement, page.index),
        source_kind=source_kind,
        search_sections=search_sections(statement),
        cite=cite(statement, page.vocabularies, page.config.absolute(statement_url(statement.id))),
        edit_url=page.config.edit_url(str(statement.path)),
    )
