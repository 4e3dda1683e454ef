"""The driver: every file of the archive checked, each finding given its file, line and column
once, here at the outer layer; the problems sorted by file and line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

from scripts.load import Loaded, Place
from scripts.site import OPTIONAL_VOCABULARIES, is_slug
from scripts.validate.across import across_files
from scripts.validate.problems import Finding, Problem
from scripts.validate.rules import as_text, mappings
from scripts.validate.statements import statement_findings
from scripts.validate.suggest import did_you_mean
from scripts.validate.vocabulary import KnownIds, known_ids, vocabulary_findings


def _problems(loaded: Loaded, findings: Iterable[Finding]) -> Iterator[Problem]:
    name = str(loaded.file)
    if loaded.error:
        place = loaded.error.place
        yield Problem.at(name, place, loaded.error.message)
        return
    document = loaded.document
    assert document is not None
    for path, place in document.duplicate_keys:
        first = document.place(path, key=True)
        yield Problem.at(
            name,
            place,
            f"duplicate key '{path[-1]}' (already set on line {first.line}); keep one of them",
        )
    for finding in findings:
        where: Place = document.place(finding.path, key=finding.at_key)
        yield Problem.at(name, where, finding.message, structural=finding.structural)


def validate_vocabularies(
    files: dict[str, Loaded], iso_names: dict[str, str]
) -> tuple[list[Problem], KnownIds]:
    """Problems in the vocabulary files, and the vocabulary as far as it could be read."""
    data = {name: _data(loaded) for name, loaded in files.items()}
    data.update({name: [] for name in OPTIONAL_VOCABULARIES - files.keys()})  # no file: none
    known = known_ids(data, iso_names)
    problems: list[Problem] = []
    for name, loaded in files.items():
        problems.extend(_problems(loaded, vocabulary_findings(name, data[name], known)))
    return problems, known


def _data(loaded: Loaded | None) -> Any:
    return loaded.document.data if loaded and loaded.document else None


FindingsMemo = dict[int, tuple[Loaded, KnownIds, list[Finding]]]
"""A file's own findings, by its Loaded (its id, the object kept alive beside them), with the
vocabulary they were found against: `make serve` checks again only the files that changed."""


def _file_findings(loaded: Loaded, known: KnownIds, memo: FindingsMemo | None) -> list[Finding]:
    if loaded.document is None:
        return []
    cached = memo.get(id(loaded)) if memo is not None else None
    if cached is not None and cached[0] is loaded and cached[1] == known:
        return list(cached[2])
    found = list(statement_findings(loaded.document.data, loaded.file, known))
    if memo is not None:
        memo[id(loaded)] = (loaded, known, found)
    return list(found)


def validate_archive(
    statements: list[Loaded],
    vocabularies: dict[str, Loaded],
    iso_names: dict[str, str],
    memo: FindingsMemo | None = None,
    today: dt.date | None = None,
) -> list[Problem]:
    """Every problem in the archive, sorted by file and line. With a `memo` (serve), a file read
    as the same Loaded object as last time, against the same vocabulary, is not checked again.
    `today` (default: the system's date) is the last day a statement may be dated."""
    if memo is not None:
        seen = {id(loaded) for loaded in statements}
        for gone in memo.keys() - seen:
            del memo[gone]
    problems, known = validate_vocabularies(vocabularies, iso_names)
    first_file: dict[str, PurePosixPath] = {}
    related: list[tuple[Loaded, int, str]] = []
    for loaded in statements:
        if loaded.file.suffix != ".yml" and not loaded.error:
            problems.append(_not_a_statement_file(loaded))
            continue
        data = _data(loaded)
        if loaded.error and is_slug(loaded.file.stem):
            # A file that does not parse still answers to the id its name gives: the files that
            # relate to it get no false "does not exist" (its own problem is reported).
            first_file.setdefault(loaded.file.stem, loaded.file)
        findings = _file_findings(loaded, known, memo)
        if isinstance(data, dict):
            findings.extend(_id_taken(data, loaded, first_file))
            for index, relation in mappings(data.get("related")):
                if isinstance(relation.get("id"), str):
                    related.append((loaded, index, relation["id"]))
        problems.extend(_problems(loaded, findings))
    for loaded, index, target in related:
        problems.extend(_problems(loaded, _relation_findings(loaded, index, target, first_file)))
    problems.extend(across_files(statements, today or dt.date.today()))
    return sorted(set(problems))


def _not_a_statement_file(loaded: Loaded) -> Problem:
    hint = "; use the .yml extension" if loaded.file.suffix == ".yaml" else ""
    return Problem.at(
        loaded.file, Place(1, 1), f"not a statement file: statements are <id>.yml files{hint}"
    )


def _id_taken(
    data: dict[str, Any], loaded: Loaded, first_file: dict[str, PurePosixPath]
) -> Iterator[Finding]:
    """An id already used by another file; else the id is recorded as this file's."""
    statement_id = as_text(data.get("id"))
    if statement_id in first_file:
        yield Finding(
            ("id",),
            f"id '{statement_id}' is already used by {first_file[statement_id]};"
            " give each statement its own id",
        )
    elif statement_id:
        first_file[statement_id] = loaded.file


def _relation_findings(
    loaded: Loaded, index: int, target: str, first_file: dict[str, PurePosixPath]
) -> Iterator[Finding]:
    own_id = loaded.document.data.get("id") if loaded.document else None
    message = None
    if target == own_id:
        message = "a statement cannot be related to itself"
    elif target not in first_file:
        hint = did_you_mean(target, first_file)
        hint = hint or "; give the id of a statement in the archive"
        message = f"related statement '{target}' does not exist{hint}"
    if message:
        yield Finding(("related", index, "id"), message)
