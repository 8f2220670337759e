"""Members, API keys and the audit log, managed in the browser by the workspace's owner."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

NEW_MEMBER = "new.hire@northwind.example"


def workspace_url(page: Page) -> str:
    return page.url.split("/campaigns")[0]


def go(page: Page, section: str) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name=section).click()
    expect(page.get_by_role("heading", level=1, name=section)).to_be_visible()


def confirm(page: Page, title: re.Pattern[str]) -> None:
    dialog = page.get_by_role("dialog", name=title)
    dialog.get_by_role("button", name=re.compile(r"^(Remove|Revoke)")).click()
    expect(dialog).to_be_hidden()


def test_invite_change_role_and_remove_a_member(page: Page, base_url: str) -> None:
    sign_in(page, "owner@northwind.example")
    go(page, "Members")
    check_screen(page, "members")

    page.get_by_role("button", name="Invite member").click()
    dialog = page.get_by_role("dialog", name="Invite member")
    dialog.get_by_label("Email").fill(NEW_MEMBER)
    dialog.get_by_label("Role").select_option(label="Viewer")
    dialog.get_by_role("button", name="Send invitation").click()
    token = dialog.get_by_label("Invitation token").input_value()
    assert len(token) > 20
    check_screen(page, "members-invitation-token-shown-once")
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("rowheader", name=NEW_MEMBER)).to_be_visible()  # pending

    # The invitee accepts through the API (the e-mail that would carry the link is not sent yet).
    accepted = httpx.post(
        f"{base_url}/api/v1/invitations/accept",
        json={"token": token, "display_name": "Nia Newhire", "password": "a-long-enough-password"},
    )
    assert accepted.status_code == 200, accepted.text
    page.reload()

    role = page.get_by_role("textbox", name="Role for Nia Newhire")
    role.click()
    page.get_by_role("option", name="Editor").click()
    expect(page.get_by_text("Nia Newhire is now Editor.")).to_be_visible()
    page.reload()
    expect(page.get_by_role("textbox", name="Role for Nia Newhire")).to_have_value("Editor")

    page.get_by_role("button", name="Remove Nia Newhire").click()
    confirm(page, re.compile("^Remove Nia Newhire"))
    expect(page.get_by_label("Role for Nia Newhire")).to_have_count(0)


def test_an_api_key_is_shown_once_works_and_is_revoked(page: Page, base_url: str) -> None:
    sign_in(page, "owner@northwind.example")
    workspace_id = workspace_url(page).rsplit("/", 1)[-1]
    go(page, "API keys")
    page.get_by_role("button", name="Create API key").click()
    dialog = page.get_by_role("dialog", name="Create API key")
    dialog.get_by_label("Name").fill("Reporting export")
    dialog.get_by_label("Read campaigns").check()
    dialog.get_by_role("button", name="Create key").click()
    secret = dialog.get_by_label("API key secret").input_value()
    assert secret.startswith("bfk_")
    check_screen(page, "api-key-secret-shown-once")
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(secret)).to_have_count(0)  # gone from the page for good
    check_screen(page, "api-keys")

    campaigns = f"{base_url}/api/v1/workspaces/{workspace_id}/campaigns"
    bearer = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(campaigns, headers=bearer).status_code == 200

    page.get_by_role("button", name="Revoke Reporting export").click()
    confirm(page, re.compile("^Revoke"))
    expect(page.get_by_text("Revoked", exact=True).first).to_be_visible()
    assert httpx.get(campaigns, headers=bearer).status_code == 401


def test_the_audit_log_filters_by_action(page: Page) -> None:
    sign_in(page, "strategist@northwind.example")
    go(page, "Audit log")
    expect(page.get_by_role("table")).to_be_visible()
    check_screen(page, "audit-log")

    page.get_by_label("Action").fill("campaigns.campaign_created")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"action=campaigns\.campaign_created"))
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("campaign_created")
    for text in rows.all_inner_texts()[1:]:
        assert "campaign_updated" not in text

    page.get_by_label("Action").fill("nothing.matches_this")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No events match these filters")).to_be_visible()
    check_screen(page, "audit-log-empty")
