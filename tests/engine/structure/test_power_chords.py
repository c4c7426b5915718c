"""A rhythm guitar's voicing follows its sound: through an overdriven or distorted program it plays power chords
(root, fifth, octave; no third), a clean guitar keeps full chords."""

from __future__ import annotations

import pytest

from engine.inputs import parse_parameters, parse_plan
from engine.score import Score
from engine.structure.arrangement import compose
from engine.structure.harmony import parse_chord, power_chord
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from tests.engine.conftest import make_controls, make_plan


def _score(kb: KnowledgeBase, genre: str, instruments: tuple[str, ...] = ()) -> Score:
    controls = make_controls(kb, tempo_bpm=120.0, genre=genre, instruments=instruments, energy=0.8)
    return compose(plan=parse_plan(make_plan(tempo_bpm=120.0, duration_s=12.0, chords=("Am", "F", "C", "G"))),
                   controls=decode(kb, controls["control_embedding"]), params=parse_parameters(controls["parameters"]),
                   kb=kb, duration_s=12.0, seed=0)


def _thirds(score: Score) -> tuple[int, int]:
    """(harmony notes on their chord's third, harmony notes) over the chords' spans."""
    track = score.track("harmony")
    assert track is not None and track.notes
    on_third = counted = 0
    for note in track.notes:
        span = next((c for c in reversed(score.chords) if c.start_s <= note.start_s + 0.05), None)
        if span is None or note.start_s > score.chords[-1].start_s + score.chords[-1].duration_s:
            continue
        counted += 1
        on_third += (note.pitch - span.root_pc) % 12 in (3, 4)
    return on_third, counted


@pytest.mark.parametrize(("genre", "instrument"), [("rock", "electric_guitar"), ("heavy_metal", "distorted_guitar"),
                                                   ("punk", "distorted_guitar")])
def test_distorted_rhythm_guitar_plays_power_chords(kb: KnowledgeBase, genre: str, instrument: str) -> None:
    score = _score(kb, genre)
    track = score.track("harmony")
    assert track is not None and track.instrument_id == instrument
    on_third, counted = _thirds(score)
    assert counted > 20 and on_third == 0, f"{on_third} of {counted} notes on the third"
    assert min(n.pitch for n in track.notes) < 50  # rooted on the low strings
    by_onset: dict[float, list[int]] = {}
    for note in track.notes:
        by_onset.setdefault(round(note.start_s, 1), []).append(note.pitch)
    shapes = {tuple(p - min(ps) for p in sorted(ps)) for ps in by_onset.values() if len(ps) == 3}
    assert shapes == {(0, 7, 12)}, shapes


def test_clean_guitar_keeps_full_chords(kb: KnowledgeBase) -> None:
    score = _score(kb, "jazz", instruments=("clean_electric_guitar",))
    track = score.track("harmony")
    assert track is not None and track.instrument_id == "clean_electric_guitar"
    on_third, counted = _thirds(score)
    assert on_third >= counted // 6


def test_power_chord_shape(kb: KnowledgeBase) -> None:
    a_minor, b_dim, g7 = (parse_chord(s, kb.chords) for s in ("Am", "Bdim", "G7"))
    assert a_minor is not None and b_dim is not None and g7 is not None
    assert power_chord(a_minor.pitch_classes, None, low=40, high=52) == (45, 52, 57)
    assert power_chord(g7.pitch_classes, (45, 52, 57), low=40, high=52) == (43, 50, 55)  # slides two frets down
    assert power_chord(b_dim.pitch_classes, None, low=40, high=52) is None  # no perfect fifth: full chord
