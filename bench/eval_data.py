"""Loaders and label normalisation for the Aurora parser bench (bench/parser_eval.py).

Everything here is a pure function of text and label data: no Aurora import, no model. That keeps
the metric definitions unit-testable (tests/bench/test_parser_eval_metrics.py) and independent of
the parser they measure. In particular, whether a caption *states* a value (tempo, key, meter,
chords) is decided by the simple regexes below, never by the parser.

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
import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Mode = Literal["major", "minor"]
Key = tuple[int, Mode]
Chord = tuple[int, str, int | None]

# ------------------------------------------------------------------------------------------ pitch
_NOTE_PC = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACCIDENTAL = r"(?:#|♯|b|♭|-?\s?sharp|-?\s?flat)"


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
    rf"^\s*(?:the\s+)?(?:key\s+(?:of\s+)?)?([A-Ga-g])\s?({_ACCIDENTAL})?\s*"
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
    """Mustango tempo bin: 0 below 40 bpm ... 8 at 210 bpm and above."""
    return bisect.bisect_right(TEMPO_BIN_EDGES, bpm)


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


# ----------------------------------------------------------- "stated" detectors (caption text only)
_NUMBER = r"(\d{2,3}(?:\.\d+)?)"
_BPM_PATTERNS = [
    re.compile(_NUMBER + r"\s*(?:bpm|b\.p\.m\.?|beats\s+(?:per|a|each)\s+minute|beats\s*/\s*min)\b", re.I),
    re.compile(r"\bbpm\b\s*(?:is|of|:|=|at|around|about|of about|near)?\s*" + _NUMBER + r"\b", re.I),
    re.compile(
        r"\btempo\b[^.]{0,25}?\b(?:is|of|at)\s+(?:about\s+|around\s+|roughly\s+|approximately\s+)?"
        + _NUMBER + r"(?!\.\d*\s*(?:seconds|secs?|%))(?!\s*(?:seconds|secs?|%|times))\b",
        re.I,
    ),
]

ITALIAN_TEMPO_TERMS = (
    "larghissimo", "grave", "lento", "largo", "larghetto", "adagio", "adagietto", "andante",
    "andantino", "moderato", "allegretto", "allegro", "vivace", "vivacissimo", "allegrissimo",
    "presto", "prestissimo",
)
_ITALIAN_RE = re.compile(r"\b(" + "|".join(sorted(ITALIAN_TEMPO_TERMS, key=len, reverse=True)) + r")\b", re.I)
_TEMPO_WORD_RE = re.compile(
    r"\b(slow(?:er)?|fast(?:er)?|quick|brisk|rapid|up-?\s?tempo|mid-?\s?tempo|down-?\s?tempo|"
    r"half-?\s?time|double-?\s?time|(?:moderate|medium|mid|steady|relaxed|leisurely)\s+(?:tempo|pace|speed))\b",
    re.I,
)


def stated_bpms(caption: str) -> list[float]:
    """BPM numbers the caption states ("118 bpm", "The bpm is 97.0", "tempo of 73 beats per minute")."""
    found: list[tuple[int, float]] = []
    for pattern in _BPM_PATTERNS:
        for m in pattern.finditer(caption):
            value = float(m.group(1))
            if 20 <= value <= 300:
                found.append((m.start(1), value))
    seen: set[int] = set()
    out: list[float] = []
    for pos, value in sorted(found):
        if pos not in seen:
            seen.add(pos)
            out.append(value)
    return out


def stated_italian_terms(caption: str) -> list[str]:
    return [m.group(1).lower() for m in _ITALIAN_RE.finditer(caption)]


def stated_tempo_words(caption: str) -> list[str]:
    """Plain tempo words ('slow', 'uptempo', 'medium tempo', ...)."""
    return [m.group(1).lower() for m in _TEMPO_WORD_RE.finditer(caption)]


TempoStatement = Literal["number", "italian", "word", "none"]


def tempo_statement(caption: str) -> TempoStatement:
    """How the caption states tempo: a number wins over an Italian term, which wins over a word."""
    if stated_bpms(caption):
        return "number"
    if stated_italian_terms(caption):
        return "italian"
    if stated_tempo_words(caption):
        return "word"
    return "none"


_KEY_TOKEN_RE = re.compile(rf"(?<![\w#/])([A-G]{_ACCIDENTAL}?)\s?(major|minor|maj|min|M|m)?(?![\w#/])")
_KEY_WORD_RE = re.compile(r"(?<![\w-])key\b(?!board)", re.I)
_FULL_KEY_RE = re.compile(rf"(?<![\w#/])([A-G]{_ACCIDENTAL}?)\s?(major|minor|maj|min)(?![\w#/])")


def _key_from_parts(tonic: str, mode_word: str | None) -> Key | None:
    return parse_key(f"{tonic}{mode_word or ''}" if mode_word in ("M", "m") else f"{tonic} {mode_word or ''}")


def stated_keys(caption: str) -> list[Key]:
    """Keys the caption states: key-like tokens in the clause after the word 'key' ('the key of
    Cm or CM'), plus any tonic followed by major/minor/maj/min ('This song in F minor', 'In C#maj')."""
    keys: list[Key] = []
    for m in _KEY_WORD_RE.finditer(caption):
        window = re.split(r"[.;!?](?:\s|$)", caption[m.end(): m.end() + 60], maxsplit=1)[0]
        for t in _KEY_TOKEN_RE.finditer(window):
            k = _key_from_parts(t.group(1), t.group(2))
            if k is not None and k not in keys:
                keys.append(k)
    for t in _FULL_KEY_RE.finditer(caption):
        k = _key_from_parts(t.group(1), t.group(2))
        if k is not None and k not in keys:
            keys.append(k)
    return keys


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_NUMW = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_BEAT_PATTERNS = [
    re.compile(r"(?<![\d/.])(\d{1,2})\s*/\s*(?:2|4|8|16)(?![\d/])"),
    re.compile(
        r"\bbeats?\b(?:\s+[a-z]+){0,2}?\s+(?:is|of|to|at|in)\s+(?:a\s+)?(?:[a-z]+\s+)?"
        + _NUMW + r"\b(?!\s*/)",
        re.I,
    ),
    re.compile(r"\b(?:time\s+signature|meter|metre)\s+(?:is\s+)?in\s+" + _NUMW + r"\b(?!\s*/)", re.I),
    re.compile(r"\b" + _NUMW + r"[-\s]beat\s+counts?\b", re.I),
    re.compile(r"\b" + _NUMW + r"-count\b", re.I),
    re.compile(
        r"\bcount(?:s|ing|ed)?\b(?:\s+[a-z]+){0,2}?\s+(?:to|of|is|till)\s+(?:till\s+)?" + _NUMW + r"\b", re.I
    ),
    re.compile(
        r"\b" + _NUMW + r"[-\s]beats?\s+(?:per|a|to\s+the|to\s+a|in\s+a|in\s+each|in\s+every|each)\s+"
        r"(?:bar|measure)", re.I,
    ),
    re.compile(r"\b" + _NUMW + r"-beats?\b", re.I),
    re.compile(r"\ba\s+" + _NUMW + r"\s+beat\b", re.I),
]
_METER_WORDS = [
    (re.compile(r"\bwaltz", re.I), 3),
    (re.compile(r"\bcommon\s+time\b", re.I), 4),
    (re.compile(r"\bcut\s+time\b", re.I), 2),
    (re.compile(r"\btriple\s+(?:meter|metre|time)\b", re.I), 3),
    (re.compile(r"\bduple\s+(?:meter|metre|time)\b", re.I), 2),
    (re.compile(r"\bquadruple\s+(?:meter|metre|time)\b", re.I), 4),
]


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def stated_beats_per_bar(caption: str) -> list[int]:
    """Beats per bar the caption states: '3/4', 'The beat is 3', 'counts to three', '3-beat
    pulse', 'four beats per measure', 'waltz', 'common time' (in order of appearance)."""
    found: list[tuple[int, int]] = []
    for pattern in _BEAT_PATTERNS:
        for m in pattern.finditer(caption):
            n = _number(m.group(1))
            if 1 <= n <= 15:
                found.append((m.start(), n))
    for pattern, n in _METER_WORDS:
        found.extend((m.start(), n) for m in pattern.finditer(caption))
    out: list[int] = []
    for _, n in sorted(found):
        if n not in out:
            out.append(n)
    return out


_TIME_SIGNATURE_RE = re.compile(r"(?<![\d/.])(\d{1,2})\s*/\s*(2|4|8|16)(?![\d/])")


def stated_time_signatures(caption: str) -> list[str]:
    """'N/M' meters the caption states ('waltz' counts as 3/4)."""
    out = [f"{m.group(1)}/{m.group(2)}" for m in _TIME_SIGNATURE_RE.finditer(caption)]
    if not out and re.search(r"\bwaltz", caption, re.I):
        out.append("3/4")
    return out


_CHORD_TOKEN_RE = re.compile(
    r"(?<![\w#/])([A-G](?:#|b)?[A-Za-z0-9#+°øΔ]*(?:/[A-G](?:#|b)?)?)(?![\w#/])(\s+(?:major|minor)\b)?"
)
_AFTER_KEY_RE = re.compile(r"\bkey(?:\s+signature)?(?:\s+(?:of|is|in))?(?:\s+the)?\s*[:,]?\s*$", re.I)


def caption_chords(caption: str) -> list[Chord]:
    """Every chord-like token in the text, normalised ('B minor' counts as Bm); a token right after
    'key of' / 'key is' is a key, not a chord, and is skipped. Includes noise such as the article 'A'."""
    out: list[Chord] = []
    for m in _CHORD_TOKEN_RE.finditer(caption):
        if _AFTER_KEY_RE.search(caption[max(0, m.start() - 25): m.start()]):
            continue
        symbol = m.group(1)
        if m.group(2) and re.fullmatch(r"[A-G](?:#|b)?", symbol):
            symbol += "m" if "minor" in m.group(2) else ""
        c = parse_chord(symbol)
        if c is not None:
            out.append(c)
    return out


_CHORD_WORD_RE = re.compile(r"chord|progression|harmon|sequence|changes", re.I)


def chord_sentences(caption: str) -> str:
    """The sentences of the caption that talk about chords."""
    return " ".join(s for s in re.split(r"(?<=[.!?])\s+", caption) if _CHORD_WORD_RE.search(s))


def chords_stated(caption: str, gold: Sequence[str]) -> Literal["full", "partial", "none"]:
    """Does the caption state the labelled chord sequence? Only sentences that talk about chords
    ('chord', 'progression', 'sequence', ...) are read, and a token after 'key of' is a key.
    'full': the labelled sequence appears there in order; 'partial': some labelled chords appear
    (a paraphrase dropped, reordered or renamed some); 'none' otherwise."""
    labels = [c for c in normalise_chords(gold) if not isinstance(c, str)]
    if not labels:
        return "none"
    tokens = caption_chords(chord_sentences(caption))
    it = iter(tokens)
    if all(any(c == t for t in it) for c in labels):  # ordered subsequence
        return "full"
    present = set(tokens)
    return "partial" if any(c in present for c in labels) else "none"


# ------------------------------------------------------------------------------------------ rows
@dataclass
class MusicBenchRow:
    index: int
    caption: str
    bpm: float | None
    keys: list[str]
    chords: list[str]
    beats_per_bar: int | None


@dataclass
class MusicCapsRow:
    index: int
    ytid: str
    caption: str
    genres: set[str]
    moods: set[str]
    instruments: set[str]


@dataclass
class ConceptCapsRow:
    index: int
    caption: str
    tags: dict[str, list[str]]


@dataclass
class MidiCapsRow:
    index: int
    caption: str
    key: str | None
    time_signature: str | None
    tempo: float | None
    genres: list[str]
    instruments: list[str]
    chords: list[str]


@dataclass
class Loaded:
    """Rows of one set plus the rows skipped while loading (with why)."""

    rows: list[Any]
    skipped: Counter[str] = field(default_factory=Counter)
    total: int = 0


GENERIC_AUDIOSET_INSTRUMENT = "Musical instrument"
CONCEPTCAPS_CATEGORIES = ("tempo_tags", "genre_tags", "mood_tags", "instrument_tags")


def evenly(items: Sequence[Any], limit: int | None) -> list[Any]:
    """At most ``limit`` items spread evenly over the sequence (all when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _split_labels(text: str | None) -> list[str]:
    if not text:
        return []
    return [t.strip() for t in re.split(r"[|;]", text) if t.strip()]


def load_musicbench(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            out.total += 1
            r = json.loads(line)
            caption = (r.get("captions") or "").strip()
            if not caption or caption == "ERROR":
                out.skipped["caption missing or 'ERROR'"] += 1
                continue
            beats = r.get("beats") or []
            positions = beats[1] if len(beats) > 1 else []
            out.rows.append(MusicBenchRow(
                index=i,
                caption=caption,
                bpm=float(r["bpm"]) if r.get("bpm") is not None else None,
                keys=[k for k in (r.get("key") or []) if k],
                chords=list(r.get("chords") or []),
                beats_per_bar=int(max(positions)) if positions else None,
            ))
    out.rows = evenly(out.rows, limit)
    return out


def load_musiccaps(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    with path.open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            out.total += 1
            caption = (r.get("caption") or "").strip()
            if not caption:
                out.skipped["caption missing"] += 1
                continue
            out.rows.append(MusicCapsRow(
                index=i,
                ytid=r.get("ytid", ""),
                caption=caption,
                genres=set(_split_labels(r.get("audioset_genre"))),
                moods=set(_split_labels(r.get("audioset_mood"))),
                instruments=set(_split_labels(r.get("audioset_instrument"))) - {GENERIC_AUDIOSET_INSTRUMENT},
            ))
    out.rows = evenly(out.rows, limit)
    return out


def load_conceptcaps(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    with path.open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            out.total += 1
            caption = (r.get("caption") or "").strip()
            if not caption:
                out.skipped["caption missing"] += 1
                continue
            tags: dict[str, list[str]] = {}
            for category in CONCEPTCAPS_CATEGORIES:
                values: list[str] = []
                for raw in (r.get(category) or "").split(","):
                    tag = raw.strip().lower()
                    if tag and tag not in values:
                        values.append(tag)
                tags[category] = values
            out.rows.append(ConceptCapsRow(index=i, caption=caption, tags=tags))
    out.rows = evenly(out.rows, limit)
    return out


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def load_midicaps(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            out.total += 1
            r = json.loads(line)
            caption = (r.get("caption") or "").strip()
            if not caption:
                out.skipped["caption missing"] += 1
                continue
            tempo = _float_or_none(r.get("tempo"))
            out.rows.append(MidiCapsRow(
                index=i,
                caption=caption,
                key=r.get("key") or None,
                time_signature=r.get("time_signature") or None,
                tempo=tempo,
                genres=[g for g in (r.get("genre") or []) if g],
                instruments=[x for x in (r.get("instrument_summary") or []) if x],
                chords=list(r.get("chord_summary") or []),
            ))
    out.rows = evenly(out.rows, limit)
    return out


# ------------------------------------------------------------------------------ knowledge base
def normalise_name(text: str) -> str:
    """Same folding as aurora.knowledge.normalise_name: lower case, '-', '_' and spaces to one space."""
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
