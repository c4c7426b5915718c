"""The key and home chord a lone spelled chord names ("jazz ballad, Ebmaj7"; "funk jam, E9").

One spelled chord alone is no progression (aurora/parser/chords.lone_tonic_chord): it names the key's tonic and how
the tonic chord is voiced. Read as a loop it would hold one chord all song; dropped, the key went with it (the
ballad in F major, the funk jam an E dorian vamp on Em7 without the E9's G#).
"""

from __future__ import annotations

from aurora.contracts import KeySignatureValue
from aurora.parser.chords import TonicChord
from aurora.parser.habits import usual_mode
from aurora.parser.key import KeyFinding
from knowledge_base.schema import Chords, Genre
from knowledge_base.theory import key_of


def home_chord_key(found: TonicChord, key_finding: KeyFinding | None, key_value: KeySignatureValue, genre: Genre,
                   chords: Chords) -> tuple[KeySignatureValue, str | None]:
    """The key and the home chord kept. A stated key on another tonic keeps the key and drops the chord (a Dm7 in C
    is no home chord); a stated mode stays. Otherwise the genre's usual mode plays when it holds the chord's notes (a
    lo-fi Cm7 is C dorian), else the mode the chord implies (a funk E9 is E mixolydian, not funk's dorian)."""
    if key_finding is not None and key_finding.key.tonic_pc != found.root_pc:
        return key_value, None
    if key_finding is not None and key_finding.mode_stated:
        return key_value, found.symbol
    usual = key_of(found.root_pc, usual_mode(genre, []), chords)
    key = usual if found.intervals <= set(usual.intervals) else key_of(found.root_pc, found.mode, chords)
    return KeySignatureValue(value=key.label(), confidence=0.8, changes=key_value.changes), found.symbol
