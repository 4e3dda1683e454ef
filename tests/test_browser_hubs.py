"""In a real browser: the order and narrow controls of hub and series pages (docs/assets/hubs.js,
scripts/render/templates/narrow.j2) and the hub of a broader topic, on the fixture archive (the
session's shared build) at a desktop and a phone width (tests/support/browser.py).

What the controls must do is worked out here from the fixture's YAML, independently of the
generator: which items a forum narrows a hub to, and the statements' dates in order.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from support.archive import FIXTURE, read_statements
from support.browser import Tab, assert_accessible, expect

from scripts.model import PartialDate

BROADER = "topics/security/"
"""A broader topic no statement names: its hub gathers counter-terrorism and regional-security."""
TOPIC = "topics/maritime-cooperation/"
"""A hub with dated statements, an undated one, and items in three forums and two series."""
FORUM = "arctic-dialogue"
SERIES_PAGE = "series/fictional-harbour-consultations/"


def subtree(topic: str) -> set[str]:
    """The topic and every narrower topic, from the fixture's topics.yml."""
    topics = yaml.safe_load((FIXTURE / "data" / "topics.yml").read_text(encoding="utf-8"))
    found = {topic}
    while True:
        more = {t["id"] for t in topics if t.get("parent") in found} - found
        if not more:
            return found
        found |= more


def tags(part: dict[str, Any], field: str) -> set[str]:
    return set(part.get(field, []))


def expected_items(topic: str, forum: str) -> set[str]:
    """Site paths (with #section for sections) of the items on `topic`'s hub that name `forum`:
    sections whose statement, own tags or excerpts name the forum (or whose statement is issued
    in it), and statements that name it anywhere."""
    wanted = subtree(topic)
    found = set()
    for statement in read_statements(FIXTURE):
        whole_topics = tags(statement, "topics")
        whole_forums = tags(statement, "forums") | {statement.get("issuing_forum", "")}
        url = f"statements/{statement['id']}/"
        any_topic, any_forum = set(whole_topics), set(whole_forums)
        for section in statement["sections"]:
            parts = [section, *section.get("excerpts", [])]
            topics = whole_topics.union(*(tags(p, "topics") for p in parts))
            forums = whole_forums.union(*(tags(p, "forums") for p in parts))
            any_topic |= topics
            any_forum |= forums
            if topics & wanted and forum in forums:
                found.add(f"{url}#{section['id']}")
        if any_topic & wanted and forum in any_forum:
            found.add(url)
    return found


def dates() -> dict[str, PartialDate | None]:
    return {
        s["id"]: PartialDate.parse(s["date"]) if s.get("date") else None
        for s in read_statements(FIXTURE)
    }


def shown(tab: Tab) -> list[str]:
    """Site paths of the list items shown, in page order (each list in turn)."""
    hrefs = tab.page.locator(".md-content .sa-list > li[data-rank]:visible a.sa-item__title")
    paths = []
    for href in hrefs.evaluate_all("links => links.map(link => link.href)"):
        parts = urlsplit(href)
        path = parts.path.removeprefix(urlsplit(tab.base_url).path)
        paths.append(path + (f"#{parts.fragment}" if parts.fragment else ""))
    return paths


def section_statements(tab: Tab) -> list[str]:
    """The statement ids of the sections shown, in order."""
    links = tab.page.locator(".sa-list--sections > li:visible a.sa-item__title")
    hrefs = links.evaluate_all("links => links.map(link => new URL(link.href).pathname)")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def choose(tab: Tab, name: str, value: str) -> None:
    tab.page.locator(f"form[data-sa-narrow] select[name={name}]").select_option(value)


def count(tab: Tab) -> str:
    return tab.page.locator("[data-sa-narrow-count]").inner_text()


def test_narrowing_to_a_forum_shows_exactly_that_forums_items(tab: Tab) -> None:
    tab.open(BROADER)
    everything = set(shown(tab))
    choose(tab, "forum", FORUM)
    expected = expected_items("security", FORUM)
    assert expected and expected < everything  # the choice narrows, to something
    assert set(shown(tab)) == expected
    assert count(tab) == f"Showing {len(shown(tab))} of {len(everything)} items on this page."
    choose(tab, "forum", "")
    assert set(shown(tab)) == everything
    tab.assert_clean()


def test_ordering_newest_first_reverses_the_dates(tab: Tab) -> None:
    tab.open(TOPIC)
    when = dates()
    choose(tab, "order", "oldest")
    oldest = [when[s] for s in section_statements(tab)]
    choose(tab, "order", "newest")
    newest = [when[s] for s in section_statements(tab)]
    dated_oldest = [d for d in oldest if d is not None]
    dated_newest = [d for d in newest if d is not None]
    assert dated_oldest == sorted(dated_oldest) and dated_oldest[0] != dated_oldest[-1]
    assert dated_newest == list(reversed(dated_oldest))
    assert None in newest and newest[-1] is None and oldest[-1] is None  # undated: last
    assert count(tab).endswith("newest first.")
    heading = tab.page.locator("h2#hub--sections")
    expect(heading).to_contain_text(", newest first")  # the heading names the order shown
    choose(tab, "order", "")
    expect(heading).to_contain_text(", oldest first")
    tab.assert_clean()


def test_the_address_keeps_the_choice_and_a_link_reproduces_it(tab: Tab) -> None:
    tab.open(TOPIC)
    choose(tab, "order", "newest")
    choose(tab, "forum", FORUM)
    query = urlsplit(tab.page.url).query
    assert query == f"order=newest&forum={FORUM}"
    seen = shown(tab)
    tab.open(f"{TOPIC}?{query}")
    form = tab.page.locator("form[data-sa-narrow]")
    expect(form.locator("select[name=order]")).to_have_value("newest")
    expect(form.locator("select[name=forum]")).to_have_value(FORUM)
    assert shown(tab) == seen
    tab.open(f"{TOPIC}?forum=no-such-forum")  # a choice the page does not offer: all shown
    expect(form.locator("select[name=forum]")).to_have_value("")
    assert count(tab) == ""
    tab.assert_clean()


def test_the_series_control_narrows_to_one_series(tab: Tab) -> None:
    series = "fictional-harbour-consultations"
    members = {s["id"] for s in read_statements(FIXTURE) if s.get("series") == series}
    tab.open(TOPIC)
    everything = shown(tab)
    choose(tab, "series", series)
    expected = [path for path in everything if path.split("/")[1] in members]
    assert expected and len(expected) < len(everything)
    assert sorted(shown(tab)) == sorted(expected)


def test_the_controls_work_from_the_keyboard(tab: Tab) -> None:
    tab.open(TOPIC)
    order = tab.page.locator("form[data-sa-narrow] select[name=order]")
    tab.page.locator("p.sa-feed a").focus()  # the link just before the form
    tab.page.keyboard.press("Tab")
    expect(order).to_be_focused()
    before = section_statements(tab)
    tab.page.keyboard.press("ArrowDown")  # as listed → oldest first
    tab.page.keyboard.press("ArrowDown")  # → newest first
    expect(order).to_have_value("newest")
    assert section_statements(tab) != before
    expect(tab.page.locator("[data-sa-narrow-count]")).to_have_attribute("aria-live", "polite")


@pytest.mark.parametrize("url", [BROADER, TOPIC, SERIES_PAGE, "countries/no/"])
def test_hubs_with_the_controls_in_use_have_no_serious_accessibility_violations(
    tab: Tab, url: str
) -> None:
    tab.open(url)
    expect(tab.page.locator("form[data-sa-narrow]")).to_be_visible()
    choose(tab, "order", "newest")
    forums = tab.page.locator("form[data-sa-narrow] select[name=forum] option")
    if forums.count() > 1:
        choose(tab, "forum", forums.nth(1).get_attribute("value") or "")
    assert_accessible(tab, f"/{url} with the controls in use")
    width, screen = tab.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= screen, f"/{url} is {width} px wide on a {screen} px screen"
    tab.assert_clean()


def test_without_javascript_the_lists_stay_in_date_order_and_no_control_shows(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + TOPIC + f"?order=newest&forum={FORUM}")
        assert not page.locator("form[data-sa-narrow]").is_visible()
        links = page.locator(".sa-list--sections > li a.sa-item__title")
        paths = links.evaluate_all("links => links.map(link => new URL(link.href).pathname)")
        when = dates()
        order = [when[path.rstrip("/").rsplit("/", 1)[-1]] for path in paths]
        dated = [d for d in order if d is not None]
        assert dated == sorted(dated) and order[-1] is None  # oldest first, undated last
        # Nothing narrowed: every section of the hub is there, whatever its forum.
        assert len(paths) > len(
            [p for p in expected_items("maritime-cooperation", FORUM) if "#" in p]
        )
    finally:
        context.close()


def test_the_broader_topic_hub_says_which_narrower_topic_brought_each_item(tab: Tab) -> None:
    tab.open(BROADER)
    items = tab.page.locator(".md-content .sa-list > li")
    assert items.count() > 0
    for i in range(items.count()):
        via = items.nth(i).locator(".sa-item__via a.sa-tag--topic")
        names = via.all_inner_texts()
        assert names and set(names) <= {"Counter-terrorism", "Regional security"}
    tab.open("topics/")
    tab.page.locator("a", has_text="Security").first.click()
    assert tab.path() == BROADER
    tab.assert_clean()
