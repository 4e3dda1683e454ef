"""Citations of a statement page (pure; strings): meta tags, plain text, BibTeX, CSL-JSON.

Who the author is. A statement has no personal author: it is issued by states (`parties`) and/or
in a forum (`issuing_forum`). Those are its authors here, as institutional authors, in the order
the page's "Issued by" line shows them: the parties as the data lists them, then the forum. A
statement with neither has no author (the citation starts with its title).

Meta tags (in the page's <head>, through the theme override docs/overrides/main.html), the
Highwire Press tags that Google Scholar's inclusion guidelines ask for and that Zotero's
"Embedded Metadata" translator reads:
- citation_title;
- citation_author, one per issuer, each written as an inverted name with nothing after its
  comma: "United States,". There is no Highwire tag for an institutional author, and Zotero
  reads a citation_author as a person's name: without a comma it splits the name at its last
  space ("United States" → first name "United", last name "States", which APA then prints as
  "States, U."); with a comma it takes what comes before the comma as the last name and what
  follows as the first name, after trimming punctuation from both ends of the whole. "United
  States," has no first name left, and a creator with no first name is stored as a one-field
  (institutional) name: "United States", whole. Scholar reads the same tag as "last name United
  States". A name that itself holds a comma or a semicolon cannot come through whole (Zotero
  cuts at either): of the archive's display names, only four ISO names of territories do
  ("Virgin Islands, British" …; tests/test_citation.py lists them, and data/countries.yml can
  rename one should it ever issue a statement);
- citation_publication_date in the form Scholar accepts: 2026/5/21 for a full date, the year
  alone otherwise (2026-05 → 2026); citation_date with the date as known, ISO 8601 (2026-05),
  which Zotero reads after the former, so it keeps the month; no date tags for an undated one;
- citation_publisher (the archive's name), citation_language (the statement's BCP 47 tag),
  citation_public_url and citation_abstract_html_url (the page), citation_abstract (the
  editorial summary as plain text: Zotero would otherwise take the site's description);
- eprints.event_location, the place (if known): Highwire and Dublin Core have no tag for it
  (DC.coverage is what a work is about, and Zotero files it as an archive location), and Zotero
  takes the EPrints repositories' tag as the item's place;
- DC.type "document": without a type, Zotero guesses "journal article" from citation_title.

Plain text, the archive's house style (Chicago-like, British punctuation):

    China and Russia. “Joint statement of …”. Joint statement, Beijing, May 2026. Statement
    Archive, https://…/statements/2026-05-cn-ru-joint-statement/.

issuers joined with commas and a final "and" (more than ten: the first seven, then "et al."),
the title in double quotes, then for a statement of a series the series and its round in
brackets ("(Fictional Harbour Consultations, round 3)"), then kind, place (if known) and date as
the page shows it ("n.d." when undated), then the archive and the page's address. A section's
citation adds `, section “Heading”` after the title and the section's #anchor to the address.
There is no access date: two builds of the same data give the same pages.

BibTeX: one @misc entry keyed by the statement id (ids are slugs, valid keys). Issuers are
braced names, the title is double-braced so styles keep its case; year and month for BibTeX,
date (ISO, partial allowed) and url for biblatex; the place as `address` (BibTeX) and `location`
(biblatex), and in `note` with the kind, which every style prints (plain BibTeX styles print no
address for @misc). A statement of a series has the series' name as `series` and its round as
`number`, where both BibTeX and biblatex put a work's place in a series, and the round in `note`.

CSL-JSON: a one-item array, type "document", institutional authors as {"literal": name},
`issued` with only the date parts known, the place as both `publisher-place`
(what Chicago, Harvard and most styles print) and `event-place` (what APA prints beside an
event), as Zotero itself maps a place. APA 7 and MLA 9 print no place of publication at all.
A series is `collection-title`, its round `collection-number` (CSL's variables for a series and
the number within it).

What is cited is always the statement, under its own title: never one of its sources. A source
whose title the archive supplied (`title_supplied`, the source shows none) is not named in any
citation, so no made-up title passes for a source's own.

An undated statement: BibTeX has no date fields (biblatex styles then print their own "n.d.").
CSL-JSON gets `issued: {"literal": "n.d."}`, the house style's words, rather than no `issued`:
APA's style treats an item with a URL and neither `issued` nor `status` as a web page that
changes over time and prints "Retrieved <accessed>, from <URL>" (or a bare "Retrieved <URL>"
where the processor keeps the words without the date). An access date would be untrue of an
archived page, and a build date would break reproducible builds; the statement is not "in
press" either (`status`). A literal date is what CSL has for a date that is not a date: styles
print it where the date goes ("(n.d.)" in APA, as the plain text says it), and no style takes
the item for a changing page.

A section's citations are the statement's, narrowed to the section: the plain text as above;
BibTeX keyed `<statement id>--<section id>` (ids never hold "--"), the section in the title
as in the plain text; CSL-JSON with the same id, the section heading as `title` and the
statement's title as `container-title` ("Afghanistan. In Joint statement of …"). Both point to
the section's #anchor.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import nh3
import yaml
from markupsafe import Markup

from scripts.model import PartialDate, Section, Statement, Vocabularies
from scripts.render.html import YAML_DUMPER, markdown_html
from scripts.text import fold

PUBLISHER = "Statement Archive"
"""The archive's name, as mkdocs.yml's site_name (tests/test_citation.py checks they agree)."""
MAX_NAMED = 10
"""Most issuers named in a plain-text citation; with more, the first `ET_AL_AFTER`, "et al."."""
ET_AL_AFTER = 7
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NO_WRAP = 1 << 30
"""A line width no value reaches: the YAML emitter keeps every value on one line."""

# BibTeX needs its own escaping, and neither kept library does all of it: pybtex's writer
# (latexcodec) leaves \ { } $ ^ as they are and refuses unbalanced braces; pylatexenc writes
# `\{`, which BibTeX still counts as a brace when it reads the file, and turns Cyrillic into
# T2A font macros. So: UTF-8 is kept as it is (biber and LaTeX read it), and the characters
# that mean something to BibTeX or LaTeX become text macros whose braces always balance.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


UNDATED = "n.d."
"""What stands for the date of an undated statement, in the plain text and in CSL-JSON."""
SECTION_KEY = "{statement}--{section}"
"""The BibTeX key and CSL id of a section's citation."""


@dataclass(frozen=True)
class SectionCitation:
    """What a section shows to cite it."""

    text: str
    """Plain text, house style."""
    bibtex: str
    csl_json: str


@dataclass(frozen=True)
class Citation:
    """Everything a statement page shows or carries to cite it."""

    text: str
    """Plain text, house style."""
    bibtex: str
    csl_json: str
    meta_tags: tuple[tuple[str, str], ...]
    """(name, content) pairs for <meta> tags, content as plain text (escaped by the theme)."""
    sections: dict[str, SectionCitation]
    """By section id: the section's citations."""

    @property
    def front_matter(self) -> Markup:
        """The `meta_tags:` entry of the page's front matter (YAML, see `meta_tags_yaml`)."""
        return meta_tags_yaml(self.meta_tags)


def issuers(statement: Statement, vocabularies: Vocabularies) -> list[str]:
    """The statement's authors: its parties' names, then its forum's."""
    names = [vocabularies.countries[code].name for code in statement.parties]
    if statement.issuing_forum:
        names.append(vocabularies.forums[statement.issuing_forum].name)
    return names


def scholar_date(date: PartialDate) -> str:
    """citation_publication_date as Google Scholar reads it: 2026/5/21, or the year alone."""
    if date.month and date.day:
        return f"{date.year}/{date.month}/{date.day}"
    return str(date.year)


def plain_summary(markdown: str) -> str:
    """Editorial Markdown as one line of plain text (sanitised first, then tags dropped)."""
    return fold(html.unescape(nh3.clean(str(markdown_html(markdown)), tags=set())))


def name_list(names: list[str]) -> str:
    """A, B and C; more than MAX_NAMED names: the first ET_AL_AFTER, then "et al."."""
    if len(names) > MAX_NAMED:
        return ", ".join(names[:ET_AL_AFTER]) + " et al."
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def plain_text(
    statement: Statement,
    vocabularies: Vocabularies,
    url: str,
    section: Section | None = None,
) -> str:
    """The house-style citation of the statement at `url`, or of one section of it (the
    address then ends in the section's #anchor)."""
    parts = []
    names = issuers(statement, vocabularies)
    if names:
        parts.append(_sentence(name_list([fold(n) for n in names])))
    title = f"“{fold(statement.title)}”"
    if section is not None:
        title += f", section “{fold(section.heading)}”"
    series = _series_name(statement, vocabularies)
    if series:
        round_number = f", round {statement.round}" if statement.round else ""
        title += f" ({fold(series)}{round_number})"
    parts.append(title + ".")
    details = [vocabularies.kinds[statement.kind].name]
    if statement.place:
        details.append(fold(statement.place))
    details.append(statement.date.display if statement.date else UNDATED)
    parts.append(_sentence(", ".join(details)))
    parts.append(f"{PUBLISHER}, {url}{f'#{section.id}' if section else ''}.")
    return " ".join(parts)


def bibtex_escape(text: str) -> str:
    """Text for a braced BibTeX field: special characters as macros, white space folded."""
    return "".join(_BIBTEX_ESCAPES.get(c, c) for c in fold(text))


def _series_name(statement: Statement, vocabularies: Vocabularies) -> str | None:
    """The name of the statement's series (a recurring meeting), if it belongs to one."""
    if not statement.series:
        return None
    found = vocabularies.series.get(statement.series)
    return found.name if found else statement.series


def bibtex(
    statement: Statement, vocabularies: Vocabularies, url: str, section: Section | None = None
) -> str:
    """One @misc entry, keyed by the statement id; for a section, by SECTION_KEY."""
    fields: list[tuple[str, str]] = []
    names = issuers(statement, vocabularies)
    if names:
        fields.append(("author", " and ".join(f"{{{bibtex_escape(n)}}}" for n in names)))
    title = bibtex_escape(statement.title)
    if section is not None:
        title += f", section “{bibtex_escape(section.heading)}”"
    fields.append(("title", f"{{{title}}}"))
    fields.append(("howpublished", bibtex_escape(PUBLISHER)))
    if statement.date:
        fields.append(("year", str(statement.date.year)))
        if statement.date.month:
            fields.append(("month", BIBTEX_MONTHS[statement.date.month - 1]))
        fields.append(("date", statement.date.iso))
    note = [vocabularies.kinds[statement.kind].name]
    if statement.place:
        note.append(statement.place)
        fields.append(("address", bibtex_escape(statement.place)))
        fields.append(("location", bibtex_escape(statement.place)))
    series = _series_name(statement, vocabularies)
    if series:
        fields.append(("series", bibtex_escape(series)))
        if statement.round:
            fields.append(("number", str(statement.round)))
            note.append(f"round {statement.round}")
    fields.append(("note", bibtex_escape(", ".join(note))))
    fields.append(("url", _address(url, section)))
    lines = [
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    ]
    return f"@misc{{{_key(statement, section)},\n" + ",\n".join(lines) + "\n}"


def _key(statement: Statement, section: Section | None) -> str:
    if section is None:
        return statement.id
    return SECTION_KEY.format(statement=statement.id, section=section.id)


def _address(url: str, section: Section | None) -> str:
    return f"{url}#{section.id}" if section else url


def csl_item(
    statement: Statement, vocabularies: Vocabularies, url: str, section: Section | None = None
) -> dict[str, object]:
    """The statement, or one section of it, as a CSL-JSON item."""
    item: dict[str, object] = {"id": _key(statement, section), "type": "document"}
    if section is None:
        item["title"] = statement.title
    else:
        item["title"] = section.heading
        item["container-title"] = statement.title
    names = issuers(statement, vocabularies)
    if names:
        item["author"] = [{"literal": name} for name in names]
    if statement.date:
        parts = [statement.date.year, statement.date.month, statement.date.day]
        item["issued"] = {"date-parts": [[p for p in parts if p]]}
    else:  # not left out: see the module's docstring ("An undated statement")
        item["issued"] = {"literal": UNDATED}
    item["genre"] = vocabularies.kinds[statement.kind].name
    series = _series_name(statement, vocabularies)
    if series:
        item["collection-title"] = series
        if statement.round:
            item["collection-number"] = str(statement.round)
    if statement.place:
        item["publisher-place"] = statement.place
        item["event-place"] = statement.place
    item["publisher"] = PUBLISHER
    item["language"] = statement.language
    item["URL"] = _address(url, section)
    return item


def csl_json(
    statement: Statement, vocabularies: Vocabularies, url: str, section: Section | None = None
) -> str:
    """A CSL-JSON file of one item (an array, as citeproc, Pandoc and Zotero read it), on one
    line: indented, it was two fifths of a page's citations, in every section of every page, and
    what reads it is a program (the page wraps the line)."""
    item = csl_item(statement, vocabularies, url, section)
    return json.dumps([item], ensure_ascii=False, separators=(", ", ": "))


def meta_tags(
    statement: Statement, vocabularies: Vocabularies, url: str
) -> tuple[tuple[str, str], ...]:
    """The page's citation <meta> tags as (name, content), content as plain text."""
    tags = [("citation_title", fold(statement.title))]
    tags += [("citation_author", institution(name)) for name in issuers(statement, vocabularies)]
    if statement.date:
        tags.append(("citation_publication_date", scholar_date(statement.date)))
        tags.append(("citation_date", statement.date.iso))
    tags += [
        ("citation_publisher", PUBLISHER),
        ("citation_language", statement.language),
        ("citation_public_url", url),
        ("citation_abstract_html_url", url),
        ("citation_abstract", plain_summary(statement.summary)),
    ]
    if statement.place:
        tags.append(("eprints.event_location", fold(statement.place)))
    tags.append(("DC.type", "document"))
    return tuple(tags)


def institution(name: str) -> str:
    """An institutional author for citation_author: the name, then a comma with nothing after
    it, which Zotero keeps as one name (see the module's docstring)."""
    return f"{fold(name)},"


def meta_tags_yaml(tags: tuple[tuple[str, str], ...]) -> Markup:
    """`meta_tags:` and its list, as YAML for the page's front matter, written by the YAML
    library (never by joining strings): the theme override reads `page.meta.meta_tags` back and
    escapes each value itself. Each value stays on one line, and every line of the list starts
    with "- " or spaces, so nothing in it can end the front matter. Markup only so that
    autoescaping leaves the YAML as it is: it is not HTML and never reaches a page as such."""
    data = {"meta_tags": [{"name": name, "content": content} for name, content in tags]}
    text = yaml.dump(data, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=_NO_WRAP)
    return Markup(text)


def cite(statement: Statement, vocabularies: Vocabularies, url: str) -> Citation:
    """Every citation of a statement whose page is at the absolute address `url`."""
    return Citation(
        text=plain_text(statement, vocabularies, url),
        bibtex=bibtex(statement, vocabularies, url),
        csl_json=csl_json(statement, vocabularies, url),
        meta_tags=meta_tags(statement, vocabularies, url),
        sections={
            s.id: SectionCitation(
                text=plain_text(statement, vocabularies, url, s),
                bibtex=bibtex(statement, vocabularies, url, s),
                csl_json=csl_json(statement, vocabularies, url, s),
            )
            for s in statement.sections
        },
    )
