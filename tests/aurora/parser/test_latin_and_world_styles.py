"""A second batch of styles users name that the knowledge base lacked: a mariachi was Latin with congas, a guessed
acoustic guitar and a bass guitar; a Hawaiian slack-key guitar Pop with a drum kit, a synth and a singer; a forró,
a bolero, a Balkan brass band or a dangdut Pop; a bhangra Bollywood strings and sitar; a soukous the generic African
band with kora and djembe. Each is now a genre of its own (appended to genres.yaml, its parent's embedding slot),
named by its words and played by its own band and groove."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import assert_own_band, assert_own_groove, groove_levels, hits

NEW_STYLES = ("mariachi", "norteno", "hawaiian", "bhangra", "merengue", "son_cubano", "bolero", "forro", "chanson",
              "soukous", "balkan_brass", "dangdut")
NEW_INSTRUMENTS = ["guitarron", "bajo_sexto", "tumbi", "tambora", "zabumba"]


@pytest.mark.parametrize(("prompt", "genre", "style"), [
    ("mariachi band with trumpets and violins, 3/4, G major", "Latin", "mariachi"),
    ("mexican ranchera song", "Latin", "mariachi"),
    ("hawaiian slack key guitar, relaxing, ocean", "Traditional / World", "hawaiian"),
    ("hula music", "Traditional / World", "hawaiian"),
    ("bhangra party track with dhol, 100 bpm", "Asian / East Asian Traditional", "bhangra"),
    ("merengue dance tune, fast", "Latin", "merengue"),
    ("son cubano with tres and bongos", "Latin", "son_cubano"),
    ("romantic bolero, slow, requinto guitar", "Latin", "bolero"),
    ("norteño with accordion and bajo sexto", "Latin", "norteno"),
    ("narcocorridos", "Latin", "norteno"),
    ("tejano music", "Latin", "norteno"),
    ("forró with accordion, zabumba and triangle", "Latin", "forro"),
    ("french chanson with accordion, waltz", "Folk", "chanson"),
    ("congolese soukous with guitars, 130 bpm", "African", "soukous"),
    ("balkan brass band, fast, 7/8", "Traditional / World", "balkan_brass"),
    ("indonesian dangdut with suling and tabla", "Asian / East Asian Traditional", "dangdut"),
])
def test_a_named_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str,
                                                  style: str) -> None:
    """The genre and sub-genre are the style's, and every guessed player comes from its line-up (no congas or bass
    guitar under a mariachi, no drum kit or synth under a slack-key guitar, no kora under a soukous)."""
    assert_own_band(aurora, kb, prompt, genre, style)


@pytest.mark.parametrize(("prompt", "meter"), [
    ("mariachi band with trumpets and violins, G major", "3/4"),  # the ranchera valseada, the genre's first meter
    ("son jalisciense, fiery", "6/8"),  # the mariachi's son is a six-eight (feels.yaml)
    ("huapango with violins", "6/8"),
    ("norteño polka", "2/4"),
    ("balkan brass band, 9/8", "9/8"),
])
def test_a_style_takes_its_own_meter(aurora: Aurora, prompt: str, meter: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.time_signature.value == meter


@pytest.mark.parametrize(("prompt", "not_style"), [
    ("ravel's bolero for orchestra", "Bolero"),  # the orchestral Boléro, not the Latin song
    ("a happy latin song", "Merengue"),  # a mood alone picks none of them: their moods are their parents'
    ("passionate latin dance", "Bolero"),
    ("festive traditional music", "Balkan Brass"),
    ("relaxing acoustic guitar, ocean", "Hawaiian"),
    ("singer songwriter with acoustic guitar", "Chanson"),
    ("african music with djembe", "Soukous"),
    ("indian wedding song", "Bhangra"),
    ("conjunto de jazz", "Norteño"),  # "conjunto" alone is any ensemble
    ("a salsa with timbales", "Son Cubano"),
    # prompts naming no style: no new anchor may lie nearest by accident (the bolero's "minor chords" and "nostalgic"
    # had made a melancholic cello a generic prompt, pop)
    ("melancolic cello in D minor", "Pop"),
    ("melancolic cello in D minor", "Bolero"),
    ("12 string guitar, 90 bpm", "Norteño"),  # the bajo sexto is its own player, the 12-string names no genre
])
def test_a_word_near_a_new_style_names_no_new_style(aurora: Aurora, prompt: str, not_style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert not_style not in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("mariachi", "3/4", "mariachi"), ("mariachi", "2/4", "mariachi_2_4"), ("mariachi", "6/8", "mariachi_6_8"),
    ("norteno", "2/4", "norteno"), ("norteno", "3/4", "norteno_3_4"), ("hawaiian", "4/4", "hawaiian"),
    ("hawaiian", "3/4", "hawaiian_3_4"), ("bhangra", "4/4", "bhangra"), ("merengue", "4/4", "merengue"),
    ("merengue", "2/4", "merengue_2_4"), ("son_cubano", "4/4", "son_cubano"), ("bolero", "4/4", "bolero"),
    ("forro", "4/4", "forro"), ("forro", "2/4", "forro_2_4"), ("chanson", "4/4", "chanson"),
    ("chanson", "3/4", "chanson_3_4"), ("soukous", "4/4", "soukous"), ("balkan_brass", "2/4", "balkan_brass"),
    ("balkan_brass", "7/8", "balkan_brass_7_8"), ("balkan_brass", "9/8", "balkan_brass_9_8"),
    ("dangdut", "4/4", "dangdut"),
])
def test_each_new_style_plays_its_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    assert_own_groove(kb, genre, meter, groove)


def test_the_grooves_keep_their_cells(kb: KnowledgeBase) -> None:
    """The son's 3-2 clave and anticipated tumbao bass; the baião's zabumba on one and the last sixteenth of the
    first beat; the ranchera valseada's bass on one alone; the mariachi son's guitarrón in two dotted quarters under
    the strum's three quarters; the Balkan 7/8 as 3+2+2 and 9/8 as 2+2+2+3; the soukous cavacha in sixteenths."""
    son = groove_levels(kb, "son_cubano")["mid"]
    assert hits(son["clave"]) == [0, 3, 6, 10, 12] and hits(son["kick"]) == [6, 12]
    assert hits(groove_levels(kb, "forro")["mid"]["kick"])[:2] == [0, 3]
    assert hits(groove_levels(kb, "mariachi")["mid"]["kick"]) == [0]
    six_eight = groove_levels(kb, "mariachi_6_8")["mid"]
    assert hits(six_eight["kick"]) == [0, 6] and hits(six_eight["snare"]) == [4, 8]
    assert hits(groove_levels(kb, "balkan_brass_7_8")["mid"]["kick"]) == [0, 6, 10]
    assert hits(groove_levels(kb, "balkan_brass_9_8")["mid"]["kick"]) == [0, 4, 8, 12]
    assert groove_levels(kb, "soukous")["high"]["snare"].count(".") == 0
    assert hits(groove_levels(kb, "merengue")["mid"]["guiro"]) == hits("X.xxX.xxX.xxX.xx")


def test_new_genres_and_instruments_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    """Appended after the existing entries, each sharing its nearest slotted ancestor's genre slot."""
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start and kb.genre(g).parent for g in NEW_STYLES)
    instruments = [i.id for i in kb.instruments]
    first = instruments.index(NEW_INSTRUMENTS[0])  # later batches append after them
    assert instruments[first:first + 5] == NEW_INSTRUMENTS and instruments.index("krakebs") < first
    start, stop = kb.control_embedding.span("instrumentation")
    assert len(instruments) <= stop - start


@pytest.mark.parametrize(("phrase", "instrument"), [
    ("guitarron", "Guitarrón"), ("tumbi", "Tumbi"), ("tambora", "Tambora"), ("zabumba", "Zabumba"),
    ("bajo sexto", "Bajo Sexto"), ("slack key guitar", "Acoustic Guitar"), ("güira", "Guiro"),
    ("suling", "Bansuri"), ("vihuela", "Cuatro"),
])
def test_the_new_players_are_heard(aurora: Aurora, phrase: str, instrument: str) -> None:
    p = aurora.parse(prompt=f"a tune with {phrase}").parsed_parameters
    assert instrument in {i.name for i in p.instrumentation if i.source == "stated"}


def test_the_new_drums_sound_as_drums(kb: KnowledgeBase) -> None:
    """A tambora and a zabumba are drums with their own strokes, not the default shaker."""
    assert kb.synth_presets.percussion_voices("tambora") == ["conga_low", "rim"]
    assert kb.synth_presets.percussion_voices("zabumba") == ["tom_low", "rim"]
