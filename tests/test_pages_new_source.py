"""A researcher adds a second interview: its entities, sentences and pictures appear on the
pages with no code change (built from a copy of the project, served by the real `kg serve`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import SECOND_SOURCE, invoke_kg, make_project
from .server import running_server

# A server of its own (a dataset with a second source) and Chromium.
pytestmark = [pytest.mark.slow, pytest.mark.browser]

SECOND = SECOND_SOURCE.stem


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("two-sources"))
    shutil.copy(SECOND_SOURCE, project / "data" / "sources")
    result = invoke_kg("--project", str(project), "build", "-q")
    assert result.exit_code == 0, result.stderr
    with running_server(Path(project) / "build" / "dataset.trig") as url:
        yield url


def test_a_new_state_gets_a_page_with_its_sentences(two_sources: str, page: Page) -> None:
    page.goto(f"{two_sources}/id/lithuania")
    expect(page.locator("h1")).to_have_text("Lithuania")
    fact = page.locator("ol.facts.stated > li").filter(has_text="NATO").first
    # "both countries" in that sentence is a mention of Lithuania (and Poland)
    expect(fact.locator("blockquote mark.current a").first).to_have_attribute("href",
                                                                             "/id/lithuania")
    link = fact.locator("a.cite-line").first
    expect(link).to_have_attribute("href", f"/source/{SECOND}#char=" + link.get_attribute(
        "href").rsplit("#char=", 1)[-1])
    assert page.locator("svg.neighbourhood a.nb-node").count() >= 2


def test_the_new_source_is_listed_and_shown(two_sources: str, page: Page) -> None:
    page.goto(f"{two_sources}/source/")
    expect(page.locator(f'ul.sources a[href="/source/{SECOND}"]')).to_be_visible()
    assert page.locator("ul.sources > li").count() == 2
    page.locator(f'ul.sources a[href="/source/{SECOND}"]').click()
    expect(page.locator("h1")).to_have_text(SECOND)  # it has no .meta.toml to give a title
    expect(page.locator(".source-text")).to_contain_text("Poland and Lithuania signed")
    expect(page.locator('.source-text mark a[href="/id/nato"]').first).to_be_visible()
