"""How a piece ends and who solos (engine/structure/endings.py): the plan's ``ending`` and a section's ``lead``."""

from __future__ import annotations

import numpy as np

from engine import Engine
from engine.inputs import SectionIn
from engine.score import Note, SectionSpan, Track
from engine.structure.endings import (
    COLD_FADE_S,
    FADE_OUT_MIN_S,
    cold_stop,
    hand_solos,
    master_fade_in_s,
    master_fade_s,
)
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan


def spans(*bounds: tuple[str, float, float]) -> list[SectionSpan]:
    return [SectionSpan(name, start, length, 0, 4, 0.5) for name, start, length in bounds]


def test_the_master_fade_follows_the_ending() -> None:
    sections = spans(("verse", 0.0, 20.0), ("chorus", 20.0, 20.0), ("ending", 40.0, 2.0))
    assert master_fade_s("ring", sections, 42.0) == 4.0
    assert master_fade_s("cold", sections, 42.0) == COLD_FADE_S
    fade = master_fade_s("fade_out", sections, 42.0)
    assert FADE_OUT_MIN_S <= fade <= 0.35 * 42.0 + 1e-9  # over the last chorus, never most of the piece


def test_a_cold_stop_cuts_every_note_and_chokes_the_cymbals() -> None:
    drums = Track("drums", "drums", "drum_kit", "acoustic", 0, True, notes=[
        Note(7.9, 0.1, 36, 100), Note(8.0, 0.1, 36, 110), Note(8.0, 2.0, 49, 110), Note(9.0, 0.1, 38, 90)])
    keys = Track("harmony", "harmony", "piano", "piano", 0, False, notes=[Note(7.0, 4.0, 60, 80)])
    cold_stop([drums, keys], 8.5, hit_s=8.0)
    assert [n.pitch for n in drums.notes] == [36, 36]  # the crash on the hit is choked, nothing after the stop
    assert keys.notes[0].end_s == 8.5


def test_a_solo_section_hands_the_tune_to_the_soloist(kb: KnowledgeBase) -> None:
    lead = Track("lead", "lead", "synth_lead", "lead", 80, False, notes=[Note(4.0 + i, 0.5, 84, 90) for i in range(4)])
    guitar = Track("harmony", "harmony", "electric_guitar", "g", 27, False,
                   notes=[Note(0.0, 1.0, 52, 70), Note(4.0, 1.0, 52, 70)])
    sections = [SectionIn(name="verse", duration_ratio=0.5), SectionIn(name="solo", duration_ratio=0.5,
                                                                       lead="Electric Guitar")]
    hand_solos([lead, guitar], spans(("verse", 0.0, 4.0), ("solo", 4.0, 4.0)), sections, kb,
               range_of=lambda _: (52, 76))
    in_solo = [n for n in guitar.notes if n.start_s >= 4.0]
    assert len(in_solo) == 4 and all(52 <= n.pitch <= 76 for n in in_solo) and all(n.velocity > 90 for n in in_solo)
    assert guitar.notes[0].pitch == 52  # its own part before the solo stays
    assert not [n for n in lead.notes if n.start_s >= 4.0]  # the usual lead rests


def _tail_db(engine: Engine, kb: KnowledgeBase, ending: str) -> tuple[float, float]:
    plan = make_plan(tempo_bpm=120.0, duration_s=24.0, sections=(("verse", 0.5, 0.6), ("chorus", 0.5, 0.8)))
    plan["ending"] = ending
    result = engine.render(plan=plan, **make_controls(kb, tempo_bpm=120.0, genre="rock"), duration_s=24.0,
                           sample_rate=22050, seed=0)
    mono, sr = result.mix.mean(axis=0), result.sample_rate

    def db(a: float, b: float) -> float:
        return float(10 * np.log10(np.mean(mono[int(a * sr):int(b * sr)] ** 2) + 1e-18))

    return db(14.0, 17.0) - db(21.0, 22.0), db(14.0, 17.0) - db(23.0, 24.0)


def test_a_fade_out_is_heard_and_a_cold_stop_leaves_no_ring(engine: Engine, kb: KnowledgeBase) -> None:
    ring_3s, _ = _tail_db(engine, kb, "ring")
    fade_3s, fade_end = _tail_db(engine, kb, "fade_out")
    assert fade_3s >= ring_3s + 6.0 and fade_end >= 20.0  # fading well before the last chord would
    _, cold_end = _tail_db(engine, kb, "cold")
    assert cold_end >= 30.0  # the band stopped: the last second is the room at most


def test_resting_players_are_silent_in_their_section(kb: KnowledgeBase) -> None:
    from engine.structure.players import keep_section_players

    drums = Track("drums", "drums", "drum_machine", "lofi", 0, True, notes=[Note(t, 0.1, 36, 100) for t in range(8)])
    keys = Track("harmony", "harmony", "rhodes", "rhodes", 4, False, notes=[Note(t, 1.0, 60, 80) for t in range(8)])
    sections = [SectionIn(name="intro", duration_ratio=0.5, resting=["Drum Kit"]),
                SectionIn(name="loop", duration_ratio=0.5)]
    keep_section_players([drums, keys], spans(("intro", 0.0, 4.0), ("loop", 4.0, 4.0)), sections, kb)
    assert [n.start_s for n in drums.notes] == [4, 5, 6, 7]  # the drum machine is the 'Drum Kit' that comes in
    assert len(keys.notes) == 8


def test_a_fade_in_spans_the_opening() -> None:
    sections = spans(("intro", 0.0, 8.0), ("verse", 8.0, 30.0))
    assert master_fade_in_s(False, sections, 60.0) == 0.005
    assert master_fade_in_s(True, sections, 60.0) == 8.0
    assert master_fade_in_s(True, spans(("intro", 0.0, 30.0)), 60.0) == 12.0  # never more than a fifth


def test_a_loop_s_tail_rings_into_its_start() -> None:
    from engine.structure.endings import wrap_tail

    audio = np.zeros((2, 130), dtype=np.float32)
    audio[:, 95:110] = 1.0  # a note that rings 10 samples past the end
    looped = wrap_tail(audio, 100)
    assert looped.shape == (2, 100) and looped[0, 95:].sum() == 5 and looped[0, :10].sum() == 10
    assert master_fade_s("loop", spans(("loop", 0.0, 10.0)), 10.0) == 0.0
    assert master_fade_in_s(False, spans(("loop", 0.0, 10.0)), 10.0, loop=True) == 0.0


def test_a_part_or_a_bass_of_another_make_is_found(kb: KnowledgeBase) -> None:
    from engine.structure.players import played_by

    lead = Track("lead", "lead", "piano", "p", 0, False)
    bass = Track("bass", "bass", "double_bass", "b", 32, False)
    assert played_by([lead, bass], "part:lead", kb) == [lead]
    assert played_by([lead, bass], "Bass Guitar", kb) == [bass]  # "bass solo" in a trio with an upright


def test_a_resting_kit_piece_leaves_the_rest_of_the_kit(kb: KnowledgeBase) -> None:
    from engine.structure.players import keep_section_players

    drums = Track("drums", "drums", "kick", "house", 0, True,
                  notes=[Note(t / 2, 0.1, 36 if t % 2 == 0 else 42, 100) for t in range(16)])
    sections = [SectionIn(name="drop", duration_ratio=0.5), SectionIn(name="breakdown", duration_ratio=0.5,
                                                                      resting=["Kick Drum"])]
    keep_section_players([drums], spans(("drop", 0.0, 4.0), ("breakdown", 4.0, 4.0)), sections, kb)
    later = [n.pitch for n in drums.notes if n.start_s >= 4.0]
    assert later and set(later) == {42}  # the hats play on without the kick
    assert 36 in {n.pitch for n in drums.notes if n.start_s < 4.0}
    assert kb.synth_presets.piece_notes("kick") == frozenset({36}) and not kb.synth_presets.piece_notes("piano")


def _section_levels_db(engine: Engine, kb: KnowledgeBase, **plan_extra: object) -> list[float]:
    sections = (("verse", 0.25, 0.3), ("chorus", 0.25, 0.5), ("verse 2", 0.25, 0.7), ("chorus 2", 0.25, 0.9))
    plan = make_plan(tempo_bpm=120.0, duration_s=32.0, sections=sections) | dict(plan_extra)
    result = engine.render(plan=plan, **make_controls(kb, tempo_bpm=120.0, genre="pop"), duration_s=32.0,
                           sample_rate=22050, seed=0)
    mono, sr = result.mix.mean(axis=0), result.sample_rate
    return [float(10 * np.log10(np.mean(mono[int(s.start_s * sr):int((s.start_s + s.duration_s) * sr)] ** 2)))
            for s in result.score.sections]


def test_under_an_arc_a_later_verse_is_not_pulled_under_the_first_chorus(engine: Engine, kb: KnowledgeBase) -> None:
    """A song's verse sits a lift under its quietest chorus; a rising piece's second verse, louder by its energy
    than the first chorus, stays so under an arc."""
    song = _section_levels_db(engine, kb)
    rising = _section_levels_db(engine, kb, arc="rise")
    assert song[2] < song[1]  # the song-form lift caps the second verse under the first chorus
    assert rising[2] > rising[1]


def test_a_loop_is_whole_bars_of_music_to_its_last_sample(engine: Engine, kb: KnowledgeBase) -> None:
    plan = make_plan(tempo_bpm=120.0, duration_s=16.0, sections=(("loop A", 1.0, 0.6),)) | {"ending": "loop"}
    result = engine.render(plan=plan, **make_controls(kb, tempo_bpm=120.0, genre="pop"), duration_s=16.0,
                           sample_rate=22050, seed=0)
    mono, sr = result.mix.mean(axis=0), result.sample_rate
    assert sum(s.bars for s in result.score.sections) == 8  # every bar is music: no ring-out is reserved
    last = float(np.sqrt(np.mean(mono[-sr // 20:] ** 2)))
    assert last > 0.01 * float(np.sqrt(np.mean(mono ** 2)))  # no fade to silence at the seam
