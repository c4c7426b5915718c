"""A banjo picks three-finger rolls (instruments.yaml idiom: rolls): a bluegrass banjo lead held its tune's notes
(two or three a bar at 180 BPM) where a banjo player picks continuously around them."""

from __future__ import annotations

import numpy as np

from bench import music_metrics as mm
from engine.score import ChordSpan, Note, Score, Track
from engine.structure.rolls import drone_pitch, roll_steps, rolled, strings
from knowledge_base import KnowledgeBase
from tests.engine.structure.test_composition import composed, planned


def _onsets_per_bar(score: Score, track: Track) -> dict[int, int]:
    per_bar: dict[int, int] = {}
    for nt in track.notes:
        bar = mm.bar_of(score, nt.start_s)
        per_bar[bar] = per_bar.get(bar, 0) + 1
    return per_bar


def test_a_bluegrass_banjo_rolls_around_its_tune(kb: KnowledgeBase) -> None:
    score = composed(kb, planned(kb, genre="bluegrass", tempo_bpm=180, duration_s=24, meter="2/4"), genre="bluegrass",
                     instruments=("banjo",), energy=0.8)
    lead = score.track("lead")
    assert lead is not None and lead.instrument_id == "banjo"
    per_bar = _onsets_per_bar(score, lead)
    playing = [n for n in per_bar.values() if n >= 2]
    assert playing and float(np.median(playing)) >= 6  # continuous picking: eight sixteenths a 2/4 bar
    gaps = np.diff(sorted(nt.start_s for nt in lead.notes))
    assert abs(float(np.median(gaps)) - score.step_s) < 0.3 * score.step_s  # a note every sixteenth
    family, lead_range = mm.lead_range(kb, "banjo")
    assert mm.melody(score, family, lead_range)["in_range"] >= 0.95  # the rolls stay in the instrument's range


def test_a_banjo_rolls_in_a_country_song_and_a_fiddle_does_not(kb: KnowledgeBase) -> None:
    """Rolls are the banjo's, whatever the genre; a fiddle lead keeps its line."""
    plan = planned(kb, genre="country", tempo_bpm=118, duration_s=20)
    banjo = composed(kb, plan, genre="country", instruments=("banjo", "acoustic guitar"))
    lead = banjo.track("lead")
    assert lead is not None and lead.instrument_id == "banjo"
    assert float(np.median([n for n in _onsets_per_bar(banjo, lead).values() if n >= 2])) >= 12  # 16ths in 4/4
    fiddle = composed(kb, plan, genre="country", instruments=("fiddle",))
    line = fiddle.track("lead")
    assert line is not None and line.instrument_id == "violin"
    assert float(np.median(list(_onsets_per_bar(fiddle, line).values()))) <= 8


def test_the_tune_keeps_its_notes_and_a_phrase_end_rings_alone() -> None:
    step_s, bar_s = 0.1, 0.8  # 2/4: eight sixteenths a bar
    chords = [ChordSpan(0.0, 0.8, "G", 7, (7, 11, 2), 7), ChordSpan(0.8, 2.4, "D", 2, (2, 6, 9), 2)]
    tune = [Note(0.0, 0.36, 71, 110), Note(0.4, 0.76, 74, 110), Note(1.2, 0.36, 67, 110),  # legato: rolled
            Note(1.6, 0.4, 66, 110), Note(2.4, 0.4, 69, 110)]  # a rest after each: they ring alone
    out = rolled(tune, chords, step_s=step_s, bar_s=bar_s, low=55, high=79, tonic_pc=7,
                 rng=np.random.default_rng(0), beat_steps=4)
    assert all(nt in out for nt in tune)
    onsets = sorted(round(nt.start_s / step_s) for nt in out)
    assert onsets == [*range(17), 24]  # every sixteenth while the tune leads on; nothing after a phrase end
    over_d = {nt.pitch for nt in out if nt not in tune and nt.start_s > 0.8}
    assert over_d and all(p % 12 in (2, 6, 9) or p == 67 for p in over_d)  # D's chord tones, and the tune's G
    assert max(nt.velocity for nt in out if nt not in tune) < 110  # the tune's notes stand out of the roll


def test_roll_strings_and_speed() -> None:
    assert drone_pitch(7, 55, 79) == 67 and drone_pitch(9, 55, 79) == 69  # G4, capoed to A4 in A
    low, mid, high = strings(71, (7, 11, 2), 67, 55, 79)  # B4 over G: the G below and the D above
    assert (low, mid, high) == (67, 71, 74)
    assert len({*strings(60, (0, 4, 7), 67, 55, 79)}) == 3 and all(55 <= p <= 79 for p in strings(56, (0, 4, 7), 60,
                                                                                                   55, 79))
    assert roll_steps(60 / 180 / 4) == 1  # sixteenths at 180 (12 a second)
    assert roll_steps(60 / 240 / 4) == 2  # eighths where sixteenths would be 16 a second


def test_a_banjo_backing_a_fiddle_rolls_over_the_chords(kb: KnowledgeBase) -> None:
    """A banjo behind a fiddle's tune chopped or strummed the groove's chords; it backs up with rolls."""
    score = composed(kb, planned(kb, genre="americana", tempo_bpm=100, duration_s=20), genre="americana",
                     instruments=("harmonica", "banjo"))
    harmony = score.track("harmony")
    assert harmony is not None and harmony.instrument_id == "banjo"
    onsets = sorted({round(nt.start_s / score.step_s) for nt in harmony.notes})
    assert len(onsets) >= 0.8 * (onsets[-1] - onsets[0])  # a note on (nearly) every sixteenth, not chords
    drone = drone_pitch(score.key_tonic_pc, 55, 79) % 12
    for chord in score.chords:  # the chord's tones, and the drone (a note's human timing: up to 50 ms early)
        inside = [nt for nt in harmony.notes if chord.start_s - 0.05 <= nt.start_s < chord.start_s + chord.duration_s
                  - 0.05]
        assert inside and all(nt.pitch % 12 in (*chord.pitch_classes, drone) for nt in inside)
