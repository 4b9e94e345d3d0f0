"""Headless Debian Chromium for the tests that open what a person opens: the quality report, Data Docs, the UI.
No browser is downloaded (playwright drives /usr/bin/chromium, which .ci/run installs)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser, closed on the way out."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's Chromium (/usr/bin/chromium) is needed; .ci/run installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Requests:
    """What an offline page asked for: every URL, those refused (not a file) and files that failed to load."""

    requested: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url = route.request.url
        self.requested.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@contextmanager
def offline_page(width: int = 1280, height: int = 900) -> Iterator[tuple[Any, Requests]]:
    """A page with the network cut that may load files only, and the record of what it asked for."""
    with chromium() as browser:
        page = browser.new_context(viewport={"width": width, "height": height}, offline=True).new_page()
        requests = Requests()
        page.route("**/*", requests.route)
        page.on("requestfailed", lambda request: requests.failed.append(request.url))
        yield page, requests
