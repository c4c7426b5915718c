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


@pytest.mark.parametrize("prompt", ["ragtime piano, 100 bpm", "scott joplin style rag", "a rag"])
def test_ragtime_is_one_pianist_striding(aurora: Aurora, prompt: str) -> None:
    """"ragtime piano" had been a jazz combo (drums, double bass, a saxophone on the tune) swinging at 0.65, the piano
    a honky-tonk one comping. A rag is one pianist: the left hand's bass and chords, the right hand's tune."""
    from engine import Engine

    result = aurora.process(prompt=prompt, duration_s=20.0, seed=0)
    params = result.parse.parsed_parameters
    assert params.sub_genre.value == "Ragtime"
    score = Engine(device="cpu").render(
        plan=result.plan.structural_plan.model_dump(by_alias=True), parameters=params.model_dump(by_alias=True),
        control_embedding=list(result.parse.control_encoder_params.unified_control_embedding), duration_s=20.0,
        sample_rate=22050, seed=0).score
    assert {t.role: t.instrument_id for t in score.tracks} == {"bass": "piano", "harmony": "piano", "lead": "piano"}
    beat = score.step_s * 4
    bass_on_beats = [n for t in score.tracks if t.role == "bass" for n in t.notes]
    assert all(abs(n.start_s / beat - round(n.start_s / beat)) < 0.1 for n in bass_on_beats)  # the stride's bass
    chords = [n for t in score.tracks if t.role == "harmony" for n in t.notes]
    chords = [n for n in chords if n.start_s < max(c.start_s for c in chords) - 0.01]  # the final chord: on the one
    assert all(abs(n.start_s / beat - round(n.start_s / beat) - 0.5) < 0.1 or
               abs(n.start_s / beat - round(n.start_s / beat) + 0.5) < 0.1 for n in chords)  # its chords between
