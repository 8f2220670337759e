"""Strong ETags for optimistic concurrency (`If-Match` on every update)."""

from __future__ import annotations

import hashlib
import uuid

from brandflow.kernel.errors import PreconditionFailed, PreconditionRequired


def make_etag(object_id: uuid.UUID, revision: int) -> str:
    digest = hashlib.sha256(f"{object_id}:{revision}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def require_match(if_match: str | None, current: str) -> None:
    """428 without `If-Match`; 412 when none of its tags is the current one."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("Send `If-Match` with the ETag you last read.")
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(
        "The resource changed since you read it. Reload it, or compare your change with "
        "the current version, then retry with the new ETag.",
        current_etag=current,
    )
