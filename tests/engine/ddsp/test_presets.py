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
    assert resolve_kit(kb, [("tr808", True)], "acoustic") == ("tr808", "tr808")
    assert resolve_kit(kb, [("brushed_drums", True)], "acoustic") == ("brush", "brushed_drums")
    assert resolve_kit(kb, [], "lofi") == ("lofi", None)
    assert resolve_kit(kb, [("drum_kit", False)], "tr808") == ("tr808", None)  # a guessed kit follows the groove
    assert resolve_kit(kb, [], "no_such_kit") == (kb.synth_presets.kits[0].id, None)


@pytest.mark.parametrize(("groove_kit", "choices", "kit"), [
    # "live drums", "real drums", "drummer" (the parser's "Drum Kit") in a drum-machine groove: a drummer's kit
    ("lofi", [("drum_kit", True)], "lofi_live"), ("tr808", [("drum_kit", True)], "acoustic"),
    ("tr909", [("drum_kit", True)], "acoustic"), ("breaks", [("drum_kit", True)], "acoustic"),
    # a drum machine in a drummer's groove: the machine
    ("rock", [("drum_machine", True)], "tr909"), ("jazz", [("electronic_drums", True)], "tr909"),
    ("brush", [("drum_machine", True)], "tr909"),
    # the same words in a groove of that kind keep its kit (lo-fi's "drum machine", "lofi drums" are its own)
    ("lofi", [("drum_machine", True)], "lofi"), ("rock", [("drum_kit", True)], "rock"),
    ("tr909", [("electronic_drums", True)], "tr909"),
    # a stated "trap beat" (the groove's own 808) leaves the live drummer beside it to choose
    ("tr808", [("trap_drums", True), ("drum_kit", True)], "acoustic"),
    # kit pieces choose nothing: a house track's stated hi-hats and snare are the house kit's
    ("tr909", [("hi_hat", True), ("snare", True), ("kick", True)], "tr909"),
    ("lofi", [("hi_hat", True)], "lofi"),
])
def test_a_stated_kind_of_kit_chooses_the_kit(kb: KnowledgeBase, groove_kit: str, choices: list[tuple[str, bool]],
                                             kit: str) -> None:
    assert resolve_kit(kb, choices, groove_kit)[0] == kit


def test_a_live_kit_is_sampled_and_lo_fi_s_is_still_dusty(kb: KnowledgeBase) -> None:
    """The kits a stated live drummer moves a machine groove to are drummers' kits with sampled programs; lo-fi's
    keeps the lo-fi machine's low-pass, sampled or synthesised."""
    sound = kb.synth_presets
    for groove in ("lofi", "tr808", "tr909", "breaks"):
        live = sound.kind_kit(sound.kit(groove), "acoustic")
        assert live.kind == "acoustic" and sound.sampler.kits.get(live.id), groove
    lofi = sound.kit("lofi_live")
    assert all(0 < p.lowpass_hz <= 8000 for p in sound.sampler.kits["lofi_live"])
    assert lofi.voices["*"]["lowpass_hz"] == sound.kit("lofi").voices["*"]["lowpass_hz"]


def test_mix_presets_follow_the_genre_tree(kb: KnowledgeBase) -> None:
    assert kb.mix_presets.for_genres(["deep_house", "house", "edm", "electronic"]).id == "electronic"
    assert kb.mix_presets.for_genres(["no_such_genre"]).id == "default"
    lofi = kb.mix_presets.for_genres(["lofi_hip_hop", "hip_hop"])
    assert lofi.master.lowpass_hz is not None
    assert lofi.gains_db["bass"] == kb.mix_presets.for_genres([]).gains_db["bass"]  # merged from default


def test_drum_vocabulary_is_data(kb: KnowledgeBase) -> None:
    """Kit pieces, hand percussion, drum voices and texture layers live in the YAML, checked at load."""
    sound = kb.synth_presets
    assert {"drum_kit", "tr808", "beatbox", "brushed_drums", "hi_hat", "snare"} <= sound.kit_pieces()
    assert "congas" not in sound.kit_pieces()
    assert sound.kit_named("hi_hat") is None and sound.kit_named("drum_kit") == sound.kit("acoustic")
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
