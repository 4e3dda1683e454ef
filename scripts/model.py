"""Model stage: frozen, typed records built only from data that passed validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from scripts.text import paragraphs

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; sorts before any fuller date within it."""

    year: int
    month: int = 0
    """0 when the month is not known."""
    day: int = 0
    """0 when the day is not known."""

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raises ValueError for impossible dates."""
        parts = [int(p) for p in text.split("-")]
        full = parts + [1] * (3 - len(parts))
        dt.date(*full)  # raises for 2026-02-30 and month 13
        return cls(*parts)

    @property
    def iso(self) -> str:
        """As written in the data: 2026, 2026-05 or 2026-05-21."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    @property
    def display(self) -> str:
        """For readers: 2026, May 2026 or 21 May 2026."""
        if not self.month:
            return str(self.year)
        month = MONTHS[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True)
class Country:
    """A country or territory: ISO 3166-1 alpha-2 code and display name."""

    code: str
    """Upper-case code as written in the data (AF); URLs use it in lower case."""
    name: str


@dataclass(frozen=True)
class Forum:
    """An organisation, format, mechanism or summit that statements are issued in or speak of."""

    id: str
    name: str
    short: str | None
    """Abbreviation readers know it by (SCO), if any."""
    kind: str
    """organisation | format | mechanism | summit"""
    members: tuple[str, ...]
    """Member country codes, given only when certain."""
    aliases: tuple[str, ...]
    description: str | None
    """Editorial Markdown."""
    url: str | None


@dataclass(frozen=True)
class Topic:
    """A subject; topics form a tree through `parent`."""

    id: str
    name: str
    parent: str | None
    aliases: tuple[str, ...]
    description: str | None


@dataclass(frozen=True)
class Kind:
    """A kind of statement: joint-statement, declaration, communique …"""

    id: str
    name: str


@dataclass(frozen=True)
class Vocabularies:
    """Everything a statement's tags may name."""

    countries: dict[str, Country]
    """By code: pycountry's ISO 3166-1 list with data/countries.yml on top."""
    forums: dict[str, Forum]
    topics: dict[str, Topic]
    kinds: dict[str, Kind]


@dataclass(frozen=True)
class Signatory:
    """A person who signed or delivered the statement."""

    name: str
    role: str | None
    country: str | None


@dataclass(frozen=True)
class Source:
    """Where the statement's text comes from."""

    id: str
    title: str
    url: str
    publisher: str | None
    published: PartialDate | None
    kind: str | None
    """official-text | official-translation | unofficial-translation | news-report"""


@dataclass(frozen=True)
class Original:
    """The excerpt in its original language."""

    language: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        """The text split into paragraphs, white space folded, as for the excerpt itself."""
        return paragraphs(self.text)


@dataclass(frozen=True)
class Excerpt:
    """Verbatim words of the statement, as its source gives them."""

    text: str
    source: str
    """Id of one of the statement's sources."""
    original: Original | None

    @property
    def paragraphs(self) -> list[str]:
        """The text split into paragraphs, white space folded."""
        return paragraphs(self.text)


@dataclass(frozen=True)
class Annotation:
    """An editorial note attached to a verbatim quote in one of the section's excerpts."""

    quote: str
    note: str
    """Editorial Markdown."""


@dataclass(frozen=True)
class Section:
    """One part of a statement, tagged with what it is about."""

    id: str
    """Slug, unique in the statement; the page anchor."""
    heading: str
    countries: tuple[str, ...]
    forums: tuple[str, ...]
    topics: tuple[str, ...]
    summary: str | None
    """Editorial Markdown."""
    excerpts: tuple[Excerpt, ...]
    annotations: tuple[Annotation, ...]


@dataclass(frozen=True)
class Relation:
    """A link from this statement to another one."""

    id: str
    relation: str
    """follows | responds-to | supersedes | see-also"""


@dataclass(frozen=True)
class Statement:
    """One statement file."""

    id: str
    title: str
    date: PartialDate | None
    date_note: str | None
    kind: str
    parties: tuple[str, ...]
    issuing_forum: str | None
    place: str | None
    language: str
    signatories: tuple[Signatory, ...]
    summary: str
    """Editorial Markdown."""
    sources: tuple[Source, ...]
    countries: tuple[str, ...]
    """Statement-wide country tags (sections add their own)."""
    forums: tuple[str, ...]
    topics: tuple[str, ...]
    series: str | None
    sections: tuple[Section, ...]
    related: tuple[Relation, ...]
    path: PurePosixPath
    """The YAML file, relative to the repository root."""

    @property
    def all_countries(self) -> tuple[str, ...]:
        """Statement-level country tags: the top-level list and every section's, in order."""
        return _union(self.countries, *(s.countries for s in self.sections))

    @property
    def all_forums(self) -> tuple[str, ...]:
        """Statement-level forum tags: the top-level list and every section's, in order."""
        return _union(self.forums, *(s.forums for s in self.sections))

    @property
    def all_topics(self) -> tuple[str, ...]:
        """Statement-level topic tags: the top-level list and every section's, in order."""
        return _union(self.topics, *(s.topics for s in self.sections))

    @property
    def sort_key(self) -> tuple[int, PartialDate, str]:
        """Dated statements by date, undated ones last, ties by id."""
        return (0, self.date, self.id) if self.date else (1, PartialDate(0), self.id)


def _union(*lists: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for items in lists for item in items))


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def build_vocabularies(
    iso_names: dict[str, str],
    countries: list[dict[str, Any]],
    forums: list[dict[str, Any]],
    topics: list[dict[str, Any]],
    kinds: list[dict[str, Any]],
) -> Vocabularies:
    """Vocabularies from valid vocabulary lists; `iso_names` is the ISO 3166 code → name table."""
    names = dict(iso_names)
    names.update({entry["id"]: entry["name"] for entry in countries})
    return Vocabularies(
        countries={code: Country(code, name) for code, name in names.items()},
        forums={
            f["id"]: Forum(
                id=f["id"],
                name=f["name"],
                short=f.get("short"),
                kind=f["kind"],
                members=_tuple(f.get("members")),
                aliases=_tuple(f.get("aliases")),
                description=f.get("description"),
                url=f.get("url"),
            )
            for f in forums
        },
        topics={
            t["id"]: Topic(
                id=t["id"],
                name=t["name"],
                parent=t.get("parent"),
                aliases=_tuple(t.get("aliases")),
                description=t.get("description"),
            )
            for t in topics
        },
        kinds={k["id"]: Kind(k["id"], k["name"]) for k in kinds},
    )


def build_statement(data: dict[str, Any], path: PurePosixPath) -> Statement:
    """A Statement from one valid statement file's data."""
    sources = tuple(
        Source(
            id=s["id"],
            title=s["title"],
            url=s["url"],
            publisher=s.get("publisher"),
            published=PartialDate.parse(s["published"]) if s.get("published") else None,
            kind=s.get("kind"),
        )
        for s in data["sources"]
    )
    default_source = sources[0].id
    return Statement(
        id=data["id"],
        title=data["title"],
        date=PartialDate.parse(data["date"]) if data.get("date") else None,
        date_note=data.get("date_note"),
        kind=data["kind"],
        parties=_tuple(data.get("parties")),
        issuing_forum=data.get("issuing_forum"),
        place=data.get("place"),
        language=data.get("language", "en"),
        signatories=tuple(
            Signatory(s["name"], s.get("role"), s.get("country"))
            for s in data.get("signatories", ())
        ),
        summary=data["summary"],
        sources=sources,
        countries=_tuple(data.get("countries")),
        forums=_tuple(data.get("forums")),
        topics=_tuple(data.get("topics")),
        series=data.get("series"),
        sections=tuple(
            Section(
                id=s["id"],
                heading=s["heading"],
                countries=_tuple(s.get("countries")),
                forums=_tuple(s.get("forums")),
                topics=_tuple(s.get("topics")),
                summary=s.get("summary"),
                excerpts=tuple(
                    Excerpt(
                        text=e["text"],
                        source=e.get("source", default_source),
                        original=Original(**e["original"]) if e.get("original") else None,
                    )
                    for e in s.get("excerpts", ())
                ),
                annotations=tuple(
                    Annotation(a["quote"], a["note"]) for a in s.get("annotations", ())
                ),
            )
            for s in data["sections"]
        ),
        related=tuple(Relation(r["id"], r["relation"]) for r in data.get("related", ())),
        path=path,
    )
