"""What every template of the site gets: the archive, links relative to the page being
rendered, and the small pieces many pages show (a tag, a statement or a section in a list)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from scripts.history import History
from scripts.index import Hub, Index, SectionRef
from scripts.model import Excerpt, Section, Statement, Vocabularies
from scripts.render.feeds import entry_updated
from scripts.render.html import markdown_html, paragraph_label, relative_url
from scripts.render.structured import front_matter
from scripts.render.templating import environment
from scripts.site import HubKind, SiteConfig, statement_url

HUB_EXCERPT_CHARS = 1200
"""On a hub, a section's first excerpt is shown whole up to this length; a longer one is cut at
the last sentence end before it. Excerpts tagged with the hub's subject are always shown whole."""
ROLES: dict[str, tuple[str, str]] = {
    "guest": ("Guest", "Guests"),
    "observer": ("Observer", "Observers"),
    "host": ("Host", "Hosts"),
    "mediator": ("Mediator", "Mediators"),
    "participant": ("Participant", "Other participants"),
}
"""Each participant role, in the order a statement page lists them: (one, several)."""
ELLIPSIS = " […]"
_SENTENCE_END = re.compile(
    "[.!?][\"'\u201d\u2019\u00bb)\\]]*(?=\\s)|[.!?][\"'\u201d\u2019\u00bb)\\]]*$|[\u3002\uff01\uff1f]"
)
"""Where a sentence ends: . ! or ? (and any closing quote or bracket) before a space or the end;
a CJK full stop, exclamation or question mark anywhere."""


def cut_at_sentence(text: str, limit: int) -> str | None:
    """The longest start of `text` that ends a sentence within `limit` characters (the whole
    text if it fits); None when no sentence ends that early."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= limit]
    return text[: ends[-1]] if ends else None


def shown_paragraphs(paragraphs: list[str], limit: int) -> tuple[list[str], bool]:
    """The paragraphs a listing shows of an excerpt: all of them if they fit in `limit`
    characters, else the ones that fit and the next one to its last sentence end that fits (cut
    at a word only when not even one sentence does); whether anything was left out."""
    shown: list[str] = []
    used = 0
    for paragraph in paragraphs:
        if used + len(paragraph) <= limit:
            shown.append(paragraph)
            used += len(paragraph)
            continue
        part = cut_at_sentence(paragraph, limit - used)
        if part:
            shown.append(part)
        elif not shown:
            shown.append(paragraph[:limit].rsplit(" ", 1)[0])
        return shown, True
    return shown, False


def item_forums(statement: Statement, section: Section | None = None) -> tuple[str, ...]:
    """The forums a hub's "forum" control narrows an item by: a section's (its statement's own
    and issuing forum, its own and its excerpts'), or a whole statement's (every section's too)."""
    if section is not None:
        return statement.section_tags(section, "forum")
    return tuple(dict.fromkeys(statement.own_tags("forum") + statement.all_forums))


def modified_dates(statements: Iterable[Statement], history: History) -> dict[str, str]:
    """By statement id: the day its file last changed (YYYY-MM-DD, UTC), from git
    (scripts/history.py); without a history, the feeds' fallback (its own date, else its
    sources' latest); none for a statement that has none of these."""
    found = {}
    for statement in statements:
        dates = history.get(str(statement.path))
        when = dates.changed if dates else entry_updated(statement)
        if when is not None:
            found[statement.id] = when.date().isoformat()
    return found


class PageContext:
    """What every template gets: the archive, and links relative to the page being rendered."""

    def __init__(
        self,
        index: Index,
        vocabularies: Vocabularies,
        config: SiteConfig,
        url: str,
        modified: Mapping[str, str] | None = None,
    ):
        self.index = index
        self.vocabularies = vocabularies
        self.config = config
        self.url = url
        self.modified: Mapping[str, str] = modified or {}
        """By statement id: when its file last changed (`modified_dates`), for the sitemap."""
        self._tags: dict[tuple[HubKind, str, int | None], Markup] = {}
        """Tags made for this page: a hub page names the same few countries hundreds of times."""

    def link(self, to: str) -> str:
        return relative_url(self.url, to)

    def last_modified(self, statements: Iterable[Statement]) -> str | None:
        """The latest day one of `statements` changed (YYYY-MM-DD); None if none is known."""
        return max((self.modified[s.id] for s in statements if s.id in self.modified), default=None)

    def lastmod(self, statements: Iterable[Statement]) -> Markup:
        """A front-matter line `lastmod: "YYYY-MM-DD"` for a page that lists `statements`: the
        sitemap's date of the page (docs/overrides/sitemap.xml); nothing if none is known (the
        sitemap then gives the build date)."""
        when = self.last_modified(statements)
        return front_matter({"lastmod": when}) if when else Markup()

    def statement_link(self, statement: Statement, section: Section | None = None) -> str:
        return self.link(statement_url(statement.id, section.id if section else None))

    def name(self, kind: HubKind, tag: str) -> str:
        return self.vocabularies.name(kind, tag)

    def tag(self, kind: HubKind, tag: str, count: int | None = None) -> Markup:
        """A tag as a link to its hub (plain text if the archive has no hub for it)."""
        made = self._tags.get((kind, tag, count))
        if made is not None:
            return made
        label = escape(self.name(kind, tag) + (f" ({count})" if count is not None else ""))
        hub = self.index.hub(kind, tag)
        if hub is None:
            made = Markup(f'<span class="sa-tag sa-tag--{escape(kind)}">{label}</span>')
        else:
            href = escape(self.link(hub.url))
            made = Markup(f'<a class="sa-tag sa-tag--{escape(kind)}" href="{href}">{label}</a>')
        self._tags[kind, tag, count] = made
        return made

    def issuers(self, statement: Statement) -> Markup:
        parts = [self.tag("country", code) for code in statement.parties]
        if statement.issuing_forum:
            parts.append(self.tag("forum", statement.issuing_forum))
        return Markup(" ").join(parts)

    def issuer_names(self, statement: Statement) -> list[str]:
        names = [self.vocabularies.countries[code].name for code in statement.parties]
        if statement.issuing_forum:
            names.append(self.vocabularies.forums[statement.issuing_forum].name)
        return names

    def date(self, statement: Statement) -> str:
        return statement.date.display if statement.date else "Undated"

    def narrowing(self, statement: Statement, section: Section | None = None) -> Markup:
        """The data attributes a hub's controls (docs/assets/hubs.js) order and narrow a list
        item by: its statement's place in date order (undated last), forums and series."""
        rank = self.index.position[statement.id]
        return Markup(' data-rank="{}" data-dated="{}" data-forums="{}" data-series="{}"').format(
            rank,
            "1" if statement.date else "0",
            " ".join(item_forums(statement, section)),
            statement.series or "",
        )

    def via(self, topics: tuple[str, ...]) -> Markup:
        """On a broader topic's hub, the narrower topics that brought an item there."""
        if not topics:
            return Markup()
        return Markup('<span class="sa-item__via">through {}</span>').format(
            Markup(" ").join(self.tag("topic", t) for t in topics)
        )

    def statement_item(
        self,
        statement: Statement,
        *,
        light: bool = False,
        sections: bool = False,
        extra: str = "",
        hub: Hub | None = None,
    ) -> Markup:
        """A statement in a list: its title linked, then date, kind and issuers. `light` for the
        long lists of hubs and for similar statements: the issuers' names as text rather than
        links and no <time> element (each element costs the builder time, page after page).
        `sections`: its sections' headings too, linked (a forum's own statements on its hub).
        `extra`: plain text put first in the line of details (a round: "Round 3"). `hub`: the
        hub it is listed on, whose controls order and narrow it (and which narrower topics
        brought it, on a broader topic's hub)."""
        date = escape(self.date(statement))
        if statement.date and not light:
            date = Markup(f'<time datetime="{escape(statement.date.iso)}">{date}</time>')
        meta = [date, escape(self.kind(statement))]
        if extra:
            meta.insert(0, escape(extra))
        if statement.parties or statement.issuing_forum:
            meta.append(
                escape(", ".join(self.issuer_names(statement)))
                if light
                else self.issuers(statement)
            )
        data = Markup()
        if hub is not None:
            data = self.narrowing(statement)
            via = self.via(hub.via(statement))
            if via:
                meta.append(via)
        listed = ""
        if sections and statement.sections:
            links = Markup(" · ").join(
                Markup('<a href="{}">{}</a>').format(
                    self.statement_link(statement, section), section.heading
                )
                for section in statement.sections
            )
            listed = f'\n<span class="sa-item__sections">Sections: {links}</span>'
        return Markup(
            f'<li class="sa-item"{data}><a class="sa-item__title" href="'
            f'{escape(self.statement_link(statement))}">{escape(statement.title)}</a>\n'
            f'<span class="sa-item__meta">{" · ".join(meta)}</span>{listed}</li>\n'
        )

    def hub_link(self, kind: HubKind, tag: str) -> Markup:
        """A name as a plain link to its hub (not a tag: participants are not what a statement
        is about); plain text if the archive has no hub for it."""
        hub = self.index.hub(kind, tag)
        name = self.name(kind, tag)
        if hub is None:
            return escape(name)
        return Markup('<a href="{}">{}</a>').format(self.link(hub.url), name)

    def reach(self, ref: SectionRef, hub: Hub | None) -> Markup:
        """How a section came to be on a hub, in words: the statement is issued in the forum or
        tagged with the hub's subject as a whole, the section is tagged, or some passages are."""
        if ref.reach == "statement":
            if hub is not None and hub.kind == "forum" and ref.statement.issuing_forum == hub.id:
                return Markup("issued in this forum")
            return Markup("on the whole statement")
        if ref.reach == "section":
            return Markup("tagged on this section")
        excerpts = [ref.section.excerpts[i] for i in ref.tagged]
        labels = [e.paragraph for e in excerpts if e.paragraph]
        if excerpts and len(labels) == len(excerpts):
            return Markup(", ").join(paragraph_label(label) for label in labels) + " tagged"
        return Markup(
            "a passage tagged" if len(excerpts) == 1 else f"{len(excerpts)} passages tagged"
        )

    def excerpt_quote(self, statement: Statement, excerpt: Excerpt, *, whole: bool) -> Markup:
        """An excerpt in a hub's list, with the original's paragraph label: whole, or (`whole`
        False) up to HUB_EXCERPT_CHARS, cut at a sentence end with a visible ellipsis."""
        paragraphs, cut = (
            (excerpt.paragraphs, False)
            if whole
            else shown_paragraphs(excerpt.paragraphs, HUB_EXCERPT_CHARS)
        )
        if cut:
            paragraphs = [*paragraphs[:-1], paragraphs[-1] + ELLIPSIS]
        label = (
            Markup('<p class="sa-item__para">{}</p>').format(paragraph_label(excerpt.paragraph))
            if excerpt.paragraph
            else Markup()
        )
        body = Markup("").join(Markup("<p>{}</p>").format(p) for p in paragraphs)
        return Markup(
            '<div class="sa-item__excerpt">{}<blockquote class="sa-item__quote" lang="{}">{}'
            "</blockquote></div>"
        ).format(label, statement.language, body)

    def section_item(self, ref: SectionRef, hub: Hub | None = None) -> Markup:
        """A section in a hub's list: its heading linked to its anchor, its statement and date,
        how it came to be on the hub, its topics; then the excerpts tagged with the hub's
        subject, whole, or else its first excerpt (else its summary)."""
        statement, section = ref.statement, ref.section
        meta = Markup(" · ").join(
            [
                Markup('in <a href="{}">{}</a>').format(
                    self.statement_link(statement), statement.title
                ),
                escape(self.date(statement)),
                Markup('<span class="sa-item__reach">{}</span>').format(self.reach(ref, hub)),
                *([self.via(ref.via)] if ref.via else []),
            ]
        )
        data = self.narrowing(statement, section)
        head = Markup(
            '<li class="sa-item"{}><a class="sa-item__title" href="{}">{}</a>\n'
            '<span class="sa-item__meta">{}</span>\n'
        ).format(data, self.statement_link(statement, section), section.heading, meta)
        topics = [
            t for t in section.tags("topic") if hub is None or (hub.kind, hub.id) != ("topic", t)
        ]
        if topics:
            label = "Topics:" if len(topics) > 1 else "Topic:"
            head += Markup(
                '<p class="sa-tags sa-item__tags"><span class="sa-visually-hidden">{} </span>{}'
                "</p>\n"
            ).format(label, Markup(" ").join(self.tag("topic", t) for t in topics))
        if ref.reach == "excerpt" and ref.tagged:
            body = Markup("").join(
                self.excerpt_quote(statement, section.excerpts[i], whole=True) for i in ref.tagged
            )
        elif section.excerpts:
            body = self.excerpt_quote(statement, section.excerpts[0], whole=False)
        elif section.summary:
            body = Markup(
                '<div class="sa-item__summary"><span class="sa-label">Summary</span> {}</div>'
            ).format(markdown_html(section.summary))
        else:
            body = Markup()
        return head + body + Markup("</li>\n")

    def kind(self, statement: Statement) -> str:
        return self.vocabularies.kinds[statement.kind].name

    def source(self, statement: Statement, source_id: str) -> Any:
        return next(s for s in statement.sources if s.id == source_id)


def render_template(template: str, page: PageContext, **context: Any) -> str:
    return environment().get_template(template).render(page=page, **context)
