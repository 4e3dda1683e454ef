"""Load stage: read YAML files strictly and remember where every value stands.

Every scalar is read as text (YAML's implicit typing is off: `NO` stays Norway, `2026-05` stays a
string to be checked as a date later). Anchors, aliases, explicit tags, duplicate keys, non-UTF-8
bytes and oversized files are refused with their place. This stage judges syntax only, never
content; a file that cannot be read comes back as a `LoadError` carrying its place.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from scripts.site import (
    OPTIONAL_VOCABULARIES,
    STATEMENTS_DIR,
    VOCABULARY_NAMES,
    vocabulary_file,
)

MAX_FILE_BYTES = 512 * 1024
"""A statement with long original-language excerpts stays far below this; a bigger file is a
mistake or an attack, refused before parsing."""

MAX_DEPTH = 12
"""The statement format nests five levels deep; anything much deeper is refused, not recursed."""

_ODD_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
"""YAML counts these as line breaks and editors do not, so every line number after one would be
wrong; text pasted from PDFs carries them."""

DataPath = tuple[str | int, ...]
"""Where a value stands in a document: ("sections", 2, "annotations", 0, "quote")."""


@dataclass(frozen=True)
class Place:
    """A 1-based line and column in a file."""

    line: int
    col: int


@dataclass(frozen=True)
class LoadError(Exception):
    """A file that could not be read as strict YAML; `place` says where."""

    message: str
    place: Place


@dataclass(frozen=True)
class Document:
    """A loaded YAML file: plain values (dict / list / str) and the place of each of them."""

    path: Path
    """The file, as given to the loader."""
    data: Any
    """The document's value: nested dicts, lists and strings only."""
    places: dict[DataPath, Place] = field(default_factory=dict)
    """Where each value starts."""
    key_places: dict[DataPath, Place] = field(default_factory=dict)
    """Where each mapping key starts (for 'unknown key' and 'duplicate key' problems)."""
    duplicate_keys: tuple[tuple[DataPath, Place], ...] = ()
    """Keys that occur twice in one mapping: the path of the second one and its place."""

    def place(self, path: DataPath, *, key: bool = False) -> Place:
        """The place of `path`, or of its nearest ancestor that has one."""
        table = self.key_places if key else self.places
        while path:
            if path in table:
                return table[path]
            if key and path in self.places:
                return self.places[path]
            path = path[:-1]
        return self.places.get((), Place(1, 1))


class _StrictComposer(Composer):
    """PyYAML's composer, refusing anchors, aliases, tags and deep nesting node by node."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # from the parser it is mixed with
        if isinstance(event, AliasEvent):
            raise LoadError(
                "YAML aliases (*name) are not allowed; write the value out", _mark(event)
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.anchor is not None:
                raise LoadError(
                    "YAML anchors (&name) are not allowed; write the value out", _mark(event)
                )
            if event.tag is not None:
                raise LoadError(
                    f"YAML tags are not allowed: '{_shorthand(event.tag)}'; write the value"
                    " without it (every value is read as text)",
                    _mark(event),
                )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LoadError(
                f"nested deeper than {MAX_DEPTH} levels; a statement needs no more than 5",
                _mark(event),
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PureLoader(Reader, Scanner, Parser, _StrictComposer, BaseResolver):
    """PyYAML's pure-Python pipeline: slow, but its error messages are the ones we explain."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)


class _FastLoader(CParser, _StrictComposer, BaseResolver):
    """libyaml's scanner and parser (about ten times faster) under the same strict composer."""

    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node
    compose_scalar_node = Composer.compose_scalar_node

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        Composer.__init__(self)
        BaseResolver.__init__(self)


def _compose(text: str) -> Node | None:
    """The document's node graph: libyaml first; on any complaint, the pure-Python pipeline
    reads the file again, so a problem is always reported in the words explained below.
    libyaml accepts tabs in places PyYAML refuses, so a file with a tab goes to PyYAML alone."""
    if "\t" not in text:
        try:
            return _single_node(_FastLoader(text))
        except (yaml.YAMLError, RecursionError):
            pass
    return _single_node(_PureLoader(text))


def _single_node(loader: Any) -> Node | None:
    try:
        node: Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _mark(event: Any) -> Place:
    return Place(event.start_mark.line + 1, event.start_mark.column + 1)


def _shorthand(tag: str) -> str:
    """A tag as the file spells it: `!!str`, not `tag:yaml.org,2002:str`."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,") else tag


def _position_of_char(text: str, index: int) -> Place:
    """The line and column of the character at `index`."""
    before = text[:index]
    return Place(before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's complaint in one line, with a hint for the mistakes contributors make most."""
    problem = error.problem or ""
    context = error.context or ""
    if "'\\t'" in problem:
        return "YAML syntax: a tab character here; indent and separate with spaces, never tabs"
    if context == "expected a single document in the stream":
        return "YAML syntax: a second YAML document ('---'); a file holds one statement"
    if problem == "mapping values are not allowed here":
        return (
            "YAML syntax: a ':' that YAML cannot place; check the indentation, or put text"
            " that contains ': ' in quotes"
        )
    mark = error.context_mark
    start = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    for words, plain in _PLAIN_WORDS:
        if problem.startswith(words) or (words and context.startswith(words)):
            return "YAML syntax: " + plain.format(start=start or "above")
    if not context:
        return f"YAML syntax: {problem}"
    if mark is not None:
        context += f" that starts at {mark.line + 1}:{mark.column + 1}"
    return f"YAML syntax: {problem}, {context}"


_PLAIN_WORDS = (
    (
        "expected <block end>",
        "this line is indented differently from the lines before it; line it up with the"
        " entries of the list or mapping that starts at {start}",
    ),
    (
        "did not find expected '-' indicator",
        "a line inside the list that starts at {start} that is not one of its items ('- ');"
        " check its indentation",
    ),
    (
        "did not find expected key",
        "a line that is not a 'key: value' of the mapping that starts at {start}; check its"
        " indentation",
    ),
    (
        "could not find expected ':'",
        "a key without its ':' (the entry starts at {start}); write 'key: value', or put text in"
        " quotes",
    ),
    (
        "expected ',' or ']'",
        "the list opened with '[' at {start} is not closed with ']' where it should end",
    ),
    (
        "while scanning a quoted scalar",
        "the quotation mark at {start} is never closed; close it, or write the text without it",
    ),
)
"""PyYAML's words for the slips contributors make most, and what to say instead."""


def _position_of_byte(raw: bytes, offset: int) -> Place:
    """The line and column (in characters, as editors count them) of the byte at `offset`."""
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    line = before[line_start:].removeprefix(b"\xef\xbb\xbf" if line_start == 0 else b"")
    return Place(before.count(b"\n") + 1, len(line.decode("utf-8", "replace")) + 1)


def load_text(raw: bytes, path: Path) -> Document:
    """Parse the bytes of one YAML file; raises LoadError for anything that is not strict YAML."""
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(
            f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes", Place(1, 1)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(
            f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; save the file as UTF-8",
            _position_of_byte(raw, error.start),
        ) from None
    text = text.removeprefix("\ufeff")
    odd_break = _ODD_LINE_BREAK.search(text)
    if odd_break:
        raise LoadError(
            f"character U+{ord(odd_break.group()):04X} (an invisible line break) is not allowed;"
            " use an ordinary line break or a space",
            _position_of_char(text, odd_break.start()),
        )
    try:
        root = _compose(text)
    except ReaderError as error:
        raise LoadError(
            f"character U+{error.character:04X} is not allowed in a YAML file; remove it",
            _position_of_char(text, error.position),
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Place(mark.line + 1, mark.column + 1) if mark else Place(1, 1)
        raise LoadError(_syntax_message(error), where) from None
    except yaml.YAMLError as error:
        raise LoadError(f"YAML syntax: {error}", Place(1, 1)) from None
    except RecursionError:
        raise LoadError(f"nested deeper than {MAX_DEPTH} levels", Place(1, 1)) from None
    if root is None or (isinstance(root, ScalarNode) and root.value == "" and not root.style):
        raise LoadError("file is empty", Place(1, 1))
    builder = _Builder(text)
    data = builder.value(root, ())
    return Document(
        path=path,
        data=data,
        places=builder.places,
        key_places=builder.key_places,
        duplicate_keys=tuple(builder.duplicates),
    )


def load_file(path: Path, raw: bytes | None = None) -> Document:
    """Read and parse one file (`raw`: its bytes, read already). Symbolic links, named pipes,
    devices and anything else that is not a regular file are refused without being opened (a
    pipe would block the read forever), and so is a file over the size bound."""
    size = _regular_file_size(path)
    if size > MAX_FILE_BYTES:
        raise LoadError(
            f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes", Place(1, 1)
        )
    return load_text(path.read_bytes() if raw is None else raw, path)


def regular_file_bytes(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file within the size bound (what `load_file` would
    parse), read without following a link or opening anything else; None otherwise, or if it
    cannot be read (`load_path` then says why)."""
    try:
        if _regular_file_size(path) > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except (LoadError, OSError):
        return None


SYMLINK_MESSAGE = "symbolic links are not allowed in data/; commit the file itself"
NOT_A_FILE_MESSAGE = "{} is not allowed in data/; commit an ordinary file"
"""For what is neither a regular file nor a symbolic link (SYMLINK_MESSAGE), by its kind."""
_KINDS = (
    (stat.S_ISDIR, "a folder in place of this file"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device file"),
    (stat.S_ISBLK, "a device file"),
)


def _regular_file_size(path: Path) -> int:
    """The size of `path` if it is a regular file; LoadError (or OSError) if it is not one, from
    its own entry (lstat: nothing is followed or opened)."""
    mode = os.lstat(path)
    if stat.S_ISLNK(mode.st_mode):
        raise LoadError(SYMLINK_MESSAGE, Place(1, 1))
    if not stat.S_ISREG(mode.st_mode):
        kind = next((kind for test, kind in _KINDS if test(mode.st_mode)), "a special file")
        raise LoadError(NOT_A_FILE_MESSAGE.format(kind), Place(1, 1))
    return mode.st_size


class _Builder:
    """Turns the node graph into plain values, recording places and duplicate keys, and refusing
    the characters an escape can write that the file itself may not hold."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.places: dict[DataPath, Place] = {}
        self.key_places: dict[DataPath, Place] = {}
        self.duplicates: list[tuple[DataPath, Place]] = []

    def value(self, node: Node, path: DataPath) -> Any:
        self.places[path] = Place(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            _refuse_escaped_characters(self.text, node)
            return node.value
        if isinstance(node, SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_place = Place(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, ScalarNode):
                raise LoadError(
                    "a mapping key must be plain text, like 'title'; not a list or a mapping",
                    key_place,
                )
            _refuse_escaped_characters(self.text, key_node)
            key = key_node.value
            if key in mapping:
                self.duplicates.append(((*path, key), key_place))
                continue
            self.key_places[(*path, key)] = key_place
            mapping[key] = self.value(value_node, (*path, key))
        return mapping


_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""What a double-quoted scalar's escapes (`\\x01`, `\\e`, `\\ud83d`) can write though the file
may not hold it: control characters but tab and line feed, the invisible line breaks, surrogates
and the noncharacters U+FFFE and U+FFFF. Pages, feeds (XML cannot hold them), JSON and CSV would
carry them, or the writer would fail on them."""

_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_NAMED_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    "N": "\x85",
    "L": "\u2028",
    "P": "\u2029",
}
_CONTROL_NAMES = {
    0x00: " (NUL)",
    0x08: " (backspace)",
    0x0D: " (carriage return)",
    0x1B: " (escape, as in terminal colour codes)",
}


def _refuse_escaped_characters(text: str, node: Node) -> None:
    """Raise LoadError at the escape in `node` (a scalar) that writes a character text may not
    hold. Raw, such characters are refused by the reader; only an escape in a double-quoted
    scalar can write one."""
    if not isinstance(node.value, str) or not _NOT_IN_TEXT.search(node.value):
        return
    start, end = node.start_mark.index, node.end_mark.index
    written = text[start:end] if text[start : start + 1] == '"' else ""
    escapes = list(_ESCAPE.finditer(written))
    for number, escape in enumerate(escapes):
        character = _escaped(escape)
        if _NOT_IN_TEXT.fullmatch(character):
            following = escapes[number + 1] if number + 1 < len(escapes) else None
            adjacent = following if following and following.start() == escape.end() else None
            raise LoadError(
                _escape_message(character, escape.group(), adjacent),
                _position_of_char(text, start + escape.start()),
            )
    # Not found as an escape (it cannot be otherwise): refused at the value.
    character = _NOT_IN_TEXT.search(node.value).group()  # type: ignore[union-attr]
    raise LoadError(
        _escape_message(character, f"U+{ord(character):04X}", None),
        Place(node.start_mark.line + 1, node.start_mark.column + 1),
    )


def _escaped(escape: re.Match[str]) -> str:
    """The character an escape of a double-quoted scalar writes (`\\x41` → A)."""
    code = escape.group(1)
    return chr(int(code[1:], 16)) if len(code) > 1 else _NAMED_ESCAPES.get(code, code)


def _escape_message(character: str, escape: str, following: re.Match[str] | None) -> str:
    """What to say of `escape`, which writes `character` (one of _NOT_IN_TEXT); `following` is
    the escape written right after it, the second half of a surrogate pair if there is one."""
    point = ord(character)
    if 0xD800 <= point <= 0xDFFF:
        low = ord(_escaped(following)) if following is not None else 0
        if point <= 0xDBFF and 0xDC00 <= low <= 0xDFFF and following is not None:
            combined = 0x10000 + ((point - 0xD800) << 10) + (low - 0xDC00)
            return (
                f"'{escape}{following.group()}' is a surrogate pair, as JSON writes"
                f" U+{combined:04X}; YAML reads it as two halves that are not characters: write"
                f" the character itself ({chr(combined)}) or the escape '\\U{combined:08X}'"
            )
        return (
            f"U+{point:04X} is half of a surrogate pair, not a character; write the character"
            f" itself instead of the escape '{escape}'"
        )
    if point in (0xFFFE, 0xFFFF):
        return (
            f"U+{point:04X} is not a character (a Unicode noncharacter) and is not allowed in"
            f" text; remove the escape '{escape}'"
        )
    if point in (0x85, 0x2028, 0x2029):
        return (
            f"character U+{point:04X} (an invisible line break) is not allowed in text; write"
            f" '\\n' or a space instead of '{escape}'"
        )
    return (
        f"control character U+{point:04X}{_CONTROL_NAMES.get(point, '')} is not allowed in"
        f" text; remove the escape '{escape}'"
    )


@dataclass(frozen=True)
class Loaded:
    """A file's load result: its document, or why it could not be read (neither for a file that
    was listed but not read because it is not a statement file)."""

    file: PurePosixPath
    """Relative to the repository root."""
    document: Document | None
    error: LoadError | None = None


UNSAFE_NAME_MESSAGE = (
    "a name with ': ' or a control character (a line break, a tab) is not allowed in data/: it"
    " makes 'file:line:col' ambiguous; rename it"
)
_UNSAFE_NAME = re.compile(r": |[\x00-\x1f\x7f]")
NOT_UTF8_NAME_MESSAGE = "a file or folder name that is not UTF-8 is not allowed in data/; rename it"
_NOT_UTF8_NAME = re.compile("[\udc80-\udcff]")
"""How Python spells the bytes of a file name that are not UTF-8 (surrogateescape)."""


def load_path(root: Path, file: Path, *, parse: bool = True, raw: bytes | None = None) -> Loaded:
    """One file under `root`, as `load_archive` loads it (not parsed with `parse=False`); `raw`:
    its bytes, if they were read already."""
    relative = PurePosixPath(file.relative_to(root).as_posix())
    if any(folder.is_symlink() for folder in file.parents if folder.is_relative_to(root / "data")):
        return Loaded(relative, None, LoadError(SYMLINK_MESSAGE, Place(1, 1)))  # data/ is a link
    if _UNSAFE_NAME.search(str(relative)):
        return Loaded(relative, None, LoadError(UNSAFE_NAME_MESSAGE, Place(1, 1)))
    if _NOT_UTF8_NAME.search(str(relative)):
        return Loaded(relative, None, LoadError(NOT_UTF8_NAME_MESSAGE, Place(1, 1)))
    try:
        if stat.S_ISDIR(os.lstat(file).st_mode):  # listed because it cannot be read
            with os.scandir(file):
                pass
        if not parse:
            _regular_file_size(file)  # a link or a pipe is refused whatever its name
            return Loaded(relative, None)
        return Loaded(relative, load_file(file, raw))
    except LoadError as error:
        return Loaded(relative, None, error)
    except OSError as error:
        folder = file == root / STATEMENTS_DIR or (file.is_dir() and not file.is_symlink())
        what = "folder" if folder else "file"
        return Loaded(
            relative,
            None,
            LoadError(f"cannot read the {what}: {error.strerror or error}", Place(1, 1)),
        )


def statement_files(root: Path) -> list[Path]:
    """Every file under data/statements/, sorted; hidden files are skipped. Symbolic links are
    listed (to be refused), never followed: data/statements/ or data/ itself if it is one.
    Anything else that is not a folder (a named pipe, a device) is listed to be refused, and so
    is a folder that cannot be read."""
    folder = root / STATEMENTS_DIR
    for linked in (root / "data", folder):
        if linked.is_symlink():
            return [linked]
    try:
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            return [folder]  # a file or a pipe in place of the folder: refused by _load
    except FileNotFoundError:
        return []
    except OSError:  # data/ itself cannot be searched: reported as the folder's problem
        return [folder]
    found: list[Path] = []
    folders = [folder]
    while folders:  # no recursion: a pull request can nest folders thousands deep
        current = folders.pop()
        try:
            with os.scandir(current) as listing:
                entries = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in listing]
        except OSError:  # reported by _load as the folder's problem, never skipped
            found.append(current)
            continue
        for name, is_folder in entries:
            if not name.startswith("."):
                (folders if is_folder else found).append(current / name)
    return sorted(found, key=lambda path: path.parts)  # as paths sort, without their slow __lt__


def load_archive(root: Path) -> tuple[list[Loaded], dict[str, Loaded]]:
    """All statement files and the vocabulary files under `root`, each loaded or refused (an
    optional vocabulary whose file is absent is left out). A file under data/statements/ that is
    not a .yml file is listed but not read."""
    statements = [
        load_path(root, path, parse=path.suffix == ".yml") for path in statement_files(root)
    ]
    vocabularies = {
        name: load_path(root, root / vocabulary_file(name)) for name in vocabularies_present(root)
    }
    return statements, vocabularies


def vocabularies_present(root: Path) -> list[str]:
    """The vocabularies to read: every one, but an optional one only if its file (or anything
    in its place, to be refused) is there."""
    return [
        name
        for name in VOCABULARY_NAMES
        if name not in OPTIONAL_VOCABULARIES or os.path.lexists(root / vocabulary_file(name))
    ]


def iso_country_other_names() -> dict[str, str]:
    """Other ways contributors write a country → its alpha-2 code: the alpha-3 code (AFG), the
    ISO name (Russian Federation), the official name (People's Republic of China)."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for other in ("alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, other, None)
            if isinstance(value, str):
                names[value] = country.alpha_2
    return names


def iso_country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → the name readers know (pycountry's common name if it has one)."""
    import pycountry

    return {
        country.alpha_2: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }
