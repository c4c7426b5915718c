"""Small music-theory toolkit: pitch classes, keys, chord symbols and roman numerals.

Pure functions over the chord vocabulary in knowledge_base/chords.yaml, shared by the parser
(reading what people write) and the planner (writing progressions in a key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aurora.knowledge import Chords

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_NATURAL = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
# keys conventionally spelled with flats
_FLAT_KEYS_MAJOR = {5, 10, 3, 8, 1, 6}  # F Bb Eb Ab Db Gb
_FLAT_KEYS_MINOR = {2, 7, 0, 5, 10, 3}  # d g c f bb eb

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
ROMAN_RE = re.compile(r"^(?P<acc>[b#♭♯]?)(?P<num>VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(?P<suffix>[^/]*)$")


def pitch_class(name: str) -> int:
    """'C#' -> 1, 'Bb' -> 10, 'E#' -> 5. Raises ValueError on anything else."""
    name = name.strip().replace("♯", "#").replace("♭", "b")
    if not name or name[0].upper() not in _NATURAL:
        raise ValueError(f"not a note name: {name!r}")
    pc = _NATURAL[name[0].upper()]
    for ch in name[1:]:
        if ch == "#":
            pc += 1
        elif ch == "b":
            pc -= 1
        else:
            raise ValueError(f"not a note name: {name!r}")
    return pc % 12


def note_name(pc: int, *, flats: bool = False) -> str:
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc % 12]


@dataclass(frozen=True)
class Key:
    tonic_pc: int
    mode: str  # "major" | "minor" | other mode names from chords.yaml

    @property
    def is_minor(self) -> bool:
        return self.mode in ("minor", "dorian", "phrygian", "locrian", "harmonic_minor", "pentatonic_minor")

    @property
    def prefers_flats(self) -> bool:
        return self.tonic_pc in (_FLAT_KEYS_MINOR if self.is_minor else _FLAT_KEYS_MAJOR)

    @property
    def tonic(self) -> str:
        return note_name(self.tonic_pc, flats=self.prefers_flats)

    def label(self) -> str:
        return f"{self.tonic} {self.mode.replace('_', ' ')}"

    def relative(self) -> Key:
        if self.mode == "major":
            return Key((self.tonic_pc + 9) % 12, "minor")
        return Key((self.tonic_pc + 3) % 12, "major")


def parse_key_label(label: str) -> Key | None:
    """'D minor', 'F# major', 'Bb dorian' -> Key; None when it is not a key label."""
    m = re.fullmatch(r"\s*([A-Ga-g])\s*([#b♯♭]?)\s+([a-z_ ]+?)\s*", label)
    if not m:
        return None
    mode = m.group(3).strip().replace(" ", "_")
    return Key(pitch_class(m.group(1).upper() + m.group(2)), mode)


@dataclass(frozen=True)
class Chord:
    root_pc: int
    suffix: str
    bass_pc: int | None
    symbol: str  # normalised spelling

    def pitch_classes(self, chords: Chords) -> list[int]:
        pcs = [(self.root_pc + i) % 12 for i in chords.qualities[self.suffix]]
        if self.bass_pc is not None and self.bass_pc not in pcs:
            pcs.insert(0, self.bass_pc)
        return pcs

    @property
    def is_minor(self) -> bool:
        return self.suffix.startswith(("m", "min", "-")) and not self.suffix.startswith(("maj", "M"))


_CHORD_RE_CACHE: dict[int, re.Pattern[str]] = {}


def chord_regex(chords: Chords) -> re.Pattern[str]:
    """A regex for one chord symbol: root, longest known suffix, optional /bass."""
    key = id(chords)
    if key not in _CHORD_RE_CACHE:
        suffixes = sorted(chords.qualities, key=len, reverse=True)
        alt = "|".join(re.escape(s) for s in suffixes if s)
        _CHORD_RE_CACHE[key] = re.compile(
            rf"(?<![\w#♯♭/])(?P<root>[A-G])(?P<acc>[#b♯♭]?)(?P<suffix>(?:{alt})?)"
            rf"(?:/(?P<bass>[A-G][#b♯♭]?))?(?![\w#♯+/])"
        )
    return _CHORD_RE_CACHE[key]


def parse_chord(symbol: str, chords: Chords) -> Chord | None:
    m = chord_regex(chords).fullmatch(symbol.strip())
    if not m:
        return None
    return chord_from_match(m)


def chord_from_match(m: re.Match[str]) -> Chord:
    acc = m.group("acc").replace("♯", "#").replace("♭", "b")
    root = m.group("root") + acc
    suffix = m.group("suffix") or ""
    bass = m.group("bass")
    symbol = root + suffix + (f"/{bass}" if bass else "")
    return Chord(pitch_class(root), suffix, pitch_class(bass) if bass else None, symbol)


def chords_equivalent(a: str, b: str, chords: Chords) -> bool:
    """Same chord up to enharmonic spelling and synonymous suffixes (m7 == min7)."""
    ca, cb = parse_chord(a, chords), parse_chord(b, chords)
    if ca is None or cb is None:
        return a.strip() == b.strip()
    return (ca.root_pc == cb.root_pc and ca.bass_pc == cb.bass_pc
            and chords.qualities[ca.suffix] == chords.qualities[cb.suffix])


def scale_pitch_classes(key: Key, chords: Chords) -> list[int]:
    intervals = chords.mode_intervals.get(key.mode) or chords.mode_intervals["major"]
    return [(key.tonic_pc + i) % 12 for i in intervals]


_MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)


def roman_to_chord(numeral: str, key: Key, chords: Chords) -> str:
    """'vi' in C major -> 'Am'; 'bVII' in A minor -> 'G'; 'ii7' -> 'Dm7'; 'V/V' not supported.

    Degrees without an accidental follow the key's own scale (so 'VI' in A minor is F);
    with an accidental they are relative to the major scale of the tonic (so 'bVII' is G in A).
    Upper case means a major triad, lower case minor; 'o'/'dim' and '+' mark diminished/augmented.
    """
    m = ROMAN_RE.match(numeral.strip())
    if not m:
        raise ValueError(f"not a roman numeral: {numeral!r}")
    num, acc, suffix = m.group("num"), m.group("acc"), m.group("suffix")
    degree = _ROMAN[num.lower()] - 1
    if acc:
        offset = _MAJOR_SCALE[degree] + (-1 if acc in "b♭" else 1)
    else:
        intervals = chords.mode_intervals.get(key.mode) or chords.mode_intervals["major"]
        if len(intervals) != 7:
            intervals = list(chords.mode_intervals["minor" if key.is_minor else "major"])
        offset = intervals[degree]
    root_pc = (key.tonic_pc + offset) % 12
    minor = num.islower()
    if suffix in ("o", "dim", "°"):
        quality = "dim"
    elif suffix in ("ø", "ø7", "m7b5"):
        quality = "m7b5"
    elif suffix in ("o7", "dim7", "°7"):
        quality = "dim7"
    elif suffix == "+":
        quality = "aug"
    elif suffix in ("maj7", "M7", "Δ7", "maj9", "6", "9", "13", "add9", "sus4", "sus2", "11"):
        quality = ("m" + suffix if minor and suffix in ("6", "9", "11", "13") else suffix)
    elif suffix == "7":
        quality = "m7" if minor else "7"
    elif suffix == "":
        quality = "m" if minor else ""
    else:
        quality = suffix if suffix in chords.qualities else ("m" if minor else "")
    if quality not in chords.qualities:
        quality = "m" if minor else ""
    return note_name(root_pc, flats=key.prefers_flats) + quality


def chord_to_roman(symbol: str, key: Key, chords: Chords) -> str:
    """Inverse reading for display: 'Am' in C major -> 'vi'; chromatic roots get b/#."""
    chord = parse_chord(symbol, chords)
    if chord is None:
        return "?"
    offset = (chord.root_pc - key.tonic_pc) % 12
    intervals = chords.mode_intervals.get(key.mode) or chords.mode_intervals["major"]
    numerals = ("I", "II", "III", "IV", "V", "VI", "VII")
    if len(intervals) == 7 and offset in intervals:
        base = numerals[intervals.index(offset)]
    elif offset in _MAJOR_SCALE:
        base = numerals[_MAJOR_SCALE.index(offset)]
    else:
        base = "b" + numerals[_MAJOR_SCALE.index((offset + 1) % 12)]
    intervals_q = chords.qualities[chord.suffix]
    minor_third = 3 in intervals_q and 4 not in intervals_q
    text = base.lower() if minor_third else base
    tail = chord.suffix
    for prefix in ("min", "m", "-"):
        if minor_third and tail.startswith(prefix) and not tail.startswith("maj"):
            tail = tail[len(prefix):]
            break
    if tail == "dim":
        tail = "°"
    elif tail in ("M", "maj"):
        tail = ""
    return text + tail


def estimate_key_from_chords(symbols: list[str], chords: Chords) -> Key | None:
    """The major or minor key that best explains a progression: chord tones inside the scale, plus
    credit for the tonic chord being present, and for starting or ending on it."""
    parsed = [c for c in (parse_chord(s, chords) for s in symbols) if c is not None]
    if not parsed:
        return None
    best: tuple[float, Key] | None = None
    for tonic in range(12):
        for mode in ("major", "minor"):
            key = Key(tonic, mode)
            scale = set(scale_pitch_classes(key, chords))
            score = 0.0
            for chord in parsed:
                tones = chord.pitch_classes(chords)
                score += sum(t in scale for t in tones) / len(tones)
            tonic_chords = [c.root_pc == tonic and c.is_minor == key.is_minor for c in parsed]
            score += 1.0 * any(tonic_chords) + 0.5 * tonic_chords[-1] + 0.3 * tonic_chords[0]
            if best is None or score > best[0] + 1e-9:
                best = (score, key)
    return best[1] if best else None
