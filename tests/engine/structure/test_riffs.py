"""Metal's rhythm guitar plays riffs, not strummed power chords (issue 10): palm-muted chugs on the chord's root with
stabs on the mode's other degrees (the minor third states E minor: G5 over E), the plan's chord roots in every bar,
the same grid at any tempo, another riff for another seed, a major key's riff in major, and a bass that doubles it."""

from __future__ import annotations

from typing import Any

import pytest

from aurora.contracts import PlanParameters
from aurora.planner import StructuralPlanner
from engine.inputs import parse_parameters, parse_plan
from engine.score import ChordSpan, Score
from engine.structure.arrangement import compose
from engine.structure.riffs import at_level, parse_cell, stab_interval
from knowledge_base import KnowledgeBase
from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.layout import decode
from knowledge_base.sound import RiffSet
from tests.engine.conftest import make_controls, make_plan

E_MINOR = [0, 2, 3, 5, 7, 8, 10]
MAJOR = [0, 2, 4, 5, 7, 9, 11]


def _planned(kb: KnowledgeBase, *, genre: str, tempo_bpm: float, key: str, chords: tuple[str, ...] = (),
             duration_s: float = 24.0) -> dict[str, Any]:
    plan, _ = StructuralPlanner(kb).plan(PlanParameters(genre=genre, mood="", tempo_bpm=tempo_bpm,
                                                        duration_seconds=duration_s, key=key, chords=list(chords)))
    return plan.model_dump(by_alias=True)


def _composed(kb: KnowledgeBase, plan: dict[str, Any], *, genre: str, energy: float = 0.8, seed: int = 0) -> Score:
    controls = make_controls(kb, tempo_bpm=float(plan["tempo_bpm"]), genre=genre, energy=energy)
    return compose(plan=parse_plan(plan), controls=decode(kb, controls["control_embedding"]),
                   params=parse_parameters(controls["parameters"]), kb=kb, duration_s=float(plan["duration_s"]),
                   seed=seed)


def _onsets(score: Score, role: str) -> dict[int, list[int]]:
    """Step (from the start) -> pitches struck there."""
    track = score.track(role)  # type: ignore[arg-type]
    assert track is not None
    out: dict[int, list[int]] = {}
    for nt in track.notes:
        out.setdefault(round(nt.start_s / score.step_s), []).append(nt.pitch)
    return out


def _span_at(score: Score, step: int) -> ChordSpan | None:
    t = step * score.step_s + 1e-3
    return next((c for c in score.chords if c.start_s - 0.03 <= t < c.start_s + c.duration_s - 0.03), None)


def _stabs(score: Score) -> dict[int, int]:
    """Step -> the stab's interval over its chord's root, for every rhythm-guitar onset off the root."""
    out = {}
    for step, pitches in _onsets(score, "harmony").items():
        span = _span_at(score, step)
        if span is not None and (min(pitches) - span.root_pc) % 12:
            out[step] = (min(pitches) - span.root_pc) % 12
    return out


def test_metal_riff_states_e_minor_and_keeps_the_plan_s_chords(kb: KnowledgeBase) -> None:
    score = _composed(kb, _planned(kb, genre="metal", tempo_bpm=160, key="E minor", chords=("Em", "F", "Em")),
                      genre="metal")
    harmony = score.track("harmony")
    assert harmony is not None and harmony.instrument_id == "distorted_guitar"
    assert {c.symbol for c in score.chords} == {"Em", "F"}  # the stated chords stay the harmony
    assert any(nt.pitch % 12 == 7 for nt in harmony.notes)  # G: the minor third, as a riff's stab
    assert not any(nt.pitch % 12 == 8 for nt in harmony.notes)  # never G#: nothing says E major
    onsets, stabs = _onsets(score, "harmony"), _stabs(score)
    steps_per_bar = round(score.bar_s / score.step_s)
    bars = int(score.chords[-1].start_s / score.bar_s + 1e-6) + 1
    for pair in range(0, bars - 1, 2):  # a stab off the root at least every two bars
        assert any(pair * steps_per_bar <= s < (pair + 2) * steps_per_bar for s in stabs), pair
    for span in score.chords:  # every chord of the plan is struck on its root where it starts
        first = round(span.start_s / score.step_s)
        assert min(onsets[first]) % 12 == span.root_pc, span
    bass = _onsets(score, "bass")  # the bass doubles the riff's stabs
    doubled = [s for s, interval in stabs.items() if s in bass and any(
        (p - min(onsets[s])) % 12 == 0 for p in bass[s])]
    assert len(doubled) >= 0.9 * len(stabs) and stabs


def test_the_riff_is_the_same_grid_at_120_and_180_bpm(kb: KnowledgeBase) -> None:
    grids = []
    for tempo in (120.0, 180.0):
        plan = make_plan(tempo_bpm=tempo, key="E minor", chords=("Em",), duration_s=8 * 240.0 / tempo,
                         sections=(("verse", 1.0, 0.8),))
        score = _composed(kb, plan, genre="heavy_metal")
        onsets = _onsets(score, "harmony")
        grids.append({(s, tuple(sorted(p - min(ps) for p in ps)), (min(ps) - 4) % 12)
                      for s, ps in onsets.items() if s < 4 * 16})
    assert grids[0] == grids[1]
    assert any(interval for _s, _shape, interval in grids[0])  # a riff, not a strum: stabs off the root


def test_another_seed_plays_another_riff(kb: KnowledgeBase) -> None:
    plan = _planned(kb, genre="metal", tempo_bpm=150, key="E minor")
    riffs = set()
    for seed in (0, 1, 2):
        score = _composed(kb, plan, genre="metal", seed=seed)
        start = round(score.sections[0].start_s / score.step_s)
        riffs.add(tuple(sorted((s - start, i) for s, i in _stabs(score).items() if s - start < 32)))
    assert len(riffs) == 3, riffs


def test_a_major_key_riff_stays_major(kb: KnowledgeBase) -> None:
    score = _composed(kb, _planned(kb, genre="hard rock", tempo_bpm=130, key="A major", chords=("A", "D", "E")),
                      genre="hard_rock")
    stabs = _stabs(score)
    assert stabs  # hard rock riffs too
    a_major = {(9 + i) % 12 for i in MAJOR}
    for role in ("harmony", "bass"):
        track = score.track(role)  # type: ignore[arg-type]
        assert track is not None
        assert {nt.pitch % 12 for nt in track.notes} <= a_major, role  # no C: the riff is not turned minor


def test_tokens_read_against_the_chord_and_the_mode(kb: KnowledgeBase) -> None:
    def span(symbol: str, root: int, pcs: tuple[int, ...]) -> ChordSpan:
        return ChordSpan(0.0, 1.0, symbol, root, pcs, root)

    em, e, f, c = span("Em", 4, (4, 7, 11)), span("E", 4, (4, 8, 11)), span("F", 5, (5, 9, 0)), span("C", 0, (0, 4, 7))
    assert [stab_interval(t, em, tonic_pc=4, scale=E_MINOR) for t in "x3b7t4"] == [0, 3, 1, 10, 6, 5]
    assert [stab_interval(t, e, tonic_pc=4, scale=MAJOR) for t in "3b7t"] == [4, 2, 11, 5]  # E major's degrees
    assert stab_interval("3", f, tonic_pc=4, scale=E_MINOR) == 0  # the bII is outside the key: its root
    assert stab_interval("b", c, tonic_pc=4, scale=E_MINOR) == 2  # flat second over the tonic only
    assert stab_interval("3", c, tonic_pc=4, scale=E_MINOR) == 4  # C's third in E minor is E
    assert stab_interval("3", em, tonic_pc=4, scale=MAJOR) == 3  # a minor chord's own third, whatever the key says


def test_energy_thins_or_gallops_the_cell() -> None:
    hits = parse_cell("x.x.x.3-x.x.b-x.", bar=0, steps=16)
    low = at_level(hits, "low", steps=16, beat_steps=4)
    high = at_level(hits, "high", steps=16, beat_steps=4)
    assert sum(h.token.isalnum() and h.token not in "Xxo" for h in low) == 1  # one stab
    assert low[0].token == "X" and low[0].length >= 2  # the downbeat rings
    assert len(low) < len(hits) < len(high)
    assert {h.step for h in high} - {h.step for h in hits} == {3, 11}  # x.x. beats gallop: x.xx
    two_bar = "x.x.x.x.3-x.x.4-x.x.x.x.7-x.b-x."
    assert [h.token for h in parse_cell(two_bar, bar=1, steps=16) if h.token not in "x"] == ["7", "b"]


def test_a_quiet_song_riffs_sparser_than_a_loud_one(kb: KnowledgeBase) -> None:
    counts = []
    for energy in (0.0, 1.0):
        plan = make_plan(tempo_bpm=140.0, key="E minor", chords=("Em",), duration_s=8 * 240.0 / 140.0,
                         sections=(("verse", 1.0, energy),))
        score = _composed(kb, plan, genre="heavy_metal", energy=energy)
        onsets, stabs = _onsets(score, "harmony"), _stabs(score)
        counts.append((len([s for s in onsets if s < 4 * 16]), len([s for s in stabs if s < 4 * 16])))
    (quiet, quiet_stabs), (loud, loud_stabs) = counts
    assert quiet < loud and 1 <= quiet_stabs <= 4 and quiet_stabs <= loud_stabs  # fewer hits, a stab a bar


@pytest.mark.parametrize("cell", ["..x.3-x.x.b-x.x.", "x.x.x.x.x.x.x.x.", "x.x.3-x.x.b-x.", "x.x.x.3-x.x.b-x.z"])
def test_a_bad_riff_cell_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="riffs"):
        RiffSet(id="bad", genres=["heavy_metal"], cells=["x.x.x.3-x.x.b-x.", "x.x.3-x.x.x.4-x.", cell])


def test_riffs_name_known_genres(kb: KnowledgeBase, tmp_path: Any) -> None:
    assert {g for r in kb.riffs for g in r.genres} >= {"heavy_metal", "thrash_metal", "hard_rock", "grunge"}
    import shutil

    from knowledge_base import loader

    folder = tmp_path / "kb"
    shutil.copytree(loader.DEFAULT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = (folder / "grooves.yaml").read_text(encoding="utf-8")
    (folder / "grooves.yaml").write_text(text.replace("genres: [grunge]", "genres: [grungy_nonsense]"),
                                         encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="unknown genre grungy_nonsense"):
        loader.load(folder)
