"""Recently embedded search queries: a repeated, refined or paged search skips the model.

A query's vector depends only on the model and the text, but entries are kept per workspace:
one shared by every tenant would let a workspace learn, from a faster answer, that another
had just searched for the same words. Vectors are stored read-only, since every search that
hits the entry shares the array.
"""

from __future__ import annotations

import uuid

from brandflow.contexts.knowledge.search import Vector1D
from brandflow.kernel.cache import TTLCache

# ~1.5 kB per 384-dimension entry: a few MB at most.
DEFAULT_MAX_ENTRIES = 4096


class QueryVectors:
    """`(workspace, model, query text) -> unit vector`, for `ttl` seconds (LRU-bounded)."""

    def __init__(self, ttl: float, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._cache: TTLCache[tuple[uuid.UUID, str, str], Vector1D] = TTLCache(ttl, max_entries)

    def get(self, workspace_id: uuid.UUID, model: str, query: str) -> Vector1D | None:
        return self._cache.get((workspace_id, model, query))

    def put(self, workspace_id: uuid.UUID, model: str, query: str, vector: Vector1D) -> None:
        vector.setflags(write=False)
        self._cache.set((workspace_id, model, query), vector)

    def __len__(self) -> int:
        return len(self._cache)
