"""Fixtures for the engine tests: plans and controls built as plain dicts (what Aurora dumps), a shared
Engine, and a cache of renders so several tests can look at one render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine import Engine, RenderResult
from engine.knowledge import KnowledgeData, load_knowledge

SECTIONS = (("intro", 0.2, 0.35), ("verse", 0.3, 0.55), ("chorus", 0.3, 0.85), ("outro", 0.2, 0.4))


@pytest.fixture(scope="session")
def kb() -> KnowledgeData:
    return load_knowledge()


def make_controls(kb: KnowledgeData, *, tempo_bpm: float, genre: str, instruments: tuple[str, ...] = (),
                  excluded: tuple[str, ...] = (), energy: float = 0.6,
                  textures: tuple[str, ...] = ()) -> dict[str, Any]:
    """A control dict shaped like Aurora's: the 640-d vector per control_embedding.yaml + parameters."""
    vector = [0.0] * 640
    g0, _ = kb.layout.span("genre")
    t0, _ = kb.layout.span("tempo")
    i0, _ = kb.layout.span("instrumentation")
    e0, _ = kb.layout.span("energy")
    genre_ids = [g.id for g in kb.genres]
    if genre in genre_ids:
        vector[g0 + genre_ids.index(genre)] = 1.0
    vector[t0] = (tempo_bpm - 20.0) / 280.0
    ids = [i.id for i in kb.instruments]
    for inst in instruments:
        vector[i0 + ids.index(inst)] = 1.0
    for inst in excluded:
        vector[i0 + ids.index(inst)] = -1.0
    vector[e0] = energy
    return {
        "unified_control_embedding": vector,
        "parameters": {
            "genre": {"value": genre, "confidence": 0.9},
            "tempo": {"type": "explicit", "bpm": tempo_bpm, "confidence": 0.9},
            "instrumentation": [{"name": i, "role": "", "confidence": 0.9} for i in instruments],
            "excluded_instruments": list(excluded),
            "energy_level": {"value": energy, "confidence": 0.8},
            "textures": list(textures),
        },
    }


def make_plan(*, tempo_bpm: float, meter: str = "4/4", key: str = "A minor",
              chords: tuple[str, ...] = ("Am", "F", "C", "G"), duration_s: float = 8.0,
              sections: tuple[tuple[str, float, float], ...] = SECTIONS,
              transitions: tuple[tuple[str, str, str], ...] = ()) -> dict[str, Any]:
    """A plan dict shaped like aurora's StructuralPlan.model_dump(by_alias=True)."""
    _tonic, _, mode = key.partition(" ")
    return {
        "structure_type": "verse_chorus",
        "sections": [{"name": n, "duration_ratio": r, "energy_level": e, "description": "", "bars": 1,
                      "start_s": 0.0, "duration_s": 0.0, "chords": []} for n, r, e in sections],
        "transitions": [{"from": a, "to": b, "type": t} for a, b, t in transitions],
        "chord_progression": {"key": key, "mode": mode or "major", "chords": list(chords), "roman_numerals": []},
        "tempo_bpm": tempo_bpm,
        "time_signature": meter,
        "duration_s": duration_s,
        "total_bars": 4,
        "seed": 0,
    }


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(device="cpu")


@pytest.fixture(scope="session")
def render_cached(engine: Engine) -> Callable[..., RenderResult]:
    """render_cached(name, **render kwargs): one render per name for the whole session."""
    cache: dict[str, RenderResult] = {}

    def render(name: str, **kwargs: Any) -> RenderResult:
        if name not in cache:
            cache[name] = engine.render(**kwargs)
        return cache[name]

    return render


@pytest.fixture(scope="session")
def pop_render(kb: KnowledgeData, render_cached: Callable[..., RenderResult]) -> RenderResult:
    plan = make_plan(tempo_bpm=118.0, duration_s=6.0,
                     transitions=(("intro", "verse", "fill"), ("verse", "chorus", "build")))
    controls = make_controls(kb, tempo_bpm=118.0, genre="pop", textures=("vinyl crackle",))
    return render_cached("pop", plan=plan, controls=controls, duration_s=6.0, sample_rate=44100, seed=3)
