"""The one base statement the tests change a thing in, and the helpers that write statements into
an archive and say what `make check` prints for them. Fictional, like every fixture."""

from __future__ import annotations

import re
from pathlib import Path

FILE = "data/statements/2026/2026-05-21-hostile.yml"
BASE = """\
id: 2026-05-21-hostile
title: A test statement
date: 2026-05-21
date_note: Issued during the visit.
kind: joint-statement
parties: [CN, RU]
place: Beijing
signatories:
  - {name: Xi Jinping, role: President, country: CN}
summary: Both sides spoke of peace.
sources:
  - id: report
    title: A report
    publisher: A publisher
    url: https://example.org/report
    published: 2026-05-22
sections:
  - id: afghanistan
    heading: Afghanistan
    countries: [AF]
    forums: [sco]
    topics: [counter-terrorism]
    summary: A section summary.
    excerpts:
      - text: Both sides support lasting peace and stability in Afghanistan.
        source: report
        original: {language: zh, text: 双方支持阿富汗的持久和平与稳定。}
    annotations:
      - quote: lasting peace and stability
        note: An editorial note.
"""
"""A valid statement with every kind of field; a test changes one thing in it."""


def changed(old: str, new: str, text: str = BASE) -> str:
    """`text` with `old`, which occurs exactly once, replaced by `new`."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(line: int, col: int, message: str, file: str = FILE) -> str:
    """A problem line as `make check` prints it."""
    return f"{file}:{line}:{col}: {message}"


def write(root: Path, relative: str, content: str | bytes) -> Path:
    """Write a file into the archive at `root` (folders made as needed)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


_PLACE = re.compile(r"^(.*?):(\d+):(\d+): ")


def expected_report(lines: list[str] | tuple[str, ...]) -> str:
    """What `check` prints on stderr for these problem lines: them, then the count."""
    files = len({match[1] for line in lines if (match := _PLACE.match(line))})
    count = len(lines)
    total = f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    return "\n".join([*lines, total]) + "\n"
