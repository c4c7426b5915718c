"""Soundstar engine: plan + control embedding -> mixed audio, stems, score and MIDI.

    from engine import Engine
    result = Engine(device="auto").render(plan=plan, controls=controls, duration_s=30.0, seed=7)
"""

from engine.exceptions import (
    CodecError,
    DeviceUnavailableError,
    EngineError,
    EngineInputError,
    EngineKnowledgeError,
    ExportError,
    SynthesisError,
)
from engine.facade import Engine, EngineConfig, RenderResult, StageReport

__all__ = [
    "CodecError",
    "DeviceUnavailableError",
    "Engine",
    "EngineConfig",
    "EngineError",
    "EngineInputError",
    "EngineKnowledgeError",
    "ExportError",
    "RenderResult",
    "StageReport",
    "SynthesisError",
]
