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

from scripts.load import DataPath, Loaded, Place
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
    r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.M
)
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


@dataclass(frozen=True, order=True)
class Problem:
    """A problem at a place in a file: what `make check` prints, one per line."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


def label(path: DataPath) -> str:
    """A data path as a reader writes it: sections[2].annotations[0].quote"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def did_you_mean(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    """' (did you mean 'x'?)' for a near miss among `choices` or a name of one, else ''."""
    choices = list(choices)
    by_fold = {c.casefold(): c for c in choices}
    by_name = {name.casefold(): key for key, name in (names or {}).items()}
    match = by_fold.get(value.casefold()) or by_name.get(value.casefold())
    if not match:
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
        close = close or difflib.get_close_matches(value.casefold(), list(by_name), n=1, cutoff=0.8)
        match = (by_name.get(close[0]) or close[0]) if close else None
    return f" (did you mean '{match}'?)" if match else ""


# --- the schema ------------------------------------------------------------------------------


@cache
def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return loaded


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
    return jsonschema.Draft202012Validator(schema, registry=registry)


_TYPE_WORDS = {"array": "a list", "object": "a mapping (key: value)", "string": "text"}


def _kind_of(value: Any) -> str:
    return (
        "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "text"
    )


def schema_findings(data: Any, definition: str | None = None) -> Iterator[Finding]:
    """The schema's complaints, each turned into a message that says what would be right."""
    for error in _validator(definition).iter_errors(data):
        # jsonschema types these as "maybe unset"; an error from iter_errors always has them.
        rule: Any = error.validator
        expected: Any = error.validator_value
        rule_schema: Any = error.schema
        value: Any = error.instance
        path = tuple(error.absolute_path)
        field = label(path) or "the file"
        if rule == "required":
            for name in expected:
                if name not in value:
                    where = f"{label(path)}: " if path else ""
                    yield Finding(path, f"{where}missing required field '{name}'")
        elif rule == "additionalProperties":
            allowed = list(rule_schema.get("properties", {}))
            for key in value:
                if key not in allowed:
                    hint = did_you_mean(key, allowed) or f"; allowed here: {', '.join(allowed)}"
                    yield Finding((*path, key), f"unknown key '{key}'{hint}", at_key=True)
        elif rule == "type":
            wanted = _TYPE_WORDS.get(str(expected), str(expected))
            yield Finding(path, f"'{field}' must be {wanted}, not {_kind_of(value)}")
        elif rule == "minLength":
            yield Finding(path, f"'{field}' is empty")
        elif rule == "maxLength":
            yield Finding(
                path, f"'{field}' is {len(value):,} characters long; the limit is {expected:,}"
            )
        elif rule == "pattern":
            hint = rule_schema.get("x-hint", f"text matching {expected}")
            shown = value if len(value) <= 60 else value[:57] + "..."
            if hint == "one line of text":
                yield Finding(path, f"'{field}' must be one line of text")
            else:
                yield Finding(path, f"'{field}' must be {hint}, not '{shown}'")
        elif rule == "enum":
            choices = list(expected)
            hint = did_you_mean(str(value), choices)
            yield Finding(
                path, f"unknown {field} '{value}'{hint}; expected one of: {', '.join(choices)}"
            )
        elif rule == "minItems":
            yield Finding(path, f"'{field}' needs at least one entry")
        elif rule == "uniqueItems":
            seen: set[str] = set()
            for index, item in enumerate(value):
                if item in seen:
                    yield Finding((*path, index), f"'{field}' lists '{item}' twice")
                seen.add(item)
        else:  # a rule added to the schema without a message of its own
            yield Finding(path, f"'{field}': {error.message}")


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
                        f"link target '{target[:40]}' in '{label(path)}' is not allowed;"
                        " links must start with http:// or https://",
                    )


def _date_findings(value: Any, path: DataPath) -> Iterator[Finding]:
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
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
    """What tags may name, as far as the vocabulary files could be read (ids → display names)."""

    countries: dict[str, str]
    forums: dict[str, str]
    topics: dict[str, str]
    kinds: dict[str, str]


def _membership(
    value: Any, path: DataPath, known: dict[str, str], what: str, where: str
) -> Iterator[Finding]:
    if isinstance(value, str) and value not in known:
        hint = did_you_mean(value, known, known)
        if hint:
            yield Finding(path, f"unknown {what} '{value}'{hint}")
        else:
            yield Finding(path, f"unknown {what} '{value}'; add it to {where} if it is new")


def _tags(node: dict[str, Any], path: DataPath, vocabulary: Vocabulary) -> Iterator[Finding]:
    for field, known, what, where in (
        ("countries", vocabulary.countries, "country", VOCABULARY_FILES["countries"]),
        ("forums", vocabulary.forums, "forum", VOCABULARY_FILES["forums"]),
        ("topics", vocabulary.topics, "topic", VOCABULARY_FILES["topics"]),
    ):
        for index, value in enumerate(_list(node.get(field))):
            yield from _membership(value, (*path, field, index), known, what, where)


def placeholder_findings(data: Any) -> Iterator[Finding]:
    """Values `make new` left to be filled in."""
    for path, text in _strings(data):
        if PLACEHOLDER in text or PLACEHOLDER_SLUG in text:
            yield Finding(path, f"'{label(path)}' is still to fill in")


def statement_findings(data: Any, file: PurePosixPath, vocabulary: Vocabulary) -> Iterator[Finding]:
    """Every problem in one statement file's data; `file` is its path under data/statements/.
    A value still to fill in is reported as that alone, not also as whatever else it breaks."""
    unfilled = list(placeholder_findings(data))
    yield from unfilled
    skip = {f.path for f in unfilled}
    for finding in _statement_rules(data, file, vocabulary):
        if finding.path not in skip:
            yield finding


def _statement_rules(data: Any, file: PurePosixPath, vocabulary: Vocabulary) -> Iterator[Finding]:
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
    date = _str(data.get("date"))
    folder = date[:4] if date else "undated"
    if file.parent.name != folder:
        yield Finding(
            ("date",) if date else (),
            f"a statement {'dated ' + date if date else 'without a date'} belongs in "
            f"data/statements/{folder}/, not data/statements/{file.parent.name}/",
        )
    yield from _date_findings(data.get("date"), ("date",))
    if "date" not in data and "date_note" not in data:
        yield Finding((), "no 'date': give the date, or a 'date_note' that says why it is unknown")
    if not data.get("parties") and "issuing_forum" not in data:
        yield Finding((), "give 'parties' (the issuing states) or 'issuing_forum'")
    yield from _membership(
        data.get("kind"), ("kind",), vocabulary.kinds, "kind", VOCABULARY_FILES["kinds"]
    )
    yield from _membership(
        data.get("issuing_forum"),
        ("issuing_forum",),
        vocabulary.forums,
        "forum",
        VOCABULARY_FILES["forums"],
    )
    for index, value in enumerate(_list(data.get("parties"))):
        yield from _membership(
            value,
            ("parties", index),
            vocabulary.countries,
            "country",
            VOCABULARY_FILES["countries"],
        )
    for index, signatory in _dicts(data.get("signatories")):
        yield from _membership(
            signatory.get("country"),
            ("signatories", index, "country"),
            vocabulary.countries,
            "country",
            VOCABULARY_FILES["countries"],
        )
    yield from _tags(data, (), vocabulary)

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
        yield from _tags(section, path, vocabulary)
        excerpts = list(_dicts(section.get("excerpts")))
        if not excerpts and "summary" not in section:
            yield Finding(path, f"section '{section_id}' needs excerpts or a summary")
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


def vocabulary_findings(name: str, data: Any, iso_codes: Iterable[str]) -> Iterator[Finding]:
    """Problems in one vocabulary file: schema, duplicate ids, references between entries."""
    yield from schema_findings(data, name)
    yield from text_findings(data)
    entries = list(_dicts(data))
    ids: set[str] = set()
    for index, entry in entries:
        entry_id = _str(entry.get("id"))
        if entry_id in ids:
            yield Finding((index, "id"), f"'{entry_id}' is listed twice")
        if entry_id:
            ids.add(entry_id)
    if name == "topics":
        parents = {e["id"]: e.get("parent") for _, e in entries if _str(e.get("id"))}
        for index, entry in entries:
            parent = entry.get("parent")
            if isinstance(parent, str) and parent not in parents:
                yield Finding(
                    (index, "parent"), f"unknown topic '{parent}'{did_you_mean(parent, parents)}"
                )
            seen, step = set(), _str(entry.get("id"))
            while step in parents and step not in seen:
                seen.add(step)
                step = parents[step]
            if step in seen:
                yield Finding((index, "parent"), f"topic '{entry.get('id')}' is its own ancestor")
    if name == "forums":
        known = set(iso_codes)
        for index, entry in entries:
            for m_index, member in enumerate(_list(entry.get("members"))):
                if isinstance(member, str) and member not in known:
                    yield Finding(
                        (index, "members", m_index),
                        f"unknown country '{member}'{did_you_mean(member, known)}; "
                        f"add it to {VOCABULARY_FILES['countries']} if it is new",
                    )


# --- the driver ------------------------------------------------------------------------------


def _problems(loaded: Loaded, findings: Iterable[Finding]) -> Iterator[Problem]:
    name = str(loaded.file)
    if loaded.error:
        place = loaded.error.place
        yield Problem(name, place.line, place.col, loaded.error.message)
        return
    document = loaded.document
    assert document is not None
    for path, place in document.duplicate_keys:
        yield Problem(
            name,
            place.line,
            place.col,
            f"duplicate key '{path[-1]}' (already set above in the same mapping)",
        )
    for finding in findings:
        where: Place = document.place(finding.path, key=finding.at_key)
        yield Problem(name, where.line, where.col, finding.message)


def validate_vocabularies(
    files: dict[str, Loaded], iso_names: dict[str, str]
) -> tuple[list[Problem], Vocabulary]:
    """Problems in the vocabulary files, and the vocabulary as far as it could be read."""
    problems: list[Problem] = []
    tables: dict[str, dict[str, str]] = {}
    for name, loaded in files.items():
        data = loaded.document.data if loaded.document else []
        codes = set(iso_names) | {
            e["id"] for _, e in _dicts(_data(files.get("countries"))) if _str(e.get("id"))
        }
        problems.extend(_problems(loaded, vocabulary_findings(name, data, codes)))
        tables[name] = {
            e["id"]: _str(e.get("name")) or e["id"] for _, e in _dicts(data) if _str(e.get("id"))
        }
    countries = dict(iso_names) | tables.get("countries", {})
    vocabulary = Vocabulary(
        countries=countries,
        forums=tables.get("forums", {}),
        topics=tables.get("topics", {}),
        kinds=tables.get("kinds", {}),
    )
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
        if loaded.file.suffix != ".yml":
            hint = "; use the .yml extension" if loaded.file.suffix == ".yaml" else ""
            problems.append(
                Problem(
                    str(loaded.file),
                    1,
                    1,
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
                        f"id '{statement_id}' is already used by {first_file[statement_id]}",
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
            message = f"related statement '{target}' does not exist{hint}"
        if message:
            problems.extend(_problems(loaded, [Finding(("related", index, "id"), message)]))
    return sorted(set(problems))
