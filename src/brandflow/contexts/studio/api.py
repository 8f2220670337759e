"""HTTP routes of the studio's generations, their events, provenance and prompt templates."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response, status
from sse_starlette import EventSourceResponse

from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.contexts.studio import schemas
from brandflow.contexts.studio.domain import EventKind, PromptTask
from brandflow.contexts.studio.live import GenerationHub, event_stream
from brandflow.contexts.studio.prompts.store import TemplateService
from brandflow.contexts.studio.service import GenerationService, generation_path, to_read
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.pagination import Page, PageParams, page_params
from brandflow.kernel.routing import CheckedRoute

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CONTENT_READ))]
CanGenerate = Annotated[WorkspaceAccess, Depends(Authorize(Permission.AI_GENERATE))]
CanManage = Annotated[WorkspaceAccess, Depends(Authorize(Permission.AI_SETTINGS_MANAGE))]
VersionNumber = Annotated[int, Path(ge=1, le=2_147_483_647)]
LastEventId = Annotated[
    int | None,
    Header(
        alias="Last-Event-ID",
        ge=0,
        le=2_147_483_647,
        description="The `id` of the last event received: the stream resumes after it",
    ),
]

generations = APIRouter(
    prefix="/workspaces/{workspace_id}/campaigns/{campaign_id}/contents/{content_id}",
    tags=["studio"],
    route_class=CheckedRoute,
)
templates = APIRouter(
    prefix="/workspaces/{workspace_id}/prompt-templates", tags=["studio"], route_class=CheckedRoute
)


def _hub(request: Request) -> GenerationHub:
    """One per process, made on first use; it listens only while streams are open."""
    state = request.app.state
    hub: GenerationHub | None = getattr(state, "generation_hub", None)
    if hub is None:
        url = state.container.engine.url.render_as_string(hide_password=False)
        hub = state.generation_hub = GenerationHub(url)
    return hub


@generations.post(
    "/generations",
    operation_id="studio_generation_create",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.GenerationRead,
    responses=problem_responses(401, 402, 403, 404, 409, 422),
)
async def create_generation(
    uow: UnitOfWorkDep,
    access: CanGenerate,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    body: schemas.GenerationCreate,
    response: Response,
) -> schemas.GenerationRead:
    """Queue a generation (or rewrite) of this item: the worker writes each variant as a
    draft version. Follow it at `events_url`. A payment card number in the instructions
    answers 422 and is stored nowhere; a hard budget already used up answers 402."""
    row = await GenerationService(uow).request(access, campaign_id, content_id, body)
    response.headers["Location"] = generation_path(row)
    return to_read(row, access)


@generations.get(
    "/generations",
    operation_id="studio_generation_list",
    response_model=Page[schemas.GenerationRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_generations(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[schemas.GenerationRead]:
    """The item's generations, newest first."""
    return await GenerationService(uow).list(access, campaign_id, content_id, page)


@generations.get(
    "/generations/{generation_id}",
    operation_id="studio_generation_get",
    response_model=schemas.GenerationRead,
    responses=problem_responses(401, 403, 404),
)
async def get_generation(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    generation_id: uuid.UUID,
) -> schemas.GenerationRead:
    row = await GenerationService(uow).get(access, campaign_id, content_id, generation_id)
    return to_read(row, access)


_STREAM_DOC = """Server-Sent Events, each with `id` (its number: send it back as
`Last-Event-ID` to resume), `event` and JSON `data`: `status` {status}, `progress` {step:
retrieving|prompting|generating|checking|saving, ...}, `token` {variant, text}, `variant`
{index, version_number, score, passed, check_id}, `done` {status, version_numbers,
variants}, `error` {code, reason}. Comment lines keep the connection alive. The stream ends
after `done` or `error`."""


# One event of the stream (OpenAPI 3.1: the schema of an event stream describes each event).
_EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "Its number in the generation's stream"},
        "event": {"type": "string", "enum": [kind.value for kind in EventKind]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
    "required": ["id", "event", "data"],
}


@generations.get(
    "/generations/{generation_id}/events",
    operation_id="studio_generation_events",
    response_class=Response,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": _EVENT_SCHEMA}},
            "description": _STREAM_DOC,
        },
        **problem_responses(401, 403, 404, 422),
    },
)
async def generation_events(
    uow: UnitOfWorkDep,
    access: CanRead,
    request: Request,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    generation_id: uuid.UUID,
    last_event_id: LastEventId = None,
) -> Response:
    """The generation's progress, live: its events so far (after `Last-Event-ID`), then
    each as it happens, whichever process runs the job."""
    await GenerationService(uow).get(access, campaign_id, content_id, generation_id)
    hub = _hub(request)
    return EventSourceResponse(
        event_stream(
            request.app.state.read_sessionmaker,
            hub,
            access.workspace_id,
            generation_id,
            last_event_id or 0,
        ),
        ping=hub.keepalive_seconds,
    )


@generations.get(
    "/versions/{number}/provenance",
    operation_id="studio_provenance_get",
    response_model=schemas.ProvenanceRead,
    responses=problem_responses(401, 403, 404),
)
async def get_provenance(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    number: VersionNumber,
) -> schemas.ProvenanceRead:
    """How a generated version came to be: template, model, sources and their scores,
    guardrails, check, tokens, cost, latency, trace. A version a person wrote has none (404)."""
    return await GenerationService(uow).provenance(access, campaign_id, content_id, number)


@templates.get(
    "",
    operation_id="studio_templates_list",
    response_model=schemas.TemplateList,
    responses=problem_responses(401, 403, 404),
)
async def list_templates(uow: UnitOfWorkDep, access: CanRead) -> schemas.TemplateList:
    """The template each task uses now: the workspace's newest, else the built-in one."""
    return await TemplateService(uow).current(access)


@templates.get(
    "/{task}",
    operation_id="studio_template_versions",
    response_model=list[schemas.TemplateRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def template_versions(
    uow: UnitOfWorkDep, access: CanRead, task: PromptTask
) -> list[schemas.TemplateRead]:
    """Every version of the task's template, newest first, ending with the built-in one."""
    return await TemplateService(uow).versions(access, task)


@templates.put(
    "/{task}",
    operation_id="studio_template_update",
    response_model=schemas.TemplateRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_template(
    uow: UnitOfWorkDep, access: CanManage, task: PromptTask, body: schemas.TemplateWrite
) -> schemas.TemplateRead:
    """Save a new version of the task's template (Jinja2, sandboxed). Refused with 422 when
    it does not parse (with the `line`), uses a variable the task does not offer, leaves out
    one it must use, or fails on sample data; `errors[].loc` names the culprit."""
    return await TemplateService(uow).save(access, task, body)


router = APIRouter()
router.include_router(generations)
router.include_router(templates)
