// The search page (docs/search.md): a small interface on Pagefind's JavaScript API.
//
// The index is built by `python -m scripts build` (scripts/search.py): pagefind/ for the
// statements' own words (the excerpts), pagefind/editorial/ for the archive's text on the same
// pages (titles, headings, metadata, summaries, notes, sources), pagefind/facets.json for the
// facets and their statement counts, and pagefind/languages/<language>/ for text in other
// languages (Chinese, Russian, Persian …), listed in pagefind/languages/index.json. Each merged
// bundle carries a synthetic filter `text` (verbatim or editorial), so every hit knows its kind. A
// language is merged into the search when a query could be in it: always for a language written
// in Latin script, else when the query has a letter of its script. Facets alone list statements,
// newest first.
//
// The state lives in the address: ?q=…&text=verbatim&sort=date&country=…&topic=… (the facets in
// FACETS, each value its display name). `text=verbatim` searches the statements' own words only;
// `sort=date` orders the statements found newest first (undated last).
//
// What the page does on top of Pagefind, so that a result can be trusted:
// - a phrase in quotation marks must occur as written (case and spaces aside) in one text of the
//   statement: Pagefind's own exact search matches stems, and only a query quoted as a whole;
// - a word that is in no text of the archive finds nothing: where no indexed word is the word or
//   begins with it, Pagefind falls back to the longest indexed word the query word begins with
//   ("to" for "tozzz"), which is dropped here (not for scripts written without spaces, whose
//   words Pagefind finds by segments);
// - every word of a query must be in the text of a hit, not only in its meta or its headings
//   (weighted 0 in the statement and language bundles: they are there to show a hit);
// - statements are counted once, however many bundles found them, and the year chart counts the
//   same statements.
//
// Element ids (for people and for browser tests): #sa-search (the whole widget, hidden until the
// index has loaded), #sa-search-input, #sa-search-verbatim (checkbox), #sa-search-sort (select),
// #sa-search-clear, #sa-search-filters (a <details>, folded on narrow screens), #sa-search-status
// (a live region), #sa-search-years (the year chart: svg g.sa-search__bar[data-year][data-count]
// with a <title>), #sa-search-results (an <ol> of li.sa-search__result[data-url], each with
// a.sa-search__result-link and li.sa-search__section > a.sa-search__section-link, and snippets
// p.sa-search__excerpt[data-text=verbatim|editorial] led by span.sa-search__kind),
// #sa-search-more, #sa-search-unavailable. Facet checkboxes: input.sa-search__option[name=<facet>]
// [value=<value shown>].
//
// Keyboard: Material's "Skip to content" link, the first Tab stop of every page, is here "Skip to
// the search box" and puts the focus in it; #sa-search-skip, the Tab stop after the search box
// (shown when focused), passes over every filter to the results' status line.

const FACETS = [
  ["country", "Country"],
  ["forum", "Forum"],
  ["topic", "Topic"],
  ["actor", "Actor"],
  ["series", "Series"],
  ["kind", "Kind"],
  ["year", "Year"],
];
const PAGE_SIZE = 10;
const SECTIONS_SHOWN = 3;
const SNIPPET_WORDS = 24;
const DEBOUNCE_MS = 250;
const DATA_BATCH = 24; // results whose text is read at once
const UNDATED = "Undated";
// Facets alone: Pagefind's search with no words reads every index file, so the search is for a
// word every statement's editorial text has, the label of the "Kind" line of its metadata
// (scripts/render/templates/statement.md.j2), which costs one index file.
const BROWSE_TERM = "kind";
// Meta is for showing a hit, never for finding one (scripts/search.py).
const META_WEIGHTS = { title: 0, kind: 0, date: 0, iso: 0, sections: 0, language: 0 };
// Intl.Locale gives a language's likely script as ISO 15924; these name it as Unicode does.
const SCRIPT_ALIASES = { Hans: "Hani", Hant: "Hani", Jpan: "Hani|Hira|Kana", Kore: "Hang|Hani" };
// Scripts written without spaces between words: Pagefind finds their words by segments.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const QUOTES = /["“”„«»]/g;
const PHRASE = /["“”„«»]([^"“”„«»]*)["“”„«»]/g;
const KINDS = {
  verbatim: "The statement's words",
  editorial: "The archive's editorial text",
  note: "The archive's note",
  heading: "The archive's heading",
};
const SORTS = new Set(["date"]);
// The parts of a statement page before its sections, by their ids (statement.md.j2).
const PARTS = {
  "statement--title": "Title",
  "statement--details": "Details",
  "statement--summary": "Summary",
  "statement--sections": "List of sections",
};

const bundle = new URL("../pagefind/", import.meta.url);
const siteRoot = new URL("../", bundle).pathname;

const widget = document.getElementById("sa-search");
const form = document.getElementById("sa-search-form");
const input = document.getElementById("sa-search-input");
const verbatimBox = document.getElementById("sa-search-verbatim");
const sortBox = document.getElementById("sa-search-sort");
const filtersBox = document.getElementById("sa-search-filters");
const facetsBox = document.getElementById("sa-search-facets");
const chosenCount = document.getElementById("sa-search-chosen");
const status = document.getElementById("sa-search-status");
const years = document.getElementById("sa-search-years");
const list = document.getElementById("sa-search-results");
const more = document.getElementById("sa-search-more");
const clear = document.getElementById("sa-search-clear");
const unavailable = document.getElementById("sa-search-unavailable");

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });
const SVG = "http://www.w3.org/2000/svg";

let pagefind = null;
let languages = null; // [{language, pattern, merged}] once pagefind/languages/index.json is read
let editorial = null; // the promise of the editorial bundle's merge, once asked for
let records = null; // pagefind/records.json, read (readRecords)
const siteLanguage = (document.documentElement.lang || "en").split("-")[0].toLowerCase();
let searchId = 0;
let timer = 0;
let current = { entries: [], shown: 0, id: 0, term: "", browse: null };

// --- helpers -----------------------------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svgElement(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

function pageUrl(url) {
  const absolute = new URL(url, location.href);
  absolute.hash = "";
  return absolute.pathname;
}

function plural(count, one, many) {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

// Case and runs of spaces are all a phrase may differ by.
function normalise(text) {
  return text.toLocaleLowerCase().replace(/\s+/g, " ").trim();
}

function letters(word) {
  return word.toLocaleLowerCase().replace(/[^\p{L}\p{N}\p{M}]/gu, "");
}

// --- the query ---------------------------------------------------------------------------------

// Phrases in quotation marks (straight or typographic), the words of the whole query, and what
// Pagefind is asked: its exact search when the query is one phrase, else the words.
function parseQuery(raw) {
  const phrases = [];
  for (const [, phrase] of raw.matchAll(PHRASE)) {
    if (phrase.trim()) phrases.push(normalise(phrase));
  }
  const words = raw.replace(QUOTES, " ").split(/\s+/).filter((word) => letters(word));
  const whole = normalise(raw.replace(QUOTES, " "));
  const exact = phrases.length === 1 && phrases[0] === whole;
  return { phrases, words, term: exact ? `"${phrases[0]}"` : words.join(" "), exact };
}

// --- facets ------------------------------------------------------------------------------------

function sortValues(facet, values) {
  if (facet === "year") {
    return values.sort((a, b) => (a === UNDATED) - (b === UNDATED) || b.localeCompare(a));
  }
  return values.sort((a, b) => a.localeCompare(b, "en"));
}

function buildFacets(counts) {
  facetsBox.replaceChildren();
  for (const [facet, label] of FACETS) {
    const values = sortValues(facet, Object.keys(counts[facet] || {}));
    if (!values.length) continue;
    const options = values.map((value, i) => {
      const id = `sa-facet-${facet}-${i}`;
      const box = element("input", {
        type: "checkbox",
        id,
        name: facet,
        value,
        class: "sa-search__option",
      });
      box.addEventListener("change", () => schedule(0));
      const count = counts[facet][value];
      return element(
        "li",
        {},
        box,
        element(
          "label",
          { for: id },
          element("span", { class: "sa-search__value" }, value),
          element(
            "span",
            { class: "sa-search__count", title: "statements in the archive" },
            String(count),
          ),
        ),
      );
    });
    facetsBox.append(
      element(
        "fieldset",
        { class: "sa-search__facet", "data-facet": facet },
        element("legend", {}, label),
        element("ul", { class: "sa-search__options" }, ...options),
      ),
    );
  }
}

function selected() {
  const chosen = {};
  for (const box of facetsBox.querySelectorAll("input.sa-search__option:checked")) {
    (chosen[box.name] ||= []).push(box.value);
  }
  return chosen;
}

// --- the address -------------------------------------------------------------------------------

function readAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  verbatimBox.checked = params.get("text") === "verbatim";
  sortBox.value = SORTS.has(params.get("sort")) ? params.get("sort") : "";
  for (const box of facetsBox.querySelectorAll("input.sa-search__option")) {
    box.checked = params.getAll(box.name).includes(box.value);
  }
}

function writeAddress(term, chosen) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  if (verbatimBox.checked) params.set("text", "verbatim");
  if (sortBox.value) params.set("sort", sortBox.value);
  for (const [facet] of FACETS) for (const value of chosen[facet] || []) params.append(facet, value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// --- bundles -----------------------------------------------------------------------------------

function scriptPattern(language) {
  try {
    const script = new Intl.Locale(language).maximize().script;
    if (!script || script === "Latn") return null;
    const codes = (SCRIPT_ALIASES[script] || script).split("|");
    return new RegExp(codes.map((code) => `\\p{Script=${code}}`).join("|"), "u");
  } catch {
    return null; // a script this browser cannot name: always merged
  }
}

async function readLanguages() {
  try {
    const response = await fetch(new URL("languages/index.json", bundle));
    if (!response.ok) return [];
    const listed = await response.json();
    return (listed.languages || []).map((language) => ({
      language,
      pattern: scriptPattern(language),
      merged: null,
    }));
  } catch {
    return [];
  }
}

// Merges, once, each language this query could be written in.
async function mergeLanguagesFor(term) {
  languages ||= readLanguages();
  const wanted = (await languages).filter((l) => !l.pattern || l.pattern.test(term));
  for (const entry of wanted) {
    entry.merged ||= pagefind.mergeIndex(new URL(`languages/${entry.language}/`, bundle).href, {
      language: entry.language,
      baseUrl: siteRoot,
      mergeFilter: { record: "language", text: "verbatim" },
      ranking: { metaWeights: META_WEIGHTS },
    });
  }
  await Promise.all(wanted.map((entry) => entry.merged));
}

function mergeEditorial() {
  editorial ||= pagefind.mergeIndex(new URL("editorial/", bundle).href, {
    baseUrl: siteRoot,
    mergeFilter: { record: "editorial", text: "editorial" },
    ranking: { metaWeights: META_WEIGHTS },
  });
  return editorial;
}

// --- searching ---------------------------------------------------------------------------------

function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(timer);
  timer = setTimeout(run, delay);
}

// The words of a hit's text that Pagefind matched, as they are written there.
function textWords(data) {
  const raw = data.raw_content ?? data.content ?? "";
  const words = raw.includes("\u200B") ? raw.split("\u200B") : raw.split(/[\r\n\s]+/g);
  return words.map((word) => word.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
}

// --- records: which statement a hit is, without reading it -------------------------------------
//
// pagefind/records.json (scripts/search.py) lists, for each bundle, the rank of the statement of
// each of its records in the order of Pagefind's sort `statement` (statements ordered by date,
// then id), and the first rank of each year. A search sorted by it scores each record by its
// place there, so every hit is known as a statement, with its year and its place in time, before
// its text is read: statements are counted once, charted and ordered by date from that alone.

function readRecords(listed) {
  const bundles = new Map();
  for (const [name, runs] of Object.entries(listed.bundles || {})) {
    const ranks = [];
    for (const [first, length] of runs) for (let i = 0; i < length; i++) ranks.push(first + i);
    bundles.set(name, ranks);
  }
  return { years: listed.years || [], bundles };
}

function yearOfRank(rank) {
  let year = UNDATED;
  for (const [label, first] of records.years) {
    if (first <= rank) year = label;
    else break;
  }
  return year;
}

// The bundle of a hit: its kind of text and its language (a hit's id starts with it).
function bundleOf(hit) {
  if (hit.kind === "editorial") return "editorial";
  const language = hit.result.id.split("_")[0];
  return language === siteLanguage ? "" : language;
}

// The hits of one search in each kind of text asked for, tagged with their kind and the rank of
// their statement. A hit matched only by its meta or its weightless headings scores 0, and is
// left out.
async function searchKinds(term, filters, kinds) {
  const found = [];
  for (const kind of kinds) {
    const options = { filters: { ...filters, text: { any: [kind] } } };
    const [relevant, placed] = await Promise.all([
      pagefind.search(term, options),
      pagefind.search(term, { ...options, sort: { statement: "asc" } }),
    ]);
    // Sorted ascending, a result scores minus its place among its bundle's records.
    const place = new Map(placed.results.map((result) => [result.id, -result.score]));
    for (const result of relevant.results) {
      if (!(result.score > 0)) continue;
      const hit = { result, kind, score: result.score };
      const rank = records.bundles.get(bundleOf(hit))?.[place.get(result.id)];
      if (rank === undefined) continue; // not in records.json: an index from another build
      found.push({ ...hit, rank });
    }
  }
  return found;
}

async function readAll(hits, id) {
  for (let i = 0; i < hits.length; i += DATA_BATCH) {
    const batch = hits.slice(i, i + DATA_BATCH).filter((hit) => !hit.data);
    const data = await Promise.all(batch.map((hit) => hit.result.data()));
    if (id !== searchId) return false;
    batch.forEach((hit, j) => Object.assign(hit, { data: data[j] }));
  }
  return true;
}

// The hits (of the word alone) whose text has the word, by its stem (Pagefind's exact search) or
// as the start of a longer word. Where no indexed word of a bundle is the word or begins with it,
// Pagefind takes the longest indexed word the word begins with ("to" for "tozzz", "an" for
// "another"): then every hit of that bundle is of that shorter word, so one hit read tells.
async function withWord(word, hits, filters, kinds) {
  if (UNSPACED.test(word)) return hits; // left to Pagefind, which finds such words by segments
  const exact = await searchKinds(`"${word}"`, filters, kinds);
  const ids = new Set(exact.map((hit) => hit.result.id));
  const first = new Map();
  for (const hit of hits) {
    if (!ids.has(hit.result.id) && !first.has(bundleOf(hit))) first.set(bundleOf(hit), hit);
  }
  const wanted = letters(word);
  const shorter = new Set();
  for (const [bundleName, hit] of first) {
    const data = await hit.result.data();
    const words = textWords(data);
    if (!data.locations.some((at) => letters(words[at] || "").startsWith(wanted))) {
      shorter.add(bundleName);
    }
  }
  return hits.filter((hit) => ids.has(hit.result.id) || !shorter.has(bundleOf(hit)));
}

function byRank(hits) {
  const found = new Map();
  for (const hit of hits) {
    if (!found.has(hit.rank)) found.set(hit.rank, []);
    found.get(hit.rank).push(hit);
  }
  return found;
}

function entry(rank, hits, score) {
  return { rank, hits, score, year: yearOfRank(rank) };
}

// The statements a query finds: [{rank, year, score, hits}]; null when a newer search began.
// Pagefind matches the words of a query within one text (one bundle's record of a statement),
// widens a word it does not know to a shorter one (withWord), and passes over a word that
// matches nothing beside one that does. Here every word must be in the text of a hit, and a
// statement is found when each word is in one of its texts: in an excerpt or in the heading of
// its section, say ("Afghanistan terrorism").
async function find(query, filters, verbatimOnly, id) {
  const kinds = verbatimOnly ? ["verbatim"] : ["verbatim", "editorial"];
  const hits = await searchKinds(query.term, filters, kinds);
  const best = (list) => Math.max(...list.map((hit) => hit.score));
  let entries;
  const distinct = [...new Map(query.words.map((word) => [letters(word), word])).values()];
  if (query.exact || distinct.length < 2) {
    const kept = query.exact ? hits : await withWord(distinct[0], hits, filters, kinds);
    entries = [...byRank(kept)].map(([rank, list]) => entry(rank, list, best(list)));
  } else {
    const perWord = [];
    for (const word of distinct) {
      perWord.push(byRank(await withWord(word, await searchKinds(word, filters, kinds), filters, kinds)));
      if (id !== searchId) return null;
    }
    // A hit of the whole query counts when each word alone finds it too (in its text, not by
    // its meta, and not by a shorter word).
    const ids = perWord.map((ranks) => new Set([...ranks.values()].flat().map((h) => h.result.id)));
    const whole = byRank(hits.filter((hit) => ids.every((set) => set.has(hit.result.id))));
    entries = [];
    for (const rank of perWord[0].keys()) {
      if (!perWord.every((ranks) => ranks.has(rank))) continue;
      if (whole.has(rank)) entries.push(entry(rank, whole.get(rank), best(whole.get(rank))));
      else {
        // Each word in another text of the statement: ranked by its weakest word.
        const list = perWord.flatMap((ranks) => ranks.get(rank));
        entries.push(entry(rank, list, Math.min(...perWord.map((ranks) => best(ranks.get(rank))))));
      }
    }
  }
  if (query.phrases.length) {
    // A quoted phrase must be in one text of the statement as written; the snippets come from
    // the texts that have a phrase.
    if (!(await readAll(entries.flatMap((e) => e.hits), id))) return null;
    const has = (hit, phrase) => normalise(hit.data.content || "").includes(phrase);
    entries = entries.filter((e) => query.phrases.every((phrase) => e.hits.some((hit) => has(hit, phrase))));
    for (const e of entries) e.hits = e.hits.filter((hit) => query.phrases.some((p) => has(hit, p)));
  }
  return entries;
}

async function run() {
  const id = ++searchId;
  const raw = input.value.trim();
  const chosen = selected();
  const facetCount = Object.values(chosen).reduce((sum, values) => sum + values.length, 0);
  writeAddress(raw, chosen);
  chosenCount.textContent = facetCount ? ` (${facetCount} chosen)` : "";
  clear.hidden = !raw && !facetCount;
  const query = parseQuery(raw);
  if (!query.words.length && !facetCount) {
    current = { entries: [], shown: 0, id, term: "", browse: null };
    list.replaceChildren();
    years.replaceChildren();
    years.hidden = true;
    more.hidden = true;
    status.textContent = raw
      ? `Nothing found for “${raw}”.`
      : "Type words to search, or choose filters to list statements.";
    widget.removeAttribute("aria-busy");
    return;
  }
  // Several values of one facet widen the search; facets together narrow it.
  const filters = Object.fromEntries(
    Object.entries(chosen).map(([facet, values]) => [facet, { any: values }]),
  );
  const verbatimOnly = verbatimBox.checked;
  widget.setAttribute("aria-busy", "true");
  let entries = null;
  let browse = null;
  try {
    if (query.words.length) {
      await mergeLanguagesFor(raw);
      if (!verbatimOnly) await mergeEditorial();
      entries = await find(query, filters, verbatimOnly, id);
      if (!entries) return;
      // Newest first is the records' order backwards (statements ordered by date, then id).
      if (sortBox.value === "date") entries.sort((a, b) => b.rank - a.rank);
      else entries.sort((a, b) => b.score - a.score || b.rank - a.rank);
    } else {
      await mergeEditorial();
      const response = await pagefind.search(BROWSE_TERM, {
        filters: { ...filters, record: "editorial" },
        sort: { statement: "desc" }, // newest first, undated last (Statement.search_key)
      });
      browse = response.results;
      entries = [];
    }
  } catch (error) {
    console.error(error);
    if (id === searchId) {
      status.textContent = "The search failed. Please try again.";
      widget.removeAttribute("aria-busy");
    }
    return;
  }
  if (id !== searchId) return;
  current = { entries, shown: 0, id, term: raw, browse, verbatimOnly };
  list.replaceChildren();
  drawYears(browse ? null : entries);
  await showMore();
  if (id === searchId) widget.removeAttribute("aria-busy");
}

function total() {
  return current.browse ? current.browse.length : current.entries.length;
}

function describe() {
  const count = total();
  let what = current.term ? `for “${current.term}”` : "with these filters";
  if (current.term && current.verbatimOnly) what += " in the statements' own words";
  const order = count > 1 && current.term && sortBox.value === "date" ? ", newest first" : "";
  status.textContent = count
    ? `${plural(count, "statement", "statements")} found ${what}${order}.`
    : `Nothing found ${what}.`;
}

async function showMore() {
  const { id } = current;
  if (current.browse) {
    const batch = current.browse.slice(current.shown, current.shown + PAGE_SIZE);
    const data = await Promise.all(batch.map((result) => result.data()));
    if (id !== searchId) return;
    for (const item of data) {
      list.append(renderEntry({ url: pageUrl(item.url), meta: item.meta, hits: [] }));
    }
    current.shown += batch.length;
  } else {
    // Only the statements shown are read.
    const batch = current.entries.slice(current.shown, current.shown + PAGE_SIZE);
    if (!(await readAll(batch.flatMap((e) => e.hits), id))) return;
    for (const found of batch) {
      // The meta of the statement's page (a document in another language has its own).
      const page = found.hits.find((hit) => !hit.data.meta.language) || found.hits[0];
      found.url = pageUrl(page.data.url);
      found.meta = page.data.meta;
      list.append(renderEntry(found));
    }
    current.shown += batch.length;
  }
  more.hidden = current.shown >= total();
  describe();
}

// --- the year chart ----------------------------------------------------------------------------

function drawYears(entries) {
  years.replaceChildren();
  years.hidden = !entries || !entries.length;
  if (years.hidden) return;
  const counts = new Map();
  for (const found of entries) counts.set(found.year, (counts.get(found.year) || 0) + 1);
  const order = [...counts.keys()].sort(
    (a, b) => (a === UNDATED) - (b === UNDATED) || a.localeCompare(b),
  );
  const highest = Math.max(...counts.values());
  const bar = 2.6;
  const gap = 0.9;
  const height = 4;
  const width = Math.max(order.length * (bar + gap), 10);
  const summary = order.map((year) => `${year}: ${counts.get(year)}`).join(", ");
  const chart = svgElement("svg", {
    viewBox: `0 0 ${width} ${height + 1.6}`,
    width: `${width}em`,
    height: `${height + 1.6}em`,
    role: "img",
    "aria-label": `Statements found, by year: ${summary}`,
    class: "sa-search__chart",
  });
  order.forEach((year, i) => {
    const count = counts.get(year);
    const tall = Math.max((count / highest) * height, 0.15);
    const x = i * (bar + gap);
    chart.append(
      svgElement(
        "g",
        { class: "sa-search__bar", "data-year": year, "data-count": count },
        svgElement("title", {}, `${year}: ${plural(count, "statement", "statements")}`),
        svgElement("rect", { x, y: height - tall, width: bar, height: tall, rx: 0.15 }),
        svgElement(
          "text",
          { x: x + bar / 2, y: height + 1.2, "text-anchor": "middle", "aria-hidden": "true" },
          year === UNDATED ? "n.d." : year,
        ),
      ),
    );
  });
  years.append(
    element("p", { class: "sa-search__years-label", "aria-hidden": "true" }, "Statements found, by year"),
    chart,
  );
}

// --- results -----------------------------------------------------------------------------------

function sectionTitles(meta) {
  try {
    return new Map(JSON.parse(meta.sections || "[]"));
  } catch {
    return new Map();
  }
}

// The parts of a hit's text: headings (sections) and blocks (paragraphs, notes) by where they
// start, so that a snippet never runs from one block into the next.
function anchorsOf(data) {
  const anchors = (data.anchors || []).filter((a) => a.id).sort((a, b) => a.location - b.location);
  const part = (a) => /^h[1-6]$/i.test(a.element) || a.id in PARTS;
  return {
    headings: anchors.filter(part),
    blocks: anchors.filter((a) => part(a) || /^(p|li|blockquote|div)$/i.test(a.element)),
  };
}

function last(anchors, location) {
  let found = null;
  for (const anchor of anchors) {
    if (anchor.location <= location) found = anchor;
    else break;
  }
  return found;
}

function next(anchors, location) {
  return anchors.find((anchor) => anchor.location > location);
}

// A hit's sections: {id, title, count, snippet}, the snippet from the block with most hits.
function hitSections(hit) {
  const { data } = hit;
  const words = textWords(data);
  const { headings, blocks } = anchorsOf(data);
  const titles = sectionTitles(data.meta);
  const sections = new Map();
  for (const at of [...data.locations].sort((a, b) => a - b)) {
    if (at >= words.length) continue; // a word of the meta
    const heading = last(headings, at);
    const id = heading ? heading.id : "";
    const block = last(blocks, at) || heading;
    // A heading is never the statement's words (weightless in the languages bundles).
    if (hit.kind === "verbatim" && block && /^h[1-6]$/i.test(block.element)) continue;
    const key = block ? `${block.id}@${block.location}` : "";
    let section = sections.get(id);
    if (!section) {
      const title = PARTS[id] || titles.get(id) || heading?.text?.trim() || "Title";
      section = { id, title, count: 0, blocks: new Map() };
      sections.set(id, section);
    }
    section.count += 1;
    let part = section.blocks.get(key);
    if (!part) {
      const start = block ? block.location : 0;
      const end = next(blocks, at)?.location ?? words.length;
      part = {
        start,
        end,
        at: [],
        note: /--note\d+$/.test(block?.id || ""),
        heading: Boolean(block && /^h[2-6]$/i.test(block.element)),
      };
      section.blocks.set(key, part);
    }
    part.at.push(at);
  }
  const joiner = (data.raw_content || "").includes("\u200B") ? "" : " ";
  return [...sections.values()].map((section) => {
    const part = [...section.blocks.values()].sort((a, b) => b.at.length - a.at.length)[0];
    let kind = "verbatim";
    if (hit.kind === "editorial") kind = part.note ? "note" : part.heading ? "heading" : "editorial";
    return {
      id: section.id,
      title: section.title,
      count: section.count,
      snippet: snippet(words, part, joiner, kind, data.meta.language),
    };
  });
}

function snippet(words, part, joiner, kind, language) {
  const first = part.at[0];
  const from = Math.max(part.start, Math.min(first - 6, part.end - SNIPPET_WORDS));
  const to = Math.min(part.end, from + SNIPPET_WORDS);
  const marked = new Set(part.at);
  const nodes = [];
  if (from > part.start) nodes.push("… ");
  for (let i = from; i < to; i++) {
    if (i > from && joiner) nodes.push(joiner);
    nodes.push(marked.has(i) ? element("mark", {}, words[i]) : words[i]);
  }
  if (to < part.end) nodes.push(" …");
  let label = KINDS[kind];
  if (language) label += `, in ${languageNames.of(language) || language}`;
  const text = element("span", { class: "sa-search__text" }, ...nodes);
  if (language) Object.assign(text, { lang: language, dir: "auto" });
  return element(
    "p",
    { class: "sa-search__excerpt", "data-text": kind === "verbatim" ? "verbatim" : "editorial" },
    element("span", { class: `sa-search__kind sa-search__kind--${kind}` }, `${label}: `),
    text,
  );
}

function sectionItems(entry) {
  const sections = new Map();
  for (const hit of entry.hits) {
    for (const found of hitSections(hit)) {
      const known = sections.get(found.id);
      if (known) {
        known.count += found.count;
        known.snippets.push(found.snippet);
      } else {
        sections.set(found.id, { ...found, snippets: [found.snippet] });
      }
    }
  }
  return [...sections.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, SECTIONS_SHOWN)
    .map((section) => {
      const anchored = section.id && section.id !== "statement--title";
      const href = anchored ? `${entry.url}#${section.id}` : entry.url;
      // The statement's words first, then the archive's.
      section.snippets.sort((a, b) => (a.dataset.text === "editorial") - (b.dataset.text === "editorial"));
      return element(
        "li",
        { class: "sa-search__section", "data-url": href },
        element("a", { class: "sa-search__section-link", href }, section.title),
        ...section.snippets,
      );
    });
}

function renderEntry(entry) {
  const meta = [entry.meta.date || UNDATED, entry.meta.kind].filter(Boolean).join(" · ");
  const item = element(
    "li",
    { class: "sa-search__result", "data-url": entry.url },
    element(
      "p",
      { class: "sa-search__result-title" },
      element("a", { class: "sa-search__result-link", href: entry.url }, entry.meta.title || entry.url),
    ),
    element("p", { class: "sa-search__result-meta" }, meta),
  );
  const found = new Set(entry.hits.map((hit) => hit.data.meta.language).filter(Boolean));
  for (const language of found) {
    item.querySelector(".sa-search__result-meta").append(
      " · ",
      element(
        "span",
        { class: "sa-search__language", "data-language": language },
        `found in the ${languageNames.of(language) || language} text`,
      ),
    );
  }
  if (entry.hits.length) {
    item.append(element("ul", { class: "sa-search__sections" }, ...sectionItems(entry)));
  }
  return item;
}

// --- start -------------------------------------------------------------------------------------

async function start() {
  let counts;
  try {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({
      baseUrl: siteRoot,
      mergeFilter: { record: "page", text: "verbatim" },
      ranking: { metaWeights: META_WEIGHTS },
      // On the page's own thread: the web worker would add 12 kB (gzipped) to the first query,
      // and a search here takes milliseconds.
      noWorker: true,
    });
    const [response, listed] = await Promise.all([
      fetch(new URL("facets.json", bundle)),
      fetch(new URL("records.json", bundle)),
      pagefind.init(),
    ]);
    if (!response.ok) throw new Error(`facets.json: ${response.status}`);
    if (!listed.ok) throw new Error(`records.json: ${listed.status}`);
    counts = await response.json();
    records = readRecords(await listed.json());
  } catch (error) {
    console.error(error);
    unavailable.hidden = false;
    return;
  }
  buildFacets(counts);
  readAddress();
  if (window.matchMedia("(max-width: 44.9375em)").matches) filtersBox.open = false;
  input.addEventListener("input", () => schedule());
  verbatimBox.addEventListener("change", () => schedule(0));
  sortBox.addEventListener("change", () => schedule(0));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule(0);
  });
  clear.addEventListener("click", () => {
    input.value = "";
    for (const box of facetsBox.querySelectorAll("input.sa-search__option:checked")) {
      box.checked = false;
    }
    schedule(0);
    input.focus();
  });
  more.addEventListener("click", () => showMore());
  const skip = document.querySelector(".md-skip");
  if (skip) {
    skip.textContent = "Skip to the search box";
    skip.addEventListener("click", (event) => {
      event.preventDefault();
      input.focus();
    });
  }
  document.getElementById("sa-search-skip").addEventListener("click", (event) => {
    event.preventDefault();
    status.focus();
  });
  widget.hidden = false;
  await run();
}

start();
