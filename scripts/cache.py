"""A content-keyed store under .build/cache/, for what is slow to make and depends only on known
inputs: each entry is found by a hash of all of them (the bytes it was made from, and the code,
schema, lock files and installed packages that made it: `code_fingerprint`), so an entry whose
inputs changed is never found, only made again. The store is one file, checked whole: a format
version, then a checksum of what follows. One that is truncated, corrupt, of another format or
unreadable is no store at all (everything is made again), and a new one replaces it in one step
(written beside it, then renamed), so a check stopped halfway leaves the old store or the new.
Without a usable .build/ (read-only, a file in its place) nothing is kept and nothing fails."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import site
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
"""The code: every file under scripts/, the schema and templates too."""
LOCK_FILES = ("pyproject.toml", "requirements.txt", "requirements-build.txt", "package-lock.json")
"""Beside the package, the files that pin what it runs with."""
FORMAT = 1
"""The store's own format; a store of another is read as none."""
_MAGIC = b"statement-archive-cache"
MAX_STORE_BYTES = 1 << 30
"""A store larger than this is not read (it cannot be one this code wrote for an archive)."""


def digest(*parts: bytes) -> str:
    """A hash of `parts`, each length-prefixed so that no two lists of parts hash alike."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def code_fingerprint(package: Path = PACKAGE, project: Path | None = None) -> str:
    """A hash of the code that makes entries: every file under `package` (compiled bytecode
    aside), the lock files beside it, the Python that runs it and every installed package's
    version. Any change to one of them changes every key."""
    project = package.parent if project is None else project
    parts = [f"format {FORMAT}".encode(), sys.version.encode()]
    for file in sorted(package.rglob("*")):
        if "__pycache__" in file.parts or not file.is_file():
            continue
        parts += [file.relative_to(package).as_posix().encode(), file.read_bytes()]
    for name in LOCK_FILES:
        lock = project / name
        parts += [name.encode(), lock.read_bytes() if lock.is_file() else b"(none)"]
    parts.append("\n".join(_installed()).encode())
    return digest(*parts)


def _installed() -> list[str]:
    """The installed packages, by their metadata folders' names (PyYAML-6.0.2.dist-info): their
    versions without reading their metadata, a third of a second for a hundred packages."""
    found = []
    for folder in [*site.getsitepackages(), site.getusersitepackages()]:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found += [f"{folder}/{n}" for n in names if n.endswith((".dist-info", ".egg-info"))]
    return sorted(found)


class Store:
    """Entries by key (a `digest`), each any JSON value, kept in one file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, Any]:
        """The entries; none if the store is absent, unreadable, of another format or corrupt."""
        try:
            mode = os.lstat(self.path)
            if not stat.S_ISREG(mode.st_mode) or mode.st_size > MAX_STORE_BYTES:
                return {}
            raw = self.path.read_bytes()
        except OSError:
            return {}
        header, newline, body = raw.partition(b"\n")
        if not newline or header != _header(body):
            return {}
        try:
            entries = json.loads(body)
        except ValueError:  # cannot be, with the checksum right; kept as none all the same
            return {}
        return entries if isinstance(entries, dict) else {}

    def write(self, entries: dict[str, Any]) -> bool:
        """Replace the store with `entries`, in one step; False if it cannot be written."""
        # ASCII: a file name that is not UTF-8 (kept as surrogates) is written as escapes.
        body = json.dumps(entries, separators=(",", ":")).encode()
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=self.path.parent, prefix=f".{self.path.name}.", delete=False
            ) as handle:
                temporary = Path(handle.name)
                handle.write(_header(body) + b"\n" + body)
            os.replace(temporary, self.path)
            temporary = None
        except OSError:
            return False
        finally:  # stopped halfway (or failed): the store is as it was, with nothing beside it
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()
        return True


def file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


Stamp = list[int]
"""A file's size, modification time (ns) and inode: what a rewrite of it, in place or by a
rename, changes (the writer and the builders write each file anew)."""


def stamp(path: Path) -> Stamp:
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def file_digests(
    folder: Path, paths: Iterable[str], last: Mapping[str, object]
) -> dict[str, tuple[str, Stamp]]:
    """Each file's hash and stamp; the hash taken from `last` (path → [hash, stamp], as
    returned) for a file whose stamp is the one recorded there, else made from its bytes: a
    build hashes only what was written since the last one."""
    found = {}
    for path in paths:
        now = stamp(folder / path)
        kept = last.get(path)
        if isinstance(kept, list) and len(kept) == 2 and kept[1] == now:
            found[path] = (str(kept[0]), now)
        else:
            found[path] = (file_digest(folder / path), now)
    return found


def _header(body: bytes) -> bytes:
    return b"%s %d %s" % (_MAGIC, FORMAT, hashlib.sha256(body).hexdigest().encode())
