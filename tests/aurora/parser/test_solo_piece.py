"""A piece for one player alone ("solo guitar, gentle", "a sad piano piece", "a gentle guitar piece") closes the
line-up to that player and, where the text names no genre, is in the player's own repertoire (instruments.yaml
``solo_genre``): they had been hard rock at 115 BPM with a lead guitar, film music with an orchestra, a pop band."""

from __future__ import annotations

import pytest

from aurora import Aurora


def lineup(aurora: Aurora, prompt: str) -> tuple[str, str | None, list[str]]:
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    return parsed.genre.value, parsed.sub_genre.value, [i.name for i in parsed.instrumentation]


@pytest.mark.parametrize(("prompt", "genre", "player"), [
    ("solo guitar, gentle", "Folk", "Acoustic Guitar"),
    ("a gentle guitar piece", "Folk", "Acoustic Guitar"),
    ("solo piano", "Classical", "Piano"),
    ("a sad piano piece", "Classical", "Piano"),
    ("solo violin, sad", "Classical", "Violin"),
    ("harpsichord piece, happy", "Classical", "Harpsichord"),
])
def test_a_piece_for_one_player_is_that_player_alone_in_its_own_repertoire(aurora: Aurora, prompt: str, genre: str,
                                                                           player: str) -> None:
    found_genre, _, players = lineup(aurora, prompt)
    assert found_genre == genre
    assert players == [player]


def test_a_stated_genre_or_an_open_line_up_keeps_the_ranking(aurora: Aurora) -> None:
    assert lineup(aurora, "rock guitar piece")[0] == "Rock"  # a genre named
    assert lineup(aurora, "jazz piano solo")[0] == "Jazz"
    assert len(lineup(aurora, "an epic orchestral piece")[2]) > 1  # an orchestra is no single player
    assert len(lineup(aurora, "lofi beat with piano")[2]) > 1  # the piano among others
