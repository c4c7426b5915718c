"""A written bass line stays on a four-string bass: no note under its lowest string, E1 (MIDI 28, 41.2 Hz)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.score import ChordSpan
from engine.structure.bass import BASS_LOW, bass_bar
from engine.structure.meter import Meter

MAJOR = [0, 2, 4, 5, 7, 9, 11]


@pytest.mark.parametrize("style", ["walking", "root_fifth", "root_eighths", "syncopated", "kick", "arpeggio",
                                   "one_drop", "boogie"])
def test_no_bass_note_under_e1_when_the_line_walks_into_the_lowest_root(style: str) -> None:
    """A bar on F1 moving to E (the lowest root there is): the approach a half step under E1 (D#1) and a walk
    two steps under F1 (D#1) are not on the instrument; every note of many seeded bars stays at E1 or above and
    the downbeats still land on their roots."""
    f_major = ChordSpan(0.0, 2.0, "F", 5, (5, 9, 0), 5)
    e_minor = ChordSpan(2.0, 2.0, "Em", 4, (4, 7, 11), 4)
    meter = Meter.parse("4/4")
    lowest = []
    for seed in range(60):
        notes, _ = bass_bar(style=style, chord=f_major, next_chord=e_minor, kicks=[0, 6, 10], meter=meter,
                            bar_start_s=0.0, step_s=0.125, velocity=0.8, level="high", previous=29,
                            rng=np.random.default_rng(seed), scale_pcs=MAJOR)
        assert notes[0].pitch == 29  # F1, the chord's root where the line was
        lowest.append(min(n.pitch for n in notes))
    assert min(lowest) >= BASS_LOW == 28
