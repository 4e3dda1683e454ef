"""`python -m scripts changes --base <ref>`: the PR check's job summary, from a real git history in
a temporary repository (a base branch, then a branch that adds, changes, moves and removes
statements and vocabulary entries)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.commands import main
from scripts.commands.changes import code, escape, hubs_of

REPO = Path(__file__).resolve().parent.parent
VOCABULARIES = ("countries", "forums", "topics", "kinds")


def statement(
    statement_id: str,
    title: str,
    date: str = "2026-05-21",
    tags: str = "countries: [AF]\n    forums: [sco]\n    topics: [counter-terrorism]",
    extra: str = "",
) -> str:
    return f"""\
id: {statement_id}
title: {title}
date: {date}
kind: joint-statement
parties: [CN, RU]
summary: Both sides spoke.
sources:
  - {{id: report, title: A report, url: "https://example.org/report"}}
sections:
  - id: one
    heading: One
    {tags}
    summary: The section.
{extra}"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose branch `main` holds the vocabularies and three statements."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    (tmp_path / "data").mkdir()
    for name in VOCABULARIES:
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    write(tmp_path, "data/statements/2026/kept.yml", statement("kept", "Kept as it is"))
    write(tmp_path, "data/statements/2026/edited.yml", statement("edited", "Before the edit"))
    write(tmp_path, "data/statements/2026/removed.yml", statement("removed", "Removed later"))
    write(
        tmp_path,
        "data/statements/2025/moved.yml",
        statement("moved", "Moved", "2025", "topics: [sanctions]"),
    )
    (tmp_path / "README.md").write_text("readme\n", encoding="utf-8")
    commit(tmp_path, "base")
    git(tmp_path, "checkout", "--quiet", "-b", "feature")
    return tmp_path


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "-m", message)


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def changes(root: Path, capsys: pytest.CaptureFixture[str], base: str) -> tuple[int, str, str]:
    status = main(["--root", str(root), "changes", "--base", base])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def base_line(root: Path, ref: str = "main") -> str:
    commit_id = git(root, "merge-base", ref, "HEAD").strip()[:12]
    return f"Compared with `{ref}` (merge base `{commit_id}`)."


def test_added_changed_moved_and_removed_statements_and_their_hubs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo,
        "data/statements/2025/2025-07-rio.yml",
        statement(
            "2025-07-rio",
            "Rio de Janeiro Declaration",
            "2025-07-06",
            "countries: [BR]\n    forums: [brics]\n    topics: [multilateralism]",
            "related:\n  - {id: kept, relation: follows}\n",
        ),
    )
    write(
        repo,
        "data/statements/2026/edited.yml",
        statement("edited", "After the edit", tags="topics: [ceasefire]"),
    )
    (repo / "data/statements/2026/removed.yml").unlink()
    (repo / "data/statements/2025/moved.yml").rename(repo / "data/statements/2026/moved.yml")
    write(
        repo,
        "data/statements/2026/moved.yml",
        statement("moved", "Moved", "2026", "topics: [sanctions]"),
    )
    commit(repo, "feature")
    assert changes(repo, capsys, "main") == (
        0,
        "## What this changes in the archive\n"
        "\n"
        f"{base_line(repo)}\n"
        "\n"
        "### Statements: 1 added, 2 changed, 1 removed\n"
        "\n"
        "- **added** `statements/2025-07-rio/` — Rio de Janeiro Declaration (6 July 2025)"
        " — `data/statements/2025/2025-07-rio.yml`\n"
        "- **changed** `statements/edited/` — After the edit (21 May 2026)"
        " — `data/statements/2026/edited.yml`\n"
        "- **moved from data/statements/2025/moved.yml** `statements/moved/` — Moved (2026)"
        " — `data/statements/2026/moved.yml`\n"
        "- **removed** `statements/removed/` — Removed later (21 May 2026)"
        " — `data/statements/2026/removed.yml`\n"
        "\n"
        "### Hub pages they reach\n"
        "\n"
        "- Countries (4): `countries/af/` Afghanistan, `countries/br/` Brazil,"
        " `countries/cn/` China, `countries/ru/` Russia\n"
        "- Forums (2): `forums/brics/` BRICS, `forums/sco/` Shanghai Cooperation Organisation\n"
        # ceasefire and counter-terrorism reach their broader topics' hubs too
        "- Topics (6): `topics/ceasefire/` Ceasefire, `topics/conflict-and-peace/` Conflict"
        " and peace, `topics/counter-terrorism/` Counter-terrorism, `topics/multilateralism/`"
        " Multilateral cooperation, `topics/sanctions/` Sanctions, `topics/security/`"
        " Security\n"
        "\n"
        "Statement pages that list them as related: `statements/kept/`\n"
        "\n",
        "",
    )


def test_only_what_the_branch_changed_not_what_the_base_did_since(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, "data/statements/2026/new.yml", statement("new", "New", tags="topics: [sanctions]"))
    commit(repo, "feature")
    git(repo, "checkout", "--quiet", "main")
    (repo / "data/statements/2026/kept.yml").unlink()
    commit(repo, "main moves on")
    git(repo, "checkout", "--quiet", "feature")
    status, out, _ = changes(repo, capsys, "main")
    assert status == 0
    assert "### Statements: 1 added, 0 changed, 0 removed\n" in out
    assert "kept" not in out


def test_vocabulary_entries_and_other_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forums = repo / "data/forums.yml"
    text = forums.read_text(encoding="utf-8").replace("name: BRICS", "name: BRICS group")
    forums.write_text(text + "- id: nato\n  name: NATO\n  kind: organisation\n", "utf-8")
    kinds = repo / "data/kinds.yml"
    kinds.write_text("# reordered\n" + kinds.read_text(encoding="utf-8"), encoding="utf-8")
    write(repo, "data/statements/2026/notes.md", "notes\n")
    (repo / "README.md").write_text("changed, and not in data/\n", encoding="utf-8")
    commit(repo, "feature")
    assert changes(repo, capsys, "main") == (
        0,
        "## What this changes in the archive\n"
        "\n"
        f"{base_line(repo)}\n"
        "\n"
        "### Vocabularies\n"
        "\n"
        "- `data/forums.yml`: added `nato` (`forums/nato/`); changed `brics` (`forums/brics/`)\n"
        "- `data/kinds.yml`: comments or order only\n"
        "\n"
        "### Other files in data/\n"
        "\n"
        "- **added** `data/statements/2026/notes.md`\n"
        "\n",
        "",
    )


def test_a_file_that_cannot_be_read_is_listed_as_such(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, "data/statements/2026/broken.yml", "id: broken\ntitle: [unclosed\n")
    commit(repo, "feature")
    status, out, _ = changes(repo, capsys, "main")
    assert status == 0
    assert (
        "- **added** `data/statements/2026/broken.yml`: cannot be read (line 3: YAML syntax:"
    ) in out
    assert out.splitlines()[6].endswith("; see `make check`")


def test_contributor_text_is_shown_never_run_as_markup(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "'<img src=x onerror=alert(1)> **bold** [link](https://example.org) | `code`'"
    write(repo, "data/statements/2026/a<b>.yml", statement("x`y", title))
    commit(repo, "feature")
    status, out, _ = changes(repo, capsys, "main")
    assert status == 0
    line = out.splitlines()[6]
    assert line == (
        "- **added** statements/x\\`y/ — &lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\*"
        " \\[link\\](https://example.org) \\| \\`code\\` (21 May 2026)"
        " — data/statements/2026/a&lt;b&gt;.yml"
    )


def test_nothing_changed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit(repo, "empty")
    assert changes(repo, capsys, "main") == (
        0,
        "## What this changes in the archive\n\n"
        f"{base_line(repo)}\n\n"
        "No file in data/ changes.\n\n",
        "",
    )


def test_an_unknown_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert changes(repo, capsys, "no-such-branch") == (
        2,
        "",
        "changes: 'no-such-branch' is not a commit in this repository (fetch it first?)\n",
    )


def test_the_first_parent_of_a_merge_commit_as_the_pr_check_uses_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # actions/checkout checks out the merge of the pull request into its base; HEAD^1 is the base.
    write(repo, "data/statements/2026/new.yml", statement("new", "New"))
    commit(repo, "feature")
    git(repo, "checkout", "--quiet", "main")
    git(repo, "merge", "--quiet", "--no-ff", "--no-edit", "feature")
    status, out, _ = changes(repo, capsys, "HEAD^1")
    assert status == 0
    assert "- **added** `statements/new/` — New (21 May 2026)" in out


def test_hubs_of_odd_data() -> None:
    assert hubs_of(None) == set()
    assert hubs_of({"parties": "CN", "sections": {"a": 1}, "topics": [1, "x"]}) == {("topics", "x")}
    assert hubs_of({"issuing_forum": "sco", "sections": [None, {"forums": ["brics"]}]}) == {
        ("forums", "sco"),
        ("forums", "brics"),
    }


def test_hubs_of_the_second_edition() -> None:
    """Actors, excerpt-level tags, participants (their hubs list what they took part in) and the
    series page."""
    data = {
        "parties": ["IS"],
        "series": "fictional-talks",
        "actors": ["fictional-front"],
        "participants": [
            {"country": "EE", "role": "guest"},
            {"forum": "arctic-dialogue", "role": "observer"},
            {"actor": "fictional-authority", "role": "guest"},
            "not a participant",
        ],
        "sections": [
            {"id": "a", "excerpts": [{"text": "…", "topics": ["ceasefire"], "countries": ["NO"]}]},
            {"id": "b", "excerpts": "not a list"},
        ],
    }
    assert hubs_of(data) == {
        ("countries", "IS"),
        ("countries", "EE"),
        ("countries", "NO"),
        ("forums", "arctic-dialogue"),
        ("topics", "ceasefire"),
        ("actors", "fictional-front"),
        ("actors", "fictional-authority"),
        ("series", "fictional-talks"),
    }


def test_actor_and_series_pages_with_their_names(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo,
        "data/actors.yml",
        "- {id: fictional-front, name: Tide Front (fictional), kind: armed-group, aliases: []}\n",
    )
    write(repo, "data/series.yml", "- {id: fictional-talks, name: Fictional Talks}\n")
    write(
        repo,
        "data/statements/2026/talks.yml",
        statement(
            "talks",
            "Round 2 of the talks",
            tags="actors: [fictional-front]",
            extra="series: fictional-talks\nround: 2\n"
            "participants:\n  - {actor: fictional-ghost, role: guest}\n",
        ),
    )
    commit(repo, "talks")
    status, out, err = changes(repo, capsys, "main")
    assert (status, err) == (0, "")
    assert (
        "- Actors (2): `actors/fictional-front/` Tide Front (fictional),"
        " `actors/fictional-ghost/` (not in the vocabulary)\n"
    ) in out
    assert "- Series (1): `series/fictional-talks/` Fictional Talks\n" in out
    assert "- `data/series.yml`: added `fictional-talks` (`series/fictional-talks/`)" in out


def test_escape_and_code() -> None:
    assert escape("a\nb  c") == "a b c"
    assert escape("<script>&") == "&lt;script&gt;&amp;"
    assert code("data/statements/2026/x.yml") == "`data/statements/2026/x.yml`"
    assert code("a`b") == "a\\`b"
