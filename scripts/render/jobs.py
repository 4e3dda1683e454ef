"""The site as jobs: the rendering of every generated page cut into independent pieces, and the
memo `make serve` keeps of them. Each page is keyed by its path under docs/
(`statements/<id>.md`, `countries/af/index.md` …); the site path a reader sees follows from it."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from scripts.history import History
from scripts.index import Hub, Index
from scripts.model import Statement, Vocabularies
from scripts.render import compare, exports, feeds, series, statement_api
from scripts.render.context import PageContext, modified_dates
from scripts.render.hubs import render_hub, render_hub_list
from scripts.render.listing import LIST_FOLDER, render_statement_list
from scripts.render.paging import HubPart, TimelinePage, hub_parts, timeline_pages
from scripts.render.scheduler import Pages, rendered
from scripts.render.statement import compare_links_of, render_statement, series_place
from scripts.render.timeline import render_home, render_timeline
from scripts.site import (
    HUB_FOLDERS,
    SERIES_FOLDER,
    HubKind,
    SiteConfig,
    doc_path,
    page_url,
    series_url,
)


@dataclass(frozen=True)
class Job:
    """A piece of the site's rendering: a statement page, a hub and its year pages, a feed …"""

    name: str
    run: Callable[[], Iterable[tuple[str, str]]]
    key: Any = None
    """What its pages are made from, besides what every page shares (see `RenderMemo`): a job
    whose key equals the key of the last run has the same pages. None: run it every time."""
    streamed: bool = False
    """Its pages are too big to hold at once, or to send from a worker: `rendered_jobs` renders
    it in this process, each page made as the caller takes it (the data downloads)."""


PagedRender = Callable[[PageContext, TimelinePage | None, list[TimelinePage]], str]
"""Renders one page of a list split by year (None: the index of its years)."""


def site_jobs(
    index: Index, vocabularies: Vocabularies, config: SiteConfig, history: History | None = None
) -> list[Job]:
    """The rendering of every generated page, cut into independent jobs, the biggest first.
    `history`: the statement files' git dates, for the feeds (scripts/history.py)."""
    dates = history or {}
    modified = modified_dates(index.statements, dates)

    def page(doc_path: str) -> PageContext:
        return PageContext(index, vocabularies, config, page_url(doc_path), modified)

    def dates_of(statements: Iterable[Statement]) -> tuple[Any, ...]:
        """The git dates of `statements`' files: what a feed of them takes from the history."""
        return tuple(dates.get(str(statement.path)) for statement in statements)

    def one(path: str, render: Callable[[PageContext], str], key: Any) -> Job:
        return Job(path, lambda: [(path, render(page(path)))], key)

    def year_page(hub: Hub, parts: list[HubPart], part: HubPart) -> Callable[[PageContext], str]:
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
        # A hub's feed: the statements about it, and those it took part in (as a guest …).
        shown = feeds.hub_feed_statements(hub) if hub else index.statements
        return Job(
            path,
            lambda: [(path, feeds.render_feed(shown, vocabularies, config, hub, dates))],
            (shown, dates_of(shown)),
        )

    def series_pages(series_id: str) -> list[Job]:
        """The series page (its statements, the compare pages between them) and its feed."""
        members = index.series[series_id]
        compared = tuple(tuple(compare_links_of(s, index)) for s in members)
        path = doc_path(series_url(series_id))
        record = feeds.series_of(series_id, vocabularies)
        feed = feeds.feed_path(series=record)
        return [
            one(path, lambda p: series.render_series(series_id, p), (record, members, compared)),
            Job(
                feed,
                lambda: [
                    (feed, feeds.render_feed(members, vocabularies, config, None, dates, record))
                ],
                (record, members, dates_of(members)),
            ),
        ]

    def statement_page(statement: Statement) -> Job:
        key = (
            statement,
            index.related.get(statement.id),
            index.similar.get(statement.id),
            series_place(statement, index, vocabularies.series),
            tuple(compare_links_of(statement, index)),
        )
        return one(f"statements/{statement.id}.md", lambda p: render_statement(statement, p), key)

    def hub_list(kind: HubKind, folder: str) -> Job:
        return one(
            f"{folder}/index.md", lambda p: render_hub_list(kind, p), tuple(index.hubs_of(kind))
        )

    def by_year(folder: str, render: PagedRender) -> Callable[[], Iterator[tuple[str, str]]]:
        """A list of every statement (the timeline, the table): one page, or one a year."""

        def pages_of() -> Iterator[tuple[str, str]]:
            pages = timeline_pages(index.statements, folder)
            first = f"{folder}/index.md"
            if len(pages) == 1:
                yield first, render(page(first), pages[0], [])
                return
            yield first, render(page(first), None, pages)
            for year_page in pages:
                path = f"{year_page.url}index.md"
                yield path, render(page(path), year_page, pages)

        return pages_of

    def statement_files(group: tuple[Statement, ...]) -> Callable[[], Pages]:
        return lambda: [
            (
                statement_api.statement_json_path(s.id),
                statement_api.statement_json(s, vocabularies, config),
            )
            for s in group
        ]

    everything = index.statements
    jobs = [
        Job(
            "data",
            lambda: exports.export_files(index, vocabularies, config),
            everything,
            streamed=True,
        ),
        Job(
            "data/statement-list",
            lambda: [(statement_api.LIST_PATH, statement_api.statement_list_json(everything))],
            everything,
        ),
        # The per-statement JSON a year at a time: an edit writes its year's again, not all.
        *(
            Job(f"data/statements/{year}", statement_files(tuple(group)), tuple(group))
            for year, group in exports.by_year(everything).items()
        ),
        Job("timeline", by_year("timeline", render_timeline), everything),
        Job("statement-list", by_year(LIST_FOLDER, render_statement_list), everything),
        hub_feed(None),
    ]
    jobs += [job for hub in index.hubs.values() for job in hub_pages(hub)]
    jobs += [hub_feed(hub) for hub in index.hubs.values()]
    jobs += [hub_list(kind, folder) for kind, folder in HUB_FOLDERS.items()]
    summaries = tuple(
        (feeds.series_of(series_id, vocabularies), members)
        for series_id, members in index.series.items()
    )
    jobs.append(one(f"{SERIES_FOLDER}/index.md", series.render_series_list, summaries))
    jobs += [job for series_id in index.series for job in series_pages(series_id)]
    jobs.append(one("index.md", render_home, everything))
    jobs += [statement_page(statement) for statement in index.statements]
    library = compare.browser_files()
    jobs += [one(*spec) for spec in compare.page_specs(everything, library)]
    jobs.append(Job("compare-library", lambda: library.items(), tuple(library.items())))
    return jobs


class _KeyPickler(pickle.Pickler):
    """Pickles a job's key with each statement, section and the vocabularies as a token (its own
    digest, made once), so that equal keys give equal bytes in any process. Through
    `reducer_override`, which the pickler asks about objects of classes of their own only (not
    str, tuple, dict …: a `persistent_id` would be asked about every object, and was most of the
    time of it). Keys hold no sets, whose order follows string hashing, different in each process
    (tests/test_shards.py makes the digests under three hash seeds)."""

    def __init__(self, file: io.BytesIO, tokens: dict[int, str]) -> None:
        super().__init__(file, protocol=5)
        self.tokens = tokens

    def reducer_override(self, obj: Any) -> Any:
        token = self.tokens.get(id(obj))
        return (str, (token,)) if token is not None else NotImplemented


def _pickled(value: Any, tokens: dict[int, str]) -> bytes:
    buffer = io.BytesIO()
    _KeyPickler(buffer, tokens).dump(value)
    return buffer.getvalue()


def job_digests(
    jobs: list[Job],
    index: Index,
    vocabularies: Vocabularies,
    config: SiteConfig,
    history: History | None,
    code: str,
    sources: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Each job's digest: a hash of its key, of what every page shares (the vocabularies, the
    settings, which hubs exist, the topic tree, the statement files' git dates) and of `code`
    (the generator's own version), the same in every process for the same inputs. Jobs without
    a key have none (always rendered).
    A statement is hashed once, and its sections with it, not again in each key it is in: as
    the hash of what it was modelled from, if `sources` has it by id (the model is made from
    that alone, by the code `code` stands for), else of the statement itself."""
    tokens: dict[int, str] = {}
    sources = sources or {}
    for statement in index.statements:
        digest = sources.get(statement.id) or hashlib.sha256(_pickled(statement, {})).hexdigest()
        tokens[id(statement)] = digest
        for number, section in enumerate(statement.sections):
            tokens[id(section)] = f"{digest}/{number}"
    modified = sorted(modified_dates(index.statements, history or {}).items())  # the sitemap's
    shared = (
        vocabularies,
        config,
        sorted(index.hubs),
        sorted(index.topic_children.items()),
        modified,
        code,
    )
    common = hashlib.sha256(_pickled(shared, tokens)).hexdigest()
    tokens[id(vocabularies)] = common
    return {
        job.name: hashlib.sha256(common.encode() + _pickled(job.key, tokens)).hexdigest()
        for job in jobs
        if job.key is not None
    }


def rendered_jobs(
    jobs: list[Job], workers: int = 1, progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[Job, Iterable[tuple[str, str]]]]:
    """Each job with its pages, in order, rendered by `workers` processes; then the streamed
    jobs, rendered here once the workers are done, their pages made one at a time as the caller
    takes them (a worker's pages all come back at once, and the data downloads are several
    hundred MB at 10,000 statements). `progress` is told (jobs done, jobs in all) as each job's
    pages come."""
    pooled = [job for job in jobs if not job.streamed]
    streamed = [job for job in jobs if job.streamed]
    batches = rendered([job.run for job in pooled], workers)
    made: Iterator[tuple[Job, Iterable[tuple[str, str]]]] = chain(
        zip(pooled, batches, strict=True), ((job, job.run()) for job in streamed)
    )
    for done, (job, pages) in enumerate(made, 1):
        yield job, pages
        if progress:
            progress(done, len(jobs))


def render_site(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/."""
    return dict(iter_site(index, vocabularies, config))


@dataclass
class RenderMemo:
    """The pages of the last run, by job, for `make serve`: a job whose key has not changed is
    not rendered again. Everything is rendered again when what all pages share changes: the
    vocabularies, the settings, which hubs exist (a tag is a link or plain text), the topic
    tree, the statement files' git dates (the sitemap's). Keys compare by value; statements that
    were not edited are the same objects from one run to the next (cli.prepare keeps them), so
    comparing them costs next to nothing."""

    context: Any = None
    pages: dict[str, tuple[Any, Pages]] = field(default_factory=dict)


def iter_site(
    index: Index,
    vocabularies: Vocabularies,
    config: SiteConfig,
    workers: int = 1,
    memo: RenderMemo | None = None,
    history: History | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[str, str]]:
    """Every generated page as (path under docs/, content), as soon as it is made, so that the
    caller can write pages away without holding the whole site. With `workers` > 1, pages are
    rendered by that many forked processes (each inherits the archive; only pages come back);
    the pages are the same either way, in the same order. With a `memo`, jobs whose key is
    unchanged since the memo's last run give their pages from it. `progress` is told (jobs done,
    jobs in all) as each job's pages come."""
    jobs = site_jobs(index, vocabularies, config, history)
    if memo is None:
        for _, pages in rendered_jobs(jobs, workers, progress):
            yield from pages
        return
    # The files' git dates too: every page listing a statement carries its date (the sitemap's).
    context = (
        vocabularies,
        config,
        frozenset(index.hubs),
        index.topic_children,
        modified_dates(index.statements, history or {}),
    )
    if memo.context != context:
        memo.context, memo.pages = context, {}
    last = memo.pages
    stale = [
        job
        for job in jobs
        if job.key is None or job.name not in last or last[job.name][0] != job.key
    ]
    fresh = dict(
        zip((job.name for job in stale), rendered([job.run for job in stale], workers), strict=True)
    )
    memo.pages = {}
    for job in jobs:
        pages = fresh[job.name] if job.name in fresh else last[job.name][1]
        memo.pages[job.name] = (job.key, pages)
        yield from pages
