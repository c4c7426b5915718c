"""codex against a real HTTP server on 127.0.0.1 with scripted behaviours, through the public facade."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from aurora import Aurora, ParseResult, PlanParameters
from aurora.contracts import ParsedMusicalParameters
from aurora.implementations.codex import CircuitBreaker, retry_after_s

from .conftest import ScriptedServer, codes, codex_of, free_port

PROMPT = "relaxed jazz trio with piano and double bass"


def assert_valid(r: ParseResult) -> None:
    ParsedMusicalParameters.model_validate(r.parsed_parameters.model_dump())
    assert r.control_encoder_params is not None and len(r.control_encoder_params.unified_control_embedding) == 640


def test_valid_reply_served_by_codex_then_cached(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(base_url=server.url)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "codex"
    assert codes(r.aurora_metadata) == [("codex", None)] and not r.aurora_metadata.cache_hit
    assert r.parsed_parameters.genre.value.lower() == "jazz" and r.parsed_parameters.structure.value == "AABA"
    assert_valid(r)
    assert len(server.requests) == 1 and server.requests[0]["response_format"]["type"] == "json_schema"
    assert "semantic parser" in server.requests[0]["messages"][0]["content"]
    again = a.parse(prompt="  Relaxed jazz trio with piano and double bass ")
    assert again.aurora_metadata is not None and again.aurora_metadata.cache_hit
    assert again.parsed_parameters == r.parsed_parameters and len(server.requests) == 1


def test_stated_facts_win_over_the_llm(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    r = make_aurora(base_url=server.url).parse(prompt="smooth jazz at 80 bpm in D minor in 3/4, no drums")
    p = r.parsed_parameters
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "codex"
    assert p.tempo.bpm == 80 and p.key_signature.value == "D minor" and p.time_signature.value == "3/4"
    assert "Drum Kit" in p.excluded_instruments and all(i.name != "Drum Kit" for i in p.instrumentation)
    assert any(i.name == "Piano" for i in p.instrumentation)  # the LLM's "piano", in the KB's spelling
    assert {"tempo", "key_signature", "time_signature"} <= set(p.explicit)


@pytest.mark.parametrize(("script", "retries"), [(("429",), 1), (("500", "503"), 2)])
def test_transient_errors_are_retried(server: ScriptedServer, make_aurora: Callable[..., Aurora],
                                      script: tuple[str, ...], retries: int) -> None:
    server.play(*script)
    a = make_aurora(base_url=server.url)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "codex"
    assert codes(r.aurora_metadata) == [("codex", None)]
    assert len(server.requests) == retries + 1 and codex_of(a).stats.retries == retries
    assert_valid(r)


def test_retry_after_is_read() -> None:
    assert retry_after_s({"retry-after": "2"}) == 2.0
    assert retry_after_s({"retry-after-ms": "150"}) == pytest.approx(0.15)
    assert retry_after_s({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after_s({}) is None


@pytest.mark.parametrize(("behaviour", "code"), [
    ("503", "AURORA_CODEX_UNAVAILABLE"), ("500", "AURORA_CODEX_UNAVAILABLE"), ("429", "AURORA_CODEX_RATE_LIMITED")])
def test_persistent_failure_falls_through_and_opens_the_breaker(
        server: ScriptedServer, make_aurora: Callable[..., Aurora], behaviour: str, code: str) -> None:
    server.play(default=behaviour)
    a = make_aurora(base_url=server.url, breaker_cooldown_s=60.0)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "rule_based"
    assert codes(r.aurora_metadata) == [("codex", code), ("rule_based", None)]
    assert "after 4 attempts" in (r.aurora_metadata.attempts[0].message or "")
    assert len(server.requests) == 4 and codex_of(a).stats.retries == 3
    assert_valid(r)
    later = a.parse(prompt="dark techno at 130 bpm")  # breaker open: codex skipped, no request sent
    assert later.aurora_metadata is not None
    assert codes(later.aurora_metadata) == [("codex", "AURORA_SKIPPED_BY_BREAKER"), ("rule_based", None)]
    assert later.aurora_metadata.attempts[0].skipped and not later.aurora_metadata.attempts[1].skipped
    assert len(server.requests) == 4 and codex_of(a).breaker.state == "open"


def test_timeout_then_fall_through(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="slow")
    server.slow_s = 1.5
    a = make_aurora(base_url=server.url, timeout_s=0.3, max_retries=1)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "rule_based"
    assert codes(r.aurora_metadata) == [("codex", "AURORA_CODEX_TIMEOUT"), ("rule_based", None)]
    assert codex_of(a).stats.http_calls == 2 and codex_of(a).stats.retries == 1
    assert_valid(r)


def test_connection_refused(make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(base_url=f"http://127.0.0.1:{free_port()}/v1")
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "rule_based"
    assert codes(r.aurora_metadata) == [("codex", "AURORA_CODEX_UNAVAILABLE"), ("rule_based", None)]
    assert codex_of(a).stats.http_calls == 4 and codex_of(a).stats.retries == 3
    assert_valid(r)


@pytest.mark.parametrize("bad", ["non_json", "truncated", "wrong_schema"])
def test_bad_reply_then_good_reask(server: ScriptedServer, make_aurora: Callable[..., Aurora], bad: str) -> None:
    server.play(bad)
    r = make_aurora(base_url=server.url).parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and codes(r.aurora_metadata) == [("codex", None)]
    assert len(server.requests) == 2
    reask = server.requests[1]["messages"]
    assert reask[-2]["role"] == "assistant" and "could not be used" in reask[-1]["content"]
    assert_valid(r)


@pytest.mark.parametrize(("bad", "code"), [("non_json", "AURORA_PARSE_ERROR"), ("truncated", "AURORA_PARSE_ERROR"),
                                           ("wrong_schema", "AURORA_VALIDATION_ERROR")])
def test_bad_reply_twice_falls_through(server: ScriptedServer, make_aurora: Callable[..., Aurora],
                                       bad: str, code: str) -> None:
    server.play(default=bad)
    a = make_aurora(base_url=server.url)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "rule_based"
    assert codes(r.aurora_metadata) == [("codex", code), ("rule_based", None)]
    # the server is up, but a reply still unusable after the re-ask counts as a failure: junk opens the breaker
    assert len(server.requests) == 2 and codex_of(a).breaker.state == "open"
    assert_valid(r)


def test_partial_reply_is_merged_with_defaults(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="partial")
    r = make_aurora(base_url=server.url).parse(prompt=PROMPT)
    meta = r.aurora_metadata
    assert meta is not None and meta.implementation == "codex" and not meta.cache_hit
    assert codes(meta) == [("codex", "AURORA_VALIDATION_ERROR")]
    p = r.parsed_parameters
    assert p.structure.value == "AABA" and len(p.mood) == 1  # valid parts kept, the invalid mood item dropped
    assert 20 <= p.tempo.bpm <= 300  # invalid "fast" replaced by the rule tier's value
    assert len(server.requests) == 2
    assert_valid(r)


@pytest.mark.parametrize(("behaviour", "modes"), [
    ("no_json_schema", ["json_schema", "json_object"]), ("prompt_only", ["json_schema", "json_object", None])])
def test_structured_output_degrades(server: ScriptedServer, make_aurora: Callable[..., Aurora],
                                    behaviour: str, modes: list[str | None]) -> None:
    server.play(default=behaviour)
    a = make_aurora(base_url=server.url)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and codes(r.aurora_metadata) == [("codex", None)]
    assert [(b.get("response_format") or {}).get("type") for b in server.requests] == modes
    assert "JSON schema" in server.requests[-1]["messages"][1]["content"]
    a.parse(prompt="another prompt entirely")  # the working mode is remembered
    assert len(server.requests) == len(modes) + 1 and codex_of(a).stats.downgrades == len(modes) - 1


def test_garbage_http_body_falls_through(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="garbage_body")
    r = make_aurora(base_url=server.url).parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "rule_based"
    assert codes(r.aurora_metadata)[0] == ("codex", "AURORA_PARSE_ERROR")


def test_breaker_probe_closes_it_again(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="503")
    a = make_aurora(base_url=server.url, breaker_cooldown_s=0.2, max_retries=0, health_ttl_s=0.0)
    assert a.parse(prompt=PROMPT).aurora_metadata.implementation == "rule_based"  # type: ignore[union-attr]
    assert codex_of(a).breaker.state == "open"
    time.sleep(0.3)
    assert a.parse(prompt=PROMPT + " again").aurora_metadata.implementation == "rule_based"  # type: ignore[union-attr]
    assert server.model_checks == 1 and len(server.requests) == 1  # probe failed: still skipped
    server.play(default="valid")
    time.sleep(0.5)
    r = a.parse(prompt=PROMPT + " once more")
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "codex"
    assert codex_of(a).breaker.state == "closed" and server.model_checks == 2


def test_breaker_unit() -> None:
    now = [0.0]
    b = CircuitBreaker(threshold=2, cooldown_s=10.0, clock=lambda: now[0])
    b.failure()
    assert b.allow(lambda: True) and b.state == "closed"
    b.failure()
    assert b.state == "open" and not b.allow(lambda: True)
    now[0] = 11.0
    assert not b.allow(lambda: False) and b.state == "open"
    now[0] = 40.0
    assert b.allow(lambda: True) and b.state == "half_open"
    assert not b.allow(lambda: True)  # one trial at a time
    b.success()
    assert b.state == "closed"


def test_unconfigured_levels_are_skipped(make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(implementations=("codex", "local_llm", "rule_based", "defaults"))
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None and codes(r.aurora_metadata) == [("rule_based", None)]


def test_enhance_and_plan_through_codex(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(base_url=server.url)
    e = a.enhance(prompt=PROMPT)
    assert e.aurora_metadata is not None and e.aurora_metadata.implementation == "codex"
    assert "upright bass" in e.enhanced_prompt and e.additions[0].type == "instrumentation"
    params = PlanParameters(genre="jazz", mood="relaxed", tempo_bpm=120, duration_seconds=40, key="F major")
    p = a.plan(parameters=params)
    assert p.aurora_metadata is not None and p.aurora_metadata.implementation == "codex"
    plan = p.structural_plan
    # 40 s of 2 s bars: 18 whole bars before the 3 s ring-out (knowledge_base.limits.ring_out_s), as the engine counts
    assert [s.name for s in plan.sections] == ["A", "A2", "B", "A3"] and plan.total_bars == 18
    assert sum(s.bars for s in plan.sections) == 18 and plan.chord_progression.chords[0] == "Fmaj7"
    assert plan.chord_progression.roman_numerals[0].lower().startswith("i")


def test_process_uses_codex_for_every_task_and_the_cache(server: ScriptedServer,
                                                         make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(base_url=server.url)
    r = a.process(prompt="relaxed jazz at 80 bpm", duration_s=30)
    assert r.enhance.aurora_metadata is not None and r.enhance.aurora_metadata.implementation == "codex"
    assert r.parse.aurora_metadata is not None and r.parse.aurora_metadata.implementation == "codex"
    assert r.plan.aurora_metadata is not None and r.plan.aurora_metadata.implementation == "codex"
    assert r.parse.parsed_parameters.tempo.bpm == 80  # stated in the original text
    assert len(server.requests) == 3 and {"quick_parse", "enhance", "parse", "plan"} <= set(r.timings_ms)
    again = a.process(prompt="relaxed jazz at 80 bpm", duration_s=30)
    assert all(m is not None and m.cache_hit for m in (again.enhance.aurora_metadata, again.parse.aurora_metadata,
                                                       again.plan.aurora_metadata))
    assert len(server.requests) == 3 and again.parse.parsed_parameters == r.parse.parsed_parameters


def test_fifty_parallel_requests_with_half_failing(server: ScriptedServer,
                                                   make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="flaky")
    a = make_aurora(base_url=server.url, breaker_threshold=3)
    a.parse(prompt="warm up")
    prompts = [f"relaxed jazz number {i} at {70 + i} bpm" for i in range(50)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda p: a.parse(prompt=p), prompts))
    for i, r in enumerate(results):
        assert_valid(r)
        meta = r.aurora_metadata
        assert meta is not None and meta.implementation in ("codex", "rule_based")
        assert r.parsed_parameters.tempo.bpm == 70 + i  # the stated BPM, whoever served
        assert all(c in (None, "AURORA_CODEX_UNAVAILABLE") for _, c in codes(meta))
    assert sum(r.aurora_metadata.implementation == "codex" for r in results) >= 25  # type: ignore[union-attr]
    assert codex_of(a).stats.retries > 0
