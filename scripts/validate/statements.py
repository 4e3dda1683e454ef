"""Statement rules: what one statement file must say that its schema cannot, each rule one
concern — its name and folder, its date, its issuers, its sources, its sections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from scripts.load import DataPath
from scripts.site import STATEMENTS_DIR, UNDATED_FOLDER, is_date_form
from scripts.text import quote_in, why_not_found
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
    for rule in (
        _file_name,
        _folder,
        _date,
        _issuers,
        _sources,
        _sections,
        _languages,
        _series,
        _participants,
        _translations,
        _readouts_quoted,
    ):
        yield from rule(data, file)


RESERVED_IDS = frozenset({"index", "undated"})
"""Ids whose page would stand in for one of the site's own: statements/index.md is the address of
statements/ (the table of every statement), statements/undated/ and statements/<year>/ its pages
in a large archive."""
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
"""File names Windows keeps for devices (with any extension): a checkout there cannot hold them."""
MAX_LANGUAGES = 20
"""Most languages one statement's text may be in (its own and its excerpts' originals): each is
a search index of its own, built and merged apart."""


def _file_name(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    statement_id = as_text(data.get("id"))
    if statement_id in RESERVED_IDS or (statement_id or "").isdigit():
        yield Finding(
            ("id",),
            f"id '{statement_id}' is taken by the site itself (statements/{statement_id}/ is a"
            " page of the list of statements); choose another id",
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


def _unknown_source(reference: Any, at: DataPath, sources: list[str]) -> Iterator[Finding]:
    if isinstance(reference, str) and reference not in sources:
        hint = did_you_mean(reference, sources) or (
            f"; sources here: {', '.join(sources)}" if sources else ""
        )
        yield Finding(at, f"unknown source '{reference}'{hint}")


def _excerpt_sources(
    excerpts: list[tuple[int, dict[str, Any]]], path: DataPath, sources: list[str]
) -> Iterator[Finding]:
    """Every source an excerpt or its variants name is one of the statement's; an excerpt
    names them once, with `source` or `sources`; a variant is another source's wording."""
    for e_index, excerpt in excerpts:
        at: DataPath = (*path, "excerpts", e_index)
        yield from _unknown_source(excerpt.get("source"), (*at, "source"), sources)
        carried = as_list(excerpt.get("sources"))
        for s_index, reference in enumerate(carried):
            yield from _unknown_source(reference, (*at, "sources", s_index), sources)
        if "source" in excerpt and "sources" in excerpt:
            yield Finding(
                (*at, "sources"),
                "give 'source' (one) or 'sources' (several), not both",
                at_key=True,
            )
        own = set(carried) | {excerpt.get("source", sources[0] if sources else None)}
        for v_index, variant in mappings(excerpt.get("variants")):
            reference = variant.get("source")
            yield from _unknown_source(reference, (*at, "variants", v_index, "source"), sources)
            if reference in own:
                yield Finding(
                    (*at, "variants", v_index, "source"),
                    f"source '{reference}' carries the excerpt's own wording; a variant is the"
                    " wording of another source",
                )


def _readouts_quoted(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    """A readout is an account of the meeting, not the statement's text: its words are never
    archived as the statement's own."""
    sources = mappings(data.get("sources"))
    readouts = {as_text(s.get("id")) for _, s in sources if s.get("kind") == "readout"}
    first = next((as_text(s.get("id")) for _, s in mappings(data.get("sources"))), None)
    for index, section in mappings(data.get("sections")):
        for e_index, excerpt in mappings(section.get("excerpts")):
            carried = as_list(excerpt.get("sources")) or [excerpt.get("source", first)]
            if carried and all(reference in readouts for reference in carried):
                at: DataPath = ("sections", index, "excerpts", e_index)
                field = "sources" if "sources" in excerpt else "source"
                yield Finding(
                    (*at, field) if field in excerpt else at,
                    f"source '{carried[0]}' is a readout, an account of the meeting and not the"
                    " statement's text: quote the statement from a source that carries its"
                    " words, and say what the readout reports in a summary",
                )


TRANSLATIONS = frozenset({"official-translation", "unofficial-translation", "machine-translation"})


def _translations(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    for index, source in mappings(data.get("sources")):
        kind = source.get("kind")
        for field in ("translated_from", "translator"):
            if field in source and kind not in TRANSLATIONS:
                yield Finding(
                    ("sources", index, field),
                    f"'{field}' is for translations; give this source the kind of translation it"
                    " is (official-translation, unofficial-translation, machine-translation)",
                    at_key=True,
                )


def _series(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    if "round" in data and "series" not in data:
        yield Finding(
            ("round",),
            "a 'round' is the meeting's number in its series: give the 'series' too",
            at_key=True,
        )


PARTICIPANT_KINDS = ("country", "forum", "actor")


def _participants(data: dict[str, Any], file: PurePosixPath) -> Iterator[Finding]:
    parties = set(as_list(data.get("parties")))
    for index, participant in mappings(data.get("participants")):
        given = [field for field in PARTICIPANT_KINDS if field in participant]
        at: DataPath = ("participants", index)
        if len(given) != 1:
            which = f"not {' and '.join(repr(g) for g in given)}" if given else "none is given"
            yield Finding(at, f"a participant is one of 'country', 'forum' or 'actor'; {which}")
        country = participant.get("country")
        if country in parties:
            yield Finding(
                (*at, "country"),
                f"'{country}' issued the statement (it is in 'parties'); participants are the"
                " ones that took part without issuing it",
            )
        if participant.get("forum") is not None and participant.get("forum") == data.get(
            "issuing_forum"
        ):
            yield Finding(
                (*at, "forum"),
                f"'{participant['forum']}' issued the statement ('issuing_forum'); participants"
                " are the ones that took part without issuing it",
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
            why = why_not_found(quote, texts)
            yield Finding(
                (*path, "annotations", a_index, "quote"),
                f"annotation quote not found in any excerpt of section '{section_id}'"
                + (f"; {why}" if why else ""),
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
