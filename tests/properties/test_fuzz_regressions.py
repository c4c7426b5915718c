"""Regression tests for the crashes bench.fuzz found (one test per class of crash, inputs decoded by hand)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aurora import Aurora


def test_plan_parameters_with_lone_surrogates_serialise(aurora: Aurora) -> None:
    """bench.fuzz plan-001..374: a caller-built plan whose genre, mood, key, structure or chords held lone
    surrogates raised PydanticSerializationError (cache key, then the result). Strings are now made readable
    at the boundary, as prompts are."""
    body = {"genre": "rock\udddd", "mood": "\udc8a", "tempo_bpm": 120, "duration_seconds": 30,
            "key": "C\udfff major", "structure": "\ud800verse", "chords": ["Am\udd23"], "time_signature": "4/4"}
    result = aurora.plan(parameters=body)  # type: ignore[arg-type]
    json.dumps(result.model_dump(mode="json", by_alias=True))
    assert result.structural_plan.duration_s == 30


@pytest.mark.parametrize("settings", [{"duration_s": "abc"}, {"duration_s": float("nan")}, {"duration_s": None},
                                      {"duration_s": 30.0, "seed": 2**70}, {"duration_s": 30.0, "seed": -1},
                                      {"duration_s": 30.0, "seed": True}, {"duration_s": 30.0, "seed": 1.5}])
def test_engine_render_refuses_bad_duration_and_seed_before_any_work(settings: dict[str, Any]) -> None:
    """Engine.render compared a text duration with numbers (TypeError) and handed a 2**70 seed to numpy."""
    from engine import Engine
    from engine.exceptions import EngineInputError

    with pytest.raises(EngineInputError):
        Engine(device="cpu").render(plan={}, parameters={}, control_embedding=[], **settings)
