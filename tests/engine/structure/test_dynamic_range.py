"""Dynamic range per genre family (issue 10): classical, cinematic and ambient music moves from soft to loud
(loudness range >= 8 LU) while pop keeps the steadier 4-8 LU; every render stays at -14 LUFS under the
true-peak ceiling. The family's figures are data (mix_presets.yaml ``dynamics``)."""

from __future__ import annotations

import numpy as np
import pytest

from bench import music_metrics as mm
from engine import Engine
from engine.score import Score, SectionSpan
from engine.structure.dynamics import dynamics
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls
from tests.engine.structure.test_composition import planned


def test_families_carry_their_dynamics_as_data(kb: KnowledgeBase) -> None:
    wide = [kb.mix_presets.for_genres([g.id for g in kb.genre_lineage(name)]) for name in
            ("classical", "epic_trailer", "ambient")]
    narrow = [kb.mix_presets.for_genres([g.id for g in kb.genre_lineage(name)]) for name in
              ("pop", "house", "downtempo")]
    for preset in wide:
        assert preset.dynamics.swell_db >= 10 and preset.dynamics.section_db_per_energy > 12
        assert preset.master.ratio <= 1.5  # a light bus compressor: it must not undo the dynamics
    for preset in narrow:
        assert preset.dynamics.swell_db == 0 and preset.dynamics.section_db_per_energy == 12


def test_a_swell_grows_into_a_louder_section_and_recedes_at_the_end() -> None:
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="film_score", duration_s=16.0, bar_s=2.0, step_s=0.125)
    score.sections = [SectionSpan("intro", 0.0, 8.0, 0, 4, 0.4), SectionSpan("climax", 8.0, 8.0, 4, 4, 0.9)]
    dynamics(score, [0.4, 1.0], ["none"], bar_s=2.0, beat_s=0.5, swell_db=12.0)
    times = np.array([t for t, _ in score.gain_points])
    gains = np.array([g for _, g in score.gain_points])
    at = lambda t: float(np.interp(t, times, gains))  # noqa: E731
    assert at(0.0) == pytest.approx(0.4 * 10 ** (-12 / 20))  # soft at the start
    assert at(7.9) == pytest.approx(0.4)  # the intro's crescendo holds into the louder climax
    assert at(8.01) >= 0.4 - 1e-6  # which goes on from there, not from below
    assert at(8.0 + 0.65 * 8.0) == pytest.approx(1.0)
    assert at(16.0) == pytest.approx(10 ** (-9 / 20))  # and the piece recedes at its end


@pytest.mark.parametrize(("genre", "instruments", "low", "high"), [
    ("cinematic", ("strings", "french_horn"), 8.0, 40.0),
    ("classical", ("piano",), 8.0, 40.0),
    ("pop", ("piano", "female_vocal"), 4.0, 8.0),
    ("techno", (), 4.0, 8.0),  # a club clip builds to its drop (one loop section: 2.9 LU)
])
def test_loudness_range_by_family(kb: KnowledgeBase, engine: Engine, genre: str, instruments: tuple[str, ...],
                                  low: float, high: float) -> None:
    plan = planned(kb, genre=genre, tempo_bpm=90, duration_s=36)
    controls = make_controls(kb, tempo_bpm=90.0, genre=genre, instruments=instruments, energy=0.6)
    r = engine.render(plan=plan, duration_s=36.0, sample_rate=44100, seed=0, **controls)
    lra = mm.loudness_range_lu(r.mix, 44100)
    assert low <= lra <= high, (genre, lra)
    assert abs(r.loudness_lufs + 14.0) <= 1.0
    assert r.true_peak_dbtp <= -1.0 + 1e-6


def test_a_club_build_is_a_crescendo_into_the_drop(kb: KnowledgeBase) -> None:
    """Dance music's build starts well under the drop and rises into it (data: the electronic family's
    build_rise_db), so the energy dips and returns instead of only the fader moving 3 dB."""
    family = kb.mix_presets.for_genres([g.id for g in kb.genre_lineage("dubstep")]).dynamics
    assert family.build_rise_db >= 3
    score = Score(tempo_bpm=140.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="minor",
                  key_is_minor=True, genre_id="dubstep", duration_s=24.0, bar_s=24 / 14, step_s=24 / 14 / 16)
    bar = score.bar_s
    score.sections = [SectionSpan("intro", 0.0, 2 * bar, 0, 2, 0.4), SectionSpan("build", 2 * bar, 4 * bar, 2, 4, 0.7),
                      SectionSpan("drop", 6 * bar, 8 * bar, 6, 8, 1.0)]
    dynamics(score, [0.6, 0.7, 1.0], ["build", "drop"], bar_s=bar, beat_s=bar / 4,
             build_rise_db=family.build_rise_db)
    times = np.array([t for t, _ in score.gain_points])
    gains = np.array([g for _, g in score.gain_points])
    at = lambda t: float(np.interp(t, times, gains))  # noqa: E731
    assert 20 * np.log10(at(2 * bar + 0.01) / 0.7) <= -family.build_rise_db + 0.1  # the build starts low
    assert at(6 * bar - bar / 4 - 0.03) == pytest.approx(0.7, rel=0.01)  # and has risen to its level by the drop
    assert at(2 * bar + 0.01) < at(4 * bar) < at(5.5 * bar)


@pytest.mark.parametrize(("genre", "tempo_bpm"), [("dubstep", 140.0), ("drum and bass", 174.0)])
def test_edm_breathes_four_to_eight_lu(kb: KnowledgeBase, engine: Engine, genre: str, tempo_bpm: float) -> None:
    plan = planned(kb, genre=genre, tempo_bpm=tempo_bpm, duration_s=30, key="F minor")
    assert [s["name"] for s in plan["sections"] if s["name"] != "ending"][-2:] == ["build", "drop"]  # a tag may close
    controls = make_controls(kb, tempo_bpm=tempo_bpm, genre=genre.replace(" ", "_"), energy=0.7)
    r = engine.render(plan=plan, duration_s=30.0, sample_rate=44100, seed=0, **controls)
    assert 4.0 <= mm.loudness_range_lu(r.mix, 44100) <= 8.0


def test_players_shape_a_hairpin_with_their_touch() -> None:
    """Where a family swells, a note at the soft start of a hairpin is played softer than one at its peak (the
    fader alone used to make the crescendo: every note at one velocity)."""
    from engine.score import Note, Track
    from engine.structure.dynamics import hairpin_touch

    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="film_score", duration_s=16.0, bar_s=2.0, step_s=0.125)
    score.sections = [SectionSpan("A", 0.0, 16.0, 0, 8, 0.6)]
    score.tracks = [Track("pad", "pad", "strings", "strings", 48, False,
                          notes=[Note(t, 0.5, 60, 100) for t in np.arange(0.0, 16.0, 0.5)])]
    dynamics(score, [1.0], [], bar_s=2.0, beat_s=0.5, swell_db=12.0)
    hairpin_touch(score, [1.0])
    vel = {round(nt.start_s, 1): nt.velocity for nt in score.tracks[0].notes}
    assert vel[0.0] <= 65 and vel[10.5] >= 98  # about 0.6 of the velocity 12 dB under, full at the peak
    assert vel[0.0] < vel[5.0] < vel[10.5]


def test_a_trap_hook_stands_over_its_verse(kb: KnowledgeBase, engine: Engine) -> None:
    plan = planned(kb, genre="trap", tempo_bpm=140, duration_s=30, key="G minor")
    assert {"hook", "verse"} <= {s["name"] for s in plan["sections"]}
    controls = make_controls(kb, tempo_bpm=140.0, genre="trap", energy=0.6)
    r = engine.render(plan=plan, duration_s=30.0, sample_rate=44100, seed=2, **controls)
    lift = mm.chorus_lift(r.score, r.mix, 44100)
    assert lift["chorus_lu"] >= 2.0 and lift["chorus_extra_parts"] >= 1
