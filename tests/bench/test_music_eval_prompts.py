"""The music bench's prompt sets and its measurements on scores whose answers are known."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from bench import music_detectors as md
from bench import music_metrics as mm
from bench.music_eval import DEV_PROMPTS, LONG, QUICK, SEED_SUBSET, UNSEEN_PROMPTS, criteria, read_prompts
from bench.plots import save_pictures
from engine.score import ChordSpan, Note, Score, SectionSpan, Track
from knowledge_base import KnowledgeBase


def test_prompt_sets_are_user_style_and_cover_the_ground(kb: KnowledgeBase) -> None:
    dev, unseen = read_prompts(DEV_PROMPTS), read_prompts(UNSEEN_PROMPTS)
    assert len(dev) >= 40 and len(unseen) >= 20
    assert not {p["text"] for p in dev} & {p["text"] for p in unseen}
    for p in dev + unseen:
        assert all(kb.find_instrument(i) is not None for i in p["inst"]), p
        assert p["tempo"] is None or 60 <= p["tempo"] <= 200
    both = dev + unseen
    assert {"3/4", "6/8", "7/8"} <= {p["meter"] for p in both}
    tempi = [p["tempo"] for p in both if p["tempo"]]
    assert min(tempi) <= 60 and max(tempi) >= 200
    texts = " ".join(p["text"] for p in both)
    assert re.search(r"Key: [A-G]", texts) and re.search(r"\bin [A-G]#", texts) and " w/ " in texts  # as typed
    assert max(QUICK + LONG + SEED_SUBSET) < len(dev)


def _score() -> Score:
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major", key_is_minor=False,
                  genre_id="jazz", duration_s=8.0, bar_s=2.0, step_s=0.125)
    score.sections = [SectionSpan("verse", 0.0, 4.0, 0, 2, 0.5), SectionSpan("chorus", 4.0, 4.0, 2, 2, 0.8)]
    spans = [("Dm7", 2, (2, 5, 9, 0)), ("G7", 7, (7, 11, 2, 5)), ("Cmaj7", 0, (0, 4, 7, 11))]
    score.chords = [ChordSpan(0.0, 1.0, *spans[0][:2], spans[0][2], spans[0][1]),
                    ChordSpan(1.0, 1.0, *spans[1][:2], spans[1][2], spans[1][1]),
                    ChordSpan(2.0, 6.0, *spans[2][:2], spans[2][2], spans[2][1])]
    bass = Track("bass", "bass", "double_bass", "bass", 32, False)
    bass.notes = [Note(0.0, 1.0, 38, 90), Note(1.0, 1.0, 43, 90), Note(2.0, 2.0, 36, 90), Note(4.0, 2.0, 36, 90)]
    pad = Track("pad", "pad", "synth_pad", "pad", 89, False)
    pad.notes = [Note(3.98, 2.0, 60, 70)]  # played just ahead of the chorus' downbeat
    score.tracks = [bass, pad]
    return score


def test_harmony_measures_chords_within_the_bar(kb: KnowledgeBase) -> None:
    score = _score()
    plan = {"chord_progression": {"chords": ["Dm7", "G7", "Cmaj7"]}}
    h = mm.harmony(score, plan, [])
    assert h["chords_per_bar"] == 1.5 and h["chord_roots_heard"] == 1.0 and h["ii_v_kept"] is True
    assert h["tonic_share"] == 0.75
    score.tracks[0].notes[1] = Note(1.0, 1.0, 45, 90)  # the G7 is not played: its root is not heard
    h = mm.harmony(score, plan, [])
    assert h["chord_roots_heard"] < 1.0
    assert mm.ii_v_kept(["Dm7", "G7"], ["Dm7", "C", "G7"], kb) is False


def test_a_mood_colour_is_read_from_the_sounding_chords(kb: KnowledgeBase) -> None:
    """C minor: a Db (bII) is horror's colour, a Dbm is not; heroism's bVII is a Bb major chord; a mood with no
    harmony of its own is not measured."""
    score = _score()
    score.key_tonic_pc, score.key_mode, score.key_is_minor = 0, "minor", True
    score.chords = [ChordSpan(0.0, 2.0, "Cm", 0, (0, 3, 7), 0), ChordSpan(2.0, 2.0, "Dbm", 1, (1, 4, 8), 1)]
    assert mm.mood_colour_sounds(score, kb, "scary") is False
    score.chords.append(ChordSpan(4.0, 2.0, "Db", 1, (1, 5, 8), 1))
    assert mm.mood_colour_sounds(score, kb, "scary") is True
    assert mm.mood_colour_sounds(score, kb, "heroic") is False
    score.chords.append(ChordSpan(6.0, 2.0, "Bb", 10, (10, 2, 5), 10))
    assert mm.mood_colour_sounds(score, kb, "heroic") is True
    assert mm.mood_colour_sounds(score, kb, "happy") is None and mm.mood_colour_sounds(score, kb, None) is None
    assert {p["mood"] for p in read_prompts(DEV_PROMPTS)} - {None} <= {m.id for m in kb.moods if m.colour}


def test_a_key_change_is_read_from_the_sections_and_their_notes(kb: KnowledgeBase) -> None:
    score = _score()
    assert mm.key_change_played(score, kb, None) is None and mm.key_change_played(score, kb, "D major") is False
    score.sections[1] = SectionSpan("chorus", 4.0, 4.0, 2, 2, 0.8, "D major")
    assert mm.key_change_played(score, kb, "D major") is False  # the bass still plays C (36) there
    score.tracks[0].notes[-1] = Note(4.0, 2.0, 38, 90)
    score.tracks[1].notes = [Note(4.0, 2.0, 66, 70)]
    assert mm.key_change_played(score, kb, "D major") is True


def test_a_straight_anticipation_is_not_read_as_swing() -> None:
    """A tumbao's notes on the 'a' of the beat, humanised a few ms early, read as eighths swung 100 ms late."""
    score = _score()
    bass = score.tracks[0]
    bass.notes = [Note(b * 0.5 + d, 0.1, 36, 90) for b in range(16) for d in (0.0, 0.375 - 0.004)]
    assert mm.feel(score)["bass"]["offbeat_delay_ms"] is None  # no off-beat eighths at all
    bass.notes += [Note(b * 0.5 + 0.25 + 0.08, 0.1, 36, 90) for b in range(16)]  # eighths swung 80 ms
    assert abs(mm.feel(score)["bass"]["offbeat_delay_ms"] - 80.0) < 1.0


def test_chorus_parts_count_a_downbeat_played_ahead() -> None:
    score = _score()
    lift = mm.chorus_lift(score, np.zeros((2, 8 * 8000)), 8000)
    assert lift["chorus_extra_parts"] == 1


def test_one_picture_helper_draws_roll_and_spectrogram(tmp_path: Path) -> None:
    result = SimpleNamespace(score=_score(), mix=np.random.default_rng(0).standard_normal((2, 22050)) * 0.1,
                             sample_rate=22050)
    save_pictures(result, tmp_path / "x")
    assert (tmp_path / "x.pianoroll.png").stat().st_size > 1000
    assert (tmp_path / "x.spectrogram.png").stat().st_size > 1000


def test_a_strum_is_one_onset_in_the_timing_scatter() -> None:
    """A 36 ms strum on every beat, each strike on time: the spread of its strings is the strum's shape, not the
    player's timing scatter (it used to read as 13-15 ms of scatter in every strummed genre)."""
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major", key_is_minor=False,
                  genre_id="folk", duration_s=8.0, bar_s=2.0, step_s=0.125)
    notes = [Note(beat * 0.5 + 0.012 * k, 0.4, 52 + 5 * k, 80) for beat in range(16) for k in range(4)]
    score.tracks = [Track("harmony", "harmony", "acoustic_guitar", "guitar", 25, False, notes=notes)]
    assert len(mm.strike_onsets(score.tracks[0])) == 16
    assert mm.feel(score)["harmony"]["scatter_ms"] < 0.5


def test_melody_endings_count_a_downbeat_played_ahead() -> None:
    """A section's ending is its own last note: the next section's first note, played 12 ms ahead of the bar line
    (human timing), and the ringing final note at the last bar line are not it (they were read as the verse's
    and the chorus's endings: both on the tonic, where the lead closed on the 7th and the 3rd)."""
    score = _score()
    notes = [Note(0.0, 0.5, 64, 90), Note(3.0, 0.9, 71, 90),  # the verse closes on B, the 7th
             Note(4.0 - 0.012, 0.5, 72, 90), Note(7.0, 0.9, 64, 90),  # the chorus opens on C, closes on E
             Note(8.0 - 0.01, 1.0, 72, 90)]  # the final tonic rings from the last bar line
    score.tracks = [Track("lead", "lead", "flute", "flute", 73, False, notes=notes)]
    m = mm.melody(score, "woodwind", (60, 96))
    assert m["ends_off_tonic"] == 1.0
    assert m["chorus_minus_verse"] == (72 + 64) / 2 - (64 + 71) / 2


def _row(melody: dict[str, object]) -> dict[str, object]:
    """A bench row with only what ``criteria`` reads, the melody measured on a real score."""
    harmony = {"tonic_share": 0.3, "progression_chords": 3, "planned_roots_sound": 1.0, "chord_roots_heard": 1.0,
               "ii_v_kept": None, "stated_chords_kept": None, "bridge_differs": None, "section_ends_on_V": False}
    return {"prompt": "x", "genre": "pop", "harmony": harmony, "groove": {"has_drums": False},
            "instruments": {"stated": [], "silent_stems": [], "inferred_outside": []}, "feel": {},
            "melody": melody, "lra_lu": 6.0, "min_section_bars": 4, "plan_bars": 8, "score_bars": 8,
            "render_s": 0.5, "duration_s": 30.0}


def test_the_section_ending_row_beside_it_counts_renders_of_two_sections_or_more() -> None:
    """A one-section clip ends once, at the song's end, on the tonic by the rules: the first row counts it (it stays
    as it was), the second counts only the renders whose lead ends two sections or more."""
    two = _score()
    two.tracks = [Track("lead", "lead", "flute", "flute", 73, False,
                        notes=[Note(0.0, 0.5, 64, 90), Note(3.0, 0.9, 71, 90),  # the verse closes on the 7th
                               Note(4.0, 0.5, 72, 90), Note(7.0, 0.9, 72, 90)])]  # the song closes on the tonic
    one = _score()
    one.sections = [SectionSpan("bloom", 0.0, 8.0, 0, 4, 0.5)]
    one.tracks = [Track("lead", "lead", "flute", "flute", 73, False,
                        notes=[Note(0.0, 0.5, 64, 90), Note(7.0, 0.9, 72, 90)])]
    two_m, one_m = mm.melody(two, "woodwind", (60, 96)), mm.melody(one, "woodwind", (60, 96))
    assert (two_m["section_ends"], two_m["ends_off_tonic"]) == (2, 0.5)
    assert (one_m["section_ends"], one_m["ends_off_tonic"]) == (1, 0.0)
    summary = criteria([_row(two_m), _row(one_m), _row(one_m)], [], [], {})
    assert summary["melody: >= 30% section ends off the tonic"] == 1 / 3  # every render, as before
    assert summary["melody: >= 30% ends off the tonic (>= 2 sections)"] == 1.0  # the one-section clips left out
    assert criteria([_row(one_m)], [], [], {})["melody: >= 30% ends off the tonic (>= 2 sections)"] is None


def test_acc1_at_the_felt_pulse_is_beside_acc1_and_only_for_felt_grooves() -> None:
    """Drum and bass asked at 174 and read at 87 (its half-time feel, grooves.yaml data) counts at the felt pulse;
    a straight groove read at half its tempo does not, and Acc1 itself is unchanged."""
    assert md.acc1_felt(87.0, 174.0, 0.5) and not md.acc1(87.0, 174.0)
    assert not md.acc1_felt(90.0, 180.0, 1.0)  # metal at 180 read at 90: a miss either way
    assert md.acc1_felt(140.0, 140.0, 0.5)  # a half-time groove read at its tempo still counts
