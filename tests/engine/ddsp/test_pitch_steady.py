"""Voices that hold their pitch: a detuned unison pair keeps a steady fundamental (no cancellation every few seconds
that sounds like the octave above or a re-played note), and a bass's small-speaker harmonics imply its own
fundamental, not the octave above. The transcriber checks (basic-pitch, bench-only) skip where it is absent."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from bench import pitch_truth
from engine.ddsp import core
from engine.ddsp.core import add_harmonic_presence as add_presence
from engine.ddsp.synths import HarmonicVoice
from engine.score import Note, Track
from engine.voices import VoiceContext, build_voice
from knowledge_base import KnowledgeBase

SR = 22050
needs_transcriber = pytest.mark.skipif(pitch_truth.unavailable() is not None,
                                       reason=str(pitch_truth.unavailable()))


def _track(preset: str, notes: list[Note], role: str = "bass") -> Track:
    return Track(name=role, role=role, instrument_id=preset, preset=preset, gm_program=0,  # type: ignore[arg-type]
                 is_drum=False, notes=notes)


def _mono(audio: np.ndarray) -> np.ndarray:
    return (audio.mean(axis=0) if audio.ndim == 2 else audio).astype(np.float64)


def _partial_db(x: np.ndarray, freq_hz: float, *, frame_s: float = 0.25) -> np.ndarray:
    """Level (dB) of the partial at ``freq_hz`` in successive frames: a Goertzel-style single-bin DFT per frame."""
    n = int(frame_s * SR)
    t = np.arange(n) / SR
    probe = np.exp(-2j * np.pi * freq_hz * t) * np.hanning(n)
    frames = x[: (x.size // n) * n].reshape(-1, n)
    return np.asarray(20 * np.log10(np.abs(frames @ probe) + 1e-12))


@pytest.mark.parametrize(("preset", "pitch"), [("synth_bass", 36), ("synth_lead", 60), ("brass_section", 57),
                                               ("synth_pad", 48)])
def test_a_detuned_unison_holds_its_fundamental(kb: KnowledgeBase, preset: str, pitch: int) -> None:
    """A held note's fundamental stays within 3 dB (a pair detuned 8 cents at C2 used to cancel it outright every
    3.3 s, leaving the octave: heard as the note an octave up; a held chord swelled as if re-played)."""
    p = kb.synth_presets.preset(preset)
    assert p.unison_cents > 0
    hold_s = 6.0
    audio = HarmonicVoice(p, device=torch.device("cpu")).render(_track(preset, [Note(0.0, hold_s, pitch, 100)]),
                                                                n_samples=int(hold_s * SR), sample_rate=SR, seed=0)
    f0 = 440.0 * 2 ** ((pitch - 69) / 12)
    level = _partial_db(_mono(audio), f0)[6:-2]  # the sustain: past attack, decay and swell, before the release
    assert float(level.max() - level.min()) < 3.0


def test_the_stereo_unison_stays_wide_and_folds_down_steady(kb: KnowledgeBase) -> None:
    """The two detuned voices still spread left and right (each side mostly one whole voice); the mono fold-down is
    the steady middle."""
    p = kb.synth_presets.preset("synth_pad")
    audio = HarmonicVoice(p, device=torch.device("cpu")).render(
        _track("synth_pad", [Note(0.0, 4.0, 48, 90)], role="pad"), n_samples=4 * SR, sample_rate=SR, seed=0)
    left, right = audio.astype(np.float64)
    mid, side = (left + right) / 2, (left - right) / 2
    assert 10 * np.log10((side @ side) / (mid @ mid)) > -6.0
    fundamental = _partial_db(mid, 440.0 * 2 ** ((48 - 69) / 12))[6:-2]
    assert float(fundamental.max() - fundamental.min()) < 3.0


def test_bass_presence_adds_the_odd_series_up_to_the_share(kb: KnowledgeBase) -> None:
    """A sub bass gets upper harmonics until 35% of its energy lies above 150 Hz: 3f and 5f (whose common
    fundamental is the note), nothing at 2f (the octave above)."""
    p = kb.synth_presets.preset("sub_bass")
    track = _track("sub_bass", [Note(0.5 * i, 0.45, 36, 100) for i in range(8)])
    dry = HarmonicVoice(p, device=torch.device("cpu")).render(track, n_samples=4 * SR, sample_rate=SR, seed=0)
    voice = HarmonicVoice(p, device=torch.device("cpu"), presence_share=0.35)
    audio = _mono(voice.render(track, n_samples=4 * SR, sample_rate=SR, seed=0))
    power = np.abs(np.fft.rfft(audio)) ** 2
    freqs = np.fft.rfftfreq(audio.size, 1 / SR)
    assert float(power[freqs >= 150].sum() / power.sum()) >= 0.33
    assert float(power[freqs >= 150].sum() / power.sum()) > 3 * float(
        (np.abs(np.fft.rfft(_mono(dry))) ** 2)[freqs >= 150].sum() / (np.abs(np.fft.rfft(_mono(dry))) ** 2).sum())

    def near(f_hz: float) -> float:
        return float(power[(freqs > f_hz * 0.97) & (freqs < f_hz * 1.03)].sum())

    f0 = 440.0 * 2 ** ((36 - 69) / 12)
    # even partials only as the voice's own partials' products with the series (~27 dB under 3f)
    assert near(3 * f0) > 30 * near(2 * f0) and near(5 * f0) > 20 * near(4 * f0)
    same = core.add_harmonic_presence(audio.astype(np.float32), 0.3, SR)  # already there: returned as it is
    np.testing.assert_array_equal(same, audio.astype(np.float32))


def test_a_synthesised_bass_carries_its_genres_presence_itself(kb: KnowledgeBase) -> None:
    """The registry gives a DDSP bass the genre's bass_presence (a little over), so the mixer's rectifier (2f, 4f:
    the octave above) has nothing left to add; other roles get none."""
    ctx = VoiceContext(kb=kb, device=torch.device("cpu"), genre_lineage=("techno",))
    target = kb.mix_presets.for_genres(["techno"]).bass_presence["bass"]
    bass = _track("synth_bass", [Note(0.5 * i, 0.45, 33 + (i * 5) % 12, 100) for i in range(8)])
    audio = _mono(build_voice(bass, ctx).render(bass, n_samples=4 * SR, sample_rate=SR, seed=0))
    power = np.abs(np.fft.rfft(audio)) ** 2
    assert float(power[np.fft.rfftfreq(audio.size, 1 / SR) >= 150].sum() / power.sum()) >= target
    lead = _track("synth_lead", [Note(0.0, 1.0, 60, 100)], role="lead")
    assert isinstance(voice := build_voice(lead, ctx), HarmonicVoice) and voice.presence_share == 0.0


@needs_transcriber
def test_a_held_synth_bass_is_heard_at_its_pitch(kb: KnowledgeBase) -> None:
    """Held synth-bass notes are heard once each, at their pitch: no note an octave up mid-note."""
    notes = [Note(i * 2.2, 2.0, 36 + 3 * (i % 2), 100) for i in range(4)]
    audio = HarmonicVoice(kb.synth_presets.preset("synth_bass"), device=torch.device("cpu")).render(
        _track("synth_bass", notes), n_samples=int(9.5 * SR), sample_rate=SR, seed=0)
    heard = pitch_truth.transcribe(audio, SR)
    written = [(n.start_s, n.end_s, n.pitch) for n in notes]
    assert pitch_truth.note_scores(written, heard)[2] == 1.0


@needs_transcriber
def test_bass_presence_keeps_the_bass_in_its_octave(kb: KnowledgeBase) -> None:
    """With its small-speaker harmonics a sub-bass line is still heard as written; the mixer's rectified harmonics
    (2f, 4f: the octave above's series) make the transcriber hear most notes doubled an octave up."""
    notes = [Note(0.5 * i, 0.45, 31 + (i * 5) % 19, 100) for i in range(16)]
    written = [(n.start_s, n.end_s, n.pitch) for n in notes]
    p = kb.synth_presets.preset("sub_bass")
    dry = HarmonicVoice(p, device=torch.device("cpu")).render(_track("sub_bass", notes), n_samples=9 * SR,
                                                              sample_rate=SR, seed=0)
    ours = HarmonicVoice(p, device=torch.device("cpu"), presence_share=0.36).render(
        _track("sub_bass", notes), n_samples=9 * SR, sample_rate=SR, seed=0)
    heard = pitch_truth.transcribe(ours, SR)
    assert pitch_truth.note_scores(written, heard)[2] >= 0.85
    assert pitch_truth.octave_doubled_share(written, heard) <= 0.05
    mixed = pitch_truth.transcribe(add_presence(dry.copy(), 0.33, SR), SR)  # the mixer's presence (sampled basses)
    assert pitch_truth.octave_doubled_share(written, mixed) <= 0.05  # a rectifier's 2f, 4f doubled > 20% of notes
