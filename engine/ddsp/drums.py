"""Synthesised drums: kick, snare, clap, hats, cymbals, toms and hand percussion.

Each voice is a short one-shot built from the classic analog recipes (pitch-swept sine kick,
tone + band-passed noise snare, six detuned square waves for metal), rendered once per velocity
layer and round-robin variant, then overlap-added at every hit. One-shots are milliseconds long,
so numpy/scipy is simpler here than torch and just as fast.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy import signal as sps

from engine.ddsp.presets import DrumKit
from engine.structure.drums import VOICE_BY_PITCH

_METAL_HZ = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)
DEFAULTS: dict[str, dict[str, float]] = {
    "kick": {"f_start_hz": 150.0, "f_end_hz": 50.0, "pitch_decay_s": 0.04, "decay_s": 0.38, "click": 4.0,
             "drive": 1.5, "gain_db": 0.0},
    "snare": {"tone_hz": 185.0, "tone_decay_s": 0.09, "tone_level": 0.6, "noise_decay_s": 0.17, "noise_level": 0.85,
              "noise_lo_hz": 1500.0, "noise_hi_hz": 6000.0, "gain_db": -6.0},
    "rim": {"tone_hz": 1700.0, "decay_s": 0.03, "gain_db": -9.0},
    "clap": {"decay_s": 0.2, "lo_hz": 1000.0, "hi_hz": 2400.0, "gain_db": -10.0},
    "hat_closed": {"decay_s": 0.045, "lo_hz": 7000.0, "gain_db": -10.0},
    "hat_pedal": {"decay_s": 0.03, "lo_hz": 7000.0, "gain_db": -16.0},
    "hat_open": {"decay_s": 0.32, "lo_hz": 7000.0, "gain_db": -15.0},
    "crash": {"decay_s": 1.7, "lo_hz": 4000.0, "gain_db": -14.0},
    "ride": {"decay_s": 1.3, "lo_hz": 5000.0, "gain_db": -17.0},
    "ride_bell": {"decay_s": 0.9, "lo_hz": 2500.0, "gain_db": -17.0},
    "tom_low": {"f_start_hz": 130.0, "f_end_hz": 95.0, "decay_s": 0.35, "gain_db": -4.0},
    "tom_mid": {"f_start_hz": 180.0, "f_end_hz": 135.0, "decay_s": 0.3, "gain_db": -4.0},
    "tom_high": {"f_start_hz": 240.0, "f_end_hz": 185.0, "decay_s": 0.26, "gain_db": -4.0},
    "shaker": {"decay_s": 0.05, "lo_hz": 5500.0, "gain_db": -16.0},
    "tambourine": {"decay_s": 0.14, "lo_hz": 6000.0, "gain_db": -15.0},
    "cowbell": {"tone_hz": 560.0, "decay_s": 0.22, "gain_db": -14.0},
    "conga_high": {"f_start_hz": 360.0, "f_end_hz": 330.0, "decay_s": 0.18, "gain_db": -8.0},
    "conga_low": {"f_start_hz": 240.0, "f_end_hz": 215.0, "decay_s": 0.22, "gain_db": -8.0},
    "bongo_high": {"f_start_hz": 480.0, "f_end_hz": 440.0, "decay_s": 0.12, "gain_db": -9.0},
    "bongo_low": {"f_start_hz": 350.0, "f_end_hz": 320.0, "decay_s": 0.15, "gain_db": -9.0},
    "timbale": {"f_start_hz": 520.0, "f_end_hz": 480.0, "decay_s": 0.25, "gain_db": -10.0},
    "clave": {"tone_hz": 2500.0, "decay_s": 0.04, "gain_db": -12.0},
    "wood_block": {"tone_hz": 1200.0, "decay_s": 0.05, "gain_db": -11.0},
    "triangle": {"tone_hz": 4200.0, "decay_s": 0.9, "gain_db": -20.0},
}
LAYERS = 3
VARIANTS = 3


def _t(duration_s: float, sample_rate: int) -> np.ndarray:
    return np.arange(int(duration_s * sample_rate), dtype=np.float32) / np.float32(sample_rate)


def _band(x: np.ndarray, lo_hz: float, hi_hz: float, sample_rate: int) -> np.ndarray:
    nyq = sample_rate / 2.0
    hi = min(hi_hz, nyq * 0.95)
    if lo_hz <= 0:
        sos = sps.butter(2, hi / nyq, btype="lowpass", output="sos")
    elif hi >= nyq * 0.94:
        sos = sps.butter(2, lo_hz / nyq, btype="highpass", output="sos")
    else:
        sos = sps.butter(2, [lo_hz / nyq, hi / nyq], btype="bandpass", output="sos")
    return np.asarray(sps.sosfilt(sos, x))


def _swept_sine(t: np.ndarray, f_start: float, f_end: float, pitch_decay_s: float, sample_rate: int) -> np.ndarray:
    freq = f_end + (f_start - f_end) * np.exp(-t / pitch_decay_s)
    return np.sin(2 * np.pi * np.cumsum(freq) / sample_rate)


def _metal(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros_like(t)
    for f in _METAL_HZ:  # square waves from the phase directly: cheaper than sign(sin)
        phase = (f * (1 + rng.normal(0, 0.002)) * t + rng.uniform(0, 1)) % 1.0
        out += np.where(phase < 0.5, np.float32(1.0), np.float32(-1.0))
    return out / np.float32(len(_METAL_HZ))


def one_shot(voice: str, params: dict[str, float], *, sample_rate: int, velocity: float,
             rng: np.random.Generator) -> np.ndarray:
    """One hit of ``voice`` at ``velocity`` (0..1): float32 [n]."""
    p = {**DEFAULTS.get(voice, DEFAULTS["rim"]), **params}
    decay = p.get("decay_s", 0.2)
    bright = 0.6 + 0.4 * velocity
    if voice == "kick":
        t = _t(decay * 4.5, sample_rate)
        body = _swept_sine(t, p["f_start_hz"], p["f_end_hz"], p["pitch_decay_s"], sample_rate) * np.exp(-t / decay)
        click = _band(rng.standard_normal(t.size), 700, 12000, sample_rate) * np.exp(-t / 0.006) * p["click"]
        out = np.tanh((body + click * bright) * (1 + p["drive"])) / np.tanh(1 + p["drive"])
    elif voice in ("snare",):
        t = _t(max(p["noise_decay_s"], p["tone_decay_s"]) * 5, sample_rate)
        tone = (np.sin(2 * np.pi * p["tone_hz"] * t) + 0.5 * np.sin(2 * np.pi * p["tone_hz"] * 1.78 * t))
        tone *= np.exp(-t / p["tone_decay_s"]) * p["tone_level"]
        noise = _band(rng.standard_normal(t.size), p["noise_lo_hz"], p["noise_hi_hz"], sample_rate)
        noise *= np.exp(-t / p["noise_decay_s"]) * p["noise_level"] * bright * 1.6
        out = tone + noise
    elif voice == "clap":
        t = _t(decay * 5, sample_rate)
        env = np.exp(-t / decay)
        for offset in (0.0, 0.011, 0.022):
            env += 1.5 * np.exp(-np.clip(t - offset, 0, None) / 0.006) * (t >= offset)
        out = _band(rng.standard_normal(t.size), p["lo_hz"], p["hi_hz"], sample_rate) * env * 1.2
    elif voice in ("hat_closed", "hat_open", "hat_pedal", "crash", "ride", "ride_bell", "shaker", "tambourine"):
        t = _t(decay * 3.5, sample_rate)
        metal = _metal(t, rng) if voice not in ("shaker",) else 0.0
        noise = rng.standard_normal(t.size, dtype=np.float32)
        mix = {"crash": 0.5, "ride": 0.7, "ride_bell": 0.85, "shaker": 0.0, "tambourine": 0.6}.get(voice, 0.55)
        raw = mix * metal * 2.0 + (1 - mix) * noise
        attack = np.clip(t / (0.012 if voice == "shaker" else 0.0008), 0, 1)
        out = _band(raw, p["lo_hz"], sample_rate / 2, sample_rate) * np.exp(-t / decay) * attack * bright * 2.0
    elif voice.startswith(("tom", "conga", "bongo", "timbale")):
        t = _t(decay * 4.5, sample_rate)
        out = _swept_sine(t, p["f_start_hz"], p["f_end_hz"], 0.05, sample_rate) * np.exp(-t / decay)
        out += _band(rng.standard_normal(t.size), 800, 5000, sample_rate) * np.exp(-t / 0.006) * 0.15
    elif voice == "cowbell":
        t = _t(decay * 4.5, sample_rate)
        sq = np.sign(np.sin(2 * np.pi * p["tone_hz"] * t)) + np.sign(np.sin(2 * np.pi * p["tone_hz"] * 1.5 * t))
        out = _band(sq, 400, 3000, sample_rate) * np.exp(-t / decay)
    else:  # rim, clave, wood_block, triangle: a short resonant tone
        t = _t(decay * 5, sample_rate)
        out = np.sin(2 * np.pi * p["tone_hz"] * t) * np.exp(-t / decay)
        out += _band(rng.standard_normal(t.size), 1500, 9000, sample_rate) * np.exp(-t / 0.003) * 0.3
    if "lowpass_hz" in p:
        out = _band(out, 0.0, p["lowpass_hz"], sample_rate)
    fade = np.clip((out.size - 1 - np.arange(out.size)) / (0.003 * sample_rate), 0, 1)
    gain = 10.0 ** (p.get("gain_db", 0.0) / 20.0) * (0.35 + 0.65 * velocity)
    return np.asarray((out * fade * gain * 0.5).astype(np.float32))


# Pitched drums are tuned to the key (interval above the tonic), as engineers tune kicks and toms:
# an untuned 50 Hz kick is a loud G that pulls the whole track toward G.
_TUNING = {"kick": 0, "tom_low": 7, "tom_mid": 0, "tom_high": 0, "snare": 7, "conga_low": 0, "conga_high": 7,
           "bongo_low": 0, "bongo_high": 7, "timbale": 0}


def tune(params: dict[str, float], voice: str, tonic_pc: int | None) -> dict[str, float]:
    """Shift a voice's pitch parameters by the smallest ratio that puts it on its key-relative note."""
    if tonic_pc is None or voice not in _TUNING:
        return params
    key = "f_end_hz" if "f_end_hz" in params else "tone_hz"
    if key not in params:
        return params
    midi = 69.0 + 12.0 * np.log2(params[key] / 440.0)
    target_pc = (tonic_pc + _TUNING[voice]) % 12
    shift = ((target_pc - round(midi)) + 6) % 12 - 6 + (round(midi) - midi)
    ratio = 2.0 ** (shift / 12.0)
    out = dict(params)
    for name in ("f_start_hz", "f_end_hz", "tone_hz"):
        if name in out:
            out[name] = out[name] * ratio
    return out


ShotCache = dict[tuple[str, str, int, int, int, int | None], np.ndarray]
_LONG_VOICES = {"crash", "ride", "ride_bell", "triangle", "hat_open"}


class DrumVoice:
    """Renders a drum Track with one kit (notes carry GM drum numbers), tuned to ``tonic_pc``.

    One-shots depend only on (kit, voice, velocity layer, variant, sample rate, tuning), never on the
    render seed, so an engine can keep them in ``cache`` across renders like a sampler keeps samples.
    """

    def __init__(self, kit: DrumKit, *, tonic_pc: int | None = None, cache: ShotCache | None = None) -> None:
        self.kit = kit
        self.tonic_pc = tonic_pc
        self.cache: ShotCache = {} if cache is None else cache

    def _params(self, voice: str) -> dict[str, float]:
        merged = {**DEFAULTS.get(voice, DEFAULTS["rim"]), **self.kit.voices.get("*", {}),
                  **self.kit.voices.get(voice, {})}
        return tune(merged, voice, self.tonic_pc)

    def render(self, notes: list[tuple[float, int, int]], *, n_samples: int, sample_rate: int,
               seed: int) -> np.ndarray:
        """notes: (start_s, gm_pitch, velocity). Returns float32 [n_samples]."""
        out = np.zeros(n_samples, dtype=np.float32)
        kit_gain = 10.0 ** (self.kit.gain_db / 20.0)
        for k, (start_s, pitch, velocity) in enumerate(notes):
            voice = VOICE_BY_PITCH.get(pitch, "rim")
            layer = min(int(velocity / 128.0 * LAYERS), LAYERS - 1)
            variant = 0 if voice in _LONG_VOICES else (k + seed) % VARIANTS
            key = (self.kit.id, voice, layer, variant, sample_rate, self.tonic_pc)
            if key not in self.cache:
                rng = np.random.default_rng([zlib.crc32(voice.encode()), layer, variant])
                self.cache[key] = one_shot(voice, self._params(voice), sample_rate=sample_rate,
                                           velocity=(layer + 0.7) / LAYERS, rng=rng)
            shot = self.cache[key]
            start = round(start_s * sample_rate)
            if start >= n_samples:
                continue
            stop = min(start + shot.size, n_samples)
            scale = kit_gain * (velocity / ((layer + 0.7) / LAYERS * 127.0)) ** 0.5
            out[start:stop] += scale * shot[: stop - start]
        return out
