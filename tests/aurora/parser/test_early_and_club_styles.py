"""A sixth helping of styles users name that landed in the wrong genre: medieval tavern music was Baroque (harpsichord,
cello, oboe; the lute read as the generic plucked string), a renaissance dance Synth-pop, a bardcore cover Punk Rock,
a minstrel's or a troubadour's song and a madrigal Pop, a renaissance faire Celtic; a tropical house track plain
House at 128 with a piano; a nightcore remix Hyperpop or Indie Pop; "drum and bass liquid" (the words turned round)
plain Drum and Bass with intense moods."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine.structure.percussion import played_lines
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import (
    assert_own_band,
    assert_own_groove,
    assert_players_stated,
    groove_levels,
    hits,
)

NEW_STYLES = ("medieval", "tropical_house", "nightcore")


@pytest.mark.parametrize(("prompt", "genre", "style"), [
    ("medieval tavern music with lute and recorder", "Classical", "medieval"),
    ("renaissance dance with lute in 3/4, 100 bpm", "Classical", "medieval"),
    ("bardcore cover of a pop song", "Classical", "medieval"),
    ("minstrel song with lute and frame drum", "Classical", "medieval"),
    ("troubadour song with shawm and hurdy gurdy", "Classical", "medieval"),
    ("renaissance faire music with bagpipes and tabor", "Classical", "medieval"),
    ("renaissance madrigal", "Classical", "medieval"),
    ("tropical house summer track", "Electronic", "tropical_house"),
    ("kygo style trop house", "Electronic", "tropical_house"),
    ("kygo style track with steel pan", "Electronic", "tropical_house"),
    ("nightcore remix, 170 bpm", "Electronic", "nightcore"),
    ("nightcore version of a pop song", "Electronic", "nightcore"),
])
def test_a_named_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str,
                                                  style: str) -> None:
    assert_own_band(aurora, kb, prompt, genre, style)


@pytest.mark.parametrize(("prompt", "players"), [
    ("medieval tavern music with lute and recorder", {"Lute", "Recorder"}),
    ("troubadour song with shawm and hurdy gurdy", {"Shawm", "Hurdy-gurdy"}),
    ("renaissance faire music with bagpipes and tabor", {"Bagpipes", "Tabor"}),
    ("troubadour ballad with lute and vielle", {"Lute", "Violin"}),  # the vielle: the medieval fiddle
])
def test_the_styles_own_players_are_heard_as_named(aurora: Aurora, prompt: str, players: set[str]) -> None:
    """The lute was the generic 'Plucked String Instrument' (a steel-string guitar's sound); the shawm, the tabor and
    the vielle were no instruments (dropped)."""
    assert_players_stated(aurora, prompt, players)


def test_medieval_music_has_no_kit_and_no_baroque_continuo(aurora: Aurora) -> None:
    p = aurora.parse(prompt="medieval tavern music with lute and recorder").parsed_parameters
    names = {i.name for i in p.instrumentation}
    assert "Tabor" in names and "Hurdy-gurdy" in names
    assert not names & {"Drum Kit", "Harpsichord", "Cello", "Oboe", "Plucked String Instrument"}
    assert p.key_signature.value.split()[-1] in {"dorian", "mixolydian", "minor", "major"}


@pytest.mark.parametrize(("prompt", "low", "high"), [
    ("tropical house summer track", 100, 115),  # it had been House's 128
    ("kygo style trop house", 100, 115),
    ("nightcore song", 160, 180),  # it had been Indie Pop's 109
    ("medieval tavern music", 70, 140),
])
def test_a_style_keeps_its_own_tempo(aurora: Aurora, prompt: str, low: int, high: int) -> None:
    assert low <= aurora.parse(prompt=prompt).parsed_parameters.tempo.bpm <= high


@pytest.mark.parametrize(("prompt", "style"), [
    ("drum and bass liquid", "Liquid Drum and Bass"),  # the words turned round: it had been plain Drum and Bass
    ("dnb liquid, rolling, 174 bpm", "Liquid Drum and Bass"),
    ("drum & bass liquid with soulful vocals", "Liquid Drum and Bass"),
    ("liquid drum and bass", "Liquid Drum and Bass"),
    ("uk drill beat", "Drill"),  # these land already: guards
    ("jersey club", "Jersey Club"),
    ("phonk drift", "Phonk"),
    ("hyperpop song", "Hyperpop"),
])
def test_club_styles_in_any_word_order(aurora: Aurora, prompt: str, style: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == style


@pytest.mark.parametrize(("prompt", "style"), [
    ("bagpipes lament, slow, A mixolydian", "Celtic"),  # the pipes alone still name Celtic music
    ("steelpan, congas and bass, carribean vibe", "Calypso"),  # the steel pan alone still names calypso
    ("baroque harpsichord concerto", "Baroque"),
    ("house music, 124 bpm", "House"),
    ("hyperpop with glitchy vocals", "Hyperpop"),
])
def test_a_word_near_a_new_style_keeps_its_own(aurora: Aurora, prompt: str, style: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == style


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("medieval", "4/4", "medieval"), ("medieval", "3/4", "medieval_3_4"), ("medieval", "6/8", "medieval_6_8"),
    ("tropical_house", "4/4", "tropical_house"), ("nightcore", "4/4", "nightcore"),
])
def test_each_new_style_plays_its_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    assert_own_groove(kb, genre, meter, groove)


def test_the_grooves_keep_their_cells(kb: KnowledgeBase) -> None:
    """The medieval band has no kit: its tabor plays the groove's lines (its skin and its stick's tak) at every
    level, and the bass holds the drone; tropical house and nightcore keep a four-on-the-floor."""
    grooves = {g.id: g for g in kb.grooves}
    tabor = set(kb.synth_presets.percussion_voices("tabor"))
    for gid in ("medieval", "medieval_3_4", "medieval_6_8"):
        assert grooves[gid].bass == "sustained"
        assert tabor <= played_lines(grooves[gid].levels)
        assert all(tabor <= set(level) for level in grooves[gid].levels.values())
    for gid in ("tropical_house", "nightcore"):
        assert hits(groove_levels(kb, gid)["mid"]["kick"]) == [0, 4, 8, 12]


def test_the_lute_is_a_lute(kb: KnowledgeBase) -> None:
    assert kb.find_instrument("lute").id == "lute"
    assert kb.find_instrument("vielle").id == "violin"
    assert kb.find_instrument("plucked strings").id == "string_instrument"


def test_new_genres_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start and kb.genre(g).parent for g in NEW_STYLES)


def test_new_instruments_are_appended_within_the_embedding(kb: KnowledgeBase) -> None:
    instruments = [i.id for i in kb.instruments]
    first = instruments.index("lute")
    assert instruments[first:first + 3] == ["lute", "shawm", "tabor"]
    assert instruments.index("caja_vallenata") < first
    start, stop = kb.control_embedding.span("instrumentation")
    assert len(instruments) <= stop - start
