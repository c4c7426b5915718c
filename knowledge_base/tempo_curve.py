"""A tempo that moves over the piece, as people ask it: "slows down at the end" (a ritardando over the last bars),
"speeds up towards the end" (an accelerando), "gets slower and slower", "gets faster and faster" (over the whole
piece). The stated tempo is the tempo the piece starts at.

One owner for the curve, which both layers need: the planner counts the bars that fit the asked duration once the
slowing end has taken its extra seconds, the composer counts the same bars and moves every note along the curve
(engine/structure/tempo_warp.py). The tempo changes linearly over the curve's span, in the piece's strict time, from
the stated tempo to ``END_FACTOR`` times it, and stays there through the ring-out. This module imports neither
``aurora`` nor ``engine``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

TempoCurveName = Literal["rit", "accel", "slowing", "quickening"]
CURVE_WORDS: Final[dict[str, str]] = {"rit": "slows down at the end", "accel": "speeds up at the end",
                                      "slowing": "gets slower and slower", "quickening": "gets faster and faster"}
END_BARS: Final = 2  # a ritardando or accelerando at the end: over the last two bars, the closing phrase's cadence
END_FACTOR: Final[dict[str, float]] = {  # the tempo reached, as a share of the stated tempo
    "rit": 0.65,  # a ballad's last bars broaden to two thirds of the tempo
    "accel": 1.25,
    "slowing": 0.75,  # a lullaby drifting off: a quarter slower by its end
    "quickening": 1.4,  # a dance that runs away with itself
}


@dataclass(frozen=True, slots=True)
class TempoCurve:
    """Where the tempo starts to move (``start_s``, strict time), over how long (``span_s``), to what share."""

    start_s: float
    span_s: float
    end_factor: float

    @classmethod
    def of(cls, name: str | None, *, music_end_s: float, bar_s: float) -> TempoCurve | None:
        """The curve ``name`` asks for a piece whose music ends at ``music_end_s`` (strict time); None for none."""
        if name is None or name not in END_FACTOR:
            return None
        span_s = min(END_BARS * bar_s, music_end_s) if name in ("rit", "accel") else music_end_s
        return cls(music_end_s - span_s, span_s, END_FACTOR[name])

    def time_s(self, t: float) -> float:
        """The time at which a moment ``t`` of the strict-tempo piece sounds on the curve."""
        if t <= self.start_s or self.span_s <= 0.0:
            return t
        x = min(t - self.start_s, self.span_s)
        k = (self.end_factor - 1.0) / self.span_s  # the tempo factor grows by k a strict second
        inside = x if abs(k) < 1e-12 else math.log1p(k * x) / k
        return self.start_s + inside + max(0.0, t - self.start_s - self.span_s) / self.end_factor

    def strict_s(self, t: float) -> float:
        """The moment of the strict-tempo piece that sounds at ``t`` on the curve (``time_s`` inverted): where a
        MIDI file's beats fall under its tempo map."""
        if t <= self.start_s or self.span_s <= 0.0:
            return t
        k = (self.end_factor - 1.0) / self.span_s
        whole = self.time_s(self.start_s + self.span_s) - self.start_s  # the curve's span, as it sounds
        u = min(t - self.start_s, whole)
        inside = u if abs(k) < 1e-12 else math.expm1(k * u) / k
        return self.start_s + inside + max(0.0, t - self.start_s - whole) * self.end_factor


def curved_music_bars(bars: int, bar_s: float, duration_s: float, min_ring_s: float, name: str | None) -> int:
    """``bars`` of strict music less those a slowing curve pushes past the asked duration (its last chord still
    rings ``min_ring_s``): a ballad that slows down at the end lasts as long as asked, not a few seconds more."""
    while bars > 1:
        curve = TempoCurve.of(name, music_end_s=bars * bar_s, bar_s=bar_s)
        if curve is None or curve.time_s(bars * bar_s) <= duration_s - min_ring_s + 1e-6:
            return bars
        bars -= 1
    return bars
