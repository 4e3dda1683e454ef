"""Rules across statement files, and against the calendar: the rounds of a series, the relations
between two statements, dates that have not come yet. Each problem names both places when two
files are involved, so either can be the one to fix. They read each file's summary
(scripts/validate/summary.py), never its YAML: a file `make check` kept needs no reading."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scripts.load import DataPath
from scripts.model import PartialDate
from scripts.site import is_date_form
from scripts.validate.problems import Problem
from scripts.validate.summary import Summary

ORDERED_RELATIONS = {"follows": "follow", "supersedes": "supersede", "responds-to": "respond to"}
"""Relations that point back in time: a statement follows an earlier one."""


@dataclass(frozen=True)
class _Statement:
    summary: Summary
    id: str

    def where(self, path: DataPath) -> str:
        """The place of a value, as a problem line starts: data/…/x.yml:7:8"""
        place = self.summary.place(path)
        return f"{self.summary.file}:{place.line}:{place.col}"

    def problem(self, path: DataPath, message: str) -> Problem:
        return self.summary.problem(path, message)

    @property
    def date(self) -> PartialDate | None:
        return _date(self.summary.date)


def _date(value: Any) -> PartialDate | None:
    if not isinstance(value, str) or not is_date_form(value):
        return None
    try:
        return PartialDate.parse(value)
    except ValueError:  # reported as not a real date
        return None


def _first_day(date: PartialDate) -> dt.date:
    return dt.date(date.year, date.month or 1, date.day or 1)


def _last_day(date: PartialDate) -> dt.date:
    if date.day:
        return dt.date(date.year, date.month, date.day)
    if date.month:
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(date.year, 12, 31)


def surely_before(one: PartialDate, other: PartialDate) -> bool:
    """Whether every day `one` may mean comes before every day `other` may mean."""
    return _last_day(one) < _first_day(other)


def across_files(statements: list[Summary], today: dt.date) -> Iterator[Problem]:
    """Every problem between statement files, and of dates after `today`, from their summaries."""
    records = [
        _Statement(summary, summary.id) for summary in statements if summary.mapping and summary.id
    ]
    for record in records:
        yield from _future_dates(record, today)
    yield from _rounds(records)
    yield from _relations(records)


def _future_dates(record: _Statement, today: dt.date) -> Iterator[Problem]:
    summary = record.summary
    dates: list[tuple[DataPath, str | None, str]] = [(("date",), summary.date, "the statement")]
    dates += [
        (("sources", index, "published"), published, "the source")
        for index, published in summary.published
    ]
    for path, value, what in dates:
        date = _date(value)
        if date is not None and _first_day(date) > today:
            yield record.problem(
                path,
                f"{date.iso} is after today ({today.isoformat()}); {what} cannot be dated in"
                " the future: give the date it was issued",
            )


def _rounds(records: list[_Statement]) -> Iterator[Problem]:
    """A round given to two statements of one series; rounds whose dates go backwards."""
    by_series: dict[str, list[tuple[int, _Statement]]] = defaultdict(list)
    for record in records:
        series, ordinal = record.summary.series, record.summary.round
        if series and ordinal and ordinal.isdigit():
            by_series[series].append((int(ordinal), record))
    for series, members in sorted(by_series.items()):
        members.sort(key=lambda m: (m[0], str(m[1].summary.file)))
        for (number, one), (other_number, other) in itertools.pairwise(members):
            if number == other_number:
                for here, there in ((one, other), (other, one)):
                    yield here.problem(
                        ("round",),
                        f"round {number} of series '{series}' is also given to"
                        f" '{there.id}' ({there.where(('round',))}); each round is one meeting",
                    )
        dated = [(n, r, r.date) for n, r in members if r.date is not None]
        for (number, one, date), (later, newer, later_date) in itertools.pairwise(dated):
            assert date is not None and later_date is not None
            if later != number and surely_before(later_date, date):
                yield newer.problem(
                    ("round",),
                    f"round {later} is dated {later_date.iso}, before round {number}"
                    f" ('{one.id}', {date.iso}); rounds are numbered in the order they met",
                )


def _relations(records: list[_Statement]) -> Iterator[Problem]:
    """A pair of statements related twice (in either file); a statement that follows,
    supersedes or responds to a later one."""
    by_id = {record.id: record for record in records}
    pairs: dict[frozenset[str], list[tuple[_Statement, int]]] = defaultdict(list)
    for record in records:
        for relation in record.summary.related:
            target, index, kind = relation.target, relation.index, relation.kind
            if not target or target == record.id:
                continue
            pairs[frozenset((record.id, target))].append((record, index))
            other = by_id.get(target)
            if kind in ORDERED_RELATIONS and other is not None:
                yield from _backwards(record, index, kind, other)
    for pair, places in pairs.items():
        if len(places) < 2:
            continue
        first, second = sorted(pair)
        for here, index in places:
            elsewhere = [
                there.where(("related", i, "id"))
                for there, i in places
                if (there, i) != (here, index)
            ]
            yield here.problem(
                ("related", index, "id"),
                f"'{first}' and '{second}' are related more than once (also at"
                f" {', '.join(elsewhere)}); keep one relation between them",
            )


def _backwards(record: _Statement, index: int, kind: str, other: _Statement) -> Iterator[Problem]:
    own, theirs = record.date, other.date
    if own is not None and theirs is not None and surely_before(own, theirs):
        yield record.problem(
            ("related", index, "id"),
            f"a statement can only {ORDERED_RELATIONS[kind]} an earlier one: '{other.id}' is"
            f" dated {theirs.iso}, after this statement ({own.iso})",
        )
