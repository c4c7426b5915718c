"""The REST API of spec §5 under /api/v1/aurora, plus /metrics. Every route needs a bearer token; errors are
JSON ``{"error": {"code", "message"}}`` with the spec's codes, never a traceback."""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from aurora.contracts import AuroraMetadata, SuggestResult
from aurora.exceptions import (
    AuroraError,
    AuthInvalidError,
    AuthRequiredError,
    EmptyPromptError,
    InputError,
    NotFoundError,
    PromptTooLongError,
    ServiceError,
    UnreadablePromptError,
)
from aurora.server.metrics import CONTENT_TYPE, Metrics
from aurora.server.schemas import (
    EnhanceBody,
    EnhanceResponse,
    ErrorBody,
    FeedbackBody,
    FeedbackResponse,
    GenerateBody,
    GenerateResponse,
    HistoryResponse,
    ParseBody,
    ParseResponse,
    PlanBody,
    PlanResponse,
    SuggestBody,
)
from aurora.server.service import StudioService
from aurora.store import UserRecord

PREFIX = "/api/v1/aurora"
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (400, 401, 404, 413, 422, 429, 503)}
FILE_SUFFIXES = {"audio": ("wav", "flac", "mp3"), "midi": ("mid",), "stems": ("zip",)}
MEDIA = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "mid": "audio/midi", "zip": "application/zip"}


def service_of(request: Request) -> StudioService:
    service: StudioService = request.app.state.service
    return service


def current_user(request: Request) -> UserRecord:
    auth = request.headers.get("authorization", "")
    if not auth:
        raise AuthRequiredError("send 'Authorization: Bearer <token>' (create one: python -m aurora.server token NAME)")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthInvalidError("the Authorization header must be 'Bearer <token>'")
    user = service_of(request).store.user_for_token(token.strip())
    if user is None:
        raise AuthInvalidError("unknown or revoked token")
    request.state.user = user
    return user


User = Annotated[UserRecord, Depends(current_user)]
Service = Annotated[StudioService, Depends(service_of)]
router = APIRouter(prefix=PREFIX, tags=["aurora"], responses=ERRORS)


def _record_level(request: Request, metadata: AuroraMetadata | None) -> None:
    """The level that served, for the request metrics (observed at the boundary, from the typed result)."""
    request.state.implementation = metadata.implementation if metadata else "none"


@router.post("/enhance", response_model=EnhanceResponse)
def enhance(body: EnhanceBody, user: User, service: Service, request: Request) -> EnhanceResponse:
    """Enhance a raw user prompt with musical context (§5.2.1)."""
    result = service.enhance(user, body)
    _record_level(request, result.aurora_metadata)
    return result


@router.post("/suggest", response_model=SuggestResult)
def suggest(body: SuggestBody, user: User, service: Service) -> SuggestResult:
    """Suggestions for a partial prompt, as the user types (not stored)."""
    return service.suggest(body)


@router.post("/parse", response_model=ParseResponse)
def parse(body: ParseBody, user: User, service: Service, request: Request) -> ParseResponse:
    """Parse a prompt into structured musical parameters and the control embedding (§5.2.2)."""
    result = service.parse(user, body)
    _record_level(request, result.aurora_metadata)
    return result


@router.post("/plan", response_model=PlanResponse)
def plan(body: PlanBody, user: User, service: Service, request: Request) -> PlanResponse:
    """A structural plan: sections, transitions, chords (§5.2.3)."""
    result = service.plan(user, body)
    _record_level(request, result.aurora_metadata)
    return result


@router.post("/generate", response_model=GenerateResponse, status_code=200,
             responses={202: {"model": GenerateResponse, "description": "queued (wait=false) or still running"}})
def generate(body: GenerateBody, user: User, service: Service, response: Response) -> GenerateResponse:
    """Full pipeline: enhance, parse, plan and render (§5.2.4). ``wait: false`` answers 202 at once;
    poll GET /generate/{generation_id}. A full queue answers 503 with Retry-After."""
    generation_id, ticket = service.submit_generation(user, body)
    if body.wait:
        ticket.wait(service.settings.wait_timeout_s)
    result = service.generation(user, generation_id)
    if result.status in ("queued", "processing"):
        response.status_code = 202
        response.headers["Location"] = f"{PREFIX}/generate/{generation_id}"
    return result


@router.get("/generate/{generation_id}", response_model=GenerateResponse)
def generation_status(generation_id: str, user: User, service: Service) -> GenerateResponse:
    """A generation's status and, once completed, its files and metadata; failed ones carry their error."""
    return service.generation(user, generation_id)


@router.get("/history", response_model=HistoryResponse)
def history(user: User, service: Service, limit: Annotated[int, Query(ge=1, le=100)] = 20,
            offset: Annotated[int, Query(ge=0)] = 0, kind: str | None = None) -> HistoryResponse:
    """The user's sessions, newest first, with their results and the request that made them."""
    items, total = service.store.history(user_id=user.id, limit=limit, offset=offset, kind=kind)
    return HistoryResponse(items=items, total=total, limit=limit, offset=offset)


@router.post("/feedback", response_model=FeedbackResponse, status_code=201)
def feedback(body: FeedbackBody, user: User, service: Service) -> FeedbackResponse:
    """Feedback on a session (and optionally one of its results and suggestions)."""
    feedback_id = service.feedback(user, body)
    return FeedbackResponse(feedback_id=feedback_id, session_id=body.session_id, result_id=body.result_id)


@router.get("/files/{result_id}/{name}", response_class=FileResponse)
def result_file(result_id: str, name: str, user: User, service: Service) -> FileResponse:
    """A result's audio, MIDI or stems, served from the data folder (one copy, no cache duplicate)."""
    kind, _, suffix = name.partition(".")
    if kind not in FILE_SUFFIXES or suffix not in FILE_SUFFIXES[kind]:
        raise NotFoundError(f"no file {name!r}")
    relative = service.store.result_file(user_id=user.id, result_id=result_id, kind=kind)  # type: ignore[arg-type]
    path = service.files.resolve(relative)
    if path is None or not path.name.endswith(suffix):
        raise NotFoundError(f"no file {name!r} for result {result_id!r}")
    return FileResponse(path, media_type=MEDIA[suffix], filename=f"soundstar-{result_id[:8]}-{name}")


def metrics_open(service: StudioService) -> bool:
    """Whether /metrics answers without a token: ``metrics_open`` when set, else only on a loopback address with
    no auth configured (no live API token in the store, no UI login, no metrics token)."""
    settings = service.settings
    if settings.metrics_open is not None:
        return settings.metrics_open
    return not (settings.public or settings.ui_auth or settings.metrics_token
                or service.store.token_count(live_only=True))


def metrics_caller_allowed(request: Request) -> None:
    """/metrics when closed: the metrics token when one is configured (and only it), else any live API token."""
    service = service_of(request)
    if metrics_open(service):
        return
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    token = token.strip()
    if not auth:
        raise AuthRequiredError("/metrics needs 'Authorization: Bearer <token>' (SOUNDSTAR_METRICS_TOKEN, or an API "
                                "token when none is set)")
    if scheme.lower() != "bearer" or not token:
        raise AuthInvalidError("the Authorization header must be 'Bearer <token>'")
    expected = service.settings.metrics_token
    if expected is not None:
        if not secrets.compare_digest(token.encode(), expected.encode()):
            raise AuthInvalidError("not the metrics token")
    elif service.store.user_for_token(token) is None:
        raise AuthInvalidError("unknown or revoked token")


def metrics_route(request: Request) -> Response:
    """Prometheus text; closed to callers without a token unless the settings open it (``metrics_open``)."""
    metrics_caller_allowed(request)
    return Response(service_of(request).metrics.render(), media_type=CONTENT_TYPE)


# ---------------------------------------------------------------- errors
def _error(status: int, code: str, message: str, *, details: list[dict[str, Any]] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details:
        body["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


async def _aurora_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AuroraError)
    if isinstance(exc, ServiceError):
        headers = {"Retry-After": str(max(1, round(exc.retry_after_s)))} if exc.retry_after_s else None
        if isinstance(exc, AuthRequiredError | AuthInvalidError):
            headers = {"WWW-Authenticate": "Bearer"}
        return _error(exc.status_code, exc.code, exc.message, headers=headers)
    status = 422 if isinstance(exc, InputError) else 500
    return _error(status, exc.code, exc.message)


async def _engine_error(_request: Request, exc: Exception) -> JSONResponse:
    from engine import EngineInputError

    code = str(getattr(exc, "code", "ENGINE_ERROR"))
    return _error(422 if isinstance(exc, EngineInputError) else 500, code, str(getattr(exc, "message", exc)))


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """Pydantic's errors as the spec's codes: an unreadable body 400, an empty or over-long prompt their own
    codes, anything else AURORA_INPUT_INVALID; each field's problem listed in ``details``."""
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    details = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "body", "problem": str(e.get("msg", ""))}
               for e in errors[:20]]
    types = {str(e.get("type")) for e in errors}
    prompt_errors = {str(e.get("type")) for e in errors if tuple(e.get("loc", ()))[-1:] == ("prompt",)}
    if "json_invalid" in types or any(e.get("loc") == ("body",) for e in errors):
        return _error(400, UnreadablePromptError.code, "the body is not a JSON object", details=details)
    if "string_too_long" in prompt_errors:
        return _error(422, PromptTooLongError.code, "the prompt is too long", details=details)
    if prompt_errors & {"string_too_short", "missing"}:
        return _error(422, EmptyPromptError.code, "the prompt is empty", details=details)
    summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:3])
    return _error(422, InputError.code, f"invalid request: {summary}", details=details)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: NotFoundError.code, 405: "AURORA_METHOD_NOT_ALLOWED"}.get(exc.status_code, "AURORA_HTTP_ERROR")
    return _error(exc.status_code, code, str(exc.detail))


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    return _error(500, "AURORA_INTERNAL_ERROR", f"unexpected {type(exc).__name__}; the server log has the details")


def install(app: FastAPI) -> None:
    """Routes, error handlers and request metrics on ``app`` (whose state holds the service)."""
    from engine import EngineError

    app.include_router(router)
    app.add_api_route("/metrics", metrics_route, methods=["GET"], include_in_schema=False)
    app.add_exception_handler(AuroraError, _aurora_error)
    app.add_exception_handler(EngineError, _engine_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)

    app.add_middleware(ObserveMiddleware, metrics=service_metrics(app))  # type: ignore[arg-type]


def service_metrics(app: FastAPI) -> Metrics:
    metrics: Metrics = app.state.service.metrics
    return metrics


class ObserveMiddleware:
    """Requests and latency of the API routes by endpoint (the route's template), implementation and status;
    a plain ASGI middleware, so the UI's streamed responses pass through untouched."""

    def __init__(self, app: Any, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_status(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            endpoint = str(getattr(route, "path", "unmatched")).removeprefix(PREFIX) or "/"
            implementation = str((scope.get("state") or {}).get("implementation", "none"))
            self.metrics.observe_request(endpoint, status[0], time.perf_counter() - started, implementation)
