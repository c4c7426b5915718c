"""Pydantic contracts between Aurora's stages.

Field names follow the spec's REST bodies (§5.2) in snake_case, so a model dumps straight
into an API response and its JSON schema is what an LLM implementation must fill (issue 5).
Extensions the engine needs (excluded instruments, bars, start times, seed, ...) are added
as optional fields with defaults, so every spec-shaped body still validates.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from aurora.arrangement_contract import ArcName, Arrangement, EndingName
from aurora.contract_base import Contract
from knowledge_base.limits import DurationS, Meter, Seed, TempoBpm, check_meter
from knowledge_base.schema import Role
from knowledge_base.tempo_curve import TempoCurveName

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Milliseconds = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]

ImplementationName = Literal["codex", "local_llm", "rule_based", "defaults"]
AdditionType = Literal[
    "genre", "sub_genre", "instrumentation", "mood", "structure", "tempo", "key", "meter", "energy",
    "texture", "duration",
]
TransitionType = Literal["build", "drop", "fade", "cut", "fill", "none"]
ModuleName = Literal[
    "preprocess", "prompt_enhancer", "semantic_parser", "parameter_mapper", "structural_planner",
    "suggester", "pipeline",
]


# ---------------------------------------------------------------- metadata
class AttemptRecord(Contract):
    """One implementation tried for a task, and why it did not serve (if it did not)."""

    implementation: ImplementationName
    error_code: str | None = None
    message: str | None = None
    elapsed_ms: float = 0.0
    skipped: bool = Field(default=False, description="Not tried: its circuit breaker was open (or it failed to load)")


class AuroraMetadata(Contract):
    module: ModuleName
    implementation: ImplementationName
    processing_time_ms: float = Field(ge=0.0)
    cache_hit: bool = False
    attempts: list[AttemptRecord] = Field(default_factory=list)


# ---------------------------------------------------------------- preprocess
class PreprocessNote(Contract):
    """Something preprocessing changed or noticed, with a stable code the UI can show."""

    code: str
    message: str
    original: str | None = None
    replacement: str | None = None


class CleanPrompt(Contract):
    original: str
    text: str = Field(description="Normalised, corrected, expanded prompt; what later stages read")
    language: str = "en"
    notes: list[PreprocessNote] = Field(default_factory=list)
    flagged: bool = Field(default=False, description="Content moderation removed something")


# ---------------------------------------------------------------- enhance
class EnhanceContext(Contract):
    genre_hint: str | None = None
    mood_hint: str | None = None
    duration_hint: DurationS | None = None


class Addition(Contract):
    type: AdditionType
    value: str
    reasoning: str
    confidence: Confidence


class EnhanceResult(Contract):
    original_prompt: str
    enhanced_prompt: str
    additions: list[Addition] = Field(default_factory=list)
    confidence: Confidence = 0.8
    notes: list[PreprocessNote] = Field(default_factory=list)
    aurora_metadata: AuroraMetadata | None = None


# ---------------------------------------------------------------- parse
class GenreValue(Contract):
    value: str
    confidence: Confidence


class SubGenreValue(Contract):
    value: str | None = None
    confidence: Confidence = 0.0


class TempoValue(Contract):
    type: Literal["explicit", "inferred"]
    bpm: TempoBpm
    confidence: Confidence
    range_bpm: tuple[float, float] | None = None
    term: str | None = Field(default=None, description="Word that set it: 'andante', 'uptempo', ...")


Source = Literal["stated", "inferred", "artist"]


class MoodValue(Contract):
    value: str
    confidence: Confidence
    source: Source = "stated"


class InstrumentValue(Contract):
    name: str
    role: str
    confidence: Confidence
    source: Source = "stated"


class StructureValue(Contract):
    value: str
    confidence: Confidence


class KeySignatureValue(Contract):
    value: str | None = Field(default=None, description="'D minor', 'F# major', or null")
    confidence: Confidence = 0.0
    changes: list[str] = Field(default_factory=list, description="Later keys after a modulation")
    change_at: str | None = Field(default=None, description=(
        "Where the first change happens: 'last chorus' (also when the prompt names no place), 'bridge', 'outro'"))


class TimeSignatureValue(Contract):
    value: str = "4/4"
    confidence: Confidence = 0.5

    @property
    def beats_per_bar(self) -> int:
        return int(self.value.split("/")[0])

    @property
    def beat_unit(self) -> int:
        return int(self.value.split("/")[1])

    @model_validator(mode="after")
    def _check_meter(self) -> TimeSignatureValue:
        check_meter(self.value)  # the one meter rule (knowledge_base.limits)
        return self


class EnergyValue(Contract):
    value: Unit
    confidence: Confidence


class FeelValue(Contract):
    """A feel or form the text names ("waltz", "swinging", "ballad"), applied within the genre."""

    value: str
    swing: Unit | None = Field(default=None, description="Swing it asks of the drums: 0 straight .. 1 triplet")
    confidence: Confidence = 0.9


class ReferenceArtist(Contract):
    name: str
    relevance: Confidence


class ParsedMusicalParameters(Contract):
    """The ten entity groups of spec §4.2.2, plus the explicit facts the engine must obey."""

    genre: GenreValue
    sub_genre: SubGenreValue = Field(default_factory=SubGenreValue)
    tempo: TempoValue
    mood: list[MoodValue] = Field(default_factory=list)
    instrumentation: list[InstrumentValue] = Field(default_factory=list)
    structure: StructureValue
    key_signature: KeySignatureValue = Field(default_factory=KeySignatureValue)
    time_signature: TimeSignatureValue = Field(default_factory=TimeSignatureValue)
    energy_level: EnergyValue
    reference_artists: list[ReferenceArtist] = Field(default_factory=list)
    # extensions
    excluded_instruments: list[str] = Field(default_factory=list)
    excluded_parts: list[Role] = Field(default_factory=list, description=(
        "Parts the text refuses whoever would play them ('no melody', 'no bass', 'no beat': lead, bass, rhythm); "
        "the engine gives no player those parts"))
    chords: list[str] = Field(default_factory=list, description="Chord progression the text states")
    tonic_chord: str | None = Field(default=None, description=(
        "The home chord as the text spells it when it names one chord alone ('jazz ballad, Ebmaj7'): the key's "
        "tonic chord is played so, where a lone chord read as a progression would hold one chord all song"))
    duration_s: float | None = Field(default=None, ge=1.0, le=3600.0)
    textures: list[str] = Field(default_factory=list, description="vinyl crackle, rain, tape hiss, ...")
    feels: list[FeelValue] = Field(default_factory=list, description="Feels and forms: waltz, swing, ballad, ...")
    opening: list[str] = Field(default_factory=list, description=(
        "Instruments that play the opening alone before the others join ('starts with solo piano, then the whole "
        "band comes in')"))
    ensemble: str | None = Field(default=None, description="A named ensemble (ensembles.yaml: 'Jazz trio', "
                                 "'String quartet'): its line-up is closed, the engine adds no one to it")
    form: list[str] = Field(default_factory=list, description=(
        "The sections the text lists, in order ('intro, verse, chorus, verse, chorus, outro' -> intro, verse, "
        "chorus, verse 2, chorus 2, outro): the plan plays them as listed"))
    arrangement: Arrangement = Field(default_factory=Arrangement)
    acoustic: bool = Field(default=False, description=(
        "An acoustic (unplugged) version: the style's electric and electronic players are swapped for acoustic ones "
        "(instruments.yaml `unplugged`)"))
    explicit: list[str] = Field(
        default_factory=list, description="Fields the text stated (never overridden by inference)"
    )


class ParseResult(Contract):
    parsed_parameters: ParsedMusicalParameters
    control_encoder_params: ControlEncoderParams | None = None
    warnings: list[str] = Field(default_factory=list)
    notes: list[PreprocessNote] = Field(default_factory=list)
    aurora_metadata: AuroraMetadata | None = None


# ---------------------------------------------------------------- map
class ControlEncoderParams(Contract):
    """Spec §5.2.2 control_encoder_params plus the 640-d unified vector (§6.2 stage 5)."""

    genre_embedding: list[float] = Field(min_length=128, max_length=128)
    tempo_normalized: Unit
    mood_embedding: list[float] = Field(min_length=128, max_length=128)
    instrumentation_embedding: list[float] = Field(min_length=256, max_length=256)
    structure_embedding: list[float] = Field(min_length=64, max_length=64)
    energy_level: Unit
    unified_control_embedding: list[float] = Field(min_length=640, max_length=640)

    @model_validator(mode="after")
    def _finite(self) -> ControlEncoderParams:
        if not all(math.isfinite(x) for x in self.unified_control_embedding):
            raise ValueError("control embedding contains non-finite values")
        return self


class MappingResult(Contract):
    parameters: ParsedMusicalParameters
    control_encoder_params: ControlEncoderParams
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- plan
class PlanParameters(Contract):
    """Spec §5.2.3 request body, plus optional stated facts the plan must honour."""

    genre: str
    mood: str
    tempo_bpm: TempoBpm
    duration_seconds: DurationS
    moods: list[str] | None = Field(default=None, description=(
        "Every mood the prompt states, in order (the parse's stated moods; `mood` is the first mood heard, stated "
        "or inferred). None: `mood` is the caller's own statement"))
    key: str | None = None
    key_changes: list[str] = Field(default_factory=list, description="A later key the piece modulates to ('D major')")
    key_change_at: str | None = Field(default=None, description="Where: 'last chorus' (the default), 'bridge', 'outro'")
    opening: list[str] = Field(default_factory=list, description=(
        "Instruments that play the first section alone (the parse's `opening`)"))
    tonic_chord: str | None = Field(default=None, description=(
        "The key's tonic chord as the prompt spells it (the parse's `tonic_chord`: 'Ebmaj7', 'E9')"))
    time_signature: Meter = "4/4"
    structure: str | None = None
    structure_inferred: bool = False  # the parser's guess from the genre, not the user's words
    form: list[str] = Field(default_factory=list, description=(
        "Sections in the order the user listed them ('intro', 'verse', 'chorus', 'verse 2'...): played as listed"))
    energy_level: Unit | None = None
    chords: list[str] = Field(default_factory=list)
    arrangement: Arrangement = Field(default_factory=Arrangement)
    seed: Seed = 0


class Section(Contract):
    name: str
    duration_ratio: Annotated[float, Field(gt=0.0, le=1.0)]
    energy_level: Unit
    description: str
    bars: int = Field(default=1, ge=1)
    start_s: float = Field(default=0.0, ge=0.0)
    duration_s: float = Field(default=0.0, ge=0.0)
    chords: list[str] = Field(default_factory=list, description="One chord per bar-slot of the loop")
    chords_per_bar: int = Field(default=1, ge=1, le=4,
                                description="Chord slots a bar (harmonic rhythm): 2 in jazz and bossa nova")
    key: str | None = Field(default=None, description="The section's key when the piece has modulated ('D major'); "
                                                      "null: the progression's key")
    instruments: list[str] | None = Field(default=None, description=(
        "Who plays this section (instrument names: 'Piano'); null: the whole line-up. The opening a prompt asks "
        "for alone ('starts with solo piano'), or a user's edit"))
    lead: str | None = Field(default=None, description=(
        "Who plays the melody in this section when it is not the lead part: a solo ('Electric Guitar'); the "
        "drum kit's solo is a break the drums play alone"))
    resting: list[str] = Field(default_factory=list, description=(
        "Players who rest in this section and come in later ('then the drums come in')"))


class Transition(Contract):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    type: TransitionType


class ChordProgression(Contract):
    key: str
    mode: str
    chords: list[str] = Field(min_length=1)
    roman_numerals: list[str] = Field(default_factory=list)


class StructuralPlan(Contract):
    structure_type: str
    sections: list[Section] = Field(min_length=1)
    transitions: list[Transition] = Field(default_factory=list)
    chord_progression: ChordProgression
    tempo_bpm: TempoBpm = 120.0
    time_signature: str = "4/4"
    duration_s: float = Field(default=30.0, gt=0.0)
    total_bars: int = Field(default=1, ge=1)
    seed: int = 0
    ending: EndingName = Field(default="ring", description=(
        "'ring': the last chord rings out; 'fade_out': the last section fades away; 'cold': the band stops on a "
        "final hit"))
    fade_in: bool = Field(default=False, description="The piece rises from silence over its first section")
    arc: ArcName | None = Field(default=None, description=(
        "The loudness line the sections follow when the text asks one ('rise', 'fall'): the engine then plays "
        "each section at its energy, with no song-form lift of a chorus over its verse"))
    tempo_curve: TempoCurveName | None = Field(default=None, description=(
        "A tempo that moves ('rit': slows over the last bars; 'accel': speeds up over them; 'slowing', "
        "'quickening': over the whole piece), from the stated tempo (knowledge_base.tempo_curve)"))

    @model_validator(mode="after")
    def _ratios_sum_to_one(self) -> StructuralPlan:
        total = sum(s.duration_ratio for s in self.sections)
        if abs(total - 1.0) > 1e-3:
            raise ValueError(f"section duration ratios must sum to 1, got {total:.4f}")
        names = {s.name for s in self.sections}
        for t in self.transitions:
            if t.from_ not in names or t.to not in names:
                raise ValueError(f"transition {t.from_!r}->{t.to!r} names an unknown section")
        return self


class PlanResult(Contract):
    structural_plan: StructuralPlan
    warnings: list[str] = Field(default_factory=list)
    aurora_metadata: AuroraMetadata | None = None


# ---------------------------------------------------------------- suggest
class Suggestion(Contract):
    kind: Literal["completion", "missing_dimension"]
    dimension: str
    text: str = Field(description="What to append or insert")
    preview: str = Field(description="The prompt as it would read with this suggestion applied")
    score: Confidence


class SuggestResult(Contract):
    partial_prompt: str
    suggestions: list[Suggestion]
    aurora_metadata: AuroraMetadata | None = None


# ---------------------------------------------------------------- process (whole semantic pipeline)
class ProcessResult(Contract):
    original_prompt: str
    clean_prompt: CleanPrompt
    enhance: EnhanceResult
    parse: ParseResult
    plan: PlanResult
    timings_ms: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    aurora_metadata: AuroraMetadata | None = None


# ---------------------------------------------------------------- generate (text -> audio)
class StageTiming(Contract):
    """One engine stage of a render: whether it ran, why (or why not), and how long it took."""

    name: str
    used: bool
    reason: str
    time_ms: Milliseconds


class GenerationMetadata(Contract):
    """Spec §5.2.4 ``generation_metadata``, plus encoding time, device, loudness and the engine's stages."""

    total_time_ms: Milliseconds
    aurora_enhance_time_ms: Milliseconds
    aurora_parse_time_ms: Milliseconds
    aurora_plan_time_ms: Milliseconds
    engine_time_ms: Milliseconds
    implementation_used: ImplementationName
    # extensions
    encode_time_ms: Milliseconds = 0.0
    device: str = "cpu"
    loudness_lufs: float = Field(default=-70.0, allow_inf_nan=False)
    true_peak_dbtp: float = Field(default=-120.0, allow_inf_nan=False)
    stages: list[StageTiming] = Field(default_factory=list)


ParseResult.model_rebuild()
