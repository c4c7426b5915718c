"""Keys, chord symbols and voice-led voicings, plus the comping part built from them.

Voicings are chosen by least total voice movement from the previous chord (with a pull toward
the middle of the register), which is what makes block chords sound like a player rather than a
list of root-position triads.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from engine.score import ChordSpan, Note
from knowledge_base import theory
from knowledge_base.schema import Chords


@dataclass(frozen=True, slots=True)
class Chord:
    symbol: str
    root_pc: int
    pitch_classes: tuple[int, ...]  # root first
    bass_pc: int


def parse_chord(symbol: str, chords: Chords) -> Chord | None:
    """A plan's chord symbol as sounding pitch classes (lenient: see ``theory.read_chord``)."""
    read = theory.read_chord(symbol, chords)
    if read is None:
        return None
    pcs = tuple(dict.fromkeys((read.root_pc + i) % 12 for i in chords.qualities[read.suffix]))
    return Chord(read.symbol, read.root_pc, pcs, read.bass_pc if read.bass_pc is not None else read.root_pc)


def chord_tones_in_range(pcs: tuple[int, ...], low: int, high: int) -> list[int]:
    return [p for p in range(low, high + 1) if p % 12 in pcs]


def scale_pitches(tonic_pc: int, intervals: list[int], low: int, high: int) -> list[int]:
    pcs = {(tonic_pc + i) % 12 for i in intervals}
    return [p for p in range(low, high + 1) if p % 12 in pcs]


def _candidates(pcs: tuple[int, ...], n_voices: int, low: int, high: int) -> list[tuple[int, ...]]:
    """Every spacing of the chord in [low, high] that keeps its colour: root and third (and the
    seventh of a seventh chord) present, at most a tenth between neighbours, at most 19 semitones wide."""
    essential = {pcs[0]} | ({pcs[1]} if len(pcs) > 1 else set()) | ({pcs[3]} if len(pcs) > 3 else set())
    tones = chord_tones_in_range(pcs, low, high)
    size = min(n_voices, len(tones))
    out = []
    for combo in itertools.combinations(tones, size):
        if not essential <= {p % 12 for p in combo} or combo[-1] - combo[0] > 19:
            continue
        if any(b - a > 9 for a, b in itertools.pairwise(combo)):
            continue
        out.append(combo)
    return out


def voice_lead(pcs: tuple[int, ...], previous: tuple[int, ...] | None, *, n_voices: int,
               low: int, high: int) -> tuple[int, ...]:
    """The voicing of ``pcs`` closest to ``previous`` (sum of voice movements), inside [low, high]."""
    candidates = _candidates(pcs, n_voices, low, high) or _candidates(pcs, n_voices, low - 12, high + 12)
    centre = (low + high) / 2.0
    def cost(v: tuple[int, ...]) -> float:
        spread = abs(float(np.mean(v)) - centre) * 0.35
        if previous is None or len(previous) != len(v):
            return spread
        return sum(abs(a - b) for a, b in zip(v, previous, strict=True)) + spread * 0.5
    return min(candidates, key=cost)


@dataclass(frozen=True, slots=True)
class CompStyle:
    style: str  # block | strum | arpeggio | stabs
    pattern: str  # step grid with X x o - .


def parse_grid(pattern: str) -> list[tuple[int, int, float]]:
    """Step grid -> (start_step, length_steps, accent) for each hit; '-' extends the previous hit."""
    hits: list[tuple[int, int, float]] = []
    accents = {"X": 1.0, "x": 0.8, "o": 0.55}
    for i, ch in enumerate(pattern):
        if ch in accents:
            hits.append((i, 1, accents[ch]))
        elif ch == "-" and hits and hits[-1][0] + hits[-1][1] == i:
            start, length, acc = hits[-1]
            hits[-1] = (start, length + 1, acc)
    return hits


def comp_bar(*, chord: ChordSpan, voicing: tuple[int, ...], style: CompStyle, bar_start_s: float,
             step_s: float, steps_per_bar: int, velocity: float, rng: np.random.Generator,
             legato: float = 0.95) -> list[Note]:
    """One bar of accompaniment: the style's rhythm played on a voice-led voicing."""
    grid = style.pattern if len(style.pattern) == steps_per_bar else "X" + "-" * (steps_per_bar - 1)
    notes: list[Note] = []
    hits = parse_grid(grid)
    if style.style == "arpeggio":
        order = list(voicing) + list(voicing[1:-1][::-1])
        for k, (step, length, accent) in enumerate(hits):
            pitch = order[k % len(order)]
            vel = _vel(velocity * accent, rng)
            notes.append(Note(bar_start_s + step * step_s, max(length, 2) * step_s * 1.2, pitch, vel))
        return notes
    for step, length, accent in hits:
        dur = length * step_s * (0.45 if style.style == "stabs" else legato)
        for v_idx, pitch in enumerate(voicing):
            offset = v_idx * 0.012 if style.style == "strum" else float(rng.uniform(0.0, 0.006))
            vel = _vel(velocity * accent * (0.92 if v_idx == 0 else 1.0), rng)
            notes.append(Note(bar_start_s + step * step_s + offset, dur, pitch, vel))
    return notes


def _vel(value: float, rng: np.random.Generator) -> int:
    return int(np.clip(round(value * 127 + rng.normal(0.0, 3.0)), 1, 127))


# ------------------------------------------------------------------ keeping a progression in its key
_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
_MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)


def _heptatonic(scale_intervals: list[int], minor: bool) -> tuple[int, ...]:
    """The seven-note scale chords are built from (pentatonic and blues modes use their parent)."""
    steps = tuple(sorted({i % 12 for i in scale_intervals}))
    if len(steps) == 7 and (3 in steps) == minor:
        return steps
    return _MINOR_SCALE if minor else _MAJOR_SCALE


def _diatonic(degree: int, tonic_pc: int, scale: tuple[int, ...], *, seventh: bool, major_dominant: bool) -> Chord:
    pcs = [(tonic_pc + scale[(degree + k) % 7]) % 12 for k in ((0, 2, 4, 6) if seventh else (0, 2, 4))]
    if major_dominant:  # V in minor: the raised leading tone (harmonic minor)
        pcs[1] = (pcs[0] + 4) % 12
    third = (pcs[1] - pcs[0]) % 12
    fifth = (pcs[2] - pcs[0]) % 12
    suffix = "dim" if fifth == 6 else ("m" if third == 3 else "")
    if seventh:
        seven = (pcs[3] - pcs[0]) % 12
        suffix = {("", 11): "maj7", ("", 10): "7", ("m", 10): "m7", ("dim", 10): "m7b5", ("m", 11): "mMaj7"}.get(
            (suffix, seven), suffix + "7")
    return Chord(_NAMES[pcs[0]] + suffix, pcs[0], tuple(pcs), pcs[0])


def fit_to_key(chords: list[Chord], *, tonic_pc: int, scale_intervals: list[int], minor: bool) -> list[Chord]:
    """The plan's chords made to state its key, as a player reading a lead sheet in that key would.

    A chord on the tonic always takes the key's own tonic quality (an 'A' in A minor becomes Am).
    When most chord tones already sit in the key (the leading tone counts in minor), the other
    chords keep their colour; a progression mostly outside the key is rewritten diatonically: each
    chord becomes the scale's chord on the degree nearest its root (its seventh kept), and V stays
    major in minor when it was written major.
    """
    scale = _heptatonic(scale_intervals, minor)
    allowed = {(tonic_pc + i) % 12 for i in scale} | ({(tonic_pc + 11) % 12} if minor else set())
    tones = [pc for c in chords for pc in c.pitch_classes]
    in_key = sum(pc in allowed for pc in tones) / max(len(tones), 1)
    out: list[Chord] = []
    for c in chords:
        rel = (c.root_pc - tonic_pc) % 12
        seventh = len(c.pitch_classes) >= 4
        if rel in scale and in_key >= 0.8 and rel != 0:
            out.append(c)
            continue
        degree = min(range(7), key=lambda d: (min((scale[d] - rel) % 12, (rel - scale[d]) % 12), scale[d]))
        major_dominant = minor and degree == 4 and (len(c.pitch_classes) < 2 or
                                                    (c.pitch_classes[1] - c.root_pc) % 12 == 4)
        out.append(_diatonic(degree, tonic_pc, scale, seventh=seventh and degree != 0,
                             major_dominant=major_dominant))
    return out


def tonic_first(chords: list[Chord], tonic: Chord) -> list[Chord]:
    """The loop rotated to start on its tonic chord (the tonic put in front when it has none)."""
    for i, c in enumerate(chords):
        if c.root_pc == tonic.root_pc:
            return chords[i:] + chords[:i]
    return [tonic, *chords]


def section_chords(chords: list[Chord], tonic: Chord, bars: int) -> list[Chord]:
    """A section's chord per bar: the loop from its tonic, the last bar a cadence home on the tonic
    (after a dominant, when the loop has one and the section is long enough)."""
    loop = tonic_first(chords, tonic)
    out = [loop[b % len(loop)] for b in range(bars)]
    if bars >= 2:
        out[-1] = next((c for c in loop if c.root_pc == tonic.root_pc), tonic)
    if bars >= 4:
        dominant = next((c for c in loop if (c.root_pc - tonic.root_pc) % 12 == 7), None)
        if dominant is not None and out[-2].root_pc == tonic.root_pc:
            out[-2] = dominant
    return out
