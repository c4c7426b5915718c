"""The Generate tab's callbacks with the real Aurora and the real engine, on 5-second renders."""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np
import pytest
import soundfile as sf
from fake_aurora import PROMPT, FakeAurora
from matplotlib.figure import Figure

import app
from aurora.ui import format as fmt
from aurora.ui import generate as gen
from aurora.ui.generate import Generator
from aurora.ui.plots import loudness_envelope

STAGES = ["aurora", "structure", "synthesis", "mixer", "master", "encode", "files"]


@pytest.fixture(scope="module")
def generator(live_aurora: Any, live_engine: Any) -> Generator:
    return Generator(live_aurora, live_engine)


class Recorder:
    """Stands in for gr.Progress: records (overall fraction, description) per call."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, value: float, desc: str | None = None, **_: Any) -> None:
        self.calls.append((value, desc or ""))


def test_generate_view_renders_plays_and_explains(generator: Generator) -> None:
    progress = Recorder()
    audio, files, summary, _notes, roll, energy, stages, info = generator.generate_view(
        PROMPT, 5, "wav", 44100, 7, "moderate", progress=progress)  # speed is measured in bench/, not here

    data, rate = sf.read(audio, dtype="float32")
    assert rate == 44100 and data.shape == (5 * 44100, 2)
    assert float(np.sqrt(np.mean(data**2))) > 0.01 and float(np.abs(data).max()) <= 1.0
    paths = [Path(f) for f in files]
    assert paths[0] == Path(audio) and [p.suffix for p in paths] == [".wav", ".mid", ".zip"]
    assert len({p.parent for p in paths}) == 1 and paths[0].parent.parent == gen.OUTPUT_ROOT
    assert paths[1].read_bytes()[:4] == b"MThd"
    with zipfile.ZipFile(paths[2]) as zf:
        names = zf.namelist()
        assert "drums.wav" in names and all(n.endswith(".wav") for n in names)
        stem, stem_rate = sf.read(io.BytesIO(zf.read(names[0])))
        assert stem_rate == 44100 and stem.shape[0] == 5 * 44100

    assert "80 BPM" in summary and "D minor" in summary and "4/4" in summary and "0:05.0" in summary
    assert "LUFS" in summary and "dBTP" in summary and "real time" in summary
    assert isinstance(roll, Figure) and len(roll.axes) == 2  # pitched roll + drum lane
    assert isinstance(energy, Figure)
    names = [row[0] for row in stages]
    assert names[0] == "aurora" and names[-2:] == ["encode", "total"]
    engine_stages = {"structure", "synthesis", "codec", "mixer", "master"}
    assert {f"engine · {stage}" for stage in engine_stages} <= set(names)
    assert all(row[4].endswith("×") or row[4] == "—" for row in stages)
    assert float(stages[-1][3]) > 0

    seen = [re.search(r"(\w+) \d+%$", desc).group(1) for _, desc in progress.calls]  # type: ignore[union-attr]
    assert [s for s in dict.fromkeys(seen) if s in STAGES] == STAGES  # every stage reported, in order
    values = [value for value, _ in progress.calls]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == 1.0

    info = json.loads(json.dumps(info))
    assert info["tempo_bpm"] == pytest.approx(80, abs=0.5) and info["key"] == "D minor"
    assert info["duration_s"] == pytest.approx(5.0) and info["seed"] == 7
    assert {s["name"] for s in info["generation_metadata"]["stages"]} >= {"structure", "synthesis", "master"}


@pytest.mark.parametrize(("audio_format", "rate"), [("flac", 22050), ("mp3", 48000)])
def test_generate_endpoint_writes_each_format(generator: Generator, audio_format: str, rate: int) -> None:
    audio, info = generator.generate(PROMPT, 5.0, audio_format, rate, 3, "minimal")
    assert audio.endswith(f".{audio_format}")
    meta = sf.info(audio)
    assert meta.samplerate == rate and meta.channels == 2 and meta.duration == pytest.approx(5.0, abs=0.1)
    assert info["audio_format"] == audio_format and info["sample_rate"] == rate
    assert info["generation_metadata"]["loudness_lufs"] == pytest.approx(-14, abs=1.5)


@pytest.mark.parametrize(
    ("prompt", "duration", "audio_format", "code", "title"),
    [
        ("", 5, "wav", "AURORA_INPUT_EMPTY", "Check your prompt"),
        (PROMPT, 2, "wav", "AURORA_INPUT_INVALID", "Check your prompt"),
        (PROMPT, 5, "ogg", "ENGINE_INPUT_INVALID", "Check your settings"),
    ],
)
def test_bad_input_is_a_clear_error(generator: Generator, prompt: str, duration: float, audio_format: str,
                                    code: str, title: str) -> None:
    with pytest.raises(gr.Error, match=code) as caught:
        generator.generate_view(prompt, duration, audio_format, 44100, 0, "moderate")
    assert caught.value.title == title
    assert "Traceback" not in str(caught.value)


class BrokenEngine:
    def render(self, **_: Any) -> Any:
        from engine import SynthesisError

        raise SynthesisError("a voice produced NaN")


def test_engine_failure_is_a_clear_error(live_aurora: Any) -> None:
    with pytest.raises(gr.Error, match=r"a voice produced NaN \(ENGINE_SYNTHESIS_ERROR\)") as caught:
        Generator(live_aurora, BrokenEngine()).generate(PROMPT, 5.0)  # type: ignore[arg-type]
    assert caught.value.title == "The engine could not finish"


def test_engine_is_created_lazily_once(monkeypatch: pytest.MonkeyPatch, fake_aurora: FakeAurora) -> None:
    import engine

    made: list[object] = []

    class CountingEngine:
        def __init__(self, **_: Any) -> None:
            made.append(self)

    monkeypatch.setattr(engine, "Engine", CountingEngine)
    blocks = app.build_app(fake_aurora)
    names = {fn.api_name for fn in blocks.fns.values() if fn.api_visibility == "public"}
    assert "generate" in names
    assert made == []  # building the UI creates no engine
    generator = Generator(fake_aurora)
    assert made == [] and generator.engine is generator.engine and len(made) == 1


def test_helpers() -> None:
    assert gen.file_stem("A lo-fi beat, 80 BPM!", 7) == "soundstar-a-lo-fi-beat-80-bpm-seed7"
    assert gen.file_stem("???", 0) == "soundstar-track-seed0"
    assert 0 <= Generator.new_seed() <= gen.SEED_MAX
    assert fmt.tonic_pc("Bb minor") == 10 and fmt.tonic_pc("F#") == 6 and fmt.tonic_pc("unspecified") is None
    assert fmt.realtime(30.0, 0.5) == "60.0×" and fmt.realtime(30.0, 0.01) == "3,000×"
    assert fmt.realtime(30.0, 0.0) == "—"
    times, level = loudness_envelope(np.ones((2, 44100), np.float32), 44100)
    assert len(times) == len(level) == 10 and np.allclose(level, 1.0)
    progress = Recorder()
    report = gen.stage_progress(progress)
    report("synthesis", 0.5)
    report("sampler", 1.0)  # a stage the bar does not know: named, the bar stays put
    report("structure", 1.0)  # never moves back
    assert progress.calls == [(pytest.approx(0.45), "3/8 · synthesis 50%"), (pytest.approx(0.45), "sampler 100%"),
                              (pytest.approx(0.45), "2/8 · structure 100%")]


def test_old_output_folders_are_pruned(tmp_path: Path) -> None:
    old = tmp_path / "gen-old"
    old.mkdir()
    (old / "track.wav").write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fresh = gen.new_output_folder(tmp_path, keep_s=3600)
    assert fresh.is_dir() and fresh.parent == tmp_path and not old.exists()
