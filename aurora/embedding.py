"""The 640-d Unified Control Embedding (spec §6.2 stage 5): encode and decode.

Layout and slot conventions live in knowledge_base/control_embedding.yaml (the engine reads the
same file). Blocks are built so the values the engine must obey read back exactly: tempo and
energy are stored linearly in their first dimension, instruments and structures by slot.
Everything is deterministic: no randomness except a fixed-seed projection for the mood block.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

from aurora.contracts import DecodedControls
from aurora.knowledge import KnowledgeBase

TEMPO_RBF_CENTRES = np.log2(np.geomspace(40.0, 240.0, 30))
ENERGY_RBF_CENTRES = np.linspace(0.0, 1.0, 31)
MOOD_PROJECTION_SEED = 640


def tempo_normalized(bpm: float) -> float:
    """Spec §6.2 stage 4: (bpm - 60) / (200 - 60), clipped to [0, 1]."""
    return float(np.clip((bpm - 60.0) / 140.0, 0.0, 1.0))


def encode_genre(kb: KnowledgeBase, genre_id: str | None, sub_genre_id: str | None) -> NDArray[np.float32]:
    dims = kb.control_embedding.offset("genre")
    vec = np.zeros(dims[1] - dims[0], dtype=np.float32)
    slots = {g.id: i for i, g in enumerate(kb.genres)}
    for focus, weight in ((genre_id, 1.0), (sub_genre_id, 0.8)):
        if focus is None or focus not in slots:
            continue
        vec[slots[focus]] = max(vec[slots[focus]], weight)
        parent = kb.genre(focus).parent
        while parent is not None:
            vec[slots[parent]] = max(vec[slots[parent]], 0.3)
            parent = kb.genre(parent).parent
    return vec


def encode_tempo(kb: KnowledgeBase, bpm: float) -> NDArray[np.float32]:
    start, end = kb.control_embedding.offset("tempo")
    vec = np.zeros(end - start, dtype=np.float32)
    vec[0] = (bpm - 20.0) / 280.0
    vec[1] = tempo_normalized(bpm)
    width = float(TEMPO_RBF_CENTRES[1] - TEMPO_RBF_CENTRES[0])
    vec[2:] = np.exp(-0.5 * ((np.log2(bpm) - TEMPO_RBF_CENTRES) / width) ** 2)[: end - start - 2]
    return vec


def encode_mood(kb: KnowledgeBase, mood_ids: list[str], anchor_vectors: dict[str, NDArray[np.float32]],
                ) -> NDArray[np.float32]:
    """[valence, arousal, projection of the mean anchor embedding]: the spec's averaged mood embedding."""
    start, end = kb.control_embedding.offset("mood")
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


def encode_instruments(kb: KnowledgeBase, present: list[str], excluded: list[str]) -> NDArray[np.float32]:
    start, end = kb.control_embedding.offset("instrumentation")
    vec = np.zeros(end - start, dtype=np.float32)
    slots = {inst.id: i for i, inst in enumerate(kb.instruments)}
    for inst_id in present:
        if inst_id in slots:
            vec[slots[inst_id]] = 1.0
    for inst_id in excluded:
        if inst_id in slots:
            vec[slots[inst_id]] = -1.0
    return vec


def encode_structure(kb: KnowledgeBase, structure_id: str | None) -> NDArray[np.float32]:
    start, end = kb.control_embedding.offset("structure")
    vec = np.zeros(end - start, dtype=np.float32)
    slots = {s.id: i for i, s in enumerate(kb.structures)}
    if structure_id is None or structure_id not in slots:
        return vec
    half = (end - start) // 2
    vec[slots[structure_id]] = 1.0
    structure = kb.structure(structure_id)
    edges = np.cumsum([0.0] + [s.ratio for s in structure.sections])
    edges /= edges[-1]
    points = (np.arange(half) + 0.5) / half
    index = np.clip(np.searchsorted(edges, points, side="right") - 1, 0, len(structure.sections) - 1)
    vec[half:] = [structure.sections[i].energy for i in index]
    return vec


def encode_energy(kb: KnowledgeBase, energy: float) -> NDArray[np.float32]:
    start, end = kb.control_embedding.offset("energy")
    vec = np.zeros(end - start, dtype=np.float32)
    vec[0] = energy
    width = float(ENERGY_RBF_CENTRES[1] - ENERGY_RBF_CENTRES[0])
    vec[1:] = np.exp(-0.5 * ((energy - ENERGY_RBF_CENTRES) / width) ** 2)[: end - start - 1]
    return vec


def decode(kb: KnowledgeBase, vector: list[float] | NDArray[np.float32]) -> DecodedControls:
    """Read back tempo, instruments (present and excluded), energy, structure and genre."""
    v = np.asarray(vector, dtype=np.float32)
    if v.shape != (640,):
        raise ValueError(f"control embedding must have 640 dims, got {v.shape}")
    g0, g1 = kb.control_embedding.offset("genre")
    t0, _ = kb.control_embedding.offset("tempo")
    i0, i1 = kb.control_embedding.offset("instrumentation")
    s0, s1 = kb.control_embedding.offset("structure")
    e0, _ = kb.control_embedding.offset("energy")
    genre_block = v[g0:g1][: len(kb.genres)]
    inst_block = v[i0:i1][: len(kb.instruments)]
    struct_block = v[s0:s0 + (s1 - s0) // 2][: len(kb.structures)]
    return DecodedControls(
        genre=kb.genres[int(np.argmax(genre_block))].id if genre_block.max() > 0.5 else None,
        tempo_bpm=round(float(np.clip(v[t0] * 280.0 + 20.0, 20.0, 300.0)), 3),
        instruments=[kb.instruments[i].id for i in np.flatnonzero(inst_block > 0.5)],
        excluded_instruments=[kb.instruments[i].id for i in np.flatnonzero(inst_block < -0.5)],
        energy_level=round(float(np.clip(v[e0], 0.0, 1.0)), 4),
        structure=kb.structures[int(np.argmax(struct_block))].id if struct_block.max() > 0.5 else None,
    )
