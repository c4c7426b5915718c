"""Aurora's side of the 640-d Unified Control Embedding: the mood block, and the whole vector.

The decodable blocks (genre, tempo, instruments, structure, energy) are encoded and decoded by
``knowledge_base.layout``, the one implementation the engine also decodes with. Only the mood block is
Aurora's own: [mean valence, mean arousal, a fixed-seed projection of the mean MiniLM embedding of the
moods' anchor phrases] (the spec's averaged mood embedding).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from knowledge_base import KnowledgeBase

MOOD_PROJECTION_SEED = 640


def encode_mood(kb: KnowledgeBase, mood_ids: list[str], anchor_vectors: dict[str, NDArray[np.float32]],
                ) -> NDArray[np.float32]:
    """[valence, arousal, projection of the mean anchor embedding]; zeros when no mood is known."""
    start, end = kb.control_embedding.span("mood")
    vec = np.zeros(end - start, dtype=np.float32)
    known = [m for m in mood_ids if m in anchor_vectors]
    if not known:
        return vec
    vec[0] = float(np.mean([kb.mood(m).valence for m in known]))
    vec[1] = float(np.mean([kb.mood(m).arousal for m in known]))
    mean = np.mean([anchor_vectors[m] for m in known], axis=0)
    projected = _mood_projection(mean.shape[0], end - start - 2) @ mean
    norm = float(np.linalg.norm(projected))
    vec[2:] = projected / norm if norm > 0 else projected
    return vec


@functools.cache
def _mood_projection(in_dim: int, out_dim: int) -> NDArray[np.float32]:
    rng = np.random.default_rng(MOOD_PROJECTION_SEED)
    matrix: NDArray[np.float32] = (rng.standard_normal((out_dim, in_dim)) / np.sqrt(out_dim)).astype(np.float32)
    return matrix


def block(kb: KnowledgeBase, vector: Sequence[float], name: str) -> list[float]:
    """One block of a 640-d vector, by name."""
    start, end = kb.control_embedding.span(name)
    return list(vector[start:end])
