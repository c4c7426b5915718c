"""One groove map for the whole band, applied after composition: swing, per-role push and pull,
humanised timing and velocity, and phrase-shaped lead dynamics.

Parts are written on the straight grid; this is the one place that moves them in time, so a swung
hi-hat and the piano's off-beat chord land together (the drums used to be swung alone, and every
off-beat flammed). Notes struck together in a part (a chord, a strum) move together: a strike is found by
its first note, so a strum that spreads over a large share of a sixteenth at a fast tempo is still one onset.

Swing is a time warp of each beat: the off-beat eighth moves late by the swing, the sixteenths either side
of it move half as far (the beat's first half stretches, its second half shrinks), so no note is pushed
past the triplet towards the next beat. Human timing scales with the step: the groove's figure holds at
120 BPM and below, and a fast tempo is played tighter, as players do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from engine.score import Note, Score, Track

# Where each role sits against the beat (ms, + = behind): the bass pushes a hair, comping and the lead lay back.
PUSH_MS = {"drums": 0.0, "percussion": 0.0, "bass": -2.0, "harmony": 3.0, "pad": 0.0, "lead": 5.0, "counter": 3.0,
           "arp": 0.0}
# How loosely each role plays, as a share of the groove's humanize_ms; the kick is the anchor.
LOOSENESS = {"drums": 1.0, "percussion": 1.0, "bass": 0.7, "harmony": 0.8, "pad": 0.8, "lead": 1.0, "counter": 0.9,
             "arp": 0.7}
DRUM_LOOSENESS = {36: 0.6, 35: 0.6, 38: 0.9, 40: 0.9}
# A player's timing scatter (one standard deviation, ms): nobody plays on the grid, so every part scatters at least
# MIN_HUMANIZE_MS (the floor used to come before a role's looseness: a bass at 0.7 of it scattered 3.5 ms, a held pad
# at a fast tempo under 3); a groove's figure counts up to MAX_HUMANIZE_MS, past which a band sounds sloppy (a jazz
# groove's 10 ms scattered its counter-line 11-13 ms and flammed the comping against the ride)
MIN_HUMANIZE_MS = 5.0
MAX_HUMANIZE_MS = 7.5
GRID_TOLERANCE = 0.3  # a note within 0.3 of a step of the grid belongs to that step
STRIKE_S = 0.045  # notes of a part that start within this of a strike's first note belong to it (strum, roll)
REFERENCE_STEP_S = 0.125  # the sixteenth at 120 BPM, where a groove's humanize_ms is its figure


@dataclass(frozen=True, slots=True)
class GrooveMap:
    swing: float  # 0 straight .. 1 full triplet feel (a swung eighth's off-beat late by 2/3 of a sixteenth)
    swing_unit_steps: int  # 2: swung eighths, 1: swung sixteenths
    humanize_ms: float


def apply(score: Score, groove: GrooveMap, rngs: dict[str, np.random.Generator]) -> None:
    """Moves every track's notes by the one groove map (in place)."""
    for track in score.tracks:
        rng = rngs.get("feel:" + track.name) or np.random.default_rng(0)
        track.notes = _feel_track(track, score, groove, rng)


def swing_offsets(steps: np.ndarray, swing: float, unit_steps: int, step_s: float,
                  steps_per_bar: int = 16) -> np.ndarray:
    """How late each grid step is played (s): a beat's time warped so its off-beat lands ``swing`` of the way
    to the triplet. Eighths: the off-beat moves by swing * 2/3 of a step, the sixteenths either side of it by
    half that (the 'e' stretches with the beat's first half, the 'a' is squeezed into its second half, never
    pushed onto the next beat). Sixteenths: every other sixteenth moves by swing * 1/3 of a step."""
    if swing <= 0.0:
        return np.zeros(len(steps))
    local = steps % max(steps_per_bar, 1)  # the phase within the bar: odd meters restart every bar
    if unit_steps == 2:
        phase = local % 4
        factor = np.where(phase == 2, 1.0, np.where(phase % 2 == 1, 0.5, 0.0))
        return swing * step_s * (2.0 / 3.0) * factor
    return np.where(local % 2 == 1, swing * step_s / 3.0, 0.0)


def human_timing_ms(humanize_ms: float, tempo_scale: float, role: str) -> float:
    """A role's timing scatter (ms, one standard deviation): the groove's figure (tighter at a fast tempo, at most
    MAX_HUMANIZE_MS) scaled by how loosely the role plays, never under MIN_HUMANIZE_MS."""
    return max(min(humanize_ms * tempo_scale, MAX_HUMANIZE_MS) * LOOSENESS.get(role, 1.0), MIN_HUMANIZE_MS)


def strikes(starts: np.ndarray, step_s: float) -> np.ndarray:
    """For each note (sorted by start), the index of the first note of the strike it belongs to: notes that
    start within STRIKE_S (and under half a step) of that first note sound as one onset."""
    window = min(STRIKE_S, 0.5 * step_s)
    anchor = np.zeros(len(starts), dtype=np.int64)
    first = 0
    for i in range(1, len(starts)):
        if starts[i] - starts[first] > window:
            first = i
        anchor[i] = first
    return anchor


def _feel_track(track: Track, score: Score, groove: GrooveMap, rng: np.random.Generator) -> list[Note]:
    notes = sorted(track.notes, key=lambda nt: nt.start_s)
    if not notes:
        return []
    step_s = score.step_s
    tempo_scale = min(1.0, step_s / REFERENCE_STEP_S)  # a fast tempo is played tighter
    human_s = human_timing_ms(groove.humanize_ms, tempo_scale, track.role) / 1000.0
    push_s = PUSH_MS.get(track.role, 0.0) / 1000.0
    starts = np.fromiter((nt.start_s for nt in notes), dtype=np.float64, count=len(notes))
    pitches = np.fromiter((nt.pitch for nt in notes), dtype=np.int64, count=len(notes))
    # one move per onset: a drum voice on its step; a chord or a strum (however far it spreads) together
    if track.is_drum:
        anchor_pos = starts / step_s
        keys = np.rint(anchor_pos).astype(np.int64) * 128 + pitches
    else:
        anchor = strikes(starts, step_s)
        anchor_pos = starts[anchor] / step_s
        keys = anchor
    steps = np.rint(anchor_pos).astype(np.int64)
    on_grid = np.abs(anchor_pos - steps) <= GRID_TOLERANCE
    steps_per_bar = max(round(score.bar_s / step_s), 1)
    swing = np.where(on_grid, swing_offsets(steps, groove.swing, groove.swing_unit_steps, step_s, steps_per_bar), 0.0)
    _unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    scale = np.array([DRUM_LOOSENESS.get(int(pitches[i]), 1.0) if track.is_drum else 1.0 for i in first])
    jitter = np.clip(rng.normal(0.0, 1.0, len(first)) * human_s * scale, -2.5 * human_s, 2.5 * human_s)[inverse]
    new_starts = np.maximum(starts + swing + push_s + jitter, 0.0)
    velocity = np.fromiter((nt.velocity for nt in notes), dtype=np.float64, count=len(notes))
    velocity = velocity * (1.0 + rng.normal(0.0, 0.04, len(notes)))
    if track.role == "lead":  # phrase shape: a four-bar phrase swells toward its middle, relaxes at its end
        velocity = velocity * (0.92 + 0.16 * np.sin(np.pi * ((starts / (4.0 * score.bar_s)) % 1.0)))
    velocity = np.clip(np.rint(velocity), 1, 127).astype(np.int64)
    out = [replace(nt, start_s=float(t), velocity=int(v)) for nt, t, v in zip(notes, new_starts, velocity, strict=True)]
    out.sort(key=lambda nt: nt.start_s)
    return out
