"""Idempotency keys: a POST retried with the same ``Idempotency-Key`` replays the first answer.

A pure ASGI middleware. It acts only on ``POST`` requests that carry the header:

1. the key is scoped to the caller (JWT ``sub``, API key, or client address), the method and
   the path; the request body is fingerprinted with SHA-256;
2. a row is claimed in its own short transaction (unique on scope + key). A second request
   with the same key finds the row: another body is refused (422), a request still running
   answers 409, a finished one is replayed with ``Idempotent-Replayed: true``;
3. the request runs while its response is buffered; answers below 500 are stored (status,
   headers, body), server errors and transient refusals (401, 429, ...) delete the row so
   the client may retry;
4. a running request holds a *lease* (``locked_until``, ``LEASE_SECONDS``) that it renews while
   it runs. If its process dies, the row is not stuck until it expires: once the lease has
   lapsed, a retry with the same key and body takes the row over atomically (``attempt`` + 1)
   and runs as a fresh attempt; within the lease a retry still answers 409. Only the holder
   of the current attempt may complete or release the row.

Expired rows are deleted in batches by ``purge_periodically`` (every ``PURGE_INTERVAL_SECONDS``,
jittered), which ``Container.start_background`` runs wherever the relay runs (``serve`` in
embedded mode, every ``worker``).

Responses marked ``Cache-Control: no-store`` (they carry a secret shown once: tokens, API
keys, invitations) are recorded without their body: nothing secret is written to this table,
and a replay answers 409 instead of creating a second one.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brandflow.kernel.auth.tokens import (
    API_KEY_PREFIX,
    bearer_credential,
    decode_access_token,
    session_cookie,
)
from brandflow.kernel.db import Base, new_id, utcnow
from brandflow.kernel.errors import (
    AppError,
    BadRequest,
    Conflict,
    Unauthorized,
    Unprocessable,
    problem_response,
)
from brandflow.kernel.telemetry import get_logger

log = get_logger(__name__)

HEADER = b"idempotency-key"
REPLAYED_HEADER = b"idempotent-replayed"
MAX_KEY_LENGTH = 255
# Answers that say "not now" rather than "this is the outcome": the client must be able to retry.
_NOT_STORED = frozenset({401, 408, 425, 429})
# Per-request headers that a replay must not repeat.
_NOT_REPLAYED = frozenset({b"x-request-id", b"set-cookie", b"date", b"server"})
# A running request's claim lasts this long past its last renewal; it renews every third of
# it. A retry after a lapsed lease (the process died) takes the row over.
LEASE_SECONDS = 60.0
# Expired rows: purged this often (jittered by 10 %), at most this many per transaction.
PURGE_INTERVAL_SECONDS = 600.0
PURGE_BATCH_SIZE = 1000


class IdempotencyKeyInvalid(BadRequest):
    code, title = "invalid-idempotency-key", "Invalid Idempotency-Key"


class IdempotencyKeyReused(Unprocessable):
    code, title = "idempotency-key-reused", "Idempotency-Key reused with another request"


class IdempotentRequestInProgress(Conflict):
    code, title = "idempotent-request-in-progress", "A request with this key is in progress"


class IdempotentResponseWithheld(Conflict):
    code, title = "idempotent-response-withheld", "The first response cannot be replayed"


class IdempotencyRecord(Base):
    """One claimed key. ``status_code`` is NULL while the first request is still running.

    While running, ``locked_until`` is the holder's lease and ``attempt`` numbers the holder
    (1, then + 1 on each takeover of a lapsed lease); both are fences for complete/release.
    """

    __tablename__ = "idempotency_records"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    scope_hash: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(2048))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[list[list[str]] | None] = mapped_column(JSONB)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    body_withheld: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    attempt: Mapped[int] = mapped_column(server_default="1", default=1)

    __table_args__ = (
        UniqueConstraint("scope_hash", "key"),
        Index("ix_idempotency_records_expires_at", "expires_at"),
    )


def valid_key(value: bytes) -> str | None:
    """1-255 visible ASCII characters, else None."""
    if not 1 <= len(value) <= MAX_KEY_LENGTH or any(b < 0x21 or b > 0x7E for b in value):
        return None
    return value.decode("ascii")


def caller_scope(headers: list[tuple[bytes, bytes]], client: Any, secret: str) -> str:
    """Who is asking, as a string no other caller can produce.

    A JWT counts only after its signature verifies (its ``sub``). An API key is scoped by its
    public prefix *and* a hash of the whole credential: the prefix alone is shown in key lists,
    so anyone could otherwise claim a key's scope and read its replays.
    """
    credential = bearer_credential(headers)
    if credential is not None:
        digest = hashlib.sha256(credential.encode()).hexdigest()
        if credential.startswith(API_KEY_PREFIX):
            prefix = credential.rpartition(".")[0]
            return f"api_key:{prefix}:{digest}"
        try:
            return f"user:{decode_access_token(credential, secret=secret).user_id}"
        except Unauthorized:
            return f"invalid:{digest}"  # the request will fail; it never shares a scope
    if (cookie := session_cookie(headers)) is not None:
        # Unverified here, but a session secret is 256 random bits: nobody else can send it.
        return f"session:{hashlib.sha256(cookie.encode()).hexdigest()}"
    host = client[0] if client else "unknown"
    return f"address:{host}"


def scope_hash(caller: str, method: str, path: str) -> str:
    return hashlib.sha256(f"{caller}\n{method}\n{path}".encode()).hexdigest()


async def purge_expired(
    sessionmaker: async_sessionmaker[AsyncSession], *, batch_size: int = PURGE_BATCH_SIZE
) -> int:
    """Delete expired records, ``batch_size`` rows per short transaction; returns the count.

    Each batch locks only the rows it deletes (``SKIP LOCKED``: rows another purger or a
    claim holds are left for later), so a large backlog never holds long locks.
    """
    total = 0
    while True:
        async with sessionmaker() as session, session.begin():
            batch = (
                select(IdempotencyRecord.id)
                .where(IdempotencyRecord.expires_at <= utcnow())
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            )
            result = await session.execute(
                delete(IdempotencyRecord)
                .where(IdempotencyRecord.id.in_(batch.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
        deleted = int(getattr(result, "rowcount", 0) or 0)
        total += deleted
        if deleted < batch_size:
            return total


async def purge_periodically(
    sessionmaker: async_sessionmaker[AsyncSession],
    interval: float = PURGE_INTERVAL_SECONDS,
) -> None:
    """Run ``purge_expired`` forever: first within a minute of start, then every ``interval``.

    Jitter keeps processes started together from purging together. Errors are logged and the
    loop goes on; only cancellation stops it.
    """
    delay = random.uniform(0, min(interval, 60.0))  # noqa: S311 - jitter, not a secret
    while True:
        await asyncio.sleep(delay)
        try:
            deleted = await purge_expired(sessionmaker)
        except Exception as exc:
            log.error("idempotency_purge_failed", error=repr(exc))
        else:
            if deleted:
                log.info("idempotency_records_purged", deleted=deleted)
        delay = interval * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not a secret


@dataclass(frozen=True)
class Lease:
    """Our hold on a row: its id and the attempt number that fences out earlier holders."""

    record_id: uuid.UUID
    attempt: int


class _Store:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], lease_seconds: float = LEASE_SECONDS
    ) -> None:
        self.sessionmaker = sessionmaker
        self.lease = timedelta(seconds=lease_seconds)

    async def claim(
        self, scope: str, key: str, request_hash: str, method: str, path: str, ttl: timedelta
    ) -> Lease | IdempotencyRecord:
        """Return our ``Lease`` on the key (new row, or a lapsed one taken over), or the
        existing row to answer from."""
        for _ in range(3):
            async with self.sessionmaker() as session, session.begin():
                now = utcnow()
                await session.execute(
                    delete(IdempotencyRecord).where(
                        IdempotencyRecord.scope_hash == scope,
                        IdempotencyRecord.key == key,
                        IdempotencyRecord.expires_at <= now,
                    )
                )
                record_id = new_id()
                inserted = await session.scalar(
                    insert(IdempotencyRecord)
                    .values(
                        id=record_id,
                        scope_hash=scope,
                        key=key,
                        request_hash=request_hash,
                        method=method,
                        path=path[:2048],
                        body_withheld=False,
                        created_at=now,
                        expires_at=now + ttl,
                        locked_until=now + self.lease,
                        attempt=1,
                    )
                    .on_conflict_do_nothing(index_elements=["scope_hash", "key"])
                    .returning(IdempotencyRecord.id)
                )
                if inserted is not None:
                    return Lease(record_id, 1)
                existing = await session.scalar(
                    select(IdempotencyRecord).where(
                        IdempotencyRecord.scope_hash == scope, IdempotencyRecord.key == key
                    )
                )
                if existing is None:
                    continue  # the holder deleted its row (a server error) meanwhile: retry
                if not _lapsed(existing, request_hash, now):
                    return existing
                # The holder died (its lease lapsed): take the row over, unless another retry
                # did first. The row lock makes a concurrent UPDATE re-check the condition.
                attempt = await session.scalar(
                    update(IdempotencyRecord)
                    .where(
                        IdempotencyRecord.id == existing.id,
                        IdempotencyRecord.status_code.is_(None),
                        IdempotencyRecord.locked_until < now,
                    )
                    .values(
                        attempt=IdempotencyRecord.attempt + 1,
                        locked_until=now + self.lease,
                        expires_at=now + ttl,
                    )
                    .returning(IdempotencyRecord.attempt)
                    .execution_options(synchronize_session=False)
                )
                if attempt is not None:
                    return Lease(existing.id, attempt)
            # Another retry took it over (or it finished) meanwhile: read it again.
        raise IdempotentRequestInProgress("Retry the request.")

    async def renew(self, lease: Lease) -> bool:
        """Extend our lease; False once the row is no longer ours (done, or taken over)."""
        async with self.sessionmaker() as session, session.begin():
            renewed = await session.scalar(
                update(IdempotencyRecord)
                .where(*_held(lease))
                .values(locked_until=utcnow() + self.lease)
                .returning(IdempotencyRecord.id)
                .execution_options(synchronize_session=False)
            )
        return renewed is not None

    async def complete(
        self,
        lease: Lease,
        status: int,
        headers: list[list[str]],
        body: bytes | None,
    ) -> None:
        """Store the answer, if the row is still ours (a takeover fences out a late holder)."""
        async with self.sessionmaker() as session, session.begin():
            await session.execute(
                update(IdempotencyRecord)
                .where(*_held(lease))
                .values(
                    status_code=status,
                    response_headers=headers,
                    response_body=body,
                    body_withheld=body is None,
                    completed_at=utcnow(),
                    locked_until=None,
                )
                .execution_options(synchronize_session=False)
            )

    async def release(self, lease: Lease) -> None:
        async with self.sessionmaker() as session, session.begin():
            await session.execute(delete(IdempotencyRecord).where(*_held(lease)))


def _held(lease: Lease) -> tuple[Any, ...]:
    return (
        IdempotencyRecord.id == lease.record_id,
        IdempotencyRecord.attempt == lease.attempt,
        IdempotencyRecord.status_code.is_(None),
    )


def _lapsed(record: IdempotencyRecord, request_hash: str, now: datetime) -> bool:
    """A running row whose holder stopped renewing, retried with the same body."""
    return (
        record.status_code is None
        and record.request_hash == request_hash
        and record.locked_until is not None
        and record.locked_until < now
    )


async def _hold_lease(store: _Store, lease: Lease) -> None:
    """Renew the lease while the request runs, so a slow request is never taken over."""
    while True:
        await asyncio.sleep(store.lease.total_seconds() / 3)
        try:
            if not await store.renew(lease):
                return
        except Exception as exc:
            log.warning("idempotency_lease_renewal_failed", error=repr(exc))


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        values = [v for k, v in headers if k == HEADER]
        if not values:
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        key = valid_key(values[0].strip()) if len(values) == 1 else None
        if key is None:
            error: AppError = IdempotencyKeyInvalid(
                "Send one Idempotency-Key of 1 to 255 visible ASCII characters."
            )
            await problem_response(error, path)(scope, receive, send)
            return

        try:
            body = await _read_body(receive)
        except AppError as exc:  # the body limit, raised while we read the stream
            await problem_response(exc, path)(scope, receive, send)
            return
        if body is None:
            # The client went away mid-body: no one waits for an answer, and a partial body
            # must neither run nor claim the key (its retry with the full body would be refused).
            log.info("idempotent_request_disconnected", path=path)
            return
        state = scope["app"].state
        settings = state.settings
        store = _Store(state.sessionmaker)
        caller = caller_scope(headers, scope.get("client"), settings.secret_key.get_secret_value())
        scoped = scope_hash(caller, "POST", path)
        request_hash = hashlib.sha256(body).hexdigest()
        ttl = timedelta(hours=settings.idempotency_ttl_hours)

        try:
            claimed = await store.claim(scoped, key, request_hash, "POST", path, ttl)
        except AppError as exc:
            await problem_response(exc, path)(scope, receive, send)
            return
        if isinstance(claimed, IdempotencyRecord):
            await _answer_existing(claimed, request_hash, path, scope, receive, send)
            return

        captured = _CapturedResponse()
        completed = False
        try:
            holder = asyncio.create_task(_hold_lease(store, claimed))
            try:
                await self.app(scope, _replay_body(body, receive), captured.send)
            finally:
                holder.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await holder
            if captured.status is not None and _storable(captured.status):
                await store.complete(
                    claimed,
                    captured.status,
                    captured.stored_headers(),
                    None if captured.no_store else captured.body,
                )
                completed = True
        finally:
            if not completed:
                await asyncio.shield(store.release(claimed))
        await captured.replay(send)


def _storable(status: int) -> bool:
    return status < 500 and status not in _NOT_STORED


async def _answer_existing(
    record: IdempotencyRecord,
    request_hash: str,
    path: str,
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    error: AppError | None = None
    if record.request_hash != request_hash:
        error = IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request body."
        )
    elif record.status_code is None:
        error = IdempotentRequestInProgress(
            "A request with this Idempotency-Key is still being processed; retry later."
        )
        error.headers["Retry-After"] = "1"
    elif record.body_withheld:
        error = IdempotentResponseWithheld(
            "The request was processed, but its response held a secret that is shown only "
            "once and was not stored. List the resources to find what was created."
        )
    if error is not None:
        await problem_response(error, path)(scope, receive, send)
        return
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.response_headers or []]
    headers.append((REPLAYED_HEADER, b"true"))
    await send({"type": "http.response.start", "status": record.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": record.response_body or b""})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client disconnects before sending it all."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            return None


def _replay_body(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as servers do

    return replay


class _CapturedResponse:
    """Buffers the app's answer so it is stored before the client sees it."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def no_store(self) -> bool:
        return any(
            k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in self.headers
        )

    def stored_headers(self) -> list[list[str]]:
        return [
            [k.decode("latin-1"), v.decode("latin-1")]
            for k, v in self.headers
            if k.lower() not in _NOT_REPLAYED
        ]

    async def replay(self, send: Send) -> None:
        if self.status is None:
            return
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})
