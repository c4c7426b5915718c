"""Short clips and their endings: a clip one bar short of whole phrases keeps its sections, a stated key change fits
a section on each side, and the piece's last section closes on the tonic."""

from __future__ import annotations

import pytest

from aurora import Aurora, PlanParameters
from aurora.bar_grid import seconds_per_bar
from knowledge_base.limits import MIN_RING_OUT_S, music_bars


@pytest.mark.parametrize(("tempo_bpm", "duration_s", "bars"), [
    (66, 30.0, 8),  # 7 bars before the 3 s ring-out; the 8th leaves the final chord 0.9 s
    (100, 60.0, 24),  # 23: an AABA of 8, 4 and 8 bars and a 3-bar tag; now 24 with 2.4 s to ring
    (120, 30.0, 13),  # 13 bars: the 14th is no phrase's end, so the ring-out stays
])
def test_a_bar_short_of_the_phrase_grid_is_taken_from_the_ring_out(tempo_bpm: float, duration_s: float,
                                                                    bars: int) -> None:
    """A clip that fell one bar short of whole 4-bar phrases lost its verse: a 30 s piano ballad at 66 BPM was a
    4-bar chorus and a 3-bar tag."""
    bar_s = seconds_per_bar(tempo_bpm, "4/4")
    assert music_bars(duration_s, bar_s) == bars
    assert duration_s - bars * bar_s >= MIN_RING_OUT_S


def test_a_short_ballad_plays_verse_and_chorus(aurora: Aurora) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre="pop", mood="sad", tempo_bpm=66, duration_seconds=30,
                                                 key="E minor", seed=0)).structural_plan
    assert [(s.name, s.bars) for s in plan.sections] == [("verse", 4), ("chorus", 4)]


def test_a_short_clip_with_a_key_change_plays_a_section_on_each_side(aurora: Aurora) -> None:
    """A 30 s ballad at 60 BPM has 6 bars: one chorus and a tag, so a stated key change was dropped with a warning.
    It now plays a verse in the home key and the chorus in the new one, 35 s long, and says so."""
    result = aurora.plan(parameters=PlanParameters(genre="pop", mood="sad", tempo_bpm=60, duration_seconds=30,
                                                   key="C major", key_changes=["D major"]))
    sections = result.structural_plan.sections
    assert [(s.name, s.key) for s in sections] == [("verse", None), ("chorus", "D major")]
    assert 30 < result.structural_plan.duration_s <= 36
    assert any("key change needs a section before it" in w for w in result.warnings), result.warnings


def test_a_solo_that_ends_the_piece_closes_on_the_tonic() -> None:
    """A solo chorus loops like a loop-based track's loop, but the last one ends the tune: a 30 s jazz ballad's head
    and solo had ended on the solo's bVI (Gbmaj7 in Eb). A loop-based track's last loop keeps looping."""
    from aurora.harmony_plan import section_chords
    from knowledge_base import load
    from knowledge_base.theory import parse_key_label

    kb = load()
    key = parse_key_label("Eb major", kb.chords)
    assert key is not None
    loop = ["Ebmaj7", "Gbmaj7"]
    solo = section_chords(loop, "solo 1", 4, key=key, chords=kb.chords, final=True, per_bar=2)
    assert solo[-1] == "Ebmaj7" and solo[-2] != "Gbmaj7"
    assert section_chords(loop, "solo 1", 4, key=key, chords=kb.chords, final=False, per_bar=2)[-1] == "Gbmaj7"
    assert section_chords(loop, "loop A", 4, key=key, chords=kb.chords, final=True, per_bar=2)[-1] == "Gbmaj7"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_twelve_bar_form_plays_its_changes_whatever_the_genre_s_loops(aurora: Aurora, seed: int) -> None:
    """A rock and roll in its 12-bar form had drawn its doo-wop loop (A F#m D E) and played it in 8-bar "choruses";
    a form made of its changes plays them: the genre's own progression of that length, else the form's."""
    plan = aurora.plan(parameters=PlanParameters(genre="rock_and_roll", mood="happy", tempo_bpm=175,
                                                 duration_seconds=60, key="A major", structure="twelve_bar_blues",
                                                 seed=seed)).structural_plan
    assert plan.chord_progression.chords == ["A7", "D7", "A7", "A7", "D7", "D7", "A7", "A7", "E7", "D7", "A7", "E7"]
    mains = [s for s in plan.sections if s.name not in ("intro", "ending", "outro")]
    assert all(s.bars % 12 == 0 for s in mains), [(s.name, s.bars) for s in plan.sections]


def test_a_clip_too_short_for_a_chorus_keeps_the_genre_s_short_loops(aurora: Aurora) -> None:
    """A 30 s slow blues (8 bars at 72 BPM) cannot hold a 12-bar chorus: it plays a loop that reaches its V."""
    plan = aurora.plan(parameters=PlanParameters(genre="blues", mood="sad", tempo_bpm=72, duration_seconds=30,
                                                 key="A minor", structure="twelve_bar_blues")).structural_plan
    assert len(plan.chord_progression.chords) < 12
    assert any(c.startswith("E") for s in plan.sections for c in s.chords)

