"""Piano styles are their own: "boogie woogie piano" had been a rock and roll band with an electric guitar on the
tune and the piano comping; "barrelhouse" was not known at all."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize("prompt", ["boogie woogie piano, upbeat", "barrelhouse piano, 140 bpm",
                                    "Boogie-Woogie", "fast piano boogie"])
def test_boogie_woogie_is_a_piano_style(aurora: Aurora, prompt: str) -> None:
    result = aurora.process(prompt=prompt, duration_s=30.0, seed=0)
    params = result.parse.parsed_parameters
    assert params.sub_genre.value == "Boogie-Woogie", (params.genre.value, params.sub_genre.value)
    players = {i.name: i.role for i in params.instrumentation}
    assert players.get("Piano") == "lead" and "Electric Guitar" not in players, players
    assert result.plan.structural_plan.structure_type == "12-Bar Blues"


def test_rock_and_roll_keeps_its_band(aurora: Aurora) -> None:
    params = aurora.parse(prompt="rock and roll, 50s, upbeat").parsed_parameters
    assert params.sub_genre.value == "Rock and Roll"
