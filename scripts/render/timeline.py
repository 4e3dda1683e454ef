"""The timeline (statements by year and month) and the home page."""

from __future__ import annotations

from collections import defaultdict

from scripts.model import MONTHS, Statement
from scripts.render.context import PageContext, render_template
from scripts.render.paging import TimelinePage

LATEST_ON_HOME = 10


def render_timeline(
    page: PageContext, shown: TimelinePage | None, pages: list[TimelinePage]
) -> str:
    """Statements by year and month, newest first, undated ones last. `shown` is the page to
    render; None renders the index of a timeline split into year pages."""
    years: dict[int, dict[int, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    undated = []
    for statement in shown.statements if shown else ():
        if statement.date:
            years[statement.date.year][statement.date.month].append(statement)
        else:
            undated.append(statement)
    timeline = [
        (
            year,
            [
                (month, MONTHS[month - 1] if month else "Month not known", items)
                for month, items in sorted(months.items(), reverse=True)
            ],
        )
        for year, months in sorted(years.items(), reverse=True)
    ]
    return render_template(
        "timeline.md.j2",
        page,
        shown=shown,
        pages=pages if len(pages) > 1 else [],
        timeline=timeline,
        undated=undated,
    )


def render_home(page: PageContext) -> str:
    """The home page: what the archive is, counts, latest statements, ways in."""
    statements = page.index.statements
    dated = [s for s in statements if s.date]
    return render_template(
        "home.md.j2",
        page,
        latest=list(reversed(dated))[:LATEST_ON_HOME],
        counts={
            "statements": len(statements),
            "sections": sum(len(s.sections) for s in statements),
            "countries": len(page.index.hubs_of("country")),
            "forums": len(page.index.hubs_of("forum")),
            "topics": len(page.index.hubs_of("topic")),
        },
    )
