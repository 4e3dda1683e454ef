"""The site's contract, the bottom layer: where the data lives, which folders the generator owns,
the address of every kind of page and feed, and the forms of ids and dates.

Every other module asks this one; none spells a path or a pattern of its own. It imports nothing
of the project's (see the layers contract in pyproject.toml).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

# --- the data ---------------------------------------------------------------------------------

STATEMENTS_DIR = "data/statements"
"""Statement files: data/statements/<YYYY>/<id>.yml, or undated/<id>.yml."""
UNDATED_FOLDER = "undated"
VOCABULARY_NAMES = ("countries", "forums", "topics", "kinds", "series", "actors")
"""The vocabulary files, data/<name>.yml, in the order they are checked and reported."""
OPTIONAL_VOCABULARIES = frozenset({"series", "actors"})
"""Vocabularies of the format's second edition: an archive without their file has none of them
(an archive made for the first edition stays valid)."""
SCHEMA_FILE = Path(__file__).resolve().with_name("statement.schema.json")
"""The statement JSON Schema (every data file's `$schema` line points at it)."""
VOCABULARY_SCHEMA_FILE = SCHEMA_FILE.with_name("vocabularies.schema.json")
PLACEHOLDER = "TO FILL IN"
"""What `make new` writes where the contributor must fill something in."""
PLACEHOLDER_SLUG = "to-fill-in"
"""The placeholder where only a slug or a URL will do."""


def vocabulary_file(name: str) -> str:
    """The vocabulary's file, from the repository root: data/topics.yml"""
    return f"data/{name}.yml"


def statement_folder(date: str | None) -> str:
    """The folder of a statement with this date (already of the date's form)."""
    return f"{STATEMENTS_DIR}/{date[:4] if date else UNDATED_FOLDER}"


@cache
def _schema_pattern(definition: str) -> re.Pattern[str]:
    """A `$defs` pattern of the statement schema as a Python pattern for `fullmatch`: the schema
    is the one place the form of a slug, a country code or a date is written."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    pattern: str = schema["$defs"][definition]["pattern"]
    return re.compile(pattern.removeprefix("^").removesuffix("$(?!\\n)"))


def is_slug(text: str) -> bool:
    """An id's form: lower-case words joined by single hyphens."""
    return _schema_pattern("slug").fullmatch(text) is not None


def is_country_code(text: str) -> bool:
    """An ISO 3166-1 alpha-2 code's form: two capitals."""
    return _schema_pattern("country").fullmatch(text) is not None


def is_date_form(text: str) -> bool:
    """A date's form, YYYY-MM-DD, YYYY-MM or YYYY; whether it is a real date is checked apart."""
    return _schema_pattern("date").fullmatch(text) is not None


# --- the generated pages ----------------------------------------------------------------------

HubKind = Literal["country", "forum", "topic", "actor"]
HUB_FOLDERS: dict[HubKind, str] = {
    "country": "countries",
    "forum": "forums",
    "topic": "topics",
    "actor": "actors",
}
TAG_FIELDS: dict[HubKind, str] = dict(HUB_FOLDERS)
"""The field of a statement, section or excerpt that names hubs of each kind (the same words)."""
SERIES_FOLDER = "series"
FEED_FILE = "feed.xml"
DATA_FOLDER = "data"
_GZIPPED_ONLY = re.compile(
    rf"(?:statements(?:-(?:[0-9]{{4}}|{UNDATED_FOLDER}))?\.json"
    rf"|sections(?:-(?:[0-9]{{4}}|{UNDATED_FOLDER}))?\.csv)"
)


def published(name: str) -> str:
    """The name a download the generator writes as data/`name` has on the built site. The
    statements' JSON and the sections CSV, the whole archive's and each year's, are offered
    gzipped only (`<name>.gz`, made by scripts/builder/shrink.py): most of data/'s weight, and
    every statement is also a JSON file of its own, uncompressed. The statements CSV stays as it
    is, for a spreadsheet, as does every other file. docs/ has them all as they are (`make
    serve` serves them so)."""
    return f"{name}.gz" if _GZIPPED_ONLY.fullmatch(name) else name


GENERATED_FOLDERS = (
    "statements",
    "countries",
    "forums",
    "topics",
    "actors",
    "series",
    "timeline",
    DATA_FOLDER,
    FEED_FILE,
    "compare",
)
"""Folders (and, with an extension, files) under docs/ that belong to the generator (git-ignored);
plus docs/index.md."""
GENERATED_PATHS = (*GENERATED_FOLDERS, "index.md")
"""Everything under docs/ the generator writes and may remove."""


def statement_url(statement_id: str, section: str | None = None) -> str:
    """Site path of a statement page, or of one of its sections: statements/x/#afghanistan"""
    return f"statements/{statement_id}/" + (f"#{section}" if section else "")


def statement_doc(statement_id: str) -> str:
    """The statement page's file under docs/."""
    return f"statements/{statement_id}.md"


def hub_url(kind: HubKind, hub_id: str) -> str:
    """Site path of a hub page, lower case: countries/af/, forums/sco/"""
    return f"{HUB_FOLDERS[kind]}/{hub_id.lower()}/"


def series_url(series_id: str) -> str:
    """Site path of a series page: series/moscow-format-consultations/"""
    return f"{SERIES_FOLDER}/{series_id}/"


def feed_url(hub: str | None = None) -> str:
    """Site path of a feed: feed.xml, or a hub's (`hub` its site path): countries/af/feed.xml"""
    return f"{hub or ''}{FEED_FILE}"


def page_url(doc_path: str) -> str:
    """Site path of a docs/ file: statements/x.md → statements/x/, topics/index.md → topics/."""
    stem = doc_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def doc_path(url: str) -> str:
    """The docs/ file of a page's site path (the inverse of `page_url` for folder pages)."""
    return f"{url}index.md"


@dataclass(frozen=True)
class SiteConfig:
    """Settings that are not data: where the repository lives, for edit links; where the site
    is served, for the absolute links of feeds and data files."""

    repo_url: str
    edit_branch: str
    site_url: str
    """The site's address, as mkdocs.yml's site_url: https://example.org/archive/"""

    def absolute(self, path: str) -> str:
        """The full address of a site path: statements/x/ → https://example.org/statements/x/"""
        return f"{self.site_url.rstrip('/')}/{path}"

    def edit_url(self, file: str) -> str:
        """Where a contributor edits a data file (its path from the repository root)."""
        return f"{self.repo_url.rstrip('/')}/edit/{self.edit_branch}/{file}"
