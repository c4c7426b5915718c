"""The sound bench's measurements on signals whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from bench.sound_eval import OCTAVES_HZ, octave_bands_db, share_above, stereo_stats

SR = 44100


def test_octave_bands_find_a_tone() -> None:
    t = np.arange(SR) / SR
    bands = octave_bands_db(np.sin(2 * np.pi * 1000 * t), SR)
    assert OCTAVES_HZ[int(np.argmax(bands))] == 1000.0
    assert bands.max() - np.delete(bands, int(np.argmax(bands))).max() > 40.0


def test_share_above_a_cutoff() -> None:
    t = np.arange(SR) / SR
    x = np.sin(2 * np.pi * 60 * t) + np.sin(2 * np.pi * 300 * t)  # equal power below and above 150 Hz
    assert share_above(x, SR, 150.0) == pytest.approx(0.5, abs=0.01)


def test_stereo_stats() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(SR), rng.standard_normal(SR)
    mono = stereo_stats(np.stack([a, a]))
    assert mono["correlation"] == pytest.approx(1.0) and mono["side_mid_db"] < -100 and mono["mono_loss_db"] < 1e-9
    wide = stereo_stats(np.stack([a, b]))  # unrelated channels: side = mid, 3 dB lost in mono
    assert abs(wide["correlation"]) < 0.05
    assert wide["side_mid_db"] == pytest.approx(0.0, abs=0.2)
    assert wide["mono_loss_db"] == pytest.approx(3.0, abs=0.2)


def test_pitch_summary_tells_the_timbre_from_the_part() -> None:
    """A finished stem below 0.85 counts as the timbre's when its instrument alone is below 0.85 too, and is named as
    the part's (or the mix's) when the instrument alone is heard as written."""
    from bench.sound_eval import pitch_summary

    def stem(name: str, stem_f1: float, alone_f1: float | None, clear: bool = True) -> dict[str, object]:
        return {"stem": name, "instrument": name, "clear_attack": clear, "f1": stem_f1, "stem_f1": stem_f1,
                "recall": 1.0, "best_shift": 0, "other_octave": False, "octave_doubled": 0.0,
                "f1_undoubled": stem_f1, "alone_f1": alone_f1}

    lead = {**stem("lead", 0.95, 1.0), "line_at_written": 0.97, "line_octave_away": 0.0}
    organ = {**stem("organ", 0.4, 0.35), "line_at_written": 0.0, "line_octave_away": 0.99}
    summary = pitch_summary([organ, stem("arp", 0.8, 0.97), lead, stem("pad", 0.2, None, clear=False)])
    assert summary["pitch_alone_ok (>= 0.85, clear attacks; the instrument alone, each of its pitches once)"] == "2/3"
    assert summary["pitch_below_with_instrument_alone_below (the timbre as the transcriber hears it)"] == "1/2"
    assert summary["pitch_below_with_instrument_alone_ok (what the part or mix adds)"] == ["arp:arp 0.80 (alone 0.97)"]
    assert summary["line_at_written_ok (bass and lead voices, YIN: >= 90% of frames within 50 cents of the written "
                   "note)"] == "1/2"
    away = summary["line_octave_away (YIN: most frames an octave or two from the written note)"]
    assert away == ["organ:organ 0.99"]


def test_the_unseen_prompts_are_read_and_are_not_the_dev_ones() -> None:
    from bench.sound_eval import PROMPTS, prompt_set

    unseen = prompt_set("unseen")
    assert prompt_set("dev") == PROMPTS
    assert len(unseen) >= 16 and all(text and genre and "|" not in text for text, genre in unseen)
    assert not {text for text, _ in unseen} & {text for text, _ in PROMPTS}
