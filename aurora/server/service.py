"""The studio's service as plain library calls, shared by the REST routes and the Gradio app:
Aurora's calls stored as sessions, and generations run through the job queue into the store and data folder.

    service = StudioService.create(ServerSettings.from_env())
    service.start()
    session_id = service.enhance(user, EnhanceBody(prompt="lo-fi beat")).session_id
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aurora.contracts import EnhanceResult, GenerationMetadata, ParsedMusicalParameters, StructuralPlan
from aurora.exceptions import AuroraError, GenerationFailedError, NotFoundError
from aurora.facade import Aurora
from aurora.server.guard import BROWSER_COOKIE
from aurora.server.metrics import Metrics
from aurora.server.queue import JobQueue, ThreadJobQueue, Ticket
from aurora.server.schemas import (
    EnhanceBody,
    EnhanceResponse,
    ErrorInfo,
    FeedbackBody,
    GenerateBody,
    GenerateResponse,
    ParseBody,
    ParseResponse,
    PlanBody,
    PlanResponse,
    SuggestBody,
)
from aurora.server.settings import ServerSettings
from aurora.store import (
    FileStore,
    ResultRecord,
    SessionRecord,
    Store,
    SuggestionRow,
    UserRecord,
    enforce_retention,
    file_url,
)

if TYPE_CHECKING:
    from aurora.contracts import SuggestResult
    from aurora.generation import Generation
    from engine import Engine

log = logging.getLogger(__name__)
STATUS = {"pending": "queued", "processing": "processing", "completed": "completed", "failed": "failed"}


def suggestion_rows(enhanced: EnhanceResult) -> list[SuggestionRow]:
    """The enhancer's additions as spec §7.1 suggestions (what Aurora proposed, why, how sure)."""
    return [SuggestionRow(module="prompt_enhancer", suggestion_type=a.type, suggested_value=a.value,
                          confidence=round(a.confidence, 2), reasoning=a.reasoning) for a in enhanced.additions]


@dataclass(eq=False)
class StudioService:
    settings: ServerSettings
    store: Store
    files: FileStore
    aurora: Aurora
    metrics: Metrics = field(default_factory=Metrics)
    engine_factory: Callable[[], Engine] | None = None
    jobs: JobQueue = field(init=False)
    _engine: Engine | None = field(default=None, init=False)
    _engine_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)

    def __post_init__(self) -> None:
        self.jobs = ThreadJobQueue(self.run_generation, max_size=self.settings.queue_size,
                                   workers=self.settings.queue_workers, retry_after_s=self._retry_after_s)
        self.metrics.watch_queue(self.jobs.depth)

    @classmethod
    def create(cls, settings: ServerSettings, *, aurora: Aurora | None = None, engine: Engine | None = None,
               store: Store | None = None) -> StudioService:
        service = cls(settings=settings, store=store or Store.open(settings.db_url), files=FileStore(settings.data_dir),
                      aurora=aurora or Aurora())
        service._engine = engine
        for name, token in settings.api_tokens.items():
            service.store.add_token(name, token)
        return service

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers, replay generations a previous run accepted but did not finish, and start
        the retention sweeper."""
        self.jobs.start()
        for session_id in self.store.unfinished_generations():
            self.jobs.submit(session_id, force=True)
        threading.Thread(target=self._sweep, name="soundstar-retention", daemon=True).start()

    def stop(self, *, cancel_pending: bool = True, timeout_s: float = 30.0) -> None:
        self._stop.set()
        self.jobs.shutdown(cancel_pending=cancel_pending, timeout_s=timeout_s)

    def retention(self) -> None:
        report = enforce_retention(self.store, self.files, max_age_s=self.settings.retention_max_age_s,
                                   max_total_bytes=self.settings.retention_max_bytes)
        if report.results_cleared:
            log.info("retention removed the files of %d results (%d bytes)", report.results_cleared,
                     report.bytes_freed)

    def _sweep(self) -> None:
        while True:
            try:
                self.retention()
            except Exception:  # a failed sweep is retried at the next interval
                log.exception("retention sweep failed")
            if self._stop.wait(self.settings.retention_interval_s):
                return

    # -- who is asking ---------------------------------------------------------------------------
    def ui_user(self, *, cookies: Mapping[str, str], username: str | None = None) -> UserRecord | None:
        """The UI's user: the signed-in user when UI auth is on (Gradio passes ``request.username``), else the
        anonymous user of this browser's cookie; None when neither is known (no cookie yet)."""
        if username:
            return self.store.ensure_user(username)
        browser_id = cookies.get(BROWSER_COOKIE)
        return self.store.anonymous_user(browser_id) if browser_id else None

    # -- Aurora's calls, stored ------------------------------------------------------------------
    def enhance(self, user: UserRecord, body: EnhanceBody) -> EnhanceResponse:
        result = self.aurora.enhance(prompt=body.prompt, context=body.context,
                                     enhancement_level=body.enhancement_level)
        self.metrics.observe_aurora(result.aurora_metadata)
        session_id = self.store.record_session(
            user_id=user.id, kind="enhance", original_prompt=body.prompt, enhanced_prompt=result.enhanced_prompt,
            implementation_used=_served(result.aurora_metadata), request=body.model_dump(mode="json"),
            suggestions=suggestion_rows(result))
        return EnhanceResponse(**result.model_dump(), session_id=session_id)

    def parse(self, user: UserRecord, body: ParseBody) -> ParseResponse:
        result = self.aurora.parse(prompt=body.prompt)
        self.metrics.observe_aurora(result.aurora_metadata)
        control = result.control_encoder_params
        session_id = self.store.record_session(
            user_id=user.id, kind="parse", original_prompt=body.prompt,
            parsed_parameters=result.parsed_parameters.model_dump(mode="json"),
            control_embedding=control.unified_control_embedding if control else None,
            implementation_used=_served(result.aurora_metadata), request=body.model_dump(mode="json"))
        return ParseResponse(**result.model_dump(), session_id=session_id)

    def plan(self, user: UserRecord, body: PlanBody) -> PlanResponse:
        result = self.aurora.plan(parameters=body.parameters)
        self.metrics.observe_aurora(result.aurora_metadata)
        params = body.parameters
        session_id = self.store.record_session(
            user_id=user.id, kind="plan",
            original_prompt=f"{params.genre}, {params.mood}, {params.tempo_bpm:g} BPM, {params.duration_seconds:g} s",
            structural_plan=result.structural_plan.model_dump(mode="json", by_alias=True),
            implementation_used=_served(result.aurora_metadata), request=body.model_dump(mode="json"))
        return PlanResponse(**result.model_dump(by_alias=True), session_id=session_id)

    def suggest(self, body: SuggestBody) -> SuggestResult:
        """Not stored: it runs on every keystroke."""
        result = self.aurora.suggest(partial_prompt=body.partial_prompt, suggestion_count=body.suggestion_count)
        self.metrics.observe_aurora(result.aurora_metadata)
        return result

    def feedback(self, user: UserRecord, body: FeedbackBody) -> str:
        return self.store.add_feedback(
            user_id=user.id, session_id=body.session_id, result_id=body.result_id, feedback_type=body.feedback_type,
            prompt_quality_rating=body.prompt_quality_rating,
            suggestion_relevance_rating=body.suggestion_relevance_rating,
            audio_quality_rating=body.audio_quality_rating, comments=body.comments,
            accepted_suggestions={v.id: v.accepted for v in body.suggestions})

    # -- generation ------------------------------------------------------------------------------
    def submit_generation(self, user: UserRecord, body: GenerateBody) -> tuple[str, Ticket]:
        """Check the prompt, store the session as pending and queue it. A full queue raises QueueFullError
        and leaves no row."""
        self.aurora.preprocess(prompt=body.prompt)  # empty, unreadable or too long: InputError, nothing stored
        session_id = self.store.record_session(user_id=user.id, kind="generate", original_prompt=body.prompt,
                                               status="pending", implementation_used="defaults",
                                               request=body.model_dump(mode="json"))
        try:
            ticket = self.jobs.submit(session_id)
        except AuroraError:
            self.store.delete_session(session_id)
            self.metrics.queue_rejected.inc()
            raise
        return session_id, ticket

    def generation(self, user: UserRecord, generation_id: str) -> GenerateResponse:
        session = self.store.get_session(user_id=user.id, session_id=generation_id)
        if session.kind != "generate":
            raise NotFoundError(f"no generation {generation_id!r}")
        return generation_response(session, queue_depth=self.jobs.depth())

    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                if self.engine_factory is not None:
                    self._engine = self.engine_factory()
                else:
                    from engine import Engine

                    self._engine = Engine()
            return self._engine

    def run_generation(self, session_id: str, waited_s: float) -> None:
        """One queued generation: render, store the files and the rows; any failure is stored with its code."""
        from aurora.generation import generate
        from engine import EngineError

        self.metrics.queue_wait.observe(waited_s)
        try:
            session = self.store.load_session(session_id)
        except NotFoundError:
            return
        if session.status == "completed":
            return
        self.store.mark_processing(session_id)
        body = GenerateBody.model_validate(session.request or {"prompt": session.original_prompt})
        opts = body.options
        try:
            result = generate(aurora=self.aurora, engine=self.engine(), prompt=body.prompt,
                              duration_s=opts.duration_seconds, sample_rate=opts.sample_rate,
                              audio_format=opts.output_format, seed=opts.seed,
                              enhancement_level=opts.enhancement_level if opts.enhance_prompt else "minimal")
            self._complete(session_id, session.user_id, result, stems=opts.stems)
            meta, semantic = result.metadata, result.semantic
        except (AuroraError, EngineError) as exc:
            self._fail(session, getattr(exc, "code", GenerationFailedError.code), getattr(exc, "message", str(exc)))
            return
        except Exception as exc:  # stored as failed with its reason; the worker goes on with the next job
            log.exception("generation %s failed", session_id)
            self._fail(session, GenerationFailedError.code, f"{type(exc).__name__}: {exc}")
            return
        for stage in (semantic.enhance, semantic.parse, semantic.plan):
            self.metrics.observe_aurora(stage.aurora_metadata)
        self.metrics.observe_generation(meta, audio_duration_s=result.render.duration_s)

    def _complete(self, session_id: str, user_id: int, result: Generation, *, stems: bool) -> ResultRecord:
        """A finished render's files (one copy, in the data folder) and its rows."""
        stored = self.files.write_generation(result, user_id=user_id, session_id=session_id, stems=stems)
        meta = result.metadata
        semantic = result.semantic
        control = semantic.parse.control_encoder_params
        return self.store.complete_generation(
            session_id, enhanced_prompt=semantic.enhance.enhanced_prompt,
            parsed_parameters=semantic.parse.parsed_parameters.model_dump(mode="json"),
            structural_plan=semantic.plan.structural_plan.model_dump(mode="json", by_alias=True),
            control_embedding=control.unified_control_embedding if control else None,
            implementation_used=meta.implementation_used, suggestions=suggestion_rows(semantic.enhance),
            files=stored, audio_duration_s=result.render.duration_s, sample_rate=result.render.sample_rate,
            output_format=result.audio_format, generation_metadata=meta.model_dump(mode="json"))

    def record_ui_generation(self, user: UserRecord, body: GenerateBody, result: Generation) -> ResultRecord:
        """A generation the studio UI rendered itself, stored like a queued one (session, suggestions, result,
        files), so it is in the user's history after a reload or a restart."""
        session_id = self.store.record_session(user_id=user.id, kind="generate", original_prompt=body.prompt,
                                               status="processing", implementation_used="defaults",
                                               request=body.model_dump(mode="json"))
        try:
            return self._complete(session_id, user.id, result, stems=body.options.stems)
        except Exception:
            self.files.discard(user.id, session_id)
            self.store.delete_session(session_id)
            raise

    def _fail(self, session: SessionRecord, code: str, message: str) -> None:
        self.files.discard(session.user_id, session.id)
        self.store.mark_failed(session.id, code=code, message=message)
        self.metrics.failures.labels(code).inc()

    def _retry_after_s(self) -> float:
        """A guess at when a place frees up: the recent mean generation time, at least 5 s."""
        count = _sample(self.metrics, "soundstar_generation_seconds_count")
        total = _sample(self.metrics, "soundstar_generation_seconds_sum")
        return max(5.0, round(total / count, 1)) if count else 30.0


def _sample(metrics: Metrics, name: str) -> float:
    return float(sum(s.value for family in metrics.generation_seconds.collect() for s in family.samples
                     if s.name == name))


def _served(meta: object) -> str:
    return str(getattr(meta, "implementation", "defaults"))


def generation_response(session: SessionRecord, *, queue_depth: int | None = None) -> GenerateResponse:
    result = session.results[-1] if session.results else None
    error = ErrorInfo(code=session.error_code, message=session.error_message or "") if session.error_code else None
    urls: dict[str, str | None] = {}
    if result is not None and result.files_available:
        urls = {"audio_url": result.audio_url, "midi_url": file_url(result.id, "midi", "mid"),
                "stems_url": file_url(result.id, "stems", "zip") if (session.request or {}).get("options", {})
                .get("stems", True) else None}
    return GenerateResponse(
        generation_id=session.id, status=STATUS[session.status],  # type: ignore[arg-type]
        enhanced_prompt=session.enhanced_prompt,
        parsed_parameters=ParsedMusicalParameters.model_validate(session.parsed_parameters)
        if session.parsed_parameters else None,
        structural_plan=StructuralPlan.model_validate(session.structural_plan) if session.structural_plan else None,
        generation_metadata=GenerationMetadata.model_validate(result.generation_metadata)
        if result and result.generation_metadata else None,
        result_id=result.id if result else None, error=error, created_at=session.created_at,
        queue_position=queue_depth if session.status == "pending" else None, **urls)


