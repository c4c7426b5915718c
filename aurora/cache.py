"""Aurora's cache (spec §10.1): L1 per request, L2 session (1 h), L3 global (24 h).

L1 is a plain dict that lives for one ``process()`` call. L2 and L3 share one store: an in-process
LRU with TTL by default, Redis when a URL is configured. Redis is an optimisation, never a
dependency: any Redis error logs one warning and the store answers from the in-process cache until
a retry interval has passed, so an outage can slow a request down but never fail it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from typing import Literal, Protocol

from aurora.config import CacheConfig

log = logging.getLogger(__name__)

Tier = Literal["session", "global"]
KEY_PREFIX = "aurora:v1"


def cache_key(*, module: str, implementation: str, model: str, template_version: str, normalised_input: str) -> str:
    """Everything that changes an answer is in the key; the input is hashed so keys stay short."""
    digest = hashlib.sha256(normalised_input.encode("utf-8")).hexdigest()[:32]
    return f"{KEY_PREFIX}:{module}:{implementation}:{model}:{template_version}:{digest}"


class Store(Protocol):
    name: str

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_s: float) -> None: ...


class MemoryStore:
    """Thread-safe LRU with a per-entry expiry time."""

    name = "memory"

    def __init__(self, *, max_entries: int = 4096) -> None:
        self._max = max_entries
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def set(self, key: str, value: str, ttl_s: float) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl_s, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class RedisStore:
    """Redis with short socket timeouts; falls back to ``fallback`` while Redis is unreachable."""

    name = "redis"

    def __init__(self, url: str, *, fallback: MemoryStore, retry_after_s: float = 10.0,
                 socket_timeout_s: float = 0.25) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=socket_timeout_s,
                                            socket_connect_timeout=socket_timeout_s)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._fallback = fallback
        self._retry_after_s = retry_after_s
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            if not self.degraded:
                log.warning("Redis cache unreachable (%s); using the in-process cache for %.0f s",
                            exc, self._retry_after_s)
            self._down_until = time.monotonic() + self._retry_after_s

    def get(self, key: str) -> str | None:
        if self.degraded:
            return self._fallback.get(key)
        try:
            raw = self._client.get(key)
        except self._errors as exc:
            self._failed(exc)
            return self._fallback.get(key)
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    def set(self, key: str, value: str, ttl_s: float) -> None:
        self._fallback.set(key, value, ttl_s)  # so a later outage still has recent answers
        if self.degraded:
            return
        try:
            self._client.set(key, value, px=max(1, int(ttl_s * 1000)))
        except self._errors as exc:
            self._failed(exc)


class AuroraCache:
    """The L2/L3 tiers over one store; the tier picks the TTL."""

    def __init__(self, config: CacheConfig, *, store: Store | None = None) -> None:
        self.config = config
        memory = MemoryStore(max_entries=config.max_entries)
        self.store: Store = store or (RedisStore(config.redis_url, fallback=memory) if config.redis_url else memory)
        self._ttl: dict[Tier, float] = {"session": config.session_ttl_s, "global": config.global_ttl_s}

    def get(self, key: str) -> str | None:
        return self.store.get(key) if self.config.enabled else None

    def set(self, tier: Tier, key: str, value: str) -> None:
        if self.config.enabled:
            self.store.set(key, value, self._ttl[tier])
