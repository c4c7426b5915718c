"""A plan whose tempo moves (``tempo_curve``) is composed at the stated tempo and moved along the curve: the last
bars are longer, nothing sounds past the asked duration, the plan's bars are the score's, and the MIDI file carries
the curve as a tempo map under notes on the strict beats (engine/structure/tempo_warp.py, engine/export.py)."""

from __future__ import annotations

import io

import mido
import pytest

from engine import Engine
from engine.export import midi_bytes
from knowledge_base import KnowledgeBase
from knowledge_base.limits import music_bars
from tests.engine.conftest import make_controls, make_plan


def _render(engine: Engine, kb: KnowledgeBase, curve: str | None) -> object:
    plan = make_plan(tempo_bpm=90.0, duration_s=30.0, sections=(("verse", 0.5, 0.5), ("chorus", 0.5, 0.7)))
    plan["tempo_curve"] = curve
    return engine.render(plan=plan, **make_controls(kb, tempo_bpm=90.0, genre="pop"), duration_s=30.0,
                         sample_rate=22050, seed=0)


def test_a_ritardando_lengthens_the_last_bars_inside_the_duration(engine: Engine, kb: KnowledgeBase) -> None:
    plain, slowed = _render(engine, kb, None).score, _render(engine, kb, "rit").score  # type: ignore[attr-defined]
    assert len(slowed.bar_levels) == music_bars(30.0, plain.bar_s, tempo_curve="rit")  # the planner's count
    last_plain = [c for c in plain.chords][-1]
    last_slowed = slowed.chords[-1]
    assert last_slowed.duration_s > 1.15 * last_plain.duration_s  # the cadence broadens
    assert max(n.start_s + n.duration_s for t in slowed.tracks for n in t.notes) <= 30.0 + 1e-6
    early = [c for c in slowed.chords if c.start_s < 10.0]
    assert [round(c.start_s, 6) for c in early] == [round(c.start_s, 6) for c in plain.chords if c.start_s < 10.0]


def test_the_midi_tempo_map_plays_the_notes_where_the_audio_has_them(engine: Engine, kb: KnowledgeBase) -> None:
    score = _render(engine, kb, "rit").score  # type: ignore[attr-defined]
    midi = mido.MidiFile(file=io.BytesIO(midi_bytes(score)))
    tempos = [m.tempo for m in midi.tracks[0] if m.type == "set_tempo"]
    assert len(tempos) > 2 and tempos[-1] > 1.3 * tempos[0]  # microseconds a beat: slower at the end
    now, onsets = 0.0, []
    for message in midi:  # mido plays the file through its tempo map: each message's time in seconds
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            onsets.append(now)
    written = sorted(n.start_s for t in score.tracks for n in t.notes)
    assert len(onsets) == len(written)
    assert max(abs(a - b) for a, b in zip(sorted(onsets), written, strict=True)) == pytest.approx(0.0, abs=0.01)
