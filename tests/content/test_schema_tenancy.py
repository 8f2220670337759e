"""The schema itself refuses content that points at another workspace's campaign."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError

from brandflow.bootstrap import Container
from brandflow.contexts.campaigns.orm import Campaign
from brandflow.kernel.db import new_id
from brandflow.models import metadata


async def test_content_cannot_reference_another_workspaces_campaign(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    async with container.sessionmaker() as session:
        globex_campaign = await session.scalar(
            select(Campaign.id).where(Campaign.workspace_id == demo["globex-coffee"]).limit(1)
        )
        with pytest.raises(IntegrityError, match="fk_content_items_campaigns"):
            await session.execute(
                text(
                    "INSERT INTO content_items (id, workspace_id, campaign_id, channel, title,"
                    " current_version, created_at, updated_at)"
                    " VALUES (:id, :ws, :campaign, 'x', 'Smuggled', 1, now(), now())"
                ),
                {"id": new_id(), "ws": demo["acme-running"], "campaign": globex_campaign},
            )


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert drift == [], drift
