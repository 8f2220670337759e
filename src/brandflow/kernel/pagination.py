"""Opaque keyset cursors: stable under inserts, cheap at any depth."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from brandflow.kernel.errors import BadRequest

T = TypeVar("T")
R = TypeVar("R")
P = TypeVar("P")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class PageParams(BaseModel):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


async def page_params(
    cursor: Annotated[str | None, Query(max_length=200, description="Opaque cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> PageParams:
    # async: a sync dependency would cost a thread-pool hop on every list request.
    return PageParams.model_construct(cursor=cursor, limit=limit)


def encode_json_cursor(position: Any) -> str:
    """An opaque cursor holding any JSON-able position (keyset values)."""
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def decode_json_cursor(cursor: str, parse: Callable[[Any], P]) -> P:
    """The position of a cursor, checked by ``parse``; a bad cursor answers 400."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return parse(json.loads(base64.urlsafe_b64decode(padded)))
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise BadRequest("The cursor is malformed; start again without it.") from exc


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    return encode_json_cursor([created_at.isoformat(), str(row_id)])


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    def parse(position: Any) -> tuple[datetime, uuid.UUID]:
        created_at, row_id = position
        return datetime.fromisoformat(created_at), uuid.UUID(row_id)

    return decode_json_cursor(cursor, parse)


def split_page(
    rows: Sequence[R], limit: int, cursor_of: Callable[[R], str]
) -> tuple[Sequence[R], str | None]:
    """A ``limit + 1`` fetch -> the page's rows and the cursor of the next page (or None)."""
    items = rows[:limit]
    return items, (cursor_of(items[-1]) if len(rows) > limit else None)
