"""Nothing lost: walk a built site against data/ and report what did not reach it.

For every statement in data/, the audit reads the built site back, as a reader and a program would
meet it, and checks that

- its page `statements/<id>/` exists, with an anchor for every section;
- every country, forum, topic and actor hub it names (issuers and tags: its own, its sections'
  and their excerpts') lists it, and so does the hub of every participant (a guest, an
  observer …: the hub lists what it took part in); every hub a section is about links down to
  that section (`statements/<id>/#<section>`): the hubs of the statement's own tags and issuing
  forum (carried to every section), of the section's tags and of its excerpts'. A hub is its
  page and every page its year pager leads to, so split hubs are followed through their year and
  numbered pages; the hub indexes (`countries/` …) link every hub; a topic tag reaches the
  hub of every broader topic too (its parent, and so on up the vocabulary's tree);
- the page of its series (`series/<id>/`) lists it, and the series index (`series/`) links that
  page;
- the timeline (and its year pages) lists it;
- the search index has it: a Pagefind fragment at its address whose anchors hold every section,
  in the editorial bundle and (when it has excerpts in the site's language) in the statement
  bundle, and, for text in another language, a fragment in that language's bundle with those
  sections;
- `data/statements.json.gz` holds it with every section, `data/statements.csv` a row for it and
  `data/sections.csv.gz` a row for each section (the whole archive's downloads: the per-year
  files are the same text cut by year);
- the feeds carry it where the feed contract says (scripts/render/feeds.py): the site-wide feed
  each hub's feed (with what the hub took part in) and each series' feed hold the FEED_ENTRIES
  newest statements that belong there, so a statement that belongs in a feed and is left out
  must be no newer than the feed's oldest entry, and a feed never lists a statement that does
  not belong in it.

What it expects comes from the data files alone (a statement's tags, its sections' and
excerpts' tags, its participants and series), never from the index the site was built with, so a
statement the indexer dropped is reported. Each problem is reported compiler-style at the place in
the data file that asks for the missing thing (the tag, the participant, the series, the section
id), then a count; the exit status is 1 if anything is missing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import posixpath
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html  # type: ignore[import-untyped]  # lxml ships no types

from scripts.history import History, file_history
from scripts.load import DataPath, Loaded, Place
from scripts.model import Statement, Vocabularies
from scripts.pipeline import prepare
from scripts.render.feeds import EPOCH, FEED_ENTRIES, entry_date, entry_id
from scripts.search import BUNDLE, EDITORIAL, LANGUAGES, primary_subtag, site_language
from scripts.site import (
    FEED_FILE,
    HUB_FOLDERS,
    SERIES_FOLDER,
    TAG_FIELDS,
    HubKind,
    hub_url,
    published,
    series_url,
    statement_url,
)
from scripts.validate import Problem

FRAGMENT_SIGNATURE = b"pagefind_dcd"
"""What a Pagefind fragment starts with, once un-gzipped; JSON follows."""
ATOM = "{http://www.w3.org/2005/Atom}"


# --- reading the built site ------------------------------------------------------------------


def read_page(raw: bytes) -> tuple[set[str], list[str]]:
    """The ids and the link targets (<a href>) of one HTML page, read with lxml's HTML parser
    (libxml2: a tenth of the time of the standard library's, on pages of thousands of links)."""
    document = lxml.html.document_fromstring(raw)
    ids = {str(value) for value in document.xpath("//@id") if value}
    hrefs = [str(value) for value in document.xpath("//a/@href") if value]
    return ids, hrefs


@dataclass(frozen=True)
class PageLinks:
    """What the audit needs of a page: its ids, and the site paths its links lead to."""

    ids: frozenset[str]
    targets: frozenset[str]
    """Site paths, with the fragment: 'statements/x/', 'statements/x/#afghanistan'."""


def resolve(page_url: str, href: str) -> str | None:
    """The site path a link on the page at `page_url` leads to; None for one that leaves the
    site (it has a scheme or a host) or is root-absolute (the generated pages write none)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    if path:
        joined = posixpath.normpath(posixpath.join(page_url or ".", path))
        target = "" if joined == "." else joined + ("/" if path.endswith(("/", ".")) else "")
    else:
        target = page_url
    return target + (f"#{parts.fragment}" if parts.fragment else "")


class BuiltSite:
    """A built site folder; each page is read once, on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pages: dict[str, PageLinks | None] = {}

    def file(self, url: str) -> Path:
        folder = url.endswith("/") or not url
        return self.folder / url / "index.html" if folder else self.folder / url

    def page(self, url: str) -> PageLinks | None:
        """The page at a site path ('statements/x/'), or None if there is none."""
        if url not in self._pages:
            file = self.file(url)
            if not file.is_file():
                self._pages[url] = None
            else:
                ids, hrefs = read_page(file.read_bytes())
                targets = (resolve(url, href) for href in hrefs)
                self._pages[url] = PageLinks(
                    frozenset(ids), frozenset(t for t in targets if t is not None)
                )
        return self._pages[url]

    def pages_under(self, start: str) -> list[str]:
        """`start` and every page under its path that its links lead to, and theirs in turn:
        a hub and its year pages, the timeline and its years."""
        found, queue = [start], [start]
        while queue:
            page = self.page(queue.pop())
            for target in sorted(page.targets) if page else ():
                path = target.partition("#")[0]
                if path.startswith(start) and path.endswith("/") and path not in found:
                    found.append(path)
                    queue.append(path)
        return found

    def targets_under(self, start: str) -> tuple[int, set[str]]:
        """How many pages `start` spans, and every link target on them."""
        urls = self.pages_under(start)
        targets: set[str] = set()
        for url in urls:
            page = self.page(url)
            if page:
                targets |= page.targets
        return len(urls), targets


def read_fragments(bundle: Path) -> dict[str, set[str]]:
    """A Pagefind bundle's indexed pages: site path ('statements/x/') → the ids of its anchors."""
    pages: dict[str, set[str]] = {}
    for file in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(file.read_bytes())
        fragment: dict[str, Any] = json.loads(raw.removeprefix(FRAGMENT_SIGNATURE))
        url = str(fragment.get("url", "")).lstrip("/")
        anchors = {str(a.get("id")) for a in fragment.get("anchors", []) if a.get("id")}
        pages.setdefault(url, set()).update(anchors)
    return pages


def read_feed(file: Path) -> list[str] | None:
    """The entry ids of an Atom feed, in order; None if there is no such file."""
    if not file.is_file():
        return None
    root = ElementTree.fromstring(file.read_bytes())  # the site's own output, not input
    return [(entry.findtext(f"{ATOM}id") or "") for entry in root.iter(f"{ATOM}entry")]


# --- what the data asks for ------------------------------------------------------------------


@dataclass
class Expected:
    """Where a statement must appear, and the place in its file that asks for each."""

    statement: Statement
    loaded: Loaded
    hubs: dict[tuple[HubKind, str], DataPath] = field(default_factory=dict)
    """Hubs that must list the statement → the first place that names the hub."""
    sections: dict[tuple[HubKind, str], list[tuple[str, DataPath]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """Hubs that must link down to sections → [(section id, the place of the tag)], each
    section once per hub."""
    series: DataPath | None = None
    """The place of its `series`, whose page must list it."""

    def place(self, path: DataPath) -> Place:
        assert self.loaded.document is not None
        return self.loaded.document.place(path)


def broader_topics(vocabularies: Vocabularies) -> dict[str, tuple[str, ...]]:
    """By topic id: its broader topics up to the root, read from the vocabulary's `parent`s
    (each of their hubs gathers what the topic's does)."""
    found: dict[str, tuple[str, ...]] = {}
    for topic in vocabularies.topics.values():
        chain: list[str] = []
        parent = topic.parent
        while parent and parent not in chain and parent != topic.id:
            chain.append(parent)
            parent = vocabularies.topics[parent].parent if parent in vocabularies.topics else None
        found[topic.id] = tuple(chain)
    return found


def _expected(
    statement: Statement, loaded: Loaded, broader: dict[str, tuple[str, ...]] | None = None
) -> Expected:
    expected = Expected(statement, loaded)
    ancestors = broader or {}

    def hubs_of(kind: HubKind, tag: str) -> list[tuple[HubKind, str]]:
        """The hubs a tag reaches: its own, and for a topic every broader topic's."""
        wider = ancestors.get(tag, ()) if kind == "topic" else ()
        return [(kind, tag), *((kind, t) for t in wider)]

    def name(kind: HubKind, tag: str, path: DataPath) -> None:
        for key in hubs_of(kind, tag):
            expected.hubs.setdefault(key, path)

    for i, code in enumerate(statement.parties):
        name("country", code, ("parties", i))
    # What the statement as a whole is about (its own tags and issuing forum, not its parties):
    # every section of it reaches those hubs.
    whole: dict[tuple[HubKind, str], DataPath] = {}
    if statement.issuing_forum:
        whole["forum", statement.issuing_forum] = ("issuing_forum",)
    for kind, tag_field in TAG_FIELDS.items():
        for i, tag in enumerate(getattr(statement, tag_field)):
            for key in hubs_of(kind, tag):
                whole.setdefault(key, (tag_field, i))
    for (kind, tag), first in whole.items():
        expected.hubs.setdefault((kind, tag), first)
    for s, section in enumerate(statement.sections):
        reached: dict[tuple[HubKind, str], DataPath] = dict(whole)
        for kind, tag_field in TAG_FIELDS.items():
            for i, tag in enumerate(getattr(section, tag_field)):
                path: DataPath = ("sections", s, tag_field, i)
                name(kind, tag, path)
                for key in hubs_of(kind, tag):
                    reached.setdefault(key, path)
            for e, excerpt in enumerate(section.excerpts):
                for i, tag in enumerate(getattr(excerpt, tag_field)):
                    where: DataPath = ("sections", s, "excerpts", e, tag_field, i)
                    name(kind, tag, where)
                    for key in hubs_of(kind, tag):
                        reached.setdefault(key, where)
        for key, place in reached.items():
            expected.sections[key].append((section.id, place))
    for i, participant in enumerate(statement.participants):
        name(participant.kind, participant.id, ("participants", i, participant.kind))
    if statement.series:
        expected.series = ("series",)
    return expected


def other_languages(statement: Statement, site: str) -> dict[str, list[str]]:
    """Language (not the site's) → the sections with text in it, as the search indexes it."""
    found: dict[str, list[str]] = defaultdict(list)
    own = primary_subtag(site)
    for section in statement.sections:
        for excerpt in section.excerpts:
            languages = [statement.language]
            if excerpt.original:
                languages.append(excerpt.original.language)
            for language in (lang for lang in languages if primary_subtag(lang) != own):
                if section.id not in found[language]:
                    found[language].append(section.id)
    return dict(found)


# --- the audit -------------------------------------------------------------------------------


@dataclass
class Audit:
    """The audit of one site: its problems and what it counted."""

    problems: list[Problem] = field(default_factory=list)
    statements: int = 0
    sections: int = 0
    hub_pages: int = 0
    feeds: int = 0

    def report(self, expected: Expected, path: DataPath, message: str) -> None:
        self.problems.append(Problem.at(expected.loaded.file, expected.place(path), message))

    def summary(self) -> str:
        if self.problems:
            count = len(self.problems)
            files = len({p.file for p in self.problems})
            return (
                f"{count} thing{'s' if count != 1 else ''} missing from the site, "
                f"in {files} file{'s' if files != 1 else ''}"
            )
        return (
            f"Nothing lost: {self.statements:,} statement{'s' if self.statements != 1 else ''}"
            f" and {self.sections:,} section{'s' if self.sections != 1 else ''} reach their pages,"
            f" {self.hub_pages:,} hub page{'s' if self.hub_pages != 1 else ''}, the timeline, the"
            f" search index, the downloads and {self.feeds:,} feed{'s' if self.feeds != 1 else ''}."
        )


def audit_site(root: Path, site_folder: Path) -> Audit | list[Problem]:
    """Audit `site_folder` against `root`/data; the validation problems instead if the data has
    any (a site cannot be held to data that does not validate)."""
    problems, archive = prepare(root)
    if archive is None:
        return problems
    broader = broader_topics(archive.vocabularies)
    expectations = [_expected(s, archive.files[s.id], broader) for s in archive.statements]
    audit = Audit(
        statements=len(expectations),
        sections=sum(len(e.statement.sections) for e in expectations),
    )
    site = BuiltSite(site_folder)
    _pages(audit, site, expectations)
    _hubs(audit, site, expectations)
    _series(audit, site, expectations)
    _timeline(audit, site, expectations)
    _search(audit, site_folder, expectations, site_language(root / "mkdocs.yml"))
    _downloads(audit, site_folder, expectations)
    _feeds(audit, site_folder, expectations, file_history(root))
    audit.problems.sort()
    return audit


def _pages(audit: Audit, site: BuiltSite, expectations: list[Expected]) -> None:
    for expected in expectations:
        url = statement_url(expected.statement.id)
        page = site.page(url)
        if page is None:
            audit.report(expected, ("id",), f"statement has no page: {url} is missing")
            continue
        for s, section in enumerate(expected.statement.sections):
            if section.id not in page.ids:
                audit.report(
                    expected,
                    ("sections", s, "id"),
                    f"section '{section.id}' has no anchor on {url} (#{section.id})",
                )


def _hubs(audit: Audit, site: BuiltSite, expectations: list[Expected]) -> None:
    named: dict[tuple[HubKind, str], list[Expected]] = defaultdict(list)
    for expected in expectations:
        for key in expected.hubs:
            named[key].append(expected)
    for kind, folder in HUB_FOLDERS.items():
        hub_list = site.page(f"{folder}/")
        for key in sorted(k for k in named if k[0] == kind):
            url = hub_url(*key)
            first = named[key][0]
            if hub_list is None or url not in hub_list.targets:
                audit.report(first, first.hubs[key], f"{folder}/ does not link the hub {url}")
    for key, statements in sorted(named.items(), key=lambda item: item[0]):
        url = hub_url(*key)
        if site.page(url) is None:
            first = statements[0]
            audit.report(first, first.hubs[key], f"hub page {url} is missing")
            continue
        count, targets = site.targets_under(url)
        audit.hub_pages += count
        spanned = f"{url} ({count} page{'s' if count != 1 else ''})"
        for expected in statements:
            own = statement_url(expected.statement.id)
            if own not in targets:
                audit.report(
                    expected, expected.hubs[key], f"statement is not listed on the hub {spanned}"
                )
            for section_id, path in expected.sections.get(key, []):
                if f"{own}#{section_id}" not in targets:
                    audit.report(
                        expected,
                        path,
                        f"section '{section_id}' is not linked from the hub {spanned}",
                    )


def _series(audit: Audit, site: BuiltSite, expectations: list[Expected]) -> None:
    """Each series page lists its statements; the series index links each series page."""
    members: dict[str, list[Expected]] = defaultdict(list)
    for expected in expectations:
        if expected.series is not None and expected.statement.series:
            members[expected.statement.series].append(expected)
    listing = site.page(f"{SERIES_FOLDER}/")
    for series_id, found in sorted(members.items()):
        url = series_url(series_id)
        first = found[0]
        assert first.series is not None
        if listing is None or url not in listing.targets:
            audit.report(first, first.series, f"{SERIES_FOLDER}/ does not link the series {url}")
        page = site.page(url)
        if page is None:
            audit.report(first, first.series, f"series page {url} is missing")
            continue
        audit.hub_pages += 1
        for expected in found:
            assert expected.series is not None
            if statement_url(expected.statement.id) not in page.targets:
                audit.report(
                    expected, expected.series, f"statement is not listed on the series page {url}"
                )


def _timeline(audit: Audit, site: BuiltSite, expectations: list[Expected]) -> None:
    if site.page("timeline/") is None:
        if expectations:
            audit.report(expectations[0], ("id",), "the timeline page timeline/ is missing")
        return
    count, targets = site.targets_under("timeline/")
    for expected in expectations:
        if statement_url(expected.statement.id) not in targets:
            audit.report(
                expected,
                ("id",),
                f"statement is not on the timeline (timeline/, {count} page"
                f"{'s' if count != 1 else ''})",
            )


def _search(audit: Audit, folder: Path, expectations: list[Expected], language: str) -> None:
    bundles: dict[Path, dict[str, set[str]]] = {}

    def bundle(path: Path) -> dict[str, set[str]]:
        if path not in bundles:
            bundles[path] = read_fragments(path) if (path / "fragment").is_dir() else {}
        return bundles[path]

    for expected in expectations:
        statement = expected.statement
        url = statement_url(statement.id)
        # Every statement has editorial text (its title at least); its own words in the site's
        # language are in the statement bundle, when it has any.
        wanted = [EDITORIAL]
        if primary_subtag(statement.language) == primary_subtag(language) and any(
            section.excerpts for section in statement.sections
        ):
            wanted.insert(0, BUNDLE)
        for name in wanted:
            indexed = bundle(folder / name)
            if url not in indexed:
                audit.report(expected, ("id",), f"statement is not in the search index ({name}/)")
                continue
            for s, section in enumerate(statement.sections):
                if section.id not in indexed[url]:
                    audit.report(
                        expected,
                        ("sections", s, "id"),
                        f"section '{section.id}' is not in the search index ({name}/): no"
                        f" anchor #{section.id} in the fragment of {url}",
                    )
        for other, sections in other_languages(statement, language).items():
            where = f"{LANGUAGES}/{other}/"
            found = bundle(folder / LANGUAGES / other)
            if url not in found:
                audit.report(
                    expected, ("id",), f"its text in '{other}' is not in the search index ({where})"
                )
                continue
            for section_id in sections:
                if section_id not in found[url]:
                    s = [x.id for x in statement.sections].index(section_id)
                    audit.report(
                        expected,
                        ("sections", s, "id"),
                        f"section '{section_id}' is not in the search index for '{other}'"
                        f" ({where})",
                    )


def _unpacked(file: Path) -> str:
    """The text of a download, gunzipped if its name ends in .gz."""
    data = file.read_bytes()
    return (gzip.decompress(data) if file.suffix == ".gz" else data).decode("utf-8")


def _read_csv(file: Path) -> list[dict[str, str]] | None:
    try:
        text = _unpacked(file)
    except (OSError, EOFError, UnicodeDecodeError):  # gzip.BadGzipFile is an OSError
        return None
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _downloads(audit: Audit, folder: Path, expectations: list[Expected]) -> None:
    data = folder / "data"
    json_file, sections_file = published("statements.json"), published("sections.csv")
    try:
        document = json.loads(_unpacked(data / json_file))
        records = {r["id"]: {s["id"] for s in r["sections"]} for r in document["statements"]}
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        records = None
    rows = _read_csv(data / "statements.csv")
    statement_rows = {row.get("id") for row in rows} if rows is not None else None
    rows = _read_csv(data / sections_file)
    section_rows = (
        {(row.get("statement_id"), row.get("section_id")) for row in rows}
        if rows is not None
        else None
    )
    for expected in expectations:
        statement = expected.statement
        if records is None or statement.id not in records:
            audit.report(expected, ("id",), f"statement is not in data/{json_file}")
        if statement_rows is None or statement.id not in statement_rows:
            audit.report(expected, ("id",), "statement has no row in data/statements.csv")
        for s, section in enumerate(statement.sections):
            if records and section.id not in records.get(statement.id, {section.id}):
                audit.report(
                    expected,
                    ("sections", s, "id"),
                    f"section '{section.id}' is not in data/{json_file}",
                )
            if section_rows is None or (statement.id, section.id) not in section_rows:
                audit.report(
                    expected,
                    ("sections", s, "id"),
                    f"section '{section.id}' has no row in data/{sections_file}",
                )


def _feeds(audit: Audit, folder: Path, expectations: list[Expected], history: History) -> None:
    # A statement with no feed date (undated, and nothing in its sources or git dates it) is
    # left out of every feed by rule (scripts/render/feeds.py): it is not expected in one.
    expectations = [e for e in expectations if entry_date(e.statement, history)]
    belongs: dict[str, list[Expected]] = {FEED_FILE: list(expectations)}
    why: dict[tuple[str, str], DataPath] = {}
    for expected in expectations:
        for key, path in expected.hubs.items():
            feed = f"{hub_url(*key)}{FEED_FILE}"
            belongs.setdefault(feed, []).append(expected)
            why[feed, expected.statement.id] = path
        if expected.series is not None and expected.statement.series:
            feed = f"{series_url(expected.statement.series)}{FEED_FILE}"
            belongs.setdefault(feed, []).append(expected)
            why[feed, expected.statement.id] = expected.series
    for feed, members in sorted(belongs.items()):
        audit.feeds += 1
        for problem in _feed_problems(folder / feed, feed, members, history):
            expected, message = problem
            audit.report(expected, why.get((feed, expected.statement.id), ("id",)), message)


def _feed_problems(
    file: Path, feed: str, members: list[Expected], history: History
) -> Iterator[tuple[Expected, str]]:
    """What is wrong with one feed: (the statement it concerns, the message)."""
    entries = read_feed(file)
    if entries is None:
        yield members[0], f"feed {feed} is missing"
        return
    by_entry = {entry_id(e.statement): e for e in members}
    listed = [by_entry[entry] for entry in entries if entry in by_entry]
    for entry in entries:
        if entry not in by_entry:
            yield members[0], f"feed {feed} lists '{entry}', which does not belong in it"
    wanted = min(FEED_ENTRIES, len(members))
    if len(set(entries)) != len(entries) or len(entries) != wanted:
        yield members[0], f"feed {feed} has {len(entries)} entries; it should have {wanted}"
    oldest = min((entry_date(e.statement, history) or EPOCH for e in listed), default=None)
    shown = {e.statement.id for e in listed}
    for expected in (e for e in members if e.statement.id not in shown):
        date = entry_date(expected.statement, history) or EPOCH
        if len(members) <= FEED_ENTRIES:
            yield expected, f"statement is missing from the feed {feed}"
        elif oldest is None or date > oldest:
            yield (
                expected,
                f"statement is missing from the feed {feed}, though newer ({date:%Y-%m-%d})"
                f" than entries it holds",
            )


def add_parser(subparsers: Any) -> None:
    audit = subparsers.add_parser(
        "audit", help="check that every statement and section reached the built site"
    )
    audit.add_argument("--site-dir", type=Path, help="the built site (default: site/)")


def run(root: Path, args: argparse.Namespace) -> int:
    return audit(root, (args.site_dir or root / "site").resolve())


def audit(root: Path, site_folder: Path) -> int:
    """`python -m scripts audit`: every problem, one per line, then a count (on stderr, as
    `check` does), or one line saying what was audited; 1 if anything is missing."""
    if not (site_folder / "index.html").is_file():
        print(f"No built site in {site_folder}: run `make build` first.", file=sys.stderr)
        return 1
    result = audit_site(root, site_folder)
    if isinstance(result, list):
        lines = [str(p) for p in result]
        lines.append("data/ does not validate (make check): fix it, build, then audit.")
        print("\n".join(lines), file=sys.stderr)
        return 1
    if result.problems:
        lines = [str(p) for p in result.problems]
        print("\n".join([*lines, result.summary()]), file=sys.stderr)
        return 1
    print(result.summary())
    return 0
