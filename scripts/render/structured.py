"""What a page tells search engines, feed readers and link previews about itself (pure; strings).

Front-matter entries for the theme override (docs/overrides/main.html), which writes them into
the page's <head>, escaping each value there:
- `description`: the page's meta description (and Open Graph / Twitter card description), plain
  text: a statement's editorial summary, a hub's counts, the downloads page's contents;
- `og_type`: "article" for a statement page (Open Graph's default, "website", for the rest);
- `feed` and `feed_title`: a hub's own Atom feed, for autodiscovery beside the archive's feed;
- `lastmod`: the day the page last changed, for the sitemap (docs/overrides/sitemap.xml): a
  statement page's file's last commit; a page that lists statements, the latest of theirs;
- `jsonld`: schema.org data, as a mapping the override writes out with |tojson. A statement page
  is an `ArchiveComponent` (a kind of `CreativeWork`: an item held by an archive) that is part of
  the archive's `Collection`, issued by its parties and forum as organisations; `/data/` is a
  `Dataset` with a `DataDownload` per file.

Everything is written as YAML by the YAML library, never by joining strings, so no value can end
the front matter or add a key; and everything is plain text here: escaping for HTML is the
override's, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup

from scripts.render.citation import PUBLISHER, issuers, plain_summary
from scripts.render.html import YAML_DUMPER, external_url
from scripts.text import fold

if TYPE_CHECKING:
    from scripts.model import Statement
    from scripts.render.context import PageContext
    from scripts.site import SiteConfig

DESCRIPTION_CHARS = 160
"""Longest meta description: about what a results page shows before it cuts the text."""
_NO_WRAP = 1 << 30
"""A line width no value reaches: the YAML emitter keeps every value on one line."""
LICENSE_NOTE = (
    "Excerpts are quoted from their named sources; summaries and notes are the archive's own."
)


def trimmed(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Plain text on one line, cut at a word to at most `limit` characters, with an ellipsis
    when cut."""
    text = fold(" ".join(text.split()))
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"  # dashes, then an ellipsis


def front_matter(entries: dict[str, Any]) -> Markup:
    """Front-matter lines for `entries`, by the YAML library (block style, one value per line).
    Markup only so that autoescaping leaves the YAML as it is: it is not HTML."""
    text = yaml.dump(
        entries, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=_NO_WRAP
    )
    return Markup(text)


def _archive(site_url: str) -> dict[str, Any]:
    return {"@type": "Collection", "name": PUBLISHER, "url": site_url}


def statement_front_matter(statement: Statement, page: PageContext) -> Markup:
    """A statement page's description, Open Graph type and JSON-LD."""
    url = page.config.absolute(page.url)
    summary = plain_summary(statement.summary)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": url,
        "url": url,
        "name": fold(statement.title),
        "description": summary,
        "genre": page.kind(statement),
        "inLanguage": statement.language,
    }
    names = issuers(statement, page.vocabularies)
    authors = [{"@type": "Organization", "name": fold(name)} for name in names]
    if authors:
        data["author"] = authors
    if statement.date:
        data["dateCreated"] = statement.date.iso
    if statement.place:
        data["locationCreated"] = {"@type": "Place", "name": fold(statement.place)}
    keywords = [page.name("topic", t) for t in statement.all_topics]
    if keywords:
        data["keywords"] = keywords
    about = [{"@type": "Country", "name": page.name("country", c)} for c in statement.all_countries]
    if about:
        data["about"] = about
    data["isBasedOn"] = [external_url(source.url) for source in statement.sources]
    data["isPartOf"] = _archive(page.config.absolute(""))
    data["holdingArchive"] = {
        "@type": "ArchiveOrganization",
        "name": PUBLISHER,
        "url": page.config.absolute(""),
    }
    entries: dict[str, Any] = {"description": trimmed(summary), "og_type": "article"}
    modified = page.last_modified([statement])
    if modified:  # the sitemap's date of the page (docs/overrides/sitemap.xml)
        entries["lastmod"] = modified
    return front_matter({**entries, "jsonld": data})


def hub_front_matter(kind: str, name: str, feed: str, statements: int, sections: int) -> Markup:
    """A hub page's description and its own feed (a site path), for autodiscovery."""
    counts = f"{statements} statement{'s' if statements != 1 else ''}"
    if sections:
        counts += f" and {sections} section{'s' if sections != 1 else ''}"
    subject = {
        "country": "Country",
        "forum": "Forum",
        "topic": "Topic",
        "actor": "Actor",
        "series": "Series",
    }.get(kind, kind)
    description = trimmed(
        f"{subject}: {fold(name)}. In the {PUBLISHER}: {counts}, with their exact words and "
        "sources."
    )
    return front_matter(
        {
            "description": description,
            "feed": feed,
            "feed_title": trimmed(f"{PUBLISHER}: {fold(name)}", 200),
        }
    )


def dataset_front_matter(
    config: SiteConfig, statements: int, sections: int, files: list[tuple[str, str, str]]
) -> Markup:
    """The downloads page's description and its schema.org Dataset. `files` are (site path,
    media type, what it holds)."""
    site = config.absolute("")
    description = (
        f"The whole {PUBLISHER} as files: {statements} diplomatic statement"
        f"{'s' if statements != 1 else ''} and {sections} section{'s' if sections != 1 else ''},"
        " with their countries, forums, topics, verbatim excerpts, sources and editorial notes,"
        " as JSON and CSV, made from the archive's YAML files in the same build as its pages. "
        + LICENSE_NOTE
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": config.absolute("data/"),
        "url": config.absolute("data/"),
        "name": f"{PUBLISHER}: statements and sections",
        "description": description,
        "isAccessibleForFree": True,
        "inLanguage": "en",
        "creator": {"@type": "Organization", "name": PUBLISHER, "url": site},
        "isPartOf": {"@type": "WebSite", "name": PUBLISHER, "url": site},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": path.rsplit("/", 1)[-1],
                "description": holds,
                "encodingFormat": media_type,
                "contentUrl": config.absolute(path),
            }
            for path, media_type, holds in files
        ],
    }
    summary = (
        f"The whole {PUBLISHER} as JSON and CSV: {statements} statement"
        f"{'s' if statements != 1 else ''} and {sections} section{'s' if sections != 1 else ''},"
        " with their tags, excerpts and sources; the schema and the Atom feeds."
    )
    return front_matter({"description": trimmed(summary), "jsonld": data})
