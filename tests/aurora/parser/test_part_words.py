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
    ("guitar chords and a violin lead", {"Guitar": "harmony", "Violin": "lead"}),
    ("guitar and a violin lead", {"Guitar": "harmony", "Violin": "lead"}),
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
