"""The optional fluidsynth sampler voice: skipped with a reason unless pyfluidsynth and a soundfont exist."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Engine, EngineConfig, RenderResult
from engine.ddsp.sampler import SamplerVoice, sampler_status
from engine.knowledge import KnowledgeData
from tests.engine.conftest import make_controls, make_plan

SOUNDFONT, REASON = sampler_status()


def test_sampler_stage_is_reported(pop_render: RenderResult) -> None:
    stage = pop_render.stage("sampler")
    assert stage.used == (SOUNDFONT is not None)
    assert stage.reason


def test_sampler_off_in_config(kb: KnowledgeData) -> None:
    r = Engine(device="cpu", config=EngineConfig(sampler="off")).render(
        plan=make_plan(tempo_bpm=100.0, duration_s=5.0), controls=make_controls(kb, tempo_bpm=100.0, genre="pop"),
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
