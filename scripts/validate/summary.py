"""A statement file's check, kept: its own problems, and the little the rules across files need
of it (its id, series and round, dates, relations, and their places). `make check` keeps one per
file in its cache (scripts/cache.py), so that a file that did not change is not read again: the
rules across files run over these summaries, whether just made or kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from scripts.load import DataPath, Loaded, Place
from scripts.validate.problems import Problem
from scripts.validate.rules import as_text, mappings


@dataclass(frozen=True)
class Relation:
    """An entry of `related` whose id is text."""

    index: int
    target: str
    kind: str | None


@dataclass(frozen=True)
class Summary:
    """What the rules across files read of one statement file."""

    file: PurePosixPath
    unreadable: bool = False
    """The file could not be read (its own problem says why)."""
    mapping: bool = False
    """Its data is a mapping: the rules across files apply to it. Nothing below is set else."""
    id: str | None = None
    series: str | None = None
    round: str | None = None
    date: str | None = None
    published: tuple[tuple[int, str], ...] = ()
    """The sources' `published` values that are text, by the source's index."""
    related: tuple[Relation, ...] = ()
    places: dict[DataPath, Place] = field(default_factory=dict, compare=False, hash=False)
    """The place of every value above, as the file's document gives it."""

    def place(self, path: DataPath) -> Place:
        return self.places.get(path, Place(1, 1))

    def problem(self, path: DataPath, message: str) -> Problem:
        return Problem.at(self.file, self.place(path), message)


def summarize(loaded: Loaded) -> Summary:
    document = loaded.document
    data = document.data if document is not None else None
    if document is None or not isinstance(data, dict):
        return Summary(loaded.file, unreadable=loaded.error is not None)
    published = tuple(
        (index, text)
        for index, source in mappings(data.get("sources"))
        if (text := as_text(source.get("published"))) is not None
    )
    related = tuple(
        Relation(index, target, as_text(relation.get("relation")))
        for index, relation in mappings(data.get("related"))
        if (target := as_text(relation.get("id"))) is not None
    )
    paths: list[DataPath] = [("id",), ("round",), ("date",)]
    paths += [("sources", index, "published") for index, _ in published]
    paths += [("related", relation.index, "id") for relation in related]
    return Summary(
        loaded.file,
        mapping=True,
        id=as_text(data.get("id")),
        series=as_text(data.get("series")),
        round=as_text(data.get("round")),
        date=as_text(data.get("date")),
        published=published,
        related=related,
        places={path: document.place(path) for path in paths},
    )


@dataclass(frozen=True)
class Checked:
    """One statement file, checked: the problems it has on its own, and its summary."""

    problems: tuple[Problem, ...]
    summary: Summary


def to_json(checked: Checked) -> Any:
    """`checked` as plain JSON values (what the cache stores)."""
    summary = checked.summary
    return {
        "problems": [[p.file, p.line, p.col, p.message, p.structural] for p in checked.problems],
        "file": str(summary.file),
        "unreadable": summary.unreadable,
        "mapping": summary.mapping,
        "id": summary.id,
        "series": summary.series,
        "round": summary.round,
        "date": summary.date,
        "published": [list(pair) for pair in summary.published],
        "related": [[r.index, r.target, r.kind] for r in summary.related],
        "places": [[list(path), place.line, place.col] for path, place in summary.places.items()],
    }


def from_json(value: Any) -> Checked:
    """What to_json wrote, back; ValueError if it is not that (then the file is checked again)."""
    try:
        problems = tuple(
            Problem(_text(f), _number(line), _number(col), _text(m), _flag(s))
            for f, line, col, m, s in value["problems"]
        )
        summary = Summary(
            PurePosixPath(_text(value["file"])),
            unreadable=_flag(value["unreadable"]),
            mapping=_flag(value["mapping"]),
            id=_optional(value["id"]),
            series=_optional(value["series"]),
            round=_optional(value["round"]),
            date=_optional(value["date"]),
            published=tuple((_number(i), _text(t)) for i, t in value["published"]),
            related=tuple(
                Relation(_number(i), _text(t), _optional(k)) for i, t, k in value["related"]
            ),
            places={
                tuple(_part(p) for p in path): Place(_number(line), _number(col))
                for path, line, col in value["places"]
            },
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not a kept check: {error}") from None
    return Checked(problems, summary)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _part(value: Any) -> str | int:
    return value if isinstance(value, str) else _number(value)
