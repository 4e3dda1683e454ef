"""Hostile input: what a stranger's pull request can put into data/, dropped in as a contributor
would, is either refused by `make check` — the exact `path:line:col: message` lines and the
count, through `python -m scripts check` — or built into a site where it is inert: shown as the
characters written, never as markup, never as a file read, never as a script that runs.

Classes covered (SPEC §4, issue 6): YAML anchors, aliases, alias bombs and merge keys; tags
(`!!python/…`, local tags, %TAG directives); duplicate keys; tabs; deep nesting; oversized files
(refused before any parsing); non-UTF-8 and invisible-line-break bytes; empty files; wrong types;
bad ids and file names (path separators, `..`, upper case, spaces, look-alike letters); symbolic
links under data/ (refused, never followed); impossible dates; `javascript:`, `data:`,
`vbscript:`, `file:` and other non-http(s) URLs; and in every text field: raw HTML, Markdown and
autolinks to script URLs (plain and entity-encoded), image tricks, `attr_list` attribute lists
(`{: onclick=… }`), pymdownx snippet includes (`--8<--`), the `toc` marker (`[TOC]`, the one other
extension mkdocs.yml enables), heading ids (`{#id}`), Jinja2 expressions and character
references. A browser test loads the pages built from the allowed payloads and checks that no
script runs and no element has an event-handler attribute.

Many single rules are tested in test_load.py and test_validate.py; the cases here go through the
whole command, several per class, each with its exact output.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from support.archive import FIXTURE, REPO, copy_archive
from support.browser import CHROMIUM_ARGS, Tab, open_tab, serve, sync_playwright
from support.html import SITE_PATH, Site, parse_html, resolve
from support.statements import BASE, FILE, at, changed, expected_report, write

from scripts import load
from scripts.commands import main
from scripts.load import MAX_FILE_BYTES

if sync_playwright is not None:
    from playwright.sync_api import expect

"""A valid statement with every text field; each case changes one thing in it."""

HTML_HINT = "; write plain text (summaries and notes may use Markdown: **bold**, [text](https://…))"
LINK_HINT = " is not allowed; links must start with http://, https://, mailto: or #"
URL_MESSAGE = "'{}' must be an http:// or https:// address, not '{}'"
TAG_HINT = "; write the value without it (every value is read as text)"
SYMLINK = "symbolic links are not allowed in data/; commit the file itself"


@dataclass(frozen=True)
class Case:
    """Files written into an archive with the repository's vocabularies, and the problem lines
    `check` must print for them. A path that starts with '+' is appended to that vocabulary file;
    `{+}` in an expected line is the number of the first appended line."""

    files: dict[str, str | bytes]
    expected: tuple[str, ...]
    why: str = ""


def statement(text: str | bytes, *expected: str, file: str = FILE) -> Case:
    return Case({file: text}, expected)


def raw_html(field: str, line: int, col: int, snippet: str) -> str:
    return at(line, col, f"raw HTML is not allowed in '{field}': '{snippet}'{HTML_HINT}")


def link(field: str, line: int, col: int, target: str) -> str:
    return at(line, col, f"link target '{target}' in '{field}'{LINK_HINT}")


SLUG = (
    "must be lower-case letters and digits joined by single hyphens, like 'counter-terrorism', not"
)


def id_problems(value: str) -> tuple[str, str]:
    """What a statement id that is not a slug (and so not its file's name) gets."""
    return (
        at(1, 5, f"'id' {SLUG} '{value}'"),
        at(
            1,
            5,
            f"id '{value}' must equal the file name; rename the file to '{value}.yml' or set id:"
            " 2026-05-21-hostile",
        ),
    )


BOMB = "".join(
    f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9 if n else ['"lol"'] * 9) + "]\n"
    for n in range(10)
)
"""A billion laughs: ten levels of nine aliases each."""

IMG = "<img src=x onerror=alert(1)>"


REFUSED: dict[str, Case] = {
    # --- YAML structure: anchors, aliases, merge keys, tags, duplicates, tabs, nesting ---------
    "anchor": statement(
        changed("title: A test", "title: &t A test"),
        at(2, 8, "YAML anchors (&name) are not allowed; write the value out"),
    ),
    "alias": statement(
        changed("place: Beijing", "place: *somewhere"),
        at(7, 8, "YAML aliases (*name) are not allowed; write the value out"),
    ),
    "alias-bomb": statement(
        BASE + BOMB, at(31, 5, "YAML anchors (&name) are not allowed; write the value out")
    ),
    "merge-key": statement(
        changed(
            "  - {name: Xi Jinping, role: President, country: CN}",
            "  - &xi {name: Xi Jinping, role: President, country: CN}\n  - {<<: *xi}",
        ),
        at(9, 5, "YAML anchors (&name) are not allowed; write the value out"),
    ),
    "python-object-tag": statement(
        changed("title: A test statement", 'title: !!python/object/apply:os.system ["id"]'),
        at(2, 8, f"YAML tags are not allowed: '!!python/object/apply:os.system'{TAG_HINT}"),
    ),
    "python-name-tag": statement(
        changed("kind: joint-statement", "kind: !!python/name:os.system"),
        at(5, 7, f"YAML tags are not allowed: '!!python/name:os.system'{TAG_HINT}"),
    ),
    "local-tag": statement(
        changed("summary: Both", "summary: !evil Both"),
        at(10, 10, f"YAML tags are not allowed: '!evil'{TAG_HINT}"),
    ),
    "tag-directive": statement(
        "%TAG !e! tag:evil.example,2026:\n---\n"
        + changed("title: A test", "title: !e!payload A test"),
        at(4, 8, f"YAML tags are not allowed: 'tag:evil.example,2026:payload'{TAG_HINT}"),
    ),
    "binary-tag": statement(
        changed("text: Both sides", "text: !!binary Both sides"),
        at(25, 15, f"YAML tags are not allowed: '!!binary'{TAG_HINT}"),
    ),
    "tag-on-a-key": statement(
        changed("place: Beijing", "!!python/str place: Beijing"),
        at(7, 1, f"YAML tags are not allowed: '!!python/str'{TAG_HINT}"),
    ),
    "duplicate-key": statement(
        BASE + "title: A second title\n",
        at(31, 1, "duplicate key 'title' (already set on line 2); keep one of them"),
    ),
    "duplicate-key-in-a-section": statement(
        changed("    heading: Afghanistan\n", "    heading: Afghanistan\n    heading: Other\n"),
        at(20, 5, "duplicate key 'heading' (already set on line 19); keep one of them"),
    ),
    "duplicate-key-in-a-flow-mapping": statement(
        changed("role: President,", "role: President, role: King,"),
        at(9, 41, "duplicate key 'role' (already set on line 9); keep one of them"),
    ),
    "tab-indent": statement(
        changed("    heading: Afghanistan", "\theading: Afghanistan"),
        at(19, 1, "YAML syntax: a tab character here; indent and separate with spaces, never tabs"),
    ),
    "deep-flow-nesting": statement(
        BASE + "related: " + "[" * 14 + "x" + "]" * 14 + "\n",
        at(31, 21, "nested deeper than 12 levels; a statement needs no more than 5"),
    ),
    "absurd-nesting": statement(
        BASE + "related: " + "[" * 50_000 + "]" * 50_000 + "\n",
        at(31, 21, "nested deeper than 12 levels; a statement needs no more than 5"),
    ),
    "second-document": statement(
        BASE + "---\nid: another\n",
        at(31, 1, "YAML syntax: a second YAML document ('---'); a file holds one statement"),
    ),
    # --- bytes and empty files --------------------------------------------------------------
    "huge-file": statement(
        BASE + "# " + "x" * MAX_FILE_BYTES + "\n",
        at(
            1,
            1,
            f"file is {len(BASE.encode()) + MAX_FILE_BYTES + 3:,} bytes; the limit is"
            " 524,288 bytes",
        ),
    ),
    "latin-1": statement(
        changed("place: Beijing", "place: Pékin").encode().replace("é".encode(), b"\xe9"),
        at(7, 9, "not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8"),
    ),
    "utf-16": statement(
        BASE.encode("utf-16"),
        at(1, 1, "not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8"),
    ),
    "overlong-utf-8": statement(
        changed("place: Beijing", "place: ./").encode().replace(b"./", b".\xc0\xaf"),
        at(7, 9, "not UTF-8: byte 0xc0 cannot be decoded; save the file as UTF-8"),
    ),
    "encoded-surrogate": statement(
        changed("place: Beijing", "place: x").encode().replace(b": x", b": \xed\xa0\x80"),
        at(7, 8, "not UTF-8: byte 0xed cannot be decoded; save the file as UTF-8"),
    ),
    "nul-byte": statement(
        changed("place: Beijing", "place: Bei\x00jing"),
        at(7, 11, "character U+0000 is not allowed in a YAML file; remove it"),
    ),
    "invisible-line-break": statement(
        changed("title: A test statement", "title: A test\u2028statement"),
        at(
            2,
            14,
            "character U+2028 (an invisible line break) is not allowed; use an ordinary line"
            " break or a space",
        ),
    ),
    "empty-file": statement("", at(1, 1, "file is empty")),
    "only-comments": statement("# nothing here\n\n# at all\n", at(1, 1, "file is empty")),
    "only-a-document-marker": statement("---\n...\n", at(1, 1, "file is empty")),
    "null-document": statement(
        "null\n", at(1, 1, "the file must be a mapping (key: value), not text")
    ),
    # --- wrong types, everywhere ------------------------------------------------------------
    "wrong-types-nested": statement(
        changed(
            "original: {language: zh, text: 双方支持阿富汗的持久和平与稳定。}",
            "original: 双方支持阿富汗的持久和平与稳定。",
            changed(
                "note: An editorial note.",
                "note: {editorial: note}",
                changed(
                    "url: https://example.org/report",
                    "url: [https://example.org/report]",
                    changed("heading: Afghanistan", "heading: [Afghanistan]"),
                ),
            ),
        ),
        at(15, 10, "'sources[0].url' must be text, not a list"),
        at(19, 14, "'sections[0].heading' must be text, not a list"),
        at(27, 19, "'sections[0].excerpts[0].original' must be a mapping (key: value), not text"),
        at(30, 15, "'sections[0].annotations[0].note' must be text, not a mapping"),
    ),
    "wrong-container-types": statement(
        changed(
            "parties: [CN, RU]",
            "parties: CN",
            changed(
                "signatories:\n  - {name: Xi Jinping, role: President, country: CN}",
                "signatories: {name: Xi Jinping}",
            ),
        )
        + "related: {id: x}\n",
        at(6, 10, "'parties' must be a list, not text"),
        at(8, 14, "'signatories' must be a list, not a mapping"),
        at(30, 10, "'related' must be a list, not a mapping"),
    ),
    # --- ids and file names -----------------------------------------------------------------
    "id-with-path-separators": statement(
        changed("id: 2026-05-21-hostile", "id: ../../../etc/passwd"),
        at(
            1,
            5,
            f"'id' {SLUG} '../../../etc/passwd'",
        ),
        at(
            1,
            5,
            "id '../../../etc/passwd' must equal the file name; rename the file to"
            " '../../../etc/passwd.yml' or set id: 2026-05-21-hostile",
        ),
    ),
    "id-dot-dot": statement(
        changed("id: 2026-05-21-hostile", "id: '..'"),
        *id_problems(".."),
    ),
    "id-upper-case": statement(
        changed("id: 2026-05-21-hostile", "id: 2026-05-21-Hostile"),
        *id_problems("2026-05-21-Hostile"),
    ),
    "id-with-spaces": statement(
        changed("id: 2026-05-21-hostile", "id: 2026 05 21 hostile"),
        *id_problems("2026 05 21 hostile"),
    ),
    "id-with-a-backslash": statement(
        changed("id: 2026-05-21-hostile", "id: '2026\\\\05'"),
        *id_problems("2026\\\\05"),
    ),
    "id-with-a-look-alike-letter": statement(
        changed("id: 2026-05-21-hostile", "id: 2026-05-21-h\u043estile"),  # Cyrillic o
        *id_problems("2026-05-21-h\u043estile"),
    ),
    "section-id-breaking-out-of-an-attribute": statement(
        changed("  - id: afghanistan", "  - id: 'x\" onclick=\"alert(1)'"),
        at(18, 9, f"'sections[0].id' {SLUG} 'x\" onclick=\"alert(1)'"),
    ),
    "source-id-with-a-path": statement(
        changed("  - id: report", "  - id: ../report").replace(
            "source: report", "source: ../report"
        ),
        at(12, 9, f"'sources[0].id' {SLUG} '../report'"),
        at(26, 17, f"'sections[0].excerpts[0].source' {SLUG} '../report'"),
    ),
    "file-name-with-spaces": statement(
        changed("id: 2026-05-21-hostile", "id: 2026-05-21 hostile"),
        at(
            1,
            5,
            f"'id' {SLUG} '2026-05-21 hostile'",
            file="data/statements/2026/2026-05-21 hostile.yml",
        ),
        file="data/statements/2026/2026-05-21 hostile.yml",
    ),
    "file-name-upper-case": statement(
        BASE,
        at(
            1,
            5,
            "id '2026-05-21-hostile' must equal the file name; rename the file to"
            " '2026-05-21-hostile.yml' or set id: 2026-05-21-Hostile",
            file="data/statements/2026/2026-05-21-Hostile.yml",
        ),
        file="data/statements/2026/2026-05-21-Hostile.yml",
    ),
    "file-in-the-wrong-year": statement(
        BASE,
        at(
            3,
            7,
            "a statement dated 2026-05-21 belongs in data/statements/2026/, not"
            " data/statements/1999/",
            file="data/statements/1999/2026-05-21-hostile.yml",
        ),
        file="data/statements/1999/2026-05-21-hostile.yml",
    ),
    "file-not-yml": statement(
        BASE,
        at(
            1,
            1,
            "not a statement file: statements are <id>.yml files",
            file="data/statements/2026/2026-05-21-hostile.yml.txt",
        ),
        file="data/statements/2026/2026-05-21-hostile.yml.txt",
    ),
    # --- impossible dates -------------------------------------------------------------------
    "february-30": statement(
        changed("date: 2026-05-21", "date: 2026-02-30"),
        at(3, 7, "'date' is not a real date: '2026-02-30'"),
    ),
    "not-a-leap-year": statement(
        changed("published: 2026-05-22", "published: 2025-02-29"),
        at(16, 16, "'sources[0].published' is not a real date: '2025-02-29'"),
    ),
    "month-13": statement(
        changed("date: 2026-05-21", "date: 2026-13"),
        at(3, 7, "'date' is not a real date: '2026-13'"),
    ),
    "day-zero": statement(
        changed("date: 2026-05-21", "date: 2026-05-00"),
        at(3, 7, "'date' is not a real date: '2026-05-00'"),
    ),
    "date-with-a-time": statement(
        changed("date: 2026-05-21", "date: 2026-05-21T10:00:00"),
        at(3, 7, "'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not '2026-05-21T10:00:00'"),
    ),
    # --- URLs: http(s) only -----------------------------------------------------------------
    **{
        f"url-{name}": statement(
            changed("url: https://example.org/report", f"url: '{url}'"),
            at(15, 10, URL_MESSAGE.format("sources[0].url", url)),
        )
        for name, url in {
            "javascript": "javascript:alert(1)",
            "javascript-mixed-case": "JaVaScRiPt:alert(1)",
            "javascript-leading-space": " javascript:alert(1)",
            "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript": "vbscript:msgbox(1)",
            "file": "file:///etc/passwd",
            "protocol-relative": "//evil.example/x",
            "https-without-slashes": "https:javascript:alert(1)",
        }.items()
    },
    "url-with-a-tab": statement(
        changed("url: https://example.org/report", 'url: "java\\tscript:alert(1)"'),
        at(15, 10, URL_MESSAGE.format("sources[0].url", "java\\tscript:alert(1)")),
    ),
}

TEXT_FIELDS = {
    # label: (the line as BASE has it, the line with {} where the payload goes, line, column)
    "title": ("title: A test statement", "title: '{} A test statement'", 2, 8),
    "date_note": ("date_note: Issued during the visit.", "date_note: '{} Issued'", 4, 12),
    "place": ("place: Beijing", "place: '{}'", 7, 8),
    "signatories[0].name": ("{name: Xi Jinping,", "{name: '{}',", 9, 12),
    "signatories[0].role": ("role: President,", "role: '{}',", 9, 30),
    "summary": ("summary: Both sides spoke of peace.", "summary: '{} Both sides'", 10, 10),
    "sources[0].title": ("title: A report", "title: '{}'", 13, 12),
    "sources[0].publisher": ("publisher: A publisher", "publisher: '{}'", 14, 16),
    "sections[0].heading": ("heading: Afghanistan", "heading: '{}'", 19, 14),
    "sections[0].summary": ("summary: A section summary.", "summary: '{}'", 23, 14),
    "sections[0].excerpts[0].text": (
        "text: Both sides support lasting peace and stability in Afghanistan.",
        "text: '{} Both sides support lasting peace and stability in Afghanistan.'",
        25,
        15,
    ),
    "sections[0].excerpts[0].original.text": (
        "text: 双方支持阿富汗的持久和平与稳定。}",
        "text: '{} 双方支持阿富汗的持久和平与稳定。'}",
        27,
        40,
    ),
    "sections[0].annotations[0].quote": (
        "quote: lasting peace and stability",
        "quote: '{} lasting peace and stability'",
        29,
        16,
    ),
    "sections[0].annotations[0].note": ("note: An editorial note.", "note: '{} A note.'", 30, 15),
}
"""Every text field of a statement, and where its value starts."""

MARKDOWN_FIELDS = ("date_note", "summary", "sections[0].summary", "sections[0].annotations[0].note")
"""The fields rendered as Markdown (validate.MARKDOWN_FIELDS)."""


def in_field(label: str, payload: str) -> str:
    old, new, _, _ = TEXT_FIELDS[label]
    return changed(old, new.replace("{}", payload.replace("'", "''")))


for _label, (_, _, _line, _col) in TEXT_FIELDS.items():
    # A quote must also occur in an excerpt: a changed one is reported as not found, too.
    _also = (
        [at(_line, _col, "annotation quote not found in any excerpt of section 'afghanistan'")]
        if _label.endswith(".quote")
        else []
    )
    for _name, _payload, _snippet in (
        ("raw-html", IMG, "<img src=x o"),
        ("script-tag", "</p><script>alert(1)</script>", "</p"),
        ("autolink", "<javascript:alert(1)>", "<javascript:"),
        ("html-comment", "<!-- hidden -->", "<!-- hidden "),
    ):
        REFUSED[f"{_name}-in-{_label}"] = statement(
            in_field(_label, _payload), *_also, raw_html(_label, _line, _col, _snippet)
        )


def in_field_as(label: str, value: str) -> str:
    """BASE with the field's whole value replaced by `value`, written as YAML."""
    old, new, _, _ = TEXT_FIELDS[label]
    return changed(old, re.sub(r"'[^']*\{\}[^']*'", lambda _: value, new))


for _label, (_, _, _line, _col) in TEXT_FIELDS.items():
    REFUSED[f"a-list-in-{_label}"] = statement(
        in_field_as(_label, "[javascript, alert]"),
        at(_line, _col, f"'{_label}' must be text, not a list"),
    )
    REFUSED[f"a-mapping-in-{_label}"] = statement(
        in_field_as(_label, "{onclick: alert}"),
        at(_line, _col, f"'{_label}' must be text, not a mapping"),
    )

MARKDOWN_LINKS = {
    "javascript": ("[x](javascript:alert(1))", "javascript:alert(1)"),
    "vbscript": ("[x](vbscript:msgbox(1))", "vbscript:msgbox(1)"),
    "data": ("[x](data:text/html,hello)", "data:text/html,hello"),
    "entity-encoded": ("[x](java&#115;cript:alert(1))", "java&#115;cript:alert(1)"),
    "entity-encoded-scheme": ("[x](&#106;avascript:alert(1))", "&#106;avascript:alert(1)"),
    "image": ("![x](javascript:alert(1))", "javascript:alert(1)"),
    "relative": ("[x](../../README.md)", "../../README.md"),
    "spaced": ("[x]( javascript:alert(1) )", "javascript:alert(1)"),
}
for _label in MARKDOWN_FIELDS:
    _, _, _line, _col = TEXT_FIELDS[_label]
    for _name, (_markdown, _target) in MARKDOWN_LINKS.items():
        REFUSED[f"markdown-link-{_name}-in-{_label}"] = statement(
            in_field(_label, _markdown), link(_label, _line, _col, _target)
        )

REFUSED["reference-link-definition"] = statement(
    changed(
        "note: An editorial note.",
        "note: |-\n          See [this][1].\n\n          [1]: vbscript:msgbox(1)",
    ),
    link("sections[0].annotations[0].note", 30, 15, "vbscript:msgbox(1)"),
)

# Vocabulary files: text in forums, topics, kinds and countries is shown on pages too. A key
# that starts with '+' appends to the file; {line} is the first appended line, {index} the
# appended entry's index in its list.
VOCABULARY_CASES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "forum": (
        "forums",
        "- id: hostile-forum\n"
        f"  name: '{IMG}'\n"
        "  short: '<b>H</b>'\n"
        "  kind: format\n"
        "  aliases: ['<svg onload=alert(1)>']\n"
        "  description: 'See [x](javascript:alert(1)) and ![y](vbscript:msgbox(1))'\n"
        "  url: 'javascript:alert(1)'\n",
        (
            "data/forums.yml:{line+1}:9: raw HTML is not allowed in '[{index}].name':"
            f" '<img src=x o'{HTML_HINT}",
            "data/forums.yml:{line+2}:10: raw HTML is not allowed in '[{index}].short': '<b'"
            + HTML_HINT,
            "data/forums.yml:{line+4}:13: raw HTML is not allowed in '[{index}].aliases[0]':"
            f" '<svg onload='{HTML_HINT}",
            "data/forums.yml:{line+5}:16: link target 'javascript:alert(1)' in"
            f" '[{{index}}].description'{LINK_HINT}",
            "data/forums.yml:{line+5}:16: link target 'vbscript:msgbox(1)' in"
            f" '[{{index}}].description'{LINK_HINT}",
            "data/forums.yml:{line+6}:8: '[{index}].url' must be an http:// or https:// address,"
            " not 'javascript:alert(1)'",
        ),
    ),
    "topic": (
        "topics",
        "- id: hostile-topic\n"
        "  name: '</title><script>alert(1)</script>'\n"
        "  description: '[x]: data:text/html,hello'\n",
        (
            "data/topics.yml:{line+1}:9: raw HTML is not allowed in '[{index}].name': '</title'"
            + HTML_HINT,
            "data/topics.yml:{line+2}:16: link target 'data:text/html,hello' in"
            f" '[{{index}}].description'{LINK_HINT}",
        ),
    ),
    "kind": (
        "kinds",
        "- {id: hostile-kind, name: '<iframe src=javascript:alert(1)>'}\n",
        (
            "data/kinds.yml:{line}:28: raw HTML is not allowed in '[{index}].name': '<iframe src='"
            + HTML_HINT,
        ),
    ),
    "country": (
        "countries",
        "- {id: XA, name: '<a href=javascript:alert(1)>Atlantis</a>'}\n",
        (
            "data/countries.yml:{line}:18: raw HTML is not allowed in '[{index}].name': '<a"
            f" href=java'{HTML_HINT}",
        ),
    ),
}


# --- the refusals, through `python -m scripts check` --------------------------------------------


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An archive with the repository's vocabularies and no statements yet."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "data").mkdir()
    for name in ("countries", "forums", "topics", "kinds"):
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    return tmp_path


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_with_its_place(root: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    case = REFUSED[name]
    for relative, content in case.files.items():
        write(root, relative, content)
    assert check(root, capsys) == (1, "", expected_report(case.expected))


@pytest.mark.parametrize("name", list(VOCABULARY_CASES))
def test_refused_in_a_vocabulary_file(
    root: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    vocabulary, text, expected = VOCABULARY_CASES[name]
    file = root / "data" / f"{vocabulary}.yml"
    before = file.read_text(encoding="utf-8")
    index = len(yaml.safe_load(before))
    file.write_text(before + text, encoding="utf-8")
    line = len(before.splitlines()) + 1
    places = {f"line+{n}": line + n for n in range(10)} | {"line": line, "index": index}
    lines = [
        re.sub(r"\{(line(?:\+\d)?|index)\}", lambda m: str(places[m[1]]), text) for text in expected
    ]
    assert check(root, capsys) == (1, "", expected_report(lines))


def test_a_huge_file_is_refused_before_any_parsing(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[int] = []
    compose = load._compose

    def recording(text: str) -> object:
        parsed.append(len(text))
        return compose(text)

    monkeypatch.setattr(load, "_compose", recording)
    case = REFUSED["huge-file"]
    ((relative, content),) = case.files.items()
    write(root, relative, content)
    assert check(root, capsys) == (1, "", expected_report(case.expected))
    assert len(parsed) == 4, "only the four vocabulary files are parsed"
    assert max(parsed) < MAX_FILE_BYTES // 10


# --- symbolic links: refused, never followed ------------------------------------------------


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the archive, with files a link could point to."""
    folder = tmp_path_factory.mktemp("outside")
    write(folder, "secret.yml", BASE)
    write(folder, "2026/2026-05-21-hostile.yml", BASE)
    (folder / "data").mkdir()
    for name in ("countries", "forums", "topics", "kinds"):
        shutil.copy(REPO / "data" / f"{name}.yml", folder / "data" / f"{name}.yml")
    write(folder, "data/statements/2026/2026-05-21-hostile.yml", BASE)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the check reads (its resolved path)."""
    read: list[Path] = []
    original = Path.read_bytes

    def recording(self: Path) -> bytes:
        read.append(self.resolve())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    return read


def test_a_linked_statement_file_is_refused_and_not_read(
    root: Path, outside: Path, reads: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    link = root / FILE
    link.parent.mkdir(parents=True)
    link.symlink_to(outside / "secret.yml")
    (link.parent / "passwd.yml").symlink_to("/etc/passwd")
    (link.parent / "loop.yml").symlink_to(link.parent / "loop.yml")
    (link.parent / "dangling.yml").symlink_to(outside / "no-such-file.yml")
    assert check(root, capsys) == (
        1,
        "",
        expected_report(
            [
                at(1, 1, SYMLINK),
                at(1, 1, SYMLINK, "data/statements/2026/dangling.yml"),
                at(1, 1, SYMLINK, "data/statements/2026/loop.yml"),
                at(1, 1, SYMLINK, "data/statements/2026/passwd.yml"),
            ]
        ),
    )
    assert not [path for path in reads if path.is_relative_to(outside) or path.name == "passwd"]


@pytest.mark.parametrize(
    ("link", "target", "reported"),
    [
        ("data/statements/2027", "2026", ["data/statements/2027"]),
        ("data/statements", ".", ["data/statements"]),
        (
            "data",
            "data",
            ["data", "data/countries.yml", "data/forums.yml", "data/kinds.yml", "data/topics.yml"],
        ),
        ("data/forums.yml", "data/forums.yml", ["data/forums.yml"]),
    ],
    ids=["a-year-folder", "the-statements-folder", "data-itself", "a-vocabulary-file"],
)
def test_a_linked_folder_or_vocabulary_is_refused_and_not_followed(
    root: Path,
    outside: Path,
    reads: list[Path],
    capsys: pytest.CaptureFixture[str],
    link: str,
    target: str,
    reported: list[str],
) -> None:
    path = root / link
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside / target)
    assert check(root, capsys) == (
        1,
        "",
        expected_report([f"{name}:1:1: {SYMLINK}" for name in reported]),
    )
    assert not [p for p in reads if p.is_relative_to(outside)], "a link was followed"


# --- allowed, and inert: a contributor's text is shown as written ------------------------------

PAYLOAD = (
    '{: onclick="window.__pwned=1" } [TOC] --8<-- "README.md" {{ 7 * 7 }} {#statement--title}'
    " &lt;img src=x onerror=window.__pwned=1&gt; javascript:window.__pwned=1"
)
"""Text every check lets through (no `<` before a letter, no link), built from what the
builder's Markdown extensions (attr_list, toc), pymdownx.snippets, Jinja2 and HTML entities
would turn into markup or a file read if it ever reached them as syntax."""
SHOWN_AS_MARKDOWN = PAYLOAD.replace("&lt;", "<").replace("&gt;", ">")
"""The payload as a Markdown field shows it: the character references are characters, as the
contributor wrote them (and still text)."""
BLOCKS = (
    '--8<-- "README.md"',
    '--8<-- "/etc/passwd"',
    "[TOC]",
    '{: onclick="window.__pwned=1" }',
    "{: #statement--title .md-button }",
)
"""Lines that are block syntax on their own: a snippet include, the table of contents marker,
an attribute list for the paragraph before it."""
TRACKER = "https://tracker.example/pixel.gif"
MARKDOWN_BLOCKS = "\n\n".join([PAYLOAD, *BLOCKS, f"![tracker]({TRACKER})", "Last words."])
EXCERPT_LINES = "\n".join([PAYLOAD, *BLOCKS])
HOSTILE_ID = "2026-05-22-hostile-but-valid"


def block(text: str, indent: int) -> str:
    """`text` as a YAML literal block scalar at `indent` spaces."""
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


HOSTILE_STATEMENT = f"""\
id: {HOSTILE_ID}
title: {quoted("Title " + PAYLOAD)}
date: 2026-05-22
date_note: {block(MARKDOWN_BLOCKS, 2)}
kind: hostile-kind
parties: [XA]
issuing_forum: hostile-forum
place: {quoted(PAYLOAD)}
signatories:
  - name: {quoted("Name " + PAYLOAD)}
    role: {quoted(PAYLOAD)}
    country: XA
summary: {block(MARKDOWN_BLOCKS, 2)}
sources:
  - id: src
    title: {quoted("Source " + PAYLOAD)}
    publisher: {quoted(PAYLOAD)}
    url: https://example.org/source
sections:
  - id: hostile-section
    heading: {quoted("Heading " + PAYLOAD)}
    countries: [XA]
    forums: [hostile-forum]
    topics: [hostile-topic]
    summary: {block(MARKDOWN_BLOCKS, 6)}
    excerpts:
      - text: {block(EXCERPT_LINES, 10)}
        original:
          language: ru
          text: {block(EXCERPT_LINES, 12)}
    annotations:
      - quote: {quoted(PAYLOAD)}
        note: {block(MARKDOWN_BLOCKS, 10)}
"""
HOSTILE_VOCABULARIES = {
    "forums": f"""
- id: hostile-forum
  name: {quoted("Forum " + PAYLOAD)}
  short: {quoted(PAYLOAD)}
  kind: format
  members: [XA]
  aliases: [{quoted(PAYLOAD)}]
  description: {block(MARKDOWN_BLOCKS, 4)}
""",
    "topics": f"""
- id: hostile-topic
  name: {quoted("Topic " + PAYLOAD)}
  parent: maritime-cooperation
  aliases: [{quoted(PAYLOAD)}]
  description: {block(MARKDOWN_BLOCKS, 4)}
""",
    "kinds": f"- {{id: hostile-kind, name: {quoted('Kind ' + PAYLOAD)}}}\n",
    "countries": f"- {{id: XA, name: {quoted('Country ' + PAYLOAD)}}}\n",
}


def write_hostile_archive(root: Path) -> Path:
    """The fixture archive with the hostile statement and vocabulary entries dropped in."""
    copy_archive(FIXTURE, root)
    write(root, f"data/statements/2026/{HOSTILE_ID}.yml", HOSTILE_STATEMENT)
    for name, text in HOSTILE_VOCABULARIES.items():
        file = root / "data" / f"{name}.yml"
        file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile archive, checked and built once: the root; its site is root/site."""
    root = write_hostile_archive(tmp_path_factory.mktemp("hostile") / "archive")
    assert main(["--root", str(root), "build"]) == 0
    return root


def test_the_payloads_pass_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_hostile_archive(tmp_path / "archive")
    assert check(root, capsys) == (
        0,
        "No problems: 8 statements and 6 vocabularies checked.\n",
        "",
    )


STATEMENT_URL = f"statements/{HOSTILE_ID}/"
HUB_URLS = ("forums/hostile-forum/", "topics/hostile-topic/", "countries/xa/")
PAGES = (STATEMENT_URL, *HUB_URLS, "", "forums/", "topics/", "countries/", "timeline/", "data/")
"""Every page the payloads reach."""
README_WORDS = "Each command creates"
"""Words of README.md: a snippet include that worked would put them into a page."""


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_element_anywhere_gets_an_event_handler_or_a_script_address(hostile: Path) -> None:
    site = Site(hostile / "site")
    found = []
    for url in site.urls():
        for element in site.page(url).root.iter():
            for name, value in element.attrs.items():
                if name.startswith("on"):
                    found.append(f"/{url}: <{element.tag} {name}={value!r}>")
                if name in ("href", "src", "action", "formaction", "cite") and re.match(
                    r"\s*(javascript|data|vbscript):", value, re.I
                ):
                    found.append(f"/{url}: <{element.tag} {name}={value!r}>")
            # The forms the site has: the search box's and the compare tool's own, the 404 page's
            # search box, Material's colour-scheme toggle (mkdocs.yml's palette, radio buttons)
            # and the order and narrow controls of hub and series pages (narrow.j2: no action).
            site_form = (
                url in ("search/", "compare/")
                or (url == "404.html" and element.attrs.get("role") == "search")
                or element.attrs.get("data-md-component") == "palette"
                or (
                    url.startswith(("countries/", "forums/", "topics/", "actors/", "series/"))
                    and "data-sa-narrow" in element.attrs
                    and not element.attrs.get("action")
                )
            )
            if element.tag in {"img", "iframe", "object", "embed", "style", "base"} or (
                element.tag == "form" and not site_form
            ):
                found.append(f"/{url}: <{element.tag}>")
            if element.tag == "script" and element.attrs.get("type") == "application/ld+json":
                # Data (docs/overrides/main.html): the statement's words, < > & escaped as \u
                if "<" in element.text() or not isinstance(json.loads(element.text()), dict):
                    found.append(f"/{url}: JSON-LD that is not one JSON object of text")
            elif element.tag == "script":
                src = element.attrs.get("src")
                source = (resolve(url, src) or src) if src else ""
                theirs = source.startswith("assets/javascripts/") or source in (
                    "assets/search.js",
                    "assets/compare.js",
                    "assets/statements.js",
                    "assets/hubs.js",
                )
                if "pwned" in element.text() or (source and not theirs):
                    found.append(f"/{url}: a script not Material's, the search's or compare's")
    assert not found, "\n".join(found)


def test_no_file_is_included_and_no_table_of_contents_is_made(hostile: Path) -> None:
    for file in html_files(hostile / "site"):
        text = file.read_text(encoding="utf-8")
        assert README_WORDS not in text, file
        assert "root:x:0:0" not in text, file
    site = Site(hostile / "site")
    for url in PAGES:
        page = site.page(url)
        assert not [e for e in page.root.iter() if "toc" in e.classes()], url
        assert len([e for e in page.root.iter() if e.attrs.get("id") == "statement--title"]) <= 1
        assert "49" not in page.root.text().split(), url  # {{ 7 * 7 }} stays as written


def text_of(site: Site, url: str, element_id: str) -> str:
    """The text of an element, without the ¶ links and note markers inside it."""
    return (
        site.page(url)
        .find_id(element_id)
        .text(skip=lambda e: bool(e.classes() & {"headerlink", "sa-anchor", "sa-noteref"}))
    )


def test_plain_fields_show_every_character_as_written(hostile: Path) -> None:
    site = Site(hostile / "site")
    page = site.page(STATEMENT_URL)
    assert text_of(site, STATEMENT_URL, "statement--title") == f"Title {PAYLOAD}"
    (title,) = page.elements("title")
    assert title.text() == f"Title {PAYLOAD} - Statement Archive"
    assert text_of(site, STATEMENT_URL, "hostile-section") == f"Heading {PAYLOAD}"
    for number, line in enumerate([PAYLOAD, *BLOCKS], 1):
        assert text_of(site, STATEMENT_URL, f"hostile-section--p{number}") == line
    text = page.root.text()
    for shown in (
        f"Name {PAYLOAD}, {PAYLOAD}",  # signatory and role
        f"Source {PAYLOAD}, {PAYLOAD}",  # source title and publisher
        f"Kind {PAYLOAD}",
        f"Country {PAYLOAD}",
        f"Forum {PAYLOAD}",
        f"Topic {PAYLOAD}",
    ):
        assert shown in text, shown
    meta = page.elements("dd")
    assert PAYLOAD in [dd.text() for dd in meta]  # the place
    quote = next(e for e in page.elements("mark") if "sa-quote" in e.classes())
    assert quote.text() == PAYLOAD
    for url, title in zip(HUB_URLS, ("Forum", "Topic", "Country"), strict=True):
        assert text_of(site, url, "hub--title") == f"{title} {PAYLOAD}"


def test_markdown_fields_show_their_text_and_nothing_more(hostile: Path) -> None:
    site = Site(hostile / "site")
    page = site.page(STATEMENT_URL)
    wrappers = {"sa-meta__note", "sa-summary", "sa-section__summary", "sa-notes"}
    fields = [e for e in page.root.iter() if e.classes() & wrappers]
    for url in HUB_URLS[:2]:  # the forum's and the topic's description
        fields += [e for e in site.page(url).root.iter() if "sa-hub__description" in e.classes()]
    assert len(fields) == 6
    for element in fields:
        paragraphs = [p.text() for p in element.iter() if p.tag == "p"]
        for line in [SHOWN_AS_MARKDOWN, *BLOCKS, "Last words."]:
            assert line in paragraphs, (line, paragraphs)
        assert {e.tag for e in element.iter()} <= {element.tag, "p", "span", "li", "q", "a"}
    assert TRACKER not in (hostile / "site" / STATEMENT_URL / "index.html").read_text("utf-8")


def test_feeds_downloads_and_the_search_index_hold_the_text_as_text(hostile: Path) -> None:
    site = hostile / "site"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring((site / "feed.xml").read_bytes())  # the site's own output
    (entry,) = [e for e in feed.iter(f"{atom}entry") if HOSTILE_ID in e.findtext(f"{atom}id", "")]
    assert entry.findtext(f"{atom}title") == f"Title {PAYLOAD}"
    summary = parse_html(entry.findtext(f"{atom}summary", ""))
    assert {e.tag for e in summary.root.iter()} == {"#document", "p"}
    assert SHOWN_AS_MARKDOWN in [p.text() for p in summary.elements("p")]
    assert not [a for e in summary.root.iter() for a in e.attrs]
    records = json.loads(gzip.decompress((site / "data/statements.json.gz").read_bytes()))
    (record,) = [r for r in records["statements"] if r["id"] == HOSTILE_ID]
    assert record["title"] == f"Title {PAYLOAD}"
    fragments = [
        json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
        for f in (site / "pagefind/fragment").glob("*.pf_fragment")
    ]
    (fragment,) = [f for f in fragments if HOSTILE_ID in f["url"]]
    assert fragment["meta"]["title"] == f"Title {PAYLOAD}"


# --- in a browser: no script from data runs -------------------------------------------------------
# The fixtures and helpers of test_browser.py: the same Chromium, the same way of opening a page
# and of recording what goes wrong on it (console errors, failed requests, requests to other
# hosts: the tracker image would be one); skipped without a browser, failed under REQUIRE_BROWSER.

PWNED = """() => ({
    pwned: typeof window.__pwned !== "undefined",
    handlers: Array.from(document.querySelectorAll("*")).flatMap((element) =>
        Array.from(element.attributes)
            .filter((attribute) => attribute.name.toLowerCase().startsWith("on"))
            .map((attribute) => `<${element.localName} ${attribute.name}>`)),
})"""
"""Whether a payload ran (it sets window.__pwned), and every event-handler attribute."""


@pytest.fixture(scope="module")
def hostile_tab(chromium: Path, hostile: Path) -> Iterator[Tab]:
    """The hostile site served and open in Chromium (started after the build, as
    tests/support/browser.py explains), recording every dialog a script opens."""
    with serve(hostile / "site", SITE_PATH) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            context, tab = open_tab(browser, base_url, "desktop")
            tab.page.on(
                "dialog",
                lambda dialog: (
                    tab.problems.append(f"a dialog: {dialog.message}"),
                    dialog.dismiss(),
                ),
            )
            yield tab
            context.close()
        finally:
            browser.close()


def assert_nothing_ran(tab: Tab, what: str) -> None:
    found = tab.page.evaluate(PWNED)
    assert not found["pwned"], f"a payload ran on {what}"
    assert not found["handlers"], f"event handlers on {what}: {found['handlers']}"
    tab.assert_clean()


PROVOKE = """() => {
    window.addEventListener("click", (event) => event.preventDefault(), true);  // stay here
    const targets = Array.from(document.querySelectorAll("body *"))
        .filter((element) => element.textContent.includes("__pwned"));
    for (const element of targets) {
        for (const type of ["mouseover", "mouseenter", "focus", "click", "load", "error"]) {
            element.dispatchEvent(new Event(type, {bubbles: true, cancelable: true}));
        }
    }
    return targets.length;
}"""
"""Fire at every element that shows a payload the events an injected handler would wait for."""


@pytest.mark.parametrize("url", PAGES)
def test_no_script_from_data_runs_in_the_browser(hostile_tab: Tab, url: str) -> None:
    tab = hostile_tab
    tab.open(url)
    provoked = tab.page.evaluate(PROVOKE)
    assert provoked or url == "data/", f"no payload on /{url}"
    assert_nothing_ran(tab, f"/{url}")


def test_searching_for_the_payloads_runs_nothing(hostile_tab: Tab) -> None:
    """Search results show titles, meta and excerpts from the index: text only."""
    tab = hostile_tab
    tab.open("search/")
    tab.page.locator("#sa-search-input").fill("pwned onerror README")
    expect(tab.page.locator("#sa-search-results a.sa-search__result-link").first).to_contain_text(
        f"Title {PAYLOAD}"
    )
    assert_nothing_ran(tab, "the search page with results")
