"""Counters for slowing down abuse (failed sign-ins), in memory or shared through Redis."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter


class FailureLimiter:
    """Allows ``max_failures`` per window per key; past that, callers wait for the window."""

    def __init__(self, max_failures: int, window_seconds: int, redis_url: str | None) -> None:
        self._item = RateLimitItemPerSecond(max_failures, window_seconds)
        self.storage: Storage
        if redis_url:
            self.storage = RedisStorage(
                "async+" + redis_url, implementation="redispy", key_prefix="brandflow-limits"
            )
        else:
            self.storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self.storage)

    async def retry_after(self, *keys: str) -> int | None:
        """Seconds to wait when any key is over its budget, else None."""
        for key in keys:
            if not await self._limiter.test(self._item, key):
                stats = await self._limiter.get_window_stats(self._item, key)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None

    async def record_failure(self, *keys: str) -> None:
        for key in keys:
            await self._limiter.hit(self._item, key)

    async def clear(self, key: str) -> None:
        await self._limiter.clear(self._item, key)
