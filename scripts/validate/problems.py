"""Problems and their messages: a `Finding` is a problem inside one document, at a path into its
data; the driver turns it into a `Problem` at a file, line and column, once, at the outer layer."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from scripts.load import DataPath, Place


@dataclass(frozen=True)
class Finding:
    """A problem inside one document, before it is given its file and line."""

    path: DataPath
    message: str
    at_key: bool = False
    """Point at the key rather than its value (unknown and duplicate keys)."""
    structural: bool = False
    """A breach of the JSON Schema, or a clearer message that stands in for one at the same
    place (see `Problem.structural`)."""
    too_many: bool = False
    """A list over its maximum: what is inside it is not reported entry by entry."""


def inside(path: DataPath, lists: set[DataPath]) -> bool:
    """Whether `path` lies inside (not at) one of `lists`."""
    return any(len(path) > len(at) and path[: len(at)] == at for at in lists)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """Line breaks and other control characters written as escapes (`\\n`), so that a problem
    stays on its one line whatever the data holds."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """A problem at a place in a file: what `make check` prints, one per line."""

    file: str
    line: int
    col: int
    message: str
    structural: bool = dataclasses.field(default=False, compare=False)
    """Whether the JSON Schema (scripts/statement.schema.json, as editors apply it) rejects the
    file for this too: a rule of the schema (fields, required fields, types, the form of values,
    the short fixed lists), however the message puts it. False for the rules only the validator
    applies: YAML strictness, duplicate keys, real dates, vocabularies, references, file name and
    folder, unique ids, the either-or fields, verbatim quotes, raw HTML, placeholders in otherwise
    well-formed values. tests/test_schema.py holds the two to that."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"

    @classmethod
    def at(cls, file: object, place: Place, message: str, *, structural: bool = False) -> Problem:
        """A problem whose file name and message are each kept to one line."""
        return cls(one_line(str(file)), place.line, place.col, one_line(message), structural)


def label(path: DataPath) -> str:
    """A data path as a reader writes it: sections[2].annotations[0].quote"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def standing_in(finding: Finding, breached: set[DataPath]) -> Finding:
    """`finding`, marked structural if it is reported instead of a schema breach at its place."""
    return dataclasses.replace(finding, structural=True) if finding.path in breached else finding


def _workflow_escape(text: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping (actions/toolkit `escapeData` / `escapeProperty`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def report(problems: list[Problem], github: bool) -> str:
    """All problems, one per line, compiler-style, then a count (and, in GitHub Actions, each as
    a workflow command, so that it shows on the pull request's diff)."""
    lines = [str(p) for p in problems]
    if github:
        lines += [
            f"::error file={_workflow_escape(p.file, property_value=True)},line={p.line},"
            f"col={p.col}::{_workflow_escape(p.message)}"
            for p in problems
        ]
    files = len({p.file for p in problems})
    lines.append(
        f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''}"
    )
    return "\n".join(lines)
