"""Stages 4-5 (spec §6.2): parsed entities -> Soundstar's control parameters and 640-d embedding,
with music-theory coherence checks.

Coherence rules only *warn* about what the user stated (an 80 BPM drum-and-bass request is odd
but it is what they asked for); they never change a stated value.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from aurora import embedding
from aurora.contracts import ControlEncoderParams, MappingResult, ParsedMusicalParameters
from aurora.text_embedding import TextEmbedder
from knowledge_base import KnowledgeBase, layout
from knowledge_base.schema import Genre
from knowledge_base.theory import parse_key_label


class ParameterMapper:
    def __init__(self, kb: KnowledgeBase, embedder: TextEmbedder) -> None:
        self.kb = kb
        self.embedder = embedder
        self._lock = threading.Lock()
        self._mood_vectors: dict[str, NDArray[np.float32]] | None = None

    def warm_up(self) -> None:
        self._anchor_vectors()

    def map(self, params: ParsedMusicalParameters) -> MappingResult:
        genre = self.kb.find_genre(params.genre.value)
        sub_genre = self.kb.find_genre(params.sub_genre.value) if params.sub_genre.value else None
        mood_ids = [m.id for m in (self.kb.find_mood(v.value) for v in params.mood) if m is not None]
        present = [i.id for i in (self.kb.find_instrument(v.name) for v in params.instrumentation) if i is not None]
        excluded = [i.id for i in (self.kb.find_instrument(n) for n in params.excluded_instruments) if i is not None]
        structure = self.kb.find_structure(params.structure.value)

        mood = embedding.encode_mood(self.kb, mood_ids, self._anchor_vectors())
        unified = layout.encode(
            self.kb, genre=genre.id if genre else None, sub_genre=sub_genre.id if sub_genre else None,
            tempo_bpm=params.tempo.bpm, instruments=present, excluded_instruments=excluded,
            structure=structure.id if structure else None, energy_level=params.energy_level.value,
            mood_block=[float(x) for x in mood],
        )
        controls = ControlEncoderParams(
            genre_embedding=_rounded(embedding.block(self.kb, unified, "genre")),
            tempo_normalized=layout.tempo_normalized(params.tempo.bpm),
            mood_embedding=_rounded(embedding.block(self.kb, unified, "mood")),
            instrumentation_embedding=_rounded(embedding.block(self.kb, unified, "instrumentation")),
            structure_embedding=_rounded(embedding.block(self.kb, unified, "structure")),
            energy_level=params.energy_level.value,
            unified_control_embedding=_rounded(unified),
        )
        warnings = self.coherence_warnings(params, sub_genre or genre)
        return MappingResult(parameters=params, control_encoder_params=controls, warnings=warnings)

    def coherence_warnings(self, params: ParsedMusicalParameters, genre: Genre | None) -> list[str]:
        """Music-theory checks (spec §4.3 step 4). Stated values are reported, never changed."""
        warnings: list[str] = []
        stated = set(params.explicit)
        if not stated & {"genre", "sub_genre"}:
            genre = None  # a style the user never named is no yardstick for their tempo or meter ('sad violin solo,
            # slow' was told 72 BPM is outside the usual 90-130 BPM for Pop, a genre it had been given by default)
        if genre is not None and "tempo" in stated:
            lo, hi = genre.tempo_bpm.min, genre.tempo_bpm.max
            bpm = params.tempo.bpm
            if bpm < lo * 0.85 or bpm > hi * 1.15:
                half_or_double = lo <= bpm * 2 <= hi or lo <= bpm / 2 <= hi
                hint = " (it will feel half/double-time)" if half_or_double else ""
                warnings.append(f"{bpm:g} BPM is outside the usual {lo:g}-{hi:g} BPM for {genre.name}; "
                                f"keeping your tempo{hint}.")
        key = parse_key_label(params.key_signature.value, self.kb.chords) if params.key_signature.value else None
        if key is not None and "key_signature" in stated:
            mood_valence = [m.valence for m in (self.kb.find_mood(v.value) for v in params.mood if v.source == "stated")
                            if m is not None]
            if mood_valence:
                valence = float(np.mean(mood_valence))
                if key.is_minor and valence > 0.5:
                    warnings.append(f"A bright mood in {key.label()}: minor keys usually sound darker; "
                                    "keeping your key.")
                elif not key.is_minor and valence < -0.5:
                    warnings.append(f"A dark mood in {key.label()}: major keys usually sound brighter; "
                                    "keeping your key.")
        feel_meters = {f.meter for f in self.kb.feels if f.name in {v.value for v in params.feels}}
        if genre is not None and "time_signature" in stated and params.time_signature.value not in genre.meters \
                and params.time_signature.value not in feel_meters:  # "jazz waltz": the feel explains the 3/4
            warnings.append(f"{params.time_signature.value} is unusual for {genre.name} "
                            f"(typical: {', '.join(genre.meters)}); keeping your meter.")
        if "energy_level" in stated and "tempo" in stated:
            if params.energy_level.value >= 0.8 and params.tempo.bpm < 70:
                warnings.append("High energy at a very slow tempo: the energy will come from density and "
                                "dynamics rather than speed.")
            if params.energy_level.value <= 0.2 and params.tempo.bpm > 160:
                warnings.append("Very low energy at a fast tempo: expect a sparse, light arrangement.")
        names = {v.name for v in params.instrumentation}
        both = names & set(params.excluded_instruments)
        if both:
            warnings.append(f"Both requested and excluded: {', '.join(sorted(both))}; excluding them.")
        return warnings

    def _anchor_vectors(self) -> dict[str, NDArray[np.float32]]:
        if self._mood_vectors is None:
            with self._lock:
                if self._mood_vectors is None:
                    texts = [" ".join(m.anchors) for m in self.kb.moods]
                    matrix = self.embedder.encode_cached(texts)
                    self._mood_vectors = {m.id: matrix[i] for i, m in enumerate(self.kb.moods)}
        return self._mood_vectors


def _rounded(vec: Sequence[float]) -> list[float]:
    return [round(float(x), 6) for x in vec]
