"""What the store hands out: plain pydantic snapshots of rows (never live ORM objects), JSON-ready."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SessionStatus = Literal["pending", "processing", "completed", "failed"]
FileKind = Literal["audio", "midi", "stems"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UserRecord(Record):
    id: int
    name: str
    kind: Literal["token", "anonymous"]


class TokenRecord(Record):
    """A token as listed: never the token itself, only the start of its SHA-256 (its fingerprint)."""

    id: int
    user: str
    fingerprint: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class ResultRecord(Record):
    id: str
    session_id: str
    audio_url: str
    audio_duration_seconds: float
    sample_rate: int
    output_format: str
    total_time_ms: int
    aurora_time_ms: int | None
    engine_time_ms: int | None
    created_at: dt.datetime
    size_bytes: int
    files_available: bool
    generation_metadata: dict[str, Any] | None = None


class SessionRecord(Record):
    id: str
    user_id: int
    kind: str
    original_prompt: str
    enhanced_prompt: str | None
    parsed_parameters: dict[str, Any] | None
    structural_plan: dict[str, Any] | None
    status: SessionStatus
    implementation_used: str
    request: dict[str, Any] | None
    error_code: str | None
    error_message: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    results: list[ResultRecord] = []


class SuggestionRow(Record):
    """One suggestion to store (spec §7.1 aurora_suggestions)."""

    module: Literal["prompt_enhancer", "semantic_parser", "parameter_mapper", "structural_planner"]
    suggestion_type: str
    suggested_value: str
    confidence: float
    original_value: str | None = None
    reasoning: str | None = None
    user_accepted: bool | None = None


class StoredFiles(Record):
    """A generation's files, relative to the data folder."""

    audio_path: str
    midi_path: str | None
    stems_path: str | None
    size_bytes: int


class RetentionReport(Record):
    results_cleared: int
    bytes_freed: int
    bytes_kept: int
