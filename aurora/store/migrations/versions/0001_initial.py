"""Spec §7.1 tables, plus users' hashed API tokens.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_STATUS = sa.Enum("pending", "processing", "completed", "failed", name="session_status", create_constraint=True)
_IMPL = sa.Enum("codex", "local_llm", "rule_based", "defaults", name="implementation_name", create_constraint=True)
_MODULE = sa.Enum("prompt_enhancer", "semantic_parser", "parameter_mapper", "structural_planner",
                  name="suggestion_module", create_constraint=True)
_FEEDBACK = sa.Enum("positive", "negative", "neutral", name="feedback_type", create_constraint=True)
_USER_KIND = sa.Enum("token", "anonymous", name="user_kind", create_constraint=True)


def _created() -> sa.Column[dt.datetime]:
    return sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("kind", _USER_KIND, nullable=False),
        _created(),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        _created(),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "aurora_sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("original_prompt", sa.Text(), nullable=False),
        sa.Column("enhanced_prompt", sa.Text(), nullable=True),
        sa.Column("parsed_parameters", sa.JSON(), nullable=True),
        sa.Column("structural_plan", sa.JSON(), nullable=True),
        sa.Column("control_embedding", sa.LargeBinary(), nullable=True),
        sa.Column("status", _STATUS, server_default="pending", nullable=False),
        sa.Column("implementation_used", _IMPL, server_default="codex", nullable=False),
        _created(),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_index("idx_aurora_sessions_user_id", "aurora_sessions", ["user_id"])
    op.create_index("idx_aurora_sessions_status", "aurora_sessions", ["status"])
    op.create_table(
        "aurora_suggestions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("session_id", sa.String(36), sa.ForeignKey("aurora_sessions.id"), nullable=False),
        sa.Column("module", _MODULE, nullable=False),
        sa.Column("suggestion_type", sa.String(64), nullable=False),
        sa.Column("original_value", sa.Text(), nullable=True),
        sa.Column("suggested_value", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Numeric(3, 2), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=True),
        sa.Column("user_accepted", sa.Boolean(), nullable=True),
        _created(),
    )
    op.create_index("idx_aurora_suggestions_session_id", "aurora_suggestions", ["session_id"])
    op.create_table(
        "generation_results",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("session_id", sa.String(36), sa.ForeignKey("aurora_sessions.id"), nullable=False),
        sa.Column("audio_url", sa.Text(), nullable=False),
        sa.Column("audio_duration_seconds", sa.Numeric(10, 2), nullable=False),
        sa.Column("sample_rate", sa.Integer(), nullable=False),
        sa.Column("output_format", sa.String(16), nullable=False),
        sa.Column("total_time_ms", sa.Integer(), nullable=False),
        sa.Column("aurora_time_ms", sa.Integer(), nullable=True),
        sa.Column("engine_time_ms", sa.Integer(), nullable=True),
        _created(),
        sa.Column("audio_path", sa.Text(), nullable=True),
        sa.Column("midi_path", sa.Text(), nullable=True),
        sa.Column("stems_path", sa.Text(), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("files_deleted_at", sa.DateTime(), nullable=True),
        sa.Column("generation_metadata", sa.JSON(), nullable=True),
    )
    op.create_index("ix_generation_results_session_id", "generation_results", ["session_id"])
    op.create_table(
        "user_feedback",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("session_id", sa.String(36), sa.ForeignKey("aurora_sessions.id"), nullable=False),
        sa.Column("result_id", sa.String(36), sa.ForeignKey("generation_results.id"), nullable=True),
        sa.Column("feedback_type", _FEEDBACK, nullable=False),
        sa.Column("prompt_quality_rating", sa.SmallInteger(), nullable=True),
        sa.Column("suggestion_relevance_rating", sa.SmallInteger(), nullable=True),
        sa.Column("audio_quality_rating", sa.SmallInteger(), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        _created(),
    )
    op.create_index("ix_user_feedback_session_id", "user_feedback", ["session_id"])


def downgrade() -> None:
    for table in ("user_feedback", "generation_results", "aurora_suggestions", "aurora_sessions", "api_tokens",
                  "users"):
        op.drop_table(table)
    bind = op.get_bind()
    for enum in (_FEEDBACK, _MODULE, _IMPL, _STATUS, _USER_KIND):
        enum.drop(bind, checkfirst=True)
