"""Human-readable text for typed results (CLI and logs). Pure formatting, no logic."""

from __future__ import annotations

from pydantic import BaseModel

from aurora.contracts import (
    AuroraMetadata,
    EnhanceResult,
    ParsedMusicalParameters,
    ParseResult,
    PlanResult,
    ProcessResult,
    StructuralPlan,
    SuggestResult,
)


def describe(result: BaseModel) -> str:
    if isinstance(result, EnhanceResult):
        return _enhance(result)
    if isinstance(result, ParseResult):
        return _parse(result)
    if isinstance(result, PlanResult):
        return _plan(result.structural_plan, result.warnings, result.aurora_metadata)
    if isinstance(result, SuggestResult):
        lines = [f"  {s.score:.2f}  [{s.dimension}] {s.preview}" for s in result.suggestions]
        return "\n".join(["Suggestions:", *lines, _meta(result.aurora_metadata)])
    if isinstance(result, ProcessResult):
        timing = ", ".join(f"{k} {v:.1f} ms" for k, v in result.timings_ms.items())
        return "\n\n".join([_enhance(result.enhance), _parse(result.parse),
                            _plan(result.plan.structural_plan, result.plan.warnings, result.plan.aurora_metadata),
                            f"Timings: {timing}"])
    return result.model_dump_json(indent=2)


def _meta(meta: AuroraMetadata | None) -> str:
    if meta is None:
        return ""
    tried = " -> ".join(f"{a.implementation}{'(' + a.error_code + ')' if a.error_code else ''}" for a in meta.attempts)
    return (f"[{meta.module} served by {meta.implementation} in {meta.processing_time_ms:.1f} ms, "
            f"cache {'hit' if meta.cache_hit else 'miss'}{'; tried ' + tried if tried else ''}]")


def _enhance(r: EnhanceResult) -> str:
    lines = [f"Enhanced: {r.enhanced_prompt}"]
    lines += [f"  + {a.type}: {a.value}  ({a.confidence:.2f}) {a.reasoning}" for a in r.additions]
    lines += [f"  ! {n.code}: {n.message}" for n in r.notes]
    lines.append(_meta(r.aurora_metadata))
    return "\n".join(lines)


def _parse(r: ParseResult) -> str:
    p: ParsedMusicalParameters = r.parsed_parameters
    stated = set(p.explicit)

    def tag(field: str) -> str:
        return "stated" if field in stated else "inferred"

    lines = [
        f"Genre:       {p.genre.value}" + (f" / {p.sub_genre.value}" if p.sub_genre.value else "")
        + f"  ({p.genre.confidence:.2f}, {tag('genre')})",
        f"Tempo:       {p.tempo.bpm:g} BPM ({p.tempo.type}{', ' + p.tempo.term if p.tempo.term else ''}, "
        f"{p.tempo.confidence:.2f})",
        f"Key:         {p.key_signature.value}  ({p.key_signature.confidence:.2f}, {tag('key_signature')})"
        + (f"; then {', '.join(p.key_signature.changes)}" if p.key_signature.changes else ""),
        f"Meter:       {p.time_signature.value}  ({p.time_signature.confidence:.2f}, {tag('time_signature')})",
        f"Mood:        {', '.join(f'{m.value} ({m.confidence:.2f})' for m in p.mood) or '-'}",
        f"Instruments: {', '.join(f'{i.name}/{i.role} ({i.confidence:.2f}, {i.source})' for i in p.instrumentation)}",
        f"Energy:      {p.energy_level.value:.2f}  ({tag('energy_level')})",
        f"Structure:   {p.structure.value}  ({tag('structure')})",
    ]
    if p.excluded_instruments:
        lines.append(f"Excluded:    {', '.join(p.excluded_instruments)}")
    if p.excluded_parts:
        lines.append(f"No part:     {', '.join(p.excluded_parts)}")
    if p.form:
        lines.append(f"Form:        {' - '.join(p.form)}")
    if p.arrangement:
        lines.append(f"Arrangement: {p.arrangement.words()}")
    if p.chords:
        lines.append(f"Chords:      {' '.join(p.chords)}")
    if p.reference_artists:
        lines.append(f"Artists:     {', '.join(a.name for a in p.reference_artists)}")
    if p.textures:
        lines.append(f"Textures:    {', '.join(p.textures)}")
    if p.duration_s:
        lines.append(f"Duration:    {p.duration_s:g} s")
    lines += [f"  ! {w}" for w in r.warnings]
    lines.append(_meta(r.aurora_metadata))
    return "\n".join(lines)


def _plan(plan: StructuralPlan, warnings: list[str], meta: AuroraMetadata | None) -> str:
    cp = plan.chord_progression
    lines = [f"Plan: {plan.structure_type}, {plan.total_bars} bars of {plan.time_signature} at "
             f"{plan.tempo_bpm:g} BPM, {plan.duration_s:g} s; chords in {cp.key} {cp.mode}: "
             f"{' '.join(cp.chords)} ({' '.join(cp.roman_numerals)})"]
    for s in plan.sections:
        lines.append(f"  {s.start_s:7.2f}s  {s.name:<14} {s.bars:>3} bars  energy {s.energy_level:.2f}  "
                     f"{s.description}")
    lines += [f"  {t.from_} -> {t.to}: {t.type}" for t in plan.transitions]
    lines += [f"  ! {w}" for w in warnings]
    lines.append(_meta(meta))
    return "\n".join(lines)
