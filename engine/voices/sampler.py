"""Sampled voices: fluidsynth playing soundfonts, for acoustic instruments and acoustic drum kits.

Used only when pyfluidsynth and a soundfont are installed (``make install`` adds Debian's fluidsynth,
musescore-general-soundfont and avldrums.lv2-soundfont where it can); otherwise the DDSP voices play and the
render result says which voice played each stem and why. A sampler is a ``Voice`` like the others
(engine/voices/base.py), but renders stereo: a soundfont's own panning and stereo samples are kept.

Soundfonts are loaded ONCE per process and shared by every render and thread (``SoundfontPlayer.shared``):
a keeper synth per sample rate loads each soundfont whole the first time a track needs it (~1 s for
MuseScore_General expanded to sf2 by ``make install``; ~11 s to decode the sf3's Ogg samples without that), and
every track plays on a fresh synth that borrows them (fresh voices: the same notes give the same samples whatever
played before; tracks render on parallel threads).

Which soundfont: the configured one (``EngineConfig.soundfont_path``, ``SOUNDSTAR_SOUNDFONT``), else the
best of ``SOUNDFONT_PATHS`` installed (ranked best first). Which program, bank and kit each instrument plays
is data: knowledge_base/synth_presets.yaml ``sampler``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import threading
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from scipy import signal as sps

from engine.ddsp.core import sosfilt_f32
from engine.score import Track
from engine.voices.slides import BEND_RANGE_SEMITONES, SLIDE_CHANNELS, slide_take, spans_of, wheel
from engine.voices.soundfonts import expanded_path

SOUNDFONT_PATHS = (  # best first: MuseScore_General (GM + GS kits) expanded to sf2 at install (loads in ~1 s, not
    # ~11 s: engine/voices/soundfonts.py), the sf3 itself, its lossless sf2, FluidR3, TimGM6mb
    expanded_path(Path("/usr/share/sounds/sf3/MuseScore_General.sf3")),
    Path("/usr/share/sounds/sf3/MuseScore_General.sf3"),
    Path("/usr/share/sounds/sf3/MuseScore_General_Full.sf3"),
    Path("/usr/share/sounds/sf2/MuseScore_General.sf2"),
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3"),
    Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
)
SOUNDFONT_DIRS = (Path("/usr/share/sounds/sf2"), Path("/usr/share/sounds/sf3"))
GENERAL = "general"  # a kit or program entry's soundfont: the general-MIDI soundfont in use


def find_soundfont(path: Path | None = None, search: tuple[Path, ...] = SOUNDFONT_PATHS) -> Path | None:
    """The configured soundfont when it exists, else the first (best) of ``search`` that does."""
    candidates = ([path] if path is not None else []) + list(search)
    return next((p for p in candidates if p.is_file()), None)


def find_named_soundfont(name: str, general: Path | None, dirs: tuple[Path, ...] = SOUNDFONT_DIRS) -> Path | None:
    """A soundfont a kit entry names: ``general`` (the GM soundfont in use), else a file name in ``dirs``."""
    if name == GENERAL:
        return general
    return next((d / name for d in dirs if (d / name).is_file()), None)


def sampler_status(path: Path | None = None) -> tuple[Path | None, str]:
    """(soundfont to use, or None with the reason the sampler cannot run)."""
    if importlib.util.find_spec("fluidsynth") is None:
        return None, "pyfluidsynth is not installed"
    soundfont = find_soundfont(path)
    if soundfont is None:
        return None, "no soundfont found (set SOUNDSTAR_SOUNDFONT or install musescore-general-soundfont)"
    return soundfont, f"fluidsynth with {soundfont.name}"


@dataclass(frozen=True, slots=True)
class Program:
    """One playable sound: a soundfont file, a bank and a program (a GM instrument or a drum kit)."""

    soundfont: Path
    bank: int
    program: int
    retune_semitones: int = 0  # the wheel held here for the whole render: a zone whose samples sound off their key

    @property
    def label(self) -> str:
        return f"{self.soundfont.name}:{self.bank}/{self.program}"


def _set_bend_range(synth: Any, channel: int) -> None:
    """RPN 0, the pitch wheel's range, to BEND_RANGE_SEMITONES on ``channel`` (a slide's channels, a retuned zone's)."""
    for control, value in ((101, 0), (100, 0), (6, BEND_RANGE_SEMITONES), (38, 0)):
        synth.cc(channel, control, value)


def _set_linear_interpolation(fluidsynth: Any, synth: Any) -> None:
    """Linear sample interpolation instead of fluidsynth's 4th-order default: much cheaper, and inaudible
    under a mix. pyfluidsynth does not wrap this call, so it is declared here (a no-op where missing)."""
    from ctypes import c_int, c_void_p

    set_interp = fluidsynth.cfunc("fluid_synth_set_interp_method", c_int, ("synth", c_void_p, 1),
                                  ("chan", c_int, 1), ("interp_method", c_int, 1))
    if set_interp is not None:
        set_interp(synth.synth, -1, 1)


_PULL_FRAMES = 1 << 16
KEEPER_CHANNELS = 256  # presets the keeper holds resident (fluidsynth allows up to 256 MIDI channels)
SPEAK_WINDOW_S = 0.15  # a plucked or struck sample's attack lies within its first 150 ms
SPEAK_LEVEL = 0.5  # a sample "speaks" when its envelope first reaches half its early peak (-6 dB)
SPEAK_VELOCITY = 100
SPEAK_SLOT_S = 0.6  # each key's slot in the measuring render: its 150 ms note, then its release


def _float_writer(fluidsynth: Any) -> Any:
    """fluid_synth_write_float (pyfluidsynth wraps only the int16 writer, which dithers with a running state: the
    same notes would not give the same samples twice). None where the library lacks it."""
    from ctypes import POINTER, c_float, c_int, c_void_p

    return fluidsynth.cfunc("fluid_synth_write_float", c_int, ("synth", c_void_p, 1), ("len", c_int, 1),
                            ("lout", POINTER(c_float), 1), ("loff", c_int, 1), ("lincr", c_int, 1),
                            ("rout", POINTER(c_float), 1), ("roff", c_int, 1), ("rincr", c_int, 1))


class _Writer:
    """Renders a synth's stereo float32 output into the rows of an array [2, n]."""

    def __init__(self, fluidsynth: Any, synth: Any) -> None:
        self._synth = synth
        self._write = _float_writer(fluidsynth)

    def into(self, out: np.ndarray, position: int, stop: int) -> None:
        """Frames ``position`` to ``stop`` written straight into ``out`` (float32 [2, n], C-contiguous): fluidsynth
        writes each channel at its own pointer with a stride of one, so nothing is allocated and nothing is copied
        (an interleaved buffer to de-interleave cost a quarter of the sampler's time: a strided copy per block)."""
        if stop <= position:
            return
        if self._write is None:  # an old library: int16 (dithered) samples, a bounded block at a time
            for start in range(position, stop, _PULL_FRAMES):
                count = min(stop - start, _PULL_FRAMES)
                block = np.asarray(self._synth.get_samples(count), dtype=np.float32).reshape(-1, 2).T
                out[:, start:start + count] = block * np.float32(1.0 / 32768.0)
            return
        from ctypes import POINTER, c_float, cast

        if not (out.flags.c_contiguous and out.dtype == np.float32):
            raise ValueError("the sampler renders into a C-contiguous float32 [2, n] array")
        left = cast(out[0].ctypes.data, POINTER(c_float))
        right = cast(out[1].ctypes.data, POINTER(c_float))
        for start in range(position, stop, _PULL_FRAMES):
            self._write(self._synth.synth, min(stop - start, _PULL_FRAMES), left, start, 1, right, start, 1)


def _pull(writer: _Writer, out: np.ndarray, position: int, stop: int) -> int:
    """Render from ``position`` to ``stop`` into float32 ``out`` [2, n], in place; returns ``stop``."""
    writer.into(out, position, stop)
    return max(position, stop)


Event = tuple[int, int, int, int]  # (sample, order: note-offs first, pitch, velocity; 0 = off)


def sounding_key(pitch: int, transpose: int) -> int:
    """The MIDI key a pitched note is played on: its pitch moved by the preset's transposition, kept within 0-127."""
    return int(np.clip(pitch + transpose, 0, 127))


def note_events(track: Track, sample_rate: int, *, seed: int = 0, velocity_jitter: int = 0,
                time_jitter_s: float = 0.0, transpose: int = 0,
                lead_s: Mapping[int, float] | None = None) -> list[Event]:
    """The track's notes as sorted on/off events. ``velocity_jitter`` and ``time_jitter_s`` vary each hit a little,
    the same way for the same seed (a second take of a double-tracked part, round-robin drum hits). ``transpose``
    moves every key (pitched tracks only; kept within 0-127): for a preset that sounds away from its key.
    ``lead_s``: sounding key -> seconds its note is sent early (the whole note, on and off), so a sample that speaks
    late (``SoundfontPlayer.speaking_delays``) sounds on its written time.

    A key struck again while it still sounds (a repeated chord tone, a legato comp) ends the earlier note there, as
    a player's finger must: on one MIDI channel a note-off is per key, so the earlier note's own note-off, coming
    later, would otherwise cut the new note short (a blues comp lost 135 of its 324 notes that way). Pitched tracks
    only."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(track.name.encode())])
    spans: list[tuple[int, int, int, int]] = []  # (start, end, pitch, velocity)
    for note in track.notes:
        shift = int(rng.uniform(-time_jitter_s, time_jitter_s) * sample_rate) if time_jitter_s > 0 else 0
        velocity = int(np.clip(note.velocity + (rng.integers(-velocity_jitter, velocity_jitter + 1)
                                                if velocity_jitter else 0), 1, 127))
        start = max(int(note.start_s * sample_rate) + shift, 0)
        pitch = note.pitch if track.is_drum else sounding_key(note.pitch, transpose)
        end = max(int(note.end_s * sample_rate) + shift, start + 1)
        if lead_s:
            early = round(lead_s.get(pitch, 0.0) * sample_rate)
            start, end = max(start - early, 0), max(end - early, 1)
        spans.append((start, max(end, start + 1), pitch, velocity))
    spans.sort()
    keep = [True] * len(spans)
    sounding: dict[int, int] = {}  # pitch -> index in spans of the note that holds that key
    for i, (start, end, pitch, velocity) in enumerate(spans):
        held = None if track.is_drum else sounding.get(pitch)  # a kit's hits: as they were (its owner's call)
        if held is not None and spans[held][1] > start:
            s, e, p, v = spans[held]
            if s == start:  # the same key struck twice at once: one note, the longer and the louder
                keep[held] = False
                spans[i] = (start, max(end, e), pitch, max(velocity, v))
            else:
                spans[held] = (s, start, p, v)
        sounding[pitch] = i
    spans = [span for span, kept in zip(spans, keep, strict=True) if kept]
    events: list[Event] = []
    for start, end, pitch, velocity in spans:
        events.append((start, 1, pitch, velocity))
        events.append((end, 0, pitch, 0))
    events.sort()
    return events


def _quiet(fluidsynth: Any) -> None:
    """fluidsynth logs a warning per channel whenever a soundfont is added or removed: keep errors only."""
    from ctypes import c_int, c_void_p

    set_log = fluidsynth.cfunc("fluid_set_log_function", c_void_p, ("level", c_int, 1), ("fun", c_void_p, 1),
                               ("data", c_void_p, 1))
    if set_log is not None:
        for level in (2, 3, 4):  # FLUID_WARN, FLUID_INFO, FLUID_DBG
            set_log(level, None, None)


def _sfont_calls(fluidsynth: Any) -> tuple[Any, Any, Any]:
    """fluid_synth_get_sfont_by_id / add_sfont / remove_sfont: one loaded soundfont shared by several synths."""
    from ctypes import c_int, c_void_p

    get = fluidsynth.cfunc("fluid_synth_get_sfont_by_id", c_void_p, ("synth", c_void_p, 1), ("id", c_int, 1))
    add = fluidsynth.cfunc("fluid_synth_add_sfont", c_int, ("synth", c_void_p, 1), ("sfont", c_void_p, 1))
    remove = fluidsynth.cfunc("fluid_synth_remove_sfont", c_int, ("synth", c_void_p, 1), ("sfont", c_void_p, 1))
    return get, add, remove


class SoundfontPlayer:
    """Every soundfont the process asked for, loaded once and shared (one player per sample rate).

    A keeper synth opens each soundfont once. Each track plays on a fresh synth that borrows the loaded soundfonts:
    fresh voices every time, so the same notes give the same samples whatever played before (a shared synth's
    voices keep state from earlier tracks), and tracks render on several threads at once. ``loaded`` says what is
    open.

    Samples are loaded per preset, as a render first asks for it (fluidsynth's dynamic sample loading), and stay
    resident: the keeper selects every preset once used on a channel of its own (``_pin``), so the samples' use
    count never falls to zero when a borrowing synth lets its preset go. MuseScore_General expanded to sf2 is
    ~470 MB of samples; a render touches a handful of presets (~30-150 MB). Without the pin every borrowing synth
    would read (an sf3: decode, ~3 s) its preset's samples again. Where the keeper's channels run out, presets
    play unpinned: correct, only slower.
    """

    _shared: ClassVar[dict[int, SoundfontPlayer]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, sample_rate: int) -> None:
        with contextlib.redirect_stdout(sys.stderr):  # pyfluidsynth prints where it found the library when CI is set
            import fluidsynth
        self._fluidsynth = fluidsynth
        _quiet(fluidsynth)
        self.sample_rate = sample_rate
        self._keeper = self._new_synth(KEEPER_CHANNELS)
        self._get_sfont, self._add_sfont, self._remove_sfont = _sfont_calls(fluidsynth)
        self._lock = threading.Lock()
        self._sfids: dict[Path, int] = {}
        self._sfonts: dict[Path, Any] = {}  # the keeper's soundfont objects, in load order
        self._pins: dict[Program, int] = {}  # preset -> the keeper channel that holds it (its samples resident)
        self._delay_lock = threading.Lock()
        self._delays: dict[tuple[Program, tuple[tuple[int, int, Program], ...]], dict[int, float]] = {}

    def _new_synth(self, channels: int = 16) -> Any:
        # the mixer owns reverb and chorus; fluidsynth's own effects were ~60% of its render time
        synth = self._fluidsynth.Synth(samplerate=float(self.sample_rate), **{
            "synth.reverb.active": 0, "synth.chorus.active": 0, "synth.polyphony": 256,
            "synth.dynamic-sample-loading": 1, "synth.midi-channels": channels})
        _set_linear_interpolation(self._fluidsynth, synth)
        return synth

    def _pin(self, program: Program) -> None:
        """Select ``program`` on a keeper channel of its own, once: its samples load now and stay resident."""
        if program in self._pins or len(self._pins) >= KEEPER_CHANNELS:
            return
        channel = len(self._pins)
        if self._keeper.program_select(channel, self._sfid(program.soundfont), program.bank, program.program) == 0:
            self._pins[program] = channel

    @classmethod
    def shared(cls, sample_rate: int) -> SoundfontPlayer:
        with cls._shared_lock:
            if sample_rate not in cls._shared:
                cls._shared[sample_rate] = cls(sample_rate)
            return cls._shared[sample_rate]

    @property
    def loaded(self) -> list[str]:
        return sorted(p.name for p in self._sfids)

    @property
    def resident(self) -> list[str]:
        """The presets whose samples are loaded and held (``Program.label``), in the order first asked for."""
        return [p.label for p in self._pins]

    def has_preset(self, program: Program) -> bool:
        with self._lock:
            return bool(self._keeper.sfpreset_name(self._sfid(program.soundfont), program.bank, program.program))

    def _sfid(self, path: Path) -> int:
        if path not in self._sfids:
            sfid = self._keeper.sfload(str(path))
            if sfid < 0:
                raise ValueError(f"fluidsynth could not load {path}")
            self._sfids[path] = sfid
            self._sfonts[path] = self._get_sfont(self._keeper.synth, sfid)
        return self._sfids[path]

    def speaking_delays(self, program: Program, keys: Sequence[int],
                        routes: Sequence[tuple[int, int, Program]] = ()) -> dict[int, float]:
        """Seconds from a note-on to the moment each key's sample speaks: its envelope (1 ms peaks) first reaches
        half of its peak within ``SPEAK_WINDOW_S``. Measured once per process and kept: the keys not yet known play
        one after another in one short render (a slot each, long enough for the previous release to have died
        away), on the preset and routes that play them. MuseScore_General's overdriven guitar speaks 16-40 ms after
        its note-on (a quiet pick noise, -12 to -30 dB, before the note blooms), its piano and acoustic guitars in
        2-10 ms: a part on the overdriven guitar sounded a flam behind the drums."""
        with self._delay_lock:  # tracks render on parallel threads
            cached = self._delays.setdefault((program, tuple(routes)), {})
            missing = sorted(set(keys) - cached.keys())
        measured: dict[int, float] = {}
        if missing:
            slot, held = round(SPEAK_SLOT_S * self.sample_rate), round(SPEAK_WINDOW_S * self.sample_rate)
            frame = max(1, round(0.001 * self.sample_rate))
            events: list[Event] = []
            for i, key in enumerate(missing):
                events += [(i * slot, 1, key, SPEAK_VELOCITY), (i * slot + held, 0, key, 0)]
            audio = np.abs(self.render(program, sorted(events), len(missing) * slot, routes)).max(axis=0)
            for i, key in enumerate(missing):
                attack = audio[i * slot: i * slot + held // frame * frame].reshape(-1, frame).max(axis=1)
                speaks = int(np.argmax(attack >= SPEAK_LEVEL * attack.max())) if attack.max() > 0 else 0
                measured[key] = speaks * frame / self.sample_rate
        with self._delay_lock:
            cached.update(measured)
            return {key: cached[key] for key in keys}

    def render(self, program: Program, events: list[Event], n_samples: int,
               routes: Sequence[tuple[int, int, Program]] = (), *, slides: bool = False,
               seed: int = 0) -> np.ndarray:
        """Events through ``program`` -> float32 [2, n_samples]. ``routes``: (lowest key, highest key, program):
        keys in a route play through its program instead (a faulty sample zone played from a neighbouring preset,
        or from the same preset with the wheel moved, ``Program.retune_semitones``, for a zone that sounds an
        octave off its key).
        ``slides``: the line is played with a slide (engine/voices/slides.py: glides and vibrato on the wheel)."""
        out = np.zeros((2, n_samples), dtype=np.float32)
        routes = routes[:14] if slides else routes[:15]  # channels 1-15 (0 plays the program; 15 a slide's 2nd)
        channel_of = [0] * 128
        for channel, (low, high, _routed) in enumerate(routes, start=1):
            channel_of[max(low, 0): min(high, 127) + 1] = [channel] * (min(high, 127) + 1 - max(low, 0))
        played: list[tuple[int, int, int, int, int]]  # (sample, order, channel, pitch, velocity)
        bends: list[tuple[int, int, int]] = []
        if slides:
            played, bends = slide_take(spans_of(events), self.sample_rate, seed=seed)
            played = [(at, order, channel_of[pitch] or channel, pitch, vel)  # a routed key keeps its route
                      for at, order, channel, pitch, vel in played]
        else:
            played = [(at, order, channel_of[pitch], pitch, vel) for at, order, pitch, vel in events]
        with self._lock:
            for sound in (program, *(routed for *_keys, routed in routes)):
                self._sfid(sound.soundfont)
                self._pin(sound)
            synth = self._new_synth()
            # every loaded soundfont, in the keeper's order, so each keeps its id (adding renumbers a soundfont
            # to the borrowing synth's next id, and the object is shared)
            borrowed = list(self._sfonts.values())
            ids = {path: self._add_sfont(synth.synth, sfont) for path, sfont in self._sfonts.items()}
            synth.program_select(0, ids[program.soundfont], program.bank, program.program)
            for channel, (*_keys, routed) in enumerate(routes, start=1):
                synth.program_select(channel, ids[routed.soundfont], routed.bank, routed.program)
                if routed.retune_semitones:  # the wheel's range, then the wheel, before any note
                    _set_bend_range(synth, channel)
                    synth.pitch_bend(channel, wheel(routed.retune_semitones))
            if slides:
                synth.program_select(SLIDE_CHANNELS[1], ids[program.soundfont], program.bank, program.program)
                for channel in SLIDE_CHANNELS:
                    _set_bend_range(synth, channel)
        writer = _Writer(self._fluidsynth, synth)
        try:
            position, b = 0, 0
            for sample, _order, channel, pitch, velocity in played:
                if sample >= n_samples:
                    break
                while b < len(bends) and bends[b][0] <= sample:  # a note's attack bend comes before its note-on
                    position = _pull(writer, out, position, bends[b][0])
                    synth.pitch_bend(bends[b][1], bends[b][2])
                    b += 1
                position = _pull(writer, out, position, sample)
                if velocity > 0:
                    synth.noteon(channel, pitch, velocity)
                else:
                    synth.noteoff(channel, pitch)
            for at, channel, value in bends[b:]:
                if at >= n_samples:
                    break
                position = _pull(writer, out, position, at)
                synth.pitch_bend(channel, value)
            _pull(writer, out, position, n_samples)
        finally:
            with self._lock:  # give the borrowed soundfonts back before the synth goes (they belong to the keeper)
                for sfont in reversed(borrowed):
                    self._remove_sfont(synth.synth, sfont)
                synth.delete()
        return out


class SamplerVoice:
    """Renders a Track through a shared ``SoundfontPlayer``: stereo float32 [2, n].

    ``double``: a second take with its own small timing and velocity differences, one take per side (a
    double-tracked guitar). ``round_robin``: each drum hit's velocity varies a little, so repeated hits
    land on different velocity layers and levels as a drummer's do. ``transpose``: semitones every key moves, for a
    preset that sounds away from the key it is played on (knowledge_base ``sampler.transpose``). ``routes``:
    (lowest key, highest key, program): sounding keys the preset's samples play wrongly, played through another
    preset (knowledge_base ``sampler.faults``). ``on_time``: each note is sent early by the time its sample takes to
    speak (``SoundfontPlayer.speaking_delays``, at most ``MAX_LEAD_S``), so a plucked or struck part sounds where it
    is written, as a producer moves a late-speaking sample (knowledge_base ``sampler.on_time_families``).
    """

    MAX_LEAD_S: ClassVar[float] = 0.06  # a pluck's or a strike's pre-roll; a slower onset is the articulation

    def __init__(self, soundfont: Path, *, program: Program | None = None, double: bool = False,
                 round_robin: bool = False, lowcut_hz: float = 0.0, lowpass_hz: float = 0.0, transpose: int = 0,
                 routes: Sequence[tuple[int, int, Program]] = (), slides: bool = False, on_time: bool = False) -> None:
        self.soundfont = soundfont
        self.program = program
        self.double = double
        self.round_robin = round_robin
        self.lowcut_hz = lowcut_hz  # a 4th-order high-pass on what it plays (a kit whose kick sits too low)
        self.lowpass_hz = lowpass_hz  # a 2nd-order low-pass on what it plays (a lo-fi beat's live kit)
        self.transpose = transpose
        self.routes = tuple(routes)
        self.slides = slides  # played with a slide: glides, slides into notes, the bar's vibrato (slides.py)
        self.on_time = on_time

    def _lead_s(self, player: SoundfontPlayer, program: Program, track: Track) -> dict[int, float] | None:
        """Sounding key -> seconds its notes go early (``on_time`` pitched parts), else None."""
        if not self.on_time or track.is_drum or not track.notes:
            return None
        keys = sorted({sounding_key(n.pitch, self.transpose) for n in track.notes})
        return {k: min(d, self.MAX_LEAD_S) for k, d in player.speaking_delays(program, keys, self.routes).items()}

    def program_for(self, track: Track) -> Program:
        if self.program is not None:
            return self.program
        return Program(self.soundfont, 128 if track.is_drum else 0, 0 if track.is_drum else track.gm_program)

    @property
    def label(self) -> str:
        return "sampler"

    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int = 0) -> np.ndarray:
        player = SoundfontPlayer.shared(sample_rate)
        program = self.program_for(track)
        jitter = 6 if self.round_robin else 0
        lead = self._lead_s(player, program, track)
        audio = player.render(program, note_events(track, sample_rate, seed=seed, velocity_jitter=jitter,
                                                   transpose=self.transpose, lead_s=lead), n_samples, self.routes,
                              slides=self.slides, seed=seed)
        if self.lowcut_hz > 0.0:
            sos = sps.butter(4, self.lowcut_hz / (sample_rate / 2.0), btype="highpass", output="sos")
            sosfilt_f32(sos, audio, out=audio)
        if 0.0 < self.lowpass_hz < sample_rate / 2.0:
            sos = sps.butter(2, self.lowpass_hz / (sample_rate / 2.0), btype="lowpass", output="sos")
            sosfilt_f32(sos, audio, out=audio)
        if not self.double:
            return audio
        # one take per side, each folded to mono in place (a ten-minute part never holds three stereo copies)
        audio[0] += audio[1]
        audio[0] *= np.float32(0.5)
        second = player.render(program, note_events(track, sample_rate, seed=seed + 1, velocity_jitter=8,
                                                    time_jitter_s=0.012, transpose=self.transpose, lead_s=lead),
                               n_samples,
                               self.routes, slides=self.slides, seed=seed + 1)
        np.add(second[0], second[1], out=audio[1])
        del second
        audio[1] *= np.float32(0.5)
        return audio
