"""The request body of a Chat Completions call: pydantic-ai's messages, settings and request
parameters (tools, tool choice, output mode, thinking) as the JSON ``HTTPChatModel`` posts,
built from plain dicts and encoded with stdlib ``json``, with the fields ``OpenAIChatModel``
would send for the same model profile.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from pydantic_ai._utils import generate_tool_call_id
from pydantic_ai.exceptions import UserError
from pydantic_ai.messages import (
    BinaryContent,
    CachePoint,
    ImageUrl,
    ModelMessage,
    ModelRequest,
    ModelResponse,
    SystemPromptPart,
    TextContent,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models import ModelRequestParameters, _sendable_request_parts
from pydantic_ai.models._tool_choice import resolve_tool_choice
from pydantic_ai.settings import ModelSettings
from pydantic_ai.tools import ToolDefinition

from brandflow.kernel.llm.openai_http.response import REASONING_FIELDS

if TYPE_CHECKING:
    from brandflow.kernel.llm.openai_http.model import HTTPChatModel

# ModelSettings sent as the request field of the same meaning (the rest are handled below).
_PASSTHROUGH = (
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("seed", "seed"),
    ("presence_penalty", "presence_penalty"),
    ("frequency_penalty", "frequency_penalty"),
    ("logit_bias", "logit_bias"),
    ("stop_sequences", "stop"),
    ("openai_user", "user"),
    ("openai_reasoning_effort", "reasoning_effort"),
)


def request_body(
    model: HTTPChatModel,
    messages: list[ModelMessage],
    settings: ModelSettings,
    params: ModelRequestParameters,
    *,
    stream: bool,
) -> bytes:
    body: dict[str, Any] = {
        "model": model._model_name,
        "messages": _messages(model, messages, params),
    }
    tool_defs = params.declared_tool_defs
    if tool_defs:
        tools, choice = _tools(model, settings, params, tool_defs)
        body["tools"] = tools
        body["tool_choice"] = choice
        if "parallel_tool_calls" in settings:
            body["parallel_tool_calls"] = settings["parallel_tool_calls"]
    if params.output_mode == "native" and params.output_object is not None:
        out = params.output_object
        schema: dict[str, Any] = {"name": out.name or "final_result", "schema": out.json_schema}
        if out.description:
            schema["description"] = out.description
        if model._strict_tools:
            schema["strict"] = out.strict
        body["response_format"] = {"type": "json_schema", "json_schema": schema}
    elif params.output_mode == "prompted" and model._json_object:
        body["response_format"] = {"type": "json_object"}
    body["stream"] = stream
    if stream:
        body["stream_options"] = {"include_usage": True}
    if settings:
        _settings_into(model, body, settings, params)
    if model._reasons and params.thinking is not None and "reasoning_effort" not in body:
        # The unified `thinking` setting, as OpenAIChatModel translates it.
        from pydantic_ai.models.openai._reasoning import resolve_openai_thinking_effort

        profile = cast("Any", model.profile)
        supports_max = profile.get("openai_chat_supports_max_reasoning_effort", False)
        effort = resolve_openai_thinking_effort(params.thinking, profile, supports_max=supports_max)
        if effort is not None:
            body["reasoning_effort"] = effort
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _settings_into(
    model: HTTPChatModel,
    body: dict[str, Any],
    settings: ModelSettings,
    params: ModelRequestParameters,
) -> None:
    values: dict[str, Any] = dict(settings)
    for name in model._unsupported_params:
        values.pop(name, None)
    if model._reasons:
        from pydantic_ai.models.openai._reasoning import drop_sampling_params_for_reasoning

        drop_sampling_params_for_reasoning(model.profile, values, params)  # type: ignore[arg-type]
    for setting, wire in _PASSTHROUGH:
        if setting in values:
            body[wire] = values[setting]
    if "max_tokens" in values:
        body[model._max_tokens_field] = values["max_tokens"]
    extra = values.get("extra_body")
    if isinstance(extra, dict):
        body.update(extra)


# -- tools ----------------------------------------------------------------------------------------


def _tools(
    model: HTTPChatModel,
    settings: ModelSettings,
    params: ModelRequestParameters,
    tool_defs: dict[str, ToolDefinition],
) -> tuple[list[dict[str, Any]], Any]:
    resolved = resolve_tool_choice(settings, params)
    choice: Any
    if resolved in ("auto", "none"):
        choice = resolved
    elif resolved == "required":
        choice = "required" if model._forces_tools else "auto"
    else:
        mode, names = resolved[0], resolved[1]
        if mode == "required" and len(names) == 1 and model._forces_tools:
            choice = {"type": "function", "function": {"name": next(iter(names))}}
        else:
            # Without allowed_tools (not every compatible server has it), narrow the list.
            tool_defs = {k: v for k, v in tool_defs.items() if k in names}
            choice = mode if model._forces_tools else "auto"
    tools = [_tool(model, t) for t in tool_defs.values()]
    return tools, choice


def _tool(model: HTTPChatModel, t: ToolDefinition) -> dict[str, Any]:
    function: dict[str, Any] = {
        "name": t.name,
        "description": t.description or "",
        "parameters": t.parameters_json_schema,
    }
    if t.strict and model._strict_tools:
        function["strict"] = True
    return {"type": "function", "function": function}


# -- messages -------------------------------------------------------------------------------------


def _messages(
    model: HTTPChatModel, messages: list[ModelMessage], params: ModelRequestParameters
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, ModelRequest):
            _request_messages(model, message, out)
        else:
            mapped = _response_message(model, message)
            if mapped is not None:
                out.append(mapped)
    instructions = model._get_instruction_parts(messages, params)
    if instructions:
        role = model._system_role
        at = 0
        while at < len(out) and out[at]["role"] == role:
            at += 1
        out[at:at] = [{"role": role, "content": part.content} for part in instructions]
    return out


def _request_messages(
    model: HTTPChatModel, message: ModelRequest, out: list[dict[str, Any]]
) -> None:
    files: list[Any] = []
    for part in _sendable_request_parts(message.parts):
        if isinstance(part, UserPromptPart):
            out.append({"role": "user", "content": _user_content(part.content)})
        elif isinstance(part, SystemPromptPart):
            out.append({"role": model._system_role, "content": part.content})
        elif isinstance(part, ToolReturnPart):
            text, part_files = part.model_response_str_and_user_content()
            files.extend(part_files)
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": part.tool_call_id or generate_tool_call_id(),
                    "content": text,
                }
            )
        else:
            # Instruction and settings deltas, speech: prepare_messages turns them into the
            # parts above before any adapter sees them; one here is a history it never ran on.
            raise UserError(
                f"{type(model).__name__} cannot send a {type(part).__name__}; "
                "prepare the messages with `model.prepare_messages` (Agent does this)"
            )
    if files:
        out.append({"role": "user", "content": _user_content(files)})


def _response_message(model: HTTPChatModel, message: ModelResponse) -> dict[str, Any] | None:
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    reasoning: dict[str, list[str]] = {}
    for part in message.parts:
        if isinstance(part, TextPart):
            texts.append(part.content)
        elif isinstance(part, ToolCallPart):
            calls.append(
                {
                    "id": part.tool_call_id or generate_tool_call_id(),
                    "type": "function",
                    "function": {"name": part.tool_name, "arguments": part.args_as_json_str()},
                }
            )
        elif (
            isinstance(part, ThinkingPart)
            and part.provider_name == model.system
            and part.id is not None
            and part.id in (model._thinking_field, *REASONING_FIELDS)
        ):
            # Reasoning goes back in the field it came in; other models' is not replayed.
            reasoning.setdefault(part.id, []).append(part.content)
    if not texts and not calls:
        return None
    mapped: dict[str, Any] = {
        "role": "assistant",
        "content": "\n\n".join(texts) if texts else None,
    }
    for name, contents in reasoning.items():
        mapped[name] = "\n\n".join(contents)
    if calls:
        mapped["tool_calls"] = calls
    return mapped


def _user_content(content: Any) -> Any:
    if isinstance(content, str):
        return content
    parts: list[dict[str, Any]] = []
    for item in content:
        if isinstance(item, str):
            parts.append({"type": "text", "text": item})
        elif isinstance(item, TextContent):
            parts.append({"type": "text", "text": item.content})
        elif isinstance(item, ImageUrl):
            image: dict[str, Any] = {"url": item.url}
            if item.vendor_metadata:
                image["detail"] = item.vendor_metadata.get("detail", "auto")
            parts.append({"type": "image_url", "image_url": image})
        elif isinstance(item, BinaryContent) and item.is_image:
            parts.append({"type": "image_url", "image_url": {"url": item.data_uri}})
        elif isinstance(item, CachePoint):
            continue
        else:
            raise UserError(f"HTTPChatModel does not send {type(item).__name__} content")
    return parts
