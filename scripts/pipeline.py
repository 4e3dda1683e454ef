"""The pipeline, the one place the stages are called in order:

    load → validate → model → index      `prepare`  (through a `Memo`, the cache seam, in serve)
    render → write                        `generate`
    builder (MkDocs) → search (Pagefind)  `build_site`, then the swap into site/

I/O lives here and in the commands, at the edges; every stage it calls is pure but load and write.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import gc
import json
import os
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from scripts import progress
from scripts.builder import shards as builder
from scripts.builder.shards import SHARD_PAGES
from scripts.builder.shrink import shrink_site
from scripts.cache import Store, code_fingerprint, digest
from scripts.history import file_history
from scripts.index import Index, build_index
from scripts.load import (
    Loaded,
    iso_country_names,
    load_archive,
    load_path,
    statement_files,
    vocabularies_present,
)
from scripts.model import Statement, Vocabularies, build_statement, build_vocabularies
from scripts.render.jobs import RenderMemo, iter_site, job_digests, rendered_jobs, site_jobs
from scripts.search import SearchIndexError, index_site, site_language
from scripts.site import GENERATED_PATHS, SiteConfig, vocabulary_file
from scripts.validate import FindingsMemo, Problem, validate_archive
from scripts.write import PagesRecord, Writer

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Archive:
    """A validated archive, modelled and indexed."""

    vocabularies: Vocabularies
    statements: list[Statement]
    index: Index
    files: dict[str, Loaded] = field(default_factory=dict, compare=False)
    """By statement id: the file it was read from, for the places of `make audit`'s problems."""
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    """By statement id, when known: a hash of what its statement was modelled from (the file's
    path and values), which stands for the statement in the pages' digests (render/jobs.py)."""


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
            return load_path(root, path, parse=parse)
        try:
            raw = path.read_bytes()
        except OSError:  # reported as the loader reports it, not kept
            self.files.pop(path, None)
            return load_path(root, path)
        cached = self.files.get(path)
        if cached is not None and cached[0] == raw:
            return cached[1]
        loaded = load_path(root, path)
        self.files[path] = (raw, loaded, None)
        return loaded

    def archive(self, root: Path) -> tuple[list[Loaded], dict[str, Loaded]]:
        """As load_archive(root), through the cache."""
        paths = statement_files(root)
        for gone in self.files.keys() - set(paths):
            del self.files[gone]
        statements = [self.load(root, path, parse=path.suffix == ".yml") for path in paths]
        vocabularies = {
            name: self.load(root, root / vocabulary_file(name))
            for name in vocabularies_present(root)
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
    """Python's cyclic garbage collector, paused, then given back. Loading makes millions of
    long-lived objects and next to no reference cycles, and each full collection walks all of
    them again: at 10,000 statements that was up to a third of the check's time (BENCHMARKS.md).
    No collection is forced afterwards: one freed 76 objects at 10,000 statements, and in a
    long-lived process (the test suite, serve) it walks everything else the process holds too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    files = [s for s in statements if s.document is not None]
    models = [memo.model(root, s) if memo else build_statement(_data(s), s.file) for s in files]
    by_id = {model.id: loaded for model, loaded in zip(models, files, strict=True)}
    return [], Archive(vocab, models, build_index(models, vocab), by_id)


def model_archive(
    vocabularies: Mapping[str, Loaded], documents: Iterable[tuple[PurePosixPath, Any]]
) -> Archive:
    """The archive modelled and indexed from valid files: the vocabularies as loaded, and each
    statement file's plain values (`documents`: file, values), as a check without problems
    leaves them (commands/check.py keeps them from one check to the next)."""
    vocab = model_vocabularies(vocabularies)
    models, sources = [], {}
    for file, data in documents:
        model = build_statement(data, file)
        models.append(model)
        sources[model.id] = digest(str(file).encode(), json.dumps(data, sort_keys=True).encode())
    return Archive(vocab, models, build_index(models, vocab), sources=sources)


def model_vocabularies(vocabularies: Mapping[str, Loaded]) -> Vocabularies:
    """The vocabularies modelled from their files as loaded (valid: checked already)."""
    lists = {name: loaded.document.data for name, loaded in vocabularies.items() if loaded.document}
    return build_vocabularies(iso_country_names(), **lists)


def _data(loaded: Loaded) -> Any:
    assert loaded.document is not None
    return loaded.document.data


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
    `memo` (serve), pages whose inputs did not change come from it; without one (build), a job
    whose digest is the one .build/pages.json has for it, and whose files are still as that
    run wrote them, is not rendered again (write.PagesRecord)."""
    config = site_config(root)
    writer = Writer(root / "docs", owned=GENERATED_PATHS)
    history = file_history(root)
    if memo is not None:
        pages = iter_site(
            archive.index, archive.vocabularies, config, workers(), memo.pages, history=history
        )
        for path, content in pages:
            writer.write(path, content)
        writer.remove_stale()
        return writer
    jobs = site_jobs(archive.index, archive.vocabularies, config, history)
    digests = job_digests(
        jobs,
        archive.index,
        archive.vocabularies,
        config,
        history,
        code_fingerprint(),
        archive.sources,
    )
    store = Store(root / PAGES_RECORD)
    last = PagesRecord.from_entries(store.read())
    record = PagesRecord()
    stale = []
    for job in jobs:
        job_digest = digests.get(job.name)
        kept = last.unchanged(job.name, job_digest, writer) if job_digest else None
        if kept is None:
            stale.append(job)
            continue
        for relative in kept:
            writer.keep(relative)
        record.jobs[job.name] = last.jobs[job.name]
    with progress.Stage("Generate", len(stale), "jobs") as stage:
        for job, made in rendered_jobs(stale, workers(), lambda done, total: stage.advance()):
            paths = []
            for path, content in made:  # a streamed job's pages are made as they are taken
                writer.write(path, content)
                paths.append(path)
                del content  # not held while the next is made: a download is tens of MB
            if job.name in digests:
                files = [(path, *(writer.stamp(path) or (-1, -1))) for path in paths]
                record.jobs[job.name] = (digests[job.name], files)
    writer.remove_stale()
    store.write(record.jobs)  # if it cannot be kept, the next run renders everything
    return writer


PAGES_RECORD = ".build/pages.json"
"""What `generate` wrote, by job (write.PagesRecord): the next build renders only what changed."""


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


BUILDER = ("mkdocs", "build", "--strict")
"""The builder's command after `python -m` (not with --quiet: it hides the warnings, and
--strict counts none). ProperDocs takes the same (`properdocs build --strict`)."""
SHARD_CACHE = ".build/shards"
"""Where `make build` keeps each shard built (scripts/builder/shards.py)."""
OLD_SITE = ".build/site-old"
"""The site the last build replaced, until the next build deletes it."""
SEARCH_CACHE = ".build/search"
"""The search bundles of the last build, reused while their inputs are the same (search.py)."""
SHRINK_RECORD = ".build/shrunk.json"
"""Which pages the last build shrank, and into what (scripts/builder/shrink.py)."""


@dataclass(frozen=True)
class Shards:
    """The shards of docs/ as generated, and how to run the builder on them."""

    plan: list[builder.Shard]
    command: list[str]
    env: dict[str, str]

    def named(self, name: str) -> builder.Shard:
        for shard in self.plan:
            if shard.name == name:
                return shard
        raise builder.BuildError(f"no shard {name}; there are {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [shard.name for shard in self.plan]


def shards(
    root: Path, years: Mapping[str, str] | None = None, shard_pages: int = SHARD_PAGES
) -> Shards:
    """The keyed shards of root/docs (`years`: each statement's year by id; `shard_pages` 0:
    one shard of everything)."""
    build_date = source_date_epoch(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": build_date}
    common = builder.common_digest(root, code_fingerprint(), BUILDER[0], build_date)
    plan, _ = builder.shards_of(root, years or {}, shard_pages, common)
    return Shards(plan, [sys.executable, "-m", *BUILDER], env)


def build_shards(
    root: Path,
    planned: Shards,
    folders: Mapping[str, Path],
    staging: Path,
    *,
    build: bool = True,
) -> None:
    """The shards built (those not already in their folders), shown as they go, and assembled
    into `staging`. BuildError if one fails."""
    with progress.Stage("Builder", len(planned.plan), "shards") as stage:
        built = builder.build_all(
            root,
            planned.plan,
            folders,
            planned.command,
            planned.env,
            workers(),
            lambda shard, seconds, reused: stage.advance(
                f"{shard.name}: {len(shard.pages)} pages, "
                + ("reused" if reused else f"{seconds:.1f} s")
            ),
            build=build,
        )
    builder.assemble(built, staging, root / "docs")


def mkdocs_build(
    root: Path,
    site_dir: Path,
    before_swap: Callable[[Path], bool] | None = None,
    years: Mapping[str, str] | None = None,
    shard_pages: int = SHARD_PAGES,
    shard_folders: Mapping[str, Path] | None = None,
) -> bool:
    """`mkdocs build --strict` of docs/ into `site_dir`, in shards (scripts/builder/shards.py:
    `years` are the statements' years by id; `shard_pages` 0 builds one shard of everything), each
    reused from .build/shards while unchanged — or, with `shard_folders`, only put together
    from the shards built there (the deploy workflow's matrix). A failed build leaves `site_dir`
    as it was. `before_swap` runs on the built folder before it replaces `site_dir`; False stops
    the swap."""
    staging = root / ".build" / "site"
    shutil.rmtree(staging, ignore_errors=True)
    # The site the last build replaced is deleted while this one works, not at the end of that
    # one: tens of thousands of files, seconds of unlinking at a few thousand statements.
    old = root / OLD_SITE
    clearing = threading.Thread(target=shutil.rmtree, args=(old, True))
    clearing.start()
    try:
        planned = shards(root, years, shard_pages)
        if shard_folders is None:
            cache = root / SHARD_CACHE
            builder.prune(cache, planned.plan)
            folders = {name: cache / name for name in planned.names}
            build_shards(root, planned, folders, staging)
        else:
            build_shards(root, planned, shard_folders, staging, build=False)
        if before_swap is not None and not before_swap(staging):
            return False
        clearing.join()
        try:
            swap(staging, site_dir, old)
        except OSError as error:
            print(f"Could not put the new site in place: {error}", file=sys.stderr)
            return False
        return True
    except (builder.BuildError, OSError) as error:
        print(f"The builder failed: {error}", file=sys.stderr)
        return False
    finally:  # whatever happened, no half-built site is left behind
        clearing.join()
        shutil.rmtree(staging, ignore_errors=True)


_RENAME_EXCHANGE = 2
"""renameat2(2)'s flag: swap two paths in one step."""


def exchange(one: Path, other: Path) -> None:
    """Swap two folders in one step (Linux renameat2 with RENAME_EXCHANGE): there is no moment
    with neither in place. NotImplementedError where the system has no such call."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise NotImplementedError("renameat2")
    at_cwd = -100
    if renameat2(at_cwd, os.fsencode(one), at_cwd, os.fsencode(other), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.EXDEV):
            raise NotImplementedError(os.strerror(code))
        raise OSError(code, os.strerror(code), str(other))


def swap(new: Path, site_dir: Path, old: Path) -> None:
    """Put the folder `new` in place of `site_dir`, which is left as it was if this fails; in one
    step where the system can (a kill at any moment leaves one whole site), else by two renames
    with the last good site put back if the second fails. The replaced site is left at `old`
    (for the next build to delete)."""
    shutil.rmtree(old, ignore_errors=True)
    if not site_dir.exists():
        new.rename(site_dir)
        return
    try:
        exchange(new, site_dir)
    except NotImplementedError:
        pass
    else:
        try:
            new.rename(old)  # now the old site
        except OSError:
            shutil.rmtree(new, ignore_errors=True)
        return
    site_dir.rename(old)
    try:
        new.rename(site_dir)
    except OSError:  # the last good site goes back where it was
        if old.exists() and not site_dir.exists():
            old.rename(site_dir)
        raise


@contextmanager
def build_lock(root: Path) -> Iterator[bool]:
    """Whether this process holds the checkout's build lock (.build/build.lock) while the block
    runs: two builds in one checkout would stage in the same folder and undo each other."""
    folder = root / ".build"
    folder.mkdir(exist_ok=True)
    with open(folder / "build.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def statement_years(archive: Archive) -> dict[str, str]:
    """Each statement's year (`2021`, `undated`) by id: the shard its pages are built in."""
    return {s.id: s.year for s in archive.statements}


def build_site(
    root: Path,
    archive: Archive,
    site_dir: Path,
    shard_pages: int = SHARD_PAGES,
    shard_folders: Mapping[str, Path] | None = None,
) -> bool:
    """The builder, then the search index, then the swap into `site_dir`; False (the reason
    printed) if any of them failed, `site_dir` left as it was. `shard_folders`: see
    `mkdocs_build`. The site is shrunk (scripts/builder/shrink.py) after its search index is
    made: the index is made from the pages as the builder wrote them."""
    return mkdocs_build(
        root,
        site_dir,
        lambda built: index_search(root, built, archive) and shrink(root, built, site_dir),
        statement_years(archive),
        shard_pages,
        shard_folders,
    )


def shrink(root: Path, built: Path, site_dir: Path) -> bool:
    """`built` shrunk (scripts/builder/shrink.py), the pages the last build shrank into
    `site_dir` taken from there."""
    return shrink_site(built, site_dir, Store(root / SHRINK_RECORD))


def index_search(root: Path, site: Path, archive: Archive) -> bool:
    """Index the built `site` for search (Pagefind); False, with the reason printed, on failure."""
    try:
        summary = index_site(
            site,
            archive.statements,
            archive.vocabularies,
            site_language(root / "mkdocs.yml"),
            root / SEARCH_CACHE,
        )
    except SearchIndexError as error:
        print(f"Search index: {error}", file=sys.stderr)
        return False
    others = ", ".join(f"{language} {n}" for language, n in summary.documents.items())
    others = f" (statements with text in other languages: {others})" if others else ""
    pages = f"{summary.pages} statement page{'s' if summary.pages != 1 else ''}"
    print(f"Indexed {pages} for search{others}.")
    return True
