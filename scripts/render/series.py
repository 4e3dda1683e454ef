"""Series pages: `/series/` (every series with its count and dates) and `/series/<id>/` (its
statements in order, round by round, with the compare page of each round and the one before)."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.model import Series, Statement
from scripts.render.context import PageContext, render_template
from scripts.render.feeds import series_of
from scripts.render.hubs import narrow_choices
from scripts.render.statement import compare_links_of
from scripts.site import feed_url, series_url


@dataclass(frozen=True)
class SeriesSummary:
    """A series as the index of series lists it."""

    series: Series
    url: str
    statements: tuple[Statement, ...]
    first: str
    """The earliest date, as readers read it ("" when none is dated)."""
    last: str


def _dates(statements: tuple[Statement, ...]) -> tuple[str, str]:
    dated = sorted(s.date for s in statements if s.date)
    return (dated[0].display, dated[-1].display) if dated else ("", "")


def series_summaries(page: PageContext) -> list[SeriesSummary]:
    """Every series that has statements, by name."""
    found = []
    for series_id, statements in page.index.series.items():
        first, last = _dates(statements)
        series = series_of(series_id, page.vocabularies)
        found.append(SeriesSummary(series, series_url(series_id), statements, first, last))
    return sorted(found, key=lambda s: (s.series.name.casefold(), s.series.id))


def render_series_list(page: PageContext) -> str:
    """The index of series: each with its number of statements and its first and last date."""
    summaries = series_summaries(page)
    listed = [s for summary in summaries for s in summary.statements]
    return render_template("series_list.md.j2", page, summaries=summaries, listed=listed)


def render_series(series_id: str, page: PageContext) -> str:
    """A series page: its description and forum, its statements in the series' order (round,
    date, place), each with the compare page of it and the one before."""
    statements = page.index.series[series_id]
    series = series_of(series_id, page.vocabularies)
    rounds = all(s.round for s in statements)
    items = []
    for i, statement in enumerate(statements):
        before = statements[i - 1].id if i else None
        url = next(
            (
                link
                for direction, other, link in compare_links_of(statement, page.index)
                if direction == "previous" and other.id == before
            ),
            None,
        )
        items.append((statement, page.link(url) if url else None))
    first, last = _dates(statements)
    forum_choices, _ = narrow_choices(page, list(statements))
    return render_template(
        "series.md.j2",
        page,
        forum_choices=forum_choices,
        series=series,
        url=series_url(series_id),
        feed=feed_url(series_url(series_id)),
        items=items,
        rounds=rounds,
        first=first,
        last=last,
        forum_hub=page.index.hub("forum", series.forum) if series.forum else None,
    )
