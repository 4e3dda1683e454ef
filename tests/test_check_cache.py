"""`make check` with its store of kept checks (.build/cache/, scripts/cache.py): after any edit,
addition, removal or renaming of files, of the vocabularies or of the code, it prints exactly what
a check from nothing prints on the same tree, and what the pipeline's own validation finds; it
reads again only the files that changed; a corrupt, truncated or unwritable store costs time,
never a wrong answer or a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import scripts.commands.check as check_command
from scripts.cache import Store, code_fingerprint
from scripts.commands import main
from scripts.dev import bench
from scripts.dev.synthetic import synthetic_statements, synthetic_vocabularies
from scripts.load import iso_country_names, load_archive, load_path
from scripts.validate import report, validate_archive
from scripts.validate.archive import check_file, validate_vocabularies
from scripts.validate.summary import from_json, to_json

REPO = Path(__file__).resolve().parent.parent
COUNT = 24
Output = tuple[int, str, str]


@pytest.fixture(scope="module")
def synthetic() -> dict[str, str]:
    files = {**synthetic_vocabularies(), **synthetic_statements(COUNT, REPO)}
    for name in ("countries", "forums", "topics", "kinds"):
        files[f"data/{name}.yml"] = (REPO / "data" / f"{name}.yml").read_text(encoding="utf-8")
    return files


@pytest.fixture
def root(tmp_path: Path, synthetic: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    archive = tmp_path / "archive"
    for name, text in synthetic.items():
        (archive / name).parent.mkdir(parents=True, exist_ok=True)
        (archive / name).write_text(text, encoding="utf-8")
    return archive


class Checker:
    """Runs `python -m scripts check` in this process, counting the statement files it parses."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        self.parsed: list[str] = []
        loader = check_command.load_path

        def counting(root: Path, path: Path, **options: Any) -> Any:
            if "statements" in path.relative_to(root).parts and options.get("parse", True):
                self.parsed.append(path.name)
            return loader(root, path, **options)

        monkeypatch.setattr(check_command, "load_path", counting)

    def run(self, root: Path) -> Output:
        self.parsed.clear()
        self.capsys.readouterr()
        status = main(["--root", str(root), "check"])
        out, err = self.capsys.readouterr()
        return status, out, err

    def cold(self, root: Path) -> Output:
        """The check of a copy of `root`'s data/ that has no store; and when it finds problems,
        the validation the pipeline runs (for `make build` and `make serve`) finds the same."""
        with tempfile.TemporaryDirectory() as temporary:
            fresh = Path(temporary)
            shutil.copytree(root / "data", fresh / "data", symlinks=True)
            output = self.run(fresh)
            assert len(self.parsed) == len(list((fresh / "data" / "statements").rglob("*.yml")))
        if output[0]:  # what there is to find, the pipeline finds the same
            files, vocabularies = load_archive(root)
            problems = validate_archive(files, vocabularies, iso_country_names())
            assert output[2] == report(problems, False) + "\n"
        return output

    def same_as_cold(self, root: Path) -> Output:
        warm = self.run(root)
        parsed = sorted(self.parsed)
        assert warm == self.cold(root)
        self.parsed = parsed
        return warm


@pytest.fixture
def checker(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Checker:
    return Checker(capsys, monkeypatch)


def statements(root: Path) -> list[Path]:
    return sorted((root / "data" / "statements").rglob("*.yml"))


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = read(path)
    change(data)
    write(path, data)


def make_series(root: Path, files: list[Path]) -> list[Path]:
    """Three of `files`, of three dates, made rounds 1, 2 and 3 of a series none is in yet."""
    taken = {read(path).get("series") for path in statements(root)}
    vocabulary = yaml.safe_load((root / "data" / "series.yml").read_bytes())
    series = next(entry["id"] for entry in vocabulary if entry["id"] not in taken)
    dated = {read(path)["date"]: path for path in files}
    chosen = [dated[date] for date in sorted(dated)[:3]]
    for number, path in enumerate(chosen, 1):
        edit(path, lambda d, n=number: d.update(series=series, round=str(n)))
    return chosen


def lines(output: Output) -> list[str]:
    return output[2].splitlines()[:-1]


def test_warm_check_equals_a_cold_one_through_every_kind_of_change(
    root: Path, checker: Checker
) -> None:
    first = checker.run(root)
    assert first[0] == 0 and first[1] == checker.cold(root)[1]
    assert len(checker.run(root)[1]) and checker.parsed == []  # nothing changed: nothing read

    files = statements(root)
    one, other, third = files[0], files[1], files[2]
    edit(one, lambda d: d.update(title="An edited title"))
    assert checker.same_as_cold(root)[0] == 0
    assert checker.parsed == [one.name]

    # A second file with the id of another: both the copy's name and the id collide.
    copy = one.with_name("2099-copy.yml")
    shutil.copy2(other, copy)
    output = checker.same_as_cold(root)
    assert checker.parsed == [copy.name]
    assert any(f"id '{read(other)['id']}' is already used by" in line for line in lines(output))
    copy.unlink()
    assert checker.same_as_cold(root)[0] == 0 and checker.parsed == []

    # `related` to a file, then the file removed: the relating file (unchanged) is reported.
    target_id = read(third)["id"]
    edit(one, lambda d: d.update(related=[{"id": target_id, "relation": "see-also"}]))
    assert checker.same_as_cold(root)[0] == 0
    kept = third.read_bytes()
    third.unlink()
    output = checker.same_as_cold(root)
    assert checker.parsed == []
    missing = f"{one.relative_to(root)}:{_line_of(one, target_id)}: related statement"
    [reported] = [line for line in lines(output) if line.startswith(str(one.relative_to(root)))]
    assert reported.startswith(f"{missing} '{target_id}' does not exist")
    third.write_bytes(kept)
    assert checker.same_as_cold(root)[0] == 0 and checker.parsed == []

    # Renamed: the name no longer gives the id; then renamed back.
    renamed = other.with_name("2000-01-renamed.yml")
    other.rename(renamed)
    output = checker.same_as_cold(root)
    assert output[0] == 1 and checker.parsed == [renamed.name]
    renamed.rename(other)
    assert checker.same_as_cold(root)[0] == 0 and checker.parsed == []

    # Rounds: one given twice, then out of date order.
    first_round, second_round, third_round = make_series(root, files[12:24])
    made = checker.same_as_cold(root)
    assert made[0] == 0 and len(checker.parsed) == 3, made[2]
    edit(second_round, lambda d: d.update(round=read(first_round)["round"]))
    output = checker.same_as_cold(root)
    assert checker.parsed == [second_round.name]
    assert sum("each round is one meeting" in line for line in lines(output)) == 2
    edit(second_round, lambda d: d.update(round=read(third_round)["round"]))
    edit(third_round, lambda d: d.update(round=str(int(d["round"]) - 1)))
    output = checker.same_as_cold(root)
    assert sorted(checker.parsed) == sorted([second_round.name, third_round.name])
    assert any("rounds are numbered in the order they met" in line for line in lines(output))

    # A statement that follows another, then the other's date moved after it.
    edit(second_round, lambda d: d.update(round=str(int(d["round"]) - 1)))
    edit(third_round, lambda d: d.update(round=str(int(d["round"]) + 1)))
    edit(one, lambda d: d.update(related=[{"id": target_id, "relation": "follows"}]))
    edit(one, lambda d: d.update(date="2001-06-01"))
    edit(third, lambda d: d.update(date="2000-01-01"))
    checker.same_as_cold(root)
    edit(third, lambda d: d.update(date="2002-01-01"))
    output = checker.same_as_cold(root)
    assert checker.parsed == [third.name]
    assert any("can only follow an earlier one" in line for line in lines(output))

    # A vocabulary entry removed: every file is checked against the new vocabulary.
    used = next(
        forum
        for path in files
        for section in read(path)["sections"]
        for forum in section.get("forums", [])
    )
    forums = root / "data" / "forums.yml"
    before = forums.read_bytes()
    write(forums, [entry for entry in yaml.safe_load(before) if entry["id"] != used])
    output = checker.same_as_cold(root)
    assert len(checker.parsed) == len(files)
    assert any(f"'{used}'" in line for line in lines(output))
    forums.write_bytes(before)
    checker.same_as_cold(root)
    assert checker.parsed == []  # the checks against the vocabulary as it was are still kept

    # A file that does not parse, then mended.
    broken = files[7]
    kept = broken.read_bytes()
    broken.write_bytes(kept + b"\n  bad: [indent\n")
    output = checker.same_as_cold(root)
    assert checker.parsed == [broken.name]
    assert any(line.startswith(str(broken.relative_to(root))) for line in lines(output))
    broken.write_bytes(kept)
    checker.same_as_cold(root)
    assert checker.parsed == []


def _line_of(path: Path, target: str) -> str:
    """line:col of the value `target` as the relating file writes it."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.endswith(f"id: {target}"):
            return f"{number}:{line.index(target) + 1}"
    raise AssertionError(target)


def store_path(root: Path) -> Path:
    return root / check_command.STORE


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[:-40] + b"X" + raw[-39:], id="one-byte-changed"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw.replace(b"cache 1 ", b"cache 0 ", 1), id="other-format"),
        pytest.param(lambda raw: b"\x00\xff" * 100, id="garbage"),
    ],
)
def test_a_spoilt_store_is_detected_and_made_again(
    root: Path, checker: Checker, spoil: Callable[[bytes], bytes]
) -> None:
    edit(statements(root)[0], lambda d: d.update(title="<b>raw</b>"))  # one problem to report
    cold = checker.run(root)
    assert cold[0] == 1
    store = store_path(root)
    store.write_bytes(spoil(store.read_bytes()))
    assert checker.run(root) == cold
    assert len(checker.parsed) == COUNT
    assert checker.run(root) == cold and checker.parsed == []  # made again, and whole


def test_entries_of_the_wrong_shape_are_checked_again(root: Path, checker: Checker) -> None:
    cold = checker.run(root)
    store = Store(store_path(root))
    entries = store.read()
    assert len(entries) == COUNT
    assert store.write({key: {"problems": "not a list"} for key in entries})
    assert checker.run(root) == cold
    assert len(checker.parsed) == COUNT


def test_kept_problems_come_back_the_same(root: Path, checker: Checker) -> None:
    """A store whose entries are sound is believed: what it says is what is printed (so the
    warm runs above are warm, and the comparison with cold runs means something)."""
    checker.run(root)
    store = Store(store_path(root))
    entries = store.read()
    entry = next(iter(entries.values()))
    entry["problems"] = [[entry["file"], 3, 4, "a problem only the store knows", False]]
    store.write(entries)
    status, _, err = checker.run(root)
    assert status == 1 and checker.parsed == []
    assert err.splitlines()[0] == f"{entry['file']}:3:4: a problem only the store knows"


def test_a_code_change_makes_every_entry_again(
    root: Path, checker: Checker, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = checker.run(root)
    monkeypatch.setattr(check_command, "code_fingerprint", lambda: "other code")
    assert checker.run(root) == cold
    assert len(checker.parsed) == COUNT
    assert checker.run(root) == cold and checker.parsed == []


def test_the_code_fingerprint_follows_every_file_of_the_code(tmp_path: Path) -> None:
    package = tmp_path / "project" / "scripts"
    shutil.copytree(REPO / "scripts", package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy2(REPO / name, package.parent / name)
    fingerprints = {code_fingerprint(package)}
    assert code_fingerprint(package) in fingerprints  # the same code: the same fingerprint
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "load.cpython-311.pyc").write_bytes(b"compiled")
    assert code_fingerprint(package) in fingerprints

    def changed(change: Callable[[], object]) -> None:
        change()
        fingerprint = code_fingerprint(package)
        assert fingerprint not in fingerprints
        fingerprints.add(fingerprint)

    rules = package / "validate" / "statements.py"
    changed(lambda: rules.write_text(rules.read_text(encoding="utf-8") + "\n# changed\n"))
    schema = package / "statement.schema.json"
    changed(lambda: schema.write_text(json.dumps(json.loads(schema.read_bytes()), indent=1)))
    changed(lambda: (package / "validate" / "new_rule.py").write_text("RULE = 1\n"))
    lock = package.parent / "requirements.txt"
    changed(lambda: lock.write_text(lock.read_text(encoding="utf-8") + "\n# another pin\n"))
    changed(lambda: (package.parent / "requirements-build.txt").write_text("setuptools==1\n"))


def test_a_vocabulary_edit_that_changes_no_id_or_name_keeps_the_entries(
    root: Path, checker: Checker
) -> None:
    cold = checker.run(root)
    series = root / "data" / "series.yml"
    entries = yaml.safe_load(series.read_bytes())
    entries[0]["description"] = "Said differently."
    write(series, entries)
    assert checker.same_as_cold(root) == cold and checker.parsed == []
    entries[0]["name"] = "Renamed consultations"  # did-you-mean may now suggest it
    write(series, entries)
    changed = checker.same_as_cold(root)
    assert changed == cold, changed[2]
    assert len(checker.parsed) == COUNT


def test_without_a_usable_build_folder_the_check_still_works(
    root: Path, checker: Checker, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(statements(root)[0], lambda d: d.update(title="<b>raw</b>"))
    expected = checker.cold(root)
    (root / ".build").write_text("a file where the folder goes")
    assert checker.run(root) == expected and len(checker.parsed) == COUNT
    assert checker.run(root) == expected and len(checker.parsed) == COUNT  # nothing kept
    (root / ".build").unlink()

    store_path(root).mkdir(parents=True)  # a folder where the store goes
    assert checker.run(root) == expected and len(checker.parsed) == COUNT
    store_path(root).rmdir()

    def read_only(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)  # as in a read-only folder
    assert checker.run(root) == expected and len(checker.parsed) == COUNT
    assert not store_path(root).exists()
    monkeypatch.undo()


def test_an_interrupted_write_leaves_the_old_store(
    root: Path, checker: Checker, monkeypatch: pytest.MonkeyPatch
) -> None:
    checker.run(root)
    store = Store(store_path(root))
    before = store_path(root).read_bytes()

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.write({"a": 1})
    monkeypatch.undo()
    assert store_path(root).read_bytes() == before
    assert [p.name for p in store_path(root).parent.iterdir()] == [store_path(root).name]


def test_the_benchmark_times_a_pull_requests_check(root: Path) -> None:
    """`make bench`'s row for the check with one file changed: three runs, the file put back."""
    before = {path: path.read_bytes() for path in statements(root)}
    times = bench.check_one_change(root)
    assert set(times) == {"cold", "warm", "one_edited"} and all(t > 0 for t in times.values())
    assert {path: path.read_bytes() for path in statements(root)} == before
    entries = Store(store_path(root)).read()
    assert len(entries) == COUNT + 1  # the edited file's check is kept beside the original's


@pytest.mark.parametrize(
    "source",
    [
        *sorted((REPO / "tests" / "fixtures" / "broken").glob("*.yml")),
        *sorted((REPO / "tests" / "fixtures" / "archive" / "data" / "statements").rglob("*.yml")),
    ],
    ids=lambda path: path.name,
)
def test_a_kept_check_reads_back_as_it_was_made(
    source: Path, root: Path, synthetic: dict[str, str]
) -> None:
    """What the store keeps of a file, written out as JSON and read back, is the same check:
    every problem (and whether it is structural), the summary and every place in it."""
    path = root / "data" / "statements" / "2025" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, path)
    vocabularies = {
        name.removeprefix("data/").removesuffix(".yml"): load_path(root, root / name)
        for name in synthetic
        if name.count("/") == 1
    }
    _, known = validate_vocabularies(vocabularies, iso_country_names())
    made = check_file(load_path(root, path), known)
    kept = from_json(json.loads(json.dumps(to_json(made))))
    assert kept == made and kept.summary.places == made.summary.places
    assert [p.structural for p in kept.problems] == [p.structural for p in made.problems]
    assert made.problems or made.summary.related or made.summary.series  # something to keep


def test_files_refused_by_name_or_kind_are_reported_the_same_warm(
    root: Path, checker: Checker
) -> None:
    folder = root / "data" / "statements" / "2000"
    some = statements(root)[0]
    (folder / "notes.txt").write_text("not a statement")
    (folder / "a: b.yml").write_bytes(some.read_bytes())
    (folder / "linked.yml").symlink_to(some)
    (folder / "empty.yml").write_bytes(b"")
    cold = checker.run(root)
    assert cold[0] == 1 and len(lines(cold)) == 4
    assert checker.same_as_cold(root) == cold
    assert checker.parsed == ["linked.yml"]  # never kept: not a regular file


def test_a_name_that_is_not_utf8_is_kept_and_reported_the_same(root: Path) -> None:
    """In a process of its own: pytest's captured stderr cannot print such a name."""
    folder = root / "data" / "statements" / "2000"
    name = Path(os.fsdecode(bytes(folder) + b"/bad\xff.yml"))
    name.write_bytes(statements(root)[0].read_bytes())
    command = [sys.executable, "-m", "scripts", "--root", str(root), "check"]
    runs = [subprocess.run(command, cwd=REPO, capture_output=True, check=False) for _ in range(2)]
    assert store_path(root).is_file()
    cold, warm = ((r.returncode, r.stdout, r.stderr) for r in runs)
    assert cold == warm
    assert cold[0] == 1 and b"bad\\udcff.yml:1:1: a file or folder name" in cold[2]


def test_build_models_the_archive_from_the_kept_documents(root: Path, checker: Checker) -> None:
    """`build` checks as `check` does and models the statements from the documents kept with
    the checks: the same archive as the pipeline's own preparation, with no file parsed again
    once checked; an edited file is parsed again, and its new text is what is modelled; a
    spoilt store of documents costs a parse, not a wrong statement."""
    from scripts.pipeline import prepare

    def modelled() -> list[Any]:
        checker.parsed.clear()
        status, archive = check_command.checked(root, False)
        assert status == 0 and archive is not None
        return archive.statements

    _, expected = prepare(root)
    assert expected is not None
    first = modelled()
    assert first == expected.statements and len(checker.parsed) == COUNT
    assert modelled() == expected.statements and checker.parsed == []
    edited = statements(root)[3]
    edit(edited, lambda data: data.update(summary="A summary changed before the build."))
    after = modelled()
    assert checker.parsed == [edited.name]
    assert [s.summary for s in after if s.id == read(edited)["id"]] == [
        "A summary changed before the build."
    ]
    store = root / check_command.DOCUMENTS
    store.write_bytes(store.read_bytes()[:-10])
    assert modelled() == after and len(checker.parsed) == COUNT
