"""Search stage: index the built site with Pagefind, after the MkDocs build and before the swap.

A reader can ask for the statements' own words only (`text=verbatim` on the search page), and
every hit says whether it is the statement's words or the archive's editorial text. So the text
of a statement page is split, by kind, between two bundles, each indexed once:

- `pagefind/` (the statement bundle) holds the verbatim text only: the excerpts in the site's
  language. Pagefind reads the statement pages as MkDocs built them; only the statement content
  carries `data-pagefind-body` (the title, the metadata block and each section; see
  render/templates/statement.md.j2), so hubs, the timeline and the navigation are never results,
  and EDITORIAL_SELECTORS (headings, the metadata block, summaries, notes, the list of sources)
  are left out of its text. The headings' anchors stay (Pagefind places an anchor before it
  reads the text), so the search page can still land a hit on its section; it names the section
  from the `sections` meta, which the search page weighs 0 as it does every meta.
- `pagefind/editorial/` holds the archive's own text: a second Pagefind run over the same pages
  that leaves out the excerpts (VERBATIM_SELECTORS) and keeps the rest: the title and headings,
  the metadata, summaries, notes, the sources' titles and publishers. Same pages, same paths,
  facets, meta and anchors, so a hit there lands where one in the statement bundle does.
- `pagefind/languages/<language>/` index the text that is not in the site's language: originals
  (`original: {language: zh, …}`) and the excerpts of statements written in another language:
  verbatim text too. Pagefind takes a page's language from `<html lang>`, the site's language on
  every built page, so this text gets documents of its own: one per statement and language,
  `<html lang="zh">`, one heading per section with the section's id, the statement's facets and
  meta. Pagefind indexes each language with its own word rules (Chinese is segmented into words,
  Russian stemmed); a document sits at its statement's path, so a hit is the statement and its
  sub-result the section anchor. Its meta and its headings are there to show a hit, not to find
  one: the headings weigh 0 and the search page gives the meta no weight, so a document matched
  only there scores 0, and the search page leaves it out. One bundle per language, because a
  document's URL comes from its path: one Pagefind run per language puts every document at its
  statement's path.

Why bundles and not a filter: a Pagefind filter belongs to a whole page, and the two kinds of
text share every page; two runs over the same pages with complementary exclusions split one text
from the other without a second copy of the site. The search page merges the editorial and
language bundles into its search (Pagefind's `mergeIndex`, each with a synthetic filter `text`,
`verbatim` or `editorial`, so a hit knows its kind), and leaves the editorial one out for
`text=verbatim`; it reads the list of languages from `pagefind/languages/index.json`. The page
bundle leaves out the other-language text (`data-pagefind-ignore` on originals, a selector for
excerpts in another language), so one text is never indexed twice.

Pagefind runs as its own binary, which `pagefind[extended]` ships in the wheel (no download), once
per bundle. Its Python API was tried first and left: its service answers about ten requests a
second, and it was seen to stop the binary before the bundle's last files were written.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from pagefind.service import get_executable

from scripts.cache import Store, code_fingerprint, digest, file_digests
from scripts.model import Statement, Vocabularies
from scripts.site import statement_url

BUNDLE = "pagefind"
"""The page bundle, under the site folder; the search page loads pagefind.js from it."""
EDITORIAL = f"{BUNDLE}/editorial"
"""The archive's editorial text of the statement pages (see the module docstring)."""
LANGUAGES = f"{BUNDLE}/languages"
"""One bundle per language other than the site's (`zh/`, `ru/` …) and their list (`index.json`),
merged into the search by the search page."""
PAGES_GLOB = "statements/**/*.html"
"""The pages Pagefind reads: statement pages (their content is marked `data-pagefind-body`)."""
KEEP_IN_MERGED_BUNDLES = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")
"""What a merged bundle is read for; its scripts, styles and wasm would never be loaded."""
EDITORIAL_SELECTORS = (
    "h1",
    "h2",
    ".sa-meta",
    ".sa-summary",
    ".sa-contents",
    ".sa-section__summary",
    ".sa-notes",
    ".sa-sources",
)
"""The archive's own text on a statement page (render/templates/statement.md.j2): the title and
headings, the metadata, the summaries, the list of sections, the notes and the sources. The
statement bundle leaves it out; the editorial bundle has it."""
VERBATIM_SELECTORS = (".sa-excerpt > blockquote",)
"""The statement's own words on its page: the excerpts (their originals are ignored on the page,
and indexed in the languages bundles). The editorial bundle leaves them out."""
FACETS = ("country", "forum", "topic", "actor", "series", "kind", "year")
"""The filters, named as the template and the search page name them."""
UNDATED = "Undated"
"""The `year` of a statement without a date."""
RECORDS_FILE = f"{BUNDLE}/records.json"
"""Which statement each record of each bundle is, and the year of each statement: the search
page counts statements, charts their years and orders them by date without reading a record
(see `records`)."""
SORT = "statement"
"""The Pagefind sort that gives a record's place among its bundle's records in the order of
`Statement.search_key` (the template and the language documents write it)."""
FACETS_FILE = f"{BUNDLE}/facets.json"
"""Facet → value → statements with it: the search page lists the facets from this small file
rather than from Pagefind's filter files (all of them, 150 kB at 5,000 statements)."""


TIMEOUT_SECONDS = 600.0
"""How long one Pagefind run may take before it is stopped, plus TIMEOUT_PER_PAGE for each page
it indexes: a hung Pagefind must not hang the build. Pagefind indexes 10,000 statements in about
5 s (BENCHMARKS.md), so this stops only a run that will never finish."""
TIMEOUT_PER_PAGE = 0.1
TIMEOUT_VARIABLE = "ARCHIVE_PAGEFIND_TIMEOUT"
"""An environment variable that, when set, is the timeout of every Pagefind run, in seconds."""


def parallel_runs() -> int:
    """Pagefind processes run at once: the CPUs this process may use. One statement may carry
    text in many languages, and one process per language at once would start them all."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cpus or 1)


class SearchIndexError(Exception):
    """Pagefind failed; the message says how."""


@dataclass(frozen=True)
class SearchSummary:
    """What was indexed."""

    pages: int
    """Statement pages in the page bundle."""
    documents: dict[str, int]
    """Language → statements with text in that language (the languages bundle)."""


def primary_subtag(language: str) -> str:
    """The language of a BCP 47 tag, lower case: zh-Hans → zh."""
    return language.split("-")[0].lower()


def site_language(config_file: Path) -> str:
    """The language MkDocs writes into `<html lang>` of every page: `theme.language` of
    mkdocs.yml (Material's default, en, when it is not set)."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    theme = config.get("theme") if isinstance(config, dict) else None
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language or "en")


PERMALINKS = (".headerlink", ".sa-noteref")
"""The permalink marks that Material and the renderer put into text."""


def exclude_selectors(site_language: str) -> list[str]:
    """What the statement bundle leaves out besides `data-pagefind-ignore`: the permalink marks,
    the editorial text (the editorial bundle has it) and excerpts in a language other than the
    site's (the languages bundles have them)."""
    return [
        *PERMALINKS,
        *EDITORIAL_SELECTORS,
        f'.sa-excerpt blockquote:not([lang|="{primary_subtag(site_language)}"])',
    ]


def editorial_exclude_selectors() -> list[str]:
    """What the editorial bundle leaves out besides `data-pagefind-ignore`: the permalink marks
    and the statement's own words."""
    return [*PERMALINKS, *VERBATIM_SELECTORS]


def _exclude_options(selectors: Iterable[str]) -> tuple[str, ...]:
    return tuple(option for s in selectors for option in ("--exclude-selectors", s))


def statement_facets(statement: Statement, vocabularies: Vocabularies) -> dict[str, list[str]]:
    """The filter values of a statement, as readers see them: issuers and every country, forum,
    topic and actor it is tagged with (its own tags, its sections' and its excerpts': what every
    section of it is about, since a Pagefind filter belongs to the whole page), its series, kind
    and year. Participants are not among them: a statement is not about its guests. The
    statement template writes the same values into the page (a test holds the two together)."""

    def unique(names: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(names))

    forums = ((statement.issuing_forum,) if statement.issuing_forum else ()) + statement.all_forums
    return {
        "country": unique(
            vocabularies.countries[c].name for c in statement.parties + statement.all_countries
        ),
        "forum": unique(vocabularies.forums[f].name for f in forums),
        "topic": unique(vocabularies.topics[t].name for t in statement.all_topics),
        "actor": unique(vocabularies.actors[a].name for a in statement.all_actors),
        "series": [series_name(statement.series, vocabularies)] if statement.series else [],
        "kind": [vocabularies.kinds[statement.kind].name],
        "year": [str(statement.date.year) if statement.date else UNDATED],
    }


def series_name(series_id: str, vocabularies: Vocabularies) -> str:
    """A series' display name (its id, should the vocabulary lack it)."""
    series = vocabularies.series.get(series_id)
    return series.name if series else series_id


def other_language_text(
    statement: Statement, site_language: str
) -> dict[str, list[tuple[str, str, list[str]]]]:
    """The statement's text that is not in the site's language: language → [(section id,
    heading, paragraphs)], sections in order."""
    site = primary_subtag(site_language)
    found: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for section in statement.sections:
        for excerpt in section.excerpts:
            texts = []
            if primary_subtag(statement.language) != site:
                texts.append((statement.language, excerpt.paragraphs))
            if excerpt.original and primary_subtag(excerpt.original.language) != site:
                texts.append((excerpt.original.language, excerpt.original.paragraphs))
            for language, paragraphs in texts:
                found[language].setdefault(section.id, []).extend(paragraphs)
    headings = {section.id: section.heading for section in statement.sections}
    return {
        language: [(sid, headings[sid], paragraphs) for sid, paragraphs in sections.items()]
        for language, sections in found.items()
    }


def language_document(
    statement: Statement,
    vocabularies: Vocabularies,
    language: str,
    sections: list[tuple[str, str, list[str]]],
) -> str:
    """A statement's text in one language as an HTML document for Pagefind (never published)."""
    facets = statement_facets(statement, vocabularies)
    meta = {"title": statement.title, "kind": facets["kind"][0], "language": language}
    if statement.date:
        meta["date"] = statement.date.display
        meta["iso"] = statement.date.iso
    hidden = [
        Markup('<span data-pagefind-meta="{}">{}</span>').format(key, value)
        for key, value in meta.items()
    ]
    hidden.append(
        Markup('<span data-pagefind-sort="{}:{}"></span>').format(SORT, statement.search_key)
    )
    hidden += [
        Markup('<span data-pagefind-filter="{}">{}</span>').format(facet, value)
        for facet, values in facets.items()
        for value in values
    ]
    # Headings carry no weight: they anchor sub-results, the words are the page's. Paragraph ids
    # mark where one paragraph ends, for the search page's snippets; nothing links to them.
    body = [
        Markup('<section><h2 id="{}" data-pagefind-weight="0">{}</h2>{}</section>').format(
            section_id,
            heading,
            Markup("").join(
                Markup('<p id="{}--{}{}">{}</p>').format(section_id, language, n, p)
                for n, p in enumerate(paragraphs, 1)
            ),
        )
        for section_id, heading, paragraphs in sections
    ]
    return str(
        Markup(
            '<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8"></head>'
            "<body><main data-pagefind-body><div hidden data-pagefind-ignore>{}</div>{}</main>"
            "</body></html>\n"
        ).format(language, Markup("").join(hidden), Markup("").join(body))
    )


def language_documents(
    statements: Iterable[Statement], vocabularies: Vocabularies, site_language: str
) -> dict[str, dict[str, str]]:
    """Language → {path of the statement page under the site (statements/<id>/index.html) →
    the document of its text in that language}."""
    documents: dict[str, dict[str, str]] = defaultdict(dict)
    for statement in statements:
        for language, sections in other_language_text(statement, site_language).items():
            path = f"{statement_url(statement.id)}index.html"
            documents[language][path] = language_document(
                statement, vocabularies, language, sections
            )
    return dict(sorted(documents.items()))


def _binary() -> Path:
    binary = get_executable()
    if binary is None:
        raise SearchIndexError("the Pagefind binary is missing: pip install 'pagefind[extended]'")
    return binary


def timeout(pages: int) -> float:
    """The seconds a Pagefind run over `pages` pages may take (see TIMEOUT_SECONDS)."""
    configured = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not configured:
        return TIMEOUT_SECONDS + TIMEOUT_PER_PAGE * pages
    try:
        seconds = float(configured)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise SearchIndexError(
            f"{TIMEOUT_VARIABLE} must be a number of seconds above 0, not '{configured}'"
        )
    return seconds


@dataclass(frozen=True)
class _Job:
    """One Pagefind run: `what` it indexes (for messages), over how many pages."""

    what: str
    site: Path
    output: Path
    options: tuple[str, ...]
    pages: int


@dataclass(frozen=True)
class _Run:
    job: _Job
    process: subprocess.Popen[bytes]
    log: Path
    deadline: float


def _start(binary: Path, job: _Job, log: Path) -> _Run:
    """Start Pagefind on `job.site`, writing its bundle to `job.output` and what it says to
    `log` (a file, not a pipe: a run nobody reads from yet must not block on a full pipe)."""
    command = [str(binary), "--site", str(job.site), "--output-path", str(job.output), "--quiet"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, *job.options],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return _Run(job, process, log, time.monotonic() + timeout(job.pages))


def _run_all(binary: Path, jobs: list[_Job], logs: Path, limit: int) -> None:
    """Run the jobs, at most `limit` at once; raises SearchIndexError on the first that fails
    or runs past its timeout, and stops every run still going, whatever happened."""
    waiting = list(enumerate(jobs))
    running: list[_Run] = []
    try:
        while waiting or running:
            while waiting and len(running) < limit:
                number, job = waiting.pop(0)
                running.append(_start(binary, job, logs / f"{number}.log"))
            finished = False
            for run in list(running):
                status = run.process.poll()
                if status is None:
                    if time.monotonic() > run.deadline:
                        raise SearchIndexError(
                            f"Pagefind did not finish {run.job.what} in"
                            f" {timeout(run.job.pages):g} seconds and was stopped"
                            f" (the limit is set by {TIMEOUT_VARIABLE})"
                        )
                    continue
                finished = True
                running.remove(run)
                if status != 0:
                    # Of the runs that fail, the first in the jobs' order is the one said, so
                    # the message does not hang on which happened to end first.
                    # (`running` is in the order the runs started, the jobs' order.)
                    earlier = [r for r in running if jobs.index(r.job) < jobs.index(run.job)]
                    for other in earlier:
                        other.process.wait()
                    failed = [r for r in earlier if r.process.returncode != 0] or [run]
                    first = failed[0]
                    output = first.log.read_text(encoding="utf-8", errors="replace").strip()
                    raise SearchIndexError(f"Pagefind failed on {first.job.what}:\n{output}")
            if not finished:
                time.sleep(0.02)
    finally:
        for run in running:
            if run.process.poll() is None:
                run.process.kill()
            run.process.wait()


def _prune(bundle: Path) -> None:
    """Leave in a merged bundle only what the search reads from it."""
    keep = {path for pattern in KEEP_IN_MERGED_BUNDLES for path in bundle.glob(pattern)}
    for path in bundle.iterdir():
        if path not in keep:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def _index(
    site: Path, site_language: str, documents: dict[str, dict[str, str]], pages: int
) -> None:
    """Every bundle, one Pagefind process each, at most `parallel_runs()` at once; the language
    bundles are written aside and moved in, with their list, when every bundle is complete. The
    temporary folder goes, whatever happens."""
    temporary = Path(tempfile.mkdtemp(prefix="search-"))
    try:
        for language, files in documents.items():
            for path, text in files.items():
                file = temporary / "documents" / language / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(text, encoding="utf-8")
        aside = temporary / "languages"
        logs = temporary / "logs"
        logs.mkdir()
        editorial = temporary / "editorial"
        jobs = [
            _Job(
                "the statement pages",
                site,
                site / BUNDLE,
                ("--glob", PAGES_GLOB, *_exclude_options(exclude_selectors(site_language))),
                pages,
            ),
            _Job(
                "the editorial text of the statement pages",
                site,
                editorial,
                ("--glob", PAGES_GLOB, *_exclude_options(editorial_exclude_selectors())),
                pages,
            ),
        ]
        jobs += [
            _Job(
                f"the text in {language}",
                temporary / "documents" / language,
                aside / language,
                (),
                len(files),
            )
            for language, files in documents.items()
        ]
        _run_all(_binary(), jobs, logs, parallel_runs())
        make_reproducible(site / BUNDLE)
        _prune(editorial)
        make_reproducible(editorial)
        for language in documents:
            _prune(aside / language)
            make_reproducible(aside / language)
        # Written even when empty: the search page reads it before every first query.
        aside.mkdir(exist_ok=True)
        manifest = {"languages": list(documents)}
        (aside / "index.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")
        shutil.move(aside, site / LANGUAGES)
        shutil.move(editorial, site / EDITORIAL)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def statement_order(statements: Iterable[Statement]) -> list[Statement]:
    """The statements in the order of their search keys, as Pagefind sorts text (byte order)."""
    return sorted(statements, key=lambda statement: statement.search_key.encode("utf-8"))


def _bundle_ranks(bundle: Path, rank: dict[str, int]) -> list[int]:
    """The rank (in `statement_order`) of the statement of each record of a bundle, in the order
    of its SORT: a result of a search sorted by it has its place there (Pagefind scores it so)."""
    entry = _entry(bundle)
    ranks: list[int] = []
    for index in entry["languages"].values():
        meta = _read_pagefind_file(bundle / f"pagefind.{index['hash']}.pf_meta")
        pages = meta[1]  # [[fragment hash, word count], …]
        order = dict(meta[4]).get(SORT, [])
        for page in order:
            raw = gzip.decompress(
                (bundle / "fragment" / f"{pages[page][0]}.pf_fragment").read_bytes()
            )
            url = json.loads(raw[len(_SIGNATURE) :])["url"]
            ranks.append(rank[url.strip("/").rsplit("/", 1)[-1]])
    return ranks


def _runs(ranks: list[int]) -> list[list[int]]:
    """Increasing ranks as runs [first, length]: a bundle with every statement is one run."""
    runs: list[list[int]] = []
    for value in ranks:
        if runs and runs[-1][0] + runs[-1][1] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    return runs


def records(
    site: Path, statements: Iterable[Statement], languages: Iterable[str]
) -> dict[str, Any]:
    """The contents of RECORDS_FILE: `years`, [year, first rank] in rank order (the ranks of a
    year run up to the next one's first), and `bundles`, bundle → runs of the ranks of its
    records in its SORT order ("" the statement bundle, "editorial", each language)."""
    ordered = statement_order(statements)
    rank = {statement.id: number for number, statement in enumerate(ordered)}
    years: list[list[Any]] = []
    for number, statement in enumerate(ordered):
        year = str(statement.date.year) if statement.date else UNDATED
        if not years or years[-1][0] != year:
            years.append([year, number])
    folders = {"": site / BUNDLE, "editorial": site / EDITORIAL}
    folders |= {language: site / LANGUAGES / language for language in languages}
    bundles = {}
    for name, folder in folders.items():
        ranks = _bundle_ranks(folder, rank)
        if ranks != sorted(ranks):
            raise SearchIndexError(f"Pagefind sorted the records of {folder} in another order")
        bundles[name] = _runs(ranks)
    return {"count": len(ordered), "years": years, "bundles": bundles}


def facet_counts(
    statements: Iterable[Statement], vocabularies: Vocabularies
) -> dict[str, dict[str, int]]:
    """Facet → value → number of statements with it (the contents of FACETS_FILE)."""
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    for statement in statements:
        for facet, values in statement_facets(statement, vocabularies).items():
            for value in values:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    return {facet: dict(sorted(values.items())) for facet, values in counts.items()}


# --- byte-identical bundles ------------------------------------------------------------------
# Pagefind writes its filter files, and the lists of them and of its sorts in its metadata file,
# in hash-map order, which changes from run to run (Pagefind issue #638: fragments and index
# chunks are stable, these are not). So that two builds of the same archive give the same bytes,
# each filter file's values and the metadata's lists of filters and sorts are put in order, and
# the files renamed by their content.
# The files are gzip of b"pagefind_dcd" and CBOR: arrays, text and integers only.

_SIGNATURE = b"pagefind_dcd"
_CBOR_LIMITS = ((24, 0, 1), (0x100, 24, 2), (0x10000, 25, 3), (0x100000000, 26, 5))


def _cbor_head(major: int, value: int) -> bytes:
    for limit, info, size in _CBOR_LIMITS:
        if value < limit:
            if info == 0:
                return bytes([major << 5 | value])
            return bytes([major << 5 | info]) + value.to_bytes(size - 1, "big")
    return bytes([major << 5 | 27]) + value.to_bytes(8, "big")


def _cbor_encode(value: Any) -> bytes:
    """CBOR in its shortest form, as Pagefind writes it."""
    if isinstance(value, bool) or value is None:
        raise SearchIndexError(f"unexpected value in a Pagefind file: {value!r}")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _cbor_head(3, len(data)) + data
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)
    raise SearchIndexError(f"unexpected value in a Pagefind file: {value!r}")


def _cbor_decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR value from `data` at `at`: the value and where the next one starts."""
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise SearchIndexError(f"unexpected CBOR item {data[at - 1]:#x} in a Pagefind file")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        chunk = data[at : at + argument]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise SearchIndexError(f"unexpected CBOR item {data[at - 1]:#x} in a Pagefind file")


def _read_pagefind_file(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path} is not a Pagefind file")
    value, end = _cbor_decode(raw, len(_SIGNATURE))
    if end != len(raw) or _cbor_encode(value) != raw[len(_SIGNATURE) :]:
        raise SearchIndexError(f"{path} is not in the Pagefind format this code knows")
    return value


def _pagefind_file(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + _cbor_encode(value), compresslevel=9, mtime=0)


def _content_name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def _entry(bundle: Path) -> dict[str, Any]:
    """A bundle's pagefind-entry.json; SearchIndexError if it is missing, empty or not what
    Pagefind writes (on a full disk Pagefind was seen to exit 0 leaving it empty)."""
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        for index in entry["languages"].values():
            if not isinstance(index["hash"], str) or not isinstance(index["page_count"], int):
                raise TypeError("a language without its hash and page count")
    except FileNotFoundError:
        raise SearchIndexError(f"Pagefind wrote no {entry_file.name} into {bundle}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        empty = entry_file.is_file() and entry_file.stat().st_size == 0
        raise SearchIndexError(
            f"Pagefind left {entry_file} {'empty' if empty else 'unreadable'}"
            f" ({'is the disk full?' if empty else error})"
        ) from None
    checked: dict[str, Any] = entry
    return checked


def make_reproducible(bundle: Path) -> None:
    """Put a bundle's filter files and its metadata's list of them in a fixed order;
    SearchIndexError if the bundle is not complete."""
    try:
        _make_reproducible(bundle)
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError) as error:
        raise SearchIndexError(
            f"Pagefind left an incomplete bundle in {bundle} (is the disk full?): {error}"
        ) from None


def _make_reproducible(bundle: Path) -> None:
    entry_file = bundle / "pagefind-entry.json"
    entry = _entry(bundle)
    for language, index in entry["languages"].items():
        meta_file = bundle / f"pagefind.{index['hash']}.pf_meta"
        meta = _read_pagefind_file(meta_file)
        filters = []
        for name, chunk in meta[3]:  # [version, pages, index chunks, filters, sorts, meta fields]
            old = bundle / "filter" / f"{chunk}.pf_filter"
            values = _read_pagefind_file(old)  # [filter name, [[value, [page, …]], …]]
            values[1].sort(key=lambda value: str(value[0]))
            data = _pagefind_file(values)
            new = _content_name(language, data, 7)
            old.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta[4] = sorted(meta[4])  # the sorts, in hash-map order too
        data = _pagefind_file(meta)
        index["hash"] = _content_name(language, data, 10)
        meta_file.unlink()
        (bundle / f"pagefind.{index['hash']}.pf_meta").write_bytes(data)
    entry_file.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def page_counts(bundle: Path) -> dict[str, int]:
    """Language → pages indexed, from a bundle's pagefind-entry.json."""
    entry = _entry(bundle)
    return {language: int(index["page_count"]) for language, index in entry["languages"].items()}


def index_site(
    site: Path,
    statements: Iterable[Statement],
    vocabularies: Vocabularies,
    site_language: str,
    cache: Path | None = None,
) -> SearchSummary:
    """Write the Pagefind bundles into the built `site`; raises SearchIndexError if Pagefind
    fails (the caller then keeps the last good site). With a `cache` folder, the bundles of the
    last build are kept there and put in place again while what they are made of is the same
    (`_inputs_key`): the statement pages, byte for byte, the text in other languages, the
    facets, the order of the statements and the code."""
    statements = list(statements)
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    if not statements:
        return SearchSummary(0, {})  # nothing to search; Pagefind refuses an empty index
    documents = language_documents(statements, vocabularies, site_language)
    facets = facet_counts(statements, vocabularies)
    key, pages = _inputs_key(site, statements, documents, facets, site_language, cache)
    if cache is None or not _restore(cache, key, site / BUNDLE):
        _make_bundles(site, statements, documents, facets, site_language)
        if cache is not None:
            _keep(site / BUNDLE, cache, key, pages)
    return SearchSummary(
        sum(page_counts(site / BUNDLE).values()),
        {language: len(files) for language, files in documents.items()},
    )


def _make_bundles(
    site: Path,
    statements: list[Statement],
    documents: dict[str, dict[str, str]],
    facets: dict[str, dict[str, int]],
    site_language: str,
) -> None:
    try:
        _index(site, site_language, documents, len(statements))
    except OSError as error:
        raise SearchIndexError(f"Pagefind could not run: {error}") from error
    if not (site / BUNDLE / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no search bundle into {site / BUNDLE}")
    try:
        listed = records(site, statements, documents)
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError) as error:
        raise SearchIndexError(
            f"cannot read back the bundles in {site / BUNDLE}: {error}"
        ) from None
    for name, content in ((FACETS_FILE, facets), (RECORDS_FILE, listed)):
        try:
            (site / name).write_text(
                json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                + "\n",
                encoding="utf-8",
            )
        except OSError as error:
            raise SearchIndexError(f"cannot write {name}: {error.strerror or error}") from None


CACHE_RECORD = "record.json"
"""In the cache folder, beside the kept bundles (`kept/`): their key, and the hash and stamp of
each of their files and of each statement page they were made from."""


def _inputs_key(
    site: Path,
    statements: list[Statement],
    documents: dict[str, dict[str, str]],
    facets: dict[str, dict[str, int]],
    site_language: str,
    cache: Path | None,
) -> tuple[str, dict[str, list[Any]]]:
    """A hash of all the bundles are made of, and the statement pages' hashes and stamps (a page
    is hashed again only if its stamp changed since the record in `cache`)."""
    if cache is None:
        return "", {}
    last = Store(cache / CACHE_RECORD).read().get("pages")
    names = sorted(path.relative_to(site).as_posix() for path in site.glob(PAGES_GLOB))
    pages = {
        name: list(value)
        for name, value in file_digests(site, names, last if isinstance(last, dict) else {}).items()
    }
    order = [(s.id, s.search_key, s.date.year if s.date else None) for s in statements]
    parts: list[Any] = [code_fingerprint(), site_language, documents, facets, order]
    parts.append([(name, pages[name][0]) for name in names])
    return digest(json.dumps(parts, sort_keys=True, default=str).encode()), pages


def _restore(cache: Path, key: str, bundle: Path) -> bool:
    """Put the kept bundles in `bundle` if they were made with `key` and every file of them is
    as it was kept (its stamp, or else its hash); False, with nothing put there, otherwise."""
    record = Store(cache / CACHE_RECORD).read()
    kept, files = cache / "kept", record.get("files")
    if record.get("key") != key or not isinstance(files, dict):
        return False
    try:
        if _files_under(kept) != sorted(files):
            return False
        now = file_digests(kept, files, files)
        if any(value[0] != files[name][0] for name, value in now.items()):
            return False
        shutil.copytree(kept, bundle, copy_function=os.link)
    except (OSError, IndexError, TypeError):
        shutil.rmtree(bundle, ignore_errors=True)
        return False
    return True


def _keep(bundle: Path, cache: Path, key: str, pages: dict[str, list[Any]]) -> None:
    """The bundles kept in `cache` with their record (links to the same files: neither the
    builder nor the shrinking writes into a bundle). Not kept, if it cannot be: the next build
    makes them again."""
    fresh = cache / "kept.new"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(bundle, fresh, copy_function=os.link)
        stamped = file_digests(fresh, _files_under(fresh), {})
        files = {name: list(value) for name, value in stamped.items()}
        Store(cache / CACHE_RECORD).write({})  # the old key goes first: a torn keep is no keep
        shutil.rmtree(cache / "kept", ignore_errors=True)
        fresh.rename(cache / "kept")
        Store(cache / CACHE_RECORD).write({"key": key, "files": files, "pages": pages})
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)


def _files_under(folder: Path) -> list[str]:
    """The files under `folder`, as sorted paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
