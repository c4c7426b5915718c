"""Text -> finished track: Aurora's semantic pipeline, then the engine, then encoding.

This is the spec's `generate` flow (§5.2.4) for the CLI, the app and the REST API. Aurora
orchestrates; the engine never imports Aurora, it receives plain dumps of the plan and controls.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aurora.contracts import EnhanceContext, ProcessResult
from aurora.exceptions import InputError
from aurora.facade import Aurora

if TYPE_CHECKING:
    from engine import Engine, RenderResult

ProgressFn = Callable[[str, float], None]
FORMATS = ("wav", "flac", "mp3")
SAMPLE_RATES = (22050, 32000, 44100, 48000)


@dataclass(eq=False)
class Generation:
    """One generated track: what Aurora understood, what the engine rendered, and the encodings."""

    semantic: ProcessResult
    render: RenderResult
    audio_format: str
    timings_ms: dict[str, float] = field(default_factory=dict)

    @functools.cached_property
    def audio_bytes(self) -> bytes:
        from engine import export

        data: bytes = export.encode_audio(self.render.mix, sample_rate=self.render.sample_rate, fmt=self.audio_format)
        return data

    @property
    def midi_bytes(self) -> bytes:
        data: bytes = self.render.midi
        return data

    @functools.cached_property
    def stems_zip(self) -> bytes:
        from engine import export

        data: bytes = export.stems_zip(self.render.stems, sample_rate=self.render.sample_rate, fmt="wav")
        return data

    def summary(self) -> dict[str, Any]:
        """The spec's generation_metadata plus the engine's stage report."""
        return {
            "total_time_ms": self.timings_ms.get("total", 0.0),
            "aurora_enhance_time_ms": self.semantic.timings_ms.get("enhance", 0.0),
            "aurora_parse_time_ms": self.semantic.timings_ms.get("parse", 0.0),
            "aurora_plan_time_ms": self.semantic.timings_ms.get("plan", 0.0),
            "engine_time_ms": self.timings_ms.get("engine", 0.0),
            "encode_time_ms": self.timings_ms.get("encode", 0.0),
            "implementation_used": self.semantic.aurora_metadata.implementation if self.semantic.aurora_metadata
            else "defaults",
            "device": self.render.device,
            "loudness_lufs": round(self.render.loudness_lufs, 2),
            "true_peak_dbtp": round(self.render.true_peak_dbtp, 2),
            "stages": [{"name": s.name, "used": s.used, "reason": s.reason, "time_ms": round(s.seconds * 1000, 1)}
                       for s in self.render.stages],
        }


def generate(*, aurora: Aurora, engine: Engine, prompt: str, duration_s: float = 30.0, sample_rate: int = 44100,
             audio_format: str = "wav", seed: int = 0, channels: int = 2, enhancement_level: str | None = None,
             context: EnhanceContext | None = None, on_progress: ProgressFn | None = None) -> Generation:
    """Run the whole pipeline. Raises AuroraError for bad prompts, EngineError for bad render settings."""
    if audio_format not in FORMATS:
        from engine import EngineInputError

        raise EngineInputError(f"format must be one of {', '.join(FORMATS)}, not {audio_format!r}")
    if not 5.0 <= duration_s <= 600.0:
        raise InputError(f"duration must be between 5 and 600 seconds, got {duration_s:g}")
    if sample_rate not in SAMPLE_RATES:
        raise InputError(f"sample rate must be one of {', '.join(map(str, SAMPLE_RATES))}, got {sample_rate}")
    progress = on_progress or (lambda _stage, _fraction: None)
    started = time.perf_counter()
    progress("aurora", 0.0)
    semantic = aurora.process(prompt=prompt, duration_s=duration_s, enhancement_level=enhancement_level,
                              context=context, seed=seed)
    progress("aurora", 1.0)
    t_aurora = _ms(started)
    plan = semantic.plan.structural_plan
    parse = semantic.parse
    controls = {
        "unified_control_embedding": parse.control_encoder_params.unified_control_embedding
        if parse.control_encoder_params else [0.0] * 640,
        "parameters": parse.parsed_parameters.model_dump(mode="json", by_alias=True),
    }
    t = time.perf_counter()
    render = engine.render(plan=plan.model_dump(mode="json", by_alias=True), controls=controls,
                           duration_s=plan.duration_s, sample_rate=sample_rate, seed=seed, channels=channels,
                           on_progress=progress)
    t_engine = _ms(t)
    result = Generation(semantic=semantic, render=render, audio_format=audio_format)
    t = time.perf_counter()
    progress("encode", 0.0)
    _ = result.audio_bytes
    progress("encode", 1.0)
    result.timings_ms = {"aurora": t_aurora, "engine": t_engine, "encode": _ms(t), "total": _ms(started)}
    return result


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 2)
