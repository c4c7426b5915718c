"""Mixer gain staging: a preset's gains_db set the balance whatever level each voice comes out at."""

from __future__ import annotations

import numpy as np
import pytest

from engine.mixer import STAGING_RMS, mix, staging_gain
from engine.score import Score
from knowledge_base import KnowledgeBase

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


def test_mix_balance_follows_the_preset_not_the_voice_levels(kb: KnowledgeBase) -> None:
    """A drum track ~35 dB hotter than the harmony track still ends up at the preset's drums/harmony balance."""
    preset = kb.mix_presets.for_genres(["pop"])
    n = 3 * SR
    rng = np.random.default_rng(0)
    t = np.arange(n) / SR
    hits = np.zeros(n, dtype=np.float32)
    for start in range(0, n - 2000, SR // 4):  # noise bursts four times a second
        hits[start:start + 2000] = rng.standard_normal(2000).astype(np.float32) * np.exp(-np.arange(2000) / 400)
    chords = (0.004 * sum(np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0))).astype(np.float32)
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="pop",
                  duration_s=3.0, bar_s=2.0, step_s=0.125)
    stems, premaster = mix(tracks={"drums": ("drums", hits * 2.0), "harmony": ("harmony", chords)}, score=score,
                           preset=preset, sample_rate=SR, seed=1, fx=None)
    expected = preset.gains_db["drums"] - preset.gains_db["harmony"]
    measured = _active_rms_db(stems["drums"]) - _active_rms_db(stems["harmony"])
    # the drum compressor and the harmony high-pass move it a little; unstaged it would be ~35 dB
    assert measured == pytest.approx(expected, abs=4.0)
    assert np.allclose(sum(stems.values()), premaster, atol=1e-5)
