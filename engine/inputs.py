"""The engine's own input contracts, validated from Aurora's dumps (``model_dump(by_alias=True)``).

Why its own models: the engine must never import ``aurora``, yet it should fail early and clearly
on a malformed plan. These models accept exactly the fields the engine reads and ignore the rest,
so Aurora can grow its contracts without breaking the engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from engine.exceptions import EngineInputError
from knowledge_base.layout import DIMS
from knowledge_base.limits import check_meter
from knowledge_base.tempo_curve import TempoCurveName

EMBEDDING_DIMS = DIMS  # the layout owns the width of the control embedding
Unit = Annotated[float, Field(ge=0.0, le=1.0)]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class SectionIn(_In):
    name: str
    duration_ratio: float = Field(gt=0.0, le=1.0)
    energy_level: Unit = 0.5
    description: str = ""
    bars: int = Field(default=1, ge=1)
    start_s: float = Field(default=0.0, ge=0.0)
    duration_s: float = Field(default=0.0, ge=0.0)
    chords: list[str] = Field(default_factory=list)
    chords_per_bar: int = Field(default=1, ge=1, le=4)  # chord slots a bar: chords[b * per_bar + k]
    key: str | None = None  # the section's key after a key change ("D major"); None: the progression's key
    instruments: list[str] | None = None  # who plays the section (instrument names or ids); None: the whole line-up
    lead: str | None = None  # who plays the melody in this section (a solo); None: the lead part
    resting: list[str] = Field(default_factory=list)  # players who rest here and come in later (names or ids)


class TransitionIn(_In):
    from_: str = Field(alias="from")
    to: str
    type: str = "none"


class ChordProgressionIn(_In):
    key: str = "C major"
    mode: str = ""
    chords: list[str] = Field(min_length=1)
    roman_numerals: list[str] = Field(default_factory=list)


class PlanIn(_In):
    """Shaped like aurora's StructuralPlan."""

    structure_type: str = "custom"
    sections: list[SectionIn] = Field(min_length=1)
    transitions: list[TransitionIn] = Field(default_factory=list)
    chord_progression: ChordProgressionIn
    tempo_bpm: float = Field(default=120.0, ge=20.0, le=300.0)
    time_signature: str = "4/4"
    duration_s: float = Field(default=30.0, gt=0.0)
    total_bars: int = Field(default=1, ge=1)
    seed: int = 0
    ending: Literal["ring", "fade_out", "cold", "loop"] = "ring"  # rings, fades out, stops cold, or loops
    fade_in: bool = False  # the piece rises from silence over its first section ("fades in")
    arc: Literal["rise", "fall"] | None = None  # a loudness line the sections follow: no chorus-over-verse lift
    tempo_curve: TempoCurveName | None = None  # "slows down at the end": knowledge_base.tempo_curve

    @field_validator("time_signature")
    @classmethod
    def _meter(cls, value: str) -> str:
        return check_meter(value)  # the one meter rule, shared with Aurora (knowledge_base.limits)


class _Value(_In):
    value: str | None = None


class _Energy(_In):
    value: Unit = 0.5


class _Tempo(_In):
    bpm: float = Field(default=120.0, ge=20.0, le=300.0)


class _Feel(_In):
    value: str = ""
    swing: Unit | None = None


class InstrumentIn(_In):
    name: str
    role: str = ""
    source: str = "stated"  # "stated" (the prompt named it) or "inferred" (the parser added it)


class ParametersIn(_In):
    """The slice of aurora's ParsedMusicalParameters the engine reads."""

    genre: _Value = Field(default_factory=_Value)
    sub_genre: _Value = Field(default_factory=_Value)
    tempo: _Tempo = Field(default_factory=_Tempo)
    mood: list[_Value] = Field(default_factory=list)
    instrumentation: list[InstrumentIn] = Field(default_factory=list)
    excluded_instruments: list[str] = Field(default_factory=list)
    excluded_parts: list[str] = Field(default_factory=list)  # parts refused whoever plays them: lead, bass, rhythm
    acoustic: bool = False  # an acoustic (unplugged) version: the style's line-up with its electric players swapped
    key_signature: _Value = Field(default_factory=_Value)
    time_signature: _Value = Field(default_factory=_Value)
    energy_level: _Energy = Field(default_factory=_Energy)
    textures: list[str] = Field(default_factory=list)
    chords: list[str] = Field(default_factory=list)
    swing: float | None = Field(default=None, ge=0.0, le=1.0)  # a swing feel the prompt asked for (0 straight)
    feels: list[_Feel] = Field(default_factory=list)
    ensemble: str | None = None  # a named ensemble (knowledge_base ensembles.yaml): a closed line-up

    @property
    def feel_swing(self) -> float | None:
        """Swing a stated feel asks for ("swinging", "shuffle"), else None (the genre's groove decides)."""
        return next((f.swing for f in self.feels if f.swing is not None), None)


ControlEmbedding = Annotated[list[float], Field(min_length=EMBEDDING_DIMS, max_length=EMBEDDING_DIMS)]
_EMBEDDING: TypeAdapter[list[float]] = TypeAdapter(ControlEmbedding)


def _as_mapping(obj: object, what: str) -> Mapping[str, Any]:
    if isinstance(obj, Mapping):
        return obj
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        data = dump(by_alias=True)
        if isinstance(data, Mapping):
            return data
    raise EngineInputError(f"{what} must be a mapping or a pydantic model, got {type(obj).__name__}")


def parse_plan(plan: object) -> PlanIn:
    try:
        return PlanIn.model_validate(_as_mapping(plan, "plan"))
    except ValidationError as exc:
        raise EngineInputError(f"invalid plan: {exc}", detail=exc.errors()) from exc


def parse_parameters(parameters: object) -> ParametersIn:
    """aurora's ParsedMusicalParameters (its dump, or the model itself) -> the slice the engine reads."""
    try:
        return ParametersIn.model_validate(_as_mapping(parameters, "parameters"))
    except ValidationError as exc:
        raise EngineInputError(f"invalid parameters: {exc}", detail=exc.errors()) from exc


def parse_control_embedding(control_embedding: object) -> list[float]:
    """The 640-d unified control embedding (aurora's ``ControlEncoderParams.unified_control_embedding``):
    a list, tuple or 1-d array of 640 finite numbers."""
    tolist = getattr(control_embedding, "tolist", None)
    values = tolist() if callable(tolist) else control_embedding
    try:
        vector = _EMBEDDING.validate_python(values)
    except ValidationError as exc:
        raise EngineInputError(f"invalid control_embedding: {exc}", detail=exc.errors()) from exc
    if not all(math.isfinite(x) for x in vector):
        raise EngineInputError("control_embedding contains non-finite values")
    return vector
