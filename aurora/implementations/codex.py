"""Level 1: any OpenAI-compatible chat API (OpenAI, LM Studio, vLLM, Ollama) through the openai SDK.

The SDK's own retries are off: this module owns them, because the fallback chain needs to know
*why* a level failed (timeout, rate limit, outage: the spec's codes), to honour Retry-After, to
stay inside one deadline per task, and to feed a circuit breaker so that once the backend is
failing later requests skip it at once until a cool-down probe (the cached health check) succeeds.
Structured output degrades json_schema -> json_object -> prompt-only, once, for servers that
support less, and remembers the mode that worked.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
import openai

from aurora.config import AuroraConfig, CodexConfig
from aurora.contracts import CleanPrompt, EnhanceResult, PlanParameters
from aurora.exceptions import (
    CodexRateLimitedError,
    CodexTimeoutError,
    CodexUnavailableError,
    ImplementationError,
    NotConfiguredError,
    ParseError,
    ValidationError,
)
from aurora.implementations.base import (
    EnhanceRequest,
    Implementation,
    ParseOutput,
    PlanOutput,
    Resources,
    register,
)
from aurora.implementations.llm_common import (
    MAX_REPLY_CHARS,
    TEMPLATE_VERSION,
    Message,
    Task,
    enhance_task,
    parse_task,
    plan_task,
    run_task,
    schema_text,
)

R = TypeVar("R")
MODES = ("json_schema", "json_object", "prompt")
MAX_BODY_BYTES = 4 * MAX_REPLY_CHARS + 16_384
"""Largest HTTP body read from the backend: a reply of MAX_REPLY_CHARS (up to 4 UTF-8 bytes each) plus the
envelope. A longer body is cut off while it streams in, never read whole."""


class ReplyTooLargeError(ParseError):
    """The backend's HTTP body passed MAX_BODY_BYTES (AURORA_PARSE_ERROR); raised while reading it."""


class _CappedStream(httpx2.SyncByteStream):
    def __init__(self, stream: httpx2.SyncByteStream, limit: int) -> None:
        self._stream = stream
        self._limit = limit

    def __iter__(self) -> Any:
        total = 0
        for chunk in self._stream:
            total += len(chunk)
            if total > self._limit:
                raise ReplyTooLargeError(f"codex reply passed {self._limit:,} bytes; the rest was not read")
            yield chunk

    def close(self) -> None:
        self._stream.close()


class CappedTransport(httpx2.HTTPTransport):
    """An HTTP transport that refuses a body longer than ``limit`` bytes (by Content-Length, or while reading)."""

    def __init__(self, limit: int = MAX_BODY_BYTES, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limit = limit

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            response.close()
            raise ReplyTooLargeError(f"codex reply is {int(length):,} bytes; at most {self.limit:,} are read")
        stream = response.stream
        assert isinstance(stream, httpx2.SyncByteStream)
        response.stream = _CappedStream(stream, self.limit)
        return response


class CircuitBreaker:
    """closed -> (``threshold`` failed requests in a row) -> open -> (cool-down passed, probe ok) ->
    half-open: one trial request; its success closes the breaker, its failure reopens it for longer."""

    def __init__(self, *, threshold: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self.state = "closed"
        self._failures = 0
        self._open_until = 0.0
        self._next_cooldown_s = cooldown_s

    def allow(self, probe: Callable[[], bool]) -> bool:
        with self._lock:
            if self.state == "closed":
                return True
            if self._clock() < self._open_until:  # open, or a half-open trial still in flight
                return False
            self.state = "half_open"  # this caller probes and tries; the others keep skipping
            self._open_until = self._clock() + self._next_cooldown_s
        if probe():
            return True
        self.failure()
        return False

    def success(self) -> None:
        with self._lock:
            self.state, self._failures, self._next_cooldown_s = "closed", 0, self.cooldown_s

    def failure(self, *, open_for_s: float = 0.0) -> None:
        with self._lock:
            self._failures += 1
            if self.state == "half_open" or self._failures >= self.threshold:
                cooldown = max(open_for_s, self._next_cooldown_s)
                self._open_until = self._clock() + cooldown
                self._next_cooldown_s = min(self.cooldown_s * 8, self._next_cooldown_s * 2) or self.cooldown_s
                self.state = "open"


@dataclass
class CodexStats:
    """Counters for tests and the bench (HTTP attempts, retries, mode downgrades)."""

    http_calls: int = 0
    retries: int = 0
    downgrades: int = 0
    health_checks: int = 0


class CodexImplementation:
    name = "codex"
    template_version = TEMPLATE_VERSION

    def __init__(self, resources: Resources, config: CodexConfig, *,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._resources = resources
        self.config = config
        self.cache_model = config.model
        self._sleep = sleep
        self._lock = threading.Lock()
        self._client: openai.OpenAI | None = None
        self._mode = MODES[0] if config.output_mode == "auto" else config.output_mode
        self._health: tuple[float, bool] | None = None
        self.breaker = CircuitBreaker(threshold=config.breaker_threshold, cooldown_s=config.breaker_cooldown_s)
        self.stats = CodexStats()

    # -- Protocol ----------------------------------------------------------------------------------
    def available(self) -> bool:
        return self.config.configured and self.breaker.allow(self.health_check)

    def enhance(self, request: EnhanceRequest) -> EnhanceResult:
        return self._run(enhance_task(request.clean, request.context, request.level))

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        return self._run(parse_task(self._resources, clean))

    def plan(self, parameters: PlanParameters) -> PlanOutput:
        return self._run(plan_task(self._resources, parameters))

    def _run(self, task: Task[R]) -> R:
        """One task; a reply still unusable after the re-ask (junk, wrong schema, refused, too large)
        counts as a failed request for the breaker, so a backend answering junk is skipped like a dead one."""
        try:
            return run_task(task, self._complete, kb=self._resources.kb)
        except (ParseError, ValidationError):
            self.breaker.failure()
            raise

    def skip_reason(self) -> str | None:
        """Why ``available()`` said no: None when unconfigured (skipped at no cost, nothing to record)."""
        if not self.config.configured:
            return None
        return f"circuit breaker {self.breaker.state}: codex failed recently; skipped until a cool-down probe passes"

    # -- health --------------------------------------------------------------------------------------
    def health_check(self) -> bool:
        """GET /models, cached for ``health_ttl_s``. Any answer but a 5xx/429 means the server is up."""
        now = time.monotonic()
        if self._health is not None and now - self._health[0] < self.config.health_ttl_s:
            return self._health[1]
        self.stats.health_checks += 1
        try:
            self._openai().with_options(timeout=min(2.0, self.config.timeout_s)).models.list()
            ok = True
        except openai.APIStatusError as exc:
            ok = exc.status_code < 500 and exc.status_code != 429
        except (openai.APIError, NotConfiguredError):
            ok = False
        self._health = (time.monotonic(), ok)
        return ok

    # -- one completion, with retries -----------------------------------------------------------------
    def _openai(self) -> openai.OpenAI:
        if not self.config.configured:
            raise NotConfiguredError("codex needs AURORA_CODEX_BASE_URL or AURORA_CODEX_API_KEY")
        with self._lock:
            if self._client is None:
                self._client = openai.OpenAI(base_url=self.config.base_url or None,
                                             api_key=self.config.api_key or "not-needed",
                                             timeout=self.config.timeout_s, max_retries=0,
                                             http_client=openai.DefaultHttpxClient(transport=CappedTransport()))
            return self._client

    def _complete(self, messages: list[Message], task: Task[Any]) -> str:
        cfg = self.config
        client = self._openai()
        deadline = time.monotonic() + cfg.deadline_s
        retries = 0
        while True:
            mode = self._mode
            remaining = deadline - time.monotonic()
            wait: float | None = None
            self.stats.http_calls += 1
            try:
                response = client.chat.completions.create(
                    model=cfg.model, messages=_with_schema(messages, task, mode),  # type: ignore[arg-type]
                    temperature=0, max_tokens=cfg.max_tokens, timeout=max(0.05, min(cfg.timeout_s, remaining)),
                    **_response_format(task, mode))
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if mode != MODES[-1]:
                    self._downgrade(mode)
                    continue
                self.breaker.success()  # the server answered: it is up, it just refuses this request
                raise CodexUnavailableError(f"codex rejected the request: {_short(exc)}") from exc
            except openai.APITimeoutError as exc:
                error: tuple[type[ImplementationError], str] = (
                    CodexTimeoutError, f"codex did not answer within {cfg.timeout_s:g} s")
                cause: Exception = exc
            except openai.RateLimitError as exc:
                wait = retry_after_s(exc.response.headers)
                error, cause = (CodexRateLimitedError, f"codex rate-limited the request: {_short(exc)}"), exc
            except openai.InternalServerError as exc:
                error, cause = (CodexUnavailableError, f"codex server error {exc.status_code}"), exc
            except openai.APIConnectionError as exc:
                error, cause = (CodexUnavailableError, f"codex unreachable: {_short(exc)}"), exc
            except openai.APIStatusError as exc:  # 401/403/404: misconfigured; retrying will not help
                self.breaker.failure()
                raise CodexUnavailableError(f"codex answered {exc.status_code}: {_short(exc)}") from exc
            except (openai.APIError, ValueError, RecursionError) as exc:  # a body the SDK could not read
                raise ParseError(f"codex reply unreadable: {type(exc).__name__}: {_short(exc)}") from exc
            else:
                self.breaker.success()
                return _content(response)
            delay = wait if wait is not None else backoff_s(retries, cfg.backoff_base_s, cfg.backoff_max_s)
            if retries >= cfg.max_retries or time.monotonic() + delay >= deadline:
                self.breaker.failure(open_for_s=wait or 0.0)
                kind, message = error
                raise kind(f"{message} (after {retries + 1} attempt{'s' if retries else ''})") from cause
            retries += 1
            self.stats.retries += 1
            self._sleep(delay)

    def _downgrade(self, mode: str) -> None:
        """Sticky: a server that refused json_schema once is asked the simpler way from now on."""
        with self._lock:
            if self._mode == mode:
                self._mode = MODES[MODES.index(mode) + 1]
                self.stats.downgrades += 1


def _response_format(task: Task[Any], mode: str) -> dict[str, Any]:
    if mode == "json_schema":
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": f"aurora_{task.name}", "schema": task.schema,
                                                    "strict": False}}}
    if mode == "json_object":
        return {"response_format": {"type": "json_object"}}
    return {}


def _with_schema(messages: list[Message], task: Task[Any], mode: str) -> list[Message]:
    """Servers without json_schema support get the schema in the prompt instead."""
    note = "Reply with only one JSON object, no prose." if mode == "json_schema" else schema_text(task.schema)
    first_user = next(i for i, m in enumerate(messages) if m["role"] == "user")
    out = list(messages)
    out[first_user] = {"role": "user", "content": f"{messages[first_user]['content']}\n\n{note}"}
    return out


def _content(response: Any) -> str:
    try:
        content = response.choices[0].message.content
    except (AttributeError, IndexError, TypeError) as exc:
        raise ParseError(f"codex reply is not a chat completion: {str(response)[:200]}") from exc
    if not isinstance(content, str):
        raise ParseError("codex reply has no text content")
    return content


def backoff_s(retry: int, base_s: float, max_s: float) -> float:
    """Exponential with 'equal jitter': half fixed, half random, so parallel clients spread out."""
    cap = float(min(max_s, base_s * 2.0**retry))
    return cap / 2 + random.uniform(0.0, cap / 2)


def retry_after_s(headers: Any) -> float | None:
    """Retry-After as seconds or an HTTP date, or OpenAI's retry-after-ms; None when absent."""
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        when = email.utils.parsedate_to_datetime(raw)
        return max(0.0, when.timestamp() - time.time()) if when else None


def _short(exc: Exception) -> str:
    return str(exc).replace("\n", " ")[:200]


@register("codex")
def _factory(resources: Resources) -> Implementation:
    config = resources.settings.get("config")
    return CodexImplementation(resources, config.codex if isinstance(config, AuroraConfig) else CodexConfig())
