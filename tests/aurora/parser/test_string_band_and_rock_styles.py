"""A fifth helping of styles users name that landed in a wrong genre: a gypsy jazz (jazz manouche, hot club) was
Swing / Big Band or Cool Jazz (a drum kit, a piano, a trombone around the violin), an electro swing House or Electro
(808s, a vocoder, no horns), a slowcore and a sadcore Pop, a japanese rock Punk Rock, an anime opening rock Post-rock
with a glockenspiel, a visual kei Pop, a sea shanty a Celtic jig with a frame drum ("foot stomps" no instrument)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import assert_own_band, assert_own_groove, groove_levels, hits

NEW_STYLES = ("gypsy_jazz", "electro_swing", "slowcore", "j_rock", "sea_shanty")


@pytest.mark.parametrize(("prompt", "genre", "style"), [
    ("gypsy jazz in D minor, 200 bpm", "Jazz", "gypsy_jazz"),
    ("jazz manouche with violin, fast swing", "Jazz", "gypsy_jazz"),
    ("hot club jazz with violin and guitar", "Jazz", "gypsy_jazz"),
    ("manouche swing in A minor, 180 bpm", "Jazz", "gypsy_jazz"),
    ("electro swing with clarinet and a house beat, 124 bpm", "Electronic", "electro_swing"),
    ("electro swing track, 128 bpm", "Electronic", "electro_swing"),
    ("slowcore song with clean guitar, 60 bpm", "Rock", "slowcore"),
    ("sadcore ballad with piano", "Rock", "slowcore"),
    ("japanese rock song, 170 bpm", "Rock", "j_rock"),
    ("j-rock anthem", "Rock", "j_rock"),
    ("anime opening rock with shredding guitar", "Rock", "j_rock"),
    ("visual kei song, dramatic", "Rock", "j_rock"),
    ("sea shanty with foot stomps and claps", "Folk", "sea_shanty"),
    ("a sea shanty for a pirate crew with accordion", "Folk", "sea_shanty"),
])
def test_a_named_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str,
                                                  style: str) -> None:
    assert_own_band(aurora, kb, prompt, genre, style)


@pytest.mark.parametrize(("prompt", "style"), [
    ("big band swing with horns, 160 bpm", "Swing / Big Band"),
    ("foxtrot for a ballroom dance", "Swing / Big Band"),
    ("irish jig with fiddle and tin whistle", "Celtic"),
    ("city pop with slap bass", "City Pop"),
    ("j-pop anime opening", "J-pop"),
])
def test_neighbouring_styles_stay_where_they_were(aurora: Aurora, prompt: str, style: str) -> None:
    """Guards: the words near the new styles name none of them."""
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == style


def test_a_gypsy_jazz_band_has_no_drums_and_no_horns(aurora: Aurora, kb: KnowledgeBase) -> None:
    """It was a big band: a drum kit, a piano, a trumpet and a trombone."""
    p = aurora.parse(prompt="gypsy jazz").parsed_parameters
    players = [kb.find_instrument(i.name) for i in p.instrumentation]
    assert not [i.id for i in players if i is None or i.family in ("drums", "brass", "keyboard")]
    assert {"Acoustic Guitar", "Strummed Guitar", "Double Bass"} <= {i.name for i in p.instrumentation}


def test_foot_stomps_are_an_instrument(aurora: Aurora, kb: KnowledgeBase) -> None:
    """'foot stomps' was dropped (no instrument); the stomp is a low drum on the percussion track."""
    p = aurora.parse(prompt="sea shanty with foot stomps and claps").parsed_parameters
    assert {"Foot Stomps", "Hand Clap"} <= {i.name for i in p.instrumentation if i.source == "stated"}
    assert kb.synth_presets.percussion_voices("stomp") == ["tom_low"]


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("gypsy_jazz", "4/4", "gypsy_jazz"), ("gypsy_jazz", "3/4", "gypsy_jazz_waltz"),
    ("electro_swing", "4/4", "electro_swing"), ("slowcore", "4/4", "slowcore"), ("j_rock", "4/4", "j_rock"),
    ("sea_shanty", "4/4", "sea_shanty"), ("sea_shanty", "6/8", "sea_shanty_6_8"),
])
def test_each_new_style_plays_its_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    assert_own_groove(kb, genre, meter, groove)


def test_the_grooves_keep_their_cells(kb: KnowledgeBase) -> None:
    """La pompe: a strum on every beat, the chop on two and four accented, a ghosted up-stroke into it; electro swing's
    kick on every beat; the shanty crew stamps one and three and claps two and four."""
    grooves = {g.id: g for g in kb.grooves}
    pompe = grooves["gypsy_jazz"].comping.pattern
    assert hits(pompe) == [0, 4, 8, 12] and pompe[4] == pompe[12] == "X" and pompe[2] == pompe[10] == "o"
    assert hits(groove_levels(kb, "electro_swing")["mid"]["kick"]) == [0, 4, 8, 12]
    shanty = groove_levels(kb, "sea_shanty")["mid"]
    assert hits(shanty["tom_low"]) == [0, 8] and hits(shanty["clap"]) == [4, 12]


def test_new_genres_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start and kb.genre(g).parent for g in NEW_STYLES)
    instruments = [i.id for i in kb.instruments]
    start, stop = kb.control_embedding.span("instrumentation")
    assert instruments.index("stomp") < stop - start


@pytest.mark.parametrize(("prompt", "style"), [
    ("like django reinhardt", "Gypsy Jazz"), ("parov stelar style", "Electro Swing"),
])
def test_the_styles_artists_name_them(aurora: Aurora, prompt: str, style: str) -> None:
    """Django Reinhardt and Parov Stelar were unknown names."""
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == style


def test_stomps_and_claps_alone_name_no_shanty(aurora: Aurora) -> None:
    """Guard: the shanty's line-up lists the stomp alone, so a folk song's stomps and claps keep it folk."""
    p = aurora.parse(prompt="indie folk, foot stomping, hand claps").parsed_parameters
    assert p.genre.value == "Folk" and p.sub_genre.value != "Sea Shanty"
    assert {"Foot Stomps", "Hand Clap"} <= {i.name for i in p.instrumentation if i.source == "stated"}


def test_a_hot_club_banger_is_no_gypsy_jazz(aurora: Aurora) -> None:
    """Guard: a hot club alone is a night club ("hot club banger, 128 bpm" had been a gypsy jazz string band on this
    branch); a hot club's jazz or swing is the Quintette du Hot Club de France's."""
    assert aurora.parse(prompt="hot club banger, 128 bpm").parsed_parameters.sub_genre.value != "Gypsy Jazz"
    assert aurora.parse(prompt="hot club quintet, fast").parsed_parameters.sub_genre.value == "Gypsy Jazz"
