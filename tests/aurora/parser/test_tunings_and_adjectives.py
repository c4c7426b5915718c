"""Words users type for a style's home: a guitar tuning names the tonic ("metal, drop D" had been in E minor, a tone
above the dropped string), and "irish", "scottish" name the Celtic style ("irish pub song, accordion and fiddle" had
been pop with a drum kit, a bass guitar and a synth pad)."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize(("prompt", "key"), [
    ("heavy metal, no vocals, 200 bpm, drop D", "D"), ("djent in drop C, 7 string", "C"),
    ("doom metal tuned to drop-c#", "C#"), ("metal in Eb standard", "Eb"),
])
def test_a_tuning_names_the_tonic(aurora: Aurora, prompt: str, key: str) -> None:
    value = aurora.parse(prompt=prompt).parsed_parameters.key_signature.value
    assert value.split()[0] == key, value


@pytest.mark.parametrize(("prompt", "key"), [("drop D riffs in E minor", "E minor"), ("drop a beat, house", None)])
def test_a_stated_key_wins_and_drop_a_is_english(aurora: Aurora, prompt: str, key: str | None) -> None:
    params = aurora.parse(prompt=prompt).parsed_parameters
    if key is None:
        assert "key_signature" not in params.explicit
    else:
        assert params.key_signature.value == key


@pytest.mark.parametrize("prompt", ["irish pub song, accordion and fiddle, 3/4", "a scottish lament on bagpipes",
                                    "irish drinking song"])
def test_irish_and_scottish_name_the_celtic_style(aurora: Aurora, prompt: str) -> None:
    params = aurora.parse(prompt=prompt).parsed_parameters
    assert params.sub_genre.value == "Celtic", (params.genre.value, params.sub_genre.value)
    assert "Drum Kit" not in [i.name for i in params.instrumentation]


@pytest.mark.parametrize(("prompt", "genre"), [
    ("happy birthday style song for kids", "Children's Music"), ("song for toddlers, playful", "Children's Music"),
    ("a rock song for kids", "Rock"), ("edm for kids party", "Electronic"),
])
def test_a_song_for_kids_is_children_s_music_unless_a_style_is_named(aurora: Aurora, prompt: str, genre: str) -> None:
    """"song for kids" had been pop, "song for toddlers, playful" hyperpop; a style named beside ("a rock song for
    kids") stays that style."""
    assert aurora.parse(prompt=prompt).parsed_parameters.genre.value == genre
