"""local_llm on a tiny random Llama loaded through the real from_pretrained path: whatever the weights,
xgrammar keeps the reply inside the schema, so the result validates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aurora import Aurora, PlanParameters
from aurora.contracts import ParsedMusicalParameters, StructuralPlan
from aurora.implementations.local_llm import LocalLLMImplementation
from knowledge_base import KnowledgeBase

LEVELS = ("local_llm", "rule_based", "defaults")


def local_of(a: Aurora) -> LocalLLMImplementation:
    impl = next(i for i in a.implementations if i.name == "local_llm")
    assert isinstance(impl, LocalLLMImplementation)
    return impl


def test_parse_is_schema_valid_and_keeps_stated_facts(tiny_model_dir: Path, kb: KnowledgeBase,
                                                      make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(implementations=LEVELS, local_model=str(tiny_model_dir))
    r = a.parse(prompt="a dreamy synthwave track at 96 bpm in E minor")
    meta = r.aurora_metadata
    assert meta is not None and meta.implementation == "local_llm", meta
    assert [x.error_code for x in meta.attempts] == [None]
    p = ParsedMusicalParameters.model_validate(r.parsed_parameters.model_dump())
    assert p.tempo.bpm == 96 and p.key_signature.value == "E minor"  # stated: the rule tier wins
    assert kb.find_structure(p.structure.value) is not None  # chosen from the KB by the grammar
    assert all(kb.find_instrument(i.name) is not None for i in p.instrumentation)
    assert local_of(a).stats.new_tokens > 0
    assert r.control_encoder_params is not None


def test_plan_is_schema_valid(tiny_model_dir: Path, make_aurora: Callable[..., Aurora]) -> None:
    a = make_aurora(implementations=LEVELS, local_model=str(tiny_model_dir))
    r = a.plan(parameters=PlanParameters(genre="House", mood="euphoric", tempo_bpm=124, duration_seconds=30))
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "local_llm", r.aurora_metadata
    plan = StructuralPlan.model_validate(r.structural_plan.model_dump(by_alias=True))
    assert sum(s.bars for s in plan.sections) == plan.total_bars


def test_missing_model_is_skipped_after_first_failure(make_aurora: Callable[..., Aurora], tmp_path: Path) -> None:
    empty = tmp_path / "not-a-model"  # a folder without model files: the load fails at run time
    empty.mkdir()
    a = make_aurora(implementations=LEVELS, local_model=str(empty))
    r = a.parse(prompt="lofi beat")
    assert r.aurora_metadata is not None and r.aurora_metadata.implementation == "rule_based"
    assert r.aurora_metadata.attempts[0].error_code == "AURORA_LOCAL_LLM_UNAVAILABLE"
    again = a.parse(prompt="lofi beat again")
    assert again.aurora_metadata is not None and [(x.implementation, x.skipped) for x in
                                                  again.aurora_metadata.attempts] == [("local_llm", True),
                                                                                      ("rule_based", False)]
    assert "failed to load" in (again.aurora_metadata.attempts[0].message or "")
