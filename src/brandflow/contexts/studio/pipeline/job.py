"""The generation job: from a queued request to saved draft versions, or a clear failure.

Steps, each announced as a ``progress`` event: **retrieving** (knowledge search with the
brief or the text to rewrite), **prompting** (quote sources, render the template, redact
PII), **generating** (per variant: a metered, streamed call for the channel's typed body;
tokens are streamed with PII restored; the body is restored and validated), **checking**
and **saving**. Everything up to saving writes nothing but events and the usage ledger;
the versions, their checks, their provenance and the final status are written together
(``saving.py``), so a failure halfway leaves no partial state. Money already spent stays
in the ledger and in the generation's usage.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.content.public import ChannelBody, stored_version
from brandflow.contexts.finops.public import BudgetExceeded, Task
from brandflow.contexts.knowledge.public import Embedder
from brandflow.contexts.studio.checking.service import current_check, latest_check
from brandflow.contexts.studio.checks import Finding
from brandflow.contexts.studio.domain import EventKind, GenerationFailure, Operation, Step
from brandflow.contexts.studio.guardrails import (
    PaymentCardRefused,
    StreamingRestorer,
    audit_placeholders,
)
from brandflow.contexts.studio.metering import (
    Attribution,
    Meter,
    MeteredResult,
    ModelCall,
    metered_call,
)
from brandflow.contexts.studio.pipeline.events import BATCH_SECONDS, EventLog
from brandflow.contexts.studio.pipeline.inputs import Inputs, Request, load_inputs
from brandflow.contexts.studio.pipeline.output import body_type, max_tokens, restored_body
from brandflow.contexts.studio.pipeline.prompting import Grounding, Prompt, ground, prepare
from brandflow.contexts.studio.pipeline.retrieval import TOP_K, Retrieved, query_of, retrieve
from brandflow.contexts.studio.pipeline.rewrites import finding_notes, plan_fixes, source_text
from brandflow.contexts.studio.prompts.engine import TemplateRenderError
from brandflow.kernel.errors import AppError
from brandflow.kernel.llm import ModelGateway, ModelGatewayError
from brandflow.kernel.telemetry import current_trace_id, get_logger
from brandflow.settings import Settings

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class StudioRuntime:
    """What the generation consumer needs besides its unit of work."""

    sessionmaker: async_sessionmaker[AsyncSession]
    gateway: ModelGateway
    embedder: Embedder
    settings: Settings
    batch_seconds: float = BATCH_SECONDS

    @property
    def meter(self) -> Meter:
        return Meter(self.sessionmaker, self.gateway, self.settings)


@dataclass(slots=True)
class Draft:
    """One variant, written and restored, waiting to be saved."""

    index: int
    body: ChannelBody
    prompt: Prompt | None  # None: fixes only, no model
    result: MeteredResult | None
    parameters: dict[str, Any]


@dataclass(slots=True)
class Written:
    """What a job produced, also when it failed halfway (what was spent is shown)."""

    inputs: Inputs | None = None
    grounding: Grounding = field(default_factory=lambda: Grounding((), "", ()))
    drafts: list[Draft] = field(default_factory=list)
    calls: list[MeteredResult] = field(default_factory=list)


def failure_of(exc: BaseException) -> GenerationFailure:
    """Any way a job can end early, as the reason the person who asked will read."""
    if isinstance(exc, GenerationFailure):
        return exc
    if isinstance(exc, BudgetExceeded | PaymentCardRefused | ModelGatewayError):
        return GenerationFailure(str(exc.detail or exc.title), code=exc.code)
    if isinstance(exc, TemplateRenderError):
        return GenerationFailure(
            f"The prompt template failed on this request: {exc}. Fix the template in the "
            "AI settings and try again.",
            code="template-error",
        )
    if isinstance(exc, AppError):
        return GenerationFailure(str(exc.detail or exc.title), code=exc.code)
    return GenerationFailure(
        f"The generation failed unexpectedly ({type(exc).__name__}); try again.",
        code="internal-error",
    )


class Job:
    def __init__(self, runtime: StudioRuntime, request: Request, events: EventLog) -> None:
        self.runtime = runtime
        self.request = request
        self.events = events
        self.written = Written()

    async def write(self) -> Written:
        """Every variant, restored and validated; raises on the first failure."""
        runtime, request = self.runtime, self.request
        async with runtime.sessionmaker() as session:
            inputs = await load_inputs(session, request, runtime.settings)
        self.written.inputs = inputs

        await self.events.emit(EventKind.PROGRESS, {"step": Step.RETRIEVING})
        async with runtime.sessionmaker() as session:
            retrieved = await retrieve(
                session, request.workspace_id, runtime.embedder, self._query(inputs)
            )
        await self.events.emit(
            EventKind.PROGRESS, {"step": Step.PROMPTING, "sources": len(retrieved)}
        )
        secret = runtime.settings.secret_key.get_secret_value().encode()
        grounding = await asyncio.to_thread(ground, retrieved, secret)
        self.written.grounding = grounding

        if request.operation is Operation.FIX_FINDINGS:
            await self._fix(inputs, grounding)
        else:
            body = inputs.source.body if inputs.source else None
            for index in range(1, request.variants + 1):
                prompt = await prepare(inputs, grounding, index, body=body)
                await self._variant(inputs, prompt, index)
        await self.events.emit(EventKind.PROGRESS, {"step": Step.CHECKING})
        return self.written

    def _query(self, inputs: Inputs) -> str:
        if inputs.source is not None:
            return query_of([source_text(inputs.source.body), self.request.instructions])
        brief = inputs.brief
        return query_of(
            [brief.name, brief.objective, *brief.key_messages, self.request.instructions]
        )

    async def _fix(self, inputs: Inputs, grounding: Grounding) -> None:
        """fix_findings: the exact fixes first, the model only for what they cannot mend."""
        source = inputs.source
        assert source is not None  # a rewrite always has one (load_inputs)
        findings = await self._findings(source.number)
        if not findings:
            raise GenerationFailure(
                f"The check of version {source.number} found nothing to fix.",
                code="nothing-to-fix",
            )
        plan = plan_fixes(source.body, findings)
        if not plan.remaining:
            # Exact edits only: one version, whatever number of variants was asked for.
            parameters = self._parameters(inputs, 1, fixes=len(plan.applied))
            self.written.drafts.append(Draft(1, plan.body, None, None, parameters))
            return
        notes = finding_notes(plan.remaining, source.body)
        for index in range(1, self.request.variants + 1):
            prompt = await prepare(
                inputs, grounding, index, body=plan.body, findings=notes, fixed=len(plan.applied)
            )
            draft = await self._variant(inputs, prompt, index)
            draft.parameters["fixes_applied"] = len(plan.applied)

    async def _findings(self, number: int) -> list[Finding]:
        """The stored check's findings (the one the person looked at), else a check now."""
        request = self.request
        async with self.runtime.sessionmaker() as session:
            stored = await latest_check(session, request.workspace_id, request.content_id, number)
            if stored is None:
                version = await stored_version(
                    session, request.workspace_id, request.content_id, number
                )
                if version is None:
                    raise GenerationFailure(f"Version {number} no longer exists.", code="not-found")
                stored = await current_check(session, request.workspace_id, version)
                await session.commit()
        return stored.finding_models()

    async def _variant(self, inputs: Inputs, prompt: Prompt, index: int) -> Draft:
        request = self.request
        await self.events.emit(
            EventKind.PROGRESS,
            {"step": Step.GENERATING, "variant": index, "of": request.variants},
        )
        restorer = StreamingRestorer(prompt.redaction)

        async def on_delta(text: str) -> None:
            await self.events.token(index, restorer.feed(text))

        async def on_restart() -> None:
            nonlocal restorer
            restorer = StreamingRestorer(prompt.redaction)
            await self.events.emit(
                EventKind.PROGRESS,
                {"step": Step.GENERATING, "variant": index, "of": request.variants, "retry": True},
            )

        call = ModelCall(
            prompt=prompt.text,
            system=prompt.system,
            output_type=body_type(inputs.channel),
            composer=prompt.composer,
            max_tokens=max_tokens(inputs.channel),
            distinct={"variant": index},
        )
        result = await metered_call(
            self.runtime.meter,
            self._attribution(),
            call,
            inputs.chain,
            cheaper=inputs.cheaper,
            on_delta=on_delta,
            on_restart=on_restart,
        )
        self.written.calls.append(result)
        await self.events.token(index, restorer.flush())
        await self.events.flush()
        body = restored_body(result.output, prompt.redaction)
        draft = Draft(index, body, prompt, result, self._parameters(inputs, index, call=call))
        self.written.drafts.append(draft)
        return draft

    def _attribution(self) -> Attribution:
        request = self.request
        return Attribution(
            workspace_id=request.workspace_id,
            task=Task.GENERATE if request.operation is Operation.GENERATE else Task.REWRITE,
            actor=request.actor,
            campaign_id=request.campaign_id,
            content_id=request.content_id,
            request_id=request.request_id,
            trace_id=current_trace_id() or request.trace_id,
        )

    def _parameters(
        self,
        inputs: Inputs,
        index: int,
        *,
        call: ModelCall | None = None,
        fixes: int = 0,
    ) -> dict[str, Any]:
        request = self.request
        parameters: dict[str, Any] = {
            "operation": request.operation.value,
            "variant": index,
            "variants": request.variants,
            "channel": inputs.channel.value,
            "top_k": TOP_K,
            "source_version": inputs.source.number if inputs.source else None,
            "tone": request.tone,
            "language": request.language,
            "instructions": bool(request.instructions),
        }
        if call is not None:
            parameters |= {
                "output_type": call.output_type.__name__ if call.output_type else None,
                "max_tokens": call.max_tokens,
                "temperature": call.temperature,
            }
        if fixes:
            parameters["fixes_applied"] = fixes
        return parameters


def guardrails_of(draft: Draft, grounding: Grounding) -> dict[str, Any]:
    prompt, result = draft.prompt, draft.result
    audit = (
        audit_placeholders(result.text, prompt.redaction)
        if prompt is not None and result is not None
        else None
    )
    return {
        "pii_redacted": prompt.pii if prompt is not None else {},
        "placeholders_missing": list(audit.missing) if audit else [],
        "placeholders_unknown": list(audit.unknown) if audit else [],
        "injection_flags": list(grounding.flags),
    }


def chunks_of(retrieved: tuple[Retrieved, ...]) -> list[dict[str, object]]:
    return [r.ref() for r in retrieved]
