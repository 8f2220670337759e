"""The answer of a Chat Completions call as pydantic-ai reads it: the JSON body to a
``ModelResponse`` with its parts (reasoning, text with thinking tags split out, tool calls),
usage and finish reason, mapped as ``OpenAIChatModel`` maps them; the usage and finish-reason
mappings are shared with the streamed answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic_ai._thinking_part import split_content_into_text_and_thinking
from pydantic_ai._utils import generate_tool_call_id, now_utc
from pydantic_ai.exceptions import UnexpectedModelBehavior
from pydantic_ai.messages import (
    FinishReason,
    ModelResponse,
    ModelResponsePart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
)
from pydantic_ai.usage import RequestUsage

if TYPE_CHECKING:
    from brandflow.kernel.llm.openai_http.model import HTTPChatModel

FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_call",
    "content_filter": "content_filter",
    "function_call": "tool_call",
}
# Where OpenAI-compatible servers put reasoning text (DeepSeek, vLLM: reasoning_content;
# gpt-oss on Ollama, OpenRouter: reasoning).
REASONING_FIELDS = ("reasoning", "reasoning_content")


def read_response(model: HTTPChatModel, data: Any) -> ModelResponse:
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError) as exc:
        raise UnexpectedModelBehavior(
            f"Invalid response from {model.system} chat completions endpoint: {str(data)[:300]}"
        ) from exc
    raw_finish = choice.get("finish_reason")
    details: dict[str, Any] = {}
    if raw_finish:
        details["finish_reason"] = raw_finish
    if created := data.get("created"):
        details["timestamp"] = datetime.fromtimestamp(created, tz=UTC)
    usage = read_usage(data.get("usage"))
    if refusal := message.get("refusal"):
        details["refusal"] = refusal
        details.pop("finish_reason", None)
        return _model_response(model, [], usage, data, details, "content_filter")
    parts: list[ModelResponsePart] = []
    for name in (model._thinking_field, *REASONING_FIELDS):
        if name and isinstance(reasoning := message.get(name), str) and reasoning:
            parts.append(ThinkingPart(id=name, content=reasoning, provider_name=model.system))
            break
    content = message.get("content")
    if isinstance(content, list):  # some servers send content as a list of text parts
        content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    if content:
        parts.extend(_text_parts(model, content))
    for call in message.get("tool_calls") or ():
        function = call.get("function") or {}
        parts.append(
            ToolCallPart(
                function.get("name", ""),
                function.get("arguments"),
                tool_call_id=call.get("id") or generate_tool_call_id(),
            )
        )
    finish = FINISH_REASONS.get(raw_finish or "stop")
    return _model_response(model, parts, usage, data, details, finish)


def read_usage(raw: Any) -> RequestUsage:
    """OpenAI's usage object as pydantic-ai reads it (prompt_tokens includes the cached ones)."""
    if not isinstance(raw, dict):
        return RequestUsage(unmeasured_requests=1)
    prompt = raw.get("prompt_tokens_details") or {}
    completion = raw.get("completion_tokens_details") or {}
    details = {k: v for k, v in completion.items() if isinstance(v, int)}
    return RequestUsage(
        input_tokens=raw.get("prompt_tokens") or 0,
        output_tokens=raw.get("completion_tokens") or 0,
        cache_read_tokens=prompt.get("cached_tokens") or 0,
        cache_write_tokens=prompt.get("cache_write_tokens") or 0,
        input_audio_tokens=prompt.get("audio_tokens") or 0,
        output_audio_tokens=completion.get("audio_tokens") or 0,
        output_reasoning_tokens=completion.get("reasoning_tokens") or 0,
        details=details,
    )


def _text_parts(model: HTTPChatModel, content: str) -> list[TextPart | ThinkingPart]:
    if model._thinking_tags[0] not in content:
        return [TextPart(content)]
    return [
        ThinkingPart(part.content, id="content", provider_name=model.system)
        if isinstance(part, ThinkingPart)
        else part
        for part in split_content_into_text_and_thinking(content, model._thinking_tags)
    ]


def _model_response(
    model: HTTPChatModel,
    parts: list[ModelResponsePart],
    usage: RequestUsage,
    data: dict[str, Any],
    details: dict[str, Any],
    finish: FinishReason | None,
) -> ModelResponse:
    return ModelResponse(
        parts=parts,
        usage=usage,
        model_name=data.get("model") or model._model_name,
        timestamp=now_utc(),
        provider_details=details or None,
        provider_response_id=data.get("id") or None,
        provider_name=model._provider.name,
        provider_url=model._provider.base_url,
        canonical_system=model._canonical_system_stamp,
        finish_reason=finish,
    )
