"""The AI studio in the browser, on the e2e server's default model (the offline composer): a
writer generates two drafts and watches them stream in, reads a draft's provenance, writes a
term the demo brand kit bans, sees it flagged in the text and applies the suggested fix."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

# The first test of a run also waits for the server to migrate, seed and start.
pytestmark = pytest.mark.timeout(300)

POST = "Lace up: the Spring Trail Launch starts Saturday at 9, rain or shine."
# "injury-proof" is the first banned term of Acme Running's demo brand kit (seed.py); its
# suggested replacement is "supportive". The emoji before it makes the API's code point offsets
# differ from JavaScript's UTF-16 indexes.
FLAGGED = "🏃 Our injury-proof trail shoe is ready for the Spring Trail Launch."
FIXED = "🏃 Our supportive trail shoe is ready for the Spring Trail Launch."

# Records what the streaming drafts showed, as the page rendered it: the offline composer
# writes fast, so the test keeps every state the drafts went through instead of racing them.
WATCH_DRAFTS = """() => {
  window.__streamed = [];
  new MutationObserver(() => {
    for (const draft of document.querySelectorAll('article[aria-label$="as it is written"]')) {
      window.__streamed.push(draft.textContent);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


def new_x_post(page: Page, title: str) -> None:
    page.get_by_role("link", name="Spring Trail Launch").first.click()
    page.get_by_role("link", name="Content", exact=True).click()
    page.wait_for_url(re.compile(r"/contents$"))
    page.get_by_role("button", name="New content").click()
    dialog = page.get_by_role("dialog", name="New content")
    dialog.get_by_label("Channel").select_option(label="X")
    dialog.get_by_label("Title").first.fill(title)
    dialog.get_by_label("Text").fill(POST)
    dialog.get_by_role("button", name="Create content").click()
    page.wait_for_url(re.compile(r"/contents/[0-9a-f-]+$"))


def test_generate_stream_provenance_and_fix_a_finding(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    new_x_post(page, "Studio launch post")
    check = page.get_by_role("region", name="Compliance check of version 1")
    expect(check.get_by_text(re.compile(r"^Score \d+ of 100$"))).to_be_visible()
    write = page.get_by_role("region", name="Write with AI")
    expect(write.get_by_role("button", name="Generate")).to_be_enabled()
    check_screen(page, "studio-editor")

    # Generate two drafts and watch them stream in.
    page.evaluate(WATCH_DRAFTS)
    write.get_by_label("Instructions").fill("Stress the grip on wet rock.")
    write.get_by_label("Number of variants").select_option("2")
    write.get_by_role("button", name="Generate").click()
    drafts = page.get_by_role("region", name="Generated drafts")
    expect(drafts.get_by_text("Done: 2 drafts are ready.")).to_be_visible(timeout=60_000)
    streamed: list[str] = page.evaluate("window.__streamed")
    assert any(text.startswith("Draft 1") and len(text) > len("Draft 1") for text in streamed), (
        streamed
    )
    assert not any('"channel"' in text for text in streamed), "raw JSON was shown"

    first = drafts.get_by_role("article", name="Draft 1, version 2")
    second = drafts.get_by_role("article", name="Draft 2, version 3")
    for draft in (first, second):
        expect(draft.get_by_text("Model: offline composer")).to_be_visible()
        expect(draft.get_by_text(re.compile(r"^Score \d+ · "))).to_be_visible()
    expect(second.get_by_text("Current version")).to_be_visible()
    expect(drafts.get_by_text("Model: offline composer").first).to_be_visible()
    expect(page.get_by_role("form", name="Content editor").get_by_text("Version 3")).to_be_visible()
    check_screen(page, "studio-drafts")

    first.get_by_role("button", name="Compare with current: draft 1").click()
    dialog = page.get_by_role("dialog", name="Version 2 compared with the current version 3")
    expect(dialog.get_by_role("table")).to_be_visible()
    check_screen(page, "studio-compare")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # Where draft 1 came from.
    first.get_by_role("button", name="Provenance of draft 1").click()
    provenance = page.get_by_role("region", name="Provenance of version 2")
    expect(provenance).to_be_focused()
    expect(provenance.get_by_text("Model: offline composer")).to_be_visible()
    expect(provenance.get_by_role("rowheader", name="Trace id")).to_be_visible()
    expect(provenance.get_by_role("rowheader", name="Prompt template")).to_be_visible()
    check_screen(page, "studio-provenance")
    provenance.get_by_label("Version").select_option("1")
    expect(
        page.get_by_role("region", name="Provenance of version 1").get_by_text("Human-written")
    ).to_be_visible()

    # A banned term, written by hand, is flagged in the text with the rule it breaks.
    editor = page.get_by_role("form", name="Content editor")
    editor.get_by_label("Text").fill(FLAGGED)
    editor.get_by_role("button", name="Save version").click()
    check = page.get_by_role("region", name="Compliance check of version 4")
    mark = check.locator("mark", has_text="injury-proof")
    expect(mark).to_be_visible()
    expect(mark).to_have_attribute("data-severity", re.compile(r"^(blocker|major|minor|info)$"))
    # Exactly the term: the emoji before it counts once, as the API counts code points.
    assert mark.evaluate("m => m.lastChild.textContent") == "injury-proof"
    findings = check.get_by_role("list", name="Findings").get_by_role("listitem")
    finding = findings.filter(has_text="Banned term").filter(has_text="“injury-proof”")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("Replace “injury-proof” with “supportive”")
    expect(check.get_by_text(re.compile(r"^Score \d+ of 100$"))).to_be_visible()
    check_screen(page, "studio-finding")

    finding.get_by_role("button", name=re.compile(r"^Apply fix for finding \d+$")).click()
    fixed = page.get_by_role("region", name="Compliance check of version 5")
    expect(fixed.locator("mark", has_text="injury-proof")).to_have_count(0)
    expect(editor.get_by_label("Text")).to_have_value(FIXED)
    check_screen(page, "studio-fixed")


def test_a_client_sees_the_check_but_cannot_write(page: Page) -> None:
    sign_in(page, "client@acme.example")
    page.get_by_role("link", name="Spring Trail Launch").first.click()
    page.get_by_role("link", name="Content", exact=True).click()
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/contents/[0-9a-f-]+$"))
    expect(
        page.get_by_role("region", name=re.compile(r"^Compliance check of version \d+$"))
    ).to_be_visible()
    expect(
        page.get_by_role("region", name=re.compile(r"^Provenance of version \d+$"))
    ).to_be_visible()
    expect(page.get_by_role("region", name="Write with AI")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Apply fix"))).to_have_count(0)
    check_screen(page, "studio-read-only")
