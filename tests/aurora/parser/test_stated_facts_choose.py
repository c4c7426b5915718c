"""Stated facts that tell styles apart, and facts that name no style.

- A stated meter and a tempo word are facts like a stated number: "12/8 slow blues" and "slow blues" had been
  boogie-woogie (a 4/4 style of 110-190 BPM, fitting "slow" only at twice its tempo), "slow rock song" punk rock.
- A mode named without a tonic is the mode: "minor blues" had been a major blues (E7 A7 B7).
- Chord names, numbers and key words state facts and no style: "chord progression Am F C G, acoustic guitar,
  90 bpm" counted nine words, was read as a description, and became bebop with a saxophone on the tune.
- A style known by its place is named, never guessed: "energetic workout music" had been K-pop.
"""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.key import stated_mode


def _parsed(aurora: Aurora, prompt: str) -> tuple[str, str | None, str]:
    pp = aurora.parse(prompt=prompt).parsed_parameters
    return pp.genre.value, pp.sub_genre.value if pp.sub_genre else None, pp.key_signature.value


@pytest.mark.parametrize("prompt", ["12/8 slow blues in A", "slow blues", "blues in 12/8"])
def test_a_slow_or_12_8_blues_is_no_boogie_woogie(aurora: Aurora, prompt: str) -> None:
    genre, sub, _ = _parsed(aurora, prompt)
    assert genre == "Blues" and sub not in ("Boogie-Woogie", "Blues Rock"), (genre, sub)


@pytest.mark.parametrize(("prompt", "not_sub"), [("slow rock song", "Punk Rock"), ("fast jazz", "Smooth Jazz")])
def test_a_tempo_word_rules_out_a_style_it_cannot_describe(aurora: Aurora, prompt: str, not_sub: str) -> None:
    assert _parsed(aurora, prompt)[1] != not_sub


def test_a_meter_or_tempo_word_still_lets_a_fitting_style_be_chosen(aurora: Aurora) -> None:
    assert _parsed(aurora, "fast blues")[1] == "Blues Rock"  # 145 BPM: blues rock's range, not the parent's


@pytest.mark.parametrize(("text", "mode"), [
    ("minor blues", "minor"), ("slow minor blues in G", "minor"), ("a sad song in minor", "minor"),
    ("minor-key ballad", "minor"), ("happy song in a major key", "major"), ("rock in dorian mode", "dorian"),
    ("blues", None), ("a minor detail", None), ("major label pop", None), ("in a minor role", None),
])
def test_a_mode_named_without_a_tonic(text: str, mode: str | None) -> None:
    assert stated_mode(text) == mode


@pytest.mark.parametrize(("prompt", "key"), [("minor blues", "minor"), ("slow minor blues in G", "G minor"),
                                             ("minor key ballad", "minor"), ("G minor blues", "G minor")])
def test_a_stated_mode_sets_the_key_s_mode(aurora: Aurora, prompt: str, key: str) -> None:
    assert _parsed(aurora, prompt)[2].endswith(key)


@pytest.mark.parametrize("prompt", ["chord progression Am F C G, acoustic guitar, 90 bpm",
                                    "Key: A Minor, Tempo: 90, acoustic guitar, chords Am F C G"])
def test_chord_names_and_numbers_name_no_style(aurora: Aurora, prompt: str) -> None:
    assert _parsed(aurora, prompt)[0] == "Pop"


@pytest.mark.parametrize("prompt", ["workout music, high energy, 128 bpm", "energetic pop song"])
def test_a_regional_style_is_not_guessed(aurora: Aurora, prompt: str) -> None:
    assert _parsed(aurora, prompt)[1] not in ("K-pop", "J-pop", "City Pop", "Trot", "Schlager")


@pytest.mark.parametrize(("prompt", "sub"), [("korean pop dance track", "K-pop"), ("japanese pop, cheerful", "J-pop"),
                                             ("80s japanese pop", "City Pop"), ("schlager party", "Schlager")])
def test_a_regional_style_named_is_played(aurora: Aurora, prompt: str, sub: str) -> None:
    assert _parsed(aurora, prompt)[1] == sub


@pytest.mark.parametrize(("prompt", "genre"), [
    ("rock", "Rock"), ("rock music", "Rock"), ("jazz", "Jazz"), ("make me a jazz song please", "Jazz"),
    ("blues", "Blues"), ("classical", "Classical"), ("electronic music", "Electronic"), ("rock, 150 bpm", "Rock"),
])
def test_a_family_named_alone_is_the_family(aurora: Aurora, prompt: str, genre: str) -> None:
    """'rock' had been soft rock at 87 BPM, 'jazz' a New Orleans street band (tuba, banjo, snare), 'blues' blues
    rock and 'classical' neoclassical: a family's name alone is no sub-genre's, whatever its anchors' similarity."""
    assert _parsed(aurora, prompt)[:2] == (genre, None)


@pytest.mark.parametrize(("prompt", "genre"), [
    ("jazz with trumpet", "Jazz"), ("jazz tune with a drum solo", "Jazz"), ("jazz with saxophone and piano", "Jazz"),
    ("blues with harmonica", "Blues"), ("rock with electric guitars and drums", "Rock"),
])
def test_a_family_named_with_its_own_players_is_the_family(aurora: Aurora, prompt: str, genre: str) -> None:
    """'jazz with trumpet' had been bebop at 237 BPM and 'jazz tune with a drum solo' jazz fusion with a synth lead:
    a player the family's own line-up holds says no more than the family's name."""
    assert _parsed(aurora, prompt)[:2] == (genre, None)


@pytest.mark.parametrize(("prompt", "sub"), [("sad jazz", "Cool Jazz"), ("fast blues", "Blues Rock"),
                                             ("jazz with a slap bass and synth lead", "Jazz Fusion"),
                                             ("jazz, new orleans style", "New Orleans Jazz")])
def test_words_beyond_the_family_still_choose_a_sub_genre(aurora: Aurora, prompt: str, sub: str) -> None:
    assert _parsed(aurora, prompt)[1] == sub


@pytest.mark.parametrize("prompt", ["acoustic song", "an acoustic love song",
                                    "acoustic song that ends with a fade out"])
def test_an_acoustic_song_is_an_acoustic_style(aurora: Aurora, prompt: str) -> None:
    """'acoustic song' had been the pop band: drums, bass guitar, piano and a synthesizer pad."""
    assert _parsed(aurora, prompt)[1] == "Singer-songwriter"


@pytest.mark.parametrize(("prompt", "not_sub", "genre"), [
    ("acoustic guitar and drums, 100 bpm", "Singer-songwriter", None),  # the guitar's own name
    ("funky bass", None, "Funk"),  # a style's word for the bass still names the style
])
def test_an_adjective_in_an_instrument_s_own_name_is_the_instrument_s(aurora: Aurora, prompt: str,
                                                                     not_sub: str | None, genre: str | None) -> None:
    got_genre, sub, _ = _parsed(aurora, prompt)
    assert (not_sub is None or sub != not_sub) and (genre is None or got_genre == genre), (got_genre, sub)


@pytest.mark.parametrize(("prompt", "not_sub"), [("chill pop", "Hyperpop"), ("slow sad pop song", "Christmas")])
def test_stated_moods_rule_out_a_style_of_another_energy_or_occasion(aurora: Aurora, prompt: str, not_sub: str) -> None:
    """'chill pop' had been hyperpop at 144 BPM (energy 0.9 for a chill mood); a slow sad pop song became a
    Christmas song, the one pop style whose tempo range reached down to 'slow' (pop's own now does: ballads)."""
    assert _parsed(aurora, prompt)[1] != not_sub


@pytest.mark.parametrize(("prompt", "sub"), [("game menu music, relaxing", "Video Game Music"),
                                             ("fantasy rpg town theme", "Video Game Music"),
                                             ("spanish guitar instrumental", "Flamenco"),
                                             ("study music, calm", "Lo-fi Hip Hop")])
def test_what_the_music_is_for_names_its_style(aurora: Aurora, prompt: str, sub: str) -> None:
    """A game's menu or town, a Spanish guitar piece, music to study to had all been the pop band."""
    assert _parsed(aurora, prompt)[1] == sub
