"""Drum parts: genre grooves from knowledge_base/grooves.yaml at energy-dependent pattern levels, with
fills and rolls that announce a new section (swing and timing: engine.structure.feel).

Voices have General-MIDI drum numbers (``gm``: synth_presets.yaml ``drum_voices``), so the MIDI
export needs no second map.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.score import Note
from engine.structure.dynamics import LEVELS
from engine.structure.harmony import parse_grid
from engine.structure.meter import Meter
from knowledge_base import normalise_name
from knowledge_base.sound import Groove


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


def drum_bar(*, patterns: dict[str, str], gm: Mapping[str, int], bar_start_s: float, step_s: float, velocity: float,
             rng: np.random.Generator, until_step: int | None = None) -> list[Note]:
    """One bar of the groove on the straight grid (engine.structure.feel swings and humanises the whole
    band afterwards); ``until_step`` cuts it short where a fill takes over."""
    notes: list[Note] = []
    for voice, grid in patterns.items():
        pitch = gm.get(voice)
        if pitch is None:
            continue
        for step, _length, accent in parse_grid(grid):
            if until_step is not None and step >= until_step:
                break
            t = bar_start_s + step * step_s
            vel = velocity * accent * (1.0 + float(rng.normal(0.0, 0.05)))
            notes.append(Note(max(t, 0.0), step_s, pitch, int(np.clip(round(vel * 127), 1, 127))))
    return notes


def fill_notes(*, gm: Mapping[str, int], bar_start_s: float, from_step: int, steps_per_bar: int, step_s: float,
               velocity: float, kind: str, rng: np.random.Generator) -> list[Note]:
    """A fill from ``from_step`` to the bar line: snare and toms descending (fill), or a snare roll
    that doubles its rate and swells (build)."""
    notes: list[Note] = []
    span = steps_per_bar - from_step
    if kind == "pickup":  # a light snare pickup, no toms: what most section changes get
        for i, step in enumerate(range(from_step, steps_per_bar)):
            if i % 2 == 1 and rng.random() < 0.5:
                continue
            vel = velocity * (0.45 + 0.4 * i / max(span - 1, 1))
            notes.append(Note(bar_start_s + step * step_s, step_s, gm["snare"], int(np.clip(round(vel * 127), 1, 127))))
        return notes
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


TOM_VOICES = ("tom_high", "tom_mid", "tom_low")


def genre_fill(groove: Groove, meter: Meter) -> tuple[int, dict[str, str]] | None:
    """(first step, patterns) of the groove's own fill (grooves.yaml ``fill``) when it fits the meter."""
    if not groove.fill or any(len(p) != meter.steps_per_bar for p in groove.fill.values()):
        return None
    steps = [s for p in groove.fill.values() for s, _l, _a in parse_grid(p)]
    return (min(steps), dict(groove.fill)) if steps else None


def genre_pickup(groove: Groove, meter: Meter) -> tuple[int, dict[str, str]] | None:
    """The fill's last beat without its toms: the light lead-in most section changes get."""
    found = genre_fill(groove, meter)
    if found is None:
        return None
    start = meter.steps_per_bar - meter.beat_steps
    tail = {v: "." * start + p[start:] for v, p in found[1].items() if v not in TOM_VOICES and p[start:].strip(".")}
    return (start, tail) if tail else None


def kick_steps(patterns: dict[str, str]) -> list[int]:
    grid = patterns.get("kick", "")
    return [step for step, _l, _a in parse_grid(grid)]


def level_patterns(groove: Groove, meter: Meter, level: str) -> dict[str, str]:
    """The groove's patterns at an energy level, or a generic groove when they do not fit the meter."""
    patterns = groove.levels.get(level, {})
    if patterns and all(len(p) == meter.steps_per_bar for p in patterns.values()):
        return dict(patterns)
    return generic_pattern(meter, level)


# ------------------------------------------------------------------ takes: variation a drummer plays
_BACKBEAT_VOICES = ("snare", "clap", "rim")


def _put(grid: str, step: int, mark: str) -> str:
    return grid[:step] + mark + grid[step + 1:] if 0 <= step < len(grid) and grid[step] == "." else grid


def take_patterns(patterns: dict[str, str], meter: Meter, rng: np.random.Generator) -> dict[str, str]:
    """This seed's take on the groove: the genre's kick and backbeat stay where they are, and the drummer
    adds a ghost note or two, an open hat on the last off-beat or a kick pickup (another seed, another take)."""
    out = dict(patterns)
    n = meter.steps_per_bar
    beats = set(range(0, n, meter.beat_steps))
    backbeat = next((v for v in _BACKBEAT_VOICES if v in out), None)
    choice = rng.permutation(3)[: int(rng.integers(1, 3))]
    for c in choice:
        if c == 0 and backbeat is not None:
            weak = [s for s in range(1, n) if s not in beats and out[backbeat][s] == "."]
            for s in rng.choice(weak, size=min(len(weak), int(rng.integers(1, 3))), replace=False) if weak else []:
                out[backbeat] = _put(out[backbeat], int(s), "o")
        elif c == 1 and "hat_closed" in out:
            last_off = n - meter.beat_steps // 2
            out["hat_open"] = _put(out.get("hat_open", "." * n), last_off, "x")
        elif c == 2 and "kick" in out:
            hits = kick_steps(out)
            spots = [s for s in range(2, n, 2) if s not in beats and s not in hits and s - 1 not in hits]
            if spots and len(hits) < n // 2:
                out["kick"] = _put(out["kick"], int(rng.choice(spots)), "x")
    return out


def turnaround_patterns(patterns: dict[str, str], meter: Meter, rng: np.random.Generator, *,
                        phrase_end: bool = False) -> dict[str, str]:
    """The last bar of a four-bar phrase: a ghost pickup into the next phrase on the backbeat voice; at the end
    of an eight-bar phrase one more of the drummer's figures too (a kick pickup, an open hat, another ghost)."""
    out = dict(patterns)
    n = meter.steps_per_bar
    backbeat = next((v for v in _BACKBEAT_VOICES if v in out), None)
    if backbeat is not None:
        out[backbeat] = _put(out[backbeat], n - 1 - int(rng.integers(0, 2)) * 2, "o")
    return take_patterns(out, meter, rng) if phrase_end else out


def bar_variation(patterns: dict[str, str], meter: Meter, rng: np.random.Generator) -> dict[str, str]:
    """Bar to bar, a drummer is never a loop: now and then a ghost note on the backbeat voice or a hat
    left open on an off-beat (kick and backbeat untouched)."""
    roll = rng.random()
    if roll < 0.3:
        return take_patterns(patterns, meter, rng)
    if roll < 0.45 and "hat_closed" in patterns:
        out = dict(patterns)
        n = meter.steps_per_bar
        offs = [s for s in range(meter.beat_steps // 2, n, meter.beat_steps)]
        out["hat_open"] = _put(out.get("hat_open", "." * n), int(rng.choice(offs)), "x")
        return out
    return patterns


def opening_patterns(groove: Groove, meter: Meter, name: str, level: str, bars: int, rng: np.random.Generator, *,
                      chorus_follows: bool) -> dict[str, str] | None:
    """A moderate verse (the mid level) of two phrases or more that leads into a chorus opens light: its first half
    plays the low level (pop's verse opens on kick and hats, the backbeat comes in halfway; the bass follows the
    kick), so the song builds into its chorus instead of holding one level for the verse (a 30 s pop clip's loudness
    range was 3.4 LU). A driving verse (rock, metal, punk at high energy) hits from its first bar; the layers stay
    the verse's. None where the whole section plays its own level."""
    if not (chorus_follows and bars >= 8 and level == "mid" and normalise_name(name).startswith("verse")):
        return None
    return take_patterns(level_patterns(groove, meter, LEVELS[LEVELS.index(level) - 1]), meter, rng)
