"""The model gateway: every language-model call in Brandflow goes through ``ModelGateway``.

A call walks the chain's routes in order. On each route: skip it while its circuit is open;
otherwise try, within the route's timeout; on a retryable failure (timeout, 429, 5xx,
connection error) wait with exponential backoff and jitter and try again, up to the route's
``max_retries``; on anything else, or when the retries are spent, go to the next route. The
result says which route answered and lists every attempt; when no route answers, a typed
``ModelGatewayError`` carries the same list.

Plain text goes through pydantic-ai's direct model request (the lean path: the gateway's own
overhead is measured in ``bench/gateway_overhead.py``); structured output goes through a
pydantic-ai ``Agent`` built once per output type, which validates the output and asks the
model again when it does not validate.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from pydantic import BaseModel
from pydantic_ai import Agent, capture_run_messages
from pydantic_ai.direct import model_request
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    UserPromptPart,
)
from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings
from pydantic_ai.usage import RequestUsage, RunUsage

from brandflow.kernel.llm.breaker import BreakerBoard, BreakerPolicy
from brandflow.kernel.llm.composer import ComposerInput, render
from brandflow.kernel.llm.config import ModelChain, ModelRoute
from brandflow.kernel.llm.errors import (
    ModelGatewayError,
    ModelOutputInvalid,
    ModelRequestRejected,
    ModelUnavailable,
)
from brandflow.kernel.llm.failures import Failure, judge
from brandflow.kernel.llm.offline import composer_input, estimate_usage
from brandflow.kernel.llm.providers import build_model, close_model
from brandflow.kernel.llm.result import Attempt, LLMResult, TokenUsage
from brandflow.kernel.telemetry import get_logger

if TYPE_CHECKING:
    from brandflow.kernel.llm.streaming import LLMStream

log = get_logger(__name__)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """An earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 8.0
    # A provider's Retry-After is honoured up to this; longer, the next route is better.
    max_retry_after_seconds: float = 20.0

    def delay(
        self, retry_number: int, retry_after: float | None, rng: Callable[[], float]
    ) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        ceiling = min(self.max_delay_seconds, self.base_delay_seconds * 2.0 ** (retry_number - 1))
        delay = ceiling / 2 + rng() * ceiling / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after_seconds))
        return delay


@dataclass(frozen=True, slots=True)
class Call:
    """One gateway request, as the attempts see it."""

    prompt: str
    system: str | None
    history: tuple[ChatMessage, ...]
    output_type: type[BaseModel] | None
    temperature: float | None
    max_tokens: int | None
    composer: ComposerInput | None

    def settings(self, route: ModelRoute, *, stream: bool) -> ModelSettings:
        settings = ModelSettings()
        if self.temperature is not None:
            settings["temperature"] = self.temperature
        if self.max_tokens is not None:
            settings["max_tokens"] = self.max_tokens
        if stream:
            # Until the first token; after it, the HTTP read timeout bounds each wait.
            settings["first_event_timeout"] = route.timeout_seconds
        else:
            settings["request_timeout"] = route.timeout_seconds
        return settings

    def history_messages(self) -> list[ModelMessage]:
        return [
            ModelRequest(parts=[UserPromptPart(m.content)])
            if m.role == "user"
            else ModelResponse(parts=[TextPart(m.content)])
            for m in self.history
        ]

    def prompt_text(self) -> str:
        """What a model reads, for the offline composer's token estimate."""
        read = [self.system or "", *(m.content for m in self.history), self.prompt]
        if self.composer is not None:
            read.append(render(self.composer))
        return " ".join(read)


@dataclass(frozen=True, slots=True)
class Answer:
    output: Any
    text: str
    usage: TokenUsage


class ModelGateway:
    """Runs requests through a ``ModelChain`` with timeouts, retries, breakers and fallback."""

    def __init__(
        self,
        chain: ModelChain | None = None,
        *,
        retry: RetryPolicy | None = None,
        breaker: BreakerPolicy | None = None,
        output_retries: int = 2,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.chain = chain or ModelChain()
        self.retry = retry or RetryPolicy()
        self.breakers = BreakerBoard(breaker or BreakerPolicy(), clock=clock)
        self._output_retries = output_retries
        self._sleep = sleep
        self._rng = rng
        self._models: dict[str, Model] = {}
        self._agents: dict[type[Any], Agent[None, Any]] = {}

    # -- public API -------------------------------------------------------------------------

    @overload
    async def run(
        self,
        prompt: str,
        *,
        output_type: None = None,
        system: str | None = None,
        history: Sequence[ChatMessage] = (),
        temperature: float | None = None,
        max_tokens: int | None = None,
        composer: ComposerInput | None = None,
        chain: ModelChain | None = None,
    ) -> LLMResult[str]: ...

    @overload
    async def run(
        self,
        prompt: str,
        *,
        output_type: type[M],
        system: str | None = None,
        history: Sequence[ChatMessage] = (),
        temperature: float | None = None,
        max_tokens: int | None = None,
        composer: ComposerInput | None = None,
        chain: ModelChain | None = None,
    ) -> LLMResult[M]: ...

    async def run(
        self,
        prompt: str,
        *,
        output_type: type[BaseModel] | None = None,
        system: str | None = None,
        history: Sequence[ChatMessage] = (),
        temperature: float | None = None,
        max_tokens: int | None = None,
        composer: ComposerInput | None = None,
        chain: ModelChain | None = None,
    ) -> LLMResult[Any]:
        """One non-streamed call; ``composer`` feeds the offline composer (ignored by providers)."""
        call = Call(prompt, system, tuple(history), output_type, temperature, max_tokens, composer)
        started = time.perf_counter()
        attempts: list[Attempt] = []
        for index, route in enumerate((chain or self.chain).routes):
            for number in range(1, route.max_retries + 2):
                breaker = self.breakers[route.key]
                if not breaker.allow():
                    attempts.append(_skipped(index, route, number))
                    break
                began = time.perf_counter()
                messages: list[ModelMessage] = []
                try:
                    # The agent's messages: the answers of a run that then failed are billed.
                    with capture_run_messages() as messages:
                        answer = await self._attempt(route, call)
                except Exception as exc:
                    failure = judge(exc)
                    if failure is None:
                        breaker.release()
                        raise
                    retry = self.record_failure(
                        route,
                        index,
                        number,
                        failure,
                        began,
                        attempts,
                        usage=None if route.offline else billed(messages),
                    )
                    if retry is None:
                        break
                    await self.backoff(retry)
                    continue
                except BaseException:
                    breaker.release()  # cancelled: no verdict, and a half-open probe is freed
                    raise
                breaker.record_success()
                attempts.append(_ok(index, route, number, began))
                return self.result(route, index, answer, attempts, started)
        raise self.exhausted(attempts)

    def stream(
        self,
        prompt: str,
        *,
        output_type: type[BaseModel] | None = None,
        system: str | None = None,
        history: Sequence[ChatMessage] = (),
        temperature: float | None = None,
        max_tokens: int | None = None,
        composer: ComposerInput | None = None,
        chain: ModelChain | None = None,
    ) -> LLMStream:
        """A streamed call: ``async with gateway.stream(...) as s: async for delta in s: ...``,
        then ``s.result``. Retries and fallback happen only before the first delta."""
        from brandflow.kernel.llm.streaming import LLMStream

        call = Call(prompt, system, tuple(history), output_type, temperature, max_tokens, composer)
        return LLMStream(self, call, chain or self.chain)

    async def aclose(self) -> None:
        models, self._models = self._models, {}
        for model in models.values():
            await close_model(model)

    # -- shared by run() and LLMStream --------------------------------------------------------

    def warm(self, chain: ModelChain | None = None) -> None:
        """Build the chain's models now (imports and clients) rather than on the first call."""
        for route in (chain or self.chain).routes:
            self.model_for(route)

    async def backoff(self, seconds: float) -> None:
        await self._sleep(seconds)

    def model_for(self, route: ModelRoute) -> Model:
        model = self._models.get(route.key)
        if model is None:
            model = self._models[route.key] = build_model(route)
        return model

    def agent_for(self, output_type: type[Any]) -> Agent[None, Any]:
        agent = self._agents.get(output_type)
        if agent is None:
            agent = Agent(
                output_type=output_type,
                name="brandflow-gateway",
                retries={"output": self._output_retries},
                defer_model_check=True,
            )
            self._agents[output_type] = agent
        return agent

    def record_failure(
        self,
        route: ModelRoute,
        index: int,
        number: int,
        failure: Failure,
        began: float,
        attempts: list[Attempt],
        *,
        may_retry: bool = True,
        usage: TokenUsage | None = None,
    ) -> float | None:
        """Record a failed attempt; the backoff before the next try, or None to leave the route."""
        breaker = self.breakers[route.key]
        if failure.counts_against_route:
            breaker.record_failure()
        else:
            breaker.release()
        retry = may_retry and failure.retryable and number <= route.max_retries
        delay = self.retry.delay(number, failure.retry_after, self._rng) if retry else 0.0
        attempts.append(
            Attempt(
                route_index=index,
                provider=route.provider,
                model=route.model,
                number=number,
                outcome="error",
                latency_ms=(time.perf_counter() - began) * 1000,
                category=failure.category,
                error_type=failure.error_type,
                error=failure.message,
                status_code=failure.status_code,
                retryable=failure.retryable,
                backoff_ms=delay * 1000,
                usage=usage,
            )
        )
        log.warning(
            "llm.attempt_failed",
            provider=route.provider,
            model=route.model,
            route_index=index,
            attempt=number,
            error_type=failure.error_type,
            status_code=failure.status_code,
            will_retry=retry,
        )
        return delay if retry else None

    def result(
        self,
        route: ModelRoute,
        index: int,
        answer: Answer,
        attempts: list[Attempt],
        started: float,
    ) -> LLMResult[Any]:
        return LLMResult(
            output=answer.output,
            text=answer.text,
            provider=route.provider,
            model=route.model,
            label=route.label,
            offline=route.offline,
            route_index=index,
            attempts=tuple(attempts),
            usage=answer.usage,
            latency_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def exhausted(attempts: list[Attempt]) -> ModelGatewayError:
        """The error for a call no route answered, typed by how the last attempt ended."""
        tried = tuple(attempts)
        summary = "; ".join(
            f"{a.provider}:{a.model} #{a.number} {a.error_type or a.outcome}" for a in tried
        )
        last = tried[-1].category if tried else None
        if last == "invalid-output":
            return ModelOutputInvalid(
                f"The model's output did not match the requested structure ({summary})",
                attempts=tried,
            )
        if last == "rejected":
            return ModelRequestRejected(
                f"The model provider refused the request ({summary})", attempts=tried
            )
        return ModelUnavailable(
            f"No model route answered ({summary or 'no routes'})", attempts=tried
        )

    # -- one attempt ----------------------------------------------------------------------------

    async def _attempt(self, route: ModelRoute, call: Call) -> Answer:
        model = self.model_for(route)
        token = composer_input.set(call.composer) if route.offline else None
        try:
            if call.output_type is None:
                return await self._text(model, route, call)
            return await self._structured(model, route, call, call.output_type)
        finally:
            if token is not None:
                composer_input.reset(token)

    async def _text(self, model: Model, route: ModelRoute, call: Call) -> Answer:
        messages = call.history_messages()
        messages.append(ModelRequest.user_text_prompt(call.prompt, instructions=call.system))
        response = await model_request(
            model, messages, model_settings=call.settings(route, stream=False), instrument=False
        )
        text = response.text
        if text is None:
            from pydantic_ai.exceptions import UnexpectedModelBehavior

            raise UnexpectedModelBehavior("The model answered without any text")
        usage = (
            estimate_usage(call.prompt_text(), text) if route.offline else usage_of(response.usage)
        )
        return Answer(text, text, usage)

    async def _structured(
        self, model: Model, route: ModelRoute, call: Call, output_type: type[BaseModel]
    ) -> Answer:
        result = await self.agent_for(output_type).run(
            call.prompt,
            model=model,
            message_history=call.history_messages() or None,
            instructions=call.system,
            model_settings=call.settings(route, stream=False),
            infer_name=False,
        )
        output: BaseModel = result.output
        text = output.model_dump_json()
        usage = (
            estimate_usage(call.prompt_text(), text) if route.offline else usage_of(result.usage)
        )
        return Answer(output, text, usage)


def usage_of(usage: RequestUsage | RunUsage) -> TokenUsage:
    return TokenUsage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        requests=usage.requests if isinstance(usage, RunUsage) else 1,
    )


def billed(messages: Sequence[ModelMessage]) -> TokenUsage | None:
    """The usage of the model's answers among ``messages``; None when none was billed.

    History turns count nothing: they are built without usage (``Call.history_messages``).
    """
    spent = [
        usage_of(m.usage)
        for m in messages
        if isinstance(m, ModelResponse) and (m.usage.input_tokens or m.usage.output_tokens)
    ]
    return sum(spent, TokenUsage()) if spent else None


def _skipped(index: int, route: ModelRoute, number: int) -> Attempt:
    return Attempt(index, route.provider, route.model, number, "circuit-open")


def _ok(index: int, route: ModelRoute, number: int, began: float) -> Attempt:
    return Attempt(
        index, route.provider, route.model, number, "ok", (time.perf_counter() - began) * 1000
    )
