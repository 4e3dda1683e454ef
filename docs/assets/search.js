// The search page (docs/search.md): a small interface on Pagefind's JavaScript API.
//
// The index is built by `python -m scripts build` (scripts/search.py): pagefind/ for the statement
// pages, pagefind/facets.json for the facets and their statement counts, and
// pagefind/languages/<language>/ for text in other languages (Chinese, Russian, Persian …), listed
// in pagefind/languages/index.json. A language is merged into the search when a query could be in
// it: always for a language written in Latin script, else when the query has a letter of its
// script. Facets alone list statements, newest first. The state lives in the address:
// ?q=…&country=…&topic=…&actor=…&series=… (the facets in FACETS, each value its display name).
//
// Element ids (for people and for browser tests): #sa-search (the whole widget, hidden until the
// index has loaded), #sa-search-input, #sa-search-clear, #sa-search-filters (a <details>, folded
// on narrow screens), #sa-search-status (a live region), #sa-search-results (an <ol> of
// li.sa-search__result[data-url], each with a.sa-search__result-link and
// li.sa-search__section > a.sa-search__section-link), #sa-search-more, #sa-search-unavailable.
// Facet checkboxes: input.sa-search__option[name=<facet>][value=<value shown>].
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
const DEBOUNCE_MS = 250;
const UNDATED = "Undated";
// Facets alone: Pagefind's search with no words reads every index file, so the search is for a
// word every statement page has, the label of the "Kind" line of its metadata
// (scripts/render/templates/statement.md.j2), which costs one index file.
const BROWSE_TERM = "kind";
// The meta of documents in other languages is for showing, not for finding (scripts/search.py).
const LANGUAGE_META_WEIGHTS = { title: 0, kind: 0, date: 0, language: 0 };
// Intl.Locale gives a language's likely script as ISO 15924; these name it as Unicode does.
const SCRIPT_ALIASES = { Hans: "Hani", Hant: "Hani", Jpan: "Hani|Hira|Kana", Kore: "Hang|Hani" };

const bundle = new URL("../pagefind/", import.meta.url);
const siteRoot = new URL("../", bundle).pathname;

const widget = document.getElementById("sa-search");
const form = document.getElementById("sa-search-form");
const input = document.getElementById("sa-search-input");
const filtersBox = document.getElementById("sa-search-filters");
const facetsBox = document.getElementById("sa-search-facets");
const chosenCount = document.getElementById("sa-search-chosen");
const status = document.getElementById("sa-search-status");
const list = document.getElementById("sa-search-results");
const more = document.getElementById("sa-search-more");
const clear = document.getElementById("sa-search-clear");
const unavailable = document.getElementById("sa-search-unavailable");

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

let pagefind = null;
let languages = null; // [{language, pattern, merged}] once pagefind/languages/index.json is read
let searchId = 0;
let timer = 0;
let current = { results: [], shown: 0, byUrl: new Map(), merged: 0, id: 0, term: "" };

// --- helpers -----------------------------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// Pagefind's excerpts are HTML: escaped text with <mark> around the words found. Only the text
// and the marks are kept, so nothing else from the index can become markup.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return Array.from(parsed.body.childNodes, (node) =>
    node.nodeName === "MARK"
      ? element("mark", {}, node.textContent)
      : document.createTextNode(node.textContent),
  );
}

function pageUrl(url) {
  const absolute = new URL(url, location.href);
  absolute.hash = "";
  return absolute.pathname;
}

function plural(count, one, many) {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
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
  for (const box of facetsBox.querySelectorAll("input.sa-search__option")) {
    box.checked = params.getAll(box.name).includes(box.value);
  }
}

function writeAddress(term, chosen) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [facet] of FACETS) for (const value of chosen[facet] || []) params.append(facet, value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// --- other languages ---------------------------------------------------------------------------

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
      mergeFilter: { record: "language" },
      ranking: { metaWeights: LANGUAGE_META_WEIGHTS },
    });
  }
  await Promise.all(wanted.map((entry) => entry.merged));
}

// --- searching ---------------------------------------------------------------------------------

function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(timer);
  timer = setTimeout(run, delay);
}

async function run() {
  const id = ++searchId;
  const term = input.value.trim();
  const chosen = selected();
  const facetCount = Object.values(chosen).reduce((sum, values) => sum + values.length, 0);
  writeAddress(term, chosen);
  chosenCount.textContent = facetCount ? ` (${facetCount} chosen)` : "";
  clear.hidden = !term && !facetCount;
  if (!term && !facetCount) {
    current = { results: [], shown: 0, byUrl: new Map(), merged: 0, id, term };
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "Type words to search, or choose filters to list statements.";
    widget.removeAttribute("aria-busy");
    return;
  }
  // Several values of one facet widen the search; facets together narrow it.
  const filters = Object.fromEntries(
    Object.entries(chosen).map(([facet, values]) => [facet, { any: values }]),
  );
  widget.setAttribute("aria-busy", "true");
  let results;
  try {
    if (term) {
      await mergeLanguagesFor(term);
      const response = await pagefind.search(term, { filters });
      // A document in another language matched only by its meta or headings scores 0.
      results = response?.results.filter((result) => result.score > 0);
    } else {
      const response = await pagefind.search(BROWSE_TERM, {
        filters: { ...filters, record: "page" },
        sort: { date: "desc" },
      });
      results = response?.results;
    }
  } catch (error) {
    console.error(error);
    if (id === searchId) {
      status.textContent = "The search failed. Please try again.";
      widget.removeAttribute("aria-busy");
    }
    return;
  }
  if (id !== searchId || !results) return;
  current = { results, shown: 0, byUrl: new Map(), merged: 0, id, term };
  list.replaceChildren();
  await showMore();
  if (id === searchId) widget.removeAttribute("aria-busy");
}

function describe() {
  const count = current.results.length - current.merged;
  const what = current.term ? `for “${current.term}”` : "with these filters";
  status.textContent = count
    ? `${plural(count, "statement", "statements")} found ${what}.`
    : `Nothing found ${what}.`;
}

async function showMore() {
  const { id } = current;
  const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  current.shown += batch.length;
  const data = await Promise.all(batch.map((result) => result.data()));
  if (id !== searchId) return;
  for (const result of data) render(result);
  more.hidden = current.shown >= current.results.length;
  describe();
}

// --- results -----------------------------------------------------------------------------------

function excerpt(html, language) {
  const attributes = { class: "sa-search__excerpt" };
  if (language) Object.assign(attributes, { lang: language, dir: "auto" });
  return element("p", attributes, ...excerptNodes(html || ""));
}

// A result's sections with hits (sub-results with an anchor), those with the most hits first.
function sectionItems(result) {
  const page = pageUrl(result.url);
  const language = result.meta.language;
  const sections = (result.sub_results || [])
    .filter((sub) => new URL(sub.url, location.href).hash && sub.locations?.length)
    .sort((a, b) => b.locations.length - a.locations.length)
    .slice(0, SECTIONS_SHOWN);
  return sections.map((sub) => {
    const hash = new URL(sub.url, location.href).hash;
    return element(
      "li",
      { class: "sa-search__section", "data-url": `${page}${hash}` },
      element("a", { class: "sa-search__section-link", href: `${page}${hash}` }, sub.title),
      excerpt(sub.excerpt, language),
    );
  });
}

function addLanguage(item, language) {
  const metaLine = item.querySelector(".sa-search__result-meta");
  if (metaLine.querySelector(`[data-language="${CSS.escape(language)}"]`)) return;
  const name = languageNames.of(language) || language;
  metaLine.append(
    " · ",
    element(
      "span",
      { class: "sa-search__language", "data-language": language },
      `found in the ${name} text`,
    ),
  );
}

function render(result) {
  const url = pageUrl(result.url);
  const language = result.meta.language;
  const sections = current.term ? sectionItems(result) : [];
  const existing = current.byUrl.get(url);
  if (existing) {
    // The same statement found again, in its text in another language: one entry, more sections.
    current.merged += 1;
    const ul = existing.querySelector(".sa-search__sections");
    const known = new Map(Array.from(ul.children, (li) => [li.dataset.url, li]));
    for (const li of sections) {
      const same = known.get(li.dataset.url);
      if (same) same.append(li.querySelector(".sa-search__excerpt"));
      else ul.append(li);
    }
    if (language) addLanguage(existing, language);
    return;
  }
  const meta = [result.meta.date || UNDATED, result.meta.kind].filter(Boolean).join(" · ");
  const item = element(
    "li",
    { class: "sa-search__result", "data-url": url },
    element(
      "p",
      { class: "sa-search__result-title" },
      element("a", { class: "sa-search__result-link", href: url }, result.meta.title || url),
    ),
    element("p", { class: "sa-search__result-meta" }, meta),
  );
  if (current.term && !sections.length) item.append(excerpt(result.excerpt, language));
  item.append(element("ul", { class: "sa-search__sections" }, ...sections));
  if (language) addLanguage(item, language);
  current.byUrl.set(url, item);
  list.append(item);
}

// --- start -------------------------------------------------------------------------------------

async function start() {
  let counts;
  try {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({
      baseUrl: siteRoot,
      excerptLength: 24,
      mergeFilter: { record: "page" },
      // On the page's own thread: the web worker would add 12 kB (gzipped) to the first query,
      // and a search here takes milliseconds.
      noWorker: true,
    });
    const [response] = await Promise.all([fetch(new URL("facets.json", bundle)), pagefind.init()]);
    if (!response.ok) throw new Error(`facets.json: ${response.status}`);
    counts = await response.json();
  } catch (error) {
    console.error(error);
    unavailable.hidden = false;
    return;
  }
  buildFacets(counts);
  readAddress();
  if (window.matchMedia("(max-width: 44.9375em)").matches) filtersBox.open = false;
  input.addEventListener("input", () => schedule());
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
