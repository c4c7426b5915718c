"""Genre grooves that were borrowed from a neighbour: punk drove metal's sixteenth-note double kick at 200 BPM
(no punk drummer plays that), synth-pop played pop's three-note kick bass instead of its pulsing eighths."""

from __future__ import annotations

from bench import music_metrics as mm
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase
from tests.engine.structure.test_composition import composed, planned


def test_punk_drives_eighths_with_a_backbeat(kb: KnowledgeBase) -> None:
    for genre in ("punk_rock", "pop_punk"):
        groove, _ = select_groove(kb.grooves, kb.genre_lineage(genre), Meter(4, 4))
        high = groove.levels["high"]
        assert high["kick"].count("X") + high["kick"].count("x") <= 4  # no sixteenth-note double kick
        assert [i for i, c in enumerate(high["snare"]) if c in "Xx"] == [4, 12]  # snare on 2 and 4
        assert groove.bass == "root_eighths"
    metal, _ = select_groove(kb.grooves, kb.genre_lineage("heavy_metal"), Meter(4, 4))
    assert metal.levels["high"]["kick"].count("x") + metal.levels["high"]["kick"].count("X") == 16  # metal keeps it


def test_synth_pop_bass_pulses_eighths(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="synth_pop", tempo_bpm=123, duration_s=16, key="C major")
    score = composed(kb, plan, genre="synth_pop", instruments=("synth bass",))
    bass = score.track("bass")
    assert bass is not None
    per_bar: dict[int, int] = {}
    for note in bass.notes:
        per_bar[mm.bar_of(score, note.start_s)] = per_bar.get(mm.bar_of(score, note.start_s), 0) + 1
    # an eighth-note pulse in every bar (a humanised note may land just before its bar line)
    assert min(per_bar.values()) >= 6 and sum(per_bar.values()) >= 7.5 * len(per_bar)


def test_the_comping_rhythm_is_the_meter_s(kb: KnowledgeBase) -> None:
    """A 6/8 Celtic ballad's harp played the 3/4 waltz strum (both bars have twelve sixteenths: it put 3/4 in the
    6/8 bar and a beat tracker heard 94 for 63), and a 7/8 folk guitar held one chord a bar (the 4/4 rhythm was
    cut): the comping now follows the meter's own groove, the genre keeping its kit and bass."""
    from engine.structure.harmony import parse_grid

    six, _ = select_groove(kb.grooves, kb.genre_lineage("celtic"), Meter(6, 8))
    _, style = select_groove(kb.grooves, kb.genre_lineage("celtic"), Meter(6, 8))
    assert style.comping == six.comping and style.comping.pattern != "....x-..x-.."
    _, waltz = select_groove(kb.grooves, kb.genre_lineage("celtic"), Meter(3, 4))
    assert waltz.comping.pattern == "....x-..x-.."  # in 3/4 the genre's own waltz rhythm stays
    _, folk = select_groove(kb.grooves, kb.genre_lineage("folk"), Meter(7, 8))
    starts = {s for s, _, _ in parse_grid(folk.comping.pattern)}
    assert set(Meter(7, 8).strong_steps) <= starts  # every group of the 2+2+3 is played
    assert folk.bass == select_groove(kb.grooves, kb.genre_lineage("folk"), Meter(4, 4))[1].bass


def test_a_two_four_bar_plays_half_the_genre_s_rhythm(kb: KnowledgeBase) -> None:
    """Bluegrass in 2/4 strums the first half of its 4/4 strum (the same rhythm at the same beat), not a polka's
    off-beat chops and not one chord a bar."""
    _, four = select_groove(kb.grooves, kb.genre_lineage("bluegrass"), Meter(4, 4))
    _, two = select_groove(kb.grooves, kb.genre_lineage("bluegrass"), Meter(2, 4))
    assert two.comping.pattern == four.comping.pattern[:8] and two.comping.style == four.comping.style


def test_bluegrass_chops_the_backbeat(kb: KnowledgeBase) -> None:
    """Bluegrass has no drummer: the mandolin's short chop on the backbeat over a root-fifth bass (boom-chick), not
    country's eighth-note strum."""
    for meter, backbeats in ((Meter(2, 4), [4]), (Meter(4, 4), [4, 12])):
        _, style = select_groove(kb.grooves, kb.genre_lineage("bluegrass"), meter)
        assert style.comping.style == "stabs" and style.bass == "root_fifth"
        assert [i for i, c in enumerate(style.comping.pattern) if c in "Xx"] == backbeats


def test_a_strummer_strums_every_eighth_of_an_odd_meter(kb: KnowledgeBase) -> None:
    """Folk in 7/8: the guitar strums all seven eighths, the 2+2+3 group starts accented over the eighths between
    them (it held three chords a bar on the group starts, which mark the bar and not the groups' pulse)."""
    from engine.structure.harmony import parse_grid

    _, folk = select_groove(kb.grooves, kb.genre_lineage("folk"), Meter(7, 8))
    hits = {s: accent for s, _, accent in parse_grid(folk.comping.pattern)}
    assert sorted(hits) == [0, 2, 4, 6, 8, 10, 12]
    groups = Meter(7, 8).strong_steps
    assert min(hits[s] for s in groups) > max(a for s, a in hits.items() if s not in groups)
    assert folk.comping.style == "strum"
    _, block = select_groove(kb.grooves, kb.genre_lineage("synth_pop"), Meter(7, 8))
    assert block.comping.pattern == "X---x---x-----"  # a held-chord style keeps the meter's own rhythm


def test_a_broken_chord_leans_on_the_bar_and_the_beat() -> None:
    """A pianist's arpeggio accompaniment is metric: its downbeat note loudest, each beat above the eighths
    between (an even one floats: a gentle piano piece was heard at twice its tempo)."""
    import numpy as np

    from engine.score import ChordSpan
    from engine.structure.harmony import CompStyle, comp_bar

    chord = ChordSpan(0.0, 2.0, "C", 0, (0, 4, 7), 0)
    meter = Meter(4, 4)
    velocities: dict[int, list[int]] = {}
    for seed in range(12):
        notes = comp_bar(chord=chord, voicing=(48, 55, 60, 64), style=CompStyle("arpeggio", "x.x.x.x.x.x.x.x."),
                         bar_start_s=0.0, step_s=0.25, steps_per_bar=16, velocity=0.7,
                         rng=np.random.default_rng(seed), metre=(meter.beat_steps, tuple(meter.strong_steps)))
        for nt in notes:
            velocities.setdefault(round(nt.start_s / 0.25), []).append(nt.velocity)
    mean = {s: float(np.mean(v)) for s, v in velocities.items()}
    beats, offs = [mean[s] for s in (4, 8, 12)], [mean[s] for s in (2, 6, 10, 14)]
    assert mean[0] > max(beats) and min(beats) > max(offs) + 8
    assert abs(float(np.mean(list(mean.values()))) - 0.7 * 0.8 * 127) < 6  # about as loud as before, on average


def test_a_classical_waltz_is_no_jazz_waltz(kb: KnowledgeBase) -> None:
    """A (Viennese, classical) waltz in 3/4 had the jazz waltz's brushes and walking bass: 'waltz' was one of its
    genres and it came first in the file."""
    groove, style = select_groove(kb.grooves, kb.genre_lineage("waltz"), Meter.parse("3/4"))
    assert groove.id != "jazz_waltz" and style.kit != "brush" and style.bass != "walking"


def test_a_waltz_bass_plays_the_oom_and_the_comping_the_pah_pah(kb: KnowledgeBase) -> None:
    """The waltz's anchor: a strong first beat in the bass and two light chords on beats two and three. The bass
    played root, fifth, root on all three beats, doubling the pahs; it plays the first beat, a beat long."""
    score = composed(kb, planned(kb, genre="waltz", tempo_bpm=120, duration_s=24, key="D major", meter="3/4"),
                     genre="waltz")
    beat_s, bar_s = 0.5, 1.5
    bass = score.track("bass")
    assert bass is not None and len(bass.notes) >= 8
    assert all(abs((nt.start_s + 0.06) % bar_s - 0.06) < 0.06 for nt in bass.notes)  # beat 1 (humanised)
    assert all(nt.duration_s <= beat_s * 1.05 for nt in bass.notes[:-1])  # the final chord rings
    harmony = score.track("harmony")
    assert harmony is not None
    beats = {round((nt.start_s % bar_s) / beat_s) % 3 for nt in harmony.notes}
    assert {1, 2} <= beats


def test_a_jazz_waltz_swings_as_jazz_does_in_four(kb: KnowledgeBase) -> None:
    """The 3/4 jazz groove swings its eighths as the 4/4 one does (it fell back to the genre's lighter swing)."""
    def ratio(meter: str) -> float:
        score = composed(kb, planned(kb, genre="jazz", tempo_bpm=130, duration_s=24, meter=meter), genre="jazz")
        return float(mm.feel(score)["swing_ratio"])

    assert abs(ratio("3/4") - ratio("4/4")) < 0.05


def test_swing_big_band_and_bebop_are_played_with_sticks(kb: KnowledgeBase) -> None:
    """A big band at 180 played on the brush kit: the jazz groove gave brushes to every jazz genre. Swing, big band
    and bebop are played with sticks (the ride's ping, the hi-hat's foot on 2 and 4); brushes stay where a drummer
    takes them: a ballad, cool jazz, a bossa."""
    def kit(genre: str, tempo_bpm: float, meter: str = "4/4", instruments: tuple[str, ...] = ()) -> str:
        score = composed(kb, planned(kb, genre=genre, tempo_bpm=tempo_bpm, duration_s=12, meter=meter), genre=genre,
                         instruments=instruments)
        drums = score.track("drums")
        assert drums is not None
        return drums.preset

    assert kit("swing", 180) == kit("bebop", 240) == kit("jazz", 150) == "jazz"
    assert kit("jazz", 64) == "brush"  # a ballad
    assert kit("cool_jazz", 140) == "brush"
    assert kit("bossa_nova", 130) == "brush"
    assert kit("jazz", 130, meter="3/4") == "brush" and kit("jazz", 200, meter="3/4") == "jazz"  # a jazz waltz
    assert kit("swing", 180, instruments=("brushes",)) == "brush"  # stated brushes are played at any tempo
    sticks, brushes = kb.synth_presets.kit("jazz"), kb.synth_presets.kit("brush")
    assert sticks.id == "jazz" and sticks.voices != brushes.voices


def test_a_k_pop_chorus_is_four_on_the_floor(kb: KnowledgeBase) -> None:
    """K-pop's dance-pop chorus (genres.yaml) is four on the floor; its verse keeps pop's syncopated kick, and pop
    itself is unchanged. It played pop's three-kick bar throughout."""
    kpop, _ = select_groove(kb.grooves, kb.genre_lineage("k_pop"), Meter(4, 4))
    pop, _ = select_groove(kb.grooves, kb.genre_lineage("pop"), Meter(4, 4))
    kicks = lambda grid: [i for i, c in enumerate(grid) if c in "Xx"]  # noqa: E731
    assert kicks(kpop.levels["high"]["kick"]) == [0, 4, 8, 12]
    assert kicks(kpop.levels["mid"]["kick"]) == kicks(pop.levels["mid"]["kick"]) == [0, 6, 8]
    assert kicks(pop.levels["high"]["kick"]) == [0, 6, 8, 10]
    plan = planned(kb, genre="k_pop", tempo_bpm=125, duration_s=30, key="C# minor")
    score = composed(kb, plan, genre="k_pop", energy=0.8)
    drums = score.track("drums")
    assert drums is not None
    chorus = next(s for s in score.sections if s.name in ("chorus", "hook", "drop"))
    beat_s = 60.0 / 125
    in_chorus = [n for n in drums.notes
                 if n.pitch == 36 and chorus.start_s - 0.03 <= n.start_s < chorus.start_s + chorus.duration_s - 0.03]
    on_beats = {round((n.start_s - chorus.start_s) / beat_s) % 4 for n in in_chorus}
    assert on_beats == {0, 1, 2, 3} and len(in_chorus) >= 4 * chorus.bars


def test_brushes_sweep_the_snare_and_sticks_do_not(kb: KnowledgeBase) -> None:
    """A brushed ballad keeps time with the swish of a brush swept round the snare on every beat (GS Brush kit's
    note 40); the same groove on sticks plays no such piece: note 40 is a stick kit's electric snare."""
    def beats_with_swirl(genre: str, tempo_bpm: float) -> tuple[str, set[int], int]:
        score = composed(kb, planned(kb, genre=genre, tempo_bpm=tempo_bpm, duration_s=16), genre=genre)
        drums = score.track("drums")
        assert drums is not None
        beat_s = 60.0 / tempo_bpm
        swirls = [n for n in drums.notes if n.pitch == 40]
        return drums.preset, {round(n.start_s / beat_s) % 4 for n in swirls}, len(swirls)

    kit, beats, count = beats_with_swirl("jazz", 64)
    assert kit == "brush" and beats == {0, 1, 2, 3} and count >= 12
    kit, beats, count = beats_with_swirl("swing", 180)
    assert kit == "jazz" and count == 0
    assert kb.synth_presets.drum_voices["brush_swirl"].kits == ["brush"]
