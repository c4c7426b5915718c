"""A fourth helping of styles users name that the knowledge base lacked: a dabke was Pop or Raï (a drum kit and a
singer, or a synth and an accordion), a rebetiko Fado, a kwaito and a gqom Amapiano (log drum, jazzy piano), a jùjú
Highlife (horns, no talking drum), an mbalax the generic African band (kora, djembe), a coupé-décalé Hyperpop or K-pop,
a sevdah, a chamamé and a champeta Pop, a morna and a semba Samba, a vallenato Cumbia, a mento Reggaeton or Son Cubano,
a bluegrass gospel Gospel (a kit, an organ and a choir)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import (
    assert_own_band,
    assert_own_groove,
    assert_players_stated,
    groove_levels,
    hits,
)

NEW_STYLES = ("dabke", "rebetiko", "mbalax", "kwaito", "gqom", "juju", "coupe_decale", "sevdah", "morna", "chamame",
              "vallenato", "mento", "champeta", "semba")


@pytest.mark.parametrize(("prompt", "genre", "style"), [
    ("lebanese dabke with tabl and mijwiz, 2/4", "Middle Eastern", "dabke"),
    ("dabke for a wedding, darbuka and keyboard, 4/4", "Middle Eastern", "dabke"),
    ("rebetiko song with bouzouki, 9/8", "Traditional / World", "rebetiko"),
    ("greek rembetiko, zeibekiko, baglamas", "Traditional / World", "rebetiko"),
    ("senegalese mbalax with sabar drums, 120 bpm", "African", "mbalax"),
    ("kwaito from soweto, 110 bpm", "African", "kwaito"),
    ("durban gqom, broken kicks", "African", "gqom"),
    ("nigerian juju music with talking drum and guitars", "African", "juju"),
    ("yoruba jùjú with pedal steel and talking drums", "African", "juju"),
    ("coupé-décalé party track, 140 bpm", "African", "coupe_decale"),
    ("ivorian coupe decale, 135 bpm", "African", "coupe_decale"),
    ("bosnian sevdah with accordion, slow", "Traditional / World", "sevdah"),
    ("sevdalinka, melancholic, 7/8", "Traditional / World", "sevdah"),
    ("cape verdean morna with cavaquinho", "African", "morna"),
    ("argentine chamamé with accordion and guitar", "Latin", "chamame"),
    ("colombian vallenato with accordion, caja and guacharaca", "Latin", "vallenato"),
    ("jamaican mento with banjo and rumba box", "Reggae", "mento"),
    ("champeta from cartagena, 120 bpm", "Latin", "champeta"),
    ("semba from luanda, 120 bpm", "African", "semba"),
])
def test_a_named_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str,
                                                  style: str) -> None:
    assert_own_band(aurora, kb, prompt, genre, style)


@pytest.mark.parametrize(("prompt", "players"), [
    ("lebanese dabke with tabl and mijwiz", {"Tabl", "Mijwiz"}),
    ("mbalax dance track, sabar and talking drum, fast", {"Sabar", "Talking Drum"}),
    ("jamaican mento with banjo and rumba box", {"Banjo", "Rumba Box"}),
    ("colombian vallenato with accordion, caja and guacharaca", {"Accordion", "Caja Vallenata", "Guiro"}),
])
def test_the_styles_own_players_are_heard_as_named(aurora: Aurora, prompt: str, players: set[str]) -> None:
    """The tabl, the mijwiz, the sabar, the rumba box and the caja were no instruments (dropped), the talking drum a
    djembe's other name."""
    assert_players_stated(aurora, prompt, players)


@pytest.mark.parametrize(("prompt", "meter"), [
    ("greek rembetiko, zeibekiko, baglamas", "9/8"),  # the feel word says the meter
    ("a hasapiko with bouzouki", "2/4"),
    ("rebetiko song with bouzouki", "9/8"),  # the zeibekiko is the style's own meter
    ("argentine chamamé with accordion", "6/8"),
])
def test_a_style_is_played_in_its_own_meter(aurora: Aurora, prompt: str, meter: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.time_signature.value == meter


def test_a_zeibekiko_is_slow(aurora: Aurora) -> None:
    """Nine slow eighths: the dotted quarter near 60 (the old parse read 97 BPM in four)."""
    assert aurora.parse(prompt="greek rembetiko, zeibekiko").parsed_parameters.tempo.bpm <= 76


@pytest.mark.parametrize(("prompt", "not_style"), [
    ("south african house", "Kwaito"),  # stays Amapiano
    ("house music, 124 bpm", "Kwaito"),
    ("highlife with guitars and horns", "Jùjú"),
    ("colombian cumbia with accordion", "Vallenato"),
    ("irish bouzouki and guitar", "Rebetiko"),  # the Irish bouzouki is Celtic's too: the bouzouki alone names no one
    ("santoor solo", "Rebetiko"),
    ("kizomba, slow and sensual", "Semba"),  # stays Zouk
    ("samba with cavaquinho", "Morna"),
    ("tango with bandoneon", "Chamamé"),
    ("roots reggae, one drop", "Mento"),
    ("belly dance with darbuka", "Dabke"),
    ("sad accordion ballad", "Sevdah"),  # a mood or a line-up alone picks none of them
    ("accordion and violin, melancholic", "Sevdah"),
    ("dark club track, 126 bpm", "Gqom"),
])
def test_a_word_near_a_new_style_names_no_new_style(aurora: Aurora, prompt: str, not_style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert not_style not in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize("prompt", ["bluegrass gospel with banjo and harmonies", "old time bluegrass gospel quartet"])
def test_bluegrass_gospel_is_a_bluegrass_band(aurora: Aurora, prompt: str) -> None:
    """It had been Gospel: a drum kit, a Hammond organ and a choir around the banjo."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.sub_genre.value == "Bluegrass"
    assert not {i.name for i in p.instrumentation} & {"Drum Kit", "Hammond Organ", "Choir"}


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("dabke", "4/4", "dabke"), ("dabke", "2/4", "dabke_2_4"), ("rebetiko", "9/8", "rebetiko_9_8"),
    ("rebetiko", "4/4", "rebetiko"), ("rebetiko", "2/4", "rebetiko_2_4"), ("mbalax", "4/4", "mbalax"),
    ("kwaito", "4/4", "kwaito"), ("gqom", "4/4", "gqom"), ("juju", "4/4", "juju"),
    ("coupe_decale", "4/4", "coupe_decale"), ("sevdah", "4/4", "sevdah"), ("sevdah", "7/8", "sevdah_7_8"),
    ("morna", "4/4", "morna"), ("chamame", "6/8", "chamame"), ("chamame", "3/4", "chamame_3_4"),
    ("vallenato", "4/4", "vallenato"), ("vallenato", "2/4", "vallenato_2_4"), ("mento", "4/4", "mento"),
    ("champeta", "4/4", "champeta"), ("semba", "4/4", "semba"),
])
def test_each_new_style_plays_its_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    assert_own_groove(kb, genre, meter, groove)


def test_the_grooves_keep_their_cells(kb: KnowledgeBase) -> None:
    """Gqom's kick is broken (no four-on-the-floor), kwaito's is house's slowed down; the zeibekiko's nine eighths fall
    2+2+2+3 (the bass on one and on the long fourth beat); the dabke's tabl stamps dum-dum on one, dum on three; the
    mento banjo strums the off-beats; the chamamé's bass keeps the six-eight's two beats under a strum in three."""
    assert hits(groove_levels(kb, "gqom")["mid"]["kick"]) != [0, 4, 8, 12]
    assert hits(groove_levels(kb, "kwaito")["mid"]["kick"]) == [0, 4, 8, 12]
    assert hits(groove_levels(kb, "rebetiko_9_8")["mid"]["kick"]) == [0, 12]
    assert hits(groove_levels(kb, "dabke")["mid"]["kick"]) == [0, 2, 8]
    grooves = {g.id: g for g in kb.grooves}
    assert [i for i, c in enumerate(grooves["mento"].comping.pattern) if c in "Xx"] == [2, 6, 10, 14]
    assert hits(groove_levels(kb, "chamame")["mid"]["kick"]) == [0, 6]
    assert [i for i, c in enumerate(grooves["chamame"].comping.pattern) if c in "Xx"] == [0, 4, 8]


def test_each_new_drum_plays_its_own_voices(kb: KnowledgeBase) -> None:
    """The tabl's stamp is a low drum (it had no voice of its own: a shaker), the talking drum no djembe."""
    voices = kb.synth_presets.percussion_voices
    assert "tom_low" in voices("tabl") and "tom_mid" in voices("talking_drum")
    assert voices("sabar") != voices("djembe") and voices("caja_vallenata") != kb.synth_presets.default_percussion
    assert kb.find_instrument("talking drum").id == "talking_drum"


def test_new_genres_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start and kb.genre(g).parent for g in NEW_STYLES)


def test_new_instruments_are_appended_within_the_embedding(kb: KnowledgeBase) -> None:
    instruments = [i.id for i in kb.instruments]
    first = instruments.index("tabl")
    assert instruments[first:first + 6] == ["tabl", "mijwiz", "sabar", "talking_drum", "rumba_box", "caja_vallenata"]
    assert instruments.index("zabumba") < first
    start, stop = kb.control_embedding.span("instrumentation")
    assert len(instruments) <= stop - start
