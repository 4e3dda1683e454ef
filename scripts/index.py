"""Index stage: pure lookups over the whole archive, built once before anything is rendered.

Cross-links make a graph, not a tree: a section reaches every country, forum and topic hub it
names, a hub knows its sections, and `related` is known in both directions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Literal

from scripts.model import Section, Statement, Vocabularies

HubKind = Literal["country", "forum", "topic"]
HUB_FOLDERS: dict[HubKind, str] = {"country": "countries", "forum": "forums", "topic": "topics"}
INVERSE_RELATIONS = {
    "follows": "followed by",
    "responds-to": "responded to by",
    "supersedes": "superseded by",
    "see-also": "see also",
}
RELATION_LABELS = {
    "follows": "follows",
    "responds-to": "responds to",
    "supersedes": "supersedes",
    "see-also": "see also",
}


@dataclass(frozen=True)
class SectionRef:
    """A section together with the statement it belongs to."""

    statement: Statement
    section: Section


@dataclass(frozen=True)
class Hub:
    """Everything the archive holds on one country, forum or topic."""

    kind: HubKind
    id: str
    """The vocabulary id: a country code (upper case), forum id or topic id."""
    name: str
    issued: tuple[Statement, ...]
    """Statements issued by this country (as a party) or in this forum; newest first."""
    statements: tuple[Statement, ...]
    """Statements tagged with it (top level or in a section) or issued by it; newest first."""
    sections: tuple[SectionRef, ...]
    """Sections tagged with it, oldest first: how the wording moved."""

    @property
    def url(self) -> str:
        """Site path of the hub page, lower case: countries/af/"""
        return f"{HUB_FOLDERS[self.kind]}/{self.id.lower()}/"


@dataclass(frozen=True)
class RelatedLink:
    """A relation seen from one statement: 'follows X' or, the other way round, 'followed by Y'."""

    label: str
    statement: Statement


@dataclass(frozen=True)
class Index:
    """The archive's cross-references."""

    statements: tuple[Statement, ...]
    """All statements, oldest first, undated ones last."""
    hubs: dict[tuple[HubKind, str], Hub]
    """Only for ids that some statement or section names."""
    related: dict[str, tuple[RelatedLink, ...]]
    """By statement id: its own relations and the ones pointing at it."""
    topic_children: dict[str, tuple[str, ...]]
    """By topic id: its direct children in the vocabulary."""

    def hub(self, kind: HubKind, hub_id: str) -> Hub | None:
        """The hub page for an id, if the archive has one."""
        return self.hubs.get((kind, hub_id))

    def hubs_of(self, kind: HubKind) -> list[Hub]:
        """All hubs of a kind, by name."""
        return sorted((h for (k, _), h in self.hubs.items() if k == kind), key=lambda h: h.name)

    def co_occurring(self, hub: Hub, kind: HubKind) -> list[tuple[str, int]]:
        """Ids of `kind` named together with the hub in its sections, most frequent first."""
        counts: Counter[str] = Counter()
        for ref in hub.sections:
            tags = {
                "country": ref.section.countries,
                "forum": ref.section.forums,
                "topic": ref.section.topics,
            }[kind]
            counts.update(t for t in tags if (kind, t) != (hub.kind, hub.id))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def build_index(statements: list[Statement], vocabularies: Vocabularies) -> Index:
    """Cross-reference every statement and section."""
    ordered = tuple(sorted(statements, key=lambda s: s.sort_key))
    issued: dict[tuple[HubKind, str], list[Statement]] = defaultdict(list)
    tagged: dict[tuple[HubKind, str], list[Statement]] = defaultdict(list)
    sections: dict[tuple[HubKind, str], list[SectionRef]] = defaultdict(list)
    for statement in ordered:
        for code in statement.parties:
            issued["country", code].append(statement)
        if statement.issuing_forum:
            issued["forum", statement.issuing_forum].append(statement)
        for kind, ids in (
            ("country", statement.all_countries),
            ("forum", statement.all_forums),
            ("topic", statement.all_topics),
        ):
            for tag in ids:
                tagged[kind, tag].append(statement)  # type: ignore[index]
        for section in statement.sections:
            ref = SectionRef(statement, section)
            for kind, ids in (
                ("country", section.countries),
                ("forum", section.forums),
                ("topic", section.topics),
            ):
                for tag in ids:
                    sections[kind, tag].append(ref)  # type: ignore[index]

    names: dict[HubKind, dict[str, str]] = {
        "country": {c.code: c.name for c in vocabularies.countries.values()},
        "forum": {f.id: f.name for f in vocabularies.forums.values()},
        "topic": {t.id: t.name for t in vocabularies.topics.values()},
    }
    hubs = {}
    for key in sorted({*issued, *tagged, *sections}):
        kind, hub_id = key
        everything = {s.id: s for s in (*issued.get(key, ()), *tagged.get(key, ()))}
        hubs[key] = Hub(
            kind=kind,
            id=hub_id,
            name=names[kind][hub_id],
            issued=tuple(reversed(issued.get(key, []))),
            statements=tuple(sorted(everything.values(), key=lambda s: s.sort_key, reverse=True)),
            sections=tuple(sections.get(key, ())),
        )

    by_id = {s.id: s for s in ordered}
    related: dict[str, list[RelatedLink]] = defaultdict(list)
    for statement in ordered:
        for relation in statement.related:
            target = by_id[relation.id]
            related[statement.id].append(RelatedLink(RELATION_LABELS[relation.relation], target))
            related[target.id].append(RelatedLink(INVERSE_RELATIONS[relation.relation], statement))

    children: dict[str, list[str]] = defaultdict(list)
    for topic in vocabularies.topics.values():
        if topic.parent:
            children[topic.parent].append(topic.id)

    return Index(
        statements=ordered,
        hubs=hubs,
        related={k: tuple(v) for k, v in related.items()},
        topic_children={k: tuple(v) for k, v in children.items()},
    )
