"""Which answers Aurora caches and how: one ``CachedAnswer`` per task (its tier, its normalised input, a JSON
codec). Only model answers are cached (spec §10.1): they are slow and cost money; the rule tier is fast and
deterministic. The facade asks these for the key and the codec; aurora/cache.py stores the text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from aurora.cache import Tier
from aurora.contracts import CleanPrompt, EnhanceResult, ParsedMusicalParameters, PlanParameters, StructuralPlan
from aurora.implementations.base import EnhanceRequest, ParseOutput, PlanOutput
from aurora.implementations.llm_common import LLM_LEVELS

T = TypeVar("T")
CACHED_LEVELS = LLM_LEVELS
"""Only model answers are cached: they are slow and cost money; the rule tier is fast and deterministic."""


@dataclass(frozen=True)
class CachedAnswer(Generic[T]):
    """How one task's result is cached: its tier (TTL), its normalised input and a JSON codec."""

    tier: Tier
    normalised_input: str
    encode: Callable[[T], str]
    decode: Callable[[str], T]


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def enhance_answer(request: EnhanceRequest) -> CachedAnswer[EnhanceResult]:
    context = request.context.model_dump_json() if request.context else ""
    return CachedAnswer("session", f"{_normalised(request.clean.text)}|{request.level}|{context}",
                   lambda r: r.model_dump_json(exclude={"aurora_metadata", "notes"}), EnhanceResult.model_validate_json)


def parse_answer(clean: CleanPrompt) -> CachedAnswer[ParseOutput]:
    def encode(out: ParseOutput) -> str:
        return json.dumps({"parameters": out.parameters.model_dump(mode="json"), "warnings": out.warnings})

    def decode(text: str) -> ParseOutput:
        data = json.loads(text)
        return ParseOutput(ParsedMusicalParameters.model_validate(data["parameters"]), list(data["warnings"]))

    return CachedAnswer("global", _normalised(clean.text), encode, decode)


def plan_answer(parameters: PlanParameters) -> CachedAnswer[PlanOutput]:
    def encode(out: PlanOutput) -> str:
        return json.dumps({"plan": out.plan.model_dump(mode="json", by_alias=True), "warnings": out.warnings})

    def decode(text: str) -> PlanOutput:
        data = json.loads(text)
        return PlanOutput(StructuralPlan.model_validate(data["plan"]), list(data["warnings"]))

    return CachedAnswer("global", parameters.model_dump_json(), encode, decode)
