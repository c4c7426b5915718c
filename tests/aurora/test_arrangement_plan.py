"""The planner honours the arrangement a prompt asks: refused sections leave the form, an asked solo is a section with
its soloist, an arc sets every section's energy on a line, and the ending goes to the engine."""

from __future__ import annotations

from aurora import Aurora
from aurora.arrangement_plan import arc_energies, arranged_template, resized_bars
from aurora.contracts import Arrangement, StructuralPlan
from knowledge_base.schema import StructureSection


def plan_for(aurora: Aurora, prompt: str, duration_s: float = 60.0) -> StructuralPlan:
    return aurora.process(prompt=prompt, duration_s=duration_s, seed=0).plan.structural_plan


def test_a_refused_drop_leaves_the_form(aurora: Aurora) -> None:
    names = [s.name for s in plan_for(aurora, "house track, no drop").sections]
    assert names and not any(n.startswith("drop") for n in names)
    assert any(n.startswith("drop") for n in (s.name for s in plan_for(aurora, "house track").sections))


def test_a_form_never_loses_all_its_main_sections() -> None:
    drops = [StructureSection(name="drop", ratio=0.5, energy=0.9, description=""),
             StructureSection(name="drop 2", ratio=0.5, energy=0.9, description="")]
    assert [s.name for s in arranged_template(drops, Arrangement(omitted_sections=["drop"]))] == ["drop", "drop 2"]


def test_an_asked_solo_is_a_section_before_the_last_chorus_with_its_soloist(aurora: Aurora) -> None:
    sections = plan_for(aurora, "rock song with a guitar solo in the middle").sections
    names = [s.name for s in sections]
    assert "solo" in names
    solo = sections[names.index("solo")]
    assert solo.lead is not None and "guitar" in solo.lead.lower() and solo.bars >= 4
    assert names[names.index("solo") + 1].startswith("chorus")
    assert solo.energy_level == max(s.energy_level for s in sections)


def test_a_drum_solo_is_a_break_for_the_drums_alone(aurora: Aurora) -> None:
    solos = [s for s in plan_for(aurora, "jazz trio with a drum solo").sections if s.lead]
    assert len(solos) == 1 and solos[0].instruments == ["Drum Kit"]


def test_an_arc_sets_the_energy_line(aurora: Aurora) -> None:
    rising = plan_for(aurora, "piano piece that starts quiet and builds to a big finish")
    energies = [s.energy_level for s in rising.sections]
    assert energies == sorted(energies) and energies[0] <= 0.2 and energies[-1] >= 0.9
    assert rising.arc == "rise"
    falling = [s.energy_level for s in plan_for(aurora, "cinematic track, starts big and winds down").sections]
    assert falling == sorted(falling, reverse=True)
    assert arc_energies(3, None) is None and arc_energies(1, "rise") == [0.95]


def test_a_rising_piece_has_no_breakdown(aurora: Aurora) -> None:
    names = [s.name for s in plan_for(aurora, "techno track that slowly builds, no drop").sections]
    assert not any(n.startswith(("breakdown", "drop")) for n in names)


def test_the_ending_goes_to_the_plan(aurora: Aurora) -> None:
    assert plan_for(aurora, "lofi beat that fades out at the end").ending == "fade_out"
    assert plan_for(aurora, "rock song that ends abruptly").ending == "cold"
    assert plan_for(aurora, "rock song").ending == "ring"


def test_late_players_rest_until_their_entry(aurora: Aurora) -> None:
    sections = plan_for(aurora, "slow intro then the drums come in, chill hip hop").sections
    assert sections[0].resting == ["Drum Kit"] and not any(s.resting for s in sections[1:])
    at_chorus = plan_for(aurora, "pop song, piano first, and the drums come in at the chorus").sections
    first = next(i for i, s in enumerate(at_chorus) if s.name.startswith("chorus"))
    assert first > 0 and all(s.resting == ["Drum Kit"] for s in at_chorus[:first])
    assert not any(s.resting for s in at_chorus[first:])


def test_players_rest_in_the_sections_named(aurora: Aurora) -> None:
    sections = plan_for(aurora, "pop song, no drums in the verse").sections
    verses = [s for s in sections if s.name.startswith("verse")]
    assert verses and all(s.resting == ["Drum Kit"] for s in verses)
    assert all(not s.resting for s in sections if not s.name.startswith("verse"))
    intro = plan_for(aurora, "no drums or bass in the intro, rock").sections[0]
    assert intro.name == "intro" and intro.resting == ["Drum Kit", "Bass Guitar"]  # the intro named is planned
    result = aurora.process(prompt="jazz ballad, no piano in the bridge", duration_s=30.0, seed=0)
    if not any(s.name.startswith(("bridge", "b")) for s in result.plan.structural_plan.sections):
        assert any("no bridge" in w for w in result.plan.warnings)  # said, never dropped silently


def test_a_seamless_loop_is_whole_phrases_with_no_edges(aurora: Aurora) -> None:
    result = aurora.process(prompt="seamless loop for a game menu, chill", duration_s=30.0, seed=0)
    plan = result.plan.structural_plan
    bar_s = 60.0 / plan.tempo_bpm * 4
    assert plan.ending == "loop" and plan.total_bars % 4 == 0
    assert abs(plan.duration_s - plan.total_bars * bar_s) < 1e-6  # every bar music, no ring-out
    assert not any(s.name.startswith(("intro", "outro", "ending")) for s in plan.sections)
    assert any("seamless loop" in w for w in result.plan.warnings)  # its length, said


def test_a_line_up_scoped_to_a_section_is_planned_there(aurora: Aurora) -> None:
    intro = plan_for(aurora, "rock song, only guitar in the intro").sections[0]
    assert intro.name == "intro" and intro.instruments == ["Electric Guitar"]
    sections = plan_for(aurora, "pop ballad with strings only in the chorus").sections
    assert all((s.resting == []) == s.name.startswith("chorus") for s in sections)


def test_soloists_take_turns_in_the_order_asked(aurora: Aurora) -> None:
    """'a sax solo and a trumpet solo': one solo section each, in that order, before the last chorus; a jazz form's
    own solo choruses go to the players named, in order."""
    sections = plan_for(aurora, "indie rock with a sax solo and a trumpet solo", 90.0).sections
    leads = [(s.name, s.lead) for s in sections if s.lead]
    assert leads == [("solo", "Saxophone"), ("solo 2", "Trumpet")]
    names = [s.name for s in sections]
    assert names[names.index("solo 2") + 1].startswith("chorus")
    jazz = plan_for(aurora, "jazz trio, bass solo, then piano solo", 90.0).sections
    assert [s.lead for s in jazz if s.lead] == ["Bass Guitar", "Piano"]
    assert len({s.name for s in jazz}) == len(jazz)  # section names stay unique


def test_a_section_asked_long_or_short_is_resized_and_the_piece_keeps_its_length() -> None:
    names = ["intro", "verse", "chorus", "verse 2", "chorus 2", "outro"]
    long_intro = resized_bars(names, [2, 8, 8, 8, 8, 4], {"intro": "long"})
    assert long_intro[0] == 8 and sum(long_intro) == 38 and all(b % 4 == 0 for b in long_intro[1:5])
    short = resized_bars(names, [4, 8, 8, 8, 8, 4], {"intro": "short"})
    assert short[0] == 2 and short[-1] == 6 and sum(short) == 40  # the freed bars go to the other edge
    tight = resized_bars(names, [2, 4, 4, 4, 4, 2], {"intro": "long"})  # no section to spare a phrase
    assert tight[0] == 6 and tight[3] == 0 and tight[4] == 4  # the second verse gives way, the last chorus stays


def test_a_long_intro_is_planned_even_where_a_clip_drops_it(aurora: Aurora) -> None:
    sections = plan_for(aurora, "pop song with an extended intro").sections
    assert sections[0].name == "intro" and sections[0].bars == 8
    assert all(s.bars >= 4 for s in sections[1:])


def test_a_song_that_starts_with_the_chorus_opens_on_it_and_comes_back_to_it(aurora: Aurora) -> None:
    names = [s.name for s in plan_for(aurora, "pop song that starts with the chorus").sections]
    assert names[0] == "chorus" and "intro" not in names
    assert names.index("verse") == 1 and [n for n in names if n.startswith("chorus")][1:] == [
        f"chorus {k}" for k in range(2, 2 + sum(n.startswith("chorus") for n in names) - 1)]
    assert not plan_for(aurora, "pop song that doesn't start with the chorus").sections[0].name.startswith("chorus")


def test_a_minor_piece_asked_to_end_on_a_major_chord_does(aurora: Aurora) -> None:
    plan = plan_for(aurora, "sad song in A minor that ends on a major chord")
    assert plan.sections[-1].chords[-1] == "A"
    assert plan_for(aurora, "sad song in A minor").sections[-1].chords[-1] != "A"
    result = aurora.process(prompt="happy pop in C, ends on a major chord", duration_s=60.0, seed=0)
    assert any("already ends in major" in w for w in result.plan.warnings)


def test_a_section_asked_in_bars_gets_them_or_says_why_not() -> None:
    names = ["intro", "build", "drop", "breakdown", "drop 2", "outro"]
    warnings: list[str] = []
    sized = resized_bars(names, [4, 8, 8, 8, 8, 4], {"intro": 16}, warnings)
    assert sized[0] == 16 and sum(sized) == 40 and not warnings
    sized = resized_bars(names, [4, 4, 4, 4, 4, 2], {"intro": 64}, warnings)
    assert sized[0] < 64 and sum(sized) == 22 and any("of the 64 bars asked" in w for w in warnings)


def test_a_picardy_third_after_a_key_change_is_the_new_key_s(aurora: Aurora) -> None:
    """A minor piece that changes key up a step and ends on a major chord ends on B, not on a warning that it was
    already major (its last section's key, B minor, had been taken for a turn to major)."""
    result = aurora.process(prompt="sad ballad in A minor, key change up a whole step for the last chorus, ends on "
                                   "a major chord", duration_s=90.0, seed=0)
    last = result.plan.structural_plan.sections[-1]
    assert last.key == "B minor" and last.chords[-1] == "B"
    assert not any("already ends in major" in w for w in result.plan.warnings)
