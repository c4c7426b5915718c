"""Who plays what: a part word belongs to the player it is written with.

"piano chords with a flute melody" had given the melody to both (the piano's window of 50 characters reached the
flute's "melody", and the alias "piano chords" hid its own part word), and "synth pad under a piano melody" had
the piano comping under an inferred flute.
"""

from __future__ import annotations

import pytest

from aurora import Aurora


def _roles(aurora: Aurora, prompt: str) -> dict[str, str]:
    return {i.name: i.role for i in aurora.parse(prompt=prompt).parsed_parameters.instrumentation
            if i.source == "stated"}


@pytest.mark.parametrize(("prompt", "roles"), [
    ("piano chords with a flute melody", {"Piano": "harmony", "Flute": "lead"}),
    ("guitar chords and a violin lead", {"Electric Guitar": "harmony", "Violin": "lead"}),  # pop's guitar
    ("guitar and a violin lead", {"Electric Guitar": "harmony", "Violin": "lead"}),
    ("synth pad under a piano melody", {"Synth Pad": "pad", "Piano": "lead"}),
    ("strings carry the melody over piano chords", {"String Section": "lead", "Piano": "harmony"}),
    ("lofi beat, guitar melody, rhodes chords", {"Guitar": "lead", "Rhodes": "harmony"}),
    ("violin playing the melody over piano", {"Violin": "lead", "Piano": "harmony"}),
])
def test_a_part_word_is_its_own_player_s(aurora: Aurora, prompt: str, roles: dict[str, str]) -> None:
    assert _roles(aurora, prompt) == roles


def test_a_stated_melody_leaves_no_room_for_an_inferred_lead(aurora: Aurora) -> None:
    parsed = aurora.parse(prompt="synth pad under a piano melody").parsed_parameters
    assert [i.name for i in parsed.instrumentation if i.role == "lead"] == ["Piano"]


@pytest.mark.parametrize(("prompt", "name", "role"), [
    ("rock with a guitar riff", "Guitar", "harmony"),  # a riff is the rhythm guitar's part, no melody
    ("funky bass line and drums", "Bass Guitar", "bass"),
    ("solo piano, sad", "Piano", "harmony"),
])
def test_a_name_that_holds_a_part_word_keeps_its_role(aurora: Aurora, prompt: str, name: str, role: str) -> None:
    assert _roles(aurora, prompt)[name] == role


def test_a_participle_before_another_player_describes_it(aurora: Aurora) -> None:
    """"a screaming guitar solo" had stated a screamed vocal (the alias "screaming") beside the lead guitar."""
    names = _roles(aurora, "hard rock anthem with a screaming guitar solo over pounding drums")
    assert "Screamed Vocals" not in names and names["Lead Guitar"] == "lead"
    assert "Screamed Vocals" in _roles(aurora, "metalcore with screaming and breakdowns, distorted guitars")


def _all_roles(aurora: Aurora, prompt: str) -> dict[str, str]:
    return {i.name: i.role for i in aurora.parse(prompt=prompt).parsed_parameters.instrumentation}


@pytest.mark.parametrize(("prompt", "name", "role"), [
    ("gentle classical piece in D major with piano", "Piano", "lead"),  # it comped under an inferred upright piano
    ("rock in E mixolydian, 130 bpm, crunchy guitars", "Distorted Guitar", "harmony"),  # the riff guitar
    ("7/8 balkan folk dance w/ accordion and clarinet, fast 160 bpm", "Clarinet", "lead"),
    ("military parade music with piccolo and trumpets", "Trumpet", "lead"),
])
def test_a_stated_player_plays_its_part_in_the_style_s_line_up(aurora: Aurora, prompt: str, name: str,
                                                               role: str) -> None:
    assert _all_roles(aurora, prompt)[name] == role


@pytest.mark.parametrize(("prompt", "lead", "bass"), [
    ("folk song with acoustic guitar and fiddle, 3/4", "Violin", None),  # not an inferred harmonica
    ("country ballad w/ steel guitar, 72 bpm, key of G", "Slide Guitar", None),
    ("violin viola cello, something calm", None, "Cello"),  # not an inferred double bass
    ("sad song, no drums, cello and piano", None, "Cello"),
])
def test_the_melody_and_the_bass_stay_with_stated_players(aurora: Aurora, prompt: str, lead: str | None,
                                                          bass: str | None) -> None:
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    for role, name in (("lead", lead), ("bass", bass)):
        if name is not None:
            assert [i.name for i in parsed.instrumentation if i.role == role] == [name], parsed.instrumentation


@pytest.mark.parametrize("prompt", ["reggae roots in D, skank guitar and organ, 80bpm",
                                    "funk in E minor w/ clavinet + bass, 100 bpm",
                                    "heavy metal at 180 bpm with double kick and distorted guitar"])
def test_a_guitar_or_keyboard_in_the_rhythm_part_leaves_the_beat_to_the_drums(aurora: Aurora, prompt: str) -> None:
    roles = _all_roles(aurora, prompt)
    assert any(name in roles for name in ("Drum Kit", "Kick Drum")), roles
