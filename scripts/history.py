"""When each statement file entered the archive and when it last changed, read from git: the
only I/O behind the feeds' dates (scripts/render/feeds.py takes the result as a plain mapping).

One `git log` for the whole data/statements tree, oldest commit first, each commit with the files
it added, modified, renamed, copied or deleted. For each file that exists at the end:

- `added`: the date of the commit that added it. A rename carries the date over (a statement
  moved from undated/ to its year's folder, once its date is found, was not added anew); a copy
  is a new file; a file deleted and added again counts from the second time.
- `changed`: the date of the latest commit that touched it (added, edited or moved).

Dates are committer dates, so two builds of the same commits give the same dates, wherever and
whenever they run: never a file's mtime, never the time of the build. Only the first-parent
line is followed, merges compared with their first parent: on the main branch, a statement is
dated by the commit that brought it into the archive's own history (the merge of its pull
request), not by when its contributor first committed it elsewhere.

A tree that is not a git checkout, a git that is missing or fails, or a shallow clone's missing
past give what can be had: {} when nothing can be read (the feeds then fall back on the data's
own dates). A shallow clone knows only its own commits, so its oldest commit "adds" every file:
the deploy builds from the whole history (.github/workflows/deploy.yml, fetch-depth: 0).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STATEMENTS = "data/statements"
"""The tree read, relative to the archive's root; keys of the mapping start with it."""
GIT_TIMEOUT = 120
"""Seconds the one `git log` may take before the history is given up as unknown."""
_COMMIT = "commit "


@dataclass(frozen=True)
class FileDates:
    """What git says of one statement file."""

    added: dt.datetime
    """When the file came into the archive (UTC, from the committer date)."""
    changed: dt.datetime
    """When a commit last touched it (UTC); never before `added`."""


History = Mapping[str, FileDates]
"""File path relative to the root, as a statement's `path` ("data/statements/2026/x.yml") →
its dates."""


def git_log(root: Path) -> str | None:
    """The raw log of `root`/data/statements (see `parse_log`), or None if git cannot give it."""
    command = [
        "git",
        "-c",
        "core.quotePath=false",  # paths as they are (statement file names are plain anyway)
        "-C",
        str(root),
        "log",
        "--reverse",
        "--first-parent",
        "--diff-merges=first-parent",
        "--name-status",
        "--find-renames",
        "--relative",  # paths relative to root, even when root is a folder inside a checkout
        f"--format={_COMMIT}%ct",
        "--",
        STATEMENTS,
    ]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=GIT_TIMEOUT
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return completed.stdout if completed.returncode == 0 else None


def parse_log(log: str) -> dict[str, FileDates]:
    """The dates of every file that exists after the last commit of `log`: the output of
    `git log --reverse --name-status --format='commit %ct'`, oldest commit first. Lines that are
    neither a commit nor a file status are skipped."""
    dates: dict[str, FileDates] = {}
    when: dt.datetime | None = None
    for line in log.splitlines():
        if line.startswith(_COMMIT):
            stamp = line.removeprefix(_COMMIT).strip()
            when = dt.datetime.fromtimestamp(int(stamp), dt.UTC) if stamp.isdigit() else None
            continue
        status, *paths = line.split("\t")
        if when is None or not paths:
            continue
        kind, path = status[:1], paths[-1]
        if kind == "D":
            dates.pop(path, None)
        elif kind == "R" and len(paths) == 2:
            before = dates.pop(paths[0], None)
            added = before.added if before else when
            dates[path] = FileDates(added, max(added, when))
        elif kind in {"M", "T"} and path in dates:
            added = dates[path].added
            dates[path] = FileDates(added, max(added, when))
        elif kind in {"A", "C", "M", "T"}:  # a change to a file git has not shown added: new
            dates[path] = FileDates(when, when)
    return dates


def file_history(root: Path) -> dict[str, FileDates]:
    """Every statement file's dates from the git history of `root`; {} if there is none."""
    log = git_log(root)
    return parse_log(log) if log else {}
