"""Music theory both layers share: pitch classes, keys, modes, chord symbols and roman numerals.

Pure functions over the chord vocabulary in chords.yaml. Whether a mode is minor is read from its
intervals (a minor third and no major third), never from a list of names, so a blues in A is minor
to the parser, the planner, the composer and the MIDI key signature alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge_base.schema import Chords

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


MODE_ALIASES = {"maj": "major", "ionian": "major", "min": "minor", "m": "minor", "aeolian": "minor"}


def is_minor_mode(intervals: Sequence[int]) -> bool:
    """A mode is minor when its scale has a minor third above the tonic and no major third."""
    return 3 in intervals and 4 not in intervals


@dataclass(frozen=True)
class Key:
    """A tonic and a mode; ``intervals`` are the mode's scale steps (from chords.yaml), set by ``key_of``."""

    tonic_pc: int
    mode: str  # "major" | "minor" | other mode names from chords.yaml
    intervals: tuple[int, ...] = field(compare=False, repr=False)

    @property
    def is_minor(self) -> bool:
        return is_minor_mode(self.intervals)

    @property
    def prefers_flats(self) -> bool:
        return self.tonic_pc in (_FLAT_KEYS_MINOR if self.is_minor else _FLAT_KEYS_MAJOR)

    @property
    def tonic(self) -> str:
        return note_name(self.tonic_pc, flats=self.prefers_flats)

    def label(self) -> str:
        return f"{self.tonic} {self.mode.replace('_', ' ')}"

    def relative(self, chords: Chords) -> Key:
        if self.is_minor:
            return key_of((self.tonic_pc + 3) % 12, "major", chords)
        return key_of((self.tonic_pc + 9) % 12, "minor", chords)


def key_step(home: Key, other: Key, chords: Chords) -> int:
    """Semitones from ``home`` to ``other`` the nearer way (-6..5), a key in the other mode counted by its relative,
    which shares its notes (C major to A minor: 0). The planner and the engine both move a key change by it."""
    same_mode = other if other.is_minor == home.is_minor else other.relative(chords)
    return (same_mode.tonic_pc - home.tonic_pc + 6) % 12 - 6


def key_of(tonic_pc: int, mode: str, chords: Chords) -> Key:
    """The key on ``tonic_pc`` in ``mode`` (aliases such as 'aeolian' accepted; unknown modes are major)."""
    mode = mode.strip().lower().replace(" ", "_")
    mode = MODE_ALIASES.get(mode, mode)
    if mode not in chords.mode_intervals:
        mode = "major"
    return Key(tonic_pc % 12, mode, tuple(chords.mode_intervals[mode]))


def parse_key_label(label: str, chords: Chords) -> Key | None:
    """'D minor', 'F# major', 'Bb dorian' -> Key; None when it is not a key label with a known mode."""
    m = re.fullmatch(r"\s*([A-Ga-g])\s*([#b♯♭]?)\s+([a-z_ ]+?)\s*", label)
    if not m:
        return None
    mode = m.group(3).strip().replace(" ", "_")
    if MODE_ALIASES.get(mode, mode) not in chords.mode_intervals:
        return None
    return key_of(pitch_class(m.group(1).upper() + m.group(2)), mode, chords)


def read_key(text: str, chords: Chords, *, mode: str = "") -> Key:
    """Lenient reading of a plan's key: 'D minor', 'Dm', or 'D' with ``mode`` 'minor'. C major when unreadable."""
    m = re.match(r"^\s*([A-Ga-g])([#b♯♭]?)\s*(.*)$", text.strip())
    if not m:
        return key_of(0, "major", chords)
    word = (m.group(3) or mode or "major").strip().lower().replace(" ", "_")
    word = MODE_ALIASES.get(word, word)
    if word not in chords.mode_intervals:
        word = mode or "major"
    return key_of(pitch_class(m.group(1).upper() + m.group(2)), word, chords)


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

    def is_minor(self, chords: Chords) -> bool:
        """A minor third above the root and no major third (m, m7, dim, m7b5...)."""
        return is_minor_mode(chords.qualities[self.suffix])


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


_LENIENT_CHORD_RE = re.compile(r"^\s*([A-Ga-g])([#b♯♭]?)(.*?)(?:/([A-Ga-g][#b♯♭]?))?\s*$")


def read_chord(symbol: str, chords: Chords) -> Chord | None:
    """Lenient reading of a plan's chord: an unknown suffix falls back to its longest known prefix
    ('m7(b5)' -> m7), then to a major triad. None only when there is no root."""
    m = _LENIENT_CHORD_RE.match(symbol.replace("♯", "#").replace("♭", "b"))
    if not m:
        return None
    suffix = m.group(3).strip()
    if suffix not in chords.qualities:
        known = sorted((q for q in chords.qualities if q and suffix.startswith(q)), key=len, reverse=True)
        suffix = known[0] if known else ""
    bass = m.group(4)
    return Chord(pitch_class(m.group(1).upper() + m.group(2)), suffix,
                 pitch_class(bass) if bass else None, symbol.strip())


def transpose_chord(symbol: str, semitones: int, *, flats: bool) -> str:
    """A chord symbol moved by ``semitones``, its suffix and slash bass kept as written ('Am7/G' up 2 is 'Bm7/A');
    roots spelt with flats or sharps as the new key prefers. A symbol with no root comes back unchanged."""
    m = _LENIENT_CHORD_RE.match(symbol.replace("♯", "#").replace("♭", "b"))
    if not m:
        return symbol
    root = note_name(pitch_class(m.group(1).upper() + m.group(2)) + semitones, flats=flats)
    bass = m.group(4)
    moved_bass = "/" + note_name(pitch_class(bass[0].upper() + bass[1:]) + semitones, flats=flats) if bass else ""
    return root + m.group(3) + moved_bass


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


def seven_note_intervals(key: Key, chords: Chords) -> list[int]:
    """The key's mode as seven scale steps: its own, or for a pentatonic or blues key the natural minor or major
    of its colour (what a degree numeral or a riff's scale step counts in)."""
    intervals = chords.mode_intervals.get(key.mode) or chords.mode_intervals["major"]
    if len(intervals) != 7:
        intervals = chords.mode_intervals["minor" if key.is_minor else "major"]
    return list(intervals)


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
    # with an accidental, from the tonic's major scale; without, the key's own seven steps
    offset = (_MAJOR_SCALE[degree] + (-1 if acc in "b♭" else 1)) if acc else seven_note_intervals(key, chords)[degree]
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
    # a flattened degree is spelt flat whatever the key (bVI in C is Ab, not G#), a sharpened one sharp
    return note_name(root_pc, flats=acc in "b♭" if acc else key.prefers_flats) + quality


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
            key = key_of(tonic, mode, chords)
            scale = set(scale_pitch_classes(key, chords))
            score = 0.0
            for chord in parsed:
                tones = chord.pitch_classes(chords)
                score += sum(t in scale for t in tones) / len(tones)
            tonic_chords = [c.root_pc == tonic and c.is_minor(chords) == key.is_minor for c in parsed]
            score += 1.0 * any(tonic_chords) + 0.5 * tonic_chords[-1] + 0.3 * tonic_chords[0]
            if best is None or score > best[0] + 1e-9:
                best = (score, key)
    return best[1] if best else None


def typical_key(labels: Sequence[str], mode: str, chords: Chords) -> Key:
    """The key in ``mode`` on a genre's usual tonic: the first of ``labels`` (e.g. a genre's 'E major',
    'A minor') of the same minor/major colour; for other modes (blues, dorian...) with no such label,
    the first label's tonic; else A for minor colours, C for major ones."""
    wanted = key_of(0, mode, chords)
    parsed = [k for k in (parse_key_label(label, chords) for label in labels) if k is not None]
    same = next((k for k in parsed if k.is_minor == wanted.is_minor), None)
    if same is None and wanted.mode not in ("major", "minor") and parsed:
        same = parsed[0]
    tonic = same.tonic_pc if same is not None else (9 if wanted.is_minor else 0)
    return key_of(tonic, wanted.mode, chords)
