"""The engine's error tree. Each class carries a stable code so the API and the UI can say *why* a
render failed (or which optional stage was skipped) without matching on message text.

    EngineError                    ENGINE_ERROR
    ├── EngineInputError           ENGINE_INPUT_INVALID      (plan / controls / duration unusable)
    ├── EngineKnowledgeError       ENGINE_KB_INVALID         (a knowledge_base file is missing or wrong)
    ├── CodecError                 ENGINE_CODEC_ERROR        (a RAVE export failed to load or run)
    ├── SynthesisError             ENGINE_SYNTHESIS_ERROR
    ├── DeviceUnavailableError     ENGINE_DEVICE_UNAVAILABLE (cuda asked for, none present)
    └── ExportError                ENGINE_EXPORT_ERROR       (format / sample rate / channels unsupported)
"""

from __future__ import annotations


class EngineError(Exception):
    code = "ENGINE_ERROR"

    def __init__(self, message: str, *, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


class EngineInputError(EngineError):
    code = "ENGINE_INPUT_INVALID"


class EngineKnowledgeError(EngineError):
    code = "ENGINE_KB_INVALID"


class CodecError(EngineError):
    code = "ENGINE_CODEC_ERROR"


class SynthesisError(EngineError):
    code = "ENGINE_SYNTHESIS_ERROR"


class DeviceUnavailableError(EngineError):
    code = "ENGINE_DEVICE_UNAVAILABLE"


class ExportError(EngineError):
    code = "ENGINE_EXPORT_ERROR"
