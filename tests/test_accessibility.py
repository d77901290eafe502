"""Every kind of page checked by axe-core (Deque's accessibility engine, from npm) in Chromium.

axe-core is a dev dependency in package.json, installed by `make assets`; it is injected into
the page from node_modules, so nothing is fetched. Serious and critical violations fail; on
the workbench the result table is checked too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .browser import checked_page
from .helpers import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/?example=shared-memberships", "/id/turkey", "/id/cica", "/source/",
         "/source/turkey-kazakhstan-ulker-interview", "/timeline", "/search?q=kaz", "/ontology",
         "/data", "/id/atlantis", "/dyad", "/dyad/turkey/kazakhstan"]
FAILING = ("serious", "critical")

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # Chromium on the shared server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page like browser.page's, but one where the test may inject axe: the pages'
    Content-Security-Policy runs only their own scripts, and rightly refuses axe's tag."""
    yield from checked_page(browser, bypass_csp=True)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(site: str, page: Page, path: str) -> None:
    assert AXE.is_file(), "axe-core is missing: run make assets (npm ci)"
    page.goto(site + path)
    if "example=" in path:  # the example runs on load: check the result table too
        page.locator(".yasr tbody tr").first.wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: "
                           "['wcag2a', 'wcag2aa', 'best-practice']})")
    found = [(v["id"], v["impact"], targets)
             for v in result["violations"] if v["impact"] in FAILING
             for targets in [[n["target"] for n in v["nodes"] if not _editor_scroll(v, n)]]
             if targets]
    assert not found, found


def _editor_scroll(violation: dict, node: dict) -> bool:
    """CodeMirror's scroll box is reached through the editor's own text area (the view follows
    the cursor), which axe does not see; only that finding on that box is let through."""
    return (violation["id"] == "scrollable-region-focusable"
            and node["target"] == [".CodeMirror-scroll"])
