"""Token-bucket rate limits keyed by user and by address (in process; thread-safe)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """``rate_per_min`` requests a minute per key, with bursts of up to ``burst``. ``check`` answers None
    (allowed, one token spent) or the seconds until the next request would be allowed."""

    def __init__(self, *, rate_per_min: float, burst: int, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate_per_s = rate_per_min / 60.0
        self.burst = float(burst)
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, key: str) -> float | None:
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate_per_s)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                retry = None
            else:
                self._buckets[key] = (tokens, now)
                retry = (1.0 - tokens) / self.rate_per_s
            while len(self._buckets) > self._max_keys:  # forget the least recently seen keys
                self._buckets.popitem(last=False)
            return retry
