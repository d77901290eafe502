"""Probes 5.2 and 5.3 of ../shared/reviews/security-probes.md, as the review ran them: a
crafted source (script in its text, title, metadata and notes) built with `kg build` and a
crafted query file in queries/, both served by the real `kg serve`; every page that shows
them is read as HTML (the payloads arrive escaped) and opened in Chromium (no dialog opens,
the example clicked into YASGUI and run included).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, expect

from .helpers import ROOT, invoke_kg, make_project
from .raw_http import call
from .server import running_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Each opens a dialog if it ever runs; the number says which one did.
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
TEXTAREA = "</textarea><script>alert(3)</script>"
TEMPLATE = "{{7*7}}"  # a template engine that evaluated it would show 49
PAYLOADS = (SCRIPT, ATTRIBUTE, TEXTAREA, TEMPLATE)
LIVE = ("<script>alert(", "<img src=x onerror", "</textarea><script")
SOURCE = "zz-xss"
TEXT = ("France and Germany established diplomatic relations on 22 January 1963. "
        f"Notes {SCRIPT} {ATTRIBUTE} {TEXTAREA} {TEMPLATE}.\n")
META = f'''type = "Interview"

[title]
value = {TEXT.split("Notes ")[1].strip()!r}
status = "observed"
note = {("note " + SCRIPT + ATTRIBUTE)!r}

[interviewee]
value = {(TEXTAREA + TEMPLATE)!r}
status = "observed"
'''
QUERY = f'''# Question: {SCRIPT} {ATTRIBUTE} {TEXTAREA} {TEMPLATE}
# Expected: </script><script>alert(4)</script>
SELECT ?x WHERE {{ BIND('</script><script>alert(5)</script>"><img src=x onerror=alert(6)>'
                        AS ?x) }}
'''
ROWS = ".yasr_results table.dataTable tbody tr"  # YASR's result rows
PAGES = ["/source/", f"/source/{SOURCE}", "/id/france", "/id/germany", "/timeline",
         "/search?q=france", "/search?q=notes", "/", f"/?example={SOURCE}"]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` on a project whose only source and one query file are the crafted ones."""
    project = make_project(tmp_path_factory.mktemp("crafted"))
    sources = project / "data" / "sources"
    shutil.rmtree(sources)
    sources.mkdir()
    (sources / f"{SOURCE}.txt").write_text(TEXT, encoding="utf-8")
    (sources / f"{SOURCE}.meta.toml").write_text(META, encoding="utf-8")
    queries = project / "queries"
    shutil.copytree(ROOT / "queries", queries)
    (queries / f"{SOURCE}.rq").write_text(QUERY, encoding="utf-8")
    built = invoke_kg("--project", str(project), "build", "-q")
    assert built.exit_code == 0, built.stderr
    with running_server(Path(project) / "build" / "dataset.trig",
                        env={"KG_QUERIES_DIR": str(queries)}) as url:
        yield url


def test_probe_5_2_and_5_3_every_page_escapes_the_crafted_text(crafted: str) -> None:
    """The payloads reach the pages (as text: the source's text and title, the example's
    question), and never as markup."""
    shown: dict[str, str] = {}
    for path in PAGES:
        reply = call(crafted, path, headers={"Accept": "text/html"})
        assert reply.status == 200, (path, reply.body[:300])
        html = reply.body.decode()
        assert not [live for live in LIVE if live in html], path
        shown[path] = html
    assert "&lt;script&gt;alert(1)" in shown[f"/source/{SOURCE}"]  # text and title
    assert TEMPLATE in shown[f"/source/{SOURCE}"] and "49" not in shown[f"/source/{SOURCE}"]
    assert "&lt;/textarea&gt;" in shown[f"/?example={SOURCE}"]  # the question
    assert "/id/france" in shown[f"/source/{SOURCE}"]  # the text was read: a state linked
    examples = call(crafted, "/api/examples")  # as data, in JSON the browser will not sniff
    assert examples.media_type == "application/json"
    assert examples.headers["X-Content-Type-Options"] == "nosniff"
    assert [e["question"] for e in examples.json() if e["id"] == SOURCE] == [
        f"{SCRIPT} {ATTRIBUTE} {TEXTAREA} {TEMPLATE}"]


def test_probe_5_2_and_5_3_no_dialog_opens_in_a_browser(crafted: str, browser: Browser) -> None:
    """Probe 5.2's nine pages in Chromium, then 5.3's example clicked into YASGUI and run:
    no payload runs (a dialog would say which)."""
    context = browser.new_context()
    dialogs: list[str] = []

    def seen(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("dialog", seen)
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(crafted + path)
            page.wait_for_load_state("load")
        page.goto(crafted + "/")
        page.click(f'#example-list a[data-example="{SOURCE}"]')
        expect(page.locator(ROWS)).to_have_count(1)
        expect(page.locator(ROWS)).to_contain_text("alert(5)")
    finally:
        context.close()
    assert dialogs == []
