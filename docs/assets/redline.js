// The redline engine of the compare-any-two page: scripts/render/redline.py done again in the
// browser, step for step, so that /compare/?a=…&b=… shows the redline that the compare pages
// built in Python show. Read that module's docstring for the why; here only the how.
//
// `engine(library, rules)`: `library` is diff-match-patch-es (npm, pinned in package-lock.json;
// the build copies it to compare/diff-match-patch-es.js), the same algorithm as PyPI's
// diff-match-patch; `rules` are redline.browser_rules(), embedded in the compare page as JSON:
// the code point ranges of punctuation and of CJK characters, the languages read character by
// character, the alignment threshold and the first character of the token encoding.
//
// Pure: no DOM, no fetch. tests/test_redline.py runs it in Node.js against the Python engine.

const SPACE = " ";
const PARAGRAPH = "\n";
const SURROGATES = [0xd800, 0xdfff];
const SURROGATE_COUNT = SURROGATES[1] - SURROGATES[0] + 1;

export function engine(library, rules) {
  const hex = (code) => `\\u{${code.toString(16)}}`;
  const cls = (ranges) => ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join("");
  const punctuation = cls(rules.punctuation);
  const ideographs = cls(rules.cjk);
  const plain = new RegExp(` +|\\n|[${punctuation}]|[^ \\n${punctuation}]+`, "gu");
  const segmentedPattern = new RegExp(
    ` +|\\n|[${punctuation}]|[${ideographs}]|[^ \\n${punctuation}${ideographs}]+`,
    "gu",
  );
  const first = rules.firstChar;

  function segmented(language) {
    return rules.cjkLanguages.includes(String(language).split("-")[0].toLowerCase());
  }

  function tokens(text, language) {
    return text.match(segmented(language) ? segmentedPattern : plain) || [];
  }

  function isPunctuation(token) {
    const points = [...token];
    if (points.length !== 1) return false;
    const code = points[0].codePointAt(0);
    return rules.punctuation.some(([a, b]) => a <= code && code <= b);
  }

  function isWord(token) {
    return token !== "" && token[0] !== SPACE && token[0] !== PARAGRAPH && !isPunctuation(token);
  }

  const words = (items) => items.filter(isWord).length;

  function char(number) {
    let code = first + number;
    if (code >= SURROGATES[0]) code += SURROGATE_COUNT;
    if (code > 0xffff) throw new Error("too many distinct words to compare");
    return String.fromCharCode(code);
  }

  function diff(older, newer) {
    const table = new Map();
    const vocabulary = [];
    const encode = (items) =>
      items
        .map((token) => {
          let c = table.get(token);
          if (c === undefined) {
            c = char(vocabulary.length);
            table.set(token, c);
            vocabulary.push(token);
          }
          return c;
        })
        .join("");
    const a = encode(older);
    const b = encode(newer);
    const diffs = library.diffMain(a, b, { diffTimeout: 0 }, false);
    return diffs.map(([op, text]) => [
      op,
      [...text].map((c) => {
        const code = c.charCodeAt(0);
        return vocabulary[code - first - (code > SURROGATES[1] ? SURROGATE_COUNT : 0)];
      }),
    ]);
  }

  // Kept runs are {kept: [...]}, changes {dropped: [...], added: [...]}.
  function chunks(diffs) {
    const out = [];
    for (const [op, items] of diffs) {
      const last = out.length ? out[out.length - 1] : null;
      if (op === 0) out.push({ kept: items });
      else if (last && !last.kept) {
        if (op < 0) last.dropped = last.dropped.concat(items);
        else last.added = last.added.concat(items);
      } else out.push(op < 0 ? { dropped: items, added: [] } : { dropped: [], added: items });
    }
    const joined = [];
    for (let i = 0; i < out.length; i++) {
      const chunk = out[i];
      const before = joined.length ? joined[joined.length - 1] : null;
      if (
        chunk.kept &&
        before &&
        !before.kept &&
        i + 1 < out.length &&
        chunk.kept.every((t) => t[0] === SPACE)
      ) {
        const after = out[i + 1];
        joined[joined.length - 1] = {
          dropped: before.dropped.concat(chunk.kept, after.dropped),
          added: before.added.concat(chunk.kept, after.added),
        };
        i += 1;
        continue;
      }
      joined.push(chunk);
    }
    return joined;
  }

  // Paragraphs of [tag or null, text] runs for one side ("older": <del>, "newer": <ins>,
  // "both"), spaces at a change's edges set outside it, as redline._html does.
  function paragraphs(items, side) {
    const out = [];
    let current = [];
    const text = (s) => {
      if (s) current.push([null, s]);
    };
    const breakParagraph = () => {
      out.push(current);
      current = [];
    };
    const mark = (list, tag) => {
      let run = [];
      const flush = () => {
        const all = run.join("");
        const core = all.replace(/^ +| +$/g, "");
        if (core) {
          text(all.slice(0, all.length - all.replace(/^ +/, "").length));
          current.push([tag, core]);
          text(all.slice(all.replace(/ +$/, "").length));
        } else text(all);
        run = [];
      };
      for (const token of list) {
        if (token === PARAGRAPH) {
          flush();
          breakParagraph();
        } else run.push(token);
      }
      flush();
    };
    for (const chunk of items) {
      if (chunk.kept) {
        for (const token of chunk.kept) {
          if (token === PARAGRAPH) breakParagraph();
          else text(token);
        }
      } else {
        if (side !== "newer") mark(chunk.dropped, "del");
        if (side !== "older") mark(chunk.added, "ins");
      }
    }
    breakParagraph();
    return out.filter((p) => p.length).map(merge);
  }

  const merge = (runs) => {
    const out = [];
    for (const [tag, s] of runs) {
      const last = out[out.length - 1];
      if (last && last[0] === null && tag === null) last[1] += s;
      else out.push([tag, s]);
    }
    return out;
  };

  function redline(older, newer, olderLanguage, newerLanguage) {
    const items = chunks(diff(tokens(older, olderLanguage), tokens(newer, newerLanguage)));
    let added = 0;
    let dropped = 0;
    let kept = 0;
    for (const c of items) {
      if (c.kept) kept += words(c.kept);
      else {
        added += words(c.added);
        dropped += words(c.dropped);
      }
    }
    const total = 2 * kept + added + dropped;
    return {
      chunks: items,
      added,
      dropped,
      kept,
      changed: items.some((c) => !c.kept),
      similarity: total === 0 ? 1.0 : (2 * kept) / total,
      addedWords: items.flatMap((c) => (c.kept ? [] : c.added.filter(isWord))),
      droppedWords: items.flatMap((c) => (c.kept ? [] : c.dropped.filter(isWord))),
      older: () => paragraphs(items, "older"),
      newer: () => paragraphs(items, "newer"),
    };
  }

  // A section of a per-statement JSON file (scripts/render/statement_api.py): its excerpts'
  // paragraphs, one line each.
  function sectionText(section) {
    return section.excerpts.flatMap((e) => e.paragraphs).join(PARAGRAPH);
  }

  function greedy(older, newer, score) {
    const candidates = [];
    for (const i of older) {
      for (const j of newer) {
        const value = score(i, j);
        if (value !== null) candidates.push([-value, i, j]);
      }
    }
    candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    const usedOlder = new Set();
    const usedNewer = new Set();
    const chosen = [];
    for (const [, i, j] of candidates) {
      if (!usedOlder.has(i) && !usedNewer.has(j)) {
        usedOlder.add(i);
        usedNewer.add(j);
        chosen.push([i, j]);
      }
    }
    return chosen;
  }

  // redline.align on two lists of sections (per-statement JSON), each in its language.
  function align(a, b, langA, langB) {
    const textsA = a.map(sectionText);
    const textsB = b.map(sectionText);
    const matched = new Map(); // newer position → [older position, how]
    const idsB = new Map(b.map((s, j) => [s.id, j]));
    a.forEach((s, i) => {
      if (idsB.has(s.id)) matched.set(idsB.get(s.id), [i, "id"]);
    });
    const left = () => {
      const used = new Set([...matched.values()].map(([i]) => i));
      return [
        a.map((_, i) => i).filter((i) => !used.has(i)),
        b.map((_, j) => j).filter((j) => !matched.has(j)),
      ];
    };
    const topics = (i, j) => {
      const ta = new Set(a[i].topics);
      const tb = new Set(b[j].topics);
      const shared = [...ta].filter((t) => tb.has(t)).length;
      return shared ? shared / new Set([...ta, ...tb]).size : null;
    };
    for (const [i, j] of greedy(...left(), topics)) matched.set(j, [i, "topics"]);
    const cache = new Map();
    const text = (i, j) => {
      if (!textsA[i] || !textsB[j]) return null;
      const line = redline(textsA[i], textsB[j], langA, langB);
      cache.set(`${i},${j}`, line);
      return line.similarity >= rules.similarityThreshold ? line.similarity : null;
    };
    for (const [i, j] of greedy(...left(), text)) matched.set(j, [i, "text"]);
    const pairs = [...matched.keys()]
      .sort((x, y) => x - y)
      .map((j) => {
        const [i, how] = matched.get(j);
        const line = cache.get(`${i},${j}`) || redline(textsA[i], textsB[j], langA, langB);
        return { older: a[i], newer: b[j], matchedBy: how, redline: line };
      });
    const [restA, restB] = left();
    return pairsSummary(
      pairs,
      restA.map((i) => a[i]),
      restB.map((j) => b[j]),
      langA,
      langB,
    );
  }

  // Two chosen sections, compared whatever their ids and topics.
  function pairOf(a, b, langA, langB) {
    const line = redline(sectionText(a), sectionText(b), langA, langB);
    return pairsSummary([{ older: a, newer: b, matchedBy: "chosen", redline: line }], [], [], langA, langB);
  }

  function pairsSummary(pairs, onlyOlder, onlyNewer, langA, langB) {
    const sectionWords = (s, lang) => words(tokens(sectionText(s), lang));
    return {
      pairs,
      onlyOlder,
      onlyNewer,
      summary: {
        changed: pairs.filter((p) => p.redline.changed).length,
        unchanged: pairs.filter((p) => !p.redline.changed).length,
        added: onlyNewer.length,
        dropped: onlyOlder.length,
        wordsAdded:
          pairs.reduce((n, p) => n + p.redline.added, 0) +
          onlyNewer.reduce((n, s) => n + sectionWords(s, langB), 0),
        wordsDropped:
          pairs.reduce((n, p) => n + p.redline.dropped, 0) +
          onlyOlder.reduce((n, s) => n + sectionWords(s, langA), 0),
      },
    };
  }

  return { tokens, isWord, redline, align, pairOf, sectionText, segmented };
}
