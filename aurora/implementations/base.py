"""The one small Protocol every NLP implementation (codex, local_llm, rule_based, defaults) follows,
and the registry the facade picks them from by name. Adding an implementation is one new module
that calls ``register``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from aurora.contracts import (
    CleanPrompt,
    EnhanceContext,
    EnhanceResult,
    ParsedMusicalParameters,
    PlanParameters,
    StructuralPlan,
)
from aurora.parser.semantic import SemanticParser
from aurora.planner import StructuralPlanner
from knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class EnhanceRequest:
    clean: CleanPrompt
    context: EnhanceContext | None
    level: str
    quick_parse: ParsedMusicalParameters | None = None


@dataclass
class ParseOutput:
    parameters: ParsedMusicalParameters
    warnings: list[str] = field(default_factory=list)


@dataclass
class PlanOutput:
    plan: StructuralPlan
    warnings: list[str] = field(default_factory=list)


@runtime_checkable
class Implementation(Protocol):
    """One way of doing Aurora's NLP tasks. Raise an ``ImplementationError`` subclass (with its
    spec code) to hand the task to the next level; never return a half-valid result."""

    name: str

    def available(self) -> bool:
        """Configured and believed healthy; False skips this level at no cost."""
        ...

    def enhance(self, request: EnhanceRequest) -> EnhanceResult: ...

    def parse(self, clean: CleanPrompt) -> ParseOutput: ...

    def plan(self, parameters: PlanParameters) -> PlanOutput: ...


@dataclass
class Resources:
    """What implementations share: loaded once per Aurora instance."""

    kb: KnowledgeBase
    parser: SemanticParser
    planner: StructuralPlanner
    settings: dict[str, object] = field(default_factory=dict)


Factory = Callable[[Resources], Implementation]
REGISTRY: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    def wrap(factory: Factory) -> Factory:
        REGISTRY[name] = factory
        return factory
    return wrap
