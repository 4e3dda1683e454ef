"""`make serve` shows a broken edit in the browser, not only in the terminal: its problems at the
top of the home page and of the statement's page, escaped, and gone with the next good save."""

from __future__ import annotations

from pathlib import Path

from scripts.commands.serve import problems_banner, show_problems
from scripts.validate import Problem

FILE = "data/statements/2026/2026-05-21-fictional.yml"
PAGE = "---\ntitle: A fictional statement\n---\n# A fictional statement\n\nBody.\n"


def test_the_problems_go_to_the_top_of_the_pages_they_concern(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "statements").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "statements" / "2026-05-21-fictional.md").write_text(PAGE, encoding="utf-8")
    (docs / "statements" / "other.md").write_text(PAGE, encoding="utf-8")
    problems = [Problem(FILE, 3, 7, "'date' is not a real date: '2026-02-30' <b>")]
    show_problems(tmp_path, problems)
    show_problems(tmp_path, problems)  # twice: still one block
    page = (docs / "statements" / "2026-05-21-fictional.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: A fictional statement\n---\n<div class=")
    assert page.count("sa-serve-problems") == 1
    assert f"{FILE}:3:7: &#39;date&#39; is not a real date: &#39;2026-02-30&#39; &lt;b&gt;" in page
    assert page.endswith("# A fictional statement\n\nBody.\n")
    assert (docs / "index.md").read_text(encoding="utf-8").startswith('<div class="sa-serve')
    assert (docs / "statements" / "other.md").read_text(encoding="utf-8") == PAGE


def test_the_banner_counts_the_problems() -> None:
    one = problems_banner([Problem(FILE, 1, 1, "x")])
    assert "1 problem in data/" in one and "Fix it and save" in one
    two = problems_banner([Problem(FILE, 1, 1, "x"), Problem(FILE, 2, 1, "y")])
    assert "2 problems in data/" in two and "Fix them and save" in two
