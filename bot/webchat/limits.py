"""A small in-process rate limiter (sliding window), for the public chat and form.

Limits are per process: behind several instances each enforces its own, which is
still a bound. Keys are client addresses or conversation ids, never personal data.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, limit: int, window: float = 60.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def check(self, key: str) -> float:
        """Record a hit; 0 when allowed, else the seconds to wait before the next one."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(0.1, hits[0] + self.window - now)
        hits.append(now)
        if len(self._hits) > 50_000:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
