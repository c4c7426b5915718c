"""The head noun of a phrase names the genre; a genre adjective ("jazzy", "funky", "bluesy") or a genre noun before
another genre or an instrument ("country rap", "disco strings") flavours it, and names its own genre only when
nothing else does. Where modifier and head make a genre the knowledge base names, that genre is the one named."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.genre_heads import GenreHeads
from aurora.parser.lexicon import Lexicon
from knowledge_base import KnowledgeBase


def _style(aurora: Aurora, prompt: str) -> tuple[str, str | None]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    return p.genre.value, p.sub_genre.value


@pytest.mark.parametrize(("prompt", "genre", "sub_genre"), [
    ("jazzy hip hop w/ upright bass, muted trumpet, 88 bpm", "Hip Hop", "Boom Bap"),  # jazz rap
    ("funky house 124 with disco strings", "Electronic", "House"),
    ("bluesy rock, slide guitar, 110", "Blues", "Blues Rock"),
    ("poppy punk song with fast drums", "Rock", "Pop Punk"),
    ("jazz piano chords over a trap beat", "Hip Hop", "Trap"),
    ("soulful house with piano chords", "Electronic", "House"),
    ("swing jazz, big band horns, 160 bpm", "Jazz", "Swing / Big Band"),  # a kind of the head: said precisely
    ("epic cinematic orchestral piece with choir and drums", "Film Score / Cinematic", "Epic Trailer"),  # adjectives
    ("celtic punk with bagpipes, 170 bpm", "Rock", "Punk Rock"),  # had been two heads: a Celtic jig in 6/8
    ("orchestral hybrid trailer with braams", "Film Score / Cinematic", "Epic Trailer"),  # had been Romantic
    ("j-rock anime opening with distorted guitars", "Rock", "J-rock"),  # an anime opening is a use: was J-pop
    ("upbeat anime opening", "Pop", "J-pop"),  # alone, the use names the style it is usually played in
])
def test_the_head_noun_names_the_genre(aurora: Aurora, prompt: str, genre: str, sub_genre: str) -> None:
    assert _style(aurora, prompt) == (genre, sub_genre)


@pytest.mark.parametrize(("prompt", "genre"), [
    ("guitar solo over a funky groove", "Funk"),  # the adjective alone names its genre
    ("jazzy piano, rainy night", "Jazz"),
    ("jazz guitar, warm, 90", "Jazz"),             # a genre word before an instrument, alone
    ("country rap with banjo and 808s", "Hip Hop"),
    ("dancehall riddim 100 bpm", "Reggae"),        # a riddim is the instrumental a dancehall song rides
    ("tense action chase cue, 150 bpm, C minor", "Film Score / Cinematic"),  # a cue is music for a scene (it was
    ("romantic comedy cue, light pizzicato strings", "Film Score / Cinematic"),  # hyperpop, and pop with a singer)
    ("lofi cue for a vlog", "Hip Hop"),            # beside another genre, that genre plays
    ("k-pop girl group song, bright synths, 128 bpm", "Pop"),  # a girl group is an ensemble (it was Motown)
    ("60s girl group song", "Soul"),               # alone, the sound of the 60s girl groups
])
def test_a_modifier_names_its_genre_only_alone(aurora: Aurora, prompt: str, genre: str) -> None:
    assert _style(aurora, prompt)[0] == genre


def test_the_reading_of_a_phrase(kb: KnowledgeBase) -> None:
    nouns = Lexicon([(n, g.id) for g in kb.genres for n in (g.name, g.id.replace("_", " "), *g.aliases)])
    heads = GenreHeads(kb, nouns)
    reading = heads.read("jazzy hip hop with disco strings")
    assert reading.heads == ["boom_bap"] and reading.modifiers == ["jazz", "disco"]
    assert heads.read("a funky groove").heads == [] and heads.read("a funky groove").modifiers == ["funk"]
    assert heads.read("jazzy, then a hip hop beat").heads == ["hip_hop"]  # a new clause: no composition
    assert heads.read("hip hop without jazzy chords").modifiers == []  # ruled out


def test_a_genre_adjective_is_a_known_word(aurora: Aurora) -> None:
    """Spelling correction left 'punky' alone only once it knew the word: it had made it 'funky' (funk)."""
    assert _style(aurora, "punky attitude, fast drums") == ("Rock", "Punk Rock")
    assert _style(aurora, "a jazzy chill hip hop beat")[0] == "Hip Hop"  # the adjective before another: no jazz rap


@pytest.mark.parametrize(("prompt", "style"), [
    ("bagpipes lament, slow, A mixolydian", ("Folk", "Celtic")),   # was pop with a drum kit and a singer
    ("harpsichord piece, happy", ("Classical", "Baroque")),
    ("kora and djembe groove", ("African", None)),
    ("lofi beat with koto", ("Hip Hop", "Lo-fi Hip Hop")),          # a named genre still wins
    ("sad tin whistle air", ("Folk", "Celtic")),
])
def test_a_player_only_one_family_has_names_it(aurora: Aurora, prompt: str, style: tuple[str, str | None]) -> None:
    """A prompt that names no genre but a player only one family's line-ups list is that family's music."""
    genre, sub_genre = _style(aurora, prompt)
    assert genre == style[0] and (style[1] is None or sub_genre == style[1])


def test_a_signature_player_never_names_a_genre_the_moods_oppose(aurora: Aurora) -> None:
    """A music box is the lullaby's alone, but a "spooky halloween" one is no lullaby (it had become one at 66 BPM)."""
    assert _style(aurora, "spooky halloween music, music box and strings, slow")[0] != "Children's Music"
    assert _style(aurora, "spooky halloween music, music box and strings, slow")[1] != "Lullaby"


@pytest.mark.parametrize(("prompt", "style"), [
    ("80s synth pop, bright", ("Pop", "Synth-pop")),         # "80s synth" (synthwave) had taken "synth": Indie Pop
    ("80s synth pop song", ("Pop", "Synth-pop")),            # had been J-pop
    ("dark synth pop with gated drums", ("Pop", "Synth-pop")),
    ("80s pop punk", ("Rock", "Pop Punk")),                  # "80s pop" (synth-pop) had taken "pop"
    ("80s pop rock anthem", ("Rock", "Pop Rock")),
    ("classic rock and roll", ("Rock", "Rock and Roll")),    # a kind of the earlier one: the more specific
    ("synth pop song", ("Pop", "Synth-pop")),                # "pop song" adds only a generic word
    ("epic orchestral piece", ("Film Score / Cinematic", "Epic Trailer")),
    ("dark ambient drone", ("Electronic", "Dark Ambient")),  # "ambient drone" names a family of dark ambient
])
def test_of_two_overlapping_genre_names_the_head_wins(aurora: Aurora, prompt: str, style: tuple[str, str]) -> None:
    """Two genre names that share a word: the later one is the head noun, unless it adds only a generic word or
    names a family of the earlier, more specific one."""
    assert _style(aurora, prompt) == style
