"""`python -m scripts build`: validate, generate the pages, build site/ and its search index."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scripts.builder.shards import SHARD_PAGES
from scripts.commands.check import checked
from scripts.pipeline import build_lock, build_site, generate
from scripts.write import WriteError


def add_parser(subparsers: Any) -> None:
    build = subparsers.add_parser("build", help="validate, generate pages, build site/")
    build.add_argument("--site-dir", type=Path, help="where to build (default: site/)")
    add_shard_pages(build)


def add_shard_pages(parser: Any) -> None:
    """The --shard-pages option, of `build` and of each `shards` step."""
    parser.add_argument(
        "--shard-pages",
        type=int,
        default=SHARD_PAGES,
        metavar="N",
        help=f"about N year pages a shard (default {SHARD_PAGES}; 0: one build of everything)",
    )


def run(root: Path, args: argparse.Namespace) -> int:
    site_dir: Path = (args.site_dir or root / "site").resolve()
    try:
        with build_lock(root) as mine:
            if not mine:
                print(
                    "Another build is running in this checkout; wait for it to finish.",
                    file=sys.stderr,
                )
                return 1
            return _build(root, args, site_dir)
    except OSError as error:  # .build/ cannot be made or locked (a read-only checkout)
        print(f"Nothing was built: {error}", file=sys.stderr)
        return 1


def _build(root: Path, args: argparse.Namespace, site_dir: Path) -> int:
    status, archive = checked(root, args.github)
    if archive is None:
        print("Nothing was built: fix the problems above first.", file=sys.stderr)
        return status
    try:
        writer = generate(root, archive)
    except WriteError as error:
        print(f"Nothing was built: {error}", file=sys.stderr)
        return 1
    print(f"Generated {len(writer.written)} pages ({len(writer.changed)} changed).")
    if not build_site(root, archive, site_dir, args.shard_pages):
        print("The build failed; site/ was left as it was.", file=sys.stderr)
        return 1
    print(f"Built {site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir}/")
    return 0
