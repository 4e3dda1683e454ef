"""Statements per year (scripts/render/charts.py): the chart alone, then on the built fixture site.

Alone: one bar per year with a statement and an empty slot per year between, heights in
proportion, a <title> on each ("2021: 3 statements"), an accessible name, the same counts as a
table, nothing for no statements, nothing but integers accepted, well-formed SVG that Markdown
leaves as it is, and a width that fits a phone's column with its 12 px text.

Built: every hub's chart and the timeline's show, year by year, the statements that the
statement files (read independently of the code) give that hub.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import markdown
import pytest
import yaml
from markupsafe import Markup
from support.archive import FIXTURE, read_statements
from support.html import Element, Site

from scripts.pipeline import Archive, site_config
from scripts.render import jobs, paging
from scripts.render.charts import (
    FONT,
    MAX_BARS,
    WIDTH,
    bars,
    statements_per_year,
    summary,
    undated,
    year_chart,
    year_table,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Markup) -> ET.Element:
    return ET.fromstring(str(chart))


def drawn(chart: Markup) -> dict[int, int]:
    """Year → count of each drawn bar."""
    return {
        int(rect.attrib["data-year"]): int(rect.attrib["data-count"])
        for rect in parse(chart).iter(f"{SVG}rect")
        if rect.attrib.get("class") == "sa-chart__bar"
    }


def titles(chart: Markup) -> list[str]:
    return [title.text or "" for title in parse(chart).iter(f"{SVG}title")]


# --- the chart alone ---------------------------------------------------------------------------


def test_one_bar_per_year_with_statements_and_a_slot_for_each_year_between() -> None:
    chart = year_chart({2021: 3, 2024: 1, 2025: 2})
    assert drawn(chart) == {2021: 3, 2024: 1, 2025: 2}
    assert titles(chart) == [
        "2021: 3 statements",
        "2022: 0 statements",
        "2023: 0 statements",
        "2024: 1 statement",
        "2025: 2 statements",
    ]


def test_bar_heights_are_in_proportion_to_the_counts() -> None:
    rects = [
        rect
        for rect in parse(year_chart({2020: 4, 2021: 2, 2022: 1})).iter(f"{SVG}rect")
        if rect.attrib.get("class") == "sa-chart__bar"
    ]
    heights = {int(r.attrib["data-year"]): float(r.attrib["height"]) for r in rects}
    assert heights[2020] == pytest.approx(2 * heights[2021], abs=0.1)
    assert heights[2021] == pytest.approx(2 * heights[2022], abs=0.1)
    bottoms = {float(r.attrib["y"]) + float(r.attrib["height"]) for r in rects}
    assert len({round(b) for b in bottoms}) == 1, "bars stand on one baseline"


def test_the_order_of_the_mapping_does_not_matter() -> None:
    assert year_chart({2025: 2, 2021: 3}) == year_chart({2021: 3, 2025: 2})


def test_the_chart_has_an_accessible_name_of_numbers_only() -> None:
    svg = parse(year_chart({2021: 3, 2024: 1, 2025: 2}))
    assert svg.attrib["role"] == "img"
    assert svg.attrib["aria-label"] == (
        "Bar chart of statements per year, 2021 to 2025: 6 statements in all, most in 2021 (3)."
    )
    assert summary({2026: 1}) == "Bar chart: 1 statement, all in 2026."


def test_the_table_gives_every_bar_its_count() -> None:
    table = ET.fromstring(str(year_table({2021: 3, 2023: 1})))
    rows = [
        (row.find("th").text, row.find("td").text)  # type: ignore[union-attr]
        for row in table.iter("tr")
        if row.find("td") is not None
    ]
    assert rows == [("2021", "3"), ("2022", "0"), ("2023", "1")]
    assert [th.attrib["scope"] for th in table.iter("th")][:2] == ["col", "col"]


@pytest.mark.parametrize("counts", [{}, {2021: 0}, {2021: 0, 2022: 0}])
def test_no_statements_give_no_chart_and_no_table(counts: dict[int, int]) -> None:
    assert year_chart(counts) == Markup("")
    assert year_table(counts) == Markup("")
    assert summary(counts) == ""
    assert bars(counts) == []


@pytest.mark.parametrize(
    "counts",
    [
        {"2021": 3},
        {2021: "3"},
        {2021: 3.0},
        {True: 3},
        {2021: True},
        {"<script>alert(1)</script>": 1},
    ],
)
def test_only_integers_reach_the_chart(counts: dict[Any, Any]) -> None:
    with pytest.raises(TypeError):
        year_chart(counts)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        year_chart({2021: -1})


def test_a_long_span_is_drawn_in_buckets_of_years() -> None:
    counts = {1648: 1, 1945: 2, 2025: 3, 2026: 4}
    slots = bars(counts)
    assert len(slots) <= MAX_BARS
    assert sum(bar.count for bar in slots) == 10
    assert slots[0].title == "1640\N{EN DASH}1649: 1 statement"
    assert slots[-1].title == "2020\N{EN DASH}2029: 7 statements"
    assert "1940\N{EN DASH}1949: 2 statements" in titles(year_chart(counts))


def test_the_svg_is_well_formed_and_markdown_leaves_it_as_it_is() -> None:
    chart = year_chart({2019: 1, 2021: 12, 2026: 5})
    assert "\n\n" not in chart and not re.search(r"^\s", str(chart), re.MULTILINE)
    block = f'<div class="sa-hub">\n{chart}\n{year_table({2021: 1})}\n</div>\n'
    html = markdown.Markdown(extensions=["attr_list", "toc"]).convert(block)
    assert str(chart) in html


@pytest.mark.parametrize("years", [1, 2, 7, 27, MAX_BARS, 300])
def test_the_chart_fits_a_phone_and_its_year_labels_do_not_touch(years: int) -> None:
    svg = parse(year_chart({2026 - i: 1 + i % 5 for i in range(years)}))
    assert float(svg.attrib["width"]) <= WIDTH <= 390 - 2 * 16  # a phone's text column
    assert svg.attrib["viewBox"] == f"0 0 {svg.attrib['width']} {svg.attrib['height']}"
    labels = [t for t in svg.iter(f"{SVG}text") if t.attrib.get("class") == "sa-chart__label"]
    assert labels
    assert {t.attrib["font-size"] for t in svg.iter(f"{SVG}text")} == {str(FONT)}
    xs = [float(t.attrib["x"]) for t in labels]
    label_width = 4 * FONT * 0.6
    assert all(b - a >= label_width for a, b in itertools.pairwise(xs))
    assert xs[0] - label_width / 2 >= 0 and xs[-1] + label_width / 2 <= float(svg.attrib["width"])


def test_statements_per_year_counts_dated_statements_only(archive: Archive) -> None:
    expected = Counter(s.date.year for s in archive.statements if s.date)
    assert statements_per_year(archive.statements) == dict(expected)
    assert list(statements_per_year(archive.statements)) == sorted(expected)
    assert undated(archive.statements) == sum(1 for s in archive.statements if not s.date) > 0


# --- on the built fixture site -----------------------------------------------------------------


@pytest.fixture(scope="module")
def site(fixture_site: Site) -> Site:
    """The fixture archive as built for the whole session."""
    return fixture_site


@pytest.fixture(scope="module")
def expected() -> dict[str, Counter[int]]:
    """Site path of each hub, and the timeline → its dated statements per year, from the
    statement files as plain text (a broader topic's hub: its narrower topics' too, by the
    `parent`s of topics.yml)."""
    topics = yaml.safe_load((FIXTURE / "data" / "topics.yml").read_text(encoding="utf-8"))
    parent = {t["id"]: t.get("parent") for t in topics}
    found: dict[str, Counter[int]] = {}
    for statement in read_statements(FIXTURE):
        if "date" not in statement:
            continue
        hubs = {f"countries/{code.lower()}/" for code in statement.get("parties", [])}
        if "issuing_forum" in statement:
            hubs.add(f"forums/{statement['issuing_forum']}/")
        excerpts = [e for section in statement["sections"] for e in section.get("excerpts", [])]
        for node in (statement, *statement["sections"], *excerpts):  # excerpt tags count too
            for folder in ("countries", "forums", "topics", "actors"):
                hubs |= {f"{folder}/{tag.lower()}/" for tag in node.get(folder, [])}
            for topic in node.get("topics", []):
                while parent.get(topic):
                    topic = parent[topic]
                    hubs.add(f"topics/{topic}/")
        for url in (*hubs, "timeline/"):
            found.setdefault(url, Counter())[int(statement["date"][:4])] += 1
    return found


def bars_of(chart: Element) -> dict[int, int]:
    return {
        int(rect.attrs["data-year"]): int(rect.attrs["data-count"])
        for rect in chart.iter()
        if rect.tag == "rect" and "sa-chart__bar" in rect.classes()
    }


def chart_of(site: Site, url: str) -> Element | None:
    charts = [e for e in site.page(url).elements("svg") if "sa-chart__svg" in e.classes()]
    assert len(charts) <= 1, url
    return charts[0] if charts else None


def test_every_hub_chart_matches_the_hub_s_statements(
    site: Site, expected: dict[str, Counter[int]]
) -> None:
    hubs = [
        url
        for url in site.urls()
        if re.fullmatch(r"(countries|forums|topics|actors)/[^/]+/", url)
        and "sa-hub" in {c for e in site.page(url).elements("div") for c in e.classes()}
    ]
    assert len(hubs) >= 10
    for url in hubs:
        chart = chart_of(site, url)
        counts = expected.get(url, Counter())
        if not counts:
            assert chart is None, f"{url}: a chart with no dated statement"
            continue
        assert chart is not None, f"{url}: no chart"
        assert bars_of(chart) == dict(counts), url
        years = range(min(counts), max(counts) + 1)
        assert [e.text() for e in chart.iter() if e.tag == "title"] == [
            f"{y}: {counts[y]} statement{'' if counts[y] == 1 else 's'}" for y in years
        ], url
        assert chart.attrs["role"] == "img" and chart.attrs["aria-label"], url
        # The table beside it says the same.
        figure = chart.parent
        assert figure is not None and figure.tag == "figure", url
        rows = [
            tuple(cell.text() for cell in row.children if isinstance(cell, Element))
            for row in figure.iter()
            if row.tag == "tr" and row.parent is not None and row.parent.tag == "tbody"
        ]
        assert rows == [(str(y), str(counts[y])) for y in years], url


def test_the_timeline_chart_counts_every_dated_statement(
    site: Site, expected: dict[str, Counter[int]]
) -> None:
    chart = chart_of(site, "timeline/")
    assert chart is not None
    assert bars_of(chart) == dict(expected["timeline/"])
    assert chart.parent is not None
    caption = next(e for e in chart.parent.iter() if e.tag == "figcaption")
    assert caption.text() == "Statements per year (1 undated not shown)"


def test_a_split_hub_has_the_chart_of_all_its_years_on_its_overview_only(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With pages small enough, the fixture's hubs split by year: the overview's chart still
    counts every year, and the year pages carry none."""
    monkeypatch.setattr(paging, "HUB_PAGE_SECTIONS", 1)
    monkeypatch.setattr(paging, "HUB_PAGE_STATEMENTS", 1)
    rendered = jobs.render_site(archive.index, archive.vocabularies, site_config(FIXTURE))
    hub = archive.index.hubs[("country", "RU")]
    assert paging.hub_parts(hub), "the hub is split"
    overview = rendered["countries/ru/index.md"]
    per_year = Counter(s.date.year for s in hub.statements if s.date)
    assert len(per_year) > 1
    assert str(year_chart(dict(per_year))) in overview
    year_pages = [path for path in rendered if re.fullmatch(r"countries/ru/.+/index\.md", path)]
    assert year_pages
    assert not [path for path in year_pages if "sa-chart" in rendered[path]]
