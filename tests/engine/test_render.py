"""The facade end to end: shapes, determinism, loudness, stems, progress, errors."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Engine, EngineInputError, ExportError, RenderResult
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan


def test_shapes_and_dtypes(pop_render: RenderResult) -> None:
    r = pop_render
    assert r.mix.dtype == np.float32
    assert r.mix.shape == (2, int(6.0 * 44100))
    assert r.sample_rate == 44100
    for name, stem in r.stems.items():
        assert stem.shape == r.mix.shape, name
        assert stem.dtype == np.float32
    assert set(r.timings_s) >= {"structure", "synthesis", "codec", "mixer", "master", "total"}
    assert r.device == "cpu"
    assert r.midi[:4] == b"MThd"


def test_not_silent_and_not_clipping(pop_render: RenderResult) -> None:
    r = pop_render
    rms = float(np.sqrt(np.mean(r.mix.astype(np.float64) ** 2)))
    assert rms > 0.05
    assert float(np.abs(r.mix).max()) < 1.0
    assert abs(r.loudness_lufs + 14.0) <= 1.0
    assert r.true_peak_dbtp <= -1.0 + 1e-6
    frame = 4410
    frames = r.mix[0, : r.mix.shape[1] // frame * frame].reshape(-1, frame)
    silent = np.mean(np.sqrt(np.mean(frames**2, axis=1)) < 1e-3)
    assert silent < 0.1


def test_stems_sum_to_premaster(pop_render: RenderResult) -> None:
    r = pop_render
    total = np.sum(np.stack(list(r.stems.values())), axis=0)
    np.testing.assert_allclose(total, r.premaster, atol=1e-5)
    assert {"drums", "bass", "reverb", "texture"} <= set(r.stems)


def test_same_seed_same_audio_other_seed_other_take(kb: KnowledgeBase, engine: Engine,
                                                     pop_render: RenderResult) -> None:
    plan = make_plan(tempo_bpm=118.0, duration_s=6.0,
                     transitions=(("intro", "verse", "fill"), ("verse", "chorus", "build")))
    controls = make_controls(kb, tempo_bpm=118.0, genre="pop", textures=("vinyl crackle",))
    again = engine.render(plan=plan, **controls, duration_s=6.0, sample_rate=44100, seed=3)
    # same score, note for note; audio equal to float rounding (threaded DSP may sum in another order, ~1e-7)
    assert [(n.start_s, n.pitch, n.velocity) for t in again.score.tracks for n in t.notes] == \
        [(n.start_s, n.pitch, n.velocity) for t in pop_render.score.tracks for n in t.notes]
    np.testing.assert_allclose(again.mix, pop_render.mix, rtol=0, atol=1e-5)
    other = engine.render(plan=plan, **controls, duration_s=6.0, sample_rate=44100, seed=4)
    assert other.mix.shape == pop_render.mix.shape
    assert not np.allclose(other.mix, pop_render.mix, atol=1e-3)
    lead_a = [(n.start_s, n.pitch) for n in pop_render.score.tracks[-1].notes]
    lead_b = [(n.start_s, n.pitch) for n in other.score.tracks[-1].notes]
    assert lead_a != lead_b


def test_progress_reports_every_stage(kb: KnowledgeBase, engine: Engine) -> None:
    seen: list[tuple[str, float]] = []
    engine.render(plan=make_plan(tempo_bpm=100.0, duration_s=5.0), **make_controls(kb, tempo_bpm=100.0,
                  genre="rock"), duration_s=5.0, sample_rate=22050, seed=1, channels=1,
                  on_progress=lambda stage, fraction: seen.append((stage, fraction)))
    stages = [s for s, _ in seen]
    for stage in ("structure", "synthesis", "mixer", "master"):
        assert stage in stages
        assert (stage, 1.0) in seen


def test_mono_22k(kb: KnowledgeBase, engine: Engine) -> None:
    r = engine.render(plan=make_plan(tempo_bpm=100.0, duration_s=5.0),
                      **make_controls(kb, tempo_bpm=100.0, genre="jazz"), duration_s=5.0,
                      sample_rate=22050, seed=2, channels=1)
    assert r.mix.shape == (1, 5 * 22050)
    assert all(s.shape == (1, 5 * 22050) for s in r.stems.values())
    assert abs(r.loudness_lufs + 14.0) <= 1.0


def test_codec_stage_skipped_with_reason(pop_render: RenderResult) -> None:
    codec = pop_render.stage("codec")
    assert not codec.used
    assert "RAVE" in codec.reason


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"duration_s": 2.0}, EngineInputError),
    ({"duration_s": 700.0}, EngineInputError),
    ({"sample_rate": 16000}, ExportError),
    ({"channels": 3}, EngineInputError),
])
def test_bad_requests_raise_coded_errors(kb: KnowledgeBase, engine: Engine, kwargs: dict[str, object],
                                         error: type[Exception]) -> None:
    args: dict[str, object] = {"plan": make_plan(tempo_bpm=100.0), **make_controls(kb, tempo_bpm=100.0, genre="pop"),
                               "duration_s": 6.0}
    args.update(kwargs)
    with pytest.raises(error) as info:
        engine.render(**args)  # type: ignore[arg-type]
    assert info.value.code.startswith("ENGINE_")  # type: ignore[attr-defined]


def test_bad_plan_and_controls_are_input_errors(kb: KnowledgeBase, engine: Engine) -> None:
    controls = make_controls(kb, tempo_bpm=100.0, genre="pop")
    with pytest.raises(EngineInputError):
        engine.render(plan={"sections": []}, **controls, duration_s=6.0)
    bad: list[dict[str, object]] = [
        {"control_embedding": [0.0] * 10},  # not 640-d
        {"control_embedding": [float("nan")] * 640},
        {"control_embedding": "jazz"},
        {"parameters": "jazz"},  # neither a mapping nor a model
        {"parameters": {"tempo": {"bpm": 1000.0}}},
    ]
    for change in bad:
        with pytest.raises(EngineInputError) as info:
            engine.render(plan=make_plan(tempo_bpm=100.0), **{**controls, **change}, duration_s=6.0)  # type: ignore[arg-type]
        assert info.value.code == "ENGINE_INPUT_INVALID", change


def test_render_takes_aurora_outputs_as_named_arguments() -> None:
    """plan, parameters and the 640-d control embedding each have their own keyword; no hand-built dict."""
    import inspect

    from engine.inputs import parse_control_embedding

    params = inspect.signature(Engine.render).parameters
    named = [name for name, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert named[:4] == ["plan", "parameters", "control_embedding", "duration_s"]
    assert "controls" not in params
    assert all(params[name].default is inspect.Parameter.empty for name in named[:4])
    vector = np.linspace(-1.0, 1.0, 640)
    assert parse_control_embedding(vector) == pytest.approx(vector.tolist())  # a 1-d array is accepted too
    assert parse_control_embedding(tuple(vector)) == pytest.approx(vector.tolist())


def test_accepts_aurora_models(kb: KnowledgeBase, engine: Engine) -> None:
    contracts = pytest.importorskip("aurora.contracts")
    plan = contracts.StructuralPlan.model_validate(make_plan(tempo_bpm=96.0, duration_s=5.0))
    r = engine.render(plan=plan, **make_controls(kb, tempo_bpm=96.0, genre="rnb"), duration_s=5.0, seed=1)
    assert r.mix.shape[1] == 5 * 44100


def test_spilled_stems_match_in_memory_stems(engine: Engine, kb: KnowledgeBase,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Long renders keep their stems in temporary files; the audio must not change for it."""
    import engine.facade as facade

    plan = make_plan(tempo_bpm=100.0, duration_s=5.0)
    controls = make_controls(kb, tempo_bpm=100.0, genre="pop")
    in_memory = engine.render(plan=plan, **controls, duration_s=5.0, sample_rate=22050, seed=4)
    monkeypatch.setattr(facade, "SPILL_BYTES", 0)
    spilled = engine.render(plan=plan, **controls, duration_s=5.0, sample_rate=22050, seed=4)
    assert all(isinstance(s, np.memmap) for s in spilled.stems.values())
    assert not any(isinstance(s, np.memmap) for s in in_memory.stems.values())
    assert spilled.stems.keys() == in_memory.stems.keys()
    np.testing.assert_allclose(spilled.mix, in_memory.mix, atol=1e-6)
    np.testing.assert_allclose(sum(spilled.stems.values()), spilled.premaster, atol=1e-5)
