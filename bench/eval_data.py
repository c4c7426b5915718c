"""Label normalisation, metrics and the KB index for the Aurora parser bench (bench/parser_eval.py).

Everything here is a pure function of text and label data: no Aurora import, no model. That keeps
the metric definitions unit-testable (tests/bench/test_parser_eval_metrics.py) and independent of
the parser they measure. In particular, whether a caption *states* a value (tempo, key, meter,
chords) is decided by the simple regexes in eval_stated.py, never by the parser; rows and loaders
live in eval_rows.py.

Conventions
- Keys normalise to ``(pitch class 0-11, "major" | "minor")``; single-letter suffixes are case
  sensitive ("EM" = E major, "Em" = E minor), a bare tonic is major, flats and sharps are
  enharmonic ("Bb minor" == "A# minor").
- Chords normalise to ``(root pitch class, quality, bass pitch class | None)``, so enharmonic
  spellings are equal ("C#m" == "Dbm", "Bbmaj7" == "A#M7") and "G/G" == "G". The MusicBench
  no-chord marker "N" is dropped from label sequences.
- Tempo bins follow Mustango: edges [40, 60, 70, 90, 110, 140, 160, 210]; a bpm falls in bin
  ``bisect_right(edges, bpm)`` (0 = below 40, 8 = 210 and above).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Mode = Literal["major", "minor"]
Key = tuple[int, Mode]
Chord = tuple[int, str, int | None]

# ------------------------------------------------------------------------------------------ pitch
_NOTE_PC = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
ACCIDENTAL = r"(?:#|♯|b|♭|-?\s?sharp|-?\s?flat)"


def pitch_class(letter: str, accidental: str = "") -> int:
    """Pitch class of a note letter plus accidental ('#', 'b', '♯', '♭', 'sharp', 'flat')."""
    pc = _NOTE_PC[letter.lower()]
    acc = accidental.strip().lower().lstrip("-").strip()
    if acc in ("#", "♯", "sharp"):
        pc += 1
    elif acc in ("b", "♭", "flat"):
        pc -= 1
    return pc % 12


# -------------------------------------------------------------------------------------------- key
_MAJOR_WORDS = {"major", "maj", "ma", "ionian", "dur"}
_MINOR_WORDS = {"minor", "min", "mi", "aeolian", "moll"}
_KEY_RE = re.compile(
    rf"^\s*(?:the\s+)?(?:key\s+(?:of\s+)?)?([A-Ga-g])\s?({ACCIDENTAL})?\s*"
    r"(major|minor|maj|min|ma|mi|ionian|aeolian|M|m|-)?\.?\s*$",
    re.IGNORECASE,
)


def parse_key(text: str | None) -> Key | None:
    """Normalise a key label in any spelling seen in the eval sets to (pitch class, mode).

    "E major", "EM", "F#m", "C maj", "D#major", "Bb minor", "A#minor", "G min", "B flat minor",
    "C#M" ... -> (pc, mode). A bare tonic ("Bb", "A") is major. Returns None for anything else
    (modal keys such as "D dorian", empty text, None).
    """
    if not text:
        return None
    m = _KEY_RE.match(text)
    if m is None:
        return None
    letter, accidental, mode_word = m.group(1), m.group(2) or "", m.group(3) or ""
    # single-letter suffixes are case sensitive; the regex matched case-insensitively
    if mode_word == "M":
        mode: Mode = "major"
    elif mode_word in ("m", "-") or mode_word.lower() in _MINOR_WORDS:
        mode = "minor"
    elif mode_word == "" or mode_word.lower() in _MAJOR_WORDS:
        mode = "major"
    else:
        return None
    return pitch_class(letter, accidental), mode


def relative_key(key: Key) -> Key:
    """The relative minor of a major key, the relative major of a minor key."""
    pc, mode = key
    return ((pc + 9) % 12, "minor") if mode == "major" else ((pc + 3) % 12, "major")


def key_ck(pred: str | None, gold: Sequence[str | None]) -> bool:
    """CK: predicted key has the same tonic and mode as any of the gold keys."""
    p = parse_key(pred)
    golds = {k for k in (parse_key(g) for g in gold) if k is not None}
    return p is not None and p in golds


def key_ckd(pred: str | None, gold: Sequence[str | None]) -> bool:
    """CKD: CK, or the predicted key is the relative major/minor of a gold key."""
    p = parse_key(pred)
    if p is None:
        return False
    golds = {k for k in (parse_key(g) for g in gold) if k is not None}
    return p in golds or relative_key(p) in golds


def key_name(key: Key) -> str:
    names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    return f"{names[key[0]]} {key[1]}"


# ------------------------------------------------------------------------------------------ tempo
TEMPO_BIN_EDGES: tuple[float, ...] = (40, 60, 70, 90, 110, 140, 160, 210)


def tempo_bin(bpm: float) -> int:
    """Mustango tempo bin: 0 up to 40 bpm ... 8 above 210 bpm. Bins include their upper edge, as MusicBench's
    labels do (160 bpm is captioned Vivace, 90 Andante, 60 Largo, 210 Presto)."""
    return bisect.bisect_left(TEMPO_BIN_EDGES, bpm)


def tempo_tb(pred: float | None, gold: float) -> bool:
    """TB: same tempo bin."""
    return pred is not None and tempo_bin(pred) == tempo_bin(gold)


def tempo_tbt(pred: float | None, gold: float) -> bool:
    """TBT: tempo bins differ by at most one."""
    return pred is not None and abs(tempo_bin(pred) - tempo_bin(gold)) <= 1


def tempo_within(pred: float | None, gold: float, tolerance: float = 1.0) -> bool:
    return pred is not None and abs(pred - gold) <= tolerance + 1e-9


# ----------------------------------------------------------------------------------------- chords
_CHORD_RE = re.compile(r"^([A-G])(#|♯|b|♭)?([^/]*?)(?:/([A-G])(#|♯|b|♭)?)?$")
_QUALITY = {
    "": "maj", "maj": "maj", "M": "maj", "major": "maj", "Maj": "maj",
    "m": "min", "min": "min", "-": "min", "minor": "min", "mi": "min",
    "7": "7", "dom7": "7",
    "maj7": "maj7", "M7": "maj7", "Maj7": "maj7", "ma7": "maj7", "j7": "maj7", "Δ7": "maj7", "Δ": "maj7",
    "m7": "min7", "min7": "min7", "-7": "min7", "mi7": "min7",
    "m7b5": "hdim7", "min7b5": "hdim7", "-7b5": "hdim7", "ø": "hdim7", "ø7": "hdim7", "hdim7": "hdim7",
    "dim": "dim", "o": "dim", "°": "dim",
    "dim7": "dim7", "o7": "dim7", "°7": "dim7",
    "aug": "aug", "+": "aug", "#5": "aug", "+5": "aug",
    "sus": "sus4", "sus4": "sus4", "sus2": "sus2", "7sus4": "7sus4", "7sus": "7sus4",
    "6": "6", "maj6": "6", "M6": "6",
    "m6": "min6", "min6": "min6", "-6": "min6",
    "9": "9", "maj9": "maj9", "M9": "maj9", "m9": "min9", "min9": "min9",
    "add9": "add9", "add2": "add9",
    "mmaj7": "minmaj7", "mM7": "minmaj7", "minmaj7": "minmaj7",
}


def parse_chord(text: str) -> Chord | None:
    """Normalise a chord symbol to (root pc, quality, bass pc | None); None if not a chord."""
    t = text.strip().rstrip(".,;")
    m = _CHORD_RE.match(t)
    if m is None:
        return None
    root = pitch_class(m.group(1), m.group(2) or "")
    raw_quality = m.group(3).replace("(", "").replace(")", "")
    quality = _QUALITY.get(raw_quality)
    if quality is None:
        if not re.fullmatch(r"[A-Za-z0-9#+°øΔ\-]*", raw_quality):
            return None
        for prefix, canon in (("maj", "maj"), ("M", "maj"), ("min", "min"), ("m", "min"), ("-", "min")):
            if raw_quality.startswith(prefix):
                quality = canon + raw_quality[len(prefix):].lower()
                break
        else:
            quality = raw_quality.lower()
    bass = pitch_class(m.group(4), m.group(5) or "") if m.group(4) else None
    if bass == root:
        bass = None
    return root, quality, bass


def normalise_chords(chords: Iterable[str]) -> list[Chord | str]:
    """Normalised chord sequence; 'N' (no chord) dropped; unparseable symbols kept as text."""
    out: list[Chord | str] = []
    for c in chords:
        if c.strip() in ("", "N", "NC", "N.C."):
            continue
        parsed = parse_chord(c)
        out.append(parsed if parsed is not None else c.strip())
    return out


def chords_exact(pred: Sequence[str], gold: Sequence[str]) -> bool:
    """Chord sequence exact match after normalisation (order and repeats count)."""
    return normalise_chords(pred) == normalise_chords(gold)


def chords_f1(pred: Sequence[str], gold: Sequence[str]) -> float:
    """Chord-token F1: multiset overlap of normalised chords (order ignored, repeats count)."""
    p, g = Counter(normalise_chords(pred)), Counter(normalise_chords(gold))
    if not p and not g:
        return 1.0
    tp = sum((p & g).values())
    if tp == 0:
        return 0.0
    precision, recall = tp / sum(p.values()), tp / sum(g.values())
    return 2 * precision * recall / (precision + recall)


# ------------------------------------------------------------------------------------------ F1
@dataclass
class PRF:
    """Micro-averaged counts; add rows with ``add`` and read ``f1``."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return micro_f1(self.tp, self.fp, self.fn)


def micro_f1(tp: int, fp: int, fn: int) -> float:
    """F1 from summed counts: 2TP / (2TP + FP + FN); 0 when there is nothing to score."""
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 0.0


def set_counts(pred: Iterable[str], gold: Iterable[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two label sets."""
    p, g = set(pred), set(gold)
    return len(p & g), len(p - g), len(g - p)


# ------------------------------------------------------------------------------ knowledge base
def normalise_name(text: str) -> str:
    """Same folding as knowledge_base.normalise_name: lower case, '-', '_' and spaces to one space."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


@dataclass(frozen=True)
class KBEntry:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    audioset: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class TempoTermEntry:
    term: str
    aliases: tuple[str, ...]
    min_bpm: float
    max_bpm: float
    typical_bpm: float


KBKind = Literal["genres", "instruments", "moods"]


class KBIndex:
    """Name/alias lookups over the KB, for matching labels and tags to KB entries.

    Built from the real KnowledgeBase with ``from_kb`` or from plain ``KBEntry`` lists in tests.
    """

    def __init__(self, genres: Sequence[KBEntry], instruments: Sequence[KBEntry], moods: Sequence[KBEntry],
                 tempo_terms: Sequence[TempoTermEntry] = ()) -> None:
        self.entries: dict[KBKind, dict[str, KBEntry]] = {
            "genres": {e.id: e for e in genres},
            "instruments": {e.id: e for e in instruments},
            "moods": {e.id: e for e in moods},
        }
        self._names: dict[KBKind, dict[str, str]] = {}
        self._alias_res: dict[KBKind, list[tuple[int, re.Pattern[str], str]]] = {}
        for kind, items in self.entries.items():
            names: dict[str, str] = {}
            for e in items.values():
                for n in (e.id, e.name, *e.aliases):
                    names.setdefault(normalise_name(n), e.id)
            self._names[kind] = names
            pats = [(len(n), re.compile(r"(?<!\w)" + re.escape(n) + r"(?:s|es)?(?!\w)"), i)
                    for n, i in names.items()]
            self._alias_res[kind] = sorted(pats, key=lambda p: -p[0])
        self.tempo_terms = list(tempo_terms)
        self._tempo_names: dict[str, TempoTermEntry] = {}
        for t in self.tempo_terms:
            for n in (t.term, *t.aliases):
                self._tempo_names.setdefault(normalise_name(n), t)

    @classmethod
    def from_kb(cls, kb: Any) -> KBIndex:
        def entry(e: Any, parent: str | None = None) -> KBEntry:
            return KBEntry(id=e.id, name=e.name, aliases=tuple(e.aliases), audioset=tuple(e.audioset),
                           parent=parent)

        return cls(
            genres=[entry(g, g.parent) for g in kb.genres],
            instruments=[entry(i) for i in kb.instruments],
            moods=[entry(m) for m in kb.moods],
            tempo_terms=[TempoTermEntry(t.term, tuple(t.aliases), t.min_bpm, t.max_bpm, t.typical_bpm)
                         for t in kb.tempo_terms],
        )

    def resolve(self, kind: KBKind, text: str) -> str | None:
        """KB id by exact id/name/alias (normalised), trying a trailing plural 's' too."""
        n = normalise_name(text)
        names = self._names[kind]
        if n in names:
            return names[n]
        if n.endswith("es") and n[:-2] in names:
            return names[n[:-2]]
        if n.endswith("s") and n[:-1] in names:
            return names[n[:-1]]
        return None

    def resolve_contained(self, kind: KBKind, text: str) -> str | None:
        """KB id of the longest name/alias contained as whole words ('groovy bass line' -> bass)."""
        n = normalise_name(text)
        for _, pattern, entry_id in self._alias_res[kind]:
            if pattern.search(n):
                return entry_id
        return None

    def resolve_loose(self, kind: KBKind, text: str) -> str | None:
        return self.resolve(kind, text) or self.resolve_contained(kind, text)

    def name(self, kind: KBKind, entry_id: str) -> str:
        return self.entries[kind][entry_id].name

    def ancestors(self, genre_id: str) -> list[str]:
        """The genre and its parents, nearest first."""
        out: list[str] = []
        current: str | None = genre_id
        while current is not None and current not in out and current in self.entries["genres"]:
            out.append(current)
            current = self.entries["genres"][current].parent
        return out

    def audioset(self, kind: KBKind, entry_id: str) -> set[str]:
        """AudioSet labels of an entry; a genre without its own mapping inherits its nearest ancestor's."""
        if kind == "genres":
            for g in self.ancestors(entry_id):
                labels = self.entries["genres"][g].audioset
                if labels:
                    return set(labels)
            return set()
        entry = self.entries[kind].get(entry_id)
        return set(entry.audioset) if entry else set()

    def tempo_term(self, text: str) -> TempoTermEntry | None:
        """Tempo term whose term or alias equals the text (normalised)."""
        return self._tempo_names.get(normalise_name(text))


# ---------------------------------------------------------------------------- AudioSet instruments
# The "Musical instrument" subtree of the AudioSet ontology. Predicted instrument labels outside it
# (e.g. "Singing" for vocals) can never be in MusicCaps' audioset_instrument column, so they are
# dropped before scoring instead of being counted as false positives.
AUDIOSET_INSTRUMENT_CLASSES: frozenset[str] = frozenset({
    "Musical instrument", "Plucked string instrument", "Guitar", "Electric guitar", "Bass guitar",
    "Acoustic guitar", "Steel guitar, slide guitar", "Tapping (guitar technique)", "Strum", "Banjo",
    "Sitar", "Mandolin", "Zither", "Ukulele", "Keyboard (musical)", "Piano", "Electric piano", "Organ",
    "Electronic organ", "Hammond organ", "Synthesizer", "Sampler", "Harpsichord", "Percussion",
    "Drum kit", "Drum machine", "Drum", "Snare drum", "Rimshot", "Drum roll", "Bass drum", "Timpani",
    "Tabla", "Cymbal", "Hi-hat", "Crash cymbal", "Wood block", "Tambourine", "Rattle (instrument)",
    "Maraca", "Gong", "Tubular bells", "Mallet percussion", "Marimba, xylophone", "Glockenspiel",
    "Vibraphone", "Steelpan", "Orchestra", "Brass instrument", "French horn", "Trumpet", "Trombone",
    "Bowed string instrument", "String section", "Violin, fiddle", "Pizzicato", "Cello", "Double bass",
    "Wind instrument, woodwind instrument", "Flute", "Saxophone", "Clarinet", "Harp", "Bell",
    "Church bell", "Jingle bell", "Bicycle bell", "Tuning fork", "Chime", "Wind chime",
    "Change ringing (campanology)", "Harmonica", "Accordion", "Bagpipes", "Didgeridoo", "Shofar",
    "Theremin", "Singing bowl", "Scratching (performance technique)",
})

# Broad AudioSet classes that do not identify an instrument; two instruments sharing only one of
# these are not the same instrument (used for MidiCaps instrument matching).
AUDIOSET_GENERIC_CLASSES: frozenset[str] = frozenset({
    "Musical instrument", "Plucked string instrument", "Keyboard (musical)", "Percussion",
    "Brass instrument", "Bowed string instrument", "Wind instrument, woodwind instrument",
    "Mallet percussion", "Orchestra",
})


def match_instruments(pred: Sequence[str], gold: Sequence[str | None],
                      audioset_of: dict[str, set[str]]) -> tuple[int, int, int]:
    """(tp, fp, fn) matching predicted KB instrument ids to gold ones one-to-one: first by
    identical id, then by a shared specific (non-generic) AudioSet class. A gold entry of None
    (label not resolvable to the KB) can only be a false negative."""
    remaining = list(dict.fromkeys(pred))
    golds = list(gold)
    tp = 0
    unmatched: list[str | None] = []
    for g in golds:
        if g is not None and g in remaining:
            remaining.remove(g)
            tp += 1
        else:
            unmatched.append(g)
    for g in unmatched:
        if g is None:
            continue
        specific = audioset_of.get(g, set()) - AUDIOSET_GENERIC_CLASSES
        for p in remaining:
            if specific & (audioset_of.get(p, set()) - AUDIOSET_GENERIC_CLASSES):
                remaining.remove(p)
                tp += 1
                break
    return tp, len(remaining), len(golds) - tp


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
