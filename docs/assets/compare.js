// The compare-any-two page (/compare/, scripts/render/templates/compare_index.md.j2): a reader
// picks two statements, and a section of each if they like; the redline is drawn here from the
// two statements' JSON files (/data/statements/<id>.json, scripts/render/statement_api.py) by
// docs/assets/redline.js, the Python engine's twin, with diff-match-patch-es (copied into the
// built site from npm). The choice is the address: ?a=<id>&b=<id>&as=<section>&bs=<section>.
//
// Everything from data reaches the page as text (textContent, createElement), never as markup.
//
// Element ids (for people and for browser tests): #sa-compare-form, #sa-compare-a, #sa-compare-as,
// #sa-compare-b, #sa-compare-bs, #sa-compare-swap, #sa-compare-status (a live region),
// #sa-compare-result (the redline: section.sa-compare__pair with del and ins, as on the compare
// pages built in Python), #sa-compare-unavailable.

import { engine } from "./redline.js";

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SECTION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const settings = JSON.parse(document.getElementById("sa-compare-settings").textContent);
const base = document.baseURI;
const form = document.getElementById("sa-compare-form");
const fields = {
  a: document.getElementById("sa-compare-a"),
  as: document.getElementById("sa-compare-as"),
  b: document.getElementById("sa-compare-b"),
  bs: document.getElementById("sa-compare-bs"),
};
const swap = document.getElementById("sa-compare-swap");
const status = document.getElementById("sa-compare-status");
const result = document.getElementById("sa-compare-result");
const unavailable = document.getElementById("sa-compare-unavailable");
const cache = new Map();
let redline = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

async function statement(id) {
  if (!ID.test(id)) throw new Error(`not a statement id: ${id}`);
  if (!cache.has(id)) {
    const url = new URL(`${settings.statements}${id}.json`, base);
    cache.set(
      id,
      fetch(url).then((r) => {
        if (!r.ok) throw new Error(`no statement ${id}`);
        return r.json();
      }),
    );
  }
  return cache.get(id);
}

function link(path) {
  return new URL(settings.root + path, base).href;
}

// How the legend names each side, as compare.side_labels does.
function labels(a, b) {
  const year = (s) => (s.date ? s.date.slice(0, 4) : null);
  if (year(a) && year(b) && year(a) !== year(b)) return [year(a), year(b)];
  const shown = (s) => (s.date ? s.date_display : "undated");
  if (shown(a) !== shown(b)) return [shown(a), shown(b)];
  return ["the older statement", "the newer statement"];
}

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function paragraphsOf(runs) {
  return runs.map((runsOfParagraph) =>
    el("p", {}, ...runsOfParagraph.map(([tag, text]) => (tag ? el(tag, {}, text) : text))),
  );
}

function side(kind, label, href, language, paragraphs) {
  return el(
    "div",
    { class: `sa-compare__side sa-compare__side--${kind}` },
    el("p", { class: "sa-compare__label" }, el("a", { href }, label)),
    el("div", { class: "sa-compare__text", lang: language }, ...paragraphs),
  );
}

function unmatched(kind, heading, statementDoc, sections, tag) {
  const box = el(
    "section",
    { class: "sa-compare__unmatched", id: `compare--only-${kind}` },
    el("h2", { class: "sa-compare__heading" }, heading),
  );
  for (const section of sections) {
    const paragraphs = section.excerpts.flatMap((e) => e.paragraphs);
    box.append(
      el(
        "div",
        { class: "sa-compare__alone" },
        el("p", { class: "sa-compare__label" }, el("a", { href: link(section.path) }, section.heading)),
        el(
          "div",
          { class: "sa-compare__text", lang: statementDoc.language },
          ...(paragraphs.length
            ? paragraphs.map((p) => el("p", {}, el(tag, {}, p)))
            : [el("p", { class: "sa-compare__empty" }, "No verbatim text (the archive has a summary only).")]),
        ),
      ),
    );
  }
  return box;
}

function statementLine(doc) {
  return el(
    "dd",
    {},
    el("a", { href: link(doc.path) }, doc.title),
    " · ",
    doc.date ? el("time", { datetime: doc.date }, doc.date_display) : "Undated",
  );
}

function draw(a, b, aligned) {
  const [oldLabel, newLabel] = labels(a, b);
  const s = aligned.summary;
  const out = el("div", { class: "sa-compare" });
  out.append(
    el(
      "dl",
      { class: "sa-compare__statements" },
      el("dt", {}, "First"),
      statementLine(a),
      el("dt", {}, "Second"),
      statementLine(b),
    ),
    el(
      "ul",
      { class: "sa-compare__summary", "aria-label": "Summary of the changes" },
      el("li", {}, plural(s.changed, "section changed", "sections changed")),
      el("li", {}, `${s.unchanged} unchanged`),
      el("li", {}, `${s.added} new`),
      el("li", {}, `${s.dropped} dropped`),
      el("li", {}, plural(s.wordsAdded, "word added", "words added")),
      el("li", {}, plural(s.wordsDropped, "word dropped", "words dropped")),
    ),
    el(
      "p",
      { class: "sa-compare__legend" },
      el("del", {}, "Struck through"),
      `: only in ${oldLabel} · `,
      el("ins", {}, "Underlined"),
      `: new in ${newLabel}. Only the statements' verbatim words are compared, not the archive's summaries and notes.`,
    ),
  );
  for (const pair of aligned.pairs) {
    const line = pair.redline;
    let meta;
    if (!line.chunks.length) meta = "No verbatim text in either statement";
    else if (line.changed) meta = `${plural(line.added, "word added", "words added")}, ${line.dropped} dropped`;
    else meta = "Unchanged";
    if (pair.matchedBy === "topics") meta += " · paired by shared topics";
    else if (pair.matchedBy === "text") meta += " · paired by similar wording";
    const heading = el("h2", { class: "sa-compare__heading" }, pair.newer.heading);
    if (pair.older.heading !== pair.newer.heading) {
      heading.append(" ", el("span", { class: "sa-compare__was" }, `(in ${oldLabel}: ${pair.older.heading})`));
    }
    out.append(
      el(
        "section",
        { class: "sa-compare__pair", "data-older": pair.older.id, "data-newer": pair.newer.id },
        heading,
        el("p", { class: "sa-compare__meta" }, meta),
        el(
          "div",
          { class: "sa-compare__grid" },
          side("older", capital(oldLabel), link(pair.older.path), a.language, paragraphsOf(line.older())),
          side("newer", capital(newLabel), link(pair.newer.path), b.language, paragraphsOf(line.newer())),
        ),
      ),
    );
  }
  if (aligned.onlyOlder.length) out.append(unmatched("older", `Only in ${oldLabel}`, a, aligned.onlyOlder, "del"));
  if (aligned.onlyNewer.length) out.append(unmatched("newer", `New in ${newLabel}`, b, aligned.onlyNewer, "ins"));
  result.replaceChildren(out);
}

function fillSections(select, doc, chosen) {
  const whole = el("option", { value: "" }, "The whole statement");
  select.replaceChildren(whole, ...doc.sections.map((s) => el("option", { value: s.id }, s.heading)));
  select.value = doc.sections.some((s) => s.id === chosen) ? chosen : "";
}

function chosen() {
  const params = new URLSearchParams(location.search);
  const value = (key, pattern) => {
    const v = params.get(key) || "";
    return pattern.test(v) ? v : "";
  };
  return { a: value("a", ID), b: value("b", ID), as: value("as", SECTION_ID), bs: value("bs", SECTION_ID) };
}

async function show() {
  const choice = chosen();
  fields.a.value = choice.a;
  fields.b.value = choice.b;
  if (!choice.a || !choice.b) {
    result.replaceChildren();
    status.textContent = "Choose two statements to compare.";
    return;
  }
  status.textContent = "Comparing…";
  let a;
  let b;
  try {
    [a, b] = await Promise.all([statement(choice.a), statement(choice.b)]);
  } catch (error) {
    result.replaceChildren();
    status.textContent = `Could not load the statements: ${error.message}.`;
    return;
  }
  fillSections(fields.as, a, choice.as);
  fillSections(fields.bs, b, choice.bs);
  const sectionsA = choice.as ? a.sections.filter((s) => s.id === choice.as) : a.sections;
  const sectionsB = choice.bs ? b.sections.filter((s) => s.id === choice.bs) : b.sections;
  const aligned =
    sectionsA.length === 1 && sectionsB.length === 1 && (choice.as || choice.bs)
      ? redline.pairOf(sectionsA[0], sectionsB[0], a.language, b.language)
      : redline.align(sectionsA, sectionsB, a.language, b.language);
  draw(a, b, aligned);
  const s = aligned.summary;
  status.textContent = `Compared: ${plural(s.changed, "section changed", "sections changed")}, ${plural(
    s.wordsAdded,
    "word added",
    "words added",
  )}, ${s.wordsDropped} dropped.`;
}

function address() {
  const params = new URLSearchParams();
  for (const key of ["a", "b", "as", "bs"]) if (fields[key].value) params.set(key, fields[key].value);
  return `${location.pathname}?${params}`;
}

async function main() {
  if (!settings.library) {
    unavailable.hidden = false;
    return;
  }
  let library;
  let list;
  try {
    [library, list] = await Promise.all([
      import(new URL(settings.library, base).href),
      fetch(new URL(settings.list, base)).then((r) => {
        if (!r.ok) throw new Error("no statement list");
        return r.json();
      }),
    ]);
  } catch {
    unavailable.hidden = false;
    return;
  }
  redline = engine(library, settings.rules);
  const newestFirst = [...list.statements].reverse();
  for (const select of [fields.a, fields.b]) {
    select.replaceChildren(
      el("option", { value: "" }, "Choose a statement"),
      ...newestFirst.map((s) => el("option", { value: s.id }, `${s.date_display} — ${s.title}`)),
    );
  }
  form.hidden = false;
  for (const [key, sections] of [["a", fields.as], ["b", fields.bs]]) {
    fields[key].addEventListener("change", async () => {
      if (!fields[key].value) return;
      try {
        fillSections(sections, await statement(fields[key].value), "");
      } catch {
        sections.replaceChildren(el("option", { value: "" }, "The whole statement"));
      }
    });
  }
  swap.addEventListener("click", () => {
    [fields.a.value, fields.b.value] = [fields.b.value, fields.a.value];
    const [as, bs] = [fields.as.cloneNode(true), fields.bs.cloneNode(true)];
    const [asValue, bsValue] = [fields.as.value, fields.bs.value];
    fields.as.replaceChildren(...bs.childNodes);
    fields.bs.replaceChildren(...as.childNodes);
    fields.as.value = bsValue;
    fields.bs.value = asValue;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.pushState(null, "", address());
    show();
  });
  window.addEventListener("popstate", show);
  await show();
}

main();
