"""Reggae's bass line is the riddim's melody: it had followed the one-drop kick, two notes a bar (17 in a 30 s
verse and chorus), where a reggae bass walks the chord's root, third and fifth around the drop."""

from __future__ import annotations

import numpy as np
import pytest

from engine.score import ChordSpan
from engine.structure.bass import bass_bar
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import load

G_MAJOR = ChordSpan(0.0, 3.2, "G", 7, (7, 11, 2), 7)
E_MINOR = ChordSpan(3.2, 3.2, "Em", 4, (4, 7, 11), 4)
SCALE = [7, 9, 11, 0, 2, 4, 6]


def _bar(level: str, seed: int = 0) -> list[tuple[int, int]]:
    notes, _ = bass_bar(style="one_drop", chord=G_MAJOR, next_chord=E_MINOR, kicks=[8], meter=Meter.parse("4/4"),
                        bar_start_s=0.0, step_s=0.2, velocity=0.7, level=level, previous=43,
                        rng=np.random.default_rng(seed), scale_pcs=SCALE)
    return [(round(n.start_s / 0.2), n.pitch) for n in notes]


@pytest.mark.parametrize("seed", range(5))
def test_the_line_moves_through_the_chord_around_the_drop(seed: int) -> None:
    bar = _bar("mid", seed)
    steps = [s for s, _ in bar]
    assert steps[0] == 0 and bar[0][1] % 12 == 7  # the root on the one
    assert 8 in steps  # a note on the drop, with the kick
    assert len(bar) >= 5
    assert {p % 12 for _, p in bar[:4]} >= {7, 11, 2}  # root, third and fifth


def test_quiet_is_thinner_and_loud_is_busier() -> None:
    assert len(_bar("low")) < len(_bar("mid")) < len(_bar("high"))


def test_the_reggae_groove_plays_it() -> None:
    kb = load()
    _, style = select_groove(kb.grooves, kb.genre_lineage("reggae"), Meter.parse("4/4"))
    assert style.bass == "one_drop"
