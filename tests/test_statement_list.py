"""The table of every statement (/statements/): every statement listed, newest first, without
JavaScript; in the browser, sorted by a heading and narrowed as one types."""

from __future__ import annotations

from support.archive import FIXTURE, read_statements
from support.browser import Tab, assert_accessible
from support.html import Site


def test_the_table_lists_every_statement_newest_first(fixture_site: Site) -> None:
    page = fixture_site.page("statements/")
    rows = [e for e in page.elements("tr") if e.parent is not None and e.parent.tag == "tbody"]
    assert len(rows) == len(read_statements(FIXTURE))
    first_cells = [next(c for c in row.children if not isinstance(c, str)) for row in rows]
    dated = [d for cell in first_cells if (d := cell.attrs.get("data-value", ""))]
    assert dated == sorted(dated, reverse=True)
    assert page.link_targets() >= {f"statements/{s['id']}/" for s in read_statements(FIXTURE)}


def titles(tab: Tab) -> list[str]:
    links = tab.page.locator(".sa-statements__table tbody tr:not([hidden]) td:nth-child(2) a")
    return [text.strip() for text in links.all_inner_texts()]


def test_sorting_and_narrowing_in_the_browser(tab: Tab) -> None:
    tab.open("statements/")
    newest_first = titles(tab)
    tab.page.get_by_role("button", name="Title").click()
    assert titles(tab) == sorted(newest_first, key=str.lower)
    tab.page.get_by_role("button", name="Title").click()
    assert titles(tab) == sorted(newest_first, key=str.lower, reverse=True)
    tab.page.fill("#sa-statements-filter", "iran")
    assert titles(tab) == [t for t in newest_first if "Iran" in t]
    assert "1 of" in tab.page.locator(".sa-statements__count").inner_text()
    assert_accessible(tab, "/statements/")
    tab.assert_clean()
