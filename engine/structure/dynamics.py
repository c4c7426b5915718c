"""Section dynamics: each section's level from its energy (a verse under its choruses), the gain moves of
the transitions between sections (drop, cut, fade) and their effects (riser, impact, downlifter)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine.score import FxEvent, Score

SECTION_DB_PER_ENERGY = 12.0  # a section's level below the loudest one, per unit of energy it lacks (the
# genre family's own figure is data: mix_presets.yaml ``dynamics``)
SWELL_PEAK = 0.65  # where a section's hairpin peaks, as a share of the section
RECEDE = 0.75  # how far a hairpin falls back after its peak, as a share of the swell
HAIRPIN_TOUCH = 0.35  # how much of a hairpin the players make with their touch: velocity ~ (gain re the section)^this
CHORUS_LIFT_DB = 3.5  # a verse sits at least this far under the song's choruses (the master's bus compressor takes back
# about a decibel of it: at 2.5 dB a trap hook came out 1.6-1.9 LU over its verse)
OPENING_DB = 3.0  # a verse that opens light (drums.opening_patterns) starts this far under its level and grows
# to it by its half, where the full groove comes in


LEVELS = ("low", "mid", "high")


def chorus_level(level: str, kind: str | None, verse_level: str | None) -> str:
    """The groove level a section plays: a chorus (hook, drop) at or under its verse's level plays the next one up, as
    a band opens up for the hook (open hats, the busier kick and the bass that follows it, the layers the higher level
    turns on); its energy (velocity, loudness) stays its own. A trap hook at 0.67 played its verse's groove at 0.60."""
    if kind != "chorus" or verse_level is None or LEVELS.index(level) > LEVELS.index(verse_level):
        return level
    return LEVELS[min(LEVELS.index(verse_level) + 1, len(LEVELS) - 1)]


def section_gains(energies: list[float], depth_db_per_energy: float = SECTION_DB_PER_ENERGY,
                  kinds: list[str | None] | None = None) -> list[float]:
    """Each section's level (1.0 = the loudest): energy sets loudness as a player's dynamics would, and
    in a song a verse (or build) sits at least CHORUS_LIFT_DB under its quietest chorus, whatever the
    template's energies (a hook only a shade above its verse is a loop, not a song)."""
    depth = depth_db_per_energy
    top = max(energies, default=1.0)
    gains = [float(10 ** (-depth * (top - e) / 20.0)) for e in energies]
    kinds = kinds or [None] * len(gains)
    choruses = [g for g, k in zip(gains, kinds, strict=True) if k == "chorus"]
    if choruses and "verse" in kinds:
        ceiling = min(choruses) * 10 ** (-CHORUS_LIFT_DB / 20.0)
        gains = [min(g, ceiling) if k == "verse" else g for g, k in zip(gains, kinds, strict=True)]
    return gains


def dynamics(score: Score, gains: list[float], transitions: list[str], *, bar_s: float, beat_s: float,
             swell_db: float = 0.0, build_rise_db: float = 0.0, openings: list[float | None] | None = None) -> None:
    """Gain automation: each section holds its level; the change comes in the beat before the next one
    (a bar for fades), where the transition's own dips (drop, cut, fade) are drawn at the section's level.
    With ``swell_db`` a section is a hairpin instead: it starts that far under its level, grows to it about two
    thirds through and falls back RECEDE of the way by its end (a phrase that swells and recedes), unless a louder
    section follows: then it holds its peak into it. With ``build_rise_db`` a club build (a section named 'build')
    is a crescendo: it starts that far under its level and rises to it (even in dB) by the drop. ``openings``: for
    each section, where a verse that opens light reaches its level (its half), else None: it grows to it from
    OPENING_DB under (the band builds into the full groove)."""
    points: list[tuple[float, float]] = []
    start_dip, end_dip = 10 ** (-swell_db / 20.0), 10 ** (-RECEDE * swell_db / 20.0)
    previous_end = 0.0
    for i, (span, level) in enumerate(zip(score.sections, gains, strict=True)):
        end = span.start_s + span.duration_s
        gain = level
        kind = transitions[i] if i < len(transitions) else "none"
        reserve = (bar_s if kind == "fade" else beat_s) + 0.02
        # a louder section grows on from where the one before it ended, never from below it
        points.append((span.start_s + (0.001 if i else 0.0), min(level, max(level * start_dip, previous_end))))
        full_at = openings[i] if openings and i < len(openings) else None
        if full_at is not None and swell_db <= 0:
            t0, g0 = points.pop()
            points += [(t0, min(g0, level * 10 ** (-OPENING_DB / 20.0))), (full_at, level)]
        if build_rise_db > 0 and swell_db <= 0 and span.name.lower().startswith("build"):
            t0, g0 = points.pop()
            low = min(g0, level * 10 ** (-build_rise_db / 20.0))  # stripped back, under the intro if need be
            points += [(t0, low), (span.start_s + 0.5 * span.duration_s, float(np.sqrt(low * level)))]
        if swell_db > 0:
            points.append((span.start_s + SWELL_PEAK * span.duration_s, level))
            if i + 1 == len(gains) or gains[i + 1] <= level:  # into a louder section the crescendo holds
                gain = level * end_dip
        previous_end = gain
        if i + 1 < len(gains):
            points.append((max(end - reserve, span.start_s + 0.002), gain))
            points += _transition_gain(kind, boundary_s=end, bar_s=bar_s, beat_s=beat_s, gain=gain)
        else:
            points += [(max(end, span.start_s + 0.002), gain), (max(score.duration_s, end) + 1.0, gain)]
    if any(abs(g - 1.0) > 1e-3 for _t, g in points):
        score.gain_points = sorted(points)


def _transition_gain(kind: str, *, boundary_s: float, bar_s: float, beat_s: float,
                     gain: float) -> list[tuple[float, float]]:
    if kind == "drop":
        return [(boundary_s - beat_s - 0.01, gain), (boundary_s - beat_s, 0.05 * gain),
                (boundary_s - 0.005, 0.05 * gain)]
    if kind == "cut":
        return [(boundary_s - beat_s / 2 - 0.01, gain), (boundary_s - beat_s / 2, 0.0), (boundary_s - 0.005, 0.0)]
    if kind == "fade":
        return [(boundary_s - bar_s, gain), (boundary_s - 0.01, 0.25 * gain)]
    return []


def mark_transition(score: Score, kind: str, *, boundary_s: float, bar_s: float, beat_s: float, energy: float,
                     section_bars: int) -> None:
    """The transition's effects (riser, impact, downlifter); its gain moves are drawn by ``_dynamics``."""
    lead_in = min(2, section_bars) * bar_s
    if kind in ("build", "drop"):
        score.fx.append(FxEvent("riser", boundary_s - lead_in, lead_in, 0.4 + 0.4 * energy))
    if kind == "drop":
        score.fx.append(FxEvent("impact", boundary_s, 2.0, 0.8))
    elif kind == "fade":
        score.fx.append(FxEvent("downlifter", boundary_s - bar_s, bar_s, 0.3))
    elif kind == "fill" and energy > 0.6:
        score.fx.append(FxEvent("reverse_cymbal", boundary_s - bar_s / 2, bar_s / 2, 0.3))


def hairpin_touch(score: Score, gains: list[float], touch: float = HAIRPIN_TOUCH) -> None:
    """Players shape a hairpin with their touch, not only a fader: each note's velocity follows the gain curve
    relative to its section's level (12 dB under it: about 0.6 of the velocity), so a crescendo grows in
    timbre as well as in level. Used where the family swells (classical, cinematic, ambient)."""
    if not score.gain_points or not score.sections:
        return
    times = np.array([t for t, _g in score.gain_points])
    values = np.array([g for _t, g in score.gain_points])
    starts = np.array([sp.start_s for sp in score.sections])
    levels = np.array(gains, dtype=np.float64)
    for track in score.tracks:
        if not track.notes:
            continue
        onsets = np.array([nt.start_s for nt in track.notes])
        level = levels[np.clip(np.searchsorted(starts, onsets + 1e-6, side="right") - 1, 0, len(levels) - 1)]
        rel = np.clip(np.interp(onsets, times, values) / np.maximum(level, 1e-6), 0.05, 1.0)
        factor = rel ** touch
        track.notes = [replace(nt, velocity=int(np.clip(round(nt.velocity * f), 1, 127)))
                       for nt, f in zip(track.notes, factor, strict=True)]
