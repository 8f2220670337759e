"""Each demo role signs in through the browser and sees exactly what its role allows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

NAV = ("Campaigns", "Members", "API keys", "Audit log")

# account -> (navigation it gets, may create campaigns, workspaces it can pick)
ROLES = {
    "owner@northwind.example": (NAV, True, {"Acme Running", "Globex Coffee"}),
    "strategist@northwind.example": (NAV, True, {"Acme Running", "Globex Coffee"}),
    "writer@northwind.example": (("Campaigns", "Members"), True, {"Acme Running", "Globex Coffee"}),
    "reviewer@northwind.example": (
        ("Campaigns", "Members"),
        False,
        {"Acme Running", "Globex Coffee"},
    ),
    "client@acme.example": (("Campaigns",), False, {"Acme Running"}),
    "client@globex.example": (("Campaigns",), False, {"Globex Coffee"}),
}


def workspace_choices(page: Page) -> set[str]:
    page.get_by_role("textbox", name="Workspace").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    names = {text.strip() for text in options.all_inner_texts()}
    page.keyboard.press("Escape")
    return names


@pytest.mark.parametrize("email", sorted(ROLES))
def test_each_role_sees_what_it_may(page: Page, email: str) -> None:
    nav, can_create, workspaces = ROLES[email]
    sign_in(page, email)
    navigation = page.get_by_role("navigation", name="Workspace")
    for item in NAV:
        link = navigation.get_by_role("link", name=item)
        if item in nav:
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)
    expect(page.get_by_role("heading", level=1, name="Campaigns")).to_be_visible()
    new_campaign = page.get_by_role("button", name="New campaign")
    expect(new_campaign).to_have_count(1 if can_create else 0)
    assert workspace_choices(page) == workspaces
    check_screen(page, f"campaigns-as-{email.split('@')[0]}-{email.split('@')[1].split('.')[0]}")


def test_the_acme_client_never_sees_globex(page: Page) -> None:
    sign_in(page, "owner@northwind.example")
    page.get_by_role("textbox", name="Workspace").click()
    page.get_by_role("option", name="Globex Coffee").click()
    page.wait_for_url(re.compile(r"/w/[0-9a-f-]+/campaigns"))
    globex_campaigns = page.url
    page.get_by_role("button", name=re.compile(r"Account menu")).click()
    page.get_by_role("menuitem", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in"))

    sign_in(page, "client@acme.example")
    expect(page.get_by_text("Globex")).to_have_count(0)
    page.goto(globex_campaigns)  # a Globex address, typed by hand
    expect(page.get_by_role("alert")).to_contain_text("not found", ignore_case=True)
    expect(page.get_by_text("Globex")).to_have_count(0)
    check_screen(page, "acme-client-on-a-globex-address")


def test_a_writer_cannot_open_the_api_keys_screen(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    workspace_url = page.url.removesuffix("/campaigns")
    page.goto(f"{workspace_url}/api-keys")
    expect(page.get_by_role("alert")).to_contain_text("api_keys:manage")
    expect(page.get_by_role("button", name="Create API key")).to_have_count(0)


def test_signing_out_ends_the_session(page: Page) -> None:
    sign_in(page, "reviewer@northwind.example")
    campaigns = page.url
    page.get_by_role("button", name=re.compile(r"Account menu")).click()
    page.get_by_role("menuitem", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in"))
    cookies = page.context.cookies()
    assert not [c for c in cookies if c["name"] == "brandflow_session"]
    page.goto(campaigns)
    page.wait_for_url(re.compile(r"/sign-in"))
    expect(page.get_by_label("Email")).to_be_visible()


def test_no_token_is_visible_to_page_javascript(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    assert page.evaluate("document.cookie") == ""  # the session cookie is httpOnly
    assert page.evaluate("window.localStorage.length") == 0
    assert page.evaluate("window.sessionStorage.length") == 0
    session = next(c for c in page.context.cookies() if c["name"] == "brandflow_session")
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"


def test_wrong_password_shows_the_problem_detail(page: Page) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill("writer@northwind.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The email or password is not correct.")
    check_screen(page, "sign-in-error")


def test_sign_in_works_by_keyboard_alone(page: Page) -> None:
    page.goto("/sign-in")
    email, password = page.get_by_label("Email"), page.get_by_label("Password")
    # The form is a lazy chunk behind a static shell: keys pressed before it mounts go nowhere.
    expect(email).to_be_visible()
    page.keyboard.press("Tab")  # the skip link comes first on every page
    for _ in range(10):
        if page.evaluate("document.activeElement?.getAttribute('type')") == "email":
            break
        page.keyboard.press("Tab")
    expect(email).to_be_focused()
    page.keyboard.type("strategist@northwind.example")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type("brandflow-demo")
    expect(email).to_have_value("strategist@northwind.example")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/w/[0-9a-f-]+/campaigns"))
    check_screen(page, "campaigns-after-keyboard-sign-in")
