"""A line-up's counter line plays at the fullest level the piece reaches: a 30 s mariachi (one mid-level verse) had no
violins, the counter playing only at the high level the clip never reached."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(device="cpu")


@pytest.mark.parametrize(("prompt", "counter"), [("a mariachi song", "violin"),
                                                 ("a celtic air, gentle", "accordion")])
def test_the_line_up_s_counter_line_is_heard_in_a_clip(aurora: Aurora, engine: Engine, prompt: str,
                                                      counter: str) -> None:
    result = aurora.process(prompt=prompt, duration_s=30, seed=0)
    plan = result.plan.structural_plan
    score = engine.render(plan=plan.model_dump(by_alias=True),
                          parameters=result.parse.parsed_parameters.model_dump(by_alias=True),
                          control_embedding=list(result.parse.control_encoder_params.unified_control_embedding),
                          duration_s=plan.duration_s, sample_rate=22050, seed=0).score
    played = {t.instrument_id: len(t.notes) for t in score.tracks if t.role == "counter"}
    assert played.get(counter, 0) >= 8, played
