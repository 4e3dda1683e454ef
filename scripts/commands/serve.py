"""`python -m scripts serve`: generate, run `mkdocs serve`, and regenerate whenever a file in
data/ changes, through the pipeline's memo (an edit costs what it touches)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scripts.load import statement_files
from scripts.pipeline import Memo, generate, prepare
from scripts.validate import report
from scripts.write import WriteError


def add_parser(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="build and serve, regenerating on edits in data/")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")


def run(root: Path, args: argparse.Namespace) -> int:
    return serve(root, args.dev_addr)


def _data_state(root: Path) -> tuple[tuple[str, int, int], ...]:
    files = [*statement_files(root), *sorted((root / "data").glob("*.yml"))]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.exists())


def serve(root: Path, address: str) -> int:
    """Generate, run `mkdocs serve`, and regenerate whenever a file in data/ changes."""
    memo = Memo()
    problems, archive = prepare(root, memo)
    if archive is None:
        print(report(problems, False), file=sys.stderr)
        return 1
    try:
        generate(root, archive, memo)
    except WriteError as error:
        print(f"Nothing was generated: {error}", file=sys.stderr)
        return 1
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            # Rebuild only the pages whose Markdown changed (generate() writes only what changed);
            # MkDocs warns about a dirty build, so the preview cannot be strict: `make build` is.
            "--dirty",
            "--no-strict",
            "--dev-addr",
            address,
            "--config-file",
            str(root / "mkdocs.yml"),
        ],
        cwd=root,
        env=env,
    )
    state = _data_state(root)
    try:
        while server.poll() is None:
            time.sleep(0.5)
            new_state = _data_state(root)
            if new_state == state:
                continue
            state = new_state
            problems, archive = prepare(root, memo)
            if problems:
                print(report(problems, False), file=sys.stderr)
                print("Pages were not regenerated: fix the problems above.", file=sys.stderr)
                continue
            assert archive is not None
            try:
                writer = generate(root, archive, memo)
            except WriteError as error:
                print(f"Pages were not regenerated: {error}", file=sys.stderr)
                continue
            print(f"data/ changed: {len(writer.changed)} pages regenerated.", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return 0
