"""A browser for the tests: the system Chromium driven by Playwright, reading a built site served
on 127.0.0.1; each tab records what a reader should never meet (console errors, failed requests,
requests to other hosts), and axe-core checks what it shows.

Needs the system Chromium (/usr/bin/chromium, or $CHROMIUM), the `playwright` package (dev
dependency; its own browser download is not used) and node_modules/axe-core (`npm ci`, which
`make test` runs). Without them browser tests skip with the reason; with REQUIRE_BROWSER=1 (set by
.ci/run) they fail instead, so CI cannot pass by skipping. The fixtures are made available to
every test module by tests/conftest.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from scripts.dev.screenshots import CHROMIUM, CHROMIUM_ARGS, serve
from support.archive import REPO
from support.html import SITE_PATH

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Locator,
        Page,
        Request,
        Response,
        Route,
    )

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the `browser` fixture: skip, or fail under REQUIRE_BROWSER
    sync_playwright = None  # type: ignore[assignment]
    expect = None  # type: ignore[assignment]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = f"{SITE_PATH}__test__/axe.min.js"
"""Where the test server serves AXE: inside the site's path, which is where pages may load from
(the built site has no such file)."""
REQUIRED = os.environ.get("REQUIRE_BROWSER", "") not in ("", "0")

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

AXE_IMPACTS = ("serious", "critical")
AXE_EXCLUDE: tuple[str, ...] = ()
"""CSS selectors axe-core leaves out, each with its reason. None so far: every violation found
was fixed at its source (docs/assets/archive.css, mkdocs.yml's palette)."""

IN_VIEW = """element => {
    const box = element.getBoundingClientRect();
    const header = document.querySelector(".md-header");
    const top = header ? header.getBoundingClientRect().bottom : 0;
    return box.top >= top - 1 && box.top < window.innerHeight && box.height > 0;
}"""
"""True when the element's top is on screen and not hidden under Material's fixed header."""

ON_SCREEN = """element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > 0 && box.left < window.innerWidth;
}"""
"""True when the element is across the screen's width (a closed drawer is moved off it)."""


def unavailable(reason: str) -> NoReturn:
    """Skip, loudly; or fail when the environment says browser tests must run."""
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (REQUIRE_BROWSER=1 makes this a failure)")


# --- the server, the browser, tabs -------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser to drive; skips (or fails, under REQUIRE_BROWSER) before anything is built."""
    if sync_playwright is None:
        unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set $CHROMIUM)")
    return CHROMIUM


@pytest.fixture(scope="session")
def base_url(chromium: Path, built_site: Path) -> Iterator[str]:
    """The built site served on a free port of 127.0.0.1 under site_url's path, as GitHub Pages
    serves it (a link written from the host's root fails), with axe-core at AXE_URL (a URL, so
    the browser keeps its compiled code from page to page)."""
    with serve(built_site, SITE_PATH, {AXE_URL: AXE}) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium: Path, built_site: Path) -> Iterator[Browser]:
    """One Chromium per test module, started after the site is built: Playwright's sync API
    keeps an asyncio loop running in this thread while it is open."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A browser page on the served site, recording everything that went wrong while it ran."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        """Open a site path ('' for the home page, 'countries/' …) and wait until it has loaded.
        The page before is left first, so what leaving it cancels (a favicon still loading) is
        not counted against this one."""
        self.page.goto("about:blank")
        self.problems.clear()
        self.page.goto(self.base_url + url, wait_until="load")

    def path(self) -> str:
        """The site path now shown, without the fragment."""
        return self.page.url.removeprefix(self.base_url).partition("#")[0]

    def fragment(self) -> str:
        return str(self.page.evaluate("location.hash")).removeprefix("#")

    def in_view(self, locator: Locator) -> bool:
        return bool(locator.evaluate(IN_VIEW))

    def on_screen(self, locator: Locator) -> bool:
        return bool(locator.evaluate(ON_SCREEN))

    def assert_clean(self) -> None:
        if self.problems:
            pytest.fail("\n".join(self.problems), pytrace=False)


def open_tab(browser: Browser, base_url: str, width: str) -> tuple[BrowserContext, Tab]:
    """A page at one of VIEWPORTS, its console errors, uncaught exceptions, failed requests,
    HTTP errors and requests to other hosts (aborted) recorded in Tab.problems."""
    context = browser.new_context(viewport=VIEWPORTS[width])  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    tab = Tab(page, base_url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.problems.append(f"console error on {page.url}: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            tab.problems.append(f"HTTP {response.status}: {response.url}")

    def on_failed(request: Request) -> None:
        # Chromium loads the favicon again when a script changes the address (search and hub
        # filters use history.replaceState) and cancels the load in flight; a missing favicon
        # still shows as an HTTP error (on_response).
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.svg"):
            return
        tab.problems.append(f"failed: {request.url} ({request.failure})")

    def elsewhere(route: Route) -> None:
        tab.problems.append(f"request to another host: {route.request.url}")
        route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.problems.append(f"uncaught on {page.url}: {error}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    # Only requests that leave the site are intercepted (a regular expression is matched inside
    # the browser; the site's own requests never make the round trip to Python).
    page.route(re.compile("^(?!" + re.escape(base_url) + ")"), elsewhere)
    return context, tab


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def window(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Tab]:
    """One page per width for the whole module: a new browser context costs more than a test."""
    context, tab = open_tab(browser, base_url, request.param)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(window: Tab) -> Tab:
    """The page at the parametrised width (desktop, phone), its record of problems emptied."""
    window.problems.clear()
    return window


@pytest.fixture(scope="module")
def phone(browser: Browser, base_url: str) -> Iterator[Tab]:
    """A page at phone width only, for what exists only there (the navigation drawer)."""
    context, tab = open_tab(browser, base_url, "phone")
    try:
        yield tab
    finally:
        context.close()


def axe_violations(tab: Tab) -> list[str]:
    """Serious and critical axe-core violations on the page now shown, one readable line each."""
    if not AXE.is_file():
        unavailable(f"{AXE.relative_to(REPO)} is missing (npm ci)")
    tab.page.add_script_tag(url=AXE_URL)
    context = {"exclude": [[s] for s in AXE_EXCLUDE]} if AXE_EXCLUDE else None
    results = tab.page.evaluate(
        "([context]) => axe.run(context || document, {resultTypes: ['violations']})", [context]
    )
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in AXE_IMPACTS:
            continue
        found.append(
            f"{violation['impact']} {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return found


def assert_accessible(tab: Tab, what: str) -> None:
    violations = axe_violations(tab)
    if violations:
        pytest.fail(f"axe-core on {what}:\n" + "\n".join(violations), pytrace=False)


