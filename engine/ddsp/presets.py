"""Instrument presets (knowledge_base/synth_presets.yaml) and how instruments find theirs.

A preset is a DDSP control recipe: a harmonic distribution (shape, tilt, odd/even balance) at two
brightness states, amplitude and brightness envelopes, vibrato/tremolo, a filtered-noise component
and optional inharmonic partials. An instrument finds its preset by id, then by General-MIDI
program, then by family, so a new instrument in instruments.yaml plays with no code change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge_base import KnowledgeBase
    from knowledge_base.schema import Instrument


def resolve_preset(kb: KnowledgeBase, inst: Instrument | None, *, role: str) -> str:
    """Preset id for an instrument: by id, then GM program, then family; basses keep a bass voice."""
    presets = kb.synth_presets
    if inst is not None:
        for p in presets.presets:
            if inst.id in p.instruments:
                return p.id
        if role == "bass" and inst.family not in ("bass", "synth") and inst.pitch_register != "low":
            return "electric_bass"
        if inst.gm_program is not None:
            for p in presets.presets:
                if inst.gm_program in p.gm_programs:
                    return p.id
        for p in presets.presets:
            if inst.family in p.families:
                return p.id
    return "electric_bass" if role == "bass" else presets.default_preset


def resolve_kit(kb: KnowledgeBase, instrument_id: str | None, groove_kit: str, stated: bool = True) -> str:
    """The kit a drum track plays: the groove's, unless the instrument names a particular kit (tr808, brushes).
    The default kit's instruments (drum_kit, snare, hi_hat...) are generic: a trap "drum kit" is the 808. A
    generic kit's instruments ("drum machine") choose it when stated or when the groove plays the default kit;
    guessed (the line-up's, the parser's), they keep a groove's own kit (lo-fi's dusty machine, trap's 808)."""
    presets = kb.synth_presets
    groove = presets.kit(groove_kit).id
    if instrument_id is not None:
        for kit in presets.kits:
            if instrument_id in kit.instruments and kit.id != presets.default_kit:
                if kit.generic and not stated and groove != presets.default_kit:
                    break
                return kit.id
    return groove


def gm_program_for(inst: Instrument | None, preset_id: str, kb: KnowledgeBase) -> int:
    if inst is not None and inst.gm_program is not None:
        return inst.gm_program
    preset = kb.synth_presets.preset(preset_id)
    return preset.gm_programs[0] if preset.gm_programs else 0
