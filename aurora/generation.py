"""Text -> finished track: Aurora's semantic pipeline, then the engine, then encoding.

This is the spec's `generate` flow (§5.2.4) for the CLI, the app and the REST API. Aurora
orchestrates; the engine never imports Aurora, it receives plain dumps of the plan and the parameters,
and the 640-d control embedding. Output limits (formats, sample rates, channels) are the engine's
(`engine.export`); the duration limits are shared (`knowledge_base.limits`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aurora.contracts import EnhanceContext, GenerationMetadata, ProcessResult, StageTiming
from aurora.exceptions import InputError
from aurora.facade import Aurora
from engine.exceptions import EngineInputError
from engine.export import (
    CHANNELS,
    DEFAULT_CHANNELS,
    DEFAULT_FORMAT,
    DEFAULT_SAMPLE_RATE,
    FORMATS,
    SAMPLE_RATES,
    AudioFormat,
)
from knowledge_base.layout import DIMS
from knowledge_base.limits import duration_in_range, duration_message

if TYPE_CHECKING:
    from engine import Engine, RenderResult

ProgressFn = Callable[[str, float], None]


@dataclass(eq=False)
class Generation:
    """One generated track: what Aurora understood, what the engine rendered, and the encodings."""

    semantic: ProcessResult
    render: RenderResult
    audio_format: AudioFormat
    timings_ms: dict[str, float] = field(default_factory=dict)
    """Wall times of generate()'s steps: aurora, engine, encode and total."""

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

    @property
    def metadata(self) -> GenerationMetadata:
        """The spec's generation_metadata (§5.2.4), plus encoding time, device, loudness and the engine's stages."""
        semantic = self.semantic.timings_ms
        served = self.semantic.aurora_metadata
        return GenerationMetadata(
            total_time_ms=self.timings_ms.get("total", 0.0),
            aurora_enhance_time_ms=semantic.get("enhance", 0.0),
            aurora_parse_time_ms=semantic.get("parse", 0.0),
            aurora_plan_time_ms=semantic.get("plan", 0.0),
            engine_time_ms=self.timings_ms.get("engine", 0.0),
            implementation_used=served.implementation if served else "defaults",
            encode_time_ms=self.timings_ms.get("encode", 0.0),
            device=self.render.device,
            loudness_lufs=round(self.render.loudness_lufs, 2),
            true_peak_dbtp=round(self.render.true_peak_dbtp, 2),
            stages=[StageTiming(name=s.name, used=s.used, reason=s.reason, time_ms=round(s.seconds * 1000, 1))
                    for s in self.render.stages],
        )


def generate(*, aurora: Aurora, engine: Engine, prompt: str, duration_s: float | None = None,
             sample_rate: int = DEFAULT_SAMPLE_RATE, audio_format: str = DEFAULT_FORMAT, seed: int = 0,
             channels: int = DEFAULT_CHANNELS, enhancement_level: str | None = None,
             context: EnhanceContext | None = None, on_progress: ProgressFn | None = None,
             semantic: ProcessResult | None = None) -> Generation:
    """Run the whole pipeline. Every setting is checked before any work: a duration outside 5-600 s raises
    aurora's InputError (AURORA_INPUT_INVALID, as Aurora.process does); a format, sample rate or channel
    count the engine cannot write raises EngineInputError (ENGINE_INPUT_INVALID). Bad prompts raise
    Aurora's errors, render failures the engine's. Without ``duration_s`` the prompt's stated duration is used
    (else DEFAULT_DURATION_S); with it, it wins over the prompt and the result warns when they disagree."""
    if audio_format not in FORMATS:
        raise EngineInputError(f"format must be one of {', '.join(FORMATS)}, not {audio_format!r}")
    if duration_s is not None and not duration_in_range(duration_s):
        raise InputError(duration_message(duration_s))
    if sample_rate not in SAMPLE_RATES:
        raise EngineInputError(f"sample rate must be one of {', '.join(map(str, SAMPLE_RATES))}, got {sample_rate}")
    if channels not in CHANNELS:
        raise EngineInputError(f"channels must be one of {', '.join(map(str, CHANNELS))}, got {channels}")
    progress = on_progress or (lambda _stage, _fraction: None)
    started = time.perf_counter()
    progress("aurora", 0.0)
    if semantic is None:
        semantic = aurora.process(prompt=prompt, duration_s=duration_s, enhancement_level=enhancement_level,
                                  context=context, seed=seed)
    progress("aurora", 1.0)
    t_aurora = _ms(started)
    plan = semantic.plan.structural_plan
    parse = semantic.parse
    control = parse.control_encoder_params
    t = time.perf_counter()
    render = engine.render(plan=plan.model_dump(mode="json", by_alias=True),
                           parameters=parse.parsed_parameters.model_dump(mode="json", by_alias=True),
                           control_embedding=control.unified_control_embedding if control else [0.0] * DIMS,
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
