"""The planner turns a piece's mood ("starts sad and ends hopeful"): its last sections move to the relative key of
the asked mode, with that mode's progressions and a close on its tonic; where it cannot turn it says why."""

from __future__ import annotations

from aurora import Aurora
from aurora.arrangement_plan import halved_main, turning_point
from aurora.contracts import StructuralPlan
from knowledge_base import KnowledgeBase
from knowledge_base.schema import StructureSection
from knowledge_base.theory import parse_chord, parse_key_label


def plan_of(aurora: Aurora, prompt: str, duration_s: float = 60.0) -> tuple[StructuralPlan, list[str]]:
    result = aurora.process(prompt=prompt, duration_s=duration_s, seed=0)
    return result.plan.structural_plan, list(result.plan.warnings)


def test_the_last_sections_turn_to_the_relative_major_and_close_on_its_tonic(aurora: Aurora,
                                                                            kb: KnowledgeBase) -> None:
    plan, _ = plan_of(aurora, "pop song that goes from melancholy to happy")
    home = parse_key_label(f"{plan.chord_progression.key} {plan.chord_progression.mode}", kb.chords)
    assert home is not None and home.is_minor
    turned = [s for s in plan.sections if s.key]
    assert turned and plan.sections[0].key is None  # it starts at home
    assert turned[-1] is plan.sections[-1]  # and stays turned to the end
    target = parse_key_label(turned[0].key, kb.chords)
    assert target is not None and not target.is_minor and target.tonic_pc == (home.tonic_pc + 3) % 12
    last = parse_chord(plan.sections[-1].chords[-1], kb.chords)
    assert last is not None and last.root_pc == target.tonic_pc
    first = parse_chord(turned[0].chords[0], kb.chords)  # a key arrived at is heard from its tonic
    assert first is not None and first.root_pc == target.tonic_pc


def test_a_key_already_in_the_end_mode_does_not_turn_and_says_so(aurora: Aurora) -> None:
    plan, warnings = plan_of(aurora, "pop song in C major that starts sad and ends hopeful")
    assert not any(s.key for s in plan.sections)
    assert any("turn to major is not played" in w for w in warnings)


def test_a_form_of_one_main_section_is_halved_so_the_mood_can_turn() -> None:
    verse = StructureSection(name="verse", ratio=0.8, energy=0.5, description="")
    intro = StructureSection(name="intro", ratio=0.2, energy=0.3, description="")
    assert [s.name for s in halved_main([intro, verse], edges=True)] == ["intro", "verse", "verse 2"]
    assert [s.name for s in halved_main([intro, verse], edges=False)] == ["verse", "verse 2"]


def test_the_turn_is_the_last_chorus_else_the_second_half() -> None:
    assert turning_point(["intro", "verse", "chorus", "verse 2", "chorus 2", "outro"], [4, 8, 8, 8, 8, 4]) == 4
    assert turning_point(["build", "climax"], [4, 4]) == 1
    assert turning_point(["loop A", "breakdown", "loop A2", "ending"], [8, 4, 4, 1]) == 2
    assert turning_point(["verse"], [8]) is None
