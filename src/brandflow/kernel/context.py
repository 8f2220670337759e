"""Per-request (or per-message) facts that logs, traces, audit and events all need."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a user, an API key, or the system itself (seeds, consumers)."""

    type: str  # "user" | "api_key" | "system"
    id: str

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(type="system", id=name)

    def as_uuid(self) -> uuid.UUID | None:
        """The user's or API key's id; None for the system's names (and ids of no UUID)."""
        try:
            return uuid.UUID(self.id)
        except ValueError:
            return None


request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
actor_var: ContextVar[Actor | None] = ContextVar("actor", default=None)
workspace_id_var: ContextVar[uuid.UUID | None] = ContextVar("workspace_id", default=None)


def current_actor() -> Actor:
    return actor_var.get() or Actor.system()
