"""Nothing lost: `python -m scripts audit` (scripts/commands/audit.py) walks a built site against
data/.

It passes on the real data, on a synthetic archive of hundreds of statements (hubs split by year,
feeds over their 50 entries) and on the fixture archive built with every hub and the timeline
split into pages; and it reports, at the right line of the right file, each thing taken out of a
built site: a page, an anchor, a hub's link to a section, a row of a download, a search fragment,
a feed entry.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.archive import FIXTURE, REPO, copy_archive, read_statements

from scripts.commands import main
from scripts.commands.audit import FRAGMENT_SIGNATURE, read_feed
from scripts.dev.synthetic import write_synthetic_archive
from scripts.load import DataPath, load_file
from scripts.render import paging
from scripts.render.feeds import FEED_ENTRIES, tag_uri

pytestmark = pytest.mark.slow  # every test here builds a site, or uses one built

SYNTHETIC_STATEMENTS = 300
NI = "2026-03-12-fictional-norway-iceland-statement"
NI_FILE = f"data/statements/2026/{NI}.yml"
CN = "2026-04-fictional-chinese-statement"
CN_FILE = f"data/statements/2026/{CN}.yml"


def audit(root: Path, site: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--root", str(root), "audit", "--site-dir", str(site)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def at(root: Path, file: str, path: DataPath, message: str) -> str:
    """A problem line at the place of `path` in `file`, as the loader places it."""
    place = load_file(root / file).place(path)
    return f"{file}:{place.line}:{place.col}: {message}"


def missing(lines: list[str]) -> str:
    """The audit's stderr for these problems (in its order: by file, line and column)."""
    files = len({line.split(":", 1)[0] for line in lines})
    count = len(lines)
    return (
        "\n".join(
            [
                *sorted(lines, key=_place_order),
                f"{count} thing{'s' if count != 1 else ''} missing from the site, in {files}"
                f" file{'s' if files != 1 else ''}",
            ]
        )
        + "\n"
    )


def _place_order(line: str) -> tuple[str, int, int, str]:
    file, line_number, col, message = line.split(":", 3)
    return file, int(line_number), int(col), message


def sections_of(root: Path) -> int:
    return sum(len(s["sections"]) for s in read_statements(root))


# --- archives that lose nothing ------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic archive of SYNTHETIC_STATEMENTS statements, built once (~20 s)."""
    root = tmp_path_factory.mktemp("synthetic")
    write_synthetic_archive(REPO, root, SYNTHETIC_STATEMENTS)
    assert main(["--root", str(root), "build"]) == 0
    return root


def test_the_synthetic_archive_crosses_page_splits_and_feed_limits(synthetic: Path) -> None:
    """Guards the synthetic archive: the audit must meet split hubs and full feeds there."""
    split = [p.parent.name for p in (synthetic / "site/countries/cn").glob("*/index.html")]
    assert len(split) > 10, "the busiest country hub is no longer split by year"
    assert len(read_feed(synthetic / "site/feed.xml") or []) == FEED_ENTRIES
    full = [
        feed
        for feed in (synthetic / "site/countries").glob("*/feed.xml")
        if len(read_feed(feed) or []) == FEED_ENTRIES
    ]
    assert full, "no country feed is full: the 'newest 50' rule is not exercised"


def test_nothing_is_lost_in_a_synthetic_archive_of_hundreds_of_statements(
    synthetic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = audit(synthetic, synthetic / "site", capsys)
    assert (status, err) == (0, "")
    assert out.startswith(
        f"Nothing lost: {SYNTHETIC_STATEMENTS} statements and {sections_of(synthetic):,} sections"
        " reach their pages, "
    )


def test_a_statement_left_out_of_a_full_feed_is_found(
    synthetic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The site-wide feed holds the 50 newest: dropping the newest is a loss, and the audit
    names that statement (the entries after the 50th are rightly absent)."""
    feed = synthetic / "site/feed.xml"
    original = feed.read_bytes()
    text = original.decode("utf-8")
    first = text.index("<entry>")
    end = text.index("</entry>", first) + len("</entry>")
    newest = re.search(r"<id>tag:[^<]*:statements/([^<]+)</id>", text[first:end])
    updated = re.search(r"<updated>(\d{4}-\d{2}-\d{2})", text[first:end])
    assert newest and updated
    by_id = {s["id"]: s for s in read_statements(synthetic)}
    file = f"data/statements/{by_id[newest[1]]['date'][:4]}/{newest[1]}.yml"
    first_file = sorted(f"data/statements/{s['date'][:4]}/{s['id']}.yml" for s in by_id.values())[0]
    try:
        feed.write_text(text[:first] + text[end:], encoding="utf-8")
        status, out, err = audit(synthetic, synthetic / "site", capsys)
    finally:
        feed.write_bytes(original)
    assert (status, out) == (1, "")
    assert err == missing(
        sorted(
            [
                at(
                    synthetic,
                    file,
                    ("id",),
                    f"statement is missing from the feed feed.xml, though newer ({updated[1]})"
                    " than entries it holds",
                ),
                at(
                    synthetic,
                    first_file,
                    ("id",),
                    f"feed feed.xml has {FEED_ENTRIES - 1} entries; it should have {FEED_ENTRIES}",
                ),
            ]
        )
    )


def test_nothing_is_lost_from_the_real_data(
    real_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = real_root
    count = len(read_statements(REPO))
    status, out, err = audit(root, root / "site", capsys)
    assert (status, err) == (0, "")
    assert out.startswith(
        f"Nothing lost: {count} statement{'s' if count != 1 else ''} and"
        f" {sections_of(REPO):,} sections reach their pages, "
    )


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive built with pages of one section or statement: every hub with more
    is split by year, and busy years into numbered pages; the timeline and the list of compare
    pages too."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("split") / "archive")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "HUB_PAGE_SECTIONS", 1)
        patch.setattr(paging, "HUB_PAGE_STATEMENTS", 1)
        patch.setattr(paging, "TIMELINE_PAGE_STATEMENTS", 1)
        patch.setattr(paging, "COMPARE_PAGE_PAIRS", 1)
        assert main(["--root", str(root), "build"]) == 0
    return root


def test_the_split_build_has_year_and_numbered_pages(split: Path) -> None:
    assert (split / "site/countries/no/2026/2/index.html").is_file()
    assert (split / "site/timeline/2026/2/index.html").is_file()
    assert (split / "site/compare/2026/2/index.html").is_file()


def test_nothing_is_lost_through_year_and_numbered_pages(
    split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = audit(split, split / "site", capsys)
    assert (status, err) == (0, "")
    assert out.startswith(f"Nothing lost: 7 statements and {sections_of(split)} sections reach")


# --- what the audit finds ----------------------------------------------------------------------


@pytest.fixture
def site(split: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the split build, to take things out of."""
    copy = tmp_path / "site"
    shutil.copytree(split / "site", copy)
    yield copy


def edit(file: Path, old: str, new: str, count: int | None = None) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, (file, old)
    if count is not None:
        assert text.count(old) == count, (file, old)
    file.write_text(text.replace(old, new), encoding="utf-8")


def pages_of(site: Path, hub: str) -> list[Path]:
    return sorted((site / hub).rglob("index.html"))


def test_a_missing_statement_page(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / f"statements/{NI}/index.html").unlink()
    assert audit(split, site, capsys) == (
        1,
        "",
        missing(
            [at(split, NI_FILE, ("id",), f"statement has no page: statements/{NI}/ is missing")]
        ),
    )


def test_a_missing_section_anchor(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The built pages are minified (scripts/builder/shrink.py): attribute values unquoted.
    edit(site / f"statements/{NI}/index.html", " id=afghanistan>", " id=gone>", count=1)
    assert audit(split, site, capsys) == (
        1,
        "",
        missing(
            [
                at(
                    split,
                    NI_FILE,
                    ("sections", 1, "id"),
                    f"section 'afghanistan' has no anchor on statements/{NI}/ (#afghanistan)",
                )
            ]
        ),
    )


def test_a_section_missing_from_every_page_of_a_split_hub(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = pages_of(site, "countries/no")
    assert len(hub) > 2
    for page in hub:
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f"{CN}/#shipping", f"{CN}/#elsewhere"), encoding="utf-8")
    assert audit(split, site, capsys) == (
        1,
        "",
        missing(
            [
                at(
                    split,
                    CN_FILE,
                    ("sections", 0, "countries", 0),
                    f"section 'shipping' is not linked from the hub countries/no/ ({len(hub)}"
                    " pages)",
                )
            ]
        ),
    )


def test_a_statement_missing_from_a_hub_and_the_hub_index(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(site / "countries/index.html", "href=af/>", "href=./>", count=1)
    for page in pages_of(site, "countries/af"):
        edit(page, f"statements/{NI}/", "statements/")
    expected = [
        at(split, NI_FILE, ("sections", 1, "countries", 0), message)
        for message in (
            "countries/ does not link the hub countries/af/",
            "section 'afghanistan' is not linked from the hub countries/af/ (1 page)",
            "statement is not listed on the hub countries/af/ (1 page)",
        )
    ]
    assert audit(split, site, capsys) == (1, "", missing(expected))


def test_a_broader_topic_hub_must_gather_its_narrower_topics(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`security` is named by no statement: a section tagged with regional-security, one of its
    narrower topics, must be linked from its hub all the same, and is reported at that tag."""
    hub = pages_of(site, "topics/security")
    assert hub
    for page in hub:
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f"{CN}/#shipping", f"{CN}/#elsewhere"), encoding="utf-8")
    pages = f"{len(hub)} page{'s' if len(hub) != 1 else ''}"
    expected = [
        at(
            split,
            CN_FILE,
            ("sections", 0, "topics", 1),
            f"section 'shipping' is not linked from the hub topics/security/ ({pages})",
        )
    ]
    assert audit(split, site, capsys) == (1, "", missing(expected))


ROUND_1 = "2025-05-14-fictional-harbour-consultations-round-1"
ROUND_1_FILE = f"data/statements/2025/{ROUND_1}.yml"
ROUND_2 = "2025-11-20-fictional-harbour-consultations-round-2"
ROUND_2_FILE = f"data/statements/2025/{ROUND_2}.yml"


def strike(pages: list[Path], old: str, new: str) -> None:
    """Replace `old` on every page that has it (one page at least)."""
    found = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found += old in text
        page.write_text(text.replace(old, new), encoding="utf-8")
    assert found, old


def test_a_section_reaches_the_hubs_of_its_statement_and_of_its_excerpts(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Statement-level tags and the issuing forum are carried to every section; an excerpt's
    tags add to its section's: each of those hubs must link down to the section."""
    forum = pages_of(site, "forums/fictional-harbour-format")
    # Round 1's briefing has no tags of its own: its issuing forum brings it there.
    strike(forum, f"{ROUND_1}/#briefing", f"{ROUND_1}/#elsewhere")
    actor = pages_of(site, "actors/fictional-tide-front")
    # Named on one excerpt of round 2's lighthouses section only.
    strike(actor, f"{ROUND_2}/#lighthouses", f"{ROUND_2}/#elsewhere")
    forum_pages = f"{len(forum)} page{'s' if len(forum) != 1 else ''}"
    actor_pages = f"{len(actor)} page{'s' if len(actor) != 1 else ''}"
    expected = [
        at(
            split,
            ROUND_1_FILE,
            ("issuing_forum",),
            "section 'briefing' is not linked from the hub forums/fictional-harbour-format/"
            f" ({forum_pages})",
        ),
        at(
            split,
            ROUND_2_FILE,
            ("sections", 1, "excerpts", 0, "actors", 0),
            f"section 'lighthouses' is not linked from the hub actors/fictional-tide-front/"
            f" ({actor_pages})",
        ),
    ]
    assert audit(split, site, capsys) == (1, "", missing(expected))


def test_a_participant_hub_must_list_what_it_took_part_in(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Estonia only took part (as a guest): its hub lists the rounds all the same."""
    hub = pages_of(site, "countries/ee")
    strike(hub, f"statements/{ROUND_1}/", "statements/")
    pages = f"{len(hub)} page{'s' if len(hub) != 1 else ''}"
    expected = [
        at(
            split,
            ROUND_1_FILE,
            ("participants", 1, "country"),
            f"statement is not listed on the hub countries/ee/ ({pages})",
        )
    ]
    assert audit(split, site, capsys) == (1, "", missing(expected))


def test_a_statement_missing_from_its_series_page(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(site / "series/fictional-harbour-consultations/index.html", f"{ROUND_2}/", "x/")
    edit(site / "series/index.html", "href=fictional-harbour-consultations/>", "href=./>")
    (site / "series/fictional-harbour-consultations/feed.xml").unlink()
    expected = [
        at(
            split,
            ROUND_1_FILE,
            ("series",),
            "series/ does not link the series series/fictional-harbour-consultations/",
        ),
        at(
            split,
            ROUND_2_FILE,
            ("series",),
            "statement is not listed on the series page series/fictional-harbour-consultations/",
        ),
        at(
            split,
            ROUND_1_FILE,
            ("series",),
            "feed series/fictional-harbour-consultations/feed.xml is missing",
        ),
    ]
    assert audit(split, site, capsys) == (1, "", missing(expected))


def test_a_statement_missing_from_the_timeline(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    timeline = pages_of(site, "timeline")
    for page in timeline:
        page.write_text(
            page.read_text(encoding="utf-8").replace(f"statements/{CN}/", "statements/"),
            encoding="utf-8",
        )
    message = f"statement is not on the timeline (timeline/, {len(timeline)} pages)"
    assert audit(split, site, capsys) == (1, "", missing([at(split, CN_FILE, ("id",), message)]))


def fragment_files(bundle: Path) -> dict[str, Path]:
    """Site path of each indexed page → its fragment file."""
    found = {}
    for file in (bundle / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(file.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        found[data["url"].lstrip("/")] = file
    return found


def test_a_statement_and_a_section_missing_from_the_search_index(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The Chinese statement has no words in English: its one record outside its language's
    # bundle is in the editorial bundle.
    fragment_files(site / "pagefind/editorial")[f"statements/{CN}/"].unlink()
    file = fragment_files(site / "pagefind")[f"statements/{NI}/"]
    data = json.loads(gzip.decompress(file.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
    data["anchors"] = [a for a in data["anchors"] if a.get("id") != "afghanistan"]
    file.write_bytes(gzip.compress(FRAGMENT_SIGNATURE + json.dumps(data).encode("utf-8")))
    (zh,) = fragment_files(site / "pagefind/languages/zh").values()
    zh.unlink()
    assert audit(split, site, capsys) == (
        1,
        "",
        missing(
            [
                at(
                    split,
                    CN_FILE,
                    ("id",),
                    "its text in 'zh' is not in the search index (pagefind/languages/zh/)",
                ),
                at(
                    split,
                    CN_FILE,
                    ("id",),
                    "statement is not in the search index (pagefind/editorial/)",
                ),
                at(
                    split,
                    NI_FILE,
                    ("sections", 1, "id"),
                    "section 'afghanistan' is not in the search index (pagefind/): no anchor"
                    f" #afghanistan in the fragment of statements/{NI}/",
                ),
            ]
        ),
    )


def test_rows_and_records_missing_from_the_downloads(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = site / "data"
    assert not (data / "statements.json").exists() and not (data / "sections.csv").exists()
    document = json.loads(gzip.decompress((data / "statements.json.gz").read_bytes()))
    document["statements"] = [s for s in document["statements"] if s["id"] != CN]
    (data / "statements.json.gz").write_bytes(gzip.compress(json.dumps(document).encode()))
    for name, row in (("statements.csv", f"{NI},"), ("sections.csv.gz", f"{NI},afghanistan,")):
        packed = name.endswith(".gz")
        text = (data / name).read_bytes()
        lines = (gzip.decompress(text) if packed else text).decode().splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(row)]
        assert len(kept) == len(lines) - 1
        left = "".join(kept).encode()
        (data / name).write_bytes(gzip.compress(left) if packed else left)
    assert audit(split, site, capsys) == (
        1,
        "",
        missing(
            [
                at(split, CN_FILE, ("id",), "statement is not in data/statements.json.gz"),
                at(split, NI_FILE, ("id",), "statement has no row in data/statements.csv"),
                at(
                    split,
                    NI_FILE,
                    ("sections", 1, "id"),
                    "section 'afghanistan' has no row in data/sections.csv.gz",
                ),
            ]
        ),
    )


def test_feed_entries_missing_or_foreign(
    split: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(site / "countries/af/feed.xml", site / "countries/cn/feed.xml")
    entries = read_feed(site / "countries/no/feed.xml") or []
    assert entries
    (site / "countries/xk/feed.xml").unlink()
    edit(site / "countries/no/feed.xml", f"statements/{CN}<", "statements/x<", count=1)
    foreign = tag_uri(f"statements/{NI}")
    assert audit(split, site, capsys) == (
        1,
        "",
        missing(
            sorted(
                [
                    at(
                        split,
                        CN_FILE,
                        ("parties", 0),
                        f"feed countries/cn/feed.xml lists '{foreign}', which does not belong"
                        " in it",
                    ),
                    at(
                        split,
                        CN_FILE,
                        ("parties", 0),
                        "statement is missing from the feed countries/cn/feed.xml",
                    ),
                    at(
                        split,
                        CN_FILE,
                        ("sections", 0, "countries", 0),
                        "statement is missing from the feed countries/no/feed.xml",
                    ),
                    at(  # a feed's own problems stand where its hub is first named: here
                        split,  # as the host of a round (a hub's feed follows participation)
                        "data/statements/2025/2025-05-14-fictional-harbour-consultations-round-1.yml",
                        ("participants", 0, "country"),
                        f"feed countries/no/feed.xml lists '{tag_uri('statements/x')}', which"
                        " does not belong in it",
                    ),
                    at(
                        split,
                        NI_FILE,
                        ("sections", 2, "countries", 0),
                        "feed countries/xk/feed.xml is missing",
                    ),
                ]
            )
        ),
    )


def test_audit_needs_a_built_site_and_valid_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_archive(FIXTURE, tmp_path / "archive")
    assert audit(root, root / "site", capsys) == (
        1,
        "",
        f"No built site in {root / 'site'}: run `make build` first.\n",
    )
    (root / "site").mkdir()
    (root / "site/index.html").write_text("a site", encoding="utf-8")
    edit(root / NI_FILE, "kind: joint-statement", "kind: joint-statment")
    assert audit(root, root / "site", capsys) == (
        1,
        "",
        f"{NI_FILE}:7:7: unknown kind 'joint-statment' (did you mean 'joint-statement'?)\n"
        "data/ does not validate (make check): fix it, build, then audit.\n",
    )
