"""Songs, not loops (issue 10): a long loop-based track dips into a breakdown and comes back, and the drummer
plays a new take of the groove when a later section returns to a level already played."""

from __future__ import annotations

import pytest

from bench import music_metrics as mm
from engine.score import SectionSpan
from knowledge_base import KnowledgeBase
from tests.engine.structure.test_composition import composed, planned


def test_a_long_loop_track_breaks_down_and_comes_back(kb: KnowledgeBase) -> None:
    plan = planned(kb, genre="deep house", tempo_bpm=124, duration_s=180, key="A minor")
    score = composed(kb, plan, genre="deep_house")
    names = [s.name for s in score.sections]
    assert "breakdown" in names and names.index("breakdown") not in (0, len(names) - 1)
    bd = score.sections[names.index("breakdown")]
    after = score.sections[names.index("breakdown") + 1]

    def onsets(role: str, a: float, b: float) -> int:
        track = score.track(role)
        return 0 if track is None else sum(1 for nt in track.notes if a <= nt.start_s < b)
    body_end = bd.start_s + bd.duration_s - score.bar_s - 0.05  # the last bar rolls the beat back in
    assert onsets("drums", bd.start_s + 0.05, body_end) == 0 and onsets("bass", bd.start_s + 0.05, body_end) == 0
    assert onsets("drums", bd.start_s + 0.05, bd.start_s + bd.duration_s) > 0  # the roll back in
    assert onsets("drums", after.start_s, after.start_s + after.duration_s) > 0
    assert onsets("bass", after.start_s, after.start_s + after.duration_s) > 0
    assert onsets("pad", bd.start_s, bd.start_s + bd.duration_s) > 0  # pads and melody alone
    assert bd.energy < min(s.energy for s in score.sections if s.name.startswith("loop"))


@pytest.mark.parametrize(("genre", "kb_genre", "tempo_bpm", "key"), [
    ("deep house", "deep_house", 124, "A minor"), ("rock", "rock", 128, "A major"), ("pop", "pop", 96, "C major")])
def test_three_minutes_are_not_a_drum_loop(kb: KnowledgeBase, genre: str, kb_genre: str, tempo_bpm: float,
                                           key: str) -> None:
    """At least 30% distinct drum bars in three minutes (a 3-minute house track had 22 in 91), the genre's
    kick and backbeat kept in every take."""
    score = composed(kb, planned(kb, genre=genre, tempo_bpm=tempo_bpm, duration_s=180, key=key), genre=kb_genre)
    assert mm.groove(score)["unique_drum_bars"] >= 0.3


@pytest.mark.parametrize("genre", ["smooth_jazz", "pop", "rock"])
def test_a_quiet_verse_s_pad_stays_into_the_chorus(kb: KnowledgeBase, genre: str) -> None:
    """A low verse is filled with a pad; its chorus (mid energy) used to drop that pad as the lift layer came in,
    so the chorus gained nothing."""
    from tests.engine.conftest import make_plan

    plan = make_plan(tempo_bpm=90.0, duration_s=30.0, sections=(("verse", 0.5, 0.3), ("chorus", 0.5, 0.6)))
    score = composed(kb, plan, genre=genre, energy=0.3)
    verse, chorus = score.sections

    def parts(sec: SectionSpan) -> set[str]:
        a, b = sec.start_s - 0.05, sec.start_s + sec.duration_s - 0.05
        return {t.name for t in score.tracks if any(a <= nt.start_s < b for nt in t.notes)}
    assert parts(verse) < parts(chorus)
