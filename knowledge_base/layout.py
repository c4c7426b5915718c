"""The 640-d Unified Control Embedding (spec §6.2 stage 5): encode and decode of its decodable blocks.

One implementation for both layers: Aurora encodes with it, the engine decodes with it, so a
threshold or a slot can never differ between them. Slots are positions in the KB files
(genres.yaml, instruments.yaml, structures.yaml); the block spans come from control_embedding.yaml.
The mood block (a projection of sentence embeddings) is Aurora's alone and is passed in whole.
Plain Python on lists of floats: this package depends on pydantic and PyYAML only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from knowledge_base.schema import KnowledgeBase

DIMS = 640
PRESENT_THRESHOLD = 0.5  # an instrument slot above +0.5 is present, below -0.5 excluded; a genre/structure slot too
GENRE_WEIGHTS = {"genre": 1.0, "sub_genre": 0.8, "ancestor": 0.3}
TEMPO_MIN_BPM, TEMPO_SPAN_BPM = 20.0, 280.0
# RBF centres span the whole valid range, so every tempo (20 BPM included) lights the block: all zeros means "none"
_TEMPO_RBF_CENTRES = [math.log2(20.0 * (300.0 / 20.0) ** (i / 29)) for i in range(30)]
_ENERGY_RBF_CENTRES = [i / 30 for i in range(31)]


class DecodedControls(BaseModel):
    """What the engine reads back from the vector; None where a block carries no signal (all zeros)."""

    model_config = ConfigDict(frozen=True)

    genre: str | None
    tempo_bpm: float | None
    instruments: tuple[str, ...]  # ids marked present, in slot order
    excluded_instruments: tuple[str, ...]
    energy_level: float | None
    structure: str | None


def tempo_normalized(bpm: float) -> float:
    """Spec §6.2 stage 4: (bpm - 60) / (200 - 60), clipped to [0, 1]."""
    return min(1.0, max(0.0, (bpm - 60.0) / 140.0))


def encode_genre(kb: KnowledgeBase, genre_id: str | None, sub_genre_id: str | None) -> list[float]:
    """A slot per genre (its position in genres.yaml): the genre 1.0, the sub-genre 0.8, their ancestors 0.3.
    Genres past the block's size (added later) have no slot of their own and share their nearest ancestor's,
    so adding a genre stays a data edit; the engine reads its name from the parameters."""
    size = _size(kb, "genre")
    vec = [0.0] * size
    index = {g.id: i for i, g in enumerate(kb.genres)}
    for focus, weight in ((genre_id, GENRE_WEIGHTS["genre"]), (sub_genre_id, GENRE_WEIGHTS["sub_genre"])):
        lineage = kb.genre_lineage(focus) if focus else []
        slots = [index[genre.id] for genre in lineage if index[genre.id] < size]
        for depth, slot in enumerate(slots):
            vec[slot] = max(vec[slot], weight if depth == 0 else GENRE_WEIGHTS["ancestor"])
    return vec


def encode_tempo(kb: KnowledgeBase, bpm: float) -> list[float]:
    """[0] = (bpm - 20) / 280 (exact), [1] = the spec's normalised tempo, then RBFs on log2(bpm)."""
    size = _size(kb, "tempo")
    width = _TEMPO_RBF_CENTRES[1] - _TEMPO_RBF_CENTRES[0]
    rbfs = [math.exp(-0.5 * ((math.log2(bpm) - c) / width) ** 2) for c in _TEMPO_RBF_CENTRES]
    values = [(bpm - TEMPO_MIN_BPM) / TEMPO_SPAN_BPM, tempo_normalized(bpm), *rbfs]
    return (values + [0.0] * size)[:size]


def encode_instruments(kb: KnowledgeBase, present: Sequence[str], excluded: Sequence[str] = ()) -> list[float]:
    """+1 for each present instrument id, -1 for each excluded one (exclusion wins), 0 elsewhere."""
    vec = [0.0] * _size(kb, "instrumentation")
    slots = {inst.id: i for i, inst in enumerate(kb.instruments) if i < len(vec)}
    for inst_id in present:
        if inst_id in slots:
            vec[slots[inst_id]] = 1.0
    for inst_id in excluded:
        if inst_id in slots:
            vec[slots[inst_id]] = -1.0
    return vec


def encode_structure(kb: KnowledgeBase, structure_id: str | None) -> list[float]:
    """First half: one-hot slot; second half: the template's energy curve at evenly spaced points."""
    size = _size(kb, "structure")
    vec = [0.0] * size
    half = size // 2
    slots = {s.id: i for i, s in enumerate(kb.structures)}
    if structure_id is None or structure_id not in slots:
        return vec
    vec[slots[structure_id]] = 1.0
    sections = kb.structure(structure_id).sections
    total = sum(s.ratio for s in sections)
    edges = [sum(s.ratio for s in sections[:i]) / total for i in range(len(sections) + 1)]
    for k in range(half):
        point = (k + 0.5) / half
        index = max(i for i in range(len(sections)) if edges[i] <= point)
        vec[half + k] = sections[index].energy
    return vec


def encode_energy(kb: KnowledgeBase, energy: float) -> list[float]:
    """[0] = energy level (exact), then RBFs on 0..1."""
    size = _size(kb, "energy")
    width = _ENERGY_RBF_CENTRES[1] - _ENERGY_RBF_CENTRES[0]
    rbfs = [math.exp(-0.5 * ((energy - c) / width) ** 2) for c in _ENERGY_RBF_CENTRES]
    return ([energy, *rbfs] + [0.0] * size)[:size]


def encode(kb: KnowledgeBase, *, genre: str | None, sub_genre: str | None = None, tempo_bpm: float,
           instruments: Sequence[str] = (), excluded_instruments: Sequence[str] = (), structure: str | None = None,
           energy_level: float, mood_block: Sequence[float] | None = None) -> list[float]:
    """The whole 640-d vector, blocks in the layout's order; ``mood_block`` defaults to zeros."""
    blocks = {
        "genre": encode_genre(kb, genre, sub_genre),
        "tempo": encode_tempo(kb, tempo_bpm),
        "mood": list(mood_block) if mood_block is not None else [0.0] * _size(kb, "mood"),
        "instrumentation": encode_instruments(kb, instruments, excluded_instruments),
        "structure": encode_structure(kb, structure),
        "energy": encode_energy(kb, energy_level),
    }
    vector: list[float] = []
    for block in kb.control_embedding.blocks:
        part = blocks[block.name]
        if len(part) != block.dims:
            raise ValueError(f"{block.name} block has {len(part)} values, the layout says {block.dims}")
        vector += part
    return vector


def decode(kb: KnowledgeBase, vector: Sequence[float]) -> DecodedControls:
    """Read back genre, tempo, instruments (present and excluded), energy and structure."""
    if len(vector) != DIMS:
        raise ValueError(f"control embedding must have {DIMS} dims, got {len(vector)}")
    v = [float(x) for x in vector]

    def block(name: str) -> list[float]:
        start, stop = kb.control_embedding.span(name)
        return v[start:stop]

    genres = block("genre")[: len(kb.genres)]
    tempo = block("tempo")
    insts = block("instrumentation")[: len(kb.instruments)]
    structure_block = block("structure")
    structures = structure_block[: len(structure_block) // 2][: len(kb.structures)]
    energy = block("energy")
    return DecodedControls(
        genre=kb.genres[_argmax(genres)].id if genres and max(genres) > PRESENT_THRESHOLD else None,
        tempo_bpm=round(min(300.0, max(20.0, tempo[0] * TEMPO_SPAN_BPM + TEMPO_MIN_BPM)), 3) if any(tempo) else None,
        instruments=tuple(kb.instruments[i].id for i, x in enumerate(insts) if x > PRESENT_THRESHOLD),
        excluded_instruments=tuple(kb.instruments[i].id for i, x in enumerate(insts) if x < -PRESENT_THRESHOLD),
        energy_level=round(min(1.0, max(0.0, energy[0])), 4) if any(energy) else None,
        structure=kb.structures[_argmax(structures)].id if structures and max(structures) > PRESENT_THRESHOLD
        else None,
    )


def with_instruments(kb: KnowledgeBase, vector: Sequence[float], *, present: Sequence[str],
                     excluded: Sequence[str] = ()) -> list[float]:
    """A copy of ``vector`` with its instrumentation block rewritten (the studio's swap control, tests)."""
    start, stop = kb.control_embedding.span("instrumentation")
    out = list(vector)
    out[start:stop] = encode_instruments(kb, present, excluded)
    return out


def _size(kb: KnowledgeBase, name: str) -> int:
    start, stop = kb.control_embedding.span(name)
    return stop - start


def _argmax(values: list[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)
