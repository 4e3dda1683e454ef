"""Validate stage: pure checks that yield every problem with its place; never raises on bad data.

Inner checks speak of fields only and yield `Finding`s (a path into the data and a message); the
driver adds the file and the line:column once, at the outer layer. The rooms:

- `problems`: Finding, Problem, and how a place is written;
- `suggest`: did-you-mean;
- `schema`: the JSON Schema (scripts/statement.schema.json) and its messages;
- `rules`: rules any data file obeys (no raw HTML, real dates, nothing left to fill in);
- `statements`: the rules of one statement file, each one concern;
- `vocabulary`: the vocabulary files, and the ids statements take from them;
- `archive`: the driver, and the rules across files (unique ids, related statements).
"""

from scripts.validate.archive import FindingsMemo, validate_archive
from scripts.validate.problems import Problem, report

__all__ = ["FindingsMemo", "Problem", "report", "validate_archive"]
