"""Recently embedded search queries: the same words searched again (with another limit,
mode or filters, or a search refined and then undone) skip the model.

A query's vector depends only on the model and the text, but entries are kept per workspace:
one shared by every tenant would let a workspace learn, from a faster answer, that another
had just searched for the same words. Each entry is a read-only copy: every search that hits
it shares the array, and the embedder's own buffer stays the embedder's.
"""

from __future__ import annotations

import uuid

import numpy as np

from brandflow.contexts.knowledge.search import Vector1D
from brandflow.kernel.cache import TTLCache

# An entry is the vector (1.5 kB at 384 dimensions, 12 kB at 3,072) and its query (at most
# 1,000 characters): from ~10 MB for MiniLM to ~55 MB for the largest API models.
DEFAULT_MAX_ENTRIES = 4096


class QueryVectors:
    """`(workspace, model, query text) -> unit vector`, for `ttl` seconds (LRU-bounded)."""

    def __init__(self, ttl: float, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._cache: TTLCache[tuple[uuid.UUID, str, str], Vector1D] = TTLCache(ttl, max_entries)

    def get(self, workspace_id: uuid.UUID, model: str, query: str) -> Vector1D | None:
        return self._cache.get((workspace_id, model, query))

    def put(self, workspace_id: uuid.UUID, model: str, query: str, vector: Vector1D) -> None:
        kept = np.array(vector, copy=True)
        kept.setflags(write=False)
        self._cache.set((workspace_id, model, query), kept)

    def __len__(self) -> int:
        return len(self._cache)
