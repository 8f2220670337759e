"""The end of a job, in one transaction: every variant saved, or the failure recorded.

Success: each draft becomes the item's next version (written for the person who asked),
is checked (``check_version``, with the retrieved chunks as claim evidence) and gets its
provenance row; the generation turns ``succeeded`` and its ``variant``, ``status`` and
``done`` events are staged in the same transaction. All of it sits in a savepoint: if any
of it fails (the campaign was archived meanwhile, say), it is rolled back whole and the
generation is recorded ``failed`` instead. Either way the consumer's unit of work is
committed here, under the requesting user as actor, so the versions' events name them.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from brandflow.contexts.content.public import ContentService
from brandflow.contexts.finops.public import Task
from brandflow.contexts.studio.checking.domain import StoredCheck
from brandflow.contexts.studio.checking.judge import MeteredToneJudge
from brandflow.contexts.studio.checking.service import check_version
from brandflow.contexts.studio.checks import KnowledgeEvidence
from brandflow.contexts.studio.domain import (
    EventKind,
    GenerationFailed,
    GenerationFailure,
    GenerationStatus,
    GenerationSucceeded,
    Step,
)
from brandflow.contexts.studio.metering import Attribution, MeteredResult
from brandflow.contexts.studio.orm import Generation, VersionProvenance
from brandflow.contexts.studio.pipeline.events import EventLog
from brandflow.contexts.studio.pipeline.inputs import Inputs, Request
from brandflow.contexts.studio.pipeline.job import (
    Draft,
    StudioRuntime,
    Written,
    chunks_of,
    failure_of,
    guardrails_of,
)
from brandflow.contexts.studio.repository import StudioRepository
from brandflow.kernel.context import actor_var
from brandflow.kernel.db import utcnow
from brandflow.kernel.errors import AppError
from brandflow.kernel.telemetry import current_trace_id, get_logger
from brandflow.kernel.uow import UnitOfWork

log = get_logger(__name__)


async def finish(
    uow: UnitOfWork,
    runtime: StudioRuntime,
    request: Request,
    events: EventLog,
    written: Written,
    failure: GenerationFailure | None,
) -> None:
    session = uow.session
    generation = await StudioRepository(session).get(
        request.workspace_id, request.id, for_update=True
    )
    if generation is None:
        return  # deleted with its content item meanwhile
    _usage(generation, written.calls)
    if failure is None:
        mark = events.mark()
        saving = UnitOfWork(session, uow.organization_id)  # its events count only if it commits
        try:
            async with session.begin_nested():
                await _save(saving, runtime, request, events, written, generation)
        except Exception as exc:
            events.rewind(mark)
            await session.refresh(generation)  # what the savepoint changed is rolled back
            if not isinstance(exc, AppError):
                log.exception("generation_save_failed", generation_id=str(request.id))
            failure = failure_of(exc)
        else:
            uow.record(*saving.pending_events)
    if failure is not None:
        await _fail(uow, request, events, generation, failure)
    token = actor_var.set(request.actor)
    try:
        await uow.commit()
    finally:
        actor_var.reset(token)


def _usage(generation: Generation, calls: list[MeteredResult]) -> None:
    costs = [call.cost for call in calls]
    generation.calls = len(calls)
    generation.cache_hits = sum(1 for call in calls if call.cache_hit)
    generation.input_tokens = sum(call.usage.input_tokens for call in calls)
    generation.output_tokens = sum(call.usage.output_tokens for call in calls)
    generation.cached_tokens = sum(call.usage.cache_read_tokens for call in calls)
    generation.cost_usd = (
        sum((c for c in costs if c is not None), Decimal(0)) if None not in costs else None
    )
    labels = list(dict.fromkeys(call.label for call in calls))
    generation.model_label = ", ".join(labels)[:250] if labels else None


async def _save(
    uow: UnitOfWork,
    runtime: StudioRuntime,
    request: Request,
    events: EventLog,
    written: Written,
    generation: Generation,
) -> None:
    session = uow.session
    inputs = written.inputs
    assert inputs is not None  # a job with drafts loaded its inputs
    await events.stage(session, EventKind.PROGRESS, {"step": Step.SAVING})
    content = ContentService(uow)
    access = inputs.access
    evidence = [KnowledgeEvidence(r.chunk_id, r.text, r.title) for r in written.grounding.retrieved]
    judge = _judge(runtime, request, inputs)
    results: list[dict[str, Any]] = []
    for draft in written.drafts:
        _, version = await content.append_version(
            access, request.campaign_id, request.content_id, draft.body
        )
        check = await check_version(
            session,
            request.workspace_id,
            request.content_id,
            version.number,
            draft.body,
            evidence=evidence,
            judge=judge,
        )
        session.add(_provenance(request, written, draft, version.number, check_ref(check)))
        result = {
            "index": draft.index,
            "version_number": version.number,
            "score": check.score,
            "passed": check.passed,
            "check_id": str(check.id),
        }
        results.append(result)
        await events.stage(session, EventKind.VARIANT, result)
    generation.status = GenerationStatus.SUCCEEDED.value
    generation.results = results
    generation.error_code = generation.reason = None
    generation.finished_at = utcnow()
    await session.flush()
    numbers = [r["version_number"] for r in results]
    uow.record(
        GenerationSucceeded(
            workspace_id=request.workspace_id,
            subject_id=request.id,
            campaign_id=request.campaign_id,
            content_id=request.content_id,
            operation=request.operation,
            version_numbers=numbers,
            changes={"status": ["running", "succeeded"]},
        )
    )
    await events.stage(session, EventKind.STATUS, {"status": GenerationStatus.SUCCEEDED})
    await events.stage(
        session,
        EventKind.DONE,
        {"status": GenerationStatus.SUCCEEDED, "version_numbers": numbers, "variants": results},
    )


def _judge(runtime: StudioRuntime, request: Request, inputs: Inputs) -> MeteredToneJudge | None:
    """The workspace's tone judge, when it turned it on (its calls are metered as checks)."""
    if inputs.judge_chain is None:
        return None
    who = Attribution(
        workspace_id=request.workspace_id,
        task=Task.CHECK,
        actor=request.actor,
        campaign_id=request.campaign_id,
        content_id=request.content_id,
        request_id=request.request_id,
        trace_id=current_trace_id() or request.trace_id,
    )
    return MeteredToneJudge(runtime.meter, who, inputs.judge_chain, inputs.cheaper)


def check_ref(check: StoredCheck) -> dict[str, Any]:
    return {
        "check_id": str(check.id),
        "score": check.score,
        "passed": check.passed,
        "min_score": check.min_score,
    }


def _provenance(
    request: Request, written: Written, draft: Draft, number: int, check: dict[str, Any]
) -> VersionProvenance:
    result = draft.result
    inputs = written.inputs
    assert inputs is not None
    return VersionProvenance(
        workspace_id=request.workspace_id,
        content_id=request.content_id,
        version_number=number,
        generation_id=request.id,
        variant_index=draft.index,
        operation=request.operation.value,
        template=inputs.template.ref(),
        model=_model(result),
        parameters=draft.parameters,
        chunks=chunks_of(written.grounding.retrieved),
        guardrails=guardrails_of(draft, written.grounding),
        check=check,
        input_tokens=result.usage.input_tokens if result else 0,
        output_tokens=result.usage.output_tokens if result else 0,
        cached_tokens=result.usage.cache_read_tokens if result else 0,
        cost_usd=result.cost if result else Decimal(0),
        latency_ms=max(0, round(result.latency_ms)) if result else 0,
        cache_hit=result.cache_hit if result else False,
        attempts=[dataclasses.asdict(a) for a in result.attempts] if result else [],
        usage_record_id=result.ledger.id if result else None,
        trace_id=current_trace_id() or request.trace_id,
    )


def _model(result: MeteredResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "provider": result.provider,
        "model": result.model,
        "label": result.label,
        "offline": result.offline,
        "route_note": result.route_note,
    }


async def _fail(
    uow: UnitOfWork,
    request: Request,
    events: EventLog,
    generation: Generation,
    failure: GenerationFailure,
) -> None:
    session = uow.session
    reason = str(failure.detail or failure.title)
    generation.status = GenerationStatus.FAILED.value
    generation.error_code = failure.failure_code[:60]
    generation.reason = reason
    generation.results = []
    generation.finished_at = utcnow()
    await session.flush()
    uow.record(
        GenerationFailed(
            workspace_id=request.workspace_id,
            subject_id=request.id,
            campaign_id=request.campaign_id,
            content_id=request.content_id,
            operation=request.operation,
            error_code=failure.failure_code,
            reason=reason,
            changes={"status": ["running", "failed"]},
        )
    )
    await events.stage(session, EventKind.STATUS, {"status": GenerationStatus.FAILED})
    await events.stage(session, EventKind.ERROR, {"code": failure.failure_code, "reason": reason})
