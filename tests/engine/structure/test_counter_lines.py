"""A line-up's counter line plays at the fullest level the piece reaches: a 30 s mariachi (one mid-level verse) had no
violins, the counter playing only at the high level the clip never reached."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine import Engine
from tests.engine.structure.prompt_render import render_prompt


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(device="cpu")


@pytest.mark.parametrize(("prompt", "counter"), [("a mariachi song", "violin"),
                                                 ("a celtic air, gentle", "accordion")])
def test_the_line_up_s_counter_line_is_heard_in_a_clip(aurora: Aurora, engine: Engine, prompt: str,
                                                      counter: str) -> None:
    _plan, score = render_prompt(aurora, engine, prompt)
    played = {t.instrument_id: len(t.notes) for t in score.tracks if t.role == "counter"}
    assert played.get(counter, 0) >= 8, played
