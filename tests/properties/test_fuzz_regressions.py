"""Regression tests for the crashes bench.fuzz found (one test per class of crash, inputs decoded by hand)."""

from __future__ import annotations

import json

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
