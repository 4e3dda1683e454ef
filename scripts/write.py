"""Write stage: put rendered pages on disk, touching only what changed.

Writing only changed files keeps `mkdocs serve` from rebuilding pages nobody edited. The writer
refuses a second write to one path and any path outside its folder, and removes the pages of its
generated folders that this run did not produce (a deleted statement loses its page).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


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
        if target in self.written:
            raise WriteError(f"refusing to write {relative} twice in one run")
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
            target.write_bytes(data)
        except OSError as error:
            raise WriteError(f"cannot write {self._shown(relative)}: {_reason(error)}") from error
        self.changed.append(target)

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
