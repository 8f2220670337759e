"""Every model call of the studio, metered: cache, budget, route, reserve, call, settle.

``metered_call`` is the one way the studio (generation, rewrites, the tone judge) calls a
model. In order:

1. **Route**: this month's budget states of the workspace and the campaign, and
   ``choose_route``: near the limit a configured cheaper chain replaces the routes.
2. **Cache**: the exact-response cache, keyed by what would be sent (routes, messages,
   parameters, output schema, and ``distinct``: what else tells two requests apart, such as
   a variant number). A hit is ledgered as ``cache_hit`` at cost 0; no model is called.
3. **Reserve** the call's upper-bound estimate against the budgets: ``BudgetExceeded``
   (402) here means nothing was sent and nothing spent.
4. **Call** the gateway (streamed when ``on_delta`` is given: each delta is handed over as it
   arrives) with the chosen chain; its timeouts, retries, output validation and fallbacks
   apply. A streamed structured answer that does not validate is asked for again unstreamed
   (pydantic-ai retries output only outside streams); ``on_restart`` is told first, so what
   was shown can be discarded.
5. **Settle** with the usage the provider reported (the ledger row); then store the answer
   in the cache. A call that failed is settled too when the provider answered some of its
   requests (output that never validated, a stream that broke off after its usage came):
   those tokens were billed. Only a call nobody answered **releases** the reservation.

The ledger and cache steps commit on their own (finops' documented exception): money spent
stays on record whatever becomes of the caller's transaction.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.public import (
    CachedAnswer,
    CallContext,
    CheaperRoute,
    Metered,
    Reservation,
    Task,
    budget_states,
    cache_get,
    cache_key,
    cache_put,
    choose_route,
    estimate_cost,
    price_table,
    record,
    release,
    reserve,
    settle,
)
from brandflow.kernel.context import Actor
from brandflow.kernel.llm import (
    Attempt,
    ComposerInput,
    LLMResult,
    ModelChain,
    ModelGateway,
    ModelGatewayError,
    ModelRoute,
    ModelStreamInterrupted,
    TokenUsage,
)
from brandflow.settings import Settings

DEFAULT_MAX_TOKENS = 1024
# Message framing and the tool-call wrapper, on top of the text itself.
_FRAMING_TOKENS = 64

OnDelta = Callable[[str], Awaitable[None]]
OnRestart = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Meter:
    """What metering needs from the process: the database, the gateway, the settings."""

    sessionmaker: async_sessionmaker[AsyncSession]
    gateway: ModelGateway
    settings: Settings | None = None  # prices, cache TTL; None: the process's settings


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who pays for a call and what it was for: every ledger row carries it."""

    workspace_id: uuid.UUID
    task: Task
    actor: Actor
    campaign_id: uuid.UUID | None = None
    content_id: uuid.UUID | None = None
    request_id: str | None = None
    trace_id: str | None = None

    def context(self, route: ModelRoute | None, provider: str, model: str) -> CallContext:
        return CallContext(
            workspace_id=self.workspace_id,
            task=self.task,
            provider=provider,
            model=model,
            actor=self.actor,
            campaign_id=self.campaign_id,
            content_id=self.content_id,
            request_id=self.request_id,
            trace_id=self.trace_id,
            base_url=route.base_url if route is not None else None,
        )


@dataclass(frozen=True, slots=True)
class ModelCall:
    """One request: the prompt, and what shapes the answer."""

    prompt: str
    system: str | None = None
    output_type: type[BaseModel] | None = None
    composer: ComposerInput | None = None  # what the offline composer writes from
    temperature: float | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    # What else makes two otherwise equal requests want different answers (a variant).
    distinct: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MeteredResult:
    output: Any  # the text, or the validated ``output_type`` instance
    text: str
    provider: str
    model: str
    label: str
    offline: bool
    usage: TokenUsage
    latency_ms: float
    attempts: tuple[Attempt, ...]
    cache_hit: bool
    ledger: Metered
    route_note: str | None  # why a cheaper route answered, when one did

    @property
    def cost(self) -> Decimal | None:
        return self.ledger.cost


async def metered_call(
    meter: Meter,
    who: Attribution,
    call: ModelCall,
    chain: ModelChain,
    *,
    cheaper: CheaperRoute[ModelRoute] | None = None,
    on_delta: OnDelta | None = None,
    on_restart: OnRestart | None = None,
) -> MeteredResult:
    """Call a model through the cache, the budgets and the ledger (see the module doc).

    Raises ``BudgetExceeded`` (nothing sent) or the gateway's ``ModelGatewayError``s (what
    the failed attempts were billed ledgered, else the reservation released).
    """
    started = time.perf_counter()
    async with meter.sessionmaker() as session:
        states = await budget_states(session, who.workspace_id, who.campaign_id)
    choice = choose_route(states, chain.routes, cheaper)
    routes = ModelChain.of(*choice.routes)
    key = request_key(routes, call)

    cached = await cache_get(meter.sessionmaker, who.workspace_id, key, settings=meter.settings)
    revived = _revive(call, cached) if cached is not None else None
    if cached is not None and revived is not None:
        output, text = revived
        latency = (time.perf_counter() - started) * 1000
        route = _route_named(routes, cached.provider, cached.model)
        ledger = await record(
            meter.sessionmaker,
            who.context(route, cached.provider, cached.model),
            cached.usage,
            latency_ms=latency,
            cache_hit=True,
            settings=meter.settings,
        )
        if on_delta is not None:
            await on_delta(text)
        return MeteredResult(
            output=output,
            text=text,
            provider=cached.provider,
            model=cached.model,
            label=route.label if route is not None else f"{cached.provider}:{cached.model}",
            offline=cached.provider == "offline",
            usage=TokenUsage(
                cached.usage.input_tokens,
                cached.usage.output_tokens,
                cached.usage.cache_read_tokens,
                cached.usage.cache_write_tokens,
                requests=0,
            ),
            latency_ms=latency,
            attempts=(),
            cache_hit=True,
            ledger=ledger,
            route_note=choice.reason,
        )

    primary = routes.primary
    reservation = await reserve(
        meter.sessionmaker,
        who.context(primary, primary.provider, primary.model),
        estimate(routes, call, meter.settings),
        settings=meter.settings,
    )
    try:
        result = await _call(meter.gateway, routes, call, on_delta, on_restart)
    except ModelGatewayError as exc:
        await _settle_failed(meter, who, routes, reservation, exc.attempts, started)
        raise
    except BaseException:
        await release(meter.sessionmaker, reservation, settings=meter.settings)
        raise
    ledger = await settle(
        meter.sessionmaker,
        reservation,
        result.usage,
        latency_ms=result.latency_ms,
        provider=result.provider,
        model=result.model,
        settings=meter.settings,
    )
    await cache_put(
        meter.sessionmaker,
        who.workspace_id,
        key,
        provider=result.provider,
        model=result.model,
        response=_stored(result),
        usage=result.usage,
        settings=meter.settings,
    )
    return MeteredResult(
        output=result.output,
        text=result.text,
        provider=result.provider,
        model=result.model,
        label=result.label,
        offline=result.offline,
        usage=result.usage,
        latency_ms=result.latency_ms,
        attempts=result.attempts,
        cache_hit=False,
        ledger=ledger,
        route_note=choice.reason,
    )


async def _settle_failed(
    meter: Meter,
    who: Attribution,
    routes: ModelChain,
    reservation: Reservation,
    attempts: tuple[Attempt, ...],
    started: float,
) -> None:
    """Ledger what a failed call's attempts were billed, priced per model that answered: the
    reservation settles with the first; a fallback that also answered gets a row of its own."""
    billed: dict[tuple[str, str], TokenUsage] = {}
    for attempt in attempts:
        if attempt.usage is not None:
            key = (attempt.provider, attempt.model)
            billed[key] = billed.get(key, TokenUsage()) + attempt.usage
    if not billed:
        await release(meter.sessionmaker, reservation, settings=meter.settings)
        return
    latency = (time.perf_counter() - started) * 1000
    (provider, model), usage = next(iter(billed.items()))
    await settle(
        meter.sessionmaker,
        reservation,
        usage,
        latency_ms=latency,
        provider=provider,
        model=model,
        settings=meter.settings,
    )
    for (provider, model), usage in list(billed.items())[1:]:
        route = _route_named(routes, provider, model)
        await record(
            meter.sessionmaker,
            who.context(route, provider, model),
            usage,
            latency_ms=latency,
            settings=meter.settings,
        )


def request_key(chain: ModelChain, call: ModelCall) -> str:
    """The exact-response cache key of ``call`` sent through ``chain``."""
    primary = chain.primary
    params: dict[str, Any] = {
        "routes": [route.key for route in chain.routes],
        "temperature": call.temperature,
        "max_tokens": call.max_tokens,
        "distinct": dict(call.distinct),
    }
    if any(route.offline for route in chain.routes) and call.composer is not None:
        # The offline composer writes from its input, not from the prompt's wording.
        params["composer"] = dataclasses.asdict(call.composer)
    messages = [
        {"role": "system", "content": call.system or ""},
        {"role": "user", "content": call.prompt},
    ]
    schema = call.output_type.model_json_schema() if call.output_type is not None else None
    return cache_key(primary.provider, primary.model, messages, params, schema)


def input_token_bound(call: ModelCall) -> int:
    """More input tokens than any tokenizer we route to makes of the request.

    Half the UTF-8 bytes: English runs about four characters a token, and scripts whose
    characters take three bytes (CJK) about one or two tokens a character. The output
    schema is sent too (as the output tool's definition).
    """
    sent = (call.system or "") + call.prompt
    if call.output_type is not None:
        sent += json.dumps(call.output_type.model_json_schema())
    return math.ceil(len(sent.encode()) / 2) + _FRAMING_TOKENS


def estimate(chain: ModelChain, call: ModelCall, settings: Settings | None) -> Decimal | None:
    """What to reserve: the dearest route's price for the bound above and the whole output
    allowance (a fallback may answer); None when some route's price is unknown."""
    table = price_table(settings)
    tokens = input_token_bound(call)
    costs = [
        estimate_cost(
            route.provider,
            route.model,
            input_tokens=tokens,
            max_output_tokens=call.max_tokens,
            table=table,
            base_url=route.base_url,
        )
        for route in chain.routes
    ]
    known = [cost for cost in costs if cost is not None]
    return max(known) if len(known) == len(costs) else None


async def _call(
    gateway: ModelGateway,
    chain: ModelChain,
    call: ModelCall,
    on_delta: OnDelta | None,
    on_restart: OnRestart | None,
) -> LLMResult[Any]:
    if on_delta is None:
        return await _run(gateway, chain, call)
    try:
        async with gateway.stream(
            call.prompt,
            output_type=call.output_type,
            system=call.system,
            temperature=call.temperature,
            max_tokens=call.max_tokens,
            composer=call.composer,
            chain=chain,
        ) as stream:
            async for delta in stream:
                await on_delta(delta)
        return stream.result
    except ModelStreamInterrupted as exc:
        if call.output_type is None or not exc.attempts:
            raise
        if exc.attempts[-1].category != "invalid-output":
            raise
        streamed_attempts = exc.attempts
    # A streamed answer that does not validate cannot be retried once shown: ask again,
    # unstreamed, so the gateway's output retries (with the validation errors) apply.
    if on_restart is not None:
        await on_restart()
    try:
        result = await _run(gateway, chain, call)
    except ModelGatewayError as exc:
        # The streamed attempt's answer was billed as well: the error accounts for it.
        exc.attempts = streamed_attempts + exc.attempts
        raise
    await on_delta(result.text)
    return dataclasses.replace(result, attempts=streamed_attempts + result.attempts)


async def _run(gateway: ModelGateway, chain: ModelChain, call: ModelCall) -> LLMResult[Any]:
    if call.output_type is None:
        return await gateway.run(
            call.prompt,
            system=call.system,
            temperature=call.temperature,
            max_tokens=call.max_tokens,
            composer=call.composer,
            chain=chain,
        )
    return await gateway.run(
        call.prompt,
        output_type=call.output_type,
        system=call.system,
        temperature=call.temperature,
        max_tokens=call.max_tokens,
        composer=call.composer,
        chain=chain,
    )


def _stored(result: LLMResult[Any]) -> dict[str, Any]:
    """The answer as the cache keeps it: the model's words (placeholders, never PII)."""
    if isinstance(result.output, BaseModel):
        return {"output": result.output.model_dump(mode="json")}
    return {"text": result.text}


def _revive(call: ModelCall, cached: CachedAnswer) -> tuple[Any, str] | None:
    """The cached answer as ``call`` wants it; None if it no longer fits (a schema changed)."""
    response = cached.response
    if call.output_type is None:
        text = response.get("text")
        return (text, text) if isinstance(text, str) else None
    try:
        output = call.output_type.model_validate(response.get("output"))
    except ValidationError:
        return None
    return output, output.model_dump_json()


def _route_named(chain: ModelChain, provider: str, model: str) -> ModelRoute | None:
    return next((r for r in chain.routes if r.provider == provider and r.model == model), None)
