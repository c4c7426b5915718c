"""Prometheus metrics of spec Appendix A (``monitoring.metrics_endpoint: /metrics``), observed at the service's
boundary from the typed results (AuroraMetadata, GenerationMetadata), never inside Aurora's stages.

One registry per app, so several apps (tests) never share counters.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from aurora.contracts import AuroraMetadata, GenerationMetadata

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("soundstar_requests_total", "API requests by endpoint, implementation and status",
                                ["endpoint", "implementation", "status"], registry=r)
        self.latency = Histogram("soundstar_request_latency_seconds", "API request latency",
                                 ["endpoint", "implementation"], buckets=_LATENCY_BUCKETS, registry=r)
        self.fallbacks = Counter("aurora_fallbacks_total", "Implementation levels skipped, by module and error code",
                                 ["module", "implementation", "error_code"], registry=r)
        self.cache = Counter("aurora_cache_lookups_total", "Served results by module and whether the cache answered",
                             ["module", "result"], registry=r)
        self.cache_ratio = Gauge("aurora_cache_hit_ratio", "Share of served results the cache answered", registry=r)
        self.cache_ratio.set_function(self._cache_hit_ratio)
        self.realtime = Histogram("engine_realtime_factor", "Seconds of audio per second of engine time",
                                  buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64), registry=r)
        self.generation_seconds = Histogram("soundstar_generation_seconds", "Whole generation time (queue excluded)",
                                            buckets=_LATENCY_BUCKETS, registry=r)
        self.queue_wait = Histogram("soundstar_queue_wait_seconds", "Time a generation waited in the queue",
                                    buckets=_LATENCY_BUCKETS, registry=r)
        self.queue_depth = Gauge("soundstar_queue_depth", "Generations waiting in the queue", registry=r)
        self.queue_rejected = Counter("soundstar_queue_rejected_total", "Generations refused: queue full",
                                      registry=r)
        self.failures = Counter("soundstar_generation_failures_total", "Failed generations by error code",
                                ["error_code"], registry=r)
        self.rate_limited = Counter("soundstar_rate_limited_total", "Requests refused by a rate limit", ["scope"],
                                    registry=r)

    def _cache_hit_ratio(self) -> float:
        counts = {"hit": 0.0, "miss": 0.0}
        for family in self.cache.collect():
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    counts[sample.labels["result"]] += sample.value
        total = counts["hit"] + counts["miss"]
        return counts["hit"] / total if total else 0.0

    def watch_queue(self, depth: Callable[[], int]) -> None:
        self.queue_depth.set_function(lambda: float(depth()))

    def observe_request(self, endpoint: str, status: int, seconds: float, implementation: str = "none") -> None:
        self.requests.labels(endpoint, implementation, str(status)).inc()
        self.latency.labels(endpoint, implementation).observe(seconds)

    def observe_aurora(self, meta: AuroraMetadata | None) -> None:
        if meta is None:
            return
        for attempt in meta.attempts:
            if attempt.error_code:
                self.fallbacks.labels(meta.module, attempt.implementation, attempt.error_code).inc()
        self.cache.labels(meta.module, "hit" if meta.cache_hit else "miss").inc()

    def observe_generation(self, meta: GenerationMetadata, *, audio_duration_s: float) -> None:
        if meta.engine_time_ms > 0:
            self.realtime.observe(audio_duration_s / (meta.engine_time_ms / 1000.0))
        self.generation_seconds.observe(meta.total_time_ms / 1000.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)
