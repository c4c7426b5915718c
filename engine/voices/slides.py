"""Slide guitar: how a bottleneck, lap steel or pedal steel plays a line (instruments.yaml ``idiom: slides``).

A slide player does not fret: the bar glides from one note to the next, slides into a note from a step or two
below, and holds a long note with a slow, wide vibrato. General MIDI has no slide guitar, so the part was played as
plain fretted steel-string notes and a "slide guitar" asked for by name was not heard as one. Here the sampler's
note events get pitch-wheel moves: each note sounds on its own one of two alternating channels (the wheel bends a
whole channel, and the last note's ring must not move with the next note's glide), starts at the pitch it comes
from and glides to its own.

Pure functions of the events and a seed: the same take for the same seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

BEND_RANGE_SEMITONES = 12  # the wheel's range on a slide channel (RPN 0): a glide of up to an octave
WHEEL_STEPS = 8192  # the wheel's half range (pyfluidsynth takes -8192..8191)
SLIDE_CHANNELS = (0, 15)  # the part's two channels; 1-14 stay free for a preset's faulty-zone routes
LEGATO_GAP_S = 0.12  # a note that starts within this of the last one's end is reached by gliding from it
GLIDE_S = 0.09  # a glide from the last note takes this long (at most 45% of the note)
SCOOP_S = 0.06  # a slide into a note from below takes this long (at most 40% of the note)
SCOOP_SHARE = 0.6  # share of the notes not glided into that are scooped into from a step or two below
VIBRATO_MIN_S = 0.45  # a note at least this long gets the bar's vibrato
VIBRATO_HZ = 5.5
VIBRATO_SEMITONES = 0.15
STEP_S = 0.004  # the wheel moves this often during a glide or a vibrato

Span = tuple[int, int, int, int]  # (start sample, end sample, pitch, velocity)
Bend = tuple[int, int, int]  # (sample, channel, wheel value -8192..8191)


def wheel(semitones: float) -> int:
    return int(np.clip(round(semitones / BEND_RANGE_SEMITONES * WHEEL_STEPS), -WHEEL_STEPS, WHEEL_STEPS - 1))


def spans_of(events: Sequence[tuple[int, int, int, int]]) -> list[Span]:
    """The (start, end, pitch, velocity) notes of sampler note events (note-ons paired with their key's next
    note-off), by start."""
    open_at: dict[int, tuple[int, int]] = {}
    spans: list[Span] = []
    for sample, _order, pitch, velocity in sorted(events):
        if velocity > 0:
            open_at[pitch] = (sample, velocity)
        elif pitch in open_at:
            start, vel = open_at.pop(pitch)
            spans.append((start, sample, pitch, vel))
    return sorted(spans)


def slide_take(spans: Sequence[Span], sample_rate: int, *, seed: int) -> tuple[list[tuple[int, int, int, int, int]],
                                                                             list[Bend]]:
    """A slide player's take of ``spans``: channel note events (sample, order, channel, pitch, velocity; velocity 0
    ends the note) and wheel moves (sample, channel, value), every list sorted. A bend that shapes a note's attack
    sits at the note-on's own sample and comes first there (order)."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 0x51DE])
    step = max(1, round(STEP_S * sample_rate))
    notes: list[tuple[int, int, int, int, int]] = []
    bends: list[Bend] = []
    previous: Span | None = None
    for i, (start, end, pitch, velocity) in enumerate(spans):
        channel = SLIDE_CHANNELS[i % 2]
        length = end - start
        from_semitones = 0.0
        ramp = 0
        if previous is not None and start - previous[1] <= LEGATO_GAP_S * sample_rate \
                and 0 < abs(previous[2] - pitch) <= BEND_RANGE_SEMITONES:
            from_semitones = float(previous[2] - pitch)  # the bar travels from the last note
            ramp = min(round(GLIDE_S * sample_rate), round(0.45 * length))
        elif length >= 0.2 * sample_rate and rng.random() < SCOOP_SHARE:
            from_semitones = -float(rng.choice((1, 2)))  # slid into from below
            ramp = min(round(SCOOP_S * sample_rate), round(0.4 * length))
        bends.append((start, channel, wheel(from_semitones)))
        for at in range(step, ramp, step):
            eased = 1.0 - (1.0 - at / ramp) ** 2  # fast at first, settling on the note, as a hand stops the bar
            bends.append((start + at, channel, wheel(from_semitones * (1.0 - eased))))
        if ramp > 0:
            bends.append((start + ramp, channel, 0))
        if length >= VIBRATO_MIN_S * sample_rate:
            onset = start + ramp + round(0.12 * sample_rate)
            for at in range(onset, end, step):
                depth = min(1.0, (at - onset) / (0.25 * sample_rate))  # the vibrato grows in
                phase = 2.0 * math.pi * VIBRATO_HZ * (at - onset) / sample_rate
                bends.append((at, channel, wheel(VIBRATO_SEMITONES * depth * math.sin(phase))))
            bends.append((end, channel, 0))
        notes.append((start, 1, channel, pitch, velocity))
        notes.append((end, 0, channel, pitch, 0))
        previous = (start, end, pitch, velocity)
    notes.sort()
    bends.sort(key=lambda b: (b[0], b[1]))
    return notes, bends
