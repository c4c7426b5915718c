"""Composition a person would keep (issue 10): chords as written, grooves that stay the genre's at any
tempo, every stated instrument heard, one feel for the band, melodies that breathe, seeds that are takes,
and a MIDI file whose markers show the form."""

from __future__ import annotations

import itertools
from typing import Any

import mido
import numpy as np
import pytest

from aurora.contracts import PlanParameters
from aurora.planner import StructuralPlanner
from bench import music_metrics as mm
from engine.export import midi_bytes
from engine.inputs import parse_parameters, parse_plan
from engine.score import Score
from engine.structure.arrangement import compose
from engine.structure.orchestration import orchestrate
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from tests.engine.conftest import make_controls, make_plan


def planned(kb: KnowledgeBase, *, genre: str, tempo_bpm: float, duration_s: float, key: str | None = None,
            chords: tuple[str, ...] = (), meter: str = "4/4", structure: str | None = None) -> dict[str, Any]:
    """The rule planner's plan, as the engine receives it."""
    plan, _ = StructuralPlanner(kb).plan(PlanParameters(
        genre=genre, mood="", tempo_bpm=tempo_bpm, duration_seconds=duration_s, key=key, time_signature=meter,
        chords=list(chords), structure=structure))
    return plan.model_dump(by_alias=True)


def composed(kb: KnowledgeBase, plan: dict[str, Any], *, genre: str, instruments: tuple[str, ...] = (),
             energy: float = 0.6, seed: int = 0, parameters: dict[str, Any] | None = None) -> Score:
    controls = make_controls(kb, tempo_bpm=float(plan["tempo_bpm"]), genre=genre, instruments=instruments,
                             energy=energy)
    params = controls["parameters"] if parameters is None else {**controls["parameters"], **parameters}
    return compose(plan=parse_plan(plan), controls=decode(kb, controls["control_embedding"]),
                   params=parse_parameters(params), kb=kb, duration_s=float(plan["duration_s"]), seed=seed)


# ------------------------------------------------------------------ harmony and form
def test_stated_chords_play_as_written(kb: KnowledgeBase) -> None:
    """The Phrygian bII stays an F (no 'fitting' it back to Em), and a Dm9 keeps its ninth."""
    metal = composed(kb, planned(kb, genre="metal", tempo_bpm=160, duration_s=20, key="E minor",
                                 chords=("Em", "F", "Em")), genre="metal")
    assert {c.symbol for c in metal.chords} == {"Em", "F"}
    lofi = composed(kb, planned(kb, genre="lofi hip hop", tempo_bpm=80, duration_s=20, key="D minor",
                                chords=("Dm9", "G7")), genre="lofi_hip_hop")
    dm9 = next(c for c in lofi.chords if c.symbol == "Dm9")
    assert 4 in dm9.pitch_classes  # E, the ninth of D


def test_plan_and_score_agree_and_cadence(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="pop", tempo_bpm=100, duration_s=120, key="C major", structure="verse_chorus")
    score = composed(kb, plan, genre="pop")
    assert [(s.name, s.bars) for s in score.sections] == [(s["name"], s["bars"]) for s in plan["sections"]]
    assert [c.symbol for c in score.chords] == [c for s in plan["sections"] for c in s["chords"]]
    verse = next(s for s in score.sections if s.name == "verse")
    assert verse.bars >= 8 and score.chords[verse.start_bar + verse.bars - 1].symbol == "G"  # the verse ends on V
    assert all(s.bars >= 4 for s in score.sections if s.name not in ("intro", "outro"))
    assert mm.harmony(score, plan, [])["tonic_share"] <= 0.5


@pytest.mark.parametrize(("genre", "key"), [("jazz", "F major"), ("bossa nova", "A minor")])
def test_two_chords_a_bar_are_played(kb: KnowledgeBase, genre: str, key: str) -> None:
    """Jazz and bossa nova change chords within the bar: the score holds every planned chord at its own
    time, the bass lands each root where its chord starts, the comping strikes each one, ii-V kept."""
    plan = planned(kb, genre=genre, tempo_bpm=130, duration_s=40, key=key)
    score = composed(kb, plan, genre=normalise(genre))
    slots = [c for s in plan["sections"] for c in s["chords"]]
    merged = [c for i, c in enumerate(slots) if i % 2 == 0 or c != slots[i - 1]]  # a held chord is one span
    assert [c.symbol for c in score.chords] == merged
    within = [c for c in score.chords if abs(c.start_s / score.bar_s - round(c.start_s / score.bar_s)) > 0.1]
    assert len(within) >= score.sections[-1].start_bar // 2  # many chords start mid-bar
    bass, comp = score.track("bass"), score.track("harmony")
    assert bass is not None and comp is not None
    for c in within:
        assert any(abs(nt.start_s - c.start_s) < 0.05 and nt.pitch % 12 == c.bass_pc for nt in bass.notes)
        assert any(c.start_s - 0.05 <= nt.start_s < c.start_s + c.duration_s and nt.pitch % 12 == c.root_pc
                   for nt in comp.notes)
    h = mm.harmony(score, plan, [])
    assert h["chord_roots_heard"] == 1.0 and h["planned_roots_sound"] and h["ii_v_kept"]
    assert h["chords_per_bar"] > 1.4


def normalise(genre: str) -> str:
    return genre.replace(" ", "_")


def test_a_chord_change_within_the_bar_moves_bass_and_comping() -> None:
    from engine.score import ChordSpan
    from engine.structure.bass import bass_bar
    from engine.structure.harmony import CompStyle, comp_bar, window_hits
    from engine.structure.meter import Meter

    dm7 = ChordSpan(0.0, 1.0, "Dm7", 2, (2, 5, 9, 0), 2)
    g7 = ChordSpan(1.0, 1.0, "G7", 7, (7, 11, 2, 5), 7)
    meter = Meter.parse("4/4")
    for style in ("walking", "root_fifth", "sustained", "kick", "syncopated"):
        notes, _ = bass_bar(style=style, chord=dm7, next_chord=None, kicks=[0, 10], meter=meter, bar_start_s=0.0,
                            step_s=0.125, velocity=0.8, level="mid", previous=40, rng=np.random.default_rng(0),
                            scale_pcs=[0, 2, 4, 5, 7, 9, 11], later=(8, g7))
        assert notes[0].pitch % 12 == 2
        assert any(abs(nt.start_s - 1.0) < 1e-9 and nt.pitch % 12 == 7 for nt in notes), style
        after = [nt.pitch % 12 for nt in notes[:-1] if nt.start_s >= 1.0]  # the last may approach the next bar
        passing = {0, 4, 9, 11} if style == "walking" else set()  # a walk may pass through scale tones
        assert set(after) <= set(g7.pitch_classes) | passing, style
    # a whole-bar pad is struck again for the second chord, cut where its chord ends
    assert window_hits([(0, 16, 1.0)], 8, 16) == [(8, 8, 0.8)]
    assert window_hits([(0, 16, 1.0)], 0, 8) == [(0, 8, 1.0)]
    pad = CompStyle("block", "X" + "-" * 15)
    first = comp_bar(chord=dm7, voicing=(50, 53, 57, 60), style=pad, bar_start_s=0.0, step_s=0.125,
                     steps_per_bar=16, velocity=0.6, rng=np.random.default_rng(0), until_step=8)
    second = comp_bar(chord=g7, voicing=(50, 53, 55, 59), style=pad, bar_start_s=0.0, step_s=0.125,
                      steps_per_bar=16, velocity=0.6, rng=np.random.default_rng(0), from_step=8)
    assert max(nt.start_s + nt.duration_s for nt in first) <= 1.0 + 1e-6
    assert min(nt.start_s for nt in second) >= 1.0 - 1e-6


# ------------------------------------------------------------------ grooves
@pytest.mark.parametrize("genre", ["metal", "drum and bass", "rock", "house"])
def test_a_groove_is_the_same_grid_at_every_tempo(kb: KnowledgeBase, genre: str) -> None:
    grids = []
    for tempo in (100.0, 140.0, 180.0):
        plan = make_plan(tempo_bpm=tempo, duration_s=16.0, sections=(("verse", 1.0, 0.6),))
        grids.append(mm.grid_signature(composed(kb, plan, genre=genre, energy=0.6)))
    assert grids[0] and grids[0] == grids[1] == grids[2]
    assert mm.same_grid(grids[0], grids[2])


def test_metal_double_kick_and_dnb_two_step_at_speed(kb: KnowledgeBase) -> None:
    metal = composed(kb, make_plan(tempo_bpm=180.0, duration_s=12.0, sections=(("chorus", 1.0, 1.0),)),
                     genre="metal", energy=1.0)
    grid = mm.drum_grid(metal.track("drums"), metal)  # type: ignore[arg-type]
    assert min(sum(1 for _s, p in g if p == mm.KICK) for g in grid.values()) >= 12
    dnb = composed(kb, make_plan(tempo_bpm=174.0, duration_s=12.0, sections=(("drop", 1.0, 0.7),)),
                   genre="drum_and_bass", energy=0.7)
    share = mm.two_step_share(dnb)
    assert share is not None and share >= 0.8


def test_fills_and_crashes_stay_rare(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="rock", tempo_bpm=140, duration_s=120, key="A major")
    groove = mm.groove(composed(kb, plan, genre="rock", energy=0.8))
    assert groove["fills_per_8_bars"] <= 1.0
    assert groove["crashes_per_min"] <= 8.0


@pytest.mark.parametrize(("genre", "voices", "toms"), [
    ("rock", {"snare"}, True), ("jazz", {"snare", "ride"}, False), ("house", {"clap", "kick"}, False),
    ("trap", {"snare", "hat_closed"}, False), ("metal", {"kick", "snare"}, True)])
def test_fills_come_from_the_genre(kb: KnowledgeBase, genre: str, voices: set[str], toms: bool) -> None:
    """The fill into a new section is the groove's own (grooves.yaml ``fill``): a tom run in rock, snare and
    kick comping under the ride in jazz, a clap roll in house, a roll over double kicks in metal; once, in the
    verse's last bar."""
    plan = make_plan(tempo_bpm=120.0, duration_s=34.0, sections=(("verse", 0.5, 0.6), ("chorus", 0.5, 0.8)),
                     transitions=(("verse", "chorus", "fill"),))
    score = composed(kb, plan, genre=genre, energy=0.7)
    verse = score.sections[0]
    assert verse.bars >= 8
    drums = score.track("drums")
    assert drums is not None
    gm = kb.synth_presets.gm_notes()
    grid = mm.drum_grid(drums, score)
    fill_bar = verse.start_bar + verse.bars - 1
    from engine.structure.groove_choice import select_groove
    from engine.structure.meter import Meter

    groove, _ = select_groove(kb.grooves, kb.genre_lineage(genre), Meter.parse("4/4"))
    tail = {(step, gm[v]) for v, p in groove.fill.items() for step, ch in enumerate(p) if ch != "."}
    start = min(step for step, _p in tail)
    played = {(st, p) for st, p in grid[fill_bar] if st >= start} | \
        {(st + 16, p) for st, p in grid.get(fill_bar + 1, ()) if st <= 1}  # a swung last sixteenth
    for step, pitch in tail:  # every hit of the genre's fill (swing may move it by a step)
        assert any(p == pitch and abs(st - step) <= 1 for st, p in played), (step, pitch)
    played = {(st, p) for st, p in grid[fill_bar] if st >= start}  # and from its start nothing else but a crash
    assert {p for _st, p in played} <= {gm[v] for v in groove.fill} | mm.CRASHES
    assert {gm[v] for v in voices} <= {p for _st, p in played}
    assert (len({p for _st, p in played} & mm.TOMS) >= 2) == toms
    others = [b for b, g in grid.items() if b != fill_bar and len({p for _s, p in g if p in mm.TOMS}) >= 2]
    assert not others  # the one fill, no tom runs elsewhere


# ------------------------------------------------------------------ orchestration
def test_stated_instruments_outrank_inferred_ones(kb: KnowledgeBase) -> None:
    controls = make_controls(kb, tempo_bpm=140.0, genre="jazz")
    params = parse_parameters({**controls["parameters"], "instrumentation": [
        {"name": "piano", "role": "harmony", "source": "stated"},
        {"name": "double bass", "role": "bass", "source": "stated"},
        {"name": "drum kit", "role": "rhythm", "source": "stated"},
        {"name": "vocals", "role": "vocal", "source": "inferred"},
        {"name": "synth lead", "role": "lead", "source": "inferred"}]})
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                            genres=kb.genre_lineage("jazz"), kb=kb)
    ids = {p.instrument_id for p in orchestra.parts}
    assert {"piano", "double_bass"} <= ids
    assert not ids & {"vocals", "synth_lead"}  # no invented vocal, nothing from outside the jazz line-up
    assert {"harmony", "bass"} <= orchestra.stated_roles


def test_compound_name_and_kit_piece(kb: KnowledgeBase) -> None:
    controls = make_controls(kb, tempo_bpm=124.0, genre="house")
    params = parse_parameters({**controls["parameters"], "instrumentation": [
        {"name": "bass guitar", "role": "bass"}, {"name": "reese bass", "role": "bass"},
        {"name": "hi-hat", "role": "rhythm"}]})
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                            genres=kb.genre_lineage("house"), kb=kb)
    assert next(p.instrument_id for p in orchestra.parts if p.role == "bass") == "reese_bass"
    assert not orchestra.kit_choices  # a named hi-hat is no kit: it keeps the house groove's drum machine


@pytest.mark.parametrize(("words", "source", "kit"), [
    ((), "", "lofi"), (("Drum Machine",), "inferred", "lofi"), (("drum machine",), "stated", "lofi"),
    (("Drum Kit",), "stated", "lofi_live"), (("Drum Kit",), "inferred", "lofi"), (("Hi-hat",), "stated", "lofi"),
    (("808 drums",), "stated", "tr808")])
def test_a_drum_machine_keeps_the_groove_s_kit(kb: KnowledgeBase, words: tuple[str, ...], source: str,
                                               kit: str) -> None:
    """Lo-fi's line-up and the parser say 'Drum Machine' for a lo-fi beat's drums (a kind, and lo-fi's kit is one):
    the lo-fi groove's dusty kit plays; a stated 808 is that machine, and a stated "Drum Kit" (the parser's name for
    "live drums") a sampled kit, still low-passed (it had played the lo-fi machine)."""
    plan = make_plan(tempo_bpm=80.0, duration_s=6.0)
    instrumentation = [{"name": w, "role": "rhythm", "source": source} for w in words]
    score = composed(kb, plan, genre="lofi hip hop", parameters={"instrumentation": instrumentation} if words else None)
    assert next(t.preset for t in score.tracks if t.role == "drums") == kit


def test_every_stated_instrument_plays_at_low_energy(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="cinematic", tempo_bpm=90, duration_s=30, key="D minor")
    score = composed(kb, plan, genre="cinematic", instruments=("choir", "flute", "piano", "cello"), energy=0.2)
    bars = mm.music_bars(score)
    for inst in ("choir", "flute", "piano", "cello"):
        track = next(t for t in score.tracks if t.instrument_id == inst)
        played = {mm.bar_of(score, n.start_s) for n in track.notes}
        assert len(played) >= 0.5 * bars, inst
    assert all(t.notes for t in score.tracks)


@pytest.mark.parametrize(("genre", "word", "expected"), [
    ("jazz", "bass", "double_bass"), ("deep house", "bassline", "synth_bass"), ("bossa nova", "guitar",
                                                                               "classical_guitar"),
    ("rock", "guitar", "electric_guitar"), ("jazz", "bass guitar", "bass_guitar"), ("jazz", "piano", "piano")])
def test_a_kind_of_instrument_is_the_genre_s_own(kb: KnowledgeBase, genre: str, word: str, expected: str) -> None:
    """'bass' in a jazz trio is the double bass, a house 'bassline' the synth bass; a specific name stays."""
    controls = make_controls(kb, tempo_bpm=120.0, genre=genre)
    params = parse_parameters({**controls["parameters"], "instrumentation": [
        {"name": word, "role": "", "source": "stated"}]})
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                            genres=kb.genre_lineage(genre), kb=kb)
    assert expected in {p.instrument_id for p in orchestra.parts}
    lineup = {gi.instrument for g in kb.genre_lineage(genre) for gi in g.instruments}
    stated = {expected}
    assert {p.instrument_id for p in orchestra.parts if p.role not in ("drums", "percussion")} - stated <= lineup


@pytest.mark.parametrize("genre", ["boom bap", "trap", "deep house", "rock", "pop", "folk", "jazz", "metal",
                                   "meditation", "lullaby", "ambient"])
def test_inferred_parts_come_from_the_line_up(kb: KnowledgeBase, genre: str) -> None:
    """Without stated instruments every pitched part is the genre's own (a rapped genre's melody too)."""
    controls = make_controls(kb, tempo_bpm=100.0, genre=genre)
    params = parse_parameters(controls["parameters"])
    lineup = {gi.instrument for g in kb.genre_lineage(genre) for gi in g.instruments}
    for song_form in (False, True):
        orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                                genres=kb.genre_lineage(genre), kb=kb, song_form=song_form)
        pitched = {p.instrument_id for p in orchestra.parts if p.role not in ("drums", "percussion")}
        assert pitched <= lineup, pitched - lineup


@pytest.mark.parametrize("genre", ["rock", "pop", "metal", "house", "country"])
def test_the_chorus_adds_a_part(kb: KnowledgeBase, genre: str) -> None:
    plan = make_plan(tempo_bpm=120.0, duration_s=34.0, sections=(("verse", 0.5, 0.55), ("chorus", 0.5, 0.8)))
    score = composed(kb, plan, genre=genre, energy=0.6)
    verse, chorus = score.sections[0], score.sections[1]

    def parts(sec: Any) -> set[str]:
        return {t.name for t in score.tracks if any(sec.start_s - 0.05 <= n.start_s < sec.start_s + sec.duration_s
                                                     - 0.05 for n in t.notes)}  # a downbeat played ahead
    assert parts(verse) < parts(chorus)  # everything the verse plays, and at least one part more


def test_a_stated_taiko_is_a_featured_part(kb: KnowledgeBase) -> None:
    """"Epic battle theme with brass and taiko": the taiko is the score's only drum; it is marked as a named part
    (so the mixer sets it at the drums' level), as every pitched named part already was."""
    score = composed(kb, planned(kb, genre="epic_trailer", tempo_bpm=140, duration_s=20, key="C minor"),
                     genre="epic_trailer",
                     instruments=("brass_section", "taiko"))
    percussion = score.track("percussion")
    assert percussion is not None and percussion.instrument_id == "taiko" and percussion.featured
    assert all(t.role != "drums" for t in score.tracks)


def test_a_stated_pad_is_mixed_as_loud_as_the_comping(kb: KnowledgeBase) -> None:
    from engine.mix_gain import role_gain_db

    preset = kb.mix_presets.for_genres(kb.genre_lineage("pop"))
    assert role_gain_db(preset, "pad") < role_gain_db(preset, "harmony")
    assert role_gain_db(preset, "pad", featured=True) == role_gain_db(preset, "harmony")
    assert role_gain_db(preset, "lead", featured=True) == role_gain_db(preset, "lead")  # never turned down
    # a stated percussion part sits at the comping's level, kit or no kit; the line-up's own under it
    assert role_gain_db(preset, "percussion", featured=True) == role_gain_db(preset, "harmony")
    assert role_gain_db(preset, "percussion") < role_gain_db(preset, "harmony")
    score = composed(kb, planned(kb, genre="pop", tempo_bpm=72, duration_s=30, key="C major"), genre="pop",
                     instruments=("piano", "string_section"))
    strings = next(t for t in score.tracks if t.instrument_id == "string_section")
    assert strings.featured and strings.role in ("pad", "counter", "harmony")
    assert not any(t.featured for t in score.tracks if t.instrument_id not in ("piano", "string_section"))


# ------------------------------------------------------------------ feel, melody, seeds
def test_swing_reaches_every_role(kb: KnowledgeBase) -> None:
    score = composed(kb, make_plan(tempo_bpm=120.0, duration_s=16.0, sections=(("verse", 1.0, 0.7),)),
                     genre="pop", parameters={"mood": [{"value": "swinging"}]})
    feel = mm.feel(score)
    drums = feel["drums"]["offbeat_delay_ms"]
    assert drums > 30.0 and feel["swing_ratio"] >= 1.6
    delayed = [v["offbeat_delay_ms"] for k, v in feel.items() if isinstance(v, dict) and k != "drums"
               and v["offbeat_delay_ms"] is not None]
    assert delayed and all(abs(d - drums) <= 8.0 for d in delayed)
    assert all(1.0 <= v["scatter_ms"] <= 12.0 for v in feel.values() if isinstance(v, dict))  # a chord: one onset


def test_a_stated_swing_never_straightens_a_swinging_genre(kb: KnowledgeBase) -> None:
    """"a jazz trio, swinging" swings at least as much as jazz does unasked (a lighter stated feel used to win and
    straighten it), and at 140 BPM its eighths sit at >= 1.6:1."""
    plan = make_plan(tempo_bpm=140.0, duration_s=16.0, sections=(("verse", 1.0, 0.7),),
                     chords=("Dm7", "G7", "Cmaj7", "A7"), key="C major")
    plain = mm.feel(composed(kb, plan, genre="jazz"))
    light = mm.feel(composed(kb, plan, genre="jazz", parameters={"feels": [{"value": "Swing", "swing": 0.3}]}))
    stated = mm.feel(composed(kb, plan, genre="jazz", parameters={"feels": [{"value": "Swing", "swing": 0.85}]}))
    assert light["drums"]["offbeat_delay_ms"] >= plain["drums"]["offbeat_delay_ms"] - 3.0
    assert stated["swing_ratio"] >= 1.6 and stated["swing_ratio"] > plain["swing_ratio"]
    straight = mm.feel(composed(kb, plan, genre="jazz", parameters={"feels": [{"value": "Straight", "swing": 0.0}]}))
    assert straight["swing_ratio"] < 1.2  # a stated straight feel still straightens


def test_melody_breathes_rises_and_stays_in_range(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="pop", tempo_bpm=96, duration_s=60, key="C major", structure="verse_chorus")
    score = composed(kb, plan, genre="pop", instruments=("flute", "piano"))
    lead = score.track("lead")
    assert lead is not None and lead.instrument_id == "flute"
    m = mm.melody(score, "woodwind", mm.TESSITURA["flute"])
    assert m["in_range"] >= 0.95
    assert m["rest_windows"] is not None and m["rest_windows"] >= 0.9
    assert m["chorus_minus_verse"] is not None and m["chorus_minus_verse"] >= 2.0
    assert m["ends_off_tonic"] is not None and m["ends_off_tonic"] >= 0.3


def test_another_seed_is_another_take(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="rock", tempo_bpm=120, duration_s=30, key="A major")
    scores = [composed(kb, plan, genre="rock", seed=s) for s in (0, 1, 2)]
    assert len({mm.drum_signature(s) for s in scores}) == 3
    assert len({mm.arrangement_signature(s) for s in scores}) == 3


def test_midi_marks_the_sections(kb: KnowledgeBase) -> None:
    score = composed(kb, planned(kb, genre="pop", tempo_bpm=120, duration_s=40), genre="pop")
    mid = mido.MidiFile(file=__import__("io").BytesIO(midi_bytes(score)))
    ticks, markers = 0, []
    for msg in mid.tracks[0]:
        ticks += msg.time
        if msg.type == "marker":
            markers.append((ticks, msg.text))
    per_s = mid.ticks_per_beat * score.quarter_bpm / 60.0
    assert [t for t, _ in markers] == [round(s.start_s * per_s) for s in score.sections]
    assert [text.split(" (")[0] for _, text in markers] == [s.name for s in score.sections]
    assert np.isclose(sum(s.bars for s in score.sections) * score.bar_s, score.sections[-1].start_s
                      + score.sections[-1].duration_s)


def test_every_groove_has_a_fill_of_its_own_that_fits(kb: KnowledgeBase) -> None:
    from engine.structure import drums
    from engine.structure.meter import Meter

    voices = set(kb.synth_presets.gm_notes())
    for groove in kb.grooves:
        meter = Meter.parse(groove.meters[0])
        found = drums.genre_fill(groove, meter)
        assert found is not None, groove.id
        start, patterns = found
        assert set(patterns) <= voices and 0 < start < meter.steps_per_bar, groove.id
        pickup = drums.genre_pickup(groove, meter)
        assert pickup is None or not set(pickup[1]) & set(drums.TOM_VOICES)  # pickups never use the toms


def test_a_verse_sits_under_its_choruses() -> None:
    """Whatever the template's energies, a verse (or build) is at least 2.5 dB under the quietest chorus;
    nothing is raised, and forms without a chorus keep their energy levels."""
    from engine.structure.dynamics import CHORUS_LIFT_DB, section_gains

    gains = section_gains([0.5, 0.62, 0.65, 0.6, 0.66], 12.0, ["verse", "chorus", "verse", None, "chorus"])
    db = [20 * np.log10(g) for g in gains]
    assert max(db[0], db[2]) <= min(db[1], db[4]) - CHORUS_LIFT_DB + 1e-9
    assert max(gains) == 1.0 and gains[3] == section_gains([0.5, 0.62, 0.65, 0.6, 0.66], 12.0)[3]
    plain = section_gains([0.5, 0.6], 12.0, [None, None])
    assert plain == section_gains([0.5, 0.6], 12.0)


def _longest_breathless_bars(score: Score) -> float:
    """The longest stretch of the lead, in bars, from one rest of at least a beat to the next (the lead's
    entry counts as one, and so does the silence after its last note: the song's held final note ends it)."""
    lead = score.track("lead")
    assert lead is not None and lead.notes
    beat_s = score.bar_s / score.beats_per_bar if score.beat_unit == 4 else score.step_s * 6
    notes = sorted(lead.notes, key=lambda nt: nt.start_s)
    longest, since = 0.0, notes[0].start_s
    for n1, n2 in itertools.pairwise(notes):
        if n2.start_s - n1.end_s >= beat_s:
            longest, since = max(longest, n1.end_s - since), n2.start_s
    return max(longest, notes[-1].start_s - since) / score.bar_s


@pytest.mark.parametrize(("genre", "lead", "tempo_bpm", "meter", "structure"), [
    ("pop", "female_vocal", 100, "4/4", "verse_chorus"),
    ("smooth jazz", "saxophone", 90, "4/4", None),
    ("swing", "trumpet", 170, "4/4", None),
    ("folk", "harmonica", 66, "6/8", None),
    ("cinematic", "flute", 80, "3/4", None),
])
def test_sung_and_wind_leads_breathe_every_phrase(kb: KnowledgeBase, genre: str, lead: str, tempo_bpm: float,
                                                  meter: str, structure: str | None) -> None:
    """A singer or wind player needs air: every 4-bar window of the lead (at any bar, not only the phrase
    grid) holds a rest of at least a beat, under the band's swing and human timing."""
    plan = planned(kb, genre=genre, tempo_bpm=tempo_bpm, duration_s=60, meter=meter, structure=structure)
    for seed in (0, 1):
        score = composed(kb, plan, genre=kb.find_genre(genre).id, instruments=(lead,), seed=seed)
        track = score.track("lead")
        assert track is not None and track.instrument_id == lead
        assert _longest_breathless_bars(score) < 3.0, (genre, seed)
