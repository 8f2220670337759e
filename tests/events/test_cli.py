"""`brandflow events dead-letters` shows what the consumers gave up on."""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from brandflow.cli import app
from brandflow.kernel.db import create_engine, create_sessionmaker
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.retries import FailureStore
from brandflow.settings import Settings, get_settings
from tests.conftest import truncate_all
from tests.events.support import campaign_created, envelope_of


async def _park(url: str) -> Envelope:
    engine = create_engine(url, pool_size=1)
    try:
        store = FailureStore(create_sessionmaker(engine), max_attempts=2, base_seconds=0.01)
        parked, retrying = envelope_of(campaign_created()), envelope_of(campaign_created())
        assert not await store.record("test.cli", parked, 1, RuntimeError("first"))
        assert await store.record("test.cli", parked, 2, RuntimeError("handler exploded"))
        assert not await store.record("test.cli", retrying, 1, RuntimeError("once"))
        return parked
    finally:
        await engine.dispose()


def test_dead_letters_command_lists_parked_events(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings.database_url or ""
    parked = asyncio.run(_park(url))
    monkeypatch.setenv("BRANDFLOW_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "300")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["events", "dead-letters"])
    finally:
        get_settings.cache_clear()
        asyncio.run(truncate_all(url))
    assert result.exit_code == 0, result.output
    assert "Dead letters (1)" in result.output
    assert str(parked.event_id) in result.output
    assert "handler exploded" in result.output
    assert "campaigns.campaign_created" in result.output
