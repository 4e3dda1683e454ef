"""Model stage: frozen, typed records built only from data that passed validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

from scripts.site import UNDATED_FOLDER
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
class Series:
    """A recurring meeting or a series of statements, whose rounds can be compared."""

    id: str
    name: str
    forum: str | None
    """The forum it meets in, if any."""
    description: str | None
    """Editorial Markdown."""


@dataclass(frozen=True)
class Actor:
    """A non-state subject statements speak of: an armed group, an alliance as a subject, a de
    facto authority, an organisation, a movement."""

    id: str
    name: str
    short: str | None
    kind: str
    """alliance | armed-group | de-facto-authority | organisation | movement"""
    aliases: tuple[str, ...]
    description: str | None
    """Editorial Markdown."""
    url: str | None


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
    series: dict[str, Series] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)

    def name(self, kind: TagKind, tag: str) -> str:
        """The display name of a country, forum, topic or actor."""
        if kind == "country":
            return self.countries[tag].name
        if kind == "forum":
            return self.forums[tag].name
        if kind == "topic":
            return self.topics[tag].name
        return self.actors[tag].name


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
    """official-text | official-translation | unofficial-translation | machine-translation |
    reproduction | readout | news-report"""
    title_supplied: bool = False
    """The source shows no title: the archive wrote this one (shown in square brackets)."""
    language: str | None = None
    translated_from: str | None = None
    translator: str | None = None


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
class Variant:
    """Another source's wording of the same passage."""

    source: str
    text: str


TagKind = Literal["country", "forum", "topic", "actor"]
TAG_LISTS: dict[TagKind, str] = {
    "country": "countries",
    "forum": "forums",
    "topic": "topics",
    "actor": "actors",
}
"""Each kind of tag and the field that lists it, on statements, sections and excerpts."""


@dataclass(frozen=True)
class Excerpt:
    """Verbatim words of the statement, as its sources give them."""

    text: str
    source: str
    """Id of the first of the sources that carry these words."""
    original: Original | None
    sources: tuple[str, ...] = ()
    """Every source that carries these words (`source` first)."""
    paragraph: str | None = None
    """The original's own number or label for the passage: 2, III.4, preamble."""
    countries: tuple[str, ...] = ()
    forums: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        """The text split into paragraphs, white space folded."""
        return paragraphs(self.text)

    def tags(self, kind: TagKind) -> tuple[str, ...]:
        return tuple(getattr(self, TAG_LISTS[kind]))

    @property
    def tagged(self) -> bool:
        """Whether the excerpt carries tags of its own."""
        return any(self.tags(kind) for kind in TAG_LISTS)


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
    actors: tuple[str, ...] = ()

    def own_tags(self, kind: TagKind) -> tuple[str, ...]:
        """The section's own tags of a kind (not its excerpts')."""
        return tuple(getattr(self, TAG_LISTS[kind]))

    def tags(self, kind: TagKind) -> tuple[str, ...]:
        """The section's tags of a kind: its own, then its excerpts' (excerpt tags add to their
        section's)."""
        return _union(self.own_tags(kind), *(e.tags(kind) for e in self.excerpts))


@dataclass(frozen=True)
class Participant:
    """A state, forum or actor that took part without issuing the statement."""

    kind: TagKind
    """country, forum or actor."""
    id: str
    role: str
    """participant | guest | observer | host | mediator"""
    note: str | None = None
    """Editorial Markdown."""


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
    """Id of the series (data/series.yml) it belongs to."""
    sections: tuple[Section, ...]
    related: tuple[Relation, ...]
    path: PurePosixPath
    """The YAML file, relative to the repository root."""
    actors: tuple[str, ...] = ()
    round: int | None = None
    """Its meeting's ordinal in the series."""
    participants: tuple[Participant, ...] = ()

    def own_tags(self, kind: TagKind) -> tuple[str, ...]:
        """The statement-wide tags of a kind, and the issuing forum among forums: what every
        section of it is about, on hubs, in search and in the downloads."""
        tags = tuple(getattr(self, TAG_LISTS[kind]))
        if kind == "forum" and self.issuing_forum:
            return _union((self.issuing_forum,), tags)
        return tags

    def all_tags(self, kind: TagKind) -> tuple[str, ...]:
        """Statement-level tags of a kind: its own lists and every section's and excerpt's."""
        return _union(tuple(getattr(self, TAG_LISTS[kind])), *(s.tags(kind) for s in self.sections))

    def section_tags(self, section: Section, kind: TagKind) -> tuple[str, ...]:
        """What a section is about, as hubs, search and sections.csv see it: the statement's own
        tags and issuing forum, then the section's, then its excerpts'."""
        return _union(self.own_tags(kind), section.tags(kind))

    @property
    def all_countries(self) -> tuple[str, ...]:
        """Statement-level country tags: the top-level list, every section's and excerpt's."""
        return self.all_tags("country")

    @property
    def all_forums(self) -> tuple[str, ...]:
        """Statement-level forum tags: the top-level list, every section's and excerpt's."""
        return self.all_tags("forum")

    @property
    def all_topics(self) -> tuple[str, ...]:
        """Statement-level topic tags: the top-level list, every section's and excerpt's."""
        return self.all_tags("topic")

    @property
    def all_actors(self) -> tuple[str, ...]:
        """Statement-level actor tags: the top-level list, every section's and excerpt's."""
        return self.all_tags("actor")

    @property
    def search_key(self) -> str:
        """The statement's place in the search index's order (scripts/search.py): its date as
        written, then its id, compared as text. "!" sorts below the "-" of a fuller date, so
        2025 comes before 2025-05-14, and an undated statement before every dated one."""
        return f"{self.date.iso if self.date else ''}!{self.id}"

    @property
    def year(self) -> str:
        """The year it is listed and published under (`2026`), or `undated`: its year pages,
        per-year downloads and shard."""
        return str(self.date.year) if self.date else UNDATED_FOLDER

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
    series: list[dict[str, Any]] | None = None,
    actors: list[dict[str, Any]] | None = None,
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
        series={
            s["id"]: Series(s["id"], s["name"], s.get("forum"), s.get("description"))
            for s in series or ()
        },
        actors={
            a["id"]: Actor(
                id=a["id"],
                name=a["name"],
                short=a.get("short"),
                kind=a["kind"],
                aliases=_tuple(a.get("aliases")),
                description=a.get("description"),
                url=a.get("url"),
            )
            for a in actors or ()
        },
    )


def _source(data: dict[str, Any]) -> Source:
    return Source(
        id=data["id"],
        title=data["title"],
        url=data["url"],
        publisher=data.get("publisher"),
        published=PartialDate.parse(data["published"]) if data.get("published") else None,
        kind=data.get("kind"),
        title_supplied=data.get("title_supplied") == "true",
        language=data.get("language"),
        translated_from=data.get("translated_from"),
        translator=data.get("translator"),
    )


def _excerpt(data: dict[str, Any], default_source: str) -> Excerpt:
    sources = _tuple(data.get("sources")) or (data.get("source", default_source),)
    return Excerpt(
        text=data["text"],
        source=sources[0],
        original=Original(**data["original"]) if data.get("original") else None,
        sources=sources,
        paragraph=data.get("paragraph"),
        countries=_tuple(data.get("countries")),
        forums=_tuple(data.get("forums")),
        topics=_tuple(data.get("topics")),
        actors=_tuple(data.get("actors")),
        variants=tuple(Variant(v["source"], v["text"]) for v in data.get("variants", ())),
    )


def _section(data: dict[str, Any], default_source: str) -> Section:
    return Section(
        id=data["id"],
        heading=data["heading"],
        countries=_tuple(data.get("countries")),
        forums=_tuple(data.get("forums")),
        topics=_tuple(data.get("topics")),
        summary=data.get("summary"),
        excerpts=tuple(_excerpt(e, default_source) for e in data.get("excerpts", ())),
        annotations=tuple(Annotation(a["quote"], a["note"]) for a in data.get("annotations", ())),
        actors=_tuple(data.get("actors")),
    )


def _participant(data: dict[str, Any]) -> Participant:
    kinds: tuple[TagKind, ...] = ("country", "forum", "actor")
    kind = next(k for k in kinds if k in data)
    return Participant(kind, data[kind], data["role"], data.get("note"))


def build_statement(data: dict[str, Any], path: PurePosixPath) -> Statement:
    """A Statement from one valid statement file's data."""
    sources = tuple(_source(s) for s in data["sources"])
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
        sections=tuple(_section(s, default_source) for s in data["sections"]),
        related=tuple(Relation(r["id"], r["relation"]) for r in data.get("related", ())),
        path=path,
        actors=_tuple(data.get("actors")),
        round=int(data["round"]) if data.get("round") else None,
        participants=tuple(_participant(p) for p in data.get("participants", ())),
    )
