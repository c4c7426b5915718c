"""Section dynamics: each section's level from its energy (a verse under its choruses), the gain moves of
the transitions between sections (drop, cut, fade) and their effects (riser, impact, downlifter)."""

from __future__ import annotations

from engine.score import FxEvent, Score

SECTION_DB_PER_ENERGY = 12.0  # a section's level below the loudest one, per unit of energy it lacks
WIDE_SECTION_DB_PER_ENERGY = 18.0  # orchestral and ambient music breathes wider
_WIDE_STYLES = {"cinematic", "ambient"}
CHORUS_LIFT_DB = 2.5  # a verse sits at least this far under the song's choruses


def section_gains(energies: list[float], style_id: str, kinds: list[str | None] | None = None) -> list[float]:
    """Each section's level (1.0 = the loudest): energy sets loudness as a player's dynamics would, and
    in a song a verse (or build) sits at least CHORUS_LIFT_DB under its quietest chorus, whatever the
    template's energies (a hook only a shade above its verse is a loop, not a song)."""
    depth = WIDE_SECTION_DB_PER_ENERGY if style_id in _WIDE_STYLES else SECTION_DB_PER_ENERGY
    top = max(energies, default=1.0)
    gains = [float(10 ** (-depth * (top - e) / 20.0)) for e in energies]
    kinds = kinds or [None] * len(gains)
    choruses = [g for g, k in zip(gains, kinds, strict=True) if k == "chorus"]
    if choruses and "verse" in kinds:
        ceiling = min(choruses) * 10 ** (-CHORUS_LIFT_DB / 20.0)
        gains = [min(g, ceiling) if k == "verse" else g for g, k in zip(gains, kinds, strict=True)]
    return gains


def dynamics(score: Score, gains: list[float], transitions: list[str], *, bar_s: float, beat_s: float) -> None:
    """Gain automation: each section holds its level; the change comes in the beat before the next one
    (a bar for fades), where the transition's own dips (drop, cut, fade) are drawn at the section's level."""
    points: list[tuple[float, float]] = []
    for i, (span, gain) in enumerate(zip(score.sections, gains, strict=True)):
        end = span.start_s + span.duration_s
        kind = transitions[i] if i < len(transitions) else "none"
        reserve = (bar_s if kind == "fade" else beat_s) + 0.02
        points.append((span.start_s + (0.001 if i else 0.0), gain))
        if i + 1 < len(gains):
            points.append((max(end - reserve, span.start_s + 0.002), gain))
            points += _transition_gain(kind, boundary_s=end, bar_s=bar_s, beat_s=beat_s, gain=gain)
        else:
            points.append((score.duration_s + 1.0, gain))
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
