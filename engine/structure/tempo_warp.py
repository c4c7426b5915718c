"""A tempo that moves ("slows down at the end", "gets faster and faster"): the composed score, written at the stated
tempo, is moved along the curve (knowledge_base.tempo_curve) as a player's ritardando moves it.

The composer writes every part on the strict grid (grooves, fills, cadences and feel all stay as they are) and this
moves each moment of it: a note's start and its end, so that its length stretches with the beat; the chord, section
and effect spans; the gain automation and the kicks the mixer ducks to. The bars the planner counted already leave
room for the slower end (knowledge_base.limits.music_bars), so the last chord still rings inside the asked
duration; anything the curve would push past it is cut there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from engine.score import Score
from knowledge_base.tempo_curve import TempoCurve

T = TypeVar("T")


def warp_tempo(score: Score, curve: TempoCurve | None) -> None:
    """Move every timed thing of ``score`` along ``curve`` (None: leave it at the stated tempo)."""
    if curve is None:
        return
    score.tempo_curve = curve  # the MIDI export writes it as a tempo map
    at, end_s = curve.time_s, score.duration_s

    def span(start_s: float, duration_s: float) -> tuple[float, float]:
        start = min(at(start_s), end_s)
        held = start_s + duration_s >= end_s - 1e-3  # the last chord rings to the end, whatever the curve did
        return start, max(0.0, (end_s if held else min(at(start_s + duration_s), end_s)) - start)

    def moved(items: list[T]) -> list[T]:
        out = []
        for item in items:
            start, length = span(item.start_s, item.duration_s)  # type: ignore[attr-defined]
            if start < end_s and length > 0.0:
                out.append(replace(item, start_s=start, duration_s=length))  # type: ignore[type-var]
        return out

    for track in score.tracks:
        track.notes = moved(track.notes)
    score.chords, score.sections, score.fx = moved(score.chords), moved(score.sections), moved(score.fx)
    score.gain_points = [(min(at(t), end_s), g) for t, g in score.gain_points]
    score.kick_times_s = [k for t in score.kick_times_s if (k := at(t)) < end_s]
