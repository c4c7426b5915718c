"""EngineConfig.from_env owns every SOUNDSTAR_* variable the engine reads; no other module reads the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from engine import Engine, EngineConfig
from engine.facade import ENV_VARS

ROOT = Path(__file__).resolve().parents[2]


def test_from_env_reads_every_variable() -> None:
    config = EngineConfig.from_env({
        "SOUNDSTAR_KB_DIR": "/kb", "SOUNDSTAR_RAVE_MODEL": "/models/rave.ts", "SOUNDSTAR_RAVE_STEMS": " lead, pad ,",
        "SOUNDSTAR_RAVE_BLEND": "0.25", "SOUNDSTAR_SAMPLER": "off", "SOUNDSTAR_SOUNDFONT": "/sf/gm.sf2",
        "SOUNDSTAR_PORT": "9000", "PATH": "/usr/bin",  # not the engine's: ignored
    })
    assert config.knowledge_dir == Path("/kb")
    assert config.rave_model_path == Path("/models/rave.ts")
    assert config.rave_stems == ("lead", "pad")
    assert config.rave_blend == 0.25
    assert config.sampler == "off"
    assert config.soundfont_path == Path("/sf/gm.sf2")


def test_unset_or_empty_variables_keep_the_defaults() -> None:
    assert EngineConfig.from_env({}) == EngineConfig()
    assert EngineConfig.from_env({name: " " for name in ENV_VARS}) == EngineConfig()


def test_bad_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        EngineConfig.from_env({"SOUNDSTAR_SAMPLER": "sometimes"})
    with pytest.raises(ValidationError):
        EngineConfig.from_env({"SOUNDSTAR_RAVE_BLEND": "2"})


def test_engine_without_config_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTAR_RAVE_STEMS", "pad")
    assert Engine(device="cpu").config.rave_stems == ("pad",)
    assert Engine(device="cpu", config=EngineConfig()).config.rave_stems == ("lead",)


def test_only_from_env_reads_the_environment() -> None:
    readers = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "engine").rglob("*.py"))
               if re.search(r"os\.environ|getenv", p.read_text(encoding="utf-8"))]
    assert readers == ["engine/facade.py"]


def test_readme_lists_every_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in ENV_VARS if f"`{name}`" not in readme] == []
