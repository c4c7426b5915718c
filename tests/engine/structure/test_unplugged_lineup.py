"""An acoustic version's line-up (ParametersIn.acoustic): the style's electric players swapped for acoustic ones,
none drawn from anywhere else, a named one kept."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine import Engine
from tests.engine.structure.prompt_render import render_prompt

ELECTRIC = {"electric_guitar", "clean_electric_guitar", "distorted_guitar", "lead_guitar", "shred_guitar",
            "synthesizer", "synth_pad", "synth_lead", "electric_piano", "rhodes"}


@pytest.mark.parametrize("prompt", ["acoustic rock song", "unplugged rock ballad", "acoustic metal"])
def test_an_acoustic_version_plays_no_electric_player(aurora: Aurora, engine: Engine, prompt: str) -> None:
    _, score = render_prompt(aurora, engine, prompt, duration_s=20.0)
    played = {t.instrument_id for t in score.tracks}
    assert not played & ELECTRIC and "acoustic_guitar" in played, played


def test_a_named_electric_player_stays_in_an_acoustic_version(aurora: Aurora, engine: Engine) -> None:
    _, score = render_prompt(aurora, engine, "acoustic rock with an electric guitar solo", duration_s=20.0)
    assert {"electric_guitar", "lead_guitar"} & {t.instrument_id for t in score.tracks}
