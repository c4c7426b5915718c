"""Matplotlib figures for the Parse and Plan panels.

Figures are built with `matplotlib.figure.Figure` (no pyplot), so nothing is kept in pyplot's global
registry between requests and no GUI backend is touched. Transparent backgrounds and mid-grey text
read on Gradio's light and dark themes alike.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from aurora.contracts import ControlEncoderParams, StructuralPlan

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


def _style(ax: Axes) -> None:
    ax.set_facecolor("none")
    ax.tick_params(colors=INK, labelsize=8)
    for side, spine in ax.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(INK)
    ax.xaxis.label.set_color(INK)
    ax.yaxis.label.set_color(INK)
    ax.title.set_color(INK)


def embedding_figure(control: ControlEncoderParams) -> Figure:
    """The 640 dims as a stepped profile coloured by block, with a heat strip underneath for the overall shape."""
    values = control.unified_control_embedding
    fig = Figure(figsize=(10, 3.0), dpi=110, facecolor="none", layout="constrained")
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


def energy_figure(plan: StructuralPlan) -> Figure:
    """Energy per section over time, as a stepped curve over coloured section bands."""
    fig = Figure(figsize=(10, 2.8), dpi=110, facecolor="none", layout="constrained")
    fig.suptitle("Energy over time", color=INK, fontsize=10, x=0.01, ha="left")
    ax = fig.subplots()
    times: list[float] = []
    energies: list[float] = []
    for i, section in enumerate(plan.sections):
        colour = SECTION_COLOURS[i % len(SECTION_COLOURS)]
        end = section.start_s + section.duration_s
        ax.axvspan(section.start_s, end, color=colour, alpha=0.14, linewidth=0)
        ax.text((section.start_s + end) / 2, 1.04, section.name, ha="center", va="bottom", fontsize=8,
                color=colour, fontweight="bold", clip_on=True)
        times += [section.start_s, end]
        energies += [section.energy_level, section.energy_level]
    ax.plot(times, energies, color=ACCENT, linewidth=2.2)
    ax.fill_between(times, energies, color=ACCENT, alpha=0.18)
    ax.set_xlim(0, max(times[-1], 1e-3))
    ax.set_ylim(0, 1.18)
    ax.set_yticks([0, 0.5, 1.0])
    ax.set_xlabel("time (s)")
    ax.set_ylabel("energy")
    _style(ax)
    return fig
