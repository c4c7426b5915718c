"""Aurora: Soundstar's semantic layer. Text -> parameters, 640-d control embedding, structural plan.

    from aurora import Aurora
    result = Aurora().process(prompt="a melancholic lo-fi beat at 80 BPM in D minor", duration_s=30)
"""

from aurora.config import AuroraConfig
from aurora.contracts import (
    AuroraMetadata,
    CleanPrompt,
    ControlEncoderParams,
    EnhanceContext,
    EnhanceResult,
    GenerationMetadata,
    ParsedMusicalParameters,
    ParseResult,
    PlanParameters,
    PlanResult,
    ProcessResult,
    StageTiming,
    StructuralPlan,
    SuggestResult,
)
from aurora.exceptions import AuroraError, InputError
from aurora.facade import Aurora

__all__ = [
    "Aurora", "AuroraConfig", "AuroraError", "AuroraMetadata", "CleanPrompt", "ControlEncoderParams",
    "EnhanceContext", "EnhanceResult", "GenerationMetadata", "InputError", "ParseResult",
    "ParsedMusicalParameters",
    "PlanParameters", "PlanResult", "ProcessResult", "StageTiming", "StructuralPlan", "SuggestResult",
]
