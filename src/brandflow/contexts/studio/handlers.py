"""The generation consumer: runs the job of each ``studio.generation_requested`` event.

Like ingestion, in three steps: (1) claim the generation (``running``) in a short
transaction of its own, so a stream shows it at once; (2) write every variant outside any
row lock, each event and ledger row committed as it happens; (3) save the versions, or the
failure, in the consumer's transaction, which also marks the event processed
(``pipeline/saving.py``). A job never raises for a failure it can explain: the generation
says ``failed`` with a reason, and the event is not retried (a retry would pay again). A
worker that crashed leaves its generation ``running`` and the event unprocessed: the
redelivery claims it again (``attempts`` + 1) and starts over, mostly from the response
cache.
"""

from __future__ import annotations

import functools
import uuid

from brandflow.contexts.finops.public import BudgetExceeded
from brandflow.contexts.studio.domain import EventKind, GenerationFailure, GenerationStatus
from brandflow.contexts.studio.guardrails import PaymentCardRefused
from brandflow.contexts.studio.orm import Generation
from brandflow.contexts.studio.pipeline.events import EventLog
from brandflow.contexts.studio.pipeline.inputs import Request
from brandflow.contexts.studio.pipeline.job import Job, StudioRuntime, failure_of
from brandflow.contexts.studio.pipeline.saving import finish
from brandflow.contexts.studio.prompts.engine import TemplateRenderError
from brandflow.contexts.studio.repository import StudioRepository
from brandflow.kernel.errors import AppError
from brandflow.kernel.events import Envelope
from brandflow.kernel.llm import ModelGatewayError
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.telemetry import get_logger
from brandflow.kernel.uow import UnitOfWork

log = get_logger(__name__)

# Failures a job explains to the person who asked; anything else is also logged with its trace.
EXPLAINED = (
    GenerationFailure,
    BudgetExceeded,
    PaymentCardRefused,
    ModelGatewayError,
    TemplateRenderError,
    AppError,
)


async def _claim(
    runtime: StudioRuntime, workspace_id: uuid.UUID, generation_id: uuid.UUID
) -> tuple[Generation, EventLog] | None:
    async with runtime.sessionmaker() as session:
        repo = StudioRepository(session)
        row = await repo.claim(workspace_id, generation_id)
        if row is None:
            await session.rollback()
            return None  # finished already, or deleted with its content
        events = EventLog(
            runtime.sessionmaker,
            workspace_id,
            generation_id,
            await repo.last_seq(generation_id),
            batch_seconds=runtime.batch_seconds,
        )
        await events.stage(
            session,
            EventKind.STATUS,
            {"status": GenerationStatus.RUNNING, "attempt": row.attempts},
        )
        await session.commit()
    return row, events


async def run_generation(runtime: StudioRuntime, uow: UnitOfWork, envelope: Envelope) -> None:
    workspace_id = envelope.workspace_id
    if workspace_id is None or envelope.organization_id is None:
        return  # not an event the API wrote
    generation_id = uuid.UUID(str(envelope.payload["subject_id"]))
    claimed = await _claim(runtime, workspace_id, generation_id)
    if claimed is None:
        return
    row, events = claimed
    request = Request.of(row, envelope.organization_id)
    job = Job(runtime, request, events)
    failure: GenerationFailure | None = None
    try:
        await job.write()
    except Exception as exc:
        if not isinstance(exc, EXPLAINED):
            log.exception("generation_crashed", generation_id=str(generation_id))
        failure = failure_of(exc)
    await finish(uow, runtime, request, events, job.written, failure)


def studio_consumers(runtime: StudioRuntime) -> list[Consumer]:
    return [
        Consumer(
            name="studio.generate",
            patterns=("studio.generation_requested",),
            handler=functools.partial(run_generation, runtime),
        )
    ]
