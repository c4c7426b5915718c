"""A prompt that names no genre but players: the players choose among the styles that play them.

Such short prompts rank every genre about alike, so they got the default pop: "distorted guitar riff, 140 bpm,
aggressive" became hyperpop (a supersaw, an 808 and electronic drums under the guitar), "sad cello solo" a pop band.
A stated player pop's line-up lacks now means a style that plays it (signature_players.lineup_genres) where few
styles or mostly one family's play it; players pop has ("guitar and drums"), players many families play ("strings,
sad") and prompts with no players keep the default.
"""

from __future__ import annotations

import pytest

from aurora import Aurora


def _family(aurora: Aurora, prompt: str) -> tuple[str, str | None]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    return p.genre.value, (p.sub_genre.value if p.sub_genre else None)


@pytest.mark.parametrize(("prompt", "families"), [
    ("distorted guitar riff, 140 bpm, aggressive", {"Rock"}),  # had been Pop / Hyperpop
    ("distorted guitar riff", {"Rock"}),
    ("slap bass groove", {"Funk", "Disco", "Jazz"}),  # had been Pop / City Pop
    ("sad cello solo", {"Classical", "Film Score / Cinematic"}),  # had been Pop
    ("808s and hi-hat rolls, dark", {"Hip Hop"}),
])
def test_stated_players_choose_the_style(aurora: Aurora, prompt: str, families: set[str]) -> None:
    genre, _ = _family(aurora, prompt)
    assert genre in families, (prompt, genre)


@pytest.mark.parametrize("prompt", ["a happy song", "guitar and drums, happy", "piano, sad"])
def test_players_pop_has_keep_the_default(aurora: Aurora, prompt: str) -> None:
    assert _family(aurora, prompt)[0] == "Pop"


def test_a_refused_beat_rules_out_styles_built_on_one(aurora: Aurora) -> None:
    """"no drums, no bass" had made the embedding hear drum and bass; the strings' styles without a beat remain."""
    p = aurora.parse(prompt="no drums, no bass, just strings and piano").parsed_parameters
    assert p.genre.value not in ("Electronic", "Hip Hop", "Pop"), p.genre.value
    assert {i.name for i in p.instrumentation} == {"String Section", "Piano"}


@pytest.mark.parametrize("prompt", ["accordion and violin, melancholic", "violin melody, romantic",
                                    "harmonica and slide guitar", "strings, sad", "tender strings",
                                    "brass, triumphant"])
def test_a_line_up_many_families_play_names_no_style(aurora: Aurora, prompt: str) -> None:
    """An accordion and a violin are played in folk, tango, klezmer, cajun and sevdah alike: left to choose among
    so many on a few words, the embedding made "accordion and violin, melancholic" Sevdah, "strings, sad" disco
    and "brass, triumphant" soul. Such a line-up keeps the default genre."""
    assert _family(aurora, prompt)[0] == "Pop"


def test_a_part_alias_chooses_no_style(aurora: Aurora) -> None:
    """"huge drums" is the part a taiko plays in a trailer and the kit plays in a power ballad: it had made "power
    ballad, huge drums, piano" an epic trailer (taiko, orchestra, choir)."""
    p = aurora.parse(prompt="power ballad, huge drums, piano, 70 bpm").parsed_parameters
    assert p.genre.value == "Pop" and "Taiko" not in {i.name for i in p.instrumentation}
    assert aurora.parse(prompt="epic trailer with huge drums").parsed_parameters.genre.value == \
        "Film Score / Cinematic"


def test_a_style_whose_moods_the_prompt_opposes_is_not_lifted() -> None:
    """"distorted guitar riff, happy": the guitar's styles, but none whose every mood is dark (doom, death and black
    metal); without a mood they are all candidates."""
    from aurora.parser.instruments import InstrumentParser
    from aurora.parser.signature_players import SignaturePlayers
    from knowledge_base import load

    kb = load()
    players, lifted = InstrumentParser(kb).parse("distorted guitar riff"), SignaturePlayers(kb)
    plain, happy = set(lifted.lineup_genres(players, "pop")), set(lifted.lineup_genres(players, "pop", ["happy"]))
    assert {"doom_metal", "death_metal", "black_metal"} <= plain - happy
    assert happy and happy < plain


@pytest.mark.parametrize("prompt", ["epic choir and orchestra, dark fantasy", "orchestra and choir, dark"])
def test_the_style_whose_chords_a_stated_player_holds(aurora: Aurora, prompt: str) -> None:
    """Symphonic metal and a trailer score both play a choir and an orchestra; metal's chords are a distorted guitar
    nobody asked for (it had been symphonic metal: drums, bass guitar and distorted guitar under the orchestra)."""
    genre, sub = _family(aurora, prompt)
    assert genre == "Film Score / Cinematic" and sub != "Symphonic Metal", (genre, sub)
