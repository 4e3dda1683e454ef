"""The Markdown extension that stashes our HTML blocks unparsed (scripts/builder/markdown_stash.py):
the same pages as stock Python-Markdown, only sooner; what it leaves to Markdown; and the anchor
ids it hands back to MkDocs' anchor check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from support.archive import FIXTURE, copy_archive, prepared

from scripts.builder import markdown_stash
from scripts.builder.markdown_stash import scan
from scripts.pipeline import generate

STOCK = ["attr_list", "toc"]
"""mkdocs.yml's other extensions."""
EXTENSION = "scripts.builder.markdown_stash"


def convert(text: str, *, stash: bool) -> tuple[str, markdown.Markdown]:
    md = markdown.Markdown(extensions=[*STOCK, *([EXTENSION] if stash else [])])
    return md.convert(text), md


def stashed(text: str) -> list[str]:
    """The blocks the extension's preprocessor alone puts in the stash."""
    md = markdown.Markdown(extensions=[*STOCK, EXTENSION])
    md.preprocessors["markdown_stash"].run(text.split("\n"))
    return [str(block) for block in md.htmlStash.rawHtmlBlocks]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive with its pages generated into docs/."""
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("stash") / "archive")
    generate(root, prepared(root))
    return root


def test_mkdocs_yml_lists_the_extension_after_toc() -> None:
    """Its ids reach MkDocs' anchor check only if its tree processor comes after toc's."""
    text = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.index(f"- {EXTENSION}") > text.index("- toc:")
    md = markdown.Markdown(extensions=[*STOCK, EXTENSION])
    order = [name for name in md.treeprocessors._priority]
    names = [item.name for item in sorted(order, key=lambda item: -item.priority)]
    assert (
        names.index("toc")
        < names.index("markdown_stash_ids")
        < names.index("markdown_stash_ids_removed")
    )


def test_every_generated_page_comes_out_byte_for_byte_as_without_it(root: Path) -> None:
    pages = sorted((root / "docs").rglob("*.md"))
    assert len(pages) > 30
    whole = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):  # front matter: MkDocs takes it off before Markdown
            text = text.split("\n---\n", 1)[1]
        with_it, md = convert(text, stash=True)
        without, _ = convert(text, stash=False)
        assert with_it == without, page
        if (
            "<" in text
            and md.htmlStash.html_counter
            and not [
                line
                for line in md.preprocessors["markdown_stash"].run(text.split("\n"))
                if line.startswith("<")
            ]
        ):
            whole += 1
    # And it did something: most pages' HTML went to the stash whole.
    assert whole > len(pages) * 3 // 4, whole


def test_statement_pages_are_all_stashed_and_their_ids_collected(root: Path) -> None:
    page = next((root / "docs" / "statements").glob("2026-03-12-*.md"))
    text = page.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    md = markdown.Markdown(extensions=[*STOCK, EXTENSION])
    left = md.preprocessors["markdown_stash"].run(text.split("\n"))
    assert not [line for line in left if line.lstrip().startswith("<")]
    ids = md.preprocessors["markdown_stash"].ids
    assert any(anchor.endswith("--p1") for anchor in ids), ids


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("<div>\n<!-- a comment -->\n</div>\n", "a comment"),
        ("<div>\n<script>if (a < b) {}</script>\n</div>\n", "a script"),
        ("<div>\n<p>one < two</p>\n</div>\n", "a bare <"),
        ("<div>\n<p>unclosed\n</div>\n", "an element left open"),
        ("<div>\n<p>one</span></p>\n</div>\n", "a stray end tag"),
        ("<div>\n<p>one</p>\n", "no end"),
        ("<div>\n<p>one</p>\n</div> and text after it\n", "text after the end tag"),
        ("<div>\n<p>one</p>\n</div>\ntext on the next line\n", "no blank line after it"),
        ("   <div>\n<p>one</p>\n</div>\n", "indented"),
        ("text\n<div>\n<p>one</p>\n</div>\n", "no blank line before it"),
        ("<hr>\n", "a void element"),
    ],
)
def test_in_doubt_it_leaves_the_block_and_the_rest_of_the_page_to_markdown(
    text: str, why: str
) -> None:
    later = '\n\n<div class="later">\n<p>safe</p>\n</div>\n'
    assert stashed(text + later) == [], why
    assert convert(text + later, stash=True)[0] == convert(text + later, stash=False)[0]


def test_a_block_is_stashed_as_it_is_with_its_ids() -> None:
    text = (
        '# Title {#title}\n\n<div class="a" data-flag>\n<p id="x--p1" title="a &gt; b">One'
        ' &lt;script&gt;</p>\n<svg><line x1="0"/></svg>\n</div>\n<ol id="list">\n<li>two</li>'
        "\n</ol>\n\nA *paragraph*.\n"
    )
    blocks = stashed(text)
    assert blocks == [text[text.index("<div") : text.index("</ol>") + 5] + "\n"]
    assert scan(text, text.index("<div")) == (text.index("</div>") + 6, ["x--p1"])
    with_it = convert(text, stash=True)[0]
    assert with_it == convert(text, stash=False)[0]
    assert "<em>paragraph</em>" in with_it and "&lt;script&gt;" in with_it
    assert "data-markdown-stash" not in with_it


def test_escaped_markup_in_a_block_stays_text() -> None:
    """Contributor text reaches the Markdown escaped; the stash keeps it so, as Markdown does."""
    text = (
        '<div class="sa-summary">\n<p>&lt;img src=x onerror=alert(1)&gt; *not emphasis*</p>\n'
        "</div>\n"
    )
    with_it = convert(text, stash=True)[0]
    assert with_it == convert(text, stash=False)[0]
    assert "<img" not in with_it and "&lt;img" in with_it and "<em>" not in with_it


def test_ids_reach_the_anchor_collectors_and_leave_no_trace() -> None:
    """MkDocs collects anchor ids from the tree at toc's priority, after toc: the ids of the
    stashed blocks are there for it, then gone."""
    seen: list[str] = []

    class Collector(markdown.treeprocessors.Treeprocessor):
        def run(self, root: markdown.util.etree.Element) -> None:  # type: ignore[name-defined]
            seen.extend(e.get("id", "") for e in root.iter() if e.get("id"))

    md = markdown.Markdown(extensions=[*STOCK, EXTENSION])
    md.treeprocessors.register(Collector(md), "collector", 5)  # as MkDocs does, after toc
    html = md.convert('# T {#t}\n\n<div>\n<p id="sec--p2">x</p>\n</div>\n')
    assert "sec--p2" in seen and "t" in seen
    assert html.count('id="sec--p2"') == 1


@pytest.mark.slow
def test_mkdocs_builds_the_same_site_without_it_and_checks_its_anchors(
    root: Path, tmp_path: Path
) -> None:
    """The fixture site with and without the extension (and a page linking to a paragraph
    anchor inside a stashed block, and to one that is nowhere): the same files, byte for byte,
    and the same anchor check."""
    statement = next((root / "docs" / "statements").glob("2026-03-12-*.md")).stem
    (root / "docs" / "links.md").write_text(
        f"# Links\n\n[a paragraph](statements/{statement}.md#afghanistan--p1)\n\n"
        f"[nowhere](statements/{statement}.md#no-such-anchor)\n",
        encoding="utf-8",
    )
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"- {EXTENSION}" in config and "strict: true\n" in config
    config = config.replace("strict: true\n", "strict: false\n")  # the warning is expected
    (root / "with.yml").write_text(config, encoding="utf-8")
    (root / "stock.yml").write_text(config.replace(f"  - {EXTENSION}\n", ""), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    logs, sites = {}, {}
    for name, file in (("with", "with.yml"), ("without", "stock.yml")):
        sites[name] = tmp_path / name
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "-f",
                str(root / file),
                "-d",
                str(sites[name]),
            ],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        logs[name] = [line for line in run.stderr.splitlines() if "anchor" in line]
    assert logs["with"] == logs["without"]
    assert len(logs["with"]) == 1 and "no-such-anchor" in logs["with"][0], logs
    built = {
        name: sorted(p for p in site.rglob("*") if p.is_file()) for name, site in sites.items()
    }
    assert [p.relative_to(sites["with"]) for p in built["with"]] == [
        p.relative_to(sites["without"]) for p in built["without"]
    ]
    for one in built["with"]:
        other = sites["without"] / one.relative_to(sites["with"])
        assert one.read_bytes() == other.read_bytes(), one
    assert markdown_stash.PRIORITY > 21  # before MkDocs' own raw-HTML pass, which it spares
