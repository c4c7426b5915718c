"""Plans on the phrase grid (a tag ending takes the odd bars) and in a stated mode (every chord in the mode)."""

from __future__ import annotations

import itertools

import pytest

from aurora import Aurora, PlanParameters
from aurora.harmony_plan import is_edge
from knowledge_base import KnowledgeBase
from knowledge_base.theory import parse_chord, parse_key_label, scale_pitch_classes


@pytest.mark.parametrize(("genre", "tempo_bpm", "meter", "duration_s"), [
    ("cumbia", 95, "2/4", 30.0),    # 23 bars: was a 5-bar intro
    ("tango", 116, "2/4", 30.0),    # 26 bars, an AB form: was a 14-bar B
    ("boom_bap", 88, "4/4", 30.0),  # 9 bars: was a 5-bar verse
    ("baroque", 101, "3/4", 30.0),  # 15 bars: was a 7-bar B
    ("house", 124, "4/4", 30.0),
])
def test_odd_bars_close_the_piece(aurora: Aurora, kb: KnowledgeBase, genre: str, tempo_bpm: float, meter: str,
                                  duration_s: float) -> None:
    """A duration rarely fills whole phrases: the bars left over close the piece as a tag ending (the band plays
    the last cadence and lands on the final chord) instead of stretching an intro or a section off the grid."""
    params = PlanParameters(genre=genre, mood="happy", tempo_bpm=tempo_bpm, duration_seconds=duration_s,
                            time_signature=meter)
    plan = aurora.plan(parameters=params).structural_plan
    shape = [(s.name, s.bars) for s in plan.sections]
    mains = [s for s in plan.sections if not is_edge(s.name)]
    assert all(s.bars % 4 == 0 for s in mains), shape
    assert all(s.bars in (1, 2, 4, 6, 8) for s in plan.sections if s.name == "intro"), shape
    last = plan.sections[-1]
    if last.name == "ending":
        assert 1 <= last.bars <= 3, shape
        key = parse_key_label(f"{plan.chord_progression.key} {plan.chord_progression.mode}", kb.chords)
        final = parse_chord(last.chords[-1], kb.chords)
        assert key is not None and final is not None and final.root_pc == key.tonic_pc, (shape, last.chords)


@pytest.mark.parametrize(("genre", "key"), [
    ("flamenco", "E phrygian"),        # was Em D C B (the minor key's i bVII bVI V: F# and D# the mode has not)
    ("heavy_metal", "E phrygian"),     # its half cadence was a B major the mode has not
    ("alternative_rock", "E mixolydian"),  # was C#m A E B: no bVII in the genre's progressions
    ("pop", "G mixolydian"),
    ("celtic", "A dorian"),
    ("pop", "D dorian"),
])
@pytest.mark.parametrize("duration_s", [30.0, 120.0])
def test_a_modal_key_sounds_its_mode(aurora: Aurora, kb: KnowledgeBase, genre: str, key: str,
                                     duration_s: float) -> None:
    """Every chord of a plan in a stated mode stays inside the mode's scale (the Spanish phrygian's major tonic
    aside: flamenco's Am G F E), bridges and cadences included."""
    plan = aurora.plan(parameters=PlanParameters(genre=genre, mood="", tempo_bpm=110, duration_seconds=duration_s,
                                                 key=key)).structural_plan
    mode_key = parse_key_label(key, kb.chords)
    assert mode_key is not None
    scale = set(scale_pitch_classes(mode_key, kb.chords))
    for section in plan.sections:
        for symbol in section.chords:
            chord = parse_chord(symbol, kb.chords)
            assert chord is not None
            if chord.root_pc == mode_key.tonic_pc and mode_key.mode == "phrygian":
                continue
            assert set(chord.pitch_classes(kb.chords)) <= scale, (section.name, section.chords)
    if genre == "flamenco":  # the Andalusian cadence lands on the major tonic
        assert any(c == "E" for s in plan.sections for c in s.chords)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_dominant_seventh_is_no_extended_chord_harmony(aurora: Aurora, seed: int) -> None:
    """A march's I IV V7 I is functional harmony: a stated heroic mood plays its bVI bVII I there (a genre whose
    every progression has a V7 was read as one whose harmony is its extended chords, as jazz's, and kept it)."""
    plan = aurora.plan(parameters=PlanParameters(genre="march", mood="triumphant", moods=["triumphant"],
                                                 tempo_bpm=112, duration_seconds=30, key="Bb major",
                                                 seed=seed)).structural_plan
    chords = {c for s in plan.sections for c in s.chords}
    assert "Ab" in chords, chords  # the bVII in Bb


@pytest.mark.parametrize(("duration_s", "choruses", "longer"), [
    (30.0, 1, True),    # 10 bars fit: the chorus was cut to 10 (its IV and turnaround lost); now whole, 33 s
    (40.0, 1, False),   # 14 bars: was one 14-bar "chorus"; now 12 and a 2-bar tag ending
    (90.0, 2, False),
    (20.0, 0, False),   # 7 bars: too short for a whole chorus, played as a fragment at the asked length
])
def test_a_twelve_bar_blues_is_played_in_whole_choruses(aurora: Aurora, kb: KnowledgeBase, duration_s: float,
                                                         choruses: int, longer: bool) -> None:
    params = PlanParameters(genre="blues", mood="", tempo_bpm=96.0, duration_seconds=duration_s, key="A blues",
                            structure="12-Bar Blues")
    result = aurora.plan(parameters=params)
    plan = result.structural_plan
    shape = [(s.name, s.bars) for s in plan.sections]
    mains = [s for s in plan.sections if not is_edge(s.name) and s.name != "ending"]
    assert sum(1 for s in mains if s.bars == 12) == choruses, shape
    assert all(s.bars == 12 for s in mains) or choruses == 0, shape
    assert (plan.duration_s > duration_s) == longer
    assert plan.total_bars == sum(s.bars for s in plan.sections)
    final = parse_chord(plan.sections[-1].chords[-1], kb.chords)
    assert final is not None and final.root_pc == 9, shape  # the piece lands on A (a 2-bar tag had ended on D7)
    if longer:
        assert any("whole" in w for w in result.warnings)


@pytest.mark.parametrize(("genre", "tempo_bpm", "meter"), [
    ("folk", 104, "4/4"),       # strophic: 24-bar verses of one 4-bar loop
    ("polka", 130, "2/4"),      # binary: 96-bar strains
    ("klezmer", 120, "4/4"),    # ternary: a 44-bar A
    ("deep_house", 122, "4/4"),  # loop-based: 28-bar loops
])
def test_a_long_piece_repeats_its_strophes(aurora: Aurora, genre: str, tempo_bpm: float, meter: str) -> None:
    """A 3-minute piece in a form of repeated strophes, strains or loops plays more of them, none past 16 bars."""
    params = PlanParameters(genre=genre, mood="", tempo_bpm=tempo_bpm, duration_seconds=180.0, time_signature=meter)
    plan = aurora.plan(parameters=params).structural_plan
    shape = [(s.name, s.bars) for s in plan.sections]
    assert all(s.bars <= 16 for s in plan.sections), shape
    assert any("(2)" in s.name for s in plan.sections), shape


def test_an_arc_form_keeps_one_climax(aurora: Aurora) -> None:
    params = PlanParameters(genre="epic_trailer", mood="", tempo_bpm=140, duration_seconds=180.0)
    plan = aurora.plan(parameters=params).structural_plan
    assert sum(1 for s in plan.sections if s.name.startswith("climax")) == 1, [(s.name, s.bars) for s in plan.sections]


def test_a_short_clip_keeps_its_length(aurora: Aurora) -> None:
    """Only a form longer than a phrase is played whole: a 10 s clip of 3 bars stays 10 s (a 4-bar phrase is no
    form the listener counts)."""
    params = PlanParameters(genre="lofi_hip_hop", mood="", tempo_bpm=75, duration_seconds=10.0)
    assert aurora.plan(parameters=params).structural_plan.duration_s == 10.0


@pytest.mark.parametrize("genre", ["pop", "rock", "psychedelic_rock", "indie_rock", "country", "edm"])
@pytest.mark.parametrize(("duration_s", "tempo_bpm"), [(45.0, 104), (50.0, 104), (55.0, 104), (60.0, 104),
                                                       (60.0, 66), (45.0, 80)])
def test_a_shortened_song_never_plays_two_choruses_in_a_row(aurora: Aurora, genre: str, duration_s: float,
                                                            tempo_bpm: float) -> None:
    """A 45 s song had dropped its second verse and its bridge and played verse, chorus, chorus 2, chorus 3; with
    room for three sections only (60 s at 66 BPM: an epic power ballad) it played verse, chorus, chorus 3, and an
    EDM clip build, drop, drop 2. Two such sections are one twice as long."""
    params = PlanParameters(genre=genre, mood="", tempo_bpm=tempo_bpm, duration_seconds=duration_s)
    names = [s.name for s in aurora.plan(parameters=params).structural_plan.sections]
    roles = [n.split(" ")[0] for n in names]
    assert not any(a == b and a in ("chorus", "drop") for a, b in itertools.pairwise(roles)), names


@pytest.mark.parametrize("duration_s", [45.0, 60.0, 75.0])
def test_a_shortened_song_ends_on_its_chorus(aurora: Aurora, duration_s: float) -> None:
    """A 60 s rock ballad at 60 BPM had played verse, chorus, verse 2 and a tag: it ended on a verse."""
    params = PlanParameters(genre="rock", mood="", tempo_bpm=60, duration_seconds=duration_s)
    names = [s.name for s in aurora.plan(parameters=params).structural_plan.sections]
    mains = [n for n in names if n not in ("intro", "outro", "ending")]
    assert mains[-1].startswith("chorus"), names


def test_each_round_of_a_repeated_form_is_fuller(aurora: Aurora) -> None:
    """A 3-minute strophic song restarted its energy arc at every round of verses; now the piece keeps building."""
    params = PlanParameters(genre="folk", mood="", tempo_bpm=104, duration_seconds=180.0, structure="Strophic")
    sections = aurora.plan(parameters=params).structural_plan.sections
    first = next(s for s in sections if s.name == "verse")
    last = next(s for s in reversed(sections) if s.name.startswith("verse ("))
    assert last.energy_level > first.energy_level + 0.1, [(s.name, s.energy_level) for s in sections]


@pytest.mark.parametrize(("genre", "energy"), [("gregorian_chant", 0.2), ("doom_metal", 0.3), ("epic_trailer", 0.2)])
def test_a_clip_of_one_section_plays_at_the_piece_s_energy(aurora: Aurora, genre: str, energy: float) -> None:
    """A 30 s Gregorian chant asked at energy 0.2 was its form's climax at 0.72: with one section there is no arc."""
    params = PlanParameters(genre=genre, mood="", tempo_bpm=60, duration_seconds=20.0, energy_level=energy)
    sections = aurora.plan(parameters=params).structural_plan.sections
    mains = [s for s in sections if not is_edge(s.name) and s.name != "ending"]
    assert len(mains) != 1 or mains[0].energy_level <= 0.5, [(s.name, s.energy_level) for s in sections]


@pytest.mark.parametrize(("genre", "tempo_bpm"), [
    ("deep_house", 122), ("techno", 139), ("trance", 142), ("drum_and_bass", 174), ("uk_garage", 134),
    ("trap", 145), ("lofi_hip_hop", 85),
])
@pytest.mark.parametrize("duration_s", [120.0, 180.0])
def test_club_and_rap_forms_are_built_in_eight_bar_phrases(aurora: Aurora, genre: str, tempo_bpm: float,
                                                           duration_s: float) -> None:
    """Dance tracks are built and mixed in 8-bar phrases, rap in 16-bar verses and 8-bar hooks: a 3-minute deep
    house track had a 12-bar loop, a 6-bar intro and a 4-bar breakdown, a trance anthem a 20-bar drop. Main
    sections are whole 8-bar phrases, intros and outros whole 4-bar ones (the outro keeps the odd bars)."""
    plan = aurora.plan(parameters=PlanParameters(genre=genre, mood="", tempo_bpm=tempo_bpm,
                                                 duration_seconds=duration_s)).structural_plan
    shape = [(s.name, s.bars) for s in plan.sections]
    assert all(s.bars % 8 == 0 for s in plan.sections if not is_edge(s.name)), shape
    assert all(s.bars % 4 == 0 for s in plan.sections[:1] if s.name == "intro"), shape


@pytest.mark.parametrize(("genre", "tempo_bpm", "duration_s"), [("deep_house", 122, 60.0), ("trap", 145, 30.0)])
def test_a_clip_too_short_for_eight_bar_phrases_keeps_its_sections(aurora: Aurora, genre: str, tempo_bpm: float,
                                                                   duration_s: float) -> None:
    """A 60 s house clip (30 bars) cannot hold its six sections in 8-bar phrases: it keeps them in 4-bar ones
    (its breakdown and outro) rather than lose sections to the longer phrase."""
    plan = aurora.plan(parameters=PlanParameters(genre=genre, mood="", tempo_bpm=tempo_bpm,
                                                 duration_seconds=duration_s)).structural_plan
    wide_only = [s.name for s in plan.sections if not is_edge(s.name)]
    assert len(wide_only) >= 2 and all(s.bars % 4 == 0 for s in plan.sections if not is_edge(s.name))
