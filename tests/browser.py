"""Headless Debian Chromium driven by Playwright, and the server every page test uses.

Playwright's own browser download is never used: the launch names /usr/bin/chromium, which
.ci/run installs with apt. Without it the tests fail (they never skip).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .helpers import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
# This machine's network is closed: without these, Chromium keeps calling Google's services.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is missing: apt-get install -y chromium (.ci/run does)")
    return found


@pytest.fixture(scope="session")
def site(live_server: str) -> str:
    """The base URL of the one shared `kg serve` (conftest.py), used by all page tests."""
    return live_server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def checked_page(browser: Browser, **options: Any) -> Iterator[Page]:
    """A fresh page (own cookies and storage) that fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from checked_page(browser)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot as a test artefact (tests/artifacts/<name>.png) and check it is one."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path
