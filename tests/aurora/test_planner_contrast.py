"""A contrasting section contrasts: a bridge (or a cinematic build's rise) plays another of the genre's progressions,
one that brings a chord the main loop lacks first, started off the tonic; only a genre with no other progression
turns its own loop round."""

from __future__ import annotations

from aurora import Aurora, PlanParameters
from aurora.harmony_plan import bridge_loop, section_role
from knowledge_base import KnowledgeBase
from knowledge_base.theory import parse_key_label


def test_the_bridge_brings_a_chord_the_loop_lacks(kb: KnowledgeBase) -> None:
    key = parse_key_label("C major", kb.chords)
    assert key is not None
    loop = ["C", "G", "Am", "F"]
    same_four = ["Am", "F", "C", "G"]
    assert bridge_loop(loop, [same_four, ["F", "G", "Em", "Am"]], key, kb.chords) == ["F", "G", "Em", "Am"]
    assert bridge_loop(loop, [same_four], key, kb.chords) == same_four
    # an alternative that starts on the tonic is started from another of its chords, not dropped
    assert bridge_loop(loop, [["C", "Dm", "G", "C"]], key, kb.chords) == ["Dm", "G", "C", "C"]
    assert bridge_loop(loop, [], key, kb.chords) == ["Am", "F", "C", "G"]  # no other: the loop from another degree


def test_an_epic_cue_s_rise_contrasts_with_its_build(aurora: Aurora) -> None:
    """A 3-minute epic trailer cue had played one 4-chord loop (Dm Bb C Dm) in all five sections."""
    plan = aurora.plan(parameters=PlanParameters(genre="epic_trailer", mood="epic", tempo_bpm=110,
                                                 duration_seconds=180, key="D minor", seed=0)).structural_plan
    by_name = {s.name: s for s in plan.sections}
    assert section_role("rise") == "bridge" and "rise" in by_name, [s.name for s in plan.sections]
    assert set(by_name["rise"].chords) - set(by_name["build"].chords), (by_name["build"].chords,
                                                                        by_name["rise"].chords)
    assert by_name["rise"].chords[0] != "Dm"
