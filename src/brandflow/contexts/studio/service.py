"""Generation use cases behind the API: request, list, read, and a version's provenance."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from brandflow.contexts.campaigns.public import CampaignStatus, campaign_facts
from brandflow.contexts.content.public import ContentService
from brandflow.contexts.finops.public import BudgetExceeded, budget_states
from brandflow.contexts.identity.public import Permission, WorkspaceAccess
from brandflow.contexts.studio import schemas
from brandflow.contexts.studio.domain import (
    EventKind,
    GenerationRequested,
    GenerationStatus,
    Operation,
    ProvenanceNotFound,
)
from brandflow.contexts.studio.guardrails import refuse_payment_cards
from brandflow.contexts.studio.orm import Generation, GenerationEvent, VersionProvenance
from brandflow.contexts.studio.repository import StudioRepository
from brandflow.kernel.context import request_id_var
from brandflow.kernel.db import utcnow
from brandflow.kernel.errors import Conflict, NotFound, Unprocessable
from brandflow.kernel.pagination import Page, PageParams, decode_cursor, encode_cursor, split_page
from brandflow.kernel.telemetry import current_trace_id
from brandflow.kernel.uow import UnitOfWork

API = "/api/v1"
CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal | None:
    """An amount as the API sends it: exact, no trailing zeros past the cents (0.00, 0.000015)."""
    if value is None:
        return None
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return normalized.quantize(CENT)
    return normalized


def generation_path(row: Generation) -> str:
    return (
        f"{API}/workspaces/{row.workspace_id}/campaigns/{row.campaign_id}"
        f"/contents/{row.content_id}/generations/{row.id}"
    )


def to_read(row: Generation, access: WorkspaceAccess) -> schemas.GenerationRead:
    usage = (
        schemas.UsageRead(
            calls=row.calls,
            cache_hits=row.cache_hits,
            input_tokens=row.input_tokens,
            output_tokens=row.output_tokens,
            cached_tokens=row.cached_tokens,
            cost=money(row.cost_usd),
        )
        if access.can(Permission.USAGE_READ)
        else None
    )
    return schemas.GenerationRead(
        id=row.id,
        workspace_id=row.workspace_id,
        campaign_id=row.campaign_id,
        content_id=row.content_id,
        operation=Operation(row.operation),
        status=GenerationStatus(row.status),
        error_code=row.error_code,
        reason=row.reason,
        instructions=row.instructions,
        variants_requested=row.variants,
        source_version=row.source_version,
        tone=row.tone,
        language=row.language,
        variants=[schemas.VariantRead.model_validate(v) for v in row.results],
        usage=usage,
        model_label=row.model_label,
        requested_by=schemas.Actor(type=row.requested_by_type, id=row.requested_by_id),
        attempts=row.attempts,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        events_url=f"{generation_path(row)}/events",
    )


def to_provenance(row: VersionProvenance, access: WorkspaceAccess) -> schemas.ProvenanceRead:
    data: dict[str, Any] = {
        "content_id": row.content_id,
        "version_number": row.version_number,
        "generation_id": row.generation_id,
        "variant_index": row.variant_index,
        "operation": row.operation,
        "template": row.template,
        "model": row.model,
        "parameters": row.parameters,
        "chunks": row.chunks,
        "guardrails": row.guardrails,
        "check": row.check,
        "input_tokens": row.input_tokens,
        "output_tokens": row.output_tokens,
        "cached_tokens": row.cached_tokens,
        "cache_hit": row.cache_hit,
        "cost": money(row.cost_usd) if access.can(Permission.USAGE_READ) else None,
        "latency_ms": row.latency_ms,
        "attempts": row.attempts,
        "usage_record_id": row.usage_record_id,
        "trace_id": row.trace_id,
        "created_at": row.created_at,
    }
    return schemas.ProvenanceRead.model_validate(data)


class GenerationService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = StudioRepository(uow.session)

    async def request(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        data: schemas.GenerationCreate,
    ) -> Generation:
        """Queue a generation and its job's event, in this transaction. A card number in the
        instructions is refused (422) before anything is stored; a workspace or campaign over
        its hard budget is refused (402) before anything is queued."""
        refuse_payment_cards(data.instructions)
        session = self.uow.session
        item, _ = await ContentService(self.uow).get(access, campaign_id, content_id)
        facts = await campaign_facts(session, access.workspace_id, campaign_id, lock_shared=True)
        if facts is None:
            raise NotFound("Campaign not found.")
        if facts.status == CampaignStatus.ARCHIVED:
            raise Conflict("The campaign is archived; its content cannot change.")
        source = None
        if data.operation.is_rewrite:
            source = data.source_version or item.current_version
            if source > item.current_version:
                raise Unprocessable(
                    f"This content has no version {source}.",
                    errors=[
                        {
                            "loc": ["body", "source_version"],
                            "msg": f"at most {item.current_version}",
                            "type": "version_not_found",
                        }
                    ],
                )
        await self._within_budget(access, campaign_id)
        actor = access.principal.actor
        row = Generation(
            workspace_id=access.workspace_id,
            campaign_id=campaign_id,
            content_id=content_id,
            operation=data.operation.value,
            status=GenerationStatus.QUEUED.value,
            instructions=data.instructions,
            variants=data.variants,
            source_version=source,
            tone=data.tone,
            language=data.language,
            requested_by_type=actor.type,
            requested_by_id=actor.id,
            request_id=(request_id_var.get() or "")[:100] or None,
            trace_id=current_trace_id(),
            attempts=0,
            results=[],
            calls=0,
            cache_hits=0,
            input_tokens=0,
            output_tokens=0,
            cached_tokens=0,
        )
        self.repo.add(row)
        await session.flush()
        session.add(
            GenerationEvent(
                generation_id=row.id,
                seq=1,
                workspace_id=access.workspace_id,
                kind=EventKind.STATUS.value,
                data={"status": GenerationStatus.QUEUED},
            )
        )
        await session.flush()
        self.uow.record(
            GenerationRequested(
                workspace_id=access.workspace_id,
                subject_id=row.id,
                campaign_id=campaign_id,
                content_id=content_id,
                operation=data.operation,
                variants=data.variants,
                changes={"status": [None, GenerationStatus.QUEUED.value]},
            )
        )
        return row

    async def _within_budget(self, access: WorkspaceAccess, campaign_id: uuid.UUID) -> None:
        """Refuse now what the worker's reservation would refuse anyway (nothing spent)."""
        now = utcnow()
        states = await budget_states(self.uow.session, access.workspace_id, campaign_id)
        for state in states:
            if state.hard_blocked and state.rule is not None:
                raise BudgetExceeded(
                    state.rule,
                    period=now.date().replace(day=1),
                    spent=state.spent,
                    reserved=state.reserved,
                    estimate=None,
                )

    async def _content(
        self, access: WorkspaceAccess, campaign_id: uuid.UUID, content_id: uuid.UUID
    ) -> None:
        await ContentService(self.uow).get(access, campaign_id, content_id)

    async def list(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        page: PageParams,
    ) -> Page[schemas.GenerationRead]:
        await self._content(access, campaign_id, content_id)
        after = decode_cursor(page.cursor) if page.cursor else None
        rows = await self.repo.list(access.workspace_id, content_id, limit=page.limit, after=after)
        items, next_cursor = split_page(
            rows, page.limit, lambda g: encode_cursor(g.created_at, g.id)
        )
        return Page(items=[to_read(g, access) for g in items], next_cursor=next_cursor)

    async def get(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        generation_id: uuid.UUID,
    ) -> Generation:
        row = await self.repo.get(
            access.workspace_id, generation_id, content_id=content_id, campaign_id=campaign_id
        )
        if row is None:
            raise NotFound("Generation not found.")
        return row

    async def provenance(
        self, access: WorkspaceAccess, campaign_id: uuid.UUID, content_id: uuid.UUID, number: int
    ) -> schemas.ProvenanceRead:
        version = await ContentService(self.uow).version(access, campaign_id, content_id, number)
        row = await self.repo.provenance(access.workspace_id, content_id, number)
        if row is None:
            raise ProvenanceNotFound(
                f"Version {number} was written by {version.author_type} {version.author_id}, "
                "not generated by the studio: only generated versions have provenance.",
                author={"type": version.author_type, "id": version.author_id},
            )
        return to_provenance(row, access)
