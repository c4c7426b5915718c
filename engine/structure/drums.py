"""Drum parts: genre grooves from knowledge_base/grooves.yaml played with swing, humanised timing
and velocity, energy-dependent pattern levels, and fills/rolls that announce a new section.

Voices have General-MIDI drum numbers (``gm``: synth_presets.yaml ``drum_voices``), so the MIDI
export needs no second map.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.score import Note
from engine.structure.harmony import parse_grid
from engine.structure.meter import Meter
from knowledge_base.sound import Groove

_HUMANIZE_SCALE = {"kick": 0.3, "snare": 0.6}


def generic_pattern(meter: Meter, level: str) -> dict[str, str]:
    """A groove for any meter: kick on group starts, snare on backbeats, eighth-note hats."""
    n = meter.steps_per_bar
    kick, snare, hat = ["."] * n, ["."] * n, ["."] * n
    backbeats = set(meter.backbeat_steps)
    for s in meter.strong_steps:
        if s not in backbeats:
            kick[s] = "X" if s == 0 else "x"
        else:
            snare[s] = "X"
    for s in range(0, n, 2):
        hat[s] = "x" if s in meter.strong_steps else "o"
    if level == "low":
        return {"kick": "".join(kick), "hat_closed": "".join(hat)}
    out = {"kick": "".join(kick), "snare": "".join(snare), "hat_closed": "".join(hat)}
    if level == "high":
        out["hat_open"] = "." * (n - 2) + "x."
    return out


def swing_offset_s(step: int, *, swing: float, unit_steps: int, step_s: float) -> float:
    """Delay of a grid step under swing (1.0 = full triplet feel)."""
    if swing <= 0.0:
        return 0.0
    if unit_steps == 2:  # swung eighths
        phase = step % 4
        return swing * step_s * (2.0 / 3.0) * (1.0 if phase in (2, 3) else 0.5 if phase == 1 else 0.0)
    return swing * step_s / 3.0 if step % 2 == 1 else 0.0


def drum_bar(*, patterns: dict[str, str], gm: Mapping[str, int], bar_start_s: float, step_s: float, velocity: float,
             swing: float, swing_unit_steps: int, humanize_s: float, rng: np.random.Generator,
             until_step: int | None = None) -> list[Note]:
    """One bar of the groove; ``until_step`` cuts it short where a fill takes over."""
    notes: list[Note] = []
    for voice, grid in patterns.items():
        pitch = gm.get(voice)
        if pitch is None:
            continue
        for step, _length, accent in parse_grid(grid):
            if until_step is not None and step >= until_step:
                break
            jitter = float(rng.normal(0.0, humanize_s * _HUMANIZE_SCALE.get(voice, 1.0)))
            t = bar_start_s + step * step_s + swing_offset_s(step, swing=swing, unit_steps=swing_unit_steps,
                                                              step_s=step_s) + jitter
            vel = velocity * accent * (1.0 + float(rng.normal(0.0, 0.05)))
            notes.append(Note(max(t, 0.0), step_s, pitch, int(np.clip(round(vel * 127), 1, 127))))
    return notes


def fill_notes(*, gm: Mapping[str, int], bar_start_s: float, from_step: int, steps_per_bar: int, step_s: float,
               velocity: float, kind: str, rng: np.random.Generator) -> list[Note]:
    """A fill from ``from_step`` to the bar line: snare and toms descending (fill), or a snare roll
    that doubles its rate and swells (build)."""
    notes: list[Note] = []
    span = steps_per_bar - from_step
    if kind == "build":
        t, k = 0.0, 0
        total = span * step_s
        while t < total - 1e-9:
            frac = t / total
            rate = 2.0 if frac < 0.5 else 1.0 if frac < 0.8 else 0.5  # eighths, sixteenths, 32nds
            vel = velocity * (0.45 + 0.55 * frac)
            notes.append(Note(bar_start_s + from_step * step_s + t, step_s * rate, gm["snare"],
                              int(np.clip(round(vel * 127), 1, 127))))
            t += step_s * rate
            k += 1
        return notes
    toms = [gm["snare"], gm["tom_high"], gm["tom_mid"], gm["tom_low"]]
    for i, step in enumerate(range(from_step, steps_per_bar)):
        frac = i / max(span - 1, 1)
        pitch = toms[min(int(frac * len(toms)), len(toms) - 1)]
        if rng.random() < 0.15 and i not in (0, span - 1):
            continue
        vel = velocity * (0.6 + 0.4 * frac)
        notes.append(Note(bar_start_s + step * step_s, step_s, pitch, int(np.clip(round(vel * 127), 1, 127))))
    notes.append(Note(bar_start_s + from_step * step_s, step_s, gm["kick"], int(velocity * 110)))
    return notes


def kick_steps(patterns: dict[str, str]) -> list[int]:
    grid = patterns.get("kick", "")
    return [step for step, _l, _a in parse_grid(grid)]


def level_patterns(groove: Groove, meter: Meter, level: str) -> dict[str, str]:
    """The groove's patterns at an energy level, or a generic groove when they do not fit the meter."""
    patterns = groove.levels.get(level, {})
    if patterns and all(len(p) == meter.steps_per_bar for p in patterns.values()):
        return dict(patterns)
    return generic_pattern(meter, level)


def percussion_pattern(voice: str, meter: Meter, level: str) -> str:
    """Patterns for extra percussion (congas, shaker, ...) that fit any meter."""
    n = meter.steps_per_bar
    grid = ["."] * n
    strong = set(meter.strong_steps)
    if voice in ("shaker", "tambourine") and level != "low":
        for s in range(0, n, 1 if level == "high" and voice == "shaker" else 2):
            grid[s] = "x" if s in strong else "o"
        if voice == "tambourine":
            grid = ["."] * n
            for s in meter.backbeat_steps:
                grid[s] = "x"
    elif voice in ("conga_high", "bongo_high"):
        for s in range(2, n, 4):
            grid[s] = "x"
    elif voice in ("conga_low", "bongo_low", "timbale"):
        for s in strong:
            if s + 3 < n:
                grid[s + 3] = "o"
    elif voice in ("cowbell", "clave", "wood_block", "triangle"):
        for s in strong:
            grid[s] = "x"
    return "".join(grid)
