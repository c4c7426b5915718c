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
    ├── PlanError                  AURORA_PLAN_ERROR
    └── ServiceError               (the REST service: aurora.server, aurora.store)
        ├── AuthRequiredError       AURORA_AUTH_REQUIRED     401
        ├── AuthInvalidError        AURORA_AUTH_INVALID      401
        ├── NotFoundError           AURORA_NOT_FOUND         404 (also another user's rows)
        ├── RequestTooLargeError    AURORA_REQUEST_TOO_LARGE 413
        ├── RateLimitedError        AURORA_RATE_LIMITED      429 + Retry-After
        ├── QueueFullError          AURORA_QUEUE_FULL        503 + Retry-After
        └── GenerationFailedError   AURORA_GENERATION_FAILED (a render that raised something unexpected)
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


class ServiceError(AuroraError):
    code = "AURORA_SERVICE_ERROR"
    status_code = 500
    retry_after_s: float | None = None


class AuthRequiredError(ServiceError):
    code = "AURORA_AUTH_REQUIRED"
    status_code = 401


class AuthInvalidError(ServiceError):
    code = "AURORA_AUTH_INVALID"
    status_code = 401


class NotFoundError(ServiceError):
    code = "AURORA_NOT_FOUND"
    status_code = 404


class RequestTooLargeError(ServiceError):
    code = "AURORA_REQUEST_TOO_LARGE"
    status_code = 413


class RateLimitedError(ServiceError):
    code = "AURORA_RATE_LIMITED"
    status_code = 429

    def __init__(self, message: str, *, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class QueueFullError(ServiceError):
    code = "AURORA_QUEUE_FULL"
    status_code = 503

    def __init__(self, message: str, *, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class GenerationFailedError(ServiceError):
    code = "AURORA_GENERATION_FAILED"
