"""End to end: `python -m scripts build` on the fictional fixture archive (the session's shared
build) and on the real data (built once here), read back as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.archive import FIXTURE, REPO, copy_archive, read_statements
from support.html import Page, Site, page_file, resolve

from scripts.commands import main
from scripts.text import fold, paragraphs

pytestmark = pytest.mark.slow  # every test here builds a site, or uses one built

REAL_ID = "2026-05-cn-ru-joint-statement"
HUBS = ("countries", "forums", "topics")
"""Hub folders, named like the tag fields that lead to them."""


def build(root: Path) -> Site:
    assert main(["--root", str(root), "build"]) == 0
    return Site(root / "site")


@pytest.fixture(scope="module")
def site(fixture_site: Site) -> Site:
    return fixture_site


@pytest.fixture(scope="module")
def statements() -> list[dict[str, Any]]:
    return read_statements(FIXTURE)


@pytest.fixture(scope="module")
def real_site(real_root: Path) -> Site:
    return Site(real_root / "site")


def statement_url(statement_id: str, section: str | None = None) -> str:
    return f"statements/{statement_id}/" + (f"#{section}" if section else "")


def hub_urls(statement: dict[str, Any]) -> tuple[set[str], dict[str, set[str]]]:
    """Hubs that must list the statement, and, by section id, hubs that must link to the section."""
    whole = {f"countries/{code.lower()}/" for code in statement.get("parties", [])}
    if "issuing_forum" in statement:
        whole.add(f"forums/{statement['issuing_forum']}/")
    whole |= {f"{field}/{tag.lower()}/" for field in HUBS for tag in statement.get(field, [])}
    by_section = {
        section["id"]: {
            f"{field}/{tag.lower()}/" for field in HUBS for tag in section.get(field, [])
        }
        for section in statement["sections"]
    }
    return whole.union(*by_section.values()), by_section


def links_under(page: Page, heading_id: str) -> list[str]:
    """Statement links, in order, between a heading and the next heading of its rank or higher."""
    elements = list(page.root.iter())
    heading = page.find_id(heading_id)
    targets = {id(a): target for a, target in page.links()}
    found = []
    for element in elements[elements.index(heading) + 1 :]:
        if element.tag in {"h1", "h2", "h3"} and element.tag <= heading.tag:
            break
        target = targets.get(id(element), "")
        if target.startswith("statements/"):
            found.append(target)
    return found


def plain_text(page: Page) -> str:
    """Page text without the note numbers and ¶ links that sit inside excerpt paragraphs."""
    return page.root.text(skip=lambda e: bool(e.classes() & {"sa-noteref", "sa-anchor"}))


# --- the fixture archive -----------------------------------------------------------------------


def test_fixture_exercises_what_contributors_add(statements: list[dict[str, Any]]) -> None:
    """Guards the fixture itself: the cases below must stay in it."""
    by_id = {s["id"]: s for s in statements}
    assert any("NO" in s.get("parties", []) for s in statements)
    assert any("issuing_forum" in s and not s.get("parties") for s in statements)
    assert any(s.get("date") == "2025" for s in statements)
    assert any("date" not in s and "date_note" in s for s in statements)
    assert any(s.get("language") == "zh" for s in statements)
    languages = {
        e["original"]["language"]
        for s in statements
        for sec in s["sections"]
        for e in sec.get("excerpts", [])
        if "original" in e
    }
    assert {"ru", "fa"} <= languages
    relations = {r["relation"] for s in statements for r in s.get("related", [])}
    assert {"follows", "see-also"} <= relations
    assert any(len(s["sources"]) > 1 and s.get("signatories") for s in by_id.values())


def test_every_statement_has_a_page_with_section_anchors(
    site: Site, statements: list[dict[str, Any]]
) -> None:
    for statement in statements:
        page = site.page(statement_url(statement["id"]))
        assert {s["id"] for s in statement["sections"]} <= page.ids
        headings = {h.attrs.get("id"): h.text() for h in page.elements("h2")}
        for section in statement["sections"]:
            assert headings[section["id"]].startswith(section["heading"])


def test_statement_page_shows_excerpts_originals_and_sources(
    site: Site, statements: list[dict[str, Any]]
) -> None:
    for statement in statements:
        page = site.page(statement_url(statement["id"]))
        text, excerpts = page.root.text(), plain_text(page)
        for section in statement["sections"]:
            for excerpt in section.get("excerpts", []):
                for paragraph in paragraphs(excerpt["text"]):
                    assert paragraph in excerpts, paragraph
                if "original" in excerpt:
                    assert fold(excerpt["original"]["text"]) in text
                    quotes = [
                        b
                        for b in page.elements("blockquote")
                        if b.attrs.get("lang") == excerpt["original"]["language"]
                    ]
                    assert quotes, excerpt["original"]["language"]
        external = {a.attrs["href"] for a in page.elements("a")}
        assert {source["url"] for source in statement["sources"]} <= external
        for person in statement.get("signatories", []):
            assert person["name"] in text


def test_statement_language_is_marked(site: Site, statements: list[dict[str, Any]]) -> None:
    chinese = next(s for s in statements if s.get("language") == "zh")
    page = site.page(statement_url(chinese["id"]))
    assert any(b.attrs.get("lang") == "zh" for b in page.elements("blockquote"))


def test_annotations_are_shown_on_their_quote(site: Site) -> None:
    page = site.page(statement_url("2026-03-12-fictional-norway-iceland-statement"))
    marks = {m.attrs["id"]: m.text() for m in page.elements("mark")}
    assert marks == {
        "arctic--note1--ref": "closer coordination in the Arctic",
        "arctic--note2--ref": "coordination in the Arctic Dialogue",
    }
    # Note 3's quote overlaps a marked one wherever it occurs: its note has no link back.
    note3 = page.find_id("arctic--note3")
    assert not [a for a in note3.iter() if a.tag == "a" and a.attrs.get("href", "").startswith("#")]
    assert page.find_id("arctic--note2--ref").parent is page.find_id("arctic--p2")


def test_hubs_link_to_statements_and_down_to_sections(
    site: Site, statements: list[dict[str, Any]]
) -> None:
    for statement in statements:
        whole, by_section = hub_urls(statement)
        for hub in whole:
            assert statement_url(statement["id"]) in site.page(hub).link_targets(), hub
        for section_id, hubs in by_section.items():
            for hub in hubs:
                targets = site.page(hub).link_targets()
                assert statement_url(statement["id"], section_id) in targets, (hub, section_id)


def test_hub_lists_link_every_hub(site: Site, statements: list[dict[str, Any]]) -> None:
    hubs = set().union(*(hub_urls(s)[0] for s in statements))
    for folder in ("countries", "forums", "topics"):
        listed = site.page(f"{folder}/").link_targets()
        assert {h for h in hubs if h.startswith(folder)} <= listed, folder


def test_norway_is_a_country_not_false(site: Site) -> None:
    page = site.page("countries/no/")
    assert page.find_id("hub--title").text().startswith("Norway")


def test_topic_hub_shows_parent_and_children(site: Site) -> None:
    child = site.page("topics/maritime-cooperation/")
    assert "topics/economic-cooperation/" in child.link_targets()
    parent = site.page("topics/economic-cooperation/")
    assert "topics/maritime-cooperation/" in parent.link_targets()


def test_forum_hub_lists_statements_issued_in_it(site: Site) -> None:
    page = site.page("forums/arctic-dialogue/")
    issued = page.find_id("hub--issued")
    assert issued.text().startswith("Statements issued in")
    assert statement_url("2025-fictional-arctic-dialogue-declaration") in page.link_targets()


def test_related_links_appear_in_both_directions(
    site: Site, statements: list[dict[str, Any]]
) -> None:
    inverse = {"follows": "Followed by", "see-also": "See also", "responds-to": "Responded to by"}
    for statement in statements:
        for relation in statement.get("related", []):
            own = site.page(statement_url(statement["id"]))
            other = site.page(statement_url(relation["id"]))
            assert statement_url(relation["id"]) in own.link_targets()
            assert statement_url(statement["id"]) in other.link_targets()
            labels = [
                span.text() for span in other.root.iter() if "sa-related__label" in span.classes()
            ]
            assert inverse[relation["relation"]] in labels


def test_timeline_lists_every_statement(site: Site, statements: list[dict[str, Any]]) -> None:
    page = site.page("timeline/")
    assert {statement_url(s["id"]) for s in statements} <= page.link_targets()
    by_id = {s["id"]: s for s in statements}
    assert links_under(page, "undated") == [statement_url("fictional-undated-iran-letter")]
    assert "date" not in by_id["fictional-undated-iran-letter"]
    assert by_id["2025-fictional-arctic-dialogue-declaration"]["date"] == "2025"
    assert links_under(page, "y2025") == [
        statement_url("2025-11-20-fictional-harbour-consultations-round-2"),
        statement_url("2025-05-14-fictional-harbour-consultations-round-1"),
        statement_url("2025-fictional-arctic-dialogue-declaration"),
    ]
    assert links_under(page, "y2026") == [
        statement_url("2026-04-fictional-chinese-statement"),
        statement_url("2026-03-12-fictional-norway-iceland-statement"),
        statement_url("2026-02-fictional-harbour-consultations-round-3"),
    ]
    assert links_under(page, "y2026-03") == [
        statement_url("2026-03-12-fictional-norway-iceland-statement")
    ]


def test_home_lists_the_latest_statements(site: Site, statements: list[dict[str, Any]]) -> None:
    dated = sorted((s for s in statements if "date" in s), key=lambda s: s["date"], reverse=True)
    assert links_under(site.page(""), "home--latest") == [statement_url(s["id"]) for s in dated]


def test_statements_and_hubs_are_not_in_the_navigation(site: Site) -> None:
    for url in ("", "statements/2026-04-fictional-chinese-statement/", "countries/no/"):
        page = site.page(url)
        in_nav = {
            target.partition("#")[0]
            for a, target in page.links()
            if any(n.tag == "nav" and "md-nav--primary" in n.classes() for n in a.ancestors())
        }
        nav = {"", "countries/", "forums/", "topics/", "statements/", "timeline/", "compare/"}
        nav |= {"search/", "data/", "about/", "actors/", "series/"}
        assert nav <= in_nav, url
        assert in_nav <= {*nav, url}


def test_every_internal_link_resolves(site: Site) -> None:
    assert_links_resolve(site)


def assert_links_resolve(site: Site) -> None:
    """Link checker: every internal href or src leads to a file of the site and, when it has a
    #fragment, to an element with that id on that page."""
    broken = []
    for url in site.urls():
        page = site.page(url)
        for element in page.root.iter():
            for attribute in ("href", "src"):
                if attribute not in element.attrs:
                    continue
                target = resolve(url, element.attrs[attribute])
                if target is None:
                    continue
                path, _, fragment = target.partition("#")
                file = page_file(site.folder, path)
                if not file.is_file():
                    broken.append(f"{url}: {element.attrs[attribute]} → {path} (no such file)")
                elif fragment and file.suffix == ".html" and fragment not in site.page(path).ids:
                    broken.append(f"{url}: {element.attrs[attribute]} → no id '{fragment}'")
    assert not broken, "\n".join(broken)


# --- failed builds ----------------------------------------------------------------------------


def test_failed_validation_writes_no_site(tmp_path: Path) -> None:
    root = copy_archive(FIXTURE, tmp_path / "archive")
    broken = root / "data/statements/2026/2026-04-fictional-chinese-statement.yml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("kind: press-statement", "kind: pres-statement"),
        encoding="utf-8",
    )
    assert main(["--root", str(root), "build"]) == 1
    assert not (root / "site").exists()
    assert not (root / "docs" / "statements").exists()
    assert not (root / "docs" / "index.md").exists()


def test_failed_validation_leaves_an_existing_site_as_it_was(tmp_path: Path) -> None:
    root = copy_archive(FIXTURE, tmp_path / "archive")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("the previous build", encoding="utf-8")
    (root / "data/statements/2025/extra.yml").write_text("id: [unclosed\n", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert [p.name for p in (root / "site").iterdir()] == ["index.html"]
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "the previous build"


# --- the real archive -------------------------------------------------------------------------


def test_real_archive_builds_with_every_link_resolving(real_site: Site) -> None:
    for statement in read_statements(REPO):
        assert page_file(real_site.folder, statement_url(statement["id"])).is_file()
    assert_links_resolve(real_site)


def test_real_statement_page(real_site: Site) -> None:
    (statement,) = [s for s in read_statements(REPO) if s["id"] == REAL_ID]
    page = real_site.page(statement_url(REAL_ID))
    assert "afghanistan" in page.ids
    text = plain_text(page)
    marks = {m.text() for m in page.elements("mark")}
    for section in statement["sections"]:
        assert section["id"] in page.ids
        for excerpt in section.get("excerpts", []):
            for paragraph in paragraphs(excerpt["text"]):
                assert paragraph in text
        assert {fold(a["quote"]) for a in section.get("annotations", [])} <= marks
    hrefs = {a.attrs.get("href") for a in page.elements("a")}
    assert statement["sources"][0]["url"] in hrefs


@pytest.mark.parametrize(
    "hub",
    [
        "countries/af/",
        "countries/cn/",
        "countries/ru/",
        "countries/ir/",
        "forums/sco/",
        "forums/moscow-format/",
        "topics/counter-terrorism/",
    ],
)
def test_real_hubs_link_to_the_statement(real_site: Site, hub: str) -> None:
    targets = real_site.page(hub).link_targets()
    assert {t.partition("#")[0] for t in targets} >= {statement_url(REAL_ID)}


def test_real_country_hub_links_down_to_the_section(real_site: Site) -> None:
    assert statement_url(REAL_ID, "afghanistan") in real_site.page("countries/af/").link_targets()
