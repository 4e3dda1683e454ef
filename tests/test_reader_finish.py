"""Issue 14, items 1, 4, 5 and 7: what a reader, a search engine and a feed reader meet.

Built-site checks (the fixture archive, plus one statement whose title, summary and place are
hostile, written past validation as tests/test_render.py does): the page's own meta
description, Open Graph and Twitter tags, feed autodiscovery, JSON-LD that stays data, robots.txt,
the 404 page, the tag key, language names, Material's tables. Then, in Chromium: a visible focus
on every Tab stop of the search page, the skip links, no Tab stop in the closed phone drawer,
legible sizes on a phone, and axe-core in the dark scheme.

Browser plumbing: the few lines it needs from tests/test_browser.py (Chromium launch, the test
server with axe-core) are repeated here, not imported, so that the two files stay independent.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from mkdocs.utils.meta import get_data
from support.archive import REPO, copy_site_files
from support.browser import unavailable
from support.html import SITE_PATH, Site, parse_html

from scripts.builder.shrink import shrink_site
from scripts.index import build_index
from scripts.pipeline import Archive, mkdocs_build, site_config
from scripts.render.html import language_name
from scripts.render.jobs import render_site
from scripts.render.structured import DESCRIPTION_CHARS, trimmed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


FIXTURE_ROOT = Path(__file__).resolve().parent / "fixtures" / "archive"
HOSTILE_TITLE = '</script><script>alert(1)</script> & "quoted" \'single\' <!-- c -->'
HOSTILE_ID = "2026-03-12-fictional-norway-iceland-statement"
HOSTILE_URL = f"statements/{HOSTILE_ID}/"
CHINESE = "statements/2026-04-fictional-chinese-statement/"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = f"{SITE_PATH}__test__/axe.min.js"
SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
"""mkdocs.yml's site_url: the pages' canonical addresses (the fixture's pyproject.toml gives
another one, to feeds and data files)."""
REQUIRED = os.environ.get("REQUIRE_BROWSER", "") not in ("", "0")


@pytest.fixture(scope="module")
def pages(archive: Archive) -> dict[str, str]:
    """The fixture archive's pages, one statement's title, summary and place made hostile."""
    statements = [
        dataclasses.replace(
            s,
            title=HOSTILE_TITLE,
            summary=f"Summary {HOSTILE_TITLE} " + "word " * 60,
            place=HOSTILE_TITLE,
        )
        if s.id == HOSTILE_ID
        else s
        for s in archive.statements
    ]
    vocabularies = archive.vocabularies
    return render_site(
        build_index(statements, vocabularies), vocabularies, site_config(FIXTURE_ROOT)
    )


@pytest.fixture(scope="module")
def built(pages: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader")
    copy_site_files(root)
    for path, content in pages.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(content, encoding="utf-8")
    # Shrunk as `make build` leaves it (minified, the whole archive's JSON and sections gzipped);
    # no search index needed here.
    assert mkdocs_build(root, root / "site", shrink_site)
    return root / "site"


@pytest.fixture(scope="module")
def reader_site(built: Path) -> Site:
    return Site(built)


def head(site: Site, url: str) -> dict[str, list[str]]:
    """<meta name|property> and <link rel=alternate> of a page's <head>, as read back."""
    (element,) = site.page(url).elements("head")
    found: dict[str, list[str]] = {}
    for e in element.iter():
        if e.tag == "meta" and ("name" in e.attrs or "property" in e.attrs):
            key = e.attrs.get("name") or e.attrs["property"]
            found.setdefault(key, []).append(e.attrs.get("content", ""))
        if e.tag == "link" and e.attrs.get("rel") == "alternate":
            found.setdefault(f"alternate {e.attrs.get('type')}", []).append(e.attrs["href"])
    return found


def jsonld(site: Site, url: str) -> Any:
    (script,) = [
        s for s in site.page(url).elements("script") if s.attrs.get("type") == "application/ld+json"
    ]
    return json.loads(script.text())


# --- item 5: sharing and discovery -------------------------------------------------------------


def test_trimmed_cuts_at_a_word_with_an_ellipsis() -> None:
    assert trimmed("short  text\n") == "short text"
    long = trimmed("word, " * 100)
    assert len(long) <= DESCRIPTION_CHARS and long.endswith("word…")


def test_a_statement_has_its_own_description_and_sharing_tags(reader_site: Site) -> None:
    url = "statements/2026-04-fictional-chinese-statement/"
    meta = head(reader_site, url)
    summary = "In this invented statement, China offers closer cooperation on Arctic shipping."
    assert meta["description"] == [summary]
    assert meta["og:description"] == meta["twitter:description"] == [summary]
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == ["Fictional press statement of China on Arctic shipping"]
    assert meta["og:url"] == [f"{SITE_URL}{url}"]
    assert meta["twitter:card"] == ["summary"]
    home = head(reader_site, "")
    assert home["description"] != meta["description"] and home["og:type"] == ["website"]


def test_every_page_links_the_site_feed_and_a_hub_its_own(reader_site: Site) -> None:
    for url in reader_site.urls():
        feeds = head(reader_site, url).get("alternate application/atom+xml", [])
        assert feeds[:1] and feeds[0].endswith("feed.xml"), url
    assert head(reader_site, "countries/no/")["alternate application/atom+xml"] == [
        "../../feed.xml",
        "feed.xml",
    ]
    assert (reader_site.folder / "countries/no/feed.xml").is_file()


def test_jsonld_of_a_statement_and_of_the_data_page(reader_site: Site) -> None:
    data = jsonld(reader_site, CHINESE)
    assert data["@type"] == "ArchiveComponent" and data["@context"] == "https://schema.org"
    assert data["name"] == "Fictional press statement of China on Arctic shipping"
    assert data["author"] == [{"@type": "Organization", "name": "China"}]
    assert data["dateCreated"] == "2026-04" and data["inLanguage"] == "zh"
    assert data["isPartOf"]["@type"] == "Collection"
    assert data["holdingArchive"]["@type"] == "ArchiveOrganization"
    dataset = jsonld(reader_site, "data/")
    assert dataset["@type"] == "Dataset"
    downloads = {d["name"]: d for d in dataset["distribution"]}
    assert set(downloads) == {"statements.json.gz", "statements.csv", "sections.csv.gz"}
    for name, download in downloads.items():
        assert download["contentUrl"] == f"https://example.org/fictional/site/data/{name}"
        assert (reader_site.folder / "data" / name).is_file()


def test_a_hostile_title_stays_text_in_every_head_tag(reader_site: Site, built: Path) -> None:
    html = (built / HOSTILE_URL / "index.html").read_text(encoding="utf-8")
    # Minified, the attribute may lose its quotes (scripts/builder/shrink.py).
    opening = re.search(r'<script type="?application/ld\+json"?>', html)
    assert opening is not None
    start = opening.end()
    block = html[start : html.index("</script>", start)]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c/script\\u003e" in block
    data = json.loads(block)
    assert data["name"] == HOSTILE_TITLE
    assert data["locationCreated"]["name"] == HOSTILE_TITLE
    meta = head(reader_site, HOSTILE_URL)
    assert meta["og:title"] == meta["twitter:title"] == [HOSTILE_TITLE]
    assert meta["description"][0].startswith('Summary & "quoted" \'single\' word')  # nh3
    assert len(meta["description"][0]) <= DESCRIPTION_CHARS
    assert "<script>alert" not in html
    page = reader_site.page(HOSTILE_URL)
    scripts = [s for s in page.elements("script") if s.attrs.get("type") != "application/ld+json"]
    assert not [s for s in scripts if "alert" in s.text()]


def test_front_matter_values_are_plain_text_in_yaml(pages: dict[str, str]) -> None:
    """The generator writes plain text; escaping is the override's, once."""
    _, meta = get_data(pages[f"statements/{HOSTILE_ID}.md"])
    assert meta["jsonld"]["name"] == HOSTILE_TITLE
    assert meta["og_type"] == "article"
    _, hub = get_data(pages["countries/no/index.md"])
    assert hub["feed"] == "countries/no/feed.xml"
    assert hub["description"].startswith("Country: Norway.")


def test_robots_txt_names_the_sitemap(reader_site: Site) -> None:
    robots = (reader_site.folder / "robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *\n")
    assert robots.splitlines()[-1] == f"Sitemap: {SITE_URL}sitemap.xml"


# --- item 7: pages that explain themselves -----------------------------------------------------


def test_404_has_a_search_box_and_ways_in(reader_site: Site) -> None:
    page = parse_html((reader_site.folder / "404.html").read_text(encoding="utf-8"), "404.html")
    (form,) = [f for f in page.elements("form") if f.attrs.get("role") == "search"]
    assert form.attrs["action"] == f"{SITE_PATH}search/"
    assert [i.attrs["name"] for i in form.iter() if i.tag == "input"] == ["q"]
    links = {a.attrs.get("href") for a in page.find_id("not-found").parent.iter() if a.tag == "a"}
    for way in ("countries/", "forums/", "topics/", "timeline/"):
        assert f"{SITE_PATH}{way}" in links
    (title,) = page.elements("title")
    assert title.text().startswith("Page not found")


def test_tags_have_a_key_and_a_spoken_kind(reader_site: Site) -> None:
    page = reader_site.page(CHINESE)
    keys = [e for e in page.root.iter() if "sa-key" in e.classes()]
    assert len(keys) == 1 and keys[0].attrs.get("aria-hidden") == "true"
    assert "◉ country" in " ".join(keys[0].text().split())
    hidden = [e.text() for e in page.root.iter() if "sa-visually-hidden" in e.classes()]
    assert {"Countries:", "Forum:", "Topics:"} <= {h.strip() for h in hidden}


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("statements/2025-fictional-arctic-dialogue-declaration/", "Original text, in Russian"),
        ("statements/fictional-undated-iran-letter/", "Original text, in Persian"),
    ],
)
def test_original_language_is_named(reader_site: Site, url: str, label: str) -> None:
    page = reader_site.page(url)
    summaries = {e.text() for e in page.elements("summary") if "Original" in e.text()}
    assert summaries == {label}


@pytest.mark.parametrize(
    ("tag", "name"),
    [("ru", "Russian"), ("zh-Hans", "Chinese"), ("fa", "Persian"), ("grc", "Ancient Greek"),
     ("x-klingon", "x-klingon"), ("qaa", "qaa")],
)
def test_language_name(tag: str, name: str) -> None:
    assert language_name(tag) == name


def test_index_tables_use_material_styles_with_numbers_aligned(reader_site: Site) -> None:
    for url in ("countries/", "forums/", "data/"):
        tables = reader_site.page(url).elements("table")
        assert tables and all("class" not in t.attrs for t in tables), url
    cells = [e for e in reader_site.page("countries/").root.iter() if e.tag in {"th", "td"}]
    numbers = [e for e in cells if "sa-num" in e.classes()]
    assert {e.tag for e in numbers} == {"th", "td"}


def test_palette_follows_the_system_with_a_toggle() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    palette = config["theme"]["palette"]
    assert [p["media"] for p in palette] == [
        "(prefers-color-scheme)",
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    ]
    assert all("toggle" in p for p in palette)  # an option without one: a hidden focusable radio


# --- in the browser ----------------------------------------------------------------------------


def new_page(browser: Browser, width: int, height: int, **options: Any) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(10_000)
    return context.new_page()


FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    // Material's palette toggle: the focus is on a hidden radio, its label shows it.
    const shown = e.matches("input.md-option") ? e.nextElementSibling : e;
    const style = getComputedStyle(shown);
    const box = e.getBoundingClientRect();
    return {
        what: `${e.tagName.toLowerCase()}#${e.id}.${e.className} `
            + (e.textContent || "").trim().slice(0, 30),
        id: e.id,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1,
        shadow: style.boxShadow !== "none",
        visible: getComputedStyle(e).visibility !== "hidden" && box.right > 0
            && box.left < innerWidth,
    };
}"""


def tab_stops(page: Page, most: int) -> list[dict[str, Any]]:
    """Each element the Tab key reaches, in order, until it leaves the page (or `most`)."""
    stops = []
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["what"] == stops[0]["what"]):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_every_tab_stop_on_the_search_page_shows_its_focus(
    browser: Browser, base_url: str, width: int, height: int
) -> None:
    page = new_page(browser, width, height)
    page.goto(base_url + "search/")
    page.wait_for_selector("input.sa-search__option", state="attached")
    page.evaluate("document.getElementById('sa-search-filters').open = true")
    checkboxes = page.locator("input.sa-search__option").count()
    stops = tab_stops(page, checkboxes + 40)
    assert sum(1 for s in stops if "sa-search__option" in s["what"]) == checkboxes > 0
    # Before the box: the skip link, the header's few controls and the site navigation's links.
    navigation = page.locator(".md-sidebar--primary nav.md-nav--primary > ul > li > a").count()
    assert [s["id"] for s in stops].index("sa-search-input") <= navigation + 4
    for stop in stops:
        assert stop["visible"], stop["what"]
        assert stop["outline"] or stop["shadow"], f"no visible focus on {stop['what']}"
    page.context.close()


def test_skip_links_reach_the_search_box_and_the_results(browser: Browser, base_url: str) -> None:
    page = new_page(browser, 1280, 900)
    page.goto(base_url + "search/")
    page.wait_for_selector("input.sa-search__option", state="attached")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to the search box"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sa-search-input"
    # The query's own choices come next (which text, the order, how to search), then the link
    # that skips the filters.
    stops = []
    for _ in range(4):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert stops == ["sa-search-verbatim", "sa-search-sort", "SUMMARY", "sa-search-skip"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sa-search-status"
    page.context.close()


def test_feed_links_do_not_send_material_for_a_sitemap(browser: Browser, base_url: str) -> None:
    """Material fetches sitemap.xml beside every link[rel=alternate]'s target (a 404 beside a
    hub's feed); the override keeps it from taking feed links for translations."""
    page = new_page(browser, 1280, 900)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + "countries/no/", wait_until="networkidle")
    assert not [url for url in requested if url.endswith("sitemap.xml")], requested
    found = page.evaluate(
        "[...document.querySelectorAll('link[rel~=alternate]')].map(l => l.getAttribute('href'))"
    )
    assert found == ["../../feed.xml", "feed.xml"]
    page.context.close()


def test_the_closed_phone_drawer_has_no_tab_stops(browser: Browser, base_url: str) -> None:
    page = new_page(browser, 390, 844)
    page.goto(base_url + CHINESE)
    stops = tab_stops(page, 8)
    assert len(stops) == 8 and not [s for s in stops if "md-nav__link" in s["what"]], stops
    page.locator('.md-header label[for="__drawer"]').click()
    countries = page.locator("nav.md-nav--primary").get_by_role("link", name="Countries").first
    countries.wait_for(state="visible")
    countries.click()
    page.wait_for_url("**/countries/")
    page.context.close()


LEGIBLE = """() => {
    let all = 0, small = 0;
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        const parent = walker.currentNode.parentElement;
        const folded = parent.closest("[hidden], details:not([open]) > :not(summary)");
        if (!text || !parent.getClientRects().length || folded) continue;
        all += text.length;
        if (parseFloat(getComputedStyle(parent).fontSize) < 12) small += text.length;
    }
    return [all, small];
}"""


@pytest.mark.parametrize("url", [CHINESE, HOSTILE_URL, "countries/no/", "data/", "search/", ""])
def test_text_is_legible_on_a_phone(browser: Browser, base_url: str, url: str) -> None:
    page = new_page(browser, 390, 844, is_mobile=True, has_touch=True)
    page.goto(base_url + url)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    total, small = page.evaluate(LEGIBLE)
    assert total and small / total < 0.02, f"{small} of {total} characters under 12 px on /{url}"
    page.context.close()


@pytest.mark.parametrize("url", [CHINESE, "", "countries/no/", "search/", "data/", "404.html"])
def test_dark_scheme_has_no_serious_accessibility_violations(
    browser: Browser, base_url: str, url: str
) -> None:
    if not AXE.is_file():
        unavailable(f"{AXE.relative_to(REPO)} is missing (npm ci)")
    page = new_page(browser, 1280, 900, color_scheme="dark")
    page.goto(base_url + url)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.add_script_tag(url=AXE_URL)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    page.context.close()
