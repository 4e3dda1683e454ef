"""Trust in the build: the same input gives the same site, byte for byte; a failed build leaves
the last good site exactly as it was.

Reproducible: the fixture archive is built in two folders of different names and depths, in
separate processes with different hash seeds, time zones and locales, and one of them twice;
every file of the three sites is compared. The build date a site carries (the sitemap's lastmod
of pages that list no statement, and the sitemap.xml.gz header) is SOURCE_DATE_EPOCH, which
`build` takes from the latest commit that touched data/ when it is not set (scripts/pipeline.py
`source_date_epoch`); the other dates come from the data and its git history.

Atomic: a good site is built, hashed file by file, then builds that fail at each stage (the data,
mkdocs --strict on a broken mkdocs.yml or page, the search indexer, the swap itself) must each
leave it with the same hashes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.archive import (
    FIXTURE,
    REPO,
    SITE_FILES,
    copy_archive,
    copy_site_files,
    git,
    read_statements,
)

from scripts import pipeline, search
from scripts.commands import main
from scripts.pipeline import DEFAULT_SOURCE_DATE_EPOCH, source_date_epoch

pytestmark = pytest.mark.slow  # every test here builds a site, or uses one built

# --- reproducible --------------------------------------------------------------------------------


def build_in_process(root: Path, **env: str) -> None:
    """`python -m scripts build` in a process of its own, with `env` on top of this one's."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env
    completed = subprocess.run(
        [sys.executable, "-m", "scripts", "--root", str(root), "build"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path → bytes), and every folder as an empty entry."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = b"symlink:" + os.readlink(path).encode()
        elif path.is_dir():
            found[relative + "/"] = b""
        else:
            found[relative] = path.read_bytes()
    return found


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """The files that differ, each with how."""
    found = []
    for name in sorted(first.keys() | second.keys()):
        if name not in second:
            found.append(f"{name}: only in the first build")
        elif name not in first:
            found.append(f"{name}: only in the second build")
        elif first[name] != second[name]:
            found.append(f"{name}: differs")
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The fixture archive's site: built in one folder (then built again there, over the first
    build), and in another folder elsewhere, each in a process of its own."""
    base = tmp_path_factory.mktemp("reproducible")
    one = copy_archive(FIXTURE, base / "one")
    other = copy_archive(FIXTURE, base / "a much longer folder name" / "and deeper" / "clone")
    sites = {}
    build_in_process(one, PYTHONHASHSEED="1", TZ="UTC", LC_ALL="C")
    sites["first"] = tree(one / "site")
    build_in_process(one, PYTHONHASHSEED="2", TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8")
    sites["again"] = tree(one / "site")
    build_in_process(other, PYTHONHASHSEED="3", TZ="America/Los_Angeles", LC_ALL="C.UTF-8")
    sites["elsewhere"] = tree(other / "site")
    sites["folders"] = {str(one).encode(): b"", str(other).encode(): b""}  # for the path check
    return sites


def test_two_builds_in_one_folder_are_byte_identical(
    builds: dict[str, dict[str, bytes]],
) -> None:
    assert len(builds["first"]) > 100
    problems = differences(builds["first"], builds["again"])
    assert not problems, "the second build differs:\n" + "\n".join(problems)


def test_builds_in_two_folders_are_byte_identical(builds: dict[str, dict[str, bytes]]) -> None:
    problems = differences(builds["first"], builds["elsewhere"])
    assert not problems, "the build in another folder differs:\n" + "\n".join(problems)


def test_no_absolute_path_leaks_into_the_site(builds: dict[str, dict[str, bytes]]) -> None:
    folders = list(builds["folders"])
    leaks = [
        name
        for name, data in builds["elsewhere"].items()
        for folder in [*folders, str(REPO).encode(), b"/tmp/"]
        if folder in data or (name.endswith(".gz") and folder in gzip.decompress(data))
    ]
    assert not leaks, f"absolute paths in: {leaks}"


SITE_URL = "https://statement-archive.github.io/archive/"


def test_the_sitemap_carries_source_date_epoch_and_nothing_else_a_date(
    builds: dict[str, dict[str, bytes]],
) -> None:
    """Not a git checkout, no SOURCE_DATE_EPOCH: the build is dated DEFAULT_SOURCE_DATE_EPOCH,
    and so is every page that lists no statement; the others carry dates from the data alone
    (with no git history, a statement's own date, its first day, or its sources')."""
    day = dt.datetime.fromtimestamp(DEFAULT_SOURCE_DATE_EPOCH, dt.UTC).strftime("%Y-%m-%d")
    site = builds["first"]
    sitemap = site["sitemap.xml"].decode("utf-8")
    dates = re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)
    assert len(dates) == sitemap.count("<url>") > 10
    assert f"<loc>{SITE_URL}about/</loc><lastmod>{day}</lastmod>" in sitemap
    from_data = {day}
    for statement in read_statements(FIXTURE):
        for given in [
            statement.get("date", ""),
            *(s.get("published", "") for s in statement["sources"]),
        ]:
            parts = [*given.split("-"), "01", "01"][:3] if given else []
            from_data |= {"-".join(parts)} if parts else set()
    assert set(dates) <= from_data and len(set(dates)) > 2, sorted(set(dates) - from_data)
    (mtime,) = struct.unpack("<I", site["sitemap.xml.gz"][4:8])
    assert mtime == DEFAULT_SOURCE_DATE_EPOCH
    assert gzip.decompress(site["sitemap.xml.gz"]).decode("utf-8") == sitemap
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d").encode()
    assert not [name for name, data in site.items() if today in data]


def test_source_date_epoch_from_the_environment_is_respected(tmp_path: Path) -> None:
    root = copy_archive(FIXTURE, tmp_path / "archive")
    build_in_process(root, SOURCE_DATE_EPOCH="1767268800")  # 2026-01-01 12:00 UTC
    assert "<lastmod>2026-01-01</lastmod>" in (root / "site/sitemap.xml").read_text("utf-8")
    (mtime,) = struct.unpack("<I", (root / "site/sitemap.xml.gz").read_bytes()[4:8])
    assert mtime == 1767225600  # MkDocs dates the sitemap by the day


@pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="needs git and a git checkout of the repository",
)
def test_two_git_clones_in_different_folders_give_the_same_site(tmp_path: Path) -> None:
    """Two clones of this repository: the same site, dated by the latest commit to data/.
    (The clones' data/ and history, with the working tree's site configuration, so that the
    test holds while the configuration has changes not yet committed.)"""
    sites = []
    for folder in ("first", "second/much/deeper"):
        clone = tmp_path / folder / "archive"
        clone.parent.mkdir(parents=True)
        cloned = subprocess.run(
            ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)],
            capture_output=True,
            text=True,
            check=False,
        )
        if cloned.returncode != 0:  # a checkout git cannot clone (shallow, on an old git …)
            pytest.skip(f"git clone of the repository failed: {cloned.stderr.strip()}")
        for name in SITE_FILES:
            if (clone / name).is_dir():
                shutil.rmtree(clone / name)
            else:
                (clone / name).unlink(missing_ok=True)
        copy_site_files(clone)
        build_in_process(clone)
        sites.append(tree(clone / "site"))
    problems = differences(*sites)
    assert not problems, "two clones build different sites:\n" + "\n".join(problems)
    latest = git(tmp_path / "first" / "archive", "log", "-1", "--format=%cs", "--", "data")
    assert f"<lastmod>{latest.strip()}</lastmod>" in sites[0]["sitemap.xml"].decode("utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_source_date_epoch_is_the_latest_commit_that_touched_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_archive(FIXTURE, tmp_path / "archive")
    assert source_date_epoch(root) == str(DEFAULT_SOURCE_DATE_EPOCH)  # not a checkout
    git(root, "init", "--quiet")
    git(root, "add", "data")
    git(root, "commit", "--quiet", "-m", "data", date="2026-02-03T04:05:06Z")
    (root / "README.md").write_text("later, not data\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "--quiet", "-m", "docs", date="2026-09-09T00:00:00Z")
    assert source_date_epoch(root) == "1770091506"  # 2026-02-03T04:05:06Z
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    assert source_date_epoch(root) == "42"


# --- atomic ------------------------------------------------------------------------------------


def digest(folder: Path) -> dict[str, str]:
    """Each file's and folder's SHA-256 under `folder`, by relative path."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in tree(folder).items()}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive with a good site built."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("atomic") / "archive")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture
def archive(good: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the archive with its good site, and the site's hashes."""
    root = tmp_path / "archive"
    shutil.copytree(good, root, symlinks=True)
    return root, digest(root / "site")


def assert_unchanged(root: Path, before: dict[str, str]) -> None:
    after = digest(root / "site")
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert not changed, "the failed build changed site/:\n" + "\n".join(changed)
    assert not (root / ".build" / "site").exists(), "the failed build left its staging folder"


def test_failed_validation_leaves_the_last_good_site(
    archive: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, before = archive
    file = root / "data/statements/2026/2026-04-fictional-chinese-statement.yml"
    file.write_text(file.read_text("utf-8").replace("kind: press-statement", "kind: x"), "utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert "Nothing was built" in capsys.readouterr().err
    assert_unchanged(root, before)


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        # A page the navigation names is missing: mkdocs --strict stops.
        ("mkdocs.yml", "  - About: about.md\n", "  - About: about.md\n  - Gone: gone.md\n"),
        # mkdocs.yml that is not YAML MkDocs can read.
        ("mkdocs.yml", "site_name: Statement Archive\n", "site_name: [Statement Archive\n"),
        # An unknown Markdown extension.
        ("mkdocs.yml", "  - attr_list", "  - no_such_extension"),
        # A hand-written page links to a page that does not exist: a --strict warning.
        ("docs/about.md", "\n", "\n[Broken](no-such-page.md)\n"),
    ],
    ids=["nav-to-a-missing-page", "broken-yaml", "unknown-extension", "broken-link"],
)
def test_a_failed_mkdocs_build_leaves_the_last_good_site(
    archive: tuple[Path, dict[str, str]], what: str, old: str, new: str
) -> None:
    root, before = archive
    file = root / what
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert_unchanged(root, before)


def test_a_failed_search_index_leaves_the_last_good_site(
    archive: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind itself fails (here: a binary that exits 1), after MkDocs built the new site."""
    root, before = archive
    shutil.rmtree(root / pipeline.SEARCH_CACHE)  # else the last build's bundles are reused
    monkeypatch.setattr(search, "_binary", lambda: Path(shutil.which("false") or "/bin/false"))
    assert main(["--root", str(root), "build"]) == 1
    assert_unchanged(root, before)


def test_a_crash_while_indexing_leaves_the_last_good_site(
    archive: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, before = archive

    def crash(*args: Any, **kwargs: Any) -> None:
        raise MemoryError("out of memory, on purpose")

    monkeypatch.setattr(pipeline, "index_site", crash)
    with pytest.raises(MemoryError):
        main(["--root", str(root), "build"])
    assert_unchanged(root, before)


def test_a_failed_swap_puts_the_last_good_site_back(
    archive: tuple[Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Where the system cannot swap two folders in one step: the new site cannot be moved into
    place after the old one was moved aside. One line says so, and the old site is back."""
    root, before = archive
    rename = Path.rename

    def failing(self: Path, target: Any) -> Path:
        if self.name == "site" and self.parent.name == ".build":
            raise OSError("rename failed, on purpose")
        return rename(self, target)

    def unavailable(one: Path, other: Path) -> None:
        raise NotImplementedError("renameat2")

    monkeypatch.setattr(pipeline, "exchange", unavailable)
    monkeypatch.setattr(Path, "rename", failing)
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 1
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert "Could not put the new site in place: rename failed, on purpose" in error
    assert_unchanged(root, before)


def test_the_swap_is_one_step(archive: tuple[Path, dict[str, str]]) -> None:
    """Here (Linux) the new site and the old are exchanged in one step: at no moment is there no
    site/ (a kill between two renames once left none)."""
    root, _ = archive
    one, other = root / ".build" / "one", root / ".build" / "other"
    one.mkdir(parents=True)
    other.mkdir()
    (one / "a").write_text("a", encoding="utf-8")
    pipeline.exchange(one, other)
    assert (other / "a").is_file()
    assert not (one / "a").exists()


def test_a_second_build_at_once_is_refused(
    archive: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """Two builds in one checkout would stage in one folder and undo each other's work."""
    root, before = archive
    with pipeline.build_lock(root) as mine:
        assert mine
        capsys.readouterr()
        assert main(["--root", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        "Another build is running in this checkout; wait for it to finish.\n"
    )
    assert_unchanged(root, before)


def test_the_replaced_site_is_deleted_by_the_next_build(
    archive: tuple[Path, dict[str, str]],
) -> None:
    """A build leaves the site it replaced aside, whole, and the next build deletes it while it
    works (unlinking it is seconds at scale); neither is ever in site/."""
    root, _ = archive
    (root / "site" / "stale.html").write_text("from an older build", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    old = root / pipeline.OLD_SITE
    assert (old / "stale.html").is_file() and not (root / "site" / "stale.html").exists()
    assert main(["--root", str(root), "build"]) == 0
    assert not (old / "stale.html").exists() and (old / "index.html").is_file()


def test_a_good_build_replaces_the_site_whole(archive: tuple[Path, dict[str, str]]) -> None:
    """The other side of atomic: nothing of the old site survives a good build (a file only the
    old site had is gone), and the new one is complete."""
    root, before = archive
    (root / "site" / "stale.html").write_text("from an older build", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    assert digest(root / "site") == before
