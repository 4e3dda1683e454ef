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
from scripts.validate.statements import statement_findings
from scripts.validate.suggest import did_you_mean
from scripts.validate.summary import Checked, Relation, Summary, summarize
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
    checked = [check_file(loaded, known, memo) for loaded in statements]
    return validate_checked(problems, checked, today)


def check_file(loaded: Loaded, known: KnownIds, memo: FindingsMemo | None = None) -> Checked:
    """One statement file's own problems, and its summary for the rules across files: all that
    depends on the file alone (its path and bytes) and on the vocabulary it is checked against."""
    if loaded.file.suffix != ".yml" and not loaded.error:
        return Checked((_not_a_statement_file(loaded),), Summary(loaded.file))
    findings = _file_findings(loaded, known, memo)
    return Checked(tuple(_problems(loaded, findings)), summarize(loaded))


def validate_checked(
    problems: list[Problem], checked: list[Checked], today: dt.date | None = None
) -> list[Problem]:
    """`problems` (the vocabularies'), the files' own and the problems across them, from the
    files' summaries in the order the files are listed; sorted by file and line."""
    problems = list(problems)
    first_file: dict[str, PurePosixPath] = {}
    related: list[tuple[Summary, Relation]] = []
    for one in checked:
        summary = one.summary
        problems.extend(one.problems)
        if summary.unreadable and is_slug(summary.file.stem):
            # A file that does not parse still answers to the id its name gives: the files that
            # relate to it get no false "does not exist" (its own problem is reported).
            first_file.setdefault(summary.file.stem, summary.file)
        if summary.mapping:
            problems.extend(_id_taken(summary, first_file))
            related.extend((summary, relation) for relation in summary.related)
    for summary, relation in related:
        problems.extend(_relation_problems(summary, relation, first_file))
    problems.extend(across_files([one.summary for one in checked], today or dt.date.today()))
    return sorted(set(problems))


def _not_a_statement_file(loaded: Loaded) -> Problem:
    hint = "; use the .yml extension" if loaded.file.suffix == ".yaml" else ""
    return Problem.at(
        loaded.file, Place(1, 1), f"not a statement file: statements are <id>.yml files{hint}"
    )


def _id_taken(summary: Summary, first_file: dict[str, PurePosixPath]) -> Iterator[Problem]:
    """An id already used by another file; else the id is recorded as this file's."""
    statement_id = summary.id
    if statement_id in first_file:
        yield summary.problem(
            ("id",),
            f"id '{statement_id}' is already used by {first_file[statement_id]};"
            " give each statement its own id",
        )
    elif statement_id:
        first_file[statement_id] = summary.file


def _relation_problems(
    summary: Summary, relation: Relation, first_file: dict[str, PurePosixPath]
) -> Iterator[Problem]:
    target = relation.target
    message = None
    if target == summary.id:
        message = "a statement cannot be related to itself"
    elif target not in first_file:
        hint = did_you_mean(target, first_file)
        hint = hint or "; give the id of a statement in the archive"
        message = f"related statement '{target}' does not exist{hint}"
    if message:
        yield summary.problem(("related", relation.index, "id"), message)
