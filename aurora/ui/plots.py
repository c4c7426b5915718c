"""Matplotlib figures for the Parse, Plan and Generate panels.

Figures are built with `matplotlib.figure.Figure` (no pyplot), so nothing is kept in pyplot's global
registry between requests and no GUI backend is touched. Transparent backgrounds and mid-grey text
read on Gradio's light and dark themes alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from aurora.contracts import ControlEncoderParams, StructuralPlan

if TYPE_CHECKING:
    from engine.score import Score, Track

INK = "#8b8fa3"
ACCENT = "#7c3aed"
# Block order and sizes of the 640-d Unified Control Embedding (spec §6.2 stage 5).
EMBEDDING_BLOCKS: tuple[tuple[str, int, str], ...] = (
    ("genre", 128, "#7c3aed"),
    ("tempo", 32, "#f59e0b"),
    ("mood", 128, "#ec4899"),
    ("instrumentation", 256, "#10b981"),
    ("structure", 64, "#3b82f6"),
    ("energy", 32, "#ef4444"),
)
SECTION_COLOURS = ("#7c3aed", "#3b82f6", "#10b981", "#f59e0b", "#ec4899", "#ef4444", "#14b8a6")
TRACK_COLOURS = ("#7c3aed", "#3b82f6", "#10b981", "#f59e0b", "#ec4899", "#ef4444", "#06b6d4", "#a3a3a3")
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# General MIDI drum names for the drum lane (anything else shows its note number)
GM_DRUMS = {35: "kick", 36: "kick", 37: "stick", 38: "snare", 39: "clap", 40: "snare", 41: "tom", 42: "hat",
            43: "tom", 44: "pedal hat", 45: "tom", 46: "open hat", 47: "tom", 48: "tom", 49: "crash",
            50: "tom", 51: "ride", 52: "china", 53: "ride bell", 54: "tambourine", 55: "splash", 56: "cowbell",
            57: "crash", 59: "ride", 60: "bongo", 61: "bongo", 62: "conga", 63: "conga", 64: "conga",
            65: "timbale", 66: "timbale", 67: "agogo", 68: "agogo", 69: "cabasa", 70: "maracas", 75: "claves",
            76: "block", 77: "block", 80: "triangle", 81: "triangle", 82: "shaker"}
# (name, start_s, duration_s, energy 0..1): a section of a plan or of a rendered score
EnergySpan = tuple[str, float, float, float]


WIDE_IN = 10.0
"""Figure width on a desktop; on a phone the figures are drawn narrower (`figure_width_in`) so their text stays
readable when the image is scaled to the screen, instead of a 10-inch figure shrunk to a third."""


def figure_width_in(viewport_px: float | None, *, dpi: int = 110) -> float:
    """Figure width for the browser's viewport width: 10 in on a desktop, about the screen's width (x1.2) on a
    phone (390 px -> 4.3 in), never under 3.5 in."""
    if not isinstance(viewport_px, (int, float)) or viewport_px <= 0 or viewport_px >= 900:
        return WIDE_IN
    return round(max(3.5, min(WIDE_IN, viewport_px * 1.2 / dpi)), 2)


def _style(ax: Axes) -> None:
    ax.set_facecolor("none")
    ax.tick_params(colors=INK, labelsize=8)
    for side, spine in ax.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(INK)
    ax.xaxis.label.set_color(INK)
    ax.yaxis.label.set_color(INK)
    ax.title.set_color(INK)


def embedding_figure(control: ControlEncoderParams, *, width_in: float = WIDE_IN) -> Figure:
    """The 640 dims as a stepped profile coloured by block, with a heat strip underneath for the overall shape."""
    values = control.unified_control_embedding
    fig = Figure(figsize=(width_in, 3.0), dpi=110, facecolor="none", layout="constrained")
    fig.suptitle("Unified control embedding · 640 dims by block", color=INK, fontsize=10, x=0.01, ha="left")
    bars_ax, strip_ax = fig.subplots(2, 1, height_ratios=(4, 1), sharex=True)
    start = 0
    for name, size, colour in EMBEDDING_BLOCKS:
        xs = list(range(start, start + size))
        # one stepped polygon per block: a bar per dimension is 640 patches and ~10x slower to draw
        bars_ax.fill_between(xs, values[start:start + size], step="mid", color=colour, linewidth=0)
        bars_ax.axvline(start - 0.5, color=INK, linewidth=0.5, alpha=0.5)
        bars_ax.text(start + size / 2, 1.02, name, transform=bars_ax.get_xaxis_transform(),
                     ha="center", va="bottom", fontsize=8, color=colour, fontweight="bold")
        start += size
    bars_ax.set_xlim(-0.5, len(values) - 0.5)
    bars_ax.set_ylabel("value")
    _style(bars_ax)
    strip_ax.imshow([values], aspect="auto", cmap="magma", extent=(-0.5, len(values) - 0.5, 0, 1))
    strip_ax.set_yticks([])
    strip_ax.set_xlabel(
        f"dimension  ·  tempo_normalized {control.tempo_normalized:.2f}  ·  energy {control.energy_level:.2f}"
    )
    _style(strip_ax)
    return fig


def energy_figure(plan: StructuralPlan, *, width_in: float = WIDE_IN) -> Figure:
    """Energy per planned section over time, as a stepped curve over coloured section bands."""
    return energy_curve([(s.name, s.start_s, s.duration_s, s.energy_level) for s in plan.sections],
                        width_in=width_in)


def energy_curve(
    spans: Sequence[EnergySpan], *, envelope: tuple[np.ndarray, np.ndarray] | None = None,
    end_s: float | None = None, width_in: float = WIDE_IN,
) -> Figure:
    """Section energy as a stepped curve; with `envelope` (times, 0..1) the rendered loudness over it."""
    fig = Figure(figsize=(width_in, 2.8), dpi=110, facecolor="none", layout="constrained")
    fig.suptitle("Energy over time", color=INK, fontsize=10, x=0.01, ha="left")
    ax = fig.subplots()
    times: list[float] = []
    energies: list[float] = []
    for i, (name, start, duration, energy) in enumerate(spans):
        colour = SECTION_COLOURS[i % len(SECTION_COLOURS)]
        ax.axvspan(start, start + duration, color=colour, alpha=0.14, linewidth=0)
        ax.text(start + duration / 2, 1.04, name, ha="center", va="bottom", fontsize=8,
                color=colour, fontweight="bold", clip_on=True)
        times += [start, start + duration]
        energies += [energy, energy]
    ax.plot(times, energies, color=ACCENT, linewidth=2.2, label="planned energy")
    ax.fill_between(times, energies, color=ACCENT, alpha=0.18)
    if envelope is not None:
        ax.plot(envelope[0], envelope[1], color="#f59e0b", linewidth=1.0, alpha=0.9, label="rendered loudness")
        ax.legend(loc="lower right", fontsize=7, frameon=False, labelcolor=INK, ncols=2)
    ax.set_xlim(0, max(end_s or 0.0, times[-1] if times else 0.0, 1e-3))
    ax.set_ylim(0, 1.18)
    ax.set_yticks([0, 0.5, 1.0])
    ax.set_xlabel("time (s)")
    ax.set_ylabel("energy")
    _style(ax)
    return fig


def loudness_envelope(mix: np.ndarray, sample_rate: int, *, hop_s: float = 0.1,
                      floor_db: float = -40.0) -> tuple[np.ndarray, np.ndarray]:
    """Short-term RMS of a [channels, n] mix in dB below its peak, mapped to 0..1 (floor_db -> 0)."""
    hop = max(1, round(sample_rate * hop_s))
    mono = np.asarray(mix, dtype=np.float32).mean(axis=0)
    frames = max(1, mono.shape[0] // hop)
    rms = np.sqrt(np.mean(np.square(mono[: frames * hop].reshape(frames, -1)), axis=1) + 1e-12)
    db = 20.0 * np.log10(rms / max(float(rms.max()), 1e-9))
    level = np.clip(1.0 - db / floor_db, 0.0, 1.0)
    return (np.arange(frames) + 0.5) * hop / sample_rate, level


def note_name(pitch: int) -> str:
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def _note_boxes(track: Track) -> tuple[np.ndarray, np.ndarray]:
    """One rectangle per note (as polygon vertices) and its alpha from velocity."""
    notes = track.notes
    start = np.fromiter((n.start_s for n in notes), float, len(notes))
    end = start + np.fromiter((max(n.duration_s, 0.04) for n in notes), float, len(notes))
    y = np.fromiter((n.pitch for n in notes), float, len(notes))
    lo, hi = y - 0.4, y + 0.4
    boxes = np.stack([np.stack([start, lo], 1), np.stack([start, hi], 1),
                      np.stack([end, hi], 1), np.stack([end, lo], 1)], axis=1)
    alpha = 0.5 + 0.5 * np.fromiter((n.velocity for n in notes), float, len(notes)) / 127.0
    return boxes, alpha


def piano_roll_figure(score: Score, *, duration_s: float | None = None, width_in: float = WIDE_IN) -> Figure:
    """Pitched tracks on a pitch/time grid, drums in a compact lane below, sections as named lines."""
    end = duration_s or score.duration_s
    pitched = [t for t in score.tracks if not t.is_drum and t.notes]
    drums = [t for t in score.tracks if t.is_drum and t.notes]
    drum_pitches = sorted({n.pitch for t in drums for n in t.notes})
    fig = Figure(figsize=(width_in, 4.6 if drums else 3.8), dpi=110, facecolor="none", layout="constrained")
    fig.suptitle("Piano roll", color=INK, fontsize=10, x=0.01, ha="left")
    if drums:
        roll, lane = fig.subplots(2, 1, sharex=True,
                                  height_ratios=(4, max(1.0, 0.35 * len(drum_pitches))))
    else:
        roll, lane = fig.subplots(), None
    colours = {t.name: TRACK_COLOURS[i % len(TRACK_COLOURS)] for i, t in enumerate([*drums, *pitched])}
    for track in pitched:
        boxes, alpha = _note_boxes(track)
        faces = np.tile(to_rgba(colours[track.name]), (len(alpha), 1))
        faces[:, 3] = alpha
        roll.add_collection(PolyCollection(list(boxes), facecolors=faces, edgecolors="none"))
    for track in [*pitched, *drums]:  # legend entries, drums included
        roll.plot([], [], color=colours[track.name], linewidth=6, label=f"{track.name} · {track.instrument_id}")
    pitches = [n.pitch for t in pitched for n in t.notes] or [60]
    low, high = min(pitches) - 2, max(pitches) + 9  # headroom for the section names and chord symbols
    roll.set_ylim(low, high)
    octaves = [p for p in range(low, high + 1) if p % 12 == 0]
    roll.set_yticks(octaves, [note_name(p) for p in octaves])
    roll.set_ylabel("pitch")
    for section in score.sections:
        roll.axvline(section.start_s, color=INK, linewidth=0.8, alpha=0.7)
        roll.text(section.start_s, 0.98, f" {section.name}", transform=roll.get_xaxis_transform(),
                  ha="left", va="top", fontsize=8, color=INK, fontweight="bold", clip_on=True)
    _chord_symbols(roll, score, end_s=end, width_in=width_in)
    if lane is not None:
        _drum_lane(lane, drums, drum_pitches, colours, score)
    bottom = lane if lane is not None else roll
    bottom.set_xlim(0, max(end, 1e-3))
    bottom.set_xlabel("time (s)")
    if pitched or drums:  # on a narrow (phone) figure the legend goes under the plot, two per row
        wide = width_in >= 8
        fig.legend(loc="outside upper right" if wide else "outside lower center", fontsize=7, frameon=False,
                   labelcolor=INK, ncols=min(6 if wide else 2, len(pitched) + len(drums)))
    _style(roll)
    return fig


def _chord_symbols(ax: Axes, score: Score, *, end_s: float, width_in: float) -> list[str]:
    """Chord symbols along the top of the roll where the chord changes, thinned so labels never overlap
    (about one per 0.6 inch of figure); returns the symbols drawn."""
    min_gap_s = max(end_s, 1e-3) * 0.6 / max(width_in, 1.0)
    drawn: list[str] = []
    last_symbol, last_at = "", -1e9
    for span in score.chords:
        if span.symbol == last_symbol or span.start_s - last_at < min_gap_s:
            continue
        ax.text(span.start_s, 0.9, f" {span.symbol}", transform=ax.get_xaxis_transform(), ha="left", va="top",
                fontsize=7, color=INK, clip_on=True)
        drawn.append(span.symbol)
        last_symbol, last_at = span.symbol, span.start_s
    return drawn


def _drum_lane(ax: Axes, drums: list[Track], pitches: list[int], colours: dict[str, str], score: Score) -> None:
    rows = {p: float(i) for i, p in enumerate(pitches)}
    for track in drums:
        starts = [n.start_s for n in track.notes]
        ys = [rows[n.pitch] for n in track.notes]
        ax.scatter(starts, ys, marker="|", s=40, linewidths=1.4, color=colours[track.name])
    ax.set_ylim(-0.7, len(pitches) - 0.3)
    ax.set_yticks(range(len(pitches)), [GM_DRUMS.get(p, str(p)) for p in pitches])
    for section in score.sections:
        ax.axvline(section.start_s, color=INK, linewidth=0.8, alpha=0.7)
    _style(ax)
    ax.tick_params(axis="y", labelsize=7)

