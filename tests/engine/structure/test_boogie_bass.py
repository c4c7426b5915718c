"""Rock and roll and boogie-woogie walk the boogie line: root, third, fifth, sixth, flat seventh and back in
eighths. The blues groove's walking line (scale tones at random, a note a beat) had stood in for it at 175 BPM."""

from __future__ import annotations

import numpy as np
import pytest

from engine.score import ChordSpan
from engine.structure.bass import BASS_HIGH, BASS_LOW, bass_bar
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import load

C7 = ChordSpan(0.0, 2.0, "C7", 0, (0, 4, 7, 10), 0)
AM = ChordSpan(0.0, 2.0, "Am", 9, (9, 0, 4), 9)


def _bar(chord: ChordSpan, level: str, previous: int) -> list[tuple[int, int]]:
    notes, _ = bass_bar(style="boogie", chord=chord, next_chord=chord, kicks=[0, 8], meter=Meter.parse("4/4"),
                        bar_start_s=0.0, step_s=0.125, velocity=0.8, level=level, previous=previous,
                        rng=np.random.default_rng(0), scale_pcs=[0, 2, 4, 5, 7, 9, 10])
    return [(round(n.start_s / 0.125), n.pitch) for n in notes]


@pytest.mark.parametrize("previous", [36, 48])
def test_the_line_walks_up_the_chord_and_back_in_eighths(previous: int) -> None:
    bar = _bar(C7, "high", previous)
    assert [s for s, _ in bar] == list(range(0, 16, 2))
    root = bar[0][1]
    assert root % 12 == 0 and [p - root for _, p in bar] == [0, 4, 7, 9, 10, 9, 7, 4]
    assert all(BASS_LOW <= p <= BASS_HIGH + 2 for _, p in bar)


def test_a_minor_chord_takes_its_minor_third_and_quiet_is_quarters() -> None:
    bar = _bar(AM, "low", 45)
    root = bar[0][1]
    assert [s for s, _ in bar] == [0, 4, 8, 12] and [p - root for _, p in bar] == [0, 3, 7, 9]


@pytest.mark.parametrize("genre", ["rock_and_roll", "rockabilly", "boogie_woogie"])
def test_the_rock_and_roll_grooves_play_it(genre: str) -> None:
    kb = load()
    found = kb.find_genre(genre)
    assert found is not None
    _, style = select_groove(kb.grooves, kb.genre_lineage(found.id), Meter.parse("4/4"))
    assert style.bass == "boogie"
