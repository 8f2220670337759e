"""``HTTPChatModel``, the pydantic-ai ``Model`` itself: it reads the profile's flags and parses
the endpoint URL once, owns the pooled ``httpx.AsyncClient`` (closed by ``aclose``), and makes
the calls: ``request`` posts the body and reads the JSON answer, ``request_stream`` opens the
event stream and reads it up to its first chunk. Building the body, reading the answer and
mapping failures are in the sibling modules.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any, Literal, cast

import httpx
from pydantic_ai import RunContext
from pydantic_ai.exceptions import UnexpectedModelBehavior
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import (
    Model,
    ModelRequestParameters,
    StreamedResponse,
    check_allow_model_requests,
)
from pydantic_ai.profiles import DEFAULT_THINKING_TAGS, ModelProfile
from pydantic_ai.settings import ModelSettings

from brandflow.kernel.llm.openai_http.errors import status_error, transport_error
from brandflow.kernel.llm.openai_http.provider import HTTPChatProvider
from brandflow.kernel.llm.openai_http.request import request_body
from brandflow.kernel.llm.openai_http.response import read_response
from brandflow.kernel.llm.openai_http.stream import HTTPChatStreamedResponse, sse_chunks


class HTTPChatModel(Model[httpx.AsyncClient]):
    """``/chat/completions`` over one pooled ``httpx.AsyncClient``; see the package docstring."""

    # The message mapping sends text and images; anything else is refused up front.
    _unsupported_file_inputs = frozenset({"audio", "document", "video"})
    unsupported_settings = frozenset({"top_k"})

    _provider: HTTPChatProvider

    def __init__(
        self,
        model_name: str,
        *,
        base_url: str,
        api_key: str | None,
        timeout: float,
        provider_name: Literal["openai", "openai-compatible"] = "openai-compatible",
        settings: ModelSettings | None = None,
        profile: ModelProfile | None = None,
    ) -> None:
        base_url = base_url.rstrip("/")
        headers = {"content-type": "application/json", "accept": "application/json"}
        if api_key:
            # Only this route's key, and only to this route's endpoint: no environment fallback.
            headers["authorization"] = f"Bearer {api_key}"
        client = httpx.AsyncClient(
            headers=headers,
            timeout=httpx.Timeout(timeout),
            # The default pool (100 connections, 20 kept alive) suits one model's traffic.
            follow_redirects=False,
        )
        self._model_name = model_name
        self._provider = HTTPChatProvider(provider_name, base_url, client)
        # Parsed once: httpx parses a str URL on every request (~30 us).
        self._url = httpx.URL(f"{base_url}/chat/completions")
        super().__init__(settings=settings, profile=profile)
        # Read once: the profile does not change, and each lookup walks a merged dict.
        p = cast("dict[str, Any]", self.profile)  # the OpenAI keys are not on ModelProfile's type
        self._system_role = p.get("openai_system_prompt_role") or "system"
        self._max_tokens_field = (
            "max_completion_tokens"
            if p.get("openai_chat_supports_max_completion_tokens", True)
            else "max_tokens"
        )
        self._thinking_tags: tuple[str, str] = p.get("thinking_tags", DEFAULT_THINKING_TAGS)
        self._thinking_field: str | None = p.get("openai_chat_thinking_field")
        self._strict_tools = p.get("openai_supports_strict_tool_definition", True)
        self._forces_tools = p.get("supports_forced_tool_choice", True)
        self._json_object = p.get("supports_json_object_output", False)
        self._reasons = p.get("openai_supports_reasoning", False)
        self._unsupported_params: tuple[str, ...] = tuple(
            p.get("openai_unsupported_model_settings", ())
        )

    @property
    def model_name(self) -> str:
        return self._model_name

    @property
    def system(self) -> str:
        return self._provider.name

    @property
    def base_url(self) -> str:
        return self._provider.base_url

    @property
    def client(self) -> httpx.AsyncClient:
        return self._provider.client

    async def aclose(self) -> None:
        await self._provider.client.aclose()

    # -- requests ---------------------------------------------------------------------------

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        check_allow_model_requests()
        settings, params = self.prepare_request(model_settings, model_request_parameters)
        body = request_body(self, messages, settings or {}, params, stream=False)
        try:
            response = await self.client.post(self._url, content=body, timeout=_timeout(settings))
        except httpx.TransportError as exc:
            raise transport_error(self._model_name, exc) from exc
        if response.status_code >= 400:
            raise status_error(self._model_name, response.status_code, response)
        try:
            data = json.loads(response.content)
        except ValueError as exc:
            raise UnexpectedModelBehavior(
                f"Invalid response from {self.system} chat completions endpoint, expected JSON data"
            ) from exc
        return read_response(self, data)

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext[Any] | None = None,
    ) -> AsyncGenerator[StreamedResponse, None]:
        check_allow_model_requests()
        settings, params = self.prepare_request(model_settings, model_request_parameters)
        body = request_body(self, messages, settings or {}, params, stream=True)
        request = self.client.build_request(
            "POST",
            self._url,
            content=body,
            headers={"accept": "text/event-stream"},
            timeout=_timeout(settings),
        )
        try:
            response = await self.client.send(request, stream=True)
        except httpx.TransportError as exc:
            raise transport_error(self._model_name, exc) from exc
        chunks: AsyncGenerator[dict[str, Any], None] | None = None
        try:
            if response.status_code >= 400:
                try:
                    await response.aread()
                except httpx.TransportError as exc:
                    raise transport_error(self._model_name, exc) from exc
                raise status_error(self._model_name, response.status_code, response)
            chunks = sse_chunks(response, self._model_name)
            # Read up to the first chunk here, so an error the server sends before any output
            # is raised when the stream is opened, as OpenAIChatModel does.
            first = await anext(chunks, None)
            if first is None:
                raise UnexpectedModelBehavior(
                    "Streamed response ended without content or tool calls"
                )
            streamed = HTTPChatStreamedResponse(
                model_request_parameters=params,
                _model=self,
                _model_name=first.get("model") or self._model_name,
                _first=first,
                _chunks=chunks,
                _http=response,
            )
            streamed.canonical_system = self._canonical_system_stamp
            yield streamed
        finally:
            if chunks is not None:
                await chunks.aclose()
            await response.aclose()


def _timeout(settings: ModelSettings | None) -> Any:
    """The per-request ``timeout`` setting, else the client's (the route's)."""
    if settings and (value := settings.get("timeout")) is not None:
        return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)
    return httpx.USE_CLIENT_DEFAULT
