"""The score: what the composer (engine.structure) writes and every later stage reads.

Times are in seconds on a constant-tempo grid, so synthesis, mixing and MIDI export need no tempo
map arithmetic. Notes are small frozen dataclasses (thousands per track; pydantic would be slow).

Tempo convention: ``tempo_bpm`` counts the meter's felt beat: the quarter note for x/4 and x/2
meters and simple x/8 meters, the dotted quarter for compound meters (6/8, 9/8, 12/8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from knowledge_base.tempo_curve import TempoCurve

TrackRole = Literal["drums", "percussion", "bass", "harmony", "pad", "lead", "counter", "arp"]
FxKind = Literal["riser", "impact", "reverse_cymbal", "downlifter"]


@dataclass(frozen=True, slots=True)
class Note:
    start_s: float
    duration_s: float
    pitch: int  # MIDI note number; GM drum map for drum tracks
    velocity: int  # 1..127

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(slots=True)
class Track:
    """One instrument playing one role; becomes one stem and one MIDI track."""

    name: str  # unique, e.g. "lead", "harmony", "drums"
    role: TrackRole
    instrument_id: str
    preset: str  # synth preset id or drum kit id
    gm_program: int
    is_drum: bool
    pan: float = 0.0  # -1 left .. +1 right
    notes: list[Note] = field(default_factory=list)
    featured: bool = False  # a stated instrument: the mixer never sets it below the comping


@dataclass(frozen=True, slots=True)
class SectionSpan:
    name: str
    start_s: float
    duration_s: float
    start_bar: int
    bars: int
    energy: float
    key: str | None = None  # the section's key when the piece has modulated (a last chorus up a step)


@dataclass(frozen=True, slots=True)
class ChordSpan:
    start_s: float
    duration_s: float
    symbol: str
    root_pc: int
    pitch_classes: tuple[int, ...]
    bass_pc: int


@dataclass(frozen=True, slots=True)
class FxEvent:
    """A transition effect (riser into a chorus, impact on a drop)."""

    kind: FxKind
    start_s: float
    duration_s: float
    level: float


@dataclass(slots=True)
class Score:
    tempo_bpm: float
    beats_per_bar: int  # numerator of the time signature
    beat_unit: int  # denominator
    key_tonic_pc: int
    key_mode: str
    key_is_minor: bool  # from the mode's intervals (knowledge_base.theory): a blues is minor
    genre_id: str | None
    duration_s: float  # audio length asked for
    bar_s: float
    step_s: float  # one grid step (a sixteenth note)
    sections: list[SectionSpan] = field(default_factory=list)
    chords: list[ChordSpan] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    fx: list[FxEvent] = field(default_factory=list)
    gain_points: list[tuple[float, float]] = field(default_factory=list)  # (time_s, gain) automation
    textures: list[str] = field(default_factory=list)  # as the prompt named them
    texture_layers: list[str] = field(default_factory=list)  # what the mixer adds (textures.yaml `layers`)
    kick_times_s: list[float] = field(default_factory=list)  # sidechain trigger for ducking
    bar_levels: list[str] = field(default_factory=list)  # the groove level each bar plays (low, mid, high)
    tempo_curve: TempoCurve | None = None  # the tempo moving from the stated one ("slows down at the end")

    @property
    def time_signature(self) -> str:
        return f"{self.beats_per_bar}/{self.beat_unit}"

    @property
    def quarter_bpm(self) -> float:
        """MIDI tempo (quarter notes per minute), whatever the meter."""
        return 60.0 / (self.step_s * 4.0)

    def track(self, name: str) -> Track | None:
        return next((t for t in self.tracks if t.name == name), None)

    @property
    def instrument_ids(self) -> list[str]:
        return [t.instrument_id for t in self.tracks]
