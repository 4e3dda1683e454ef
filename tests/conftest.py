"""Shared test helpers: a fictional archive to build, and an HTML reader for built pages.

The fixture archive (tests/fixtures/archive/) holds only data/ and a pyproject.toml with
[tool.archive]; `copy_archive` adds the repository's own mkdocs.yml, docs/about.md and
docs/assets/, so the tests always build with the configuration the real site uses.
"""

from __future__ import annotations

import html
import posixpath
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from scripts.cli import Archive, prepare

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "archive"
COMPARE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "compare"
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


@pytest.fixture(scope="session")
def archive() -> Archive:
    """The fixture archive, prepared."""
    return prepared(FIXTURE)


def copy_compare_archive(destination: Path) -> Path:
    """The fixture archive with the compare fixtures' statements, buildable at `destination`."""
    copy_archive(FIXTURE, destination)
    shutil.copytree(
        COMPARE_FIXTURE / "data" / "statements",
        destination / "data" / "statements",
        dirs_exist_ok=True,
    )
    return destination


@pytest.fixture(scope="session")
def compare_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the fixture archive with the compare fixtures lies (not built)."""
    return copy_compare_archive(tmp_path_factory.mktemp("compare") / "archive")


@pytest.fixture(scope="session")
def compare_archive(compare_root: Path) -> Archive:
    """The fixture archive with the compare fixtures, prepared."""
    return prepared(compare_root)


# --- reading built HTML ----------------------------------------------------------------------

VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
"""Elements without an end tag."""


@dataclass(eq=False)
class Element:
    """One element of a parsed page."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self, skip: Callable[[Element], bool] = lambda e: False) -> str:
        """The text inside, with the elements `skip` picks left out; white space folded."""
        parts: list[str] = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif not skip(child):
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)
        if tag in ("title", "textarea"):  # RCDATA, as browsers read it: markup inside is text
            self.set_cdata_mode(tag)  # type: ignore[attr-defined]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag in ("title", "textarea"):  # RCDATA: references are decoded
            data = html.unescape(data)
        self.stack[-1].children.append(data)


@dataclass(frozen=True)
class Page:
    """A built HTML page and where it stands in the site."""

    url: str
    """Site path of the page: '' for the home page, 'statements/x/' …, '404.html'."""
    root: Element

    @property
    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.root.iter() if "id" in e.attrs} | {
            e.attrs["name"] for e in self.root.iter() if e.tag == "a" and "name" in e.attrs
        }

    def find_id(self, element_id: str) -> Element:
        return next(e for e in self.root.iter() if e.attrs.get("id") == element_id)

    def elements(self, tag: str) -> list[Element]:
        return [e for e in self.root.iter() if e.tag == tag]

    def links(self) -> list[tuple[Element, str]]:
        """Every internal <a href>, with the site path it leads to."""
        found = []
        for element in self.elements("a"):
            target = resolve(self.url, element.attrs.get("href", ""))
            if target is not None:
                found.append((element, target))
        return found

    def link_targets(self) -> set[str]:
        return {target for _, target in self.links()}


def parse_html(text: str, url: str = "") -> Page:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return Page(url, builder.root)


SITE_PATH = urlsplit(
    yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
).path
"""Where the site is served on its host (site_url's path): root-absolute links start with it."""


def resolve(page_url: str, href: str) -> str | None:
    """The site path an internal link leads to ('statements/x/#sec'); None for links that leave
    the site (a scheme or a host) — including javascript: and mailto:."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    path = unquote(parts.path)
    if path.startswith("/"):  # root-absolute (MkDocs writes these in 404.html): from site_url
        base, path = "", path.removeprefix(SITE_PATH).lstrip("/") or "."
    if path:
        joined = posixpath.normpath(posixpath.join(base or ".", path))
        target = "" if joined == "." else joined + ("/" if path.endswith(("/", ".")) else "")
    else:
        target = page_url
    return target + (f"#{parts.fragment}" if parts.fragment else "")


def page_file(site: Path, url: str) -> Path:
    """The file that serves a site path."""
    path = site / url.partition("#")[0]
    return path / "index.html" if url.partition("#")[0].endswith("/") or not url else path


class Site:
    """A built site folder, read page by page (parsed once)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pages: dict[str, Page] = {}

    def page(self, url: str) -> Page:
        if url not in self._pages:
            file = page_file(self.folder, url)
            self._pages[url] = parse_html(file.read_text(encoding="utf-8"), url)
        return self._pages[url]

    def urls(self) -> list[str]:
        """Site paths of every HTML file."""
        urls = []
        for file in sorted(self.folder.rglob("*.html")):
            relative = file.relative_to(self.folder).as_posix()
            urls.append(
                relative.removesuffix("index.html") if file.name == "index.html" else relative
            )
        return urls
