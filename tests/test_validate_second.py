"""The format's second edition, checked: series and rounds, participants, actors, source kinds,
excerpt sources and variants, and the rules across files (rounds of a series, relations between
two statements, dates not yet come). Exact messages, at their places. Fictional data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.archive import REPO
from support.statements import BASE, FILE, at, changed, expected_report, write

from scripts.commands import main

SERIES = """\
# Fictional test vocabulary: series.
- {id: fictional-harbour-talks, name: Fictional Harbour Talks, forum: sco}
"""
ACTORS = """\
# Fictional test vocabulary: actors.
- {id: fictional-front, name: Fictional Front, kind: armed-group, aliases: [The Front]}
"""
SECOND = "data/statements/2026/2026-06-01-second.yml"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's vocabularies, a fictional series and a fictional actor."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "data").mkdir()
    for name in ("countries", "forums", "topics", "kinds"):
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    write(tmp_path, "data/series.yml", SERIES)
    write(tmp_path, "data/actors.yml", ACTORS)
    return tmp_path


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return status, captured.err


def second(date: str = "2026-06-01", extra: str = "") -> str:
    """Another statement of the same series (round 2 unless `extra` says otherwise)."""
    text = changed("id: 2026-05-21-hostile", "id: 2026-06-01-second")
    text = changed("date: 2026-05-21", f"date: {date}", text)
    return text + (extra or "series: fictional-harbour-talks\nround: 2\n")


def test_a_statement_of_the_second_edition_passes(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = changed(
        "    published: 2026-05-22\n",
        "    published: 2026-05-22\n    kind: reproduction\n"
        "  - {id: agency, title: The text in English, url: 'https://example.org/t',"
        " kind: unofficial-translation, translated_from: zh, translator: An agency,"
        " title_supplied: 'true'}\n"
        "  - {id: readout, title: A readout, url: 'https://example.org/r', kind: readout}\n",
    )
    text = changed(
        "        source: report\n",
        "        sources: [report, agency]\n        paragraph: '2'\n"
        "        topics: [counter-terrorism]\n        actors: [fictional-front]\n"
        "        variants:\n          - {source: readout, text: Both sides support peace.}\n",
        text,
    )
    text += (
        "series: fictional-harbour-talks\nround: 1\nactors: [fictional-front]\n"
        "participants:\n  - {country: AF, role: guest, note: The minister came.}\n"
        "  - {forum: sco, role: observer}\n  - {actor: fictional-front, role: participant}\n"
    )
    write(root, FILE, text)
    write(root, SECOND, second())
    assert check(root, capsys) == (0, "")


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "message"),
    [
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nseries: fictional-harbor-talks\n",
            11,
            9,
            "unknown series 'fictional-harbor-talks' (did you mean 'fictional-harbour-talks'?)",
        ),
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nround: 2\n",
            11,
            1,
            "a 'round' is the meeting's number in its series: give the 'series' too",
        ),
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nseries: fictional-harbour-talks\nround: two\n",
            12,
            8,
            "'round' must be a whole number from 1, like '3', not 'two'",
        ),
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nactors: [fictional-frnt]\n",
            11,
            10,
            "unknown actor 'fictional-frnt' (did you mean 'fictional-front'?)",
        ),
        (
            "    topics: [counter-terrorism]\n",
            "    topics: [counter-terrorism, fictional-front]\n",
            22,
            33,
            "'fictional-front' is an actor (data/actors.yml), not a topic; list it under 'actors'",
        ),
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nparticipants:\n  - {country: CN, role: guest}\n",
            12,
            15,
            "'CN' issued the statement (it is in 'parties'); participants are the ones that took"
            " part without issuing it",
        ),
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nparticipants:\n"
            "  - {country: AF, forum: sco, role: guest}\n",
            12,
            5,
            "a participant is one of 'country', 'forum' or 'actor'; not 'country' and 'forum'",
        ),
        (
            "summary: Both sides spoke of peace.\n",
            "summary: Both sides spoke of peace.\nparticipants:\n  - {country: AF, role: gest}\n",
            12,
            25,
            "unknown role 'gest' (did you mean 'guest'?); expected one of: participant, guest,"
            " observer, host, mediator",
        ),
        (
            "        source: report\n",
            "        source: report\n        sources: [report]\n",
            27,
            9,
            "give 'source' (one) or 'sources' (several), not both",
        ),
        (
            "        source: report\n",
            "        sources: [reprot]\n",
            26,
            19,
            "unknown source 'reprot' (did you mean 'report'?)",
        ),
        (
            "        source: report\n",
            "        source: report\n        variants: [{source: report, text: Other words.}]\n",
            27,
            29,
            "source 'report' carries the excerpt's own wording; a variant is the wording of"
            " another source",
        ),
        (
            "    published: 2026-05-22\n",
            "    published: 2026-05-22\n    kind: readout\n",
            27,
            17,
            "source 'report' is a readout, an account of the meeting and not the statement's"
            " text: quote the statement from a source that carries its words, and say what the"
            " readout reports in a summary",
        ),
        (
            "    published: 2026-05-22\n",
            "    published: 2026-05-22\n    translator: An agency\n",
            17,
            5,
            "'translator' is for translations; give this source the kind of translation it is"
            " (official-translation, unofficial-translation, machine-translation)",
        ),
    ],
    ids=[
        "series-typo",
        "round-without-series",
        "round-not-a-number",
        "actor-typo",
        "actor-as-topic",
        "party-as-participant",
        "two-kinds-of-participant",
        "role-typo",
        "source-and-sources",
        "unknown-source-in-sources",
        "variant-of-its-own-source",
        "readout-quoted",
        "translator-not-a-translation",
    ],
)
def test_new_fields_are_checked_with_their_place(
    root: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    line: int,
    col: int,
    message: str,
) -> None:
    write(root, FILE, changed(old, new))
    assert check(root, capsys) == (1, expected_report([at(line, col, message)]))


def test_a_round_used_twice_names_both_places(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, FILE, BASE + "series: fictional-harbour-talks\nround: 2\n")
    write(root, SECOND, second())
    assert check(root, capsys) == (
        1,
        expected_report(
            [
                at(
                    32,
                    8,
                    "round 2 of series 'fictional-harbour-talks' is also given to"
                    f" '2026-06-01-second' ({SECOND}:32:8); each round is one meeting",
                ),
                at(
                    32,
                    8,
                    "round 2 of series 'fictional-harbour-talks' is also given to"
                    f" '2026-05-21-hostile' ({FILE}:32:8); each round is one meeting",
                    SECOND,
                ),
            ]
        ),
    )


def test_rounds_out_of_date_order(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(root, FILE, BASE + "series: fictional-harbour-talks\nround: 3\n")
    write(root, SECOND, second())
    assert check(root, capsys) == (
        1,
        expected_report(
            [
                at(
                    32,
                    8,
                    "round 3 is dated 2026-05-21, before round 2 ('2026-06-01-second',"
                    " 2026-06-01); rounds are numbered in the order they met",
                )
            ]
        ),
    )


def test_a_pair_related_twice_names_both_places(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(root, FILE, BASE + "related:\n  - {id: 2026-06-01-second, relation: see-also}\n")
    write(root, SECOND, second(extra="related:\n  - {id: 2026-05-21-hostile, relation: follows}\n"))
    message = (
        "'2026-05-21-hostile' and '2026-06-01-second' are related more than once (also at {});"
        " keep one relation between them"
    )
    assert check(root, capsys) == (
        1,
        expected_report(
            [
                at(32, 10, message.format(f"{SECOND}:32:10")),
                at(32, 10, message.format(f"{FILE}:32:10"), SECOND),
            ]
        ),
    )


def test_follows_points_back_in_time(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(root, FILE, BASE + "related:\n  - {id: 2026-06-01-second, relation: supersedes}\n")
    write(root, SECOND, second(extra="place: Elsewhere\n").replace("place: Beijing\n", ""))
    assert check(root, capsys) == (
        1,
        expected_report(
            [
                at(
                    32,
                    10,
                    "a statement can only supersede an earlier one: '2026-06-01-second' is dated"
                    " 2026-06-01, after this statement (2026-05-21)",
                )
            ]
        ),
    )


def test_a_date_after_today_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = "data/statements/2999/2999-01-01-future.yml"
    text = changed("id: 2026-05-21-hostile", "id: 2999-01-01-future")
    write(root, file, changed("date: 2026-05-21", "date: 2999-01-01", text))
    status, err = check(root, capsys)
    assert status == 1
    (line, total) = err.splitlines()
    assert line.startswith(f"{file}:3:7: 2999-01-01 is after today (")
    assert line.endswith(
        "); the statement cannot be dated in the future: give the date it was issued"
    )
    assert total == "1 problem in 1 file"


def test_an_archive_of_the_first_edition_needs_no_series_or_actors_file(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "data" / "series.yml").unlink()
    (root / "data" / "actors.yml").unlink()
    write(root, FILE, BASE)
    assert main(["--root", str(root), "check"]) == 0
    assert capsys.readouterr().out == "No problems: 1 statement and 4 vocabularies checked.\n"


@pytest.mark.parametrize(
    ("old", "new", "col", "message"),
    [
        ("parties: [CN, RU]", "parties: [CN, UR]", 15, "unknown country 'UR' (did you mean 'RU'?)"),
        ("parties: [CN, RU]", "parties: [CN, ZN]", 15, "unknown country 'ZN' (did you mean 'NZ'?)"),
    ],
    ids=["UR", "ZN"],
)
def test_swapped_letters_of_a_code_are_caught(
    root: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, col: int, message: str
) -> None:
    write(root, FILE, changed(old, new))
    assert check(root, capsys) == (1, expected_report([at(6, col, message)]))


def test_a_far_word_gets_no_suggestion(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'humanitarian-aid' is another concept than 'humanitarian-access', not a misspelling."""
    write(root / "data", "topics.yml", "- {id: humanitarian-access, name: Humanitarian access}\n")
    write(root, FILE, changed("topics: [counter-terrorism]", "topics: [humanitarian-aid]"))
    status, err = check(root, capsys)
    assert status == 1
    assert "(did you mean" not in err
    assert "unknown topic 'humanitarian-aid'" in err


def test_a_file_that_does_not_parse_still_answers_to_its_id(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One indentation slip in one file must not make every file that relates to it wrong."""
    write(root, SECOND, second(extra="related:\n  - {id: 2026-05-21-hostile, relation: follows}\n"))
    write(root, FILE, changed("title: A test statement", "title: A test statement\n  oops: 1"))
    status, err = check(root, capsys)
    assert status == 1
    lines = err.splitlines()
    assert all(line.startswith(FILE) for line in lines[:-1]), lines
    assert lines[-1] == f"{len(lines) - 1} problem{'s' if len(lines) > 2 else ''} in 1 file"


@pytest.mark.parametrize(
    ("text", "quote", "why"),
    [
        (
            "      - text: >-\n          Both sides support lasting peace.\n\n"
            "          And stability in Afghanistan.\n",
            "peace. And stability",
            "it runs across two paragraphs: a quote stands within one",
        ),
        (
            "      - text: Both sides’ support for lasting peace and stability.\n",
            "sides' support",
            "the quote has ' (U+0027) where the excerpt has ’ (U+2019)",
        ),
    ],
    ids=["two-paragraphs", "apostrophe"],
)
def test_a_quote_not_found_says_why(
    root: Path, capsys: pytest.CaptureFixture[str], text: str, quote: str, why: str
) -> None:
    body = changed(
        "      - text: Both sides support lasting peace and stability in Afghanistan.\n", text
    )
    body = changed("      - quote: lasting peace and stability", f'      - quote: "{quote}"', body)
    write(root, FILE, body)
    status, err = check(root, capsys)
    assert status == 1
    assert (
        "annotation quote not found in any excerpt of section 'afghanistan'; " + why
    ) in err, err


def test_an_indentation_slip_is_told_in_plain_words(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not PyYAML's "expected <block end>, but found '<block mapping start>'"."""
    slip = changed("    heading: Afghanistan\n", "    heading: Afghanistan\n   note: x\n")
    write(root, FILE, slip)
    assert check(root, capsys) == (
        1,
        expected_report(
            [
                at(
                    20,
                    4,
                    "YAML syntax: this line is indented differently from the lines before it;"
                    " line it up with the entries of the list or mapping that starts at line 18,"
                    " column 3",
                )
            ]
        ),
    )
