"""Vocabulary rules: what the vocabulary files (data/countries.yml, forums, topics, kinds, series,
actors) hold, and whether the ids a statement uses are in them, with did-you-mean across all."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from scripts.load import DataPath, iso_country_other_names
from scripts.site import VOCABULARY_NAMES, vocabulary_file
from scripts.validate.problems import Finding, standing_in
from scripts.validate.rules import as_list, as_text, mappings, text_findings
from scripts.validate.schema import schema_findings, statement_pattern
from scripts.validate.suggest import did_you_mean, same_but_case


@dataclass(frozen=True)
class KnownIds:
    """What tags may name, as far as the vocabulary files could be read. Each table is keyed by
    vocabulary: countries, forums, topics, kinds."""

    ids: dict[str, frozenset[str]]
    """The ids a value may take."""
    names: dict[str, dict[str, str]]
    """Other ways to write an id (display name, short name, alias) → the id, for did-you-mean."""
    unreadable: frozenset[str] = frozenset()
    """Vocabularies whose file could not be read: its problem is reported, and values are not
    checked against it (or every statement would be reported as well)."""

    def fingerprint(self) -> bytes:
        """All of the above as bytes, the same exactly when a statement would be checked the
        same against either: what a kept check depends on of the vocabulary files. The other
        names keep their order (of two near misses alike, the first is suggested)."""
        return json.dumps(
            [
                {name: sorted(ids) for name, ids in self.ids.items()},
                {name: list(others.items()) for name, others in self.names.items()},
                sorted(self.unreadable),
            ],
            ensure_ascii=False,
        ).encode()


_WHAT = {
    "countries": "country",
    "forums": "forum",
    "topics": "topic",
    "kinds": "kind",
    "series": "series",
    "actors": "actor",
}


def _well_formed(vocabulary: str, value: str) -> bool:
    """Whether `value` has the form of an id of `vocabulary` (a code or a slug)."""
    definition = "country" if vocabulary == "countries" else "slug"
    return re.search(statement_pattern(definition), value) is not None


def _membership(value: Any, path: DataPath, allowed: KnownIds, name: str) -> Iterator[Finding]:
    """A value that is not an id of vocabulary `name`. A near miss is named; a value with no near
    miss and the wrong form is left to the schema's message, which says what the form is."""
    if not isinstance(value, str) or name in allowed.unreadable:
        return
    known = allowed.ids.get(name, frozenset())
    if value in known:
        return
    what = _WHAT[name]
    names = allowed.names.get(name)
    if match := same_but_case(value, known, names):
        yield Finding(path, f"unknown {what} '{value}' (did you mean '{match}'?)")
    elif other := _other_vocabulary(value, name, allowed):
        yield Finding(path, _misplaced(value, path, name, *other))
    elif hint := did_you_mean(value, sorted(known), names):
        yield Finding(path, f"unknown {what} '{value}'{hint}")
    elif _well_formed(name, value):
        listed = f"; known {name}: {', '.join(sorted(known))}" if len(known) <= SHORT_LIST else ""
        advice = f"add it to {vocabulary_file(name)} if it is new"
        if not known:
            listed, advice = "", f"{vocabulary_file(name)} lists none yet: add it there"
        yield Finding(path, f"unknown {what} '{value}'{listed}; {advice}")


SHORT_LIST = 8
"""A vocabulary this small is listed in full when a value is not in it."""

_A = {
    "countries": "a country",
    "forums": "a forum",
    "topics": "a topic",
    "kinds": "a kind",
    "series": "a series",
    "actors": "an actor (data/actors.yml)",
}


def _other_vocabulary(value: str, name: str, known: KnownIds) -> tuple[str, str] | None:
    """The vocabulary other than `name` that has `value` as an id (or, but for case, as an id or
    a name), and that id: 'sco' given as a topic is the forum 'sco'."""
    others = [n for n in VOCABULARY_NAMES if n != name and n not in known.unreadable]
    for other in others:
        if value in known.ids.get(other, ()):
            return other, value
    for other in others:
        match = same_but_case(value, known.ids.get(other, ()), known.names.get(other))
        if match:
            return other, match
    return None


def _misplaced(value: str, path: DataPath, name: str, other: str, match: str) -> str:
    """What to say of `value`, an id of vocabulary `other`, given where `name` was expected."""
    which = _A[other] if match == value else f"the {_WHAT[other]} '{match}'"
    if other == "kinds":
        which = "a kind of statement" if match == value else f"the kind of statement '{match}'"
    message = f"'{value}' is {which}, not {_A[name]}"
    if len(path) >= 2 and path[-2] in _TAG_LISTS and other in _TAG_LISTS:
        return f"{message}; list it under '{other}'"
    if path[:1] == ("parties",) and other == "forums":
        return f"{message}; for a statement a forum issued, write 'issuing_forum: {match}'"
    if path == ("issuing_forum",) and other == "countries":
        return f"{message}; issuing states go under 'parties'"
    return message


_TAG_LISTS = ("countries", "forums", "topics", "actors")


LONGEST_TAG_LIST = 300
"""At least the schema's longest `maxItems` of a tag list: a longer list is one problem, its
entries are not looked up one by one."""


def _tags(node: dict[str, Any], path: DataPath, known: KnownIds) -> Iterator[Finding]:
    for field in _TAG_LISTS:
        values = as_list(node.get(field))
        for index, value in enumerate(values if len(values) <= LONGEST_TAG_LIST else ()):
            yield from _membership(value, (*path, field, index), known, field)


def tag_findings(data: Any, known: KnownIds) -> Iterator[Finding]:
    if not isinstance(data, dict):
        return
    yield from _membership(data.get("kind"), ("kind",), known, "kinds")
    yield from _membership(data.get("issuing_forum"), ("issuing_forum",), known, "forums")
    for index, value in enumerate(as_list(data.get("parties"))):
        yield from _membership(value, ("parties", index), known, "countries")
    for index, signatory in mappings(data.get("signatories")):
        path = ("signatories", index, "country")
        yield from _membership(signatory.get("country"), path, known, "countries")
    yield from _membership(data.get("series"), ("series",), known, "series")
    for index, participant in mappings(data.get("participants")):
        for field, name in PARTICIPANT_FIELDS.items():
            value = participant.get(field)
            yield from _membership(value, ("participants", index, field), known, name)
    yield from _tags(data, (), known)
    for index, section in mappings(data.get("sections")):
        yield from _tags(section, ("sections", index), known)
        for e_index, excerpt in mappings(section.get("excerpts")):
            yield from _tags(excerpt, ("sections", index, "excerpts", e_index), known)


PARTICIPANT_FIELDS = {"country": "countries", "forum": "forums", "actor": "actors"}
"""A participant's field and the vocabulary it names."""


def vocabulary_findings(name: str, data: Any, known: KnownIds) -> Iterator[Finding]:
    """Problems in one vocabulary file: schema, duplicate ids, references between entries."""
    rules = [*schema_findings(data, name), *text_findings(data)]
    breached = {f.path for f in rules if f.structural}
    unknown = [standing_in(f, breached) for f in _vocabulary_references(name, data, known)]
    yield from unknown
    skip = {f.path for f in unknown}
    for finding in rules:
        if finding.path not in skip:
            yield finding
    entries = list(mappings(data))
    ids: set[str] = set()
    for index, entry in entries:
        entry_id = as_text(entry.get("id"))
        if entry_id in ids:
            yield Finding(
                (index, "id"), f"{_WHAT[name]} '{entry_id}' is listed twice; keep one entry"
            )
        if entry_id:
            ids.add(entry_id)
    if name == "topics":
        yield from _topic_tree_findings(entries)


def _vocabulary_references(name: str, data: Any, known: KnownIds) -> Iterator[Finding]:
    if name == "series":
        for index, entry in mappings(data):
            yield from _membership(entry.get("forum"), (index, "forum"), known, "forums")
    if name == "forums":
        for index, entry in mappings(data):
            for m_index, member in enumerate(as_list(entry.get("members"))):
                path = (index, "members", m_index)
                yield from _membership(member, path, known, "countries")


MAX_TOPIC_DEPTH = 10
"""Most levels of the topic tree, its roots included: real trees are two to four deep, and each
level is walked by the pages that show the tree."""


def _topic_tree_findings(entries: list[tuple[int, dict[str, Any]]]) -> Iterator[Finding]:
    """Every `parent` names a topic, following parents never comes back to where it began, and
    the tree is at most MAX_TOPIC_DEPTH deep. The tree is walked once, however deep it is."""
    parents = {e["id"]: e.get("parent") for _, e in entries if as_text(e.get("id"))}
    depths, cycles = _topic_depths(parents)
    for index, entry in entries:
        parent = entry.get("parent")
        if isinstance(parent, str) and parent not in parents:
            yield Finding(
                (index, "parent"), f"unknown topic '{parent}'{did_you_mean(parent, parents)}"
            )
        start = as_text(entry.get("id"))
        if start is None:
            continue
        if start in cycles:
            yield Finding(
                (index, "parent"),
                f"topic '{start}' is its own ancestor ({' → '.join([*cycles[start], start])});"
                " the parents must form a tree",
            )
        elif depths.get(start) == MAX_TOPIC_DEPTH + 1:
            yield Finding(
                (index, "parent"),
                f"topic '{start}' is {MAX_TOPIC_DEPTH + 1} levels deep; the topic tree may be at"
                f" most {MAX_TOPIC_DEPTH} levels deep",
            )


def _topic_depths(
    parents: dict[str, Any],
) -> tuple[dict[str, int | None], dict[str, list[str]]]:
    """Each topic's level (a root is 1; None on or above a cycle), and each topic on a cycle →
    the cycle, starting from it. Every topic is visited once."""
    depths: dict[str, int | None] = {}
    cycles: dict[str, list[str]] = {}
    for start in parents:
        trail: list[str] = []
        on_trail: dict[str, int] = {}
        node: str = start
        while True:
            if node in depths:
                level = depths[node]
                break
            if node in on_trail:
                cycle = trail[on_trail[node] :]
                for i, member in enumerate(cycle):
                    cycles[member] = cycle[i:] + cycle[:i]
                    depths[member] = None
                trail, level = trail[: on_trail[node]], None
                break
            on_trail[node] = len(trail)
            trail.append(node)
            parent = parents[node]
            if not isinstance(parent, str) or parent not in parents:
                level = 0
                break
            node = parent
        for member in reversed(trail):
            level = None if level is None else level + 1
            depths[member] = level
    return depths, cycles


def known_ids(data: dict[str, Any], iso_names: dict[str, str]) -> KnownIds:
    """The ids and other names of each vocabulary, from the files' data (None: unreadable).
    Countries are every ISO 3166-1 code plus data/countries.yml; a country may also be written
    as its alpha-3 code or any of its ISO names, for did-you-mean."""
    ids: dict[str, frozenset[str]] = {}
    names: dict[str, dict[str, str]] = {}
    for name in VOCABULARY_NAMES:
        entries = [e for _, e in mappings(data.get(name)) if as_text(e.get("id"))]
        ids[name] = frozenset(e["id"] for e in entries)
        names[name] = {
            other: e["id"]
            for e in entries
            for other in [e.get("name"), e.get("short"), *as_list(e.get("aliases"))]
            if isinstance(other, str)
        }
    ids["countries"] |= frozenset(iso_names)
    names["countries"] = (
        _iso_other_names() | {name: code for code, name in iso_names.items()} | names["countries"]
    )
    unreadable = frozenset(n for n in VOCABULARY_NAMES if not isinstance(data.get(n), list))
    return KnownIds(ids=ids, names=names, unreadable=unreadable)


@cache
def _iso_other_names() -> dict[str, str]:
    return iso_country_other_names()
