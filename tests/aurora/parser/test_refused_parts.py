"""A refused part is left out whoever would play it: "no melody", "no bass", "without chords", "no beat".

"minimal techno, no melody" had a synth lead and an arpeggio; "ambient pads, no bass" refused only the bass guitar
and kept the style's synth bass; "trap beat without a bassline" was not read as a refusal at all ("without a").
"""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase


@pytest.mark.parametrize(("prompt", "refused"), [
    ("minimal techno, 128, hypnotic, no melody", ["lead"]),
    ("ambient pads, no bass", ["bass"]),
    ("trap beat without a bassline", ["bass"]),
    ("piano and strings, no drums or bass, sad", ["rhythm", "bass"]),
    ("deep house groove w/o chords", ["harmony"]),
    ("drum and bass, no pads", ["pad"]),
    ("synthwave, no arps", ["texture"]),
    ("chill guitar loop with no beat", ["rhythm"]),
    ("techno without any pads or chords", ["pad", "harmony"]),
])
def test_a_refused_part_is_read(aurora: Aurora, prompt: str, refused: list[str]) -> None:
    params = aurora.parse(prompt=prompt).parsed_parameters
    assert params.excluded_parts == refused
    assert "excluded_parts" in params.explicit


@pytest.mark.parametrize("prompt", [
    "no bass guitar, synth bass instead, funk",  # the instrument only: a synth bass is asked for
    "no piano melody, guitar",  # the piano's melody, not every melody
    "no drum and bass vibes, house",  # a genre's name
    "drum and bass with a heavy bassline",  # nothing refused
    "no vocals, piano and strings",  # a comma ends the refusal
])
def test_a_word_inside_an_instrument_or_genre_name_refuses_no_part(aurora: Aurora, prompt: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.excluded_parts == []


@pytest.mark.parametrize(("prompt", "role"), [
    ("ambient pads, no bass", "bass"), ("minimal techno, no melody", "lead"), ("house track, no chords", "harmony"),
])
def test_no_player_of_a_refused_part_is_guessed(aurora: Aurora, prompt: str, role: str) -> None:
    params = aurora.parse(prompt=prompt).parsed_parameters
    assert not [i.name for i in params.instrumentation if i.role == role and i.source != "stated"]


def test_a_refused_beat_is_the_drums_not_the_rhythm_guitar(aurora: Aurora, kb: KnowledgeBase) -> None:
    """The line-up's "rhythm" role is a drummer's and a rhythm guitarist's: "no drums" keeps funk's guitar."""
    params = aurora.parse(prompt="funk jam, no drums").parsed_parameters
    players = [kb.find_instrument(i.name) for i in params.instrumentation]
    assert not [p.id for p in players if p is not None and p.drum]
    assert [p.id for p in players if p is not None and p.family == "guitar"]
