"""DDSP voices that play when no sample is installed: pads and leads spread their unison in stereo (mono-safe),
and a distorted guitar goes through a cabinet instead of sounding like a bare waveshaper."""

from __future__ import annotations

import numpy as np
import torch

from engine.ddsp.synths import HarmonicVoice
from engine.score import Note, Track
from knowledge_base import KnowledgeBase

SR = 22050


def _track(preset: str) -> Track:
    return Track(name="pad", role="pad", instrument_id=preset, preset=preset, gm_program=0, is_drum=False,
                 notes=[Note(0.0, 1.5, 57, 90), Note(0.0, 1.5, 60, 90), Note(0.0, 1.5, 64, 90)])


def _band_db(x: np.ndarray, lo_hz: float, hi_hz: float) -> float:
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(x.size, 1 / SR)
    return float(10 * np.log10(power[(freqs >= lo_hz) & (freqs < hi_hz)].sum() + 1e-20))


def test_pad_unison_spreads_in_stereo_and_folds_down_to_mono(kb: KnowledgeBase) -> None:
    preset = kb.synth_presets.preset("synth_pad")
    assert preset.stereo_spread > 0
    audio = HarmonicVoice(preset, device=torch.device("cpu")).render(_track("synth_pad"), n_samples=2 * SR,
                                                                      sample_rate=SR, seed=1)
    assert audio.shape == (2, 2 * SR) and audio.dtype == np.float32
    left, right = audio.astype(np.float64)
    mid, side = (left + right) / 2, (left - right) / 2
    assert -12.0 <= 10 * np.log10((side @ side) / (mid @ mid)) <= -1.0  # wide, never more side than middle
    mono = preset.model_copy(update={"stereo_spread": 0.0})
    dry = HarmonicVoice(mono, device=torch.device("cpu")).render(_track("synth_pad"), n_samples=2 * SR,
                                                                 sample_rate=SR, seed=1)
    assert dry.shape == (2 * SR,)
    np.testing.assert_allclose(mid, dry, atol=1e-5)  # the mono fold-down is the mono voice, exactly


def test_distorted_guitar_goes_through_a_cabinet(kb: KnowledgeBase) -> None:
    preset = kb.synth_presets.preset("distorted_guitar")
    assert preset.cabinet
    track = _track("distorted_guitar")
    amp = HarmonicVoice(preset, device=torch.device("cpu")).render(track, n_samples=2 * SR, sample_rate=SR, seed=1)
    bare = HarmonicVoice(preset.model_copy(update={"cabinet": False}), device=torch.device("cpu")).render(
        track, n_samples=2 * SR, sample_rate=SR, seed=1)
    amp_m = amp.mean(axis=0) if amp.ndim == 2 else amp
    bare_m = bare.mean(axis=0) if bare.ndim == 2 else bare
    fizz = _band_db(amp_m, 7000, 11000) - _band_db(amp_m, 1000, 3000)
    bare_fizz = _band_db(bare_m, 7000, 11000) - _band_db(bare_m, 1000, 3000)
    assert fizz < bare_fizz - 12.0  # the speaker stops above ~5 kHz
    assert float(np.abs(amp_m).max()) > 1e-3
