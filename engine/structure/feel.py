"""One groove map for the whole band, applied after composition: swing, per-role push and pull,
humanised timing and velocity, and phrase-shaped lead dynamics.

Parts are written on the straight grid; this is the one place that moves them in time, so a swung
hi-hat and the piano's off-beat chord land together (the drums used to be swung alone, and every
off-beat flammed). Notes struck together in a part (a chord, a strum) move together.
"""

from __future__ import annotations

import math
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
    swing: float  # 0 straight .. 1 full triplet feel
    swing_unit_steps: int  # 2: swung eighths, 1: swung sixteenths
    humanize_ms: float


def swing_offset_s(step: int, *, swing: float, unit_steps: int, step_s: float) -> float:
    """Delay of a grid step under swing (1.0 = full triplet feel)."""
    if swing <= 0.0:
        return 0.0
    if unit_steps == 2:  # swung eighths
        phase = step % 4
        return swing * step_s * (2.0 / 3.0) * (1.0 if phase in (2, 3) else 0.5 if phase == 1 else 0.0)
    return swing * step_s / 3.0 if step % 2 == 1 else 0.0


def apply(score: Score, groove: GrooveMap, rngs: dict[str, np.random.Generator]) -> None:
    """Moves every track's notes by the one groove map (in place)."""
    for track in score.tracks:
        rng = rngs.get("feel:" + track.name) or np.random.default_rng(0)
        track.notes = _feel_track(track, score, groove, rng)


def _feel_track(track: Track, score: Score, groove: GrooveMap, rng: np.random.Generator) -> list[Note]:
    step_s = score.step_s
    human_s = max(groove.humanize_ms, MIN_HUMANIZE_MS) / 1000.0 * LOOSENESS.get(track.role, 1.0)
    push_s = PUSH_MS.get(track.role, 0.0) / 1000.0
    jitter: dict[tuple[int, int], float] = {}  # one move per onset (per drum voice): chords stay together
    out: list[Note] = []
    for note in track.notes:
        pos = note.start_s / step_s
        step = round(pos)
        on_grid = abs(pos - step) <= GRID_TOLERANCE
        shift = swing_offset_s(step, swing=groove.swing, unit_steps=groove.swing_unit_steps, step_s=step_s) \
            if on_grid else 0.0
        group = (step, note.pitch if track.is_drum else -1)
        if group not in jitter:
            scale = DRUM_LOOSENESS.get(note.pitch, 1.0) if track.is_drum else 1.0
            jitter[group] = float(np.clip(rng.normal(0.0, human_s * scale), -2.5 * human_s, 2.5 * human_s))
        start = max(note.start_s + shift + push_s + jitter[group], 0.0)
        velocity = note.velocity * (1.0 + float(rng.normal(0.0, 0.04)))
        if track.role == "lead":
            velocity *= _phrase_shape(note.start_s, score.bar_s)
        out.append(replace(note, start_s=start, velocity=int(np.clip(round(velocity), 1, 127))))
    out.sort(key=lambda nt: nt.start_s)
    return out


def _phrase_shape(t: float, bar_s: float) -> float:
    """A four-bar phrase swells toward its middle and relaxes at its end (+-8%)."""
    phase = (t / (4.0 * bar_s)) % 1.0
    return 0.92 + 0.16 * math.sin(math.pi * phase)
