"""Meters as step grids: the one place that knows how a time signature maps to sixteenths.

Tempo convention (see engine.score): the counted beat is the quarter note, except in compound
meters (6/8, 9/8, 12/8) where it is the dotted quarter. Odd meters group their eighths in 2s and 3s
(7/8 = 2+2+3), which sets where the accents fall.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Meter:
    numerator: int
    denominator: int

    @classmethod
    def parse(cls, text: str) -> Meter:
        top, bottom = (int(p) for p in text.split("/"))
        return cls(top, bottom)

    @property
    def label(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def compound(self) -> bool:
        return self.denominator == 8 and self.numerator % 3 == 0 and self.numerator >= 6

    @property
    def steps_per_bar(self) -> int:
        """Sixteenth-note steps in one bar."""
        return self.numerator * 16 // self.denominator

    @property
    def beat_steps(self) -> int:
        """Steps in one counted beat (what tempo_bpm counts)."""
        if self.compound:
            return 6
        return 4

    @property
    def beats_per_bar(self) -> float:
        return self.steps_per_bar / self.beat_steps

    def step_s(self, tempo_bpm: float) -> float:
        return 60.0 / tempo_bpm / self.beat_steps

    def bar_s(self, tempo_bpm: float) -> float:
        return self.step_s(tempo_bpm) * self.steps_per_bar

    @property
    def groups(self) -> list[int]:
        """Accent groups in steps: [4, 4, 4, 4] for 4/4, [6, 6] for 6/8, [4, 4, 6] for 7/8."""
        if self.compound:
            return [6] * (self.numerator // 3)
        if self.denominator >= 8 and self.numerator % 2 == 1:
            eighths = self.numerator
            groups = [2] * ((eighths - 3) // 2) + [3]
            step = 16 // self.denominator * 1
            return [g * step for g in groups]
        unit = 16 // self.denominator
        if self.denominator == 8:
            return [2 * unit] * (self.numerator // 2)
        return [unit] * self.numerator

    @property
    def strong_steps(self) -> list[int]:
        out, pos = [], 0
        for g in self.groups:
            out.append(pos)
            pos += g
        return out

    @property
    def backbeat_steps(self) -> list[int]:
        """Where a snare lands in a generic groove: every other accent, or the last group start."""
        strong = self.strong_steps
        if len(strong) >= 4 and len(strong) % 2 == 0:
            return strong[1::2]
        if len(strong) == 2:
            return [strong[1]]
        return strong[1:] if len(strong) == 3 and self.numerator == 3 else strong[-1:]
