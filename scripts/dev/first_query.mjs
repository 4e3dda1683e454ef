// argv: site folder, one query. What the search page fetches up to its first results, as
// docs/assets/search.js does it: pagefind.js, the entry and meta files, facets.json, the list
// of languages and the languages the query could be in, the editorial bundle, records.json
// (which statement each hit is), index chunks, and the fragments of the first results.
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, term, shown] = process.argv.slice(2);
globalThis.document = { currentScript: null, querySelector: () => ({ getAttribute: () => "en" }) };
const root = pathToFileURL(site).href;
const fetched = ["/pagefind/pagefind.js"];
const read = async (url) => {
  fetched.push(url.slice(root.length));
  return readFile(fileURLToPath(url));
};
globalThis.fetch = async (input) => new Response(await read(String(input).split("?")[0]));
const bundle = pathToFileURL(`${site}/pagefind/`).href;
const pagefind = await import(`${bundle}pagefind.js`);
const ranking = { metaWeights: { title: 0, kind: 0, date: 0, iso: 0, sections: 0, language: 0 } };
await pagefind.options({
  baseUrl: "/",
  mergeFilter: { record: "page", text: "verbatim" },
  ranking,
  noWorker: true,
});
await pagefind.init();
await read(`${bundle}facets.json`);
await read(`${bundle}records.json`);
const list = JSON.parse(await read(`${bundle}languages/index.json`));
for (const language of list.languages) {
  const script = new Intl.Locale(language).maximize().script;
  const codes = { Hans: "Hani", Hant: "Hani" }[script] || script;
  if (script !== "Latn" && !new RegExp(`\\p{Script=${codes}}`, "u").test(term)) continue;
  await pagefind.mergeIndex(`${bundle}languages/${language}/`, {
    language,
    baseUrl: "/",
    mergeFilter: { record: "language", text: "verbatim" },
    ranking,
  });
}
await pagefind.mergeIndex(`${bundle}editorial/`, {
  baseUrl: "/",
  mergeFilter: { record: "editorial", text: "editorial" },
  ranking,
});
// As the page does: each kind of text, relevance and place (which statement a hit is, from
// records.json), each word alone when there are several and its exact search, then the text of
// the first results shown.
const responses = [];
for (const text of ["verbatim", "editorial"]) {
  responses.push(await pagefind.search(term, { filters: { text } }));
  await pagefind.search(term, { filters: { text }, sort: { statement: "asc" } });
}
const words = term.split(/\s+/).filter(Boolean);
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
for (const word of words) {
  if (!unspaced.test(word)) await pagefind.search(`"${word}"`);
  if (words.length > 1) await pagefind.search(word);
}
const results = responses.flatMap((response) => response.results.filter((r) => r.score > 0));
results.sort((a, b) => b.score - a.score);
await Promise.all(results.slice(0, Number(shown)).map((result) => result.data()));
console.log(JSON.stringify({ fetched: [...new Set(fetched)], results: results.length }));
