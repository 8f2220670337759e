"""AI settings in the browser: an owner adds a provider key (its text never comes back),
routes the generate task through it and saves; a writer reads the settings without changing
them."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

# Whichever test of a run comes first also waits for the server to migrate, seed and start.
pytestmark = pytest.mark.timeout(300)


def open_ai_settings(page: Page) -> None:
    page.get_by_role("link", name="AI settings").click()
    page.wait_for_url(re.compile(r"/w/[0-9a-f-]+/ai-settings"))
    expect(page.get_by_role("form", name="AI settings")).to_be_visible()


def test_an_owner_adds_a_key_and_routes_generation_through_it(page: Page) -> None:
    suffix = uuid.uuid4().hex[:8]
    key_name = f"OpenAI e2e {suffix}"
    key_text = f"sk-e2e-fake-{suffix}-WXYZ"
    sign_in(page, "owner@northwind.example")
    open_ai_settings(page)
    keys = page.get_by_role("region", name=re.compile("Provider keys of"))
    check_screen(page, "ai-settings-owner")

    keys.get_by_role("button", name="Add provider key").click()
    dialog = page.get_by_role("dialog", name="Add provider key")
    dialog.get_by_role("textbox", name=re.compile("^Name")).fill(key_name)
    dialog.get_by_label(re.compile("^API key")).fill(key_text)
    check_screen(page, "ai-settings-add-provider-key")
    dialog.get_by_role("button", name="Add key").click()
    expect(dialog).to_be_hidden()
    row = keys.get_by_role("row", name=re.compile(re.escape(key_name)))
    expect(row).to_contain_text("…WXYZ")

    form = page.get_by_role("form", name="AI settings")
    form.get_by_role("button", name="Add generate route").click()
    form.get_by_role("textbox", name="Generate route 1 model").fill("gpt-4o-mini")
    form.get_by_role("textbox", name="Generate route 1 provider key").click()
    page.get_by_role("option", name=key_name).click()
    form.get_by_role("button", name="Save AI settings").click()
    expect(page.get_by_text("AI settings saved.")).to_be_visible()

    page.reload()
    form = page.get_by_role("form", name="AI settings")
    expect(form.get_by_role("textbox", name="Generate route 1 model")).to_have_value("gpt-4o-mini")
    expect(form.get_by_role("textbox", name="Generate route 1 provider key")).to_have_value(
        key_name
    )
    assert key_text not in page.content()
    check_screen(page, "ai-settings-saved")

    # Back to the deployment default (the offline composer): the browser tests share one
    # server, and the studio's tests generate in this workspace; the fake key answers nothing.
    form.get_by_role("button", name="Remove generate route 1").click()
    form.get_by_role("button", name="Save AI settings").click()
    expect(page.get_by_text("AI settings saved.")).to_be_visible()
    expect(form.get_by_role("textbox", name="Generate route 1 model")).to_have_count(0)


def test_a_writer_reads_the_settings_without_changing_them(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    open_ai_settings(page)
    form = page.get_by_role("form", name="AI settings")
    expect(page.get_by_text("Read only")).to_be_visible()
    expect(form.get_by_role("button", name="Save AI settings")).to_have_count(0)
    expect(form.get_by_role("button", name="Add generate route")).to_have_count(0)
    expect(form.get_by_role("switch", name=re.compile("^Tone judge"))).to_be_disabled()
    expect(page.get_by_role("region", name=re.compile("Provider keys of"))).to_have_count(0)
    check_screen(page, "ai-settings-read-only")
