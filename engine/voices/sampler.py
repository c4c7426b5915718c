"""Sampled voices: fluidsynth playing soundfonts, for acoustic instruments and acoustic drum kits.

Used only when pyfluidsynth and a soundfont are installed (``make install`` adds Debian's fluidsynth,
musescore-general-soundfont and avldrums.lv2-soundfont where it can); otherwise the DDSP voices play and the
render result says which voice played each stem and why. A sampler is a ``Voice`` like the others
(engine/voices/base.py), but renders stereo: a soundfont's own panning and stereo samples are kept.

Soundfonts are loaded ONCE per process and shared by every render and thread (``SoundfontPlayer.shared``):
one fluidsynth synth per sample rate, with dynamic sample loading (a preset's samples are read, and an sf3's
Ogg samples decoded, the first time that preset is selected: MuseScore_General takes ~11 s to decode whole,
a piano preset ~1 s), and every program on a channel of its own so its samples stay loaded. Tracks render
one at a time under the player's lock (fluidsynth mixes every channel into one output).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from engine.score import Track

SOUNDFONT_PATHS = (  # best first: MuseScore_General (GM + GS kits, lossy sf3), its lossless sf2, FluidR3, TimGM6mb
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

    @property
    def label(self) -> str:
        return f"{self.soundfont.name}:{self.bank}/{self.program}"


def _set_linear_interpolation(fluidsynth: Any, synth: Any) -> None:
    """Linear sample interpolation instead of fluidsynth's 4th-order default: much cheaper, and inaudible
    under a mix. pyfluidsynth does not wrap this call, so it is declared here (a no-op where missing)."""
    from ctypes import c_int, c_void_p

    set_interp = fluidsynth.cfunc("fluid_synth_set_interp_method", c_int, ("synth", c_void_p, 1),
                                  ("chan", c_int, 1), ("interp_method", c_int, 1))
    if set_interp is not None:
        set_interp(synth.synth, -1, 1)


_PULL_FRAMES = 1 << 16
_CHANNELS = 128
_BLOCK = 64  # fluidsynth's internal block: events take effect on its boundaries


def _pull(synth: Any, out: np.ndarray, position: int, stop: int) -> int:
    """Render fluidsynth's stereo int16 output from ``position`` to ``stop`` into float32 ``out`` [2, n], a bounded
    block at a time (a ten-minute track never exists as int16 + float copies)."""
    while position < stop:
        frames = min(stop - position, _PULL_FRAMES)
        block = np.asarray(synth.get_samples(frames), dtype=np.float32).reshape(-1, 2).T
        block *= np.float32(1.0 / 32768.0)
        out[:, position:position + block.shape[1]] = block
        position += frames
    return position


Event = tuple[int, int, int, int]  # (sample, order: note-offs first, pitch, velocity; 0 = off)


def note_events(track: Track, sample_rate: int, *, seed: int = 0, velocity_jitter: int = 0,
                time_jitter_s: float = 0.0) -> list[Event]:
    """The track's notes as sorted on/off events. ``velocity_jitter`` and ``time_jitter_s`` vary each hit a little,
    the same way for the same seed (a second take of a double-tracked part, round-robin drum hits)."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(track.name.encode())])
    events: list[Event] = []
    for note in track.notes:
        shift = int(rng.uniform(-time_jitter_s, time_jitter_s) * sample_rate) if time_jitter_s > 0 else 0
        velocity = int(np.clip(note.velocity + (rng.integers(-velocity_jitter, velocity_jitter + 1)
                                                if velocity_jitter else 0), 1, 127))
        start = max(int(note.start_s * sample_rate) + shift, 0)
        events.append((start, 1, note.pitch, velocity))
        events.append((max(int(note.end_s * sample_rate) + shift, start + 1), 0, note.pitch, 0))
    events.sort()
    return events


class SoundfontPlayer:
    """One fluidsynth synth with every soundfont it was asked for, shared by the whole process (per sample rate).

    ``render`` is thread-safe: a lock serialises whole tracks. Loading is lazy: a soundfont on first use, a
    preset's samples on first selection; ``loaded`` says what is resident.
    """

    _shared: ClassVar[dict[int, SoundfontPlayer]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, sample_rate: int) -> None:
        with contextlib.redirect_stdout(sys.stderr):  # pyfluidsynth prints where it found the library when CI is set
            import fluidsynth
        self.sample_rate = sample_rate
        # the mixer owns reverb and chorus; fluidsynth's own effects were ~60% of its render time
        self._synth = fluidsynth.Synth(samplerate=float(sample_rate), **{
            "synth.reverb.active": 0, "synth.chorus.active": 0, "synth.polyphony": 256,
            "synth.midi-channels": _CHANNELS, "synth.dynamic-sample-loading": 1})
        _set_linear_interpolation(fluidsynth, self._synth)
        self._lock = threading.Lock()
        self._sfids: dict[Path, int] = {}
        self._frames = 0  # frames pulled so far (fluidsynth's block phase)
        self._channels: dict[Program, int] = {}

    @classmethod
    def shared(cls, sample_rate: int) -> SoundfontPlayer:
        with cls._shared_lock:
            if sample_rate not in cls._shared:
                cls._shared[sample_rate] = cls(sample_rate)
            return cls._shared[sample_rate]

    @property
    def loaded(self) -> list[str]:
        return sorted(p.name for p in self._sfids)

    def has_preset(self, program: Program) -> bool:
        with self._lock:
            return bool(self._synth.sfpreset_name(self._sfid(program.soundfont), program.bank, program.program))

    def _sfid(self, path: Path) -> int:
        if path not in self._sfids:
            sfid = self._synth.sfload(str(path))
            if sfid < 0:
                raise ValueError(f"fluidsynth could not load {path}")
            self._sfids[path] = sfid
        return self._sfids[path]

    def _channel(self, program: Program) -> int:
        """The channel that keeps ``program`` selected (so its samples stay loaded); the oldest is reused when
        every channel is taken."""
        if program not in self._channels:
            if len(self._channels) >= _CHANNELS:
                oldest = next(iter(self._channels))
                channel = self._channels.pop(oldest)
            else:
                channel = len(self._channels)
            self._synth.program_select(channel, self._sfid(program.soundfont), program.bank, program.program)
            self._channels[program] = channel
        return self._channels[program]

    def _flush(self, extra: int = 0) -> None:
        """Pull and drop samples until fluidsynth's 64-frame block boundary (plus ``extra``): it applies events at
        block boundaries, so every track starts on one and the same notes give the same audio in any order."""
        frames = (-self._frames) % _BLOCK + extra
        if frames:
            self._synth.get_samples(frames)
            self._frames += frames

    def render(self, program: Program, events: list[Event], n_samples: int) -> np.ndarray:
        """Events through ``program`` -> float32 [2, n_samples]."""
        out = np.zeros((2, n_samples), dtype=np.float32)
        with self._lock:
            channel = self._channel(program)
            self._flush()
            position = 0
            try:
                for sample, _order, pitch, velocity in events:
                    if sample >= n_samples:
                        break
                    position = _pull(self._synth, out, position, sample)
                    if velocity > 0:
                        self._synth.noteon(channel, pitch, velocity)
                    else:
                        self._synth.noteoff(channel, pitch)
                position = _pull(self._synth, out, position, n_samples)
            finally:  # the next track starts from silence: no tail of this one leaks into it
                self._frames += position
                self._synth.all_sounds_off(channel)
                self._flush(2 * _BLOCK)
        return out


class SamplerVoice:
    """Renders a Track through a shared ``SoundfontPlayer``: stereo float32 [2, n].

    ``double``: a second take with its own small timing and velocity differences, one take per side (a
    double-tracked guitar). ``round_robin``: each drum hit's velocity varies a little, so repeated hits
    land on different velocity layers and levels as a drummer's do.
    """

    def __init__(self, soundfont: Path, *, program: Program | None = None, double: bool = False,
                 round_robin: bool = False) -> None:
        self.soundfont = soundfont
        self.program = program
        self.double = double
        self.round_robin = round_robin

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
        audio = player.render(program, note_events(track, sample_rate, seed=seed, velocity_jitter=jitter), n_samples)
        if not self.double:
            return audio
        second = player.render(program, note_events(track, sample_rate, seed=seed + 1, velocity_jitter=8,
                                                    time_jitter_s=0.012), n_samples)
        out = np.empty_like(audio)
        out[0] = audio.mean(axis=0)
        out[1] = second.mean(axis=0)
        return out
