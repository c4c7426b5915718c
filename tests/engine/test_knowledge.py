"""The engine's knowledge-base files: valid, complete, and every instrument finds a voice."""

from __future__ import annotations

from engine.ddsp.presets import resolve_kit, resolve_preset
from engine.knowledge import KnowledgeData
from engine.structure.orchestration import KIT_PIECES


def test_at_least_24_instrument_presets(kb: KnowledgeData) -> None:
    presets = kb.synth_presets.presets
    assert len(presets) >= 24
    assert len({p.id for p in presets}) == len(presets)


def test_every_instrument_resolves(kb: KnowledgeData) -> None:
    ids = {p.id for p in kb.synth_presets.presets}
    for inst in kb.instruments:
        if inst.drum or inst.id in KIT_PIECES:
            continue
        for role in ("lead", "harmony", "bass"):
            assert resolve_preset(kb, inst, role=role) in ids, inst.id


def test_drum_instruments_choose_kits(kb: KnowledgeData) -> None:
    assert resolve_kit(kb, "tr808", "acoustic") == "tr808"
    assert resolve_kit(kb, "brushed_drums", "acoustic") == "brush"
    assert resolve_kit(kb, None, "lofi") == "lofi"
    assert resolve_kit(kb, None, "no_such_kit") == kb.synth_presets.kits[0].id


def test_mix_presets_follow_the_genre_tree(kb: KnowledgeData) -> None:
    assert kb.mix_presets.for_genres(["deep_house", "house", "edm", "electronic"]).id == "electronic"
    assert kb.mix_presets.for_genres(["no_such_genre"]).id == "default"
    lofi = kb.mix_presets.for_genres(["lofi_hip_hop", "hip_hop"])
    assert lofi.master.lowpass_hz is not None
    assert lofi.gains_db["bass"] == kb.mix_presets.for_genres([]).gains_db["bass"]  # merged from default
