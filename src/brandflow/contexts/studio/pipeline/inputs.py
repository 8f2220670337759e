"""What a generation job reads before it writes: the requester's access now, the request, the
item, the brief, the kit, the version to rewrite, the template and the model chain. Read
once, in a short session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.brand_kit.public import BrandKit, brand_kit_snapshot
from brandflow.contexts.campaigns.public import CampaignBrief, Channel, campaign_brief
from brandflow.contexts.content.public import ChannelBody, ContentService
from brandflow.contexts.finops.public import CheaperRoute
from brandflow.contexts.identity.public import (
    Permission,
    Principal,
    WorkspaceAccess,
    actor_name,
    current_access,
)
from brandflow.contexts.studio.checks import stored_body
from brandflow.contexts.studio.domain import GenerationFailure, Operation, PromptTask
from brandflow.contexts.studio.orm import Generation
from brandflow.contexts.studio.prompts.store import ActiveTemplate, active_template
from brandflow.contexts.studio.settings.service import (
    ai_settings_of,
    chain_for_task,
    cheaper_route_for,
)
from brandflow.kernel.context import Actor
from brandflow.kernel.errors import NotFound
from brandflow.kernel.llm import ModelChain, ModelRoute
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings


@dataclass(frozen=True, slots=True)
class Request:
    """The generation as its job sees it."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    organization_id: uuid.UUID
    campaign_id: uuid.UUID
    content_id: uuid.UUID
    operation: Operation
    instructions: str
    variants: int
    source_version: int | None
    tone: str | None
    language: str | None
    actor: Actor
    request_id: str | None
    trace_id: str | None

    @classmethod
    def of(cls, row: Generation, organization_id: uuid.UUID) -> Request:
        return cls(
            id=row.id,
            workspace_id=row.workspace_id,
            organization_id=organization_id,
            campaign_id=row.campaign_id,
            content_id=row.content_id,
            operation=Operation(row.operation),
            instructions=row.instructions,
            variants=row.variants,
            source_version=row.source_version,
            tone=row.tone,
            language=row.language,
            actor=Actor(row.requested_by_type, row.requested_by_id),
            request_id=row.request_id,
            trace_id=row.trace_id,
        )

    def access(self) -> WorkspaceAccess:
        """The system's access as checked when it queued (identity vouches for no system
        actor now); people and API keys are checked again when the job runs."""
        user_id = _user_id(self.actor)
        return WorkspaceAccess(
            principal=Principal(actor=self.actor, user_id=user_id),
            workspace_id=self.workspace_id,
            organization_id=self.organization_id,
            role=None,
            permissions=frozenset(),
        )


def _user_id(actor: Actor) -> uuid.UUID | None:
    return actor.as_uuid() if actor.type == "user" else None


async def requester_access(session: AsyncSession, request: Request) -> WorkspaceAccess:
    """The requester's access when the job runs, not when it was queued: whoever left the
    workspace, lost the role, was deactivated or had the key revoked meanwhile spends and
    writes nothing (``forbidden``)."""
    try:
        access = await current_access(session, request.actor, request.workspace_id)
    except NotFound as exc:
        raise GenerationFailure(str(exc.detail), code="not-found") from exc
    if access is None:
        return request.access()
    if not access.can(Permission.AI_GENERATE):
        who = await actor_name(session, request.actor)
        raise GenerationFailure(
            f"{who} may no longer generate in this workspace: the `{Permission.AI_GENERATE}` "
            "permission was withdrawn after the generation was queued. Nothing was written "
            "or spent.",
            code="forbidden",
        )
    return access


@dataclass(frozen=True, slots=True)
class Source:
    """The version a rewrite starts from."""

    number: int
    body: ChannelBody


@dataclass(frozen=True, slots=True)
class Inputs:
    request: Request
    access: WorkspaceAccess  # the requester's, as of the job's start
    channel: Channel
    title: str
    brief: CampaignBrief
    kit: BrandKit
    source: Source | None
    template: ActiveTemplate
    chain: ModelChain
    cheaper: CheaperRoute[ModelRoute] | None  # near the budget's limit, when configured
    judge_chain: ModelChain | None  # the "check" chain, when the tone judge is on


async def load_inputs(session: AsyncSession, request: Request, settings: Settings) -> Inputs:
    """Everything the job needs; ``GenerationFailure`` when the requester may no longer
    generate, or the item or version is gone."""
    access = await requester_access(session, request)
    content = ContentService(UnitOfWork(session))
    try:
        item, current = await content.get(access, request.campaign_id, request.content_id)
        source: Source | None = None
        if request.operation.is_rewrite:
            number = request.source_version or item.current_version
            version = (
                current
                if number == current.number
                else await content.version(access, request.campaign_id, request.content_id, number)
            )
            source = Source(number, stored_body(version.body))
    except NotFound as exc:
        raise GenerationFailure(str(exc.detail), code="not-found") from exc
    brief = await campaign_brief(session, request.workspace_id, request.campaign_id)
    if brief is None:
        raise GenerationFailure("The campaign no longer exists.", code="not-found")
    task = request.operation.task
    workspace_id = request.workspace_id
    judging = (await ai_settings_of(session, workspace_id)).tone_judge
    return Inputs(
        request=request,
        access=access,
        channel=Channel(item.channel),
        title=item.title,
        brief=brief,
        kit=(await brand_kit_snapshot(session, workspace_id)).kit,
        source=source,
        template=await active_template(session, workspace_id, task),
        chain=await chain_for_task(
            session,
            workspace_id,
            "generate" if task is PromptTask.GENERATE else "rewrite",
            settings,
        ),
        cheaper=await cheaper_route_for(session, workspace_id, settings),
        judge_chain=(
            await chain_for_task(session, workspace_id, "check", settings) if judging else None
        ),
    )
