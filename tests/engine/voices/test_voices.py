"""One Voice interface: the registry's rule picks kit / sampler / DDSP harmonic, and each renders a Track."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.score import Note, Track
from engine.voices import VOICES, VoiceContext, build_voice, choose_voice
from knowledge_base import KnowledgeBase


def _track(instrument_id: str, preset: str, *, drum: bool = False) -> Track:
    notes = [Note(start_s=0.1 * i, duration_s=0.2, pitch=36 if drum else 60 + i, velocity=90) for i in range(4)]
    return Track(name=instrument_id, role="drums" if drum else "harmony", instrument_id=instrument_id, preset=preset,
                 gm_program=0, is_drum=drum, notes=notes)


@pytest.fixture
def ctx(kb: KnowledgeBase, tmp_path: Path) -> VoiceContext:
    soundfont = tmp_path / "gm.sf2"  # the rule only asks whether a soundfont is configured
    return VoiceContext(kb=kb, device=torch.device("cpu"), tonic_pc=9, soundfont=soundfont)


def test_the_rule(kb: KnowledgeBase, ctx: VoiceContext) -> None:
    without = VoiceContext(kb=kb, device=torch.device("cpu"))
    assert choose_voice(_track("drum_kit", "acoustic", drum=True), ctx) == "kit"
    assert choose_voice(_track("piano", "piano"), ctx) == "sampler"  # acoustic family + soundfont
    assert choose_voice(_track("piano", "piano"), without) == "harmonic"
    assert choose_voice(_track("synth_pad", "synth_pad"), ctx) == "harmonic"  # synth family
    assert choose_voice(_track("no_such_instrument", "piano"), ctx) == "harmonic"
    assert set(VOICES) >= {"kit", "sampled_kit", "sampler", "harmonic"}
    assert choose_voice(_track("bass_guitar", "electric_bass"), ctx) == "sampler"  # the bass family is sampled
    assert choose_voice(_track("bass_808", "bass_808"), ctx) == "harmonic"  # an 808 is a synthesiser


@pytest.mark.parametrize(("instrument_id", "preset", "drum"), [("drum_kit", "tr808", True), ("synth_pad", "synth_pad",
                                                                                              False)])
def test_voices_render_a_track(ctx: VoiceContext, instrument_id: str, preset: str, drum: bool) -> None:
    track = _track(instrument_id, preset, drum=drum)
    n = 22050
    a = build_voice(track, ctx).render(track, n_samples=n, sample_rate=22050, seed=4)
    b = build_voice(track, ctx).render(track, n_samples=n, sample_rate=22050, seed=4)
    assert a.shape == (2, n) and a.dtype == np.float32  # kits and spread pads render stereo
    assert float(np.abs(a).max()) > 1e-3
    np.testing.assert_array_equal(a, b)


def test_sampler_voice_needs_a_soundfont(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="soundfont"):
        VOICES["sampler"](_track("piano", "piano"), VoiceContext(kb=kb, device=torch.device("cpu")))


def test_synthesised_kit_places_hats_and_toms_off_centre(ctx: VoiceContext) -> None:
    """The kick sits in the middle, the hi-hat and a tom off centre, on opposite sides."""

    def image(pitch: int) -> float:
        track = Track(name="drums", role="drums", instrument_id="drum_kit", preset="tr909", gm_program=0, is_drum=True,
                      notes=[Note(0.0, 0.1, pitch, 100)])
        audio = build_voice(track, ctx).render(track, n_samples=11025, sample_rate=22050, seed=0).astype(np.float64)
        return float(np.sqrt((audio[1] ** 2).sum() / (audio[0] ** 2).sum()))  # right over left

    assert image(36) == pytest.approx(1.0, abs=0.01)
    hat, tom = image(42), image(45)
    assert (hat - 1.0) * (tom - 1.0) < 0 and abs(hat - 1.0) > 0.2 and abs(tom - 1.0) > 0.2
