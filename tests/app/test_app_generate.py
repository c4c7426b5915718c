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
from aurora.store.files import FileStore
from aurora.ui import format as fmt
from aurora.ui import generate as gen
from aurora.ui.generate import Generator
from aurora.ui.plots import loudness_envelope

STAGES = ["aurora", "structure", "synthesis", "mixer", "master", "encode", "files"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> FileStore:
    return FileStore(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def generator(live_aurora: Any, live_engine: Any, files: FileStore) -> Generator:
    return Generator(live_aurora, live_engine, files=files)


class Recorder:
    """Stands in for gr.Progress: records (overall fraction, description) per call."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, value: float, desc: str | None = None, **_: Any) -> None:
        self.calls.append((value, desc or ""))


def test_generate_view_renders_plays_and_explains(generator: Generator, files: FileStore) -> None:
    progress = Recorder()
    started = time.perf_counter()
    (audio, downloads, summary, _notes, roll, energy, badges, stages, embedding,
     info) = generator.generate_view(PROMPT, 5, "wav", 44100, 7, "moderate", progress=progress)
    wall_s = time.perf_counter() - started  # speed is measured in bench/, not here

    data, rate = sf.read(audio, dtype="float32")
    assert rate == 44100 and data.shape == (5 * 44100, 2)
    assert float(np.sqrt(np.mean(data**2))) > 0.01 and float(np.abs(data).max()) <= 1.0
    paths = [Path(f) for f in downloads]
    assert paths[0] == Path(audio) and [p.name for p in paths] == ["track.wav", "score.mid", "stems.zip", "plan.json"]
    # written once, in the data folder (files/0/<id>/: no user owns it here)
    assert len({p.parent for p in paths}) == 1 and paths[0].parent.parent == files.root / "files" / "0"
    assert paths[1].read_bytes()[:4] == b"MThd"
    with zipfile.ZipFile(paths[2]) as zf:
        names = zf.namelist()
        assert "drums.flac" in names and all(n.endswith(".flac") for n in names)
        stem, stem_rate = sf.read(io.BytesIO(zf.read(names[0])))
        assert stem_rate == 44100 and stem.shape[0] == 5 * 44100
    plan = json.loads(paths[3].read_text())
    assert plan["structural_plan"]["tempo_bpm"] == pytest.approx(80) and plan["parsed_parameters"]["genre"]

    assert "80 BPM" in summary and "D minor" in summary and "4/4" in summary and "0:05.0" in summary
    assert "LUFS" in summary and "dBTP" in summary and "real time" in summary
    # the real-time factor shown is wall-clock: audio seconds over the whole call, measured around it here too
    shown = float(re.search(r"([\d.,]+)× real time", summary).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert 5.0 / wall_s <= shown * 1.05 and shown == pytest.approx(info["realtime_factor"], rel=0.05)
    assert isinstance(roll, Figure) and len(roll.axes) == 2  # pitched roll + drum lane
    labels = {t.get_text().strip() for t in roll.axes[0].texts}
    assert {"Dm9", "Dm7", "Dm"} & labels, labels  # chord symbols over the roll
    assert isinstance(energy, Figure) and isinstance(embedding, Figure)
    assert "Enhance" in badges and "Parse" in badges and "Plan" in badges and "served by" in badges
    names = [row[0] for row in stages]
    assert names[0] == "aurora" and names[-2:] == ["encode", "total"]
    engine_stages = {"structure", "synthesis", "codec", "mixer", "master"}
    assert {f"engine · {stage}" for stage in engine_stages} <= set(names)
    assert all(row[4].endswith("×") or row[4] == "—" for row in stages)
    assert float(stages[-1][3]) > 0

    # one overall bar: every stage named in order, the value never moves back
    seen = [re.search(r"step (\d) of 8$", desc) for _, desc in progress.calls]
    steps = [int(m.group(1)) for m in seen if m]
    assert {1, 2, 3, 5, 6, 7, 8} <= set(steps) and steps == sorted(steps)  # 4 (codec) only with RAVE
    assert all("%" not in desc for _, desc in progress.calls)  # no stage percentage beside the overall one
    values = [value for value, _ in progress.calls]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == 1.0

    info = json.loads(json.dumps(info))
    assert info["tempo_bpm"] == pytest.approx(80, abs=0.5) and info["key"] == "D minor"
    assert info["duration_s"] == pytest.approx(5.0) and info["seed"] == 7


def test_served_tracks_are_not_copied_into_gradios_cache(generator: Generator, files: FileStore,
                                                         tmp_path: Path) -> None:
    """What Gradio does with a callback's file outputs (postprocess, then move_files_to_cache) leaves the
    data folder's files where they are: nothing lands in the cache (GRADIO_TEMP_DIR)."""
    from gradio import processing_utils

    _, outputs, _ = generator.run(PROMPT, 5, "wav", 44100, 1, "minimal")
    audio, midi, stems = outputs  # still unpacks as run()'s earlier (audio, midi, stems)
    assert (audio, midi, stems) == (outputs.audio, outputs.midi, outputs.stems) and outputs.plan.is_file()
    gr.set_static_paths([files.root / "files"])  # as build_app does
    player, downloads = gr.Audio(), gr.File(file_count="multiple")
    player.GRADIO_CACHE = downloads.GRADIO_CACHE = str(tmp_path / "gradio-cache")
    served = [processing_utils.move_files_to_cache(player.postprocess(str(outputs.audio)), player, postprocess=True),
              processing_utils.move_files_to_cache(downloads.postprocess(outputs.downloads()), downloads,
                                                   postprocess=True)]
    assert _paths(served[0]) == [str(outputs.audio)]
    assert _paths(served[1]) == outputs.downloads()
    assert not (tmp_path / "gradio-cache").exists() or not any((tmp_path / "gradio-cache").rglob("*.*"))


def _paths(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [data["path"]] if "path" in data else [p for v in data.values() for p in _paths(v)]
    if isinstance(data, list):
        return [p for v in data for p in _paths(v)]
    return []


def test_cancel_stops_the_render(generator: Generator) -> None:
    """Cancel sets the tab's flag; the render stops at the engine's next progress report with a clear message."""

    class Request:
        session_hash = "tab-1"

    seen: list[float] = []

    def progress(value: float, desc: str | None = None, **_: Any) -> None:
        seen.append(value)
        if value > 0.2:  # inside synthesis: the user presses Cancel
            generator.cancel(Request())  # type: ignore[arg-type]

    with pytest.raises(gr.Error, match="cancelled") as caught:
        generator.generate_view(PROMPT, 60, "wav", 44100, 0, "minimal", progress=progress,  # type: ignore[arg-type]
                                request=Request())  # type: ignore[arg-type]
    assert caught.value.title == "Cancelled"
    assert max(seen) < 0.55  # stopped inside synthesis: no mix, no master, no files


@pytest.mark.parametrize(("audio_format", "rate"), [("flac", 22050), ("mp3", 48000)])
def test_generate_endpoint_writes_each_format(generator: Generator, audio_format: str, rate: int) -> None:
    audio, info = generator.generate(PROMPT, 5.0, audio_format, rate, 3, "minimal")
    assert Path(audio).name == f"track.{audio_format}"
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
    assert progress.calls == [(pytest.approx(0.31), "Playing the parts · step 3 of 8"),
                              (pytest.approx(0.31), "Sampler"),
                              (pytest.approx(0.31), "Writing the score · step 2 of 8")]


def test_old_unowned_folders_are_pruned(tmp_path: Path) -> None:
    files = FileStore(tmp_path)
    old = files.folder_for(gen.SCRATCH_USER, "old")
    old.mkdir(parents=True)
    (old / "track.wav").write_bytes(b"x")
    owned = files.folder_for(1, "kept")  # a user's files follow the store's retention, not this
    owned.mkdir(parents=True)
    for folder in (old, owned):
        os.utime(folder, (time.time() - 7200, time.time() - 7200))
    gen.prune_scratch(files, keep_s=3600)
    assert not old.exists() and owned.exists()
