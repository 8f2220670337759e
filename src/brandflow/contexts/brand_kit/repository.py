"""Brand kit queries, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.brand_kit.orm import BrandKitRow, BrandKitVersionRow
from brandflow.kernel.db import new_id


class DuplicateVersion(Exception):
    """Another transaction already wrote this version number of the workspace's kit."""


class BrandKitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(
        self, workspace_id: uuid.UUID
    ) -> tuple[BrandKitRow, BrandKitVersionRow] | None:
        """The kit's row and its current version, in one query (None: never saved)."""
        row = (
            await self.session.execute(
                select(BrandKitRow, BrandKitVersionRow)
                .join(
                    BrandKitVersionRow,
                    (BrandKitVersionRow.workspace_id == BrandKitRow.workspace_id)
                    & (BrandKitVersionRow.number == BrandKitRow.current_version),
                )
                .where(BrandKitRow.workspace_id == workspace_id)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def lock(self, workspace_id: uuid.UUID) -> BrandKitRow | None:
        """The kit's row, created at version 0 if missing, locked until the transaction ends.

        ``ON CONFLICT DO NOTHING`` makes two first saves meet on the same row: the second
        waits for the first to commit, then locks the row and sees its version.
        """
        await self.session.execute(
            insert(BrandKitRow)
            .values(id=new_id(), workspace_id=workspace_id, current_version=0)
            .on_conflict_do_nothing(index_elements=[BrandKitRow.workspace_id])
        )
        return await self.session.scalar(
            select(BrandKitRow)
            .where(BrandKitRow.workspace_id == workspace_id)
            .with_for_update()
            # Wait for a concurrent writer, then see its committed row, not a cached one.
            .execution_options(populate_existing=True)
        )

    async def version(self, workspace_id: uuid.UUID, number: int) -> BrandKitVersionRow | None:
        return await self.session.scalar(
            select(BrandKitVersionRow).where(
                BrandKitVersionRow.workspace_id == workspace_id,
                BrandKitVersionRow.number == number,
            )
        )

    async def versions(
        self, workspace_id: uuid.UUID, *, limit: int, before_number: int | None = None
    ) -> Sequence[BrandKitVersionRow]:
        """Newest first; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(BrandKitVersionRow).where(BrandKitVersionRow.workspace_id == workspace_id)
        if before_number is not None:
            query = query.where(BrandKitVersionRow.number < before_number)
        query = query.order_by(BrandKitVersionRow.number.desc()).limit(limit + 1)
        return (await self.session.scalars(query)).all()

    async def insert_version(self, version: BrandKitVersionRow) -> None:
        """Write a version now; the unique (workspace_id, number) turns a race into an error."""
        self.session.add(version)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if "uq_brand_kit_versions_workspace_id_number" in str(exc.orig):
                raise DuplicateVersion from exc
            raise
