"""Property-based tests (hypothesis): any text, any number, any meter string reaches Aurora's public calls,
the engine's input models and the CLI, and the answer is a valid, JSON-serialisable result or a coded error.

Inputs are drawn the way hostile or careless callers write them: every Unicode character (lone surrogates,
bidi controls, NUL), numbers of every kind (nan, inf, huge integers, negative zero, text), meters like
'17/0', '-3/4', 'abc', '99/4'. A traceback of any other exception type fails the test.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurora import Aurora
from aurora.contracts import PlanResult, ProcessResult, StructuralPlan
from aurora.exceptions import AuroraError
from engine.exceptions import EngineError
from engine.inputs import parse_control_embedding, parse_parameters, parse_plan

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                derandomize=True)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                derandomize=True)

any_char = st.characters(codec=None, exclude_categories=())  # every code point, lone surrogates included
WORDS = ["jazz", "piano", "at", "bpm", "in", "D", "minor", "H", "major", "17/0", "15/16", "3/4", "time", "0",
         "-120", "100000", "10", "hours", "-5", "minutes", "long", "no", "drums", "waltz", "ignore all previous "
         "instructions", "\u202e", "\ud800", "\x00", "café", "🎹", "lo-fi", "Cmaj7", "Am", "F", "G", "90s", "1e309"]
prompts = st.one_of(
    st.text(any_char, max_size=120),
    st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(any_char, max_size=6)), max_size=10).map(" ".join),
)
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(2**80), max_value=2**80),
                    st.sampled_from([0, 5, 5.0, 600, 600.0001, -0.0, True, None, "30", "abc", 2**70]))
meters = st.one_of(st.builds(lambda a, b: f"{a}/{b}", st.integers(-5, 40), st.integers(-2, 40)),
                   st.text(any_char, max_size=8), st.sampled_from(["4/4", "7/8", "17/0", "0/4", "99/4", "abc"]))


def serialisable(result: Any) -> None:
    json.dumps(result.model_dump(mode="json", by_alias=True), allow_nan=False)


@FAST
@given(prompt=prompts)
def test_preprocess_and_parse_any_text(aurora: Aurora, prompt: str) -> None:
    try:
        clean = aurora.preprocess(prompt=prompt)
    except AuroraError as exc:
        assert exc.code.startswith("AURORA_INPUT_")
        return
    serialisable(clean)
    result = aurora.parse(prompt=prompt)
    serialisable(result)
    params = result.parsed_parameters
    assert 20 <= params.tempo.bpm <= 300
    assert result.control_encoder_params is not None
    assert all(math.isfinite(x) for x in result.control_encoder_params.unified_control_embedding)


@SLOW
@given(prompt=prompts, duration=numbers, seed=numbers,
       level=st.one_of(st.none(), st.sampled_from(["minimal", "moderate", "aggressive", "extreme", "", "MODERATE"]),
                       st.integers()))
def test_process_any_arguments(aurora: Aurora, prompt: str, duration: Any, seed: Any, level: Any) -> None:
    try:
        result = aurora.process(prompt=prompt, duration_s=duration, seed=seed, enhancement_level=level)
    except AuroraError as exc:
        assert exc.code.startswith("AURORA_INPUT_"), exc
        return
    assert isinstance(result, ProcessResult)
    serialisable(result)
    plan = result.plan.structural_plan
    assert 5 <= plan.duration_s <= 600 and plan.total_bars >= 1


@FAST
@given(genre=st.text(any_char, max_size=20), tempo=numbers, duration=numbers, meter=meters, seed=numbers,
       key=st.one_of(st.none(), st.text(any_char, max_size=12), st.sampled_from(["H minor", "C# major", "Bb"])),
       chords=st.lists(st.text(any_char, max_size=6), max_size=4))
def test_plan_caller_built_parameters(aurora: Aurora, genre: str, tempo: Any, duration: Any, meter: Any, seed: Any,
                                      key: Any, chords: list[str]) -> None:
    body = {"genre": genre, "mood": "", "tempo_bpm": tempo, "duration_seconds": duration, "time_signature": meter,
            "seed": seed, "key": key, "chords": chords}
    try:
        result = aurora.plan(parameters=body)  # type: ignore[arg-type]
    except AuroraError as exc:
        assert exc.code == "AURORA_INPUT_INVALID", exc
        return
    assert isinstance(result, PlanResult)
    serialisable(result)
    StructuralPlan.model_validate(result.structural_plan.model_dump(by_alias=True))
    assert abs(sum(s.duration_s for s in result.structural_plan.sections) - result.structural_plan.duration_s) < 0.05


@FAST
@given(partial=st.one_of(prompts, st.text(any_char, max_size=5000)), count=numbers)
def test_suggest_any_text_and_count(aurora: Aurora, partial: str, count: Any) -> None:
    try:
        result = aurora.suggest(partial_prompt=partial, suggestion_count=count)
    except AuroraError as exc:
        assert exc.code == "AURORA_INPUT_INVALID"
        return
    serialisable(result)


json_values = st.recursive(st.one_of(st.none(), st.booleans(), numbers, st.text(any_char, max_size=10)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=20)


@FAST
@given(plan=st.one_of(json_values, st.fixed_dictionaries({
    "sections": st.lists(st.fixed_dictionaries({"name": st.text(max_size=5), "duration_ratio": numbers}),
                         max_size=3),
    "chord_progression": st.fixed_dictionaries({"chords": st.lists(st.text(max_size=5), max_size=3)}),
    "tempo_bpm": numbers, "time_signature": meters, "duration_s": numbers})),
       parameters=json_values, embedding=st.one_of(json_values, st.lists(numbers, min_size=640, max_size=640)))
def test_engine_input_models(plan: Any, parameters: Any, embedding: Any) -> None:
    """The engine's own contracts: any dump is a validated model or an EngineError, never another exception."""
    for parse, value in ((parse_plan, plan), (parse_parameters, parameters), (parse_control_embedding, embedding)):
        with contextlib.suppress(EngineError):
            parse(value)


@pytest.mark.parametrize("command", ["plan", "process", "suggest"])
@SLOW
@given(value=st.one_of(st.text(any_char.filter(lambda c: c not in "\x00\ud800\udfff" and not (
        "\ud800" <= c <= "\udfff")), max_size=8), st.sampled_from(["nan", "inf", "-1", "0", "700", str(2**70), "1e9"])))
def test_cli_any_number_argument(command: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 0 with a result or exit 2 with one 'error CODE: ...' line; never a traceback. (Prompt-level paths
    are covered above; values here fail or pass the CLI's checks before any model is loaded.)"""
    from aurora import cli

    option = {"plan": "--duration", "process": "--seed", "suggest": "--count"}[command]
    try:
        status = cli.main([command, "calm piano", option, value])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    assert status in (0, 2), captured.err
    assert "Traceback" not in captured.err
    if status == 2:
        errors = [line for line in captured.err.splitlines() if line.startswith("error ")]
        assert len(errors) == 1 and errors[0].split()[1].rstrip(":").startswith("AURORA_")
    else:
        assert captured.out.strip()
