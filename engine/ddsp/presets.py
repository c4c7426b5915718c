"""Instrument presets (knowledge_base/synth_presets.yaml) and how instruments find theirs.

A preset is a DDSP control recipe: a harmonic distribution (shape, tilt, odd/even balance) at two
brightness states, amplitude and brightness envelopes, vibrato/tremolo, a filtered-noise component
and optional inharmonic partials. An instrument finds its preset by id, then by General-MIDI
program, then by family, so a new instrument in instruments.yaml plays with no code change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.exceptions import EngineKnowledgeError

if TYPE_CHECKING:
    from engine.knowledge import InstrumentInfo, KnowledgeData


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Envelope(_Spec):
    attack_s: float = Field(default=0.01, ge=0.0005)
    decay_s: float = Field(default=0.3, ge=0.001)
    sustain: float = Field(default=0.7, ge=0.0, le=1.0)
    release_s: float = Field(default=0.2, ge=0.005)


class SynthPreset(_Spec):
    id: str
    instruments: list[str] = Field(default_factory=list)
    gm_programs: list[int] = Field(default_factory=list)
    families: list[str] = Field(default_factory=list)
    shape: Literal["saw", "square", "triangle", "sine", "organ", "custom"] = "saw"
    harmonics: list[float] = Field(default_factory=list, description="Amplitudes of harmonics 1.. (custom)")
    n_harmonics: int = Field(default=40, ge=1, le=128)
    even_gain: float = Field(default=1.0, ge=0.0, le=2.0)
    tilt_bright_db_per_octave: float = -3.0
    tilt_dark_db_per_octave: float = -12.0
    brightness: float = Field(default=0.7, ge=0.0, le=1.0, description="Sustained mix of the bright table")
    bright_peak: float = Field(default=1.0, ge=0.0, le=1.0)
    bright_decay_s: float = Field(default=0.4, gt=0.0)
    bright_attack_s: float = Field(default=0.0, ge=0.0, description="Swell from dark to bright (brass)")
    velocity_brightness: float = Field(default=0.4, ge=0.0, le=1.0)
    envelope: Envelope = Field(default_factory=Envelope)
    percussive: bool = False
    pitch_decay_scale: float = Field(default=0.0, ge=0.0, le=1.0, description="Low notes ring longer")
    vibrato_rate_hz: float = 5.0
    vibrato_depth_cents: float = 0.0
    vibrato_delay_s: float = 0.25
    tremolo_rate_hz: float = 5.0
    tremolo_depth: float = Field(default=0.0, ge=0.0, le=1.0)
    unison_cents: float = Field(default=0.0, ge=0.0, le=50.0)
    noise_level: float = Field(default=0.0, ge=0.0, le=2.0)
    noise_band_hz: tuple[float, float] = (1000.0, 8000.0)
    noise_decay_s: float | None = Field(default=None, description="None: noise follows the amplitude")
    partials: list[tuple[float, float, float]] = Field(default_factory=list,
                                                       description="Inharmonic (ratio, amplitude, decay_s)")
    drive: float = Field(default=0.0, ge=0.0, le=20.0)
    gain_db: float = 0.0


class DrumKit(_Spec):
    id: str
    instruments: list[str] = Field(default_factory=list)
    voices: dict[str, dict[str, float]] = Field(default_factory=dict)
    gain_db: float = 0.0


class SynthPresets(_Spec):
    presets: list[SynthPreset] = Field(min_length=24)
    kits: list[DrumKit] = Field(min_length=1)
    default_preset: str = "piano"
    default_kit: str = "acoustic"

    def preset(self, preset_id: str) -> SynthPreset:
        found = next((p for p in self.presets if p.id == preset_id), None)
        if found is None:
            raise EngineKnowledgeError(f"unknown synth preset {preset_id!r}")
        return found

    def kit(self, kit_id: str) -> DrumKit:
        return next((k for k in self.kits if k.id == kit_id), None) or self.kits[0]


def resolve_preset(kb: KnowledgeData, inst: InstrumentInfo | None, *, role: str) -> str:
    """Preset id for an instrument: by id, then GM program, then family; basses keep a bass voice."""
    presets = kb.synth_presets
    if inst is not None:
        for p in presets.presets:
            if inst.id in p.instruments:
                return p.id
        if role == "bass" and inst.family not in ("bass", "synth") and inst.register_ != "low":
            return "electric_bass"
        if inst.gm_program is not None:
            for p in presets.presets:
                if inst.gm_program in p.gm_programs:
                    return p.id
        for p in presets.presets:
            if inst.family in p.families:
                return p.id
    return "electric_bass" if role == "bass" else presets.default_preset


def resolve_kit(kb: KnowledgeData, instrument_id: str | None, groove_kit: str) -> str:
    presets = kb.synth_presets
    if instrument_id is not None:
        for kit in presets.kits:
            if instrument_id in kit.instruments:
                return kit.id
    return presets.kit(groove_kit).id


def gm_program_for(inst: InstrumentInfo | None, preset_id: str, kb: KnowledgeData) -> int:
    if inst is not None and inst.gm_program is not None:
        return inst.gm_program
    preset = kb.synth_presets.preset(preset_id)
    return preset.gm_programs[0] if preset.gm_programs else 0
