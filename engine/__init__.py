"""Soundstar engine: plan + control embedding -> mixed audio, stems, score and MIDI.

    from engine import Engine
    result = Engine(device="auto").render(plan=plan, parameters=parameters, control_embedding=vector,
                                          duration_s=30.0, seed=7)

The facade (and torch with it) is imported on first use of ``Engine`` / ``EngineConfig`` /
``RenderResult`` / ``StageReport``, so ``engine.exceptions`` and ``engine.export``'s limits can be
imported by the app and the CLI without loading torch.
"""

from typing import TYPE_CHECKING, Any

from engine.exceptions import (
    CodecError,
    DeviceUnavailableError,
    EngineError,
    EngineInputError,
    EngineKnowledgeError,
    ExportError,
    SynthesisError,
)

if TYPE_CHECKING:
    from engine.facade import Engine, EngineConfig, RenderResult, StageReport

_FACADE = frozenset({"Engine", "EngineConfig", "RenderResult", "StageReport"})


def __getattr__(name: str) -> Any:
    if name in _FACADE:
        from engine import facade

        return getattr(facade, name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")


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
