"""Streamed calls: text deltas as they arrive, then one ``LLMResult`` with the usage.

The same walk over routes as ``ModelGateway.run``, with one difference: once a delta has
been handed to the caller it cannot be taken back, so a failure after that point ends the
stream with ``ModelStreamInterrupted`` instead of retrying or falling back.

With an ``output_type`` the deltas are the pieces of the JSON the model writes (the
arguments of its output tool call); the result carries the validated object.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import AsyncExitStack, aclosing
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_ai import capture_run_messages
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.result import StreamedRunResult

from brandflow.kernel.llm.config import ModelChain, ModelRoute
from brandflow.kernel.llm.errors import ModelStreamInterrupted
from brandflow.kernel.llm.failures import judge
from brandflow.kernel.llm.offline import composer_input, estimate_usage
from brandflow.kernel.llm.result import Attempt, LLMResult

if TYPE_CHECKING:
    from brandflow.kernel.llm.gateway import Answer, Call, ModelGateway


class LLMStream:
    """``async with gateway.stream(...) as s: async for delta in s: ...``; then ``s.result``."""

    def __init__(self, gateway: ModelGateway, call: Call, chain: ModelChain) -> None:
        self._gateway = gateway
        self._call = call
        self._chain = chain
        self._result: LLMResult[Any] | None = None
        self._deltas: AsyncIterator[str] | None = None
        self.attempts: list[Attempt] = []

    async def __aenter__(self) -> LLMStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Close the generator here, in the caller's task, so the provider stream and its
        # connection are released even when the caller stopped reading early.
        if self._deltas is not None and hasattr(self._deltas, "aclose"):
            await self._deltas.aclose()

    def __aiter__(self) -> AsyncIterator[str]:
        if self._deltas is None:
            self._deltas = self._walk()
        return self._deltas

    @property
    def result(self) -> LLMResult[Any]:
        if self._result is None:
            raise RuntimeError("the stream has not finished: read it to the end first")
        return self._result

    async def _walk(self) -> AsyncIterator[str]:
        from brandflow.kernel.llm.gateway import billed

        gateway = self._gateway
        started = time.perf_counter()
        for index, route in enumerate(self._chain.routes):
            for number in range(1, route.max_retries + 2):
                breaker = gateway.breakers[route.key]
                if not breaker.allow():
                    self.attempts.append(
                        Attempt(index, route.provider, route.model, number, "circuit-open")
                    )
                    break
                began = time.perf_counter()
                delivered = False
                answer: Answer | None = None
                runs: list[list[ModelMessage]] = []
                try:
                    async with aclosing(self._attempt(route, runs)) as pieces:
                        async for piece in pieces:
                            if isinstance(piece, str):
                                delivered = True
                                yield piece
                            else:
                                answer = piece
                except Exception as exc:
                    failure = judge(exc)
                    if failure is None:
                        breaker.release()
                        raise
                    retry = gateway.record_failure(
                        route,
                        index,
                        number,
                        failure,
                        began,
                        self.attempts,
                        may_retry=not delivered,
                        usage=None if route.offline else billed([m for run in runs for m in run]),
                    )
                    if delivered:
                        raise ModelStreamInterrupted(
                            f"The stream from {route.label} broke off: {failure.message}",
                            attempts=tuple(self.attempts),
                        ) from exc
                    if retry is None:
                        break
                    await gateway.backoff(retry)
                    continue
                except BaseException:
                    breaker.release()  # cancelled or abandoned by the reader: no verdict
                    raise
                if answer is None:  # pragma: no cover - _attempt always ends with one
                    raise RuntimeError("the model stream ended without a final answer")
                breaker.record_success()
                latency = (time.perf_counter() - began) * 1000
                self.attempts.append(
                    Attempt(index, route.provider, route.model, number, "ok", latency)
                )
                self._result = gateway.result(route, index, answer, self.attempts, started)
                return
        raise gateway.exhausted(self.attempts)

    async def _attempt(
        self, route: ModelRoute, runs: list[list[ModelMessage]]
    ) -> AsyncGenerator[str | Answer, None]:
        """Deltas (str), then one final ``Answer``; ``runs`` gets the run's message list."""
        from brandflow.kernel.llm.gateway import Answer, usage_of

        gateway, call = self._gateway, self._call
        model = gateway.model_for(route)
        token = composer_input.set(call.composer) if route.offline else None
        try:
            agent = gateway.agent_for(call.output_type or str)
            async with AsyncExitStack() as stack:
                # The run claims the captured list when it starts and keeps appending to it;
                # the capture itself ends here, so it is not held across the yields below.
                with capture_run_messages() as captured:
                    runs.append(captured)
                    run = await stack.enter_async_context(
                        agent.run_stream(
                            call.prompt,
                            model=model,
                            message_history=call.history_messages() or None,
                            instructions=call.system,
                            model_settings=call.settings(route, stream=True),
                            infer_name=False,
                        )
                    )
                async with aclosing(
                    _deltas(run, structured=call.output_type is not None)
                ) as deltas:
                    async for delta in deltas:
                        yield delta
                output = await run.get_output()
                usage = run.usage
        finally:
            if token is not None:
                composer_input.reset(token)
        text = output.model_dump_json() if isinstance(output, BaseModel) else str(output)
        yield Answer(
            output,
            text,
            estimate_usage(call.prompt_text(), text) if route.offline else usage_of(usage),
        )


async def _deltas(
    run: StreamedRunResult[None, Any], *, structured: bool
) -> AsyncGenerator[str, None]:
    if not structured:
        async for delta in run.stream_text(delta=True, debounce_by=None):
            if delta:
                yield delta
        return
    sent = ""
    async for snapshot in run.stream_response(debounce_by=None):
        written = _written(snapshot)
        if written.startswith(sent) and len(written) > len(sent):
            yield written[len(sent) :]
            sent = written


def _written(response: ModelResponse) -> str:
    """The text the model has written so far: its text parts, or its tool-call arguments."""
    pieces: list[str] = []
    for part in response.parts:
        if isinstance(part, TextPart):
            pieces.append(part.content)
        elif isinstance(part, ToolCallPart):
            pieces.append(part.args if isinstance(part.args, str) else part.args_as_json_str())
    return "".join(pieces)
