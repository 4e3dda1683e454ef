"""Sharded and cached builds (scripts/builder.py): the site of shards is the site of one build,
byte for byte; an unchanged shard is reused; a stale or damaged one is built again, never served.

The plan and the sitemap merge are pure and tested on their own; the rest builds the fixture
archive with shards of a few pages (one a year: 2025, 2026, undated) beside one build of
everything, as the deploy workflow's matrix and `make build` both do.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.archive import FIXTURE, copy_archive, prepared

from scripts import cache, pipeline
from scripts.builder import shards as builder
from scripts.pipeline import build_site, generate, statement_years

YEARS = {"a": "2021", "b": "2022", "c": "undated"}


def test_pages_of_a_year_go_to_its_shard() -> None:
    assert builder.page_year("statements/a.md", YEARS) == "2021"
    assert builder.page_year("compare/a/b.md", YEARS) == "2022"
    assert builder.page_year("countries/af/2021/index.md", YEARS) == "2021"
    assert builder.page_year("topics/security/2022/2/index.md", YEARS) == "2022"
    assert builder.page_year("timeline/undated/index.md", YEARS) == "undated"
    assert builder.page_year("statements/2021/index.md", YEARS) == "2021"
    assert builder.page_year("compare/2021/index.md", YEARS) == "2021"
    assert builder.page_year("compare/undated/2/index.md", YEARS) == "undated"
    for other in (
        "statements/index.md",
        "compare/index.md",
        "countries/af/index.md",
        "countries/af/feed.xml",
        "data/statements/a.json",
        "index.md",
        "series/s/index.md",
    ):
        assert builder.page_year(other, YEARS) is None, other


def test_the_walk_order_is_the_builders(tmp_path: Path) -> None:
    """MkDocs' own file order (its sitemap's), on a tree with every kind of tie."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    paths = [
        "index.md",
        "about.md",
        "a/index.md",
        "a/z.md",
        "a/b/index.md",
        "a/b/a.md",
        "a-b/index.md",
        "a.md",
        "b/README.md",
        "b/2021/index.md",
        "b/2021/2/index.md",
        "statements/x.md",
        "statements/2021/index.md",
    ]
    docs = tmp_path / "docs"
    for path in paths:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text("# x\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    theirs = [f.src_uri for f in get_files(config)]
    assert sorted(paths, key=builder.walk_key) == theirs


def test_a_small_archive_is_one_shard() -> None:
    files = ["index.md", "statements/a.md", "statements/b.md", "assets/x.css"]
    shards = builder.plan(files, YEARS, {"index.md": True}, shard_pages=800)
    assert [s.name for s in shards] == ["main"]
    assert shards[0].files == tuple(sorted(files, key=builder.walk_key))


def test_years_are_grouped_into_shards_of_about_the_size() -> None:
    files = ["index.md", "about.md", "assets/x.css", "overrides/main.html", "countries/index.md"]
    years = {f"s{n}": str(2000 + n // 3) for n in range(12)}  # 3 statements a year, 2000-2003
    files += [f"statements/s{n}.md" for n in range(12)]
    navigation = {"index.md": True, "about.md": False}  # `- Home: index.md`, `- about.md`
    shards = builder.plan(files, years, navigation, shard_pages=5)
    assert [s.name for s in shards] == ["main", "years-2000-2001", "years-2002-2003"]
    assert shards[1].pages == tuple(f"statements/s{n}.md" for n in range(6))
    assert "assets/x.css" in shards[1].files and "overrides/main.html" in shards[1].files
    # The navigation's pages: a stand-in where mkdocs.yml gives the title, else the page itself.
    assert shards[1].stubs == ("index.md",) and "index.md" not in shards[1].files
    assert "about.md" in shards[1].files and "countries/index.md" not in shards[1].files
    assert set(shards[0].pages) == {"index.md", "about.md", "countries/index.md"}
    every = [p for s in shards for p in s.pages]
    assert len(every) == len(set(every))  # each page built for the site once


def test_the_generators_files_that_are_not_pages_go_to_no_shard() -> None:
    """Downloads, statements' JSON and feeds are linked from docs/ when the site is built in
    shards (so an edit's new downloads rebuild no shard); in one piece MkDocs copies them."""
    files = ["index.md", "assets/x.css", "data/index.md", "data/statements.json"]
    files += ["data/statements/s0.json", "countries/af/feed.xml", "feed.xml", "data/.x.writing"]
    years = {f"s{n}": str(2000 + n // 3) for n in range(12)}
    files += [f"statements/s{n}.md" for n in range(12)]
    shards = builder.plan(files, years, {"index.md": True}, shard_pages=5)
    left_out = [p for p in files if not any(p in s.files for s in shards)]
    assert sorted(left_out) == sorted(
        ["data/statements.json", "data/statements/s0.json", "countries/af/feed.xml", "feed.xml"]
    )
    assert all(builder.copied(p) for p in left_out)
    assert not builder.copied("data/index.md") and not builder.copied("assets/x.css")
    assert "data/.x.writing" in shards[0].files  # a dot file: MkDocs leaves it out, as ever
    (whole,) = builder.plan(files, years, {"index.md": True}, shard_pages=0)
    assert set(whole.files) == set(files)


def test_sitemaps_merge_in_the_builders_order() -> None:
    def entry(page: str) -> str:
        return f"<url>\n <loc>{page}</loc>\n</url>"

    def sitemap(pages: list[str]) -> str:
        return "<?xml?>\n<urlset>\n" + "\n    ".join(entry(p) for p in pages) + "\n</urlset>"

    main = ("index.md", "about.md", "countries/index.md")
    year = ("index.md", "about.md", "statements/a.md")
    merged = builder.merge_sitemaps(
        [(main, sitemap(list(main))), (year, sitemap(list(year)))],
        {"index.md": 0, "about.md": 0, "countries/index.md": 0, "statements/a.md": 1},
    )
    assert merged == sitemap(["index.md", "about.md", "countries/index.md", "statements/a.md"])
    with pytest.raises(builder.BuildError):
        builder.merge_sitemaps([(main, sitemap(["index.md"]))], {})


def tree_hash(site: Path) -> dict[str, str]:
    """Each file's hash by path."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("shards") / "archive")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    generate(root, prepared(root))
    return root


@pytest.fixture(scope="module")
def whole(root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One build of all of docs/, without shards: the builder's output, as the shards make it
    (no search index, not shrunk)."""
    site = tmp_path_factory.mktemp("whole") / "site"
    assert pipeline.mkdocs_build(root, site, shard_pages=0)
    shutil.rmtree(root / ".build" / "shards")
    return tree_hash(site)


@pytest.fixture(scope="module")
def whole_site(root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`make build` of all of docs/ without shards: search index and shrinking included."""
    site = tmp_path_factory.mktemp("whole-site") / "site"
    assert build_site(root, prepared(root), site, shard_pages=0)
    shutil.rmtree(root / ".build" / "shards")
    return tree_hash(site)


def build(root: Path, site: Path) -> list[tuple[str, bool]]:
    """A sharded build (a shard a year), and which shards it built (False) or reused (True)."""
    told: list[tuple[str, bool]] = []
    years = statement_years(prepared(root))
    shards = pipeline.shards(root, years, 2).plan
    staging = root / ".build" / "test-site"
    cache = root / ".build" / "shards"
    built = builder.build_all(
        root,
        shards,
        {shard.name: cache / shard.name for shard in shards},
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        {**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        2,
        lambda shard, seconds, reused: told.append((shard.name, reused)),
    )
    builder.assemble(built, staging, root / "docs")
    shutil.rmtree(site, ignore_errors=True)
    staging.rename(site)
    return sorted(told)


@pytest.mark.slow
def test_shards_make_the_site_of_one_build(root: Path, whole: dict[str, str]) -> None:
    site = root.parent / "sharded"
    told = build(root, site)
    assert told == [
        ("main", False),
        ("years-2025", False),
        ("years-2026", False),
        ("years-undated", False),
    ]
    assert tree_hash(site) == whole

    # Nothing changed: every shard reused, the same site.
    assert all(reused for _, reused in build(root, site))
    assert tree_hash(site) == whole

    # A damaged cache is built again, never served: a page changed, a page gone, the record torn.
    cache = root / ".build" / "shards"
    page = next((cache / "years-2026" / "site" / "statements").glob("*/index.html"))
    page.write_bytes(page.read_bytes().replace(b"<body", b"<body data-damaged"))
    next((cache / "years-2025" / "site" / "statements").glob("*/index.html")).unlink()
    (cache / "main" / "built.json").write_text('{"format": 1, "key"', encoding="utf-8")
    assert build(root, site) == [
        ("main", False),
        ("years-2025", False),
        ("years-2026", False),
        ("years-undated", True),
    ]
    assert tree_hash(site) == whole


@pytest.mark.slow
def test_an_edit_rebuilds_only_its_shards(root: Path, whole: dict[str, str]) -> None:
    site = root.parent / "edited"
    build(root, site)
    page = root / "docs" / "statements" / "fictional-undated-iran-letter.md"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"\n# ", b"\n<!-- edited -->\n# ", 1))
    try:
        assert build(root, site) == [
            ("main", True),
            ("years-2025", True),
            ("years-2026", True),
            ("years-undated", False),
        ]
    finally:
        page.write_bytes(original)
    assert build(root, site) == [
        ("main", True),
        ("years-2025", True),
        ("years-2026", True),
        ("years-undated", False),
    ]
    home = root / "docs" / "index.md"
    homepage = home.read_bytes()
    home.write_bytes(homepage + b"\n<!-- edited -->\n")
    try:  # the navigation's pages are stand-ins in the year shards
        assert build(root, site) == [
            ("main", False),
            ("years-2025", True),
            ("years-2026", True),
            ("years-undated", True),
        ]
    finally:
        home.write_bytes(homepage)
    assert build(root, site)[0] == ("main", False)
    assert tree_hash(site) == whole


@pytest.mark.slow
def test_the_workflow_commands_make_the_same_site(root: Path, whole_site: dict[str, str]) -> None:
    """The deploy workflow's path: plan, each shard built on its own (as matrix jobs, each with
    a cache of its own), assembled from the shards' outputs."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def shards(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "scripts", "--root", str(root), "shards", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    planned = shards("plan", "--shard-pages", "2")
    assert planned.returncode == 0, planned.stderr
    names = [entry["shard"] for entry in json.loads(planned.stdout)["include"]]
    assert names == ["main", "years-2025", "years-2026", "years-undated"]
    outputs = root.parent / "matrix"
    for name in names:
        done = shards("build", name, "--shard-pages", "2", "--out", str(outputs / name))
        assert done.returncode == 0, done.stderr
    site = root.parent / "assembled"
    joined = shards(
        "assemble", "--shard-pages", "2", "--from", str(outputs), "--site-dir", str(site)
    )
    assert joined.returncode == 0, joined.stderr
    assert tree_hash(site) == whole_site


# --- the pages of the last run (write.PagesRecord) -------------------------------------------


def docs_tree(root: Path) -> dict[str, str]:
    return tree_hash(root / "docs")


@pytest.mark.slow
def test_generate_renders_only_what_changed(tmp_path: Path) -> None:
    """A second generate renders nothing; an edited summary renders its statement's pages and
    the lists it is on, not the rest; the pages are those of a generate from nothing, and a page
    touched by hand since is rendered again."""
    root = copy_archive(FIXTURE, tmp_path / "archive")
    rendered: list[list[str]] = []

    def generate_counting() -> None:
        from scripts.render import jobs

        original = jobs.rendered_jobs
        names: list[str] = []

        def counting(todo: list[jobs.Job], *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            names.extend(job.name for job in todo)
            return original(todo, *args, **kwargs)  # type: ignore[arg-type]

        pipeline.rendered_jobs = counting  # type: ignore[assignment]
        try:
            generate(root, prepared(root))
        finally:
            pipeline.rendered_jobs = original
        rendered.append(names)

    generate_counting()
    first = docs_tree(root)
    assert len(rendered[0]) > 50
    generate_counting()
    assert rendered[1] == [] and docs_tree(root) == first

    statement = root / "data/statements/2026/2026-03-12-fictional-norway-iceland-statement.yml"
    text = statement.read_text(encoding="utf-8")
    statement.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    generate_counting()
    assert "statements/2026-03-12-fictional-norway-iceland-statement.md" in rendered[2]
    harbour = "compare/2025-05-14-fictional-harbour-consultations-round-1/"
    assert not any(name.startswith(harbour) for name in rendered[2])
    assert "compare-library" not in rendered[2]
    assert 0 < len(rendered[2]) < len(rendered[0])
    edited = docs_tree(root)
    fresh = copy_archive(FIXTURE, tmp_path / "fresh")
    shutil.copy2(statement, fresh / statement.relative_to(root))
    generate(fresh, prepared(fresh))
    assert docs_tree(fresh) == edited

    page = root / "docs/statements/2026-04-fictional-chinese-statement.md"
    page.write_text("damaged", encoding="utf-8")
    generate_counting()
    assert rendered[3] == ["statements/2026-04-fictional-chinese-statement.md"]
    assert docs_tree(root) == edited


def test_job_digests_are_the_same_in_every_process() -> None:
    """Set order follows string hashing, which Python seeds anew in each process: the digests
    must not."""
    script = (
        "from support.archive import FIXTURE, prepared\n"
        "from scripts.pipeline import site_config\n"
        "from scripts.render.jobs import job_digests, site_jobs\n"
        "a = prepared(FIXTURE)\n"
        "c = site_config(FIXTURE)\n"
        "jobs = site_jobs(a.index, a.vocabularies, c, {})\n"
        "d = job_digests(jobs, a.index, a.vocabularies, c, {}, 'code')\n"
        "import hashlib, json\n"
        "print(hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest(), len(d))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).parent)},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    assert int(outputs.pop().split()[1]) > 50


def test_a_file_is_hashed_again_only_when_its_stamp_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    (tmp_path / "b.md").write_text("two", encoding="utf-8")
    first = cache.file_digests(tmp_path, ["a.md", "b.md"], {})
    last = {path: list(value) for path, value in first.items()}
    hashed: list[str] = []
    real = cache.file_digest
    monkeypatch.setattr(cache, "file_digest", lambda path: hashed.append(path.name) or real(path))
    assert cache.file_digests(tmp_path, ["a.md", "b.md"], last) == first and hashed == []
    (tmp_path / "b.md").write_text("owt", encoding="utf-8")  # same size, a new time
    again = cache.file_digests(tmp_path, ["a.md", "b.md"], last)
    assert hashed == ["b.md"] and again["b.md"][0] == real(tmp_path / "b.md")
    assert again["a.md"] == first["a.md"] and again["b.md"][0] != first["b.md"][0]
