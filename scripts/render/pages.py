"""Render stage: the model and its index → the Markdown pages of the site (pure; returns strings).

Each page is keyed by its path under docs/ (`statements/<id>.md`, `countries/af/index.md` …); the
site path a reader sees follows from it (`statements/<id>/`, `countries/af/`).
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from scripts.index import HUB_FOLDERS, Hub, HubKind, Index, SectionRef
from scripts.model import MONTHS, Section, Statement, Vocabularies
from scripts.render.citation import cite
from scripts.render.html import (
    environment,
    mark_quotes,
    markdown_html,
    quote_spans,
    relative_url,
)
from scripts.text import fold

GENERATED_FOLDERS = (
    "statements",
    "countries",
    "forums",
    "topics",
    "timeline",
    "data",
    "feed.xml",
    "compare",  # compare pages (issue 12): scripts/render/compare.py
)
"""Folders (and, with an extension, files) under docs/ that belong to the generator (git-ignored);
plus docs/index.md."""
LATEST_ON_HOME = 10
SNIPPET_CHARS = 420


@dataclass(frozen=True)
class SiteConfig:
    """Settings that are not data: where the repository lives, for edit links; where the site
    is served, for the absolute links of feeds and data files."""

    repo_url: str
    edit_branch: str
    site_url: str
    """The site's address, as mkdocs.yml's site_url: https://example.org/archive/"""

    def absolute(self, path: str) -> str:
        """The full address of a site path: statements/x/ → https://example.org/statements/x/"""
        return f"{self.site_url.rstrip('/')}/{path}"

    def edit_url(self, statement: Statement) -> str:
        """Where a contributor edits the statement's YAML file."""
        return f"{self.repo_url.rstrip('/')}/edit/{self.edit_branch}/{statement.path}"


def statement_url(statement: Statement, section: str | None = None) -> str:
    """Site path of a statement page, or of one of its sections."""
    return f"statements/{statement.id}/" + (f"#{section}" if section else "")


def page_url(doc_path: str) -> str:
    """Site path of a docs/ file: statements/x.md → statements/x/, topics/index.md → topics/."""
    stem = doc_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def snippet(text: str) -> str:
    """The start of an excerpt for a listing, cut at a word, with a visible ellipsis if cut."""
    text = fold(text)
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " […]"


class _Page:
    """What every template gets: the archive, and links relative to the page being rendered."""

    def __init__(self, index: Index, vocabularies: Vocabularies, config: SiteConfig, url: str):
        self.index = index
        self.vocabularies = vocabularies
        self.config = config
        self.url = url
        self._tags: dict[tuple[HubKind, str, int | None], Markup] = {}
        """Tags made for this page: a hub page names the same few countries hundreds of times."""

    def link(self, to: str) -> str:
        return relative_url(self.url, to)

    def statement_link(self, statement: Statement, section: Section | None = None) -> str:
        return self.link(statement_url(statement, section.id if section else None))

    def name(self, kind: HubKind, tag: str) -> str:
        if kind == "country":
            return self.vocabularies.countries[tag].name
        if kind == "forum":
            return self.vocabularies.forums[tag].name
        return self.vocabularies.topics[tag].name

    def tag(self, kind: HubKind, tag: str, count: int | None = None) -> Markup:
        """A tag as a link to its hub (plain text if the archive has no hub for it)."""
        made = self._tags.get((kind, tag, count))
        if made is not None:
            return made
        label = escape(self.name(kind, tag) + (f" ({count})" if count is not None else ""))
        hub = self.index.hub(kind, tag)
        if hub is None:
            made = Markup(f'<span class="sa-tag sa-tag--{escape(kind)}">{label}</span>')
        else:
            href = escape(self.link(hub.url))
            made = Markup(f'<a class="sa-tag sa-tag--{escape(kind)}" href="{href}">{label}</a>')
        self._tags[kind, tag, count] = made
        return made

    def issuers(self, statement: Statement) -> Markup:
        parts = [self.tag("country", code) for code in statement.parties]
        if statement.issuing_forum:
            parts.append(self.tag("forum", statement.issuing_forum))
        return Markup(" ").join(parts)

    def issuer_names(self, statement: Statement) -> list[str]:
        names = [self.vocabularies.countries[code].name for code in statement.parties]
        if statement.issuing_forum:
            names.append(self.vocabularies.forums[statement.issuing_forum].name)
        return names

    def date(self, statement: Statement) -> str:
        return statement.date.display if statement.date else "Undated"

    def statement_item(self, statement: Statement, *, light: bool = False) -> Markup:
        """A statement in a list: its title linked, then date, kind and issuers. `light` for the
        long lists of hubs and for similar statements: the issuers' names as text rather than
        links and no <time> element (each element costs the builder time, page after page)."""
        date = escape(self.date(statement))
        if statement.date and not light:
            date = Markup(f'<time datetime="{escape(statement.date.iso)}">{date}</time>')
        meta = [date, escape(self.kind(statement))]
        if statement.parties or statement.issuing_forum:
            meta.append(
                escape(", ".join(self.issuer_names(statement)))
                if light
                else self.issuers(statement)
            )
        return Markup(
            f'<li class="sa-item"><a class="sa-item__title" href="'
            f'{escape(self.statement_link(statement))}">{escape(statement.title)}</a>\n'
            f'<span class="sa-item__meta">{" · ".join(meta)}</span></li>\n'
        )

    def section_item(self, ref: SectionRef) -> Markup:
        """A section in a hub's list: its heading linked to its anchor, its statement and date,
        and the start of its first excerpt (else its summary)."""
        statement, section = ref.statement, ref.section
        head = (
            f'<li class="sa-item"><a class="sa-item__title" href="'
            f'{escape(self.statement_link(statement, section))}">{escape(section.heading)}</a>\n'
            f'<span class="sa-item__meta">in <a href="{escape(self.statement_link(statement))}">'
            f"{escape(statement.title)}</a> · {escape(self.date(statement))}</span>\n"
        )
        text = self.snippet(ref)
        if text:
            body = (
                f'<blockquote class="sa-item__quote" lang="{escape(statement.language)}">'
                f"{escape(text)}</blockquote>"
            )
        elif section.summary:
            body = (
                '<div class="sa-item__summary"><span class="sa-label">Summary</span> '
                f"{markdown_html(section.summary)}</div>"
            )
        else:
            body = ""
        return Markup(f"{head}{body}</li>\n")

    def kind(self, statement: Statement) -> str:
        return self.vocabularies.kinds[statement.kind].name

    def source(self, statement: Statement, source_id: str) -> Any:
        return next(s for s in statement.sources if s.id == source_id)

    def snippet(self, ref: SectionRef) -> str | None:
        for excerpt in ref.section.excerpts:
            return snippet(excerpt.text)
        return None


def _render(template: str, page: _Page, **context: Any) -> str:
    return environment().get_template(template).render(page=page, **context)


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


def render_statement(statement: Statement, page: _Page) -> str:
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
    return _render(
        "statement.md.j2",
        page,
        statement=statement,
        sections=sections,
        related=page.index.related.get(statement.id, ()),
        similar=page.index.similar.get(statement.id, ()),
        cite=cite(statement, page.vocabularies, page.config.absolute(statement_url(statement))),
        edit_url=page.config.edit_url(statement),
    )


HUB_PAGE_SECTIONS = 100
"""Most sections on one hub page. A hub with more is split into pages by year (and a busy year
into numbered pages), so no page grows past a few hundred KB however large the archive."""
HUB_PAGE_STATEMENTS = 200
"""Most statements listed on one hub page, for the same reason."""
HUB_PREVIEW = 3
"""Newest sections shown per topic on the overview of a split hub."""
HUB_LATEST = 20
"""Newest statements (and, on topic hubs, sections) shown on the overview of a split hub."""


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

    def url(self, hub: Hub) -> str:
        """countries/af/2026/ for the first page of a year, countries/af/2026/2/ after it."""
        return f"{hub.url}{self.year}/" + (f"{self.number}/" if self.number > 1 else "")

    @property
    def label(self) -> str:
        year = "Undated" if self.year == "undated" else self.year
        return f"{year}, page {self.number} of {self.count}" if self.count > 1 else year


def _year(statement: Statement) -> str:
    return str(statement.date.year) if statement.date else "undated"


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


def hub_parts(hub: Hub) -> list[HubPart]:
    """The pages of a hub too big for one, newest year first; [] for a hub that fits one page."""
    if len(hub.sections) <= HUB_PAGE_SECTIONS and len(hub.statements) <= HUB_PAGE_STATEMENTS:
        return []
    years: dict[str, tuple[list[SectionRef], list[Statement], list[Statement]]] = defaultdict(
        lambda: ([], [], [])
    )
    for ref in hub.sections:
        years[_year(ref.statement)][0].append(ref)
    for statement in hub.statements:
        years[_year(statement)][1].append(statement)
    for statement in hub.issued:
        years[_year(statement)][2].append(statement)
    parts = []
    for year in sorted(years, key=lambda y: (y == "undated", -int(y) if y != "undated" else 0)):
        sections, statements, issued = years[year]
        count = max(
            _pages(len(sections), HUB_PAGE_SECTIONS),
            _pages(len(statements), HUB_PAGE_STATEMENTS),
            _pages(len(issued), HUB_PAGE_STATEMENTS),
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
                )
            )
    return parts


@dataclass(frozen=True)
class TopicGroup:
    """A hub's sections on one topic."""

    anchor: str
    title: str
    sections: tuple[SectionRef, ...]
    """The ones shown, oldest first."""
    total: int


def _topic_groups(
    sections: Sequence[SectionRef], page: _Page, newest: int | None = None
) -> list[TopicGroup]:
    """Sections grouped by topic (biggest group first); only the `newest` of each if given."""
    groups: dict[str, list[SectionRef]] = defaultdict(list)
    for ref in sections:
        for topic in ref.section.topics or ("",):
            groups[topic].append(ref)
    ordered = sorted(groups.items(), key=lambda g: (g[0] == "", -len(g[1]), g[0]))
    return [
        TopicGroup(
            anchor=f"topic--{topic or 'none'}",
            title=page.name("topic", topic) if topic else "Not tagged with a topic",
            sections=tuple(refs[-newest:] if newest else refs),
            total=len(refs),
        )
        for topic, refs in ordered
    ]


def render_hub(hub: Hub, page: _Page, parts: list[HubPart], part: HubPart | None = None) -> str:
    """A country, forum or topic hub: what the archive holds on it, linked down to sections.

    `parts` are the hub's year pages when it is too big for one page; then the overview shows
    the newest items and every year, and `part` renders one year page."""
    split = bool(parts) and part is None
    if part is not None:
        sections, statements, issued = part.sections, part.statements, part.issued
        # A year page lists each statement once: the ones issued by it and the ones with a
        # section above are not listed again among the statements that concern it.
        listed = {s.id for s in issued} | {ref.statement.id for ref in sections}
        statements = tuple(s for s in statements if s.id not in listed)
    elif split:
        sections = hub.sections[-HUB_LATEST:] if hub.kind == "topic" else hub.sections
        statements, issued = hub.statements[:HUB_LATEST], hub.issued[:HUB_LATEST]
    else:
        sections, statements, issued = hub.sections, hub.statements, hub.issued
    forums_of_country = (
        [forum for forum in page.vocabularies.forums.values() if hub.id in forum.members]
        if hub.kind == "country" and part is None
        else []
    )
    return _render(
        "hub.md.j2",
        page,
        hub=hub,
        title=f"{hub.name}: {part.label}" if part else hub.name,
        part=part,
        parts=parts,
        split=split,
        sections=sections,
        statements=statements,
        issued=issued,
        forum=page.vocabularies.forums.get(hub.id) if hub.kind == "forum" else None,
        topic=page.vocabularies.topics.get(hub.id) if hub.kind == "topic" else None,
        children=page.index.topic_children.get(hub.id, ()) if hub.kind == "topic" else (),
        groups=(
            _topic_groups(sections, page, HUB_PREVIEW if split else None)
            if hub.kind != "topic"
            else []
        ),
        forums_of_country=forums_of_country,
        co_countries=page.index.co_occurring(hub, "country") if part is None else [],
        co_topics=(
            page.index.co_occurring(hub, "topic") if hub.kind != "topic" and part is None else []
        ),
    )


def render_hub_list(kind: HubKind, page: _Page) -> str:
    """The index page of one kind of hub, with counts (topics as a tree)."""
    hubs = page.index.hubs_of(kind)
    tree: list[tuple[int, str, Hub | None]] = []
    if kind == "topic":
        present = {h.id: h for h in hubs}

        def walk(topic_id: str, depth: int) -> bool:
            """Add the topic and its subtree if any of it has a hub; say whether it did."""
            at = len(tree)
            tree.append((depth, topic_id, present.get(topic_id)))
            found = topic_id in present
            for child in sorted(page.index.topic_children.get(topic_id, ()), key=_topic_name):
                found = walk(child, depth + 1) or found
            if not found:
                del tree[at:]
            return found

        def _topic_name(topic_id: str) -> str:
            return page.name("topic", topic_id)

        roots = [t.id for t in page.vocabularies.topics.values() if not t.parent]
        for root in sorted(roots, key=_topic_name):
            walk(root, 0)
    return _render("hub_list.md.j2", page, kind=kind, hubs=hubs, tree=tree)


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

    @property
    def url(self) -> str:
        if self.year is None:
            return "timeline/"
        return f"timeline/{self.year}/" + (f"{self.number}/" if self.number > 1 else "")

    @property
    def label(self) -> str:
        year = "Undated" if self.year == "undated" else str(self.year)
        return f"{year}, page {self.number} of {self.count}" if self.count > 1 else year


def timeline_pages(statements: Sequence[Statement]) -> list[TimelinePage]:
    """The timeline's pages: one for a small archive, else one per year, newest first."""
    newest_first = sorted(statements, key=lambda s: s.sort_key, reverse=True)
    dated = [s for s in newest_first if s.date] + sorted(
        (s for s in newest_first if not s.date), key=lambda s: s.id
    )
    if len(dated) <= TIMELINE_PAGE_STATEMENTS:
        return [TimelinePage(None, 1, 1, tuple(dated))]
    years: dict[str, list[Statement]] = defaultdict(list)
    for statement in dated:
        years[_year(statement)].append(statement)
    pages = []
    for year, items in years.items():
        count = _pages(len(items), TIMELINE_PAGE_STATEMENTS)
        for number in range(1, count + 1):
            chunk = items[
                (number - 1) * TIMELINE_PAGE_STATEMENTS : number * TIMELINE_PAGE_STATEMENTS
            ]
            pages.append(TimelinePage(year, number, count, tuple(chunk)))
    return pages


def render_timeline(page: _Page, shown: TimelinePage | None, pages: list[TimelinePage]) -> str:
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
    return _render(
        "timeline.md.j2",
        page,
        shown=shown,
        pages=pages if len(pages) > 1 else [],
        timeline=timeline,
        undated=undated,
    )


def render_home(page: _Page) -> str:
    """The home page: what the archive is, counts, latest statements, ways in."""
    statements = page.index.statements
    dated = [s for s in statements if s.date]
    return _render(
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


Pages = list[tuple[str, str]]
"""Rendered pages as (path under docs/, content)."""


@dataclass(frozen=True)
class Job:
    """A piece of the site's rendering: a statement page, a hub and its year pages, a feed …"""

    name: str
    run: Callable[[], Iterable[tuple[str, str]]]
    key: Any = None
    """What its pages are made from, besides what every page shares (see `RenderMemo`): a job
    whose key equals the key of the last run has the same pages. None: run it every time."""


def site_jobs(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> list[Job]:
    """The rendering of every generated page, cut into independent jobs, the biggest first."""
    # They build on this module's SiteConfig and URLs.
    from scripts.render import compare, exports, feeds, statement_api

    def page(doc_path: str) -> _Page:
        return _Page(index, vocabularies, config, page_url(doc_path))

    def one(path: str, render: Callable[[_Page], str], key: Any) -> Job:
        return Job(path, lambda: [(path, render(page(path)))], key)

    def year_page(hub: Hub, parts: list[HubPart], part: HubPart) -> Callable[[_Page], str]:
        return lambda p: render_hub(hub, p, parts, part)

    def hub_pages(hub: Hub) -> list[Job]:
        """The hub page, and its year pages if it is split: a job each, so that an edit
        renders again only the year pages it touches."""
        parts = hub_parts(hub)
        path = f"{hub.url}index.md"
        jobs = [one(path, lambda p: render_hub(hub, p, parts), hub)]
        pager = tuple((part.year, part.number, part.count) for part in parts)
        for part in parts:
            jobs.append(
                one(
                    f"{part.url(hub)}index.md",
                    year_page(hub, parts, part),
                    (hub.kind, hub.id, hub.name, pager, part),
                )
            )
        return jobs

    def hub_feed(hub: Hub | None) -> Job:
        path = feeds.feed_path(hub)
        shown = hub.statements if hub else index.statements
        return Job(
            path, lambda: [(path, feeds.render_feed(shown, vocabularies, config, hub))], shown
        )

    def statement_page(statement: Statement) -> Job:
        key = (
            statement,
            index.related.get(statement.id),
            index.similar.get(statement.id),
        )
        return one(f"statements/{statement.id}.md", lambda p: render_statement(statement, p), key)

    def hub_list(kind: HubKind, folder: str) -> Job:
        return one(
            f"{folder}/index.md", lambda p: render_hub_list(kind, p), tuple(index.hubs_of(kind))
        )

    def timeline() -> Iterator[tuple[str, str]]:
        pages = timeline_pages(index.statements)
        if len(pages) == 1:
            yield "timeline/index.md", render_timeline(page("timeline/index.md"), pages[0], [])
            return
        yield "timeline/index.md", render_timeline(page("timeline/index.md"), None, pages)
        for year_page in pages:
            path = f"{year_page.url}index.md"
            yield path, render_timeline(page(path), year_page, pages)

    everything = index.statements
    jobs = [
        Job(
            "data",
            lambda: [
                *exports.render_exports(index, vocabularies, config).items(),
                # per-statement JSON (issue 12): scripts/render/statement_api.py
                *statement_api.render_statement_files(everything, vocabularies, config).items(),
            ],
            everything,
        ),
        Job("timeline", timeline, everything),
        hub_feed(None),
    ]
    jobs += [job for hub in index.hubs.values() for job in hub_pages(hub)]
    jobs += [hub_feed(hub) for hub in index.hubs.values()]
    jobs += [hub_list(kind, folder) for kind, folder in HUB_FOLDERS.items()]
    jobs.append(one("index.md", render_home, everything))
    jobs += [statement_page(statement) for statement in index.statements]
    # --- compare pages (issue 12): all logic in scripts/render/compare.py -----------------------
    library = compare.browser_files()
    jobs += [one(*spec) for spec in compare.page_specs(everything, library)]
    jobs.append(Job("compare-library", lambda: library.items(), tuple(library.items())))
    # --- end of compare pages ---------------------------------------------------------------------
    return jobs


def render_site(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/."""
    return dict(iter_site(index, vocabularies, config))


@dataclass
class RenderMemo:
    """The pages of the last run, by job, for `make serve`: a job whose key has not changed is
    not rendered again. Everything is rendered again when what all pages share changes: the
    vocabularies, the settings, which hubs exist (a tag is a link or plain text), the topic
    tree. Keys compare by value; statements that were not edited are the same objects from
    one run to the next (cli.prepare keeps them), so comparing them costs next to nothing."""

    context: Any = None
    pages: dict[str, tuple[Any, Pages]] = field(default_factory=dict)


_JOBS: list[Job] = []
"""The jobs of the running `iter_site`, inherited by its worker processes."""
JOBS_PER_TASK = 50
"""Jobs a worker takes at a time: few enough to keep both busy to the end."""
PARALLEL_FROM = 200
"""Fewer jobs than this are rendered in this process: starting workers would cost more."""


def _run_jobs(indices: range) -> list[Pages]:
    return [list(_JOBS[i].run()) for i in indices]


def _rendered(jobs: list[Job], workers: int) -> Iterator[Pages]:
    """Each job's pages, in order; by `workers` forked processes if that is worth it."""
    forking = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(jobs) < PARALLEL_FROM or not forking:
        for job in jobs:
            yield list(job.run())
        return
    global _JOBS
    _JOBS = jobs
    tasks = [
        range(i, min(i + JOBS_PER_TASK, len(jobs))) for i in range(0, len(jobs), JOBS_PER_TASK)
    ]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for batch in pool.imap(_run_jobs, tasks):
                yield from batch
    finally:
        _JOBS = []


def iter_site(
    index: Index,
    vocabularies: Vocabularies,
    config: SiteConfig,
    workers: int = 1,
    memo: RenderMemo | None = None,
) -> Iterator[tuple[str, str]]:
    """Every generated page as (path under docs/, content), as soon as it is made, so that the
    caller can write pages away without holding the whole site. With `workers` > 1, pages are
    rendered by that many forked processes (each inherits the archive; only pages come back);
    the pages are the same either way, in the same order. With a `memo`, jobs whose key is
    unchanged since the memo's last run give their pages from it."""
    jobs = site_jobs(index, vocabularies, config)
    if memo is None:
        for pages in _rendered(jobs, workers):
            yield from pages
        return
    context = (vocabularies, config, frozenset(index.hubs), index.topic_children)
    if memo.context != context:
        memo.context, memo.pages = context, {}
    last = memo.pages
    stale = [
        job
        for job in jobs
        if job.key is None or job.name not in last or last[job.name][0] != job.key
    ]
    fresh = dict(zip((job.name for job in stale), _rendered(stale, workers), strict=True))
    memo.pages = {}
    for job in jobs:
        pages = fresh[job.name] if job.name in fresh else last[job.name][1]
        memo.pages[job.name] = (job.key, pages)
        yield from pages
