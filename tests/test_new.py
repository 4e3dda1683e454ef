"""`python -m scripts new` (`make new`) as a newcomer meets it: what it writes and where, what it
refuses and says, what `make check` then reports, and the questions it asks in a terminal.

Each test works in an archive in tmp_path with the repository's four vocabulary files.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import select
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.commands import main
from scripts.commands.new import PLACEHOLDER, SCHEMA, suggest_id

REPO = Path(__file__).resolve().parent.parent
VOCABULARIES = ("countries", "forums", "topics", "kinds")
FILE = "data/statements/2025/2025-07-brics-rio-declaration.yml"
ARGS = ["--id", "2025-07-brics-rio-declaration", "--title", "Rio de Janeiro Declaration"]
WROTE = (
    "Wrote {file}\n"
    "Next: replace every TO FILL IN in it (delete the optional lines you do not need),\n"
    "then run `make check` until it reports no problems, and `make serve` to see the page.\n"
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An archive with the repository's vocabularies and no statements; no GitHub Actions, and
    no terminal on standard input (tests that want one make their own)."""
    (tmp_path / "data").mkdir()
    for name in VOCABULARIES:
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    return tmp_path


def new(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--root", str(root), "new", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- where it writes --------------------------------------------------------------------------


def test_writes_into_the_folder_of_the_year(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(root, capsys, *ARGS, "--date", "2025-07-06") == (0, WROTE.format(file=FILE), "")
    text = (root / FILE).read_text(encoding="utf-8")
    assert text.splitlines()[4:7] == [
        "id: 2025-07-brics-rio-declaration  # the file name without .yml",
        "title: Rio de Janeiro Declaration  # as issued, or a plain descriptive title; one line",
        "date: 2025-07-06  # YYYY-MM-DD, YYYY-MM or YYYY: only as much as the source says",
    ]


@pytest.mark.parametrize(("date", "folder"), [("2025-07", "2025"), ("1999", "1999")])
def test_a_partial_date_goes_to_its_year(
    root: Path, capsys: pytest.CaptureFixture[str], date: str, folder: str
) -> None:
    assert new(root, capsys, "--id", "x", "--title", "X", "--date", date)[0] == 0
    assert (root / f"data/statements/{folder}/x.yml").is_file()


def test_undated_goes_to_undated_with_a_date_note_to_fill_in(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = "data/statements/undated/x.yml"
    assert new(root, capsys, "--id", "x", "--title", "X", "--date", "undated") == (
        0,
        WROTE.format(file=file),
        "",
    )
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    assert lines[6:8] == [
        "# date: YYYY-MM-DD  # unknown: leave it out and say why in date_note",
        "date_note: TO FILL IN  # why the date is unknown",
    ]


@pytest.mark.parametrize("folder", ["2025", "undated"])
def test_the_schema_line_resolves_from_where_the_file_is(
    root: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    date = "2025-07-06" if folder == "2025" else "undated"
    new(root, capsys, "--id", "x", "--title", "X", "--date", date)
    first = (root / f"data/statements/{folder}/x.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA}"
    target = posixpath.normpath(posixpath.join(f"data/statements/{folder}", SCHEMA))
    assert target == "scripts/statement.schema.json"
    assert (REPO / target).is_file()


def test_a_title_yaml_would_misread_is_quoted(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "Afghanistan: a joint statement #1 — « commune »"
    new(root, capsys, "--id", "x", "--title", title, "--date", "2025")
    data = yaml.load((root / "data/statements/2025/x.yml").read_text("utf-8"), yaml.BaseLoader)
    assert data["title"] == title


def test_the_kinds_listed_are_those_of_the_vocabulary(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    text = (root / FILE).read_text(encoding="utf-8")
    assert (
        "kind: TO FILL IN  # one of the kinds in data/kinds.yml:\n"
        "#   joint-statement, declaration, communique, press-statement, speech, resolution, treaty,"
        " letter\n"
    ) in text


def test_the_kinds_take_two_lines_however_many_there_are(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds = root / "data/kinds.yml"
    many = "".join(f"- {{id: kind-number-{n}, name: Kind {n}}}\n" for n in range(30))
    kinds.write_text(kinds.read_text(encoding="utf-8") + many, encoding="utf-8")
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    lines = (root / FILE).read_text(encoding="utf-8").splitlines()
    assert lines[8] == "kind: TO FILL IN  # one of the kinds in data/kinds.yml:"
    assert lines[9].startswith("#   joint-statement, declaration,") and lines[9].endswith(", …")
    assert len(lines[9]) <= 100
    assert lines[10].startswith("parties: [TO FILL IN]")


# --- what it refuses ------------------------------------------------------------------------


def test_refuses_to_overwrite_a_file(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = root / FILE
    target.parent.mkdir(parents=True)
    target.write_text("id: mine\n", encoding="utf-8")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert new(root, capsys, *ARGS, "--date", "2025-07-06") == (
        1,
        "",
        f"new: {FILE} already exists; it was left as it is\n",
    )
    assert target.read_text(encoding="utf-8") == "id: mine\n"
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_refuses_an_id_another_statement_has(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(root, capsys, *ARGS, "--date", "2024")[0] == 0
    assert new(root, capsys, *ARGS, "--date", "2025-07-06") == (
        1,
        "",
        "new: the id '2025-07-brics-rio-declaration' is already used by"
        " data/statements/2024/2025-07-brics-rio-declaration.yml; give the new statement an id"
        " of its own\n",
    )
    assert not (root / FILE).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--id", "Rio Declaration", "--date", "2025"],
            "id 'Rio Declaration' must be lower-case letters and digits joined by single"
            " hyphens, at most 80 characters, like 'rio-declaration'",
        ),
        (
            ["--id", "rio--declaration", "--date", "2025"],
            "id 'rio--declaration' must be lower-case letters and digits joined by single"
            " hyphens, at most 80 characters, like 'rio-declaration'",
        ),
        (
            ["--id", "a" * 81, "--date", "2025"],
            f"id '{'a' * 81}' must be lower-case letters and digits joined by single hyphens,"
            " at most 80 characters",
        ),
        (
            ["--id", "x", "--date", "2025-7-6"],
            "date '2025-7-6' is not YYYY-MM-DD, YYYY-MM or YYYY (give 'undated' when the date is"
            " not known)",
        ),
        (["--id", "x", "--date", "2025-02-29"], "date '2025-02-29' is not a real date"),
        (["--id", "x", "--date", "2025-13"], "date '2025-13' is not a real date"),
        (["--id", "x", "--date", "2025", "--title", "Two\nlines"], "the title must be one line"),
    ],
)
def test_refuses_a_bad_id_date_or_title_and_writes_nothing(
    root: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert new(root, capsys, *args) == (2, "", f"new: {message}\n")
    assert not (root / "data/statements").exists()


def test_without_a_terminal_it_says_what_to_give(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (
        "new: no {} given, and no terminal to ask in: run\n"
        '  make new ID=2026-05-cn-ru-joint-statement TITLE="Joint statement of …" DATE=2026-05\n'
        "(DATE=undated when the date is not known), or run `make new` in a terminal to be asked\n"
    )
    assert new(root, capsys) == (2, "", expected.format("ID or DATE"))
    assert new(root, capsys, "--id", "x") == (2, "", expected.format("DATE"))
    assert not (root / "data/statements").exists()


def test_without_a_title_the_title_is_to_fill_in(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(root, capsys, "--id", "x", "--date", "2025")[0] == 0
    text = (root / "data/statements/2025/x.yml").read_text(encoding="utf-8")
    assert "\ntitle: TO FILL IN  # as issued" in text


def test_suggested_ids() -> None:
    assert suggest_id("Rio de Janeiro Declaration", "2025-07-06") == (
        "2025-07-06-rio-de-janeiro-declaration"
    )
    assert suggest_id("Déclaration « commune » : Xi & Putin", "") == (
        "declaration-commune-xi-putin"
    )
    long = suggest_id("word " * 40, "2025")
    assert len(long) <= 80 and long.startswith("2025-word-") and not long.endswith("-")


# --- what `make check` says of it --------------------------------------------------------------


def test_the_new_file_is_reported_only_as_still_to_fill_in(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    assert check(root, capsys) == (
        1,
        "",
        "".join(
            f"{FILE}:{place}: '{field}' is still to fill in\n"
            for place, field in [
                ("9:7", "kind"),
                ("11:11", "parties[0]"),
                ("21:10", "summary"),
                ("25:12", "sources[0].title"),
                ("27:16", "sources[0].publisher"),
                ("28:10", "sources[0].url"),
                ("34:11", "sources[0].kind"),
                ("48:9", "sections[0].id"),
                ("49:14", "sections[0].heading"),
                ("56:15", "sections[0].excerpts[0].text"),
            ]
        )
        + "10 problems in 1 file\n",
    )


def test_an_undated_new_file_is_reported_only_as_still_to_fill_in(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(root, capsys, "--id", "x", "--date", "undated")
    status, out, err = check(root, capsys)
    assert (status, out) == (1, "")
    problems = err.splitlines()
    assert problems[-1] == "12 problems in 1 file"
    assert problems[:3] == [
        "data/statements/undated/x.yml:6:8: 'title' is still to fill in",
        "data/statements/undated/x.yml:8:12: 'date_note' is still to fill in",
        "data/statements/undated/x.yml:9:7: 'kind' is still to fill in",
    ]
    assert all(line.endswith("' is still to fill in") for line in problems[:-1])


FILLED = [
    ("kind: TO FILL IN", "kind: declaration"),
    ("parties: [TO FILL IN]", "parties: [BR, RU, IN, CN, ZA]"),
    ("  TO FILL IN\n", "  The leaders of the BRICS countries met in Rio de Janeiro.\n"),
    ("    title: TO FILL IN", "    title: Rio de Janeiro Declaration"),
    ("    publisher: TO FILL IN", "    publisher: BRICS Brasil"),
    ("https://example.org/to-fill-in", "https://brics.br/en/documents/rio-declaration"),
    ("    kind: TO FILL IN", "    kind: official-text"),
    ("  - id: to-fill-in", "  - id: terrorism"),
    ("    heading: TO FILL IN", "    heading: Terrorism"),
    (
        "          TO FILL IN\n",
        "          We condemn terrorism in all its forms: words that occur verbatim in an\n"
        "          excerpt of this section.\n",
    ),
]
"""What a contributor replaces, in the order it appears in the file."""


def fill(text: str) -> str:
    for old, new_text in FILLED:
        assert old in text, old
        text = text.replace(old, new_text, 1)
    assert PLACEHOLDER not in json.dumps(yaml.load(text, yaml.BaseLoader))
    return text


def test_a_filled_in_new_file_passes_check(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    (root / FILE).write_text(fill((root / FILE).read_text(encoding="utf-8")), encoding="utf-8")
    assert check(root, capsys) == (0, "No problems: 1 statement and 4 vocabularies checked.\n", "")


_OPTIONAL = re.compile(r"^(?P<indent> *)# (?P<field> *(- )?([a-z_]+:( |$)|\{))")
"""A commented-out optional field, as the template writes it: '# ' before a field name (or a
list entry); deleting the '# ' uses it."""


def uncomment(text: str) -> str:
    """The template with every optional field in use."""
    return "".join(
        _OPTIONAL.sub(r"\g<indent>\g<field>", line, count=1)
        for line in text.splitlines(keepends=True)
    )


SERIES = "- {id: moscow-format-consultations, name: A series, forum: moscow-format}\n"
ACTORS = "- {id: an-actor-id, name: An actor, kind: movement, aliases: []}\n"
"""The entries a contributor adds for the series and the actor the template's examples name
(the repository's own series.yml and actors.yml start empty)."""


def test_with_every_optional_field_in_use_it_passes_check_too(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    new(root, capsys, "--id", "another-statement-id", "--title", "Another", "--date", "2025")
    filled = uncomment(fill((root / FILE).read_text(encoding="utf-8")))
    filled = filled.replace("published: YYYY-MM-DD", "published: 2025-07-07")
    (root / FILE).write_text(filled, encoding="utf-8")
    other = root / "data/statements/2025/another-statement-id.yml"
    other.write_text(fill(other.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "data/series.yml").write_text(SERIES, encoding="utf-8")
    (root / "data/actors.yml").write_text(ACTORS, encoding="utf-8")
    assert check(root, capsys) == (0, "No problems: 2 statements and 6 vocabularies checked.\n", "")


def _schema_fields(schema: dict[str, Any], node: dict[str, Any], path: str = "") -> set[str]:
    """Every field the schema allows, as 'sections[].excerpts[].original.language'."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return _schema_fields(schema, node["items"], f"{path}[]")
    fields = set()
    for name, child in node.get("properties", {}).items():
        field = f"{path}.{name}" if path else name
        fields |= {field} | _schema_fields(schema, child, field)
    return fields


def _data_fields(value: Any, path: str = "") -> set[str]:
    if isinstance(value, list):
        return set().union(*(_data_fields(item, f"{path}[]") for item in value))
    if isinstance(value, dict):
        fields = set()
        for name, child in value.items():
            field = f"{path}.{name}" if path else name
            fields |= {field} | _data_fields(child, field)
        return fields
    return set()


def test_the_template_lays_out_every_field_of_the_format(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = json.loads((REPO / "scripts/statement.schema.json").read_text(encoding="utf-8"))
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    text = uncomment((root / FILE).read_text(encoding="utf-8"))
    assert _data_fields(yaml.load(text, yaml.BaseLoader)) == _schema_fields(schema, schema)


def test_every_line_of_the_template_is_at_most_100_characters(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(root, capsys, *ARGS, "--date", "2025-07-06")
    new(root, capsys, "--id", "x", "--date", "undated")
    for file in (root / FILE, root / "data/statements/undated/x.yml"):
        lines = file.read_text(encoding="utf-8").splitlines()
        assert [line for line in lines if len(line) > 100] == []


# --- in a terminal --------------------------------------------------------------------------


def in_terminal(root: Path, answers: list[str], timeout: float = 30) -> tuple[int, str]:
    """Run `new` in a pseudo-terminal, typing each answer after the prompt that asks for it
    (`\\x04` is Ctrl-D); its exit status and the screen, line breaks as '\\n'."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.chdir(REPO)
        os.execv(sys.executable, [sys.executable, "-m", "scripts", "--root", str(root), "new"])
    screen = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # the command has ended and closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
                if pending and screen.rstrip().endswith((b":", b"]:")):
                    answer = pending.pop(0)
                    os.write(fd, answer.encode() + (b"" if answer == "\x04" else b"\r"))
        else:
            os.kill(pid, signal.SIGKILL)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), screen.decode().replace("\r\n", "\n")


def test_in_a_terminal_it_asks_again_until_the_answer_will_do(root: Path) -> None:
    status, screen = in_terminal(
        root, ["Rio de Janeiro Declaration", "2025-7-6", "2025-07-06", "Rio!", ""]
    )
    file = "data/statements/2025/2025-07-06-rio-de-janeiro-declaration.yml"
    assert (status, screen) == (
        0,
        "A new statement. Press Enter to take the suggestion in [brackets].\n"
        "Title, as issued: Rio de Janeiro Declaration\n"
        "Date (YYYY-MM-DD, YYYY-MM or YYYY; 'undated' if unknown): 2025-7-6\n"
        "  date '2025-7-6' is not YYYY-MM-DD, YYYY-MM or YYYY (give 'undated' when the date is"
        " not known)\n"
        "Date (YYYY-MM-DD, YYYY-MM or YYYY; 'undated' if unknown): 2025-07-06\n"
        "Id (the file name) [2025-07-06-rio-de-janeiro-declaration]: Rio!\n"
        "  id 'Rio!' must be lower-case letters and digits joined by single hyphens, at most 80"
        " characters, like 'rio'\n"
        "Id (the file name) [2025-07-06-rio-de-janeiro-declaration]: \n" + WROTE.format(file=file),
    )
    assert "title: Rio de Janeiro Declaration  #" in (root / file).read_text(encoding="utf-8")


def test_in_a_terminal_ctrl_d_cancels_and_writes_nothing(root: Path) -> None:
    status, screen = in_terminal(root, ["A title", "\x04"])
    assert status == 1
    assert screen.endswith("new: cancelled; nothing was written\n")
    assert not (root / "data/statements").exists()
