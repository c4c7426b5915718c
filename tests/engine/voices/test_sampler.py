"""The optional fluidsynth sampler voice: skipped with a reason unless pyfluidsynth and a soundfont exist."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine import Engine, EngineConfig, RenderResult
from engine.score import Note, Track
from engine.voices.sampler import SamplerVoice, find_soundfont, sampler_status
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan

SOUNDFONT, REASON = sampler_status()


def test_sampler_stage_is_reported(pop_render: RenderResult) -> None:
    stage = pop_render.stage("sampler")
    assert stage.used == (SOUNDFONT is not None)
    assert stage.reason


def test_sampler_off_in_config(kb: KnowledgeBase) -> None:
    r = Engine(device="cpu", config=EngineConfig(sampler="off")).render(
        plan=make_plan(tempo_bpm=100.0, duration_s=5.0), **make_controls(kb, tempo_bpm=100.0, genre="pop"),
        duration_s=5.0, seed=1)
    assert not r.stage("sampler").used and "off" in r.stage("sampler").reason


@pytest.mark.skipif(SOUNDFONT is None, reason=f"sampler unavailable: {REASON}")
def test_sampler_voice_plays_a_track(pop_render: RenderResult) -> None:
    assert SOUNDFONT is not None
    track = pop_render.score.track("harmony")
    assert track is not None
    audio = SamplerVoice(SOUNDFONT).render(track, n_samples=44100 * 3, sample_rate=44100)
    assert audio.shape == (44100 * 3,) and audio.dtype == np.float32
    assert float(np.abs(audio).max()) > 0.01


@pytest.mark.skipif(SOUNDFONT is None, reason=f"sampler unavailable: {REASON}")
def test_sampler_note_lands_on_time_and_pitch() -> None:
    """One A4 (440 Hz) at 0.5 s on a flute: silent before its onset, its pitch after it, across pulled blocks."""
    assert SOUNDFONT is not None
    sr = 44100
    track = Track(name="lead", role="lead", instrument_id="flute", preset="flute", gm_program=73, is_drum=False,
                  notes=[Note(start_s=2.0, duration_s=1.0, pitch=69, velocity=100)])
    audio = SamplerVoice(SOUNDFONT).render(track, n_samples=4 * sr, sample_rate=sr)
    onset = 2 * sr  # beyond one 65536-frame pull block, so block bookkeeping is exercised
    assert float(np.abs(audio[: onset - 64]).max()) < 1e-4
    body = audio[onset + sr // 10: onset + sr // 2]
    assert float(np.sqrt(np.mean(body**2))) > 1e-3
    spectrum = np.abs(np.fft.rfft(body * np.hanning(body.size)))
    peak_hz = float(np.fft.rfftfreq(body.size, 1 / sr)[np.argmax(spectrum)])
    assert peak_hz == pytest.approx(440.0, rel=0.03)


def test_find_soundfont_prefers_the_configured_file(tmp_path: Path) -> None:
    """The soundfont is an argument (EngineConfig.soundfont_path); the environment is not read here."""
    configured = tmp_path / "mine.sf2"
    fallback = tmp_path / "fallback.sf2"
    fallback.write_bytes(b"")
    assert find_soundfont(None, (fallback,)) == fallback
    assert find_soundfont(configured, (fallback,)) == fallback  # configured but missing: the search goes on
    configured.write_bytes(b"")
    assert find_soundfont(configured, (fallback,)) == configured
    assert find_soundfont(None, ()) is None
