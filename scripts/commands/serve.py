"""`python -m scripts serve`: generate, run `mkdocs serve`, and regenerate whenever a file in
data/ changes, through the pipeline's memo (an edit costs what it touches)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import escape

from scripts.load import statement_files
from scripts.pipeline import Memo, generate, prepare
from scripts.site import STATEMENTS_DIR, statement_doc
from scripts.validate import Problem, report
from scripts.write import WriteError


def add_parser(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="build and serve, regenerating on edits in data/")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")


def run(root: Path, args: argparse.Namespace) -> int:
    return serve(root, args.dev_addr)


def _data_state(root: Path) -> tuple[tuple[str, int, int], ...]:
    files = [*statement_files(root), *sorted((root / "data").glob("*.yml"))]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.exists())


def _server(root: Path, address: str) -> subprocess.Popen[bytes]:
    """`mkdocs serve` of the generated pages."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
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


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait()


PROBLEMS_CLASS = "sa-serve-problems"


def problems_banner(problems: list[Problem]) -> str:
    """The problems, as a block at the top of a page of the preview: a contributor who saves a
    broken file sees why the page did not change, in the browser as in the terminal."""
    lines = escape("\n".join(str(p) for p in problems))
    count = len(problems)
    return (
        f'<div class="{PROBLEMS_CLASS}" role="alert"><p><strong>make serve: {count}'
        f" problem{'s' if count != 1 else ''} in data/, so the pages were not regenerated."
        f" Fix {'them' if count != 1 else 'it'} and save; until then this is the last good"
        f" version.</strong></p><pre>{lines}</pre></div>\n\n"
    )


def show_problems(root: Path, problems: list[Problem]) -> None:
    """Put the problems at the top of the home page and of the page of each statement they are
    in (the pages a contributor has open), after the front matter. The next good regeneration
    writes the pages again as they should be (the writer compares with what is on disk)."""
    banner = problems_banner(problems)
    pages = {"index.md"} | {
        statement_doc(PurePosixPath(p.file).stem)
        for p in problems
        if p.file.startswith(STATEMENTS_DIR)
    }
    for page in sorted(pages):
        path = root / "docs" / page
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if PROBLEMS_CLASS in text:
            text = (
                text[: text.index(f'<div class="{PROBLEMS_CLASS}"')]
                + text[text.index("</pre></div>\n\n") + len("</pre></div>\n\n") :]
            )
        head, body = _front_matter(text)
        path.write_text(head + banner + body, encoding="utf-8")


def _front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n") and (end := text.find("\n---\n", 4)) != -1:
        return text[: end + 5], text[end + 5 :]
    return "", text


def serve(root: Path, address: str) -> int:
    """Generate, run `mkdocs serve`, and regenerate whenever a file in data/ changes: the pages
    an edit touches (a broken file shows its problems in the browser), and all of them when a
    statement is deleted (a dirty build would keep serving its page)."""
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
    server = _server(root, address)
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
                show_problems(root, problems)
                continue
            assert archive is not None
            try:
                writer = generate(root, archive, memo)
            except WriteError as error:
                print(f"Pages were not regenerated: {error}", file=sys.stderr)
                continue
            print(f"data/ changed: {len(writer.changed)} pages regenerated.", flush=True)
            if writer.removed:  # a dirty rebuild keeps a deleted page: build them all again
                print(f"{len(writer.removed)} pages removed: restarting the server.", flush=True)
                _stop(server)
                server = _server(root, address)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(server)
    return 0
