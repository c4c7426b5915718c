"""The 640-d contract between the layers: Aurora's encoder (the mapper) then the engine's decoder give
every genre, instrument, exclusion, tempo (20-300 BPM), energy and structure back."""

from __future__ import annotations

import pytest

from aurora import Aurora, ParsedMusicalParameters
from engine import Engine
from knowledge_base import KnowledgeBase, layout


@pytest.fixture(scope="module")
def engine_kb() -> KnowledgeBase:
    return Engine(device="cpu").knowledge


def _params(base: ParsedMusicalParameters, *, genre: str, sub_genre: str | None, tempo_bpm: float,
            present: list[str], excluded: list[str], energy: float, structure: str) -> ParsedMusicalParameters:
    data = base.model_dump(by_alias=True)
    data["genre"] = {"value": genre, "confidence": 0.9}
    data["sub_genre"] = {"value": sub_genre, "confidence": 0.9 if sub_genre else 0.0}
    data["tempo"] = {"type": "explicit", "bpm": tempo_bpm, "confidence": 0.9}
    data["instrumentation"] = [{"name": i, "role": "lead", "confidence": 0.9, "source": "stated"} for i in present]
    data["excluded_instruments"] = excluded
    data["energy_level"] = {"value": energy, "confidence": 0.9}
    data["structure"] = {"value": structure, "confidence": 0.9}
    return ParsedMusicalParameters.model_validate(data)


def test_every_genre_and_instrument_round_trips(aurora: Aurora, kb: KnowledgeBase, engine_kb: KnowledgeBase) -> None:
    base = aurora.parse(prompt="a calm piano piece").parsed_parameters
    mapper = aurora.mapper
    instruments = [i.id for i in kb.instruments]
    n = len(kb.genres)
    seen: set[str] = set()
    for index, genre in enumerate(kb.genres):
        present = [instruments[(2 * index + k) % len(instruments)] for k in range(2)]
        excluded = [instruments[(2 * index + 2 + k * 97) % len(instruments)] for k in range(1)]
        excluded = [e for e in excluded if e not in present]
        tempo_bpm = round(20.0 + 280.0 * index / (n - 1), 2)
        energy = round(index / (n - 1), 4)
        structure = kb.structures[index % len(kb.structures)].id
        params = _params(base, genre=genre.id, sub_genre=None, tempo_bpm=tempo_bpm, present=present,
                         excluded=excluded, energy=energy, structure=structure)
        vector = mapper.map(params).control_encoder_params.unified_control_embedding
        decoded = layout.decode(engine_kb, vector)
        assert decoded.genre == _slot_owner(kb, genre.id)
        assert decoded.tempo_bpm == pytest.approx(tempo_bpm, abs=0.01)
        assert set(decoded.instruments) == set(present), genre.id
        assert set(decoded.excluded_instruments) == set(excluded), genre.id
        assert decoded.energy_level == pytest.approx(energy, abs=1e-4)
        assert decoded.structure == structure
        seen |= set(present) | set(excluded)
    assert seen == set(instruments), "every instrument must be checked"


def _slot_owner(kb: KnowledgeBase, genre_id: str) -> str:
    """The genre whose embedding slot ``genre_id`` is encoded in: its own, or for a genre appended past the genre
    block (control_embedding.yaml), its nearest ancestor's (the engine plays it by name from the parameters)."""
    start, stop = kb.control_embedding.span("genre")
    slotted = {g.id for g in kb.genres[: stop - start]}
    return next(g.id for g in kb.genre_lineage(genre_id) if g.id in slotted)


def test_sub_genre_keeps_the_genre_and_extremes_hold(aurora: Aurora, kb: KnowledgeBase,
                                                       engine_kb: KnowledgeBase) -> None:
    base = aurora.parse(prompt="a calm piano piece").parsed_parameters
    child = next(g for g in kb.genres if g.parent)
    for tempo_bpm, energy in ((20.0, 0.0), (300.0, 1.0)):
        params = _params(base, genre=child.parent or "", sub_genre=child.id, tempo_bpm=tempo_bpm, present=[],
                         excluded=[], energy=energy, structure=kb.structures[-1].id)
        decoded = layout.decode(engine_kb, aurora.mapper.map(params).control_encoder_params.unified_control_embedding)
        assert decoded.genre == child.parent
        assert decoded.tempo_bpm == pytest.approx(tempo_bpm, abs=0.01)
        assert decoded.energy_level == pytest.approx(energy, abs=1e-4)
        assert decoded.instruments == () and decoded.excluded_instruments == ()


def test_an_empty_block_decodes_to_none(kb: KnowledgeBase) -> None:
    decoded = layout.decode(kb, [0.0] * layout.DIMS)
    assert (decoded.genre, decoded.tempo_bpm, decoded.energy_level, decoded.structure) == (None, None, None, None)
    with pytest.raises(ValueError, match="640"):
        layout.decode(kb, [0.0] * 10)
