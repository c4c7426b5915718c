"""Rule extractors on the spellings seen in real captions (MusicBench, MidiCaps) and user prompts."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.chords import parse_chords
from aurora.parser.duration import parse_duration
from aurora.parser.key import parse_key
from aurora.parser.meter import parse_meter
from aurora.parser.tempo import TempoParser
from knowledge_base import KnowledgeBase
from knowledge_base.theory import (
    chord_to_roman,
    chords_equivalent,
    key_of,
    parse_key_label,
    pitch_class,
    roman_to_chord,
)


@pytest.mark.parametrize(("text", "label"), [
    ("The key is EM.", "E major"),
    ("This song is in the key of Em.", "E minor"),
    ("This piece is either in the key of Cm or CM.", "C minor"),
    ("with a key of Cmaj or Cminor", "C major"),
    ("The key of this song is G# maj.", "G# major"),
    ("The key is A min, or AM.", "A minor"),
    ("in the key of A#minor, or A#maj", "A# minor"),
    ("a sad song in B flat minor", "Bb minor"),
    ("The key is Db maj.", "C# major"),
    ("a lively folk song in G# minor, perfect for a fair", "G# minor"),
    ("in the key of A", "A major"),
    ("F#m", None),
    ("The key of this song is D#major.", "D# major"),
    ("at 126 bpm in A# major or minor", "A# major"),
    ("The song is in the key of Eb min", "D# minor"),
    ("the chord progression is in C# minor or Db major", "C# minor"),
])
def test_key_spellings(kb: KnowledgeBase, text: str, label: str | None) -> None:
    found = parse_key(text, kb.chords)
    if label is None:
        assert found is None
        return
    assert found is not None
    expected = parse_key_label(label, kb.chords)
    assert expected is not None
    assert (found.key.tonic_pc, found.key.is_minor) == (expected.tonic_pc, expected.is_minor)


def test_a_minor_chord_is_not_the_key(kb: KnowledgeBase) -> None:
    found = parse_key("follows a sorrowful F minor chord progression. It is in the key of C minor.", kb.chords)
    assert found is not None and found.key == key_of(0, "minor", kb.chords)


def test_key_change_is_reported(kb: KnowledgeBase) -> None:
    found = parse_key("starts in D minor and modulates to F major for the chorus", kb.chords)
    assert found is not None and found.key == key_of(2, "minor", kb.chords)
    assert [k.label() for k in found.changes] == ["F major"]


def test_article_a_is_not_a_key(kb: KnowledgeBase) -> None:
    assert parse_key("A piano plays a gentle melody", kb.chords) is None


@pytest.mark.parametrize(("text", "bpm"), [
    ("The bpm is 118.0.", 118.0),
    ("The tempo of this song is 120.0 beats per minute.", 120.0),
    ("a lo-fi beat at 80 BPM", 80.0),
    ("at an unrelenting pace of 126 bpm", 126.0),
    ("techno, 120-128 bpm", 124.0),
    ("This song is in Moderato.", 100.0),
    ("The song is in Presto tempo", 180.0),
    ("tempo of 73.0 beats per minute", 73.0),
    ("a tempo that falls between moderate and fast (Andante)", 82.0),
])
def test_tempo_statements(kb: KnowledgeBase, text: str, bpm: float) -> None:
    finding = TempoParser(kb).parse(text)
    assert finding is not None and finding.bpm == pytest.approx(bpm)


def test_tempo_words_and_conflicts(kb: KnowledgeBase) -> None:
    parser = TempoParser(kb)
    slow = parser.parse("a slow ballad")
    assert slow is not None and slow.bpm < 90 and slow.source == "word"
    both = parser.parse("slow and fast at the same time")
    assert both is not None and both.conflicts
    assert parser.parse("the song is transposed down by 4.0 tones") is None
    fast = parser.parse("slow ballad at 200 bpm")
    assert fast is not None and fast.conflicts == ["slow"]


@pytest.mark.parametrize(("text", "bpm"), [
    ("heavy dubstep with a half time drop at 150", 150.0),  # half-time is the number's feel, not another tempo
    ("trap beat, double time hats, 140 bpm", 140.0),
    ("jazz quartet, medium swing 160", 160.0),  # a jazz medium swing is about 120-180, not a pop song's 90-120
    ("bebop, medium up, 200", 200.0),
])
def test_feel_and_jazz_tempo_words_beside_a_number(kb: KnowledgeBase, text: str, bpm: float) -> None:
    finding = TempoParser(kb).parse(text)
    assert finding is not None and finding.bpm == bpm and finding.conflicts == [], text


def test_jazz_tempo_names_alone(kb: KnowledgeBase) -> None:
    swing = TempoParser(kb).parse("medium swing jazz trio")
    assert swing is not None and 120 <= swing.bpm <= 180


@pytest.mark.parametrize(("text", "meter"), [
    ("The beat is 4.", "4/4"), ("The beat counts to 2.", "2/4"), ("the beat counts to two", "2/4"),
    ("It has a time signature of 3/4", "3/4"), ("a 6/8 feel", "6/8"), ("a gentle waltz", "3/4"),
    ("with a beat count of 3", "3/4"), ("a 3-beat pulse that drives the energy", "3/4"),
    ("The beat is in 2, and the tempo is presto", "2/4"), ("counting to 3 at 126 bpm", "3/4"),
    ("The percussion plays in common time.", "4/4"), ("in 7/8", "7/8"),
    ("the beat is set to 2", "2/4"), ("the beat sways in 3", "3/4"), ("pumping in a count of three", "3/4"),
    ("the steady 2 beat count at 160.0 BPM", "2/4"), ("counting the beat to 2", "2/4"),
])
def test_meter(text: str, meter: str) -> None:
    found = parse_meter(text)
    assert found is not None and found.value == meter


@pytest.mark.parametrize(("text", "chords"), [
    ("The chord sequence is Amaj7, C#, B, E, A, C#m. The beat is 4.", ["Amaj7", "C#", "B", "E", "A", "C#m"]),
    ("The chord progression in this song is Cm, C. The beat counts to 2.", ["Cm", "C"]),
    ("The chord progression is a sequence of C, Gm7, F/G, C, Dm.", ["C", "Gm7", "F/G", "C", "Dm"]),
    ("the chord progression moves through Em, Am, G#m, D#m, and G#m7.", ["Em", "Am", "G#m", "D#m", "G#m7"]),
    ("a chord sequence of Bbmaj7, Ebm, Fm7, Ebm7, Bbm, and Bb in the key of A#minor",
     ["Bbmaj7", "Ebm", "Fm7", "Ebm7", "Bbm", "Bb"]),
    ("The chord progression follows G#m, A#m7b5/G#.", ["G#m", "A#m7b5/G#"]),
    ("play Am - F - C - G on piano", ["Am", "F", "C", "G"]),
    ("the chord progression moves from A#maj7 to G#/C, then to C#aug, and finishes with G#7.",
     ["A#maj7", "G#/C", "C#aug", "G#7"]),
    ("The use of Eb chords and 2/4 time", ["Eb"]),
])
def test_chord_sequences(kb: KnowledgeBase, text: str, chords: list[str]) -> None:
    found = parse_chords(text, kb.chords)
    assert found is not None and found.chords == chords


def test_chords_not_confused_with_keys_or_articles(kb: KnowledgeBase) -> None:
    assert parse_chords("A piano plays. The key is C# minor.", kb.chords) is None


def test_roman_numerals(kb: KnowledgeBase) -> None:
    found = parse_chords("a I-V-vi-IV pop progression", kb.chords)
    assert found is not None and found.roman == ["I", "V", "vi", "IV"]
    c_major = key_of(0, "major", kb.chords)
    assert [roman_to_chord(n, c_major, kb.chords) for n in found.roman] == ["C", "G", "Am", "F"]
    a_minor = key_of(9, "minor", kb.chords)
    assert roman_to_chord("VI", a_minor, kb.chords) == "F"
    assert roman_to_chord("bVII", a_minor, kb.chords) == "G"
    assert roman_to_chord("ii7", c_major, kb.chords) == "Dm7"
    # a flattened degree is spelt flat in a sharp or natural key (a heroic C Ab Bb C, not C G# A# C)
    assert [roman_to_chord(n, c_major, kb.chords) for n in ("bVI", "bVII", "bII", "bvi")] == ["Ab", "Bb", "Db", "Abm"]
    assert roman_to_chord("bII", a_minor, kb.chords) == "Bb" and roman_to_chord("#iv", c_major, kb.chords) == "F#m"
    assert chord_to_roman("Am", c_major, kb.chords) == "vi"
    assert chord_to_roman("Bb", c_major, kb.chords) == "bVII"


def test_enharmonic_chords(kb: KnowledgeBase) -> None:
    assert chords_equivalent("A#m7", "Bbmin7", kb.chords)
    assert not chords_equivalent("A#m7", "Bbmaj7", kb.chords)
    assert pitch_class("E#") == 5 and pitch_class("Cb") == 11


@pytest.mark.parametrize(("text", "seconds"), [
    ("a 2 minutes track", 120.0), ("30s loop", 30.0), ("90-second jingle", 90.0),
    ("2 minutes 30 seconds long", 150.0), ("80s synth pop", None), ("a minute and a half", 90.0),
    ("at 120 bpm", None),
    ("dark trap with 808s and a flute melody", None),  # drum machines: it had asked for 13:28
    ("tr-909s and acid 303s", None), ("ambient for 120s", 120.0), ("a 150s track", 150.0), ("a 45s jingle", 45.0),
])
def test_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("prompt", "stated", "excluded"), [
    ("lofi beat without piano, guitar instead, 80 bpm", "Clean Electric Guitar", "Piano"),  # guitar was excluded too
    ("no piano, use guitar instead", "Electric Guitar", "Piano"),
    ("lofi beat, guitar instead of piano", "Clean Electric Guitar", "Piano"),  # the piano was stated
    ("house with live drums rather than a drum machine", "Drum Kit", "Drum Machine"),
])
def test_the_replacement_is_asked_for_and_the_replaced_ruled_out(aurora: Aurora, prompt: str, stated: str,
                                                                 excluded: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert stated in {i.name for i in p.instrumentation if i.source == "stated"}
    assert excluded not in {i.name for i in p.instrumentation} and excluded in p.excluded_instruments
