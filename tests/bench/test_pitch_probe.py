"""The pitch probe's bookkeeping: presets as typed on its command line, and where heard notes come from."""

from __future__ import annotations

import pytest

from bench.pitch_probe import Preset, extra_notes
from knowledge_base import KnowledgeBase


def test_presets_parse_bank_program_transposition_and_soundfont() -> None:
    assert Preset.parse("0/16") == Preset(0, 16)
    assert Preset.parse("0/16+12") == Preset(0, 16, 12)
    assert Preset.parse("8/28-12@TimGM6mb.sf2") == Preset(8, 28, -12, "TimGM6mb.sf2")
    assert Preset.parse("0/16+12").label == "0/16+12"
    assert Preset.parse("0/33@TimGM6mb.sf2").label == "0/33@TimGM6mb.sf2"
    for bad in ("16", "0/x", "organ", "0/16+"):
        with pytest.raises(ValueError, match="bank/program"):
            Preset.parse(bad)


def test_extra_notes_say_where_each_heard_note_comes_from() -> None:
    written = [(0.0, 1.0, 60), (1.0, 0.5, 64)]
    heard = [(0.01, 1.0, 60),   # the written note
             (0.02, 0.5, 72),   # with it, an octave up (a second harmonic heard as a note)
             (0.5, 0.9, 60),    # the held key again, half-way through (a re-attack)
             (1.03, 1.4, 52),   # with the second note, an octave down
             (3.0, 3.2, 67)]    # nowhere near a written note
    assert extra_notes(written, heard) == {"match": 1, "onset +12": 1, "during +0": 1, "onset -12": 1, "gap": 1}
    assert extra_notes(written, []) == {}


def test_a_probed_part_goes_through_its_genres_channel_strip_alone(kb: KnowledgeBase) -> None:
    """``--stem``: the part as the mixer finishes it, alone: a techno lead gets its genre's tempo delay (a repeat in
    the gap after a short note), and the voice's own audio is left as it was."""
    import numpy as np

    from bench.pitch_probe import SR, through_mixer
    from engine.score import Note, Score, Track

    score = Score(tempo_bpm=150.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="techno", duration_s=1.0, bar_s=1.6, step_s=0.1)
    track = Track(name="lead", role="lead", instrument_id="synth_lead", preset="synth_lead", gm_program=81,
                  is_drum=False, notes=[Note(0.0, 0.1, 69, 100)])
    t = np.arange(SR) / SR
    audio = np.where(t < 0.1, 0.3 * np.sin(2 * np.pi * 440 * t), 0.0).astype(np.float32)
    before = audio.copy()
    stem = through_mixer(kb, score, track, audio)
    assert stem.shape == (2, SR)
    np.testing.assert_array_equal(audio, before)
    repeat = int(kb.mix_presets.for_genres(["techno"]).delay.beats * 0.4 * SR)  # 0.75 beat of 0.4 s
    assert np.abs(stem[:, repeat + 500: repeat + 3000]).max() > 0.05 * np.abs(stem[:, 500:3000]).max()
    assert np.abs(stem[:, repeat - 3000: repeat - 500]).max() < 0.01 * np.abs(stem[:, 500:3000]).max()
