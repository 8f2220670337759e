"""Pure-ASGI middleware: request ids and the request body size limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brandflow.kernel.context import actor_var, request_id_var, workspace_id_var
from brandflow.kernel.errors import PayloadTooLarge, problem_response

# A caller's id is kept when it is short and harmless in logs; otherwise we mint one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                supplied = value.decode("latin-1")
                break
        request_id = supplied if supplied and _REQUEST_ID.match(supplied) else str(uuid.uuid4())
        tokens = (
            request_id_var.set(request_id),
            actor_var.set(None),
            workspace_id_var.set(None),
        )
        structlog.contextvars.clear_contextvars()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(tokens[0])
            actor_var.reset(tokens[1])
            workspace_id_var.reset(tokens[2])


class BodySizeLimitMiddleware:
    """Refuses bodies over ``max_bytes``, by Content-Length or while streaming.

    ``larger`` names paths (regular expressions, matched in full) with a limit of their own,
    such as file uploads; every other path keeps the small default.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: Sequence[tuple[str, int]] = ()
    ) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.larger = [(re.compile(pattern), limit) for pattern, limit in larger]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.larger:
            if pattern.fullmatch(path):
                return limit
        return self.default_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope.get("path", ""))
        length: bytes | None = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"transfer-encoding":
                chunked = True
        if length is not None and length.isdigit() and int(length) > max_bytes:
            error = PayloadTooLarge(f"The request body is over {max_bytes} bytes.")
            response = problem_response(error, scope.get("path"))
            await response(scope, receive, send)
            return
        if not chunked:
            # No body, or a declared length within the limit (the server delivers no more
            # than it declares): nothing to count while streaming.
            await self.app(scope, receive, send)
            return
        received = 0
        too_large = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    too_large = True
                    raise PayloadTooLarge(f"The request body is over {max_bytes} bytes.")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            # Body parsers may turn our exception into their own 400: our 413 goes out instead.
            if too_large and not response_started:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not too_large or response_started:
                raise
        if too_large and not response_started:
            error = PayloadTooLarge(f"The request body is over {max_bytes} bytes.")
            await problem_response(error, scope.get("path"))(scope, receive, send)
