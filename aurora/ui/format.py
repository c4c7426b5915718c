"""Turn Aurora's typed results into the rows and Markdown the panels show.

Pure functions of contract objects: no Gradio, no Aurora calls, so they are tested directly.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aurora.contracts import (
    AuroraMetadata,
    ChordProgression,
    EnhanceResult,
    ParsedMusicalParameters,
    PreprocessNote,
    StructuralPlan,
)

if TYPE_CHECKING:
    from aurora.generation import Generation

Row = list[str]

ADDITION_HEADERS = ["Type", "Value", "Confidence", "Why"]
PARAMETER_HEADERS = ["Parameter", "Value", "Confidence", "Source"]
SECTION_HEADERS = ["#", "Section", "Bars", "Start", "Length", "Energy", "Chords", "Description"]
TRANSITION_HEADERS = ["From", "To", "Transition"]
STAGE_HEADERS = ["Stage", "Used", "Detail", "Time (ms)", "Real-time factor"]
PITCH_CLASSES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def confidence_bar(value: float, *, width: int = 5) -> str:
    """A compact visual gauge, e.g. 0.82 -> '▰▰▰▰▱ 0.82' (readable in a table cell)."""
    filled = round(max(0.0, min(1.0, value)) * width)
    return f"{'▰' * filled}{'▱' * (width - filled)} {value:.2f}"


def clock(seconds: float) -> str:
    """Seconds as m:ss.s, the way a DAW timeline reads."""
    minutes, rest = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{rest:04.1f}"


def metadata_badge(meta: AuroraMetadata | None, *, label: str = "") -> str:
    """One line: which implementation served, how long it took, cache hit, and any fallbacks."""
    if meta is None:
        return f"<span class='ss-badge'>{html.escape(label)} · no metadata</span>"
    cache = "cache hit" if meta.cache_hit else "computed"
    parts = [
        f"<b>{html.escape(label or meta.module)}</b>",
        f"served by <code>{html.escape(meta.implementation)}</code>",
        f"{meta.processing_time_ms:.1f} ms",
        cache,
    ]
    skipped = [a for a in meta.attempts if a.implementation != meta.implementation]
    if skipped:
        reasons = ", ".join(
            f"{a.implementation} ({a.error_code or 'failed'})" for a in skipped
        )
        parts.append(f"fell back from {html.escape(reasons)}")
    return f"<span class='ss-badge'>{' · '.join(parts)}</span>"


def notes_markdown(
    warnings: Iterable[str] = (), notes: Iterable[PreprocessNote] = (), *, language: str = "en"
) -> str:
    """Preprocessing notes and coherence warnings as a short callout; empty string when all is clean."""
    notes = list(notes)
    lines = [f"- **{html.escape(n.code)}**: {html.escape(n.message)}" for n in notes]
    if language and language != "en":
        lines.append(f"- **Language**: detected `{html.escape(language)}`")
    said = {n.message for n in notes}
    lines += [f"- {html.escape(w)}" for w in dict.fromkeys(warnings) if w not in said]
    if not lines:
        return ""
    return "<div class='ss-notes'>\n\n**Heads-up**\n\n" + "\n".join(lines) + "\n\n</div>"


def addition_rows(result: EnhanceResult) -> list[Row]:
    return [
        [a.type.replace("_", " "), a.value, confidence_bar(a.confidence), a.reasoning]
        for a in result.additions
    ]


SOURCE_LABELS = {"stated": "explicit", "inferred": "inferred", "artist": "from artist"}


def _source(params: ParsedMusicalParameters, field: str) -> str:
    return "explicit" if field in params.explicit else "inferred"


def key_name(progression: ChordProgression) -> str:
    """'D minor' whether the planner gives key='D', mode='minor' or key='D minor'."""
    key, mode = progression.key.strip(), progression.mode.strip()
    return key if not mode or mode.lower() in key.lower() else f"{key} {mode}"


def parameter_rows(params: ParsedMusicalParameters) -> list[Row]:
    """One row per value: what Aurora understood, how sure it is, and whether the text said so."""
    p = params
    rows: list[Row] = [
        ["Genre", p.genre.value, confidence_bar(p.genre.confidence), _source(p, "genre")],
    ]
    if p.sub_genre.value:
        rows.append(["Sub-genre", p.sub_genre.value, confidence_bar(p.sub_genre.confidence),
                     _source(p, "sub_genre")])
    tempo = f"{p.tempo.bpm:g} BPM"
    if p.tempo.range_bpm:
        tempo += f" (range {p.tempo.range_bpm[0]:g}-{p.tempo.range_bpm[1]:g})"
    if p.tempo.term:
        tempo += f" · {p.tempo.term}"
    rows.append(["Tempo", tempo, confidence_bar(p.tempo.confidence), p.tempo.type])
    key = p.key_signature.value or "unspecified"
    if p.key_signature.changes:
        key += " → " + " → ".join(p.key_signature.changes)
    rows.append(["Key", key, confidence_bar(p.key_signature.confidence), _source(p, "key_signature")])
    rows.append(["Meter", p.time_signature.value, confidence_bar(p.time_signature.confidence),
                 _source(p, "time_signature")])
    rows += [["Feel", f.value + (f" (swing {f.swing:.2f})" if f.swing else ""), confidence_bar(f.confidence),
              "explicit"] for f in p.feels]
    rows += [["Mood", m.value, confidence_bar(m.confidence), SOURCE_LABELS[m.source]] for m in p.mood]
    if p.ensemble:  # a closed line-up: the named players and nothing the genre would add
        rows.append(["Line-up", f"{p.ensemble} (only these players)", "", "explicit"])
    rows += [
        ["Instrument", f"{i.name} ({i.role})", confidence_bar(i.confidence), SOURCE_LABELS[i.source]]
        for i in p.instrumentation
    ]
    rows.append(["Structure", p.structure.value, confidence_bar(p.structure.confidence),
                 _source(p, "structure")])
    rows.append(["Energy", f"{p.energy_level.value:.2f}", confidence_bar(p.energy_level.confidence),
                 _source(p, "energy_level")])
    rows += [["Reference artist", a.name, confidence_bar(a.relevance), "explicit"]
             for a in p.reference_artists]
    if p.chords:
        rows.append(["Chords", " – ".join(p.chords), "", "explicit"])
    if p.excluded_instruments:
        rows.append(["Excluded", ", ".join(p.excluded_instruments), "", "explicit"])
    if p.excluded_parts:
        rows.append(["Refused parts", ", ".join(p.excluded_parts), "", "explicit"])
    if p.form:
        rows.append(["Form", " → ".join(p.form), "", "explicit"])
    if p.arrangement:
        rows.append(["Arrangement", p.arrangement.words(), "", "explicit"])
    if p.textures:
        rows.append(["Texture", ", ".join(p.textures), "", _source(p, "textures")])
    if p.duration_s is not None:
        rows.append(["Duration", clock(p.duration_s), "", "explicit"])
    return rows


def section_rows(plan: StructuralPlan) -> list[Row]:
    return [
        [str(i), s.name, str(s.bars), clock(s.start_s), clock(s.duration_s), confidence_bar(s.energy_level),
         " ".join(s.chords), s.description]
        for i, s in enumerate(plan.sections, start=1)
    ]


def transition_rows(plan: StructuralPlan) -> list[Row]:
    return [[t.from_, t.to, t.type] for t in plan.transitions]


def plan_summary(plan: StructuralPlan, *, genre: str = "", mood: str = "") -> str:
    cp = plan.chord_progression
    facts = [
        f"**{html.escape(plan.structure_type)}**",
        f"{plan.tempo_bpm:g} BPM",
        plan.time_signature,
        html.escape(key_name(cp)),
        f"{plan.total_bars} bars",
        clock(plan.duration_s),
    ]
    if plan.ending != "ring":
        facts.append("fades out" if plan.ending == "fade_out" else "stops cold")
    lead = " · ".join(html.escape(x) for x in (genre, mood) if x)
    return (f"{lead} — " if lead else "") + " · ".join(facts)


def chord_markdown(plan: StructuralPlan) -> str:
    """Chords over their roman numerals, as a two-row table a player can read at a glance."""
    cp = plan.chord_progression
    numerals = cp.roman_numerals or [""] * len(cp.chords)
    head = "| " + " | ".join(html.escape(c) for c in cp.chords) + " |"
    rule = "|" + "---|" * len(cp.chords)
    romans = "| " + " | ".join(f"*{html.escape(r)}*" for r in numerals) + " |"
    return f"**Progression in {html.escape(key_name(cp))}**\n\n{head}\n{rule}\n{romans}"


def tonic_pc(key: str) -> int | None:
    """Pitch class of a key's tonic: 'Bb minor' -> 10, 'F#' -> 6; None when it names no note."""
    text = key.strip()
    if not text or text[0].upper() not in _LETTERS:
        return None
    pc = _LETTERS[text[0].upper()]
    for char in text[1:]:
        if char in "#♯":
            pc += 1
        elif char in "b♭":
            pc -= 1
        else:
            break
    return pc % 12


def rendered_key(generation: Generation) -> str:
    """The key the score was written in, spelt as the plan spelt it when they agree."""
    score = generation.render.score
    planned = key_name(generation.semantic.plan.structural_plan.chord_progression)
    if tonic_pc(planned) == score.key_tonic_pc and score.key_mode.lower() in planned.lower():
        return planned
    return f"{PITCH_CLASSES[score.key_tonic_pc % 12]} {score.key_mode}"


def realtime(audio_s: float, seconds: float) -> str:
    """Seconds of audio per second of compute, e.g. '37.5×' (or '—' for a stage that took no time)."""
    if seconds <= 1e-6:
        return "—"
    factor = audio_s / seconds
    return f"{factor:,.0f}×" if factor >= 100 else f"{factor:.1f}×"


def generation_summary(generation: Generation, *, wall_s: float | None = None) -> str:
    """One line: genre, BPM, key, meter, duration, loudness, true peak, device and speed. The speed is audio
    seconds over ``wall_s``, the wall-clock seconds of the whole Generate call, when given (else generate()'s own
    total)."""
    render = generation.render
    params = generation.semantic.parse.parsed_parameters
    genre = params.genre.value
    if params.sub_genre.value and params.sub_genre.value.lower() != genre.lower():
        genre += f" ({params.sub_genre.value})"
    total_s = wall_s if wall_s is not None else generation.timings_ms.get("total", 0.0) / 1000.0
    facts = [
        f"{render.score.tempo_bpm:.1f}".removesuffix(".0") + " BPM",
        rendered_key(generation),
        render.score.time_signature,
        clock(render.duration_s),
        f"{render.loudness_lufs:.1f} LUFS",
        f"{render.true_peak_dbtp:.1f} dBTP",
        render.device,
        f"{realtime(render.duration_s, total_s)} real time",
    ]
    return f"**{html.escape(genre)}** — " + " · ".join(html.escape(x) for x in facts)


def stage_rows(generation: Generation) -> list[Row]:
    """Aurora, each engine stage, encoding and the total: used or skipped, why, time, real-time factor."""
    audio_s = generation.render.duration_s
    meta = generation.metadata
    aurora_ms = generation.timings_ms.get("aurora", 0.0)
    rows: list[Row] = [["aurora", "✓", f"enhance · parse · plan ({meta.implementation_used})",
                        f"{aurora_ms:.1f}", realtime(audio_s, aurora_ms / 1000)]]
    rows += [
        [f"engine · {s.name}", "✓" if s.used else "skipped", s.reason, f"{s.time_ms:.1f}",
         realtime(audio_s, s.time_ms / 1000) if s.used else "—"]
        for s in meta.stages
    ]
    encode_ms, total_ms = meta.encode_time_ms, meta.total_time_ms
    rows.append(["encode", "✓", generation.audio_format, f"{encode_ms:.1f}", realtime(audio_s, encode_ms / 1000)])
    rows.append(["total", "", f"{clock(audio_s)} of audio", f"{total_ms:.1f}", realtime(audio_s, total_ms / 1000)])
    return rows


def generation_details(generation: Generation) -> str:
    """For the Details section: which implementation served each of Aurora's stages (with fallbacks and their
    codes), and the engine's device."""
    semantic = generation.semantic
    badges = [metadata_badge(semantic.enhance.aurora_metadata, label="Enhance"),
              metadata_badge(semantic.parse.aurora_metadata, label="Parse"),
              metadata_badge(semantic.plan.aurora_metadata, label="Plan")]
    device = f"<span class='ss-badge'><b>Engine</b> · {html.escape(generation.render.device)}</span>"
    return "<br>".join([*badges, device])
