"""Content in the browser: create an X post, edit it with live limits, read the diff."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

FIRST = "Lace up: the Spring Trail Launch starts Saturday at 9."
SECOND = "Lace up: the Spring Trail Launch starts Sunday at 8, rain or shine."


def open_contents(page: Page, campaign: str) -> None:
    page.get_by_role("link", name=campaign).first.click()
    page.get_by_role("link", name="Content", exact=True).click()
    page.wait_for_url(re.compile(r"/contents$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_create_edit_and_diff_a_post(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    open_contents(page, "Spring Trail Launch")
    check_screen(page, "content-list")

    page.get_by_role("button", name="New content").click()
    dialog = page.get_by_role("dialog", name="New content")
    dialog.get_by_label("Channel").select_option(label="X")
    dialog.get_by_label("Title").first.fill("Relay teaser")  # the content item's own title
    dialog.get_by_label("Text").fill(FIRST)
    check_screen(page, "content-create-dialog")
    dialog.get_by_role("button", name="Create content").click()
    page.wait_for_url(re.compile(r"/contents/[0-9a-f-]+$"))
    editor = page.get_by_role("form", name="Content editor")
    expect(editor.get_by_label("Text")).to_have_value(FIRST)

    # Live counter against the contract's 280 code points; over the limit nothing is saved.
    text = editor.get_by_label("Text")
    text.fill("🏃" * 281)
    expect(editor.get_by_text(re.compile(r"281\s*/\s*280"))).to_be_visible()
    editor.get_by_role("button", name="Save version").click()
    expect(text).to_have_attribute("aria-invalid", "true")
    check_screen(page, "content-editor-over-limit")

    text.fill(SECOND)
    editor.get_by_role("button", name="Save version").click()
    expect(editor.get_by_role("button", name="Save version")).to_be_disabled()
    expect(editor.get_by_text("Version 2")).to_be_visible()
    check_screen(page, "content-editor")

    page.get_by_role("link", name="History").click()
    page.wait_for_url(re.compile(r"/versions"))
    page.get_by_label("From version").select_option(value="1")
    page.get_by_label("To version").select_option(value="2")
    differences = page.get_by_role("region", name="Differences")
    expect(differences.locator("del").filter(has_text="Saturday")).to_be_visible()
    expect(differences.locator("ins").filter(has_text="Sunday")).to_be_visible()
    check_screen(page, "content-version-diff")


def test_a_client_reads_content_without_editing(page: Page) -> None:
    sign_in(page, "client@acme.example")
    open_contents(page, "Spring Trail Launch")
    expect(page.get_by_role("button", name="New content")).to_have_count(0)
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/contents/[0-9a-f-]+$"))
    expect(page.get_by_text("Read only")).to_be_visible()
    expect(page.get_by_role("button", name="Save version")).to_have_count(0)
    check_screen(page, "content-editor-read-only")
