"""`python -m scripts shards plan | build NAME | assemble`: the build in shards, one step at a
time, as the deploy workflow's matrix runs it (.github/workflows/deploy.yml). `make build` does
all three in one process; these are for machines that each build a part.

- `plan` prints the shards as a GitHub Actions matrix, `{"include": [{"shard", "key"}, …]}`:
  the key is the hash of what the shard is made from, for `actions/cache`.
- `build NAME --out DIR` builds one shard into DIR, or keeps it if DIR holds it built with the
  same key (a restored cache).
- `assemble --from DIR` puts the site together from DIR/<name> of every shard, indexes it for
  search and swaps it into site/ (or `--site-dir`); a shard missing or built from other files is
  an error, never a part of the site.

Each step validates and generates docs/ first, as `make build` does: that is what the keys are
computed from, so a matrix job and the assemble job agree on them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scripts.builder.shards import BuildError, build_shard, cached
from scripts.commands.build import add_shard_pages
from scripts.commands.check import checked
from scripts.pipeline import Archive, build_lock, build_site, generate, shards, statement_years
from scripts.write import WriteError


def add_parser(subparsers: Any) -> None:
    command = subparsers.add_parser("shards", help="the build in shards, for a CI matrix")
    steps = command.add_subparsers(dest="step", required=True)
    plan = steps.add_parser("plan", help="print the shards as a GitHub Actions matrix")
    one = steps.add_parser("build", help="build one shard")
    one.add_argument("name", help="the shard, as `plan` names it")
    one.add_argument("--out", type=Path, required=True, help="where to build it")
    assemble = steps.add_parser("assemble", help="put the site together from built shards")
    assemble.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        help="the folder holding each shard's folder, by name",
    )
    assemble.add_argument("--site-dir", type=Path, help="where to put the site (default: site/)")
    for step in (plan, one, assemble):
        add_shard_pages(step)


def run(root: Path, args: argparse.Namespace) -> int:
    try:
        with build_lock(root) as mine:
            if not mine:
                print("Another build is running in this checkout.", file=sys.stderr)
                return 1
            status, archive = checked(root, args.github)
            if archive is None:
                return status
            generate(root, archive)
            return STEPS[args.step](root, archive, args)
    except (OSError, WriteError, BuildError) as error:
        print(f"shards {args.step}: {error}", file=sys.stderr)
        return 1


def _plan(root: Path, archive: Archive, args: argparse.Namespace) -> int:
    planned = shards(root, statement_years(archive), args.shard_pages)
    matrix = {"include": [{"shard": s.name, "key": s.key} for s in planned.plan]}
    print(json.dumps(matrix))
    return 0


def _build(root: Path, archive: Archive, args: argparse.Namespace) -> int:
    planned = shards(root, statement_years(archive), args.shard_pages)
    shard = planned.named(args.name)
    out: Path = args.out.resolve()
    if cached(out, shard.key) is not None:
        print(f"Shard {shard.name}: already built from the same files.")
        return 0
    made = build_shard(root, shard, out, planned.command, planned.env)
    print(f"Shard {shard.name}: {len(shard.pages)} pages, {len(made)} files.")
    return 0


def _assemble(root: Path, archive: Archive, args: argparse.Namespace) -> int:
    source: Path = args.source.resolve()
    site_dir: Path = (args.site_dir or root / "site").resolve()
    planned = shards(root, statement_years(archive), args.shard_pages)
    folders = {name: source / name for name in planned.names}
    if not build_site(root, archive, site_dir, args.shard_pages, folders):
        print("The site was not put together; it was left as it was.", file=sys.stderr)
        return 1
    print(f"Assembled {len(folders)} shards into {site_dir}/")
    return 0


STEPS = {"plan": _plan, "build": _build, "assemble": _assemble}
