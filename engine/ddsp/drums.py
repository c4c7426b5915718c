"""Synthesised drums: kick, snare, clap, hats, cymbals, toms and hand percussion.

Each voice is a short one-shot built from the classic analog recipes (pitch-swept sine kick,
tone + band-passed noise snare, six detuned square waves for metal), rendered once per velocity
layer and round-robin variant, then overlap-added at every hit. One-shots are milliseconds long,
so numpy/scipy is simpler here than torch and just as fast. The voices, their GM notes, recipes, default
parameters and tuning are data (knowledge_base/synth_presets.yaml ``drum_voices``); only the recipes are code.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

import numpy as np
from scipy import signal as sps

from engine.score import Track
from knowledge_base.sound import DrumKit, DrumVoiceSpec

_METAL_HZ = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)
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


def _pink(n: int, rng: np.random.Generator, lo_hz: float, hi_hz: float, sample_rate: int) -> np.ndarray:
    """Noise with equal energy per octave (-3 dB an octave, shaped in the frequency domain), as much of it between
    ``lo_hz`` and ``hi_hz`` as white noise has there: a snare's wires and a clap's palms sound with most of their
    energy low in their band (their body), where white noise puts it at the top (a thin hiss). float64 [n]."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
    band = (freqs >= lo_hz) & (freqs < hi_hz)
    white = float(np.sum(np.abs(spectrum[band]) ** 2))
    spectrum /= np.sqrt(np.maximum(freqs, 20.0))
    pink = float(np.sum(np.abs(spectrum[band]) ** 2))
    spectrum *= np.sqrt(white / pink) if pink > 0.0 else 1.0
    return np.asarray(np.fft.irfft(spectrum, n=n))


def _swept_sine(t: np.ndarray, f_start: float, f_end: float, pitch_decay_s: float, sample_rate: int) -> np.ndarray:
    freq = f_end + (f_start - f_end) * np.exp(-t / pitch_decay_s)
    return np.sin(2 * np.pi * np.cumsum(freq) / sample_rate)


def _metal(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros_like(t)
    for f in _METAL_HZ:  # square waves from the phase directly: cheaper than sign(sin)
        phase = (f * (1 + rng.normal(0, 0.002)) * t + rng.uniform(0, 1)) % 1.0
        out += np.where(phase < 0.5, np.float32(1.0), np.float32(-1.0))
    return out / np.float32(len(_METAL_HZ))


def one_shot(recipe: str, p: dict[str, float], *, sample_rate: int, velocity: float,
             rng: np.random.Generator) -> np.ndarray:
    """One hit built by ``recipe`` (see synth_presets.yaml ``drum_voices``) with parameters ``p``, at
    ``velocity`` (0..1): float32 [n]."""
    decay = p.get("decay_s", 0.2)
    bright = 0.6 + 0.4 * velocity
    if recipe == "kick":
        t = _t(decay * 4.5, sample_rate)
        body = _swept_sine(t, p["f_start_hz"], p["f_end_hz"], p["pitch_decay_s"], sample_rate) * np.exp(-t / decay)
        click = _band(rng.standard_normal(t.size), 700, 12000, sample_rate) * np.exp(-t / 0.006) * p["click"]
        out = np.tanh((body + click * bright) * (1 + p["drive"])) / np.tanh(1 + p["drive"])
    elif recipe == "snare":  # a tuned shell (a membrane's first modes, the pitch dropping as the head settles) + wires
        t = _t(max(p["noise_decay_s"], p["tone_decay_s"]) * 5, sample_rate)
        drop = 1.0 + 0.12 * np.exp(-t / 0.012)
        tone = np.zeros_like(t)
        for ratio, level, decay_scale in ((1.0, 1.0, 1.0), (1.59, 0.55, 0.7), (2.14, 0.35, 0.5), (2.65, 0.2, 0.4)):
            phase = 2 * np.pi * np.cumsum(p["tone_hz"] * ratio * drop) / sample_rate
            tone += level * np.sin(phase) * np.exp(-t / (p["tone_decay_s"] * decay_scale))
        tone *= p["tone_level"]
        noise = _band(_pink(t.size, rng, p["noise_lo_hz"], p["noise_hi_hz"], sample_rate), p["noise_lo_hz"],
                      p["noise_hi_hz"], sample_rate)
        noise *= np.exp(-t / p["noise_decay_s"]) * p["noise_level"] * bright * 1.6
        out = tone + noise
    elif recipe == "clap":
        t = _t(decay * 5, sample_rate)
        env = np.exp(-t / decay)
        for offset in (0.0, 0.011, 0.022):
            env += 1.5 * np.exp(-np.clip(t - offset, 0, None) / 0.006) * (t >= offset)
        out = _band(_pink(t.size, rng, p["lo_hz"], p["hi_hz"], sample_rate), p["lo_hz"], p["hi_hz"], sample_rate)
        out *= env * 1.2
    elif recipe == "metal":  # cymbals, hats, shakers: metal_mix 0 is noise alone
        t = _t(decay * 3.5, sample_rate)
        mix = p.get("metal_mix", 0.55)
        metal = _metal(t * np.float32(p.get("metal_scale", 1.0)), rng) if mix > 0.0 else 0.0
        noise = rng.standard_normal(t.size, dtype=np.float32)
        raw = mix * metal * 2.0 + (1 - mix) * noise
        attack = np.clip(t / p.get("attack_s", 0.0008), 0, 1)
        out = _band(raw, p["lo_hz"], sample_rate / 2, sample_rate)
        rolloff = p.get("rolloff_hz", 0.0)
        if rolloff > 0.0:  # a cymbal's highs fall away (a natural roll-off, no 16 kHz hiss) and die first
            dark = _band(out, 0.0, rolloff, sample_rate)
            fast = np.exp(-t / (decay * 0.35))
            out = dark + (out - dark) * fast * np.float32(0.5)
        out = out * np.exp(-t / decay) * attack * bright * 2.0
    elif recipe == "membrane":  # toms, congas, bongos, timbales
        t = _t(decay * 4.5, sample_rate)
        out = _swept_sine(t, p["f_start_hz"], p["f_end_hz"], 0.05, sample_rate) * np.exp(-t / decay)
        out += _band(rng.standard_normal(t.size), 800, 5000, sample_rate) * np.exp(-t / 0.006) * 0.15
    elif recipe == "cowbell":
        t = _t(decay * 4.5, sample_rate)
        sq = np.sign(np.sin(2 * np.pi * p["tone_hz"] * t)) + np.sign(np.sin(2 * np.pi * p["tone_hz"] * 1.5 * t))
        out = _band(sq, 400, 3000, sample_rate) * np.exp(-t / decay)
    else:  # "tone": rim, clave, wood_block, triangle: a short resonant tone
        t = _t(decay * 5, sample_rate)
        out = np.sin(2 * np.pi * p["tone_hz"] * t) * np.exp(-t / decay)
        out += _band(rng.standard_normal(t.size), 1500, 9000, sample_rate) * np.exp(-t / 0.003) * 0.3
    if "lowpass_hz" in p:
        out = _band(out, 0.0, p["lowpass_hz"], sample_rate)
    fade = np.clip((out.size - 1 - np.arange(out.size)) / (0.003 * sample_rate), 0, 1)
    gain = 10.0 ** (p.get("gain_db", 0.0) / 20.0) * (0.35 + 0.65 * velocity)
    return np.asarray((out * fade * gain * 0.5).astype(np.float32))


# Pitched drums are tuned to the key (a voice's ``tune``: interval above the tonic), as engineers tune kicks
# and toms: an untuned 50 Hz kick is a loud G that pulls the whole track toward G.
def tune(params: dict[str, float], interval: int | None, tonic_pc: int | None,
         range_hz: tuple[float, float] | None = None) -> dict[str, float]:
    """Shift a voice's pitch parameters by the smallest ratio that puts it on its key-relative note.

    With ``range_hz`` the note must land in that range: the key note in the octave that does, else the fifth
    above it (a kick stays 45-70 Hz in every key: a 36 Hz kick is sub-rumble no speaker plays)."""
    if tonic_pc is None or interval is None:
        return params
    key = "f_end_hz" if "f_end_hz" in params else "tone_hz"
    if key not in params:
        return params
    midi = 69.0 + 12.0 * np.log2(params[key] / 440.0)
    target_pc = (tonic_pc + interval) % 12
    shift = (target_pc - midi + 6.0) % 12.0 - 6.0  # the nearest note of that pitch class, up or down (within 6)
    if range_hz is not None:
        lo, hi = range_hz
        for pc in (target_pc, (target_pc + 7) % 12):
            fits = [m for m in range(0, 128) if m % 12 == pc and lo <= 440.0 * 2.0 ** ((m - 69) / 12.0) <= hi]
            if fits:
                shift = min(fits, key=lambda m: abs(m - midi)) - midi
                break
    ratio = 2.0 ** (shift / 12.0)
    out = dict(params)
    for name in ("f_start_hz", "f_end_hz", "tone_hz"):
        if name in out:
            out[name] = out[name] * ratio
    return out


ShotCache = dict[tuple[str, str, int, int, int, int | None], np.ndarray]


class DrumVoice:
    """Renders a drum Track with one kit (notes carry GM drum numbers), tuned to ``tonic_pc``.

    ``voices``: the drum voices by name (synth_presets.yaml ``drum_voices``); a note no voice claims
    plays ``fallback``. One-shots depend only on (kit, voice, velocity layer, variant, sample rate,
    tuning), never on the render seed, so an engine can keep them in ``cache`` across renders like a
    sampler keeps samples.
    """

    def __init__(self, kit: DrumKit, voices: Mapping[str, DrumVoiceSpec], *, fallback: str = "rim",
                 tonic_pc: int | None = None, cache: ShotCache | None = None) -> None:
        self.kit = kit
        self.voices = voices
        self.fallback = fallback
        self.tonic_pc = tonic_pc
        self.cache: ShotCache = {} if cache is None else cache
        self._by_note = {spec.gm_note: name for name, spec in voices.items()}

    def _params(self, voice: str) -> dict[str, float]:
        merged = {**self.voices[voice].params, **self.kit.voices.get("*", {}), **self.kit.voices.get(voice, {})}
        spec = self.voices[voice]
        return tune(merged, spec.tune, self.tonic_pc, spec.tune_range_hz)

    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int) -> np.ndarray:
        """A drum track (note pitches are GM drum numbers) -> float32 [2, n_samples]: each voice at its place in
        the kit (a drum voice's ``pan``: hats and toms off centre, kick and snare in the middle)."""
        out = np.zeros((2, n_samples), dtype=np.float32)
        kit_gain = 10.0 ** (self.kit.gain_db / 20.0)
        for k, note in enumerate(track.notes):
            start_s, pitch, velocity = note.start_s, note.pitch, note.velocity
            voice = self._by_note.get(pitch, self.fallback)
            spec = self.voices[voice]
            layer = min(int(velocity / 128.0 * LAYERS), LAYERS - 1)
            variant = 0 if spec.ring else (k + seed) % VARIANTS
            key = (self.kit.id, voice, layer, variant, sample_rate, self.tonic_pc)
            if key not in self.cache:
                rng = np.random.default_rng([zlib.crc32(voice.encode()), layer, variant])
                self.cache[key] = one_shot(spec.recipe, self._params(voice), sample_rate=sample_rate,
                                           velocity=(layer + 0.7) / LAYERS, rng=rng)
            shot = self.cache[key]
            start = round(start_s * sample_rate)
            if start >= n_samples:
                continue
            stop = min(start + shot.size, n_samples)
            scale = kit_gain * (velocity / ((layer + 0.7) / LAYERS * 127.0)) ** 0.5
            pan = float(np.clip(spec.pan, -1.0, 1.0))
            for ch, side in enumerate((min(1.0, 1.0 - pan), min(1.0, 1.0 + pan))):
                out[ch, start:stop] += np.float32(scale * side) * shot[: stop - start]
        return out
