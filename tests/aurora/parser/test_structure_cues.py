"""A cue word suggests a form only in the genres whose word it is (structures.yaml ``cue_genres``): a bluegrass
"breakdown" is a fiddle tune and a metalcore one a half-time riff, not a club track's intro, build and drop; a rock
song's guitar solos are not a jazz head-solos-head; a bagpipe's drone is no beatless ambient form. A form the prompt
names stays, whatever the genre."""

from __future__ import annotations

import pytest

from aurora import Aurora


def _form(aurora: Aurora, prompt: str) -> str:
    return aurora.parse(prompt=prompt).parsed_parameters.structure.value


@pytest.mark.parametrize("prompt", [
    "bluegrass breakdown, banjo fiddle mandolin, fast, G",
    "metalcore with a heavy breakdown, 140 bpm",
    "funk jam with a drum breakdown in the middle",
    "folk song that builds up to a big chorus",
])
def test_a_club_cue_in_another_genre_keeps_that_genres_form(aurora: Aurora, prompt: str) -> None:
    assert _form(aurora, prompt) != "EDM Build and Drop"


@pytest.mark.parametrize("prompt", [
    "celtic tune with bagpipe drone, 6/8",
    "folk song with a hurdy gurdy drone",
    "evolving techno track, 130 bpm",
])
def test_a_drone_or_an_evolving_track_outside_ambient_keeps_its_beat(aurora: Aurora, prompt: str) -> None:
    assert _form(aurora, prompt) != "Ambient Evolving"


@pytest.mark.parametrize("prompt", [
    "rock song with blistering guitar solos",
    "sitar raga with long improvisation",
])
def test_solos_outside_jazz_are_no_jazz_form(aurora: Aurora, prompt: str) -> None:
    assert _form(aurora, prompt) != "Jazz Head-Solos-Head"


@pytest.mark.parametrize(("prompt", "form"), [
    ("big room edm with a massive breakdown", "EDM Build and Drop"),
    ("dubstep track, the drop hits hard at 140", "EDM Build and Drop"),
    ("bebop tune with trading fours", "Jazz Head-Solos-Head"),
    ("slowly evolving ambient soundscape", "Ambient Evolving"),
    ("post rock, slowly evolving, big crescendo", "Ambient Evolving"),
    ("folk song in a build and drop structure", "EDM Build and Drop"),  # named: stated, whatever the genre
])
def test_a_cue_in_its_own_genre_and_a_named_form_stay(aurora: Aurora, prompt: str, form: str) -> None:
    assert _form(aurora, prompt) == form
