"""Paging: hubs, the timeline and the list of compare pages cut into pages by year (and a busy
year into numbered pages), so no page grows past a few hundred KB however large the archive."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scripts.index import Hub, SectionRef
from scripts.model import Participant, Statement

HUB_PAGE_SECTIONS = 100
"""Most sections on one hub page. A hub with more is split into pages by year (and a busy year
into numbered pages), so no page grows past a few hundred KB however large the archive."""
HUB_PAGE_STATEMENTS = 200
"""Most statements listed on one hub page, for the same reason."""
HUB_LATEST = 20
"""Newest statements, sections and participations shown on the overview of a split hub."""


@dataclass(frozen=True)
class HubPart:
    """One page of a split hub: a year's sections and statements, or a slice of a busy year."""

    year: str
    """'2026', or 'undated'."""
    number: int
    """1-based page within the year."""
    count: int
    """Pages in the year."""
    sections: tuple[SectionRef, ...]
    """Oldest first."""
    statements: tuple[Statement, ...]
    """Newest first."""
    issued: tuple[Statement, ...]
    participated: tuple[tuple[Statement, Participant], ...] = ()
    """Newest first: the statements it took part in without issuing them."""

    def url(self, hub: Hub) -> str:
        """countries/af/2026/ for the first page of a year, countries/af/2026/2/ after it."""
        return year_page_url(hub.url.rstrip("/"), self.year, self.number)

    @property
    def label(self) -> str:
        return year_page_label(self.year, self.number, self.count)


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


def hub_parts(hub: Hub) -> list[HubPart]:
    """The pages of a hub too big for one, newest year first; [] for a hub that fits one page."""
    if (
        len(hub.sections) <= HUB_PAGE_SECTIONS
        and len(hub.statements) <= HUB_PAGE_STATEMENTS
        and len(hub.participated) <= HUB_PAGE_STATEMENTS
    ):
        return []
    years: dict[
        str,
        tuple[
            list[SectionRef],
            list[Statement],
            list[Statement],
            list[tuple[Statement, Participant]],
        ],
    ] = defaultdict(lambda: ([], [], [], []))
    for ref in hub.sections:
        years[ref.statement.year][0].append(ref)
    for statement in hub.statements:
        years[statement.year][1].append(statement)
    for statement in hub.issued:
        years[statement.year][2].append(statement)
    for statement, participant in hub.participated:
        years[statement.year][3].append((statement, participant))
    parts = []
    for year in sorted(years, key=lambda y: (y == "undated", -int(y) if y != "undated" else 0)):
        sections, statements, issued, participated = years[year]
        count = max(
            _pages(len(sections), HUB_PAGE_SECTIONS),
            _pages(len(statements), HUB_PAGE_STATEMENTS),
            _pages(len(issued), HUB_PAGE_STATEMENTS),
            _pages(len(participated), HUB_PAGE_STATEMENTS),
        )
        for number in range(1, count + 1):

            def page_of(items: list[Any], size: int, n: int = number) -> tuple[Any, ...]:
                return tuple(items[(n - 1) * size : n * size])

            parts.append(
                HubPart(
                    year=year,
                    number=number,
                    count=count,
                    sections=page_of(sections, HUB_PAGE_SECTIONS),
                    statements=page_of(statements, HUB_PAGE_STATEMENTS),
                    issued=page_of(issued, HUB_PAGE_STATEMENTS),
                    participated=page_of(participated, HUB_PAGE_STATEMENTS),
                )
            )
    return parts


TIMELINE_PAGE_STATEMENTS = 400
"""Most statements on one timeline page; a bigger archive gets a page per year (and a busy year
numbered pages), so no page grows past a few hundred KB."""


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline: the whole archive, or one year (or a slice of a busy year)."""

    year: str | None
    """None for the single page of a small archive; else '2026' or 'undated'."""
    number: int
    count: int
    statements: tuple[Statement, ...]
    """Newest first."""
    folder: str = "timeline"
    """The list it is a page of: timeline/, or statements/ (the table of every statement)."""

    @property
    def url(self) -> str:
        return year_page_url(self.folder, self.year, self.number)

    @property
    def label(self) -> str:
        return year_page_label(self.year, self.number, self.count)


def year_page_url(folder: str, year: str | None, number: int) -> str:
    """A page of a list split by year: folder/ for a list in one piece, folder/2026/ for a
    year, folder/2026/2/ for a busy year's second page."""
    if year is None:
        return f"{folder}/"
    return f"{folder}/{year}/" + (f"{number}/" if number > 1 else "")


def year_page_label(year: str | None, number: int, count: int) -> str:
    """How the pager names a year's page: 2026, or 2026, page 2 of 3."""
    shown = "Undated" if year == "undated" else str(year)
    return f"{shown}, page {number} of {count}" if count > 1 else shown


def timeline_pages(statements: Sequence[Statement], folder: str = "timeline") -> list[TimelinePage]:
    """The timeline's pages: one for a small archive, else one per year, newest first."""
    newest_first = sorted(statements, key=lambda s: s.sort_key, reverse=True)
    dated = [s for s in newest_first if s.date] + sorted(
        (s for s in newest_first if not s.date), key=lambda s: s.id
    )
    if len(dated) <= TIMELINE_PAGE_STATEMENTS:
        return [TimelinePage(None, 1, 1, tuple(dated), folder)]
    years: dict[str, list[Statement]] = defaultdict(list)
    for statement in dated:
        years[statement.year].append(statement)
    pages = []
    for year, items in years.items():
        count = _pages(len(items), TIMELINE_PAGE_STATEMENTS)
        for number in range(1, count + 1):
            chunk = items[
                (number - 1) * TIMELINE_PAGE_STATEMENTS : number * TIMELINE_PAGE_STATEMENTS
            ]
            pages.append(TimelinePage(year, number, count, tuple(chunk), folder))
    return pages


COMPARE_PAGE_PAIRS = 200
"""Most pairs listed on one page of the compare pages' list (a line of about 300 bytes of HTML
each); a bigger archive gets a page per year of the newer statement (and a busy year numbered
pages), so the compare-any-two page stays small however many pairs there are."""

Pair = tuple[Statement, Statement]
"""(older, newer): the two statements of a compare page."""


@dataclass(frozen=True)
class ComparePage:
    """One page of the compare pages' list: every pair, or one year's (by the newer statement),
    or a slice of a busy year."""

    year: str | None
    """None for the single list of a small archive; else '2026' or 'undated'."""
    number: int
    count: int
    pairs: tuple[Pair, ...]
    """In `compare_pairs`' order."""
    folder: str = "compare"

    @property
    def url(self) -> str:
        """compare/ for the single list; compare/2026/, compare/2026/2/ for year pages. A year
        is never a statement id, so these never meet a compare page (compare/<older>/<newer>/)."""
        return year_page_url(self.folder, self.year, self.number)

    @property
    def label(self) -> str:
        return year_page_label(self.year, self.number, self.count)


def compare_list_pages(pairs: Sequence[Pair], folder: str = "compare") -> list[ComparePage]:
    """The compare pages' list: one page for a small archive, else one per year of the newer
    statement, newest first, undated last; each year's pairs in their given order."""
    if len(pairs) <= COMPARE_PAGE_PAIRS:
        return [ComparePage(None, 1, 1, tuple(pairs), folder)]
    years: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        years[pair[1].year].append(pair)
    pages = []
    for year in sorted(years, key=lambda y: (y == "undated", -int(y) if y != "undated" else 0)):
        items = years[year]
        count = _pages(len(items), COMPARE_PAGE_PAIRS)
        for number in range(1, count + 1):
            chunk = items[(number - 1) * COMPARE_PAGE_PAIRS : number * COMPARE_PAGE_PAIRS]
            pages.append(ComparePage(year, number, count, tuple(chunk), folder))
    return pages
