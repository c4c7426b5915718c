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

from aurora import Aurora, cli
from aurora.contracts import GenerationMetadata
from aurora.exceptions import EmptyPromptError, InputError
from aurora.generation import generate
from engine import Engine, EngineError, EngineInputError
from knowledge_base.limits import MAX_DURATION_S, MIN_DURATION_S, duration_message


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
    meta = g.metadata
    assert isinstance(meta, GenerationMetadata)
    assert meta.implementation_used == "rule_based" and meta.engine_time_ms > 0
    assert meta.total_time_ms >= meta.engine_time_ms + meta.encode_time_ms
    assert {s.name for s in meta.stages} >= {"structure", "synthesis", "mixer", "master"}
    assert meta.loudness_lufs == pytest.approx(-14, abs=1.5) and meta.device == "cpu"
    assert GenerationMetadata.model_validate_json(meta.model_dump_json()) == meta
    with zipfile.ZipFile(io.BytesIO(g.stems_zip)) as zf:
        assert zf.namelist()


def test_generate_rejects_bad_settings(aurora: Aurora, engine: Engine) -> None:
    with pytest.raises(EngineError):
        generate(aurora=aurora, engine=engine, prompt="calm piano", duration_s=6.0, audio_format="ogg")
    for settings in ({"sample_rate": 16000}, {"channels": 3}):
        with pytest.raises(EngineInputError):
            generate(aurora=aurora, engine=engine, prompt="calm piano", duration_s=6.0, **settings)  # type: ignore[arg-type]
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
    generation_metadata = GenerationMetadata.model_validate(meta["generation_metadata"])  # the typed contract
    assert generation_metadata.implementation_used == "rule_based" and generation_metadata.stages
    assert generation_metadata.model_dump(mode="json") == meta["generation_metadata"]
    audio, rate = sf.read(out)
    assert rate == 32000 and len(audio) > 5 * 32000
    assert pretty_midi.PrettyMIDI(str(mid)).instruments
    assert zipfile.ZipFile(stems).namelist()
    bad = subprocess.run([sys.executable, "-m", "aurora", "generate", "piano", "--duration", "2", "--out",
                          str(tmp_path / "x.wav")], capture_output=True, text=True, timeout=300, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert f"error AURORA_INPUT_INVALID: {duration_message(2)}" in bad.stderr


@pytest.mark.parametrize("duration_s", [0.0, MIN_DURATION_S - 0.5, MAX_DURATION_S + 1, float("nan")])
def test_out_of_range_duration_is_the_same_error_everywhere(aurora: Aurora, engine: Engine, duration_s: float,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """process(), generate() and the CLI answer an out-of-range duration alike: AURORA_INPUT_INVALID."""
    errors = []
    with pytest.raises(InputError) as from_process:
        aurora.process(prompt="calm piano", duration_s=duration_s)
    errors.append(from_process.value)
    with pytest.raises(InputError) as from_generate:
        generate(aurora=aurora, engine=engine, prompt="calm piano", duration_s=duration_s)
    errors.append(from_generate.value)
    assert {(type(e), e.code, e.message) for e in errors} == {(InputError, "AURORA_INPUT_INVALID",
                                                               duration_message(duration_s))}
    for command in ("process", "plan"):
        assert cli.main([command, "calm piano", "--duration", str(duration_s)]) == 2
        assert f"error AURORA_INPUT_INVALID: {duration_message(duration_s)}" in capsys.readouterr().err


def test_duration_from_the_prompt_is_kept_in_range_with_a_warning(aurora: Aurora) -> None:
    result = aurora.process(prompt="a 20 minute ambient drone")
    assert result.parse.parsed_parameters.duration_s == 1200
    assert result.plan.structural_plan.duration_s == MAX_DURATION_S
    assert any("1200 s" in w and f"{MAX_DURATION_S:g} s" in w for w in result.warnings)
    stated = aurora.process(prompt="a 45 second piano sketch")
    assert stated.plan.structural_plan.duration_s == 45 and not any("durations are" in w for w in stated.warnings)


def test_bad_enhancement_level_is_an_input_error(aurora: Aurora) -> None:
    for call in (lambda: aurora.enhance(prompt="calm piano", enhancement_level="extreme"),
                 lambda: aurora.process(prompt="calm piano", enhancement_level="extreme")):
        with pytest.raises(InputError, match="enhancement_level") as info:
            call()
        assert info.value.code == "AURORA_INPUT_INVALID"
