"""The gateway against a real OpenAI-compatible HTTP server on loopback: what it sends, what
it returns, and how it retries, backs off, falls back and breaks circuits."""

from __future__ import annotations

import json
import socket

import pytest
from pydantic import BaseModel, Field, SecretStr

from brandflow.kernel.llm import (
    ChatMessage,
    ModelRequestRejected,
    ModelRoute,
    ModelUnavailable,
)
from tests.llm.conftest import API_KEY, Clock, GatewayFactory, Server, Sleeps
from tests.llm.openai_server import Fail, Reply, Stall, Usage


def closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_text_call_sends_prompt_and_settings_and_reports_exact_usage(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(
        Reply(
            text="Run further.",
            usage=Usage(prompt_tokens=123, completion_tokens=45, cached_tokens=64),
        )
    )
    gateway = make_gateway(server.route("gpt-main"))

    result = await gateway.run(
        "Write a tagline for trail shoes.",
        system="You write for Acme Running.",
        history=[
            ChatMessage("user", "Who are we?"),
            ChatMessage("assistant", "A running brand."),
        ],
        temperature=0.3,
        max_tokens=80,
    )

    (received,) = server.fake.received
    assert received.model == "gpt-main"
    assert received.messages == [
        {"role": "system", "content": "You write for Acme Running."},
        {"role": "user", "content": "Who are we?"},
        {"role": "assistant", "content": "A running brand."},
        {"role": "user", "content": "Write a tagline for trail shoes."},
    ]
    assert received.body["temperature"] == 0.3
    assert received.body["max_completion_tokens"] == 80
    assert received.body["stream"] is False
    assert received.headers["authorization"] == f"Bearer {API_KEY}"
    assert result.output == result.text == "Run further."
    assert (result.provider, result.model, result.label) == (
        "openai",
        "gpt-main",
        "openai:gpt-main",
    )
    assert result.offline is False
    assert result.route_index == 0
    assert [a.outcome for a in result.attempts] == ["ok"]
    assert result.usage.input_tokens == 123
    assert result.usage.output_tokens == 45
    assert result.usage.cache_read_tokens == 64
    assert result.usage.requests == 1


async def test_server_errors_and_rate_limits_are_retried_with_exponential_backoff(
    server: Server, make_gateway: GatewayFactory, sleeps: Sleeps
) -> None:
    server.fake.script(Fail(500), Fail(429), Reply(text="third time lucky"))
    gateway = make_gateway(server.route(max_retries=2))

    result = await gateway.run("hello")

    assert len(server.fake.received) == 3
    assert result.text == "third time lucky"
    assert [(a.outcome, a.status_code) for a in result.attempts] == [
        ("error", 500),
        ("error", 429),
        ("ok", None),
    ]
    assert [a.error_type for a in result.attempts[:2]] == [
        "ModelServerError",
        "ModelRateLimitError",
    ]
    # Base 10 ms doubling, jitter pinned to its top: 10 ms, then 20 ms, really slept.
    assert sleeps.seconds == pytest.approx([0.01, 0.02])
    assert [a.backoff_ms for a in result.attempts] == pytest.approx([10.0, 20.0, 0.0])


async def test_retry_after_from_the_provider_lengthens_the_backoff(
    server: Server, make_gateway: GatewayFactory, sleeps: Sleeps
) -> None:
    server.fake.script(Fail(429, retry_after_ms=200))
    gateway = make_gateway(server.route())

    result = await gateway.run("hello")

    assert sleeps.seconds == pytest.approx([0.2])
    assert result.attempts[0].backoff_ms == pytest.approx(200.0)


async def test_retries_are_bounded_then_the_call_fails_as_unavailable(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.default = Fail(503)
    gateway = make_gateway(server.route(max_retries=1))

    with pytest.raises(ModelUnavailable) as caught:
        await gateway.run("hello")

    assert len(server.fake.received) == 2
    assert [a.status_code for a in caught.value.attempts] == [503, 503]
    assert caught.value.attempts[-1].backoff_ms == 0  # no pointless wait after the last try
    assert caught.value.status == 503


async def test_unauthorized_is_not_retried_and_falls_back_to_the_next_route(
    server: Server, make_gateway: GatewayFactory, sleeps: Sleeps
) -> None:
    server.fake.by_model["gpt-main"] = Fail(401, "bad key")
    gateway = make_gateway(server.route("gpt-main"), server.route("gpt-backup"))

    result = await gateway.run("hello")

    assert [r.model for r in server.fake.received] == ["gpt-main", "gpt-backup"]
    assert result.route_index == 1
    assert result.model == "gpt-backup"
    first = result.attempts[0]
    assert (first.status_code, first.retryable, first.category) == (401, False, "rejected")
    assert sleeps.seconds == []


async def test_bad_request_on_the_only_route_raises_request_rejected(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Fail(400, "unsupported parameter"))
    gateway = make_gateway(server.route())

    with pytest.raises(ModelRequestRejected) as caught:
        await gateway.run("hello")

    assert len(server.fake.received) == 1
    assert "unsupported parameter" in str(caught.value.attempts[0].error)


async def test_a_slow_answer_times_out_and_is_retried(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Stall(3.0, Reply(text="too late")), Reply(text="in time"))
    gateway = make_gateway(server.route(timeout_seconds=0.8))

    result = await gateway.run("hello")

    assert result.text == "in time"
    assert len(server.fake.received) == 2
    assert result.attempts[0].error_type == "ModelRequestTimeout"
    assert result.attempts[0].category == "transient"


async def test_connection_refused_is_retried_then_the_next_provider_answers(
    server: Server, make_gateway: GatewayFactory
) -> None:
    dead = ModelRoute(
        provider="anthropic",
        model="claude-haiku-4-5",
        base_url=f"http://127.0.0.1:{closed_port()}",
        api_key=SecretStr("sk-ant-test"),
        max_retries=1,
    )
    gateway = make_gateway(dead, server.route("gpt-backup"))

    result = await gateway.run("hello")

    assert result.route_index == 1
    assert [(a.provider, a.error_type) for a in result.attempts] == [
        ("anthropic", "ModelConnectionError"),
        ("anthropic", "ModelConnectionError"),
        ("openai", None),
    ]


async def test_circuit_opens_skips_the_dead_route_then_half_opens_and_recovers(
    server: Server, make_gateway: GatewayFactory, clock: Clock
) -> None:
    server.fake.by_model["gpt-main"] = Fail(500)
    main = server.route("gpt-main", max_retries=0)
    gateway = make_gateway(main, server.route("gpt-backup"), threshold=2, cooldown=30.0)

    for _ in range(2):  # two consecutive failures open the circuit
        assert (await gateway.run("hello")).model == "gpt-backup"
    assert gateway.breakers[main.key].state == "open"
    server.fake.received.clear()

    skipped = await gateway.run("hello")
    assert [r.model for r in server.fake.received] == ["gpt-backup"]  # main not even tried
    assert skipped.attempts[0].outcome == "circuit-open"

    clock.now += 29.0
    await gateway.run("hello")
    assert [r.model for r in server.fake.received] == ["gpt-backup", "gpt-backup"]

    clock.now += 1.0  # cool-down over: one probe goes to main, which is back
    del server.fake.by_model["gpt-main"]
    recovered = await gateway.run("hello")
    assert recovered.model == "gpt-main"
    assert gateway.breakers[main.key].state == "closed"


async def test_a_failed_half_open_probe_opens_the_circuit_again(
    server: Server, make_gateway: GatewayFactory, clock: Clock
) -> None:
    server.fake.by_model["gpt-main"] = Fail(502)
    main = server.route("gpt-main", max_retries=3)
    gateway = make_gateway(main, server.route("gpt-backup"), threshold=2, cooldown=10.0)
    await gateway.run("hello")  # 2 failures on main: open after the second, then backup
    assert gateway.breakers[main.key].state == "open"
    clock.now += 10.0
    server.fake.received.clear()

    result = await gateway.run("hello")

    # Exactly one probe reached main, failed, and the circuit refused the remaining retries.
    assert [r.model for r in server.fake.received] == ["gpt-main", "gpt-backup"]
    assert [a.outcome for a in result.attempts] == ["error", "circuit-open", "ok"]
    assert gateway.breakers[main.key].state == "open"


async def test_bad_requests_do_not_open_the_circuit(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.default = Fail(400)
    route = server.route(max_retries=0)
    gateway = make_gateway(route, threshold=2)

    for _ in range(3):
        with pytest.raises(ModelRequestRejected):
            await gateway.run("hello")

    assert len(server.fake.received) == 3
    assert gateway.breakers[route.key].state == "closed"


async def test_the_api_key_never_shows_in_routes_results_or_errors(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.default = Fail(401, "invalid api key")
    route = server.route(max_retries=0)
    gateway = make_gateway(route)

    with pytest.raises(ModelRequestRejected) as caught:
        await gateway.run("hello")

    shown = [repr(route), str(route), route.key, str(caught.value), repr(caught.value.attempts)]
    assert all(API_KEY not in text for text in shown)
    assert server.fake.received[0].headers["authorization"] == f"Bearer {API_KEY}"


class Body(BaseModel):
    subject: str = Field(max_length=60)
    text: str = Field(max_length=280)
    hashtags: list[str] = Field(default_factory=list, max_length=3)


async def test_structured_output_is_requested_as_a_tool_and_parsed(
    server: Server, make_gateway: GatewayFactory
) -> None:
    args = {"subject": "Trail week", "text": "Grip meets speed.", "hashtags": ["#trail"]}
    server.fake.script(Reply(tool_args=json.dumps(args), usage=Usage(200, 30)))
    gateway = make_gateway(server.route())

    result = await gateway.run("Write the email.", output_type=Body)

    assert result.output == Body(**args)
    assert json.loads(result.text) == args
    (received,) = server.fake.received
    (tool,) = received.body["tools"]
    schema = tool["function"]["parameters"]
    assert schema["properties"]["subject"]["maxLength"] == 60
    assert received.body["tool_choice"] == "required"
    assert (result.usage.input_tokens, result.usage.output_tokens) == (200, 30)


async def test_invalid_output_is_sent_back_for_a_retry_and_then_accepted(
    server: Server, make_gateway: GatewayFactory
) -> None:
    good = {"subject": "S", "text": "T", "hashtags": []}
    server.fake.script(
        Reply(tool_args=json.dumps({"subject": "x" * 61, "text": "T"}), usage=Usage(100, 10)),
        Reply(tool_args=json.dumps(good), usage=Usage(150, 12)),
    )
    gateway = make_gateway(server.route())

    result = await gateway.run("Write the email.", output_type=Body)

    assert result.output == Body(**good)
    _, second = server.fake.received
    feedback = second.messages[-1]
    assert feedback["role"] == "tool"
    assert "at most 60 characters" in feedback["content"]
    assert (result.usage.input_tokens, result.usage.output_tokens) == (250, 22)
    assert result.usage.requests == 2


async def test_output_invalid_after_the_allowed_retries_fails_with_a_clear_error(
    server: Server, make_gateway: GatewayFactory
) -> None:
    from brandflow.kernel.llm import ModelOutputInvalid

    server.fake.default = Reply(tool_args=json.dumps({"subject": 5}))
    gateway = make_gateway(server.route())  # output_retries=2: three answers in all

    with pytest.raises(ModelOutputInvalid) as caught:
        await gateway.run("Write the email.", output_type=Body)

    assert len(server.fake.received) == 3
    (attempt,) = caught.value.attempts  # not retried again by the gateway on top
    assert attempt.category == "invalid-output"
    assert caught.value.code == "model-output-invalid"


async def test_a_failed_attempt_carries_the_usage_of_the_answers_the_provider_billed(
    server: Server, make_gateway: GatewayFactory
) -> None:
    from brandflow.kernel.llm import ModelOutputInvalid, TokenUsage

    bad = json.dumps({"subject": 5})
    server.fake.script(
        Reply(tool_args=bad, usage=Usage(100, 10, cached_tokens=40)),
        Reply(tool_args=bad, usage=Usage(120, 11)),
        Reply(tool_args=bad, usage=Usage(140, 12)),
    )
    gateway = make_gateway(server.route())

    with pytest.raises(ModelOutputInvalid) as caught:
        await gateway.run("Write the email.", output_type=Body)

    (attempt,) = caught.value.attempts
    assert attempt.usage == TokenUsage(
        input_tokens=360, output_tokens=33, cache_read_tokens=40, requests=3
    )


async def test_attempts_nobody_answered_carry_no_usage(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.default = Fail(503)
    gateway = make_gateway(server.route(max_retries=1))

    with pytest.raises(ModelUnavailable) as caught:
        await gateway.run("Write the email.", output_type=Body)

    assert [a.usage for a in caught.value.attempts] == [None, None]
