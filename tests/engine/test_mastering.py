"""The master bus: true-peak estimate agrees with 4x resampling; the limiter holds its ceiling."""

from __future__ import annotations

import numpy as np
from scipy import signal as sps

from engine.mastering import limit, loudness_lufs, master, true_peak_dbtp
from knowledge_base.sound import MasterSpec


def _music_like(seed: int, sample_rate: int = 44100, seconds: float = 3.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    x = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) / (i + 1)
            for i, f in enumerate(rng.uniform(60, 9000, 12)))
    x = x + 0.3 * rng.standard_normal(t.size)
    return np.stack([x, np.roll(x, 100)]).astype(np.float32) * 0.3


def test_true_peak_matches_oversampling() -> None:
    for seed in range(3):
        x = _music_like(seed)
        reference = 20 * np.log10(np.abs(sps.resample_poly(x, 4, 1, axis=1)).max())
        assert abs(true_peak_dbtp(x) - reference) < 0.3


def test_limiter_holds_the_ceiling() -> None:
    x = _music_like(5) * 4.0
    y = limit(x, 44100, ceiling_dbtp=-1.2)
    reference = 20 * np.log10(np.abs(sps.resample_poly(y, 4, 1, axis=1)).max())
    assert reference <= -1.0


def test_master_hits_loudness_and_peak() -> None:
    x = _music_like(7) * 0.05
    y, report = master(x, 44100, MasterSpec(), fade_out_s=0.5)
    assert abs(loudness_lufs(y, 44100) + 14.0) < 0.5
    assert report.true_peak_dbtp <= -1.0
    assert y.dtype == np.float32 and y.shape == x.shape


def test_silence_stays_silent() -> None:
    y, report = master(np.zeros((2, 44100), dtype=np.float32), 44100, MasterSpec(), fade_out_s=0.5)
    assert not np.any(y)
    assert report.loudness_lufs <= -70.0


def test_loudness_agrees_with_pyloudnorm() -> None:
    import pyloudnorm as pyln

    for sample_rate, seconds in ((44100, 3.0), (22050, 5.3), (48000, 2.0), (32000, 7.77)):
        x = _music_like(11, sample_rate, seconds)
        x[:, : x.shape[1] // 3] *= 0.01  # a quiet stretch, so the gates matter
        reference = pyln.Meter(sample_rate).integrated_loudness(x.T.astype(np.float64))
        assert abs(loudness_lufs(x, sample_rate) - reference) < 0.01


def test_tonal_balance_moves_toward_the_genre_tilt() -> None:
    """A mix with too much 4-16 kHz (a hissy cymbal) is moved toward the target tilt, within the EQ's limit."""
    from engine.mastering import EQ_BANDS_HZ, octave_levels_db, tonal_corrections_db

    spec = MasterSpec(tilt_db_per_octave=-3.0, tonal_balance=0.6, max_eq_db=6.0)
    flat = np.zeros(len(EQ_BANDS_HZ))
    gains = tonal_corrections_db(flat, spec)  # a flat mix: bass up, treble down along the tilt
    assert gains[0] > 0 > gains[-1] and np.all(np.abs(gains) <= 6.0)
    assert np.all(np.diff(gains) < 0)
    on_target = -3.0 * np.log2(np.asarray(EQ_BANDS_HZ) / 1000.0)
    np.testing.assert_allclose(tonal_corrections_db(on_target, spec), 0.0, atol=1e-9)  # already there: untouched

    rng = np.random.default_rng(0)
    sr = 44100
    white = rng.standard_normal((2, 4 * sr)).astype(np.float32) * 0.05  # +3 dB an octave: far too bright
    before = octave_levels_db(white, sr)
    y, _ = master(white, sr, spec, fade_out_s=0.1)
    after = octave_levels_db(y[:, sr: 3 * sr], sr)
    slope = lambda levels: float(np.polyfit(np.log2(EQ_BANDS_HZ), levels, 1)[0])  # noqa: E731
    assert slope(after) < slope(before) - 1.5  # darker, toward the target


def test_master_highpass_removes_sub_rumble() -> None:
    sr = 44100
    t = np.arange(2 * sr) / sr
    rumble = np.stack([np.sin(2 * np.pi * 20 * t)] * 2).astype(np.float32) * 0.1
    tone = np.stack([np.sin(2 * np.pi * 440 * t)] * 2).astype(np.float32) * 0.1
    y, _ = master(rumble + tone, sr, MasterSpec(highpass_hz=40.0), fade_out_s=0.1)
    spectrum = np.abs(np.fft.rfft(y[0, sr // 2: sr + sr // 2]))
    freqs = np.fft.rfftfreq(sr, 1 / sr)
    # an octave under a 4th-order 40 Hz high-pass: -24 dB (a first-order one would leave -7 dB)
    assert spectrum[np.argmin(np.abs(freqs - 20))] < 0.1 * spectrum[np.argmin(np.abs(freqs - 440))]


def test_the_top_octave_rolls_off_under_the_tilt() -> None:
    """air_db: the master's target for the 16 kHz octave lies under the tilt line (a mix whose top octave is as loud
    as the tilt says is hiss), so a mix exactly on the tilt line loses some 16 kHz and nothing else moves much."""
    from engine.mastering import EQ_BANDS_HZ, tonal_corrections_db

    on_line = -3.0 * np.log2(np.asarray(EQ_BANDS_HZ) / 1000.0)
    gains = tonal_corrections_db(on_line, MasterSpec(tilt_db_per_octave=-3.0, tonal_balance=0.7, max_eq_db=6.0,
                                                     air_db=-6.0))
    assert gains[-1] < -3.5
    assert np.all(np.abs(gains[:-1]) < 0.6)  # the others only follow the mean, a little


def test_octave_levels_read_the_mono_sum_of_their_segments_only() -> None:
    """The tonal balance sums the channels of the segments it reads, not of the whole render first: the same
    levels, bit for bit, as the whole mono sum gave."""
    from engine.mastering import octave_levels_db

    rng = np.random.default_rng(5)
    stereo = rng.standard_normal((2, 8192 * 130 + 77)).astype(np.float32)
    np.testing.assert_array_equal(octave_levels_db(stereo, 44100), octave_levels_db(stereo.mean(axis=0), 44100))
