"""The search page in a real browser, where a reader looks: quoted phrases, the order by date, the
statements' own words only, the year chart, the label of every snippet, a word found nowhere,
accessibility and the keyboard (issue 12). The fixture archive is the session's shared build,
served on 127.0.0.1 and read with Chromium at a desktop and a phone width
(tests/support/browser.py). What is expected is worked out from the fixture's data, not written
down: a test reads the statements' YAML and says which of them should be found.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from support.archive import FIXTURE, read_statements
from support.browser import Tab, assert_accessible, expect
from support.html import SITE_PATH, Site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SEARCH = "search/"
RESULT = "#sa-search-results > li.sa-search__result"
STATUS = "#sa-search-status"
SNIPPET = "#sa-search-results p.sa-search__excerpt"
BAR = "#sa-search-years g.sa-search__bar"

STATEMENTS = read_statements(FIXTURE)
"""The fixture's statements as their YAML says them."""


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    assert (built_site / "pagefind" / "editorial" / "pagefind-entry.json").is_file()
    return built_site


def path_of(statement: dict[str, Any]) -> str:
    return f"statements/{statement['id']}/"


def words_of(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"\w+", text)}


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def verbatim_texts(statement: dict[str, Any]) -> list[str]:
    """The statement's own words: its excerpts and their originals."""
    texts = []
    for section in statement["sections"]:
        for excerpt in section.get("excerpts", []):
            texts.append(excerpt["text"])
            if excerpt.get("original"):
                texts.append(excerpt["original"]["text"])
    return texts


def editorial_texts(statement: dict[str, Any]) -> list[str]:
    """The archive's words on a statement: title, summary, headings, section summaries, notes."""
    texts = [statement["title"], statement.get("summary", "")]
    for section in statement["sections"]:
        texts += [section["heading"], section.get("summary", "")]
        texts += [annotation["note"] for annotation in section.get("annotations", [])]
    return texts


def open_search(tab: Tab, address: str) -> None:
    """Open the search page at `address` (its query string) and wait for the search to end."""
    tab.open(f"{SEARCH}{address}")
    expect(tab.page.locator("#sa-search")).to_be_visible()
    expect(tab.page.locator("#sa-search[aria-busy]")).to_have_count(0)
    expect(tab.page.locator(STATUS)).not_to_be_empty()


def address(**params: str) -> str:
    return "?" + "&".join(f"{key}={quote_plus(value)}" for key, value in params.items())


def shown(tab: Tab) -> list[str]:
    """The site paths of the statements listed, in order."""
    hrefs = tab.page.locator(f"{RESULT} a.sa-search__result-link").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    return [str(href).removeprefix(SITE_PATH) for href in hrefs]


# --- a phrase in quotation marks ---------------------------------------------------------------


def having(phrase: str) -> set[str]:
    """The statements with the phrase, as written (case and spaces aside), in one of their texts."""
    return {
        path_of(s)
        for s in STATEMENTS
        if any(normalise(phrase) in normalise(t) for t in verbatim_texts(s) + editorial_texts(s))
    }


def with_every_word(words: str) -> set[str]:
    """The statements with each of the words in one of their texts."""
    return {
        path_of(s)
        for s in STATEMENTS
        if set(words.split()) <= set().union(*map(words_of, verbatim_texts(s) + editorial_texts(s)))
    }


PHRASE = "keep the lights burning"


def test_a_quoted_phrase_finds_only_the_statements_that_have_it(tab: Tab, site: Path) -> None:
    expected = having(PHRASE)
    assert expected and expected < with_every_word(PHRASE), "the fixture no longer tells apart"
    open_search(tab, address(q=PHRASE))
    assert set(shown(tab)) == with_every_word(PHRASE)
    open_search(tab, address(q=f'"{PHRASE}"'))
    assert set(shown(tab)) == expected
    # Typographic quotation marks, as a phone types them, and a phrase with another word.
    open_search(tab, address(q=f"“{PHRASE}” harbour"))
    assert set(shown(tab)) == expected & with_every_word("harbour")
    tab.assert_clean()


def test_a_quoted_phrase_in_the_wrong_order_finds_nothing(tab: Tab, site: Path) -> None:
    assert not having("burning lights")
    open_search(tab, address(q='"burning lights"'))
    expect(tab.page.locator(STATUS)).to_have_text('Nothing found for “"burning lights"”.')
    expect(tab.page.locator(RESULT)).to_have_count(0)


# --- a word found nowhere ----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["tozzz", "Tolqun", "harbour tozzz"])
def test_a_word_in_no_statement_finds_nothing(tab: Tab, site: Path, word: str) -> None:
    """Pagefind would widen 'tozzz' to 'to' and pass over it beside a real word."""
    everything = " ".join(str(s) for s in STATEMENTS).lower()
    assert all(w.lower() not in everything for w in word.split() if w != "harbour")
    open_search(tab, address(q=word))
    expect(tab.page.locator(STATUS)).to_have_text(f"Nothing found for “{word}”.")
    expect(tab.page.locator(RESULT)).to_have_count(0)
    expect(tab.page.locator("#sa-search-years")).to_be_hidden()
    tab.assert_clean()


@pytest.mark.parametrize(
    ("words", "statement"),
    [
        ("condemns", "2026-03-12-fictional-norway-iceland-statement"),  # stemmed: condemn
        ("terror", "2026-03-12-fictional-norway-iceland-statement"),  # the start of a word
        ("北极航运", "2026-04-fictional-chinese-statement"),  # segmented
        ("рыбные", "2025-fictional-arctic-dialogue-declaration"),  # Russian, stemmed
    ],
)
def test_real_words_are_still_found_by_stem_start_and_segment(
    tab: Tab, site: Path, words: str, statement: str
) -> None:
    open_search(tab, address(q=words))
    assert f"statements/{statement}/" in shown(tab)


# --- the statements' own words only ------------------------------------------------------------


def note_only_word(site: Site) -> tuple[str, set[str]]:
    """A word that is in a note and in nothing else of any statement page as built (not an
    excerpt, a title, a heading, a summary, a label), not even as a word of the same stem (its
    first five letters are the note's alone), and the statements whose notes have it."""
    elsewhere: set[str] = set()
    in_notes: dict[str, set[str]] = {}
    for s in STATEMENTS:
        page = site.page(path_of(s))
        for item in page.root.iter():
            if "sa-notes" in item.classes():
                for word in words_of(item.text()):
                    in_notes.setdefault(word, set()).add(path_of(s))
        elsewhere |= words_of(page.root.text(skip=lambda e: "sa-notes" in e.classes()))
    candidates = sorted(
        w
        for w in in_notes
        if len(w) > 6 and w.isalpha() and not any(e.startswith(w[:5]) for e in elsewhere)
    )
    assert candidates, "the fixture has no word only in a note"
    return candidates[0], in_notes[candidates[0]]


def test_the_statements_own_words_only_leaves_out_a_word_in_a_note(
    tab: Tab, site: Path, fixture_site: Site
) -> None:
    word, statements = note_only_word(fixture_site)
    open_search(tab, address(q=word))
    assert set(shown(tab)) == statements
    labels = tab.page.locator(f"{SNIPPET} .sa-search__kind").all_inner_texts()
    assert labels and all(label.startswith("The archive's note") for label in labels), labels
    # The choice on the page, and in the address.
    tab.page.locator("#sa-search-verbatim").check()
    expect(tab.page.locator(STATUS)).to_have_text(
        f"Nothing found for “{word}” in the statements' own words."
    )
    assert "text=verbatim" in tab.page.url
    # The address alone chooses it.
    open_search(tab, address(q=word, text="verbatim"))
    expect(tab.page.locator("#sa-search-verbatim")).to_be_checked()
    expect(tab.page.locator(RESULT)).to_have_count(0)
    tab.assert_clean()


def test_the_statements_own_words_only_still_finds_them(tab: Tab, site: Path) -> None:
    open_search(tab, address(q="harbour", text="verbatim"))
    expected = {
        path_of(s) for s in STATEMENTS if any("harbour" in words_of(t) for t in verbatim_texts(s))
    }
    assert set(shown(tab)) == expected
    kinds = tab.page.locator(SNIPPET).evaluate_all("ps => ps.map(p => p.dataset.text)")
    assert kinds and set(kinds) == {"verbatim"}


# --- ordered by date ---------------------------------------------------------------------------


def newest_first(paths: set[str]) -> list[str]:
    """By the date as written (2026-03-12, 2026-02, 2025), the latest first; undated last."""
    dates = {path_of(s): str(s.get("date") or "") for s in STATEMENTS}
    dated = sorted((p for p in paths if dates[p]), key=lambda p: dates[p], reverse=True)
    return dated + sorted(p for p in paths if not dates[p])


def test_sort_by_date_lists_the_newest_first(tab: Tab, site: Path) -> None:
    open_search(tab, address(q="arctic"))
    by_relevance = shown(tab)
    assert len(by_relevance) > 2
    tab.page.locator("#sa-search-sort").select_option("date")
    expect(tab.page.locator(STATUS)).to_contain_text("newest first")
    by_date = shown(tab)
    assert by_date == newest_first(set(by_relevance))
    assert by_date != by_relevance, "the fixture no longer tells the orders apart"
    assert "sort=date" in tab.page.url and "q=arctic" in tab.page.url
    # From the address, with a facet kept beside it.
    open_search(tab, address(q="arctic", sort="date", year="2026"))
    expect(tab.page.locator("#sa-search-sort")).to_have_value("date")
    assert shown(tab) == newest_first({p for p in by_relevance if "/2026-" in p})
    tab.assert_clean()


# --- the year chart ----------------------------------------------------------------------------


def year_of(path: str) -> str:
    (statement,) = (s for s in STATEMENTS if path_of(s) == path)
    date = str(statement.get("date") or "")
    return date[:4] if date else "Undated"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "arctic"},
        {"q": "arctic", "text": "verbatim"},
        {"q": "harbour", "country": "Sweden"},
        {"q": "participants", "sort": "date"},
    ],
    ids=["words", "verbatim", "facet", "by-date"],
)
def test_the_year_chart_counts_the_statements_shown(
    tab: Tab, site: Path, params: dict[str, str]
) -> None:
    open_search(tab, address(**params))
    more = tab.page.locator("#sa-search-more")
    while more.is_visible():
        more.click()
    paths = shown(tab)
    assert paths
    bars = tab.page.locator(BAR).evaluate_all(
        "gs => gs.map(g => [g.dataset.year, Number(g.dataset.count),"
        " g.querySelector('title').textContent])"
    )
    expected: dict[str, int] = {}
    for path in paths:
        expected[year_of(path)] = expected.get(year_of(path), 0) + 1
    assert {year: count for year, count, _ in bars} == expected
    for year, count, title in bars:
        assert title == f"{year}: {count} statement{'s' if count > 1 else ''}"
    years = [year for year, _, _ in bars]
    assert years == sorted(years, key=lambda y: (y == "Undated", y)), "one bar a year, in order"
    count = len(paths)
    expect(tab.page.locator(STATUS)).to_contain_text(
        f"{count} statement{'s' if count > 1 else ''} found"
    )


# --- every snippet says what text it is --------------------------------------------------------

BLOCKS_JS = """async (url) => {
    const html = await (await fetch(url)).text();
    const page = new DOMParser().parseFromString(html, "text/html");
    page.querySelectorAll(".sa-noteref, .sa-anchor, .sa-notes__quote, .headerlink")
        .forEach((e) => e.remove());
    const text = (e) => e.textContent.replace(/\\s+/g, " ").trim().toLowerCase();
    return {
        verbatim: [...page.querySelectorAll(".sa-excerpt blockquote p")].map(text),
        note: [...page.querySelectorAll(".sa-notes > li")].map(text),
    };
}"""


@pytest.mark.parametrize("words", ["arctic", "harbour", "rescue", "coordination"])
def test_every_snippet_is_labelled_and_from_one_text(tab: Tab, site: Path, words: str) -> None:
    """A snippet of the statement's words is inside one paragraph of one excerpt (or its
    original); a note's snippet inside one note: never an excerpt and a note run together."""
    open_search(tab, address(q=words))
    results = tab.page.locator(RESULT)
    assert results.count()
    kinds_seen = set()
    for index in range(results.count()):
        result = results.nth(index)
        url = result.get_attribute("data-url")
        blocks = tab.page.evaluate(BLOCKS_JS, url)
        for snippet in result.locator("p.sa-search__excerpt").all():
            label = snippet.locator(".sa-search__kind").inner_text()
            kind = snippet.get_attribute("data-text")
            kinds_seen.add(kind)
            assert label.startswith(
                "The statement's words" if kind == "verbatim" else "The archive's"
            ), label
            text = normalise(snippet.locator(".sa-search__text").inner_text())
            text = text.removeprefix("… ").removesuffix(" …")
            if kind == "verbatim":
                assert any(text in block for block in blocks["verbatim"]), (url, text)
            if label.startswith("The archive's note"):
                assert any(text in block for block in blocks["note"]), (url, text)
                assert not any(text in block for block in blocks["verbatim"]), (url, text)
    if words == "arctic":  # in excerpts and in the archive's text alike
        assert kinds_seen == {"verbatim", "editorial"}


def test_source_titles_and_publishers_are_found_and_labelled(tab: Tab, site: Path) -> None:
    publisher = "Gazette"
    expected = {
        path_of(s)
        for s in STATEMENTS
        if any(
            publisher in str(source.get("publisher", "")) + str(source.get("title", ""))
            for source in s.get("sources", [])
        )
    }
    assert expected
    open_search(tab, address(q=publisher))
    assert set(shown(tab)) == expected
    sections = tab.page.locator(f"{RESULT} a.sa-search__section-link").all_inner_texts()
    assert set(sections) == {"Sources"}
    labels = tab.page.locator(f"{SNIPPET} .sa-search__kind").all_inner_texts()
    assert labels and all(label.startswith("The archive's") for label in labels), labels
    open_search(tab, address(q=publisher, text="verbatim"))
    expect(tab.page.locator(RESULT)).to_have_count(0)


# --- accessibility and the keyboard ------------------------------------------------------------


def test_the_search_page_with_every_option_passes_axe(tab: Tab, site: Path) -> None:
    open_search(tab, address(q=f'"{PHRASE}" harbour', sort="date"))
    expect(tab.page.locator(BAR)).not_to_have_count(0)
    tab.page.locator("details.sa-search__help summary").click()
    assert_accessible(tab, "the search page with a phrase, the order by date and the chart")
    open_search(tab, address(q="arctic", text="verbatim"))
    assert_accessible(tab, "the search page with the statements' own words only")
    tab.assert_clean()


FOCUS_JS = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    return [e.id, style.outlineStyle, parseFloat(style.outlineWidth)];
}"""


def test_the_choices_work_from_the_keyboard_with_focus_visible(tab: Tab, site: Path) -> None:
    page = tab.page
    open_search(tab, address(q="harbour"))
    page.locator("#sa-search-input").focus()
    seen = []
    for _ in range(6):
        page.keyboard.press("Tab")
        element_id, outline, width = page.evaluate(FOCUS_JS)
        seen.append(element_id)
        if element_id in ("sa-search-verbatim", "sa-search-sort"):
            assert outline != "none" and width > 0, f"no visible focus on #{element_id}"
        if element_id == "sa-search-verbatim":
            page.keyboard.press("Space")
            expect(page.locator("#sa-search-verbatim")).to_be_checked()
            expect(page.locator(STATUS)).to_contain_text("in the statements' own words")
        if element_id == "sa-search-sort":
            page.keyboard.press("ArrowDown")  # a focused <select> changes with the arrows
            expect(page.locator("#sa-search-sort")).to_have_value("date")
            break
    assert "sa-search-verbatim" in seen and "sa-search-sort" in seen, seen
    expect(page.locator(STATUS)).to_contain_text("newest first")
    assert "text=verbatim" in page.url and "sort=date" in page.url
    tab.assert_clean()
