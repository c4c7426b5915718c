"""The cache tiers against the in-process store and a real redis-server; a Redis outage never fails a request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from aurora import Aurora
from aurora.cache import AuroraCache, MemoryStore, RedisStore, cache_key
from aurora.config import CacheConfig

from .conftest import ScriptedServer, free_port


@pytest.fixture(params=["memory", "redis"])
def cache(request: pytest.FixtureRequest) -> AuroraCache:
    if request.param == "memory":
        return AuroraCache(CacheConfig(session_ttl_s=0.2, global_ttl_s=60.0))
    url = request.getfixturevalue("redis_url")
    return AuroraCache(CacheConfig(redis_url=url, session_ttl_s=0.2, global_ttl_s=60.0))


def test_key_names_everything_that_changes_an_answer() -> None:
    k = cache_key(module="semantic_parser", implementation="codex", model="gpt-x", template_version="v1",
                  normalised_input="jazz")
    assert k.startswith("aurora:v1:semantic_parser:codex:gpt-x:v1:")
    assert k != cache_key(module="semantic_parser", implementation="codex", model="gpt-y", template_version="v1",
                          normalised_input="jazz")
    assert k != cache_key(module="semantic_parser", implementation="codex", model="gpt-x", template_version="v2",
                          normalised_input="jazz")


def test_get_set_and_ttl(cache: AuroraCache) -> None:
    key = f"test:{time.monotonic_ns()}"
    assert cache.get(key) is None
    cache.set("global", key, '{"a": 1}')
    cache.set("session", key + ":s", "short-lived")
    assert cache.get(key) == '{"a": 1}' and cache.get(key + ":s") == "short-lived"
    time.sleep(0.35)
    assert cache.get(key + ":s") is None and cache.get(key) == '{"a": 1}'


def test_disabled_cache_stores_nothing() -> None:
    c = AuroraCache(CacheConfig(enabled=False))
    c.set("global", "k", "v")
    assert c.get("k") is None


def test_memory_store_is_lru() -> None:
    store = MemoryStore(max_entries=2)
    store.set("a", "1", 60)
    store.set("b", "2", 60)
    assert store.get("a") == "1"
    store.set("c", "3", 60)
    assert store.get("b") is None and store.get("a") == "1" and len(store) == 2


def test_redis_outage_degrades_to_memory(caplog: pytest.LogCaptureFixture) -> None:
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", fallback=MemoryStore())
    with caplog.at_level(logging.WARNING, logger="aurora.cache"):
        store.set("k", "v", 60)
        assert store.get("k") == "v" and store.degraded
        store.get("other")
    assert sum("Redis cache unreachable" in r.message for r in caplog.records) == 1


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_facade_reports_cache_hits(server: ScriptedServer, make_aurora: Callable[..., Aurora],
                                   request: pytest.FixtureRequest, backend: str) -> None:
    url = request.getfixturevalue("redis_url") if backend == "redis" else None
    prompt = f"bossa nova with nylon guitar {backend} {time.monotonic_ns()}"
    first = make_aurora(base_url=server.url, redis_url=url).parse(prompt=prompt)
    assert first.aurora_metadata is not None and not first.aurora_metadata.cache_hit
    other = make_aurora(base_url=server.url, redis_url=url)  # a second instance: only Redis is shared
    second = other.parse(prompt=prompt)
    assert second.aurora_metadata is not None and second.aurora_metadata.cache_hit is (backend == "redis")
    assert other.parse(prompt=prompt).aurora_metadata.cache_hit  # type: ignore[union-attr]
    assert second.parsed_parameters == first.parsed_parameters
    assert len(server.requests) == (1 if backend == "redis" else 2)


def test_facade_survives_redis_outage(server: ScriptedServer, make_aurora: Callable[..., Aurora],
                                      caplog: pytest.LogCaptureFixture) -> None:
    a = make_aurora(base_url=server.url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.WARNING, logger="aurora.cache"):
        r = a.parse(prompt="cinematic strings in a minor key")
        again = a.parse(prompt="cinematic strings in a minor key")
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "codex"
    assert again.aurora_metadata is not None and again.aurora_metadata.cache_hit  # served by the memory fallback
    assert any("Redis cache unreachable" in rec.message for rec in caplog.records)
