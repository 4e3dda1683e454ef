"""Screenshots of the built site for the README: `make screenshots` (after `make build`).

Serves the existing site/ on 127.0.0.1 under site_url's path, as GitHub Pages does, and saves the
top of a statement page (desktop and phone width) and of a country hub (desktop) as PNG files in
docs/assets/screenshots/. Uses the system Chromium through Playwright (a dev dependency).
"""

from __future__ import annotations

import argparse
import functools
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_HEIGHT = 1400
"""Pixels from the top of the page that a screenshot keeps."""


@dataclass(frozen=True)
class Shot:
    """One screenshot."""

    name: str
    """File name under docs/assets/screenshots/, without .png."""
    url: str
    """Site path of the page."""
    width: int
    """Viewport width in CSS pixels (the height is MAX_HEIGHT)."""


SHOTS = (
    Shot("statement-desktop", "statements/2026-05-cn-ru-joint-statement/", 1280),
    Shot("statement-phone", "statements/2026-05-cn-ru-joint-statement/", 390),
    Shot("country-hub-desktop", "countries/af/", 1280),
)


def site_path(root: Path) -> str:
    """Where the site is served on its host: site_url's path in mkdocs.yml ('/archive/')."""
    # BaseLoader: plain strings only; mkdocs.yml has no tags this script needs to read
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return urlsplit(config["site_url"]).path or "/"


@contextmanager
def serve(site: Path, prefix: str, extra: Mapping[str, Path] | None = None) -> Iterator[str]:
    """The folder `site` served under `prefix` (site_url's path) on a free port of 127.0.0.1, as
    GitHub Pages serves it: a link that leaves `prefix` finds nothing. `extra` serves single
    files at absolute paths outside the site (the browser tests' axe-core). Yields the base URL."""
    files = dict(extra or {})

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            path = path.partition("?")[0]
            if path in files:
                return str(files[path])
            if not path.startswith(prefix):
                return str(site / "__outside_the_site__")
            return super().translate_path("/" + path.removeprefix(prefix))

        def copyfile(self, source: Any, outputfile: Any) -> None:
            with suppress(BrokenPipeError, ConnectionResetError):  # the browser moved on
                super().copyfile(source, outputfile)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: requests are checked in the browser, or not at all."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def take(site: Path, prefix: str, out: Path, shots: tuple[Shot, ...] = SHOTS) -> list[Path]:
    """Shoot every page of `shots`; returns the files written."""
    from playwright.sync_api import sync_playwright  # a dev dependency: imported only here

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site, prefix) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for shot in shots:
                page = browser.new_page(viewport={"width": shot.width, "height": MAX_HEIGHT})
                response = page.goto(base + shot.url, wait_until="networkidle")
                if response is None or not response.ok:
                    raise SystemExit(f"{shot.url}: not found in {site} (run `make build` first)")
                height = min(MAX_HEIGHT, int(page.evaluate("document.body.scrollHeight")))
                path = out / f"{shot.name}.png"
                page.screenshot(
                    path=str(path),
                    clip={"x": 0, "y": 0, "width": shot.width, "height": height},
                    animations="disabled",
                    caret="hide",
                )
                page.close()
                written.append(path)
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.screenshots", description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="the archive (default: this one)")
    args = parser.parse_args(argv)
    root: Path = args.root
    site = root / "site"
    if not (site / "index.html").is_file():
        print(f"No built site in {site}: run `make build` first.")
        return 1
    out = root / "docs" / "assets" / "screenshots"
    for path in take(site, site_path(root), out):
        print(f"Saved {path.relative_to(root)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
