"""Fixtures of the browser tests: one server and one Chromium per run, a context per test."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import DEMO_PASSWORD, service_unavailable
from tests.e2e.harness import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    WEB_DIST,
    fresh_database,
    running_server,
)


@pytest.fixture(scope="session")
def e2e_database_url(database_url: str) -> Iterator[str]:
    """The database the browser tests' server runs on (tests may write to it, e.g. usage)."""
    with fresh_database(database_url) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(e2e_database_url: str) -> Iterator[str]:
    if not (WEB_DIST / "index.html").is_file():
        pytest.fail("The web app is not built: run `make web` (part of `make test`).")
    with running_server(e2e_database_url, ARTIFACTS.parent / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        service_unavailable(
            f"Chromium is not installed at {CHROMIUM} (`apt-get install -y chromium`)"
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 860},
        reduced_motion="reduce",  # no transitions: axe and screenshots see settled pages
    )
    context.set_default_timeout(float(os.environ.get("BRANDFLOW_E2E_TIMEOUT_MS", "10000")))
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Signs in through the sign-in screen and waits for the first workspace to load."""
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/w/[0-9a-f-]+/campaigns"))
