"""The pitch probe's bookkeeping: presets as typed on its command line, and where heard notes come from."""

from __future__ import annotations

import pytest

from bench.pitch_probe import Preset, extra_notes


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
