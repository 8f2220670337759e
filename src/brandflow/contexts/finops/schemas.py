"""API models of the finops context. Money is USD, sent as decimal strings (exact)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from brandflow.contexts.finops.domain import CURRENCY

GroupBy = Literal["day", "model", "campaign", "user", "task"]
MAX_CAMPAIGN_BUDGETS = 500

MonthlyLimit = Annotated[
    Decimal,
    Field(
        ge=0,
        le=Decimal("1000000000"),
        max_digits=12,
        decimal_places=2,
        description="USD per calendar month (UTC), at most two decimals",
        examples=["500.00"],
    ),
]
Usd = Annotated[Decimal, Field(description="USD, exact", examples=["12.345678"])]


class BudgetSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    monthly_limit: MonthlyLimit
    soft_threshold_percent: int = Field(
        default=80,
        ge=1,
        le=100,
        description="Spend at which the app warns (an event, a banner), in percent of the limit",
    )
    hard_limit: bool = Field(
        default=True,
        description="Refuse model calls (402) that would exceed the limit; false: warn only",
    )


class CampaignBudgetSettings(BudgetSettings):
    campaign_id: uuid.UUID


def _campaigns_unique(items: list[CampaignBudgetSettings]) -> list[CampaignBudgetSettings]:
    seen: set[uuid.UUID] = set()
    for item in items:
        if item.campaign_id in seen:
            raise ValueError(f"Campaign {item.campaign_id} has two budgets")
        seen.add(item.campaign_id)
    return items


class BudgetsUpdate(BaseModel):
    """Every budget of the workspace: what is left out is removed."""

    model_config = ConfigDict(extra="forbid")

    workspace: BudgetSettings | None = Field(
        default=None, description="The whole workspace's budget; null: none"
    )
    campaigns: Annotated[list[CampaignBudgetSettings], AfterValidator(_campaigns_unique)] = Field(
        default_factory=list,
        max_length=MAX_CAMPAIGN_BUDGETS,
        description="Budgets of single campaigns, on top of the workspace's",
    )


class BudgetStatusRead(BaseModel):
    """One scope this month: its budget, if any, and where spend stands."""

    campaign_id: uuid.UUID | None = Field(description="null: the whole workspace")
    monthly_limit: Usd | None = Field(description="null: no budget")
    soft_threshold_percent: int | None
    hard_limit: bool | None
    spent: Usd = Field(description="Spent this month (UTC)")
    reserved: Usd = Field(description="Held by model calls in progress")
    remaining: Usd | None = Field(description="Limit minus spent and reserved, at least 0")
    percent_used: Decimal | None = Field(description="Spent in percent of the limit")
    soft_reached: bool = Field(description="Spend reached the soft threshold: show a warning")
    hard_blocked: bool = Field(description="A hard limit refuses every paid model call now")


class BudgetsRead(BaseModel):
    workspace_id: uuid.UUID
    currency: str = CURRENCY
    period: str = Field(description="The current month, YYYY-MM (UTC)", examples=["2026-11"])
    etag: str = Field(description="Send it as If-Match to update without overwriting others")
    workspace: BudgetStatusRead
    campaigns: list[BudgetStatusRead] = Field(description="Campaigns with a budget")


class UsageTotals(BaseModel):
    calls: int = Field(description="Ledgered model and embedding calls")
    cache_hits: int = Field(description="Calls answered by the exact-response cache, free")
    unpriced_calls: int = Field(description="Calls of a model with no known price (cost null)")
    input_tokens: int
    output_tokens: int
    cached_tokens: int = Field(description="Input tokens read from the provider's cache")
    cost: Usd = Field(description="Sum of the priced calls' costs")


class UsageGroup(UsageTotals):
    key: str | None = Field(
        description="The day (YYYY-MM-DD), model, campaign id (null: none), actor id or task"
    )
    provider: str | None = Field(default=None, description="By model: its provider")
    actor_type: str | None = Field(default=None, description="By user: user, api_key or system")


class UsageReport(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    workspace_id: uuid.UUID
    group_by: GroupBy
    from_: date = Field(alias="from", description="First day, inclusive (UTC)")
    to: date = Field(description="Last day, inclusive (UTC)")
    campaign_id: uuid.UUID | None = Field(description="Only this campaign's calls, if set")
    currency: str = CURRENCY
    totals: UsageTotals
    groups: list[UsageGroup]
