"""Queries of studio settings: keys always inside one organization, settings inside one
workspace."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB, JSONPATH, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.studio.settings.domain import AISettings
from brandflow.contexts.studio.settings.orm import ProviderCredential, WorkspaceAISettings

NAME_TAKEN = "uq_provider_credentials_organization_id_name"
# Where routes keep credential ids: ``routing`` is {task: [route, ...]}.
_ROUTING_CREDENTIALS = "$.*[*].credential_id ? (@ == $id)"
_NEAR_LIMIT_CREDENTIALS = "$.routes[*].credential_id ? (@ == $id)"


class NameTaken(Exception):
    """Another key of the organization has this name (a concurrent save got there first)."""


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- provider keys --------------------------------------------------------------
    async def credentials(self, organization_id: uuid.UUID) -> Sequence[ProviderCredential]:
        return (
            await self.session.scalars(
                select(ProviderCredential)
                .where(ProviderCredential.organization_id == organization_id)
                .order_by(ProviderCredential.name, ProviderCredential.id)
            )
        ).all()

    async def credential(
        self, organization_id: uuid.UUID, credential_id: uuid.UUID, *, for_update: bool = False
    ) -> ProviderCredential | None:
        query = select(ProviderCredential).where(
            ProviderCredential.organization_id == organization_id,
            ProviderCredential.id == credential_id,
        )
        return await self.session.scalar(query.with_for_update() if for_update else query)

    async def credentials_by_id(
        self, organization_id: uuid.UUID, ids: Collection[uuid.UUID], *, share_lock: bool = False
    ) -> dict[uuid.UUID, ProviderCredential]:
        """The organization's keys among ``ids``. ``share_lock``: a save that names them
        holds them until it commits, so a concurrent delete waits and then sees the use."""
        if not ids:
            return {}
        query = select(ProviderCredential).where(
            ProviderCredential.organization_id == organization_id,
            ProviderCredential.id.in_(list(ids)),
        )
        rows = await self.session.scalars(query.with_for_update(read=True) if share_lock else query)
        return {row.id: row for row in rows}

    async def name_taken(
        self, organization_id: uuid.UUID, name: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        query = select(ProviderCredential.id).where(
            ProviderCredential.organization_id == organization_id, ProviderCredential.name == name
        )
        if other_than is not None:
            query = query.where(ProviderCredential.id != other_than)
        return await self.session.scalar(query.limit(1)) is not None

    async def flush_credential(self, credential: ProviderCredential) -> None:
        """Write now: the unique (organization_id, name) turns a race into ``NameTaken``."""
        self.session.add(credential)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if NAME_TAKEN in str(exc.orig):
                raise NameTaken from exc
            raise

    async def delete_credential(self, credential: ProviderCredential) -> None:
        await self.session.delete(credential)
        await self.session.flush()

    async def settings_using(self, credential_id: uuid.UUID) -> Sequence[uuid.UUID]:
        """Workspaces whose saved routing (or near-limit route) names the credential."""
        bound = literal({"id": str(credential_id)}, JSONB)
        near_limit = func.coalesce(WorkspaceAISettings.near_limit, cast({}, JSONB))
        rows = await self.session.scalars(
            select(WorkspaceAISettings.workspace_id)
            .where(
                or_(
                    func.jsonb_path_exists(
                        WorkspaceAISettings.routing, cast(_ROUTING_CREDENTIALS, JSONPATH), bound
                    ),
                    func.jsonb_path_exists(
                        near_limit, cast(_NEAR_LIMIT_CREDENTIALS, JSONPATH), bound
                    ),
                )
            )
            .order_by(WorkspaceAISettings.workspace_id)
        )
        return rows.all()

    # --- AI settings ----------------------------------------------------------------
    async def settings(self, workspace_id: uuid.UUID) -> WorkspaceAISettings | None:
        return await self.session.get(WorkspaceAISettings, workspace_id)

    async def lock_settings(self, workspace_id: uuid.UUID) -> WorkspaceAISettings | None:
        """The workspace's row, created with the defaults at revision 0 if missing, locked
        until the transaction ends: two saves of one workspace run one after the other."""
        defaults = AISettings()
        await self.session.execute(
            insert(WorkspaceAISettings)
            .values(
                workspace_id=workspace_id,
                revision=0,
                min_check_score=defaults.min_check_score,
                tone_judge=defaults.tone_judge,
                routing={},
                near_limit=None,
            )
            .on_conflict_do_nothing(index_elements=[WorkspaceAISettings.workspace_id])
        )
        return await self.session.scalar(
            select(WorkspaceAISettings)
            .where(WorkspaceAISettings.workspace_id == workspace_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
