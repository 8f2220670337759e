"""Streamed calls against the loopback server: SSE chunks, the usage chunk, timeouts, and
what may and may not be retried once text has been delivered."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, Field

from brandflow.kernel.llm import ModelStreamInterrupted
from tests.llm.conftest import GatewayFactory, Server
from tests.llm.openai_server import Fail, Reply, Stall, Usage

LONG = "Every trail has a story. Ours starts with grip, and ends with you at the summit."


async def test_deltas_concatenate_to_the_final_text_with_exact_usage(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Reply(text=LONG, chunk_chars=5, usage=Usage(321, 19, cached_tokens=128)))
    gateway = make_gateway(server.route("gpt-stream"))

    deltas: list[str] = []
    async with gateway.stream("Tell the story.", system="Brand voice: calm.", temperature=0.7) as s:
        async for delta in s:
            deltas.append(delta)

    assert len(deltas) > 10
    assert "".join(deltas) == s.result.text == s.result.output == LONG
    (received,) = server.fake.received
    assert received.body["stream"] is True
    assert received.body["stream_options"] == {"include_usage": True}
    assert received.body["temperature"] == 0.7
    assert received.messages[0] == {"role": "system", "content": "Brand voice: calm."}
    usage = s.result.usage
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (321, 19, 128)


async def test_failures_before_the_first_delta_are_retried(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Fail(503), Reply(text=LONG))
    gateway = make_gateway(server.route())

    async with gateway.stream("Tell the story.") as s:
        text = "".join([delta async for delta in s])

    assert text == LONG
    assert len(server.fake.received) == 2
    assert [a.status_code for a in s.result.attempts] == [503, None]


async def test_a_stream_that_never_starts_times_out_and_falls_back(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.by_model["gpt-slow"] = Stall(3.0)
    slow = server.route("gpt-slow", timeout_seconds=0.8, max_retries=0)
    gateway = make_gateway(slow, server.route("gpt-backup"))

    async with gateway.stream("Tell the story.") as s:
        text = "".join([delta async for delta in s])

    assert text == Reply().text
    assert s.result.model == "gpt-backup"
    assert s.result.attempts[0].category == "transient"
    assert s.result.attempts[0].error_type == "ModelRequestTimeout"


async def test_a_stream_that_stalls_after_text_is_interrupted_not_retried(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Reply(text=LONG, chunk_chars=10, stall_after_chunks=2))
    gateway = make_gateway(server.route(timeout_seconds=0.8), server.route("gpt-backup"))

    deltas: list[str] = []

    async def read() -> None:
        async with gateway.stream("Tell the story.") as s:
            async for delta in s:
                deltas.append(delta)

    with pytest.raises(ModelStreamInterrupted) as caught:
        await read()

    assert "".join(deltas) == LONG[:20]
    assert len(server.fake.received) == 1  # neither retried nor sent to the backup
    assert caught.value.attempts[0].category == "transient"


class Post(BaseModel):
    text: str = Field(max_length=280)
    hashtags: list[str] = Field(max_length=3)


async def test_structured_output_streams_its_json_and_parses_at_the_end(
    server: Server, make_gateway: GatewayFactory
) -> None:
    args = json.dumps({"text": "Grip meets speed.", "hashtags": ["#trail", "#run"]})
    server.fake.script(Reply(tool_args=args, chunk_chars=7, usage=Usage(90, 20)))
    gateway = make_gateway(server.route())

    async with gateway.stream("Write the post.", output_type=Post) as s:
        deltas = [delta async for delta in s]

    assert len(deltas) > 3
    assert json.loads("".join(deltas)) == json.loads(args)
    assert s.result.output == Post(text="Grip meets speed.", hashtags=["#trail", "#run"])
    assert (s.result.usage.input_tokens, s.result.usage.output_tokens) == (90, 20)


async def test_stopping_early_releases_the_stream(
    server: Server, make_gateway: GatewayFactory
) -> None:
    server.fake.script(Reply(text=LONG, chunk_chars=4))
    gateway = make_gateway(server.route())

    async with gateway.stream("Tell the story.") as s:
        async for _ in s:
            break

    with pytest.raises(RuntimeError, match="not finished"):
        _ = s.result
    # The gateway (and its connection pool) still works afterwards.
    assert (await gateway.run("again")).text == Reply().text


async def test_a_streamed_answer_that_does_not_validate_carries_its_billed_usage(
    server: Server, make_gateway: GatewayFactory
) -> None:
    from brandflow.kernel.llm import TokenUsage

    server.fake.script(Reply(tool_args=json.dumps({"text": 5}), usage=Usage(80, 9)))
    gateway = make_gateway(server.route())

    async def read() -> None:
        async with gateway.stream("A post.", output_type=Post) as s:
            async for _ in s:
                pass

    with pytest.raises(ModelStreamInterrupted) as caught:
        await read()

    (attempt,) = caught.value.attempts
    assert attempt.category == "invalid-output"
    assert attempt.usage == TokenUsage(input_tokens=80, output_tokens=9, requests=1)
