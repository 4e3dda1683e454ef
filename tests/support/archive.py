"""Archives for tests: the fictional fixture archive copied where a test may build it, read back
independently of the code under test, or prepared by the pipeline.

The fixture archive (tests/fixtures/archive/) holds only data/ and a pyproject.toml with
[tool.archive]; `copy_archive` adds the repository's own mkdocs.yml, docs/about.md and
docs/assets/, so the tests always build with the configuration the real site uses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from scripts.commands import main
from scripts.pipeline import Archive, prepare

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "archive"
COMPARE_FIXTURE = REPO / "tests" / "fixtures" / "compare"
"""Statements that join the fixture archive for the compare pages' tests (tests/test_redline.py,
tests/test_compare_page.py): an earlier round of its series, and a Chinese statement that follows
its Chinese one, each with known differences. Kept apart so that the other tests' expectations
of the fixture archive stay as they are."""
SITE_FILES = ("mkdocs.yml", "docs/about.md", "docs/search.md", "docs/assets", "docs/overrides")
"""What a build needs besides data/ and pyproject.toml: always taken from the repository."""


def copy_site_files(destination: Path) -> None:
    """The repository's mkdocs.yml, hand-written pages and assets, copied to `destination`."""
    for name in SITE_FILES:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, destination / name)
        else:
            shutil.copy2(REPO / name, destination / name)


def copy_archive(source: Path, destination: Path) -> Path:
    """A buildable archive at `destination`: data/ and pyproject.toml from `source`, the site
    configuration and hand-written pages from the repository."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", destination / "data")
    shutil.copy2(source / "pyproject.toml", destination / "pyproject.toml")
    copy_site_files(destination)
    return destination


def read_statements(root: Path) -> list[dict[str, Any]]:
    """Every statement file under `root`/data/statements as plain text values (YAML's BaseLoader:
    no implicit typing), read independently of the code under test."""
    return [  # BaseLoader builds only str, list and dict: safe, and no implicit typing
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for path in sorted((root / "data" / "statements").rglob("*.yml"))
    ]


def prepared(root: Path) -> Archive:
    """The archive at `root`, loaded, validated, modelled and indexed; it must have no problems."""
    problems, archive = prepare(root)
    assert not problems, problems
    assert archive is not None
    return archive


def build(root: Path) -> Path:
    """`python -m scripts build` of the archive at `root`; it must succeed. Its site/."""
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


def copy_compare_archive(destination: Path) -> Path:
    """The fixture archive with the compare fixtures' statements, buildable at `destination`."""
    copy_archive(FIXTURE, destination)
    shutil.copytree(
        COMPARE_FIXTURE / "data" / "statements",
        destination / "data" / "statements",
        dirs_exist_ok=True,
    )
    return destination


def git(root: Path, *args: str, date: str | None = None) -> str:
    """`git -C root …` as a test author with no user configuration; `date` (ISO 8601) as the
    author's and committer's date. Its output."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    completed = subprocess.run(
        ["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True
    )
    return completed.stdout
