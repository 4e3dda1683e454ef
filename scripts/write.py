"""Write stage: put rendered pages on disk, touching only what changed.

Writing only changed files keeps `mkdocs serve` from rebuilding pages nobody edited. The writer
refuses a second write to one path and any path outside its folder, and removes the pages of its
generated folders that this run did not produce (a deleted statement loses its page).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any


class WriteError(Exception):
    """A write the generator must never make (a path twice, or outside the output folder), or
    one the system refused (a read-only or full disk); the message is one line that says which
    file and why."""


def _is_file(owned: str) -> bool:
    """An owned entry with an extension (`index.md`) is a file; any other is a folder."""
    return bool(PurePosixPath(owned).suffix)


@dataclass
class Writer:
    """Writes files under `root`; `owned` are the folders (`statements`) and files (`index.md`:
    names with an extension) the generator owns there."""

    root: Path
    owned: tuple[str, ...]
    written: set[Path] = field(default_factory=set)
    changed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    """What `remove_stale` deleted."""
    kept: set[Path] = field(default_factory=set)
    """Files counted as written without being written (`keep`)."""

    def write(self, relative: str, content: str) -> None:
        """Write one file if its content differs from what is on disk."""
        target = (self.root / relative).resolve()
        root = self.root.resolve()
        if root not in target.parents:
            raise WriteError(f"refusing to write outside {root}: {relative}")
        if not any(
            (target == root / o) if _is_file(o) else ((root / o) in target.parents)
            for o in self.owned
        ):
            raise WriteError(f"refusing to write outside the generated folders: {relative}")
        if target in self.written and target not in self.kept:
            raise WriteError(f"refusing to write {relative} twice in one run")
        self.kept.discard(target)
        self.written.add(target)
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError as error:  # a lone surrogate: the loader refuses them
            raise WriteError(
                f"cannot write {self._shown(relative)}: it holds U+{ord(content[error.start]):04X},"
                " which is not a character"
            ) from None
        try:
            if target.is_file() and target.read_bytes() == data:
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            # A new file renamed over the old, never the old one written into: the built site
            # links the downloads and feeds of docs/ (scripts/builder/shards.py `copied`), and
            # the live site must not change before its swap; a failed write leaves the old.
            fresh = target.with_name(f".{target.name}.writing")
            try:
                fresh.write_bytes(data)
                os.replace(fresh, target)
            finally:
                fresh.unlink(missing_ok=True)
        except OSError as error:
            raise WriteError(f"cannot write {self._shown(relative)}: {_reason(error)}") from error
        self.changed.append(target)

    def keep(self, relative: str) -> None:
        """Count a file as written by this run without touching it (a page the cache says is
        on disk as this run would write it)."""
        target = (self.root / relative).resolve()
        if target not in self.written:
            self.written.add(target)
            self.kept.add(target)

    def stamp(self, relative: str) -> tuple[int, int] | None:
        """A written file's size and modification time (nanoseconds), or None if it is gone."""
        try:
            found = (self.root / relative).stat()
        except OSError:
            return None
        return found.st_size, found.st_mtime_ns

    def _shown(self, relative: str | Path) -> str:
        """A path under `root` as the reader knows it: docs/statements/x.md."""
        return str(PurePosixPath(self.root.name, PurePosixPath(relative).as_posix()))

    def remove_stale(self) -> list[Path]:
        """Delete files in the owned folders that this run did not write; returns them.
        Symbolic links are removed, never followed: nothing outside `root` is deleted."""
        root = self.root.resolve()
        stale = []
        for owned in self.owned:
            base = root / owned
            if _is_file(owned):
                candidates = [base] if base.is_file() or base.is_symlink() else []
            else:
                candidates = _files_under(base)
            stale += [p for p in candidates if p not in self.written]
        self.removed = stale
        try:
            for path in stale:
                path.unlink()
            for owned in self.owned:  # empty folders left behind by deleted pages
                base = root / owned
                if not _is_file(owned) and base.is_dir() and not base.is_symlink():
                    for folder, _, _ in os.walk(base, topdown=False):
                        if Path(folder) != base and not any(Path(folder).iterdir()):
                            Path(folder).rmdir()
        except OSError as error:
            failed = Path(str(error.filename or root))
            where = self._shown(failed.relative_to(root)) if failed.is_relative_to(root) else failed
            raise WriteError(
                f"cannot remove {where}, a page this run no longer makes: {_reason(error)}"
            ) from error
        return stale


def _reason(error: OSError) -> str:
    """An OSError's reason in words: 'Permission denied', 'No space left on device'."""
    return error.strerror or str(error)


def _files_under(folder: Path) -> list[Path]:
    """Files and symbolic links in a folder and its subfolders, links not followed; nothing if
    the folder is itself a link."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    found = []
    for parent, folders, files in os.walk(folder):
        found += [Path(parent, name) for name in files]
        found += [Path(parent, name) for name in folders if Path(parent, name).is_symlink()]
    return sorted(found)


@dataclass
class PagesRecord:
    """What the last run wrote, by job: the job's digest and each of its files with its size and
    modification time as written (kept in .build/pages.json by the pipeline). A job whose digest
    is unchanged and whose files are all still as written need not be rendered again; a file
    touched since, by anyone, no longer matches, and its job is rendered again."""

    jobs: dict[str, tuple[str, list[tuple[str, int, int]]]] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: dict[str, Any]) -> PagesRecord:
        """The record from a store's entries; an empty one if they are of another form."""
        try:
            jobs = {
                name: (str(digest), [(str(f), int(size), int(mtime)) for f, size, mtime in files])
                for name, (digest, files) in entries.items()
            }
        except (ValueError, TypeError, AttributeError):
            return cls()
        return cls(jobs)

    def unchanged(self, name: str, digest: str, writer: Writer) -> list[str] | None:
        """The job's files if the last run wrote them from the same digest and they are still
        as written; else None."""
        entry = self.jobs.get(name)
        if entry is None or entry[0] != digest:
            return None
        files = entry[1]
        for relative, size, mtime in files:
            if writer.stamp(relative) != (size, mtime):
                return None
        return [relative for relative, _, _ in files]
