"""Statement rules: what one statement file must say that its schema cannot, each rule one
concern — its name and folder, its date, its issuers, its sources, its sections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from scripts.load import DataPath
from scripts.site import STATEMENTS_DIR, UNDATED_FOLDER, is_date_form
from scripts.text import quote_in
from scripts.validate.problems import Finding, inside, label, standing_in
from scripts.validate.rules import (
    as_list,
    as_text,
    date_findings,
    mappings,
    placeholder_findings,
    text_findings,
)
from scripts.validate.schema import schema_findings
from scripts.validate.suggest import did_you_mean
from scripts.validate.vocabulary import KnownIds, tag_findings


def statement_findings(data: Any, file: PurePosixPath, known: KnownIds) -> Iterator[Finding]:
    """Every problem in one statement file's data; `file` is its path from the repository root
    (data/statements/2026/<id>.yml). A value still to fill in is reported as that alone, not also
    as whatever else it breaks; a value outside a vocabulary is reported once, as unknown."""
    rules = list(_statement_rules(data, file))
    breached = {f.path for f in rules if f.structural}
    too_long = {f.path for f in rules if f.too_many}
    unfilled = [standing_in(f, breached) for f in placeholder_findings(data)]
    yield from unfilled
    skip = {f.path for f in unfilled}
    unknown = [
        standing_in(f, breached)
        for f in tag_findings(data, known)
        if f.path not in skip and not inside(f.path, too_long)
    ]
    yield from unknown
    skip |= {f.path for f in unknown}
    for finding in rules:
        if finding.path not in skip:
            yield finding


def _statement_rules(data: Any, file: PurePosixPath) -> Iterator[Finding]:
    yield from schema_findings(data)
    yield from text_findings(data)
    if not isinstance(data, dict):
        return
    for rule in (_file_name, _folder, _date, _issuers, _sources, _sections, _languages):
        yield from rule(data, file)


RESERVED_IDS = frozenset({"index"})
"""Ids whose page would stand in for one of the site's own: statements/index.md is the address of
statements/ itself."""
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
"""File names Windows keeps for devices (with any extension): a checkout there cannot hold them."""
MAX_LANGUAGES = 20
"""Most languages one statement's text may be in (its own and its excerpts' originals): each is
a search index of its own, built and merged apart."""


def _file_name(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    statement_id = as_text(data.get("id"))
    if statement_id in RESERVED_IDS:
        yield Finding(
            ("id",),
            f"id '{statement_id}' is taken by the site itself (statements/{statement_id}/ would"
            " be the list of statements); choose another id",
        )
    elif statement_id in WINDOWS_DEVICE_NAMES:
        yield Finding(
            ("id",),
            f"id '{statement_id}' is a device name on Windows (CON, PRN, AUX, NUL, COM0 to"
            " COM9, LPT0 to LPT9), where a file of that name cannot be checked out;"
            " choose another id",
        )
    if statement_id is not None and statement_id != file.stem:
        yield Finding(
            ("id",),
            f"id '{statement_id}' must equal the file name; rename the file to "
            f"'{statement_id}.yml' or set id: {file.stem}",
        )


def _folder(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    """The folder under data/statements/ is the year of the date (undated/ without one). A date
    of the wrong form is reported as such, not again here."""
    date = data.get("date")
    if date is None:
        folder = UNDATED_FOLDER
    elif isinstance(date, str) and is_date_form(date):
        folder = date[:4]
    else:
        return
    if file.parent != PurePosixPath(STATEMENTS_DIR, folder):
        yield Finding(
            ("date",) if date else (),
            f"a statement {'dated ' + date if date else 'without a date'} belongs in "
            f"{STATEMENTS_DIR}/{folder}/, not {file.parent}/",
        )


def _date(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    yield from date_findings(data.get("date"), ("date",))
    if "date" not in data and "date_note" not in data:
        yield Finding((), "no 'date': give the date, or a 'date_note' that says why it is unknown")


def _issuers(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    if not data.get("parties") and "issuing_forum" not in data:
        yield Finding((), "give 'parties' (the issuing states) or 'issuing_forum'")


def source_ids(data: dict[str, Any]) -> list[str]:
    """The ids of the statement's sources, in order (one used twice is reported apart)."""
    return [i for _, source in mappings(data.get("sources")) if (i := as_text(source.get("id")))]


def _sources(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, source in mappings(data.get("sources")):
        source_id = as_text(source.get("id"))
        if source_id in seen:
            yield Finding(("sources", index, "id"), f"source id '{source_id}' is used twice")
        if source_id:
            seen.add(source_id)
        yield from date_findings(source.get("published"), ("sources", index, "published"))


def _sections(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    sources = source_ids(data)
    seen: set[str] = set()
    for index, section in mappings(data.get("sections")):
        path: DataPath = ("sections", index)
        section_id = as_text(section.get("id"))
        if section_id in seen:
            yield Finding((*path, "id"), f"section id '{section_id}' is used twice")
        if section_id:
            seen.add(section_id)
        excerpts = list(mappings(section.get("excerpts")))
        if not excerpts and "summary" not in section:
            name = section_id or label(path)
            yield Finding(path, f"section '{name}' needs excerpts or a summary")
        yield from _excerpt_sources(excerpts, path, sources)
        yield from _annotation_quotes(section, path)


def _excerpt_sources(
    excerpts: list[tuple[int, dict[str, Any]]], path: DataPath, sources: list[str]
) -> Iterator[Finding]:
    for e_index, excerpt in excerpts:
        source_ref = excerpt.get("source")
        if isinstance(source_ref, str) and source_ref not in sources:
            hint = did_you_mean(source_ref, sources) or (
                f"; sources here: {', '.join(sources)}" if sources else ""
            )
            yield Finding(
                (*path, "excerpts", e_index, "source"), f"unknown source '{source_ref}'{hint}"
            )


def _annotation_quotes(section: dict[str, Any], path: DataPath) -> Iterator[Finding]:
    excerpts = list(mappings(section.get("excerpts")))
    texts = [t for _, e in excerpts if (t := as_text(e.get("text")))]
    # An excerpt whose text is missing or not text is reported as such, not again as the
    # excerpt a quote is not found in.
    if not len(texts) == len(excerpts) == len(as_list(section.get("excerpts"))):
        return
    for a_index, annotation in mappings(section.get("annotations")):
        quote = as_text(annotation.get("quote"))
        if quote and not quote_in(quote, texts):
            section_id = as_text(section.get("id"))
            yield Finding(
                (*path, "annotations", a_index, "quote"),
                f"annotation quote not found in any excerpt of section '{section_id}'",
            )


def _languages(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    seen = {language.casefold()} if isinstance(language := data.get("language"), str) else set()
    for s_index, section in mappings(data.get("sections")):
        for e_index, excerpt in mappings(section.get("excerpts")):
            original = excerpt.get("original")
            tag = original.get("language") if isinstance(original, dict) else None
            if not isinstance(tag, str) or tag.casefold() in seen:
                continue
            seen.add(tag.casefold())
            if len(seen) > MAX_LANGUAGES:
                path = ("sections", s_index, "excerpts", e_index, "original", "language")
                yield Finding(
                    path,
                    f"'{tag}' is one language too many: a statement's text may be in at most"
                    f" {MAX_LANGUAGES} languages (its own and its excerpts' originals)",
                )
                return
