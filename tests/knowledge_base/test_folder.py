"""One folder for both layers: pointing SOUNDSTAR_KB_DIR at a copied knowledge base with a genre added
makes Aurora parse it and the engine compose it, with no code change (the 129th genre has no slot of
its own in the 128-d genre block and shares its parent's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

import knowledge_base
from aurora import Aurora, AuroraConfig
from engine import Engine, EngineConfig
from knowledge_base import DEFAULT_DIR, layout
from knowledge_base.loader import read_yaml

NEW_GENRE = {
    "id": "velvet_house", "name": "Velvet House", "parent": "house", "aliases": ["velvethouse"],
    "tempo_bpm": {"min": 118, "max": 124, "typical": 121}, "meters": ["4/4"], "swing": 0.1, "energy": 0.6,
    "modes": ["minor"], "keys": ["F minor"],
    "instruments": [{"instrument": "kick", "role": "rhythm"}, {"instrument": "rhodes", "role": "harmony"},
                    {"instrument": "synth_bass", "role": "bass"}],
    "structures": ["loop_based"], "progressions": [["i", "iv"]], "moods": ["groovy"],
    "anchors": ["A soft velvet house groove with warm rhodes chords over a steady kick."],
}


def test_a_genre_added_to_a_copied_folder_reaches_both_layers(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    genres = read_yaml(folder / "genres.yaml")
    (folder / "genres.yaml").write_text(yaml.safe_dump([*genres, NEW_GENRE], sort_keys=False))
    env = {knowledge_base.KB_DIR_ENV: str(folder)}

    aurora = Aurora(config=AuroraConfig.from_env(env).model_copy(update={"implementations": ("rule_based",
                                                                                             "defaults")}))
    engine = Engine(device="cpu", config=EngineConfig.from_env(env))
    assert engine.knowledge.find_genre("velvet house") is not None
    assert knowledge_base.load().find_genre("velvet house") is None, "the packaged folder is untouched"

    result = aurora.process(prompt="a velvet house track with rhodes", duration_s=8)
    parsed = result.parse.parsed_parameters
    found = [engine.knowledge.find_genre(v) for v in (parsed.genre.value, parsed.sub_genre.value)]
    assert "velvet_house" in {g.id for g in found if g is not None}
    vector = result.parse.control_encoder_params.unified_control_embedding  # type: ignore[union-attr]
    decoded_genre = layout.decode(engine.knowledge, vector).genre
    assert decoded_genre is not None and decoded_genre in {g.id for g in engine.knowledge.genre_lineage("velvet_house")}
    render = engine.render(plan=result.plan.structural_plan.model_dump(by_alias=True),
                           parameters=parsed.model_dump(by_alias=True), control_embedding=vector, duration_s=8.0)
    assert render.score.genre_id == "velvet_house"
