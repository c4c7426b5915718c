"""Refinement before rendering (spec §2 "Parameter Refinement Controls"): the parse and the plan, editable.

`Refiner.fill` runs Aurora on the prompt and pre-fills the panel (genre, tempo, key and mode, meter, instruments,
excluded instruments, energy, structure, and the chords of each section); `Refiner.replan` plans again from the
edited values (a change of tempo, meter, structure ... changes the sections); `Refiner.prepare` turns what the
panel shows into the ProcessResult that Generate renders as it is (`aurora.generation.generate(semantic=...)`).
"Reset to the prompt" is `fill` again. Library calls only: Aurora's plan and mapper, the shared vocabulary.

No `from __future__ import annotations` here, like studio.py: Gradio inspects these signatures.
"""

import re
from typing import TYPE_CHECKING, Any

import gradio as gr

from aurora.contracts import (
    EnergyValue,
    GenreValue,
    InstrumentValue,
    KeySignatureValue,
    ParsedMusicalParameters,
    PlanResult,
    ProcessResult,
    StructuralPlan,
    StructureValue,
    SubGenreValue,
    TempoValue,
    TimeSignatureValue,
)
from aurora.ui import format as fmt
from aurora.ui.studio import check_level, user_errors
from aurora.validation import check_optional_duration, check_seed
from knowledge_base.theory import FLAT_NAMES, SHARP_NAMES, parse_chord

if TYPE_CHECKING:
    from aurora import Aurora

SECTION_HEADERS = ["#", "Section", "Bars", "Energy", "Chords (one per bar, space-separated)"]
METERS = ["4/4", "3/4", "6/8", "2/4", "12/8", "5/4", "7/8", "9/8"]
TONICS = list(dict.fromkeys([*SHARP_NAMES, *FLAT_NAMES]))
REFINED_FIELDS = ["genre", "tempo", "key_signature", "time_signature", "instrumentation", "excluded_instruments",
                  "energy_level", "structure"]
# the panel's values, in the order the app passes them
FIELDS = ("genre", "tempo_bpm", "key", "mode", "meter", "instruments", "excluded", "energy", "structure")
Rows = list[list[Any]]


def _error(message: str) -> gr.Error:
    return gr.Error(f"{message} (AURORA_INPUT_INVALID)", title="Check the refinements", print_exception=False)


def section_rows(plan: StructuralPlan) -> Rows:
    return [[i, s.name, s.bars, round(s.energy_level, 2), " ".join(s.chords)]
            for i, s in enumerate(plan.sections, start=1)]


def _names(values: object) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        return []
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _rows(table: object) -> Rows:
    """The sections table as rows, whether Gradio hands over a DataFrame, a dict or a list."""
    if table is None:
        return []
    if hasattr(table, "values") and hasattr(table, "columns"):
        return [list(r) for r in table.values.tolist()]
    if isinstance(table, dict):
        return [list(r) for r in table.get("data", [])]
    return [list(r) for r in table] if isinstance(table, list) else []


class Refiner:
    """The refinement panel's callbacks for one Aurora instance (no other state)."""

    def __init__(self, aurora: "Aurora") -> None:
        self._aurora = aurora

    # ------------------------------------------------------------------ choices
    def choices(self) -> dict[str, list[str]]:
        kb = self._aurora.knowledge_base
        return {"genre": sorted(g.name for g in kb.genres), "structure": sorted(s.name for s in kb.structures),
                "instrument": sorted(i.name for i in kb.instruments), "mode": list(kb.chords.mode_intervals)}

    # ------------------------------------------------------------------ panel callbacks
    def fill(self, prompt: str, duration_s: float | None, seed: float | None, level: str) -> tuple[Any, ...]:
        """Aurora's reading of the prompt, in the panel ("Reset to the prompt"); the base parse is kept."""
        check_level(level)
        with user_errors():
            result = self._aurora.process(prompt=prompt, duration_s=check_optional_duration(duration_s),
                                          enhancement_level=level, seed=check_seed(seed or 0))
        return self._panel(result, "Pre-filled from the prompt. Edit anything; **Generate renders exactly what is "
                                   "shown** while *Render these refinements* is ticked.")

    def stored(self, picked: dict[str, Any] | None, duration_s: float | None, seed: float | None,
               level: str) -> tuple[Any, ...]:
        """A History row's parameters and plan, as they were rendered, back in the panel (ticked): restoring
        a refined track restores its refinements, and generating it again renders the same plan."""
        if not picked or not picked.get("parsed_parameters") or not picked.get("structural_plan"):
            return tuple(gr.skip() for _ in range(14))
        check_level(level)
        with user_errors():
            result = self._aurora.process(prompt=str(picked.get("prompt", "")),
                                          duration_s=check_optional_duration(duration_s),
                                          enhancement_level=level, seed=check_seed(seed or 0))
            params = ParsedMusicalParameters.model_validate(picked["parsed_parameters"])
            plan = StructuralPlan.model_validate(picked["structural_plan"])
        control = self._aurora.map_parameters(parameters=params)
        parse = result.parse.model_copy(update={"parsed_parameters": params, "control_encoder_params": control})
        result = result.model_copy(update={"parse": parse, "plan": PlanResult(
            structural_plan=plan, warnings=[], aurora_metadata=result.plan.aurora_metadata)})
        return self._panel(result, "Restored from your history: the parameters and plan this track was rendered "
                                   "with.")

    def _panel(self, result: ProcessResult, note: str) -> tuple[Any, ...]:
        params, plan = result.parse.parsed_parameters, result.plan.structural_plan
        cp = plan.chord_progression
        tonic = cp.key.split()[0] if cp.key.strip() else "C"
        instruments = [i.name for i in params.instrumentation]
        return (result.model_dump(mode="json", by_alias=True), plan.model_dump(mode="json", by_alias=True),
                params.sub_genre.value or params.genre.value, float(plan.tempo_bpm), tonic, cp.mode or "major",
                plan.time_signature, instruments, list(params.excluded_instruments),
                round(float(params.energy_level.value), 2), params.structure.value, section_rows(plan), True, note)

    def _with_choices(self, values: list[Any]) -> tuple[Any, ...]:
        if isinstance(values[2], type(gr.skip())):
            return tuple(values)
        choices = self.choices()
        values[2] = gr.update(choices=choices["genre"], value=values[2])
        values[5] = gr.update(choices=choices["mode"], value=values[5])
        values[7] = gr.update(choices=choices["instrument"], value=values[7])
        values[8] = gr.update(choices=choices["instrument"], value=values[8])
        values[10] = gr.update(choices=choices["structure"], value=values[10])
        return tuple(values)

    def stored_view(self, picked: dict[str, Any] | None, duration_s: float | None, seed: float | None,
                    level: str) -> tuple[Any, ...]:
        return self._with_choices(list(self.stored(picked, duration_s, seed, level)))

    def fill_view(self, prompt: str, duration_s: float | None, seed: float | None, level: str) -> tuple[Any, ...]:
        """`fill` for the panel: the dropdowns get their choices (from the knowledge base) with their values."""
        return self._with_choices(list(self.fill(prompt, duration_s, seed, level)))

    def fill_on_open(self, base: dict[str, Any] | None, prompt: str, duration_s: float | None, seed: float | None,
                     level: str) -> tuple[Any, ...]:
        """Opening the panel fills it from the prompt once; later openings keep the user's edits."""
        if base or not (prompt or "").strip():
            return tuple(gr.skip() for _ in range(14))
        return self.fill_view(prompt, duration_s, seed, level)

    @staticmethod
    def prompt_edited(use: bool) -> tuple[Any, Any]:
        """The prompt changed after the panel was filled: Generate reads the new prompt again."""
        if not use:
            return gr.skip(), gr.skip()
        return False, ("The prompt changed: Generate reads it afresh. Press **Reset to the prompt** to refine "
                       "the new one.")

    def replan(self, base: dict[str, Any] | None, duration_s: float | None, seed: float | None, genre: str,
               tempo_bpm: float | None, key: str, mode: str, meter: str, instruments: list[str],
               excluded: list[str], energy: float | None, structure: str) -> tuple[Any, ...]:
        """Plan again from the edited values: the sections and their chords follow (the table is refreshed)."""
        if not base:
            return gr.skip(), gr.skip(), gr.skip()
        result = ProcessResult.model_validate(base)
        params = self.parameters(result, duration_s, genre, tempo_bpm, key, mode, meter, instruments, excluded,
                                 energy, structure)
        plan = self._plan(params, duration_s, seed)
        note = fmt.plan_summary(plan.structural_plan, genre=params.genre.value)
        return plan.structural_plan.model_dump(mode="json", by_alias=True), section_rows(plan.structural_plan), note

    def edited(self, base: dict[str, Any] | None, duration_s: float | None, seed: float | None, genre: str,
               tempo_bpm: float | None, key: str, mode: str, meter: str, instruments: list[str],
               excluded: list[str], energy: float | None, structure: str) -> tuple[Any, ...]:
        """A field of the panel edited: plan again, and render the refinements from now on."""
        out = self.replan(base, duration_s, seed, genre, tempo_bpm, key, mode, meter, instruments, excluded, energy,
                          structure)
        return (*out, gr.skip() if not base else True)

    def prepare(self, use: bool, base: dict[str, Any] | None, plan: dict[str, Any] | None, table: object,
                duration_s: float | None, seed: float | None, genre: str, tempo_bpm: float | None, key: str,
                mode: str, meter: str, instruments: list[str], excluded: list[str], energy: float | None,
                structure: str) -> dict[str, Any] | None:
        """What Generate renders: None (Aurora reads the prompt) unless the refinements are to be rendered; then
        the base parse with the edited parameters (and their control embedding) and the shown plan, each
        section with the chords of its row."""
        if not use or not base or not plan:
            return None
        result = ProcessResult.model_validate(base)
        params = self.parameters(result, duration_s, genre, tempo_bpm, key, mode, meter, instruments, excluded,
                                 energy, structure)
        shown = StructuralPlan.model_validate(plan)
        duration = check_optional_duration(duration_s)
        stale = (duration is not None and abs(shown.duration_s - duration) > 0.5) or \
            abs(shown.tempo_bpm - params.tempo.bpm) > 1e-6 or shown.time_signature != params.time_signature.value
        if stale:  # the settings changed after the last plan: plan again rather than render an old one
            shown = self._plan(params, duration_s, seed).structural_plan
        shown = self.with_chords(shown, _rows(table))
        control = self._aurora.map_parameters(parameters=params)
        parse = result.parse.model_copy(update={"parsed_parameters": params, "control_encoder_params": control})
        semantic = result.model_copy(update={"parse": parse, "plan": PlanResult(
            structural_plan=shown, warnings=[], aurora_metadata=result.plan.aurora_metadata)})
        return semantic.model_dump(mode="json", by_alias=True)

    # ------------------------------------------------------------------ building blocks
    def parameters(self, result: ProcessResult, duration_s: float | None, genre: str, tempo_bpm: float | None,
                   key: str, mode: str, meter: str, instruments: list[str], excluded: list[str],
                   energy: float | None, structure: str) -> ParsedMusicalParameters:
        """The parsed parameters with the panel's values, each marked as stated (the engine obeys them)."""
        kb = self._aurora.knowledge_base
        base = result.parse.parsed_parameters
        genre = (genre or "").strip() or base.genre.value
        if kb.find_genre(genre) is None:
            raise _error(f"unknown genre {genre!r}")
        if not isinstance(tempo_bpm, (int, float)) or not 20 <= float(tempo_bpm) <= 300:
            raise _error(f"tempo must be 20-300 BPM, not {tempo_bpm!r}")
        mode = (mode or "major").strip()
        if mode not in kb.chords.mode_intervals:
            raise _error(f"unknown mode {mode!r}")
        tonic = (key or "").strip()
        if tonic and tonic not in TONICS:
            raise _error(f"unknown key {tonic!r}")
        if kb.find_structure(structure or "") is None:
            raise _error(f"unknown structure {structure!r}")
        if not isinstance(energy, (int, float)) or not 0.0 <= float(energy) <= 1.0:
            raise _error(f"energy must be 0-1, not {energy!r}")
        excluded_names = _names(excluded)
        unknown = [n for n in [*_names(instruments), *excluded_names] if kb.find_instrument(n) is None]
        if unknown:
            raise _error(f"unknown instrument {unknown[0]!r}")
        known = {i.name.lower(): i for i in base.instrumentation}
        kept: list[InstrumentValue] = []
        for name in _names(instruments):
            if name.lower() in {n.lower() for n in excluded_names}:
                continue  # excluded wins
            if name.lower() in known:
                kept.append(known[name.lower()])
            else:
                found = kb.find_instrument(name)
                role = found.roles[0] if found is not None and found.roles else "harmony"
                kept.append(InstrumentValue(name=name, role=role, confidence=1.0, source="stated"))
        same_genre = genre.lower() in {base.genre.value.lower(), (base.sub_genre.value or "").lower()}
        update: dict[str, Any] = {
            "genre": base.genre if same_genre else GenreValue(value=genre, confidence=1.0),
            "sub_genre": base.sub_genre if same_genre else SubGenreValue(),
            "tempo": TempoValue(type="explicit", bpm=float(tempo_bpm), confidence=1.0),
            "key_signature": KeySignatureValue(value=f"{tonic} {mode}" if tonic else None,
                                               confidence=1.0 if tonic else 0.0),
            "time_signature": TimeSignatureValue(value=meter, confidence=1.0),
            "instrumentation": kept, "excluded_instruments": excluded_names,
            "energy_level": EnergyValue(value=round(float(energy), 3), confidence=1.0),
            "structure": StructureValue(value=structure, confidence=1.0),
            "explicit": list(dict.fromkeys([*base.explicit, *REFINED_FIELDS])),
        }
        duration = check_optional_duration(duration_s)
        if duration is not None:
            update["duration_s"] = duration
        with user_errors():
            return ParsedMusicalParameters.model_validate({**base.model_dump(), **update})

    def _plan(self, params: ParsedMusicalParameters, duration_s: float | None, seed: float | None) -> PlanResult:
        from aurora.facade import plan_parameters_from

        duration = check_optional_duration(duration_s) or params.duration_s or 30.0
        with user_errors():
            return self._aurora.plan(parameters=plan_parameters_from(params, duration_s=float(duration),
                                                                    seed=check_seed(seed or 0)))

    def with_chords(self, plan: StructuralPlan, rows: Rows) -> StructuralPlan:
        """The plan with each section's chords as its row in the table reads (rows in the plan's order)."""
        if not rows:
            return plan
        if len(rows) != len(plan.sections):
            raise _error("the sections table no longer matches the plan: press Reset to the prompt")
        chords_kb = self._aurora.knowledge_base.chords
        sections = []
        for section, row in zip(plan.sections, rows, strict=True):
            symbols = [c for c in re.split(r"[\s,|]+", str(row[-1] or "")) if c]
            bad = [c for c in symbols if parse_chord(c, chords_kb) is None]
            if bad:
                raise _error(f"{bad[0]!r} in {section.name} is not a chord symbol (e.g. Dm7, G7, Cmaj7, F#m)")
            sections.append(section.model_copy(update={"chords": symbols or section.chords}))
        return plan.model_copy(update={"sections": sections})
