"""Three-finger rolls: how a five-string banjo plays a line (instruments.yaml ``idiom: rolls``).

A bluegrass banjo does not hold notes: it picks continuously, thumb, index and middle finger in a repeating
pattern (Scruggs style), and the tune is the notes the roll lands on. Each note of the written line keeps its
onset, pitch and velocity (the melody); while it sounds, the roll picks on every roll step around it on three
strings: the melody note, the chord tone a third to a sixth below it, and the drone of the open fifth string
(the key's tonic near G4), or a chord tone above where the tune is over the drone. Forward (T I M T I M T M),
alternating-thumb, forward-reverse and backward rolls, one a bar, group the bar 3+3+2 as banjo players do.
The roll steps are sixteenths (about 8-13 notes a second at bluegrass tempi), eighths where sixteenths would run
faster than a picker can. A phrase's last note (a rest follows it) rings alone: the roll stops for the breath.
"""

from __future__ import annotations

import bisect

import numpy as np

from engine.score import ChordSpan, Note
from engine.structure.harmony import chord_tones_in_range

# strings of each roll, one a roll step: 0 the lowest of the three, 2 the highest
ROLLS: dict[str, tuple[int, ...]] = {
    "forward": (0, 1, 2, 0, 1, 2, 0, 2),
    "alternating": (0, 1, 0, 2, 0, 1, 0, 2),
    "forward_reverse": (0, 1, 2, 0, 2, 1, 0, 2),
    "backward": (2, 1, 0, 2, 1, 0, 2, 0),
}
_ROLL_WEIGHTS = (0.4, 0.25, 0.2, 0.15)
MAX_NOTES_PER_S = 13.5  # a fast picker's rolls; above it the roll steps are eighths
ROLL_VELOCITY = 0.78  # the roll's other notes under the tune's
DRONE_CENTRE = 67  # the open fifth string: G4 (capoed up to the key's tonic)
ROLL_RANGE = (55, 79)  # where a banjo's rolls lie, G3-G5: a backing part's rolls too


def roll_steps(step_s: float) -> int:
    """Sixteenth steps a roll step takes: 1 (sixteenths), or 2 where sixteenths would be too fast to pick."""
    return 1 if 1.0 / step_s <= MAX_NOTES_PER_S else 2


def drone_pitch(tonic_pc: int, low: int, high: int) -> int:
    """The fifth string's pitch: the key's tonic nearest G4, inside the range."""
    options = [p for p in range(low, high + 1) if p % 12 == tonic_pc] or [DRONE_CENTRE]
    return min(options, key=lambda p: (abs(p - DRONE_CENTRE), p))


def strings(melody: int, pcs: tuple[int, ...], drone: int, low: int, high: int) -> tuple[int, int, int]:
    """The three strings a roll picks around a melody note, low to high: the tune, a chord tone a third to a sixth
    below it, and the drone above it (a chord tone above where the tune is at or over the drone)."""
    tones = chord_tones_in_range(pcs, low, high)
    if drone > melody:
        top = drone
    else:
        above = [p for p in tones if 3 <= p - melody <= 9] or [p for p in tones if 0 < p - melody <= 12]
        top = min(above) if above else drone
    below = [p for p in tones if 3 <= melody - p <= 9]
    # at the bottom of the range the inner string is the chord tone nearest the tune, between it and the top
    near = [p for p in tones if p not in (melody, top) and abs(p - melody) <= 9]
    inner = max(below) if below else min(near, key=lambda p: (abs(p - melody), p)) if near else melody
    low_string, middle_string, high_string = sorted((melody, inner, top))
    return low_string, middle_string, high_string


def rolled(line: list[Note], chords: list[ChordSpan], *, step_s: float, bar_s: float, low: int, high: int,
           tonic_pc: int, rng: np.random.Generator, beat_steps: int = 4) -> list[Note]:
    """``line`` with the roll picked under each of its notes that leads on to the next (the module's docstring)."""
    if not line or not chords:
        return list(line)
    notes = sorted(line, key=lambda nt: nt.start_s)
    starts = [c.start_s for c in chords]
    unit = roll_steps(step_s)
    roll_s = unit * step_s
    drone = drone_pitch(tonic_pc, low, high)
    patterns: dict[int, tuple[int, ...]] = {}
    names = list(ROLLS)
    eps = 1e-6
    out = list(line)
    for j, note in enumerate(notes):
        nxt = notes[j + 1].start_s if j + 1 < len(notes) else None
        if nxt is None or nxt - note.end_s > step_s + eps:  # a phrase's end: it rings alone
            continue
        k = int(np.floor(note.start_s / roll_s + eps)) + 1  # the first roll step after the note's onset
        while k * roll_s < nxt - eps:
            t = k * roll_s
            bar = int(np.floor(t / bar_s + eps))
            if bar not in patterns:
                patterns[bar] = ROLLS[names[int(rng.choice(len(names), p=_ROLL_WEIGHTS))]]
            chord = chords[max(bisect.bisect_right(starts, t + eps) - 1, 0)]
            three = strings(note.pitch, chord.pitch_classes, drone, low, high)
            slot = round((t - bar * bar_s) / roll_s)
            pitch = three[patterns[bar][slot % len(patterns[bar])]]
            on_beat = round((t - bar * bar_s) / step_s) % beat_steps == 0
            velocity = note.velocity * ROLL_VELOCITY * (1.0 if on_beat else 0.88)
            out.append(Note(t, 2 * roll_s, pitch, int(np.clip(round(velocity + rng.normal(0.0, 3.0)), 1, 127))))
            k += 1
    return sorted(out, key=lambda nt: nt.start_s)
