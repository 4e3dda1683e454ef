"""Fixtures shared by every test module; the helpers behind them live in tests/support/.

The fixture archive (tests/fixtures/archive/) holds only data/ and a pyproject.toml with
[tool.archive]; `copy_archive` adds the repository's own mkdocs.yml, hand-written pages and
assets, so the tests always build with the configuration the real site uses.

Markers (pyproject.toml): `slow` for a test that builds a site with MkDocs (the shared
`built_site` included), `browser` for one that drives Chromium. `make test-fast` runs the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.archive import FIXTURE, REPO, build, copy_archive, copy_compare_archive, prepared
from support.browser import (  # noqa: F401  fixtures, made available to every module
    base_url,
    browser,
    chromium,
    phone,
    tab,
    window,
)
from support.html import Site

from scripts.pipeline import Archive


@pytest.fixture(scope="session")
def archive() -> Archive:
    """The fixture archive, prepared."""
    return prepared(FIXTURE)


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive, built once for the whole session with MkDocs and Pagefind. Read-only:
    a test that changes an archive builds a copy of its own."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("built") / "archive")
    build(root)
    return root


@pytest.fixture(scope="session")
def compare_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the fixture archive with the compare fixtures lies (not built)."""
    return copy_compare_archive(tmp_path_factory.mktemp("compare") / "archive")


@pytest.fixture(scope="session")
def compare_archive(compare_root: Path) -> Archive:
    """The fixture archive with the compare fixtures, prepared."""
    return prepared(compare_root)


@pytest.fixture(scope="session")
def real_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own data/, built once for the whole session (read-only)."""
    root = copy_archive(REPO, tmp_path_factory.mktemp("real") / "archive")
    build(root)
    return root


@pytest.fixture(scope="session")
def built_site(built_root: Path) -> Path:
    """The built fixture site's folder (read-only)."""
    return built_root / "site"


@pytest.fixture(scope="session")
def fixture_site(built_site: Path) -> Site:
    """The built fixture site, read page by page."""
    return Site(built_site)


BROWSER_FIXTURES = frozenset(
    {"browser", "tab", "window", "phone", "base_url", "hostile_tab", "served"}
)
SITE_FIXTURES = frozenset(
    {"built_site", "built_root", "fixture_site", "real_root", "cited_site", "hostile_site"}
    | {"hostile", "reader_site", "built"}
)
"""Fixtures that build a site with MkDocs (here or in the module that defines them)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that builds a site, or uses a built one, is slow; one that uses the browser is
    both. Modules whose every test builds say so themselves (`pytestmark`)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif names & SITE_FIXTURES:
            item.add_marker(pytest.mark.slow)
