"""Models of the engine's data files: grooves.yaml, synth_presets.yaml (voice presets, drum kits, drum
voices, hand percussion), mix_presets.yaml, and the texture layers textures.yaml entries name.

They live with the rest of the schema so that adding a groove, a voice preset or a genre's mix is a
data edit checked at load time, and so the engine reads them through the same loader as Aurora.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- grooves.yaml
class Comping(_Spec):
    style: str = "block"  # block | strum | arpeggio | stabs
    pattern: str = ""  # step grid; "" = one sustained chord per bar


class TempoKit(_Spec):
    """The kit a groove's drummer changes to under a tempo (a jazz drummer takes brushes for a ballad)."""
    kit: str
    below_bpm: float = Field(gt=0.0)


class Groove(_Spec):
    """Drum patterns and accompaniment styles for some genres in some meters.

    Patterns are step grids of sixteenth notes, one character per step:
    ``X`` accent, ``x`` normal hit, ``o`` ghost note, ``-`` hold (comping), ``.`` rest.
    """

    id: str
    genres: list[str] = Field(default_factory=list)  # empty: generic for its meters
    meters: list[str] = Field(min_length=1)
    kit: str = "acoustic"
    slow_kit: TempoKit | None = None  # the kit under a tempo: sticks at a medium or fast swing, brushes on a ballad
    bass: str = "root_eighths"
    comping: Comping = Field(default_factory=Comping)
    arp: str = ""
    swing: float | None = Field(default=None, ge=0.0, le=1.0)
    humanize_ms: float = Field(default=6.0, ge=0.0, le=40.0)
    felt: Literal["straight", "half_time", "double_time"] = "straight"  # the pulse a listener feels vs the tempo
    levels: dict[str, dict[str, str]]
    fill: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _grids(self) -> Groove:
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

    def kit_at(self, tempo_bpm: float) -> str:
        """The kit the groove is played on at ``tempo_bpm``."""
        if self.slow_kit is not None and tempo_bpm < self.slow_kit.below_bpm:
            return self.slow_kit.kit
        return self.kit


RIFF_ROOT = "Xxo"  # steps that strike the chord's root: an open accent, a palm-muted chug, a lighter chug
RIFF_STABS = "234567bt"  # steps that strike another degree (engine/structure/riffs.py reads them)


class RiffSet(_Spec):
    """A genre family's rhythm-guitar riffs (grooves.yaml ``riffs``): one- and two-bar cells on the sixteenth grid.

    ``X`` an open power chord on the bar's chord root (rings through ``-``), ``x`` a palm-muted chug on it (short,
    softer), ``o`` a lighter chug, ``.`` a rest, ``-`` hold; ``2``-``7`` a stab on that scale step above the chord root
    in the key's mode (over E minor's tonic ``3`` is G, in E major G#), ``b`` the flat second (Phrygian: F over E
    minor) and ``t`` the flat fifth (Bb over E minor), both over a minor tonic chord only (elsewhere the scale's second
    and fourth). Every bar of a cell starts on the root: the riff decorates the plan's chord and returns to it.
    """

    id: str
    genres: list[str] = Field(min_length=1)
    meters: list[str] = Field(default_factory=lambda: ["4/4"], min_length=1)
    cells: list[str] = Field(min_length=3)

    @model_validator(mode="after")
    def _cells(self) -> RiffSet:
        for meter in self.meters:
            top, _, bottom = meter.partition("/")
            steps = int(top) * 16 // int(bottom)
            for cell in self.cells:
                if re.search(rf"[^{RIFF_ROOT}{RIFF_STABS}.\-]", cell):
                    raise ValueError(f"riffs {self.id}: bad characters in {cell!r}")
                if len(cell) not in (steps, 2 * steps):
                    raise ValueError(f"riffs {self.id}: {cell!r} is not one or two bars of {meter} ({steps} steps)")
                if any(cell[b] not in RIFF_ROOT for b in range(0, len(cell), steps)):
                    raise ValueError(f"riffs {self.id}: every bar of {cell!r} starts on the chord root")
                if not any(ch in RIFF_STABS for ch in cell):
                    raise ValueError(f"riffs {self.id}: {cell!r} has no stab off the root")
        return self


# ---------------------------------------------------------------- synth_presets.yaml
class Envelope(_Spec):
    attack_s: float = Field(default=0.01, ge=0.0005)
    decay_s: float = Field(default=0.3, ge=0.001)
    sustain: float = Field(default=0.7, ge=0.0, le=1.0)
    release_s: float = Field(default=0.2, ge=0.005)


class SynthPreset(_Spec):
    id: str
    instruments: list[str] = Field(default_factory=list)
    gm_programs: list[int] = Field(default_factory=list)
    families: list[str] = Field(default_factory=list)
    shape: Literal["saw", "square", "triangle", "sine", "organ", "custom"] = "saw"
    harmonics: list[float] = Field(default_factory=list, description="Amplitudes of harmonics 1.. (custom)")
    n_harmonics: int = Field(default=40, ge=1, le=128)
    even_gain: float = Field(default=1.0, ge=0.0, le=2.0)
    tilt_bright_db_per_octave: float = -3.0
    tilt_dark_db_per_octave: float = -12.0
    brightness: float = Field(default=0.7, ge=0.0, le=1.0, description="Sustained mix of the bright table")
    bright_peak: float = Field(default=1.0, ge=0.0, le=1.0)
    bright_decay_s: float = Field(default=0.4, gt=0.0)
    bright_attack_s: float = Field(default=0.0, ge=0.0, description="Swell from dark to bright (brass)")
    velocity_brightness: float = Field(default=0.4, ge=0.0, le=1.0)
    envelope: Envelope = Field(default_factory=Envelope)
    percussive: bool = False
    pitch_decay_scale: float = Field(default=0.0, ge=0.0, le=1.0, description="Low notes ring longer")
    vibrato_rate_hz: float = 5.0
    vibrato_depth_cents: float = 0.0
    vibrato_delay_s: float = 0.25
    tremolo_rate_hz: float = 5.0
    tremolo_depth: float = Field(default=0.0, ge=0.0, le=1.0)
    unison_cents: float = Field(default=0.0, ge=0.0, le=50.0)
    stereo_spread: float = Field(default=0.0, ge=0.0, le=1.0,
                                 description="Unison voices spread left/right (0: mono); mono fold-down keeps both")
    cabinet: bool = Field(default=False, description="Through a guitar-cabinet EQ (an amp, not a bare waveshaper)")
    noise_level: float = Field(default=0.0, ge=0.0, le=2.0)
    noise_band_hz: tuple[float, float] = (1000.0, 8000.0)
    noise_decay_s: float | None = Field(default=None, description="None: noise follows the amplitude")
    partials: list[tuple[float, float, float]] = Field(default_factory=list,
                                                       description="Inharmonic (ratio, amplitude, decay_s)")
    drive: float = Field(default=0.0, ge=0.0, le=20.0)
    gain_db: float = 0.0


KitKind = Literal["acoustic", "machine"]


class DrumKit(_Spec):
    id: str
    instruments: list[str] = Field(default_factory=list, description="Drum instruments that choose this kit")
    kind: KitKind = Field("acoustic", description="A drummer's kit (sampled when a soundfont has it) or a drum "
                          "machine (synthesised): what a stated 'live drums' or 'drum machine' asks a groove for")
    generic: bool = Field(False, description=(
        "Its instruments name its kind (a drum machine, a drum kit), not this kit: stated, they keep a groove's kit of "
        "that kind (lo-fi's dusty machine) and move a groove of the other kind to its ``counterparts`` kit, else to "
        "this one; guessed (the line-up's, the parser's), they keep the groove's kit"))
    counterparts: dict[KitKind, str] = Field(default_factory=dict, description=(
        "The kit this groove's sound is played on when the prompt asks for the other kind (a lo-fi beat's live drummer "
        "is a sampled kit, still low-passed); absent: that kind's generic kit"))
    voices: dict[str, dict[str, float]] = Field(default_factory=dict)
    gain_db: float = 0.0


DrumRecipe = Literal["kick", "snare", "clap", "metal", "membrane", "cowbell", "tone"]


class DrumVoiceSpec(_Spec):
    """One synthesised drum voice: its General-MIDI drum note, the recipe that builds it in
    engine/ddsp/drums.py, and that recipe's default parameters (a kit's ``voices`` override them)."""

    gm_note: int = Field(ge=0, le=127, description="GM drum number: the score's pitch and the MIDI export's")
    recipe: DrumRecipe
    params: dict[str, float] = Field(default_factory=dict)
    tune: int | None = Field(default=None, ge=0, le=11,
                             description="Tuned to this many semitones above the key's tonic; None: untuned")
    tune_range_hz: tuple[float, float] | None = Field(
        default=None, description="Where the tuned pitch must land: the key note's octave in this range, else "
                                  "its fifth's (a kick's fundamental stays 45-70 Hz whatever the key)")
    ring: bool = Field(default=False, description="Rings long: one variant, no round robin")
    pan: float = Field(default=0.0, ge=-1.0, le=1.0, description="Place in the stereo kit (audience view)")
    kits: list[str] = Field(default_factory=list, description=(
        "Only these kits play it (empty: every kit): a brush swirl is GM note 40, which a stick kit plays as an "
        "electric snare"))


class SampledProgram(_Spec):
    """A sound in a soundfont: ``soundfont`` "general" (the General-MIDI soundfont the engine found) or a file name
    in the system soundfont folders (Black_Pearl_4_LV2.sf2), a bank (128: GM drum kits) and a program."""

    soundfont: str = "general"
    bank: int = Field(default=0, ge=0, le=128)
    program: int = Field(default=0, ge=0, le=127)
    lowcut_hz: float = Field(default=0.0, ge=0.0, le=200.0, description=(
        "A 4th-order high-pass on what this sound plays (0: none): a sampled kit whose kick sits under 45 Hz"))
    lowpass_hz: float = Field(default=0.0, ge=0.0, le=20000.0, description=(
        "A 2nd-order low-pass on what this sound plays (0: none): a lo-fi beat's live kit keeps its dusty top"))


class SampleFault(_Spec):
    """Keys of a preset whose samples are faulty, played from another preset of the same soundfont that sounds like
    the same instrument family (a growl an octave down in one zone), or from the same preset with the pitch wheel
    moved (a zone whose sample sounds an octave above its key: a sample filed under the wrong root)."""

    keys: tuple[int, int] = Field(description="The faulty zone's lowest and highest key (sounding, inclusive)")
    program: int = Field(ge=0, le=127, description="The preset that plays those keys instead")
    bank: int = Field(default=0, ge=0, le=128)
    semitones: int = Field(default=0, ge=-12, le=12, description="The wheel on those keys: -12 for a zone that "
                           "sounds an octave above its key")

    @model_validator(mode="after")
    def _keys_in_order(self) -> SampleFault:
        if not 0 <= self.keys[0] <= self.keys[1] <= 127:
            raise ValueError(f"a sample fault's keys are (lowest, highest) in 0-127, got {self.keys}")
        return self


def _file_stem(file_name: str) -> str:
    """A soundfont file's name without its extension: the key of the per-soundfont sampler tables."""
    return file_name.rsplit(".", 1)[0]


class SamplerSpec(_Spec):
    """What the fluidsynth sampler plays (engine/voices/sampler.py), all optional: without a soundfont the
    DDSP voices play.

    families: instrument families the sampler plays when a soundfont is installed.
    kits: drum kit id -> sampled kits, best first (the first installed one plays); a kit not listed (808, 909)
        stays synthesised.
    programs: instrument id -> role ("*": any role) -> GM program, where the instrument's own program is the
        wrong articulation for the role (slow-attack strings for pads, a solo violin for a line).
    genre_programs: genre id (the genre or an ancestor) -> instrument id -> GM program (overdriven guitars
        for rock, distortion for metal).
    double_tracked: genre id -> instruments played twice, one take per side (double-tracked guitars).
    transpose: soundfont file stem -> GM program -> semitones the sampler moves a part, for a preset that sounds
        away from the key it is played on (MuseScore_General's drawbar organ sounds its 8' footage an octave below
        the key, its 16' two octaves below).
    faults: soundfont file stem -> GM program -> key zones whose samples are faulty and the preset that plays them
        (MuseScore_General's tenor sax growls an octave down at E4-G4).
    power_chords: GM programs whose guitar sound is overdriven or distorted: a rhythm guitar on them plays power
        chords (root, fifth, octave; no third: a third through distortion makes harsh intermodulation), and so
        does a held (pad) guitar on them (root, fifth, octave, fifth).
    full_chord_genres: genres whose sound is distorted full chords washed in reverb (shoegaze, post-rock): their
        guitars keep full chords whatever the program (a genre and every genre under it).
    on_time_families: instrument families whose notes are plucked or struck: the sampler sends each note early by
        the time its sample takes to speak, so it sounds on its written time (engine/voices/sampler.py
        ``speaking_delays``; a bowed, blown or sung onset is the articulation and stays as played).
    """

    families: list[str] = Field(default_factory=lambda: ["keyboard", "strings", "brass", "woodwind", "guitar",
                                                         "plucked", "mallet"])
    kits: dict[str, list[SampledProgram]] = Field(default_factory=dict)
    programs: dict[str, dict[str, int]] = Field(default_factory=dict)
    genre_programs: dict[str, dict[str, int]] = Field(default_factory=dict)
    double_tracked: dict[str, list[str]] = Field(default_factory=dict)
    transpose: dict[str, dict[int, int]] = Field(default_factory=dict)
    power_chords: list[int] = Field(default_factory=list)
    full_chord_genres: list[str] = Field(default_factory=list)
    faults: dict[str, dict[int, list[SampleFault]]] = Field(default_factory=dict)
    on_time_families: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _transpose_in_range(self) -> SamplerSpec:
        bad = [f"{sf} {k}: {v}" for sf, moves in self.transpose.items() for k, v in moves.items()
               if not 0 <= k <= 127 or not -24 <= v <= 24]
        if bad:
            raise ValueError(f"sampler.transpose: a GM program (0-127) -> -24..24 semitones, got {', '.join(bad)}")
        return self

    def transposition(self, soundfont_name: str, program: int) -> int:
        """Semitones a part on ``program`` of the soundfont file ``soundfont_name`` moves (0: none)."""
        return self.transpose.get(_file_stem(soundfont_name), {}).get(program, 0)

    def program(self, instrument_id: str, role: str, lineage: tuple[str, ...], default: int) -> int:
        """The GM program an instrument plays in a role and genre: genre first, then role, then its own."""
        for genre_id in lineage:
            found = self.genre_programs.get(genre_id, {}).get(instrument_id)
            if found is not None:
                return found
        by_role = self.programs.get(instrument_id, {})
        return by_role.get(role, by_role.get("*", default))

    def faulty(self, soundfont_name: str, program: int) -> list[SampleFault]:
        """The faulty key zones of ``program`` in the soundfont file ``soundfont_name`` (none: [])."""
        return self.faults.get(_file_stem(soundfont_name), {}).get(program, [])

    def plays_power_chords(self, instrument_id: str, role: str, lineage: tuple[str, ...], default: int) -> bool:
        """Whether the program an instrument plays in a role and genre is an overdriven or distorted guitar, in a
        genre whose guitars do not play full chords through it."""
        return self.program(instrument_id, role, lineage, default) in self.power_chords and \
            not any(g in self.full_chord_genres for g in lineage)

    def doubled(self, instrument_id: str, lineage: tuple[str, ...]) -> bool:
        return any(instrument_id in self.double_tracked.get(g, []) for g in lineage)


class SynthPresets(_Spec):
    presets: list[SynthPreset] = Field(min_length=24)
    kits: list[DrumKit] = Field(min_length=1)
    drum_pieces: list[str] = Field(default_factory=list, description=(
        "Instruments that are a piece of a kit (a hi-hat, a snare): they mean a drum track and choose no kit"))
    default_preset: str = "piano"
    default_kit: str = "acoustic"
    drum_voices: dict[str, DrumVoiceSpec] = Field(min_length=1)
    default_drum_voice: str = Field(default="rim", description="Plays a drum note no voice claims")
    drum_piece_voices: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Kit piece -> the drum voices it plays ('no kick in the breakdown' rests these notes of the drum track)"))
    percussion: dict[str, list[str]] = Field(default_factory=dict,
                                             description="Hand-percussion instrument -> the drum voices it plays")
    default_percussion: list[str] = Field(default_factory=lambda: ["shaker"], min_length=1)
    sampler: SamplerSpec = Field(default_factory=SamplerSpec)

    @model_validator(mode="after")
    def _drum_references(self) -> SynthPresets:
        voices = set(self.drum_voices)
        problems = [f"kit {k.id}: unknown drum voice {v!r}" for k in self.kits for v in k.voices
                    if v != "*" and v not in voices]
        problems += [f"{table} {i}: unknown drum voice {v!r}" for table, mapping in (
            ("percussion", self.percussion), ("drum_piece_voices", self.drum_piece_voices))
            for i, vs in mapping.items() for v in vs if v not in voices]
        problems += [f"unknown drum voice {v!r}" for v in (self.default_drum_voice, *self.default_percussion)
                     if v not in voices]
        kit_ids = {k.id for k in self.kits}
        problems += [f"kit {k.id}: unknown counterpart kit {c!r}" for k in self.kits for c in k.counterparts.values()
                     if c not in kit_ids]
        generic_kinds = [k.kind for k in self.kits if k.generic]
        problems += [f"{kind} kits: {generic_kinds.count(kind)} generic ones, not 1" for kind in ("acoustic", "machine")
                     if generic_kinds.count(kind) != 1]
        problems += [f"drum voice {name}: unknown kit {k!r}" for name, v in self.drum_voices.items() for k in v.kits
                     if k not in kit_ids]
        notes = [v.gm_note for v in self.drum_voices.values()]
        problems += [f"drum voices share GM note {n}" for n in sorted({n for n in notes if notes.count(n) > 1})]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def kit_pieces(self) -> frozenset[str]:
        """Instruments that mean a drum track: a whole kit (a kit lists it) or a piece of one."""
        return frozenset(i for k in self.kits for i in k.instruments) | frozenset(self.drum_pieces)

    def piece_notes(self, instrument_id: str) -> frozenset[int]:
        """The GM drum notes a kit piece plays (a kick: 36); empty for anything else."""
        return frozenset(self.drum_voices[v].gm_note for v in self.drum_piece_voices.get(instrument_id, ()))

    def kit_named(self, instrument_id: str) -> DrumKit | None:
        """The kit a whole-kit instrument names (drum_kit: the acoustic kit; tr808: the 808); None for a kit piece
        or any other instrument."""
        return next((k for k in self.kits if instrument_id in k.instruments), None)

    def kind_kit(self, groove_kit: DrumKit, kind: KitKind) -> DrumKit:
        """The kit a groove plays when a stated instrument asks for a ``kind``: the groove's own when it is of that
        kind, else its counterpart of that kind, else that kind's generic kit."""
        if groove_kit.kind == kind:
            return groove_kit
        own = groove_kit.counterparts.get(kind)
        return self.kit(own) if own else next(k for k in self.kits if k.generic and k.kind == kind)

    def percussion_voices(self, instrument_id: str) -> list[str]:
        return self.percussion.get(instrument_id, self.default_percussion)

    def gm_notes(self, kit: str | None = None) -> dict[str, int]:
        """Drum voice -> its GM drum note; with ``kit``, only the voices that kit plays."""
        return {name: v.gm_note for name, v in self.drum_voices.items()
                if kit is None or not v.kits or kit in v.kits}

    def preset(self, preset_id: str) -> SynthPreset:
        found = next((p for p in self.presets if p.id == preset_id), None)
        if found is None:
            raise KeyError(f"unknown synth preset {preset_id!r}")
        return found

    def kit(self, kit_id: str) -> DrumKit:
        return next((k for k in self.kits if k.id == kit_id), None) or self.kits[0]


# ---------------------------------------------------------------- textures.yaml (layers)
# The ambience recipes engine/ddsp/textures.py synthesises; a texture entry lists the ones it is made of.
TextureLayer = Literal["vinyl", "tape_hiss", "rain", "ocean", "wind", "fire", "room"]


# ---------------------------------------------------------------- mix_presets.yaml
class ReverbSpec(_Spec):
    room_size: float = Field(default=0.45, ge=0.0, le=1.0)
    damping: float = Field(default=0.5, ge=0.0, le=1.0)
    width: float = Field(default=1.0, ge=0.0, le=1.0)
    return_db: float = -6.0


class DelaySpec(_Spec):
    role: str = "lead"
    beats: float = Field(default=0.75, gt=0.0)
    feedback: float = Field(default=0.3, ge=0.0, le=0.9)
    mix: float = Field(default=0.0, ge=0.0, le=1.0)


class CompressSpec(_Spec):
    threshold_db: float = -14.0
    ratio: float = Field(default=3.0, ge=1.0)
    attack_ms: float = 5.0
    release_ms: float = 120.0


class MasterSpec(_Spec):
    threshold_db: float = -12.0
    ratio: float = Field(default=2.0, ge=1.0)
    lowpass_hz: float | None = None
    highpass_hz: float = 30.0
    saturation_db: float = 0.0
    tilt_db_per_octave: float = Field(default=-4.5, description="Target octave-band slope of the mix, 63 Hz-8 kHz")
    tonal_balance: float = Field(default=0.0, ge=0.0, le=1.0,
                                 description="How far the master EQ moves the mix toward the target tilt (0: not)")
    max_eq_db: float = Field(default=4.0, ge=0.0, le=12.0)
    air_db: float = Field(default=0.0, ge=-12.0, le=0.0, description="The 16 kHz octave's target under the tilt "
                          "line: a mix rolls off above ~10 kHz (a top octave as loud as the tilt says is hiss)")


class DynamicsSpec(_Spec):
    """How far a genre family's sections move in level: orchestral and ambient music breathes wider than pop."""
    section_db_per_energy: float = Field(default=12.0, ge=0.0, le=40.0, description="A section's level below the "
                                         "loudest one, per unit of energy it lacks")
    swell_db: float = Field(default=0.0, ge=0.0, le=20.0, description="A hairpin inside every section: it starts this "
                            "far under its level, grows to it about two thirds through and falls three quarters back")
    build_rise_db: float = Field(default=0.0, ge=0.0, le=20.0, description="A club build's crescendo: a section named "
                                 "'build' starts this far under its level and rises to it into the drop")


class MixPreset(_Spec):
    id: str
    genres: list[str] = Field(default_factory=list)
    gains_db: dict[str, float] = Field(default_factory=dict)
    pans: dict[str, float] = Field(default_factory=dict)
    sends: dict[str, float] = Field(default_factory=dict)
    highpass_hz: dict[str, float] = Field(default_factory=dict)
    lowpass_hz: dict[str, float] = Field(default_factory=dict)
    lowcut_hz: dict[str, float] = Field(default_factory=dict, description="A steep (4th-order) low cut per role: "
                                        "the sub-rumble under a sampled kick, not its body")
    saturation_db: dict[str, float] = Field(default_factory=dict)
    highshelf_db: dict[str, float] = Field(default_factory=dict, description="A high shelf at 8 kHz per role (dB; "
                                           "0: none): sampled kits' close-miked hi-hats peak at 16 kHz, and a kit "
                                           "heard from its overheads is darker")
    widths: dict[str, float] = Field(default_factory=dict, description="Stereo width made from a mono track: the "
                                     "side is a delayed, high-passed copy at this level (mono fold-down keeps the dry)")
    bass_presence: dict[str, float] = Field(default_factory=dict, description="Share of a role's energy above "
                                            "150 Hz that parallel harmonics make up to, when the voice has less")
    compress: dict[str, CompressSpec] = Field(default_factory=dict)
    ducking_db: float = Field(default=0.0, ge=0.0, le=24.0)
    duck_roles: list[str] = Field(default_factory=lambda: ["bass", "pad"])
    reverb: ReverbSpec = Field(default_factory=ReverbSpec)
    delay: DelaySpec = Field(default_factory=DelaySpec)
    master: MasterSpec = Field(default_factory=MasterSpec)
    dynamics: DynamicsSpec = Field(default_factory=DynamicsSpec)
    texture_db: float = -30.0


class MixPresets(_Spec):
    presets: list[dict[str, Any]] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> MixPresets:
        ids = [p.get("id") for p in self.presets]
        if "default" not in ids:
            raise ValueError("mix_presets.yaml needs a 'default' preset")
        for raw in self.presets:
            self._merge(raw)
        return self

    def _merge(self, raw: dict[str, Any]) -> MixPreset:
        base = dict(next(p for p in self.presets if p.get("id") == "default"))
        for key, value in raw.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                base[key] = {**base[key], **value}
            else:
                base[key] = value
        return MixPreset.model_validate(base)

    def for_genres(self, genre_ids: list[str]) -> MixPreset:
        """The preset of the nearest genre in the lineage (genre first, then its ancestors)."""
        for genre_id in genre_ids:
            for raw in self.presets:
                if genre_id in raw.get("genres", []):
                    return self._merge(raw)
        return self._merge({"id": "default"})
