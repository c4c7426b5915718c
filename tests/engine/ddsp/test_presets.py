"""The engine's knowledge-base files: valid, complete, and every instrument finds a voice."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from engine.ddsp.presets import resolve_kit, resolve_preset
from engine.ddsp.textures import texture_layers
from knowledge_base import KnowledgeBase
from knowledge_base.sound import SynthPresets


def test_at_least_24_instrument_presets(kb: KnowledgeBase) -> None:
    presets = kb.synth_presets.presets
    assert len(presets) >= 24
    assert len({p.id for p in presets}) == len(presets)


def test_every_instrument_resolves(kb: KnowledgeBase) -> None:
    ids = {p.id for p in kb.synth_presets.presets}
    kit_pieces = kb.synth_presets.kit_pieces()
    for inst in kb.instruments:
        if inst.drum or inst.id in kit_pieces:
            continue
        for role in ("lead", "harmony", "bass"):
            assert resolve_preset(kb, inst, role=role) in ids, inst.id


def test_drum_instruments_choose_kits(kb: KnowledgeBase) -> None:
    assert resolve_kit(kb, "tr808", "acoustic") == "tr808"
    assert resolve_kit(kb, "brushed_drums", "acoustic") == "brush"
    assert resolve_kit(kb, None, "lofi") == "lofi"
    assert resolve_kit(kb, "drum_kit", "tr808") == "tr808"  # a generic kit follows the groove (a trap kit is an 808)
    assert resolve_kit(kb, None, "no_such_kit") == kb.synth_presets.kits[0].id


def test_mix_presets_follow_the_genre_tree(kb: KnowledgeBase) -> None:
    assert kb.mix_presets.for_genres(["deep_house", "house", "edm", "electronic"]).id == "electronic"
    assert kb.mix_presets.for_genres(["no_such_genre"]).id == "default"
    lofi = kb.mix_presets.for_genres(["lofi_hip_hop", "hip_hop"])
    assert lofi.master.lowpass_hz is not None
    assert lofi.gains_db["bass"] == kb.mix_presets.for_genres([]).gains_db["bass"]  # merged from default


def test_drum_vocabulary_is_data(kb: KnowledgeBase) -> None:
    """Kit pieces, hand percussion, drum voices and texture layers live in the YAML, checked at load."""
    sound = kb.synth_presets
    assert {"drum_kit", "tr808", "beatbox", "brushed_drums"} <= sound.kit_pieces()
    assert "congas" not in sound.kit_pieces()
    assert sound.percussion_voices("congas") == ["conga_high", "conga_low"]
    assert sound.percussion_voices("no_such_drum") == sound.default_percussion == ["shaker"]
    assert sound.percussion_voices("taiko") == ["tom_low", "tom_mid"]  # big drums, not a shaker
    gm = sound.gm_notes()
    assert (gm["kick"], gm["snare"], gm["hat_closed"]) == (36, 38, 42)
    assert len(set(gm.values())) == len(gm)
    assert kb.find_texture("Fire Crackle") is not None and kb.find_texture("Fire Crackle").layers == ["fire"]
    assert [f.instrument for f in kb.defaults.fill_instruments][:2] == ["drum_kit", "bass_guitar"]


def test_texture_layers_come_from_textures_yaml(kb: KnowledgeBase) -> None:
    assert texture_layers(["Vinyl Crackle", "rain", "heavy rain at night, thunder", "Birdsong", "??"], kb) == \
        ["vinyl", "rain"]
    assert texture_layers(["Fire Crackle"], kb) == ["fire"]  # the old word list also heard "crackle" as vinyl
    assert texture_layers(["winter ambience", "crackling fire and sea waves"], kb) == ["room", "ocean", "fire"]


def test_a_typo_in_the_drum_data_fails_at_load(kb: KnowledgeBase) -> None:
    data = kb.synth_presets.model_dump()
    data["kits"][0]["voices"] = {"kik": {"decay_s": 0.3}}
    with pytest.raises(ValidationError, match="kik"):
        SynthPresets.model_validate(data)
    data = kb.synth_presets.model_dump()
    data["percussion"]["congas"] = ["conga_hi"]
    with pytest.raises(ValidationError, match="conga_hi"):
        SynthPresets.model_validate(data)
