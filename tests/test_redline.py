"""The redline engine (scripts/render/redline.py): tokens, the word-level diff, its HTML, the
alignment of two statements' sections, and its twin in the browser (docs/assets/redline.js),
run in Node.js on the same texts when Node.js and `npm ci`'s diff-match-patch-es are there."""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from support.archive import REPO
from support.html import Element, parse_html

from scripts.model import Excerpt, Section, Statement
from scripts.pipeline import Archive
from scripts.render.redline import (
    Changed,
    Kept,
    align,
    browser_rules,
    is_word,
    redline,
    section_text,
    tokens,
)

OLD_EN = (
    "Both sides agreed on coordination in the Arctic Dialogue.\n"
    "They will review the coordination in the Arctic Dialogue every two years."
)
NEW_EN = (
    "Both sides agreed on closer coordination in the Arctic Dialogue.\n"
    "They will review the coordination in the Arctic Dialogue each year."
)
OLD_ZH = "中方愿同各方加强北极航运合作，维护地区和平与稳定。"
NEW_ZH = "中方愿同各方深化北极航运合作，共同维护地区和平与稳定，支持IMO的工作。"


def marked(html: str, tag: str) -> list[str]:
    """The text of each <tag> element of some HTML."""
    return [e.text() for e in parse_html(html).elements(tag)]


# --- tokens -----------------------------------------------------------------------------------


def test_tokens_are_words_spaces_and_punctuation_and_give_the_text_back() -> None:
    text = "The sides' «dialogue», counter-terrorism — 2026!"
    found = tokens(text)
    assert "".join(found) == text
    assert found == [
        "The", " ", "sides", "'", " ", "«", "dialogue", "»", ",", " ", "counter", "-",
        "terrorism", " ", "—", " ", "2026", "!",
    ]  # fmt: skip
    assert [t for t in found if is_word(t)] == [
        "The", "sides", "dialogue", "counter", "terrorism", "2026",
    ]  # fmt: skip


def test_chinese_japanese_and_korean_are_read_character_by_character() -> None:
    assert tokens("中国和ASEAN国家。", "zh") == ["中", "国", "和", "ASEAN", "国", "家", "。"]
    assert tokens("中国和ASEAN", "zh-Hant") == ["中", "国", "和", "ASEAN"]
    assert tokens("日本とASEAN", "ja") == ["日", "本", "と", "ASEAN"]
    assert tokens("한국과 일본", "ko") == ["한", "국", "과", " ", "일", "본"]
    assert tokens("中国和ASEAN", "en") == ["中国和ASEAN"], "only in a CJK language"
    assert not is_word("。") and is_word("国")


# --- the diff ---------------------------------------------------------------------------------


def test_english_redline_marks_exactly_the_words_that_differ() -> None:
    line = redline(OLD_EN, NEW_EN)
    assert line.dropped_words() == ["every", "two", "years"]
    assert line.added_words() == ["closer", "each", "year"]
    assert (line.added, line.dropped) == (3, 3)
    assert marked(line.older_html(), "del") == ["every two years"]
    assert marked(line.newer_html(), "ins") == ["closer", "each year"]
    assert not marked(line.older_html(), "ins") and not marked(line.newer_html(), "del")
    # Each side reads back as its text, one <p> per paragraph.
    older = parse_html(line.older_html())
    assert [p.text() for p in older.elements("p")] == OLD_EN.split("\n")
    newer = parse_html(line.newer_html())
    assert [p.text() for p in newer.elements("p")] == NEW_EN.split("\n")


def test_chinese_redline_marks_exactly_the_characters_that_differ() -> None:
    line = redline(OLD_ZH, NEW_ZH, "zh", "zh")
    assert marked(line.older_html(), "del") == ["加强"]
    assert marked(line.newer_html(), "ins") == ["深化", "共同", "，支持IMO的工作"]
    assert line.dropped_words() == ["加", "强"]
    assert line.added_words() == ["深", "化", "共", "同", "支", "持", "IMO", "的", "工", "作"]
    assert (line.added, line.dropped) == (10, 2)


def test_a_run_of_spaces_between_two_changes_joins_them() -> None:
    line = redline("a quick brown fox", "a slow red fox")
    assert line.chunks == (
        Kept(("a", " ")),
        Changed(("quick", " ", "brown"), ("slow", " ", "red")),
        Kept((" ", "fox")),
    )


def test_identical_and_empty_texts() -> None:
    same = redline(OLD_EN, OLD_EN)
    assert not same.changed and same.similarity == 1.0 and same.added == same.dropped == 0
    empty = redline("", "")
    assert empty.chunks == () and empty.similarity == 1.0
    new = redline("", "All new.")
    assert new.added_words() == ["All", "new"] and marked(new.newer_html(), "ins") == ["All new."]


def test_hostile_text_is_escaped_never_markup() -> None:
    older = '<script>alert(1)</script> & <img src=x onerror="alert(2)">'
    newer = '<b onclick="x()">bold</b> &amp; <img src=x onerror="alert(2)">'
    line = redline(older, newer)
    for html in (line.older_html(), line.newer_html(), line.inline_html()):
        page = parse_html(html)
        assert {e.tag for e in page.root.iter()} <= {"#document", "p", "del", "ins"}, html
    assert parse_html(line.older_html()).root.text() == older
    assert parse_html(line.newer_html()).root.text() == newer
    assert "<script" not in line.older_html() and "&lt;" in line.older_html()


# --- alignment --------------------------------------------------------------------------------


def section(
    section_id: str, text: str, topics: tuple[str, ...] = (), heading: str | None = None
) -> Section:
    return Section(
        id=section_id,
        heading=heading or section_id.title(),
        countries=(),
        forums=(),
        topics=topics,
        summary=None,
        excerpts=(Excerpt(text, "official", None),) if text else (),
        annotations=(),
    )


def with_sections(base: Statement, *sections: Section, language: str = "en") -> Statement:
    return dataclasses.replace(base, sections=tuple(sections), language=language)


@pytest.fixture(scope="module")
def base(compare_archive: Archive) -> Statement:
    return compare_archive.index.statements[0]


def test_alignment_by_id_then_topics_then_text(base: Statement) -> None:
    older = with_sections(
        base,
        section("arctic", "We agree on the Arctic."),
        section("terror", "We condemn terrorism.", ("counter-terrorism",)),
        section("trade", "Trade between the two sides will grow every year."),
        section("gone", "Something said once only."),
    )
    newer = with_sections(
        base,
        section("commerce", "Trade between the two sides will grow every year, they say."),
        section("afghanistan", "We condemn terrorism in Afghanistan.", ("counter-terrorism",)),
        section("arctic", "We agree on the Arctic again."),
        section("balkans", "A new matter altogether, in different words."),
    )
    aligned = align(older, newer)
    assert [(p.older.id, p.newer.id, p.matched_by) for p in aligned.pairs] == [
        ("trade", "commerce", "text"),
        ("terror", "afghanistan", "topics"),
        ("arctic", "arctic", "id"),
    ], "in the newer statement's order"
    assert [s.id for s in aligned.only_older] == ["gone"]
    assert [s.id for s in aligned.only_newer] == ["balkans"]
    summary = aligned.summary
    assert (summary.changed, summary.unchanged, summary.added, summary.dropped) == (3, 0, 1, 1)
    assert summary.words_added == 2 + 2 + 1 + 7  # they say · in Afghanistan · again · balkans
    assert summary.words_dropped == 4  # the words of "gone"


def test_alignment_by_topics_prefers_the_closest_match(base: Statement) -> None:
    older = with_sections(base, section("x", "One.", ("a", "b")), section("y", "Two.", ("a",)))
    newer = with_sections(base, section("p", "Uno.", ("a",)), section("q", "Dos.", ("a", "b")))
    aligned = align(older, newer)
    assert [(p.older.id, p.newer.id) for p in aligned.pairs] == [("y", "p"), ("x", "q")]


def test_dissimilar_texts_stay_apart(base: Statement) -> None:
    older = with_sections(base, section("a", "Fish stocks will be shared by all."))
    newer = with_sections(base, section("b", "The rescue exercise is held each spring."))
    aligned = align(older, newer)
    assert not aligned.pairs and len(aligned.only_older) == len(aligned.only_newer) == 1


def test_fixture_series_and_chinese_pair(compare_archive: Archive) -> None:
    by_id = {s.id: s for s in compare_archive.index.statements}
    older = by_id["2024-09-20-fictional-norway-iceland-statement"]
    newer = by_id["2026-03-12-fictional-norway-iceland-statement"]
    aligned = align(older, newer)
    assert [(p.older.id, p.newer.id, p.matched_by) for p in aligned.pairs] == [
        ("arctic", "arctic", "id"),
        ("terrorism", "afghanistan", "topics"),
    ]
    assert aligned.pairs[0].redline.added_words() == ["closer", "each", "year"]
    assert aligned.pairs[1].redline.added_words() == ["according", "to", "the", "report"]
    assert [s.id for s in aligned.only_older] == ["fisheries"]
    assert [s.id for s in aligned.only_newer] == ["western-balkans"]
    zh = align(
        by_id["2026-04-fictional-chinese-statement"], by_id["2026-06-fictional-chinese-statement"]
    )
    assert zh.pairs[0].redline.dropped_words() == ["加", "强"]
    assert section_text(zh.pairs[0].newer) == NEW_ZH


# --- the browser's twin -----------------------------------------------------------------------

LIBRARY = REPO / "node_modules" / "diff-match-patch-es" / "dist" / "index.mjs"
HARNESS = """
import * as library from "./library.mjs";
import { engine } from "./redline.mjs";
import { readFileSync } from "node:fs";
const { rules, cases } = JSON.parse(readFileSync(0, "utf8"));
const e = engine(library, rules);
const out = cases.map(([a, b, la, lb]) => {
  const r = e.redline(a, b, la, lb);
  return { chunks: r.chunks, older: r.older(), newer: r.newer(), added: r.added,
           dropped: r.dropped, similarity: r.similarity, tokens: e.tokens(a, la) };
});
process.stdout.write(JSON.stringify(out));
"""


def random_text(rng: random.Random, words: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(0, 40)):
        parts.append(rng.choice(words))
        parts.append(rng.choice([" ", " ", " ", "  ", "\n", ""]))
    return "".join(parts).strip(" ")


def raw(element: Element) -> str:
    """An element's text exactly, white space as it is."""
    return "".join(c if isinstance(c, str) else raw(c) for c in element.children)


def python_side(a: str, b: str, la: str, lb: str) -> dict[str, object]:
    line = redline(a, b, la, lb)

    def runs(html: str) -> list[list[list[str | None]]]:
        out = []
        for p in parse_html(html).elements("p"):
            out.append(
                [
                    [None, str(child)] if isinstance(child, str) else [child.tag, raw(child)]
                    for child in p.children
                ]
            )
        return out

    chunks: list[dict[str, list[str]]] = [
        {"kept": list(c.tokens)}
        if isinstance(c, Kept)
        else {"dropped": list(c.dropped), "added": list(c.added)}
        for c in line.chunks
    ]
    return {
        "chunks": chunks,
        "older": runs(line.older_html()),
        "newer": runs(line.newer_html()),
        "added": line.added,
        "dropped": line.dropped,
        "similarity": line.similarity,
        "tokens": tokens(a, la),
    }


def test_the_browser_engine_gives_the_same_redline(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not LIBRARY.is_file():
        pytest.skip("needs Node.js and node_modules/diff-match-patch-es (npm ci)")
    shutil.copy(LIBRARY, tmp_path / "library.mjs")
    shutil.copy(REPO / "docs" / "assets" / "redline.js", tmp_path / "redline.mjs")
    (tmp_path / "harness.mjs").write_text(HARNESS, encoding="utf-8")
    rng = random.Random(12)
    en = "the of and sides agree agreed on closer coordination Arctic , . ; — « » 2026 it's"
    zh = [*"中方愿同各方加强深化北极航运合作，维护地区和平与稳定。", "IMO", "ASEAN", " "]
    cases = [[OLD_EN, NEW_EN, "en", "en"], [OLD_ZH, NEW_ZH, "zh", "zh"]]
    words = en.split(" ")
    cases += [[random_text(rng, words), random_text(rng, words), "en", "en"] for _ in range(150)]
    cases += [[random_text(rng, zh), random_text(rng, zh), "zh", "zh"] for _ in range(150)]
    cases += [["<b>x</b> & y", "<i>x</i> &amp; y", "en", "en"], ["𠀀𠀁 a", "𠀀 b", "zh", "zh"]]
    done = subprocess.run(
        [node, "harness.mjs"],
        input=json.dumps({"rules": browser_rules(), "cases": cases}),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    browser = json.loads(done.stdout)

    def tidy(side: dict[str, object]) -> dict[str, object]:
        """HTML runs with adjacent text joined, as both sides write them."""
        out = dict(side)
        for key in ("older", "newer"):
            paragraphs = []
            for runs in side[key]:  # type: ignore[attr-defined]
                joined: list[list[str | None]] = []
                for tag, text in runs:
                    if joined and tag is None and joined[-1][0] is None:
                        joined[-1] = [None, (joined[-1][1] or "") + text]
                    else:
                        joined.append([tag, text])
                paragraphs.append(joined)
            out[key] = paragraphs
        return out

    for case, got in zip(cases, browser, strict=True):
        assert tidy(got) == tidy(python_side(*case)), case


def test_the_c_plus_plus_edition_gives_the_python_editions_edits() -> None:
    """The build diffs with Google's C++ diff-match-patch; the browser runs the JavaScript
    edition, checked above against the build. The reference is the Python edition, line for line
    the JavaScript one: on the same encoded tokens, with no time limit, the C++ edition must give
    exactly its edits."""
    from diff_match_patch import diff_match_patch

    from scripts.render import redline as module

    reference = diff_match_patch()
    reference.Diff_Timeout = 0
    rng = random.Random(7)
    en = [
        "the",
        "of",
        "and",
        "sides",
        "agree",
        "agreed",
        "on",
        "closer",
        "coordination",
        "Arctic",
        ",",
        ".",
        ";",
        "—",
        "«",
        "»",
        "2026",
    ]
    zh = [*"中方愿同各方加强深化北极航运合作，维护地区和平与稳定。", "IMO", " "]
    cases = [(OLD_EN, NEW_EN, "en"), (OLD_ZH, NEW_ZH, "zh")]
    cases += [(random_text(rng, en), random_text(rng, en), "en") for _ in range(200)]
    cases += [(random_text(rng, zh), random_text(rng, zh), "zh") for _ in range(200)]
    for older, newer, language in cases:
        a, b = tokens(older, language), tokens(newer, language)
        ours = module._diff(a, b)
        table: dict[str, str] = {}
        encode = [
            "".join(table.setdefault(t, module._char(len(table))) for t in side) for side in (a, b)
        ]
        theirs = [
            (op, [t for c in text for t in (_token_of(table, c),)])
            for op, text in reference.diff_main(encode[0], encode[1], False)
        ]
        assert ours == theirs, (older, newer)


def _token_of(table: dict[str, str], char: str) -> str:
    return next(token for token, c in table.items() if c == char)
