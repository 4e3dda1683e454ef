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

    Near is: the same but for case; similar enough by difflib's ratio (most slips in longer
    words); or one slip away — a letter wrong, missing, added, or two swapped ('sko' → 'sco',
    which difflib's ratio finds too far). A two-character value gets a one-slip guess only when
    a single choice is one slip away ('ud' → 'id'): 'ZZ' is one slip from 'ZA', 'ZM' and 'ZW'
    alike, and gets none."""
    choices = list(choices)
    match = same_but_case(value, choices, names)
    if not match:
        by_name = {name.casefold(): key for name, key in (names or {}).items()}
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
        close = close or difflib.get_close_matches(value.casefold(), list(by_name), n=1, cutoff=0.8)
        match = (by_name.get(close[0]) or close[0]) if close else None
    if not match and len(value) >= 2:
        folded = value.casefold()
        slips = [c for c in choices if _one_slip(folded, c.casefold())]
        ratio = {c: difflib.SequenceMatcher(None, folded, c.casefold()).ratio() for c in slips}
        if len(value) > 2 or len(slips) == 1:
            match = min(slips, key=lambda c: (-ratio[c], c), default=None)
    return match


def _one_slip(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one edit: a character replaced, removed, added, or
    two neighbours swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    if len(a) == len(b):
        rest = start + 1
        swapped = (
            a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]
        )
        return a[rest:] == b[rest:] or swapped
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


def did_you_mean(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    """' (did you mean 'x'?)' for a near miss (see `closest`), else ''."""
    match = closest(value, choices, names)
    return f" (did you mean '{match}'?)" if match else ""
