"""Validate stage: pure checks that yield every problem with its place; never raises on bad data.

Inner checks speak of fields only and yield `Finding`s (a path into the data and a message); the
driver `validate_archive` adds the file and the line:column once, at the outer layer.
The structural rules live in the JSON Schema files beside this module (the same schema readers
download and editors use); the rules a schema cannot express are written out below.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
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
    structural: bool = False
    """A breach of the JSON Schema, or a clearer message that stands in for one at the same
    place (see `Problem.structural`)."""


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


def same_but_case(
    value: str, choices: Iterable[str], names: dict[str, str] | None = None
) -> str | None:
    """The choice `value` spells but for upper and lower case, or whose name (display name,
    short name or alias, as `names` maps them to choices) it spells so; None otherwise."""
    folded = value.casefold()
    by_fold = {c.casefold(): c for c in choices}
    by_name = {name.casefold(): key for name, key in (names or {}).items()}
    return by_fold.get(folded) or by_name.get(folded)


def closest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str | None:
    """The choice `value` nearly spells, or whose name (display name, short name or alias, as
    `names` maps them to choices) it nearly spells; None if nothing is close.

    Near is: the same but for case; similar enough by difflib's ratio (most slips in longer
    words); or one slip away — a letter wrong, missing, added, or two swapped ('sko' → 'sco',
    which difflib's ratio finds too far). A two-character value gets a one-slip guess only when
    a single choice is one slip away ('ud' → 'id'): 'ZZ' is one slip from 'ZA', 'ZM' and 'ZW'
    alike, and gets none."""
    choices = list(choices)
    match = same_but_case(value, choices, names)
    if not match:
        by_name = {name.casefold(): key for name, key in (names or {}).items()}
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
        close = close or difflib.get_close_matches(value.casefold(), list(by_name), n=1, cutoff=0.8)
        match = (by_name.get(close[0]) or close[0]) if close else None
    if not match and len(value) >= 2:
        folded = value.casefold()
        slips = [c for c in choices if _one_slip(folded, c.casefold())]
        ratio = {c: difflib.SequenceMatcher(None, folded, c.casefold()).ratio() for c in slips}
        if len(value) > 2 or len(slips) == 1:
            match = min(slips, key=lambda c: (-ratio[c], c), default=None)
    return match


def _one_slip(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one edit: a character replaced, removed, added, or
    two neighbours swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    if len(a) == len(b):
        rest = start + 1
        swapped = (
            a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]
        )
        return a[rest:] == b[rest:] or swapped
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


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
        _inline_refs(_schema("statement.schema.json"))
        if definition is None
        else {"$ref": f"vocabularies.schema.json#/$defs/{definition}"}
    )
    validator: jsonschema.protocols.Validator = _Validator(schema, registry=registry)
    return validator


_ANNOTATIONS = frozenset({"description", "x-hint", "$comment", "title"})


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each local `$ref` ("#/$defs/…") replaced by what it points to, merged into
    the keywords beside it (or, where the two set one keyword differently, both under `allOf`).
    The same rules, the same errors, each with the same keyword and subschema; but jsonschema
    no longer resolves a reference for every value of every file, which was most of its time."""
    definitions: dict[str, Any] = schema.get("$defs", {})

    def inline(node: Any, depth: int = 0) -> Any:
        if depth > 32:
            raise ValueError("the statement schema's references nest too deep to inline")
        if isinstance(node, list):
            return [inline(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: inline(value, depth) for key, value in node.items() if key != "$defs"}
        reference = node.get("$ref")
        if not isinstance(reference, str) or not reference.startswith("#/$defs/"):
            return node
        target = inline(definitions[reference.removeprefix("#/$defs/")], depth + 1)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        clash = {
            k for k in siblings.keys() & target.keys() - _ANNOTATIONS if siblings[k] != target[k]
        }
        if clash or "$ref" in target:
            return {"allOf": [target], **siblings}
        return {**target, **{k: v for k, v in siblings.items() if k not in target}}

    inlined: dict[str, Any] = inline(schema)
    return {**inlined, "$defs": definitions}


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
        for finding in _schema_finding(error, misspelt, definition):
            yield replace(finding, structural=True)


def _schema_finding(
    error: jsonschema.ValidationError,
    misspelt: set[tuple[DataPath, str]],
    definition: str | None = None,
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
        if name == "kind":  # the kind of a source or a forum, not of a statement
            owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), definition)
            name = {"sources": "source kind", "forums": "forum kind"}.get(str(owner), name)
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
    names = vocabulary.names.get(name)
    if match := same_but_case(value, known, names):
        yield Finding(path, f"unknown {what} '{value}' (did you mean '{match}'?)")
    elif other := _other_vocabulary(value, name, vocabulary):
        yield Finding(path, _misplaced(value, path, name, *other))
    elif hint := did_you_mean(value, sorted(known), names):
        yield Finding(path, f"unknown {what} '{value}'{hint}")
    elif _well_formed(name, value):
        listed = f"; known {name}: {', '.join(sorted(known))}" if len(known) <= SHORT_LIST else ""
        yield Finding(
            path,
            f"unknown {what} '{value}'{listed}; add it to {VOCABULARY_FILES[name]} if it is new",
        )


SHORT_LIST = 8
"""A vocabulary this small is listed in full when a value is not in it."""

_A = {"countries": "a country", "forums": "a forum", "topics": "a topic", "kinds": "a kind"}


def _other_vocabulary(value: str, name: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The vocabulary other than `name` that has `value` as an id (or, but for case, as an id or
    a name), and that id: 'sco' given as a topic is the forum 'sco'."""
    others = [n for n in VOCABULARY_FILES if n != name and n not in vocabulary.unreadable]
    for other in others:
        if value in vocabulary.ids.get(other, ()):
            return other, value
    for other in others:
        match = same_but_case(value, vocabulary.ids.get(other, ()), vocabulary.names.get(other))
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


_TAG_LISTS = ("countries", "forums", "topics")


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
    rules = list(_statement_rules(data, file))
    breached = {f.path for f in rules if f.structural}
    unfilled = [_standing_in(f, breached) for f in placeholder_findings(data)]
    yield from unfilled
    skip = {f.path for f in unfilled}
    unknown = [
        _standing_in(f, breached) for f in _vocabulary_rules(data, vocabulary) if f.path not in skip
    ]
    yield from unknown
    skip |= {f.path for f in unknown}
    for finding in rules:
        if finding.path not in skip:
            yield finding


def _standing_in(finding: Finding, breached: set[DataPath]) -> Finding:
    """`finding`, marked structural if it is reported instead of a schema breach at its place."""
    return replace(finding, structural=True) if finding.path in breached else finding


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
        # An excerpt whose text is missing or not text is reported as such, not again as the
        # excerpt a quote is not found in.
        all_read = len(texts) == len(excerpts) == len(_list(section.get("excerpts")))
        for a_index, annotation in _dicts(section.get("annotations")):
            quote = _str(annotation.get("quote"))
            if quote and all_read and not quote_in(quote, texts):
                yield Finding(
                    (*path, "annotations", a_index, "quote"),
                    f"annotation quote not found in any excerpt of section '{section_id}'",
                )


def vocabulary_findings(name: str, data: Any, vocabulary: Vocabulary) -> Iterator[Finding]:
    """Problems in one vocabulary file: schema, duplicate ids, references between entries."""
    rules = [*schema_findings(data, name), *text_findings(data)]
    breached = {f.path for f in rules if f.structural}
    unknown = [_standing_in(f, breached) for f in _vocabulary_references(name, data, vocabulary)]
    yield from unknown
    skip = {f.path for f in unknown}
    for finding in rules:
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
        yield Problem.at(name, where, finding.message, structural=finding.structural)


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


FindingsMemo = dict[int, tuple[Loaded, Vocabulary, list[Finding]]]
"""A file's own findings, by its Loaded (its id, the object kept alive beside them), with the
vocabulary they were found against: `make serve` checks again only the files that changed."""


def _file_findings(
    loaded: Loaded, vocabulary: Vocabulary, memo: FindingsMemo | None
) -> list[Finding]:
    if loaded.document is None:
        return []
    cached = memo.get(id(loaded)) if memo is not None else None
    if cached is not None and cached[0] is loaded and cached[1] == vocabulary:
        return list(cached[2])
    found = list(statement_findings(loaded.document.data, loaded.file, vocabulary))
    if memo is not None:
        memo[id(loaded)] = (loaded, vocabulary, found)
    return list(found)


def validate_archive(
    statements: list[Loaded],
    vocabularies: dict[str, Loaded],
    iso_names: dict[str, str],
    memo: FindingsMemo | None = None,
) -> list[Problem]:
    """Every problem in the archive, sorted by file and line. With a `memo` (serve), a file read
    as the same Loaded object as last time, against the same vocabulary, is not checked again."""
    if memo is not None:
        seen = {id(loaded) for loaded in statements}
        for gone in memo.keys() - seen:
            del memo[gone]
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
        findings = _file_findings(loaded, vocabulary, memo)
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
