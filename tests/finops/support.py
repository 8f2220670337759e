"""Shared helpers of the finops tests: demo campaigns, budgets, calls, events."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from brandflow.bootstrap import Container
from brandflow.contexts.campaigns.orm import Campaign
from brandflow.contexts.finops.orm import Budget
from brandflow.contexts.finops.public import CallContext, ConfiguredPrice, Task
from brandflow.kernel.context import Actor
from brandflow.kernel.outbox import OutboxMessage
from brandflow.settings import Settings

# Prices of made-up models, per million tokens: easy numbers for budget arithmetic.
# "probe-1": $1 per million input and output tokens, so 100,000 tokens cost $0.10.
SETTINGS = Settings(
    llm_prices={
        "test:probe-1": ConfiguredPrice(input_mtok=Decimal(1), output_mtok=Decimal(1)),
        "test:probe-cheap": ConfiguredPrice(input_mtok=Decimal("0.1"), output_mtok=Decimal("0.1")),
    },
    llm_cache_ttl_seconds=3600,
)
WRITER = Actor("user", "00000000-0000-7000-8000-000000000001")


async def campaigns_of(container: Container, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(Campaign.id).where(Campaign.workspace_id == workspace_id).order_by(Campaign.id)
        )
        return list(rows)


async def set_budget(
    container: Container,
    workspace_id: uuid.UUID,
    limit: str,
    *,
    campaign_id: uuid.UUID | None = None,
    soft: int = 80,
    hard: bool = True,
) -> None:
    async with container.sessionmaker() as session:
        session.add(
            Budget(
                workspace_id=workspace_id,
                campaign_id=campaign_id,
                monthly_limit_usd=Decimal(limit),
                soft_threshold_percent=soft,
                hard_limit=hard,
            )
        )
        await session.commit()


def call(
    workspace_id: uuid.UUID,
    *,
    campaign_id: uuid.UUID | None = None,
    model: str = "probe-1",
    provider: str = "test",
    task: Task = Task.GENERATE,
    actor: Actor = WRITER,
) -> CallContext:
    return CallContext(
        workspace_id=workspace_id,
        task=task,
        provider=provider,
        model=model,
        actor=actor,
        campaign_id=campaign_id,
        request_id="req-finops",
        trace_id="0af7651916cd43dd8448eb211c80319c",
    )


async def events(container: Container, name: str, workspace_id: uuid.UUID) -> list[dict[str, Any]]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.type == name, OutboxMessage.workspace_id == workspace_id)
            .order_by(OutboxMessage.created_at)
        )
        return [row.envelope["payload"] for row in rows]


async def count(container: Container, table: Any, *where: Any) -> int:
    async with container.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(table).where(*where)) or 0)
