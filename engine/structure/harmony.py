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


def tonic_triad(root_pc: int, *, minor: bool) -> Chord:
    """A key's home triad: root, minor or major third, fifth."""
    return Chord("tonic", root_pc, (root_pc, (root_pc + (3 if minor else 4)) % 12, (root_pc + 7) % 12), root_pc)


def chord_span(chord: Chord, start_s: float, duration_s: float) -> ChordSpan:
    return ChordSpan(start_s, duration_s, chord.symbol, chord.root_pc, chord.pitch_classes, chord.bass_pc)


def bar_chord_spans(slots: list[Chord], bar_start_s: float, bar_s: float) -> list[ChordSpan]:
    """A bar's chord slots as spans, a chord repeated in the next slot held over it (ii7 V7 | I I -> I held)."""
    spans: list[ChordSpan] = []
    slot_s = bar_s / len(slots)
    for k, chord in enumerate(slots):
        if spans and spans[-1].symbol == chord.symbol:
            last = spans[-1]
            spans[-1] = ChordSpan(last.start_s, last.duration_s + slot_s, last.symbol, last.root_pc,
                                  last.pitch_classes, last.bass_pc)
        else:
            spans.append(chord_span(chord, bar_start_s + k * slot_s, slot_s))
    return spans


def change_in_bar(spans: list[ChordSpan], bar_s: float, steps: int) -> tuple[int, ChordSpan] | None:
    """(step, chord) where the harmony changes within the bar (the engine plays at most one change a bar
    in the bass and the melody; the comping plays every span)."""
    if len(spans) < 2:
        return None
    return round((spans[1].start_s - spans[0].start_s) / bar_s * steps), spans[1]


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


POWER_CHORD_ROOTS = (40, 52)  # E2-E3: power chords rooted on the low E and A strings
LOWEST_TUNED_ROOT = 35  # B1: a seven-string guitar's low B, the lowest tuning a power chord is rooted on
HELD_POWER_CHORD_ROOTS = (52, 64)  # E3-E4: a held (pad) guitar's power chords, an octave above the rhythm part's


def tuned_power_chord_roots(tonic_pc: int) -> tuple[int, int]:
    """The rhythm guitar's power-chord roots, an octave from the lowest: the low E string (E2), or the key's tonic
    under it, the string a band tunes down to for a key of D#, D, C#, C or B (drop D, a 7-string's low B). Riffs in
    D had chugged on D3, an octave over the dropped string, and no riff went under E2."""
    low = min(LOWEST_TUNED_ROOT + (tonic_pc - LOWEST_TUNED_ROOT) % 12, POWER_CHORD_ROOTS[0])
    return low, low + POWER_CHORD_ROOTS[1] - POWER_CHORD_ROOTS[0]


def power_chord(pcs: tuple[int, ...], previous: tuple[int, ...] | None, *, low: int,
                high: int, n_voices: int = 3) -> tuple[int, ...] | None:
    """A guitarist's power chord on the chord's root: root, fifth and octave, no third (through distortion a
    third makes harsh intermodulation tones), the root in [low, high] (the low strings) nearest the previous
    root (the shape slides along the neck). None for a chord without a perfect fifth (diminished, augmented):
    those keep their full voicing. n_voices=4 adds the fifth above the octave (root, fifth, octave, fifth), the
    spread a held chord rings with."""
    root = pcs[0]
    if (root + 7) % 12 not in pcs:
        return None
    roots = [p for p in range(low, high + 1) if p % 12 == root] or [low + (root - low) % 12]
    target = previous[0] if previous else (low + high) / 2.0
    base = min(roots, key=lambda p: (abs(p - target), p))
    return (base, base + 7, base + 12, base + 19)[:max(3, min(n_voices, 4))]


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


def window_hits(hits: list[tuple[int, int, float]], from_step: int, until_step: int) -> list[tuple[int, int, float]]:
    """The hits of a bar's rhythm that fall in one chord's part of the bar [from_step, until_step), cut at
    its end; a chord the rhythm leaves silent is struck where it starts (every planned chord sounds)."""
    out = [(s, min(ln, until_step - s), a) for s, ln, a in hits if from_step <= s < until_step]
    if not out:
        out = [(from_step, until_step - from_step, 0.8)]
    return out


# A player's broken chord leans on the metre: the bar's first note most, each beat (or group start in an odd
# metre) next, the notes between them about one dynamic step lighter (mp under mf: ~0.8 of the velocity), so a
# flowing arpeggio still says where the bar and the beat are (an even one floats: a gentle piano piece at 59 BPM
# was heard at twice its tempo).
METRIC_WEIGHT = {"bar": 1.15, "group": 1.05, "beat": 1.0, "eighth": 0.8, "sixteenth": 0.75}


def metric_weight(step: int, *, beat_steps: int, strong: tuple[int, ...]) -> float:
    """How hard a player leans on a step of the bar (METRIC_WEIGHT)."""
    if step == 0:
        return METRIC_WEIGHT["bar"]
    if step in strong:
        return METRIC_WEIGHT["group"]
    if step % beat_steps == 0:
        return METRIC_WEIGHT["beat"]
    return METRIC_WEIGHT["eighth"] if step % 2 == 0 else METRIC_WEIGHT["sixteenth"]


def comp_bar(*, chord: ChordSpan, voicing: tuple[int, ...], style: CompStyle, bar_start_s: float,
             step_s: float, steps_per_bar: int, velocity: float, rng: np.random.Generator,
             legato: float = 0.95, from_step: int = 0, until_step: int | None = None,
             metre: tuple[int, tuple[int, ...]] | None = None) -> list[Note]:
    """One bar of accompaniment (or the part of it from ``from_step`` to ``until_step`` that one chord
    holds when the harmony changes within the bar): the style's rhythm played on a voice-led voicing.
    ``metre`` (beat steps, group starts): a player's arpeggio leans on the bar and the beat (metric_weight)."""
    grid = style.pattern if len(style.pattern) == steps_per_bar else "X" + "-" * (steps_per_bar - 1)
    notes: list[Note] = []
    hits = parse_grid(grid)
    if from_step > 0 or (until_step is not None and until_step < steps_per_bar):
        hits = window_hits(hits, from_step, steps_per_bar if until_step is None else until_step)
    if style.style == "arpeggio":
        order = list(voicing) + list(voicing[1:-1][::-1])
        for k, (step, length, accent) in enumerate(hits):
            pitch = order[k % len(order)]
            lean = metric_weight(step, beat_steps=metre[0], strong=metre[1]) if metre is not None else 1.0
            vel = _vel(velocity * accent * lean, rng)
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


def guitar_power_chord(role: str, pcs: tuple[int, ...], previous: tuple[int, ...] | None,
                       register: int = 0, *, tonic_pc: int) -> tuple[int, ...] | None:
    """A distorted guitar's power chord for its part: the rhythm (harmony) part's root, fifth and octave on the low
    strings (tuned down for a low key: harmony.tuned_power_chord_roots), a held (pad) part's root, fifth, octave
    and fifth an octave up (harmony.power_chord)."""
    low, high = tuned_power_chord_roots(tonic_pc) if role == "harmony" else HELD_POWER_CHORD_ROOTS
    return power_chord(pcs, previous, low=low + register, high=high + register, n_voices=3 if role == "harmony" else 4)
