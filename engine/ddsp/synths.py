"""The harmonic-plus-noise voice: a Track of notes -> float32 audio (mono, or stereo for a preset whose
unison voices spread left and right).

Why it is fast: identical notes (same pitch, length and velocity layer) are synthesised once and
overlap-added wherever they occur, and unique notes are synthesised in batches of similar length
as [n_notes, n_samples] tensors, so there is no per-sample Python and little per-note Python.
Continuous velocity scales each placed copy, so caching does not flatten the dynamics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from engine.ddsp import core
from engine.score import Track
from knowledge_base.sound import SynthPreset

BATCH_SAMPLES = 1_500_000  # unique-note samples synthesised per tensor batch
NOISE_LOOP_S = 2.0
VELOCITY_LAYERS = 4
BRIGHTNESS_LEVELS = 16
UNISON_LOCKED_HZ = 800.0  # a detuned pair's harmonics under this (the fundamental at least) play from one voice


def cabinet(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """A guitar cabinet as an EQ (a closed 4x12 with a dynamic mic): no lows under ~90 Hz, a low-mid thump, a
    presence lift, and a steep fall above ~5 kHz where a speaker stops. What turns a waveshaped saw from fizz
    into an amp when no guitar sample is installed."""
    import pedalboard as pb
    from pedalboard import Pedalboard  # type: ignore[attr-defined]
    from scipy import signal as sps

    x = np.asarray(audio, dtype=np.float64)
    sos = np.concatenate([sps.butter(2, 90.0 / (sample_rate / 2), btype="highpass", output="sos"),
                          sps.butter(4, 5000.0 / (sample_rate / 2), btype="lowpass", output="sos")])
    x = sps.sosfilt(sos, x, axis=-1).astype(np.float32)
    board = Pedalboard([pb.PeakFilter(cutoff_frequency_hz=120.0, gain_db=2.5, q=1.0),
                        pb.PeakFilter(cutoff_frequency_hz=2200.0, gain_db=3.0, q=0.9),
                        pb.PeakFilter(cutoff_frequency_hz=400.0, gain_db=-2.0, q=1.2)])
    shaped = board(x if x.ndim == 2 else x[None, :], sample_rate)
    return np.asarray(shaped if x.ndim == 2 else shaped[0], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _NoteKey:
    pitch: int
    gate_samples: int
    total_samples: int
    layer: int


class HarmonicVoice:
    """Renders tracks with one preset. ``render(track, n_samples, sample_rate, seed)`` -> [n_samples]."""

    def __init__(self, preset: SynthPreset, *, device: torch.device, presence_share: float = 0.0) -> None:
        self.preset = preset
        self.device = device
        self.presence_share = presence_share  # a bass: upper harmonics until this share lies above 150 Hz
        env = preset.envelope
        self._bright = torch.tensor(core.harmonic_distribution(
            shape=preset.shape, n_harmonics=preset.n_harmonics, even_gain=preset.even_gain,
            tilt_db_per_octave=preset.tilt_bright_db_per_octave, custom=preset.harmonics), dtype=torch.float32)
        self._dark = torch.tensor(core.harmonic_distribution(
            shape=preset.shape, n_harmonics=preset.n_harmonics, even_gain=preset.even_gain,
            tilt_db_per_octave=preset.tilt_dark_db_per_octave, custom=preset.harmonics), dtype=torch.float32)
        self._release_s = env.release_s

    def _tail_s(self) -> float:
        return self.preset.envelope.release_s

    def _decay_s(self, pitch: int) -> float:
        p = self.preset
        scale = 2.0 ** (-(pitch - 60) / 24.0 * p.pitch_decay_scale)
        return float(p.envelope.decay_s * scale)

    @property
    def stereo(self) -> bool:
        """Unison voices spread left and right (pads, leads): the voice renders [2, n]."""
        return self.preset.unison_cents > 0.0 and self.preset.stereo_spread > 0.0

    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int) -> np.ndarray:
        """[n_samples], or [2, n_samples] for a preset whose unison voices spread in stereo; a cabinet preset
        (a distorted guitar with no sample to play) goes through a guitar-cabinet EQ; with ``presence_share`` (a
        bass) the upper harmonics that carry it on small speakers are added (core.add_harmonic_presence)."""
        out = np.zeros((2, n_samples) if self.stereo else n_samples, dtype=np.float32)
        if not track.notes:
            return out
        placements: list[tuple[_NoteKey, int, float]] = []
        keys: dict[_NoteKey, None] = {}
        for note in track.notes:
            start = round(note.start_s * sample_rate)
            if start >= n_samples:
                continue
            gate = max(round(note.duration_s * 1000.0) * sample_rate // 1000, 32)
            if self.preset.percussive:
                gate = min(gate, int(self._decay_s(note.pitch) * 4.0 * sample_rate))
            total = gate + int(self._tail_s() * sample_rate)
            layer = min(int(note.velocity / 128.0 * VELOCITY_LAYERS), VELOCITY_LAYERS - 1)
            key = _NoteKey(note.pitch, gate, total, layer)
            keys[key] = None
            placements.append((key, start, (note.velocity / 127.0) ** 1.6))
        rendered = self._synthesise(list(keys), sample_rate=sample_rate, seed=seed)
        for key, start, gain in placements:
            audio = rendered[key]
            stop = min(start + audio.shape[-1], n_samples)
            out[..., start:stop] += gain * audio[..., : stop - start]
        if self.preset.cabinet:
            out = cabinet(out, sample_rate)
        if self.presence_share > 0.0:
            out = core.add_harmonic_presence(out, self.presence_share, sample_rate, in_place=True)
        return out

    def _synthesise(self, keys: list[_NoteKey], *, sample_rate: int, seed: int) -> dict[_NoteKey, np.ndarray]:
        keys = sorted(keys, key=lambda k: k.total_samples)
        generator = torch.Generator().manual_seed(seed & 0x7FFFFFFF)
        noise = None
        if self.preset.noise_level > 0.0:
            lo, hi = self.preset.noise_band_hz
            noise = core.filtered_noise(int(NOISE_LOOP_S * sample_rate), sample_rate, low_hz=lo,
                                        high_hz=min(hi, sample_rate * 0.45), generator=generator,
                                        device=self.device)
        out: dict[_NoteKey, np.ndarray] = {}
        batch: list[_NoteKey] = []
        for key in keys:
            if batch and (len(batch) + 1) * key.total_samples > BATCH_SAMPLES:
                out.update(self._batch(batch, sample_rate=sample_rate, noise=noise, generator=generator))
                batch = []
            batch.append(key)
        if batch:
            out.update(self._batch(batch, sample_rate=sample_rate, noise=noise, generator=generator))
        return out

    @torch.no_grad()
    def _batch(self, keys: list[_NoteKey], *, sample_rate: int, noise: torch.Tensor | None,
               generator: torch.Generator) -> dict[_NoteKey, np.ndarray]:
        """Synthesise notes [n_notes] -> audio [n_notes, n]: controls at frame rate, audio at sample rate."""
        p = self.preset
        dev = self.device
        n = max(k.total_samples for k in keys)
        hop = core.CONTROL_HOP
        frames = n // hop + 2
        frame_rate = sample_rate / hop
        pitch = torch.tensor([k.pitch for k in keys], dtype=torch.float32, device=dev)
        f0_hz = core.midi_to_hz(pitch)
        velocity = torch.tensor([(k.layer + 0.5) / VELOCITY_LAYERS for k in keys], dtype=torch.float32, device=dev)
        note_off_s = torch.tensor([k.gate_samples / sample_rate for k in keys], dtype=torch.float32, device=dev)
        decay_s = torch.tensor([self._decay_s(k.pitch) for k in keys], dtype=torch.float32, device=dev)
        # 1. controls at frame rate: loudness and brightness curves
        amp_frames = core.amplitude_envelope(n_samples=frames, sample_rate=int(frame_rate), note_off_s=note_off_s,
                                             attack_s=p.envelope.attack_s, decay_s=decay_s,
                                             sustain=p.envelope.sustain, release_s=p.envelope.release_s,
                                             percussive=p.percussive)
        base = torch.clamp(p.brightness * (1.0 - p.velocity_brightness) + velocity * p.velocity_brightness *
                           p.brightness * 1.4, 0.0, 1.0)
        peak = torch.clamp(torch.full_like(base, p.bright_peak) * (0.6 + 0.4 * velocity), min=base)
        mix_frames = core.brightness_curve(n_samples=frames, sample_rate=int(frame_rate), base=base, peak=peak,
                                           decay_s=p.bright_decay_s, attack_s=p.bright_attack_s)
        t_frames = torch.arange(frames, device=dev, dtype=torch.float32)[None, :] / frame_rate
        if p.tremolo_depth > 0.0:
            amp_frames = amp_frames * (1.0 - p.tremolo_depth * 0.5 *
                                       (1.0 - torch.cos(2.0 * math.pi * p.tremolo_rate_hz * t_frames)))
        amp = core.upsample_frames(amp_frames, n, hop)
        level = core.hold_frames((mix_frames * (BRIGHTNESS_LEVELS - 1)).round_().long() * core.TABLE_SIZE, n, hop)
        # 2. harmonic part: band-limited tables blended dark -> bright, read by a phase accumulator. A detuned unison
        # pair plays its lowest harmonics from the first voice only (core.unison_wavetables): a steady body, no
        # fundamental that cancels every few seconds, and the shimmer of the unison in the upper harmonics
        voices = [0.0] if p.unison_cents <= 0.0 else [-p.unison_cents / 2.0, p.unison_cents / 2.0]
        locked = UNISON_LOCKED_HZ if len(voices) > 1 else 0.0
        _, upper_dark, low_dark = core.unison_wavetables(self._dark.to(dev), f0_hz, sample_rate, locked_hz=locked)
        _, upper_bright, low_bright = core.unison_wavetables(self._bright.to(dev), f0_hz, sample_rate,
                                                             locked_hz=locked)
        tables = core.brightness_tables(upper_dark, upper_bright, BRIGHTNESS_LEVELS)
        low_tables = core.brightness_tables(low_dark, low_bright, BRIGHTNESS_LEVELS) if locked > 0.0 else None
        del upper_dark, upper_bright, low_dark, low_bright
        signal = torch.zeros(len(keys), n, device=dev)
        side: torch.Tensor | None = None  # stereo unison: the two detuned voices' difference, left minus right
        for i, detune in enumerate(voices):
            phase = core.phase_cycles(f0_hz, n, sample_rate, vibrato_rate_hz=p.vibrato_rate_hz,
                                      vibrato_depth_cents=p.vibrato_depth_cents,
                                      vibrato_delay_s=p.vibrato_delay_s, detune_cents=detune)
            voice = core.wavetable_read(tables, phase, level)
            signal += voice
            low = core.wavetable_read(low_tables, phase, level) if low_tables is not None and \
                (i == 0 or self.stereo) else None
            if i == 0 and low is not None:
                signal += low
            if self.stereo:  # each side hears mostly one whole voice, as before; the middle (mono) stays steady
                if low is not None:
                    voice += low * (1.0 / math.sqrt(2.0))
                side = voice.clone() if side is None else side - voice
        if len(voices) > 1:
            signal *= 1.0 / len(voices)
        # 3. inharmonic partials (bells, mallets, tines), each with its own decay
        if p.partials:
            t = torch.arange(n, device=dev, dtype=torch.float32)[None, :] / sample_rate
            for ratio, amount, partial_decay_s in p.partials:
                freq = f0_hz[:, None] * ratio
                audible = (freq < sample_rate * 0.45).float()
                decay = core.upsample_frames(torch.exp(-t_frames / partial_decay_s).expand(len(keys), -1), n, hop)
                signal += amount * audible * torch.sin(2.0 * math.pi * freq * t) * decay
        signal = core.soft_clip(signal * amp, p.drive)
        if side is not None:  # the spread follows the envelope (and the drive's small-signal gain); mono keeps `signal`
            small_signal_gain = (1.0 + p.drive) / math.tanh(1.0 + p.drive) if p.drive > 0.0 else 1.0
            side = side * amp * (0.5 * p.stereo_spread * small_signal_gain)
        # 4. filtered noise (breath, bow, pick), from a looped band-limited noise buffer
        if noise is not None:
            offsets = torch.randint(0, noise.shape[0], (len(keys),), generator=generator).tolist()
            loop = noise.repeat(n // noise.shape[0] + 2)
            chunk = torch.stack([loop[o: o + n] for o in offsets])
            if p.noise_decay_s is None:
                noise_env = amp
            else:
                noise_env = core.upsample_frames(torch.exp(-t_frames / p.noise_decay_s).expand(len(keys), -1), n, hop)
            signal += p.noise_level * 0.3 * chunk * noise_env * (0.5 + velocity[:, None])
        signal *= core.db_to_amplitude(p.gain_db) * 0.25
        host = signal.to("cpu").numpy()
        host_side = None if side is None else (side * (core.db_to_amplitude(p.gain_db) * 0.25)).to("cpu").numpy()
        fade_n = int(0.004 * sample_rate)
        ramp = np.linspace(1.0, 0.0, fade_n, dtype=np.float32)
        out: dict[_NoteKey, np.ndarray] = {}
        for i, k in enumerate(keys):  # a short fade where each note is cut, so no note ends in a click
            note = host[i, : k.total_samples].copy()
            if host_side is not None:  # left = mid + side, right = mid - side: a mono fold-down is the mid
                note = np.stack([note + host_side[i, : k.total_samples], note - host_side[i, : k.total_samples]])
            note[..., -fade_n:] *= ramp[-min(fade_n, note.shape[-1]):]
            out[k] = note
        return out
