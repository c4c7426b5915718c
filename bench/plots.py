"""Pictures of a render for a person to look at (bench.engine_bench, bench.music_eval): a piano roll with one
colour per track, the chord symbol of every chord and the section starts, and a log-frequency spectrogram.
matplotlib and librosa are imported only when a picture is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

DRUM_ROW = 22  # drum hits are drawn as ticks below the pitched parts


def piano_roll(ax: Any, score: Any) -> None:
    """Every track in its own colour (drums as ticks at the bottom), chord symbols per chord, sections."""
    for i, track in enumerate(score.tracks):
        label = f"{track.name} ({track.instrument_id})"
        if track.is_drum:
            ax.scatter([n.start_s for n in track.notes], [DRUM_ROW - (n.pitch % 6) for n in track.notes], s=3,
                       marker="|", color=f"C{i}", label=label)
            continue
        ax.barh([n.pitch for n in track.notes], [n.duration_s for n in track.notes],
                left=[n.start_s for n in track.notes], height=0.8, color=f"C{i}", alpha=0.8, label=label)
    for c in score.chords:
        ax.axvline(c.start_s, color="0.85", lw=0.4, zorder=0)
        ax.text(c.start_s, DRUM_ROW + 3, c.symbol, fontsize=6, rotation=90, va="bottom")
    for sec in score.sections:
        ax.axvline(sec.start_s, color="k", lw=0.7)
        ax.text(sec.start_s, 104, sec.name, fontsize=7)
    ax.set_ylim(DRUM_ROW - 8, 110)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("MIDI pitch")
    ax.legend(fontsize=7, loc="upper right")


def save_pictures(result: Any, stem: Path, *, dpi: int = 75) -> None:
    """``stem``.pianoroll.png and ``stem``.spectrogram.png for a RenderResult (score, mix, sample_rate)."""
    import matplotlib

    matplotlib.use("Agg")
    import librosa
    import librosa.display
    import matplotlib.pyplot as plt

    score = result.score
    fig, ax = plt.subplots(figsize=(max(10.0, score.duration_s / 6), 5))
    piano_roll(ax, score)
    ax.set_title(stem.name, fontsize=8)
    fig.savefig(stem.with_suffix(".pianoroll.png"), dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    y = np.asarray(result.mix).mean(axis=0)[::2]
    fig, ax = plt.subplots(figsize=(10, 4))
    spec = librosa.amplitude_to_db(np.abs(librosa.stft(y, n_fft=2048, hop_length=512)), ref=np.max)
    librosa.display.specshow(spec, sr=result.sample_rate // 2, hop_length=512, x_axis="time", y_axis="log", ax=ax)
    ax.set_title(stem.name, fontsize=8)
    fig.savefig(stem.with_suffix(".spectrogram.png"), dpi=dpi, bbox_inches="tight")
    plt.close(fig)
