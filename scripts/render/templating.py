"""The Jinja2 environment every template is rendered in: its filters (scripts/render/html.py),
the charts (charts.py) and the pages' front matter (structured.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from scripts.render import structured
from scripts.render.charts import statements_per_year, undated, year_chart, year_table
from scripts.render.html import (
    external_url,
    language_name,
    markdown_html,
    markdown_inline,
    markdown_literal,
    paragraph_label,
    yaml_text,
    yaml_title,
)


@cache
def environment() -> jinja2.Environment:
    """Jinja2 with autoescaping on and comment delimiters that never occur in Markdown; made
    once, so each template is compiled once per run."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        comment_start_string="<%#",
        comment_end_string="#%>",
    )
    env.filters["md"] = markdown_html
    env.filters["md_inline"] = markdown_inline
    env.globals["paragraph_label"] = paragraph_label
    env.filters["literal"] = markdown_literal
    env.filters["yaml_title"] = yaml_title
    env.filters["external"] = external_url
    # Statements per year (render/charts.py): counted from what a template already has, drawn
    # from the numbers alone.
    env.globals["statements_per_year"] = statements_per_year
    env.globals["undated_count"] = undated
    env.globals["year_chart"] = year_chart
    env.globals["year_table"] = year_table
    env.filters["language_name"] = language_name
    env.filters["yaml_text"] = yaml_text
    env.globals["statement_front_matter"] = structured.statement_front_matter
    env.globals["hub_front_matter"] = structured.hub_front_matter
    env.globals["dataset_front_matter"] = structured.dataset_front_matter
    return env
