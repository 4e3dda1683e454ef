"""Issue 14, item 12: what fuzzing and fault injection found, in the loader, the schema, the
writer and the search stage. Each case is refused by `python -m scripts check` with its place
and an exact message, or fails the build in one plain line: never a traceback, never a hang,
never a lost site.

- Characters only an escape can write (`"\\x01"`, `"\\e"`, `"\\ud83d\\ude00"`): refused at the
  escape, which the message quotes as written.
- What is not a regular file (a named pipe would block the read forever), a name with ': ' or a
  line break, a folder or file that cannot be read: refused, never skipped.
- One file cannot keep `check` busy: every list of the schema has a maxItems, and uniqueness is
  checked only on a list within it.
- The writer turns a refused write into one line; the search stage stops a hung Pagefind, refuses
  an empty bundle, runs at most one Pagefind per CPU at once and leaves no temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from support.archive import FIXTURE, REPO, copy_archive
from support.statements import BASE, FILE, at, changed, expected_report, write

from scripts import search
from scripts.commands import main
from scripts.load import NOT_A_FILE_MESSAGE, UNSAFE_NAME_MESSAGE, load_archive
from scripts.pipeline import prepare
from scripts.search import SearchIndexError, index_site
from scripts.write import WriteError, Writer

SCHEMA = json.loads((REPO / "scripts" / "statement.schema.json").read_text(encoding="utf-8"))
VOCABULARY_SCHEMA = json.loads(
    (REPO / "scripts" / "vocabularies.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An archive with the repository's vocabularies and no statements yet."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "data").mkdir()
    for name in ("countries", "forums", "topics", "kinds"):
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    return tmp_path


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail, rather than hang the test run, if the test takes over 60 s (a blocked read)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("blocked: the check did not finish in 60 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- characters only an escape can write ------------------------------------------------------

CONTROL = "control character U+{} is not allowed in text; remove the escape '{}'"
ESCAPED = {
    "a-surrogate-pair-as-json-writes-an-emoji": (
        ("title: A test statement", 'title: "Joint statement \\ud83d\\ude00"'),
        at(
            2,
            25,
            "'\\ud83d\\ude00' is a surrogate pair, as JSON writes U+1F600; YAML reads it as two"
            " halves that are not characters: write the character itself (😀) or the escape"
            " '\\U0001F600'",
        ),
    ),
    "a-lone-surrogate": (
        ("Beijing", '"Beijing \\udc00"'),
        at(
            7,
            17,
            "U+DC00 is half of a surrogate pair, not a character; write the character itself"
            " instead of the escape '\\udc00'",
        ),
    ),
    "x01-in-the-title": (
        ("title: A test statement", 'title: "A test statement\\x01"'),
        at(2, 25, CONTROL.format("0001", "\\x01")),
    ),
    "nul-in-the-summary": (
        ("summary: Both sides spoke of peace.", 'summary: "Both sides\\0 spoke of peace."'),
        at(
            10, 21, "control character U+0000 (NUL) is not allowed in text; remove the escape '\\0'"
        ),
    ),
    "backspace-in-a-heading": (
        ("heading: Afghanistan", 'heading: "Afghan\\bistan"'),
        at(
            19,
            21,
            "control character U+0008 (backspace) is not allowed in text; remove the escape '\\b'",
        ),
    ),
    "ansi-colour-codes-in-an-excerpt": (
        (
            "- text: Both sides support lasting peace and stability in Afghanistan.",
            '- text: "\\e[31mBoth sides\\e[0m support lasting peace and stability in Afghanistan."',
        ),
        at(
            25,
            16,
            "control character U+001B (escape, as in terminal colour codes) is not allowed in"
            " text; remove the escape '\\e'",
        ),
    ),
    "uffff-in-an-annotation-note": (
        ("note: An editorial note.", 'note: "An editorial note.\\uFFFF"'),
        at(
            30,
            34,
            "U+FFFF is not a character (a Unicode noncharacter) and is not allowed in text;"
            " remove the escape '\\uFFFF'",
        ),
    ),
    "ufffe-in-a-source-title": (
        ("title: A report", 'title: "\\uFFFEA report"'),
        at(
            13,
            13,
            "U+FFFE is not a character (a Unicode noncharacter) and is not allowed in text;"
            " remove the escape '\\uFFFE'",
        ),
    ),
    "a-c1-control-in-a-role": (
        ("role: President", 'role: "Pres\\x9fident"'),
        at(9, 35, CONTROL.format("009F", "\\x9f")),
    ),
    "an-invisible-line-break-written-as-an-escape": (
        ("date_note: Issued during the visit.", 'date_note: "Issued\\Lduring the visit."'),
        at(
            4,
            19,
            "character U+2028 (an invisible line break) is not allowed in text; write '\\n' or"
            " a space instead of '\\L'",
        ),
    ),
    "an-escape-in-a-key": (
        ("place: Beijing", '"pla\\x01ce": Beijing'),
        at(7, 5, CONTROL.format("0001", "\\x01")),
    ),
}


@pytest.mark.parametrize("name", list(ESCAPED))
def test_an_escape_that_writes_what_text_may_not_hold_is_refused_at_the_escape(
    root: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (old, new), expected = ESCAPED[name]
    write(root, FILE, changed(old, new))
    assert check(root, capsys) == (1, "", expected_report([expected]))


def test_an_escape_in_a_vocabulary_file_is_refused_there(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = root / "data" / "topics.yml"
    before = topics.read_text(encoding="utf-8")
    topics.write_text(before + '- {id: odd, name: "Odd\\x07"}\n', encoding="utf-8")
    line = len(before.splitlines()) + 1
    assert check(root, capsys) == (
        1,
        "",
        expected_report([at(line, 23, CONTROL.format("0007", "\\x07"), "data/topics.yml")]),
    )


@pytest.mark.parametrize(
    "value",
    ['"Joint statement \\U0001F600"', '"tab\\tand \\\\x01 as text"', '"\\u00e9t\\u00e9"'],
    ids=["an-emoji-as-one-escape", "tab-and-an-escaped-backslash", "letters-as-escapes"],
)
def test_escapes_that_write_characters_are_accepted(
    root: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    write(root, FILE, changed("title: A test statement", f"title: {value}"))
    assert check(root, capsys) == (
        0,
        "No problems: 1 statement and 4 vocabularies checked.\n",
        "",
    )


# --- files: only regular files, names that keep the place readable, nothing skipped -----------


def test_a_named_pipe_is_refused_without_being_opened(
    root: Path, capsys: pytest.CaptureFixture[str], deadline: None
) -> None:
    topics = root / "data" / "topics.yml"
    topics.unlink()
    os.mkfifo(topics)
    statement = root / FILE
    statement.parent.mkdir(parents=True)
    os.mkfifo(statement)
    os.mkfifo(statement.parent / "notes.md")
    fifo = NOT_A_FILE_MESSAGE.format("a named pipe (FIFO)")
    assert fifo == "a named pipe (FIFO) is not allowed in data/; commit an ordinary file"
    assert check(root, capsys) == (
        1,
        "",
        expected_report(
            [
                f"data/statements/2026/2026-05-21-hostile.yml:1:1: {fifo}",
                f"data/statements/2026/notes.md:1:1: {fifo}",
                f"data/topics.yml:1:1: {fifo}",
            ]
        ),
    )


def test_a_folder_in_place_of_a_vocabulary_file_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "data" / "kinds.yml").unlink()
    (root / "data" / "kinds.yml").mkdir()
    write(root, FILE, BASE)
    status, out, err = check(root, capsys)
    assert (status, out) == (1, "")
    assert err.splitlines()[0] == (
        "data/kinds.yml:1:1: a folder in place of this file is not allowed in data/;"
        " commit an ordinary file"
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("2026/a: b.yml", "data/statements/2026/a: b.yml"),
        ("2026/a\nb.yml", "data/statements/2026/a\\nb.yml"),
        ("2026/a\tb.md", "data/statements/2026/a\\tb.md"),
        ("x: y/2026-05-21-hostile.yml", "data/statements/x: y/2026-05-21-hostile.yml"),
    ],
    ids=["colon-space", "line-break", "tab", "a-folder-name"],
)
def test_a_name_that_makes_the_place_ambiguous_is_refused_and_not_read(
    root: Path, capsys: pytest.CaptureFixture[str], name: str, shown: str
) -> None:
    assert UNSAFE_NAME_MESSAGE == (
        "a name with ': ' or a control character (a line break, a tab) is not allowed in"
        " data/: it makes 'file:line:col' ambiguous; rename it"
    )
    write(root, f"data/statements/{name}", "id: [unclosed\n")
    assert check(root, capsys) == (1, "", expected_report([f"{shown}:1:1: {UNSAFE_NAME_MESSAGE}"]))


def refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """os.scandir of `folder` fails as it does for a folder without read permission (the tests
    run as root, whom chmod does not stop)."""
    scandir = os.scandir

    def refusing(path: Any = ".") -> Any:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)


@pytest.mark.parametrize("folder", ["data/statements/2026", "data/statements"])
def test_an_unreadable_folder_is_a_problem_never_an_empty_archive(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    write(root, FILE, BASE)
    write(root, "data/statements/2025/2025-01-01-other.yml", "id: [unclosed\n")
    refuse_listing(monkeypatch, root / folder)
    status, out, err = check(root, capsys)
    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert f"{folder}:1:1: cannot read the folder: Permission denied" in lines
    if folder == "data/statements":
        assert err == expected_report([f"{folder}:1:1: cannot read the folder: Permission denied"])
    else:  # the readable folder beside it is still checked
        assert lines[0].startswith("data/statements/2025/2025-01-01-other.yml:2:1: YAML syntax")


def test_an_unreadable_folder_stops_the_build_and_keeps_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = copy_archive(FIXTURE, tmp_path / "archive")
    (archive / "site").mkdir()
    (archive / "site" / "index.html").write_text("the last good site", encoding="utf-8")
    refuse_listing(monkeypatch, archive / "data" / "statements")
    assert main(["--root", str(archive), "build"]) == 1
    assert capsys.readouterr().err == (
        "data/statements:1:1: cannot read the folder: Permission denied\n"
        "1 problem in 1 file\n"
        "Nothing was built: fix the problems above first.\n"
    )
    assert (archive / "site" / "index.html").read_text(encoding="utf-8") == "the last good site"


def test_an_unreadable_statement_file_is_a_problem(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(root, FILE, BASE)
    read_bytes = Path.read_bytes

    def refusing(self: Path) -> bytes:
        if self.name.endswith("-hostile.yml"):
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    assert check(root, capsys) == (
        1,
        "",
        expected_report([at(1, 1, "cannot read the file: Permission denied")]),
    )


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(root, FILE, BASE)
    with path.open("ab") as file:
        file.truncate(10 * 1024 * 1024)  # sparse: 10 MB on the size, nothing on the disk
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def recording(self: Path) -> bytes:
        read.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    statements, _ = load_archive(root)
    assert statements[0].error is not None
    assert statements[0].error.message == "file is 10,485,760 bytes; the limit is 524,288 bytes"
    assert path not in read


# --- the schema bounds the work of one file --------------------------------------------------


def _arrays(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") == "array":
            yield where, node
        for key, value in node.items():
            if key not in ("if", "then"):
                yield from _arrays(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _arrays(value, f"{where}/{index}")


@pytest.mark.parametrize("schema", [SCHEMA, VOCABULARY_SCHEMA], ids=["statement", "vocabularies"])
def test_every_list_has_a_maximum_and_uniqueness_only_within_it(schema: dict[str, Any]) -> None:
    arrays = list(_arrays(schema))
    assert arrays
    assert [where for where, node in arrays if "maxItems" not in node] == []
    assert [where for where, node in arrays if "uniqueItems" in node] == []
    for where, node in arrays:
        if "then" in node:
            assert node["if"] == {"maxItems": node["maxItems"]}, where
            assert node["then"] == {"uniqueItems": True}, where


def test_every_free_text_has_a_maximum_length() -> None:
    definitions = SCHEMA["$defs"]
    for name in ("text", "line", "slug", "url", "language"):
        assert "maxLength" in definitions[name], name
    for name in ("country", "date"):  # bounded by their pattern
        assert definitions[name]["pattern"].startswith("^")


def test_a_long_list_of_mappings_is_refused_in_seconds(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before the bounds, 12,000 distinct mappings took 78 s in jsonschema's uniqueItems.
    # (120,000 unknown codes still take minutes in the validator's did-you-mean: the lead's.)
    items = "\n".join(f"  - {{k{i}: v{i}}}" for i in range(12_000))
    write(
        root,
        FILE,
        changed("summary: Both sides spoke of peace.\n", f"topics:\n{items}\nsummary: x\n"),
    )
    started = time.monotonic()
    status, out, _ = check(root, capsys)
    assert (status, out) == (1, "")
    assert time.monotonic() - started < 30


def test_a_list_over_its_maximum_is_named_with_its_length(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = ", ".join(f"t{i}" for i in range(201))
    write(root, FILE, changed("    topics: [counter-terrorism]", f"    topics: [{topics}]"))
    # One problem: the items of a list over its maximum are not checked one by one.
    assert check(root, capsys) == (
        1,
        "",
        expected_report([at(22, 13, "'sections[0].topics' has 201 entries; the limit is 200")]),
    )


# --- the writer: a refused write is one line ---------------------------------------------------


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    return docs


def _refuse(
    monkeypatch: pytest.MonkeyPatch, method: str, reason: str = "Permission denied"
) -> None:
    errno = 28 if reason == "No space left on device" else 13

    def refusing(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise OSError(errno, reason, str(self))

    monkeypatch.setattr(Path, method, refusing)


@pytest.mark.parametrize(
    ("method", "reason"),
    [
        ("write_bytes", "Permission denied"),
        ("mkdir", "Permission denied"),
        ("write_bytes", "No space left on device"),
    ],
)
def test_a_refused_write_is_a_write_error_in_one_line(
    docs: Path, monkeypatch: pytest.MonkeyPatch, method: str, reason: str
) -> None:
    writer = Writer(docs, owned=("statements", "index.md"))
    _refuse(monkeypatch, method, reason)
    with pytest.raises(WriteError) as caught:
        writer.write("statements/a/index.md", "A\n")
    assert str(caught.value) == f"cannot write docs/statements/a/index.md: {reason}"


def test_a_refused_removal_is_a_write_error_in_one_line(
    docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (docs / "statements").mkdir()
    (docs / "statements" / "old.md").write_text("gone\n", encoding="utf-8")
    writer = Writer(docs, owned=("statements", "index.md"))
    writer.write("statements/new.md", "new\n")
    _refuse(monkeypatch, "unlink")
    with pytest.raises(WriteError) as caught:
        writer.remove_stale()
    assert str(caught.value) == (
        "cannot remove docs/statements/old.md, a page this run no longer makes: Permission denied"
    )


def test_a_lone_surrogate_that_reaches_the_writer_is_a_write_error(docs: Path) -> None:
    writer = Writer(docs, owned=("statements",))
    with pytest.raises(WriteError) as caught:
        writer.write("statements/a.md", "Joint statement \ud83d\ude00")
    assert str(caught.value) == (
        "cannot write docs/statements/a.md: it holds U+D83D, which is not a character"
    )


# --- search: a hung, failing or many-language Pagefind -------------------------------------------


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], Any]:
    """The fixture archive's statements and vocabularies (text in zh, ru and fa)."""
    archive = copy_archive(FIXTURE, tmp_path_factory.mktemp("archive"))
    problems, prepared = prepare(archive)
    assert not problems and prepared is not None
    return prepared.statements, prepared.vocabularies


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where tempfile puts the search stage's temporary folder; it must be empty afterwards."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def fake_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, name: str = "pagefind"
) -> Path:
    """A stand-in for the Pagefind binary: a Python script given `--site S --output-path O`;
    `site`, `output` and `pages` (whether it indexes the statement pages) are set for `body`."""
    script = tmp_path / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "args = sys.argv[1:]\n"
        "site = Path(args[args.index('--site') + 1])\n"
        "output = Path(args[args.index('--output-path') + 1])\n"
        "pages = '--glob' in args\n" + body,
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(search, "_binary", lambda: script)
    return script


def test_a_hung_pagefind_is_stopped_by_its_timeout(
    tmp_path: Path,
    temporary: Path,
    monkeypatch: pytest.MonkeyPatch,
    indexed: tuple[list[Any], Any],
) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    fake_pagefind(
        tmp_path,
        monkeypatch,
        f"(Path({str(pids)!r}) / str(os.getpid())).touch()\ntime.sleep(300)\n",
    )
    monkeypatch.setenv(search.TIMEOUT_VARIABLE, "1.5")
    site = tmp_path / "site"
    site.mkdir()
    started = time.monotonic()
    with pytest.raises(SearchIndexError) as caught:
        index_site(site, *indexed, "en")
    assert time.monotonic() - started < 30
    assert str(caught.value) == (
        "Pagefind did not finish the statement pages in 1.5 seconds and was stopped"
        " (the limit is set by ARCHIVE_PAGEFIND_TIMEOUT)"
    )
    started_pids = [int(p.name) for p in pids.iterdir()]
    assert started_pids
    for pid in started_pids:  # every run was stopped and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert list(temporary.iterdir()) == []


def test_the_default_timeout_is_generous_and_scaled() -> None:
    assert search.timeout(0) == 600
    assert search.timeout(10_000) == 1_600


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_a_timeout_that_is_not_seconds_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(search.TIMEOUT_VARIABLE, value)
    with pytest.raises(SearchIndexError) as caught:
        search.timeout(1)
    assert str(caught.value) == (
        f"ARCHIVE_PAGEFIND_TIMEOUT must be a number of seconds above 0, not '{value}'"
    )


def test_an_empty_entry_file_on_a_full_disk_is_a_search_index_error(
    tmp_path: Path,
    temporary: Path,
    monkeypatch: pytest.MonkeyPatch,
    indexed: tuple[list[Any], Any],
) -> None:
    # Pagefind on a full disk was seen to exit 0 with an empty pagefind-entry.json.
    fake_pagefind(
        tmp_path,
        monkeypatch,
        "output.mkdir(parents=True, exist_ok=True)\n"
        "(output / 'pagefind.js').write_text('')\n"
        "(output / 'pagefind-entry.json').write_text('')\n",
    )
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(SearchIndexError) as caught:
        index_site(site, *indexed, "en")
    assert str(caught.value) == (
        f"Pagefind left {site / 'pagefind' / 'pagefind-entry.json'} empty (is the disk full?)"
    )
    assert list(temporary.iterdir()) == []


def test_a_failed_run_says_what_pagefind_said_and_leaves_no_temporary_folder(
    tmp_path: Path,
    temporary: Path,
    monkeypatch: pytest.MonkeyPatch,
    indexed: tuple[list[Any], Any],
) -> None:
    fake_pagefind(
        tmp_path,
        monkeypatch,
        "if pages:\n    print('Error: no space left on device')\n    sys.exit(1)\n",
    )
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(SearchIndexError) as caught:
        index_site(site, *indexed, "en")
    assert str(caught.value) == (
        "Pagefind failed on the statement pages:\nError: no space left on device"
    )
    assert list(temporary.iterdir()) == []


def test_pagefind_runs_at_most_the_limit_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, log = tmp_path / "running", tmp_path / "log"
    running.mkdir()
    script = fake_pagefind(
        tmp_path,
        monkeypatch,
        f"me = Path({str(running)!r}) / str(os.getpid())\n"
        "me.touch()\n"
        f"count = len(list(Path({str(running)!r}).iterdir()))\n"
        f"with open({str(log)!r}, 'a') as log:\n"
        "    log.write(str(count) + '\\n')\n"
        "time.sleep(0.3)\n"
        "me.unlink()\n",
    )
    jobs = [
        search._Job(f"the text in l{n}", tmp_path, tmp_path / f"out{n}", (), 1) for n in range(7)
    ]
    logs = tmp_path / "logs"
    logs.mkdir()
    search._run_all(script, jobs, logs, 2)
    counts = [int(n) for n in log.read_text(encoding="utf-8").split()]
    assert len(counts) == 7
    assert max(counts) <= 2


def test_index_site_runs_one_pagefind_per_cpu_at_once(
    tmp_path: Path,
    temporary: Path,
    monkeypatch: pytest.MonkeyPatch,
    indexed: tuple[list[Any], Any],
) -> None:
    limits: list[int] = []

    def recording(binary: Path, jobs: list[Any], logs: Path, limit: int) -> None:
        limits.append(limit)
        raise SearchIndexError("stopped here")

    cpus = search.parallel_runs()
    assert 1 <= cpus <= (os.cpu_count() or 1)
    monkeypatch.setattr(search, "_run_all", recording)
    monkeypatch.setattr(search, "parallel_runs", lambda: 3)
    fake_pagefind(tmp_path, monkeypatch, "")
    with pytest.raises(SearchIndexError):
        index_site(tmp_path, *indexed, "en")
    assert limits == [3]
    assert list(temporary.iterdir()) == []


# --- ids, languages and the topic tree, bounded -------------------------------------------------


@pytest.mark.parametrize(
    ("statement_id", "message"),
    [
        (
            "index",
            "id 'index' is taken by the site itself (statements/index/ is a page of the list of"
            " statements); choose another id",
        ),
        (
            "2026",
            "id '2026' is taken by the site itself (statements/2026/ is a page of the list of"
            " statements); choose another id",
        ),
        (
            "con",
            "id 'con' is a device name on Windows (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to"
            " LPT9), where a file of that name cannot be checked out; choose another id",
        ),
        (
            "lpt1",
            "id 'lpt1' is a device name on Windows (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to"
            " LPT9), where a file of that name cannot be checked out; choose another id",
        ),
    ],
)
def test_ids_the_site_or_windows_keep_are_refused(
    root: Path, capsys: pytest.CaptureFixture[str], statement_id: str, message: str
) -> None:
    file = f"data/statements/2026/{statement_id}.yml"
    write(root, file, changed("id: 2026-05-21-hostile", f"id: {statement_id}"))
    assert check(root, capsys) == (1, "", expected_report([at(1, 5, message, file)]))


def test_a_statement_in_more_than_twenty_languages_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each language is a search index of its own: one file must not start hundreds."""
    excerpt = "      - text: Words.\n        original: {{language: x{n}, text: Words.}}\n"
    more = "".join(excerpt.format(n=f"{chr(97 + n // 26)}{chr(97 + n % 26)}") for n in range(21))
    text = changed("    annotations:\n", more + "    annotations:\n")
    write(root, FILE, text)
    line = 27 + 2 * 20  # the 20th added original: with the base's Chinese, the 21st language
    message = (
        "'xat' is one language too many: a statement's text may be in at most 20 languages"
        " (its own and its excerpts' originals)"
    )
    assert check(root, capsys) == (1, "", expected_report([at(line, 30, message)]))


def test_a_topic_tree_deeper_than_ten_levels_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tree 3,000 deep took a minute to check, and one 1,000 deep broke the build."""
    chain = "".join(
        f"- {{id: level-{n}, name: Level {n}" + (f", parent: level-{n - 1}}}\n" if n else "}\n")
        for n in range(3000)
    )
    topics = root / "data" / "topics.yml"
    start = len(topics.read_text(encoding="utf-8").splitlines())
    topics.write_text(topics.read_text(encoding="utf-8") + chain, encoding="utf-8")
    status, _, err = check(root, capsys)
    assert status == 1
    assert err.splitlines() == [
        f"data/topics.yml:{start + 11}:42: topic 'level-10' is 11 levels deep; the topic tree may"
        " be at most 10 levels deep",
        "1 problem in 1 file",
    ]
