"""Structural plans for 5 s to 10 min in 3/4, 4/4 and 6/8: whole bars, ratios summing to 1, energy,
transitions and a chord progression in the key."""

from __future__ import annotations

from typing import Any

import pytest

from aurora import Aurora, PlanParameters
from aurora.bar_grid import seconds_per_bar
from aurora.harmony_plan import is_edge
from knowledge_base import KnowledgeBase
from knowledge_base.limits import music_bars
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
    if duration_s >= 30:  # main sections on the 4-bar phrase grid; the odd bars are an intro, outro or tag ending
        assert all(s.bars % 4 == 0 for s in plan.sections if not is_edge(s.name)), [
            (s.name, s.bars) for s in plan.sections]
    assert sum(s.bars for s in plan.sections) == plan.total_bars
    assert sum(s.duration_ratio for s in plan.sections) == pytest.approx(1.0, abs=1e-6)
    assert sum(s.duration_s for s in plan.sections) == pytest.approx(duration_s, abs=1e-3)
    starts = [s.start_s for s in plan.sections]
    assert starts == sorted(starts) and starts[0] == 0
    for s in plan.sections:
        assert s.start_s / bar_s == pytest.approx(round(s.start_s / bar_s), abs=1e-6)  # on a bar line
        assert len(s.chords) == s.bars * s.chords_per_bar
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


@pytest.mark.parametrize("genre", ["techno", "tech house", "deep house"])
def test_a_club_clip_builds_to_a_drop(aurora: Aurora, genre: str) -> None:
    """A 30 s dance clip is intro, build and drop (a loop in one section had a 2.9 LU range); the full-length
    track keeps the genre's loop form."""
    def names(duration_s: float) -> list[str]:
        return [s.name for s in aurora.plan(parameters=PlanParameters(
            genre=genre, mood="dark", tempo_bpm=130, duration_seconds=duration_s)).structural_plan.sections]
    short = names(30)
    assert "build" in short and "drop" in short and short.index("build") < short.index("drop")
    assert "loop A" in names(180)


def test_a_club_clip_asked_as_a_loop_stays_one(aurora: Aurora) -> None:
    """The drop replaces the genre's own loop form only when the form is the parser's guess, never one the words
    asked for ("a techno loop"), and through the whole pipeline."""
    def names(*, inferred: bool) -> list[str]:
        params = PlanParameters(genre="techno", mood="dark", tempo_bpm=132, duration_seconds=30,
                                structure="Loop-based", structure_inferred=inferred)
        return [s.name for s in aurora.plan(parameters=params).structural_plan.sections]
    assert "drop" in names(inferred=True) and "drop" not in names(inferred=False)
    assert "drop" in [s.name for s in aurora.process(prompt="techno 132bpm dark warehouse", duration_s=30.0,
                                                     seed=0).plan.structural_plan.sections]
    assert "drop" not in [s.name for s in aurora.process(prompt="a seamless techno loop, 132bpm", duration_s=30.0,
                                                         seed=0).plan.structural_plan.sections]


def test_a_lofi_clip_stays_a_loop(aurora: Aurora) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre="lofi hip hop", mood="chill", tempo_bpm=80,
                                                 duration_seconds=30)).structural_plan
    assert "drop" not in [s.name for s in plan.sections]


def test_stated_chords_play_as_written(aurora: Aurora) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre="metal", mood="dark", tempo_bpm=160, duration_seconds=30,
                                                 key="E minor", chords=["Em", "F", "Em"])).structural_plan
    assert {c for s in plan.sections for c in s.chords} == {"Em", "F"}  # the Phrygian bII is kept


# ------------------------------------------------------------------ harmonic rhythm from the genre
def test_harmonic_rhythm_is_genre_data() -> None:
    from aurora.harmony_plan import chords_per_bar, slot_loop

    assert chords_per_bar(2, "4/4") == 2 and chords_per_bar(None, "4/4") == 1
    assert chords_per_bar(2, "3/4") == 1  # a bar of three beats does not split in two
    assert chords_per_bar(2, "7/8") == 1 and chords_per_bar(4, "4/4") == 1
    assert slot_loop(["Dm7", "G7", "Cmaj7"], 2) == ["Dm7", "G7", "Cmaj7", "Cmaj7"]  # ii-V | I held
    assert slot_loop(["C", "F"], 2) == ["C", "F"]


@pytest.mark.parametrize(("genre", "key"), [("jazz", "F major"), ("bossa nova", "A minor"), ("bebop", "Bb major")])
def test_jazz_and_bossa_change_chords_twice_a_bar(aurora: Aurora, kb: KnowledgeBase, genre: str, key: str) -> None:
    plan = aurora.plan(parameters=PlanParameters(genre=genre, mood="", tempo_bpm=130, duration_seconds=60,
                                                 key=key, seed=1)).structural_plan
    main = [s for s in plan.sections if s.bars >= 4]
    assert main and all(s.chords_per_bar == 2 and len(s.chords) == 2 * s.bars for s in main)
    last = plan.sections[-1].chords
    tonic = parse_chord(last[-1], kb.chords)
    key_pc = parse_key_label(key, kb.chords)
    assert tonic is not None and key_pc is not None and tonic.root_pc == key_pc.tonic_pc
    before = [parse_chord(c, kb.chords) for c in last[-4:-1]]  # V-I, or ii-V | I held over the last bar
    assert any(c is not None and (c.root_pc - key_pc.tonic_pc) % 12 in (7, 1) for c in before)
    for s in main:  # every bar changes chord or holds one (no bar splits a chord that is then repeated)
        pairs = [s.chords[i: i + 2] for i in range(0, len(s.chords), 2)]
        assert any(a != b for a, b in pairs)


def test_pop_and_stated_chords_keep_one_chord_a_bar(aurora: Aurora) -> None:
    pop = aurora.plan(parameters=PlanParameters(genre="pop", mood="", tempo_bpm=110, duration_seconds=60,
                                                key="C major")).structural_plan
    assert all(s.chords_per_bar == 1 and len(s.chords) == s.bars for s in pop.sections)
    stated = aurora.plan(parameters=PlanParameters(genre="jazz", mood="", tempo_bpm=110, duration_seconds=60,
                                                   chords=["Fmaj7", "Ebmaj7"])).structural_plan
    assert all(s.chords_per_bar == 1 for s in stated.sections)  # the user's chords, one a bar as written
    waltz = aurora.plan(parameters=PlanParameters(genre="jazz", mood="", tempo_bpm=140, duration_seconds=60,
                                                  time_signature="3/4")).structural_plan
    assert all(s.chords_per_bar == 1 for s in waltz.sections)


def test_ii_v_survives_the_cadences(aurora: Aurora, kb: KnowledgeBase) -> None:
    """A jazz ii7-V7-Imaj7 keeps its ii-V in every section (the half cadence lands on the V it already has)."""
    for seed in range(6):
        plan = aurora.plan(parameters=PlanParameters(genre="jazz", mood="", tempo_bpm=150, duration_seconds=90,
                                                     key="C major", seed=seed)).structural_plan
        if plan.chord_progression.chords[:2] != ["Dm7", "G7"]:
            continue
        for s in plan.sections:  # a tag ending of one bar is the final chord alone
            assert s.bars == 1 or any(a == "Dm7" and b == "G7" for a, b in zip(s.chords, s.chords[1:], strict=False))
        return
    pytest.skip("no seed picked the ii-V-I progression")


# ------------------------------------------------------------------ cadences on stated loops, built tonics
def test_a_verse_on_a_stated_loop_ends_on_its_own_dominant(aurora: Aurora) -> None:
    """"chords A E D": the verse closes D | E (a half cadence into the chorus) with the user's own E; every
    chord stays as written and choruses keep the loop, stretched to a 4-bar phrase (A | E | D | D)."""
    plan = aurora.plan(parameters=PlanParameters(genre="rock", mood="", tempo_bpm=128, duration_seconds=180,
                                                 key="A major", chords=["A", "E", "D"])).structural_plan
    verses = [s for s in plan.sections if s.name.startswith("verse")]
    assert verses and all(s.chords[-1] == "E" for s in verses)
    assert {c for s in plan.sections for c in s.chords} == {"A", "E", "D"}
    chorus = next(s for s in plan.sections if s.name == "chorus")
    assert chorus.chords == [["A", "E", "D", "D"][i % 4] for i in range(chorus.bars)]


def test_loops_that_do_not_fill_a_phrase_are_stretched_to_it() -> None:
    """A 3-, 5-, 6- or 7-bar loop would cycle across the 4- and 8-bar phrases (I IV V I | IV V I IV): its first
    last bars are held twice so the phrase ends where the loop does; loops of 1, 2, 4, 8 or 12 bars run as written."""
    from aurora.harmony_plan import phrase_loop

    assert phrase_loop(["I", "IV", "V"]) == ["I", "IV", "V", "V"]
    assert phrase_loop(["I", "vi", "ii", "V", "I"]) == ["I", "I", "vi", "vi", "ii", "ii", "V", "I"]
    assert phrase_loop(["I", "V7", "I"]) == ["I", "I", "V7", "I"]
    assert phrase_loop(list("abcdefg")) == list("abcdefgg")
    assert phrase_loop(["I", "V"]) == ["I", "V"] and phrase_loop(list("abcd")) == list("abcd")
    assert phrase_loop([str(k) for k in range(12)]) == [str(k) for k in range(12)]
    # two slots a bar: whole bars are held (a b | c c | d e: three bars become four)
    assert phrase_loop(["a", "b", "c", "c", "d", "e"], 2) == ["a", "b", "c", "c", "d", "e", "d", "e"]


def test_a_section_shorter_than_the_phrase_plays_every_chord() -> None:
    """A 6-chord blues stretched to 8 bars would play only I7 I7 IV7 IV7 in a 4-bar chorus: its V7 never sounded."""
    from aurora.harmony_plan import section_chords
    from knowledge_base import load
    from knowledge_base.theory import parse_key_label

    kb = load()
    key = parse_key_label("E major", kb.chords)
    assert key is not None
    loop = ["E7", "A7", "E7", "B7", "A7", "E7"]
    assert section_chords(loop, "solo", 4, key=key, chords=kb.chords) == ["E7", "A7", "E7", "B7"]
    assert section_chords(loop, "solo", 8, key=key, chords=kb.chords) == ["E7", "E7", "A7", "A7", "E7", "B7", "A7",
                                                                         "E7"]


def test_a_three_chord_waltz_phrases_in_fours(aurora: Aurora) -> None:
    """The waltz's I-V7-I: every 4-bar phrase of a section starts on the tonic and its V7 falls on bar 3, the
    cadence closing the phrase, not on bars 2, 5 and 8 as a three-bar cycle put it."""
    checked = 0
    for seed in range(8):
        plan = aurora.plan(parameters=PlanParameters(genre="waltz", mood="", tempo_bpm=100, duration_seconds=60,
                                                     key="D major", seed=seed)).structural_plan
        for s in plan.sections:
            if s.bars >= 8 and set(s.chords) == {"D", "A7"} and not s.name.startswith("B"):  # a B contrasts
                checked += 1
                assert s.chords[:4] == ["D", "D", "A7", "D"]
                assert all(s.chords[k] == "D" for k in range(0, s.bars - 1, 4))
    assert checked


def test_a_built_tonic_is_a_tonic_chord() -> None:
    """A loop without its tonic (vi7-IVmaj7) closes on Cmaj7, not on C7 (a dominant seventh)."""
    from aurora.harmony_plan import cadence_chords
    from knowledge_base import load
    from knowledge_base.theory import parse_key_label

    kb = load()
    key = parse_key_label("C major", kb.chords)
    assert key is not None
    assert cadence_chords(["Am7", "Fmaj7"], key, kb.chords)[1] == "Cmaj7"
    minor = parse_key_label("A minor", kb.chords)
    assert minor is not None and cadence_chords(["Fmaj7", "G7"], minor, kb.chords)[1] == "Am7"


@pytest.mark.parametrize("genre", ["punk_rock", "indie_rock", "post_rock"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rock_in_a_minor_key_plays_an_aeolian_loop(aurora: Aurora, kb: KnowledgeBase, genre: str, seed: int) -> None:
    """Rock genres that listed only major progressions translated them to A minor as Am Dm E: a harmonic-minor major V
    (G#) under power chords that carry no third, so the key read as A major. They play the Aeolian loops rock plays in
    minor (Am F C G): no G#, and the minor third (C) in the chords."""
    plan = aurora.plan(parameters=PlanParameters(genre=genre, mood="angry", tempo_bpm=150, duration_seconds=30,
                                                 key="A minor", seed=seed)).structural_plan
    chords = [parse_chord(c, kb.chords) for c in plan.chord_progression.chords]
    assert all(c is not None for c in chords)
    tones = {pc for c in chords if c is not None for pc in c.pitch_classes(kb.chords)}
    assert 8 not in tones  # G#: no major V
    assert 0 in tones  # C: the minor third


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_minor_bossa_plays_minor_bossa_changes(aurora: Aurora, kb: KnowledgeBase, seed: int) -> None:
    """Bossa nova listed only major changes (Ipanema's Imaj7 II7 ii7 bII7); in A minor they were translated to Am7 B7
    Bm7b5 A#7, a chromatic wander that read as F# minor. A minor bossa plays the minor bossa's changes: i7, iv7,
    the half-diminished ii and the dominant V7 (Blue Bossa, Manha de Carnaval)."""
    plan = aurora.plan(parameters=PlanParameters(genre="bossa_nova", mood="romantic", tempo_bpm=135,
                                                 duration_seconds=30, key="A minor", seed=seed)).structural_plan
    assert set(plan.chord_progression.chords) <= {"Am7", "Dm7", "Bm7b5", "E7"}
    assert "Am7" in plan.chord_progression.chords


def test_a_progression_translated_to_the_other_mode_stays_diatonic(kb: KnowledgeBase) -> None:
    """A major-key loop played in a minor key changes each chord's seventh with its third: city pop's
    IVmaj7-iii7-vi7-V7 in A minor is Dm7 Cmaj7 Fmaj7 E7, not Dm7 C7 (a Bb no A minor scale has); and back, a minor
    loop in a major key is Imaj7-IVmaj7, not Im7 (a minor tonic) and IV7 (a dominant)."""
    from aurora.harmony_plan import in_mode
    from knowledge_base.theory import parse_chord, parse_key_label, roman_to_chord

    a_minor, c_major = parse_key_label("A minor", kb.chords), parse_key_label("C major", kb.chords)
    assert a_minor is not None and c_major is not None
    minor = [roman_to_chord(n, a_minor, kb.chords) for n in in_mode(["IVmaj7", "iii7", "vi7", "V7"], True)]
    assert minor == ["Dm7", "Cmaj7", "Fmaj7", "E7"]
    major = [roman_to_chord(n, c_major, kb.chords) for n in in_mode(["im7", "iv7", "IIImaj7", "VImaj7"], False)]
    assert major == ["Cmaj7", "Fmaj7", "Em7", "Am7"]
    c_scale = {0, 2, 4, 5, 7, 9, 11}
    for chord in major:
        parsed = parse_chord(chord, kb.chords)
        assert parsed is not None and set(parsed.pitch_classes(kb.chords)) <= c_scale


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_blues_in_a_plays_the_blues_changes_and_a_minor_blues_its_own(aurora: Aurora, kb: KnowledgeBase,
                                                                        seed: int) -> None:
    """'a blues in A' is the blues mode: minor to the melody (the blue C over the A7's C#), but its changes are the
    dominant sevenths of a 12-bar (A7 D7 E7). It took the genre's minor loop (Am Dm Am Em) under a 12-bar form. A
    minor blues is asked for by name."""
    def chords(key: str) -> list[str]:
        plan = aurora.plan(parameters=PlanParameters(genre="blues", mood="soulful", tempo_bpm=96, duration_seconds=60,
                                                     key=key, seed=seed)).structural_plan
        return plan.chord_progression.chords

    blues = chords("A blues")
    assert set(blues) <= {"A7", "D7", "E7", "A", "D", "E"}, blues
    minor = [parse_chord(c, kb.chords) for c in chords("A minor")]
    assert any(c is not None and c.root_pc == 9 and c.is_minor(kb.chords) for c in minor)


@pytest.mark.parametrize("mood", ["scary", "menacing", "eerie", "suspenseful"])
def test_a_stated_dark_mood_plays_its_own_harmony(aurora: Aurora, kb: KnowledgeBase, mood: str) -> None:
    """A horror or suspense cue played the film score's i VI III VII like any other: the stated mood now chooses
    a progression of its colour (the Phrygian bII or the minor bvi) in every seed."""
    found = kb.find_mood(mood)
    assert found is not None and found.progressions
    for seed in range(4):
        plan = aurora.plan(parameters=PlanParameters(genre="film_score", mood=mood, tempo_bpm=90, duration_seconds=30,
                                                     key="D minor", seed=seed)).structural_plan
        numerals = plan.chord_progression.roman_numerals
        assert numerals in found.progressions
        assert set(numerals) & set(found.colour)


def test_a_genre_progression_of_the_mood_colour_wins(aurora: Aurora) -> None:
    """Trap already has a menacing i bII: a menacing trap beat plays the genre's own, not the mood's."""
    for seed in range(4):
        plan = aurora.plan(parameters=PlanParameters(genre="trap", mood="menacing", tempo_bpm=140, duration_seconds=30,
                                                     key="C minor", seed=seed)).structural_plan
        assert plan.chord_progression.roman_numerals == ["i", "bII"]
        assert plan.chord_progression.chords == ["Cm", "Db"]


def test_a_heroic_theme_plays_the_heroic_cadence_in_either_mode(aurora: Aurora) -> None:
    """In C major the mood's bVI bVII I (spelt flat: Ab Bb C); in D minor the film score's own i VI III VII already
    holds that colour (Bb and C are the minor key's own VI and VII), so the genre's progression plays."""
    for seed in range(4):
        major = aurora.plan(parameters=PlanParameters(genre="film_score", mood="heroic", tempo_bpm=100,
                                                      duration_seconds=30, key="C major", seed=seed)).structural_plan
        assert {"Ab", "Bb"} & set(major.chord_progression.chords) and major.chord_progression.chords[0] == "C"
        minor = aurora.plan(parameters=PlanParameters(genre="film_score", mood="heroic", tempo_bpm=100,
                                                      duration_seconds=30, key="D minor", seed=seed)).structural_plan
        assert minor.chord_progression.chords[0] == "Dm" and {"Bb", "C"} & set(minor.chord_progression.chords)


def test_extended_harmony_and_unstated_moods_keep_the_genre_progression(aurora: Aurora) -> None:
    """Lo-fi's harmony is its ninths: a spooky lo-fi beat keeps them. A mood the parser only inferred (moods=[])
    chooses nothing."""
    lofi = aurora.plan(parameters=PlanParameters(genre="lofi_hip_hop", mood="scary", tempo_bpm=80,
                                                 duration_seconds=30)).structural_plan
    assert all(any(ch.isdigit() for ch in n) for n in lofi.chord_progression.roman_numerals)
    for seed in range(4):
        told = PlanParameters(genre="film_score", mood="scary", tempo_bpm=90, duration_seconds=30, key="D minor",
                              seed=seed)
        plain = aurora.plan(parameters=told.model_copy(update={"mood": "calm"})).structural_plan
        inferred = aurora.plan(parameters=told.model_copy(update={"moods": []})).structural_plan
        assert inferred.chord_progression == plain.chord_progression


@pytest.mark.parametrize("prompt", ["cinematic horror ambience, dissonant strings, no drums",
                                    "creepy music box melody for a haunted house", "a sinister villain theme"])
def test_prompts_that_state_menace_plan_its_harmony(aurora: Aurora, prompt: str) -> None:
    numerals = aurora.process(prompt=prompt, duration_s=30, seed=0).plan.structural_plan.chord_progression
    assert {"bII", "bvi"} & set(numerals.roman_numerals), numerals


def test_a_clip_with_room_for_one_section_keeps_the_main_strain(aurora: Aurora) -> None:
    """Seven bars of a slow ballad hold one section: it was the AB form's B (its bridge) and the jazz form's first
    solo, a contrast with nothing to contrast with and a solo with no tune. Now the A, the head, and a pop form's
    chorus."""
    def names(genre: str, structure: str | None = None) -> list[str]:
        plan = aurora.plan(parameters=PlanParameters(genre=genre, mood="calm", tempo_bpm=60, duration_seconds=30,
                                                     structure=structure)).structural_plan
        return [s.name for s in plan.sections]

    assert names("jazz") in (["head"], ["head", "ending"])  # the odd bars off the 4-bar grid: a tag ending
    assert names("rnb", "binary_ab") in (["A"], ["A", "ending"])
    assert names("pop") in (["chorus"], ["chorus", "ending"])


@pytest.mark.parametrize(("duration_s", "tempo_bpm"), [(60.0, 90), (90.0, 100), (180.0, 120)])
def test_a_twelve_bar_blues_plays_whole_choruses(aurora: Aurora, kb: KnowledgeBase, duration_s: float,
                                                 tempo_bpm: int) -> None:
    """Cut into 4-bar sections, a 60 s blues played its first four bars (I IV I I) four times and never reached the
    IV of bar 5 or the V of bar 9. Sections are whole 12-bar forms that keep their turnaround; an intro is the
    form's last bars (ending on V, into bar 1); the piece ends on the tonic."""
    plan = aurora.plan(parameters=PlanParameters(genre="blues", mood="soulful", tempo_bpm=tempo_bpm,
                                                 duration_seconds=duration_s, key="G blues",
                                                 structure="twelve_bar_blues")).structural_plan
    assert len(plan.chord_progression.chords) == 12
    mains = [s for s in plan.sections if s.name not in ("intro", "ending", "outro")]
    assert mains and all(s.bars % 12 == 0 for s in mains), [(s.name, s.bars) for s in plan.sections]
    for s in mains[:-1]:
        assert s.chords[4].startswith("C") and s.chords[8].startswith("D") and s.chords[-1].startswith("D")
    intro = next((s for s in plan.sections if s.name == "intro"), None)
    if intro is not None:
        assert intro.chords[-1].startswith("D")
    assert plan.sections[-1].chords[-1].startswith("G")


def test_a_stated_key_change_moves_the_last_chorus_on_or_the_bridge_alone(aurora: Aurora) -> None:
    """The parser told the user "D major is read as a key change" and the plan stayed in C: now the sections from
    the last chorus on play their chords a step up and name their key; a bridge's change returns home after it."""
    def plan(**changes: Any) -> Any:
        return aurora.plan(parameters=PlanParameters(genre="pop", mood="happy", tempo_bpm=120, duration_seconds=60,
                                                     key="C major", structure="verse_chorus", **changes))

    lifted = plan(key_changes=["D major"]).structural_plan
    keys = [s.key for s in lifted.sections]
    first = keys.index("D major")
    assert lifted.sections[first].name.startswith("chorus") and set(keys[first:]) == {"D major"}
    assert set(keys[:first]) == {None} and "chorus" not in " ".join(s.name for s in lifted.sections[first + 1:])
    home = plan().structural_plan
    assert lifted.sections[first].chords == [{"F": "G", "C": "D", "G": "A", "Am": "Bm"}.get(c, c)
                                             for c in home.sections[first].chords]
    bridge = plan(key_changes=["Eb major"], key_change_at="bridge").structural_plan
    assert [s.name for s in bridge.sections if s.key] == ["bridge"] and bridge.sections[-1].key is None
    assert bridge.chord_progression.key == "C"
    for changes, said in ((["A minor"], "shares"), (["D major"], "no last chorus")):
        result = aurora.plan(parameters=PlanParameters(genre="pop", mood="happy", tempo_bpm=120, duration_seconds=8,
                                                       key="C major", key_changes=changes)) if said != "shares" \
            else plan(key_changes=changes)
        assert all(s.key is None for s in result.structural_plan.sections)
        assert any(said in w for w in result.warnings), result.warnings


def test_a_key_change_at_the_end_of_a_plan_without_an_outro_lifts_its_last_chorus(aurora: Aurora) -> None:
    """"piano piece with a key change at the end": the change was read 'at the outro', and a plan ending on its last
    chorus changed nothing ("no outro to change in"). The end of such a plan is its last chorus."""
    result = aurora.plan(parameters=PlanParameters(genre="pop", mood="happy", tempo_bpm=116, duration_seconds=45,
                                                   key="C major", structure="verse_chorus", key_changes=["Db major"],
                                                   key_change_at="outro"))
    sections = result.structural_plan.sections
    assert sections[-1].name.startswith("chorus"), [s.name for s in sections]
    assert sections[-1].key == "Db major" and sections[0].key is None, [(s.name, s.key) for s in sections]
    assert not any("No key change" in w for w in result.warnings), result.warnings


def test_an_llm_plan_plays_the_stated_key_change_too(aurora: Aurora, kb: KnowledgeBase) -> None:
    """The LLM tiers lay out the model's sections with the same key change as the rule planner."""
    from aurora.contracts import ChordProgression
    from aurora.implementations.base import Resources
    from aurora.implementations.llm_common import PlanReply, SectionReply, layout_plan

    reply = PlanReply(structure_type="pop", chord_progression=ChordProgression(key="C", mode="major",
                                                                               chords=["C", "Am", "F", "G"]),
                      sections=[SectionReply(name=n, duration_ratio=0.25, energy_level=0.5)
                                for n in ("verse", "chorus", "verse 2", "chorus 2")])
    params = PlanParameters(genre="pop", mood="happy", tempo_bpm=120, duration_seconds=40, key="C major",
                            key_changes=["Db major"])
    plan = layout_plan(Resources(kb=kb, parser=aurora.parser, planner=aurora.planner), reply, params)
    assert [s.key for s in plan.sections] == [None, None, None, "Db major"]
    assert plan.sections[-1].chords[:4] == ["Db", "Bbm", "Gb", "Ab"]
