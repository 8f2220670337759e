"""An OpenAI-compatible chat completions server for tests and the overhead benchmark.

A real ASGI app served by uvicorn on loopback: the gateway talks to it over HTTP exactly as it
would to OpenAI, vLLM or Ollama. Each test scripts what the next requests get (a reply, a tool
call, an HTTP error, a stall) and afterwards reads what the server received.

Run standalone (the benchmark does): ``python -m tests.llm.openai_server --port 0`` prints
``listening on http://127.0.0.1:<port>/v1`` and answers every request with a fixed reply.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 11
    completion_tokens: int = 7
    cached_tokens: int = 0
    reasoning_tokens: int | None = None

    def as_json(self) -> dict[str, Any]:
        usage: dict[str, Any] = {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": self.cached_tokens},
        }
        if self.reasoning_tokens is not None:
            usage["completion_tokens_details"] = {"reasoning_tokens": self.reasoning_tokens}
        return usage


@dataclass(frozen=True)
class Reply:
    """A normal answer: text, or a call of the request's first tool with ``tool_args`` (JSON text)."""

    text: str = "Hello from the loopback model."
    tool_args: str | None = None
    usage: Usage = Usage()
    # Streaming: the text (or tool arguments) is sent in pieces of this many characters.
    chunk_chars: int = 8
    # Streaming: stop after this many pieces and hang (a stream that stalls mid-way).
    stall_after_chunks: int | None = None
    # Streaming: after this many pieces send an ``error`` object (as OpenAI does mid-stream).
    error_after_chunks: int | None = None
    # Reasoning text, sent as ``reasoning_content`` (DeepSeek, vLLM) before the answer.
    reasoning: str | None = None
    finish_reason: str | None = None  # default: "stop", or "tool_calls" for a tool call


@dataclass(frozen=True)
class Fail:
    status: int
    message: str = "scripted failure"
    # Sent as ``retry-after-ms``, the header OpenAI and Anthropic use.
    retry_after_ms: int | None = None
    code: str | None = None


@dataclass(frozen=True)
class Stall:
    """Wait before answering with ``then`` (longer than a client timeout: a timed-out attempt)."""

    seconds: float
    then: Reply = Reply()


Behaviour = Reply | Fail | Stall


@dataclass(frozen=True)
class Received:
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def model(self) -> str:
        return str(self.body["model"])

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body["messages"])


@dataclass
class FakeOpenAI:
    """The app and its script. ``script()`` queues behaviours; when empty, ``default`` answers."""

    default: Behaviour = Reply()
    # Standing behaviour for one model name (a route that stays down), ahead of the script.
    by_model: dict[str, Behaviour] = field(default_factory=dict)
    # Answer requests that declare tools with a call of the first one, with these arguments.
    auto_tool_args: str | None = None
    received: list[Received] = field(default_factory=list)
    # When each stall ended (time.monotonic, this process): tests order their events by it.
    stalls_ended: list[float] = field(default_factory=list)
    _queue: deque[Behaviour] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._queue.extend(behaviours)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.received.clear()
            self.stalls_ended.clear()
            self.by_model.clear()
            self.default = Reply()

    def _next(self, model: str) -> Behaviour:
        with self._lock:
            if model in self.by_model:
                return self.by_model[model]
            return self._queue.popleft() if self._queue else self.default

    def app(self, *, record: bool = True) -> Starlette:
        async def chat(request: Request) -> Response:
            body = json.loads(await request.body())
            if record:
                with self._lock:
                    self.received.append(Received(body, dict(request.headers)))
            behaviour = self._next(str(body.get("model")))
            if isinstance(behaviour, Stall):
                await asyncio.sleep(behaviour.seconds)
                self.stalls_ended.append(time.monotonic())
                behaviour = behaviour.then
            if isinstance(behaviour, Fail):
                headers = {}
                if behaviour.retry_after_ms is not None:
                    headers["retry-after-ms"] = str(behaviour.retry_after_ms)
                error = {"message": behaviour.message, "type": "scripted", "code": behaviour.code}
                return JSONResponse({"error": error}, status_code=behaviour.status, headers=headers)
            if behaviour.tool_args is None and self.auto_tool_args and body.get("tools"):
                behaviour = Reply(tool_args=self.auto_tool_args, usage=behaviour.usage)
            if body.get("stream"):
                return StreamingResponse(_sse(body, behaviour), media_type="text/event-stream")
            return JSONResponse(_completion(body, behaviour))

        return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])


def _tool_name(body: dict[str, Any]) -> str:
    tools = body.get("tools") or []
    if not tools:
        raise ValueError("a tool reply was scripted but the request declared no tools")
    return str(tools[0]["function"]["name"])


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": None}
    if reply.reasoning is not None:
        message["reasoning_content"] = reply.reasoning
    finish = "stop"
    if reply.tool_args is not None:
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": _tool_name(body), "arguments": reply.tool_args},
            }
        ]
        finish = "tool_calls"
    else:
        message["content"] = reply.text
    return {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {"index": 0, "message": message, "finish_reason": reply.finish_reason or finish}
        ],
        "usage": reply.usage.as_json(),
    }


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> bytes:
    payload = {
        "id": "chatcmpl-loopback",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


async def _sse(body: dict[str, Any], reply: Reply) -> AsyncIterator[bytes]:
    yield _chunk(body, {"role": "assistant", "content": ""})
    if reply.reasoning is not None:
        yield _chunk(body, {"reasoning_content": reply.reasoning})
    source = reply.tool_args if reply.tool_args is not None else reply.text
    pieces = [source[i : i + reply.chunk_chars] for i in range(0, len(source), reply.chunk_chars)]
    for index, piece in enumerate(pieces):
        if reply.stall_after_chunks is not None and index == reply.stall_after_chunks:
            await asyncio.sleep(3600)
        if reply.error_after_chunks is not None and index == reply.error_after_chunks:
            error = {"message": "stream broke", "type": "server_error", "code": "server_error"}
            yield b"data: " + json.dumps({"error": error}).encode() + b"\n\n"
            return
        if reply.tool_args is None:
            yield _chunk(body, {"content": piece})
        else:
            call: dict[str, Any] = {"index": 0, "function": {"arguments": piece}}
            if index == 0:
                call.update(id="call_1", type="function")
                call["function"]["name"] = _tool_name(body)
            yield _chunk(body, {"tool_calls": [call]})
    finish = reply.finish_reason or ("tool_calls" if reply.tool_args is not None else "stop")
    yield _chunk(body, {}, finish)
    if (body.get("stream_options") or {}).get("include_usage"):
        usage = {
            "id": "chatcmpl-loopback",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [],
            "usage": reply.usage.as_json(),
        }
        yield b"data: " + json.dumps(usage).encode() + b"\n\n"
    yield b"data: [DONE]\n\n"


@contextlib.contextmanager
def serve_in_thread(app: Starlette) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) in a background thread; yield the ``/v1`` base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="loopback-openai", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the loopback OpenAI server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tool-args", default=None, help="JSON arguments for tool calls")
    args = parser.parse_args()
    # Bind first so the port is known (and printed) before uvicorn takes the socket over.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}/v1", flush=True)
    app = FakeOpenAI(auto_tool_args=args.tool_args).app(record=False)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
