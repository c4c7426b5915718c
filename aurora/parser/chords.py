"""Chord progressions: chord names ("Am7, D/F#, Gmaj7"), and roman numerals ("I-V-vi-IV", "ii-V-I").

A run of chord symbols counts when a chord word ("chord", "progression", "sequence", ...) stands
before it in the same sentence, when it is written as a dashed/arrowed run of 3+ symbols, or when two or
more symbols in a row all carry a quality no word has ("over Fmaj7 Ebmaj7", "Dm7 G7").
Spans already read as a key ("C# minor") are skipped, and the article "A" before a lower-case
word ("A piano plays") is not a chord.

One spelled chord alone ("jazz ballad, Ebmaj7, 60 bpm"; "funk jam, E9") is no progression: it names the home chord,
its key and its colour (``tonic_chord``). Read as a loop it would hold one chord for the whole song; dropped, it
lost its key too (an F major ballad, a funk vamp in E dorian with the G the E9 does not have).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from knowledge_base.schema import Chords
from knowledge_base.theory import chord_from_match, chord_regex

_TRIGGER_RE = re.compile(
    r"\b(?:chords?|progressions?|sequence|changes|harmony|harmonies|revolves?\s+around|centers?\s+around"
    r"|centres?\s+around|vamps?\s+on|vamping)\b",
    re.I,
)
_SEPARATOR_RE = re.compile(
    r"^(?:\s*(?:,|-|–|—|→|->|>|\|)?\s*(?:(?:and|then|to|followed|by|returning|returns|back|shifting|shifts|moving|"
    r"moves|going|goes|briefly|finally|resolving|resolves|before|into|over|with|a|an|the|on|lands?|landing|finish\w*|"
    r"ends?|ending|arrives?|at|changes?|changing)\s+){0,4}|\s*(?:,|-|–|—|→|->|>|\|)\s*)$",
    re.I,
)
_CHORD_WORD_AFTER_RE = re.compile(r"^\s+(?:chords?|chord\s+(?:sequence|progression)|triads?|harmony)\b", re.I)
_ROMAN_TOKEN = (r"[b#♭♯]?(?:VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)"
                r"(?:maj7|m7b5|maj9|dim7|dim|sus4|sus2|add9|°7|ø7|[°ø+]|7|9|6|11|13)?")
_ROMAN_RUN_RE = re.compile(rf"(?<![\w/])({_ROMAN_TOKEN})((?:\s*[-–—,→]\s*{_ROMAN_TOKEN}){{1,15}})(?![\w/])")
_MODE_AFTER_RE = re.compile(r"^\s*-?\s*(?:major|minor|maj\b|min\b|key|tonality|sharp|flat)", re.I)


@dataclass
class ChordFinding:
    chords: list[str]
    roman: list[str]
    confidence: float
    span: tuple[int, int]


def parse_chords(text: str, chords: Chords, *, skip_spans: list[tuple[int, int]] | None = None) -> ChordFinding | None:
    roman = _roman_run(text)
    if roman is not None:
        return roman
    tokens = [m for m in chord_regex(chords).finditer(text) if _is_chord_token(text, m, skip_spans or [])]
    runs = _group_runs(text, tokens)
    best: list[re.Match[str]] | None = None
    for run in runs:
        sentence_start = max(text.rfind(". ", 0, run[0].start()), text.rfind("\n", 0, run[0].start())) + 1
        triggered = bool(_TRIGGER_RE.search(text[sentence_start:run[0].start()])) or bool(
            _CHORD_WORD_AFTER_RE.match(text[run[-1].end():]))
        dashed = len(run) >= 3 and all(
            re.search(r"[-–—→>|]", text[a.end():b.start()]) for a, b in itertools.pairwise(run)
        )
        spelled = len(run) >= 2 and all(re.search(r"\d|dim|aug|sus|ø|°", m.group("suffix") or "") for m in run)
        if (triggered or dashed or spelled) and (best is None or len(run) > len(best)):
            best = run
            if triggered:
                break
    if best is None:
        return None
    symbols = [chord_from_match(m).symbol for m in best]
    return ChordFinding(symbols, [], 0.95, (best[0].start(), best[-1].end()))


_EXTENDED_SUFFIX_RE = re.compile(r"\d|maj|add")  # a chord only a chord symbol spells ("Am" may be a key)


@dataclass(frozen=True)
class TonicChord:
    """A lone spelled chord: the home chord as written, and the mode its quality implies."""

    symbol: str
    root_pc: int
    mode: str  # major (maj7, 6, add9), minor (m7, m9, m6), mixolydian (7, 9, 13: a dominant at home)
    span: tuple[int, int]
    intervals: frozenset[int]  # its pitch classes above the root


def lone_tonic_chord(text: str, chords: Chords, *, skip_spans: list[tuple[int, int]] | None = None,
                     ) -> TonicChord | None:
    """The one spelled chord of a text that states no progression; None when it spells none, or several."""
    tokens = [m for m in chord_regex(chords).finditer(text) if _is_chord_token(text, m, skip_spans or [])
              and _EXTENDED_SUFFIX_RE.search(m.group("suffix") or "") and not m.group("bass")]
    if len(tokens) != 1:
        return None
    chord = chord_from_match(tokens[0])
    pcs = {(pc - chord.root_pc) % 12 for pc in chord.pitch_classes(chords)}
    if (6 in pcs and 7 not in pcs) or not pcs & {3, 4}:
        return None  # a diminished chord is no home; a power chord or a sus chord names no mode
    mode = "minor" if 3 in pcs and 4 not in pcs else "mixolydian" if 10 in pcs else "major"
    return TonicChord(chord.symbol, chord.root_pc, mode, (tokens[0].start(), tokens[0].end()), frozenset(pcs))


def _is_chord_token(text: str, m: re.Match[str], skip_spans: list[tuple[int, int]]) -> bool:
    if any(a <= m.start() < b for a, b in skip_spans):
        return False
    after = text[m.end():m.end() + 12]
    if _MODE_AFTER_RE.match(after):
        return False  # "C# minor", "E major key"
    symbol = m.group(0)
    sentence_start = m.start() == 0 or bool(re.search(r"[.!?:;]\s*$|\n\s*$", text[max(0, m.start() - 3):m.start()]))
    if symbol == "A" and sentence_start and re.match(r"^\s+[a-z]", after):
        return False  # the article opening a sentence, not a chord: "A piano plays"
    before = text[max(0, m.start() - 2):m.start()]
    return not before.endswith("'")


def _group_runs(text: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    runs: list[list[re.Match[str]]] = []
    for m in tokens:
        if runs and _SEPARATOR_RE.match(text[runs[-1][-1].end():m.start()] or " "):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _roman_run(text: str) -> ChordFinding | None:
    m = _ROMAN_RUN_RE.search(text)
    if not m:
        return None
    numerals = re.split(r"\s*[-–—,→]\s*", m.group(0).strip())
    # "I - I" style noise or a lone pronoun: require a real progression of 2+ numerals, not all "I"
    if len(numerals) < 2 or all(n == "I" for n in numerals):
        return None
    return ChordFinding([], numerals, 0.9, (m.start(), m.end()))
