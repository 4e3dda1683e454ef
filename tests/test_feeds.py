"""Atom feeds: read back as a feed reader reads them (feedparser) and as XML (the Atom
namespace), checked against the fixture archive's YAML read independently of the code under test.
The built site's copies are checked in test_exports.py, with the rest of the build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from support.archive import FIXTURE, REPO, copy_archive, git, prepared, read_statements

from scripts.history import FileDates, file_history, parse_log
from scripts.index import build_index
from scripts.model import PartialDate, Source, Statement
from scripts.pipeline import Archive, generate, site_config
from scripts.render.feeds import FEED_ENTRIES, render_feed, render_feeds
from scripts.render.jobs import iter_site, render_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://example.org/fictional/site/"
"""[tool.archive] site_url of the fixture archive."""
TAG = "tag:statement-archive.github.io,2026:"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


HISTORY = {
    "data/statements/undated/fictional-undated-iran-letter.yml": FileDates(
        utc("2026-06-01T09:30:00"), utc("2026-07-02T10:00:00")
    ),
    "data/statements/2026/2026-03-12-fictional-norway-iceland-statement.yml": FileDates(
        utc("2026-03-20T08:00:00"), utc("2026-08-15T12:00:00")
    ),
    "data/statements/2025/2025-fictional-arctic-dialogue-declaration.yml": FileDates(
        utc("2024-12-01T00:00:00"), utc("2024-12-02T00:00:00")
    ),
}
"""Git dates for the fixture (scripts/history.py gives them from a checkout; the fixture is none):
the undated letter was added on 1 June 2026 and corrected on 2 July; the Norwegian-Icelandic
statement was corrected on 15 August; the declaration's last commit is older than its date; the
Chinese statement has no history (not committed yet)."""
NEWEST_FIRST = [
    ("fictional-undated-iran-letter", "2026-06-01T09:30:00+00:00", "2026-07-02T10:00:00+00:00"),
    ("2026-04-fictional-chinese-statement", "2026-04-01T00:00:00+00:00", None),
    (
        "2026-03-12-fictional-norway-iceland-statement",
        "2026-03-12T00:00:00+00:00",
        "2026-08-15T12:00:00+00:00",
    ),
    ("2026-02-fictional-harbour-consultations-round-3", "2026-02-01T00:00:00+00:00", None),
    ("2025-11-20-fictional-harbour-consultations-round-2", "2025-11-20T00:00:00+00:00", None),
    ("2025-05-14-fictional-harbour-consultations-round-1", "2025-05-14T00:00:00+00:00", None),
    ("2025-fictional-arctic-dialogue-declaration", "2025-01-01T00:00:00+00:00", None),
]
"""The fixture's statements as the site-wide feed orders them, with `published` and `updated`
(None: the same as published): a month or a year is dated to its first day; the undated letter,
whose source gives no date, to the day it was added; a correction is the entry's update, but
an update never comes before the statement's own date."""


@pytest.fixture(scope="module")
def feeds(archive: Archive) -> dict[str, str]:
    return render_feeds(archive.index, archive.vocabularies, site_config(FIXTURE), HISTORY)


@pytest.fixture(scope="module")
def statements() -> list[dict[str, Any]]:
    return read_statements(FIXTURE)


PARTICIPANT_HUBS = (("country", "countries"), ("forum", "forums"), ("actor", "actors"))


def broader_topics() -> dict[str, list[str]]:
    """Topic id → its broader topics up the tree, read from the fixture's topics.yml."""
    parents = {
        t["id"]: t.get("parent")
        for t in yaml.safe_load((FIXTURE / "data" / "topics.yml").read_text(encoding="utf-8"))
    }
    found: dict[str, list[str]] = {}
    for topic in parents:
        chain, parent = [], parents[topic]
        while parent:
            chain.append(parent)
            parent = parents.get(parent)
        found[topic] = chain
    return found


def expected_feeds(statements: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Feed path → ids of the statements it must hold: the site-wide feed every statement; a
    hub's feed every statement issued by it or tagged with it, at the top, in a section or on an
    excerpt (a broader topic's: those of its narrower topics too); a series' feed every
    statement of the series."""
    expected: dict[str, set[str]] = {"feed.xml": {s["id"] for s in statements}}
    broader = broader_topics()
    for s in statements:
        hubs = {f"countries/{code.lower()}/" for code in s.get("parties", [])}
        if "issuing_forum" in s:
            hubs.add(f"forums/{s['issuing_forum']}/")
        excerpts = [e for section in s["sections"] for e in section.get("excerpts", [])]
        for part in [s, *s["sections"], *excerpts]:
            for field in ("countries", "forums", "topics", "actors"):
                hubs |= {f"{field}/{tag.lower()}/" for tag in part.get(field, [])}
            for topic in part.get("topics", []):
                hubs |= {f"topics/{wider}/" for wider in broader.get(topic, [])}
        if "series" in s:
            hubs.add(f"series/{s['series']}/")
        for participant in s.get("participants", []):  # a hub's feed: it took part in these too
            hubs |= {
                f"{folder}/{participant[field].lower()}/"
                for field, folder in PARTICIPANT_HUBS
                if field in participant
            }
        for hub in hubs:
            expected.setdefault(f"{hub}feed.xml", set()).add(s["id"])
    return expected


def entry_ids(feed: str) -> list[str]:
    return [e.id for e in feedparser.parse(feed).entries]


def statement_id(entry_id: str) -> str:
    assert entry_id.startswith(f"{TAG}statements/"), entry_id
    return entry_id.removeprefix(f"{TAG}statements/")


# --- what each feed holds -------------------------------------------------------------------------


def test_every_statement_reaches_every_feed_it_belongs_to(
    feeds: dict[str, str], statements: list[dict[str, Any]]
) -> None:
    expected = expected_feeds(statements)
    assert sorted(feeds) == sorted(expected)
    for path, ids in expected.items():
        assert sorted(statement_id(e) for e in entry_ids(feeds[path])) == sorted(ids), path


def test_render_site_includes_the_feeds(archive: Archive, feeds: dict[str, str]) -> None:
    pages = dict(
        iter_site(archive.index, archive.vocabularies, site_config(FIXTURE), history=HISTORY)
    )
    assert {path: pages[path] for path in feeds} == feeds
    assert {"feed.xml", "countries/af/feed.xml", "forums/sco/feed.xml"} <= set(feeds)
    assert "topics/counter-terrorism/feed.xml" in feeds


def test_site_feed_is_newest_first_with_dates_by_the_documented_rule(
    feeds: dict[str, str],
) -> None:
    parsed = feedparser.parse(feeds["feed.xml"])
    assert [(statement_id(e.id), e.published, e.updated) for e in parsed.entries] == [
        (id_, published, updated or published) for id_, published, updated in NEWEST_FIRST
    ]
    assert parsed.feed.updated == "2026-08-15T12:00:00+00:00"  # the latest correction


def test_hub_feed_updated_is_its_latest_entry_update(feeds: dict[str, str]) -> None:
    for path, feed in feeds.items():
        parsed = feedparser.parse(feed)
        published = [e.published_parsed for e in parsed.entries]
        assert published == sorted(published, reverse=True), path
        assert parsed.feed.updated_parsed == max(e.updated_parsed for e in parsed.entries), path
        assert all(e.updated_parsed >= e.published_parsed for e in parsed.entries), path


# --- valid Atom -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["feed.xml", "countries/af/feed.xml", "forums/sco/feed.xml"])
def test_feed_is_valid_atom(feeds: dict[str, str], path: str) -> None:
    parsed = feedparser.parse(feeds[path])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    hub = path.removesuffix("feed.xml")
    links = {(link.rel, link.href) for link in parsed.feed.links}
    assert ("self", f"{SITE_URL}{path}") in links
    assert ("alternate", f"{SITE_URL}{hub}") in links
    assert parsed.feed.title and parsed.feed.author
    assert parsed.feed.id == TAG + ("feed" if not hub else f"feed/{hub.rstrip('/')}")
    for entry in parsed.entries:
        assert entry.title and entry.summary and entry.updated
        assert entry.link == f"{SITE_URL}statements/{statement_id(entry.id)}/"
        assert {(link.rel, link.href) for link in entry.links} == {("alternate", entry.link)}


def test_every_feed_has_the_required_atom_elements(feeds: dict[str, str]) -> None:
    """RFC 4287 §4.1: read with the XML parser, not through feedparser's forgiving model."""
    for path, feed in feeds.items():
        root = ET.fromstring(feed.encode("utf-8"))
        assert root.tag == f"{ATOM}feed", path
        for name in ("id", "title", "updated", "author/{ns}name"):
            assert root.find(f"{ATOM}{name.format(ns=ATOM)}") is not None, (path, name)
        rels = {link.get("rel") for link in root.findall(f"{ATOM}link")}
        assert {"self", "alternate"} <= rels, path
        for entry in root.findall(f"{ATOM}entry"):
            for name in ("id", "title", "published", "updated", "link", "summary"):
                assert entry.find(f"{ATOM}{name}") is not None, (path, name)
            assert entry.find(f"{ATOM}summary").get("type") == "html"  # type: ignore[union-attr]


def test_entries_carry_the_summary_and_the_statement_tags(
    feeds: dict[str, str], statements: list[dict[str, Any]]
) -> None:
    entries = {statement_id(e.id): e for e in feedparser.parse(feeds["feed.xml"]).entries}
    for s in statements:
        entry = entries[s["id"]]
        assert entry.title == s["title"]
        terms = {t.term for t in entry.tags}
        for part in [s, *s["sections"]]:
            assert {*part.get("countries", []), *part.get("forums", [])} <= terms
            assert set(part.get("topics", [])) <= terms
    norway = entries["2026-03-12-fictional-norway-iceland-statement"]
    assert "12 March 2026 · Joint statement · Norway, Iceland" in norway.summary
    assert "<strong>invented</strong>" in norway.summary


def test_entries_carry_actors_as_categories_in_the_actors_scheme(feeds: dict[str, str]) -> None:
    """An actor named on the statement, a section or only an excerpt is a category of the entry,
    under its hub folder (actors/) with its display name; a participant is not."""
    entries = {statement_id(e.id): e for e in feedparser.parse(feeds["feed.xml"]).entries}
    round_2 = entries["2025-11-20-fictional-harbour-consultations-round-2"]
    actors = {(t.term, t.label) for t in round_2.tags if t.scheme == f"{SITE_URL}actors/"}
    assert actors == {
        ("fictional-harbour-authority", "Provisional Harbour Authority (fictional)"),
        ("fictional-tide-front", "Tide Front (fictional)"),  # on one excerpt only
    }
    round_3 = entries["2026-02-fictional-harbour-consultations-round-3"]
    terms = {t.term for t in round_3.tags}
    assert "fictional-coastal-compact" in terms
    assert "fictional-harbour-authority" not in terms  # only a guest there
    assert "EE" not in {t.term for t in round_2.tags}  # a guest country neither


def test_an_actor_hub_has_its_feed(feeds: dict[str, str]) -> None:
    feed = feedparser.parse(feeds["actors/fictional-tide-front/feed.xml"])
    assert feed.feed.id == "tag:statement-archive.github.io,2026:feed/actors/fictional-tide-front"
    assert feed.feed.title == "Tide Front (fictional) — Statement Archive"
    assert feed.feed.link == f"{SITE_URL}actors/fictional-tide-front/"
    (entry,) = feed.entries
    section = (
        f"{SITE_URL}statements/2025-11-20-fictional-harbour-consultations-round-2/#lighthouses"
    )
    assert f'Sections on Tide Front (fictional): <a href="{section}">The lighthouses</a>' in (
        entry.summary
    )


def test_hub_feed_links_down_to_the_sections_on_its_subject(feeds: dict[str, str]) -> None:
    (entry,) = feedparser.parse(feeds["countries/af/feed.xml"]).entries
    section = f"{SITE_URL}statements/2026-03-12-fictional-norway-iceland-statement/#afghanistan"
    assert f'Sections on Afghanistan: <a href="{section}">Afghanistan</a>' in entry.summary


# --- stable and deterministic ---------------------------------------------------------------------


def test_ids_do_not_depend_on_where_the_site_is(archive: Archive, feeds: dict[str, str]) -> None:
    moved = dataclasses.replace(site_config(FIXTURE), site_url="https://elsewhere.example/x/")
    again = render_feeds(archive.index, archive.vocabularies, moved, HISTORY)
    assert sorted(again) == sorted(feeds)
    for path, feed in feeds.items():
        parsed, moved_feed = feedparser.parse(feed), feedparser.parse(again[path])
        assert moved_feed.feed.id == parsed.feed.id
        assert entry_ids(again[path]) == entry_ids(feed)
        assert "https://elsewhere.example/x/" in moved_feed.feed.link
    assert {statement_id(e) for e in entry_ids(feeds["feed.xml"])} == {
        s.id for s in archive.statements
    }


def test_two_renders_are_byte_identical(archive: Archive, feeds: dict[str, str]) -> None:
    again = render_feeds(
        build_index(list(reversed(archive.statements)), archive.vocabularies),
        archive.vocabularies,
        site_config(FIXTURE),
        dict(reversed(HISTORY.items())),
    )
    assert again == feeds


def test_no_build_time_in_the_feeds(feeds: dict[str, str]) -> None:
    dates = {d for _, published, updated in NEWEST_FIRST for d in (published, updated) if d}
    for path, feed in feeds.items():
        root = ET.fromstring(feed.encode("utf-8"))
        stamps = {e.text for name in ("updated", "published") for e in root.iter(f"{ATOM}{name}")}
        assert stamps <= dates, path


# --- the rules, on statements made for them -------------------------------------------------------


def test_feed_holds_the_newest_statements_only(archive: Archive) -> None:
    base = archive.statements[0]
    many = [
        dataclasses.replace(base, id=f"s{n:03d}", date=PartialDate(1900 + n, 1, 1))
        for n in range(FEED_ENTRIES + 10)
    ]
    parsed = feedparser.parse(render_feed(many, archive.vocabularies, site_config(FIXTURE)))
    assert len(parsed.entries) == FEED_ENTRIES
    assert statement_id(parsed.entries[0].id) == f"s{FEED_ENTRIES + 9:03d}"
    assert statement_id(parsed.entries[-1].id) == "s010"


def test_undated_statement_takes_its_latest_source_date(archive: Archive) -> None:
    base = next(s for s in archive.statements if s.date is None)
    sources = (
        Source("a", "A", "https://example.org/a", None, PartialDate(2024, 6), None),
        Source("b", "B", "https://example.org/b", None, PartialDate(2023, 1, 5), None),
    )
    undated = dataclasses.replace(base, sources=sources)
    dated = dataclasses.replace(base, id="dated", date=PartialDate(2024, 5, 31))
    parsed = feedparser.parse(
        render_feed([dated, undated], archive.vocabularies, site_config(FIXTURE))
    )
    assert [(statement_id(e.id), e.updated) for e in parsed.entries] == [
        (base.id, "2024-06-01T00:00:00+00:00"),
        ("dated", "2024-05-31T00:00:00+00:00"),
    ]
    assert "Undated · Letter · Iran" in parsed.entries[0].summary


@pytest.mark.parametrize(
    "summary",
    [
        "<script>alert(1)</script> text",
        '<img src=x onerror="alert(1)"> text',
        "[a link](javascript:alert(1)) text",
        '<a href="https://example.org" onclick="alert(1)">x</a> text',
    ],
)
def test_summary_is_sanitised_html(archive: Archive, summary: str) -> None:
    """Validation refuses raw HTML first; the feed still never carries contributor markup."""
    statement: Statement = dataclasses.replace(archive.statements[0], summary=summary)
    feed = render_feed([statement], archive.vocabularies, site_config(FIXTURE))
    root = ET.fromstring(feed.encode("utf-8"))
    html = root.find(f"{ATOM}entry/{ATOM}summary").text or ""  # type: ignore[union-attr]
    assert "text" in html
    for bad in ("<script", "<img", "onerror", "onclick", "javascript:"):
        assert bad not in html.lower(), html


def test_titles_are_text_not_markup(archive: Archive) -> None:
    statement = dataclasses.replace(archive.statements[0], title="A <b>bold</b> & title")
    feed = render_feed([statement], archive.vocabularies, site_config(FIXTURE))
    assert feedparser.parse(feed).entries[0].title == "A <b>bold</b> & title"
    assert "<b>" not in feed


# --- configuration --------------------------------------------------------------------------------


def test_site_url_matches_mkdocs() -> None:
    """Feeds and data files link to [tool.archive] site_url; MkDocs serves the site at its own
    site_url. The two must name the same place."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mkdocs = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["archive"]["site_url"] == mkdocs["site_url"]


# --- dates from the archive's git history ---------------------------------------------------------

LETTER = "fictional-undated-iran-letter"


def test_without_a_history_an_undated_statement_with_no_date_is_left_out(
    archive: Archive,
) -> None:
    """No made-up date (it was 1970-01-01): with nothing to date it by, it is in no feed."""
    plain = render_feeds(archive.index, archive.vocabularies, site_config(FIXTURE))
    assert plain == {
        path: feed
        for path, feed in render_site(
            archive.index, archive.vocabularies, site_config(FIXTURE)
        ).items()
        if path in plain
    }
    for path, feed in plain.items():
        assert LETTER not in {statement_id(e) for e in entry_ids(feed)}, path
        assert all(e.published_parsed.tm_year > 1970 for e in feedparser.parse(feed).entries)
    assert feedparser.parse(plain["countries/ir/feed.xml"]).entries == []  # its only statement
    newest = feedparser.parse(plain["feed.xml"]).entries[0]
    assert (newest.published, newest.updated) == (
        "2026-04-01T00:00:00+00:00",
        "2026-04-01T00:00:00+00:00",
    )


def test_an_undated_statement_is_dated_by_its_sources_before_its_history(
    archive: Archive,
) -> None:
    base = next(s for s in archive.statements if s.id == LETTER)
    sourced = dataclasses.replace(
        base,
        sources=(Source("a", "A", "https://example.org/a", None, PartialDate(2024, 6), None),),
    )
    (entry,) = feedparser.parse(
        render_feed([sourced], archive.vocabularies, site_config(FIXTURE), None, HISTORY)
    ).entries
    assert (entry.published, entry.updated) == (
        "2024-06-01T00:00:00+00:00",
        "2026-07-02T10:00:00+00:00",
    )


def test_a_correction_is_an_update_and_never_before_the_statement(archive: Archive) -> None:
    (norway, declaration) = (
        next(s for s in archive.statements if s.id == id_)
        for id_ in (
            "2026-03-12-fictional-norway-iceland-statement",
            "2025-fictional-arctic-dialogue-declaration",
        )
    )
    entries = feedparser.parse(
        render_feed(
            [norway, declaration], archive.vocabularies, site_config(FIXTURE), None, HISTORY
        )
    ).entries
    assert [(e.published, e.updated) for e in entries] == [
        ("2026-03-12T00:00:00+00:00", "2026-08-15T12:00:00+00:00"),
        ("2025-01-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00"),
    ]


def test_parse_log_follows_adds_edits_moves_and_deletions() -> None:
    day = 86400
    log = "\n".join(
        [
            f"commit {1 * day}",
            "",
            "A\tdata/statements/undated/a.yml",
            "A\tdata/statements/undated/b.yml",
            "A\tdata/statements/undated/gone.yml",
            f"commit {2 * day}",
            "",
            "M\tdata/statements/undated/a.yml",
            "D\tdata/statements/undated/gone.yml",
            f"commit {3 * day}",
            "",
            "R097\tdata/statements/undated/b.yml\tdata/statements/2026/b.yml",
            "C080\tdata/statements/undated/a.yml\tdata/statements/undated/copy.yml",
            "not a status line",
            f"commit {4 * day}",
            "A\tdata/statements/undated/gone.yml",
        ]
    )

    def at(days: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(days * day, dt.UTC)

    assert parse_log(log) == {
        "data/statements/undated/a.yml": FileDates(at(1), at(2)),
        "data/statements/2026/b.yml": FileDates(at(1), at(3)),  # moved, not added anew
        "data/statements/undated/copy.yml": FileDates(at(3), at(3)),
        "data/statements/undated/gone.yml": FileDates(at(4), at(4)),  # added again
    }
    assert parse_log("") == {}
    assert parse_log("M\tdata/statements/x.yml\ncommit soon\nA\tdata/statements/y.yml") == {}


def test_a_tree_that_is_not_a_git_checkout_has_no_history(tmp_path: Path) -> None:
    root = copy_archive(FIXTURE, tmp_path / "archive")
    assert file_history(root) == {}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_generate_dates_feed_entries_by_the_git_history(tmp_path: Path) -> None:
    """End to end through `generate`: the letter is dated by the commit that added it (on the
    main line: the merge of its branch, not the branch's own commit), and updated by the commit
    that corrected it; a clone elsewhere gives the same feeds, byte for byte."""
    root = copy_archive(FIXTURE, tmp_path / "archive")
    letter = root / "data/statements/undated" / f"{LETTER}.yml"
    text = letter.read_text(encoding="utf-8")
    letter.unlink()
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "archive", date="2026-01-01T00:00:00Z")
    git(root, "checkout", "--quiet", "-b", "letter")
    letter.write_text(text, encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "letter", date="2026-02-01T00:00:00Z")
    git(root, "checkout", "--quiet", "main")
    git(root, "merge", "--quiet", "--no-ff", "-m", "merge", "letter", date="2026-03-01T00:00:00Z")
    letter.write_text(text.replace("welcomes", "warmly welcomes"), encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "correction", date="2026-04-15T12:00:00Z")
    assert file_history(root)[f"data/statements/undated/{LETTER}.yml"] == FileDates(
        utc("2026-03-01T00:00:00"), utc("2026-04-15T12:00:00")
    )
    generate(root, prepared(root))
    entries = feedparser.parse((root / "docs/feed.xml").read_text(encoding="utf-8")).entries
    entry = next(e for e in entries if statement_id(e.id) == LETTER)
    assert (entry.published, entry.updated) == (
        "2026-03-01T00:00:00+00:00",
        "2026-04-15T12:00:00+00:00",
    )
    clone = tmp_path / "elsewhere" / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", str(root), str(clone)], capture_output=True, check=True
    )
    generate(clone, prepared(clone))
    for path in ("feed.xml", "countries/ir/feed.xml"):
        assert (clone / "docs" / path).read_bytes() == (root / "docs" / path).read_bytes()
