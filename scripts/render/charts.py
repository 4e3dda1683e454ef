"""Small pictures for pages: statements per year as an inline SVG bar chart (pure; returns Markup).

The chart is drawn from numbers only — years and counts — so nothing a contributor wrote can
reach it; `year_chart` refuses anything but integers. It reads without JavaScript: every bar
carries a `<title>` ("2021: 3 statements") for a pointer, the picture as a whole has `role="img"`
and an `aria-label` that sums it up, and `year_table` gives the same counts as a table for a
screen reader or a reader who wants the exact figures.

Geometry, in the SVG's own units, which are CSS pixels at its natural size: the picture is at
most `WIDTH` wide, so it fits a phone's column (358 px at 390 px) without being scaled down and
its 12-unit text stays 12 px. Years in between that have no statement get an empty slot, so the
horizontal axis is time; a span of more than `MAX_BARS` years is drawn in buckets of 2, 5, 10 …
years (a bar's title then names the first and the last year of its bucket).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from scripts.model import Statement

WIDTH = 352
"""The widest the picture gets, at most a phone's text column."""
MAX_BARS = 40
"""More years than this are grouped into buckets of several years."""
BUCKET_YEARS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
MAX_SLOT = 36
"""The widest slot a bar gets (few bars make a small picture, not wide bars)."""
LEFT, RIGHT, TOP, BOTTOM = 30, 16, 18, 22
"""Margins: the value axis on the left, half a year label on the right, counts above the
bars, year labels below."""
PLOT_HEIGHT = 72
FONT = 12
"""Text size in units; a digit is taken as 0.6 of it wide."""
LABEL_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
"""Label every bar, or every 2nd, 5th … where labels would otherwise touch."""


def statements_per_year(statements: Iterable[Statement]) -> dict[int, int]:
    """How many of `statements` are dated in each year; undated ones are not counted."""
    return dict(sorted(Counter(s.date.year for s in statements if s.date).items()))


def undated(statements: Iterable[Statement]) -> int:
    """How many of `statements` have no date (the chart leaves them out; a page may say so)."""
    return sum(1 for s in statements if not s.date)


@dataclass(frozen=True)
class Bar:
    """One slot of the chart: a year, or a bucket of years."""

    first: int
    last: int
    count: int

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}\N{EN DASH}{self.last}"

    @property
    def title(self) -> str:
        return f"{self.label}: {self.count} statement{'' if self.count == 1 else 's'}"


def _checked(counts: Mapping[int, int]) -> dict[int, int]:
    """The counts, refused unless every year and count is an integer (and no count negative):
    whatever else reached the chart would be text in it."""
    checked = {}
    for year, count in counts.items():
        for value in (year, count):
            if type(value) is not int:
                raise TypeError(f"year chart: expected integers, got {type(value).__name__}")
        if count < 0:
            raise ValueError(f"year chart: negative count {count} for {year}")
        checked[year] = count
    return checked


def bars(counts: Mapping[int, int]) -> list[Bar]:
    """Every slot from the first year with a statement to the last, oldest first, grouped into
    buckets when the span is longer than MAX_BARS; [] when no year has a statement."""
    counts = {year: count for year, count in _checked(counts).items() if count}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    width = next((w for w in BUCKET_YEARS if last // w - first // w < MAX_BARS), BUCKET_YEARS[-1])
    while last // width - first // width >= MAX_BARS:  # spans no real archive has
        width *= 10
    totals: Counter[int] = Counter()
    for year, count in counts.items():
        totals[year // width] += count
    return [
        Bar(bucket * width, bucket * width + width - 1, totals[bucket])
        for bucket in range(first // width, last // width + 1)
    ]


def _n(value: float) -> str:
    """A coordinate as short, stable text: one decimal at most."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _text_width(characters: int) -> float:
    return characters * FONT * 0.6


def summary(counts: Mapping[int, int]) -> str:
    """The chart in one sentence, numbers only: its accessible name."""
    slots = bars(counts)
    if not slots:
        return ""
    total = sum(bar.count for bar in slots)
    noun = "statement" if total == 1 else "statements"
    if len(slots) == 1:
        return f"Bar chart: {total} {noun}, all in {slots[0].label}."
    top = max(slots, key=lambda bar: (bar.count, bar.first))
    return (
        f"Bar chart of statements per year, {slots[0].first} to {slots[-1].last}: "
        f"{total} {noun} in all, most in {top.label} ({top.count})."
    )


def year_chart(counts: Mapping[int, int]) -> Markup:
    """Statements per year as an inline SVG bar chart; empty Markup when there is nothing to
    draw. `counts` maps a year to its number of statements (integers only)."""
    slots = bars(counts)
    if not slots:
        return Markup("")
    highest = max(bar.count for bar in slots)
    slot = min(MAX_SLOT, (WIDTH - LEFT - RIGHT) / len(slots))
    bar_width = max(1.0, slot * 0.72)
    show_counts = slot >= _text_width(len(str(highest))) + 4
    left = RIGHT if show_counts else LEFT  # no value axis when each bar has its count
    width = left + slot * len(slots) + RIGHT
    height = TOP + PLOT_HEIGHT + BOTTOM
    base = TOP + PLOT_HEIGHT
    label_every = next(
        (step for step in LABEL_STEPS if slot * step >= _text_width(4) + 6), LABEL_STEPS[-1]
    )
    lines = [
        f'<svg class="sa-chart__svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_n(width)}" height="{height}" viewBox="0 0 {_n(width)} {height}" '
        f'aria-label="{summary(counts)}">'
    ]
    if not show_counts:  # the value axis: 0 and the highest count
        lines.append(
            f'<line class="sa-chart__grid" x1="{LEFT}" x2="{_n(width - RIGHT)}" y1="{TOP}" '
            f'y2="{TOP}" stroke="currentColor" stroke-opacity="0.25"/>'
            f'<text class="sa-chart__axis" x="{LEFT - 4}" y="{TOP + 4}" '
            f'text-anchor="end" font-size="{FONT}">{highest}</text>'
            f'<text class="sa-chart__axis" x="{LEFT - 4}" y="{base}" '
            f'text-anchor="end" font-size="{FONT}">0</text>'
        )
    for i, bar in enumerate(slots):
        x = left + i * slot
        middle = x + slot / 2
        parts = [
            f'<g class="sa-chart__year"><title>{bar.title}</title>',
            # The whole slot answers the pointer, so an empty year shows its title too.
            f'<rect x="{_n(x)}" y="{TOP}" width="{_n(slot)}" height="{PLOT_HEIGHT}" '
            f'fill="currentColor" fill-opacity="0"/>',
        ]
        if bar.count:
            bar_height = max(1.5, PLOT_HEIGHT * bar.count / highest)
            parts.append(
                f'<rect class="sa-chart__bar" data-year="{bar.first}" data-count="{bar.count}" '
                f'x="{_n(middle - bar_width / 2)}" y="{_n(base - bar_height)}" '
                f'width="{_n(bar_width)}" height="{_n(bar_height)}"/>'
            )
            if show_counts:
                parts.append(
                    f'<text class="sa-chart__count" x="{_n(middle)}" '
                    f'y="{_n(base - bar_height - 4)}" text-anchor="middle" '
                    f'font-size="{FONT}">{bar.count}</text>'
                )
        if (bar.first // (bar.last - bar.first + 1)) % label_every == 0 or len(slots) == 1:
            parts.append(
                f'<text class="sa-chart__label" x="{_n(middle)}" y="{height - 6}" '
                f'text-anchor="middle" font-size="{FONT}">{bar.first}</text>'
            )
        parts.append("</g>")
        lines.append("".join(parts))
    lines.append(
        f'<line class="sa-chart__base" x1="{left}" x2="{_n(width - RIGHT)}" y1="{base}" '
        f'y2="{base}" stroke="currentColor"/>'
    )
    lines.append("</svg>")
    # One line per bar and no blank line: Markdown passes the block through as it is.
    return Markup("\n".join(lines))


def year_table(counts: Mapping[int, int]) -> Markup:
    """The chart's counts as a table, oldest first, one row per bar; empty Markup when there is
    nothing to show."""
    slots = bars(counts)
    if not slots:
        return Markup("")
    rows = "\n".join(
        f'<tr><th scope="row">{bar.label}</th><td>{bar.count}</td></tr>' for bar in slots
    )
    return Markup(
        '<table class="sa-chart__table">\n'
        '<thead><tr><th scope="col">Year</th><th scope="col">Statements</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )
