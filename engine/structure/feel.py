"""One groove map for the whole band, applied after composition: swing, per-role push and pull,
humanised timing and velocity, and phrase-shaped lead dynamics.

Parts are written on the straight grid; this is the one place that moves them in time, so a swung
hi-hat and the piano's off-beat chord land together (the drums used to be swung alone, and every
off-beat flammed). Notes struck together in a part (a chord, a strum) move together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from engine.score import Note, Score, Track

# Where each role sits against the beat (ms, + = behind): the bass pushes a hair, comping and the lead lay back.
PUSH_MS = {"drums": 0.0, "percussion": 0.0, "bass": -2.0, "harmony": 3.0, "pad": 0.0, "lead": 5.0, "counter": 3.0,
           "arp": 0.0}
# How loosely each role plays, as a share of the groove's humanize_ms; the kick is the anchor.
LOOSENESS = {"drums": 1.0, "percussion": 1.0, "bass": 0.7, "harmony": 0.8, "pad": 0.5, "lead": 1.0, "counter": 0.9,
             "arp": 0.6}
DRUM_LOOSENESS = {36: 0.6, 35: 0.6, 38: 0.9, 40: 0.9}
MIN_HUMANIZE_MS = 5.0  # nobody plays on the grid: a floor of human timing for every groove
GRID_TOLERANCE = 0.3  # a note within 0.3 of a step of the grid belongs to that step


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


def _feel_track(track: Track, score: Score, groove: GrooveMap, rng: np.random.Generator) -> list[Note]:
    notes = track.notes
    if not notes:
        return []
    step_s = score.step_s
    human_s = max(groove.humanize_ms, MIN_HUMANIZE_MS) / 1000.0 * LOOSENESS.get(track.role, 1.0)
    push_s = PUSH_MS.get(track.role, 0.0) / 1000.0
    starts = np.fromiter((nt.start_s for nt in notes), dtype=np.float64, count=len(notes))
    pos = starts / step_s
    steps = np.rint(pos).astype(np.int64)
    on_grid = np.abs(pos - steps) <= GRID_TOLERANCE
    if groove.swing > 0.0:
        if groove.swing_unit_steps == 2:  # swung eighths
            phase = steps % 4
            factor = np.where((phase == 2) | (phase == 3), 1.0, np.where(phase == 1, 0.5, 0.0))
            swing = groove.swing * step_s * (2.0 / 3.0) * factor
        else:
            swing = np.where(steps % 2 == 1, groove.swing * step_s / 3.0, 0.0)
        swing = np.where(on_grid, swing, 0.0)
    else:
        swing = np.zeros(len(notes))
    # one move per onset (per drum voice): a chord or a strum moves together
    pitches = np.fromiter((nt.pitch for nt in notes), dtype=np.int64, count=len(notes))
    keys = steps * 128 + (pitches if track.is_drum else 0)
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
