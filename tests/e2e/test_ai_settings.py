"""AI settings in the browser: an owner adds a provider key (its text never comes back),
routes the generate task through it and saves; a writer reads the settings without changing
them; a manager edits a prompt template, saves it as a new version and sees a bad variable
at its line."""

from __future__ import annotations

import re
import uuid
from typing import Any

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


def _workspace_id(page: Page) -> str:
    found = re.search(r"/w/([0-9a-f-]+)/", page.url)
    assert found, page.url
    return found.group(1)


def _current_template(page: Page, workspace_id: str, task: str) -> dict[str, Any]:
    response = page.request.get(f"/api/v1/workspaces/{workspace_id}/prompt-templates")
    assert response.ok, response.text()
    items: list[dict[str, Any]] = response.json()["items"]
    return next(item for item in items if item["task"] == task)


def _put_back(page: Page, workspace_id: str, task: str, text: str) -> None:
    """Saves `text` again as the task's newest version unless it already is (through the API,
    so it also runs when the browser part failed half-way)."""
    if _current_template(page, workspace_id, task)["template"] == text:
        return
    csrf = page.request.get("/api/v1/auth/session").json()["csrf_token"]
    response = page.request.put(
        f"/api/v1/workspaces/{workspace_id}/prompt-templates/{task}",
        data={"template": text, "note": "Put back by the browser tests"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.ok, response.text()


def test_a_manager_edits_a_prompt_template_and_sees_a_bad_variable_at_its_line(
    page: Page,
) -> None:
    sign_in(page, "owner@northwind.example")
    open_ai_settings(page)
    workspace_id = _workspace_id(page)
    original = _current_template(page, workspace_id, "generate")
    try:
        templates = page.get_by_role("region", name="Prompt templates")
        row = templates.get_by_role("row", name=re.compile("^Generate"))
        row.get_by_role("button", name="Edit the generate template").click()
        editor = page.get_by_role("form", name="Generate template")
        text = editor.get_by_role("textbox", name=re.compile("^Template text"))
        expect(text).to_have_value(original["template"])
        expect(editor.get_by_role("rowheader", name=re.compile("^sources"))).to_be_attached()

        text.fill(original["template"] + "\nKeep the copy short.\n")
        editor.get_by_role("textbox", name=re.compile("^What changed")).fill("Shorter copy")
        editor.get_by_role("button", name="Save as a new version").click()
        saved = original["version"] + 1
        expect(page.get_by_text(f"Generate template saved as version {saved}.")).to_be_visible()
        expect(row).to_contain_text(f"Version {saved}")
        expect(row).to_contain_text("Shorter copy")
        history = editor.get_by_role("region", name="History")
        expect(history.get_by_role("row", name=re.compile(rf"^{saved}\s*current"))).to_be_visible()
        check_screen(page, "ai-settings-prompt-template-saved")

        text.fill("{{ sources }}\n{{ instructions }}\nWrite about {{ campaign_nmae }}.\n")
        editor.get_by_role("button", name="Save as a new version").click()
        problems = editor.get_by_role("alert")
        expect(problems).to_contain_text("Line 3:")
        expect(problems).to_contain_text(
            "`campaign_nmae` is not a variable of the generate template"
        )
        expect(problems).to_contain_text("Write about {{ campaign_nmae }}.")
        expect(text).to_have_attribute("aria-invalid", "true")
        check_screen(page, "ai-settings-prompt-template-error")
        assert _current_template(page, workspace_id, "generate")["version"] == saved
    finally:
        # The studio's browser tests generate in this workspace next: the text goes back.
        _put_back(page, workspace_id, "generate", original["template"])
