""""bass drums" in a list of players is the bass and the drums; in a drum-kit phrase it is the kick drum.

Users list a band without commas ("clarinet piano bass drums"): the band then lost its bass to a kick drum
(and a jazz group its jazz). "heavy bass drum and snare", "808 bass drums", "metal with double bass drums"
keep the kick. Prompts written the way users write them, never tuned on."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.instruments import InstrumentParser
from knowledge_base import KnowledgeBase


def _stated(aurora: Aurora, prompt: str) -> list[str]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    return [i.name for i in p.instrumentation if i.source == "stated"]


@pytest.mark.parametrize(("prompt", "bass"), [
    ("clarinet piano bass drums", "Double Bass"),  # a jazz group's players: its bass is the double bass
    ("sax piano bass drums, smoky", "Double Bass"),
    ("trumpet piano bass drums slow ballad", "Double Bass"),
    ("guitar organ bass drums, 70s groove", "Bass Guitar"),
    ("indie rock, keys guitar bass drums", "Bass Guitar"),
    ("piano double bass drums, late night", "Double Bass"),  # the double bass, then the drums
])
def test_bass_drums_after_other_players_is_a_bass_and_the_drums(aurora: Aurora, prompt: str, bass: str) -> None:
    stated = _stated(aurora, prompt)
    assert bass in stated
    assert "Kick Drum" not in stated
    assert any(name in stated for name in ("Drum Kit", "Drums"))


@pytest.mark.parametrize("prompt", [
    "heavy bass drum and snare",
    "a rock song with a heavy bass drum and snare",
    "punk song, fast bass drums and crash cymbals",
    "marching band, tuba snare bass drum",  # a drum before it: the kit's own bass drum
    "808 bass drums and hi hats",  # another bass is named: the bass drum is the kick
    "piano bass drum and hi-hat, minimal",  # a kit piece follows: the kick
    "metal with double bass drums and shredding guitars",  # the metal drummer's two kick pedals
    "metal, double bass drums, 200 bpm",
])
def test_a_bass_drum_in_a_kit_phrase_stays_the_kick(aurora: Aurora, prompt: str) -> None:
    stated = _stated(aurora, prompt)
    assert "Kick Drum" in stated
    assert "Double Bass" not in stated


def test_the_split_words_keep_their_places(kb: KnowledgeBase) -> None:
    found = InstrumentParser(kb).parse("clarinet piano bass drums").found
    assert [(f.instrument_id, f.phrase, f.start) for f in found] == [
        ("clarinet", "clarinet", 0), ("piano", "piano", 9), ("bass_guitar", "bass", 15), ("drum_kit", "drums", 20)]


@pytest.mark.parametrize(("prompt", "stated"), [
    # the words of a genre's name are the genre's, not players: "dnb" spelt out had stated a drum (read as the
    # snare) and a bass guitar, and the live drums the prompt asked for were lost beside them
    ("drum and bass with live drums", {"Drum Kit"}),
    ("liquid dnb, live drums and piano", {"Drum Kit", "Rhodes"}),
    ("drum n bass, 174, reese", {"Reese Bass"}),
    # a word the genre itself plays stays stated
    ("piano house, 124 bpm", {"Piano"}),
    ("jazz guitar trio", {"Clean Electric Guitar"}),
])
def test_words_of_a_genre_name_are_not_players(aurora: Aurora, prompt: str, stated: set[str]) -> None:
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    assert {i.name for i in parsed.instrumentation if i.source == "stated"} == stated, prompt
