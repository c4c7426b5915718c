"""SQLAlchemy 2 models of spec §7.1: users, aurora_sessions, aurora_suggestions, generation_results,
user_feedback, with the spec's columns, enums and indexes.

Extensions are nullable or defaulted, so every spec column keeps its meaning: hashed API tokens (a table of
their own), the session's kind and request (to replay a queued generation after a restart), its failure code,
and each result's files (paths relative to the data folder, their size, when retention deleted them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SESSION_STATUSES = ("pending", "processing", "completed", "failed")
IMPLEMENTATIONS = ("codex", "local_llm", "rule_based", "defaults")
SUGGESTION_MODULES = ("prompt_enhancer", "semantic_parser", "parameter_mapper", "structural_planner")
FEEDBACK_TYPES = ("positive", "negative", "neutral")
USER_KINDS = ("token", "anonymous")


def _enum(values: tuple[str, ...], name: str) -> Enum:
    """A named enum: a PostgreSQL type, a CHECK constraint on SQLite."""
    return Enum(*values, name=name, create_constraint=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(_enum(USER_KINDS, "user_kind"), default="token")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())


class ApiToken(Base):
    """A bearer token, stored as its SHA-256: the plain token is shown once, when it is created."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AuroraSession(Base):
    __tablename__ = "aurora_sessions"
    __table_args__ = (
        Index("idx_aurora_sessions_user_id", "user_id"),
        Index("idx_aurora_sessions_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    original_prompt: Mapped[str] = mapped_column(Text)
    enhanced_prompt: Mapped[str | None] = mapped_column(Text, nullable=True)
    parsed_parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    structural_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    control_embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(_enum(SESSION_STATUSES, "session_status"), default="pending",
                                        server_default="pending")
    implementation_used: Mapped[str] = mapped_column(_enum(IMPLEMENTATIONS, "implementation_name"),
                                                     default="codex", server_default="codex")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now,
                                                    server_default=func.now())
    # extensions
    kind: Mapped[str] = mapped_column(String(16), default="generate")
    request: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AuroraSuggestion(Base):
    __tablename__ = "aurora_suggestions"
    __table_args__ = (Index("idx_aurora_suggestions_session_id", "session_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("aurora_sessions.id"))
    module: Mapped[str] = mapped_column(_enum(SUGGESTION_MODULES, "suggestion_module"))
    suggestion_type: Mapped[str] = mapped_column(String(64))
    original_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    suggested_value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[Decimal] = mapped_column(Numeric(3, 2))
    reasoning: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_accepted: Mapped[bool | None] = mapped_column(Boolean, nullable=True, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())


class GenerationResult(Base):
    __tablename__ = "generation_results"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("aurora_sessions.id"), index=True)
    audio_url: Mapped[str] = mapped_column(Text)
    audio_duration_seconds: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    sample_rate: Mapped[int] = mapped_column(Integer)
    output_format: Mapped[str] = mapped_column(String(16))
    total_time_ms: Mapped[int] = mapped_column(Integer)
    aurora_time_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    engine_time_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())
    # extensions: the files (relative to the data folder), their size, and the full metadata
    audio_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    midi_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    stems_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    files_deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    generation_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class UserFeedback(Base):
    __tablename__ = "user_feedback"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("aurora_sessions.id"), index=True)
    result_id: Mapped[str | None] = mapped_column(ForeignKey("generation_results.id"), nullable=True)
    feedback_type: Mapped[str] = mapped_column(_enum(FEEDBACK_TYPES, "feedback_type"))
    prompt_quality_rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    suggestion_relevance_rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    audio_quality_rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    comments: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, server_default=func.now())
