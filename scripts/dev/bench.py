"""Benchmark: build a synthetic archive of N statements, and a stock Material site beside it.

`python -m scripts.dev.bench --n 5000` (or `make bench N=5000`) writes the synthetic archive of
scripts/dev/synthetic.py into a temporary folder (never into data/), builds it the way
`python -m scripts build` does, stage by stage, and measures:

- the time of each stage: check (load, validate, model, index), generate (render and write the
  Markdown), the MkDocs build, the search index, and the whole build as a person runs it (a fresh
  Python process: start-up and imports included);
- peak memory: `ru_maxrss` from `resource.getrusage`, for the Python process of the build (check
  and generate) and for the largest of its child processes (the MkDocs build, Pagefind), each
  measured in a process of its own so that nothing else is counted;
- the site: files, bytes, the largest HTML page;
- the bytes a browser downloads for a first search query (see `first_query`).

Then, in the same run and on the same machine, it builds a **stock Material for MkDocs site of the
same statements**: one Markdown page per statement (title, metadata, summary, sections with their
excerpts as blockquotes, tags in front matter), Material's `tags` and `search` plugins on, the
navigation MkDocs makes by itself, and times its `mkdocs build` in a fresh process too. The ratio
is our whole build over its build. Results go to stdout as a table, and with --json to a file.

`--serve-edit` also measures `python -m scripts serve` at N: the time from saving an edit to one
statement file to the served page showing it (polled over HTTP on 127.0.0.1).

`--one-shard` is for an archive too large to build whole here (100,000 statements): it checks
and generates all N, plans the shards, builds one typical year shard and `main` for real (as
`python -m scripts shards build NAME` does), indexes and shrinks them, and projects the whole
build from what they measured; each figure says whether it was measured or projected
(`run_one_shard`, `project`).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import heapq
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from scripts import pipeline
from scripts.builder import shards as builder
from scripts.builder.shards import SHARD_PAGES
from scripts.builder.shrink import shrink_site
from scripts.commands.check import checked
from scripts.dev.synthetic import write_synthetic_archive
from scripts.load import load_path, statement_files, vocabularies_present
from scripts.model import Statement, Vocabularies, build_statement
from scripts.search import index_site, site_language
from scripts.site import (
    GENERATED_PATHS,
    page_url,
    statement_doc,
    statement_url,
    vocabulary_file,
)
from scripts.write import Writer

ROOT = Path(__file__).resolve().parent.parent.parent
QUERIES = ("cooperation", "合作")
"""First queries measured: a common English word, and a Chinese one (which also loads the
Chinese bundle)."""
RESULTS_SHOWN = 10
"""Results the search page shows at first (docs/assets/search.js PAGE_SIZE)."""
PAGE_ASSETS = ("docs/assets/search.js", "docs/assets/search.css")
"""What the search page loads besides the Pagefind bundle (docs/search.md)."""


# --- the builds, each in a process of its own -------------------------------------------------


def _maxrss_mb(who: int) -> float:
    """Peak resident memory in MB (Linux reports kB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the render workers)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def measure_ours(root: Path) -> dict[str, Any]:
    """Build `root` stage by stage with the functions `python -m scripts build` runs; in the
    process that runs it, so the memory figures are the build's alone. Check and generate are
    also timed in CPU seconds, which waiting for the disk does not inflate."""
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    archive, writer, _ = _check_and_generate(root, times, cpu)
    times["compare"] = _compare_generation(root, archive)
    marks: dict[str, float] = {}

    def index(built: Path) -> bool:
        marks["search"] = time.perf_counter()
        ok = pipeline.index_search(root, built, archive)
        marks["shrink"] = time.perf_counter()
        ok = ok and pipeline.shrink(root, built, root / "site")  # as build_site does
        marks["done"] = time.perf_counter()
        return ok

    start = time.perf_counter()
    if not pipeline.mkdocs_build(root, root / "site", index, pipeline.statement_years(archive)):
        raise SystemExit("the build failed")
    times["mkdocs"] = marks["search"] - start
    times["search"] = marks["shrink"] - marks["search"]
    times["shrink"] = marks["done"] - marks["shrink"]
    return {
        "times": times,
        "cpu_seconds": cpu,
        "pages": len(writer.written),
        "memory_mb": {
            "python": _maxrss_mb(resource.RUSAGE_SELF),
            "children": _maxrss_mb(resource.RUSAGE_CHILDREN),
        },
    }


def _check_and_generate(
    root: Path, times: dict[str, float], cpu: dict[str, float]
) -> tuple[pipeline.Archive, Writer, float]:
    """The check from nothing and generate, as `make build` (and `shards build NAME`) run them
    first, each timed into `times` and `cpu` (CPU seconds); the archive, the writer, and this
    process's peak memory (MB) when the check was done."""
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    status, archive = checked(root, False)  # as `make build` checks: its stores written
    times["check"] = time.perf_counter() - start
    cpu["check"] = _cpu_seconds() - cpu_start
    if archive is None:
        raise SystemExit(status)
    checked_mb = _maxrss_mb(resource.RUSAGE_SELF)
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    writer = pipeline.generate(root, archive)
    times["generate"] = time.perf_counter() - start
    cpu["generate"] = _cpu_seconds() - cpu_start
    return archive, writer, checked_mb


def _compare_generation(root: Path, archive: pipeline.Archive) -> float:
    """Seconds to render the compare pages and the per-statement JSON once more, in this process:
    their share of `generate` (issue 12)."""
    from scripts.render import compare, statement_api
    from scripts.render.context import PageContext
    from scripts.site import page_url

    config = pipeline.site_config(root)
    start = time.perf_counter()
    for path, render, _ in compare.page_specs(archive.index.statements):
        render(PageContext(archive.index, archive.vocabularies, config, page_url(path)))
    statement_api.render_statement_files(archive.index.statements, archive.vocabularies, config)
    return time.perf_counter() - start


def measure_stock(root: Path) -> dict[str, Any]:
    """`mkdocs build` of the stock site at `root`, in a child process: its time and memory."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"]
    start = time.perf_counter()
    subprocess.run(command, cwd=root, env=env, check=True)
    return {
        "times": {"mkdocs": time.perf_counter() - start},
        "memory_mb": {"children": _maxrss_mb(resource.RUSAGE_CHILDREN)},
    }


def _in_child(what: str, root: Path, *extra: str) -> tuple[float, dict[str, Any]]:
    """Run `measure_<what>(root, *extra)` in a fresh Python process; its wall time and its
    report."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        start = time.perf_counter()
        command = [sys.executable, "-m", "scripts.dev.bench", "--child", what, str(root)]
        subprocess.run(
            [*command, out.name, *extra],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        report: dict[str, Any] = json.loads(Path(out.name).read_text(encoding="utf-8"))
    return wall, report


# --- the stock Material site ------------------------------------------------------------------

STOCK_CONFIG = """\
site_name: Stock Material benchmark
theme:
  name: material
plugins:
  - search
  - tags
"""


def stock_page(statement: Statement, vocabularies: Vocabularies) -> str:
    """A statement as a plain Material page: tags in front matter, the text as Markdown."""
    tags = [
        *(vocabularies.countries[c].name for c in statement.parties + statement.all_countries),
        *(vocabularies.forums[f].name for f in statement.all_forums),
        *(vocabularies.topics[t].name for t in statement.all_topics),
    ]
    front = yaml.safe_dump(
        {"title": statement.title, "tags": list(dict.fromkeys(tags))},
        allow_unicode=True,
        sort_keys=False,
    )
    issuers = ", ".join(vocabularies.countries[c].name for c in statement.parties)
    lines = [
        f"---\n{front}---\n",
        f"# {statement.title}\n",
        f"**Date:** {statement.date.display if statement.date else 'Undated'} · "
        f"**Kind:** {vocabularies.kinds[statement.kind].name} · **Issued by:** {issuers}\n",
        f"{statement.summary}\n",
    ]
    for section in statement.sections:
        lines.append(f"## {section.heading}\n")
        if section.summary:
            lines.append(f"{section.summary}\n")
        for excerpt in section.excerpts:
            lines.append("\n>\n".join(f"> {p}" for p in excerpt.paragraphs) + "\n")
            if excerpt.original:
                lines.append("\n>\n".join(f"> {p}" for p in excerpt.original.paragraphs) + "\n")
        for annotation in section.annotations:
            lines.append(f"- *“{annotation.quote}”*: {annotation.note}\n")
    lines.append("## Sources\n")
    lines += [f"- [{source.title}]({source.url})" for source in statement.sources]
    return "\n".join(lines) + "\n"


LEAN_NAV = "not_in_nav: |\n  /statements/\n"
"""The one line a Material user would add at this size: statements out of the navigation
(else every page carries a link to every statement, and the build grows with N squared)."""
STOCK_VARIANTS = {"stock": "", "stock_lean": LEAN_NAV}
"""Stock sites built beside ours: as Material makes it, and with statements out of the nav."""


def write_stock_site(archive_root: Path, target: Path, extra_config: str = "") -> int:
    """The stock Material site of the statements in `archive_root`; returns its page count."""
    problems, archive = pipeline.prepare(archive_root)
    if archive is None:
        raise SystemExit(f"{len(problems)} problems in the synthetic archive")
    docs = target / "docs"
    (docs / "statements").mkdir(parents=True)
    (target / "mkdocs.yml").write_text(STOCK_CONFIG + extra_config, encoding="utf-8")
    (docs / "index.md").write_text("# Statements\n", encoding="utf-8")
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    for statement in archive.statements:
        page = docs / "statements" / statement.year / f"{statement.id}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(stock_page(statement, archive.vocabularies), encoding="utf-8")
    return len(archive.statements) + 2


# --- the built site -----------------------------------------------------------------------------


def served_size(path: Path) -> int:
    """Bytes over the wire as GitHub Pages serves a file: gzip (level 6, as web servers use) for
    text; Pagefind's index files and wasm are gzip already and go as they are."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def site_figures(site: Path) -> dict[str, Any]:
    """Files, bytes, HTML pages and the largest of them."""
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size)
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "html_pages": len(html),
        "largest_html": {
            "path": largest.relative_to(site).as_posix(),
            "bytes": largest.stat().st_size,
        },
    }


def compare_figures(site: Path) -> dict[str, Any]:
    """What the compare pages (issue 12) add: the compare pages of consecutive rounds and related
    pairs, and the per-statement JSON files the compare-any-two page reads — their count and
    bytes — and the bytes (gzip, as served) that page downloads to compare two statements: the
    page, its scripts and styles, the list of statements and the two largest statement files."""
    # compare/<older>/<newer>/: not the list's year pages (compare/2012/, compare/2012/2/)
    pages = [
        p
        for p in (site / "compare").glob("*/*/index.html")
        if not re.fullmatch(r"[0-9]{4}|undated", p.parent.parent.name)
    ]
    files = sorted((site / "data" / "statements").glob("*.json"), key=lambda p: p.stat().st_size)
    assets = [
        site / "compare" / "index.html",
        site / "assets" / "compare.js",
        site / "assets" / "redline.js",
        site / "assets" / "compare.css",
        site / "compare" / "diff-match-patch-es.js",
        site / "data" / "statement-list.json",
    ]
    downloads = [p for p in assets if p.is_file()] + files[-2:]
    return {
        "pages": len(pages),
        "pages_bytes": sum(p.stat().st_size for p in pages),
        "json_files": len(files),
        "json_bytes": sum(p.stat().st_size for p in files),
        "any_two_gzip_bytes": sum(served_size(p) for p in downloads),
    }


MEASURE_JS = Path(__file__).with_name("first_query.mjs")
"""What the search page fetches up to its first results, run in Node.js (see the file)."""


def pagefind_fetches(site: Path, term: str, shown: int = RESULTS_SHOWN) -> tuple[list[str], int]:
    """The files (site paths) the search page fetches for `term` up to its first `shown`
    results, and how many results there are: the built bundle's own pagefind.js run in Node.js
    with the options docs/assets/search.js sets. Needs `node` on the PATH."""
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("Node.js (node) is needed to run pagefind.js")
    completed = subprocess.run(
        [node, str(MEASURE_JS), str(site), term, str(shown)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"pagefind.js failed on {term!r}: {completed.stderr[-2000:]}")
    measured = json.loads(completed.stdout)
    return list(measured["fetched"]), int(measured["results"])


def first_query(site: Path, source: Path = ROOT) -> dict[str, Any]:
    """The bytes a browser downloads, gzip as served, from opening the search page's script to
    the first results of a query: the page's own search.js and search.css, then what Pagefind
    fetches (`pagefind_fetches`), for each query in QUERIES (the largest is the figure).
    Without Node.js, a static bound: every file it always fetches, plus the largest index chunk
    and the RESULTS_SHOWN largest fragments of each bundle."""
    assets = sum(served_size(source / name) for name in PAGE_ASSETS)
    queries: dict[str, Any] = {}
    if shutil.which("node"):
        for term in QUERIES:
            names, results = pagefind_fetches(site, term)
            pagefind = sum(served_size(site / name.lstrip("/")) for name in names)
            queries[term] = {
                "bytes": assets + pagefind,
                "files": len(names) + len(PAGE_ASSETS),
                "results": results,
            }
    bound = assets + _static_bound(site)
    worst = max((q["bytes"] for q in queries.values()), default=bound)
    return {
        "bytes": worst,
        "method": "node" if queries else "static",
        "queries": queries,
        "static_bound": bound,
    }


def _static_bound(site: Path) -> int:
    bundle = site / "pagefind"
    total = sum(
        served_size(path)
        for path in [
            bundle / "pagefind.js",
            bundle / "pagefind-entry.json",
            bundle / "facets.json",
            bundle / "languages" / "index.json",
            *bundle.glob("wasm.*.pagefind"),
        ]
    )
    for part in [bundle, *(p for p in (bundle / "languages").iterdir() if p.is_dir())]:
        total += sum(served_size(p) for p in part.glob("*.pf_meta"))
        chunks = sorted((p.stat().st_size for p in (part / "index").iterdir()), reverse=True)
        fragments = sorted((p.stat().st_size for p in (part / "fragment").iterdir()), reverse=True)
        total += sum(chunks[:1]) + sum(fragments[:RESULTS_SHOWN])
    return total


def stock_search_index(site: Path) -> dict[str, int]:
    """Material's search index: all of it is fetched before the first result."""
    index = site / "search" / "search_index.json"
    return {"bytes": index.stat().st_size, "gzip_bytes": served_size(index)}


# --- make serve: one edit, until the served page shows it ---------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except (urllib.error.URLError, OSError):
        return None


SUMMARY_LINE = re.compile(r"^summary: .*\n(?:[ ]+.*\n)*", re.M)
"""A statement file's summary: its first line and its indented continuation lines."""


def edit_summary(statement_file: Path, marker: str) -> None:
    """Replace a statement's summary with `marker`, as a contributor's edit would."""
    text = statement_file.read_text(encoding="utf-8")
    edited = SUMMARY_LINE.sub(f"summary: {marker}\n", text, count=1)
    if edited == text:
        raise SystemExit(f"no summary line in {statement_file}")
    statement_file.write_text(edited, encoding="utf-8")


def rebuild_after_edit(root: Path) -> dict[str, Any]:
    """`python -m scripts build` once more after one statement's summary is edited (one in the
    middle of the archive's years), in a fresh process, with what the last build left in .build/:
    its wall time, and what it rendered and built again."""
    files = sorted((root / "data" / "statements").rglob("*.yml"))
    edit_summary(files[len(files) // 2], f"Edited for the benchmark at {time.time_ns()}.")
    start = time.perf_counter()
    lines: list[tuple[float, str]] = []  # each line of the build's output, with when it came
    with subprocess.Popen(
        [sys.executable, "-m", "scripts", "--root", str(root), "build"],
        cwd=ROOT,
        env={**os.environ, "CI": "1"},  # plain progress lines, to count what was rebuilt
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as build:
        assert build.stdout is not None
        for line in build.stdout:
            lines.append((time.perf_counter() - start, line))
    wall = time.perf_counter() - start
    output = "".join(line for _, line in lines)
    if build.returncode != 0:
        raise SystemExit(f"the build after an edit failed:\n{output[-3000:]}")
    built = re.findall(r"· (\S+): (\d+) pages, [0-9.]+ s", output)
    return {
        "seconds": wall,
        "shards_built": [name for name, _ in built],
        "pages_built": sum(int(pages) for _, pages in built),
        "stages": rebuild_stages(lines, wall),
    }


REBUILD_MARKS = (
    ("check and generate", re.compile(r"^Generated \d+ pages")),
    ("builder", re.compile(r"^Builder: (\d+)/\1 shards")),
    ("search index", re.compile(r"^Indexed ")),
)
"""The lines of `python -m scripts build` that end each of its stages; what follows the last
is the shrinking and the swap."""


def rebuild_stages(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Seconds in each stage of a build, from when the lines that end them came."""
    stages: dict[str, float] = {}
    last = 0.0
    for name, mark in REBUILD_MARKS:
        at = next((when for when, line in lines if mark.search(line)), None)
        if at is not None:
            stages[name] = at - last
            last = at
    stages["shrink and swap"] = wall - last
    return stages


def serve_edit(root: Path, timeout: float = 600) -> dict[str, float]:
    """Start `python -m scripts serve` on `root`, wait for the first statement page, change its
    summary, and time until the served page has the new text. Also times the start."""
    statement_file = sorted((root / "data" / "statements").rglob("*.yml"))[-1]
    url = f"http://127.0.0.1:{_free_port()}"
    # `mkdocs serve` serves the site under the path of site_url (/archive/).
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    base = urllib.parse.urlsplit(str(config.get("site_url") or "/")).path.rstrip("/")
    page = f"{url}{base}/statements/{statement_file.stem}/"
    command = [sys.executable, "-m", "scripts", "--root", str(root), "serve", "--dev-addr"]
    start = time.perf_counter()
    server = subprocess.Popen(
        [*command, url.removeprefix("http://")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while _get(page) is None:
            if server.poll() is not None or time.perf_counter() - start > timeout:
                raise SystemExit("make serve did not come up")
            time.sleep(0.2)
        started = time.perf_counter() - start
        marker = f"Edited for the benchmark at {time.time_ns()}."
        time.sleep(1)  # let the server settle after its first build
        start = time.perf_counter()
        edit_summary(statement_file, marker)
        while marker not in (_get(page) or ""):
            if time.perf_counter() - start > timeout:
                raise SystemExit("the edit never reached the served page")
            time.sleep(0.1)
        return {"start": started, "edit_to_page": time.perf_counter() - start}
    finally:
        os.killpg(server.pid, 15)
        server.wait()


def check_one_change(root: Path, cold: bool = True) -> dict[str, float]:
    """`make check` on `root` as a pull request meets it, each run a fresh process: from nothing
    (no .build/cache/), again with nothing changed, and with one statement file edited (its
    summary), which is then put back. Seconds of each. With `cold` False, the check from
    nothing is left out: .build/cache/ is as a check just left it."""
    statement_file = sorted((root / "data" / "statements").rglob("*.yml"))[-1]
    if cold:
        shutil.rmtree(root / ".build" / "cache", ignore_errors=True)
    command = [sys.executable, "-m", "scripts", "--root", str(root), "check"]
    original = statement_file.read_bytes()
    times: dict[str, float] = {}
    try:
        for name in ("cold", "warm", "one_edited")[0 if cold else 1 :]:
            if name == "one_edited":
                text = original.decode("utf-8")
                edited = re.sub(
                    r"^summary: ", "summary: Edited for the benchmark. ", text, count=1, flags=re.M
                )
                if edited == text:
                    raise SystemExit(f"no summary line in {statement_file}")
                statement_file.write_text(edited, encoding="utf-8")
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times[name] = time.perf_counter() - start
    finally:
        statement_file.write_bytes(original)
    return times


# --- the whole benchmark -------------------------------------------------------------------------


@dataclass
class Options:
    n: int
    stock: tuple[str, ...] = tuple(STOCK_VARIANTS)
    """Which stock sites to build beside ours (keys of STOCK_VARIANTS)."""
    repeat: int = 1
    """Builds of each site, alternating ours and the stock ones; the fastest of each counts."""
    serve_edit: bool = False
    seed: int = 1
    work: Path | None = None
    one_shard: bool = False
    """`--one-shard`: one year shard built for real, the rest projected (`run_one_shard`)."""
    shard_pages: int = SHARD_PAGES
    main: bool = True
    """With `one_shard`: build `main` too (else it is projected from the year shard's rates)."""


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s+(\d+)", meminfo.read_text())
        memory = int(found.group(1)) // 1024 if found else 0
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    versions = {
        name: metadata.version(name)
        for name in ("mkdocs", "mkdocs-material", "pagefind", "Jinja2", "Markdown", "PyYAML")
    }
    return {
        "cpus": os.cpu_count(),
        "memory_mb": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in load],
        "versions": versions,
    }


def fresh_clone(root: Path) -> None:
    """Take away what a build leaves (generated pages, site/), as on a fresh clone."""
    for name in GENERATED_PATHS:
        path = root / "docs" / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".build", ignore_errors=True)


def _fastest(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The report of the fastest build; every build's total kept beside it."""
    best = min(reports, key=lambda r: float(r["times"]["total"]))
    return {**best, "totals": [r["times"]["total"] for r in reports]}


@contextlib.contextmanager
def synthetic_work(options: Options) -> Iterator[tuple[Path, Path, float]]:
    """The work folder (`options.work`, else a temporary one while the run lasts), a synthetic
    archive of `options.n` statements written afresh in it, and the seconds that took."""
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        work = options.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        archive = work / "archive"
        shutil.rmtree(archive, ignore_errors=True)
        archive.mkdir()
        start = time.perf_counter()
        write_synthetic_archive(ROOT, archive, options.n, options.seed)
        yield work, archive, time.perf_counter() - start


def run(options: Options) -> dict[str, Any]:
    """Every figure for one N."""
    with synthetic_work(options) as (work, archive, synthetic_seconds):
        result: dict[str, Any] = {
            "n": options.n,
            "machine": machine(),
            "synthetic_seconds": synthetic_seconds,
            "repeat": options.repeat,
        }
        stock_pages = {}
        for name in options.stock:
            shutil.rmtree(work / name, ignore_errors=True)
            stock_pages[name] = write_stock_site(archive, work / name, STOCK_VARIANTS[name])
        builds: dict[str, list[dict[str, Any]]] = {"ours": [], **{n: [] for n in options.stock}}
        for _ in range(options.repeat):
            fresh_clone(archive)
            wall, ours = _in_child("ours", archive)
            ours["times"]["total"] = wall
            builds["ours"].append(ours)
            for name in options.stock:
                shutil.rmtree(work / name / "site", ignore_errors=True)
                _, stock = _in_child("stock", work / name)
                stock["times"]["total"] = stock["times"]["mkdocs"]
                builds[name].append(stock)
        ours = _fastest(builds["ours"])
        ours["rebuild"] = rebuild_after_edit(archive)
        ours["rebuild"]["ratio"] = ours["rebuild"]["seconds"] / ours["times"]["total"]
        ours["site"] = site_figures(archive / "site")
        ours["compare"] = compare_figures(archive / "site")
        ours["first_query"] = first_query(archive / "site")
        result["ours"] = ours
        for name in options.stock:
            stock = _fastest(builds[name])
            stock["pages"] = stock_pages[name]
            stock["site"] = site_figures(work / name / "site")
            stock["search_index"] = stock_search_index(work / name / "site")
            stock["ratio"] = ours["times"]["total"] / stock["times"]["total"]
            result[name] = stock
        if "stock" in result:
            result["ratio"] = result["stock"]["ratio"]
        result["check_one_change"] = check_one_change(archive)
        if options.serve_edit:
            result["serve"] = serve_edit(archive)
        return result


def _markdown(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows as a Markdown table, the first row its head."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)) + " |" for r in rows
    ]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 1e6 else f"{size / 1e3:,.0f} kB"


def table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table (what BENCHMARKS.md records)."""
    ours = result["ours"]
    columns = [("ours", ours)] + [
        (label, result[name])
        for name, label in (
            ("stock", "stock Material"),
            ("stock_lean", "stock, statements out of nav"),
        )
        if name in result
    ]
    rows = [("figure", *(label for label, _ in columns))]

    def seconds(stage: str) -> Any:
        return lambda who: f"{who['times'][stage]:,.1f} s" if stage in who["times"] else ""

    for stage, name in (
        ("check", "check (load, validate, model, index)"),
        ("generate", "generate (render, write Markdown)"),
        ("compare", "… of which compare pages and statement JSON"),
        ("mkdocs", "MkDocs build"),
        ("search", "search index"),
        ("shrink", "minify, leave out the unused, gzip"),
        ("total", "whole build, fresh process"),
    ):
        rows.append((name, *(seconds(stage)(who) for _, who in columns)))
    cpu = ours.get("cpu_seconds")
    if cpu:
        per_statement = 1000 * (cpu["check"] + cpu["generate"]) / result["n"]
        rows.append(
            (
                "check + generate, CPU per statement",
                f"{per_statement:.1f} ms",
                *("" for _ in columns[1:]),
            )
        )
    if len(columns) > 1:
        rows.append(("ratio ours / this", "", *(f"{who['ratio']:.2f}" for _, who in columns[1:])))
    rows.append(
        (
            "peak memory: Python / largest child",
            f"{ours['memory_mb']['python']:,.0f} / {ours['memory_mb']['children']:,.0f} MB",
            *(f"— / {who['memory_mb']['children']:,.0f} MB" for _, who in columns[1:]),
        )
    )
    rows.append(("pages (Markdown)", *(f"{who['pages']:,}" for _, who in columns)))
    rows.append(
        (
            "site: files, size",
            *(f"{who['site']['files']:,}, {_mb(who['site']['bytes'])}" for _, who in columns),
        )
    )
    rows.append(
        (
            "largest HTML page",
            *(
                f"{_mb(who['site']['largest_html']['bytes'])} "
                f"({who['site']['largest_html']['path']})"
                for _, who in columns
            ),
        )
    )
    if "compare" in ours:
        compare = ours["compare"]
        rows.append(
            (
                "compare pages: count, size",
                f"{compare['pages']:,}, {_mb(compare['pages_bytes'])}",
                *("" for _ in columns[1:]),
            )
        )
        rows.append(
            (
                "per-statement JSON: files, size",
                f"{compare['json_files']:,}, {_mb(compare['json_bytes'])}",
                *("" for _ in columns[1:]),
            )
        )
        rows.append(
            (
                "compare any two: download, gzip",
                _mb(compare["any_two_gzip_bytes"]),
                *("" for _ in columns[1:]),
            )
        )
    query = ours["first_query"]
    rows.append(
        (
            "first search query, gzip",
            f"{_mb(query['bytes'])} ({query['method']})",
            *(
                f"{_mb(who['search_index']['gzip_bytes'])} "
                f"(index {_mb(who['search_index']['bytes'])})"
                for _, who in columns[1:]
            ),
        )
    )
    rebuild = ours.get("rebuild")
    if rebuild:
        rows.append(
            (
                "one statement edited: build again",
                f"{rebuild['seconds']:,.1f} s ({rebuild['ratio']:.2f} of the whole build; "
                f"{len(rebuild['shards_built'])} shards, {rebuild['pages_built']:,} pages built)",
                *("" for _ in columns[1:]),
            )
        )
        if stages := rebuild.get("stages"):
            rows.append(
                (
                    "… of which " + " / ".join(stages),
                    " / ".join(f"{seconds:.1f}" for seconds in stages.values()) + " s",
                    *("" for _ in columns[1:]),
                )
            )
    if "check_one_change" in result:
        check = result["check_one_change"]
        rows.append(
            (
                "make check: cold / warm / one file edited",
                f"{check['cold']:.1f} s / {check['warm']:.1f} s / {check['one_edited']:.1f} s",
                *("" for _ in columns[1:]),
            )
        )
    if "serve" in result:
        serve = result["serve"]
        rows.append(
            (
                "serve: start / edit → page",
                f"{serve['start']:.1f} s / {serve['edit_to_page']:.1f} s",
                *("" for _ in columns[1:]),
            )
        )
    repeat = result.get("repeat", 1)
    note = f", fastest of {repeat} builds each" if repeat > 1 else ""
    return f"N = {result['n']:,}{note}\n\n" + _markdown(rows) + "\n\n" + targets(result)


TARGETS = (
    # figure, the N it is set for, the limit, how to read it from a result, its unit
    ("whole build / lean stock Material site", 5000, 1.0, "ratio_lean", "x"),
    ("build after one edit / the whole build", 5000, 0.15, "rebuild_ratio", "x"),
    ("`make check`, one changed file", 10000, 5.0, "check_one_edit", "s"),
    ("site size", 10000, 500.0, "site_mb", "MB"),
    ("first search query, gzip", 10000, 300.0, "first_query_kb", "kB"),
    ("largest HTML page", 10000, 500.0, "largest_kb", "kB"),
    ("peak memory of any one process", 10000, 2000.0, "peak_mb", "MB"),
)
"""The scale targets (issue 13), each for the archive size it is set at."""


def _target_values(result: dict[str, Any]) -> dict[str, float | None]:
    ours = result["ours"]
    lean = result.get("stock_lean")
    check = result.get("check_one_change")
    return {
        "ratio_lean": lean["ratio"] if lean else None,
        "rebuild_ratio": ours["rebuild"]["ratio"] if "rebuild" in ours else None,
        "check_one_edit": check["one_edited"] if check else None,
        "site_mb": ours["site"]["bytes"] / 1e6,
        "first_query_kb": ours["first_query"]["bytes"] / 1e3,
        "largest_kb": ours["site"]["largest_html"]["bytes"] / 1e3,
        "peak_mb": max(ours["memory_mb"]["python"], ours["memory_mb"]["children"]),
    }


def targets(result: dict[str, Any]) -> str:
    """Every target with this run's value: met, missed, or set for another N."""
    values = _target_values(result)
    rows = [("target", "set at N", "limit", f"N = {result['n']:,}", "")]
    for name, n, limit, key, unit in TARGETS:
        value = values.get(key)
        shown = "not measured" if value is None else f"{value:,.2f} {unit}"
        if value is None:
            verdict = ""
        elif n != result["n"]:
            verdict = "(set for another N)"
        else:
            verdict = "met" if value <= limit else "MISSED"
        rows.append((name, f"{n:,}", f"≤ {limit:,g} {unit}", shown, verdict))
    return _markdown(rows)


# --- a large archive by shard: one year shard built for real, the rest projected ---------------
#
# `--one-shard` (issue 13: "100,000 by shard"). At 100,000 statements the whole build is too
# long and too big for one run of this machine, but its shards are built one by one anyway (the
# deploy workflow's matrix). So: the check and generate of the whole archive, and the plan of its
# shards, measured; one typical year shard built, searched and shrunk for real, and `main` (the
# hubs' own pages, lists, feeds, downloads: what grows with N in every part of the site) built
# too; the whole build projected from what they measured (`project`). Each figure says which it
# is (`one_shard_figures`).


def page_kind(page: str) -> str:
    """What a page of docs/ counts as in the site's bytes by kind: its first folder, with the
    lists' year pages (statements/2021/…, timeline/2021/…, compare/2021/…) apart from the
    statement and compare pages beside them; `top` for a page at the top of docs/."""
    first, _, rest = page.partition("/")
    if not rest:
        return "top"
    if first in builder.YEAR_LISTS and builder.page_year(page, {}) is not None:
        return f"{first} year pages"
    return first


def shard_summary(shard: builder.Shard) -> dict[str, Any]:
    """A planned shard: its name, its pages and their count by kind (`page_kind`)."""
    kinds: dict[str, int] = {}
    for page in shard.pages:
        kinds[page_kind(page)] = kinds.get(page_kind(page), 0) + 1
    return {"name": shard.name, "pages": len(shard.pages), "kinds": kinds}


def shard_output(shard: builder.Shard, site: Path) -> dict[str, Any]:
    """What a shard built in `site` gives the assembled site (as builder.assemble takes it): a
    year shard its pages' HTML, `main` every file but the sitemap (which is merged from every
    shard's); their count and bytes, the largest page, the pages' bytes by kind (`page_kind`:
    [pages, bytes]) and the shard's own sitemap ([entries, bytes of sitemap.xml and its gzip])."""
    sitemaps = (builder.SITEMAP, f"{builder.SITEMAP}.gz")
    if shard.name == builder.MAIN:
        files = [path for path in builder.docs_files(site) if path not in sitemaps]
    else:
        files = sorted(builder.own_outputs(shard))
    sizes = {path: (site / path).stat().st_size for path in files if (site / path).is_file()}
    kinds: dict[str, list[int]] = {}
    for page in shard.pages:
        size = sizes.get(f"{page_url(page)}index.html")
        if size is not None:
            counted = kinds.setdefault(page_kind(page), [0, 0])
            counted[0] += 1
            counted[1] += size
    largest = max((p for p in sizes if p.endswith(".html")), key=sizes.__getitem__)
    sitemap = site / builder.SITEMAP
    entries = sitemap.read_text(encoding="utf-8").count("<url>") if sitemap.is_file() else 0
    return {
        "files": len(sizes),
        "bytes": sum(sizes.values()),
        "largest_html": {"path": largest, "bytes": sizes[largest]},
        "kinds": kinds,
        "sitemap": [
            entries,
            sum((site / n).stat().st_size for n in sitemaps if (site / n).exists()),
        ],
    }


def measure_generated(root: Path, job: dict[str, Any]) -> dict[str, Any]:
    """The first steps of `python -m scripts shards build NAME` on the whole archive, in this
    process: the check from nothing, generate (docs/ of every page) and the plan of the shards
    (`job["shard_pages"]`), each timed; this process's peak memory when the check was done and at
    the end (the render workers are not measured: a child's peak counts the parent it was forked
    from); every shard's pages; each statement's year (for the shards' own processes)."""
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    archive, writer, checked_mb = _check_and_generate(root, times, cpu)
    years = pipeline.statement_years(archive)
    start = time.perf_counter()
    planned = pipeline.shards(root, years, job["shard_pages"])
    times["plan"] = time.perf_counter() - start
    return {
        "times": times,
        "cpu_seconds": cpu,
        "pages": len(writer.written),
        "statements": len(archive.statements),
        "memory_mb": {
            "check": checked_mb,
            "generate": _maxrss_mb(resource.RUSAGE_SELF),
        },
        "shards": [shard_summary(shard) for shard in planned.plan],
        "years": years,
    }


def measure_shard(root: Path, job: dict[str, Any]) -> dict[str, Any]:
    """One shard (`job["shard"]`) built into its folder (`job["folders"]`) from the docs/ made
    before, as `python -m scripts shards build NAME --out DIR` builds it: its seconds (what
    builder.build_all counts for it: its folder made, the builder run, its files hashed) and
    CPU seconds, the builder's peak memory, what it made. This process holds the plan only: a
    child's peak memory counts at least the process it was forked from (Linux keeps the high
    water mark of the memory a child shared before it ran its program), so this one's own peak
    is reported beside the builder's."""
    planned = pipeline.shards(root, job["years"], job["shard_pages"])
    shard = planned.named(job["shard"])
    folder = Path(job["folders"][shard.name])
    start, cpu = time.perf_counter(), _cpu_seconds()
    builder.build_shard(root, shard, folder, planned.command, planned.env)
    return {
        "name": shard.name,
        "pages": len(shard.pages),
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu,
        "memory_mb": {
            "builder": _maxrss_mb(resource.RUSAGE_CHILDREN),
            "this_process": _maxrss_mb(resource.RUSAGE_SELF),
        },
        "built": shard_output(shard, folder / "site"),
    }


def shard_statements(root: Path, shard: builder.Shard) -> tuple[list[Statement], Vocabularies]:
    """The statements of a shard's statement pages alone, modelled from their files (checked
    already; a statement's file is named by its id), and the vocabularies: what their search
    index is made of. Not indexed: their `related` may name statements of other shards."""
    ids = {PurePosixPath(p).stem for p in shard.pages if p == statement_doc(PurePosixPath(p).stem)}
    vocabularies = {
        name: load_path(root, root / vocabulary_file(name)) for name in vocabularies_present(root)
    }
    statements = []
    for path in statement_files(root):
        if path.stem in ids:
            loaded = load_path(root, path)
            assert loaded.document is not None, loaded.file
            statements.append(build_statement(loaded.document.data, loaded.file))
    return statements, pipeline.model_vocabularies(vocabularies)


def measure_rest(root: Path, job: dict[str, Any]) -> dict[str, Any]:
    """What the build does after the builder, on the shards built (`job["folders"]`): the search
    index of the year shard's statement pages (`job["shard"]`: Pagefind, every bundle, as
    `make build` runs it over all the statement pages), and of every other one of them alone
    (linked into `job["half"]`), for how the index grows; the first query on each; each shard
    shrunk, then both assembled into one folder (`job["staging"]`). Each timed; Pagefind's
    peak memory. Only the year shard's statements are read (`shard_statements`), so that this
    process stays smaller than Pagefind (see `measure_shard`)."""
    planned = pipeline.shards(root, job["years"], job["shard_pages"])
    year = planned.named(job["shard"])
    folders = {name: Path(folder) for name, folder in job["folders"].items()}
    site = folders[year.name] / "site"
    statements, vocabularies = shard_statements(root, year)
    half = Path(job["half"])
    shutil.rmtree(half, ignore_errors=True)
    for statement in statements[::2]:
        page = f"{statement_url(statement.id)}index.html"
        (half / page).parent.mkdir(parents=True, exist_ok=True)
        os.link(site / page, half / page)
    searches: list[dict[str, Any]] = []
    # The smaller first: the peak memory read after each run is then its own.
    for folder, indexed in ((half, statements[::2]), (site, statements)):
        start = time.perf_counter()
        index_site(folder, indexed, vocabularies, site_language(root / "mkdocs.yml"))
        seconds = time.perf_counter() - start
        bundle = [path for path in (folder / "pagefind").rglob("*") if path.is_file()]
        searches.append(
            {
                "statements": len(indexed),
                "seconds": seconds,
                "files": len(bundle),
                "bytes": sum(path.stat().st_size for path in bundle),
                "memory_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),  # Pagefind's: no other yet
            }
        )
    for search, folder in zip(searches, (half, site), strict=True):
        queries = first_query(folder)["queries"]  # empty without Node.js
        search["first_query"] = {term: query["bytes"] for term, query in queries.items()}
    report: dict[str, Any] = {"statements": len(statements), "search": searches, "shrunk": {}}
    for name, folder in folders.items():
        start = time.perf_counter()
        shrink_site(folder / "site")
        report["shrunk"][name] = {
            "seconds": time.perf_counter() - start,
            "output": shard_output(planned.named(name), folder / "site"),
        }
    if builder.MAIN in folders:
        # assemble reads only which files each shard made
        made = {
            name: dict.fromkeys(builder.docs_files(folders[name] / "site"), "") for name in folders
        }
        built = [
            (planned.named(name), folders[name], made[name]) for name in (builder.MAIN, year.name)
        ]
        start = time.perf_counter()
        builder.assemble(built, Path(job["staging"]), root / "docs")
        report["assemble"] = {
            "seconds": time.perf_counter() - start,
            "files": len(builder.docs_files(Path(job["staging"]))),
        }
    return report


def makespan(seconds: list[float], workers: int) -> float:
    """The wall time of jobs of these `seconds`, taken in this order by `workers` at once, each
    job by the first to be free (as builder.build_all's pool takes the shards)."""
    free = [0.0] * max(1, workers)  # when each worker is free: a heap
    for job in seconds:
        heapq.heapreplace(free, free[0] + job)
    return max(free)


def _line(points: list[list[float]], x: float) -> float:
    """The straight line through two points ([x, y] each), at `x`."""
    (x0, y0), (x1, y1) = points
    return y1 + (y1 - y0) / (x1 - x0) * (x - x1)


def project(
    shards: list[dict[str, Any]],
    year: dict[str, Any],
    main: dict[str, Any] | None,
    statements: int,
    workers: int,
    assembled: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole build of an archive of `statements`, projected from one year shard built for
    real (`year`) and `main` (None: not built, projected from the year shard's rates too):

    - builder: each year shard `year["seconds"]` / `year["pages"]` a page, `main` as measured; the
      shards run `workers` at once, biggest first (as builder.build_all runs them: `makespan`);
      the same from their CPU seconds (`cpu_seconds`, if given): the wall time on CPUs that
      nothing else wants;
    - search: `year["search_seconds"]` / `year["statements"]` a statement page, for every one;
    - shrinking: `year["shrink_seconds"]` / `year["pages"]` a page of every year shard, `main`'s
      as measured;
    - assembly: `assembled["seconds"]` / `assembled["files"]` a file placed;
    - site: each year shard's pages of each kind at the year shard's bytes a page of that kind
      (`year["kinds"]`: kind → [pages, bytes]; a kind it has none of, at its bytes a page),
      `main`'s files as measured, the merged sitemap at the year shard's bytes an entry, the
      search bundles at their bytes and files a statement page;
    - first query: for each query, the line through its bytes on the index of every other
      statement page of the year shard and on the index of all of them (`year["queries"]`: query
      → [bytes, bytes]; `year["half"]` the statements of the first), at `statements`; the
      largest. Pagefind's peak memory the same way (`year["pagefind_mb"]`).

    `shards`: the plan (`shard_summary` of each). Seconds, bytes and file counts; None where
    there is nothing to project from."""
    main_plan = next((s for s in shards if s["name"] == builder.MAIN), None)
    year_shards = [s for s in shards if s["name"] != builder.MAIN]
    order = sorted(shards, key=lambda s: s["pages"], reverse=True)

    def builder_run(seconds: str) -> dict[str, float]:
        per_page = year[seconds] / year["pages"]
        return {
            s["name"]: main[seconds]
            if s["name"] == builder.MAIN and main
            else per_page * s["pages"]
            for s in shards
        }

    builder_seconds = builder_run("seconds")
    builder_cpu = builder_run("cpu_seconds") if "cpu_seconds" in year else None
    year_pages = sum(s["pages"] for s in year_shards)
    shrink_per_page = year["shrink_seconds"] / year["pages"]
    main_pages = main_plan["pages"] if main_plan else 0
    main_shrink = main["shrink_seconds"] if main else shrink_per_page * main_pages
    scale = statements / year["statements"]
    kinds = year["kinds"]
    page_bytes = sum(b for _, b in kinds.values()) / max(1, sum(p for p, _ in kinds.values()))
    year_bytes = sum(
        pages * (kinds[kind][1] / kinds[kind][0] if kinds.get(kind, [0])[0] else page_bytes)
        for s in year_shards
        for kind, pages in s["kinds"].items()
    )
    entries, sitemap_bytes = year["sitemap"]
    all_pages = sum(s["pages"] for s in shards)
    sitemap = sitemap_bytes / entries * all_pages if entries else 0.0
    year_files = year["files"] / year["pages"] * year_pages
    placed = year_files + (main["files"] if main else 0)  # what the assembly places
    year_part = year_bytes + sitemap + year["search_bytes"] * scale
    year_part_files = year_files + (2 if entries else 0) + year["search_files"] * scale
    queries = year.get("queries") or {}
    half = year.get("half", 0)
    return {
        "builder_seconds": builder_seconds,
        "builder": makespan([builder_seconds[s["name"]] for s in order], workers),
        "builder_cpu": (
            makespan([builder_cpu[s["name"]] for s in order], workers) if builder_cpu else None
        ),
        "search": year["search_seconds"] / year["statements"] * statements,
        "shrink": shrink_per_page * year_pages + main_shrink,
        "assemble": (
            assembled["seconds"] / assembled["files"] * placed if assembled and main else None
        ),
        "site_bytes": (year_part + main["bytes"]) if main else None,
        "site_files": (year_part_files + main["files"]) if main else None,
        "without_main_bytes": year_part,
        "first_query": max(
            (
                _line([[half, q[0]], [year["statements"], q[1]]], statements)
                for q in queries.values()
            ),
            default=None,
        ),
        "pagefind_mb": (
            _line(
                [[half, year["pagefind_mb"][0]], [year["statements"], year["pagefind_mb"][1]]],
                statements,
            )
            if "pagefind_mb" in year
            else None
        ),
        "pages": all_pages,
    }


MEASURED, PROJECTED = "measured", "projected"


def one_shard_figures(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure of a `--one-shard` run: its value and unit, whether it was measured at this
    N or projected, and from what."""
    generated, rest, projection = result["generated"], result["rest"], result["projection"]
    times, memory = generated["times"], generated["memory_mb"]
    name = result["shard"]
    year, main = result["built"][name], result["built"].get(builder.MAIN)
    shrunk = rest["shrunk"]
    statements = rest["statements"]
    rows: list[dict[str, Any]] = []

    def add(figure: str, value: float | None, unit: str, how: str, source: str = "") -> None:
        if value is not None:
            rows.append(
                {"figure": figure, "value": value, "unit": unit, "how": how, "from": source}
            )

    year_rate = year["seconds"] / year["pages"]
    sizes = [s["pages"] for s in generated["shards"] if s["name"] != builder.MAIN]
    add("synthetic archive written", result["synthetic_seconds"], "s", MEASURED)
    add("check, from nothing", times["check"], "s", MEASURED, "load, validate, model, index")
    add("generate", times["generate"], "s", MEASURED, f"{generated['pages']:,} files of docs/")
    add("plan of the shards", times["plan"], "s", MEASURED, "docs/ hashed (pipeline.shards)")
    add(
        "shards",
        len(generated["shards"]),
        "",
        MEASURED,
        f"main and {len(sizes)} year shards of {min(sizes):,} to {max(sizes):,} pages",
    )
    add("pages, all shards", projection["pages"], "", MEASURED, "the plan")
    for shard, figures in [(f"year shard {name}", year), ("main", main)]:
        if figures:
            add(
                f"MkDocs, {shard}",
                figures["seconds"],
                "s",
                MEASURED,
                f"{figures['pages']:,} pages, CPU {figures['cpu_seconds']:.1f} s",
            )
    add(
        f"MkDocs, all shards, {result['workers']} at once",
        projection["builder"],
        "s",
        PROJECTED,
        f"year shards at {1000 * year_rate:.2f} ms a page, main "
        + ("as measured" if main else "at that rate too (not built)")
        + ", biggest first",
    )
    add(
        f"MkDocs, all shards, {result['workers']} at once, from CPU seconds",
        projection["builder_cpu"],
        "s",
        PROJECTED,
        "the same from the CPU seconds: on CPUs nothing else wants",
    )
    if assembled := rest.get("assemble"):
        add(
            "assembly of the shards",
            projection["assemble"],
            "s",
            PROJECTED,
            f"{assembled['seconds']:.1f} s for the {assembled['files']:,} files of main and "
            f"{name}, a file placed",
        )
    half, search = rest["search"]
    for indexed in (half, search):
        add(
            f"search index, {indexed['statements']:,} statement pages of {name}",
            indexed["seconds"],
            "s",
            MEASURED,
            "Pagefind, every bundle" + (" (every other page)" if indexed is half else ""),
        )
    add(
        "search index, all statements",
        projection["search"],
        "s",
        PROJECTED,
        f"{1000 * search['seconds'] / statements:.2f} ms a statement page, as on {name}",
    )
    for shard, figures in shrunk.items():
        add(f"shrink, {shard}", figures["seconds"], "s", MEASURED, "minify, gzip downloads")
    add(
        "shrink, whole site",
        projection["shrink"],
        "s",
        PROJECTED,
        f"{name}'s seconds a page for every year shard, main "
        + ("as measured" if main else "at that rate too"),
    )
    stages = [projection["builder"], projection["assemble"] or 0.0, projection["search"]]
    add(
        "whole build",
        times["check"] + times["generate"] + times["plan"] + sum(stages) + projection["shrink"],
        "s",
        PROJECTED,
        "check, generate and plan measured; builder, assembly, search, shrink projected",
    )
    add("peak memory: check", memory["check"], "MB", MEASURED, "the build's Python process")
    add("peak memory: check and generate", memory["generate"], "MB", MEASURED, "the same")
    add(f"peak memory: MkDocs, {name}", year["memory_mb"]["builder"], "MB", MEASURED)
    if main:
        add("peak memory: MkDocs, main", main["memory_mb"]["builder"], "MB", MEASURED)
    for indexed in (half, search):
        add(
            f"peak memory: Pagefind, {indexed['statements']:,} statement pages",
            indexed["memory_mb"],
            "MB",
            MEASURED,
            "its largest run",
        )
    add(
        "peak memory: Pagefind, all statements",
        projection["pagefind_mb"],
        "MB",
        PROJECTED,
        f"the line through the two above, at {result['n']:,}",
    )
    for shard, figures in [(name, year), *([(builder.MAIN, main)] if main else [])]:
        built, after = figures["built"], shrunk[shard]["output"]
        add(
            f"{shard}: its part of the site, as built",
            built["bytes"],
            "bytes",
            MEASURED,
            f"{built['files']:,} files",
        )
        add(
            f"{shard}: its part of the site, shrunk",
            after["bytes"],
            "bytes",
            MEASURED,
            f"{after['files']:,} files",
        )
        add(
            f"{shard}: largest HTML page, shrunk",
            after["largest_html"]["bytes"],
            "bytes",
            MEASURED,
            after["largest_html"]["path"],
        )
    add(
        f"search bundles, {name}",
        search["bytes"],
        "bytes",
        MEASURED,
        f"{search['files']:,} files",
    )
    add(
        "site" if main else "site without main",
        projection["site_bytes"] if main else projection["without_main_bytes"],
        "bytes",
        PROJECTED,
        f"{name}'s shrunk bytes a page by kind, times every year shard's pages of that kind, "
        + ("main as measured, " if main else "")
        + "sitemap and search bundles by the page",
    )
    add("site files", projection["site_files"], "", PROJECTED, "the same way")
    for indexed in (half, search):
        if queries := indexed["first_query"]:
            add(
                f"first search query, {indexed['statements']:,} statement pages",
                max(queries.values()),
                "bytes",
                MEASURED,
                "gzip, as served; the larger of " + " and ".join(queries),
            )
    add(
        "first search query, all statements",
        projection["first_query"],
        "bytes",
        PROJECTED,
        f"for each query the line through the two above, at {result['n']:,}; the larger",
    )
    check = result["check_one_change"]
    add("make check, warm", check["warm"], "s", MEASURED, "nothing changed")
    add("make check, one file edited", check["one_edited"], "s", MEASURED, "a summary")
    return rows


def _shown(row: dict[str, Any]) -> str:
    value, unit = row["value"], row["unit"]
    if unit == "bytes":
        return _mb(value)
    if unit == "s":
        return f"{value:,.1f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.0f}"


def one_shard_targets(result: dict[str, Any]) -> list[tuple[str, ...]]:
    """The targets of issue 13 (TARGETS) this mode has a figure for, at its N: the value, whether
    measured or projected, and whether it would hold."""
    figures = {row["figure"]: row for row in result["figures"]}
    peaks = [
        r
        for r in result["figures"]
        if r["how"] == MEASURED and r["figure"].startswith("peak memory")
    ]
    peak = max(peaks, key=lambda r: r["value"])
    projected_peak = figures.get("peak memory: Pagefind, all statements")
    if projected_peak and projected_peak["value"] > peak["value"]:
        peak = projected_peak
    largest = max(
        (r for r in result["figures"] if "largest HTML page" in r["figure"]),
        key=lambda r: r["value"],
    )
    values = {
        "check_one_edit": (figures["make check, one file edited"], 1.0),
        "site_mb": (figures.get("site"), 1e-6),
        "first_query_kb": (figures.get("first search query, all statements"), 1e-3),
        "largest_kb": (largest, 1e-3),
        "peak_mb": (peak, 1.0),
    }
    rows: list[tuple[str, ...]] = [("target", "limit", f"N = {result['n']:,}", "", "", "")]
    for name, _, limit, key, unit in TARGETS:
        row, factor = values.get(key, (None, 1.0))
        if row is None:
            continue
        value = row["value"] * factor
        rows.append(
            (
                name,
                f"≤ {limit:,g} {unit}",
                f"{value:,.1f} {unit}",
                row["how"],
                row["figure"],
                "holds" if value <= limit else "MISSED",
            )
        )
    return rows


def one_shard_table(result: dict[str, Any]) -> str:
    """A `--one-shard` run as Markdown tables: every figure, the shards, the targets."""
    rows = [("figure", "value", "", "from")]
    rows += [(r["figure"], _shown(r), r["how"], r["from"]) for r in result["figures"]]
    seconds = result["projection"]["builder_seconds"]
    built = result["built"]
    shards = [("shard", "pages", "MkDocs", "")]
    shards += [
        (
            s["name"],
            f"{s['pages']:,}",
            f"{seconds[s['name']]:,.1f} s",
            MEASURED if s["name"] in built else PROJECTED,
        )
        for s in result["generated"]["shards"]
    ]
    main = " and main" if builder.MAIN in built else ""
    head = (
        f"N = {result['n']:,} by shard: one year shard ({result['shard']}){main} built, "
        "the rest projected"
    )
    return "\n\n".join(
        [head, _markdown(rows), _markdown(shards), _markdown(one_shard_targets(result))]
    )


def typical_shard(shards: list[dict[str, Any]]) -> str:
    """The year shard of median pages among the plan's (`shard_summary` of each)."""
    years = sorted((s for s in shards if s["name"] != builder.MAIN), key=lambda s: s["pages"])
    if not years:
        raise SystemExit("one shard only: too few pages to share out (see --shard-pages)")
    name: str = years[len(years) // 2]["name"]
    return name


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value), encoding="utf-8")


def run_one_shard(options: Options) -> dict[str, Any]:
    """Every figure of `--one-shard`: N synthetic statements checked and generated, their shards
    planned, one typical year shard (and `main`, unless `options.main` is False) built, indexed,
    shrunk and assembled for real, each in a process of its own; the whole build projected from
    them (`project`); each figure labelled (`one_shard_figures`)."""
    with synthetic_work(options) as (work, archive, synthetic_seconds):
        result: dict[str, Any] = {
            "n": options.n,
            "mode": "one-shard",
            "machine": machine(),
            "synthetic_seconds": synthetic_seconds,
            "shard_pages": options.shard_pages,
            "workers": pipeline.workers(),
        }
        job_file = work / "job.json"
        job: dict[str, Any] = {"shard_pages": options.shard_pages}
        _write_json(job_file, job)
        wall, generated = _in_child("generated", archive, str(job_file))
        generated["wall"] = wall
        job["years"] = generated.pop("years")
        result["generated"] = generated
        result["check_one_change"] = check_one_change(archive, cold=False)
        name = typical_shard(generated["shards"])
        built = [name, builder.MAIN] if options.main else [name]
        job["folders"] = {shard: str(work / "shards" / shard) for shard in built}
        job["staging"] = str(work / "assembled")
        job["half"] = str(work / "half")
        result["shard"] = name
        result["built"] = {}
        for shard in built:
            _write_json(job_file, {**job, "shard": shard})
            _, result["built"][shard] = _in_child("shard", archive, str(job_file))
        _write_json(job_file, {**job, "shard": name})
        _, rest = _in_child("rest", archive, str(job_file))
        result["rest"] = rest
        result["machine_after"] = machine()["load_average"]
        result["projection"] = project(*projection_inputs(result))
        result["figures"] = one_shard_figures(result)
        return result


def projection_inputs(
    result: dict[str, Any],
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any] | None, int, int, Any]:
    """`project`'s arguments from what a `--one-shard` run measured."""
    rest, name = result["rest"], result["shard"]
    built = result["built"][name]
    half, whole = rest["search"]
    shrunk = rest["shrunk"][name]["output"]
    year = {
        "pages": built["pages"],
        "seconds": built["seconds"],
        "cpu_seconds": built["cpu_seconds"],
        "statements": rest["statements"],
        "search_seconds": whole["seconds"],
        "search_bytes": whole["bytes"],
        "search_files": whole["files"],
        "shrink_seconds": rest["shrunk"][name]["seconds"],
        "kinds": shrunk["kinds"],
        "files": shrunk["files"],
        "sitemap": shrunk["sitemap"],
        "half": half["statements"],
        "queries": {
            term: [half["first_query"][term], whole["first_query"][term]]
            for term in whole["first_query"]
        },
        "pagefind_mb": [half["memory_mb"], whole["memory_mb"]],
    }
    main = None
    if builder.MAIN in result["built"]:
        after = rest["shrunk"][builder.MAIN]
        main = {
            "seconds": result["built"][builder.MAIN]["seconds"],
            "cpu_seconds": result["built"][builder.MAIN]["cpu_seconds"],
            "shrink_seconds": after["seconds"],
            "bytes": after["output"]["bytes"],
            "files": after["output"]["files"],
        }
    shards = result["generated"]["shards"]
    return shards, year, main, result["n"], result["workers"], rest.get("assemble")


def parser() -> argparse.ArgumentParser:
    """`python -m scripts.dev.bench` (`make bench`)."""
    bench = argparse.ArgumentParser(
        prog="python -m scripts.dev.bench", description="time a build of N synthetic statements"
    )
    bench.add_argument("--n", type=int, default=1000, help="statements (default: 1000)")
    bench.add_argument("--json", type=Path, help="also write the figures to this file")
    bench.add_argument(
        "--stock",
        default="both",
        help="stock sites to build beside ours: stock, stock_lean, both (default) or none",
    )
    bench.add_argument("--repeat", type=int, default=1, help="builds of each, fastest counts")
    bench.add_argument("--serve-edit", action="store_true", help="also time an edit under serve")
    bench.add_argument("--seed", type=int, default=1, help="of the synthetic archive")
    bench.add_argument("--work", type=Path, help="build here and keep it (default: a temp dir)")
    bench.add_argument(
        "--one-shard",
        action="store_true",
        help="check and generate all N, build one year shard and main for real, project the rest",
    )
    bench.add_argument(
        "--shard-pages",
        type=int,
        default=SHARD_PAGES,
        metavar="N",
        help=f"with --one-shard: about N year pages a shard (default {SHARD_PAGES})",
    )
    bench.add_argument(
        "--no-main",
        dest="main",
        action="store_false",
        help="with --one-shard: do not build main, project it from the year shard",
    )
    return bench


def stock_variants(choice: str) -> tuple[str, ...]:
    """--stock: `both`, `none`, or names of STOCK_VARIANTS separated by commas."""
    if choice == "both":
        return tuple(STOCK_VARIANTS)
    names = tuple(n for n in choice.split(",") if n and n != "none")
    unknown = [n for n in names if n not in STOCK_VARIANTS]
    if unknown:
        raise SystemExit(
            f"unknown stock site: {', '.join(unknown)}; use stock, stock_lean, both or none"
        )
    return names


def command_bench(args: argparse.Namespace) -> int:
    options = Options(
        n=args.n,
        stock=stock_variants(args.stock),
        repeat=max(1, args.repeat),
        serve_edit=args.serve_edit,
        seed=args.seed,
        work=args.work.resolve() if args.work else None,
        one_shard=args.one_shard,
        shard_pages=args.shard_pages,
        main=args.main,
    )
    if options.one_shard:
        result = run_one_shard(options)
        print(one_shard_table(result))
    else:
        result = run(options)
        print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


BY_SHARD = {"generated": measure_generated, "shard": measure_shard, "rest": measure_rest}
"""The children of `--one-shard`, each given a JSON file of what it needs (`run_one_shard`)."""


def _child(argv: list[str]) -> int:
    """`python -m scripts.dev.bench --child ours|stock ROOT OUT`: one measured build, its report
    to OUT; `--child generated|shard|rest ROOT OUT JOB`: a step of `--one-shard`, JOB its
    options."""
    what, root, out, *job = argv
    if what in BY_SHARD:
        options = json.loads(Path(job[0]).read_text(encoding="utf-8"))
        report = BY_SHARD[what](Path(root), options)
    else:
        report = (measure_ours if what == "ours" else measure_stock)(Path(root))
    Path(out).write_text(json.dumps(report), encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    return command_bench(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
