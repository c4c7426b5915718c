"""Transition effects (risers, impacts) and ambient texture layers (vinyl crackle, tape hiss, rain...).

Textures are built from a few seconds of shaped noise tiled with random offsets and slow level
modulation, so a ten-minute layer costs little more than a ten-second one. Which layers a named
texture gets is data (knowledge_base/textures.yaml ``layers``); the layer recipes are the code here.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import signal as sps

from engine.score import FxEvent
from knowledge_base import KnowledgeBase


def texture_layers(names: list[str], kb: KnowledgeBase) -> list[str]:
    """The ambience layers (textures.yaml ``layers``) for the textures a prompt named, each once, in order.

    A name is looked up by the texture's id, name or alias; other text gets the layers of every texture
    whose name or an alias it contains as whole words ("heavy rain at night": rain).
    """
    layers: list[str] = []
    for name in names:
        found = kb.find_texture(name)
        if found is not None:
            matches = [found]
        else:
            text = _words(name)
            matches = [t for t in kb.textures if any(_words(n) in text for n in (t.name, *t.aliases))]
        for layer in (layer for t in matches for layer in t.layers):
            if layer not in layers:
                layers.append(layer)
    return layers


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _shaped_noise(n: int, sample_rate: int, lo_hz: float, hi_hz: float, rng: np.random.Generator) -> np.ndarray:
    nyq = sample_rate / 2.0
    hi = min(hi_hz, nyq * 0.9)
    sos = sps.butter(2, [max(lo_hz, 10.0) / nyq, hi / nyq], btype="bandpass", output="sos")
    x = sps.sosfilt(sos, rng.standard_normal(n))
    return np.asarray((x / (np.sqrt(np.mean(x**2)) + 1e-9)).astype(np.float32))


def _tile(loop: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty(n, dtype=np.float32)
    pos = 0
    while pos < n:
        offset = int(rng.integers(0, loop.size // 2))
        take = min(loop.size - offset, n - pos)
        out[pos: pos + take] = loop[offset: offset + take]
        pos += take
    return out


def _scatter(n: int, count: int, kernel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Short ``kernel`` events at random places and levels (crackles, drops, pops): float32 [n]."""
    out = np.zeros(n + kernel.size, dtype=np.float32)
    for pos, level in zip(rng.integers(0, n, count), rng.uniform(-1.0, 1.0, count) ** 3, strict=True):
        out[pos: pos + kernel.size] += level * kernel
    return out[:n]


def _decay_kernel(sample_rate: int, decay_s: float, rng: np.random.Generator, *, lo_hz: float,
                  hi_hz: float) -> np.ndarray:
    n = max(int(decay_s * 5 * sample_rate), 8)
    noise = _shaped_noise(max(n, 64), sample_rate, lo_hz, hi_hz, rng)[:n]
    return (noise * np.exp(-np.arange(n) / (decay_s * sample_rate))).astype(np.float32)


def _slow_lfo(n: int, sample_rate: int, rate_hz: float, depth: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(0, n, 256) / sample_rate
    lfo = 1.0 - depth * 0.5 * (1.0 + np.sin(2 * np.pi * rate_hz * t + rng.uniform(0, 6.28)))
    return np.interp(np.arange(n), np.arange(0, n, 256), lfo).astype(np.float32)


def texture(kind: str, n_samples: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """A mono texture layer at roughly -20 dBFS RMS: float32 [n_samples]."""
    loop_n = min(n_samples, int(4.0 * sample_rate))
    if kind == "vinyl":
        hiss = _tile(_shaped_noise(loop_n, sample_rate, 1500, 9000, rng), n_samples, rng)
        hiss *= np.float32(0.15)
        click = _decay_kernel(sample_rate, 0.0004, rng, lo_hz=800, hi_hz=8000)
        hiss += _scatter(n_samples, int(n_samples / sample_rate * 9), click * 4.0, rng)
        hiss *= np.float32(0.1)
        return hiss
    if kind == "tape_hiss":
        return _tile(_shaped_noise(loop_n, sample_rate, 2000, 14000, rng), n_samples, rng) * np.float32(0.05)
    if kind == "rain":
        body = _tile(_shaped_noise(loop_n, sample_rate, 800, 9000, rng), n_samples, rng)
        drop = _decay_kernel(sample_rate, 0.004, rng, lo_hz=1500, hi_hz=7000)
        drops = _scatter(n_samples, int(n_samples / sample_rate * 30), drop, rng)
        lfo = _slow_lfo(n_samples, sample_rate, 0.07, 0.3, rng)
        return np.asarray((body * np.float32(0.08) + drops * np.float32(0.05)) * lfo)
    if kind == "ocean":
        body = _tile(_shaped_noise(loop_n, sample_rate, 100, 2500, rng), n_samples, rng)
        return np.asarray(body * np.float32(0.12) * _slow_lfo(n_samples, sample_rate, 0.09, 0.85, rng))
    if kind == "wind":
        body = _tile(_shaped_noise(loop_n, sample_rate, 200, 1500, rng), n_samples, rng)
        return np.asarray(body * np.float32(0.1) * _slow_lfo(n_samples, sample_rate, 0.05, 0.7, rng))
    if kind == "fire":
        rumble = _tile(_shaped_noise(loop_n, sample_rate, 60, 600, rng), n_samples, rng) * np.float32(0.08)
        pop = _decay_kernel(sample_rate, 0.002, rng, lo_hz=400, hi_hz=6000)
        return rumble + _scatter(n_samples, int(n_samples / sample_rate * 14), pop, rng) * np.float32(0.3)
    return _tile(_shaped_noise(loop_n, sample_rate, 150, 4000, rng), n_samples, rng) * np.float32(0.06)


def render_fx(events: list[FxEvent], *, n_samples: int, sample_rate: int, seed: int) -> np.ndarray:
    """Risers, impacts, reverse cymbals and downlifters on one mono track: float32 [n_samples]."""
    out = np.zeros(n_samples, dtype=np.float32)
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 5])
    for ev in events:
        start = int(ev.start_s * sample_rate)
        n = int(ev.duration_s * sample_rate)
        if n <= 0 or start >= n_samples:
            continue
        t = np.arange(n) / sample_rate
        frac = t / max(ev.duration_s, 1e-6)
        if ev.kind in ("riser", "downlifter", "reverse_cymbal"):
            noise = _shaped_noise(n, sample_rate, 400, 12000, rng)
            sweep_hz = 200.0 * 2 ** (3.5 * frac)
            tone = np.sin(2 * np.pi * np.cumsum(sweep_hz) / sample_rate).astype(np.float32)
            env = frac**2.2
            audio = (noise * (0.6 if ev.kind != "reverse_cymbal" else 1.0) +
                     (tone * 0.4 if ev.kind != "reverse_cymbal" else 0.0)) * env
            if ev.kind == "downlifter":
                audio = audio[::-1]
        else:  # impact: a low boom with a noise burst
            boom = np.sin(2 * np.pi * np.cumsum(45.0 + 60.0 * np.exp(-t / 0.08)) / sample_rate)
            audio = (boom * np.exp(-t / 0.6) + _shaped_noise(n, sample_rate, 80, 3000, rng) * np.exp(-t / 0.15)
                     * 0.5)
        stop = min(start + n, n_samples)
        out[max(start, 0):stop] += (ev.level * 0.3 * audio[max(-start, 0): stop - start]).astype(np.float32)
    return out
