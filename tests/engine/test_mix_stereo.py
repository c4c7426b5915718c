"""A mono part widened mono-safely (engine/mix_stereo.py)."""

from __future__ import annotations

import numpy as np

from engine.mix_stereo import width_side


def test_width_is_mono_safe() -> None:
    """The side made from a mono voice cancels in a mono fold-down: mono gets the dry voice back exactly."""
    sr = 22050
    rng = np.random.default_rng(3)
    voice = rng.standard_normal(sr).astype(np.float32) * 0.1
    side = width_side(voice, delay_s=0.017, width=0.7, sample_rate=sr)
    left, right = voice + side, voice - side
    np.testing.assert_allclose((left + right) / 2, voice, atol=1e-6)
    side_mid_db = 10 * np.log10(np.mean(((left - right) / 2) ** 2) / np.mean(((left + right) / 2) ** 2))
    assert -6.0 < side_mid_db < -2.0  # 0.7 of a high-passed copy: wide, not a second voice


def test_the_width_side_made_in_the_tracks_own_buffer_is_the_same() -> None:
    """A channel strip makes a track's width side in the track's own buffer once the track is not read again (a
    ten-minute track: 106 MB less at the render's peak): the same samples as a fresh array, for any delay against
    the block the shift moves at a time."""
    from engine.mix_gain import CHUNK
    from engine.mix_stereo import delayed_in_place

    rng = np.random.default_rng(6)
    for n, d in ((1000, 1), (1000, 999), (1000, 1000), (1000, 5000), (2 * CHUNK + 17, 441), (CHUNK + 3, CHUNK + 1)):
        x = rng.standard_normal(n).astype(np.float32)
        want = np.concatenate([np.zeros(min(d, n), dtype=np.float32), x[:max(n - d, 0)]])
        np.testing.assert_array_equal(delayed_in_place(x.copy(), d), want)
    x = rng.standard_normal(3 * CHUNK + 5).astype(np.float32) * np.float32(0.1)
    onto = np.stack([x * np.float32(0.8), x * np.float32(0.6)])
    fresh = width_side(x, delay_s=0.011, width=0.9, sample_rate=44100, onto=onto)
    owned = x.copy()
    same = width_side(owned, delay_s=0.011, width=0.9, sample_rate=44100, onto=onto, in_place=True)
    assert same is owned
    np.testing.assert_array_equal(same, fresh)
