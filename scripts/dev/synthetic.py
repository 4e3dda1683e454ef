"""A synthetic archive of N statements for benchmarks and scale tests — never written into data/.

Deterministic for a given N and seed. The shape follows real statements: 3 to 6 sections, excerpts
of 40 to 90 words, some annotations, tags drawn from the real vocabularies with a few countries,
forums and topics far more frequent than the rest (as in real archives), and some Chinese text.
The format's second edition too, so that the benchmark measures its pages: synthetic actors
(data/actors.yml) tagged on statements, sections and a few excerpts; series (data/series.yml)
whose statements get their rounds in date order, as `make check` requires; participants (guests,
observers, hosts) who are never issuers; paragraph labels. Those are drawn from a generator of
their own for each statement, so the rest of a statement is what it was before them.
The words are filler: this is test data, not statements.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from scripts.load import iso_country_names
from scripts.site import GENERATED_PATHS

_FILLER = (
    "both sides agreed to strengthen cooperation in the field of regional security and stability "
    "reaffirmed their commitment to the principles of international law and the charter of the "
    "united nations called for dialogue negotiation and the peaceful settlement of disputes "
    "expressed concern over the situation supported efforts to promote development trade energy "
    "connectivity and people to people exchanges opposed unilateral sanctions and interference in "
    "internal affairs noted the important role of multilateral mechanisms and platforms welcomed "
    "progress on the implementation of agreements reached by the leaders stressed the need to "
    "counter terrorism extremism and transnational organised crime"
)
_FILLER_ZH = "双方 同意 加强 合作 地区 安全 稳定 和平 发展 支持 国际法 对话 协商 反对 单边 制裁"
WORDS = _FILLER.split()
CHINESE = _FILLER_ZH.split()


YEARS = 26
"""Statements are dated 2000 to 2025: every date in the past (`make check` refuses a future one)."""
ACTORS = 40
"""Synthetic actors (data/actors.yml of the synthetic archive)."""
ACTOR_KINDS = ("armed-group", "alliance", "de-facto-authority", "organisation", "movement")
SERIES = 60
"""Synthetic series (data/series.yml); every SERIES_EVERY-th statement belongs to one."""
SERIES_EVERY = 5
ROLES = ("guest", "observer", "host", "participant", "mediator")


def synthetic_actors() -> list[dict[str, Any]]:
    """The synthetic archive's data/actors.yml."""
    return [
        {
            "id": f"synthetic-actor-{n:02d}",
            "name": f"Synthetic actor {n}",
            "kind": ACTOR_KINDS[n % len(ACTOR_KINDS)],
            "aliases": [],
        }
        for n in range(1, ACTORS + 1)
    ]


def synthetic_series() -> list[dict[str, Any]]:
    """The synthetic archive's data/series.yml."""
    return [
        {"id": f"synthetic-series-{n:02d}", "name": f"Synthetic consultations {n}"}
        for n in range(1, SERIES + 1)
    ]


def _words(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _weighted(rng: random.Random, items: list[str], count: int) -> list[str]:
    """`count` distinct items, early items far more likely (a Zipf-like spread)."""
    weights = [1 / (rank + 1) for rank in range(len(items))]
    chosen: dict[str, None] = {}
    while len(chosen) < min(count, len(items)):
        chosen[rng.choices(items, weights)[0]] = None
    return list(chosen)


def _second_edition(
    statement: dict[str, Any], number: int, seed: int, countries: list[str], forums: list[str]
) -> None:
    """Actors, participants, paragraph labels, excerpt tags and the series (its round comes
    later, from the dates of all its statements: `synthetic_statements`), from a generator of
    the statement's own."""
    rng = random.Random(f"{seed}-second-edition-{number}")
    actors = [a["id"] for a in synthetic_actors()]
    if rng.random() < 0.2:
        statement["actors"] = _weighted(rng, actors, 1)
    parties = set(statement["parties"])
    if rng.random() < 0.3:
        guests = [c for c in _weighted(rng, countries, rng.randint(1, 3)) if c not in parties]
        statement["participants"] = [{"country": c, "role": rng.choice(ROLES)} for c in guests]
        if forums and rng.random() < 0.3:
            statement["participants"].append({"forum": rng.choice(forums), "role": "observer"})
        if not statement["participants"]:
            del statement["participants"]
    label = 0
    for section in statement["sections"]:
        if rng.random() < 0.25:
            section["actors"] = _weighted(rng, actors, rng.randint(1, 2))
        for excerpt in section["excerpts"]:
            label += 1
            if rng.random() < 0.5:
                excerpt["paragraph"] = str(label)
            if rng.random() < 0.1:
                excerpt["actors"] = _weighted(rng, actors, 1)
    if number % SERIES_EVERY == 0:
        statement["series"] = f"synthetic-series-{1 + (number // SERIES_EVERY) % SERIES:02d}"


def synthetic_statement(
    number: int, rng: random.Random, countries: list[str], forums: list[str], topics: list[str]
) -> dict[str, Any]:
    """One statement's data, as a contributor would write it."""
    year = 2000 + number % YEARS
    month = 1 + number % 12
    statement_id = f"{year}-{month:02d}-synthetic-{number:06d}"
    sections = []
    for s in range(rng.randint(3, 6)):
        excerpts: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 3)):
            excerpt: dict[str, Any] = {"text": _words(rng, 40, 90)}
            if rng.random() < 0.15:
                excerpt["original"] = {
                    "language": "zh",
                    "text": "".join(rng.choice(CHINESE) for _ in range(rng.randint(15, 40))),
                }
            excerpts.append(excerpt)
        section: dict[str, Any] = {
            "id": f"section-{s + 1}",
            "heading": _words(rng, 2, 6).rstrip("."),
            "countries": _weighted(rng, countries, rng.randint(0, 3)),
            "forums": _weighted(rng, forums, rng.randint(0, 2)),
            "topics": _weighted(rng, topics, rng.randint(1, 3)),
            "excerpts": excerpts,
        }
        if rng.random() < 0.4:
            words = excerpts[0]["text"].split()
            start = rng.randint(0, len(words) - 4)
            section["annotations"] = [
                {"quote": " ".join(words[start : start + 3]), "note": _words(rng, 15, 40)}
            ]
        sections.append(section)
    statement: dict[str, Any] = {
        "id": statement_id,
        "title": f"Synthetic statement {number}: " + _words(rng, 3, 8).rstrip("."),
        "date": f"{year}-{month:02d}-{1 + number % 28:02d}",
        "kind": rng.choice(["joint-statement", "declaration", "communique", "press-statement"]),
        "parties": _weighted(rng, countries, rng.randint(1, 3)),
        "summary": _words(rng, 30, 60),
        "sources": [
            {
                "id": "official",
                "title": f"Synthetic source {number}",
                "url": f"https://example.org/statements/{statement_id}",
                "kind": "official-text",
            }
        ],
        "sections": sections,
    }
    if number > 0 and rng.random() < 0.1:
        earlier = rng.randrange(number)
        statement["related"] = [
            {
                "id": f"{2000 + earlier % YEARS}-{1 + earlier % 12:02d}-synthetic-{earlier:06d}",
                # A statement follows only an earlier one (make check refuses the other way).
                "relation": "follows" if earlier % YEARS < number % YEARS else "see-also",
            }
        ]
    return statement


def synthetic_statements(count: int, vocabulary_root: Path, seed: int = 1) -> dict[str, str]:
    """`count` statement files as YAML text, keyed by path under the archive root."""
    rng = random.Random(seed)
    iso = sorted(iso_country_names())
    # Frequent countries first, the rest in a fixed shuffled order.
    head = ["CN", "RU", "US", "IN", "IR", "AF", "PK", "BR", "ZA", "KZ"]
    tail = [c for c in iso if c not in head]
    random.Random(seed).shuffle(tail)
    forums = [f["id"] for f in _vocabulary(vocabulary_root, "forums")]
    topics = [t["id"] for t in _vocabulary(vocabulary_root, "topics")]
    statements = []
    for number in range(count):
        data = synthetic_statement(number, rng, head + tail, forums, topics)
        _second_edition(data, number, seed, head + tail, forums)
        statements.append(data)
    _number_rounds(statements)
    files = {}
    for data in statements:
        year = data["date"][:4]
        files[f"data/statements/{year}/{data['id']}.yml"] = yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=100
        )
    return files


def _number_rounds(statements: list[dict[str, Any]]) -> None:
    """Each series' statements numbered 1, 2 … in date order (then by id), as `make check`
    wants them: a round never earlier in date than the round before."""
    members: dict[str, list[dict[str, Any]]] = {}
    for data in statements:
        if "series" in data:
            members.setdefault(data["series"], []).append(data)
    for found in members.values():
        for round_number, data in enumerate(sorted(found, key=lambda d: (d["date"], d["id"])), 1):
            data["round"] = str(round_number)


def synthetic_vocabularies() -> dict[str, str]:
    """The synthetic archive's actors.yml and series.yml, keyed by path under its root."""
    return {
        "data/actors.yml": yaml.safe_dump(synthetic_actors(), sort_keys=False, width=100),
        "data/series.yml": yaml.safe_dump(synthetic_series(), sort_keys=False, width=100),
    }


def _vocabulary(root: Path, name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(
        (root / "data" / f"{name}.yml").read_text(encoding="utf-8")
    )
    return loaded


def write_synthetic_archive(source: Path, target: Path, count: int, seed: int = 1) -> None:
    """A buildable copy of the repository at `source` in `target`, its statements replaced by
    `count` synthetic ones."""
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(source / name, target / name)
    shutil.copytree(source / "docs", target / "docs", dirs_exist_ok=True, ignore=_generated)
    (target / "data").mkdir(parents=True, exist_ok=True)
    for name in ("countries", "forums", "topics", "kinds"):
        shutil.copy2(source / "data" / f"{name}.yml", target / "data" / f"{name}.yml")
    files = {**synthetic_vocabularies(), **synthetic_statements(count, source, seed)}
    for path, text in files.items():
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")


def _generated(folder: str, names: list[str]) -> set[str]:
    """Leave the generator's own output out of the copy of docs/."""
    if Path(folder).name != "docs":
        return set()
    return {n for n in names if n in GENERATED_PATHS}
