"""Chord symbols that no word could be ("Fmaj7 Ebmaj7", "Dm7 G7") are chords without a trigger word;
plain letters still need one ("Play A E D" is not a progression)."""

from __future__ import annotations

import pytest

from aurora.parser.chords import parse_chords
from knowledge_base import KnowledgeBase


@pytest.mark.parametrize(("text", "expected"), [
    ("smooth jazz with saxophone over Fmaj7 Ebmaj7", ["Fmaj7", "Ebmaj7"]),
    ("jam on Dm7 G7 please", ["Dm7", "G7"]),
    ("a bossa groove over Bm7b5 E7 Am7", ["Bm7b5", "E7", "Am7"]),
    ("Play A E D", None),
    ("a song in A with a piano", None),
    ("I am 7 years old", None),
    ("only one Fmaj7 here", None),
])
def test_spelled_chord_runs(kb: KnowledgeBase, text: str, expected: list[str] | None) -> None:
    found = parse_chords(text, kb.chords)
    assert (found.chords if found else None) == expected
