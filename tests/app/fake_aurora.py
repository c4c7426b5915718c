"""A tiny stand-in for the Aurora facade: same keyword-only methods, real contract objects.

It lets the callback tests run in milliseconds and pin exact values; the browser and client
tests use the real facade whenever `from aurora import Aurora` works.
"""

from __future__ import annotations

import re

from aurora.contracts import (
    Addition,
    AttemptRecord,
    AuroraMetadata,
    ChordProgression,
    CleanPrompt,
    ControlEncoderParams,
    EnergyValue,
    EnhanceContext,
    EnhanceResult,
    GenreValue,
    InstrumentValue,
    KeySignatureValue,
    ModuleName,
    MoodValue,
    ParsedMusicalParameters,
    ParseResult,
    PlanParameters,
    PlanResult,
    PreprocessNote,
    ProcessResult,
    Section,
    StructuralPlan,
    StructureValue,
    Suggestion,
    SuggestResult,
    TempoValue,
    Transition,
)
from aurora.exceptions import EmptyPromptError

PROMPT = "a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle"


def _meta(module: ModuleName, *, fell_back: bool = False) -> AuroraMetadata:
    attempts = (
        [AttemptRecord(implementation="codex", error_code="AURORA_NOT_CONFIGURED", message="no API key")]
        if fell_back
        else []
    )
    return AuroraMetadata(
        module=module, implementation="rule_based", processing_time_ms=1.25, attempts=attempts
    )


def _notes(prompt: str) -> list[PreprocessNote]:
    if "rhodez" not in prompt:
        return []
    return [PreprocessNote(code="SPELLING_CORRECTED", message="'rhodez' -> 'rhodes'", original="rhodez",
                           replacement="rhodes")]


def _check(prompt: str) -> str:
    if not prompt.strip():
        raise EmptyPromptError("The prompt is empty: describe the music you want.")
    return prompt.strip()


class FakeAurora:
    """Deterministic: reads a BPM number and 'X minor/major' with regexes, the rest is fixed."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.last_context: EnhanceContext | None = None

    def enhance(
        self, *, prompt: str, context: EnhanceContext | None = None, enhancement_level: str = "moderate"
    ) -> EnhanceResult:
        self.calls.append("enhance")
        self.last_context = context
        text = _check(prompt)
        genre = context.genre_hint if context and context.genre_hint else "lo-fi hip hop"
        additions = [
            Addition(type="genre", value=genre, reasoning="beat + rhodes", confidence=0.8),
            Addition(type="structure", value="loop-based", reasoning=f"{enhancement_level} level",
                     confidence=0.6),
        ]
        return EnhanceResult(
            original_prompt=prompt, notes=_notes(prompt),
            enhanced_prompt=f"{text}, {genre}, loop-based structure",
            additions=additions,
            aurora_metadata=_meta("prompt_enhancer", fell_back=True),
        )

    def parse(self, *, prompt: str) -> ParseResult:
        self.calls.append("parse")
        text = _check(prompt)
        bpm_match = re.search(r"(\d+)\s*bpm", text, re.IGNORECASE)
        key_match = re.search(r"\b([A-G][#b]?) (minor|major)\b", text)
        params = ParsedMusicalParameters(
            genre=GenreValue(value="hip hop", confidence=0.7),
            sub_genre={"value": "lo-fi hip hop", "confidence": 0.9},
            tempo=TempoValue(
                type="explicit" if bpm_match else "inferred",
                bpm=float(bpm_match.group(1)) if bpm_match else 85.0,
                confidence=0.99 if bpm_match else 0.5,
            ),
            mood=[MoodValue(value="melancholic", confidence=0.95)],
            instrumentation=[InstrumentValue(name="rhodes", role="harmony", confidence=0.9),
                             InstrumentValue(name="drum machine", role="rhythm", confidence=0.45,
                                             source="inferred")],
            structure=StructureValue(value="loop-based", confidence=0.5),
            key_signature=KeySignatureValue(
                value=f"{key_match.group(1)} {key_match.group(2)}" if key_match else None,
                confidence=0.98 if key_match else 0.0,
            ),
            energy_level=EnergyValue(value=0.3, confidence=0.6),
            textures=["vinyl crackle"],
            excluded_instruments=["vocals"] if "no vocals" in text else [],
            explicit=["tempo", "key_signature", "mood"],
        )
        blocks = [0.5] * 128 + [0.25] * 32 + [0.1] * 128 + [0.0] * 255 + [1.0] + [0.3] * 64 + [0.3] * 32
        control = ControlEncoderParams(
            genre_embedding=blocks[:128], tempo_normalized=0.14, mood_embedding=blocks[160:288],
            instrumentation_embedding=blocks[288:544], structure_embedding=blocks[544:608],
            energy_level=0.3, unified_control_embedding=blocks,
        )
        return ParseResult(
            parsed_parameters=params, control_encoder_params=control, notes=_notes(prompt),
            aurora_metadata=_meta("semantic_parser"),
        )

    def plan(self, *, parameters: PlanParameters) -> PlanResult:
        self.calls.append("plan")
        bar_s = 60.0 / parameters.tempo_bpm * 4
        total = max(3, round(parameters.duration_seconds / bar_s))
        intro, outro = 1, 1
        main = total - intro - outro
        bars = [("intro", intro, 0.2), ("loop A", main, 0.5), ("outro", outro, 0.15)]
        sections, start = [], 0.0
        for name, n_bars, energy in bars:
            sections.append(Section(
                name=name, duration_ratio=n_bars / total, energy_level=energy, description=f"{name} part",
                bars=n_bars, start_s=start, duration_s=n_bars * bar_s, chords=["Dm7", "Gm7"],
            ))
            start += n_bars * bar_s
        plan = StructuralPlan(
            structure_type=parameters.structure or "loop-based", sections=sections,
            transitions=[Transition(from_="intro", to="loop A", type="fill"),
                         Transition(from_="loop A", to="outro", type="fade")],
            chord_progression=ChordProgression(key=parameters.key or "D minor", mode="minor",
                                               chords=["Dm7", "Gm7", "Bbmaj7", "A7"],
                                               roman_numerals=["i7", "iv7", "VImaj7", "V7"]),
            tempo_bpm=parameters.tempo_bpm, time_signature=parameters.time_signature,
            duration_s=start, total_bars=total, seed=parameters.seed,
        )
        return PlanResult(structural_plan=plan, aurora_metadata=_meta("structural_planner"))

    def suggest(self, *, partial_prompt: str, suggestion_count: int = 5) -> SuggestResult:
        self.calls.append("suggest")
        text = partial_prompt.rstrip()
        options = [("tempo", "at 80 BPM"), ("key", "in D minor"), ("instrumentation", "with rhodes"),
                   ("mood", "melancholic"), ("structure", "loop-based"), ("texture", "vinyl crackle")]
        suggestions = [
            Suggestion(kind="missing_dimension", dimension=dim, text=add, preview=f"{text} {add}",
                       score=round(0.9 - i * 0.1, 2))
            for i, (dim, add) in enumerate(options[:suggestion_count])
        ]
        return SuggestResult(partial_prompt=partial_prompt, suggestions=suggestions,
                             aurora_metadata=_meta("suggester"))

    def process(
        self, *, prompt: str, duration_s: float = 30.0, enhancement_level: str = "moderate", seed: int = 0
    ) -> ProcessResult:
        self.calls.append("process")
        clean = CleanPrompt(original=prompt, text=_check(prompt).replace("rhodez", "rhodes"),
                            notes=_notes(prompt))
        enhance = self.enhance(prompt=clean.text, enhancement_level=enhancement_level)
        parse = self.parse(prompt=enhance.enhanced_prompt)
        params = parse.parsed_parameters
        plan = self.plan(parameters=PlanParameters(
            genre=params.genre.value, mood=params.mood[0].value, tempo_bpm=params.tempo.bpm,
            duration_seconds=duration_s, key=params.key_signature.value, seed=seed,
        ))
        return ProcessResult(
            original_prompt=prompt, clean_prompt=clean, enhance=enhance, parse=parse, plan=plan,
            timings_ms={"preprocess": 0.1, "enhance": 1.0, "parse": 2.0, "plan": 0.5, "total": 3.6},
            warnings=[n.message for n in clean.notes] + ["tempo 80 BPM is slow for hip hop"],
        )
