"""The pages of the format's second edition: a statement page with participants, a series and its
rounds, actors, source kinds, a supplied title, paragraph labels, excerpt tags and a variant; the
hubs (each section once, tagged passages in full, participation apart); the series pages; the
actor hubs and their feeds. A fictional recurring meeting of three rounds, added to a copy of the
fixture archive; every page rendered in-process (no MkDocs)."""

from __future__ import annotations

import itertools
import re

import feedparser  # type: ignore[import-untyped]
import pytest
from support.archive import FIXTURE, copy_archive, prepared
from support.html import Element, Page, parse_html
from support.statements import write

from scripts.pipeline import site_config
from scripts.render.context import HUB_EXCERPT_CHARS
from scripts.render.jobs import render_site

SERIES = "fictional-harbour-talks"
ROUND = "2026-05-14-fictional-harbour-talks-round-3"
ROUNDS = (
    "2024-05-10-fictional-harbour-talks-round-1",
    "2025-05-12-fictional-harbour-talks-round-2",
    ROUND,
)
FILLER = " ".join(
    f"The sides reviewed item {n} of the fictional agenda at length, in the spirit of the talks."
    for n in range(1, 15)
)
"""Some 1,300 characters of an excerpt before the sentence a hub must not cut."""
KEY_SENTENCE = "The sides called for a truly inclusive government in Afghanistan."
ROUND_3 = f"""\
# Fictional test statement: the third round of an invented recurring meeting.
id: {ROUND}
title: Fictional joint statement of the third Harbour Talks
date: 2026-05-14
kind: joint-statement
parties: [NO, IS]
issuing_forum: arctic-dialogue
place: Example Harbour
series: {SERIES}
round: 3
participants:
  - {{country: AF, role: guest, note: The acting minister attended as *main guest*.}}
  - {{country: CN, role: guest}}
  - {{forum: sco, role: observer}}
  - {{country: RU, role: host}}
actors: [fictional-front]
summary: The third round of the fictional talks.
sources:
  - id: agency
    kind: reproduction
    title: Text of the joint statement of the third Harbour Talks
    title_supplied: 'true'
    publisher: Example Agency
    url: https://example.org/fictional/agency
    language: en
  - id: ministry
    kind: readout
    title: The minister at the Harbour Talks
    publisher: Example Ministry
    url: https://example.org/fictional/ministry
  - id: wire
    kind: unofficial-translation
    title: The Harbour Talks statement in English
    publisher: Example Wire
    url: https://example.org/fictional/wire
    language: en
    translated_from: ru
    translator: Example Wire
  - id: news
    kind: news-report
    title: Talks end in the harbour
    publisher: Example News
    url: https://example.org/fictional/news
sections:
  - id: afghanistan
    heading: Afghanistan
    countries: [AF]
    excerpts:
      - text: >-
          {FILLER} {KEY_SENTENCE}
        paragraph: '2'
        sources: [agency, wire]
        topics: [regional-security]
        variants:
          - source: news
            text: >-
              {FILLER} The sides called for a genuinely inclusive government in Afghanistan.
      - text: They support the people of Afghanistan.
        paragraph: '3'
  - id: preamble
    heading: Opening words
    topics: [maritime-cooperation]
    excerpts:
      - text: The participants met in Example Harbour for the third time.
        paragraph: preamble
        source: wire
"""
EARLIER = """\
# Fictional test statement: an earlier round of an invented recurring meeting.
id: {id}
title: Fictional joint statement of the Harbour Talks, round {round}
date: {date}
kind: joint-statement
parties: [NO, IS]
issuing_forum: arctic-dialogue
place: Example Harbour
series: {series}
round: {round}
summary: Round {round} of the fictional talks.
sources:
  - {{id: official, kind: official-text, title: Joint statement, url: 'https://example.org/r{round}'}}
sections:
  - id: afghanistan
    heading: Afghanistan
    countries: [AF]
    excerpts:
      - text: The sides called for an inclusive government in Afghanistan (round {round}).
"""


def html_of(page: str) -> Page:
    """A generated page (front matter, Markdown headings, HTML blocks), parsed as HTML."""
    return parse_html(page.split("\n---\n", 1)[-1])


def by_class(root: Page | Element, name: str) -> list[Element]:
    element = root.root if isinstance(root, Page) else root
    return [e for e in element.iter() if name in e.classes()]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("second-edition"))
    series = (root / "data" / "series.yml").read_text(encoding="utf-8")
    write(
        root,
        "data/series.yml",
        series + f"- id: {SERIES}\n  name: Fictional Harbour Talks\n  forum: arctic-dialogue\n"
        "  description: An *invented* recurring meeting, for the tests.\n",
    )
    actors = (root / "data" / "actors.yml").read_text(encoding="utf-8")
    write(
        root,
        "data/actors.yml",
        actors + "- id: fictional-front\n  name: Fictional Front\n  short: FF\n"
        "  kind: armed-group\n"
        "  aliases: [The Front]\n  description: An invented armed group.\n"
        "  url: https://example.org/fictional/front\n",
    )
    write(root, f"data/statements/2026/{ROUND}.yml", ROUND_3)
    for number, (statement_id, date) in enumerate(
        zip(ROUNDS[:2], ("2024-05-10", "2025-05-12"), strict=True), 1
    ):
        write(
            root,
            f"data/statements/{date[:4]}/{statement_id}.yml",
            EARLIER.format(id=statement_id, round=number, date=date, series=SERIES),
        )
    archive = prepared(root)
    return render_site(archive.index, archive.vocabularies, site_config(root))


@pytest.fixture(scope="module")
def statement(pages: dict[str, str]) -> Page:
    return html_of(pages[f"statements/{ROUND}.md"])


def seen(element: Element) -> str:
    """The text a sighted reader sees: visually hidden words left out."""
    return element.text(lambda e: "sa-visually-hidden" in e.classes())


def definition(page: Page, term: str) -> Element:
    """The <dd> after the <dt> that says `term`."""
    for dl in page.elements("dl"):
        items = [c for c in dl.children if isinstance(c, Element)]
        for dt, dd in itertools.pairwise(items):
            if dt.tag == "dt" and dt.text() == term:
                return dd
    raise AssertionError(f"no {term!r} in the metadata")


# --- the statement page -----------------------------------------------------------------------


def test_participants_are_listed_by_role_apart_from_the_issuers_and_tags(
    statement: Page,
) -> None:
    took_part = definition(statement, "Took part")
    roles = [li.text() for li in took_part.iter() if li.tag == "li"]
    assert roles == [
        "Guests: Afghanistan — The acting minister attended as main guest. · China",
        "Observer: Shanghai Cooperation Organisation",
        "Host: Russia",
    ]
    links = {a.text(): a.attrs["href"] for a in took_part.iter() if a.tag == "a"}
    assert links["China"] == "../../countries/cn/"
    assert links["Shanghai Cooperation Organisation"] == "../../forums/sco/"
    assert not by_class(took_part, "sa-tag"), "participants are links, not tags"
    assert [e.tag for e in took_part.iter() if e.tag == "em"] == ["em"]  # the note's Markdown
    concerns = definition(statement, "Concerns").text()
    assert "China" not in concerns and "Shanghai" not in concerns
    assert "Norway" not in definition(statement, "Took part").text()


def test_actors_are_tags_with_their_symbol_in_the_key(statement: Page) -> None:
    concerns = definition(statement, "Concerns")
    actors = [e for e in by_class(concerns, "sa-tag--actor")]
    assert [(a.text(), a.attrs["href"]) for a in actors] == [
        ("Fictional Front", "../../actors/fictional-front/")
    ]
    assert "△ actor" in by_class(concerns, "sa-key")[0].text()


def test_the_series_is_linked_with_its_round_and_the_rounds_around_it(
    statement: Page, pages: dict[str, str]
) -> None:
    series = definition(statement, "Series")
    assert series.text().startswith("Fictional Harbour Talks, Round 3 Previous round:")
    links = [(a.text(), a.attrs["href"]) for a in series.iter() if a.tag == "a"]
    assert links == [
        ("Fictional Harbour Talks", f"../../series/{SERIES}/"),
        ("Fictional joint statement of the Harbour Talks, round 2", f"../{ROUNDS[1]}/"),
    ]
    compare = definition(statement, "Compare")
    assert [(a.text(), a.attrs["href"]) for a in compare.iter() if a.tag == "a"] == [
        ("Compare with the previous round", f"../../compare/{ROUNDS[1]}/{ROUND}/")
    ]
    assert f"compare/{ROUNDS[1]}/{ROUND}.md" in pages
    middle = html_of(pages[f"statements/{ROUNDS[1]}.md"])
    around = definition(middle, "Series")
    assert "Previous round:" in around.text() and "Next round:" in around.text()
    assert [a.attrs["rel"] for a in around.iter() if a.tag == "a" and "rel" in a.attrs] == [
        "prev",
        "next",
    ]
    assert [a.text() for a in definition(middle, "Compare").iter() if a.tag == "a"] == [
        "Compare with the previous round",
        "Compare with the next round",
    ]


def test_sources_say_their_kind_in_words_and_supplied_titles_are_bracketed(
    statement: Page,
) -> None:
    items = [li for div in by_class(statement, "sa-sources") for li in div.iter() if li.tag == "li"]
    kinds = [by_class(li, "sa-source-kind")[0].text() for li in items]
    assert kinds == [
        "Reproduction of the full text, in English, by Example Agency",
        "Readout — an account of the meeting, not the statement's text",
        "Unofficial translation from Russian into English, by Example Wire",
        "News report",
    ]
    supplied = by_class(items[0], "sa-supplied")[0]
    assert supplied.text() == "[Text of the joint statement of the third Harbour Talks]"
    assert "supplied by the archive" in supplied.attrs["title"]
    assert "(title supplied by the archive: the source shows none)" in items[0].text()
    assert not by_class(items[1], "sa-supplied")


def test_excerpts_show_their_paragraph_label_sources_tags_and_variant(
    statement: Page,
) -> None:
    figures = [f for f in statement.elements("figure") if "sa-excerpt" in f.classes()]
    labels = [[seen(e) for e in by_class(f, "sa-para")] for f in figures]
    assert labels == [["¶ 2"], ["¶ 3"], ["Preamble"]]
    assert by_class(figures[0], "sa-para")[0].text() == "¶Paragraph 2"  # read out: Paragraph 2
    first = figures[0]
    assert [a.text() for a in by_class(first, "sa-tag--topic")] == ["Regional security"]
    caption = next(e for e in first.iter() if e.tag == "figcaption").text()
    assert caption == (
        "Verbatim, as quoted in [Text of the joint statement of the third Harbour Talks],"
        " Example Agency; and in The Harbour Talks statement in English, Example Wire"
    )
    # the original's paragraph anchors are unchanged: numbered through the section
    assert {"afghanistan--p1", "afghanistan--p2", "preamble--p1"} <= statement.ids
    variant = by_class(statement, "sa-variant")[0]
    assert "as worded in Talks end in the harbour, Example News" in variant.text()
    quote = next(e for e in variant.iter() if e.tag == "blockquote")
    assert [e.text() for e in quote.iter() if e.tag == "del"] == ["truly"]
    assert [e.text() for e in quote.iter() if e.tag == "ins"] == ["genuinely"]


# --- hubs -------------------------------------------------------------------------------------


def section_items(page: Page) -> list[Element]:
    return [
        li
        for ol in by_class(page, "sa-list--sections")
        for li in ol.children
        if isinstance(li, Element) and li.tag == "li"
    ]


def titles(items: list[Element]) -> list[str]:
    return [by_class(li, "sa-item__title")[0].text() for li in items]


def test_each_section_is_once_on_a_hub_and_a_tagged_passage_is_shown_in_full(
    pages: dict[str, str],
) -> None:
    hub = html_of(pages["topics/regional-security/index.md"])
    items = [li for li in section_items(hub) if "third Harbour Talks" in li.text()]
    assert titles(items) == ["Afghanistan"]
    item = items[0]
    assert seen(by_class(item, "sa-item__reach")[0]) == "¶ 2 tagged"
    quote = by_class(item, "sa-item__quote")[0].text()
    assert quote == f"{FILLER} {KEY_SENTENCE}", "the tagged passage, whole"
    assert len(quote) > HUB_EXCERPT_CHARS
    assert seen(by_class(item, "sa-item__para")[0]) == "¶ 2"


def test_a_long_first_excerpt_is_cut_at_a_sentence_end(pages: dict[str, str]) -> None:
    hub = html_of(pages["countries/af/index.md"])
    item = next(li for li in section_items(hub) if "third Harbour Talks" in li.text())
    assert by_class(item, "sa-item__reach")[0].text() == "tagged on this section"
    quote = by_class(item, "sa-item__quote")[0].text()
    assert quote.endswith(". […]") and len(quote) <= HUB_EXCERPT_CHARS + 5
    assert FILLER.startswith(quote.removesuffix(" […]"))


def test_forum_hub_lists_its_own_statements_with_their_sections_once_each(
    pages: dict[str, str],
) -> None:
    hub = html_of(pages["forums/arctic-dialogue/index.md"])
    items = [li for li in section_items(hub) if "Harbour Talks" in li.text()]
    assert titles(items) == ["Afghanistan", "Afghanistan", "Afghanistan", "Opening words"]
    assert [by_class(li, "sa-item__reach")[0].text() for li in items] == [
        "issued in this forum"
    ] * 4
    links = [(by_class(li, "sa-item__title")[0].attrs["href"]) for li in items]
    assert len(links) == len(set(links)), "each section once"
    issued = [li for li in hub.elements("li") if by_class(li, "sa-item__sections")]
    assert any("Sections: Afghanistan · Opening words" in li.text() for li in issued)


def test_participation_is_listed_apart_and_not_counted_as_about(pages: dict[str, str]) -> None:
    hub = html_of(pages["countries/cn/index.md"])
    text = pages["countries/cn/index.md"]
    assert "## Took part in, as guest {#hub--participated}" in text
    heading_at = text.index("{#hub--participated}")
    listed = html_of(text[heading_at:])
    assert [by_class(li, "sa-item__title")[0].text() for li in listed.elements("li")][:1] == [
        "Fictional joint statement of the third Harbour Talks"
    ]
    assert by_class(listed, "sa-item__meta")[0].text().startswith("As guest · 14 May 2026")
    before = html_of(text[:heading_at])
    assert "third Harbour Talks" not in before.root.text()
    assert "took part in 1" in by_class(hub, "sa-counts")[0].text()
    sco = pages["forums/sco/index.md"]
    assert "## Took part in, as observer {#hub--participated}" in sco


# --- series -----------------------------------------------------------------------------------


def test_the_series_page_lists_the_rounds_in_order_with_compare_links(
    pages: dict[str, str],
) -> None:
    page = html_of(pages[f"series/{SERIES}/index.md"])
    items = [li for ol in by_class(page, "sa-series-list") for li in ol.iter() if li.tag == "li"]
    assert [by_class(li, "sa-round")[0].text() for li in items] == ["Round 1", "Round 2", "Round 3"]
    assert [by_class(li, "sa-item__title")[0].attrs["href"] for li in items] == [
        f"../../statements/{s}/" for s in ROUNDS
    ]
    assert by_class(items[2], "sa-item__meta")[0].text() == (
        "14 May 2026 · Example Harbour · Joint statement · Norway, Iceland, Arctic Dialogue"
        " (fictional)"
    )
    compares = [
        [a.attrs["href"] for a in by_class(li, "sa-item__compare")[0].iter() if a.tag == "a"]
        if by_class(li, "sa-item__compare")
        else []
        for li in items
    ]
    assert compares == [
        [],
        [f"../../compare/{ROUNDS[0]}/{ROUNDS[1]}/"],
        [f"../../compare/{ROUNDS[1]}/{ROUND}/"],
    ]
    assert "invented" in by_class(page, "sa-hub__description")[0].text()
    assert [a.attrs["href"] for a in by_class(page, "sa-tag--forum")] == [
        "../../forums/arctic-dialogue/"
    ]
    index = html_of(pages["series/index.md"])
    rows = [[td.text() for td in tr.iter() if td.tag == "td"] for tr in index.elements("tr")]
    assert ["Fictional Harbour Talks", "3", "10 May 2024", "14 May 2026"] in rows


def test_the_series_feed_holds_its_statements(pages: dict[str, str]) -> None:
    feed = feedparser.parse(pages[f"series/{SERIES}/feed.xml"])
    assert feed.feed.id == f"tag:statement-archive.github.io,2026:feed/series/{SERIES}"
    assert sorted(e.id.rsplit("/", 1)[-1] for e in feed.entries) == sorted(ROUNDS)


# --- actors -----------------------------------------------------------------------------------


def test_the_actor_hub_exists_with_its_details_and_feed(pages: dict[str, str]) -> None:
    text = pages["actors/fictional-front/index.md"]
    hub = html_of(text)
    assert by_class(hub, "sa-hub__kind")[0].text() == "Actor · FF"
    meta = [e.text() for e in hub.elements("dl")[0].iter() if e.tag in ("dt", "dd")]
    assert meta == [
        "Kind",
        "Armed group",
        "Also called",
        "The Front",
        "Website",
        "https://example.org/fictional/front",
    ]
    assert titles(section_items(hub)) == ["Afghanistan", "Opening words"]
    assert {by_class(li, "sa-item__reach")[0].text() for li in section_items(hub)} == {
        "on the whole statement"
    }
    feed = feedparser.parse(pages["actors/fictional-front/feed.xml"])
    assert [e.id.rsplit("/", 1)[-1] for e in feed.entries] == [ROUND]
    listing = html_of(pages["actors/index.md"])
    assert "Fictional Front" in [a.text() for a in listing.elements("a")]


def test_no_page_has_a_section_twice(pages: dict[str, str]) -> None:
    for path, text in pages.items():
        if not path.endswith("index.md") or "sa-list--sections" not in text:
            continue
        hrefs = re.findall(r'<a class="sa-item__title" href="([^"]+#[^"]+)"', text)
        assert len(hrefs) == len(set(hrefs)), path
