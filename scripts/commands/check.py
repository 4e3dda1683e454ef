"""`python -m scripts check`: validate data/ and print every problem (what contributors run)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scripts.load import vocabularies_present
from scripts.pipeline import Archive, prepare
from scripts.validate import report


def add_parser(subparsers: Any) -> None:
    subparsers.add_parser("check", help="validate data/ and report every problem")


def checked(root: Path, github: bool) -> tuple[int, Archive | None]:
    """The archive, prepared; or its problems printed and None."""
    problems, archive = prepare(root)
    if problems:
        print(report(problems, github), file=sys.stderr)
        return 1, None
    return 0, archive


def run(root: Path, args: argparse.Namespace) -> int:
    status, archive = checked(root, args.github)
    if archive:
        count = len(archive.statements)
        print(
            f"No problems: {count} statement{'s' if count != 1 else ''} and "
            f"{len(vocabularies_present(root))} vocabularies checked."
        )
    return status
