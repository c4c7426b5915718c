"""Level 3: knowledge base + rules + sentence embeddings. Offline, fast, always configured."""

from __future__ import annotations

from aurora.contracts import CleanPrompt, EnhanceResult, PlanParameters
from aurora.enhancer import RuleEnhancer
from aurora.implementations.base import (
    EnhanceRequest,
    Implementation,
    ParseOutput,
    PlanOutput,
    Resources,
    register,
)


class RuleBasedImplementation:
    name = "rule_based"

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._enhancer = RuleEnhancer(resources.kb)

    def available(self) -> bool:
        return True

    def enhance(self, request: EnhanceRequest) -> EnhanceResult:
        parsed = request.quick_parse or self._resources.parser.parse(request.clean).parameters
        return self._enhancer.enhance(clean=request.clean, parsed=parsed, context=request.context,
                                      level=request.level)

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        outcome = self._resources.parser.parse(clean)
        return ParseOutput(outcome.parameters, outcome.warnings)

    def plan(self, parameters: PlanParameters) -> PlanOutput:
        plan, warnings = self._resources.planner.plan(parameters)
        return PlanOutput(plan, warnings)


@register("rule_based")
def _factory(resources: Resources) -> Implementation:
    return RuleBasedImplementation(resources)
