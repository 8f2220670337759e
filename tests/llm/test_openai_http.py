"""``HTTPChatModel`` (Chat Completions over httpx) against the loopback server: the mapping of
tool calls, reasoning and usage, errors as the same pydantic-ai types the OpenAI SDK path
raised, stream timeouts, keys and clients. The gateway-level behaviour is in
test_gateway_openai.py and test_gateway_streaming.py, which run on this model too."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator

import pytest
from openai import AsyncOpenAI
from pydantic import BaseModel, SecretStr
from pydantic_ai import Agent, NativeOutput
from pydantic_ai.direct import model_request, model_request_stream
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelContextWindowExceededError,
    ModelHTTPError,
    ModelNotFoundError,
    ModelRateLimitError,
    ModelServerError,
    ModelTimeoutError,
    ModelUnavailableError,
)
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models import ModelRequestParameters
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider
from pydantic_ai.tools import ToolDefinition

from brandflow.kernel.llm import ModelRoute, ModelStreamInterrupted
from brandflow.kernel.llm.failures import judge
from brandflow.kernel.llm.openai_http import HTTPChatModel
from brandflow.kernel.llm.providers import build_model, close_model
from tests.llm.conftest import API_KEY, GatewayFactory, Server
from tests.llm.openai_server import Behaviour, Fail, Reply, Usage

LOOKUP = ToolDefinition(
    name="lookup_product",
    description="Find a product by name.",
    parameters_json_schema={
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "required": ["name"],
    },
)


@pytest.fixture
async def model(server: Server) -> AsyncIterator[HTTPChatModel]:
    built = HTTPChatModel("gpt-http", base_url=server.base_url, api_key=API_KEY, timeout=5.0)
    yield built
    await built.aclose()


def ask(text: str) -> list[ModelMessage]:
    return [ModelRequest.user_text_prompt(text)]


async def test_a_tool_call_maps_to_a_tool_call_part_with_its_id_and_finish_reason(
    server: Server, model: HTTPChatModel
) -> None:
    server.fake.script(Reply(tool_args='{"name": "Trail Runner X"}'))
    params = ModelRequestParameters(function_tools=[LOOKUP], allow_text_output=True)

    response = await model_request(model, ask("Find the shoe."), model_request_parameters=params)

    assert response.parts == [
        ToolCallPart("lookup_product", '{"name": "Trail Runner X"}', tool_call_id="call_1")
    ]
    assert response.finish_reason == "tool_call"
    assert response.provider_details is not None
    assert response.provider_details["finish_reason"] == "tool_calls"
    (received,) = server.fake.received
    (tool,) = received.body["tools"]
    assert tool["function"]["name"] == "lookup_product"
    assert tool["function"]["description"] == "Find a product by name."
    assert received.body["tool_choice"] == "auto"  # text output allowed: the model may answer


async def test_tool_calls_and_results_in_the_history_go_out_in_openai_shape(
    server: Server, model: HTTPChatModel
) -> None:
    call = ToolCallPart("lookup_product", {"name": "X"}, tool_call_id="call_9")
    history: list[ModelMessage] = [
        ModelRequest(parts=[UserPromptPart("Find X.")]),
        ModelResponse(parts=[TextPart("Looking."), call]),
        ModelRequest(parts=[ToolReturnPart("lookup_product", "210 grams", tool_call_id="call_9")]),
    ]
    params = ModelRequestParameters(function_tools=[LOOKUP], allow_text_output=True)

    await model_request(model, history, model_request_parameters=params)

    (received,) = server.fake.received
    assert received.messages == [
        {"role": "user", "content": "Find X."},
        {
            "role": "assistant",
            "content": "Looking.",
            "tool_calls": [
                {
                    "id": "call_9",
                    "type": "function",
                    "function": {"name": "lookup_product", "arguments": '{"name":"X"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_9", "content": "210 grams"},
    ]


async def test_reasoning_text_and_cached_and_reasoning_tokens_are_mapped(
    server: Server, model: HTTPChatModel
) -> None:
    usage = Usage(prompt_tokens=100, completion_tokens=40, cached_tokens=60, reasoning_tokens=25)
    server.fake.default = Reply(text="Grip.", reasoning="Short is better.", usage=usage)

    plain = await model_request(model, ask("Tagline?"))
    async with model_request_stream(model, ask("Tagline?")) as stream:
        async for _ in stream:
            pass
    streamed = stream.get()

    for response in (plain, streamed):
        assert response.parts == [
            ThinkingPart(
                "Short is better.", id="reasoning_content", provider_name="openai-compatible"
            ),
            TextPart("Grip."),
        ]
        u = response.usage
        assert (u.input_tokens, u.output_tokens, u.cache_read_tokens) == (100, 40, 60)
        assert u.output_reasoning_tokens == 25
        assert response.finish_reason == "stop"


async def test_the_request_body_matches_what_the_openai_sdk_model_sent(
    server: Server, model: HTTPChatModel
) -> None:
    """The same call through pydantic-ai's OpenAIChatModel and through ours: same JSON."""
    sdk = AsyncOpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0)
    reference = OpenAIChatModel(
        "gpt-http", provider=OpenAICompatibleProvider("openai-compatible", openai_client=sdk)
    )
    messages: list[ModelMessage] = [
        ModelRequest(parts=[UserPromptPart("Who are we?")], instructions="Acme voice."),
        ModelResponse(parts=[TextPart("A running brand.")]),
        ModelRequest(parts=[UserPromptPart("Tagline?")], instructions="Acme voice."),
    ]
    settings = {"temperature": 0.4, "max_tokens": 50, "top_p": 0.9, "seed": 7}
    try:
        for m in (reference, model):
            await model_request(m, messages, model_settings=settings)  # type: ignore[arg-type]
    finally:
        await sdk.close()

    sent_by_sdk, sent_by_us = (r.body for r in server.fake.received)
    assert sent_by_us == sent_by_sdk


FAILURES: list[tuple[Behaviour, type[ModelAPIError]]] = [
    (Fail(429, retry_after_ms=1500), ModelRateLimitError),
    (Fail(401, "bad key"), ModelAuthenticationError),
    (Fail(404, "no such model", code="model_not_found"), ModelNotFoundError),
    (Fail(400, "too long", code="context_length_exceeded"), ModelContextWindowExceededError),
    (Fail(503), ModelUnavailableError),
    (Fail(500), ModelServerError),
]


@pytest.mark.parametrize(("failure", "category"), FAILURES)
async def test_http_errors_are_the_pydantic_ai_errors_the_sdk_path_raised(
    server: Server, model: HTTPChatModel, failure: Fail, category: type[ModelAPIError]
) -> None:
    sdk = AsyncOpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0)
    reference = OpenAIChatModel(
        "gpt-http", provider=OpenAICompatibleProvider("openai-compatible", openai_client=sdk)
    )
    server.fake.default = failure
    raised: list[ModelHTTPError] = []
    try:
        for m in (reference, model):
            with pytest.raises(ModelHTTPError) as caught:
                await model_request(m, ask("hello"))
            raised.append(caught.value)
    finally:
        await sdk.close()

    theirs, ours = raised
    assert isinstance(ours, category)
    assert type(ours).__name__ == type(theirs).__name__ == category.__name__
    assert (ours.status_code, ours.retry_after, ours.body) == (
        theirs.status_code,
        theirs.retry_after,
        theirs.body,
    )
    assert judge(ours) == judge(theirs)  # so the same retry and breaker verdict


async def test_a_refused_connection_is_a_connection_error_worth_retrying() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = HTTPChatModel(
        "gpt-http", base_url=f"http://127.0.0.1:{port}/v1", api_key=None, timeout=2.0
    )
    try:
        with pytest.raises(ModelConnectionError) as caught:
            await model_request(model, ask("hello"))
    finally:
        await model.aclose()

    assert caught.value.phase == "connect"
    verdict = judge(caught.value)
    assert verdict is not None
    assert (verdict.category, verdict.retryable) == ("transient", True)


async def test_a_stream_that_stalls_between_chunks_times_out_at_the_route_timeout(
    server: Server,
) -> None:
    server.fake.script(Reply(text="x" * 40, chunk_chars=10, stall_after_chunks=1))
    model = HTTPChatModel("gpt-http", base_url=server.base_url, api_key=API_KEY, timeout=0.5)
    received: list[object] = []

    async def read() -> None:
        async with model_request_stream(model, ask("hello")) as stream:
            async for event in stream:
                received.append(event)

    try:
        with pytest.raises(ModelTimeoutError) as caught:
            await read()
    finally:
        await model.aclose()

    assert received  # it did start: the wait for the next chunk is what timed out
    assert caught.value.phase == "read"
    verdict = judge(caught.value)
    assert verdict is not None
    assert verdict.category == "transient"


async def test_a_stall_after_text_through_the_gateway_is_a_timeout_attempt(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Reply(text="y" * 40, chunk_chars=10, stall_after_chunks=2))
    gateway = make_gateway(server.route(timeout_seconds=0.5))

    async def read() -> None:
        async with gateway.stream("hello") as s:
            async for _ in s:
                pass

    with pytest.raises(ModelStreamInterrupted) as caught:
        await read()

    (attempt,) = caught.value.attempts
    assert attempt.error_type == "ModelTimeoutError"
    assert attempt.retryable


async def test_an_error_inside_the_stream_is_reported_with_its_status(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Reply(text="z" * 40, chunk_chars=10, error_after_chunks=2))
    gateway = make_gateway(server.route())

    deltas: list[str] = []

    async def read() -> None:
        async with gateway.stream("hello") as s:
            async for delta in s:
                deltas.append(delta)

    with pytest.raises(ModelStreamInterrupted) as caught:
        await read()

    assert "".join(deltas) == "z" * 20
    (attempt,) = caught.value.attempts
    assert (attempt.error_type, attempt.status_code) == ("ModelServerError", 500)
    assert "stream broke" in (attempt.error or "")


async def test_native_output_is_requested_as_a_json_schema(
    server: Server, model: HTTPChatModel
) -> None:
    class Tagline(BaseModel):
        text: str

    server.fake.script(Reply(text=json.dumps({"text": "Run further."})))
    agent = Agent(output_type=NativeOutput(Tagline))

    result = await agent.run("Tagline?", model=model)

    assert result.output == Tagline(text="Run further.")
    (received,) = server.fake.received
    response_format = received.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["schema"]["properties"]["text"]["type"] == "string"
    assert "tools" not in received.body


async def test_a_route_without_a_key_sends_none_even_with_openai_api_key_set(
    server: Server, make_gateway: GatewayFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    gateway = make_gateway(server.route(api_key=None))

    await gateway.run("hello")

    (received,) = server.fake.received
    assert "authorization" not in received.headers


async def test_openai_routes_get_openai_profiles_and_closing_closes_the_client(
    server: Server,
) -> None:
    own = build_model(ModelRoute(provider="openai", model="gpt-4o", api_key=SecretStr("sk-x")))
    compatible = build_model(ModelRoute(provider="vllm", model="qwen3", base_url=server.base_url))
    assert isinstance(own, HTTPChatModel)
    assert isinstance(compatible, HTTPChatModel)

    assert (own.system, own.base_url) == ("openai", "https://api.openai.com/v1")
    assert (compatible.system, compatible.base_url) == ("openai-compatible", server.base_url)
    assert own.client.headers["authorization"] == "Bearer sk-x"
    assert "authorization" not in compatible.client.headers

    for m in (own, compatible):
        await close_model(m)
        assert m.client.is_closed
