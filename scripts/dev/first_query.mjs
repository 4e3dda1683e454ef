// argv: site folder, one query. What the search page fetches up to its first results, as
// docs/assets/search.js does it: pagefind.js, the entry and meta files, facets.json, the list
// of languages and the languages the query could be in, the editorial bundle, index chunks, and
// the fragment of every hit (the page counts statements once and charts their years).
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, term] = process.argv.slice(2); // a third argument, the results shown, is not used: every hit is read
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
// As the page does: each kind of text, then each word alone (is it in the archive, is it in the
// text of every hit), then the text of every hit (statements counted once, the year chart).
const responses = await Promise.all(
  ["verbatim", "editorial"].map((text) => pagefind.search(term, { filters: { text } })),
);
const words = term.split(/\s+/).filter(Boolean);
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
for (const word of words) {
  if (!unspaced.test(word)) await pagefind.search(`"${word}"`);
  if (words.length > 1) await pagefind.search(word);
}
const results = responses.flatMap((response) => response.results.filter((r) => r.score > 0));
await Promise.all(results.map((result) => result.data()));
const statements = new Set((await Promise.all(results.map((r) => r.data()))).map((d) => d.url));
console.log(JSON.stringify({ fetched: [...new Set(fetched)], results: statements.size }));
