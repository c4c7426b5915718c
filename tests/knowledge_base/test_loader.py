"""Every knowledge_base/ file loads and validates; sizes meet the issue's minimums; a broken file
gives a clear KnowledgeBaseError, not a traceback from deep inside the parser; one folder variable
(SOUNDSTAR_KB_DIR) moves both layers at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import knowledge_base
from knowledge_base import DEFAULT_DIR, KnowledgeBase, KnowledgeBaseError
from knowledge_base.loader import read_yaml
from knowledge_base.theory import key_of, roman_to_chord


def test_sizes(kb: KnowledgeBase) -> None:
    assert len(kb.genres) >= 80
    assert len(kb.instruments) >= 100
    assert len(kb.moods) >= 80
    assert len(kb.artists) >= 60
    assert {"verse_chorus", "aaba", "twelve_bar_blues", "edm_build_drop", "through_composed", "rondo",
            "loop_based"} <= {s.id for s in kb.structures}
    assert any(g.parent for g in kb.genres), "taxonomy must be hierarchical"
    assert len(kb.abbreviations) >= 20 and len(kb.misspellings) >= 40


def test_every_genre_is_usable(kb: KnowledgeBase) -> None:
    for genre in kb.genres:
        assert genre.tempo_bpm.min <= genre.tempo_bpm.typical <= genre.tempo_bpm.max
        assert genre.anchors and all(len(a.split()) >= 4 for a in genre.anchors), genre.id
        assert kb.find_genre(genre.name) is not None


def test_every_progression_is_written_in_roman_numerals(kb: KnowledgeBase) -> None:
    """Genres' and moods' progressions are read by the planner: a numeral it cannot read would raise mid-plan. A
    mood's colour names numerals its own progressions play (the planner looks for them in the genre's)."""
    c_minor = key_of(0, "minor", kb.chords)
    for entry, progressions in [(g.id, g.progressions) for g in kb.genres] + [(m.id, m.progressions) for m in kb.moods]:
        for progression in progressions:
            assert all(roman_to_chord(n, c_minor, kb.chords) for n in progression), entry
    for mood in kb.moods:
        assert bool(mood.progressions) == bool(mood.colour), mood.id
        played = {n for p in mood.progressions for n in p}
        assert set(mood.colour) <= played, mood.id


def test_lookups_by_alias(kb: KnowledgeBase) -> None:
    assert kb.find_instrument("Rhodes") is not None
    assert kb.find_genre("lo-fi hip hop") is not None
    assert kb.find_mood("melancholic") is not None


def test_missing_reference_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    genres = read_yaml(broken / "genres.yaml")
    genres[0]["instruments"][0]["instrument"] = "no_such_instrument"
    (broken / "genres.yaml").write_text(yaml.safe_dump(genres))
    with pytest.raises(KnowledgeBaseError, match="no_such_instrument"):
        knowledge_base.load(broken)


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "moods.yaml").write_text("- {unclosed: [")
    with pytest.raises(KnowledgeBaseError, match="not valid YAML"):
        knowledge_base.load(broken)


def test_defaults_and_moderation_are_validated(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "moderation.yaml").write_text("blocked_terms: [x]\ninjection_patterns: ['(unclosed']\n")
    with pytest.raises(KnowledgeBaseError, match="not a valid regex"):
        knowledge_base.load(broken)
    (broken / "moderation.yaml").write_text((DEFAULT_DIR / "moderation.yaml").read_text())
    defaults = read_yaml(broken / "defaults.yaml")
    defaults["structure"] = "no_such_form"
    (broken / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    with pytest.raises(KnowledgeBaseError, match="no_such_form"):
        knowledge_base.load(broken)


def test_the_folder_variable_is_read_by_both_layers(tmp_path: Path) -> None:
    from aurora import AuroraConfig
    from engine import EngineConfig

    env = {knowledge_base.KB_DIR_ENV: str(tmp_path)}
    assert AuroraConfig.from_env(env).knowledge_base_dir == tmp_path
    assert EngineConfig.from_env(env).knowledge_dir == tmp_path
    assert knowledge_base.directory_from_env({}) == DEFAULT_DIR
