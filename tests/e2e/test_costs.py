"""Costs in the browser: budgets set through the form and kept, usage written to the ledger
by the real finops code and shown on the dashboard, the soft-limit banner, and the roles that
see less (a reviewer reads, a client approver sees no costs at all)."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from brandflow.contexts.finops.public import CallContext, Task, TokenCounts, record
from brandflow.kernel.context import Actor
from brandflow.kernel.db import create_engine as create_async_engine
from brandflow.kernel.db import create_sessionmaker
from brandflow.settings import LLMPrice, Settings
from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

# Whichever test of a run comes first also waits for the server to migrate, seed and start
# (most of two minutes on a busy 2-core machine); the budget journey alone takes a minute.
pytestmark = pytest.mark.timeout(300)

WORKSPACE_URL = re.compile(r"/w/([0-9a-f-]+)/")
# A made-up model priced only here: $2.50 per million input tokens, $10 per million output.
PROVIDER, MODEL = "e2e", "probe-large"
PRICE = LLMPrice(input_mtok=Decimal("2.5"), output_mtok=Decimal("10"))


@dataclass(frozen=True)
class Call:
    task: Task
    input_tokens: int
    output_tokens: int
    cached_tokens: int = 0
    campaign_id: uuid.UUID | None = None


class Ledger:
    """Writes usage rows into the e2e server's database with finops' own ``record``, priced
    by a configured price table, as the gateway does after a model call."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.settings = Settings(
            database_url=database_url, llm_prices={f"{PROVIDER}:{MODEL}": PRICE}
        )
        self.workspaces: set[uuid.UUID] = set()

    def scalar(self, sql: str, **params: object) -> uuid.UUID:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                value = conn.execute(text(sql), params).scalar_one()
        finally:
            engine.dispose()
        assert isinstance(value, uuid.UUID)
        return value

    def user_id(self, email: str) -> uuid.UUID:
        return self.scalar("SELECT id FROM users WHERE email = :email", email=email)

    def campaign_id(self, workspace_id: uuid.UUID, name: str) -> uuid.UUID:
        return self.scalar(
            "SELECT id FROM campaigns WHERE workspace_id = :ws AND name = :name",
            ws=workspace_id,
            name=name,
        )

    def record(self, workspace_id: uuid.UUID, user_id: uuid.UUID, *calls: Call) -> None:
        self.workspaces.add(workspace_id)
        # Sync Playwright owns this thread's event loop; the async code runs in its own.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, self._record(workspace_id, user_id, calls)).result()

    async def _record(
        self, workspace_id: uuid.UUID, user_id: uuid.UUID, calls: tuple[Call, ...]
    ) -> None:
        engine = create_async_engine(self.database_url, pool_size=1)
        try:
            sessions = create_sessionmaker(engine)
            for call in calls:
                context = CallContext(
                    workspace_id=workspace_id,
                    task=call.task,
                    provider=PROVIDER,
                    model=MODEL,
                    actor=Actor("user", str(user_id)),
                    campaign_id=call.campaign_id,
                )
                usage = TokenCounts(
                    input_tokens=call.input_tokens,
                    output_tokens=call.output_tokens,
                    cache_read_tokens=call.cached_tokens,
                )
                await record(sessions, context, usage, latency_ms=120, settings=self.settings)
        finally:
            await engine.dispose()

    def remove_budgets(self, workspace_id: uuid.UUID) -> None:
        engine = create_engine(self.database_url)
        try:
            with engine.begin() as conn:
                conn.execute(
                    text("DELETE FROM budgets WHERE workspace_id = :ws"), {"ws": workspace_id}
                )
        finally:
            engine.dispose()


@pytest.fixture
def ledger(e2e_database_url: str) -> Iterator[Ledger]:
    ledger = Ledger(e2e_database_url)
    yield ledger
    # Budgets left behind would put a banner on other tests' screens (and could refuse calls).
    for workspace_id in ledger.workspaces:
        ledger.remove_budgets(workspace_id)


def workspace_of(page: Page) -> uuid.UUID:
    match = WORKSPACE_URL.search(page.url)
    assert match, page.url
    return uuid.UUID(match.group(1))


def open_costs(page: Page, view: str = "Usage") -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Costs").click()
    expect(page.get_by_role("heading", level=1, name="Costs")).to_be_visible()
    if view != "Usage":
        page.get_by_role("navigation", name="Cost views").get_by_role("link", name=view).click()
        expect(page.get_by_role("heading", level=1, name=view)).to_be_visible()


def test_budgets_usage_dashboard_and_soft_limit_banner(page: Page, ledger: Ledger) -> None:
    sign_in(page, "strategist@northwind.example")
    workspace_id = workspace_of(page)
    ledger.workspaces.add(workspace_id)
    open_costs(page)

    # A period long before anyone used a model: the empty state explains.
    page.get_by_role("radiogroup", name="Period").get_by_text("Custom", exact=True).click()
    custom = page.get_by_role("form", name="Custom period")
    custom.get_by_label("First day").fill("2020-01-01")
    custom.get_by_label("Last day").fill("2020-01-31")
    custom.get_by_role("button", name="Show period").click()
    expect(page.get_by_role("heading", name="No AI usage in this period")).to_be_visible()
    assert "period=custom" in page.url
    check_screen(page, "costs-empty")

    # The workspace's budget and one campaign's, set through the form.
    open_costs(page, "Budgets")
    form = page.get_by_role("form", name="Budgets")
    workspace = form.get_by_role("region", name="Workspace budget")
    workspace.get_by_role("checkbox", name="Set a monthly budget for the whole workspace").check()
    workspace.get_by_role("textbox", name=re.compile(r"^Monthly limit")).fill("10")
    workspace.get_by_role("textbox", name=re.compile(r"^Warn at")).fill("50")
    campaigns = form.get_by_role("region", name="Campaign budgets")
    campaign_name = campaigns.get_by_role("combobox", name="Campaign").evaluate(
        "select => select.selectedOptions[0].textContent"
    )
    campaigns.get_by_role("button", name="Add campaign budget").click()
    row = campaigns.get_by_role("group", name=f"Budget of {campaign_name}")
    row.get_by_role("textbox", name=re.compile(r"^Monthly limit")).fill("100")
    check_screen(page, "budgets-editor")
    form.get_by_role("button", name="Save budgets").click()
    expect(form.get_by_text("No unsaved changes.")).to_be_visible()
    expect(
        page.get_by_role("progressbar", name=re.compile(r"^Workspace: spent, [\d.]+% of the limit"))
    ).to_be_attached()

    page.reload()
    form = page.get_by_role("form", name="Budgets")
    workspace = form.get_by_role("region", name="Workspace budget")
    expect(workspace.get_by_role("textbox", name=re.compile(r"^Monthly limit"))).to_have_value(
        "10.00"
    )
    expect(workspace.get_by_role("textbox", name=re.compile(r"^Warn at"))).to_have_value("50")
    row = form.get_by_role("group", name=f"Budget of {campaign_name}")
    expect(row.get_by_role("textbox", name=re.compile(r"^Monthly limit"))).to_have_value("100.00")

    # $6.0025 of model calls, one of a quarter of a cent: 60% of the workspace's $10.
    strategist = ledger.user_id("strategist@northwind.example")
    campaign_id = ledger.campaign_id(workspace_id, campaign_name)
    ledger.record(
        workspace_id,
        strategist,
        Call(Task.GENERATE, 1_000_000, 200_000, campaign_id=campaign_id),  # $2.50 + $2.00
        Call(Task.REWRITE, 400_000, 50_000, cached_tokens=100_000),  # $1.00 + $0.50
        Call(Task.CHECK, 1_000, 0),  # $0.0025
    )
    page.reload()
    banner = page.get_by_role("region", name="AI budget warning")
    expect(banner).to_contain_text(
        re.compile(r"This workspace has used \d+% of its monthly AI budget\.")
    )
    check_screen(page, "budgets-soft-limit-banner")

    # The dashboard: totals, the chart, and each breakdown.
    page.get_by_role("navigation", name="Cost views").get_by_role("link", name="Usage").click()
    expect(page.get_by_role("heading", level=1, name="Costs")).to_be_visible()
    models = page.get_by_role("table", name="Usage by model, costliest first")
    model_row = models.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=f"{MODEL} ({PROVIDER})")
    )
    expect(model_row).to_contain_text("$6.00")
    expect(model_row).to_contain_text("1,401,000")  # tokens in
    expect(page.get_by_role("img", name=re.compile(r"^Cost per day, "))).to_be_visible()
    expect(page.locator(".recharts-bar-rectangle").first).to_be_attached()
    people = page.get_by_role("table", name="Usage by person, costliest first")
    expect(people.get_by_role("rowheader", name="You")).to_be_visible()
    by_campaign = page.get_by_role("table", name="Usage by campaign, costliest first")
    expect(by_campaign.get_by_role("rowheader", name=campaign_name)).to_be_visible()
    tasks = page.get_by_role("table", name="Usage by task, costliest first")
    expect(
        tasks.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Compliance check"))
    ).to_contain_text("$0.0025")
    page.get_by_role("button", name="Show the numbers").click()
    expect(page.get_by_role("table", name="Usage per day")).to_be_visible()
    check_screen(page, "costs-dashboard")

    # Dismissed, the warning stays away on the tab's other screens.
    banner.get_by_role("button", name="Dismiss the budget warning").click()
    expect(banner).to_have_count(0)
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Campaigns").click()
    expect(page.get_by_role("heading", level=1, name="Campaigns")).to_be_visible()
    expect(page.get_by_role("region", name="AI budget warning")).to_have_count(0)

    # Removing the budgets through the form; nothing is left to warn about.
    open_costs(page, "Budgets")
    form = page.get_by_role("form", name="Budgets")
    form.get_by_role("checkbox", name="Set a monthly budget for the whole workspace").uncheck()
    form.get_by_role("button", name=f"Remove the budget of {campaign_name}").click()
    form.get_by_role("button", name="Save budgets").click()
    expect(form.get_by_text("No unsaved changes.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"spent this month\. No budget\."))).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Budgets")).to_be_visible()
    expect(
        page.get_by_role("form", name="Budgets").get_by_role(
            "checkbox", name="Set a monthly budget for the whole workspace"
        )
    ).not_to_be_checked()
    expect(page.get_by_role("region", name="AI budget warning")).to_have_count(0)


def test_a_reviewer_reads_budgets_without_changing_them(page: Page) -> None:
    sign_in(page, "reviewer@northwind.example")
    open_costs(page, "Budgets")
    expect(page.get_by_text(re.compile(r"can see the budgets but not change them"))).to_be_visible()
    expect(page.get_by_role("form", name="Budgets")).to_have_count(0)
    expect(page.get_by_role("button", name="Save budgets")).to_have_count(0)
    check_screen(page, "budgets-read-only")


def test_a_client_approver_sees_no_costs(page: Page) -> None:
    sign_in(page, "client@acme.example")
    navigation = page.get_by_role("navigation", name="Workspace")
    expect(navigation.get_by_role("link", name="Campaigns")).to_be_visible()
    expect(navigation.get_by_role("link", name="Costs")).to_have_count(0)
    page.goto(page.url.replace("/campaigns", "/costs"))  # typed by hand
    expect(page.get_by_role("alert")).to_contain_text("usage:read")
    expect(page.get_by_role("table")).to_have_count(0)
    check_screen(page, "costs-as-client")
