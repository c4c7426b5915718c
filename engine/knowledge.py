"""A small typed loader for the knowledge-base files the engine reads.

Why not aurora's loader: the engine must not import aurora, and it needs only a slice of the KB
(instrument slots, genre defaults, chord vocabulary) plus its own data files (grooves, synth and
mix presets). Unknown fields are ignored so the KB can grow without touching the engine.
Loaded once per directory and cached; nothing is read at import time.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.ddsp.presets import SynthPresets
from engine.exceptions import EngineKnowledgeError
from engine.mix_presets import MixPresets

DEFAULT_KB_DIR = Path(__file__).resolve().parent.parent / "knowledge_base"
KB_DIR_ENV = "SOUNDSTAR_KB_DIR"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class InstrumentInfo(_Entry):
    id: str
    name: str
    family: str
    roles: list[str] = Field(min_length=1)
    register_: str = Field(default="mid", alias="register")
    gm_program: int | None = Field(default=None, ge=0, le=127)
    drum: bool = False
    aliases: list[str] = Field(default_factory=list)


class GenreInstrumentInfo(_Entry):
    instrument: str
    role: str


class TempoRangeInfo(_Entry):
    min: float
    max: float
    typical: float


class GenreInfo(_Entry):
    id: str
    name: str
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    tempo_bpm: TempoRangeInfo | None = None
    meters: list[str] = Field(default_factory=lambda: ["4/4"])
    swing: float = Field(default=0.0, ge=0.0, le=1.0)
    energy: float = Field(default=0.5, ge=0.0, le=1.0)
    modes: list[str] = Field(default_factory=lambda: ["major"])
    instruments: list[GenreInstrumentInfo] = Field(default_factory=list)


class NamedInfo(_Entry):
    id: str
    name: str = ""
    aliases: list[str] = Field(default_factory=list)


class ChordsInfo(_Entry):
    qualities: dict[str, list[int]]
    mode_intervals: dict[str, list[int]]


class EmbeddingBlockInfo(_Entry):
    name: str
    dims: int = Field(ge=1)


class EmbeddingLayoutInfo(_Entry):
    version: str
    blocks: list[EmbeddingBlockInfo]

    def span(self, name: str) -> tuple[int, int]:
        start = 0
        for block in self.blocks:
            if block.name == name:
                return start, start + block.dims
            start += block.dims
        raise EngineKnowledgeError(f"control embedding layout has no block {name!r}")


# ---------------------------------------------------------------- engine data files
class CompingInfo(_Entry):
    style: str = "block"  # block | strum | arpeggio | stabs
    pattern: str = ""  # step grid; "" = one sustained chord per bar


class GrooveInfo(_Entry):
    """Drum patterns and accompaniment styles for some genres in some meters.

    Patterns are step grids of sixteenth notes, one character per step:
    ``X`` accent, ``x`` normal hit, ``o`` ghost note, ``-`` hold (comping), ``.`` rest.
    """

    id: str
    genres: list[str] = Field(default_factory=list)  # empty: generic for its meters
    meters: list[str] = Field(min_length=1)
    kit: str = "acoustic"
    bass: str = "root_eighths"
    comping: CompingInfo = Field(default_factory=CompingInfo)
    arp: str = ""
    swing: float | None = Field(default=None, ge=0.0, le=1.0)
    humanize_ms: float = Field(default=6.0, ge=0.0, le=40.0)
    levels: dict[str, dict[str, str]]
    fill: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _grids(self) -> GrooveInfo:
        for level in ("low", "mid", "high"):
            if level not in self.levels:
                raise ValueError(f"groove {self.id}: missing level {level!r}")
        for level, voices in {**self.levels, "fill": self.fill}.items():
            lengths = {len(p) for p in voices.values()}
            if len(lengths) > 1:
                raise ValueError(f"groove {self.id}/{level}: patterns differ in length {sorted(lengths)}")
            bad = [p for p in voices.values() if re.search(r"[^Xxo.\-]", p)]
            if bad:
                raise ValueError(f"groove {self.id}/{level}: bad characters in {bad[0]!r}")
        return self


class KnowledgeData(_Entry):
    """Everything the engine reads from knowledge_base/, validated."""

    instruments: list[InstrumentInfo] = Field(min_length=1)
    genres: list[GenreInfo] = Field(default_factory=list)
    structures: list[NamedInfo] = Field(default_factory=list)
    textures: list[NamedInfo] = Field(default_factory=list)
    chords: ChordsInfo
    layout: EmbeddingLayoutInfo
    grooves: list[GrooveInfo] = Field(min_length=1)
    synth_presets: SynthPresets
    mix_presets: MixPresets

    def instrument(self, instrument_id: str) -> InstrumentInfo | None:
        return _index(self.instruments).get(instrument_id)

    def genre(self, genre_id: str | None) -> GenreInfo | None:
        if not genre_id:
            return None
        by_id = _index(self.genres)
        found = by_id.get(genre_id)
        if found is not None:
            return found
        key = normalise_name(genre_id)
        return next((g for g in self.genres
                     if key in {normalise_name(n) for n in (g.id, g.name, *g.aliases)}), None)

    def genre_lineage(self, genre_id: str | None) -> list[GenreInfo]:
        """The genre and its ancestors, nearest first."""
        out: list[GenreInfo] = []
        genre = self.genre(genre_id)
        while genre is not None and genre not in out:
            out.append(genre)
            genre = self.genre(genre.parent) if genre.parent else None
        return out

    def find_instrument(self, name: str) -> InstrumentInfo | None:
        key = normalise_name(name)
        for inst in self.instruments:
            if key in {normalise_name(n) for n in (inst.id, inst.name, *inst.aliases)}:
                return inst
        return None


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _index(items: list[_T]) -> dict[str, _T]:
    return {item.id: item for item in items}


def normalise_name(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


_REQUIRED = {
    "instruments": "instruments.yaml",
    "chords": "chords.yaml",
    "layout": "control_embedding.yaml",
    "grooves": "grooves.yaml",
    "synth_presets": "synth_presets.yaml",
    "mix_presets": "mix_presets.yaml",
}
# Read when present: the engine still renders (with generic defaults) while they are being written.
_OPTIONAL = {"genres": "genres.yaml", "structures": "structures.yaml", "textures": "textures.yaml"}


def kb_dir(directory: Path | None = None) -> Path:
    if directory is not None:
        return directory
    return Path(os.environ[KB_DIR_ENV]) if os.environ.get(KB_DIR_ENV) else DEFAULT_KB_DIR


def load_knowledge(directory: Path | None = None) -> KnowledgeData:
    """Load and validate the engine's slice of the KB; cached per directory."""
    return _load(str(kb_dir(directory).resolve()))


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise EngineKnowledgeError(f"knowledge base file {path} is not valid YAML: {exc}") from exc


@functools.cache
def _load(directory: str) -> KnowledgeData:
    root = Path(directory)
    data: dict[str, Any] = {}
    for key, filename in _REQUIRED.items():
        path = root / filename
        if not path.is_file():
            raise EngineKnowledgeError(f"knowledge base file missing: {path}")
        data[key] = _read(path)
    for key, filename in _OPTIONAL.items():
        path = root / filename
        if path.is_file():
            data[key] = _read(path) or []
    data["grooves"] = (data["grooves"] or {}).get("grooves", [])
    try:
        return KnowledgeData.model_validate(data)
    except ValidationError as exc:
        raise EngineKnowledgeError(f"knowledge base in {directory} is invalid for the engine:\n{exc}") from exc
