"""Compare pages (scripts/render/compare.py), the per-statement JSON (statement_api.py), and the
compare-any-two page in a real browser: it must find the words the Python redline finds.

The browser test needs what tests/test_browser.py needs (the system Chromium, the playwright
package) and `npm ci`'s diff-match-patch-es; without them it skips, or fails under
REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.archive import FIXTURE, REPO
from support.html import parse_html

from scripts.commands import main
from scripts.dev.screenshots import CHROMIUM, CHROMIUM_ARGS, serve, site_path
from scripts.dev.synthetic import write_synthetic_archive
from scripts.model import Relation, Statement
from scripts.pipeline import Archive, prepare, site_config
from scripts.render.compare import (
    LIBRARY_FILE,
    browser_files,
    compare_links,
    compare_pairs,
    compare_path,
    compare_url,
    page_specs,
    render_compare,
)
from scripts.render.context import PageContext
from scripts.render.paging import COMPARE_PAGE_PAIRS
from scripts.render.redline import align
from scripts.render.statement_api import render_statement_files, statement_json
from scripts.site import page_url

EN_PAIR = (
    "2024-09-20-fictional-norway-iceland-statement",
    "2026-03-12-fictional-norway-iceland-statement",
)
FOLLOWS_PAIR = (
    "2025-fictional-arctic-dialogue-declaration",
    "2026-03-12-fictional-norway-iceland-statement",
)
ZH_PAIR = ("2026-04-fictional-chinese-statement", "2026-06-fictional-chinese-statement")
HARBOUR_PAIRS = (
    (
        "2025-05-14-fictional-harbour-consultations-round-1",
        "2025-11-20-fictional-harbour-consultations-round-2",
    ),
    (
        "2025-11-20-fictional-harbour-consultations-round-2",
        "2026-02-fictional-harbour-consultations-round-3",
    ),
)
"""The fixture archive's own series: its three rounds, in round order, after the older series."""
REQUIRED = os.environ.get("REQUIRE_BROWSER", "") not in ("", "0")


def by_id(archive: Archive) -> dict[str, Statement]:
    return {s.id: s for s in archive.index.statements}


def page_for(archive: Archive, doc_path: str) -> PageContext:
    config = site_config(FIXTURE)
    return PageContext(archive.index, archive.vocabularies, config, page_url(doc_path))


# --- which pairs ------------------------------------------------------------------------------


def test_pairs_are_a_series_in_order_and_follows(compare_archive: Archive) -> None:
    pairs = [(o.id, n.id) for o, n in compare_pairs(compare_archive.index.statements)]
    assert pairs == [EN_PAIR, *HARBOUR_PAIRS, FOLLOWS_PAIR, ZH_PAIR]


def test_a_series_with_rounds_is_ordered_by_round(compare_archive: Archive) -> None:
    base = compare_archive.index.statements[0]

    def member(statement_id: str, number: int | None) -> Statement:
        return dataclasses.replace(
            base, id=statement_id, series="s", related=(), date=base.date, round=number
        )

    first, second, third = member("c", 1), member("a", 2), member("b", 3)
    assert [(o.id, n.id) for o, n in compare_pairs([third, first, second])] == [
        ("c", "a"),
        ("a", "b"),
    ]
    unrounded = member("d", None)
    pairs = compare_pairs([third, first, unrounded])  # not all rounds known: by date, then id
    assert [(o.id, n.id) for o, n in pairs] == [("b", "c"), ("c", "d")]


def test_supersedes_is_compared_older_first(compare_archive: Archive) -> None:
    old, new = compare_archive.index.statements[0], compare_archive.index.statements[1]
    older = dataclasses.replace(old, series=None, related=())
    newer = dataclasses.replace(new, series=None, related=(Relation(old.id, "supersedes"),))
    assert [(o.id, n.id) for o, n in compare_pairs([newer, older])] == [(old.id, new.id)]
    see_also = dataclasses.replace(newer, related=(Relation(old.id, "see-also"),))
    assert compare_pairs([see_also, older]) == []


def test_compare_links_name_the_previous_and_next_round(compare_archive: Archive) -> None:
    statements = by_id(compare_archive)
    pairs = compare_pairs(compare_archive.index.statements)
    links = compare_links(statements[EN_PAIR[1]], pairs)
    assert [(kind, other.id) for kind, other, _ in links] == [
        ("previous", EN_PAIR[0]),
        ("previous", FOLLOWS_PAIR[0]),
    ]
    assert links[0][2] == f"compare/{EN_PAIR[0]}/{EN_PAIR[1]}/"


# --- the page ---------------------------------------------------------------------------------


def rendered(archive: Archive, older: Statement, newer: Statement) -> str:
    return render_compare(older, newer, page_for(archive, compare_path(older, newer)))


def test_compare_page_shows_the_redline_side_by_side(compare_archive: Archive) -> None:
    statements = by_id(compare_archive)
    older, newer = statements[EN_PAIR[0]], statements[EN_PAIR[1]]
    html = rendered(compare_archive, older, newer)
    assert html.startswith("---\ntitle: ")
    page = parse_html(html, f"compare/{older.id}/{newer.id}/")
    pairs = [e for e in page.elements("section") if "sa-compare__pair" in e.classes()]
    assert [(p.attrs["data-older"], p.attrs["data-newer"]) for p in pairs] == [
        ("arctic", "arctic"),
        ("terrorism", "afghanistan"),
    ]
    arctic = pairs[0]
    assert [e.text() for e in arctic.iter() if e.tag == "del"] == ["every two years"]
    assert [e.text() for e in arctic.iter() if e.tag == "ins"] == ["closer", "each year"]
    legend = next(e for e in page.elements("p") if "sa-compare__legend" in e.classes())
    assert legend.text().startswith("Struck through: only in 2024 · Underlined: new in 2026.")
    summary = next(e for e in page.elements("ul") if "sa-compare__summary" in e.classes())
    assert [li.text() for li in summary.iter() if li.tag == "li"] == [
        "2 sections changed",
        "0 unchanged",
        "1 new",
        "1 dropped",
        "7 words added",
        "16 words dropped",
    ]
    assert page.find_id("compare--only-older--heading").text() == "Only in 2024"
    assert page.find_id("compare--only-newer--heading").text() == "New in 2026"
    targets = page.link_targets()
    assert f"statements/{older.id}/" in targets and f"statements/{newer.id}/#afghanistan" in targets


def test_chinese_compare_page(compare_archive: Archive) -> None:
    statements = by_id(compare_archive)
    page = parse_html(rendered(compare_archive, statements[ZH_PAIR[0]], statements[ZH_PAIR[1]]))
    assert [e.text() for e in page.elements("del")][1:] == ["加强"]  # [0] is the legend's
    assert [e.text() for e in page.elements("ins")][1:] == ["深化", "共同", "，支持IMO的工作"]
    assert any(e.attrs.get("lang") == "zh" for e in page.elements("div"))


def test_hostile_text_on_a_compare_page_is_escaped(compare_archive: Archive) -> None:
    statements = by_id(compare_archive)
    older, newer = statements[EN_PAIR[0]], statements[EN_PAIR[1]]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    section = dataclasses.replace(newer.sections[0], heading=evil)
    hostile = dataclasses.replace(newer, title=evil, sections=(section, *newer.sections[1:]))
    html = rendered(compare_archive, older, hostile)
    page = parse_html(html)
    assert not page.elements("script") and not page.elements("img")
    assert "<script" not in html.partition("\n---\n")[2]


def test_page_specs_cover_every_pair_and_the_picker(compare_archive: Archive) -> None:
    specs = page_specs(compare_archive.index.statements, library={})
    paths = [path for path, _, _ in specs]
    assert paths == [
        f"compare/{o}/{n}.md" for o, n in (EN_PAIR, *HARBOUR_PAIRS, FOLLOWS_PAIR, ZH_PAIR)
    ] + ["compare/index.md"]
    index = dict((p, r) for p, r, _ in specs)["compare/index.md"]
    html = index(page_for(compare_archive, "compare/index.md"))
    settings = json.loads(parse_html(html).find_id("sa-compare-settings").text())
    assert settings["library"] is None, "no library: the page says the tool is unavailable"
    assert settings["list"] == "../data/statement-list.json"
    assert settings["statements"] == "../data/statements/"


BIG_ARCHIVE = 1200
"""Synthetic statements enough for more compare pages than one list page holds (about 240)."""


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("big")
    write_synthetic_archive(REPO, root, BIG_ARCHIVE)
    problems, archive = prepare(root)
    assert not problems and archive is not None
    return archive


def test_a_big_archive_lists_its_compare_pages_by_year(big_archive: Archive) -> None:
    """The index keeps the form and links a page per year; the year pages list every pair once,
    under its newer statement's year; no page of the list grows with the archive."""
    statements = big_archive.index.statements
    pairs = compare_pairs(statements)
    assert len(pairs) > COMPARE_PAGE_PAIRS
    lists = {
        path: render
        for path, render, _ in page_specs(statements, library={})
        if path.endswith("/index.md")
    }
    assert len(lists) > 2 and "compare/index.md" in lists
    listed: Counter[str] = Counter()
    for path, render in lists.items():
        text = render(page_for(big_archive, path))
        assert len(text.encode()) < 100_000, path
        here = page_url(path)
        links = [
            posixpath.normpath(posixpath.join(here, a.attrs["href"])) + "/"
            for a in parse_html(text).elements("a")
        ]
        if path == "compare/index.md":
            assert "sa-compare-settings" in text and not any(
                link.count("/") == 3 and not _is_year_page(link) for link in links
            ), "the index lists years, not pairs"
            assert {p for p in lists if p != path} <= {f"{link}index.md" for link in links}
            continue
        year = path.split("/")[1]
        assert "sa-compare-settings" not in text
        for link in links:
            if link.count("/") == 3 and not _is_year_page(link):  # compare/<older>/<newer>/
                newer = by_id(big_archive)[link.split("/")[2]]
                assert (str(newer.date.year) if newer.date else "undated") == year, link
                listed[link] += 1
    assert listed == Counter(compare_url(o, n) for o, n in pairs)
    assert set(listed.values()) == {1}


def _is_year_page(link: str) -> bool:
    """compare/2012/ or compare/2012/2/, not compare/<older>/<newer>/."""
    return link.split("/")[1].isdigit() or link.split("/")[1] == "undated"


def test_the_library_is_copied_from_node_modules(tmp_path: Path) -> None:
    assert browser_files(tmp_path) == {}
    package = tmp_path / "diff-match-patch-es"
    (package / "dist").mkdir(parents=True)
    (package / "dist" / "index.mjs").write_text("export const x = 1;\n", encoding="utf-8")
    assert browser_files(tmp_path) == {LIBRARY_FILE: "export const x = 1;\n"}


# --- the per-statement JSON -------------------------------------------------------------------


def test_per_statement_json_shape(compare_archive: Archive) -> None:
    statements = by_id(compare_archive)
    config = site_config(FIXTURE)
    text = statement_json(statements[EN_PAIR[1]], compare_archive.vocabularies, config)
    assert text.endswith("}\n") and "\n" not in text[:-1] and ": " not in text.split('"')[0]
    document = json.loads(text)
    assert list(document) == sorted(document), "keys sorted"
    assert document["version"] == 1
    assert document["id"] == EN_PAIR[1]
    assert document["date"] == "2026-03-12" and document["date_display"] == "12 March 2026"
    assert document["path"] == f"statements/{EN_PAIR[1]}/"
    assert document["url"] == config.absolute(f"statements/{EN_PAIR[1]}/")
    arctic = document["sections"][0]
    assert arctic["id"] == "arctic" and arctic["path"] == f"statements/{EN_PAIR[1]}/#arctic"
    assert arctic["excerpts"][0]["paragraphs"] == [
        "Both sides agreed on closer coordination in the Arctic Dialogue.",
        "They will review the coordination in the Arctic Dialogue each year.",
    ]
    assert set(arctic) == {
        "actors", "all_actors", "all_countries", "all_forums", "all_topics", "annotations",
        "countries", "excerpts", "forums", "heading", "id", "path", "summary", "topics", "url",
    }  # fmt: skip
    assert set(arctic["excerpts"][0]) == {
        "actors", "countries", "forums", "original", "paragraph", "paragraphs", "source",
        "sources", "topics", "variants",
    }  # fmt: skip
    assert document["related"] == [
        {"id": "2025-fictional-arctic-dialogue-declaration", "relation": "follows"}
    ]
    files = render_statement_files(
        compare_archive.index.statements, compare_archive.vocabularies, config
    )
    assert sorted(files) == sorted(
        [f"data/statements/{s.id}.json" for s in compare_archive.index.statements]
        + ["data/statement-list.json"]
    )
    listing = json.loads(files["data/statement-list.json"])
    assert [s["id"] for s in listing["statements"]] == [
        s.id for s in compare_archive.index.statements
    ]
    assert set(listing["statements"][0]) == {"date", "date_display", "id", "language", "title"}
    original = json.loads(files["data/statements/2025-fictional-arctic-dialogue-declaration.json"])
    assert original["sections"][0]["excerpts"][0]["original"]["language"] == "ru"


def test_per_statement_json_carries_the_second_edition(compare_archive: Archive) -> None:
    """Series, round, participants, actors, source kinds, excerpt paragraphs, sources, tags and
    variants, as the module's docstring shows them."""
    statements = by_id(compare_archive)
    config = site_config(FIXTURE)
    document = json.loads(
        statement_json(statements[HARBOUR_PAIRS[0][1]], compare_archive.vocabularies, config)
    )
    assert document["series"] == "fictional-harbour-consultations"
    assert document["series_name"] == "Fictional Harbour Consultations"
    assert document["round"] == 2
    assert document["participants"][0] == {"country": "NO", "role": "host", "note": None}
    assert document["participants"][3] == {
        "forum": "arctic-dialogue",
        "role": "observer",
        "note": None,
    }
    assert document["actors"] == ["fictional-harbour-authority"]
    assert document["all_actors"] == ["fictional-harbour-authority", "fictional-tide-front"]
    official = document["sources"][0]
    assert official["kind"] == "official-text" and official["title_supplied"] is True
    assert set(official) == {
        "id", "kind", "language", "published", "publisher", "title", "title_supplied",
        "translated_from", "translator", "url",
    }  # fmt: skip
    lighthouses = document["sections"][1]
    assert lighthouses["all_forums"] == ["fictional-harbour-format"]
    first, second = lighthouses["excerpts"]
    assert first["paragraph"] == "2" and first["sources"] == ["official"]
    assert first["actors"] == ["fictional-tide-front"] and first["topics"] == ["counter-terrorism"]
    assert first["variants"] == [
        {
            "source": "gazette",
            "paragraphs": [
                "The participants condemned the attacks by the Tide Front on the harbour"
                " lighthouses."
            ],
        }
    ]
    assert second["sources"] == ["official", "gazette"] and second["variants"] == []


# --- in the browser ---------------------------------------------------------------------------


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(f"browser test skipped: {reason} (REQUIRE_BROWSER=1 makes this a failure)")


@pytest.fixture(scope="module")
def served(compare_root: Path) -> Iterator[str]:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is not installed")
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM}")
    if not browser_files():
        unavailable("node_modules/diff-match-patch-es is missing (npm ci)")
    assert main(["--root", str(compare_root), "build"]) == 0
    with serve(compare_root / "site", site_path(compare_root)) as base:
        yield base


@pytest.mark.parametrize("pair", [EN_PAIR, ZH_PAIR, FOLLOWS_PAIR], ids=["en", "zh", "follows"])
def test_compare_any_two_finds_the_words_the_python_redline_finds(
    served: str, compare_archive: Archive, pair: tuple[str, str]
) -> None:
    from playwright.sync_api import sync_playwright

    statements = by_id(compare_archive)
    aligned = align(statements[pair[0]], statements[pair[1]])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width, height in ((1280, 900), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height})
                errors: list[str] = []

                def record(message: str, errors: list[str] = errors) -> None:
                    errors.append(message)

                page.on("pageerror", lambda e: record(str(e)))
                page.on("console", lambda m: record(m.text) if m.type == "error" else None)
                page.goto(f"{served}compare/?a={pair[0]}&b={pair[1]}")
                page.wait_for_selector("#sa-compare-result .sa-compare")
                found = page.eval_on_selector_all(
                    "#sa-compare-result section.sa-compare__pair",
                    """sections => sections.map(s => [s.dataset.older, s.dataset.newer,
                        [...s.querySelectorAll("del")].map(e => e.textContent),
                        [...s.querySelectorAll("ins")].map(e => e.textContent)])""",
                )
                expected = [
                    [
                        p.older.id,
                        p.newer.id,
                        [e.text() for e in parse_html(p.redline.older_html()).elements("del")],
                        [e.text() for e in parse_html(p.redline.newer_html()).elements("ins")],
                    ]
                    for p in aligned.pairs
                ]
                assert found == expected
                assert page.locator("#sa-compare-a").input_value() == pair[0]
                # The built compare page shows the same.
                page.goto(f"{served}compare/{pair[0]}/{pair[1]}/")
                built = page.eval_on_selector_all(
                    "section.sa-compare__pair",
                    """sections => sections.map(s => [s.dataset.older, s.dataset.newer,
                        [...s.querySelectorAll("del")].map(e => e.textContent),
                        [...s.querySelectorAll("ins")].map(e => e.textContent)])""",
                )
                assert built == expected
                assert not errors, errors
                page.close()
        finally:
            browser.close()


def test_compare_any_two_sections_chosen_in_the_address(served: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            a, b = EN_PAIR
            page.goto(f"{served}compare/?a={a}&as=fisheries&b={b}&bs=arctic")
            page.wait_for_selector("#sa-compare-result .sa-compare__pair")
            assert page.locator("#sa-compare-result .sa-compare__pair").count() == 1
            assert page.locator("#sa-compare-as").input_value() == "fisheries"
            assert page.locator("#sa-compare-bs").input_value() == "arctic"
            # Picking again through the form keeps the choice in the address.
            page.select_option("#sa-compare-bs", "afghanistan")
            page.click("#sa-compare-go")
            page.wait_for_function("location.search.includes('bs=afghanistan')")
            page.wait_for_selector("#sa-compare-result [data-newer=afghanistan]")
            hostile = "<img src=x onerror=alert(1)>"
            page.goto(f"{served}compare/?a={hostile}&b={b}")
            page.wait_for_function(
                "document.getElementById('sa-compare-status').textContent.length > 0"
            )
            assert page.locator("#sa-compare-result img").count() == 0
        finally:
            browser.close()
