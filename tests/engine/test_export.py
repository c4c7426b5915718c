"""Exports: every format and rate reads back with soundfile; MIDI round-trips through pretty_midi."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import soundfile as sf

from engine import ExportError, RenderResult
from engine.export import FORMATS, SAMPLE_RATES, encode_audio, midi_bytes, resample, stems_zip, write_stems
from knowledge_base import KnowledgeBase


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sample_rate", SAMPLE_RATES)
@pytest.mark.parametrize("channels", [1, 2])
def test_every_format_reads_back(pop_render: RenderResult, fmt: str, sample_rate: int, channels: int) -> None:
    audio = resample(pop_render.mix[:, : 2 * 44100], 44100, sample_rate)
    data = encode_audio(audio, sample_rate=sample_rate, fmt=fmt, channels=channels)
    back, rate = sf.read(io.BytesIO(data), always_2d=True)
    assert rate == sample_rate
    assert back.shape[1] == channels
    assert abs(back.shape[0] - 2 * sample_rate) <= 2 * 1152 + 2000  # mp3 adds encoder delay/padding
    assert np.abs(back).max() > 0.05


def test_unknown_format_and_rate_are_export_errors(pop_render: RenderResult) -> None:
    with pytest.raises(ExportError):
        encode_audio(pop_render.mix, sample_rate=44100, fmt="ogg")
    with pytest.raises(ExportError):
        encode_audio(pop_render.mix, sample_rate=16000, fmt="wav")


def test_midi_round_trip(pop_render: RenderResult) -> None:
    score = pop_render.score
    pm = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(score)))
    assert len(pm.instruments) == len(score.tracks)
    for inst, track in zip(pm.instruments, score.tracks, strict=True):
        assert inst.is_drum == track.is_drum
        if not track.is_drum:
            assert inst.program == track.gm_program
        assert len(inst.notes) == len(track.notes)
        starts = sorted(n.start for n in inst.notes)
        expected = sorted(n.start_s for n in track.notes)
        np.testing.assert_allclose(starts, expected, atol=0.01)
        assert sorted(n.pitch for n in inst.notes) == sorted(n.pitch for n in track.notes)
    _times, tempi = pm.get_tempo_changes()
    assert tempi[0] == pytest.approx(score.quarter_bpm, rel=1e-3)
    ts = pm.time_signature_changes[0]
    assert (ts.numerator, ts.denominator) == (score.beats_per_bar, score.beat_unit)
    assert pop_render.midi == midi_bytes(score)


def test_stems_zip_and_files(pop_render: RenderResult, tmp_path: Path) -> None:
    stems = {k: v[:, :22050] for k, v in pop_render.stems.items()}
    data = stems_zip(stems, sample_rate=44100, fmt="flac")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert sorted(names) == sorted(f"{k}.flac" for k in stems)
        _back, rate = sf.read(io.BytesIO(zf.read(names[0])))
        assert rate == 44100
    paths = write_stems(tmp_path / "stems", stems, sample_rate=44100, fmt="wav")
    assert all(p.is_file() and sf.info(str(p)).frames == 22050 for p in paths)


@pytest.mark.parametrize(("key", "signature"), [("A blues", "Am"), ("A mixolydian", "A"), ("D dorian", "Dm"),
                                                ("E phrygian", "Em"), ("F lydian", "F")])
def test_midi_key_signature_follows_the_modes_third(kb: KnowledgeBase, key: str, signature: str) -> None:
    """A blues in A is composed on an A-minor tonic, so its MIDI says A minor (minor = the mode's intervals)."""
    import mido

    from engine import Engine
    from tests.engine.conftest import make_controls, make_plan

    plan = make_plan(tempo_bpm=100.0, key=key, chords=("A7", "D7", "E7"), duration_s=6.0)
    result = Engine(device="cpu").render(plan=plan, **make_controls(kb, tempo_bpm=100.0, genre="blues"),
                                         duration_s=6.0, sample_rate=22050, seed=0)
    assert result.score.key_is_minor == signature.endswith("m")
    midi = mido.MidiFile(file=io.BytesIO(result.midi))
    keys = [m.key for m in midi.tracks[0] if m.type == "key_signature"]
    assert keys == [signature]
