"""The arrangement bench's judges on signals whose answer is known: a fade, a ring, a cold stop, a climb, a turn."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from bench.arrangement_eval import KINDS, SETS, arc_check, cold_check, fade_check, read, turn_check
from engine.score import Note, Score, SectionSpan, Track
from engine.structure.harmony import chord_span, parse_chord
from knowledge_base import KnowledgeBase

SR = 8000


def tone(duration_s: float) -> np.ndarray:
    t = np.arange(int(duration_s * SR)) / SR
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_a_long_fade_passes_and_a_short_ring_does_not() -> None:
    x = tone(30.0)
    faded = x.copy()
    faded[-10 * SR:] *= np.linspace(1, 0, 10 * SR) ** 2
    rung = x.copy()
    rung[-2 * SR:] *= np.linspace(1, 0, 2 * SR) ** 2
    assert fade_check(faded, SR, 30.0)["ok"] and not fade_check(rung, SR, 30.0)["ok"]


def test_a_cold_stop_passes_and_a_ringing_chord_does_not() -> None:
    stopped = tone(10.0)
    stopped[8 * SR:] *= np.exp(-np.arange(2 * SR) / (0.05 * SR))  # a short room tail
    ringing = tone(10.0)
    ringing[7 * SR:] *= np.exp(-np.arange(3 * SR) / (0.6 * SR))
    assert cold_check(stopped, SR)["ok"] and not cold_check(ringing, SR)["ok"]


def test_a_climb_passes_and_a_song_contour_does_not() -> None:
    spans = [SectionSpan(f"s{i}", 8.0 * i, 8.0, 4 * i, 4, 0.5) for i in range(4)]
    climb = np.concatenate([tone(8.0) * g for g in (0.1, 0.2, 0.4, 0.8)])
    contour = np.concatenate([tone(8.0) * g for g in (0.2, 0.8, 0.2, 0.8)])
    assert arc_check(climb, SR, spans, True, 32.0)["ok"]
    assert not arc_check(contour, SR, spans, True, 32.0)["ok"]
    assert not arc_check(climb, SR, spans, False, 32.0)["ok"]


def test_the_prompt_sets_are_labelled() -> None:
    for path in SETS.values():
        rows = read(path)
        assert len(rows) >= 9 and all(want and set(want) <= set(KINDS) for _, want in rows)


def _piece(kb: KnowledgeBase, chords: list[str]) -> SimpleNamespace:
    """A score of two 4-bar sections (a chord a bar, its triad held), as a render the bench judges."""
    spans = [chord_span(c, 2.0 * i, 2.0) for i, c in enumerate(parse_chord(s, kb.chords) for s in chords) if c]
    notes = [Note(c.start_s, c.duration_s, 48 + pc, 80) for c in spans for pc in c.pitch_classes]
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=9, key_mode="minor", key_is_minor=True,
                  genre_id="pop", duration_s=16.0, bar_s=2.0, step_s=0.125,
                  sections=[SectionSpan("verse", 0.0, 8.0, 0, 4, 0.5), SectionSpan("chorus", 8.0, 8.0, 4, 4, 0.6)],
                  chords=spans, tracks=[Track("harmony", "harmony", "piano", "piano", 0, False, notes=notes)])
    return SimpleNamespace(score=score)


def test_a_turn_to_major_passes_and_a_piece_that_stays_minor_does_not(kb: KnowledgeBase) -> None:
    turned = _piece(kb, ["Am", "F", "Dm", "E", "C", "F", "G", "C"])
    stayed = _piece(kb, ["Am", "F", "Dm", "E", "Am", "F", "E", "Am"])
    assert turn_check(turned, "major")["ok"]
    assert not turn_check(stayed, "major")["ok"]
    assert not turn_check(turned, "minor")["ok"]
