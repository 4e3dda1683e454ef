"""The commands: python -m scripts check | build | serve | new. I/O lives here, at the edges."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.index import Index, build_index
from scripts.load import iso_country_names, load_archive, statement_files
from scripts.model import Statement, Vocabularies, build_statement, build_vocabularies
from scripts.render.pages import GENERATED_FOLDERS, SiteConfig, render_site
from scripts.search import SearchIndexError, index_site, site_language
from scripts.validate import Problem, validate_archive
from scripts.write import Writer

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Archive:
    """A validated archive, modelled and indexed."""

    vocabularies: Vocabularies
    statements: list[Statement]
    index: Index


def prepare(root: Path) -> tuple[list[Problem], Archive | None]:
    """Load, validate, model and index `root`/data; the archive only if there are no problems."""
    statements, vocabularies = load_archive(root)
    iso_names = iso_country_names()
    problems = validate_archive(statements, vocabularies, iso_names)
    if problems:
        return problems, None
    lists = {name: loaded.document.data for name, loaded in vocabularies.items() if loaded.document}
    vocab = build_vocabularies(iso_names, **lists)
    models = [build_statement(s.document.data, s.file) for s in statements if s.document]
    return [], Archive(vocab, models, build_index(models, vocab))


def _workflow_escape(text: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping (actions/toolkit `escapeData` / `escapeProperty`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def report(problems: list[Problem], github: bool) -> str:
    """All problems, one per line, compiler-style, then a count (and workflow commands on CI)."""
    lines = [str(p) for p in problems]
    if github:
        lines += [
            f"::error file={_workflow_escape(p.file, property_value=True)},line={p.line},"
            f"col={p.col}::{_workflow_escape(p.message)}"
            for p in problems
        ]
    files = len({p.file for p in problems})
    lines.append(
        f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''}"
    )
    return "\n".join(lines)


def site_config(root: Path) -> SiteConfig:
    """The [tool.archive] table of pyproject.toml."""
    table = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["archive"]
    return SiteConfig(
        repo_url=table["repo_url"], edit_branch=table["edit_branch"], site_url=table["site_url"]
    )


def generate(root: Path, archive: Archive) -> Writer:
    """Render every page and write what changed into the generated folders of docs/."""
    pages = render_site(archive.index, archive.vocabularies, site_config(root))
    writer = Writer(root / "docs", owned=(*GENERATED_FOLDERS, "index.md"))
    for path, content in sorted(pages.items()):
        writer.write(path, content)
    writer.remove_stale()
    return writer


def mkdocs_build(
    root: Path, site_dir: Path, before_swap: Callable[[Path], bool] | None = None
) -> bool:
    """`mkdocs build --strict` into `site_dir`; a failed build leaves `site_dir` as it was.
    `before_swap` runs on the built folder before it replaces `site_dir`; False stops the swap."""
    staging = root / ".build" / "site"
    shutil.rmtree(staging, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "--config-file",
        str(root / "mkdocs.yml"),
        "--site-dir",
        str(staging),
    ]
    built = subprocess.run(command, cwd=root, env=env, check=False).returncode == 0
    if not built or (before_swap is not None and not before_swap(staging)):
        shutil.rmtree(staging, ignore_errors=True)
        return False
    old = root / ".build" / "site-old"
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    return True


def index_search(root: Path, site: Path, archive: Archive) -> bool:
    """Index the built `site` for search (Pagefind); False, with the reason printed, on failure."""
    try:
        summary = index_site(
            site, archive.statements, archive.vocabularies, site_language(root / "mkdocs.yml")
        )
    except SearchIndexError as error:
        print(f"Search index: {error}", file=sys.stderr)
        return False
    others = ", ".join(f"{language} {n}" for language, n in summary.documents.items())
    others = f" (statements with text in other languages: {others})" if others else ""
    print(f"Indexed {summary.pages} statement pages for search{others}.")
    return True


def _check(root: Path, github: bool) -> tuple[int, Archive | None]:
    problems, archive = prepare(root)
    if problems:
        print(report(problems, github), file=sys.stderr)
        return 1, None
    return 0, archive


def command_check(root: Path, github: bool) -> int:
    status, archive = _check(root, github)
    if archive:
        count = len(archive.statements)
        print(
            f"No problems: {count} statement{'s' if count != 1 else ''} and 4 vocabularies checked."
        )
    return status


def command_build(root: Path, github: bool, site_dir: Path) -> int:
    status, archive = _check(root, github)
    if archive is None:
        print("Nothing was built: fix the problems above first.", file=sys.stderr)
        return status
    writer = generate(root, archive)
    print(f"Generated {len(writer.written)} pages ({len(writer.changed)} changed).")
    if not mkdocs_build(root, site_dir, lambda built: index_search(root, built, archive)):
        print("The build failed; site/ was left as it was.", file=sys.stderr)
        return 1
    print(f"Built {site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir}/")
    return 0


def _data_state(root: Path) -> tuple[tuple[str, int, int], ...]:
    files = [*statement_files(root), *sorted((root / "data").glob("*.yml"))]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.exists())


def command_serve(root: Path, address: str) -> int:
    """Generate, run `mkdocs serve`, and regenerate whenever a file in data/ changes."""
    status, archive = _check(root, False)
    if archive is None:
        return status
    generate(root, archive)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
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
            problems, archive = prepare(root)
            if problems:
                print(report(problems, False), file=sys.stderr)
                print("Pages were not regenerated: fix the problems above.", file=sys.stderr)
                continue
            assert archive is not None
            writer = generate(root, archive)
            print(f"data/ changed: {len(writer.changed)} pages regenerated.", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate data/ and report every problem")
    build = commands.add_parser("build", help="validate, generate pages, build site/")
    build.add_argument("--site-dir", type=Path, help="where to build (default: site/)")
    serve = commands.add_parser("serve", help="build and serve, regenerating on edits in data/")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    from scripts import new

    new.add_parser(commands)
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if args.command == "check":
        return command_check(root, github)
    if args.command == "build":
        return command_build(root, github, (args.site_dir or root / "site").resolve())
    if args.command == "serve":
        return command_serve(root, args.dev_addr)
    return new.run(root, args)
