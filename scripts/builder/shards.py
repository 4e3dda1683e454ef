"""Builder stage: docs/ made into HTML by MkDocs (or ProperDocs), in shards, each reused while
what it is made from is unchanged.

A shard is a set of pages that the builder turns into HTML on its own:

- one per run of consecutive years (`years-2019-2021`): the statement pages of those years, the
  hubs', the timeline's, the table's and the compare list's year pages, and the compare pages
  whose newer statement is of those years — about `SHARD_PAGES` pages each;
- `main`: every other page, the static files (assets) and the theme's own.

The generator's files that are not pages (the downloads, every statement's JSON, the feeds:
`copied`) go to no shard when there are several: the builder would only copy them (mkdocs.yml
has no plugin), so assembling links them from docs/ instead. At 10,000 statements their
10,000 files and 300 MB made `main` take 34 s to build instead of 7, on every edit (the
downloads and feeds change with any statement).

A page's HTML depends only on its own Markdown, the navigation and the settings, so each shard is
built from a folder of its own (`.build/shards/<name>/docs`, links to the files of docs/) that
holds its pages, the navigation's pages (in a year shard, empty stand-ins: see `Shard.stubs`) and
the theme override, with a `mkdocs.yml` that inherits
the project's (`INHERIT`, which MkDocs and ProperDocs both read). The shards build in parallel,
one builder process per CPU; assembling copies each shard's own pages into one folder and merges
their sitemaps in the order one whole build writes it, so the site is byte for byte the site of
one build of all of docs/ (a test holds it; `python -m scripts build --shard-pages 0` builds it
in one piece).

Each built shard stays in `.build/shards/<name>/site` with a record of its key (a hash of its files,
the settings, the theme override, the code and the lock files, the builder and the build date) and
of every file it produced with that file's hash and stamp (size, time, inode). A shard whose key
is unchanged and whose files are still as recorded (the same stamp, or else the same hash) is
reused; anything else — a missing or unreadable record, a file changed or gone — is built again,
never served. The docs/ files' hashes are kept the same way, so a build hashes only what changed.

The same shards run as the deploy workflow's matrix (.github/workflows/deploy.yml):
`python -m scripts shards plan` lists them with their keys, `… shards build NAME` builds one,
`… shards assemble` puts the site together.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from scripts.cache import Store, file_digest, file_digests
from scripts.site import GENERATED_FOLDERS, HUB_FOLDERS, SERIES_FOLDER, page_url

MAIN = "main"
"""The shard of every page that is not of one year, and of every file that is not a page."""
SHARD_PAGES = 800
"""About this many year pages make a shard: fewer shards would leave a CPU idle at a few
thousand statements, more would spend more in starting the builder than in building."""
FORMAT = 2
"""Of the shard record; a record of another format is not trusted."""
YEAR_LISTS = ("statements", "timeline", "compare")
"""Lists that are split into year pages (render/paging.py): of every statement, and of every
compare page (by its newer statement's year)."""
RECORD = "built.json"
DOCS_RECORD = "docs.json"
"""Under .build/: the hash of every docs/ file, with its stamp (`file_digests`)."""
THEME = "overrides"
"""docs/overrides: the theme's custom_dir, in every shard (mkdocs.yml names it)."""
ASSETS = "assets"
"""docs/assets: the site's CSS and JavaScript, in every shard (the theme's pages link them)."""
_YEAR = re.compile(r"[0-9]{4}|undated")
_SITEMAP_URL = re.compile(r"<url>.*?</url>", re.DOTALL)


class BuildError(Exception):
    """A shard could not be built or put together; the message is one line."""


@dataclass(frozen=True)
class Shard:
    name: str
    pages: tuple[str, ...]
    """The pages it builds for the site (paths under docs/), in the builder's order."""
    files: tuple[str, ...]
    """Everything its build reads from docs/: its pages, the theme's override and assets (for
    `main`: all the rest of docs/ too)."""
    stubs: tuple[str, ...] = ()
    """The navigation's pages, in a year shard: empty stand-ins, as only their place in the
    navigation (and its title, from mkdocs.yml) reaches the shard's own pages. So an edit of
    the home page or the downloads does not make every year's shard stale."""
    key: str = ""


# --- the plan (pure) ----------------------------------------------------------------------------


def walk_key(path: str) -> tuple[tuple[int, bool, str], ...]:
    """The order in which MkDocs and ProperDocs find docs/ files (os.walk, folders sorted, a
    folder's own files first, `index` first among them) — the order of the sitemap."""
    *folders, name = PurePosixPath(path).parts
    stem = name.rsplit(".", 1)[0]
    return (*((1, False, folder) for folder in folders), (0, stem not in ("index", "README"), name))


def page_year(path: str, years: Mapping[str, str]) -> str | None:
    """The year (`2021`, `undated`) of a page that belongs to one, else None. `years`: each
    statement's year by id."""
    parts = path.split("/")
    if not path.endswith(".md"):
        return None
    if parts[0] == "statements" and len(parts) == 2:
        return years.get(parts[1].removesuffix(".md"))
    # Before the compare pages: compare/2021/index.md is a year page (no id is a year).
    if parts[0] in YEAR_LISTS and len(parts) >= 3 and _YEAR.fullmatch(parts[1]):
        return parts[1]
    if parts[0] == "compare" and len(parts) == 3:  # compare/<older>/<newer>.md
        return years.get(parts[2].removesuffix(".md"))
    hub_folders = {*HUB_FOLDERS.values(), SERIES_FOLDER}
    if parts[0] in hub_folders and len(parts) >= 4 and _YEAR.fullmatch(parts[2]):
        return parts[2]
    return None


def nav_pages(config: Mapping[str, object]) -> dict[str, bool]:
    """The pages mkdocs.yml's `nav` names, each with whether the nav gives it its title (every
    shard holds them: the navigation is the same on every page, so every shard needs the same
    one; a page without a title there lends the navigation its own, so its text counts)."""
    found: dict[str, bool] = {}

    def walk(item: object, titled: bool) -> None:
        if isinstance(item, str) and item.endswith(".md"):
            found[item] = found.get(item, True) and titled
        elif isinstance(item, dict):
            for value in item.values():
                walk(value, True)
        elif isinstance(item, list):
            for value in item:
                walk(value, False)

    walk(config.get("nav", []), False)
    return found


def plan(
    files: Iterable[str],
    years: Mapping[str, str],
    navigation: Mapping[str, bool],
    shard_pages: int = SHARD_PAGES,
) -> list[Shard]:
    """The shards of docs/ (`files`: every path under it), `main` first. With `shard_pages` 0 (or
    too few year pages to share out) there is one shard, `main`, of everything."""
    everything = sorted(files, key=walk_key)
    by_year: dict[str, list[str]] = {}
    for path in everything:
        year = page_year(path, years)
        if year is not None:
            by_year.setdefault(year, []).append(path)
    dated = sum(len(pages) for pages in by_year.values())
    if shard_pages <= 0 or dated < 2 * shard_pages:
        by_year = {}
    shared = [
        path
        for path in everything
        if path.split("/")[0] in (THEME, ASSETS) or navigation.get(path) is False
    ]
    stubs = tuple(path for path in everything if navigation.get(path))
    groups: list[tuple[list[str], list[str]]] = []
    for year in sorted(by_year, key=lambda y: (y == "undated", y)):
        if not groups or len(groups[-1][1]) >= shard_pages:
            groups.append(([], []))
        groups[-1][0].append(year)
        groups[-1][1].extend(by_year[year])
    taken = {path for _, pages in groups for path in pages}
    main = [path for path in everything if path not in taken and not (groups and copied(path))]
    shards = [Shard(MAIN, _pages_of(main), tuple(main))]
    for group_years, pages in groups:
        name = f"years-{group_years[0]}" + (f"-{group_years[-1]}" if len(group_years) > 1 else "")
        own = sorted(pages, key=walk_key)
        shards.append(Shard(name, tuple(own), tuple(sorted({*own, *shared}, key=walk_key)), stubs))
    return shards


def copied(path: str) -> bool:
    """Whether a docs/ file reaches a site built in shards by a link from docs/ instead of
    through a shard: a file of the generator's folders that is not a page (MkDocs leaves out
    dot files; so does this)."""
    parts = path.split("/")
    return (
        not path.endswith(".md")
        and parts[0] in GENERATED_FOLDERS
        and not any(part.startswith(".") for part in parts)
    )


def _pages_of(files: Iterable[str]) -> tuple[str, ...]:
    return tuple(path for path in files if path.endswith(".md") and not _in_theme(path))


def _in_theme(path: str) -> bool:
    return path.split("/")[0] == THEME


def keyed(shards: list[Shard], digests: Mapping[str, str], common: str) -> list[Shard]:
    """The shards with their keys: `common` (what every shard is made from besides docs/: see
    `common_digest`) and the hash of each of their files."""
    out = []
    for shard in shards:
        hasher = hashlib.sha256(f"{FORMAT}\n{common}\n{shard.name}\n".encode())
        for path in shard.files:
            hasher.update(f"{path}\0{digests[path]}\n".encode())
        for path in shard.stubs:
            hasher.update(f"{path}\0stub\n".encode())
        out.append(dataclasses.replace(shard, key=hasher.hexdigest()))
    return out


def merge_sitemaps(parts: list[tuple[tuple[str, ...], str]], owner: Mapping[str, int]) -> str:
    """One sitemap from the shards' (`parts`: each shard's pages in order and its sitemap.xml),
    as one build of every page writes it: each page's entry from the shard that owns it
    (`owner`: page → its index in `parts`), in the builder's order."""
    entries: dict[str, str] = {}
    for number, (pages, text) in enumerate(parts):
        found = _SITEMAP_URL.findall(text)
        if len(found) != len(pages):
            raise BuildError(
                f"shard {number}'s sitemap has {len(found)} entries for {len(pages)} pages"
            )
        for page, entry in zip(pages, found, strict=True):
            if owner.get(page) == number:
                entries[page] = entry
    head = parts[0][1]
    first = _SITEMAP_URL.search(head)
    if first is None:  # no page at all: nothing to merge
        return head
    following = _SITEMAP_URL.search(head, first.end())
    gap = head[first.end() : following.start()] if following else "\n    "
    tail = head[head.rfind("</url>") + len("</url>") :]
    ordered = [entries[page] for page in sorted(entries, key=walk_key)]
    return head[: first.start()] + gap.join(ordered) + tail


# --- building (I/O) -----------------------------------------------------------------------------


def docs_files(docs: Path) -> list[str]:
    """Every file under docs/ (paths with /), links to files included, as the builders see them."""
    found = []
    for folder, folders, names in os.walk(docs, followlinks=True):
        folders.sort()
        relative = Path(folder).relative_to(docs).as_posix()
        for name in names:
            found.append(name if relative == "." else f"{relative}/{name}")
    return found


def common_digest(root: Path, code: str, builder: str, build_date: str) -> str:
    """What every shard is made from besides its docs/ files: the settings, the code and lock
    files (`code`: a Markdown extension is code), the builder and the build date."""
    return hashlib.sha256(
        f"{code}\n{builder}\n{build_date}\n{file_digest(root / 'mkdocs.yml')}\n".encode()
    ).hexdigest()


def read_config(root: Path) -> dict[str, object]:
    """mkdocs.yml, its tags (`!ENV`, `!!python/name:` …) read as plain values; nothing if it
    cannot be read (the builder then fails on it, and says why)."""

    class Loader(yaml.SafeLoader):
        pass

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        return None

    Loader.add_multi_constructor("", plain)  # type: ignore[no-untyped-call]
    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as handle:
            loaded = yaml.load(handle, Loader=Loader)  # a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):  # the builder says what is wrong
        return {}
    return loaded if isinstance(loaded, dict) else {}


def shards_of(
    root: Path, years: Mapping[str, str], shard_pages: int, common: str
) -> tuple[list[Shard], dict[str, str]]:
    """The keyed shards of root/docs (`common`: see `common_digest`), and the hash of every
    docs/ file."""
    docs = root / "docs"
    files = docs_files(docs)
    record = Store(root / ".build" / DOCS_RECORD)
    stamped = file_digests(docs, files, record.read())
    record.write({path: list(value) for path, value in stamped.items()})
    digests = {path: digest for path, (digest, _) in stamped.items()}
    shards = plan(files, years, nav_pages(read_config(root)), shard_pages)
    return keyed(shards, digests, common), digests


def _place(source: Path, target: Path) -> None:
    """A hard link where the file system allows one (the shards' files are never written in
    place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def cached(folder: Path, key: str) -> dict[str, str] | None:
    """The files of the shard built in `folder` (path → hash), if it was built with this key and
    every file it made is there as it was made (its stamp as recorded, or else its bytes);
    else None."""
    record = Store(folder / RECORD).read()
    if record.get("format") != FORMAT or record.get("key") != key:
        return None
    try:
        made: dict[str, list[object]] = record["files"]
        site = folder / "site"
        present = set(docs_files(site))
        if present != set(made):
            return None
        now = file_digests(site, made, made)
        if any(digest != made[path][0] for path, (digest, _) in now.items()):
            return None
        return {path: digest for path, (digest, _) in now.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def build_shard(
    root: Path, shard: Shard, folder: Path, command: list[str], env: Mapping[str, str]
) -> dict[str, str]:
    """Build one shard in `folder` (its docs, its config, its site) and record it; the files it
    made with their hashes. BuildError, with the builder's log printed, if it fails."""
    (folder / RECORD).unlink(missing_ok=True)
    for name in ("docs", "site"):
        shutil.rmtree(folder / name, ignore_errors=True)
    docs = folder / "docs"
    for path in shard.files:
        _place(root / "docs" / path, docs / path)
    for path in shard.stubs:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text("", encoding="utf-8")
    docs.mkdir(parents=True, exist_ok=True)
    inherit = Path(os.path.relpath(root / "mkdocs.yml", folder)).as_posix()
    (folder / "mkdocs.yml").write_text(
        f"INHERIT: {inherit}\ndocs_dir: docs\nsite_dir: site\n", encoding="utf-8"
    )
    run = [
        *command,
        "--config-file",
        str(folder / "mkdocs.yml"),
        "--site-dir",
        str(folder / "site"),
    ]
    completed = subprocess.run(
        run,
        cwd=root,
        env=dict(env),
        check=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if log := without_info(completed.stdout):
        print(log, file=sys.stderr)
    if completed.returncode != 0:
        raise BuildError(f"the builder failed on shard {shard.name}")
    site = folder / "site"
    stamped = file_digests(site, docs_files(site), {})
    files = {path: list(value) for path, value in stamped.items()}
    if not Store(folder / RECORD).write({"format": FORMAT, "key": shard.key, "files": files}):
        raise BuildError(f"shard {shard.name} was built but its record could not be written")
    shutil.rmtree(docs, ignore_errors=True)
    return {path: digest for path, (digest, _) in stamped.items()}


def without_info(log: str) -> str:
    """A builder's log less its INFO and DEBUG records (a record's indented lines go with it)."""
    kept, keep = [], True
    for line in log.splitlines():
        if line[:1].strip():  # a record starts at the margin
            keep = not line.startswith(("INFO", "DEBUG"))
        if keep:
            kept.append(line)
    return "\n".join(kept)


def own_outputs(shard: Shard) -> set[str]:
    """The files of a year shard's site that are its own: its pages' HTML."""
    return {f"{page_url(page)}index.html" for page in shard.pages}


SITEMAP = "sitemap.xml"


def assemble(built: list[tuple[Shard, Path, dict[str, str]]], staging: Path, docs: Path) -> None:
    """One site in `staging` from the built shards (`main` first): each shard's own pages, the
    rest from `main`, the sitemaps merged; with several shards, the `copied` files of `docs`."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    _, main_folder, main_files = built[0]
    if len(built) > 1:  # as `plan` leaves them out of `main`
        for path in docs_files(docs):
            if copied(path):
                _place(docs / path, staging / path)
    for shard, folder, made in built[1:]:
        for path in own_outputs(shard) & set(made):
            _place(folder / "site" / path, staging / path)
    for path in main_files:
        if path not in (SITEMAP, f"{SITEMAP}.gz"):
            _place(main_folder / "site" / path, staging / path)
    if SITEMAP not in main_files:
        return
    owner = {page: n for n, (shard, _, _) in enumerate(built) for page in shard.pages}
    parts = [
        (
            shard.pages if n == 0 else _with_navigation(shard),
            (folder / "site" / SITEMAP).read_text(encoding="utf-8"),
        )
        for n, (shard, folder, _) in enumerate(built)
    ]
    sitemap = merge_sitemaps(parts, owner)
    (staging / SITEMAP).write_text(sitemap, encoding="utf-8")
    if f"{SITEMAP}.gz" in main_files:
        header = (main_folder / "site" / f"{SITEMAP}.gz").read_bytes()[:10]
        mtime = int.from_bytes(header[4:8], "little")
        gz = staging / f"{SITEMAP}.gz"
        with (
            open(gz, "wb") as handle,
            gzip.GzipFile(fileobj=handle, filename=str(gz), mode="wb", mtime=mtime) as packed,
        ):
            packed.write(sitemap.encode("utf-8"))


def _with_navigation(shard: Shard) -> tuple[str, ...]:
    """Every page a year shard's builder saw, in its order: its own and the navigation's."""
    return tuple(sorted({*_pages_of(shard.files), *shard.stubs}, key=walk_key))


def prune(cache: Path, shards: list[Shard]) -> None:
    """Remove the built shards of earlier plans that this one does not have from `cache`."""
    if not cache.is_dir():
        return
    wanted = {shard.name for shard in shards}
    for folder in cache.iterdir():
        if folder.name not in wanted:
            shutil.rmtree(folder, ignore_errors=True)


Progress = Callable[[Shard, float, bool], None]
"""Told of each shard as it is done: the shard, its seconds, whether it was reused."""


def build_all(
    root: Path,
    shards: list[Shard],
    folders: Mapping[str, Path],
    command: list[str],
    env: Mapping[str, str],
    workers: int,
    done: Progress | None = None,
    *,
    build: bool = True,
) -> list[tuple[Shard, Path, dict[str, str]]]:
    """Each shard built in its folder (`folders`, by name) unless the folder holds it built with
    its key, `workers` at a time, biggest first; the shards with their folders and files.
    With `build` False a shard that is not there is an error (the matrix's assemble job)."""
    results: dict[str, dict[str, str]] = {}
    stale = []
    for shard in shards:
        made = cached(folders[shard.name], shard.key)
        if made is not None:
            results[shard.name] = made
            if done:
                done(shard, 0.0, True)
        elif not build:
            raise BuildError(f"shard {shard.name} is missing, or was built from other files")
        else:
            stale.append(shard)

    def one(shard: Shard) -> tuple[str, dict[str, str]]:
        start = time.perf_counter()
        made = build_shard(root, shard, folders[shard.name], command, env)
        if done:
            done(shard, time.perf_counter() - start, False)
        return shard.name, made

    stale.sort(key=lambda s: len(s.pages), reverse=True)
    failed: list[str] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(one, shard) for shard in stale]:
            try:
                name, made = future.result()
                results[name] = made
            except (BuildError, OSError) as error:
                failed.append(str(error))
    if failed:
        raise BuildError("; ".join(failed))
    return [(shard, folders[shard.name], results[shard.name]) for shard in shards]
