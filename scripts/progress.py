"""Where a long build is: its stage, the steps done of the total, the time it has taken.

In a terminal a live bar (rich); anywhere else — CI, a pipe, a log file — plain lines, one per
step while there are few and one per tenth of the way when there are many, so a log stays short
and says the same."""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

LINE_EVERY_STEP = 40
"""Up to this many steps, a plain line for each; above it, one per tenth."""


def interactive() -> bool:
    """Whether the output is a person's terminal (not CI, not redirected)."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class Stage:
    """One stage of the build, `total` steps of `unit` (pages, shards), told of each step."""

    def __init__(self, name: str, total: int, unit: str) -> None:
        self.name, self.total, self.unit = name, total, unit
        self.done = 0
        self.start = time.perf_counter()
        self._bar: Progress | None = None
        self._task = TaskID(0)
        self._tenth = 0

    def __enter__(self) -> Stage:
        self.start = time.perf_counter()
        if interactive() and self.total:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self.unit),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.name, total=self.total)
        return self

    def advance(self, note: str = "") -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1)
            return
        tenth = self.done * 10 // max(self.total, 1)
        if self.total <= LINE_EVERY_STEP or tenth > self._tenth or self.done == self.total:
            self._tenth = tenth
            elapsed = time.perf_counter() - self.start
            aside = f" · {note}" if note and self.total <= LINE_EVERY_STEP else ""
            print(
                f"{self.name}: {self.done}/{self.total} {self.unit}, {elapsed:.1f} s{aside}",
                file=sys.stderr,
                flush=True,
            )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            if kind is None:
                elapsed = time.perf_counter() - self.start
                print(
                    f"{self.name}: {self.done} {self.unit} in {elapsed:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
