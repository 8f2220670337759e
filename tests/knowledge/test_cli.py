"""`brandflow knowledge ingest PATH... --workspace SLUG` uploads, indexes and summarises."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from brandflow.cli import app
from brandflow.contexts.audit.orm import AuditEvent
from brandflow.contexts.knowledge.orm import KnowledgeDocument
from brandflow.kernel.db import create_engine, create_sessionmaker
from brandflow.seed import run_seed
from brandflow.settings import Settings, get_settings
from tests.conftest import truncate_all
from tests.knowledge.test_documents_api import GUIDE


async def _documents(url: str) -> tuple[list[KnowledgeDocument], list[AuditEvent]]:
    engine = create_engine(url, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session:
            documents = (await session.scalars(select(KnowledgeDocument))).all()
            audit = (
                await session.scalars(
                    select(AuditEvent).where(AuditEvent.action.like("knowledge.%"))
                )
            ).all()
            return list(documents), list(audit)
    finally:
        await engine.dispose()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = settings.database_url or ""
    asyncio.run(run_seed(settings, url))
    monkeypatch.setenv("BRANDFLOW_DATABASE_URL", url)
    monkeypatch.setenv("BRANDFLOW_STORAGE_URL", settings.storage_url or "")
    monkeypatch.setenv("COLUMNS", "300")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    asyncio.run(truncate_all(url))


def test_ingest_a_folder_reports_every_file(cli_env: str, tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text(GUIDE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "copy-of-guide.md").write_text(GUIDE)
    (tmp_path / "sub" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / ".hidden.txt").write_text("skipped")

    result = CliRunner().invoke(
        app, ["knowledge", "ingest", str(tmp_path), "--workspace", "acme-running", "--tag", "Brand"]
    )

    assert result.exit_code == 1, result.output  # one file refused
    assert "1 indexed" in result.output
    assert "1 duplicate" in result.output
    assert "1 refused" in result.output
    assert ".hidden" not in result.output
    documents, audit = asyncio.run(_documents(cli_env))
    assert len(documents) == 1
    assert documents[0].status == "indexed"
    assert documents[0].chunk_count >= 1
    assert documents[0].tags == ["brand"]
    assert {(a.actor_type, a.actor_id) for a in audit} == {("system", "knowledge-ingest")}


def test_unknown_workspace_is_a_readable_error(cli_env: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text")
    result = CliRunner().invoke(
        app, ["knowledge", "ingest", str(tmp_path / "a.txt"), "--workspace", "nope"]
    )
    assert result.exit_code == 2
    assert "No workspace `nope`" in result.output
