"""Atom feeds (RFC 4287): the whole archive's newest statements, and each hub's (pure; strings).

Written with feedgen, never by hand. Two builds of the same data give byte-identical feeds: no
build time appears anywhere, every date comes from the data.

Entry ids are tag URIs (RFC 4151) built from the statement id with a fixed authority and date,
`tag:statement-archive.github.io,2026:statements/<id>`, so an entry keeps its id when the site
moves to another address; the same statement has the same entry id in every feed it appears in.
Feed ids are built the same way: `…:feed` for the whole archive, `…:feed/countries/af` for a hub,
`…:feed/series/<id>` for a series.

Dates: Atom needs a full timestamp, statements may be known only to the month or the year. An
entry's `published`, which also orders the feed, is the first day of the statement's known period
at 00:00 UTC (2026-05 → 2026-05-01T00:00:00Z, 2025 → 2025-01-01T00:00:00Z). An undated statement
takes the latest `published` date of its sources, by the same rule; with none of those, the day
its file came into the archive (the commit that added it, from `history`); with none of that
either (a tree that is not a git checkout, a file not yet committed) it is left out of the feeds,
rather than given a made-up date. An entry's `updated` is the latest commit that changed the
statement's file, so that a correction shows as an update, but never before its `published`;
without a history, it is its `published`. The exact date as known ("May 2026", "Undated") is
written at the head of each entry's summary. A feed's `updated` is its latest entry `updated`.

`history` maps a statement's file (its `path`, as text) to the dates git gives it
(scripts/history.py reads them; this module never touches git or a file). It defaults to none,
so the dates then come from the data alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import MappingProxyType

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]  # feedgen has no types
from markupsafe import Markup

from scripts.history import History
from scripts.index import Hub, Index
from scripts.model import PartialDate, Series, Statement, Vocabularies
from scripts.render.html import markdown_html
from scripts.site import (
    HUB_FOLDERS,
    SERIES_FOLDER,
    HubKind,
    SiteConfig,
    feed_url,
    series_url,
    statement_url,
)

FEED_ENTRIES = 50
"""Most entries in one feed: the newest statements. Everything is in data/statements.json.gz."""
SITE_NAME = "Statement Archive"
TAG_AUTHORITY = "statement-archive.github.io,2026"
"""The tag URI authority and date (RFC 4151) of every feed and entry id. Fixed for good: it
names who minted the ids and when, not where the site is served; a fork may keep it."""
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""A feed's `updated` when it has no entry at all (and only then)."""
NO_HISTORY: History = MappingProxyType({})
"""No git dates: every date comes from the data."""


def tag_uri(specific: str) -> str:
    """A stable id: tag:statement-archive.github.io,2026:<specific>."""
    return f"tag:{TAG_AUTHORITY}:{specific}"


def entry_id(statement: Statement) -> str:
    """The entry id of a statement in every feed: tag:…:statements/<id>."""
    return tag_uri(f"statements/{statement.id}")


def feed_path(hub: Hub | None = None, series: Series | None = None) -> str:
    """Where a feed lives under docs/ (and on the site): feed.xml, countries/af/feed.xml,
    series/<id>/feed.xml."""
    if series is not None:
        return feed_url(series_url(series.id))
    return feed_url(hub.url if hub else None)


def _timestamp(date: PartialDate) -> dt.datetime:
    return dt.datetime(date.year, date.month or 1, date.day or 1, tzinfo=dt.UTC)


def entry_date(statement: Statement, history: History = NO_HISTORY) -> dt.datetime | None:
    """The entry's `published`, which orders the feeds: the first day of the statement's known
    period; for an undated statement, the latest publication date of its sources, else the day
    its file was added to the archive; None if there is none of these (left out of the feeds)."""
    if statement.date:
        return _timestamp(statement.date)
    published = [s.published for s in statement.sources if s.published]
    if published:
        return _timestamp(max(published))
    dates = history.get(str(statement.path))
    return dates.added if dates else None


def entry_updated(statement: Statement, history: History = NO_HISTORY) -> dt.datetime | None:
    """The entry's `updated`: the last commit that changed the statement's file, but never
    before its `published`; without a history, its `published`."""
    published = entry_date(statement, history)
    dates = history.get(str(statement.path))
    if published is None or dates is None:
        return published
    return max(published, dates.changed)


def newest_first(statements: Sequence[Statement], history: History = NO_HISTORY) -> list[Statement]:
    """The statements that have a feed date, by it, newest first; ties by the archive's own
    order (fuller date, then id)."""
    dated = [(date, s) for s in statements if (date := entry_date(s, history)) is not None]
    return [s for _, s in sorted(dated, key=lambda pair: (pair[0], pair[1].sort_key), reverse=True)]


def _name(vocabularies: Vocabularies, kind: HubKind, tag: str) -> str:
    return vocabularies.name(kind, tag)


def _tags(statement: Statement) -> list[tuple[HubKind, tuple[str, ...]]]:
    """The statement's tags (its own and its sections'), by kind."""
    return [(kind, statement.all_tags(kind)) for kind in HUB_FOLDERS]


def _summary(
    statement: Statement, hub: Hub | None, vocabularies: Vocabularies, config: SiteConfig
) -> str:
    """The entry's summary as sanitised HTML: date, kind and issuers; the editorial summary;
    on a hub's feed, links to the statement's sections on the hub's subject."""
    issuers = [vocabularies.countries[code].name for code in statement.parties]
    if statement.issuing_forum:
        issuers.append(vocabularies.forums[statement.issuing_forum].name)
    meta = [
        statement.date.display if statement.date else "Undated",
        vocabularies.kinds[statement.kind].name,
        ", ".join(issuers),
    ]
    html = Markup("<p>{}</p>\n").format(" · ".join(part for part in meta if part))
    html += markdown_html(statement.summary)
    if hub is not None:
        sections = [s for s in statement.sections if hub.about(statement.section_tags(s, hub.kind))]
        if sections:
            links = Markup(", ").join(
                Markup('<a href="{}">{}</a>').format(
                    config.absolute(statement_url(statement.id, section.id)), section.heading
                )
                for section in sections
            )
            html += Markup("\n<p>Sections on {}: {}</p>").format(hub.name, links)
    return str(html)


def render_feed(
    statements: tuple[Statement, ...] | list[Statement],
    vocabularies: Vocabularies,
    config: SiteConfig,
    hub: Hub | None = None,
    history: History = NO_HISTORY,
    series: Series | None = None,
) -> str:
    """The Atom feed of the archive (hub and series None), of one hub or of one series: its
    newest statements."""
    entries = newest_first(statements, history)[:FEED_ENTRIES]
    updated = {s.id: entry_updated(s, history) or EPOCH for s in entries}
    feed = FeedGenerator()
    if series is not None:
        feed.id(tag_uri(f"feed/{SERIES_FOLDER}/{series.id}"))
        feed.title(f"{series.name} — {SITE_NAME}")
        feed.subtitle(f"The {FEED_ENTRIES} newest statements of the series {series.name}.")
        page = series_url(series.id)
    elif hub is None:
        feed.id(tag_uri("feed"))
        feed.title(SITE_NAME)
        feed.subtitle(f"The {FEED_ENTRIES} newest statements in the archive.")
        page = ""
    else:
        feed.id(tag_uri(f"feed/{HUB_FOLDERS[hub.kind]}/{hub.id.lower()}"))
        feed.title(f"{hub.name} — {SITE_NAME}")
        feed.subtitle(
            f"The {FEED_ENTRIES} newest statements that concern {hub.name}: issued by it or"
            " tagged with it, in the statement or in one of its sections."
        )
        page = hub.url
    feed.link(href=config.absolute(feed_path(hub, series)), rel="self", type="application/atom+xml")
    feed.link(href=config.absolute(page), rel="alternate", type="text/html")
    feed.author(name=SITE_NAME, uri=config.absolute(""))
    feed.language("en")
    feed.updated(max(updated.values(), default=EPOCH))
    for statement in entries:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(statement))
        entry.title(statement.title)
        entry.published(entry_date(statement, history))
        entry.updated(updated[statement.id])
        entry.link(
            href=config.absolute(statement_url(statement.id)), rel="alternate", type="text/html"
        )
        entry.summary(_summary(statement, hub, vocabularies, config), type="html")
        for kind, tags in _tags(statement):
            for tag in tags:
                entry.category(
                    term=tag,
                    label=_name(vocabularies, kind, tag),
                    scheme=config.absolute(f"{HUB_FOLDERS[kind]}/"),
                )
    xml: bytes = feed.atom_str(pretty=True, encoding="UTF-8")
    return xml.decode("utf-8")


def render_feeds(
    index: Index,
    vocabularies: Vocabularies,
    config: SiteConfig,
    history: History = NO_HISTORY,
) -> dict[str, str]:
    """Every feed, keyed by its path under docs/: feed.xml, <hub>/feed.xml and
    series/<id>/feed.xml."""
    feeds = {feed_path(): render_feed(index.statements, vocabularies, config, None, history)}
    for hub in index.hubs.values():
        shown = hub_feed_statements(hub)
        feeds[feed_path(hub)] = render_feed(shown, vocabularies, config, hub, history)
    for series_id, statements in index.series.items():
        series = series_of(series_id, vocabularies)
        feeds[feed_path(series=series)] = render_feed(
            statements, vocabularies, config, None, history, series
        )
    return feeds


def hub_feed_statements(hub: Hub) -> tuple[Statement, ...]:
    """What a hub's feed follows: the statements about it, and those it took part in (as a
    guest, an observer …), newest first."""
    both = {s.id: s for s in (*hub.statements, *(s for s, _ in hub.participated))}
    return tuple(sorted(both.values(), key=lambda s: s.sort_key, reverse=True))


def series_of(series_id: str, vocabularies: Vocabularies) -> Series:
    """The series of an id that statements name (a bare record if the vocabulary lacks it)."""
    return vocabularies.series.get(series_id) or Series(series_id, series_id, None, None)
