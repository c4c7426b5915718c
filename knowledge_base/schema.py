"""Pydantic models for every file in knowledge_base/: the one schema both layers read.

Why strict (``extra="forbid"``): the KB is edited by people who add a genre, a groove or an instrument
without touching code; the schema and the cross-reference checks turn a typo into a clear
``KnowledgeBaseError`` at load time instead of a wrong parse or a silent voice later.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from knowledge_base.sound import Groove, MixPresets, RiffSet, SynthPresets, TextureLayer

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
    adjectives: list[str] = Field(
        default=[], description="Adjectives made of the genre's name ('jazzy', 'funky') and other weak namings (a "
                                "film 'cue'): before another genre's noun they flavour it ('jazzy hip hop' is hip "
                                "hop), alone they name this genre")
    head_words: list[str] = Field(
        default=[], description="Words that name this family as the thing a prompt asks for when it names no genre: "
                                "'a chill beat' is a hip hop instrumental ('beat'), not the default pop; a drum beat "
                                "or a refused one ('no beat') names nothing")
    tempo_bpm: TempoRange
    meters: list[str] = Field(min_length=1)
    swing: Unit = 0.0
    energy: Unit
    modes: list[ModeName] = Field(min_length=1)
    keys: list[str] = []
    instruments: list[GenreInstrument] = Field(min_length=2)
    structures: list[str] = Field(min_length=1)
    progressions: list[list[str]] = Field(min_length=1, description="Roman numerals, e.g. [i, VI, III, VII]")
    own_lineup: bool = Field(
        default=False, description="The line-up is the genre's own, none of its ancestors' instruments join it (a "
                                   "bluegrass band has no drum kit and no electric guitar though country has both)")
    named_only: bool = Field(
        default=False, description="A style known by its place or occasion (K-pop, schlager, Christmas): the words of "
                                   "a prompt name it, its moods and tempo never guess it ('energetic workout music' "
                                   "is no K-pop, a slow sad pop song no Christmas song)")
    harmonic_rhythm_beats: int | None = Field(
        default=None, ge=1, le=8,
        description="Beats per chord where the genre changes chords within the bar (2: two chords a 4/4 bar, as "
                    "in jazz and bossa nova); unset: inherited from the parent genre, else one chord a bar")
    moods: list[str] = []
    anchors: list[str] = Field(min_length=1, description="Descriptive phrases for embedding similarity")
    audioset: list[str] = []


class Feel(Entry):
    """A word that says how the music moves (waltz, ballad, swing), applied within the genre (feels.yaml)."""

    id: str
    name: str
    aliases: list[str] = []
    meter: str | None = None
    tempo_bpm: TempoRange | None = None
    swing: Unit | None = None
    genre: str | None = Field(default=None, description="The genre the word names when the prompt names no other")


class EnsemblePart(Entry):
    instrument: str
    role: Role


class Ensemble(Entry):
    """A named band or chamber group (ensembles.yaml): its line-up is closed. "A jazz trio" is piano, double bass
    and drums, and nothing the genre would add; a word naming it ("string quartet") also names its genre when
    the prompt names none. Entries sharing an alias ("piano trio") are told apart by the prompt's genre."""

    id: str
    name: str
    aliases: list[str] = []
    genre: str | None = Field(default=None, description="The genre the ensemble plays when the prompt names none; "
                              "also what tells entries sharing an alias apart (a jazz piano trio vs a classical one)")
    parts: list[EnsemblePart] = Field(default_factory=list, description="Every player, in order: the instrument and "
                                      "its role; none for a generic closed line-up (the instruments the prompt names)")
    size: int | None = Field(default=None, ge=1, le=12, description="Players in a generic line-up ('a trio of piano, "
                             "bass and drums'): it closes when the prompt names that many instruments")
    section: str | None = Field(default=None, description=(
        "The section instrument this ensemble's players are: a closed line-up of that instrument alone ('waltz for "
        "strings', 'strings only') is this ensemble, with a bass line and inner parts, not one string pad and a "
        "melody"))


class Instrument(Entry):
    id: str
    name: str
    family: Family
    roles: list[Role] = Field(min_length=1)
    pitch_register: Register = Field(alias="register")
    gm_program: int | None = Field(default=None, ge=0, le=127)
    drum: bool = False
    idiom: Literal["line", "rolls", "slides"] = Field(default="line", description=(
        "How it plays a melodic part: a line; rolls (a five-string banjo picks three-finger rolls around the "
        "tune and never holds a note; engine/structure/rolls.py); or slides (a slide, lap or pedal steel guitar "
        "glides between notes and into them, with the bar's vibrato; engine/voices/slides.py)"))
    unplugged: str | None = Field(default=None, description=(
        "What an acoustic (unplugged) version plays in its place: an instrument id, or 'none' for nobody"))
    solo_genre: str | None = None  # the genre of a piece for it alone, where none is named ("solo guitar": folk)
    aliases: list[str] = []
    part_aliases: list[str] = Field(default=[], description=(
        "Aliases (also listed in aliases) that name a part a player plays, not this instrument: a walking bass or a "
        "bass line in bebop is the upright, in house the synth bass. They mean the genre's own instrument of the "
        "kind their last kind word names (knowledge_base.instrument_kinds)"))
    audioset: list[str] = []

    @model_validator(mode="after")
    def _part_aliases_are_aliases(self) -> Instrument:
        missing = [p for p in self.part_aliases if p not in self.aliases]
        if missing:
            raise ValueError(f"{self.id}: part_aliases must also be aliases (the parser finds them there): {missing}")
        return self


class Mood(Entry):
    id: str
    name: str
    aliases: list[str] = []
    valence: float = Field(ge=-1.0, le=1.0)
    arousal: Unit
    mode: Literal["major", "minor", "any"]
    tempo_shift_bpm: float = Field(ge=-60, le=60)
    tempo_position: float | None = Field(
        default=None, ge=-1.0, le=1.0,
        description="Where a stated mood puts the tempo in the genre's range: -1 its slowest, 0 typical, 1 fastest")
    energy: Unit
    articulation: Literal["legato", "staccato", "mixed", "accented", "sustained"]
    anchors: list[str] = Field(min_length=1)
    audioset: list[str] = []
    progressions: list[list[str]] = Field(
        default=[], description="Harmony the mood asks for when the genre has none of its colour (roman numerals, "
                                "as genres list them): a horror cue's Phrygian half-step, i bII")
    colour: list[str] = Field(
        default=[], description="Numerals (no suffix) that carry the mood's harmony: a genre progression holding one "
                                "already plays the mood (trap's i bII is menacing as written)")


class StructureSection(Entry):
    name: str
    ratio: float = Field(gt=0.0, le=1.0)
    energy: Unit
    description: str


class StructureTransition(Entry):
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
    progression: list[str] = Field(default_factory=list, description=(
        "The changes the form is made of (a 12-bar blues is its chorus of I, IV and V): the genre's own progression "
        "of that length, else these (a rock and roll in 12-bar form had played the doo-wop I vi IV V in 8-bar "
        "'choruses')"))
    max_section_bars: int = Field(default=24, ge=8, le=64, description=(
        "A long piece repeats its core rather than stretch a section past this: 16 where a section is one strophe, "
        "strain or loop played again (a 3-minute folk song had 24-bar verses of one 4-bar loop, a polka 96-bar "
        "strains); song and arc forms keep longer sections (a cinematic build has one climax)"))
    phrase_bars: Literal[4, 8] = Field(default=4, description=(
        "The phrase its main sections are counted in, intros and outros in half of it, wherever the piece holds "
        "every section so: 8 in club and rap forms, which are built and mixed in 8-bar phrases (a 3-minute deep "
        "house track had a 12-bar loop, a 6-bar intro and a 20-bar drop); a clip too short for them keeps 4"))
    description: str = ""
    cues: list[str] = Field(default_factory=list, description="Words that suggest this form ('drop', 'chorus')")
    cue_genres: list[str] = Field(default_factory=list, description=(
        "The genre families (a genre id and all its descendants) whose prompts read the cues as this form; empty: "
        "every genre. A 'breakdown' is a section of a club track in dance music, a tune (Foggy Mountain Breakdown) "
        "in bluegrass and a half-time riff in metalcore; 'solos' are a jazz form only in jazz, a rock song's guitar "
        "solo is one section of its own form"))

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
    # a word for how the beat is felt against the tempo (half-time, double-time): beside a stated number it says
    # the number's feel ("dubstep with a half time drop at 150"), never contradicts it
    feel: bool = False


class Texture(Entry):
    id: str
    name: str
    aliases: list[str] = []
    layers: list[TextureLayer] = Field(default=[], description="Ambience recipes the engine mixes in for it")


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

    def span(self, name: str) -> tuple[int, int]:
        """[start, stop) of a block in the 640-d vector."""
        start = 0
        for block in self.blocks:
            if block.name == name:
                return start, start + block.dims
            start += block.dims
        raise KeyError(name)


class DefaultInstrument(Entry):
    name: str
    role: Role


class Defaults(Entry):
    """The last fallback level's parameters (spec §9.1 "Default Parameters")."""

    genre: str
    mood: str
    tempo_bpm: float = Field(ge=20, le=300)
    key: str = Field(pattern=r"^[A-G][#b]? [a-z_]+$")
    time_signature: str = Field(pattern=r"^\d{1,2}/\d{1,2}$")
    structure: str
    energy: Unit
    instruments: list[DefaultInstrument] = Field(min_length=1)
    chords: list[str] = Field(min_length=1)
    roman_numerals: list[str] = Field(min_length=1)
    fill_instruments: list[GenreInstrument] = Field(
        default=[], description="The engine fills a part no stated or genre instrument plays from these, in order")


class Moderation(Entry):
    blocked_terms: list[str] = Field(min_length=1)
    injection_patterns: list[str] = []

    @field_validator("injection_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"injection pattern {pattern!r} is not a valid regex: {exc}") from exc
        return patterns


class KnowledgeBase(Entry):
    """Everything in knowledge_base/, validated and cross-checked; lookups by id and by name."""

    genres: list[Genre] = Field(min_length=1)
    instruments: list[Instrument] = Field(min_length=1)
    moods: list[Mood] = Field(min_length=1)
    structures: list[Structure] = Field(min_length=1)
    artists: list[Artist] = []
    tempo_terms: list[TempoTerm] = []
    textures: list[Texture] = []
    chords: Chords
    abbreviations: dict[str, str] = {}
    misspellings: dict[str, str] = {}
    control_embedding: EmbeddingLayout
    defaults: Defaults
    moderation: Moderation
    grooves: list[Groove] = Field(min_length=1)
    riffs: list[RiffSet] = []
    synth_presets: SynthPresets
    mix_presets: MixPresets
    feels: list[Feel] = []
    ensembles: list[Ensemble] = []

    @model_validator(mode="after")
    def _cross_references(self) -> KnowledgeBase:
        problems: list[str] = []
        for kind, ids in (("genre", [g.id for g in self.genres]), ("instrument", [i.id for i in self.instruments]),
                          ("mood", [m.id for m in self.moods]), ("structure", [s.id for s in self.structures])):
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
        problems += [f"structure {s.id}: unknown cue genre {g}" for s in self.structures for g in s.cue_genres
                     if g not in genre_ids]
        problems += [f"feel {f.id}: unknown genre {f.genre}" for f in self.feels
                     if f.genre is not None and f.genre not in genre_ids]
        for e in self.ensembles:
            problems += [f"ensemble {e.id}: unknown genre {e.genre}"] if e.genre and e.genre not in genre_ids else []
            problems += [f"ensemble {e.id}: unknown instrument {p.instrument}" for p in e.parts
                         if p.instrument not in instrument_ids]
        for a in self.artists:
            if a.genre not in genre_ids or (a.sub_genre and a.sub_genre not in genre_ids):
                problems.append(f"artist {a.name}: unknown genre {a.genre}/{a.sub_genre}")
            problems += [f"artist {a.name}: unknown instrument {i}" for i in a.instruments if i not in instrument_ids]
            problems += [f"artist {a.name}: unknown mood {m}" for m in a.moods if m not in mood_ids]
        start, stop = self.control_embedding.span("genre")
        slotted = {g.id for g in self.genres[: stop - start]}
        parents = {g.id: g.parent for g in self.genres}
        for g in self.genres[stop - start:]:  # past the genre block: shares its nearest slotted ancestor's slot
            ancestor, seen = g.parent, set()
            while ancestor is not None and ancestor not in slotted and ancestor not in seen:
                seen.add(ancestor)
                ancestor = parents.get(ancestor)
            if ancestor not in slotted:
                problems.append(f"genre {g.id} is past the {stop - start} genre-embedding slots and has no "
                                "ancestor with a slot: give it a parent")
        start, stop = self.control_embedding.span("instrumentation")
        if len(self.instruments) > stop - start:
            problems.append(f"{len(self.instruments)} instruments but only {stop - start} embedding slots")
        start, stop = self.control_embedding.span("structure")
        if len(self.structures) > (stop - start) // 2:
            problems.append("more structures than structure-embedding slots")
        if self.defaults.structure not in structure_ids:
            problems.append(f"defaults: unknown structure {self.defaults.structure}")
        if self.defaults.mood not in mood_ids:
            problems.append(f"defaults: unknown mood {self.defaults.mood}")
        sound = self.synth_presets
        referenced = [("defaults.fill_instruments", i.instrument) for i in self.defaults.fill_instruments]
        referenced += [(f"kit {k.id}", i) for k in sound.kits for i in k.instruments]
        referenced += [("synth_presets percussion", i) for i in sound.percussion]
        referenced += [(f"instrument {i.id} unplugged", i.unplugged) for i in self.instruments if i.unplugged not in (
            None, "none")]
        problems += [f"{where}: unknown instrument {i}" for where, i in referenced if i not in instrument_ids]
        for groove in self.grooves:
            used = {v for level in (*groove.levels.values(), groove.fill) for v in level}
            problems += [f"groove {groove.id}: unknown drum voice {v!r}"
                         for v in sorted(used - set(sound.drum_voices))]
            kits = [groove.kit] + ([groove.slow_kit.kit] if groove.slow_kit is not None else [])
            problems += [f"groove {groove.id}: unknown kit {k!r}" for k in kits if k not in {x.id for x in sound.kits}]
        problems += [f"riffs {r.id}: unknown genre {g}" for r in self.riffs for g in r.genres if g not in genre_ids]
        problems += [f"instrument {i.id}: unknown solo_genre {i.solo_genre}" for i in self.instruments
                     if i.solo_genre is not None and i.solo_genre not in genre_ids]
        if problems:
            raise ValueError("; ".join(problems[:20]))
        return self

    # -- lookups ----------------------------------------------------------------------------
    _by_id: dict[str, dict[str, Entry]] = PrivateAttr(default_factory=dict)
    _by_name: dict[str, dict[str, Entry]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        tables: dict[str, list[Genre] | list[Instrument] | list[Mood] | list[Structure] | list[Texture]] = {
            "genres": self.genres, "instruments": self.instruments, "moods": self.moods,
            "structures": self.structures, "textures": self.textures,
        }
        for kind, items in tables.items():
            self._by_id[kind] = {i.id: i for i in items}
            names: dict[str, Entry] = {}
            for item in items:
                for name in (item.id, item.name, *item.aliases):
                    names.setdefault(normalise_name(name), item)
            self._by_name[kind] = names

    def genre(self, genre_id: str) -> Genre:
        """Genre by id; KeyError when unknown."""
        return self._by_id["genres"][genre_id]  # type: ignore[return-value]

    def instrument(self, instrument_id: str) -> Instrument:
        return self._by_id["instruments"][instrument_id]  # type: ignore[return-value]

    def mood(self, mood_id: str) -> Mood:
        return self._by_id["moods"][mood_id]  # type: ignore[return-value]

    def structure(self, structure_id: str) -> Structure:
        return self._by_id["structures"][structure_id]  # type: ignore[return-value]

    def find_genre(self, name: str | None) -> Genre | None:
        """Genre by id, name or alias (case-, space- and hyphen-insensitive); None when unknown."""
        return self._by_name["genres"].get(normalise_name(name)) if name else None  # type: ignore[return-value]

    def find_instrument(self, name: str | None) -> Instrument | None:
        return self._by_name["instruments"].get(normalise_name(name)) if name else None  # type: ignore[return-value]

    def find_mood(self, name: str | None) -> Mood | None:
        return self._by_name["moods"].get(normalise_name(name)) if name else None  # type: ignore[return-value]

    def find_structure(self, name: str | None) -> Structure | None:
        return self._by_name["structures"].get(normalise_name(name)) if name else None  # type: ignore[return-value]

    def find_texture(self, name: str | None) -> Texture | None:
        return self._by_name["textures"].get(normalise_name(name)) if name else None  # type: ignore[return-value]

    def find_ensemble(self, name: str | None) -> Ensemble | None:
        """Ensemble by id or name (an alias several entries share names none of them: the parser decides)."""
        key = normalise_name(name) if name else ""
        return next((e for e in self.ensembles if key in (normalise_name(e.id), normalise_name(e.name))), None)

    def genre_lineage(self, name: str | None) -> list[Genre]:
        """The genre (by id, name or alias) and its ancestors, nearest first; [] when unknown."""
        out: list[Genre] = []
        genre = self.find_genre(name)
        while genre is not None and genre not in out:
            out.append(genre)
            genre = self.find_genre(genre.parent)
        return out

    def root_genre(self, genre_id: str) -> Genre:
        genre = self.genre(genre_id)
        while genre.parent is not None:
            genre = self.genre(genre.parent)
        return genre


def normalise_name(text: str) -> str:
    """Key for name lookups: lower case, '-', '_' and runs of spaces folded to one space."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())
