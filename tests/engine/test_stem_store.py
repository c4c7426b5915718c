"""Long renders: stems written to files on a thread of their own, ducking applied a chunk at a time, and a render
that holds a bounded number of tracks; none of it may change a sample."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from engine import Engine
from engine.mix_gain import CHUNK, DUCK_FRAME, apply_ducking, frame_curve
from engine.stem_store import StemStore
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan


def test_spilled_store_keeps_every_stem_in_order_with_the_same_values(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    stems = {name: rng.standard_normal((2, 5000)).astype(np.float32) for name in ("drums", "bass", "pad", "reverb")}
    store = StemStore(tmp_path, pending=1)
    for name, stem in stems.items():
        store.put(name, stem.copy())
    kept = store.finish()
    assert list(kept) == list(stems)  # the order they were put in
    for name, stem in stems.items():
        assert isinstance(kept[name], np.memmap)
        np.testing.assert_array_equal(kept[name], stem)
    memory = StemStore(None)
    memory.put("drums", stems["drums"])
    assert memory.finish()["drums"] is stems["drums"]


def test_a_failed_write_is_raised_on_the_callers_thread(tmp_path: Path) -> None:
    store = StemStore(tmp_path / "missing")  # no such folder: the writer thread's tofile fails
    store.put("drums", np.zeros((2, 100), dtype=np.float32))
    store.put("bass", np.zeros((2, 100), dtype=np.float32))  # does not hang behind the failed write
    with pytest.raises(FileNotFoundError):
        store.finish()


def test_ducking_a_chunk_at_a_time_equals_the_whole_length_curves() -> None:
    """The mixer used to hold the duck curve and its product with the automation curve for the whole render; per
    chunk it computes the same products, so the audio is bit-identical (lengths that do and do not fill a chunk)."""
    rng = np.random.default_rng(2)
    for n in (CHUNK * 2 + 4097, 3000):
        gain = rng.uniform(0.2, 1.0, n // DUCK_FRAME + 2)
        automation = rng.uniform(0.5, 1.0, n).astype(np.float32)
        signal = rng.standard_normal((2, n)).astype(np.float32)
        want = signal * (automation * frame_curve(gain, n))
        got = signal.copy()
        apply_ducking(got, gain, automation)
        np.testing.assert_array_equal(got, want)
        mono = signal[0].copy()
        apply_ducking(mono, gain, None)
        np.testing.assert_array_equal(mono, signal[0] * frame_curve(gain, n))


def test_a_long_render_that_fails_raises_and_leaves_no_files(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    """A spilled render starts a track only as the mixer takes one: a voice that fails must fail the render (not
    leave the mixer waiting on a track that never starts), and its stem files go."""
    import tempfile

    import engine.facade as facade
    from engine.voices import registry

    monkeypatch.setattr(facade, "SPILL_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    harmonic = registry.VOICES["harmonic"]

    class Broken:
        def render(self, *_args: object, **_kwargs: object) -> np.ndarray:
            raise RuntimeError("voice failed")

    monkeypatch.setitem(registry.VOICES, "harmonic", lambda track, ctx: Broken() if track.role == "lead"
                        else harmonic(track, ctx))
    engine = Engine(device="cpu", config=facade.EngineConfig(sampler="off"))
    plan = make_plan(tempo_bpm=100.0, duration_s=5.0)
    outcome: list[BaseException] = []

    def render() -> None:
        try:
            engine.render(plan=plan, **make_controls(kb, tempo_bpm=100.0, genre="pop"), duration_s=5.0,
                          sample_rate=22050, seed=4)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=render, daemon=True)
    worker.start()
    worker.join(120.0)
    assert not worker.is_alive(), "the render hung"
    assert outcome and isinstance(outcome[0], RuntimeError)
    assert not list(tmp_path.glob("soundstar-stems-*"))
