"""RAVE re-synthesis behind the Voice interface: a voice that wraps the voice playing the notes.

RAVE does not play notes: it re-synthesises audio. So ``RaveVoice`` asks the voice it wraps (DDSP, sampler)
for the track, then passes that audio through the RAVE export and blends it with the dry signal at
matched loudness (``engine.codec.blend``). One model serves every track: calls are serialised by a lock,
and each call runs under a torch seed derived from the track's seed, so a model that draws noise draws the
same noise whichever synthesis thread reaches it first.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from engine.codec import RaveCodec, blend
from engine.score import Track
from engine.voices.base import Voice


@dataclass
class RaveStage:
    """The codec shared by one render's RAVE voices, and the time they spent in it."""

    codec: RaveCodec
    wet: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: float = 0.0


class RaveVoice:
    def __init__(self, inner: Voice, stage: RaveStage) -> None:
        self.inner = inner
        self.stage = stage

    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int) -> np.ndarray:
        dry = self.inner.render(track, n_samples=n_samples, sample_rate=sample_rate, seed=seed)
        mono = dry.mean(axis=0) if dry.ndim == 2 else dry  # RAVE re-synthesises mono: a stereo part is folded
        with self.stage.lock, torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            started = time.perf_counter()
            wet = self.stage.codec.resynthesise(np.ascontiguousarray(mono, dtype=np.float32), sample_rate=sample_rate)
            self.stage.seconds += time.perf_counter() - started
        return blend(mono, wet, self.stage.wet)
