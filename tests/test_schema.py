"""The JSON Schema (scripts/statement.schema.json) and the validator never disagree.

The validator applies the schema and then rules a schema cannot say, so the two are held to this:
**the schema accepts a file exactly when the validator reports no structural problem in it.**

- *Structural* is what the schema says: which fields exist at each level and which are required;
  the type of each value (text, list, mapping); the form of text values (a slug, an ISO code in
  capitals, a date written YYYY[-MM[-DD]], a language tag, an http(s) address, one line, length
  bounds); the short fixed lists (source kind, relation); no value twice in a tag list. The
  validator marks each such problem (`Problem.structural`), also where it words it better than the
  schema could: 'AF' under topics breaks the slug form and is reported as "'AF' is a country, not
  a topic"; `kind: TO FILL IN` breaks it too and is reported as still to fill in.
- *Extra* rules are the validator's alone: YAML strictness (no anchors, tags, duplicate keys …),
  real dates (2026-02-30), vocabularies ('counter-terorism' is a well-formed slug, just not a
  topic), references (`related`, excerpt `source`), the file name and folder, ids unique in the
  archive and in a file, either-or fields (`date` or `date_note`, `parties` or `issuing_forum`,
  excerpts or a summary), verbatim quotes, raw HTML and unsafe links, placeholders in otherwise
  well-formed values.

The schema side is applied independently of the validator: jsonschema's stock Draft 2020-12
validator, on the file as `yaml.BaseLoader` reads it (every scalar text, as the strict loader
reads it). A file the strict loader refuses has no data to give the schema; it is reported by the
validator as that one problem.

Files: every statement in data/, tests/fixtures/archive/, tests/fixtures/broken/ and the example
of CONTRIBUTING.md (tests/fixtures/contributing/), a synthetic archive, the files `make new`
writes (as written and filled in), and one valid statement changed in one way per case below,
each case with the verdict it must get.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from scripts.commands import main
from scripts.dev.synthetic import synthetic_statements, synthetic_vocabularies
from scripts.load import iso_country_names, load_archive
from scripts.validate import Problem, validate_archive

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCHEMA = json.loads((REPO / "scripts/statement.schema.json").read_text(encoding="utf-8"))
STOCK = jsonschema.Draft202012Validator(SCHEMA)
VOCABULARIES = ("countries", "forums", "topics", "kinds")


@dataclass(frozen=True)
class Verdicts:
    """What each side says of one file."""

    file: str
    problems: list[Problem]
    """Every problem the validator reports in the file."""
    loaded: bool
    """Whether the strict loader read the file (if not, there is nothing to apply the schema to)."""
    schema_errors: list[str]
    """The stock schema validator's complaints on the file as BaseLoader reads it."""

    @property
    def structural(self) -> list[Problem]:
        return [p for p in self.problems if p.structural]


def verdicts(root: Path) -> dict[str, Verdicts]:
    """Both sides' verdicts on every statement file under `root`/data/statements."""
    statements, vocabularies = load_archive(root)
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in validate_archive(statements, vocabularies, iso_country_names()):
        by_file[problem.file].append(problem)
    result = {}
    for loaded in statements:
        file = str(loaded.file)
        errors: list[str] = []
        if loaded.document is not None:
            raw = (root / loaded.file).read_text(encoding="utf-8")
            data = yaml.load(raw, Loader=yaml.BaseLoader)  # BaseLoader: text, lists, mappings only
            if not loaded.document.duplicate_keys:  # BaseLoader keeps the last, strict the first
                assert data == loaded.document.data, file
            errors = [
                f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in STOCK.iter_errors(data)
            ]
        result[file] = Verdicts(file, by_file[file], loaded.document is not None, errors)
    return result


def assert_agree(found: dict[str, Verdicts]) -> None:
    assert found, "no statement files"
    for file, v in found.items():
        if not v.loaded:
            assert len(v.problems) == 1, (file, v.problems)
            assert not v.structural
            continue
        if v.schema_errors:
            assert v.structural, f"{file}: the schema rejects it ({v.schema_errors}) but the"
            " validator reports no structural problem"
        else:
            assert not v.structural, f"{file}: the schema accepts it but the validator reports"
            f" structural problems: {[str(p) for p in v.structural]}"


def archive(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """An archive with the repository's vocabularies and `files` (path → content)."""
    (tmp_path / "data").mkdir(parents=True)
    for name in VOCABULARIES:
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    for relative, content in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


# --- every file there is ---------------------------------------------------------------------


def test_the_real_data() -> None:
    found = verdicts(REPO)
    assert_agree(found)
    assert all(not v.problems and not v.schema_errors for v in found.values())


def test_the_fixture_archive() -> None:
    found = verdicts(FIXTURES / "archive")
    assert_agree(found)
    assert all(not v.problems and not v.schema_errors for v in found.values())


def test_the_broken_fixtures(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"data/statements/2026/{path.name}": path.read_bytes()
        for path in sorted((FIXTURES / "broken").iterdir())
    }
    found = verdicts(archive(tmp_path, files))
    assert_agree(found)
    readable = {f for f, v in found.items() if v.loaded}
    assert readable == {
        "data/statements/2026/hostile-text.yml",
        "data/statements/2026/not-a-mapping.yml",
        "data/statements/2026/wrong-types.yml",
    }
    assert found["data/statements/2026/wrong-types.yml"].schema_errors


def test_the_example_contributing_md_shows(tmp_path: Path) -> None:
    example = FIXTURES / "contributing" / "2025-07-brics-rio-declaration.yml"
    files: dict[str, str | bytes] = {f"data/statements/2025/{example.name}": example.read_bytes()}
    found = verdicts(archive(tmp_path, files))
    assert_agree(found)
    (only,) = found.values()
    assert only.schema_errors  # its source url and source kind break the schema's rules


def test_a_synthetic_archive(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {**synthetic_vocabularies(), **synthetic_statements(40, REPO)}
    found = verdicts(archive(tmp_path, files))
    assert len(found) == 40
    assert_agree(found)
    assert all(not v.problems for v in found.values())


def test_the_files_make_new_writes_as_written_and_filled_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_new import fill

    root = archive(tmp_path, {})
    for statement_id, date in (("written", "2025-07-06"), ("undated", "undated")):
        args = ["--id", statement_id, "--title", "T", "--date", date]
        assert main(["--root", str(root), "new", *args]) == 0
    assert (
        main(["--root", str(root), "new", "--id", "filled", "--title", "T", "--date", "2025"]) == 0
    )
    capsys.readouterr()
    filled = root / "data/statements/2025/filled.yml"
    filled.write_text(fill(filled.read_text(encoding="utf-8")), encoding="utf-8")
    found = verdicts(root)
    assert_agree(found)
    assert found["data/statements/2025/written.yml"].schema_errors  # kind: TO FILL IN
    assert found["data/statements/undated/undated.yml"].schema_errors
    assert not found["data/statements/2025/filled.yml"].schema_errors
    assert not found["data/statements/2025/filled.yml"].problems


# --- one valid statement, changed one way at a time --------------------------------------------

BASE = """\
id: {id}
title: A test statement
date: 2026-05-21
kind: joint-statement
parties: [CN, RU]
summary: Both sides spoke of peace.
sources:
  - id: report
    title: A report
    url: https://example.org/report
    published: 2026-05-22
    kind: news-report
sections:
  - id: afghanistan
    heading: Afghanistan
    countries: [AF]
    forums: [sco]
    topics: [counter-terrorism]
    excerpts:
      - text: Both sides support lasting peace and stability in Afghanistan.
    annotations:
      - quote: lasting peace and stability
        note: An editorial note.
related:
  - {id: other, relation: follows}
"""

OTHER = BASE.replace("{id}", "other").replace("related:\n  - {id: other, relation: follows}\n", "")

STRUCTURAL = {
    "unknown-key": ("title: A test statement", "title: A test statement\ncolour: red"),
    "misspelt-key": ("title: A test", "titel: A test"),
    "missing-summary": ("summary: Both sides spoke of peace.\n", ""),
    "missing-source-url": ("    url: https://example.org/report\n", ""),
    "text-for-a-list": ("parties: [CN, RU]", "parties: CN"),
    "list-for-text": ("title: A test statement", "title: [A, list]"),
    "kind-not-a-slug": ("kind: joint-statement", "kind: Joint Statement"),
    "kind-placeholder": ("kind: joint-statement", "kind: TO FILL IN"),
    "country-as-topic": ("topics: [counter-terrorism]", "topics: [AF]"),
    "forum-as-party": ("parties: [CN, RU]", "parties: [CN, sco]"),
    "country-by-name": ("parties: [CN, RU]", "parties: [China, RU]"),
    "url-not-http": ("url: https://example.org/report", "url: www.example.org/report"),
    "date-in-words": ("date: 2026-05-21", "date: May 2026"),
    "published-in-words": ("published: 2026-05-22", "published: 22 May"),
    "relation-misspelt": ("relation: follows", "relation: followz"),
    "source-kind-unknown": ("kind: news-report", "kind: news"),
    "tag-twice": ("topics: [counter-terrorism]", "topics: [sanctions, sanctions]"),
    "empty-title": ("title: A test statement", "title: ''"),
    "two-line-title": ("title: A test statement", "title: |\n  A test\n  statement"),
    "id-with-a-final-line-break": ("id: {id}", "id: |\n  {id}"),
    "url-with-a-final-line-break": (
        "    url: https://example.org/report",
        "    url: |\n      https://example.org/report",
    ),
    "country-with-a-final-line-break": ("countries: [AF]", "countries:\n      - |\n        AF"),
    "no-sections": (BASE[BASE.index("sections:") : BASE.index("related:")], "sections: []\n"),
    "language-in-words": ("kind: joint-statement", "kind: joint-statement\nlanguage: English"),
    "long-heading": ("heading: Afghanistan", "heading: " + "x" * 301),
    "signatory-unknown-key": (
        "summary: Both",
        "signatories:\n  - {name: Xi Jinping, office: President}\nsummary: Both",
    ),
    "annotation-without-note": ("        note: An editorial note.\n", ""),
}
"""Changes that break the schema: the schema rejects the file, the validator reports a structural
problem (in its own words)."""

EXTRA = {
    "unknown-topic": ("topics: [counter-terrorism]", "topics: [water-rights]"),
    "topic-near-miss": ("topics: [counter-terrorism]", "topics: [counter-terorism]"),
    "forum-as-topic": ("topics: [counter-terrorism]", "topics: [sco]"),
    "forum-one-slip": ("forums: [sco]", "forums: [sko]"),
    "unknown-country-code": ("parties: [CN, RU]", "parties: [CN, ZZ]"),
    "unknown-kind": ("kind: joint-statement", "kind: manifesto"),
    "impossible-date": ("date: 2026-05-21", "date: 2026-02-30"),
    "wrong-folder": ("date: 2026-05-21", "date: 2025-05-21"),
    "no-date-nor-note": ("date: 2026-05-21\n", ""),
    "no-issuer": ("parties: [CN, RU]\n", ""),
    "no-excerpt-nor-summary": (
        "      - text: Both sides support lasting peace and stability in Afghanistan.\n"
        "    annotations:\n      - quote: lasting peace and stability\n"
        "        note: An editorial note.\n",
        "      []\n",
    ),
    "source-id-twice": (
        "sections:",
        "  - {id: report, title: Again, url: 'https://example.org/again'}\nsections:",
    ),
    "unknown-excerpt-source": (
        "      - text: Both",
        "      - source: reprot\n        text: Both",
    ),
    "quote-not-found": ("quote: lasting peace and stability", "quote: lasting peace and security"),
    "raw-html": ("title: A test statement", "title: A <b>test</b>"),
    "javascript-link": ("summary: Both sides", "summary: '[x](javascript:alert(1))' Both sides"),
    "related-missing": ("{id: other, relation", "{id: nothing, relation"),
    "placeholder-title": ("title: A test statement", "title: TO FILL IN"),
    "duplicate-key": ("title: A test statement", "title: A test statement\ntitle: Again"),
}
"""Changes the schema has no rule for: the schema accepts the file, the validator reports
problems, none of them structural."""


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdicts]:
    """Both verdicts on the valid statement and on each change of it, all in one archive."""
    files: dict[str, str | bytes] = {"data/statements/2026/other.yml": OTHER}
    cases = {"valid": ("", ""), **STRUCTURAL, **EXTRA}
    for name, (old, new) in cases.items():
        text = BASE.replace("{id}", name)
        old, new = old.replace("{id}", name), new.replace("{id}", name)
        assert not old or text.count(old) == 1, name
        files[f"data/statements/2026/{name}.yml"] = text.replace(old, new) if old else text
    found = verdicts(archive(tmp_path_factory.mktemp("changed"), files))
    return {Path(file).stem: v for file, v in found.items()}


def test_the_valid_statement_passes_both(changed: dict[str, Verdicts]) -> None:
    assert (changed["valid"].problems, changed["valid"].schema_errors) == ([], [])
    assert (changed["other"].problems, changed["other"].schema_errors) == ([], [])


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_a_structural_problem_fails_both(changed: dict[str, Verdicts], name: str) -> None:
    found = changed[name]
    assert found.schema_errors
    assert found.structural, [str(p) for p in found.problems]
    assert_agree({name: found})


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_an_extra_rule_fails_only_the_validator(changed: dict[str, Verdicts], name: str) -> None:
    found = changed[name]
    assert found.schema_errors == []
    assert found.problems
    assert not found.structural, [str(p) for p in found.problems]


def test_the_schema_defines_every_pattern_so_python_and_ecma_262_agree() -> None:
    # JSON Schema patterns are ECMA-262, where `$` is the end of the text; in Python's `re`,
    # which jsonschema uses, `$` also matches before a final line break. Each pattern says
    # `$(?!\n)`, which both read as the very end.
    patterns = [d["pattern"] for d in SCHEMA["$defs"].values() if "pattern" in d]
    assert patterns
    assert all(p.startswith("^") and p.endswith("$(?!\\n)") for p in patterns), patterns


def _subschemas(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    children = [*node.get("properties", {}).values(), *node.get("$defs", {}).values()]
    children += [node[key] for key in ("items", "if", "then") if isinstance(node.get(key), dict)]
    for child in children:
        found += _subschemas(child)
    return found


def test_the_schema_uses_only_rules_the_validator_words() -> None:
    # A rule the validator has no message of its own for would reach a contributor in
    # jsonschema's words; these are the ones it words (scripts/validate/schema.py `_MESSAGES`).
    worded = {
        "type",
        "required",
        "additionalProperties",
        "minLength",
        "maxLength",
        "pattern",
        "enum",
        "minItems",
        "maxItems",  # worded by the lead's validate change: see test_hardening.py
        "uniqueItems",
    }
    structure = {"properties", "items", "$defs", "$ref", "if", "then"}
    notes = {"$schema", "$id", "$comment", "title", "description", "x-hint"}
    used = {keyword for node in _subschemas(SCHEMA) for keyword in node}
    assert used - structure - notes == worded
