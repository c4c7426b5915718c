"""An sf3 expanded to sf2 once (make install) plays exactly what the sf3 plays, and loads without decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.voices.soundfonts import SF3_SEARCH, expand_sf3, expanded_path

SF3 = next((p for p in SF3_SEARCH if p.is_file()), None)
SF2 = expanded_path(SF3) if SF3 is not None else None


def test_a_file_that_is_not_a_soundfont_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.sf3"
    bad.write_bytes(b"RIFF\0\0\0\0WAVEfmt ")
    with pytest.raises(ValueError, match="not a soundfont"):
        expand_sf3(bad, tmp_path / "x.sf2")


def _play(path: Path) -> np.ndarray:
    """A piano C3 and E4 through a bare fluidsynth with dynamic loading (only the piano is read, so the sf3
    costs about a second, not its whole ~11 s decode)."""
    import fluidsynth

    synth = fluidsynth.Synth(samplerate=22050.0, **{"synth.reverb.active": 0, "synth.chorus.active": 0,
                                                    "synth.dynamic-sample-loading": 1})
    try:
        synth.program_select(0, synth.sfload(str(path)), 0, 0)
        out = []
        for pitch in (48, 64):
            synth.noteon(0, pitch, 100)
            out.append(np.asarray(synth.get_samples(8000), dtype=np.float32))
            synth.noteoff(0, pitch)
            out.append(np.asarray(synth.get_samples(3000), dtype=np.float32))
        return np.concatenate(out)
    finally:
        synth.delete()


@pytest.mark.skipif(SF2 is None or not SF2.is_file(), reason="MuseScore_General.sf3 not installed or not expanded")
def test_expanded_soundfont_plays_what_the_sf3_plays() -> None:
    assert SF3 is not None and SF2 is not None
    a, b = _play(SF3), _play(SF2)
    assert float(np.abs(a).max()) > 300  # int16 samples: audible
    np.testing.assert_allclose(a, b, atol=2)  # the same samples (int16 rounding aside)
