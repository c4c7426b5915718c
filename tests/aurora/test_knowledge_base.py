"""Every knowledge_base/ file loads and validates; sizes meet the issue's minimums; a broken file
gives a clear KnowledgeBaseError, not a traceback from deep inside the parser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from aurora.exceptions import KnowledgeBaseError
from aurora.knowledge import KB_DIR, KnowledgeBase, load_knowledge_base


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


def test_lookups_by_alias(kb: KnowledgeBase) -> None:
    assert kb.find_instrument("Rhodes") is not None
    assert kb.find_genre("lo-fi hip hop") is not None
    assert kb.find_mood("melancholic") is not None


def test_missing_reference_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(KB_DIR, broken)
    genres = yaml.safe_load((broken / "genres.yaml").read_text())
    genres[0]["instruments"][0]["instrument"] = "no_such_instrument"
    (broken / "genres.yaml").write_text(yaml.safe_dump(genres))
    with pytest.raises(KnowledgeBaseError, match="no_such_instrument"):
        load_knowledge_base(broken)


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(KB_DIR, broken)
    (broken / "moods.yaml").write_text("- {unclosed: [")
    with pytest.raises(KnowledgeBaseError, match="not valid YAML"):
        load_knowledge_base(broken)
