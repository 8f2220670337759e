"""Studio settings use cases, and what the generation pipeline reads of them.

HTTP: ``ProviderKeyService`` (an organization's keys) and ``AISettingsService`` (a
workspace's settings). Pipeline: ``chain_for_task`` (the task's routes, keys decrypted, or
the deployment's chain), ``ai_settings_of`` (score threshold, tone judge) and
``cheaper_route_for`` (what finops ``choose_route`` switches to near the budget limit).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.finops.public import CheaperRoute
from brandflow.contexts.identity.public import OrganizationAccess, WorkspaceAccess, organization_of
from brandflow.contexts.studio.checks import DEFAULT_MIN_SCORE
from brandflow.contexts.studio.settings import schemas
from brandflow.contexts.studio.settings.domain import (
    AISettings,
    AISettingsChanged,
    ProviderKeyCreated,
    ProviderKeyDeleted,
    ProviderKeyUpdated,
    RouteSpec,
    key_hint,
    settings_changes,
    settings_etag,
)
from brandflow.contexts.studio.settings.orm import ProviderCredential, WorkspaceAISettings
from brandflow.contexts.studio.settings.repository import NameTaken, SettingsRepository
from brandflow.kernel.crypto import DecryptionError, Keyring, associated_data, keyring_for
from brandflow.kernel.db import new_id, utcnow
from brandflow.kernel.errors import Conflict, NotFound, ServiceUnavailable, Unprocessable
from brandflow.kernel.etag import require_match
from brandflow.kernel.llm import ModelChain, ModelRoute, Task, from_settings
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings


class ProviderKeyUnreadable(ServiceUnavailable):
    """A route's stored key cannot be used: it does not decrypt, or no longer exists."""

    code, title = "provider-key-unreadable", "Provider key unreadable"


def _aad(organization_id: uuid.UUID, credential_id: uuid.UUID) -> bytes:
    """Binds a key's ciphertext to its organization and row."""
    return associated_data("provider_credential", organization_id, credential_id)


def _name_taken(name: str) -> Conflict:
    return Conflict(f"The organization already has a provider key called {name!r}.")


# --- provider keys --------------------------------------------------------------------


def to_key_read(row: ProviderCredential) -> schemas.ProviderKeyRead:
    return schemas.ProviderKeyRead(
        id=row.id,
        organization_id=row.organization_id,
        name=row.name,
        provider=row.provider,
        base_url=row.base_url,
        key_hint=row.key_hint,
        created_at=row.created_at,
        updated_at=row.updated_at,
        rotated_at=row.rotated_at,
    )


class ProviderKeyService:
    def __init__(self, uow: UnitOfWork, keyring: Keyring) -> None:
        self.uow = uow
        self.repo = SettingsRepository(uow.session)
        self.keyring = keyring

    async def list_keys(self, access: OrganizationAccess) -> list[schemas.ProviderKeyRead]:
        return [to_key_read(row) for row in await self.repo.credentials(access.organization_id)]

    async def create(
        self, access: OrganizationAccess, body: schemas.ProviderKeyCreate
    ) -> schemas.ProviderKeyRead:
        organization_id = access.organization_id
        if await self.repo.name_taken(organization_id, body.name):
            raise _name_taken(body.name)
        row = ProviderCredential(
            id=new_id(),
            organization_id=organization_id,
            name=body.name,
            provider=body.provider,
            base_url=body.base_url,
        )
        self._store_secret(row, body.api_key)
        await self._flush(row)
        self.uow.record(
            ProviderKeyCreated(
                workspace_id=None,
                subject_id=row.id,
                key_name=row.name,
                provider=row.provider,
                changes={"name": [None, row.name], "base_url": [None, row.base_url]},
            )
        )
        return to_key_read(row)

    async def update(
        self, access: OrganizationAccess, key_id: uuid.UUID, body: schemas.ProviderKeyUpdate
    ) -> schemas.ProviderKeyRead:
        row = await self._locked(access, key_id)
        if body.name != row.name and await self.repo.name_taken(
            access.organization_id, body.name, other_than=row.id
        ):
            raise _name_taken(body.name)
        changes: dict[str, list[Any]] = {
            field: [before, after]
            for field, before, after in (
                ("name", row.name, body.name),
                ("base_url", row.base_url, body.base_url),
            )
            if before != after
        }
        row.name, row.base_url = body.name, body.base_url
        if body.api_key is not None:
            before = row.rotated_at
            self._store_secret(row, body.api_key)
            changes["rotated_at"] = [before.isoformat(), row.rotated_at.isoformat()]
        if not changes:
            return to_key_read(row)
        await self._flush(row)
        self.uow.record(
            ProviderKeyUpdated(
                workspace_id=None,
                subject_id=row.id,
                key_name=row.name,
                provider=row.provider,
                secret_rotated=body.api_key is not None,
                changes=changes,
            )
        )
        return to_key_read(row)

    async def delete(self, access: OrganizationAccess, key_id: uuid.UUID) -> None:
        """Refused while a workspace routes to the key: its calls would fail, or silently
        move to the deployment's chain. The row lock makes a concurrent save that names the
        key either finish first (then it is seen here) or not find the key."""
        row = await self._locked(access, key_id)
        using = await self.repo.settings_using(row.id)
        if using:
            raise Conflict(
                f"The provider key {row.name!r} is used by the AI settings of {len(using)} "
                "workspace(s); route them elsewhere first.",
                workspace_ids=[str(w) for w in using],
            )
        await self.repo.delete_credential(row)
        self.uow.record(
            ProviderKeyDeleted(
                workspace_id=None,
                subject_id=row.id,
                key_name=row.name,
                provider=row.provider,
                changes={"name": [row.name, None]},
            )
        )

    def _store_secret(self, row: ProviderCredential, secret: SecretStr) -> None:
        value = secret.get_secret_value()
        row.secret_ciphertext = self.keyring.encrypt(
            value.encode(), _aad(row.organization_id, row.id)
        )
        row.key_hint = key_hint(value)
        row.rotated_at = utcnow()

    async def _locked(self, access: OrganizationAccess, key_id: uuid.UUID) -> ProviderCredential:
        row = await self.repo.credential(access.organization_id, key_id, for_update=True)
        if row is None:
            raise NotFound("Provider key not found.")
        return row

    async def _flush(self, row: ProviderCredential) -> None:
        try:
            await self.repo.flush_credential(row)
        except NameTaken as exc:
            raise _name_taken(row.name) from exc


# --- AI settings ----------------------------------------------------------------------


def parse_settings(row: WorkspaceAISettings | None) -> AISettings:
    """The stored settings; the defaults while never saved (no row, or revision 0)."""
    if row is None or row.revision == 0:
        return AISettings()
    return AISettings.model_validate(
        {
            "min_check_score": row.min_check_score,
            "tone_judge": row.tone_judge,
            "routing": row.routing,
            "near_limit": row.near_limit,
        }
    )


def to_settings_read(
    workspace_id: uuid.UUID, row: WorkspaceAISettings | None
) -> schemas.AISettingsRead:
    saved = row is not None and row.revision > 0
    return schemas.AISettingsRead(
        **dict(parse_settings(row)),
        workspace_id=workspace_id,
        revision=row.revision if row else 0,
        etag=settings_etag(workspace_id, row.revision if row else 0),
        updated_at=row.updated_at if row and saved else None,
        updated_by=(
            schemas.AISettingsAuthor(type=row.updated_by_type, id=row.updated_by_id)
            if row and saved and row.updated_by_type and row.updated_by_id
            else None
        ),
    )


class AISettingsService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = SettingsRepository(uow.session)

    async def current(self, access: WorkspaceAccess) -> schemas.AISettingsRead:
        return to_settings_read(access.workspace_id, await self.repo.settings(access.workspace_id))

    async def usable_keys(self, access: WorkspaceAccess) -> list[schemas.UsableProviderKey]:
        return [
            schemas.UsableProviderKey(
                id=row.id, name=row.name, provider=row.provider, base_url=row.base_url
            )
            for row in await self.repo.credentials(access.organization_id)
        ]

    async def save(
        self, access: WorkspaceAccess, wanted: AISettings, if_match: str | None
    ) -> schemas.AISettingsRead:
        """Replace the settings if ``if_match`` names the current revision. The row lock
        serialises saves: the second of two with the same ETag waits, then gets 412.
        Settings equal to the current ones write nothing (no revision, no event)."""
        workspace_id = access.workspace_id
        row = await self.repo.lock_settings(workspace_id)
        if row is None:
            raise NotFound("Workspace not found.")
        require_match(if_match, settings_etag(workspace_id, row.revision))
        await self._check_keys(access, wanted)
        changes = settings_changes(parse_settings(row), wanted)
        if not changes:
            return to_settings_read(workspace_id, row)
        actor = access.principal.actor
        row.min_check_score = wanted.min_check_score
        row.tone_judge = wanted.tone_judge
        row.routing = wanted.routing.model_dump(mode="json", exclude_none=True)
        row.near_limit = (
            wanted.near_limit.model_dump(mode="json", exclude_none=True)
            if wanted.near_limit
            else None
        )
        row.revision += 1
        row.updated_by_type, row.updated_by_id = actor.type, actor.id
        await self.uow.session.flush()
        self.uow.record(
            AISettingsChanged(
                workspace_id=workspace_id,
                subject_id=workspace_id,
                revision=row.revision,
                changed_fields=list(changes),
                changes={"revision": [row.revision - 1, row.revision], **changes},
            )
        )
        return to_settings_read(workspace_id, row)

    async def _check_keys(self, access: WorkspaceAccess, wanted: AISettings) -> None:
        """Every named key must be the organization's, for the route's provider. The keys
        stay share-locked until the save commits (see ``ProviderKeyService.delete``)."""
        named = [(loc, r) for loc, r in wanted.routes() if r.credential_id is not None]
        keys = await self.repo.credentials_by_id(
            access.organization_id,
            {r.credential_id for _, r in named if r.credential_id},
            share_lock=True,
        )
        errors: list[dict[str, Any]] = []
        for loc, route in named:
            key = keys.get(route.credential_id) if route.credential_id else None
            where = ["body", *loc, "credential_id"]
            if key is None:
                errors.append(
                    {
                        "loc": where,
                        "msg": "No such provider key in this workspace's organization.",
                        "type": "not_found",
                    }
                )
            elif key.provider != route.provider:
                errors.append(
                    {
                        "loc": where,
                        "msg": f"{key.name!r} is a key for {key.provider}; this route "
                        f"calls {route.provider}.",
                        "type": "provider_mismatch",
                    }
                )
        if errors:
            raise Unprocessable("A route names a provider key it cannot use.", errors=errors)


# --- what the generation pipeline reads -----------------------------------------------


@dataclass(frozen=True, slots=True)
class AISettingsView:
    """What checks and generations need of a workspace's settings (no keys, no routes)."""

    workspace_id: uuid.UUID
    min_check_score: int = DEFAULT_MIN_SCORE
    tone_judge: bool = False
    near_limit_threshold_percent: int | None = None
    revision: int = 0


async def _stored(session: AsyncSession, workspace_id: uuid.UUID) -> tuple[AISettings, int]:
    row = await SettingsRepository(session).settings(workspace_id)
    return parse_settings(row), row.revision if row else 0


async def ai_settings_of(session: AsyncSession, workspace_id: uuid.UUID) -> AISettingsView:
    settings, revision = await _stored(session, workspace_id)
    near = settings.near_limit
    return AISettingsView(
        workspace_id=workspace_id,
        min_check_score=settings.min_check_score,
        tone_judge=settings.tone_judge,
        near_limit_threshold_percent=near.threshold_percent if near else None,
        revision=revision,
    )


async def chain_for_task(
    session: AsyncSession, workspace_id: uuid.UUID, task: Task, settings: Settings
) -> ModelChain:
    """The workspace's routes for ``task`` with their keys decrypted; the deployment's
    chain (``BRANDFLOW_LLM_*``) when the workspace configured none for it."""
    specs = (await _stored(session, workspace_id))[0].routing.for_task(task)
    if not specs:
        return from_settings(settings)
    return ModelChain.of(*await _model_routes(session, workspace_id, specs, settings))


async def cheaper_route_for(
    session: AsyncSession, workspace_id: uuid.UUID, settings: Settings
) -> CheaperRoute[ModelRoute] | None:
    """The near-limit route, for ``finops.choose_route(states, chain.routes, cheaper)``."""
    near = (await _stored(session, workspace_id))[0].near_limit
    if near is None:
        return None
    routes = await _model_routes(session, workspace_id, near.routes, settings)
    return CheaperRoute(Decimal(near.threshold_percent), tuple(routes))


async def _model_routes(
    session: AsyncSession, workspace_id: uuid.UUID, specs: Iterable[RouteSpec], settings: Settings
) -> list[ModelRoute]:
    specs = list(specs)
    ids = {s.credential_id for s in specs if s.credential_id is not None}
    keys: dict[uuid.UUID, ProviderCredential] = {}
    if ids and (organization_id := await organization_of(session, workspace_id)) is not None:
        keys = await SettingsRepository(session).credentials_by_id(organization_id, ids)
    keyring = keyring_for(settings)
    return [_model_route(spec, keys, keyring, settings) for spec in specs]


def _model_route(
    spec: RouteSpec,
    keys: Mapping[uuid.UUID, ProviderCredential],
    keyring: Keyring,
    settings: Settings,
) -> ModelRoute:
    route: dict[str, Any] = {
        "provider": spec.provider,
        "model": spec.model,
        "base_url": spec.base_url,
        "timeout_seconds": spec.timeout_seconds or settings.llm_timeout_seconds,
        "max_retries": settings.llm_max_retries if spec.max_retries is None else spec.max_retries,
    }
    if spec.credential_id is not None:
        key = keys.get(spec.credential_id)
        if key is None:
            raise ProviderKeyUnreadable(
                f"The {spec.label} route names a provider key that no longer exists; "
                "a manager must update the workspace's AI settings."
            )
        route["base_url"] = key.base_url
        route["api_key"] = SecretStr(_decrypt(key, keyring))
    return ModelRoute.model_validate(route)


def _decrypt(key: ProviderCredential, keyring: Keyring) -> str:
    try:
        plain = keyring.decrypt(key.secret_ciphertext, _aad(key.organization_id, key.id))
    except DecryptionError as exc:
        raise ProviderKeyUnreadable(f"The provider key {key.name!r} cannot be used: {exc}") from exc
    return plain.decode()
