"""Word-level redlines between two texts, and the alignment of two statements' sections (pure).

A redline shows what an older text dropped (`<del>`, struck through) and a newer one added
(`<ins>`, underlined). The compare pages (scripts/render/compare.py) draw it in Python at build
time; the compare-any-two page draws it in the browser (docs/assets/compare.js). Both must show
the same redline for the same two texts, so both run the same algorithm on the same tokens:

- **The diff library is diff-match-patch**: in Python Google's own C++ edition (PyPI
  `fast-diff-match-patch`), in the browser npm's `diff-match-patch-es`, the maintained ES-module
  edition of the same code, pinned in package-lock.json. It is made for exactly this — a
  minimal diff of two texts, Myers' algorithm with its speed-ups — and exists, line for line, in
  both languages. The C++ edition gives the same edits as the Python one (PyPI
  `diff-match-patch`, a dev dependency that tests/test_redline.py holds it to) twelve times
  faster: on the synthetic archive's compare pages the Python edition was most of `generate`.
  difflib's SequenceMatcher would serve in Python, but has no twin in the browser
  (its "junk" heuristics and longest-block search would have to be written again, by us), so the
  two pages could disagree.
- **Words, not characters**: each token is replaced by one character before the diff (the way
  diff-match-patch's own line mode works) and the diff's characters are read back as tokens. The
  characters are drawn from the Basic Multilingual Plane, surrogates skipped, so that a JavaScript
  string (UTF-16) and a Python string have the same length and the same characters. The library's
  time limit is off (`Diff_Timeout = 0`): the result never depends on the machine's speed.
- **Tokens** (`tokens`): runs of spaces, line breaks (between paragraphs), single punctuation
  marks, and words: runs of anything else. For Chinese, Japanese and Korean (the statement's BCP
  47 `language`, primary subtag zh, ja or ko) each ideograph, kana or hangul syllable is a token
  of its own, and a Latin run inside them stays one word. The character classes are explicit code
  point ranges (`PUNCTUATION`, `CJK`), published to the browser by `browser_rules`, so both sides
  read a text the same way whatever Unicode version their runtime knows.
- **One step of our own**, after the library's diff and also done in the browser: a run of spaces
  kept between two changes joins them ("~~every two years~~ __each year__" rather than
  "~~every~~ __each__ ~~two years~~ __year__"); the texts are still read back exactly.

Counts are of words: a punctuation mark or a space is no word; in Chinese, Japanese and Korean
each character counts as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import fast_diff_match_patch
from markupsafe import Markup, escape

from scripts.model import Section, Statement

CJK_LANGUAGES = ("zh", "ja", "ko")
"""Primary language subtags whose text is compared character by character."""

PUNCTUATION: tuple[tuple[int, int], ...] = (
    (0x0021, 0x002F),  # ! " # $ % & ' ( ) * + , - . /
    (0x003A, 0x0040),  # : ; < = > ? @
    (0x005B, 0x0060),  # [ \ ] ^ _ `
    (0x007B, 0x007E),  # { | } ~
    (0x00A1, 0x00A1),  # ¡
    (0x00A7, 0x00A7),  # §
    (0x00AB, 0x00AB),  # «
    (0x00B6, 0x00B7),  # ¶ ·
    (0x00BB, 0x00BB),  # »
    (0x00BF, 0x00BF),  # ¿
    (0x037E, 0x037E),  # Greek question mark
    (0x0387, 0x0387),  # Greek ano teleia
    (0x055A, 0x055F),  # Armenian punctuation
    (0x0589, 0x058A),  # Armenian full stop, hyphen
    (0x05BE, 0x05BE),  # Hebrew maqaf
    (0x05C0, 0x05C0),  # Hebrew paseq
    (0x05C3, 0x05C3),  # Hebrew sof pasuq
    (0x060C, 0x060D),  # Arabic comma, date separator
    (0x061B, 0x061B),  # Arabic semicolon
    (0x061F, 0x061F),  # Arabic question mark
    (0x066A, 0x066D),  # Arabic percent sign … five pointed star
    (0x06D4, 0x06D4),  # Arabic full stop
    (0x0964, 0x0965),  # Devanagari danda, double danda
    (0x2010, 0x2027),  # hyphens, dashes, quotation marks, bullets, ellipsis
    (0x2030, 0x205E),  # per mille, primes, guillemets, reference marks …
    (0x3001, 0x3003),  # ideographic comma, full stop, ditto mark
    (0x3008, 0x3011),  # angle, double angle, corner and lenticular brackets
    (0x3014, 0x301F),  # tortoise shell and white brackets, wave dash, double prime quotes
    (0x30FB, 0x30FB),  # katakana middle dot
    (0xFE10, 0xFE19),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFE50, 0xFE6B),  # small form variants
    (0xFF01, 0xFF0F),  # fullwidth exclamation mark … solidus
    (0xFF1A, 0xFF20),  # fullwidth colon … commercial at
    (0xFF3B, 0xFF40),  # fullwidth square brackets … grave accent
    (0xFF5B, 0xFF65),  # fullwidth curly brackets … halfwidth katakana middle dot
)
"""Code points that are a token each: punctuation marks and a few symbols of many scripts."""

CJK: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3040, 0x30FA),  # Hiragana, Katakana (less the middle dot, punctuation above)
    (0x30FC, 0x30FF),  # Katakana prolonged sound mark … digraph koto
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),  # Hangul Syllables, Hangul Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3FFFF),  # Supplementary and Tertiary Ideographic Planes
)
"""Code points that are a token each in Chinese, Japanese and Korean text."""

SPACE = " "
PARAGRAPH = "\n"
"""The token between two paragraphs of a section's text (see `section_text`)."""

SIMILARITY_THRESHOLD = 0.5
"""Least `Redline.similarity` for two sections that share neither id nor topic to be aligned."""

_FIRST_CHAR = 0x100
_SURROGATES = (0xD800, 0xDFFF)
MAX_TOKENS = 0x10000 - _FIRST_CHAR - (_SURROGATES[1] - _SURROGATES[0] + 1)
"""Most distinct tokens two texts may have together (one character each, see the docstring)."""


def _regex_class(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@cache
def _pattern(cjk: bool) -> re.Pattern[str]:
    punctuation = _regex_class(PUNCTUATION)
    if cjk:
        ideographs = _regex_class(CJK)
        return re.compile(f" +|\n|[{punctuation}]|[{ideographs}]|[^ \n{punctuation}{ideographs}]+")
    return re.compile(f" +|\n|[{punctuation}]|[^ \n{punctuation}]+")


def segmented(language: str) -> bool:
    """Whether text in this BCP 47 language is compared character by character (zh, ja, ko)."""
    return language.split("-", 1)[0].lower() in CJK_LANGUAGES


def tokens(text: str, language: str = "en") -> list[str]:
    """The text as tokens: spaces, line breaks, punctuation marks and words (in Chinese, Japanese
    and Korean, single characters); joined, they give the text back."""
    return _pattern(segmented(language)).findall(text)


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    return any(a <= code <= b for a, b in PUNCTUATION)


def is_word(token: str) -> bool:
    """A token that counts as a word: not spaces, a line break or a punctuation mark."""
    return token[:1] not in (SPACE, PARAGRAPH, "") and not (
        len(token) == 1 and _is_punctuation(token)
    )


def _words(items: Sequence[str]) -> int:
    return sum(1 for t in items if is_word(t))


def section_text(section: Section) -> str:
    """What a section's redline compares: its excerpts' paragraphs (the statement's verbatim
    words), one line each; the section's summary and notes are editorial and left out."""
    return PARAGRAPH.join(p for excerpt in section.excerpts for p in excerpt.paragraphs)


# --- the diff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kept:
    """Tokens in both texts."""

    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Changed:
    """Tokens only in the older text (`dropped`) replaced by tokens only in the newer (`added`);
    either may be empty."""

    dropped: tuple[str, ...]
    added: tuple[str, ...]


Chunk = Kept | Changed


def _char(number: int) -> str:
    code = _FIRST_CHAR + number
    if code >= _SURROGATES[0]:
        code += _SURROGATES[1] - _SURROGATES[0] + 1
    if code > 0xFFFF:
        raise ValueError(f"too many distinct words to compare (more than {MAX_TOKENS})")
    return chr(code)


def _diff(older: list[str], newer: list[str]) -> list[tuple[int, list[str]]]:
    """diff-match-patch on tokens: each distinct token becomes one character."""
    table: dict[str, str] = {}
    vocabulary: list[str] = []

    def encode(items: list[str]) -> str:
        chars = []
        for token in items:
            char = table.get(token)
            if char is None:
                char = table[token] = _char(len(vocabulary))
                vocabulary.append(token)
            chars.append(char)
        return "".join(chars)

    a, b = encode(older), encode(newer)
    # No time limit (the same diff on any machine), no line mode, no clean-up: as the browser.
    diffs: list[tuple[str, str]] = fast_diff_match_patch.diff(
        a, b, timelimit=0, checklines=False, cleanup="No", counts_only=False
    )
    return [
        (_OPS[op], [vocabulary[ord(c) - _FIRST_CHAR - _offset(c)] for c in text])
        for op, text in diffs
    ]


_OPS = {"=": 0, "-": -1, "+": 1}
"""The library's edit marks as diff-match-patch's numbers: kept, dropped, added."""


def _offset(char: str) -> int:
    return (_SURROGATES[1] - _SURROGATES[0] + 1) if ord(char) > _SURROGATES[1] else 0


def _chunks(diffs: list[tuple[int, list[str]]]) -> list[Chunk]:
    """The library's edits as kept runs and changes, a run of spaces between two changes joined
    into one change (on both sides, so that each text still reads back whole)."""
    chunks: list[Chunk] = []
    for op, items in diffs:
        last = chunks[-1] if chunks else None
        if op == 0:
            chunks.append(Kept(tuple(items)))
        elif isinstance(last, Changed):
            chunks[-1] = (
                Changed(last.dropped + tuple(items), last.added)
                if op < 0
                else Changed(last.dropped, last.added + tuple(items))
            )
        else:
            chunks.append(Changed(tuple(items), ()) if op < 0 else Changed((), tuple(items)))
    joined: list[Chunk] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        if (
            isinstance(chunk, Kept)
            and joined
            and isinstance(joined[-1], Changed)
            and i + 1 < len(chunks)
            and all(t[:1] == SPACE for t in chunk.tokens)
        ):
            before, after = joined[-1], chunks[i + 1]
            assert isinstance(after, Changed)  # the library never gives two kept runs in a row
            joined[-1] = Changed(
                before.dropped + chunk.tokens + after.dropped,
                before.added + chunk.tokens + after.added,
            )
            i += 2
            continue
        joined.append(chunk)
        i += 1
    return joined


def _html(chunks: Sequence[Chunk], side: Literal["older", "newer", "both"]) -> Markup:
    """Paragraphs (`<p>`) with the side's changes marked; spaces at the edge of a change are set
    outside its element."""
    paragraphs: list[Markup] = []
    current = Markup()

    def mark(items: Sequence[str], tag: str) -> None:
        nonlocal current
        run: list[str] = []

        def flush() -> None:
            nonlocal current
            text = "".join(run)
            core = text.strip(SPACE)
            if core:
                lead = text[: len(text) - len(text.lstrip(SPACE))]
                trail = text[len(text.rstrip(SPACE)) :]
                current += escape(lead) + Markup(f"<{tag}>") + escape(core) + Markup(f"</{tag}>")
                current += escape(trail)
            else:
                current += escape(text)
            run.clear()

        for token in items:
            if token == PARAGRAPH:
                flush()
                paragraphs.append(current)
                current = Markup()
            else:
                run.append(token)
        flush()

    for chunk in chunks:
        if isinstance(chunk, Kept):
            for token in chunk.tokens:
                if token == PARAGRAPH:
                    paragraphs.append(current)
                    current = Markup()
                else:
                    current += escape(token)
        else:
            if side in ("older", "both"):
                mark(chunk.dropped, "del")
            if side in ("newer", "both"):
                mark(chunk.added, "ins")
    paragraphs.append(current)
    return Markup("\n").join(Markup("<p>{}</p>").format(p) for p in paragraphs if p)


@dataclass(frozen=True)
class Redline:
    """What changed from an older text to a newer one, word by word."""

    chunks: tuple[Chunk, ...]

    @property
    def changed(self) -> bool:
        return any(isinstance(c, Changed) for c in self.chunks)

    @property
    def added(self) -> int:
        """Words only in the newer text."""
        return sum(_words(c.added) for c in self.chunks if isinstance(c, Changed))

    @property
    def dropped(self) -> int:
        """Words only in the older text."""
        return sum(_words(c.dropped) for c in self.chunks if isinstance(c, Changed))

    @property
    def kept(self) -> int:
        """Words in both."""
        return sum(_words(c.tokens) for c in self.chunks if isinstance(c, Kept))

    @property
    def similarity(self) -> float:
        """Share of the two texts' words that they have in common: 2 * kept / (older + newer);
        1.0 for two texts without words."""
        total = 2 * self.kept + self.added + self.dropped
        return 1.0 if total == 0 else 2 * self.kept / total

    def added_words(self) -> list[str]:
        """The words of each `<ins>`, in order (for tests and for readers' counts)."""
        return [t for c in self.chunks if isinstance(c, Changed) for t in c.added if is_word(t)]

    def dropped_words(self) -> list[str]:
        """The words of each `<del>`, in order."""
        return [t for c in self.chunks if isinstance(c, Changed) for t in c.dropped if is_word(t)]

    def older_html(self) -> Markup:
        """The older text, its dropped words in `<del>`; one `<p>` per paragraph."""
        return _html(self.chunks, "older")

    def newer_html(self) -> Markup:
        """The newer text, its added words in `<ins>`."""
        return _html(self.chunks, "newer")

    def inline_html(self) -> Markup:
        """One text: kept words, each `<del>` followed by the `<ins>` that replaced it."""
        return _html(self.chunks, "both")


def redline(
    older: str, newer: str, older_language: str = "en", newer_language: str = "en"
) -> Redline:
    """The word-level redline from `older` to `newer`, each read in its own language."""
    diffs = _diff(tokens(older, older_language), tokens(newer, newer_language))
    return Redline(tuple(_chunks(diffs)))


# --- aligning two statements ---------------------------------------------------------------------

MatchedBy = Literal["id", "topics", "text"]


@dataclass(frozen=True)
class Pair:
    """A section of the older statement and its counterpart in the newer one."""

    older: Section
    newer: Section
    matched_by: MatchedBy
    redline: Redline


@dataclass(frozen=True)
class Summary:
    """The counts at the top of a compare page."""

    changed: int
    unchanged: int
    added: int
    """Sections only in the newer statement."""
    dropped: int
    """Sections only in the older statement."""
    words_added: int
    """Words only in the newer statement: in changed sections and in added ones."""
    words_dropped: int


@dataclass(frozen=True)
class Alignment:
    """Two statements' sections side by side."""

    pairs: tuple[Pair, ...]
    """In the newer statement's order."""
    only_older: tuple[Section, ...]
    """In the older statement's order."""
    only_newer: tuple[Section, ...]
    older_language: str
    newer_language: str

    @property
    def summary(self) -> Summary:
        return Summary(
            changed=sum(1 for p in self.pairs if p.redline.changed),
            unchanged=sum(1 for p in self.pairs if not p.redline.changed),
            added=len(self.only_newer),
            dropped=len(self.only_older),
            words_added=sum(p.redline.added for p in self.pairs)
            + sum(_words(tokens(section_text(s), self.newer_language)) for s in self.only_newer),
            words_dropped=sum(p.redline.dropped for p in self.pairs)
            + sum(_words(tokens(section_text(s), self.older_language)) for s in self.only_older),
        )


def _greedy(
    older: list[int], newer: list[int], score: Callable[[int, int], float | None]
) -> list[tuple[int, int, float]]:
    """Pairs of positions, best score first (ties: earlier older, then earlier newer), each
    position used once; a None score is no candidate."""
    candidates = []
    for i in older:
        for j in newer:
            value = score(i, j)
            if value is not None:
                candidates.append((-value, i, j))
    used_older: set[int] = set()
    used_newer: set[int] = set()
    chosen = []
    for value, i, j in sorted(candidates):
        if i not in used_older and j not in used_newer:
            used_older.add(i)
            used_newer.add(j)
            chosen.append((i, j, -value))
    return chosen


def align(older: Statement, newer: Statement) -> Alignment:
    """Pair the sections of two statements: by section id; the rest by shared topics (most
    shared for their number first); the rest by text, when `Redline.similarity` reaches
    SIMILARITY_THRESHOLD. Sections left over have no counterpart."""
    a, b = older.sections, newer.sections
    lang_a, lang_b = older.language, newer.language
    texts_a = [section_text(s) for s in a]
    texts_b = [section_text(s) for s in b]
    matched: dict[int, tuple[int, MatchedBy]] = {}  # newer position → (older position, how)
    ids_b = {s.id: j for j, s in enumerate(b)}
    for i, section in enumerate(a):
        j = ids_b.get(section.id)
        if j is not None:
            matched[j] = (i, "id")

    def left() -> tuple[list[int], list[int]]:
        used = {i for i, _ in matched.values()}
        rest_a = [i for i in range(len(a)) if i not in used]
        return rest_a, [j for j in range(len(b)) if j not in matched]

    def topics(i: int, j: int) -> float | None:
        shared = set(a[i].topics) & set(b[j].topics)
        return len(shared) / len(set(a[i].topics) | set(b[j].topics)) if shared else None

    for i, j, _ in _greedy(*left(), topics):
        matched[j] = (i, "topics")

    redlines: dict[tuple[int, int], Redline] = {}

    def text(i: int, j: int) -> float | None:
        if not texts_a[i] or not texts_b[j]:
            return None
        redlines[i, j] = redline(texts_a[i], texts_b[j], lang_a, lang_b)
        similarity = redlines[i, j].similarity
        return similarity if similarity >= SIMILARITY_THRESHOLD else None

    for i, j, _ in _greedy(*left(), text):
        matched[j] = (i, "text")
    pairs = []
    for j in sorted(matched):
        i, how = matched[j]
        line = redlines.get((i, j)) or redline(texts_a[i], texts_b[j], lang_a, lang_b)
        pairs.append(Pair(a[i], b[j], how, line))
    rest_a, rest_b = left()
    return Alignment(
        pairs=tuple(pairs),
        only_older=tuple(a[i] for i in rest_a),
        only_newer=tuple(b[j] for j in rest_b),
        older_language=lang_a,
        newer_language=lang_b,
    )


def browser_rules() -> dict[str, Any]:
    """What docs/assets/compare.js needs to read texts exactly as `tokens` and `align` do: the
    character classes as [first, last] code points, the segmented languages, the threshold."""
    return {
        "punctuation": [list(r) for r in PUNCTUATION],
        "cjk": [list(r) for r in CJK],
        "cjkLanguages": list(CJK_LANGUAGES),
        "similarityThreshold": SIMILARITY_THRESHOLD,
        "firstChar": _FIRST_CHAR,
    }
