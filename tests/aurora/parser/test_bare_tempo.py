"""A bare number beside a style word, or after "at"/"@", is the tempo the user typed ("funky house 124", "dark techno
at 128"), stated, never the genre's usual one; numbers that name something else (eras, model numbers, meters, bars,
lengths, charts, years, percentages, frequencies) never take. Phrased the way users type."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.bare_tempo import BareTempo
from knowledge_base import KnowledgeBase


@pytest.mark.parametrize(("prompt", "bpm"), [
    ("funky house 124", 124),
    ("minimal techno 130 with acid bassline", 130),
    ("a hard techno 145 track", 145),
    ("dnb 174 rolling bassline", 174),
    ("uk garage 2step 132", 132),
    ("lofi 70", 70),
    ("hip hop 90 boom bap", 90),
    ("chill trap 140", 140),
    ("90s eurodance 140", 140),
    ("1970s disco 120", 120),
    ("melodic dubstep 150", 150),
    ("afro house 122, percussion", 122),
    ("dark techno at 128", 128),
    ("slow jam rnb 68", 68),
    ("boom bap @ 92, dusty drums", 92),
    ("a 128 techno track", 128),
    ("a trance tune 138", 138),
    ("piano ballad 72", 72),
    ("deep house - 124 - dark", 124),
    ("lofi (70)", 70),
])
def test_a_bare_number_beside_a_style_is_the_stated_tempo(aurora: Aurora, prompt: str, bpm: int) -> None:
    tempo = aurora.parse(prompt=prompt).parsed_parameters.tempo
    assert (tempo.bpm, tempo.type) == (bpm, "explicit")


@pytest.mark.parametrize("prompt", [
    "808 trap beat, 90s vibe",            # a drum machine, an era
    "80's synth pop",
    "jazz waltz in 3/4, 2 minutes",       # a meter, a length
    "techno in 7/8",
    "top 40 pop song like it's 1985",     # a chart, a year
    "a 1985 rock song",
    "deep house 64 bar intro then the drop",  # counts of bars and loops
    "hip hop 16 bars",
    "house 64 loops",
    "lofi 90 seconds long",               # lengths
    "lofi 30 s",
    "acid techno with a 303 and a 909",   # model numbers
    "sp-1200 boom bap",
    "juno 106 synthwave",
    "techno 101",
    "Key: 9A techno",                     # a key code
    "house 100% wet reverb",              # a percentage, a frequency
    "dubstep 100 hz sub",
    "12 bar blues",
    "uk garage 2step",
    "blink 182 pop punk",                 # a band's name: the number does not open its phrase
    "50 cent style hip hop",
])
def test_numbers_that_name_something_else_are_no_tempo(aurora: Aurora, prompt: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.tempo.type == "inferred"


def test_the_finder_needs_a_style_word_or_at(kb: KnowledgeBase) -> None:
    finder = BareTempo(kb)
    assert finder.find("warm pads 124") is None  # no style word beside it: a count, a name, anything
    assert finder.find("warm pads at 124") == 124
    assert finder.find("house track 124") == 124  # one noun may sit between
    assert finder.find("techno 300") is None  # outside the tempo range


def test_a_stated_number_beats_the_word_beside_it(aurora: Aurora) -> None:
    """'slow jam rnb 68' was 72 (the word 'slow'), typed explicit: the number is what was asked."""
    result = aurora.parse(prompt="slow jam rnb 68")
    assert result.parsed_parameters.tempo.bpm == 68
    assert "tempo" in result.parsed_parameters.explicit
