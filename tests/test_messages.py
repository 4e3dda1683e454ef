"""`make check` as a newcomer reads it: a suggestion for every near miss, even in short ids; the
values listed when the list is short; a value from another vocabulary named as such; a new id
pointed to its vocabulary file. Exact messages, on a tiny archive in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.pipeline import prepare
from scripts.validate.suggest import _one_slip, closest, did_you_mean

REPO = Path(__file__).resolve().parent.parent
FILE = "data/statements/2026/x.yml"
STATEMENT = """\
id: x
title: A test statement
date: 2026-05-21
kind: joint-statement
parties: [CN, RU]
summary: Both sides spoke of peace.
sources:
  - {id: report, title: A report, url: "https://example.org/report"}
sections:
  - id: one
    heading: One
    countries: [AF]
    forums: [sco]
    topics: [counter-terrorism]
    summary: The section.
"""
"""Places: kind 4:7, parties 5:11 and 5:15, section countries 12:17, forums 13:14, topics 14:14."""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    for name in ("countries", "forums", "topics", "kinds"):
        shutil.copy(REPO / "data" / f"{name}.yml", tmp_path / "data" / f"{name}.yml")
    return tmp_path


def check(root: Path, old: str, new: str) -> list[str]:
    assert STATEMENT.count(old) == 1, old
    path = root / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STATEMENT.replace(old, new), encoding="utf-8")
    problems, _ = prepare(root)
    return [str(p).removeprefix(f"{FILE}:") for p in problems]


def test_the_statement_is_valid(root: Path) -> None:
    assert check(root, "kind: joint-statement", "kind: joint-statement") == []


# --- near misses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "choices", "expected"),
    [
        ("sko", ["sco", "brics"], "sco"),  # one letter wrong, too short for difflib's ratio
        ("ud", ["id", "kind"], "id"),  # two characters: a guess only when one choice is near
        ("ZZ", ["ZA", "ZM", "ZW"], None),  # … and none when several are
        ("scoo", ["sco", "brics"], "sco"),
        ("bircs", ["sco", "brics"], "brics"),  # two letters swapped
        ("brcs", ["sco", "brics"], "brics"),
        ("SCO", ["sco"], "sco"),
        ("ZZZ", ["ZA", "ZM", "ZW"], None),
        ("abd", ["abe", "abc"], "abc"),  # a tie: the first in order, every time
        ("water-rights", ["counter-terrorism", "sanctions"], None),
        ("kidn", ["id", "kind", "title"], "kind"),
    ],
)
def test_closest(value: str, choices: list[str], expected: str | None) -> None:
    assert closest(value, choices) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("sko", "sco", True),
        ("sco", "sc", True),
        ("sc", "sco", True),
        ("ab", "ba", True),
        ("abcd", "abdc", True),
        ("abc", "abc", False),
        ("abcd", "badc", False),
        ("abc", "xyz", False),
        ("abc", "abcde", False),
    ],
)
def test_one_slip(a: str, b: str, expected: bool) -> None:
    assert _one_slip(a, b) is expected


def test_did_you_mean_for_a_short_forum_id(root: Path) -> None:
    assert did_you_mean("sko", ["sco"]) == " (did you mean 'sco'?)"
    assert check(root, "forums: [sco]", "forums: [sko]") == [
        "13:14: unknown forum 'sko' (did you mean 'sco'?)"
    ]


def test_misspelt_keys_of_any_length(root: Path) -> None:
    assert check(root, "kind: joint", "kidn: joint") == [
        "4:1: unknown key 'kidn' (did you mean 'kind'?)"
    ]
    assert check(root, "  - id: one", "  - ud: one") == [
        "10:5: unknown key 'ud' (did you mean 'id'?)"
    ]


# --- short lists ------------------------------------------------------------------------------


def test_a_new_kind_lists_the_kinds_and_points_to_the_file(root: Path) -> None:
    assert check(root, "kind: joint-statement", "kind: manifesto") == [
        "4:7: unknown kind 'manifesto'; known kinds: communique, declaration, joint-statement,"
        " letter, press-statement, resolution, speech, treaty; add it to data/kinds.yml if it"
        " is new"
    ]


def test_a_long_vocabulary_is_not_listed(root: Path) -> None:
    assert check(root, "topics: [counter-terrorism]", "topics: [water-rights]") == [
        "14:14: unknown topic 'water-rights'; add it to data/topics.yml if it is new"
    ]


# --- a value from another vocabulary ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "topics: [counter-terrorism]",
            "topics: [sco]",
            "14:14: 'sco' is a forum, not a topic; list it under 'forums'",
        ),
        (
            "topics: [counter-terrorism]",
            "topics: [AF]",
            "14:14: 'AF' is a country, not a topic; list it under 'countries'",
        ),
        (
            "topics: [counter-terrorism]",
            "topics: [Afghanistan]",
            "14:14: 'Afghanistan' is the country 'AF', not a topic; list it under 'countries'",
        ),
        (
            "topics: [counter-terrorism]",
            "topics: [SCO]",
            "14:14: 'SCO' is the forum 'sco', not a topic; list it under 'forums'",
        ),
        (
            "topics: [counter-terrorism]",
            "topics: [speech]",
            "14:14: 'speech' is a kind of statement, not a topic",
        ),
        (
            "forums: [sco]",
            "forums: [sanctions]",
            "13:14: 'sanctions' is a topic, not a forum; list it under 'topics'",
        ),
        (
            "countries: [AF]",
            "countries: [brics]",
            "12:17: 'brics' is a forum, not a country; list it under 'forums'",
        ),
        (
            "parties: [CN, RU]",
            "parties: [CN, sco]",
            "5:15: 'sco' is a forum, not a country; for a statement a forum issued, write"
            " 'issuing_forum: sco'",
        ),
        (
            "parties: [CN, RU]",
            "issuing_forum: RU",
            "5:16: 'RU' is a country, not a forum; issuing states go under 'parties'",
        ),
        ("kind: joint-statement", "kind: sco", "4:7: 'sco' is a forum, not a kind"),
    ],
)
def test_a_value_from_another_vocabulary_is_named_as_such(
    root: Path, old: str, new: str, expected: str
) -> None:
    assert check(root, old, new) == [expected]


def test_a_near_miss_in_its_own_vocabulary_comes_before_another_vocabulary(root: Path) -> None:
    # 'Sanctions' is the topic 'sanctions' written with a capital, not a misplaced anything.
    assert check(root, "topics: [counter-terrorism]", "topics: [Sanctions]") == [
        "14:14: unknown topic 'Sanctions' (did you mean 'sanctions'?)"
    ]
