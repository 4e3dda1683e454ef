"""The statement page: metadata, summary, sections with their excerpts and notes, sources."""

from __future__ import annotations

from collections import defaultdict

from scripts.model import Section, Statement
from scripts.render.citation import cite
from scripts.render.context import PageContext, render_template
from scripts.render.html import mark_quotes, quote_spans
from scripts.site import statement_url


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
            excerpts.append((excerpt, paragraphs))
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
        cite=cite(statement, page.vocabularies, page.config.absolute(statement_url(statement.id))),
        edit_url=page.config.edit_url(str(statement.path)),
    )
