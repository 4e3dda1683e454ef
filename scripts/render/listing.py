"""The table of every statement (/statements/): date, title, kind, issuers and sections, newest
first; sortable and filtered as one types in the browser (docs/assets/statements.js), a plain
table without JavaScript. A large archive gets a page per year, as the timeline does."""

from __future__ import annotations

from scripts.render.context import PageContext, render_template
from scripts.render.paging import TimelinePage

LIST_FOLDER = "statements"


def render_statement_list(
    page: PageContext, shown: TimelinePage | None, pages: list[TimelinePage]
) -> str:
    """One page of the table: `shown`'s statements; None renders the index of a table split into
    year pages."""
    return render_template(
        "statement_list.md.j2",
        page,
        shown=shown,
        pages=pages if len(pages) > 1 else [],
        statements=shown.statements if shown else (),
    )
