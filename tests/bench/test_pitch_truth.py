"""Pitch truth (bench/pitch_truth.py): the scoring on notes whose answers are known, and the real transcriber
(basic-pitch's ONNX model, offline) on a plucked tone line rendered here."""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np
import pytest

from bench import pitch_truth
from engine.score import Note, Track

SR = 22050
needs_scorer = pytest.mark.skipif(pitch_truth.unavailable() is not None, reason=str(pitch_truth.unavailable()))
LINE = [(0.25 + 0.4 * i, 0.25 + 0.4 * i + 0.3, p) for i, p in enumerate([57, 60, 64, 62, 59, 57, 55, 60])]


def _plucked(notes: list[tuple[float, float, int]], duration_s: float, *, octave: int = 0) -> np.ndarray:
    """Decaying harmonic tones (a plucked string): clear attacks, a known pitch."""
    out = np.zeros(int(duration_s * SR), dtype=np.float32)
    for start, end, pitch in notes:
        n = int((end - start) * SR)
        t = np.arange(n) / SR
        f0 = 440.0 * 2 ** ((pitch + octave - 69) / 12)
        tone = sum(np.sin(2 * np.pi * k * f0 * t) / k**1.5 for k in range(1, 7))
        s = int(start * SR)
        out[s:s + n] += (0.3 * tone * np.exp(-t / 0.25) * np.minimum(t / 0.003, 1.0)).astype(np.float32)
    return out


@needs_scorer
def test_note_scores_and_octave_doubling() -> None:
    assert pitch_truth.note_scores(LINE, LINE) == (1.0, 1.0, 1.0)
    up = [(s, e, p + 12) for s, e, p in LINE]
    assert pitch_truth.note_scores(LINE, up)[2] == 0.0
    assert pitch_truth.note_scores(LINE, up, shift=-12)[2] == 1.0
    precision, recall, f1 = pitch_truth.note_scores(LINE, LINE + up)  # every note also heard an octave up
    assert recall == 1.0 and precision == 0.5 and f1 == pytest.approx(2 / 3)
    assert pitch_truth.octave_doubled_share(LINE, LINE + up) == 0.5
    assert pitch_truth.without_doublings(LINE, LINE + up) == LINE
    assert pitch_truth.note_scores(LINE, []) == (0.0, 0.0, 0.0)


@needs_scorer
def test_transcriber_hears_a_line_in_its_octave() -> None:
    """The real model hears a written line as written, and a line played an octave up as 'another octave'."""
    track = Track(name="lead", role="lead", instrument_id="guitar", preset="guitar", gm_program=25, is_drum=False,
                  notes=[Note(s, e - s, p, 100) for s, e, p in LINE])
    right = pitch_truth.stem_pitch("lead", track, _plucked(LINE, 4.0), SR, family="guitar", voice="test",
                                   duration_s=4.0)
    assert right.clear_attack and right.best_shift == 0 and not right.other_octave
    assert right.recall == 1.0 and right.f1_undoubled >= 0.85  # every note heard; the model adds octave doublings
    wrong = pitch_truth.stem_pitch("lead", track, _plucked(LINE, 4.0, octave=12), SR, family="guitar", voice="test",
                                   duration_s=4.0)
    assert wrong.f1 < 0.3 and wrong.best_shift == -12 and wrong.other_octave


def test_voice_audio_is_what_the_engine_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench transcribes each voice before the mixer: ``voice_audio`` renders the tracks again with the engine's
    voice, program and per-track seed, and gets exactly what the engine handed its mixer."""
    import knowledge_base
    from bench.engine_bench import Prompt, label_inputs
    from engine import Engine
    from engine.mixer import Track as TrackAudio
    from engine.mixer import mix

    handed: dict[str, np.ndarray] = {}

    def spy(*, tracks: dict[str, tuple[str, TrackAudio]], **kwargs: object) -> object:
        # the engine hands a track still being synthesised as a Future (the mixer starts on the ready ones)
        handed.update({name: (audio.result() if isinstance(audio, Future) else audio).copy()
                       for name, (_, audio) in tracks.items()})
        return mix(tracks=tracks, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("engine.facade.mix", spy)
    kb = knowledge_base.load()
    engine = Engine(device="cpu")
    plan, controls, _ = label_inputs(kb, Prompt("dubstep drop with wobble bass", genre="dubstep"))
    result = engine.render(plan=plan, **controls, duration_s=6.0, sample_rate=SR, seed=3)
    names = [t.name for t in pitch_truth.pitched_tracks(result.score.tracks)]
    assert "bass" in names and "drums" not in names
    lineage = tuple(g.id for g in kb.genre_lineage(result.score.genre_id))
    again = pitch_truth.voice_audio(engine, result.score, names, sample_rate=SR, seed=3, genre_lineage=lineage)
    assert set(again) == set(names)
    for name in names:
        np.testing.assert_array_equal(again[name], handed[name])


def test_clear_attacks_include_a_plucked_double_bass_line() -> None:
    """A double bass walking a bass line is plucked (GM 32): its notes count; a cello or a pad does not."""

    def track(instrument: str, role: str, program: int) -> Track:
        return Track(name=role, role=role, instrument_id=instrument, preset=instrument,  # type: ignore[arg-type]
                     gm_program=program, is_drum=False)

    assert pitch_truth.clear_attack(track("double_bass", "bass", 32), "strings")
    assert not pitch_truth.clear_attack(track("cello", "bass", 42), "strings")
    assert not pitch_truth.clear_attack(track("violin", "lead", 40), "strings")
    assert pitch_truth.clear_attack(track("piano", "harmony", 0), "keyboard")
    assert not pitch_truth.clear_attack(track("piano", "pad", 0), "keyboard")


def test_the_instrument_alone_plays_each_pitch_once_apart() -> None:
    """The ceiling's part: each pitch the track plays, once, in the order it first plays it, with silence between
    (nothing rings into the next note), at the part's median velocity; the track itself is left as it was."""
    notes = [Note(0.1 * i, 0.5, p, v) for i, (p, v) in enumerate([(60, 50), (64, 90), (60, 70), (67, 100), (64, 80)])]
    track = Track(name="harmony", role="harmony", instrument_id="piano", preset="piano", gm_program=0, is_drum=False,
                  notes=notes)
    alone = pitch_truth.alone_track(track)
    assert [n.pitch for n in alone.notes] == [60, 64, 67]
    assert {n.velocity for n in alone.notes} == {80}
    gaps = [b.start_s - a.end_s for a, b in zip(alone.notes, alone.notes[1:], strict=False)]
    assert all(gap >= 0.3 for gap in gaps)
    assert track.notes == notes and alone.instrument_id == "piano" and alone.gm_program == 0


@needs_scorer
def test_the_instrument_alone_is_transcribed_through_the_parts_own_voice() -> None:
    """A synth lead (DDSP: one clean harmonic tone per note) alone, through the voice the engine gives the part, is
    heard as written."""
    from engine import Engine
    from engine.score import Score

    engine = Engine(device="cpu")
    track = Track(name="lead", role="lead", instrument_id="synth_lead", preset="synth_lead", gm_program=80,
                  is_drum=False, notes=[Note(s, e - s, p, 100) for s, e, p in LINE])
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=9, key_mode="minor", key_is_minor=True,
                  genre_id="synthwave", duration_s=4.0, bar_s=2.0, step_s=0.125, tracks=[track])
    assert pitch_truth.alone_f1(engine, score, track, sample_rate=SR, genre_lineage=("synthwave",)) >= 0.85


def test_a_line_heard_at_its_pitch_and_an_octave_away() -> None:
    """YIN's second opinion on a line: a plucked line at its written pitch agrees; the same line sounded an octave
    low (a voice whose strongest periodicity is a sub-octave) is named an octave away; a chord part is no line."""
    track = Track(name="bass", role="bass", instrument_id="bass_guitar", preset="bass", gm_program=33, is_drum=False,
                  notes=[Note(s, e - s, p - 12, 100) for s, e, p in LINE])
    notes = [(s, e, p - 12) for s, e, p in LINE]
    right = pitch_truth.line_agreement(track, _plucked(notes, 4.0), SR, duration_s=4.0)
    assert right is not None and right.frames > 50
    assert right.at_written >= 0.9 and right.octave_away <= 0.05
    low = pitch_truth.line_agreement(track, _plucked(notes, 4.0, octave=-12), SR, duration_s=4.0)
    assert low is not None and low.at_written <= 0.1 and low.octave_away >= 0.9
    chords = Track(name="harmony", role="harmony", instrument_id="piano", preset="piano", gm_program=0, is_drum=False,
                   notes=track.notes)
    assert pitch_truth.line_agreement(chords, _plucked(notes, 4.0), SR, duration_s=4.0) is None
