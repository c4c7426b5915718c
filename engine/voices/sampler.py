"""Optional General-MIDI sampler voice: fluidsynth playing a soundfont, for acoustic instruments.

Used only when both pyfluidsynth and a soundfont are installed (``make install`` adds Debian's
fluidsynth + timgm6mb-soundfont where it can); otherwise the DDSP voice plays and the render result
says the sampler stage was skipped and why. It is not DDSP (it plays recorded samples), but it is a
``Voice`` like the others (engine/voices/base.py): a Track in, mono float32 audio out. The soundfont
is an argument: the engine's config (``EngineConfig.soundfont_path``, from ``SOUNDSTAR_SOUNDFONT``)
names it, else the usual Debian locations are searched.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np

from engine.score import Track

SOUNDFONT_PATHS = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/sounds/sf3/MuseScore_General.sf3"),
    Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
)
ACOUSTIC_FAMILIES = ("keyboard", "strings", "brass", "woodwind", "guitar", "plucked", "mallet")


def find_soundfont(path: Path | None = None, search: tuple[Path, ...] = SOUNDFONT_PATHS) -> Path | None:
    """The configured soundfont when it exists, else the first of ``search`` that does."""
    candidates = ([path] if path is not None else []) + list(search)
    return next((p for p in candidates if p.is_file()), None)


def sampler_status(path: Path | None = None) -> tuple[Path | None, str]:
    """(soundfont to use, or None with the reason the sampler cannot run)."""
    if importlib.util.find_spec("fluidsynth") is None:
        return None, "pyfluidsynth is not installed"
    soundfont = find_soundfont(path)
    if soundfont is None:
        return None, "no soundfont found (set SOUNDSTAR_SOUNDFONT or install timgm6mb-soundfont)"
    return soundfont, f"fluidsynth with {soundfont.name}"


def _set_linear_interpolation(fluidsynth: Any, synth: Any) -> None:
    """Linear sample interpolation instead of fluidsynth's 4th-order default: much cheaper, and inaudible
    under a mix. pyfluidsynth does not wrap this call, so it is declared here (a no-op where missing)."""
    from ctypes import c_int, c_void_p

    set_interp = fluidsynth.cfunc("fluid_synth_set_interp_method", c_int, ("synth", c_void_p, 1),
                                  ("chan", c_int, 1), ("interp_method", c_int, 1))
    if set_interp is not None:
        set_interp(synth.synth, -1, 1)


_PULL_FRAMES = 1 << 16


def _pull(synth: Any, out: np.ndarray, position: int, stop: int) -> int:
    """Render fluidsynth's stereo int16 output from ``position`` to ``stop`` straight into the mono float32
    ``out``, a bounded block at a time (a ten-minute track never exists as int16 + float copies)."""
    while position < stop:
        frames = min(stop - position, _PULL_FRAMES)
        block = np.asarray(synth.get_samples(frames), dtype=np.float32).reshape(-1, 2)
        out[position:position + block.shape[0]] = (block[:, 0] + block[:, 1]) * np.float32(0.5 / 32768.0)
        position += frames
    return position


class SamplerVoice:
    """Renders a Track through fluidsynth: note events in sample order, audio pulled between them."""

    def __init__(self, soundfont: Path) -> None:
        self.soundfont = soundfont

    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int = 0) -> np.ndarray:
        """``seed`` is unused: a sampler plays the same recording every time."""
        with contextlib.redirect_stdout(sys.stderr):  # pyfluidsynth prints where it found the library when CI is set
            import fluidsynth

        # the mixer owns reverb and chorus; fluidsynth's own effects were ~60% of its render time
        synth = fluidsynth.Synth(samplerate=float(sample_rate), channels=16, **{
            "synth.reverb.active": 0, "synth.chorus.active": 0, "synth.polyphony": 96})
        try:
            _set_linear_interpolation(fluidsynth, synth)
            sfid = synth.sfload(str(self.soundfont))
            channel = 9 if track.is_drum else 0
            synth.program_select(channel, sfid, 128 if track.is_drum else 0, 0 if track.is_drum else track.gm_program)
            events: list[tuple[int, int, int, int]] = []  # (sample, order, pitch, velocity); offs first
            for note in track.notes:
                start = int(note.start_s * sample_rate)
                events.append((start, 1, note.pitch, note.velocity))
                events.append((max(int(note.end_s * sample_rate), start + 1), 0, note.pitch, 0))
            events.sort()
            out = np.zeros(n_samples, dtype=np.float32)
            position = 0
            for sample, _order, pitch, velocity in events:
                if sample >= n_samples:
                    break
                position = _pull(synth, out, position, sample)
                if velocity > 0:
                    synth.noteon(channel, pitch, velocity)
                else:
                    synth.noteoff(channel, pitch)
            _pull(synth, out, position, n_samples)
        finally:
            synth.delete()
        return out
