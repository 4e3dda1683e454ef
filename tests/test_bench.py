"""The benchmark (scripts/dev/bench.py) and the speed-ups it measures.

No timing is asserted here: performance targets live in BENCHMARKS.md and `make bench`, not in
unit tests. These tests check that the benchmark runs end to end and reports every figure, that
the synthetic archive is deterministic and valid, and that the faster paths give the same output
as the plain ones.
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import json
import posixpath
from pathlib import Path

import pytest
from support.archive import FIXTURE, REPO

from scripts import pipeline
from scripts.builder.shards import Shard
from scripts.dev import bench
from scripts.dev.synthetic import synthetic_statements, write_synthetic_archive
from scripts.pipeline import prepare, site_config
from scripts.render.html import relative_url
from scripts.render.jobs import iter_site, render_site

pytestmark = pytest.mark.slow  # every test here builds a site, or uses one built


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], str]:
    """`python -m scripts.dev.bench --n 20 --json …`, run once: its JSON and its table."""
    return run_bench(tmp_path_factory.mktemp("bench"), ["--n", "20", "--repeat", "2"])


def run_bench(folder: Path, arguments: list[str]) -> tuple[dict[str, object], str]:
    """`python -m scripts.dev.bench` with these `arguments`, working in `folder`: its JSON and
    what it printed."""
    out = folder / "bench.json"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert bench.main([*arguments, "--json", str(out), "--work", str(folder)]) == 0
    return json.loads(out.read_text(encoding="utf-8")), printed.getvalue()


def test_bench_reports_every_figure(figures: tuple[dict[str, object], str]) -> None:
    result, _ = figures
    assert result["n"] == 20
    ours = result["ours"]
    assert isinstance(ours, dict)
    for stage in ("check", "generate", "mkdocs", "search", "shrink", "total"):
        assert ours["times"][stage] > 0, stage
    assert ours["times"]["total"] >= ours["times"]["mkdocs"]
    assert ours["cpu_seconds"]["check"] > 0 and ours["cpu_seconds"]["generate"] > 0
    assert len(ours["totals"]) == 2 and ours["times"]["total"] == min(ours["totals"])
    assert ours["memory_mb"]["python"] > 0 and ours["memory_mb"]["children"] > 0
    assert ours["pages"] > 20
    assert ours["site"]["html_pages"] > 20 and ours["site"]["bytes"] > 0
    assert ours["site"]["largest_html"]["path"].endswith(".html")
    query = ours["first_query"]
    assert query["bytes"] > 0 and query["method"] in ("node", "static")
    assert query["static_bound"] >= query["bytes"] or query["method"] == "node"
    for name in ("stock", "stock_lean"):
        stock = result[name]
        assert isinstance(stock, dict)
        assert stock["times"]["total"] > 0 and stock["pages"] == 22
        assert stock["search_index"]["bytes"] > stock["search_index"]["gzip_bytes"] > 0
        assert stock["site"]["html_pages"] >= 22
        assert isinstance(stock["ratio"], float) and stock["ratio"] > 0
    assert result["ratio"] == result["stock"]["ratio"]  # type: ignore[index]
    machine = result["machine"]
    assert isinstance(machine, dict)
    assert machine["cpus"] and machine["python"] and "mkdocs-material" in machine["versions"]


def test_bench_prints_the_table(figures: tuple[dict[str, object], str]) -> None:
    _, table = figures
    assert table.startswith("N = 20, fastest of 2 builds each\n")
    assert "| stock Material" in table and "| stock, statements out of nav" in table
    for row in (
        "check",
        "generate",
        "MkDocs build",
        "search index",
        "whole build",
        "check + generate, CPU per statement",
        "ratio ours / this",
        "peak memory",
        "largest HTML page",
        "first search query",
    ):
        assert f"| {row}" in table, row


def test_bench_leaves_data_alone(figures: tuple[dict[str, object], str]) -> None:
    """The synthetic archive goes to a folder of its own, never into the repository's data/."""
    assert not any("synthetic" in p.name for p in (REPO / "data" / "statements").rglob("*"))


def test_synthetic_archive_is_deterministic_and_validates(tmp_path: Path) -> None:
    first = synthetic_statements(30, REPO)
    assert first == synthetic_statements(30, REPO)
    assert first != synthetic_statements(30, REPO, seed=2)
    assert len(first) == 30
    write_synthetic_archive(REPO, tmp_path, 30)
    problems, archive = prepare(tmp_path)
    assert problems == []
    assert archive is not None and len(archive.statements) == 30
    assert any(
        excerpt.original and excerpt.original.language == "zh"
        for statement in archive.statements
        for section in statement.sections
        for excerpt in section.excerpts
    )


def test_synthetic_archive_has_the_second_edition(tmp_path: Path) -> None:
    """Actors, series with rounds in date order, participants who are not issuers, paragraph
    labels: the benchmark measures the pages they make."""
    write_synthetic_archive(REPO, tmp_path, 120)
    problems, archive = prepare(tmp_path)
    assert problems == [] and archive is not None
    statements = archive.statements
    assert sum(1 for s in statements if s.all_actors) > 10
    assert any(e.actors for s in statements for sec in s.sections for e in sec.excerpts)
    assert any(e.paragraph for s in statements for sec in s.sections for e in sec.excerpts)
    assert sum(1 for s in statements if s.participants) > 10
    for statement in statements:
        assert not {p.id for p in statement.participants} & set(statement.parties)
    assert archive.index.series
    for members in archive.index.series.values():
        assert [s.round for s in members] == list(range(1, len(members) + 1))
        dates = [s.date for s in members]
        assert dates == sorted(d for d in dates if d is not None)
    assert archive.index.hubs_of("actor")


def test_parallel_rendering_gives_the_same_pages(tmp_path: Path) -> None:
    """Pages rendered by worker processes equal those rendered in one, in the same order."""
    write_synthetic_archive(REPO, tmp_path, 40)
    _, archive = prepare(tmp_path)
    assert archive is not None
    config = site_config(tmp_path)
    alone = render_site(archive.index, archive.vocabularies, config)
    shared = list(iter_site(archive.index, archive.vocabularies, config, workers=2))
    assert [path for path, _ in shared] == list(alone)
    assert dict(shared) == alone


def test_fixture_pages_do_not_depend_on_workers() -> None:
    _, archive = prepare(FIXTURE)
    assert archive is not None
    config = site_config(FIXTURE)
    alone = render_site(archive.index, archive.vocabularies, config)
    assert dict(iter_site(archive.index, archive.vocabularies, config, workers=2)) == alone


def test_relative_links_match_relpath() -> None:
    """relative_url works on path segments; it gives what posixpath.relpath gives."""
    segments = ["statements", "countries", "af", "2026", "2", "feed.xml"]
    paths = [""] + [
        "/".join(combination) + end
        for n in range(1, 4)
        for combination in itertools.product(segments, repeat=n)
        for end in ("", "/")
    ]
    for start in paths[::7]:
        folder = start if not start or start.endswith("/") else start + "/"
        for path in paths:
            expected = posixpath.relpath(path or ".", folder or ".")
            expected = (
                "./"
                if expected == "."
                else expected + ("/" if path.endswith("/") or not path else "")
            )
            assert relative_url(folder, path) == expected, (folder, path)
    assert relative_url("countries/af/", "countries/af/#x") == "./#x"
    assert relative_url("countries/af/", "#x") == "#x"


def test_stock_page_carries_tags_and_excerpts(tmp_path: Path) -> None:
    _, archive = prepare(FIXTURE)
    assert archive is not None
    statement = next(s for s in archive.statements if s.sections and s.sections[0].excerpts)
    page = bench.stock_page(statement, archive.vocabularies)
    assert page.startswith("---\ntitle:")
    assert "\ntags:\n" in page
    assert f"## {statement.sections[0].heading}" in page
    assert "\n> " in page


def test_stock_choice() -> None:
    assert bench.stock_variants("both") == ("stock", "stock_lean")
    assert bench.stock_variants("none") == ()
    assert bench.stock_variants("stock_lean") == ("stock_lean",)
    with pytest.raises(SystemExit, match="unknown stock site: nope"):
        bench.stock_variants("nope")


def test_collector_is_paused_and_given_back() -> None:
    """`prepare` runs with the cyclic collector paused; it is on again afterwards (also after an
    error) unless it was off before."""
    assert gc.isenabled()
    with pytest.raises(RuntimeError), pipeline.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with pipeline.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_rebuilds_stages_are_read_from_when_its_lines_came() -> None:
    lines = [
        (0.5, "Generate: 3/3 jobs, 0.2 s\n"),
        (2.0, "Generated 9 pages (1 changed).\n"),
        (3.0, "Builder: 1/2 shards, 0.1 s · years-2000: 9 pages, reused\n"),
        (6.5, "Builder: 2/2 shards, 4.4 s · main: 3 pages, 4.4 s\n"),
        (9.0, "Indexed 9 statement pages for search.\n"),
    ]
    assert bench.rebuild_stages(lines, 10.0) == {
        "check and generate": 2.0,
        "builder": 4.5,
        "search index": 2.5,
        "shrink and swap": 1.0,
    }


# --- `--one-shard`: one year shard built for real, the rest projected ---------------------------


@pytest.fixture(scope="module")
def by_shard(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], str]:
    """`python -m scripts.dev.bench --n 20 --one-shard --shard-pages 10 …`, run once."""
    arguments = ["--n", "20", "--one-shard", "--shard-pages", "10"]
    return run_bench(tmp_path_factory.mktemp("by-shard"), arguments)


def test_one_shard_measures_and_projects(by_shard: tuple[dict[str, object], str]) -> None:
    result, table = by_shard
    assert result["n"] == 20 and result["mode"] == "one-shard"
    figures = result["figures"]
    assert isinstance(figures, list)
    how = {row["figure"]: row["how"] for row in figures}
    assert set(how.values()) == {"measured", "projected"}
    assert all(row["value"] >= 0 and row["unit"] in ("s", "MB", "bytes", "") for row in figures)
    shard = result["shard"]
    assert isinstance(shard, str) and shard.startswith("years-")
    for figure in (
        "check, from nothing",
        "generate",
        f"MkDocs, year shard {shard}",
        "MkDocs, main",
        "peak memory: check and generate",
        f"{shard}: largest HTML page, shrunk",
        "make check, one file edited",
    ):
        assert how[figure] == "measured", figure
    for figure in (
        f"MkDocs, all shards, {result['workers']} at once",
        f"MkDocs, all shards, {result['workers']} at once, from CPU seconds",
        "search index, all statements",
        "shrink, whole site",
        "whole build",
        "site",
        "site files",
        "first search query, all statements",
        "peak memory: Pagefind, all statements",
    ):
        assert how[figure] == "projected", figure
    # The projection is `project` of what was measured, and counts every shard of the plan.
    projection = result["projection"]
    assert projection == bench.project(*bench.projection_inputs(result))
    shards = result["generated"]["shards"]  # type: ignore[index]
    assert {s["name"] for s in shards} == set(projection["builder_seconds"])
    assert projection["pages"] == sum(s["pages"] for s in shards) > 20
    assert sorted(result["built"]) == sorted(["main", shard])  # type: ignore[arg-type]
    assert table.startswith(f"N = 20 by shard: one year shard ({shard}) and main built")
    assert "| measured " in table and "| projected " in table and "| site size" in table


def test_projection_of_the_whole_build() -> None:
    """`project` on shard figures made up so that the answer can be worked out by hand."""
    shards = [
        {"name": "main", "pages": 100, "kinds": {"countries": 100}},
        {"name": "years-2000", "pages": 1000, "kinds": {"statements": 400, "countries": 600}},
        {"name": "years-2001", "pages": 800, "kinds": {"statements": 300, "topics": 500}},
        {"name": "years-2002", "pages": 600, "kinds": {"statements": 300, "countries": 300}},
    ]
    year = {  # years-2000, built
        "pages": 1000,
        "seconds": 50.0,  # 0.05 s a page
        "cpu_seconds": 40.0,  # 0.04
        "statements": 400,
        "search_seconds": 8.0,  # 0.02 s a statement
        "search_bytes": 4_000_000,  # 10 kB a statement
        "search_files": 2000,  # 5 a statement
        "shrink_seconds": 10.0,  # 0.01 s a page
        "kinds": {"statements": [400, 40_000_000], "countries": [600, 30_000_000]},
        "files": 1000,
        "sitemap": [1010, 101_000],  # 100 bytes an entry
        "half": 200,
        "queries": {"a": [150_000, 200_000], "b": [100_000, 160_000]},
        "pagefind_mb": [100.0, 150.0],
    }
    main = {
        "seconds": 30.0,
        "cpu_seconds": 20.0,
        "shrink_seconds": 5.0,
        "bytes": 20_000_000,
        "files": 500,
    }
    got = bench.project(shards, year, main, 1000, 2, {"seconds": 1.5, "files": 1500})
    assert got["builder_seconds"] == {
        "main": 30.0,
        "years-2000": 50.0,
        "years-2001": 40.0,
        "years-2002": 30.0,
    }
    # Biggest first on two workers: 50 | 40, then 30 on the second (70), main on the first (80).
    assert got["builder"] == pytest.approx(80.0)
    assert got["builder_cpu"] == pytest.approx(60.0)  # 40 | 32, 24 (56), main's 20 (60)
    assert got["search"] == pytest.approx(20.0)  # 0.02 s * 1,000 statements
    assert got["shrink"] == pytest.approx(0.01 * 2400 + 5.0)
    assert got["assemble"] == pytest.approx(1.5 / 1500 * (2400 + 500))
    # Year shards: 400 * 100 kB + 600 * 50 kB; 300 * 100 kB + 500 topics pages at the shard's
    # 70 kB a page (it has no topics page); 300 * 100 kB + 300 * 50 kB. Then the sitemap, 2,500
    # entries * 100 bytes, the search bundles, 1,000 * 10 kB, and main's 20 MB.
    year_shards = 70e6 + (30e6 + 35e6) + (30e6 + 15e6)
    assert got["site_bytes"] == pytest.approx(year_shards + 250_000 + 10e6 + 20e6)
    assert got["without_main_bytes"] == pytest.approx(year_shards + 250_000 + 10e6)
    assert got["site_files"] == pytest.approx(2400 + 2 + 5000 + 500)
    # a: 150 → 200 kB from 200 to 400 statements, 250 bytes each: 350 kB at 1,000; b: 340 kB.
    assert got["first_query"] == pytest.approx(350_000)
    assert got["pagefind_mb"] == pytest.approx(300.0)
    assert got["pages"] == 2500

    alone = bench.project(shards, year, None, 1000, 2)  # main not built: at the shard's rates
    assert alone["builder_seconds"]["main"] == pytest.approx(5.0)
    assert alone["builder"] == pytest.approx(70.0)  # 50 | 40, 30 (70), main on the first (55)
    assert alone["shrink"] == pytest.approx(0.01 * 2500)
    assert alone["site_bytes"] is None and alone["assemble"] is None
    assert alone["without_main_bytes"] == got["without_main_bytes"]


def test_makespan_takes_jobs_in_order_on_the_first_free_worker() -> None:
    assert bench.makespan([], 2) == 0.0
    assert bench.makespan([3.0, 1.0, 1.0, 1.0], 2) == 3.0
    assert bench.makespan([1.0, 1.0, 3.0], 2) == 4.0
    assert bench.makespan([2.0, 2.0], 1) == 4.0


def test_page_kinds() -> None:
    assert bench.page_kind("statements/2021-05-x.md") == "statements"
    assert bench.page_kind("statements/2021/index.md") == "statements year pages"
    assert bench.page_kind("compare/2020-01-a/2021-05-x.md") == "compare"
    assert bench.page_kind("compare/2021/index.md") == "compare year pages"
    assert bench.page_kind("countries/cn/2021/index.md") == "countries"
    assert bench.page_kind("index.md") == "top"


def test_a_shards_statements_are_read_alone(tmp_path: Path) -> None:
    """`--one-shard` indexes a year shard's statements for search without the rest of the
    archive: their `related` may name statements of other years (at 100,000 statements,
    modelling them as an archive of their own failed on such a reference)."""
    write_synthetic_archive(REPO, tmp_path, 120)
    _, archive = prepare(tmp_path)
    assert archive is not None
    years = {s.id: s.year for s in archive.statements}
    chosen = next(s.year for s in archive.statements for r in s.related if years[r.id] != s.year)
    year = [s for s in archive.statements if s.year == chosen]
    pages = (*sorted(f"statements/{s.id}.md" for s in year), f"countries/cn/{chosen}.md")
    shard = Shard(f"years-{chosen}", pages, pages)
    statements, vocabularies = bench.shard_statements(tmp_path, shard)
    assert sorted(s.id for s in statements) == sorted(s.id for s in year)
    assert statements == sorted(year, key=lambda s: s.id)  # as their files are listed
    assert vocabularies == archive.vocabularies
