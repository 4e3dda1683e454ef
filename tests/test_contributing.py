"""What a contributor reads is true: the `make check` output CONTRIBUTING.md shows is what it
prints, the issue forms and the pull-request template are well formed and ask what they should,
and the pre-commit configuration runs the check and pins its hooks."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.commands import main

REPO = Path(__file__).resolve().parent.parent
CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = REPO / "tests/fixtures/contributing/2025-07-brics-rio-declaration.yml"
EXAMPLE_FILE = "data/statements/2025/2025-07-brics-rio-declaration.yml"


def blocks(markdown: str) -> list[str]:
    """The fenced code blocks of a Markdown text, each without its fences."""
    return re.findall(r"^```[a-z]*\n(.*?)^```$", markdown, flags=re.S | re.M)


def block_starting(start: str) -> str:
    found = [b for b in blocks(CONTRIBUTING) if b.startswith(start)]
    assert len(found) == 1, start
    return found[0]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's data/ (vocabularies and statements)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    shutil.copytree(REPO / "data", tmp_path / "data")
    return tmp_path


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--root", str(root), "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_the_example_file_is_the_one_shown(root: Path) -> None:
    shown = block_starting("# yaml-language-server")
    assert shown == EXAMPLE.read_text(encoding="utf-8")


def test_the_example_output_is_what_make_check_prints(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / EXAMPLE_FILE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, root / EXAMPLE_FILE)
    output = check(root, capsys)
    assert block_starting(f"{EXAMPLE_FILE}:5:7:") == output


def test_the_annotation_shown_is_what_github_gets(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / EXAMPLE_FILE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, root / EXAMPLE_FILE)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    annotations = [line for line in check(root, capsys).splitlines() if line.startswith("::")]
    assert block_starting("::error ") == annotations[0] + "\n"


def test_the_output_of_a_new_file_is_what_make_check_prints(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--id", "2025-07-brics-rio-declaration", "--title", "Rio de Janeiro Declaration"]
    assert main(["--root", str(root), "new", *args, "--date", "2025-07-06"]) == 0
    capsys.readouterr()
    assert block_starting(f"{EXAMPLE_FILE}:9:7:") == check(root, capsys)


def test_the_guide_s_examples_are_the_fixture_files() -> None:
    """Each example of the worked guide names its fixture file on its first line and is a part of
    it, word for word ('# …' between two parts that are apart in the file)."""
    examples = [b for b in blocks(CONTRIBUTING) if b.startswith("# tests/fixtures/archive/")]
    assert len(examples) == 7
    for example in examples:
        name, _, body = example.partition("\n")
        text = (REPO / name.removeprefix("# ")).read_text(encoding="utf-8")
        for part in body.split("# …\n"):
            assert part in text, (name, part)


def test_the_guide_names_every_source_kind_and_role() -> None:
    schema = json.loads((REPO / "scripts/statement.schema.json").read_text(encoding="utf-8"))
    source = schema["properties"]["sources"]["items"]["properties"]
    participant = schema["properties"]["participants"]["items"]["properties"]
    guide = CONTRIBUTING.partition("## Entering a published statement")[2].partition("\n## ")[0]
    assert all(f"| `{kind}` |" in guide for kind in source["kind"]["enum"])
    assert all(role in guide for role in participant["role"]["enum"])


def test_the_make_new_command_shown_is_the_makefile_s() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "$(if $(ID),--id" in makefile and "$(if $(DATE),--date" in makefile
    assert 'make new ID=2025-07-brics-rio-declaration TITLE="' in CONTRIBUTING
    assert "DATE=undated" in CONTRIBUTING


# --- templates --------------------------------------------------------------------------------

FORMS = sorted((REPO / ".github/ISSUE_TEMPLATE").glob("*.yml"))


def test_three_issue_forms_and_a_config() -> None:
    names = {path.name for path in FORMS}
    assert names == {"config.yml", "suggest-a-statement.yml", "report-an-error.yml", "bug.yml"}


@pytest.mark.parametrize("path", [p for p in FORMS if p.name != "config.yml"], ids=lambda p: p.name)
def test_an_issue_form_is_well_formed(path: Path) -> None:
    form: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_-]+", i) for i in ids)
    kinds = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    for item in form["body"]:
        assert item["type"] in kinds
        assert item["attributes"].get("label") or item["type"] == "markdown"
        if item["type"] == "dropdown":
            options = item["attributes"]["options"]
            assert len(options) == len(set(options))
    assert any(item.get("validations", {}).get("required") for item in form["body"])


def test_the_issue_forms_ask_for_what_reviewers_need() -> None:
    def labels(name: str) -> list[str]:
        form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE" / name).read_text("utf-8"))
        return [i["attributes"]["label"] for i in form["body"] if i["type"] != "markdown"]

    assert {"Title", "Date", "Issued by", "Source"} <= set(labels("suggest-a-statement.yml"))
    assert {"Statement", "What is wrong", "What it should say, and how you know"} <= set(
        labels("report-an-error.yml")
    )
    assert {"What happened", "Where"} <= set(labels("bug.yml"))


def test_the_issue_config_links_to_this_repository_s_guide() -> None:
    config = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/config.yml").read_text("utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    repo_url = project["tool"]["archive"]["repo_url"].rstrip("/")
    assert [link["url"] for link in config["contact_links"]] == [
        f"{repo_url}/blob/main/CONTRIBUTING.md"
    ]


def test_the_pull_request_checklist() -> None:
    template = (REPO / ".github/PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] \*\*(.+?)\*\*", template, flags=re.M)
    assert items == [
        "Source linked",
        "Excerpts verbatim",
        "Summaries and notes in my own words",
        "Tags on the sections",
        "`make check` is green",
        "Preview looked at",
    ]


# --- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_runs_the_check_and_pins_its_hooks() -> None:
    text = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.safe_load(text)
    local = next(r for r in config["repos"] if r["repo"] == "local")
    (hook,) = local["hooks"]
    assert hook["entry"].startswith("make ") and hook["entry"].endswith(" check")
    assert hook["pass_filenames"] is False  # the whole archive: ids and references span files
    assert re.search(hook["files"], "data/statements/2026/x.yml")
    assert re.search(hook["files"], "data/topics.yml")
    assert not re.search(hook["files"], "scripts/pipeline.py")
    remote = [r for r in config["repos"] if r["repo"] != "local"]
    assert remote
    for repo in remote:
        assert re.fullmatch(r"[0-9a-f]{40}", repo["rev"]), repo["repo"]
        line = next(line for line in text.splitlines() if repo["rev"] in line)
        assert re.search(r"# frozen: v\d", line)
    hooks = {h["id"] for r in remote for h in r["hooks"]}
    assert {"check-yaml", "trailing-whitespace", "end-of-file-fixer"} <= hooks
    assert re.search(config["exclude"], "tests/fixtures/broken/tabs.yml")
    excludes = [
        config["exclude"],
        *(h["exclude"] for r in remote for h in r["hooks"] if "exclude" in h),
    ]
    for exclude in excludes:  # each still excludes something that exists
        assert any(re.search(exclude, str(p.relative_to(REPO))) for p in REPO.glob("tests/**/*"))


# --- the pull-request check -------------------------------------------------------------------


def test_the_pull_request_check_does_what_contributing_md_says() -> None:
    # BaseLoader: `on:` stays the key "on", every value text.
    workflow = yaml.load((REPO / ".github/workflows/pr.yml").read_text("utf-8"), yaml.BaseLoader)
    assert list(workflow["on"]) == ["pull_request"]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    runs = [step["run"] for step in jobs["check"]["steps"] if "run" in step]
    assert runs == ["rm -rf .build", "make check"]  # nothing a pull request put under .build/
    (store,) = [s for s in jobs["check"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert store["with"]["path"] == ".build/cache"
    test = jobs["test"]
    assert test["env"]["REQUIRE_BROWSER"] == "1"
    assert test["container"].startswith("python:3.11-bookworm")  # Debian's chromium, as .ci/run
    assert [step["run"] for step in test["steps"] if "run" in step] == ["bash .ci/run"]
    build = jobs["build"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert runs[0] == "make build"
    assert runs[1].startswith(
        '.venv/bin/python -m scripts changes --base HEAD^1 >> "$GITHUB_STEP_SUMMARY"\n'
    )
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == "2"  # the merge commit and its first parent
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-art"))
    assert upload["with"] == {"name": "site-preview", "path": "site/", "retention-days": "7"}


def test_the_vocabulary_entries_shown_pass_check(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forums, topics = block_starting("# data/forums.yml\n").split("# data/topics.yml\n")
    for name, entries in (("forums", forums), ("topics", topics)):
        path = root / "data" / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8") + entries, encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 0
    assert capsys.readouterr().out.startswith("No problems:")
