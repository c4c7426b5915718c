"""Plucked and struck sampled parts sound on their written time: each note goes early by the time its sample takes
to speak (knowledge_base ``sampler.on_time_families``; engine/voices/sampler.py ``speaking_delays``).
MuseScore_General's overdriven guitar speaks 16-40 ms after its note-on: a rhythm part on it sounded a flam behind
the kit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.score import Note, Track
from engine.voices import VoiceContext, build_voice
from engine.voices.sampler import Program, SamplerVoice, SoundfontPlayer, note_events, sampler_status
from knowledge_base import KnowledgeBase

SOUNDFONT, REASON = sampler_status()
SR = 44100


def _ctx(kb: KnowledgeBase, soundfont: Path | None, lineage: tuple[str, ...] = ("rock",)) -> VoiceContext:
    return VoiceContext(kb=kb, device=torch.device("cpu"), tonic_pc=2, soundfont=soundfont, genre_lineage=lineage)


def _part(instrument: str, program: int, role: str, pitches: list[int], *, every_s: float = 0.5) -> Track:
    return Track(name=role, role=role, instrument_id=instrument, preset=instrument, gm_program=program,
                 is_drum=False, notes=[Note(0.2 + i * every_s, 0.3, p, 100) for i, p in enumerate(pitches)])


def test_a_lead_moves_each_whole_note_early_by_its_own_key() -> None:
    """The whole note goes early (on and off, its length kept), by its sounding key's lead; a note at the very
    start cannot go before it; a key without a lead stays."""
    track = _part("electric_guitar", 29, "harmony", [50, 57, 62], every_s=0.5)
    track.notes.insert(0, Note(0.0, 0.1, 50, 90))
    assert note_events(track, 1000, lead_s={50: 0.03, 57: 0.01}) == [
        (0, 1, 50, 90), (70, 0, 50, 0), (170, 1, 50, 100), (470, 0, 50, 0), (690, 1, 57, 100), (990, 0, 57, 0),
        (1200, 1, 62, 100), (1500, 0, 62, 0)]
    assert note_events(track, 1000) == note_events(track, 1000, lead_s={})


def test_plucked_and_struck_families_play_on_time_and_bowed_ones_as_played(kb: KnowledgeBase,
                                                                         tmp_path: Path) -> None:
    ctx = _ctx(kb, tmp_path / "MuseScore_General.sf2")
    for instrument, program, role, on_time in (("electric_guitar", 29, "harmony", True),
                                               ("bass_guitar", 33, "bass", True), ("piano", 0, "harmony", True),
                                               ("violin", 40, "lead", False), ("flute", 73, "lead", False)):
        voice = build_voice(_part(instrument, program, role, [60]), ctx)
        assert isinstance(voice, SamplerVoice) and voice.on_time is on_time, instrument


def _speaks_at_s(audio: np.ndarray, start_s: float) -> float:
    """Seconds from ``start_s`` until the part's envelope (1 ms peaks) first reaches half its peak in the next
    150 ms."""
    frame = SR // 1000
    chunk = np.abs(audio[:, int(start_s * SR): int((start_s + 0.15) * SR)]).max(axis=0)
    envelope = chunk[: chunk.size // frame * frame].reshape(-1, frame).max(axis=1)
    return float(np.argmax(envelope >= 0.5 * envelope.max())) / 1000.0


@pytest.mark.skipif(SOUNDFONT is None or not SOUNDFONT.name.startswith("MuseScore_General."),
                    reason="MuseScore_General is not the soundfont in use")
def test_an_overdriven_guitar_speaks_on_its_written_time(kb: KnowledgeBase) -> None:
    """MuseScore_General's overdriven guitar (GM 29) played as written speaks 15 ms or more late at A2, D3 and A3;
    through the engine's voice each note speaks within 4 ms of its written time. The piano, which speaks at once,
    barely moves."""
    assert SOUNDFONT is not None
    pitches = [45, 50, 57]
    track = _part("electric_guitar", 29, "harmony", pitches, every_s=1.0)  # apart: each release is over
    n = round(3.5 * SR)
    late = SamplerVoice(SOUNDFONT, program=Program(SOUNDFONT, 0, 29)).render(track, n_samples=n, sample_rate=SR)
    voice = build_voice(track, _ctx(kb, SOUNDFONT))
    on_time = voice.render(track, n_samples=n, sample_rate=SR)
    for note in track.notes:
        assert _speaks_at_s(late, note.start_s) >= 0.015, note.pitch
        assert _speaks_at_s(on_time, note.start_s - 0.06) == pytest.approx(0.06, abs=0.004), note.pitch
    delays = SoundfontPlayer.shared(SR).speaking_delays(Program(SOUNDFONT, 0, 0), [48, 60, 72])
    assert max(delays.values()) <= 0.01
