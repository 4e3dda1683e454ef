"""The load stage: strict YAML, every scalar text, every value's place, refusals with their place.

Refusals are asserted as exact (message, line, column); the file name is added later, by the
validator's driver (see test_validate.py for the full `path:line:col: message` lines).
"""

from __future__ import annotations

import time
from pathlib import Path, PurePosixPath

import pytest

from scripts.load import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Document,
    LoadError,
    Place,
    load_archive,
    load_file,
    load_text,
    statement_files,
)

HERE = Path("x.yml")


def load(text: str | bytes) -> Document:
    return load_text(text.encode("utf-8") if isinstance(text, str) else text, HERE)


def refusal(text: str | bytes) -> tuple[str, int, int]:
    """The message, line and column a refused file is reported with."""
    with pytest.raises(LoadError) as caught:
        load(text)
    return caught.value.message, caught.value.place.line, caught.value.place.col


# --- what a file reads as ------------------------------------------------------------------


def test_every_scalar_is_text_implicit_typing_is_off() -> None:
    document = load(
        "parties: [NO, ON, Y, n]\n"
        "date: 2026-05\n"
        "published: 2026-05-21\n"
        "title: yes\n"
        "count: 12\n"
        "ratio: 1.5e3\n"
        "nothing: null\n"
        "tilde: ~\n"
        "octal: 0o17\n"
        "time: 12:30:00\n"
    )
    assert document.data == {
        "parties": ["NO", "ON", "Y", "n"],
        "date": "2026-05",
        "published": "2026-05-21",
        "title": "yes",
        "count": "12",
        "ratio": "1.5e3",
        "nothing": "null",
        "tilde": "~",
        "octal": "0o17",
        "time": "12:30:00",
    }


def test_an_empty_value_is_empty_text() -> None:
    assert load("title:\nplace: ''\n").data == {"title": "", "place": ""}


def test_block_scalars_fold_as_yaml_says() -> None:
    document = load("summary: >-\n  one\n  two\n\n  three\nnote: |\n  a\n  b\n")
    assert document.data == {"summary": "one two\nthree", "note": "a\nb\n"}


def test_places_of_values_and_keys_are_one_based() -> None:
    document = load(
        "id: x\nsections:\n  - id: one\n    annotations:\n      - {quote: q, note: n}\n"
    )
    assert document.places[()] == Place(1, 1)
    assert document.places[("id",)] == Place(1, 5)
    assert document.key_places[("id",)] == Place(1, 1)
    assert document.places[("sections", 0)] == Place(3, 5)
    assert document.places[("sections", 0, "id")] == Place(3, 9)
    assert document.key_places[("sections", 0, "annotations")] == Place(4, 5)
    assert document.places[("sections", 0, "annotations", 0, "note")] == Place(5, 26)


def test_place_falls_back_to_the_nearest_ancestor() -> None:
    document = load("id: x\nsections:\n  - id: one\n")
    assert document.place(("sections", 0, "heading")) == Place(3, 5)
    assert document.place(("sections", 0, "heading"), key=True) == Place(3, 5)
    assert document.place(("sections", 0, "id"), key=True) == Place(3, 5)
    assert document.place(("nowhere", 3)) == Place(1, 1)


def test_a_byte_order_mark_is_accepted_and_not_counted() -> None:
    document = load(b"\xef\xbb\xbfid: x\n")
    assert document.data == {"id": "x"}
    assert document.places[("id",)] == Place(1, 5)


def test_windows_line_endings_are_accepted() -> None:
    document = load(b"id: x\r\ntitle: y\r\n")
    assert document.data == {"id": "x", "title": "y"}
    assert document.places[("title",)] == Place(2, 8)


def test_a_tab_inside_a_quoted_value_is_text() -> None:
    assert load('title: "a\tb"\n').data == {"title": "a\tb"}


# --- duplicate keys ------------------------------------------------------------------------


def test_duplicate_keys_are_recorded_with_the_place_of_the_second() -> None:
    document = load("id: a\ntitle: first\nsections:\n  - {id: s, id: t}\ntitle: second\n")
    assert document.data["title"] == "first"
    assert document.data["sections"] == [{"id": "s"}]
    assert document.duplicate_keys == (
        (("sections", 0, "id"), Place(4, 13)),
        (("title",), Place(5, 1)),
    )


# --- refusals ------------------------------------------------------------------------------


def test_yaml_syntax_error_unclosed_flow_sequence() -> None:
    assert refusal("id: x\nparties: [CN, RU\ntitle: y\n") == (
        "YAML syntax: the list opened with '[' at line 2, column 10 is not closed with ']'"
        " where it should end",
        3,
        6,
    )


def test_yaml_syntax_error_unclosed_quote() -> None:
    assert refusal('id: x\ntitle: "Joint statement\n') == (
        "YAML syntax: the quotation mark at line 2, column 8 is never closed; close it, or"
        " write the text without it",
        3,
        1,
    )


def test_yaml_syntax_error_colon_in_plain_text_gets_a_hint() -> None:
    assert refusal("id: x\ntitle: Afghanistan: a joint statement\n") == (
        "YAML syntax: a ':' that YAML cannot place; check the indentation, "
        "or put text that contains ': ' in quotes",
        2,
        19,
    )


def test_yaml_syntax_error_bad_indentation() -> None:
    assert refusal("id: x\n  title: y\n") == (
        "YAML syntax: a ':' that YAML cannot place; check the indentation, "
        "or put text that contains ': ' in quotes",
        2,
        8,
    )


def test_a_second_document_is_refused() -> None:
    assert refusal("id: a\n---\nid: b\n") == (
        "YAML syntax: a second YAML document ('---'); a file holds one statement",
        2,
        1,
    )


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("id: x\n\ttitle: y\n", 2, 1),  # indentation
        ("id: x\nsections:\n\t- id: one\n", 3, 1),  # indentation of a list
        ("id: x\ntitle:\ty\n", 2, 7),  # after the colon
        ("id: x\ntitle: a\tb\n", 2, 9),  # inside plain text
        ("id: x\ntitle: y\t\n", 2, 9),  # trailing
    ],
)
def test_tabs_are_refused_where_yaml_needs_spaces(text: str, line: int, col: int) -> None:
    assert refusal(text) == (
        "YAML syntax: a tab character here; indent and separate with spaces, never tabs",
        line,
        col,
    )


def test_anchors_are_refused() -> None:
    assert refusal("id: x\nparties: &both [CN, RU]\n") == (
        "YAML anchors (&name) are not allowed; write the value out",
        2,
        10,
    )


def test_aliases_are_refused() -> None:
    # An alias to an anchor that was never defined: refused as an alias, not as a syntax error.
    assert refusal("id: x\nparties: *both\n") == (
        "YAML aliases (*name) are not allowed; write the value out",
        2,
        10,
    )


def test_an_alias_bomb_is_refused_at_its_first_anchor_and_fast() -> None:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(rows) + "\n"
    started = time.perf_counter()
    assert refusal(text) == ("YAML anchors (&name) are not allowed; write the value out", 1, 4)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("title: !!str yes\n", "!!str"),
        ("title: !!binary aGVsbG8=\n", "!!binary"),
        ("title: !!python/object:os.system x\n", "!!python/object:os.system"),
        ("title: !custom yes\n", "!custom"),
        ("title: !<tag:yaml.org,2002:str> yes\n", "!!str"),
    ],
)
def test_tags_are_refused_as_written(text: str, shown: str) -> None:
    assert refusal(text) == (
        f"YAML tags are not allowed: '{shown}'; write the value without it"
        " (every value is read as text)",
        1,
        8,
    )


def test_a_tag_on_a_key_is_refused() -> None:
    assert refusal("!!str id: x\n") == (
        "YAML tags are not allowed: '!!str'; write the value without it"
        " (every value is read as text)",
        1,
        1,
    )


def test_non_utf8_bytes_are_refused_at_the_bad_byte() -> None:
    raw = "id: x\ntitle: Déclaration de Moscou\n".encode() + b"place: Bras\xedlia\n"
    assert refusal(raw) == (
        "not UTF-8: byte 0xed cannot be decoded; save the file as UTF-8",
        3,
        12,
    )


def test_non_utf8_column_counts_characters_not_bytes() -> None:
    # "title: Дата " is 12 characters but 16 bytes; the bad byte is the 13th character.
    raw = "title: Дата ".encode() + b"\xff\n"
    assert refusal(raw) == ("not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8", 1, 13)


def test_non_utf8_after_a_byte_order_mark() -> None:
    assert refusal(b"\xef\xbb\xbfid: \x80\n") == (
        "not UTF-8: byte 0x80 cannot be decoded; save the file as UTF-8",
        1,
        5,
    )


def test_utf16_is_refused() -> None:
    assert refusal("id: x\n".encode("utf-16")) == (
        "not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8",
        1,
        1,
    )


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "---\n...\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    assert refusal(text) == ("file is empty", 1, 1)


def test_a_file_over_the_size_bound_is_refused_before_parsing() -> None:
    raw = b"id: x\n" + b"# " + b"x" * MAX_FILE_BYTES + b"\n"
    assert refusal(raw) == (
        f"file is {len(raw):,} bytes; the limit is 524,288 bytes",
        1,
        1,
    )


def test_a_file_at_the_size_bound_is_read() -> None:
    head = b"id: x\n# "
    raw = head + b"x" * (MAX_FILE_BYTES - len(head) - 1) + b"\n"
    assert len(raw) == MAX_FILE_BYTES
    assert load(raw).data == {"id": "x"}


def test_nesting_up_to_the_bound_is_read() -> None:
    # The root mapping is level 1; MAX_DEPTH - 1 lists inside it reach the bound.
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert load(text).data["a"] == [[[[[[[[[[[]]]]]]]]]]]


def test_nesting_too_deep_is_refused_where_it_goes_too_deep() -> None:
    text = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert refusal(text) == (
        "nested deeper than 12 levels; a statement needs no more than 5",
        1,
        3 + MAX_DEPTH,
    )


def test_block_nesting_too_deep_is_refused() -> None:
    text = "".join("  " * depth + "k:\n" for depth in range(20))
    assert refusal(text) == (
        "nested deeper than 12 levels; a statement needs no more than 5",
        12,
        23,
    )


def test_absurd_nesting_is_refused_fast_without_recursion() -> None:
    text = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    started = time.perf_counter()
    assert refusal(text)[0] == "nested deeper than 12 levels; a statement needs no more than 5"
    assert time.perf_counter() - started < 2.0


def test_a_key_that_is_not_text_is_refused() -> None:
    assert refusal("id: x\n? [a, b]\n: c\n") == (
        "a mapping key must be plain text, like 'title'; not a list or a mapping",
        2,
        3,
    )


def test_control_characters_are_refused_at_their_place() -> None:
    assert refusal("id: x\ntitle: a\x07b\n") == (
        "character U+0007 is not allowed in a YAML file; remove it",
        2,
        9,
    )


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\x85"])
def test_invisible_line_breaks_are_refused(character: str) -> None:
    # YAML would count them as line breaks and editors would not: every later line number would
    # be wrong.
    assert refusal(f"id: x\ntitle: a{character}b\n") == (
        f"character U+{ord(character):04X} (an invisible line break) is not allowed;"
        " use an ordinary line break or a space",
        2,
        9,
    )


# --- files ---------------------------------------------------------------------------------


def test_load_file_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("id: a\n", encoding="utf-8")
    document = load_file(path)
    assert document.path == path
    assert document.data == {"id": "a"}


def test_load_file_refuses_a_symbolic_link_and_does_not_follow_it(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yml"
    target.write_text("id: [broken\n", encoding="utf-8")
    link = tmp_path / "a.yml"
    link.symlink_to(target)
    with pytest.raises(LoadError) as caught:
        load_file(link)
    assert caught.value == LoadError(
        "symbolic links are not allowed in data/; commit the file itself", Place(1, 1)
    )


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_statement_files_are_sorted_and_hidden_files_skipped(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "data/statements/2026/b.yml": "id: b\n",
            "data/statements/2025/a.yml": "id: a\n",
            "data/statements/2026/.gitkeep": "",
            "data/statements/.drafts/c.yml": "id: c\n",
            "data/statements/undated/README.md": "notes\n",
        },
    )
    folder = tmp_path / "data/statements"
    assert statement_files(tmp_path) == [
        folder / "2025/a.yml",
        folder / "2026/b.yml",
        folder / "undated/README.md",
    ]


def test_statement_files_of_a_root_without_statements(tmp_path: Path) -> None:
    assert statement_files(tmp_path) == []


def test_statement_files_list_symbolic_links_but_do_not_follow_them(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _tree(outside, {"d/x.yml": "id: x\n", "y.yml": "id: y\n"})
    folder = tmp_path / "data/statements"
    folder.mkdir(parents=True)
    (folder / "2026").symlink_to(outside / "d")
    (folder / "y.yml").symlink_to(outside / "y.yml")
    (folder / "gone.yml").symlink_to(outside / "missing.yml")
    assert statement_files(tmp_path) == [folder / "2026", folder / "gone.yml", folder / "y.yml"]


def test_a_linked_statements_folder_is_listed_itself(tmp_path: Path) -> None:
    _tree(tmp_path, {"outside/2026/x.yml": "id: x\n"})
    (tmp_path / "data").mkdir()
    (tmp_path / "data/statements").symlink_to(tmp_path / "outside")
    assert statement_files(tmp_path) == [tmp_path / "data/statements"]


def test_load_archive_loads_statements_and_the_four_vocabularies(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "data/statements/2026/a.yml": "id: a\n",
            "data/statements/2026/b.yml": "id: [b\n",
            "data/countries.yml": "- {id: XK, name: Kosovo}\n",
            "data/forums.yml": "[]\n",
            "data/topics.yml": "[]\n",
        },
    )
    statements, vocabularies = load_archive(tmp_path)
    assert [s.file for s in statements] == [
        PurePosixPath("data/statements/2026/a.yml"),
        PurePosixPath("data/statements/2026/b.yml"),
    ]
    assert statements[0].document is not None
    assert statements[0].document.data == {"id": "a"}
    assert statements[1].document is None
    assert statements[1].error == LoadError(
        "YAML syntax: the list opened with '[' at line 1, column 5 is not closed with ']'"
        " where it should end",
        Place(2, 1),
    )
    assert list(vocabularies) == ["countries", "forums", "topics", "kinds"]
    assert vocabularies["countries"].document is not None
    assert vocabularies["kinds"].file == PurePosixPath("data/kinds.yml")
    assert vocabularies["kinds"].error == LoadError(
        "cannot read the file: No such file or directory", Place(1, 1)
    )


def test_load_archive_does_not_read_files_that_are_not_statement_files(tmp_path: Path) -> None:
    _tree(tmp_path, {"data/statements/2026/notes.md": "x"})
    (tmp_path / "data/statements/2026/scan.pdf").write_bytes(b"\xff" * (MAX_FILE_BYTES + 1))
    statements, _ = load_archive(tmp_path)
    assert [(s.file.name, s.document, s.error) for s in statements] == [
        ("notes.md", None, None),
        ("scan.pdf", None, None),
    ]


def test_load_archive_refuses_links_whatever_their_name(tmp_path: Path) -> None:
    _tree(tmp_path, {"outside.md": "x", "data/statements/2026/a.yml": "id: a\n"})
    (tmp_path / "data/statements/2026/notes.md").symlink_to(tmp_path / "outside.md")
    statements, _ = load_archive(tmp_path)
    assert [(s.file.name, s.error) for s in statements] == [
        ("a.yml", None),
        (
            "notes.md",
            LoadError(
                "symbolic links are not allowed in data/; commit the file itself", Place(1, 1)
            ),
        ),
    ]


def test_an_unreadable_file_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {"data/statements/2026/a.yml": "id: a\n"})

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    statements, _ = load_archive(tmp_path)
    assert statements[0].error == LoadError("cannot read the file: Permission denied", Place(1, 1))
