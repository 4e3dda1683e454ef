"""Write stage: put rendered pages on disk, touching only what changed.

Writing only changed files keeps `mkdocs serve` from rebuilding pages nobody edited. The writer
refuses a second write to one path and any path outside its folder, and removes the pages of its
generated folders that this run did not produce (a deleted statement loses its page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class WriteError(Exception):
    """A write the generator must never make: a path twice, or outside the output folder."""


@dataclass
class Writer:
    """Writes files under `root`; `owned` are the folders (and files) the generator owns there."""

    root: Path
    owned: tuple[str, ...]
    written: set[Path] = field(default_factory=set)
    changed: list[Path] = field(default_factory=list)

    def write(self, relative: str, content: str) -> None:
        """Write one file if its content differs from what is on disk."""
        target = (self.root / relative).resolve()
        root = self.root.resolve()
        if root not in target.parents:
            raise WriteError(f"refusing to write outside {root}: {relative}")
        if not any(target == root / o or (root / o) in target.parents for o in self.owned):
            raise WriteError(f"refusing to write outside the generated folders: {relative}")
        if target in self.written:
            raise WriteError(f"refusing to write {relative} twice in one run")
        self.written.add(target)
        data = content.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.changed.append(target)

    def remove_stale(self) -> list[Path]:
        """Delete files in the owned folders that this run did not write; returns them."""
        root = self.root.resolve()
        stale = []
        for owned in self.owned:
            base = root / owned
            candidates = (
                [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
            )
            stale += [p for p in candidates if p.is_file() and p not in self.written]
        for path in stale:
            path.unlink()
        for owned in self.owned:  # empty folders left behind by deleted pages
            base = root / owned
            if base.is_dir():
                for folder in sorted(base.rglob("*"), reverse=True):
                    if folder.is_dir() and not any(folder.iterdir()):
                        folder.rmdir()
        return stale
