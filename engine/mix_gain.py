"""Track levels over time, for the mixer (engine/mixer.py): the gain that stages every track at one level, the
preset's level per role, the section dynamics (gain automation) and the kick's side-chain duck. The long-signal
helpers work a CHUNK at a time, so a long render never holds a whole-length curve."""

from __future__ import annotations

import itertools

import numpy as np
from scipy import signal as sps

from engine.ddsp.core import db_to_amplitude
from knowledge_base.sound import MixPreset

CHUNK = 1 << 18  # samples a pedalboard call processes: a multiple of its 8192-sample buffer, so the result is the same


DUCK_FRAME = 64


def duck_gain(kick_times_s: list[float], n_samples: int, sample_rate: int, depth_db: float) -> np.ndarray:
    """The kick's side-chain gain per DUCK_FRAME samples (n_samples // DUCK_FRAME + 2 frames): ``frame_curve``
    makes it the per-sample curve."""
    frames = n_samples // DUCK_FRAME + 2
    frame_rate = sample_rate / DUCK_FRAME
    impulses = np.zeros(frames)
    idx = np.clip((np.asarray(kick_times_s) * frame_rate).astype(int), 0, frames - 1)
    impulses[idx] = 1.0
    env = np.minimum(sps.lfilter([1.0], [1.0, -np.exp(-1.0 / (0.12 * frame_rate))], impulses), 1.0)
    gain = 1.0 - (1.0 - db_to_amplitude(-depth_db)) * env
    return np.asarray(gain, dtype=np.float64)


def frame_curve(gain: np.ndarray, n_samples: int) -> np.ndarray:
    """Linear interpolation of per-frame values (one every DUCK_FRAME samples, len >= n // DUCK_FRAME + 2) to
    float32 [n_samples], a frame's block at a time in float32: what ``np.interp(arange(n) / DUCK_FRAME, ...)`` gives
    (within 1e-7 of a unit gain), without its two float64 arrays of n (a 3-minute render: 0.4 s -> 0.03 s)."""
    blocks = -(-n_samples // DUCK_FRAME)
    start = gain[:blocks].astype(np.float32)
    slope = np.diff(gain[:blocks + 1]).astype(np.float32)
    frac = np.arange(DUCK_FRAME, dtype=np.float32) / np.float32(DUCK_FRAME)
    curve = np.empty((blocks, DUCK_FRAME), dtype=np.float32)
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
        curve = frame_curve(duck[begin // DUCK_FRAME:], stop - begin) if duck is not None else None
        if automation is not None:
            curve = automation[begin:stop] if curve is None else automation[begin:stop] * curve
        if curve is not None:
            signal[..., begin:stop] *= curve


STAGING_RMS = 0.1  # every track enters its channel strip at -20 dBFS active RMS; gains_db then set the balance


def role_gain_db(preset: MixPreset, role: str, featured: bool = False) -> float:
    """The role's level in the preset; a featured part (an instrument the prompt named) never sits below the
    comping: a stated string pad is heard, not tucked at a colour layer's level, and so is a stated hand-percussion
    part, kit or no kit (the percussion level, under the comping, is for the line-up's own shaker or congas). At the
    drums' level, which a kitless score had given it, a stated woodblock, triangle or darbuka was the loudest part
    of its mix (-4 to -6 dB re the mix, over the melody); at the percussion level beside a kit, a stated dhol or
    shaker fell to -20 dB."""
    gain = preset.gains_db.get(role, -6.0)
    if not featured or role == "fx":
        return gain
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


def gain_automation(points: list[tuple[float, float]], n_samples: int, sample_rate: int) -> GainRamps | None:
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
