"""The store on a real SQLite file and a real PostgreSQL: migrations from empty match the models, rows round-trip,
retention deletes old files and marks their rows; stems archives drop silent stems."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from aurora.server.ratelimit import RateLimiter
from aurora.server.settings import ServerSettings, parse_tokens
from aurora.store import FileStore, Store, StoredFiles, SuggestionRow, enforce_retention, make_engine, migrate
from aurora.store.db import downgrade
from aurora.store.files import stems_archive
from aurora.store.models import Base

SPEC_COLUMNS = {
    "aurora_sessions": {"id", "user_id", "original_prompt", "enhanced_prompt", "parsed_parameters", "structural_plan",
                        "control_embedding", "status", "implementation_used", "created_at", "updated_at"},
    "aurora_suggestions": {"id", "session_id", "module", "suggestion_type", "original_value", "suggested_value",
                           "confidence", "reasoning", "user_accepted", "created_at"},
    "generation_results": {"id", "session_id", "audio_url", "audio_duration_seconds", "sample_rate", "output_format",
                           "total_time_ms", "aurora_time_ms", "engine_time_ms", "created_at"},
    "user_feedback": {"id", "session_id", "result_id", "feedback_type", "prompt_quality_rating",
                      "suggestion_relevance_rating", "audio_quality_rating", "comments", "created_at"},
}


def test_migrations_from_empty_match_the_models_and_the_spec(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    inspector = inspect(engine)
    for table, columns in SPEC_COLUMNS.items():
        assert columns <= {c["name"] for c in inspector.get_columns(table)}, table
    indexes = {i["name"] for t in ("aurora_sessions", "aurora_suggestions") for i in inspector.get_indexes(t)}
    assert {"idx_aurora_sessions_user_id", "idx_aurora_sessions_status", "idx_aurora_suggestions_session_id"} <= indexes
    downgrade(engine)
    assert "aurora_sessions" not in inspect(engine).get_table_names()
    migrate(engine)
    assert "aurora_sessions" in inspect(engine).get_table_names()
    engine.dispose()


def test_rows_round_trip_and_enums_are_enforced(db_url: str) -> None:
    store = Store.open(db_url)
    alice = store.ensure_user("alice")
    assert store.ensure_user("alice") == alice
    token = store.create_token("alice")
    assert store.user_for_token(token) == alice and store.user_for_token(token + "x") is None
    session_id = store.record_session(
        user_id=alice.id, kind="parse", original_prompt="lo-fi", parsed_parameters={"genre": {"value": "lo-fi"}},
        control_embedding=[0.5] * 640, suggestions=[SuggestionRow(module="prompt_enhancer", suggestion_type="tempo",
                                                                  suggested_value="80 BPM", confidence=0.87)])
    record = store.get_session(user_id=alice.id, session_id=session_id)
    assert record.parsed_parameters == {"genre": {"value": "lo-fi"}} and record.status == "completed"
    [suggestion] = store.suggestions(user_id=alice.id, session_id=session_id)
    assert suggestion["confidence"] == 0.87 and suggestion["user_accepted"] is None
    with pytest.raises(Exception):  # noqa: B017 - the database refuses a status outside the enum
        store.record_session(user_id=alice.id, kind="parse", original_prompt="x", status="exploded")
    assert store.count("aurora_sessions") == 1
    store.close()


def _fake_result(store: Store, files: FileStore, user_id: int, size: int, created: dt.datetime) -> str:
    session_id = store.record_session(user_id=user_id, kind="generate", original_prompt="x", status="pending")
    folder = files.folder_for(user_id, session_id)
    folder.mkdir(parents=True)
    (folder / "track.wav").write_bytes(b"\0" * size)
    stored = StoredFiles(audio_path=f"files/{user_id}/{session_id}/track.wav", midi_path=None, stems_path=None,
                         size_bytes=size)
    meta = {"total_time_ms": 1, "aurora_enhance_time_ms": 0, "aurora_parse_time_ms": 0, "aurora_plan_time_ms": 0,
            "engine_time_ms": 1}
    result = store.complete_generation(session_id, enhanced_prompt="x", parsed_parameters={}, structural_plan={},
                                       control_embedding=None, implementation_used="rule_based", suggestions=[],
                                       files=stored, audio_duration_s=5, sample_rate=44100, output_format="wav",
                                       generation_metadata=meta)
    from sqlalchemy import update

    from aurora.store.models import GenerationResult

    with store.engine.begin() as conn:  # back-date the row, as if made `created` ago
        conn.execute(update(GenerationResult).where(GenerationResult.id == result.id).values(created_at=created))
    return result.id


def test_retention_deletes_old_files_then_the_oldest_over_the_size_cap(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    files = FileStore(tmp_path / "data")
    user = store.ensure_user("alice")
    now = dt.datetime(2026, 12, 1, 12, 0)
    old = _fake_result(store, files, user.id, 1000, now - dt.timedelta(days=10))
    mid = _fake_result(store, files, user.id, 3000, now - dt.timedelta(days=2))
    new = _fake_result(store, files, user.id, 3000, now - dt.timedelta(hours=1))
    report = enforce_retention(store, files, max_age_s=7 * 86400, max_total_bytes=4000, now=now)
    assert report.results_cleared == 2 and report.bytes_freed == 4000 and report.bytes_kept == 3000
    assert store.result_file(user_id=user.id, result_id=old, kind="audio") is None
    assert store.result_file(user_id=user.id, result_id=mid, kind="audio") is None
    assert store.result_file(user_id=user.id, result_id=new, kind="audio") is not None
    assert sorted(p.stat().st_size for p in (tmp_path / "data").rglob("*.wav")) == [3000]
    items, total = store.history(user_id=user.id)
    assert total == 3 and sorted(r.files_available for i in items for r in i.results) == [False, False, True]
    store.close()


def test_stems_archive_is_flac_deflated_and_drops_silent_stems() -> None:
    rate = 22050
    t = np.arange(rate, dtype=np.float32) / rate
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None, :].repeat(2, axis=0)
    stems = {"bass": tone, "reverb": np.full_like(tone, 1e-5), "lead": np.zeros_like(tone)}
    archive = zipfile.ZipFile(io.BytesIO(stems_archive(stems, sample_rate=rate)))
    assert archive.namelist() == ["bass.flac"]
    import soundfile as sf

    audio, read_rate = sf.read(io.BytesIO(archive.read("bass.flac")))
    assert read_rate == rate and audio.shape == (rate, 2)


def test_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(rate_per_min=60, burst=2, clock=lambda: now[0])
    assert limiter.check("a") is None and limiter.check("a") is None
    retry = limiter.check("a")
    assert retry is not None and 0.9 < retry <= 1.0
    assert limiter.check("b") is None  # keys are independent
    now[0] += 1.0
    assert limiter.check("a") is None


def test_settings_from_env() -> None:
    local = ServerSettings.from_env({})
    assert not local.public and local.rate_limit_per_min is None and local.db_url.endswith("data/soundstar.db")
    space = ServerSettings.from_env({"GRADIO_SERVER_NAME": "0.0.0.0", "SOUNDSTAR_API_TOKENS":
                                     "alice:0123456789abcdef0123, bob:fedcba9876543210fedc"})
    assert space.public and space.rate_limit_per_min == 60.0
    assert space.api_tokens == {"alice": "0123456789abcdef0123", "bob": "fedcba9876543210fedc"}
    space_off = ServerSettings.from_env({"SPACE_ID": "x/y", "SOUNDSTAR_RATE_LIMIT_PER_MIN": "off"})
    assert space_off.public and space_off.rate_limit_per_min is None
    with pytest.raises(ValueError):
        parse_tokens("alice:short")
