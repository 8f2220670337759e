"""In-process read caches and the invalidations that keep them honest (ADR 0008).

- ``TTLCache``: a bounded LRU whose entries expire after a fixed number of seconds.
- ``Invalidator``: one per process (per ``Container``). The unit of work hands it the
  ``(event name, workspace id)`` pairs of every commit; subscribers (the access cache, the
  list cache) drop or re-version what those events make stale. Other processes learn the
  same pairs through PostgreSQL ``LISTEN/NOTIFY`` (``kernel/notify.py``).
- ``ResponseCache``: serialized list answers keyed by workspace and query, valid while the
  workspace's collection version (bumped by the invalidator) is unchanged, and for at most
  ``max_age`` seconds.

Everything here is synchronous and lock-free: one event loop per process touches it.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from starlette.types import ASGIApp, Receive, Scope, Send

from brandflow.kernel.context import Actor, actor_var, workspace_id_var

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# (event name, workspace id or None). The name is enough to decide what is stale.
Invalidation = tuple[str, uuid.UUID | None]
Subscriber = Callable[[Iterable[Invalidation]], None]


class TTLCache(Generic[K, V]):
    """A bounded LRU; an entry lives ``ttl`` seconds. ``ttl <= 0`` disables the cache."""

    def __init__(
        self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def get(self, key: K) -> V | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return entry[1]

    def set(self, key: K, value: V, ttl: float | None = None) -> None:
        if not self.enabled:
            return
        self._data[key] = (self._clock() + (self.ttl if ttl is None else min(ttl, self.ttl)), value)
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    def discard_where(self, predicate: Callable[[K, V], bool]) -> None:
        for key in [k for k, (_, v) in self._data.items() if predicate(k, v)]:
            del self._data[key]

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class Invalidator:
    """Fans committed invalidations out to this process's caches."""

    def __init__(self) -> None:
        # Identifies this process's notifications, so it does not apply its own twice.
        self.origin = uuid.uuid4().hex
        self._subscribers: list[Subscriber] = []
        self._reset_subscribers: list[Callable[[], None]] = []

    def subscribe(self, on_invalidate: Subscriber, on_reset: Callable[[], None]) -> None:
        self._subscribers.append(on_invalidate)
        self._reset_subscribers.append(on_reset)

    def apply(self, pairs: Iterable[Invalidation]) -> None:
        pairs = list(pairs)
        if not pairs:
            return
        for subscriber in self._subscribers:
            subscriber(pairs)

    def reset(self) -> None:
        """Forget everything (a notification may have been missed)."""
        for reset in self._reset_subscribers:
            reset()


Version = tuple[int, int, int]


class CollectionVersions:
    """A counter per ``(collection, workspace)``; a bump makes every cached page stale.

    An event without a workspace bumps the whole collection; ``reset`` bumps everything.
    """

    def __init__(self) -> None:
        self._epoch = 0
        self._collections: dict[str, int] = {}
        self._versions: dict[tuple[str, uuid.UUID], int] = {}

    def get(self, collection: str, workspace_id: uuid.UUID) -> Version:
        return (
            self._epoch,
            self._collections.get(collection, 0),
            self._versions.get((collection, workspace_id), 0),
        )

    def bump(self, collection: str, workspace_id: uuid.UUID | None) -> None:
        if workspace_id is None:
            self._collections[collection] = self._collections.get(collection, 0) + 1
            return
        key = (collection, workspace_id)
        self._versions[key] = self._versions.get(key, 0) + 1

    def reset(self) -> None:
        self._epoch += 1


class ResponseCache:
    """Serialized answers of collection reads, keyed by the full query.

    An entry is served only while its collection version is the one read *before* the
    query ran (``version`` then ``put``), so a write committed meanwhile is never hidden,
    and never longer than ``max_age`` seconds (a backstop for missed notifications).
    """

    def __init__(self, max_age: float, max_entries: int = 2_000) -> None:
        self.versions = CollectionVersions()
        self._entries: TTLCache[Hashable, tuple[Version, bytes]] = TTLCache(max_age, max_entries)
        # (path, raw query string) -> how ``CachedGetMiddleware`` may answer it.
        self._routes: TTLCache[tuple[str, bytes], CachedRoute] = TTLCache(max_age, max_entries)

    @property
    def enabled(self) -> bool:
        return self._entries.enabled

    def version(self, collection: str, workspace_id: uuid.UUID) -> Version:
        return self.versions.get(collection, workspace_id)

    def get(self, key: Hashable, version: Version) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] != version:
            return None
        return entry[1]

    def put(
        self,
        key: Hashable,
        version: Version,
        body: bytes,
        request: tuple[str, bytes] | None = None,
        route: CachedRoute | None = None,
    ) -> None:
        """Store a page; with ``request`` (path, raw query) and ``route``, also let
        ``CachedGetMiddleware`` answer that exact request while the page is current."""
        self._entries.set(key, (version, body))
        if request is not None and route is not None:
            self._routes.set(request, route)

    def route(self, path: str, query_string: bytes) -> CachedRoute | None:
        return self._routes.get((path, query_string))

    def invalidate(self, pairs: Iterable[Invalidation]) -> None:
        """An event ``<collection>.<verb>`` of a workspace bumps that collection's version."""
        for name, workspace_id in pairs:
            if name == "*":
                self.versions.reset()
                return
            self.versions.bump(name.partition(".")[0], workspace_id)

    def clear(self) -> None:
        self.versions.reset()
        self._entries.clear()
        self._routes.clear()

    def __len__(self) -> int:
        return len(self._entries)


# --------------------------------------------------------------------------- fast path


@dataclass(frozen=True, slots=True)
class CachedRoute:
    """How a cached answer of one exact GET (path + raw query) may be served again."""

    key: Hashable  # the ResponseCache key the endpoint used
    collection: str
    workspace_id: uuid.UUID
    permission: object  # what the authorizer must find in the caller's cached access
    route: object  # the route object, so logs and metrics name the same template


# (request headers, workspace id, permission) -> the authorized Actor, or None when the
# caches cannot vouch for the caller (then the request takes the full path).
CachedAuthorizer = Callable[[Sequence[tuple[bytes, bytes]], uuid.UUID, object], Actor | None]


class CachedGetMiddleware:
    """Answers a GET from the response cache without running the route's dependencies.

    Only requests whose exact path and query string the full endpoint answered (and cached)
    before, so their parameters were validated then; only when ``authorize`` — built from
    the same access cache ``Authorize`` uses — vouches for this caller's permission now; and
    only while the page's collection version is current. Anything else takes the normal
    path, which refuses, fills or refreshes the caches. Sits inside the request-context and
    observability middleware, so ids, access logs and metrics are the same.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        cache: ResponseCache | None = getattr(state, "list_cache", None)
        authorize: CachedAuthorizer | None = getattr(state, "cached_authorizer", None)
        if cache is None or authorize is None:
            await self.app(scope, receive, send)
            return
        entry = cache.route(scope["path"], scope["query_string"])
        if entry is None:
            await self.app(scope, receive, send)
            return
        actor = authorize(scope["headers"], entry.workspace_id, entry.permission)
        body = None
        if actor is not None:
            body = cache.get(entry.key, cache.version(entry.collection, entry.workspace_id))
        if body is None:
            await self.app(scope, receive, send)
            return
        actor_var.set(actor)
        workspace_id_var.set(entry.workspace_id)
        scope["route"] = entry.route
        headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
