"""The mixer's effects (engine/mixer.py): a role's insert chain (filters, saturation, compressor), the lead's
ducked tempo delay, the steep low cuts, and the shared reverb's half-rate send and return. Every long signal goes
through pedalboard a CHUNK at a time, in place."""

from __future__ import annotations

import numpy as np
import pedalboard as pb
from pedalboard import Pedalboard  # type: ignore[attr-defined]
from scipy import signal as sps

from engine.ddsp.core import saturate, sosfilt_f32
from engine.mix_gain import CHUNK, DUCK_FRAME, frame_curve
from engine.score import Track as ScoreTrack
from knowledge_base.sound import MixPreset

HIGHSHELF_HZ = 8000.0
Effect = Pedalboard | float  # a pedalboard chain, or a float: tanh saturation with that drive (dB)


_HALF_BLOCK = 1 << 15  # half-rate samples per block in add_half_rate and half_rate_return (fits in a core's cache)


def add_half_rate(send: np.ndarray, x: np.ndarray, amount: float) -> None:
    """Add ``x`` [2, n] times ``amount`` to a half-rate reverb send [2, n // 2]: pair averages, as ``half_rate_return``
    expects (the send never exists at the full rate: half the memory, and no downsampling pass later)."""
    half = send.shape[1]
    scale = np.float32(0.5 * amount)
    pair = np.empty(min(half, _HALF_BLOCK), dtype=np.float32)  # one small buffer, reused: no whole-length temporary
    for ch in range(send.shape[0]):
        for begin in range(0, half, _HALF_BLOCK):  # the same sums and products, a cache-sized block at a time
            stop = min(begin + _HALF_BLOCK, half)
            block = pair[:stop - begin]
            np.add(x[ch, 2 * begin:2 * stop:2], x[ch, 2 * begin + 1:2 * stop:2], out=block)
            block *= scale
            send[ch, begin:stop] += block


def half_rate_return(effect: pb.Plugin, half: np.ndarray, n: int, sample_rate: int) -> np.ndarray:
    """Run a (damped, band-limited) reverb on a half-rate send (float32 [2, m], overwritten): half the cost, and its
    tail has almost nothing above a quarter of the rate anyway. Linear interpolation back up to [2, n]."""
    wet = process_in_place(effect, half, sample_rate // 2)  # the send is the mixer's own: its return replaces it
    out = np.empty((half.shape[0], n), dtype=np.float32)
    m = 2 * half.shape[1]
    out[:, m - 1:] = 0.0  # the last odd sample (no right neighbour) and an odd n's last sample
    for ch in range(half.shape[0]):  # a cache-sized block at a time: the same values, one pass over memory
        for begin in range(0, half.shape[1], _HALF_BLOCK):
            stop = min(begin + _HALF_BLOCK, half.shape[1])
            out[ch, 2 * begin:2 * stop:2] = wet[ch, begin:stop]
            last = min(stop, half.shape[1] - 1)  # odd sample 2k + 1 lies between wet[k] and wet[k + 1]
            if last > begin:
                odd = out[ch, 2 * begin + 1:2 * last:2]
                np.add(wet[ch, begin:last], wet[ch, begin + 1:last + 1], out=odd)
                odd *= np.float32(0.5)
    return out


def insert_chain(role: str, preset: MixPreset) -> list[Effect]:
    """The role's insert effects in order: filters, saturation, compressor (the delay follows: ``ducked_delay``)."""
    filters: list[pb.Plugin] = []
    if role in preset.highpass_hz:
        filters.append(pb.HighpassFilter(cutoff_frequency_hz=preset.highpass_hz[role]))
    if role in preset.lowpass_hz:
        filters.append(pb.LowpassFilter(cutoff_frequency_hz=preset.lowpass_hz[role]))
    if preset.highshelf_db.get(role, 0.0) != 0.0:  # the overheads' view of a close-miked kit (mix_presets.yaml)
        filters.append(pb.HighShelfFilter(cutoff_frequency_hz=HIGHSHELF_HZ, gain_db=preset.highshelf_db[role], q=0.7))
    dynamics: list[pb.Plugin] = []
    if role in preset.compress:
        c = preset.compress[role]
        dynamics.append(pb.Compressor(threshold_db=c.threshold_db, ratio=c.ratio, attack_ms=c.attack_ms,
                                      release_ms=c.release_ms))
    drive = preset.saturation_db.get(role, 0.0)
    steps: list[Effect] = [Pedalboard(filters)] if filters else []
    steps += [float(drive)] if drive > 0.0 else []
    steps += [Pedalboard(dynamics)] if dynamics else []
    return steps


def process_in_place(board: pb.Plugin, x: np.ndarray, sample_rate: int) -> np.ndarray:
    """``board`` over x [ch, n] (float32, C-contiguous, owned) a CHUNK at a time with its state carried over, each
    processed chunk written back over its input: bit-identical to one call on the whole signal, without pedalboard's
    two whole-length copies (its input buffer and its output array: 130 MB and ~30k page faults per 3-minute stereo
    track). Returns x."""
    for i, start in enumerate(range(0, x.shape[-1], CHUNK)):
        x[:, start:start + CHUNK] = board(x[:, start:start + CHUNK], sample_rate, reset=i == 0)
    return x


DELAY_DUCK_DB = 18.0  # how far a delay's echoes dip while the dry line they repeat is playing
DELAY_DUCK_RANGE_DB = 12.0  # the dip is full at the line's usual level and none this far under it
DELAY_DUCK_RELEASE_S = 0.08  # how fast the line's level falls in the ducker's ear once it stops (a release)


def ducked_delay(signal: np.ndarray, *, delay_s: float, feedback: float, mix: float, sample_rate: int) -> np.ndarray:
    """``signal`` (float32 [n] or [2, n], owned) with a tempo delay whose return is ducked by the dry line, as an
    engineer sets a lead's or a vocal's echo: the repeats sound in the line's gaps and dip by DELAY_DUCK_DB under the
    notes they would blur (each repeat of a plain delay lands on a later note: a synth lead heard as written before
    the mixer was heard with a third more notes after it). The dry part is ``1 - mix`` as pedalboard's Delay mixes it.
    The same shape; works in place, a CHUNK at a time (a ten-minute lead never has a whole-length copy)."""
    x = signal if signal.ndim == 2 else signal[None, :]
    n = x.shape[-1]
    usable = n // DUCK_FRAME * DUCK_FRAME
    blocks = x[:, :usable].reshape(x.shape[0], -1, DUCK_FRAME)  # a view
    power = np.einsum("cij,cij->i", blocks, blocks, dtype=np.float64) / (x.shape[0] * DUCK_FRAME)
    tail = x[:, usable:]
    power = np.concatenate([power, np.full(2, float(np.mean(tail.astype(np.float64) ** 2)) if tail.size else 0.0)])
    level = np.sqrt(power)
    # instant attack, exponential release: the larger of the level and its one-pole smoothing
    pole = float(np.exp(-1.0 / (DELAY_DUCK_RELEASE_S * sample_rate / DUCK_FRAME)))
    envelope = np.maximum(level, sps.lfilter([1.0 - pole], [1.0, -pole], level))
    loud = float(np.percentile(envelope[envelope > 0.0], 90)) if np.any(envelope > 0.0) else 0.0
    depth = np.zeros_like(envelope)
    if loud > 0.0:  # the full dip at the line's usual level, none once it is DELAY_DUCK_RANGE_DB under it
        depth = np.clip(1.0 + 20.0 * np.log10(np.maximum(envelope / loud, 1e-6)) / DELAY_DUCK_RANGE_DB, 0.0, 1.0)
    gain = mix * 10.0 ** (-DELAY_DUCK_DB * depth / 20.0)  # the echo's level per frame
    board = Pedalboard([pb.Delay(delay_seconds=delay_s, feedback=feedback, mix=1.0)])
    for i, begin in enumerate(range(0, n, CHUNK)):  # CHUNK is a whole number of frames
        dry = x[:, begin:begin + CHUNK]
        wet = board(dry, sample_rate, reset=i == 0)  # a new array: the dry chunk is read before it is changed
        wet *= frame_curve(gain[begin // DUCK_FRAME:], dry.shape[-1])
        dry *= np.float32(1.0 - mix)
        dry += wet
    return signal


def apply_chain(signal: np.ndarray, steps: list[Effect], sample_rate: int) -> np.ndarray:
    """``signal`` (float32 [n] or [2, n], owned: every step works in place) through ``steps``; the same shape."""
    for step in steps:
        if isinstance(step, float):
            signal = saturate(signal, step)
        else:
            signal = np.ascontiguousarray(signal, dtype=np.float32)
            process_in_place(step, signal if signal.ndim == 2 else signal[None, :], sample_rate)
    return signal


def highpass(x: np.ndarray, cutoff_hz: float, sample_rate: int, order: int = 2, *,
              in_place: bool = False) -> np.ndarray:
    sos = sps.butter(order, cutoff_hz / (sample_rate / 2.0), btype="highpass", output="sos")
    return sosfilt_f32(sos, x, out=x if in_place else None)


RUMBLE_OCTAVES = 1.0  # a part's rumble cut sits this far under its lowest note


def rumble_cut_hz(track: ScoreTrack | None) -> float:
    """Where a pitched part's steep low cut goes, as a mix engineer high-passes every part but the kick and the bass
    just under its lowest note: an octave under the lowest fundamental it plays (a sampled violin's bow and room
    rumble at 30-40 Hz sat 6 dB over the cello's 63 Hz octave in a string quartet). 0: a drum or bass part (their
    roles' own cuts in mix_presets.yaml hold) or a part without notes."""
    if track is None or track.is_drum or track.role in ("bass", "drums", "percussion") or not track.notes:
        return 0.0
    lowest = min(note.pitch for note in track.notes)
    return float(440.0 * 2.0 ** ((lowest - 69) / 12.0 - RUMBLE_OCTAVES))
