"""The master bus: filters, genre-aware tonal balance, bus compression, fades, loudness to -14 LUFS and a
true-peak limiter.

Tonal balance: the mix's octave bands (63 Hz-8 kHz) are measured and moved part of the way toward the genre's
target tilt (mix_presets.yaml ``master.tilt_db_per_octave``, ``tonal_balance``), at most a few dB a band.

The limiter is a look-ahead gain computer in numpy: the gain each sample needs (from a 4x
oversampled peak estimate, the way BS.1770 defines true peak) is spread over a window with a
minimum filter and smoothed with a shorter moving average, which provably never lets a peak
through while keeping the gain changes a few milliseconds long.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pedalboard as pb
import pyloudnorm as pyln
from pedalboard import Pedalboard  # type: ignore[attr-defined]
from scipy import ndimage
from scipy import signal as sps

from engine.ddsp.core import mean_square, saturate, sosfilt_f32
from engine.mix_effects import process_in_place
from knowledge_base.sound import MasterSpec

TARGET_LUFS = -14.0
CEILING_DBTP = -1.0
_OVERSAMPLE = 4
# The interpolation filter scipy's resample_poly uses for 4x (81-tap Kaiser), split into 4 phases.
_FIR = np.concatenate([sps.firwin(81, 1.0 / _OVERSAMPLE, window=("kaiser", 5.0)) * _OVERSAMPLE, np.zeros(3)])
_PHASES = _FIR.reshape(-1, _OVERSAMPLE).T.astype(np.float32)  # [4, 21]: phase p, tap i = h[4 i + p]
_TAPS = _PHASES.shape[1]
_DELAY = 10  # the filter's group delay in input samples (40 / 4)


@dataclass(frozen=True, slots=True)
class MasterReport:
    loudness_lufs: float
    true_peak_dbtp: float
    gain_db: float


def true_peak_per_sample(x: np.ndarray, *, floor: float | None = None) -> np.ndarray:
    """Max over channels of the 4x-oversampled |signal| at each sample: [n] from x [ch, n].

    Interpolated values are computed only next to samples above ``floor`` (default: 3 dB under the
    loudest sample); band-limited music does not overshoot its samples by more, and after
    normalisation that is a tiny share of the samples, so this stays cheap on long signals.
    """
    a = np.abs(x[0])
    for ch in range(1, x.shape[0]):
        np.maximum(a, np.abs(x[ch]), out=a)
    level = float(a.max()) * 10.0 ** (-3.0 / 20.0) if floor is None else floor
    cand = np.flatnonzero(a > level)
    if cand.size == 0:
        return np.asarray(a)
    n = x.shape[1]
    outs = np.unique((cand[:, None] + _DELAY + np.arange(-1, 2)[None, :]).ravel())
    idx = outs[:, None] - np.arange(_TAPS)[None, :]  # the input samples each interpolated value reads
    inside = (idx >= 0) & (idx < n)  # beyond the ends the signal is zero (no padded copy of it is made)
    np.clip(idx, 0, n - 1, out=idx)
    best = np.zeros(outs.size, dtype=np.float32)
    for ch in range(x.shape[0]):
        taps = x[ch][idx]
        taps[~inside] = 0.0
        best = np.maximum(best, np.abs(taps @ _PHASES.T).max(axis=1))
    peaks = a  # a fresh array, not used again: no copy of the whole signal
    np.maximum.at(peaks, np.clip(outs - _DELAY, 0, n - 1), best)
    return np.asarray(peaks)


def true_peak_dbtp(x: np.ndarray) -> float:
    peak = float(true_peak_per_sample(x).max()) if x.size else 0.0
    return float(20.0 * np.log10(max(peak, 1e-12)))


def limit(x: np.ndarray, sample_rate: int, *, ceiling_dbtp: float, passes: int = 3,
          in_place: bool = False) -> np.ndarray:
    """Look-ahead true-peak limiter: x [ch, n] -> limited copy with true peak <= ceiling.

    Gain is computed only around the overs (regions padded by the look-ahead), so a long render
    costs little more than its loud moments. A gain change itself slightly reshapes the waveform
    between samples, so the result is measured again and any remaining overshoot removed.
    """
    ceiling = 10.0 ** (ceiling_dbtp / 20.0)
    hold = max(int(0.005 * sample_rate), 8)
    n = x.shape[1]
    x = x if in_place and x.dtype == np.float32 else np.array(x, dtype=np.float32, copy=True)
    floor = ceiling * 10.0 ** (-3.0 / 20.0)
    peaks = true_peak_per_sample(x, floor=floor)
    margin = 2 * (_TAPS + _DELAY)  # a sample's true peak depends on its neighbours within the filter's reach
    for _ in range(passes):
        overs = np.flatnonzero(peaks > ceiling)
        if overs.size == 0:
            break
        breaks = np.flatnonzero(np.diff(overs) > 4 * hold) + 1
        changed = []
        for group in np.split(overs, breaks):
            start, stop = max(int(group[0]) - 3 * hold, 0), min(int(group[-1]) + 3 * hold + 1, n)
            need = np.minimum(1.0, ceiling / np.maximum(peaks[start:stop], 1e-12)).astype(np.float32)
            gain = ndimage.minimum_filter1d(need, size=2 * hold + 1, mode="nearest")
            gain = ndimage.uniform_filter1d(gain, size=hold, mode="nearest")
            x[:, start:stop] *= gain[None, :]
            changed.append((start, stop))
        for start, stop in changed:  # measure again only where the gain changed the signal
            lo, hi = max(start - 2 * margin, 0), min(stop + 2 * margin, n)
            local = true_peak_per_sample(x[:, lo:hi], floor=floor)
            keep_lo, keep_hi = max(start - margin, 0), min(stop + margin, n)
            peaks[keep_lo:keep_hi] = local[keep_lo - lo: keep_hi - lo]
    return x


def loudness_lufs(x: np.ndarray, sample_rate: int) -> float:
    """BS.1770-4 integrated loudness with pyloudnorm's own K-weighting filters and gating.

    pyloudnorm's ``integrated_loudness`` sums each 400 ms block in a Python loop over strided
    columns (seconds per minute of audio); this does the same arithmetic on 100 ms hop sums, one
    channel at a time in float64, and agrees with it to within 0.01 LU (tests/engine/test_mastering.py).
    """
    meter = pyln.Meter(sample_rate)
    hop = round(0.1 * sample_rate)  # the gating step (75% overlap of 400 ms blocks)
    n = x.shape[1]
    n_blocks = round((n / sample_rate - 0.4) / 0.1) + 1
    if n_blocks < 1:
        return -70.0
    gains = np.array((1.0, 1.0, 1.0, 1.41, 1.41))[: x.shape[0]]
    # the K-weighting stages as one second-order-section filter (float64 states, float32 out: no float64 copy)
    stages = list(meter._filters.values())
    sos = np.stack([np.concatenate([st.b * st.passband_gain, st.a]) for st in stages])

    def block_powers(channel: np.ndarray) -> np.ndarray:
        y = sosfilt_f32(sos, channel)
        y *= y
        hops = np.zeros(n_blocks + 3)
        usable = min(y.size // hop, hops.size)
        hops[:usable] = y[: usable * hop].reshape(usable, hop).sum(axis=1, dtype=np.float64)
        if usable < hops.size and usable * hop < y.size:
            hops[usable] = y[usable * hop:].sum(dtype=np.float64)
        return np.asarray((hops[:n_blocks] + hops[1:n_blocks + 1] + hops[2:n_blocks + 2] + hops[3:n_blocks + 3])
                          / (4 * hop))

    z = np.stack(per_channel(block_powers, x))
    weighted = np.sum(z * gains[:, None], axis=0)
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(weighted)
    above_abs = block_lufs >= -70.0
    if not np.any(above_abs):
        return -70.0
    relative = -0.691 + 10.0 * np.log10(float(np.sum(gains * z[:, above_abs].mean(axis=1)))) - 10.0
    gated = (block_lufs > relative) & above_abs
    if not np.any(gated):
        return -70.0
    value = -0.691 + 10.0 * np.log10(float(np.sum(gains * z[:, gated].mean(axis=1))))
    return float(value) if np.isfinite(value) else -70.0


def per_channel(fn: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> list[np.ndarray]:
    """``fn`` on each channel of x [ch, n], the channels on parallel threads (scipy's filters and pedalboard release
    the GIL; every master stage but the limiter treats the channels independently): fn's results in order."""
    if x.shape[0] == 1:
        return [fn(x[0])]
    with ThreadPoolExecutor(max_workers=min(x.shape[0], 2)) as pool:
        return list(pool.map(fn, x))


EQ_BANDS_HZ = (63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0)
_ANALYSIS_SEGMENTS = 96  # Welch segments read for the tonal balance: a 10-minute render costs what a 30 s one does


def octave_levels_db(x: np.ndarray, sample_rate: int, bands_hz: tuple[float, ...] = EQ_BANDS_HZ) -> np.ndarray:
    """Energy per octave band of the mono sum (dB, arbitrary reference), from evenly spaced 8192-sample segments
    (the mono sum of those segments only: the same values as summing the whole render first, which cost a 3-minute
    master 0.3 s)."""
    seg = 8192
    count = x.shape[-1] // seg
    if count == 0:
        return np.zeros(len(bands_hz))
    starts = np.linspace(0, (count - 1) * seg, min(count, _ANALYSIS_SEGMENTS)).astype(int)
    segments = [x[:, s: s + seg].mean(axis=0) if x.ndim == 2 else x[s: s + seg] for s in starts]
    frames = np.stack(segments).astype(np.float64) * np.hanning(seg)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).mean(axis=0)
    freqs = np.fft.rfftfreq(seg, 1.0 / sample_rate)
    out = [float(power[(freqs >= f / np.sqrt(2)) & (freqs < f * np.sqrt(2))].sum()) for f in bands_hz]
    return np.asarray(10.0 * np.log10(np.asarray(out) + 1e-20))


def tonal_corrections_db(levels_db: np.ndarray, spec: MasterSpec,
                         bands_hz: tuple[float, ...] = EQ_BANDS_HZ) -> np.ndarray:
    """Per-band EQ gains (dB) that move the octave bands ``spec.tonal_balance`` of the way to the genre's target
    tilt (dB per octave, through the bands' own mean level; the 16 kHz octave ``spec.air_db`` under it), each within
    +-``spec.max_eq_db``."""
    octaves = np.log2(np.asarray(bands_hz) / 1000.0)
    target = spec.tilt_db_per_octave * octaves + np.where(np.asarray(bands_hz) > 11000.0, spec.air_db, 0.0)
    target += float(np.mean(levels_db - target))
    return np.asarray(np.clip(spec.tonal_balance * (target - levels_db), -spec.max_eq_db, spec.max_eq_db))


def eq_plugins(gains: np.ndarray) -> list[pb.Plugin]:
    """Fresh pedalboard filters for per-band gains (dB) at EQ_BANDS_HZ (a plugin keeps state: one set a thread)."""
    plugins: list[pb.Plugin] = []
    for i, (f, g) in enumerate(zip(EQ_BANDS_HZ, gains, strict=True)):
        if abs(g) < 0.2:
            continue
        if i == 0:
            plugins.append(pb.LowShelfFilter(cutoff_frequency_hz=f * 1.4, gain_db=float(g), q=0.7))
        elif i == len(EQ_BANDS_HZ) - 1:
            plugins.append(pb.HighShelfFilter(cutoff_frequency_hz=f / 1.4, gain_db=float(g), q=0.7))
        else:
            plugins.append(pb.PeakFilter(cutoff_frequency_hz=f, gain_db=float(g), q=1.0))
    return plugins


def _fades(x: np.ndarray, sample_rate: int, *, fade_in_s: float, fade_out_s: float) -> None:
    n = x.shape[1]
    n_in, n_out = min(int(fade_in_s * sample_rate), n), min(int(fade_out_s * sample_rate), n)
    if n_in:
        x[:, :n_in] *= np.linspace(0.0, 1.0, n_in, dtype=np.float32)[None, :]
    if n_out:
        x[:, n - n_out:] *= (np.linspace(1.0, 0.0, n_out, dtype=np.float32) ** 2)[None, :]


def _filters(x: np.ndarray, sample_rate: int, spec: MasterSpec) -> np.ndarray:
    """High-pass, low-pass, the genre's tonal balance, saturation and the bus compressor: [ch, n] -> [ch, n].
    Every stage treats the channels independently (pedalboard's compressor follows each channel's own envelope),
    so the two channels run on two threads."""
    # a 4th-order high-pass (pedalboard's is first order: 6 dB an octave leaves the sub-rumble), float64 states
    sos = sps.butter(4, spec.highpass_hz / (sample_rate / 2.0), btype="highpass", output="sos")
    per_channel(lambda ch: sosfilt_f32(sos, ch, out=ch), x)  # in place: x is the master's own copy
    if spec.lowpass_hz:
        process_in_place(Pedalboard([pb.LowpassFilter(cutoff_frequency_hz=spec.lowpass_hz)]), x, sample_rate)
    # the genre's target tilt, measured after the filters
    gains = tonal_corrections_db(octave_levels_db(x, sample_rate), spec) if spec.tonal_balance > 0.0 else None

    def strip(channel: np.ndarray) -> np.ndarray:  # each thread builds its own plugins (they keep state)
        row = channel[None, :]  # x's own row, processed in place a chunk at a time (no whole-length copies)
        chain = eq_plugins(gains) if gains is not None else []
        if chain:
            process_in_place(Pedalboard(chain), row, sample_rate)
        if spec.saturation_db > 0:
            saturate(row, spec.saturation_db)  # pedalboard's Distortion curve, vectorised
        compressor = pb.Compressor(threshold_db=spec.threshold_db, ratio=spec.ratio, attack_ms=15.0,
                                   release_ms=180.0)
        process_in_place(Pedalboard([compressor]), row, sample_rate)
        return channel

    per_channel(strip, x)
    return x


def master(premaster: np.ndarray, sample_rate: int, spec: MasterSpec, *, fade_out_s: float, fade_in_s: float = 0.005,
           target_lufs: float = TARGET_LUFS, ceiling_dbtp: float = CEILING_DBTP) -> tuple[np.ndarray, MasterReport]:
    """premaster [ch, n] float32 -> (mastered [ch, n] float32, report)."""
    x = np.ascontiguousarray(premaster, dtype=np.float32)
    rms = float(np.sqrt(mean_square(x))) if x.size else 0.0
    if rms < 1e-7:
        return x.copy(), MasterReport(-70.0, -120.0, 0.0)
    x = _filters(x * np.float32(10.0 ** (-18.0 / 20.0) / rms), sample_rate, spec)  # where the compressor's
    # settings mean something
    _fades(x, sample_rate, fade_in_s=fade_in_s, fade_out_s=fade_out_s)
    ceiling = ceiling_dbtp - 0.8  # margin for other meters (4x polyphase reads transients higher)
    gain_db = target_lufs - loudness_lufs(x, sample_rate)
    x *= np.float32(10.0 ** (gain_db / 20.0))
    for _ in range(2):  # limiting lowers the loudness a little: measure the loss on power, make it up
        power = mean_square(x)
        x = limit(x, sample_rate, ceiling_dbtp=ceiling, in_place=True)
        loss_db = 10.0 * np.log10(max(mean_square(x), 1e-20) / max(power, 1e-20))
        if loss_db > -0.1:
            break
        x *= np.float32(10.0 ** (-loss_db / 20.0))
        gain_db -= loss_db
    limited_power = mean_square(x)
    x = limit(x, sample_rate, ceiling_dbtp=ceiling, in_place=True)
    total_gain_db = gain_db
    # loudness after limiting follows from the measurement before it and the power the limiter took
    final_lufs = target_lufs + 10.0 * np.log10(max(mean_square(x), 1e-20) / max(limited_power, 1e-20))
    return np.asarray(x, dtype=np.float32), MasterReport(float(final_lufs), true_peak_dbtp(x), total_gain_db)
