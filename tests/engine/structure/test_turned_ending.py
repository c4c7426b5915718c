"""A section in the relative key of the other mode (a mood's turn: A minor to C major) is composed in the home scale
but closes on its own tonic, is not a restatement of the home-key section of its name, and the piece rings out on
the new tonic (engine/structure/modulation.py turned_tonic and last_tonic, melody.py ``centre``)."""

from __future__ import annotations

from engine import Engine
from engine.structure.modulation import turned_tonic
from knowledge_base import KnowledgeBase, theory
from tests.engine.conftest import make_controls, make_plan


def test_only_a_relative_key_of_the_other_mode_is_a_turn(kb: KnowledgeBase) -> None:
    home = theory.key_of(9, "minor", kb.chords)  # A minor
    assert turned_tonic("C major", home, kb.chords) == 0
    assert turned_tonic(None, home, kb.chords) is None
    assert turned_tonic("A minor", home, kb.chords) is None  # home
    assert turned_tonic("Bb minor", home, kb.chords) is None  # a key change up a half step: moved, not turned


def test_a_turned_end_closes_and_rings_on_the_new_tonic(engine: Engine, kb: KnowledgeBase) -> None:
    plan = make_plan(tempo_bpm=100.0, duration_s=22.0, key="A minor", chords=("Am", "F", "C", "E"),
                     sections=(("chorus", 0.5, 0.6), ("chorus 2", 0.5, 0.7)))
    plan["sections"][0]["chords"] = ["Am", "F", "C", "E"]
    plan["sections"][1].update(chords=["C", "F", "G", "C"], key="C major")
    result = engine.render(plan=plan, **make_controls(kb, tempo_bpm=100.0, genre="pop"), duration_s=22.0,
                           sample_rate=22050, seed=0)
    score = result.score
    lead, bass = score.track("lead"), score.track("bass")
    assert lead is not None and bass is not None
    second = score.sections[1]
    music_end_s = second.start_s + second.duration_s
    melody = [n for n in lead.notes if n.start_s < music_end_s - 0.1]  # the ring-out, humanised early, aside
    assert melody[-1].pitch % 12 == 0  # the turned chorus closes on C, not on the home A
    ring = [n for n in bass.notes if n.start_s >= music_end_s - 0.1]
    assert ring and ring[-1].pitch % 12 == 0  # the ring-out is the C chord
    first_tune = [n.pitch for n in lead.notes if n.start_s < second.start_s - 0.1]
    second_tune = [n.pitch for n in melody if n.start_s >= second.start_s - 0.1]
    assert first_tune[: len(second_tune)] != second_tune[: len(first_tune)]  # rewritten, not restated over C F G C


def test_the_ring_out_is_the_last_chord_as_written_on_the_tonic(engine: Engine, kb: KnowledgeBase) -> None:
    """A blues ending on E7 had rung an E minor triad (its blue third against the chord's G#); a minor piece's
    Picardy A major had rung A minor."""
    for key, chords, ring in (("E blues", ("E7", "A7", "B7", "E7"), {4, 8, 11, 2}),
                              ("A minor", ("Am", "Dm", "E", "A"), {9, 1, 4})):
        plan = make_plan(tempo_bpm=100.0, duration_s=12.0, key=key, chords=chords,
                         sections=(("verse", 1.0, 0.6),))
        plan["sections"][0]["chords"] = list(chords)
        score = engine.render(plan=plan, **make_controls(kb, tempo_bpm=100.0, genre="blues"), duration_s=12.0,
                              sample_rate=22050, seed=0).score
        end_s = score.chords[-1].start_s + score.chords[-1].duration_s
        rung = {n.pitch % 12 for t in score.tracks if not t.is_drum for n in t.notes if n.start_s >= end_s - 0.1}
        assert rung and rung <= ring and score.chords[-1].root_pc in rung
