"""Track levels over time (engine/mix_gain.py): gain staging, the ducking curve, section automation."""

from __future__ import annotations

import numpy as np
import pytest

from engine.mix_gain import STAGING_RMS, staging_gain

SR = 22050


def _active_rms_db(x: np.ndarray) -> float:
    block = SR // 10
    mono = x.mean(axis=0) if x.ndim == 2 else x
    frames = mono[: mono.size // block * block].reshape(-1, block)
    power = (frames**2).mean(axis=1)
    active = power[power >= power.max() * 1e-4]
    return float(10 * np.log10(active.mean()))


def test_staging_gain_ignores_silence_and_raw_level() -> None:
    t = np.arange(4 * SR) / SR
    for amplitude in (0.01, 0.3):  # within the +-30 dB the stager will apply
        tone = (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        tone[2 * SR:] = 0.0  # plays half the time: silence must not count
        staged = tone * staging_gain(tone, SR)
        assert _active_rms_db(staged) == pytest.approx(20 * np.log10(STAGING_RMS), abs=0.2)


def test_staging_gain_leaves_silence_alone() -> None:
    assert staging_gain(np.zeros(SR, dtype=np.float32), SR) == 1.0


def test_frame_curve_is_the_linear_interpolation_of_its_frames() -> None:
    """The ducking curve's block-wise float32 interpolation gives what np.interp over every sample gave (the old
    way, two float64 arrays of n), to float32 precision, for lengths that do and do not fill the last frame."""
    from engine.mix_gain import DUCK_FRAME, frame_curve

    rng = np.random.default_rng(3)
    for n in (64 * 50, 64 * 50 + 17, 5):
        frames = n // DUCK_FRAME + 2
        gain = rng.uniform(0.3, 1.0, frames)
        want = np.interp(np.arange(n) / DUCK_FRAME, np.arange(frames), gain)
        got = frame_curve(gain, n)
        assert got.dtype == np.float32 and got.shape == (n,)
        np.testing.assert_allclose(got, want, atol=2e-7)


def test_gain_automation_is_the_whole_length_curve_without_holding_it() -> None:
    """Section automation is kept as its stretches away from unity (held levels and ramps): applied to a signal, and
    sliced a chunk at a time for the ducker, it gives exactly what multiplying by the whole-length curve gave."""
    import itertools

    from engine.mix_gain import apply_ducking, gain_automation

    sr, n = 1000, 10_000
    points = [(0.0, 1.0), (2.0, 1.0), (2.5, 0.6), (4.0, 0.6), (4.2, 1.0), (7.0, 1.0), (7.5, 0.3), (12.0, 0.3)]
    want = np.ones(n, dtype=np.float32)  # the curve as the mixer used to build it
    for (t0, g0), (t1, g1) in itertools.pairwise(points):
        s0, s1 = int(t0 * sr), min(int(t1 * sr), n)
        if s1 > s0 and not (g0 == 1.0 and g1 == 1.0):
            want[s0:s1] = np.float32(g0) if g0 == g1 else np.linspace(g0, g1, s1 - s0, dtype=np.float32)
    ramps = gain_automation(points, n, sr)
    assert ramps is not None and len(ramps.stretches) == 5  # the unity stretches cost nothing
    np.testing.assert_array_equal(ramps[0:n], want)
    np.testing.assert_array_equal(ramps[2300:7700], want[2300:7700])
    rng = np.random.default_rng(2)
    signal = rng.standard_normal((2, n)).astype(np.float32)
    got = signal.copy()
    ramps.apply(got)
    np.testing.assert_array_equal(got, signal * want)
    ducked = signal.copy()
    apply_ducking(ducked, None, ramps)
    np.testing.assert_array_equal(ducked, signal * want)
    assert gain_automation([(0.0, 1.0), (5.0, 1.0)], n, sr) is None
