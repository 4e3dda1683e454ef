// argv: site folder, one query. What the search page fetches up to its first results, as
// docs/assets/search.js does it: pagefind.js, the entry and meta files, facets.json, the list
// of languages and the languages the query could be in, index chunks, the first fragments.
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
await pagefind.options({ baseUrl: "/", mergeFilter: { record: "page" }, noWorker: true });
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
    mergeFilter: { record: "language" },
    ranking: { metaWeights: { title: 0, kind: 0, date: 0, language: 0 } },
  });
}
const response = await pagefind.search(term);
const results = response.results.filter((result) => result.score > 0);
await Promise.all(results.slice(0, Number(shown)).map((result) => result.data()));
console.log(JSON.stringify({ fetched: [...new Set(fetched)], results: results.length }));
