"""Styles users name that the taxonomy lacked: a prompt naming one fell to whichever genre's anchors lay nearest in
the embedding and got that genre's whole band, groove and form (a marching band was Drum and Bass with a reese
bass, a christmas jingle African with a kora and no drums, a second line Amapiano, a thriller underscore a pop song
in verses and choruses, country rock plain rock). Each now has its own entry (a march, Christmas, New Orleans jazz,
country rock) or reaches the family it belongs to (an underscore is film music)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.style_cues import StyleCues, candidates, closed_against
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase


def _style(aurora: Aurora, prompt: str) -> tuple[str, str | None]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    return p.genre.value, p.sub_genre.value


@pytest.mark.parametrize(("prompt", "genre", "sub_genre"), [
    ("marching band style, snare drums and brass, 112 bpm", "Classical", "March"),
    ("military march", "Classical", "March"),
    ("drumline cadence for a football game, 120bpm", "Classical", "March"),
    ("sousa march for concert band in Bb", "Classical", "March"),
    ("a proud marching song with fife and drum", "Classical", "March"),
    ("christmas jingle with sleigh bells, 140 bpm, G major", "Pop", "Christmas"),
    ("holiday song with jingle bells", "Pop", "Christmas"),
    ("upbeat xmas song for a TV ad", "Pop", "Christmas"),
    ("New Orleans brass band second line, 100 bpm, Bb", "Jazz", "New Orleans Jazz"),
    ("dixieland jazz", "Jazz", "New Orleans Jazz"),
    ("trad jazz band, clarinet and banjo, hot and fast", "Jazz", "New Orleans Jazz"),
    ("second-line groove w/ sousaphone and snare", "Jazz", "New Orleans Jazz"),
    ("country rock song with twangy telecaster, 120bpm, key of G", "Rock", "Country Rock"),
    ("country-rock, 70s, pedal steel and harmonies", "Rock", "Country Rock"),
    ("zydeco, accordion and rubboard, 140", "Folk", "Cajun / Zydeco"),
    ("cajun waltz, fiddle and accordion", "Folk", "Cajun / Zydeco"),
    ("circus music", "Classical", "March"),
])
def test_a_style_the_taxonomy_lacked_is_parsed(aurora: Aurora, prompt: str, genre: str, sub_genre: str) -> None:
    assert _style(aurora, prompt) == (genre, sub_genre)


@pytest.mark.parametrize(("prompt", "style"), [
    ("spaghetti western theme, whistling", "Film Score / Cinematic"),
    ("krautrock jam", "Psychedelic Rock"),
    ("darkwave, 120 bpm", "Gothic Rock"),
    ("coldwave with cold synths", "Gothic Rock"),
    ("foxtrot for a ballroom dance", "Swing / Big Band"),
    ("rumba with congas", "Latin"),
    ("madchester indie", "Indie Rock"),
    ("j-rock anthem", "Rock"),
    ("cantopop ballad", "Pop"),
    ("rebetiko with bouzouki", "Rebetiko"),  # a genre of its own since, a kind of traditional music
    ("french chanson, accordion", "Chanson"),  # a genre of its own since, a kind of singer-songwriter
    ("gabber kick at 180", "EDM"),
    ("breakcore, amen chops", "Jungle"),
])
def test_a_style_word_of_an_existing_genre_names_it(aurora: Aurora, prompt: str, style: str) -> None:
    """Style words the vocabulary lacked fell to the default genre (pop) or the nearest anchors: each is an alias
    of the genre it is a kind of (a spaghetti western is film music, krautrock psychedelic rock)."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert style in (p.genre.value, p.sub_genre.value) and "genre" in p.explicit


@pytest.mark.parametrize("prompt", [
    "suspenseful thriller underscore, pulsing synth, 100 bpm",
    "tense underscore for a crime drama scene",
    "suspense music for a heist, ticking clock percussion",
    "thriller soundtrack, dark pulsing synths, 95 bpm",
    "tense heist scene music",
    "music for a horror movie chase",
])
def test_an_underscore_is_film_music(aurora: Aurora, prompt: str) -> None:
    """An underscore, a thriller/suspense cue or a scene's music is film music, not a song in verses and choruses
    (a short prompt naming no genre got the default genre, pop)."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.genre.value == "Film Score / Cinematic"
    assert p.structure.value not in ("Verse-Chorus", "Pop Song")


@pytest.mark.parametrize(("prompt", "sub_genre"), [
    ("a jazz march with brushes", None),  # the march is the feel: jazz in 2/4
    ("christmas lo-fi hip hop beat", "Lo-fi Hip Hop"),  # the head noun names the genre, christmas flavours it
    ("new orleans funk with a fat horn section", None),
])
def test_a_new_style_word_before_another_genre_flavours_it(aurora: Aurora, prompt: str, sub_genre: str | None) -> None:
    sub = _style(aurora, prompt)[1]
    assert sub not in ("March", "Christmas", "New Orleans Jazz")
    if sub_genre is not None:
        assert sub == sub_genre


def test_a_march_is_in_two_and_keeps_its_band(aurora: Aurora) -> None:
    """A band on foot: snare, bass drum and brass in 2/4, no strings, piano or drum kit (classical's own band)."""
    p = aurora.parse(prompt="military march").parsed_parameters
    assert p.time_signature.value == "2/4"
    names = {i.name for i in p.instrumentation}
    assert {"Snare Drum", "Tuba"} <= names
    assert not names & {"String Section", "Violin", "Piano", "Drum Kit", "Orchestra"}


def test_a_second_line_band_has_a_tuba_bass_and_no_kit(aurora: Aurora) -> None:
    p = aurora.parse(prompt="New Orleans brass band second line, 100 bpm, Bb").parsed_parameters
    names = {i.name for i in p.instrumentation}
    assert {"Tuba", "Snare Drum", "Trumpet"} <= names
    assert not names & {"Drum Kit", "Double Bass", "Piano"}


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("march", "2/4", "march"), ("march", "6/8", "march_6_8"), ("march", "4/4", "march_cut_time"),
    ("new_orleans_jazz", "4/4", "second_line"), ("new_orleans_jazz", "2/4", "second_line_2_4"),
    ("country_rock", "4/4", "country"),  # the strum and boom-chick bass; christmas plays pop's groove (its parent)
    ("christmas", "4/4", "pop"),
    ("cajun_zydeco", "4/4", "country"), ("cajun_zydeco", "3/4", "folk_waltz"),  # folk's two-step and waltz
])
def test_each_new_style_plays_a_fitting_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    pattern, style = select_groove(kb.grooves, kb.genre_lineage(genre), Meter.parse(meter))
    assert pattern.id == groove and style.id == groove


def test_a_march_grid_is_a_bass_drum_on_the_beats_under_snare_rudiments(kb: KnowledgeBase) -> None:
    march = next(g for g in kb.grooves if g.id == "march")
    for level in ("mid", "high"):
        voices = march.levels[level]
        assert voices["kick"] == "X...X..."  # every beat of the 2/4 bar
        assert voices["snare"].count("x") + voices["snare"].count("X") >= 5  # rudiments, not a backbeat
        assert not any(v.startswith("hat") for v in voices)  # no hi-hat on parade


def test_new_genres_and_instruments_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    """Appended after the existing entries, so every existing vector keeps its meaning."""
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start
               for g in ("march", "christmas", "new_orleans_jazz", "country_rock", "cajun_zydeco"))
    instruments = [i.id for i in kb.instruments]
    assert instruments.index("mellotron") >= 193 and instruments[192] == "screamed_vocal"
    start, stop = kb.control_embedding.span("instrumentation")
    assert len(instruments) <= stop - start


def test_a_closed_line_up_that_leaves_out_a_stated_player_is_no_candidate(kb: KnowledgeBase) -> None:
    """A child with a band of its own (own_lineup) is not the style of a prompt listing a player its parent's band
    has and it leaves out: a piano, bass and drum kit make a jazz combo, not a New Orleans street band."""
    jazz, nola, bebop = kb.genre("jazz"), kb.genre("new_orleans_jazz"), kb.genre("bebop")
    combo = StyleCues(instruments=("trumpet", "trombone", "piano", "double_bass", "drum_kit"))
    assert closed_against(nola, jazz, combo) and not closed_against(bebop, jazz, combo)
    assert nola not in candidates(jazz, [nola, bebop], combo)
    street = StyleCues(instruments=("trumpet", "trombone", "tuba", "snare"))
    assert not closed_against(nola, jazz, street)
    country, bluegrass = kb.genre("country"), kb.genre("bluegrass")
    assert closed_against(bluegrass, country, StyleCues(instruments=("banjo", "drum_kit")))


@pytest.mark.parametrize("prompt", ["trumpet sax trombone piano bass drums, swinging",
                                    "trumpet, trombone, clarinet, piano, upright bass and drums"])
def test_a_jazz_combo_with_a_horn_line_is_no_street_band(aurora: Aurora, prompt: str) -> None:
    assert _style(aurora, prompt)[1] != "New Orleans Jazz"


@pytest.mark.parametrize("prompt", ["boom bap beat with a tight drum line and a second line on the flute",
                                    "festive song for a diwali party"])
def test_a_common_phrase_inside_a_new_alias_names_no_new_style(aurora: Aurora, prompt: str) -> None:
    """A drum line is a drum part and a second line a second melody: only the compounds name a style."""
    assert _style(aurora, prompt)[1] not in ("March", "New Orleans Jazz", "Christmas")


@pytest.mark.parametrize(("prompt", "style"), [
    ("zydeco two step with fiddle", "Cajun / Zydeco"),  # the dance, not UK garage's 2-step
    ("texas two-step", "Country"),
    ("2-step, 132bpm, chopped vocals", "UK Garage"),  # alone it names the garage style, as before
    ("2-step garage", "UK Garage"),
])
def test_a_two_step_after_another_genre_is_its_dance(aurora: Aurora, prompt: str, style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert style in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize("prompt", ["sinister villain theme w/ brass, D minor", "love theme for strings and piano",
                                    "main theme, heroic and brassy", "end credits music, bittersweet"])
def test_a_character_s_theme_is_a_score(aurora: Aurora, prompt: str) -> None:
    """"sinister villain theme w/ brass" had been soul (the brass's broadest genre), "villain theme" phonk."""
    assert aurora.parse(prompt=prompt).parsed_parameters.genre.value == "Film Score / Cinematic"
