"""Index stage: pure lookups over the whole archive, built once before anything is rendered.

Cross-links make a graph, not a tree: a section reaches every country, forum and topic hub it
names, a hub knows its sections, and `related` is known in both directions.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from scripts.model import TAG_LISTS, Participant, Section, Statement, Vocabularies
from scripts.site import HubKind, hub_url

INVERSE_RELATIONS = {
    "follows": "followed by",
    "responds-to": "responded to by",
    "supersedes": "superseded by",
    "see-also": "see also",
}
SIMILAR_SHOWN = 5
"""Most similar statements listed on a statement page."""
SIMILAR_WEIGHTS: dict[HubKind, float] = {"topic": 3.0, "actor": 3.0, "forum": 2.0, "country": 1.0}
"""How much a shared tag of each kind counts, before its rarity: topics say what a statement is
about, forums where it belongs; countries are named most often and say least."""
SIMILAR_CANDIDATES = 200
"""Most statements scored for one statement (see `similar_statements`). On a synthetic archive
of 10,000 statements (scripts/dev/synthetic.py, tags drawn at random), the five found score 96% of
the best five's score on average, in a few seconds for the whole archive."""
RELATION_LABELS = {
    "follows": "follows",
    "responds-to": "responds to",
    "supersedes": "supersedes",
    "see-also": "see also",
}


Reach = Literal["statement", "section", "excerpt"]
"""How a section comes to be on a hub: the statement is about the hub's subject as a whole (its
own tags or its issuing forum), the section is tagged with it, or only some of its excerpts are."""


@dataclass(frozen=True)
class SectionRef:
    """A section together with the statement it belongs to; on a hub, also how it got there."""

    statement: Statement
    section: Section
    reach: Reach = "section"
    tagged: tuple[int, ...] = ()
    """On a hub reached through excerpts: the indexes of the excerpts tagged with its subject."""
    via: tuple[str, ...] = ()
    """On a broader topic's hub: the narrower topics (at any depth) that brought it there, when
    the topic itself did not; `reach` and `tagged` then say how the first of them did."""


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
    """Sections about it, each once, oldest first: how the wording moved. A section is about
    what its statement, the section itself or one of its excerpts is tagged with."""
    participated: tuple[tuple[Statement, Participant], ...] = ()
    """Statements it took part in without issuing them (as guest, observer …), newest first."""
    narrower: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """On a broader topic's hub: (statement id, the narrower topics that brought it) for each
    statement that is there only through narrower topics."""
    gathers: tuple[str, ...] = ()
    """On a broader topic's hub: the narrower topics (any depth) whose items it gathers."""

    def about(self, tags: tuple[str, ...]) -> bool:
        """Whether tags of the hub's kind bring an item here: its own id or one it gathers."""
        return self.id in tags or any(t in tags for t in self.gathers)

    @property
    def url(self) -> str:
        """Site path of the hub page, lower case: countries/af/"""
        return hub_url(self.kind, self.id)

    def via(self, statement: Statement) -> tuple[str, ...]:
        """The narrower topics that brought a statement to this hub; () if its own tag did."""
        return dict(self.narrower).get(statement.id, ())


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
    similar: dict[str, tuple[Statement, ...]]
    """By statement id: the statements sharing most with it, best first (`similar_statements`);
    never itself nor one of its related statements."""
    series: dict[str, tuple[Statement, ...]] = field(default_factory=dict)
    """By series id: its statements by round (where given), then date."""

    @cached_property
    def position(self) -> dict[str, int]:
        """By statement id: its place in `statements` (date order, undated last)."""
        return {s.id: i for i, s in enumerate(self.statements)}

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
            tags = ref.statement.section_tags(ref.section, kind)
            counts.update(t for t in tags if (kind, t) != (hub.kind, hub.id))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def build_index(statements: list[Statement], vocabularies: Vocabularies) -> Index:
    """Cross-reference every statement and section."""
    ordered = tuple(sorted(statements, key=lambda s: s.sort_key))
    hubs = _hubs(ordered, vocabularies)
    related = _related(ordered)
    children = _topic_children(vocabularies)
    return Index(
        statements=ordered,
        hubs={**hubs, **_broader_topics(hubs, children, vocabularies)},
        related=related,
        topic_children=children,
        # Similarity counts the tags statements carry, not the broader topics they fall under.
        similar=similar_statements(
            ordered,
            {key: hub.statements for key, hub in hubs.items()},
            {sid: {link.statement.id for link in links} for sid, links in related.items()},
        ),
        series=_series(ordered),
    )


Key = tuple[HubKind, str]


def _section_refs(statement: Statement) -> Iterator[tuple[Key, SectionRef]]:
    """Each section of a statement, once for each subject it is about, with how it got there."""
    for section in statement.sections:
        for kind in TAG_LISTS:
            whole = statement.own_tags(kind)
            own = section.own_tags(kind)
            for tag in statement.section_tags(section, kind):
                if tag in whole:
                    reach: Reach = "statement"
                elif tag in own:
                    reach = "section"
                else:
                    reach = "excerpt"
                tagged = tuple(
                    i for i, excerpt in enumerate(section.excerpts) if tag in excerpt.tags(kind)
                )
                yield (kind, tag), SectionRef(statement, section, reach, tagged)


def _hubs(ordered: tuple[Statement, ...], vocabularies: Vocabularies) -> dict[Key, Hub]:
    issued: dict[Key, list[Statement]] = defaultdict(list)
    tagged: dict[Key, list[Statement]] = defaultdict(list)
    sections: dict[Key, list[SectionRef]] = defaultdict(list)
    took_part: dict[Key, list[tuple[Statement, Participant]]] = defaultdict(list)
    for statement in ordered:
        for code in statement.parties:
            issued["country", code].append(statement)
        if statement.issuing_forum:
            issued["forum", statement.issuing_forum].append(statement)
        for kind in TAG_LISTS:
            for tag in statement.all_tags(kind):
                tagged[kind, tag].append(statement)
        for key, ref in _section_refs(statement):
            sections[key].append(ref)
        for participant in statement.participants:
            took_part[participant.kind, participant.id].append((statement, participant))
    hubs = {}
    for key in sorted({*issued, *tagged, *sections, *took_part}):
        kind, hub_id = key
        everything = {s.id: s for s in (*issued.get(key, ()), *tagged.get(key, ()))}
        hubs[key] = Hub(
            kind=kind,
            id=hub_id,
            name=vocabularies.name(kind, hub_id),
            issued=tuple(reversed(issued.get(key, []))),
            statements=tuple(sorted(everything.values(), key=lambda s: s.sort_key, reverse=True)),
            sections=tuple(sections.get(key, ())),
            participated=tuple(reversed(took_part.get(key, []))),
        )
    return hubs


def topic_subtree(topic_id: str, children: dict[str, tuple[str, ...]]) -> list[str]:
    """A topic's narrower topics at any depth, depth first in vocabulary order (itself not)."""
    found: list[str] = []
    for child in children.get(topic_id, ()):
        if child not in found and child != topic_id:  # a cycle would be refused by validation
            found.append(child)
            found += [t for t in topic_subtree(child, children) if t not in found]
    return found


def _broader_topics(
    hubs: dict[Key, Hub], children: dict[str, tuple[str, ...]], vocabularies: Vocabularies
) -> dict[Key, Hub]:
    """The hub of each topic with narrower topics: its own statements and sections and those of
    every narrower topic, each once, saying which narrower topics brought the ones its own tag
    did not. A broader topic none of whose subtree is named has no hub."""
    broader: dict[Key, Hub] = {}
    for topic_id in sorted(children):
        narrower = [t for t in topic_subtree(topic_id, children) if ("topic", t) in hubs]
        if not narrower:
            continue
        own = hubs.get(("topic", topic_id))
        refs: dict[tuple[str, str], SectionRef] = {}
        statements: dict[str, Statement] = {}
        brought: dict[str, list[str]] = defaultdict(list)
        if own is not None:
            refs = {(r.statement.id, r.section.id): r for r in own.sections}
            statements = {s.id: s for s in own.statements}
        for child in narrower:
            for ref in hubs["topic", child].sections:
                key = (ref.statement.id, ref.section.id)
                if key not in refs:
                    refs[key] = replace(ref, via=(child,))
                elif refs[key].via:
                    refs[key] = replace(refs[key], via=(*refs[key].via, child))
            for statement in hubs["topic", child].statements:
                if statement.id in statements and statement.id not in brought:
                    continue
                statements[statement.id] = statement
                brought[statement.id].append(child)
        broader["topic", topic_id] = Hub(
            kind="topic",
            id=topic_id,
            name=vocabularies.name("topic", topic_id),
            issued=(),
            statements=tuple(sorted(statements.values(), key=lambda s: s.sort_key, reverse=True)),
            sections=tuple(
                sorted(
                    refs.values(),
                    key=lambda r: (r.statement.sort_key, r.statement.sections.index(r.section)),
                )
            ),
            narrower=tuple((sid, tuple(found)) for sid, found in sorted(brought.items())),
            gathers=tuple(narrower),
        )
    return broader


def _related(ordered: tuple[Statement, ...]) -> dict[str, tuple[RelatedLink, ...]]:
    by_id = {s.id: s for s in ordered}
    related: dict[str, list[RelatedLink]] = defaultdict(list)
    for statement in ordered:
        for relation in statement.related:
            target = by_id[relation.id]
            related[statement.id].append(RelatedLink(RELATION_LABELS[relation.relation], target))
            related[target.id].append(RelatedLink(INVERSE_RELATIONS[relation.relation], statement))
    return {k: tuple(v) for k, v in related.items()}


def _topic_children(vocabularies: Vocabularies) -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = defaultdict(list)
    for topic in vocabularies.topics.values():
        if topic.parent:
            children[topic.parent].append(topic.id)
    return {k: tuple(v) for k, v in children.items()}


def _series(ordered: tuple[Statement, ...]) -> dict[str, tuple[Statement, ...]]:
    """Each series' statements: by round where every one has a round, else by date."""
    members: dict[str, list[Statement]] = defaultdict(list)
    for statement in ordered:
        if statement.series:
            members[statement.series].append(statement)
    return {
        series: tuple(sorted(found, key=lambda s: (s.round or 0, s.sort_key)))
        if all(s.round for s in found)
        else tuple(found)
        for series, found in sorted(members.items())
    }


def similar_statements(
    ordered: tuple[Statement, ...],
    tagged: dict[tuple[HubKind, str], tuple[Statement, ...]],
    exclude: dict[str, set[str]],
) -> dict[str, tuple[Statement, ...]]:
    """For each statement, the SIMILAR_SHOWN others that share the most with it.

    `tagged` is the hubs' inverted index: tag → every statement tagged with it or issued by it,
    so a statement's tags are its statement-level countries, forums and topics, parties and
    issuing forum included. A shared tag scores SIMILAR_WEIGHTS[kind] * log(N / n), N the
    number of statements and n the number with that tag: the rarer a tag, the more sharing it
    says (a tag on every statement says nothing). Scores are counted in whole thousandths, so
    sums are exact whatever the order. Ties go to the newer statement, then by id (undated
    ones last). Statements in `exclude` (by id: its related statements) are left out.

    Not quadratic: candidates come from the statement's tags, rarest first, and at most
    SIMILAR_CANDIDATES of them are scored; a tag with more statements than there is room left
    for gives the ones nearest in date."""
    position = {s.id: i for i, s in enumerate(ordered)}
    total = len(ordered)
    keys = sorted(k for k, found in tagged.items() if found)  # a tag's number: its place here
    postings = [sorted(position[s.id] for s in tagged[key]) for key in keys]
    weight = [
        round(SIMILAR_WEIGHTS[key[0]] * math.log(total / len(found)) * 1000)
        for key, found in zip(keys, postings, strict=True)
    ]
    tags_of: list[set[int]] = [set() for _ in ordered]
    for tag, found in enumerate(postings):
        for i in found:
            tags_of[i].add(tag)
    newest_first = sorted(
        range(total),
        key=lambda i: (
            ordered[i].date is None,
            *(-p for p in _date_parts(ordered[i])),
            ordered[i].id,
        ),
    )
    recency = [0] * total
    for rank, i in enumerate(newest_first):
        recency[i] = rank

    similar: dict[str, tuple[Statement, ...]] = {}
    for i, statement in enumerate(ordered):
        own = tags_of[i]
        candidates: set[int] = set()
        for tag in sorted(own, key=lambda t: (len(postings[t]), t)):
            room = SIMILAR_CANDIDATES + 1 - len(candidates)  # + 1: the statement itself
            if room <= 0 or weight[tag] <= 0:
                break
            found = postings[tag]
            if len(found) > room:  # the `room` statements nearest in date
                start = min(max(0, bisect.bisect_left(found, i) - room // 2), len(found) - room)
                found = found[start : start + room]
            candidates.update(found)
        candidates.discard(i)
        candidates.difference_update(position[other] for other in exclude.get(statement.id, ()))
        scored = [(-sum([weight[t] for t in own & tags_of[c]]), recency[c], c) for c in candidates]
        best = heapq.nsmallest(SIMILAR_SHOWN, (entry for entry in scored if entry[0] < 0))
        if best:
            similar[statement.id] = tuple(ordered[c] for _, _, c in best)
    return similar


def _date_parts(statement: Statement) -> tuple[int, int, int]:
    date = statement.date
    return (date.year, date.month, date.day) if date else (0, 0, 0)
