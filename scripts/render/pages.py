"""Render stage: the model and its index → the Markdown pages of the site (pure; returns strings).

Each page is keyed by its path under docs/ (`statements/<id>.md`, `countries/af/index.md` …); the
site path a reader sees follows from it (`statements/<id>/`, `countries/af/`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from scripts.index import HUB_FOLDERS, Hub, HubKind, Index, SectionRef
from scripts.model import MONTHS, Section, Statement, Vocabularies
from scripts.render.html import environment, mark_quotes, quote_spans, relative_url
from scripts.text import fold

GENERATED_FOLDERS = ("statements", "countries", "forums", "topics", "timeline")
"""Folders under docs/ that belong to the generator (git-ignored); plus docs/index.md."""
LATEST_ON_HOME = 10
SNIPPET_CHARS = 420


@dataclass(frozen=True)
class SiteConfig:
    """Settings that are not data: where the repository lives, for edit links."""

    repo_url: str
    edit_branch: str

    def edit_url(self, statement: Statement) -> str:
        """Where a contributor edits the statement's YAML file."""
        return f"{self.repo_url.rstrip('/')}/edit/{self.edit_branch}/{statement.path}"


def statement_url(statement: Statement, section: str | None = None) -> str:
    """Site path of a statement page, or of one of its sections."""
    return f"statements/{statement.id}/" + (f"#{section}" if section else "")


def page_url(doc_path: str) -> str:
    """Site path of a docs/ file: statements/x.md → statements/x/, topics/index.md → topics/."""
    stem = doc_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def snippet(text: str) -> str:
    """The start of an excerpt for a listing, cut at a word, with a visible ellipsis if cut."""
    text = fold(text)
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " […]"


class _Page:
    """What every template gets: the archive, and links relative to the page being rendered."""

    def __init__(self, index: Index, vocabularies: Vocabularies, config: SiteConfig, url: str):
        self.index = index
        self.vocabularies = vocabularies
        self.config = config
        self.url = url

    def link(self, to: str) -> str:
        return relative_url(self.url, to)

    def statement_link(self, statement: Statement, section: Section | None = None) -> str:
        return self.link(statement_url(statement, section.id if section else None))

    def name(self, kind: HubKind, tag: str) -> str:
        if kind == "country":
            return self.vocabularies.countries[tag].name
        if kind == "forum":
            return self.vocabularies.forums[tag].name
        return self.vocabularies.topics[tag].name

    def tag(self, kind: HubKind, tag: str, count: int | None = None) -> Markup:
        """A tag as a link to its hub (plain text if the archive has no hub for it)."""
        label = self.name(kind, tag) + (f" ({count})" if count is not None else "")
        hub = self.index.hub(kind, tag)
        if hub is None:
            return Markup('<span class="sa-tag sa-tag--{}">{}</span>').format(kind, label)
        return Markup('<a class="sa-tag sa-tag--{}" href="{}">{}</a>').format(
            kind, self.link(hub.url), label
        )

    def issuers(self, statement: Statement) -> Markup:
        parts = [self.tag("country", code) for code in statement.parties]
        if statement.issuing_forum:
            parts.append(self.tag("forum", statement.issuing_forum))
        return Markup(" ").join(parts)

    def date(self, statement: Statement) -> str:
        return statement.date.display if statement.date else "Undated"

    def kind(self, statement: Statement) -> str:
        return self.vocabularies.kinds[statement.kind].name

    def source(self, statement: Statement, source_id: str) -> Any:
        return next(s for s in statement.sources if s.id == source_id)

    def snippet(self, ref: SectionRef) -> str | None:
        for excerpt in ref.section.excerpts:
            return snippet(excerpt.text)
        return None


def _render(template: str, page: _Page, **context: Any) -> str:
    return environment().get_template(template).render(page=page, **context)


def _notes(section: Section) -> dict[tuple[int, int], list[tuple[str, str, int]]]:
    """Where each annotation's quote is marked: (excerpt, paragraph) → [(quote, note anchor,
    note number)]. A quote goes to the first paragraph where it overlaps no quote marked before
    it; one that overlaps another wherever it occurs is not marked at all."""
    placed: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
    spots = [
        ((e, p), paragraph)
        for e, excerpt in enumerate(section.excerpts)
        for p, paragraph in enumerate(excerpt.paragraphs)
    ]
    for number, annotation in enumerate(section.annotations, 1):
        for spot, paragraph in spots:
            quotes = [quote for quote, _, _ in placed[spot]] + [annotation.quote]
            if quote_spans(paragraph, quotes)[-1] is not None:
                placed[spot].append((annotation.quote, f"{section.id}--note{number}", number))
                break
    return placed


def render_statement(statement: Statement, page: _Page) -> str:
    """The statement page: metadata, summary, sections with excerpts and notes, sources."""
    sections = []
    for section in statement.sections:
        placed = _notes(section)
        marked = {number for marks in placed.values() for _, _, number in marks}
        number = 0
        excerpts = []
        for e, excerpt in enumerate(section.excerpts):
            paragraphs = []
            for p, paragraph in enumerate(excerpt.paragraphs):
                number += 1
                paragraphs.append(
                    (f"{section.id}--p{number}", mark_quotes(paragraph, placed.get((e, p), [])))
                )
            excerpts.append((excerpt, paragraphs))
        notes = [
            (annotation, f"{section.id}--note{n}", n in marked)
            for n, annotation in enumerate(section.annotations, 1)
        ]
        sections.append((section, excerpts, notes))
    return _render(
        "statement.md.j2",
        page,
        statement=statement,
        sections=sections,
        related=page.index.related.get(statement.id, ()),
        edit_url=page.config.edit_url(statement),
    )


def _topic_groups(hub: Hub, page: _Page) -> list[tuple[str, str, list[SectionRef]]]:
    """A hub's sections grouped by topic (biggest group first): (anchor, title, sections)."""
    groups: dict[str, list[SectionRef]] = defaultdict(list)
    for ref in hub.sections:
        for topic in ref.section.topics or ("",):
            groups[topic].append(ref)
    ordered = sorted(groups.items(), key=lambda g: (g[0] == "", -len(g[1]), g[0]))
    return [
        (
            f"topic--{topic or 'none'}",
            page.name("topic", topic) if topic else "Not tagged with a topic",
            refs,
        )
        for topic, refs in ordered
    ]


def render_hub(hub: Hub, page: _Page) -> str:
    """A country, forum or topic hub: what the archive holds on it, linked down to sections."""
    forums_of_country = (
        [forum for forum in page.vocabularies.forums.values() if hub.id in forum.members]
        if hub.kind == "country"
        else []
    )
    return _render(
        "hub.md.j2",
        page,
        hub=hub,
        title=hub.name,
        forum=page.vocabularies.forums.get(hub.id) if hub.kind == "forum" else None,
        topic=page.vocabularies.topics.get(hub.id) if hub.kind == "topic" else None,
        children=page.index.topic_children.get(hub.id, ()) if hub.kind == "topic" else (),
        groups=_topic_groups(hub, page) if hub.kind != "topic" else [],
        forums_of_country=forums_of_country,
        co_countries=page.index.co_occurring(hub, "country"),
        co_topics=page.index.co_occurring(hub, "topic") if hub.kind != "topic" else [],
    )


def render_hub_list(kind: HubKind, page: _Page) -> str:
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
    return _render("hub_list.md.j2", page, kind=kind, hubs=hubs, tree=tree)


def render_timeline(page: _Page) -> str:
    """Statements by year and month, newest first; undated statements at the end."""
    years: dict[int, dict[int, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    undated = []
    for statement in reversed(page.index.statements):
        if statement.date:
            years[statement.date.year][statement.date.month].append(statement)
        else:
            undated.append(statement)
    timeline = [
        (
            year,
            [
                (month, MONTHS[month - 1] if month else "Month not known", items)
                for month, items in sorted(months.items(), reverse=True)
            ],
        )
        for year, months in sorted(years.items(), reverse=True)
    ]
    return _render(
        "timeline.md.j2", page, timeline=timeline, undated=sorted(undated, key=lambda s: s.id)
    )


def render_home(page: _Page) -> str:
    """The home page: what the archive is, counts, latest statements, ways in."""
    statements = page.index.statements
    dated = [s for s in statements if s.date]
    return _render(
        "home.md.j2",
        page,
        latest=list(reversed(dated))[:LATEST_ON_HOME],
        counts={
            "statements": len(statements),
            "sections": sum(len(s.sections) for s in statements),
            "countries": len(page.index.hubs_of("country")),
            "forums": len(page.index.hubs_of("forum")),
            "topics": len(page.index.hubs_of("topic")),
        },
    )


def render_site(index: Index, vocabularies: Vocabularies, config: SiteConfig) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/."""
    pages: dict[str, str] = {}

    def page(doc_path: str) -> _Page:
        return _Page(index, vocabularies, config, page_url(doc_path))

    for statement in index.statements:
        path = f"statements/{statement.id}.md"
        pages[path] = render_statement(statement, page(path))
    for (kind, hub_id), hub in index.hubs.items():
        path = f"{HUB_FOLDERS[kind]}/{hub_id.lower()}/index.md"
        pages[path] = render_hub(hub, page(path))
    for kind, folder in HUB_FOLDERS.items():
        path = f"{folder}/index.md"
        pages[path] = render_hub_list(kind, page(path))
    pages["timeline/index.md"] = render_timeline(page("timeline/index.md"))
    pages["index.md"] = render_home(page("index.md"))
    return pages
