"""Suggester, CLI, and the fallback chain through the implementation registry."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from aurora import Aurora, AuroraConfig
from aurora.contracts import CleanPrompt, EnhanceResult, PlanParameters
from aurora.exceptions import CodexTimeoutError
from aurora.implementations.base import (
    REGISTRY,
    EnhanceRequest,
    Implementation,
    ParseOutput,
    PlanOutput,
    Resources,
)
from knowledge_base import KnowledgeBase


def test_suggestions_for_partial_prompt(aurora: Aurora) -> None:
    r = aurora.suggest(partial_prompt="a melancholic lo-f", suggestion_count=3)
    assert len(r.suggestions) >= 3
    assert r.suggestions[0].kind == "completion" and r.suggestions[0].preview.startswith("a melancholic lo-fi")
    dims = {s.dimension for s in aurora.suggest(partial_prompt="sad piano song ", suggestion_count=6).suggestions}
    assert {"tempo", "key"} <= dims
    scores = [s.score for s in r.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_suggestions_skip_stated_dimensions(aurora: Aurora) -> None:
    r = aurora.suggest(partial_prompt="jazz trio at 120 bpm in F major with piano, upright bass and drums, "
                                      "relaxed mood, AABA form", suggestion_count=5)
    dims = {s.dimension for s in r.suggestions}
    assert not dims & {"tempo", "key", "instrumentation", "genre"}
    assert len(r.suggestions) >= 0


def test_suggest_on_empty_is_safe(aurora: Aurora) -> None:
    assert len(aurora.suggest(partial_prompt="").suggestions) >= 3


class _TimingOut:
    name = "codex"

    def __init__(self, resources: Resources) -> None:
        self.calls = 0

    def available(self) -> bool:
        return True

    def enhance(self, request: EnhanceRequest) -> EnhanceResult:
        raise CodexTimeoutError("scripted timeout")

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        raise CodexTimeoutError("scripted timeout")

    def plan(self, parameters: PlanParameters) -> PlanOutput:
        raise CodexTimeoutError("scripted timeout")


class _Broken:
    name = "rule_based"

    def __init__(self, resources: Resources) -> None:
        pass

    def available(self) -> bool:
        return True

    def enhance(self, request: EnhanceRequest) -> EnhanceResult:
        raise ValueError("bug")

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        raise KeyError("bug")

    def plan(self, parameters: PlanParameters) -> PlanOutput:
        raise ValueError("bug")


@pytest.fixture
def scripted_registry() -> Iterator[None]:
    saved = dict(REGISTRY)
    REGISTRY["codex"] = _TimingOut  # type: ignore[assignment]
    yield
    REGISTRY.clear()
    REGISTRY.update(saved)


def test_failed_level_is_recorded_and_next_serves(scripted_registry: None, kb: KnowledgeBase) -> None:
    a = Aurora(config=AuroraConfig(implementations=("codex", "rule_based", "defaults")), knowledge_base=kb)
    r = a.parse(prompt="funky disco at 118 bpm")
    meta = r.aurora_metadata
    assert meta is not None and meta.implementation == "rule_based"
    assert [(x.implementation, x.error_code) for x in meta.attempts] == [
        ("codex", "AURORA_CODEX_TIMEOUT"), ("rule_based", None)]
    assert r.parsed_parameters.tempo.bpm == 118


def test_defaults_always_answer(kb: KnowledgeBase) -> None:
    saved = dict(REGISTRY)
    try:
        REGISTRY["rule_based"] = _Broken  # type: ignore[assignment]
        a = Aurora(config=AuroraConfig(implementations=("rule_based", "defaults")), knowledge_base=kb)
        r = a.parse(prompt="anything at all")
        assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "defaults"
        assert r.control_encoder_params is not None
        e = a.enhance(prompt="anything at all")
        assert e.enhanced_prompt == "anything at all" and e.aurora_metadata.implementation == "defaults"  # type: ignore[union-attr]
    finally:
        REGISTRY.clear()
        REGISTRY.update(saved)


class _RuleTierBug(_Broken):
    """A rule tier with a bug: an unexpected exception, not one of Aurora's coded errors."""

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        raise RuntimeError("rule tier bug")


def test_a_bug_in_a_level_is_logged_with_its_traceback(kb: KnowledgeBase, caplog: pytest.LogCaptureFixture) -> None:
    saved = dict(REGISTRY)
    try:
        REGISTRY["rule_based"] = _RuleTierBug  # type: ignore[assignment]
        a = Aurora(config=AuroraConfig(implementations=("rule_based", "defaults")), knowledge_base=kb)
        with caplog.at_level(logging.INFO, logger="aurora.facade"):
            r = a.parse(prompt="anything at all")
    finally:
        REGISTRY.clear()
        REGISTRY.update(saved)
    meta = r.aurora_metadata
    assert meta is not None and meta.implementation == "defaults"  # defaults still served
    assert [(x.implementation, x.error_code) for x in meta.attempts] == [
        ("rule_based", "AURORA_IMPLEMENTATION_ERROR"), ("defaults", None)]
    assert "RuntimeError: rule tier bug" in (meta.attempts[0].message or "")
    logged = [rec for rec in caplog.records if rec.exc_info and isinstance(rec.exc_info[1], RuntimeError)]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert "rule_based" in logged[0].getMessage()
    assert "Traceback" in caplog.text and "rule tier bug" in caplog.text


def test_every_configured_level_is_a_registered_implementation(aurora: Aurora) -> None:
    """The real levels the facade built (not a test double) satisfy the Protocol and come from the registry."""
    assert {"codex", "local_llm", "rule_based", "defaults"} <= set(REGISTRY)
    assert [impl.name for impl in aurora.implementations] == ["rule_based", "defaults"]
    for impl in aurora.implementations:
        assert isinstance(impl, Implementation)
        assert type(impl) is type(REGISTRY[impl.name](impl._resources))  # type: ignore[attr-defined]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aurora", *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_cli_json_and_text() -> None:
    out = run_cli("parse", "dark techno at 130 bpm in A minor", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["parsed_parameters"]["tempo"]["bpm"] == 130
    assert len(data["control_encoder_params"]["unified_control_embedding"]) == 640
    text = run_cli("process", "gentle waltz with harp", "--duration", "20")
    assert text.returncode == 0 and "3/4" in text.stdout and "Timings" in text.stdout
    bad = run_cli("parse", "   ")
    assert bad.returncode == 2 and "AURORA_INPUT_EMPTY" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_stdout_carries_only_the_result(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A library that prints while Aurora works (pyfluidsynth does when CI is set) must not break --json."""
    from aurora import cli, facade

    real_parse = facade.Aurora.parse

    def chatty_parse(self: Aurora, **kwargs: object) -> object:
        print("'fluidsynth' was found at libfluidsynth.so.3.")
        return real_parse(self, **kwargs)

    monkeypatch.setattr(facade.Aurora, "parse", chatty_parse)
    assert cli.main(["parse", "dark techno at 130 bpm in A minor", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["parsed_parameters"]["tempo"]["bpm"] == 130
    assert "fluidsynth" in captured.err
