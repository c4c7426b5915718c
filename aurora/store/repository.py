"""The store: every read and write of the service's rows, in short transactions, returning snapshots.

A user sees only their own rows: every lookup filters by user id, and another user's id answers
NotFoundError exactly as a missing one does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from aurora.exceptions import NotFoundError
from aurora.store.db import make_engine, migrate
from aurora.store.models import (
    ApiToken,
    AuroraSession,
    AuroraSuggestion,
    GenerationResult,
    User,
    UserFeedback,
    _now,
)
from aurora.store.records import (
    FileKind,
    ResultRecord,
    SessionRecord,
    StoredFiles,
    SuggestionRow,
    TokenRecord,
    UserRecord,
)

TABLES = {"users": User, "api_tokens": ApiToken, "aurora_sessions": AuroraSession,
          "aurora_suggestions": AuroraSuggestion, "generation_results": GenerationResult,
          "user_feedback": UserFeedback}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_fingerprint(digest: str) -> str:
    """How a token is named in listings: the first 12 hex digits of its SHA-256 (``hash_token(token)[:12]``)."""
    return digest[:12]


def new_id() -> str:
    return str(uuid.uuid4())


def file_url(result_id: str, kind: FileKind, suffix: str) -> str:
    """Where the REST API serves a result's file (relative to the server's root)."""
    return f"/api/v1/aurora/files/{result_id}/{kind}.{suffix}"


class Store:
    """Rows of spec §7.1 behind plain methods; open with ``Store.open(url)`` (runs the migrations)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, run_migrations: bool = True) -> Store:
        engine = make_engine(url)
        if run_migrations:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- users and tokens ------------------------------------------------------------------------
    def ensure_user(self, name: str, *, kind: str = "token") -> UserRecord:
        for _ in range(2):  # two requests may create the same user at once: the loser reads the winner's row
            with self._tx() as s:
                user = s.scalar(select(User).where(User.name == name))
                if user is not None:
                    return _user(user)
            try:
                with self._tx() as s:
                    user = User(name=name, kind=kind)
                    s.add(user)
                    s.flush()
                    return _user(user)
            except IntegrityError:
                continue
        raise RuntimeError(f"could not create user {name!r}")

    def anonymous_user(self, browser_id: str) -> UserRecord:
        """The user behind a browser's anonymous cookie (created on first use)."""
        return self.ensure_user(f"anonymous:{browser_id}", kind="anonymous")

    def create_token(self, user_name: str) -> str:
        """A new random token for ``user_name`` (created if needed). Only its hash is stored."""
        token = "sst_" + secrets.token_urlsafe(32)
        self.add_token(user_name, token)
        return token

    def add_token(self, user_name: str, token: str) -> UserRecord:
        """Register a known token (from configuration); idempotent, and a revoked token stays revoked."""
        user = self.ensure_user(user_name)
        digest = hash_token(token)
        try:
            with self._tx() as s:
                existing = s.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
                if existing is None:
                    s.add(ApiToken(user_id=user.id, token_sha256=digest))
                elif existing.user_id != user.id:
                    raise ValueError("this token already belongs to another user")
        except IntegrityError:
            pass  # registered concurrently by another worker
        return user

    def user_for_token(self, token: str) -> UserRecord | None:
        """The user of a live token; None for an unknown or revoked one."""
        with self._tx() as s:
            user = s.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id)
                            .where(ApiToken.token_sha256 == hash_token(token), ApiToken.revoked_at.is_(None)))
            return _user(user) if user else None

    def token_count(self, *, live_only: bool = False) -> int:
        with self._tx() as s:
            query = select(func.count()).select_from(ApiToken)
            if live_only:
                query = query.where(ApiToken.revoked_at.is_(None))
            return int(s.scalar(query) or 0)

    def list_tokens(self, user_name: str | None = None, *, include_revoked: bool = False) -> list[TokenRecord]:
        """Tokens (all users, or one), oldest first, as id, user and fingerprint: the tokens themselves are
        never stored, so never listed."""
        with self._tx() as s:
            query = select(ApiToken, User.name).join(User, ApiToken.user_id == User.id).order_by(ApiToken.id)
            if user_name is not None:
                query = query.where(User.name == user_name)
            if not include_revoked:
                query = query.where(ApiToken.revoked_at.is_(None))
            return [TokenRecord(id=row.id, user=name, fingerprint=token_fingerprint(row.token_sha256),
                                created_at=row.created_at, revoked_at=row.revoked_at)
                    for row, name in s.execute(query).all()]

    def revoke_tokens(self, *, token_id: int | None = None, user_name: str | None = None,
                      fingerprint: str | None = None, token: str | None = None) -> list[TokenRecord]:
        """Revoke the live tokens matching every given selector (by id, by user, by fingerprint prefix of at
        least 8 characters, or by the token itself); the revoked ones, empty when none matched. A revoked token
        answers 401 from the next request on, and stays revoked (configuration does not bring it back)."""
        if token_id is None and user_name is None and fingerprint is None and token is None:
            raise ValueError("say which tokens to revoke: an id, a user, a fingerprint or the token")
        if fingerprint is not None and len(fingerprint) < 8:
            raise ValueError("a fingerprint needs at least 8 characters")
        with self._tx() as s:
            query = (select(ApiToken, User.name).join(User, ApiToken.user_id == User.id)
                     .where(ApiToken.revoked_at.is_(None)))
            if token_id is not None:
                query = query.where(ApiToken.id == token_id)
            if user_name is not None:
                query = query.where(User.name == user_name)
            if fingerprint is not None:
                query = query.where(ApiToken.token_sha256.startswith(fingerprint.lower(), autoescape=True))
            if token is not None:
                query = query.where(ApiToken.token_sha256 == hash_token(token))
            now = _now()
            revoked = []
            for row, name in s.execute(query).all():
                row.revoked_at = now
                revoked.append(TokenRecord(id=row.id, user=name, fingerprint=token_fingerprint(row.token_sha256),
                                           created_at=row.created_at, revoked_at=now))
            return revoked

    # -- sessions --------------------------------------------------------------------------------
    def record_session(self, *, user_id: int, kind: str, original_prompt: str, status: str = "completed",
                       enhanced_prompt: str | None = None, parsed_parameters: dict[str, Any] | None = None,
                       structural_plan: dict[str, Any] | None = None, control_embedding: Sequence[float] | None = None,
                       implementation_used: str = "rule_based", request: dict[str, Any] | None = None,
                       suggestions: Sequence[SuggestionRow] = ()) -> str:
        """One finished (or queued) request as a session, with its suggestions, in one transaction."""
        session_id = new_id()
        with self._tx() as s:
            s.add(AuroraSession(id=session_id, user_id=user_id, kind=kind, original_prompt=original_prompt,
                                enhanced_prompt=enhanced_prompt, parsed_parameters=parsed_parameters,
                                structural_plan=structural_plan, control_embedding=_embedding(control_embedding),
                                status=status, implementation_used=implementation_used, request=request))
            s.flush()
            for row in suggestions:
                s.add(AuroraSuggestion(id=new_id(), session_id=session_id, **row.model_dump()))
        return session_id

    def delete_session(self, session_id: str) -> None:
        """Undo a session that was never accepted (the queue refused it): nothing stays half-way."""
        with self._tx() as s:
            row = s.get(AuroraSession, session_id)
            if row is not None:
                s.delete(row)

    def get_session(self, *, user_id: int, session_id: str) -> SessionRecord:
        with self._tx() as s:
            row = s.get(AuroraSession, session_id)
            if row is None or row.user_id != user_id:
                raise NotFoundError(f"no session {session_id!r}")
            return _session(row, self._results(s, [session_id]).get(session_id, []))

    def load_session(self, session_id: str) -> SessionRecord:
        """A session by id, whoever owns it (for the job queue's workers)."""
        with self._tx() as s:
            row = s.get(AuroraSession, session_id)
            if row is None:
                raise NotFoundError(f"no session {session_id!r}")
            return _session(row, self._results(s, [session_id]).get(session_id, []))

    def history(self, *, user_id: int, limit: int = 20, offset: int = 0,
                kind: str | None = None) -> tuple[list[SessionRecord], int]:
        """The user's sessions, newest first, with their results; and how many there are in all."""
        with self._tx() as s:
            where = [AuroraSession.user_id == user_id]
            if kind:
                where.append(AuroraSession.kind == kind)
            total = int(s.scalar(select(func.count()).select_from(AuroraSession).where(*where)) or 0)
            rows = s.scalars(select(AuroraSession).where(*where)
                             .order_by(AuroraSession.created_at.desc(), AuroraSession.id)
                             .limit(limit).offset(offset)).all()
            results = self._results(s, [r.id for r in rows])
            return [_session(r, results.get(r.id, [])) for r in rows], total

    def suggestions(self, *, user_id: int, session_id: str) -> list[dict[str, Any]]:
        self.get_session(user_id=user_id, session_id=session_id)
        with self._tx() as s:
            rows = s.scalars(select(AuroraSuggestion).where(AuroraSuggestion.session_id == session_id)
                             .order_by(AuroraSuggestion.created_at, AuroraSuggestion.id)).all()
            return [{"id": r.id, "module": r.module, "suggestion_type": r.suggestion_type,
                     "original_value": r.original_value, "suggested_value": r.suggested_value,
                     "confidence": float(r.confidence), "reasoning": r.reasoning,
                     "user_accepted": r.user_accepted} for r in rows]

    # -- the generation queue's rows -------------------------------------------------------------
    def unfinished_generations(self) -> list[str]:
        """Generations accepted but not finished (a restart replays them), oldest first."""
        with self._tx() as s:
            return list(s.scalars(select(AuroraSession.id)
                                  .where(AuroraSession.kind == "generate",
                                         AuroraSession.status.in_(("pending", "processing")))
                                  .order_by(AuroraSession.created_at)).all())

    def mark_processing(self, session_id: str) -> None:
        with self._tx() as s:
            s.execute(update(AuroraSession).where(AuroraSession.id == session_id)
                      .values(status="processing", started_at=_now(), updated_at=_now()))

    def mark_failed(self, session_id: str, *, code: str, message: str) -> None:
        with self._tx() as s:
            s.execute(update(AuroraSession).where(AuroraSession.id == session_id)
                      .values(status="failed", error_code=code, error_message=message[:2000],
                              finished_at=_now(), updated_at=_now()))

    def complete_generation(self, session_id: str, *, enhanced_prompt: str, parsed_parameters: dict[str, Any],
                            structural_plan: dict[str, Any], control_embedding: Sequence[float] | None,
                            implementation_used: str, suggestions: Sequence[SuggestionRow], files: StoredFiles,
                            audio_duration_s: float, sample_rate: int, output_format: str,
                            generation_metadata: dict[str, Any]) -> ResultRecord:
        """The session's outcome, its suggestions and its result row, all in one transaction."""
        result_id = new_id()
        meta = generation_metadata
        with self._tx() as s:
            row = s.get(AuroraSession, session_id)
            if row is None:
                raise NotFoundError(f"no session {session_id!r}")
            row.enhanced_prompt = enhanced_prompt
            row.parsed_parameters = parsed_parameters
            row.structural_plan = structural_plan
            row.control_embedding = _embedding(control_embedding)
            row.implementation_used = implementation_used
            row.status = "completed"
            row.finished_at = _now()
            for suggestion in suggestions:
                s.add(AuroraSuggestion(id=new_id(), session_id=session_id, **suggestion.model_dump()))
            aurora_ms = meta["aurora_enhance_time_ms"] + meta["aurora_parse_time_ms"] + meta["aurora_plan_time_ms"]
            result = GenerationResult(
                id=result_id, session_id=session_id, audio_url=file_url(result_id, "audio", output_format),
                audio_duration_seconds=round(audio_duration_s, 2), sample_rate=sample_rate,
                output_format=output_format, total_time_ms=round(meta["total_time_ms"]),
                aurora_time_ms=round(aurora_ms), engine_time_ms=round(meta["engine_time_ms"]),
                audio_path=files.audio_path, midi_path=files.midi_path, stems_path=files.stems_path,
                size_bytes=files.size_bytes, generation_metadata=meta)
            s.add(result)
            s.flush()
            return _result(result)

    def result_file(self, *, user_id: int, result_id: str, kind: FileKind) -> str | None:
        """The relative path of a result's file, if this user owns it and retention has not removed it."""
        with self._tx() as s:
            row = s.execute(select(GenerationResult, AuroraSession.user_id)
                            .join(AuroraSession, AuroraSession.id == GenerationResult.session_id)
                            .where(GenerationResult.id == result_id)).first()
            if row is None or row[1] != user_id or row[0].files_deleted_at is not None:
                return None
            result: GenerationResult = row[0]
            return {"audio": result.audio_path, "midi": result.midi_path, "stems": result.stems_path}[kind]

    # -- feedback --------------------------------------------------------------------------------
    def add_feedback(self, *, user_id: int, session_id: str, feedback_type: str, result_id: str | None = None,
                     prompt_quality_rating: int | None = None, suggestion_relevance_rating: int | None = None,
                     audio_quality_rating: int | None = None, comments: str | None = None,
                     accepted_suggestions: dict[str, bool] | None = None) -> str:
        """One feedback row (and the user's verdicts on suggestions); the session, result and suggestions
        must be this user's, else NotFoundError and nothing is written."""
        feedback_id = new_id()
        with self._tx() as s:
            session = s.get(AuroraSession, session_id)
            if session is None or session.user_id != user_id:
                raise NotFoundError(f"no session {session_id!r}")
            if result_id is not None:
                result = s.get(GenerationResult, result_id)
                if result is None or result.session_id != session_id:
                    raise NotFoundError(f"no result {result_id!r} in session {session_id!r}")
            for suggestion_id, accepted in (accepted_suggestions or {}).items():
                suggestion = s.get(AuroraSuggestion, suggestion_id)
                if suggestion is None or suggestion.session_id != session_id:
                    raise NotFoundError(f"no suggestion {suggestion_id!r} in session {session_id!r}")
                suggestion.user_accepted = accepted
            s.add(UserFeedback(id=feedback_id, session_id=session_id, result_id=result_id,
                               feedback_type=feedback_type, prompt_quality_rating=prompt_quality_rating,
                               suggestion_relevance_rating=suggestion_relevance_rating,
                               audio_quality_rating=audio_quality_rating, comments=comments))
        return feedback_id

    # -- retention and counts --------------------------------------------------------------------
    def results_with_files(self) -> list[tuple[str, str | None, int, dt.datetime]]:
        """(result id, audio path, size, created) of every result whose files still exist, oldest first."""
        with self._tx() as s:
            rows = s.execute(select(GenerationResult.id, GenerationResult.audio_path, GenerationResult.size_bytes,
                                    GenerationResult.created_at)
                             .where(GenerationResult.files_deleted_at.is_(None))
                             .order_by(GenerationResult.created_at, GenerationResult.id)).all()
            return [(r[0], r[1], int(r[2]), r[3]) for r in rows]

    def mark_files_deleted(self, result_ids: Sequence[str]) -> None:
        if not result_ids:
            return
        with self._tx() as s:
            s.execute(update(GenerationResult).where(GenerationResult.id.in_(list(result_ids)))
                      .values(files_deleted_at=_now()))

    def count(self, table: str, **where: object) -> int:
        model = TABLES[table]
        with self._tx() as s:
            query = select(func.count()).select_from(model)
            for column, value in where.items():
                query = query.where(getattr(model, column) == value)
            return int(s.scalar(query) or 0)

    @staticmethod
    def _results(s: Session, session_ids: Sequence[str]) -> dict[str, list[ResultRecord]]:
        out: dict[str, list[ResultRecord]] = {}
        if not session_ids:
            return out
        rows = s.scalars(select(GenerationResult).where(GenerationResult.session_id.in_(list(session_ids)))
                         .order_by(GenerationResult.created_at)).all()
        for row in rows:
            out.setdefault(row.session_id, []).append(_result(row))
        return out


def _embedding(values: Sequence[float] | None) -> bytes | None:
    return None if values is None else np.asarray(values, dtype="<f4").tobytes()


def embedding_from_bytes(data: bytes | None) -> list[float] | None:
    return None if data is None else np.frombuffer(data, dtype="<f4").astype(float).tolist()


def _user(row: User) -> UserRecord:
    return UserRecord(id=row.id, name=row.name, kind=row.kind)  # type: ignore[arg-type]


def _result(row: GenerationResult) -> ResultRecord:
    return ResultRecord(id=row.id, session_id=row.session_id, audio_url=row.audio_url,
                        audio_duration_seconds=float(row.audio_duration_seconds), sample_rate=row.sample_rate,
                        output_format=row.output_format, total_time_ms=row.total_time_ms,
                        aurora_time_ms=row.aurora_time_ms, engine_time_ms=row.engine_time_ms,
                        created_at=row.created_at, size_bytes=row.size_bytes,
                        files_available=row.files_deleted_at is None, generation_metadata=row.generation_metadata)


def _session(row: AuroraSession, results: list[ResultRecord]) -> SessionRecord:
    return SessionRecord(id=row.id, user_id=row.user_id, kind=row.kind, original_prompt=row.original_prompt,
                         enhanced_prompt=row.enhanced_prompt, parsed_parameters=row.parsed_parameters,
                         structural_plan=row.structural_plan, status=row.status,  # type: ignore[arg-type]
                         implementation_used=row.implementation_used, request=row.request,
                         error_code=row.error_code, error_message=row.error_message, created_at=row.created_at,
                         updated_at=row.updated_at, started_at=row.started_at, finished_at=row.finished_at,
                         results=results)
