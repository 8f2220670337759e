"""A short-lived cache of access decisions (ADR 0008).

- ``(user id, session id, workspace id) -> WorkspaceAccess`` for signed-in users;
- ``sha256(session cookie) -> (Principal, BrowserSession)`` for browser sessions;
- ``sha256(API key) -> Principal`` and ``(API key id, workspace id) -> organization id``.

Only grants are cached, for ``ttl`` seconds (``BRANDFLOW_ACCESS_CACHE_SECONDS``; 0 turns it
off). Any committed identity event that can take access away (sign-out, refresh-token reuse,
role change, member removal, API key revocation) empties the cache: in this process right
after the commit, in the others when PostgreSQL delivers the NOTIFY. A decision read from
the database while such an event commits is not stored (the generation moved on).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from brandflow.contexts.identity.domain import Principal, WorkspaceAccess

if TYPE_CHECKING:
    from brandflow.contexts.identity.sessions import BrowserSession
from brandflow.kernel.cache import Invalidation, TTLCache

# Events that never take access away; every other `identity.*` event empties the cache.
HARMLESS_EVENTS = frozenset(
    {"identity.user_signed_in", "identity.api_key_created", "identity.member_invited"}
)


class AccessCache:
    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self._workspaces: TTLCache[tuple[uuid.UUID, uuid.UUID, uuid.UUID], WorkspaceAccess] = (
            TTLCache(ttl, max_entries)
        )
        self._api_keys: TTLCache[str, Principal] = TTLCache(ttl, max_entries)
        self._browser: TTLCache[str, tuple[Principal, BrowserSession]] = TTLCache(ttl, max_entries)
        self._key_workspaces: TTLCache[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = TTLCache(
            ttl, max_entries
        )
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    # --- users --------------------------------------------------------------------
    def workspace_access(
        self, user_id: uuid.UUID, session_id: uuid.UUID, workspace_id: uuid.UUID
    ) -> WorkspaceAccess | None:
        return self._workspaces.get((user_id, session_id, workspace_id))

    def store_workspace_access(self, access: WorkspaceAccess, generation: int) -> None:
        principal = access.principal
        if generation != self.generation or principal.user_id is None:
            return
        assert principal.session_id is not None
        key = (principal.user_id, principal.session_id, access.workspace_id)
        self._workspaces.set(key, access)

    # --- browser sessions (keyed by the cookie secret's hash) ------------------------
    def browser_session(self, secret_hash: str) -> tuple[Principal, BrowserSession] | None:
        return self._browser.get(secret_hash)

    def store_browser_session(
        self, secret_hash: str, value: tuple[Principal, BrowserSession], generation: int
    ) -> None:
        if generation == self.generation:
            self._browser.set(secret_hash, value)

    # --- API keys -----------------------------------------------------------------
    def api_key(self, credential_hash: str) -> Principal | None:
        return self._api_keys.get(credential_hash)

    def store_api_key(self, credential_hash: str, principal: Principal, generation: int) -> None:
        if generation == self.generation:
            self._api_keys.set(credential_hash, principal)

    def key_workspace(self, api_key_id: uuid.UUID, workspace_id: uuid.UUID) -> uuid.UUID | None:
        return self._key_workspaces.get((api_key_id, workspace_id))

    def store_key_workspace(
        self, api_key_id: uuid.UUID, workspace_id: uuid.UUID, org_id: uuid.UUID, generation: int
    ) -> None:
        if generation == self.generation:
            self._key_workspaces.set((api_key_id, workspace_id), org_id)

    # --- invalidation -------------------------------------------------------------
    def invalidate(self, pairs: Iterable[Invalidation]) -> None:
        for name, _workspace_id in pairs:
            if name == "*" or (name.startswith("identity.") and name not in HARMLESS_EVENTS):
                self.clear()
                return

    def clear(self) -> None:
        self.generation += 1
        self._workspaces.clear()
        self._api_keys.clear()
        self._browser.clear()
        self._key_workspaces.clear()
