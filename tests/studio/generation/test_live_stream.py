"""The event stream over real HTTP while the job runs: events arrive as they commit (woken by
PostgreSQL NOTIFY, not by polling), keep-alive comments fill the silences, and a client that
reconnects with Last-Event-ID misses nothing and sees nothing twice."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import uvicorn

from brandflow.app import create_app
from brandflow.contexts.studio.live import GenerationHub
from tests.llm.openai_server import Reply, Stall
from tests.studio.generation.conftest import Provider, generate, new_campaign, new_item
from tests.studio.generation.sse import Event, parse

KEEPALIVE = 0.2
# Far longer than the test: if a stream had to wait for its poll, it would time out.
POLL = 60.0


@contextlib.asynccontextmanager
async def serving(provider: Provider) -> AsyncIterator[str]:
    """The provider's app on a loopback port, in this event loop; its hub as configured."""
    app = create_app(provider.container.settings, container=provider.container)
    provider.container.attach(app)
    url = provider.container.engine.url.render_as_string(hide_password=False)
    app.state.generation_hub = GenerationHub(url, keepalive_seconds=KEEPALIVE, poll_seconds=POLL)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def read_stream(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], arrivals: list[tuple[float, str]]
) -> str:
    """The whole body, noting when each line arrived."""
    lines: list[str] = []
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            arrivals.append((time.monotonic(), line))
            lines.append(line)
    return "\n".join(lines) + "\n"


async def test_events_arrive_live_with_keepalives_while_another_task_runs_the_job(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    answer = json.dumps({"channel": "x", "text": "Grip that holds on wet rock, all day long."})
    # The model thinks for a second before it writes: the stream must stay alive meanwhile.
    fake.default = Stall(1.0, Reply(tool_args=answer, chunk_chars=4))
    await provider.container.relay.drain()  # what came before (and warms the PII recognizers)
    created = await generate(client, item, writer)

    async with serving(provider) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        arrivals: list[tuple[float, str]] = []
        reader = asyncio.create_task(
            read_stream(http, f"{item.generations}/{created['id']}/events", writer, arrivals)
        )
        await asyncio.sleep(0.3)  # the stream is open and waiting on the queued generation
        started = time.monotonic()
        await provider.container.relay.drain()  # the "worker": writes events as it goes
        body = await asyncio.wait_for(reader, 10)

    events, comments = parse(body)
    assert events[0].data == {"status": "queued"}
    assert events[-1].kind == "done"
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert any(c.startswith("ping") for c in comments), "keep-alive comments were sent"
    running = next(at for at, line in arrivals if line.startswith("data:") and '"running"' in line)
    done = next(at for at, line in arrivals if line == "event: done")
    # The running event reached the client while the model was still thinking: live, and
    # woken by NOTIFY (the poll interval is a minute, far beyond the reader's 10 s).
    (thought,) = fake.stalls_ended
    assert started < running < thought < done
    pings_while_thinking = [
        line for at, line in arrivals if line.startswith(": ping") and running < at < done
    ]
    assert pings_while_thinking


async def test_a_client_that_reconnects_with_last_event_id_misses_nothing(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    answer = json.dumps({"channel": "x", "text": "Grip that holds on wet rock."})
    fake.default = Stall(1.0, Reply(tool_args=answer))
    created = await generate(client, item, writer)
    url = f"{item.generations}/{created['id']}/events"

    async with serving(provider) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        worker = asyncio.create_task(provider.container.relay.drain())
        seen: list[Event] = []
        # First connection: read until the job is under way, then drop the connection.
        async with http.stream("GET", url, headers=writer) as response:
            buffer = ""
            async for chunk in response.aiter_text():
                buffer += chunk
                seen = parse(buffer.rsplit("\n\n", 1)[0] + "\n\n")[0]
                if any(e.kind == "progress" for e in seen):
                    break
        last = seen[-1].id
        resumed = await http.get(url, headers={**writer, "Last-Event-ID": str(last)})
        await worker

    rest = parse(resumed.text)[0]
    assert rest
    assert rest[0].id == last + 1
    assert [e.id for e in seen + rest] == list(range(1, len(seen) + len(rest) + 1))
    assert rest[-1].kind == "done"
