"""Load stage: read YAML files strictly and remember where every value stands.

Every scalar is read as text (YAML's implicit typing is off: `NO` stays Norway, `2026-05` stays a
string to be checked as a date later). Anchors, aliases, explicit tags, duplicate keys, non-UTF-8
bytes and oversized files are refused with their place. This stage judges syntax only, never
content; a file that cannot be read comes back as a `LoadError` carrying its place.
"""

from __future__ import annotations

import re
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

from scripts.site import STATEMENTS_DIR, VOCABULARY_NAMES, vocabulary_file

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
    if not context:
        return f"YAML syntax: {problem}"
    mark = error.context_mark
    if mark is not None:
        context += f" that starts at {mark.line + 1}:{mark.column + 1}"
    return f"YAML syntax: {problem}, {context}"


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
    builder = _Builder()
    data = builder.value(root, ())
    return Document(
        path=path,
        data=data,
        places=builder.places,
        key_places=builder.key_places,
        duplicate_keys=tuple(builder.duplicates),
    )


def load_file(path: Path) -> Document:
    """Read and parse one file; symbolic links are refused, never followed."""
    if path.is_symlink():
        raise LoadError(SYMLINK_MESSAGE, Place(1, 1))
    return load_text(path.read_bytes(), path)


SYMLINK_MESSAGE = "symbolic links are not allowed in data/; commit the file itself"


class _Builder:
    """Turns the node graph into plain values, recording places and duplicate keys."""

    def __init__(self) -> None:
        self.places: dict[DataPath, Place] = {}
        self.key_places: dict[DataPath, Place] = {}
        self.duplicates: list[tuple[DataPath, Place]] = []

    def value(self, node: Node, path: DataPath) -> Any:
        self.places[path] = Place(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
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
            key = key_node.value
            if key in mapping:
                self.duplicates.append(((*path, key), key_place))
                continue
            self.key_places[(*path, key)] = key_place
            mapping[key] = self.value(value_node, (*path, key))
        return mapping


@dataclass(frozen=True)
class Loaded:
    """A file's load result: its document, or why it could not be read (neither for a file that
    was listed but not read because it is not a statement file)."""

    file: PurePosixPath
    """Relative to the repository root."""
    document: Document | None
    error: LoadError | None = None


def load_path(root: Path, file: Path, *, parse: bool = True) -> Loaded:
    """One file under `root`, as `load_archive` loads it (not parsed with `parse=False`)."""
    relative = PurePosixPath(file.relative_to(root).as_posix())
    if any(folder.is_symlink() for folder in file.parents if folder.is_relative_to(root / "data")):
        return Loaded(relative, None, LoadError(SYMLINK_MESSAGE, Place(1, 1)))  # data/ is a link
    try:
        if not parse and not file.is_symlink():
            return Loaded(relative, None)
        return Loaded(relative, load_file(file))
    except LoadError as error:
        return Loaded(relative, None, error)
    except OSError as error:
        return Loaded(
            relative, None, LoadError(f"cannot read the file: {error.strerror}", Place(1, 1))
        )


def statement_files(root: Path) -> list[Path]:
    """Every file under data/statements/, sorted; hidden files are skipped. Symbolic links are
    listed (to be refused), never followed: data/statements/ or data/ itself if it is one."""
    folder = root / STATEMENTS_DIR
    for linked in (root / "data", folder):
        if linked.is_symlink():
            return [linked]
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if (path.is_file() or path.is_symlink())
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def load_archive(root: Path) -> tuple[list[Loaded], dict[str, Loaded]]:
    """All statement files and the four vocabulary files under `root`, each loaded or refused.
    A file under data/statements/ that is not a .yml file is listed but not read."""
    statements = [
        load_path(root, path, parse=path.suffix == ".yml") for path in statement_files(root)
    ]
    vocabularies = {
        name: load_path(root, root / vocabulary_file(name)) for name in VOCABULARY_NAMES
    }
    return statements, vocabularies


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
