"""What every template of the site gets: the archive, links relative to the page being
rendered, and the small pieces many pages show (a tag, a statement or a section in a list)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from scripts.index import Index, SectionRef
from scripts.model import Section, Statement, Vocabularies
from scripts.render.html import markdown_html, relative_url
from scripts.render.templating import environment
from scripts.site import HubKind, SiteConfig, statement_url
from scripts.text import fold

SNIPPET_CHARS = 420


def snippet(text: str) -> str:
    """The start of an excerpt for a listing, cut at a word, with a visible ellipsis if cut."""
    text = fold(text)
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " […]"


class PageContext:
    """What every template gets: the archive, and links relative to the page being rendered."""

    def __init__(self, index: Index, vocabularies: Vocabularies, config: SiteConfig, url: str):
        self.index = index
        self.vocabularies = vocabularies
        self.config = config
        self.url = url
        self._tags: dict[tuple[HubKind, str, int | None], Markup] = {}
        """Tags made for this page: a hub page names the same few countries hundreds of times."""

    def link(self, to: str) -> str:
        return relative_url(self.url, to)

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

    def statement_item(self, statement: Statement, *, light: bool = False) -> Markup:
        """A statement in a list: its title linked, then date, kind and issuers. `light` for the
        long lists of hubs and for similar statements: the issuers' names as text rather than
        links and no <time> element (each element costs the builder time, page after page)."""
        date = escape(self.date(statement))
        if statement.date and not light:
            date = Markup(f'<time datetime="{escape(statement.date.iso)}">{date}</time>')
        meta = [date, escape(self.kind(statement))]
        if statement.parties or statement.issuing_forum:
            meta.append(
                escape(", ".join(self.issuer_names(statement)))
                if light
                else self.issuers(statement)
            )
        return Markup(
            f'<li class="sa-item"><a class="sa-item__title" href="'
            f'{escape(self.statement_link(statement))}">{escape(statement.title)}</a>\n'
            f'<span class="sa-item__meta">{" · ".join(meta)}</span></li>\n'
        )

    def section_item(self, ref: SectionRef) -> Markup:
        """A section in a hub's list: its heading linked to its anchor, its statement and date,
        and the start of its first excerpt (else its summary)."""
        statement, section = ref.statement, ref.section
        head = (
            f'<li class="sa-item"><a class="sa-item__title" href="'
            f'{escape(self.statement_link(statement, section))}">{escape(section.heading)}</a>\n'
            f'<span class="sa-item__meta">in <a href="{escape(self.statement_link(statement))}">'
            f"{escape(statement.title)}</a> · {escape(self.date(statement))}</span>\n"
        )
        text = self.snippet(ref)
        if text:
            body = (
                f'<blockquote class="sa-item__quote" lang="{escape(statement.language)}">'
                f"{escape(text)}</blockquote>"
            )
        elif section.summary:
            body = (
                '<div class="sa-item__summary"><span class="sa-label">Summary</span> '
                f"{markdown_html(section.summary)}</div>"
            )
        else:
            body = ""
        return Markup(f"{head}{body}</li>\n")

    def kind(self, statement: Statement) -> str:
        return self.vocabularies.kinds[statement.kind].name

    def source(self, statement: Statement, source_id: str) -> Any:
        return next(s for s in statement.sources if s.id == source_id)

    def snippet(self, ref: SectionRef) -> str | None:
        for excerpt in ref.section.excerpts:
            return snippet(excerpt.text)
        return None


def render_template(template: str, page: PageContext, **context: Any) -> str:
    return environment().get_template(template).render(page=page, **context)
