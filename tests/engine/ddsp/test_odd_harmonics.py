"""A bass's small-speaker harmonics (``core.odd_harmonics``) over a long render: the analytic signal is taken block
by block, so a ten-minute render costs a few float32 copies of itself, the blocks' seams do not click, and the
series matches the whole-signal transform."""

from __future__ import annotations

import tracemalloc

import numpy as np
from scipy import signal as sps

from engine.ddsp import core

SR = 44100


def _ideal(amplitude: float, phase: np.ndarray) -> np.ndarray:
    """a (w3 cos 3phi + w5 cos 5phi + w7 cos 7phi): a steady note's series, in closed form."""
    terms = [w * np.cos(k * phase) for w, k in zip(core._ODD_SERIES, (3, 5, 7), strict=True)]
    return np.asarray(amplitude * np.sum(terms, axis=0))


def test_a_steady_note_stays_steady_across_the_blocks() -> None:
    """A 41.2 Hz sine (E1) over 12 s, sixteen block seams: away from its abrupt start and end (whose own Hilbert
    transform rings for a second or two), the series is the closed form to 1e-5 everywhere, at the seams as
    between them; so is a short note's (one transform)."""
    n = 12 * SR
    phase = 2 * np.pi * 41.2 * np.arange(n) / SR - np.pi / 2  # sin = cos(phase)
    sine = (0.5 * np.cos(phase)).astype(np.float32)
    error = np.abs(core.odd_harmonics(sine, SR) - _ideal(0.5, phase))[3 * SR: 9 * SR]
    at = np.arange(3 * SR, 9 * SR) % (core._BLOCK // 2)
    seam = (at < 256) | (at > core._BLOCK // 2 - 256)
    assert seam.sum() > 1000 and error[seam].max() < 1e-5 and error[~seam].max() < 1e-5
    short_phase = 2 * np.pi * 32 * np.arange(2**15) / 2**15  # 32 whole cycles (43 Hz): the one transform is exact
    short = (0.5 * np.cos(short_phase)).astype(np.float32)
    np.testing.assert_allclose(core.odd_harmonics(short, SR), _ideal(0.5, short_phase), atol=1e-5)


def test_the_blocks_match_the_whole_signal_transform() -> None:
    """A bass line of plucked notes over two octaves (4 s, beyond one block): the block-wise series is the
    whole-signal one (scipy's Hilbert transform of the zero-padded line) to -40 dB."""
    rng = np.random.default_rng(1)
    t = np.arange(SR // 4) / SR
    env = np.exp(-t / 0.2) * np.clip(t / 0.005, 0, 1)
    notes = [env * (np.sin(2 * np.pi * f * t) + 0.25 * np.sin(4 * np.pi * f * t))
             for f in 440.0 * 2 ** ((rng.integers(28, 51, 16) - 69) / 12)]
    bass = (0.3 * np.concatenate(notes)).astype(np.float32)
    assert bass.size > core._BLOCK
    analytic = sps.hilbert(np.concatenate([bass, np.zeros(bass.size)]).astype(np.float64))[: bass.size]
    whole = _ideal(1.0, np.angle(analytic)) * np.abs(analytic)
    blocks = core.odd_harmonics(bass, SR)
    assert blocks.dtype == np.float32
    assert float(np.mean((blocks - whole) ** 2)) < 1e-4 * float(np.mean(whole**2))


def test_a_long_render_holds_a_few_float32_copies() -> None:
    """30 s of bass: the peak of the arrays allocated is a few float32 copies of the input, not seven complex64
    copies of the whole (the whole-signal transform took a ten-minute render to 2 GB of peak RSS)."""
    bass = (0.3 * np.sin(2 * np.pi * 55.0 * np.arange(30 * SR) / SR)).astype(np.float32)
    tracemalloc.start()
    try:
        core.odd_harmonics(bass, SR)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * bass.nbytes + 16 * 2**20
