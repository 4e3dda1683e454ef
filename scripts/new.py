"""`python -m scripts new`: scaffold a statement file with every field laid out and commented."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from scripts.model import PartialDate

PLACEHOLDER = "TO FILL IN"
"""Values that hold this are reported by `make check` until they are replaced."""
PLACEHOLDER_SLUG = "to-fill-in"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A statement of the archive. Field by field: CONTRIBUTING.md. Check it with `make check`.
id: {id}
title: {title}
{date_line}
# date_note: Why the date is partial or missing (needed when there is no date).
kind: {placeholder}  # joint-statement | declaration | communique | press-statement | speech | …
parties: []          # issuing states, ISO codes: [CN, RU]; or issuing_forum below
# issuing_forum: sco
# place: Beijing
language: en         # language of the excerpts below (BCP 47)
# signatories:
#   - {{name: Full Name, role: President, country: CN}}
summary: >-
  {placeholder}: two to four sentences in your own words (Markdown allowed).
sources:
  - id: main
    title: {placeholder}
    publisher: {placeholder}
    url: https://example.org/{placeholder_slug}
    # published: YYYY-MM-DD
    # kind: official-text | official-translation | unofficial-translation | news-report
    kind: official-text
countries: []        # statement-wide tags; sections add their own
forums: []
topics: []
sections:
  - id: {placeholder_slug}
    heading: {placeholder}
    countries: []
    forums: []
    topics: []
    # summary: Editorial summary of this section, in your own words.
    excerpts:
      - text: >-
          {placeholder}: the statement's own words, verbatim.
        # source: main
    annotations: []
    # annotations:
    #   - quote: words that occur verbatim in an excerpt above
    #     note: Your editorial note.
# related:
#   - {{id: another-statement-id, relation: follows}}
#     relation: follows | responds-to | supersedes | see-also
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("new", help="scaffold a statement file in data/statements/")
    parser.add_argument(
        "--id", help="lower-case words joined by hyphens: 2026-05-cn-ru-joint-statement"
    )
    parser.add_argument("--title", help="the statement's title")
    parser.add_argument("--date", help="YYYY-MM-DD, YYYY-MM or YYYY; empty if unknown")


def _ask(label: str) -> str:
    if not sys.stdin.isatty():
        raise SystemExit(f"new: --{label} is required (or run it in a terminal to be asked)")
    return input(f"{label}: ").strip()


def run(root: Path, args: argparse.Namespace) -> int:
    statement_id = args.id if args.id is not None else _ask("id")
    title = args.title if args.title is not None else _ask("title")
    date = args.date if args.date is not None else _ask("date")
    if not _ID.match(statement_id) or len(statement_id) > 80:
        print(
            f"new: id '{statement_id}' must be lower-case letters and digits joined by single "
            "hyphens, at most 80 characters",
            file=sys.stderr,
        )
        return 2
    if date:
        try:
            PartialDate.parse(date)
        except ValueError:
            print(f"new: date '{date}' is not YYYY-MM-DD, YYYY-MM or YYYY", file=sys.stderr)
            return 2
    folder = date[:4] if date else "undated"
    target = root / "data" / "statements" / folder / f"{statement_id}.yml"
    if target.exists():
        print(
            f"new: {target.relative_to(root)} already exists; it was left as it is", file=sys.stderr
        )
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    date_line = (
        f"date: {date}" if date else "# date: YYYY-MM-DD (unknown: leave out and give a date_note)"
    )
    text = TEMPLATE.format(
        id=statement_id,
        title=_yaml_text(title) if title else PLACEHOLDER,
        date_line=date_line,
        placeholder=PLACEHOLDER,
        placeholder_slug=PLACEHOLDER_SLUG,
        schema="../../../scripts/statement.schema.json",
    )
    target.write_text(text, encoding="utf-8")
    print(
        f"Wrote {target.relative_to(root)}: fill in every '{PLACEHOLDER}', then run `make check`."
    )
    return 0


def _yaml_text(text: str) -> str:
    """A title as a YAML scalar, quoted when plain style would misread it."""
    import yaml

    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=1000)
    return dumped.removesuffix("\n...\n").strip()
