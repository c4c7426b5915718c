"""A form's cue words are read only in its genre families (structures.yaml ``cue_genres``): a family the genres do
not hold is a typo the loader reports, not a cue that silently never counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import knowledge_base
from knowledge_base import DEFAULT_DIR, KnowledgeBase, KnowledgeBaseError
from knowledge_base.loader import read_yaml


def test_club_and_jazz_cues_name_their_families(kb: KnowledgeBase) -> None:
    assert kb.structure("edm_build_drop").cue_genres == ["electronic"]
    assert kb.structure("jazz_head_solos_head").cue_genres == ["jazz"]
    assert not kb.structure("verse_chorus").cue_genres  # "chorus" is every song's word


def test_an_unknown_cue_genre_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    structures = read_yaml(broken / "structures.yaml")
    structures[0]["cue_genres"] = ["no_such_family"]
    (broken / "structures.yaml").write_text(yaml.safe_dump(structures))
    with pytest.raises(KnowledgeBaseError, match="no_such_family"):
        knowledge_base.load(broken)
