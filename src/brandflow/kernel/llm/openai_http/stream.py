"""The streamed answer of a Chat Completions call: ``sse_chunks`` reads the server-sent events
into JSON chunks (raising an ``error`` the server sends mid-stream), and
``HTTPChatStreamedResponse`` turns the chunks into pydantic-ai stream events (reasoning, text,
tool calls) through the parts manager, with usage and finish reason as the answer reports them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from pydantic_ai import _model_errors
from pydantic_ai._utils import now_utc
from pydantic_ai.exceptions import UnexpectedModelBehavior
from pydantic_ai.messages import ModelResponseStreamEvent, PartStartEvent, ThinkingPart
from pydantic_ai.models import StreamedResponse

from brandflow.kernel.llm.openai_http.errors import error_message, transport_error
from brandflow.kernel.llm.openai_http.response import FINISH_REASONS, REASONING_FIELDS, read_usage

if TYPE_CHECKING:
    from brandflow.kernel.llm.openai_http.model import HTTPChatModel


@dataclass
class HTTPChatStreamedResponse(StreamedResponse):
    """The SSE chunks of one streamed call, as pydantic-ai stream events."""

    _model: HTTPChatModel
    _model_name: str
    _first: dict[str, Any]
    _chunks: AsyncGenerator[dict[str, Any], None]
    _http: httpx.Response
    _timestamp: datetime = field(default_factory=now_utc)
    _usage_received: bool | None = field(default=False, init=False)

    async def close_stream(self) -> None:
        await self._http.aclose()

    async def _get_event_iterator(self) -> AsyncIterator[ModelResponseStreamEvent]:
        model = self._model
        tags = model._thinking_tags
        reasoning_fields = (model._thinking_field, *REASONING_FIELDS)
        system = model.system
        manager = self._parts_manager
        finished = False
        chunk: dict[str, Any] | None = self._first
        while chunk is not None:
            if chunk_id := chunk.get("id"):
                self.provider_response_id = chunk_id
            if usage := chunk.get("usage"):
                self._add_usage(read_usage(usage), reported=True)
            choices = chunk.get("choices")
            if choices:
                choice = choices[0]
                raw_finish = choice.get("finish_reason")
                if raw_finish:
                    finished = True
                    self.finish_reason = FINISH_REASONS.get(raw_finish)
                    self.provider_details = {"finish_reason": raw_finish}
                delta = choice.get("delta") or {}
                for name in reasoning_fields:
                    if name and isinstance(text := delta.get(name), str) and text:
                        for event in manager.handle_thinking_delta(
                            vendor_part_id=("reasoning", name),
                            id=name,
                            content=text,
                            provider_name=system,
                        ):
                            yield event
                        break
                content = delta.get("content")
                if isinstance(content, str) and content:
                    for event in manager.handle_text_delta(
                        vendor_part_id="content", content=content, thinking_tags=tags
                    ):
                        if isinstance(event, PartStartEvent) and isinstance(
                            event.part, ThinkingPart
                        ):
                            event.part.id = "content"
                            event.part.provider_name = system
                        yield event
                if refusal := delta.get("refusal"):
                    self.finish_reason = "content_filter"
                    self.provider_details = {"refusal": refusal}
                for call in delta.get("tool_calls") or ():
                    function = call.get("function") or {}
                    for event in manager.handle_tool_call_delta_events(
                        vendor_part_id=call.get("index", 0),
                        tool_name=function.get("name"),
                        args=function.get("arguments"),
                        tool_call_id=call.get("id"),
                    ):
                        yield event
            chunk = await anext(self._chunks, None)
        if not finished and self.finish_reason is None and not self.cancelled:
            self.finish_reason = "stop"  # some compatible servers never send one

    @property
    def model_name(self) -> str:
        return self._model_name

    @property
    def provider_name(self) -> str:
        return self._model.system

    @property
    def provider_url(self) -> str:
        return self._model.base_url

    @property
    def timestamp(self) -> datetime:
        return self._timestamp


async def sse_chunks(
    response: httpx.Response, model_name: str
) -> AsyncGenerator[dict[str, Any], None]:
    """The JSON objects of ``data:`` lines, up to ``[DONE]``; an ``error`` object is raised."""
    try:
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue  # blank separators, comments, "event:" lines
            payload = line[5:].strip()
            if payload == "[DONE]":
                return
            if not payload:
                continue
            try:
                chunk = json.loads(payload)
            except ValueError as exc:
                raise UnexpectedModelBehavior(
                    f"Invalid chunk in the stream from {model_name}: {payload[:200]}"
                ) from exc
            if isinstance(chunk, dict) and (error := chunk.get("error")) is not None:
                raise _model_errors.stream_error(model_name, error_message(error), error)
            yield chunk
    except httpx.TransportError as exc:
        # A read timeout here is the wait for the next chunk running past the route's timeout.
        raise transport_error(model_name, exc) from exc
