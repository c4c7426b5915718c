"""Aurora's error tree. Each class carries the spec's error code (§9.3) so the fallback chain,
the API and the UI can report *why* a level was skipped without string matching.

    AuroraError
    ├── InputError                 AURORA_INPUT_*         (the user's text cannot be used)
    │   ├── EmptyPromptError        AURORA_INPUT_EMPTY
    │   ├── PromptTooLongError      AURORA_INPUT_TOO_LONG
    │   └── UnreadablePromptError   AURORA_INPUT_UNREADABLE
    ├── KnowledgeBaseError         AURORA_KB_INVALID
    ├── ConfigError                AURORA_CONFIG_INVALID  (settings checked at start: one line per problem)
    ├── ImplementationError        (a level of the fallback chain failed)
    │   ├── CodexTimeoutError       AURORA_CODEX_TIMEOUT
    │   ├── CodexRateLimitedError   AURORA_CODEX_RATE_LIMITED
    │   ├── CodexUnavailableError   AURORA_CODEX_UNAVAILABLE
    │   ├── LocalLLMUnavailableError AURORA_LOCAL_LLM_UNAVAILABLE
    │   ├── ParseError              AURORA_PARSE_ERROR
    │   ├── ValidationError         AURORA_VALIDATION_ERROR
    │   └── NotConfiguredError      AURORA_NOT_CONFIGURED
    └── PlanError                  AURORA_PLAN_ERROR
"""

from __future__ import annotations


class AuroraError(Exception):
    code = "AURORA_ERROR"

    def __init__(self, message: str, *, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


class InputError(AuroraError):
    code = "AURORA_INPUT_INVALID"


class EmptyPromptError(InputError):
    code = "AURORA_INPUT_EMPTY"


class PromptTooLongError(InputError):
    code = "AURORA_INPUT_TOO_LONG"


class UnreadablePromptError(InputError):
    code = "AURORA_INPUT_UNREADABLE"


class KnowledgeBaseError(AuroraError):
    code = "AURORA_KB_INVALID"


class ConfigError(AuroraError):
    code = "AURORA_CONFIG_INVALID"


class ImplementationError(AuroraError):
    code = "AURORA_IMPLEMENTATION_ERROR"


class CodexTimeoutError(ImplementationError):
    code = "AURORA_CODEX_TIMEOUT"


class CodexRateLimitedError(ImplementationError):
    code = "AURORA_CODEX_RATE_LIMITED"


class CodexUnavailableError(ImplementationError):
    code = "AURORA_CODEX_UNAVAILABLE"


class LocalLLMUnavailableError(ImplementationError):
    code = "AURORA_LOCAL_LLM_UNAVAILABLE"


class ParseError(ImplementationError):
    code = "AURORA_PARSE_ERROR"


class ValidationError(ImplementationError):
    code = "AURORA_VALIDATION_ERROR"


class NotConfiguredError(ImplementationError):
    code = "AURORA_NOT_CONFIGURED"


class PlanError(AuroraError):
    code = "AURORA_PLAN_ERROR"
