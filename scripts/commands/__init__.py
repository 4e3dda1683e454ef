"""The commands, `python -m scripts <command>`: thin — each parses its arguments and calls the
pipeline. One module per command; `COMMANDS` is the registry. Nothing imports this package."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from scripts.commands import audit, build, changes, check, new, serve, shards

ROOT = Path(__file__).resolve().parent.parent.parent

COMMANDS: dict[str, ModuleType] = {
    "check": check,
    "build": build,
    "serve": serve,
    "new": new,
    "audit": audit,
    "changes": changes,
    "shards": shards,
}
"""Each module has `add_parser(subparsers)` and `run(root, args) -> exit status`."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts", description="The statement archive's commands."
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: here)")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS.values():
        command.add_parser(subparsers)
    args = parser.parse_args(argv)
    args.github = os.environ.get("GITHUB_ACTIONS") == "true"
    status: int = COMMANDS[args.command].run(args.root.resolve(), args)
    return status
