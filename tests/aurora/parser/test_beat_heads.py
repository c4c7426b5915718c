"""A beat is a hip hop instrumental: "chill beat", "sad beat", "a beat for rapping" name no genre, and had fallen to
the default pop (or hyperpop) at pop's tempo. A beat that is part of something else ("a steady drum beat"), a
refused one ("no beat") and a genre named beside it ("house beat") keep their genres."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize(("prompt", "sub_genres"), [
    ("chill beat, 90 bpm", {"Lo-fi Hip Hop"}),
    ("dark beat with piano", {"Trap", "Drill", "Phonk"}),
    ("a beat for rapping", {None, "Boom Bap"}),
    ("west coast type beat", {None, "Trap", "Boom Bap"}),
    ("sad beat", {None, "Trap", "Lo-fi Hip Hop", "Boom Bap"}),
    ("bouncy beat", {None, "Boom Bap", "Trap", "Baile Funk"}),
])
def test_a_beat_alone_is_hip_hop(aurora: Aurora, prompt: str, sub_genres: set[str | None]) -> None:
    params = aurora.parse(prompt=prompt).parsed_parameters
    assert params.genre.value == "Hip Hop" and params.sub_genre.value in sub_genres, \
        (params.genre.value, params.sub_genre.value)


@pytest.mark.parametrize(("prompt", "genre"), [
    ("rock song with a steady drum beat", "Rock"), ("house beat 124", "Electronic"),
    ("piano and strings, no beat", "Pop"), ("jazzy beat", "Jazz"), ("upbeat happy pop song", "Pop"),
])
def test_a_beat_beside_a_genre_or_as_a_drum_part_names_no_family(aurora: Aurora, prompt: str, genre: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.genre.value == genre


def test_a_long_description_s_beat_is_the_drums(aurora: Aurora) -> None:
    """A caption that describes music ("the song has a punchy beat and a warm bassline ...") names no hip hop: the
    head-word reading is a short request's. ConceptCaps' tempo tags had lost 0.7 points to it."""
    text = "the song has a punchy beat, a warm bassline, bright synth chords and a catchy melody over the top"
    assert aurora.parse(prompt=text).parsed_parameters.genre.value != "Hip Hop"
