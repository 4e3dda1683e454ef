"""Hub pages (a country, forum, topic or actor: what the archive holds on it, linked down to
sections) and the index page of each kind of hub.

Each section is listed once, oldest first, whatever the number of the hub's subjects it names
(no grouping by topic: a section on three topics would stand in three groups, or, grouped by
its first topic only, be missing from the other two); its topics are shown on it instead, with
how it came to be on the hub (the whole statement, the section, or some passages tagged)."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.index import Hub, SectionRef
from scripts.model import Participant, Statement
from scripts.render.context import ROLES, PageContext, item_forums, render_template
from scripts.render.feeds import series_of
from scripts.render.paging import HUB_LATEST, HubPart
from scripts.site import HubKind


@dataclass(frozen=True)
class HubListing:
    """What one page of a hub lists: the whole hub, the overview of a split hub (its newest
    items), or one year page of it."""

    sections: tuple[SectionRef, ...]
    statements: tuple[Statement, ...]
    issued: tuple[Statement, ...]
    split: bool
    """The overview of a hub split into year pages."""
    participated: tuple[tuple[Statement, Participant], ...] = ()


def _whole(hub: Hub) -> HubListing:
    return HubListing(hub.sections, hub.statements, hub.issued, False, hub.participated)


def _overview(hub: Hub) -> HubListing:
    return HubListing(
        hub.sections[-HUB_LATEST:],
        hub.statements[:HUB_LATEST],
        hub.issued[:HUB_LATEST],
        True,
        hub.participated[:HUB_LATEST],
    )


def _year_page(part: HubPart) -> HubListing:
    # A year page lists each statement once: the ones issued by it and the ones with a section
    # above are not listed again among the statements that concern it.
    listed = {s.id for s in part.issued} | {ref.statement.id for ref in part.sections}
    statements = tuple(s for s in part.statements if s.id not in listed)
    return HubListing(part.sections, statements, part.issued, False, part.participated)


def narrow_choices(
    page: PageContext,
    statements: list[Statement],
    sections: tuple[SectionRef, ...] = (),
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The forums and series a page's lists can be narrowed to, (id, name) by name: those its
    items name, less any that every item names (a forum's own hub: narrowing to it would
    change nothing)."""
    items = [(s, set(item_forums(s)), s.series) for s in statements] + [
        (r.statement, set(item_forums(r.statement, r.section)), r.statement.series)
        for r in sections
    ]
    if not items:
        return [], []
    forums = set().union(*(found for _, found, _ in items))
    shared = set(items[0][1])
    for _, found, _ in items:
        shared &= found
    forums -= shared
    series = {found for _, _, found in items if found}
    if all(found for _, _, found in items) and len(series) == 1:
        series = set()
    vocabularies = page.vocabularies
    forum_pairs = [(f, vocabularies.name("forum", f)) for f in forums]
    series_pairs = [(i, series_of(i, vocabularies).name) for i in series]
    return _by_name(forum_pairs), _by_name(series_pairs)


def _by_name(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))


def roles_in_words(participated: tuple[tuple[Statement, Participant], ...]) -> str:
    """The roles a hub's subject took part in, for a heading: "guest", "guest or observer"."""
    roles = [r for r in ROLES if any(p.role == r for _, p in participated)]
    words = [ROLES[r][0].lower() for r in roles]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def render_hub(
    hub: Hub, page: PageContext, parts: list[HubPart], part: HubPart | None = None
) -> str:
    """A country, forum, topic or actor hub: what the archive holds on it, linked down to sections.

    `parts` are the hub's year pages when it is too big for one page; then the overview shows
    the newest items and every year, and `part` renders one year page."""
    listing = _year_page(part) if part is not None else _overview(hub) if parts else _whole(hub)
    vocabularies = page.vocabularies
    whole_hub = part is None
    forum_choices, series_choices = narrow_choices(
        page,
        [*listing.issued, *listing.statements, *(s for s, _ in listing.participated)],
        listing.sections,
    )
    return render_template(
        "hub.md.j2",
        page,
        hub=hub,
        title=f"{hub.name}: {part.label}" if part else hub.name,
        part=part,
        parts=parts,
        split=listing.split,
        sections=listing.sections,
        statements=listing.statements,
        issued=listing.issued,
        participated=listing.participated,
        roles=roles_in_words(hub.participated) if hub.participated else "",
        forum_choices=forum_choices,
        series_choices=series_choices,
        # What the page lists, for its date in the sitemap.
        listed=[
            *listing.issued,
            *listing.statements,
            *(ref.statement for ref in listing.sections),
            *(s for s, _ in listing.participated),
        ],
        forum=vocabularies.forums.get(hub.id) if hub.kind == "forum" else None,
        actor=vocabularies.actors.get(hub.id) if hub.kind == "actor" else None,
        topic=vocabularies.topics.get(hub.id) if hub.kind == "topic" else None,
        children=page.index.topic_children.get(hub.id, ()) if hub.kind == "topic" else (),
        forums_of_country=(
            [forum for forum in vocabularies.forums.values() if hub.id in forum.members]
            if hub.kind == "country" and whole_hub
            else []
        ),
        co_countries=page.index.co_occurring(hub, "country") if whole_hub else [],
        co_topics=(
            page.index.co_occurring(hub, "topic") if hub.kind != "topic" and whole_hub else []
        ),
    )


def render_hub_list(kind: HubKind, page: PageContext) -> str:
    """The index page of one kind of hub, with counts (topics as a tree)."""
    hubs = page.index.hubs_of(kind)
    tree: list[tuple[int, str, Hub | None]] = []
    if kind == "topic":
        present = {h.id: h for h in hubs}

        def walk(topic_id: str, depth: int) -> bool:
            """Add the topic and its subtree if any of it has a hub; say whether it did."""
            at = len(tree)
            tree.append((depth, topic_id, present.get(topic_id)))
            found = topic_id in present
            for child in sorted(page.index.topic_children.get(topic_id, ()), key=_topic_name):
                found = walk(child, depth + 1) or found
            if not found:
                del tree[at:]
            return found

        def _topic_name(topic_id: str) -> str:
            return page.name("topic", topic_id)

        roots = [t.id for t in page.vocabularies.topics.values() if not t.parent]
        for root in sorted(roots, key=_topic_name):
            walk(root, 0)
    listed = {s.id: s for hub in hubs for s in (*hub.statements, *(s for s, _ in hub.participated))}
    return render_template(
        "hub_list.md.j2", page, kind=kind, hubs=hubs, tree=tree, listed=listed.values()
    )
