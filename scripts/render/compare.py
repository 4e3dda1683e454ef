"""Compare pages (pure, but for `browser_files`): two statements' sections aligned, with a
word-level redline (scripts/render/redline.py), and the compare-any-two page.

- `/compare/<older-id>/<newer-id>/` (docs `compare/<older>/<newer>.md`) for each pair of
  `compare_pairs`: consecutive statements of a series, and statements linked by `follows` or
  `supersedes`. Built in Python; works without JavaScript.
- `/compare/` (docs `compare/index.md`): a reader picks any two statements (and, if they like, a
  section of each); the choice is the address, `?a=<id>&b=<id>&as=<section>&bs=<section>`, and
  docs/assets/compare.js draws the redline in the browser from the two statements' JSON files
  (scripts/render/statement_api.py) with the same engine (docs/assets/redline.js). Below the
  form, every compare page; in an archive of many, a page of them for each year of the newer
  statement instead (`/compare/<year>/`: render/paging.py `compare_list_pages`).
- `browser_files`: the browser's diff library, copied from node_modules at build time (npm's
  diff-match-patch-es, pinned in package-lock.json; the project keeps no copy of it). Without
  `npm ci` it is absent, and the compare-any-two page says so; everything else still builds.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripts.model import PartialDate, Statement
from scripts.render.paging import ComparePage, compare_list_pages
from scripts.render.redline import Alignment, align, browser_rules
from scripts.render.statement_api import FOLDER, LIST_PATH
from scripts.render.templating import environment

if TYPE_CHECKING:
    from scripts.render.context import PageContext

COMPARE_FOLDER = "compare"
"""Under docs/: owned by the generator."""
COMPARED_RELATIONS = ("follows", "supersedes")
"""A statement that follows or supersedes another is compared with it (the other is older)."""
LIBRARY_PACKAGE = "diff-match-patch-es"
LIBRARY_FILE = f"{COMPARE_FOLDER}/diff-match-patch-es.js"
"""Where the built site serves the browser's diff library (docs/assets/compare.js imports it)."""
LIBRARY_LICENSE = f"{COMPARE_FOLDER}/diff-match-patch-es.LICENSE.txt"
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
"""Where `npm ci` puts package-lock.json's packages: beside the project's pyproject.toml."""


def _round(statement: Statement) -> int | None:
    """The statement's round in its series, once the format has one (`round`); else None."""
    value = getattr(statement, "round", None)
    return value if isinstance(value, int) else None


def _series(statement: Statement) -> str | None:
    """The series id (today free text; an id of data/series.yml in the format's next edition)."""
    value = getattr(statement, "series", None)
    return value if isinstance(value, str) and value else None


def compare_pairs(statements: Iterable[Statement]) -> list[tuple[Statement, Statement]]:
    """Every (older, newer) pair that gets a compare page: each two consecutive statements of a
    series — in round order when every statement of the series has a round, else by date (undated
    last, ties by id) — and each statement with the one it `follows` or `supersedes`. Each pair
    once: the series' pairs first (series by their first statement, each in its order), then
    the related ones, by the older statement's date, then the newer's."""
    statements = list(statements)
    by_id = {s.id: s for s in statements}
    series: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        name = _series(statement)
        if name is not None:
            series[name].append(statement)
    pairs: dict[tuple[str, str], tuple[Statement, Statement]] = {}
    for members in sorted(series.values(), key=lambda m: min(s.sort_key for s in m)):
        if all(_round(s) is not None for s in members):
            ordered = sorted(members, key=lambda s: (_round(s), s.sort_key))
        else:
            ordered = sorted(members, key=lambda s: s.sort_key)
        for older, newer in itertools.pairwise(ordered):
            pairs[older.id, newer.id] = (older, newer)
    related: dict[tuple[str, str], tuple[Statement, Statement]] = {}
    for statement in statements:
        for relation in statement.related:
            other = by_id.get(relation.id)
            if (
                relation.relation in COMPARED_RELATIONS
                and other is not None
                and other is not statement
                and (other.id, statement.id) not in pairs
                and (statement.id, other.id) not in pairs
            ):
                related[other.id, statement.id] = (other, statement)
    return [
        *pairs.values(),
        *sorted(related.values(), key=lambda p: (p[0].sort_key, p[1].sort_key)),
    ]


def compare_url(older: Statement, newer: Statement) -> str:
    """Site path of a compare page: compare/<older>/<newer>/"""
    return f"{COMPARE_FOLDER}/{older.id}/{newer.id}/"


def compare_path(older: Statement, newer: Statement) -> str:
    """Path under docs/ of a compare page."""
    return f"{COMPARE_FOLDER}/{older.id}/{newer.id}.md"


def compare_links(
    statement: Statement, pairs: Sequence[tuple[Statement, Statement]]
) -> list[tuple[str, Statement, str]]:
    """The compare pages a statement's page links: ("previous" | "next", the other statement,
    site path of the compare page)."""
    links = []
    for older, newer in pairs:
        if newer is statement:
            links.append(("previous", older, compare_url(older, newer)))
        elif older is statement:
            links.append(("next", newer, compare_url(older, newer)))
    return links


def _date(date: PartialDate | None) -> str:
    return date.display if date else "undated"


def side_labels(older: Statement, newer: Statement) -> tuple[str, str]:
    """How the legend names each side: the year when the years differ ("only in 2024"), else the
    full date, else "the older statement" / "the newer statement"."""
    if older.date and newer.date and older.date.year != newer.date.year:
        return str(older.date.year), str(newer.date.year)
    a, b = _date(older.date), _date(newer.date)
    if a != b:
        return a, b
    return "the older statement", "the newer statement"


def render_compare(older: Statement, newer: Statement, page: PageContext) -> str:
    """The compare page of two statements: both linked with their dates, the summary, a legend,
    each aligned pair of sections side by side, and the sections with no counterpart."""
    alignment: Alignment = align(older, newer)
    old_label, new_label = side_labels(older, newer)
    return (
        environment()
        .get_template("compare.md.j2")
        .render(
            page=page,
            older=older,
            newer=newer,
            alignment=alignment,
            summary=alignment.summary,
            old_label=old_label,
            new_label=new_label,
        )
    )


def render_compare_index(
    page: PageContext,
    shown: ComparePage | None,
    pages: Sequence[ComparePage],
    library: bool,
) -> str:
    """A page of the compare pages' list. `shown` None, or the single page of a small archive:
    the compare-any-two page — the form, the rules the browser's engine needs (as JSON) and the
    list (its pairs, or links to its year pages: `pages`). A year page: its pairs and the links to
    the other years. `library`: whether the build has the diff library."""
    pairs = shown.pairs if shown else ()
    return (
        environment()
        .get_template("compare_index.md.j2")
        .render(
            page=page,
            shown=shown,
            pages=pages if len(pages) > 1 else [],
            pairs=[(older, newer, page.link(compare_url(older, newer))) for older, newer in pairs],
            settings={
                "rules": browser_rules(),
                "library": page.link(LIBRARY_FILE).removesuffix("/") if library else None,
                "list": page.link(LIST_PATH).removesuffix("/"),
                "statements": page.link(f"{FOLDER}/").rstrip("/") + "/",
                "root": page.link(""),
            },
        )
    )


def browser_files(node_modules: Path = NODE_MODULES) -> dict[str, str]:
    """The browser's diff library and its licence, keyed by path under docs/, read from
    node_modules (`npm ci`); {} when it is not installed."""
    package = node_modules / LIBRARY_PACKAGE
    library, licence = package / "dist" / "index.mjs", package / "LICENSE"
    if not library.is_file():
        return {}
    files = {LIBRARY_FILE: library.read_text(encoding="utf-8")}
    if licence.is_file():
        files[LIBRARY_LICENSE] = licence.read_text(encoding="utf-8")
    return files


PageRender = Callable[["PageContext"], str]


def page_specs(
    statements: Sequence[Statement], library: dict[str, str] | None = None
) -> list[tuple[str, PageRender, Any]]:
    """The compare pages as (path under docs/, render(page), key): what `site_jobs` turns into
    jobs. The key is what a page is made of (see jobs.Job)."""
    pairs = compare_pairs(statements)
    has_library = bool(library if library is not None else browser_files())

    def pair_page(older: Statement, newer: Statement) -> PageRender:
        return lambda p: render_compare(older, newer, p)

    specs: list[tuple[str, PageRender, Any]] = [
        (compare_path(o, n), pair_page(o, n), (o, n)) for o, n in pairs
    ]
    pages = compare_list_pages(pairs, COMPARE_FOLDER)

    def listed(shown: ComparePage) -> tuple[Any, ...]:
        return tuple((o.id, o.title, o.date, n.id, n.title, n.date) for o, n in shown.pairs)

    def list_page(shown: ComparePage | None) -> PageRender:
        return lambda p: render_compare_index(p, shown, pages, has_library)

    index = f"{COMPARE_FOLDER}/index.md"
    if len(pages) == 1:
        specs.append((index, list_page(pages[0]), (listed(pages[0]), has_library)))
        return specs
    # Every page of a split list shows the pager: each year's page count and label.
    pager = tuple((p.year, p.number, p.count, len(p.pairs)) for p in pages)
    specs.append((index, list_page(None), (pager, has_library)))
    specs += [(f"{p.url}index.md", list_page(p), (pager, listed(p))) for p in pages]
    return specs
