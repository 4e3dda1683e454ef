"""`python -m scripts changes --base <git ref>`: what a pull request changes in the archive, as
Markdown for the PR check's job summary.

It diffs data/ between the merge base of `--base` and HEAD (`git diff --name-status`), reads each
changed statement file as committed at HEAD (and at the merge base, for a file changed or
removed), and lists the statements added, changed and removed with their page paths, the pages
(countries, forums, topics, actors, series) they reach before or after the change, and the
vocabulary entries added, changed or removed. A file that cannot be read is listed as such;
`make check` says why. Everything here is read from git, never from the working tree: commit
first.

Contributor text (titles, file names) is escaped: the summary shows it, never runs it as markup.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from scripts.load import LoadError, iso_country_names, load_text
from scripts.model import PartialDate
from scripts.site import (
    HUB_FOLDERS,
    SERIES_FOLDER,
    STATEMENTS_DIR,
    VOCABULARY_NAMES,
    statement_url,
)

HUB_VOCABULARIES = (*HUB_FOLDERS.values(), SERIES_FOLDER)
"""The vocabularies that have pages of their own, each in its folder: countries, forums, topics
and actors (hubs), series (data/series.yml, pages at series/<id>/)."""
_WHAT = {
    "countries": "Countries",
    "forums": "Forums",
    "topics": "Topics",
    "actors": "Actors",
    "series": "Series",
    "kinds": "Kinds",
}
_PARTICIPANT_FOLDERS = {"country": "countries", "forum": "forums", "actor": "actors"}
_SAFE_CODE = re.compile(r"^[A-Za-z0-9._/@+~^-]+$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
"""What could start markup inside a line (emphasis, code, links, tables, strikethrough); text
never starts a line here, so list and heading markers need no escape."""


class GitError(Exception):
    """A git command that failed, with its message."""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "changes",
        help="the statements and pages a branch changes, as Markdown (for the PR summary)",
        description="Compare data/ at HEAD with the merge base of --base and HEAD; print the "
        "statements added, changed and removed, and the hub pages they touch, as Markdown.",
    )
    parser.add_argument("--base", required=True, help="the git ref to compare with: main, HEAD^1")


# --- reading from git --------------------------------------------------------------------------


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"git {args[0]}: {error}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def merge_base(root: Path, base: str) -> str:
    """The commit HEAD is compared with: where it left `base` (`base` itself if unrelated)."""
    try:
        found = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except GitError:
        raise GitError(f"'{base}' is not a commit in this repository (fetch it first?)") from None
    base_commit = found.decode().strip()
    try:
        return _git(root, "merge-base", base_commit, "HEAD").decode().strip()
    except GitError:  # no history in common
        return base_commit


@dataclass(frozen=True)
class Change:
    """One file of data/ that differs: A(dded), M(odified) or D(eleted)."""

    status: str
    path: str


def changed_files(root: Path, base: str) -> list[Change]:
    """The files under data/ that differ between `base` and HEAD, sorted by path. Renames are
    not guessed from similar contents (statement files all look alike); a statement that moves
    keeps its id, which is how `compare` pairs a removed file with an added one."""
    out = _git(root, "diff", "--name-status", "-z", "--no-renames", base, "HEAD", "--", "data")
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    pairs = zip(fields[0::2], fields[1::2], strict=False)
    changes = [Change(status[:1] if status[:1] in "AD" else "M", path) for status, path in pairs]
    return sorted((c for c in changes if c.path), key=lambda c: c.path)


def _read(root: Path, commit: str, path: str) -> tuple[Any, str | None]:
    """The data of `path` as committed in `commit`, or None and why it cannot be read."""
    try:
        raw = _git(root, "show", f"{commit}:{path}")
    except GitError as error:
        return None, str(error)
    try:
        return load_text(raw, Path(path)).data, None
    except LoadError as error:
        return None, f"line {error.place.line}: {error.message}"


# --- what a statement reaches --------------------------------------------------------------------


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def hubs_of(data: Any) -> set[tuple[str, str]]:
    """The pages a statement's data reaches: (folder, id) for each party and issuing forum, each
    country, forum, topic and actor it, one of its sections or one of their excerpts names, each
    participant (its hub lists what it took part in) and its series."""
    if not isinstance(data, dict):
        return set()
    hubs = {("countries", code) for code in _texts(data.get("parties"))}
    if isinstance(data.get("issuing_forum"), str):
        hubs.add(("forums", data["issuing_forum"]))
    if isinstance(data.get("series"), str):
        hubs.add((SERIES_FOLDER, data["series"]))
    sections = [s for s in _list(data.get("sections")) if isinstance(s, dict)]
    excerpts = [e for s in sections for e in _list(s.get("excerpts")) if isinstance(e, dict)]
    for node in [data, *sections, *excerpts]:
        for folder in HUB_FOLDERS.values():
            hubs |= {(folder, tag) for tag in _texts(node.get(folder))}
    for participant in _list(data.get("participants")):
        if isinstance(participant, dict):
            for field, folder in _PARTICIPANT_FOLDERS.items():
                hubs |= {(folder, tag) for tag in _texts([participant.get(field)])}
    return hubs


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _related(data: Any) -> set[str]:
    if not isinstance(data, dict) or not isinstance(data.get("related"), list):
        return set()
    return {
        r["id"] for r in data["related"] if isinstance(r, dict) and isinstance(r.get("id"), str)
    }


@dataclass
class Summary:
    """What the comparison found."""

    base: str
    commit: str
    statements: list[tuple[str, str, Any, str | None]] = field(default_factory=list)
    """(how: added / changed / removed / moved from …, file, data shown, why it cannot be read)."""
    hubs: set[tuple[str, str]] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    """Statements whose pages list a changed statement as related."""
    vocabularies: list[tuple[str, list[str], list[str], list[str], str | None]] = field(
        default_factory=list
    )
    """(file, added ids, changed ids, removed ids, why it cannot be read)."""
    other: list[tuple[str, str]] = field(default_factory=list)
    """Other files under data/: (how, file)."""
    names: dict[tuple[str, str], str] = field(default_factory=dict)


def compare(root: Path, base: str) -> Summary:
    """Everything HEAD changes in data/ since it left `base`."""
    commit = merge_base(root, base)
    summary = Summary(base, commit)
    found: list[_Version] = []
    for change in changed_files(root, commit):
        path = PurePosixPath(change.path)
        is_statement = path.is_relative_to(STATEMENTS_DIR) and path.suffix == ".yml"
        vocabulary = path.parent == PurePosixPath("data") and path.stem in VOCABULARY_NAMES
        if not is_statement and not vocabulary:
            how = {"A": "added", "D": "removed"}.get(change.status, "changed")
            summary.other.append((how, change.path))
            continue
        new, new_error = _read(root, "HEAD", change.path) if change.status != "D" else (None, None)
        old, old_error = _read(root, commit, change.path) if change.status != "A" else (None, None)
        if vocabulary:
            error = new_error if change.status != "D" else old_error
            summary.vocabularies.append((change.path, *_entries_changed(old, new), error))
        else:
            found.append(_Version(change, new, new_error, old, old_error))
    for version in _pair_moves(found):
        change = version.change
        how = version.moved_from or {"A": "added", "D": "removed"}.get(change.status, "changed")
        shown, error = (
            (version.old, version.old_error)
            if change.status == "D"
            else (version.new, version.new_error)
        )
        summary.statements.append((how, change.path, shown, error))
        summary.hubs |= hubs_of(version.new) | hubs_of(version.old)
        summary.related |= _related(version.new) | _related(version.old)
    summary.related -= {_id(data) for _, _, data, _ in summary.statements}
    summary.hubs |= _broader_topics(root, commit, summary.hubs)
    summary.names = _names(root, commit)
    return summary


def _broader_topics(root: Path, commit: str, hubs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The hubs of the broader topics above the topics reached (a broader topic's hub gathers
    its narrower topics'), by the `parent`s of data/topics.yml at HEAD and at the base."""
    parents: dict[str, set[str]] = {}
    for at in (commit, "HEAD"):
        data, _ = _read(root, at, "data/topics.yml")
        for entry in data if isinstance(data, list) else []:
            if isinstance(entry, dict) and len(_texts([entry.get("id"), entry.get("parent")])) == 2:
                parents.setdefault(entry["id"], set()).add(entry["parent"])
    found: set[tuple[str, str]] = set()
    todo = [topic for folder, topic in hubs if folder == "topics"]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if ("topics", parent) not in found:
                found.add(("topics", parent))
                todo.append(parent)
    return found


@dataclass(frozen=True)
class _Version:
    """A changed statement file: its data at HEAD and at the base, or why either is unreadable."""

    change: Change
    new: Any
    new_error: str | None
    old: Any
    old_error: str | None
    moved_from: str | None = None
    """'moved from <path>': the file was removed there and added here with the same id."""


def _pair_moves(found: list[_Version]) -> list[_Version]:
    """A removed file and an added one with the same id are one statement that moved."""
    removed = {_id(v.old): v for v in found if v.change.status == "D" and _id(v.old)}
    moved: set[str] = set()
    result = []
    for version in found:
        before = removed.get(_id(version.new)) if version.change.status == "A" else None
        if before is not None and before.change.path not in moved:
            moved.add(before.change.path)
            result.append(
                _Version(
                    Change("M", version.change.path),
                    version.new,
                    version.new_error,
                    before.old,
                    before.old_error,
                    f"moved from {before.change.path}",
                )
            )
        else:
            result.append(version)
    return [v for v in result if v.change.path not in moved or v.change.status != "D"]


def _entries_changed(old: Any, new: Any) -> tuple[list[str], list[str], list[str]]:
    """Ids added, changed and removed between two versions of a vocabulary file."""

    def by_id(data: Any) -> dict[str, Any]:
        if not isinstance(data, list):
            return {}
        return {e["id"]: e for e in data if isinstance(e, dict) and isinstance(e.get("id"), str)}

    before, after = by_id(old), by_id(new)
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = sorted(i for i in after.keys() & before.keys() if after[i] != before[i])
    return added, changed, removed


def _names(root: Path, commit: str) -> dict[tuple[str, str], str]:
    """Display names of hub ids, from the vocabularies at HEAD (then at the base, then ISO)."""
    names: dict[tuple[str, str], str] = {
        ("countries", code): name for code, name in iso_country_names().items()
    }
    for at in (commit, "HEAD"):
        for folder in HUB_VOCABULARIES:
            data, _ = _read(root, at, f"data/{folder}.yml")
            for entry in data if isinstance(data, list) else []:
                if (
                    isinstance(entry, dict)
                    and len(_texts([entry.get("id"), entry.get("name")])) == 2
                ):
                    names[folder, entry["id"]] = entry["name"]
    return names


def _id(data: Any) -> str | None:
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


# --- Markdown ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text shown as itself in Markdown: punctuation escaped, `&`, `<`, `>` as entities, one
    line."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """A path or an id in a code span if it is plain, else escaped text."""
    return f"`{text}`" if _SAFE_CODE.match(text) else escape(text)


def _date(data: dict[str, Any]) -> str:
    date = data.get("date")
    if not isinstance(date, str):
        return "undated"
    try:
        return PartialDate.parse(date).display
    except ValueError:
        return date


def _statement_line(how: str, file: str, data: Any, error: str | None) -> str:
    if error is not None or not isinstance(data, dict):
        why = error or "not a mapping"
        return f"- **{escape(how)}** {code(file)}: cannot be read ({escape(why)}); see `make check`"
    statement_id = _id(data)
    page = code(statement_url(statement_id)) if statement_id else "no id"
    title = data.get("title")
    title = escape(title) if isinstance(title, str) else "untitled"
    return f"- **{escape(how)}** {page} — {title} ({escape(_date(data))}) — {code(file)}"


def markdown(summary: Summary) -> str:
    """The summary as Markdown."""
    lines = [
        "## What this changes in the archive",
        "",
        f"Compared with {code(summary.base)} (merge base {code(summary.commit[:12])}).",
        "",
    ]
    if not (summary.statements or summary.vocabularies or summary.other):
        return "\n".join([*lines, "No file in data/ changes.", ""])
    counts = {how: 0 for how in ("added", "changed", "removed")}
    for how, _, _, _ in summary.statements:
        counts[how if how in counts else "changed"] += 1
    if summary.statements:
        lines += [
            f"### Statements: {counts['added']} added, {counts['changed']} changed,"
            f" {counts['removed']} removed",
            "",
            *(_statement_line(*entry) for entry in summary.statements),
            "",
        ]
    if summary.hubs:
        lines += ["### Hub pages they reach", ""]
        for folder in HUB_VOCABULARIES:
            ids = sorted(i for f, i in summary.hubs if f == folder)
            if ids:
                pages = ", ".join(_hub(summary, folder, i) for i in ids)
                lines.append(f"- {_WHAT[folder]} ({len(ids)}): {pages}")
        lines.append("")
    if summary.related:
        pages = ", ".join(code(statement_url(i)) for i in sorted(summary.related))
        lines += [f"Statement pages that list them as related: {pages}", ""]
    if summary.vocabularies:
        lines += ["### Vocabularies", ""]
        for file, added, changed, removed, error in summary.vocabularies:
            lines.append(_vocabulary_line(summary, file, added, changed, removed, error))
        lines.append("")
    if summary.other:
        lines += ["### Other files in data/", ""]
        lines += [f"- **{how}** {code(file)}" for how, file in summary.other]
        lines.append("")
    return "\n".join(lines)


def _hub(summary: Summary, folder: str, hub_id: str) -> str:
    name = summary.names.get((folder, hub_id))
    shown = f" {escape(name)}" if name else " (not in the vocabulary)"
    return f"{code(f'{folder}/{hub_id.lower()}/')}{shown}"


def _vocabulary_line(
    summary: Summary,
    file: str,
    added: list[str],
    changed: list[str],
    removed: list[str],
    error: str | None,
) -> str:
    if error is not None:
        return f"- {code(file)}: cannot be read ({escape(error)}); see `make check`"
    folder = PurePosixPath(file).stem
    parts = []
    for how, ids in (("added", added), ("changed", changed), ("removed", removed)):
        if ids:
            shown = ", ".join(_entry(folder, i) for i in ids)
            parts.append(f"{how} {shown}")
    return f"- {code(file)}: {'; '.join(parts) if parts else 'comments or order only'}"


def _entry(folder: str, entry_id: str) -> str:
    if folder in HUB_VOCABULARIES:
        return f"{code(entry_id)} ({code(f'{folder}/{entry_id.lower()}/')})"
    return code(entry_id)


def run(root: Path, args: argparse.Namespace) -> int:
    try:
        summary = compare(root, args.base)
    except GitError as error:
        print(f"changes: {error}", file=sys.stderr)
        return 2
    print(markdown(summary))
    return 0
