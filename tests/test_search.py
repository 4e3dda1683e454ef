"""Search: the fixture archive is built with its Pagefind index, then queried without a browser.

Queries go through Pagefind's own JavaScript (the pagefind.js of the built bundle) in Node.js, the
way docs/assets/search.js uses it: the page bundle with the synthetic filter record=page, the
languages bundle merged in with record=language, filter-only searches limited to record=page.
Without `node` these tests skip; under CI (or REQUIRE_BROWSER=1, set by .ci/run) they fail.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.archive import FIXTURE, REPO, copy_archive, read_statements
from support.html import parse_html

import scripts.search as search_module
from scripts import pipeline
from scripts.commands import main
from scripts.dev.bench import pagefind_fetches
from scripts.model import Statement
from scripts.pipeline import prepare
from scripts.search import (
    BUNDLE,
    EDITORIAL,
    FACETS,
    FACETS_FILE,
    LANGUAGES,
    RECORDS_FILE,
    SORT,
    SearchIndexError,
    _entry,
    _read_pagefind_file,
    editorial_exclude_selectors,
    exclude_selectors,
    index_site,
    language_documents,
    site_language,
    statement_facets,
    statement_order,
)

pytestmark = pytest.mark.slow  # every test here builds a site, or uses one built

NODE = shutil.which("node")
REQUIRED = bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"))

QUERY_JS = r"""
// argv: site folder, JSON list of queries {term, filters, sort, merge, text}. Prints JSON.
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, queriesJson] = process.argv.slice(2);
// pagefind.js reads the page language from <html lang>; the search page is in the site language.
globalThis.document = { currentScript: null, querySelector: () => ({ getAttribute: () => "en" }) };
const fetched = [];
globalThis.fetch = async (input) => {
  const url = String(input).split("?")[0];
  const bytes = await readFile(fileURLToPath(url));
  fetched.push([url.slice(pathToFileURL(site).href.length), bytes.length]);
  return new Response(bytes);
};
const bundle = pathToFileURL(`${site}/pagefind/`).href;
const pagefind = await import(`${bundle}pagefind.js`);
// As docs/assets/search.js: meta is for showing a hit, never for finding one.
const ranking = { metaWeights: { title: 0, kind: 0, date: 0, iso: 0, sections: 0, language: 0 } };
const options = {
  basePath: bundle, baseUrl: "/", mergeFilter: { record: "page", text: "verbatim" }, ranking,
};
const pages = pagefind.createInstance(options);
const all = pagefind.createInstance(options);
await all.mergeIndex(`${bundle}editorial/`, {
  baseUrl: "/", mergeFilter: { record: "editorial", text: "editorial" }, ranking,
});
const list = JSON.parse(await readFile(fileURLToPath(`${bundle}languages/index.json`), "utf8"));
for (const language of list.languages) {
  await all.mergeIndex(`${bundle}languages/${language}/`, {
    language, baseUrl: "/", mergeFilter: { record: "language", text: "verbatim" }, ranking,
  });
}
// The sections a hit's words are in, by the headings' anchors before them (the statement bundle
// keeps the anchors of the headings it leaves out of its text).
function sections(data) {
  const headings = data.anchors
    .filter((a) => /^h[1-6]$/i.test(a.element) && a.id)
    .sort((a, b) => a.location - b.location);
  const found = new Set();
  for (const at of data.locations) {
    const heading = headings.filter((a) => a.location <= at).pop();
    if (heading && heading.id !== "statement--title") found.add(`${data.url}#${heading.id}`);
  }
  return [...found].map((url) => ({ url }));
}
const responses = [];
for (const query of JSON.parse(queriesJson)) {
  const instance = query.merge === false ? pages : all;
  // As docs/assets/search.js does: facets alone search for a word every statement's editorial
  // text has.
  const term = query.term ?? "kind";
  const filters = query.term ? { ...query.filters } : { ...query.filters, record: "editorial" };
  if (query.text) filters.text = query.text;
  const response = await instance.search(term, { filters, sort: query.sort ?? {} });
  let found = response.results.filter((r) => !query.term || r.score > 0);
  // As docs/assets/search.js does: every word of a query in the text of a hit (Pagefind passes
  // over a word that no indexed word matches, and counts words found in the meta only).
  const words = query.term && !/^\s*".+"\s*$/.test(term) ? term.split(/\s+/) : [];
  for (const word of words.length > 1 ? words : []) {
    const alone = await instance.search(word, { filters });
    const ids = new Set(alone.results.filter((r) => r.score > 0).map((r) => r.id));
    found = found.filter((r) => ids.has(r.id));
  }
  const results = [];
  for (const result of found) {
    const data = await result.data();
    results.push({
      url: data.url,
      meta: data.meta,
      filters: data.filters,
      content: data.content,
      sub_results: sections(data),
    });
  }
  responses.push(results);
}
// Filter counts over the editorial bundle: every statement has editorial text (one may have no
// excerpt in the site's language). Once every filter file is loaded, a search counts its results.
await all.filters();
const every = await all.search("kind", { filters: { record: "editorial" } });
console.log(JSON.stringify({ responses, filters: every.filters, fetched }));
"""

NORWAY_ICELAND = "/statements/2026-03-12-fictional-norway-iceland-statement/"
ARCTIC_DECLARATION = "/statements/2025-fictional-arctic-dialogue-declaration/"
CHINESE_STATEMENT = "/statements/2026-04-fictional-chinese-statement/"
IRAN_LETTER = "/statements/fictional-undated-iran-letter/"
ROUND_1 = "/statements/2025-05-14-fictional-harbour-consultations-round-1/"
ROUND_2 = "/statements/2025-11-20-fictional-harbour-consultations-round-2/"
ROUND_3 = "/statements/2026-02-fictional-harbour-consultations-round-3/"
HARBOUR = [ROUND_1, ROUND_2, ROUND_3]
"""The fixture's series of three rounds (with actors, guests, excerpt tags)."""


@pytest.fixture(scope="module")
def root(built_root: Path) -> Path:
    """The fixture archive, built: site/ with its search bundles (the session's shared build)."""
    return built_root


@pytest.fixture(scope="module")
def statements(root: Path) -> list[Statement]:
    problems, archive = prepare(root)
    assert archive is not None, problems
    return archive.statements


def require_node() -> None:
    if NODE is None:
        message = "Node.js (node) is needed to query the Pagefind index"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)


def node_script(tmp_path: Path, name: str, source: str) -> Path:
    require_node()
    script = tmp_path / name
    script.write_text(source, encoding="utf-8")
    return script


class Searcher:
    """Runs queries against a built site's index in Node.js."""

    def __init__(self, site: Path, script: Path) -> None:
        self.site = site
        self.script = script

    def run(self, *queries: dict[str, Any]) -> dict[str, Any]:
        assert NODE is not None
        completed = subprocess.run(
            [NODE, str(self.script), str(self.site), json.dumps(list(queries))],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
        result: dict[str, Any] = json.loads(completed.stdout)
        return result

    def __call__(
        self,
        term: str | None,
        filters: dict[str, Any] | None = None,
        *,
        merge: bool = True,
        sort: dict[str, str] | None = None,
        text: str | None = None,
    ) -> list[dict[str, Any]]:
        query = {"term": term, "filters": filters or {}, "merge": merge, "sort": sort, "text": text}
        responses: list[list[dict[str, Any]]] = self.run(query)["responses"]
        return responses[0]


@pytest.fixture(scope="module")
def search(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return Searcher(root / "site", node_script(tmp_path_factory.mktemp("node"), "q.mjs", QUERY_JS))


def urls(results: list[dict[str, Any]]) -> list[str]:
    """The statements found, each once (a statement may be found in several bundles)."""
    return list(dict.fromkeys(r["url"] for r in results))


def sub_urls(results: list[dict[str, Any]]) -> set[str]:
    return {sub["url"] for r in results for sub in r["sub_results"]}


# --- words ---------------------------------------------------------------------------------------


def test_every_excerpt_phrase_finds_its_statement_and_lands_on_its_section(
    search: Searcher, root: Path
) -> None:
    """Five words from the start of every excerpt in the site's language: the statement is found
    and a sub-result links to the section's anchor."""
    queries, expected = [], []
    for statement in read_statements(root):
        if statement.get("language", "en") != "en":
            continue
        for section in statement["sections"]:
            for excerpt in section.get("excerpts", []):
                phrase = " ".join(re.findall(r"[\w'-]+", excerpt["text"])[:5])
                queries.append({"term": phrase})
                expected.append(f"/statements/{statement['id']}/#{section['id']}")
    assert len(queries) >= 4
    responses = search.run(*queries)["responses"]
    for query, want, results in zip(queries, expected, responses, strict=True):
        assert want.split("#")[0] in urls(results), query
        assert want in sub_urls(results), query


def test_a_quoted_phrase_finds_the_statement(search: Searcher) -> None:
    results = search('"condemn terrorism in all its forms"')
    assert urls(results) == [NORWAY_ICELAND]
    assert f"{NORWAY_ICELAND}#afghanistan" in sub_urls(results)
    assert search('"terrorism condemn"') == []


def test_a_summary_is_found_and_lands_on_its_section(search: Searcher) -> None:
    results = search("joint rescue exercise")
    assert urls(results) == [ARCTIC_DECLARATION]
    assert f"{ARCTIC_DECLARATION}#rescue-at-sea" in sub_urls(results)


def test_results_carry_title_date_and_kind(search: Searcher) -> None:
    (result,) = search("condemn terrorism", text="verbatim")
    assert (
        result["meta"]["title"] == "Fictional joint statement of Norway and Iceland on the Arctic"
    )
    assert result["meta"]["date"] == "12 March 2026"
    assert result["meta"]["kind"] == "Joint statement"
    assert result["meta"]["iso"] == "2026-03-12"  # what the search page orders by
    assert json.loads(result["meta"]["sections"]) == [
        ["arctic", "The Arctic Dialogue"],
        ["afghanistan", "Afghanistan"],
        ["western-balkans", "The Western Balkans"],
        ["statement--sources", "Sources"],
    ]


def test_only_statement_pages_are_indexed(search: Searcher, root: Path) -> None:
    """Hubs, the timeline, the home, about and search pages and the navigation are not results."""

    def pages(bundle: str) -> dict[str, int]:
        entry = json.loads((root / "site" / bundle / "pagefind-entry.json").read_text("utf-8"))
        return {lang: index["page_count"] for lang, index in entry["languages"].items()}

    assert pages(EDITORIAL) == {"en": 7}
    # The Chinese statement has no words in English: the statement bundle has nothing of it.
    assert pages("pagefind") == {"en": 6}
    everything = search(
        None, {"kind": {"any": ["Declaration", "Joint statement", "Letter", "Press statement"]}}
    )
    assert sorted(urls(everything)) == sorted(
        [NORWAY_ICELAND, ARCTIC_DECLARATION, CHINESE_STATEMENT, IRAN_LETTER, *HARBOUR]
    )
    # Words that only hubs, the timeline, the home page and the header show.
    # ("Timeline" is left out: Pagefind's stemmer finds the publisher "Example Harbour Gazette".)
    for words in ("MkDocs", "oldest", "Feed", "latest"):
        assert search(words) == [], words


def test_tags_labels_and_permalinks_are_not_indexed(search: Searcher) -> None:
    for words in ("Concerns", "editorial", "Verbatim", "Suggest", "Sections"):
        assert search(words, merge=False) == [], words


# --- facets --------------------------------------------------------------------------------------


def test_facets_file_counts_statements_as_pagefind_does(
    search: Searcher, statements: list[Statement], root: Path
) -> None:
    """pagefind/facets.json, from which the search page lists the facets, says what Pagefind's
    own filters say (counted over the editorial bundle, which has every statement)."""
    listed = json.loads((root / "site" / FACETS_FILE).read_text(encoding="utf-8"))
    pagefind = search.run({"term": "arctic"})["filters"]
    assert set(listed) == set(FACETS)
    for facet in FACETS:
        assert listed[facet] == pagefind[facet], facet
    assert listed["year"] == {"2025": 3, "2026": 3, "Undated": 1}


def test_facets_exist_with_the_names_readers_see(search: Searcher) -> None:
    filters = search.run({"term": "arctic"})["filters"]
    assert set(FACETS) <= set(filters)
    assert {
        "Afghanistan", "China", "Finland", "Iceland", "Iran", "Kosovo", "Norway", "Russia", "Sweden"
    } == set(filters["country"])  # fmt: skip
    assert "Estonia" not in filters["country"]  # only a guest: a statement is not about its guests
    assert set(filters["forum"]) == {
        "Arctic Dialogue (fictional)",
        "Harbour Format (fictional)",
        "Shanghai Cooperation Organisation",
    }
    assert filters["actor"] == {
        "Coastal Compact (fictional)": 1,
        "Provisional Harbour Authority (fictional)": 1,
        "Tide Front (fictional)": 1,
    }
    assert filters["series"] == {
        "Fictional Harbour Consultations": 3,
        "Fictional Norway\u2013Iceland statements": 1,
    }
    assert set(filters["kind"]) == {"Declaration", "Joint statement", "Letter", "Press statement"}
    assert set(filters["year"]) == {"2025", "2026", "Undated"}
    assert "Counter-terrorism" in filters["topic"]
    assert filters["country"]["Norway"] == 4  # statements, not sections (round 2: an excerpt's)


def test_page_facets_are_the_statement_facets(
    search: Searcher, statements: list[Statement], root: Path
) -> None:
    """What the template writes into each page is what scripts/search.py computes for the
    documents in other languages (statement_facets)."""
    vocabularies = prepare(root)[1].vocabularies  # type: ignore[union-attr]
    results = search(None, {"year": {"any": ["2025", "2026", "Undated"]}})
    by_url = {r["url"]: r["filters"] for r in results}
    for statement in statements:
        expected = statement_facets(statement, vocabularies)
        page = {k: v for k, v in by_url[f"/statements/{statement.id}/"].items() if k != "record"}
        assert page == {k: v for k, v in expected.items() if v}, statement.id


def test_country_and_topic_narrow_together(search: Searcher) -> None:
    assert sorted(urls(search(None, {"country": "Russia"}))) == sorted(
        [NORWAY_ICELAND, ARCTIC_DECLARATION, CHINESE_STATEMENT]
    )
    assert urls(search(None, {"country": "Afghanistan"})) == [NORWAY_ICELAND]
    assert urls(search(None, {"country": "Russia", "topic": "Counter-terrorism"})) == [
        NORWAY_ICELAND
    ]
    assert urls(search(None, {"country": "Norway", "kind": "Declaration"})) == [ARCTIC_DECLARATION]
    assert search(None, {"country": "Iran", "topic": "Counter-terrorism"}) == []
    assert urls(search("condemn", {"country": "Russia", "topic": "Regional security"})) == [
        NORWAY_ICELAND
    ]
    assert search("condemn", {"country": "Iran"}) == []


def test_the_actor_facet_finds_the_statements_that_speak_of_it(search: Searcher) -> None:
    """An actor named on a statement, a section or only on one excerpt counts for the whole
    statement; an actor that only took part (a guest) does not."""
    assert urls(search(None, {"actor": "Tide Front (fictional)"})) == [ROUND_2]  # an excerpt's
    assert urls(search(None, {"actor": "Provisional Harbour Authority (fictional)"})) == [ROUND_2]
    assert urls(search(None, {"actor": "Coastal Compact (fictional)"})) == [ROUND_3]
    both = {"actor": {"any": ["Tide Front (fictional)", "Coastal Compact (fictional)"]}}
    assert sorted(urls(search(None, both))) == sorted([ROUND_2, ROUND_3])


def test_the_actor_facet_narrows_words_to_the_statement_and_its_section(search: Searcher) -> None:
    results = search("lighthouses", {"actor": "Tide Front (fictional)"})
    assert urls(results) == [ROUND_2]
    assert f"{ROUND_2}#lighthouses" in sub_urls(results)
    assert search("lighthouses", {"actor": "Tide Front (fictional)", "year": "2026"}) == []


def test_the_series_facet_lists_its_rounds(search: Searcher) -> None:
    results = search(
        None, {"series": "Fictional Harbour Consultations"}, sort={"statement": "desc"}
    )
    assert urls(results) == [ROUND_3, ROUND_2, ROUND_1]
    combined = {"series": "Fictional Harbour Consultations", "actor": "Tide Front (fictional)"}
    assert urls(search(None, combined)) == [ROUND_2]


def test_source_titles_and_publishers_are_searchable(search: Searcher) -> None:
    """The list of sources is indexed, under its own heading (issue 12): a word only a source's
    title or publisher holds finds the statement and lands on its sources."""
    results = search('"Harbour talks end"')  # only the title of round 3's news report
    assert urls(results) == [ROUND_3]
    assert f"{ROUND_3}#statement--sources" in sub_urls(results)
    assert set(urls(search("Example Translation Desk"))) == {ROUND_3}  # the translator
    assert set(urls(search("Secretariat"))) >= {ROUND_2}  # a publisher


def test_choices_within_a_facet_widen(search: Searcher) -> None:
    assert sorted(urls(search(None, {"country": {"any": ["Iran", "Afghanistan"]}}))) == sorted(
        [NORWAY_ICELAND, IRAN_LETTER]
    )


def test_a_filter_hit_lands_on_the_statement_with_that_section(search: Searcher) -> None:
    """Facets belong to statements (Pagefind filters are per page): the words find the section,
    the facet picks the statement."""
    results = search("terrorism", {"country": "Afghanistan"})
    assert urls(results) == [NORWAY_ICELAND]
    assert f"{NORWAY_ICELAND}#afghanistan" in sub_urls(results)


def test_filter_only_lists_each_statement_once_newest_first(search: Searcher) -> None:
    results = search(None, {"forum": "Arctic Dialogue (fictional)"}, sort={"statement": "desc"})
    assert urls(results) == [NORWAY_ICELAND, ARCTIC_DECLARATION, IRAN_LETTER]
    assert all("#" not in url for url in urls(results))


def test_every_bundle_has_one_sort_the_statement_order(root: Path) -> None:
    """Each sort is a list of every page in each bundle's `pf_meta`, which every query fetches
    (about 2 bytes gzipped a page): the statement order is the only one, and the search page
    orders by date with it (newest first: undated last)."""
    site = root / "site"
    bundles = [
        site / BUNDLE,
        site / EDITORIAL,
        *(p for p in (site / LANGUAGES).iterdir() if p.is_dir()),
    ]
    for bundle in bundles:
        for index in _entry(bundle)["languages"].values():
            meta = _read_pagefind_file(bundle / f"pagefind.{index['hash']}.pf_meta")
            assert [name for name, _ in meta[4]] == [SORT], bundle


def test_undated_statements_have_a_year_facet(search: Searcher) -> None:
    assert urls(search(None, {"year": "Undated"})) == [IRAN_LETTER]


# --- other languages -----------------------------------------------------------------------------


def test_a_chinese_phrase_finds_the_chinese_statement_and_its_section(search: Searcher) -> None:
    results = search("加强北极航运合作")
    assert set(urls(results)) == {CHINESE_STATEMENT}
    assert f"{CHINESE_STATEMENT}#shipping" in sub_urls(results)
    assert set(urls(search("地区和平"))) == {CHINESE_STATEMENT}


def test_a_russian_word_finds_the_original_and_its_section(search: Searcher) -> None:
    for word in ("рыбные", "улове", "обмениваться данными"):
        results = search(word)
        assert urls(results) == [ARCTIC_DECLARATION], word
        assert f"{ARCTIC_DECLARATION}#fisheries" in sub_urls(results), word
        assert results[0]["meta"]["language"] == "ru"


def test_a_persian_phrase_finds_the_original(search: Searcher) -> None:
    results = search("همکاری دریایی")
    assert urls(results) == [IRAN_LETTER]
    assert f"{IRAN_LETTER}#maritime-dialogue" in sub_urls(results)


def test_other_languages_combine_with_facets(search: Searcher) -> None:
    assert set(urls(search("北极航运", {"country": "China"}))) == {CHINESE_STATEMENT}
    assert search("北极航运", {"country": "Iceland"}) == []
    assert urls(search("рыбные", {"year": "2025"})) == [ARCTIC_DECLARATION]
    assert search("рыбные", {"year": "2026"}) == []


def test_other_languages_are_found_by_their_text_only(search: Searcher) -> None:
    """A document in another language repeats the statement's title, kind and headings to show a
    hit; a query that matches only those finds the statement page, not the document."""
    for words in ("Fisheries", "Declaration", "rescue at sea", "Maritime dialogue"):
        results = search(words)
        assert results, words
        assert all("language" not in result["meta"] for result in results), words


def test_text_in_other_languages_is_indexed_once(search: Searcher) -> None:
    """The page bundle leaves originals and excerpts in other languages to the languages bundle."""
    for words in ("рыбные", "加强北极航运合作", "همکاری"):
        assert search(words, merge=False) == [], words


def test_language_documents_are_escaped_and_anchored(
    statements: list[Statement], root: Path
) -> None:
    vocabularies = prepare(root)[1].vocabularies  # type: ignore[union-attr]
    (chinese,) = (s for s in statements if s.language == "zh")
    hostile = dataclasses.replace(chinese, title='<script>alert("x")</script> & co')
    documents = language_documents([hostile], vocabularies, "en")
    (document,) = documents["zh"].values()
    page = parse_html(document)
    assert page.elements("html")[0].attrs["lang"] == "zh"
    assert "<script>" not in document and "&lt;script&gt;" in document
    assert [h.attrs.get("id") for h in page.elements("h2")] == ["shipping"]
    assert set(documents) == {"zh"}
    assert set(language_documents(statements, vocabularies, "en")) == {"fa", "ru", "zh"}
    # A paragraph id for each paragraph, so a snippet ends with it; the record's place.
    assert [p.attrs.get("id") for p in page.elements("p")] == ["shipping--zh1"]
    sorts = [
        e.attrs["data-pagefind-sort"] for e in page.root.iter() if "data-pagefind-sort" in e.attrs
    ]
    assert sorts == [f"{SORT}:{chinese.search_key}"]


def test_the_two_kinds_of_text_are_split_with_nothing_left_over_or_twice() -> None:
    """The statement bundle leaves out the editorial selectors, the editorial bundle the
    verbatim ones; neither leaves out what the other leaves out, so each text is in one."""
    statement_bundle = set(exclude_selectors("en"))
    editorial_bundle = set(editorial_exclude_selectors())
    shared = statement_bundle & editorial_bundle
    assert shared == {".headerlink", ".sa-noteref"}  # permalink marks: no one's text
    assert ".sa-excerpt > blockquote" in editorial_bundle
    assert {"h1", "h2", ".sa-summary", ".sa-notes", ".sa-sources"} <= statement_bundle
    assert not any("blockquote" in s and "not" not in s for s in statement_bundle)


def test_records_name_the_statement_of_every_record_in_date_order(
    root: Path, statements: list[Statement]
) -> None:
    """pagefind/records.json: ranks in the order of the search keys (dated by date as written,
    undated first), each bundle's records as runs of ranks, the first rank of each year."""
    listed = json.loads((root / "site" / RECORDS_FILE).read_text(encoding="utf-8"))
    ordered = statement_order(statements)
    assert ordered[0].date is None  # undated first: last when newest first
    assert [s.date.iso for s in ordered[1:] if s.date] == sorted(
        s.date.iso for s in ordered[1:] if s.date
    )
    assert listed["count"] == len(statements)
    assert listed["years"] == [["Undated", 0], ["2025", 1], ["2026", 4]]
    assert listed["bundles"]["editorial"] == [[0, len(statements)]]
    chinese = next(i for i, s in enumerate(ordered) if s.language == "zh")
    ranks = [r for first, length in listed["bundles"][""] for r in range(first, first + length)]
    assert chinese not in ranks and len(ranks) == len(statements) - 1
    for language in ("fa", "ru", "zh"):
        runs = listed["bundles"][language]
        ranks = {r for first, length in runs for r in range(first, first + length)}
        with_text = {
            i
            for i, s in enumerate(ordered)
            if s.language == language
            or any(
                e.original and e.original.language == language
                for x in s.sections
                for e in x.excerpts
            )
        }
        assert ranks == with_text, language


# --- the build and the search page ---------------------------------------------------------------


def test_site_language_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    assert site_language(REPO / "mkdocs.yml") == "en"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n")
    assert site_language(tmp_path / "mkdocs.yml") == "en"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  language: ru\n")
    assert site_language(tmp_path / "mkdocs.yml") == "ru"


def test_language_bundles_hold_only_index_files(root: Path) -> None:
    folder = root / "site" / LANGUAGES
    listed = json.loads((folder / "index.json").read_text(encoding="utf-8"))["languages"]
    assert listed == ["fa", "ru", "zh"]
    for language in listed:
        entry = json.loads((folder / language / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [language]
        assert not list((folder / language).glob("*.js"))
        assert not list((folder / language).glob("*.css"))
        assert not list((folder / language).glob("wasm.*"))


def test_search_page_is_in_the_navigation_and_works_without_javascript_as_far_as_it_can(
    root: Path,
) -> None:
    site = root / "site"
    page = parse_html((site / "search/index.html").read_text(encoding="utf-8"), "search/")
    for element_id in (
        "sa-search",
        "sa-search-input",
        "sa-search-filters",
        "sa-search-status",
        "sa-search-results",
        "sa-search-more",
        "sa-search-unavailable",
    ):
        assert element_id in page.ids, element_id
    assert page.find_id("sa-search").attrs.get("hidden") is not None
    noscript = page.elements("noscript")[0]
    assert "needs JavaScript" in noscript.text()
    links = {a.attrs["href"] for a in noscript.iter() if a.tag == "a"}
    assert links == {
        "../countries/", "../forums/", "../topics/", "../actors/", "../series/", "../timeline/"
    }  # fmt: skip
    scripts = [
        s.attrs["src"] for s in page.elements("script") if "search.js" in s.attrs.get("src", "")
    ]
    assert scripts == ["../assets/search.js"]
    assert (site / "assets/search.js").is_file() and (site / "pagefind/pagefind.js").is_file()
    home = parse_html((site / "index.html").read_text(encoding="utf-8"), "")
    assert "search/" in home.link_targets()


def test_two_indexes_of_one_site_are_byte_identical(
    root: Path, statements: list[Statement], tmp_path: Path
) -> None:
    """Two indexes of the same pages. The built site's pages are minified after its index was
    made, from the pages as MkDocs wrote them (scripts/builder/shrink.py; tests/test_shrink.py
    holds the built index equal to that one), so both copies here are indexed afresh."""
    vocabularies = prepare(root)[1].vocabularies  # type: ignore[union-attr]
    copies = [tmp_path / "one", tmp_path / "two"]
    for copy in copies:
        shutil.copytree(root / "site", copy)
        index_site(copy, statements, vocabularies, "en")
    first, second = (
        {p.relative_to(copy): p.read_bytes() for p in copy.rglob("pagefind/**/*") if p.is_file()}
        for copy in copies
    )
    assert any(p.name == "pagefind.js" for p in first), sorted(first)[:5]
    assert sorted(first) == sorted(second)
    assert first == second


def test_the_bundles_are_reused_while_the_pages_they_index_are_the_same(
    root: Path, statements: list[Statement], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cache, an index of the same pages takes the last one's bundles, the same bytes,
    without running Pagefind; a statement page changed, or a kept file spoilt, runs it again."""
    vocabularies = prepare(root)[1].vocabularies  # type: ignore[union-attr]
    cache = tmp_path / "cache"
    site = tmp_path / "site"
    shutil.copytree(root / "site", site)

    def bundle() -> dict[Path, bytes]:
        files = site.rglob("pagefind/**/*")
        return {p.relative_to(site): p.read_bytes() for p in files if p.is_file()}

    runs: list[int] = []
    real = search_module._index

    def counted(*args: Any) -> None:
        runs.append(1)
        real(*args)

    monkeypatch.setattr(search_module, "_index", counted)
    index_site(site, statements, vocabularies, "en", cache)
    made = bundle()
    index_site(site, statements, vocabularies, "en", cache)
    assert runs == [1] and bundle() == made
    page = next(site.glob("statements/*/index.html"))
    page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")
    index_site(site, statements, vocabularies, "en", cache)
    assert runs == [1, 1]
    kept = next(p for p in (cache / "kept").rglob("*.pf_fragment"))
    kept.unlink()
    kept.write_bytes(b"spoilt")
    index_site(site, statements, vocabularies, "en", cache)
    assert runs == [1, 1, 1] and b"spoilt" not in {v for v in bundle().values()}


def test_without_text_in_other_languages_the_list_is_empty(
    root: Path, statements: list[Statement], tmp_path: Path
) -> None:
    """The search page reads pagefind/languages/index.json before its first query: it is there,
    empty, when the archive has no text in other languages; an empty archive has no index."""
    vocabularies = prepare(root)[1].vocabularies  # type: ignore[union-attr]
    english = [s for s in statements if s.id == NORWAY_ICELAND.split("/")[2]]
    site = tmp_path / "site"
    shutil.copytree(root / "site", site)
    for page in (site / "statements").iterdir():  # the site of that one statement
        if page.is_dir() and page.name != english[0].id:
            shutil.rmtree(page)
    summary = index_site(site, english, vocabularies, "en")
    assert summary.documents == {}
    listed = json.loads((site / LANGUAGES / "index.json").read_text(encoding="utf-8"))
    assert listed == {"languages": []}
    assert sorted(p.name for p in (site / LANGUAGES).iterdir()) == ["index.json"]
    assert index_site(site, [], vocabularies, "en").pages == 0
    assert not (site / "pagefind").exists()


def test_a_failed_index_leaves_the_last_good_site(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = copy_archive(FIXTURE, tmp_path / "archive")
    site = archive / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site", encoding="utf-8")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise SearchIndexError("Pagefind failed: on purpose")

    monkeypatch.setattr(pipeline, "index_site", broken)
    assert main(["--root", str(archive), "build"]) == 1
    assert (site / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert not (archive / ".build" / "site").exists()


@pytest.mark.parametrize("term", ["arctic", "北极航运"])
def test_first_query_downloads_little(root: Path, term: str) -> None:
    """pagefind.js, its wasm, the entry and meta files, facets.json, the index chunks and the
    fragments of the first results; the languages bundles only for a query in their script.
    (The page's search.js and search.css come on top in a browser; `make bench` counts them.)"""
    require_node()
    names, results = pagefind_fetches(root / "site", term)
    fetched = [(name, (root / "site" / name.lstrip("/")).stat().st_size) for name in names]
    assert results and any(name.endswith(".pf_fragment") for name in names)
    assert "/pagefind/facets.json" in names
    assert not any(name.endswith(".pf_filter") for name in names), "facets come from facets.json"
    in_chinese = any(name.startswith("/pagefind/languages/zh/") for name in names)
    assert in_chinese == (term == "北极航运")
    assert not any(name.startswith("/pagefind/languages/ru/") for name in names)
    assert sum(size for _, size in fetched) < 300_000
