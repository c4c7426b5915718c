"""Songs, not loops (issue 10): a chorus opens up over its verse (a trap hook played its verse's groove and came out
+1.9 LU), and a verse that leads into a chorus opens light and builds (a 30 s pop clip held one level for its verse:
loudness range 3.4 LU)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bench import music_metrics as mm
from engine import Engine
from engine.score import Score
from engine.structure.dynamics import OPENING_DB, chorus_level
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan
from tests.engine.structure.test_composition import composed

SNARES = {38, 40}
CRASHES = {49, 57}


def _with_bars(plan: dict[str, Any], bars: tuple[int, ...]) -> dict[str, Any]:
    for section, count in zip(plan["sections"], bars, strict=True):
        section["bars"] = count
    plan["total_bars"] = sum(bars)
    return plan


def _trap_plan() -> dict[str, Any]:  # a 30 s trap beat as the rule planner lays it out: intro 3, hook 4, verse 8
    return _with_bars(make_plan(tempo_bpm=140.0, duration_s=30.0, key="A minor", chords=("Am", "F", "Dm", "E"),
                                sections=(("intro", 0.2, 0.4), ("hook", 0.27, 0.75), ("verse", 0.53, 0.65))), (3, 4, 8))


def _pop_plan(order: tuple[str, ...] = ("intro", "verse", "chorus")) -> dict[str, Any]:
    """A 30 s pop clip: a one-bar intro, an 8-bar verse, a 4-bar chorus (as the rule planner lays it out)."""
    shape = {"intro": (0.08, 0.42, 1), "verse": (0.61, 0.52, 8), "chorus": (0.31, 0.87, 4)}
    plan = make_plan(tempo_bpm=117.0, duration_s=30.0, key="C major", chords=("C", "Am", "F", "G"),
                     sections=tuple((name, shape[name][0], shape[name][1]) for name in order))
    return _with_bars(plan, tuple(shape[name][2] for name in order))


def _bars(score: Score, name: str) -> list[list[int]]:
    span = next(s for s in score.sections if s.name == name)
    drums = score.track("drums")
    assert drums is not None
    return [[nt.pitch for nt in drums.notes if span.start_s + b * score.bar_s - 0.05 <= nt.start_s
             < span.start_s + (b + 1) * score.bar_s - 0.05] for b in range(span.bars)]


def test_a_chorus_plays_the_groove_level_above_its_verse() -> None:
    assert chorus_level("mid", "chorus", "mid") == "high"  # the trap hook at 0.67 over its verse at 0.60
    assert chorus_level("low", "chorus", "low") == "mid"
    assert chorus_level("mid", "chorus", "low") == "mid"  # already above its verse
    assert chorus_level("high", "chorus", "high") == "high"  # nothing above high
    assert chorus_level("mid", "verse", "mid") == "mid"
    assert chorus_level("mid", "chorus", None) == "mid"  # no verse: a loop form keeps its levels


@pytest.mark.parametrize("seed", [0, 2])
def test_a_trap_hook_opens_up_over_its_verse(kb: KnowledgeBase, engine: Engine, seed: int) -> None:
    """The hook plays trap's high groove (the open hat, the kick pickup the 808 follows) and the lift layer; it
    comes out at least 2 LU over the verse."""
    plan = _trap_plan()
    controls = make_controls(kb, tempo_bpm=140.0, genre="trap", energy=0.5)
    r = engine.render(plan=plan, duration_s=30.0, sample_rate=44100, seed=seed, **controls)
    hook, verse = _bars(r.score, "hook"), _bars(r.score, "verse")
    assert all(46 in bar for bar in hook[:-1])  # trap's high level: an open hat every bar
    lift = mm.chorus_lift(r.score, r.mix, 44100)
    assert lift["chorus_lu"] >= 2.0 and lift["chorus_extra_parts"] >= 1, lift
    span = {s.name: s for s in r.score.sections}
    bass = r.score.track("bass")
    assert bass is not None
    per_bar = {name: sum(span[name].start_s - 0.05 <= nt.start_s < span[name].start_s + span[name].duration_s - 0.05
                         for nt in bass.notes) / span[name].bars for name in ("hook", "verse")}
    assert per_bar["hook"] > per_bar["verse"], per_bar  # a fuller 808 under the hook
    assert len(verse) >= 8


def test_a_verse_opens_light_and_builds_into_its_chorus(kb: KnowledgeBase) -> None:
    score = composed(kb, _pop_plan(), genre="pop", instruments=("piano",), energy=0.53, seed=2)
    verse = _bars(score, "verse")
    assert len(verse) == 8
    # the first half on kick and hats (pop's low level), the backbeat from the half on
    assert not any(SNARES & set(bar) for bar in verse[:4])
    assert all(SNARES & set(bar) for bar in verse[4:])
    assert all(36 in bar for bar in verse)  # the kick keeps the pulse throughout
    # a verse that opens quietly has no crash on its first downbeat; the chorus still crashes in
    assert not CRASHES & set(verse[0])
    assert CRASHES & set(_bars(score, "chorus")[0])
    assert score.bar_levels == ["mid"] + ["low"] * 4 + ["mid"] * 4 + ["high"] * 4  # the levels the bars played
    span = next(s for s in score.sections if s.name == "verse")
    times = np.array([t for t, _ in score.gain_points])
    gains = np.array([g for _, g in score.gain_points])
    start, full = np.interp([span.start_s + 0.01, span.start_s + 4 * score.bar_s], times, gains)
    assert 20 * np.log10(start / full) == pytest.approx(-OPENING_DB, abs=0.2)  # it grows into its full level
    # a verse that does not lead into a chorus (the song's last, a loop) plays its own level all through
    tail = composed(kb, _pop_plan(("intro", "chorus", "verse")), genre="pop", instruments=("piano",), energy=0.53,
                    seed=2)
    assert all(SNARES & set(bar) for bar in _bars(tail, "verse"))


def test_a_short_pop_song_moves_4_to_8_lu(kb: KnowledgeBase, engine: Engine) -> None:
    controls = make_controls(kb, tempo_bpm=117.0, genre="pop", instruments=("piano", "bells"), energy=0.53)
    r = engine.render(plan=_pop_plan(), duration_s=30.0, sample_rate=44100, seed=2, **controls)
    lra = mm.loudness_range_lu(r.mix, 44100)
    assert 4.0 <= lra <= 8.0, lra
    assert mm.chorus_lift(r.score, r.mix, 44100)["chorus_lu"] >= 3.0


def test_a_driving_verse_hits_from_its_first_bar(kb: KnowledgeBase) -> None:
    """A verse at high energy (metal, punk) keeps its level all through: metal's double kick stays in every
    high-energy bar."""
    plan = _with_bars(make_plan(tempo_bpm=160.0, duration_s=30.0, key="E minor", chords=("Em", "C", "D", "Em"),
                                sections=(("intro", 0.2, 0.6), ("verse", 0.5, 0.85), ("chorus", 0.3, 0.95))),
                      (4, 8, 6))
    score = composed(kb, plan, genre="heavy_metal", energy=0.8)
    verse = next(s for s in score.sections if s.name == "verse")
    assert verse.bars >= 8
    assert set(score.bar_levels[verse.start_bar:]) == {"high"}
    assert CRASHES & set(_bars(score, "verse")[0])  # a verse that starts full crashes in
    assert all(sum(p == 36 for p in bar) >= 12 for bar in _bars(score, "verse")[:-1])
