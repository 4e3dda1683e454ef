"""The built site made smaller (scripts/builder/shrink.py): minified pages that keep what matters
(whitespace-significant text, the <meta> tags, the words), nothing shipped that no page uses,
the whole archive gzipped the same way every time, and the same search index as before."""

from __future__ import annotations

import gzip
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import minify_html
import pytest
from support.archive import FIXTURE, build, copy_archive, prepared

from scripts.builder import shrink
from scripts.builder.shrink import UNUSED, gzipped, minify, shrink_site
from scripts.pipeline import generate
from scripts.search import index_site, site_language

pytestmark = pytest.mark.slow  # builds the fixture site

MKDOCS = (sys.executable, "-m", "mkdocs", "build", "-q")
META = re.compile(r"<meta\b[^>]*>")
PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.DOTALL)
"""What a <pre> holds: every character of it is kept, every space and line break."""
TAGS = re.compile(r"<[^>]+>")


def words(page: str) -> list[str]:
    """A page's visible words, as a reader separating them by whitespace would see them, markup
    replaced by spaces (so that words from two elements never join here)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(TAGS.sub(" ", body)).split()


def test_a_page_minified_keeps_pre_text_and_meta_tags() -> None:
    page = (
        '<!doctype html>\n<html lang=en>\n<head>\n<meta name="citation_title" content="A &amp; B'
        ' \u201cquoted\u201d">\n  <title>T</title>\n</head>\n<body>\n  <p>One   two\n  three</p>\n'
        "<pre><code>line one\n    indented   line\n\n</code></pre>\n</body>\n</html>\n"
    )
    smaller = minify(page)
    assert len(smaller) < len(page)
    assert PRE.findall(smaller) == PRE.findall(page)
    assert "line one\n    indented   line\n\n" in smaller
    assert [html.unescape(m) for m in re.findall(r'content="?([^">]*)', smaller)] == [
        "A & B \u201cquoted\u201d"
    ]
    assert "One two three" in smaller
    assert minify(smaller) == smaller  # nothing left to take


def test_a_title_written_as_markup_stays_escaped() -> None:
    """minify-html unescapes a <title>'s text (HTML reads it as text either way); it is escaped
    again, for readers that are not HTML parsers."""
    page = (
        "<html><head><title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"
        "</head><body><svg><title>&lt;b&gt;</title></svg><p>&lt;i&gt;</p></body></html>"
    )
    smaller = minify(page)
    assert "<script" not in smaller and "</title><script" not in smaller
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in (
        smaller.replace("& co", "&amp; co")
    )
    assert words(smaller) == words(page)


def test_markup_that_minifying_unescaped_in_attributes_is_escaped_again() -> None:
    page = (
        '<html><head><meta name="description" content="&lt;/title&gt;&lt;script&gt;x">'
        "<title>t</title><script>if (a < b) {}</script></head><body>"
        '<p aria-label="&lt;b&gt;" class=x>&lt;i&gt;</p></body></html>'
    )
    smaller = minify(page)
    assert "<script>x" not in smaller and "<b>" not in smaller and "<i>" not in smaller
    assert "if (a < b) {}" in smaller or "if(a<b){}" in smaller  # a script is left as it was
    assert words(smaller) == words(page)


@pytest.mark.parametrize("reference", ["&#60;", "&#060;", "&#x3C;", "&#x3c", "&LT;", "&lt"])
def test_every_way_of_writing_a_less_than_sign_is_escaped_again(reference: str) -> None:
    """Only pages with a `<` written as a reference are read again tag by tag: every form of
    the reference counts."""
    page = f'<html><head><title>t</title></head><body><p title="{reference}b>">x</p></body></html>'
    assert "<b>" not in minify(page).replace('"', "")


def test_a_page_without_such_references_is_as_minify_html_writes_it() -> None:
    page = (
        "<html><head><title>A &amp; B&#39;s</title></head><body>"
        '<p data-x="1 > 0">a &gt b</p></body></html>'
    )
    plain = page.replace("&gt b", "and b")
    assert minify(plain) == minify_html.minify(
        plain,
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
        minify_css=False,
        minify_js=False,
    )


def test_gzip_is_the_same_every_time_and_reads_back() -> None:
    data = "é".encode() * 1000
    assert gzipped(data) == gzipped(data)
    assert gzip.decompress(gzipped(data)) == data
    assert gzipped(data)[4:8] == b"\0\0\0\0"  # mtime 0


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The fixture archive built by `python -m scripts build` (shrunk), and the same pages as
    MkDocs wrote them, indexed by Pagefind without shrinking: (archive root, shrunk, plain)."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("shrink") / "archive")
    shrunk = build(root)
    archive = prepared(root)
    generate(root, archive)
    plain = root / ".build" / "plain"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["SOURCE_DATE_EPOCH"] = env.get("SOURCE_DATE_EPOCH", "0")
    subprocess.run(
        [*MKDOCS, "-f", str(root / "mkdocs.yml"), "-d", str(plain)],
        cwd=root,
        env=env,
        check=True,
        timeout=300,
    )
    index_site(plain, archive.statements, archive.vocabularies, site_language(root / "mkdocs.yml"))
    return root, shrunk, plain


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_search_index_is_the_one_of_the_unminified_pages(
    sites: tuple[Path, Path, Path],
) -> None:
    _, shrunk, plain = sites
    assert _files(shrunk / "pagefind") == _files(plain / "pagefind")


def test_every_page_is_smaller_and_says_the_same(sites: tuple[Path, Path, Path]) -> None:
    _, shrunk, plain = sites
    pages = sorted(p.relative_to(plain) for p in plain.rglob("*.html"))
    assert sorted(p.relative_to(shrunk) for p in shrunk.rglob("*.html")) == pages
    before = after = 0
    for page in pages:
        old = (plain / page).read_text(encoding="utf-8")
        new = (shrunk / page).read_text(encoding="utf-8")
        before, after = before + len(old), after + len(new)
        assert len(new) <= len(old), page
        assert words(new) == words(old), page
        assert META.findall(new) and len(META.findall(new)) == len(META.findall(old)), page
        # The same characters in every <pre> (a `&#34;` may become the `"` it stands for).
        assert [html.unescape(p) for p in PRE.findall(new)] == [
            html.unescape(p) for p in PRE.findall(old)
        ], page
    assert after < before * 0.9, (before, after)


def test_what_no_page_uses_is_not_shipped_and_nothing_asks_for_it(
    sites: tuple[Path, Path, Path],
) -> None:
    _, shrunk, plain = sites
    for name in UNUSED:
        assert (plain / name).exists(), name  # the theme or docs/ ships it ...
        assert not (shrunk / name).exists(), name  # ... and the site does not
    assert not list(shrunk.rglob("*.map"))
    pages = [p.read_text(encoding="utf-8") for p in shrunk.rglob("*.html")]
    # Material starts its search worker only from its own search box, which no page has.
    assert not [p for p in pages if 'data-md-component="search"' in p]
    for text in [*pages, *(p.read_text(encoding="utf-8") for p in shrunk.rglob("*.css"))]:
        assert "lunr" not in text and "screenshots/" not in text


def test_the_downloads_gzipped_replace_their_files_and_the_build_is_reproducible(
    sites: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The statements' JSON and the sections CSV, whole and per year, are published gzipped
    only; the statements CSV stays as it is, for a spreadsheet."""
    _, shrunk, plain = sites
    packed = sorted(p.relative_to(shrunk).as_posix() for p in (shrunk / "data").glob("*.gz"))
    expected = sorted(
        f"data/{name}.gz"
        for name in [
            "statements.json",
            "sections.csv",
            *(
                f"{form}-{year}.{ext}"
                for year in ("2025", "2026", "undated")
                for form, ext in (("statements", "json"), ("sections", "csv"))
            ),
        ]
    )
    assert packed == expected
    for name in packed:
        unpacked = name.removesuffix(".gz")
        assert not (shrunk / unpacked).exists(), f"{unpacked}: only its gzip is published"
        assert gzip.decompress((shrunk / name).read_bytes()) == (plain / unpacked).read_bytes()
    assert (shrunk / "data" / "statements.csv").is_file()
    assert (shrunk / "data" / "statements-2026.csv").is_file()
    assert (
        shrunk / "data" / "statements" / "2025-05-14-fictional-harbour-consultations-round-1.json"
    ).is_file()
    again = tmp_path / "again"
    shutil.copytree(plain, again)
    shrink_site(again)
    shrink_site(again)  # twice: nothing changes the second time
    for name in packed:
        assert (again / name).read_bytes() == (shrunk / name).read_bytes()


def test_a_download_with_the_same_text_takes_the_last_builds_gzip(tmp_path: Path) -> None:
    """Linked from the last site when its text is the one that gzip was made from and the gzip
    is as that build wrote it; gzipped again otherwise."""
    record = shrink.Store(tmp_path / "shrunk.json")

    def staged(into: Path, texts: dict[str, str]) -> Path:
        (into / "data").mkdir(parents=True)
        for name, text in texts.items():
            (into / "data" / name).write_text(text, encoding="utf-8")
        return into

    first = {"statements-2025.json": "{}\n", "sections-2025.csv": "a\n", "sections-2026.csv": "b\n"}
    live = staged(tmp_path / "live", first)
    assert shrink_site(live, tmp_path / "none", record)
    (live / "data" / "sections-2026.csv.gz").write_bytes(gzipped(b"spoilt"))
    again = staged(tmp_path / "again", {**first, "sections-2025.csv": "a, edited\n"})
    assert shrink_site(again, live, record)

    def same_file(name: str) -> bool:
        return os.path.samefile(again / "data" / name, live / "data" / name)

    assert same_file("statements-2025.json.gz")
    assert not same_file("sections-2025.csv.gz") and not same_file("sections-2026.csv.gz")
    for name, text in {**first, "sections-2025.csv": "a, edited\n"}.items():
        assert gzip.decompress((again / "data" / f"{name}.gz").read_bytes()).decode() == text
        assert not (again / "data" / name).exists()


def test_pages_shrunk_by_the_last_build_are_taken_from_its_site(tmp_path: Path) -> None:
    """A page whose file the last build shrank comes from that build's site, the same bytes; a
    page built again, or one whose shrunk copy was changed since, is minified again."""
    built = tmp_path / "shard"  # the builder's pages, which the staged sites link to
    for name in ("a", "b", "c"):
        (built / name).mkdir(parents=True)
        (built / name / "index.html").write_text(
            f"<html><head><title>{name}</title></head><body>\n  <p>  {name}  </p>\n</body></html>",
            encoding="utf-8",
        )

    def staged(into: Path) -> Path:
        for page in built.rglob("*.html"):
            target = into / page.relative_to(built)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, target)
        return into

    record = shrink.Store(tmp_path / "shrunk.json")
    live = staged(tmp_path / "live")
    assert shrink_site(live, tmp_path / "none", record)
    clean = {p.relative_to(live).as_posix(): p.read_bytes() for p in live.rglob("*.html")}
    (built / "b" / "index.html").unlink()  # built again: a new file
    (built / "b" / "index.html").write_text("<p>  b, again  </p>", encoding="utf-8")
    (live / "c" / "index.html").write_text("changed in the site", encoding="utf-8")
    again = staged(tmp_path / "again")
    assert shrink_site(again, live, record)

    def same_file(name: str) -> bool:
        return os.path.samefile(again / name / "index.html", live / name / "index.html")

    assert same_file("a") and not same_file("b") and not same_file("c")
    assert (again / "a" / "index.html").read_bytes() == clean["a/index.html"]
    assert (again / "c" / "index.html").read_bytes() == clean["c/index.html"]
    assert (again / "b" / "index.html").read_text() == minify("<p>  b, again  </p>")
