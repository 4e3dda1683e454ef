"""Did-you-mean: the near misses a contributor most likely meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def same_but_case(
    value: str, choices: Iterable[str], names: dict[str, str] | None = None
) -> str | None:
    """The choice `value` spells but for upper and lower case, or whose name (display name,
    short name or alias, as `names` maps them to choices) it spells so; None otherwise."""
    folded = value.casefold()
    by_fold = {c.casefold(): c for c in choices}
    by_name = {name.casefold(): key for name, key in (names or {}).items()}
    return by_fold.get(folded) or by_name.get(folded)


def closest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str | None:
    """The choice `value` nearly spells, or whose name (display name, short name or alias, as
    `names` maps them to choices) it nearly spells; None if nothing is close.

    Near is: the same but for case; or a few slips away, each slip a letter wrong, missing or
    added, or two neighbours swapped ('sko' → 'sco', 'bircs' → 'brics'), with at most one slip
    for every four characters of the value, and always one allowed ('ud' → 'id', 'Rusia' →
    'Russia'; 'humanitarian-aid' is five slips from 'humanitarian-access', too far for its 16
    characters: another word, not a misspelling); or, failing that, the leading words of a
    choice, cut at a hyphen, that are at least half of it ('official' → 'official-text': a
    shortening; 'news' is too little of 'news-report'). Of several near choices the fewest slips
    win, then two swapped letters over any other slip ('UR' → 'RU', not 'UY'), then the most
    alike by difflib's ratio, then the first in order. A value of one or two characters gets a
    guess only when a single choice is that near or its two letters swapped are a choice: 'ZZ'
    is one slip from 'ZA', 'ZM' and 'ZW' alike, and gets none; 'ZN' gets 'NZ'."""
    choices = list(choices)
    match = same_but_case(value, choices, names)
    if match:
        return match
    folded = value.casefold()
    allowed = max(1, len(folded) // 4)
    spellings = [(c.casefold(), c) for c in choices]
    spellings += [(name.casefold(), key) for name, key in (names or {}).items()]
    near: list[tuple[int, bool, float, str]] = []
    for spelling, choice in spellings:
        if abs(len(spelling) - len(folded)) > allowed:
            continue
        slips = _slips(folded, spelling, allowed)
        if slips <= allowed:
            ratio = difflib.SequenceMatcher(None, folded, spelling).ratio()
            near.append((slips, not _swapped(folded, spelling), -ratio, choice))
    if not near:
        return _shortened(folded, choices)
    best = min(near)
    if len(value) <= 2 and best[1] and len({n[3] for n in near if n[0] == best[0]}) > 1:
        return None
    return best[3]


def _shortened(folded: str, choices: list[str]) -> str | None:
    """The shortest choice whose leading words (cut at a hyphen) `folded` is, and which is at
    most twice as long: 'official' → 'official-text'; 'news' is too short for 'news-report'."""
    longer = [
        c for c in choices if c.casefold().startswith(folded + "-") and len(c) <= 2 * len(folded)
    ]
    return min(longer, key=lambda c: (len(c), c), default=None)


def _swapped(a: str, b: str) -> bool:
    """Whether `b` is `a` with two neighbouring characters swapped ('ZN' → 'NZ')."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    i, j = diff if len(diff) == 2 else (0, 0)
    return j == i + 1 and a[i] == b[j] and a[j] == b[i]


def _slips(a: str, b: str, limit: int) -> int:
    """The fewest slips that turn `a` into `b`: characters replaced, removed or added, or two
    neighbours swapped (the optimal-string-alignment form of the Damerau-Levenshtein distance).
    Counting stops past `limit`: any answer over it is `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (x != y),
            )
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def _one_slip(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one slip: a character replaced, removed, added, or
    two neighbours swapped (Damerau-Levenshtein distance 1)."""
    return a != b and _slips(a, b, 1) == 1


def did_you_mean(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    """' (did you mean 'x'?)' for a near miss (see `closest`), else ''."""
    match = closest(value, choices, names)
    return f" (did you mean '{match}'?)" if match else ""
