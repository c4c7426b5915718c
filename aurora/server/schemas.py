"""REST bodies of spec §5.2, field for field, built on Aurora's contracts (aurora.contracts).

Responses of enhance/parse/plan are Aurora's own results plus the ``session_id`` under which they were stored
(feedback names it). Requests forbid unknown fields, so a typo answers 422 instead of being ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aurora.config import MAX_PROMPT_CHARS
from aurora.contracts import (
    EnhanceContext,
    EnhanceResult,
    GenerationMetadata,
    ParsedMusicalParameters,
    ParseResult,
    PlanParameters,
    PlanResult,
    StructuralPlan,
)
from aurora.store.records import SessionRecord
from engine.export import DEFAULT_FORMAT, DEFAULT_SAMPLE_RATE, AudioFormat, SampleRate
from knowledge_base.limits import DEFAULT_DURATION_S, DEFAULT_ENHANCEMENT_LEVEL, DurationS, EnhancementLevel

Prompt = Annotated[str, Field(min_length=1, max_length=MAX_PROMPT_CHARS,
                              description="The raw natural language prompt from the user")]
Rating = Annotated[int, Field(ge=1, le=5)]
JobStatus = Literal["queued", "processing", "completed", "failed"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- requests
class EnhanceBody(Body):
    prompt: Prompt
    context: EnhanceContext | None = None
    enhancement_level: EnhancementLevel = DEFAULT_ENHANCEMENT_LEVEL


class SuggestBody(Body):
    partial_prompt: Annotated[str, Field(max_length=MAX_PROMPT_CHARS)]
    suggestion_count: Annotated[int, Field(ge=1, le=10)] = 3


class ParseBody(Body):
    prompt: Prompt


class PlanBody(Body):
    parameters: PlanParameters


class GenerateOptions(Body):
    enhance_prompt: bool = Field(default=True, description="false: enhancement level 'minimal' (genre and tempo "
                                                           "only), so the track follows the user's own words")
    duration_seconds: DurationS = DEFAULT_DURATION_S
    output_format: AudioFormat = DEFAULT_FORMAT
    sample_rate: SampleRate = DEFAULT_SAMPLE_RATE
    # extensions
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    enhancement_level: EnhancementLevel = DEFAULT_ENHANCEMENT_LEVEL
    stems: bool = Field(default=True, description="also store the stems (FLAC in a zip, silent stems left out)")


class GenerateBody(Body):
    prompt: Prompt
    options: GenerateOptions = Field(default_factory=GenerateOptions)
    wait: bool = Field(default=True, description="true: answer when the track is ready (200); false: answer at "
                                                 "once with 202 and the id to poll at GET /generate/{id}")


class SuggestionVerdict(Body):
    id: str
    accepted: bool


class FeedbackBody(Body):
    session_id: Annotated[str, Field(min_length=1, max_length=36)]
    result_id: Annotated[str, Field(min_length=1, max_length=36)] | None = None
    feedback_type: Literal["positive", "negative", "neutral"]
    prompt_quality_rating: Rating | None = None
    suggestion_relevance_rating: Rating | None = None
    audio_quality_rating: Rating | None = None
    comments: Annotated[str, Field(max_length=2000)] | None = None
    suggestions: list[SuggestionVerdict] = Field(default_factory=list, max_length=100,
                                                 description="accept or reject stored suggestions")


# ---------------------------------------------------------------- responses
class EnhanceResponse(EnhanceResult):
    session_id: str


class ParseResponse(ParseResult):
    session_id: str


class PlanResponse(PlanResult):
    session_id: str


class ErrorInfo(Body):
    code: str
    message: str


class ErrorBody(Body):
    error: ErrorInfo
    details: list[dict[str, Any]] | None = None


class GenerateResponse(Body):
    generation_id: str
    status: JobStatus
    audio_url: str | None = None
    enhanced_prompt: str | None = None
    parsed_parameters: ParsedMusicalParameters | None = None
    structural_plan: StructuralPlan | None = None
    generation_metadata: GenerationMetadata | None = None
    # extensions
    midi_url: str | None = None
    stems_url: str | None = None
    result_id: str | None = None
    error: ErrorInfo | None = None
    created_at: dt.datetime | None = None
    queue_position: int | None = None


class HistoryResponse(Body):
    items: list[SessionRecord]
    total: int
    limit: int
    offset: int


class FeedbackResponse(Body):
    feedback_id: str
    session_id: str
    result_id: str | None = None
