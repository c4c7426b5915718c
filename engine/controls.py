"""Decoding the 640-d Unified Control Embedding (layout in knowledge_base/control_embedding.yaml).

The embedding is the engine's source of truth for tempo, instruments, energy, genre and structure;
the mapped parameters only add what the vector cannot carry (role names, textures, key text).
A block that is all zeros carries no signal, and the plan's value is used instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.knowledge import KnowledgeData

PRESENT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class DecodedControls:
    genre_id: str | None
    tempo_bpm: float | None
    instruments: tuple[str, ...]  # instrument ids marked present, in slot order
    excluded_instruments: tuple[str, ...]
    energy_level: float | None
    structure_id: str | None


def decode_embedding(vector: list[float] | np.ndarray, kb: KnowledgeData) -> DecodedControls:
    v = np.asarray(vector, dtype=np.float64)
    layout = kb.layout

    def block(name: str) -> np.ndarray:
        start, stop = layout.span(name)
        return v[start:stop]

    genre_block = block("genre")
    genre_id = None
    if genre_block.size and genre_block.max() >= 0.99:
        slot = int(np.argmax(genre_block))
        genre_id = kb.genres[slot].id if slot < len(kb.genres) else None
    tempo_block = block("tempo")
    tempo_bpm = float(np.clip(tempo_block[0] * 280.0 + 20.0, 20.0, 300.0)) if np.any(tempo_block) else None
    inst_block = block("instrumentation")
    n_inst = min(len(kb.instruments), inst_block.size)
    present = tuple(kb.instruments[i].id for i in range(n_inst) if inst_block[i] > PRESENT_THRESHOLD)
    excluded = tuple(kb.instruments[i].id for i in range(n_inst) if inst_block[i] < -PRESENT_THRESHOLD)
    energy_block = block("energy")
    energy = float(np.clip(energy_block[0], 0.0, 1.0)) if np.any(energy_block) else None
    structure_block = block("structure")[:32]
    structure_id = None
    if structure_block.size and structure_block.max() >= 0.99:
        slot = int(np.argmax(structure_block))
        structure_id = kb.structures[slot].id if slot < len(kb.structures) else None
    return DecodedControls(genre_id, tempo_bpm, present, excluded, energy, structure_id)


def encode_instruments(vector: list[float], kb: KnowledgeData, *, present: list[str] | tuple[str, ...],
                       excluded: list[str] | tuple[str, ...] = ()) -> list[float]:
    """A copy of ``vector`` with its instrumentation block rewritten (tests, the studio's swap control)."""
    out = list(vector)
    start, stop = kb.layout.span("instrumentation")
    slots = {inst.id: i for i, inst in enumerate(kb.instruments)}
    for i in range(start, stop):
        out[i] = 0.0
    for inst_id in present:
        out[start + slots[inst_id]] = 1.0
    for inst_id in excluded:
        out[start + slots[inst_id]] = -1.0
    return out
