"""RAVE codec stage with a tiny scripted model that has RAVE's export interface (encode/decode, sr)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine import CodecError, Engine, EngineConfig
from engine.codec import RaveCodec, find_checkpoint
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan


class TinyRave(torch.nn.Module):
    """Strided conv encoder / transposed-conv decoder, like RAVE's export but a few hundred weights."""

    def __init__(self) -> None:
        super().__init__()
        self.sr = 22050
        torch.manual_seed(0)
        self.enc = torch.nn.Conv1d(1, 4, kernel_size=16, stride=16)
        self.dec = torch.nn.ConvTranspose1d(4, 1, kernel_size=16, stride=16)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.enc(x))

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.dec(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


@pytest.fixture(scope="module")
def tiny_rave(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ckpt") / "tiny_rave.ts"
    torch.jit.script(TinyRave()).save(str(path))
    return path


def test_tiny_model_loads_and_round_trips(tiny_rave: Path) -> None:
    codec = RaveCodec.load(tiny_rave, device=torch.device("cpu"))
    assert codec.sample_rate == 22050
    x = np.sin(np.linspace(0, 400, 44100)).astype(np.float32)
    y = codec.resynthesise(x, sample_rate=44100)
    assert y.shape == x.shape and y.dtype == np.float32
    assert np.isfinite(y).all() and np.abs(y).max() > 0


def test_render_uses_rave_on_configured_stems(kb: KnowledgeBase, tiny_rave: Path) -> None:
    plan = make_plan(tempo_bpm=120.0, duration_s=5.0)
    controls = make_controls(kb, tempo_bpm=120.0, genre="pop")
    with_rave = Engine(device="cpu", config=EngineConfig(rave_model_path=tiny_rave, rave_stems=("lead", "pad"),
                                                        rave_blend=0.7))
    without = Engine(device="cpu", config=EngineConfig(rave_model_path=tiny_rave, rave_stems=("nothing",)))
    a = with_rave.render(plan=plan, **controls, duration_s=5.0, seed=1)
    b = without.render(plan=plan, **controls, duration_s=5.0, seed=1)
    assert a.stage("codec").used and "tiny_rave.ts" in a.stage("codec").reason
    assert not b.stage("codec").used
    assert not np.allclose(a.stems["lead"], b.stems["lead"], atol=1e-4)
    np.testing.assert_allclose(a.stems["bass"], b.stems["bass"], atol=1e-6)


def test_broken_export_is_a_codec_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ts"
    bad.write_bytes(b"not a torchscript file")
    with pytest.raises(CodecError):
        RaveCodec.load(bad, device=torch.device("cpu"))


def test_checkpoint_discovery(tmp_path: Path, tiny_rave: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTAR_RAVE_MODEL", str(tiny_rave))  # read by EngineConfig.from_env only
    assert find_checkpoint(None, tmp_path) is None
    (tmp_path / "model.ts").write_bytes(tiny_rave.read_bytes())
    assert find_checkpoint(None, tmp_path) == tmp_path / "model.ts"
    assert find_checkpoint(tiny_rave, tmp_path) == tiny_rave


def test_rave_is_a_voice_behind_the_voice_interface(kb: KnowledgeBase, tiny_rave: Path) -> None:
    """The registry wraps the configured tracks' voices in a RaveVoice; the same seed gives the same audio."""
    from engine.score import Note, Track
    from engine.voices import VoiceContext, build_voice
    from engine.voices.rave import RaveStage, RaveVoice

    codec = RaveCodec.load(tiny_rave, device=torch.device("cpu"))
    preset = next(p.id for p in kb.synth_presets.presets if "flute" in p.instruments or p.id == "flute")
    track = Track(name="lead", role="lead", instrument_id="synthesizer", preset=preset, gm_program=73, is_drum=False,
                  notes=[Note(start_s=0.1 * i, duration_s=0.2, pitch=60 + i % 5, velocity=90) for i in range(8)])
    plain = VoiceContext(kb=kb, device=torch.device("cpu"), sample_rate=22050)
    wrapped = VoiceContext(kb=kb, device=torch.device("cpu"), sample_rate=22050, rave=RaveStage(codec, 0.7),
                           rave_tracks=("lead",))
    voice = build_voice(track, wrapped)
    assert isinstance(voice, RaveVoice) and not isinstance(build_voice(track, plain), RaveVoice)
    first = voice.render(track, n_samples=22050, sample_rate=22050, seed=3)
    again = build_voice(track, wrapped).render(track, n_samples=22050, sample_rate=22050, seed=3)
    dry = build_voice(track, plain).render(track, n_samples=22050, sample_rate=22050, seed=3)
    assert first.shape == (22050,) and first.dtype == np.float32 and np.abs(first).max() > 0
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, dry.mean(axis=0) if dry.ndim == 2 else dry, atol=1e-4)
