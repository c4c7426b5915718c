"""Styles users name that the knowledge base lacked (a calypso was City Pop with slap bass and synth brass, a baile
funk the American funk band, a jersey club or footwork beat Hyperpop, a gnawa trance Trance, a western showdown a
pop song with a female vocal). Each is now a genre of its own (appended to genres.yaml, its parent's embedding
slot), named by its words and played by its own band and groove."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import assert_own_band, assert_own_groove, groove_levels, hits

NEW_STYLES = ("calypso", "soca", "zouk", "jersey_club", "eurobeat", "footwork", "gnawa", "rai", "exotica", "schlager",
              "enka", "baile_funk", "math_rock", "western_score")


@pytest.mark.parametrize(("prompt", "genre", "style"), [
    ("calypso with steel drums, sunny, 110 bpm", "Latin", "calypso"),
    ("trinidad calypso tune, happy", "Latin", "calypso"),
    ("soca party anthem, 160bpm", "Latin", "soca"),
    ("zouk love song, slow, guitar and synth", "Latin", "zouk"),
    ("jersey club beat 140 bpm", "Electronic", "jersey_club"),
    ("eurobeat, fast, synth lead, 155 bpm", "Electronic", "eurobeat"),
    ("footwork track 160bpm, chopped vocals", "Electronic", "footwork"),
    ("chicago juke at 160", "Electronic", "footwork"),
    ("gnawa trance groove with guembri and krakebs", "African", "gnawa"),
    ("rai song with synth and darbuka", "Middle Eastern", "rai"),
    ("algerian raï, 100 bpm", "Middle Eastern", "rai"),
    ("exotica lounge with vibraphone and bongos", "Jazz", "exotica"),
    ("schlager, happy, accordion, 120 bpm", "Pop", "schlager"),
    ("enka ballad, shamisen, sad", "Asian / East Asian Traditional", "enka"),
    ("baile funk 130bpm", "Hip Hop", "baile_funk"),
    ("funk carioca with an mc", "Hip Hop", "baile_funk"),
    ("brazilian funk beat", "Hip Hop", "baile_funk"),
    ("math rock 7/8 tapping guitar", "Rock", "math_rock"),
    ("western showdown theme, whistling, twangy guitar, Am", "Film Score / Cinematic", "western_score"),
    ("spaghetti western theme", "Film Score / Cinematic", "western_score"),
])
def test_a_named_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str,
                                                  style: str) -> None:
    """The genre and sub-genre are the style's, and every guessed player comes from its line-up (no City Pop slap
    bass under a calypso, no funk band under a baile funk, no female pop vocal in a western theme)."""
    assert_own_band(aurora, kb, prompt, genre, style)


@pytest.mark.parametrize(("prompt", "not_style"), [
    ("country and western song with fiddle", "Western Score"),  # country, as before
    ("western classical music for strings", "Western Score"),
    ("rain sounds with soft piano", "Raï"),  # "rai" is matched as a word, never inside one
    ("trail running music, energetic", "Raï"),
    ("raise the energy with a big drop", "Raï"),
    ("juke joint blues with harmonica", "Footwork / Juke"),
    ("funk with slap bass and horns", "Baile Funk"),
    ("lounge music with rhodes", "Exotica"),
    ("post rock crescendo with glockenspiel", "Math Rock"),
    ("a happy latin song", "Calypso"),  # a mood alone picks none of them: their moods are their parents'
    ("passionate latin dance", "Zouk"),
    ("energetic electronic track", "Jersey Club"),
    # prompts naming no style: no new anchor may lie nearest by accident
    ("power ballad in A, key change up a half step for the last chorus", "Eurobeat"),
    ("need background music for a cooking video, acoustic and light", "Calypso"),
])
def test_a_word_near_a_new_style_names_no_new_style(aurora: Aurora, prompt: str, not_style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert not_style not in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize(("prompt", "style"), [
    ("country and western song with fiddle", "Country"),
    ("juke joint blues with harmonica", "Blues"),
    ("post rock crescendo with glockenspiel", "Post-rock"),
    ("lounge music with rhodes", "Downtempo"),
])
def test_existing_styles_keep_their_words(aurora: Aurora, prompt: str, style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert style in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("calypso", "4/4", "calypso"), ("soca", "4/4", "soca"), ("zouk", "4/4", "zouk"),
    ("jersey_club", "4/4", "jersey_club"), ("eurobeat", "4/4", "eurobeat"), ("footwork", "4/4", "footwork"),
    ("gnawa", "6/8", "gnawa"), ("gnawa", "12/8", "gnawa_12_8"), ("rai", "4/4", "rai"), ("exotica", "4/4", "exotica"),
    ("schlager", "4/4", "schlager"), ("schlager", "2/4", "schlager_2_4"), ("enka", "4/4", "enka"),
    ("baile_funk", "4/4", "baile_funk"), ("math_rock", "7/8", "math_rock_7_8"), ("math_rock", "5/4", "math_rock_5_4"),
    ("math_rock", "4/4", "math_rock"), ("western_score", "4/4", "western_score"),
])
def test_each_new_style_plays_its_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    assert_own_groove(kb, genre, meter, groove)


def test_club_kicks_are_each_styles_own(kb: KnowledgeBase) -> None:
    """Jersey club bounces five kicks (two dotted eighths, two eighths), footwork's 808 kicks fall every three
    sixteenths across the bar, baile funk's tamborzão is two tresillos, soca and eurobeat are four on the floor."""
    assert hits(groove_levels(kb, "jersey_club")["mid"]["kick"]) == [0, 3, 6, 8, 10]
    assert hits(groove_levels(kb, "footwork")["mid"]["kick"]) == [0, 3, 6, 9, 12]
    assert hits(groove_levels(kb, "baile_funk")["mid"]["kick"]) == [0, 3, 6, 8, 11, 14]
    for four in ("soca", "eurobeat", "schlager"):
        assert hits(groove_levels(kb, four)["mid"]["kick"]) == [0, 4, 8, 12]
    assert hits(groove_levels(kb, "soca")["mid"]["cowbell"]) == [2, 6, 10, 14]  # the iron on the off-beats


def test_world_grooves_keep_their_cells(kb: KnowledgeBase) -> None:
    """Gnawa's qraqeb clatter every eighth of the 6/8 bar; the zouk's ti bwa plays the cinquillo; calypso's kick
    and bass fall on one, the "and" of two and three."""
    assert hits(groove_levels(kb, "gnawa")["mid"]["castanets"]) == [0, 2, 4, 6, 8, 10]
    assert groove_levels(kb, "zouk")["mid"]["wood_block"] == "x.xx.xx.x.xx.xx."
    assert hits(groove_levels(kb, "calypso")["mid"]["kick"]) == [0, 6, 8]
    assert len(groove_levels(kb, "math_rock_7_8")["mid"]["kick"]) == 14


def test_new_genres_and_instruments_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    """Appended after the existing entries, each sharing its nearest slotted ancestor's genre slot."""
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start and kb.genre(g).parent for g in NEW_STYLES)
    instruments = [i.id for i in kb.instruments]
    assert instruments.index("surdo") < instruments.index("guembri") < instruments.index("krakebs")  # appended
    start, stop = kb.control_embedding.span("instrumentation")
    assert len(instruments) <= stop - start


@pytest.mark.parametrize(("phrase", "instrument"), [
    ("gimbri", "Guembri"), ("sintir", "Guembri"), ("qraqeb", "Krakebs"), ("metal castanets", "Krakebs"),
    ("bed squeaks", "Sound Effects"),
])
def test_gnawa_players_are_heard(aurora: Aurora, phrase: str, instrument: str) -> None:
    p = aurora.parse(prompt=f"a groove with {phrase}").parsed_parameters
    assert instrument in {i.name for i in p.instrumentation if i.source == "stated"}


def test_krakebs_clack_as_castanets(kb: KnowledgeBase) -> None:
    assert kb.synth_presets.percussion_voices("krakebs") == ["castanets"]
