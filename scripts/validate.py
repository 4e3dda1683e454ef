"""Validate stage: pure checks that yield every problem with its place; never raises on bad data.

Inner checks speak of fields only and yield `Finding`s (a path into the data and a message); the
driver `validate_archive` adds the file and the line:column once, at the outer layer.
The structural rules live in the JSON Schema files beside this module (the same schema readers
download and editors use); the rules a schema cannot express are written out below.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
from referencing import Registry, Resource

from scripts.load import STATEMENTS_DIR, DataPath, Loaded, Place, iso_country_other_names
from scripts.model import PartialDate
from scripts.new import PLACEHOLDER, PLACEHOLDER_SLUG
from scripts.text import quote_in

SCHEMA_DIR = Path(__file__).parent
VOCABULARY_FILES = {
    "countries": "data/countries.yml",
    "forums": "data/forums.yml",
    "topics": "data/topics.yml",
    "kinds": "data/kinds.yml",
}
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
_MARKDOWN_LINK_TARGET = re.compile(
    r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)|^\s*\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.M
)
"""The target of an inline link `[text](target)` (one level of parentheses inside it, as Markdown
allows) or of a reference definition `[name]: target`."""
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
"""The form of a date; whether it is a real one is checked apart."""
_SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.I)
MARKDOWN_FIELDS = {"summary", "note", "description", "date_note"}
"""Fields rendered as Markdown; every other text field is shown as plain text."""


@dataclass(frozen=True)
class Finding:
    """A problem inside one document, before it is given its file and line."""

    path: DataPath
    message: str
    at_key: bool = False
    """Point at the key rather than its value (unknown and duplicate keys)."""


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

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"

    @classmethod
    def at(cls, file: object, place: Place, message: str) -> Problem:
        """A problem whose file name and message are each kept to one line."""
        return cls(one_line(str(file)), place.line, place.col, one_line(message))


def label(path: DataPath) -> str:
    """A data path as a reader writes it: sections[2].annotations[0].quote"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def closest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str | None:
    """The choice `value` nearly spells, or whose name (display name, short name or alias, as
    `names` maps them to choices) it nearly spells; None if nothing is close."""
    choices = list(choices)
    by_fold = {c.casefold(): c for c in choices}
    by_name = {name.casefold(): key for name, key in (names or {}).items()}
    match = by_fold.get(value.casefold()) or by_name.get(value.casefold())
    if not match:
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
        close = close or difflib.get_close_matches(value.casefold(), list(by_name), n=1, cutoff=0.8)
        match = (by_name.get(close[0]) or close[0]) if close else None
    return match


def did_you_mean(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    """' (did you mean 'x'?)' for a near miss (see `closest`), else ''."""
    match = closest(value, choices, names)
    return f" (did you mean '{match}'?)" if match else ""


# --- the schema ------------------------------------------------------------------------------


@cache
def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return loaded


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """`pattern` as JSON Schema means it (ECMA-262, as editors apply it): `$` is the end of the
    text. Python's `re.search` also lets `$` match before a final line break, so `id: |` with
    a block scalar would slip "abc\\n" through as a slug."""
    if isinstance(instance, str) and not re.search(_python_pattern(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _python_pattern(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


_Validator: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
)
"""Draft 2020-12, with `pattern` read as JSON Schema means it."""


@cache
def _validator(definition: str | None) -> jsonschema.protocols.Validator:
    """The statement schema, or one vocabulary's definition (`countries`, `forums` …)."""
    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(_schema(name)))
        for name in ("statement.schema.json", "vocabularies.schema.json")
    )
    schema: dict[str, Any] = (
        _schema("statement.schema.json")
        if definition is None
        else {"$ref": f"vocabularies.schema.json#/$defs/{definition}"}
    )
    validator: jsonschema.protocols.Validator = _Validator(schema, registry=registry)
    return validator


_TYPE_WORDS = {"array": "a list", "object": "a mapping (key: value)", "string": "text"}


def _kind_of(value: Any) -> str:
    return (
        "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "text"
    )


def schema_findings(data: Any, definition: str | None = None) -> Iterator[Finding]:
    """The schema's complaints, each turned into a message that says what would be right.
    A missing field is not reported when an unknown key beside it is its near miss
    (`titel:` is one problem, not two)."""
    errors = list(_validator(definition).iter_errors(data))
    misspelt: set[tuple[DataPath, str]] = set()
    for error in errors:
        # jsonschema types these as "maybe unset"; an error from iter_errors always has them.
        rule: Any = error.validator
        rule_schema: Any = error.schema
        value: Any = error.instance
        if rule == "additionalProperties":
            allowed = list(rule_schema.get("properties", {}))
            for key in value:
                if key not in allowed and (match := closest(key, allowed)):
                    misspelt.add((tuple(error.absolute_path), match))
    for error in errors:
        yield from _schema_finding(error, misspelt)


def _schema_finding(
    error: jsonschema.ValidationError, misspelt: set[tuple[DataPath, str]]
) -> Iterator[Finding]:
    # jsonschema types these as "maybe unset"; an error from iter_errors always has them.
    rule: Any = error.validator
    expected: Any = error.validator_value
    rule_schema: Any = error.schema
    value: Any = error.instance
    path = tuple(error.absolute_path)
    field = label(path)
    quoted = f"'{field}'" if path else "the file"
    if rule == "required":
        for name in expected:
            if name not in value and (path, name) not in misspelt:
                where = f"{field}: " if path else ""
                yield Finding(path, f"{where}missing required field '{name}'")
    elif rule == "additionalProperties":
        allowed = list(rule_schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"; allowed here: {', '.join(allowed)}"
                yield Finding((*path, key), f"unknown key '{key}'{hint}", at_key=True)
    elif rule == "type":
        wanted = _TYPE_WORDS.get(str(expected), str(expected))
        yield Finding(path, f"{quoted} must be {wanted}, not {_kind_of(value)}")
    elif rule == "minLength":
        yield Finding(path, f"{quoted} is empty")
    elif rule == "maxLength":
        yield Finding(
            path, f"{quoted} is {len(value):,} characters long; the limit is {expected:,}"
        )
    elif rule == "pattern":
        hint = rule_schema.get("x-hint", f"text matching {expected}")
        shown = value if len(value) <= 60 else value[:57] + "..."
        if hint == "one line of text":
            yield Finding(path, f"{quoted} must be one line of text")
        else:
            yield Finding(path, f"{quoted} must be {hint}, not '{shown}'")
    elif rule == "enum":
        choices = list(expected)
        hint = did_you_mean(str(value), choices)
        name = next((p for p in reversed(path) if isinstance(p, str)), "value")
        yield Finding(
            path, f"unknown {name} '{value}'{hint}; expected one of: {', '.join(choices)}"
        )
    elif rule == "minItems":
        yield Finding(path, f"{quoted} needs at least one entry")
    elif rule == "uniqueItems":
        seen: set[str] = set()
        for index, item in enumerate(value):
            if isinstance(item, str) and item in seen:
                yield Finding((*path, index), f"{quoted} lists '{item}' twice")
            if isinstance(item, str):
                seen.add(item)
    else:  # a rule added to the schema without a message of its own
        yield Finding(path, f"{quoted}: {error.message}")


# --- checks a schema cannot express ----------------------------------------------------------


def _strings(value: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))


def text_findings(data: Any) -> Iterator[Finding]:
    """Raw HTML in any text field; unsafe link targets in Markdown fields; URLs are http(s)."""
    for path, text in _strings(data):
        tag = _RAW_HTML.search(text)
        if tag:
            snippet = text[tag.start() : tag.start() + 12].split(">")[0]
            yield Finding(
                path,
                f"raw HTML is not allowed in '{label(path)}': '{snippet}'; write plain text"
                " (summaries and notes may use Markdown: **bold**, [text](https://…))",
            )
        if path and path[-1] in MARKDOWN_FIELDS:
            for match in _MARKDOWN_LINK_TARGET.finditer(text):
                target = match.group(1) or match.group(2) or ""
                if target and not _SAFE_LINK.match(target):
                    yield Finding(
                        path,
                        f"link target '{target[:60]}' in '{label(path)}' is not allowed;"
                        " links must start with http://, https://, mailto: or #",
                    )


def _date_findings(value: Any, path: DataPath) -> Iterator[Finding]:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            PartialDate.parse(value)
        except ValueError:
            yield Finding(path, f"'{label(path)}' is not a real date: '{value}'")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, item in enumerate(_list(value)):
        if isinstance(item, dict):
            yield index, item


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Vocabulary:
    """What tags may name, as far as the vocabulary files could be read. Each table is keyed by
    vocabulary: countries, forums, topics, kinds."""

    ids: dict[str, frozenset[str]]
    """The ids a value may take."""
    names: dict[str, dict[str, str]]
    """Other ways to write an id (display name, short name, alias) → the id, for did-you-mean."""
    unreadable: frozenset[str] = frozenset()
    """Vocabularies whose file could not be read: its problem is reported, and values are not
    checked against it (or every statement would be reported as well)."""


_WHAT = {"countries": "country", "forums": "forum", "topics": "topic", "kinds": "kind"}


def _well_formed(vocabulary: str, value: str) -> bool:
    """Whether `value` has the form of an id of `vocabulary` (a code or a slug)."""
    definition = "country" if vocabulary == "countries" else "slug"
    pattern: str = _schema("statement.schema.json")["$defs"][definition]["pattern"]
    return re.search(_python_pattern(pattern), value) is not None


def _membership(value: Any, path: DataPath, vocabulary: Vocabulary, name: str) -> Iterator[Finding]:
    """A value that is not an id of vocabulary `name`. A near miss is named; a value with no near
    miss and the wrong form is left to the schema's message, which says what the form is."""
    if not isinstance(value, str) or name in vocabulary.unreadable:
        return
    known = vocabulary.ids.get(name, frozenset())
    if value in known:
        return
    what = _WHAT[name]
    hint = did_you_mean(value, sorted(known), vocabulary.names.get(name))
    if hint:
        yield Finding(path, f"unknown {what} '{value}'{hint}")
    elif _well_formed(name, value):
        yield Finding(
            path, f"unknown {what} '{value}'; add it to {VOCABULARY_FILES[name]} if it is new"
        )


def _tags(node: dict[str, Any], path: DataPath, vocabulary: Vocabulary) -> Iterator[Finding]:
    for field in ("countries", "forums", "topics"):
        for index, value in enumerate(_list(node.get(field))):
            yield from _membership(value, (*path, field, index), vocabulary, field)


def placeholder_findings(data: Any) -> Iterator[Finding]:
    """Values `make new` left to be filled in."""
    for path, text in _strings(data):
        if PLACEHOLDER in text or PLACEHOLDER_SLUG in text:
            yield Finding(path, f"'{label(path)}' is still to fill in")


def statement_findings(data: Any, file: PurePosixPath, vocabulary: Vocabulary) -> Iterator[Finding]:
    """Every problem in one statement file's data; `file` is its path from the repository root
    (data/statements/2026/<id>.yml). A value still to fill in is reported as that alone, not also
    as whatever else it breaks; a value outside a vocabulary is reported once, as unknown."""
    unfilled = list(placeholder_findings(data))
    yield from unfilled
    skip = {f.path for f in unfilled}
    unknown = [f for f in _vocabulary_rules(data, vocabulary) if f.path not in skip]
    yield from unknown
    skip |= {f.path for f in unknown}
    for finding in _statement_rules(data, file):
        if finding.path not in skip:
            yield finding


def _vocabulary_rules(data: Any, vocabulary: Vocabulary) -> Iterator[Finding]:
    if not isinstance(data, dict):
        return
    yield from _membership(data.get("kind"), ("kind",), vocabulary, "kinds")
    yield from _membership(data.get("issuing_forum"), ("issuing_forum",), vocabulary, "forums")
    for index, value in enumerate(_list(data.get("parties"))):
        yield from _membership(value, ("parties", index), vocabulary, "countries")
    for index, signatory in _dicts(data.get("signatories")):
        path = ("signatories", index, "country")
        yield from _membership(signatory.get("country"), path, vocabulary, "countries")
    yield from _tags(data, (), vocabulary)
    for index, section in _dicts(data.get("sections")):
        yield from _tags(section, ("sections", index), vocabulary)


def _folder(date: str | None) -> str | None:
    """The folder under data/statements/ a statement with this date belongs in (None: the date
    itself is wrong, and reported as such)."""
    if date is None:
        return "undated"
    return date[:4] if _DATE.fullmatch(date) else None


def _statement_rules(data: Any, file: PurePosixPath) -> Iterator[Finding]:
    yield from schema_findings(data)
    yield from text_findings(data)
    if not isinstance(data, dict):
        return
    statement_id = _str(data.get("id"))
    if statement_id is not None and statement_id != file.stem:
        yield Finding(
            ("id",),
            f"id '{statement_id}' must equal the file name; rename the file to "
            f"'{statement_id}.yml' or set id: {file.stem}",
        )
    date = data.get("date")
    folder = _folder(date) if date is None or isinstance(date, str) else None
    if folder and file.parent != PurePosixPath(STATEMENTS_DIR, folder):
        yield Finding(
            ("date",) if date else (),
            f"a statement {'dated ' + date if date else 'without a date'} belongs in "
            f"{STATEMENTS_DIR}/{folder}/, not {file.parent}/",
        )
    yield from _date_findings(data.get("date"), ("date",))
    if "date" not in data and "date_note" not in data:
        yield Finding((), "no 'date': give the date, or a 'date_note' that says why it is unknown")
    if not data.get("parties") and "issuing_forum" not in data:
        yield Finding((), "give 'parties' (the issuing states) or 'issuing_forum'")

    source_ids: list[str] = []
    for index, source in _dicts(data.get("sources")):
        source_id = _str(source.get("id"))
        if source_id in source_ids:
            yield Finding(("sources", index, "id"), f"source id '{source_id}' is used twice")
        if source_id:
            source_ids.append(source_id)
        yield from _date_findings(source.get("published"), ("sources", index, "published"))

    section_ids: list[str] = []
    for index, section in _dicts(data.get("sections")):
        path: DataPath = ("sections", index)
        section_id = _str(section.get("id"))
        if section_id in section_ids:
            yield Finding((*path, "id"), f"section id '{section_id}' is used twice")
        if section_id:
            section_ids.append(section_id)
        excerpts = list(_dicts(section.get("excerpts")))
        if not excerpts and "summary" not in section:
            name = section_id or label(path)
            yield Finding(path, f"section '{name}' needs excerpts or a summary")
        for e_index, excerpt in excerpts:
            source_ref = excerpt.get("source")
            if isinstance(source_ref, str) and source_ref not in source_ids:
                hint = did_you_mean(source_ref, source_ids) or (
                    f"; sources here: {', '.join(source_ids)}" if source_ids else ""
                )
                yield Finding(
                    (*path, "excerpts", e_index, "source"), f"unknown source '{source_ref}'{hint}"
                )
        texts = [t for _, e in excerpts if (t := _str(e.get("text")))]
        for a_index, annotation in _dicts(section.get("annotations")):
            quote = _str(annotation.get("quote"))
            if quote and not quote_in(quote, texts):
                yield Finding(
                    (*path, "annotations", a_index, "quote"),
                    f"annotation quote not found in any excerpt of section '{section_id}'",
                )


def vocabulary_findings(name: str, data: Any, vocabulary: Vocabulary) -> Iterator[Finding]:
    """Problems in one vocabulary file: schema, duplicate ids, references between entries."""
    unknown = list(_vocabulary_references(name, data, vocabulary))
    yield from unknown
    skip = {f.path for f in unknown}
    for finding in (*schema_findings(data, name), *text_findings(data)):
        if finding.path not in skip:
            yield finding
    entries = list(_dicts(data))
    ids: set[str] = set()
    for index, entry in entries:
        entry_id = _str(entry.get("id"))
        if entry_id in ids:
            yield Finding(
                (index, "id"), f"{_WHAT[name]} '{entry_id}' is listed twice; keep one entry"
            )
        if entry_id:
            ids.add(entry_id)
    if name == "topics":
        yield from _topic_tree_findings(entries)


def _vocabulary_references(name: str, data: Any, vocabulary: Vocabulary) -> Iterator[Finding]:
    if name == "forums":
        for index, entry in _dicts(data):
            for m_index, member in enumerate(_list(entry.get("members"))):
                path = (index, "members", m_index)
                yield from _membership(member, path, vocabulary, "countries")


def _topic_tree_findings(entries: list[tuple[int, dict[str, Any]]]) -> Iterator[Finding]:
    """Every `parent` names a topic, and following parents never comes back to where it began."""
    parents = {e["id"]: e.get("parent") for _, e in entries if _str(e.get("id"))}
    for index, entry in entries:
        parent = entry.get("parent")
        if isinstance(parent, str) and parent not in parents:
            yield Finding(
                (index, "parent"), f"unknown topic '{parent}'{did_you_mean(parent, parents)}"
            )
        start = _str(entry.get("id"))
        if start is None:
            continue
        chain, step = [start], parents.get(start)
        while isinstance(step, str) and step in parents and step not in chain:
            chain.append(step)
            step = parents[step]
        if step == start:
            yield Finding(
                (index, "parent"),
                f"topic '{start}' is its own ancestor ({' → '.join([*chain, start])});"
                " the parents must form a tree",
            )


# --- the driver ------------------------------------------------------------------------------


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
        yield Problem.at(name, where, finding.message)


def build_vocabulary(data: dict[str, Any], iso_names: dict[str, str]) -> Vocabulary:
    """The ids and other names of each vocabulary, from the files' data (None: unreadable).
    Countries are every ISO 3166-1 code plus data/countries.yml; a country may also be written
    as its alpha-3 code or any of its ISO names, for did-you-mean."""
    ids: dict[str, frozenset[str]] = {}
    names: dict[str, dict[str, str]] = {}
    for name in VOCABULARY_FILES:
        entries = [e for _, e in _dicts(data.get(name)) if _str(e.get("id"))]
        ids[name] = frozenset(e["id"] for e in entries)
        names[name] = {
            other: e["id"]
            for e in entries
            for other in [e.get("name"), e.get("short"), *_list(e.get("aliases"))]
            if isinstance(other, str)
        }
    ids["countries"] |= frozenset(iso_names)
    names["countries"] = (
        _iso_other_names() | {name: code for code, name in iso_names.items()} | names["countries"]
    )
    unreadable = frozenset(n for n in VOCABULARY_FILES if not isinstance(data.get(n), list))
    return Vocabulary(ids=ids, names=names, unreadable=unreadable)


@cache
def _iso_other_names() -> dict[str, str]:
    return iso_country_other_names()


def validate_vocabularies(
    files: dict[str, Loaded], iso_names: dict[str, str]
) -> tuple[list[Problem], Vocabulary]:
    """Problems in the vocabulary files, and the vocabulary as far as it could be read."""
    data = {name: _data(loaded) for name, loaded in files.items()}
    vocabulary = build_vocabulary(data, iso_names)
    problems: list[Problem] = []
    for name, loaded in files.items():
        problems.extend(_problems(loaded, vocabulary_findings(name, data[name], vocabulary)))
    return problems, vocabulary


def _data(loaded: Loaded | None) -> Any:
    return loaded.document.data if loaded and loaded.document else None


def validate_archive(
    statements: list[Loaded], vocabularies: dict[str, Loaded], iso_names: dict[str, str]
) -> list[Problem]:
    """Every problem in the archive, sorted by file and line."""
    problems, vocabulary = validate_vocabularies(vocabularies, iso_names)
    first_file: dict[str, PurePosixPath] = {}
    related: list[tuple[Loaded, int, str]] = []
    for loaded in statements:
        if loaded.file.suffix != ".yml" and not loaded.error:
            hint = "; use the .yml extension" if loaded.file.suffix == ".yaml" else ""
            problems.append(
                Problem.at(
                    loaded.file,
                    Place(1, 1),
                    f"not a statement file: statements are <id>.yml files{hint}",
                )
            )
            continue
        data = _data(loaded)
        findings = (
            list(statement_findings(data, loaded.file, vocabulary)) if loaded.document else []
        )
        if isinstance(data, dict):
            statement_id = _str(data.get("id"))
            if statement_id in first_file:
                findings.append(
                    Finding(
                        ("id",),
                        f"id '{statement_id}' is already used by {first_file[statement_id]};"
                        " give each statement its own id",
                    )
                )
            elif statement_id:
                first_file[statement_id] = loaded.file
            for index, relation in _dicts(data.get("related")):
                if isinstance(relation.get("id"), str):
                    related.append((loaded, index, relation["id"]))
        problems.extend(_problems(loaded, findings))
    for loaded, index, target in related:
        own_id = loaded.document.data.get("id") if loaded.document else None
        message = None
        if target == own_id:
            message = "a statement cannot be related to itself"
        elif target not in first_file:
            hint = did_you_mean(target, first_file)
            hint = hint or "; give the id of a statement in the archive"
            message = f"related statement '{target}' does not exist{hint}"
        if message:
            problems.extend(_problems(loaded, [Finding(("related", index, "id"), message)]))
    return sorted(set(problems))
