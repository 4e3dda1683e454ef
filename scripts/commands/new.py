"""`python -m scripts new` (`make new`): scaffold a statement file with every field laid out and
commented.

With `--id`, `--title` and `--date` it asks nothing (`make new ID=… TITLE="…" DATE=…`); in a
terminal it asks for what is missing, and asks again until the answer will do. It writes
data/statements/<YYYY>/<id>.yml (undated/ for `--date undated`), never over a file that exists and
never with an id another statement already has. Every value it cannot know is the placeholder
`TO FILL IN`, which `make check` reports as "still to fill in" until it is replaced.

Exit status: 0 written; 1 refused (the file or the id exists, or the questions were cancelled);
2 an id, title or date that will not do, or one missing where nobody can be asked.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from scripts.model import PartialDate
from scripts.site import PLACEHOLDER, PLACEHOLDER_SLUG, is_date_form, is_slug

UNDATED = "undated"
"""`--date undated`: the date is unknown (the file goes to data/statements/undated/)."""
SCHEMA = "../../../scripts/statement.schema.json"
"""The schema, relative to data/statements/<YYYY>/ (and undated/), where the file is written."""
MAX_ID = 80
MAX_LINE = 100
"""No line of the template is longer."""

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new statement. Replace every TO FILL IN (`make check` lists those left) and leave out what
# the sources do not say. A line that starts with '# ' and a field name is an optional field: to
# use it, delete the '# '. Every field is explained in CONTRIBUTING.md.
id: {id}  # the file name without .yml
title: {title}  # as issued, or a plain descriptive title; one line
{date_lines}
kind: {placeholder}  {kinds}
parties: [{placeholder}]  # the issuing states as ISO codes, like [CN, RU]
# issuing_forum: moscow-format  # the forum that issued it; parties, if any, adopted it there
# participants:  # who took part without issuing it; a guest is not what the statement is about
#   - {{country: AF, role: guest, note: Attended as the main guest.}}  # each: a country, forum
#   - {{forum: sco, role: observer}}  # or actor, and its role: participant, guest, observer,
#   - {{actor: an-actor-id, role: participant}}  # host or mediator; actors: data/actors.yml
# place: Beijing
language: en  # the language of the excerpts below (BCP 47: en, fr, ru, zh …)
# signatories:  # who signed it, when the source names them
#   - {{name: Full Name, role: President, country: CN}}
summary: >-  # your own words: what the statement says, in two to four sentences; Markdown
  {placeholder}
sources:  # where its text comes from; at least one
  - id: main  # a short name that excerpts give as their 'source'
    title: {placeholder}  # the title of the page or document
    # title_supplied: true  # the source shows no title: the one above is the archive's own
    publisher: {placeholder}
    url: https://example.org/{placeholder_slug}
    # published: YYYY-MM-DD
    # language: en  # the language of this source's text
    # its kind: official-text, official-translation, unofficial-translation, machine-translation,
    #   reproduction (the full text on another site), readout (an account of the meeting, never
    #   quoted as the statement's words) or news-report (quote only what it puts in quotes)
    kind: {placeholder}
  # - id: translation  # another source; a translation says what from, and who made it
  #   title: The statement in English
  #   url: https://example.org/the-translation
  #   kind: unofficial-translation
  #   translated_from: ru
  #   translator: Who made the translation
countries: []  # tags for the statement as a whole: ISO codes, like [AF]
forums: []  # forum ids from data/forums.yml, like [sco]
topics: []  # topic ids from data/topics.yml, like [counter-terrorism]
# actors: []  # non-state subjects from data/actors.yml (armed groups, de facto authorities …)
# series: moscow-format-consultations  # the recurring meeting: an id from data/series.yml
# round: 3  # its number in the series, only when the source numbers it or the count is certain
sections:  # at least one; a section is one subject of the statement, with its own anchor
  - id: {placeholder_slug}  # lower-case words joined by hyphens: the page anchor, like afghanistan
    heading: {placeholder}
    countries: []  # what this section is about: hub pages list sections by these tags
    forums: []
    topics: []
    # actors: []
    # summary: Your own words on this section (needed when it has no excerpt).
    excerpts:  # the statement's own words, verbatim; a blank line between paragraphs
      - text: >-
          {placeholder}
        # source: main  # the source it is quoted from (default: the first one)
        # paragraph: "1"  # the original's own number or label: "2", "III.4", "preamble"
        # original: {{language: zh, text: "the same passage in the original language"}}
        # variants:  # the same passage as another source words it
        #   - {{source: translation, text: "the other source's wording"}}
      # - text: Another passage, with tags of its own, that two sources give alike.
      #   sources: [main, translation]  # instead of 'source': every source with these words
      #   countries: []  # what this passage is about, beyond its section's tags
      #   forums: []
      #   topics: []
      #   actors: []
    # annotations:  # an editorial note on words of an excerpt above
    #   - quote: words that occur verbatim in an excerpt of this section
    #     note: Your note, in your own words; Markdown.
# related:  # other statements of the archive: follows | responds-to | supersedes | see-also
#   - {{id: another-statement-id, relation: follows}}
"""

DATED = "date: {date}  # YYYY-MM-DD, YYYY-MM or YYYY: only as much as the source says\n" + (
    "# date_note: Why the day is not known (when the date is partial)."
)
UNDATED_LINES = (
    "# date: YYYY-MM-DD  # unknown: leave it out and say why in date_note\n"
    f"date_note: {PLACEHOLDER}  # why the date is unknown"
)


class Refused(Exception):
    """An answer that will not do, with what to give instead."""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "new",
        help="scaffold a statement file in data/statements/",
        description="Write data/statements/<YYYY>/<id>.yml with every field laid out. "
        "In a terminal, asks for what is not given.",
    )
    parser.add_argument(
        "--id", help="lower-case words joined by hyphens: 2026-05-cn-ru-joint-statement"
    )
    parser.add_argument("--title", help="the statement's title (TO FILL IN if empty)")
    parser.add_argument(
        "--date", help=f"YYYY-MM-DD, YYYY-MM or YYYY; '{UNDATED}' when it is not known"
    )


def check_id(statement_id: str) -> str:
    if not is_slug(statement_id) or len(statement_id) > MAX_ID:
        example = suggest_id(statement_id, "")
        hint = f", like '{example}'" if example and example != statement_id else ""
        raise Refused(
            f"id '{statement_id}' must be lower-case letters and digits joined by single "
            f"hyphens, at most {MAX_ID} characters{hint}"
        )
    return statement_id


def check_date(date: str) -> str:
    """The date as given, or '' for `undated`."""
    if date.casefold() == UNDATED:
        return ""
    if not is_date_form(date):
        raise Refused(
            f"date '{date}' is not YYYY-MM-DD, YYYY-MM or YYYY (give '{UNDATED}' when the "
            "date is not known)"
        )
    try:
        PartialDate.parse(date)
    except ValueError:
        raise Refused(f"date '{date}' is not a real date") from None
    return date


def check_title(title: str) -> str:
    if "\n" in title or "\r" in title:
        raise Refused("the title must be one line")
    return title.strip()


def suggest_id(title: str, date: str) -> str:
    """An id from a date and a title: '2025-07-06' and 'Rio de Janeiro Declaration' give
    '2025-07-06-rio-de-janeiro-declaration' (letters folded to ASCII, at most 80 characters)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", f"{date} {ascii_title}".casefold())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_ID:
            break
        slug = longer
    return slug


def _ask(
    question: str, check: Callable[[str], str], default: str = "", *, allow_empty: bool = False
) -> str:
    """Ask in the terminal until `check` accepts the answer (an empty answer takes `default`)."""
    shown = f" [{default}]" if default else ""
    while True:
        answer = input(f"{question}{shown}: ").strip() or default
        if not answer and not allow_empty:
            print("  (an answer is needed)", file=sys.stderr)
            continue
        try:
            return check(answer)
        except Refused as refused:
            print(f"  {refused}", file=sys.stderr)


def _gather(args: argparse.Namespace) -> tuple[str, str, str]:
    """The id, title and date (empty: undated), from the arguments or, in a terminal, asked."""
    title = check_title(args.title) if args.title is not None else None
    date = check_date(args.date) if args.date is not None else None
    statement_id = check_id(args.id) if args.id is not None else None
    if statement_id is None or date is None or title is None:
        if not sys.stdin.isatty():
            missing = [n for n, v in (("ID", statement_id), ("DATE", date)) if v is None]
            if missing:
                raise Refused(
                    f"no {' or '.join(missing)} given, and no terminal to ask in: run\n"
                    '  make new ID=2026-05-cn-ru-joint-statement TITLE="Joint statement of …" '
                    f"DATE=2026-05\n(DATE={UNDATED} when the date is not known), or run "
                    "`make new` in a terminal to be asked"
                )
        else:
            print("A new statement. Press Enter to take the suggestion in [brackets].")
    if title is None:
        title = (
            _ask("Title, as issued", check_title, allow_empty=True) if sys.stdin.isatty() else ""
        )
    if date is None:
        date = _ask(f"Date (YYYY-MM-DD, YYYY-MM or YYYY; '{UNDATED}' if unknown)", check_date)
    if statement_id is None:
        suggestion = suggest_id(title, date) if title else ""
        statement_id = _ask("Id (the file name)", check_id, suggestion)
    return statement_id, title, date


def render(statement_id: str, title: str, date: str, kinds: list[str]) -> str:
    """The text of a new statement file."""
    date_lines = DATED.format(date=date) if date else UNDATED_LINES
    return TEMPLATE.format(
        id=statement_id,
        title=_yaml_text(title) if title else PLACEHOLDER,
        date_lines=date_lines,
        kinds=_kinds_comment(kinds),
        placeholder=PLACEHOLDER,
        placeholder_slug=PLACEHOLDER_SLUG,
        schema=SCHEMA,
    )


def _kinds_comment(kinds: list[str]) -> str:
    """The comment after `kind:`: always two lines, whatever data/kinds.yml holds, so that the
    lines after it (and `make check`'s line numbers for them) never move. The kinds that do not
    fit on the second line are left to data/kinds.yml."""
    listed = ""
    for index, kind in enumerate(kinds):
        longer = f"{listed}, {kind}" if listed else kind
        more = ", …" if index < len(kinds) - 1 else ""
        if len(f"#   {longer}{more}") > MAX_LINE:
            listed += ", …"
            break
        listed = longer
    return f"# one of the kinds in data/kinds.yml:\n#   {listed or '(the file cannot be read)'}"


def _kinds(root: Path) -> list[str]:
    """The kinds of statement in data/kinds.yml, for the template's comment (none if unreadable)."""
    try:
        entries = yaml.load((root / "data" / "kinds.yml").read_text("utf-8"), yaml.BaseLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(entries, list):
        return []
    return [e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)]


def run(root: Path, args: argparse.Namespace) -> int:
    try:
        statement_id, title, date = _gather(args)
    except Refused as refused:
        print(f"new: {refused}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print("\nnew: cancelled; nothing was written", file=sys.stderr)
        return 1
    statements = root / "data" / "statements"
    target = statements / (date[:4] if date else "undated") / f"{statement_id}.yml"
    if target.exists() or target.is_symlink():
        print(
            f"new: {target.relative_to(root)} already exists; it was left as it is",
            file=sys.stderr,
        )
        return 1
    if taken := sorted(statements.glob(f"*/{statement_id}.yml")):
        print(
            f"new: the id '{statement_id}' is already used by {taken[0].relative_to(root)};"
            " give the new statement an id of its own",
            file=sys.stderr,
        )
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as file:  # "x": never over a file, even a new one
        file.write(render(statement_id, title, date, _kinds(root)))
    print(
        f"Wrote {target.relative_to(root)}\n"
        f"Next: replace every {PLACEHOLDER} in it (delete the optional lines you do not need),\n"
        "then run `make check` until it reports no problems, and `make serve` to see the page."
    )
    return 0


def _yaml_text(text: str) -> str:
    """A title as a YAML scalar, quoted when plain style would misread it."""
    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=1000)
    return dumped.removesuffix("\n...\n").strip()
