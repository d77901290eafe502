"""Entity pages and the source view in headless Chromium: what a reader sees and clicks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser import screenshot

SOURCE = "turkey-kazakhstan-ulker-interview"

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # Chromium on the shared server


def test_entity_page_shows_label_types_wikidata_and_facts(site: str, page: Page) -> None:
    page.goto(f"{site}/id/turkey")
    expect(page.locator("h1")).to_have_text("Turkey")
    expect(page.locator(".types .badge").first).to_be_visible()
    expect(page.locator(".wikidata a")).to_have_attribute(
        "href", "http://www.wikidata.org/entity/Q43")
    stated = page.locator("ol.facts.stated > li")
    assert stated.count() > 5
    relation = stated.filter(has_text="has diplomatic relations with").first
    expect(relation.locator("blockquote mark.current")).to_have_text("Turkey")
    screenshot(page, "entity", full_page=False)  # the top: what a visitor sees first


def test_neighbourhood_picture_links_to_neighbours(site: str, page: Page) -> None:
    page.goto(f"{site}/id/turkey")
    picture = page.locator("figure svg.neighbourhood")
    expect(picture).to_be_visible()
    assert picture.locator("a.nb-node").count() >= 5
    link = page.get_by_role("link", name="Kazakhstan (State)")  # a named link, for readers too
    expect(link).to_have_attribute("href", "/id/kazakhstan")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/id/kazakhstan")
    expect(page.locator("h1")).to_have_text("Kazakhstan")


def test_why_expands_the_proof_down_to_a_sentence(site: str, page: Page) -> None:
    page.goto(f"{site}/id/turkey")
    fact = page.locator("ol.facts.inferred > li").filter(
        has_text=re.compile(r"Kazakhstan · has diplomatic relations with · Turkey")).first
    why = fact.locator("details.why")
    proof = why.locator("ul.proof")
    expect(proof).to_be_hidden()
    why.locator("summary").focus()
    page.keyboard.press("Enter")  # keyboard, as a reader without a mouse would
    expect(proof).to_be_visible()
    expect(proof.locator(".badge.inferred").first).to_have_text("prp-symp")
    expect(proof.locator("blockquote").first).to_contain_text("diplomatic relations")


def test_a_stated_fact_leads_to_its_sentence_highlighted_in_the_source(site: str,
                                                                        page: Page) -> None:
    page.goto(f"{site}/id/turkey")
    relation = page.locator("ol.facts.stated > li").filter(
        has_text="has diplomatic relations with").first
    relation.locator("a.cite-line").first.click()
    expect(page).to_have_url(re.compile(rf"/source/{SOURCE}#char=\d+,\d+$"))
    target = page.locator(".sentence:target")
    expect(target).to_have_count(1)
    expect(target).to_contain_text("diplomatic relations between Turkey and Kazakhstan")
    expect(target).to_be_in_viewport()
    highlight = target.evaluate("node => getComputedStyle(node).backgroundColor")
    plain = page.locator(".sentence:not(:target)").first.evaluate(
        "node => getComputedStyle(node).backgroundColor")
    assert highlight != plain
    expect(target.locator('mark a[href="/id/turkey"]')).to_have_count(1)


def test_source_view_links_mentions_and_sentences_to_facts(site: str, page: Page) -> None:
    page.goto(f"{site}/source/{SOURCE}")
    expect(page.locator("h1")).to_contain_text("Lale Ülker")
    assert page.locator(".source-text mark a").count() > 50
    page.locator(".source-text a.facts-link").first.click()
    listed = page.locator("ol.sentence-facts > li:target")
    expect(listed).to_have_count(1)
    assert listed.locator("ul > li").count() >= 1
    screenshot(page, "source")


def test_entity_and_source_pages_read_without_javascript(site: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/id/kazakhstan")
        expect(page.locator("h1")).to_have_text("Kazakhstan")
        why = page.locator("details.why").first
        why.locator("summary").click()  # <details> opens without any script
        expect(why.locator("ul.proof")).to_be_visible()
        page.goto(f"{site}/source/{SOURCE}")
        assert page.locator(".source-text mark").count() > 50
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/id/turkey", f"/source/{SOURCE}", "/ontology",
                                  "/id/cica", "/data"])
def test_no_sideways_scrolling_on_a_phone(site: str, browser: Browser, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide at 375px"
    finally:
        context.close()


def test_pages_have_landmarks_and_a_skip_link(site: str, page: Page) -> None:
    page.goto(f"{site}/id/turkey")
    for role in ("banner", "navigation", "main", "search", "contentinfo"):
        assert page.get_by_role(role).count() >= 1, role
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
