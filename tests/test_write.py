"""The writer: write-if-changed, one write per path, nothing outside the generated folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scripts.write import WriteError, Writer

OWNED = ("statements", "countries", "index.md")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# About\n", encoding="utf-8")
    return docs


def writer(docs: Path) -> Writer:
    return Writer(docs, owned=OWNED)


def test_writes_new_files_and_their_folders(docs: Path) -> None:
    w = writer(docs)
    w.write("statements/a.md", "A\n")
    w.write("countries/no/index.md", "Norway, Норвегия, 挪威\n")
    w.write("index.md", "home\n")
    assert (docs / "statements/a.md").read_text(encoding="utf-8") == "A\n"
    assert (docs / "countries/no/index.md").read_bytes() == "Norway, Норвегия, 挪威\n".encode()
    assert w.changed == [
        docs / "statements/a.md",
        docs / "countries/no/index.md",
        docs / "index.md",
    ]


def test_writes_only_what_changed(docs: Path) -> None:
    first = writer(docs)
    first.write("statements/a.md", "A\n")
    first.write("statements/b.md", "B\n")
    a, b = docs / "statements/a.md", docs / "statements/b.md"
    os.utime(a, ns=(1_000_000_000, 1_000_000_000))
    os.utime(b, ns=(1_000_000_000, 1_000_000_000))

    second = writer(docs)
    second.write("statements/a.md", "A\n")
    second.write("statements/b.md", "B, edited\n")
    assert second.changed == [b]
    assert second.written == {a, b}
    assert a.stat().st_mtime_ns == 1_000_000_000  # untouched: mkdocs serve rebuilds nothing
    assert b.read_text(encoding="utf-8") == "B, edited\n"


def test_refuses_a_second_write_to_one_path(docs: Path) -> None:
    w = writer(docs)
    w.write("statements/a.md", "first\n")
    for spelling in ("statements/a.md", "statements/./a.md", "countries/../statements/a.md"):
        with pytest.raises(WriteError, match="twice"):
            w.write(spelling, "second\n")
    assert (docs / "statements/a.md").read_text(encoding="utf-8") == "first\n"


@pytest.mark.parametrize(
    "path",
    [
        "../x.md",
        "../docs-other/statements/x.md",
        "statements/../../x.md",
        "about.md",
        "assets/archive.css",
        "statements-extra/x.md",
        "index.md/x.md",
        ".",
        "",
    ],
)
def test_refuses_paths_outside_the_generated_folders(docs: Path, path: str) -> None:
    before = sorted(p for p in docs.parent.rglob("*"))
    with pytest.raises(WriteError, match="refusing"):
        writer(docs).write(path, "x\n")
    assert sorted(p for p in docs.parent.rglob("*")) == before
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About\n"


def test_refuses_an_absolute_path(docs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    with pytest.raises(WriteError, match="refusing"):
        writer(docs).write(str(outside), "x\n")
    with pytest.raises(WriteError, match="refusing"):
        writer(docs).write(str(docs / "about.md"), "x\n")
    assert not outside.exists()
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About\n"


def test_refuses_to_follow_a_link_out_of_its_folder(docs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (docs / "statements").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError, match="refusing"):
        writer(docs).write("statements/x.md", "x\n")
    assert list(outside.iterdir()) == []


def test_remove_stale_deletes_pages_no_longer_produced(docs: Path) -> None:
    first = writer(docs)
    for path in ("statements/a.md", "statements/b.md", "countries/no/index.md", "index.md"):
        first.write(path, f"{path}\n")
    assert first.remove_stale() == []

    second = writer(docs)
    second.write("statements/a.md", "statements/a.md\n")
    removed = second.remove_stale()
    assert sorted(removed) == sorted(
        [docs / "statements/b.md", docs / "countries/no/index.md", docs / "index.md"]
    )
    assert (docs / "statements/a.md").is_file()
    assert not (docs / "countries/no").exists()  # emptied folders go too
    assert (docs / "about.md").is_file()  # hand-written pages are never touched


def test_remove_stale_keeps_files_outside_its_folders(docs: Path) -> None:
    (docs / "assets").mkdir()
    (docs / "assets/archive.css").write_text("body {}\n", encoding="utf-8")
    (docs / "statements").mkdir()
    (docs / "statements/old.md").write_text("old\n", encoding="utf-8")
    assert writer(docs).remove_stale() == [docs / "statements/old.md"]
    assert (docs / "assets/archive.css").is_file()
    assert (docs / "about.md").is_file()


def test_remove_stale_deletes_nothing_outside_its_root(docs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "keep.md").write_text("keep\n", encoding="utf-8")
    (outside / "deep/keep.md").write_text("keep\n", encoding="utf-8")
    (docs / "countries").symlink_to(outside, target_is_directory=True)
    (docs / "statements").mkdir()
    (docs / "statements/linked").symlink_to(outside / "deep", target_is_directory=True)
    writer(docs).remove_stale()
    assert (outside / "keep.md").is_file()
    assert (outside / "deep/keep.md").is_file()
    assert not (docs / "statements/linked").is_symlink()  # the stale link itself goes


def test_a_changed_file_is_a_new_file_and_a_link_to_the_old_keeps_its_text(
    docs: Path, tmp_path: Path
) -> None:
    """The built site links docs/' downloads: writing docs/ again must not change the live
    site before its swap."""
    writer(docs).write("statements/a.json", "old\n")
    live = tmp_path / "live.json"
    os.link(docs / "statements" / "a.json", live)
    writer(docs).write("statements/a.json", "new\n")
    assert (docs / "statements" / "a.json").read_text(encoding="utf-8") == "new\n"
    assert live.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in (docs / "statements").iterdir()) == ["a.json"]
