"""Instrument presets (knowledge_base/synth_presets.yaml) and how instruments find theirs.

A preset is a DDSP control recipe: a harmonic distribution (shape, tilt, odd/even balance) at two
brightness states, amplitude and brightness envelopes, vibrato/tremolo, a filtered-noise component
and optional inharmonic partials. An instrument finds its preset by id, then by General-MIDI
program, then by family, so a new instrument in instruments.yaml plays with no code change.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def resolve_kit(kb: KnowledgeBase, choices: Sequence[tuple[str, bool]], groove_kit: str) -> tuple[str, str | None]:
    """The kit a drum track plays and the instrument that chose it (None: the groove's own kit). ``choices``: the
    whole-kit instruments of the score, each with whether the prompt named it, stated ones first.

    A specific kit (an 808, brushes, a breakbeat) is itself. A generic one names a kind (synth_presets.yaml
    ``kind``): stated, "live drums" in a drum-machine groove play its counterpart kit (lo-fi's live kit is still
    dusty; trap's and house's, the acoustic kit) and "drum machine" in a drummer's groove the 909, while the same
    words in a groove of that kind keep its kit (a lo-fi "drum machine" is lo-fi's own); guessed (the line-up's, the
    parser's), a generic kit moves only the default kit (a synthwave line-up's drum machine). The first choice that
    changes the kit wins: a stated "trap beat" (the 808 the trap groove plays already) leaves a stated "live drummer"
    to choose. Kit pieces ("hi-hats", "snare") are no choice: they keep the groove's kit."""
    presets = kb.synth_presets
    groove = presets.kit(groove_kit)
    for instrument_id, stated in choices:
        named = presets.kit_named(instrument_id)
        if named is None:
            continue
        if named.generic:
            if not stated and groove.id != presets.default_kit:
                continue
            named = presets.kind_kit(groove, named.kind)
        if named.id != groove.id:
            return named.id, instrument_id
    return groove.id, None


def gm_program_for(inst: Instrument | None, preset_id: str, kb: KnowledgeBase) -> int:
    if inst is not None and inst.gm_program is not None:
        return inst.gm_program
    preset = kb.synth_presets.preset(preset_id)
    return preset.gm_programs[0] if preset.gm_programs else 0
