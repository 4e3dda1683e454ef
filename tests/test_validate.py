"""The validate stage and `python -m scripts check`: every rule of SPEC §4, each asserted as the
exact `path:line:col: message` a contributor reads.

Each test builds a tiny archive in tmp_path: the four vocabulary files copied from the repository,
and statement files written under data/statements/<YYYY>/.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from scripts.commands import main
from scripts.load import iso_country_names, load_archive, statement_files
from scripts.pipeline import prepare
from scripts.validate import Problem, validate_archive
from scripts.validate.problems import label, one_line
from scripts.validate.schema import schema_findings
from scripts.validate.suggest import did_you_mean

REPO = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
VOCABULARIES = ("countries", "forums", "topics", "kinds")

FILE = "data/statements/2026/2026-05-21-test.yml"
STATEMENT = """\
id: 2026-05-21-test
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
sections:
  - id: afghanistan
    heading: Afghanistan
    countries: [AF]
    forums: [sco]
    topics: [counter-terrorism]
    excerpts:
      - text: >-
          Both sides support lasting peace
          and stability in Afghanistan.
    annotations:
      - quote: lasting peace and stability
        note: An editorial note.
"""
"""A valid statement; tests change one thing in it. Places used below: id 1:5, title 2:8,
date 3:7, kind 4:7, parties 5:11 and 5:15, summary 6:10, sources[0] 8:5, its url 10:10 and
published 11:16, sections[0] 13:5, its topics 17:14, excerpt text 19:15, annotation quote 23:16
and note 24:15."""

SECOND = """\
id: 2026-06-01-second
title: A second statement
date: 2026-06-01
kind: press-statement
issuing_forum: sco
summary: The forum spoke.
sources:
  - {id: site, title: The forum's site, url: "https://example.org/sco"}
sections:
  - id: all
    heading: All of it
    summary: Everything at once.
"""


def changed(old: str, new: str, text: str = STATEMENT) -> str:
    """`text` with `old`, which occurs exactly once, replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An archive with the repository's vocabularies and no statements yet."""
    (tmp_path / "data").mkdir()
    for name in VOCABULARIES:
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    return tmp_path


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def check(root: Path) -> list[str]:
    """The problems `make check` prints, one string each."""
    problems, archive = prepare(root)
    assert (archive is None) == bool(problems)
    return [str(problem) for problem in problems]


def check_statement(root: Path, text: str | bytes, relative: str = FILE) -> list[str]:
    write(root, relative, text)
    return check(root)


def at(line: int, col: int, message: str, file: str = FILE) -> str:
    return f"{file}:{line}:{col}: {message}"


@pytest.fixture
def cli(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return Cli(root, capsys)


class Cli:
    """`python -m scripts --root <root> check`: its exit status, stdout and stderr."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def check(self) -> tuple[int, str, str]:
        status = main(["--root", str(self.root), "check"])
        captured = self.capsys.readouterr()
        return status, captured.out, captured.err


# --- the baseline --------------------------------------------------------------------------


def test_the_tiny_archive_is_valid(root: Path) -> None:
    write(root, "data/statements/2026/2026-06-01-second.yml", SECOND)
    assert check_statement(root, STATEMENT) == []


def test_the_real_data_has_no_problems() -> None:
    problems, archive = prepare(REPO)
    assert [str(p) for p in problems] == []
    assert archive is not None
    assert len(archive.statements) == len(statement_files(REPO))


def test_check_on_the_real_data_exits_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["--root", str(REPO), "check"]) == 0
    captured = capsys.readouterr()
    count = len(statement_files(REPO))
    noun = "statement" if count == 1 else "statements"
    assert captured.out == f"No problems: {count} {noun} and 6 vocabularies checked.\n"
    assert captured.err == ""


# --- the report: one line per problem, a count, exit status, GitHub annotations -----------


def test_report_lists_every_problem_then_the_count_and_exits_1(cli: Cli) -> None:
    write(
        cli.root,
        FILE,
        changed(
            "quote: lasting peace and stability",
            "quote: lasting peace and security",
            changed("topics: [counter-terrorism]", "topics: [counter-terorism]"),
        ),
    )
    assert cli.check() == (
        1,
        "",
        f"{FILE}:17:14: unknown topic 'counter-terorism' (did you mean 'counter-terrorism'?)\n"
        f"{FILE}:23:16: annotation quote not found in any excerpt of section 'afghanistan'\n"
        "2 problems in 1 file\n",
    )


def test_report_counts_one_problem_and_several_files(cli: Cli) -> None:
    write(cli.root, FILE, changed("kind: joint-statement", "kind: joint-statment"))
    assert cli.check()[2].splitlines()[-1] == "1 problem in 1 file"
    write(cli.root, "data/statements/2026/notes.txt", "notes")
    write(cli.root, "data/statements/2026/draft.yml", "")
    assert cli.check()[2].splitlines()[-1] == "3 problems in 3 files"


def test_report_is_sorted_by_file_line_and_column(cli: Cli) -> None:
    write(cli.root, "data/statements/2026/b.yml", "")
    write(cli.root, "data/statements/2026/a.txt", "")
    write(
        cli.root,
        FILE,
        changed("date: 2026-05-21", "date: 2026-02-30", changed("title: A test", "titel: A test")),
    )
    assert cli.check()[2].splitlines() == [
        at(2, 1, "unknown key 'titel' (did you mean 'title'?)"),
        at(3, 7, "'date' is not a real date: '2026-02-30'"),
        "data/statements/2026/a.txt:1:1: not a statement file: statements are <id>.yml files",
        "data/statements/2026/b.yml:1:1: file is empty",
        "4 problems in 3 files",
    ]


def test_github_actions_also_get_workflow_commands(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    write(cli.root, FILE, changed("https://example.org/report", "ftp://example.org/100%25"))
    status, out, err = cli.check()
    message = (
        "'sources[0].url' must be an http:// or https:// address, not 'ftp://example.org/100%25'"
    )
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        at(10, 10, message),
        "::error file=data/statements/2026/2026-05-21-test.yml,line=10,col=10::"
        "'sources[0].url' must be an http:// or https:// address,"
        " not 'ftp://example.org/100%2525'",
        "1 problem in 1 file",
    ]


def test_github_file_property_is_escaped(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    write(cli.root, "data/statements/2026/a,b:c.txt", "")
    assert cli.check()[2].splitlines() == [
        "data/statements/2026/a,b:c.txt:1:1: not a statement file: statements are <id>.yml files",
        "::error file=data/statements/2026/a%2Cb%3Ac.txt,line=1,col=1::"
        "not a statement file: statements are <id>.yml files",
        "1 problem in 1 file",
    ]


def test_no_workflow_commands_outside_github_actions(cli: Cli) -> None:
    write(cli.root, FILE, "")
    assert cli.check()[2] == f"{FILE}:1:1: file is empty\n1 problem in 1 file\n"


def test_a_problem_stays_on_one_line_whatever_the_data_holds(root: Path) -> None:
    text = changed("kind: joint-statement", 'kind: "joint\\nstatement"')
    assert check_statement(root, text) == [
        at(4, 7, "unknown kind 'joint\\nstatement' (did you mean 'joint-statement'?)")
    ]


# --- load: YAML syntax and what strict YAML refuses ---------------------------------------


def test_yaml_syntax_error(root: Path) -> None:
    text = changed("parties: [CN, RU]", "parties: [CN, RU")
    assert check_statement(root, text) == [
        at(
            6,
            8,
            "YAML syntax: the list opened with '[' at line 5, column 10 is not closed with ']'"
            " where it should end",
        )
    ]


def test_yaml_syntax_error_colon_in_a_title(root: Path) -> None:
    text = changed("title: A test statement", "title: Afghanistan: a joint statement")
    assert check_statement(root, text) == [
        at(
            2,
            19,
            "YAML syntax: a ':' that YAML cannot place; check the indentation, "
            "or put text that contains ': ' in quotes",
        )
    ]


def test_duplicate_keys(root: Path) -> None:
    text = changed("    heading: Afghanistan\n", "    heading: Afghanistan\n    heading: Again\n")
    assert check_statement(root, STATEMENT + "title: Another title\n") == [
        at(25, 1, "duplicate key 'title' (already set on line 2); keep one of them")
    ]
    assert check_statement(root, text) == [
        at(15, 5, "duplicate key 'heading' (already set on line 14); keep one of them")
    ]


def test_anchors_are_refused(root: Path) -> None:
    text = changed("parties: [CN, RU]", "parties: &issuers [CN, RU]")
    assert check_statement(root, text) == [
        at(5, 10, "YAML anchors (&name) are not allowed; write the value out")
    ]


def test_aliases_are_refused(root: Path) -> None:
    text = changed("    countries: [AF]", "    countries: *issuers")
    assert check_statement(root, text) == [
        at(15, 16, "YAML aliases (*name) are not allowed; write the value out")
    ]


def test_tags_are_refused(root: Path) -> None:
    text = changed("title: A test statement", "title: !!python/name:os.system x")
    assert check_statement(root, text) == [
        at(
            2,
            8,
            "YAML tags are not allowed: '!!python/name:os.system'; write the value without it"
            " (every value is read as text)",
        )
    ]


def test_an_alias_bomb_is_refused_fast(root: Path) -> None:
    write(root, "data/statements/2026/alias-bomb.yml", (BROKEN / "alias-bomb.yml").read_bytes())
    started = time.perf_counter()
    assert check(root) == [
        "data/statements/2026/alias-bomb.yml:2:4: "
        "YAML anchors (&name) are not allowed; write the value out"
    ]
    assert time.perf_counter() - started < 2.0


def test_tabs_are_refused(root: Path) -> None:
    text = changed("    heading: Afghanistan", "\theading: Afghanistan")
    assert check_statement(root, text) == [
        at(
            14,
            1,
            "YAML syntax: a tab character here; indent and separate with spaces, never tabs",
        )
    ]


def test_non_utf8_bytes_are_refused_at_the_bad_byte(root: Path) -> None:
    text = changed("title: A test statement", "title: Déclaration commune")
    raw = text.encode("latin-1")
    assert check_statement(root, raw) == [
        at(2, 9, "not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8")
    ]


def test_an_empty_file(root: Path) -> None:
    assert check_statement(root, "") == [at(1, 1, "file is empty")]
    assert check_statement(root, "# nothing yet\n") == [at(1, 1, "file is empty")]


def test_the_file_size_bound(root: Path) -> None:
    raw = STATEMENT + "# " + "x" * 600_000 + "\n"
    size = len(raw.encode())
    assert check_statement(root, raw) == [
        at(1, 1, f"file is {size:,} bytes; the limit is 524,288 bytes")
    ]


def test_nesting_too_deep(root: Path) -> None:
    text = changed("    countries: [AF]", "    countries: [[[[[[[[[[[AF]]]]]]]]]]]")
    assert check_statement(root, text) == [
        at(15, 25, "nested deeper than 12 levels; a statement needs no more than 5")
    ]


def test_control_characters(root: Path) -> None:
    text = changed("summary: Both sides", "summary: Both\x1bsides")
    assert check_statement(root, text) == [
        at(6, 14, "character U+001B is not allowed in a YAML file; remove it")
    ]


# --- structure: required fields, types, unknown keys --------------------------------------


def test_required_fields(root: Path) -> None:
    assert check_statement(root, "title: Only a title\n") == [
        at(
            1,
            1,
            "a statement without a date belongs in data/statements/undated/,"
            " not data/statements/2026/",
        ),
        at(1, 1, "give 'parties' (the issuing states) or 'issuing_forum'"),
        at(1, 1, "missing required field 'id'"),
        at(1, 1, "missing required field 'kind'"),
        at(1, 1, "missing required field 'sections'"),
        at(1, 1, "missing required field 'sources'"),
        at(1, 1, "missing required field 'summary'"),
        at(1, 1, "no 'date': give the date, or a 'date_note' that says why it is unknown"),
    ]


def test_required_fields_of_nested_entries(root: Path) -> None:
    text = changed("    url: https://example.org/report\n", "")
    text = changed("    heading: Afghanistan\n", "", text)
    assert check_statement(root, text) == [
        at(8, 5, "sources[0]: missing required field 'url'"),
        at(12, 5, "sections[0]: missing required field 'heading'"),
    ]


def test_required_lists_need_an_entry(root: Path) -> None:
    text = STATEMENT[: STATEMENT.index("sections:")] + "sections: []\n"
    assert check_statement(root, text) == [at(12, 11, "'sections' needs at least one entry")]


def test_wrong_types(root: Path) -> None:
    text = changed("title: A test statement", "title: [A, list]")
    text = changed("parties: [CN, RU]", "parties: CN", text)
    text = changed("    heading: Afghanistan", "    heading: {text: Afghanistan}", text)
    assert check_statement(root, text) == [
        at(2, 8, "'title' must be text, not a list"),
        at(5, 10, "'parties' must be a list, not text"),
        at(14, 14, "'sections[0].heading' must be text, not a mapping"),
    ]


def test_the_file_must_be_a_mapping(root: Path) -> None:
    assert check_statement(root, "- id: a\n- id: b\n") == [
        at(1, 1, "the file must be a mapping (key: value), not a list")
    ]
    assert check_statement(root, "just some text\n") == [
        at(1, 1, "the file must be a mapping (key: value), not text")
    ]


def test_empty_and_overlong_text(root: Path) -> None:
    text = changed("title: A test statement", "title: ''")
    text = changed("    heading: Afghanistan", "    heading: " + "x" * 301, text)
    assert check_statement(root, text) == [
        at(2, 8, "'title' is empty"),
        at(14, 14, "'sections[0].heading' is 301 characters long; the limit is 300"),
    ]


def test_one_line_fields_refuse_line_breaks(root: Path) -> None:
    text = changed("title: A test statement", "title: |\n  A test statement")
    assert check_statement(root, text) == [at(2, 8, "'title' must be one line of text")]


def test_unknown_key_with_did_you_mean(root: Path) -> None:
    # `titel` is one mistake: reported once, not also as a missing `title`.
    text = changed("title: A test statement", "titel: A test statement")
    text = changed("    heading: Afghanistan", "    haeding: Afghanistan", text)
    assert check_statement(root, text) == [
        at(2, 1, "unknown key 'titel' (did you mean 'title'?)"),
        at(14, 5, "unknown key 'haeding' (did you mean 'heading'?)"),
    ]


def test_unknown_key_without_a_near_miss_lists_the_allowed_keys(root: Path) -> None:
    text = changed("title: A test statement", "title: A test statement\ncolour: red")
    text = changed("        note: An editorial note.", "        note: N.\n        by: me", text)
    assert check_statement(root, text) == [
        at(
            3,
            1,
            "unknown key 'colour'; allowed here: id, title, date, date_note, kind, parties,"
            " issuing_forum, place, language, signatories, summary, sources, countries, forums,"
            " topics, actors, series, round, participants, sections, related",
        ),
        at(26, 9, "unknown key 'by'; allowed here: quote, note"),
    ]


def test_a_misspelt_required_key_with_its_field_missing_elsewhere_too(root: Path) -> None:
    text = changed("    title: A report", "    tilte: A report")
    assert check_statement(root, text) == [at(9, 5, "unknown key 'tilte' (did you mean 'title'?)")]


def test_enumerations_name_the_field_and_the_choices(root: Path) -> None:
    text = changed("    published: 2026-05-22", "    published: 2026-05-22\n    kind: news")
    text += "related:\n  - {id: 2026-06-01-second, relation: followz}\n"
    write(root, "data/statements/2026/2026-06-01-second.yml", SECOND)
    assert check_statement(root, text) == [
        at(
            12,
            11,
            "unknown source kind 'news'; expected one of: official-text, official-translation,"
            " unofficial-translation, machine-translation, reproduction, readout, news-report",
        ),
        at(
            27,
            39,
            "unknown relation 'followz' (did you mean 'follows'?); expected one of:"
            " follows, responds-to, supersedes, see-also",
        ),
    ]


def test_slugs_codes_and_languages_have_a_form(root: Path) -> None:
    text = changed("  - id: afghanistan", "  - id: Afghanistan Section")
    text = changed("kind: joint-statement", "kind: joint-statement\nlanguage: English", text)
    assert check_statement(root, text) == [
        at(
            5,
            11,
            "'language' must be a BCP 47 language tag, like 'en', 'zh' or 'zh-Hant', not 'English'",
        ),
        at(
            14,
            9,
            "'sections[0].id' must be lower-case letters and digits joined by single hyphens,"
            " like 'counter-terrorism', not 'Afghanistan Section'",
        ),
    ]


def test_a_line_break_at_the_end_does_not_slip_past_a_pattern(root: Path) -> None:
    # A block scalar keeps its final line break: "afghanistan\n" is not a slug, "AF\n" is not a
    # country code (Python's `$` matches before a final line break; JSON Schema's does not).
    text = changed("  - id: afghanistan", "  - id: |\n      afghanistan")
    text = changed("    countries: [AF]", "    countries:\n      - |\n        AF", text)
    assert check_statement(root, text) == [
        at(
            13,
            9,
            "'sections[0].id' must be lower-case letters and digits joined by single hyphens,"
            " like 'counter-terrorism', not 'afghanistan\\n'",
        ),
        at(17, 9, "unknown country 'AF\\n' (did you mean 'AF'?)"),
    ]


def test_a_list_that_names_a_value_twice(root: Path) -> None:
    text = changed("    topics: [counter-terrorism]", "    topics: [sanctions, [a], sanctions]")
    assert check_statement(root, text) == [
        at(17, 25, "'sections[0].topics[1]' must be text, not a list"),
        at(17, 30, "'sections[0].topics' lists 'sanctions' twice"),
    ]


# --- id, file name and folder ---------------------------------------------------------------


def test_id_must_equal_the_file_stem(root: Path) -> None:
    file = "data/statements/2026/2026-05-21-other.yml"
    assert check_statement(root, STATEMENT, file) == [
        at(
            1,
            5,
            "id '2026-05-21-test' must equal the file name; rename the file to"
            " '2026-05-21-test.yml' or set id: 2026-05-21-other",
            file,
        )
    ]


def test_folder_must_equal_the_year(root: Path) -> None:
    file = "data/statements/2025/2026-05-21-test.yml"
    assert check_statement(root, STATEMENT, file) == [
        at(
            3,
            7,
            "a statement dated 2026-05-21 belongs in data/statements/2026/,"
            " not data/statements/2025/",
            file,
        )
    ]


def test_folder_must_be_directly_under_statements(root: Path) -> None:
    file = "data/statements/2026-05-21-test.yml"
    assert check_statement(root, STATEMENT, file) == [
        at(
            3,
            7,
            "a statement dated 2026-05-21 belongs in data/statements/2026/, not data/statements/",
            file,
        )
    ]


def test_folder_may_not_nest(root: Path) -> None:
    file = "data/statements/2026/05/2026-05-21-test.yml"
    assert check_statement(root, STATEMENT, file) == [
        at(
            3,
            7,
            "a statement dated 2026-05-21 belongs in data/statements/2026/,"
            " not data/statements/2026/05/",
            file,
        )
    ]


def test_a_statement_without_a_date_belongs_in_undated(root: Path) -> None:
    text = changed("date: 2026-05-21", "date_note: The report gives no date.")
    assert check_statement(root, text) == [
        at(
            1,
            1,
            "a statement without a date belongs in data/statements/undated/,"
            " not data/statements/2026/",
        )
    ]
    (root / FILE).unlink()
    assert check_statement(root, text, "data/statements/undated/2026-05-21-test.yml") == []


def test_a_malformed_date_is_reported_once_not_also_as_a_folder(root: Path) -> None:
    text = changed("date: 2026-05-21", "date: May 2026")
    assert check_statement(root, text) == [
        at(3, 7, "'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not 'May 2026'")
    ]


def test_ids_are_unique_across_the_archive(root: Path) -> None:
    write(root, "data/statements/2026/2026-05-21-test.yml", STATEMENT)
    other = "data/statements/undated/2026-05-21-test.yml"
    text = changed("date: 2026-05-21", "date_note: Not known.")
    assert check_statement(root, text, other) == [
        at(
            1,
            5,
            "id '2026-05-21-test' is already used by data/statements/2026/2026-05-21-test.yml;"
            " give each statement its own id",
            other,
        )
    ]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "folder"), [("2026-02-30", "2026"), ("2026-13", "2026"), ("2025-02-29", "2025")]
)
def test_impossible_dates(root: Path, date: str, folder: str) -> None:
    file = f"data/statements/{folder}/2026-05-21-test.yml"
    text = changed("date: 2026-05-21", f"date: {date}")
    assert check_statement(root, text, file) == [
        at(3, 7, f"'date' is not a real date: '{date}'", file)
    ]


def test_impossible_published_date(root: Path) -> None:
    text = changed("published: 2026-05-22", "published: 2026-04-31")
    assert check_statement(root, text) == [
        at(11, 16, "'sources[0].published' is not a real date: '2026-04-31'")
    ]


def test_partial_and_leap_dates_are_real(root: Path) -> None:
    text = changed("date: 2026-05-21", "date: 2026-05")
    text = changed("published: 2026-05-22", "published: 2024-02-29", text)
    assert check_statement(root, text) == []


def test_a_missing_date_needs_a_date_note(root: Path) -> None:
    file = "data/statements/undated/2026-05-21-test.yml"
    text = changed("date: 2026-05-21\n", "")
    assert check_statement(root, text, file) == [
        at(1, 1, "no 'date': give the date, or a 'date_note' that says why it is unknown", file)
    ]


# --- who issued it ---------------------------------------------------------------------------


def test_parties_or_issuing_forum_is_required(root: Path) -> None:
    assert check_statement(root, changed("parties: [CN, RU]\n", "")) == [
        at(1, 1, "give 'parties' (the issuing states) or 'issuing_forum'")
    ]
    assert check_statement(root, changed("parties: [CN, RU]", "parties: []")) == [
        at(1, 1, "give 'parties' (the issuing states) or 'issuing_forum'")
    ]
    assert check_statement(root, changed("parties: [CN, RU]", "issuing_forum: sco")) == []


# --- vocabularies ---------------------------------------------------------------------------


def test_unknown_topic_with_did_you_mean_the_spec_example(root: Path) -> None:
    text = changed("topics: [counter-terrorism]", "topics: [counter-terorism]")
    assert check_statement(root, text) == [
        at(17, 14, "unknown topic 'counter-terorism' (did you mean 'counter-terrorism'?)")
    ]


def test_a_topic_alias_suggests_its_topic(root: Path) -> None:
    text = changed("topics: [counter-terrorism]", "topics: [terrorism]")
    assert check_statement(root, text) == [
        at(17, 14, "unknown topic 'terrorism' (did you mean 'counter-terrorism'?)")
    ]


def test_a_country_given_by_name_suggests_its_code(root: Path) -> None:
    text = changed("parties: [CN, RU]", "parties: [China, Russia]")
    text = changed("    countries: [AF]", "    countries: [af]", text)
    assert check_statement(root, text) == [
        at(5, 11, "unknown country 'China' (did you mean 'CN'?)"),
        at(5, 18, "unknown country 'Russia' (did you mean 'RU'?)"),
        at(15, 17, "unknown country 'af' (did you mean 'AF'?)"),
    ]


def test_an_unknown_country_code(root: Path) -> None:
    text = changed("parties: [CN, RU]", "parties: [CN, ZZ]")
    assert check_statement(root, text) == [
        at(5, 15, "unknown country 'ZZ'; add it to data/countries.yml if it is new")
    ]


def test_a_country_with_no_near_miss_gets_the_form_of_a_code(root: Path) -> None:
    text = changed("parties: [CN, RU]", "parties: [CN, Atlantis]")
    assert check_statement(root, text) == [
        at(
            5,
            15,
            "'parties[1]' must be an ISO 3166-1 alpha-2 code in capitals, like 'AF',"
            " not 'Atlantis'",
        )
    ]


def test_a_code_only_countries_yml_knows(root: Path) -> None:
    assert check_statement(root, changed("parties: [CN, RU]", "parties: [XK]")) == []


def test_signatory_country(root: Path) -> None:
    text = changed(
        "summary: Both",
        "signatories:\n  - {name: Xi Jinping, role: President, country: Chna}\nsummary: Both",
    )
    assert check_statement(root, text) == [at(7, 50, "unknown country 'Chna' (did you mean 'CN'?)")]


def test_unknown_kind(root: Path) -> None:
    assert check_statement(root, changed("kind: joint-statement", "kind: joint-statment")) == [
        at(4, 7, "unknown kind 'joint-statment' (did you mean 'joint-statement'?)")
    ]
    assert check_statement(root, changed("kind: joint-statement", "kind: Joint statement")) == [
        at(4, 7, "unknown kind 'Joint statement' (did you mean 'joint-statement'?)")
    ]


def test_a_new_kind_points_to_the_vocabulary_file(root: Path) -> None:
    assert check_statement(root, changed("kind: joint-statement", "kind: manifesto")) == [
        at(
            4,
            7,
            "unknown kind 'manifesto'; known kinds: communique, declaration, joint-statement,"
            " letter, press-statement, resolution, speech, treaty; add it to data/kinds.yml if it"
            " is new",
        )
    ]


def test_unknown_forum(root: Path) -> None:
    text = changed("    forums: [sco]", "    forums: [brcs, Moscow Format, nato]")
    text = changed("parties: [CN, RU]", "issuing_forum: Shanghai Cooperation Organization", text)
    assert check_statement(root, text) == [
        at(5, 16, "unknown forum 'Shanghai Cooperation Organization' (did you mean 'sco'?)"),
        at(16, 14, "unknown forum 'brcs' (did you mean 'brics'?)"),
        at(16, 20, "unknown forum 'Moscow Format' (did you mean 'moscow-format'?)"),
        at(
            16,
            35,
            "unknown forum 'nato'; known forums: afghanistan-neighbours-fm, brics,"
            " cn-ru-pk-ir-quad, moscow-format, sco; add it to data/forums.yml if it is new",
        ),
    ]


def test_a_new_topic_points_to_the_vocabulary_file(root: Path) -> None:
    text = changed("topics: [counter-terrorism]", "topics: [water-rights]")
    assert check_statement(root, text) == [
        at(17, 14, "unknown topic 'water-rights'; add it to data/topics.yml if it is new")
    ]


def test_statement_wide_tags_are_checked_too(root: Path) -> None:
    text = changed(
        "sources:", "countries: [AFG]\nforums: [moscow-formt]\ntopics: [sanctons]\nsources:"
    )
    assert check_statement(root, text) == [
        at(7, 13, "unknown country 'AFG' (did you mean 'AF'?)"),
        at(8, 10, "unknown forum 'moscow-formt' (did you mean 'moscow-format'?)"),
        at(9, 10, "unknown topic 'sanctons' (did you mean 'sanctions'?)"),
    ]


# --- references ------------------------------------------------------------------------------


def test_related_must_resolve(root: Path) -> None:
    write(root, "data/statements/2026/2026-06-01-second.yml", SECOND)
    text = STATEMENT + (
        "related:\n"
        "  - {id: 2026-06-01-secnd, relation: follows}\n"
        "  - {id: nothing-like-it, relation: see-also}\n"
        "  - {id: 2026-05-21-test, relation: see-also}\n"
        "  - {id: 2026-06-01-second, relation: see-also}\n"
    )
    assert check_statement(root, text) == [
        at(
            26,
            10,
            "related statement '2026-06-01-secnd' does not exist"
            " (did you mean '2026-06-01-second'?)",
        ),
        at(
            27,
            10,
            "related statement 'nothing-like-it' does not exist;"
            " give the id of a statement in the archive",
        ),
        at(28, 10, "a statement cannot be related to itself"),
    ]


def test_excerpt_source_must_resolve(root: Path) -> None:
    text = changed(
        "      - text: >-",
        "      - source: reprot\n        text: A.\n      - source: tv\n        text: >-",
    )
    assert check_statement(root, text) == [
        at(19, 17, "unknown source 'reprot' (did you mean 'report'?)"),
        at(21, 17, "unknown source 'tv'; sources here: report"),
    ]


def test_ids_inside_a_file_are_unique(root: Path) -> None:
    text = changed(
        "sections:",
        "  - {id: report, title: Again, url: 'https://example.org/again'}\nsections:",
    )
    text += "  - {id: afghanistan, heading: Again, summary: Again.}\n"
    assert check_statement(root, text) == [
        at(12, 10, "source id 'report' is used twice"),
        at(26, 10, "section id 'afghanistan' is used twice"),
    ]


def test_a_section_needs_excerpts_or_a_summary(root: Path) -> None:
    text = STATEMENT + "  - id: empty\n    heading: Empty\n    excerpts: []\n"
    assert check_statement(root, text) == [at(25, 5, "section 'empty' needs excerpts or a summary")]


# --- annotations ------------------------------------------------------------------------------


def test_annotation_quote_must_occur_verbatim(root: Path) -> None:
    text = changed("quote: lasting peace and stability", "quote: lasting peace and security")
    assert check_statement(root, text) == [
        at(23, 16, "annotation quote not found in any excerpt of section 'afghanistan'")
    ]


def test_annotation_quote_white_space_is_folded(root: Path) -> None:
    # The excerpt breaks its line inside the quote; the quote has a double space.
    text = changed("quote: lasting peace and stability", 'quote: "lasting  peace\\tand stability"')
    assert check_statement(root, text) == []


def test_annotation_quote_is_case_sensitive_and_within_its_section(root: Path) -> None:
    text = changed("quote: lasting peace and stability", "quote: Lasting peace")
    text += (
        "  - id: other\n    heading: Other\n    excerpts:\n      - text: Other words.\n"
        "    annotations:\n      - {quote: lasting peace, note: Elsewhere.}\n"
    )
    assert check_statement(root, text) == [
        at(23, 16, "annotation quote not found in any excerpt of section 'afghanistan'"),
        at(30, 17, "annotation quote not found in any excerpt of section 'other'"),
    ]


# --- URLs, HTML, Markdown links ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/plain,hello",
        "ftp://example.org/file",
        "example.org/report",
        "//example.org/report",
        "https://example.org/a report",
    ],
)
def test_urls_are_http_or_https_only(root: Path, url: str) -> None:
    text = changed("url: https://example.org/report", f"url: '{url}'")
    assert check_statement(root, text) == [
        at(10, 10, f"'sources[0].url' must be an http:// or https:// address, not '{url}'")
    ]


def test_http_urls_are_accepted(root: Path) -> None:
    text = changed("url: https://example.org/report", "url: http://example.org/report")
    assert check_statement(root, text) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "field", "snippet"),
    [
        ("title: A test statement", "title: A <b>test</b>", 2, 8, "title", "<b"),
        ("summary: Both sides", "summary: <script>x</script> Both", 6, 10, "summary", "<script"),
        (
            "heading: Afghanistan",
            "heading: Afghanistan<br/>",
            14,
            14,
            "sections[0].heading",
            "<br/",
        ),
        (
            "      - text: >-\n          Both",
            "      - text: >-\n          <!-- hidden --> Both",
            19,
            15,
            "sections[0].excerpts[0].text",
            "<!-- hidden ",
        ),
        (
            "note: An editorial note.",
            "note: <a href='x'>note</a>",
            24,
            15,
            "sections[0].annotations[0].note",
            "<a href='x'",
        ),
    ],
)
def test_raw_html_in_any_text_field_is_refused(
    root: Path, old: str, new: str, line: int, col: int, field: str, snippet: str
) -> None:
    assert check_statement(root, changed(old, new)) == [
        at(
            line,
            col,
            f"raw HTML is not allowed in '{field}': '{snippet}'; write plain text"
            " (summaries and notes may use Markdown: **bold**, [text](https://…))",
        )
    ]


def test_text_that_only_looks_like_html_is_accepted(root: Path) -> None:
    text = changed("summary: Both sides spoke of peace.", "summary: 'Fewer than 5 < 7 and 3 > 2.'")
    assert check_statement(root, text) == []


@pytest.mark.parametrize(
    ("markdown", "target"),
    [
        ("See [this](javascript:alert(1)).", "javascript:alert(1)"),
        ("See [this]( JavaScript:alert(1) ).", "JavaScript:alert(1)"),
        ("See ![x](data:image/svg+xml,x).", "data:image/svg+xml,x"),
        ("See [x](file:///etc/passwd).", "file:///etc/passwd"),
        ("See [x](page.html).", "page.html"),
    ],
)
def test_markdown_links_with_unsafe_targets_are_refused(
    root: Path, markdown: str, target: str
) -> None:
    text = changed("summary: Both sides spoke of peace.", f"summary: '{markdown}'")
    text = changed("note: An editorial note.", f"note: '{markdown}'", text)
    message = (
        "link target '{}' in '{}' is not allowed; links must start with http://, https://,"
        " mailto: or #"
    )
    assert check_statement(root, text) == [
        at(6, 10, message.format(target, "summary")),
        at(24, 15, message.format(target, "sections[0].annotations[0].note")),
    ]


def test_a_reference_link_definition_with_an_unsafe_target_is_refused(root: Path) -> None:
    text = changed(
        "note: An editorial note.",
        "note: |-\n          See [this][1].\n\n          [1]: javascript:alert(1)",
    )
    assert check_statement(root, text) == [
        at(
            24,
            15,
            "link target 'javascript:alert(1)' in 'sections[0].annotations[0].note' is not"
            " allowed; links must start with http://, https://, mailto: or #",
        )
    ]


def test_safe_markdown_links_are_accepted(root: Path) -> None:
    text = changed(
        "summary: Both sides spoke of peace.",
        "summary: 'See [a](https://en.wikipedia.org/wiki/SCO_(disambiguation)),"
        " [b](http://example.org), [c](mailto:editors@example.org) and [d](#afghanistan).'",
    )
    assert check_statement(root, text) == []


def test_link_targets_in_plain_text_fields_are_not_markdown(root: Path) -> None:
    # An excerpt is shown as plain text: the words are verbatim, whatever they look like.
    text = changed("and stability in Afghanistan.", "and stability in [Afghanistan](javascript:x).")
    assert check_statement(root, text) == []


# --- implicit typing is off -------------------------------------------------------------------


def test_no_is_norway(root: Path) -> None:
    text = changed("parties: [CN, RU]", "parties: [NO]")
    write(root, FILE, text)
    problems, archive = prepare(root)
    assert problems == []
    assert archive is not None
    assert archive.statements[0].parties == ("NO",)
    assert archive.vocabularies.countries["NO"].name == "Norway"


def test_a_month_is_read_as_text_and_checked_as_a_date(root: Path) -> None:
    write(root, FILE, changed("date: 2026-05-21", "date: 2026-05"))
    problems, archive = prepare(root)
    assert problems == []
    assert archive is not None
    date = archive.statements[0].date
    assert date is not None
    assert (date.iso, date.display) == ("2026-05", "May 2026")


def test_yes_stays_the_text_yes(root: Path) -> None:
    write(root, FILE, changed("title: A test statement", "title: yes"))
    problems, archive = prepare(root)
    assert problems == []
    assert archive is not None
    assert archive.statements[0].title == "yes"


# --- placeholders from `python -m scripts new` ------------------------------------------------


def test_placeholders_left_by_new_are_still_to_fill_in(cli: Cli) -> None:
    assert (
        main(
            [
                "--root",
                str(cli.root),
                "new",
                "--id",
                "2026-05-x",
                "--title",
                "",
                "--date",
                "2026-05",
            ]
        )
        == 0
    )
    cli.capsys.readouterr()
    file = "data/statements/2026/2026-05-x.yml"
    status, out, err = cli.check()
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        at(6, 8, "'title' is still to fill in", file),
        at(9, 7, "'kind' is still to fill in", file),
        at(11, 11, "'parties[0]' is still to fill in", file),
        at(21, 10, "'summary' is still to fill in", file),
        at(25, 12, "'sources[0].title' is still to fill in", file),
        at(27, 16, "'sources[0].publisher' is still to fill in", file),
        at(28, 10, "'sources[0].url' is still to fill in", file),
        at(34, 11, "'sources[0].kind' is still to fill in", file),
        at(48, 9, "'sections[0].id' is still to fill in", file),
        at(49, 14, "'sections[0].heading' is still to fill in", file),
        at(56, 15, "'sections[0].excerpts[0].text' is still to fill in", file),
        "11 problems in 1 file",
    ]


# --- files that are not statements --------------------------------------------------------------


def test_files_that_are_not_yml_are_reported(root: Path) -> None:
    write(root, "data/statements/2026/2026-05-21-test.yaml", STATEMENT)
    write(root, "data/statements/2026/notes.md", "# notes\n")
    write(root, "data/statements/2026/scan.pdf", b"%PDF-1.7\n\xff\xfe" * 100_000)
    write(root, "data/statements/2026/.DS_Store", b"\x00\x01")
    assert check(root) == [
        "data/statements/2026/2026-05-21-test.yaml:1:1: not a statement file:"
        " statements are <id>.yml files; use the .yml extension",
        "data/statements/2026/notes.md:1:1: not a statement file: statements are <id>.yml files",
        "data/statements/2026/scan.pdf:1:1: not a statement file: statements are <id>.yml files",
    ]


def test_a_symbolic_link_is_refused_and_not_followed(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "broken.yml").write_text("id: [not followed\n", encoding="utf-8")
    (outside / "2026").mkdir()
    (outside / "2026" / "x.yml").write_text("id: [not followed\n", encoding="utf-8")
    folder = root / "data/statements"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "2026-05-21-test.yml").symlink_to(outside / "broken.yml")
    (folder / "2027").symlink_to(outside / "2026")
    (folder / "2026" / "notes.md").symlink_to(outside / "broken.yml")
    message = "symbolic links are not allowed in data/; commit the file itself"
    assert check(root) == [
        f"data/statements/2026/2026-05-21-test.yml:1:1: {message}",
        f"data/statements/2026/notes.md:1:1: {message}",
        f"data/statements/2027:1:1: {message}",
    ]


def test_a_linked_vocabulary_file_is_refused(root: Path) -> None:
    kinds = root / "data/kinds.yml"
    kinds.rename(root / "kinds.yml")
    kinds.symlink_to(root / "kinds.yml")
    write(root, FILE, STATEMENT)
    assert check(root) == [
        "data/kinds.yml:1:1: symbolic links are not allowed in data/; commit the file itself"
    ]


# --- vocabulary files ---------------------------------------------------------------------------


def append(root: Path, name: str, text: str) -> None:
    path = root / "data" / f"{name}.yml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def lines_of(root: Path, name: str) -> int:
    return len((root / "data" / f"{name}.yml").read_text(encoding="utf-8").splitlines())


def test_topic_parent_must_resolve(root: Path) -> None:
    line = lines_of(root, "topics") + 3
    append(root, "topics", "- id: water\n  name: Water\n  parent: securty\n")
    assert check(root) == [
        f"data/topics.yml:{line}:11: unknown topic 'securty' (did you mean 'security'?)"
    ]


def test_topics_with_a_cycle_are_refused(root: Path) -> None:
    line = lines_of(root, "topics") + 3
    append(
        root,
        "topics",
        "- id: a\n  name: A\n  parent: b\n"
        "- id: b\n  name: B\n  parent: a\n"
        "- id: c\n  name: C\n  parent: a\n"
        "- id: d\n  name: D\n  parent: d\n",
    )
    assert check(root) == [
        f"data/topics.yml:{line}:11: topic 'a' is its own ancestor (a → b → a);"
        " the parents must form a tree",
        f"data/topics.yml:{line + 3}:11: topic 'b' is its own ancestor (b → a → b);"
        " the parents must form a tree",
        f"data/topics.yml:{line + 9}:11: topic 'd' is its own ancestor (d → d);"
        " the parents must form a tree",
    ]


def test_forum_members_must_be_known_countries(root: Path) -> None:
    line = lines_of(root, "forums") + 4
    append(
        root,
        "forums",
        "- id: g5\n  name: G5\n  kind: format\n  members: [CN, Russia, ZZ, XK, Atlantis]\n",
    )
    assert check(root) == [
        f"data/forums.yml:{line}:17: unknown country 'Russia' (did you mean 'RU'?)",
        f"data/forums.yml:{line}:25: unknown country 'ZZ'; add it to data/countries.yml if it"
        " is new",
        f"data/forums.yml:{line}:33: '[5].members[4]' must be an ISO 3166-1 alpha-2 code in"
        " capitals, like 'AF', not 'Atlantis'",
    ]


def test_duplicate_ids_in_a_vocabulary_file(root: Path) -> None:
    topics = lines_of(root, "topics") + 1
    kinds = lines_of(root, "kinds") + 1
    append(root, "topics", "- id: security\n  name: Security again\n")
    append(root, "kinds", "- {id: speech, name: Address}\n")
    (root / "data/countries.yml").write_text(
        "- {id: RU, name: Russia}\n- {id: RU, name: Russland}\n", encoding="utf-8"
    )
    assert check(root) == [
        "data/countries.yml:2:8: country 'RU' is listed twice; keep one entry",
        f"data/kinds.yml:{kinds}:8: kind 'speech' is listed twice; keep one entry",
        f"data/topics.yml:{topics}:7: topic 'security' is listed twice; keep one entry",
    ]


def test_vocabulary_entries_are_checked_by_the_schema(root: Path) -> None:
    line = lines_of(root, "forums") + 1
    append(
        root,
        "forums",
        "- id: NATO\n  name: <b>NATO</b>\n  kind: alliance\n  url: ftp://nato.int\n  membres: []\n",
    )
    assert check(root) == [
        f"data/forums.yml:{line}:7: '[5].id' must be lower-case letters and digits joined by"
        " single hyphens, like 'counter-terrorism', not 'NATO'",
        f"data/forums.yml:{line + 1}:9: raw HTML is not allowed in '[5].name': '<b'; write"
        " plain text (summaries and notes may use Markdown: **bold**, [text](https://…))",
        f"data/forums.yml:{line + 2}:9: unknown forum kind 'alliance'; expected one of:"
        " organisation, format, mechanism, summit",
        f"data/forums.yml:{line + 3}:8: '[5].url' must be an http:// or https:// address,"
        " not 'ftp://nato.int'",
        f"data/forums.yml:{line + 4}:3: unknown key 'membres' (did you mean 'members'?)",
    ]


def test_a_vocabulary_that_cannot_be_read_is_reported_once(root: Path) -> None:
    # Not also as an unknown kind in every statement.
    (root / "data/kinds.yml").write_text("kinds: [speech]\n", encoding="utf-8")
    write(root, FILE, STATEMENT)
    assert check(root) == ["data/kinds.yml:1:1: the file must be a list, not a mapping"]
    (root / "data/kinds.yml").unlink()
    assert check(root) == ["data/kinds.yml:1:1: cannot read the file: No such file or directory"]


# --- never a traceback ----------------------------------------------------------------------------


HOSTILE = {
    "sections-mapping.yml": "id: x\nsections: {a: b}\n",
    "sources-text.yml": "id: x\nsources: [x, [y], {z: 1}]\n",
    "related-list.yml": "id: x\nrelated: [[a], {id: [b]}, {id: {c: d}}]\n",
    "excerpts-text.yml": "sections:\n  - {id: a, excerpts: x, annotations: [x, {quote: [q]}]}\n",
    "date-list.yml": "date: [2026]\npublished: {a: b}\nsources: [{published: [x]}]\n",
    "keys.yml": "? [a]\n: b\n",
    "empty-key.yml": ": x\n'': y\n",
    "null-everything.yml": "id:\ntitle:\nsections:\n  -\n  - id:\n",
    "numbers.yml": "id: 12\ndate: 20260521\nparties: [1, 2]\n",
    "quote-everywhere.yml": "sections:\n  - annotations: [{quote: x}]\n",
    "unicode.yml": "id: статья\ntitle: 声明\nkind: 声明\nparties: [中国]\n",
    "huge-number.yml": "date: 99999999999999999999-01-01\n",
    "year-zero.yml": "date: '0000'\n",
    "multi-doc.yml": "id: a\n---\nid: b\n",
    "nul.yml": "id: a\x00\n",
    "bom-only.yml": "\ufeff",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gives_problems_not_a_traceback(cli: Cli, name: str) -> None:
    write(cli.root, f"data/statements/2026/{name}", HOSTILE[name])
    status, out, err = cli.check()
    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1].endswith(" in 1 file")
    assert all(line.startswith(f"data/statements/2026/{name}:") for line in lines[:-1])


BROKEN_EXPECTED = {
    "alias-bomb.yml": ["2:4: YAML anchors (&name) are not allowed; write the value out"],
    "deep.yml": ["8:15: nested deeper than 12 levels; a statement needs no more than 5"],
    "hostile-text.yml": [
        "2:8: raw HTML is not allowed in 'title': '<img src=x o'; write plain text"
        " (summaries and notes may use Markdown: **bold**, [text](https://…))",
        "6:10: link target 'javascript:alert(document.cookie)' in 'summary' is not allowed;"
        " links must start with http://, https://, mailto: or #",
        "10:10: 'sources[0].url' must be an http:// or https:// address,"
        " not 'data:text/html,<script>alert(1)</script>'",
        "10:10: raw HTML is not allowed in 'sources[0].url': '<script'; write plain text"
        " (summaries and notes may use Markdown: **bold**, [text](https://…))",
        "15:15: raw HTML is not allowed in 'sections[0].excerpts[0].text': '<script'; write"
        " plain text (summaries and notes may use Markdown: **bold**, [text](https://…))",
        "18:15: link target 'javascript:alert(1)' in 'sections[0].annotations[0].note' is not"
        " allowed; links must start with http://, https://, mailto: or #",
    ],
    "latin-1.yml": ["2:9: not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8"],
    "not-a-mapping.yml": ["1:1: the file must be a mapping (key: value), not a list"],
    "tabs.yml": [
        "4:1: YAML syntax: a tab character here; indent and separate with spaces, never tabs"
    ],
    "wrong-types.yml": [
        "1:5: 'id' must be text, not a list",
        "2:8: 'title' must be text, not a mapping",
        "3:7: 'date' must be text, not a list",
        "5:10: 'parties' must be a list, not text",
        "6:14: 'signatories' must be a list, not text",
        "7:10: 'summary' must be text, not a list",
        "8:10: 'sources' must be a list, not text",
        "9:12: 'countries' must be a list, not a mapping",
        "11:3: 'sections' must be a list, not a mapping",
        "13:5: 'related[0]' must be a mapping (key: value), not text",
    ],
}


def test_every_broken_fixture_has_its_expected_problems() -> None:
    assert sorted(BROKEN_EXPECTED) == sorted(path.name for path in BROKEN.iterdir())


@pytest.mark.parametrize("name", sorted(BROKEN_EXPECTED))
def test_broken_fixtures_through_the_command(cli: Cli, name: str) -> None:
    file = f"data/statements/2026/{name}"
    write(cli.root, file, (BROKEN / name).read_bytes())
    expected = BROKEN_EXPECTED[name]
    count = f"{len(expected)} problem{'s' if len(expected) != 1 else ''} in 1 file"
    assert cli.check() == (1, "", "".join(f"{file}:{line}\n" for line in expected) + count + "\n")


# --- the pure pieces ------------------------------------------------------------------------------


def test_validate_archive_takes_loaded_files(root: Path) -> None:
    write(root, FILE, changed("kind: joint-statement", "kind: speeech"))
    statements, vocabularies = load_archive(root)
    assert validate_archive(statements, vocabularies, iso_country_names()) == [
        Problem(FILE, 4, 7, "unknown kind 'speeech' (did you mean 'speech'?)")
    ]


def test_label_writes_a_data_path_as_a_reader_would() -> None:
    assert label(("sections", 2, "annotations", 0, "quote")) == "sections[2].annotations[0].quote"
    assert label((3, "id")) == "[3].id"
    assert label(()) == ""


def test_did_you_mean() -> None:
    assert did_you_mean("counter-terorism", ["counter-terrorism", "sanctions"]) == (
        " (did you mean 'counter-terrorism'?)"
    )
    assert did_you_mean("ru", ["RU", "CN"]) == " (did you mean 'RU'?)"
    assert did_you_mean("Russia", ["RU", "CN"], {"Russia": "RU"}) == " (did you mean 'RU'?)"
    assert did_you_mean("Rusia", ["RU", "CN"], {"Russia": "RU"}) == " (did you mean 'RU'?)"
    assert did_you_mean("water-rights", ["counter-terrorism", "sanctions"]) == ""


def test_one_line_escapes_line_breaks_and_control_characters() -> None:
    assert one_line("a\nb\tc\x1b\u2028d") == "a\\nb\\tc\\x1b\\u2028d"
    assert one_line("Déclaration « commune »") == "Déclaration « commune »"


def test_schema_findings_never_raise_on_odd_values() -> None:
    odd: list[object] = [None, 3, [], [[]], {"sections": [[], None, {"topics": [[1], [1]]}]}]
    for value in odd:
        list(schema_findings(value))
