"""The composer: instruments obey the embedding, grooves fit meters, harmony voice-leads, melodies
repeat, bass locks to the kick, energy shapes density."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Engine, RenderResult
from engine.structure.arrangement import allocate_bars
from engine.structure.harmony import parse_chord, voice_lead
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode, with_instruments
from tests.engine.conftest import make_controls, make_plan


def test_decode_embedding_round_trip(kb: KnowledgeBase) -> None:
    controls = make_controls(kb, tempo_bpm=97.0, genre="jazz", instruments=("saxophone", "piano"),
                             excluded=("drum_kit",), energy=0.3)
    decoded = decode(kb, controls["control_embedding"])
    assert decoded.genre == "jazz"
    assert decoded.tempo_bpm == pytest.approx(97.0, abs=1e-6)
    assert set(decoded.instruments) == {"saxophone", "piano"}
    assert decoded.excluded_instruments == ("drum_kit",)
    assert decoded.energy_level == pytest.approx(0.3)


def test_excluded_instruments_never_appear(kb: KnowledgeBase, engine: Engine) -> None:
    controls = make_controls(kb, tempo_bpm=110.0, genre="rock", excluded=("drum_kit", "bass_guitar", "electric_guitar"))
    r = engine.render(plan=make_plan(tempo_bpm=110.0, duration_s=5.0), **controls, duration_s=5.0, seed=1)
    used = set(r.score.instrument_ids)
    assert not used & {"drum_kit", "bass_guitar", "electric_guitar"}
    assert r.score.track("drums") is None  # no substitute kit either
    assert "drums" not in r.stems


def test_embedding_instrumentation_changes_rendered_instruments(kb: KnowledgeBase, engine: Engine) -> None:
    plan = make_plan(tempo_bpm=100.0, duration_s=5.0)
    base = make_controls(kb, tempo_bpm=100.0, genre="pop")
    a = dict(base, control_embedding=with_instruments(kb, base["control_embedding"], present=["piano", "flute"]))
    b = dict(base, control_embedding=with_instruments(kb, base["control_embedding"], present=["organ", "trumpet"]))
    ra = engine.render(plan=plan, **a, duration_s=5.0, seed=5)
    rb = engine.render(plan=plan, **b, duration_s=5.0, seed=5)
    assert {"piano", "flute"} <= set(ra.score.instrument_ids)
    assert {"organ", "trumpet"} <= set(rb.score.instrument_ids)
    assert not {"piano", "flute"} & set(rb.score.instrument_ids)
    presets_a = {t.preset for t in ra.score.tracks}
    presets_b = {t.preset for t in rb.score.tracks}
    assert presets_a != presets_b
    assert not np.allclose(ra.mix, rb.mix, atol=1e-3)


@pytest.mark.parametrize("meter", ["4/4", "3/4", "6/8", "5/4", "7/8", "12/8", "2/4", "9/8", "7/4", "6/4"])
def test_every_meter_composes_on_its_grid(kb: KnowledgeBase, engine: Engine, meter: str) -> None:
    from engine.inputs import parse_parameters, parse_plan
    from engine.structure.arrangement import compose

    controls = make_controls(kb, tempo_bpm=110.0, genre="pop")
    score = compose(plan=parse_plan(make_plan(tempo_bpm=110.0, meter=meter, duration_s=12.0)),
                    controls=decode(kb, controls["control_embedding"]),
                    params=parse_parameters(controls["parameters"]), kb=kb,
                    duration_s=12.0, seed=2)
    m = Meter.parse(meter)
    assert score.bar_s == pytest.approx(m.bar_s(110.0))
    drums = score.track("drums")
    assert drums is not None and drums.notes
    kicks = [n.start_s for n in drums.notes if n.pitch == 36]
    assert kicks
    downbeats = np.arange(0, 12.0, score.bar_s)
    assert all(np.min(np.abs(downbeats - k)) < 0.03 for k in kicks[:1])
    bass = score.track("bass")
    assert bass is not None and bass.notes


def test_grooves_fit_their_meters(kb: KnowledgeBase) -> None:
    for groove in kb.grooves:
        for meter in groove.meters:
            steps = Meter.parse(meter).steps_per_bar
            for level, voices in groove.levels.items():
                for voice, grid in voices.items():
                    assert len(grid) == steps, f"{groove.id} {meter} {level} {voice}"
            if groove.comping.pattern:
                assert len(groove.comping.pattern) == steps, groove.id


def test_voicings_move_little(kb: KnowledgeBase) -> None:
    chords = [parse_chord(s, kb.chords) for s in ("C", "Am", "F", "G", "Em7", "Dm7", "G7", "Cmaj7")]
    previous = None
    for chord in chords:
        assert chord is not None
        voicing = voice_lead(chord.pitch_classes, previous, n_voices=4, low=50, high=74)
        assert all(50 <= p <= 74 for p in voicing)
        assert {p % 12 for p in voicing} <= set(chord.pitch_classes)
        if previous is not None:
            movement = sum(abs(a - b) for a, b in zip(sorted(voicing), sorted(previous), strict=True))
            assert movement <= 10, (chord.symbol, previous, voicing)
        previous = voicing


def test_bars_fill_the_duration(kb: KnowledgeBase) -> None:
    assert sum(allocate_bars([0.2, 0.3, 0.3, 0.2], 16)) == 16
    assert allocate_bars([0.2, 0.3, 0.3, 0.2], 16) == [4, 4, 4, 4]
    assert sum(allocate_bars([0.1, 0.6, 0.3], 2)) == 2
    assert allocate_bars([0.1, 0.6, 0.3], 2)[0] == 0  # the shortest section gives way


def test_melody_restates_a_returning_section(kb: KnowledgeBase) -> None:
    from engine.inputs import parse_parameters, parse_plan
    from engine.structure.arrangement import compose

    sections = (("verse", 0.25, 0.6), ("chorus", 0.25, 0.8), ("verse 2", 0.25, 0.6), ("chorus 2", 0.25, 0.8))
    controls = make_controls(kb, tempo_bpm=120.0, genre="pop")
    score = compose(plan=parse_plan(make_plan(tempo_bpm=120.0, duration_s=36.0, sections=sections)),
                    controls=decode(kb, controls["control_embedding"]),
                    params=parse_parameters(controls["parameters"]), kb=kb,
                    duration_s=36.0, seed=4)
    lead = score.track("lead")
    assert lead is not None
    spans = {s.name: s for s in score.sections}

    def relative(name: str) -> list[tuple[int, int]]:  # (grid step, pitch): the groove map moves notes by ms
        s = spans[name]
        steps = [(round((n.start_s - s.start_s) / score.step_s), n.pitch) for n in lead.notes]
        return [(step, pitch) for step, pitch in steps if 0 <= step < s.bars * 16]

    assert relative("chorus") and relative("chorus") == relative("chorus 2")
    assert relative("verse") == relative("verse 2")
    assert relative("verse") != relative("chorus")


def test_bass_locks_to_kick(pop_render: RenderResult) -> None:
    score = pop_render.score
    bass, drums = score.track("bass"), score.track("drums")
    assert bass is not None and drums is not None
    kicks = np.array([n.start_s for n in drums.notes if n.pitch == 36])
    near = [np.min(np.abs(kicks - n.start_s)) < 0.03 for n in bass.notes]
    assert np.mean(near) > 0.6


def test_energy_drives_density(kb: KnowledgeBase) -> None:
    from engine.inputs import parse_parameters, parse_plan
    from engine.structure.arrangement import compose

    sections = (("verse", 0.5, 0.15), ("chorus", 0.5, 0.95))
    controls = make_controls(kb, tempo_bpm=120.0, genre="pop", energy=0.5)
    score = compose(plan=parse_plan(make_plan(tempo_bpm=120.0, duration_s=34.0, sections=sections)),
                    controls=decode(kb, controls["control_embedding"]),
                    params=parse_parameters(controls["parameters"]), kb=kb,
                    duration_s=34.0, seed=4)
    quiet, loud = score.sections

    def count(span: object) -> int:
        return sum(1 for t in score.tracks for n in t.notes
                   if span.start_s <= n.start_s < span.start_s + span.duration_s)  # type: ignore[attr-defined]

    assert count(loud) > 1.3 * count(quiet)


def test_transitions_are_marked(kb: KnowledgeBase) -> None:
    from engine.inputs import parse_parameters, parse_plan
    from engine.structure.arrangement import compose

    controls = make_controls(kb, tempo_bpm=124.0, genre="house")
    plan = make_plan(tempo_bpm=124.0, duration_s=40.0, transitions=(("intro", "verse", "cut"),
                                                                     ("verse", "chorus", "drop"),
                                                                     ("chorus", "outro", "fade")))
    score = compose(plan=parse_plan(plan), controls=decode(kb, controls["control_embedding"]),
                    params=parse_parameters(controls["parameters"]), kb=kb, duration_s=40.0, seed=1)
    kinds = {fx.kind for fx in score.fx}
    assert {"riser", "impact", "downlifter"} <= kinds
    assert any(g == 0.0 for _, g in score.gain_points)  # the cut


@pytest.mark.parametrize("meter_text", ["4/4", "3/4", "6/8", "7/8"])
def test_every_percussion_instrument_a_genre_lists_is_heard(kb: KnowledgeBase, meter_text: str) -> None:
    """A genre's percussion player plays drum voices that have a part in every meter at mid and high energy
    (taiko, timpani and mridangam fell to a shaker; a voice without a pattern would be a silent stem)."""
    from engine.structure.percussion import percussion_pattern
    meter = Meter.parse(meter_text)
    listed = {e.instrument for g in kb.genres for e in g.instruments if e.role == "percussion"}
    for instrument in sorted(listed):
        voices = kb.synth_presets.percussion_voices(instrument)
        for level in ("mid", "high"):
            hits = "".join(percussion_pattern(v, meter, level) for v in voices)
            assert hits.strip("."), f"{instrument} ({voices}) is silent at {level} in {meter_text}"
    assert "tom_low" in kb.synth_presets.percussion_voices("taiko")
