"""The Ultimate Mixer (spec §2): per-stem gain, EQ, dynamics and panning from the genre's mix preset,
sidechain ducking on the kick, a shared reverb bus, texture layers and transition effects.

Stems are returned exactly as they are summed, so ``sum(stems) == premaster`` holds by
construction (the reverb return is a stem of its own, as in a printed mix).
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pedalboard as pb
from pedalboard import Pedalboard  # type: ignore[attr-defined]
from scipy import signal as sps

from engine.ddsp.core import (
    NoteSpan,
    add_harmonic_presence,
    db_to_amplitude,
    mean_square,
    pan_gains,
    presence_harmonics,
    saturate,
    sosfilt_f32,
)
from engine.ddsp.textures import texture
from engine.score import Score
from engine.score import Track as ScoreTrack
from engine.stem_store import StemStore
from knowledge_base.sound import MixPreset

_DUCK_FRAME = 64


def _duck_gain(kick_times_s: list[float], n_samples: int, sample_rate: int, depth_db: float) -> np.ndarray:
    """The kick's side-chain gain per _DUCK_FRAME samples (n_samples // _DUCK_FRAME + 2 frames): ``frame_curve``
    makes it the per-sample curve."""
    frames = n_samples // _DUCK_FRAME + 2
    frame_rate = sample_rate / _DUCK_FRAME
    impulses = np.zeros(frames)
    idx = np.clip((np.asarray(kick_times_s) * frame_rate).astype(int), 0, frames - 1)
    impulses[idx] = 1.0
    env = np.minimum(sps.lfilter([1.0], [1.0, -np.exp(-1.0 / (0.12 * frame_rate))], impulses), 1.0)
    gain = 1.0 - (1.0 - db_to_amplitude(-depth_db)) * env
    return np.asarray(gain, dtype=np.float64)


def frame_curve(gain: np.ndarray, n_samples: int) -> np.ndarray:
    """Linear interpolation of per-frame values (one every _DUCK_FRAME samples, len >= n // _DUCK_FRAME + 2) to
    float32 [n_samples], a frame's block at a time in float32: what ``np.interp(arange(n) / _DUCK_FRAME, ...)`` gives
    (within 1e-7 of a unit gain), without its two float64 arrays of n (a 3-minute render: 0.4 s -> 0.03 s)."""
    blocks = -(-n_samples // _DUCK_FRAME)
    start = gain[:blocks].astype(np.float32)
    slope = np.diff(gain[:blocks + 1]).astype(np.float32)
    frac = np.arange(_DUCK_FRAME, dtype=np.float32) / np.float32(_DUCK_FRAME)
    curve = np.empty((blocks, _DUCK_FRAME), dtype=np.float32)
    np.multiply(slope[:, None], frac[None, :], out=curve)
    curve += start[:, None]
    return curve.reshape(-1)[:n_samples]


def apply_ducking(signal: np.ndarray, duck: np.ndarray | None, automation: np.ndarray | GainRamps | None) -> None:
    """``signal`` (float32 [n] or [2, n]) times the duck curve (``frame_curve`` of the frame gains ``duck``) and the
    automation curve [n] (either may be None), in place, a CHUNK at a time: the same products as multiplying by
    the whole-length curves, which a long render then never holds (a ten-minute one: 210 MB)."""
    n = signal.shape[-1]
    for begin in range(0, n, CHUNK):  # CHUNK is a whole number of frames
        stop = min(begin + CHUNK, n)
        curve = frame_curve(duck[begin // _DUCK_FRAME:], stop - begin) if duck is not None else None
        if automation is not None:
            curve = automation[begin:stop] if curve is None else automation[begin:stop] * curve
        if curve is not None:
            signal[..., begin:stop] *= curve


STAGING_RMS = 0.1  # every track enters its channel strip at -20 dBFS active RMS; gains_db then set the balance


def role_gain_db(preset: MixPreset, role: str, featured: bool = False, kitless: bool = False) -> float:
    """The role's level in the preset; a featured part (an instrument the prompt named) never sits below the
    comping: a stated string pad is heard, not tucked at a colour layer's level. Percussion beside a drum kit keeps
    its own level (a stated shaker is not a rhythm guitar); a stated percussion part in a score with no kit
    (``kitless``) is the band's drums and sits at their level: the taiko of an epic battle theme, the congas of a
    salsa band (at the percussion level an asked-for taiko was 22 dB under the mix)."""
    gain = preset.gains_db.get(role, -6.0)
    if not featured or role == "fx":
        return gain
    if role == "percussion":
        return max(gain, preset.gains_db.get("drums", 0.0)) if kitless else gain
    return max(gain, preset.gains_db.get("harmony", -8.0))


def staging_gain(signal: np.ndarray, sample_rate: int) -> float:
    """Gain that brings a track's *active* RMS (100 ms blocks within 40 dB of its loudest, as a loudness
    meter gates) to STAGING_RMS, so a preset's gains_db mean the same thing whatever the voice's raw level."""
    block = max(sample_rate // 10, 1)
    usable = signal.shape[-1] // block * block
    if usable == 0:
        return 1.0
    frames = signal[..., :usable].reshape(-1, block)
    power = np.einsum("ij,ij->i", frames, frames) / block
    loudest = float(power.max())
    if loudest <= 1e-12:
        return 1.0
    active = power[power >= loudest * 1e-4]
    rms = float(np.sqrt(active.mean()))
    return float(np.clip(STAGING_RMS / rms, db_to_amplitude(-30.0), db_to_amplitude(30.0)))


class GainRamps:
    """Gain automation as its stretches away from unity (sample ranges with a held level or a linear ramp): what a
    whole-length curve of ones with those stretches written in holds, without the curve (a 3-minute render: 32 MB to
    fill, and a full-length multiply per track, for a few seconds of ramps). ``ramps[i:j]`` is that curve's slice;
    ``apply`` multiplies a signal by it in place, touching only the stretches (x * 1 is x)."""

    def __init__(self, stretches: list[tuple[int, int, np.float32 | np.ndarray]], n_samples: int) -> None:
        self.stretches = stretches  # (start, stop, held level or the ramp's float32 values), in time order
        self.n_samples = n_samples

    def __getitem__(self, where: slice) -> np.ndarray:
        begin, stop, _ = where.indices(self.n_samples)
        curve = np.ones(max(stop - begin, 0), dtype=np.float32)
        for s0, s1, level in self.stretches:
            lo, hi = max(s0, begin), min(s1, stop)
            if hi > lo:
                curve[lo - begin:hi - begin] = level[lo - s0:hi - s0] if isinstance(level, np.ndarray) else level
        return curve

    def apply(self, signal: np.ndarray) -> None:
        """``signal`` (float32 [n] or [2, n]) times the automation curve, in place."""
        for s0, s1, level in self.stretches:
            signal[..., s0:s1] *= level


def _automation(points: list[tuple[float, float]], n_samples: int, sample_rate: int) -> GainRamps | None:
    """Gain automation from (time_s, gain) breakpoints; only ramps away from unity cost anything."""
    if not points:
        return None
    pts = sorted(points)
    stretches: list[tuple[int, int, np.float32 | np.ndarray]] = []
    for (t0, g0), (t1, g1) in itertools.pairwise(pts):
        s0, s1 = max(int(t0 * sample_rate), 0), min(int(t1 * sample_rate), n_samples)
        if s1 > s0 and not (g0 == 1.0 and g1 == 1.0):
            # a held level: what linspace would write, without computing it
            stretches.append((s0, s1, np.float32(g0) if g0 == g1 else
                              np.linspace(g0, g1, s1 - s0, dtype=np.float32)))
    return GainRamps(stretches, n_samples) if stretches else None  # all at unity: no multiply to do


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


HIGHSHELF_HZ = 8000.0
REVERB_HIGHPASS_HZ = 100.0  # the shared reverb send's low cut (2nd order)
Effect = Pedalboard | float  # a pedalboard chain, or a float: tanh saturation with that drive (dB)


def _note_spans(track: ScoreTrack | None) -> list[NoteSpan] | None:
    """A pitched part's notes as (start_s, end_s, pitch): its presence harmonics are built on them (None: a drum
    track, or no score track, and the harmonics follow the signal's own phase)."""
    if track is None or track.is_drum or not track.notes:
        return None
    return [(note.start_s, note.end_s, note.pitch) for note in track.notes]


def _chain(role: str, preset: MixPreset) -> list[Effect]:
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


CHUNK = 1 << 18  # samples a pedalboard call processes: a multiple of its 8192-sample buffer, so the result is the same


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
    usable = n // _DUCK_FRAME * _DUCK_FRAME
    blocks = x[:, :usable].reshape(x.shape[0], -1, _DUCK_FRAME)  # a view
    power = np.einsum("cij,cij->i", blocks, blocks, dtype=np.float64) / (x.shape[0] * _DUCK_FRAME)
    tail = x[:, usable:]
    power = np.concatenate([power, np.full(2, float(np.mean(tail.astype(np.float64) ** 2)) if tail.size else 0.0)])
    level = np.sqrt(power)
    # instant attack, exponential release: the larger of the level and its one-pole smoothing
    pole = float(np.exp(-1.0 / (DELAY_DUCK_RELEASE_S * sample_rate / _DUCK_FRAME)))
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
        wet *= frame_curve(gain[begin // _DUCK_FRAME:], dry.shape[-1])
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


_WIDTH_DELAY_S = {"pad": 0.017, "harmony": 0.011, "arp": 0.013, "counter": 0.019, "lead": 0.023, "percussion": 0.007,
                  "drums": 0.009}  # a room/overhead-like spread of the kit above 250 Hz (kick and bass stay mono)


def _highpass(x: np.ndarray, cutoff_hz: float, sample_rate: int, order: int = 2, *,
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


def delayed_in_place(x: np.ndarray, d: int) -> np.ndarray:
    """``x`` (1-d) delayed by ``d`` samples in its own buffer, zeros first: what ``concatenate([zeros(d), x[:-d]])``
    gives, without a second whole-length array. Moved from the end back a block at a time, so no block's source is
    overwritten before it is read (numpy buffers the overlap inside a block). Returns x."""
    n = x.shape[0]
    d = min(d, n)
    for stop in range(n, d, -CHUNK):
        start = max(stop - CHUNK, d)
        x[start:stop] = x[start - d:stop - d]
    x[:d] = 0.0
    return x


def width_side(mono: np.ndarray, *, delay_s: float, width: float, sample_rate: int,
               onto: np.ndarray | None = None, in_place: bool = False) -> np.ndarray:
    """The side signal that widens a mono track (a Lauridsen decorrelator): a copy delayed by ``delay_s`` and
    high-passed at 250 Hz, at ``width``. Added to the left and subtracted from the right, it cancels exactly in a
    mono fold-down, so mono keeps the dry track and loses no low end: float32 [n]. With ``onto`` (the panned dry
    stem [2, n] it will be added to and subtracted from) the width is held where the stem's L/R correlation stays
    >= 0: for a centred part L.R = |mid|^2 - |side|^2, so a side louder than the mid puts the channels out of phase
    (a DDSP arp, all above 250 Hz, at width 1.4: side/mid +3 dB, L/R correlation -0.37) and the part sounds hollow
    and phasey on speakers and thins out in mono; a panned part's side also meets its own delayed copy (a held
    chord's tones are periodic), so the bound is solved from the three dot products, not the powers alone.
    ``in_place``: ``mono`` (float32, owned, not needed afterwards) becomes the side (a ten-minute track: 106 MB less
    at the render's peak)."""
    d = max(int(delay_s * sample_rate), 1)
    if in_place and mono.dtype == np.float32 and mono.flags.c_contiguous:
        side = delayed_in_place(mono, d)
    else:
        side = np.empty_like(mono)
        side[:d] = 0.0
        side[d:] = mono[:-d]
    # in place, float32 states: fine at 250 Hz (-89 dB from a float64 run) and 2.5x faster
    sos = sps.butter(2, 250.0 / (sample_rate / 2.0), btype="highpass", output="sos")
    sosfilt_f32(sos, side, out=side, precise=False)
    side *= np.float32(width)
    if onto is not None:  # L.R(w) = P + w Q - w^2 H, with the side at w times this one: keep it >= 0
        in_phase = float(np.dot(onto[0], onto[1]))
        cross = float(np.dot(side, onto[1])) - float(np.dot(side, onto[0]))
        side_power = float(np.dot(side, side))
        if side_power > 0.0 and in_phase - side_power + cross < 0.0:
            most = (cross + np.sqrt(max(cross * cross + 4.0 * side_power * max(in_phase, 0.0), 0.0))) \
                / (2.0 * side_power)
            side *= np.float32(max(most, 0.0))
    return side


def side_mid_ratio(stem: np.ndarray) -> float:
    """Side power over mid power of a stereo [2, n] float32 stem, from three dot products (no side copy)."""
    left, right = stem[0], stem[1]
    ll, rr, lr = float(np.dot(left, left)), float(np.dot(right, right)), float(np.dot(left, right))
    mid = (ll + rr + 2.0 * lr) / 4.0
    return (ll + rr - 2.0 * lr) / 4.0 / mid if mid > 1e-20 else 0.0


def balance_gains(pan: float) -> tuple[float, float]:
    """Pan a stereo stem: the far side is turned down, the near one kept (a balance control)."""
    p = float(np.clip(pan, -1.0, 1.0))
    return min(1.0, 1.0 - p), min(1.0, 1.0 + p)


_Strip = np.ndarray  # the stereo stem [2, n]


def _collect(strips: deque[tuple[str, str, Future[_Strip]]], *, premaster: np.ndarray, send: np.ndarray,
             store: StemStore, preset: MixPreset, on_track: Callable[[str], None] | None = None) -> None:
    """Sum the oldest strip into the pre-master and the (half-rate) reverb send, and store its stem. Strips are taken
    in track order, so the result never depends on thread timing."""
    name, role, future = strips.popleft()  # dropping the future frees its arrays once they are stored
    stem = future.result()
    del future
    premaster += stem
    amount = preset.sends.get(role, 0.0)
    if amount > 0.0:
        add_half_rate(send, stem, amount)
    store.put(name, stem)
    del stem
    if on_track is not None:
        on_track(name)


Track = np.ndarray | Future[np.ndarray]  # a track's audio, or the synthesis still making it


def _strip_when_done(pool: ThreadPoolExecutor, strip: Callable[[str, list[Track], str], _Strip], role: str,
                     made: Future[np.ndarray], name: str) -> Future[_Strip]:
    """The channel strip of a track still being synthesised, submitted to ``pool`` the moment its synthesis is done
    (not when the tracks before it are): the strips of the tracks that finish first fill the cores while slower
    ones still play, and the last track to finish leaves only its own strip to run. The strip gets the Future in a
    box it empties, so the track's audio lives no longer than it does today."""
    stem: Future[_Strip] = Future()

    def run(box: list[Track]) -> None:
        if not stem.set_running_or_notify_cancel():
            return
        try:
            stem.set_result(strip(role, box, name))
        except BaseException as exc:  # a failed synthesis, or a failed strip: raised where the stem is collected
            stem.set_exception(exc)

    def launch(done: Future[np.ndarray]) -> None:
        box: list[Track] = [done]
        del done
        try:
            pool.submit(run, box)
        except RuntimeError as exc:  # the mix already failed and its pool is shut down
            stem.set_exception(exc)

    made.add_done_callback(launch)
    return stem


def mix(*, tracks: dict[str, tuple[str, Track]], score: Score, preset: MixPreset, sample_rate: int,
        seed: int, fx: np.ndarray | None, spill_dir: Path | None = None, n_samples: int | None = None,
        on_track: Callable[[str], None] | None = None,
        store: StemStore | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """tracks: name -> (role, float32 mono [n] or stereo [2, n], or a Future of one: a track still being synthesised
    is mixed as soon as it is done, while the others are still playing, and ``n_samples`` must then be given);
    consumed (emptied) as the stems are made. ``on_track(name)`` is called, on the calling thread and in track
    order, once a track's stem is in the mix. Returns (stems name -> [2, n], premaster [2, n]); ``spill_dir``: the
    stems are kept in files there (engine/stem_store.py). With ``store`` the stems go there instead (a spilled
    store may still be writing them: its caller calls ``finish`` for the complete stems; ``spill_dir`` is unused)."""
    if store is not None:
        return store.stems, _mix_into(store, tracks=tracks, score=score, preset=preset, sample_rate=sample_rate,
                                      seed=seed, fx=fx, n_samples=n_samples, on_track=on_track)
    own = StemStore(spill_dir)
    try:
        premaster = _mix_into(own, tracks=tracks, score=score, preset=preset, sample_rate=sample_rate, seed=seed,
                              fx=fx, n_samples=n_samples, on_track=on_track)
    except BaseException:
        own.close()
        raise
    return own.finish(), premaster


def _mix_into(store: StemStore, *, tracks: dict[str, tuple[str, Track]], score: Score, preset: MixPreset,
              sample_rate: int, seed: int, fx: np.ndarray | None, n_samples: int | None,
              on_track: Callable[[str], None] | None) -> np.ndarray:
    """``mix`` with its stems put in ``store``: the premaster."""
    if n_samples is not None:
        n = n_samples
    else:
        first = next(iter(tracks.values()))[1] if tracks else None
        n = first.result().shape[-1] if isinstance(first, Future) else first.shape[-1] if first is not None else (
            fx.shape[0] if fx is not None else 0)
    beat_s = score.step_s * 4
    automation = _automation(score.gain_points, n, sample_rate)
    duck = _duck_gain(score.kick_times_s, n, sample_rate, preset.ducking_db) \
        if preset.ducking_db > 0 and score.kick_times_s else None  # per frame: made per chunk where it is applied
    has_duck = duck is not None

    featured = {t.name for t in score.tracks if t.featured}
    by_name = {t.name: t for t in score.tracks}
    kitless = all(t.role != "drums" for t in score.tracks)

    def channel_strip(role: str, box: list[Track], name: str = "") -> _Strip:
        """Gain, presence, effects, automation/ducking, pan and width for one track -> the stereo stem [2, n].
        The track comes in a box that is emptied here, so nothing else keeps it alive once it is replaced."""
        made = box.pop()  # the mixer owns the track now (popped from ``tracks``): work in place
        signal = made.result() if isinstance(made, Future) else made  # waits for a track still being synthesised
        del made
        level_db = role_gain_db(preset, role, name in featured, kitless)
        signal *= np.float32(staging_gain(signal, sample_rate) * db_to_amplitude(level_db))
        cut_hz = max(preset.lowcut_hz.get(role, 0.0), rumble_cut_hz(by_name.get(name)))
        if cut_hz > 0.0:
            signal = _highpass(signal, cut_hz, sample_rate, order=4, in_place=True)
        ducked = role in preset.duck_roles and has_duck
        presence = preset.bass_presence.get(role, 0.0)
        spans = _note_spans(by_name.get(name)) if presence > 0.0 else None
        if presence > 0.0 and not ducked:  # odd harmonics (a rectifier's 2f, 4f: the bass heard an octave up)
            signal = add_harmonic_presence(signal, presence, sample_rate, notes=spans, in_place=True)
        signal = apply_chain(signal, _chain(role, preset), sample_rate)
        echo = preset.delay
        if echo.role == role and echo.mix > 0.0:
            signal = ducked_delay(signal, delay_s=echo.beats * beat_s, feedback=echo.feedback, mix=echo.mix,
                                  sample_rate=sample_rate)
        # a multiband side-chain: the kick ducks the bass's low end, which it masks, and leaves the upper harmonics
        # that carry the bass on small speakers (ducked with it, a plucked bass lost them with its attacks: boom
        # bap's double bass fell to 21% of its energy above 150 Hz)
        upper = presence_harmonics(signal, presence, sample_rate, notes=spans) if presence > 0.0 and ducked else None
        if ducked:
            apply_ducking(signal, duck, automation)
        elif automation is not None:
            automation.apply(signal)
        if upper is not None:  # the section's dynamics still shape them
            if automation is not None:
                automation.apply(upper)
            signal += upper
            del upper
        pan = preset.pans.get(role, 0.0)
        width = preset.widths.get(role, 0.0)
        if signal.ndim == 2:  # a stereo voice keeps its image; the role's pan turns the far side down
            left, right = balance_gains(pan)
            stem = np.asarray(signal, dtype=np.float32)
            narrow = side_mid_ratio(stem) < 0.1  # side/mid under -10 dB
            mid = stem.mean(axis=0) if width > 0.0 and narrow else None
            if left != 1.0:  # a centred stem (most) keeps both sides: no pass over it
                stem[0] *= np.float32(left)
            if right != 1.0:
                stem[1] *= np.float32(right)
            if mid is not None:  # a near-mono sample (most GM presets) is widened like a mono voice
                side = width_side(mid, delay_s=_WIDTH_DELAY_S.get(role, 0.015), width=width * 0.7071,
                                  sample_rate=sample_rate, onto=stem, in_place=True)
                del mid
                stem[0] += side
                stem[1] -= side
            return stem
        left, right = pan_gains(pan)
        stem = np.empty((2, n), dtype=np.float32)
        np.multiply(signal, np.float32(left), out=stem[0])
        np.multiply(signal, np.float32(right), out=stem[1])
        if width > 0.0:
            side = width_side(signal, delay_s=_WIDTH_DELAY_S.get(role, 0.015), width=width * 0.7071,
                              sample_rate=sample_rate, onto=stem, in_place=True)  # the track is not read again
            del signal
            stem[0] += side
            stem[1] -= side
        return stem

    send = np.zeros((2, n // 2), dtype=np.float32)  # the reverb send, at half the rate (add_half_rate)
    premaster = np.zeros((2, n), dtype=np.float32)
    workers = max(1, min(2, os.cpu_count() or 1))  # effects release the GIL
    strips: deque[tuple[str, str, Future[_Strip]]] = deque()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for name in list(tracks):
            role, mono = tracks.pop(name)
            if isinstance(mono, Future):  # its strip starts once its synthesis is done, in whatever order the
                # tracks finish (the synthesis bounds how many are in flight); they are still summed in track order
                strips.append((name, role, _strip_when_done(pool, channel_strip, role, mono, name)))
                del mono
                continue
            strips.append((name, role, pool.submit(channel_strip, role, [mono], name)))
            del mono
            if len(strips) >= workers:  # at most `workers` finished strips wait: a long render stays in memory
                _collect(strips, premaster=premaster, send=send, store=store, preset=preset, on_track=on_track)
        while strips:
            _collect(strips, premaster=premaster, send=send, store=store, preset=preset, on_track=on_track)
    automation = duck = None  # free the curves before the reverb and textures
    if fx is not None and np.any(fx):
        fx_signal = fx * np.float32(db_to_amplitude(preset.gains_db.get("fx", -12.0)) * 0.7071)
        fx_stem = np.stack([fx_signal, fx_signal])
        premaster += fx_stem
        add_half_rate(send, fx_stem, preset.sends.get("fx", 0.3))
        store.put("fx", fx_stem)
        del fx_stem
    if np.any(send):
        # the reverb's return is high-passed as engineers EQ a room return: a kick's or a bass's room tail is mud (and
        # the bulk of a mix's sub-octave rumble), the room is heard above it
        _highpass(send, REVERB_HIGHPASS_HZ, sample_rate // 2, in_place=True)
        r = preset.reverb
        reverb = pb.Reverb(room_size=r.room_size, damping=r.damping, wet_level=1.0, dry_level=0.0, width=r.width)
        wet = half_rate_return(reverb, send, n, sample_rate)
        wet *= np.float32(db_to_amplitude(r.return_db))
        premaster += wet
        store.put("reverb", wet)
        del wet
    del send
    kinds = score.texture_layers
    if kinds:
        rng = np.random.default_rng([seed & 0xFFFFFFFF, 9])
        layer = np.zeros((2, n), dtype=np.float32)
        for kind in kinds:  # the right channel is the left one a third of a second later: wide, and half the cost
            mono_layer = texture(kind, n, sample_rate, rng)
            layer[0] += mono_layer
            layer[1] += np.roll(mono_layer, int(0.37 * sample_rate))
        music_rms = float(np.sqrt(mean_square(premaster))) or 1e-3
        layer_rms = float(np.sqrt(mean_square(layer))) or 1e-9
        layer *= np.float32(music_rms * db_to_amplitude(preset.texture_db + 12.0) / layer_rms)
        premaster += layer
        store.put("texture", layer)
    return premaster
