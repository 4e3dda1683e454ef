"""The JSON Schema half of validation: scripts/statement.schema.json (the same schema readers
download and editors apply) and scripts/vocabularies.schema.json, each complaint turned into a
message that says what would be right."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import jsonschema
from referencing import Registry, Resource

from scripts.load import DataPath
from scripts.site import SCHEMA_FILE, VOCABULARY_SCHEMA_FILE
from scripts.validate.problems import Finding, inside, label
from scripts.validate.suggest import closest, did_you_mean

_SCHEMA_FILES = {
    "statement.schema.json": SCHEMA_FILE,
    "vocabularies.schema.json": VOCABULARY_SCHEMA_FILE,
}


@cache
def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_SCHEMA_FILES[name]).read_text(encoding="utf-8"))
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
    # What is inside a list over its maximum is not reported entry by entry: that list is the
    # one problem (a pull request may carry a list of 100,000 entries).
    too_long = {tuple(e.absolute_path) for e in errors if str(e.validator) == "maxItems"}
    errors = [e for e in errors if not inside(tuple(e.absolute_path), too_long)]
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


@dataclass(frozen=True)
class _Breach:
    """One schema error, read: the rule, its setting, the value, and where."""

    rule_schema: Any
    expected: Any
    value: Any
    path: DataPath
    definition: str | None

    @property
    def field(self) -> str:
        return label(self.path)

    @property
    def quoted(self) -> str:
        return f"'{self.field}'" if self.path else "the file"


def _schema_finding(
    error: jsonschema.ValidationError,
    misspelt: set[tuple[DataPath, str]],
    definition: str | None = None,
) -> Iterator[Finding]:
    # jsonschema types these as "maybe unset"; an error from iter_errors always has them.
    rule: Any = error.validator
    breach = _Breach(
        error.schema, error.validator_value, error.instance, tuple(error.absolute_path), definition
    )
    if rule == "required":
        yield from _required(breach, misspelt)
    elif rule in _MESSAGES:
        yield from _MESSAGES[rule](breach)
    else:  # a rule added to the schema without a message of its own
        yield Finding(breach.path, f"{breach.quoted}: {error.message}")


def _required(breach: _Breach, misspelt: set[tuple[DataPath, str]]) -> Iterator[Finding]:
    for name in breach.expected:
        if name not in breach.value and (breach.path, name) not in misspelt:
            where = f"{breach.field}: " if breach.path else ""
            yield Finding(breach.path, f"{where}missing required field '{name}'")


def _unknown_keys(breach: _Breach) -> Iterator[Finding]:
    allowed = list(breach.rule_schema.get("properties", {}))
    for key in breach.value:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or f"; allowed here: {', '.join(allowed)}"
            yield Finding((*breach.path, key), f"unknown key '{key}'{hint}", at_key=True)


def _wrong_type(breach: _Breach) -> Iterator[Finding]:
    wanted = _TYPE_WORDS.get(str(breach.expected), str(breach.expected))
    yield Finding(breach.path, f"{breach.quoted} must be {wanted}, not {_kind_of(breach.value)}")


def _empty(breach: _Breach) -> Iterator[Finding]:
    yield Finding(breach.path, f"{breach.quoted} is empty")


def _too_long(breach: _Breach) -> Iterator[Finding]:
    yield Finding(
        breach.path,
        f"{breach.quoted} is {len(breach.value):,} characters long; the limit is "
        f"{breach.expected:,}",
    )


def _bad_form(breach: _Breach) -> Iterator[Finding]:
    hint = breach.rule_schema.get("x-hint", f"text matching {breach.expected}")
    value = breach.value
    shown = value if len(value) <= 60 else value[:57] + "..."
    if hint == "one line of text":
        yield Finding(breach.path, f"{breach.quoted} must be one line of text")
    else:
        yield Finding(breach.path, f"{breach.quoted} must be {hint}, not '{shown}'")


def _not_a_choice(breach: _Breach) -> Iterator[Finding]:
    choices = list(breach.expected)
    hint = did_you_mean(str(breach.value), choices)
    path = breach.path
    name = next((p for p in reversed(path) if isinstance(p, str)), "value")
    if name == "kind":  # the kind of a source or a forum, not of a statement
        owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), breach.definition)
        name = {"sources": "source kind", "forums": "forum kind"}.get(str(owner), name)
    yield Finding(
        path, f"unknown {name} '{breach.value}'{hint}; expected one of: {', '.join(choices)}"
    )


def _too_many(breach: _Breach) -> Iterator[Finding]:
    yield Finding(
        breach.path,
        f"{breach.quoted} has {len(breach.value):,} entries; the limit is {breach.expected:,}",
        too_many=True,
    )


def _no_entries(breach: _Breach) -> Iterator[Finding]:
    yield Finding(breach.path, f"{breach.quoted} needs at least one entry")


def _listed_twice(breach: _Breach) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, item in enumerate(breach.value):
        if isinstance(item, str) and item in seen:
            yield Finding((*breach.path, index), f"{breach.quoted} lists '{item}' twice")
        if isinstance(item, str):
            seen.add(item)


_MESSAGES: dict[str, Callable[[_Breach], Iterator[Finding]]] = {
    "additionalProperties": _unknown_keys,
    "type": _wrong_type,
    "minLength": _empty,
    "maxLength": _too_long,
    "pattern": _bad_form,
    "enum": _not_a_choice,
    "minItems": _no_entries,
    "maxItems": _too_many,
    "uniqueItems": _listed_twice,
}
"""The message for each rule of the schema; `required` also needs the misspelt keys."""


@cache
def statement_pattern(definition: str) -> str:
    """A `$defs` pattern of the statement schema, as Python's `re.search` reads it."""
    pattern: str = _schema("statement.schema.json")["$defs"][definition]["pattern"]
    return _python_pattern(pattern)
