"""The tempo curve both layers share (knowledge_base.tempo_curve): a ritardando lengthens the end, an accelerando
shortens it, the inverse maps back, and the bars counted leave the slowed end inside the asked duration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from knowledge_base.limits import MIN_RING_OUT_S, music_bars
from knowledge_base.tempo_curve import END_BARS, TempoCurve


def test_a_ritardando_moves_only_the_last_bars_and_lengthens_them() -> None:
    curve = TempoCurve.of("rit", music_end_s=40.0, bar_s=2.0)
    assert curve is not None and curve.start_s == 40.0 - END_BARS * 2.0
    assert curve.time_s(10.0) == 10.0  # the body at the stated tempo
    assert curve.time_s(40.0) > 40.0 + 0.5  # the last two bars broaden
    times = [curve.time_s(t) for t in np.linspace(0.0, 45.0, 400)]
    assert all(b > a for a, b in itertools.pairwise(times))  # never runs backwards


@pytest.mark.parametrize("name", ["rit", "accel", "slowing", "quickening"])
def test_the_inverse_maps_back(name: str) -> None:
    curve = TempoCurve.of(name, music_end_s=30.0, bar_s=2.5)
    assert curve is not None
    for t in (0.0, 12.3, 26.0, 29.9, 30.0, 31.5):
        assert curve.strict_s(curve.time_s(t)) == pytest.approx(t, abs=1e-9)


def test_speeding_up_shortens_and_slowing_over_the_piece_lengthens_it() -> None:
    accel = TempoCurve.of("accel", music_end_s=30.0, bar_s=2.0)
    slowing = TempoCurve.of("slowing", music_end_s=30.0, bar_s=2.0)
    assert accel is not None and accel.time_s(30.0) < 30.0
    assert slowing is not None and slowing.start_s == 0.0 and slowing.time_s(30.0) > 33.0
    assert TempoCurve.of(None, music_end_s=30.0, bar_s=2.0) is None


def test_the_bars_counted_leave_a_slowed_end_inside_the_duration() -> None:
    for duration_s, bar_s in ((30.0, 3.6), (60.0, 2.0), (90.0, 1.96), (20.0, 4.2)):
        plain = music_bars(duration_s, bar_s)
        bars = music_bars(duration_s, bar_s, tempo_curve="rit")
        curve = TempoCurve.of("rit", music_end_s=bars * bar_s, bar_s=bar_s)
        assert curve is not None and curve.time_s(bars * bar_s) <= duration_s - MIN_RING_OUT_S + 1e-6
        assert plain - 1 <= bars <= plain  # one bar at most gives way to the slowing
