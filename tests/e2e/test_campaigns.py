"""Campaigns in the browser: create, find, board, edit the brief, and a concurrent edit (412)."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

CAMPAIGN_URL = re.compile(r"/w/[0-9a-f-]+/campaigns/[0-9a-f-]+$")


def create_campaign(page: Page, name: str) -> None:
    page.get_by_role("button", name="New campaign").click()
    dialog = page.get_by_role("dialog", name="New campaign")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Objective").fill("Get 500 runners to the relay start line")
    dialog.get_by_role("checkbox", name="X", exact=True).check()
    dialog.get_by_role("checkbox", name="LinkedIn").check()
    check_screen(page, "campaign-create-dialog")
    dialog.get_by_role("button", name="Create campaign").click()
    expect(dialog).to_be_hidden()
    page.wait_for_url(CAMPAIGN_URL)  # a new campaign opens at once
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def open_campaign(page: Page, name: str) -> None:
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(CAMPAIGN_URL)
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_create_find_and_edit_a_campaign(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    create_campaign(page, "Trail Relay 2027")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Campaigns").click()
    page.get_by_label("Search").fill("Relay")
    expect(page.get_by_role("link", name="Trail Relay 2027")).to_be_visible()
    expect(page.get_by_role("link", name="Spring Trail Launch")).to_have_count(0)
    assert "q=Relay" in page.url  # the filter lives in the address, so it can be shared
    check_screen(page, "campaigns-search")

    page.get_by_label("Search").fill("")
    page.get_by_text("Board", exact=True).click()
    planned = page.get_by_role("region", name=re.compile("^Planned"))
    expect(planned.get_by_role("link", name="Trail Relay 2027")).to_be_visible()
    check_screen(page, "campaigns-board")

    open_campaign(page, "Trail Relay 2027")
    brief = page.get_by_role("form", name="Campaign brief")
    brief.get_by_label("Audience").fill("Club runners in the Pacific Northwest")
    brief.get_by_role("button", name="Save brief").click()
    expect(brief.get_by_role("button", name="Save brief")).to_be_disabled()  # saved: not dirty
    page.reload()
    expect(page.get_by_label("Audience")).to_have_value("Club runners in the Pacific Northwest")
    check_screen(page, "campaign-detail")


def test_a_concurrent_edit_offers_reload_or_compare(context: BrowserContext, page: Page) -> None:
    sign_in(page, "strategist@northwind.example")
    create_campaign(page, "Conflict Cup")
    other = context.new_page()  # the same person in a second tab
    other.goto(page.url)
    expect(other.get_by_label("Audience")).to_be_visible()

    page.get_by_label("Audience").fill("Saved first, from tab one")
    page.get_by_role("button", name="Save brief").click()
    expect(page.get_by_role("button", name="Save brief")).to_be_disabled()

    other.get_by_label("Objective").fill("Edited in tab two from a stale copy")
    other.get_by_role("button", name="Save brief").click()
    expect(other.get_by_role("button", name="Reload")).to_be_visible()
    other.get_by_role("button", name="Compare").click()
    expect(other.get_by_text("Saved first, from tab one")).to_be_visible()
    check_screen(other, "campaign-conflict-compare")

    other.get_by_role("button", name="Keep my changes").click()
    other.get_by_role("button", name="Save brief").click()
    expect(other.get_by_role("button", name="Save brief")).to_be_disabled()
    other.reload()
    expect(other.get_by_label("Objective")).to_have_value("Edited in tab two from a stale copy")
    expect(other.get_by_label("Audience")).to_have_value("Saved first, from tab one")


def test_a_reviewer_reads_the_brief_without_edit_controls(page: Page) -> None:
    sign_in(page, "reviewer@northwind.example")
    open_campaign(page, "Spring Trail Launch")
    expect(page.get_by_text("Your role can read this campaign but not change it.")).to_be_visible()
    expect(page.get_by_role("button", name="Save brief")).to_have_count(0)
    expect(page.get_by_label("Name")).to_be_disabled()
    check_screen(page, "campaign-detail-read-only")
