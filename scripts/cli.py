"""The commands: python -m scripts check | build | serve | new. I/O lives here, at the edges."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scripts.history import file_history
from scripts.index import Index, build_index
from scripts.load import (  # _load: one file, as load_archive loads it, for serve's memo
    VOCABULARIES,
    Loaded,
    _load,
    iso_country_names,
    load_archive,
    statement_files,
)
from scripts.model import Statement, Vocabularies, build_statement, build_vocabularies
from scripts.render.pages import GENERATED_FOLDERS, RenderMemo, SiteConfig, iter_site
from scripts.search import SearchIndexError, index_site, site_language
from scripts.validate import FindingsMemo, Problem, validate_archive
from scripts.write import Writer

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Archive:
    """A validated archive, modelled and indexed."""

    vocabularies: Vocabularies
    statements: list[Statement]
    index: Index


@dataclass
class Memo:
    """What `serve` keeps from one regeneration to the next, so that an edit costs what it
    touches: each statement file read and modelled (by its bytes), the vocabularies, the pages.
    `check` and `build` never use one: they read everything afresh."""

    files: dict[Path, tuple[bytes, Loaded, Statement | None]] = field(default_factory=dict)
    vocabularies: tuple[tuple[Loaded, ...], Vocabularies] | None = None
    findings: FindingsMemo = field(default_factory=dict)
    pages: RenderMemo = field(default_factory=RenderMemo)

    def load(self, root: Path, path: Path, *, parse: bool = True) -> Loaded:
        """The file loaded, or as it was loaded last time if its bytes are the same."""
        if not parse or path.is_symlink() or not path.is_file():
            self.files.pop(path, None)
            return _load(root, path, parse=parse)
        raw = path.read_bytes()
        cached = self.files.get(path)
        if cached is not None and cached[0] == raw:
            return cached[1]
        loaded = _load(root, path)
        self.files[path] = (raw, loaded, None)
        return loaded

    def archive(self, root: Path) -> tuple[list[Loaded], dict[str, Loaded]]:
        """As load_archive(root), through the cache."""
        paths = statement_files(root)
        for gone in self.files.keys() - set(paths):
            del self.files[gone]
        statements = [self.load(root, path, parse=path.suffix == ".yml") for path in paths]
        vocabularies = {
            name: self.load(root, root / "data" / f"{name}.yml") for name in VOCABULARIES
        }
        return statements, vocabularies

    def model(self, root: Path, loaded: Loaded) -> Statement:
        """The statement of a valid file, made once per version of the file: a statement that
        was not edited stays the same object, which makes comparing pages' inputs cheap."""
        assert loaded.document is not None
        path = root / loaded.file
        raw, cached, statement = self.files.get(path, (b"", None, None))
        if cached is not loaded or statement is None:
            statement = build_statement(loaded.document.data, loaded.file)
            if cached is loaded:
                self.files[path] = (raw, loaded, statement)
        return statement


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector, paused, then run once. Loading makes millions of
    long-lived objects and next to no reference cycles, and each full collection walks all of
    them again: at 10,000 statements that was up to a third of the check's time (BENCHMARKS.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


def prepare(root: Path, memo: Memo | None = None) -> tuple[list[Problem], Archive | None]:
    """Load, validate, model and index `root`/data; the archive only if there are no problems.
    With a `memo` (serve), files that did not change are not read or modelled again."""
    with collector_paused():
        return _prepare(root, memo)


def _prepare(root: Path, memo: Memo | None) -> tuple[list[Problem], Archive | None]:
    statements, vocabularies = memo.archive(root) if memo else load_archive(root)
    iso_names = iso_country_names()
    problems = validate_archive(
        statements, vocabularies, iso_names, memo.findings if memo else None
    )
    if problems:
        return problems, None
    lists = {name: loaded.document.data for name, loaded in vocabularies.items() if loaded.document}
    loads = tuple(vocabularies.values())
    if memo and memo.vocabularies and memo.vocabularies[0] == loads:
        vocab = memo.vocabularies[1]
    else:
        vocab = build_vocabularies(iso_names, **lists)
        if memo:
            memo.vocabularies = (loads, vocab)
    models = [
        memo.model(root, s) if memo else build_statement(s.document.data, s.file)
        for s in statements
        if s.document
    ]
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


def workers() -> int:
    """Processes to render pages with: the CPUs this process may use, at most 4."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, 4))


def generate(root: Path, archive: Archive, memo: Memo | None = None) -> Writer:
    """Render every page and write what changed into the generated folders of docs/, each page
    as soon as it is rendered (without a memo, the whole site is never held in memory). With a
    `memo` (serve), pages whose inputs did not change come from it."""
    config = site_config(root)
    writer = Writer(root / "docs", owned=(*GENERATED_FOLDERS, "index.md"))
    pages = iter_site(
        archive.index,
        archive.vocabularies,
        config,
        workers(),
        memo.pages if memo else None,
        history=file_history(root),
    )
    for path, content in pages:
        writer.write(path, content)
    writer.remove_stale()
    return writer


DEFAULT_SOURCE_DATE_EPOCH = 0
"""The build date of a tree that is not a git checkout: the Unix epoch (1970-01-01)."""


def source_date_epoch(root: Path) -> str:
    """The build's date, for reproducible builds (https://reproducible-builds.org/specs/
    source-date-epoch/): $SOURCE_DATE_EPOCH if set; else the time of the latest commit that
    touched `root`/data; else DEFAULT_SOURCE_DATE_EPOCH. MkDocs writes it as the sitemap's
    lastmod and the sitemap.xml.gz timestamp; nothing else in the site carries a build date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return os.environ["SOURCE_DATE_EPOCH"].strip()
    try:
        latest = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct", "--", "data"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        latest = ""
    return latest if latest.isdigit() else str(DEFAULT_SOURCE_DATE_EPOCH)


def _without_info(log: str) -> str:
    """MkDocs's log less its INFO and DEBUG records (a record's indented lines go with it)."""
    kept, keep = [], True
    for line in log.splitlines():
        if line[:1].strip():  # a record starts at the margin
            keep = not line.startswith(("INFO", "DEBUG"))
        if keep:
            kept.append(line)
    return "\n".join(kept)


def mkdocs_build(
    root: Path, site_dir: Path, before_swap: Callable[[Path], bool] | None = None
) -> bool:
    """`mkdocs build --strict` into `site_dir`; a failed build leaves `site_dir` as it was.
    `before_swap` runs on the built folder before it replaces `site_dir`; False stops the swap."""
    staging = root / ".build" / "site"
    shutil.rmtree(staging, ignore_errors=True)
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": source_date_epoch(root),
    }
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",  # not with --quiet: it hides the warnings, and --strict counts none
        "--config-file",
        str(root / "mkdocs.yml"),
        "--site-dir",
        str(staging),
    ]
    try:
        completed = subprocess.run(
            command,
            cwd=root,
            env=env,
            check=False,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if log := _without_info(completed.stdout):
            print(log, file=sys.stderr)
        built = completed.returncode == 0
        if not built or (before_swap is not None and not before_swap(staging)):
            return False
        old = root / ".build" / "site-old"
        shutil.rmtree(old, ignore_errors=True)
        if site_dir.exists():
            site_dir.rename(old)
        try:
            staging.rename(site_dir)
        except OSError:  # the last good site goes back where it was
            if old.exists() and not site_dir.exists():
                old.rename(site_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
        return True
    finally:  # whatever happened, no half-built site is left behind
        shutil.rmtree(staging, ignore_errors=True)


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
    memo = Memo()
    problems, archive = prepare(root, memo)
    if archive is None:
        print(report(problems, False), file=sys.stderr)
        return 1
    generate(root, archive, memo)
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
            writer = generate(root, archive, memo)
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
    audit = commands.add_parser(
        "audit", help="check that every statement and section reached the built site"
    )
    audit.add_argument("--site-dir", type=Path, help="the built site (default: site/)")
    from scripts import changes, new

    new.add_parser(commands)
    changes.add_parser(commands)
    from scripts import bench

    bench.add_parser(commands)
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if args.command == "check":
        return command_check(root, github)
    if args.command == "build":
        return command_build(root, github, (args.site_dir or root / "site").resolve())
    if args.command == "serve":
        return command_serve(root, args.dev_addr)
    if args.command == "audit":
        from scripts.audit import run

        return run(root, (args.site_dir or root / "site").resolve())
    if args.command == "bench":
        return bench.command_bench(args)
    if args.command == "changes":
        return changes.run(root, args)
    return new.run(root, args)
