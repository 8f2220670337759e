"""The offline composer as a pydantic-ai model: no network, no key, deterministic.

It goes through the same pydantic-ai path as a real provider (structured output validated by
the same agent), so the rest of Brandflow cannot tell it apart except by its label, which is
always "offline composer". It writes from the ``ComposerInput`` the caller passes through the
gateway (held in a context variable for the duration of the call), or, without one, from the
prompt text itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    SystemPromptPart,
    TextPart,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from brandflow.kernel.llm.composer import ComposerInput, compose_text, fill_schema
from brandflow.kernel.llm.config import OFFLINE_MODEL
from brandflow.kernel.llm.result import TokenUsage

composer_input: ContextVar[ComposerInput | None] = ContextVar("composer_input", default=None)

_CHUNK_CHARS = 24  # streamed piece size: a few words, like a real model's deltas


def estimate_tokens(text: str) -> int:
    """About four characters a token, the usual rule of thumb for English."""
    return math.ceil(len(text) / 4) if text else 0


def estimate_usage(prompt: str, output: str) -> TokenUsage:
    return TokenUsage(
        input_tokens=estimate_tokens(prompt), output_tokens=estimate_tokens(output), requests=1
    )


class OfflineComposerModel(FunctionModel):
    """A ``FunctionModel`` whose functions are the composer."""

    def __init__(self) -> None:
        super().__init__(_respond, stream_function=_respond_stream, model_name=OFFLINE_MODEL)

    @property
    def system(self) -> str:
        return "offline"


def _input_for(messages: list[ModelMessage]) -> ComposerInput:
    given = composer_input.get()
    return given if given is not None else ComposerInput.from_prompt(_user_text(messages))


def _user_text(messages: list[ModelMessage]) -> str:
    texts: list[str] = []
    for message in messages:
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    texts.append(part.content)
    return " ".join(texts)


def prompt_text(messages: list[ModelMessage]) -> str:
    """Everything the composer was sent, for its token estimate."""
    texts: list[str] = []
    for message in messages:
        if isinstance(message, ModelRequest):
            texts += [p.content for p in message.parts if isinstance(p, SystemPromptPart)]
            if message.instructions:
                texts.append(message.instructions)
    return " ".join([*texts, _user_text(messages)])


def _max_chars(info: AgentInfo) -> int | None:
    max_tokens = (info.model_settings or {}).get("max_tokens")
    return max_tokens * 4 if max_tokens else None


def _structured(info: AgentInfo, inp: ComposerInput) -> tuple[str | None, dict[str, Any]] | None:
    """(output tool name or None for native/prompted JSON, filled value), or None for text."""
    if info.output_tools:
        tool = info.output_tools[0]
        return tool.name, fill_schema(dict(tool.parameters_json_schema), inp)
    output_object = info.model_request_parameters.output_object
    if output_object is not None:
        return None, fill_schema(dict(output_object.json_schema), inp)
    return None


def _respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    inp = _input_for(messages)
    structured = _structured(info, inp)
    if structured is None:
        return ModelResponse(parts=[TextPart(compose_text(inp, max_chars=_max_chars(info)))])
    tool_name, value = structured
    if tool_name is None:
        return ModelResponse(parts=[TextPart(json.dumps(value, ensure_ascii=False))])
    return ModelResponse(parts=[ToolCallPart(tool_name, value, tool_call_id="offline-1")])


async def _respond_stream(
    messages: list[ModelMessage], info: AgentInfo
) -> AsyncIterator[str | DeltaToolCalls]:
    inp = _input_for(messages)
    structured = _structured(info, inp)
    if structured is None:
        text = compose_text(inp, max_chars=_max_chars(info))
        for start in range(0, len(text), _CHUNK_CHARS):
            yield text[start : start + _CHUNK_CHARS]
        return
    tool_name, value = structured
    payload = json.dumps(value, ensure_ascii=False)
    if tool_name is None:
        for start in range(0, len(payload), _CHUNK_CHARS):
            yield payload[start : start + _CHUNK_CHARS]
        return
    for start in range(0, len(payload), _CHUNK_CHARS):
        first = start == 0
        yield {
            0: DeltaToolCall(
                name=tool_name if first else None,
                json_args=payload[start : start + _CHUNK_CHARS],
                tool_call_id="offline-1" if first else None,
            )
        }
