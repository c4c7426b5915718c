"""Who plays which part in a clip: a line-up's counter line plays at the fullest level the piece reaches (a 30 s
mariachi, one mid-level verse, had no violins: the counter played only at the high level the clip never reached),
and in a genre that riffs the riff guitar keeps the comping part beside a named keyboard or orchestra."""

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


@pytest.mark.parametrize(("prompt", "named", "its_part"), [
    ("power metal with keyboards, epic, 180 bpm", "keyboard", "pad"),   # had taken the riff: 52 guitar pad notes
    ("symphonic metal with choir and orchestra", "orchestra", "lead"),  # had had no guitar at all
])
def test_in_a_genre_that_riffs_the_riff_guitar_keeps_its_part(aurora: Aurora, engine: Engine, prompt: str,
                                                               named: str, its_part: str) -> None:
    """A player named with no part of its own takes the part its genre gives it beside the riff guitar."""
    _plan, score = render_prompt(aurora, engine, prompt)
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("harmony") == "distorted_guitar" and parts.get(its_part) == named, parts
