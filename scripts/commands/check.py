"""`python -m scripts check`: validate data/ and print every problem (what contributors run).

A file checked before, unchanged since (the same path and bytes, against the same vocabulary, by
the same code), is not read again: its own problems and its summary come from the store in
.build/cache/ (scripts/cache.py), and the rules across files run over the summaries of all. So a
pull request's check costs about what its changed files do; what it prints is what a check from
nothing prints (tests/test_check_cache.py holds it to that)."""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from scripts.cache import Store, code_fingerprint, digest
from scripts.load import (
    Loaded,
    iso_country_names,
    load_path,
    regular_file_bytes,
    statement_files,
    vocabularies_present,
)
from scripts.pipeline import Archive, collector_paused, model_archive
from scripts.site import vocabulary_file
from scripts.validate import Problem, report
from scripts.validate.archive import check_file, validate_checked, validate_vocabularies
from scripts.validate.summary import Checked, from_json, to_json

STORE = Path(".build") / "cache" / "check.json"
"""Under the repository: the kept checks of the statement files."""
DOCUMENTS = Path(".build") / "cache" / "documents.json"
"""Under the repository: each checked statement file's plain values, by the key of its check, for
`build` to model the archive from without parsing the files again."""
SPARE = 1000
"""Entries kept unused beyond as many as there are files."""


def add_parser(subparsers: Any) -> None:
    subparsers.add_parser("check", help="validate data/ and report every problem")


def checked(root: Path, github: bool) -> tuple[int, Archive | None]:
    """The archive, checked as `check` checks it (through its stores) and modelled: what `build`
    needs; or its problems printed and None."""
    with collector_paused():
        checking = check_documents(root)
        if checking.problems:
            print(report(checking.problems, github), file=sys.stderr)
            return 1, None
        return 0, model_archive(checking.vocabularies, checking.documents)


@dataclass
class Checking:
    """What a check found, and what it read on the way."""

    problems: list[Problem]
    files: int
    """Statement files checked."""
    vocabularies: dict[str, Loaded]
    documents: list[tuple[PurePosixPath, Any]] = field(default_factory=list)
    """Each statement file's plain values, in the order of the files (if asked for)."""


def check_archive(root: Path, store: Store | None = None) -> tuple[list[Problem], int]:
    """Every problem in `root`/data, as validate_archive finds them, and the number of statement
    files; each file's own check kept in `store` (default: .build/cache/check.json) by a key of
    its path, its bytes, the vocabulary and the code, and taken from there while they stay the
    same. A file that is not a regular .yml file is checked afresh every time."""
    checking = _check(root, store, None)
    return checking.problems, checking.files


def check_documents(root: Path) -> Checking:
    """As `check_archive`, and each statement file's document too: kept in .build/cache/
    documents.json by the key of the file's check, so that a file checked before is neither
    parsed nor validated again."""
    return _check(root, None, Store(root / DOCUMENTS))


def _check(root: Path, store: Store | None, documents: Store | None) -> Checking:
    vocabularies = {
        name: load_path(root, root / vocabulary_file(name)) for name in vocabularies_present(root)
    }
    problems, known = validate_vocabularies(vocabularies, iso_country_names())
    store = Store(root / STORE) if store is None else store
    kept = store.read()
    kept_documents = documents.read() if documents else {}
    base = digest(code_fingerprint().encode(), known.fingerprint()).encode()
    keep: dict[str, Any] = {}
    keep_documents: dict[str, Any] = {}
    made = False
    files: list[Checked] = []
    found: list[tuple[PurePosixPath, Any]] = []
    for path in statement_files(root):
        raw = regular_file_bytes(path) if path.suffix == ".yml" else None
        if raw is None:
            files.append(check_file(load_path(root, path, parse=path.suffix == ".yml"), known))
            continue
        name = path.relative_to(root).as_posix().encode("utf-8", "surrogateescape")
        key = digest(base, name, raw)
        one = _kept(kept.get(key))
        loaded = None
        if one is None:
            loaded = load_path(root, path, raw=raw)
            one = check_file(loaded, known)
            keep[key] = to_json(one)
            made = True
        else:
            keep[key] = kept[key]
        files.append(one)
        if documents is None:
            continue
        if key in kept_documents:
            data = kept_documents[key]
        else:
            loaded = loaded or load_path(root, path, raw=raw)
            data = loaded.document.data if loaded.document else None
        keep_documents[key] = data
        found.append((PurePosixPath(name.decode("utf-8", "surrogateescape")), data))
    if made:
        # Entries not used this time stay for a while (after them), as many as are used, and
        # some: a file put back, or a branch checked out again, is found still checked.
        spare = (key for key in kept if key not in keep)
        keep.update((key, kept[key]) for key in itertools.islice(spare, len(keep) + SPARE))
        store.write(keep)
    if documents is not None and keep_documents.keys() != kept_documents.keys():
        documents.write(keep_documents)  # only this tree's: they are the bulk of the archive
    return Checking(validate_checked(problems, files), len(files), vocabularies, found)


def _kept(entry: Any) -> Checked | None:
    if entry is None:
        return None
    try:
        return from_json(entry)
    except ValueError:  # not what this code writes: checked again
        return None


def run(root: Path, args: argparse.Namespace) -> int:
    with collector_paused():
        problems, count = check_archive(root)
    if problems:
        print(report(problems, args.github), file=sys.stderr)
        return 1
    # With no problems every file listed is a statement file that was read.
    print(
        f"No problems: {count} statement{'s' if count != 1 else ''} and "
        f"{len(vocabularies_present(root))} vocabularies checked."
    )
    return 0
