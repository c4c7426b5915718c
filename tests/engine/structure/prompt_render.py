"""A prompt rendered the way the app renders it (Aurora's plan, the engine at the plan's duration), for tests that
judge what a user's words turn into."""

from __future__ import annotations

from aurora import Aurora
from aurora.contracts import StructuralPlan
from engine import Engine
from engine.score import Score


def render_prompt(aurora: Aurora, engine: Engine, prompt: str,
                  duration_s: float = 30.0) -> tuple[StructuralPlan, Score]:
    result = aurora.process(prompt=prompt, duration_s=duration_s, seed=0)
    plan = result.plan.structural_plan
    encoded = result.parse.control_encoder_params
    assert encoded is not None
    score = engine.render(plan=plan.model_dump(by_alias=True),
                          parameters=result.parse.parsed_parameters.model_dump(by_alias=True),
                          control_embedding=list(encoded.unified_control_embedding),
                          duration_s=plan.duration_s, sample_rate=22050, seed=0).score
    return plan, score
