"""The music knowledge base: YAML data in knowledge_base/, validated once into typed objects.

Why a schema: the KB is edited by people who add a genre or an instrument without touching code;
the schema (and the cross-reference checks below) turn a typo in a data file into a clear
``KnowledgeBaseError`` at load time instead of a wrong parse later.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from aurora.exceptions import KnowledgeBaseError

KB_DIR = Path(__file__).resolve().parent.parent / "knowledge_base"

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Role = Literal["rhythm", "bass", "harmony", "lead", "pad", "counter", "texture", "vocal", "percussion"]
Family = Literal[
    "keyboard", "strings", "brass", "woodwind", "guitar", "bass", "drums", "percussion", "synth",
    "vocal", "plucked", "mallet", "world", "fx",
]
Register = Literal["low", "mid", "high", "wide"]
ModeName = Literal[
    "major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian", "harmonic_minor",
    "blues", "pentatonic_major", "pentatonic_minor",
]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TempoRange(Entry):
    min: float = Field(ge=20, le=300)
    max: float = Field(ge=20, le=300)
    typical: float = Field(ge=20, le=300)

    @model_validator(mode="after")
    def _ordered(self) -> TempoRange:
        if not self.min <= self.typical <= self.max:
            raise ValueError(f"tempo range must satisfy min <= typical <= max: {self}")
        return self


class GenreInstrument(Entry):
    instrument: str
    role: Role


class Genre(Entry):
    id: str
    name: str
    parent: str | None = None
    aliases: list[str] = []
    tempo_bpm: TempoRange
    meters: list[str] = Field(min_length=1)
    swing: Unit = 0.0
    energy: Unit
    modes: list[ModeName] = Field(min_length=1)
    keys: list[str] = []
    instruments: list[GenreInstrument] = Field(min_length=2)
    structures: list[str] = Field(min_length=1)
    progressions: list[list[str]] = Field(min_length=1, description="Roman numerals, e.g. [i, VI, III, VII]")
    moods: list[str] = []
    anchors: list[str] = Field(min_length=1, description="Descriptive phrases for embedding similarity")
    audioset: list[str] = []


class Instrument(Entry):
    id: str
    name: str
    family: Family
    roles: list[Role] = Field(min_length=1)
    pitch_register: Register = Field(alias="register")
    gm_program: int | None = Field(default=None, ge=0, le=127)
    drum: bool = False
    aliases: list[str] = []
    audioset: list[str] = []


class Mood(Entry):
    id: str
    name: str
    aliases: list[str] = []
    valence: float = Field(ge=-1.0, le=1.0)
    arousal: Unit
    mode: Literal["major", "minor", "any"]
    tempo_shift_bpm: float = Field(ge=-60, le=60)
    energy: Unit
    articulation: Literal["legato", "staccato", "mixed", "accented", "sustained"]
    anchors: list[str] = Field(min_length=1)
    audioset: list[str] = []


class StructureSection(Entry):
    name: str
    ratio: float = Field(gt=0.0, le=1.0)
    energy: Unit
    description: str


class StructureTransition(Entry):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    type: Literal["build", "drop", "fade", "cut", "fill", "none"]


class Structure(Entry):
    id: str
    name: str
    aliases: list[str] = []
    sections: list[StructureSection] = Field(min_length=1)
    transitions: list[StructureTransition] = []
    short_form: list[str] = Field(
        default_factory=list, description="Section names kept when the duration is too short"
    )
    loopable: bool = False
    description: str = ""
    cues: list[str] = Field(default_factory=list, description="Words that suggest this form ('drop', 'chorus')")

    @model_validator(mode="after")
    def _ratios(self) -> Structure:
        total = sum(s.ratio for s in self.sections)
        if abs(total - 1.0) > 0.02:
            raise ValueError(f"structure {self.id}: section ratios sum to {total:.3f}, not 1")
        names = {s.name for s in self.sections}
        for t in self.transitions:
            if t.from_ not in names or t.to not in names:
                raise ValueError(f"structure {self.id}: transition names unknown section {t}")
        return self


class Artist(Entry):
    name: str
    aliases: list[str] = []
    genre: str
    sub_genre: str | None = None
    tempo_bpm: float = Field(ge=20, le=300)
    instruments: list[str] = Field(min_length=1)
    moods: list[str] = Field(min_length=1)
    era: str
    mode: Literal["major", "minor", "any"] = "any"


class TempoTerm(Entry):
    term: str
    aliases: list[str] = []
    min_bpm: float = Field(ge=20, le=300)
    max_bpm: float = Field(ge=20, le=300)
    typical_bpm: float = Field(ge=20, le=300)
    italian: bool = False


class Texture(Entry):
    id: str
    name: str
    aliases: list[str] = []


class Chords(Entry):
    qualities: dict[str, list[int]] = Field(description="Chord suffix -> semitone intervals")
    mode_intervals: dict[str, list[int]] = Field(description="Mode -> scale degrees in semitones")
    default_progressions: dict[str, list[list[str]]] = Field(description="Mode -> roman progressions")


class EmbeddingBlock(Entry):
    name: Literal["genre", "tempo", "mood", "instrumentation", "structure", "energy"]
    dims: int = Field(ge=1)


class EmbeddingLayout(Entry):
    version: str
    blocks: list[EmbeddingBlock]

    @model_validator(mode="after")
    def _total(self) -> EmbeddingLayout:
        if sum(b.dims for b in self.blocks) != 640:
            raise ValueError("control embedding blocks must add up to 640 dims")
        return self

    def offset(self, name: str) -> tuple[int, int]:
        start = 0
        for block in self.blocks:
            if block.name == name:
                return start, start + block.dims
            start += block.dims
        raise KeyError(name)


class KnowledgeBase(Entry):
    genres: list[Genre] = Field(min_length=80)
    instruments: list[Instrument] = Field(min_length=100)
    moods: list[Mood] = Field(min_length=80)
    structures: list[Structure] = Field(min_length=6)
    artists: list[Artist] = Field(min_length=60)
    tempo_terms: list[TempoTerm] = Field(min_length=10)
    textures: list[Texture] = []
    chords: Chords
    abbreviations: dict[str, str]
    misspellings: dict[str, str]
    control_embedding: EmbeddingLayout

    @model_validator(mode="after")
    def _cross_references(self) -> KnowledgeBase:
        problems: list[str] = []
        for kind, items in (("genre", self.genres), ("instrument", self.instruments),
                            ("mood", self.moods), ("structure", self.structures)):
            ids = [i.id for i in items]  # type: ignore[attr-defined]
            dupes = {i for i in ids if ids.count(i) > 1}
            if dupes:
                problems.append(f"duplicate {kind} ids: {sorted(dupes)}")
        genre_ids = {g.id for g in self.genres}
        instrument_ids = {i.id for i in self.instruments}
        mood_ids = {m.id for m in self.moods}
        structure_ids = {s.id for s in self.structures}
        for g in self.genres:
            if g.parent is not None and g.parent not in genre_ids:
                problems.append(f"genre {g.id}: unknown parent {g.parent}")
            problems += [f"genre {g.id}: unknown instrument {i.instrument}"
                         for i in g.instruments if i.instrument not in instrument_ids]
            problems += [f"genre {g.id}: unknown structure {s}" for s in g.structures if s not in structure_ids]
            problems += [f"genre {g.id}: unknown mood {m}" for m in g.moods if m not in mood_ids]
            problems += [f"genre {g.id}: bad meter {m}" for m in g.meters if not re.fullmatch(r"\d{1,2}/\d{1,2}", m)]
        for a in self.artists:
            if a.genre not in genre_ids or (a.sub_genre and a.sub_genre not in genre_ids):
                problems.append(f"artist {a.name}: unknown genre {a.genre}/{a.sub_genre}")
            problems += [f"artist {a.name}: unknown instrument {i}" for i in a.instruments if i not in instrument_ids]
            problems += [f"artist {a.name}: unknown mood {m}" for m in a.moods if m not in mood_ids]
        if len(self.genres) > self.control_embedding.blocks[0].dims:
            problems.append("more genres than genre-embedding slots")
        if len(self.instruments) > 256:
            problems.append("more instruments than instrumentation-embedding slots")
        if problems:
            raise ValueError("; ".join(problems[:20]))
        return self

    # -- lookups ----------------------------------------------------------------------------
    _by_id: dict[str, dict[str, Entry]] = PrivateAttr(default_factory=dict)
    _by_name: dict[str, dict[str, Entry]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        for kind in ("genres", "instruments", "moods", "structures"):
            items: list[Entry] = getattr(self, kind)
            self._by_id[kind] = {i.id: i for i in items}  # type: ignore[attr-defined]
            names: dict[str, Entry] = {}
            for item in items:
                for name in (item.id, item.name, *item.aliases):  # type: ignore[attr-defined]
                    names.setdefault(normalise_name(name), item)
            self._by_name[kind] = names

    def genre(self, genre_id: str) -> Genre:
        return self._by_id["genres"][genre_id]  # type: ignore[return-value]

    def instrument(self, instrument_id: str) -> Instrument:
        return self._by_id["instruments"][instrument_id]  # type: ignore[return-value]

    def mood(self, mood_id: str) -> Mood:
        return self._by_id["moods"][mood_id]  # type: ignore[return-value]

    def structure(self, structure_id: str) -> Structure:
        return self._by_id["structures"][structure_id]  # type: ignore[return-value]

    def find_genre(self, name: str) -> Genre | None:
        """Genre by id, name or alias (case-, space- and hyphen-insensitive)."""
        return self._by_name["genres"].get(normalise_name(name))  # type: ignore[return-value]

    def find_instrument(self, name: str) -> Instrument | None:
        return self._by_name["instruments"].get(normalise_name(name))  # type: ignore[return-value]

    def find_mood(self, name: str) -> Mood | None:
        return self._by_name["moods"].get(normalise_name(name))  # type: ignore[return-value]

    def find_structure(self, name: str) -> Structure | None:
        return self._by_name["structures"].get(normalise_name(name))  # type: ignore[return-value]

    def root_genre(self, genre_id: str) -> Genre:
        genre = self.genre(genre_id)
        while genre.parent is not None:
            genre = self.genre(genre.parent)
        return genre


def normalise_name(text: str) -> str:
    """Key for name lookups: lower case, '-', '_' and runs of spaces folded to one space."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


_FILES = {
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
}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster cold start


def read_yaml(path: Path) -> Any:
    """Safe-load a YAML file with libyaml when present (same results, a tenth of the time)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


def load_knowledge_base(directory: Path | None = None) -> KnowledgeBase:
    """Load and validate every KB file; cached per directory (the KB is read-only at run time)."""
    return _load(str((directory or KB_DIR).resolve()))


@functools.cache
def _load(directory: str) -> KnowledgeBase:
    data: dict[str, object] = {}
    for key, filename in _FILES.items():
        path = Path(directory) / filename
        try:
            data[key] = read_yaml(path)
        except FileNotFoundError as exc:
            raise KnowledgeBaseError(f"knowledge base file missing: {path}") from exc
        except yaml.YAMLError as exc:
            raise KnowledgeBaseError(f"knowledge base file {path} is not valid YAML: {exc}") from exc
    try:
        return KnowledgeBase.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"knowledge base in {directory} is invalid:\n{exc}") from exc
