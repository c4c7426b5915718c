"""Text -> audio end to end through Aurora and the engine (CLI and library), on short durations."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import soundfile as sf

from aurora import Aurora
from aurora.exceptions import EmptyPromptError
from aurora.generation import generate
from engine import Engine, EngineError


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(device="cpu")


def test_generate_obeys_plan(aurora: Aurora, engine: Engine) -> None:
    stages: list[str] = []
    g = generate(aurora=aurora, engine=engine, prompt="upbeat funk at 110 bpm in E minor with slap bass, no vocals",
                 duration_s=6.0, audio_format="flac", seed=3, on_progress=lambda s, f: stages.append(s))
    assert {"aurora", "structure", "synthesis", "mixer", "master", "encode"} <= set(stages)
    audio, rate = sf.read(io.BytesIO(g.audio_bytes), dtype="float32")
    assert rate == 44100 and audio.shape[0] == pytest.approx(6.0 * 44100, abs=2)
    assert np.abs(audio).max() > 0.05
    midi = pretty_midi.PrettyMIDI(io.BytesIO(g.midi_bytes))
    assert midi.estimate_tempo() > 0 and midi.instruments
    assert midi.get_tempo_changes()[1][0] == pytest.approx(110, abs=0.5)
    summary = g.summary()
    assert summary["implementation_used"] == "rule_based" and summary["engine_time_ms"] > 0
    with zipfile.ZipFile(io.BytesIO(g.stems_zip)) as zf:
        assert zf.namelist()


def test_generate_rejects_bad_settings(aurora: Aurora, engine: Engine) -> None:
    with pytest.raises(EngineError):
        generate(aurora=aurora, engine=engine, prompt="calm piano", duration_s=6.0, audio_format="ogg")
    with pytest.raises(EmptyPromptError):
        generate(aurora=aurora, engine=engine, prompt="  ", duration_s=6.0)


def test_cli_generate_writes_every_output(tmp_path: Path) -> None:
    out, mid, stems = tmp_path / "track.mp3", tmp_path / "track.mid", tmp_path / "stems.zip"
    proc = subprocess.run(
        [sys.executable, "-m", "aurora", "generate", "a gentle waltz with harp and strings in D major",
         "--duration", "6", "--out", str(out), "--midi", str(mid), "--stems", str(stems), "--sample-rate", "32000",
         "--seed", "7", "--json"],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    meta = json.loads(proc.stdout)
    assert meta["structural_plan"]["time_signature"] == "3/4"
    audio, rate = sf.read(out)
    assert rate == 32000 and len(audio) > 5 * 32000
    assert pretty_midi.PrettyMIDI(str(mid)).instruments
    assert zipfile.ZipFile(stems).namelist()
    bad = subprocess.run([sys.executable, "-m", "aurora", "generate", "piano", "--duration", "2", "--out",
                          str(tmp_path / "x.wav")], capture_output=True, text=True, timeout=300, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
