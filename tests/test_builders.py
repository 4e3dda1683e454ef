"""A second builder: ProperDocs, the maintained fork of MkDocs 1.6, builds the same site.

The generator writes plain Markdown into docs/ and leans on no plugin or hook (SPEC §2), so any
MkDocs-1.x-compatible builder can make the site of it. This holds it to that with the one other
builder there is: the fixture archive's pages are generated once, then built by `mkdocs build
--strict` and by `properdocs build --strict` from the same mkdocs.yml, and the two sites must be
the same, file for file and byte for byte, but for the generator <meta> tag each builder signs
its pages with (`mkdocs-1.6.1, mkdocs-material-…` and `mkdocs-ProperDocs 1.6.7,
mkdocs-material-…`). That tag is the only thing normalised, and only once per HTML page.

ProperDocs looks for properdocs.yml first and falls back to mkdocs.yml with a note that the
fallback will go away; both builds are given `--config-file mkdocs.yml`, so one configuration
serves both and cannot drift. Material's theme loads under ProperDocs through the `mkdocs.themes`
entry point ProperDocs still honours. ProperDocs is a pinned dev dependency: without it these
tests fail (they never skip), in CI as anywhere.

The Pagefind index is left out: it is made after the builder, from the built HTML, which is the
same. A build takes about a second.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.archive import FIXTURE, REPO, copy_archive, git, prepared

from scripts.pipeline import generate

pytestmark = pytest.mark.slow  # every test here builds a site, or uses one built

BUILDERS = ("mkdocs", "properdocs")
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')
"""The one line the builders write differently: the theme's generator tag."""
NORMALISED = b'<meta name="generator" content="BUILDER">'


def run_builder(builder: str, root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`python -m <builder> build --strict` of `root`'s mkdocs.yml into `site`, with a fixed
    SOURCE_DATE_EPOCH (the sitemap's date), as `make build` runs MkDocs."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            builder,
            "build",
            "--strict",
            "--config-file",
            str(root / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive with its pages generated into docs/, as `make build` leaves it just
    before the builder runs."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("builders") / "archive")
    generate(root, prepared(root))
    return root


@pytest.fixture(scope="module")
def builds(root: Path) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """Each builder's site folder and run."""
    return {
        builder: (root / ".build" / builder, run_builder(builder, root, root / ".build" / builder))
        for builder in BUILDERS
    }


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("builder", BUILDERS)
def test_each_builder_builds_the_site_strictly_without_a_warning(
    builds: dict[str, tuple[Path, subprocess.CompletedProcess[str]]], builder: str
) -> None:
    site, run = builds[builder]
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-3000:]
    assert not [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))], log
    assert (site / "index.html").is_file()


def test_properdocs_really_built_its_site(
    builds: dict[str, tuple[Path, subprocess.CompletedProcess[str]]],
) -> None:
    """The comparison is worth something only if two different programs ran: each signs the
    home page with its own name and version (and the same theme: docs/overrides/main.html
    writes Material's name without its version, as it writes the head itself)."""
    signed = {}
    for builder, (site, _) in builds.items():
        found = GENERATOR.findall((site / "index.html").read_bytes())
        assert len(found) == 1, (builder, found)
        signed[builder] = found[0].decode()
    assert signed["mkdocs"].startswith("mkdocs-1.6."), signed
    assert "ProperDocs" in signed["properdocs"], signed
    material = {name.split(", ")[-1] for name in signed.values()}
    assert material == {"mkdocs-material"}, signed


def test_the_two_sites_are_the_same_but_for_the_generator_tag(
    builds: dict[str, tuple[Path, subprocess.CompletedProcess[str]]],
) -> None:
    mkdocs, properdocs = (files(builds[builder][0]) for builder in BUILDERS)
    assert sorted(mkdocs) == sorted(properdocs), "files built by one builder only: " + ", ".join(
        sorted(set(mkdocs) ^ set(properdocs))
    )
    differ = []
    for name in sorted(mkdocs):
        first, second = mkdocs[name], properdocs[name]
        if name.endswith(".html"):
            # Normalised once per page, and only there: a second tag would be a difference.
            first, n_first = GENERATOR.subn(NORMALISED, first)
            second, n_second = GENERATOR.subn(NORMALISED, second)
            assert n_first == n_second == 1, (name, n_first, n_second)
        if first != second:
            diff = difflib.unified_diff(
                first.decode(errors="replace").splitlines(),
                second.decode(errors="replace").splitlines(),
                f"mkdocs/{name}",
                f"properdocs/{name}",
                lineterm="",
                n=1,
            )
            differ.append("\n".join(list(diff)[:20]))
    assert not differ, "\n\n".join(differ)


def test_one_configuration_serves_both_builders() -> None:
    """No properdocs.yml beside mkdocs.yml: ProperDocs would prefer it, and the two would drift."""
    assert not any((REPO / name).exists() for name in ("properdocs.yml", "properdocs.yaml"))


def test_the_generator_needs_no_builder() -> None:
    """Nothing in scripts/ imports a builder or its theme: the builder is a separate program
    that `build` and `serve` run on the generated docs/ (scripts/pipeline.py), and could be
    swapped."""
    builders = {"mkdocs", "properdocs", "material"}
    found = []
    for path in sorted((REPO / "scripts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.relative_to(REPO)}:{node.lineno}: {name}"
                for name in names
                if name.split(".")[0] in builders
            ]
    assert not found, found


# --- the sitemap: each page its own date -------------------------------------------------------

EDITED = "2026-04-fictional-chinese-statement"
"""The statement edited after the archive's first commit, in `dated_root`."""
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def dated_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The fixture archive as a git checkout, every file committed on 10 January 2026 and one
    statement edited on 20 May; generated, then built by each builder: its sitemap, site path →
    lastmod (each URL once)."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("dated") / "archive")
    git(root, "init", "--quiet", "--initial-branch=main", date="2026-01-10T09:00:00Z")
    git(root, "add", "--all", date="2026-01-10T09:00:00Z")
    git(root, "commit", "--quiet", "-m", "archive", date="2026-01-10T09:00:00Z")
    edited = root / "data/statements/2026" / f"{EDITED}.yml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "an edit", date="2026-05-20T23:30:00Z")
    generate(root, prepared(root))
    sitemaps = {}
    for builder in BUILDERS:
        site = root / ".build" / f"dated-{builder}"
        run = run_builder(builder, root, site)
        assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
        urls = ET.fromstring((site / "sitemap.xml").read_bytes()).findall(f"{SITEMAP}url")
        found: dict[str, str] = {}
        for url in urls:
            loc = url.findtext(f"{SITEMAP}loc") or ""
            assert loc.startswith(SITE_URL) and loc.removeprefix(SITE_URL) not in found, loc
            assert len(url.findall(f"{SITEMAP}lastmod")) == 1, loc
            found[loc.removeprefix(SITE_URL)] = url.findtext(f"{SITEMAP}lastmod") or ""
        sitemaps[builder] = {"site": str(site), **found}
    return sitemaps


SITE_URL = "https://statement-archive.github.io/archive/"


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_sitemap_dates_each_page_by_what_it_shows(
    dated_sites: dict[str, dict[str, str]], builder: str
) -> None:
    """A statement page: the day of its file's last commit. A hub, series, timeline or list
    page: the latest of the statements it links to; an index of hubs (countries/ …), the latest
    of its hubs'. Other pages: the build date (SOURCE_DATE_EPOCH 1767225600 in run_builder:
    1 January 2026)."""
    found = dict(dated_sites[builder])
    site = Path(found.pop("site"))
    assert found[f"statements/{EDITED}/"] == "2026-05-20"
    assert found["statements/2025-fictional-arctic-dialogue-declaration/"] == "2026-01-10"
    for page in ("", "data/", "about/", "search/"):
        assert found[page] == "2026-01-01", page
    indexes = ("countries/", "forums/", "topics/", "actors/", "series/")
    for index in indexes:
        hubs = [when for path, when in found.items() if path.startswith(index) and path != index]
        assert hubs and found[index] == max(hubs), index
    checked = 0
    for path, lastmod in found.items():
        if not path.startswith((*indexes, "timeline/", "statements/")) or path in indexes:
            continue
        if path.startswith("statements/") and path != "statements/":
            continue  # statement pages, above; statements/ is the table of every statement
        html = (site / path / "index.html").read_text(encoding="utf-8")
        names_edited = f"{EDITED}/" in html  # links are relative: ../../statements/…
        assert lastmod == ("2026-05-20" if names_edited else "2026-01-10"), path
        checked += 1
    assert checked > 20
    # Not one date for every page: the three kinds of date are all there.
    assert {"2026-05-20", "2026-01-10", "2026-01-01"} <= set(found.values())


def test_both_builders_write_the_same_sitemap(dated_sites: dict[str, dict[str, str]]) -> None:
    mkdocs, properdocs = ({**dated_sites[b], "site": ""} for b in BUILDERS)
    assert mkdocs == properdocs
