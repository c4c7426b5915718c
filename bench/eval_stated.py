"""Whether a caption *states* a tempo, key, meter or chords: simple regexes over the caption text,
independent of the parser they are used to score (see eval_data.py for the conventions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from bench.eval_data import ACCIDENTAL, Chord, Key, normalise_chords, parse_chord, parse_key

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


_KEY_TOKEN_RE = re.compile(rf"(?<![\w#/])([A-G]{ACCIDENTAL}?)\s?(major|minor|maj|min|M|m)?(?![\w#/])")
_KEY_WORD_RE = re.compile(r"(?<![\w-])key\b(?!board)", re.I)
_FULL_KEY_RE = re.compile(rf"(?<![\w#/])([A-G]{ACCIDENTAL}?)\s?(major|minor|maj|min)(?![\w#/])")


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

