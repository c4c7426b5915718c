"""A hostile OpenAI-compatible backend (a real HTTP server on 127.0.0.1): deep nesting, huge replies, empty
choices, wrong schema, injection text, contradiction. Each case asserts the level that served, the codes in
``attempts``, the breaker state, and that once the breaker is open the backend costs no further request."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from aurora import Aurora, PlanParameters
from aurora.exceptions import ParseError
from aurora.implementations.codex import MAX_BODY_BYTES
from aurora.implementations.llm_common import MAX_JSON_DEPTH, decode_json, json_depth

from .conftest import INJECTION, ScriptedServer, codes, codex_of

PROMPT = "relaxed jazz trio with piano and double bass"


@pytest.mark.parametrize(("mode", "code", "posts"), [
    ("deep_nesting", "AURORA_PARSE_ERROR", 2),  # ask + re-ask, both junk
    ("deep_body", "AURORA_PARSE_ERROR", 1),  # the HTTP body itself: the SDK's decoder would recurse 100,000 deep
    ("huge", "AURORA_PARSE_ERROR", 1),  # refused by its Content-Length, never read
    ("huge_chunked", "AURORA_PARSE_ERROR", 1),  # no length: cut off while streaming at the byte cap
    ("empty_choices", "AURORA_PARSE_ERROR", 1),
    ("wrong_schema", "AURORA_VALIDATION_ERROR", 2),
    ("non_json", "AURORA_PARSE_ERROR", 2),
])
def test_junk_reply_falls_back_and_opens_the_breaker(server: ScriptedServer, make_aurora: Callable[..., Aurora],
                                                     mode: str, code: str, posts: int) -> None:
    server.play(default=mode)
    a = make_aurora(base_url=server.url, breaker_cooldown_s=60.0)
    r = a.parse(prompt=PROMPT)
    meta = r.aurora_metadata
    assert meta is not None and meta.implementation == "rule_based"
    assert codes(meta) == [("codex", code), ("rule_based", None)], meta.attempts
    assert len(server.requests) == posts and codex_of(a).breaker.state == "open"
    json.dumps(r.model_dump(mode="json"))  # every result serialises
    later = [a.parse(prompt=f"dark techno at {bpm} bpm") for bpm in (120, 125, 130)]
    assert len(server.requests) == posts  # breaker open: no further POST for any later request
    for result in later:
        assert codes(result.aurora_metadata) == [("codex", "AURORA_SKIPPED_BY_BREAKER"), ("rule_based", None)]
        assert result.aurora_metadata is not None and result.aurora_metadata.attempts[0].skipped


def test_a_huge_reply_is_not_read_whole(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="huge_chunked")
    a = make_aurora(base_url=server.url)
    r = a.parse(prompt=PROMPT)
    assert r.aurora_metadata is not None
    message = r.aurora_metadata.attempts[0].message or ""
    assert f"{MAX_BODY_BYTES:,} bytes" in message


def test_max_tokens_is_sent(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(base_url=server.url, max_tokens=512)
    a.parse(prompt=PROMPT)
    assert server.requests and all(b.get("max_tokens") == 512 for b in server.requests)


def test_injection_in_a_reply_is_refused_everywhere(server: ScriptedServer, make_aurora: Callable[..., Aurora]) -> None:
    """An instruction to the AI in a model's reply is screened like user input: the reply is refused (never
    merged), the next level serves, and the text reaches no result, warning or note."""
    server.play(default="injection")
    a = make_aurora(base_url=server.url, breaker_cooldown_s=60.0, breaker_threshold=10)
    enhanced = a.enhance(prompt=PROMPT)
    assert codes(enhanced.aurora_metadata)[0] == ("codex", "AURORA_VALIDATION_ERROR")
    parsed = a.parse(prompt=PROMPT)
    assert codes(parsed.aurora_metadata)[0] == ("codex", "AURORA_VALIDATION_ERROR")
    planned = a.plan(parameters=PlanParameters(genre="jazz", mood="relaxed", tempo_bpm=120, duration_seconds=30))
    assert codes(planned.aurora_metadata)[0] == ("codex", "AURORA_VALIDATION_ERROR")
    processed = a.process(prompt=PROMPT)
    dumped = json.dumps([x.model_dump(mode="json") for x in (enhanced, parsed, planned, processed)])
    assert INJECTION.lower() not in dumped.lower()
    assert "reveal your system prompt" not in dumped.lower()
    re_ask = server.requests[1]["messages"]
    assert all("reveal your system prompt" not in m["content"].lower() for m in re_ask)  # not echoed back


def test_an_enhanced_prompt_contradicting_stated_facts_is_flagged(server: ScriptedServer,
                                                                  make_aurora: Callable[..., Aurora]) -> None:
    server.play(default="contradiction")
    a = make_aurora(base_url=server.url)
    prompt = "jazz trio at 120 bpm in A major in 4/4"
    enhanced = a.enhance(prompt=prompt)
    assert enhanced.aurora_metadata is not None and enhanced.aurora_metadata.implementation == "codex"
    flagged = [n for n in enhanced.notes if n.code == "AURORA_ENHANCED_CONTRADICTS"]
    assert {(n.original, n.replacement) for n in flagged} == {("120 BPM", "90 BPM"), ("A major", "E minor"),
                                                               ("4/4", "3/4")}
    result = a.process(prompt=prompt)
    p = result.parse.parsed_parameters
    assert (p.tempo.bpm, p.key_signature.value, p.time_signature.value) == (120, "A major", "4/4")
    assert sum("you asked for" in w for w in result.warnings) == 3


def test_any_exception_of_a_level_falls_back_and_defaults_always_answers(
        make_aurora: Callable[..., Aurora], monkeypatch: pytest.MonkeyPatch) -> None:
    """Bugs in a level (RecursionError, KeyError, an unexpected AuroraError) are that level's failure."""
    from aurora.exceptions import PlanError
    from aurora.implementations.rule_based import RuleBasedImplementation

    a = make_aurora(implementations=("rule_based", "defaults"))
    for fault in (RecursionError("deep"), KeyError("x"), PlanError("no plan"), MemoryError()):
        def broken(self: object, *args: object, fault: BaseException = fault) -> object:
            raise fault
        for method in ("parse", "plan", "enhance"):
            monkeypatch.setattr(RuleBasedImplementation, method, broken)
        r = a.process(prompt=PROMPT)  # (its rule-tier parse reuses the quick parse: checked via parse() below)
        for meta in (r.enhance.aurora_metadata, r.plan.aurora_metadata, a.parse(prompt=PROMPT).aurora_metadata):
            assert meta is not None and meta.implementation == "defaults"
            assert meta.attempts[0].implementation == "rule_based" and meta.attempts[0].error_code
        json.dumps(r.model_dump(mode="json"))
    assert a.parse(prompt=PROMPT).aurora_metadata is not None


def test_json_depth_is_checked_before_decoding() -> None:
    assert json_depth('{"a": [1, {"b": "[[[["}]}') == 3
    assert json_depth("[" * 1000 + "]" * 1000) == 1000
    with pytest.raises(ParseError, match="nests"):
        decode_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(ParseError, match="characters"):
        decode_json("{" + " " * 70_000 + "}")
    assert decode_json('{"a": ' * 5 + "1" + "}" * 5) == {"a": {"a": {"a": {"a": {"a": 1}}}}}


def test_time_added_by_a_junk_backend_once_the_breaker_is_open(server: ScriptedServer,
                                                               make_aurora: Callable[..., Aurora]) -> None:
    """The skip is a lock and a clock read: no request. (The time itself is measured by bench.hostile_backend.)"""
    server.play(default="non_json")
    a = make_aurora(base_url=server.url, breaker_cooldown_s=60.0)
    a.parse(prompt=PROMPT)
    codex = codex_of(a)
    before = (len(server.requests), codex.stats.http_calls, codex.stats.health_checks)
    started = time.perf_counter()
    for _ in range(200):
        assert not codex.available()
    assert time.perf_counter() - started < 1.0  # generous: 200 skips, not a latency assertion
    assert (len(server.requests), codex.stats.http_calls, codex.stats.health_checks) == before
