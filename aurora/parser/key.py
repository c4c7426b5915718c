"""Key signature in every spelling people use: "F#m", "C maj", "EM", "D#major", "B flat minor",
"Bb", "in the key of A", plus key changes ("modulates to E major").

Case matters for the one-letter suffixes ("EM" is E major, "Em" E minor), so this reads the
cleaned text with its case kept. When alternatives are offered ("Cm or CM") the first wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge_base.schema import Chords
from knowledge_base.theory import Key, key_of, pitch_class

_ACC = r"(?P<acc>\s?-?(?:sharp|flat)\b|[#♯b♭])?"
_MODE_WORD = (r"major|minor|maj|min|mj|mn|dorian|phrygian|lydian|mixolydian|locrian|aeolian|ionian"
              r"|harmonic minor")
_MODE = rf"(?P<mode>\s*-?\s*(?:{_MODE_WORD})\b|M\b|m\b)?"
_KEY_TOKEN = rf"(?P<root>[A-G]){_ACC}{_MODE}"
_KEY_TOKEN_RE = re.compile(_KEY_TOKEN)
# lower-case roots only with a spelled-out mode ("key of a minor"), never a bare article
_LOWER_TOKEN_RE = re.compile(rf"(?P<root>[a-g]){_ACC}(?P<mode>\s*-?\s*(?:{_MODE_WORD})\b)", re.I)
_KEY_TRIGGER_RE = re.compile(r"\b(?:key|tonality|tonal center|tonal centre|tonic)\b", re.I)
_FULL_MODE_RE = re.compile(
    rf"(?<![\w#/])(?P<root>[A-G]){_ACC}(?P<mode>\s*-?\s*(?:major|minor|maj|min|dorian|phrygian|lydian"
    rf"|mixolydian|locrian|aeolian|ionian)\b)"
)
_IN_SHORT_RE = re.compile(r"\bin\s+(?P<root>[A-G])(?P<acc>[#♯b♭]?)(?P<mode>m|M|min|maj)(?![\w#/])")
_CHORD_AFTER_RE = re.compile(r"\s*(?:\w+\s+)?(?:chords?|triads?|arpeggios?)\b", re.I)
_CHANGE_RE = re.compile(
    r"\b(?:modulat\w*|key\s+change\w*|changes?\s+key|shifts?\s+(?:up\s+|down\s+)?to|moves?\s+to"
    r"|transitions?\s+to|switch(?:es)?\s+to|goes\s+to)\s+(?:to\s+|into\s+)?(?:the\s+)?(?:key\s+of\s+)?",
    re.I,
)
_MODES = {
    "major": "major", "maj": "major", "mj": "major", "m_upper": "major", "ionian": "major",
    "minor": "minor", "min": "minor", "mn": "minor", "m": "minor", "aeolian": "minor",
    "dorian": "dorian", "phrygian": "phrygian", "lydian": "lydian", "mixolydian": "mixolydian",
    "locrian": "locrian", "harmonic minor": "harmonic_minor",
}


@dataclass
class KeyFinding:
    key: Key
    confidence: float
    span: tuple[int, int]
    mode_stated: bool
    changes: list[Key] = field(default_factory=list)
    alternatives: list[Key] = field(default_factory=list)


def _token_to_key(m: re.Match[str], chords: Chords) -> tuple[Key, bool]:
    root = m.group("root").upper()
    acc = (m.group("acc") or "").strip().lstrip("-").lower()
    acc_symbol = {"sharp": "#", "flat": "b", "#": "#", "♯": "#", "b": "b", "♭": "b"}.get(acc, "")
    mode_raw = (m.group("mode") or "").strip().lstrip("-").strip()
    if mode_raw == "M":
        mode = "major"
    elif mode_raw == "m":
        mode = "minor"
    else:
        mode = _MODES.get(mode_raw.lower(), "")
    return key_of(pitch_class(root + acc_symbol), mode or "major", chords), bool(mode)


def parse_key(text: str, chords: Chords) -> KeyFinding | None:
    # (priority, start, end, key, mode stated, confidence): a "key" statement beats "X major" anywhere,
    # which beats a bare "in Em" (often a chord: "the progression in Bm ... the key is D major")
    candidates: list[tuple[int, int, int, Key, bool, float]] = []
    for trig in _KEY_TRIGGER_RE.finditer(text):
        window_start = trig.end()
        window = text[window_start:window_start + 40]
        window = re.split(r"[.;!?]\s|,\s*(?:and|but|with)\b", window)[0]
        m = _first_key_token(window)
        if m is not None:
            key, stated = _token_to_key(m, chords)
            candidates.append((0, window_start + m.start(), window_start + m.end(), key, stated,
                               0.97 if stated else 0.85))
    for priority, regex in ((1, _FULL_MODE_RE), (2, _IN_SHORT_RE)):
        for m in regex.finditer(text):
            if _CHORD_AFTER_RE.match(text, m.end()):
                continue  # "an F minor chord progression" names a chord, not the key
            key, stated = _token_to_key(m, chords)
            candidates.append((priority, m.start(), m.end(), key, stated, 0.95 if priority == 1 else 0.85))
    if not candidates:
        return None
    changes = _changes(text, chords)
    change_spans = {c[0] for c in changes}
    primary_pool = [c for c in candidates if c[1] not in change_spans] or candidates
    primary_pool.sort(key=lambda c: (c[0], c[1]))
    _, start, end, key, stated, confidence = primary_pool[0]
    alternatives = [c[3] for c in sorted(primary_pool[1:], key=lambda c: c[1])
                    if c[3] != key and 0 <= c[1] - end < 40]
    return KeyFinding(key, confidence, (start, end), stated,
                      changes=[c[1] for c in changes if c[1] != key], alternatives=alternatives[:2])


def _first_key_token(window: str) -> re.Match[str] | None:
    """First key spelled in the few words after 'key', skipping fillers ('is either in the key of')."""
    upper = [m for m in _KEY_TOKEN_RE.finditer(window) if _token_boundary_ok(window, m)]
    lower = list(_LOWER_TOKEN_RE.finditer(window))
    found = sorted(upper + lower, key=lambda m: m.start())
    return found[0] if found else None


def _token_boundary_ok(window: str, m: re.Match[str]) -> bool:
    before = window[m.start() - 1] if m.start() > 0 else " "
    after = window[m.end()] if m.end() < len(window) else " "
    return not before.isalnum() and not (after.isalnum() or after in "#/")


def _changes(text: str, chords: Chords) -> list[tuple[int, Key]]:
    out: list[tuple[int, Key]] = []
    for trig in _CHANGE_RE.finditer(text):
        window = text[trig.end():trig.end() + 25]
        m = _first_key_token(window)
        if m is not None and m.start() == 0:
            key, _ = _token_to_key(m, chords)
            out.append((trig.end() + m.start(), key))
    return out
