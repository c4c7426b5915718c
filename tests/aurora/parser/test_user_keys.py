"""Keys as users type them (issue 14): one case per class of spelling, read by the real parser."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.key import parse_key
from knowledge_base import KnowledgeBase
from knowledge_base.theory import parse_key_label


@pytest.mark.parametrize(("text", "label", "mode_stated"), [
    # capitalised mode word
    ("sad piano in E Minor", "E minor", True),
    ("Key: D Minor, 95 bpm", "D minor", True),
    ("EPIC ORCHESTRA IN C MAJOR", "C major", True),
    # lower-case note name with a mode word
    ("tech house groove, g minor, punchy kick", "G minor", True),
    ("dark synthwave in c minor", "C minor", True),
    ("lofi, a minor, 80bpm", "A minor", True),
    ("b flat minor ballad", "Bb minor", True),
    # bare note after "in" / "key": the tonic is stated, the mode is not
    ("song in C#", "C# major", False),
    ("hip hop beat in Bb", "Bb major", False),
    ("lofi chords, key of e", "E major", False),
    ("chill beat in e", "E major", False),
    ("rock in D, 120 bpm", "D major", False),
    ("in the key of a", "A major", False),
    # sharps and flats, ASCII and Unicode, words
    ("E♭ major string quartet", "Eb major", True),
    ("a C♯ minor nocturne", "C# minor", True),
    ("funk in F sharp minor", "F# minor", True),
    # the mode word written apart from the note, enharmonic pairs
    ("guitar ballad, F#/Gb, major", "F# major", True),
    ("C#/Db minor techno", "C# minor", True),
    # one-letter suffixes and DJ tag lists
    ("trap beat, F#m, 140 bpm", "F# minor", True),
    ("drum and bass in Am at 174", "A minor", True),
    ("key: f#m", "F# minor", True),
    # Camelot and Open Key codes
    ("drill beat, Camelot 4A", "F minor", True),
    ("techno 128 bpm 8A", "A minor", True),
    ("house, camelot 8B", "C major", True),
    ("deep house, open key 1m", "A minor", True),
    ("minimal, Open Key 12d", "F major", True),
    ("minimal, Open Key 6d", "B major", True),
])
def test_user_key_spellings(kb: KnowledgeBase, text: str, label: str, mode_stated: bool) -> None:
    found = parse_key(text, kb.chords)
    expected = parse_key_label(label, kb.chords)
    assert found is not None and expected is not None, text
    assert found.key.tonic_pc == expected.tonic_pc, text
    assert found.mode_stated == mode_stated, text
    if mode_stated:
        assert found.key.mode == expected.mode, text


@pytest.mark.parametrize("text", [
    "a song with a minor feel",
    "in a minor key, slow piano",
    "A piano plays a gentle melody",
    "low key vibes, chill",
    "C/E bass riff",
    "F#m",
    "techno 128 bpm",
])
def test_not_a_key(kb: KnowledgeBase, text: str) -> None:
    assert parse_key(text, kb.chords) is None


def test_two_keys_first_is_the_key_the_other_a_change(kb: KnowledgeBase) -> None:
    found = parse_key("a trance anthem in A Minor and F Lydian", kb.chords)
    assert found is not None
    assert found.key.label() == "A minor"
    assert [k.label() for k in found.changes] == ["F lydian"]


def test_alternatives_stay_alternatives(kb: KnowledgeBase) -> None:
    found = parse_key("Ab major or F minor", kb.chords)
    assert found is not None and found.key.label() == "Ab major"
    assert [k.label() for k in found.alternatives] == ["F minor"] and not found.changes


def test_bare_note_takes_the_mode_of_the_style(aurora: object) -> None:
    from aurora import Aurora

    assert isinstance(aurora, Aurora)
    sad = aurora.parse(prompt="sad piano in E").parsed_parameters
    assert sad.key_signature.value == "E minor" and "key_signature" in sad.explicit
    both = aurora.parse(prompt="a trance anthem in A Minor and F Lydian")
    assert both.parsed_parameters.key_signature.value == "A minor"
    assert both.parsed_parameters.key_signature.changes == ["F lydian"]
    assert any("F lydian" in w for w in both.warnings)


@pytest.mark.parametrize(("text", "label", "chords"), [
    # a lone note after "chords in" is the key the chords are in, not a one-chord progression
    ("lofi hip hop with jazzy piano chords in Eb", "Eb", []),
    ("warm pad chords in A, 90 bpm", "A", []),
    # a run of symbols after it is the progression itself
    ("a chord progression in A, D and E", "A", ["A", "D", "E"]),
])
def test_chords_in_a_note(aurora: Aurora, text: str, label: str, chords: list[str]) -> None:
    parsed = aurora.parse(prompt=text).parsed_parameters
    assert parsed.key_signature is not None and parsed.key_signature.value.split()[0] == label, text
    assert parsed.chords == chords, text
