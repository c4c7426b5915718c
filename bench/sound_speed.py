"""Speed and memory for the sound bench (bench/sound_eval.py): one request timed whole, the engine against a bare
``fluidsynth -ni -F`` render of the same MIDI, and peak memory, in this process or in a fresh one (``--long``)."""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

import knowledge_base
from bench.engine_bench import Prompt, label_inputs
from engine import Engine
from engine.export import encode_audio
from knowledge_base import KnowledgeBase

SR = 44100
TIMED_PROMPT = "an upbeat pop song with piano, guitar and strings"


def label_request(kb: KnowledgeBase, duration_s: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """The timed request's plan and controls from its labels (no Aurora)."""
    plan, controls, _ = label_inputs(kb, Prompt(TIMED_PROMPT, 118.0, "A minor", "4/4", genre="pop"))
    plan["duration_s"] = duration_s
    return plan, controls


def timed_render(engine: Engine, kb: KnowledgeBase, duration_s: float) -> tuple[float, Any]:
    plan, controls = label_request(kb, duration_s)
    t0 = time.perf_counter()
    result = engine.render(plan=plan, **controls, duration_s=duration_s, sample_rate=SR, seed=0)
    return time.perf_counter() - t0, result


def end_to_end(engine: Engine, kb: KnowledgeBase, aurora: Any, duration_s: float) -> dict[str, float]:
    """One user request timed whole: Aurora (prompt -> plan and controls; label inputs without Aurora), the engine
    and the WAV encode, seconds each."""
    t0 = time.perf_counter()
    if aurora is not None:
        result = aurora.process(prompt=TIMED_PROMPT, duration_s=duration_s, seed=0)
        plan = result.plan.structural_plan.model_dump(by_alias=True)
        controls = {"parameters": result.parse.parsed_parameters.model_dump(by_alias=True),
                    "control_embedding": result.parse.control_encoder_params.unified_control_embedding}
    else:
        plan, controls = label_request(kb, duration_s)
    t1, c1 = time.perf_counter(), time.process_time()
    rendered = engine.render(plan=plan, **controls, duration_s=duration_s, sample_rate=SR, seed=0)
    t2, c2 = time.perf_counter(), time.process_time()
    encode_audio(rendered.mix, sample_rate=SR, fmt="wav")
    t3 = time.perf_counter()
    # engine_cpu_s: CPU seconds of every thread of this process during the render; on a shared machine it moves far
    # less than the wall clock does, so compare it between commits when other work is running
    return {"aurora_s": round(t1 - t0, 3), "engine_s": round(t2 - t1, 3), "encode_s": round(t3 - t2, 3),
            "total_s": round(t3 - t0, 3), "engine_cpu_s": round(c2 - c1, 3),
            **{f"{k}_s": round(v, 3) for k, v in rendered.timings_s.items() if k in ("synthesis", "mixer", "master")}}


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB): VmHWM, the high-water mark of its own address space. (ru_maxrss
    is not used where VmHWM exists: Linux carries it over from the parent across fork and exec, so a child started
    by a 2 GB bench would report at least 2 GB.)"""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def fluidsynth_ratio(engine: Engine, kb: KnowledgeBase, rounds: int = 3) -> dict[str, Any]:
    """Engine time over a bare ``fluidsynth -ni -F`` render of the same MIDI and soundfont, alternated: fluidsynth as
    it comes (it reads the whole soundfont: MuseScore_General expanded is ~470 MB) and with dynamic sample loading
    (only the presets the MIDI plays, as the engine's sampler loads them)."""
    exe = shutil.which("fluidsynth")
    _, probe = timed_render(engine, kb, 30.0)
    stage = probe.stage("sampler")
    soundfont = getattr(engine, "soundfont_in_use", None)
    soundfont = soundfont() if callable(soundfont) else None
    if soundfont is None and stage.used:
        from engine.voices.sampler import sampler_status

        soundfont = sampler_status(engine.config.soundfont_path)[0]
    if exe is None or soundfont is None:
        return {"skipped": "fluidsynth or a soundfont is missing"}
    engine_s: list[float] = []
    fluid_s: list[float] = []
    dynamic_s: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        midi = Path(tmp) / "x.mid"
        midi.write_bytes(probe.midi)
        for _ in range(rounds):
            seconds, _ = timed_render(engine, kb, 30.0)
            engine_s.append(seconds)
            for options, times in (([], fluid_s), (["-o", "synth.dynamic-sample-loading=1"], dynamic_s)):
                t0 = time.perf_counter()
                subprocess.run([exe, "-ni", *options, "-F", str(Path(tmp) / "x.wav"), "-r", str(SR), str(soundfont),
                                str(midi)], check=True, capture_output=True)
                times.append(time.perf_counter() - t0)
    ratio = np.asarray(engine_s) / np.asarray(fluid_s)
    return {"soundfont": str(soundfont), "engine_s": engine_s, "fluidsynth_s": fluid_s,
            "fluidsynth_dynamic_s": dynamic_s, "ratio_median": round(float(np.median(ratio)), 2),
            "ratio_dynamic_median": round(float(np.median(np.asarray(engine_s) / np.asarray(dynamic_s))), 2)}


def long_child(duration_s: float) -> dict[str, Any]:
    kb = knowledge_base.load()
    engine = Engine(device="auto")
    timed_render(engine, kb, 10.0)
    c0 = time.process_time()
    seconds, result = timed_render(engine, kb, duration_s)
    cpu_s = time.process_time() - c0  # every thread's CPU seconds: what a busy machine's wall clock hides
    t0 = time.perf_counter()
    encode_audio(result.mix, sample_rate=SR, fmt="wav")
    return {"duration_s": duration_s, "render_s": round(seconds, 2), "render_cpu_s": round(cpu_s, 2),
            "encode_s": round(time.perf_counter() - t0, 2),
            "timings_s": {k: round(v, 2) for k, v in result.timings_s.items()}, "peak_rss_mb": round(peak_rss_mb())}
