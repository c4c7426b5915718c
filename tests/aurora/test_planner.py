"""Structural plans for 5 s to 10 min in 3/4, 4/4 and 6/8: whole bars, ratios summing to 1, energy,
transitions and a chord progression in the key."""

from __future__ import annotations

import pytest

from aurora import Aurora, PlanParameters
from aurora.planner import music_bars, seconds_per_bar
from knowledge_base import KnowledgeBase
from knowledge_base.theory import parse_chord, parse_key_label, scale_pitch_classes


@pytest.mark.parametrize("duration_s", [5.0, 30.0, 600.0])
@pytest.mark.parametrize("meter", ["3/4", "4/4", "6/8"])
def test_plan_shapes(aurora: Aurora, kb: KnowledgeBase, duration_s: float, meter: str) -> None:
    params = PlanParameters(genre="pop", mood="happy", tempo_bpm=120, duration_seconds=duration_s,
                            key="G major", time_signature=meter)
    result = aurora.plan(parameters=params)
    plan = result.structural_plan
    bar_s = seconds_per_bar(120, meter)
    assert plan.total_bars == music_bars(duration_s, bar_s)  # whole bars before the ring-out, as the engine counts
    if duration_s >= 30:
        assert all(s.bars >= 4 for s in plan.sections if s.name not in ("intro", "outro"))
    assert sum(s.bars for s in plan.sections) == plan.total_bars
    assert sum(s.duration_ratio for s in plan.sections) == pytest.approx(1.0, abs=1e-6)
    assert sum(s.duration_s for s in plan.sections) == pytest.approx(duration_s, abs=1e-3)
    starts = [s.start_s for s in plan.sections]
    assert starts == sorted(starts) and starts[0] == 0
    for s in plan.sections:
        assert s.start_s / bar_s == pytest.approx(round(s.start_s / bar_s), abs=1e-6)  # on a bar line
        assert len(s.chords) == s.bars
        assert 0 <= s.energy_level <= 1
    assert len(plan.transitions) == len(plan.sections) - 1
    assert {t.type for t in plan.transitions} <= {"build", "drop", "fade", "cut", "fill", "none"}
    if duration_s >= 600:
        assert max(s.bars for s in plan.sections) <= 48
    key = parse_key_label("G major", kb.chords)
    assert key is not None
    scale = set(scale_pitch_classes(key, kb.chords))
    for chord in plan.chord_progression.chords:
        parsed = parse_chord(chord, kb.chords)
        assert parsed is not None and parsed.root_pc in scale
    assert len(plan.chord_progression.roman_numerals) == len(plan.chord_progression.chords)
    assert result.aurora_metadata is not None and result.aurora_metadata.module == "structural_planner"


def test_stated_chords_are_kept(aurora: Aurora) -> None:
    params = PlanParameters(genre="jazz", mood="relaxed", tempo_bpm=90, duration_seconds=30,
                            chords=["Dm7", "G7", "Cmaj7"])
    plan = aurora.plan(parameters=params).structural_plan
    assert plan.chord_progression.chords == ["Dm7", "G7", "Cmaj7"]
    assert plan.chord_progression.roman_numerals == ["ii7", "V7", "Imaj7"]


def test_energy_follows_form(aurora: Aurora) -> None:
    params = PlanParameters(genre="house", mood="euphoric", tempo_bpm=124, duration_seconds=180,
                            structure="edm_build_drop")
    plan = aurora.plan(parameters=params).structural_plan
    drops = [s for s in plan.sections if "drop" in s.name]
    assert drops and max(s.energy_level for s in drops) == max(s.energy_level for s in plan.sections)
    assert any(t.type == "drop" for t in plan.transitions)


def test_unknown_genre_falls_back_with_warning(aurora: Aurora) -> None:
    result = aurora.plan(parameters=PlanParameters(genre="zzzz", mood="", tempo_bpm=100, duration_seconds=20))
    assert result.warnings and result.structural_plan.sections


def test_minor_key_keeps_a_minor_progression(aurora: Aurora) -> None:
    """A bossa nova in A minor plays a minor ii-V-i, not the major one the genre lists first."""
    plan = aurora.plan(parameters=PlanParameters(genre="bossa nova", mood="relaxed", tempo_bpm=130,
                                                 duration_seconds=30, key="A minor")).structural_plan
    assert (plan.chord_progression.key, plan.chord_progression.mode) == ("A", "minor")
    assert "Amaj7" not in plan.chord_progression.chords and "Bm7" not in plan.chord_progression.chords
    assert any(c.startswith("Am") for c in plan.chord_progression.chords)


def test_cadences_follow_the_section_role(aurora: Aurora) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre="pop", mood="happy", tempo_bpm=100, duration_seconds=180,
                                                 key="C major", structure="verse_chorus")).structural_plan
    by_name = {s.name: s for s in plan.sections}
    assert by_name["verse"].chords[-1] == "G"  # half cadence
    assert by_name["chorus"].chords[-2:] == ["G", "C"]  # authentic cadence
    assert plan.sections[-1].chords[-1] == "C"
    verse, bridge = by_name["verse"].chords, by_name["bridge"].chords
    assert sum(a != b for a, b in zip(verse, bridge, strict=False)) >= len(bridge) / 2  # the bridge contrasts
    tonic_share = sum(c == "C" for s in plan.sections for c in s.chords) / plan.total_bars
    assert tonic_share <= 0.5


def test_a_short_clip_plays_a_short_form(aurora: Aurora) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre="pop", mood="happy", tempo_bpm=120, duration_seconds=30,
                                                 structure="verse_chorus")).structural_plan
    assert [s.name for s in plan.sections if s.name != "intro"] == ["verse", "chorus"]
    assert all(s.bars >= 4 for s in plan.sections if s.name != "intro")


def test_stated_chords_play_as_written(aurora: Aurora) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre="metal", mood="dark", tempo_bpm=160, duration_seconds=30,
                                                 key="E minor", chords=["Em", "F", "Em"])).structural_plan
    assert {c for s in plan.sections for c in s.chords} == {"Em", "F"}  # the Phrygian bII is kept
