"""A third helping of styles users name that the knowledge base lacked: a qawwali was Indian classical (sitar,
tanpura, mridangam), a cha-cha-chá a salsa (at salsa's 180 BPM when no tempo was stated), a Korean trot K-pop (808s,
vocal chops), a sertanejo or a township jive Pop, an mbaqanga the generic African band with kora and djembe."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import assert_own_band, assert_own_groove, hits

NEW_STYLES = ("qawwali", "sertanejo", "cha_cha_cha", "trot", "mbaqanga")


@pytest.mark.parametrize(("prompt", "genre", "style"), [
    ("qawwali with harmonium, tabla and handclaps", "Asian / East Asian Traditional", "qawwali"),
    ("brazilian sertanejo with acoustic guitar and accordion", "Country", "sertanejo"),
    ("cha cha cha with flute and violins, 120 bpm", "Latin", "cha_cha_cha"),
    ("korean trot song, 120 bpm", "Pop", "trot"),
    ("south african mbaqanga, jive guitar and bass", "African", "mbaqanga"),
    ("township jive band", "African", "mbaqanga"),
])
def test_a_named_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str,
                                                  style: str) -> None:
    assert_own_band(aurora, kb, prompt, genre, style)


def test_a_cha_cha_is_played_at_its_own_tempo(aurora: Aurora) -> None:
    """A cha-cha-chá with no tempo stated is a strut near 120, not salsa's 180."""
    p = aurora.parse(prompt="a cha cha cha with flute").parsed_parameters
    assert 108 <= p.tempo.bpm <= 132


@pytest.mark.parametrize(("prompt", "not_style"), [
    ("foxtrot for a ballroom dance", "Trot"),
    ("sufi music with ney and daf", "Qawwali"),  # sufi music stays Middle Eastern
    ("a salsa dura with timbales", "Cha-cha-chá"),
    ("country song with acoustic guitar", "Sertanejo"),  # a mood or a line-up alone picks none of them
    ("afrobeat with horns", "Mbaqanga"),
])
def test_a_word_near_a_new_style_names_no_new_style(aurora: Aurora, prompt: str, not_style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert not_style not in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize(("genre", "meter", "groove"), [
    ("qawwali", "4/4", "qawwali"), ("qawwali", "6/8", "qawwali_6_8"), ("sertanejo", "4/4", "sertanejo"),
    ("sertanejo", "3/4", "sertanejo_3_4"), ("cha_cha_cha", "4/4", "cha_cha_cha"), ("trot", "4/4", "trot"),
    ("trot", "2/4", "trot_2_4"), ("mbaqanga", "4/4", "mbaqanga"),
])
def test_each_new_style_plays_its_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    assert_own_groove(kb, genre, meter, groove)


def test_the_grooves_keep_their_cells(kb: KnowledgeBase) -> None:
    """The cha-cha's güiro splits the fourth beat (one, two, three, cha-cha); trot's ppongjjak is the kick on the
    beats and the snare on the off-beats; the qawwali's claps fall on the beats."""
    levels = {g.id: g.levels for g in kb.grooves}
    assert hits(levels["cha_cha_cha"]["mid"]["guiro"]) == [0, 4, 8, 12, 14]
    assert hits(levels["trot"]["mid"]["kick"]) == [0, 4, 8, 12]
    assert hits(levels["trot"]["mid"]["snare"]) == [2, 6, 10, 14]
    assert hits(levels["qawwali"]["mid"]["clap"]) == [0, 4, 8, 12]


def test_new_genres_keep_the_embedding_slots(kb: KnowledgeBase) -> None:
    genres = [g.id for g in kb.genres]
    start, stop = kb.control_embedding.span("genre")
    assert all(genres.index(g) >= stop - start and kb.genre(g).parent for g in NEW_STYLES)
