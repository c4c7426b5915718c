"""Sub-genres users name that the knowledge base lacked or mis-mapped: gothic rock (was Heavy Metal), afro house (was
Amapiano, a slower South African style), latin jazz (was Latin with no sub-genre). Each plays a fitting groove: its
parent's (rock, house) or, for latin jazz, the straight latin groove rather than jazz's swing."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase


@pytest.mark.parametrize(("prompt", "genre", "sub_genre"), [
    ("gothic rock, dark, 130", "Rock", "Gothic Rock"),
    ("goth rock with chorus guitar and deep male vocals", "Rock", "Gothic Rock"),
    ("afro house 122, percussion", "Electronic", "Afro House"),
    ("latin jazz w/ piano montuno", "Jazz", "Latin Jazz"),
    ("afro-cuban jazz with congas and trumpet", "Jazz", "Latin Jazz"),
    ("amapiano with log drums and shakers", "African", "Amapiano"),  # its own name still names it
])
def test_a_named_sub_genre_is_parsed(aurora: Aurora, prompt: str, genre: str, sub_genre: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert (p.genre.value, p.sub_genre.value) == (genre, sub_genre)


@pytest.mark.parametrize(("genre", "groove"), [("latin_jazz", "latin"), ("afro_house", "house"),
                                               ("gothic_rock", "rock")])
def test_each_new_sub_genre_plays_a_fitting_groove(kb: KnowledgeBase, genre: str, groove: str) -> None:
    pattern, style = select_groove(kb.grooves, kb.genre_lineage(genre), Meter.parse("4/4"))
    assert style.id == groove and pattern.id == groove
    assert kb.genre(genre).swing == 0.0 or genre == "afro_house"  # latin jazz is straight, not jazz's swing


def test_new_genres_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    """Appended after the 128 genre slots, so every existing vector keeps its meaning; each shares its parent's."""
    ids = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(ids.index(g) >= stop - start for g in ("gothic_rock", "afro_house", "latin_jazz"))


@pytest.mark.parametrize("prompt", ["a quartet: sax, piano, bass and drums", "jazz waltz 3/4 piano trio in Bb",
                                    "5/4 jazz, piano and sax, 160bpm"])
def test_a_jazz_combo_without_latin_cues_is_no_latin_jazz(aurora: Aurora, prompt: str) -> None:
    """Latin jazz is told by its percussion (congas, timbales, bongos), not by the combo every jazz style shares."""
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value != "Latin Jazz"


@pytest.mark.parametrize(("prompt", "not_sub_genre"), [
    # a stated swing feel is no straight-sixteenths style: jazz fusion and smooth jazz swing 0.2
    ("jazz quartet: tenor sax, piano, upright bass, drums. medium swing 160. Key of F", "Jazz Fusion"),
    ("a quartet: sax, piano, bass and drums, swinging, 220 bpm", "Jazz Fusion"),
])
def test_a_stated_swing_keeps_a_swinging_style(aurora: Aurora, prompt: str, not_sub_genre: str) -> None:
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    assert parsed.genre.value == "Jazz" and parsed.sub_genre.value != not_sub_genre, prompt
    assert parsed.key_signature.value.endswith("major") or "F" not in prompt, parsed.key_signature.value


@pytest.mark.parametrize(("prompt", "sub_genre"), [
    ("trumpet solo over a slow jazz ballad, 64 bpm", None),  # one trumpet is no New Orleans street band
    ("jazz with tuba, banjo and clarinet", "New Orleans Jazz"),  # three of its own players are
    ("country song with banjo", None),
    ("country tune, banjo fiddle and mandolin", "Bluegrass"),
])
def test_a_closed_band_is_told_by_its_players(aurora: Aurora, prompt: str, sub_genre: str | None) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == sub_genre, prompt


@pytest.mark.parametrize("prompt", ["jazz with trumpet and sax", "jazz, sax and trumpet, upbeat"])
def test_the_parent_s_own_players_name_no_closed_band(aurora: Aurora, prompt: str) -> None:
    """A trumpet and a sax are the jazz combo's players as much as a street band's: they had made it New Orleans
    jazz, a tuba and a banjo under them."""
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    assert parsed.genre.value == "Jazz" and parsed.sub_genre.value != "New Orleans Jazz", prompt
    assert not {i.name for i in parsed.instrumentation} & {"Tuba", "Banjo"}


@pytest.mark.parametrize("prompt", ["flamenco guitar rumba, E phrygian, 120 bpm", "gipsy kings style guitar rumba",
                                    "spanish guitar rumba, 120 bpm"])
def test_a_guitar_rumba_is_flamenco(aurora: Aurora, prompt: str) -> None:
    """'rumba' alone names Latin music; the guitar's rumba (rumba flamenca) is flamenco's: 'flamenco guitar rumba'
    had become a bachata once 'rumba' named Latin."""
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == "Flamenco", prompt
