"""Level 4: sensible defaults for every parameter (spec §9.1). Never fails, never calls a model.

The values come from knowledge_base/defaults.yaml, so they can be tuned without code.
"""

from __future__ import annotations

from aurora.bar_grid import seconds_per_bar
from aurora.contracts import (
    ChordProgression,
    CleanPrompt,
    EnergyValue,
    EnhanceResult,
    GenreValue,
    InstrumentValue,
    KeySignatureValue,
    MoodValue,
    ParsedMusicalParameters,
    PlanParameters,
    Section,
    StructuralPlan,
    StructureValue,
    TempoValue,
    TimeSignatureValue,
)
from aurora.exceptions import AuroraError
from aurora.implementations.base import (
    EnhanceRequest,
    Implementation,
    ParseOutput,
    PlanOutput,
    Resources,
    register,
)
from knowledge_base.limits import music_bars


class DefaultsImplementation:
    name = "defaults"

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._d = resources.kb.defaults

    def available(self) -> bool:
        return True

    def enhance(self, request: EnhanceRequest) -> EnhanceResult:
        return EnhanceResult(original_prompt=request.clean.original, enhanced_prompt=request.clean.text,
                             additions=[], confidence=0.3)

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        d = self._d
        params = ParsedMusicalParameters(
            genre=GenreValue(value=d.genre, confidence=0.2),
            tempo=TempoValue(type="inferred", bpm=d.tempo_bpm, confidence=0.2),
            mood=[MoodValue(value=d.mood, confidence=0.2, source="inferred")],
            instrumentation=[InstrumentValue(name=i.name, role=i.role, confidence=0.2, source="inferred")
                             for i in d.instruments],
            structure=StructureValue(value=d.structure, confidence=0.2),
            key_signature=KeySignatureValue(value=d.key, confidence=0.2),
            time_signature=TimeSignatureValue(value=d.time_signature, confidence=0.2),
            energy_level=EnergyValue(value=d.energy, confidence=0.2),
        )
        return ParseOutput(params, ["Using default parameters: the prompt could not be analysed."])

    def plan(self, parameters: PlanParameters) -> PlanOutput:
        try:
            plan, warnings = self._resources.planner.plan(parameters)
            return PlanOutput(plan, warnings)
        except (AuroraError, ValueError, KeyError):
            return PlanOutput(self._single_section(parameters), ["Used a single-section default plan."])

    def _single_section(self, p: PlanParameters) -> StructuralPlan:
        bar_s = seconds_per_bar(p.tempo_bpm, p.time_signature)
        bars = music_bars(p.duration_seconds, bar_s)
        chords = list(self._d.chords)
        return StructuralPlan(
            structure_type="through-composed",
            sections=[Section(name="main", duration_ratio=1.0, energy_level=self._d.energy,
                              description="one continuous section", bars=bars, start_s=0.0,
                              duration_s=p.duration_seconds,
                              chords=[chords[i % len(chords)] for i in range(bars)])],
            chord_progression=ChordProgression(key=self._d.key.split()[0], mode=self._d.key.split()[1],
                                               chords=chords, roman_numerals=list(self._d.roman_numerals)),
            tempo_bpm=p.tempo_bpm, time_signature=p.time_signature, duration_s=p.duration_seconds,
            total_bars=bars, seed=p.seed,
        )


@register("defaults")
def _factory(resources: Resources) -> Implementation:
    return DefaultsImplementation(resources)
