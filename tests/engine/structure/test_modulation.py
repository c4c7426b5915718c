"""A stated key change (issue 10: "a bridge that contrasts ... or a modulation"): the band plays the same song a step
higher from the planned section on, the chord spans and the MIDI key signature follow."""

from __future__ import annotations

import io
from typing import Any

import mido

from aurora.contracts import PlanParameters
from aurora.planner import StructuralPlanner
from engine.export import midi_bytes
from knowledge_base import KnowledgeBase
from tests.engine.structure.test_composition import composed


def _plan(kb: KnowledgeBase, **changes: Any) -> dict[str, Any]:
    plan, _ = StructuralPlanner(kb).plan(PlanParameters(genre="pop", mood="", tempo_bpm=120, duration_seconds=60,
                                                        key="C major", structure="verse_chorus", **changes))
    return plan.model_dump(by_alias=True)


def test_a_last_chorus_a_step_up_is_the_same_song_a_step_higher(kb: KnowledgeBase) -> None:
    home = composed(kb, _plan(kb), genre="pop", instruments=("piano", "flute"))
    lifted = composed(kb, _plan(kb, key_changes=["D major"]), genre="pop", instruments=("piano", "flute"))
    moved = [s for s in lifted.sections if s.key == "D major"]
    assert moved and moved[0].name.startswith("chorus") and all(s.key is None for s in lifted.sections[:-len(moved)])
    start = moved[0].start_s
    for a, b in zip(home.tracks, lifted.tracks, strict=True):
        assert len(a.notes) == len(b.notes)
        for x, y in zip(a.notes, b.notes, strict=True):
            assert y.pitch - x.pitch == (0 if a.is_drum or x.start_s < start - 0.06 else 2), (a.name, x, y)
    d_major = {2, 4, 6, 7, 9, 11, 1}
    assert {c.root_pc for c in lifted.chords if c.start_s >= start} <= d_major
    assert all(c.symbol in ("G", "D", "A", "Bm", "Em", "F#m") for c in lifted.chords if c.start_s >= start)
    keys = [m.key for m in mido.MidiFile(file=io.BytesIO(midi_bytes(lifted))).tracks[0] if m.type == "key_signature"]
    assert keys == ["C", "D"]
