"""A word for a kind of instrument is the genre's own: 'bass' in a jazz trio is the double bass, a house
'bassline' the synth bass, 'guitar' in bossa nova the nylon guitar; specific names stay as written."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import is_kind_word, kind_in_lineup


def test_kind_words_come_from_the_instrument_names(kb: KnowledgeBase) -> None:
    assert is_kind_word(kb, "bass") and is_kind_word(kb, "guitar") and is_kind_word(kb, "Keys")
    assert not is_kind_word(kb, "theremin") and not is_kind_word(kb, "") and not is_kind_word(kb, "double bass")
    guitar = kb.find_instrument("bass guitar")
    assert guitar is not None
    assert kind_in_lineup(kb, "bass", guitar, ["drum_kit", "double_bass", "piano"]).id == "double_bass"
    assert kind_in_lineup(kb, "bass", guitar, ["drum_kit", "bass_guitar", "synth_bass"]).id == "bass_guitar"
    assert kind_in_lineup(kb, "electric bass", guitar, ["double_bass"]).id == "bass_guitar"  # a specific name
    assert kind_in_lineup(kb, "bass", guitar, ["piano"]).id == "bass_guitar"  # no bass in the line-up
    assert kind_in_lineup(kb, "walking bass", guitar, ["drum_kit", "double_bass"]).id == "double_bass"  # a part


def test_part_aliases_must_be_aliases() -> None:
    from pydantic import ValidationError

    from knowledge_base.schema import Instrument

    with pytest.raises(ValidationError, match="part_aliases"):
        Instrument(id="x", name="X", family="strings", roles=["bass"], register="low", part_aliases=["walking x"])


@pytest.mark.parametrize(("prompt", "expected", "absent"), [
    ("jazz trio, swinging, piano bass and drums, 140 bpm", "Double Bass", "Bass Guitar"),
    ("deep house track 124 bpm with a warm bassline and hi-hats", "Synth Bass", "Bass Guitar"),
    ("bossa nova with guitar and flute", "Classical Guitar", "Guitar"),
    ("rock song with guitar, bass and drums", "Bass Guitar", "Double Bass"),
    ("smooth jazz with an electric bass and sax", "Bass Guitar", "Double Bass"),
    # a part, not an instrument: a bebop walking bass is the upright, a house bass line the synth bass
    ("bebop tune, fast walking bass, trumpet solo", "Double Bass", "Bass Guitar"),
    ("deep house with a simple bass line", "Synth Bass", "Bass Guitar"),
    ("ska with a walking bass", "Bass Guitar", "Double Bass"),
    # an organ is an organ: "rhodes organ" had made the fusion line-up's Rhodes the acid jazz "organ"
    ("acid jazz groove with organ and wah guitar", "Organ", "Rhodes"),
])
def test_the_parser_reads_kinds_in_the_genre(aurora: Aurora, prompt: str, expected: str, absent: str) -> None:
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    stated = [i.name for i in parsed.instrumentation if i.source == "stated"]
    assert expected in stated and absent not in stated


@pytest.mark.parametrize("prompt", [
    "grunge song with sludgy guitars and angry drums",
    "garage rock with dirty guitars, 140 bpm",
    "stoner rock, fuzzed guitars, slow",
    "thrash metal with chugging guitars",
])
def test_a_distortion_word_on_guitars_states_the_distorted_guitar(aurora: Aurora, prompt: str) -> None:
    """'sludgy', 'dirty', 'fuzzed', 'chugging' guitars are distorted guitars (they riff, engine/structure/riffs.py);
    'sludgy guitars' was a clean electric guitar strumming a grunge song."""
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    stated = [i.name for i in parsed.instrumentation if i.source == "stated"]
    assert "Distorted Guitar" in stated and "Clean Electric Guitar" not in stated


@pytest.mark.parametrize(("prompt", "expected", "absent"), [
    ("80s power ballad with big drums, electric guitar and synth pads", "Drum Kit", "Taiko"),
    ("trap beat w/ huge drums and dark piano", "Trap Drums", "Taiko"),
    ("pop anthem with massive drums and piano", "Drum Kit", "Taiko"),
    ("epic trailer music with big drums and brass", "Taiko", "Drum Kit"),
    ("cinematic battle music w/ epic drums and strings", "Taiko", "Drum Kit"),
    ("rock song with war drums and guitars", "Taiko", "Drum Kit"),  # war drums name the big barrel drums
])
def test_big_drums_are_the_genre_s_drums(aurora: Aurora, prompt: str, expected: str, absent: str) -> None:
    """'big drums' says how the drums sound, not which: an 80s ballad's big drums are its kit, trap's its 808 kit,
    a trailer's the taiko (part_aliases); 'big drums' had been the taiko in every genre."""
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    stated = [i.name for i in parsed.instrumentation if i.source == "stated"]
    assert expected in stated and absent not in stated


@pytest.mark.parametrize(("text", "expected"), [
    ("synthwave w/ synth arps and pads", ["arpeggiator", "synth_pad"]),  # 'synth' was a third, generic synth
    ("synth arp", ["arpeggiator"]),
    ("guitar bass drums", ["guitar", "bass_guitar", "drum_kit"]),  # a list without commas stays a list
    ("piano bass drums", ["piano", "bass_guitar", "drum_kit"]),
    ("synth choir", ["synthesizer", "choir"]),
])
def test_a_modifier_word_is_part_of_the_compound(kb: KnowledgeBase, text: str, expected: list[str]) -> None:
    from aurora.parser.instruments import InstrumentParser

    assert [f.instrument_id for f in InstrumentParser(kb).parse(text).found] == expected
