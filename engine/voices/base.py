"""The one interface every instrument voice implements, and what a voice is built from.

A voice turns one score Track into mono float32 audio of exactly ``n_samples`` samples. The same
seed gives the same audio; voices that have no randomness ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import torch

from engine.score import Track

if TYPE_CHECKING:
    from engine.ddsp.drums import ShotCache
    from knowledge_base import KnowledgeBase


class Voice(Protocol):
    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int) -> np.ndarray:
        """``track`` -> float32 [n_samples] (mono, before the mixer)."""
        ...


@dataclass(frozen=True)
class VoiceContext:
    """Everything a voice factory may use, fixed for one render.

    soundfont: the sampler's soundfont, or None when the sampler cannot run (or is turned off).
    drum_shots: the engine's cache of synthesised drum one-shots, shared across renders.
    """

    kb: KnowledgeBase
    device: torch.device
    tonic_pc: int | None = None
    soundfont: Path | None = None
    drum_shots: ShotCache = field(default_factory=dict)
