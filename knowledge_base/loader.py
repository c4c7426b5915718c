"""The one place YAML is read: ``load(directory)`` validates every file into a ``KnowledgeBase``.

Cached per resolved directory (the KB is read-only at run time). The folder is chosen once, by the
caller's config (``SOUNDSTAR_KB_DIR`` via ``directory_from_env``), so Aurora's encoder and the engine's
decoder can never read two different genre or instrument lists.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.schema import KnowledgeBase

DEFAULT_DIR = Path(__file__).resolve().parent
KB_DIR_ENV = "SOUNDSTAR_KB_DIR"

FILES = {
    "genres": "genres.yaml",
    "instruments": "instruments.yaml",
    "moods": "moods.yaml",
    "structures": "structures.yaml",
    "artists": "artists.yaml",
    "tempo_terms": "tempo_terms.yaml",
    "textures": "textures.yaml",
    "chords": "chords.yaml",
    "abbreviations": "abbreviations.yaml",
    "misspellings": "misspellings.yaml",
    "control_embedding": "control_embedding.yaml",
    "defaults": "defaults.yaml",
    "moderation": "moderation.yaml",
    "grooves": "grooves.yaml",
    "riffs": "grooves.yaml",
    "synth_presets": "synth_presets.yaml",
    "mix_presets": "mix_presets.yaml",
    "feels": "feels.yaml",
    "ensembles": "ensembles.yaml",
}
OPTIONAL = frozenset({"feels", "ensembles"})  # a knowledge-base folder made before these files existed still loads
_UNWRAP = {"grooves": "grooves", "riffs": "riffs"}  # files whose list sits under a top-level key
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster cold start


def directory_from_env(env: Mapping[str, str] | None = None) -> Path:
    """The KB folder named by ``SOUNDSTAR_KB_DIR``, else the packaged one. Both layers' configs call this."""
    value = (os.environ if env is None else env).get(KB_DIR_ENV, "").strip()
    return Path(value) if value else DEFAULT_DIR


def load(directory: Path | str | None = None) -> KnowledgeBase:
    """Load and validate every KB file; cached per directory. Raises KnowledgeBaseError."""
    return _load(str(Path(directory or DEFAULT_DIR).resolve()))


def read_yaml(path: Path) -> Any:
    """Safe-load one YAML file (libyaml when present)."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"knowledge base file missing: {path}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"knowledge base file {path} is not valid YAML: {exc}") from exc


def parse_yaml(text: str) -> Any:
    """Safe-load YAML text (also used for the Appendix A config file). Raises ValueError when malformed."""
    try:
        return yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from exc


@functools.cache
def _load(directory: str) -> KnowledgeBase:
    root = Path(directory)
    if not root.is_dir():
        raise KnowledgeBaseError(f"knowledge base folder not found: {root}")
    data: dict[str, Any] = {}
    read: dict[str, Any] = {}  # grooves.yaml holds two lists (grooves, riffs): read once
    for key, filename in FILES.items():
        if key in OPTIONAL and not (root / filename).is_file():
            continue
        if filename not in read:
            read[filename] = read_yaml(root / filename)
        raw = read[filename]
        if key in _UNWRAP and isinstance(raw, dict):
            raw = raw.get(_UNWRAP[key])
            if raw is None and key == "riffs":  # a grooves.yaml without riffs: no genre plays one
                continue
        data[key] = raw
    try:
        return KnowledgeBase.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"knowledge base in {directory} is invalid:\n{exc}") from exc
