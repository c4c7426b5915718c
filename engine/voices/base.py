"""The one interface every instrument voice implements, and what a voice is built from.

A voice turns one score Track into float32 audio of exactly ``n_samples`` samples: mono [n] or stereo [2, n]
(the sampler keeps a soundfont's stereo; a double-tracked part puts one take on each side). The same seed
gives the same audio; voices that have no randomness ignore it.
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
    from engine.voices.rave import RaveStage
    from knowledge_base import KnowledgeBase


class Voice(Protocol):
    def render(self, track: Track, *, n_samples: int, sample_rate: int, seed: int) -> np.ndarray:
        """``track`` -> float32 [n_samples] (mono) or [2, n_samples] (stereo), before the mixer."""
        ...


@dataclass(frozen=True)
class VoiceContext:
    """Everything a voice factory may use, fixed for one render.

    soundfont: the sampler's General-MIDI soundfont, or None when the sampler cannot run (or is turned off).
    drum_shots: the engine's cache of synthesised drum one-shots, shared across renders.
    genre_lineage: the score's genre and its ancestors (sampler programs, kits and double-tracking by genre).
    sample_rate: the render's rate (the sampler's shared synth is per rate).
    rave: the RAVE export the tracks named in ``rave_tracks`` are re-synthesised through, or None.
    """

    kb: KnowledgeBase
    device: torch.device
    tonic_pc: int | None = None
    soundfont: Path | None = None
    drum_shots: ShotCache = field(default_factory=dict)
    genre_lineage: tuple[str, ...] = ()
    sample_rate: int = 44100
    rave: RaveStage | None = None
    rave_tracks: tuple[str, ...] = ()
